"""``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd`` and ``hessian`` of
``torch.func``, built on minitorch's tape (``autograd.grad``).

A transform runs ``func`` on tracked aliases of the differentiated inputs and asks the tape for
gradients. When an input already requires grad (an enclosing transform, or the user's own
graph) the alias is connected to it, and when the output depends on another tensor that
requires grad (a capture of an enclosing transform, module parameters), the gradients are
computed with ``create_graph=True``, so transforms nest (``jacrev(jacrev(f))``,
``grad(grad(f))``) and their results can be backpropagated; otherwise the results come back
detached, as PyTorch's do. Jacobians take one backward pass per output element (``jacfwd``
too: the transforms are built on reverse mode; forward-mode AD is ``autograd.forward_ad``),
and unused inputs get zeros, as in ``torch.func``.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from .._tensor import Tensor, make_tensor
from ..autograd.engine import grad as _grad
from ..autograd.function import wrapping
from ..autograd.functional import _reaches_other_leaves
from ..autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
)
from ..factories import eye, ones_like, zeros, zeros_like
from ..ops.shape import cat, stack
from ._forward import forward_tangents, random_streams, usable
from ._pytree import flatten, tree_map, unflatten
from ._running import running
from ._vmap import check_randomness, randomness_of

_WHERE = "grad_and_value(f)(*args)"
# the inputs a finished ``vjp`` tracked for its ``vjp_fn``: constants to the transforms that
# call ``vjp_fn`` later (PyTorch's escaped wrappers), not captures that need the connection
_ESCAPED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _outside_inference_mode(fn: Callable) -> Callable:
    """``fn`` run with inference mode off (as grad mode off): PyTorch's transforms work on
    normal tensors inside ``torch.inference_mode`` (inference tensors among them), and give
    normal tensors back."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        wrapping.append(fn)
        try:
            if not is_inference_mode_enabled():
                return fn(*args, **kwargs)
            with inference_mode(False), no_grad():
                return fn(*args, **kwargs)
        finally:
            wrapping.pop()

    return run


def _argnums(argnums, n: int) -> tuple:
    if not isinstance(argnums, (int, tuple)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if not nums:
        raise RuntimeError("argnums must be non-empty")
    for a in nums:
        if not isinstance(a, int):
            raise RuntimeError(f"argnum must be int, got: {type(a)}")
        if not -n <= a < n:
            raise RuntimeError(f"Got argnum={a}, but only {n} positional inputs")
    wrapped = tuple(a % n for a in nums)
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"argnums elements must be unique, got {wrapped}")
    return wrapped


def _track(tensors: list) -> tuple[list, bool]:
    """Aliases of ``tensors`` that the tape follows, and whether an outer graph reaches them
    (then gradients are made differentiable, connected to that graph)."""
    for t in tensors:
        if not isinstance(t, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(t)}")
        if not t.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
    outer = is_grad_enabled() and any(t.requires_grad for t in tensors)
    with enable_grad():
        if outer:  # an input outside the outer graph gets a leaf of its own
            return [
                t.view_as(t) if t.requires_grad else t.detach().requires_grad_() for t in tensors
            ], True
        return [_leaf(t) for t in tensors], False


def _leaf(t: Tensor) -> Tensor:
    """A tracked leaf aliasing ``t``; an inference tensor's is a normal tensor (PyTorch's
    transforms wrap it, so it may be differentiated)."""
    return (make_tensor(t._data) if t.is_inference() else t.detach()).requires_grad_()


def _call(func: Callable, args: tuple, kwargs: dict, argnums, kinds=("grad",)) -> tuple:
    """Runs ``func`` with the inputs at ``argnums`` tracked, inside transforms of ``kinds``
    (PyTorch's ``jacfwd`` is ``vmap`` of ``jvp``): (output, tracked leaves, their spec (a
    tuple over argnums), whether gradients must be differentiable, whether a user Function's
    jvp rule ran)."""
    nums = _argnums(argnums, len(args))
    leaves, spec = flatten(tuple(args[i] for i in nums))
    tracked, outer = _track(leaves)
    new_args = list(args)
    for i, value in zip(nums, unflatten(spec, tracked)):
        new_args[i] = value
    with enable_grad(), running(*kinds) as ran:
        out = func(*new_args, **kwargs)
    if not outer and is_grad_enabled():
        # a tensor captured from an enclosing transform or the user's graph: the gradients
        # must stay connected to it
        leaves = [t for t in flatten(out)[0] if isinstance(t, Tensor)]
        outer = _reaches_other_leaves(leaves, [*tracked, *_ESCAPED.values()])
    return out, tracked, spec, outer, ran.custom_jvp


