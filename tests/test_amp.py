"""Mixed precision: autocast (policy, differentiable casts, nesting, threads, the cast cache,
the CPU float16 kernels) and GradScaler (against torch.amp.GradScaler on the CPU)."""

from __future__ import annotations

import importlib
import importlib.util
import pathlib
import threading
import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
import minitorch.nn.functional as F
from minitorch.amp import GradScaler, autocast, autocast_mode, grad_scaler, policy
from minitorch.autograd.function import Op

F16, F32, F64 = minitorch.float16, minitorch.float32, minitorch.float64


def _pair(torch, *shape, dtype=np.float32, requires_grad=False):
    """The same random data as a minitorch tensor and a torch tensor."""
    a = np.random.default_rng(len(shape) + sum(shape)).standard_normal(shape).astype(dtype)
    return (
        minitorch.tensor(a, requires_grad=requires_grad),
        torch.tensor(a, requires_grad=requires_grad),
    )


# ---- exports and arguments -------------------------------------------------------------------
def test_exports():
    assert minitorch.autocast is minitorch.amp.autocast is autocast
    assert minitorch.amp.GradScaler is GradScaler


def test_bad_arguments():
    with pytest.raises(RuntimeError, match="unsupported autocast device_type 'xpu'"):
        autocast("xpu")
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        autocast(0)
    with pytest.warns(UserWarning, match="target dtype is not supported. Disabling autocast"):
        region = autocast("cpu", dtype=F32)
    with region:
        assert (minitorch.ones(2, 2) @ minitorch.ones(2, 2)).dtype is F32


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="a GPU is present")
def test_cuda_autocast_without_cuda_warns_and_disables():
    with pytest.warns(
        UserWarning, match="CUDA is not available or torch_xla is imported. Disabling autocast"
    ):
        region = autocast("cuda")
    with region:
        assert not minitorch.amp.is_autocast_enabled("cuda")
        assert (minitorch.ones(2, 2) @ minitorch.ones(2, 2)).dtype is F32


# ---- output dtypes: the policy -------------------------------------------------------------
def _torch_ops(torch):
    """(name, minitorch op, torch op, input shapes): ops where minitorch's policy and PyTorch's
    CPU autocast (float16) agree."""
    tF = torch.nn.functional
    return [
        ("matmul", lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4, 5)]),
        ("batched matmul", minitorch.matmul, torch.matmul, [(2, 3, 4), (4, 5)]),
        ("mm", minitorch.mm, torch.mm, [(3, 4), (4, 5)]),
        ("bmm", minitorch.bmm, torch.bmm, [(2, 3, 4), (2, 4, 5)]),
        ("linear", F.linear, tF.linear, [(2, 3, 4), (5, 4), (5,)]),
        ("conv2d", F.conv2d, tF.conv2d, [(2, 3, 6, 6), (4, 3, 3, 3), (4,)]),
        ("conv1d", F.conv1d, tF.conv1d, [(2, 3, 7), (4, 3, 3)]),
        ("conv_transpose2d", F.conv_transpose2d, tF.conv_transpose2d, [(1, 2, 4, 4), (2, 3, 3, 3)]),
        (
            "sdpa",
            F.scaled_dot_product_attention,
            tF.scaled_dot_product_attention,
            [(2, 5, 4), (2, 5, 4), (2, 5, 4)],
        ),
        ("mse_loss", F.mse_loss, tF.mse_loss, [(3, 4), (3, 4)]),
        ("l1_loss", F.l1_loss, tF.l1_loss, [(3, 4), (3, 4)]),
        (
            "bce_with_logits",
            F.binary_cross_entropy_with_logits,
            tF.binary_cross_entropy_with_logits,
            [(3, 4), (3, 4)],
        ),  # fmt: skip
        ("add (widest)", lambda a, b: a + b, lambda a, b: a + b, [(3, 4), (3, 4)]),
        ("relu (as is)", lambda a: a.relu(), lambda a: a.relu(), [(3, 4)]),
    ]


