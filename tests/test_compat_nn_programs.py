"""nn model code with less common options and Module API use, run on minitorch and on
PyTorch (the oracle): each test is a difference that was found and fixed, or a realistic
end-to-end model. Layers get PyTorch's weights (tests/nn_oracle.py); outputs, input
gradients and every parameter gradient must agree."""

from __future__ import annotations

import warnings
from collections import OrderedDict

import numpy as np
import pytest
from nn_oracle import TOL32, compare_fn

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def _f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def _twins(torch, make):
    """``make(torch.nn)`` and ``make(minitorch.nn)`` with PyTorch's weights loaded."""
    t, m = make(torch.nn), make(minitorch.nn)
    m.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})
    return t, m


def _compare_program(torch, make, run, *inputs, grad=(0,), tol=TOL32):
    """``run(lib, module, *tensors)`` on both twins: the value, the gradients of the inputs
    listed in ``grad`` and of every parameter (compare_fn checks the first two)."""
    t, m = _twins(torch, make)
    program = lambda lib, *a: run(lib, t if lib is torch else m, *a)  # noqa: E731
    compare_fn(torch, program, *inputs, grad=grad, tol=tol)
    names = [n for n, _ in m.named_parameters()]
    assert names == [n for n, _ in t.named_parameters()]
    for (name, p), q in zip(m.named_parameters(), t.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), err_msg=name, **tol)
    return t, m


# ---- recurrent layers ---------------------------------------------------------------------
@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_proj_size(torch, bidirectional):
    """proj_size: weight_hr_l{k}, h of size proj_size, layers fed the projected outputs."""

    d = 2 if bidirectional else 1
    x, h0, c0 = _f32(3, 5, 4), _f32(2 * d, 3, 2), _f32(2 * d, 3, 6)

    def make(nn):
        return nn.LSTM(4, 6, 2, batch_first=True, bidirectional=bidirectional, proj_size=2)

    def run(lib, m, x, h, c):
        out, (hn, cn) = m(x, (h, c))
        return out.sum(-1) + hn.sum() + 2 * cn.sum()

    t, m = _compare_program(torch, make, run, x, h0, c0, grad=(0, 1, 2))
    assert repr(m) == repr(t)


def test_lstm_proj_size_packed_unsorted(torch):
    x = _f32(3, 5, 4)

    def run(lib, m, x):
        U = lib.nn.utils.rnn
        p = U.pack_padded_sequence(x, lib.tensor([3, 5, 2]), batch_first=True, enforce_sorted=False)
        out, (h, c) = m(p)
        padded, _ = U.pad_packed_sequence(out, batch_first=True)
        return padded.sum(-1) + h.sum() + c.sum()

    _compare_program(torch, lambda nn: nn.LSTM(4, 6, proj_size=3, batch_first=True), run, x)


def test_proj_size_errors():
    with pytest.raises(ValueError, match="only supported for LSTM"):
        minitorch.nn.GRU(4, 6, proj_size=2)
    with pytest.raises(ValueError, match="smaller than hidden_size"):
        minitorch.nn.LSTM(4, 6, proj_size=6)


# ---- attention ----------------------------------------------------------------------------
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_learned_float_masks_get_gradients(torch, need_weights):
    """A float attn_mask (per head, 3-D) or key_padding_mask that requires grad is a learned
    bias: it stays in the graph."""
    q, k = _f32(5, 2, 8), _f32(6, 2, 5)
    bias, kpm = _f32(2 * 2, 5, 6), _f32(2, 6)

    def run(lib, m, q, k, bias, kpm):
        out, _ = m(q, k, k, attn_mask=bias, key_padding_mask=kpm, need_weights=need_weights)
        return out

    make = lambda nn: nn.MultiheadAttention(8, 2, kdim=5, vdim=5)  # noqa: E731
    _compare_program(torch, make, run, q, k, bias, kpm, grad=(0, 1, 2, 3))


@pytest.mark.parametrize("batch_first", [False, True])
def test_mha_add_bias_kv_and_zero_attn(torch, batch_first):
    x = _f32(3, 5, 8)
    kpm = np.zeros((x.shape[0 if batch_first else 1], x.shape[1 if batch_first else 0]), bool)
    kpm[0, -2:] = True
    causal = np.triu(np.ones((x.shape[1 if batch_first else 0],) * 2, bool), 1)

    def make(nn):
        return nn.MultiheadAttention(
            8, 2, add_bias_kv=True, add_zero_attn=True, batch_first=batch_first
        )

    def run(lib, m, x, kpm, causal):
        out, w = m(x, x, x, key_padding_mask=kpm, attn_mask=causal, average_attn_weights=False)
        return out.sum(-1) + w.sum((1, -1)).reshape(out.shape[:2])

    t, m = _compare_program(torch, make, run, x, kpm, causal)
    assert [n for n, _ in m.named_parameters()][2:4] == ["bias_k", "bias_v"]
    assert tuple(m.bias_k.shape) == (1, 1, 8)


def test_mha_only_zero_attn_unbatched(torch):
    x = _f32(4, 8)
    make = lambda nn: nn.MultiheadAttention(8, 4, add_zero_attn=True)  # noqa: E731
    _compare_program(torch, make, lambda lib, m, x: m(x, x, x)[0], x)


# ---- activations --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["SELU", "CELU", "Hardswish", "Hardsigmoid"])
def test_inplace_activations_keep_gradients(torch, name):
    """inplace=True on a non-leaf: the input is overwritten and gradients still flow (the
    activation had been computed from the input, then copied over it)."""

    def run(lib, m, x):
        y = x * 1.5
        out = m(y)
        assert out is y
        return out + y

    x = _f32(3, 7) * 3
    t, m = _compare_program(torch, lambda nn: getattr(nn, name)(inplace=True), run, x)
    assert repr(m) == repr(t)


