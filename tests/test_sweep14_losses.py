"""Session 8 compatibility sweep of losses, second pass: reductions, weights, ignored and
empty batches, float64/float16, gradients of input and target, and PyTorch's errors. Each
program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

F64 = "float64"


test_program_matches_pytorch = SWEEP.test()


def _leaf(torch, *shape, dtype=None, scale=1.0):
    x = torch.randn(*shape, dtype=dtype) * scale
    return x.requires_grad_()


def _all_reductions(torch, fn, *leaves):
    out = []
    for reduction in ("none", "mean", "sum"):
        for leaf in leaves:
            leaf.grad = None
        loss = fn(reduction)
        loss.sum().backward()
        out.append((loss.detach(), [leaf.grad for leaf in leaves]))
    return out


# ---- cross_entropy ---------------------------------------------------------------------------
@program
def ce_4d_weight_ignore_smoothing(torch):
    torch.manual_seed(0)
    x = _leaf(torch, 2, 4, 3, 2)
    t = torch.randint(0, 4, (2, 3, 2))
    t[0, 0, 0] = 2
    t[1, 2, 1] = 2
    w = torch.rand(4)
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.cross_entropy(x, t, weight=w, ignore_index=2, label_smoothing=0.3, reduction=r),
        x,
    )


@program
def ce_4d_float64(torch):
    torch.manual_seed(1)
    x = _leaf(torch, 2, 3, 2, 2, dtype=torch.float64)
    t = torch.randint(0, 3, (2, 2, 2))
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1), x
    )


@program
def ce_prob_target_smoothing_weight(torch):
    torch.manual_seed(2)
    x = _leaf(torch, 3, 5)
    t = torch.softmax(torch.randn(3, 5), 1).requires_grad_()
    w = torch.rand(5)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, weight=w, label_smoothing=0.25, reduction=r), x, t
    )


@program
def ce_prob_target_4d(torch):
    torch.manual_seed(3)
    x = _leaf(torch, 2, 3, 2, 2)
    t = torch.softmax(torch.randn(2, 3, 2, 2), 1)
    w = torch.rand(3)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.cross_entropy(x, t, weight=w, reduction=r), x)


@program
def ce_all_ignored(torch):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0)).requires_grad_()
    t = torch.full((3,), -100)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.cross_entropy(x, t, reduction=r), x)


@program
def ce_all_ignored_smoothing_weight(torch):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0)).requires_grad_()
    t = torch.full((3,), 1)
    F = torch.nn.functional
    w = torch.tensor([1.0, 2.0, 3.0, 4.0])
    return _all_reductions(
        torch,
        lambda r: F.cross_entropy(x, t, weight=w, ignore_index=1, label_smoothing=0.2, reduction=r),
        x,
    )


@program
def ce_empty_batch(torch):
    x = torch.zeros(0, 4, requires_grad=True)
    t = torch.zeros(0, dtype=torch.long)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.cross_entropy(x, t, reduction=r), x)


@program
def ce_empty_batch_prob(torch):
    x = torch.zeros(0, 4, requires_grad=True)
    t = torch.zeros(0, 4)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.cross_entropy(x, t, reduction=r), x)


@program
def ce_unbatched(torch):
    torch.manual_seed(4)
    x = _leaf(torch, 5)
    t = torch.tensor(3)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1), x
    )


@program
def ce_unbatched_prob(torch):
    torch.manual_seed(4)
    x = _leaf(torch, 5)
    t = torch.softmax(torch.randn(5), 0)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1), x
    )


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def ce_float16(torch):
    torch.manual_seed(5)
    x = torch.randn(4, 3).half().requires_grad_()
    t = torch.tensor([0, 2, 1, 1])
    loss = torch.nn.functional.cross_entropy(x, t)
    loss.backward()
    return loss, x.grad


@program
def ce_module_noncontiguous(torch):
    torch.manual_seed(6)
    x = torch.randn(4, 3).t().requires_grad_()
    t = torch.tensor([0, 2, 1])
    crit = torch.nn.CrossEntropyLoss(
        weight=torch.tensor([0.2, 0.3, 0.5, 1.0]), label_smoothing=0.05
    )
    loss = crit(x, t)
    loss.backward()
    return loss, x.grad, crit.ignore_index, crit.reduction, crit.label_smoothing


@error(RuntimeError, r"Expected floating point type for target with class probabilities, got Long")
def ce_prob_target_wrong(torch):
    return torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.zeros(2, 3, dtype=torch.long))


@error(IndexError, r"Target 5 is out of bounds")
def ce_target_oob(torch):
    return torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 5]))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def ce_batch_mismatch(torch):
    return torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1]))


@error(RuntimeError, r"label_smoothing must be between 0.0 and 1.0. Got: 1.5")
def ce_smoothing_range(torch):
    return torch.nn.functional.cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1, 2]), label_smoothing=1.5
    )


@error(
    RuntimeError,
    r"weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: \[3\]",
)
def ce_weight_size(torch):
    return torch.nn.functional.cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=torch.ones(3)
    )


@error(ValueError, r"is not a valid value for reduction")
def ce_bad_reduction(torch):
    return torch.nn.functional.cross_entropy(
        torch.randn(3, 4), torch.tensor([0, 1, 2]), reduction="avg"
    )


# ---- nll_loss --------------------------------------------------------------------------------
@program
def nll_weight_ignore(torch):
    torch.manual_seed(7)
    x = torch.log_softmax(torch.randn(5, 3), 1).detach().requires_grad_()
    t = torch.tensor([0, 1, 2, 1, 0])
    w = torch.tensor([0.5, 2.0, 1.5])
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.nll_loss(x, t, weight=w, ignore_index=1, reduction=r), x
    )


@program
def nll_all_ignored(torch):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1)).requires_grad_()
    t = torch.tensor([2, 2, 2])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.nll_loss(x, t, ignore_index=2, reduction=r), x)


@program
def nll_zero_weights(torch):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1)).requires_grad_()
    t = torch.tensor([2, 2, 1])
    F = torch.nn.functional
    w = torch.tensor([1.0, 0.0, 0.0, 1.0])
    return _all_reductions(torch, lambda r: F.nll_loss(x, t, weight=w, reduction=r), x)


@program
def nll_4d_weight_float64(torch):
    torch.manual_seed(8)
    x = _leaf(torch, 2, 3, 2, 3, dtype=torch.float64)
    t = torch.randint(0, 3, (2, 2, 3))
    w = torch.rand(3, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.nll_loss(x, t, weight=w, ignore_index=0, reduction=r), x
    )


@program
def nll_3d(torch):
    torch.manual_seed(9)
    x = _leaf(torch, 2, 3, 4)
    t = torch.randint(0, 3, (2, 4))
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.nll_loss(x, t, reduction=r), x)


@program
def nll_empty(torch):
    x = torch.zeros(0, 3, requires_grad=True)
    t = torch.zeros(0, dtype=torch.long)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.nll_loss(x, t, reduction=r), x)


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Int")
def nll_int32_target(torch):
    return torch.nn.functional.nll_loss(
        torch.randn(3, 4), torch.tensor([2, 0, 1], dtype=torch.int32)
    )


@program
def nll_uint8_target(torch):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1)).requires_grad_()
    loss = torch.nn.functional.cross_entropy(x, torch.tensor([2, 0, 1], dtype=torch.uint8))
    loss.backward()
    return loss, x.grad


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Float")
def nll_float_target(torch):
    return torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0]))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def nll_batch_mismatch(torch):
    return torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([0, 1]))


# ---- binary cross entropy --------------------------------------------------------------------
@program
def bce_weight_broadcast(torch):
    torch.manual_seed(10)
    x = torch.rand(4, 3).clamp(0.05, 0.95).requires_grad_()
    t = torch.rand(4, 3).requires_grad_()
    w = torch.rand(3)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.binary_cross_entropy(x, t, weight=w, reduction=r), x, t
    )


@program
def bce_extremes(torch):
    x = torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0]).requires_grad_()
    t = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.binary_cross_entropy(x, t, reduction=r), x)


@program
def bce_float64(torch):
    torch.manual_seed(11)
    x = torch.rand(5, dtype=torch.float64).requires_grad_()
    t = torch.rand(5, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.binary_cross_entropy(x, t, reduction=r), x)


@program
def bcel_pos_weight_broadcast(torch):
    torch.manual_seed(12)
    x = _leaf(torch, 2, 4, 3)
    t = torch.rand(2, 4, 3).requires_grad_()
    pw = torch.rand(3) * 3
    w = torch.rand(4, 1)
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction=r),
        x,
        t,
    )


@program
def bcel_large_logits(torch):
    x = torch.tensor([-200.0, -50.0, 0.0, 50.0, 200.0]).requires_grad_()
    t = torch.tensor([1.0, 0.0, 0.5, 1.0, 0.0])
    pw = torch.tensor(2.5)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, reduction=r), x
    )


@program
def bcel_module_float64(torch):
    torch.manual_seed(13)
    x = _leaf(torch, 3, 2, dtype=torch.float64)
    t = torch.rand(3, 2, dtype=torch.float64)
    crit = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 3.0], dtype=torch.float64))
    loss = crit(x, t)
    loss.backward()
    return loss, x.grad


@error(
    ValueError,
    r"Target size \(torch.Size\(\[3\]\)\) must be the same as input size \(torch.Size\(\[3, 1\]\)\)",
)
def bcel_size_mismatch(torch):
    return torch.nn.functional.binary_cross_entropy_with_logits(torch.randn(3, 1), torch.rand(3))


@error(
    ValueError,
    r"Using a target size \(torch.Size\(\[3\]\)\) that is different to the input size \(torch.Size\(\[3, 1\]\)\)",
)
def bce_size_mismatch(torch):
    return torch.nn.functional.binary_cross_entropy(torch.rand(3, 1), torch.rand(3))


@error(RuntimeError, r"all elements of input should be between 0 and 1")
def bce_out_of_range(torch):
    return torch.nn.functional.binary_cross_entropy(
        torch.tensor([1.5, 0.2]), torch.tensor([1.0, 0.0])
    )


# ---- margin losses ---------------------------------------------------------------------------
@program
def margin_ranking(torch):
    torch.manual_seed(14)
    a, b = _leaf(torch, 6), _leaf(torch, 6)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, 1.0])
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.margin_ranking_loss(a, b, y, margin=0.3, reduction=r), a, b
    )


@error(
    RuntimeError,
    r"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size\(\[3, 1\]\), input2: torch.Size\(\[1, 4\]\), target: torch.Size\(\[4\]\)",
)
def margin_ranking_broadcast(torch):
    torch.manual_seed(15)
    a, b = _leaf(torch, 3, 1), _leaf(torch, 1, 4)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0])
    return torch.nn.functional.margin_ranking_loss(a, b, y, reduction="none")


@error(
    RuntimeError,
    r"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size\(\[3\]\), input2: torch.Size\(\[3, 1\]\), target: torch.Size\(\[3\]\)",
)
def margin_ranking_dims(torch):
    return torch.nn.functional.margin_ranking_loss(torch.randn(3), torch.randn(3, 1), torch.ones(3))


@program
def hinge_embedding(torch):
    torch.manual_seed(16)
    x = _leaf(torch, 3, 4)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0]).expand(3, 4)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.hinge_embedding_loss(x, y, margin=0.5, reduction=r), x
    )


@program
def hinge_embedding_float64_scalar(torch):
    x = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(-1.0, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.hinge_embedding_loss(x, y, reduction=r), x)


@program
def multilabel_margin(torch):
    torch.manual_seed(17)
    x = _leaf(torch, 3, 4)
    y = torch.tensor([[3, 0, -1, 1], [0, 1, 2, 3], [-1, 1, 2, 0]])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.multilabel_margin_loss(x, y, reduction=r), x)


@program
def multilabel_margin_1d(torch):
    torch.manual_seed(18)
    x = _leaf(torch, 4)
    y = torch.tensor([2, 1, -1, 0])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.multilabel_margin_loss(x, y, reduction=r), x)


@program
def multilabel_soft_margin_weight(torch):
    torch.manual_seed(19)
    x = _leaf(torch, 3, 4)
    y = torch.randint(0, 2, (3, 4)).float()
    w = torch.rand(4)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.multilabel_soft_margin_loss(x, y, weight=w, reduction=r), x
    )


@program
def soft_margin(torch):
    torch.manual_seed(20)
    x = _leaf(torch, 2, 3)
    y = torch.tensor([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.soft_margin_loss(x, y, reduction=r), x)


@program
def multi_margin_p2_weight(torch):
    torch.manual_seed(21)
    x = _leaf(torch, 3, 4)
    y = torch.tensor([0, 3, 1])
    w = torch.rand(4)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.multi_margin_loss(x, y, p=2, margin=0.7, weight=w, reduction=r), x
    )


@program
def cosine_embedding_1d(torch):
    torch.manual_seed(22)
    a, b = _leaf(torch, 5), _leaf(torch, 5)
    y = torch.tensor(-1.0)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cosine_embedding_loss(a, b, y, margin=-0.2, reduction=r), a, b
    )


@program
def cosine_embedding_margin(torch):
    torch.manual_seed(23)
    a, b = _leaf(torch, 4, 3), _leaf(torch, 4, 3)
    y = torch.tensor([1, -1, -1, 1])
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cosine_embedding_loss(a, b, y, margin=0.3, reduction=r), a, b
    )


@error(
    RuntimeError,
    r"0D target tensor expects 1D input tensors, but found inputs with sizes \[2, 3\] and \[2, 3\]",
)
def cosine_embedding_target_dims(torch):
    return torch.nn.functional.cosine_embedding_loss(
        torch.randn(2, 3), torch.randn(2, 3), torch.tensor(1.0)
    )


# ---- likelihood losses -----------------------------------------------------------------------
@program
def poisson_nll_variants(torch):
    torch.manual_seed(24)
    x = torch.rand(6).requires_grad_()
    t = torch.tensor([0.0, 1.0, 3.0, 2.0, 0.5, 7.0])
    F = torch.nn.functional
    out = []
    for log_input in (True, False):
        for full in (True, False):
            out.append(
                _all_reductions(
                    torch,
                    lambda r, log_input=log_input, full=full: F.poisson_nll_loss(
                        x, t, log_input=log_input, full=full, eps=0.1, reduction=r
                    ),
                    x,
                )
            )
    return out


@program
def poisson_nll_target_grad(torch):
    x = torch.tensor([0.2, 1.5, -0.3], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([1.0, 3.0, 0.0], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.poisson_nll_loss(x, t, full=True)
    loss.backward()
    return loss, x.grad, t.grad


@program
def gaussian_nll_var_broadcast(torch):
    torch.manual_seed(25)
    x = _leaf(torch, 4, 3)
    t = torch.randn(4, 3).requires_grad_()
    v = (torch.rand(4, 1) + 0.1).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.gaussian_nll_loss(x, t, v, full=True, eps=1e-3, reduction=r), x, t, v
    )


@program
def gaussian_nll_var_1fewer_dim(torch):
    torch.manual_seed(26)
    x = _leaf(torch, 4, 3)
    t = torch.randn(4, 3)
    v = (torch.rand(4) + 0.1).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.gaussian_nll_loss(x, t, v, reduction=r), x, v)


@program
def gaussian_nll_scalar_var(torch):
    torch.manual_seed(27)
    x = _leaf(torch, 4, 3)
    t = torch.randn(4, 3)
    F = torch.nn.functional
    return F.gaussian_nll_loss(x, t, 0.5)


@program
def gaussian_nll_small_var_eps(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    t = torch.tensor([0.5, 0.5])
    v = torch.tensor([1e-8, 2.0], requires_grad=True)
    loss = torch.nn.functional.gaussian_nll_loss(x, t, v, eps=1e-2)
    loss.backward()
    return loss, x.grad, v.grad


@error(ValueError, r"var is of incorrect size")
def gaussian_nll_var_bad_size(torch):
    return torch.nn.functional.gaussian_nll_loss(
        torch.randn(4, 3), torch.randn(4, 3), torch.ones(4, 2)
    )


@error(ValueError, r"var has negative entry/entries")
def gaussian_nll_negative_var(torch):
    return torch.nn.functional.gaussian_nll_loss(
        torch.randn(4, 3), torch.randn(4, 3), -torch.ones(4, 3)
    )


@program
def kl_div_log_target(torch):
    torch.manual_seed(28)
    x = torch.log_softmax(torch.randn(3, 4), 1).detach().requires_grad_()
    t = torch.log_softmax(torch.randn(3, 4), 1).detach().requires_grad_()
    F = torch.nn.functional
    out = [_all_reductions(torch, lambda r: F.kl_div(x, t, reduction=r, log_target=True), x, t)]
    x.grad = t.grad = None
    loss = F.kl_div(x, t, reduction="batchmean", log_target=True)
    loss.backward()
    out.append((loss, x.grad, t.grad))
    return out


@program
def kl_div_zero_target(torch):
    x = torch.tensor([[-1.0, -2.0, -0.5]], requires_grad=True)
    t = torch.tensor([[0.0, 0.7, 0.3]], requires_grad=True)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.kl_div(x, t, reduction=r), x, t)


# ---- regression losses -----------------------------------------------------------------------
@program
def huber_delta_values(torch):
    torch.manual_seed(29)
    x = _leaf(torch, 8)
    t = torch.randn(8).requires_grad_()
    F = torch.nn.functional
    return [
        _all_reductions(torch, lambda r, d=d: F.huber_loss(x, t, delta=d, reduction=r), x, t)
        for d in (0.5, 2.0)
    ]


@program
def smooth_l1_beta0(torch):
    torch.manual_seed(30)
    x = _leaf(torch, 6)
    t = torch.randn(6)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.smooth_l1_loss(x, t, beta=0.0, reduction=r), x)


@error(RuntimeError, r"huber_loss does not support non-positive values for delta.")
def huber_delta0(torch):
    return torch.nn.functional.huber_loss(torch.randn(3), torch.randn(3), delta=0.0)


@error(RuntimeError, r"smooth_l1_loss does not support negative values for beta.")
def smooth_l1_negative_beta(torch):
    return torch.nn.functional.smooth_l1_loss(torch.randn(3), torch.randn(3), beta=-1.0)


@program
def mse_l1_broadcast_warning(torch):
    import warnings

    x = torch.randn(3, 1, generator=torch.Generator().manual_seed(0))
    t = torch.randn(3, generator=torch.Generator().manual_seed(1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = torch.nn.functional.mse_loss(x, t)
        b = torch.nn.functional.l1_loss(x, t)
    return a, b, [str(w.message).replace("minitorch", "torch") for w in caught]


@program
def triplet_swap_p1(torch):
    torch.manual_seed(31)
    a, p, n = _leaf(torch, 4, 5), _leaf(torch, 4, 5), _leaf(torch, 4, 5)
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.triplet_margin_loss(a, p, n, margin=0.5, p=1, swap=True, reduction=r),
        a,
        p,
        n,
    )


@program
def triplet_1d(torch):
    torch.manual_seed(32)
    a, p, n = _leaf(torch, 5), _leaf(torch, 5), _leaf(torch, 5)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.triplet_margin_loss(a, p, n, p=3, reduction=r), a, p, n
    )


@program
def triplet_with_distance_cosine(torch):
    torch.manual_seed(33)
    a, p, n = _leaf(torch, 4, 5), _leaf(torch, 4, 5), _leaf(torch, 4, 5)
    F = torch.nn.functional
    dist = lambda u, v: 1.0 - F.cosine_similarity(u, v)  # noqa: E731
    return _all_reductions(
        torch,
        lambda r: F.triplet_margin_with_distance_loss(
            a, p, n, distance_function=dist, margin=0.4, swap=True, reduction=r
        ),
        a,
        p,
        n,
    )


@program
def triplet_with_distance_default(torch):
    torch.manual_seed(34)
    a, p, n = _leaf(torch, 4, 5), _leaf(torch, 4, 5), _leaf(torch, 4, 5)
    crit = torch.nn.TripletMarginWithDistanceLoss(margin=2.0)
    loss = crit(a, p, n)
    loss.backward()
    return loss, a.grad, p.grad, n.grad


@error(
    RuntimeError,
    r"The anchor, positive, and negative tensors are expected to have the same number of dimensions",
)
def triplet_dims(torch):
    return torch.nn.functional.triplet_margin_loss(
        torch.randn(3, 4), torch.randn(4), torch.randn(3, 4)
    )


@error(ValueError, r"margin must be greater than 0, got -1.0")
def triplet_with_distance_margin(torch):
    a = torch.randn(3, 4)
    return torch.nn.functional.triplet_margin_with_distance_loss(a, a, a, margin=-1.0)


# ---- ctc_loss --------------------------------------------------------------------------------
def _ctc_inputs(torch, T=6, N=2, C=4, S=3, dtype=None):
    torch.manual_seed(35)
    lp = torch.randn(T, N, C, dtype=dtype).log_softmax(2).detach().requires_grad_()
    targets = torch.randint(1, C, (N, S))
    return lp, targets


@program
def ctc_reductions(torch):
    lp, targets = _ctc_inputs(torch)
    il = torch.tensor([6, 5])
    tl = torch.tensor([3, 2])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.ctc_loss(lp, targets, il, tl, reduction=r), lp)


@program
def ctc_zero_infinity(torch):
    lp, _ = _ctc_inputs(torch, T=2)
    targets = torch.tensor([[1, 2, 3], [1, 1, 2]])
    il = torch.tensor([2, 2])
    tl = torch.tensor([3, 1])
    F = torch.nn.functional
    out = _all_reductions(
        torch, lambda r: F.ctc_loss(lp, targets, il, tl, reduction=r, zero_infinity=True), lp
    )
    raw = F.ctc_loss(lp, targets, il, tl, reduction="none")
    return out, raw


@program
def ctc_blank_last_int32(torch):
    torch.manual_seed(36)
    lp = torch.randn(5, 2, 4, dtype=torch.float64).log_softmax(2).detach().requires_grad_()
    targets = torch.tensor([0, 1, 2, 1, 1], dtype=torch.int32)
    il = torch.tensor([5, 4], dtype=torch.int32)
    tl = torch.tensor([3, 2], dtype=torch.int32)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.ctc_loss(lp, targets, il, tl, blank=3, reduction=r), lp
    )


@program
def ctc_unbatched(torch):
    torch.manual_seed(37)
    lp = torch.randn(6, 5).log_softmax(1).detach().requires_grad_()
    targets = torch.tensor([1, 2, 2])
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.ctc_loss(lp, targets, torch.tensor(6), torch.tensor(3), reduction=r), lp
    )


@program
def ctc_tuple_lengths_module(torch):
    lp, targets = _ctc_inputs(torch)
    crit = torch.nn.CTCLoss(blank=0, reduction="sum")
    loss = crit(lp, targets, (6, 6), (3, 1))
    loss.backward()
    return loss, lp.grad


@program
def ctc_zero_target_length(torch):
    lp, targets = _ctc_inputs(torch)
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.ctc_loss(lp, targets, torch.tensor([6, 3]), torch.tensor([0, 2]), reduction=r),
        lp,
    )


@error(RuntimeError, r"Expected input_lengths to have value at most 6, but got value 7")
def ctc_input_length_too_long(torch):
    lp, targets = _ctc_inputs(torch)
    return torch.nn.functional.ctc_loss(lp, targets, torch.tensor([7, 6]), torch.tensor([3, 3]))


# ---- legacy size_average / reduce ------------------------------------------------------------
@program
def legacy_args_warn(torch):
    import warnings

    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    t = torch.tensor([0, 1, 2])
    F = torch.nn.functional
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = F.cross_entropy(x, t, size_average=False)
        b = F.nll_loss(x, t, reduce=False)
        c = F.mse_loss(x, x * 2, size_average=True, reduce=True)
        d = torch.nn.L1Loss(size_average=False)(x, x * 0)
        e = torch.nn.MSELoss(reduce=False, size_average=True).reduction
    return a, b, c, d, e, [str(w.message) for w in caught], [w.category.__name__ for w in caught]


# ---- second batch: mixed arguments, modules, higher order ------------------------------------
@error(RuntimeError, r"ignore_index is not supported for floating point target")
def ce_prob_target_ignore_index(torch):
    torch.manual_seed(40)
    x = _leaf(torch, 3, 4, 2)
    t = torch.softmax(torch.randn(3, 4, 2), 1)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, ignore_index=1, label_smoothing=0.4, reduction=r), x
    )


@error(RuntimeError, r"expected scalar type Float but found Double")
def ce_weight_dtype_mismatch(torch):
    w = torch.ones(4, dtype=torch.float64)
    return torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w)


@program
def ce_double_backward(torch):
    torch.manual_seed(41)
    x = _leaf(torch, 3, 4, dtype=torch.float64)
    t = torch.tensor([0, 3, 1])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(x, t, weight=w, label_smoothing=0.2)
    (g,) = torch.autograd.grad(loss, x, create_graph=True)
    (g * g).sum().backward()
    return loss, g, x.grad


@program
def nll_unbatched_weight(torch):
    torch.manual_seed(42)
    x = _leaf(torch, 5)
    w = torch.rand(5)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.nll_loss(x, torch.tensor(2), weight=w, reduction=r), x
    )


@error(RuntimeError, r"Expected target size \[2, 4\], got \[2, 5\]")
def nll_spatial_mismatch(torch):
    return torch.nn.functional.nll_loss(torch.randn(2, 3, 4), torch.zeros(2, 5, dtype=torch.long))


@error(
    RuntimeError,
    r"The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'weight'",
)
def bcel_weight_requires_grad(torch):
    torch.manual_seed(43)
    x = _leaf(torch, 4, 3, dtype=torch.float64)
    t = torch.rand(4, 3, dtype=torch.float64).requires_grad_()
    w = torch.rand(3, dtype=torch.float64).requires_grad_()
    pw = torch.rand(3, dtype=torch.float64).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction=r),
        x,
        t,
        w,
        pw,
    )


@error(
    RuntimeError,
    r"The function 'binary_cross_entropy' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.",
)
def bce_weight_requires_grad(torch):
    torch.manual_seed(44)
    x = torch.rand(4, 3).clamp(0.05, 0.95).requires_grad_()
    t = torch.rand(4, 3)
    w = torch.rand(4, 1).requires_grad_()
    loss = torch.nn.functional.binary_cross_entropy(x, t, weight=w)
    loss.backward()
    return loss, x.grad, w.grad


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def bcel_float16(torch):
    torch.manual_seed(45)
    x = torch.randn(6).half().requires_grad_()
    t = torch.rand(6).half()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(x, t)
    loss.backward()
    return loss, x.grad


@program
def multilabel_margin_all_ignored_rows(torch):
    torch.manual_seed(46)
    x = _leaf(torch, 2, 3)
    y = torch.tensor([[-1, 0, 1], [2, 2, -1]])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.multilabel_margin_loss(x, y, reduction=r), x)


@error(ValueError, r"only p == 1 and p == 2 supported")
def multi_margin_p3(torch):
    return torch.nn.functional.multi_margin_loss(torch.randn(2, 3), torch.tensor([0, 1]), p=3)


@program
def multi_margin_1d_float64(torch):
    torch.manual_seed(47)
    x = _leaf(torch, 4, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.multi_margin_loss(x, torch.tensor(1), reduction=r), x)


@error(
    RuntimeError,
    r"The function 'soft_margin_loss' is not differentiable with respect to argument 'target'",
)
def soft_margin_target_requires_grad(torch):
    torch.manual_seed(48)
    x = _leaf(torch, 5, dtype=torch.float64)
    y = torch.randn(5, dtype=torch.float64).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.soft_margin_loss(x, y, reduction=r), x, y)


@program
def kl_div_mean_warns(torch):
    import warnings

    x = torch.log_softmax(torch.randn(2, 3, generator=torch.Generator().manual_seed(0)), 1)
    t = torch.softmax(torch.randn(2, 3, generator=torch.Generator().manual_seed(1)), 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = torch.nn.functional.kl_div(x, t)
    return loss, [w.category.__name__ for w in caught]


@program
def kl_div_negative_target(torch):
    x = torch.tensor([-1.0, -2.0])
    t = torch.tensor([-0.5, 0.5])
    return torch.nn.functional.kl_div(x, t, reduction="none")


@program
def huber_float64_grads(torch):
    torch.manual_seed(49)
    x = _leaf(torch, 3, 4, dtype=torch.float64, scale=3.0)
    t = torch.randn(3, 4, dtype=torch.float64).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.smooth_l1_loss(x, t, beta=1.5, reduction=r), x, t)


@program
def huber_ties_at_zero(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t = torch.tensor([1.0, 0.0, 3.0])
    F = torch.nn.functional
    out = []
    for fn in (F.l1_loss, F.smooth_l1_loss, F.huber_loss, F.mse_loss):
        x.grad = None
        fn(x, t).backward()
        out.append(x.grad)
    x.grad = None
    F.smooth_l1_loss(x, t, beta=0.0).backward()
    out.append(x.grad)
    return out


@error(NotImplementedError, r"\"mse_cpu\" not implemented for 'Long'")
def mse_loss_long(torch):
    return torch.nn.functional.mse_loss(torch.tensor([1, 2]), torch.tensor([2, 3]))


@program
def l1_loss_int_warns_not(torch):
    return torch.nn.functional.l1_loss(torch.tensor([1, 2]), torch.tensor([2, 5]), reduction="none")


@program
def poisson_nll_nonlog_target_grad(torch):
    x = torch.tensor([0.2, 1.5, 0.0], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([1.0, 3.0, 0.0], dtype=torch.float64, requires_grad=True)
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.poisson_nll_loss(x, t, log_input=False, full=True, reduction=r), x, t
    )


@program
def gaussian_nll_heteroscedastic(torch):
    torch.manual_seed(50)
    x = _leaf(torch, 2, 3, 4)
    t = torch.randn(2, 3, 4)
    v = (torch.rand(2, 3, 1) + 0.2).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.gaussian_nll_loss(x, t, v, reduction=r), x, v)


@program
def gaussian_nll_1d(torch):
    torch.manual_seed(51)
    x = _leaf(torch, 5, dtype=torch.float64)
    t = torch.randn(5, dtype=torch.float64)
    v = (torch.rand(5, dtype=torch.float64) + 0.2).requires_grad_()
    crit = torch.nn.GaussianNLLLoss(full=True, reduction="sum")
    loss = crit(x, t, v)
    loss.backward()
    return loss, x.grad, v.grad


@error(ValueError, r"sum_all is not valid")
def gaussian_nll_bad_reduction(torch):
    return torch.nn.functional.gaussian_nll_loss(
        torch.randn(3), torch.randn(3), torch.ones(3), reduction="sum_all"
    )


@program
def cosine_embedding_zero_vectors(torch):
    a = torch.zeros(2, 3, requires_grad=True)
    b = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]], requires_grad=True)
    y = torch.tensor([1.0, -1.0])
    loss = torch.nn.functional.cosine_embedding_loss(a, b, y)
    loss.backward()
    return loss, a.grad, b.grad


@program
def ctc_mean_divides_by_clamped_lengths(torch):
    lp, targets = _ctc_inputs(torch, T=8, N=3, C=5, S=4)
    il = torch.tensor([8, 7, 8])
    tl = torch.tensor([4, 0, 2])
    loss = torch.nn.functional.ctc_loss(lp, targets, il, tl, reduction="mean")
    loss.backward()
    return loss, lp.grad


@program
def ctc_impossible_alignment(torch):
    lp, _ = _ctc_inputs(torch, T=3, N=2, C=3)
    targets = torch.tensor([[1, 1, 0], [1, 2, 0]])
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.ctc_loss(
            lp, targets, torch.tensor([3, 3]), torch.tensor([2, 2]), reduction=r, zero_infinity=True
        ),
        lp,
    ), F.ctc_loss(lp, targets, torch.tensor([3, 3]), torch.tensor([2, 2]), reduction="none")


@program
def ctc_float64_list_lengths(torch):
    torch.manual_seed(52)
    lp = torch.randn(7, 2, 4, dtype=torch.float64).log_softmax(2).detach().requires_grad_()
    targets = torch.tensor([1, 2, 3, 3, 2])
    loss = torch.nn.functional.ctc_loss(lp, targets, [7, 6], [3, 2])
    loss.backward()
    return loss, lp.grad


@error(RuntimeError, r"blank must be in label range")
def ctc_blank_out_of_range(torch):
    lp, targets = _ctc_inputs(torch)
    return torch.nn.functional.ctc_loss(
        lp, targets, torch.tensor([6, 6]), torch.tensor([3, 3]), blank=4
    )


@error(RuntimeError, r"Expected tensor to have size at least 4 at dimension 1, but got size 3")
def ctc_target_length_too_long(torch):
    lp, targets = _ctc_inputs(torch)
    return torch.nn.functional.ctc_loss(lp, targets, torch.tensor([6, 6]), torch.tensor([4, 3]))


# ---- loss modules ----------------------------------------------------------------------------
@program
def loss_module_reprs_and_buffers(torch):
    nn = torch.nn
    w = torch.tensor([1.0, 2.0])
    mods = [
        nn.CrossEntropyLoss(weight=w, label_smoothing=0.1),
        nn.NLLLoss(weight=w, ignore_index=3),
        nn.BCEWithLogitsLoss(weight=w, pos_weight=w),
        nn.BCELoss(weight=w),
        nn.KLDivLoss(reduction="batchmean", log_target=True),
        nn.HuberLoss(delta=0.5),
        nn.SmoothL1Loss(beta=0.0),
        nn.CTCLoss(blank=2, zero_infinity=True),
        nn.TripletMarginLoss(margin=0.5, p=1.0, swap=True),
        nn.MultiLabelSoftMarginLoss(weight=w),
        nn.MultiMarginLoss(p=2, margin=0.5, weight=w),
        nn.PoissonNLLLoss(log_input=False, full=True),
        nn.GaussianNLLLoss(full=True, eps=1e-3),
        nn.CosineEmbeddingLoss(margin=0.2),
        nn.MarginRankingLoss(margin=0.1),
    ]
    return [(repr(m), sorted(m.state_dict()), [n for n, _ in m.named_buffers()]) for m in mods]


@program
def loss_module_attrs(torch):
    nn = torch.nn
    return (
        [
            (m.reduction, getattr(m, "ignore_index", None), getattr(m, "label_smoothing", None))
            for m in (
                nn.CrossEntropyLoss(),
                nn.NLLLoss(reduction="sum"),
                nn.MSELoss(),
                nn.KLDivLoss(),
            )
        ],
        nn.KLDivLoss().log_target,
        nn.CTCLoss().blank,
        nn.HuberLoss().delta,
        nn.SmoothL1Loss().beta,
    )


@program
def soft_margin_float64(torch):
    torch.manual_seed(48)
    x = _leaf(torch, 5, dtype=torch.float64)
    y = torch.randn(5, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.soft_margin_loss(x, y, reduction=r), x)


@program
def soft_margin_target_requires_grad_no_grad(torch):
    with torch.no_grad():
        return torch.nn.functional.soft_margin_loss(torch.ones(3), torch.ones(3).requires_grad_())


@error(
    RuntimeError,
    r"The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'pos_weight'",
)
def bcel_pos_weight_requires_grad(torch):
    pw = torch.rand(3).requires_grad_()
    return torch.nn.functional.binary_cross_entropy_with_logits(
        torch.randn(3), torch.rand(3), pos_weight=pw
    )


@program
def bce_weight_requires_grad_no_grad(torch):
    w = torch.tensor([0.5, 2.0]).requires_grad_()
    with torch.no_grad():
        return torch.nn.functional.binary_cross_entropy(
            torch.tensor([0.3, 0.6]), torch.tensor([0.0, 1.0]), weight=w
        )


@error(
    RuntimeError,
    r"The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'",
)
def nll_weight_requires_grad(torch):
    w = torch.rand(4).requires_grad_()
    return torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w)


@error(
    RuntimeError,
    r"The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'",
)
def ce_weight_requires_grad(torch):
    w = torch.rand(4).requires_grad_()
    return torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w)


@program
def ce_prob_target_weight_requires_grad(torch):
    torch.manual_seed(53)
    x = _leaf(torch, 3, 4)
    t = torch.softmax(torch.randn(3, 4), 1)
    w = torch.rand(4).requires_grad_()
    loss = torch.nn.functional.cross_entropy(x, t, weight=w)
    loss.backward()
    return loss, x.grad, w.grad


@program(tol={"rtol": 1e-6, "atol": 1e-7})  # float64 from float32 log-probabilities
def ce_prob_target_float64_weight(torch):
    torch.manual_seed(54)
    x = torch.randn(3, 4)
    t = torch.softmax(torch.randn(3, 4), 1)
    return torch.nn.functional.cross_entropy(x, t, weight=torch.rand(4, dtype=torch.float64))


@error(
    RuntimeError,
    r"The function 'multi_margin_loss' is not differentiable with respect to argument 'weight'",
)
def multi_margin_weight_requires_grad(torch):
    w = torch.rand(4).requires_grad_()
    return torch.nn.functional.multi_margin_loss(
        torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w
    )


@error(RuntimeError, r"expected scalar type Float but found Double")
def nll_weight_dtype_mismatch(torch):
    w = torch.ones(4, dtype=torch.float64)
    return torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w)


@error(RuntimeError, r"expected scalar type Double but found Float")
def ce_float64_input_float_weight(torch):
    x = torch.randn(3, 4, dtype=torch.float64)
    return torch.nn.functional.cross_entropy(x, torch.tensor([0, 1, 2]), weight=torch.ones(4))


@program
def mse_int_float_promotes(torch):
    t = torch.tensor([2.0, 3.5], requires_grad=True)
    loss = torch.nn.functional.mse_loss(torch.tensor([1, 2]), t)
    loss.backward()
    return (
        loss,
        t.grad,
        torch.nn.functional.mse_loss(t.detach(), torch.tensor([1, 2]), reduction="none"),
    )


@program
def mse_float32_float64(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = torch.nn.functional.mse_loss(x, torch.tensor([0.5, 3.0], dtype=torch.float64))
    loss.backward()
    return loss, x.grad


@error(NotImplementedError, r"\"huber_cpu\" not implemented for 'Long'")
def huber_long(torch):
    return torch.nn.functional.huber_loss(torch.tensor([1, 2]), torch.tensor([2, 3]))


@error(NotImplementedError, r"\"smooth_l1_cpu\" not implemented for 'Long'")
def smooth_l1_long(torch):
    return torch.nn.functional.smooth_l1_loss(torch.tensor([1, 2]), torch.tensor([2, 3]))


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def huber_int_float(torch):
    return torch.nn.functional.huber_loss(torch.tensor([1, 5]), torch.tensor([2.0, 3.0]))


@program
def huber_keeps_input_dtype(torch):
    x = torch.tensor([1.0, 5.0])
    t = torch.tensor([2.0, 3.5], dtype=torch.float64)
    return (
        torch.nn.functional.huber_loss(x, t, delta=1.5),
        torch.nn.functional.huber_loss(
            torch.tensor([1.0, 5.0]), torch.tensor([2, 3]), reduction="none"
        ),
        torch.nn.functional.smooth_l1_loss(x.detach(), t.detach(), reduction="none"),
    )


@program
def ce_prob_target_weight_requires_grad_4d_smoothing(torch):
    torch.manual_seed(55)
    x = _leaf(torch, 2, 3, 2, 2)
    t = torch.softmax(torch.randn(2, 3, 2, 2), 1).requires_grad_()
    w = torch.rand(3).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, weight=w, label_smoothing=0.3, reduction=r), x, t, w
    )


@program
def ce_prob_target_weight_requires_grad_empty(torch):
    x = torch.zeros(0, 3, requires_grad=True)
    t = torch.zeros(0, 3)
    w = torch.rand(3, generator=torch.Generator().manual_seed(0)).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.cross_entropy(x, t, weight=w, reduction=r), x, w)


# ---- third batch: empty inputs, 1-D forms, module call paths ---------------------------------
@program
def empty_regression_losses(torch):
    x = torch.zeros(0, 3, requires_grad=True)
    t = torch.zeros(0, 3)
    F = torch.nn.functional
    out = []
    for fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss, F.soft_margin_loss):
        out.append(_all_reductions(torch, lambda r, fn=fn: fn(x, t, reduction=r), x))
    return out


@program
def empty_bce(torch):
    x = torch.zeros(0, requires_grad=True)
    t = torch.zeros(0)
    F = torch.nn.functional
    return (
        _all_reductions(torch, lambda r: F.binary_cross_entropy(x, t, reduction=r), x),
        _all_reductions(torch, lambda r: F.binary_cross_entropy_with_logits(x, t, reduction=r), x),
    )


@program
def multilabel_soft_margin_1d_target_float64(torch):
    torch.manual_seed(60)
    x = _leaf(torch, 2, 3, dtype=torch.float64)
    y = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
    crit = torch.nn.MultiLabelSoftMarginLoss(
        weight=torch.tensor([1.0, 0.5, 2.0], dtype=torch.float64)
    )
    loss = crit(x, y)
    loss.backward()
    return loss, x.grad


@program
def kl_div_module_batchmean_3d(torch):
    torch.manual_seed(61)
    x = torch.log_softmax(torch.randn(2, 3, 4), -1).detach().requires_grad_()
    t = torch.softmax(torch.randn(2, 3, 4), -1)
    loss = torch.nn.KLDivLoss(reduction="batchmean")(x, t)
    loss.backward()
    return loss, x.grad


@program
def poisson_module_eps(torch):
    x = torch.tensor([0.0, 1e-9, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0, 0.0])
    loss = torch.nn.PoissonNLLLoss(log_input=False, eps=1e-3, reduction="sum")(x, t)
    loss.backward()
    return loss, x.grad


@error(ValueError, r"var is of incorrect size")
def gaussian_nll_var_more_dims(torch):
    return torch.nn.functional.gaussian_nll_loss(
        torch.randn(4), torch.randn(4), torch.ones(4, 1, 1)
    )


@program
def gaussian_nll_target_broadcast(torch):
    torch.manual_seed(62)
    x = _leaf(torch, 4, 3)
    t = torch.randn(3)
    v = torch.ones(4, 3)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.gaussian_nll_loss(x, t, v, reduction=r), x)


@program
def ctc_mean_zero_infinity_mixed(torch):
    lp, _ = _ctc_inputs(torch, T=3, N=3, C=4)
    targets = torch.tensor([[1, 1, 2], [1, 2, 3], [2, 0, 0]])
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.ctc_loss(
            lp,
            targets,
            torch.tensor([3, 3, 2]),
            torch.tensor([3, 2, 1]),
            reduction=r,
            zero_infinity=True,
        ),
        lp,
    )


@error(RuntimeError, r"Expected tensor to have size at least 3 at dimension 1, but got size 2")
def ctc_targets_too_narrow(torch):
    lp, _ = _ctc_inputs(torch)
    return torch.nn.functional.ctc_loss(
        lp, torch.ones(2, 2, dtype=torch.long), torch.tensor([6, 6]), torch.tensor([3, 2])
    )


@program
def hinge_embedding_empty_and_float64(torch):
    x = torch.zeros(0, dtype=torch.float64, requires_grad=True)
    y = torch.zeros(0, dtype=torch.float64)
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.hinge_embedding_loss(x, y, reduction=r), x)


@program
def margin_ranking_int_target(torch):
    torch.manual_seed(63)
    a, b = _leaf(torch, 4), _leaf(torch, 4)
    y = torch.tensor([1, -1, 1, -1])
    loss = torch.nn.functional.margin_ranking_loss(a, b, y)
    loss.backward()
    return loss, a.grad, b.grad


@program
def triplet_margin_float64_swap_p2(torch):
    torch.manual_seed(64)
    a, p, n = (_leaf(torch, 3, 4, dtype=torch.float64) for _ in range(3))
    loss = torch.nn.TripletMarginLoss(swap=True, eps=1e-3)(a, p, n)
    loss.backward()
    return loss, a.grad, p.grad, n.grad


@program
def legacy_args_modules(torch):
    import warnings

    nn = torch.nn
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mods = [
            nn.BCELoss(size_average=False),
            nn.BCEWithLogitsLoss(reduce=False),
            nn.KLDivLoss(size_average=True, reduce=False),
            nn.SmoothL1Loss(reduce=True, size_average=False),
            nn.NLLLoss(size_average=None, reduce=None),
            nn.MultiLabelSoftMarginLoss(size_average=False),
            nn.TripletMarginLoss(reduce=False),
            nn.PoissonNLLLoss(size_average=False),
        ]
    return [m.reduction for m in mods], [str(w.message) for w in caught]


@program
def legacy_args_functional(torch):
    import warnings

    F = torch.nn.functional
    x = torch.rand(2, 3, generator=torch.Generator().manual_seed(0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = [
            F.binary_cross_entropy(x, x, size_average=False),
            F.kl_div(x.log(), x, reduce=False),
            F.smooth_l1_loss(x, x * 2, size_average=False),
            F.poisson_nll_loss(x, x, reduce=False),
            F.soft_margin_loss(x, x, size_average=False),
            F.margin_ranking_loss(x, x * 2, torch.ones(2, 3), reduce=False),
        ]
    return out, [str(w.message) for w in caught]


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def ce_4d_float16_noncontiguous(torch):
    torch.manual_seed(65)
    x = torch.randn(2, 3, 4, 3).half().permute(0, 1, 3, 2).requires_grad_()
    t = torch.randint(0, 3, (2, 3, 4))
    loss = torch.nn.functional.cross_entropy(x, t, ignore_index=1)
    loss.backward()
    return loss, x.grad


# ---- fourth batch ----------------------------------------------------------------------------
@program
def ce_ignore_index_negative_one_smoothing(torch):
    torch.manual_seed(66)
    x = _leaf(torch, 5, 3)
    t = torch.tensor([0, -1, 2, -1, 1])
    F = torch.nn.functional
    return _all_reductions(
        torch,
        lambda r: F.cross_entropy(x, t, ignore_index=-1, label_smoothing=0.15, reduction=r),
        x,
    )


@program
def nll_ignore_index_out_of_class_range(torch):
    torch.manual_seed(67)
    x = _leaf(torch, 4, 3)
    t = torch.tensor([0, 7, 2, 7])
    F = torch.nn.functional
    return _all_reductions(torch, lambda r: F.nll_loss(x, t, ignore_index=7, reduction=r), x)


@program
def nll_double_backward(torch):
    torch.manual_seed(68)
    x = _leaf(torch, 3, 4, dtype=torch.float64)
    t = torch.tensor([1, 0, 3])
    w = torch.tensor([1.0, 0.5, 2.0, 1.0], dtype=torch.float64)
    loss = torch.nn.functional.nll_loss(x.log_softmax(1), t, weight=w)
    (g,) = torch.autograd.grad(loss, x, create_graph=True)
    (g**2).sum().backward()
    return loss, g, x.grad


@program
def bcel_pos_weight_channels_4d(torch):
    torch.manual_seed(69)
    x = _leaf(torch, 2, 3, 2, 2)
    t = torch.randint(0, 2, (2, 3, 2, 2)).float()
    pw = torch.tensor([1.0, 2.0, 4.0]).reshape(3, 1, 1)
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=pw)(x, t)
    loss.backward()
    return loss, x.grad


@error(RuntimeError, r"argument #2 'target' is out of range")
def multilabel_margin_target_oob(torch):
    return torch.nn.functional.multilabel_margin_loss(
        torch.randn(2, 3), torch.tensor([[0, 5, -1], [1, -1, 0]])
    )


@program
def ce_prob_target_requires_grad_3d(torch):
    torch.manual_seed(70)
    x = _leaf(torch, 2, 4, 3, dtype=torch.float64)
    t = torch.softmax(torch.randn(2, 4, 3, dtype=torch.float64), 1).requires_grad_()
    F = torch.nn.functional
    return _all_reductions(
        torch, lambda r: F.cross_entropy(x, t, label_smoothing=0.2, reduction=r), x, t
    )


@program
def ctc_int32_2d_targets(torch):
    lp, targets = _ctc_inputs(torch, T=5, N=2, C=4, S=2)
    il = torch.tensor([5, 4], dtype=torch.int32)
    tl = torch.tensor([2, 2], dtype=torch.int32)
    loss = torch.nn.functional.ctc_loss(lp, targets.int(), il, tl)
    loss.backward()
    return loss, lp.grad


def test_soft_target_weight_path_gradcheck():
    """cross_entropy with probability targets and a weight that needs a gradient (composed)."""
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    minitorch.manual_seed(0)
    x = minitorch.randn(3, 4, 2, dtype=minitorch.float64, requires_grad=True)
    t = minitorch.softmax(minitorch.randn(3, 4, 2, dtype=minitorch.float64), 1).requires_grad_()
    w = minitorch.rand(4, dtype=minitorch.float64, requires_grad=True)

    def fn(x, t, w):
        return minitorch.nn.functional.cross_entropy(x, t, weight=w, label_smoothing=0.1)

    assert gradcheck(fn, (x, t, w))
    assert gradgradcheck(fn, (x, t, w))