@pytest.mark.parametrize("index", range(14))
@pytest.mark.parametrize("half_first", [False, True])
def test_output_dtype_and_values_match_pytorch_cpu_autocast(torch, index, half_first):
    name, mt_op, t_op, shapes = _torch_ops(torch)[index]
    pairs = [_pair(torch, *s) for s in shapes]
    if half_first:  # the first input already float16 (the output of an earlier autocast op)
        pairs[0] = (pairs[0][0].half(), pairs[0][1].half())
    with autocast("cpu", dtype=F16):
        out = mt_op(*[m for m, _ in pairs])
    with torch.autocast("cpu", dtype=torch.float16):
        expected = t_op(*[t for _, t in pairs])
    assert str(out.dtype).split(".")[1] == str(expected.dtype).split(".")[1], name
    assert_close(out.float(), expected.float(), rtol=2e-2, atol=2e-2)


def test_cross_entropy_and_nll_run_in_float32_like_pytorch(torch):
    (x, tx), t = _pair(torch, 4, 5), minitorch.tensor([0, 3, 1, 4])
    with autocast("cpu", dtype=F16):
        ce = F.cross_entropy(x.half(), t)
        nll = F.nll_loss(x.half(), t)
    with torch.autocast("cpu", dtype=torch.float16):
        tce = torch.nn.functional.cross_entropy(tx.half(), torch.tensor([0, 3, 1, 4]))
    assert ce.dtype is F32 and nll.dtype is F32 and tce.dtype == torch.float32
    assert_close(ce, tce, rtol=1e-3, atol=1e-3)


CPU_OPS = [
    ("softmax", lambda F, h, t: F.softmax(h, -1)),
    ("log_softmax", lambda F, h, t: F.log_softmax(h, -1)),
    ("sum", lambda F, h, t: h.sum()),
    ("mean", lambda F, h, t: h.mean(0)),
    ("exp", lambda F, h, t: h.exp()),
    ("log", lambda F, h, t: h.abs().log()),
    ("pow", lambda F, h, t: h**2),
    ("cumsum", lambda F, h, t: h.cumsum(0)),
    ("norm", lambda F, h, t: h.norm()),
    ("prod", lambda F, h, t: h.prod(1)),
    ("layer_norm", lambda F, h, t: F.layer_norm(h, (4,))),
    ("group_norm", lambda F, h, t: F.group_norm(h.reshape(3, 4, 1), 2)),
    ("batch_norm", lambda F, h, t: F.batch_norm(h, None, None, training=True)),
    ("cross_entropy", lambda F, h, t: F.cross_entropy(h, t)),
    ("mse_loss_none", lambda F, h, t: F.mse_loss(h, h.flip(0), reduction="none")),
    ("l1_loss", lambda F, h, t: F.l1_loss(h, h.flip(0))),
    ("kl_div", lambda F, h, t: F.kl_div(h, h.abs(), reduction="batchmean")),
    ("bce_with_logits", lambda F, h, t: F.binary_cross_entropy_with_logits(h, h.sigmoid())),
    ("soft_margin", lambda F, h, t: F.soft_margin_loss(h, h.sign())),
]


@pytest.mark.parametrize("name, op", CPU_OPS, ids=[n for n, _ in CPU_OPS])
def test_cpu_autocast_runs_ops_in_pytorchs_cpu_dtypes(torch, name, op):
    """PyTorch's CPU autocast casts losses (and prod) to float32 but, unlike its CUDA
    autocast, leaves softmax, sum, exp, norms... in their input's dtype: the result's dtype
    and values must be PyTorch's."""
    x = minitorch.randn(3, 4).half()
    tx = torch.tensor(x.float().numpy()).half()
    with autocast("cpu", dtype=F16):
        out = op(F, x, minitorch.tensor([0, 1, 2]))
    with torch.autocast("cpu", dtype=torch.float16):
        expected = op(torch.nn.functional, tx, torch.tensor([0, 1, 2]))
    assert str(out.dtype)[10:] == str(expected.dtype)[6:]
    assert_close(out.float(), expected.float(), rtol=2e-3, atol=2e-3)


