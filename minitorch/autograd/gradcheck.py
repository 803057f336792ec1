"""gradcheck / gradgradcheck: analytical gradients against float64 central differences."""

from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, make_tensor
from .engine import grad
from .grad_mode import enable_grad


class GradcheckError(RuntimeError):
    """Mirrors ``torch.autograd.gradcheck.GradcheckError``."""


def _as_tuple(x) -> tuple:
    """PyTorch's: a tuple as is, a list as a tuple, anything else as a 1-tuple."""
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,)


def _numerical(fn, inputs, outputs_shapes, eps):
    """Jacobian columns by central differences: J[i][j] = d out_j / d in_i, flattened. fn
    runs in grad mode, as in PyTorch (its hooks may need it)."""
    jac = []
    for t in inputs:
        if not (isinstance(t, Tensor) and t.requires_grad):
            jac.append(None)
            continue
        # reshape copies a non-contiguous input (a view): perturb it through .flat instead
        flat = t._data.reshape(-1) if t._data.flags.c_contiguous else t._data.flat
        cols = np.zeros((t._data.size, sum(int(np.prod(s)) for s in outputs_shapes)))
        for k in range(t._data.size):
            orig = flat[k].item()
            flat[k] = orig - eps
            minus = _snapshot(fn(*inputs))
            flat[k] = orig + eps
            plus = _snapshot(fn(*inputs))
            flat[k] = orig
            _check_same_outputs(minus, plus, np.unravel_index(k, t._data.shape), eps)
            cols[k] = (_flat(plus) - _flat(minus)) / (2 * eps)
        jac.append(cols)
    return jac


def _float_outputs(out) -> list:
    return [o for o in _as_tuple(out) if o._data.dtype.kind in "fV"]


def _snapshot(out) -> list:
    """Copies of the float outputs (an output may share the perturbed input's memory)."""
    return [make_tensor(o._data.copy()) for o in _float_outputs(out)]


def _flat(outs: list) -> np.ndarray:
    if not outs:
        return np.zeros(0)
    return np.concatenate([np.asarray(o._data, dtype=np.float64).reshape(-1) for o in outs])


def _check_same_outputs(minus: list, plus: list, index: tuple, eps: float) -> None:
    """PyTorch's check that perturbing an input changes no output's shape or dtype."""
    where = f"on index {tuple(int(i) for i in index)} by {eps}"
    for a, b in zip(minus, plus):
        if a.shape != b.shape:
            raise AssertionError(
                "Expected `func` to return outputs with the same shape when inputs are "
                f"perturbed {where}, but got: shapes {a.shape} and {b.shape}."
            )
        if a.dtype != b.dtype:
            raise AssertionError(
                "Expected `func` to return outputs with the same dtype when inputs are "
                f"perturbed {where}, but got: dtypes {a.dtype} and {b.dtype}."
            )


def _analytical(fn, inputs):
    outs = [o for o in _as_tuple(fn(*inputs)) if o._data.dtype.kind in "fV"]
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    sizes = [o._data.size for o in outs]
    rows = {id(t): np.zeros((t._data.size, sum(sizes))) for t in diff_inputs}
    col = 0
    for o in outs:
        if not o.requires_grad:
            col += o._data.size
            continue
        for k in range(o._data.size):
            seed = np.zeros(o._data.shape, o._data.dtype)
            seed.reshape(-1)[k] = 1
            gs = grad(o, diff_inputs, make_tensor(seed), retain_graph=True, allow_unused=True)
            for t, g in zip(diff_inputs, gs):
                if g is not None:
                    rows[id(t)][:, col] = np.asarray(g._data, dtype=np.float64).reshape(-1)
            col += 1
    return [
        rows.get(id(t)) if isinstance(t, Tensor) and t.requires_grad else None for t in inputs
    ], [o._data.shape for o in outs]


