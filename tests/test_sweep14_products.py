"""Compatibility sweep 14: matrix products and their scaled forms (einsum, tensordot, the
add*-family with alpha/beta, mv/dot/vdot/inner/outer/kron, chain_matmul/multi_dot, matmul
broadcasting, empty and integer products) against PyTorch."""

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _x(torch, *shape, dtype=None, seed=0, grad=False):
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(*shape, generator=g, dtype=dtype or torch.float32)
    return t.requires_grad_() if grad else t


@program
def einsum_ellipsis_batch(torch):
    a, b = _x(torch, 2, 3, 4, grad=True), _x(torch, 2, 4, 5, seed=1, grad=True)
    y = torch.einsum("...ij,...jk->...ik", a, b)
    y.sum().backward()
    return y, a.grad, b.grad


@program
def einsum_diagonal_repeated(torch):
    a = _x(torch, 4, 4, grad=True)
    d = torch.einsum("ii->i", a)
    t = torch.einsum("ii", a)
    (d.sum() * 2 + t).backward()
    return d, t, a.grad


@program
def einsum_implicit_output(torch):
    a, b = _x(torch, 3, 4), _x(torch, 4, 2, seed=1)
    return torch.einsum("ij,jk", a, b), torch.einsum("ba", a), torch.einsum("i,i", a[0], a[1])


@program
def einsum_sublist(torch):
    a, b = _x(torch, 3, 4), _x(torch, 4, 2, seed=1)
    return torch.einsum(a, [0, 1], b, [1, 2], [0, 2]), torch.einsum(a, [Ellipsis, 1], b, [1, 2])


@program
def einsum_zero_dim(torch):
    a = torch.tensor(3.0, requires_grad=True)
    b = _x(torch, 3)
    y = torch.einsum(",i->i", a, b)
    y.sum().backward()
    return y, a.grad, torch.einsum("->", a)


@program
def einsum_broadcast_size1(torch):
    a, b = _x(torch, 1, 3, 4), _x(torch, 5, 4, 2, seed=1)
    return torch.einsum("bij,bjk->bik", a, b)


@program
def einsum_path_argument(torch):
    a, b, c = _x(torch, 3, 4), _x(torch, 4, 5, seed=1), _x(torch, 5, 2, seed=2)
    return torch.einsum("ij,jk,kl->il", a, b, c)


@program
def einsum_list_operands(torch):
    a, b = _x(torch, 3, 4), _x(torch, 4, seed=1)
    return torch.einsum("ij,j->i", [a, b])


@program
def einsum_int(torch):
    a = torch.arange(12).reshape(3, 4)
    return torch.einsum("ij,kj->ik", a, a), torch.einsum("ij->", a)


@program
def einsum_float64_outer_spaces(torch):
    a, b = _x(torch, 3, dtype=torch.float64), _x(torch, 2, dtype=torch.float64, seed=1)
    return torch.einsum("i, j -> ij", a, b)


@program
def einsum_batch_diag_ellipsis(torch):
    a = _x(torch, 2, 3, 3, grad=True)
    y = torch.einsum("...ii->...i", a)
    y.pow(2).sum().backward()
    return y, a.grad


@program
def einsum_float16(torch):
    a, b = _x(torch, 3, 4).half(), _x(torch, 4, 2, seed=1).half()
    return torch.einsum("ij,jk->ik", a, b)


@error(RuntimeError, r"einsum\(\)")
def einsum_bad_operand_count(torch):
    return torch.einsum("ij,jk->ik", _x(torch, 2, 3))


@error(RuntimeError, r"einsum\(\)")
def einsum_bad_size(torch):
    return torch.einsum("ij,jk->ik", _x(torch, 2, 3), _x(torch, 4, 2))


@error(RuntimeError, r"einsum\(\)")
def einsum_output_repeated(torch):
    return torch.einsum("ij->ii", _x(torch, 2, 2))


@program
def tensordot_int_dims(torch):
    a, b = _x(torch, 3, 4, 5, grad=True), _x(torch, 4, 5, 6, seed=1, grad=True)
    y = torch.tensordot(a, b, dims=2)
    y.sum().backward()
    return y, a.grad, b.grad, torch.tensordot(a, b, 0).shape


