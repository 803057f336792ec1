"""Products beyond matmul: einsum (one differentiable op), tensordot, kron, cross,
addmm/addmv/baddbmm (beta * input + alpha * product), cdist."""

from __future__ import annotations

import math
import string

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import (
    cast_dtype,
    float32_function,
    lower_precision_function,
    will_cast,
)
from ..autograd.function import Op, name_node
from ..backends import device_of, get_backend, to_backend
from ..backends.numpy_backend import astype
from .elementwise import const, slope, unbroadcast, where
from .linalg import bmm, matmul, mm, mv
from .predicates import result_type
from .reduce import norm, sum_array, wrap_dim
from .shape import UnsafeView, broadcast_tensors, expand


# ---- einsum --------------------------------------------------------------------------------
class Einsum(Op):
    """np.einsum (optimize=True) of explicit subscripts ``ins -> out``. The gradient of
    each operand is again one einsum, of the output gradient and the other operands, so
    every order of gradient exists."""

    @staticmethod
    def forward(ctx, ins, out, *arrays):
        ctx.spec = (ins, out, tuple(a.shape for a in arrays))
        if len(arrays) > 1:  # an operand's gradient reads the others, which PyTorch saves
            ctx.save_for_backward(*arrays)
        spec = ",".join(ins) + "->" + out
        summed = len(arrays) > 1 or set(ins[0]) - set(out)  # else a view (permute, diagonal)
        if summed and arrays[0].dtype in _dtypes.HALF_NP:  # float32 sums, one rounding
            wide = [a.astype(np.float32) for a in arrays]
            return np.einsum(spec, *wide, optimize=True).astype(arrays[0].dtype, order="C")
        result = np.einsum(spec, *arrays, optimize=True)
        if len(arrays) == 1 or result.flags.c_contiguous:
            return result  # one operand: a view, as PyTorch's permutation/diagonal
        # PyTorch's product ends in a contiguous bmm result (in the usual equations); the
        # layout is the order random fills and dropout of the result draw in
        return result.copy(order="C")

    @staticmethod
    def backward(ctx, g):
        ins, out, shapes = ctx.spec
        operands = ctx.saved_tensors  # none for one operand (its gradient needs its shape only)
        grads = [None, None]
        for i, need in enumerate(ctx.needs_input_grad[2:]):
            grads.append(_operand_grad(ins, out, i, g, operands, shapes[i]) if need else None)
        return tuple(grads)


def _operand_grad(ins: tuple, out: str, i: int, g: Tensor, operands: tuple, shape) -> Tensor:
    """d loss / d operand i (of ``shape``): einsum of g (subscripts ``out``) with the other
    operands. A letter repeated in operand i (a diagonal) gets a fresh letter tied to it by
    an identity matrix; a letter only operand i has (summed in forward) is broadcast back."""
    sub = ins[i]
    fresh = iter(c for c in string.ascii_letters if c not in "".join(ins) + out)
    terms, tensors = [out], [g]
    for j, (s, t) in enumerate(zip(ins, operands)):
        if j != i:
            terms.append(s)
            tensors.append(t)
    target = []
    for k, c in enumerate(sub):
        if c in sub[:k]:
            f = next(fresh)
            terms.append(c + f)
            eye = np.eye(shape[k], dtype=g._data.dtype)
            tensors.append(make_tensor(to_backend(eye, g._data)))
            target.append(f)
        else:
            target.append(c)
    available = set("".join(terms))
    kept = "".join(c for c in target if c in available)
    grad = Einsum.apply(tuple(terms), kept, *tensors)
    if len(kept) < len(target):
        grad = grad.reshape([n if c in available else 1 for c, n in zip(target, shape)])
        grad = grad.expand(tuple(shape))
    return grad


