"""Session 15 sweep of the losses' keyword combinations, the fixes found by the seeded loss
fuzzer (tests/test_fuzz_losses.py), each pinned by a focused program: the order of PyTorch's
checks (reduction first), label smoothing below 0 or above 1, Byte targets of nll_loss2d, the
class weight's errors, the in-place weights of the binary cross-entropies (their dtype and
shape errors), kl_div's legacy arguments with 'batchmean', soft_margin_loss's in-place form,
huber_loss's target of another dtype, and the 16-bit CPU kernels the margin losses lack. Each
program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import re
import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()
HALF = {"rtol": 1e-2, "atol": 1e-2}


def _caught(fn) -> list:
    """The first words of the warnings ``fn()`` gives, and its error's type and first words."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn()
            outcome = None
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            outcome = (type(e).__name__, re.sub(r"^\w+: ", "", str(e))[:30])  # minus the op
    messages = sorted(str(w.message).replace("minitorch", "torch")[:30] for w in caught)
    return [messages, outcome]


# ---- cross_entropy / nll_loss ----------------------------------------------------------------
@program
def ce_negative_label_smoothing_smooths_nothing(torch):
    F = torch.nn.functional
    x = torch.randn(3, 4, requires_grad=True)
    p = torch.softmax(torch.randn(3, 4), 1)
    t = torch.tensor([0, 3, 1])
    out = [F.cross_entropy(x, p, label_smoothing=-0.2), F.cross_entropy(x, t, label_smoothing=-1)]
    out[0].add(out[1]).backward()
    return out + [x.grad]


@error(RuntimeError, r"label_smoothing must be between 0\.0 and 1\.0\. Got: 1\.5")
def ce_label_smoothing_above_one_with_probabilities(torch):
    p = torch.softmax(torch.randn(3, 4), 1)
    torch.nn.functional.cross_entropy(torch.randn(3, 4), p, label_smoothing=1.5)


@error(RuntimeError, r"expected scalar type Long but found Byte")
def ce_byte_targets_of_a_3d_input(torch):
    t = torch.zeros(2, 2, dtype=torch.uint8)
    torch.nn.functional.cross_entropy(torch.randn(2, 3, 2), t, label_smoothing=0.1)


@program
def nll_byte_targets_of_2d_and_empty_3d_inputs(torch):
    F = torch.nn.functional
    byte = torch.uint8
    return [
        F.nll_loss(torch.randn(2, 3), torch.tensor([2, 0], dtype=byte)),
        F.nll_loss(torch.randn(0, 3, 2), torch.zeros(0, 2, dtype=byte), reduction="sum"),
    ]


@error(RuntimeError, r"The function 'nll_loss2d_forward' is not differentiable with respect to argument 'weight'")  # fmt: skip
def nll_weight_needing_grad_of_a_3d_input_checked_before_its_size(torch):
    w = torch.ones(5, requires_grad=True)  # 5 classes for an input of 3
    torch.nn.functional.nll_loss(torch.randn(2, 3, 2), torch.zeros(2, 2, dtype=torch.long), w)


@error(RuntimeError, r"weight tensor should be defined either for all or no classes")
def nll_weight_size_of_a_4d_input(torch):
    t = torch.zeros(2, 2, 2, dtype=torch.long)
    torch.nn.functional.nll_loss(torch.randn(2, 3, 2, 2), t, weight=torch.ones(4))


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Int")
def nll_target_dtype_checked_before_weight_size(torch):
    t = torch.zeros(2, dtype=torch.int32)
    torch.nn.functional.nll_loss(torch.randn(2, 3), t, weight=torch.ones(4))


@error(IndexError, r"Target -2 is out of bounds")
def nll_names_the_first_target_out_of_bounds(torch):
    torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([1, -2, 9]))