@pytest.mark.parametrize("name", ["Hardshrink", "Softshrink"])
def test_shrink_activations(torch, name):
    x = np.array([-1.5, -0.5, -0.2, 0.0, 0.3, 0.6, 2.0], np.float32)
    t, m = _compare_program(torch, lambda nn: getattr(nn, name)(0.4), lambda lib, m, x: m(x), x)
    assert repr(m) == repr(t) == f"{name}(0.4)"
    fn = getattr(minitorch.nn.functional, name.lower())
    xd = minitorch.tensor([-1.5, -0.1, 0.2, 0.9], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda x: fn(x, 0.5), (xd,))
    assert gradgradcheck(lambda x: fn(x, 0.5) ** 2, (xd,))


# ---- losses -------------------------------------------------------------------------------
def _pos(*shape):
    return (np.abs(_f32(*shape)) + 0.1).astype(np.float32)


_W = np.array([0.5, 2.0, 1.0], np.float32)
LOSSES = {  # name: (loss(lib, reduction, *tensors), inputs, indices of inputs to differentiate)
    "poisson_log_full": (
        lambda lib, r, x, y: lib.nn.PoissonNLLLoss(full=True, reduction=r)(x, y),
        (_f32(4, 3), _pos(4, 3) * 3),
        (0,),
    ),
    "poisson_rate": (
        lambda lib, r, x, y: lib.nn.PoissonNLLLoss(log_input=False, eps=1e-6, reduction=r)(x, y),
        (_pos(4, 3), _pos(4, 3) * 3),
        (0,),
    ),
    "gaussian_full": (
        lambda lib, r, x, y, v: lib.nn.GaussianNLLLoss(full=True, reduction=r)(x, y, v),
        (_f32(4, 3), _f32(4, 3), _pos(4, 3)),
        (0, 1, 2),
    ),
    "gaussian_shared_var_clamped": (  # var (4, 1), one entry under eps: grads pass the clamp
        lambda lib, r, x, y, v: lib.nn.GaussianNLLLoss(eps=1e-2, reduction=r)(x, y, v),
        (_f32(4, 3), _f32(4, 3), np.array([[0.5], [1e-3], [2.0], [0.3]], np.float32)),
        (0, 2),
    ),
    "gaussian_var_per_sample": (
        lambda lib, r, x, y, v: lib.nn.functional.gaussian_nll_loss(x, y, v, reduction=r),
        (_f32(4, 3), _f32(4, 3), _pos(4)),
        (0, 2),
    ),
    "soft_margin": (
        lambda lib, r, x, y: lib.nn.SoftMarginLoss(reduction=r)(x, y),
        (_f32(4, 3), np.sign(_f32(4, 3))),
        (0,),
    ),
    "multilabel_soft_margin_weighted": (
        lambda lib, r, x, y: lib.nn.MultiLabelSoftMarginLoss(lib.tensor(_W), reduction=r)(x, y),
        (_f32(4, 3) * 3, (_f32(4, 3) > 0).astype(np.float32)),
        (0, 1),
    ),
    "multi_margin": (
        lambda lib, r, x, y: lib.nn.MultiMarginLoss(reduction=r)(x, y),
        (_f32(5, 3), np.array([0, 2, 1, 1, 0])),
        (0,),
    ),
    "multi_margin_p2_weighted": (
        lambda lib, r, x, y: lib.nn.MultiMarginLoss(
            2, 0.7, lib.tensor(_W, dtype=x.dtype), reduction=r
        )(x, y),  # fmt: skip
        (_f32(5, 3), np.array([0, 2, 1, 1, 0])),
        (0,),
    ),
    "multi_margin_unbatched": (
        lambda lib, r, x, y: lib.nn.functional.multi_margin_loss(x, y, reduction=r),
        (_f32(3), np.array(1)),
        (0,),
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", list(LOSSES))
def test_less_common_losses(torch, name, reduction):
    loss, inputs, grad = LOSSES[name]
    compare_fn(torch, lambda lib, *t: loss(lib, reduction, *t), *inputs, grad=grad)


@pytest.mark.parametrize("name", [n for n in LOSSES if "clamped" not in n])  # no kink
def test_less_common_losses_gradcheck(name):
    loss, inputs, grad = LOSSES[name]
    args = tuple(
        minitorch.tensor(
            x.astype(np.float64) if x.dtype == np.float32 else x, requires_grad=i in grad
        )
        for i, x in enumerate(inputs)
    )
    fn = lambda *a: loss(minitorch, "sum", *a)  # noqa: E731
    assert gradcheck(fn, args)
    assert gradgradcheck(fn, args)


def test_loss_errors():
    F = minitorch.nn.functional
    x = minitorch.zeros(4, 3)
    with pytest.raises(ValueError, match="only p == 1 and p == 2 supported"):
        minitorch.nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match="var has negative entry"):
        F.gaussian_nll_loss(x, x, -minitorch.ones(4, 3))
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(x, x, minitorch.ones(4, 2))


# ---- padding, pooling ---------------------------------------------------------------------
PADS = [
    ("ZeroPad2d", ((1, 2, 0, 3),)),
    ("ConstantPad1d", (2, 1.5)),
    ("ConstantPad3d", (1, -0.5)),
    ("ReflectionPad1d", ((3, 1),)),
    ("ReflectionPad2d", (2,)),
    ("ReplicationPad2d", ((1, 0, 2, 3),)),
    ("ReplicationPad3d", (1,)),
    ("CircularPad2d", ((1, 2, 2, 0),)),
]


@pytest.mark.parametrize("name, args", PADS)
def test_padding_layers(torch, name, args):
    n = int(name[-2])
    x = _f32(2, 3, *(5, 4, 6)[:n])
    t, m = _compare_program(torch, lambda nn: getattr(nn, name)(*args), lambda lib, m, x: m(x), x)
    assert repr(m) == repr(t)


def test_padding_layer_rank_error():
    with pytest.raises(ValueError, match=r"expected 3D or 4D input \(got 2D input\)"):
        minitorch.nn.ReflectionPad2d(1)(minitorch.zeros(3, 3))


def test_segnet_style_max_unpool(torch):
    """max_pool with return_indices, then MaxUnpool to the pre-pool size (SegNet's decoder)."""

    def make(nn):
        return nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1),
            nn.MaxPool2d(3, 2, 1, return_indices=True),
            nn.MaxUnpool2d(3, 2, 1),
        )

    def run(lib, m, x):
        conv, pool, unpool = m
        y = conv(x)
        z, idx = pool(y)
        out = unpool(z * 2, idx, output_size=y.shape)
        u1 = lib.nn.functional.max_unpool1d(
            *lib.nn.functional.max_pool1d(x[0], 2, return_indices=True), 2
        )
        return out.sum(1) + u1.sum()

    t, m = _compare_program(torch, make, run, _f32(2, 3, 7, 8))
    assert repr(m[2]) == repr(t[2])
    with pytest.raises(ValueError, match="invalid output_size"):
        minitorch.nn.functional.max_unpool2d(
            minitorch.zeros(1, 1, 2, 2),
            minitorch.zeros(1, 1, 2, 2, dtype=minitorch.int64),
            2,
            output_size=(9, 9),
        )


