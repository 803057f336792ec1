"""Session 13 sweep after the second half of PyTorch's test/test_nn.py: functional ops' edge
cases (interpolate, grid_sample/affine_grid, pad, softmax), normalization layers, losses,
pixel_shuffle, fold/unfold, one_hot, channel_shuffle and RNN cells, as short programs checked
against PyTorch (tests/sweep_harness.py)."""

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _leaf(torch, *shape, dtype=None):
    return torch.randn(*shape, dtype=dtype or torch.float32).requires_grad_()


# ---- affine_grid / grid_sample -----------------------------------------------------------------
@program
def affine_grid_known_2d(torch):
    theta = torch.arange(1.0, 7).view(1, 2, 3)
    a = torch.nn.functional.affine_grid(theta, [1, 1, 2, 2], align_corners=True)
    b = torch.nn.functional.affine_grid(theta, [1, 1, 2, 2], align_corners=False)
    return a, b


@program
def affine_grid_known_3d_grad(torch):
    theta = torch.arange(1.0, 13).view(1, 3, 4).requires_grad_()
    out = torch.nn.functional.affine_grid(theta, [1, 1, 2, 3, 2], align_corners=False)
    out.pow(2).sum().backward()
    return out, theta.grad


@error(ValueError, r"Expected a batch of 2D affine matrices of shape Nx2x3")
def affine_grid_bad_theta(torch):
    torch.nn.functional.affine_grid(torch.randn(1, 3, 3), [1, 1, 2, 2], align_corners=False)


@error(NotImplementedError, r"affine_grid only supports 4D and 5D sizes")
def affine_grid_bad_size(torch):
    torch.nn.functional.affine_grid(torch.randn(1, 2, 3), [1, 1, 2], align_corners=False)


@error(ValueError, r"Expected non-zero, positive output size")
def affine_grid_zero_size(torch):
    torch.nn.functional.affine_grid(torch.randn(1, 2, 3), [1, 1, 0, 2], align_corners=False)


@error(ValueError, r"Expected theta to have floating point type")
def affine_grid_int_theta(torch):
    torch.nn.functional.affine_grid(torch.ones(1, 2, 3, dtype=torch.long), [1, 1, 2, 2])


@program(tol={"rtol": 1e-4, "atol": 1e-4})
def grid_sample_modes(torch):
    x = _leaf(torch, 2, 3, 5, 4)
    g = (torch.rand(2, 6, 7, 2) * 2.4 - 1.2).requires_grad_()
    outs = []
    for mode in ("bilinear", "nearest", "bicubic"):
        for pad in ("zeros", "border", "reflection"):
            for ac in (True, False):
                outs.append(
                    torch.nn.functional.grid_sample(
                        x, g, mode=mode, padding_mode=pad, align_corners=ac
                    )
                )
    torch.stack(outs).sum().backward()
    return outs, x.grad, g.grad


@program
def grid_sample_3d(torch):
    x = _leaf(torch, 1, 2, 3, 4, 5)
    g = (torch.rand(1, 2, 3, 4, 3) * 2.2 - 1.1).requires_grad_()
    outs = [
        torch.nn.functional.grid_sample(x, g, mode=m, padding_mode=p, align_corners=False)
        for m in ("bilinear", "nearest")
        for p in ("zeros", "border", "reflection")
    ]
    torch.stack(outs).sum().backward()
    return outs, x.grad, g.grad


@error(RuntimeError, r"grid_sampler\(\): expected grid and input to have same batch size")
def grid_sample_batch_mismatch(torch):
    torch.nn.functional.grid_sample(
        torch.randn(2, 1, 3, 3), torch.randn(1, 2, 2, 2), align_corners=False
    )


@error(RuntimeError, r"grid_sampler\(\): expected grid to have size 2 in last dimension")
def grid_sample_last_dim(torch):
    torch.nn.functional.grid_sample(
        torch.randn(1, 1, 3, 3), torch.randn(1, 2, 2, 3), align_corners=False
    )


@error(
    ValueError,
    r"nn.functional.grid_sample\(\): expected mode to be 'bilinear', 'nearest' or 'bicubic'",
)
def grid_sample_bad_mode(torch):
    torch.nn.functional.grid_sample(torch.randn(1, 1, 3, 3), torch.randn(1, 2, 2, 2), mode="foo")


@error(ValueError, r"expected padding_mode to be 'zeros', 'border', or 'reflection'")
def grid_sample_bad_padding(torch):
    torch.nn.functional.grid_sample(
        torch.randn(1, 1, 3, 3), torch.randn(1, 2, 2, 2), padding_mode="foo"
    )


@error(RuntimeError, r"grid_sampler\(\): bicubic interpolation only supports 4D input")
def grid_sample_bicubic_5d(torch):
    torch.nn.functional.grid_sample(
        torch.randn(1, 1, 3, 3, 3), torch.randn(1, 2, 2, 2, 3), mode="bicubic", align_corners=False
    )


# ---- interpolate -------------------------------------------------------------------------------
@program
def upsample_linear_ones_scales(torch):
    outs = []
    for ac in (True, False):
        for rsf in (True, False):
            for sf in (0.5, 1.5, 2):
                m = torch.nn.Upsample(
                    scale_factor=sf, mode="linear", align_corners=ac, recompute_scale_factor=rsf
                )
                outs.append(m(torch.ones(1, 1, 2)))
    return outs


@program
def upsample_bicubic_not_recompute(torch):
    x = torch.arange(8.0).view(1, 2, 2, 2)
    a = torch.nn.functional.interpolate(
        x, scale_factor=2.3, mode="bicubic", align_corners=False, recompute_scale_factor=False
    )
    b = torch.nn.functional.interpolate(
        x, scale_factor=2.3, mode="bicubic", align_corners=False, recompute_scale_factor=True
    )
    return a, b


@program
def upsample_spatial_invariance(torch):
    m = torch.nn.Upsample(scale_factor=3, mode="bilinear", align_corners=False)
    x = torch.zeros(1, 1, 9, 9)
    x[:, :, :4, :4].normal_()
    return m(x)[:, :, :15, :15], m(x[:, :, :5, :5])


@program
def upsample_small_scale(torch):
    m = torch.nn.Upsample(scale_factor=0.5, mode="bilinear")
    return m(torch.arange(1.0, 5).reshape(1, 1, 2, 2))


@program
def interpolate_nearest_exact_modes(torch):
    x = _leaf(torch, 1, 2, 5, 7)
    outs = [
        torch.nn.functional.interpolate(x, size=(3, 11), mode=m)
        for m in ("nearest", "nearest-exact", "area")
    ]
    outs.append(torch.nn.functional.interpolate(x, scale_factor=(0.6, 1.7), mode="nearest-exact"))
    torch.cat([o.flatten() for o in outs]).sum().backward()
    return outs, x.grad


@program
def interpolate_antialias(torch):
    x = _leaf(torch, 1, 2, 9, 8)
    a = torch.nn.functional.interpolate(x, size=(4, 3), mode="bilinear", antialias=True)
    b = torch.nn.functional.interpolate(
        x, size=(4, 5), mode="bicubic", antialias=True, align_corners=True
    )
    (a.sum() + b.sum()).backward()
    return a, b, x.grad


