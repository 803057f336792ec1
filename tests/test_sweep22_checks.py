"""Session 12 sweep: argument checks and small behaviours found by PyTorch's ModuleInfo and
OpInfo databases run on a second kind of machine, run with real PyTorch (the oracle) and
with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


@error(TypeError, r"delta must be a float or int, got: <class 'complex'>")
def huber_loss_module_complex_delta(torch):
    return torch.nn.HuberLoss(delta=1 + 0j)


@error(TypeError, r"delta must be a float or int, got: <class '(torch|minitorch)\.Tensor'>")
def huber_loss_module_tensor_delta(torch):
    return torch.nn.HuberLoss(delta=torch.tensor(2.0))


@program
def huber_loss_module_int_and_bool_delta(torch):
    x, y = torch.tensor([0.5, -3.0, 2.0]), torch.zeros(3)
    return [torch.nn.HuberLoss(delta=d)(x, y) for d in (2, True)], torch.nn.HuberLoss(delta=2).delta


@program
def lu_factor_ex_integer_outputs_need_no_grad(torch):
    A = torch.tensor([[2.0, 1.0, 0.5], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]], requires_grad=True)
    LU, pivots, info = torch.linalg.lu_factor_ex(A)
    LU2, pivots2 = torch.linalg.lu_factor(A)
    (LU.sum() + LU2.sum()).backward()
    flags = [t.requires_grad for t in (LU, pivots, info, LU2, pivots2)]
    return flags, LU.grad_fn.name(), pivots.grad_fn is None, A.grad


@program
def sdp_backend_enum_prints_and_compares_as_pytorch(torch):
    B = torch.nn.attention.SDPBackend
    x = B.FLASH_ATTENTION
    return str(x), f"{x}", repr(x), int(x), x == 1, [10, 20][x], x.name, list(B.__members__)


@program
def profiler_activity_members_and_supported(torch):
    P = torch.profiler.ProfilerActivity
    members = {name: int(m.value) for name, m in P.__members__.items()}
    return (
        list(members.items()),
        str(P.CPU),
        sorted(str(a) for a in torch.profiler.supported_activities()),
    )


@program
def adaptive_avg_pool_to_the_input_size_is_a_new_tensor(torch):
    F = torch.nn.functional
    x = torch.arange(18.0).reshape(2, 3, 3)
    outs = [F.adaptive_avg_pool2d(x, 3), F.adaptive_avg_pool2d(x[None], (None, 3))]
    outs.append(F.adaptive_avg_pool1d(x, 3))
    for y in outs:
        y += 100  # must not reach x
    return x, outs, [y.data_ptr() == x.data_ptr() for y in outs]


@error(TypeError, r"randn\(\) received an invalid combination of arguments")
def randn_without_sizes(torch):
    return torch.randn()


@error(TypeError, r"zeros\(\) missing 1 required positional arguments")
def zeros_without_sizes(torch):
    return torch.zeros()


@program
def factories_of_empty_sizes_are_zero_dim(torch):
    torch.manual_seed(0)
    return [
        torch.zeros(()),
        torch.ones([]),
        torch.rand(()),
        torch.randn(size=()),
        torch.empty(()).shape,
    ]


@error(NotImplementedError, r"\"round_vml_cpu\" not implemented for 'Long'")
def round_of_integers_with_decimals_zero(torch):
    return torch.round(torch.tensor([1, 2]), decimals=0)


@error(NotImplementedError, r"\"round_vml_cpu\" not implemented for 'Int'")
def round_method_of_integers_with_decimals_zero(torch):
    return torch.tensor([1, 2], dtype=torch.int32).round(decimals=0)


@program
def round_of_integers_without_decimals_and_floats_with_zero(torch):
    return torch.round(torch.tensor([1, 2])), torch.tensor([0.5, 1.5, -2.5]).round(decimals=0)


@error(RuntimeError, r"gather\(\): Expected dtype int32/int64 for index")
def cross_entropy_byte_targets_weight_smoothing_mean(torch):
    x, w = torch.randn(4, 3), torch.tensor([1.0, 2.0, 3.0])
    t = torch.tensor([0, 1, 2, 1], dtype=torch.uint8)
    return torch.nn.functional.cross_entropy(x, t, weight=w, label_smoothing=0.1)


@program
def cross_entropy_byte_targets_other_options(torch):
    torch.manual_seed(0)
    x, w = torch.randn(4, 3), torch.tensor([1.0, 2.0, 3.0])
    t = torch.tensor([0, 1, 2, 1], dtype=torch.uint8)
    F = torch.nn.functional
    return [F.cross_entropy(x, t, weight=w), F.cross_entropy(x, t, label_smoothing=0.1),
            F.cross_entropy(x, t, weight=w, label_smoothing=0.1, reduction="sum")]  # fmt: skip
