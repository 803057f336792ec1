"""Session 13 sweep of the nn layers as PyTorch's own nn tests check them (test_convolution,
test_pooling, test_embedding, test_multihead_attention, test_packed_sequence, test_dropout,
test_init): padding strings and their errors, shape checks and their messages, pooling options
and unpooling, embedding flags, MultiheadAttention masks, packed sequences, dropout variants and
the init functions. Each program runs with PyTorch (the oracle) and with minitorch from the
same seed; values, gradients and error messages must agree."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


# ---- convolution --------------------------------------------------------------------------
@error(RuntimeError, r"Calculated padded input size per channel: \(4\)\. Kernel size: \(10\)\. "
       r"Kernel size can't be greater than actual input size")  # fmt: skip
def conv1d_kernel_larger_than_input(torch):
    torch.nn.Conv1d(3, 33, 10)(torch.randn(1, 3, 4))


@error(RuntimeError, r"Calculated padded input size per channel: \(1 x 1\)\. Kernel size: "
       r"\(10 x 10\)\. Kernel size can't be greater than actual input size")  # fmt: skip
def conv2d_kernel_larger_than_input(torch):
    torch.nn.Conv2d(3, 33, 10)(torch.randn(1, 3, 1, 1))


@error(RuntimeError, r"non-positive stride is not supported")
def conv1d_negative_stride(torch):
    torch.nn.Conv1d(3, 6, 3, stride=-1)(torch.randn(1, 3, 4))


@error(RuntimeError, r"non-positive stride is not supported")
def conv2d_zero_stride(torch):
    torch.nn.Conv2d(3, 6, 4, stride=0)(torch.randn(1, 3, 4, 4))


@error(RuntimeError, r"non-positive stride is not supported")
def conv3d_negative_stride(torch):
    torch.nn.Conv3d(1, 1, 3, stride=-2)(torch.empty(1, 1, 4, 4, 4))


@error(RuntimeError, r"Kernel size can't be greater than actual input size")
def conv2d_dilated_kernel_too_large(torch):
    torch.nn.Conv2d(1, 1, kernel_size=3, dilation=2, stride=2)(torch.empty(1, 1, 4, 4))


@error(ValueError, r"groups must be a positive integer")
def conv1d_zero_groups(torch):
    torch.nn.Conv1d(1, 1, kernel_size=3, groups=0)


@error(ValueError, r"groups must be a positive integer")
def conv3d_negative_groups(torch):
    torch.nn.Conv3d(1, 1, kernel_size=3, groups=-2)


@error(ValueError, r"in_channels must be divisible by groups")
def conv2d_in_channels_not_divisible(torch):
    torch.nn.Conv2d(3, 4, 3, groups=2)


@error(ValueError, r"out_channels must be divisible by groups")
def conv2d_out_channels_not_divisible(torch):
    torch.nn.Conv2d(4, 3, 3, groups=2)


@error(RuntimeError, r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got "
       r"input of size: \[1, 10, 1, 28, 28\]")  # fmt: skip
def conv2d_five_dim_input(torch):
    torch.nn.functional.conv2d(torch.randn(1, 10, 1, 28, 28), torch.randn(6, 1, 5, 5))


@error(RuntimeError, r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d")
def conv1d_four_dim_input(torch):
    torch.nn.Conv1d(3, 8, 3)(torch.empty(3, 3, 3, 3))


@error(RuntimeError, r"Expected 4D \(unbatched\) or 5D \(batched\) input to conv3d")
def conv3d_three_dim_input(torch):
    torch.nn.Conv3d(3, 8, 3)(torch.empty(3, 3, 3))


@error(RuntimeError, r"expected input\[1, 3, 7\] to have 4 channels, but got 3 channels instead")
def conv1d_wrong_channels(torch):
    torch.nn.functional.conv1d(torch.randn(1, 3, 7), torch.randn(2, 4, 3))


@error(RuntimeError, r"should be the same|expected .*same dtype|Input type")
def conv2d_inconsistent_dtypes(torch):
    torch.nn.functional.conv2d(torch.randn(4, 1, 7, 7), torch.randn(1, 1, 3, 3).double())


@error(TypeError, r"conv2d\(\)")
def conv2d_module_none_input(torch):
    torch.nn.Conv2d(3, 3, 3)(None)


@error(RuntimeError, r"Specify retain_graph=True")
def conv2d_backward_twice(torch):
    out = torch.nn.Conv2d(3, 3, 3)(torch.randn(2, 3, 5, 5)).sum()
    out.backward()
    out.backward()


@program
def conv_shape_checks_that_pass(torch):
    out = []
    for mod, size in (
        (torch.nn.Conv1d(1, 1, 2), (1, 2)),
        (torch.nn.Conv1d(1, 1, 2, stride=2), (1, 2)),
        (torch.nn.Conv1d(1, 1, 3, stride=2, padding=1), (1, 2)),
        (torch.nn.Conv2d(1, 1, 3, padding=1), (1, 2, 2)),
        (torch.nn.Conv3d(1, 1, 3, padding=1), (1, 2, 2, 2)),
    ):
        out.append(mod(torch.randn(3, *size)))
    return out


@error(RuntimeError, r"Kernel size can't be greater than actual input size")
def conv1d_stride_does_not_help_short_input(torch):
    torch.nn.Conv1d(1, 1, 3, stride=2)(torch.randn(3, 1, 2))


@program
def conv1d_same_matches_functional_and_explicit_pad(torch):
    x = torch.rand(1, 1, 20)
    out = []
    for kw in ({}, {"dilation": 2}):
        m = torch.nn.Conv1d(1, 1, 10, padding="same", **kw)
        out.append((m(x), torch.nn.functional.conv1d(x, m.weight, m.bias, padding="same", **kw)))
    m = torch.nn.Conv1d(1, 1, 10, padding="same", padding_mode="replicate")
    padded = torch.nn.functional.pad(x, [4, 5], mode="replicate")
    out.append((m(x), torch.nn.functional.conv1d(padded, m.weight, m.bias, padding="valid")))
    return out


@program
def conv2d_same_reflect_asymmetric(torch):
    x = torch.rand(1, 1, 9, 20, requires_grad=True)
    m = torch.nn.Conv2d(1, 1, (3, 4), padding="same", padding_mode="reflect")
    y = m(x)
    y.sum().backward()
    return y, x.grad, m.weight.grad


@program
def conv3d_same_circular_dilated(torch):
    x = torch.rand(1, 1, 4, 4, 4, requires_grad=True)
    m = torch.nn.Conv3d(1, 1, (2, 3, 4), padding="same", dilation=(3, 2, 1))
    c = torch.nn.Conv3d(1, 1, (2, 3, 4), padding="same", padding_mode="circular")
    y = m(x) + c(x)
    y.sum().backward()
    return y, x.grad


@program
def conv_same_padding_attribute(torch):
    out = []
    for cls, k in ((torch.nn.Conv1d, 4), (torch.nn.Conv2d, (2, 3)), (torch.nn.Conv3d, 3)):
        m = cls(2, 2, k, padding="same")
        v = cls(2, 2, k, padding="valid")
        out.append((m.padding, v.padding, repr(m), repr(v)))
    return out


@error(
    ValueError, r"Invalid padding string 'foo', should be one of \{'(valid|same)', '(valid|same)'\}"
)
def conv2d_invalid_padding_string(torch):
    torch.nn.Conv2d(3, 33, 10, padding="foo")


@error(ValueError, r"padding='same' is not supported for strided convolutions")
def conv3d_same_strided(torch):
    torch.nn.Conv3d(3, 33, 10, padding="same", stride=(1, 4, 1))


@error(RuntimeError, r"padding='same' is not supported for strided convolutions")
def functional_conv2d_same_strided(torch):
    torch.nn.functional.conv2d(torch.randn(1, 1, 5, 5), torch.randn(1, 1, 3, 3), stride=2,
                               padding="same")  # fmt: skip


@error(RuntimeError, r"Invalid padding string: 'foo'")
def functional_conv1d_bad_padding_string(torch):
    torch.nn.functional.conv1d(torch.randn(1, 1, 5), torch.randn(1, 1, 3), padding="foo")


@error(ValueError, r"padding_mode must be one of")
def conv_bad_padding_mode(torch):
    torch.nn.Conv2d(1, 1, 3, padding_mode="mirror")


@error(ValueError, r"Only \"zeros\" padding mode is supported for ConvTranspose2d")
def conv_transpose_padding_mode(torch):
    torch.nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")


@program
def conv_transpose2d_output_size_range(torch):
    m = torch.nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)
    i = torch.randn(2, 3, 6, 6)
    return [m(i, output_size=(h, w)).shape for h in (18, 19, 20) for w in (18, 20)]


@error(ValueError, r"requested an output size of \(17, 18\), but valid sizes range from "
       r"\[18, 18\] to \[20, 20\] \(for an input of torch.Size\(\[6, 6\]\)\)")  # fmt: skip
def conv_transpose2d_output_size_too_small(torch):
    m = torch.nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)
    m(torch.randn(2, 3, 6, 6), (17, 18))


@error(ValueError, r"requested an output size of \[4, 21\], but valid sizes range from "
       r"\[18, 18\] to \[20, 20\] \(for an input of torch.Size\(\[6\]\)\)")  # fmt: skip
def conv_transpose2d_unbatched_output_size_with_channels(torch):
    m = torch.nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)
    m(torch.randn(3, 6, 6), [4, 4, 21])


@program
def conv_transpose_unbatched_output_size_with_channels(torch):
    m = torch.nn.ConvTranspose1d(3, 4, 3, 2)
    return m(torch.randn(3, 6), [4, 14]), m(torch.randn(3, 6), [13]).shape


@error(
    ValueError, r"ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements \(got 3\)"
)
def conv_transpose2d_output_size_wrong_length(torch):
    torch.nn.ConvTranspose2d(3, 4, 3)(torch.randn(1, 3, 2, 2), output_size=(1, 4, 4))


@program
def conv_transpose_output_size_round_trip(torch):
    out = []
    for k, s, p, d in ((2, 2, 0, 1), (3, 3, 1, 2), (4, 2, 2, 3)):
        conv = torch.nn.Conv2d(3, 2, k, stride=s, padding=p, dilation=d)
        tconv = torch.nn.ConvTranspose2d(2, 3, k, stride=s, padding=p, dilation=d)
        x = torch.randn(2, 3, 15, 14)
        out.append(tconv(conv(x), output_size=x.shape).shape)
    m = torch.nn.ConvTranspose3d(2, 2, 2)
    out.append(m(torch.rand(1, 2, 1, 1, 1), output_size=(1, 2, 2, 2, 2)).shape)
    return out


@program
def conv2d_groups_match_split_convs(torch):
    m = torch.nn.Conv2d(4, 16, 3, groups=2, bias=False)
    x = torch.randn(2, 4, 6, 6, requires_grad=True)
    g = torch.randn(2, 16, 4, 4)
    y = m(x)
    y.backward(g)
    a = torch.nn.functional.conv2d(x[:, :2], m.weight[:8])
    b = torch.nn.functional.conv2d(x[:, 2:], m.weight[8:])
    return y, torch.cat([a, b], 1), x.grad, m.weight.grad


@program
def conv2d_depthwise_multiplier(torch):
    m = torch.nn.Conv2d(3, 6, 3, groups=3, padding=1, stride=2).double()
    x = torch.randn(2, 3, 7, 7, dtype=torch.float64, requires_grad=True)
    y = m(x)
    y.pow(2).sum().backward()
    return y, x.grad, m.weight.grad, m.bias.grad


@program
def conv_discontiguous_weight(torch):
    x = torch.ones(2, 16, 6, 6)
    w = torch.arange(0, 1.0, 1 / 2.0**10).reshape(32, 16, 1, 2)[:, :, :, ::2]
    return w.is_contiguous(), torch.nn.functional.conv2d(x, w).sum()


@program
def conv_empty_batch_grads(torch):
    out = []
    for m, shape in ((torch.nn.Conv1d(3, 4, 3), (0, 3, 5)), (torch.nn.Conv2d(3, 4, 3), (0, 3, 5, 5)),
                     (torch.nn.ConvTranspose2d(3, 4, 3), (0, 3, 5, 5))):  # fmt: skip
        x = torch.randn(*shape, requires_grad=True)
        y = m(x)
        y.sum().backward()
        out.append((y, x.grad, m.weight.grad, m.bias.grad))
    return out


@program
def conv_transpose_groups_dilation_output_padding(torch):
    m = torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2,
                                 dilation=2)  # fmt: skip
    x = torch.randn(2, 4, 5, 4, requires_grad=True)
    y = m(x)
    y.pow(2).sum().backward()
    return y, x.grad, m.weight.grad, m.bias.grad


@error(RuntimeError, r"output padding must be smaller than either stride or dilation")
def conv_transpose_output_padding_too_big(torch):
    torch.nn.functional.conv_transpose1d(torch.randn(1, 2, 4), torch.randn(2, 2, 3), stride=2,
                                         output_padding=2)  # fmt: skip


# ---- pooling ------------------------------------------------------------------------------
@program
def max_pool2d_ceil_mode_indices_unpool(torch):
    x = torch.randn(2, 3, 7, 9, requires_grad=True)
    y, idx = torch.nn.functional.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True)
    y.pow(2).sum().backward()
    up = torch.nn.functional.max_unpool2d(y, idx, 3, 2, 1, output_size=x.shape[-2:])
    return y, idx, x.grad, up


@program
def max_pool1d_ceil_mode_last_window_dropped(torch):
    x = torch.arange(10.0).reshape(1, 1, 10)
    return [torch.nn.functional.max_pool1d(x, 3, 3, p, ceil_mode=c, return_indices=True)
            for p in (0, 1) for c in (False, True)]  # fmt: skip


@program
def avg_pool2d_ceil_mode_count_include_pad(torch):
    x = torch.randn(1, 2, 5, 6, requires_grad=True)
    out = []
    for ceil in (False, True):
        for inc in (False, True):
            for div in (None, 2):
                y = torch.nn.functional.avg_pool2d(x, 3, 2, 1, ceil, inc, div)
                (g,) = torch.autograd.grad(y.sum(), x)
                out.append((y, g))
    return out


@program
def avg_pool1d_ceil_count_include_pad(torch):
    x = torch.randn(2, 3, 8, requires_grad=True)
    y = torch.nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False)(x)
    y.sum().backward()
    return y, x.grad


@program
def avg_pool3d_divisor_override(torch):
    x = torch.randn(1, 2, 4, 5, 5, requires_grad=True)
    y = torch.nn.AvgPool3d(2, 2, 1, ceil_mode=True, divisor_override=3)(x)
    y.sum().backward()
    return y, x.grad


@error(RuntimeError, r"divisor must be not zero")
def avg_pool2d_zero_divisor(torch):
    torch.nn.functional.avg_pool2d(torch.randn(1, 1, 4, 4), 2, divisor_override=0)


@error(RuntimeError, r"pad should be at most half of effective kernel size, but got pad=2, "
       r"kernel_size=3 and dilation=1")  # fmt: skip
def max_pool2d_pad_too_big(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 1, 8, 8), 3, padding=2)


@error(RuntimeError, r"pad should be at most half of effective kernel size, but got pad=2, "
       r"kernel_size=3 and dilation=1")  # fmt: skip
def avg_pool2d_pad_too_big(torch):
    torch.nn.functional.avg_pool2d(torch.randn(1, 1, 8, 8), 3, padding=2)


@error(RuntimeError, r"Output size is too small")
def max_pool2d_output_too_small(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 1, 2, 2), 3)


@error(RuntimeError, r"Output size is too small")
def avg_pool2d_output_too_small(torch):
    torch.nn.functional.avg_pool2d(torch.randn(1, 1, 2, 2), 3)


@error(RuntimeError, r"max_pool1d\(\) Invalid computed output size: 0")
def max_pool1d_output_too_small(torch):
    torch.nn.functional.max_pool1d(torch.randn(1, 1, 2), 4)


@error(RuntimeError, r"stride should not be zero|stride must be greater than zero")
def max_pool2d_zero_stride(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 1, 4, 4), 2, stride=0)


@error(RuntimeError, r"dilation should be greater than zero")
def max_pool2d_zero_dilation(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 1, 4, 4), 2, dilation=0)


@program
def max_pool2d_dilation_ceil(torch):
    x = torch.randn(2, 2, 9, 10, requires_grad=True)
    y, i = torch.nn.MaxPool2d(3, 2, 1, dilation=2, return_indices=True, ceil_mode=True)(x)
    y.sum().backward()
    return y, i, x.grad


@program
def max_pool3d_indices_unpool(torch):
    x = torch.randn(1, 2, 5, 6, 4, requires_grad=True)
    pool = torch.nn.MaxPool3d(2, 2, return_indices=True, ceil_mode=True)
    y, i = pool(x)
    up = torch.nn.MaxUnpool3d(2, 2)(y, i, output_size=x.shape)
    up.sum().backward()
    return y, i, up, x.grad


@program
def max_pool_nan_and_inf(torch):
    x = torch.tensor([[[1.0, float("nan"), 3.0, float("-inf"), float("-inf"), 2.0]]])
    return torch.nn.functional.max_pool1d(x, 2, return_indices=True), \
        torch.nn.functional.max_pool1d(x, 3, 1, return_indices=True)  # fmt: skip


@program
def max_pool_ties_first_index(torch):
    x = torch.ones(1, 1, 4, 4, requires_grad=True)
    y, i = torch.nn.functional.max_pool2d(x, 2, 1, return_indices=True)
    y.sum().backward()
    return i, x.grad


@program
def max_pool_integer_inputs(torch):
    x = torch.randint(-5, 5, (1, 2, 6, 6))
    return torch.nn.functional.max_pool2d(x, 2), torch.nn.functional.max_pool1d(
        x[0], 3, 2, 1, return_indices=True
    )


@error(NotImplementedError, r"\"max_pool1d_impl\" not implemented for 'Long'")
def max_pool1d_long_without_indices(torch):
    torch.nn.functional.max_pool1d(torch.randint(-5, 5, (1, 2, 6)), 2)


@program
def avg_pool_integer_inputs(torch):
    x = torch.arange(-8, 28).reshape(1, 1, 6, 6)
    return (torch.nn.functional.avg_pool2d(x, 2), torch.nn.functional.avg_pool2d(x, 3, 2, 1),
            torch.nn.functional.avg_pool2d(x, 3, 2, 1, count_include_pad=False))  # fmt: skip


@program
def max_unpool1d_default_size_and_module(torch):
    x = torch.tensor([[[1.0, 2, 3, 4, 5, 6, 7, 8]]])
    pool = torch.nn.MaxPool1d(2, stride=2, return_indices=True)
    y, i = pool(x)
    unpool = torch.nn.MaxUnpool1d(2, stride=2)
    return unpool(y, i), unpool(y, i, output_size=[1, 1, 9]), repr(unpool)


@error(ValueError, r"invalid output_size \"\[12\]\" \(dim 0 must be between 6 and 10\)")
def max_unpool1d_bad_output_size(torch):
    x = torch.tensor([[[1.0, 2, 3, 4, 5, 6, 7, 8]]])
    y, i = torch.nn.MaxPool1d(2, stride=2, return_indices=True)(x)
    torch.nn.MaxUnpool1d(2, stride=2)(y, i, output_size=[1, 1, 12])


@error(RuntimeError, r"Found an invalid max index: 20 \(output volumes are of size 4x4\)")
def max_unpool2d_index_out_of_range(torch):
    torch.nn.functional.max_unpool2d(torch.ones(1, 1, 2, 2), torch.tensor([[[[0, 1], [5, 20]]]]), 2)


@error(RuntimeError, r"Found an invalid max index: -1 \(output volumes are of size 4x1\)")
def max_unpool1d_negative_index(torch):
    torch.nn.functional.max_unpool1d(torch.ones(1, 1, 2), torch.tensor([[[0, -1]]]), 2)


@error(RuntimeError, r"Found an invalid max index: 99 \(output volumes are of size 2x2x4\)")
def max_unpool3d_index_out_of_range(torch):
    torch.nn.functional.max_unpool3d(torch.ones(1, 1, 1, 1, 2), torch.tensor([[[[[0, 99]]]]]), 2)


@program
def max_unpool2d_unbatched_and_grad(torch):
    x = torch.randn(3, 6, 6)
    y, i = torch.nn.functional.max_pool2d(x, 2, return_indices=True)
    y = y.detach().requires_grad_(True)
    up = torch.nn.functional.max_unpool2d(y, i, 2)
    (up * torch.arange(up.numel()).reshape(up.shape).float()).sum().backward()
    return up, y.grad


@program
def adaptive_pools_nonuniform(torch):
    x = torch.randn(2, 3, 7, 10, requires_grad=True)
    a, i = torch.nn.functional.adaptive_max_pool2d(x, (3, 4), return_indices=True)
    b = torch.nn.functional.adaptive_avg_pool2d(x, (None, 3))
    c = torch.nn.AdaptiveAvgPool1d(4)(x[0])
    (a.sum() + b.sum() + c.sum()).backward()
    return a, i, b, c, x.grad


@program
def adaptive_max_pool1d_3d_indices(torch):
    x = torch.randn(2, 3, 11)
    y = torch.randn(1, 2, 5, 6, 7)
    return torch.nn.AdaptiveMaxPool1d(4, return_indices=True)(x), \
        torch.nn.AdaptiveMaxPool3d((2, None, 3), return_indices=True)(y)  # fmt: skip


@error(RuntimeError, r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[2, 3\]|"
       r"Expected 3D or 4D")  # fmt: skip
def adaptive_avg_pool2d_bad_rank(torch):
    torch.nn.functional.adaptive_avg_pool2d(torch.randn(2, 3), 2)


@program
def lp_pool_norms(torch):
    x = torch.rand(1, 2, 6, 6, requires_grad=True) + 0.1
    out = []
    for p in (1.0, 2.0, 3.0):
        y = torch.nn.functional.lp_pool2d(x, p, 2, 2)
        out.append(y)
    y1 = torch.nn.LPPool1d(2, 3, 2)(x[0])
    s = sum(o.sum() for o in out) + y1.sum()
    return out, y1, torch.autograd.grad(s, x)


@program
def fractional_max_pool_output_ratio(torch):
    x = torch.randn(1, 2, 9, 9)
    y, i = torch.nn.FractionalMaxPool2d(2, output_size=(4, 5), return_indices=True,
                                        _random_samples=torch.rand(1, 2, 2))(x)  # fmt: skip
    return y, i


@program
def pool_empty_batch(torch):
    x = torch.randn(0, 2, 6, 6, requires_grad=True)
    y = torch.nn.functional.max_pool2d(x, 2) + torch.nn.functional.avg_pool2d(x, 2)
    z = torch.nn.functional.adaptive_avg_pool2d(x, 3)
    (y.sum() + z.sum()).backward()
    return y, z, x.grad


@error(RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size "
       r"for input, but got:? ?\[1, 0, 4, 4\]|non-zero|Expected")  # fmt: skip
def max_pool2d_zero_channels(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 0, 4, 4), 2)


@program
def pool_module_reprs(torch):
    return [repr(m) for m in (
        torch.nn.MaxPool2d(3, 2, 1, dilation=2, return_indices=True, ceil_mode=True),
        torch.nn.AvgPool2d((2, 3), count_include_pad=False, divisor_override=2),
        torch.nn.AvgPool1d(3), torch.nn.MaxPool1d(2), torch.nn.MaxUnpool2d(2, 1, 1),
        torch.nn.AdaptiveMaxPool2d((None, 3)), torch.nn.LPPool2d(2, 3),
        torch.nn.MaxPool3d(2), torch.nn.AvgPool3d(2, ceil_mode=True),
    )]  # fmt: skip


# ---- embedding ----------------------------------------------------------------------------
@program
def embedding_padding_idx_grad_and_negative(torch):
    out = []
    for pad in (0, 2, -1):
        emb = torch.nn.Embedding(5, 3, padding_idx=pad)
        idx = torch.tensor([[0, 2, 4, 4], [1, 2, 0, 3]])
        y = emb(idx)
        (y * torch.arange(24.0).reshape(2, 4, 3)).sum().backward()
        out.append((emb.padding_idx, emb.weight, y, emb.weight.grad))
    return out


@error(AssertionError, r"Padding_idx must be within num_embeddings")
def embedding_padding_idx_too_large(torch):
    torch.nn.Embedding(5, 3, padding_idx=5)


@error(AssertionError, r"Padding_idx must be within num_embeddings")
def embedding_padding_idx_too_negative(torch):
    torch.nn.Embedding(5, 3, padding_idx=-6)


@program
def embedding_from_pretrained_freeze_padding(torch):
    w = torch.tensor([[1.0, 2.3, 3.0], [4.0, 5.1, 6.3]])
    a = torch.nn.Embedding.from_pretrained(w)
    b = torch.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    y = b(torch.tensor([0, 1, 1]))
    y.sum().backward()
    return a.weight.requires_grad, a(torch.tensor([1])), y, b.weight.grad, repr(b), b.padding_idx


@error(AssertionError, r"Embeddings parameter is expected to be 2-dimensional")
def embedding_from_pretrained_1d(torch):
    torch.nn.Embedding.from_pretrained(torch.ones(3))


@program
def embedding_max_norm_renorms_rows_in_place(torch):
    out = []
    for norm_type in (2.0, 1.0, float("inf")):
        emb = torch.nn.Embedding(6, 4, max_norm=1.0, norm_type=norm_type)
        with torch.no_grad():
            emb.weight.mul_(3)
        idx = torch.tensor([1, 2, 1, 5])
        y = emb(idx)
        out.append((y, emb.weight.detach().clone(), emb.weight.norm(norm_type, dim=1)))
    return out


@program
def embedding_functional_max_norm_grad(torch):
    w = torch.randn(5, 3, requires_grad=True)
    w2 = w.detach().clone().requires_grad_(True)
    idx = torch.tensor([[0, 1], [1, 4]])
    y = torch.nn.functional.embedding(idx, w2 * 1, max_norm=0.5)
    y.pow(2).sum().backward()
    return y, w2.grad


@program
def embedding_scale_grad_by_freq(torch):
    emb = torch.nn.Embedding(5, 2, scale_grad_by_freq=True, padding_idx=3)
    y = emb(torch.tensor([[0, 0, 1], [3, 0, 2]]))
    y.sum().backward()
    return emb.weight.grad, repr(emb)


@program
def embedding_int32_and_empty_indices(torch):
    emb = torch.nn.Embedding(4, 3)
    return emb(torch.tensor([[3, 1]], dtype=torch.int32)), emb(torch.zeros(0, 2, dtype=torch.long))


@error(RuntimeError, r"Expected tensor for argument #1 'indices' to have one of the following "
       r"scalar types: Long, Int; but got torch.FloatTensor instead \(while checking "
       r"arguments for embedding\)")  # fmt: skip
def embedding_float_indices(torch):
    torch.nn.Embedding(4, 3)(torch.tensor([1.0]))


@error(IndexError, r"index out of range in self")
def embedding_index_out_of_range(torch):
    torch.nn.Embedding(4, 3)(torch.tensor([4]))


@program
def embedding_sparse_flag_repr(torch):
    emb = torch.nn.Embedding(10, 3, max_norm=2.0, norm_type=1.0)
    return repr(emb), emb.sparse, emb.max_norm, emb.norm_type


@program
def embedding_bag_modes_offsets(torch):
    out = []
    idx = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = torch.tensor([0, 3, 3, 6])
    for mode in ("sum", "mean", "max"):
        bag = torch.nn.EmbeddingBag(10, 3, mode=mode)
        y = bag(idx, offsets)
        y.pow(2).sum().backward()
        out.append((y, bag.weight.grad))
    return out


@program
def embedding_bag_include_last_offset(torch):
    bag = torch.nn.EmbeddingBag(10, 3, mode="mean", include_last_offset=True)
    idx = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    return bag(idx, torch.tensor([0, 3, 3, 6, 8])), bag(idx[:5], torch.tensor([0, 2, 5]))


@program
def embedding_bag_2d_input_and_per_sample_weights(torch):
    bag = torch.nn.EmbeddingBag(10, 3, mode="sum")
    idx = torch.tensor([[1, 2, 4], [4, 3, 9]])
    w = torch.rand(2, 3, requires_grad=True)
    y = bag(idx, per_sample_weights=w)
    y.pow(2).sum().backward()
    y1 = bag(idx.flatten(), torch.tensor([0, 2]), per_sample_weights=w.detach().flatten())
    return y, w.grad, bag.weight.grad, y1


@program
def embedding_bag_padding_idx(torch):
    out = []
    for mode in ("sum", "mean", "max"):
        bag = torch.nn.EmbeddingBag(6, 2, mode=mode, padding_idx=1)
        y = bag(torch.tensor([1, 1, 2, 1, 3, 1]), torch.tensor([0, 2, 3]))
        y.sum().backward()
        out.append((y, bag.weight.grad))
    return out


@program
def embedding_bag_from_pretrained(torch):
    w = torch.arange(12.0).reshape(4, 3)
    bag = torch.nn.EmbeddingBag.from_pretrained(w, mode="max", freeze=False)
    return bag(torch.tensor([[0, 3], [2, 1]])), bag.weight.requires_grad, repr(bag)


@error(NotImplementedError, r"embedding_bag: per_sample_weights was not None. "
       r"per_sample_weights is only supported for mode='sum' \(got mode='mean'\). Please open "
       r"a feature request on GitHub.")  # fmt: skip
def embedding_bag_per_sample_weights_mean(torch):
    bag = torch.nn.EmbeddingBag(10, 3, mode="mean")
    bag(torch.tensor([[1, 2]]), per_sample_weights=torch.ones(1, 2))


@error(ValueError, r"if input is 2D, then offsets has to be None, as input is treated is a "
       r"mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>")  # fmt: skip
def embedding_bag_2d_with_offsets(torch):
    torch.nn.EmbeddingBag(10, 3)(torch.tensor([[1, 2]]), torch.tensor([0]))


@error(ValueError, r"offsets has to be a 1D Tensor but got None")
def embedding_bag_1d_without_offsets(torch):
    torch.nn.EmbeddingBag(10, 3)(torch.tensor([1, 2]))


@error(ValueError, r"offsets has to be a 1D Tensor")
def embedding_bag_2d_offsets(torch):
    torch.nn.EmbeddingBag(10, 3)(torch.tensor([1, 2]), torch.tensor([[0]]))


@error(ValueError, r"input has to be 1D or 2D Tensor, but got Tensor of dimension 3")
def embedding_bag_3d_input(torch):
    torch.nn.EmbeddingBag(10, 3)(torch.zeros(1, 1, 1, dtype=torch.long))


@error(ValueError, r"mode has to be one of sum, mean or max")
def embedding_bag_bad_mode(torch):
    torch.nn.functional.embedding_bag(torch.tensor([[1]]), torch.ones(3, 2), mode="min")


@error(ValueError, r"embedding_bag: If per_sample_weights \(torch.Size\(\[3\]\)\) is not None, "
       r"then it must have the same shape as the input \(torch.Size\(\[2\]\)\)")  # fmt: skip
def embedding_bag_per_sample_weights_shape(torch):
    bag = torch.nn.EmbeddingBag(10, 3, mode="sum")
    bag(torch.tensor([1, 2]), torch.tensor([0]), per_sample_weights=torch.ones(3))


@error(RuntimeError, r"offsets\[0\] has to be 0, i.e., the first sequence in the mini-batch "
       r"has to start from position 0. However, got 1")  # fmt: skip
def embedding_bag_first_offset_nonzero(torch):
    torch.nn.EmbeddingBag(10, 3)(torch.tensor([1, 2, 3]), torch.tensor([1, 2]))


@program
def embedding_bag_max_norm_and_double(torch):
    bag = torch.nn.EmbeddingBag(5, 3, max_norm=0.5, mode="sum").double()
    y = bag(torch.tensor([0, 1, 1, 4]), torch.tensor([0, 2]))
    return y, bag.weight.norm(dim=1)


# ---- multi-head attention -----------------------------------------------------------------
def _mha_inputs(torch, batch_first=False, kdim=8, vdim=8):
    L, S, N = 3, 5, 2
    shape = (lambda t, d: (N, t, d)) if batch_first else (lambda t, d: (t, N, d))
    return (torch.randn(*shape(L, 8)), torch.randn(*shape(S, kdim)), torch.randn(*shape(S, vdim)))


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_bool_and_float_masks_agree(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    bool_mask = torch.tensor([[False, True, False, False, True]] * 3)
    float_mask = torch.zeros(3, 5).masked_fill(bool_mask, float("-inf"))
    kpm = torch.tensor([[False, False, False, True, False], [True, False, False, False, False]])
    a = mha(q, k, v, attn_mask=bool_mask, key_padding_mask=kpm)
    b = mha(q, k, v, attn_mask=float_mask, key_padding_mask=kpm.float() * -1e9)
    return a, b


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_need_weights_and_per_head(torch):
    mha = torch.nn.MultiheadAttention(8, 4, batch_first=True)
    q, k, v = _mha_inputs(torch, batch_first=True)
    out = [mha(q, k, v, need_weights=False)]
    out.append(mha(q, k, v, average_attn_weights=False))
    out.append(mha(q, k, v))
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_kdim_vdim_grads(torch):
    mha = torch.nn.MultiheadAttention(8, 2, kdim=6, vdim=4, bias=False)
    q, k, v = _mha_inputs(torch, kdim=6, vdim=4)
    q.requires_grad_(True)
    y, w = mha(q, k, v)
    y.pow(2).sum().backward()
    names = [n for n, _ in mha.named_parameters()]
    return y, w, q.grad, names, mha.q_proj_weight.grad, mha._qkv_same_embed_dim


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_3d_mask_and_bias_kv_zero_attn(torch):
    mha = torch.nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True)
    q, k, v = _mha_inputs(torch)
    mask = torch.rand(4, 3, 5) > 0.7
    kpm = torch.zeros(2, 5, dtype=torch.bool)
    kpm[0, 1] = True
    return mha(q, k, v, attn_mask=mask, key_padding_mask=kpm)


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_unbatched_and_causal(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    x = torch.randn(4, 8)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(4)
    return mha(x, x, x), mha(x, x, x, attn_mask=causal, is_causal=True), causal


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_fully_masked_row_is_nan(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    kpm = torch.tensor([[True] * 5, [False] * 5])
    return mha(q, k, v, key_padding_mask=kpm)


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_fast_path_eval_self_attention(torch):
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(2, 5, 8)
    kpm = torch.tensor([[False, False, False, True, True], [False] * 5])
    with torch.no_grad():
        a = mha(x, x, x, need_weights=False)
        b = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
        c = mha(x, x, x, key_padding_mask=kpm)
    with torch.inference_mode():
        d = mha(x, x, x, need_weights=False)
    return a, b, c, d


@program
def mha_dropout_train_vs_eval(torch):
    mha = torch.nn.MultiheadAttention(8, 2, dropout=0.5)
    q, k, v = _mha_inputs(torch)
    a = mha(q, k, v)[0]
    mha.eval()
    b1, b2 = mha(q, k, v)[0], mha(q, k, v)[0]
    return a.shape, torch.equal(b1, b2)


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def mha_embed_dim_not_divisible(torch):
    torch.nn.MultiheadAttention(7, 2)


@error(RuntimeError, r"The shape of the 2D attn_mask is torch.Size\(\[3, 4\]\), but should be "
       r"\(3, 5\).")  # fmt: skip
def mha_2d_mask_wrong_shape(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, attn_mask=torch.zeros(3, 4))


@error(RuntimeError, r"The shape of the 3D attn_mask is torch.Size\(\[2, 3, 5\]\), but should be "
       r"\(4, 3, 5\).")  # fmt: skip
def mha_3d_mask_wrong_batch(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, attn_mask=torch.zeros(2, 3, 5))


@error(AssertionError, r"For batched \(3-D\) `query`, expected `attn_mask` to be `None`, 2-D or "
       r"3-D but found 4-D tensor instead")  # fmt: skip
def mha_4d_mask(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, attn_mask=torch.zeros(1, 4, 3, 5))


@error(AssertionError, r"only bool and floating types of attn_mask are supported")
def mha_int_mask(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, attn_mask=torch.zeros(3, 5, dtype=torch.long))


@error(AssertionError, r"only bool and floating types of key_padding_mask are supported")
def mha_int_key_padding_mask(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, key_padding_mask=torch.zeros(2, 5, dtype=torch.long))


@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def mha_is_causal_without_mask(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, is_causal=True)


@error(AssertionError, r"Expected key_padded_mask.shape\[1\] to be 5, but got 4")
def mha_key_padding_mask_wrong_shape(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, key_padding_mask=torch.zeros(2, 4, dtype=torch.bool))


@error(AssertionError, r"was expecting embedding dimension of 8, but got 6")
def mha_query_wrong_embed_dim(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    mha(torch.randn(3, 2, 6), torch.randn(5, 2, 8), torch.randn(5, 2, 8))


@error(AssertionError, r"key shape torch.Size\(\[5, 2, 8\]\) does not match value shape "
       r"torch.Size\(\[4, 2, 8\]\)")  # fmt: skip
def mha_key_value_mismatch(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    mha(torch.randn(3, 2, 8), torch.randn(5, 2, 8), torch.randn(4, 2, 8))


@error(AssertionError, r"query should be unbatched 2D or batched 3D tensor but received 4-D "
       r"query tensor")  # fmt: skip
def mha_4d_query(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    x = torch.randn(1, 3, 2, 8)
    mha(x, x, x)


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_functional_separate_proj(torch):
    E, H = 8, 2
    q, k, v = _mha_inputs(torch, kdim=8, vdim=8)
    w = torch.randn(3 * E, E) * 0.3
    b = torch.randn(3 * E)
    ow, ob = torch.randn(E, E) * 0.3, torch.randn(E)
    a = torch.nn.functional.multi_head_attention_forward(
        q, k, v, E, H, w, b, None, None, False, 0.0, ow, ob, training=False
    )
    c = torch.nn.functional.multi_head_attention_forward(
        q, k, v, E, H, None, b, None, None, False, 0.0, ow, ob, training=False,
        use_separate_proj_weight=True, q_proj_weight=w[:E], k_proj_weight=w[E:2 * E],
        v_proj_weight=w[2 * E:], average_attn_weights=False,
    )  # fmt: skip
    return a, c


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_mixed_mask_dtypes_and_unbatched_kpm(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    kpm = torch.tensor([[False, False, False, True, False], [True, False, False, False, False]])
    float_mask = torch.randn(3, 5)
    a = mha(q, k, v, attn_mask=float_mask, key_padding_mask=kpm)
    b = mha(q, k, v, attn_mask=float_mask > 0, key_padding_mask=kpm.float())
    c = mha(q[:, 0], k[:, 0], v[:, 0], key_padding_mask=kpm[0])
    return a, b, c


@error(AssertionError, r"Expected key_padded_mask.shape\[0\] to be 2, but got 3")
def mha_key_padding_mask_wrong_batch(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, k, v = _mha_inputs(torch)
    mha(q, k, v, key_padding_mask=torch.zeros(3, 5, dtype=torch.bool))


# ---- packed sequences ---------------------------------------------------------------------
def _padded(torch, lengths=(5, 3, 4, 1), feat=2):
    return torch.randn(max(lengths), len(lengths), feat), torch.tensor(lengths)


@program
def pack_padded_unsorted_round_trip(torch):
    x, lengths = _padded(torch)
    x.requires_grad_(True)
    p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
    y, ls = torch.nn.utils.rnn.pad_packed_sequence(p, total_length=7, padding_value=-1.0)
    (y * torch.arange(y.numel()).reshape(y.shape)).sum().backward()
    return (p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices, y, ls, x.grad,
            p.data.grad_fn is not None)  # fmt: skip


@program
def pack_padded_batch_first_sorted(torch):
    x = torch.randn(3, 4, 2)
    p = torch.nn.utils.rnn.pack_padded_sequence(x, [4, 2, 1], batch_first=True)
    y, ls = torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True)
    return p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices, y, ls, ls.dtype


@program
def pack_sequence_and_unpack(torch):
    seqs = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8, 9])]
    p = torch.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
    unpacked = torch.nn.utils.rnn.unpack_sequence(p)
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=-1)
    left = torch.nn.utils.rnn.pad_sequence(seqs, padding_side="left")
    return (
        p,
        unpacked,
        padded,
        left,
        torch.nn.utils.rnn.unpad_sequence(padded, torch.tensor([3, 2, 4]), True),
    )


@program
def packed_sequence_methods(torch):
    x, lengths = _padded(torch)
    p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
    d = p.double()
    return (d.data.dtype, p.is_cuda, p.to(torch.float64).data.dtype, p.is_pinned(),
            type(p).__name__, p._fields, len(p), p[1].tolist(), p.cpu().data)  # fmt: skip


@program
def packed_sequence_through_lstm(torch):
    lstm = torch.nn.LSTM(2, 3, batch_first=True)
    x, lengths = _padded(torch)
    x = x.transpose(0, 1).contiguous()
    p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, (h, c) = lstm(p)
    y, ls = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
    return y, ls, h, c, out.unsorted_indices


@error(RuntimeError, r"`lengths` array must be sorted in decreasing order when `enforce_sorted` "
       r"is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
       r"pack_sequence to sidestep this requirement if you do not need ONNX exportability.")  # fmt: skip
def pack_padded_unsorted_enforced(torch):
    x, lengths = _padded(torch)
    torch.nn.utils.rnn.pack_padded_sequence(x, lengths)


@error(RuntimeError, r"Length of all samples has to be greater than 0, but found an element in "
       r"'lengths' that is <= 0")  # fmt: skip
def pack_padded_zero_length(torch):
    torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 0])


@error(
    RuntimeError, r"Expected `len\(lengths\)` to be equal to batch_size, but got 3 \(batch_size=2\)"
)
def pack_padded_lengths_count(torch):
    torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 2, 1])


@error(ValueError, r"Expected total_length to be at least the length of the longest sequence "
       r"in input, but got total_length=3 and max sequence length being 5")  # fmt: skip
def pad_packed_total_length_too_small(torch):
    x, lengths = _padded(torch)
    p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
    torch.nn.utils.rnn.pad_packed_sequence(p, total_length=3)


@error(RuntimeError, r"'lengths' argument should be a 1D CPU int64 tensor, but got 2D cpu Long "
       r"tensor")  # fmt: skip
def pack_padded_2d_lengths(torch):
    torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), torch.tensor([[3, 2]]))


@program
def pack_padded_float_and_list_lengths(torch):
    x = torch.randn(3, 2, 1)
    a = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor([3.0, 2.5]))
    b = torch.nn.utils.rnn.pack_padded_sequence(x, [2, 3], enforce_sorted=False)
    return a, b


# ---- dropout ------------------------------------------------------------------------------
@program
def dropout_variants_train_eval(torch):
    x = torch.randn(2, 4, 3, 3, 2, requires_grad=True)
    out = []
    for m in (torch.nn.Dropout(0.4), torch.nn.Dropout1d(0.4), torch.nn.Dropout2d(0.4),
              torch.nn.Dropout3d(0.4), torch.nn.AlphaDropout(0.4),
              torch.nn.FeatureAlphaDropout(0.4)):  # fmt: skip
        inp = x[:, :, 0, 0] if isinstance(m, torch.nn.Dropout1d) else x
        y = m(inp)
        (g,) = torch.autograd.grad(y.sum(), x)
        m.eval()
        out.append((y, g, torch.equal(m(inp), inp), repr(m)))
    return out


@program
def dropout_p_zero_and_one(torch):
    x = torch.randn(3, 4, 5, requires_grad=True)
    out = []
    for f in (torch.nn.functional.dropout, torch.nn.functional.dropout2d,
              torch.nn.functional.alpha_dropout, torch.nn.functional.feature_alpha_dropout):  # fmt: skip
        for p in (0.0, 1.0):
            y = f(x, p, True)
            (g,) = torch.autograd.grad(y.sum(), x)
            out.append((y, g))
    return out


@program
def dropout_inplace_keeps_identity(torch):
    x = torch.randn(4, 6)
    y = x.clone()
    z = torch.nn.functional.dropout(y, 0.3, True, inplace=True)
    w = torch.randn(2, 3, 4)
    v = torch.nn.Dropout1d(0.5, inplace=True)(w)
    return z is y, y, v is w, w


@program
def dropout_integer_and_bool_edges(torch):
    f = torch.nn.functional.dropout
    out = []
    for dt in (torch.long, torch.uint8, torch.bool):
        x = torch.ones(4, dtype=dt)
        out.append((f(x, 0.0), f(x, 1.0), f(x, 0.5, training=False)))
    return out


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def dropout_long_input_training(torch):
    torch.nn.functional.dropout(torch.ones(4, dtype=torch.long), 0.3)


@error(RuntimeError, r"result type Float can't be cast to the desired output type Byte")
def dropout2d_uint8_input_training(torch):
    torch.nn.functional.dropout2d(torch.ones(2, 3, 2, 2, dtype=torch.uint8), 0.3)


@error(RuntimeError, r"dropout1d: Expected 2D or 3D input, but received a 4D input. Note that "
       r"dropout1d exists to provide channel-wise dropout")  # fmt: skip
def dropout1d_4d_input(torch):
    torch.nn.Dropout1d()(torch.ones(2, 2, 2, 2))


@error(RuntimeError, r"Feature dropout requires at least 2 dimensions in the input")
def dropout2d_1d_input(torch):
    torch.nn.functional.dropout2d(torch.ones(3), 0.5)


@error(RuntimeError, r"Feature dropout requires at least 2 dimensions in the input")
def feature_alpha_dropout_1d_input(torch):
    torch.nn.functional.feature_alpha_dropout(torch.ones(3), 0.5, True)


@program
def dropout3d_and_dropout2d_unusual_ranks(torch):
    f3, f2 = torch.nn.functional.dropout3d, torch.nn.functional.dropout2d
    x = torch.ones(4, 3)
    y = torch.ones(5)
    return (f3(x, 0.5), f3(y, 0.5), f3(torch.ones(3, 2, 2, 2), 0.5), f2(torch.ones(4, 2, 3), 0.5),
            f2(torch.ones(2, 3, 2, 2, 2), 0.5), f2(torch.ones(4, 3), 0.5, False))  # fmt: skip


@error(ValueError, r"dropout probability has to be between 0 and 1, but got 1.5")
def dropout_module_bad_p(torch):
    torch.nn.Dropout2d(1.5)


@error(ValueError, r"dropout probability has to be between 0 and 1, but got -0.1")
def dropout3d_functional_bad_p(torch):
    torch.nn.functional.dropout3d(torch.ones(1, 1, 1, 1), -0.1)


@program
def alpha_dropout_statistics(torch):
    x = torch.randn(20000, dtype=torch.float64)
    y = torch.nn.functional.alpha_dropout(x, 0.3, True)
    z = torch.nn.functional.feature_alpha_dropout(
        torch.randn(400, 50, 4, dtype=torch.float64), 0.3, True
    )
    return round(y.mean().item(), 1), round(y.std().item(), 1), round(z.std().item(), 1), y[:10]


# ---- init ---------------------------------------------------------------------------------
@program
def init_calculate_gain_table(torch):
    g = torch.nn.init.calculate_gain
    names = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
             "conv_transpose3d", "sigmoid", "tanh", "relu", "selu"]  # fmt: skip
    return [g(n) for n in names] + [g("leaky_relu"), g("leaky_relu", 0.2), g("leaky_relu", 3),
                                    g("tanh", 5)]  # fmt: skip


@error(ValueError, r"Unsupported nonlinearity gelu")
def init_gain_unsupported(torch):
    torch.nn.init.calculate_gain("gelu")


@error(ValueError, r"negative_slope abc not a valid number")
def init_gain_bad_slope(torch):
    torch.nn.init.calculate_gain("leaky_relu", "abc")


@error(ValueError, r"negative_slope True not a valid number")
def init_gain_bool_slope(torch):
    torch.nn.init.calculate_gain("leaky_relu", True)


@program
def init_deterministic_fills(torch):
    out = []
    w = torch.empty(3, 5)
    out.append(torch.nn.init.constant_(w, 0.3).clone())
    out.append(torch.nn.init.ones_(w).clone())
    out.append(torch.nn.init.zeros_(w).clone())
    out.append(torch.nn.init.eye_(torch.empty(3, 5)))
    out.append(torch.nn.init.eye_(torch.empty(4, 2)))
    out.append(torch.nn.init.dirac_(torch.empty(4, 2, 3)))
    out.append(torch.nn.init.dirac_(torch.empty(6, 2, 3, 3), groups=3))
    out.append(torch.nn.init.dirac_(torch.empty(2, 4, 2, 2, 2)))
    return out


@error(ValueError, r"Only tensors with 2 dimensions are supported")
def init_eye_3d(torch):
    torch.nn.init.eye_(torch.empty(2, 2, 2))


@error(ValueError, r"Only tensors with 3, 4, or 5 dimensions are supported")
def init_dirac_2d(torch):
    torch.nn.init.dirac_(torch.empty(2, 2))


@error(ValueError, r"dim 0 must be divisible by groups")
def init_dirac_groups(torch):
    torch.nn.init.dirac_(torch.empty(5, 2, 3), groups=2)


@program
def init_random_fills_match_stream(torch):
    init = torch.nn.init
    return [
        init.uniform_(torch.empty(3, 4), -2, 3),
        init.normal_(torch.empty(3, 4), 1.0, 0.5),
        init.xavier_uniform_(torch.empty(5, 3), gain=2.0),
        init.xavier_normal_(torch.empty(5, 3, 2)),
        init.kaiming_uniform_(torch.empty(4, 6), a=0.1, mode="fan_out"),
        init.kaiming_normal_(torch.empty(4, 6, 3), nonlinearity="leaky_relu"),
        init.kaiming_uniform_(torch.empty(4, 6), nonlinearity="linear"),
        init.kaiming_normal_(torch.empty(4, 6), mode="Fan_Out"),
        init.trunc_normal_(torch.empty(3, 4), 0.0, 1.0, -0.5, 0.5),
    ]


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def init_orthogonal_shapes_and_gain(torch):
    out = []
    for shape in ((3, 5), (5, 3), (4, 2, 3)):
        w = torch.nn.init.orthogonal_(torch.empty(*shape), gain=2.0)
        flat = w.reshape(shape[0], -1)
        small = min(flat.shape)
        gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
        out.append((w.shape, gram))
    return out


@error(ValueError, r"Only tensors with 2 or more dimensions are supported")
def init_orthogonal_1d(torch):
    torch.nn.init.orthogonal_(torch.empty(3))


@program
def init_sparse_zero_counts(torch):
    w = torch.nn.init.sparse_(torch.empty(10, 4), sparsity=0.3, std=0.5)
    return (w == 0).sum(0), w.shape


@error(ValueError, r"Only tensors with 2 dimensions are supported")
def init_sparse_3d(torch):
    torch.nn.init.sparse_(torch.empty(3, 3, 3), 0.1)


@error(ValueError, r"Fan in and fan out can not be computed for tensor with fewer than 2 "
       r"dimensions")  # fmt: skip
def init_xavier_1d(torch):
    torch.nn.init.xavier_uniform_(torch.empty(4))


@error(ValueError, r"Mode fan_avg not supported, please use one of \['fan_in', 'fan_out'\]")
def init_kaiming_bad_mode(torch):
    torch.nn.init.kaiming_normal_(torch.empty(3, 3), mode="FAN_AVG")


@program
def init_statistics(torch):
    init = torch.nn.init
    w = init.kaiming_normal_(torch.empty(400, 300, dtype=torch.float64), mode="fan_out")
    u = init.kaiming_uniform_(torch.empty(400, 300, dtype=torch.float64), a=1.0)
    x = init.xavier_uniform_(torch.empty(300, 500, dtype=torch.float64))
    t = init.trunc_normal_(torch.empty(20000, dtype=torch.float64), 1.0, 2.0, -1.0, 2.0)
    return [round(v, 2) for v in (w.std().item() * 20, u.abs().max().item() * 10,
            x.abs().max().item() * 10, t.min().item(), t.max().item())]  # fmt: skip


@program
def init_no_grad_and_returns_same(torch):
    w = torch.nn.Parameter(torch.empty(3, 3))
    r = torch.nn.init.normal_(w)
    s = torch.nn.init.constant_(w, 2)
    return r is w, s is w, w.requires_grad, w.grad_fn is None, w


@program
def init_zero_element_tensor(torch):
    init = torch.nn.init
    w = torch.empty(0, 3)
    return init.xavier_uniform_(w), init.kaiming_normal_(torch.empty(3, 0)), init.normal_(w)


@program
def init_integer_and_generator(torch):
    g = torch.Generator().manual_seed(3)
    a = torch.nn.init.uniform_(torch.empty(2, 3), generator=g)
    b = torch.nn.init.normal_(torch.empty(2, 3), generator=torch.Generator().manual_seed(3))
    return a, b, torch.nn.init.constant_(torch.empty(2, dtype=torch.long), 3)


# ---- embedding, second part (test_embedding's cases) --------------------------------------
@program
def embedding_from_pretrained_integer_weights(torch):
    out = []
    for dt in (torch.uint8, torch.int16, torch.int64, torch.float64):
        a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).to(dt)
        emb = torch.nn.Embedding.from_pretrained(a)
        out.append((emb.weight, emb(torch.tensor([1, 0]))))
    return out


@program
def embedding_from_pretrained_options_renorm(torch):
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=torch.float64)
    emb = torch.nn.Embedding.from_pretrained(a, max_norm=2.0, norm_type=0.5)
    y = emb(torch.tensor([0, 1]))
    bag = torch.nn.EmbeddingBag.from_pretrained(a.clone(), max_norm=2.0, norm_type=0.5, mode="max")
    return y, a, bag(torch.tensor([[0, 1]])), bag.weight


@program
def embedding_max_norm_backward_counts(torch):
    weight = (torch.randn(4, 4) * 2).requires_grad_()
    torch.nn.functional.embedding(torch.tensor([0, 1, 2, 2]), weight, max_norm=1.0).sum().backward()
    return weight.grad, weight


@error(RuntimeError, r"'weight' must be 2-D")
def embedding_scalar_weight(torch):
    torch.nn.functional.embedding(torch.tensor([[0, 0]]), torch.tensor(1.0))


@error(RuntimeError, r"'weight' must be 2-D")
def embedding_3d_weight(torch):
    torch.nn.functional.embedding(torch.tensor([[0, 0]]), torch.ones(1, 1, 1))


@error(RuntimeError, r"padding_idx must be within the number of embeddings")
def embedding_bag_functional_padding_idx_range(torch):
    torch.nn.functional.embedding_bag(torch.tensor([[1, 3]]), torch.rand(4, 3), padding_idx=-5)


@error(AssertionError, r"padding_idx must be within num_embeddings")
def embedding_bag_module_padding_idx_range(torch):
    torch.nn.EmbeddingBag(4, 3, padding_idx=4)


@program
def embedding_bag_padding_idx_negative_and_functional(torch):
    a = torch.tensor([[1, 3, 2], [0, 2, 1]])
    w = torch.rand(4, 3, requires_grad=True)
    out = [torch.nn.functional.embedding_bag(a, w, padding_idx=p) for p in (-4, -1, 0, 3)]
    bag = torch.nn.EmbeddingBag.from_pretrained(w, padding_idx=2)
    out.append(bag(a))
    out.append(bag.padding_idx)
    out.append(torch.nn.functional.embedding(a, w, padding_idx=-2))
    return out


@program
def embedding_bag_include_last_offset_padding(torch):
    bag = torch.nn.EmbeddingBag(100, 3, include_last_offset=True, padding_idx=61)
    x = torch.tensor([0, 1, 2, 3])
    return bag(x, torch.tensor([0, 3, 4])), bag(x, torch.tensor([0, 4]))


@program
def embedding_dim_zero_and_empty(torch):
    emb = torch.nn.Embedding(10, 0)
    y = emb(torch.tensor([[0, 2], [4, 5]]))
    y.sum().backward()
    e0 = torch.nn.Embedding(0, 0)
    return y, emb.weight.grad, e0(torch.tensor([], dtype=torch.int64))


@program
def embedding_twice_backward_accumulates(torch):
    emb = torch.nn.Embedding(10, 3).double()
    idx = torch.tensor([7, 1, 3])
    emb(idx).sum().backward()
    emb(idx).sum().backward()
    g1 = emb.weight.grad.clone()
    emb.zero_grad()
    return g1, emb.weight.grad


@error(AssertionError, r"Padding_idx must be within num_embeddings")
def embedding_functional_padding_idx_range(torch):
    torch.nn.functional.embedding(torch.tensor([5]), torch.rand(4, 3), padding_idx=-5)


# ---- pooling, second part (test_pooling's cases) ------------------------------------------
@error(RuntimeError, r"Found an invalid max index: 28 \(output volumes are of size 5x5\)")
def max_unpool2d_default_size_too_small_for_indices(torch):
    big = torch.rand(1, 1, 6, 6)
    big[0, 0, 4, 4] = 100
    out, idx = torch.nn.MaxPool2d(3, stride=2, return_indices=True)(big)
    torch.nn.MaxUnpool2d(3, stride=2)(out, idx)


@program
def max_unpool2d_output_size_forms(torch):
    small = torch.rand(1, 1, 5, 5)
    small[:, :, ::2, ::2][:, :, :2, :2] = 100
    out, idx = torch.nn.MaxPool2d(3, stride=2, return_indices=True)(small)
    mu = torch.nn.MaxUnpool2d(3, stride=2)
    return [mu(out, idx, output_size=s).shape for s in ((4, 4), (5, 6), (1, 1, 6, 6))]


@error(ValueError, r"invalid output_size \"\(3, 5\)\" \(dim 0 must be between 3 and 7\)")
def max_unpool2d_output_size_too_small(torch):
    out, idx = torch.nn.MaxPool2d(3, stride=2, return_indices=True)(torch.rand(1, 1, 5, 5))
    torch.nn.MaxUnpool2d(3, stride=2)(out, idx, (3, 5))


@program
def max_unpool_index_edges(torch):
    out = []
    for cls, k, shape in ((torch.nn.MaxUnpool2d, (2, 2), (1, 3, 4, 5)),
                          (torch.nn.MaxUnpool2d, (2, 3), (2, 1, 4, 2)),
                          (torch.nn.MaxUnpool3d, (2, 2, 2), (2, 3, 4, 1))):  # fmt: skip
        unpool = cls(k)
        x = torch.rand(*shape)
        last = unpool(x, torch.zeros(shape, dtype=torch.int64)).shape[-len(k) :].numel() - 1
        idx = torch.zeros(shape, dtype=torch.int64)
        idx.view(-1)[0] = last
        out.append(unpool(x, idx).flatten(-len(k))[..., 1:])  # index 0 is written many times
    return out


@error(RuntimeError, r"Found an invalid max index: 480 \(output volumes are of size 6x8x10\)")
def max_unpool3d_index_one_past(torch):
    idx = torch.zeros(1, 3, 4, 5, dtype=torch.int64)
    idx.view(-1)[0] = 480
    torch.nn.MaxUnpool3d((2, 2, 2))(torch.rand(1, 3, 4, 5), idx)


@program
def max_unpool_stride_defaults_and_shapes(torch):
    F = torch.nn.functional
    o1, i1 = F.max_pool1d(
        torch.randn(1, 1, 5, dtype=torch.float64), 2, stride=2, return_indices=True
    )
    o3, i3 = F.max_pool3d(torch.randn(2, 2, 4, 4, 4), 2, stride=2, return_indices=True)
    return (F.max_unpool1d(o1, i1, 2), F.max_unpool1d(o1, i1, 2, stride=2, output_size=torch.Size([1, 1, 5])),
            F.max_unpool3d(o3, i3, 2))  # fmt: skip


@program
def adaptive_pooling_size_none_modules(torch):
    out = []
    for n in (2, 3):
        for kind in ("Max", "Avg"):
            m = getattr(torch.nn, f"Adaptive{kind}Pool{n}d")((2,) * (n - 1) + (None,))
            out.append(m(torch.randn((4,) * (n + 1))))
    return out


@program
def adaptive_and_max_pool_zero_batch(torch):
    out = []
    for mod, shape in ((torch.nn.AdaptiveAvgPool1d(5), (0, 10)),
                       (torch.nn.AdaptiveMaxPool2d(3), (0, 16, 10, 8)),
                       (torch.nn.MaxPool1d(3, stride=2), (0, 16, 50)),
                       (torch.nn.MaxPool3d(3, stride=2), (0, 4, 9, 8, 7))):  # fmt: skip
        x = torch.ones(*shape, requires_grad=True)
        y = mod(x)
        y.sum().backward()
        out.append((y, x.grad))
    return out


@error(RuntimeError, r"Expected")
def max_pool3d_zero_channels(torch):
    torch.nn.MaxPool3d(3, stride=2)(torch.ones(1, 0, 8, 8, 8))


@error(RuntimeError, r"adaptive_max_pool1d\(\): Expected input to have non-zero size for "
       r"non-batch dimensions, but input has sizes \[1, 0, 50\] with dimension 1 being empty")  # fmt: skip
def adaptive_max_pool1d_zero_channels(torch):
    torch.nn.AdaptiveMaxPool1d(3)(torch.randn(1, 0, 50))


@error(RuntimeError, r"adaptive_max_pool2d\(\): Expected input to have non-zero size for "
       r"non-batch dimensions, but input has sizes \[0, 5, 5\] with dimension 1 being empty|"
       r"with dimension")  # fmt: skip
def adaptive_max_pool2d_unbatched_empty(torch):
    torch.nn.functional.adaptive_max_pool2d(torch.randn(3, 0, 5), 2)


@error(RuntimeError, r"adaptive_avg_pool3d\(\): Expected input to have non-zero size for "
       r"non-batch dimensions, but input has sizes \[1, 2, 0, 5, 5\] with dimension 2 being empty")  # fmt: skip
def adaptive_avg_pool3d_empty_depth(torch):
    torch.nn.functional.adaptive_avg_pool3d(torch.randn(1, 2, 0, 5, 5), 3)


@error(RuntimeError, r"adaptive_max_pool3d\(\): Expected input to have non-zero size")
def adaptive_max_pool3d_empty_channels(torch):
    torch.nn.functional.adaptive_max_pool3d(torch.randn(2, 0, 2, 5, 5), 3)


@program
def adaptive_avg_pool_1d_2d_accept_empty_channels(torch):
    F = torch.nn.functional
    return F.adaptive_avg_pool1d(torch.randn(1, 0, 50), 3), F.adaptive_avg_pool2d(
        torch.randn(1, 0, 5, 5), 3
    )


@program
def max_unpool_zero_batch_grads(torch):
    pool = torch.nn.MaxPool2d(2, stride=2, return_indices=True)
    x = torch.randn(0, 3, 4, 4, requires_grad=True)
    y, i = pool(x)
    up = torch.nn.MaxUnpool2d(2, stride=2)(y, i)
    up.sum().backward()
    return up, x.grad


@program
def fractional_max_pool_zero_output_and_batch(torch):
    a = torch.nn.FractionalMaxPool2d([2, 2], output_size=[0, 1])(torch.rand(2, 3, 8, 8))
    samples = torch.rand(0, 4, 2)
    m = torch.nn.FractionalMaxPool2d([2, 2], output_size=[1, 1], _random_samples=samples)
    return a, m(torch.randn(0, 4, 8, 8))


@error(RuntimeError, r"Expect _random_samples.size\(0\) no less then input batch size.")
def fractional_max_pool_sample_batch_mismatch(torch):
    samples = torch.rand(0, 4, 2)
    m = torch.nn.FractionalMaxPool2d([2, 2], output_size=[1, 1], _random_samples=samples)
    m(torch.randn(1, 4, 8, 8))


@error(RuntimeError, r"Expect _random_samples.size\(1\) equals to input channel size.")
def fractional_max_pool_sample_channel_mismatch(torch):
    x = torch.randn(2, 4, 8, 8)
    torch.nn.functional.fractional_max_pool2d(
        x, 2, output_size=1, _random_samples=torch.rand(2, 3, 2)
    )


@error(RuntimeError, r"Expect _random_samples.size\(2\) equals to 3; got 2.")
def fractional_max_pool3d_sample_width(torch):
    x = torch.randn(1, 2, 5, 5, 5)
    torch.nn.functional.fractional_max_pool3d(
        x, 2, output_size=2, _random_samples=torch.rand(1, 2, 2)
    )


@error(RuntimeError, r"Expect _random_samples to have 3 dimensions, got 2")
def fractional_max_pool_sample_rank(torch):
    x = torch.randn(2, 4, 8, 8)
    torch.nn.functional.fractional_max_pool2d(x, 2, output_size=1, _random_samples=torch.rand(4, 2))


@error(RuntimeError, r"Expect _random_samples to have the same dtype as input")
def fractional_max_pool_sample_dtype(torch):
    x = torch.randn(2, 4, 8, 8)
    samples = torch.rand(2, 4, 2, dtype=torch.float64)
    torch.nn.functional.fractional_max_pool2d(x, 2, output_size=1, _random_samples=samples)


@program
def fractional_max_pool_longer_samples(torch):
    x = torch.randn(2, 4, 8, 8)
    return torch.nn.functional.fractional_max_pool2d(x, 2, output_size=3, return_indices=True,
                                                     _random_samples=torch.rand(3, 4, 2))  # fmt: skip


@program
def avg_pool_ceil_mode_no_nan(torch):
    F = torch.nn.functional
    x = 10 * torch.randn(1, 4, 4, 4)
    return (F.avg_pool1d(x[0], 1, 2, ceil_mode=True), F.avg_pool2d(x, (1, 2), 2, (0, 1), True),
            F.avg_pool3d(x.unsqueeze(0), (1, 2, 3), 2, ceil_mode=True))  # fmt: skip


@program
def avg_pool_divisor_sweep(torch):
    x = torch.rand(1, 3, 3, dtype=torch.float64)
    F = torch.nn.functional
    return [F.avg_pool2d(x, (i, j), divisor_override=d) for i in (1, 2, 3) for j in (1, 3)
            for d in (1, 7)]  # fmt: skip


# ---- packed sequences, second part (test_packed_sequence's cases) ------------------------
@program
def packed_sequence_type_casts(torch):
    seqs = [torch.tensor([5, -3, 7]), torch.tensor([1, 2]), torch.tensor([9])]
    out = []
    for enforce in (True, False):
        p = torch.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=enforce)
        for cast in ("double", "float", "long", "int", "short", "char", "byte", "half"):
            q = getattr(p, cast)()
            out.append((q.data.dtype, q.sorted_indices))
        out.append(torch.nn.utils.rnn.pad_packed_sequence(p.double())[0])
    return out


@program
def packed_sequence_to_identity(torch):
    seqs = [torch.tensor([5, -3, 7], dtype=torch.int32), torch.tensor([1, 2], dtype=torch.int32)]
    a = torch.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
    return (a.to("cpu") is a, a.cpu() is a, a.to("cpu", dtype=torch.int32) is a,
            a.to(torch.int64).data, a.long().data, a.to(dtype=torch.float32).data)  # fmt: skip


@program
def pad_sequence_tensor_input_and_values(torch):
    rnn = torch.nn.utils.rnn
    a, b, c = torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])
    return (rnn.pad_sequence((torch.tensor([[7, 6]]), torch.tensor([[-7, -1]]))),
            rnn.pad_sequence(torch.tensor([[[7, 6]], [[-7, -1]]])),
            rnn.pad_sequence([b, a, c], True), rnn.pad_sequence([b, a, c]),
            rnn.pad_sequence([b, a, c], True, 1),
            rnn.pad_sequence([torch.rand(4, 5, 2), torch.rand(1, 5, 2)], True),
            rnn.pad_sequence([b, a, c], True, 0, "left"))  # fmt: skip


@error(RuntimeError, r"pad_sequence: Expected iterable for input sequences, but got arg of type: "
       r"<class 'int'>")  # fmt: skip
def pad_sequence_not_iterable(torch):
    torch.nn.utils.rnn.pad_sequence(5)


@error(RuntimeError, r"must be sorted in decreasing order")
def pack_padded_wrong_order(torch):
    b_a = torch.nn.utils.rnn.pad_sequence([torch.ones(22, 3), torch.ones(25, 3)])
    torch.nn.utils.rnn.pack_padded_sequence(b_a, [22, 25], enforce_sorted=True)


@error(RuntimeError, r"You can pass `enforce_sorted=False`")
def pack_sequence_unsorted_enforced(torch):
    seqs = [torch.tensor([4, 5]), torch.tensor([6]), torch.tensor([1, 2, 3])]
    torch.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=True)


@program
def pack_sequence_indices_and_pad_packed_lengths(torch):
    rnn = torch.nn.utils.rnn
    a, b, c = torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])
    p1 = rnn.pack_sequence([a, b, c], enforce_sorted=False)
    p2 = rnn.pack_sequence([b, c, a], enforce_sorted=False)
    p3 = rnn.pack_sequence([a, b, c])
    out = [(p.batch_sizes, p.data, p.sorted_indices, p.unsorted_indices) for p in (p1, p2, p3)]
    for bf in (True, False):
        for extra in (0, 1, 8):
            out.append(rnn.pad_packed_sequence(p2, batch_first=bf, total_length=3 + extra))
    return out


@error(ValueError, r"Expected total_length to be at least the length of the longest sequence "
       r"in input, but got total_length=-1 and max sequence length being 3")  # fmt: skip
def pad_packed_negative_total_length(torch):
    seqs = [torch.tensor([1, 2, 3]), torch.tensor([4, 5])]
    p = torch.nn.utils.rnn.pack_sequence(seqs)
    torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True, total_length=-1)


@program
def pack_padded_sequence_grads_through_unsorted(torch):
    rnn = torch.nn.utils.rnn
    x = torch.arange(1.0, 31).reshape(3, 2, 5).requires_grad_(True)
    p = rnn.pack_padded_sequence(x, [1, 3], batch_first=False, enforce_sorted=False)
    (p.data * torch.arange(p.data.numel()).reshape(p.data.shape)).sum().backward()
    return p.data, p.batch_sizes, x.grad


# ---- multi-head attention, second part (test_multihead_attention's cases) ---------------
def _mha_shape_error(mha_kwargs, q, k, v, no_grad=False, **call):
    def prog(torch):
        mha = torch.nn.MultiheadAttention(4, 4, **mha_kwargs)
        args = [torch.randn(*s) for s in (q, k, v)]
        extra = {n: torch.tensor(m, dtype=torch.bool) for n, m in call.items()}
        if no_grad:
            mha.eval()
            with torch.no_grad():
                return mha(*args, need_weights=False, **extra)
        return mha(*args, **extra)

    return prog


for _name, _match, _args in (
    ("key_2d", r"expected `key` and `value` to be 3-D but found 2-D and 3-D tensors respectively",
     ((4, 4, 4), (4, 4), (4, 4, 4))),
    ("value_2d", r"expected `key` and `value` to be 3-D but found 3-D and 2-D tensors respectively",
     ((4, 4, 4), (4, 4, 4), (4, 4))),
    ("unbatched_key_3d",
     r"expected `key` and `value` to be 2-D but found 3-D and 2-D tensors respectively",
     ((4, 4), (4, 4, 4), (4, 4))),
    ("unbatched_value_3d",
     r"expected `key` and `value` to be 2-D but found 2-D and 3-D tensors respectively",
     ((4, 4), (4, 4), (4, 4, 4))),
):  # fmt: skip
    for _fast in (False, True):
        _prog = _mha_shape_error({"batch_first": True}, *_args, no_grad=_fast)
        _prog.__name__ = f"mha_{_name}{'_fast_path' if _fast else ''}"
        error(AssertionError, _match)(_prog)

for _name, _match, _q, _call in (
    ("kpm_1d", r"expected `key_padding_mask` to be `None` or 2-D but found 1-D tensor instead",
     (4, 4, 4), {"key_padding_mask": [False, False, True, True]}),
    ("attn_mask_1d",
     r"expected `attn_mask` to be `None`, 2-D or 3-D but found 1-D tensor instead",
     (4, 4, 4), {"attn_mask": [False, False, True, True]}),
    ("unbatched_kpm_2d",
     r"expected `key_padding_mask` to be `None` or 1-D but found 2-D tensor instead",
     (4, 4), {"key_padding_mask": [[False, False, True, True] * 2]}),
    ("unbatched_attn_mask_1d",
     r"expected `attn_mask` to be `None`, 2-D or 3-D but found 1-D tensor instead",
     (4, 4), {"attn_mask": [False, False, True, True]}),
    ("unbatched_attn_mask_3d_wrong", r"Expected `attn_mask` shape to be \(4, 4, 4\) but got "
     r"torch.Size\(\[5, 4, 4\]\)", (4, 4), {"attn_mask": [[[False] * 4] * 4] * 5}),
):  # fmt: skip
    for _fast in (False, True):
        _prog = _mha_shape_error({}, _q, _q, _q, no_grad=_fast, **_call)
        _prog.__name__ = f"mha_{_name}{'_fast_path' if _fast else ''}"
        error(AssertionError, _match)(_prog)


@error(AssertionError, r"bias cannot be added to static key.")
def mha_static_key_with_bias_kv(torch):
    E, H = 4, 2
    q = torch.randn(3, 2, E)
    k = torch.randn(5, 2, E)
    static_k = torch.randn(2 * H, 5, E // H)
    torch.nn.functional.multi_head_attention_forward(
        q, k, k, E, H, torch.randn(3 * E, E), torch.randn(3 * E), torch.randn(1, 1, E),
        torch.randn(1, 1, E), False, 0.0, torch.randn(E, E), torch.randn(E), training=False,
        static_k=static_k,
    )  # fmt: skip


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_functional_static_kv_zero_attn(torch):
    E, H = 4, 2
    q = torch.randn(3, 2, E)
    k = torch.randn(5, 2, E)
    static_k = torch.randn(2 * H, 5, E // H)
    static_v = torch.randn(2 * H, 5, E // H)
    kpm = torch.tensor([[False] * 4 + [True], [False] * 5])
    return torch.nn.functional.multi_head_attention_forward(
        q, k, k, E, H, torch.randn(3 * E, E), torch.randn(3 * E), None, None, True, 0.0,
        torch.randn(E, E), torch.randn(E), training=False, static_k=static_k,
        static_v=static_v, key_padding_mask=kpm,
    )  # fmt: skip


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_3d_mask_matches_per_sample_2d(torch):
    E, H, N, S, T = 8, 4, 3, 3, 2
    q, k = torch.rand(N, T, E), torch.rand(N, S, E)
    mask = torch.randint(0, 2, (N, T, S)).float()
    mask = mask.masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, 0.0)
    mask[:, :, 0] = 0.0  # no fully masked rows
    mha = torch.nn.MultiheadAttention(E, H)
    out3 = mha(q.transpose(0, 1), k.transpose(0, 1), k.transpose(0, 1),
               attn_mask=torch.repeat_interleave(mask, H, dim=0))[0].transpose(0, 1)  # fmt: skip
    out2 = [mha(q[i].unsqueeze(1), k[i].unsqueeze(1), k[i].unsqueeze(1), attn_mask=mask[i])[0]
            for i in range(N)]  # fmt: skip
    return out3, out2


@program
def mha_no_bias_attributes(torch):
    mha = torch.nn.MultiheadAttention(8, 4, bias=False)
    return mha.in_proj_bias is None, mha.out_proj.bias is None, sorted(mha.state_dict())


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_two_masks_fast_path_matches_slow(torch):
    E, H, N, S = 14, 7, 4, 5
    x = torch.rand(N, S, E)
    attn_mask = torch.randint(0, 2, (S, S)).bool()
    kpm = torch.randint(0, 2, (N, S)).bool()
    kpm[:, 0] = False
    attn_mask[:, 0] = False
    mha = torch.nn.MultiheadAttention(E, H, batch_first=True)
    slow = mha(x, x, x, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=False)[0]
    mha.eval()
    with torch.no_grad():
        fast = mha(x, x, x, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=False)[0]
    return slow, fast


@error(AssertionError, r"expecting static_v.size\(0\) of 4, but got 3")
def mha_static_v_wrong_batch_heads(torch):
    E, H = 4, 2
    q = torch.randn(3, 2, E)
    torch.nn.functional.multi_head_attention_forward(
        q, q, q, E, H, torch.randn(3 * E, E), None, None, None, False, 0.0, torch.randn(E, E),
        None, training=False, static_k=torch.randn(4, 3, 2), static_v=torch.randn(3, 3, 2),
    )  # fmt: skip


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def mha_static_kv_other_length_grads(torch):
    E, H = 4, 2
    q = torch.randn(3, 2, E, requires_grad=True)
    sk = torch.randn(4, 6, 2, requires_grad=True)
    sv = torch.randn(4, 6, 2, requires_grad=True)
    out, w = torch.nn.functional.multi_head_attention_forward(
        q, q, q, E, H, torch.randn(3 * E, E), torch.randn(3 * E), None, None, False, 0.0,
        torch.randn(E, E), torch.randn(E), training=False, static_k=sk, static_v=sv,
        average_attn_weights=False,
    )  # fmt: skip
    out.pow(2).sum().backward()
    return out, w, q.grad, sk.grad, sv.grad


# ---- dropout, second part (test_dropout's cases) ------------------------------------------
def _warning_texts(torch, fn):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


@program
def dropout_nd_rank_warnings(torch):
    return [
        _warning_texts(torch, lambda: torch.nn.Dropout2d(0.5)(torch.rand(1, 2, 2, 2, 2))),
        _warning_texts(torch, lambda: torch.nn.Dropout2d(0.5)(torch.rand(1, 2))),
        _warning_texts(torch, lambda: torch.nn.Dropout2d(0.5)(torch.rand(1, 2, 2))),
        _warning_texts(torch, lambda: torch.nn.Dropout3d(0.5)(torch.rand(1, 2, 2, 2, 2, 2))),
        _warning_texts(torch, lambda: torch.nn.Dropout3d(0.5)(torch.rand(1, 2, 2))),
        _warning_texts(torch, lambda: torch.nn.Dropout3d(0.5)(torch.rand(1, 2, 2, 2))),
    ]


@error(RuntimeError, r"Expected 2D or 3D input, but received a 1D input")
def dropout1d_1d_input(torch):
    torch.nn.Dropout1d(p=0.5)(torch.rand(2))


@program
def dropout_discontiguous_and_permuted_layouts(torch):
    out = []
    for cls in (torch.nn.Dropout, torch.nn.Dropout2d, torch.nn.Dropout3d):
        for p in (0, 1e-10):
            x = torch.empty(2, 3, 3, 6)[..., ::2]
            x.copy_(torch.ones(2, 3, 3, 3))
            y = cls(p=p)(x)
            out.append((y, y.is_contiguous(), y.stride()))
    x = torch.ones(2, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)[1:]
    for p in (1e-10, 0.5):
        y = torch.nn.Dropout(p)(x)
        out.append((y.stride(), y.mean()))
    return out


@program
def dropout_nd_whole_channels_and_no_batch(torch):
    out = []
    for cls, shape in ((torch.nn.Dropout1d, (10, 4, 2)), (torch.nn.Dropout2d, (10, 4, 2, 2)),
                       (torch.nn.Dropout3d, (10, 4, 2, 2, 2))):  # fmt: skip
        for inplace in (False, True):
            y = cls(0.5, inplace)(torch.ones(*shape))
            counts = y.flatten(2).count_nonzero(-1)
            out.append((y, counts))
    for cls, shape in ((torch.nn.Dropout1d, (50, 2)), (torch.nn.Dropout3d, (5, 2, 2, 2))):
        out.append(cls(0.5)(torch.rand(*shape)))
    return out


@program
def dropout_empty_and_bfloat16(torch):
    x = torch.tensor([])
    y = torch.nn.functional.dropout(x)
    w = torch.full((16,), 0.8, dtype=torch.bfloat16, requires_grad=True)
    z = torch.nn.Dropout(0.2)(w)
    z.sum().backward()
    return y, z.float(), z.dtype, w.grad.float()


# ---- init, second part (test_init's cases) ------------------------------------------------
@program
def init_zero_element_warnings(torch):
    init = torch.nn.init
    return [
        _warning_texts(torch, lambda: init.kaiming_uniform_(torch.empty(0, 3))),
        _warning_texts(torch, lambda: init.kaiming_normal_(torch.empty(3, 0, 2))),
        _warning_texts(torch, lambda: init.xavier_uniform_(torch.empty(0, 3))),
        _warning_texts(torch, lambda: init.orthogonal_(torch.empty(0, 3))),
    ]


@program
def init_deprecated_names(torch):
    init = torch.nn.init
    out = []
    for name, args in (("uniform", ()), ("normal", ()), ("constant", (0.5,)),
                       ("xavier_uniform", ()), ("xavier_normal", ()), ("kaiming_uniform", ()),
                       ("kaiming_normal", ()), ("orthogonal", ()), ("sparse", (0.5,))):  # fmt: skip
        w = torch.empty(4, 3)
        texts = _warning_texts(torch, lambda: getattr(init, name)(w, *args))  # noqa: B023
        out.append((texts, w.shape))
    return out


@program
def init_dirac_preserves_conv_input(torch):
    out = []
    for dims in (1, 2, 3):
        conv = getattr(torch.nn.functional, f"conv{dims}d")
        w = torch.nn.init.dirac_(torch.empty(6, 3, *([3] * dims)), groups=2)
        x = torch.randn(1, 6 // 2 * 2, *([5] * dims))
        out.append(conv(x, w, padding=1, groups=2))
        out.append(conv(x[:, :3], torch.nn.init.dirac_(torch.empty(4, 3, *([1] * dims)))))
    return out


@program
def init_sparse_default_std_and_columns(torch):
    w = torch.nn.init.sparse_(torch.empty(20, 7), 0.25)
    return (w == 0).sum(0), w.shape


@program
def init_trunc_normal_generator_and_bounds(torch):
    g = torch.Generator().manual_seed(11)
    a = torch.nn.init.trunc_normal_(torch.empty(5, 4), mean=2.0, std=3.0, a=1.0, b=4.0, generator=g)
    b = torch.nn.init.trunc_normal_(torch.empty(1000, dtype=torch.float64), a=-0.1, b=0.1)
    return a, b.min() >= -0.1, b.max() <= 0.1


@error(ValueError, r"Fan in and fan out can not be computed for tensor with fewer than 2 "
       r"dimensions")  # fmt: skip
def init_kaiming_uniform_0d(torch):
    torch.nn.init.kaiming_uniform_(torch.tensor(1.0))


# ---- convolution, second part: argument errors --------------------------------------------
@error(RuntimeError, r"Given weight of size \[3, 2, 3\], expected bias to be 1-dimensional with "
       r"3 elements, but got bias of size \[4\] instead")  # fmt: skip
def conv1d_bias_wrong_size(torch):
    torch.nn.functional.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 3), torch.randn(4))


@error(RuntimeError, r"Given weight of size \[3, 2, 3, 3, 3\], expected bias to be 1-dimensional "
       r"with 3 elements, but got bias of size \[4\] instead")  # fmt: skip
def conv3d_bias_wrong_size(torch):
    torch.nn.functional.conv3d(
        torch.randn(1, 2, 5, 5, 5), torch.randn(3, 2, 3, 3, 3), torch.randn(4)
    )


@error(RuntimeError, r"Given transposed=1, weight of size \[2, 2, 3\], expected bias to be "
       r"1-dimensional with 2 elements, but got bias of size \[3\] instead")  # fmt: skip
def conv_transpose1d_bias_wrong_size(torch):
    torch.nn.functional.conv_transpose1d(torch.randn(1, 2, 5), torch.randn(2, 2, 3), torch.randn(3))


@error(RuntimeError, r"expected padding to be a single integer value or a list of 2 values to "
       r"match the convolution dimensions, but got padding=\[1, 1, 1\]")  # fmt: skip
def conv2d_padding_wrong_count(torch):
    torch.nn.functional.conv2d(torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3), padding=(1, 1, 1))


@error(RuntimeError, r"expected stride to be a single integer value or a list of 1 values to "
       r"match the convolution dimensions, but got stride=\[1, 1\]")  # fmt: skip
def conv1d_stride_wrong_count(torch):
    torch.nn.functional.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 3), stride=(1, 1))


@error(RuntimeError, r"expected dilation to be a single integer value or a list of 3 values")
def conv3d_dilation_wrong_count(torch):
    torch.nn.functional.conv3d(torch.randn(1, 2, 5, 5, 5), torch.randn(3, 2, 3, 3, 3),
                               dilation=(1, 2))  # fmt: skip


@error(RuntimeError, r"expected output_padding to be a single integer value or a list of 2 values")
def conv_transpose2d_output_padding_wrong_count(torch):
    torch.nn.functional.conv_transpose2d(torch.randn(1, 2, 5, 5), torch.randn(2, 3, 3, 3),
                                         stride=2, output_padding=(1, 1, 1))  # fmt: skip


@error(RuntimeError, r"Given groups=2, expected weight to be divisible by 2 at dimension 0")
def conv2d_groups_weight_not_divisible(torch):
    torch.nn.functional.conv2d(torch.randn(1, 4, 5, 5), torch.randn(3, 2, 3, 3), groups=2)


@error(RuntimeError, r"non-positive groups is not supported")
def conv2d_functional_zero_groups(torch):
    torch.nn.functional.conv2d(torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3), groups=0)


@error(RuntimeError, r"negative padding is not supported")
def conv1d_negative_padding(torch):
    torch.nn.functional.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 3), padding=-1)


@error(RuntimeError, r"Expected tensor for argument #1 'indices' to have one of the following "
       r"scalar types: Long, Int; but got torch.FloatTensor instead \(while checking "
       r"arguments for embedding_bag\)")  # fmt: skip
def embedding_bag_float_indices(torch):
    torch.nn.functional.embedding_bag(
        torch.tensor([1.0, 2]), torch.randn(3, 2), torch.tensor([0, 1])
    )


@error(RuntimeError, r"max_pool2d: kernel_size must either be a single int, or a tuple of two ints")
def max_pool2d_kernel_wrong_count(torch):
    torch.nn.functional.max_pool2d(torch.randn(1, 1, 4, 4), (2, 2, 2))


@error(
    RuntimeError, r"max_pool2d: stride must either be omitted, a single int, or a tuple of two ints"
)
def max_pool2d_stride_wrong_count(torch):
    torch.nn.MaxPool2d(2, (1, 1, 1))(torch.randn(1, 1, 4, 4))


@error(RuntimeError, r"avg_pool2d: padding must either be a single int, or a tuple of two ints")
def avg_pool2d_padding_wrong_count(torch):
    torch.nn.functional.avg_pool2d(torch.randn(1, 1, 4, 4), 2, 1, (1, 1, 1))


@error(RuntimeError, r"max_pool3d: dilation must be either a single int, or a tuple of three ints")
def max_pool3d_dilation_wrong_count(torch):
    torch.nn.functional.max_pool3d(torch.randn(1, 1, 4, 4, 4), 2, 2, 0, (1, 1))


@error(RuntimeError, r"avg_pool3d: kernel_size must be a single int, or a tuple of three ints")
def avg_pool3d_kernel_wrong_count(torch):
    torch.nn.AvgPool3d((2, 2))(torch.randn(1, 1, 4, 4, 4))


@error(RuntimeError, r"avg_pool3d: stride must be omitted, a single int, or a tuple of three ints")
def avg_pool3d_stride_wrong_count(torch):
    torch.nn.functional.avg_pool3d(torch.randn(1, 1, 4, 4, 4), 2, (2, 2))


@program
def pool_single_element_and_empty_stride_lists(torch):
    F = torch.nn.functional
    x = torch.randn(1, 1, 4, 4)
    return (F.max_pool2d(x, [2]), F.avg_pool2d(x, (2,)), F.max_pool2d(x, 2, ()),
            F.avg_pool2d(x, 2, []), F.max_pool3d(x.expand(1, 4, 4, 4), [2], [1]))  # fmt: skip
