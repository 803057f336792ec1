"""Sweep 18: CPU autocast in bfloat16 (PyTorch's default there) and float16, bfloat16 random
draws, and bfloat16 leftovers, against PyTorch 2.13: bfloat16 results compared bit for bit
(as int16 views), float32 ones at the harness's tolerance."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def bits(torch, t):
    """A tensor's bits when it is bfloat16 (the harness reads tensors through numpy, which
    PyTorch refuses for bfloat16), else the tensor."""
    t = t.detach()
    return t.view(torch.int16) if t.dtype == torch.bfloat16 else t


def data(torch, *shape, seed=0, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g) * scale


def out_and_grads(torch, out, *leaves):
    """The output's dtype and bits, and each leaf's gradient (dtype and bits) after
    backward of the output's float32 sum."""
    out.float().sum().backward()
    return [str(out.dtype), bits(torch, out)] + [
        (str(x.grad.dtype), bits(torch, x.grad)) for x in leaves
    ]


# ---- the default dtype and the region's arguments ---------------------------------------------
@program
def default_cpu_autocast_dtype_is_bfloat16(torch):
    x = data(torch, 4, 8)
    with torch.autocast("cpu"):
        inside = torch.get_autocast_dtype("cpu")
        y = x @ x.T
    return str(torch.get_autocast_dtype("cpu")), str(inside), bits(torch, y)


@program
def autocast_device_type_keyword(torch):
    x, w = data(torch, 3, 5), data(torch, 4, 5, seed=1)
    with torch.autocast(device_type="cpu"):
        y = torch.nn.functional.linear(x, w)
    return str(y.dtype), bits(torch, y)


