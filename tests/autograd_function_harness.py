"""Runs PyTorch's database of custom autograd Functions (torch.testing._internal.
autograd_function_db: NumpyCube, NumpyMul, NumpySort, NumpyTake, Select, the *GenVmap
Functions, ScaleGrad, ZeroGradients, ForwardHasDefaultArgs, NumpyExp_ with mark_dirty...)
against minitorch. The SAME Function classes are rebuilt as minitorch Functions (their
methods' globals, ``torch`` among them, rebound: ``torch`` means minitorch), their sample
inputs made by PyTorch's recipe and converted, then compared with PyTorch's: forward values
(several dtypes), float64 gradients (``autograd.grad``) and double backward, forward-mode AD
(``autograd.forward_ad``), ``func.jvp``, ``func.grad``, ``jacrev``, ``jacfwd``, ``vmap`` and
``vmap(grad)`` over a batch. Where PyTorch raises, minitorch must raise the same type.
As a script it prints the divergences:

    python tests/autograd_function_harness.py [--functions NAME ...] [-v]
"""

from __future__ import annotations

import argparse
import types

from opinfo_harness import (
    SEED,
    Divergence,
    _first_line,
    _inputs,
    compare,
    to_minitorch,
    torch_internal,
)

import minitorch

DTYPES = ("float32", "float64", "int64", "bool")
BATCH = 3


def function_db():
    """PyTorch's autograd_function_db module."""
    return torch_internal("autograd_function_db")


def rebuilt(module, torch) -> dict:
    """The module's namespace with ``torch`` meaning minitorch: its Function classes rebuilt
    as minitorch Functions and its functions rebound, all referring to each other."""
    scope = dict(vars(module), torch=minitorch)
    for name, value in vars(module).items():
        if isinstance(value, type) and issubclass(value, torch.autograd.Function):
            if value.__module__ == module.__name__:
                scope[name] = _function_class(value, scope)
        elif isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            scope[name] = _rebind(value, scope)
    return scope


def _rebind(fn, scope: dict):
    """``fn`` with ``scope`` as its globals (PyTorch's ``once_differentiable`` becomes
    minitorch's around the rebound function)."""
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None and fn.__code__.co_filename.endswith("autograd/function.py"):
        return minitorch.autograd.function.once_differentiable(_rebind(wrapped, scope))
    return types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)


def _function_class(cls: type, scope: dict) -> type:
    """A minitorch Function with ``cls``'s staticmethods (rebound) and class attributes."""
    attrs = {}
    for key, value in vars(cls).items():
        if isinstance(value, staticmethod):
            attrs[key] = staticmethod(_rebind(value.__func__, scope))
        elif not key.startswith("__") or key in ("__module__", "__qualname__", "__doc__"):
            attrs[key] = value
    return type(cls.__name__, (minitorch.autograd.Function,), attrs)


def _mine_op(op, scope: dict):
    """minitorch's counterpart of an entry's ``op``: ``Cls.apply`` or a rebound lambda."""
    owner = getattr(op, "__self__", None)
    if isinstance(owner, type):
        return getattr(scope[owner.__name__], op.__name__)
    return _rebind(op, scope)


def _attempt(fn, *args):
    """(result, None) or (None, the exception)."""
    try:
        return fn(*args), None
    except Exception as exc:  # noqa: BLE001 -- an exception is a result to compare
        return None, exc


def _outcome(what: str, theirs, mine, torch) -> str | None:
    """What differs between two ``_attempt`` results (None when they agree)."""
    (t_value, t_exc), (m_value, m_exc) = theirs, mine
    if t_exc is not None:
        if m_exc is None:
            return f"{what}: no error, PyTorch raises {type(t_exc).__name__}: {_first_line(t_exc)}"
        if type(m_exc).__name__ != type(t_exc).__name__:
            return f"{what}: raises {type(m_exc).__name__}: {_first_line(m_exc)}, PyTorch {type(t_exc).__name__}: {_first_line(t_exc)}"  # noqa: E501
        return None
    if m_exc is not None:
        return f"{what}: raises {type(m_exc).__name__}: {_first_line(m_exc)}"
    return compare(t_value, m_value, torch, what)


class _Case:
    """One sample of one entry, runnable on either side: ``lib`` (torch or minitorch), the
    op, its positional arguments (the sample's input first) and keyword arguments."""

    def __init__(self, op, sample, lib, torch, grad: bool) -> None:
        self.op, self.lib = op, lib
        args, kwargs = (sample.input, *sample.args), sample.kwargs
        if lib is not torch:
            args, kwargs = to_minitorch((args, kwargs), torch)
        self.args = [_fresh(a, lib, grad) for a in args]
        self.kwargs = kwargs

    def floats(self) -> list:
        """Positions of the floating-point tensor arguments (the differentiable ones)."""
        return [i for i, a in enumerate(self.args) if _floating(a, self.lib)]

    def call(self, args=None):
        return self.op(*(self.args if args is None else args), **self.kwargs)

    def with_floats(self, values) -> list:
        args = list(self.args)
        for i, v in zip(self.floats(), values):
            args[i] = v
        return args

    def differentiable(self, out) -> list:
        lib = self.lib
        return [t for t in _flat(out, lib) if _floating(t, lib)]


def _fresh(a, lib, grad: bool):
    if isinstance(a, lib.Tensor):
        a = a.detach().clone()
        return a.requires_grad_(grad and a.dtype.is_floating_point)
    return a


def _floating(a, lib) -> bool:
    return isinstance(a, lib.Tensor) and a.dtype.is_floating_point


def _flat(out, lib) -> list:
    if isinstance(out, lib.Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in _flat(o, lib)]
    return []