@program
def tensordot_pair_dims(torch):
    a, b = _x(torch, 3, 4, 5), _x(torch, 5, 3, 2, seed=1)
    return torch.tensordot(a, b, dims=([0, 2], [1, 0])), torch.tensordot(a, b, dims=([2], [0]))


@program
def tensordot_tensor_dims(torch):
    a, b = _x(torch, 3, 4), _x(torch, 4, 5, seed=1)
    return torch.tensordot(a, b, dims=torch.tensor([[1], [0]])), torch.tensordot(a, b, dims=1)


@program
def tensordot_int_tensors(torch):
    a = torch.arange(24).reshape(2, 3, 4)
    return torch.tensordot(a, a, dims=([1, 2], [1, 2]))


@error(RuntimeError, r"contracted dimensions need to match")
def tensordot_mismatch(torch):
    return torch.tensordot(_x(torch, 3, 4), _x(torch, 5, 2), dims=1)


@program
def addmm_beta0_nan(torch):
    inp = torch.full((2, 3), float("nan"))
    m1, m2 = _x(torch, 2, 4), _x(torch, 4, 3, seed=1)
    return torch.addmm(inp, m1, m2, beta=0), torch.addmm(inp, m1, m2, beta=0, alpha=2)


@program
def addmm_grads_broadcast(torch):
    inp = _x(torch, 3, grad=True)
    m1, m2 = _x(torch, 2, 4, seed=1, grad=True), _x(torch, 4, 3, seed=2, grad=True)
    y = torch.addmm(inp, m1, m2, beta=0.5, alpha=2.0)
    (y * torch.arange(6.0).reshape(2, 3)).sum().backward()
    return y, inp.grad, m1.grad, m2.grad


@program
def addmm_int_alpha_beta(torch):
    inp = torch.ones(2, 2, dtype=torch.int64)
    m = torch.arange(4).reshape(2, 2)
    return torch.addmm(inp, m, m, beta=2, alpha=3), torch.addmm(inp, m, m)


@program
def addmm_int_float_alpha_truncates(torch):
    inp = torch.ones(2, 2, dtype=torch.int64)
    m = torch.arange(4).reshape(2, 2)
    b = torch.arange(8, dtype=torch.int32).reshape(2, 2, 2)
    return (
        torch.addmm(inp, m, m, alpha=0.5),
        torch.addmm(inp, m, m, alpha=2.7, beta=1.5),
        torch.addmv(inp[0], m, m[0], beta=0.5),
        torch.baddbmm(b, b, b, alpha=-1.5),
        torch.addbmm(b[0], b, b, beta=2.9),
        torch.addr(inp.float(), m[0], m[1], alpha=1.5),
    )


@error(RuntimeError, r"For integral input tensors, argument beta must not be a floating point")
def addr_int_float_beta(torch):
    m = torch.arange(4).reshape(2, 2)
    return torch.addr(torch.ones(2, 2, dtype=torch.int64), m[0], m[1], beta=0.5, alpha=0.5)


@program
def addmm_out(torch):
    inp, m1, m2 = _x(torch, 2, 3), _x(torch, 2, 4, seed=1), _x(torch, 4, 3, seed=2)
    out = torch.empty(2, 3)
    r = torch.addmm(inp, m1, m2, out=out)
    return out, r is out


@program
def addmm_method_inplace(torch):
    inp, m1, m2 = _x(torch, 2, 3), _x(torch, 2, 4, seed=1), _x(torch, 4, 3, seed=2)
    a = inp.addmm(m1, m2, beta=0.5)
    inp.addmm_(m1, m2, alpha=2)
    return a, inp


@program
def addmv_beta0_nan(torch):
    inp = torch.full((2,), float("nan"))
    return torch.addmv(inp, _x(torch, 2, 3), _x(torch, 3, seed=1), beta=0)


@program
def addmv_grads(torch):
    inp, m, v = (
        _x(torch, 1, grad=True),
        _x(torch, 2, 3, seed=1, grad=True),
        _x(torch, 3, seed=2, grad=True),
    )
    y = torch.addmv(inp, m, v, beta=2, alpha=-1)
    (y * torch.tensor([1.0, 3.0])).sum().backward()
    return y, inp.grad, m.grad, v.grad