# ---- binary cross-entropy --------------------------------------------------------------------
@error(RuntimeError, r"Attempting to broadcast a dimension of length 2 at -2")
def bce_weight_broadcast_checked_before_the_input_range(torch):
    x = torch.randn(4, 1)  # out of [0, 1]
    torch.nn.functional.binary_cross_entropy(x, torch.rand(4, 1), weight=torch.ones(2, 7))


@error(RuntimeError, r"output with shape \[3\] doesn't match the broadcast shape \[1, 3\]")
def bce_weight_multiplies_the_loss_in_place(torch):
    x = torch.rand(3)
    torch.nn.functional.binary_cross_entropy(x, torch.rand(3), weight=torch.ones(1, 3))


@error(RuntimeError, r"Found dtype Long but expected Double")
def bce_target_dtype_checked_before_the_input_range(torch):
    x = torch.randn(3, dtype=torch.float64)
    torch.nn.functional.binary_cross_entropy(x, torch.tensor([0, 1, 1]))


@program(tol=HALF)  # 16-bit rounding
def bce_keeps_the_input_dtype_with_a_weight_of_another(torch):
    F = torch.nn.functional
    x = torch.rand(2, 3, dtype=torch.bfloat16, requires_grad=True)
    t = torch.rand(2, 3, dtype=torch.bfloat16)
    loss = F.binary_cross_entropy(x, t, weight=torch.rand(3, dtype=torch.float64))
    loss.backward()
    return loss.dtype, loss.float(), x.grad.float()


@program
def bce_target_gradient_at_inputs_0_and_1_is_infinite(torch):
    x = torch.tensor([0.0, 0.5, 1.0])
    t = torch.tensor([0.2, 0.3, 0.9], requires_grad=True)
    torch.nn.functional.binary_cross_entropy(x, t, reduction="sum").backward()
    return t.grad


@program(tol=HALF)  # 16-bit rounding
def bce_with_logits_loss_takes_the_target_dtype(torch):
    F = torch.nn.functional
    x = torch.randn(4, 1, dtype=torch.float16, requires_grad=True)
    t = torch.rand(4, 1, dtype=torch.bfloat16, requires_grad=True)
    pw = torch.rand(1, dtype=torch.float16) + 0.5
    w = torch.rand(4, 1, dtype=torch.float32)
    loss = F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw)
    loss.backward()
    return loss.dtype, loss.float(), x.grad, t.grad.dtype, t.grad.float()


@error(RuntimeError, r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]")
def bce_with_logits_pos_weight_broader_than_the_input(torch):
    F = torch.nn.functional
    F.binary_cross_entropy_with_logits(torch.randn(3), torch.rand(3), pos_weight=torch.ones(2, 3))


@error(RuntimeError, r"The size of tensor a \(5\) must match the size of tensor b \(3\)")
def bce_with_logits_pos_weight_not_broadcasting(torch):
    F = torch.nn.functional
    F.binary_cross_entropy_with_logits(torch.randn(3), torch.rand(3), pos_weight=torch.ones(5))


@error(RuntimeError, r"output with shape \[\] doesn't match the broadcast shape \[5\]")
def bce_with_logits_weight_multiplies_the_loss_in_place(torch):
    F = torch.nn.functional
    F.binary_cross_entropy_with_logits(torch.randn(()), torch.rand(()), weight=torch.ones(5))


@error(RuntimeError, r"result type Double can't be cast to the desired output type Long")
def bce_with_logits_integer_target(torch):
    x = torch.randn(3, dtype=torch.float64)
    torch.nn.functional.binary_cross_entropy_with_logits(x, torch.tensor([1, 0, 1]))


# ---- regression losses -----------------------------------------------------------------------
@program
def huber_target_of_another_dtype_read_but_refused_in_backward(torch):
    x = torch.randn(3, requires_grad=True)
    loss = torch.nn.functional.huber_loss(x, torch.tensor([1, 0, 2]))
    try:
        loss.backward()
        refused = None
    except RuntimeError as e:
        refused = str(e)
    t = torch.randn(3, dtype=torch.float64, requires_grad=True)
    try:  # the target's gradient reads the input: the dtypes named the other way
        torch.nn.functional.huber_loss(torch.randn(3), t).backward()
    except RuntimeError as e:
        refused = (refused, str(e))
    return loss, refused


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(4\)")
def huber_broadcast_checked_before_delta(torch):
    torch.nn.functional.huber_loss(torch.randn(2, 3), torch.randn(3, 1, 4), delta=0.0)


