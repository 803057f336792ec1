"""Loss functions (the forms of ``torch.nn.functional``).

Cross-entropy is one fused op: log-softmax, the target's weighting (class indices or
probabilities, class weights, ignore_index, label smoothing) and the reduction in one stable
pass, with backward ``(sum(q) * softmax(x) - q) * scale``. nll_loss, binary cross-entropy (with
PyTorch's clamped gradient), its logits form and huber/smooth_l1 are single ops, one graph node
each as in PyTorch. The other losses are short compositions of differentiable ops.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtypes
from .._dtypes import HALF_NP
from .._tensor import Tensor, make_tensor
from ..amp.autocast_mode import float32_function
from ..autograd.function import Op, edges_at, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..backends import check_index, fused, on_host, to_backend, xp_of
from .activation import Softplus, softplus_array
from .elementwise import broadcast_error, const, refuse_bool_sub, slope, unbroadcast, where
from .index_write import Scatter
from .inplace import _shape_error
from .reduce import mean_blas, sum_array
from .special import xlogy

_REDUCTIONS = ("none", "mean", "sum")


def legacy_reduction(size_average, reduce, reduction: str = "mean") -> str:
    """PyTorch's deprecated ``size_average``/``reduce`` arguments as a ``reduction`` string."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn(
        "size_average and reduce args will be deprecated, please use reduction='"
        + ("none" if reduce is False else "mean" if size_average in (None, True) else "sum")
        + "' instead.",
        stacklevel=3,
    )
    if reduce is False:
        return "none"
    return "mean" if size_average in (None, True) else "sum"


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    _check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _class_dim(x) -> int:
    return 0 if x.ndim == 1 else 1


def _weight_shape(ndim: int, cd: int, c: int) -> tuple:
    """The shape that broadcasts a (C,) class weight against (N, C, d1, ...)."""
    return tuple(c if i == cd else 1 for i in range(ndim))


# ---- class-index targets ---------------------------------------------------------------------
def check_target_shape(name: str, x, shape: tuple) -> None:
    """PyTorch's errors for class-index targets of the wrong shape for input ``x``."""
    expected = x.shape[:1] + x.shape[2:] if x.ndim > 1 else ()
    if shape == expected:
        return
    if x.ndim >= 2 and len(shape) >= 1 and shape[0] != x.shape[0]:
        raise ValueError(
            f"{name}: Expected input batch_size ({x.shape[0]}) to match target "
            f"batch_size ({shape[0]})."
        )
    if x.ndim <= 2 and len(shape) > 1:
        raise RuntimeError(f"{name}: 0D or 1D target tensor expected, multi-target not supported")
    if x.ndim == 4 and len(shape) != 3:
        raise RuntimeError(
            f"{name}: only batches of spatial targets supported (3D tensors) but got targets "
            f"of dimension: {len(shape)}"
        )
    if x.ndim == 4:
        raise RuntimeError(
            f"{name}: size mismatch (got input: {list(x.shape)} , target: {list(shape)}"
        )
    raise RuntimeError(
        f"{name}: Expected target size {list(expected)}, got {list(shape)} (the classes are "
        f"dimension {_class_dim(x)} of the input {list(x.shape)})"
    )


def _at_class_dim(a, cd: int):
    """A per-sample array with a class dimension of size 1 inserted at ``cd`` (a cheaper
    ``np.expand_dims``)."""
    return a.reshape(a.shape[:cd] + (1,) + a.shape[cd:])