@program
def addr_beta0_nan_and_grads(torch):
    inp = torch.full((2, 3), float("nan"))
    v1, v2 = _x(torch, 2, grad=True), _x(torch, 3, seed=1, grad=True)
    y = torch.addr(inp, v1, v2, beta=0, alpha=2)
    y.sum().backward()
    return y, v1.grad, v2.grad


@program
def addr_int(torch):
    a = torch.arange(3)
    return torch.addr(torch.ones(3, 3, dtype=torch.int64), a, a, beta=2, alpha=3)


@program
def addr_bool(torch):
    a = torch.tensor([True, False])
    return torch.addr(torch.tensor([[False, True], [False, False]]), a, a)


@program
def baddbmm_beta0_nan(torch):
    inp = torch.full((2, 3, 3), float("nan"))
    return torch.baddbmm(inp, _x(torch, 2, 3, 4), _x(torch, 2, 4, 3, seed=1), beta=0, alpha=0.5)


@program
def baddbmm_grads_broadcast(torch):
    inp = _x(torch, 3, 1, grad=True)
    b1, b2 = _x(torch, 2, 3, 4, seed=1, grad=True), _x(torch, 2, 4, 5, seed=2, grad=True)
    y = torch.baddbmm(inp, b1, b2, beta=0.3, alpha=1.5)
    y.sum().backward()
    return y, inp.grad, b1.grad, b2.grad


@program
def addbmm_beta0_nan_and_grads(torch):
    inp = torch.full((3, 5), float("nan"))
    b1, b2 = _x(torch, 2, 3, 4, seed=1, grad=True), _x(torch, 2, 4, 5, seed=2, grad=True)
    y = torch.addbmm(inp, b1, b2, beta=0)
    y.sum().backward()
    return y, b1.grad, b2.grad


@program
def addbmm_int(torch):
    b = torch.arange(12).reshape(3, 2, 2)
    return torch.addbmm(torch.ones(2, 2, dtype=torch.int64), b, b, alpha=2)


@program
def bmm_int_and_out(torch):
    b = torch.arange(12).reshape(3, 2, 2)
    out = torch.empty(3, 2, 2, dtype=torch.int64)
    torch.bmm(b, b, out=out)
    return torch.bmm(b, b), out


@error(RuntimeError, r"batch1 must be a 3D tensor|3D")
def bmm_2d(torch):
    return torch.bmm(_x(torch, 2, 3), _x(torch, 3, 2))


@error(RuntimeError, r"expected scalar type Float but found Double")
def bmm_dtype_mismatch(torch):
    return torch.bmm(_x(torch, 2, 2, 3), _x(torch, 2, 3, 2, dtype=torch.float64))


@error(RuntimeError, r"expected scalar type Double but found Float")
def matmul_batched_dtype_mismatch(torch):
    return torch.matmul(_x(torch, 3, dtype=torch.float64), _x(torch, 2, 3, 2))


@error(RuntimeError, r"expected scalar type Float but found Double")
def baddbmm_batch2_dtype_mismatch(torch):
    return torch.baddbmm(
        _x(torch, 2, 2, 2), _x(torch, 2, 2, 3), _x(torch, 2, 3, 2, dtype=torch.float64)
    )


@error(
    RuntimeError, r"addmv input tensors must have the same dtype, but got Double, Float, and Double"
)
def mv_dtype_mismatch(torch):
    return torch.mv(_x(torch, 2, 3), _x(torch, 3, dtype=torch.float64))


@error(
    RuntimeError, r"addmv input tensors must have the same dtype, but got Float, Double, and Float"
)
def matmul_nd_vec_dtype_mismatch(torch):
    return _x(torch, 2, 2, 3, dtype=torch.float64) @ _x(torch, 3)


@error(RuntimeError, r"dot : expected both vectors to have same dtype, but found Float and Double")
def matmul_vec_vec_dtype_mismatch(torch):
    return _x(torch, 3) @ _x(torch, 3, dtype=torch.float64)


@error(RuntimeError, r"both inputs should have same dtype")
def tensordot_dtype_mismatch(torch):
    return torch.tensordot(_x(torch, 2, 2), _x(torch, 2, 2, dtype=torch.float64))


@program
def mv_dot_vdot_inner(torch):
    m, v, w = _x(torch, 3, 4), _x(torch, 4, seed=1), _x(torch, 4, seed=2)
    return torch.mv(m, v), torch.dot(v, w), torch.vdot(v, w), torch.inner(v, w), torch.inner(m, m)