def _parse(equation: str, operands: tuple) -> tuple:
    """Explicit subscripts (``...`` spelled out with fresh letters, right-aligned; the
    implicit output made explicit), checked against the operands' shapes."""
    arrow_at = equation.find("->")
    lhs_end = arrow_at if arrow_at >= 0 else len(equation)
    for k, c in enumerate(equation):
        legal = c in string.ascii_letters or c in " ." or (c == "," and k < lhs_end)
        if not legal and k not in (lhs_end, lhs_end + 1):  # the first '->'
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {k} in the equation string, "
                "subscripts must be in [a-zA-Z]"
            )
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(operands):
        more = "more" if len(ins) < len(operands) else "fewer"
        raise RuntimeError(
            f"einsum(): {more} operands were provided than specified in the equation"
        )
    for i, part in enumerate(ins):
        _check_ellipsis(part, f"operand {i}", "for which an ellipsis was already found", "")
    _check_ellipsis(out, "output", "but an ellipsis (...) was already found", " (...)")
    letters = set(eq) & set(string.ascii_letters)
    spare = [c for c in string.ascii_letters if c not in letters]
    ell = 0
    for i, (s, t) in enumerate(zip(ins, operands)):
        named = len(s.replace("...", ""))
        n = t._data.ndim
        if "..." not in s and named != n:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) does not match "
                f"the number of dimensions ({n}) for operand {i} and no ellipsis was given"
            )
        if named > n:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) is more than "
                f"the number of dimensions ({n}) for operand {i}"
            )
        if "..." in s:
            ell = max(ell, n - named)
    ell_letters = "".join(spare[:ell])
    ins = [
        s.replace("...", ell_letters[ell - (t._data.ndim - len(s) + 3) :]) if "..." in s else s
        for s, t in zip(ins, operands)
    ]
    for i, (s, t) in enumerate(zip(ins, operands)):
        for k, c in enumerate(s):
            first = s.index(c)
            if t._data.shape[k] != t._data.shape[first]:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {i} but the sizes don't "
                    f"match, {t._data.shape[k]} != {t._data.shape[first]}"
                )
    if not arrow:
        counts = "".join(ins)
        out = ell_letters + "".join(
            sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell_letters)
        )
    else:
        out = out.replace("...", ell_letters)
        for k, c in enumerate(out):
            if c in out[:k]:
                raise RuntimeError(
                    f"einsum(): output subscript {c} appears more than once in the output"
                )
            if c not in "".join(ins):
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any "
                    "input operand"
                )
    return ins, out


def _check_ellipsis(part: str, who: str, again: str, dots: str) -> None:
    """PyTorch's errors for a '.' of ``part`` outside one '...'."""
    k, found = part.find("."), False
    while k >= 0:
        if found:
            raise RuntimeError(f"einsum(): found '.' for {who} {again}")
        if part[k : k + 3] != "...":
            raise RuntimeError(
                f"einsum(): found '.' for {who} that is not part of any ellipsis{dots}"
            )
        k, found = part.find(".", k + 3), True


def _broadcast(ins: list, operands: list) -> tuple:
    """Drops each size-1 dim whose letter has a larger size in another operand (PyTorch's
    einsum broadcasts them), so numpy sees equal sizes."""
    size = {}
    for i, (s, t) in enumerate(zip(ins, operands)):
        for c, n in zip(s, t._data.shape):
            if n != 1:
                if size.setdefault(c, n) != n:
                    raise RuntimeError(
                        f"einsum(): subscript {c} has size {n} for operand {i} which does not "
                        f"broadcast with previously seen size {size[c]}"
                    )
    for i, (s, t) in enumerate(zip(ins, operands)):
        drop = [k for k, c in enumerate(s) if t._data.shape[k] == 1 and size.get(c, 1) != 1]
        drop = [k for k in drop if s.count(s[k]) == 1]
        if drop:
            ins[i] = "".join(c for k, c in enumerate(s) if k not in drop)
            operands[i] = t.reshape([n for k, n in enumerate(t._data.shape) if k not in drop])
    return ins, operands


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _from_sublists(args: tuple) -> tuple:
    """The equation and operands of the sublist form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``."""
    out = args[-1] if len(args) % 2 else None
    pairs = args[:-1] if out is not None else args

    def letters(sub) -> str:
        if any(s is not Ellipsis and not 0 <= s < len(_LETTERS) for s in sub):
            raise ValueError(
                "einsum(): subscript in subscript list is not within the valid range [0, 52)"
            )
        return "".join("..." if s is Ellipsis else _LETTERS[s] for s in sub)

    equation = ",".join(letters(s) for s in pairs[1::2])
    if out is not None:
        equation += "->" + letters(out)
    return equation, tuple(pairs[0::2])


