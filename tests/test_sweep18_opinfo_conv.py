"""Session 10 OpInfo sweep, convolution / pooling / interpolation / unfold / normalisation /
embedding: each program reproduces a divergence PyTorch's OpInfo database (tests/
opinfo_harness.py) found, run with PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _grads(torch, out, *inputs):
    """The gradients of a fixed weighting of ``out`` with respect to ``inputs``."""
    w = torch.arange(out.numel(), dtype=out.dtype).reshape(out.shape) / 7
    return torch.autograd.grad((out * w).sum(), inputs, allow_unused=True)


# ---- unfold / fold -----------------------------------------------------------------------------
@program
def unfold_of_an_empty_batch(torch):
    x = torch.ones(0, 1, 5, 5, dtype=torch.float64, requires_grad=True)
    out = torch.nn.functional.unfold(x, 2, dilation=2, padding=1, stride=(1, 2))
    return out, _grads(torch, out, x)


@program
def fold_of_an_empty_batch(torch):
    x = torch.ones(0, 4, 9, requires_grad=True)
    out = torch.nn.functional.fold(x, (4, 4), 2)
    return out, _grads(torch, out, x)


# ---- normalisation -----------------------------------------------------------------------------
@program
def batch_norm_of_an_empty_1d_input(torch):
    x = torch.ones(0, dtype=torch.float64)
    return [
        torch.nn.functional.batch_norm(x, torch.ones(0), torch.ones(0), training=training)
        for training in (True, False)
    ]


@error(RuntimeError, r"running_mean should contain 0 elements not 3")
def batch_norm_of_a_1d_input_has_no_channels(torch):
    x = torch.ones(3)
    return torch.nn.functional.batch_norm(x, torch.ones(3), torch.ones(3))


@error(RuntimeError, r"running_mean must be defined in evaluation mode")
def batch_norm_in_eval_mode_without_running_stats(torch):
    return torch.nn.functional.batch_norm(torch.ones(2, 3), None, None)


@program
def native_group_norm_of_an_empty_batch(torch):
    x = torch.ones(0, 2, requires_grad=True)
    out = torch.native_group_norm(x, torch.ones(2), torch.zeros(2), 0, 2, 1, 1, 1e-5)
    return out


# ---- convolution arguments ---------------------------------------------------------------------
@error(RuntimeError, r"Given groups=3, expected weight to be at least 3 at dimension 0")
def conv1d_with_more_groups_than_filters(torch):
    return torch.nn.functional.conv1d(torch.ones(2, 2, 4), torch.ones(2, 2, 2), groups=3)


@error(RuntimeError, r"non-positive groups is not supported")
def conv2d_with_zero_groups(torch):
    return torch.nn.functional.conv2d(torch.ones(2, 2, 4, 3), torch.ones(2, 2, 4, 3), groups=0)


@error(RuntimeError, r"weight should have at least three dimensions")
def conv1d_with_a_2d_weight(torch):
    return torch.nn.functional.conv1d(torch.ones(1, 1, 4), torch.ones(1, 2))


@error(RuntimeError, r"Expected 3-dimensional input for 3-dimensional weight")
def conv2d_with_a_3d_weight(torch):
    x = torch.ones(1, 1, 4, 3)
    return torch.nn.functional.conv2d(x, torch.ones(1, 2, 2), padding="same")


@error(RuntimeError, r"non-positive stride is not supported")
def conv3d_with_a_negative_stride(torch):
    return torch.nn.functional.conv3d(
        torch.ones(1, 1, 4, 4, 4), torch.ones(1, 1, 2, 2, 2), stride=-1
    )


@error(RuntimeError, r"dilation should be greater than zero")
def conv3d_with_a_negative_dilation(torch):
    x = torch.ones(1, 1, 4, 4, 4)
    return torch.nn.functional.conv3d(x, torch.ones(1, 1, 2, 2, 2), dilation=-1)


@error(RuntimeError, r"expected weight to be at least 3 at dimension 0")
def conv3d_groups_checked_before_the_window(torch):
    x = torch.ones(2, 2, 3, 4, 5)
    return torch.nn.functional.conv3d(x, torch.ones(2, 2, 4, 3, 3), groups=3)


@error(RuntimeError, r"Input type \(float\) and bias type \(double\) should be the same")
def conv3d_with_a_double_bias(torch):
    x, w = torch.ones(1, 1, 4, 4, 4), torch.ones(1, 1, 2, 2, 2)
    return torch.nn.functional.conv3d(x, w, torch.ones(1, dtype=torch.float64))


# ---- pooling arguments -------------------------------------------------------------------------
@error(RuntimeError, r"max_pool1d\(\) kernel_size must be greater than zero, but got 0")
def max_pool1d_with_a_zero_kernel(torch):
    return torch.nn.functional.max_pool1d(torch.ones(0, 1, 49), kernel_size=0)


@error(RuntimeError, r"max_pool1d\(\) dilation must be greater than zero, but got 0")
def max_pool1d_with_a_zero_dilation(torch):
    return torch.nn.functional.max_pool1d(torch.ones(3, 3, 3), 1, 1, 0, dilation=0)


@error(RuntimeError, r"Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size")
def max_pool1d_of_an_empty_channel_dim(torch):
    return torch.nn.functional.max_pool1d(torch.ones(0, 10), kernel_size=1)


@error(RuntimeError, r"pad should be at most half of effective kernel size")
def max_pool1d_with_indices_checks_as_a_2d_pool(torch):
    x = torch.ones(0, 1, 49)
    return torch.nn.functional.max_pool1d(x, 2, stride=50, padding=4, return_indices=True)


@error(RuntimeError, r"pad must be non-negative")
def avg_pool2d_with_a_negative_padding(torch):
    return torch.nn.functional.avg_pool2d(torch.ones(0, 1, 49), 2, stride=50, padding=-1)


@error(RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size")
def max_pool2d_of_an_empty_width(torch):
    return torch.nn.functional.max_pool2d(torch.ones(2, 1, 10, 0), kernel_size=1)


@error(RuntimeError, r"pad must be non-negative")
def max_pool3d_with_a_negative_padding(torch):
    x = torch.ones(0, 1, 49, 50)
    return torch.nn.functional.max_pool3d(x, 2, stride=50, padding=-1, return_indices=True)


@error(RuntimeError, r"Expected input's non-batch dimensions to have positive length")
def max_pool3d_of_an_empty_depth(torch):
    return torch.nn.functional.max_pool3d(torch.ones(2, 1, 0, 1, 2), kernel_size=1)


@error(RuntimeError, r"stride should not be zero")
def avg_pool3d_with_a_zero_stride(torch):
    return torch.nn.functional.avg_pool3d(torch.ones(1, 1, 2, 2, 2), 2, stride=0)


@error(RuntimeError, r"divisor must be not zero")
def avg_pool2d_with_a_zero_divisor(torch):
    return torch.nn.functional.avg_pool2d(torch.ones(3, 3, 3), (2, 2), divisor_override=0)


@error(RuntimeError, r"divisor must be not zero")
def avg_pool3d_with_a_zero_divisor(torch):
    return torch.nn.functional.avg_pool3d(torch.ones(3, 3, 3, 3), (2, 2, 2), divisor_override=0)


# ---- adaptive pooling --------------------------------------------------------------------------
@program
def adaptive_pools_with_a_zero_output_size(torch):
    F = torch.nn.functional
    x = torch.arange(18.0).reshape(1, 2, 3, 3)
    return [
        F.adaptive_avg_pool2d(x, (0, 2)),
        F.adaptive_max_pool2d(x, (2, 0)),
        F.adaptive_max_pool2d(x, (0, 2), return_indices=True)[1],
        F.adaptive_avg_pool1d(x[0], 0),
        F.adaptive_max_pool3d(x, (1, 0, None)),
    ]


@error(RuntimeError, r"adaptive_avg_pool1d\(\) argument 'output_size' should contain one int")
def adaptive_avg_pool1d_with_no_output_size(torch):
    return torch.nn.functional.adaptive_avg_pool1d(torch.ones(1, 2, 3), output_size=())


@error(RuntimeError, r"elements of output_size must be greater than or equal to 0")
def adaptive_avg_pool2d_with_a_negative_size(torch):
    return torch.nn.functional.adaptive_avg_pool2d(torch.ones(1, 1, 1, 1), (-1, 0))


@error(ValueError, r"Input dimension should be at least 3")
def adaptive_max_pool2d_of_a_2d_input(torch):
    return torch.nn.functional.adaptive_max_pool2d(torch.ones(2, 2), (2, 2))


@error(RuntimeError, r"output_size must be 3")
def adaptive_avg_pool3d_with_no_output_size(torch):
    return torch.nn.functional.adaptive_avg_pool3d(torch.ones(1, 2, 3, 4), ())


@error(RuntimeError, r"output_size.size\(\) must be 2")
def adaptive_max_pool2d_with_no_output_size(torch):
    return torch.nn.functional.adaptive_max_pool2d(torch.ones(1, 2, 3, 4), ())


@error(RuntimeError, r"Trying to create tensor with negative dimension -1")
def adaptive_max_pool3d_with_a_negative_size(torch):
    return torch.nn.functional.adaptive_max_pool3d(torch.ones(1, 1, 1, 1, 1), (-1, 0, 2))


# ---- unpooling, embedding, norm arguments ------------------------------------------------------
@error(RuntimeError, r"Expected shape of indices to be same as that of the input tensor")
def max_unpool2d_with_indices_of_another_shape(torch):
    x, i = torch.ones(1, 1, 4, 4), torch.zeros(1, 1, 4, 1, dtype=torch.long)
    return torch.nn.functional.max_unpool2d(x, i, kernel_size=3, stride=2)


@error(RuntimeError, r"'weight' must be 2-D")
def embedding_with_a_3d_weight(torch):
    return torch.nn.functional.embedding(torch.ones(2, 2, dtype=torch.long), torch.ones(1, 1, 1))


@error(RuntimeError, r"Expected at least 2 dimensions for input tensor but received 1")
def group_norm_of_a_1d_input(torch):
    return torch.nn.functional.group_norm(torch.ones(1), 1)


@error(RuntimeError, r"Expected normalized_shape to be at least 1-dimensional")
def rms_norm_with_an_empty_normalized_shape(torch):
    return torch.nn.functional.rms_norm(torch.ones(1, 2, 3), ())


@error(RuntimeError, r"Expected normalized_shape to be at least 1-dimensional")
def native_layer_norm_with_an_empty_normalized_shape(torch):
    return torch.native_layer_norm(torch.ones(1, 2, 3), (), None, None, 1e-5)


@program
def local_response_norm_of_integers(torch):
    x = torch.arange(36).reshape(2, 6, 3)
    F = torch.nn.functional
    empty = torch.ones(0, 1, 2, dtype=torch.long)
    return F.local_response_norm(x, 2, alpha=3e-5, beta=0.5, k=1.25), F.local_response_norm(
        empty, 1
    )


@program
def local_response_norm_values_and_grads(torch):
    x = (torch.arange(60.0, dtype=torch.float64).reshape(2, 5, 6) / 9).requires_grad_()
    out = torch.nn.functional.local_response_norm(x, 3, alpha=0.1, beta=0.75, k=1.0)
    return out, _grads(torch, out, x)


# ---- grid sampling (all taps in one gather) ----------------------------------------------------
@program
def grid_sample_3d_values_and_grads(torch):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 4, 5, 6, dtype=torch.float64, requires_grad=True)
    grid = (torch.rand(2, 3, 4, 2, 3, dtype=torch.float64) * 2.4 - 1.2).requires_grad_()
    outs = [
        torch.nn.functional.grid_sample(x, grid, padding_mode=p, align_corners=a)
        for p in ("zeros", "border", "reflection")
        for a in (False, True)
    ]
    return outs, _grads(torch, sum(o.sum() for o in outs) + outs[0].pow(2).sum(), x, grid)


@program(tol={"rtol": 0.0, "atol": 0.0})
def group_norm_in_float16_rounds_once(torch):
    x = (torch.arange(600.0).reshape(4, 6, 25) % 17 * 1.3).half()
    w, b = (torch.arange(6.0) * 3.1 - 7).half(), (torch.arange(6.0) * 1.7).half()
    out = torch.nn.functional.group_norm(x, 2, w, b, eps=0.5)
    return out, torch.native_group_norm(x, w, b, 4, 6, 25, 2, 0.5)[0]


@program(tol={"rtol": 0.0, "atol": 0.0})
def bilinear_interpolation_of_float16_rounds_once(torch):
    x = (torch.arange(96.0).reshape(2, 3, 4, 4) % 11 * 1.37).half()
    return torch.nn.functional.interpolate(x, size=(3, 3), mode="bilinear")


@program(tol={"rtol": 0.0, "atol": 0.0})
def embedding_bag_sum_of_float16_rounds_once(torch):
    weight = (torch.arange(50.0).reshape(10, 5) % 13 * 1.37).half()
    index = torch.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 0], [3, 3, 1, 0, 9]])
    psw = (torch.arange(15.0).reshape(3, 5) % 7 * 0.71).half()
    F = torch.nn.functional
    return [
        F.embedding_bag(index, weight, mode="sum", per_sample_weights=psw),
        F.embedding_bag(index, weight, mode="mean"),
    ]


@program(tol={"rtol": 0.0, "atol": 0.0})
def avg_pool2d_of_float16_rounds_once(torch):
    x = (torch.arange(243.0).reshape(1, 3, 9, 9) % 13 * 1.37).half()
    return torch.nn.functional.avg_pool2d(x, 3, 1, 1, True, False, 2)
