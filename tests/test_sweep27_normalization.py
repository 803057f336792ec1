"""Session 17's fixes found by the normalization fuzzer (tests/test_fuzz_normalization.py),
each pinned by a focused program compared with PyTorch."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _ramp(torch, *shape, dtype=None):
    n = 1
    for s in shape:
        n *= s
    x = torch.arange(n, dtype=torch.float64).reshape(shape)
    x = (x * 0.37) % 1.3 - 0.4 + (x * x) * 0.01
    return x if dtype is None else x.to(dtype)


# ---- batch_norm of an empty input: PyTorch's clone * weight[0] + bias[0], before any check --
@program
def batch_norm_empty_batch_eval_without_running_stats(torch):
    x = torch.zeros(0, 3, 2)
    w = torch.ones(3, requires_grad=True)
    y = torch.nn.functional.batch_norm(x, None, None, w, torch.zeros(3), training=False)
    return y, y.shape, type(y.grad_fn).__name__, y.stride()


@program
def batch_norm_empty_batch_no_grad_output_needs_no_grad(torch):
    x = torch.zeros(0, 2, 3, requires_grad=True)
    with torch.no_grad():
        y = torch.nn.functional.batch_norm(x, None, None, torch.ones(2), None, training=True)
    z = torch.nn.functional.batch_norm(x, None, None, None, None, training=True)
    return y.requires_grad, y is x, z is x, type(z.grad_fn).__name__


@error(IndexError, r"select\(\): index 0 out of range for tensor of size \[0\]")
def instance_norm_empty_batch_with_weight(torch):
    torch.nn.functional.instance_norm(torch.zeros(0, 2, 3), weight=torch.ones(2))


@error(RuntimeError, r"running_mean must be defined in evaluation mode")
def batch_norm_eval_checks_running_mean_before_bias_size(torch):
    x = torch.ones(2, 4, 2)
    torch.nn.functional.batch_norm(x, None, torch.ones(4), None, torch.ones(1), training=False)


# ---- instance_norm: a view of batch_norm's result; eval mode leaves the statistics alone ------
@program
def instance_norm_grad_fn_is_a_view(torch):
    x = _ramp(torch, 2, 3, 4, dtype=torch.float32).requires_grad_()
    y = torch.nn.functional.instance_norm(x, weight=torch.ones(3))
    return type(y.grad_fn).__name__, y


@program
def instance_norm_module_eval_on_empty_batch_keeps_statistics(torch):
    m = torch.nn.InstanceNorm1d(2, track_running_stats=True).eval()
    m.running_mean.fill_(0.5)
    y = m(torch.zeros(0, 2, 3))
    return y.shape, m.running_mean, m.running_var


@program
def instance_norm_channels_last_gives_contiguous(torch):
    x = _ramp(torch, 2, 3, 2, 2).contiguous(memory_format=torch.channels_last)
    y = torch.nn.functional.instance_norm(x)
    rm, rv = torch.zeros(3), torch.ones(3)
    z = torch.nn.functional.instance_norm(x.float(), rm, rv)
    return y, y.stride(), z.stride(), rm, rv


# ---- layouts --------------------------------------------------------------------------------
@program
def batch_norm_training_keeps_channels_last(torch):
    x = _ramp(torch, 2, 3, 2, 2, dtype=torch.float32).contiguous(memory_format=torch.channels_last)
    rm, rv = torch.zeros(3), torch.ones(3)
    y = torch.nn.functional.batch_norm(x, rm, rv, training=True)
    x3 = _ramp(torch, 2, 3, 2, 3, 1).contiguous(memory_format=torch.channels_last_3d)
    y3 = torch.nn.functional.batch_norm(x3, None, None, training=True)
    return y, y.stride(), y3.stride(), rm, rv


@program
def group_norm_keeps_channels_last(torch):
    x = _ramp(torch, 2, 4, 3, 2, dtype=torch.float32)
    x = x.contiguous(memory_format=torch.channels_last)
    y = torch.nn.functional.group_norm(x, 2, torch.ones(4), torch.zeros(4))
    x3 = _ramp(torch, 2, 2, 2, 2, 2).contiguous(memory_format=torch.channels_last_3d)
    return y, y.stride(), torch.nn.functional.group_norm(x3, 1).stride()


# ---- grad_fn names ------------------------------------------------------------------------------
@program
def group_norm_half_grad_fn(torch):
    x = _ramp(torch, 2, 2, 3, dtype=torch.float16).requires_grad_()
    y = torch.nn.functional.group_norm(x, 1, torch.ones(2, dtype=torch.float16))
    return type(y.grad_fn).__name__, y


@program
def rms_norm_grad_fn_names_and_layout(torch):
    F = torch.nn.functional
    x = _ramp(torch, 3, 2).requires_grad_()
    names = [type(F.rms_norm(x, [2]).grad_fn).__name__]
    t = F.rms_norm(x.t(), [3])  # a transposed input: PyTorch's contiguous copy last
    names.append(type(t.grad_fn).__name__)
    names.append(type(F.rms_norm(x[:, ::2], [1]).grad_fn).__name__)
    names.append(type(F.rms_norm(x.half(), [2]).grad_fn).__name__)
    return names, t, t.stride()


# ---- argument checks -----------------------------------------------------------------------
@error(TypeError, r"layer_norm\(\): argument 'normalized_shape' \(position 2\) must be tuple of ints, not int")  # fmt: skip
def layer_norm_functional_int_normalized_shape(torch):
    torch.nn.functional.layer_norm(torch.ones(2, 3), 3)


@error(TypeError, r"rms_norm\(\): argument 'normalized_shape' \(position 2\) must be tuple of ints, not int")  # fmt: skip
def rms_norm_functional_int_normalized_shape(torch):
    torch.nn.functional.rms_norm(torch.ones(2, 3), 3)


@error(RuntimeError, r"mixed dtype \(CPU\): all inputs must share same datatype")
def layer_norm_mixed_dtype_checked_before_shape(torch):
    x = torch.ones(2, 3, dtype=torch.float64)
    torch.nn.functional.layer_norm(x, [4], torch.ones(3))


# ---- normalized_shape with a zero ------------------------------------------------------------
@program
def layer_norm_zero_sized_normalized_shape(torch):
    m = torch.nn.LayerNorm((0, 3))
    x = torch.zeros(2, 0, 3, requires_grad=True)
    y = m(x)
    y.sum().backward()
    return y, x.grad, m.weight.grad, m.bias.grad


# ---- normalize(out=) --------------------------------------------------------------------------
@program
def normalize_writes_out(torch):
    x = _ramp(torch, 2, 3, dtype=torch.float32)
    out = torch.zeros(2, 3)
    y = torch.nn.functional.normalize(x, p=1.0, dim=0, out=out)
    return y is out, out


@program(tol={"rtol": 1e-3, "atol": 1e-3})
def normalize_out_of_narrower_dtype(torch):
    x = _ramp(torch, 2, 3).t()
    out = torch.zeros(3, 2, dtype=torch.float16)
    return torch.nn.functional.normalize(x, dim=-1, out=out) is out, out, out.stride()


# ---- instance_norm is PyTorch's native batch_norm of a (1, N * C, ...) view --------------------
@program
def instance_norm_eps_zero_has_no_batch_norm_python_check(torch):
    x = _ramp(torch, 2, 3, 4, dtype=torch.float32)
    rm, rv = torch.zeros(3), torch.ones(3)
    return torch.nn.functional.instance_norm(x, rm, rv, eps=0.0), rm, rv


@error(RuntimeError, r"weight should contain 6 elements not 8")
def instance_norm_weight_of_wrong_size(torch):
    torch.nn.functional.instance_norm(torch.ones(2, 3, 4), weight=torch.ones(4))


@error(RuntimeError, r"Expected running_mean and running_var to be defined when use_input_stats is false")  # fmt: skip
def instance_norm_eval_without_running_mean(torch):
    x = torch.ones(2, 3, 4)
    torch.nn.functional.instance_norm(x, None, torch.ones(3), use_input_stats=False)


@error(RuntimeError, r"expected scalar type Float but found Double")
def instance_norm_running_var_of_another_dtype(torch):
    x = torch.ones(2, 3, 4)
    rv = torch.ones(3, dtype=torch.float64)
    torch.nn.functional.instance_norm(x, torch.zeros(3), rv)


@program(tol={"rtol": 2e-3, "atol": 2e-3})
def instance_norm_module_half_input_float32_statistics(torch):
    m = torch.nn.InstanceNorm2d(2, affine=True, track_running_stats=True)
    x = _ramp(torch, 2, 2, 3, 3, dtype=torch.float16).requires_grad_()
    y = m(x)
    y.sum().backward()
    rm = torch.zeros(2, dtype=torch.float64)
    z = torch.nn.functional.instance_norm(
        x.detach().float(), rm, torch.ones(2, dtype=torch.float64)
    )
    return y, m.running_mean, m.running_var, m.weight.grad, x.grad, z, rm


# ---- batch_norm counts the elements of its per-channel tensors ---------------------------------
@program
def batch_norm_parameters_of_shape_c_by_1(torch):
    x = _ramp(torch, 2, 4, dtype=torch.float32)
    rm, rv = torch.zeros(4), torch.ones(4)
    b = torch.zeros(4, 1)
    y = torch.nn.functional.batch_norm(x, rm, rv, torch.ones(4), b, training=True)
    z = torch.nn.functional.batch_norm(x, rm, rv, torch.ones(4, 1), None, training=False)
    return y, z, rm, rv


@error(ValueError, r"running_mean and running_var must either both be None or neither be None")
def batch_norm_one_running_stat_after_size_checks(torch):
    x = torch.ones(4, 4)
    torch.nn.functional.batch_norm(x, torch.zeros(4), None, None, torch.ones(4, 1), training=True)


# ---- rms_norm: PyTorch's composite keeps channels_last -----------------------------------------
@program
def rms_norm_channels_last_kept(torch):
    x = _ramp(torch, 2, 2, 2, 3, dtype=torch.float32)
    x = x.contiguous(memory_format=torch.channels_last).requires_grad_()
    y = torch.nn.functional.rms_norm(x, [3])
    z = torch.nn.functional.rms_norm(x.half(), [2, 3])
    return y, y.stride(), type(y.grad_fn).__name__, z.stride(), type(z.grad_fn).__name__


# ---- the order of layer_norm's and rms_norm's checks -------------------------------------------
@error(RuntimeError, r"Expected weight to be of same shape as normalized_shape, but got weight of shape \[7\]")  # fmt: skip
def rms_norm_weight_shape_checked_before_input_shape(torch):
    torch.nn.functional.rms_norm(torch.ones(3), [5], torch.ones(7))


@error(RuntimeError, r"Expected bias to be of same shape as normalized_shape")
def layer_norm_bias_shape_checked_before_input_shape(torch):
    torch.nn.functional.layer_norm(torch.ones(2, 3), [4], None, torch.ones(3))


@error(RuntimeError, r"Expected normalized_shape to be at least 1-dimensional")
def layer_norm_empty_shape_before_parameter_dtypes(torch):
    w = torch.ones((), dtype=torch.bfloat16)
    x = torch.ones(0, 3, dtype=torch.bfloat16)
    torch.nn.functional.layer_norm(x, [], w, torch.ones(()))


# ---- local_response_norm ----------------------------------------------------------------------
@program
def local_response_norm_empty_bfloat16_input_returned(torch):
    x = torch.ones(0, 3, 2, 2, 2, dtype=torch.bfloat16)
    return torch.nn.functional.local_response_norm(x, 3) is x


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def local_response_norm_transposed_5d_input(torch):
    x = _ramp(torch, 2, 3, 2, 4, 3).transpose(-1, -2)
    torch.nn.functional.local_response_norm(x, 3)


@program
def local_response_norm_channels_last_3d_input(torch):
    x = _ramp(torch, 2, 3, 2, 2, 3).contiguous(memory_format=torch.channels_last_3d)
    return torch.nn.functional.local_response_norm(x, 2, alpha=0.5)


@program
def rms_norm_wider_weight_result_cast_back(torch):
    x = _ramp(torch, 2, 3, dtype=torch.float32).requires_grad_()
    y = torch.nn.functional.rms_norm(x, [3], torch.ones(3, dtype=torch.float64))
    return y, y.dtype, type(y.grad_fn).__name__


# ---- momentum=None: the Modules' cumulative average, the functionals' TypeError ----------------
@error(TypeError, r"batch_norm\(\): argument 'momentum' \(position 7\) must be float, not NoneType")  # fmt: skip
def batch_norm_functional_momentum_none(torch):
    x = torch.ones(2, 3)
    torch.nn.functional.batch_norm(x, torch.zeros(3), torch.ones(3), training=False, momentum=None)


@error(TypeError, r"instance_norm\(\): argument 'momentum' \(position 7\) must be float, not NoneType")  # fmt: skip
def instance_norm_functional_momentum_none(torch):
    torch.nn.functional.instance_norm(torch.ones(2, 3, 4), momentum=None)


@program
def instance_norm_module_momentum_none(torch):
    m = torch.nn.InstanceNorm1d(3, momentum=None, track_running_stats=True)
    y = m(_ramp(torch, 2, 3, 4, dtype=torch.float32))
    return y, m.running_mean, m.running_var, m.num_batches_tracked


# ---- out= of another dtype and shape: PyTorch's element-wise ops warn of the resize twice -------
@program
def normalize_out_resized_from_another_dtype_warns_twice(torch):
    import warnings

    x = _ramp(torch, 2, 3, dtype=torch.float32)
    counts = []
    for dtype in (torch.float32, torch.float16):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = torch.zeros(7, dtype=dtype)
            torch.nn.functional.normalize(x, out=out)
        counts.append([str(w.message)[:40] for w in caught])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.logical_not(x, out=torch.zeros(7))
    return counts, len(caught), out


# ---- sizes and groups that are not positive ----------------------------------------------------
@error(RuntimeError, r"Expected num groups to be greater than 0, got -3")
def group_norm_negative_groups(torch):
    torch.nn.functional.group_norm(torch.ones(2, 4, 3), -3, torch.ones(5))


@program
def local_response_norm_sizes_not_positive(torch):
    messages = []
    for shape, size in (((2, 4, 3), 0), ((2, 4, 3, 2), -1), ((2, 4, 3), -2), ((2, 1, 3), -1)):
        try:
            torch.nn.functional.local_response_norm(torch.ones(shape), size)
        except RuntimeError as e:
            messages.append(str(e).split(",")[0])
    return messages


@program
def group_norm_half_keeps_channels_last_of_a_batch_of_one(torch):
    x = _ramp(torch, 1, 2, 4, 1, dtype=torch.bfloat16)
    x = x.contiguous(memory_format=torch.channels_last)
    y = torch.nn.functional.group_norm(x, 1)
    strides = [s for n, s in zip(y.shape, y.stride()) if n > 1]  # (size-1 dims' are PyTorch's)
    return y.float(), strides, y.is_contiguous(memory_format=torch.channels_last)