@pytest.mark.parametrize("size", [(3, 4), (None, 5), 1])
def test_adaptive_max_pool_return_indices(torch, size):
    x = _f32(2, 3, 7, 9)
    out, idx = minitorch.nn.AdaptiveMaxPool2d(size, return_indices=True)(minitorch.tensor(x))
    t_out, t_idx = torch.nn.AdaptiveMaxPool2d(size, return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(out.numpy(), t_out.numpy())
    assert idx.dtype == minitorch.int64
    np.testing.assert_array_equal(idx.numpy(), t_idx.numpy())
    out1, idx1 = minitorch.nn.functional.adaptive_max_pool1d(minitorch.tensor(x[0, :, 0]), 4, True)
    np.testing.assert_array_equal(
        idx1.numpy(),
        torch.nn.functional.adaptive_max_pool1d(torch.tensor(x[0, :, 0]), 4, True)[1].numpy(),
    )


# ---- Module API ---------------------------------------------------------------------------
def test_batchnorm_loads_a_checkpoint_without_num_batches_tracked(torch):
    """Old checkpoints (and plain dicts) may lack num_batches_tracked; PyTorch keeps the
    module's own counter instead of reporting a missing key."""
    t = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
    state = {k: v.numpy() for k, v in t.state_dict().items() if "num_batches" not in k}
    m = minitorch.nn.Sequential(minitorch.nn.Conv2d(1, 2, 3), minitorch.nn.BatchNorm2d(2))
    m(minitorch.zeros(2, 1, 4, 4))
    result = m.load_state_dict(state)
    assert repr(result) == repr(t.load_state_dict({k: torch.tensor(v) for k, v in state.items()}))
    assert m[1].num_batches_tracked.item() == 1


def test_calculate_gain_and_get_parameter_match_pytorch(torch):
    for name in ("linear", "conv2d", "sigmoid"):
        gain = minitorch.nn.init.calculate_gain(name)
        assert repr(gain) == repr(torch.nn.init.calculate_gain(name)) == "1"
    with pytest.raises(AttributeError, match="Linear has no attribute `nope`"):
        minitorch.nn.Sequential(minitorch.nn.Linear(1, 1)).get_parameter("0.nope")
    with pytest.raises(AttributeError, match="Linear has no attribute `nope`"):
        minitorch.nn.Linear(1, 1).get_buffer("nope")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        minitorch.nn.Linear(1, 1).get_buffer("weight")


# ---- resampling, channel layers -----------------------------------------------------------
@pytest.mark.parametrize(
    "kw",
    [
        dict(size=(9, 11), align_corners=False),
        dict(size=(3, 4), align_corners=True),
        dict(scale_factor=1.7, align_corners=False),
        dict(scale_factor=(2.5, 0.6), recompute_scale_factor=True),
    ],
)
def test_bicubic_interpolate(torch, kw):
    """e.g. a ViT resizing its position embeddings: F.interpolate(mode='bicubic')."""
    compare_fn(
        torch,
        lambda lib, x: lib.nn.functional.interpolate(x, mode="bicubic", **kw),
        _f32(2, 3, 5, 7),
    )


def test_bicubic_interpolate_gradcheck():
    x = minitorch.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    F = minitorch.nn.functional
    assert gradcheck(lambda x: F.interpolate(x, scale_factor=1.5, mode="bicubic"), (x,))


def test_alexnet_style_lrn_and_channel_layers(torch):
    """LocalResponseNorm (AlexNet), ChannelShuffle (ShuffleNet), Softmax2d, Fold/Unfold."""

    def make(nn):
        return nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.LocalResponseNorm(5, alpha=1e-2, beta=0.75, k=2.0),
            nn.ChannelShuffle(2),
            nn.Unfold(2, stride=2),
            nn.Fold((6, 6), 2, stride=2),
            nn.Softmax2d(),
        )

    t, m = _compare_program(torch, make, lambda lib, m, x: m(x), _f32(2, 3, 6, 6))
    assert repr(m) == repr(t)
    x = minitorch.tensor(rng.standard_normal((1, 5, 2, 2)), requires_grad=True)
    assert gradcheck(lambda x: minitorch.nn.functional.local_response_norm(x, 3, 0.1), (x,))
    with pytest.raises(RuntimeError, match="must be divisible by groups"):
        minitorch.nn.ChannelShuffle(3)(minitorch.zeros(1, 4, 2, 2))


