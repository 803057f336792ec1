"""Session 8 compatibility sweep of the ``torch._foreach_*`` functions (EMA updates, hand-written
optimizers, gradient clipping): each program runs with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py): values, dtypes, in-place identity and version bumps,
autograd, and PyTorch's errors."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _pair(torch, dtype=None, requires_grad=False):
    torch.manual_seed(0)
    a = torch.randn(3, dtype=dtype).requires_grad_(requires_grad)
    b = torch.randn(2, 4, dtype=dtype).requires_grad_(requires_grad)
    return [a, b]


# ---- the names ------------------------------------------------------------------------------
@program
def foreach_names(torch):
    return sorted(n for n in dir(torch) if n.startswith("_foreach"))


# ---- unary math -----------------------------------------------------------------------------
@program
def unary_out_of_place(torch):
    xs = [t.abs() + 0.1 for t in _pair(torch)]
    names = "abs exp log log10 log2 log1p sqrt rsqrt reciprocal sigmoid tanh sin cos tan atan"
    return {n: getattr(torch, f"_foreach_{n}")(xs) for n in names.split()}


@program
def unary_more(torch):
    xs = [t * 0.4 for t in _pair(torch)]
    names = "acos asin cosh sinh erf erfc expm1 lgamma neg sign ceil floor round trunc frac"
    return {n: getattr(torch, f"_foreach_{n}")(xs) for n in names.split()}


@program
def unary_in_place_returns_self(torch):
    xs = [t.abs() + 0.5 for t in _pair(torch)]
    ids = [id(t) for t in xs]
    versions = [t._version for t in xs]
    out = torch._foreach_sqrt_(xs)
    return (out is xs, [id(t) for t in xs] == ids, [t._version - v for t, v in zip(xs, versions)], xs)  # fmt: skip


@program
def unary_out_of_place_is_tuple(torch):
    xs = _pair(torch)
    return type(torch._foreach_exp(xs)).__name__, type(torch._foreach_exp(tuple(xs))).__name__


@program
def in_place_tuple_returns_same_tuple(torch):
    xs = tuple(_pair(torch))
    return torch._foreach_mul_(xs, 2.0) is xs, xs


@program
def unary_int_out_of_place_promotes(torch):
    xs = [torch.tensor([1, 4, 9]), torch.tensor([[16]], dtype=torch.int32)]
    return torch._foreach_sqrt(xs), torch._foreach_abs(xs), torch._foreach_neg(xs)


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def unary_int_in_place(torch):
    torch._foreach_sqrt_([torch.tensor([1, 4])])


@error(RuntimeError, r"Negation, the `-` operator, on a bool tensor is not supported")
def neg_bool(torch):
    torch._foreach_neg([torch.tensor([True])])


@program
def unary_float64_and_empty(torch):
    xs = [torch.rand(3, dtype=torch.float64) + 0.1, torch.empty(0), torch.tensor(2.0)]
    return torch._foreach_log(xs), torch._foreach_sigmoid(xs)


@program
def unary_non_contiguous(torch):
    torch.manual_seed(0)
    a = torch.randn(4, 3).t()
    torch._foreach_exp_([a])
    return a, a.is_contiguous()


# ---- binary: add/sub/mul/div with every kind of other operand ---------------------------------
@program
def add_scalar_scalars_list_tensor(torch):
    xs = _pair(torch)
    return (
        torch._foreach_add(xs, 1.5),
        torch._foreach_add(xs, [1, 2.5]),
        torch._foreach_add(xs, xs, alpha=-0.5),
        torch._foreach_add(xs, torch.tensor(3.0), alpha=2),
    )


@program
def sub_mul_div(torch):
    xs = _pair(torch)
    ys = [t + 3 for t in xs]
    return (
        torch._foreach_sub(xs, ys, alpha=2),
        torch._foreach_sub(xs, [1, 2]),
        torch._foreach_mul(xs, ys),
        torch._foreach_mul(xs, torch.tensor(0.5)),
        torch._foreach_div(xs, ys),
        torch._foreach_div(xs, [2.0, 4]),
        torch._foreach_div(xs, torch.tensor(4.0)),
    )


@program
def sub_with_zero_dim_tensor_is_a_number(torch):
    xs = _pair(torch)
    return torch._foreach_sub(xs, torch.tensor(2.0)), torch._foreach_lerp(xs, xs, torch.tensor(0.5))


@program
def binary_in_place_version_bumps(torch):
    xs = _pair(torch)
    v = [t._version for t in xs]
    torch._foreach_add_(xs, [t * 2 for t in xs], alpha=0.5)
    torch._foreach_mul_(xs, 3)
    torch._foreach_div_(xs, torch.tensor(2.0))
    torch._foreach_sub_(xs, [1.0, 2.0])
    return xs, [t._version - a for t, a in zip(xs, v)]


@program
def int_tensors_with_float_scalar_promote(torch):
    xs = [torch.tensor([1, 2]), torch.tensor([3], dtype=torch.int32)]
    return (
        torch._foreach_add(xs, 1.5),
        torch._foreach_mul(xs, torch.tensor(2.5)),
        torch._foreach_div(xs, 2),
        torch._foreach_mul(xs, torch.tensor(2)),
        torch._foreach_add(xs, True),
    )


@program
def mixed_dtype_lists_promote(torch):
    xs = [torch.ones(2, dtype=torch.int64), torch.ones(2)]
    ys = [torch.ones(2), torch.ones(2, dtype=torch.float64)]
    return torch._foreach_add(xs, ys), torch._foreach_mul(xs, ys)


@program
def float32_with_float64_zero_dim(torch):
    return torch._foreach_mul(_pair(torch), torch.tensor(2.0, dtype=torch.float64))


@program
def float16_lists(torch):
    xs = [t.half() for t in _pair(torch)]
    return torch._foreach_add(xs, 0.1), torch._foreach_mul(xs, xs), torch._foreach_sqrt(torch._foreach_abs(xs))  # fmt: skip


@program
def broadcasting_tensor_lists(torch):
    xs = [torch.ones(2, 3), torch.ones(4)]
    return torch._foreach_add(xs, [torch.arange(3.0), torch.tensor(2.0)])


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def int_in_place_float_scalar(torch):
    torch._foreach_add_([torch.ones(2, dtype=torch.int64)], 1.5)


@program
def in_place_failure_leaves_earlier_tensors_changed(torch):
    a, c = torch.ones(2), torch.ones(2, dtype=torch.int64)
    try:
        torch._foreach_add_([a, c], 1.5)
    except RuntimeError:
        pass
    return a, c


@error(RuntimeError, r"Subtraction, the `-` operator, with two bool tensors is not supported")
def sub_bool(torch):
    torch._foreach_sub([torch.tensor([True])], [torch.tensor([False])])


@error(RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\)")
def list_shapes_mismatch(torch):
    torch._foreach_add([torch.ones(2)], [torch.ones(3)])


# ---- pow ------------------------------------------------------------------------------------
@program
def pow_kinds(torch):
    xs = [t.abs() + 0.5 for t in _pair(torch)]
    return (
        torch._foreach_pow(xs, 2),
        torch._foreach_pow(xs, [0.5, 3]),
        torch._foreach_pow(xs, xs),
        torch._foreach_pow(2.0, xs),
        torch._foreach_pow(2, [torch.tensor([1, 2]), torch.tensor([True])]),
    )


@program
def pow_in_place(torch):
    xs = [t.abs() for t in _pair(torch)]
    torch._foreach_pow_(xs, 2)
    torch._foreach_pow_(xs, [0.5, 1])
    return xs


@program
def pow_ints(torch):
    return torch._foreach_pow([torch.tensor([2, 3])], 2), torch._foreach_pow(2.5, [torch.tensor([1, 2])])  # fmt: skip


@error(RuntimeError, r"Integers to negative integer powers are not allowed")
def pow_int_negative(torch):
    torch._foreach_pow([torch.tensor([2, 3])], -1)


# ---- clamp / maximum / minimum --------------------------------------------------------------
@program
def clamp_and_extrema(torch):
    xs = _pair(torch)
    ys = [torch.zeros_like(t) for t in xs]
    return (
        torch._foreach_clamp_min(xs, 0.0),
        torch._foreach_clamp_max(xs, [0.1, -0.1]),
        torch._foreach_clamp_min(xs, ys),
        torch._foreach_maximum(xs, ys),
        torch._foreach_minimum(xs, 0.2),
        torch._foreach_maximum(xs, [0, 1]),
    )


@program
def clamp_nan(torch):
    xs = [torch.tensor([1.0, float("nan")])]
    return (
        torch._foreach_maximum(xs, 0.0),
        torch._foreach_maximum(xs, [torch.tensor([3.0, 1.0])]),
        torch._foreach_clamp_min([torch.tensor([1.0, 2.0])], float("nan")),
    )


@program
def clamp_int_with_float(torch):
    xs = [torch.tensor([1, 2])]
    return (
        torch._foreach_clamp_min(xs, 1.5),
        torch._foreach_maximum(xs, [torch.tensor([1.5, 0.0])]),
        torch._foreach_clamp_max(xs, [torch.tensor([3, 1])]),
    )


@program
def maximum_in_place(torch):
    xs = _pair(torch)
    v = [t._version for t in xs]
    torch._foreach_maximum_(xs, [torch.zeros_like(t, dtype=torch.float64) for t in xs])
    torch._foreach_minimum_(xs, 0.5)
    torch._foreach_clamp_max_(xs, [torch.full_like(t, 0.4) for t in xs])
    torch._foreach_clamp_min_(xs, [0.1, 0.2])
    return xs, [t._version - a for t, a in zip(xs, v)]


@error(RuntimeError, r"result type Float can't be cast to the desired output type Long")
def maximum_in_place_int_float(torch):
    torch._foreach_maximum_([torch.tensor([1, 2])], [torch.tensor([1.5, 0.0])])


@program
def extrema_gradients(torch):
    x = torch.tensor([1.0, 2.0, 0.0], requires_grad=True)
    grads = []
    for fn, other in [
        (torch._foreach_maximum, 1.0),
        (torch._foreach_clamp_min, 1.0),
        (torch._foreach_maximum, [torch.ones(3)]),
        (torch._foreach_clamp_min, [torch.ones(3)]),
        (torch._foreach_minimum, [torch.ones(3)]),
    ]:
        fn([x], other)[0].sum().backward()
        grads.append(x.grad.clone())
        x.grad = None
    return grads


# ---- lerp / addcmul / addcdiv ---------------------------------------------------------------
@program
def lerp_kinds(torch):
    xs = _pair(torch)
    ends = [t * 2 + 1 for t in xs]
    return (
        torch._foreach_lerp(xs, ends, 0.3),
        torch._foreach_lerp(xs, ends, [0.1, 0.9]),
        torch._foreach_lerp(xs, ends, [torch.full_like(t, 0.25) for t in xs]),
    )


@program
def ema_update_like_timm(torch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    ema = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    model(torch.randn(5, 3))
    decay = 0.9
    with torch.no_grad():
        ema_lerp = [p for p in ema.state_dict().values() if p.is_floating_point()]
        model_lerp = [p for p in model.state_dict().values() if p.is_floating_point()]
        torch._foreach_lerp_(ema_lerp, model_lerp, weight=1.0 - decay)
        ema_p, model_p = list(ema.parameters()), list(model.parameters())
        torch._foreach_mul_(ema_p, decay)
        torch._foreach_add_(ema_p, model_p, alpha=1.0 - decay)
    return ema.state_dict()


@program
def addcmul_addcdiv_kinds(torch):
    xs = _pair(torch)
    t1 = [t + 1 for t in xs]
    t2 = [t * t + 1 for t in xs]
    return (
        torch._foreach_addcmul(xs, t1, t2),
        torch._foreach_addcmul(xs, t1, t2, 0.5),
        torch._foreach_addcmul(xs, t1, t2, value=-2),
        torch._foreach_addcmul(xs, t1, t2, [0.5, 2]),
        torch._foreach_addcmul(xs, t1, t2, torch.tensor([0.5, 2.0], dtype=torch.float64)),
        torch._foreach_addcdiv(xs, t1, t2, value=0.5),
        torch._foreach_addcdiv(xs, t1, t2, [1, -1]),
        torch._foreach_addcdiv(xs, t1, t2, torch.tensor([3.0, 4.0])),
    )


@program
def addcmul_int(torch):
    x = [torch.tensor([1, 2])]
    return torch._foreach_addcmul(x, x, x, 2), torch._foreach_addcmul(x, x, x, 2.5)


@program
def addcmul_int_float_value_truncates(torch):
    x = torch.tensor([1, 2])
    return torch.addcmul(x, x, x, value=2.5), torch.addcmul(x, x, x, value=-2.5), x.clone().addcmul_(x, x, value=1.5)  # fmt: skip


@error(RuntimeError, r"Integer division with addcdiv is no longer supported")
def addcdiv_int(torch):
    x = [torch.tensor([1, 2])]
    torch._foreach_addcdiv(x, x, x, 2)


@error(RuntimeError, r"Expected packed scalar Tensor to be of dimension 1. Got 0 instead")
def addcmul_zero_dim_scalars(torch):
    x = [torch.ones(2)]
    torch._foreach_addcmul(x, x, x, torch.tensor(0.5))


@error(RuntimeError, r"Expected length of scalars to match input of length 2 but got 3 instead")
def addcmul_packed_length(torch):
    xs = _pair(torch)
    torch._foreach_addcmul(xs, xs, xs, torch.tensor([0.5, 2, 3]))


@error(NotImplementedError, r"\"lerp_kernel_scalar\" not implemented for 'Long'")
def lerp_int(torch):
    x = [torch.tensor([1, 2])]
    torch._foreach_lerp(x, x, 0.5)


@error(RuntimeError, r"expected dtype float for `end` but got dtype double")
def lerp_dtype_mismatch(torch):
    torch._foreach_lerp([torch.ones(3)], [torch.ones(3, dtype=torch.float64)], 0.5)


# ---- an Adam step written with _foreach ops (torch.optim's foreach path) ----------------------
@program
def adam_step_foreach(torch):
    torch.manual_seed(0)
    params = [torch.randn(3, 2), torch.randn(4)]
    grads = [torch.randn(3, 2), torch.randn(4)]
    exp_avgs = [torch.zeros_like(p) for p in params]
    exp_avg_sqs = [torch.zeros_like(p) for p in params]
    beta1, beta2, lr, eps = 0.9, 0.999, 1e-2, 1e-8
    for step in (1, 2):
        torch._foreach_lerp_(exp_avgs, grads, 1 - beta1)
        torch._foreach_mul_(exp_avg_sqs, beta2)
        torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2)
        bias1 = [1 - beta1**step for _ in params]
        bias2 = [(1 - beta2**step) ** 0.5 for _ in params]
        step_size = [-(lr / b) for b in bias1]
        denom = torch._foreach_sqrt(exp_avg_sqs)
        torch._foreach_div_(denom, bias2)
        torch._foreach_add_(denom, eps)
        torch._foreach_addcdiv_(params, exp_avgs, denom, step_size)
    return params, exp_avgs, exp_avg_sqs


@program
def sgd_momentum_weight_decay_foreach(torch):
    torch.manual_seed(0)
    params = [torch.randn(2, 2), torch.randn(3)]
    grads = [torch.randn(2, 2), torch.randn(3)]
    grads = torch._foreach_add(grads, params, alpha=1e-2)
    bufs = torch._foreach_clone(grads)
    torch._foreach_mul_(bufs, 0.9)
    torch._foreach_add_(bufs, grads, alpha=0.9)
    torch._foreach_add_(params, bufs, alpha=-0.1)
    return params, bufs


# ---- norms and gradient clipping ------------------------------------------------------------
@program
def clip_grad_norm_foreach(torch):
    torch.manual_seed(0)
    grads = [torch.randn(3, 3) * 5, torch.randn(4) * 5]
    norms = torch._foreach_norm(grads, 2.0)
    total = torch.linalg.vector_norm(torch.stack(norms), 2.0)
    coef = torch.clamp(1.0 / (total + 1e-6), max=1.0)
    torch._foreach_mul_(grads, coef)
    return norms, total, grads


@program
def norm_ords_and_dtypes(torch):
    xs = [torch.tensor([0.0, 0.0, 2.0, -3.0]), torch.tensor([1.0, -1.0], dtype=torch.float64)]
    out = {o: torch._foreach_norm(xs, o) for o in (0, 1, 2, 3, 0.5, -1, float("inf"), float("-inf"))}  # fmt: skip
    out["f64"] = torch._foreach_norm(xs[:1], dtype=torch.float64)
    out["ord_kw"] = torch._foreach_norm(xs, ord=1)
    out["half"] = torch._foreach_norm([xs[0].half()])
    out["empty"] = torch._foreach_norm([torch.zeros(0), torch.zeros(2, 0)], 2)
    return out


@program
def norm_gradient(torch):
    xs = _pair(torch, requires_grad=True)
    n = torch._foreach_norm(xs)
    (n[0] + 2 * n[1]).backward()
    return n, [t.grad for t in xs]


@error(RuntimeError, r"_foreach_norm cannot compute the infinity norm on an empty tensor")
def norm_inf_empty(torch):
    torch._foreach_norm([torch.ones(2), torch.zeros(0)], float("inf"))


@error(RuntimeError, r"linalg.vector_norm: Expected a floating point or complex tensor as input")
def norm_int(torch):
    torch._foreach_norm([torch.tensor([1, 2])])


@error(RuntimeError, r"should be convertible without narrowing to the specified dtype \(Float\)")
def norm_narrowing_dtype(torch):
    torch._foreach_norm([torch.ones(2, dtype=torch.float64)], dtype=torch.float32)


@error(TypeError, r"argument 'ord' \(position 2\) must be Number, not str")
def norm_ord_string(torch):
    torch._foreach_norm([torch.ones(2)], "fro")


@program
def powsum_values(torch):
    x = torch.tensor([0.0, 0.0, 2.0, -3.0])
    out = {o: torch._foreach_powsum([x], o) for o in (0, 1, 2, 3, 0.5, -1, float("inf"))}
    out["f64"] = torch._foreach_powsum([x], 2, dtype=torch.float64)
    out["down"] = torch._foreach_powsum([x.double()], 2, dtype=torch.float32)
    return out


@error(NotImplementedError, r"\"powsum_cpu\" not implemented for 'Long'")
def powsum_int(torch):
    torch._foreach_powsum([torch.tensor([1, 2])])


@program
def max_values(torch):
    return torch._foreach_max(
        [
            torch.tensor([1, 5, 2]),
            torch.tensor([True, False]),
            torch.tensor(3.0),
            torch.tensor([1.0, float("nan")]),
        ]  # fmt: skip
    )


@program
def max_gradient(torch):
    xs = _pair(torch, requires_grad=True)
    m = torch._foreach_max(xs)
    (m[0] * 3 + m[1]).backward()
    return m, [t.grad for t in xs]


@error(RuntimeError, r"_foreach_max cannot compute the maximum of an empty tensor")
def max_empty(torch):
    torch._foreach_max([torch.ones(2), torch.zeros(2, 0)])


# ---- mm, clone, copy_, zero_ ------------------------------------------------------------------
@program
def mm_and_gradient(torch):
    torch.manual_seed(0)
    a = [torch.randn(2, 3, requires_grad=True), torch.randn(1, 2, requires_grad=True)]
    b = [torch.randn(3, 4), torch.randn(2, 2, requires_grad=True)]
    out = torch._foreach_mm(a, b)
    sum(o.sum() for o in out).backward()
    return out, [t.grad for t in a], b[1].grad


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x4\)")
def mm_shapes(torch):
    torch._foreach_mm([torch.ones(2, 3)], [torch.ones(4, 4)])


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: float != double")
def mm_dtypes(torch):
    torch._foreach_mm([torch.ones(2, 3)], [torch.ones(3, 4, dtype=torch.float64)])


@program
def clone_layouts(torch):
    y = torch.arange(6.0).reshape(2, 3).t()
    a = torch._foreach_clone([y])[0]
    b = torch._foreach_clone([y], memory_format=torch.contiguous_format)[0]
    y.add_(1)
    return a, a.stride(), b.stride(), a.data_ptr() != y.data_ptr()


@program
def copy_and_zero(torch):
    xs = [torch.ones(2), torch.ones(2, 3)]
    src = [torch.arange(2), torch.arange(3.0, dtype=torch.float64)]
    v = [t._version for t in xs]
    out = torch._foreach_copy_(xs, src)
    copied = [t.clone() for t in xs]
    torch._foreach_zero_(xs)
    return out is xs, copied, xs, [t._version - a for t, a in zip(xs, v)]


@program
def zero_grads_like_optimizer(torch):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    lin(torch.randn(4, 3)).sum().backward()
    grads = [p.grad for p in lin.parameters()]
    torch._foreach_zero_(grads)
    return [p.grad for p in lin.parameters()]


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(2\)")
def copy_shapes(torch):
    torch._foreach_copy_([torch.ones(3)], [torch.ones(2, 2)])


# ---- autograd -------------------------------------------------------------------------------
@program
def out_of_place_gradients(torch):
    xs = _pair(torch, requires_grad=True)
    ys = _pair(torch, requires_grad=True)
    outs = [
        *torch._foreach_mul(xs, ys),
        *torch._foreach_addcmul(xs, ys, ys, 0.5),
        *torch._foreach_lerp(xs, ys, 0.3),
        *torch._foreach_exp(xs),
        *torch._foreach_pow(xs, 2),
        *torch._foreach_div(xs, [2.0, 3.0]),
    ]
    sum(o.sum() for o in outs).backward()
    return [o.requires_grad for o in outs], [t.grad for t in xs], [t.grad for t in ys]


@program
def non_leaf_in_place_records(torch):
    x = torch.ones(2, requires_grad=True)
    m = x * 2
    torch._foreach_mul_([m], 3.0)
    torch._foreach_maximum_([m], [torch.tensor([8.0, 1.0])])
    m.sum().backward()
    return m, x.grad


@program
def in_place_on_leaf_under_no_grad(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        torch._foreach_add_([x], 1)
    return x, x.requires_grad


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def in_place_on_leaf(torch):
    torch._foreach_add_([torch.ones(2), torch.ones(2, requires_grad=True)], 1.0)


@program
def leaf_check_before_any_change(torch):
    a = torch.ones(2)
    try:
        torch._foreach_add_([a, torch.ones(2, requires_grad=True)], 1.0)
    except RuntimeError:
        pass
    return a


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def zero_on_leaf(torch):
    torch._foreach_zero_([torch.ones(2, requires_grad=True)])


# ---- argument errors ------------------------------------------------------------------------
@error(RuntimeError, r"Tensor list must have at least one tensor")
def empty_list(torch):
    torch._foreach_add([], 1.0)


@error(RuntimeError, r"Tensor list must have at least one tensor")
def empty_list_unary(torch):
    torch._foreach_sqrt_([])


@error(RuntimeError, r"Tensor lists must have the same number of tensors, got 1 and 2")
def list_lengths(torch):
    torch._foreach_mul([torch.ones(2)], [torch.ones(2), torch.ones(2)])


@error(RuntimeError, r"Tensor lists must have the same number of tensors, got 2 and 1")
def addcmul_list_lengths(torch):
    xs = _pair(torch)
    torch._foreach_addcmul(xs, xs, xs[:1])


@error(RuntimeError, r"Tensor lists must have the same number of tensors, got 1 and 0")
def add_empty_list_with_alpha(torch):
    torch._foreach_add([torch.ones(2)], [], alpha=2)


@error(RuntimeError, r"Tensor list must have same number of elements as scalar list")
def scalar_list_length(torch):
    torch._foreach_add(_pair(torch), [1.0])


@error(RuntimeError, r"scalar tensor expected to be 0 dim but it has 1 dimensions and 2 elements")
def add_one_dim_tensor(torch):
    torch._foreach_add(_pair(torch), torch.tensor([1.0, 2.0]))


@error(TypeError, r"_foreach_add\(\) received an invalid combination of arguments")
def add_scalar_with_alpha(torch):
    torch._foreach_add(_pair(torch), 2, alpha=3)


@error(TypeError, r"_foreach_add\(\) received an invalid combination of arguments")
def add_string(torch):
    torch._foreach_add(_pair(torch), "a")


@error(TypeError, r"_foreach_sqrt\(\): argument 'self' \(position 1\) must be tuple of Tensors, not Tensor")  # fmt: skip
def unary_on_tensor(torch):
    torch._foreach_sqrt(torch.ones(2))


@error(TypeError, r"expected Tensor as element 1 in argument 0, but got int")
def list_with_number(torch):
    torch._foreach_exp([torch.ones(2), 3])


# ---- gradcheck (float64) --------------------------------------------------------------------
def _inputs(*shapes):
    minitorch.manual_seed(0)
    return [minitorch.rand(*s, dtype=minitorch.float64, requires_grad=True) + 0.5 for s in shapes]


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b, c: minitorch._foreach_addcdiv([a, b], [b, a], [c, c], [0.5, 2.0]),
        lambda a, b, c: minitorch._foreach_lerp([a, b], [c, c], [a, b]),
        lambda a, b, c: (
            minitorch._foreach_pow(2.0, [a, b]) + minitorch._foreach_pow([a, b], [c, c])
        ),
        lambda a, b, c: minitorch._foreach_norm([a, b, c], 3),
        lambda a, b, c: minitorch._foreach_add([a, b], [c, c], alpha=-2),
        lambda a, b, c: minitorch._foreach_rsqrt([a, b, c]),
    ],
)
def test_gradcheck(fn):
    a, b, c = (t.detach().requires_grad_() for t in _inputs((3,), (2, 3), (3,)))

    # every element of every result, in one tensor
    def f(a, b, c):
        return minitorch.cat([o.reshape(-1) for o in fn(a, b, c)])

    assert gradcheck(f, (a, b, c))
    assert gradgradcheck(f, (a, b, c))


test_program = SWEEP.test()
