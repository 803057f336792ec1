"""Sweep 27 (nn.utils): focused programs for the divergences the nn.utils fuzzer
(tests/test_fuzz_nn_utils.py) found, each failing before its fix."""

from __future__ import annotations

import importlib
import math
import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _params(torch, grads):
    out = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(len(g)))
        p.grad = torch.tensor(g)
        out.append(p)
    return out


# ---- clip_grad_norm_ / get_total_norm / clip_grads_with_norm_ ---------------------------------
@program
def clip_grad_norm_minus_inf_is_the_smallest_magnitude(torch):
    params = _params(torch, [[0.5, -2.0, 3.0], [-0.25, 4.0]])
    total = torch.nn.utils.clip_grad_norm_(params, 0.1, norm_type=-math.inf)
    return [total, [p.grad for p in params]]


@program
def get_total_norm_minus_inf_string(torch):
    return torch.nn.utils.get_total_norm([torch.tensor([3.0, -1.5]), torch.tensor([2.0])], "-inf")


@error(RuntimeError, r"^_foreach_norm cannot compute the infinity norm on an empty tensor")
def get_total_norm_inf_of_an_empty_gradient_foreach(torch):
    torch.nn.utils.get_total_norm([torch.zeros(0), torch.ones(2)], math.inf)


@error(RuntimeError, r"^linalg.vector_norm cannot compute the inf norm on an empty tensor")
def get_total_norm_inf_of_an_empty_gradient_no_foreach(torch):
    torch.nn.utils.get_total_norm([torch.ones(2), torch.zeros(0)], "inf", foreach=False)


@error(RuntimeError, r"^linalg.vector_norm cannot compute the -inf norm on an empty tensor")
def clip_grad_norm_minus_inf_of_an_empty_gradient(torch):
    torch.nn.utils.clip_grad_norm_(_params(torch, [[], [1.0]]), 1.0, norm_type=-math.inf)


@program
def clip_grad_norm_warns_of_an_empty_generator(torch):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        total = torch.nn.utils.clip_grad_norm_((p for p in []), 1.0)
        torch.nn.utils.clip_grad_norm_(iter([]), 1.0)  # not a generator: silent
    return [total, [(w.category.__name__, str(w.message)) for w in caught]]


@error(TypeError, r"^clamp\(\) received an invalid combination of arguments - got \(float")
def clip_grads_with_norm_of_a_float_total(torch):
    torch.nn.utils.clip_grads_with_norm_(_params(torch, [[1.0, 2.0]]), 1.0, 3.0)


@error(ValueError, r"^could not convert string to float: 'big'")
def clip_grads_with_norm_reads_max_norm_without_gradients(torch):
    torch.nn.utils.clip_grads_with_norm_([torch.nn.Parameter(torch.ones(2))], "big", torch.tensor(1.0))  # fmt: skip


# ---- parameters_to_vector / vector_to_parameters ----------------------------------------------
@error(AttributeError, r"^'list' object has no attribute 'device'")
def parameters_to_vector_of_a_list_item(torch):
    torch.nn.utils.parameters_to_vector([torch.ones(2), [1.0, 2.0]])


@error(AttributeError, r"^'float' object has no attribute 'device'")
def vector_to_parameters_of_a_number(torch):
    torch.nn.utils.vector_to_parameters(torch.ones(3), [torch.nn.Parameter(torch.ones(2)), 1.0])


# ---- weight_norm / spectral_norm --------------------------------------------------------------
@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def weight_norm_parametrization_dim_out_of_range(torch):
    torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(3, 2), dim=2)


@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)")
def old_weight_norm_dim_out_of_range(torch):
    torch.nn.utils.weight_norm(torch.nn.Conv1d(2, 2, 2), dim=3)


@program
def weight_norm_negative_dim_is_wrapped(torch):
    torch.manual_seed(0)
    m = torch.nn.utils.parametrizations.weight_norm(torch.nn.Conv1d(2, 3, 2), dim=-2)
    g = m.parametrizations.weight.original0
    y = m(torch.ones(1, 2, 3)).sum()
    y.backward()
    return [g, m.weight, g.grad]


