"""The connectionist temporal classification loss (mirrors ``torch.nn.functional.ctc_loss``;
``minitorch.nn.functional`` re-exports it): the forward (alpha) recursion over the
blank-interleaved targets in log space, batched over samples, one numpy step per time frame,
and the alpha-beta occupancy as its gradient (plus PyTorch's exp(log_probs) term)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes, ops
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.underivable import Underivable, no_forward_ad
from ..backends import to_backend
from ..ops.loss import _check_reduction

__all__ = ["ctc_loss"]

_FAR = -1e30  # log(0) stand-in: exp() of it is 0 and its gradients stay finite


def _recursion(lpg, skip, live, start):
    """The log-space CTC recursion over frames ``t`` (T, N, L) in the given order: each
    frame's value at s is lpg[t, s] + logsumexp(previous at s, s - 1, and s - 2 where
    ``skip``), with s - 1 / s - 2 taken on a buffer padded with two _FAR columns in front.
    Where ``live[t]`` (N, 1) is False a sample keeps its previous value; where ``start[t]``
    is True a state takes that frame's ``lpg`` (a path starts there). Returns (T, N, L)."""
    T, N, L = lpg.shape
    out = np.full_like(lpg, _FAR, shape=(T, N, L + 2))
    skip_add = np.where(skip, 0, _FAR).astype(lpg.dtype)
    prev = out[0]
    for t in range(T):
        cur, p1, p2 = prev[:, 2:], prev[:, 1:-1], prev[:, :-2] + skip_add
        m = np.maximum(np.maximum(cur, p1), p2)
        total = np.exp(cur - m)
        total += np.exp(p1 - m)
        total += np.exp(p2 - m)
        step = np.log(total, out=total)
        step += m
        step += lpg[t]
        step = np.where(start[t], lpg[t], step)
        out[t, :, 2:] = np.where(live[t], step, cur)
        prev = out[t]
    return out[:, :, 2:]


class _CtcAlpha(Op):
    """log p(targets | log_probs) per sample: the forward (alpha) recursion over the
    blank-interleaved targets ``ext`` (N, L), one numpy step per time frame; backward is the
    alpha-beta occupancy (PyTorch's ctc_loss_backward, which has no gradient of its own:
    differentiating it raises, as does forward AD). A sample's recursion stops at its input
    length (its first frame at least)."""

    @staticmethod
    def forward(ctx, lp, ext, skip, in_len, tg_len):
        ctx.save_for_backward(lp)  # as PyTorch's: the input of a double backward's error node
        T, N, ctx.classes = lp.shape
        L = ext.shape[1]
        lpg = np.take_along_axis(lp, np.broadcast_to(ext[None], (T, N, L)), axis=2)
        frames = np.arange(T)[:, None]
        live = to_backend((frames == 0) | (frames < in_len), lp)[..., None]  # (T, N, 1)
        first = (frames == 0)[..., None] & (np.arange(L) < 2)  # a blank or the first label
        alphas = _recursion(lpg, skip, live, to_backend(first, lp))
        ends = to_backend(np.stack([2 * tg_len, np.maximum(2 * tg_len - 1, 0)], 1), lp)
        final = np.take_along_axis(alphas[-1], ends, axis=1)
        final[:, 1] = np.where(to_backend(tg_len > 0, lp), final[:, 1], _FAR)
        logz = np.logaddexp(final[:, 0], final[:, 1])
        empty = to_backend(in_len == 0, lp)  # no frames: only an empty target is possible
        none = np.where(to_backend(tg_len == 0, lp), 0, _FAR).astype(lp.dtype)
        logz = np.where(empty, none, logz)
        ctx.state = (lpg, alphas, logz, ext, skip, in_len, tg_len)
        return logz

    @staticmethod
    def backward(ctx, g):
        lpg, alphas, logz, ext, skip, in_len, tg_len = ctx.state
        T, N, L = lpg.shape
        n = np.arange(N)
        last = np.maximum(in_len, 1) - 1
        ends = np.zeros((N, L), bool)  # where a path ends: the last label or the blank after it
        ends[n, 2 * tg_len] = True
        ends[n[tg_len > 0], 2 * tg_len[tg_len > 0] - 1] = True
        frames = np.arange(T)[::-1, None]  # beta runs backwards on the reversed states
        live = to_backend(frames <= last, lpg)[..., None]
        start = to_backend((frames == last)[..., None] & ends[None, :, ::-1], lpg)
        skip_up = np.zeros_like(skip)  # s + 2 may come before s: skip of s + 2, reversed
        skip_up[:, :-2] = skip[:, 2:]
        betas = _recursion(lpg[::-1, :, ::-1], skip_up[:, ::-1], live, start)[::-1, :, ::-1]
        used = to_backend((np.arange(T)[:, None] < in_len)[..., None], lpg)
        with np.errstate(over="ignore"):  # an impossible alignment: its loss is inf anyway
            occupancy = np.where(used, np.exp(alphas + betas - lpg - logz[None, :, None]), 0)
        occupancy *= g._data[None, :, None]
        classes = to_backend(np.arange(ctx.classes), lpg)
        onehot = (ext[..., None] == classes).astype(lpg.dtype)  # (N, L, C)
        grad = np.matmul(occupancy.transpose(1, 0, 2), onehot).transpose(1, 0, 2)
        grad = grad.copy()  # C order
        if is_grad_enabled():  # create_graph: a node that raises when differentiated
            (lp,) = ctx.saved_tensors
            out = Underivable.apply(g, "_ctc_loss_backward", lambda *_: grad, lp)
            return out, None, None, None, None
        return make_tensor(grad), None, None, None, None

    @staticmethod
    def jvp(ctx, *tangents):
        raise no_forward_ad("_ctc_loss")


