"""Sweep 24 (module fuzzing): one focused program per divergence that the random networks
of tests/test_fuzz_modules.py found. Each program runs with PyTorch 2.13 (the oracle) and
with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


@program
def conv_valid_padding_with_a_padding_mode(torch):
    # padding='valid' with a non-zeros padding_mode pads by 0 (F.pad refused an empty pad)
    torch.manual_seed(0)
    outs = []
    for mode in ("reflect", "replicate", "circular"):
        c1 = torch.nn.Conv1d(2, 3, 3, padding="valid", padding_mode=mode).double()
        c2 = torch.nn.Conv2d(2, 3, 2, padding="valid", padding_mode=mode).double()
        x1 = torch.arange(12.0, dtype=torch.float64).view(1, 2, 6).sin()
        x2 = torch.arange(32.0, dtype=torch.float64).view(1, 2, 4, 4).cos()
        outs += [c1(x1), c2(x2)]
    return outs


@error(IndexError, r"^select\(\): index 5 out of range for tensor of size \[4, 3\] at dimension 0")
def embedding_max_norm_index_out_of_range(torch):
    # with max_norm, PyTorch's renorm selects the rows first (the smallest bad index)
    w = torch.ones(4, 3) * 2
    torch.nn.functional.embedding(torch.tensor([7, 5, 1]), w, max_norm=1.0)


@error(IndexError, r"^select\(\): index -6 out of range for tensor of size \[4, 3\]")
def embedding_max_norm_negative_index(torch):
    torch.nn.Embedding(4, 3, max_norm=1.0)(torch.tensor([[-6, 5]]))


@program
def rnn_relu_one_step_gradients(torch):
    # a sequence of one step: the relu gradient (made on the bits) passed the split's
    # backward, which read its uint64 base as the whole gradient (values near 4.6e18)
    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 2, nonlinearity="relu").double()
    x = torch.linspace(-1, 1, 6, dtype=torch.float64).view(1, 2, 3).requires_grad_()
    out, h = rnn(x)
    (out.sum() + h.sum()).backward()
    return [out, h, x.grad] + [p.grad for p in rnn.parameters()]


@program
def split_of_relu_gradient(torch):
    x = torch.tensor([[1.0, -2.0, 3.0]], dtype=torch.float64, requires_grad=True)
    x.split(1)[0].relu().sum().backward()
    y = torch.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True)
    a, b = y.split(1)
    (a.relu() * 2 + b.relu()).sum().backward()
    return x.grad, y.grad


@program
def sign_backward_is_zero_for_nan_and_inf_gradients(torch):
    x = torch.tensor([0.0, 1.0, -2.0], requires_grad=True)
    x.sign().backward(torch.tensor([float("nan"), float("inf"), 1.0]))
    return x.grad


@program
def lp_pool_ceil_mode_zero_windows(torch):
    # windows whose sum is 0 (the pow(1/p) gradient is inf there) get gradient 0
    x = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
    x[0, 0, 0, 0] = 1.0
    x.requires_grad_()
    y = torch.nn.LPPool2d(2, 2, ceil_mode=True)(x)
    y.sum().backward()
    z = torch.zeros(1, 2, 5, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.lp_pool1d(z, 2, 2).sum().backward()
    return y, x.grad, z.grad


@error(RuntimeError, r"Input type \(float\) and bias type \(double\) should be the same")
def conv_checks_the_bias_dtype_before_the_weight(torch):
    conv = torch.nn.Conv2d(2, 3, 2).double()
    conv(torch.ones(1, 2, 4, 4))


@error(RuntimeError, r"Input type \(long int\) and bias type \(double\) should be the same")
def conv1d_of_integers(torch):
    torch.nn.Conv1d(2, 3, 2).double()(torch.ones(1, 2, 4, dtype=torch.long))


@error(NotImplementedError, r"^\"batch_norm\" not implemented for 'Long'")
def batch_norm_of_integers(torch):
    torch.nn.BatchNorm1d(2).double()(torch.ones(3, 2, dtype=torch.long))


@error(NotImplementedError, r"^\"batch_norm\" not implemented for 'Int'")
def instance_norm_of_integers(torch):
    torch.nn.InstanceNorm1d(2)(torch.ones(3, 2, 4, dtype=torch.int))


@error(RuntimeError, r"^mixed dtype \(CPU\): expect parameter to have scalar type of Float")
def batch_norm_float32_input_float64_running_stats(torch):
    bn = torch.nn.BatchNorm2d(3, affine=False).double()
    bn(torch.ones(2, 3, 2, 2))


@error(RuntimeError, r"^mixed dtype \(CPU\): all inputs must share same datatype\.")
def batch_norm_float64_input_float32_weight(torch):
    torch.nn.BatchNorm1d(2)(torch.ones(3, 2, dtype=torch.float64))


@error(RuntimeError, r"^mixed dtype \(CPU\): expect parameter to have scalar type of Float")
def group_norm_float32_input_float64_weight(torch):
    torch.nn.GroupNorm(1, 2).double()(torch.ones(3, 2, 4))


@error(NotImplementedError, r"^\"GroupNormKernelImpl\" not implemented for 'Long'")
def group_norm_of_integers_without_weight(torch):
    torch.nn.functional.group_norm(torch.ones(3, 2, 4, dtype=torch.long), 1)


@error(RuntimeError, r"^mixed dtype \(CPU\): expect parameter to have scalar type of Float")
def layer_norm_float32_input_float64_weight(torch):
    torch.nn.LayerNorm(4).double()(torch.ones(3, 4))


@error(RuntimeError, r"^expected scalar type Float but found Double")
def layer_norm_bias_of_another_dtype(torch):
    x = torch.ones(3, 4)
    torch.nn.functional.layer_norm(x, (4,), torch.ones(4), torch.zeros(4, dtype=torch.float64))


@error(NotImplementedError, r"^\"LayerNormKernelImpl\" not implemented for 'Long'")
def layer_norm_of_integers(torch):
    torch.nn.functional.layer_norm(torch.ones(3, 4, dtype=torch.long), (4,))


@program
def norms_of_float16_inputs_with_float32_parameters(torch):
    x = torch.linspace(-1, 1, 24).view(3, 2, 4)
    out = [
        torch.nn.functional.layer_norm(x.half(), (4,), torch.ones(4)),
        torch.nn.functional.group_norm(x.half(), 1, torch.ones(2), torch.zeros(2)),
        torch.nn.BatchNorm1d(2)(x.half()),
    ]
    return [o.float() for o in out]


@program
def instance_norm_float32_input_float64_running_stats(torch):
    m = torch.nn.InstanceNorm1d(2, track_running_stats=True).double()
    x = torch.linspace(-1, 2, 24).view(3, 2, 4)
    y = m(x)
    return y, y.dtype, m.running_mean, m.running_var, m.running_mean.dtype


def _integer_activation(name: str, kernel: str) -> None:
    def prog(torch):
        getattr(torch.nn.functional, name)(torch.ones(2, 3, dtype=torch.long))

    prog.__name__ = f"{name}_of_integers"
    error(NotImplementedError, rf"^\"{kernel}\" not implemented for 'Long'")(prog)


for _name, _kernel in [("leaky_relu", "leaky_relu_cpu"), ("elu", "elu_cpu"), ("selu", "elu_cpu"),
                       ("celu", "elu_cpu"), ("silu", "silu_cpu"), ("mish", "mish_cpu"),
                       ("hardswish", "hardswish_cpu"), ("hardsigmoid", "hardsigmoid_cpu"),
                       ("gelu", "GeluKernelImpl"), ("softplus", "softplus_cpu"),
                       ("logsigmoid", "log_sigmoid_cpu")]:  # fmt: skip
    _integer_activation(_name, _kernel)


@error(NotImplementedError, r"^\"silu_cpu\" not implemented for 'Bool'")
def silu_module_of_bools_in_place(torch):
    torch.nn.SiLU(inplace=True)(torch.ones(2, dtype=torch.bool))


@error(
    ValueError, r"^Expected more than 1 value per channel when training, got input size \[1, 2, 1\]"
)
def group_norm_of_one_value_per_group(torch):
    torch.nn.GroupNorm(2, 2)(torch.ones(1, 2, 1))


@program
def group_norm_of_one_sample_several_values(torch):
    x = torch.linspace(-1, 1, 8).view(1, 4, 2)
    return torch.nn.functional.group_norm(x, 4), torch.nn.functional.group_norm(x[:, :, :1], 2)


@error(RuntimeError, r"^expected scalar type Float but found Double")
def conv_with_same_padding_checks_the_weight_dtype_first(torch):
    torch.nn.Conv1d(2, 3, 3, padding="same").double()(torch.ones(1, 2, 5))


@error(RuntimeError, r"^expected scalar type Long but found Double")
def conv_with_valid_padding_of_integers(torch):
    torch.nn.Conv2d(2, 3, 2, padding="valid").double()(torch.ones(1, 2, 4, 4, dtype=torch.long))


@error(RuntimeError, r"^mean\(\): could not infer output dtype\. Input dtype must be either")
def adaptive_avg_pool_to_one_of_integers(torch):
    torch.nn.AdaptiveAvgPool1d(1)(torch.ones(2, 3, 4, dtype=torch.long))


@error(RuntimeError, r"^mean\(\): could not infer output dtype\. .* Got: Int")
def adaptive_avg_pool2d_to_one_by_one_of_integers(torch):
    torch.nn.functional.adaptive_avg_pool2d(torch.ones(1, 2, 3, 3, dtype=torch.int), (1, 1))


@error(NotImplementedError, r"^\"adaptive_avg_pool2d\" not implemented for 'Long'")
def adaptive_avg_pool_to_two_of_integers(torch):
    torch.nn.AdaptiveAvgPool1d(2)(torch.ones(2, 3, 4, dtype=torch.long))
