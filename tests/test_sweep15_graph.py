"""Sweep 15: the autograd graph as PyTorch builds it, second pass. Composite ops that PyTorch
records as one node on its inputs (var/std and their _mean forms, logsumexp, max/min/median/
kthvalue/mode along a dim, sum/mean with dtype=, the addmm family) show PyTorch's node names
and edges three levels deep, with PyTorch's values and gradients."""

from __future__ import annotations

import pytest
from sweep_harness import Sweep, graph_program, walk

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


GRAPHS = {
    "std_all": (lambda T, x: x.std(), (3, 4)),
    "var_all": (lambda T, x: x.var(), (3, 4)),
    "std_dim0": (lambda T, x: x.std(0), (3, 4)),
    "var_dim1_biased": (lambda T, x: x.var(1, unbiased=False), (3, 4)),
    "var_keepdim_correction2": (lambda T, x: x.var(1, keepdim=True, correction=2), (3, 5)),
    "std_dims_tuple": (lambda T, x: x.std((0, 2)), (2, 3, 4)),
    "std_negative_dim_keepdim": (lambda T, x: x.std(-1, keepdim=True), (2, 3, 4)),
    "var_mean_all": (lambda T, x: T.var_mean(x), (3, 4)),
    "std_mean_dim": (lambda T, x: T.std_mean(x, 1), (3, 4)),
    "var_mean_keepdim_biased": (
        lambda T, x: T.var_mean(x, 0, keepdim=True, unbiased=False),
        (3, 4),
    ),
    "std_mean_dims": (lambda T, x: T.std_mean(x, (0, 1), correction=0), (2, 3, 2)),
    "var_float64": (lambda T, x: x.double().var(1), (3, 4)),
    "var_of_expression": (lambda T, x: (x * 2).var(0), (3, 4)),
    "logsumexp_dim": (lambda T, x: x.logsumexp(1), (3, 4)),
    "logsumexp_keepdim": (lambda T, x: x.logsumexp(1, keepdim=True), (3, 4)),
    "logsumexp_dims": (lambda T, x: T.logsumexp(x, (0, 1)), (3, 4)),
    "logsumexp_negative_dim": (lambda T, x: T.logsumexp(x, -1), (2, 3, 4)),
    "max_dim_values": (lambda T, x: x.max(1)[0], (3, 4)),
    "min_dim_values": (lambda T, x: x.min(0).values, (3, 4)),
    "max_dim_keepdim": (lambda T, x: x.max(-1, keepdim=True).values, (2, 3, 4)),
    "max_dim_pair": (lambda T, x: tuple(T.max(x, 1)), (3, 4)),
    "median_dim": (lambda T, x: x.median(1)[0], (3, 5)),
    "median_dim_keepdim": (lambda T, x: x.median(0, keepdim=True).values, (3, 5)),
    "nanmedian_dim": (lambda T, x: x.nanmedian(1).values, (3, 4)),
    "kthvalue": (lambda T, x: x.kthvalue(2)[0], (3, 4)),
    "kthvalue_dim0_keepdim": (lambda T, x: x.kthvalue(2, 0, True).values, (3, 4)),
    "mode_values": (lambda T, x: x.round().mode(1)[0], (3, 4)),
    "floor_ceil_round_trunc": (lambda T, x: x.floor() + x.ceil() * x.round() - x.trunc(), (3, 4)),
    "round_decimals": (lambda T, x: x.round(decimals=1) * 2, (3, 4)),
    "sum_dtype_float64": (lambda T, x: x.sum(dtype=T.float64), (3, 4)),
    "sum_dim_dtype_float64": (lambda T, x: x.sum(1, dtype=T.float64), (3, 4)),
    "sum_float64_to_float32": (lambda T, x: x.double().sum(0, dtype=T.float32), (3, 4)),
    "mean_dtype_float64": (lambda T, x: x.mean(dtype=T.float64), (3, 4)),
    "mean_dim_dtype_float64": (lambda T, x: x.mean(0, keepdim=True, dtype=T.float64), (3, 4)),
    "addmm": (lambda T, m, a, b: T.addmm(m, a, b), (3, 2), (3, 4), (4, 2)),
    "addmm_bias_row": (lambda T, m, a, b: T.addmm(m, a, b), (2,), (3, 4), (4, 2)),
    "addmm_beta_alpha": (
        lambda T, m, a, b: T.addmm(m, a, b, beta=2, alpha=3),
        (3, 2),
        (3, 4),
        (4, 2),
    ),
    "addmm_beta_zero": (lambda T, m, a, b: T.addmm(m, a, b, beta=0), (3, 2), (3, 4), (4, 2)),
    "addmm_float_alpha": (lambda T, m, a, b: T.addmm(m, a, b, alpha=0.5), (1, 2), (3, 4), (4, 2)),
    "tensor_addmm": (lambda T, m, a, b: m.addmm(a, b, beta=0.5), (3, 2), (3, 4), (4, 2)),
    "addmv": (lambda T, v, m, w: T.addmv(v, m, w), (3,), (3, 4), (4,)),
    "addmv_alpha_row_of_one": (lambda T, v, m, w: T.addmv(v, m, w, alpha=2), (1,), (3, 4), (4,)),
    "baddbmm": (lambda T, i, a, b: T.baddbmm(i, a, b), (2, 3, 2), (2, 3, 4), (2, 4, 2)),
    "baddbmm_broadcast": (
        lambda T, i, a, b: T.baddbmm(i, a, b, beta=0.5, alpha=2),
        (3, 2),
        (2, 3, 4),
        (2, 4, 2),
    ),
    "addbmm": (lambda T, i, a, b: T.addbmm(i, a, b), (3, 2), (2, 3, 4), (2, 4, 2)),
    "addbmm_alpha": (lambda T, i, a, b: T.addbmm(i, a, b, alpha=-1.5), (2,), (2, 3, 4), (2, 4, 2)),
    "addr": (lambda T, m, u, v: T.addr(m, u, v), (3, 4), (3,), (4,)),
    "square": (lambda T, x: x.square(), (3, 4)),
    "square_float64_chain": (lambda T, x: T.square(x.double() + 1), (3, 4)),
    "frac": (lambda T, x: (x * 3).frac(), (3, 4)),
    "trace": (lambda T, x: x.trace(), (3, 4)),
    "trace_square": (lambda T, x: T.trace(x * 2), (3, 3)),
    "logaddexp": (lambda T, x, y: T.logaddexp(x, y), (3, 4), (4,)),
    "fmod_number": (lambda T, x: T.fmod(x, 1.5), (3, 4)),
    "fmod_tensors": (lambda T, x, y: T.fmod(x, y + 3), (3, 4), (4,)),
    "remainder_number": (lambda T, x: x % 1.5, (3, 4)),
    "remainder_tensors": (lambda T, x, y: T.remainder(x, y.abs() + 1), (3, 4), (3, 1)),
    "addr_beta_alpha": (lambda T, m, u, v: T.addr(m, u, v, beta=2, alpha=0.5), (4,), (3,), (4,)),
}
for _name, (_make, *_shapes) in GRAPHS.items():
    graph_program(SWEEP, _name, _make, *_shapes)