def test_get_total_norm_and_clip_grads_with_norm(torch):
    """The two halves of clip_grad_norm_ (PyTorch 2.6+), here with the inf norm."""
    results = []
    for lib in (minitorch, torch):
        ps = [lib.nn.Parameter(lib.ones(3)), lib.nn.Parameter(lib.ones(2))]
        ps[0].grad, ps[1].grad = lib.tensor([1.0, -5.0, 2.0]), lib.tensor([3.0, 4.0])
        norm = lib.nn.utils.get_total_norm([p.grad for p in ps], norm_type="inf")
        lib.nn.utils.clip_grads_with_norm_(ps, 2.0, norm)
        results.append((norm.item(), [p.grad.tolist() for p in ps]))
    np.testing.assert_allclose(results[0][0], results[1][0])
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)


# ---- spatial transformer ------------------------------------------------------------------
def test_spatial_transformer_network(torch):
    """PyTorch's STN tutorial: a localisation net predicts theta; affine_grid + grid_sample
    warp the input; gradients reach the input, the image and theta's layers."""

    def make(nn):
        return nn.ModuleDict(
            {
                "loc": nn.Sequential(nn.Conv2d(1, 4, 3), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten()),
                "fc": nn.Linear(4 * 3 * 3, 6),
            }
        )

    def run(lib, m, x):
        F = lib.nn.functional
        theta = m["fc"](m["loc"](x)).reshape(-1, 2, 3) + lib.tensor([[1.0, 0, 0], [0, 1.0, 0]])
        grid = F.affine_grid(theta, x.shape, align_corners=False)
        warped = F.grid_sample(x, grid, align_corners=False)
        border = F.grid_sample(x, grid * 1.3, padding_mode="border", align_corners=True)
        nearest = F.grid_sample(x, grid, mode="nearest", align_corners=False)
        return warped + border * 0.5 + nearest * 0.25

    # fc.weight's gradient sums bilinear weights over the grid: its last digits follow the
    # order of the BLAS kernel's sums (1.4e-5 of 0.39 apart with OpenBLAS's SkylakeX kernel)
    _compare_program(torch, make, run, _f32(2, 1, 8, 8), tol=dict(rtol=1e-4, atol=1e-5))


def test_grid_sample_gradcheck():
    F = minitorch.nn.functional
    x = minitorch.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    g = minitorch.tensor(rng.uniform(-1.2, 1.2, (1, 2, 3, 2)), requires_grad=True)
    assert gradcheck(lambda x, g: F.grid_sample(x, g, align_corners=False), (x, g))
    assert gradcheck(
        lambda x, g: F.grid_sample(x, g, padding_mode="border", align_corners=True), (x, g)
    )
    theta = minitorch.tensor(rng.standard_normal((2, 2, 3)), requires_grad=True)
    assert gradcheck(lambda t: F.affine_grid(t, (2, 1, 3, 4), align_corners=False), (theta,))
    for mode, padding_mode in (("bilinear", "reflection"), ("bicubic", "reflection")):
        assert gradcheck(
            lambda x, g, mode=mode, pad=padding_mode: F.grid_sample(
                x, g, mode, pad, align_corners=False
            ),
            (x, g),
        )
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.affine_grid(theta, (2, 1, 3, 4))


# ---- normalization with running statistics ------------------------------------------------
def test_instance_norm_tracking_running_stats(torch):
    """A style-transfer block: InstanceNorm2d(affine=True, track_running_stats=True), trained
    for two steps, then run in eval mode on its running statistics."""

    def make(nn):
        return nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"),
            nn.InstanceNorm2d(4, affine=True, track_running_stats=True, momentum=0.3),
            nn.ReLU(),
            nn.InstanceNorm1d(4 * 5, track_running_stats=True).eval(),  # fresh statistics
        )

    def run(lib, m, x):
        m[:3].train()
        m[:3](x * 2)
        y = m[:3](x)
        m[:3].eval()
        z = m[:3](x)
        return y + z + m[3](z.reshape(2, 20, 5)).reshape(z.shape)

    t, m = _compare_program(torch, make, run, _f32(2, 3, 5, 5))
    for name, buf in t.state_dict().items():
        np.testing.assert_allclose(m.state_dict()[name].numpy(), buf.numpy(), rtol=1e-5, atol=1e-6)
    assert repr(m) == repr(t)


# ---- layers PyTorch programs name that were missing -----------------------------------------
def test_selu_network_with_alpha_dropout_and_rrelu(torch):
    """A self-normalising MLP: SELU + AlphaDropout (identity in eval, as checked against
    PyTorch), RReLU in eval, and the in-place functional forms."""

    def make(nn):
        return nn.Sequential(
            nn.Linear(6, 8), nn.SELU(), nn.AlphaDropout(0.2), nn.Linear(8, 8),
            nn.RReLU(0.1, 0.3), nn.FeatureAlphaDropout(0.1), nn.Dropout3d(0.1),
        ).eval()  # fmt: skip

    def run(lib, m, x):
        F = lib.nn.functional
        y = m(x)
        parts = [
            F.elu_(y[:, :2] * 1.0, 0.5),
            F.leaky_relu_(y[:, 2:4] * 1.0, 0.2),
            F.hardtanh_(y[:, 4:6] * 1.0, -0.5, 0.5),
            F.threshold_(y[:, 6:] * 1.0, 0.1, -3.0),
        ]
        z = F.selu_(lib.cat(parts, 1)) * 1.0
        return F.rrelu_(F.celu_(z, 2.0) - 1.0, 0.1, 0.3)

    t, m = _compare_program(torch, make, run, _f32(5, 6) * 2)
    assert repr(m) == repr(t)


