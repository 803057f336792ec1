"""A tour of autograd on minitorch, following a typical article on torch.autograd.

Every code example of the article (../shared/autograd-article.txt in the project notes) runs
here for real, with only the import changed, and each printed result is checked with an
assert. Where the article's snippet is wrong, the tour first shows what really happens and
then the right way to write it:

- an in-place op on a leaf that requires grad raises; the update belongs under no_grad;
- ``.grad`` is only filled by ``backward()`` (several snippets print it before calling it);
- for ``d = b * c.detach()``, ``b.grad`` equals ``c``, not ones;
- ``backward(retain_graph=True)`` then ``backward()`` accumulate 2 then 4, a third fails;
- after ``z = grad(y, x, create_graph=True)[0] ** 3`` and ``z.backward()``, ``x.grad`` is 24;
- the ReLU Function must save its input, and with the usual ``input < 0`` mask its gradient
  at 0 is 1;
- an fp16 leaf gets an fp16 gradient, once backward has run;
- ``retain_grad()`` keeps a non-leaf's gradient, once backward has run;
- a Jacobian helper must actually collect its rows.

Run it with ``python examples/autograd_tour.py``; it exits with an error if any claim fails.
"""

from __future__ import annotations

import re

import numpy as np

import minitorch as torch  # the article's code, with only this line changed

torch.manual_seed(0)


def section(title: str, words: str) -> None:
    print(f"\n== {title} ==")
    print(words)


def show(label: str, value) -> None:
    print(f"  {label}: {value if isinstance(value, str) else repr(value)}")


def expect_error(run, pattern: str, error: type = RuntimeError) -> str:
    """Runs ``run``, which must raise ``error`` with a message that matches ``pattern``."""
    try:
        run()
    except error as e:
        message = str(e)
        assert re.search(pattern, message), message
        show(f"raises {error.__name__}", message)
        return message
    raise AssertionError(f"expected a {error.__name__} matching {pattern!r}")


def same(t, values) -> bool:
    """Whether tensor ``t`` holds ``values`` (to float32 rounding)."""
    return np.allclose(t.detach().float().numpy(), np.asarray(values), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------
section(
    "1. A first gradient",
    "y = 2x element by element, so backward with a vector of ones gives dy/dx = 2 for every\n"
    "element of x.",
)
x = torch.randn(3, requires_grad=True)
y = x * 2
y.backward(torch.tensor([1.0, 1.0, 1.0]))
show("x.grad", x.grad)
assert same(x.grad, [2.0, 2.0, 2.0])

# ---------------------------------------------------------------------------------------------
section(
    "2. Gradients through a small graph",
    "The article prints a.grad without ever calling backward(), so the gradients are still\n"
    "empty. After loss.backward(): with d = b * (a + b), dloss/da = b and dloss/db = a + 2b.",
)
a = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)
b = torch.tensor([4, 5, 6], dtype=torch.float32, requires_grad=True)
c = a + b
d = b * c
loss = d.sum()
show("a.grad before backward()", a.grad)
assert a.grad is None and b.grad is None
loss.backward()
show("a.grad after loss.backward()", a.grad)
show("b.grad after loss.backward()", b.grad)
assert same(a.grad, [4.0, 5.0, 6.0])
assert same(b.grad, [9.0, 12.0, 15.0])

# ---------------------------------------------------------------------------------------------
section(
    "3. In-place operations",
    "The article multiplies a leaf that requires grad in place. That would silently rewrite\n"
    "the value the gradient is taken with respect to, so autograd refuses:",
)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
expect_error(lambda: x.mul_(2), "leaf Variable that requires grad .*in-place")
assert same(x, [1.0, 2.0, 3.0]) and x._version == 0  # nothing was changed
print("Changing a leaf's value (as an optimizer step does) belongs under no_grad:")
with torch.no_grad():
    x.mul_(2)
show("x after x.mul_(2) under no_grad", x)
assert same(x, [2.0, 4.0, 6.0]) and x.is_leaf
y = x.sum()
show("x.grad before y.backward()", x.grad)
assert x.grad is None
y.backward()
show("x.grad after y.backward()", x.grad)
assert same(x.grad, [1.0, 1.0, 1.0])
print("In-place ops on results (not leaves) are recorded, and their gradients are exact:")
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = w * 1
h.mul_(2)
h.sum().backward()
show("w.grad for h = w * 1; h.mul_(2)", w.grad)
assert same(w.grad, [2.0, 2.0, 2.0])