graph_program(SWEEP, "std_float64_leaf", lambda T, x: x.std(1), (3, 4), dtype="float64")


@program
def var_mean_only_mean_used(torch):
    x = torch.randn(3, 4, requires_grad=True)
    v, m = torch.var_mean(x, 1)
    (m * torch.arange(3.0)).sum().backward()
    return v, m, x.grad, walk(m.grad_fn)


@program
def std_constant_rows_zero_gradient(torch):
    x = torch.ones(2, 3, requires_grad=True)
    s = x.std(1)
    s.sum().backward()
    return s, x.grad


@program
def var_single_element_dof_zero(torch):
    x = torch.tensor([2.0], requires_grad=True)
    v = x.var()
    v.backward()
    return v, x.grad


@program
def var_correction_beyond_count(torch):
    x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    v = x.var(correction=5)
    v.backward()
    return v, x.grad


@program
def std_float16_values(torch):
    x = torch.randn(4, 6).half().requires_grad_()
    s = x.std(1)
    s.sum().backward()
    return s, x.grad


@program
def logsumexp_infinities(torch):
    x = torch.tensor(
        [[float("-inf"), float("-inf")], [1.0, float("inf")], [0.0, 1.0]], requires_grad=True
    )
    y = x.logsumexp(1)
    y[2].backward()
    return y, x.grad