class _ClassTargets:
    """Validated class-index targets: the safe indices, the kept mask, each sample's class
    weight and the 'mean' denominator (the kept samples' total weight).

    Out-of-range targets raise IndexError on the CPU. On a GPU they are not read back to
    check (that would stall every step): their index is clipped and their ``kept`` factor
    is NaN, so their loss, the reduced loss and their gradient rows are NaN, never a
    plausible wrong number."""

    def __init__(self, name: str, x, target, weight, ignore_index: int) -> None:
        c = x.shape[_class_dim(x)]
        check_target_shape(name, x, target.shape)
        self.valid = target != ignore_index
        self.index = np.where(self.valid, target, 0)
        bad = check_index(
            self.index,
            c,
            lambda t: IndexError(f"{name}: Target {t} is out of bounds (classes 0..{c - 1})."),
        )
        kept = self.valid.astype(x.dtype)
        if bad is not None:
            self.index = np.where(bad, 0, self.index)
            kept = np.where(bad, kept.dtype.type(np.nan), kept)
        self.kept = kept  # 1 for kept samples, 0 for ignored ones, NaN for bad targets
        self.sample_weight = kept if weight is None else weight[self.index] * kept
        self.denominator = self.sample_weight.sum()

    def positions(self, shape: tuple, cd: int):
        """The flat positions of the targets' class entries in a C-contiguous array of the
        input's ``shape``, in the targets' order."""
        k = xp_of(self.index).arange(self.index.size)
        inner = math.prod(shape[cd + 1 :])
        flat = self.index.reshape(-1)
        if inner == 1:
            return k * shape[cd] + flat
        return (k // inner * shape[cd] + flat) * inner + k % inner

    def picked(self, values, cd: int):
        """values[n, target_n, ...] along the class dimension."""
        return np.take_along_axis(values, _at_class_dim(self.index, cd), cd).squeeze(cd)


def _check_weight(name: str, weight, x, t=None):
    """The (C,) class weight's array. With class-index targets ``t``, PyTorch's refusal of a
    weight that needs a gradient (nll_loss's autograd, nll_loss2d's for more than two dims)
    and the targets' dtype come first; nll_loss2d's size message names no counts."""
    if t is not None:
        if isinstance(weight, Tensor):
            kernel = "nll_loss2d_forward" if x.ndim > 2 else "nll_loss_forward"
            check_no_requires_grad(weight, "weight", kernel)
        _check_index_dtype(name, x, t)
    if weight is None:
        return None
    c = x.shape[_class_dim(x)]
    w = weight._data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (c,):
        counts = "" if x.ndim > 2 else f"{c} classes or no "
        raise RuntimeError(
            f"{name}: weight tensor should be defined either for all {counts or 'or no '}classes "
            f"but got weight tensor of shape: {list(w.shape)}"
        )
    return w


def check_no_requires_grad(tensor: Tensor | None, arg: str, fn: str) -> None:
    """PyTorch's refusal of an argument it defines no gradient for (only in grad mode)."""
    if tensor is not None and tensor.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. "
            "This input cannot have requires_grad True."
        )


def _check_nll_kernel(w, x, t) -> None:
    """nll_loss's kernel takes Byte targets only for inputs of at most two dims (a nonempty
    one of more goes to nll_loss2d, which takes Long), floating inputs, and a weight (``w``
    its array) of the input's dtype."""
    if t.dtype == np.uint8 and x.ndim > 2 and x.size:
        raise RuntimeError("expected scalar type Long but found Byte")
    if x.dtype.kind in "biu":  # its kernels have floating loops only
        kernel = "nll_loss2d_forward_out_frame" if x.ndim > 2 else "nll_loss_out_frame"
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(x.dtype)}'"
        )
    if w is not None and w.dtype != x.dtype:
        raise RuntimeError(
            f"expected scalar type {_dtypes.scalar_type_name(x.dtype)} but found "
            f"{_dtypes.scalar_type_name(w.dtype)}"
        )


def _floating_kernel(kernel: str, input: Tensor, target: Tensor) -> _dtypes.dtype:
    """The promoted dtype of a loss kernel PyTorch has only for floating point types."""
    dtype = _dtypes.promote_types(input.dtype, target.dtype)
    if not dtype.is_floating_point:
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dtype.np)}'"
        )
    return dtype


def _divide(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):  # all targets ignored: nan, as PyTorch
        return np.true_divide(a, b)


def _fused_rows(ctx, x, target, weight, ignore_index: int, smoothing: float):
    """Per-row losses of (N, C) logits and class indices by the backend's fused kernel (no
    class weights), with what backward needs in ``ctx``; None to run the array code. The
    kernel gives NaN loss and log-sum-exp for a target out of range (see _ClassTargets)."""
    if x.ndim != 2 or weight is not None or target.shape != x.shape[:1]:
        return None
    kernel = fused(x, "cross_entropy")
    if kernel is None:
        return None
    loss, lse = kernel(x, target, ignore_index, smoothing)
    ctx.kernel_state = (lse, fused(x, "cross_entropy_backward"), ignore_index)
    return loss


def _reduce_elementwise(loss, reduction: str):
    """An elementwise loss array as ``reduction`` asks: itself, its mean or its sum."""
    if reduction == "none":
        return loss
    dims = tuple(range(loss.ndim))
    return mean_blas(loss, dims) if reduction == "mean" else sum_array(loss, dims)


def _reduced(loss, denominator, reduction: str, dtype):
    if reduction == "none":
        return loss.astype(dtype, copy=False)
    total = loss.sum(keepdims=True)  # an array (not a numpy scalar) on x's device
    out = _divide(total, denominator) if reduction == "mean" else total
    return out.reshape(()).astype(dtype, copy=False)