@program
def deprecated_cpu_amp_autocast_defaults_to_bfloat16(torch):
    x = data(torch, 4, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.cpu.amp.autocast():
            y = torch.mm(x, x)
    return str(y.dtype), bits(torch, y)


@program
def autocast_decorator_bfloat16(torch):
    @torch.autocast("cpu", dtype=torch.bfloat16)
    def f(a, b):
        return torch.matmul(a, b)

    y = f(data(torch, 2, 3, 4), data(torch, 4, 5, seed=2))
    return str(y.dtype), bits(torch, y)


@program
def is_autocast_enabled_cpu(torch):
    with torch.autocast("cpu"):
        on = torch.is_autocast_enabled("cpu")
        with torch.autocast("cpu", enabled=False):
            off = torch.is_autocast_enabled("cpu")
    return on, off, torch.is_autocast_enabled("cpu")


@program
def unsupported_cpu_autocast_dtype_disables_it(torch):
    x = data(torch, 3, 3)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with torch.autocast("cpu", dtype=torch.float64):
            y = x @ x
    return str(y.dtype), any("Disabling autocast" in str(w.message) for w in seen)


# ---- the lower-precision list: outputs and gradients, bit for bit -----------------------------
@program
def linear_bf16_grads(torch):
    x = data(torch, 6, 10).requires_grad_()
    lin = torch.nn.Linear(10, 7)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = lin(x)
    return out_and_grads(torch, y, x, lin.weight, lin.bias)


@program
def matmul_batched_bf16_grads(torch):
    a = data(torch, 2, 5, 8).requires_grad_()
    b = data(torch, 8, 3, seed=1).requires_grad_()
    with torch.autocast("cpu"):
        y = a @ b
    return out_and_grads(torch, y, a, b)


@program
def bmm_bf16_grads(torch):
    a = data(torch, 3, 4, 6).requires_grad_()
    b = data(torch, 3, 6, 2, seed=1).requires_grad_()
    with torch.autocast("cpu"):
        y = torch.bmm(a, b)
    return out_and_grads(torch, y, a, b)


@program
def baddbmm_bf16_float32_input(torch):
    c = data(torch, 2, 4, 4, seed=3).requires_grad_()
    a = data(torch, 2, 4, 6).requires_grad_()
    b = data(torch, 2, 6, 4, seed=1)
    with torch.autocast("cpu"):
        y = torch.baddbmm(c, a, b, beta=0.5, alpha=2.0)
    return out_and_grads(torch, y, c, a)


@program
def addmm_bf16_float32_bias(torch):
    bias = data(torch, 5, seed=4).requires_grad_()
    a = data(torch, 3, 7).requires_grad_()
    b = data(torch, 7, 5, seed=1)
    with torch.autocast("cpu"):
        y = torch.addmm(bias, a, b)
    return out_and_grads(torch, y, bias, a)


@program
def addbmm_bf16(torch):
    m = data(torch, 4, 4, seed=3)
    a, b = data(torch, 3, 4, 5), data(torch, 3, 5, 4, seed=1)
    with torch.autocast("cpu"):
        y = torch.addbmm(m, a, b)
    return str(y.dtype), bits(torch, y)


@program
def mv_and_dot_are_not_cast_on_cpu(torch):
    m, v = data(torch, 4, 6), data(torch, 6, seed=1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        r = torch.mv(m, v), torch.dot(v, v), m.mv(v)
    with torch.autocast("cpu", dtype=torch.float16):
        h = torch.mv(m, v), torch.dot(v, v)
    return [str(t.dtype) for t in r + h], r[0], h[1]


@program
def mv_of_bfloat16_and_float32_under_autocast_raises(torch):
    m, v = data(torch, 4, 6), data(torch, 6, seed=1)
    with torch.autocast("cpu"):
        y = torch.mm(m, m.T)  # bfloat16
        try:
            torch.mv(y, v[:4])
        except RuntimeError:
            return "raised"
    return "no error"


@program
def conv2d_bf16_grads(torch):
    x = data(torch, 2, 3, 8, 8).requires_grad_()
    conv = torch.nn.Conv2d(3, 4, 3, padding=1)
    with torch.autocast("cpu"):
        y = conv(x)
    return out_and_grads(torch, y, x, conv.weight, conv.bias)


@program
def conv1d_bf16_grads(torch):
    x = data(torch, 2, 3, 12).requires_grad_()
    conv = torch.nn.Conv1d(3, 5, 3, stride=2)
    with torch.autocast("cpu"):
        y = conv(x)
    return out_and_grads(torch, y, x, conv.weight)


@program
def conv_transpose2d_bf16(torch):
    x = data(torch, 1, 4, 5, 5)
    conv = torch.nn.ConvTranspose2d(4, 2, 3, stride=2, bias=False)
    with torch.autocast("cpu"):
        y = conv(x)
    return str(y.dtype), bits(torch, y)


@program
def einsum_and_tensordot_bf16(torch):
    a, b = data(torch, 3, 4), data(torch, 4, 5, seed=1)
    with torch.autocast("cpu"):
        e = torch.einsum("ij,jk->ik", a, b)
        t = torch.tensordot(a, b, 1)
    return str(e.dtype), str(t.dtype), bits(torch, e), bits(torch, t)


@program
def sdpa_bf16(torch):
    q, k, v = (data(torch, 2, 2, 5, 4, seed=s).requires_grad_() for s in range(3))
    with torch.autocast("cpu"):
        y = torch.nn.functional.scaled_dot_product_attention(q, k, v)
    y.float().sum().backward()
    return str(y.dtype), [str(t.grad.dtype) for t in (q, k, v)]


@program
def prelu_bf16(torch):
    x = data(torch, 4, 3)
    with torch.autocast("cpu"):
        y = torch.nn.functional.prelu(x, torch.tensor([0.25]))
    return str(y.dtype), bits(torch, y)


# ---- the float32 list and the ops left alone ---------------------------------------------------
@program
def cpu_float32_list_on_bfloat16_inputs(torch):
    F = torch.nn.functional
    x = data(torch, 4, 6).bfloat16()
    t = torch.tensor([0, 2, 5, 1])
    v = data(torch, 1, 2, 3, 4, 4).bfloat16()
    img = data(torch, 1, 2, 5, 5).bfloat16()
    with torch.autocast("cpu"):
        outs = [
            x.prod(),
            F.cross_entropy(x, t),
            F.mse_loss(x, x * 2),
            F.l1_loss(x, x * 0.5),
            F.smooth_l1_loss(x, x * 0.5),
            torch.cdist(x, x),
            torch.trace(x[:, :4]),
            F.avg_pool3d(v, 2),
            F.max_pool3d(v, 2),
            F.adaptive_avg_pool3d(v, 1),
            F.adaptive_max_pool3d(v, 1),
            F.grid_sample(img, torch.zeros(1, 2, 2, 2).bfloat16(), align_corners=False),
            F.fractional_max_pool2d(img, 2, output_size=2),
        ]
    return [str(o.dtype) for o in outs]


@program
def ops_cpu_autocast_leaves_in_bfloat16(torch):
    F = torch.nn.functional
    x = data(torch, 4, 6).bfloat16()
    with torch.autocast("cpu"):
        outs = [
            F.softmax(x, -1),
            x.sum(),
            x.exp(),
            F.layer_norm(x, (6,)),
            F.gelu(x),
            x.cumsum(0),
            x.pow(2),
            F.pad(x[None], (1, 1), mode="constant"),
        ]
    return [str(o.dtype) for o in outs]


@program
def float32_ops_leave_float32_inputs_alone(torch):
    x = data(torch, 4, 6)
    with torch.autocast("cpu"):
        return [str(o.dtype) for o in (x.softmax(-1), x.sum(), x.exp(), torch.trace(x[:, :4]))]


# ---- models and a training loop --------------------------------------------------------------
@program
def mlp_cross_entropy_bf16_grads(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    x, t = data(torch, 10, 8), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    with torch.autocast("cpu"):
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits, t)
    loss.backward()
    return (
        str(logits.dtype),
        str(loss.dtype),
        loss,
        [(str(p.grad.dtype), p.grad) for p in model.parameters()],
    )


@program
def lstm_like_cell_bf16(torch):
    torch.manual_seed(0)
    ih, hh = torch.nn.Linear(4, 12), torch.nn.Linear(4, 12)
    x, h, c = data(torch, 5, 2, 4), torch.zeros(2, 4), torch.zeros(2, 4)
    with torch.autocast("cpu"):
        for step in x:
            i, f, g = (ih(step) + hh(h)).chunk(3, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.tanh(c)
    return str(h.dtype), str(c.dtype), h


@program
def training_loop_bf16_forward_float32_master(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = data(torch, 16, 6), data(torch, 16, 1, seed=5)
    losses = []
    for _ in range(4):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.dtype for p in model.parameters()], [p.detach() for p in model.parameters()]


@program
def attention_block_bf16(torch):
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    x = data(torch, 2, 5, 8)
    with torch.autocast("cpu"):
        y, w = mha(x, x, x)
    return str(y.dtype), str(w.dtype)


@program
def float16_cpu_autocast_still_as_pytorch(torch):
    x = data(torch, 6, 10).requires_grad_()
    lin = torch.nn.Linear(10, 7)
    with torch.autocast("cpu", dtype=torch.float16):
        y = lin(x)
        p = torch.addmm(lin.bias, x, lin.weight.T)
    y.float().sum().backward()
    return str(y.dtype), str(p.dtype), y, p, x.grad, lin.weight.grad


# ---- bfloat16 random draws (the CPU stream is PyTorch's) ---------------------------------------
@program
def randn_bf16_counts(torch):
    return [bits(torch, torch.randn(n, dtype=torch.bfloat16)) for n in (5, 16, 21, 37, 100)]


@program
def normal_inplace_bf16(torch):
    return bits(torch, torch.empty(3, 13, dtype=torch.bfloat16).normal_(1.5, 0.25))


@program
def randn_like_bf16(torch):
    return bits(torch, torch.randn_like(torch.zeros(5, 7, dtype=torch.bfloat16)))


@program
def randint_bf16_bounds_past_256(torch):
    return [
        bits(torch, torch.randint(-5, 300, (12,), dtype=torch.bfloat16)),
        bits(torch, torch.randint(-1000, 7, (12,), dtype=torch.bfloat16)),
        bits(torch, torch.randint(0, 100, (12,), dtype=torch.bfloat16)),
    ]


@program
def random_inplace_bf16_bounds(torch):
    return bits(torch, torch.empty(10, dtype=torch.bfloat16).random_(-300, 1001))


@program
def randint_float16_bounds_past_2048(torch):
    return torch.randint(3, 5000, (20,), dtype=torch.float16).float()


@program
def linspace_bf16(torch):
    return [
        bits(torch, torch.linspace(a, b, n, dtype=torch.bfloat16))
        for a, b, n in ((-1.3, 2.7, 11), (0, 1, 7), (-10, 10, 50), (5, -7, 64))
    ]


# ---- bfloat16 ops outside autocast: computed in float32, rounded once ---------------------------
def bf16(torch, *shape, seed=0, scale=3.0):
    return (data(torch, *shape, seed=seed) * scale).bfloat16()


@program
def sigmoid_softmax_bf16_bits(torch):
    F = torch.nn.functional
    x = bf16(torch, 8, 64)
    outs = (torch.sigmoid(x), F.softmax(x, -1), F.softmax(x, 0), x * x.sigmoid())
    return [bits(torch, o) for o in outs]


@program
def clamp_and_hardtanh_keep_bf16(torch):
    F = torch.nn.functional
    x = bf16(torch, 50)
    outs = (x.clamp(-0.5, 0.5), x.clamp(min=0.3), F.hardtanh(x), F.relu6(x), F.leaky_relu(x, 0.1))
    return [str(o.dtype) for o in outs] + [bits(torch, o) for o in outs]


@program
def einsum_bf16_rounds_once(torch):
    a, b = bf16(torch, 3, 40), bf16(torch, 40, 5, seed=1)
    return bits(torch, torch.einsum("ij,jk->ik", a, b)), bits(torch, torch.einsum("bi,bi->b", a, a))


@program
def add_product_family_bf16(torch):
    c, a, b = bf16(torch, 2, 4, 5), bf16(torch, 2, 4, 9, seed=1), bf16(torch, 2, 9, 5, seed=2)
    return [
        bits(torch, torch.baddbmm(c, a, b, beta=0.5, alpha=2.0)),
        bits(torch, torch.addmm(c[0], a[0], b[0])),
        bits(torch, torch.addmm(c[0, 0], a[0], b[0], alpha=1.5)),
        bits(torch, torch.addbmm(c[0], a, b, beta=0.3)),
    ]


@program
def add_product_family_float16(torch):
    c, a, b = (bf16(torch, *s, seed=i).half() for i, s in enumerate(((4, 5), (3, 4, 9), (3, 9, 5))))
    return torch.addbmm(c, a, b), torch.baddbmm(c, a, b, alpha=0.5)


@program
def conv2d_bf16_bias_and_input_grad(torch):
    x = bf16(torch, 2, 3, 7, 7).requires_grad_()
    w, b = bf16(torch, 4, 3, 3, 3, seed=1).requires_grad_(), bf16(torch, 4, seed=2)
    y = torch.nn.functional.conv2d(x, w, b, padding=1)
    y.backward(bf16(torch, *y.shape, seed=3))
    return bits(torch, y), bits(torch, x.grad), bits(torch, w.grad)


@program
def matmul_batched_by_matrix_bf16_weight_grad(torch):
    a = bf16(torch, 3, 5, 8)
    w = bf16(torch, 8, 4, seed=1).requires_grad_()
    (a @ w).backward(bf16(torch, 3, 5, 4, seed=2))
    return bits(torch, w.grad)


@program
def dist_bf16(torch):
    x = bf16(torch, 6)
    return bits(torch, torch.dist(x, x * 2)), bits(torch, torch.dist(x, x.flip(0), p=1))


@error(TypeError, r"only implemented on integer and Boolean-type tensors")
def invert_bf16_raises(torch):
    return ~bf16(torch, 3)


@program
def module_bfloat16_linear(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(6, 3).bfloat16()
    y = lin(bf16(torch, 2, 6))
    return str(lin.weight.dtype), bits(torch, y)


@program
def mul_by_number_bf16_grad(torch):
    x = bf16(torch, 5).requires_grad_()
    (x * 0.3).float().sum().backward()
    return bits(torch, x.grad)


@program
def layer_norm_and_group_norm_bf16(torch):
    F = torch.nn.functional
    x = bf16(torch, 4, 6, 5)
    w, b = bf16(torch, 5, seed=1), bf16(torch, 5, seed=2)
    outs = (F.layer_norm(x, (5,), w, b), F.group_norm(x, 2), F.layer_norm(x, (6, 5)))
    return [bits(torch, o) for o in outs]


test_program = SWEEP.test()