@program
def logsumexp_empty(torch):
    return torch.logsumexp(torch.zeros(0, 3, requires_grad=True), 0)


@program
def logsumexp_integer_input(torch):
    return torch.logsumexp(torch.arange(6).reshape(2, 3), 1)


@program
def logsumexp_large_values(torch):
    x = torch.tensor([[1000.0, 1000.0], [-1000.0, -999.0]], requires_grad=True)
    y = torch.logsumexp(x, 1)
    y.sum().backward()
    return y, x.grad


@program
def max_dim_ties_gradient_to_first(torch):
    x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    v, i = x.max(1)
    (v * torch.tensor([1.0, 2.0])).sum().backward()
    return v, i, x.grad


@program
def min_dim_0d(torch):
    x = torch.tensor(3.0, requires_grad=True)
    v, i = x.min(0)
    v.backward()
    return v, i, x.grad


@program
def max_dim_double_backward(torch):
    x = torch.randn(3, 4, requires_grad=True)
    v = x.max(1).values
    (g,) = torch.autograd.grad((v**2).sum(), x, create_graph=True)
    g.sum().backward()
    return g, x.grad


@program
def std_double_backward(torch):
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.std(1).sum(), x, create_graph=True)
    (g**2).sum().backward()
    return g, x.grad


@program
def logsumexp_double_backward(torch):
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.logsumexp(1).sum(), x, create_graph=True)
    (g**2).sum().backward()
    return g, x.grad


@program
def addmm_double_backward(torch):
    m = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    a = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    b = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
    (ga, gb) = torch.autograd.grad(
        (torch.addmm(m, a, b, alpha=2) ** 2).sum(), (a, b), create_graph=True
    )
    (ga.sum() + (gb**2).sum()).backward()
    return ga, gb, m.grad, a.grad, b.grad


@program
def addmm_only_mat1_requires_grad(torch):
    a = torch.randn(3, 4, requires_grad=True)
    out = torch.addmm(torch.zeros(3, 2), a, torch.randn(4, 2))
    out.sum().backward()
    return walk(out.grad_fn), a.grad


@program
def addmm_integers(torch):
    m = torch.arange(6).reshape(3, 2)
    a = torch.arange(12).reshape(3, 4)
    return torch.addmm(m, a, a.T[:, :2], beta=2, alpha=3), torch.addbmm(
        m, a[None], a.T[None, :, :2]
    )


@program
def addmm_beta_zero_ignores_nan(torch):
    m = torch.full((3, 2), float("nan"), requires_grad=True)
    a = torch.randn(3, 4)
    out = torch.addmm(m, a, torch.randn(4, 2), beta=0)
    out.sum().backward()
    return out, m.grad


@program
def addr_integer_vectors_float_input(torch):
    return torch.addr(torch.ones(2, 3), torch.arange(2), torch.arange(3), alpha=1.5)


@program
def linear_layer_graph(torch):
    lin = torch.nn.Linear(4, 2)
    x = torch.randn(3, 4, requires_grad=True)
    out = torch.addmm(lin.bias, x, lin.weight.t())
    out.sum().backward()
    return walk(out.grad_fn), x.grad, lin.weight.grad, lin.bias.grad


@program
def sum_dtype_bool(torch):
    return torch.tensor([[0, 2], [0, 0]]).sum(1, dtype=torch.bool)


@program
def sum_dtype_int32_of_float(torch):
    x = torch.tensor([1.5, 2.7, -0.5])
    return x.sum(dtype=torch.int32)


@program
def sum_int_dtype_float16(torch):
    x = torch.tensor([[1, 2], [3, 4]], dtype=torch.int8)
    return x.sum(0, dtype=torch.float16), x.sum(dtype=torch.int16)


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied")
def addmm_shape_mismatch(torch):
    return torch.addmm(torch.zeros(3, 2), torch.randn(3, 4), torch.randn(5, 2))


