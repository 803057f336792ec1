"""Convolution, pooling, unfold/fold: against PyTorch (values and every gradient), finite
differences (float64, first and second order), module API and error messages."""

from __future__ import annotations

import numpy as np
import pytest
from nn_oracle import compare_fn, compare_module

import minitorch
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def rand(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def leaf64(*shape):
    return minitorch.tensor(rng.standard_normal(shape), requires_grad=True)


# ---- convolution: functional forms against PyTorch -------------------------------------------
CONV2D = [
    # (input shape, weight shape, bias, kwargs)
    ((2, 3, 7, 6), (4, 3, 3, 3), True, dict(padding=1)),
    ((2, 4, 9, 8), (6, 2, 3, 3), False, dict(stride=2, groups=2)),
    ((1, 2, 8, 8), (4, 2, 2, 2), True, dict(padding="same", dilation=2)),
    ((2, 3, 10, 9), (3, 3, 3, 2), True, dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2))),
    ((2, 4, 6, 6), (4, 1, 3, 3), True, dict(padding="same", groups=4)),  # depthwise
    ((2, 3, 5, 5), (2, 3, 5, 5), True, dict(padding="valid")),  # kernel = input
    ((3, 6, 6), (2, 3, 1, 1), True, dict()),  # unbatched input
    ((2, 2, 9, 7), (3, 2, 4, 3), False, dict(stride=(3, 1), padding=(2, 1))),
]


@pytest.mark.parametrize("xs, ws, bias, kw", CONV2D)
def test_conv2d_matches_torch(torch, xs, ws, bias, kw):
    ins = [rand(*xs), rand(*ws)] + ([rand(ws[0])] if bias else [])
    compare_fn(
        torch,
        lambda lib, x, w, *b: lib.nn.functional.conv2d(x, w, *b, **kw),
        *ins,
        grad=tuple(range(len(ins))),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


CONV1D = [
    ((2, 3, 11), (4, 3, 3), True, dict(padding=1, stride=2)),
    ((2, 4, 10), (4, 2, 2), False, dict(padding="same", dilation=3, groups=2)),
    ((3, 9), (2, 3, 4), True, dict()),
]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # PyTorch's note
@pytest.mark.parametrize("xs, ws, bias, kw", CONV1D)
def test_conv1d_matches_torch(torch, xs, ws, bias, kw):
    ins = [rand(*xs), rand(*ws)] + ([rand(ws[0])] if bias else [])
    compare_fn(
        torch,
        lambda lib, x, w, *b: lib.nn.functional.conv1d(x, w, *b, **kw),
        *ins,
        grad=tuple(range(len(ins))),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


CONV_T = [
    ((2, 4, 5, 4), (4, 3, 3, 3), True, dict(stride=2, padding=1, output_padding=1)),
    ((2, 4, 4, 5), (4, 2, 2, 3), False, dict(groups=2, dilation=(2, 1), stride=(1, 2))),
    ((4, 3, 3), (4, 2, 3, 3), True, dict(padding=(0, 1))),
    # output_padding >= stride (allowed by the dilation): output columns no input reaches
    (
        (2, 4, 2, 5),
        (4, 1, 2, 1),
        True,
        dict(stride=(3, 1), output_padding=(0, 1), groups=2, dilation=2),
    ),
]


@pytest.mark.parametrize("xs, ws, bias, kw", CONV_T)
def test_conv_transpose2d_matches_torch(torch, xs, ws, bias, kw):
    ins = [rand(*xs), rand(*ws)] + ([rand(ws[1] * kw.get("groups", 1))] if bias else [])
    compare_fn(
        torch,
        lambda lib, x, w, *b: lib.nn.functional.conv_transpose2d(x, w, *b, **kw),
        *ins,
        grad=tuple(range(len(ins))),
        tol=dict(rtol=1e-4, atol=1e-5),
    )


def test_conv_transpose1d_matches_torch(torch):
    x, w, b = rand(2, 4, 6), rand(4, 3, 3), rand(3)
    compare_fn(
        torch,
        lambda lib, x, w, b: lib.nn.functional.conv_transpose1d(
            x, w, b, stride=3, padding=1, output_padding=2
        ),
        x,
        w,
        b,
        grad=(0, 1, 2),
    )


# ---- convolution: finite differences, first and second order ---------------------------------
def test_conv2d_gradcheck_and_gradgradcheck():
    x, w, b = leaf64(2, 4, 5, 4), leaf64(6, 2, 3, 2), leaf64(6)

    def f(x, w, b):
        return F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)

    assert gradcheck(f, (x, w, b))
    assert gradgradcheck(f, (x, w, b))


def test_conv2d_wide_grid_gradgradcheck():
    x, w = leaf64(1, 2, 4, 5), leaf64(3, 2, 3, 3)  # stride 1 with padding: the wide-grid path
    assert gradgradcheck(lambda x, w: F.conv2d(x, w, padding=1), (x, w))


def test_conv_transpose_and_conv1d_gradgradcheck():
    x, w, b = leaf64(1, 4, 3, 3), leaf64(4, 3, 3, 3), leaf64(6)

    def f(x, w, b):
        return F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2)

    assert gradcheck(f, (x, w, b))
    assert gradgradcheck(f, (x, w, b))
    x1, w1 = leaf64(2, 2, 7), leaf64(3, 2, 3)
    assert gradgradcheck(lambda x, w: F.conv1d(x, w, stride=2, padding=2, dilation=2), (x1, w1))


