"""Session 13 sweep (the lead's own programs): small behaviours found beside the helpers'
sweeps of PyTorch's test files, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _view_facts(t, base):
    return t is base, t.is_leaf, t._is_view(), t.grad_fn.name() if t.grad_fn else None


@program
def expand_to_own_shape_is_a_new_view(torch):
    w = torch.ones(2, 3, requires_grad=True)
    facts = [
        _view_facts(y, w)
        for y in (w.expand(2, 3), w.expand(-1, 3), w.expand_as(w), torch.broadcast_to(w, (2, 3)))
    ]
    y = w.expand(2, 3)
    (y * torch.arange(6.0).reshape(2, 3)).sum().backward()
    return facts, w.grad


@program
def broadcast_tensors_keeps_a_full_shape_input(torch):
    w = torch.ones(2, 3, requires_grad=True)
    a, b = torch.broadcast_tensors(w, torch.ones(1, 3))
    return _view_facts(a, w), _view_facts(b, None)[1:], b.shape


@program
def expand_of_no_grad_tensor_shares_memory(torch):
    x = torch.zeros(3)
    y = x.expand(3)
    y[0] = 5.0
    return x, y._is_view(), y._base is x


@program
def operand_saved_only_for_an_unwanted_gradient_may_change(torch):
    # PyTorch saves x in x * ft only for ft's gradient, which nobody wants here
    mu = torch.ones(1, requires_grad=True)
    x, loss = torch.empty(1), 0
    for i in range(3):
        x.detach_()
        x.copy_(mu + i)
        loss = loss + (x * torch.tensor([float(i)])).sum()
    loss.backward()
    a = torch.ones(3, requires_grad=True) * 2
    c, d = a * torch.arange(3.0), a / torch.arange(1.0, 4.0)
    a.add_(1)
    (c.sum() + d.sum()).backward()
    return mu.grad


@program
def weight_changed_between_forward_and_backward_of_a_first_layer(torch):
    torch.manual_seed(0)
    lin, x = torch.nn.Linear(3, 2), torch.randn(4, 3)
    w = torch.randn(3, 2, requires_grad=True)
    out, out2 = lin(x), x @ w
    with torch.no_grad():
        lin.weight.add_(1)
        w.add_(1)
    (out.sum() + out2.sum()).backward()
    return lin.weight.grad, lin.bias.grad, w.grad


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified")
def operand_needed_by_a_wanted_gradient_still_checked(torch):
    w, x = torch.randn(3, 2, requires_grad=True), torch.randn(4, 3)
    out = x @ w
    x.add_(1)
    out.sum().backward()


@error(RuntimeError, r"one of the variables needed for gradient computation has been modified")
def divisor_always_checked(torch):
    y, a = torch.ones(3, requires_grad=True) * 2, torch.arange(1.0, 4.0)
    c = a / y
    a.add_(1)
    c.sum().backward()


@program
def cholesky_solve_and_inverse_read_only_the_factors_triangle(torch):
    torch.manual_seed(0)
    a = torch.randn(2, 3, 3, dtype=torch.float64)
    lower = torch.linalg.cholesky(a @ a.mT + 3 * torch.eye(3, dtype=torch.float64))
    junk_lower = (lower + 5 * torch.ones(3, 3, dtype=torch.float64).triu(1)).requires_grad_()
    junk_upper = (lower.mT + 7 * torch.ones(3, 3, dtype=torch.float64).tril(-1)).requires_grad_()
    b = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)  # batch dims broadcast
    outs = [
        torch.cholesky_solve(b, junk_lower),
        torch.cholesky_solve(b, junk_upper, upper=True),
        torch.cholesky_inverse(junk_lower[0]),
        torch.cholesky_inverse(junk_upper[1], upper=True),
    ]
    sum(o.sin().sum() for o in outs).backward()  # the gradient treats the factor as dense
    return outs, [o.grad_fn.name() for o in outs], junk_lower.grad, junk_upper.grad, b.grad


@program
def cross_entropy_mean_with_every_target_ignored(torch):
    grads = []
    for dtype in (torch.float32, torch.float64):
        x = torch.tensor([[0.1, 0.2, 0.3], [0.3, -0.2, 0.5]], dtype=dtype, requires_grad=True)
        loss = torch.nn.CrossEntropyLoss(ignore_index=1)(x, torch.tensor([1, 1]))
        loss.backward()
        grads += [loss, x.grad]
    return grads


@program
def bilinear_under_autocast_rounds_products_and_keeps_the_inputs_dtype(torch):
    torch.manual_seed(0)
    outs = []
    for bias in (False, True):
        m = torch.nn.Bilinear(3, 4, 2, bias=bias)
        a, b = torch.randn(5, 3), torch.randn(5, 4)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            y = m(a, b)
        outs += [y, y.dtype]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        low = torch.nn.functional.bilinear(a.bfloat16(), b.bfloat16(), m.weight.bfloat16())
    return outs, low.float(), low.dtype


@error(
    RuntimeError,
    r"All tensors must have the same dtype, got input1: float, input2: float, weight: c10::Half",
)
def bilinear_of_mixed_dtypes(torch):
    a, b = torch.randn(5, 3), torch.randn(5, 4)
    return torch.nn.functional.bilinear(a, b, torch.randn(2, 3, 4).half())