def test_float64_is_never_cast_and_mixed_float64_low_ops_raise():
    d = minitorch.randn(3, 3, dtype=F64)
    with autocast("cpu", dtype=F16):
        assert (d @ d).dtype is F64 and d.softmax(0).dtype is F64
        with pytest.raises(RuntimeError, match="same dtype, but got: double != c10::Half"):
            d @ minitorch.randn(3, 3).half()
        with pytest.raises(RuntimeError, match="same dtype, but got: double != c10::Half"):
            F.linear(d, minitorch.randn(2, 3))
    with pytest.raises(RuntimeError, match="same dtype"):  # outside autocast: as before
        minitorch.randn(3, 3) @ minitorch.randn(3, 3).half()


def test_integer_inputs_are_left_alone():
    idx = minitorch.tensor([[1, 2], [3, 4]])
    with autocast("cpu", dtype=F16):
        assert idx.sum().dtype is minitorch.int64
        assert (idx @ idx).dtype is minitorch.int64


def test_policy_table_names_existing_ops():
    """A renamed or moved op would silently drop out of autocast: every entry must resolve."""
    for device, table in (("cuda", policy.POLICY), ("cpu", policy.CPU_POLICY)):
        for key, value in table.items():
            module, name = key.rsplit(".", 1)
            cls = getattr(importlib.import_module("minitorch." + module), name)
            assert issubclass(cls, Op), key
            assert policy.policy_of(cls, device) is value