@error(ValueError, r"only one of size or scale_factor should be defined")
def interpolate_both_size_and_scale(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=3, scale_factor=2.0)


@error(ValueError, r"either size or scale_factor should be defined")
def interpolate_neither(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4))


@error(ValueError, r"align_corners option can only be set with the interpolating modes")
def interpolate_align_corners_nearest(torch):
    torch.nn.functional.interpolate(
        torch.randn(1, 1, 4), scale_factor=2.0, mode="nearest", align_corners=True
    )


@error(NotImplementedError, r"Got 3D input, but bilinear mode needs 4D input")
def interpolate_bilinear_3d(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4), scale_factor=2.0, mode="bilinear")


@error(ValueError, r"Input and output must have the same number of spatial dimensions")
def interpolate_size_len_mismatch(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=(2, 2, 2))


@error(RuntimeError, r"Input and output sizes should be greater than 0")
def interpolate_zero_output(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=(0, 2))


@error(NotImplementedError, r"Input Error: Only 3D, 4D and 5D input Tensors supported")
def interpolate_2d_input(torch):
    torch.nn.functional.interpolate(torch.randn(4, 4), scale_factor=2.0)


@error(ValueError, r"Anti-alias option is restricted to bilinear, bicubic, and lanczos modes")
def interpolate_antialias_nearest(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=2, antialias=True)


# ---- pad ---------------------------------------------------------------------------------------
@program
def pad_modes_grad(torch):
    x = _leaf(torch, 2, 3, 4, 5)
    outs = [
        torch.nn.functional.pad(x, (1, 2, 3, 1), mode=m)
        for m in ("constant", "reflect", "replicate", "circular")
    ]
    outs.append(torch.nn.functional.pad(x, (-1, 2, 1, -2), value=3.5))
    torch.cat([o.flatten() for o in outs]).sum().backward()
    return outs, x.grad


@program
def pad_modes_1d_3d(torch):
    a = _leaf(torch, 2, 3, 5)
    b = _leaf(torch, 1, 2, 3, 4, 3)
    outs = [
        torch.nn.functional.pad(a, (2, 3), mode=m) for m in ("reflect", "replicate", "circular")
    ]
    outs += [
        torch.nn.functional.pad(b, (1, 1, 2, 0, 1, 2), mode=m)
        for m in ("reflect", "replicate", "circular")
    ]
    torch.cat([o.flatten() for o in outs]).sum().backward()
    return outs, a.grad, b.grad


@program
def pad_unbatched_reflect(torch):
    x = torch.arange(12.0).view(3, 4)
    return torch.nn.functional.pad(x, (1, 2), mode="reflect"), torch.nn.ReflectionPad2d(1)(
        x.view(1, 3, 4)
    )


@error(
    RuntimeError, r"Argument #4: Padding size should be less than the corresponding input dimension"
)
def pad_reflect_too_large(torch):
    torch.nn.functional.pad(torch.randn(1, 1, 3), (3, 0), mode="reflect")


@error(RuntimeError, r"Padding length must be divisible by 2")
def pad_odd_length(torch):
    torch.nn.functional.pad(torch.randn(2, 3), (1, 2, 3))


@error(
    RuntimeError, r"Padding length should be less than or equal to two times the input dimension"
)
def pad_too_long(torch):
    torch.nn.functional.pad(torch.randn(3), (1, 1, 1, 1))


@error(RuntimeError, r"Padding value causes wrapping around more than once")
def pad_circular_too_large(torch):
    torch.nn.functional.pad(torch.randn(1, 1, 3), (4, 0), mode="circular")


@error(NotImplementedError, r"Padding size 8 is not supported for 6D input tensor")
def pad_reflect_6d(torch):
    torch.nn.functional.pad(torch.randn(1, 1, 2, 2, 2, 2), (1, 1, 1, 1, 1, 1, 1, 1), mode="reflect")


@error(RuntimeError, r"narrow\(\): length must be non-negative")
def pad_constant_negative_past_empty(torch):
    torch.nn.functional.pad(torch.randn(2, 3), (-1, -3))


# ---- softmax family ----------------------------------------------------------------------------
@program
def softmax_dtype_arg(torch):
    x = _leaf(torch, 3, 4)
    a = torch.nn.functional.softmax(x, dim=1, dtype=torch.float64)
    b = torch.nn.functional.log_softmax(x, dim=0, dtype=torch.float64)
    (a.sum() + b.sum()).backward()
    return a, b, x.grad


@program
def softmax_scalar_and_empty(torch):
    s = torch.tensor(2.0, requires_grad=True)
    a = torch.softmax(s, 0)
    b = torch.log_softmax(s, -1)
    (a + b).backward()
    e = torch.nn.functional.softmax(torch.randn(0, 3), dim=1)
    return a, b, s.grad, e


@program
def softmax_inf_rows(torch):
    x = torch.tensor([[float("-inf"), 0.0, 1.0], [float("-inf")] * 3, [float("inf"), 0.0, 1.0]])
    return torch.softmax(x, 1), torch.log_softmax(x, 1), torch.nn.functional.softmin(x, 1)


@program
def softmax_module_dim_none_warns(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = torch.nn.functional.softmax(torch.randn(2, 3, 4))
    return out, any("Implicit dimension choice" in str(i.message) for i in w)


@error(IndexError, r"Dimension out of range")
def softmax_bad_dim(torch):
    torch.softmax(torch.randn(2, 3), 2)


@program
def softmax2d_and_logsoftmax_module(torch):
    x = _leaf(torch, 2, 3, 2, 2)
    a = torch.nn.Softmax2d()(x)
    b = torch.nn.LogSoftmax(dim=1)(x)
    (a * b).sum().backward()
    return a, b, x.grad


@error(ValueError, r"Softmax2d: expected input to be 3D or 4D, got 2D instead")
def softmax2d_2d(torch):
    torch.nn.Softmax2d()(torch.randn(2, 3))


@program
def gumbel_softmax_hard_shape(torch):
    torch.manual_seed(0)
    y = torch.nn.functional.gumbel_softmax(torch.randn(4, 5), tau=0.5, hard=True)
    return y.sum(1), y.shape, ((y == 0) | (y == 1)).all()


@error(
    RuntimeError,
    r"Input and output sizes should be greater than 0, but got input \(W: 4\) and output \(W: 0\)",
)
def interpolate_zero_output_1d(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=0)


@error(
    RuntimeError,
    r"Input and output sizes should be greater than 0, but got input \(H: 4, W: 4\) output \(H: 0, W: 0\)",
)
def interpolate_scale_to_zero_bilinear(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), scale_factor=0.1, mode="bilinear")


@error(
    RuntimeError, r"Input and output sizes should be greater than 0, but got input \(H: 0, W: 4\)"
)
def interpolate_empty_spatial_input(torch):
    torch.nn.functional.interpolate(torch.randn(1, 1, 0, 4), size=(2, 1))