@error(ValueError, r"elementwise is not a valid value for reduction")
def huber_reduction_checked_before_delta(torch):
    torch.nn.functional.huber_loss(torch.randn(3), torch.randn(3), "elementwise", delta=0.0)


@error(ValueError, r"elementwise is not a valid value for reduction")
def smooth_l1_reduction_checked_before_beta(torch):
    x = torch.randn(3)
    torch.nn.functional.smooth_l1_loss(x, x, reduction="elementwise", beta=-1.0)


@program
def smooth_l1_beta_zero_warns_once_about_sizes(torch):
    F = torch.nn.functional
    x, t = torch.randn(3), torch.randn(1)
    return _caught(lambda: F.smooth_l1_loss(x, t, beta=0.0)), F.smooth_l1_loss(x, t, beta=0.0)


@program
def kl_div_legacy_arguments_with_batchmean(torch):
    F = torch.nn.functional
    x = torch.log_softmax(torch.randn(2, 3, 2), 1).requires_grad_()
    t = torch.softmax(torch.randn(2, 3, 2), 1)
    out = [
        F.kl_div(x, t, size_average=False, reduce=None, reduction="batchmean"),
        F.kl_div(x, t, size_average=True, reduce=True, reduction="batchmean"),
        F.kl_div(x, t, size_average=False, reduce=False, reduction="batchmean"),
    ]
    out[0].backward()
    kw = {"size_average": True, "reduce": True}
    return out + [x.grad, _caught(lambda: F.kl_div(x, t, **kw))]


@program
def kl_div_mean_warning_comes_before_the_broadcast_error(torch):
    x, t = torch.randn(0, 3), torch.randn(2, 7)
    return _caught(lambda: torch.nn.functional.kl_div(x, t, log_target=True))


@program
def poisson_nll_reduction_and_legacy_arguments_come_first(torch):
    F = torch.nn.functional
    x, t = torch.randn(2, 3), torch.randn(2, 7)
    return [
        _caught(lambda: F.poisson_nll_loss(x, t, reduction="elementwise")),
        _caught(lambda: F.poisson_nll_loss(x, t, size_average=True)),
    ]


# ---- margin losses ---------------------------------------------------------------------------
@program
def soft_margin_loss_in_the_input_dtype(torch):
    x = torch.randn(3, dtype=torch.float16, requires_grad=True)
    loss = torch.nn.functional.soft_margin_loss(x, torch.tensor([1.0, -1.0, 1.0]))
    loss.backward()
    return loss, x.grad


@error(RuntimeError, r"output with shape \[4\] doesn't match the broadcast shape \[1, 4\]")
def soft_margin_loss_target_broader_than_the_input(torch):
    torch.nn.functional.soft_margin_loss(torch.randn(4), torch.ones(1, 4))


@error(NotImplementedError, r"\"multi_margin_loss_cpu_kernel\" not implemented for 'Half'")
def multi_margin_loss_has_no_float16_cpu_kernel(torch):
    x = torch.randn(2, 3, dtype=torch.float16)
    torch.nn.functional.multi_margin_loss(x, torch.zeros(2, dtype=torch.int32))


@error(NotImplementedError, r"\"multilabel_margin_loss_forward_out_frame\" not implemented for 'BFloat16'")  # fmt: skip
def multilabel_margin_loss_has_no_bfloat16_cpu_kernel(torch):
    x = torch.randn(2, 3, dtype=torch.bfloat16)
    torch.nn.functional.multilabel_margin_loss(x, torch.zeros(2, 3, dtype=torch.int32))