def test_user_functions_are_not_cast_but_the_ops_inside_are():
    seen = []

    class Twice(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            seen.append(x.dtype)
            return x @ w

        @staticmethod
        def backward(ctx, g):
            return g, g

    with autocast("cpu", dtype=F16):
        out = Twice.apply(minitorch.randn(2, 2), minitorch.randn(2, 2))
    assert seen == [F32] and out.dtype is F16


# ---- gradients -------------------------------------------------------------------------------
def test_gradients_reach_each_leaf_in_its_dtype_and_match_pytorch(torch):
    (x, tx), (w, tw) = _pair(torch, 8, 6), _pair(torch, 6, 4, requires_grad=True)
    (b, tb), (h, th) = _pair(torch, 4, requires_grad=True), _pair(torch, 8, 4)
    h, th = h.half().requires_grad_(), th.half().requires_grad_()
    with autocast("cpu", dtype=F16):
        y = ((x @ w) + b) * h  # float16 product, float32 bias, float16 leaf
        loss = F.mse_loss(y, minitorch.zeros(8, 4))
    with torch.autocast("cpu", dtype=torch.float16):
        ty = ((tx @ tw) + tb) * th
        tloss = torch.nn.functional.mse_loss(ty, torch.zeros(8, 4))
    loss.backward()
    tloss.backward()
    assert (w.grad.dtype, b.grad.dtype, h.grad.dtype) == (F32, F32, F16)
    assert_close(loss, tloss, rtol=1e-3, atol=1e-3)
    for mine, theirs in ((w, tw), (b, tb), (h, th)):
        assert_close(mine.grad.float(), theirs.grad.float(), rtol=1e-2, atol=1e-3)


def test_backward_inside_the_region():
    w = minitorch.randn(4, 4, requires_grad=True)
    with autocast("cpu", dtype=F16):
        (minitorch.randn(2, 4) @ w).sum().backward()
    assert w.grad.dtype is F32 and w.grad.shape == (4, 4)


# ---- nesting, decorator, threads -------------------------------------------------------------
def _mm_dtype():
    return (minitorch.ones(2, 2) @ minitorch.ones(2, 2)).dtype


def test_nested_enabled_false_and_restore():
    assert not autocast_mode.active
    with autocast("cpu", dtype=F16):
        assert _mm_dtype() is F16
        with autocast("cpu", enabled=False):
            assert _mm_dtype() is F32
            with autocast("cpu", dtype=F16):
                assert _mm_dtype() is F16
            assert _mm_dtype() is F32
        assert _mm_dtype() is F16 and minitorch.amp.is_autocast_enabled("cpu")
    assert _mm_dtype() is F32 and not autocast_mode.active
    with autocast("cpu", enabled=False):  # a disabled region costs the hot path nothing
        assert not autocast_mode.active


def test_decorator_and_reentry():
    @autocast("cpu", dtype=F16)
    def inner():
        return _mm_dtype()

    @autocast("cpu", enabled=False)
    def outer():
        return _mm_dtype(), inner()

    assert outer() == (F32, F16)
    assert _mm_dtype() is F32
    region = autocast("cpu", dtype=F16)
    with region, region:  # one object entered twice restores both levels
        assert _mm_dtype() is F16
    assert _mm_dtype() is F32 and not autocast_mode.active


def test_exception_inside_the_region_restores_state():
    with pytest.raises(ValueError), autocast("cpu", dtype=F16):
        raise ValueError
    assert _mm_dtype() is F32 and not autocast_mode.active


def test_thread_local():
    seen = {}
    inside, done = threading.Event(), threading.Event()

    def worker():
        inside.wait()
        seen["other thread"] = _mm_dtype()  # main thread is inside autocast right now
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with autocast("cpu", dtype=F16):
        inside.set()
        done.wait(10)
        seen["this thread"] = _mm_dtype()
    thread.join()
    assert seen == {"other thread": F32, "this thread": F16}


# ---- the cast cache ---------------------------------------------------------------------------
def _cast_node(out):
    """The Cast node that feeds the weight (second input) into a matmul's output."""
    return out.grad_fn.next_functions[1][0]


def test_parameter_cast_once_per_region():
    w = minitorch.randn(4, 4, requires_grad=True)
    x = minitorch.randn(2, 4)
    with autocast("cpu", dtype=F16):
        a, b = x @ w, (x * 2) @ w
        assert _cast_node(a) is _cast_node(b)  # one cast, used twice
        assert len(autocast_mode._state.cache) == 1
    assert not autocast_mode._state.cache  # cleared when the outermost region exits
    (a.float().sum() + b.float().sum()).backward()
    assert_close(w.grad, 3 * x.sum(0)[:, None].expand(4, 4), rtol=2e-3, atol=2e-3)
    with autocast("cpu", dtype=F16):
        assert _cast_node(x @ w) is not _cast_node(a)  # a new region casts afresh


def test_cache_kept_over_nested_regions_and_off_with_cache_enabled_false():
    w = minitorch.randn(4, 4, requires_grad=True)
    x = minitorch.randn(2, 4)
    with autocast("cpu", dtype=F16):
        a = x @ w
        with autocast("cpu", dtype=F16):
            assert _cast_node(x @ w) is _cast_node(a)
        assert autocast_mode._state.cache  # the inner exit is not the outermost
    with autocast("cpu", cache_enabled=False):
        assert _cast_node(x @ w) is not _cast_node(x @ w)
        assert not autocast_mode._state.cache


def test_cast_under_no_grad_is_never_reused_with_grad():
    w = minitorch.randn(4, 4, requires_grad=True)
    x = minitorch.randn(2, 4)
    with autocast("cpu", dtype=F16):
        with minitorch.no_grad():
            first = x @ w
        assert not first.requires_grad
        y = x @ w  # must not reuse the graph-less cast made under no_grad
        with minitorch.no_grad():
            assert not (x @ w).requires_grad  # nor the reverse
    assert y.requires_grad
    y.float().sum().backward()
    assert w.grad is not None and float(w.grad.abs().sum()) > 0


def test_cache_recasts_after_an_in_place_update():
    w = minitorch.ones(2, 2, requires_grad=True)
    with autocast("cpu", dtype=F16):
        before = minitorch.ones(1, 2) @ w
        with minitorch.no_grad():
            w.mul_(3.0)
        after = minitorch.ones(1, 2) @ w
    assert before.tolist() == [[2.0, 2.0]] and after.tolist() == [[6.0, 6.0]]


def test_only_leaves_that_require_grad_are_cached():
    x, w = minitorch.randn(2, 4), minitorch.randn(4, 4, requires_grad=True)
    with autocast("cpu", dtype=F16):
        x @ x.t()
        (x * 2) @ (w * 2)
        assert not autocast_mode._state.cache


# ---- CPU float16 kernels ---------------------------------------------------------------------
def test_cpu_float16_matmul_accumulates_in_float32_and_rounds_once():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 7, 33)).astype(np.float16)
    b = rng.standard_normal((33, 5)).astype(np.float16)
    out = minitorch.tensor(a) @ minitorch.tensor(b)
    expected = (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float16)
    assert out.dtype is F16
    np.testing.assert_array_equal(out.numpy(), expected)