def test_conv2d_output_is_contiguous_float32_and_viewable():
    x = minitorch.randn(2, 3, 6, 6)
    w = minitorch.randn(4, 3, 3, 3)
    y = F.conv2d(x, w, padding=1)
    assert y.dtype == minitorch.float32 and y.is_contiguous()
    assert y.view(2, -1).shape == (2, 144)


def test_conv2d_backward_without_weight_grad_gives_only_input_grad():
    x = minitorch.randn(2, 3, 5, 5, requires_grad=True)
    w = minitorch.randn(4, 3, 3, 3)
    F.conv2d(x, w).sum().backward()
    assert x.grad.shape == (2, 3, 5, 5) and w.grad is None


# ---- convolution: errors -----------------------------------------------------------------
def test_conv_errors():
    x = minitorch.randn(1, 4, 8, 8)
    with pytest.raises(RuntimeError, match=r"expected input\[1, 4, 8, 8\] to have 3 channels"):
        F.conv2d(x, minitorch.randn(2, 3, 3, 3))
    with pytest.raises(RuntimeError, match=r"Kernel size can't be greater than actual input size"):
        F.conv2d(x, minitorch.randn(2, 4, 9, 9))
    with pytest.raises(RuntimeError, match="padding='same' is not supported for strided"):
        F.conv2d(x, minitorch.randn(2, 4, 3, 3), stride=2, padding="same")
    with pytest.raises(RuntimeError, match=r"expected scalar type Double but found Float"):
        F.conv2d(x.double(), minitorch.randn(2, 4, 3, 3))
    with pytest.raises(RuntimeError, match="Expected 3D .unbatched. or 4D .batched. input"):
        F.conv2d(minitorch.randn(8, 8), minitorch.randn(2, 4, 3, 3))
    with pytest.raises(RuntimeError, match="bias to be 1-dimensional with 2 elements"):
        F.conv2d(x, minitorch.randn(2, 4, 3, 3), minitorch.randn(3))
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        minitorch.nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        minitorch.nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(RuntimeError, match="output padding must be smaller than either stride"):
        F.conv_transpose2d(x, minitorch.randn(4, 2, 3, 3), output_padding=1)
    with pytest.raises(RuntimeError, match=r"Calculated output size per channel: \(-1 x 4\)"):
        F.conv_transpose2d(minitorch.randn(1, 2, 1, 3), minitorch.randn(2, 1, 1, 2), padding=(1, 0))