# ---------------------------------------------------------------------------------------------
section(
    "4. Training mode: gradients are recorded and stored",
    "By default every op on a tensor that requires grad is recorded.",
)
x = torch.randn(3, requires_grad=True)
y = x * 2
y.backward(torch.tensor([1.0, 1.0, 1.0]))
show("x.grad", x.grad)
assert same(x.grad, [2.0, 2.0, 2.0])

# ---------------------------------------------------------------------------------------------
section(
    "5. Evaluation mode: no_grad records nothing",
    "Inside no_grad the result has no history, and nothing reaches x.grad.",
)
x = torch.randn(3, requires_grad=True)
with torch.no_grad():
    y = x * 2
show("y.requires_grad", y.requires_grad)
show("x.grad", x.grad)
assert not y.requires_grad and y.grad_fn is None and x.grad is None

# ---------------------------------------------------------------------------------------------
section(
    "6. Mixed precision",
    "The gradient of an fp16 leaf is stored in fp16, but only after backward() has run\n"
    "(the article prints it before):",
)
x_fp16 = torch.randn(3, dtype=torch.float16, requires_grad=True)
y_fp32 = (x_fp16.float() * 2).sum()
show("y_fp32.dtype", y_fp32.dtype)
show("x_fp16.grad before backward()", x_fp16.grad)
assert y_fp32.dtype == torch.float32 and x_fp16.grad is None
y_fp32.backward()
show("x_fp16.grad after backward()", x_fp16.grad)
assert x_fp16.grad.dtype == torch.float16 and same(x_fp16.grad, [2.0, 2.0, 2.0])

# ---------------------------------------------------------------------------------------------
section(
    "7. retain_graph",
    "backward() frees the graph's saved values. retain_graph=True keeps them for one more\n"
    "pass; gradients accumulate: 2, then 4. The pass after that finds the graph freed.",
)
z = torch.tensor(1.0, requires_grad=True)
y = z**2
show("z.grad before backward()", z.grad)
assert z.grad is None
y.backward(retain_graph=True)
show("z.grad after y.backward(retain_graph=True)", z.grad)
assert z.grad.item() == 2.0
y.backward()
show("z.grad after a second y.backward()", z.grad)
assert z.grad.item() == 4.0
print("A third backward fails:")
expect_error(lambda: y.backward(), "backward through the graph a second time.*retain_graph=True")
assert z.grad.item() == 4.0

# ---------------------------------------------------------------------------------------------
section(
    "8. Zeroing gradients",
    "Gradients accumulate across backward() calls, so a training step starts by zeroing them.",
)
x = torch.randn(3, requires_grad=True)
y = x * 2
y.backward(torch.tensor([1.0, 1.0, 1.0]))
x.grad.zero_()
show("x.grad after x.grad.zero_()", x.grad)
assert same(x.grad, [0.0, 0.0, 0.0])

# ---------------------------------------------------------------------------------------------
section(
    "9. detach()",
    "c.detach() is a constant, so a gets no gradient and b's gradient is that constant:\n"
    "d = b * c gives dd/db = c = a + b, not ones as the article says.",
)
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
c = a + b
d = b * c.detach()
loss = d.sum()
loss.backward()
show("a.grad", a.grad)
show("b.grad", b.grad)
show("c", c)
assert a.grad is None
assert same(b.grad, [5.0, 7.0, 9.0]) and same(b.grad, c.detach().numpy())

# ---------------------------------------------------------------------------------------------
section(
    "10. retain_grad() on a non-leaf",
    "Non-leaf gradients are dropped unless retain_grad() asks to keep them, and either way\n"
    "they exist only after backward():",
)
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a + 3
b.retain_grad()
c = b.mean()
show("a.grad before c.backward()", a.grad)
assert a.grad is None and b.grad is None
c.backward()
show("a.grad after c.backward()", a.grad)
show("b.grad after c.backward()", b.grad)
assert same(a.grad, [1 / 3] * 3) and same(b.grad, [1 / 3] * 3)
b2 = a + 3
b2.mean().backward()
show("a non-leaf without retain_grad(): b2.grad", b2.grad)
assert b2.grad is None

# ---------------------------------------------------------------------------------------------
section(
    "11. Changing gradients after backward",
    "x.grad must exist before it can be clipped: the article's snippet never calls\n"
    "backward(). With a gradient that has negative parts:",
)
x = torch.randn(3, requires_grad=True)
y = x * 2
y.backward(torch.tensor([1.0, -1.0, 0.5]))
show("x.grad", x.grad)
assert same(x.grad, [2.0, -2.0, 1.0])
x.grad[:] = x.grad.clamp(min=0)  # clipping negative gradients to zero
show("x.grad after clipping", x.grad)
assert same(x.grad, [2.0, 0.0, 1.0])