def test_cpu_float16_conv_accumulates_in_float32(torch):
    (x, tx), (w, tw) = _pair(torch, 2, 3, 6, 6), _pair(torch, 4, 3, 3, 3)
    out = F.conv2d(x.half(), w.half(), padding=1)
    expected = torch.nn.functional.conv2d(tx.half().float(), tw.half().float(), padding=1)
    assert out.dtype is F16
    assert_close(out.float(), expected.half().float(), rtol=1e-3, atol=1e-3)


def test_float16_overflow_gives_inf_without_warnings():
    big = minitorch.full((2, 2), 300.0).half()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = big @ big
    assert np.isinf(out.numpy()).all()


# ---- GradScaler ---------------------------------------------------------------------------------
class _SGD:
    """The smallest optimizer GradScaler needs: param_groups and step (p -= lr * grad)."""

    def __init__(self, params, lr=0.1):
        self.param_groups = [{"params": list(params), "lr": lr}]

    def step(self):
        for p in self.param_groups[0]["params"]:
            if p.grad is not None:
                p._data -= self.param_groups[0]["lr"] * p.grad._data

    def zero_grad(self):
        for p in self.param_groups[0]["params"]:
            p.grad = None


INF, NAN = float("inf"), float("nan")
SEQUENCE = [1.0, 1.0, 1.0, INF, 1.0, NAN, 1.0, 1e36, 1.0, 1.0, 1.0, 1.0]  # 1e36 * scale overflows


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.parametrize(
    "kwargs",
    [
        dict(init_scale=2.0**10, growth_factor=2.0, backoff_factor=0.5, growth_interval=2),
        dict(init_scale=1000.0, growth_factor=1.7, backoff_factor=0.3, growth_interval=3),
    ],
)
def test_grad_scaler_skip_backoff_growth_matches_pytorch(torch, kwargs):
    p = minitorch.ones(3, requires_grad=True)
    tp = torch.nn.Parameter(torch.ones(3))
    opt, topt = _SGD([p]), torch.optim.SGD([tp], lr=0.1)
    scaler, tscaler = GradScaler("cpu", **kwargs), torch.amp.GradScaler("cpu", **kwargs)
    steps, torch_steps = [], []
    our_step, torch_step = opt.step, topt.step
    opt.step = lambda: steps.append(our_step())
    topt.step = lambda: torch_steps.append(torch_step())
    for c in SEQUENCE:
        opt.zero_grad()
        topt.zero_grad()
        scaler.scale((p * c).sum()).backward()
        tscaler.scale((tp * c).sum()).backward()
        assert scaler.step(opt) is tscaler.step(topt) is None
        assert len(steps) == len(torch_steps), c
        scaler.update()
        tscaler.update()
        assert scaler.get_scale() == tscaler.get_scale()
        assert scaler.state_dict() == tscaler.state_dict()
        assert_close(p, tp)


