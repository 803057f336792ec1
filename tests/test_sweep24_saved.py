"""Sweep 24: what ops save for backward, as PyTorch's. A tensor an op saved must not change
in place before backward (PyTorch's "modified by an inplace operation" error); one it did not
save may. Programs change an input or the output in place between forward and backward."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()

INPLACE = r"modified by an inplace operation"


def _leaf(torch, *shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


# ---- ops that save their input: changing it raises ----------------------------------------
@error(RuntimeError, INPLACE)
def gather_input_changed(torch):
    x = _leaf(torch, 4, 3) * 1
    y = x.gather(0, torch.tensor([[0, 1, 2], [3, 2, 1]]))
    x.add_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def take_along_dim_input_changed(torch):
    x = _leaf(torch, 4, 3) * 1
    y = torch.take_along_dim(x, torch.tensor([[0], [2], [1], [0]]), 1)
    x.mul_(2)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def cummax_input_changed(torch):
    x = _leaf(torch, 5) * 1
    y = torch.cummax(x, 0).values
    x.sub_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def max_pool2d_input_changed(torch):
    x = _leaf(torch, 1, 2, 4, 4) * 1
    y = torch.nn.functional.max_pool2d(x, 2)
    x.relu_()
    y.sum().backward()


@error(RuntimeError, INPLACE)
def max_pool1d_with_indices_input_changed(torch):
    x = _leaf(torch, 2, 6) * 1
    y, _ = torch.nn.functional.max_pool1d(x, 3, return_indices=True)
    x.zero_()
    y.sum().backward()


@error(RuntimeError, INPLACE)
def avg_pool2d_input_changed(torch):
    x = _leaf(torch, 1, 1, 4, 4) * 1
    y = torch.nn.functional.avg_pool2d(x, 2)
    x.mul_(3)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def avg_pool1d_module_input_changed(torch):
    x = _leaf(torch, 1, 2, 6) * 1
    y = torch.nn.AvgPool1d(2)(x)
    x.add_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def nan_to_num_input_changed(torch):
    x = torch.tensor([1.0, float("nan"), float("inf")], requires_grad=True) * 1
    y = torch.nan_to_num(x)
    x.clamp_(max=0)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def ldexp_output_changed(torch):
    x, e = _leaf(torch, 3), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    y = torch.ldexp(x * 1, e)
    y.add_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def ldexp_exponent_changed(torch):
    x, e = _leaf(torch, 3), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    y = torch.ldexp(x, e)
    e.add_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def fmax_operand_changed(torch):
    a, b = _leaf(torch, 4) * 1, _leaf(torch, 4)
    y = torch.fmax(a, b)
    a.neg_()
    y.sum().backward()


@error(RuntimeError, INPLACE)
def fmin_other_changed(torch):
    a, b = _leaf(torch, 4), _leaf(torch, 4) * 1
    y = torch.fmin(a, b)
    b.add_(1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def threshold_input_changed(torch):
    x = _leaf(torch, 6) * 1
    y = torch.nn.Threshold(0.1, 20.0)(x)
    x.mul_(-1)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def prelu_input_changed(torch):
    x, w = _leaf(torch, 2, 3, 4) * 1, torch.tensor([0.25], dtype=torch.float64)
    y = torch.nn.functional.prelu(x, w)
    x.mul_(2)
    y.sum().backward()


@program
def threshold_prelu_fmax_values(torch):
    x = torch.tensor([[1.0, float("nan"), 3.0, -1.0], [0.5, -2.0, 2.0, 0.0]], requires_grad=True)
    w = torch.tensor([0.25], requires_grad=True)
    t = torch.nn.functional.threshold(x, 0.5, -7.25)
    p = torch.nn.functional.prelu(x.mT, w)
    m = torch.fmax(x, x.flip(1))
    (t.sum() + p.sum() + m.sum()).backward()
    names = [type(v.grad_fn).__name__ for v in (t, p, m)]
    return t, p, m, x.grad, w.grad, names, torch.nn.functional.threshold(torch.tensor([1, 5]), 2, 9)


# ---- ops that do not save the tensor changed: backward runs -----------------------------
@program
def ldexp_input_changed(torch):
    x, e = _leaf(torch, 3), _leaf(torch, 3)
    a = x * 1
    y = torch.ldexp(a, e)
    a.mul_(5)
    y.sum().backward()
    return y, x.grad, e.grad, type(y.grad_fn).__name__


@program
def ldexp_double_backward(torch):
    x, e = _leaf(torch, 2, 3), _leaf(torch, 3)
    y = torch.ldexp(x, e)
    gx, ge = torch.autograd.grad((y * y).sum(), (x, e), create_graph=True)
    return gx, ge, torch.autograd.grad((gx * ge).sum(), (x, e))


@program
def kron_operands_changed(torch):
    a, b = _leaf(torch, 2, 3), _leaf(torch, 3, 2)
    ca, cb = a * 1, b * 1
    y = torch.kron(ca, cb)
    ca.mul_(2)
    cb.add_(1)
    y.sum().backward()
    return y, a.grad, b.grad, type(y.grad_fn).__name__


@program
def sort_topk_input_changed(torch):
    x = _leaf(torch, 3, 5)
    c = x * 1
    values = c.sort(1).values
    top = c.topk(2).values
    c.zero_()
    (values.sum() + (top * top).sum()).backward()
    return values, top, x.grad


@program
def quantile_input_changed(torch):
    x = _leaf(torch, 7)
    c = x * 1
    q = torch.quantile(c, torch.tensor([0.25, 0.5], dtype=torch.float64))
    c.add_(1)
    q.sum().backward()
    return q, x.grad


@program
def gather_saves_self(torch):
    x = _leaf(torch, 4, 3)
    y = x.gather(1, torch.tensor([[0], [2], [1], [1]]))
    saved = y.grad_fn._saved_self is x
    (y * y).sum().backward()
    return y, x.grad, saved


@program
def einsum_one_operand_input_changed(torch):
    x = _leaf(torch, 3, 3)
    c = x * 1
    total, moved = torch.einsum("ij->", c), torch.einsum("ij->j", c)
    c.mul_(2)
    (total + (moved * moved).sum()).backward()
    return total, moved, x.grad


@error(RuntimeError, INPLACE)
def einsum_two_operands_other_changed(torch):
    a, b = _leaf(torch, 2, 3), _leaf(torch, 3, 4) * 1
    y = torch.einsum("ij,jk->ik", a, b)
    b.add_(1)
    y.sum().backward()


@program
def linalg_vander_output_changed(torch):
    x = torch.tensor([1.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
    y = torch.linalg.vander(x * 1, N=4)
    y.mul_(3)
    (y * y).sum().backward()
    return y, x.grad


@error(RuntimeError, INPLACE)
def vander_input_changed(torch):
    x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True) * 1
    y = torch.vander(x, N=3)
    x.mul_(2)
    y.sum().backward()


@error(RuntimeError, INPLACE)
def median_input_changed(torch):
    x = torch.tensor([1.0, -2.0, 0.5, 0.5, 3.0], dtype=torch.float64, requires_grad=True) * 1
    m = x.median()
    x.add_(1)
    m.backward()


@program
def median_nanmedian_grads(torch):
    x = torch.tensor([1.0, -2.0, 0.5, 0.5, float("nan"), 3.0], requires_grad=True)
    m, n = x.median(), x.nanmedian()
    (m + n).backward()
    return m, n, x.grad, type(m.grad_fn).__name__


@error(RuntimeError, INPLACE)
def hardsigmoid_input_changed(torch):
    x = _leaf(torch, 5) * 1
    y = torch.nn.Hardsigmoid()(x)
    x.mul_(0.5)
    y.sum().backward()


@program
def hardsigmoid_gradients_every_dtype(torch):
    values = [
        -4.0,
        -3.0,
        -2.9999999,
        -1.0,
        0.0,
        0.3,
        2.9999999,
        3.0,
        5.0,
        float("nan"),
        float("inf"),
    ]
    found = []
    for dtype in (torch.float32, torch.float64, torch.bfloat16, torch.float16):
        x = torch.tensor(values, dtype=dtype, requires_grad=True)
        y = torch.nn.functional.hardsigmoid(x)
        (g,) = torch.autograd.grad((y * y).sum(), x, create_graph=True)
        found += [y.double(), g.double(), g.requires_grad, type(y.grad_fn).__name__]
    return found


@error(RuntimeError, INPLACE)
def index_add_source_changed(torch):
    x, s = _leaf(torch, 4, 2) * 1, _leaf(torch, 3, 2) * 1
    y = x.index_add(0, torch.tensor([0, 2, 2]), s)
    s.mul_(2)
    y.sum().backward()


@program
def index_add_frozen_source_changed(torch):
    x, s = _leaf(torch, 4, 2), torch.ones(3, 2, dtype=torch.float64)
    y = x.index_add(0, torch.tensor([0, 2, 2]), s)
    s.mul_(2)
    (y * y).sum().backward()
    return y, x.grad


@error(RuntimeError, INPLACE)
def cummin_0d_input_changed(torch):
    x = torch.tensor(2.5, dtype=torch.float64, requires_grad=True) * 1
    y = torch.cummin(x, 0).values
    x.mul_(2)
    y.backward()