@error(IndexError, r"^Dimension out of range \(expected to be in range of \[-1, 0\] but got 1\)")
def spectral_norm_checks_dim_before_power_iterations(torch):
    m = torch.nn.ConvTranspose1d(2, 2, 2)  # its dim is 1, a bias has one dim
    torch.nn.utils.parametrizations.spectral_norm(m, "bias", n_power_iterations=-1)


@error(KeyError, r"nope")
def old_spectral_norm_of_a_name_that_is_no_parameter(torch):
    torch.nn.utils.spectral_norm(torch.nn.Linear(2, 2), "nope")


# ---- prune ------------------------------------------------------------------------------------
def _prune(torch):
    return importlib.import_module(f"{torch.__name__}.nn.utils.prune")


@program
def prune_refused_on_a_pruned_tensor_drops_its_hook(torch):
    prune = _prune(torch)
    torch.manual_seed(0)
    m = torch.nn.Linear(3, 2)
    prune.l1_unstructured(m, "weight", 2)
    try:
        prune.l1_unstructured(m, "weight", -1)
    except ValueError as e:
        refused = str(e)
    return [refused, len(m._forward_pre_hooks), prune.is_pruned(m), sorted(m.state_dict())]


@error(IndexError, r"^list assignment index out of range")
def prune_ln_structured_again_with_a_dim_out_of_range(torch):
    prune = _prune(torch)
    m = torch.nn.Linear(3, 2)
    prune.identity(m, "weight")
    prune.ln_structured(m, "weight", 0.5, n=2, dim=5)


# ---- fusion / memory format -------------------------------------------------------------------
@error(AssertionError, r"^bn.running_mean and bn.running_var must not be None")
def fuse_conv_bn_eval_without_running_stats(torch):
    conv = torch.nn.Conv2d(2, 2, 1).eval()
    bn = torch.nn.BatchNorm2d(2, track_running_stats=False).eval()
    torch.nn.utils.fuse_conv_bn_eval(conv, bn)


@error(RuntimeError, r"^Unsupported memory formatPreserve")
def convert_conv2d_weight_memory_format_preserve(torch):
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 2, 1))
    torch.nn.utils.convert_conv2d_weight_memory_format(model, torch.preserve_format)


# ---- functional_call --------------------------------------------------------------------------
@error(RuntimeError, r"^The function 'native_batch_norm' is not differentiable with respect to argument 'running_var'")  # fmt: skip
def functional_call_batch_norm_running_var_requiring_grad(torch):
    bn = torch.nn.BatchNorm1d(2).eval()
    given = {"running_var": torch.ones(2, requires_grad=True)}
    torch.func.functional_call(bn, given, torch.randn(3, 2))


@program
def batch_norm_running_mean_requiring_grad_under_no_grad(torch):
    torch.manual_seed(0)
    rm = torch.zeros(2, requires_grad=True)
    with torch.no_grad():
        y = torch.nn.functional.batch_norm(torch.randn(3, 2), rm, torch.ones(2), training=True)
    return [y, rm]


@error(AttributeError, r"^'tuple' object has no attribute 'keys'")
def stateless_functional_call_of_a_tuple_of_dicts(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.nn.utils.stateless.functional_call(torch.nn.Linear(2, 2), ({},), torch.ones(2))


@error(RuntimeError, r"^linalg.matrix_norm: dim must be a 2-tuple")
def prune_ln_structured_of_nothing_still_takes_the_norm(torch):
    prune = _prune(torch)
    m = torch.nn.Conv2d(2, 1, (2, 1))  # one output channel: 0.3 of it rounds to none
    prune.ln_structured(m, "weight", 0.3, n="fro", dim=0)


# ---- weight_norm of a vector, spectral_norm's permute -------------------------------------------
@program
def weight_norm_of_a_bias_keeps_each_magnitude(torch):
    torch.manual_seed(0)
    m = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(2, 3), "bias", dim=0)
    old = torch.nn.utils.weight_norm(torch.nn.Linear(2, 3), "bias", dim=0)
    m(torch.ones(1, 2)).sum().backward()
    return [m.parametrizations.bias.original0, m.bias, old.bias_g, m.parametrizations.bias.original1.grad]  # fmt: skip


