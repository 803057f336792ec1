"""embedding(indices, W): rows of W, with PyTorch's padding_idx (that row gets no gradient)
and scale_grad_by_freq. The gradient is one scatter-add of the output gradient's rows."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..backends import check_index, on_host, ufunc_at
from .elementwise import where
from .index import IndexAdd
from .inplace import bump_version


class Embedding(Op):
    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.args = (weight.shape, padding_idx, scale_grad_by_freq)
        ctx.save_for_backward(indices)  # as PyTorch: a second backward raises once it is freed
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, g):
        shape, padding_idx, by_freq = ctx.args
        flat = ctx.saved_tensors[0]._data.reshape(-1)
        g2 = g.reshape(flat.shape[0], shape[1])
        scale = None
        if padding_idx is not None:
            scale = (flat != padding_idx).astype(g2._data.dtype)
        if by_freq:  # counted by a scatter: cupy's bincount reads the indices' range back
            counts = np.zeros_like(flat, shape=shape[0])
            ufunc_at("add", counts, flat, 1)
            counts = counts[flat].astype(g2._data.dtype)
            scale = 1 / counts if scale is None else scale / counts
        if scale is not None:
            g2 = g2 * make_tensor(scale[:, None])
        zeros = make_tensor(np.zeros_like(g2._data, shape=shape))
        return IndexAdd.apply(zeros, 0, flat, g2), None, None, None


def check_indices(input, op: str) -> None:
    """PyTorch's refusal of indices that are not integers, naming the checking ``op``."""
    dtype = input._data.dtype if isinstance(input, Tensor) else np.asarray(input).dtype
    if dtype.kind not in "iu":
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {input.type() if isinstance(input, Tensor) else dtype} "
            f"instead (while checking arguments for {op})"
        )


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.embedding``: ``weight[input]``. With ``max_norm``, the
    looked-up rows of ``weight`` are first renormalised in place, as in PyTorch."""
    if weight.ndim != 2:
        raise RuntimeError(
            f"embedding: 'weight' must be 2-D, got weight of size {list(weight.shape)}"
        )
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported; use sparse=False")
    idx = input._data if isinstance(input, Tensor) else np.asarray(input)
    check_indices(input, "embedding")
    n = weight._data.shape[0]
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= n
    if max_norm is not None and on_host(idx):  # PyTorch's renorm selects the rows first
        outside = idx[(idx < -n) | (idx >= n)]
        if outside.size:
            raise IndexError(
                f"select(): index {int(outside.min())} out of range for tensor of size "
                f"{list(weight.shape)} at dimension 0"
            )
    message = (
        f"index out of range in self: index {{}} is out of range for {n} embeddings (0..{n - 1})"
    )
    bad = check_index(idx, n, lambda i: IndexError(message.format(i)))
    if bad is not None:  # on a device: out-of-range indices give NaN rows (no host check)
        idx = np.where(bad, 0, idx)
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    out = Embedding.apply(weight, idx, padding_idx, scale_grad_by_freq)
    return out if bad is None else where(make_tensor(bad[..., None]), np.nan, out)


def _renorm_rows(weight: Tensor, idx, max_norm: float, norm_type: float) -> None:
    """Mirrors ``torch.embedding_renorm_``: rows used by ``idx`` with norm above
    ``max_norm`` are scaled down to it, in place and outside autograd."""
    w = weight._data
    rows = np.unique(idx)
    norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
    norms = norms.astype(w.dtype).astype(np.float64)  # PyTorch's norm is a tensor of w's dtype
    big = norms > max_norm
    scale = (max_norm / (norms[big] + 1e-7)).astype(w.dtype)
    w[rows[big]] *= scale[:, None]
    bump_version(weight)