@program
def dot_int_and_grads(torch):
    a = torch.arange(5)
    v, w = _x(torch, 4, grad=True), _x(torch, 4, seed=1, grad=True)
    y = torch.dot(v, w)
    y.backward()
    return torch.dot(a, a), y, v.grad, w.grad


@error(RuntimeError, r"1D tensors expected")
def dot_2d(torch):
    return torch.dot(_x(torch, 2, 2), _x(torch, 2, 2))


@error(RuntimeError, r"inconsistent tensor size")
def dot_size_mismatch(torch):
    return torch.dot(_x(torch, 3), _x(torch, 4))


@error(RuntimeError, r"dot : expected both vectors to have same dtype")
def dot_dtype_mismatch(torch):
    return torch.dot(_x(torch, 3), _x(torch, 3, dtype=torch.float64))


@program
def inner_scalar_and_nd(torch):
    a, b = _x(torch, 2, 3, 4), _x(torch, 5, 4, seed=1)
    return torch.inner(a, b), torch.inner(torch.tensor(2.0), a)


@program
def outer_ger_int(torch):
    a, b = torch.arange(3), torch.arange(4.0)
    return torch.outer(a, b), torch.ger(b, b), a.outer(a)


@program
def kron_shapes_and_grads(torch):
    a, b = _x(torch, 2, 3, grad=True), _x(torch, 4, 2, 2, seed=1, grad=True)
    y = torch.kron(a, b)
    (y * y).sum().backward()
    return y, a.grad, b.grad, torch.kron(torch.arange(3), torch.arange(2))


@program
def chain_matmul_multi_dot(torch):
    a, b, c = _x(torch, 3, 4), _x(torch, 4, 5, seed=1), _x(torch, 5, 2, seed=2)
    v = _x(torch, 3, seed=3)
    return (
        torch.linalg.multi_dot([a, b, c]),
        torch.linalg.multi_dot([v, a, b]),
        torch.linalg.multi_dot([v, a, b, c, _x(torch, 2, seed=4)]),
        torch.chain_matmul(a, b, c),
    )


@program
def multi_dot_grads(torch):
    a, b = _x(torch, 3, 4, grad=True), _x(torch, 4, seed=1, grad=True)
    y = torch.linalg.multi_dot([a, b])
    y.sum().backward()
    return y, a.grad, b.grad


@program
def matmul_1d_nd_broadcast(torch):
    v, m = _x(torch, 4, grad=True), _x(torch, 2, 3, 4, 5, seed=1, grad=True)
    y = torch.matmul(v, m)
    z = torch.matmul(m.transpose(-1, -2), v)
    (y.sum() + z.sum()).backward()
    return y, z, v.grad, m.grad


@program
def matmul_batch_broadcast(torch):
    a, b = _x(torch, 2, 1, 3, 4, grad=True), _x(torch, 5, 4, 2, seed=1, grad=True)
    y = a @ b
    y.sum().backward()
    return y, a.grad, b.grad


@program
def matmul_empty_k0(torch):
    a, b = torch.ones(3, 0, requires_grad=True), torch.ones(0, 2, requires_grad=True)
    y = a @ b
    y.sum().backward()
    return (
        y,
        a.grad,
        b.grad,
        torch.addmm(torch.ones(3, 2), a, b, beta=2),
        torch.dot(torch.ones(0), torch.ones(0)),
    )


@program
def matmul_empty_batch(torch):
    return (torch.ones(0, 2, 3) @ torch.ones(3, 4)).shape, torch.bmm(
        torch.ones(0, 2, 3), torch.ones(0, 3, 1)
    )


@program
def matmul_int_types(torch):
    a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
    b = torch.arange(6, dtype=torch.int16).reshape(3, 2)
    c = torch.arange(6, dtype=torch.uint8).reshape(3, 2)
    return a @ a.T, b.T @ b, c.T @ c, torch.mm(a, a.T)


@program
def matmul_float16_float64(torch):
    a = _x(torch, 3, 4)
    return a.half() @ a.half().T, a.double() @ a.double().T


@error(RuntimeError, r"expected .*dtype|same dtype|dtype")
def matmul_mixed_dtype(torch):
    return _x(torch, 2, 3) @ _x(torch, 3, 2, dtype=torch.float64)