_CHECKING = " (while checking arguments for ctc_loss_allocate_outputs)"


def _lengths(v, what: str) -> np.ndarray:
    if isinstance(v, Tensor):
        if v._data.dtype.kind not in "iu":
            raise RuntimeError(f"{what} must be integral")
        v = v.cpu()._data
    return np.asarray(v, dtype=np.int64).reshape(-1)


def _check_arguments(lp: Tensor, targets: np.ndarray, in_len, tg_len, blank: int) -> None:
    """PyTorch's checks of ctc_loss's arguments, in its order and with its messages (the
    unbatched ``lp`` already has its batch dimension)."""
    if lp._data.size == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if lp.dtype not in (_dtypes.float32, _dtypes.float64):
        name = _dtypes.scalar_type_name(lp._data.dtype)
        raise NotImplementedError(f"\"ctc_loss_{lp.device.type}\" not implemented for '{name}'")
    if lp.ndim != 3:
        raise RuntimeError(
            f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for argument "
            "#1 'log_probs'" + _CHECKING
        )
    if targets.ndim not in (1, 2):
        raise RuntimeError(
            f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional tensor for "
            "argument #2 'targets'" + _CHECKING
        )
    T, N, C = lp.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    for what, lengths in (("input_lengths", in_len), ("target_lengths", tg_len)):
        if len(lengths) != N:
            raise RuntimeError(f"{what} must be of size batch_size")
    _check_bound("target_lengths", tg_len < 0, tg_len, "at least 0")
    _check_targets_size(targets, tg_len, N)
    _check_bound("input_lengths", in_len < 0, in_len, "at least 0")
    _check_bound("input_lengths", in_len > T, in_len, f"at most {T}")


def _check_bound(what: str, bad: np.ndarray, lengths: np.ndarray, bound: str) -> None:
    if bad.any():
        raise RuntimeError(
            f"Expected {what} to have value {bound}, but got value {lengths[bad][0]}" + _CHECKING
        )


def _check_targets_size(targets: np.ndarray, tg_len: np.ndarray, N: int) -> None:
    size = int(tg_len.sum()) if targets.ndim == 1 else N
    if targets.shape[0] != size:
        raise RuntimeError(
            f"Expected tensor to have size {size} at dimension 0, but got size "
            f"{targets.shape[0]} for argument #2 'targets'" + _CHECKING
        )
    longest = int(tg_len.max(initial=0))
    if targets.ndim == 2 and targets.shape[1] < longest:
        raise RuntimeError(
            f"Expected tensor to have size at least {longest} at dimension 1, but got size "
            f"{targets.shape[1]} for argument #2 'targets'" + _CHECKING
        )


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
    in_len = _lengths(input_lengths, "input_lengths")
    tg_len = _lengths(target_lengths, "target_lengths")
    unbatched = log_probs.ndim != 3  # PyTorch adds a batch dimension to any other rank
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    tg = np.asarray(targets.cpu()._data, dtype=np.int64)
    _check_arguments(lp, tg, in_len, tg_len, blank)
    T, N, C = lp.shape
    if tg.ndim == 1:  # concatenated targets
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
    used = const((np.arange(T)[:, None] < in_len)[..., None])
    # frames past an input's length get a zero gradient, even where the loss is inf
    lp = ops.where(used, lp, 0.0)
    loss = -_CtcAlpha.apply(lp, to_backend(ext, like), to_backend(skip, like), in_len, tg_len)
    # PyTorch's gradient w.r.t. log_probs is exp(log_probs) - occupancy (the gradient w.r.t.
    # the logits of a log_softmax in front): add exp(log_probs) over each input's frames,
    # with value 0.
    mass = (lp.exp() * used).sum((0, 2))
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
