"""Sweep 25, the nn.Module API: one program per divergence the module-API fuzzer
(tests/test_fuzz_module_api.py) found, so each behaviour stays pinned whatever the fuzzer's
seeds draw."""

from __future__ import annotations

import math
import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _warnings(fn) -> list:
    """The (category, message start) of the warnings ``fn()`` raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category.__name__, str(w.message)[:60]) for w in caught]


# ---- nn.utils: vector_to_parameters, gradient clipping ----------------------------------------
@error(RuntimeError, r"^shape '\[3\]' is invalid for input of size 2")
def vector_to_parameters_too_short_fails_in_view_as(torch):
    m = torch.nn.Linear(2, 3)  # 6 + 3 elements
    torch.nn.utils.vector_to_parameters(torch.arange(8.0), m.parameters())


@program
def vector_to_parameters_too_short_sets_the_earlier_parameters(torch):
    m = torch.nn.Linear(2, 3)
    try:
        torch.nn.utils.vector_to_parameters(torch.arange(8.0), m.parameters())
    except RuntimeError:
        pass
    return m.weight, m.bias


@program
def vector_to_parameters_ignores_extra_elements_and_takes_the_dtype(torch):
    m = torch.nn.Linear(2, 2)
    torch.nn.utils.vector_to_parameters(torch.arange(10, dtype=torch.float64), m.parameters())
    return m.weight, m.bias, str(m.weight.dtype), type(m.weight).__name__


@program
def clip_grad_norm_zero_norm_counts_nonzero_gradients(torch):
    params = [torch.nn.Parameter(torch.ones(3)) for _ in range(3)]
    params[0].grad = torch.tensor([0.0, 2.0, 0.0])
    params[1].grad = torch.zeros(3)
    params[2].grad = torch.tensor([-1.0, 3.0, 0.5])
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, norm_type=0)
    return total, [p.grad for p in params]


@program
def get_total_norm_zero_norm(torch):
    grads = [torch.tensor([0.0, 2.0, 0.0]), torch.tensor([[1.0, 0.0], [0.0, -4.0]])]
    return torch.nn.utils.get_total_norm(grads, norm_type=0.0)


@error(RuntimeError, r"^Expected !nested_tensorlist\[0\]\.empty\(\) to be true")
def clip_grad_value_without_gradients(torch):
    m = torch.nn.Linear(2, 2)
    torch.nn.utils.clip_grad_value_(m.parameters(), 1.0)


@program
def clip_grad_value_skips_parameters_without_gradient(torch):
    m = torch.nn.Linear(2, 2)
    m.weight.grad = torch.tensor([[3.0, -0.2], [-5.0, 0.1]])
    torch.nn.utils.clip_grad_value_(m.parameters(), 1.0, foreach=False)
    return m.weight.grad, m.bias.grad is None


# ---- hooks --------------------------------------------------------------------------------------
@program
def full_backward_pre_hook_alone_warns_when_no_input_requires_grad(torch):
    m = torch.nn.Linear(3, 2)
    seen = []
    m.register_full_backward_pre_hook(lambda mod, gout: seen.append(gout[0].shape) and None)

    def run():
        m(torch.ones(4, 3)).sum().backward()

    return _warnings(run), seen, m.weight.grad


@program
def full_backward_pre_hook_alone_no_warning_when_input_requires_grad(torch):
    m = torch.nn.Linear(3, 2)
    m.register_full_backward_pre_hook(lambda mod, gout: None)
    x = torch.ones(4, 3, requires_grad=True)
    return _warnings(lambda: m(x).sum().backward()), x.grad


# ---- Module.__setattr__ errors ------------------------------------------------------------------
@error(TypeError, r"^cannot assign 'torch\.nn\.modules\.activation\.ReLU' as parameter 'weight' \(torch\.nn\.Parameter or None expected\)")  # fmt: skip
def assign_module_to_parameter_name(torch):
    m = torch.nn.Linear(2, 2)
    m.weight = torch.nn.ReLU()


@error(TypeError, r"^cannot assign 'collections\.OrderedDict' as buffer 'running_mean' \(torch\.nn\.Buffer, torch\.Tensor or None expected\)")  # fmt: skip
def assign_ordered_dict_to_buffer_name(torch):
    from collections import OrderedDict

    m = torch.nn.BatchNorm1d(2)
    m.running_mean = OrderedDict()


@error(TypeError, r"^cannot assign 'int' as parameter 'bias'")
def assign_int_to_parameter_name(torch):
    torch.nn.Linear(2, 2).bias = 3


@error(TypeError, r"^collections\.OrderedDict is not a Module subclass")
def add_module_of_a_dict_names_its_class(torch):
    from collections import OrderedDict

    torch.nn.Module().add_module("w", OrderedDict())


# ---- layer errors a module call shows -------------------------------------------------------------
@error(RuntimeError, r"^self and mat2 must have the same dtype, but got Float and BFloat16")
def linear_bias_dtype_differs_from_weight(torch):
    m = torch.nn.Linear(3, 3)
    m.weight.data = m.weight.data.bfloat16()
    m(torch.ones(2, 3))


@error(RuntimeError, r"^self and mat2 must have the same dtype, but got Double and Float")
def linear_bias_dtype_differs_input_weight_alike(torch):
    torch.nn.functional.linear(torch.ones(2, 3), torch.ones(4, 3), torch.ones(4).double())


@error(RuntimeError, r"^mat1 and mat2 must have the same dtype, but got Float and Double")
def linear_with_bias_checks_dtypes_before_shapes(torch):
    m = torch.nn.Linear(3, 3).double()
    m(torch.ones(2, 5))


@error(RuntimeError, r"^mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x3\)")
def linear_without_bias_checks_shapes_before_dtypes(torch):
    m = torch.nn.Linear(3, 3, bias=False).double()
    m(torch.ones(2, 5))


@error(RuntimeError, r"^running_mean should contain 5 elements not 3")
def batch_norm_running_stats_of_other_channel_count(torch):
    torch.nn.BatchNorm1d(3)(torch.ones(2, 5))


@error(RuntimeError, r"^weight should contain 3 elements not 4")
def batch_norm_weight_of_other_channel_count(torch):
    torch.nn.functional.batch_norm(torch.ones(2, 3), None, None, torch.ones(4), training=True)


@error(RuntimeError, r"^Given normalized_shape=\[3\], expected input with shape \[\*, 3\], but got input of size\[2, 5\]")  # fmt: skip
def layer_norm_of_other_feature_count(torch):
    torch.nn.LayerNorm(3)(torch.ones(2, 5))


@error(RuntimeError, r"^Given normalized_shape=\[2, 4\], expected input with shape \[\*2, 4\], but got input of size\[2, 3\]")  # fmt: skip
def rms_norm_of_other_shape(torch):
    torch.nn.functional.rms_norm(torch.ones(2, 3), (2, 4))


@error(ValueError, r"^Input tensor must have at least 3 dimensions, but got 2")
def rms_norm_of_too_few_dimensions(torch):
    torch.nn.RMSNorm((1, 2, 3))(torch.ones(2, 3))


@error(RuntimeError, r"^Expected normalized_shape to be at least 1-dimensional")
def layer_norm_of_empty_shape(torch):
    torch.nn.functional.layer_norm(torch.ones(2, 3), ())


@program
def clip_grad_norm_inf_and_zero(torch):
    out = []
    for norm_type in (math.inf, 0, 0.0, "inf"):
        p = torch.nn.Parameter(torch.ones(4))
        p.grad = torch.tensor([0.0, -3.0, 0.5, 0.0])
        out.append((torch.nn.utils.clip_grad_norm_([p], 1.0, norm_type=norm_type), p.grad))
    return out


# ---- load_state_dict(assign=True), containers, parametrizations --------------------------------
@program
def load_state_dict_assign_parameter_to_buffer_makes_it_a_parameter(torch):
    m = torch.nn.BatchNorm1d(2)
    sd = m.state_dict()
    sd["running_mean"] = torch.nn.Parameter(torch.full((2,), 0.5), requires_grad=False)
    sd["weight"] = torch.nn.Parameter(torch.full((2,), 2.0), requires_grad=False)
    m.load_state_dict(sd, assign=True)
    return (
        [(n, p.requires_grad, p) for n, p in m.named_parameters()],
        [n for n, _ in m.named_buffers()],
        list(m.state_dict()),
    )


@program
def load_state_dict_assign_tensor_keeps_buffer_and_parameter_kinds(torch):
    m = torch.nn.BatchNorm1d(2)
    m.weight.requires_grad_(False)
    sd = {k: v.double() if v.is_floating_point() else v for k, v in m.state_dict().items()}
    m.load_state_dict(sd, assign=True)
    return [(n, type(t).__name__, t.requires_grad, str(t.dtype)) for n, t in m.state_dict(keep_vars=True).items()]  # fmt: skip


@error(KeyError, r"^'-1'$")
def module_list_insert_negative_index(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh()])
    ml.insert(-1, torch.nn.Identity())


@program
def module_list_insert_negative_index_leaves_the_moves_done(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU(), torch.nn.Tanh()])
    try:
        ml.insert(-1, torch.nn.Identity())
    except KeyError:
        pass
    return [(k, type(m).__name__) for k, m in ml.named_children()], len(ml)


@program
def module_list_insert_past_the_end_keys_it_by_the_index(torch):
    ml = torch.nn.ModuleList([torch.nn.ReLU()])
    ml.insert(4, torch.nn.Identity())
    ml.append(torch.nn.Tanh())
    return [(k, type(m).__name__) for k, m in ml.named_children()], repr(ml)


def _pair(torch):
    class Pair(torch.nn.Module):
        def forward(self, a, b):
            return a + b

        def right_inverse(self, x):
            return x * 0.25, x * 0.75

    return Pair()


@error(ValueError, r"^Tensor 0 returned by `right_inverse` has dtype torch\.float32 while `original0` has dtype torch\.float64")  # fmt: skip
def parametrization_right_inverse_of_other_dtype_two_originals(torch):
    m = torch.nn.Linear(3, 3)
    torch.nn.utils.parametrize.register_parametrization(m, "weight", _pair(torch))
    m.double()
    with torch.no_grad():
        m.weight = torch.eye(3)


@program
def parametrization_right_inverse_two_originals_sets_both(torch):
    m = torch.nn.Linear(3, 3)
    torch.nn.utils.parametrize.register_parametrization(m, "weight", _pair(torch))
    with torch.no_grad():
        m.weight = torch.eye(3) * 4
    p = m.parametrizations.weight
    return p.original0, p.original1, m.weight


# ---- state_dict's deprecated positional arguments, mixed-dtype gradient norms ------------------
@program
def state_dict_positional_destination_only(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2))
    sd = None

    def run():
        nonlocal sd
        sd = m.state_dict(None)

    found = _warnings(run)
    return list(sd), found


@program
def state_dict_positional_destination_and_prefix(torch):
    from collections import OrderedDict

    m = torch.nn.Linear(2, 2)
    dest = OrderedDict()
    sd = m.state_dict(dest, "p.")
    return sd is dest, list(sd)


@program
def state_dict_keywords_win_over_positional(torch):
    m = torch.nn.Linear(2, 2)
    return list(m.state_dict(None, "a.", prefix="b."))


@program
def get_total_norm_of_mixed_dtypes_is_promoted(torch):
    grads = [torch.ones(2, dtype=torch.float16), torch.full((2,), 2.0, dtype=torch.bfloat16)]
    return torch.nn.utils.get_total_norm(grads), torch.nn.utils.get_total_norm(grads[::-1], 1.0)


@program(tol={"rtol": 1e-3, "atol": 1e-3})
def clip_grad_norm_of_half_and_float_gradients(torch):
    a = torch.nn.Parameter(torch.ones(2, dtype=torch.float16))
    b = torch.nn.Parameter(torch.ones(3))
    a.grad = torch.full((2,), 3.0, dtype=torch.float16)
    b.grad = torch.full((3,), 4.0)
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return total, a.grad, b.grad


@program
def named_modules_memo_skips_a_seen_module_without_remove_duplicate(torch):
    m = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh())
    seen = {m[1]}
    kept = [n for n, _ in m.named_modules(seen, remove_duplicate=False)]
    return kept, [n for n, _ in m.named_modules({m}, remove_duplicate=False)], len(seen)


def _clip_16bit(torch, dtype, norm_type):
    """The norm and clipped gradients (as float32) of two 16-bit gradients."""
    params = [torch.nn.Parameter(torch.ones(5, dtype=dtype)) for _ in range(2)]
    for k, p in enumerate(params):
        p.grad = (torch.linspace(-1, 2, 5) * (k + 1.3)).to(dtype)
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, norm_type=norm_type)
    return total.float(), [p.grad.float() for p in params]


@program(tol={"rtol": 1e-3, "atol": 0.0})  # below one bfloat16 unit in the last place
def clip_grad_norm_bfloat16_coefficient_rounded_to_bfloat16(torch):
    return [_clip_16bit(torch, torch.bfloat16, n) for n in (2.0, 1.0, math.inf)]


@program(tol={"rtol": 1e-4, "atol": 0.0})  # below one float16 unit in the last place
def clip_grad_norm_float16_norm_rounded_once(torch):
    return [_clip_16bit(torch, torch.float16, n) for n in (2.0, 1.0, math.inf)]


@program(tol={"rtol": 1e-4, "atol": 0.0})
def clip_grad_norm_half_gradients_scaled_in_float32(torch):
    a = torch.nn.Parameter(torch.ones(3, dtype=torch.float16))
    b = torch.nn.Parameter(torch.ones(3))
    a.grad = (torch.linspace(-1, 2, 3) * 1.3).half()
    b.grad = torch.linspace(-1, 2, 3) * 2.3
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return total, a.grad, b.grad


@error(TypeError, r"^Tanh\.forward\(\) got an unexpected keyword argument 'k'")
def activation_called_with_an_unknown_keyword_names_its_class(torch):
    torch.nn.Tanh()(torch.ones(2), k=1)


@error(TypeError, r"^SiLU\.forward\(\) takes 2 positional arguments but 3 were given")
def inplace_activation_called_with_two_inputs_names_its_class(torch):
    torch.nn.SiLU()(torch.ones(2), torch.ones(2))


@error(TypeError, r"^ReLU\.forward\(\) missing 1 required positional argument: 'input'")
def subclass_of_an_activation_names_the_public_class(torch):
    class Mine(torch.nn.ReLU):
        pass

    Mine()()


@program
def global_always_call_hook_with_kwargs_gets_no_kwargs_when_forward_raises(torch):
    seen = []

    def hook(module, args, *rest):
        seen.append((type(module).__name__, len(rest)))

    handle = torch.nn.modules.module.register_module_forward_hook(
        hook, with_kwargs=True, always_call=True
    )
    try:
        torch.nn.Linear(2, 2)(torch.ones(1, 2))
        try:
            torch.nn.Linear(2, 2)(torch.ones(1, 3))
        except RuntimeError:
            pass
    finally:
        handle.remove()
    return seen


@program
def local_always_call_hook_with_kwargs_gets_kwargs_when_forward_raises(torch):
    seen = []
    m = torch.nn.Linear(2, 2)
    m.register_forward_hook(
        lambda mod, args, *rest: seen.append(len(rest)), with_kwargs=True, always_call=True
    )
    try:
        m(torch.ones(1, 3))
    except RuntimeError:
        pass
    return seen


@error(ValueError, r"^running_mean and running_var must either both be None or neither be None")
def batch_norm_training_with_only_running_mean(torch):
    torch.nn.functional.batch_norm(torch.ones(2, 3), torch.zeros(3), None, training=True)


@error(ValueError, r"^running_mean and running_var must either both be None or neither be None")
def batch_norm_module_with_running_var_set_to_none(torch):
    m = torch.nn.BatchNorm1d(3)
    m.running_var = None
    m(torch.ones(2, 3))


@error(RuntimeError, r"^running_var must be defined in evaluation mode")
def batch_norm_eval_with_only_running_mean(torch):
    torch.nn.functional.batch_norm(torch.ones(2, 3), torch.zeros(3), None, training=False)


@error(RuntimeError, r"^both arguments to linear need to be at least 1D, but they are 0D and 2D")
def linear_of_a_0d_input(torch):
    torch.nn.functional.linear(torch.tensor(1.0), torch.ones(3, 3))


@error(RuntimeError, r"^both arguments to linear need to be at least 1D, but they are 2D and 0D")
def linear_of_a_0d_weight(torch):
    torch.nn.functional.linear(torch.ones(2, 3), torch.tensor(1.0))


@error(RuntimeError, r"^t\(\) expects a tensor with <= 2 dimensions, but self is 3D")
def linear_of_a_3d_weight(torch):
    torch.nn.functional.linear(torch.ones(2, 3), torch.ones(1, 3, 3))


@error(RuntimeError, r"^mat2 must be a matrix, got 1-D tensor")
def linear_of_a_1d_weight_with_bias_and_1d_input(torch):
    torch.nn.functional.linear(torch.ones(3), torch.ones(3), torch.ones(1))


@error(RuntimeError, r"^inconsistent tensor size, expected tensor \[4\] and src \[3\]")
def linear_of_a_1d_weight_of_other_length(torch):
    m = torch.nn.Linear(3, 1, bias=False)
    m.weight = torch.nn.Parameter(torch.ones(3))
    m(torch.ones(4))


@error(RuntimeError, r"^size mismatch, got input \(2\), mat \(2x4\), vec \(3\)")
def linear_of_a_1d_weight_batched_of_other_length(torch):
    torch.nn.functional.linear(torch.ones(2, 4), torch.ones(3))


@program
def linear_of_a_1d_weight_without_bias(torch):
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    out = torch.nn.functional.linear(x, w)
    out.sum().backward()
    return out, x.grad, w.grad


@program
def cast_of_a_buffer_that_requires_grad_keeps_it_in_the_graph(torch):
    m = torch.nn.Module()
    m.register_buffer("b", torch.nn.Parameter(torch.ones(2)))
    m.register_buffer("c", torch.ones(2, requires_grad=True))
    m.half()
    return [(type(b).__name__, b.requires_grad, b.is_leaf, b.float()) for b in m.buffers()]


@program
def clip_grad_norm_of_zero_16bit_gradients_is_silent(torch):
    out = []
    for dtype in (torch.float16, torch.bfloat16):
        p = torch.nn.Parameter(torch.ones(2, dtype=dtype))
        p.grad = torch.zeros(2, dtype=dtype)
        found = _warnings(lambda p=p: out.append(torch.nn.utils.clip_grad_norm_([p], 1.0).float()))
        out.append((found, p.grad.float()))
    return out


def _linear_with_pair_on_bias(torch, grads: tuple):
    m = torch.nn.Linear(2, 2)
    torch.nn.utils.parametrize.register_parametrization(m, "bias", _pair(torch))
    p = m.parametrizations.bias
    p.original0.requires_grad_(grads[0])
    p.original1.requires_grad_(grads[1])
    return m


@program
def remove_parametrizations_of_two_originals_without_grad_leaves_a_buffer(torch):
    out = []
    for grads in ((False, False), (False, True), (True, False)):
        m = _linear_with_pair_on_bias(torch, grads)
        torch.nn.utils.parametrize.remove_parametrizations(m, "bias")
        params = [n for n, _ in m.named_parameters()]
        out.append((params, [n for n, _ in m.named_buffers()], m.bias.requires_grad))
    return out


@error(KeyError, r"parametrizations|weight|tied")
def functional_call_two_values_for_three_tied_names_one_not_given(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    m[1].weight = m[0].weight
    m[2].weight = m[0].weight
    given = {"0.weight": torch.zeros(2, 2), "1.weight": torch.ones(2, 2)}
    torch.func.functional_call(m, given, (torch.ones(2),))


@error(ValueError, r"^functional_call got multiple values for keys \['0\.weight', '1\.weight'\], which are tied")  # fmt: skip
def functional_call_two_values_for_two_tied_names(torch):
    m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    m[1].weight = m[0].weight
    given = {"0.weight": torch.zeros(2, 2), "1.weight": torch.ones(2, 2)}
    torch.func.functional_call(m, given, (torch.ones(2),))