@program
def interpolate_area_to_empty_and_empty_batch(torch):
    a = torch.nn.functional.interpolate(torch.randn(1, 1, 4, 4), size=(0, 1), mode="area")
    b = torch.nn.functional.interpolate(torch.randn(0, 1, 4, 4), size=(2, 1), mode="bicubic")
    return a, b


@program
def pad_negative_crops(torch):
    x = _leaf(torch, 2, 3, 4)
    outs = [
        torch.nn.functional.pad(x, p)
        for p in ((-3, 0), (-1, -2), (1, -4, -2, 1), (-1, 2, 0, 0, -1, -1))
    ]
    torch.cat([o.flatten() for o in outs]).sum().backward()
    return outs, x.grad


@error(RuntimeError, r"narrow\(\): length must be non-negative")
def pad_positive_and_too_negative(torch):
    torch.nn.functional.pad(torch.randn(2, 3), (2, -5))


# ---- normalization layers ----------------------------------------------------------------------
@program
def batchnorm_momentum_none_cumulative(torch):
    bn = torch.nn.BatchNorm1d(3, momentum=None)
    for _ in range(3):
        bn(torch.randn(5, 3) * 2 + 1)
    return bn.running_mean, bn.running_var, bn.num_batches_tracked


@program
def batchnorm_track_running_stats_toggle(torch):
    bn = torch.nn.BatchNorm2d(2)
    x = torch.randn(3, 2, 2, 2)
    bn(x)
    bn.eval()
    a = bn(x)
    bn.track_running_stats = False
    b = bn(x)  # batch statistics, buffers untouched
    bn.train()
    c = bn(x)
    return a, b, c, bn.running_mean, bn.num_batches_tracked


@program
def batchnorm_no_running_stats(torch):
    bn = torch.nn.BatchNorm1d(4, track_running_stats=False, affine=False)
    x = _leaf(torch, 6, 4, 3)
    y = bn.eval()(x)
    y.pow(3).sum().backward()
    return y, x.grad, bn.running_mean, bn.num_batches_tracked, list(bn.state_dict())


@error(ValueError, r"Expected more than 1 value per channel when training, got input size")
def batchnorm_one_value_per_channel(torch):
    torch.nn.BatchNorm1d(3)(torch.randn(1, 3))


@error(ValueError, r"expected 2D or 3D input \(got 4D input\)")
def batchnorm1d_4d(torch):
    torch.nn.BatchNorm1d(3)(torch.randn(2, 3, 2, 2))


@error(ValueError, r"expected 4D input \(got 3D input\)")
def batchnorm2d_3d(torch):
    torch.nn.BatchNorm2d(3)(torch.randn(2, 3, 2))


@error(RuntimeError, r"running_mean should contain 4 elements not 3")
def batch_norm_functional_wrong_channels(torch):
    torch.nn.functional.batch_norm(torch.randn(2, 4), torch.zeros(3), torch.ones(3), training=True)


@program
def batch_norm_functional_no_stats(torch):
    x = _leaf(torch, 4, 3, 2)
    w = torch.rand(3).requires_grad_()
    y = torch.nn.functional.batch_norm(x, None, None, w, None, training=True, eps=1e-3)
    y.sum().backward()
    return y, x.grad, w.grad


@program
def batchnorm_eval_grad_and_double(torch):
    bn = torch.nn.BatchNorm1d(3).double()
    bn.running_mean.fill_(0.5)
    bn.running_var.fill_(2.0)
    bn.eval()
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    y = bn(x)
    (y * torch.arange(3.0, dtype=torch.float64)).sum().backward()
    return y, x.grad, bn.weight.grad, bn.bias.grad


@program
def groupnorm_values_and_grads(torch):
    gn = torch.nn.GroupNorm(2, 6, eps=1e-3)
    torch.nn.init.uniform_(gn.weight)
    x = _leaf(torch, 3, 6, 2, 3)
    y = gn(x)
    y.pow(2).sum().backward()
    return y, x.grad, gn.weight.grad, gn.bias.grad


@error(ValueError, r"num_channels \(6\) must be divisible by num_groups \(4\)")
def groupnorm_indivisible(torch):
    torch.nn.GroupNorm(4, 6)


@error(RuntimeError, r"Expected number of channels in input to be divisible by num_groups")
def group_norm_functional_indivisible(torch):
    torch.nn.functional.group_norm(torch.randn(2, 6, 3), 4)


@program
def layernorm_shapes_and_no_affine(torch):
    x = _leaf(torch, 2, 3, 4)
    a = torch.nn.LayerNorm([3, 4])(x)
    b = torch.nn.LayerNorm(4, elementwise_affine=False, bias=False)(x)
    c = torch.nn.functional.layer_norm(x, (4,), eps=0.1)
    (a.sum() + (b * c).sum()).backward()
    return a, b, c, x.grad


@error(
    RuntimeError,
    r"Given normalized_shape=\[5\], expected input with shape \[\*, 5\], but got input of size",
)
def layernorm_bad_shape(torch):
    torch.nn.LayerNorm(5)(torch.randn(2, 4))


@program
def instancenorm_running_stats(torch):
    m = torch.nn.InstanceNorm1d(3, affine=True, track_running_stats=True)
    x = _leaf(torch, 2, 3, 5)
    y = m(x)
    (y * torch.randn(2, 3, 5)).sum().backward()
    m.eval()
    z = m(x.detach())
    return y, z, x.grad, m.running_mean, m.running_var, m.weight.grad


@program
def instancenorm_unbatched(torch):
    m = torch.nn.InstanceNorm2d(3)
    x = torch.randn(3, 4, 5)
    return m(x), torch.nn.InstanceNorm1d(2)(torch.randn(2, 6))


@error(ValueError, r"Expected more than 1 spatial element when training, got input size")
def instancenorm_one_spatial(torch):
    torch.nn.InstanceNorm1d(3)(torch.randn(2, 3, 1))


@program
def local_response_norm_and_rms_norm(torch):
    x = _leaf(torch, 2, 5, 3, 3)
    a = torch.nn.LocalResponseNorm(3, alpha=1e-2, beta=0.7, k=2.0)(x)
    b = torch.nn.RMSNorm([3, 3], eps=1e-5)(x)
    c = torch.nn.functional.rms_norm(x, (3,))
    (a.sum() + b.pow(2).sum() + c.sum()).backward()
    return a, b, c, x.grad


# ---- losses ------------------------------------------------------------------------------------
@program
def nll_loss_2d_weight_ignore(torch):
    x = torch.log_softmax(_leaf(torch, 2, 4, 3, 3), 1)
    t = torch.randint(0, 4, (2, 3, 3))
    t[0, 0, 0] = 2
    t[1, 2, 1] = 2
    w = torch.rand(4)
    outs = [
        torch.nn.functional.nll_loss(x, t, weight=w, reduction=r, ignore_index=2)
        for r in ("mean", "sum", "none")
    ]
    outs.append(torch.nn.functional.nll_loss(x, t))
    (outs[0] + outs[1] + outs[2].sum() + outs[3]).backward()
    return outs