def test_alpha_dropout_training_values():
    """Training mode: dropped values become -alpha' a (1 - p), kept ones a x + alpha' a p,
    a = ((alpha'^2 p + 1)(1 - p))^-1/2, so a standard normal input keeps mean 0 and std 1."""
    F = minitorch.nn.functional
    x = minitorch.randn(100000)
    p, alpha = 0.3, 1.7580993408473766
    a = 1 / np.sqrt((alpha * alpha * p + 1) * (1 - p))
    y = F.alpha_dropout(x, p, training=True).numpy()
    kept = np.isclose(y, a * x.numpy() + alpha * a * p, atol=1e-6)
    np.testing.assert_allclose(y[~kept], -alpha * a * (1 - p), rtol=1e-6)
    assert abs((~kept).mean() - p) < 0.01 and abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    channels = F.feature_alpha_dropout(minitorch.randn(64, 16, 5), 0.5, training=True).numpy()
    dropped = np.all(
        np.isclose(channels, -alpha * (1 / np.sqrt((alpha**2 * 0.5 + 1) * 0.5)) * 0.5), -1
    )
    assert 0.3 < dropped.mean() < 0.7  # whole channels dropped together
    slopes = -minitorch.nn.RReLU()(minitorch.full((10000,), -1.0)).numpy()
    assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3 and slopes.std() > 0.05


@pytest.mark.parametrize("name", ["BatchNorm3d", "InstanceNorm3d"])
def test_3d_norm_layers(torch, name):
    make = lambda nn: getattr(nn, name)(3, affine=True)  # noqa: E731
    t, m = _compare_program(torch, make, lambda lib, m, x: m(x), _f32(2, 3, 2, 3, 4))
    assert repr(m) == repr(t)
    with pytest.raises(ValueError, match=r"expected .*5D input \(got 3D input\)"):
        m(minitorch.zeros(3, 2, 2))


def _run_both(torch, program):
    """``program(lib)`` with lib = minitorch and lib = torch; returns the two results."""
    return program(minitorch), program(torch)


def test_state_dict_and_load_hooks(torch):
    """Checkpoint-conversion hooks: a load pre-hook renames old keys, a post-hook clears
    an expected missing key, state_dict pre/post hooks see prefix and keys."""

    def program(lib):
        log = []
        m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 1))

        def rename(module, state_dict, prefix, *rest):
            for key in [k for k in state_dict if k.startswith(prefix + "w_")]:
                state_dict[prefix + key[len(prefix) + 2 :]] = state_dict.pop(key)

        def allow_missing_bias(module, keys):
            log.append(("post", type(module).__name__, list(keys.missing_keys)))
            if "1.bias" in keys.missing_keys:
                keys.missing_keys.remove("1.bias")

        m[0].register_load_state_dict_pre_hook(rename)
        m.register_load_state_dict_post_hook(allow_missing_bias)
        m.register_state_dict_pre_hook(lambda mod, prefix, keep: log.append(("pre", prefix)))
        m[1].register_state_dict_post_hook(
            lambda mod, sd, prefix, meta: log.append(("sd", prefix, sorted(sd)))
        )
        state = {"0.w_weight": lib.ones(2, 2), "0.bias": lib.zeros(2), "1.weight": lib.ones(1, 2)}
        result = m.load_state_dict(state)
        m.state_dict(prefix="net.")
        return log, repr(result), m[0].weight.sum().item()

    ours, theirs = _run_both(torch, program)
    assert ours == theirs


def test_extra_state_set_submodule_and_parameter_dict_methods(torch):
    def program(lib):
        nn = lib.nn

        class Tokenizerish(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(2, 2)
                self.vocab = ["a"]

            def get_extra_state(self):
                return {"vocab": self.vocab}

            def set_extra_state(self, state):
                self.vocab = state["vocab"]

        a, b = Tokenizerish(), Tokenizerish()
        a.vocab = ["x", "y"]
        b.load_state_dict(a.state_dict())
        keys = list(a.state_dict())
        missing = b.load_state_dict(
            {k: v for k, v in a.state_dict().items() if k != "_extra_state"}, strict=False
        )
        seq = nn.Sequential(nn.Linear(1, 1))
        seq.set_submodule("0", nn.ReLU())
        seq.set_submodule("1", nn.Tanh())
        d = nn.ParameterDict({"w": nn.Parameter(lib.ones(1))})
        d.setdefault("b", nn.Parameter(lib.zeros(2)))
        last = d.popitem()
        copy = d.copy()
        return (
            keys,
            b.vocab,
            repr(missing),
            repr(seq),
            last[0],
            list(copy.keys()),
            copy["w"] is d["w"],
        )

    ours, theirs = _run_both(torch, program)
    assert ours == theirs
    with pytest.raises(AttributeError, match="Sequential has no attribute `2`"):
        minitorch.nn.Sequential().set_submodule("2", minitorch.nn.ReLU(), strict=True)


# ---- end to end -----------------------------------------------------------------------------
def _small_net(nn):
    layers = OrderedDict(
        pad=nn.ReflectionPad2d(1),
        conv=nn.Conv2d(3, 8, 3, bias=False),
        bn=nn.BatchNorm2d(8, momentum=None),
        act=nn.Hardswish(inplace=True),
        dw=nn.Conv2d(8, 8, 3, padding=1, groups=8, padding_mode="circular"),
        gn=nn.GroupNorm(2, 8),
        act2=nn.SELU(inplace=True),
        pool=nn.MaxPool2d(2, ceil_mode=True),
        up=nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1),
        gap=nn.AdaptiveAvgPool2d((1, None)),
        flat=nn.Flatten(1, 2),
    )
    return nn.ModuleDict(
        {
            "features": nn.Sequential(layers),
            "rnn": nn.LSTM(4, 6, batch_first=True, bidirectional=True, proj_size=3),
            "head": nn.Sequential(nn.LayerNorm(6, bias=False), nn.Linear(6, 5), nn.PReLU(5)),
        }
    )