@error(RuntimeError, r"both arguments to matmul need to be at least 1D")
def matmul_0d(torch):
    return torch.matmul(torch.tensor(1.0), _x(torch, 3))


@error(RuntimeError, r"cannot be multiplied|shapes")
def matmul_shape_mismatch(torch):
    return _x(torch, 2, 3) @ _x(torch, 4, 2)


@error(RuntimeError, r"size mismatch|cannot be multiplied")
def mv_mismatch(torch):
    return torch.mv(_x(torch, 2, 3), _x(torch, 4))


@program
def matmul_out_and_noncontig(torch):
    a = _x(torch, 4, 3).T
    b = _x(torch, 6, 4, seed=1)[::2]
    out = torch.empty(3, 4)
    torch.matmul(a, b.T.contiguous(), out=out)
    return out, a @ b.T, torch.mm(a, b.T)


@program
def linear_1d_and_nobias(torch):
    x, w = _x(torch, 4), _x(torch, 3, 4, seed=1)
    F = torch.nn.functional
    return F.linear(x, w), F.linear(x, w, torch.ones(3)), F.linear(_x(torch, 2, 5, 4), w)


@program
def bilinear_values_grads(torch):
    x1, x2 = _x(torch, 3, 2, grad=True), _x(torch, 3, 4, seed=1, grad=True)
    w, b = _x(torch, 5, 2, 4, seed=2, grad=True), _x(torch, 5, seed=3)
    y = torch.nn.functional.bilinear(x1, x2, w, b)
    y.sum().backward()
    return y, x1.grad, x2.grad, w.grad


@program
def gradgrad_matmul_family(torch):
    a = _x(torch, 3, 4, dtype=torch.float64, grad=True)
    b = _x(torch, 4, 2, dtype=torch.float64, seed=1, grad=True)
    y = torch.addmm(torch.ones(3, 2, dtype=torch.float64), a, b, beta=0.5, alpha=2)
    (ga,) = torch.autograd.grad(y.pow(2).sum(), a, create_graph=True)
    ga.sum().backward()
    return ga, b.grad


@program
def out_forms(torch):
    m, v = _x(torch, 3, 4), _x(torch, 4, seed=1)
    b1, b2 = _x(torch, 2, 3, 4, seed=2), _x(torch, 2, 4, 3, seed=3)
    o = [
        torch.empty(3),
        torch.empty(()),
        torch.empty(2, 3, 3),
        torch.empty(3, 3),
        torch.empty(3, 4),
    ]
    torch.mv(m, v, out=o[0])
    torch.dot(v, v, out=o[1])
    torch.baddbmm(torch.zeros(3, 3), b1, b2, out=o[2])
    torch.addbmm(torch.zeros(3, 3), b1, b2, alpha=2, out=o[3])
    torch.outer(m[:, 0], v, out=o[4])
    return o


@program
def out_resize_wrong_shape(torch):
    a, b = _x(torch, 2, 3), _x(torch, 3, 4, seed=1)
    out = torch.empty(0)
    torch.mm(a, b, out=out)
    out2 = torch.empty(8)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        torch.matmul(a, b, out=out2)
    return out, out2


@program
def addmm_inplace_method_variants(torch):
    inp = torch.zeros(3, 3)
    b1, b2 = _x(torch, 2, 3, 4), _x(torch, 2, 4, 3, seed=1)
    inp.addbmm_(b1, b2, beta=0, alpha=0.5)
    x = torch.zeros(2, 3, 3)
    x.baddbmm_(b1, b2)
    v = torch.ones(3)
    v.addmv_(inp, torch.ones(3), beta=0.5)
    r = torch.ones(3, 4)
    r.addr_(torch.ones(3), torch.arange(4.0), alpha=2)
    return inp, x, v, r


@program
def addmm_float16(torch):
    inp = _x(torch, 2, 3).half()
    return torch.addmm(
        inp, _x(torch, 2, 4, seed=1).half(), _x(torch, 4, 3, seed=2).half(), beta=0.5, alpha=2
    )


@program
def addmm_float64_grads_scalars(torch):
    inp = _x(torch, 2, 3, dtype=torch.float64, grad=True)
    m1 = _x(torch, 2, 4, dtype=torch.float64, seed=1, grad=True)
    m2 = _x(torch, 4, 3, dtype=torch.float64, seed=2, grad=True)
    y = torch.addmm(inp, m1, m2, beta=0, alpha=0)
    y.sum().backward()
    return y, inp.grad, m1.grad, m2.grad