@program
def nll_loss_nd_and_all_ignored(torch):
    x = torch.log_softmax(_leaf(torch, 2, 3, 2, 2, 2), 1)
    t = torch.randint(0, 3, (2, 2, 2, 2))
    a = torch.nn.functional.nll_loss(x, t)
    b = torch.nn.functional.nll_loss(x, torch.full_like(t, 1), ignore_index=1)  # nan: 0/0
    c = torch.nn.functional.nll_loss(x, torch.full_like(t, 1), ignore_index=1, reduction="sum")
    return a, b, c


@error(RuntimeError, r"Expected target size \[2, 3\], got \[2, 4\]")
def nll_loss_2d_bad_target(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 5, 3), torch.zeros(2, 4, dtype=torch.long))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def nll_loss_batch_mismatch(torch):
    torch.nn.functional.nll_loss(torch.randn(3, 5), torch.zeros(2, dtype=torch.long))


@error(IndexError, r"Target 5 is out of bounds")
def nll_loss_target_out_of_bounds(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 5), torch.tensor([1, 5]))


@program
def cross_entropy_label_smoothing_weights(torch):
    x = _leaf(torch, 4, 5)
    t = torch.tensor([0, 4, -100, 2])
    w = torch.rand(5)
    outs = [
        torch.nn.functional.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction=r)
        for r in ("mean", "sum", "none")
    ]
    probs = torch.softmax(torch.randn(4, 5), 1)
    outs.append(torch.nn.functional.cross_entropy(x, probs, weight=w, label_smoothing=0.1))
    (outs[0] + outs[1] + outs[2].sum() + outs[3]).backward()
    return outs, x.grad


@program
def cross_entropy_nd_smoothing(torch):
    x = _leaf(torch, 2, 3, 4)
    t = torch.randint(0, 3, (2, 4))
    loss = torch.nn.CrossEntropyLoss(label_smoothing=0.3, ignore_index=1)(x, t)
    loss.backward()
    return loss, x.grad


@error(RuntimeError, r"label_smoothing must be between 0\.0 and 1\.0\. Got: 1\.5")
def cross_entropy_bad_smoothing(torch):
    torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 1]), label_smoothing=1.5)


@program
def kl_div_log_target(torch):
    x = torch.log_softmax(_leaf(torch, 3, 4), 1)
    t = torch.log_softmax(torch.randn(3, 4), 1).requires_grad_()
    outs = [
        torch.nn.functional.kl_div(x, t, reduction=r, log_target=True)
        for r in ("batchmean", "sum", "none", "mean")
    ]
    outs.append(torch.nn.functional.kl_div(x, t.exp(), reduction="batchmean"))
    (outs[0] + outs[1] + outs[2].sum() + outs[4]).backward()
    return outs, t.grad


@program
def bce_with_logits_pos_weight(torch):
    x = _leaf(torch, 3, 4) * 10
    t = torch.rand(3, 4)
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
    w = torch.rand(3, 1)
    a = torch.nn.functional.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw)
    b = torch.nn.BCEWithLogitsLoss(pos_weight=pw, reduction="none")(x, t)
    c = torch.nn.functional.binary_cross_entropy(torch.sigmoid(x), t, weight=w, reduction="sum")
    (a + b.sum() + c).backward()
    return a, b, c


@error(
    ValueError,
    r"Target size \(torch.Size\(\[3\]\)\) must be the same as input size \(torch.Size\(\[3, 1\]\)\)",
)
def bce_with_logits_shape(torch):
    torch.nn.functional.binary_cross_entropy_with_logits(torch.randn(3, 1), torch.rand(3))


@error(
    ValueError, r"Using a target size \(torch.Size\(\[3\]\)\) that is different to the input size"
)
def bce_shape(torch):
    torch.nn.functional.binary_cross_entropy(torch.rand(3, 1), torch.rand(3))


@error(RuntimeError, r"all elements of input should be between 0 and 1")
def bce_out_of_range(torch):
    torch.nn.functional.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))


@program
def bce_log_clamp(torch):
    x = torch.tensor([0.0, 1.0, 0.0, 1.0], requires_grad=True)
    t = torch.tensor([1.0, 0.0, 0.0, 1.0])
    loss = torch.nn.functional.binary_cross_entropy(x, t, reduction="none")
    loss.sum().backward()
    return loss, x.grad


@program
def cosine_margin_triplet_losses(torch):
    a, b, c = _leaf(torch, 4, 5), _leaf(torch, 4, 5), _leaf(torch, 4, 5)
    y = torch.tensor([1, -1, 1, -1])
    outs = [
        torch.nn.functional.cosine_embedding_loss(a, b, y, margin=0.2),
        torch.nn.functional.margin_ranking_loss(
            a[:, 0], b[:, 0], y.float(), margin=0.1, reduction="none"
        ),
        torch.nn.functional.triplet_margin_loss(a, b, c, margin=0.5, p=1, swap=True),
        torch.nn.functional.triplet_margin_with_distance_loss(
            a, b, c, distance_function=torch.nn.PairwiseDistance(), swap=True
        ),
        torch.nn.functional.hinge_embedding_loss(
            a, torch.ones(4, 5) * torch.tensor([1.0, -1, 1, -1, 1]), margin=0.5
        ),
        torch.nn.functional.multi_margin_loss(
            a, torch.tensor([0, 4, 2, 1]), p=2, margin=0.7, weight=torch.rand(5)
        ),
        torch.nn.functional.multilabel_margin_loss(a, torch.tensor([[0, 3, -1, 1, 1]] * 4)),
        torch.nn.functional.multilabel_soft_margin_loss(a, (b > 0).float(), weight=torch.rand(5)),
        torch.nn.functional.soft_margin_loss(a, torch.sign(b.detach())),
    ]
    sum(o.sum() for o in outs).backward()
    return outs, a.grad, b.grad, c.grad


@error(
    RuntimeError,
    r"margin_ranking_loss : All input tensors should have same dimension but got sizes",
)
def margin_ranking_dims(torch):
    torch.nn.functional.margin_ranking_loss(torch.randn(3), torch.randn(3, 1), torch.ones(3))


@error(
    RuntimeError,
    r"The anchor, positive, and negative tensors are expected to have the same number of dimensions",
)
def triplet_dims(torch):
    torch.nn.functional.triplet_margin_loss(torch.randn(3, 2), torch.randn(3, 2), torch.randn(2))


@program
def regression_losses(torch):
    x, t = _leaf(torch, 3, 4), torch.randn(3, 4)
    outs = [
        torch.nn.functional.smooth_l1_loss(x, t, beta=0.5),
        torch.nn.functional.smooth_l1_loss(x, t, beta=0.0),
        torch.nn.functional.huber_loss(x, t, delta=0.3, reduction="none"),
        torch.nn.functional.l1_loss(x, t, reduction="sum"),
        torch.nn.functional.mse_loss(x, t),
        torch.nn.functional.poisson_nll_loss(x, t.abs(), log_input=True, full=True),
        torch.nn.functional.poisson_nll_loss(x.abs() + 0.1, t.abs(), log_input=False),
        torch.nn.functional.gaussian_nll_loss(x, t, torch.rand(3, 1) + 0.1, full=True),
    ]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@error(ValueError, r"var has negative entry/entries")