class CrossEntropy(Op):
    kernel_state = None  # (lse, backward kernel, ignore_index) when the forward ran fused

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction, smoothing):
        cd = _class_dim(x)
        c = x.shape[cd]
        rows = None
        if target.dtype.kind in "iu":
            rows = _fused_rows(ctx, x, target, weight, ignore_index, smoothing)
        if rows is not None:
            ctx.args = (cd, c, weight, reduction, smoothing)
            ctx.denominator = (target != ignore_index).sum(dtype=x.dtype)  # stays on the device
            ctx.save_for_backward(x, target)
            return _reduced(rows, ctx.denominator, reduction, x.dtype)
        if weight is not None:
            weight = weight.astype(x.dtype, copy=False)
        m = x.max(axis=cd, keepdims=True) if c else x.sum(axis=cd, keepdims=True)  # no classes
        logp = x - m
        tg = None
        if target.dtype.kind not in "fV":
            tg = _ClassTargets("cross_entropy", x, target, weight, ignore_index)
        # class indices without smoothing need logp only at the targets: exp runs in place
        picked = tg.picked(logp, cd) if tg is not None and not smoothing else None
        exp = np.exp(logp, out=None if picked is None else logp)
        lse = np.log(exp.sum(axis=cd, keepdims=True))
        ctx.lse = lse + m  # the log-sum-exp of x: softmax(x) = exp(x - lse) in backward
        ctx.args = (cd, c, weight, reduction, smoothing)
        w_b = None if weight is None else weight.reshape(_weight_shape(x.ndim, cd, c))
        if tg is None:  # class probabilities
            logp -= lse
            q = target * (1 - smoothing) + smoothing / c if smoothing else target
            if w_b is not None:
                q = q * w_b
            loss = -(q * logp).sum(axis=cd)
            denominator = loss.size if c else float("nan")  # PyTorch's numel / classes: 0/0
            ctx.q = q
        else:
            if picked is None:
                logp -= lse
                loss = -(1 - smoothing) * tg.picked(logp, cd) * tg.sample_weight
                spread = logp if w_b is None else logp * w_b
                loss -= smoothing / c * spread.sum(axis=cd) * tg.valid
            else:
                loss = (lse.squeeze(cd) - picked) * tg.sample_weight
            denominator = tg.denominator
            ctx.targets = tg
        ctx.denominator = denominator
        ctx.save_for_backward(x, target)
        return _reduced(loss, denominator, reduction, x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, target = ctx.saved_tensors
        cd, c, weight, reduction, smoothing = ctx.args
        nx, nt = ctx.needs_input_grad[:2]
        differentiable = is_grad_enabled()  # create_graph: every piece must be a Tensor op
        if ctx.kernel_state is not None:
            lse, kernel, ignore_index = ctx.kernel_state
            if not differentiable:
                scale = g._data / ctx.denominator if reduction == "mean" else g._data
                gx = kernel(x._data, lse, target._data, scale, ignore_index, smoothing)
                return make_tensor(gx), None, None, None, None, None
            ctx.targets = _ClassTargets("cross_entropy", x._data, target._data, None, ignore_index)
        if reduction == "none":
            scale = g.unsqueeze(cd)
        elif reduction == "mean":
            denominator = ctx.denominator  # a number, or an array that stays on the device
            number = type(denominator) in (int, float)  # not numpy's float64, a float too
            if not number:  # every target ignored: zero gradient (PyTorch)
                one = denominator.dtype.type(1)
                denominator = np.where(ctx.targets.valid.any(), denominator, one)
            scale = g / (denominator if number else const(denominator))
        else:
            scale = g
        if not differentiable and not nt:  # the same formula on raw arrays, in place
            gx = np.empty_like(x._data, order="C")
            np.exp(np.subtract(x._data, ctx.lse, out=gx), out=gx)
            if hasattr(ctx, "q"):
                gx *= ctx.q.sum(axis=cd, keepdims=True)
                gx -= ctx.q
                gx *= scale._data
            else:
                _softmax_minus_targets(gx, ctx.targets, weight, smoothing, cd, scale._data)
            return make_tensor(gx), None, None, None, None, None
        if differentiable:
            p, logp = x.softmax(cd), x.log_softmax(cd)
        else:
            logp = make_tensor(x._data - ctx.lse)
            p = make_tensor(np.exp(logp._data))
        w_b = None
        if weight is not None:
            w_b = make_tensor(weight.reshape(_weight_shape(x.ndim, cd, c)))
        if hasattr(ctx, "q"):
            q = make_tensor(ctx.q)
            if differentiable and target.requires_grad:
                q = target * (1 - smoothing) + smoothing / c if smoothing else target
                q = q if w_b is None else q * w_b
        else:
            q = make_tensor(_class_distribution(ctx.targets, x._data, weight, smoothing, cd))
        gx = (q.sum(cd, keepdim=True) * p - q) * scale if nx else None
        gt = None
        if nt:
            gt = logp * (smoothing - 1) * scale
            gt = gt if w_b is None else gt * w_b
        return gx, gt, None, None, None, None


def _softmax_minus_targets(p, tg: _ClassTargets, weight, smoothing: float, cd: int, scale) -> None:
    """``p = (p * sum_c q - q) * scale`` in place, for the softmax ``p`` (C-contiguous) and the
    dense target distribution q of _class_distribution, which is not made: q is the sample's
    weight (times 1 - smoothing) at its target, plus its share of the smoothing everywhere."""
    c = p.shape[cd]
    kept = _at_class_dim(tg.kept, cd) * scale
    at_target = _at_class_dim(tg.sample_weight, cd) * scale
    if smoothing:
        at_target *= 1 - smoothing
        spread = (
            smoothing
            / c
            * (kept if weight is None else kept * weight.reshape(_weight_shape(p.ndim, cd, c)))
        )
        total = kept * smoothing if weight is None else kept * (smoothing / c * weight.sum())
        p *= at_target + total
        p -= spread
    else:
        p *= at_target
    p.reshape(-1)[tg.positions(p.shape, cd)] -= at_target.reshape(-1)


def _class_distribution(tg: _ClassTargets, x, weight, smoothing: float, cd: int):
    """The dense target distribution q of class-index targets: loss_n = -sum_c q_nc logp_nc."""
    c = x.shape[cd]
    classes = to_backend(np.arange(c).reshape(_weight_shape(x.ndim, cd, c)), x)
    q = np.multiply(_at_class_dim(tg.index, cd) == classes, 1 - smoothing, dtype=x.dtype)
    q += smoothing / c
    if weight is not None:
        q *= weight.reshape(_weight_shape(x.ndim, cd, c))
    q *= _at_class_dim(tg.kept, cd)
    return q


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.uint8))  # PyTorch's Long or Byte


