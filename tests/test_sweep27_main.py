"""Session 17 sweep (the lead's own programs), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py): the paths the session's speed work changed keep PyTorch's
values, indices and gradients."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program

test_program_matches_pytorch = SWEEP.test()


def _tied_rows(torch, dtype):
    """Rows of 200 values from a handful of levels: ties at every topk boundary."""
    values = np.random.default_rng(0).integers(0, 4, (6, 200))
    return torch.tensor(values, dtype=dtype)


@program
def topk_of_few_among_many_ties_keeps_pytorch_indices(torch):
    out = []
    for dtype in (torch.float32, torch.int64):
        x = _tied_rows(torch, dtype)
        for k in (1, 3, 7):
            for largest in (True, False):
                for sorted_ in (True, False):
                    values, indices = x.topk(k, 1, largest, sorted_)
                    out += [values, indices]
        out += list(x.T.topk(2, 0))  # along a non-contiguous dim
    return out


@program
def topk_of_few_among_many_with_infinities_and_signed_zeros(torch):
    x = torch.tensor(np.random.default_rng(1).standard_normal((4, 100)))
    x[:, ::7] = float("inf")
    x[:, 3::11] = -0.0
    x[:, 5::13] = 0.0
    x[1, ::3] = float("-inf")
    return [*x.topk(3, 1), *x.topk(3, 1, largest=False), *x.topk(2, 1, sorted=False)]


@program
def topk_gradient_reaches_the_picked_elements(torch):
    x = torch.tensor(np.random.default_rng(2).standard_normal((3, 64)), requires_grad=True)
    values, _ = x.topk(4, 1)
    (values * torch.arange(4.0, dtype=torch.float64)).sum().backward()
    return [values, x.grad]


@program
def tanh_and_sigmoid_gradients_with_and_without_a_graph(torch):
    x = torch.tensor(np.linspace(-4, 4, 9), requires_grad=True)
    out = []
    for fn in (torch.tanh, torch.sigmoid):
        (g,) = torch.autograd.grad(fn(x * 1.5).sum(), x)
        (g2,) = torch.autograd.grad(fn(x * 1.5).sum(), x, create_graph=True)
        (h,) = torch.autograd.grad(g2.sum(), x)
        out += [g, g2, h, g2.requires_grad]
    y = torch.tanh(x.float())
    (gf,) = torch.autograd.grad(y, x, torch.ones(9))
    return out + [gf, y.grad_fn.name()]


@program(tol={"rtol": 1e-10, "atol": 1e-12})
def recurrent_gradients_with_and_without_a_graph(torch):
    torch.manual_seed(0)
    out = []
    x = torch.randn(5, 2, 3, dtype=torch.float64, requires_grad=True)
    for layer in (torch.nn.LSTM(3, 4, 2, bidirectional=True), torch.nn.GRU(3, 4, 2)):
        layer = layer.double()
        y, _ = layer(x)
        grads = torch.autograd.grad(y.square().sum(), [x, *layer.parameters()])
        y, _ = layer(x)
        twice = torch.autograd.grad(y.square().sum(), x, create_graph=True)[0]
        out += [*grads, torch.autograd.grad(twice.sum(), x)[0]]
    for cell in (torch.nn.LSTMCell(3, 4), torch.nn.GRUCell(3, 4)):
        cell = cell.double()
        state = cell(x[0])
        h = state[0] if isinstance(state, tuple) else state
        out += torch.autograd.grad((h * h.detach()).sum(), [x, *cell.parameters()])
    return out


@program(tol={"rtol": 0, "atol": 0})  # the float32 sums bit for bit: the order is PyTorch's
def index_add_of_a_batch_with_duplicates_sums_in_index_order(torch):
    rng = np.random.default_rng(3)
    out = []
    for n, m, rows in ((256, 64, 256), (64, 16, 16), (7, 40, 7), (5, 3, 2)):
        base = torch.tensor(rng.standard_normal((n, m)).astype(np.float32) * 1e3)
        src = torch.tensor(rng.standard_normal((n, m)).astype(np.float32) * 1e-3 + 1)
        index = torch.tensor(rng.integers(0, rows, n))
        out += [base.index_add(0, index, src), base.T.index_add(1, index, src.T)]
        out.append(torch.zeros(n + 2, m).index_add_(0, index, src))
    return out


@program
def sorts_of_bfloat16_put_nan_where_pytorch_does(torch):
    x = torch.tensor(
        [0.0, 1.0, float("nan"), 4.0, 2.0, float("-inf"), 4.0, 3.0, float("nan"), 4.0, 1.0] * 3,
        dtype=torch.bfloat16,
    )
    out = [*x.topk(3), *x.topk(4, largest=False), *x.sort(), *x.sort(descending=True)]
    out += [*x.reshape(3, 11).topk(2, 1), *x.reshape(3, 11).kthvalue(5, 1), x.argsort(stable=True)]
    return [t.float() if t.dtype == torch.bfloat16 else t for t in out]  # numpy has no bfloat16


@program(tol={"rtol": 0, "atol": 0})  # bit for bit: PyTorch's kernels round a + b * c once
def add_with_alpha_and_addcmul_round_once_in_float32(torch):
    rng = np.random.default_rng(4)
    a, b, c = (torch.tensor(rng.standard_normal((64, 33)).astype(np.float32)) for _ in range(3))
    return [
        torch.add(a, b, alpha=0.3),
        torch.sub(a, b, alpha=3.3),
        a.clone().add_(b, alpha=-0.01),
        torch.add(a.T, b.T, alpha=2.7),  # transposed operands
        torch.add(a, b[:1], alpha=1.7),  # broadcast
        torch.addcmul(a, b, c, value=0.3),
        torch.addcmul(a, b, c),
        a.clone().addcmul_(b, c, value=-1.5),
        torch.addcdiv(a, b, c.abs() + 1, value=0.3),
    ]