def gaussian_nll_negative_var(torch):
    torch.nn.functional.gaussian_nll_loss(torch.randn(3), torch.randn(3), -torch.ones(3))


@program
def mse_broadcast_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.functional.mse_loss(torch.randn(3, 1), torch.randn(3))
    return loss.shape, any("Using a target size" in str(i.message) for i in w)


@error(ValueError, r"is not a valid value for reduction")
def loss_bad_reduction(torch):
    torch.nn.functional.l1_loss(torch.randn(3), torch.randn(3), reduction="avg")


@program
def ctc_loss_reductions(torch):
    torch.manual_seed(1)
    lp = torch.randn(12, 3, 6).log_softmax(2).detach().requires_grad_()
    tg = torch.randint(1, 6, (3, 5))
    il = torch.tensor([12, 10, 11])
    tl = torch.tensor([5, 3, 0])
    outs = [
        torch.nn.functional.ctc_loss(lp, tg, il, tl, reduction=r) for r in ("mean", "sum", "none")
    ]
    outs[0].backward()
    return outs, lp.grad


@program
def ctc_loss_infinity_zero(torch):
    lp = torch.randn(3, 1, 4).log_softmax(2).detach().requires_grad_()
    tg = torch.tensor([[1, 1, 1]])
    a = torch.nn.functional.ctc_loss(lp, tg, [3], [3], reduction="none")
    b = torch.nn.CTCLoss(zero_infinity=True, reduction="sum")(lp, tg, [3], [3])
    b.backward()
    return a, b, lp.grad


# ---- pixel_shuffle / channel_shuffle / fold / one_hot ------------------------------------------
@program
def pixel_shuffle_roundtrip_grad(torch):
    x = _leaf(torch, 2, 3, 8, 2, 3)
    y = torch.nn.functional.pixel_shuffle(x, 2)
    z = torch.nn.PixelUnshuffle(2)(y)
    (y * torch.randn(y.shape)).sum().backward()
    return (
        y,
        torch.equal(z, x),
        x.grad,
        torch.nn.functional.pixel_shuffle(torch.randn(0, 4, 1, 1), 2),
    )


@error(
    RuntimeError,
    r"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor",
)
def pixel_shuffle_indivisible(torch):
    torch.nn.functional.pixel_shuffle(torch.randn(1, 3, 2, 2), 2)


@error(RuntimeError, r"pixel_shuffle expects input to have at least 3 dimensions")
def pixel_shuffle_2d(torch):
    torch.nn.functional.pixel_shuffle(torch.randn(4, 4), 2)


@error(RuntimeError, r"pixel_unshuffle expects width to be divisible by downscale_factor")
def pixel_unshuffle_indivisible(torch):
    torch.nn.functional.pixel_unshuffle(torch.randn(1, 1, 4, 3), 2)


@error(RuntimeError, r"pixel_shuffle expects a positive upscale_factor, but got -1")
def pixel_shuffle_negative_factor(torch):
    torch.nn.functional.pixel_shuffle(torch.randn(1, 4, 2, 2), -1)


@error(RuntimeError, r"pixel_unshuffle expects a positive downscale_factor, but got 0")
def pixel_unshuffle_zero_factor(torch):
    torch.nn.PixelUnshuffle(0)(torch.randn(1, 4, 2, 2))


@program
def channel_shuffle_values(torch):
    x = torch.arange(24.0).view(1, 6, 2, 2).requires_grad_()
    y = torch.nn.ChannelShuffle(3)(x)
    (y * torch.arange(6.0).view(1, 6, 1, 1)).sum().backward()
    e = torch.nn.functional.channel_shuffle(torch.rand(0, 9, 4, 4), 3)
    return y, x.grad, e, torch.nn.functional.channel_shuffle(torch.arange(6.0).view(2, 3, 1), 3)


@error(RuntimeError, r"Number of channels must be divisible by groups")
def channel_shuffle_indivisible(torch):
    torch.nn.functional.channel_shuffle(torch.rand(1, 3, 2, 2), 2)


@error(RuntimeError, r"Number of groups to divide channels in must be positive")
def channel_shuffle_zero_groups(torch):
    torch.nn.functional.channel_shuffle(torch.rand(1, 3, 2, 2), 0)


@error(RuntimeError, r"channel_shuffle expects input with > 2 dims")
def channel_shuffle_2d(torch):
    torch.nn.functional.channel_shuffle(torch.rand(1, 2), 2)