_EINSUM = "ops.products.Einsum"  # its name in autocast's policy tables


def einsum(equation: str, *operands) -> Tensor:
    """Mirrors ``torch.einsum``: the sum of products given by ``equation`` (letters,
    ``...``, implicit or explicit ``->`` output); size-1 dims broadcast. Operands may also
    be given as one list, or in the sublist form (operand, [dims], ..., [output dims])."""
    if not isinstance(equation, str):
        equation, operands = _from_sublists((equation, *operands))
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    dtype = operands[0]._data.dtype
    if any(t._data.dtype != dtype for t in operands) and not will_cast(_EINSUM, *operands):
        dtypes = [cast_dtype(_EINSUM, t) for t in operands]  # as autocast gives them to bmm
        other = next(d for d in dtypes if d != dtypes[0])
        names = (_dtypes.scalar_type_name(dtypes[0]), _dtypes.scalar_type_name(other))
        raise RuntimeError("expected scalar type {} but found {}".format(*names))
    ins, out = _parse(equation, operands)
    if dtype.kind == "b" and any(set(a) & set(b) - set(out) for i, a in enumerate(ins) for b in ins[i + 1 :]):  # fmt: skip
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")  # a contraction
    ins, operands = _broadcast(ins, list(operands))
    if dtype.kind in "biu" and any(
        set(s) - set(out) - set("".join(ins[:i] + ins[i + 1 :])) for i, s in enumerate(ins)
    ):
        operands = [t.long() for t in operands]  # PyTorch first sums such a letter: in int64
    return name_node(Einsum.apply(tuple(ins), out, *operands), _einsum_node_name(ins, out))


def _einsum_node_name(ins, out) -> str:
    """The grad_fn PyTorch's einsum ends in: a permutation or a sum for one operand, a
    product when nothing is summed, else the view after its batched matrix product."""
    summed = set().union(*map(set, ins)) - set(out)
    if len(ins) == 1:
        return "SumBackward1" if summed else "PermuteBackward0"
    return "ViewBackward0" if summed else "MulBackward0"


