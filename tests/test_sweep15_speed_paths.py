"""Session 9 sweep of ops rewritten for speed (benchmarks/op_ratios.py found them many times
slower than PyTorch): each program runs with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py) and compares values and gradients, so a vectorised rewrite keeps
PyTorch's numbers. Speed itself is never asserted here."""

from __future__ import annotations

import numpy as np
import pytest
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


# ---- ctc_loss: the alpha / beta recursions in numpy --------------------------------------------
def _ctc(torch, dtype, in_len, tg_len, reduction="mean", zero_infinity=False, concat=False):
    rng = np.random.default_rng(0)
    T, N, C, S = max(in_len), len(in_len), 5, max(max(tg_len), 1)
    x = torch.tensor(rng.standard_normal((T, N, C)), dtype=dtype, requires_grad=True)
    tg = rng.integers(1, C, (N, S))
    tg[0, : min(2, S)] = 1  # a repeated label: no skip between them
    targets = torch.tensor(tg)
    if concat:
        targets = torch.cat([targets[i, :n] for i, n in enumerate(tg_len)])
    loss = torch.nn.functional.ctc_loss(
        x.log_softmax(-1),
        targets,
        torch.tensor(in_len),
        torch.tensor(tg_len),
        reduction=reduction,
        zero_infinity=zero_infinity,
    )
    loss.sum().backward()
    return loss, x.grad


@program
def ctc_lengths_vary_float32(torch):
    return _ctc(torch, torch.float32, [30, 24, 17], [5, 3, 0])


@program
def ctc_float64_none_reduction(torch):
    return _ctc(torch, torch.float64, [12, 12, 5, 1], [6, 2, 3, 1], reduction="none")


@program
def ctc_concatenated_targets_zero_infinity_sum(torch):
    return _ctc(torch, torch.float64, [12, 12, 5, 2], [6, 2, 3, 3], "sum", True, concat=True)


@program
def ctc_long_sequence(torch):
    return _ctc(torch, torch.float32, [200, 150], [20, 7])


@program
def ctc_no_frames_empty_target_costs_nothing(torch):
    return _ctc(torch, torch.float32, [6, 0], [3, 0], reduction="none")