@program
def fold_unfold_roundtrip(torch):
    x = _leaf(torch, 2, 3, 5, 6)
    cols = torch.nn.functional.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    back = torch.nn.functional.fold(cols, (5, 6), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    back.pow(2).sum().backward()
    unb = torch.nn.Unfold(2)(torch.randn(3, 4, 4))
    fb = torch.nn.Fold((3, 3), 2)(torch.randn(8, 4))
    return cols, back, x.grad, unb, fb


@error(
    RuntimeError,
    r"Expected size of input's dimension 1 to be divisible by the product of kernel_size",
)
def fold_indivisible(torch):
    torch.nn.functional.fold(torch.randn(1, 5, 4), (3, 3), 2)


@error(
    RuntimeError,
    r"Given output_size=\(3, 3\), kernel_size=\(2, 2\), dilation=\(1, 1\), padding=\(0, 0\), stride=\(1, 1\), expected size of input's dimension 2 to match the calculated number of sliding blocks 2 \* 2 = 4, but got input.size\(2\)=5",
)
def fold_wrong_blocks(torch):
    torch.nn.functional.fold(torch.randn(1, 4, 5), (3, 3), 2)


@error(
    RuntimeError,
    r"Given input with spatial size \(3, 4\), kernel_size=\(3, 3\), dilation=\(2, 2\), padding=\(0, 0\), calculated shape of the array of sliding blocks as \(0, 0\), but its components must be at least one",
)
def unfold_no_blocks(torch):
    torch.nn.functional.unfold(torch.randn(1, 1, 3, 4), 3, stride=2, dilation=2)


@error(
    RuntimeError,
    r"dilation should be greater than zero, but got dilation_height: 0 dilation_width: 0",
)
def unfold_dilation_before_stride(torch):
    torch.nn.functional.unfold(torch.randn(1, 1, 3, 4), 2, stride=0, dilation=0)


@error(RuntimeError, r"padding should be non-negative, but got pad_height: -1 pad_width: 0")
def unfold_negative_padding(torch):
    torch.nn.functional.unfold(torch.randn(1, 1, 3, 4), 2, stride=0, padding=(-1, 0))


@error(
    RuntimeError, r"stride should be greater than zero, but got stride_height: 0 stride_width: 0"
)
def fold_stride_before_padding(torch):
    torch.nn.functional.fold(torch.randn(1, 4, 4), (3, 3), 2, stride=0, padding=-1)


@error(RuntimeError, r"sliding blocks -1 \* 2 = -2, but got input.size\(2\)=1")
def fold_empty_output(torch):
    torch.nn.functional.fold(torch.randn(1, 4, 1), (0, 3), 2)


@error(
    RuntimeError,
    r"calculated shape of the array of sliding blocks as \(-1, -1\), which is too small",
)
def fold_negative_blocks(torch):
    torch.nn.functional.fold(torch.randn(1, 4, 1), (0, 0), 2)


@program
def fold_unbatched_strided(torch):
    x = _leaf(torch, 8, 4)
    y = torch.nn.functional.fold(x, (4, 4), 2, stride=2)
    (y * torch.arange(16.0).view(1, 4, 4)).sum().backward()
    return y, x.grad


@error(RuntimeError, r"kernel size should be greater than zero")
def unfold_zero_kernel(torch):
    torch.nn.functional.unfold(torch.randn(1, 1, 3, 4), (0, 2))


@program
def one_hot_variants(torch):
    t = torch.tensor([[0, 2], [1, 3]])
    return (
        torch.nn.functional.one_hot(t),
        torch.nn.functional.one_hot(t, 6),
        torch.nn.functional.one_hot(torch.tensor(2), 3),
        torch.nn.functional.one_hot(torch.empty(0, dtype=torch.long), 4),
    )


@error(RuntimeError, r"Class values must be non-negative")
def one_hot_negative(torch):
    torch.nn.functional.one_hot(torch.tensor([0, -1]))


@error(RuntimeError, r"Class values must be smaller than num_classes")
def one_hot_too_large(torch):
    torch.nn.functional.one_hot(torch.tensor([0, 3]), 3)


@error(RuntimeError, r"one_hot is only applicable to index tensor")
def one_hot_float(torch):
    torch.nn.functional.one_hot(torch.tensor([0.0, 1.0]))


@error(RuntimeError, r"Can not infer total number of classes from empty tensor")
def one_hot_empty_infer(torch):
    torch.nn.functional.one_hot(torch.empty(0, dtype=torch.long))


# ---- RNN cells ---------------------------------------------------------------------------------
@program(tol={"rtol": 1e-4, "atol": 1e-5})
def rnn_cells_steps(torch):
    outs = []
    for cls in (torch.nn.RNNCell, torch.nn.GRUCell):
        for bias in (True, False):
            cell = cls(4, 3, bias=bias)
            x = _leaf(torch, 2, 4)
            h = torch.randn(2, 3)
            for _ in range(3):
                h = cell(x, h)
            h.sum().backward()
            outs += [h, x.grad, cell.weight_hh.grad]
    lstm = torch.nn.LSTMCell(4, 3)
    hx, cx = lstm(torch.randn(2, 4))
    hx, cx = lstm(torch.randn(2, 4), (hx, cx))
    (hx + cx).sum().backward()
    return outs, hx, cx, lstm.bias_ih.grad


@program
def rnn_cell_relu_unbatched(torch):
    cell = torch.nn.RNNCell(3, 2, nonlinearity="relu")
    h = cell(torch.randn(3))
    g = torch.nn.GRUCell(3, 2)(torch.randn(3), torch.randn(2))
    h2, c2 = torch.nn.LSTMCell(3, 2)(torch.randn(3))
    return h, g, h2, c2, h.shape


@error(RuntimeError, r"Unknown nonlinearity: foo")
def rnn_cell_bad_nonlinearity(torch):
    torch.nn.RNNCell(3, 2, nonlinearity="foo")(torch.randn(1, 3))


@error(RuntimeError, r"input has inconsistent input_size: got 4 expected 3")
def rnn_cell_bad_input_size(torch):
    torch.nn.RNNCell(3, 2)(torch.randn(1, 4))


@error(RuntimeError, r"Input batch size 2 doesn't match hidden0 batch size 3")
def gru_cell_batch_mismatch(torch):
    torch.nn.GRUCell(3, 2)(torch.randn(2, 3), torch.randn(3, 2))


@error(ValueError, r"LSTMCell: Expected input to be 1D or 2D, got 3D instead")
def lstm_cell_3d(torch):
    torch.nn.LSTMCell(3, 2)(torch.randn(1, 2, 3))


@program
def rnn_initial_hidden_zero_same(torch):
    outs = []
    for mode in ("RNN", "GRU", "LSTM"):
        rnn = getattr(torch.nn, mode)(5, 4, 2)
        x = torch.randn(3, 2, 5)
        h = torch.zeros(2, 2, 4)
        a, ha = rnn(x, (h, h) if mode == "LSTM" else h)
        b, hb = rnn(x)
        outs.append(torch.equal(a, b))
    return outs


@error(RuntimeError, r"Expected hidden size \(2, 3, 4\), got \[2, 2, 4\]")
def rnn_hidden_wrong_shape(torch):
    torch.nn.GRU(5, 4, 2)(torch.randn(3, 3, 5), torch.randn(2, 2, 4))


@error(ValueError, r"dropout should be a number in range \[0, 1\] representing the probability")
def rnn_bad_dropout(torch):
    torch.nn.LSTM(3, 4, dropout=1.5)


@error(ValueError, r"proj_size has to be smaller than hidden_size")
def lstm_proj_too_big(torch):
    torch.nn.LSTM(3, 4, proj_size=4)


@error(RuntimeError, r"sliding blocks 0 \* 1 = 0, but got input.size\(2\)=7")
def fold_blocks_round_down(torch):
    torch.nn.functional.fold(torch.randn(1, 4, 7), (1, 3), 2, stride=2)


# ---- from test_nn.py's middle: bilinear, fold/unfold arguments, adaptive softmax, flatten ------
@error(ValueError, r"in1_features must be > 0")
def bilinear_zero_features(torch):
    torch.nn.Bilinear(0, 0, 0)


@program
def bilinear_batched_leading_dims(torch):
    m = torch.nn.Bilinear(5, 6, 8)
    a, b = torch.randn(2, 3, 5), torch.randn(2, 3, 6)
    return m(a, b), m(a.view(6, 5), b.view(6, 6)).view(2, 3, 8)


@error(RuntimeError, r"calculated shape of the array of sliding blocks as")
def fold_dilated_too_small(torch):
    torch.nn.Fold(output_size=(4, 5), kernel_size=(2, 2), stride=1, dilation=8)(
        torch.randn(1, 12, 12)
    )


@error(RuntimeError, r"match the calculated number of sliding blocks")
def fold_strided_dilated_padded(torch):
    fold = torch.nn.Fold(
        output_size=(4, 5), kernel_size=(2, 3), stride=(2, 2), dilation=(1, 2), padding=(2, 0)
    )
    fold(torch.randn(1, 6, 5))


@error(RuntimeError, r"its components must be at least one")
def unfold_padded_too_small(torch):
    torch.nn.Unfold(kernel_size=(5, 3), padding=(1, 1))(torch.randn(1, 2, 2, 3))


@program
def adaptive_log_softmax_outputs(torch):
    asfm = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 8], div_value=2.0, head_bias=True)
    x = torch.randn(6, 8)
    y = torch.tensor([0, 3, 4, 7, 8, 9])
    out, loss = asfm(x, y)
    lp = asfm.log_prob(x)
    single = asfm(x[0], y[0])
    return out, loss, lp, asfm.predict(x), single.output, asfm.tail[1][1].weight.shape


