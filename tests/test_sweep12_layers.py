"""Session 8 compatibility sweep of the nn layers on unbatched and unusual inputs: unbatched
(C, ...) inputs, empty batches, non-contiguous and channels_last inputs, float64/float16 and
integer inputs, padding modes, groups/dilation, pool options, MaxUnpool round trips, and the
errors of wrong ranks. Each program runs with PyTorch (the oracle) and with minitorch from
the same seed (same initial weights); outputs, gradients and error messages must agree."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program = SWEEP.test()


def _run(module, x, torch=None):
    """Output, input grad and parameter grads of ``module(x)`` under a squared-sum loss (with
    ``torch``: a weighted sum, whose gradient a normalization layer does not cancel)."""
    x = x.detach().requires_grad_(True)
    y = module(x)
    if torch is None:
        y.pow(2).sum().backward()
    else:
        (y * torch.linspace(-1.0, 2.0, y.numel()).reshape(y.shape).to(y.dtype)).sum().backward()
    return y, x.grad, [p.grad for p in module.parameters()]


# ---- convolution --------------------------------------------------------------------------
@program
def conv1d_unbatched_padding_modes(torch):
    out = []
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv1d(2, 4, 3, padding=2, padding_mode=mode, dilation=2)
        out.append(_run(conv, torch.randn(2, 9)))
    return out


@program(tol={"rtol": 1e-4, "atol": 1e-5})
def conv2d_unbatched_groups_dilation(torch):
    out = []
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv2d(4, 6, 3, padding=1, groups=2, dilation=(1, 2), padding_mode=mode)
        out.append(_run(conv, torch.randn(4, 5, 7)))
    return out


@program
def conv3d_unbatched_padding_modes(torch):
    out = []
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv3d(2, 2, 2, padding=1, padding_mode=mode, stride=(1, 2, 1))
        out.append(_run(conv, torch.randn(2, 3, 4, 4)))
    return out


@program
def conv2d_same_padding_modes(torch):
    out = []
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv2d(2, 3, (4, 3), padding="same", padding_mode=mode, dilation=(1, 2))
        out.append(_run(conv, torch.randn(1, 2, 6, 7)))
    return out


@program
def conv_transpose_unbatched(torch):
    out = []
    for cls, shape in ((torch.nn.ConvTranspose1d, (4, 5)), (torch.nn.ConvTranspose2d, (4, 3, 4)),
                       (torch.nn.ConvTranspose3d, (4, 2, 3, 3))):  # fmt: skip
        conv = cls(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, dilation=1)
        out.append(_run(conv, torch.randn(*shape)))
    return out


@program
def conv_transpose2d_unbatched_output_size(torch):
    conv = torch.nn.ConvTranspose2d(3, 2, 3, stride=2)
    x = torch.randn(3, 4, 5)
    return conv(x, output_size=[10, 12]).shape, conv(x, output_size=(2, 9, 11)).shape


@program
def conv_empty_batch(torch):
    out = []
    for conv, shape in ((torch.nn.Conv2d(4, 6, 3, padding=1, groups=2), (0, 4, 5, 5)),
                        (torch.nn.Conv1d(4, 2, 3, stride=2), (0, 4, 7)),
                        (torch.nn.Conv3d(4, 2, 2, padding=1), (0, 4, 3, 3, 3)),
                        (torch.nn.ConvTranspose2d(4, 2, 3, stride=2, groups=2), (0, 4, 3, 3)),
                        (torch.nn.ConvTranspose3d(4, 2, 2), (0, 4, 2, 2, 2))):  # fmt: skip
        out.append(_run(conv, torch.randn(*shape)))
    return out


@program
def conv_transpose1d_empty_batch(torch):
    conv = torch.nn.ConvTranspose1d(3, 4, 3)
    return _run(conv, torch.randn(0, 3, 5))


@program
def conv2d_channels_last_and_noncontiguous(torch):
    conv = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1)
    x = torch.randn(2, 3, 7, 6).to(memory_format=torch.channels_last)
    y = conv(x)
    x2 = torch.randn(2, 3, 6, 7).transpose(2, 3)
    y2 = conv(x2)
    return y, y2


@program
def conv1d_float64_and_float16(torch):
    conv = torch.nn.Conv1d(2, 3, 3, padding=1).double()
    y64 = _run(conv, torch.randn(2, 2, 6, dtype=torch.float64))
    h = torch.nn.Conv1d(2, 3, 3).half()
    y16 = h(torch.randn(1, 2, 6).half())
    return y64, y16


@error(RuntimeError, r"Input type \(long int\) and bias type \(float\)|should be the same")
def conv2d_integer_input(torch):
    return torch.nn.Conv2d(1, 1, 3)(torch.ones(1, 1, 4, 4, dtype=torch.long))


@error(RuntimeError, r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d, but got input of size: \[2, 3, 4, 5\]")  # fmt: skip
def conv1d_4d_input(torch):
    return torch.nn.Conv1d(3, 1, 2)(torch.randn(2, 3, 4, 5))


@error(RuntimeError, r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[5\]")  # fmt: skip
def conv2d_1d_input(torch):
    return torch.nn.Conv2d(3, 1, 2)(torch.randn(5))


@error(RuntimeError, r"Expected 4D \(unbatched\) or 5D \(batched\) input to conv3d")
def conv3d_3d_input(torch):
    return torch.nn.Conv3d(3, 1, 2)(torch.randn(3, 4, 5))


@error(RuntimeError, r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv_transpose1d")
def conv_transpose1d_4d_input(torch):
    return torch.nn.ConvTranspose1d(3, 1, 2)(torch.randn(1, 3, 4, 5))


@error(RuntimeError, r"Padding size should be less than the corresponding input dimension")
def conv1d_reflect_pad_too_big(torch):
    return torch.nn.Conv1d(1, 1, 3, padding=4, padding_mode="reflect")(torch.randn(1, 3))


@error(ValueError, r"Only \"zeros\" padding mode is supported for ConvTranspose2d")
def conv_transpose2d_reflect(torch):
    return torch.nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")


@error(RuntimeError, r"Calculated padded input size per channel: \(2\)\. Kernel size: \(3\)\. Kernel size can't be greater than actual input size")  # fmt: skip
def conv1d_kernel_too_big(torch):
    return torch.nn.Conv1d(1, 1, 3)(torch.randn(1, 2))


# ---- pooling ------------------------------------------------------------------------------
@program
def max_pool_unbatched_indices_unpool(torch):
    out = []
    for d, shape in ((1, (2, 9)), (2, (2, 5, 7)), (3, (2, 3, 5, 4))):
        pool = getattr(torch.nn, f"MaxPool{d}d")(2, stride=2, return_indices=True, ceil_mode=True)
        unpool = getattr(torch.nn, f"MaxUnpool{d}d")(2, stride=2)
        x = torch.randn(*shape, requires_grad=True)
        y, idx = pool(x)
        r = unpool(y, idx, output_size=x.shape[-1:]) if d == 1 else unpool(y, idx)
        r.pow(2).sum().backward()
        out += [y, idx, r, x.grad]
    return out


@program
def max_pool2d_dilation_padding_ceil(torch):
    pool = torch.nn.MaxPool2d(
        3, stride=2, padding=1, dilation=2, ceil_mode=True, return_indices=True
    )
    x = torch.randn(2, 3, 9, 8, requires_grad=True)
    y, idx = pool(x)
    y.sum().backward()
    return y, idx, x.grad


@program
def avg_pool_unbatched_options(torch):
    out = []
    x1 = torch.randn(3, 7, requires_grad=True)
    out.append(torch.nn.AvgPool1d(3, 2, padding=1, ceil_mode=True, count_include_pad=False)(x1))
    x2 = torch.randn(3, 6, 5, requires_grad=True)
    for cip in (True, False):
        for div in (None, 3):
            out.append(torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=cip, divisor_override=div)(x2))  # fmt: skip
    x3 = torch.randn(2, 4, 5, 3, requires_grad=True)
    out.append(torch.nn.AvgPool3d(2, 2, 1, ceil_mode=True, divisor_override=2)(x3))
    sum(o.sum() for o in out).backward()
    return out, x1.grad, x2.grad, x3.grad


@program
def adaptive_pools_unbatched(torch):
    out = []
    x1 = torch.randn(2, 7, requires_grad=True)
    out += list(torch.nn.AdaptiveMaxPool1d(3, return_indices=True)(x1))
    out.append(torch.nn.AdaptiveAvgPool1d(4)(x1))
    x2 = torch.randn(2, 5, 7, requires_grad=True)
    out += list(torch.nn.AdaptiveMaxPool2d((3, None), return_indices=True)(x2))
    out.append(torch.nn.AdaptiveAvgPool2d((None, 2))(x2))
    x3 = torch.randn(2, 3, 5, 4, requires_grad=True)
    out += list(torch.nn.AdaptiveMaxPool3d(2, return_indices=True)(x3))
    out.append(torch.nn.AdaptiveAvgPool3d((1, 3, None))(x3))
    sum(o.sum() for o in out if o.is_floating_point()).backward()
    return out, x1.grad, x2.grad, x3.grad


@program
def lp_pool_unbatched(torch):
    x1 = torch.rand(2, 9, requires_grad=True)
    x2 = torch.rand(2, 6, 7, requires_grad=True)
    x3 = torch.rand(2, 4, 4, 5, requires_grad=True)
    a = torch.nn.LPPool1d(2, 3, stride=2, ceil_mode=True)(x1)
    b = torch.nn.LPPool2d(1.5, (2, 3))(x2)
    c = torch.nn.LPPool3d(3, 2)(x3)
    (a.sum() + b.sum() + c.sum()).backward()
    return a, b, c, x1.grad, x2.grad, x3.grad


@program
def fractional_max_pool_unbatched_shapes(torch):
    x2 = torch.randn(2, 9, 9)
    y2, i2 = torch.nn.FractionalMaxPool2d(2, output_size=4, return_indices=True)(x2)
    x3 = torch.randn(2, 6, 6, 6)
    y3 = torch.nn.FractionalMaxPool3d(2, output_ratio=0.5)(x3)
    return y2.shape, i2.shape, y3.shape, i2.dtype


@program
def pools_empty_batch(torch):
    x = torch.randn(0, 3, 6, 6)
    return (torch.nn.MaxPool2d(2)(x), torch.nn.AvgPool2d(2)(x), torch.nn.AdaptiveAvgPool2d(2)(x),
            torch.nn.AdaptiveMaxPool2d(3)(x), torch.nn.LPPool2d(2, 2)(x))  # fmt: skip


@program
def pools_float64_noncontiguous_channels_last(torch):
    x = torch.randn(2, 3, 6, 8, dtype=torch.float64).to(memory_format=torch.channels_last)
    xt = torch.randn(2, 3, 8, 6, dtype=torch.float64).transpose(2, 3)
    out = []
    for t in (x, xt):
        t = t.detach().requires_grad_(True)
        y = torch.nn.MaxPool2d(3, 2, 1)(t) + torch.nn.AvgPool2d(3, 2, 1)(t)
        y.sum().backward()
        out += [y, t.grad]
    return out


@program
def pools_float16(torch):
    x = torch.randn(1, 2, 6, 6).half()
    return torch.nn.MaxPool2d(2)(x), torch.nn.AvgPool2d(2)(x), torch.nn.AdaptiveAvgPool2d(3)(x)


@error(RuntimeError, r"non-empty 3D or 4D \(batch mode\) tensor expected for input")
def max_pool2d_1d_input(torch):
    return torch.nn.MaxPool2d(2)(torch.randn(5))


@error(RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size for input, but got:\[1, 1, 2, 4, 4\]")  # fmt: skip
def avg_pool2d_5d_input(torch):
    return torch.nn.AvgPool2d(2)(torch.randn(1, 1, 2, 4, 4))


@error(NotImplementedError, r"\"max_pool1d_impl\" not implemented for 'Long'")
def max_pool1d_integer_input(torch):
    return torch.nn.MaxPool1d(2)(torch.arange(8).view(1, 8))


@error(NotImplementedError, r"\"max_pool2d\" not implemented for 'Bool'")
def max_pool2d_bool_input(torch):
    return torch.nn.MaxPool2d(2)(torch.ones(1, 4, 4, dtype=torch.bool))


@error(NotImplementedError, r"\"avg_pool2d\" not implemented for 'Int'")
def avg_pool1d_int32_input(torch):
    return torch.nn.AvgPool1d(2)(torch.ones(1, 4, dtype=torch.int32))


@error(NotImplementedError, r"\"adaptive_avg_pool2d\" not implemented for 'Long'")
def adaptive_avg_pool2d_integer_input(torch):
    return torch.nn.AdaptiveAvgPool2d(2)(torch.ones(1, 4, 4, dtype=torch.long))


@error(NotImplementedError, r"\"adaptive_max_pool2d\" not implemented for 'Byte'")
def adaptive_max_pool1d_uint8_input(torch):
    return torch.nn.AdaptiveMaxPool1d(2)(torch.ones(1, 4, dtype=torch.uint8))


@program
def integer_pools(torch):
    F = torch.nn.functional
    x = torch.tensor([[-3, 0, -5, 2, 7, 8, 1]])
    x3 = torch.arange(-20, 34).reshape(2, 3, 3, 3)
    return (F.avg_pool1d(x, 2), F.avg_pool1d(x, 3, 2, 1, count_include_pad=False, ceil_mode=True),
            F.avg_pool3d(x3, 2, 1, 1), F.avg_pool3d(x3, 2, divisor_override=3),
            F.avg_pool2d(x3[0], 2, 1, 1, divisor_override=3), F.max_pool3d(x3, 2, 1, 1),
            F.max_pool2d(x3.int(), 2, 1, 1), F.max_pool3d(x3.to(torch.uint8), 2, 1, 1, return_indices=True),
            F.max_pool3d(x3.to(torch.int8), 2, 2, 1, ceil_mode=True))  # fmt: skip


@error(RuntimeError, r"max_pool1d\(\) padding should be at most half of kernel size, but got padding=2 and kernel_size=3")  # fmt: skip
def max_pool1d_bad_padding_ignores_dilation(torch):
    return torch.nn.MaxPool1d(3, padding=2, dilation=2)(torch.randn(1, 8))


@error(RuntimeError, r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1")  # fmt: skip
def max_pool3d_bad_padding(torch):
    return torch.nn.MaxPool3d(2, padding=2)(torch.randn(1, 8, 8, 8))


@error(RuntimeError, r"non-empty 4D or 5D \(batch mode\) tensor expected for input")
def avg_pool3d_3d_input(torch):
    return torch.nn.AvgPool3d(2)(torch.randn(4, 4, 4))


@error(RuntimeError, r"Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' \(while checking arguments for adaptive_max_pool1d\)")  # fmt: skip
def adaptive_max_pool1d_1d_input(torch):
    return torch.nn.AdaptiveMaxPool1d(2)(torch.randn(4))


@error(RuntimeError, r"adaptive_max_pool3d\(\): Expected 4D or 5D tensor, but got: \[4, 4\]")
def adaptive_max_pool3d_2d_input(torch):
    return torch.nn.AdaptiveMaxPool3d(2)(torch.randn(4, 4))


@error(RuntimeError, r"Calculated padded input size per channel: \(5 x 2 x 5\)\. Kernel size: \(3 x 3 x 3\)")  # fmt: skip
def conv3d_kernel_too_big(torch):
    return torch.nn.Conv3d(1, 1, 3)(torch.randn(1, 5, 2, 5))


@error(RuntimeError, r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[5\]")
def adaptive_avg_pool2d_1d_input(torch):
    return torch.nn.AdaptiveAvgPool2d(2)(torch.randn(5))


@program
def max_pool2d_uint8_image_padding(torch):
    img = torch.zeros(1, 3, 4, 4, dtype=torch.uint8)
    img[0, 1, 1:3, 1:3] = 200
    return torch.nn.functional.max_pool2d(img, 3, 1, 1, return_indices=True)


# ---- normalization ------------------------------------------------------------------------
@program
def batchnorm1d_2d_and_3d_inputs(torch):
    bn = torch.nn.BatchNorm1d(3)
    a = _run(bn, torch.randn(4, 3), torch)
    b = _run(bn, torch.randn(2, 3, 5), torch)
    bn.eval()
    return a, b, bn(torch.randn(4, 3)), bn.running_mean, bn.running_var, bn.num_batches_tracked


@error(ValueError, r"expected 2D or 3D input \(got 1D input\)")
def batchnorm1d_1d_input(torch):
    return torch.nn.BatchNorm1d(3)(torch.randn(3))


@error(ValueError, r"expected 4D input \(got 3D input\)")
def batchnorm2d_unbatched(torch):
    return torch.nn.BatchNorm2d(3)(torch.randn(3, 4, 4))


@program
def instance_norm_unbatched(torch):
    out = []
    for cls, shape in ((torch.nn.InstanceNorm1d, (3, 6)), (torch.nn.InstanceNorm2d, (3, 4, 5)),
                       (torch.nn.InstanceNorm3d, (3, 2, 3, 4))):  # fmt: skip
        m = cls(3, affine=True, track_running_stats=True)
        out.append(_run(m, torch.randn(*shape), torch))
        out += [m.running_mean, m.running_var]
    return out


@program
def instance_norm1d_no_affine_2d_input(torch):
    m = torch.nn.InstanceNorm1d(5)
    return _run(m, torch.randn(5, 7), torch)


@error(ValueError, r"expected 2D or 3D input \(got 4D input\)")
def instance_norm1d_4d(torch):
    return torch.nn.InstanceNorm1d(3)(torch.randn(1, 3, 4, 4))


@program
def group_norm_shapes(torch):
    out = []
    for shape in ((2, 6), (2, 6, 5), (2, 6, 3, 4), (1, 6, 2, 2, 3), (0, 6, 4)):
        gn = torch.nn.GroupNorm(2, 6)  # groups of 3 or more: 2 values normalise to +-1
        out.append(_run(gn, torch.randn(*shape), torch))
    return out


@error(RuntimeError, r"Expected number of channels in input to be divisible by num_groups")
def group_norm_bad_channels(torch):
    return torch.nn.GroupNorm(3, 6)(torch.randn(2, 4, 5))


@program
def layer_norm_shapes_dtypes(torch):
    ln = torch.nn.LayerNorm([3, 4])
    a = _run(ln, torch.randn(3, 4), torch)
    b = _run(ln, torch.randn(0, 3, 4), torch)
    c = _run(torch.nn.LayerNorm(4, elementwise_affine=False), torch.randn(2, 3, 4)[:, :, :].transpose(0, 1), torch)  # fmt: skip
    d = _run(
        torch.nn.LayerNorm(4, bias=False).double(), torch.randn(5, 4, dtype=torch.float64), torch
    )
    return a, b, c, d


@program
def batchnorm_empty_batch_eval_and_float64(torch):
    bn = torch.nn.BatchNorm2d(3).double().eval()
    a = _run(bn, torch.randn(0, 3, 2, 2, dtype=torch.float64), torch)
    bn2 = torch.nn.BatchNorm2d(3).double()
    b = _run(bn2, torch.randn(2, 3, 2, 2, dtype=torch.float64).to(memory_format=torch.channels_last), torch)  # fmt: skip
    return a, b, bn2.running_mean, bn2.running_var


@program
def local_response_norm_unbatched_2d(torch):
    x = torch.randn(2, 5, 4, requires_grad=True)
    y = torch.nn.LocalResponseNorm(3)(x)
    y.sum().backward()
    return y, x.grad


# ---- embedding ----------------------------------------------------------------------------
@program
def embedding_0d_and_3d_indices(torch):
    emb = torch.nn.Embedding(10, 3, padding_idx=0)
    a = emb(torch.tensor(4))
    b = emb(torch.tensor([[[1, 0], [3, 3]], [[9, 2], [0, 0]]]))
    (a.sum() + b.pow(2).sum()).backward()
    c = emb(torch.empty(0, 2, dtype=torch.long))
    return a, b, c, emb.weight.grad


@error(RuntimeError, r"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch\.FloatTensor instead")  # fmt: skip
def embedding_float_indices(torch):
    return torch.nn.Embedding(10, 3)(torch.tensor([1.0, 2.0]))


@error(IndexError, r"index out of range in self")
def embedding_index_out_of_range(torch):
    return torch.nn.Embedding(10, 3)(torch.tensor([10]))


@program
def embedding_bag_unbatched_1d_offsets(torch):
    bag = torch.nn.EmbeddingBag(10, 3, mode="max")
    x = torch.tensor([1, 2, 4, 5, 4, 3])
    return bag(x, torch.tensor([0, 2, 2])), bag(x.view(2, 3))


# ---- fold, shuffles, upsampling, flatten --------------------------------------------------
@program
def fold_unfold_unbatched(torch):
    x = torch.randn(2, 5, 6, requires_grad=True)
    cols = torch.nn.Unfold(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))(x)
    back = torch.nn.Fold((5, 6), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))(cols)
    back.pow(2).sum().backward()
    f2 = torch.nn.Fold((3, 3), 2)(torch.arange(16.0).view(4, 4))
    return cols, back, x.grad, f2


@error(RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \[1, 1, 1, 4, 4\]")  # fmt: skip
def unfold_5d_input(torch):
    return torch.nn.Unfold(2)(torch.randn(1, 1, 1, 4, 4))


@error(RuntimeError, r"Expected 2D or 3D \(batch mode\) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: \[4\]")  # fmt: skip
def fold_1d_input(torch):
    return torch.nn.Fold(3, 2)(torch.randn(4))


@program
def pixel_shuffle_unbatched_and_5d(torch):
    x = torch.randn(8, 2, 3, requires_grad=True)
    y = torch.nn.PixelShuffle(2)(x)
    z = torch.nn.PixelUnshuffle(2)(y)
    w = torch.nn.PixelShuffle(2)(torch.randn(2, 3, 4, 1, 2))
    (y * torch.arange(48.0).view(2, 4, 6)).sum().backward()
    return y, z, w, x.grad


@error(RuntimeError, r"pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension\(s\)")  # fmt: skip
def pixel_shuffle_2d(torch):
    return torch.nn.PixelShuffle(2)(torch.randn(4, 4))


@error(RuntimeError, r"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input\.size\(-3\)=3 is not divisible by 4")  # fmt: skip
def pixel_shuffle_bad_channels(torch):
    return torch.nn.PixelShuffle(2)(torch.randn(3, 4, 4))


@error(NotImplementedError, r"Input Error: Only 3D, 4D and 5D input Tensors supported \(got 2D\)")  # fmt: skip
def upsample_unbatched_input(torch):
    return torch.nn.Upsample(scale_factor=2)(torch.randn(2, 5))


@program
def upsample_modes_batch_of_one(torch):
    x1 = torch.randn(1, 2, 5, requires_grad=True)
    x2 = torch.randn(1, 2, 3, 4, requires_grad=True)
    out = [torch.nn.Upsample(scale_factor=2, mode="nearest")(x1),
           torch.nn.Upsample(size=7, mode="linear", align_corners=True)(x1),
           torch.nn.Upsample(scale_factor=(1.5, 2), mode="bilinear")(x2),
           torch.nn.Upsample(size=(5, 6), mode="bicubic")(x2),
           torch.nn.Upsample(scale_factor=2, mode="nearest-exact")(x2),
           torch.nn.Upsample(scale_factor=2, mode="nearest")(x2.to(memory_format=torch.channels_last))]  # fmt: skip
    sum(o.sum() for o in out).backward()
    return out, x1.grad, x2.grad


@program
def interpolate_unbatched_3d_and_float64(torch):
    x = torch.randn(2, 3, 4, 3, dtype=torch.float64)
    return (torch.nn.functional.interpolate(x[None], scale_factor=2, mode="trilinear"),
            torch.nn.functional.interpolate(x, size=(5, 6), mode="bilinear", antialias=True),
            torch.nn.functional.interpolate(x[:0], size=(5, 6), mode="bicubic"))  # fmt: skip


@program
def flatten_unflatten_edges(torch):
    x = torch.randn(2, 3, 4)
    return (torch.nn.Flatten()(x).shape, torch.nn.Flatten(0, -1)(x).shape,
            torch.nn.Flatten(0)(torch.tensor(3.0)).shape, torch.nn.Flatten(0)(torch.randn(5)).shape,
            torch.nn.Unflatten(-1, (2, -1))(x).shape, torch.nn.Unflatten(1, torch.Size([3, 1]))(x).shape,
            torch.nn.Flatten()(torch.randn(0, 3, 2)).shape)  # fmt: skip


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")  # fmt: skip
def flatten_0d_input(torch):
    return torch.nn.Flatten()(torch.tensor(3.0))


@error(RuntimeError, r"pixel_unshuffle expects width to be divisible by downscale_factor, but input\.size\(-1\)=3 is not divisible by 2")  # fmt: skip
def pixel_unshuffle_bad_width(torch):
    return torch.nn.PixelUnshuffle(2)(torch.randn(1, 4, 3))


@error(RuntimeError, r"unflatten: Provided sizes \[2, 3\] don't multiply up to the size of dim 2 \(4\) in the input tensor")  # fmt: skip
def unflatten_bad_sizes(torch):
    return torch.nn.Unflatten(2, (2, 3))(torch.randn(2, 3, 4))


# ---- linear and friends -------------------------------------------------------------------
@program
def linear_bilinear_unbatched_and_empty(torch):
    lin = torch.nn.Linear(3, 2)
    a = _run(lin, torch.randn(3))
    b = _run(lin, torch.randn(0, 3))
    bil = torch.nn.Bilinear(3, 2, 4)
    x1, x2 = torch.randn(3, requires_grad=True), torch.randn(2, requires_grad=True)
    y = bil(x1, x2)
    y.sum().backward()
    return a, b, y, x1.grad, x2.grad


@error(RuntimeError, r"mat1 and mat2 must have the same dtype, but got Long and Float")
def linear_integer_input(torch):
    return torch.nn.Linear(3, 2)(torch.ones(2, 3, dtype=torch.long))


@program
def linear_float16_and_float64(torch):
    lin = torch.nn.Linear(4, 3).half()
    a = lin(torch.randn(2, 4).half())
    lin64 = torch.nn.Linear(4, 3).double()
    return a, _run(lin64, torch.randn(5, 4, dtype=torch.float64))


# ---- losses on unbatched inputs -----------------------------------------------------------
@program
def cross_entropy_nll_unbatched_0d_target(torch):
    x = torch.randn(5, requires_grad=True)
    t = torch.tensor(3)
    w = torch.rand(5)
    out = [torch.nn.CrossEntropyLoss()(x, t), torch.nn.CrossEntropyLoss(weight=w, label_smoothing=0.1)(x, t),
           torch.nn.NLLLoss(reduction="none")(x.log_softmax(0), t),
           torch.nn.CrossEntropyLoss(ignore_index=3)(x, t),
           torch.nn.CrossEntropyLoss()(x, torch.softmax(torch.randn(5), 0))]  # fmt: skip
    sum(o for o in out if not o.isnan()).backward()
    return out, x.grad


@program
def ctc_loss_unbatched(torch):
    logp = torch.randn(6, 4).log_softmax(-1).detach().requires_grad_(True)
    targets = torch.tensor([1, 2, 2])
    loss = torch.nn.CTCLoss()(logp, targets, torch.tensor(6), torch.tensor(3))
    loss.backward()
    return loss, logp.grad


@program
def zero_dim_losses(torch):
    x = torch.tensor(0.3, requires_grad=True)
    y = torch.tensor(0.8)
    out = [torch.nn.BCELoss()(x, y), torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(2.0))(x, y),
           torch.nn.KLDivLoss(reduction="batchmean")(x.log(), y), torch.nn.KLDivLoss(log_target=True)(x, y),
           torch.nn.MSELoss()(x, y), torch.nn.SmoothL1Loss(beta=0.5)(x, y), torch.nn.HuberLoss()(x, y)]  # fmt: skip
    sum(out).backward()
    return out, x.grad


@program
def losses_empty_batch(torch):
    x = torch.randn(0, 4, requires_grad=True)
    t = torch.empty(0, dtype=torch.long)
    return (torch.nn.CrossEntropyLoss()(x, t), torch.nn.CrossEntropyLoss(reduction="sum")(x, t),
            torch.nn.NLLLoss(reduction="none")(x, t), torch.nn.MSELoss()(x, x.detach()))  # fmt: skip


@error(RuntimeError, r"0D or 1D target tensor expected, multi-target not supported")
def nll_loss_unbatched_2d_target(torch):
    return torch.nn.NLLLoss()(torch.randn(5), torch.tensor([[1]]))
