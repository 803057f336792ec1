"""Matrix products: matmul (1-D, 2-D, batched, broadcast) and its relatives."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..autograd.function import Op, name_node
from ..backends import device_of, get_backend
from .elementwise import OPERANDS, OperandTypeError, lift, unbroadcast
from .index import tensor_arg


def matmul_arrays(a, b, bias=None, scale=None, dtype=None, out=None):
    """``(a @ b) * scale + bias`` (each part optional, in place) in ``dtype`` (default: the
    operands') for ops that multiply raw arrays (conv, linear, attention): float16 goes to
    the backend's kernel, as in MatMul.forward (numpy has no fast float16 product), which
    on the CPU scales and adds in float32 and rounds once, as PyTorch's kernels do. An
    ``out`` array (the product's shape and dtype) receives the product where numpy makes it;
    use the returned array, which is ``out`` only then."""
    if a.dtype in _dtypes.HALF_NP:
        return get_backend(device_of(a)).matmul(a, b, bias, scale, dtype)
    out = np.matmul(a, b, out=out)
    if scale is not None:
        out *= scale
    if bias is not None:
        out += bias
    return out if dtype is None else out.astype(dtype, copy=False)


_MATMUL_NAMES = {
    (2, 2): "MmBackward0",
    (1, 1): "DotBackward0",
    (2, 1): "MvBackward0",
    (1, 2): "SqueezeBackward4",
}  # PyTorch's names; batched products end in an UnsafeView there


def _dtype_mismatch(a, b) -> str:
    """PyTorch's message for a product of mixed dtypes: its words depend on the kernel that the
    dims pick (dot, mv, mm or the batched bmm)."""
    na, nb = (_dtypes.scalar_type_name(x.dtype) for x in (a, b))
    if b.ndim == 1:
        if a.ndim == 1:
            return f"dot : expected both vectors to have same dtype, but found {na} and {nb}"
        return f"addmv input tensors must have the same dtype, but got {nb}, {na}, and {nb}"
    if b.ndim > 2:
        return f"expected scalar type {na} but found {nb}"
    ca, cb = (_dtypes.CPP_NAMES[x.dtype.name][0] for x in (a, b))
    return f"expected m1 and m2 to have the same dtype, but got: {ca} != {cb}"


_BOOL = np.dtype(np.bool_)


class MatMul(Op):
    checks_dtypes = True  # forward raises PyTorch's words for inputs autocast leaves apart
    _saved_for = ((0,), (1,))  # b for a's gradient, a for b's
    _saved_args = (1, 0)

    @staticmethod
    def forward(ctx, a, b):
        ctx.torch_name = _MATMUL_NAMES.get((a.ndim, b.ndim), "UnsafeViewBackward0")
        if a.dtype != b.dtype:  # checked here, after autocast has cast the inputs
            raise RuntimeError(_dtype_mismatch(a, b))
        if a.dtype is _BOOL:  # PyTorch's CPU kernels have no bool loop
            kernel = ("dot" if a.ndim == 1 else "addmv_impl_cpu") if b.ndim == 1 else "addmm_impl_cpu_" if b.ndim == 2 else "bmm"  # fmt: skip
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
        ctx.save_for_backward(b, a)  # PyTorch's order (saved-tensor hooks see it)
        return _product(a, b)

    @staticmethod
    def backward(ctx, g):
        b, a = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        a2 = a.unsqueeze(0) if a.ndim == 1 else a  # vectors act as a row / a column
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        if b.ndim == 1:  # restore the dims the vectors dropped: column first, then row
            g = g.unsqueeze(-1)
        if a.ndim == 1:
            g = g.unsqueeze(-2)
        ga = unbroadcast(g @ b2.mT, a2.shape).reshape(a.shape) if na else None
        if nb and a2.ndim > 2 and b2.ndim == 2:  # one product over the folded batch (as PyTorch)
            gb = (a2.flatten(0, -2).mT @ g.flatten(0, -2)).reshape(b.shape)
        else:
            gb = unbroadcast(a2.mT @ g, b2.shape).reshape(b.shape) if nb else None
        return ga, gb


def _product(a, b):
    """``a @ b`` of arrays. A C-contiguous stack of matrices times one matrix is one product
    of the stack's rows, as PyTorch folds them (one BLAS call, not one per matrix)."""
    if a.ndim > 2 and b.ndim == 2 and a.flags.c_contiguous:
        rows = a.reshape(math.prod(a.shape[:-1]), a.shape[-1])
        return _product(rows, b).reshape(a.shape[:-1] + b.shape[-1:])
    if a.dtype in _dtypes.HALF_NP:  # numpy has no fast 16-bit product: the backend picks one
        return get_backend(device_of(a)).matmul(a, b)
    return np.matmul(a, b)


class MatVec(MatMul):
    """mv: a MatMul that CPU autocast leaves alone (PyTorch's CPU list has no mv)."""


class Dot(MatMul):
    """dot: a MatMul that autocast leaves alone (in none of PyTorch's lists)."""


def _matmul_operand(x, like: Tensor, argument: str) -> Tensor:
    """A device array as a Tensor; a number, list or numpy array is PyTorch's TypeError (an
    OperandTypeError: the ``@`` operators return NotImplemented for it)."""
    try:
        if isinstance(x, OPERANDS):
            raise OperandTypeError
        return lift(x, like)
    except OperandTypeError:
        name = type(x).__name__
        name = f"numpy.{name}" if type(x).__module__ == "numpy" else name
        raise OperandTypeError(
            f"matmul(): argument {argument} must be Tensor, not {name}"
        ) from None


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.matmul``."""
    if not isinstance(input, Tensor):
        input = _matmul_operand(input, other, "'input' (position 1)")
    if not isinstance(other, Tensor):
        other = _matmul_operand(other, input, "'other' (position 2)")
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim > 2 and b.ndim > 2:
        ba, bb = a.shape[:-2], b.shape[:-2]
        for i in range(1, min(len(ba), len(bb)) + 1):
            if 1 != ba[-i] != bb[-i] != 1:
                raise RuntimeError(
                    f"The size of tensor a ({ba[-i]}) must match the size of tensor b ({bb[-i]}) "
                    f"at non-singleton dimension {max(len(ba), len(bb)) - i}; input shapes "
                    f"{list(a.shape)} and {list(b.shape)}"
                )
    k_a = a.shape[-1]
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a != k_b and b.ndim == 1:  # PyTorch's dot and mv kernels report these
        return dot(input, other) if a.ndim == 1 else mv(input.reshape(-1, k_a), other)
    if k_a != k_b and b.ndim == 2:  # PyTorch's mm, of input's rows folded into one matrix
        raise RuntimeError(
            f"matmul: mat1 and mat2 shapes cannot be multiplied ({math.prod(a.shape[:-1])}x{k_a} "
            f"and {k_b}x{b.shape[-1]}); input shapes {list(a.shape)} and {list(b.shape)}"
        )
    if k_a != k_b:  # PyTorch's bmm, of the broadcast batch folded into one dim
        n = math.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]))
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {k_a}] but "
            f"got: [{n}, {k_b}]. (matmul's input shapes {list(a.shape)} and {list(b.shape)})"
        )
    return MatMul.apply(input, other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Mirrors ``torch.mm`` (2-D only)."""
    tensor_arg("mm", "input", 1, input)
    tensor_arg("mm", "mat2", 2, mat2)
    for name, x in (("self", input), ("mat2", mat2)):
        if x._data.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix")
    return matmul(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Mirrors ``torch.bmm`` (3-D only)."""
    tensor_arg("bmm", "input", 1, input)
    tensor_arg("bmm", "mat2", 2, mat2)
    for name, x in (("batch1", input), ("batch2", mat2)):
        if x._data.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor (bmm takes batches of matrices)")
    (b, _, k), (b2, k2, _) = input._data.shape, mat2._data.shape
    if (b2, k2) != (b, k):  # matmul would broadcast a batch of 1
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] "
            f"but got: [{b2}, {k2}]."
        )
    return name_node(matmul(input, mat2), "BmmBackward0")


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Mirrors ``torch.mv``."""
    tensor_arg("mv", "input", 1, input)
    tensor_arg("mv", "vec", 2, vec)
    m, v = input._data, vec._data
    if m.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {m.ndim}, {v.ndim}")
    if m.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({m.shape[0]}), mat ({m.shape[0]}x{m.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    return MatVec.apply(input, vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Mirrors ``torch.dot`` (1-D only)."""
    tensor_arg("dot", "input", 1, input)
    tensor_arg("dot", "tensor", 2, tensor)
    a, b = input._data, tensor._data
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        names = (_dtypes.CPP_NAMES.get(x.dtype.name, ("", x.dtype.name))[1] for x in (a, b))
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found {} and {}".format(*names)
        )
    if a.shape != b.shape:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    return Dot.apply(input, tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Mirrors ``torch.outer`` (of two vectors)."""
    tensor_arg("outer", "input", 1, input)
    tensor_arg("outer", "vec2", 2, vec2)
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return input.reshape(input._data.shape[0], 1) * vec2  # PyTorch's graph: View, then Mul


class Pinv(Op):
    """The pseudo-inverse V diag(1/s) U^T over the singular values s (the |eigenvalues| when
    ``hermitian``) above max(atol, rtol * s_max). Backward is PyTorch's pinv_backward: the
    derivative of the pseudo-inverse from A and A+ alone, whatever the decomposition (so a
    ``hermitian`` input that is not symmetric gets PyTorch's gradient, and so do singular
    matrices)."""

    torch_name = "LinalgPinvBackward0"

    @staticmethod
    def forward(ctx, a, atol, rtol, hermitian):
        if a.size == 0:  # no singular values: the (empty) transposed shape
            out = np.swapaxes(a, -1, -2).copy()
        else:
            if hermitian:
                values, vectors = np.linalg.eigh(a)
                size, left, right = np.abs(values), vectors, np.swapaxes(vectors, -1, -2)
            else:
                u, values, vh = np.linalg.svd(a, full_matrices=False)
                size, left, right = values, np.swapaxes(vh, -1, -2), np.swapaxes(u, -1, -2)
            cutoff = size.max(axis=-1, keepdims=True) * rtol
            if atol is not None:
                cutoff = np.maximum(cutoff, atol)
            keep = size > cutoff
            inverted = np.where(keep, 1 / np.where(keep, values, 1), 0).astype(a.dtype)
            out = left @ (inverted[..., None] * right)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, p = ctx.saved_tensors
        ph, gh = p.mT, g.mT
        if a.shape[-2] <= a.shape[-1]:
            k = gh @ p
            kph = k @ ph
            ga = -(p @ k).mT + kph - (a @ p) @ kph + (ph @ p) @ (gh - k @ a)
        else:
            k = p @ gh
            phk = ph @ k
            ga = -(k @ p).mT + (gh - a @ k) @ p @ ph + phk - phk @ p @ a
        return ga, None, None, None