@error(
    ValueError,
    r"cutoffs should be a sequence of unique, positive integers sorted in an increasing order",
)
def adaptive_log_softmax_bad_cutoffs(torch):
    torch.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 10, 20], div_value=2.0)


@error(RuntimeError, r"Input and target should have the same size in the batch dimension")
def adaptive_log_softmax_batch_mismatch(torch):
    torch.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 10, 15])(
        torch.randn(2, 16), torch.tensor([0, 5, 10])
    )


@error(
    RuntimeError, r"Target values should be in \[0, 19\], but values in range \[0, 20\] were found"
)
def adaptive_log_softmax_target_range(torch):
    torch.nn.AdaptiveLogSoftmaxWithLoss(16, 20, [5, 10, 15])(
        torch.randn(2, 16), torch.tensor([0, 20])
    )


@program
def cross_entropy_empty_classes_probs(torch):
    x = torch.rand(5, 0, requires_grad=True)
    outs = [
        torch.nn.functional.cross_entropy(x, torch.rand(5, 0), reduction=r)
        for r in ("mean", "sum", "none")
    ]
    outs[0].backward()
    return outs, x.grad, torch.nn.CrossEntropyLoss()(torch.rand(5, 0, 2), torch.rand(5, 0, 2))


@program
def layer_norm_constant_rows_eps(torch):
    x = torch.tensor([[[2.0, 2.0], [14.0, 14.0]], [[2.0, 2.0], [14.0, 14.0]]])
    return torch.nn.LayerNorm(2, eps=1e-6, elementwise_affine=False)(x)


@error(
    TypeError, r"unflattened_size must be tuple of ints, but found element of type float at pos 2"
)
def unflatten_float_size(torch):
    torch.nn.Unflatten(dim=1, unflattened_size=(2, 5, 5.0))


@program
def flatten_unflatten_modules(torch):
    x = torch.randn(2, 50)
    return torch.nn.Unflatten(1, [2, 5, 5])(x).shape, torch.nn.Flatten(0, 1)(
        torch.randn(2, 1, 2, 3)
    ).shape


@error(TypeError, r"unflattened_size must be a tuple of ints, but found type int")
def unflatten_int_size(torch):
    torch.nn.Unflatten(1, 6)


# ---- from test_nn.py's device tests: interpolation correctness, trilinear, uint8 ------------------
@program
def upsample_bicubic_scale2(torch):
    return torch.nn.functional.interpolate(
        torch.arange(8.0).view(1, 2, 2, 2), scale_factor=2, mode="bicubic"
    )


@program
def upsample_antialias_downscale_known(torch):
    x = torch.arange(3 * 8 * 8, dtype=torch.float).reshape(1, 3, 8, 8)
    a = torch.nn.functional.interpolate(
        x, size=(2, 2), mode="bilinear", align_corners=False, antialias=True
    )
    b = torch.nn.functional.interpolate(
        x, size=(2, 2), mode="bicubic", align_corners=False, antialias=True
    )
    return a, b


@program
def upsample_trilinear_scales_grad(torch):
    outs = []
    for ac in (True, False):
        for sf in (0.5, 1.5, 2):
            x = torch.randn(1, 2, 4, 4, 4, dtype=torch.double, requires_grad=True)
            o = torch.nn.Upsample(scale_factor=sf, mode="trilinear", align_corners=ac)(x)
            n = int(4 * sf)
            same = torch.nn.functional.interpolate(x, (n, n, n), mode="trilinear", align_corners=ac)
            o.backward(torch.ones_like(o))
            outs += [o, same, x.grad]
    return outs


@program
def upsample_uint8_bilinear_matches_rounded_float(torch):
    x = torch.randint(0, 256, (1, 3, 13, 11), dtype=torch.uint8)
    a = torch.nn.functional.interpolate(x, size=(7, 17), mode="bilinear", align_corners=False)
    b = torch.nn.functional.interpolate(x, size=(5, 4), mode="bilinear", antialias=True)
    return a, b


@error(RuntimeError, r"not implemented for 'Long'")
def upsample_long_bilinear(torch):
    torch.nn.functional.interpolate(
        torch.ones(1, 1, 4, 4, dtype=torch.long), (12, 12), mode="bilinear"
    )


@program
def upsample_nearest_uint8(torch):
    x = torch.arange(16, dtype=torch.uint8).view(1, 1, 4, 4)
    a = torch.nn.functional.interpolate(x, (6, 3), mode="nearest")
    return a, torch.nn.functional.interpolate(
        x.view(1, 2, 8), scale_factor=0.5, mode="nearest-exact"
    )


@error(NotImplementedError, r"\"upsample_nearest2d_channels_last\" not implemented for 'Int'")
def upsample_nearest_int32_4d(torch):
    torch.nn.functional.interpolate(torch.zeros(2, 3, 4, 4, dtype=torch.int32), scale_factor=2)


@error(NotImplementedError, r"\"compute_indices_weights_nearest\" not implemented for 'Long'")
def upsample_nearest_exact_long_3d(torch):
    torch.nn.functional.interpolate(
        torch.zeros(2, 3, 4, dtype=torch.long), size=5, mode="nearest-exact"
    )


@error(NotImplementedError, r"\"compute_indices_weights_nearest\" not implemented for 'Bool'")
def upsample_nearest_bool_5d(torch):
    torch.nn.functional.interpolate(torch.zeros(1, 1, 2, 2, 2, dtype=torch.bool), scale_factor=2)


# ---- more loss edge cases ----------------------------------------------------------------------
@program
def losses_empty_batch(torch):
    x = torch.randn(0, 4, requires_grad=True)
    t = torch.empty(0, dtype=torch.long)
    outs = [
        torch.nn.functional.nll_loss(x, t),
        torch.nn.functional.nll_loss(x, t, reduction="sum"),
        torch.nn.functional.cross_entropy(x, t, reduction="none"),
        torch.nn.functional.mse_loss(torch.randn(0), torch.randn(0)),
        torch.nn.functional.l1_loss(torch.randn(0), torch.randn(0), reduction="sum"),
    ]
    return outs


@program
def cross_entropy_unbatched(torch):
    x = _leaf(torch, 5)
    a = torch.nn.functional.cross_entropy(x, torch.tensor(3))
    b = torch.nn.functional.cross_entropy(x, torch.softmax(torch.randn(5), 0), label_smoothing=0.2)
    (a + b).backward()
    return a, b, x.grad


@error(RuntimeError, r"ignore_index is not supported for floating point target")
def cross_entropy_probs_ignore_index(torch):
    torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.rand(2, 3), ignore_index=1)


@error(
    RuntimeError,
    r"weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: \[3\]",
)
def nll_loss_weight_size(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 4), torch.tensor([0, 1]), weight=torch.ones(3))


