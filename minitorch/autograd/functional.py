"""Higher-order autograd helpers (mirrors ``torch.autograd.functional``): ``vjp``, ``jvp``,
``vhp``, ``hvp``, ``jacobian`` and ``hessian``, with single Tensor or tuple inputs and
outputs, ``create_graph`` and ``strict``.

``jvp`` and ``hvp`` use the double-backward trick (as PyTorch does): the backward pass is
linear in its grad_output, so differentiating it with respect to a dummy grad_output gives
forward-mode products.

``jacobian(..., vectorize=True)`` computes all rows in one backward pass: the grad_outputs
are the standard basis held in one ``BatchedArray`` (see ``_batching``), so each node's
backward runs once for all rows. A node whose backward formula uses a numpy call without a
batching rule runs once per row instead (``observers.run_backward``), which keeps every op
correct. With ``create_graph=True`` (a differentiable Jacobian) the rows run one by one.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..backends import ascontiguous
from . import observers
from ._batching import BatchedArray, physical
from .engine import grad as _engine_grad
from .grad_mode import enable_grad, set_grad_enabled, state

# ---- argument handling -----------------------------------------------------------------------


def _as_tuple(x, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    """(whether ``x`` was a tuple, ``x`` as a tuple of Tensors), with PyTorch's TypeError."""
    is_tuple = isinstance(x, tuple)
    xs = x if is_tuple else (x,)
    for i, el in enumerate(xs):
        if not isinstance(el, Tensor):
            where = f"the value at index {i} has" if is_tuple else f"the given {arg_name} has"
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                f"Tensors but {where} type {type(el)}."
            )
    return is_tuple, xs


def _unpack(res, was_tuple):
    """Undoes ``_as_tuple`` on a result; ``was_tuple`` is one flag or (outer, inner) flags."""
    if isinstance(was_tuple, tuple):
        outer, inner = was_tuple
        if not inner:
            res = tuple(r[0] for r in res)
        return res if outer else res[0]
    return res if was_tuple else res[0]


def _preprocess(tensors: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """New Tensor objects for the inputs: differentiable views when the caller wants a graph
    back to them, detached leaves otherwise."""
    out = []
    for t in tensors:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(need_graph))
    return tuple(out)


def _postprocess(res, create_graph: bool):
    """Detaches results (recursively through tuples) unless a graph was asked for."""
    if isinstance(res, Tensor):
        return res if create_graph else res.detach()
    if not res:  # PyTorch's postprocessing looks at the first element
        raise IndexError("tuple index out of range")
    return tuple(_postprocess(r, create_graph) for r in res)


def _validate_v(v: tuple, other: tuple, other_is_tuple: bool) -> None:
    if len(v) != len(other):
        if other_is_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, other)):
        if a.shape != b.shape:
            where = f"Entry {i} in " if other_is_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.shape} but got {a.shape}.")


_OUTPUT_IS_SCALAR = "the user-provided function returns a single Tensor with a single element."
_INPUT_IS_SCALAR = (
    "the input to the user-provided function is a single Tensor with a single element."
)


def _check_v(v, against: tuple, against_is_tuple: bool, fn_name: str, create_graph: bool, when):
    """``v`` preprocessed and validated against ``against``; None (meaning 1) is only allowed
    ``when`` ``against`` is a single one-element tensor."""
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _preprocess(v, create_graph, need_graph=False)
        _validate_v(v, against, against_is_tuple)
        return v
    if len(against) != 1 or against[0].numel() != 1:
        raise RuntimeError(f"The vector v can only be None if {when}")
    return None


_STRICT = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
    "outputs must be computed in a differentiable manner from the input when running in "
    "strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of "
    "the user-provided function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
    "function with respect to input {i} is independent of the input. This is not allowed in "
    "strict mode. You should ensure that your function is twice differentiable and that the "
    "jacobian depends on the inputs (this would be violated by a linear function for "
    "example).",
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
    "independent of the input. This is not allowed in strict mode. You should ensure that "
    "your function is thrice differentiable and that the hessian depends on the inputs.",
}