def _soft_targets_composed(input, target, weight, reduction: str, smoothing: float) -> Tensor:
    """PyTorch's composition of cross_entropy with class probabilities, step by step: for
    16-bit floats (each step rounded to their dtype, as PyTorch's) and for a weight that needs
    a gradient or a target or weight of another dtype (they take part in type promotion)."""
    cd = _class_dim(input._data)
    c = input.shape[cd]
    if smoothing:
        target = target * (1 - smoothing) + smoothing / c
    loss = input.log_softmax(cd) * target
    if weight is not None:
        loss = loss * weight.reshape(_weight_shape(input.ndim, cd, c))
    if reduction == "none":
        return -loss.sum(cd)
    total = -loss.sum()
    if reduction == "sum":
        return total
    if input.numel() == 0:
        return total * float("nan")
    return name_node(total / (input.numel() // c), "DivBackward1")  # a division by a number


def _class_targets_composed(input, target, weight, ignore_index: int, reduction: str,
                            smoothing: float) -> Tensor:  # fmt: skip
    """PyTorch's composition of cross_entropy with class indices (nll_loss of log_softmax,
    plus its label smoothing term), step by step: for 16-bit floats, each step rounded to
    their dtype as PyTorch's."""
    cd = _class_dim(input._data)
    logp = input.log_softmax(cd)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not smoothing:
        return nll
    c = input.shape[cd]
    if weight is not None:
        logp = logp * weight.reshape(_weight_shape(input.ndim, cd, c))
    kept = target != ignore_index
    smooth = (-logp.sum(cd)).masked_fill(~kept, 0.0)
    if reduction == "mean":
        total = kept.sum() if weight is None else weight[target[kept].long()].sum()
        smooth = smooth.sum() / total
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - smoothing) * nll + smooth * (smoothing / c)


def _check_smoothing(label_smoothing: float) -> None:
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


def _check_index_dtype(op: str, x, t) -> None:
    """Class indices are Long or Byte; the target's shape is checked first."""
    if t.dtype not in _INDEX_DTYPES:
        check_target_shape(op, x, t.shape)
        name = _dtypes.scalar_type_name(t.dtype)
        raise RuntimeError(f"{op}: expected target dtype to be Long or Byte, but got {name}")


@float32_function  # in autocast, as a whole (its 16-bit path composes several ops)
def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Mirrors ``torch.nn.functional.cross_entropy``: ``input`` holds logits of shape (C,),
    (N, C) or (N, C, d1, ...); ``target`` class indices (N, d1, ...) or probabilities
    shaped like ``input``. One fused, numerically stable op."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    x = input._data
    if x.ndim == 0:
        raise RuntimeError("cross_entropy: input must have a class dimension, got a 0-d tensor")
    t = target._data
    if t.shape == x.shape:  # probabilities; else class indices
        if t.dtype.kind not in "fV":
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                + _dtypes.scalar_type_name(t.dtype)
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
    _check_smoothing(label_smoothing)
    if x.dtype.kind not in "fV":  # after the target's checks, as PyTorch's
        # its log_softmax over the class dim (the last one for at most two dims) has no
        # integer loop
        kernel = "log_softmax_lastdim_kernel_impl" if x.ndim <= 2 else "log_softmax_kernel_impl"
        name = _dtypes.scalar_type_name(x.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")
    label_smoothing = max(label_smoothing, 0.0)  # PyTorch smooths only by a positive amount
    w = _check_weight("cross_entropy", weight, x, None if t.shape == x.shape else t)
    if t.shape == x.shape and (
        x.dtype in HALF_NP
        or t.dtype != x.dtype  # the result takes both dtypes' promotion
        or isinstance(weight, Tensor)
        and (weight.requires_grad or w.dtype != x.dtype)
    ):
        return _soft_targets_composed(input, target, weight, reduction, label_smoothing)
    if t.shape != x.shape:
        _check_nll_kernel(w, x, t)
        if weight is not None and label_smoothing and reduction == "mean" and t.dtype == np.uint8:
            # PyTorch's smoothing term gathers the weight by the targets, which refuses bytes
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        if x.dtype in HALF_NP:
            return _class_targets_composed(
                input, target, weight, ignore_index, reduction, label_smoothing
            )
    out = CrossEntropy.apply(input, target, w, ignore_index, reduction, float(label_smoothing))
    # PyTorch's grad_fn names for the way it composes cross_entropy
    if t.dtype.kind in "fV":
        return name_node(out, "DivBackward1" if reduction == "mean" else "NegBackward0")
    if label_smoothing:
        return name_node(out, "AddBackward0")
    return name_node(out, _nll_name(x))


def _nll_name(x) -> str:
    """PyTorch's nll_loss node: NllLoss2DBackward0 for inputs of more than two dims."""
    return "NllLoss2DBackward0" if x.ndim > 2 else "NllLossBackward0"


@float32_function
def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.nll_loss``: ``-input[n, target_n] * weight[target_n]``
    (``input`` holds log-probabilities), averaged over the kept samples' weights."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    x = input._data
    if x.ndim == 0:
        raise RuntimeError("nll_loss: input must have a class dimension, got a 0-d tensor")
    t = target._data
    w = _check_weight("nll_loss", weight, x, t)
    _check_nll_kernel(w, x, t)
    w = None if w is None else w.astype(x.dtype)
    tg = _ClassTargets("nll_loss", x, t, w, ignore_index)
    if x.ndim == 4 or x.ndim < 3:
        return NllLoss.apply(input, target, weight, tg, reduction)
    # PyTorch's nll_loss2d on (N, C, 1, -1) views of other inputs of more than two dims
    n, c = x.shape[:2]
    input = input.reshape(n, c, 1, -1) if x.size else input.reshape(n, c, 0, 0)
    t = t.reshape(n, 1, -1) if t.size else t.reshape(n, 0, 0)
    tg = _ClassTargets("nll_loss", input._data, t, w, ignore_index)
    loss = NllLoss.apply(input, target, weight, tg, reduction)
    return loss.reshape((n,) + x.shape[2:]) if reduction == "none" else loss


def _folds(values, ends):
    """Left folds (from 0, each step rounded to the values' dtype) of the runs of ``values``
    that end where ``ends`` is true, and of the run after the last end."""
    last = np.flatnonzero(ends)
    run = np.cumsum(ends) - ends  # the run of each value
    starts = np.concatenate([np.zeros_like(last, shape=(1,)), last + 1])
    pos = np.cumsum(np.ones_like(run)) - 1 - starts[run]
    width = int(pos.max()) + 1 if values.size else 0
    grid = np.zeros_like(values, shape=(last.size + 1, width))
    grid[run, pos] = values
    acc = np.zeros_like(values, shape=(last.size + 1,))
    for column in grid.T:
        acc = acc + column
    return acc[:-1], acc[-1:]


def _cascade_sum(values, kept):
    """The sum of ``values[kept]`` (flat) as PyTorch's nll_loss kernels add a float16/bfloat16
    loss or weight: in the dtype itself, over 8 levels of partial sums, level j flushed into
    j + 1 at each kept linear index divisible by 16^(j + 1), the levels added last."""
    index = np.flatnonzero(kept)
    values = values.reshape(-1)[index]
    power = max(4, (kept.size - 1).bit_length() // 8)  # utils::CeilLog2(numiter) / 8 levels
    levels = []
    for j in range(1, 8):
        ends = index % (1 << (power * j)) == 0
        values, rest = _folds(values, ends)
        levels.append(rest)
        index = index[ends]
    levels.append(_folds(values, np.zeros_like(values, dtype=bool))[1])
    levels = np.concatenate(levels)
    return _folds(levels, np.zeros_like(levels, dtype=bool))[1].reshape(())


class NllLoss(Op):
    """-input[n, target_n] * weight[target_n], reduced: one node on the input, as PyTorch's.
    ``tg`` holds the validated targets (see _ClassTargets)."""

    _torch_edges = edges_at(0)

    @staticmethod
    def forward(ctx, x, target, weight, tg, reduction):
        cd = _class_dim(x)
        ctx.args = (tg, reduction, cd, x.shape)
        ctx.save_for_backward(x)
        if x.ndim > 2:
            ctx.torch_name = _nll_name(x)
        loss = tg.picked(x, cd) * -tg.sample_weight
        if reduction == "none":
            return loss
        denominator = tg.denominator
        if x.dtype in HALF_NP:  # PyTorch's kernel adds in the 16-bit dtype itself
            total = _cascade_sum(loss, tg.valid)
            denominator = (
                tg.valid.sum().astype(x.dtype)  # the count, rounded once
                if weight is None
                else _cascade_sum(tg.sample_weight, tg.valid)
            )
        else:
            total = sum_array(loss, tuple(range(loss.ndim)))
        if reduction == "sum":
            return total
        # every target ignored: a nan loss (0 / 0) but a zero gradient, as PyTorch's
        kept_any = tg.valid.any()
        ctx.denominator = np.where(kept_any, denominator, 1).astype(x.dtype)
        return total / ctx.denominator + np.where(kept_any, 0, np.nan).astype(x.dtype)

    @staticmethod
    def backward(ctx, g):
        tg, reduction, cd, shape = ctx.args
        if reduction == "mean":
            g = g / const(ctx.denominator)
        picked = (const(-tg.sample_weight) * g).unsqueeze(cd)
        # in the graph of a create_graph with a zero gradient, as PyTorch's nll_loss_backward
        zeros = slope(ctx.saved_tensors[0], np.zeros_like(tg.sample_weight, shape=shape))
        return (
            Scatter.apply(zeros, cd, _at_class_dim(tg.index, cd), picked),
            None,
            None,
            None,
            None,
        )


# ---- binary cross-entropy ----------------------------------------------------------------------
class ElementwiseLoss(Op):
    """A loss computed elementwise from (input, target), times ``weight``, then reduced: one
    node on (input, target) as PyTorch's. Subclasses give ``values(x, t, *params)``
    on arrays and ``partials(x, t, nx, nt, *params)``, the loss's derivatives in the input
    and the target, on Tensors (None where not needed)."""

    _torch_edges = edges_at(0, 1)  # PyTorch's node has no edge for weight, pos_weight

    @staticmethod
    def forward(ctx, x, t, weight, reduction, *params):
        ctx.save_for_backward(x, t)
        loss = ctx.values(x, t, *params)
        if weight is not None:  # PyTorch multiplies in place: the loss keeps its dtype
            loss = (loss * weight).astype(loss.dtype, copy=False)
        ctx.args = (weight, reduction, params, loss.size)
        return _reduce_elementwise(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        weight, reduction, params, size = ctx.args
        nx, nt = ctx.needs_input_grad[:2]
        if reduction == "mean":
            g = g / max(size, 1)
        if weight is not None:
            g = g * const(weight)
        dx, dt = ctx.partials(x, t, nx, nt, *params)
        gx = unbroadcast(dx * g, x._data.shape).to(x.dtype) if nx else None
        gt = unbroadcast(dt * g, t._data.shape).to(t.dtype) if nt else None
        return (gx, gt, None, None) + (None,) * len(params)


class BinaryCrossEntropy(ElementwiseLoss):
    """-(t log x + (1 - t) log(1 - x)), the logs clamped at -100, as PyTorch's."""

    @staticmethod
    def values(x, t):
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        return -(t * log_x + (1 - t) * log_1mx)

    @staticmethod
    def partials(x, t, nx, nt):
        dx = (x - t) / (x * (1 - x)).clamp(min=1e-12) if nx else None
        dt = (-x).log1p() - x.log() if nt else None  # -logit(x), not clamped (PyTorch's)
        return dx, dt


class BinaryCrossEntropyWithLogits(ElementwiseLoss):
    """(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x), stable for any logit."""

    @staticmethod
    def values(x, t, pos_weight):
        log_weight = 1.0 if pos_weight is None else (pos_weight - 1) * t + 1
        loss = (1 - t) * x + log_weight * softplus_array(-x)
        return loss.astype(t.dtype, copy=False)  # PyTorch computes it in place on (1 - t)

    @staticmethod
    def partials(x, t, nx, nt, pos_weight):
        pw = None if pos_weight is None else const(pos_weight)
        dx = dt = None
        if nx:
            dx = x.sigmoid() - t if pw is None else ((pw - 1) * t + 1) * x.sigmoid() - pw * t
        if nt:
            dt = -x if pw is None else (pw - 1) * Softplus.apply(-x, 1.0, float("inf")) - x
        return dx, dt


class HuberLoss(ElementwiseLoss):
    """d^2 / 2 for |d| < delta, else delta (|d| - delta / 2), d = x - t (PyTorch's
    huber_loss); divided by delta when ``smooth`` (smooth_l1_loss with beta = delta)."""

    @staticmethod
    def values(x, t, delta, smooth):
        dtype = x.dtype
        if dtype == np.float16:  # PyTorch's kernel works in float32 and rounds once (bfloat16:
            # each step rounded, as its kernel's bfloat16 arithmetic)
            x, t = x.astype(np.float32), t.astype(np.float32)
        d = x - t
        a = np.abs(d)
        if smooth:
            out = np.where(a < delta, d * d * (0.5 / delta), a - 0.5 * delta)
        else:
            out = np.where(a < delta, d * d * 0.5, (a - 0.5 * delta) * delta)
        return out.astype(dtype, copy=False)

    @staticmethod
    def partials(x, t, nx, nt, delta, smooth):
        if t.dtype != x.dtype:  # huber_loss's target of another dtype (smooth_l1 converts it):
            # PyTorch's kernel for the gradient of one reads the other
            found, expected = (_dtypes.scalar_type_name(a._data.dtype) for a in (t, x))
            if not nx:
                found, expected = expected, found
            raise RuntimeError(f"Found dtype {found} but expected {expected}")
        d = x - t
        dx = where(
            d.abs() < delta, d / delta if smooth else d, d.sign() if smooth else d.sign() * delta
        )
        return dx, -dx


class SmoothL1Loss(HuberLoss):
    """smooth_l1_loss: the HuberLoss op with ``smooth``, named as PyTorch's node."""


def _same_size(input: Tensor, target: Tensor, strict: bool, op: str = "") -> None:
    """PyTorch's check of a target shaped unlike the input: an error (``strict``), else a
    warning, then ``op``'s broadcast error where the shapes do not broadcast."""
    if input._data.shape == target._data.shape:
        return
    message = (  # PyTorch's words, without the op's name
        f"Using a target size ({target.shape}) that is different to the input size ({input.shape})"
    )
    if strict:
        raise ValueError(message + " is deprecated. Please ensure they have the same size.")
    warnings.warn(
        message + ". This will likely lead to incorrect results due to broadcasting. Please "
        "ensure they have the same size.",
        stacklevel=3,
    )
    error = broadcast_error(op, input, target)
    if error is not None:
        raise error


@float32_function
def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors ``torch.nn.functional.binary_cross_entropy`` (log terms clamped at -100)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    _same_size(input, target, strict=True)
    if weight is not None and weight._data.shape != target._data.shape:
        try:  # PyTorch's expand to the shapes' broadcast
            shape = np.broadcast_shapes(target._data.shape, weight._data.shape)
        except ValueError:
            from . import broadcast_shapes  # noqa: PLC0415 (its message; ops imports this module)

            broadcast_shapes(target.shape, weight.shape)
            raise
        weight = weight.expand(shape)
    check_no_requires_grad(weight, "weight", "binary_cross_entropy")
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"binary_cross_entropy: Found dtype {_dtypes.scalar_type_name(target._data.dtype)} "
            f"but expected {_dtypes.scalar_type_name(input._data.dtype)} "
            "(the target must have the input's dtype, e.g. torch.full(size, 1.0) rather than "
            "torch.full(size, 1) for labels; convert it with target.to(input.dtype))"
        )
    x = input._data
    # on a GPU, not read back: an input out of [0, 1] gives a NaN loss (log of a negative)
    if on_host(x) and x.size and (x.min() < 0 or x.max() > 1):
        raise RuntimeError(
            "binary_cross_entropy: all elements of input should be between 0 and 1 (apply "
            "sigmoid first, or use binary_cross_entropy_with_logits on the logits)"
        )
    _check_in_place_factor(input, weight)
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


def _check_in_place_factor(loss: Tensor, factor: Tensor | None) -> None:
    """PyTorch multiplies the loss (shaped as ``loss``) in place by the weights: they must
    broadcast to its shape."""
    if factor is None or factor._data.shape == loss._data.shape:
        return
    try:
        shape = np.broadcast_shapes(loss._data.shape, factor._data.shape)
    except ValueError:
        shape = None
    if shape != loss._data.shape:
        raise _shape_error(loss, factor, "mul")


@float32_function
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.binary_cross_entropy_with_logits``:
    ``(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x)``, stable for any logit."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(
            f"binary_cross_entropy_with_logits: Target size ({target.shape}) must be the same as "
            f"input size ({input.shape})"
        )
    check_no_requires_grad(weight, "weight", "binary_cross_entropy_with_logits")
    check_no_requires_grad(pos_weight, "pos_weight", "binary_cross_entropy_with_logits")
    if input._data.dtype.kind in "biu":  # its log_sigmoid has floating loops only
        name = _dtypes.scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{name}'")
    if target._data.dtype == np.bool_:  # PyTorch's 1 - target
        refuse_bool_sub(target, target)
    if not target.dtype.is_floating_point:
        result, desired = (_dtypes.scalar_type_name(t._data.dtype) for t in (input, target))
        raise RuntimeError(
            f"binary_cross_entropy_with_logits: result type {result} can't be cast to the "
            f"desired output type {desired} (the target must be floating point; convert it "
            "with target.to(input.dtype))"
        )
    if pos_weight is not None:  # (pos_weight - 1) * target, then in place into the input's
        error = broadcast_error("mul", pos_weight, target)
        if error is not None:
            raise error
        _check_in_place_factor(input, pos_weight)
    _check_in_place_factor(input, weight)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, reduction, pos_weight)


# ---- regression and divergence losses ---------------------------------------------------------
class MseLoss(Op):
    """One node, as PyTorch's: ``loss.grad_fn.next_functions`` lead to the input's producer."""

    @staticmethod
    def forward(ctx, x, t, reduction):
        ctx.save_for_backward(x, t)
        ctx.reduction = reduction
        d = x - t
        sq = np.multiply(d, d, out=d) if d.ndim else d * d  # 0-d: numpy gives a scalar
        return _reduce_elementwise(sq, reduction)

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        d = x - t
        norm = 2.0 / max(d._data.size, 1) if ctx.reduction == "mean" else 2.0
        gd = d * norm * g  # PyTorch's order: norm * (input - target) * grad_output
        nx, nt, _ = ctx.needs_input_grad
        gx = unbroadcast(gd, x._data.shape) if nx else None
        gt = -unbroadcast(gd, t._data.shape) if nt else None
        return gx, gt, None


def _weighted(loss: Tensor, weight: Tensor, reduction: str, mean_by_weight: bool = True):
    """PyTorch 2.13's ``weight=`` of mse/l1/huber: the elementwise loss times ``weight``,
    reduced; the mean divides by the weights' sum (huber's by the count, as PyTorch's)."""
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if mean_by_weight else weighted.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def _check_weight_size(weight: Tensor, input: Tensor) -> None:
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")


@float32_function
def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.mse_loss`` (``weight``: see ``_weighted``)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _same_size(input, target, strict=False, op="mse_loss")
    if weight is not None:
        _check_weight_size(weight, input)
        return _weighted((input - target).pow(2), weight, reduction)
    _check_reduction(reduction)
    dtype = _floating_kernel("mse_cpu", input, target)
    if input.dtype != target.dtype:
        input, target = input.to(dtype), target.to(dtype)
    return MseLoss.apply(input, target, reduction)


@float32_function
def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.l1_loss`` (``weight``: see ``_weighted``)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _same_size(input, target, strict=False, op="l1_loss")
    if input.dtype != target.dtype:  # PyTorch subtracts the broadcast tensors: a 0-d one
        dtype = _dtypes.promote_types(input.dtype, target.dtype)  # is no weaker there
        input, target = input.to(dtype), target.to(dtype)
    if weight is not None:
        _check_weight_size(weight, input)
        return _weighted((input - target).abs(), weight, reduction)
    return _reduce((input - target).abs(), reduction)


@float32_function
def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Mirrors ``torch.nn.functional.huber_loss``: quadratic below ``delta``, linear above
    (``weight``: see ``_weighted``)."""
    _same_size(input, target, strict=False, op="huber_loss")
    if weight is None:
        return _huber(input, target, reduction, delta)
    _check_weight_size(weight, input)
    return _weighted(_huber(input, target, "none", delta), weight, reduction, False)


def _huber(input: Tensor, target: Tensor, reduction: str, delta: float) -> Tensor:
    """PyTorch's huber_loss kernel: in the input's dtype; a target of another dtype is read,
    but its backward refuses it."""
    _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError(
            f"huber_loss does not support non-positive values for delta, got {delta}"
        )
    dtype = _floating_kernel("huber_cpu", input, target)
    if dtype != input.dtype and not input.dtype.is_floating_point:
        raise RuntimeError(
            f"result type {_dtypes.scalar_type_name(dtype.np)} can't be cast to the desired "
            f"output type {_dtypes.scalar_type_name(input._data.dtype)}"
        )
    return HuberLoss.apply(input, target, None, reduction, float(delta), False)


@float32_function
def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Mirrors ``torch.nn.functional.smooth_l1_loss``: huber_loss / beta (l1 when beta=0)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _same_size(input, target, strict=False, op="smooth_l1_loss")
    _check_reduction(reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta, got {beta}")
    if beta == 0:  # PyTorch's l1_loss (its warning given already)
        return _reduce((input - target).abs(), reduction)
    dtype = _floating_kernel("smooth_l1_cpu", input, target)
    if input.dtype != target.dtype:
        input, target = input.to(dtype), target.to(dtype)
    return SmoothL1Loss.apply(input, target, None, reduction, float(beta), True)


@float32_function
def kl_div(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Mirrors ``torch.nn.functional.kl_div``: ``input`` holds log-probabilities;
    pointwise ``xlogy(target, target) - target * input`` (0 where target is 0)."""
    if size_average is not None or reduce is not None:  # as PyTorch: no 'mean' warning, and
        # reduction='batchmean' still divides the legacy reduction by the batch size
        reduced = legacy_reduction(size_average, reduce)
    else:
        reduced = "sum" if reduction == "batchmean" else reduction
        _check_reduction(reduced)
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support "
                "size.'batchmean' divides only by the batch size, and aligns with the KL div "
                "math definition.'mean' will be changed to behave the same as 'batchmean' in "
                "the next major release.",
                stacklevel=2,
            )
    if input._data.dtype.kind in "biu" or target._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = xlogy(target, target) - target * input
    loss = _reduce(loss, reduced)
    return loss / input.shape[0] if reduction == "batchmean" and input.ndim else loss