@error(RuntimeError, r"0D or 1D target tensor expected, multi-target not supported")
def nll_loss_multi_target(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 4), torch.zeros(2, 2, dtype=torch.long))


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Float")
def nll_loss_float_target(torch):
    torch.nn.functional.nll_loss(torch.randn(2, 4), torch.zeros(2))


@program
def smooth_l1_huber_extremes(torch):
    x, t = _leaf(torch, 6), torch.randn(6)
    outs = [
        torch.nn.functional.smooth_l1_loss(x, t, beta=100.0, reduction="none"),
        torch.nn.functional.huber_loss(x, t, delta=100.0, reduction="sum"),
        torch.nn.functional.huber_loss(x, t, delta=1e-3),
    ]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@error(RuntimeError, r"smooth_l1_loss does not support negative values for beta")
def smooth_l1_negative_beta(torch):
    torch.nn.functional.smooth_l1_loss(torch.randn(3), torch.randn(3), beta=-1.0)


@error(RuntimeError, r"huber_loss does not support non-positive values for delta")
def huber_zero_delta(torch):
    torch.nn.functional.huber_loss(torch.randn(3), torch.randn(3), delta=0.0)


@program
def kl_div_mean_warns(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.functional.kl_div(
            torch.randn(2, 3).log_softmax(1), torch.rand(2, 3), reduction="mean"
        )
    return loss, any("batchmean" in str(i.message) for i in w)


@program
def bce_weight_broadcast_and_double(torch):
    x = torch.rand(3, 4, dtype=torch.double, requires_grad=True)
    t = torch.rand(3, 4, dtype=torch.double)
    w = torch.rand(4, dtype=torch.double)
    a = torch.nn.BCELoss(weight=w)(x, t)
    b = torch.nn.functional.binary_cross_entropy_with_logits(
        x, t, pos_weight=torch.rand(4, dtype=torch.double), reduction="sum"
    )
    (a + b).backward()
    return a, b, x.grad


@error(ValueError, r"only p == 1 and p == 2 supported")
def multi_margin_bad_p(torch):
    torch.nn.functional.multi_margin_loss(torch.randn(2, 3), torch.tensor([0, 1]), p=3)


@program
def nll_loss_double_grad_weights(torch):
    x = torch.randn(5, 3, dtype=torch.double).log_softmax(1).detach().requires_grad_()
    t = torch.tensor([0, 2, 1, 1, 0])
    w = torch.tensor([0.5, 2.0, 1.0], dtype=torch.double)
    loss = torch.nn.NLLLoss(weight=w)(x, t)
    loss.backward()
    return loss, x.grad


# ---- more normalization / grid checks ----------------------------------------------------------
@program
def batchnorm_momentum_and_reset(torch):
    bn = torch.nn.BatchNorm1d(3, momentum=0.3)
    x = torch.randn(4, 3, 2)
    bn(x)
    bn(x * 2)
    before = (bn.running_mean.clone(), bn.running_var.clone(), bn.num_batches_tracked.clone())
    bn.reset_running_stats()
    return before, bn.running_mean, bn.running_var, bn.num_batches_tracked


@program
def batchnorm_load_state_without_counter(torch):
    bn = torch.nn.BatchNorm2d(2)
    sd = bn.state_dict()
    del sd["num_batches_tracked"]
    result = bn.load_state_dict(sd, strict=False)
    return (
        result.missing_keys,
        bn.num_batches_tracked,
        sorted(torch.nn.BatchNorm2d(2, affine=False).state_dict()),
    )


@error(
    RuntimeError,
    r"Expected weight to be of same shape as normalized_shape, but got weight of shape \[3\] and normalized_shape = \[4\]",
)
def layer_norm_weight_shape(torch):
    torch.nn.functional.layer_norm(torch.randn(2, 4), (4,), weight=torch.ones(3))


@program
def group_norm_functional_no_affine_3d(torch):
    x = _leaf(torch, 2, 4, 3)
    y = torch.nn.functional.group_norm(x, 2, eps=1e-2)
    z = torch.nn.functional.group_norm(torch.randn(2, 6, 2, 2, 2), 3, torch.rand(6), torch.rand(6))
    (y * torch.randn(2, 4, 3)).sum().backward()
    return y, z, x.grad


@error(
    RuntimeError,
    r"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape \[4\] and input of shape \[2, 6, 3\]",
)
def group_norm_weight_size(torch):
    torch.nn.functional.group_norm(torch.randn(2, 6, 3), 3, torch.ones(4))


@program
def instancenorm_momentum_none(torch):
    m = torch.nn.InstanceNorm2d(2, track_running_stats=True, momentum=None)
    for _ in range(3):
        m(torch.randn(3, 2, 4, 4))
    return m.running_mean, m.running_var, m.num_batches_tracked


@program
def grid_sample_empty_grid_and_batch(torch):
    outs = []
    for mode in ("bilinear", "nearest", "bicubic"):
        x = torch.randn(0, 2, 3, 3, requires_grad=True)
        g = torch.zeros(0, 2, 4, 2, requires_grad=True)
        y = torch.nn.functional.grid_sample(x, g, mode=mode, align_corners=True)
        y.sum().backward()
        empty_grid = torch.nn.functional.grid_sample(
            torch.randn(1, 2, 3, 3), torch.zeros(1, 0, 4, 2), mode=mode
        )
        outs += [y, x.grad, g.grad, empty_grid]
    v = torch.nn.functional.grid_sample(
        torch.randn(0, 2, 3, 3, 3), torch.zeros(0, 2, 4, 1, 3), align_corners=False
    )
    return outs, v


@error(ValueError, r"Expected non-zero, positive output size. Got \[0, 1, 2, 2\]")
def affine_grid_empty_batch(torch):
    torch.nn.functional.affine_grid(torch.zeros(0, 2, 3), [0, 1, 2, 2], align_corners=False)


@program
def grid_sample_double_grad(torch):
    x = torch.randn(1, 1, 4, 4, dtype=torch.double, requires_grad=True)
    g = (torch.rand(1, 3, 3, 2, dtype=torch.double) * 2 - 1).requires_grad_()
    y = torch.nn.functional.grid_sample(
        x, g, mode="bicubic", padding_mode="border", align_corners=True
    )
    gx, gg = torch.autograd.grad(y.sum(), (x, g), create_graph=True)
    return y, gx, gg


# ---- activations' argument checks --------------------------------------------------------------
@error(RuntimeError, r"ZeroDivisionError: alpha cannot be 0 for CELU")
def celu_zero_alpha(torch):
    torch.nn.CELU(0.0)(torch.ones(2))


@program
def activation_arguments(torch):
    x = torch.arange(-2.0, 2.5, 0.5)
    return (
        torch.nn.functional.threshold(x, 0.5, -1.0),
        torch.nn.functional.softplus(x * 20, beta=0.5, threshold=10),
        torch.nn.functional.glu(torch.arange(12.0).view(3, 4)),
        torch.nn.functional.softsign(torch.tensor([1, 2])),
        torch.nn.functional.normalize(torch.zeros(2, 3), dim=1),
        torch.nn.functional.cosine_similarity(torch.ones(2, 3), torch.ones(1, 3)),
    )