@pytest.mark.parametrize(
    "opt, kw",
    [
        ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)),
        ("AdamW", dict(lr=0.01)),
    ],
)
def test_training_a_mixed_model(torch, opt, kw):
    """Four optimizer steps (label smoothing, clipping, a scheduler) of a model using many
    less common options; then eval-mode outputs and every state_dict entry must agree."""
    x = _f32(4, 3, 7, 7)
    y = np.array([0, 3, 4, 1])
    t, m = _twins(torch, _small_net)
    results = []
    for lib, model in ((minitorch, m), (torch, t)):
        optimizer = getattr(lib.optim, opt)(model.parameters(), **kw)
        scheduler = lib.optim.lr_scheduler.StepLR(optimizer, 2, gamma=0.5)
        loss_fn = lib.nn.CrossEntropyLoss(label_smoothing=0.1)

        def forward(inp, model=model):
            seq = model["features"](inp).transpose(1, 2)
            out, _ = model["rnn"](seq)
            return model["head"](out[:, -1])

        for _ in range(4):
            optimizer.zero_grad()
            loss = loss_fn(forward(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            lib.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
        model.eval()
        results.append((loss.item(), forward(lib.tensor(x)).detach().numpy(), model.state_dict()))
    (loss_m, out_m, state_m), (loss_t, out_t, state_t) = results
    np.testing.assert_allclose(loss_m, loss_t, rtol=1e-5)
    np.testing.assert_allclose(out_m, out_t, rtol=1e-4, atol=1e-5)
    assert list(state_m) == list(state_t)
    for k in state_t:
        np.testing.assert_allclose(
            state_m[k].numpy(), state_t[k].numpy(), rtol=1e-4, atol=1e-5, err_msg=k
        )


@pytest.mark.parametrize("aligned", [True, False])
def test_transformer_inference_zeros_padded_positions_like_nested_tensors(torch, aligned):
    """In eval mode without grad, PyTorch's TransformerEncoder (enable_nested_tensor, the
    default, with batch_first layers) runs on nested tensors: with a left-aligned padding
    mask the padded positions come out 0 (before the final norm). Same warnings too."""
    x, tgt = _f32(3, 5, 8), _f32(3, 4, 8)
    pad = np.zeros((3, 5), bool)
    pad[0, -2:] = pad[2, -1] = True
    pad[1, 0] = not aligned

    def make(nn, heads, batch_first):
        return nn.Transformer(8, heads, 2, 1, 16, dropout=0.0, batch_first=batch_first)

    for heads, batch_first in ((2, True), (1, True), (2, False)):
        caught = []
        for lib in (minitorch, torch):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                make(lib.nn, heads, batch_first)
            caught.append([str(m.message) for m in w if "nested" in str(m.message)])
        assert caught[0] == caught[1]
        t, m = _twins(torch, lambda nn: make(nn, heads, batch_first).eval())  # noqa: B023
        outs = []
        for lib, model in ((minitorch, m), (torch, t)):
            src, tg = (x, tgt) if batch_first else (x.swapaxes(0, 1), tgt.swapaxes(0, 1))
            with lib.no_grad():
                mem = model.encoder(lib.tensor(src), src_key_padding_mask=lib.tensor(pad))
                out = model(lib.tensor(src), lib.tensor(tg), src_key_padding_mask=lib.tensor(pad))
            outs.append((mem.numpy(), out.numpy()))
        for a, b in zip(*outs):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("p", [2, 1.5, float("inf")])
def test_lp_pool_layers(torch, p):
    x = np.abs(_f32(2, 3, 7, 6)) + 0.1  # p = 1.5 of a negative number is nan in both
    t, m = _compare_program(
        torch, lambda nn: nn.LPPool2d(p, (3, 2), 2, ceil_mode=True), lambda lib, m, x: m(x), x
    )
    assert repr(m) == repr(t)
    _compare_program(
        torch, lambda nn: nn.LPPool1d(p, 3, stride=1), lambda lib, m, x: m(x), x[:, :, 0]
    )


def test_rnn_dtype_and_attention_mask_shape_errors_match_pytorch(torch):
    for lib in (minitorch, torch):
        with pytest.raises(ValueError, match=r"RNN input dtype \(\w+\.float64\) does not match"):
            lib.nn.GRU(3, 2)(lib.ones(2, 1, 3, dtype=lib.float64))
        mha, x = lib.nn.MultiheadAttention(4, 2), lib.ones(3, 1, 4)
        with pytest.raises(
            RuntimeError,
            match=r"The shape of the 2D attn_mask is .*\[2, 2\]\), but should be \(3, 3\)",
        ):
            mha(x, x, x, attn_mask=lib.zeros(2, 2, dtype=lib.bool))
        with pytest.raises(
            RuntimeError, match=r"3D attn_mask is .*\[1, 3, 3\]\), but should be \(2, 3, 3\)"
        ):
            mha(x, x, x, attn_mask=lib.zeros(1, 3, 3))
        with pytest.raises(AssertionError, match=r"key_padded_mask.shape\[1\] to be 3, but got 2"):
            mha(x, x, x, key_padding_mask=lib.zeros(1, 2, dtype=lib.bool))


def test_inference_fusion_and_sequence_utils(torch):
    """fuse_conv_bn_eval / fuse_linear_bn_eval (inference export scripts), unpad_sequence,
    unpack_sequence and the deprecated clip_grad_norm alias."""

    def make(nn):
        return nn.Sequential(
            nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ConvTranspose2d(4, 2, 3),
            nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(72, 5), nn.BatchNorm1d(5),
        )  # fmt: skip

    x = _f32(2, 3, 6, 6)
    t, m = _twins(torch, make)
    outs = []
    for lib, model in ((minitorch, m), (torch, t)):
        model(lib.tensor(x * 2))  # running statistics
        model.eval()
        U = lib.nn.utils
        fused = lib.nn.Sequential(
            U.fuse_conv_bn_eval(model[0], model[1]),
            U.fuse_conv_bn_eval(model[2], model[3], transpose=True),
            model[4],
            U.fuse_linear_bn_eval(model[5], model[6]),
        )
        flags = [(n, p.requires_grad) for n, p in fused.named_parameters()]
        outs.append((fused(lib.tensor(x)).detach().numpy(), flags))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-4, atol=1e-5)
    assert outs[0][1] == outs[1][1]

    R = minitorch.nn.utils.rnn
    seqs = [minitorch.tensor(_f32(n, 2)) for n in (3, 5, 1)]
    for got in (R.unpack_sequence(R.pack_sequence(seqs, enforce_sorted=False)),
                R.unpad_sequence(R.pad_sequence(seqs), minitorch.tensor([3, 5, 1]))):  # fmt: skip
        for a, b in zip(got, seqs):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    p = minitorch.nn.Parameter(minitorch.ones(2))
    p.grad = minitorch.tensor([3.0, 4.0])
    with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated"):
        assert minitorch.nn.utils.clip_grad_norm([p], 1.0).item() == 5.0


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_triplet_margin_with_distance_loss(torch, reduction):
    def make(nn):
        lib = minitorch if nn is minitorch.nn else torch
        cosine = lambda x, y: 1.0 - lib.nn.functional.cosine_similarity(x, y)  # noqa: E731
        return nn.ModuleList(
            [
                nn.TripletMarginWithDistanceLoss(swap=True, reduction=reduction),
                nn.TripletMarginWithDistanceLoss(
                    distance_function=cosine, margin=0.3, reduction=reduction
                ),
            ]
        )

    run = lambda lib, m, a, p, n: m[0](a, p, n) + m[1](a, p, n)  # noqa: E731
    t, m = _compare_program(torch, make, run, _f32(4, 5), _f32(4, 5), _f32(4, 5), grad=(0, 1, 2))
    assert repr(m) == repr(t)


def test_gumbel_softmax():
    """Random (minitorch's generator), so checked by its law: hard samples are one-hot with
    the soft sample's gradient, and their frequencies follow softmax(logits)."""
    F = minitorch.nn.functional
    logits = minitorch.tensor([[1.0, 2.0, 0.5]]).expand(50000, 3)
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
    assert set(hard.sum(-1).numpy().tolist()) == {1.0} and set(np.unique(hard.numpy())) == {0, 1}
    expected = minitorch.softmax(minitorch.tensor([1.0, 2.0, 0.5]), 0).numpy()
    np.testing.assert_allclose(hard.mean(0).numpy(), expected, atol=0.01)
    x = minitorch.tensor(_f32(3, 4), requires_grad=True)
    (F.gumbel_softmax(x, hard=True) * minitorch.arange(4.0)).sum().backward()
    assert x.grad is not None and x.grad.abs().sum().item() > 0


# ---- 3-D (video / volumetric) layers --------------------------------------------------------
def test_3d_cnn(torch):
    """A small video/volumetric classifier: Conv3d (padding modes, 'same', groups),
    BatchNorm3d, MaxPool3d (ceil_mode, dilation), AvgPool3d (count_include_pad=False),
    AdaptiveAvgPool3d with None."""

    def make(nn):
        return nn.Sequential(
            nn.Conv3d(2, 4, 3, padding=1, padding_mode="replicate"),
            nn.BatchNorm3d(4),
            nn.ReLU(),
            nn.MaxPool3d(
                (2, 3, 2), stride=(1, 2, 2), padding=(0, 1, 1), dilation=(2, 1, 1), ceil_mode=True
            ),
            nn.Conv3d(4, 8, (2, 3, 3), padding="same", groups=2, bias=False),
            nn.AvgPool3d(2, stride=1, padding=1, count_include_pad=False, ceil_mode=True),
            nn.Conv3d(8, 4, (1, 2, 2), stride=(1, 2, 1), dilation=(1, 1, 2)),
            nn.AdaptiveAvgPool3d((2, None, 1)),
            nn.Flatten(),
        )

    t, m = _compare_program(torch, make, lambda lib, m, x: m(x), _f32(2, 2, 6, 7, 8))
    assert repr(m) == repr(t)


def test_3d_ops_gradcheck():
    F = minitorch.nn.functional
    x = minitorch.tensor(rng.standard_normal((1, 2, 4, 3, 4)), requires_grad=True)
    w = minitorch.tensor(rng.standard_normal((2, 1, 2, 2, 3)), requires_grad=True)
    b = minitorch.tensor(rng.standard_normal(2), requires_grad=True)
    conv = lambda x, w, b: F.conv3d(x, w, b, stride=(2, 1, 1), padding=(1, 0, 1), groups=2)  # noqa: E731
    assert gradcheck(conv, (x, w, b))
    assert gradcheck(lambda x: F.max_pool3d(x, 2, 1, 1, ceil_mode=True), (x,))
    assert gradcheck(lambda x: F.avg_pool3d(x, 2, 2, 1, True, False), (x,))
    assert gradcheck(lambda x: F.adaptive_avg_pool3d(x, (3, 2, None)), (x,))


# ---- lazy modules (d2l.ai style) --------------------------------------------------------------
def _lazy_lenet(nn):
    return nn.Sequential(
        nn.LazyConv2d(6, kernel_size=5, padding=2), nn.LazyBatchNorm2d(), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
        nn.LazyLinear(16), nn.LazyBatchNorm1d(), nn.Sigmoid(), nn.LazyLinear(10),
    )  # fmt: skip


def test_lazy_modules_materialize_on_first_call(torch):
    """An optimizer built before the dry run keeps the (materialized in place) parameters;
    the modules become Conv2d/BatchNorm2d/Linear; PyTorch's weights then load and match."""
    x = _f32(4, 1, 8, 8)
    t = _lazy_lenet(torch.nn)
    m = _lazy_lenet(minitorch.nn)
    assert repr(m) == repr(t)
    assert (
        repr(m[0].weight) == "<UninitializedParameter>"
        and repr(m[1].running_mean) == "<UninitializedBuffer>"
    )
    optimizer = minitorch.optim.SGD(m.parameters(), lr=0.1)
    t(torch.tensor(x))
    m(minitorch.tensor(x))
    assert repr(m) == repr(t)
    assert [type(layer).__name__ for layer in m] == [type(layer).__name__ for layer in t]
    m.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    loose = dict(rtol=1e-4, atol=2e-5)  # BatchNorm1d over a batch of 4 after a sigmoid
    _compare_program(
        torch, lambda nn: t if nn is torch.nn else m, lambda lib, m, x: m(x), x, tol=loose
    )
    before = m[0].weight.detach().numpy().copy()
    optimizer.step()
    assert not np.allclose(m[0].weight.detach().numpy(), before)  # the optimizer has it


def test_lazy_module_loads_a_state_dict_before_its_first_call(torch):
    def program(lib):
        nn = lib.nn
        src = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(36, 2))
        lazy = nn.Sequential(
            nn.LazyConv2d(4, 3), nn.LazyBatchNorm2d(), nn.Flatten(), nn.LazyLinear(2)
        )
        result = lazy.load_state_dict(src.state_dict())
        shapes = [tuple(p.shape) for p in lazy.parameters()]
        out = lazy(lib.ones(1, 3, 5, 5))
        return repr(result), shapes, tuple(out.shape), repr(lazy)

    ours, theirs = _run_both(torch, program)
    assert ours == theirs