# ---------------------------------------------------------------------------------------------
section(
    "12. Higher-order gradients",
    "create_graph=True makes the gradient itself differentiable. With y = x**2 at x = 1,\n"
    "dy/dx = 2x = 2; z = (dy/dx)**3 = 8x**3, so dz/dx = 24x**2 = 24 (not 12), and x.grad\n"
    "holds it only after z.backward().",
)
x = torch.tensor(1.0, requires_grad=True)
y = x**2
grad_y = torch.autograd.grad(y, x, create_graph=True)
show("grad_y", grad_y)
assert grad_y[0].item() == 2.0 and grad_y[0].grad_fn is not None
z = grad_y[0] ** 3
show("x.grad before z.backward()", x.grad)
assert x.grad is None
z.backward()
show("x.grad after z.backward()", x.grad)
assert x.grad.item() == 24.0

# ---------------------------------------------------------------------------------------------
section(
    "13. A Jacobian helper",
    "The article's helper computes each row and throws it away, so it has nothing to stack:",
)
x = torch.randn(3, requires_grad=True)
y = x * 2


def jacobian_as_in_article(y, x):
    jac = []
    flat_y = y.reshape(-1)
    for i in range(len(flat_y)):
        grad_y = torch.zeros_like(y)
        grad_y.reshape(-1)[i] = 1
        torch.autograd.grad(flat_y, x, grad_y, retain_graph=True, allow_unused=True)
    return torch.stack(jac).reshape(y.shape + x.shape)


expect_error(lambda: jacobian_as_in_article(y, x), "stack expects a non-empty")
print("Collecting each row (the gradient of one output element) gives the Jacobian:")


def jacobian(y, x):
    flat_y = y.reshape(-1)
    rows = []
    for i in range(len(flat_y)):
        grad_y = torch.zeros_like(flat_y)
        grad_y[i] = 1
        (row,) = torch.autograd.grad(flat_y, x, grad_y, retain_graph=True, allow_unused=True)
        rows.append(torch.zeros_like(x) if row is None else row)
    return torch.stack(rows).reshape(y.shape + x.shape)


J = jacobian(y, x)
show("J", J)
assert same(J, 2 * np.eye(3))
J_builtin = torch.autograd.functional.jacobian(lambda t: t * 2, x)
show("autograd.functional.jacobian gives", J_builtin)
assert same(J, J_builtin.numpy())

# ---------------------------------------------------------------------------------------------
section(
    "14. A custom autograd Function",
    "The article's MyReLU reads ctx.saved_tensors in backward but never saves anything in\n"
    "forward: ctx.saved_tensors is then an empty tuple (as in PyTorch), and backward stops\n"
    "at unpacking it:",
)


class MyReLUAsInArticle(torch.autograd.Function):
    def forward(ctx, input):
        return input.clamp(min=0)

    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


x = torch.tensor([-1.5, 0, 1.5], requires_grad=True)
y = MyReLUAsInArticle.apply(x)
expect_error(
    lambda: y.backward(torch.tensor([1.0, 1.0, 1.0])), "not enough values to unpack", ValueError
)
print(
    "Saving the input fixes it. The mask `input < 0` keeps the gradient at input 0, so it\n"
    "is 1 there (the article says 0):"
)


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


x = torch.tensor([-1.5, 0, 1.5], requires_grad=True)
y = MyReLU.apply(x)
y.backward(torch.tensor([1.0, 1.0, 1.0]))
show("x.grad", x.grad)
assert same(x.grad, [0.0, 1.0, 1.0])
x2 = torch.tensor([-1.5, 0, 1.5], requires_grad=True)
torch.relu(x2).backward(torch.tensor([1.0, 1.0, 1.0]))
show("the built-in relu's gradient (0 at input 0, with an `input <= 0` mask)", x2.grad)
assert same(x2.grad, [0.0, 0.0, 1.0])

# ---------------------------------------------------------------------------------------------
section(
    "15. Profiling",
    "The autograd profiler times each op recorded inside it.",
)
try:
    from minitorch.autograd import profiler
except ImportError:
    profiler = None
if profiler is None or not hasattr(profiler, "profile"):
    print("  (minitorch.autograd.profiler is not available in this version; skipped)")
else:
    x = torch.randn((1, 1), requires_grad=True)
    with profiler.profile() as prof:
        y = x**2
    print(prof)
    assert "aten::pow" in str(prof)

print("\nEvery claim of the tour held.")