# ---- adaptive max pooling: all bins gathered at once --------------------------------------------
def _adaptive_max(torch, fn, shape, size, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape).round(0)  # many ties
    x = torch.tensor(a, requires_grad=True)
    out, idx = getattr(torch.nn.functional, fn)(x, size, return_indices=True)
    (out * torch.arange(out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    return out, idx, x.grad


@program
def adaptive_max_pool2d_uneven_bins_ties(torch):
    return _adaptive_max(torch, "adaptive_max_pool2d", (2, 3, 6, 6), (5, 7))


@program
def adaptive_max_pool2d_unbatched_keep_height(torch):
    return _adaptive_max(torch, "adaptive_max_pool2d", (3, 7, 9), (None, 4))


@program
def adaptive_max_pool1d_uneven_bins(torch):
    return _adaptive_max(torch, "adaptive_max_pool1d", (2, 3, 13), 5)


@program
def adaptive_max_pool3d_uneven_bins(torch):
    return _adaptive_max(torch, "adaptive_max_pool3d", (1, 2, 5, 7, 9), (3, 4, 5))


@program
def adaptive_max_pool2d_nan_wins_its_bins(torch):
    a = np.random.default_rng(2).standard_normal((1, 2, 7, 5))
    a[0, 1, 3, 2] = np.nan
    out, idx = torch.nn.functional.adaptive_max_pool2d(
        torch.tensor(a, dtype=torch.float32), (3, 3), return_indices=True
    )
    return out, idx


# ---- sigmoid and sign without np.where / nan_to_num ----------------------------------------------
_TAILS = [float("nan"), -0.0, 0.0, float("inf"), -float("inf"), -120.0, -20.0, -2.0, 0.5, 3.0, 40.0]


@program
def sigmoid_tails_every_float_dtype(torch):
    out = []
    for dtype in (torch.float16, torch.float32, torch.float64):
        x = torch.tensor(_TAILS[1:], dtype=dtype, requires_grad=True)
        y = torch.sigmoid(x)
        y.sum().backward()
        out += [y, x.grad]
    return out + [torch.sigmoid(torch.tensor(-3.0)), torch.sigmoid(torch.tensor(_TAILS)).isnan()]


@program
def sigmoid_mixed_signs_noncontiguous(torch):
    x = torch.tensor(np.random.default_rng(3).standard_normal((64, 48)) * 6, dtype=torch.float32)
    return torch.sigmoid(x.t()), torch.nn.functional.sigmoid(x[:, ::3]), x.sigmoid().stride()


@program
def sign_nan_is_zero(torch):
    x = torch.tensor(_TAILS)
    out = [torch.sign(x), torch.sgn(x), torch.tensor(float("nan")).sign()]
    for dtype in (torch.float16, torch.int32, torch.uint8, torch.bool):
        out.append(torch.sign(torch.tensor([0, 1, 3]).to(dtype)))
    return out


# ---- pad_sequence: one gather instead of one pad per sequence -------------------------------------
def _padded(torch, lengths, dtype, **kw):
    xs = [
        torch.tensor(np.random.default_rng(i).standard_normal((n, 3)) * 3, dtype=dtype)
        for i, n in enumerate(lengths)
    ]
    for x in xs:
        x.requires_grad_(dtype.is_floating_point)
    out = torch.nn.utils.rnn.pad_sequence(xs, **kw)
    result = [out, out.is_contiguous()]
    if dtype.is_floating_point:
        (out * torch.arange(out.numel(), dtype=dtype).reshape(out.shape)).sum().backward()
        result += [x.grad for x in xs]
    return result


@program
def pad_sequence_time_major_right(torch):
    return _padded(torch, [3, 1, 4, 0], torch.float32)


@program
def pad_sequence_batch_first_left_float64(torch):
    return _padded(torch, [2, 5, 5], torch.float64, batch_first=True, padding_side="left")


@program
def pad_sequence_int_truncated_padding_value(torch):
    return _padded(torch, [2, 4], torch.int64, batch_first=True, padding_value=2.7)


@program
def pad_sequence_broadcasts_trailing_sizes(torch):
    a, b, c = torch.ones(3, 2), torch.arange(4.0).reshape(2, 2)[:, :1], torch.tensor([5.0, 6.0])
    return torch.nn.utils.rnn.pad_sequence([a, b, c], batch_first=True)


@error(
    RuntimeError,
    r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 1",
)
def pad_sequence_trailing_size_mismatch(torch):
    return torch.nn.utils.rnn.pad_sequence([torch.ones(3, 2), torch.ones(2, 3)])


@error(RuntimeError, r"output with shape \[2, 2\] doesn't match the broadcast shape \[2, 2, 2\]")
def pad_sequence_sequence_of_higher_rank(torch):
    return torch.nn.utils.rnn.pad_sequence([torch.ones(2, 2), torch.ones(2, 2, 2)])


# ---- embedding_bag mode='max': one gather of padded bags -----------------------------------------
def _bag_max(torch, indices, offsets, dtype, padding_idx=None):
    w = torch.tensor(np.random.default_rng(0).standard_normal((10, 4)).round(0), dtype=dtype)
    w.requires_grad_(True)
    offsets = None if offsets is None else torch.tensor(offsets)
    out = torch.nn.functional.embedding_bag(
        torch.tensor(indices), w, offsets, mode="max", padding_idx=padding_idx
    )
    (out * torch.arange(out.numel(), dtype=dtype).reshape(out.shape)).sum().backward()
    return out, w.grad


@program
def embedding_bag_max_ties_and_empty_bags(torch):
    return _bag_max(torch, [1, 2, 4, 5, 4, 3, 2, 9], [0, 0, 3, 3, 8], torch.float32)


@program
def embedding_bag_max_padding_idx_float64(torch):
    return _bag_max(torch, [1, 2, 4, 5, 4, 3, 2, 9, 4, 4], [0, 2, 5, 8], torch.float64, 4)


@program
def embedding_bag_max_2d_input(torch):
    return _bag_max(torch, [[1, 2, 3], [4, 4, 0]], None, torch.float32)


# ---- linalg.cross as one node (LinalgCrossBackward0) -------------------------------------------------
def _crossed(torch, sa, sb, dtype, dim=-1):
    a = torch.tensor(np.random.default_rng(0).standard_normal(sa), dtype=dtype, requires_grad=True)
    b = torch.tensor(np.random.default_rng(1).standard_normal(sb), dtype=dtype, requires_grad=True)
    out = torch.linalg.cross(a, b, dim=dim)
    w = torch.arange(out.numel(), dtype=dtype).reshape(out.shape)
    ga, gb = torch.autograd.grad((out * w).sum(), (a, b), create_graph=True)
    gga = torch.autograd.grad((ga * ga).sum() + gb.sum(), a)[0]  # second order through b
    return out, type(out.grad_fn).__name__, ga, gb, gga


@program
def cross_rows_float32(torch):
    return _crossed(torch, (4, 3), (4, 3), torch.float32)


@program
def cross_broadcast_float64(torch):
    return _crossed(torch, (2, 1, 3), (1, 4, 3), torch.float64)


@program
def cross_first_dim_and_ints(torch):
    out = list(_crossed(torch, (3, 5), (3, 5), torch.float64, dim=0))
    ints = torch.linalg.cross(torch.tensor([[1, 2, 3]]), torch.tensor([[4, 5, 7]]))
    return out + [ints, torch.cross(torch.ones(3, 2), torch.arange(6.0).reshape(3, 2), dim=0)]


def test_cross_gradcheck_and_gradgradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    a = minitorch.randn(4, 3, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.randn(1, 3, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(minitorch.linalg.cross, (a, b))
    assert gradgradcheck(minitorch.linalg.cross, (a, b))


# ---- the rewritten ops on a device (tests/fake_cupy.py: host arrays refused) -------------------------
def _rewritten_ops(mt, dev: str) -> list:
    rng = np.random.default_rng(0)
    lp = mt.tensor(rng.standard_normal((12, 3, 5)), device=dev, requires_grad=True)
    targets = mt.tensor([[1, 2, 2], [3, 1, 4], [1, 1, 1]], device=dev)
    loss = mt.nn.functional.ctc_loss(
        lp.log_softmax(-1), targets, mt.tensor([12, 9, 0]), mt.tensor([3, 2, 0])
    )
    loss.backward()
    x = mt.tensor(rng.standard_normal((2, 3, 7, 6)), device=dev, requires_grad=True)
    pooled, where = mt.nn.functional.adaptive_max_pool2d(x, (4, 5), return_indices=True)
    pooled.sum().backward()
    seqs = [mt.ones(n, 2, device=dev) for n in (3, 1)]
    w = mt.tensor(rng.standard_normal((10, 4)), device=dev, requires_grad=True)
    bags = mt.nn.functional.embedding_bag(
        mt.tensor([1, 2, 4, 5], device=dev), w, mt.tensor([0, 0, 3], device=dev), mode="max"
    )
    bags.sum().backward()
    a = mt.tensor(rng.standard_normal((4, 3)), device=dev, requires_grad=True)
    crossed = mt.linalg.cross(a, a.flip(0))
    crossed.sum().backward()
    out = [loss, lp.grad, pooled, where, x.grad, mt.sigmoid(x), mt.sign(x), bags, w.grad]
    out += [mt.nn.utils.rnn.pad_sequence(seqs, padding_value=-1), crossed, a.grad]
    return [o.detach().cpu().numpy() for o in out]


@pytest.mark.parametrize("fused", [False, True])
def test_rewritten_ops_run_on_a_device_as_on_the_cpu(fused):
    from fake_cupy import installed

    import minitorch

    expected = _rewritten_ops(minitorch, "cpu")
    with installed(fused=fused):
        got = _rewritten_ops(minitorch, "cuda")
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)


# ---- index_add along any dim: duplicates accumulate in index order (PyTorch's float32 sums) ---------
@program
def index_add_duplicates_along_inner_dims_float32(torch):
    out = []
    for dim in (0, 1, 2):
        rng = np.random.default_rng(dim)
        shape = [6, 7, 8]
        index = rng.integers(0, shape[dim], 300)
        shape_src = list(shape)
        shape_src[dim] = 300
        base = torch.tensor(rng.standard_normal(shape), dtype=torch.float32)
        src = torch.tensor(rng.standard_normal(shape_src) * 100, dtype=torch.float32)
        out.append(base.index_add(dim, torch.tensor(index), src, alpha=1))
    return out


@program
def adaptive_avg_pool_overlapping_bins_gradient(torch):
    a = np.random.default_rng(4).standard_normal((2, 3, 4, 11, 13))
    x = torch.tensor(a, dtype=torch.float32, requires_grad=True)
    y = torch.nn.functional.adaptive_avg_pool3d(x, (3, 4, 5))
    (y * torch.arange(y.numel(), dtype=y.dtype).reshape(y.shape)).sum().backward()
    return y, x.grad