# ---- CTC ------------------------------------------------------------------------------------
_CTC_TARGETS = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 1, 4, 4]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_ctc_loss(torch, reduction):
    """Padded targets with a repeated label, a zero-length target, input lengths below T;
    concatenated targets with blank=4; unbatched input; zero_infinity on an impossible one."""
    x = _f32(7, 3, 5)

    def program(lib, x):
        lp = x.log_softmax(2)
        F = lib.nn.functional
        padded = F.ctc_loss(lp, lib.tensor(_CTC_TARGETS), [7, 5, 6], [3, 0, 4], reduction=reduction)
        loss = lib.nn.CTCLoss(blank=4, reduction=reduction)
        concat = loss(
            lp, lib.tensor([1, 2, 2, 3, 1, 0]), lib.tensor([7, 5, 6]), lib.tensor([3, 2, 1])
        )
        single = F.ctc_loss(
            x[:, 0].log_softmax(1), lib.tensor([1, 2, 1]), [7], [3], reduction=reduction
        )
        impossible = F.ctc_loss(
            lp,
            lib.tensor(_CTC_TARGETS),
            [7, 5, 2],
            [3, 2, 4],
            reduction=reduction,
            zero_infinity=True,
        )
        return padded + concat + single + impossible

    compare_fn(torch, program, x)