@error(RuntimeError, r"^permute\(sparse_coo\): number of dimensions in the tensor input does not match")  # fmt: skip
def old_spectral_norm_of_a_bias_along_dim_1(torch):
    torch.nn.utils.spectral_norm(torch.nn.Linear(2, 2), "bias", dim=1)


@error(RuntimeError, r"^permute\(sparse_coo\): number of dimensions in the tensor input does not match")  # fmt: skip
def old_spectral_norm_of_a_negative_dim(torch):
    torch.nn.utils.spectral_norm(torch.nn.Linear(2, 2), dim=-1)


# ---- remove_parametrizations(leave_parametrized=True) sets the original's data --------------------
def _parametrized(torch, forward, tensor="weight"):
    class P(torch.nn.Module):
        def forward(self, X):
            return forward(X)

    m = torch.nn.Linear(2, 2)
    m.register_buffer("buf", torch.ones(2))
    torch.nn.utils.parametrize.register_parametrization(m, tensor, P(), unsafe=True)
    return m


@error(TypeError, r"^set_\(\) received an invalid combination of arguments - got \(NoneType")
def remove_parametrizations_of_a_none_value(torch):
    m = _parametrized(torch, lambda X: None)
    torch.nn.utils.parametrize.remove_parametrizations(m, "weight")


@error(RuntimeError, r"^Calling remove_parametrizations\(\) with leave_parametrized=True for a parameter")  # fmt: skip
def remove_parametrizations_of_another_dtype_parameter(torch):
    m = _parametrized(torch, lambda X: X.double())
    torch.nn.utils.parametrize.remove_parametrizations(m, "weight")


@error(RuntimeError, r"^Could not set tensor of type double to a tensor of type float")
def remove_parametrizations_of_another_dtype_buffer(torch):
    m = _parametrized(torch, lambda X: X.double(), "buf")
    torch.nn.utils.parametrize.remove_parametrizations(m, "buf")


@program
def remove_parametrizations_of_another_shape(torch):
    torch.manual_seed(0)
    m = _parametrized(torch, lambda X: X.reshape(-1) * 2)
    original = m.parametrizations.weight.original
    torch.nn.utils.parametrize.remove_parametrizations(m, "weight")
    return [m.weight, m.weight is original, type(m).__name__]


@error(ValueError, r"^Registering a parametrization may not change the shape of the tensor")
def register_parametrization_whose_right_inverse_changes_the_shape(torch):
    class Flat(torch.nn.Module):
        def forward(self, X):
            return X * 2

        def right_inverse(self, X):
            return X.reshape(-1)

    m = torch.nn.Linear(2, 2)
    torch.nn.utils.parametrize.register_parametrization(m, "weight", Flat())


@error(RuntimeError, r"^Tensors of the first list of nested Tensor lists are supposed to be defined but the 1-th")  # fmt: skip
def get_total_norm_of_a_none_gradient(torch):
    torch.nn.utils.get_total_norm([torch.ones(2), None, torch.ones(1)])


@error(AttributeError, r"^'NoneType' object has no attribute 'device'")
def get_total_norm_of_a_none_first(torch):
    torch.nn.utils.get_total_norm([None, torch.ones(2)])