# ---- tensordot, kron, cross ----------------------------------------------------------------
def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Mirrors ``torch.tensordot``: contracts the last ``dims`` dims of ``a`` with the first
    ``dims`` of ``b``, or the dims listed in ``dims = (dims_a, dims_b)``."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a._data.ndim, b._data.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    sa, sb = a._data.shape, b._data.shape
    wrapped_a = [wrap_dim(d, len(sa)) for d in da]
    wrapped_b = [wrap_dim(d, len(sb)) for d in db]
    for x, y, i, j in zip(da, db, wrapped_a, wrapped_b):  # PyTorch names the dims as given
        if sb[j] == 1:  # a size-1 dim broadcasts: the other side is summed over it at once
            a = a.sum(i, keepdim=True, dtype=a.dtype) if sa[i] != 1 else a
        elif sa[i] == 1:
            b = b.sum(j, keepdim=True, dtype=b.dtype)
        elif sa[i] != sb[j]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {sa[i]} in dim {x} "
                f"and second has size {sb[j]} in dim {y}"
            )
    sa, sb = a._data.shape, b._data.shape
    da, db = wrapped_a, wrapped_b
    free_a = [d for d in range(len(sa)) if d not in da]
    free_b = [d for d in range(len(sb)) if d not in db]
    out_a, out_b = [sa[d] for d in free_a], [sb[d] for d in free_b]
    k = math.prod(sa[d] for d in da)
    left = a.permute((*free_a, *da)).reshape(math.prod(out_a), k)  # no -1: k may be 0
    right = b.permute((*db, *free_b)).reshape(k, math.prod(out_b))
    return mm(left, right).reshape(out_a + out_b)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.kron``: the Kronecker product (blocks input[i] * other)."""
    n = max(input._data.ndim, other._data.ndim)
    sa = (1,) * (n - input._data.ndim) + input._data.shape
    sb = (1,) * (n - other._data.ndim) + other._data.shape
    a = UnsafeView.apply(input, tuple(x for s in sa for x in (s, 1)))
    b = UnsafeView.apply(other, tuple(x for s in sb for x in (1, s)))
    return UnsafeView.apply(a * b, tuple(x * y for x, y in zip(sa, sb)))


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """Mirrors ``torch.cross``: the cross product of 3-vectors along ``dim`` (the first dim
    of size 3 when None), broadcasting the other dims."""
    if dim is None:  # input's first dim of size 3 (first of all, as PyTorch)
        dim = next((i for i, n in enumerate(input._data.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input._data.dtype != other._data.dtype:
        names = (_dtypes.scalar_type_name(input._data.dtype), _dtypes.scalar_type_name(other._data.dtype))  # fmt: skip
        raise RuntimeError("expected scalar type {} but found {}".format(*names))
    _cross_sizes(input, other, dim)  # (also before broadcasting)
    a, b = broadcast_tensors(input, other)
    return LinalgCross.apply(a, b, wrap_dim(dim, a._data.ndim))


def _cross_sizes(input: Tensor, other: Tensor, dim: int) -> None:
    d = wrap_dim(dim, input._data.ndim)
    sizes = (input._data.shape[d], other._data.shape[d])  # both: no broadcasting along dim
    if sizes != (3, 3):
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {sizes[0]} and {sizes[1]}"
        )


class LinalgCross(Op):
    """a x b along ``dim`` (both of its broadcast shape) as one node, as PyTorch's:
    d(a x b) . g is (b x g) . da + (g x a) . db."""

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.save_for_backward(a, b)
        ctx.dim = dim
        return np.cross(a, b, axis=dim)  # a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb, _ = ctx.needs_input_grad
        ga = LinalgCross.apply(b, g, ctx.dim) if na else None
        return ga, LinalgCross.apply(g, a, ctx.dim) if nb else None, None


# ---- beta * input + alpha * product ----------------------------------------------------------
class AddProduct(Op):
    """beta * input + alpha * product(m1, m2), one node with three edges as PyTorch's
    (AddmmBackward0...). ``kind``: "mm" (mm, mv, bmm: a matmul), "addbmm" (the bmm summed
    over the batch) or "outer" (addr). ``input`` is ignored (NaNs included) when beta is
    0, but gets a zero gradient."""

    @staticmethod
    def forward(ctx, input, m1, m2, beta, alpha, kind):
        if kind != "outer" and m1.dtype in _dtypes.HALF_NP:
            ctx.save_for_backward(m1, m2)
            ctx.args = (input.shape, beta, alpha, kind)
            return _half_scaled_sum(input, m1, m2, beta, alpha, kind == "addbmm")
        scale = alpha
        if kind == "outer":
            if alpha != 1 and m1.dtype in _dtypes.HALF_NP:  # PyTorch's kernel: (alpha v1) v2,
                # alpha (and beta) in the 16-bit dtype, each step rounded
                product, scale = np.multiply.outer(m1 * m1.dtype.type(alpha), m2), 1
            else:
                product = np.multiply.outer(m1, m2)
        else:
            product = np.matmul(m1, m2) if m1.dtype not in _dtypes.HALF_NP else _half_matmul(m1, m2)
            if kind == "addbmm":
                product = astype(sum_array(product, (0,)), product.dtype)  # not int64
        if input.dtype.kind in "fV" and product.dtype.kind not in "fV":  # addr of integer vectors
            product = astype(product, input.dtype)
        ctx.save_for_backward(m1, m2)
        ctx.args = (input.shape, beta, alpha, kind)
        if scale != 1:
            product = product * scale
        if beta == 0:
            return product
        if beta != 1 and input.dtype in _dtypes.HALF_NP:
            beta = input.dtype.type(beta)  # bfloat16 times a Python float would give float32
        return product + (input if beta == 1 else input * beta)

    @staticmethod
    def backward(ctx, g):
        m1, m2 = ctx.saved_tensors
        shape, beta, alpha, kind = ctx.args
        ni, n1, n2 = ctx.needs_input_grad[:3]
        gi = unbroadcast(g * beta if beta != 1 else g, shape) if ni else None
        if alpha != 1:
            g = g * alpha
        if kind == "outer":
            return gi, g @ m2 if n1 else None, g.mT @ m1 if n2 else None, None, None, None
        if kind == "addbmm":
            g = g.expand(m1.shape[0], *g.shape)
        col = m2.unsqueeze(0) if m2.ndim == 1 else m2.mT  # addmv: the gradient of mat is outer
        g1 = (g.unsqueeze(-1) if m2.ndim == 1 else g) @ col if n1 else None
        g2 = m1.mT @ g if n2 else None
        return gi, g1, g2, None, None, None


def _half_scaled_sum(input, m1, m2, beta, alpha, batch_sum: bool):
    """AddProduct of 16-bit floats as PyTorch's CPU kernels round it: the products in
    float32, ``beta * input + alpha * product`` rounded once (addbmm: once per batch
    matrix, as its loop of addmm_ calls does)."""
    products = get_backend(device_of(m1)).matmul(m1, m2, dtype=np.float32)
    out = input.astype(np.float32) * np.float32(beta) if beta != 0 else np.float32(0)
    for product in products if batch_sum else (products,):
        out = (out + product * np.float32(alpha)).astype(m1.dtype)
        out = out.astype(np.float32) if batch_sum else out
    return out.astype(m1.dtype, copy=False)


def _half_matmul(m1, m2):
    """numpy has no fast float16 product: the backend picks the kernel (as linalg.MatMul)."""
    return get_backend(device_of(m1)).matmul(m1, m2)


def _scaled_sum(name: str, input: Tensor, m1: Tensor, m2: Tensor, beta, alpha) -> Tensor:
    """beta * input + alpha * product(m1, m2) (see AddProduct), named as PyTorch's node."""
    kind = {"addbmm": "addbmm", "addr": "outer"}.get(name, "mm")
    a1, a2 = m1._data, m2._data
    if kind == "outer":
        shape = a1.shape + a2.shape
    elif kind == "addbmm":
        shape = a1.shape[1:2] + a2.shape[2:]
    else:
        shape = a1.shape[:-1] + a2.shape[-1:] if a2.ndim > 1 else a1.shape[:-1]
    try:
        fits = np.broadcast_shapes(input._data.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        expand(input, tuple(shape))  # raises PyTorch's error: input is expanded to the product
    boolean = np.result_type(input._data.dtype, a1.dtype, a2.dtype) == np.bool_
    for arg, value in (("beta", beta), ("alpha", alpha)):
        if name == "addr" and isinstance(value, bool) and not boolean:
            raise RuntimeError(f"Boolean {arg} only supported for Boolean results.")
    if kind == "outer" and boolean:
        # PyTorch's bool addr: (beta and input) or (alpha and outer(vec1, vec2))
        outer = np.logical_and(np.logical_and(a1[:, None], a2), bool(alpha))
        return make_tensor(np.logical_or(outer, np.logical_and(input._data, bool(beta))))
    if np.result_type(input._data.dtype, a1.dtype).kind in "iu":
        for arg, value in (("beta", beta), ("alpha", alpha)):
            if name == "addr" and isinstance(value, float):
                raise RuntimeError(
                    f"For integral input tensors, argument {arg} must not be a floating point number."
                )
        beta, alpha = int(beta), int(alpha)  # the add*-family truncates them to integral inputs
    if kind == "outer" and not input.dtype == m1.dtype == m2.dtype:
        # PyTorch's promotion of the three (an integer vector does not lift float32)
        dtype = _dtypes.result_type([input.dtype, m1.dtype, m2.dtype], [], [])
        input, m1, m2 = input.to(dtype), m1.to(dtype), m2.to(dtype)
    out = AddProduct.apply(input, m1, m2, beta, alpha, kind)
    return name_node(out, name.capitalize() + "Backward0")  # PyTorch's AddmmBackward0...


_PRODUCT_NDIMS = {mm: (2, 2), mv: (2, 1), bmm: (3, 3)}


def _check_product(fn, m1: Tensor, m2: Tensor) -> None:
    """Raises the error of ``fn`` (mm, mv, bmm) for factors it does not take (run only then)."""
    a, b = m1._data, m2._data
    inner = b.shape[-2] if b.ndim > 1 else b.shape[0] if b.ndim else None
    fits = (a.ndim, b.ndim) == _PRODUCT_NDIMS[fn] and a.shape[-1] == inner
    if not fits or a.shape[:-2] != b.shape[:-2] or a.dtype != b.dtype or a.dtype == np.bool_:
        fn(m1.detach(), m2.detach())


def _check_dtypes(name: str, input: Tensor, m1: Tensor, m2: Tensor) -> None:
    """PyTorch's error for beta * input + alpha * (m1 @ m2) of mixed dtypes."""
    dtypes = (input._data.dtype, m1._data.dtype, m2._data.dtype)
    if dtypes[0] == dtypes[1] == dtypes[2]:
        return
    names = [_dtypes.scalar_type_name(d) for d in dtypes]
    if name == "addmv":
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got {}, {}, and {}".format(*names)
        )
    if name == "baddbmm":
        if dtypes[0] == dtypes[1]:
            return  # PyTorch's bmm kernel reports batch2's dtype
        names = [_dtypes.CPP_NAMES[d.name][0] for d in dtypes]
        raise RuntimeError(
            "Input dtypes must be the same, got: input {}, batch1: {}, batch2: {}".format(*names)
        )
    if dtypes[0] != dtypes[2]:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {names[0]} and {names[2]}"
        )
    raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {names[1]} and {names[2]}")