# ---- convolution modules -------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.Conv2d(3, 4, 3, padding=1), (2, 3, 8, 8)),
        (
            lambda nn: nn.Conv2d(4, 6, (3, 2), stride=2, dilation=(2, 1), groups=2, bias=False),
            (2, 4, 9, 9),
        ),
        (lambda nn: nn.Conv2d(2, 3, 4, padding="same"), (1, 2, 7, 6)),
        (lambda nn: nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), (2, 2, 5, 5)),
        (lambda nn: nn.Conv1d(3, 5, 3, stride=2, padding=1), (2, 3, 10)),
        (lambda nn: nn.Conv1d(2, 2, 3, padding="same", padding_mode="circular"), (2, 2, 6)),
        (
            lambda nn: nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1),
            (2, 3, 4, 5),
        ),
        (lambda nn: nn.ConvTranspose1d(4, 2, 2, stride=2, groups=2), (2, 4, 5)),
    ],
)
def test_conv_modules_match_torch(torch, make, shape):
    compare_module(torch, make, rand(*shape), tol=dict(rtol=1e-4, atol=1e-5))


def test_conv_transpose2d_output_size_and_repr(torch):
    m = minitorch.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
    t = torch.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
    assert m(minitorch.randn(1, 3, 4, 4), output_size=[8, 8]).shape == (1, 4, 8, 8)
    with pytest.raises(ValueError, match=r"valid sizes range from \[7, 7\] to \[8, 8\]"):
        m(minitorch.randn(1, 3, 4, 4), output_size=[9, 9])
    assert repr(m) == repr(t)
    for args, kw in [
        ((3, 4, 3), dict(padding="same")),
        ((4, 4, (1, 3)), dict(groups=2, bias=False)),
    ]:
        assert repr(minitorch.nn.Conv2d(*args, **kw)) == repr(torch.nn.Conv2d(*args, **kw))


def test_conv_default_init_bounds():
    m = minitorch.nn.Conv2d(4, 8, 3)
    bound = 1 / np.sqrt(4 * 9)  # kaiming_uniform(a=sqrt(5)) and the bias both give 1/sqrt(fan_in)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert w.dtype == np.float32 and np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound
    assert np.abs(b).max() <= bound


# ---- pooling ----------------------------------------------------------------------------------
MAX_POOL = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(3, 2), stride=(1, 2), dilation=(2, 1)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=3, stride=1, padding=1),
]


@pytest.mark.parametrize("kw", MAX_POOL)
def test_max_pool2d_matches_torch(torch, kw):
    x = rand(2, 3, 9, 8)
    compare_fn(torch, lambda lib, x: lib.nn.functional.max_pool2d(x, **kw), x)
    out, idx = F.max_pool2d(minitorch.tensor(x), return_indices=True, **kw)
    t_out, t_idx = torch.nn.functional.max_pool2d(torch.tensor(x), return_indices=True, **kw)
    np.testing.assert_array_equal(idx.numpy(), t_idx.numpy())
    assert idx.dtype == minitorch.int64


def test_max_pool_ties_and_nan_follow_torch(torch):
    x = np.zeros((1, 1, 4, 4), np.float32)  # every window is a tie: the first element wins
    x[0, 0, 3, 3] = np.nan
    compare_fn(torch, lambda lib, x: lib.nn.functional.max_pool2d(x, 2), x)
    compare_fn(torch, lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 1, 1), x)


def test_max_pool1d_matches_torch(torch):
    x = rand(2, 3, 11)
    compare_fn(torch, lambda lib, x: lib.nn.functional.max_pool1d(x, 3, 2, 1), x)
    _, idx = F.max_pool1d(minitorch.tensor(x), 3, 2, 1, return_indices=True)
    _, t_idx = torch.nn.functional.max_pool1d(torch.tensor(x), 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), t_idx.numpy())