def _weights(tensors, lib) -> list:
    """Fixed, different cotangents/tangents for ``tensors`` (the same on both sides)."""
    out = []
    for k, t in enumerate(tensors):
        n = t.numel()
        w = lib.arange(n, dtype=lib.float64).add(k).cos().reshape(t.shape).to(t.dtype)
        out.append(w)
    return out


def _gradients(case: _Case, create_graph: bool = False):
    lib = case.lib
    out = case.call()
    outs = [t for t in case.differentiable(out) if t.requires_grad]
    inputs = [case.args[i] for i in case.floats()]
    grads = lib.autograd.grad(
        outs, inputs, _weights(outs, lib), allow_unused=True, create_graph=create_graph
    )
    return out, grads, inputs


def _double_backward(case: _Case):
    lib = case.lib
    _, grads, inputs = _gradients(case, create_graph=True)
    grads = [g for g in grads if g is not None and g.requires_grad]
    if not grads:
        return None
    return lib.autograd.grad(grads, inputs, _weights(grads, lib), allow_unused=True)


def _forward_ad(case: _Case):
    fwAD = case.lib.autograd.forward_ad
    with fwAD.dual_level():
        primals = [case.args[i] for i in case.floats()]
        duals = [fwAD.make_dual(p, t) for p, t in zip(primals, _weights(primals, case.lib))]
        out = case.call(case.with_floats(duals))
        return [fwAD.unpack_dual(o).tangent for o in case.differentiable(out)]


def _primals(case: _Case) -> list:
    """The floating-point arguments, detached (as transforms usually get them)."""
    return [case.args[i].detach() for i in case.floats()]


def _first_output(case: _Case):
    def f(*floats):
        return case.differentiable(case.call(case.with_floats(floats)))[0]

    return f


def _scalar(case: _Case):
    def f(*floats):
        outs = case.differentiable(case.call(case.with_floats(floats)))
        return sum((o * w).sum() for o, w in zip(outs, _weights(outs, case.lib)))

    return f


def _func_jvp(case: _Case):
    primals = tuple(_primals(case))
    return case.lib.func.jvp(_first_output(case), primals, tuple(_weights(primals, case.lib)))


def _func_grad(case: _Case):
    argnums = tuple(range(len(case.floats())))
    return case.lib.func.grad(_scalar(case), argnums)(*_primals(case))


def _jacobian(case: _Case, transform: str):
    argnums = tuple(range(len(case.floats())))
    jac = getattr(case.lib.func, transform)(_first_output(case), argnums)
    return jac(*_primals(case))


def _batched(case: _Case) -> tuple:
    """The arguments stacked ``BATCH`` times (floats scaled differently per element) and
    their in_dims (None for non-tensors)."""
    lib = case.lib
    args, dims = [], []
    for a in case.args:
        if isinstance(a, lib.Tensor):
            parts = [a * (1 + 0.25 * k) if _floating(a, lib) else a for k in range(BATCH)]
            args.append(lib.stack(parts))
            dims.append(0)
        else:
            args.append(a)
            dims.append(None)
    return args, tuple(dims)


def _vmap(case: _Case):
    args, dims = _batched(case)
    return case.lib.func.vmap(lambda *a: case.op(*a, **case.kwargs), in_dims=dims)(*args)


def _vmap_grad(case: _Case):
    lib = case.lib
    args, dims = _batched(case)
    floats = case.floats()

    def scalar(*a):
        outs = case.differentiable(case.op(*a, **case.kwargs))
        return sum((o * w).sum() for o, w in zip(outs, _weights(outs, lib)))

    return lib.func.vmap(lib.func.grad(scalar, tuple(floats)), in_dims=dims)(*args)


CHECKS = {
    "gradients": lambda case: _gradients(case)[:2],
    "double backward": _double_backward,
    "forward_ad": _forward_ad,
    "func.jvp": _func_jvp,
    "func.grad": _func_grad,
    "jacrev": lambda case: _jacobian(case, "jacrev"),
    "jacfwd": lambda case: _jacobian(case, "jacfwd"),
    "vmap": _vmap,
    "vmap(grad)": _vmap_grad,
}


def check_entry(info, torch, scope: dict) -> list:
    """The divergences of one autograd_function_db entry."""
    mine_op = _mine_op(info.op, scope)
    found = []

    def sides(dtype: str, grad: bool) -> list:
        torch.manual_seed(SEED)
        samples = _inputs(info, getattr(torch, dtype), grad, "sample", None)
        return [
            (_Case(info.op, s, torch, torch, grad), _Case(mine_op, s, minitorch, torch, grad))
            for s in samples
        ]

    def record(what: str, dtype: str, check, pair) -> None:
        theirs = _attempt(check, pair[0])
        mine = _attempt(check, pair[1])
        if (diff := _outcome(what, theirs, mine, torch)) is not None:
            found.append(Divergence(info.name, what, dtype, "-", diff))

    for dtype in DTYPES:
        for pair in sides(dtype, grad=False):
            record("forward", dtype, lambda case: case.call(), pair)
    for pair in sides("float64", grad=True):
        for what, check in CHECKS.items():
            record(what, "float64", check, pair)
    return found


def sweep(torch, names=None) -> list:
    """The divergences of every entry (or of those named)."""
    module = function_db()
    scope = rebuilt(module, torch)
    found = []
    for info in module.autograd_function_db:
        if not names or info.name in names:
            found += check_entry(info, torch, scope)
    return found


def main() -> None:
    import warnings

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", nargs="*", help="entry names (default: all)")
    parser.add_argument("-v", action="store_true", help="print every divergence")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    found = sweep(torch, opts.functions)
    for d in found:
        print(d if opts.v else str(d)[:300], flush=True)
    print(f"{len(found)} divergences")


if __name__ == "__main__":
    main()