def _check_requires_grad(tensors: tuple, kind: str, strict: bool) -> None:
    """In strict mode, every tensor must be present and depend on the inputs."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. "
                "This is not allowed in strict mode."
            )
        if not t.requires_grad:
            raise RuntimeError(_STRICT[kind].format(i=i))


_INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
    "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
    "grad_outputs when using the double backward trick to compute forward mode gradients. "
    "This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
    "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
    "{i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using "
    "the double backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads: tuple, refs: tuple, strict: bool, create_graph: bool, stage: str):
    """Replaces missing gradients by zeros (strict mode raises instead)."""
    out = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_INDEPENDENT[stage].format(i=i))
            g = make_tensor(np.zeros_like(ref._data))
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. "
                "This is not allowed in strict mode when create_graph=True."
            )
        out.append(g)
    return tuple(out)


def _grad(outputs: tuple, inputs: tuple, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` that skips outputs without a graph (None for every input when no
    output has one) and allows unused inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs, gouts = zip(*pairs)
    return _engine_grad(
        outs,
        inputs,
        gouts,
        retain_graph=retain_graph,
        create_graph=create_graph,
        allow_unused=True,
    )


def _zeros(like: Tensor, shape: tuple):
    """An array of zeros on ``like``'s device with ``like``'s dtype."""
    return np.zeros_like(like._data, shape=shape)


# ---- products --------------------------------------------------------------------------------


def vjp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """Mirrors ``torch.autograd.functional.vjp``: returns ``(func(inputs), v^T J)``."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "vjp"
        )
        _check_requires_grad(outputs, "outputs", strict)
        v = _check_v(v, outputs, out_tuple, "vjp", create_graph, _OUTPUT_IS_SCALAR)
    with set_grad_enabled(bool(create_graph) or state.enabled):
        res = _grad(outputs, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(res, inputs, strict, create_graph, "back")
    return (
        _unpack(_postprocess(outputs, create_graph), out_tuple),
        _unpack(_postprocess(res, create_graph), in_tuple),
    )


def jvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """Mirrors ``torch.autograd.functional.jvp``: returns ``(func(inputs), J v)``, computed
    with the double-backward trick."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        v = _check_v(v, inputs, in_tuple, "jvp", create_graph, _INPUT_IS_SCALAR)
        out_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jvp"
        )
        _check_requires_grad(outputs, "outputs", strict)
        if not all(o.dtype.is_floating_point for o in outputs):  # PyTorch's dummies need grad
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        # backward is linear in its grad_output: the value of these dummies never matters
        dummies = tuple(_dummy(o) for o in outputs)
        grad_inputs = _grad(outputs, inputs, dummies, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(bool(create_graph) or state.enabled):
        res = _grad(grad_inputs, dummies, v, create_graph=create_graph)
        res = _fill_in_zeros(res, outputs, strict, create_graph, "back_trick")
    return (
        _unpack(_postprocess(outputs, create_graph), out_tuple),
        _unpack(_postprocess(res, create_graph), out_tuple),
    )


def _dummy(like: Tensor) -> Tensor:
    return make_tensor(np.zeros_like(like._data), requires_grad=True)


def _scalar_output(func, inputs: tuple, fn_name: str, strict: bool) -> tuple:
    out_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    if out_tuple:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn_name} should contain a single "
            "element"
        )
    return outputs


def vhp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """Mirrors ``torch.autograd.functional.vhp``: returns ``(func(inputs), v^T H)`` for a
    scalar function."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "vhp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        v = _check_v(v, inputs, in_tuple, "vhp", create_graph, _INPUT_IS_SCALAR)
        outputs = _scalar_output(func, inputs, "vhp", strict)
        jac = _grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
    with set_grad_enabled(bool(create_graph) or state.enabled):
        res = _grad(jac, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(res, inputs, strict, create_graph, "double_back")
    return (
        _unpack(_postprocess(outputs, create_graph), False),
        _unpack(_postprocess(res, create_graph), in_tuple),
    )


def hvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """Mirrors ``torch.autograd.functional.hvp``: returns ``(func(inputs), H v)`` for a scalar
    function, by the double-backward trick (correct also where H is not symmetric)."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "hvp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        v = _check_v(v, inputs, in_tuple, "hvp", create_graph, _INPUT_IS_SCALAR)
        outputs = _scalar_output(func, inputs, "hvp", strict)
        jac = _grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        dummies = tuple(_dummy(t) for t in inputs)
        double_back = _grad(jac, inputs, dummies, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with set_grad_enabled(bool(create_graph) or state.enabled):
        res = _grad(double_back, dummies, v, create_graph=create_graph)
        res = _fill_in_zeros(res, inputs, strict, create_graph, "double_back_trick")
    return (
        _unpack(_postprocess(outputs, create_graph), False),
        _unpack(_postprocess(res, create_graph), in_tuple),
    )


# ---- Jacobians -------------------------------------------------------------------------------


def jacobian(
    func,
    inputs,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
):
    """Mirrors ``torch.autograd.functional.jacobian``. ``vectorize=True`` computes all rows
    (reverse-mode) or all columns (``strategy="forward-mode"``) in one batched backward pass."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more '
            'performant. Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            _forward_mode_create_graph_error()
        return _jacobian_forward(func, inputs, strict, vectorize)
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian"
        )
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`."
            )
        if vectorize:
            _check_basis(outputs)
            # PyTorch's grad batched over no rows
            if any(o.requires_grad for o in outputs) and not sum(o.numel() for o in outputs):
                raise IndexError("index 0 is out of bounds for dimension 0 with size 0")
        if vectorize and not create_graph:
            blocks = _batched_blocks(outputs, inputs)
            jac = tuple(
                tuple(
                    # a copy only where a gradient was the same for every row (a broadcast)
                    make_tensor(ascontiguous(b).reshape(out.shape + inp.shape))
                    for b, inp in zip(row, inputs)
                )
                for row, out in zip(blocks, outputs)
            )
        else:
            jac = tuple(
                _rows_one_by_one(i, out, inputs, create_graph, strict, vectorize)
                for i, out in enumerate(outputs)
            )
            if vectorize and len(outputs) > 1:
                jac = _joint_blocks(jac, outputs, inputs)
    return _unpack(_postprocess(jac, create_graph), (out_tuple, in_tuple))


def _joint_blocks(jac: tuple, outputs: tuple, inputs: tuple) -> tuple:
    """The blocks of each input's column as parts of one tensor, as PyTorch's vectorized
    Jacobian splits them from one batched gradient: all of them differentiable when one is."""
    from ..ops.shape import cat  # noqa: PLC0415  (ops import autograd)

    columns = []
    for j, inp in enumerate(inputs):
        blocks = [row[j] for row in jac]
        if any(b.requires_grad for b in blocks):
            joint = cat([b.reshape(-1, *inp.shape) for b in blocks])
            parts = joint.split([o.numel() for o in outputs])
            blocks = [p.view(o.shape + inp.shape) for p, o in zip(parts, outputs)]
        columns.append(blocks)
    return tuple(zip(*columns))


def _forward_mode_create_graph_error():
    raise NotImplementedError(
        "torch.autograd.functional.jacobian: `create_graph=True` and "
        '`strategy="forward-mode"` are not supported together (yet). Please either set '
        '`create_graph=False` or `strategy="reverse-mode"`.'
    )


def _rows_one_by_one(
    i: int, out: Tensor, inputs: tuple, create_graph: bool, strict: bool, vectorize: bool
):
    """The Jacobian of output ``i``, one backward pass per element of the output. An empty
    output stacks no rows: PyTorch's error unless the rows stand for ``vectorize``'s."""
    from ..ops.shape import stack  # noqa: PLC0415  (ops import autograd)

    per_input = [[] for _ in inputs]
    flat = _zeros(out, (out.numel(),))
    for k in range(out.numel()):
        flat[k] = 1
        e = make_tensor(flat.reshape(out.shape).copy())
        flat[k] = 0
        grads = _grad((out,), inputs, (e,), create_graph=create_graph, retain_graph=True)
        for j, (g, inp) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(
                        f"Output {i} of the user-provided function is independent of input "
                        f"{j}. This is not allowed in strict mode."
                    )
                g = make_tensor(np.zeros_like(inp._data))
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError(
                    f"The jacobian of the user-provided function is independent of input {i}. "
                    "This is not allowed in strict mode when create_graph=True."
                )
            per_input[j].append(g)
    return tuple(
        stack(rows).reshape(out.shape + inp.shape)
        if rows or not vectorize
        else make_tensor(_zeros(inp, out.shape + inp.shape))
        for rows, inp in zip(per_input, inputs)
    )


def _check_basis(tensors: tuple) -> None:
    """PyTorch's error for a standard basis of no tensors."""
    if not tensors:
        raise AssertionError("Expected at least one tensor")


def _basis(tensors: tuple) -> list:
    """The standard basis of the concatenation of ``tensors``, split per tensor: entry i has
    shape (total, *tensors[i].shape) and ones on its own block's diagonal."""
    numels = [t.numel() for t in tensors]
    total = sum(numels)
    out, start = [], 0
    for t, n in zip(tensors, numels):
        e = _zeros(t, (total, n))
        e[np.arange(start, start + n), np.arange(n)] = 1
        out.append(e.reshape((total, *t.shape)))
        start += n
    return out


def _batched_grad(outputs: tuple, inputs: tuple, grad_outputs: list, n: int) -> list:
    """``n`` vector-Jacobian products in one backward pass: grad_outputs[i] has ``n`` rows of
    outputs[i]'s shape; returns per input an array of ``n`` rows (None where unused)."""
    if _has_hooks(outputs):  # hooks and retain_grad must see ordinary tensors
        return _row_by_row_grad(outputs, inputs, grad_outputs, n)
    batched = tuple(make_tensor(BatchedArray(g)) for g in grad_outputs)
    prev = observers.batch_rows
    observers.batch_rows = n
    observers.refresh()
    try:
        grads = _grad(outputs, inputs, batched, retain_graph=True)
    finally:
        observers.batch_rows = prev
        observers.refresh()
    return [None if g is None else physical(g._data, n) for g in grads]


def _row_by_row_grad(outputs: tuple, inputs: tuple, grad_outputs: list, n: int) -> list:
    res = [[] for _ in inputs]
    for k in range(n):
        grads = _grad(
            outputs, inputs, tuple(make_tensor(g[k]) for g in grad_outputs), retain_graph=True
        )
        for j, g in enumerate(grads):
            res[j].append(g)
    return [None if r[0] is None else np.stack([g._data for g in r]) for r in res]


def _has_hooks(outputs: tuple) -> bool:
    """Whether a node of the graph behind ``outputs`` has tensor hooks or retain_grad."""
    seen = set()
    stack = [o.grad_fn or o._accumulator() for o in outputs if o.requires_grad]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node._pre_hooks or node._retained:
            return True
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return False


def _batched_blocks(outputs: tuple, inputs: tuple) -> list:
    """Jacobian blocks [output][input] as arrays of shape (out.numel(), *inp.shape)."""
    n = sum(o.numel() for o in outputs)
    grads = _batched_grad(outputs, inputs, _basis(outputs), n) if n else [None] * len(inputs)
    blocks, start = [], 0
    for out in outputs:
        k = out.numel()
        blocks.append(
            [
                _zeros(inp, (k, *inp.shape)) if g is None else g[start : start + k]
                for g, inp in zip(grads, inputs)
            ]
        )
        start += k
    return blocks


def _jacobian_forward(func, inputs, strict: bool, vectorize: bool, keep_graph: bool = False):
    """Forward-mode Jacobian: all columns J e_k in one batched backward through the graph of
    the backward pass (the double-backward trick), since minitorch has no dual numbers.

    As PyTorch's dual numbers, the result stays differentiable (column by column) when it
    depends on tensors that require grad: inputs that do, tensors ``func`` captures (a
    model's parameters), or, with ``keep_graph``, the inputs ``hessian`` made leaves of."""
    if strict:
        raise RuntimeError(
            'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
            "are not supported together (yet). Please either set `strict=False` or "
            '`strategy="reverse-mode"`.'
        )
    if not vectorize:
        raise NotImplementedError(
            # PyTorch's words, its missing space included
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly "
            "implemented for `vectorize=True`."
        )
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        _check_basis(inputs)
        for t in inputs:  # PyTorch's make_dual
            if not t.dtype.is_floating_point:
                raise ValueError(
                    f"Expected primal to be floating point or complex, but got: {t.dtype}"
                )
        keep_graph = keep_graph or any(t.requires_grad for t in inputs)
        inputs = _preprocess(inputs, create_graph=True, need_graph=True)
        # PyTorch's words here, "None" included
        out_tuple, outputs = _as_tuple(func(*inputs), "outputs", "None")
        dummies = tuple(_dummy(o) for o in outputs)
        grad_inputs = _grad(outputs, inputs, dummies, create_graph=True)
    keep_graph = keep_graph or _reaches_other_leaves(grad_inputs, inputs + dummies)
    n = sum(t.numel() for t in inputs)
    basis = _basis(inputs)
    used = [j for j, g in enumerate(grad_inputs) if g is not None]
    if not (used and n):
        cols = [None] * len(outputs)
    elif keep_graph:
        cols = _columns_one_by_one(
            [grad_inputs[j] for j in used], dummies, [basis[j] for j in used], n
        )
    else:
        grads = _batched_grad(
            tuple(grad_inputs[j] for j in used), dummies, [basis[j] for j in used], n
        )
        cols = [None if c is None else make_tensor(c) for c in grads]
    jac = []
    for out, c in zip(outputs, cols):
        row, start = [], 0
        for inp in inputs:
            k = inp.numel()
            if c is None:
                row.append(make_tensor(_zeros(out, out.shape + inp.shape)))
            else:
                # c[k] = J e_k: columns first, so move them last
                block = c[start : start + k].reshape(k, out.numel()).t()
                row.append(block.reshape(out.shape + inp.shape))
            start += k
        jac.append(row)
    if not keep_graph:
        jac = [[make_tensor(ascontiguous(b._data)) for b in row] for row in jac]
    # PyTorch's forward mode returns lists where the reverse mode returns tuples
    return _unpack(jac, (out_tuple, in_tuple))


def _columns_one_by_one(grad_inputs: list, dummies: tuple, basis: list, n: int) -> list:
    """``_batched_grad``'s columns (per dummy, ``n`` rows) as differentiable Tensors."""
    from ..ops.shape import stack  # noqa: PLC0415  (ops import autograd)

    per_dummy = [[] for _ in dummies]
    for k in range(n):
        e = tuple(make_tensor(b[k]) for b in basis)
        for j, g in enumerate(_grad(grad_inputs, dummies, e, create_graph=True, retain_graph=True)):
            per_dummy[j].append(g)
    return [None if cols[0] is None else stack(cols) for cols in per_dummy]


def _reaches_other_leaves(tensors, own) -> bool:
    """Whether the graph behind ``tensors`` reaches a tensor that requires grad other than
    ``own``: one the user's function captured (a module's parameters)."""
    own_ids = {id(t) for t in own}
    stack, seen = [], set()
    for t in tensors:
        if t is None or not t.requires_grad:
            continue
        if t.grad_fn is None and id(t) not in own_ids:
            return True
        stack.append(t.grad_fn)
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        variable = getattr(node, "variable", None)
        if variable is not None and id(variable) not in own_ids:
            return True
        stack.extend(nxt for nxt, _ in node.next_functions)
    return False


def hessian(
    func,
    inputs,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
):
    """Mirrors ``torch.autograd.functional.hessian``: the Jacobian (with ``vectorize`` and
    ``outer_jacobian_strategy``) of the gradient of a scalar function."""
    in_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar(*inp):
        return _scalar_output(func, inp, "hessian", strict)[0].squeeze()

    def gradient(*inp):
        jac = jacobian(scalar, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    if outer_jacobian_strategy == "forward-mode":
        if create_graph:
            _forward_mode_create_graph_error()
        # PyTorch's result keeps the graph of the inner, differentiable Jacobian
        res = _jacobian_forward(gradient, inputs, strict, vectorize, keep_graph=True)
    else:
        res = jacobian(gradient, inputs, create_graph, strict, vectorize)
    return _unpack(res, (in_tuple, in_tuple))
