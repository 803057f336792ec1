"""Layers added in session 6: AdaptiveLogSoftmaxWithLoss, LazyInstanceNorm1d/2d/3d, the
``bias=`` keyword of the instance norms, NLLLoss2d, FractionalMaxPool2d/3d. Oracle tests
against PyTorch (skipped without it), gradchecks and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck


def _run_both(torch, program):
    """``program(framework)`` under PyTorch and minitorch; pairs of their results."""
    return list(zip(program(torch), program(minitorch)))


def _compare(pairs, rtol=1e-5, atol=1e-6):
    for expected, actual in pairs:
        if isinstance(expected, (str, int, float, bool, list, tuple)):
            assert actual == expected
            continue
        expected = expected.detach().numpy()
        actual = actual.detach().numpy()
        assert actual.dtype == expected.dtype and actual.shape == expected.shape
        assert_close(actual, expected, rtol=rtol, atol=atol)


# ---- AdaptiveLogSoftmaxWithLoss ------------------------------------------------------------
def _adaptive_program(fw):
    fw.manual_seed(0)
    m = fw.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [4, 10, 15], div_value=2.0, head_bias=True)
    x = fw.randn(12, 16, requires_grad=True)
    target = fw.tensor([0, 3, 4, 9, 10, 14, 15, 19, 2, 5, 11, 18])
    out, loss = m(x, target)
    loss.backward()
    single = m(x[0], target[5])
    return [
        repr(m), [n for n, _ in m.named_parameters()], out, loss, x.grad,
        *[p.grad for p in m.parameters()],
        m.log_prob(x), m.predict(x), m.predict(x[:3]), single.output, single.loss,
    ]  # fmt: skip


def test_adaptive_log_softmax_matches_pytorch(torch):
    _compare(_run_both(torch, _adaptive_program))


def test_adaptive_log_softmax_shortlist_only_batch(torch):
    def program(fw):
        fw.manual_seed(3)
        m = fw.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5])
        x = fw.randn(4, 8)
        out, loss = m(x, fw.tensor([0, 1, 2, 4]))  # no row reaches the tail
        return [out, loss, m.log_prob(x).exp().sum(1)]

    _compare(_run_both(torch, program))


def test_adaptive_log_softmax_gradcheck():
    minitorch.manual_seed(0)
    m = minitorch.nn.AdaptiveLogSoftmaxWithLoss(6, 9, [3, 6], div_value=2.0).double()
    x = minitorch.randn(5, 6, dtype=minitorch.float64, requires_grad=True)
    target = minitorch.tensor([0, 4, 8, 2, 6])
    assert gradcheck(lambda x: m(x, target).loss, (x,))
    assert gradgradcheck(lambda x: m(x, target).output, (x,))


def test_adaptive_log_softmax_log_prob_is_a_distribution():
    minitorch.manual_seed(1)
    with pytest.warns(UserWarning, match="zero-element"):  # the last tail is 8 -> 0 -> 8
        m = minitorch.nn.AdaptiveLogSoftmaxWithLoss(8, 30, [5, 12, 20])
    with minitorch.no_grad():
        lp = m.log_prob(minitorch.randn(7, 8))
    assert lp.shape == (7, 30)
    np.testing.assert_allclose(lp.exp().sum(1).numpy(), np.ones(7), rtol=1e-5)


@pytest.mark.parametrize(
    "cutoffs, message",
    [
        ([], "cutoffs should be a sequence of length larger than 0"),
        ([5, 3], "sorted in an increasing order"),
        ([0, 3], "sorted in an increasing order"),
        ([3, 3], "unique"),
        ([3, 10], "between 1 and n_classes-1"),
    ],
)
def test_adaptive_log_softmax_bad_cutoffs(cutoffs, message):
    with pytest.raises(ValueError, match=message):
        minitorch.nn.AdaptiveLogSoftmaxWithLoss(4, 10, cutoffs)


def test_adaptive_log_softmax_bad_inputs():
    m = minitorch.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])
    with pytest.raises(RuntimeError, match=r"Target values should be in \[0, 9\], but values in range \[0, 12\]"):  # fmt: skip
        m(minitorch.randn(2, 4), minitorch.tensor([0, 12]))
    with pytest.raises(RuntimeError, match="same size in the batch dimension"):
        m(minitorch.randn(3, 4), minitorch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D input tensors"):
        m(minitorch.randn(2, 1, 4), minitorch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="0D target tensor expects 1D input tensors"):
        m(minitorch.randn(2, 4), minitorch.tensor(1))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        m(minitorch.randn(2, 4), minitorch.tensor([[1], [2]]))


def test_linear_with_a_zero_sized_dimension(torch):
    def program(fw):
        results = []
        for n_in, n_out, rows in [(8, 0, 3), (0, 8, 3), (4, 3, 0)]:
            fw.manual_seed(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # initializing zero-element tensors
                m = fw.nn.Linear(n_in, n_out)
            x = fw.randn(2, rows, n_in, requires_grad=True)
            y = m(x)
            y.sum().backward()
            results += [y, x.grad, m.weight.grad, m.bias.grad]
        return results

    _compare(_run_both(torch, program))


# ---- instance norms: lazy, bias=, channel checks -------------------------------------------
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_lazy_instance_norm_matches_pytorch(torch, rank):
    def program(fw):
        fw.manual_seed(0)
        m = getattr(fw.nn, f"LazyInstanceNorm{rank}d")()
        before = repr(m)
        x = fw.randn(2, 3, *[4] * rank)
        y = m(x)
        m.eval()
        return [before, repr(m), type(m).__name__, list(m.state_dict()), y, m(x),
                m.running_mean, m.running_var, m.num_batches_tracked]  # fmt: skip

    _compare(_run_both(torch, program))


def test_instance_norm_bias_false_and_reset(torch):
    def program(fw):
        m = fw.nn.InstanceNorm1d(3, affine=True, bias=False, track_running_stats=True)
        x = fw.randn(2, 3, 5)
        m(x)
        with fw.no_grad():
            m.weight.fill_(2.0)
        m.reset_parameters()
        return [repr(m), list(m.state_dict()), m.weight, m.running_mean, m.num_batches_tracked]

    _compare(_run_both(torch, program))


def test_instance_norm_channel_mismatch():
    with pytest.raises(ValueError, match=r"expected input's size at dim=1 to match num_features \(4\), but got: 3\."):  # fmt: skip
        minitorch.nn.InstanceNorm1d(4, affine=True)(minitorch.randn(2, 3, 5))
    with pytest.raises(ValueError, match="at dim=0 to match num_features"):
        minitorch.nn.InstanceNorm2d(4, affine=True)(minitorch.randn(3, 5, 5))
    with pytest.warns(UserWarning, match="does not match num_features"):
        out = minitorch.nn.InstanceNorm1d(4)(minitorch.randn(2, 3, 5))
    assert out.shape == (2, 3, 5)


def test_nll_loss_2d_is_deprecated_nll_loss():
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        loss = minitorch.nn.NLLLoss2d(ignore_index=1)
    assert isinstance(loss, minitorch.nn.NLLLoss)
    logp = minitorch.log_softmax(minitorch.randn(2, 3, 4, 4), dim=1)
    target = minitorch.randint(0, 3, (2, 4, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = minitorch.nn.functional.nll_loss(logp, target, ignore_index=1)
    assert_close(loss(logp, target).numpy(), expected.numpy())


# ---- fractional max pooling ----------------------------------------------------------------
@pytest.mark.parametrize(
    "n, shape, kernel, kwargs",
    [
        (2, (2, 3, 10, 9), 3, {"output_size": (5, 4)}),
        (2, (3, 11, 13), 2, {"output_ratio": (0.5, 0.5)}),
        (2, (2, 2, 7, 7), (2, 3), {"output_size": 5}),
        (3, (2, 2, 6, 7, 8), 2, {"output_size": (3, 4, 5)}),
        (3, (2, 9, 9, 9), 3, {"output_ratio": (0.5, 0.6, 0.7)}),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fractional_max_pool_matches_pytorch(torch, n, shape, kernel, kwargs, dtype):
    def program(fw):
        fw.manual_seed(0)
        x = fw.randn(*shape, dtype=getattr(fw, dtype), requires_grad=True)
        pool = getattr(fw.nn.functional, f"fractional_max_pool{n}d")
        y, indices = pool(x, kernel, return_indices=True, **kwargs)
        (y * fw.arange(y.numel(), dtype=y.dtype).reshape(y.shape)).sum().backward()
        return [y, indices, x.grad]

    _compare(_run_both(torch, program))


def test_fractional_max_pool_modules_match_pytorch(torch):
    def program(fw):
        fw.manual_seed(1)
        samples = fw.rand(2, 3, 2)
        given = fw.nn.FractionalMaxPool2d(3, output_size=4, _random_samples=samples)
        ratio = fw.nn.FractionalMaxPool2d(2, output_ratio=0.5, return_indices=True)
        cube = fw.nn.FractionalMaxPool3d((2, 2, 3), output_ratio=0.5)
        x = fw.randn(2, 3, 9, 9)
        return [repr(given), list(given.state_dict()), ratio.output_ratio, given(x), given(x),
                *ratio(x), cube(fw.randn(1, 2, 6, 6, 8))]  # fmt: skip

    _compare(_run_both(torch, program))


def test_fractional_max_pool_nan_is_the_last_nan_of_its_window(torch):
    def program(fw):
        nan = float("nan")
        x = fw.tensor([[[[1.0, nan, 3.0], [nan, 0.0, 2.0], [1.0, 1.0, 1.0]]]])
        samples = fw.tensor([[[0.3, 0.7]]])
        return list(fw.nn.functional.fractional_max_pool2d(
            x, 2, output_size=2, return_indices=True, _random_samples=samples))  # fmt: skip

    _compare(_run_both(torch, program))


def test_fractional_max_pool_gradcheck():
    minitorch.manual_seed(0)
    x = minitorch.randn(2, 2, 7, 6, dtype=minitorch.float64, requires_grad=True)
    samples = minitorch.rand(2, 2, 2, dtype=minitorch.float64)
    pool = minitorch.nn.functional.fractional_max_pool2d
    assert gradcheck(lambda x: pool(x, 2, output_size=(4, 3), _random_samples=samples), (x,))
    assert gradgradcheck(lambda x: pool(x, 2, output_size=(4, 3), _random_samples=samples), (x,))


def test_fractional_max_pool_errors():
    F = minitorch.nn.functional
    with pytest.raises(RuntimeError, match="pool height 3 too large relative to input height 5"):
        F.fractional_max_pool2d(minitorch.randn(1, 2, 5, 5), 3, output_size=4)
    with pytest.raises(RuntimeError, match="fractional_max_pool3d_out\\(\\): pool width 4"):
        F.fractional_max_pool3d(minitorch.randn(1, 2, 5, 5, 5), (2, 2, 4), output_size=(2, 2, 3))
    with pytest.raises(RuntimeError, match="dimension 1 being empty"):
        F.fractional_max_pool2d(minitorch.randn(1, 0, 5, 5), 2, output_size=2)
    with pytest.raises(ValueError, match="requires specifying either an output_size or an output_ratio"):  # fmt: skip
        F.fractional_max_pool2d(minitorch.randn(1, 2, 5, 5), 2)
    with pytest.raises(ValueError, match="only one of output_size and output_ratio"):
        minitorch.nn.FractionalMaxPool2d(2, output_size=2, output_ratio=0.5)
    with pytest.raises(ValueError, match=r"output_ratio must be between 0 and 1 \(got 1.5\)"):
        minitorch.nn.FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(ValueError, match="kernel_size must be greater than 0, but got 0"):
        minitorch.nn.FractionalMaxPool3d(0, output_ratio=0.5)
    with pytest.raises(ValueError, match="FractionalMaxPool2d requires specifying either"):
        minitorch.nn.FractionalMaxPool2d(2)