AVG_POOL = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(2, 3), stride=2, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=2, stride=1, divisor_override=3),
]


@pytest.mark.parametrize("kw", AVG_POOL)
def test_avg_pool2d_matches_torch(torch, kw):
    compare_fn(torch, lambda lib, x: lib.nn.functional.avg_pool2d(x, **kw), rand(2, 3, 9, 8))


def test_avg_pool1d_matches_torch(torch):
    x = rand(2, 3, 10)
    compare_fn(torch, lambda lib, x: lib.nn.functional.avg_pool1d(x, 3, 2, 1, True, False), x)


@pytest.mark.parametrize("size", [(3, 3), 1, (None, 2), (4, 5), 7])
def test_adaptive_avg_pool2d_matches_torch(torch, size):
    compare_fn(
        torch, lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, size), rand(2, 3, 7, 9)
    )


def test_adaptive_avg_pool1d_matches_torch(torch):
    compare_fn(torch, lambda lib, x: lib.nn.functional.adaptive_avg_pool1d(x, 4), rand(2, 3, 10))


@pytest.mark.parametrize(
    "kw", [dict(kernel_size=2), dict(kernel_size=(2, 3), padding=1, stride=2, dilation=(1, 2))]
)
def test_unfold_fold_match_torch(torch, kw):
    x = rand(2, 3, 7, 8)
    cols = compare_fn(torch, lambda lib, x: lib.nn.functional.unfold(x, **kw), x)
    compare_fn(
        torch,
        lambda lib, c: lib.nn.functional.fold(c, (7, 8), **kw),
        cols.detach().numpy(),
    )


def test_pooling_gradcheck_and_gradgradcheck():
    x = leaf64(2, 2, 6, 5)
    fns = [
        lambda x: F.max_pool2d(x, 3, 2, 1),
        lambda x: F.max_pool2d(x, 2, 1, dilation=2, ceil_mode=True),
        lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda x: F.avg_pool1d(x[:, :, 0], 2),
        lambda x: F.adaptive_avg_pool2d(x, (4, 3)),
        lambda x: F.unfold(x, 2, padding=1, stride=2),
        lambda x: F.fold(x.reshape(2, 4, 15), (4, 6), 2),
        lambda x: F.max_pool1d(x[:, 0], 3, 1, 1),
    ]
    for fn in fns:
        assert gradcheck(fn, (x,))
        assert gradgradcheck(fn, (x,))


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.MaxPool2d(3, 2, 1), (2, 3, 8, 8)),
        (lambda nn: nn.MaxPool1d(2), (2, 3, 9)),
        (lambda nn: nn.AvgPool2d(2, ceil_mode=True), (2, 3, 7, 7)),
        (lambda nn: nn.AvgPool1d(3, 1, 1), (2, 3, 9)),
        (lambda nn: nn.AdaptiveAvgPool2d((2, None)), (2, 3, 5, 4)),
    ],
)
def test_pool_modules_match_torch(torch, make, shape):
    compare_module(torch, make, rand(*shape))
    assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def test_max_pool_module_returns_indices(torch):
    x = rand(1, 2, 6, 6)
    out, idx = minitorch.nn.MaxPool2d(2, return_indices=True)(minitorch.tensor(x))
    t_out, t_idx = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(idx.numpy(), t_idx.numpy())
    np.testing.assert_array_equal(out.numpy(), t_out.numpy())


def test_pool_errors():
    x = minitorch.randn(1, 2, 6, 6)
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        F.max_pool2d(x, 2, padding=2)
    with pytest.raises(RuntimeError, match=r"\(2x6x6\). Calculated output size: \(2x0x0\). Output size is too small"):  # fmt: skip
        F.avg_pool2d(x, 7)
    with pytest.raises(RuntimeError, match=r"non-empty 3D or 4D \(batch mode\) tensor expected for input"):  # fmt: skip
        F.max_pool2d(minitorch.randn(6, 6), 2)
