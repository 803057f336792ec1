"""Compatibility sweep 14: matrix products and their scaled forms (einsum, tensordot, the
add*-family with alpha/beta, mv/dot/vdot/inner/outer/kron, chain_matmul/multi_dot, matmul
broadcasting, empty and integer products) against PyTorch."""

import pytest
from sweep_harness import Sweep

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


@pytest.mark.parametrize("name", SWEEP.programs)
def test_program(name, torch):
    SWEEP.check(name, torch)
