"""Session 16 sweep (the lead's own programs, found by tests/test_fuzz_tensor_api.py), run
with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py): creation
functions, Python numbers at the edges of the dtypes (ints beyond int64, floats beyond
float16) and the words of their errors."""

from __future__ import annotations

import warnings

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _errors(torch, calls) -> list:
    """Each call's error as (its builtin type, first line of its message), or its value."""
    out = []
    for call in calls:
        try:
            out.append(call())
        except Exception as e:  # noqa: BLE001 (the error is the result compared)
            kind = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
            out.append((kind.__name__, str(e).split("\n")[0]))
    return out


@error(RuntimeError, r"^upper bound and lower bound inconsistent with step sign$")
def arange_step_sign_error_words(torch):
    torch.arange(1, 5, -1)


@error(RuntimeError, r"^n must be greater or equal to 0, got -1$")
def eye_negative_size_words(torch):
    torch.eye(-1)


@error(TypeError, r'^range\(\) missing 1 required positional arguments: "end"$')
def range_needs_both_bounds(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.range(3)


@error(RuntimeError, r"^upper bound and lower bound inconsistent with step sign$")
def range_checks_the_step_sign(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.range(3, 1)


@error(RuntimeError, r"^meshgrid expects all tensors to have the same dtype$")
def meshgrid_checks_dtypes_before_dims(torch):
    torch.meshgrid(torch.ones(2, 2), torch.arange(3), indexing="ij")


@program
def asarray_keeps_the_requires_grad_of_its_tensor(torch):
    leaf = torch.tensor([1.5, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same, wider = torch.asarray(leaf), torch.asarray(leaf, dtype=torch.float64)
        refused = _errors(torch, [lambda: torch.asarray(leaf, dtype=torch.int64)])
    detached = torch.asarray(leaf, dtype=torch.float64, requires_grad=False)
    return [same is leaf, wider.requires_grad, wider.is_leaf, detached.requires_grad, refused]


@program
def asarray_copies_a_0d_numpy_array(torch):
    shared = {}
    for name in ("asarray", "as_tensor", "from_numpy"):
        a = np.array(-1, dtype=np.int8)
        t = getattr(torch, name)(a)
        a[()] = 1
        shared[name] = t.item()
    return shared


@program
def numbers_beyond_float16_become_inf_silently(torch):
    h = torch.ones(2, dtype=torch.float16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = [h == 2**40, h < 1e10, h % 1e10, 1e10 // h, torch.scalar_tensor(2**40, dtype=torch.float16)]  # fmt: skip
        h[0] = 1e10
        values += [h, torch.ones(2, dtype=torch.bfloat16) == 1e300]
        values += [torch.linspace(0.0, float("nan"), 3), torch.linspace(float("inf"), 1.0, 2)]
    return values, [str(w.message) for w in caught]


@error(RuntimeError, r"^value cannot be converted to type c10::Half without overflow$")
def clamp_bound_beyond_float16_words(torch):
    torch.ones(2, dtype=torch.float16).clamp(max=1e10)


@error(RuntimeError, r"^value cannot be converted to type int without overflow$")
def scalar_tensor_overflow_names_the_c_type(torch):
    torch.scalar_tensor(2**40, dtype=torch.int32)


@program
def scalar_tensor_reads_a_numpy_number_as_a_scalar(torch):
    return [
        torch.scalar_tensor(np.float16(3.5), dtype=torch.int8),
        torch.scalar_tensor(np.float32(1.5)),
        torch.scalar_tensor(np.int64(7), dtype=torch.float64),
    ]


@program
def ints_beyond_uint64_are_overflow_errors(torch):
    x = torch.ones(2)
    return _errors(
        torch,
        [
            lambda: torch.full((2,), 2**64),
            lambda: torch.full((2,), -(2**63) - 1, dtype=torch.float32),
            lambda: x.clone().fill_(2**64),
            lambda: torch.scalar_tensor(2**64),
            lambda: x.masked_fill(x > 0, 2**70),
            lambda: torch.ones(2, dtype=torch.int8) + 2**64,
            lambda: torch.ones(2, dtype=torch.int32) == -(2**64),
            lambda: torch.result_type(x, -(2**64)),
            lambda: torch.linspace(1, 2**64, 0),
            lambda: torch.full((2,), 2**63),
        ],
    )


@program
def tensor_of_ints_beyond_int64_into_an_integer_dtype(torch):
    return _errors(
        torch,
        [
            lambda: torch.tensor([2**63, 2, 0], dtype=torch.uint8),
            lambda: torch.tensor((np.int32(3), 2**63), dtype=torch.int32),
            lambda: torch.tensor([[-1.5, 2**63], [0, 1]], dtype=torch.int64),
            lambda: torch.tensor([1, -(2**63) - 1], dtype=torch.int64),
            lambda: torch.tensor([1, -(2**63)], dtype=torch.int64),
            lambda: torch.tensor([2**63, 1.5], dtype=torch.float32),
        ],
    )


@program
def int_scalars_of_the_uint64_range_wrap_in_integer_tensors(torch):
    return [
        torch.ones(2, dtype=torch.int64) + 2**63,
        torch.ones(2, dtype=torch.uint8) + (2**64 - 1),
        torch.ones(2, dtype=torch.int8) - 2**63,
    ]


@program
def bfloat16_power_with_a_big_int_base(torch):
    big = (2**63) ** torch.ones(3, dtype=torch.bfloat16)
    return big.dtype, big.float(), (torch.ones(2, dtype=torch.bfloat16) + True).float()


@program
def linspace_checks_only_the_bounds_it_uses(torch):
    return [
        torch.linspace(-0.0, float("nan"), 1, dtype=torch.int16),
        torch.linspace(1, float("inf"), 1, dtype=torch.int16),
        torch.linspace(2**40, 1, 0, dtype=torch.int16),
        _errors(torch, [lambda: torch.linspace(2**40, 1, 1, dtype=torch.int16)]),
    ]


@program
def logspace_as_pytorch_kernel_rounds(torch):
    """Exact bits: pow(base, exponent) in double from both ends, bounds in the dtype."""
    cases = [
        (0, 1, 5, 10.0, torch.float64),
        (0, 3.5, 100, 3.3, torch.float64),
        (-3.7, 1, 5, 10.0, torch.float32),
        (-3.7, 7.25, 1, 10.0, torch.float32),
        (0, 7.25, 100, 2, torch.float16),
        (-3.7, 1, 4, 0.5, torch.bfloat16),
        (-1, 1, 5, -2.0, torch.float64),
        (2, 1, 4, 0.5, torch.float64),
    ]
    out = []
    for start, end, steps, base, dtype in cases:
        values = torch.logspace(start, end, steps, base=base, dtype=dtype)
        out.append([float(v).hex() for v in values.double().tolist()])
    return out


@error(TypeError, r"^unsupported operand type\(s\) for @: 'float' and 'Tensor'$")
def number_matmul_tensor_is_left_to_python(torch):
    2.0 @ torch.ones(2)  # noqa: B018 (the error is the test)


@program
def matmul_of_numbers_names_the_argument(torch):
    x = torch.ones(2)
    return _errors(
        torch, [lambda: torch.matmul(2, x), lambda: torch.matmul(x, [1.0, 2.0]), lambda: 2 @ x]
    )


@program
def pow_of_a_number_base_is_contiguous(torch):
    x = torch.ones(3, 2, dtype=torch.uint8).t()
    y = torch.ones(3, 2).t().requires_grad_()
    z = 2**y
    z.sum().backward()
    negative = (-1) ** (torch.arange(6).reshape(3, 2).t() - 3)  # integer powers below 0
    return (2**x).stride(), z.stride(), 2.5**x, y.grad, negative, negative.stride()


@error(RuntimeError, r"^Trying to create tensor with negative dimension -1: \[-1\]$")
def full_checks_the_size_before_the_value(torch):
    torch.zeros(2).new_full((-1,), 300, dtype=torch.uint8)


@program
def legacy_constructors_refuse_a_dtype_and_check_sizes(torch):
    x = torch.ones(2)
    return _errors(
        torch,
        [
            lambda: torch.Tensor([1, 2], dtype=torch.int64),
            lambda: torch.FloatTensor([1, 2], dtype=torch.int64),
            lambda: x.new([1, 2], dtype=torch.int64),
            lambda: torch.Tensor(2.0, 3),
            lambda: torch.Tensor(2, 3.0),
            lambda: torch.Tensor(-1, 2),
            lambda: x.new(2.0, 3),
            lambda: x.new(-0.5),
            lambda: x.new(torch.Size([2, 1])).shape,
            lambda: torch.LongTensor([1, 2]),
            lambda: torch.Tensor(torch.Size([2, 1])).shape,
        ],
    )


@program
def new_of_a_tensor_is_an_alias(torch):
    x = torch.ones(2, requires_grad=True)
    y = x.new(x)
    return type(y.grad_fn).__name__, y.requires_grad


@error(RuntimeError, r"^Tensor: invalid storage offset -1$")
def as_strided_negative_offset_words(torch):
    torch.arange(12.0).as_strided((2,), (1,), -1)


@error(OverflowError, r"^int too big to convert$")
def full_reads_its_value_before_the_size(torch):
    torch.full((2, -3), 2**64, requires_grad=True)


@program
def numpy_array_of_a_tensor_keeps_its_layout(torch):
    x = torch.arange(6, dtype=torch.int8).reshape(2, 3).t()
    return np.array(x).strides, np.array(x, dtype=np.float64).strides, np.asarray(x).strides


@program
def tensor_of_a_float16_list_beyond_its_range(torch):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = torch.tensor([[np.float16(1.0), -(2**40)]])
    return t, [str(w.message) for w in caught]


@program
def recurrent_initial_state_of_another_dtype_words(torch):
    """The hidden state is multiplied first: addmm's words with a bias, mm's without."""
    out = []
    for kind, bias in (("RNN", True), ("RNN", False), ("LSTM", True), ("GRU", False)):
        torch.manual_seed(0)
        m = getattr(torch.nn, kind)(2, 3, bias=bias).double()
        x = torch.zeros(4, 2, 2, dtype=torch.float64)
        h = torch.zeros(1, 2, 3)
        state = (h, h) if kind == "LSTM" else h
        out += _errors(torch, [lambda m=m, x=x, state=state: m(x, state)])
    return [(kind, words.split("; convert")[0]) for kind, words in out]  # (minitorch's hint)


@error(RuntimeError, r"^mat1 and mat2 shapes cannot be multiplied \(5x3 and 2x12\)$")
def lstm_of_packed_rows_of_another_size_words(torch):
    lstm = torch.nn.LSTM(2, 3)
    rnn = torch.nn.utils.rnn
    lstm(rnn.pack_sequence([torch.ones(3, 3), torch.ones(2, 3)]))


@program
def legacy_constructor_of_a_tensor_requiring_grad_aliases_it(torch):
    x = torch.ones(2, dtype=torch.float16, requires_grad=True)
    y = torch.Tensor(x)
    refused = _errors(torch, [lambda: torch.DoubleTensor(torch.ones(2, requires_grad=True))])
    return y.dtype, y.data_ptr() == x.data_ptr(), refused


@program
def negative_ints_wrap_into_unsigned_down_to_minus_max(torch):
    cases = ([-255], [-256], [-300], [2.0, -300], [-(2**40)], [-128, -129])
    return _errors(torch, [lambda d=d: torch.tensor(d, dtype=torch.uint8) for d in cases])


@program
def float_math_refuses_numbers_and_lists(torch):
    return _errors(
        torch,
        [
            lambda: torch.log([1.0, 2.0]),
            lambda: torch.exp((1.0,)),
            lambda: torch.sigmoid([1.0]),
            lambda: torch.sqrt(4.0),
            lambda: torch.log(np.ones(2)),
        ],
    )


@program
def combinations_of_length_zero_is_a_new_empty_vector(torch):
    x = torch.ones(3, requires_grad=True)
    out = [torch.combinations(x, r) for r in (0, 1)] + [torch.combinations(x[:0], 1)]
    return [(y.shape, y.requires_grad, y.is_leaf) for y in out]


@error(RuntimeError, r"^Cannot access accelerator device when none is available\.$")
def device_of_an_index_needs_an_accelerator(torch):
    if torch.cuda.is_available():  # (the words are those of a machine without one)
        raise RuntimeError("Cannot access accelerator device when none is available.")
    torch.device(0)


@program
def cdist_and_pdist_node_names(torch):
    a = torch.arange(12.0).reshape(4, 3).requires_grad_()
    b = torch.ones(2, 3)
    nodes = [torch.cdist(a, b).grad_fn, torch.cdist(a, b, p=1).grad_fn, torch.pdist(a).grad_fn]
    return [type(n).__name__ for n in nodes]


@program
def square_in_place_is_a_pow_node(torch):
    x = torch.tensor([1.5, -2.0], requires_grad=True)
    z = (x * 1).square_()
    z.sum().backward()
    return type(z.grad_fn).__name__, z, x.grad


@program
def normal_refuses_a_nan_std(torch):
    nan = float("nan")
    return _errors(
        torch,
        [
            lambda: torch.normal(0.0, torch.tensor([nan])),
            lambda: torch.normal(torch.zeros(1), nan),
            lambda: torch.normal(0.0, nan, (2,)),
            lambda: torch.zeros(2).normal_(0, nan),
        ],
    )


@program
def random_draws_refuse_a_generator_that_is_not_one(torch):
    calls = [
        lambda: torch.randperm(3, generator=1),
        lambda: torch.rand(2, generator="a"),
        lambda: torch.multinomial(torch.ones(3), 2, generator=3),
        lambda: torch.ones(2).uniform_(generator=1),
        lambda: list(torch.utils.data.RandomSampler(range(3), generator=1)),
    ]
    return [kind for kind, _ in _errors(torch, calls)]  # (PyTorch's words vary by overload)
