"""Sweep 30 (nn level): divergences the differential fuzzers (tests/test_fuzz_*.py) found on
seeds beyond their test ranges, each pinned by a program against PyTorch."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _mha(torch, **masks):
    """An integer (L, N, E) query through a float64 MultiheadAttention (test_fuzz_modules
    23, 20018, 20071)."""
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(6, 2).double()
    x = (torch.arange(3 * 4 * 6).reshape(3, 4, 6) % 5).transpose(0, 1)
    return m(x, x, x, **masks)


@error(RuntimeError, r"^value cannot be converted to type int64_t without overflow")
def mha_integer_query_bool_mask(torch):
    """A bool mask becomes a float one of the query's dtype first (PyTorch's _canonical_mask:
    masked_fill_ of -inf), before the projections; minitorch raised Python's OverflowError."""
    _mha(torch, attn_mask=torch.ones(4, 4, dtype=torch.bool).triu(1))


@error(RuntimeError, r"^value cannot be converted to type int64_t without overflow")
def mha_functional_integer_query_key_padding_mask(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(6, 2).double()
    x = torch.ones(4, 3, 6, dtype=torch.long)
    pad = torch.zeros(3, 4, dtype=torch.bool)
    torch.nn.functional.multi_head_attention_forward(
        x, x, x, 6, 2, m.in_proj_weight, m.in_proj_bias, None, None, False, 0.0,
        m.out_proj.weight, m.out_proj.bias, key_padding_mask=pad,
    )  # fmt: skip


@error(RuntimeError, r"^expected m1 and m2 to have the same dtype, but got: long int != double")
def mha_integer_query_no_mask(torch):
    """The (L, N, E) view of a batch-first input does not fold into rows, but the weight
    requires grad: PyTorch's matmul folds it anyway (mm's words; minitorch gave addmm's)."""
    _mha(torch)


@program
def linear_dtype_errors_follow_the_kernel(torch):
    """F.linear's mixed-dtype message is that of the kernel PyTorch picks: addmm for a 2-D
    or contiguous input with a bias, else matmul's mm (the leading dims fold into rows, or
    the weight requires grad) or bmm."""
    out = []
    for rg in (False, True):
        w = torch.ones(3, 4, dtype=torch.float64, requires_grad=rg)
        b = torch.ones(3, dtype=torch.float64)
        inputs = [torch.ones(2, 5, 4).transpose(0, 1), torch.ones(5, 4, 2).transpose(1, 2),
                  torch.ones(5, 2, 4), torch.ones(4, 5).t(), torch.ones(5, 2, 4).long()]  # fmt: skip
        for x in inputs:
            for bias in (b, None):
                try:
                    torch.nn.functional.linear(x, w, bias)
                except RuntimeError as e:
                    out.append(str(e)[:60])
    return out


@program
def conv_dtype_error_names_onednn_for_grouped_inputs(torch):
    """PyTorch's use_mkldnn: a grouped float32 convolution goes to oneDNN (its words), a
    kernel must be both taller and wider than 3 (a 1-D one never is) to send a small single
    image there, and conv3d counts the first four dims of the input only."""
    F, out = torch.nn.functional, []
    calls = [
        lambda: F.conv1d(torch.ones(1, 4, 8), torch.ones(4, 2, 3, dtype=torch.float64), groups=2),
        lambda: F.conv1d(torch.ones(1, 4, 8), torch.ones(4, 4, 5, dtype=torch.float64)),
        lambda: F.conv1d(torch.ones(4, 8), torch.ones(4, 1, 3).half(), padding=1, groups=4),
        lambda: F.conv2d(torch.ones(1, 2, 6, 6), torch.ones(2, 2, 5, 2, dtype=torch.float64)),
        lambda: F.conv2d(
            torch.ones(1, 2, 6, 6),
            torch.ones(2, 1, 3, 3, dtype=torch.float64),
            padding="same",
            groups=2,
        ),  # fmt: skip
        lambda: F.conv3d(torch.ones(1, 2, 4, 6, 6), torch.ones(2, 2, 1, 3, 3, dtype=torch.float64)),
        lambda: F.conv_transpose1d(
            torch.ones(1, 2, 6), torch.ones(2, 1, 3, dtype=torch.float64), groups=2
        ),  # fmt: skip
    ]
    for call in calls:
        try:
            call()
        except RuntimeError as e:
            out.append(str(e)[:40])
    return out


@program
def norm_parameter_shape_errors_name_no_op(torch):
    """PyTorch's layer_norm / group_norm shape errors start with 'Expected' (minitorch put
    'layer_norm: ' first; test_fuzz_module_api 20140)."""
    F, out = torch.nn.functional, []
    x = torch.ones(2, 4, 3)
    calls = [lambda: F.layer_norm(x, (3,), torch.ones(2)), lambda: F.layer_norm(x, (3,), None, torch.ones(4)),
             lambda: F.group_norm(x, 2, torch.ones(3)), lambda: torch.nn.LayerNorm(3, bias=False)(x[..., :2])]  # fmt: skip
    for call in calls:
        try:
            call()
        except RuntimeError as e:
            out.append(str(e))
    return out


@program
def instance_norm_eps_zero_constant_channel(torch):
    """batch norm's 1/std is 0 where the variance and eps are both 0 (ATen's InvStd), so
    instance_norm(eps=0) of a constant channel gives 0 and zero gradients, not NaN
    (test_fuzz_normalization 21362); layer and group norm give NaN."""
    F, out = torch.nn.functional, []
    for dtype in (torch.float32, torch.float64, torch.bfloat16):
        x = torch.full((2, 3, 4), 0.7, dtype=dtype, requires_grad=True)
        for stats in (None, (torch.zeros(3), torch.ones(3))):
            y = F.instance_norm(x, *(stats or (None, None)), eps=0.0)
            (g,) = torch.autograd.grad((y * torch.arange(24.0).reshape(2, 3, 4)).sum(), [x])
            out += [y.double(), g.double()]
    x = torch.full((2, 3, 4), 0.7, requires_grad=True)
    return out + [F.group_norm(x, 3, eps=0.0), F.layer_norm(x, (4,), eps=0.0)]


@program
def conv_transpose_on_onednn_checks_no_output_size(torch):
    """A transposed convolution PyTorch runs on oneDNN (grouped, or a batch of more than one,
    in float32) gives an empty result for an output size of 0 and oneDNN's errors for a
    negative one or a dilation of 0; its own kernel refuses them in its words
    (test_fuzz_spatial 20461, 21687, 22729)."""
    F, out = torch.nn.functional, []
    calls = [
        lambda: F.conv_transpose1d(
            torch.ones(2, 2, 1), torch.ones(2, 1, 2), stride=3, padding=1, groups=2
        ),
        lambda: F.conv_transpose1d(torch.ones(2, 2, 1), torch.ones(2, 2, 2), stride=3, padding=1),
        lambda: F.conv_transpose1d(torch.ones(1, 2, 1), torch.ones(2, 2, 2), stride=3, padding=1),
        lambda: F.conv_transpose1d(
            torch.ones(1, 2, 1).double(),
            torch.ones(2, 1, 2).double(),
            stride=3,
            padding=1,
            groups=2,
        ),
        lambda: F.conv_transpose1d(torch.ones(2, 2, 1), torch.ones(2, 2, 2), stride=3, padding=2),
        lambda: F.conv_transpose2d(torch.ones(2, 2, 1, 4), torch.ones(2, 2, 1, 1), padding=1),
        lambda: F.conv_transpose3d(
            torch.ones(1, 2, 1, 1, 4),
            torch.ones(2, 1, 2, 1, 1),
            padding=1,
            dilation=(2, 1, 2),
            groups=2,
        ),
        # a dilation of 0: oneDNN's words, the other kernel's (test_fuzz_spatial 22729)
        lambda: F.conv_transpose1d(torch.ones(2, 2, 5), torch.ones(2, 2, 3), stride=2, dilation=0),
        lambda: F.conv_transpose1d(torch.ones(1, 2, 5), torch.ones(2, 2, 3), dilation=0),
        lambda: F.conv_transpose2d(torch.ones(2, 2, 5, 5), torch.ones(2, 2, 3, 3), dilation=(1, 0)),
    ]
    for call in calls:
        try:
            out.append(call())
        except RuntimeError as e:  # (minitorch names the op first)
            out.append(str(e)[str(e).find("Given") :][:80] if "Given" in str(e) else str(e))
    return out


@program
def max_unpool_of_an_empty_output_reads_no_index(torch):
    """max_unpool whose output has a dimension of size 0 returns it empty: PyTorch's kernel
    checks no index then (test_fuzz_spatial 20298, 20334)."""
    F, out = torch.nn.functional, []
    torch.manual_seed(0)
    for n, shape in ((3, (2, 4, 5, 2, 1)), (2, (2, 4, 5, 1)), (1, (2, 4, 1))):
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        pooled, idx = getattr(F, f"max_pool{n}d")(x, 2, None, 1, return_indices=True)
        y = getattr(F, f"max_unpool{n}d")(pooled, idx, 2, padding=1)
        out += [y, y.requires_grad]
    return out


@program
def conv3d_keeps_channels_last_3d_only_on_onednn(torch):
    """PyTorch's 3-d convolutions keep a channels_last_3d input's layout only in its oneDNN
    kernel (float32 batches of more than one here); its other kernels write contiguous
    results (test_fuzz_spatial 21363)."""
    F, out = torch.nn.functional, []
    torch.manual_seed(0)
    for n, dtype in ((1, torch.float32), (2, torch.float32), (2, torch.float64)):
        x = torch.randn(n, 2, 5, 3, 5, dtype=dtype).contiguous(memory_format=torch.channels_last_3d)
        w = torch.randn(2, 2, 2, 3, 2, dtype=dtype)
        for y in (F.conv3d(x, w), F.conv_transpose3d(x, w, torch.randn(2, dtype=dtype))):
            out.append((y.stride(), y))
    return out


@program
def adaptive_avg_pool3d_result_is_contiguous(torch):
    """PyTorch's adaptive_avg_pool3d kernel writes a contiguous result whatever the input's
    layout (output (1, 1, 1) is a mean, which keeps it) (test_fuzz_spatial 20306)."""
    torch.manual_seed(0)
    x = torch.randn(2, 4, 3, 2, 5).contiguous(memory_format=torch.channels_last_3d)
    F = torch.nn.functional
    return [(y.is_contiguous(), y) for y in
            (F.adaptive_avg_pool3d(x, s) for s in ((3, None, None), (3, 2, 5), (2, 2, 2), (1, 1, 1)))]  # fmt: skip


@error(ValueError, r"Expected value argument .* to be within the support")
def tanh_transform_inverse_takes_a_bool_value(torch):
    """TanhTransform's inverse is atanh, which takes a bool tensor (minitorch's log1p(-y)
    refused to negate it first; test_fuzz_distributions 20583)."""
    D = torch.distributions
    base = D.Uniform(torch.tensor([-1.5, -0.5]), torch.tensor(1.5), validate_args=True)
    d = D.TransformedDistribution(base, [D.transforms.TanhTransform()] * 2, validate_args=True)
    d.log_prob(torch.tensor([True, False]))


@program
def linear_lr_closed_form_rounds_as_pytorch(torch):
    """LinearLR's closed form (a step with an epoch, deprecated) multiplies the factor's
    difference by the epoch before dividing by total_iters, as PyTorch does (0.5, not
    0.5000000000000001; test_fuzz_optim 20600)."""
    p = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.Adamax([p], lr=0.5)
    sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=5)
    lrs = []
    for epoch in (None, None, 4, None, None):
        opt.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (the epoch argument's deprecation)
            sched.step(*([epoch] if epoch is not None else []))
        lrs.append(repr(opt.param_groups[0]["lr"]))
    return lrs


@program
def l1_loss_promotes_the_broadcast_operands(torch):
    """F.l1_loss broadcasts input and target before subtracting them, so a 0-d float64
    target promotes a float32 input (float64 loss, as mse_loss; test_fuzz_losses 21954)."""
    x = torch.tensor([0.3], requires_grad=True)
    t = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the target's size differs)
        for red in ("none", "sum"):
            for a, b in ((x, t), (t, x)):
                loss = torch.nn.functional.l1_loss(a, b, reduction=red)
                out += [loss, *torch.autograd.grad(loss.sum(), [x, t])]
        weighted = torch.nn.functional.l1_loss(x, t, weight=torch.ones(1), reduction="sum")
    return out + [weighted]