@error(TypeError, r"^unhashable type: 'dict'")
def stateless_functional_call_of_a_tuple_strict_untied(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        m = torch.nn.Linear(2, 2)
        torch.nn.utils.stateless.functional_call(m, ({},), torch.ones(2), tie_weights=False, strict=True)  # fmt: skip


# ---- functional_call of a parametrized tensor's name: set through right_inverse -----------------
def _pair(torch):
    class Pair(torch.nn.Module):
        def forward(self, A, B):
            return A * B

        def right_inverse(self, X):
            return X.sign() + 2, X / (X.sign() + 2)

    m = torch.nn.Linear(3, 1)
    torch.nn.utils.parametrize.register_parametrization(m, "weight", Pair(), unsafe=True)
    return m


@error(RuntimeError, r"^parametrization Same does not implement right_inverse")
def functional_call_of_a_parametrized_name_without_right_inverse(torch):
    class Same(torch.nn.Module):
        def forward(self, X):
            return X.double()  # the Parameter itself: nothing to restore once setting failed

    m = torch.nn.Linear(3, 1).double()
    torch.nn.utils.parametrize.register_parametrization(m, "weight", Same())
    x = torch.ones(3, dtype=torch.float64)
    torch.func.functional_call(m, {"weight": torch.ones(1, 3, dtype=torch.float64)}, (x,))


@error(RuntimeError, r"^one of the variables needed for gradient computation has been modified by an inplace operation")  # fmt: skip
def functional_call_of_a_parametrized_name_restores_it_in_place(torch):
    m = _pair(torch)
    y = torch.func.functional_call(m, {"weight": torch.full((1, 3), 3.0)}, (torch.ones(3),))
    y.sum().backward()  # the originals were set back in place after the call


# ---- skip_init ----------------------------------------------------------------------------------
@error(RuntimeError, r"^Expected a Module; got <class 'int'>")
def skip_init_of_a_class_that_is_no_module(torch):
    torch.nn.utils.skip_init(int)


@error(RuntimeError, r"^Module must support a 'device' arg to skip initialization")
def skip_init_of_a_module_with_device_as_a_local_only(torch):
    class Local(torch.nn.Module):
        def __init__(self, n):
            super().__init__()
            device = "cpu"
            self.w = torch.nn.Parameter(torch.ones(n, device=device))

    torch.nn.utils.skip_init(Local, 2)


@program
def spectral_norm_again_on_a_parametrized_conv_transpose(torch):
    torch.manual_seed(0)
    m = torch.nn.ConvTranspose2d(1, 2, (1, 2))  # output channels on dim 1
    sn = torch.nn.utils.parametrizations.spectral_norm
    sn(sn(m))  # the second one sees a ParametrizedConvTranspose2d
    return [m.parametrizations.weight[1]._u.shape, m.parametrizations.weight[1]._v.shape]


@error(TypeError, r"^norm_except_dim\(\): argument 'v' \(position 1\) must be Tensor, not NoneType")
def old_weight_norm_of_a_missing_bias(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.nn.utils.weight_norm(torch.nn.Linear(2, 2, bias=False), "bias")


@error(AttributeError, r"_tensor_name")
def prune_container_of_nothing_has_no_tensor_name(torch):
    _prune(torch).PruningContainer()._tensor_name  # noqa: B018 (the error is the check)


@program
def clip_grad_norm_float16_zero_max_norm_of_a_zero_norm(torch):
    p = torch.nn.Parameter(torch.zeros(3, dtype=torch.float16))
    p.grad = torch.zeros(3, dtype=torch.float16)
    total = torch.nn.utils.clip_grad_norm_([p], 0.0)  # 0 * reciprocal(1e-6 in float16 = inf)
    return [total, p.grad]


@error(TypeError, r"^'NoneType' object is not iterable")
def get_total_norm_of_none_reads_it_before_the_norm_type(torch):
    torch.nn.utils.get_total_norm(None, "fro")


@program
def clip_grad_norm_float16_tiny_max_norm_of_a_zero_norm(torch):
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float16))
    p.grad = torch.zeros(2, dtype=torch.float16)
    # inf (the float16 reciprocal of 1e-6) times 1e-8 in float32: inf, clamped to 1
    total = torch.nn.utils.clip_grad_norm_([p], 1e-8)
    return [total, p.grad]