@program
def vdot_inner_grads(torch):
    a, b = _x(torch, 4, grad=True), _x(torch, 4, seed=1, grad=True)
    c, d = _x(torch, 2, 4, seed=2, grad=True), _x(torch, 3, 4, seed=3, grad=True)
    (torch.vdot(a, b) + torch.inner(c, d).sum()).backward()
    return a.grad, b.grad, c.grad, d.grad, torch.vdot(torch.arange(3), torch.arange(3))


@program
def kron_0d_and_mismatched_ndim(torch):
    a = _x(torch, 2, 2)
    return (
        torch.kron(torch.tensor(3.0), a),
        torch.kron(_x(torch, 3, seed=1), a),
        torch.kron(a, torch.ones(1, 1, 2)),
    )


@program
def tensordot_zero_dims_and_grad(torch):
    a, b = _x(torch, 2, 3, grad=True), _x(torch, 3, 4, seed=1, grad=True)
    y = torch.tensordot(a, b, dims=0)
    z = torch.tensordot(a, b, dims=([1], [0]))
    (y.sum() + z.pow(2).sum()).backward()
    return y.shape, z, a.grad, b.grad, torch.tensordot(a, a, dims=([-1, 0], [1, 0]))


@program
def einsum_more_forms(torch):
    a, b = _x(torch, 2, 3, 4), _x(torch, 2, 4, 3, seed=1)
    v = _x(torch, 3, seed=2)
    return (
        torch.einsum("bij,bji->b", a, b),
        torch.einsum("bij->jib", a),
        torch.einsum("i,i->", v, v),
        torch.einsum("...,...->...", v, v),
        torch.einsum("i...->...", a),
        torch.einsum("bij,bjk", a, b),
        torch.einsum("iij->ij", torch.ones(3, 3, 2)),
        torch.einsum("ij,ij->ij", a[0], a[1]),
        torch.einsum("a...b,b->a...", a, _x(torch, 4, seed=3)),
    )


@program
def einsum_grads_repeated_operand(torch):
    a = _x(torch, 3, 3, grad=True)
    y = torch.einsum("ij,jk,ki->", a, a, a)
    y.backward()
    return y, a.grad


@program
def einsum_uppercase_and_empty(torch):
    a, b = _x(torch, 2, 3), _x(torch, 3, 0)
    return torch.einsum("Ab,bC->AC", a, b), torch.einsum(
        "ij,jk->ik", torch.ones(2, 0), torch.ones(0, 3)
    )


@program
def einsum_broadcast_ellipsis_size1(torch):
    a, b = _x(torch, 1, 3, 2), _x(torch, 4, 1, 2, seed=1)
    return torch.einsum("...i,...i->...", a, b), torch.einsum(
        "...ij,...jk->...ik", _x(torch, 2, 1, 2, 3), _x(torch, 5, 3, 2, seed=1)
    )


@program
def einsum_int_dtypes(torch):
    a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
    return (
        torch.einsum("ij->j", a),
        torch.einsum("ij,ij->i", a, a),
        torch.einsum("ij->", a.bool().long()),
    )


@error(RuntimeError, r"einsum\(\)")
def einsum_bad_char(torch):
    return torch.einsum("i1,i->", _x(torch, 2), _x(torch, 2))


@error(RuntimeError, r"einsum\(\)")
def einsum_output_not_in_input(torch):
    return torch.einsum("ij->k", _x(torch, 2, 2))


@error(RuntimeError, r"einsum\(\)")
def einsum_too_many_subscripts(torch):
    return torch.einsum("ijk->i", _x(torch, 2, 2))


@error(RuntimeError, r"einsum\(\)")
def einsum_diag_size_mismatch(torch):
    return torch.einsum("ii->i", _x(torch, 2, 3))


@program
def multi_dot_first_last_vector(torch):
    a, b = _x(torch, 3, grad=True), _x(torch, 3, seed=1, grad=True)
    y = torch.linalg.multi_dot([a, _x(torch, 3, 3, seed=2), b])
    y.backward()
    return y, a.grad, b.grad


@error(RuntimeError, r"multi_dot\(\): expected at least 2 tensors but got 1")
def multi_dot_one(torch):
    return torch.linalg.multi_dot([_x(torch, 2, 2)])