def test_grad_scaler_state_dict_round_trip(torch):
    kwargs = dict(init_scale=512.0, growth_factor=3.0, backoff_factor=0.25, growth_interval=4)
    scaler, tscaler = GradScaler("cpu", **kwargs), torch.amp.GradScaler("cpu", **kwargs)
    p = minitorch.ones(2, requires_grad=True)
    opt = _SGD([p])
    for c in (1.0, INF, 1.0, 1.0):
        opt.zero_grad()
        scaler.scale((p * c).sum()).backward()
        scaler.step(opt)
        scaler.update()
    state = scaler.state_dict()
    assert state == {
        "scale": 128.0,
        "growth_factor": 3.0,
        "backoff_factor": 0.25,
        "growth_interval": 4,
        "_growth_tracker": 2,
    }
    tscaler.load_state_dict(state)  # PyTorch reads ours ...
    assert tscaler.state_dict() == state
    fresh = GradScaler("cpu")
    fresh.load_state_dict(tscaler.state_dict())  # ... and we read PyTorch's
    assert fresh.state_dict() == state and fresh.get_scale() == 128.0
    for c in (1.0, 1.0):  # and the loaded scaler continues the growth count: 2 more -> grow
        opt.zero_grad()
        fresh.scale((p * c).sum()).backward()
        fresh.step(opt)
        fresh.update()
    assert fresh.get_scale() == 384.0 and fresh.state_dict()["_growth_tracker"] == 0


def test_grad_scaler_unscale_then_clip_grad_norm(torch):
    (w, tw) = _pair(torch, 5, 3, requires_grad=True)
    scaler, tscaler = GradScaler("cpu"), torch.amp.GradScaler("cpu")
    opt, topt = _SGD([w]), torch.optim.SGD([tw], lr=0.1)
    scaler.scale((w * w).sum()).backward()
    tscaler.scale((tw * tw).sum()).backward()
    scaler.unscale_(opt)
    tscaler.unscale_(topt)
    assert_close(w.grad, tw.grad)
    norm = minitorch.nn.utils.clip_grad_norm_([w], 1.0)
    tnorm = torch.nn.utils.clip_grad_norm_([tw], 1.0)
    assert_close(norm, tnorm, rtol=1e-5)
    assert scaler.step(opt) is tscaler.step(topt) is None
    assert_close(w, tw)


def test_grad_scaler_scales_like_pytorch(torch):
    (x, tx) = _pair(torch, 3)
    scaler, tscaler = GradScaler("cpu", init_scale=4.0), torch.amp.GradScaler("cpu", init_scale=4.0)
    assert_close(scaler.scale(x), tscaler.scale(tx))
    h0 = minitorch.tensor(2.0).half()  # a 0-d float16 loss times the 0-d float32 scale
    assert tscaler.scale(torch.tensor(2.0).half()).dtype == torch.float32
    assert scaler.scale(h0).dtype is F32
    assert scaler.scale(x.half()).dtype is F16
    a, (b, c) = scaler.scale([x, (x, x)])
    assert_close(c, 4 * x)
    assert scaler.get_scale() == tscaler.get_scale() == 4.0


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_grad_scaler_errors():
    p = minitorch.ones(2, requires_grad=True)
    opt = _SGD([p])
    scaler = GradScaler("cpu")
    with pytest.raises(AssertionError, match="Attempted unscale_ but _scale is None"):
        scaler.unscale_(opt)
    scaler.scale(p.sum()).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) is being called after step"):
        scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
        GradScaler("cpu").step(opt, closure=lambda: 0)
    with pytest.raises(AssertionError, match="No inf checks were recorded for this optimizer"):
        s = GradScaler("cpu")
        s.scale(p.sum())
        s.step(_SGD([minitorch.ones(1, requires_grad=True)]))
    h = minitorch.ones(2, dtype=F16, requires_grad=True)
    s = GradScaler("cpu")
    s.scale(h.sum()).backward()
    with pytest.raises(ValueError, match="Attempting to unscale FP16 gradients"):
        s.unscale_(_SGD([h]))
    with pytest.raises(RuntimeError, match="The source state dict is empty"):
        GradScaler("cpu").load_state_dict({})
    with pytest.raises(AssertionError, match="growth factor must be > 1.0"):
        GradScaler("cpu", growth_factor=1.0)