def _gradients(outputs: list, inputs: list, grad_outputs, create_graph: bool) -> list:
    """d(outputs . grad_outputs)/d(inputs), zeros where an input is not used."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    grads = [None] * len(inputs)
    if pairs:
        grads = _grad(
            [o for o, _ in pairs],
            inputs,
            [g for _, g in pairs],
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
    return [zeros_like(t) if g is None else g for g, t in zip(grads, inputs)]


def _split_aux(out, has_aux: bool, where: str) -> tuple:
    if not has_aux:
        return out, None
    if not (isinstance(out, tuple) and len(out) == 2):
        raise RuntimeError(
            f"{where}: output of function f should be a tuple: (output, aux) if has_aux is True"
        )
    for leaf in flatten(out[1])[0]:
        if not isinstance(leaf, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(leaf)}")
    return out


def _output_leaves(out, where: str, floating: bool) -> tuple[list, Any]:
    """``out``'s leaves and spec; each must be a Tensor (and, with ``floating``, of a
    floating-point dtype, as reverse mode needs), with PyTorch's messages."""
    leaves, spec = flatten(out)
    if not leaves or (len(leaves) == 1 and leaves[0] is None):
        raise RuntimeError(
            f"{where}: Expected f to be a function that has non-empty output (got output = "
            f"{leaves})"
        )
    for o in leaves:
        if not isinstance(o, Tensor):
            raise RuntimeError(
                f"{where}: expected f(*primals) to return only tensors, got unsupported type "
                f"{type(o)}"
            )
        if floating and not o.dtype.is_floating_point:
            raise RuntimeError(
                "vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                f"Tensor with dtype {o.dtype}"
            )
    return leaves, spec


def _finish(tree, outer: bool, tracked=()):
    """What the caller sees: detached unless an outer graph needs the connection (then each
    tensor connected only to the leaves made for ``tracked`` inputs outside that graph is
    detached, as PyTorch's results that do not depend on the outer graph)."""
    if outer:
        own = [t for t in tracked if t.is_leaf]
        if not own:
            return tree
        return tree_map(lambda x: _outside(x, own), tree)
    return tree_map(lambda x: x.detach() if isinstance(x, Tensor) else x, tree)


def _outside(x, own: list):
    if isinstance(x, Tensor) and x.requires_grad and not _reaches_other_leaves([x], own):
        return x.detach()
    return x