@error(RuntimeError, r"multi_dot\(\): the first tensor must be 1D or 2D but got 3D")
def multi_dot_3d(torch):
    return torch.linalg.multi_dot([_x(torch, 2, 2, 2), _x(torch, 2, 2)])


@program
def chain_matmul_single(torch):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = _x(torch, 2, 3)
        return torch.chain_matmul(a), torch.chain_matmul(a, a.T)


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied")
def addmm_shape_mismatch(torch):
    return torch.addmm(torch.zeros(2, 2), _x(torch, 2, 3), _x(torch, 4, 2))


@error(RuntimeError, r"must be a matrix|2-D|matrix")
def addmm_1d_mat(torch):
    return torch.addmm(torch.zeros(2, 2), _x(torch, 3), _x(torch, 3, 2))


@error(RuntimeError, r"addr: Expected 1-D argument vec1, but got 2-D")
def addr_2d_vec(torch):
    return torch.addr(torch.zeros(2, 2), _x(torch, 2, 1), _x(torch, 2))


@error(RuntimeError, r"expand|size")
def addr_bad_input(torch):
    return torch.addr(torch.zeros(3, 2), _x(torch, 2), _x(torch, 2))


@error(RuntimeError, r"multi_dot\(\): the last tensor must be 1D or 2D but got 3D")
def multi_dot_last_3d(torch):
    return torch.linalg.multi_dot([_x(torch, 2, 2), _x(torch, 2, 2, 2)])


@error(RuntimeError, r"multi_dot\(\): tensor 1 must be 2D but got 1D")
def multi_dot_middle_1d(torch):
    return torch.linalg.multi_dot([_x(torch, 2, 2), _x(torch, 2), _x(torch, 2, 2)])


@program
def einsum_int_sums_promote(torch):
    a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
    v = torch.arange(3, dtype=torch.int32)
    return (
        torch.einsum("ij,j->j", a, v),
        torch.einsum("ij,k->k", a, v),
        torch.einsum("i,i->", v, v),
        torch.einsum("ii->", torch.ones(2, 2, dtype=torch.int32)),
        torch.einsum("i->", v.bool()),
        torch.einsum("i->i", v.bool()),
        torch.einsum("ij->j", a.to(torch.int8)),
    )


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor")
def bmm_batch_mismatch(torch):
    return torch.bmm(_x(torch, 2, 2, 3), _x(torch, 3, 3, 2))


@program
def matmul_1d_1d_grads_and_int(torch):
    a, b = _x(torch, 3, grad=True), _x(torch, 3, seed=1, grad=True)
    y = a @ b
    y.backward()
    return (
        y,
        a.grad,
        b.grad,
        torch.arange(3) @ torch.arange(3),
        torch.arange(4).reshape(2, 2) @ torch.arange(2),
    )


@program
def matmul_bool(torch):
    a = torch.tensor([[True, False], [True, True]])
    return torch.mm(a.long(), a.long()), a.float() @ a.float()


@program
def matmul_rmatmul_methods(torch):
    a, b = _x(torch, 2, 3), _x(torch, 3, 2, seed=1)
    c = a.clone()
    return a.matmul(b), a.__matmul__(b), b.__rmatmul__(a), a.mm(b), a.mv(b[:, 0]), c.T.matmul(a)


@program
def matmul_inplace_imatmul(torch):
    a, b = _x(torch, 3, 3), _x(torch, 3, 3, seed=1)
    c = a.clone()
    c @= b
    return c


@program
def linear_int_and_float64(torch):
    F = torch.nn.functional
    x, w = torch.arange(6).reshape(2, 3), torch.arange(12).reshape(4, 3)
    return F.linear(x, w, torch.ones(4, dtype=torch.int64)), F.linear(x.double(), w.double())


@program
def gradgrad_bmm_einsum(torch):
    a = _x(torch, 2, 2, 3, dtype=torch.float64, grad=True)
    b = _x(torch, 2, 3, 2, dtype=torch.float64, seed=1, grad=True)
    y = (
        torch.einsum("bij,bjk->bik", a, b).pow(2).sum()
        + torch.baddbmm(torch.ones(2, 2, 2, dtype=torch.float64), a, b, alpha=0.5).pow(2).sum()
    )
    ga, gb = torch.autograd.grad(y, (a, b), create_graph=True)
    (ga.sum() + gb.pow(2).sum()).backward()
    return ga, gb, a.grad, b.grad