def test_disabled_grad_scaler_is_transparent():
    p = minitorch.ones(2, requires_grad=True)
    scaler = GradScaler("cpu", enabled=False)
    loss = p.sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    assert scaler.step(_SGD([p])) is None
    scaler.update()
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    assert_close(p, [0.9, 0.9])


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="a GPU is present")
def test_cuda_grad_scaler_without_cuda_warns_and_disables():
    with pytest.warns(
        UserWarning, match="GradScaler is enabled, but CUDA is not available.  Disabling"
    ):
        assert not GradScaler().is_enabled()


def test_inf_nan_check_is_one_device_flag_and_exact():
    """One flag for all gradients (no per-tensor host read); huge finite gradients are not
    taken for overflow (maxima and minima cannot overflow, a float32 sum would), one inf or
    NaN is found, empty gradients are skipped."""
    finite = [np.full(1000, 3e38, np.float32), np.ones(7, np.float32), np.ones(0, np.float32)]
    flag = grad_scaler.unscale_and_check([g.copy() for g in finite], 1.0)
    assert isinstance(flag, (np.ndarray, np.bool_)) and not flag
    for bad in (INF, -INF, NAN):
        grads = [g.copy() for g in finite] + [np.array([0.0, bad], np.float32)]
        assert grad_scaler.unscale_and_check(grads, 0.5)
    assert not grad_scaler.unscale_and_check([np.ones(0, np.float32)], 1.0)
    grads = [np.full(4, 8.0, np.float32)]
    grad_scaler.unscale_and_check(grads, 0.25)
    assert grads[0].tolist() == [2.0] * 4  # unscaled in place