def test_ctc_loss_gradcheck_and_impossible_alignment():
    F = minitorch.nn.functional
    x = minitorch.tensor(rng.standard_normal((5, 2, 4)), requires_grad=True)
    targets = minitorch.tensor([[1, 1], [2, 3]])
    assert gradcheck(
        lambda x: F.ctc_loss(x.log_softmax(2), targets, [5, 4], [2, 2], reduction="sum"), (x,)
    )
    loss = F.ctc_loss(x.log_softmax(2), targets, [2, 2], [2, 2], reduction="none")  # 1 _ 1 needs 3
    assert np.isinf(loss.detach().numpy()[0]) and np.isfinite(loss.detach().numpy()[1])


def test_area_interpolation_of_volumes(torch):
    F = lambda lib, x: lib.nn.functional.interpolate(x, size=(3, 4, 2), mode="area")  # noqa: E731
    compare_fn(torch, F, _f32(2, 3, 5, 7, 6))


def test_module_to_empty_compile_and_skip_init(torch):
    def program(lib):
        nn = lib.nn
        m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
        same = m.to_empty(device="cpu") is m
        # PyTorch's Module.compile returns None; calling it here would import torch._dynamo,
        # which turns torch.distributions' argument validation off for the rest of the run
        compiled = m.compile() if lib is minitorch else None
        skipped = nn.utils.skip_init(nn.Linear, 3, 4, bias=False)
        state = [
            (k, tuple(v.shape), str(v.dtype).split(".")[-1]) for k, v in m.state_dict().items()
        ]
        return same, compiled, repr(skipped), state

    ours, theirs = _run_both(torch, program)
    assert ours == theirs
    with pytest.raises(RuntimeError, match="Module must support a 'device' arg"):
        minitorch.nn.utils.skip_init(minitorch.nn.ReLU)
