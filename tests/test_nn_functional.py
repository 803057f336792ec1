"""nn.functional forms that are not a layer's forward: one_hot, pad, interpolate, normalize,
cosine_similarity, the functional activations and losses, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from nn_oracle import compare_fn

import minitorch
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck


def _x(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def test_one_hot_matches_torch(torch):
    idx = np.array([[0, 3], [2, 1]])
    for n in (-1, 6):
        ours = F.one_hot(minitorch.tensor(idx), n)
        theirs = torch.nn.functional.one_hot(torch.tensor(idx), n)
        assert ours.dtype == minitorch.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes"):
        F.one_hot(minitorch.tensor([3]), 3)
    with pytest.raises(RuntimeError, match="Class values must be non-negative"):
        F.one_hot(minitorch.tensor([-1]), 3)


PADS = {
    "constant_2d": ((2, 3, 4, 5), (1, 2, 0, 3), "constant", 1.5),
    "constant_negative": ((2, 3, 6), (-1, 2), "constant", None),
    "reflect_1d": ((2, 3, 6), (2, 3), "reflect", None),
    "reflect_2d": ((1, 2, 4, 5), (1, 2, 3, 1), "reflect", None),
    "replicate_2d": ((1, 2, 3, 3), (2, 4, 1, 0), "replicate", None),
    "replicate_3d": ((1, 1, 2, 3, 2), (1, 1, 2, 0, 1, 1), "replicate", None),
    "circular_2d": ((1, 2, 4, 3), (1, 2, 3, 0), "circular", None),
}


@pytest.mark.parametrize("name", list(PADS))
def test_pad_matches_torch(torch, name):
    shape, pad, mode, value = PADS[name]
    compare_fn(torch, lambda lib, x: lib.nn.functional.pad(x, pad, mode, value), _x(*shape))


def test_pad_errors_and_gradcheck():
    x = minitorch.randn(1, 2, 3, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda x: F.pad(x, (2, 1), "reflect"), (x,))
    with pytest.raises(
        RuntimeError, match=r"Padding size should be less than .* padding \(3, 0\) at dimension 2"
    ):
        F.pad(x, (3, 0), "reflect")
    with pytest.raises(NotImplementedError, match="unknown padding mode 'wrap'"):
        F.pad(x, (1, 1), "wrap")


INTERP = {
    "nearest_size": ((1, 2, 3, 4), dict(size=(5, 7), mode="nearest")),
    "nearest_scale": ((2, 1, 4, 4), dict(scale_factor=2, mode="nearest")),
    "nearest_downscale": ((1, 1, 7, 9), dict(scale_factor=0.5, mode="nearest")),
    "nearest_exact": ((1, 1, 5, 3), dict(size=(3, 7), mode="nearest-exact")),
    "nearest_1d": ((2, 3, 5), dict(size=8, mode="nearest")),
    "bilinear": ((1, 2, 3, 4), dict(size=(6, 5), mode="bilinear")),
    "bilinear_align": ((1, 2, 3, 4), dict(size=(6, 5), mode="bilinear", align_corners=True)),
    "bilinear_scale": ((2, 1, 4, 5), dict(scale_factor=1.7, mode="bilinear")),
    "bilinear_down": ((1, 1, 8, 6), dict(scale_factor=0.5, mode="bilinear")),
    "linear_1d": ((1, 2, 5), dict(size=9, mode="linear", align_corners=False)),
}


@pytest.mark.parametrize("name", list(INTERP))
def test_interpolate_matches_torch(torch, name):
    shape, kwargs = INTERP[name]
    compare_fn(torch, lambda lib, x: lib.nn.functional.interpolate(x, **kwargs), _x(*shape))


def test_interpolate_errors():
    x = minitorch.randn(1, 1, 2, 2)
    with pytest.raises(ValueError, match="only one of size or scale_factor should be defined"):
        F.interpolate(x, size=3, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, size=3, align_corners=True)
    with pytest.raises(NotImplementedError, match="mode 'lanczos' is not supported"):
        F.interpolate(x, size=3, mode="lanczos", antialias=True)


FUNCTIONS = {
    "normalize": lambda lib, x: lib.nn.functional.normalize(x, p=2.0, dim=1),
    "normalize_p1": lambda lib, x: lib.nn.functional.normalize(x, p=1.0, dim=-1),
    "cosine_similarity": lambda lib, x: lib.nn.functional.cosine_similarity(x, x.flip(0), dim=1),
    "linear": lambda lib, x: lib.nn.functional.linear(x, x[:3] * 0.5, x[0, :3]),
    "gelu_tanh": lambda lib, x: lib.nn.functional.gelu(x, approximate="tanh"),
    "selu": lambda lib, x: lib.nn.functional.selu(x),
    "prelu": lambda lib, x: lib.nn.functional.prelu(x, x[0, :1] * 0 + 0.3),
    "glu": lambda lib, x: lib.nn.functional.glu(x, 1),
    "dropout_eval": lambda lib, x: lib.nn.functional.dropout(x, 0.5, training=False),
    "log_softmax": lambda lib, x: lib.nn.functional.log_softmax(x, dim=0),
    "softmax": lambda lib, x: lib.nn.functional.softmax(x, dim=-1),
    "softsign": lambda lib, x: lib.nn.functional.softsign(x),
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_functional_matches_torch(torch, name):
    compare_fn(torch, FUNCTIONS[name], _x(4, 6))


LOSSES = {
    "cross_entropy": lambda lib, x, t: lib.nn.functional.cross_entropy(x, t.argmax(1)),
    "nll_loss": lambda lib, x, t: lib.nn.functional.nll_loss(x.log_softmax(1), t.argmax(1)),
    "mse_loss": lambda lib, x, t: lib.nn.functional.mse_loss(x, t, reduction="sum"),
    "l1_loss": lambda lib, x, t: lib.nn.functional.l1_loss(x, t),
    "huber_loss": lambda lib, x, t: lib.nn.functional.huber_loss(x, t, delta=0.5),
    "smooth_l1_loss": lambda lib, x, t: lib.nn.functional.smooth_l1_loss(x, t, beta=2.0),
    "binary_cross_entropy": lambda lib, x, t: lib.nn.functional.binary_cross_entropy(
        x.sigmoid(), t.sigmoid()
    ),
    "binary_cross_entropy_with_logits": lambda lib, x, t: (
        lib.nn.functional.binary_cross_entropy_with_logits(x, t.sigmoid(), reduction="none")
    ),
    "kl_div": lambda lib, x, t: lib.nn.functional.kl_div(
        x.log_softmax(1), t.softmax(1), reduction="batchmean"
    ),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_functional_loss_matches_torch(torch, name):
    compare_fn(torch, LOSSES[name], _x(5, 4), _x(5, 4, seed=1), grad=(0, 1))


def test_functional_dropout_uses_minitorch_generator():
    x = minitorch.ones(1000)
    minitorch.manual_seed(3)
    a = F.dropout(x, 0.5).numpy()
    minitorch.manual_seed(3)
    assert np.array_equal(a, F.dropout(x, 0.5).numpy())
    assert not np.array_equal(a, F.dropout(x, 0.5).numpy())


def test_functional_reexports_the_conv_forms():
    import minitorch.nn.functional_conv as FC

    public = getattr(FC, "__all__", [n for n in vars(FC) if not n.startswith("_")])
    for name in public:
        assert getattr(F, name) is getattr(FC, name), name


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize(
    "kwargs",
    [{"size": (13, 5)}, {"size": (16, 16)}, {"size": (13, 5), "align_corners": True},
     {"scale_factor": 1.7}, {"size": (4, 3), "antialias": True}],
)  # fmt: skip
def test_interpolate_of_uint8_images_matches_pytorch(torch, mode, kwargs):
    """PyTorch resizes uint8 images with a separable kernel that rounds to uint8 after each
    pass (width first). Its int16 fixed-point weights leave some pixels one level apart from
    the exact weights used here."""
    x = np.random.default_rng(0).integers(0, 256, (2, 3, 9, 8)).astype(np.uint8)
    want = torch.nn.functional.interpolate(torch.tensor(x), mode=mode, **kwargs).numpy()
    got = minitorch.nn.functional.interpolate(minitorch.tensor(x), mode=mode, **kwargs)
    assert got.dtype == minitorch.uint8 and tuple(got.shape) == want.shape
    diff = np.abs(got.numpy().astype(int) - want.astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.07, (diff.max(), (diff > 0).mean())


@pytest.mark.parametrize(
    "shape, mode, dtype, antialias, match",
    [((1, 1, 8), "linear", "uint8", False, '"compute_indices_weights_linear" not implemented for \'Byte\''),
     ((1, 1, 4, 4), "bilinear", "int64", False, '"upsample_bilinear2d_channels_last" not implemented for \'Long\''),
     ((1, 1, 4, 4), "bicubic", "int32", False, '"compute_indices_weights_cubic" not implemented for \'Int\''),
     ((1, 1, 4, 4), "bilinear", "int64", True, '"compute_index_ranges_weights" not implemented for \'Long\'')],
)  # fmt: skip
def test_interpolate_of_other_integer_tensors_raises_as_pytorch(
    torch, shape, mode, dtype, antialias, match
):
    for lib in (torch, minitorch):
        x = lib.ones(shape, dtype=getattr(lib, dtype))
        with pytest.raises(NotImplementedError, match=match):
            lib.nn.functional.interpolate(x, scale_factor=2, mode=mode, antialias=antialias)