@error(RuntimeError, r"argument #2 'target' is out of range")
def multilabel_margin_loss_target_range_checked_before_dtypes(torch):
    x = torch.randn(2, 2, dtype=torch.float16)
    torch.nn.functional.multilabel_margin_loss(x, torch.full((2, 2), 3, dtype=torch.int32))


@error(RuntimeError, r"The function 'multi_margin_loss' is not differentiable with respect to argument 'weight'")  # fmt: skip
def multi_margin_loss_weight_needing_grad_checked_before_the_input(torch):
    w = torch.ones(4, requires_grad=True)
    torch.nn.functional.multi_margin_loss(torch.randn(2, 4, 2), torch.zeros(2, 4).long(), weight=w)


@error(ValueError, r"^elementwise is not valid$")
def multilabel_soft_margin_loss_reduction_message(torch):
    torch.nn.functional.multilabel_soft_margin_loss(torch.randn(3), torch.ones(3), reduction="elementwise")  # fmt: skip


@error(ValueError, r"TripletMarginLoss: expected margin to be greater than 0, got 0\.0 instead")
def triplet_margin_loss_module_checks_its_margin(torch):
    torch.nn.TripletMarginLoss(margin=0.0)


@program
def margin_losses_check_the_reduction_first(torch):
    F = torch.nn.functional
    a, b = torch.randn(2, 3), torch.randn(2, 3, dtype=torch.float64)
    bad = "elementwise"
    return [
        _caught(lambda: F.triplet_margin_loss(a, a, b, margin=-1.0, reduction=bad)),
        _caught(lambda: F.triplet_margin_with_distance_loss(a, a, a, margin=-1.0, reduction=bad)),
        _caught(lambda: F.margin_ranking_loss(a[0, 0], a[0, 0], torch.ones(3, 1), reduction=bad)),
        _caught(lambda: F.margin_ranking_loss(a, a, torch.ones(3), size_average=True)),
        _caught(lambda: F.cosine_embedding_loss(a[:1], a[0, :2], torch.ones(1), reduction=bad)),
        _caught(lambda: F.hinge_embedding_loss(a[0], torch.ones(3, 1, 4), reduction=bad)),
        _caught(lambda: F.triplet_margin_loss(a, a, a, margin=0.0, size_average=True)),
    ]


# ---- other nn.functional calls (the fuzzer's negative seeds) ----------------------------------
@program
def gelu_tanh_of_a_0d_tensor(torch):
    x = torch.tensor(0.3, requires_grad=True)
    y = torch.nn.functional.gelu(x, approximate="tanh")
    y.backward()
    return y, x.grad


@error(ValueError, r"min_val cannot be greater than max_val")
def hardtanh_bounds_checked_before_the_in_place_leaf(torch):
    x = torch.randn(3, requires_grad=True)
    torch.nn.functional.hardtanh(x, 0.5, -0.5, inplace=True)


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def dropout1d_unbatched_in_place_in_eval_mode_refuses_a_leaf(torch):
    x = torch.randn(2, 3, requires_grad=True)
    torch.nn.functional.dropout1d(x, training=False, inplace=True)


@program
def dropout3d_unbatched_in_place_in_eval_mode(torch):
    x = torch.randn(2, 2, 2, 2, requires_grad=True).clone()
    y = torch.nn.functional.dropout3d(x, training=False, inplace=True)
    y.sum().backward()
    return y, y is x, y.grad_fn.name()


@program
def dropout2d_checks_p_before_warning(torch):
    return _caught(lambda: torch.nn.functional.dropout2d(torch.randn(2, 2, 2), 1.5, False))


@error(NotImplementedError, r"\"avg_pool3d_out_frame\" not implemented for 'BFloat16'")
def local_response_norm_has_no_16bit_cpu_kernel_of_4d_inputs(torch):
    x = torch.randn(2, 3, 2, 2, dtype=torch.bfloat16)
    torch.nn.functional.local_response_norm(x, 2)