@error(RuntimeError, r"self and mat2 must have the same dtype, but got Float and Double")
def addbmm_batch2_dtype(torch):
    return torch.addbmm(torch.zeros(3, 2), torch.randn(2, 3, 4), torch.randn(2, 4, 2).double())


@error(RuntimeError, r"size mismatch")
def addmv_vec_size(torch):
    return torch.addmv(torch.zeros(3), torch.randn(3, 4), torch.randn(5))


@error(RuntimeError, r"std and var only support floating point and complex dtypes")
def var_integer(torch):
    return torch.arange(4).var()


test_program = SWEEP.test()


def _leaf(*shape):
    return minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)


GRADCHECKS = {
    "var": (lambda x: x.var(1), (3, 4)),
    "std_keepdim": (lambda x: x.std(0, keepdim=True), (3, 4)),
    "std_all": (lambda x: x.std(), (3, 4)),
    "var_mean": (lambda x: minitorch.var_mean(x, 1, correction=0), (3, 4)),
    "std_mean": (lambda x: minitorch.std_mean(x, (0, 2)), (2, 3, 2)),
    "logsumexp": (lambda x: x.logsumexp(1), (3, 4)),
    "logsumexp_keepdim": (lambda x: x.logsumexp((0, 1), keepdim=True), (3, 4)),
    "max_dim": (lambda x: x.max(1).values, (3, 4)),
    "min_dim_keepdim": (lambda x: x.min(0, keepdim=True).values, (3, 4)),
    "median_dim": (lambda x: x.median(1).values, (3, 5)),
    "kthvalue": (lambda x: x.kthvalue(2, 0).values, (3, 4)),
    "sum_dtype": (lambda x: x.sum(1, dtype=minitorch.float64), (3, 4)),
    "mean_dtype": (lambda x: x.mean(0, dtype=minitorch.float64), (3, 4)),
    "addmm_broadcast": (
        lambda m, a, b: minitorch.addmm(m, a, b, beta=0.5, alpha=2),
        (2,),
        (3, 4),
        (4, 2),
    ),
    "addmv": (lambda v, m, w: minitorch.addmv(v, m, w, alpha=-1), (1,), (3, 4), (4,)),
    "baddbmm_broadcast": (
        lambda i, a, b: minitorch.baddbmm(i, a, b, beta=2),
        (3, 1),
        (2, 3, 4),
        (2, 4, 2),
    ),
    "addbmm": (lambda i, a, b: minitorch.addbmm(i, a, b, alpha=1.5), (3, 2), (2, 3, 4), (2, 4, 2)),
    "addr": (lambda m, u, v: minitorch.addr(m, u, v, beta=0.5, alpha=3), (3, 1), (3,), (4,)),
    "square": (lambda x: x.square(), (3, 4)),
    "frac": (lambda x: (x * 3).frac(), (3, 4)),
    "trace": (lambda x: x.trace(), (3, 4)),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck(name):
    fn, *shapes = GRADCHECKS[name]
    minitorch.manual_seed(0)
    args = tuple(_leaf(*s) for s in shapes)
    assert gradcheck(fn, args) and gradgradcheck(fn, args)


def test_moments_one_node_on_the_input():
    x = _leaf(3, 4)
    for out in (x.var(1), x.std(), *minitorch.std_mean(x, 0)):
        assert [n for n, _ in out.grad_fn.next_functions] == [x.grad_fn or x._accumulator()]


@program
def var_dim_correction_beyond_count(torch):
    x = torch.tensor([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]], requires_grad=True)
    v = x.var(1, correction=3)
    s = x.std(1, correction=4)
    (v.sum() + s.sum()).backward()
    return v, s, x.grad


@program
def std_mean_single_element_dof_zero(torch):
    x = torch.tensor([[2.0], [5.0]], requires_grad=True)
    s, m = torch.std_mean(x)
    (s + m).backward()
    return s, m, x.grad


@program
def trace_integers_and_square_bool(torch):
    m = torch.arange(12, dtype=torch.int32).reshape(3, 4)
    return m.trace(), torch.tensor([True, False]).square(), torch.tensor([-2.5, 1.25]).frac()


@error(RuntimeError, r"trace: expected a matrix")
def trace_of_vector(torch):
    return torch.ones(3).trace()
