"""The connectionist temporal classification loss (mirrors ``torch.nn.functional.ctc_loss``;
``minitorch.nn.functional`` re-exports it): the forward (alpha) recursion over the
blank-interleaved targets in log space, batched over samples, one step per time frame,
composed of differentiable ops so the gradient is autograd's (plus PyTorch's exp(log_probs)
term)."""

from __future__ import annotations

import numpy as np

from .. import ops
from .._tensor import Tensor, make_tensor
from ..backends import to_backend
from ..ops.loss import _check_reduction

__all__ = ["ctc_loss"]

_FAR = -1e30  # log(0) stand-in: exp() of it is 0 and its gradients stay finite


def _lengths(v, n: int, what: str) -> np.ndarray:
    a = np.asarray(v.cpu()._data if isinstance(v, Tensor) else v, dtype=np.int64).reshape(-1)
    if a.shape != (n,):
        raise RuntimeError(f"ctc_loss: expected {what} to have {n} entries, got {a.shape[0]}")
    return a


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths,
    target_lengths,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.ctc_loss``: log_probs (T, N, C) (or (T, C)), targets
    (N, S) padded or 1-D concatenated; 'mean' averages loss / target length over the
    batch. An impossible alignment costs inf (0 with ``zero_infinity``)."""
    _check_reduction(reduction)
    unbatched = log_probs.ndim == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    T, N, C = lp.shape
    in_len = _lengths(input_lengths, N, "input_lengths")
    tg_len = _lengths(target_lengths, N, "target_lengths")
    if (in_len > T).any():
        raise RuntimeError(f"ctc_loss: input_lengths must be at most {T}, got {in_len.tolist()}")
    tg = np.asarray(targets.cpu()._data, dtype=np.int64)
    if unbatched or tg.ndim == 1:  # concatenated targets
        starts = np.concatenate([[0], np.cumsum(tg_len)[:-1]])
        rows = [tg.reshape(-1)[s : s + n] for s, n in zip(starts, tg_len)]
    else:
        rows = [tg[i, :n] for i, n in enumerate(tg_len)]
    L = 2 * int(tg_len.max(initial=0)) + 1
    ext = np.full((N, L), blank, np.int64)  # blank, l1, blank, l2, ..., blank
    for i, row in enumerate(rows):
        ext[i, 1 : 2 * len(row) : 2] = row
    skip = np.zeros((N, L), bool)  # s may come from s - 2: a label unlike the one before
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    like = lp._data
    const = lambda a: make_tensor(to_backend(a, like))  # noqa: E731
    far = const(np.full((N, L), _FAR, like.dtype))
    index = const(ext)
    alpha = ops.where(const(np.arange(L) < 2), lp[0].gather(1, index), far)
    skip_t, pad = const(skip), const(np.full((N, 1), _FAR, like.dtype))
    for t in range(1, T):
        prev1 = ops.cat([pad, alpha[:, :-1]], 1)
        prev2 = ops.where(skip_t, ops.cat([pad, pad, alpha[:, :-2]], 1), far)
        m = ops.maximum(ops.maximum(alpha, prev1), prev2).detach()
        total = (alpha - m).exp() + (prev1 - m).exp() + (prev2 - m).exp()
        step = m + total.log() + lp[t].gather(1, index)
        alpha = ops.where(const((t < in_len)[:, None]), step, alpha)
    last = const(2 * tg_len[:, None])
    end = alpha.gather(1, last).squeeze(1)
    before = alpha.gather(1, const(np.maximum(2 * tg_len - 1, 0)[:, None])).squeeze(1)
    before = ops.where(const(tg_len > 0), before, const(np.full(N, _FAR, like.dtype)))
    m = ops.maximum(end, before).detach()
    loss = -(m + ((end - m).exp() + (before - m).exp()).log())
    # PyTorch's gradient w.r.t. log_probs is exp(log_probs) - occupancy (the gradient w.r.t.
    # the logits of a log_softmax in front): add exp(log_probs) over each input's frames,
    # with value 0.
    frames = const((np.arange(T)[:, None] < in_len)[..., None].astype(like.dtype))
    mass = (lp.exp() * frames).sum((0, 2))
    loss = loss + (mass - mass.detach())
    impossible = loss._data > -_FAR / 2
    if impossible.any():  # inf (and non-finite gradients, as PyTorch's), or 0 and no gradient
        factor = np.where(impossible, 0 if zero_infinity else np.inf, 1).astype(like.dtype)
        loss = loss * const(factor)
    if unbatched:
        loss = loss.squeeze(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return (loss / const(np.maximum(tg_len, 1).astype(like.dtype)).reshape(loss.shape)).mean()
    return loss
