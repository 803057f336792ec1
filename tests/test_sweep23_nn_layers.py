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