# ---- float16 training: what the scaler is for --------------------------------------------------
def _regression(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((32, 16)).astype(np.float32)
    true_w = rng.standard_normal((16, 1)).astype(np.float32)
    return minitorch.tensor(x), minitorch.tensor(x @ true_w)


def _train(steps, scale_loss, lr=0.05):
    """Linear regression with the product in float16 (autocast). ``scale_loss(loss, opt)``
    runs backward and the step; returns the weights and the losses."""
    x, y = _regression()
    w = minitorch.zeros(16, 1, requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        with autocast("cpu", dtype=F16):
            loss = F.mse_loss(x @ w, y)
        losses.append(float(loss))
        scale_loss(loss, opt)
    return w, losses


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_float16_overflow_fails_without_the_scaler_and_trains_with_it():
    scale = 2.0**24  # the float16 activation gradients overflow at this loss scale

    def static_scaling(loss, opt):
        (loss * scale).backward()
        with minitorch.no_grad():
            opt.param_groups[0]["params"][0].grad.div_(scale)
        opt.step()

    w, _ = _train(5, static_scaling)
    assert not np.isfinite(w.detach().numpy()).all()  # inf/nan gradients destroyed the weights

    scaler = GradScaler("cpu", init_scale=scale, growth_interval=1000)
    stepped = []

    def dynamic_scaling(loss, opt):
        scaler.scale(loss).backward()
        scale_before = scaler.get_scale()
        scaler.step(opt)
        scaler.update()
        stepped.append(scaler.get_scale() >= scale_before)  # a skipped step backs off

    w, losses = _train(60, dynamic_scaling)
    assert np.isfinite(w.detach().numpy()).all()
    assert not stepped[0] and stepped[-1]  # skipped while the scale was too big, then trained
    assert scaler.get_scale() < scale
    assert losses[-1] < 0.01 * losses[0]


def test_float16_gradients_underflow_without_scaling_and_survive_with_it():
    x, y = _regression()
    w = minitorch.zeros(16, 1, requires_grad=True)
    tiny = 1e-9  # a loss this small has float16 activation gradients below float16's range
    with autocast("cpu", dtype=F16):
        loss = F.mse_loss(x @ w, y) * tiny
    loss.backward(retain_graph=True)
    assert float(w.grad.abs().sum()) == 0.0  # flushed to zero: nothing to learn from
    w.grad = None
    scaler = GradScaler("cpu", init_scale=2.0**24)
    scaler.scale(loss).backward()
    scaler.unscale_(minitorch.optim.SGD([w], lr=0.1))
    exact = (2 * tiny / 32) * (x.t() @ (-y))  # d loss / d w at w = 0, in float32
    assert_close(w.grad, exact, rtol=1e-2, atol=1e-13)


def test_amp_training_example_smoke(capsys):
    path = pathlib.Path(__file__).parent.parent / "examples" / "amp_training.py"
    spec = importlib.util.spec_from_file_location("amp_training_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--smoke"])
    fp32, amp = results["float32"], results["autocast+GradScaler"]
    assert np.isfinite(fp32["final_loss"]) and amp["skipped"] == 0
    assert abs(amp["final_loss"] - fp32["final_loss"]) < 0.01 * fp32["final_loss"]
    out = capsys.readouterr().out
    assert "float32" in out and "autocast+GradScaler" in out and "steps/s" in out


# ---- on a GPU (skipped without one) ------------------------------------------------------------
@pytest.mark.cuda
def test_cuda_autocast_and_grad_scaler():
    x = minitorch.randn(8, 16, device="cuda")
    w = minitorch.randn(16, 4, device="cuda", requires_grad=True)
    with autocast("cuda"):
        y = x @ w
        loss = y.softmax(-1).log().mean()
        assert _mm_dtype() is F32  # CPU tensors are not autocast by a cuda region
    assert y.dtype is F16 and loss.dtype is F32
    ref = x.cpu().half().float().numpy() @ w.detach().cpu().half().float().numpy()
    assert_close(y.detach().float().cpu(), ref, rtol=1e-3, atol=1e-3)
    scaler = GradScaler("cuda")
    opt = _SGD([w])
    scaler.scale(loss).backward()
    assert w.grad.dtype is F32 and scaler.step(opt) is None
    scaler.update()
    stepped = w.detach().clone()
    scaler.scale(w.sum() * float("inf")).backward()
    scaler.step(opt)
    scaler.update()
    assert scaler.get_scale() == 2.0**15
    assert_close(w.detach(), stepped)  # the inf step was skipped


@pytest.mark.cuda
def test_cuda_masked_fill_and_cross_entropy_regression(torch):
    """Both used to hand cupy a numpy array (masked_fill's value, cross_entropy's result)."""
    (x, tx) = _pair(torch, 4, 5)
    t = [0, 3, 1, 4]
    mask = minitorch.tensor([[True, False, False, True, False]] * 4, device="cuda")
    filled = x.to("cuda").masked_fill(mask, float("-inf"))
    assert_close(filled.cpu(), tx.masked_fill(torch.tensor(mask.cpu().numpy()), float("-inf")))
    ce = F.cross_entropy(x.to("cuda"), minitorch.tensor(t, device="cuda"))
    assert_close(ce.cpu(), torch.nn.functional.cross_entropy(tx, torch.tensor(t)), rtol=1e-5)