@program(tol=HALF)
def rms_norm_16bit_default_eps_is_float32s(torch):
    x = (torch.randn(3, 4) * 0.01).to(torch.bfloat16).requires_grad_()
    y = torch.nn.functional.rms_norm(x, (4,))
    y.backward(torch.ones_like(y))
    return y.float(), x.grad.float()


@error(RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \[0, 2, 3\]")  # fmt: skip
def reflection_pad_of_an_empty_unbatched_input(torch):
    torch.nn.functional.pad(torch.randn(0, 2, 3), (2, 0, 2, 1), mode="reflect")


@program
def replication_pad_of_an_empty_batch(torch):
    F = torch.nn.functional
    x = torch.randn(0, 2, 3)  # a batch of 1-D signals
    return F.pad(x, (2, 1), mode="replicate"), F.pad(x, (1, 1), mode="reflect")


@program
def interpolate_keeps_a_dimension_of_unchanged_size(torch):
    F = torch.nn.functional
    x = torch.arange(24.0).reshape(1, 2, 3, 4).requires_grad_()
    outs = [
        F.interpolate(x, scale_factor=(1.3, 2.0), mode="nearest"),  # 2-D nearest: H copied
        F.interpolate(x, scale_factor=(2.1, 1.0), mode="nearest"),  # doubled: indices halved
        F.interpolate(x, scale_factor=(1.3, 1.7), mode="bilinear"),
        F.interpolate(x, scale_factor=(1.3, 1.7), mode="bilinear", antialias=True),
        F.interpolate(x, scale_factor=(1.3, 1.7), mode="bicubic", antialias=True),
        F.interpolate(x, scale_factor=(1.3, 1.7), mode="bicubic"),  # bicubic: the scale
        F.interpolate(x[0], scale_factor=1.3, mode="linear"),
        F.interpolate(x[0], scale_factor=1.3, mode="nearest"),  # 1-D nearest: the scale
        F.interpolate(x[None], scale_factor=(1.0, 1.3, 0.6), mode="trilinear"),
    ]
    sum(o.sum() * (i + 1) for i, o in enumerate(outs)).backward()
    return outs + [x.grad]


@error(RuntimeError, r"input image \(T: 1 H: 1 W: 1\) smaller than kernel size \(kT: 3 kH: 3 kW: 3\)")  # fmt: skip
def avg_pool3d_input_smaller_than_its_kernel_padding_aside(torch):
    torch.nn.functional.avg_pool3d(torch.randn(1, 1, 1, 1, 1), 3, padding=1)


@error(RuntimeError, r"Given input size: \(1x1x5x3\)\. Calculated output size: \(1x0x2x1\)\. Output size is too small")  # fmt: skip
def max_pool3d_output_size_too_small(torch):
    torch.nn.functional.max_pool3d(torch.randn(1, 1, 1, 5, 3), 2)


@error(NotImplementedError, r"\"avg_pool3d_out_frame\" not implemented for 'Half'")
def avg_pool3d_has_no_16bit_cpu_kernel(torch):
    torch.nn.functional.avg_pool3d(torch.randn(1, 1, 2, 2, 2, dtype=torch.float16), 2)


@error(RuntimeError, r"ignore_index is not supported for floating point target")
def ce_integer_logits_checked_after_the_probability_target(torch):
    p = torch.softmax(torch.randn(2, 3), 1)
    torch.nn.functional.cross_entropy(torch.ones(2, 3, dtype=torch.long), p, ignore_index=0)


@error(NotImplementedError, r"\"nll_loss_out_frame\" not implemented for 'Long'")
def nll_integer_input_checked_before_the_weight_dtype(torch):
    x, w = torch.ones(2, 3, dtype=torch.long), torch.ones(3, dtype=torch.float64)
    torch.nn.functional.nll_loss(x, torch.tensor([0, 2]), weight=w)
