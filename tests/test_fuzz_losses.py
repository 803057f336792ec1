"""Random loss calls, run with real PyTorch (the oracle) and with minitorch: every loss of
``torch.nn.functional`` (and its Module form, whose repr is compared too) with a random
combination of its keywords (reduction, class weights, ignore_index, label smoothing,
pos_weight, beta/delta, log_target, log_input/full/eps, margins, p, swap, blank,
zero_infinity...), random shapes (0-d, empty batches, K-dim inputs, broadcast targets),
dtypes (float32/float64/float16/bfloat16, targets of a wrong dtype) and ``requires_grad`` on
the input, the target or the weight, in grad mode or under no_grad. Negative seeds draw the
other nn.functional calls with their keywords: softmax/log_softmax/softmin (dim=None, dtype=),
normalize, pad modes, interpolate modes (align_corners, scale_factor, recompute_scale_factor,
antialias), one_hot, embedding (padding_idx, max_norm), embedding_bag, dropouts in eval mode,
activations (inplace too), normalizations, pools, unfold/fold and distances. Compared: the
value (dtype, shape, numbers), the operands after the call, the warnings (category and first
words), first-order gradients or second-order ones (``autograd.grad`` with ``create_graph``),
or the error (type and PyTorch's first words). Seeds are fixed, so a failure names a call
that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import functools
import math
import random
import warnings

import numpy as np
import pytest
from fuzz_compare import assert_same, gradient_outcomes

import minitorch

SEEDS = range(360)
FUNCTIONAL_SEEDS = range(-1, -241, -1)  # negative seeds: the other nn.functional calls

FLOATS = ("float32", "float32", "float32", "float64", "float64", "float16", "bfloat16")
REDUCTIONS = ("mean", "mean", "sum", "none")
MODES = ("value", "grad", "grad", "grad2", "no_grad")


# ---- argument specs ----------------------------------------------------------------------
# ("x", shape, dtype, requires_grad, kind): a floating tensor whose values are of ``kind``;
# ("i", shape, dtype, low, high, fill, fraction): an integer tensor, a ``fraction`` of it
# set to ``fill``; anything else is passed as it is.
def _x(r, shape, dtype, kind="normal", grad=None):
    rg = r.random() < 0.6 if grad is None else grad
    return ("x", tuple(shape), dtype, rg, kind)


def _i(shape, low, high, dtype="int64", fill=None, fraction=0.0):
    return ("i", tuple(shape), dtype, low, high, fill, fraction)


def _dtype(r):
    return r.choice(FLOATS)


def _other(r, dtype):
    """Mostly ``dtype``, sometimes another floating dtype (type promotion, or PyTorch's
    dtype errors)."""
    return dtype if r.random() < 0.85 else r.choice(FLOATS)


def _reduction(r, kwargs, legacy=True):
    k = r.random()
    if k < 0.8:
        kwargs["reduction"] = r.choice(REDUCTIONS)
    elif k < 0.9 and legacy:
        kwargs["size_average"] = r.choice([True, False])
        kwargs["reduce"] = r.choice([True, False, None])
    elif k < 0.93:
        kwargs["reduction"] = "elementwise"


def _batch(r):
    return r.choice([0, 1, 2, 3, 3, 4])


def _classes_shape(r):
    """(input shape, class dim): (C,), (N, C) or (N, C, d1, ...)."""
    c = r.choice([1, 2, 3, 4, 5])
    k = r.random()
    if k < 0.15:
        return (c,), 0
    extra = [] if k < 0.6 else r.choice([[2], [3], [2, 2], [1, 2, 2]])
    return (_batch(r), c, *extra), 1


def _same_shape(r):
    return r.choice([(), (3,), (2, 3), (4, 1), (0, 3), (2, 3, 2), (1,)])


def _broadcast_partner(r, shape):
    """Mostly ``shape``; sometimes a shape that broadcasts with it, or one that does not."""
    k = r.random()
    if k < 0.8:
        return shape
    if k < 0.9:
        return r.choice([(), (1,), shape[-1:], (1, *shape)])
    return r.choice([(5,), (2, 7), (3, 1, 4)])


# ---- the losses ------------------------------------------------------------------------------
def g_cross_entropy(r, name):
    dt = _dtype(r)
    shape, cd = _classes_shape(r)
    c = shape[cd]
    tshape = shape[:cd] + shape[cd + 1 :]
    kw = {}
    probabilities = name == "cross_entropy" and r.random() < 0.35
    if r.random() < 0.4:
        kw["ignore_index"] = r.choice([-100, -1, 0, c - 1, 1])
    if probabilities:
        target = _x(r, shape, _other(r, dt), "softmax", grad=r.random() < 0.3)
    else:
        idtype = r.choice(["int64"] * 8 + ["int32", "uint8", "float32"])
        if idtype == "uint8" and len(shape) > 2 and 0 in shape:
            idtype = "int64"  # PyTorch: a value, then backward refuses the bytes (left as is)
        frac = r.choice([0.0, 0.0, 0.3, 1.0]) if "ignore_index" in kw else 0.0
        # targets out of range (not bytes: PyTorch's (N, C) kernel without reduction prints
        # a byte as a character)
        bad = r.random() < 0.05 and idtype != "uint8"
        target = _i(tshape, 0, c + 2 if bad else c, idtype, kw.get("ignore_index"), frac)
    if r.random() < 0.4:
        wshape = (c,) if r.random() < 0.9 else (c + 1,)
        kw["weight"] = _x(r, wshape, _other(r, dt), "positive", grad=r.random() < 0.1)
    if name == "cross_entropy" and r.random() < 0.4:
        kw["label_smoothing"] = r.choice([0.0, 0.1, 0.1, 0.5, 1.0, -0.1, 1.5])
    _reduction(r, kw)
    if kw.get("reduction") == "none" and len(shape) == 2 and not probabilities:
        # PyTorch's (N, C) kernel without reduction checks the rows in parallel: which target
        # out of range it names depends on the machine
        target = target[:4] + (min(target[4], c),) + target[5:]
    kind = "normal" if name == "cross_entropy" else "logsoftmax"
    if r.random() < 0.03:  # integer logits: PyTorch's kernel error
        return [_i(shape, -2, 3), target], kw
    return [_x(r, shape, dt, kind), target], kw


def g_binary_cross_entropy(r, name):
    dt = _dtype(r)
    shape = _same_shape(r)
    kw = {}
    if r.random() < 0.35:
        kw["weight"] = _x(r, _broadcast_partner(r, shape), _other(r, dt), "positive", grad=False)
    _reduction(r, kw)
    if name == "binary_cross_entropy_with_logits":
        if r.random() < 0.4 and shape:
            kw["pos_weight"] = _x(r, r.choice([shape[-1:], (1,), ()]), dt, "positive", grad=False)
        inp = _x(r, shape, dt, "normal")
    else:
        inp = _x(r, shape, dt, r.choice(["prob", "prob", "prob01", "normal"]))
    tdt = _other(r, dt) if r.random() < 0.9 else "int64"
    tshape = shape if r.random() < 0.9 else _broadcast_partner(r, shape)
    tkind = r.choice(["prob", "binary"])
    target = (
        _x(r, tshape, tdt, tkind, grad=r.random() < 0.2) if tdt != "int64" else _i(tshape, 0, 2)
    )
    return [inp, target], kw


def g_regression(r, name):
    dt = _dtype(r)
    shape = _same_shape(r)
    kw = {}
    if name == "smooth_l1_loss" and r.random() < 0.7:
        kw["beta"] = r.choice([0.0, 0.5, 1.0, 2.0, -1.0])
    if name == "huber_loss" and r.random() < 0.7:
        kw["delta"] = r.choice([0.5, 1.0, 2.0, 0.0])
    if name != "smooth_l1_loss" and r.random() < 0.15:
        kw["weight"] = _x(r, shape if r.random() < 0.8 else (7,), dt, "positive", grad=False)
    _reduction(r, kw, legacy=name != "huber_loss")
    tdt = _other(r, dt) if r.random() < 0.92 else "int64"
    tshape = _broadcast_partner(r, shape)
    target = _x(r, tshape, tdt, "normal") if tdt != "int64" else _i(tshape, -2, 3)
    return [_x(r, shape, dt, "normal"), target], kw


def g_kl_div(r, name):
    dt = _dtype(r)
    shape = _same_shape(r)
    kw = {"log_target": r.random() < 0.4} if r.random() < 0.8 else {}
    _reduction(r, kw)
    if r.random() < 0.5:
        kw["reduction"] = "batchmean"
    tkind = "logsoftmax" if kw.get("log_target") else r.choice(["softmax", "prob01"])
    target = _x(r, _broadcast_partner(r, shape), _other(r, dt), tkind)
    return [_x(r, shape, dt, "logsoftmax"), target], kw


def g_poisson_nll_loss(r, name):
    dt = _dtype(r)
    shape = _same_shape(r)
    kw = {}
    if r.random() < 0.7:
        kw["log_input"] = r.random() < 0.5
    if r.random() < 0.5:
        kw["full"] = r.random() < 0.7
    if r.random() < 0.3:
        kw["eps"] = r.choice([1e-8, 0.1, 1.0])
    _reduction(r, kw)
    kind = "normal" if kw.get("log_input", True) else "positive"
    target = _x(r, _broadcast_partner(r, shape), _other(r, dt), r.choice(["counts", "positive"]))
    return [_x(r, shape, dt, kind), target], kw


def g_gaussian_nll_loss(r, name):
    dt = _dtype(r)
    shape = r.choice([(3,), (2, 3), (4, 2), (2, 3, 2), (0, 3)])
    vshape = r.choice([shape, shape, shape[:-1], (*shape[:-1], 1), (1,), (), (5,)])
    kw = {}
    if r.random() < 0.5:
        kw["full"] = r.random() < 0.7
    if r.random() < 0.3:
        kw["eps"] = r.choice([1e-6, 0.5])
    _reduction(r, kw, legacy=False)
    var = _x(r, vshape, _other(r, dt), r.choice(["positive"] * 6 + ["normal"]))
    if r.random() < 0.1:
        var = r.choice([0.5, 2.0, -1.0])
    return [_x(r, shape, dt), _x(r, _broadcast_partner(r, shape), dt), var], kw


def _signs(r, shape, dt):
    k = r.random()
    if k < 0.8:
        return _x(r, shape, dt, "sign", grad=r.random() < 0.1)
    if k < 0.9:
        return _i(shape, -1, 2)  # -1, 0, 1 as integers
    return _x(r, shape, dt, "normal", grad=False)


def g_margin(r, name):
    dt = _dtype(r)
    shape = r.choice([(), (3,), (4,), (0,), (2, 3)])
    kw = {}
    if r.random() < 0.6:
        kw["margin"] = r.choice([0.0, 0.5, 1.0, -0.5, 2])
    _reduction(r, kw)
    if name == "margin_ranking_loss":
        t = _signs(r, _broadcast_partner(r, shape), dt)
        return [_x(r, shape, dt), _x(r, _broadcast_partner(r, shape), _other(r, dt)), t], kw
    if name == "soft_margin_loss":
        kw.pop("margin", None)
    return [_x(r, shape, dt), _signs(r, _broadcast_partner(r, shape), _other(r, dt))], kw


def g_multilabel_margin(r, name):
    dt = _dtype(r)
    c = r.choice([1, 2, 3, 4])
    # no empty batch: PyTorch's reduced loss of one is uninitialized memory
    shape = r.choice([(c,), (r.randint(1, 4), c), (c,), (2, c)])
    if r.random() < 0.05:
        shape = (2, c, 2)
    kw = {}
    _reduction(r, kw)
    tdtype = r.choice(["int64"] * 9 + ["int32"])
    target = _i(shape, -1, c + (1 if r.random() < 0.05 else 0), tdtype)
    return [_x(r, shape, dt), target], kw


def g_multilabel_soft_margin(r, name):
    dt = _dtype(r)
    c = r.choice([1, 2, 3, 4])
    shape = r.choice([(c,), (_batch(r), c), (2, c), (2, c, 2)])
    kw = {}
    if r.random() < 0.35:
        kw["weight"] = _x(r, r.choice([(c,), (c,), (1,), shape]), _other(r, dt), "positive",
                          grad=r.random() < 0.2)  # fmt: skip
    _reduction(r, kw)
    tkind = r.choice(["binary", "binary", "prob"])
    target = _x(r, shape, _other(r, dt), tkind, grad=False) if r.random() < 0.9 else _i(shape, 0, 2)
    return [_x(r, shape, dt), target], kw


def g_multi_margin(r, name):
    dt = _dtype(r)
    c = r.choice([1, 2, 3, 4])
    shape = r.choice([(c,), (r.randint(1, 4), c), (2, c)])  # (see g_multilabel_margin)
    if r.random() < 0.05:
        shape = (2, c, 2)
    kw = {}
    if r.random() < 0.5:
        kw["p"] = r.choice([1, 2, 2, 3])
    if r.random() < 0.5:
        kw["margin"] = r.choice([0.5, 1.0, 2.0, 0])
    if r.random() < 0.35:
        kw["weight"] = _x(r, (c,) if r.random() < 0.9 else (c + 1,), _other(r, dt), "positive",
                          grad=r.random() < 0.2)  # fmt: skip
    _reduction(r, kw)
    bad = r.random() < 0.05
    tdtype = r.choice(["int64"] * 9 + ["int32"])
    target = _i(shape[:-1], 0, c + 1 if bad else c, tdtype)
    return [_x(r, shape, dt), target], kw


def g_cosine_embedding(r, name):
    dt = _dtype(r)
    shape = r.choice([(3,), (2, 3), (4, 2), (0, 3), (1, 3)])
    kw = {}
    if r.random() < 0.6:
        kw["margin"] = r.choice([0.0, 0.5, -0.5])
    _reduction(r, kw)
    x2 = _x(r, shape if r.random() < 0.9 else r.choice([(1, shape[-1]), (5,)]), _other(r, dt))
    tshape = shape[:-1] if r.random() < 0.9 else shape
    return [_x(r, shape, dt), x2, _signs(r, tshape, dt)], kw


def g_triplet(r, name):
    dt = _dtype(r)
    shape = r.choice([(3,), (2, 3), (4, 2), (0, 3), (1, 3), (2, 3, 2)])
    kw = {}
    if r.random() < 0.5:
        kw["margin"] = r.choice([0.0, 0.5, 1.0, 2.0, -1.0])
    if r.random() < 0.5:
        kw["swap"] = r.random() < 0.6
    if name == "triplet_margin_loss":
        if r.random() < 0.5:
            kw["p"] = r.choice([1.0, 2.0, 3.0, 0.0])
        if r.random() < 0.3:
            kw["eps"] = r.choice([1e-6, 0.1])
    elif r.random() < 0.7:
        kw["distance_function"] = r.choice(["pairwise", "cosine", "l1"])
    _reduction(r, kw, legacy=name == "triplet_margin_loss")
    others = [_x(r, shape if r.random() < 0.9 else _broadcast_partner(r, shape), _other(r, dt))
              for _ in range(2)]  # fmt: skip
    return [_x(r, shape, dt), *others], kw


def g_ctc(r, name):
    dt = r.choice(["float32", "float32", "float64", "float32", "float16"])
    c = r.choice([2, 3, 4, 5])
    t_len = r.choice([1, 3, 5, 6])
    n = r.choice([1, 2, 3])
    batched = r.random() < 0.85
    kw = {}
    blank = r.choice([0, 0, c - 1])
    if blank or r.random() < 0.3:
        kw["blank"] = blank
    if r.random() < 0.5:
        kw["zero_infinity"] = r.random() < 0.6
    _reduction(r, kw, legacy=False)
    n_eff = n if batched else 1
    in_lens = [r.randint(1, t_len) if r.random() < 0.5 else t_len for _ in range(n_eff)]
    tg_lens = [r.randint(0, min(t_len + 2, 5)) for _ in range(n_eff)]
    labels = [[r.choice([k for k in range(c) if k != blank]) for _ in range(m)] for m in tg_lens]
    k = r.random()
    if k < 0.04:  # PyTorch's errors: an input length past T, a negative length, a bad blank
        in_lens[0] = t_len + 1
    elif k < 0.06:
        tg_lens[0] = -1
    elif k < 0.08:
        kw["blank"] = c
    concatenated = batched and r.random() < 0.3
    tdtype = r.choice(["int64"] * 8 + ["int32"])
    lens_as = r.choice(["tuple", "list", "tensor"])
    shape = (t_len, n, c) if batched else (t_len, c)
    return [_x(r, shape, dt, "logsoftmax2"), ("ctc", labels, concatenated, tdtype, batched),
            ("lens", in_lens, lens_as, batched), ("lens", tg_lens, lens_as, batched)], kw  # fmt: skip


LOSSES = {
    "cross_entropy": (g_cross_entropy, "CrossEntropyLoss"),
    "nll_loss": (g_cross_entropy, "NLLLoss"),
    "binary_cross_entropy": (g_binary_cross_entropy, "BCELoss"),
    "binary_cross_entropy_with_logits": (g_binary_cross_entropy, "BCEWithLogitsLoss"),
    "mse_loss": (g_regression, "MSELoss"),
    "l1_loss": (g_regression, "L1Loss"),
    "smooth_l1_loss": (g_regression, "SmoothL1Loss"),
    "huber_loss": (g_regression, "HuberLoss"),
    "kl_div": (g_kl_div, "KLDivLoss"),
    "poisson_nll_loss": (g_poisson_nll_loss, "PoissonNLLLoss"),
    "gaussian_nll_loss": (g_gaussian_nll_loss, "GaussianNLLLoss"),
    "margin_ranking_loss": (g_margin, "MarginRankingLoss"),
    "hinge_embedding_loss": (g_margin, "HingeEmbeddingLoss"),
    "soft_margin_loss": (g_margin, "SoftMarginLoss"),
    "multilabel_margin_loss": (g_multilabel_margin, "MultiLabelMarginLoss"),
    "multilabel_soft_margin_loss": (g_multilabel_soft_margin, "MultiLabelSoftMarginLoss"),
    "multi_margin_loss": (g_multi_margin, "MultiMarginLoss"),
    "cosine_embedding_loss": (g_cosine_embedding, "CosineEmbeddingLoss"),
    "triplet_margin_loss": (g_triplet, "TripletMarginLoss"),
    "triplet_margin_with_distance_loss": (g_triplet, "TripletMarginWithDistanceLoss"),
    "ctc_loss": (g_ctc, "CTCLoss"),
}


# ---- nn.functional calls with their keywords ---------------------------------------------------
def _any_shape(r):
    return r.choice([(), (4,), (2, 3), (3, 1), (2, 3, 2), (0, 3), (1, 2, 2, 3)])


def f_softmax(r, name):
    shape = _any_shape(r)
    kw = {}
    if r.random() < 0.85:
        kw["dim"] = r.randint(-len(shape) - 1, len(shape)) if shape else r.choice([0, -1, 1])
    if r.random() < 0.3:
        kw["dtype"] = ("dtype", r.choice(["float64", "float32", "float16"]))
    return [_x(r, shape, _dtype(r))], kw


def f_normalize(r, name):
    shape = _any_shape(r)
    kw = {}
    if r.random() < 0.6:
        kw["p"] = r.choice([1.0, 2.0, 3.0, 0.5, float("inf"), 0.0])
    if r.random() < 0.6:
        kw["dim"] = r.randint(-len(shape) - 1, len(shape)) if shape else r.choice([0, -1])
    if r.random() < 0.3:
        kw["eps"] = r.choice([1e-12, 0.5, 10.0])
    kind = "zeros" if r.random() < 0.1 else "normal"
    return [_x(r, shape, _dtype(r), kind)], kw


def f_pad(r, name):
    shape = r.choice([(3,), (2, 4), (1, 2, 4), (2, 1, 3, 4), (1, 1, 2, 3, 3), (0, 2, 3)])
    mode = r.choice(["constant", "constant", "reflect", "replicate", "circular"])
    n = r.choice([2, 2, 4, 6]) if len(shape) > 1 else 2
    pad = tuple(r.choice([0, 1, 2, 3, -1]) for _ in range(n))
    kw = {"mode": mode} if mode != "constant" or r.random() < 0.5 else {}
    if mode == "constant" and r.random() < 0.5:
        kw["value"] = r.choice([0.0, 1.5, -2])
    return [_x(r, shape, _dtype(r)), pad], kw


def f_interpolate(r, name):
    mode = r.choice(["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear",
                     "area"])  # fmt: skip
    dims = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}.get(mode, r.randint(1, 3))
    if r.random() < 0.1:
        dims = r.randint(1, 3)  # a mode for another rank: PyTorch's error
    spatial = tuple(r.randint(1, 4) for _ in range(dims))
    shape = (r.choice([1, 2]), r.choice([1, 2]), *spatial)
    kw = {"mode": mode}
    if r.random() < 0.5:
        kw["size"] = r.choice([tuple(r.randint(1, 6) for _ in spatial), r.randint(1, 6)])
    else:
        kw["scale_factor"] = r.choice([2, 0.5, 1.5, 1.7, tuple(r.choice([2.0, 0.6, 1.3])
                                                              for _ in spatial)])  # fmt: skip
        if r.random() < 0.4:
            kw["recompute_scale_factor"] = r.choice([True, False])
    if r.random() < 0.5 and mode in ("linear", "bilinear", "bicubic", "trilinear", "nearest"):
        kw["align_corners"] = r.choice([True, False])
    # antialias, not with a dim of size 1 (PyTorch's CPU kernel then gives every output the
    # first input's value: left for later, see the session's report)
    if r.random() < 0.2 and mode in ("bilinear", "bicubic", "nearest") and 1 not in spatial:
        kw["antialias"] = True
    return [_x(r, shape, r.choice(["float32", "float32", "float64"]))], kw


def f_one_hot(r, name):
    shape = r.choice([(), (3,), (2, 3), (0,)])
    high = r.choice([1, 3, 5])
    kw = {"num_classes": r.choice([-1, high, high + 2, high - 1])} if r.random() < 0.7 else {}
    return [
        _i(shape, -1 if r.random() < 0.05 else 0, high, r.choice(["int64"] * 5 + ["int32"]))
    ], kw


def f_embedding(r, name):
    v, d = r.randint(1, 5), r.randint(1, 4)
    kw = {}
    if r.random() < 0.4:
        kw["padding_idx"] = r.choice([0, v - 1, -1, v, None])
    if r.random() < 0.4:
        kw["max_norm"] = r.choice([0.5, 1.0, 2.0])
        if r.random() < 0.5:
            kw["norm_type"] = r.choice([1.0, 2.0, 3.0])
    if r.random() < 0.3:
        kw["scale_grad_by_freq"] = True
    shape = r.choice([(3,), (2, 3), (), (0,)])
    # with max_norm the weight is renormalized in place: a leaf needing grad is refused
    rg = r.random() < (0.2 if "max_norm" in kw else 0.8)
    return [
        _i(shape, 0, v + (1 if r.random() < 0.05 else 0)),
        _x(r, (v, d), _dtype(r), grad=rg),
    ], kw


def f_dropout(r, name):
    dims = {"dropout1d": [2, 3], "dropout2d": [3, 4], "dropout3d": [4, 5]}.get(name, [1, 2, 3])
    shape = tuple(r.randint(1, 3) for _ in range(r.choice(dims)))
    kw = {"training": False}
    if r.random() < 0.7:
        kw["p"] = r.choice([0.0, 0.5, 1.0, 1.5, -0.1])
    if r.random() < 0.3:
        kw["inplace"] = True
    return [_x(r, shape, _dtype(r), grad=r.random() < 0.3)], kw


ACTIVATION_KEYWORDS = {
    "elu": {"alpha": [0.5, 1.0, 2.0]},
    "celu": {"alpha": [0.5, 1.0, 2.0]},
    "leaky_relu": {"negative_slope": [0.01, 0.2, -0.5]},
    "hardtanh": {"min_val": [-1.0, -0.5, 0.5], "max_val": [1.0, 0.7, -2.0]},
    "softplus": {"beta": [1.0, 2.0, 0.5, -1.0], "threshold": [20.0, 1.0, 0.5]},
    "threshold": {"threshold": [0.1, -0.5], "value": [-1.0, 2.0]},
    "rrelu": {"lower": [0.1, 0.125], "upper": [0.3, 1 / 3], "training": [False]},
    "gelu": {"approximate": ["none", "tanh"]},
    "hardshrink": {"lambd": [0.5, 0.0, 1.0]},
    "softshrink": {"lambd": [0.5, 0.0, 1.0]},
    "glu": {"dim": [-1, 0, 1]},
    "relu6": {},
    "selu": {},
    "silu": {},
    "mish": {},
    "hardswish": {},
    "hardsigmoid": {},
    "logsigmoid": {},
    "tanhshrink": {},
    "softsign": {},
}
NO_INPLACE = ("softplus", "gelu", "hardshrink", "softshrink", "glu", "logsigmoid", "tanhshrink",
              "softsign")  # fmt: skip


def f_activation(r, name):
    shape = r.choice([(), (4,), (2, 4), (2, 3, 2), (0, 2)])
    kw = {k: r.choice(v) for k, v in ACTIVATION_KEYWORDS[name].items() if r.random() < 0.6}
    if name in ("threshold",):
        kw = {k: r.choice(v) for k, v in ACTIVATION_KEYWORDS[name].items()}
    if name not in NO_INPLACE and r.random() < 0.3:
        kw["inplace"] = True
    return [_x(r, shape, _dtype(r), grad=r.random() < 0.6)], kw


def f_norm(r, name):
    dt = r.choice(["float32", "float32", "float64", "float16", "bfloat16"])
    n, c = r.choice([1, 2, 3]), r.choice([1, 2, 4])
    shape = (n, c, *[r.randint(1, 3) for _ in range(r.randint(0, 2))])
    kw, args = {}, [_x(r, shape, dt, "spread")]
    affine = r.random() < 0.6
    if name == "layer_norm":
        k = r.randint(1, len(shape))
        norm = shape[-k:] if r.random() < 0.9 else (7,)
        args.append(norm)
        if affine:
            kw["weight"] = _x(r, norm, dt, grad=r.random() < 0.5)
            kw["bias"] = _x(r, norm, dt, grad=r.random() < 0.5) if r.random() < 0.7 else None
    elif name == "rms_norm":
        norm = shape[-r.randint(1, len(shape)) :]
        args.append(norm)
        if affine:
            kw["weight"] = _x(r, norm, dt, grad=r.random() < 0.5)
    elif name == "group_norm":
        args.append(r.choice([g for g in (1, 2, 4, 3) if c % g == 0 or r.random() < 0.1]))
        if affine:
            kw["weight"] = _x(r, (c,), dt, grad=r.random() < 0.5)
            kw["bias"] = _x(r, (c,), dt, grad=r.random() < 0.5)
    elif name == "local_response_norm":
        args.append(r.randint(1, 4))
        kw.update(alpha=r.choice([1e-4, 0.5]), beta=r.choice([0.75, 1.0]), k=r.choice([1.0, 2.0]))
    else:  # batch_norm with running statistics in eval mode, instance_norm without
        stats = [_x(r, (c,), dt, grad=False), _x(r, (c,), dt, "positive", grad=False)]
        if name == "batch_norm":
            args += stats
            kw["training"] = False
        elif r.random() < 0.3:
            kw["running_mean"], kw["running_var"] = stats
        if affine:
            kw["weight"] = _x(r, (c,), dt, grad=r.random() < 0.5)
            kw["bias"] = _x(r, (c,), dt, grad=r.random() < 0.5)
    if r.random() < 0.3:
        kw["eps"] = r.choice([1e-5, 0.1])
    if name == "local_response_norm":
        kw.pop("eps", None)
    return args, kw


def f_similarity(r, name):
    dt = _dtype(r)
    shape = r.choice([(3,), (2, 3), (4, 1), (2, 3, 2), (0, 3), ()])
    other = shape if r.random() < 0.8 else r.choice([(1, *shape[-1:]), (5,), shape[:-1]])
    kw = {}
    if name == "cosine_similarity":
        if r.random() < 0.6:
            kw["dim"] = r.randint(-len(shape) - 1, len(shape)) if shape else r.choice([0, -1])
        if r.random() < 0.3:
            kw["eps"] = r.choice([1e-8, 0.5])
    elif name == "pairwise_distance":
        if r.random() < 0.6:
            kw["p"] = r.choice([1.0, 2.0, 3.0, 0.0, float("inf"), -1.0])
        if r.random() < 0.3:
            kw["eps"] = r.choice([1e-6, 0.5])
        if r.random() < 0.3:
            kw["keepdim"] = True
    else:  # pdist of an (N, M) matrix
        shape = r.choice([(3, 2), (1, 3), (4, 1), (2, 2, 2)])  # (0, M): PyTorch's backward crashes
        if r.random() < 0.6:
            kw["p"] = r.choice([1.0, 2.0, 3.0, 0.0, float("inf"), 0.5])
        return [_x(r, shape, r.choice(["float32", "float64"]))], kw
    return [_x(r, shape, dt), _x(r, other, _other(r, dt))], kw


def f_unfold(r, name):
    k = r.choice([1, 2, (2, 1), 3])
    kw = {}
    if r.random() < 0.4:
        kw["dilation"] = r.choice([1, 2, (1, 2)])
    if r.random() < 0.4:
        kw["padding"] = r.choice([0, 1, (1, 0)])
    if r.random() < 0.4:
        kw["stride"] = r.choice([1, 2, (2, 1)])
    dt = r.choice(["float32", "float64"])
    if name == "unfold":
        shape = r.choice([(1, 2, 3, 4), (2, 1, 4, 4), (2, 3, 3), (1, 1, 1, 1)])
        return [_x(r, shape, dt), k], kw
    out = r.choice([(3, 4), (4, 4), (2, 3)])
    blocks = r.choice([1, 2, 4, 6, 12])
    return [_x(r, (r.choice([1, 2]), r.choice([2, 4, 8]), blocks), dt), out, k], kw


def f_pool(r, name):
    dims = int(name[-2])
    spatial = tuple(r.randint(1, 5) for _ in range(dims))
    shape = (r.choice([1, 2]), r.choice([1, 2]), *spatial) if r.random() < 0.8 else (2, *spatial)
    kw = {}
    if r.random() < 0.5:
        kw["stride"] = r.choice([1, 2, None])
    if r.random() < 0.3:
        kw["ceil_mode"] = True
    x = _x(r, shape, r.choice(["float32", "float32", "float64", "bfloat16"]))
    if name.startswith("lp"):
        return [x, r.choice([1.0, 2.0, 3.0]), r.choice([1, 2, 3])], kw
    if r.random() < 0.5:
        kw["padding"] = r.choice([0, 1])
    if name.startswith("avg"):
        if r.random() < 0.4:
            kw["count_include_pad"] = False
        if r.random() < 0.3 and dims > 1:
            kw["divisor_override"] = r.choice([1, 3, 0])
    else:
        if r.random() < 0.3:
            kw["dilation"] = r.choice([1, 2])
        if r.random() < 0.3:
            kw["return_indices"] = True
    return [x, r.choice([1, 2, 3])], kw


def f_embedding_bag(r, name):
    v, d = r.randint(1, 5), r.randint(1, 3)
    kw = {"mode": r.choice(["mean", "sum", "max"])} if r.random() < 0.8 else {}
    bags = r.random() < 0.5
    shape = (r.randint(0, 5),) if bags else (r.randint(1, 3), r.randint(1, 3))
    if bags:  # (offsets past the input, or no bag but the last offset: PyTorch crashes)
        offsets = r.choice([o for o in ([0], [0, 2], [0, 0, 1], [0, 3]) if o[-1] <= shape[0]])
        if r.random() < 0.3:  # the last offset the input's end (minitorch refuses others)
            offsets = [*offsets, shape[0]]
            kw["include_last_offset"] = True
        kw["offsets"] = ("offsets", offsets)
    if r.random() < 0.3 and kw.get("mode", "mean") == "sum":
        kw["per_sample_weights"] = _x(r, shape, "float32", grad=False)
    if r.random() < 0.3:
        kw["padding_idx"] = r.choice([0, v - 1, -1])
    return [_i(shape, 0, v), _x(r, (v, d), "float32")], kw


DROPOUTS = ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
            "feature_alpha_dropout")  # fmt: skip
NORMS = ("layer_norm", "group_norm", "rms_norm", "batch_norm", "instance_norm",
         "local_response_norm")  # fmt: skip
POOLS = ("avg_pool1d", "avg_pool2d", "avg_pool3d", "max_pool1d", "max_pool2d", "max_pool3d",
         "lp_pool1d", "lp_pool2d")  # fmt: skip
FUNCTIONS = {
    "softmax": f_softmax,
    "log_softmax": f_softmax,
    "softmin": f_softmax,
    "normalize": f_normalize,
    "pad": f_pad,
    "interpolate": f_interpolate,
    "one_hot": f_one_hot,
    "embedding": f_embedding,
    "embedding_bag": f_embedding_bag,
    **dict.fromkeys(DROPOUTS, f_dropout),
    **dict.fromkeys(ACTIVATION_KEYWORDS, f_activation),
    **dict.fromkeys(NORMS, f_norm),
    **dict.fromkeys(("cosine_similarity", "pairwise_distance", "pdist"), f_similarity),
    **dict.fromkeys(("unfold", "fold"), f_unfold),
    **dict.fromkeys(POOLS, f_pool),
}


# Divergences left for later (see the session's report):
# - the second derivative of PyTorch's ctc_loss, multi_margin_loss and multilabel_margin_loss
#   is not implemented (their first-order gradients need a gradient but backward through them
#   raises 'derivative for aten::..._backward is not implemented'); minitorch composes them of
#   differentiable ops and gives the second derivative;
# - binary_cross_entropy's second derivative at inputs of exactly 0 or 1: PyTorch's formula
#   divides by (x + 1e-12)^2 (1 - x + 1e-12)^2, minitorch differentiates its clamped gradient.
# - the other nn.functional calls are fuzzed to first order: under create_graph, PyTorch's
#   fused backward nodes (threshold, hardsigmoid, the normalizations...) give first-order
#   gradients that need a gradient where minitorch's do not, or the reverse.
FIRST_ORDER = ("ctc_loss", "multi_margin_loss", "multilabel_margin_loss")
# keywords that are tensors of the call, not arguments of the Module's constructor
FORWARD_ONLY = {"gaussian_nll_loss": ("var",)}


def case(seed: int) -> tuple:
    """(name, argument specs, keyword specs, Module form?, mode) of call ``seed``: a loss, or
    for a negative seed one of the other nn.functional calls."""
    r = random.Random(seed)
    if seed < 0:
        name = sorted(FUNCTIONS)[-seed % len(FUNCTIONS)]
        args, kwargs = FUNCTIONS[name](r, name)
        mode = r.choice(("value", "grad"))  # see FIRST_ORDER
        return name, args, kwargs, False, mode
    name = sorted(LOSSES)[seed % len(LOSSES)]
    args, kwargs = LOSSES[name][0](r, name)
    module, mode = r.random() < 0.3, MODES[r.randrange(len(MODES))]
    if mode == "grad2" and name in FIRST_ORDER:
        mode = "grad"
    if mode == "grad2" and name == "binary_cross_entropy" and args[0][4] == "prob01":
        args[0] = args[0][:4] + ("prob",)  # see FIRST_ORDER's comment
    return name, args, kwargs, module, mode


def describe(seed: int) -> str:
    name, args, kwargs, module, mode = case(seed)
    form = LOSSES[name][1] if module else f"F.{name}"
    return f"{mode}: {form}({args}, {kwargs})"


# ---- running a call --------------------------------------------------------------------------
def _values(rng, shape, kind):
    n = math.prod(shape)
    if kind in ("softmax", "logsoftmax", "logsoftmax2"):
        z = rng.standard_normal(shape)
        axis = -1 if kind == "logsoftmax2" else (1 if len(shape) > 1 else 0)
        if n == 0 or not shape:
            return z
        z = z - z.max(axis=axis, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=axis, keepdims=True))
        return np.exp(z - lse) if kind == "softmax" else z - lse
    if kind == "zeros":
        return np.zeros(shape)
    if kind == "spread":  # neighbours apart: normalizing them is well-conditioned
        return (np.arange(n) % 4).reshape(shape) + 0.2 * rng.standard_normal(shape)
    if kind == "prob":
        return rng.uniform(0.02, 0.98, shape)
    if kind == "prob01":
        return rng.choice([0.0, 0.25, 0.5, 1.0], shape)
    if kind == "binary":
        return rng.integers(0, 2, shape).astype(float)
    if kind == "sign":
        return rng.choice([-1.0, 1.0], shape)
    if kind == "positive":
        return rng.uniform(0.1, 2.0, shape)
    if kind == "counts":
        return rng.integers(0, 5, shape).astype(float)
    return rng.standard_normal(shape)


def _distance(T, which):
    F = T.nn.functional
    if which == "pairwise":
        return F.pairwise_distance
    if which == "cosine":
        return lambda a, b: 1.0 - F.cosine_similarity(a, b)
    return lambda a, b: (a - b).abs().sum(-1)


def _build(T, spec, rng, leaves):
    if not isinstance(spec, tuple) or not spec or not isinstance(spec[0], str):
        return spec
    if spec[0] == "x":
        _, shape, dtype, rg, kind = spec
        t = T.tensor(_values(rng, shape, kind), dtype=getattr(T, dtype))
        if rg:
            t.requires_grad_()
            leaves.append(t)
        return t
    if spec[0] == "i":
        _, shape, dtype, low, high, fill, fraction = spec
        v = rng.integers(low, high, shape) if high > low else np.zeros(shape, dtype=np.int64)
        if fill is not None and fraction:
            v = np.where(rng.random(shape) < fraction, fill, v)
        if dtype == "uint8":  # no negative bytes (an ignore_index < 0 ignores nothing)
            v = np.maximum(v, 0)
        return T.tensor(v, dtype=getattr(T, dtype))
    if spec[0] == "ctc":
        _, labels, concatenated, dtype, batched = spec
        dt = getattr(T, dtype)
        if concatenated:
            return T.tensor([k for row in labels for k in row], dtype=dt)
        width = max(len(row) for row in labels)
        padded = [row + [0] * (width - len(row)) for row in labels]
        return T.tensor(padded if batched else padded[0], dtype=dt)
    if spec[0] == "lens":
        _, lens, kind, batched = spec
        if kind == "tensor":
            return T.tensor(lens if batched else lens[0])
        return tuple(lens) if kind == "tuple" else list(lens)
    if spec[0] == "dtype":
        return getattr(T, spec[1])
    if spec[0] == "offsets":
        return T.tensor(spec[1])
    if spec[0] in ("pairwise", "cosine", "l1"):
        return _distance(T, spec[0])
    return spec


def _array(t) -> tuple:
    if t is None:
        return None
    try:
        values = np.array(
            t.detach().float().tolist() if t.is_floating_point() else t.tolist(),
            dtype=float if t.is_floating_point() else np.int64,
        )
    except RuntimeError as e:  # PyTorch's ZeroTensor (a known-zero gradient) has no storage
        assert "unallocated storage" in str(e)
        values = np.zeros(tuple(t.shape))
    return ("tensor", str(t.dtype).split(".")[-1], tuple(t.shape), t.requires_grad, values)


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e).replace("minitorch", "torch"))


def _warnings(caught) -> list:
    return sorted(
        (w.category.__name__, str(w.message).replace("minitorch", "torch")[:40]) for w in caught
    )


def _call(T, name, args, kwargs, module):
    F = T.nn.functional
    if name == "triplet_margin_with_distance_loss" and "distance_function" in kwargs:
        kwargs = {**kwargs, "distance_function": _distance(T, kwargs["distance_function"])}
    if not module:
        return getattr(F, name)(*args, **kwargs), None
    forward = {k: v for k, v in kwargs.items() if k in FORWARD_ONLY.get(name, ())}
    ctor = {k: v for k, v in kwargs.items() if k not in forward}
    m = getattr(T.nn, LOSSES[name][1])(**ctor)
    return m(*args, **forward), repr(m)


def run(T, seed: int) -> list:
    name, arg_specs, kw_specs, module, mode = case(seed)
    rng = np.random.default_rng(abs(seed))
    out, leaves = [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            args = [_build(T, s, rng, leaves) for s in arg_specs]
            kwargs = {k: _build(T, s, rng, leaves) for k, s in kw_specs.items()}
            if mode == "no_grad":  # the checks of arguments needing a gradient are off
                with T.no_grad():
                    loss, shown = _call(T, name, args, kwargs, module)
            else:
                loss, shown = _call(T, name, args, kwargs, module)
            out += [shown, _array(loss)]
            if seed < 0:  # the operands after the call (in-place changes, renormed embeddings)
                out.append([_array(a) for a in args if isinstance(a, T.Tensor)])
            if mode in ("value", "no_grad") or not loss.requires_grad:
                return out + [_warnings(caught)]
            weights = T.tensor(np.cos(np.arange(loss.numel())).reshape(tuple(loss.shape)))
            total = (loss * weights.to(loss.dtype)).sum()
            out += gradient_outcomes(T, total, leaves, mode == "grad2", _array)
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out.append(_error(e))
        return out + [_warnings(caught)]


TOLERANCE = {"float64": (1e-7, 1e-9), "float32": (1e-4, 5e-5), "float16": (2e-2, 2e-2),
             "bfloat16": (5e-2, 5e-2)}  # fmt: skip


def loosest(seed: int) -> str:
    """The least precise floating dtype of call ``seed``'s tensors: a float64 result computed
    from float16 operands (type promotion) is as precise as they are."""
    name, args, kwargs, _, _ = case(seed)
    specs = [s for s in (*args, *kwargs.values()) if isinstance(s, tuple)]
    dtypes = [s[2] if s[0] == "x" else s[1] for s in specs if s[:1] in (("x",), ("dtype",))]
    return max(dtypes, key=lambda d: TOLERANCE[d][0], default="float64")


same = functools.partial(assert_same, tolerance=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_loss_matches_pytorch(torch, seed):
    same(run(minitorch, seed), run(torch, seed), describe(seed), loosest(seed))


@pytest.mark.parametrize("seed", FUNCTIONAL_SEEDS)
def test_random_functional_call_matches_pytorch(torch, seed):
    same(run(minitorch, seed), run(torch, seed), describe(seed), loosest(seed))
