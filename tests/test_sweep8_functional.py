"""Session 7 compatibility sweep of torch.nn.functional and the loss, activation and sampling
layers (second pass): short programs written the way PyTorch users write them, each run with
real PyTorch (the oracle) and with minitorch from the same seed. Values, gradients, shapes,
dtypes and error messages must agree."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program(name, torch):
    SWEEP.check(name, torch)


def _leaf(torch, *shape, dtype=None, low=None):
    x = torch.randn(*shape, dtype=dtype or torch.float32)
    return x.requires_grad_()


# ---- classification losses ----------------------------------------------------------------
@program
def cross_entropy_every_reduction_weight_ignore_smoothing(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "mean", "sum"):
        x = _leaf(torch, 6, 4)
        t = torch.tensor([0, 3, -100, 2, 1, 3])
        w = torch.tensor([0.5, 1.0, 2.0, 0.1])
        loss = F.cross_entropy(
            x, t, weight=w, ignore_index=-100, label_smoothing=0.2, reduction=red
        )
        loss.sum().backward()
        out += [loss, x.grad]
    return out


@program
def cross_entropy_4d_weight_ignore_float64(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 3, 4, 5, dtype=torch.float64)
    t = torch.randint(0, 3, (2, 4, 5))
    t[0, 0, :2] = 1
    t[1, 2, 3] = 1
    w = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    loss = F.cross_entropy(x, t, weight=w, ignore_index=1, label_smoothing=0.1)
    loss.backward()
    none = F.cross_entropy(x, t, weight=w, ignore_index=1, reduction="none")
    return loss, x.grad, none


@program
def cross_entropy_prob_targets_every_reduction(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "mean", "sum"):
        x = _leaf(torch, 3, 5, 2)
        p = torch.softmax(torch.randn(3, 5, 2), 1)
        w = torch.rand(5)
        loss = F.cross_entropy(x, p, weight=w, label_smoothing=0.3, reduction=red)
        loss.sum().backward()
        out += [loss, x.grad]
    return out


@program
def cross_entropy_1d_unbatched(torch):
    F = torch.nn.functional
    x = _leaf(torch, 5)
    t = torch.tensor(2)
    a = F.cross_entropy(x, t, label_smoothing=0.25)
    b = F.cross_entropy(x, torch.softmax(torch.randn(5), 0))
    (a + b).backward()
    return a, b, x.grad


@program
def cross_entropy_ignore_index_with_smoothing_none(torch):
    F = torch.nn.functional
    x = _leaf(torch, 4, 3)
    t = torch.tensor([0, 5, 2, 5])
    loss = F.cross_entropy(x, t, ignore_index=5, label_smoothing=0.4, reduction="none")
    loss.sum().backward()
    return loss, x.grad


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Float")
def cross_entropy_float_target_wrong_shape(torch):
    F = torch.nn.functional
    return F.cross_entropy(torch.randn(3, 4), torch.tensor([1.0, 2.0, 0.0]))


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Char")
def cross_entropy_int8_target(torch):
    F = torch.nn.functional
    return F.nll_loss(torch.randn(3, 4), torch.tensor([1, 2, 0], dtype=torch.int8))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def cross_entropy_batch_mismatch(torch):
    F = torch.nn.functional
    return F.cross_entropy(torch.randn(3, 4), torch.tensor([1, 2]))


@error(
    RuntimeError,
    r"weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: \[3\]",
)
def nll_loss_bad_weight(torch):
    F = torch.nn.functional
    return F.nll_loss(torch.randn(3, 4), torch.tensor([1, 2, 0]), weight=torch.ones(3))


@program
def nll_loss_3d_ignore_sum_mean(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 4, 3)
    t = torch.tensor([[0, 1, 3], [2, 2, 0]])
    w = torch.tensor([1.0, 0.0, 3.0, 0.5])
    a = F.nll_loss(x, t, weight=w, ignore_index=2, reduction="mean")
    b = F.nll_loss(x, t, weight=w, ignore_index=2, reduction="sum")
    (a + b).backward()
    return a, b, x.grad


@program
def nll_loss_all_weight_zero_mean(torch):
    F = torch.nn.functional
    x = _leaf(torch, 3, 2)
    t = torch.tensor([1, 1, 1])
    loss = F.nll_loss(x, t, weight=torch.tensor([1.0, 0.0]))
    loss.backward()
    return loss, x.grad


@program
def bce_with_logits_broadcast_weight_pos_weight(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "mean", "sum"):
        x = _leaf(torch, 4, 3)
        y = torch.rand(4, 3)
        w = torch.rand(3)
        pw = torch.tensor([1.0, 2.0, 0.5])
        loss = F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw, reduction=red)
        loss.sum().backward()
        out += [loss, x.grad]
    return out


@program
def bce_with_logits_4d_pos_weight_channels(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 3, 2, 2, dtype=torch.float64)
    y = (torch.rand(2, 3, 2, 2) > 0.5).double()
    pw = torch.tensor([3.0, 1.0, 0.2], dtype=torch.float64).view(3, 1, 1)
    loss = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw)
    loss.backward()
    return loss, x.grad


@program
def bce_weight_broadcast_and_extremes(torch):
    F = torch.nn.functional
    x = torch.tensor([0.0, 1.0, 0.5, 1e-9, 1 - 1e-7], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 1.0, 0.0])
    w = torch.tensor(2.0)
    a = F.binary_cross_entropy(x, y, weight=w, reduction="none")
    b = F.binary_cross_entropy(x, y, reduction="sum")
    (a.sum() + b).backward()
    return a, b, x.grad


@error(
    ValueError,
    r"Target size \(torch.Size\(\[3\]\)\) must be the same as input size \(torch.Size\(\[3, 1\]\)\)",
)
def bce_with_logits_shape_mismatch(torch):
    F = torch.nn.functional
    return F.binary_cross_entropy_with_logits(torch.randn(3, 1), torch.rand(3))


@program
def kl_div_log_target_reductions(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "sum", "batchmean", "mean"):
        x = torch.log_softmax(torch.randn(3, 4), 1).requires_grad_()
        t = torch.log_softmax(torch.randn(3, 4), 1).requires_grad_()
        loss = F.kl_div(x, t, reduction=red, log_target=True)
        loss.sum().backward()
        out += [loss, x.grad, t.grad]
    return out


@program
def kl_div_zero_targets_grad(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 3)
    t = torch.tensor([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]], requires_grad=True)
    loss = F.kl_div(x, t, reduction="batchmean")
    loss.backward()
    negative = F.kl_div(x, torch.tensor([[-0.5, 0.5, 1.0], [1.0, 0.0, 0.0]]), reduction="none")
    return loss, x.grad, t.grad, negative, torch.xlogy(t, t).grad_fn.name()


@program
def poisson_nll_full_and_not_log(torch):
    F = torch.nn.functional
    out = []
    for log_input in (True, False):
        for full in (True, False):
            x = torch.rand(5, requires_grad=True)
            t = torch.tensor([0.0, 1.0, 2.0, 5.0, 0.5])
            loss = F.poisson_nll_loss(x, t, log_input=log_input, full=full, reduction="none")
            loss.sum().backward()
            out += [loss, x.grad]
    return out


@program
def gaussian_nll_var_shapes(torch):
    F = torch.nn.functional
    x = _leaf(torch, 4, 3)
    t = torch.randn(4, 3)
    v1 = torch.rand(4, 3, requires_grad=True)
    v2 = torch.rand(4, 1, requires_grad=True)
    v3 = torch.rand(4, requires_grad=True)
    a = F.gaussian_nll_loss(x, t, v1)
    b = F.gaussian_nll_loss(x, t, v2, full=True, reduction="sum")
    c = F.gaussian_nll_loss(x, t, v3, eps=0.5, reduction="none")
    (a + b + c.sum()).backward()
    return a, b, c, x.grad, v1.grad, v2.grad, v3.grad


@program
def gaussian_nll_scalar_var(torch):
    F = torch.nn.functional
    x = _leaf(torch, 4, 3)
    t = torch.randn(4, 3)
    a = F.gaussian_nll_loss(x, t, 0.5)
    a.backward()
    return a, x.grad


@error(ValueError, r"var is of incorrect size")
def gaussian_nll_bad_var_shape(torch):
    F = torch.nn.functional
    return F.gaussian_nll_loss(torch.randn(4, 3), torch.randn(4, 3), torch.rand(4, 2))


@program
def huber_smooth_l1_delta_beta(torch):
    F = torch.nn.functional
    out = []
    for d in (0.0, 0.5, 2.0):
        x = _leaf(torch, 6)
        t = torch.randn(6)
        h = F.huber_loss(x, t, delta=d if d else 1e-3, reduction="none")
        s = F.smooth_l1_loss(x, t, beta=d, reduction="sum")
        (h.sum() + s).backward()
        out += [h, s, x.grad]
    return out


@program
def smooth_l1_beta_zero_grad_at_tie(torch):
    F = torch.nn.functional
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t = torch.tensor([1.0, 0.0, 4.0])
    s = F.smooth_l1_loss(x, t, beta=0.0)
    s.backward()
    l1 = F.l1_loss(x.detach().requires_grad_(), t)
    return s, x.grad, l1


@program
def margin_ranking_hinge_cosine(torch):
    F = torch.nn.functional
    a = _leaf(torch, 5)
    b = _leaf(torch, 5)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0])
    m = F.margin_ranking_loss(a, b, y, margin=0.3, reduction="none")
    h = F.hinge_embedding_loss(a, y, margin=0.5, reduction="sum")
    x1 = _leaf(torch, 5, 3)
    x2 = _leaf(torch, 5, 3)
    c = F.cosine_embedding_loss(x1, x2, y, margin=0.2)
    (m.sum() + h + c).backward()
    return m, h, c, a.grad, b.grad, x1.grad, x2.grad


@program
def cosine_embedding_1d_unbatched(torch):
    F = torch.nn.functional
    x1 = _leaf(torch, 4)
    x2 = _leaf(torch, 4)
    c = F.cosine_embedding_loss(x1, x2, torch.tensor(-1), margin=-0.5)
    c.backward()
    return c, x1.grad


@program
def multi_margin_p_margin_weight(torch):
    F = torch.nn.functional
    out = []
    for p in (1, 2):
        for red in ("none", "mean", "sum"):
            x = _leaf(torch, 4, 5)
            t = torch.tensor([0, 4, 2, 2])
            w = torch.tensor([1.0, 0.5, 2.0, 1.0, 3.0])
            loss = F.multi_margin_loss(x, t, p=p, margin=0.7, weight=w, reduction=red)
            loss.sum().backward()
            out += [loss, x.grad]
    return out


@program
def multi_margin_1d_input(torch):
    F = torch.nn.functional
    x = _leaf(torch, 5)
    loss = F.multi_margin_loss(x, torch.tensor([3]))
    loss.backward()
    return loss, x.grad


@error(ValueError, r"only p == 1 and p == 2 supported")
def multi_margin_bad_p(torch):
    F = torch.nn.functional
    return F.multi_margin_loss(torch.randn(2, 3), torch.tensor([0, 1]), p=3)


@program
def multilabel_margin_with_terminator(torch):
    F = torch.nn.functional
    x = _leaf(torch, 3, 4)
    t = torch.tensor([[3, 0, -1, 1], [0, 1, 2, 3], [-1, 0, 0, 0]])
    out = []
    for red in ("none", "mean", "sum"):
        loss = F.multilabel_margin_loss(x, t, reduction=red)
        out.append(loss)
    out[1].backward()
    return out, x.grad


@program
def multilabel_margin_1d(torch):
    F = torch.nn.functional
    x = _leaf(torch, 4)
    loss = F.multilabel_margin_loss(x, torch.tensor([2, 1, -1, 0]))
    loss.backward()
    return loss, x.grad


@program
def multilabel_soft_margin_weight(torch):
    F = torch.nn.functional
    x = _leaf(torch, 3, 4)
    y = (torch.rand(3, 4) > 0.5).float()
    w = torch.rand(4)
    a = F.multilabel_soft_margin_loss(x, y, weight=w, reduction="none")
    b = F.multilabel_soft_margin_loss(x, y)
    c = F.soft_margin_loss(x, y * 2 - 1, reduction="sum")
    (a.sum() + b + c).backward()
    return a, b, c, x.grad


@program
def triplet_margin_p_swap(torch):
    F = torch.nn.functional
    out = []
    for swap in (False, True):
        a, p, n = _leaf(torch, 4, 3), _leaf(torch, 4, 3), _leaf(torch, 4, 3)
        loss = F.triplet_margin_loss(
            a, p, n, margin=0.5, p=1.5, eps=1e-4, swap=swap, reduction="none"
        )
        loss.sum().backward()
        out += [loss, a.grad, p.grad, n.grad]
    return out


@program
def triplet_with_distance_custom(torch):
    F = torch.nn.functional
    a, p, n = _leaf(torch, 4, 3), _leaf(torch, 4, 3), _leaf(torch, 4, 3)
    dist = lambda x, y: 1.0 - F.cosine_similarity(x, y)  # noqa: E731
    l1 = F.triplet_margin_with_distance_loss(a, p, n, distance_function=dist, margin=0.4, swap=True)
    l2 = F.triplet_margin_with_distance_loss(a, p, n, reduction="sum")
    (l1 + l2).backward()
    m = torch.nn.TripletMarginWithDistanceLoss(distance_function=torch.nn.PairwiseDistance(p=1))
    return l1, l2, a.grad, n.grad, m(a, p, n)


@program
def triplet_margin_1d_unbatched(torch):
    F = torch.nn.functional
    a, p, n = _leaf(torch, 3), _leaf(torch, 3), _leaf(torch, 3)
    loss = F.triplet_margin_loss(a, p, n)
    loss.backward()
    return loss, a.grad