@program
def addmm_0d_and_row_input(torch):
    m1, m2 = _x(torch, 2, 4, seed=1), _x(torch, 4, 3, seed=2)
    t = torch.tensor(1.5, requires_grad=True)
    y = torch.addmm(t, m1, m2, beta=2)
    y.sum().backward()
    return (
        y,
        t.grad,
        torch.addmm(_x(torch, 1, 3), m1, m2),
        torch.addmv(torch.tensor(2.0), m1, m2[:, 0]),
    )


@program
def baddbmm_int_and_bool_beta(torch):
    b = torch.arange(8).reshape(2, 2, 2)
    return torch.baddbmm(b, b, b, beta=True, alpha=2), torch.baddbmm(b, b, b, beta=0)


@program
def matmul_empty_combos(torch):
    e = torch.ones(0, 3)
    return (
        e @ torch.ones(3),
        torch.ones(3) @ torch.ones(3, 0),
        torch.ones(2, 0, 3) @ torch.ones(3),
        torch.ones(4, 0) @ torch.ones(0),
        torch.mv(torch.ones(2, 0), torch.ones(0)),
    )


@program
def matmul_float16_grads(torch):
    a = _x(torch, 2, 3).half().requires_grad_()
    b = _x(torch, 3, 2, seed=1).half().requires_grad_()
    y = a @ b
    y.float().sum().backward()
    return y, a.grad, b.grad


@program
def outer_mixed_promotion(torch):
    return (
        torch.outer(torch.arange(3), torch.ones(2)),
        torch.outer(torch.ones(2, dtype=torch.float16), torch.ones(2)),
        torch.kron(torch.arange(2), torch.ones(2, dtype=torch.float64)),
        torch.outer(torch.tensor([True, False]), torch.tensor([True, True])),
    )


@error(RuntimeError, r"dot : expected both vectors to have same dtype, but found Long and Float")
def dot_int_float(torch):
    return torch.dot(torch.arange(3), torch.ones(3))


@error(RuntimeError, r"both inputs should have same dtype")
def inner_nd_dtype(torch):
    return torch.inner(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))


@program
def einsum_sublist_out_of_order(torch):
    a, b = _x(torch, 3, 4, grad=True), _x(torch, 4, 5, seed=1, grad=True)
    y = torch.einsum(a, [5, 2], b, [2, 7], [7, 5])
    y.sum().backward()
    return y, a.grad, b.grad, torch.einsum(a, [0, 0][:1] + [1], [1])


@program
def einsum_bool_contract(torch):
    a = torch.tensor([[True, False], [True, True]])
    return torch.einsum("ij->ji", a), torch.einsum("ij,ij->ij", a, a)


@program
def tensordot_empty_contraction(torch):
    a, b = torch.ones(2, 0), torch.ones(0, 3)
    return torch.tensordot(a, b, dims=1), torch.tensordot(
        torch.ones(2, 3), torch.ones(3, 2), dims=([], [])
    )


@program
def tensordot_negative_dims(torch):
    a, b = _x(torch, 2, 3, 4), _x(torch, 4, 3, seed=1)
    return torch.tensordot(a, b, dims=([-1, -2], [0, 1])), torch.tensordot(a, b, dims=[[2], [-2]])


test_program = SWEEP.test()


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda a, b: minitorch.einsum("...ij,jk->...ik", a, b), [(2, 1, 3), (3, 2)]),
        (lambda a, b: minitorch.tensordot(a, b, dims=([0], [1])), [(3, 2), (2, 3)]),
        (
            lambda a, b, c: minitorch.addbmm(a, b, c, beta=0.5, alpha=2),
            [(1, 2), (2, 2, 3), (2, 3, 2)],
        ),
        (lambda a, b, c: minitorch.addr(a, b, c, beta=0, alpha=2), [(2,), (3,), (2,)]),
    ],
)
def test_gradcheck_products(fn, shapes):
    gen = np.random.default_rng(0)
    args = [minitorch.tensor(gen.standard_normal(s), requires_grad=True) for s in shapes]
    assert gradcheck(fn, args) and gradgradcheck(fn, args)
