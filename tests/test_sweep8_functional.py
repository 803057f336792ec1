"""Session 7 compatibility sweep of torch.nn.functional and the loss, activation and sampling
layers (second pass): short programs written the way PyTorch users write them, each run with
real PyTorch (the oracle) and with minitorch from the same seed. Values, gradients, shapes,
dtypes and error messages must agree."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program = SWEEP.test()


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


# ---- ctc ------------------------------------------------------------------------------------
def _ctc_inputs(torch, dtype=None, T=7, N=3, C=5):
    logits = torch.randn(T, N, C, dtype=dtype or torch.float32, requires_grad=True)
    return logits, logits.log_softmax(2)


@program
def ctc_loss_concatenated_targets_int32_lengths(torch):
    F = torch.nn.functional
    logits, lp = _ctc_inputs(torch)
    targets = torch.tensor([1, 2, 2, 3, 1, 4, 4, 1], dtype=torch.int32)
    il = torch.tensor([7, 6, 5], dtype=torch.int32)
    tl = torch.tensor([3, 2, 3], dtype=torch.int32)
    out = []
    for red in ("none", "mean", "sum"):
        loss = F.ctc_loss(lp, targets, il, tl, reduction=red)
        out.append(loss)
    out[1].backward()
    return out, logits.grad


@program
def ctc_loss_padded_targets_tuple_lengths_float64(torch):
    F = torch.nn.functional
    logits, lp = _ctc_inputs(torch, torch.float64)
    targets = torch.tensor([[1, 2, 3, 0], [4, 4, 0, 0], [2, 0, 0, 0]])
    loss = F.ctc_loss(lp, targets, (7, 7, 4), (3, 2, 1), blank=0, reduction="sum")
    loss.backward()
    return loss, logits.grad


@program
def ctc_loss_zero_infinity_and_blank_last(torch):
    F = torch.nn.functional
    logits, lp = _ctc_inputs(torch, T=4)
    targets = torch.tensor([[0, 0, 0, 0], [1, 1, 1, 1], [2, 3, 0, 0]])
    il = torch.tensor([4, 4, 4])
    tl = torch.tensor([1, 4, 2])
    inf = F.ctc_loss(lp, targets, il, tl, blank=4, reduction="none")
    zi = F.ctc_loss(lp, targets, il, tl, blank=4, reduction="mean", zero_infinity=True)
    zi.backward()
    return inf, zi, logits.grad


@program
def ctc_loss_unbatched_and_module(torch):
    logits = torch.randn(6, 4, requires_grad=True)
    lp = logits.log_softmax(1)
    ctc = torch.nn.CTCLoss(blank=3, zero_infinity=True)
    loss = ctc(lp, torch.tensor([0, 1, 1]), torch.tensor(6), torch.tensor(3))
    loss.backward()
    return loss, logits.grad, repr(ctc)


@program
def ctc_loss_empty_target(torch):
    F = torch.nn.functional
    logits, lp = _ctc_inputs(torch, N=2)
    loss = F.ctc_loss(
        lp, torch.tensor([1, 2]), torch.tensor([7, 5]), torch.tensor([0, 2]), reduction="none"
    )
    loss.sum().backward()
    return loss, logits.grad


@error(RuntimeError, r"Expected input_lengths to have value at most 7, but got value 8")
def ctc_loss_input_length_too_long(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=1)
    return F.ctc_loss(lp, torch.tensor([[1, 2]]), torch.tensor([8]), torch.tensor([2]))


@error(RuntimeError, r"target_lengths must be of size batch_size")
def ctc_loss_wrong_number_of_target_lengths(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(lp, torch.tensor([[1, 2], [1, 1]]), torch.tensor([7, 7]), torch.tensor([2]))


# ---- more losses ----------------------------------------------------------------------------
@program
def regression_losses_float64_every_reduction(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "mean", "sum"):
        x = _leaf(torch, 3, 4, dtype=torch.float64)
        t = torch.randn(3, 4, dtype=torch.float64)
        losses = [
            F.mse_loss(x, t, reduction=red),
            F.l1_loss(x, t, reduction=red),
            F.huber_loss(x, t, reduction=red, delta=0.3),
            F.smooth_l1_loss(x, t, reduction=red, beta=0.3),
            F.soft_margin_loss(x, t.sign(), reduction=red),
        ]
        sum(loss.sum() for loss in losses).backward()
        out += losses + [x.grad]
    return out


@program
def losses_on_empty_batch(torch):
    F = torch.nn.functional
    x = torch.randn(0, 3, requires_grad=True)
    t = torch.randn(0, 3)
    out = [
        F.mse_loss(x, t),
        F.l1_loss(x, t, reduction="sum"),
        F.cross_entropy(x, torch.zeros(0, dtype=torch.long)),
        F.cross_entropy(x, torch.zeros(0, dtype=torch.long), reduction="sum"),
        F.nll_loss(x, torch.zeros(0, dtype=torch.long), reduction="none"),
        F.binary_cross_entropy_with_logits(x, t),
    ]
    return out


@program
def loss_modules_reprs_and_weights(torch):
    nn = torch.nn
    mods = [
        nn.CrossEntropyLoss(weight=torch.ones(3), ignore_index=1, label_smoothing=0.1),
        nn.NLLLoss(reduction="sum"),
        nn.BCEWithLogitsLoss(pos_weight=torch.ones(3)),
        nn.KLDivLoss(reduction="batchmean", log_target=True),
        nn.HuberLoss(delta=0.5),
        nn.SmoothL1Loss(beta=0.1),
        nn.MultiMarginLoss(p=2, margin=0.5),
        nn.TripletMarginLoss(margin=2.0, swap=True),
        nn.PoissonNLLLoss(log_input=False, full=True),
        nn.GaussianNLLLoss(eps=1e-3),
        nn.MarginRankingLoss(margin=0.1),
        nn.CosineEmbeddingLoss(margin=0.2),
    ]
    state = [sorted(m.state_dict()) for m in mods]
    return [repr(m) for m in mods], state, mods[0].weight, mods[2].pos_weight


@error(RuntimeError, r"0D or 1D target tensor expected, multi-target not supported")
def nll_loss_2d_target_for_2d_input(torch):
    F = torch.nn.functional
    return F.nll_loss(torch.randn(3, 4), torch.zeros(3, 2, dtype=torch.long))


@error(RuntimeError, r"Expected target size \[2, 3\], got \[2, 4\]")
def nll_loss_3d_target_shape_mismatch(torch):
    F = torch.nn.functional
    return F.nll_loss(torch.randn(2, 4, 3), torch.zeros(2, 4, dtype=torch.long))


@error(IndexError, r"Target 7 is out of bounds")
def nll_loss_target_out_of_bounds(torch):
    F = torch.nn.functional
    return F.nll_loss(torch.randn(3, 4), torch.tensor([0, 7, 1]))


@error(RuntimeError, r"Expected floating point type for target with class probabilities, got Long")
def cross_entropy_probs_long(torch):
    F = torch.nn.functional
    return F.cross_entropy(torch.randn(3, 4), torch.zeros(3, 4, dtype=torch.long))


@error(RuntimeError, r"label_smoothing must be between 0.0 and 1.0. Got: 1.5")
def cross_entropy_bad_smoothing(torch):
    F = torch.nn.functional
    return F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 2]), label_smoothing=1.5)


@error(RuntimeError, r"inconsistent target size")
def multilabel_margin_bad_target(torch):
    F = torch.nn.functional
    return F.multilabel_margin_loss(torch.randn(3, 4), torch.zeros(3, 3, dtype=torch.long))


@error(
    RuntimeError,
    r"target tensor should be 1-D .* Expected target size \[4\], but got \[3\]\. Input has shape \[4, 3\]",
)
def multi_margin_bad_target(torch):
    F = torch.nn.functional
    return F.multi_margin_loss(torch.randn(4, 3), torch.tensor([0, 1, 2]))


@error(RuntimeError, r"The size of tensor a \(4\) must match the size of tensor b \(3\)")
def margin_ranking_size_mismatch(torch):
    F = torch.nn.functional
    return F.margin_ranking_loss(torch.randn(4), torch.randn(3), torch.ones(4))


@program
def poisson_nll_eps_and_mean(torch):
    F = torch.nn.functional
    x = torch.tensor([0.0, 1e-12, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0, 3.0])
    loss = F.poisson_nll_loss(x, t, log_input=False, eps=1e-3)
    loss.backward()
    full_small = F.poisson_nll_loss(x, torch.tensor([0.0, 1.0, 1.5]), full=True, reduction="none")
    return loss, x.grad, full_small


@program
def gaussian_nll_float64_full_none(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 3, 4, dtype=torch.float64)
    t = torch.randn(2, 3, 4, dtype=torch.float64)
    v = torch.rand(2, 3, 1, dtype=torch.float64, requires_grad=True)
    loss = F.gaussian_nll_loss(x, t, v, full=True, reduction="none")
    loss.sum().backward()
    return loss, x.grad, v.grad


@error(ValueError, r"var has negative entry/entries")
def gaussian_nll_negative_var(torch):
    F = torch.nn.functional
    return F.gaussian_nll_loss(torch.randn(3), torch.randn(3), torch.tensor([1.0, -1.0, 1.0]))


@program
def hinge_embedding_float64_none(torch):
    F = torch.nn.functional
    x = _leaf(torch, 3, 4, dtype=torch.float64)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    loss = F.hinge_embedding_loss(x, y, margin=0.0, reduction="none")
    loss.sum().backward()
    return loss, x.grad


@program
def cosine_embedding_every_reduction(torch):
    F = torch.nn.functional
    out = []
    for red in ("none", "mean", "sum"):
        a, b = _leaf(torch, 4, 6), _leaf(torch, 4, 6)
        y = torch.tensor([1, -1, -1, 1])
        loss = F.cosine_embedding_loss(a, b, y, margin=0.1, reduction=red)
        loss.sum().backward()
        out += [loss, a.grad, b.grad]
    return out


@error(RuntimeError, r"0D or 1D target tensor expected, multi-target not supported")
def cosine_embedding_bad_target_rank(torch):
    F = torch.nn.functional
    return F.cosine_embedding_loss(torch.randn(4, 3), torch.randn(4, 3), torch.ones(4, 1))


@error(
    RuntimeError,
    r"1D target tensor expects 2D input tensors, but found inputs with sizes \[3\] and \[3\]",
)
def cosine_embedding_vectors_with_1d_target(torch):
    F = torch.nn.functional
    return F.cosine_embedding_loss(torch.randn(3), torch.randn(3), torch.ones(1))


@error(RuntimeError, r"Expected floating point type for target with class probabilities, got Long")
def cross_entropy_unbatched_long_target_of_input_shape(torch):
    F = torch.nn.functional
    return F.cross_entropy(torch.randn(3), torch.tensor([0, 1, 2]))


@error(RuntimeError, r"^target out of range$")
def multi_margin_target_out_of_range(torch):
    F = torch.nn.functional
    return F.multi_margin_loss(torch.randn(4, 3), torch.tensor([0, 1, 2, 3]))


@error(RuntimeError, r"inconsistent weight size, expected 3 but got \[2\]")
def multi_margin_weight_size(torch):
    F = torch.nn.functional
    return F.multi_margin_loss(torch.randn(4, 3), torch.tensor([0, 1, 2, 2]), weight=torch.ones(2))


@error(RuntimeError, r"expected scalar type Long but found Int")
def multi_margin_int_target(torch):
    F = torch.nn.functional
    return F.multi_margin_loss(torch.randn(4, 3), torch.tensor([0, 1, 2, 2], dtype=torch.int32))


@error(
    RuntimeError,
    r"Expected non-empty vector or matrix with optional 0-dim batch size, but got: \[4, 3, 1\]",
)
def multilabel_margin_3d_input(torch):
    F = torch.nn.functional
    return F.multilabel_margin_loss(torch.randn(4, 3, 1), torch.zeros(4, 3, 1, dtype=torch.long))


@program
def multi_margin_0d_and_single_target(torch):
    F = torch.nn.functional
    x = torch.randn(3, requires_grad=True)
    a = F.multi_margin_loss(x, torch.tensor([1]), p=2.0, margin=2)
    b = F.multi_margin_loss(torch.randn(()), torch.tensor(0))
    a.backward()
    return a, b, x.grad


@error(RuntimeError, r"^blank must be in label range$")
def ctc_loss_blank_out_of_range(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(lp, torch.tensor([[1, 2], [1, 1]]), [7, 7], [2, 2], blank=5)


@error(RuntimeError, r"Expected target_lengths to have value at least 0, but got value -1")
def ctc_loss_negative_target_length(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(lp, torch.tensor([[1, 2], [1, 1]]), [7, 7], [2, -1])


@error(
    RuntimeError,
    r"Expected tensor to have size 4 at dimension 0, but got size 3 for argument #2 'targets'",
)
def ctc_loss_concatenated_targets_too_short(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(lp, torch.tensor([1, 2, 1]), torch.tensor([7, 7]), torch.tensor([2, 2]))


@error(RuntimeError, r"Expected tensor to have size at least 3 at dimension 1, but got size 2")
def ctc_loss_padded_targets_too_narrow(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(
        lp, torch.tensor([[1, 2], [1, 1]]), torch.tensor([7, 7]), torch.tensor([2, 3])
    )


@error(RuntimeError, r"^input_lengths must be integral$")
def ctc_loss_float_lengths(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(
        lp, torch.tensor([[1, 2], [1, 1]]), torch.tensor([7.0, 7.0]), torch.tensor([2, 2])
    )


@error(NotImplementedError, r"\"ctc_loss_cpu\" not implemented for 'Half'")
def ctc_loss_half(torch):
    F = torch.nn.functional
    _, lp = _ctc_inputs(torch, N=2)
    return F.ctc_loss(lp.half(), torch.tensor([[1, 2], [1, 1]]), [7, 7], [2, 2])


@error(RuntimeError, r"^log_probs tensor must not be empty$")
def ctc_loss_no_frames(torch):
    F = torch.nn.functional
    return F.ctc_loss(torch.randn(0, 2, 5), torch.tensor([[1, 2], [1, 1]]), [0, 0], [2, 0])


# ---- activations ------------------------------------------------------------------------------
@program
def softmax_family_implicit_dim_and_dtype(torch):
    F = torch.nn.functional
    out = []
    for shape in ((5,), (2, 5), (2, 3, 4), (2, 3, 4, 5)):
        # float64 draws are PyTorch's bit for bit (float32 normals may differ in the last place)
        x = torch.randn(*shape, dtype=torch.float64).float().requires_grad_()
        a = F.softmax(x)
        b = F.log_softmax(x)
        c = F.softmin(x)
        d = F.softmax(x, dim=-1, dtype=torch.float64)
        (
            a.sum() * 0
            + (b * torch.arange(b.numel()).view(shape)).sum()
            + c[..., 0].sum()
            + d.pow(2).sum()
        ).backward()
        out += [a, b, c, d, x.grad]
    return out


@program
def softmax_0d_and_empty(torch):
    F = torch.nn.functional
    x = torch.tensor(2.0, requires_grad=True)
    a = F.softmax(x, 0)
    b = F.log_softmax(x, dim=-1)
    (a + b).backward()
    e = F.softmax(torch.randn(0, 3), 1)
    return a, b, x.grad, e, F.log_softmax(torch.randn(2, 0), 1)


@program
def softmax_int_input_with_dtype(torch):
    F = torch.nn.functional
    x = torch.tensor([[1, 2, 3], [0, 0, 9]])
    return F.softmax(x, 1, dtype=torch.float32), F.log_softmax(x.float(), 0, dtype=torch.float64)


@error(NotImplementedError, r"\"softmax_lastdim_kernel_impl\" not implemented for 'Long'")
def softmax_to_int_dtype(torch):
    F = torch.nn.functional
    return F.softmax(torch.tensor([1.0, 2.0, 3.0]), 0, dtype=torch.long)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def glu_dim_out_of_range(torch):
    F = torch.nn.functional
    return F.glu(torch.randn(2, 4), 2)


@error(RuntimeError, r"Halving dimension must be even, but dimension 1 is size 5")
def glu_odd_default_dim(torch):
    F = torch.nn.functional
    return F.glu(torch.randn(2, 5))


@error(NotImplementedError, r"\"glu_cpu\" not implemented for 'Long'")
def glu_long(torch):
    F = torch.nn.functional
    return F.glu(torch.ones(2, 4, dtype=torch.long))


@program
def gumbel_softmax_hard_shapes_and_grads(torch):
    F = torch.nn.functional
    logits = torch.randn(4, 6, requires_grad=True)
    y = F.gumbel_softmax(logits, tau=0.5, hard=True)
    w = torch.arange(24.0).view(4, 6)
    (y * w).sum().backward()
    soft = F.gumbel_softmax(torch.randn(2, 3, 5), tau=2.0, dim=1)
    return y, logits.grad, soft.sum(1), y.sum(-1)


@program
def glu_dims_and_grads(torch):
    F = torch.nn.functional
    x = torch.randn(4, 6, 2, requires_grad=True, dtype=torch.float64)
    a = F.glu(x, 1)
    b = F.glu(x)
    c = torch.nn.GLU(dim=0)(x)
    (a.sum() + b.pow(2).sum() + c.sum()).backward()
    h = torch.randn(2, 4, dtype=torch.float64).half().requires_grad_()
    g = F.glu(h)
    g.sum().backward()
    return a, b, c, x.grad, g, h.grad, a.grad_fn.name(), g.grad_fn.name()


@error(RuntimeError, r"Halving dimension must be even, but dimension 1 is size 5")
def glu_odd_dimension(torch):
    F = torch.nn.functional
    return F.glu(torch.randn(2, 5), 1)


@error(RuntimeError, r"glu does not support scalars because halving size must be even")
def glu_scalar(torch):
    F = torch.nn.functional
    return F.glu(torch.tensor(1.0))


@program
def pointwise_activations_float64_grads(torch):
    F = torch.nn.functional
    x = torch.linspace(-7, 7, 57, dtype=torch.float64).requires_grad_()
    fns = [  # hardsigmoid: PyTorch's float64 gradient is 1/6 rounded to float32 (not matched)
        F.hardswish,
        F.mish,
        F.silu,
        F.selu,
        F.logsigmoid,
        F.tanhshrink,
        F.softsign,
        F.relu6,
        F.gelu,
        lambda t: F.gelu(t, approximate="tanh"),
        lambda t: F.celu(t, alpha=0.5),
        lambda t: F.elu(t, alpha=2.0),
        lambda t: F.softplus(t, beta=2, threshold=3),
        lambda t: F.softplus(t, beta=-1.0),
        lambda t: F.hardtanh(t, -2.5, 0.5),
        lambda t: F.softshrink(t, 1.5),
        lambda t: F.hardshrink(t, 0.0),
        lambda t: F.threshold(t, 0.5, -3.0),
        lambda t: F.leaky_relu(t, 0.2),
        lambda t: F.rrelu(t, 0.1, 0.3, training=False),
    ]
    outs = [f(x) for f in fns]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@program
def activation_modules_with_arguments(torch):
    nn = torch.nn
    x = torch.randn(3, 4, dtype=torch.float64).float().requires_grad_()
    mods = [
        nn.ELU(alpha=0.3),
        nn.CELU(alpha=2.0),
        nn.SELU(),
        nn.GELU("tanh"),
        nn.Hardtanh(-0.5, 2.0),
        nn.ReLU6(),
        nn.LeakyReLU(0.3),
        nn.Softplus(beta=0.5, threshold=1.0),
        nn.Softshrink(0.3),
        nn.Hardshrink(0.7),
        nn.Threshold(0.1, 20.0),
        nn.Softmin(dim=0),
        nn.LogSoftmax(dim=1),
        nn.Tanhshrink(),
        nn.Mish(),
        nn.Hardswish(),
        nn.SiLU(),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.LogSigmoid(),
        nn.Softsign(),
        nn.RReLU(0.2, 0.4).eval(),
        nn.Identity(),
    ]
    outs = [m(x) for m in mods]
    sum((o * (i + 1)).sum() for i, o in enumerate(outs)).backward()
    return outs, x.grad, [repr(m) for m in mods]


@program
def prelu_num_parameters_and_init(torch):
    nn = torch.nn
    m = nn.PReLU(num_parameters=3, init=0.1)
    x = torch.randn(2, 3, 4, requires_grad=True)
    y = m(x)
    y.sum().backward()
    one = nn.PReLU()
    z = one(torch.randn(5))
    w = torch.nn.functional.prelu(torch.randn(2, 3), torch.tensor([0.5, -1.0, 2.0]))
    return y, x.grad, m.weight.grad, z, w, repr(m), m.weight


@error(
    RuntimeError,
    r"Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4",
)
def prelu_wrong_channels(torch):
    return torch.nn.PReLU(3)(torch.randn(2, 4))


@program
def rrelu_train_and_functional_inplace(torch):
    F = torch.nn.functional
    x = torch.randn(4, 5, dtype=torch.float64)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    z = x.clone()
    F.rrelu_(z, training=False)
    m = torch.nn.RReLU(0.1, 0.3, inplace=True)
    w = x.clone()
    m(w)
    return y, z, w


@program
def inplace_activations_return_same_tensor(torch):
    F = torch.nn.functional
    x = torch.randn(6, dtype=torch.float64)
    outs = []
    for fn in (F.relu_, F.elu_, F.leaky_relu_, F.hardtanh_, F.selu_, F.celu_):
        y = x.clone()
        r = fn(y)
        outs += [r, r is y]
    for fn in (
        F.relu,
        F.elu,
        F.leaky_relu,
        F.hardtanh,
        F.selu,
        F.celu,
        F.relu6,
        F.silu,
        F.mish,
        F.hardswish,
        F.hardsigmoid,
    ):
        y = x.clone()
        r = fn(y, inplace=True)
        outs += [r, r is y, y]
    y = x.clone()
    r = F.threshold(y, 0.0, 2.0, inplace=True)
    outs += [r, r is y]
    return outs


@program
def inplace_activation_on_leaf_view_grads(torch):
    F = torch.nn.functional
    x = torch.randn(3, 4, requires_grad=True)
    y = x * 2
    F.hardtanh(y[:, :2], -0.5, 0.5, inplace=True)
    F.relu(y, inplace=True)
    y.sum().backward()
    return y, x.grad, y.grad_fn.name()


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def inplace_relu_on_leaf(torch):
    x = torch.randn(3, requires_grad=True)
    return torch.nn.functional.relu(x, inplace=True)


@program
def softplus_threshold_and_beta_grads(torch):
    F = torch.nn.functional
    x = torch.tensor([-30.0, -1.0, 0.0, 4.9, 5.1, 30.0], dtype=torch.float64, requires_grad=True)
    a = F.softplus(x, beta=2.0, threshold=10.0)
    b = F.softplus(x, beta=0.5, threshold=2.0)
    c = F.softplus(x.float(), beta=1, threshold=20)
    (a.sum() + b.sum()).backward()
    return a, b, c, x.grad


@program
def hardtanh_bounds_at_edges(torch):
    F = torch.nn.functional
    x = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    y = F.hardtanh(x, -1.0, 1.0)
    y.sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    F.relu6(x * 3).sum().backward()
    return y, g1, x.grad


@error(AssertionError, r"max_val \(-1.0\) must be greater than min_val \(1.0\)")
def hardtanh_module_bad_bounds(torch):
    return torch.nn.Hardtanh(1.0, -1.0)


@error(ValueError, r"min_val cannot be greater than max_val")
def hardtanh_functional_bad_bounds(torch):
    return torch.nn.functional.hardtanh(torch.randn(3), 1.0, -1.0)


@program
def shrink_lambda_at_boundaries(torch):
    F = torch.nn.functional
    x = torch.tensor([-0.5, -0.3, 0.0, 0.3, 0.5, 0.50001], requires_grad=True)
    a = F.softshrink(x, 0.5)
    b = F.hardshrink(x, 0.3)
    (a.sum() + 2 * b.sum()).backward()
    return a, b, x.grad


@program
def threshold_value_and_grad_at_threshold(torch):
    F = torch.nn.functional
    x = torch.tensor([0.0, 0.5, 1.0, 1.5], requires_grad=True)
    y = F.threshold(x, 1.0, -7.0)
    y.sum().backward()
    return y, x.grad


@program
def one_hot_variants(torch):
    F = torch.nn.functional
    a = F.one_hot(torch.tensor([0, 3, 1]))
    b = F.one_hot(torch.tensor([[0, 1], [2, 0]]), num_classes=5)
    c = F.one_hot(torch.tensor(2), 4)
    d = F.one_hot(torch.zeros(0, dtype=torch.long), 3)
    return a, b, c, d


@error(RuntimeError, r"Class values must be smaller than num_classes.")
def one_hot_too_small(torch):
    return torch.nn.functional.one_hot(torch.tensor([0, 3]), 3)


@error(RuntimeError, r"Class values must be non-negative.")
def one_hot_negative(torch):
    return torch.nn.functional.one_hot(torch.tensor([0, -1]))


@error(RuntimeError, r"one_hot is only applicable to index tensor")
def one_hot_float(torch):
    return torch.nn.functional.one_hot(torch.tensor([0.0, 1.0]))


@error(RuntimeError, r"Can not infer total number of classes from empty tensor.")
def one_hot_empty_infer(torch):
    return torch.nn.functional.one_hot(torch.zeros(0, dtype=torch.long))


@program
def normalize_p_dim_eps(torch):
    F = torch.nn.functional
    x = torch.randn(3, 4, 2, dtype=torch.float64, requires_grad=True)
    a = F.normalize(x)
    b = F.normalize(x, p=1, dim=-1)
    c = F.normalize(x, p=float("inf"), dim=0)
    d = F.normalize(torch.zeros(2, 3), dim=1)
    e = F.normalize(x, p=3, dim=2, eps=0.5)
    (a.sum() + b.pow(2).sum() + c.sum() + e.sum()).backward()
    return a, b, c, d, e, x.grad


@program
def normalize_1d_and_zero_row_grad(torch):
    F = torch.nn.functional
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    y = F.normalize(x, dim=1)
    y.sum().backward()
    v = F.normalize(torch.tensor([3.0, 4.0]), dim=0)
    return y, x.grad, v


@error(RuntimeError, r"one_hot is only applicable to index tensor of type LongTensor")
def one_hot_int32(torch):
    return torch.nn.functional.one_hot(torch.tensor([0, 1], dtype=torch.int32), 3)


@program
def one_hot_empty_with_classes(torch):
    return torch.nn.functional.one_hot(torch.zeros(0, 2, dtype=torch.long), 3)


@program
def prelu_shapes_scalar_weight_and_grad_fn(torch):
    F = torch.nn.functional
    x = torch.randn(2, 3, 2, dtype=torch.float64, requires_grad=True)
    w0 = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
    w1 = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    a = F.prelu(x, w0)
    b = F.prelu(x, w1)
    c = F.prelu(torch.tensor(-2.0), torch.ones(1))
    d = F.prelu(torch.randn(4), torch.tensor([0.1]))
    (a.sum() + b.pow(2).sum()).backward()
    return a, b, c, d, x.grad, w0.grad, w1.grad, b.grad_fn.name()


@error(
    RuntimeError,
    r"Mismatch of parameter numbers and input channel size. Found parameter numbers = 4 and channel size = 1",
)
def prelu_1d_input_per_element_weight(torch):
    return torch.nn.functional.prelu(torch.randn(4), torch.ones(4))


@error(RuntimeError, r"prelu: Type promoting not supported. Got Double and Float")
def prelu_double_input_float_weight(torch):
    return torch.nn.PReLU()(torch.randn(2, 3, dtype=torch.float64))


@error(RuntimeError, r"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2")
def prelu_2d_weight(torch):
    return torch.nn.functional.prelu(torch.randn(2, 4), torch.ones(1, 4))


@error(RuntimeError, r"^Not allow zero-dim input tensor.$")
def prelu_0d_input_channel_weight(torch):
    return torch.nn.functional.prelu(torch.tensor(-2.0), torch.ones(3))


@error(ValueError, r"Softmax2d: expected input to be 3D or 4D, got 2D instead")
def softmax2d_on_matrix(torch):
    return torch.nn.Softmax2d()(torch.randn(3, 4))


# ---- sampling: interpolate, grid_sample, pad, fold ------------------------------------------
def _img(torch, *shape):
    return torch.randn(*shape, dtype=torch.float64).float().requires_grad_()


@program
def interpolate_every_mode_down_and_up(torch):
    F = torch.nn.functional
    out = []
    x = _img(torch, 1, 2, 5, 7)
    for mode in ("nearest", "nearest-exact", "bilinear", "bicubic", "area"):
        for size in ((3, 4), (8, 11)):
            y = F.interpolate(x, size=size, mode=mode)
            out.append(y)
    sum((y * (i + 1)).sum() for i, y in enumerate(out)).backward()
    return out, x.grad


@program
def interpolate_align_corners_scale_factor(torch):
    F = torch.nn.functional
    out = []
    x = _img(torch, 2, 1, 4, 6)
    for mode in ("bilinear", "bicubic"):
        for ac in (True, False):
            out.append(F.interpolate(x, scale_factor=1.7, mode=mode, align_corners=ac))
            out.append(F.interpolate(x, scale_factor=(0.6, 2.3), mode=mode, align_corners=ac))
            out.append(
                F.interpolate(
                    x, scale_factor=0.5, mode=mode, align_corners=ac, recompute_scale_factor=True
                )
            )
    sum(y.pow(2).sum() for y in out).backward()
    return out, x.grad


@program
def interpolate_recompute_scale_factor_nearest(torch):
    F = torch.nn.functional
    x = _img(torch, 1, 1, 7)
    a = F.interpolate(x, scale_factor=1.5)
    b = F.interpolate(x, scale_factor=1.5, recompute_scale_factor=True)
    c = F.interpolate(x, scale_factor=0.7, mode="nearest-exact")
    d = F.interpolate(x, scale_factor=0.7, mode="linear", recompute_scale_factor=True)
    e = F.interpolate(x, scale_factor=2.2, mode="linear", align_corners=False)
    (a.sum() + b.sum() + c.sum() + d.sum() + e.sum()).backward()
    return a, b, c, d, e, x.grad


@program
def interpolate_antialias_bilinear_bicubic_downsample(torch):
    F = torch.nn.functional
    x = _img(torch, 1, 2, 9, 13)
    out = []
    for mode in ("bilinear", "bicubic"):
        for ac in (False, True):
            out.append(F.interpolate(x, size=(4, 5), mode=mode, antialias=True, align_corners=ac))
        out.append(F.interpolate(x, scale_factor=0.45, mode=mode, antialias=True))
        out.append(F.interpolate(x, size=(12, 6), mode=mode, antialias=True))
    sum((y * (i + 1)).sum() for i, y in enumerate(out)).backward()
    return out, x.grad


@program
def interpolate_3d_and_5d_inputs(torch):
    F = torch.nn.functional
    x3 = _img(torch, 2, 3, 6)
    x5 = _img(torch, 1, 2, 3, 4, 5)
    out = [
        F.interpolate(x3, size=4, mode="linear"),
        F.interpolate(x3, scale_factor=2, mode="linear", align_corners=True),
        F.interpolate(x3, size=9, mode="nearest-exact"),
        F.interpolate(x3, size=4, mode="area"),
        F.interpolate(x5, size=(2, 6, 3), mode="trilinear"),
        F.interpolate(x5, scale_factor=(2, 0.5, 1.5), mode="trilinear", align_corners=True),
        F.interpolate(x5, size=(5, 2, 7), mode="nearest"),
        F.interpolate(x5, size=(2, 3, 2), mode="area"),
        F.interpolate(x5, scale_factor=1.5, mode="nearest-exact"),
    ]
    sum((y * (i + 1)).sum() for i, y in enumerate(out)).backward()
    return out, x3.grad, x5.grad


@program
def interpolate_float64_and_int_size(torch):
    F = torch.nn.functional
    x = torch.randn(1, 1, 3, 5, dtype=torch.float64, requires_grad=True)
    a = F.interpolate(x, size=4, mode="bicubic", align_corners=True)
    b = F.interpolate(x, size=(6, 2), mode="bilinear")
    (a.sum() + b.pow(2).sum()).backward()
    return a, b, x.grad


@program
def interpolate_uint8_nearest_and_bilinear(torch):
    F = torch.nn.functional
    x = torch.randint(0, 255, (1, 3, 4, 5), dtype=torch.uint8)
    # (uint8 bilinear/bicubic: PyTorch's int16 fixed-point kernel is not matched)
    return (
        F.interpolate(x, size=(7, 3), mode="nearest"),
        F.interpolate(x, scale_factor=2, mode="nearest-exact"),
    )


@error(ValueError, r"only one of size or scale_factor should be defined")
def interpolate_size_and_scale(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=3, scale_factor=2.0)


@error(
    ValueError,
    r"align_corners option can only be set with the interpolating modes: linear \| bilinear \| bicubic \| trilinear",
)
def interpolate_align_corners_with_nearest(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=3, align_corners=True)


@error(NotImplementedError, r"Got 3D input, but bilinear mode needs 4D input")
def interpolate_bilinear_3d(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=3, mode="bilinear")


@error(
    ValueError,
    r"Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \[4, 4\] and output size of \[3\]. Please provide input tensor in \(N, C, d1, d2, ...,dK\) format and output size in \(o1, o2, ...,oK\) format.",
)
def interpolate_size_rank_mismatch(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=[3])


@error(
    ValueError,
    r"^Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D tensor as input$",
)
def interpolate_antialias_nearest_error(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=2, antialias=True)


@program
def upsample_modules_and_deprecated(torch):
    nn = torch.nn
    x = _img(torch, 1, 2, 3, 4)
    m1 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    m2 = nn.UpsamplingNearest2d(size=(5, 5))
    m3 = nn.UpsamplingBilinear2d(scale_factor=1.5)
    m4 = nn.Upsample(size=(2, 7), mode="bicubic")
    outs = [m(x) for m in (m1, m2, m3, m4)]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad, [repr(m) for m in (m1, m2, m3, m4)]


@program
def grid_sample_modes_padding_align(torch):
    F = torch.nn.functional
    x = _img(torch, 2, 2, 4, 5)
    grid = (torch.rand(2, 3, 6, 2, dtype=torch.float64) * 2.6 - 1.3).float().requires_grad_()
    out = []
    for mode in ("bilinear", "nearest", "bicubic"):
        for pm in ("zeros", "border", "reflection"):
            for ac in (False, True):
                out.append(F.grid_sample(x, grid, mode=mode, padding_mode=pm, align_corners=ac))
    sum((y * (i + 1)).sum() for i, y in enumerate(out)).backward()
    return out, x.grad, grid.grad


@program
def grid_sample_5d_float64(torch):
    F = torch.nn.functional
    x = torch.randn(1, 2, 3, 4, 5, dtype=torch.float64, requires_grad=True)
    grid = (torch.rand(1, 2, 3, 4, 3, dtype=torch.float64) * 2.4 - 1.2).requires_grad_()
    out = []
    for mode in ("bilinear", "nearest"):
        for pm in ("zeros", "border", "reflection"):
            out.append(F.grid_sample(x, grid, mode=mode, padding_mode=pm, align_corners=False))
    sum((y * (i + 1)).sum() for i, y in enumerate(out)).backward()
    return out, x.grad, grid.grad


@program
def affine_grid_2d_3d_align(torch):
    F = torch.nn.functional
    theta = torch.tensor([[[1.0, 0.2, 0.1], [-0.3, 0.9, 0.0]]], requires_grad=True)
    a = F.affine_grid(theta, [1, 3, 4, 5], align_corners=False)
    b = F.affine_grid(theta, (1, 1, 2, 3), align_corners=True)
    t3 = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    c = F.affine_grid(t3, torch.Size([2, 1, 2, 3, 4]), align_corners=False)
    (a.sum() + b.pow(2).sum() + c.sum()).backward()
    return a, b, c, theta.grad, t3.grad


@error(
    ValueError,
    r"Expected a batch of 2D affine matrices of shape Nx2x3 for size \[1, 3, 4, 5\]. Got torch.Size\(\[1, 3, 3\]\)",
)
def affine_grid_wrong_theta(torch):
    return torch.nn.functional.affine_grid(torch.randn(1, 3, 3), [1, 3, 4, 5], align_corners=False)


@error(
    RuntimeError,
    r"grid_sampler\(\): expected grid to have size 2 in last dimension, but got grid with sizes \[1, 3, 4, 3\]",
)
def grid_sample_wrong_grid(torch):
    return torch.nn.functional.grid_sample(
        torch.randn(1, 1, 4, 4), torch.randn(1, 3, 4, 3), align_corners=False
    )


@error(
    ValueError,
    r"nn.functional.grid_sample\(\): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'wrap'",
)
def grid_sample_bad_padding_mode(torch):
    return torch.nn.functional.grid_sample(
        torch.randn(1, 1, 4, 4), torch.zeros(1, 2, 2, 2), padding_mode="wrap"
    )


@error(
    ValueError,
    r"Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of \[3, 3\] and scale_factor of shape \(2, 2, 2\). Please provide",
)
def interpolate_scale_factor_rank_mismatch(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 3, 3), scale_factor=(2, 2, 2))


@error(
    NotImplementedError,
    r"Input Error: Only 3D, 4D and 5D input Tensors supported \(got 2D\) for the modes: nearest \| linear .* \(got nearest\)",
)
def interpolate_2d_input(torch):
    return torch.nn.functional.interpolate(torch.randn(4, 3), size=3)


@error(
    NotImplementedError,
    r"Input Error: Only 3D, 4D and 5D input Tensors supported \(got 5D\) .*\(got bicubic\)",
)
def interpolate_bicubic_5d(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4, 3, 3), size=3, mode="bicubic")


@error(NotImplementedError, r"Got 4D input, but linear mode needs 3D input")
def interpolate_linear_4d(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4, 3), size=3, mode="linear")


@error(ValueError, r"^Lanczos mode requires antialias=True$")
def interpolate_lanczos_without_antialias(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4, 3), size=3, mode="lanczos")


@error(
    RuntimeError,
    r"grid_sampler\(\): expected grid and input to have same batch size, but got input with sizes \[1, 1, 4, 4\] and grid with sizes \[2, 3, 4, 2\]",
)
def grid_sample_batch_mismatch(torch):
    F = torch.nn.functional
    return F.grid_sample(torch.randn(1, 1, 4, 4), torch.randn(2, 3, 4, 2), align_corners=False)


@error(RuntimeError, r"expected scalar type Float but found Double")
def grid_sample_double_grid(torch):
    F = torch.nn.functional
    x, grid = torch.randn(1, 1, 4, 4), torch.randn(1, 3, 4, 2, dtype=torch.float64)
    return F.grid_sample(x, grid, align_corners=False)


@error(RuntimeError, r"grid_sampler\(\): bicubic interpolation only supports 4D input")
def grid_sample_bicubic_5d(torch):
    F = torch.nn.functional
    x, grid = torch.randn(1, 1, 4, 4, 4), torch.randn(1, 3, 4, 2, 3)
    return F.grid_sample(x, grid, mode="bicubic", align_corners=False)


@error(
    RuntimeError,
    r"grid_sampler\(\): expected input to have non-empty spatial dimensions, but input has sizes \[1, 1, 0, 4\] with dimension 2 being empty",
)
def grid_sample_empty_image(torch):
    F = torch.nn.functional
    return F.grid_sample(torch.randn(1, 1, 0, 4), torch.randn(1, 3, 4, 2), align_corners=False)


@error(NotImplementedError, r"\"grid_sampler_2d_cpu_kernel_impl\" not implemented for 'Int'")
def grid_sample_int(torch):
    F = torch.nn.functional
    x, grid = torch.ones(1, 1, 3, 4, dtype=torch.int32), torch.zeros(1, 2, 4, 2, dtype=torch.int32)
    return F.grid_sample(x, grid, align_corners=False)


@error(
    ValueError,
    r"Expected a batch of 3D affine matrices of shape Nx3x4 for size \[1, 3, 4, 5, 2\]. Got torch.Size\(\[1, 2, 3\]\)",
)
def affine_grid_3d_size_with_2d_theta(torch):
    return torch.nn.functional.affine_grid(
        torch.randn(1, 2, 3), [1, 3, 4, 5, 2], align_corners=False
    )


@error(
    NotImplementedError,
    r"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size \[1, 3, 4\]",
)
def affine_grid_3_sizes(torch):
    return torch.nn.functional.affine_grid(torch.randn(1, 2, 3), [1, 3, 4], align_corners=False)


@error(
    RuntimeError,
    r"Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[1, 3\]",
)
def affine_grid_batch_mismatch(torch):
    return torch.nn.functional.affine_grid(torch.randn(1, 2, 3), [2, 3, 2, 4], align_corners=False)


@error(ValueError, r"Expected theta to have floating point type, but got torch.int32")
def affine_grid_int_theta(torch):
    theta = torch.zeros(1, 2, 3, dtype=torch.int32)
    return torch.nn.functional.affine_grid(theta, [1, 3, 2, 4], align_corners=False)


@program
def spatial_transformer_3d(torch):
    F = torch.nn.functional
    theta = torch.tensor([[[0.9, 0.1, 0.0, 0.05], [-0.1, 1.1, 0.2, 0.0], [0.0, 0.1, 0.8, -0.1]]])
    theta.requires_grad_()
    vol = _img(torch, 1, 2, 3, 4, 5)
    out = []
    for ac in (False, True):
        grid = F.affine_grid(theta, [1, 2, 2, 3, 4], align_corners=ac)
        out.append(F.grid_sample(vol, grid, padding_mode="border", align_corners=ac))
    sum(o.pow(2).sum() for o in out).backward()
    return out, theta.grad, vol.grad


def test_grid_sample_5d_and_affine_grid_3d_gradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    F = minitorch.nn.functional
    minitorch.manual_seed(0)
    vol = minitorch.randn(1, 1, 2, 2, 3, dtype=minitorch.float64, requires_grad=True)
    theta = (minitorch.eye(3, 4, dtype=minitorch.float64) * 0.9).unsqueeze(0)
    theta = (theta + 0.05 * minitorch.randn(1, 3, 4, dtype=minitorch.float64)).requires_grad_()

    def sample(v, t, mode, padding):
        grid = F.affine_grid(t, [1, 1, 1, 2, 2], align_corners=False)
        return F.grid_sample(v, grid, mode=mode, padding_mode=padding, align_corners=False)

    for mode, padding in (("bilinear", "zeros"), ("bilinear", "reflection"), ("nearest", "border")):
        fn = lambda v, t, m=mode, p=padding: sample(v, t, m, p)  # noqa: E731
        assert gradcheck(fn, (vol, theta))
        assert mode == "nearest" or gradgradcheck(fn, (vol, theta))


# ---- pad, fold, shuffle, embedding, distances, dropout, linear -------------------------------
@program
def pad_every_mode_negative_and_grads(torch):
    F = torch.nn.functional
    x = _img(torch, 1, 2, 4, 5)
    out = [
        F.pad(x, (1, 2, 0, 1), mode="reflect"),
        F.pad(x, (2, 0, 3, 1), mode="replicate"),
        F.pad(x, (1, 1, 2, 2), mode="circular"),
        F.pad(x, (1, -1, -2, 1), value=3.5),
        F.pad(x, (-1, -2)),
        F.pad(x, (1, 1, 1, 1, 1, 1)),
        F.pad(x[0], (2, 1), mode="reflect"),
        F.pad(x[0], (1, 2), mode="circular"),
        F.pad(x, (0, 0, -1, 0), mode="replicate"),
    ]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    return out, x.grad


@program
def pad_5d_modes_and_int_constant(torch):
    F = torch.nn.functional
    x = _img(torch, 1, 1, 2, 3, 4)
    out = [F.pad(x, (1, 0, 0, 2, 1, 1), mode=m) for m in ("reflect", "replicate", "circular")]
    sum(o.sum() for o in out).backward()
    i = F.pad(torch.arange(6).view(2, 3), (1, 1), value=7)
    b = F.pad(torch.tensor([True, False]), (1, 0), value=True)
    return out, x.grad, i, b


@error(
    NotImplementedError,
    r"Padding size 2 is not supported for 1D input tensor.\nSupported combinations for non-constant padding:",
)
def pad_reflect_1d_input(torch):
    return torch.nn.functional.pad(torch.randn(4), (1, 1), mode="reflect")


@error(RuntimeError, r"Padding length must be divisible by 2")
def pad_odd_length(torch):
    return torch.nn.functional.pad(torch.randn(2, 3), (1, 1, 1))


@error(
    RuntimeError,
    r"Padding length should be less than or equal to two times the input dimension but got padding length 6 and input of dimension 2",
)
def pad_too_long(torch):
    return torch.nn.functional.pad(torch.randn(2, 3), (1, 1, 1, 1, 1, 1))


@program
def fold_unfold_dilation_padding_stride(torch):
    F = torch.nn.functional
    x = _img(torch, 2, 3, 7, 6)
    u = F.unfold(x, kernel_size=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 3))
    f = F.fold(
        u, output_size=(7, 6), kernel_size=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 3)
    )
    u2 = F.unfold(x[0], 3, padding=1)
    (u.pow(2).sum() + f.sum() + u2.sum()).backward()
    m = torch.nn.Fold((4, 5), 2, stride=1)
    inp = torch.randn(1, 3 * 4, 12)
    return u, f, u2, x.grad, m(inp), repr(m), repr(torch.nn.Unfold(2, dilation=2))


@program
def pixel_shuffle_unshuffle_batchless_and_grads(torch):
    F = torch.nn.functional
    x = _img(torch, 2, 8, 3, 2)
    a = F.pixel_shuffle(x, 2)
    b = F.pixel_unshuffle(a, 2)
    c = F.pixel_shuffle(x[0], 2)
    d = torch.nn.PixelUnshuffle(3)(torch.randn(1, 2, 3, 1, 6, 3))
    (a * torch.arange(a.numel()).view(a.shape)).sum().backward()
    return a, b, c, d, x.grad


@error(
    RuntimeError,
    r"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size\(-3\)=6 is not divisible by 4",
)
def pixel_shuffle_bad_channels(torch):
    return torch.nn.functional.pixel_shuffle(torch.randn(1, 6, 2, 2), 2)


@program
def embedding_padding_max_norm_scale_grad(torch):
    F = torch.nn.functional
    w = torch.randn(6, 3, dtype=torch.float64) * 2
    w.requires_grad_()
    idx = torch.tensor([[0, 2, 2], [5, 0, 1]])
    a = F.embedding(idx, w, padding_idx=2, scale_grad_by_freq=True)
    a.pow(2).sum().backward()
    emb = torch.nn.Embedding(6, 3, padding_idx=-1, max_norm=1.0, norm_type=1.0)
    y = emb(torch.tensor([1, 5, 1, 3]))
    y.sum().backward()
    return a, w.grad, y, emb.weight, emb.weight.grad, repr(emb)


@program
def embedding_bag_offsets_weights_modes(torch):
    F = torch.nn.functional
    w = torch.randn(8, 3, dtype=torch.float64, requires_grad=True)
    idx = torch.tensor([1, 2, 4, 5, 4, 3, 2, 7])
    off = torch.tensor([0, 2, 2, 5])
    psw = torch.rand(8, dtype=torch.float64)
    out = [
        F.embedding_bag(idx, w, off, mode="sum", per_sample_weights=psw),
        F.embedding_bag(idx, w, off, mode="mean", padding_idx=4),
        F.embedding_bag(idx, w, off, mode="max"),
        F.embedding_bag(idx, w, torch.tensor([0, 2, 5, 8]), include_last_offset=True),
        F.embedding_bag(idx.view(2, 4), w, mode="max", padding_idx=2),
    ]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    bag = torch.nn.EmbeddingBag(8, 3, mode="sum", padding_idx=0)
    return out, w.grad, bag(idx, off), repr(bag)


@error(
    NotImplementedError,
    r"embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' \(got mode='mean'\)",
)
def embedding_bag_weights_with_mean(torch):
    F = torch.nn.functional
    return F.embedding_bag(
        torch.tensor([0, 1]),
        torch.randn(3, 2),
        torch.tensor([0]),
        mode="mean",
        per_sample_weights=torch.ones(2),
    )


@program
def cosine_similarity_pairwise_distance_broadcast_eps(torch):
    F = torch.nn.functional
    a = _leaf(torch, 4, 1, 5)
    b = _leaf(torch, 3, 5)
    c = F.cosine_similarity(a, b, dim=-1, eps=1e-3)
    z = F.cosine_similarity(torch.zeros(2, 3), torch.ones(2, 3))
    d = F.pairwise_distance(a.squeeze(1), b[:1], p=1.5, eps=1e-4, keepdim=True)
    e = F.pairwise_distance(torch.randn(5), torch.randn(5), p=float("inf"))
    (c.sum() + d.sum()).backward()
    return c, z, d, e, a.grad, b.grad


@program
def pdist_cdist_p_and_compute_modes(torch):
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
    out = [
        torch.nn.functional.pdist(x),
        torch.nn.functional.pdist(x, p=1),
        torch.nn.functional.pdist(x, p=0.5),
        torch.cdist(x, y[0]),
        torch.cdist(x.unsqueeze(0).expand(2, 5, 3), y, p=1),
        torch.cdist(x, y[1], p=float("inf")),
        torch.cdist(x, y[0], compute_mode="use_mm_for_euclid_dist"),
        torch.cdist(x, y[0], p=0),
    ]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    return out, x.grad, y.grad


@program
def dropout_variants_eval_train_shapes(torch):
    F = torch.nn.functional
    x = torch.ones(2, 3, 4, 5)
    out = [
        F.dropout(x, 0.3, training=False),
        F.dropout1d(x[0], 0.5, training=False),
        F.dropout2d(x, 0.5, training=False),
        F.dropout3d(x, 0.5, training=False),
        F.alpha_dropout(x, 0.2, training=False),
        F.feature_alpha_dropout(x, 0.2, training=False),
        F.dropout(x, 0.0),
        F.dropout(x, 1.0),
        F.dropout2d(x, 1.0),
        F.alpha_dropout(x, 1.0, training=True),
    ]
    train = [F.dropout(x, 0.4).shape, F.dropout2d(x, 0.4).shape, F.dropout1d(x[0], 0.4).shape]
    return out, train


@error(ValueError, r"dropout probability has to be between 0 and 1, but got 1.5")
def dropout2d_bad_p(torch):
    return torch.nn.functional.dropout2d(torch.randn(2, 3, 4), 1.5)


@program
def linear_bilinear_unusual_shapes(torch):
    F = torch.nn.functional
    x = _leaf(torch, 2, 3, 4)
    w = _leaf(torch, 5, 4)
    b = _leaf(torch, 5)
    out = [
        F.linear(x, w, b),
        F.linear(torch.randn(4), w),
        F.linear(x, torch.randn(4)),
        F.linear(torch.randn(0, 4), w, b),
        F.linear(x, w, torch.tensor(0.5)),
    ]
    x1, x2 = _leaf(torch, 2, 3, 4), _leaf(torch, 2, 3, 2)
    bw = _leaf(torch, 6, 4, 2)
    bl = F.bilinear(x1, x2, bw)
    bl1 = F.bilinear(torch.randn(4), torch.randn(2), bw, torch.zeros(6))
    (sum(o.sum() for o in out) + bl.sum()).backward()
    return out, bl, bl1, x.grad, w.grad, b.grad, x1.grad, bw.grad


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(6x4 and 3x5\)")
def linear_shape_mismatch_3d(torch):
    return torch.nn.functional.linear(torch.randn(2, 3, 4), torch.randn(5, 3))


@program
def local_response_norm_shapes(torch):
    F = torch.nn.functional
    x3 = _img(torch, 2, 5, 4)
    x5 = _img(torch, 1, 6, 2, 3, 2)
    a = F.local_response_norm(x3, 3, alpha=1e-2, beta=0.5, k=2.0)
    b = F.local_response_norm(x5, 4)
    c = torch.nn.LocalResponseNorm(2)(_img(torch, 1, 3, 2, 2))
    (a.sum() + b.pow(2).sum()).backward()
    return a, b, c, x3.grad, x5.grad


@error(NotImplementedError, r"Padding size 2 is not supported for 4D input tensor")
def pad_replicate_one_pair_on_4d(torch):
    return torch.nn.functional.pad(torch.randn(1, 2, 3, 4), (1, 1), mode="replicate")


@error(RuntimeError, r"Padding mode \"reflect\" doesn't take in value argument")
def pad_reflect_with_value(torch):
    return torch.nn.functional.pad(torch.randn(2, 3), (1, 1), mode="reflect", value=1)


@program
def pad_negative_non_constant(torch):
    F = torch.nn.functional
    x = torch.arange(10.0).view(1, 2, 5).requires_grad_()
    out = [
        F.pad(x, (-1, 2), mode="reflect"),
        F.pad(x, (2, -2), mode="circular"),
        F.pad(x, (-1, 3), mode="circular"),
        F.pad(x, (-3, 1), mode="replicate"),
    ]
    sum((o * (i + 1)).sum() for i, o in enumerate(out)).backward()
    return out, x.grad


@error(RuntimeError, r"^mat2 must be a matrix, got 1-D tensor$")
def linear_vector_weight_with_bias_2d(torch):
    F = torch.nn.functional
    return F.linear(torch.randn(2, 3), torch.randn(3), torch.tensor(1.0))


@program
def linear_vector_weight(torch):
    F = torch.nn.functional
    x, w = _leaf(torch, 2, 2, 3), _leaf(torch, 3)
    a = F.linear(x, w, torch.tensor(1.0))
    b = F.linear(x[0, 0], w)
    (a.sum() + b).backward()
    return a, b, x.grad, w.grad