def grad_and_value(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """Mirrors ``torch.func.grad_and_value``: a function returning (gradient of ``func``'s
    scalar output w.r.t. the arguments at ``argnums``, that output) — with ``has_aux``,
    ``func`` returns (output, aux) and the value is (output, aux)."""

    @functools.wraps(func)
    @_outside_inference_mode
    def wrapper(*args, **kwargs):
        out, tracked, spec, outer, _ = _call(func, args, kwargs, argnums)
        out, aux = _split_aux(out, has_aux, _WHERE)
        if not isinstance(out, Tensor):
            raise RuntimeError(f"{_WHERE}: Expected f(*args) to return a Tensor, got {type(out)}")
        if out.dim() != 0:
            raise RuntimeError(
                f"{_WHERE}: Expected f(*args) to return a scalar Tensor, got tensor with "
                f"{out.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?"
            )
        grads = unflatten(spec, _gradients([out], tracked, [ones_like(out)], outer))
        grads = grads[0] if isinstance(argnums, int) else grads
        value = (out, aux) if has_aux else out
        return _finish(grads, outer, tracked), _finish(value, outer, tracked)

    return wrapper


def grad(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """Mirrors ``torch.func.grad``: a function returning the gradient of ``func``'s scalar
    output w.r.t. the arguments at ``argnums`` (pytrees of tensors); with ``has_aux``,
    (gradient, aux)."""
    both = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grads, value = both(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return wrapper


@_outside_inference_mode
def vjp(func: Callable, *primals: Any, has_aux: bool = False):
    """Mirrors ``torch.func.vjp``: (``func(*primals)``, ``vjp_fn``[, aux]) where
    ``vjp_fn(cotangents)`` gives a tuple with the vector-Jacobian product for each primal;
    it may be called many times."""
    out, tracked, spec, outer, _ = _call(func, primals, {}, tuple(range(len(primals))))
    out, aux = _split_aux(out, has_aux, "vjp(f, *primals)")
    out_leaves, out_spec = _output_leaves(out, "vjp(f, *primals)", floating=True)

    @_outside_inference_mode
    def vjp_fn(cotangents, *, retain_graph: bool = True, create_graph: bool | None = None):
        ct_leaves, ct_spec = flatten(cotangents)
        if ct_spec != out_spec:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of "
                f"outputs to the function. cotangents: {ct_spec}, primal output: {out_spec}"
            )
        for i, (o, c) in enumerate(zip(out_leaves, ct_leaves)):
            if c is None:  # no cotangent: autograd's implicit one, for a scalar output only
                if o.numel() != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                c = ct_leaves[i] = ones_like(o)
            if tuple(o.shape) != tuple(c.shape):
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {c.shape} and output[0] "
                    f"has a shape of {o.shape}."
                )
        ct_leaves = [
            c if c.dtype == o.dtype else c.to(o.dtype) for o, c in zip(out_leaves, ct_leaves)
        ]
        differentiable = is_grad_enabled() and (outer or any(c.requires_grad for c in ct_leaves))
        grads = _gradients(out_leaves, tracked, ct_leaves, differentiable)
        return _finish(unflatten(spec, grads), differentiable, tracked)

    if not outer:
        _ESCAPED.update((id(t), t) for t in tracked)
    result = (_finish(out, outer, tracked), vjp_fn)
    return (*result, _finish(aux, outer, tracked)) if has_aux else result


def _check_jvp_arguments(primals: tuple, tangents: tuple, where: str) -> tuple[list, list]:
    """The leaves of ``primals`` and ``tangents``, checked as ``torch.func.jvp`` does."""
    p_leaves, p_spec = flatten(primals)
    t_leaves, t_spec = flatten(tangents)
    if t_spec != p_spec:
        raise RuntimeError(
            f"{where}: Expected primals and tangents to have the same python structure. For "
            "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
            f"with structure {p_spec} and tangents with structure {t_spec}"
        )
    for name, leaves in (("primals", p_leaves), ("tangents", t_leaves)):
        if not leaves:
            raise RuntimeError(f"{where}: Expected {name} to contain at least one Tensor.")
        for x in leaves:
            if not isinstance(x, Tensor):
                raise RuntimeError(
                    f"{where}: Expected {name} to only contain Tensors, got {type(x)}"
                )
    for p, t in zip(p_leaves, t_leaves):
        _check_floating(p, "primal")
        _check_floating(t, "tangent")
        if p.shape != t.shape:
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} "
                f"while the given forward gradient is of size {list(t.shape)}."
            )
    return p_leaves, t_leaves