def _forward_analytical(fn, inputs) -> list:
    """The Jacobian rows of forward-mode AD, laid out as ``_analytical``'s: one unit tangent
    per element of each input that requires grad."""
    from . import forward_ad as fwAD  # noqa: PLC0415

    jac = []
    for i, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            jac.append(None)
            continue
        rows = []
        for k in range(t._data.size):
            tangent = np.zeros_like(t._data)
            tangent.reshape(-1)[k] = 1
            with fwAD.dual_level():
                dual = fwAD.make_dual(t, make_tensor(tangent))
                outs = _as_tuple(fn(*inputs[:i], dual, *inputs[i + 1 :]))
                tangents = [fwAD.unpack_dual(o).tangent for o in outs if o._data.dtype.kind in "fV"]
                outs = [o for o in outs if o._data.dtype.kind in "fV"]
            flat = [
                np.zeros(o._data.size) if d is None else np.asarray(d._data, np.float64).ravel()
                for o, d in zip(outs, tangents)
            ]
            rows.append(np.concatenate(flat))
        jac.append(np.array(rows))
    return jac


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    nondet_tol: float = 0.0,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    **_ignored,
) -> bool:
    """Mirrors ``torch.autograd.gradcheck``: compares backward (``check_backward_ad``) and
    forward-mode AD (``check_forward_ad``) with finite differences, and a second backward
    with the first (within ``nondet_tol``); checks that backward scales with grad_output.
    Inputs that require grad should be float64. With ``raise_exception=False`` a failed
    check returns False (bad inputs still raise). The batched checks (``check_batched_*``)
    and ``fast_mode`` are accepted and run as the full check."""
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError(
            "Expected at least one of check_forward_ad or check_backward_ad to be True"
        )
    if check_batched_grad and not check_backward_ad:
        raise AssertionError(
            "Setting check_batched_grad=True requires check_backward_ad to be True"
        )
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError(
            "Setting check_batched_forward_grad=True requires check_forward_ad to be True"
        )
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, check_forward_ad, check_backward_ad,
                          nondet_tol)  # fmt: skip
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _check_inputs(inputs: tuple) -> None:
    """PyTorch's checks of gradcheck's inputs, made whatever ``raise_exception`` says."""
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "them have requires_grad=True."
        )
    for i, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        if t._data.dtype != np.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                stacklevel=3,
            )
        if any(st == 0 and n > 1 for st, n in zip(t._data.strides, t._data.shape)):
            raise RuntimeError(
                f"The {i}th input has a dimension with stride 0. gradcheck only supports "
                "inputs that are non-overlapping to be able to compute the numerical gradients "
                "correctly. You should call .contiguous on the input before passing it to "
                "gradcheck."
            )


def _gradcheck(func, inputs, eps, atol, rtol, check_forward_ad, check_backward_ad, nondet_tol):
    func_out = _as_tuple(func(*inputs))
    if not any(o.requires_grad for o in func_out):  # then every numerical gradient must be 0
        outs = _float_outputs(func_out)
        numerical = _numerical(func, inputs, [o._data.shape for o in outs], eps)
        if any(n is not None and np.any(n != 0) for n in numerical):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    outs = _float_outputs(func_out)
    numerical = _numerical(func, inputs, [o._data.shape for o in outs], eps)
    checks = [("", _analytical(func, inputs)[0])] if check_backward_ad else []
    if check_forward_ad:
        checks.append(("computed with forward mode ", _forward_analytical(func, inputs)))
    ends = np.cumsum([o._data.size for o in outs])
    # PyTorch numbers the outputs that require grad, and compares them one by one
    blocks = [(e - o._data.size, e) for o, e in zip(outs, ends) if o.requires_grad]
    for mode, analytical in checks:
        for k, (start, end) in enumerate(blocks):
            for i, (a, n) in enumerate(zip(analytical, numerical)):
                if a is None or np.allclose(a[:, start:end], n[:, start:end], rtol=rtol, atol=atol):  # fmt: skip
                    continue
                raise GradcheckError(
                    f"Jacobian {mode}mismatch for output {k} with respect to input {i},\n"
                    f"numerical:{make_tensor(n[:, start:end])}\n"
                    f"analytical:{make_tensor(a[:, start:end])}\n"
                )
    if check_backward_ad:
        if not _reentrant(checks[0][1], _analytical(func, inputs)[0], nondet_tol):
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and "
                "grad_output multiple times gives different values, although analytical "
                "gradient matches numerical gradient.The tolerance for nondeterminism was "
                f"{nondet_tol}.\n"
            )
        _check_mul_by_grad_output([o for o in outs if o.requires_grad], inputs)
    return True


def _check_mul_by_grad_output(outs: list, inputs: tuple) -> None:
    """PyTorch's check that zero grad_outputs give zero gradients."""
    diff = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    zeros = [make_tensor(np.zeros_like(o._data)) for o in outs]
    for g in grad(outs, diff, zeros, allow_unused=True):
        if g is not None and np.any(g._data != 0):
            raise GradcheckError("backward not multiplied by grad_output")


def _reentrant(first: list, second: list, tol: float) -> bool:
    """Whether two backward Jacobians agree within ``tol`` (PyTorch's reentrancy check)."""
    return all(
        a is None or np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True)
        for a, b in zip(first, second)
    )


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    **_ignored,
) -> bool:
    """Mirrors ``torch.autograd.gradgradcheck``: gradcheck of the function's vector-Jacobian
    product (its backward, run with create_graph=True)."""
    inputs = _as_tuple(inputs)
    outs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [
            make_tensor(rng.standard_normal(o._data.shape)).requires_grad_() for o in outs
        ]
    grad_outputs = list(_as_tuple(grad_outputs))
    n = len(inputs)

    def vjp(*args):
        ins, gos = args[:n], args[n:]
        with enable_grad():  # the caller may run gradgradcheck under no_grad
            outs = [o for o in _as_tuple(func(*ins)) if o.requires_grad]
            dins = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
            gs = grad(outs, dins, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        vjp,
        tuple(inputs) + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
    )