@lower_precision_function
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """Mirrors ``torch.addmm``: beta * input + alpha * (mat1 @ mat2)."""
    _check_dtypes("addmm", input, mat1, mat2)
    _check_product(mm, mat1, mat2)
    return _scaled_sum("addmm", input, mat1, mat2, beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """Mirrors ``torch.addmv``: beta * input + alpha * (mat @ vec)."""
    _check_dtypes("addmv", input, mat, vec)
    dims = (input._data.ndim, mat._data.ndim, vec._data.ndim)
    if dims[0] > 1 or dims[1:] != (2, 1):
        raise RuntimeError("vector + matrix @ vector expected, got {}, {}, {}".format(*dims))
    if dims[0] and input._data.shape[0] not in (1, mat._data.shape[0]):
        raise RuntimeError(
            f"size mismatch, got input ({input._data.shape[0]}), mat "
            f"({mat._data.shape[0]}x{mat._data.shape[1]}), vec ({vec._data.shape[0]})"
        )
    _check_product(mv, mat, vec)
    return _scaled_sum("addmv", input, mat, vec, beta, alpha)


@lower_precision_function
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """Mirrors ``torch.baddbmm``: beta * input + alpha * (batch1 @ batch2), batched."""
    _check_dtypes("baddbmm", input, batch1, batch2)
    if batch1._data.dtype == np.bool_:
        raise NotImplementedError("\"baddbmm\" not implemented for 'Bool'")
    _check_product(bmm, batch1, batch2)
    return _scaled_sum("baddbmm", input, batch1, batch2, beta, alpha)


@lower_precision_function
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """Mirrors ``torch.addbmm``: beta * input + alpha * the sum over the batch of
    batch1[i] @ batch2[i]."""
    _check_dtypes("addbmm", input, batch1, batch2)
    if batch1._data.ndim == batch2._data.ndim == 3:  # addbmm's own checks, before bmm's
        (b1, n1, k1), (b2, k2, n2) = batch1._data.shape, batch2._data.shape
        if b1 != b2:
            raise RuntimeError(
                f"batch1 and batch2 must have same number of batches, got {b1} and {b2}"
            )
        if k1 != k2:
            raise RuntimeError(f"Incompatible matrix sizes for bmm ({n1}x{k1} and {k2}x{n2})")
    if batch1._data.dtype == np.bool_:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    _check_product(bmm, batch1, batch2)
    return _scaled_sum("addbmm", input, batch1, batch2, beta, alpha)


# ---- distances -------------------------------------------------------------------------------
@float32_function
def cdist(
    x1: Tensor,
    x2: Tensor,
    p: float = 2.0,
    compute_mode: str = "use_mm_for_euclid_dist_if_necessary",
) -> Tensor:
    """Mirrors ``torch.cdist``: the p-norm distance between each row of ``x1`` (..., P, M)
    and each row of ``x2`` (..., R, M), batch dims broadcast. For p = 2 with more than 25
    rows (or ``compute_mode='use_mm_for_euclid_dist'``) it uses |a|^2 - 2 a.b + |b|^2 and
    one matrix product, as PyTorch does; the gradient is 0 at zero distance."""
    if x1._data.ndim < 2 or x2._data.ndim < 2:
        raise RuntimeError(
            f"cdist only supports at least 2D tensors, X1 got: {x1._data.ndim}D, X2 got: "
            f"{x2._data.ndim}D"
        )
    for label, x in (("X1", x1), ("X2", x2)):
        if x._data.dtype.kind not in "fV":
            name = _dtypes.scalar_type_name(x._data.dtype)
            raise RuntimeError(f"cdist only supports floating-point dtypes, {label} got: {name}")
    if x1._data.dtype != x2._data.dtype:
        names = (_dtypes.scalar_type_name(x._data.dtype) for x in (x1, x2))
        raise RuntimeError("expected scalar type {} but found {}".format(*names))
    if x1._data.shape[-1] != x2._data.shape[-1]:
        raise RuntimeError(
            "X1 and X2 must have the same number of columns. X1: "
            f"{x1._data.shape[-1]} X2: {x2._data.shape[-1]}"
        )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    modes = (
        "use_mm_for_euclid_dist_if_necessary",
        "use_mm_for_euclid_dist",
        "donot_use_mm_for_euclid_dist",
    )
    if compute_mode not in modes:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    rows = max(x1._data.shape[-2], x2._data.shape[-2])
    use_mm = compute_mode == "use_mm_for_euclid_dist" or (compute_mode == modes[0] and rows > 25)
    if p == 2 and use_mm:
        sq = (
            (x1 * x1).sum(-1, keepdim=True)
            - matmul(x1 * 2.0, x2.mT)
            + (x2 * x2).sum(-1, keepdim=True).mT
        )
        positive = const(sq._data > 0)
        return where(positive, where(positive, sq, 1.0).sqrt(), 0.0)
    return name_node(_distance(x1.unsqueeze(-2) - x2.unsqueeze(-3), p), "CdistBackward0")


def _distance(diff: Tensor, p: float) -> Tensor:
    """cdist/pdist's p-norm over the last dim; for p = 0 with PyTorch's zero gradient (the
    0-norm itself has none)."""
    if p == 0:
        return slope(diff, (diff._data != 0).astype(diff._data.dtype)).sum(-1)
    return norm(diff, p, -1)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """Mirrors ``torch.pdist``: the p-norm distance of each pair of rows i < j of a matrix,
    in row-major order of the pairs."""
    if input._data.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input._data.ndim}D")
    dtype = input._data.dtype
    if dtype.kind not in "fV":
        raise RuntimeError("pdist only supports floating-point dtypes")
    if dtype.itemsize == 2:
        raise NotImplementedError(
            f"\"pdist\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
        )
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input._data.shape[0], 1)
    return name_node(_distance(input[i] - input[j], p), "PdistBackward0")


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """Mirrors ``torch.pairwise_distance``: ||x1 - x2 + eps||_p over the last dimension."""
    shifted = name_node(x1 - x2 + eps, "AddBackward1")  # PyTorch adds eps as a Scalar
    return name_node(shifted.norm(p, -1, keepdim=keepdim), "NormBackward1")


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Mirrors ``torch.cosine_similarity``: as PyTorch, each input is divided by its norm,
    clamped to ``eps`` in value only (the gradient still flows through the unclamped norm)."""
    common = result_type(x1, x2)  # both promoted first (an int8 and a float tensor work)
    if not common.is_floating_point:
        raise RuntimeError(
            "expected common dtype to be floating point, yet common dtype is "
            + _dtypes.scalar_type_name(_dtypes.to_numpy_dtype(common))
        )
    x1, x2 = x1.to(common), x2.to(common)
    if x1.shape != x2.shape:  # the norms are taken over the broadcast inputs
        x1, x2 = broadcast_tensors(x1, x2)
    n1 = x1.norm(dim=dim, keepdim=True)
    n2 = x2.norm(dim=dim, keepdim=True)
    n1 = n1 + (n1.clamp(min=eps) - n1).detach()
    n2 = n2 + (n2.clamp(min=eps) - n2).detach()
    return ((x1 / n1) * (x2 / n2)).sum(dim)