def _check_floating(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise ValueError(f"Expected {name} to be floating point or complex, but got: {x.dtype}")


@_outside_inference_mode
def jvp(func: Callable, primals, tangents, *, strict: bool = False, has_aux: bool = False):
    """Mirrors ``torch.func.jvp``: (``func(*primals)``, the Jacobian-vector product with
    ``tangents``), computed by reverse mode twice (the VJP is linear in its cotangent), or
    in forward mode where a user Function's ``jvp`` rule must give it (see ``_forward.py``)."""
    where = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(
            f"{where}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    _, t_leaves = _check_jvp_arguments(primals, tangents, where)
    nums = tuple(range(len(primals)))
    replay = random_streams()
    out, tracked, _, outer, custom = _call(func, primals, {}, nums, ("jvp",))
    out, aux = _split_aux(out, has_aux, where)
    out_leaves, out_spec = _output_leaves(out, where, floating=False)
    if strict and not all(o.requires_grad for o in out_leaves):
        raise RuntimeError(
            "jvp(f, primals, tangents, strict=True): The output of f is independent of the "
            "inputs. This is not allowed with strict=True."
        )
    differentiable = outer or any(t.requires_grad for t in t_leaves)
    if custom and not differentiable and usable():
        with replay():
            jvps = forward_tangents(func, primals, {}, nums, t_leaves, has_aux)
        result = (_finish(out, outer), unflatten(out_spec, jvps))
        return (*result, _finish(aux, outer)) if has_aux else result
    with enable_grad():
        # integer outputs have no gradient: their tangents are zeros
        dummies = [zeros_like(o).requires_grad_(o.dtype.is_floating_point) for o in out_leaves]
        floating = [d for d in dummies if d.requires_grad]
        vjps = _gradients(out_leaves, tracked, dummies, create_graph=True)
        used = [(v, t) for v, t in zip(vjps, t_leaves) if v.requires_grad]
    jvps = iter(_gradients([v for v, _ in used], floating, [t for _, t in used], differentiable))
    jvps = [next(jvps) if d.requires_grad else d for d in dummies]
    result = (_finish(out, outer), _finish(unflatten(out_spec, jvps), differentiable))
    return (*result, _finish(aux, outer)) if has_aux else result


def linearize(func: Callable, *primals: Any) -> tuple:
    """Mirrors ``torch.func.linearize``: (``func(*primals)``, ``jvp_fn``) where
    ``jvp_fn(*tangents)`` is the Jacobian-vector product at ``primals`` (each call runs
    ``jvp`` again: there is no forward-mode trace to replay)."""
    out = func(*primals)  # run eagerly first, as PyTorch's (its errors come first)
    jvp(func, primals, tuple(zeros_like(p) for p in primals))  # PyTorch's trace: its checks
    p_leaves, p_spec = flatten(primals)

    def jvp_fn(*tangents):
        t_leaves, t_spec = flatten(tangents)
        if t_spec != p_spec:
            raise RuntimeError(
                f"Expected the tangents {t_spec} to have the same argspec as the primals {p_spec}"
            )
        for idx, (p, t) in enumerate(zip(p_leaves, t_leaves)):
            for what in ("shape", "device", "dtype"):
                if getattr(t, what) != getattr(p, what):
                    raise RuntimeError(
                        f"tangent:{idx} with {what} {getattr(t, what)} in flattened pytree "
                        f"doesn't match the {what} {getattr(p, what)} of the corresponding primal."
                    )
        return jvp(func, primals, tangents)[1]

    return out, jvp_fn


def _jacobian(
    func: Callable, argnums, has_aux: bool, forward: bool, randomness: str = "error"
) -> Callable:
    """The Jacobian of ``func`` w.r.t. the arguments at ``argnums``, shaped ``output.shape +
    input.shape``, one reverse pass per output element. ``forward``: checked and typed as
    ``jacfwd`` (forward mode's tangents have the output's dtype; an integer output has zeros),
    ``func`` drawing random numbers as under vmap's ``randomness`` ('same' and 'different'
    draw once, as 'same' does)."""
    where = "jvp(f, primals, tangents)" if forward else "vjp(f, *primals)"

    @functools.wraps(func)
    @_outside_inference_mode
    def wrapper(*args, **kwargs):
        if forward:
            check_randomness(randomness)
            nums = _argnums(argnums, len(args))
            for leaf in flatten(tuple(args[i] for i in nums))[0]:
                if isinstance(leaf, Tensor):
                    _check_floating(leaf, "primal")
        kinds = ("vmap", "jvp") if forward else ("grad",)
        replay = random_streams() if forward else None
        draws = randomness_of("error") if forward and randomness == "error" else nullcontext()
        with draws:
            out, tracked, spec, outer, custom = _call(func, args, kwargs, argnums, kinds)
        out, aux = _split_aux(out, has_aux, "jacrev(f, ...)(*args)")
        out_leaves, out_spec = _output_leaves(out, where, floating=not forward)
        columns = None
        if custom and not outer and usable():
            with replay():
                columns = _forward_columns(func, args, kwargs, argnums, tracked, has_aux)
        table = []  # table[q][j]: d output q / d input j
        for q, o in enumerate(out_leaves):
            if columns is not None:  # forward mode: one column per input element
                blocks = [
                    _block(o, t, [c[q] for c in cols], -1) for t, cols in zip(tracked, columns)
                ]  # noqa: E501
            else:  # reverse mode: one row per output element
                n = o.numel()
                basis = eye(n, dtype=o.dtype, device=o.device).reshape(n, *o.shape)
                rows = [_gradients([o], tracked, [basis[i]], outer) for i in range(n)]
                blocks = [_block(o, t, [r[j] for r in rows], 0) for j, t in enumerate(tracked)]
            table.append([b.to(o.dtype) for b in blocks] if forward else blocks)
        if outer and forward:  # PyTorch's jacfwd: one tensor per output, split per input
            table = [_joined(row) for row in table]
        elif outer:  # jacrev: one tensor per input, split per output
            table = [list(row) for row in zip(*map(_joined, zip(*table)))]
        jacobians = []
        for blocks in table:
            per_input = unflatten(spec, blocks)
            jacobians.append(per_input[0] if isinstance(argnums, int) else per_input)
        jac = _finish(unflatten(out_spec, jacobians), outer, tracked)
        return (jac, _finish(aux, outer, tracked)) if has_aux else jac

    return wrapper


def _joined(blocks) -> list:
    """``blocks`` as the parts of one tensor (all differentiable when one is), as PyTorch
    splits a Jacobian computed in one batched pass."""
    blocks = list(blocks)
    if len(blocks) < 2 or not any(b.requires_grad for b in blocks):
        return blocks
    joint = cat([b.reshape(-1) for b in blocks])
    return [p.view(b.shape) for p, b in zip(joint.split([b.numel() for b in blocks]), blocks)]


def _block(o: Tensor, t: Tensor, parts: list, dim: int) -> Tensor:
    """d o / d t, shaped ``o.shape + t.shape``, from its rows (``dim`` 0) or columns (-1)."""
    if not parts:
        return zeros(tuple(o.shape) + tuple(t.shape), dtype=t.dtype, device=t.device)
    return stack(parts, dim=dim).reshape((*o.shape, *t.shape))


def _forward_columns(func, args, kwargs, argnums, tracked: list, has_aux: bool) -> list:
    """For each tracked input, the output tangents along each of its elements, in forward
    mode (``columns[j][k][q]``: output ``q`` moved by element ``k`` of input ``j``)."""
    nums = _argnums(argnums, len(args))
    columns = []
    for j, t in enumerate(tracked):
        basis = eye(t.numel(), dtype=t.dtype, device=t.device)
        cols = []
        for k in range(t.numel()):
            tangents = [zeros_like(x) for x in tracked]
            tangents[j] = basis[k].reshape(t.shape)
            cols.append(forward_tangents(func, args, kwargs, nums, tangents, has_aux))
        columns.append(cols)
    return columns


def jacrev(func: Callable, argnums=0, *, has_aux: bool = False, chunk_size=None) -> Callable:
    """Mirrors ``torch.func.jacrev``: a function returning the Jacobian of ``func`` w.r.t.
    the arguments at ``argnums``, shaped ``output.shape + input.shape``, one reverse pass per
    output element (``chunk_size`` is checked and changes nothing)."""
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    return _jacobian(func, argnums, has_aux, forward=False)


def jacfwd(func: Callable, argnums=0, has_aux: bool = False, *, randomness: str = "error"):
    """Mirrors ``torch.func.jacfwd``: the same Jacobian as ``jacrev`` (computed in reverse
    mode as every transform here is), in the outputs' dtypes as forward mode gives it."""
    return _jacobian(func, argnums, has_aux, forward=True, randomness=randomness)


def hessian(func: Callable, argnums=0) -> Callable:
    """Mirrors ``torch.func.hessian``: ``jacfwd(jacrev(func, argnums), argnums)``."""
    return jacfwd(jacrev(func, argnums), argnums)


def functionalize(func: Callable, *, remove: str = "mutations") -> Callable:
    """Mirrors ``torch.func.functionalize``: ``func`` itself (minitorch runs in-place ops
    eagerly, with the same results, and has no compiler that would need them removed)."""
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(
            "functionalize(f, remove='mutations'): received invalid argument for remove="
            f"{remove}. Valid options are:\n     remove='mutations': all inplace and out= "
            "operators will be removed from the program, and replaced with their out-of-place "
            "equivalents.\n     remove='mutations_and_views': In addition to the above, all "
            "aliasing operators {view} will be replaced with their non-aliasing counterparts, "
            "{view}_copy.\n"
        )
    return func
