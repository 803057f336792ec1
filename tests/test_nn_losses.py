"""Losses (modules and functional forms, every reduction) against PyTorch; gradcheck and
gradgradcheck of the fused cross-entropy and BCE ops; stability and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from nn_oracle import compare_module

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

REDUCTIONS = ["mean", "sum", "none"]
rng = np.random.default_rng(0)


def _f32(*shape, low=None, high=None):
    if low is not None:
        return rng.uniform(low, high, shape).astype(np.float32)
    return (rng.standard_normal(shape) * 2).astype(np.float32)


def _classes(c, *shape):
    return rng.integers(0, c, shape).astype(np.int64)


def _probs(*shape, dim=1):
    e = np.exp(rng.standard_normal(shape))
    return (e / e.sum(dim, keepdims=True)).astype(np.float32)


def _weight(c):
    return rng.uniform(0.2, 2.0, c).astype(np.float32)


def _targets_fixed(ignored_rows=()):
    t = _classes(5, 6)
    t[list(ignored_rows)] = -100
    return t


CASES = {
    "mse": (lambda nn, r: nn.MSELoss(reduction=r), lambda: (_f32(4, 3), _f32(4, 3))),
    "l1": (lambda nn, r: nn.L1Loss(reduction=r), lambda: (_f32(4, 3), _f32(4, 3))),
    "huber": (lambda nn, r: nn.HuberLoss(r, delta=0.7), lambda: (_f32(4, 3), _f32(4, 3))),
    "smooth_l1": (
        lambda nn, r: nn.SmoothL1Loss(reduction=r, beta=0.6),
        lambda: (_f32(4, 3), _f32(4, 3)),
    ),
    "smooth_l1_beta0": (
        lambda nn, r: nn.SmoothL1Loss(reduction=r, beta=0.0),
        lambda: (_f32(4, 3), _f32(4, 3)),
    ),
    "cross_entropy": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r),
        lambda: (_f32(6, 5), _classes(5, 6)),
    ),
    "cross_entropy_1d": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r),
        lambda: (_f32(5), _classes(5)),
    ),
    "cross_entropy_nd": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r),
        lambda: (_f32(2, 4, 3, 2), _classes(4, 2, 3, 2)),
    ),
    "cross_entropy_ignore_smoothing": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r, ignore_index=-100, label_smoothing=0.2),
        lambda: (_f32(6, 5), _targets_fixed([1, 4])),
    ),
    "cross_entropy_ignore_positive_index": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r, ignore_index=2),
        lambda: (_f32(8, 3), _classes(3, 8)),
    ),
    "cross_entropy_probs": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r, label_smoothing=0.1),
        lambda: (_f32(4, 5), _probs(4, 5)),
    ),
    "cross_entropy_probs_nd": (
        lambda nn, r: nn.CrossEntropyLoss(reduction=r),
        lambda: (_f32(2, 3, 4), _probs(2, 3, 4)),
    ),
    "nll": (lambda nn, r: nn.NLLLoss(reduction=r), lambda: (_f32(6, 5), _targets_fixed([2]))),
    "nll_nd": (lambda nn, r: nn.NLLLoss(reduction=r), lambda: (_f32(2, 4, 3), _classes(4, 2, 3))),
    "bce": (
        lambda nn, r: nn.BCELoss(reduction=r),
        lambda: (_f32(4, 3, low=0.02, high=0.98), _f32(4, 3, low=0, high=1)),
    ),
    "bce_with_logits": (
        lambda nn, r: nn.BCEWithLogitsLoss(reduction=r),
        lambda: (_f32(4, 3) * 3, _f32(4, 3, low=0, high=1)),
    ),
    "kl_div": (
        lambda nn, r: nn.KLDivLoss(reduction=r),
        lambda: (np.log(_probs(4, 5)), _probs(4, 5)),
    ),
    "kl_div_batchmean": (
        lambda nn, r: nn.KLDivLoss(reduction="batchmean"),
        lambda: (np.log(_probs(4, 5)), _probs(4, 5)),
    ),
    "kl_div_log_target": (
        lambda nn, r: nn.KLDivLoss(reduction=r, log_target=True),
        lambda: (np.log(_probs(4, 5)), np.log(_probs(4, 5))),
    ),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(CASES))
def test_loss_matches_torch(torch, name, reduction):
    make, data = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # KLDivLoss 'mean' warns in both libraries
        compare_module(torch, lambda nn: make(nn, reduction), *data())


WEIGHTED = {
    "cross_entropy_weight": (
        lambda nn, r, weight: nn.CrossEntropyLoss(weight=weight, reduction=r),
        lambda: (_f32(6, 5), _targets_fixed([0])),
    ),
    "cross_entropy_weight_smoothing_nd": (
        lambda nn, r, weight: nn.CrossEntropyLoss(weight=weight, reduction=r, label_smoothing=0.3),
        lambda: (_f32(3, 5, 2), _classes(5, 3, 2)),
    ),
    "cross_entropy_weight_probs": (
        lambda nn, r, weight: nn.CrossEntropyLoss(weight=weight, reduction=r),
        lambda: (_f32(4, 5), _probs(4, 5)),
    ),
    "nll_weight": (
        lambda nn, r, weight: nn.NLLLoss(weight=weight, reduction=r),
        lambda: (_f32(6, 5), _targets_fixed([3])),
    ),
    "bce_weight": (
        lambda nn, r, weight: nn.BCELoss(weight=weight, reduction=r),
        lambda: (_f32(4, 5, low=0.02, high=0.98), _f32(4, 5, low=0, high=1)),
    ),
    "bce_with_logits_weight": (
        lambda nn, r, weight: nn.BCEWithLogitsLoss(weight=weight, reduction=r),
        lambda: (_f32(4, 5), _f32(4, 5, low=0, high=1)),
    ),
    "bce_with_logits_pos_weight": (
        lambda nn, r, weight: nn.BCEWithLogitsLoss(pos_weight=weight, reduction=r),
        lambda: (_f32(4, 5) * 4, _f32(4, 5, low=0, high=1)),
    ),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(WEIGHTED))
def test_weighted_loss_matches_torch(torch, name, reduction):
    make, data = WEIGHTED[name]
    w = _weight(5)

    def build(lib_nn):  # the weight is a tensor of the library being built
        return make(lib_nn, reduction, (minitorch if lib_nn is nn else torch).tensor(w))

    compare_module(torch, build, *data())


def test_weight_is_a_buffer_like_torch(torch):
    w = _weight(3)
    ours = nn.CrossEntropyLoss(weight=minitorch.tensor(w))
    theirs = torch.nn.CrossEntropyLoss(weight=torch.tensor(w))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=minitorch.ones(2)).state_dict()) == ["pos_weight"]


def test_soft_target_gradient_matches_torch(torch):
    x, t = _f32(4, 5), _probs(4, 5)
    a, b = minitorch.tensor(x, requires_grad=True), minitorch.tensor(t, requires_grad=True)
    c, d = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
    F.cross_entropy(a, b, label_smoothing=0.2).backward()
    torch.nn.functional.cross_entropy(c, d, label_smoothing=0.2).backward()
    np.testing.assert_allclose(b.grad.numpy(), d.grad.numpy(), rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(a.grad.numpy(), c.grad.numpy(), rtol=2e-5, atol=2e-6)


def test_cross_entropy_is_one_stable_op():
    logits = minitorch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0]], requires_grad=True)
    target = minitorch.tensor([1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.cross_entropy(logits, target)
        loss.backward()
    assert loss.grad_fn.name() == "NllLossBackward0"  # PyTorch's name
    assert [fn.variable for fn, _ in loss.grad_fn.next_functions if fn][0] is logits
    np.testing.assert_allclose(loss.item(), 1e4, rtol=1e-6)  # (2e4 + 0) / 2
    assert np.isfinite(logits.grad.numpy()).all()
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5, 0], [0, 0, 0]], atol=1e-7)
    assert loss.dtype == minitorch.float32 and logits.grad.dtype == minitorch.float32


def _f64(*shape, seed=0):
    return minitorch.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


@pytest.mark.parametrize("smoothing", [0.1, 0.0])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_gradcheck_class_targets(reduction, weighted, smoothing):
    """K-d, 2-D and unbatched inputs; without smoothing the forward reads logp only at the
    targets, and the raw backward scatters there (no dense target distribution)."""
    w = minitorch.tensor([0.5, 1.0, 2.0], dtype=minitorch.float64) if weighted else None
    cases = [
        (_f64(4, 3, 2), minitorch.tensor([[0, 2], [1, 1], [2, -100], [0, 1]])),
        (_f64(5, 3, seed=1), minitorch.tensor([2, 0, -100, 1, 1])),
        (_f64(3, seed=2), minitorch.tensor(1)),
    ]
    for x, t in cases:

        def fn(x, t=t):
            return F.cross_entropy(x, t, weight=w, reduction=reduction, label_smoothing=smoothing)

        assert gradcheck(fn, (x,))
        assert gradgradcheck(fn, (x,))


def test_cross_entropy_gradcheck_probability_targets():
    x = _f64(3, 4)
    t = minitorch.tensor(np.random.default_rng(1).dirichlet(np.ones(4), 3), requires_grad=True)

    def fn(x, t):
        return F.cross_entropy(x, t, reduction="sum", label_smoothing=0.2)

    assert gradcheck(fn, (x, t))
    assert gradgradcheck(fn, (x, t))


def test_bce_gradcheck():
    x = minitorch.tensor(np.random.default_rng(0).uniform(0.1, 0.9, (3, 2)), requires_grad=True)
    t = minitorch.tensor(np.random.default_rng(1).uniform(0, 1, (3, 2)), requires_grad=True)
    assert gradcheck(F.binary_cross_entropy, (x, t))
    assert gradgradcheck(F.binary_cross_entropy, (x, t))
    x = _f64(3, 2)
    pw = minitorch.tensor([0.5, 3.0], dtype=minitorch.float64)
    assert gradgradcheck(
        lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw), (x, t)
    )


def test_bce_with_logits_stable():
    x = minitorch.tensor([-1e4, 1e4, 0.0], requires_grad=True)
    t = minitorch.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [1e4, 1e4, np.log(2)], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [-1, 1, -0.5], atol=1e-7)


def test_bce_clamps_log_like_torch(torch):
    x, t = np.array([0.0, 1.0, 0.5], np.float32), np.array([1.0, 0.0, 1.0], np.float32)
    ours = F.binary_cross_entropy(minitorch.tensor(x), minitorch.tensor(t), reduction="none")
    theirs = torch.nn.functional.binary_cross_entropy(
        torch.tensor(x), torch.tensor(t), reduction="none"
    )
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_all_targets_ignored_gives_nan_like_torch(torch):
    x, t = _f32(2, 3), np.array([-100, -100])
    ours = F.cross_entropy(minitorch.tensor(x), minitorch.tensor(t))
    theirs = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(t))
    assert np.isnan(ours.item()) and np.isnan(theirs.item())


def test_legacy_size_average_and_reduce(torch):
    x, t = _f32(3, 4), _f32(3, 4)
    for kwargs in (dict(size_average=False), dict(reduce=False)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = nn.MSELoss(**kwargs)(minitorch.tensor(x), minitorch.tensor(t))
            theirs = torch.nn.MSELoss(**kwargs)(torch.tensor(x), torch.tensor(t))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_loss_errors():
    x = minitorch.randn(3, 4)
    with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
        F.cross_entropy(x, minitorch.tensor([0, 1, 2]), reduction="bogus")
    with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
        F.mse_loss(x, x, reduction="bogus")
    with pytest.raises(IndexError, match="Target 4 is out of bounds"):
        F.cross_entropy(x, minitorch.tensor([0, 4, 1]))
    with pytest.raises(
        ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)"
    ):
        F.cross_entropy(x, minitorch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        F.cross_entropy(x, minitorch.tensor([0, 1, 2]), label_smoothing=1.5)
    with pytest.raises(
        RuntimeError, match="weight tensor should be defined either for all 4 classes"
    ):
        F.cross_entropy(x, minitorch.tensor([0, 1, 2]), weight=minitorch.ones(3))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(x, x.sigmoid())
    with pytest.raises(ValueError, match="different to the input size"):
        F.binary_cross_entropy(x.sigmoid(), minitorch.ones(4))
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(x, minitorch.ones(4))
