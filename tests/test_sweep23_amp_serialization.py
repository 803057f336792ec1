"""Sweep 23 (helper M1): mixed precision and serialization as PyTorch's own tests check them
(test_autocast.py's CPU lists, the GradScaler tests of test_torch.py / test_cuda.py run on
the CPU, test_serialization.py): autocast regions and the dtype of each op category, the
scaler's scale / unscale_ / step / update cycle, and save / load round trips. Each program
runs with PyTorch 2.13 (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import collections
import io
import pickle

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

Point = collections.namedtuple("Point", "x y")  # a class pickle finds by its module's name


class Registry(dict):
    """A dict subclass with an attribute (pickle saves its items and its __dict__)."""


class History(list):
    """A list subclass."""


def data(torch, *shape, seed=0, dtype=None):
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(*shape, generator=g)
    return t if dtype is None else t.to(dtype)


def dtypes(*tensors) -> list:
    return [str(t.dtype) for t in tensors]


# ---- autocast: the region's state ---------------------------------------------------------
@program
def region_flags_nest_and_restore(torch):
    seen = [torch.is_autocast_enabled("cpu"), str(torch.get_autocast_dtype("cpu"))]
    with torch.autocast("cpu"):
        seen += [torch.is_autocast_enabled("cpu"), torch.is_autocast_cpu_enabled()]
        seen.append(str(torch.get_autocast_dtype("cpu")))
        with torch.autocast("cpu", dtype=torch.float16):
            seen.append(str(torch.get_autocast_dtype("cpu")))
            with torch.autocast("cpu", enabled=False):
                seen.append(torch.is_autocast_enabled("cpu"))
            seen.append(torch.is_autocast_enabled("cpu"))
        seen.append(str(torch.get_autocast_dtype("cpu")))
    seen += [torch.is_autocast_enabled("cpu"), str(torch.get_autocast_dtype("cpu"))]
    return seen


@program
def disabled_region_still_sets_the_autocast_dtype(torch):
    with torch.autocast("cpu", dtype=torch.float16, enabled=False):
        inside = [torch.is_autocast_enabled("cpu"), str(torch.get_autocast_dtype("cpu"))]
    return inside + [str(torch.get_autocast_dtype("cpu"))]


@program
def inner_region_without_dtype_inherits_outer_dtype(torch):
    a, b = data(torch, 3, 4), data(torch, 4, 2, seed=1)
    with torch.autocast("cpu", dtype=torch.float16):
        with torch.autocast("cpu"):
            inner = [str(torch.get_autocast_dtype("cpu")), str((a @ b).dtype)]
    with torch.autocast("cpu"):
        plain = str((a @ b).dtype)
    return inner + [plain]


@program
def set_autocast_dtype_is_the_next_regions_default(torch):
    torch.set_autocast_dtype("cpu", torch.float16)
    try:
        with torch.autocast("cpu"):
            seen = [
                str(torch.get_autocast_dtype("cpu")),
                str((torch.ones(2, 2) @ torch.ones(2, 2)).dtype),
            ]
            torch.set_autocast_dtype("cpu", torch.bfloat16)
            seen.append(str((torch.ones(2, 2) @ torch.ones(2, 2)).dtype))
    finally:
        torch.set_autocast_dtype("cpu", torch.bfloat16)
    return seen + [str(torch.get_autocast_dtype("cpu"))]


@program
def enabled_false_region_runs_float32(torch):
    a, b = data(torch, 3, 4), data(torch, 4, 2, seed=1)
    with torch.autocast("cpu"):
        inner = (a @ b).dtype
        with torch.autocast("cpu", enabled=False):
            off = a @ b
        back = a @ b
    return [str(inner), off, str(back.dtype)]


@program
def enabled_false_inner_then_bf16_input_stays_bf16(torch):
    a = data(torch, 3, 4, dtype=torch.bfloat16)
    b = data(torch, 4, 2, seed=1)
    with torch.autocast("cpu"):
        low = a @ b.to(torch.bfloat16)
        with torch.autocast("cpu", enabled=False):
            same = (a @ b.to(torch.bfloat16)).dtype
    return [str(low.dtype), str(same)]


@program
def decorator_form_and_plain_call(torch):
    @torch.autocast("cpu")
    def f(x, w):
        return x @ w, torch.is_autocast_enabled("cpu")

    x, w = data(torch, 2, 3), data(torch, 3, 3, seed=1)
    y, flag = f(x, w)
    return [str(y.dtype), flag, torch.is_autocast_enabled("cpu")]


@program
def cache_enabled_flag_follows_regions(torch):
    seen = [torch.is_autocast_cache_enabled()]
    with torch.autocast("cpu", cache_enabled=False):
        seen.append(torch.is_autocast_cache_enabled())
        with torch.autocast("cpu"):
            seen.append(torch.is_autocast_cache_enabled())
        seen.append(torch.is_autocast_cache_enabled())
    seen.append(torch.is_autocast_cache_enabled())
    return seen


@program
def cache_disabled_still_gives_same_grads(torch):
    w = torch.nn.Parameter(data(torch, 4, 3))
    x = data(torch, 2, 3, seed=1)
    with torch.autocast("cpu", cache_enabled=False):
        y = torch.nn.functional.linear(x, w) + torch.nn.functional.linear(x, w)
    y.float().sum().backward()
    return [str(y.dtype), w.grad.dtype, w.grad.shape]


@program
def exception_in_region_restores_flags(torch):
    try:
        with torch.autocast("cpu", dtype=torch.float16):
            raise KeyError("x")
    except KeyError:
        pass
    return [torch.is_autocast_enabled("cpu"), str(torch.get_autocast_dtype("cpu"))]


@program
def amp_namespace_and_cpu_amp_alias(torch):
    with torch.amp.autocast(device_type="cpu"):
        a = torch.is_autocast_enabled("cpu")
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=True):
        b = str(torch.get_autocast_dtype("cpu"))
    return [a, b, torch.amp.is_autocast_available("cpu")]


@error(RuntimeError, r"'not a real device'")
def invalid_device_type(torch):
    with torch.autocast(device_type="not a real device"):
        pass


@error(ValueError, r"Expected `device_type` of type `str`")
def device_type_not_a_string(torch):
    with torch.autocast(device_type=torch.device("cpu")):
        pass


@program
def unsupported_dtype_warns_and_disables(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with torch.autocast("cpu", dtype=torch.float64):
            flag = torch.is_autocast_enabled("cpu")
    return [flag, any("Disabling autocast" in str(m.message) for m in w)]


# ---- autocast: the dtype of each op category (CPU bfloat16 and float16) ---------------------
@program
def lower_precision_ops_bf16(torch):
    m0, m1, m2 = (data(torch, 8, 8, seed=s) for s in range(3))
    b0, b1 = data(torch, 8, 8, 8, seed=3), data(torch, 8, 8, 8, seed=4)
    x3, w3 = data(torch, 8, 8, 8, seed=5), data(torch, 8, 8, 8, seed=6)
    with torch.autocast("cpu"):
        outs = [
            torch.mm(m0, m1), torch.matmul(m0, m1), m0 @ m1, torch.bmm(b0, b1),
            torch.addmm(m0, m1, m2), torch.baddbmm(b0, b0, b1), torch.addbmm(m0, b0, b1),
            torch.nn.functional.linear(m0, m1), torch.nn.functional.linear(m0, m1, m2[0]),
            torch.conv1d(x3, w3), torch.conv_transpose1d(x3, w3),
        ]  # fmt: skip
    return dtypes(*outs)


@program
def lower_precision_ops_bf16_values(torch):
    m0, m1, m2 = (data(torch, 4, 4, seed=s) for s in range(3))
    with torch.autocast("cpu"):
        out = torch.addmm(m0, m1, m2)
    ref = torch.addmm(*(t.to(torch.bfloat16) for t in (m0, m1, m2)))
    return [torch.equal(out, ref), out.float()]


@program
def float32_ops_on_bf16_inputs(torch):
    F = torch.nn.functional
    a, b = data(torch, 8, 8, dtype=torch.bfloat16), data(torch, 8, 8, seed=1, dtype=torch.bfloat16)
    p = torch.rand(8, 8).to(torch.bfloat16)
    idx = torch.zeros(8, dtype=torch.long)
    with torch.autocast("cpu"):
        outs = [
            F.mse_loss(a, b), F.l1_loss(a, b), F.smooth_l1_loss(a, b), F.huber_loss(a, b),
            F.binary_cross_entropy_with_logits(a, p), F.binary_cross_entropy(p, p),
            F.nll_loss(a, idx), F.cross_entropy(a, idx), F.soft_margin_loss(a, torch.ones(8, 8)),
            F.margin_ranking_loss(a[0], b[0], torch.ones(8).to(torch.bfloat16)),
            F.triplet_margin_loss(a, b, p), F.poisson_nll_loss(a, b),
            F.kl_div(a, p, reduction="batchmean"),
        ]  # fmt: skip
    return dtypes(*outs)


@program
def ops_not_listed_keep_bf16(torch):
    a = data(torch, 8, dtype=torch.bfloat16)
    with torch.autocast("cpu"):
        outs = [
            torch.softmax(a, 0), torch.log_softmax(a, 0), a.sum(), a.mean(), a.exp(), a.log(),
            a.pow(2), torch.cumsum(a, 0), torch.nn.functional.layer_norm(a, (8,)), a.relu(),
            torch.tanh(a), a.norm(), torch.logsumexp(a, 0),
        ]  # fmt: skip
    return dtypes(*outs)


@program
def builtin_promotion_of_mixed_inputs(torch):
    f32, bf = data(torch, 8), data(torch, 8, seed=1, dtype=torch.bfloat16)
    h = data(torch, 8, seed=2, dtype=torch.float16)
    with torch.autocast("cpu"):
        outs = [f32 + bf, f32 * h, f32 / bf, f32 == bf, f32 >= h, f32 < bf, f32 != h]
        outs += [torch.cat([bf, f32]), torch.stack([f32, bf]), torch.cat([bf, bf])]
    with torch.autocast("cpu", dtype=torch.float16):
        outs += [torch.cat([h, f32]), torch.stack([f32, h]), torch.cat([h.float(), f32])]
    return dtypes(*outs)


@program
def float16_cpu_autocast_op_dtypes(torch):
    F = torch.nn.functional
    m0, m1 = data(torch, 6, 6), data(torch, 6, 6, seed=1)
    idx = torch.zeros(6, dtype=torch.long)
    with torch.autocast("cpu", dtype=torch.float16):
        mm = m0 @ m1
        lin = F.linear(m0, m1)
        loss = F.cross_entropy(mm, idx)
        mse = F.mse_loss(mm, lin)
        soft = torch.softmax(mm, 1)
        s = mm.sum()
    return dtypes(mm, lin, loss, mse, soft, s)


@program
def float64_and_integer_inputs_not_cast(torch):
    d = data(torch, 4, 4).double()
    i = torch.arange(16).reshape(4, 4)
    with torch.autocast("cpu"):
        outs = [d @ d, torch.nn.functional.linear(d, d), i @ i, torch.mm(i, i)]
    return dtypes(*outs)


@program
def inplace_op_keeps_destination_dtype(torch):
    a = data(torch, 4, 4)
    b = data(torch, 4, 4, seed=1)
    with torch.autocast("cpu"):
        low = a @ b
        a.add_(low)
    return [str(a.dtype), str(low.dtype), a]


@program(tol={"rtol": 2e-2, "atol": 2e-2})
def module_forward_and_grads_in_leaf_dtypes(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(5, 3)
    with torch.no_grad():
        lin.weight.copy_(data(torch, 3, 5))
        lin.bias.copy_(data(torch, 3, seed=1))
    x = data(torch, 4, 5, seed=2).requires_grad_()
    with torch.autocast("cpu"):
        y = lin(x)
        loss = torch.nn.functional.mse_loss(y, torch.zeros(4, 3))
    loss.backward()
    return [str(y.dtype), str(loss.dtype), x.grad, lin.weight.grad, lin.bias.grad]


@program
def backward_outside_region_keeps_dtypes(torch):
    w = data(torch, 3, 3).requires_grad_()
    h = data(torch, 3, 3, seed=1, dtype=torch.float16).requires_grad_()
    with torch.autocast("cpu"):
        y = (w @ w) @ h.float()
    y.float().sum().backward()
    return [str(y.dtype), str(w.grad.dtype), str(h.grad.dtype)]


@program
def no_grad_inside_region(torch):
    w = torch.nn.Parameter(data(torch, 3, 3))
    with torch.autocast("cpu"), torch.no_grad():
        y = w @ w
    return [str(y.dtype), y.requires_grad, y.grad_fn is None]


def _spd(torch, low):
    a = data(torch, 4, 4, seed=7)
    return (a @ a.t() + 4 * torch.eye(4)).to(low), data(torch, 4, 3, seed=8).to(low)


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def linalg_float32_list_casts_bf16_inputs(torch):
    L = torch.linalg
    A, B = _spd(torch, torch.bfloat16)
    with torch.autocast("cpu"):
        outs = [
            L.inv(A), L.inv_ex(A)[0], torch.inverse(A), L.solve(A, B), L.cholesky(A),
            L.cholesky_ex(A)[0], torch.cholesky(A), L.qr(A)[1].abs(), torch.qr(A)[1].abs(),
            L.svdvals(A), L.eigvalsh(A), L.eigh(A)[0], L.lstsq(A, B)[0], torch.pinverse(A),
            L.cond(A), torch.cholesky_solve(B, L.cholesky(A)), torch.cholesky_inverse(L.cholesky(A)),
            L.tensorinv(A, 1), L.tensorsolve(A, B[:, 0]), torch.geqrf(A)[0].abs(),
            torch.triangular_solve(B, A)[0], L.svd(A)[1], torch.svd(A)[1],
            torch.quantile(A[0], 0.25), torch.nanquantile(A, 0.5, dim=1),
        ]  # fmt: skip
        rank = L.matrix_rank(A)
    return [dtypes(*outs), rank] + outs


@program(tol={"rtol": 1e-2, "atol": 1e-3})
def linalg_float32_list_casts_float16_inputs(torch):
    A, B = _spd(torch, torch.float16)
    with torch.autocast("cpu", dtype=torch.float16):
        outs = [torch.linalg.inv(A), torch.linalg.solve(A, B), torch.linalg.eigvalsh(A),
                torch.linalg.householder_product(A, A[0, :2])]  # fmt: skip
    return [dtypes(*outs)] + outs


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def float32_list_op_runs_without_autocast_inside(torch):
    A, B = _spd(torch, torch.float32)
    with torch.autocast("cpu"):
        x = torch.linalg.lstsq(A, B).solution
        y = torch.linalg.solve(A, B)
    return [str(x.dtype), str(y.dtype), x, y]


@program
def linalg_float32_list_grads_reach_bf16_leaf(torch):
    A, _ = _spd(torch, torch.bfloat16)
    A.requires_grad_()
    with torch.autocast("cpu"):
        out = torch.linalg.inv(A).sum()
    out.backward()
    return [str(out.dtype), str(A.grad.dtype), A.grad.float().abs().sum() > 0]


@program
def max_unpool_runs_in_float32(torch):
    x = data(torch, 1, 1, 4, 4, dtype=torch.bfloat16)
    v = data(torch, 1, 1, 2, 4, 4, dtype=torch.bfloat16)
    pooled, idx = torch.nn.functional.max_pool2d(x, 2, return_indices=True)
    pooled3, idx3 = torch.nn.functional.max_pool3d(v.float(), 2, return_indices=True)
    with torch.autocast("cpu"):
        out = torch.nn.functional.max_unpool2d(pooled, idx, 2)
        out3 = torch.nn.functional.max_unpool3d(pooled3.bfloat16(), idx3, 2)
    return [str(out.dtype), str(out3.dtype), out, out3]


@program
def float32_ops_outside_region_keep_refusing_bf16(torch):
    A, _ = _spd(torch, torch.bfloat16)
    try:
        torch.linalg.inv(A)
    except RuntimeError as e:
        return ["RuntimeError", "BFloat16" in str(e)]
    return "computed"


# ---- custom_fwd / custom_bwd ----------------------------------------------------------------
def _custom_mm(torch, cast_inputs):
    class MyMM(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu", cast_inputs=cast_inputs)
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            ctx.seen = [str(a.dtype), str(b.dtype), torch.is_autocast_enabled("cpu")]
            return a.mm(b)

        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            ctx.seen_bwd = [str(grad.dtype), torch.is_autocast_enabled("cpu")]
            return grad.mm(b.t()), a.t().mm(grad)

    return MyMM


@program
def custom_fwd_without_cast_runs_in_region(torch):
    MyMM = _custom_mm(torch, None)
    a = data(torch, 3, 4).requires_grad_()
    b = data(torch, 4, 2, seed=1).requires_grad_()
    with torch.autocast("cpu"):
        y = MyMM.apply(a, b)
    node = y.grad_fn
    y.float().sum().backward()
    return [str(y.dtype), node.seen, node.seen_bwd, str(a.grad.dtype), str(b.grad.dtype)]


@program
def custom_fwd_cast_inputs_float32(torch):
    MyMM = _custom_mm(torch, torch.float32)
    a = data(torch, 3, 4, dtype=torch.bfloat16).requires_grad_()
    b = data(torch, 4, 2, seed=1).requires_grad_()
    with torch.autocast("cpu"):
        y = MyMM.apply(a, b)
    node = y.grad_fn
    y.sum().backward()
    return [str(y.dtype), node.seen, node.seen_bwd, str(a.grad.dtype), str(b.grad.dtype)]


@program
def custom_fwd_cast_inputs_outside_region_does_nothing(torch):
    MyMM = _custom_mm(torch, torch.float32)
    a = data(torch, 3, 4, dtype=torch.bfloat16)
    b = data(torch, 4, 2, seed=1, dtype=torch.bfloat16)
    y = MyMM.apply(a, b)
    return [str(y.dtype), y.grad_fn is None]


@error(ValueError, r"device_type")
def custom_fwd_needs_device_type_string(torch):
    torch.amp.custom_fwd(lambda ctx, x: x, device_type=1)


# ---- GradScaler on the CPU ------------------------------------------------------------------
def _model(torch, n_in=4, n_out=2):
    lin = torch.nn.Linear(n_in, n_out)
    with torch.no_grad():
        lin.weight.copy_(data(torch, n_out, n_in, seed=10))
        lin.bias.copy_(data(torch, n_out, seed=11))
    return lin


def _scaler_state(torch, s) -> list:
    return [s.get_scale(), s._get_growth_tracker(), s.state_dict()]


@program
def scaler_scale_tensor_and_nested_containers(torch):
    s = torch.amp.GradScaler("cpu", init_scale=2.0)
    t = torch.full((1,), 4.0)
    one = s.scale(t)
    nested = s.scale([t, (t, [t * 2, t]), (t,)])
    gen = s.scale(x for x in [t, t * 3])
    return [one, nested, type(nested[1]).__name__, type(gen).__name__, list(gen), s.get_scale()]


@program
def scaler_scale_dtypes(torch):
    s = torch.amp.GradScaler("cpu", init_scale=8.0)
    outs = [
        s.scale(torch.ones(3, dtype=torch.float16)),
        s.scale(torch.tensor(2.0, dtype=torch.float16)),
        s.scale(torch.ones(2, dtype=torch.bfloat16).float()),
        s.scale(torch.ones(2, dtype=torch.float64)),
    ]
    return [str(o.dtype) for o in outs] + [o.float() for o in outs]


@error(ValueError, r"outputs must be a Tensor or an iterable of Tensors")
def scaler_scale_refuses_a_number(torch):
    torch.amp.GradScaler("cpu").scale([torch.ones(1), 3.0])


@program
def scaler_lazy_state_before_first_scale(torch):
    s = torch.amp.GradScaler("cpu", init_scale=3.0, growth_factor=4.0, backoff_factor=0.5,
                             growth_interval=2)  # fmt: skip
    before = _scaler_state(torch, s)
    s.scale(torch.ones(1))
    return [before, _scaler_state(torch, s)]


@program
def scaler_state_dict_load_before_and_after_init(torch):
    src = torch.amp.GradScaler("cpu", init_scale=3.0, growth_factor=4.0, backoff_factor=0.25,
                               growth_interval=2)  # fmt: skip
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    src.scale(p.sum()).backward()
    src.step(opt)
    src.update()
    lazy, ready = torch.amp.GradScaler("cpu"), torch.amp.GradScaler("cpu")
    ready.scale(torch.ones(1))
    lazy.load_state_dict(src.state_dict())
    ready.load_state_dict(src.state_dict())
    out = [_scaler_state(torch, x) for x in (src, lazy, ready)]
    lazy.scale(torch.ones(1))
    return out + [_scaler_state(torch, lazy), lazy.get_growth_factor(), lazy.get_backoff_factor()]


@program
def scaler_growth_and_backoff_sequence(torch):
    lin = _model(torch)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=4.0, growth_factor=2.0, backoff_factor=0.25,
                             growth_interval=2)  # fmt: skip
    x = data(torch, 3, 4, seed=1)
    history = []
    for i in range(7):
        opt.zero_grad()
        loss = lin(x).pow(2).mean()
        if i in (2, 5):
            loss = loss * float("inf")
        s.scale(loss).backward()
        ret = s.step(opt)
        s.update()
        history.append([ret, s.get_scale(), s._get_growth_tracker()])
    return [history, lin.weight.detach().clone(), lin.bias.detach().clone()]


@program
def scaler_nan_gradient_skips_step(torch):
    lin = _model(torch)
    opt = torch.optim.SGD(lin.parameters(), lr=0.5, momentum=0.9)
    s = torch.amp.GradScaler("cpu", init_scale=16.0)
    w0 = lin.weight.detach().clone()
    s.scale(lin(data(torch, 2, 4)).sum() * float("nan")).backward()
    s.step(opt)
    s.update()
    return [torch.equal(lin.weight, w0), len(opt.state), s.get_scale()]


@program
def scaler_unscale_then_clip_then_step(torch):
    lin = _model(torch)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=1024.0)
    s.scale(lin(data(torch, 5, 4, seed=3)).pow(2).sum()).backward()
    scaled = lin.weight.grad.clone()
    s.unscale_(opt)
    unscaled = lin.weight.grad.clone()
    norm = torch.nn.utils.clip_grad_norm_(lin.parameters(), 0.5)
    s.step(opt)
    s.update()
    return [scaled, unscaled, norm, lin.weight.detach().clone(), s.get_scale()]


@program
def scaler_grad_accumulation(torch):
    lin = _model(torch)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=64.0, growth_interval=1)
    for k in range(3):
        s.scale(lin(data(torch, 2, 4, seed=k)).sum() / 3).backward()
    s.step(opt)
    s.update()
    return [lin.weight.detach().clone(), lin.bias.detach().clone(), s.get_scale()]


@program
def scaler_two_optimizers_one_skips(torch):
    a, b = _model(torch), _model(torch, 4, 3)
    opt_a, opt_b = torch.optim.SGD(a.parameters(), lr=0.1), torch.optim.Adam(b.parameters())
    s = torch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=1)
    x = data(torch, 2, 4, seed=4)
    s.scale(a(x).sum()).backward()
    s.scale(b(x).sum() * float("inf")).backward()
    ra, rb = s.step(opt_a), s.step(opt_b)
    s.update()
    return [ra, rb, a.weight.detach().clone(), b.weight.detach().clone(), s.get_scale(),
            len(opt_b.state)]  # fmt: skip


@program
def scaler_growth_saturates_at_float32_max(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.0)
    s = torch.amp.GradScaler("cpu", init_scale=2.0**126, growth_factor=4.0, growth_interval=1)
    scales = []
    for _ in range(3):
        opt.zero_grad()
        s.scale(p.sum() * 0).backward()
        s.step(opt)
        s.update()
        scales.append(s.get_scale())
    return scales


@program
def scaler_update_with_new_scale(torch):
    s = torch.amp.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.update(5.5)
    a = s.get_scale()
    s.update(torch.tensor(0.75))
    b = s.get_scale()
    s.update(torch.tensor(3, dtype=torch.int64))
    return [a, b, s.get_scale(), s._get_growth_tracker()]


@program
def scaler_setters_and_growth_interval_change(torch):
    s = torch.amp.GradScaler("cpu", init_scale=2.0, growth_interval=5)
    s.set_growth_factor(3.0)
    s.set_backoff_factor(0.125)
    s.set_growth_interval(1)
    p = torch.ones(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s.scale(p.sum()).backward()
    s.step(opt)
    s.update()
    after_growth = s.get_scale()
    opt.zero_grad()
    s.scale(p.sum() * float("inf")).backward()
    s.step(opt)
    s.update()
    return [after_growth, s.get_scale(), s.get_growth_interval(), s.state_dict(), p]


@program
def scaler_disabled_is_transparent(torch):
    s = torch.amp.GradScaler("cpu", enabled=False)
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.5)
    loss = p.sum() * 3
    scaled = s.scale(loss)
    scaled.backward()
    s.unscale_(opt)
    s.step(opt)
    s.update()
    s.load_state_dict({})
    return [scaled is loss, p, s.get_scale(), s.state_dict(), s.is_enabled(),
            s._get_growth_tracker()]  # fmt: skip


@program
def scaler_step_returns_closure_free_result(torch):
    class Opt(torch.optim.SGD):
        def step(self, closure=None, tag=None):
            super().step()
            return ("stepped", tag)

    p = torch.ones(2, requires_grad=True)
    opt = Opt([p], lr=0.5)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    return [s.step(opt, tag=7), p]


@program
def scaler_bfloat16_grads_unscale(torch):
    p = torch.ones(3, dtype=torch.bfloat16, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.5)
    s = torch.amp.GradScaler("cpu", init_scale=4.0)
    s.scale(p.float().sum()).backward()
    s.unscale_(opt)
    return [str(p.grad.dtype), p.grad.float()]


@error(AssertionError, r"Attempted step but _scale is None")
def scaler_step_before_scale(torch):
    p = torch.ones(2, requires_grad=True)
    p.grad = torch.ones(2)
    torch.amp.GradScaler("cpu").step(torch.optim.SGD([p], lr=0.1))


@error(AssertionError, r"Attempted update but _scale is None")
def scaler_update_before_scale(torch):
    torch.amp.GradScaler("cpu").update()


@error(RuntimeError, r"unscale_\(\) has already been called on this optimizer since the last update\(\)")  # fmt: skip
def scaler_unscale_twice(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    s.unscale_(opt)
    s.unscale_(opt)


@error(RuntimeError, r"unscale_\(\) is being called after step\(\)")
def scaler_unscale_after_step(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    s.step(opt)
    s.unscale_(opt)


@error(RuntimeError, r"step\(\) has already been called since the last update\(\)")
def scaler_step_twice(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    s.step(opt)
    s.step(opt)


@program
def scaler_cycle_resets_after_update(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=2.0)
    for _ in range(2):
        opt.zero_grad()
        s.scale(p.sum()).backward()
        s.unscale_(opt)
        s.step(opt)
        s.update()
    return [p, s.get_scale()]


@error(RuntimeError, r"Closure use is not currently supported if GradScaler is enabled")
def scaler_step_with_closure(torch):
    p = torch.ones(2, requires_grad=True)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    s.step(torch.optim.SGD([p], lr=0.1), closure=lambda: 0.0)


@error(AssertionError, r"No inf checks were recorded for this optimizer")
def scaler_step_optimizer_without_grads(torch):
    s = torch.amp.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.step(torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=0.1))


@error(AssertionError, r"No inf checks were recorded prior to update")
def scaler_update_without_step(torch):
    s = torch.amp.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.update()


@error(ValueError, r"Attempting to unscale FP16 gradients")
def scaler_refuses_float16_grads(torch):
    p = torch.ones(2, dtype=torch.float16, requires_grad=True)
    s = torch.amp.GradScaler("cpu")
    s.scale(p.sum()).backward()
    s.unscale_(torch.optim.SGD([p], lr=0.1))


@error(RuntimeError, r"The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler")  # fmt: skip
def scaler_load_empty_state_dict(torch):
    torch.amp.GradScaler("cpu").load_state_dict(
        torch.amp.GradScaler("cpu", enabled=False).state_dict()
    )


@error(AssertionError, r"The growth factor must be > 1\.0")
def scaler_growth_factor_not_above_one(torch):
    torch.amp.GradScaler("cpu", growth_factor=1.0)


@error(AssertionError, r"The backoff factor must be < 1\.0")
def scaler_backoff_factor_not_below_one(torch):
    torch.amp.GradScaler("cpu", backoff_factor=1.5)


@error(AssertionError, r"new_scale should be a float or a 1-element")
def scaler_new_scale_with_two_elements(torch):
    s = torch.amp.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.update(torch.tensor([1.0, 2.0]))


@error(AssertionError, r"new_scale should be a float or a 1-element")
def scaler_new_scale_requiring_grad(torch):
    s = torch.amp.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.update(torch.tensor(2.0, requires_grad=True))


@program(tol={"rtol": 2e-2, "atol": 2e-3})
def autocast_and_scaler_training_loop(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            p.copy_(data(torch, *p.shape, seed=20 + k) * 0.3)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    s = torch.amp.GradScaler("cpu", init_scale=256.0, growth_interval=2)
    x, y = data(torch, 10, 6, seed=30), torch.arange(10) % 3
    losses = []
    for _ in range(4):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model(x)
            loss = torch.nn.functional.cross_entropy(out, y)
        s.scale(loss).backward()
        s.step(opt)
        s.update()
        losses.append(loss.detach())
    return [str(out.dtype), str(loss.dtype), losses, s.get_scale(), model[0].weight.detach()]


# ---- save / load ----------------------------------------------------------------------------
def _round(torch, obj, **load_kw):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **load_kw)


def _layout(t) -> list:
    return [t, tuple(t.stride()), t.storage_offset(), t.is_contiguous()]


@program
def every_dtype_round_trips(torch):
    kinds = [torch.float16, torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8,
             torch.int8, torch.int16, torch.bool]  # fmt: skip
    saved = [(torch.arange(6) % 3).reshape(2, 3).to(k) for k in kinds]
    saved.append(data(torch, 3, dtype=torch.bfloat16))
    back = _round(torch, saved)
    bf = back.pop()
    return [str(bf.dtype), torch.equal(bf, saved[-1])] + back


@program
def bfloat16_values_and_view_round_trip(torch):
    x = data(torch, 4, 4, dtype=torch.bfloat16)
    a, b = _round(torch, [x, x[1:, ::2]])
    b.fill_(1.0)
    return [str(a.dtype), a.view(torch.int16), tuple(b.stride()), b.storage_offset()]


@program
def shapes_strides_offsets_survive(torch):
    base = torch.arange(60.0).reshape(3, 4, 5)
    views = [base.permute(2, 0, 1), base[:, 1], base[1:, :, 2:4], base.transpose(0, 2)[1],
             base.view(-1)[7:19].view(3, 4), base[::2, ::3, ::2]]  # fmt: skip
    back = _round(torch, views)
    return [x for v in back for x in _layout(v)]


@program
def views_saved_in_separate_calls_do_not_share(torch):
    x = torch.arange(6.0)
    a = _round(torch, x[:3])
    b = _round(torch, x[2:])
    a[2] = 99.0
    return [a, b, a.storage_offset(), b.storage_offset(), a.untyped_storage().nbytes()]


@program
def tensor_referenced_twice_in_nested_containers(torch):
    t = torch.ones(2)
    out = _round(torch, {"a": [t, (t, {"deep": t})], "b": t[1:]})
    first = out["a"][0]
    out["b"].add_(5)
    return [first is out["a"][1][0], first is out["a"][1][1]["deep"], first]


@program
def requires_grad_and_leafness_after_load(torch):
    w = torch.ones(3, requires_grad=True)
    y = w * 2
    p = torch.nn.Parameter(torch.zeros(2))
    frozen = torch.nn.Parameter(torch.zeros(2), requires_grad=False)
    back = _round(torch, {"w": w, "y": y, "p": p, "frozen": frozen, "d": w.detach()})
    return {
        k: [type(v).__name__, v.requires_grad, v.is_leaf, v.grad is None] for k, v in back.items()
    }


@program
def tensor_python_attributes_round_trip(torch):
    t = torch.arange(3.0)
    t.note = "scaled"
    t.meta = {"k": 3, "shape": torch.Size([3]), "other": torch.zeros(1)}
    p = torch.nn.Parameter(torch.ones(2))
    p.tag = ("x", 1)
    back_t, back_p = _round(torch, [t, p])
    return [back_t.note, back_t.meta, back_p.tag, type(back_p).__name__, back_t]


@program
def module_state_dict_round_trip_and_load(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    net(data(torch, 5, 3))  # running stats move
    sd = _round(torch, net.state_dict())
    other = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2)
    )
    res = other.load_state_dict(sd)
    same = all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), other.state_dict().values()))  # fmt: skip
    return [type(sd).__name__, list(sd), sd._metadata, list(res.missing_keys), same,
            sd["1.num_batches_tracked"], str(sd["1.num_batches_tracked"].dtype)]  # fmt: skip


@program
def optimizer_and_scaler_checkpoint(torch):
    lin = _model(torch)
    opt = torch.optim.Adam(lin.parameters(), lr=0.01)
    s = torch.amp.GradScaler("cpu", init_scale=32.0, growth_interval=1)
    for k in range(2):
        opt.zero_grad()
        s.scale(lin(data(torch, 2, 4, seed=k)).sum()).backward()
        s.step(opt)
        s.update()
    ckpt = _round(torch, {"model": lin.state_dict(), "opt": opt.state_dict(),
                          "scaler": s.state_dict(), "epoch": 2})  # fmt: skip
    lin2 = _model(torch)
    opt2 = torch.optim.Adam(lin2.parameters(), lr=0.5)
    s2 = torch.amp.GradScaler("cpu")
    lin2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    s2.load_state_dict(ckpt["scaler"])
    for o, sc, m in ((opt, s, lin), (opt2, s2, lin2)):
        o.zero_grad()
        sc.scale(m(data(torch, 2, 4, seed=9)).sum()).backward()
        sc.step(o)
        sc.update()
    return [ckpt["epoch"], ckpt["scaler"], s2.get_scale(), torch.equal(lin.weight, lin2.weight),
            opt2.param_groups[0]["lr"], ckpt["opt"]["state"][0]["step"]]  # fmt: skip


@program
def nested_containers_and_python_values(torch):
    obj = {
        "ints": [1, -2, 2**40], "floats": (1.5, float("inf"), -0.0), "none": None,
        "flags": [True, False], "text": "héllo", "nested": {"a": [{"b": (torch.ones(1),)}]},
        "odict": collections.OrderedDict([("z", 1), ("a", 2)]), 1: "int key", (1, 2): "tuple key",
        "size": torch.Size([2, 3]), "dtype": torch.bfloat16, "device": torch.device("cpu"),
        "empty": [[], (), {}],
    }  # fmt: skip
    back = _round(torch, obj)
    return [list(back), type(back["odict"]).__name__, list(back["odict"]), back["floats"],
            back["ints"], back[1], back[(1, 2)], back["size"], back["dtype"], back["device"],
            back["empty"], back["nested"], back["text"]]  # fmt: skip


@program
def map_location_forms_give_cpu_tensors(torch):
    src = {"w": torch.arange(3.0)}
    outs = [_round(torch, src, map_location=m)["w"] for m in
            ("cpu", torch.device("cpu"), {"cpu": "cpu"}, lambda storage, loc: storage)]  # fmt: skip
    return [str(t.device) for t in outs] + outs


@program
def load_from_path_and_open_file(torch):
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        torch.save({"x": torch.arange(4)}, path)
        a = torch.load(path)
        with open(path, "rb") as f:
            b = torch.load(f)
        with open(os.path.join(d, "second.pt"), "wb") as f:
            torch.save([torch.ones(2)], f)
        c = torch.load(os.path.join(d, "second.pt"), weights_only=True)
    return [a, b, c]


@program
def pickle_module_argument_turns_weights_only_off(torch):
    buf = io.BytesIO()
    torch.save([Point(1, torch.ones(2))], buf)
    buf.seek(0)
    (back,) = torch.load(buf, pickle_module=pickle)
    return [type(back).__name__, back.x, back.y]


@error(RuntimeError, r"Can not safely load weights when explicit pickle_module is specified")
def pickle_module_with_weights_only_true(torch):
    _round(torch, torch.ones(2), pickle_module=pickle, weights_only=True)


@error(ValueError, r"f must be a file path in order to use the mmap argument")
def mmap_needs_a_path(torch):
    _round(torch, torch.ones(2), mmap=True)


@error(TypeError, r"cannot pickle 'generator' object")
def generator_cannot_be_saved(torch):
    torch.save({"g": (i for i in range(3))}, io.BytesIO())


@error(FileNotFoundError, r"No such file or directory")
def load_missing_path(torch):
    torch.load("/nonexistent-dir-m1/ckpt.pt")


@program
def truncated_checkpoint_raises_runtime_error(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.ones(64)}, buf)
    try:
        torch.load(io.BytesIO(buf.getvalue()[:-100]))
    except RuntimeError:
        return "RuntimeError"
    return "loaded"


@program
def weights_only_default_accepts_plain_types(torch):
    obj = {"t": torch.ones(2, dtype=torch.int32), "s": torch.Size([1]), "d": torch.float64,
           "c": 1 + 2j, "b": b"raw", "set": {1, 2}, "od": collections.OrderedDict(a=1)}  # fmt: skip
    back = _round(torch, obj, weights_only=True)
    return [back["t"], back["s"], back["d"], back["c"], back["b"], sorted(back["set"]),
            type(back["od"]).__name__]  # fmt: skip


@program
def loaded_tensor_is_writable_and_independent(torch):
    src = torch.arange(4.0)
    back = _round(torch, src)
    back.mul_(10)
    back.requires_grad_()
    (back * back).sum().backward()
    return [src, back.detach(), back.grad]


@program
def empty_and_zero_dim_and_large_strides(torch):
    z = torch.zeros(0, 3)
    s = torch.tensor(2.5)
    e = torch.ones(3, 1).expand(3, 4)
    back = _round(torch, [z, s, e, torch.empty(2, 0, 5)])
    return [back[0].shape, back[1], back[1].dim(), back[2], tuple(back[2].stride()),
            back[3].shape]  # fmt: skip


@program
def defaultdict_round_trip_keeps_factory(torch):
    d = collections.defaultdict(list, {"a": [torch.ones(1)], "b": []})
    back = _round(torch, {"d": d, "none": collections.defaultdict(None, x=1)}, weights_only=False)
    back["d"]["new"].append(2)
    return [type(back["d"]).__name__, back["d"].default_factory is list, dict(back["d"]),
            back["none"].default_factory, dict(back["none"])]  # fmt: skip


@error(
    pickle.UnpicklingError,
    r"Unsupported global: GLOBAL collections\.defaultdict was not an allowed global",
)
def defaultdict_refused_by_weights_only(torch):
    _round(torch, collections.defaultdict(int, a=1))


@program
def dict_and_list_subclasses_keep_their_type(torch):
    reg = Registry(w=torch.arange(3.0), n=2)
    reg.owner = "me"
    hist = History([1.5, torch.zeros(2)])
    back = _round(torch, [reg, hist], weights_only=False)
    return [type(back[0]).__name__, dict(back[0]), back[0].owner, type(back[1]).__name__,
            list(back[1])]  # fmt: skip


@error(
    pickle.UnpicklingError, r"Unsupported global: GLOBAL test_sweep23_amp_serialization\.Registry"
)
def dict_subclass_refused_by_weights_only(torch):
    _round(torch, Registry(a=1))


@program
def scaler_unscale_then_update_without_step(torch):
    p = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=1)
    s.scale(p.sum() * float("-inf")).backward()
    s.unscale_(opt)
    s.update()
    after_inf = s.get_scale()
    opt.zero_grad()
    s.scale(p.sum()).backward()
    s.unscale_(opt)
    s.update()
    return [after_inf, s.get_scale(), p.grad, p]


@program
def scaler_params_without_grads_and_param_groups(torch):
    a, b, c = (torch.full((2,), float(k), requires_grad=True) for k in (1, 2, 3))
    opt = torch.optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=3.0)
    s.scale((a * 2 + c).sum()).backward()
    s.step(opt)
    s.update()
    return [a, b, c, b.grad, a.grad, c.grad, s.get_scale()]


@program
def scaler_inverse_scale_rounds_in_float32(torch):
    p = torch.tensor([1.0, -2.0, 3.5], requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0)
    s = torch.amp.GradScaler("cpu", init_scale=3.0)
    s.scale((p * torch.tensor([0.1, 0.7, 1.3])).sum()).backward()
    scaled = p.grad.clone()
    s.unscale_(opt)
    return [scaled, p.grad, s.get_scale(), type(s.get_scale()).__name__]


@program
def scaler_float16_model_float32_master_grads(torch):
    w16 = data(torch, 3, 3, dtype=torch.float16)
    master = w16.float().requires_grad_()
    opt = torch.optim.SGD([master], lr=0.1)
    s = torch.amp.GradScaler("cpu", init_scale=2.0**10)
    x = data(torch, 2, 3, seed=3, dtype=torch.float16)
    out = (x @ master.half()).float().pow(2).mean()
    s.scale(out).backward()
    s.step(opt)
    s.update()
    return [str(master.grad.dtype), master.detach(), s.get_scale()]


@program
def custom_fwd_casts_nested_inputs_but_not_float64(torch):
    class F(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu", cast_inputs=torch.float32)
        def forward(ctx, x, d, i, lst, dct, scalar):
            ctx.info = [dtypes(x, d, i), dtypes(*lst), dtypes(*dct.values()), scalar]
            return x * 2

        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            ctx.binfo = [torch.is_autocast_enabled("cpu"), str(g.dtype)]
            return g * 2, None, None, None, None, None

    x = torch.ones(2, dtype=torch.bfloat16, requires_grad=True)
    args = (torch.ones(2, dtype=torch.float64), torch.ones(2, dtype=torch.int64),
            [torch.ones(1, dtype=torch.bfloat16)], {"k": torch.ones(1, dtype=torch.float16)}, 3)  # fmt: skip
    with torch.autocast("cpu"):
        y = F.apply(x, *args)
    y.sum().backward()
    return [y.grad_fn.info, y.grad_fn.binfo, str(y.dtype), str(x.grad.dtype), x.grad.float()]


@program
def custom_bwd_runs_backward_in_forwards_autocast_state(torch):
    class G(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu")
        def forward(ctx, x):
            return x @ x

        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            ctx.seen = [torch.is_autocast_enabled("cpu"), str(torch.get_autocast_dtype("cpu"))]
            return g @ torch.ones(2, 2)

    x = torch.ones(2, 2, requires_grad=True)
    with torch.autocast("cpu", dtype=torch.float16):
        y = G.apply(x)
    node = y.grad_fn
    y.float().sum().backward()
    return [node.seen, str(y.dtype), str(x.grad.dtype), x.grad]


@program
def checkpoint_recomputes_under_forwards_autocast(torch):
    from importlib import import_module

    ck = import_module(torch.__name__ + ".utils.checkpoint")
    out = []
    for reentrant in (True, False):
        x = data(torch, 3, 4).requires_grad_()
        w = data(torch, 4, 4, seed=1).requires_grad_()
        with torch.autocast("cpu"):
            y = ck.checkpoint(lambda a, b: (a @ b).relu().sum(-1), x, w, use_reentrant=reentrant)
        y.float().sum().backward()  # outside the region: the recomputation still runs in bfloat16
        out += [str(y.dtype), x.grad, w.grad]
    return out
