"""Session 14 sweep (the lead's own programs): saved tensors as the autograd mechanics notes
show them (``grad_fn._saved_*``, ``_raw_saved_*.register_hooks``) and the identity of saved
inputs that share one array (``x * x.detach()``), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


@program
def saved_self_and_exponent_of_pow(torch):
    x = torch.randn(5, requires_grad=True)
    y = x.pow(2)
    z = x.pow(2.5)
    e = x.exp()
    return (
        x.equal(y.grad_fn._saved_self),
        x is y.grad_fn._saved_self,
        y.grad_fn._saved_exponent,
        type(z.grad_fn._saved_exponent).__name__,
        e.equal(e.grad_fn._saved_result),
        e is e.grad_fn._saved_result,
    )


@program
def saved_other_of_a_detached_operand(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = x * x.detach()
    other = w.grad_fn._saved_other
    return other, other.requires_grad, w.grad_fn._saved_self is x


@program
def raw_saved_tensor_hooks_pack_now_unpack_in_backward(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x.pow(2)
    calls = []

    def pack(t):
        calls.append("pack")
        return t.detach() * 1

    def unpack(t):
        calls.append("unpack")
        return t * 3

    y.grad_fn._raw_saved_self.register_hooks(pack, unpack)
    before = list(calls)
    seen = y.grad_fn._saved_self
    y.sum().backward()
    return before, seen, calls, x.grad


@error(RuntimeError, r"whose hooks have already been set\. Hint: only one pair of hooks")
def raw_saved_tensor_hooks_twice(torch):
    y = torch.ones(3, requires_grad=True).exp()
    y.grad_fn._raw_saved_result.register_hooks(lambda t: t, lambda t: t)
    y.grad_fn._raw_saved_result.register_hooks(lambda t: t, lambda t: t)


@error(RuntimeError, r"Calling register_hooks on a saved tensor after it has been freed")
def raw_saved_tensor_hooks_after_backward(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.pow(2)
    raw = y.grad_fn._raw_saved_self
    y.sum().backward()
    raw.register_hooks(lambda t: t, lambda t: t)


@error(TypeError, r"register_hooks\(\): incompatible function arguments")
def raw_saved_tensor_hooks_not_callable(torch):
    y = torch.ones(3, requires_grad=True).exp()
    y.grad_fn._raw_saved_result.register_hooks(1, 2)


@error(AttributeError, r"_raw_saved_exponent")
def raw_saved_of_a_number(torch):
    torch.ones(3, requires_grad=True).pow(2).grad_fn._raw_saved_exponent


@program
def double_backward_through_a_detached_operand(torch):
    """The saved operand keeps the identity the op got: x * x.detach() has the constant
    x.detach() as its gradient, which needs no grad (was x itself: a wrong second derivative)."""
    out = []
    for f in (
        lambda x: x * x.detach(),
        lambda x: x.detach() * x,
        lambda x: x.detach() / x,
        lambda x: x / x.detach(),
        lambda x: x @ x.detach(),
        lambda x: x.detach() @ x,
        lambda x: torch.mm(x, x.detach()),
        lambda x: torch.atan2(x, x.detach()),
    ):
        x = torch.tensor([[1.0, 2.0], [0.5, -1.5]], requires_grad=True)
        (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
        h = torch.autograd.grad(g.sum(), x)[0] if g.requires_grad else None
        out.append((g.detach(), g.requires_grad, h))
    return out


@program
def saved_number_operands_are_0d_tensors(torch):
    x = torch.tensor([1.2, 3.0], requires_grad=True)
    a = torch.tensor([10.2])
    nodes = [(x * 2).grad_fn, (x * 2.5).grad_fn, (2.5 * x).grad_fn, (x * True).grad_fn]
    nodes += [(x / 3).grad_fn, (x * a).grad_fn, torch.mul(x, torch.tensor(2.0)).grad_fn]
    return [(n.name(), n._saved_self, n._saved_other) for n in nodes]


@program
def saved_alpha_of_add_and_sub(torch):
    x = torch.tensor([1.2, 3.0], requires_grad=True)
    y = torch.ones(2, requires_grad=True)
    nodes = [(x + 2).grad_fn, (x - y).grad_fn, x.add(y, alpha=2.5).grad_fn]
    return [(n.name(), n._saved_alpha) for n in nodes]


@program
def lerp_with_a_number_weight_saves_no_operand(torch):
    a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    b = torch.tensor([0.5, 0.5, -1.0], requires_grad=True)
    start, end = a * 1, b.flip(0)
    out = torch.lerp(start, end, 0.3)
    start.relu_()
    end.mul_(2)
    out.sum().backward()
    return out, a.grad, b.grad


@error(RuntimeError, r"modified by an inplace operation: .*which is output 0 of Relu,")
def lerp_with_a_tensor_weight_needs_its_operands(torch):
    a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.2, 0.5, 0.9], requires_grad=True)
    start = a * 1
    out = torch.lerp(start, torch.ones(3), w)
    start.relu_()
    out.sum().backward()


@program
def pow_with_a_number_exponent_does_not_save_its_result(torch):
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    r = x**2
    r.add_(1)
    r.sum().backward()
    return r, x.grad, hasattr(x.pow(3).grad_fn, "_saved_result")


@error(
    RuntimeError, r"modified by an inplace operation: .*which is output 0 of Pow2, is at version 1"
)
def pow_of_a_number_base_saves_its_result(torch):
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    r = 2**x
    r.mul_(3)
    r.sum().backward()


@error(
    RuntimeError, r"modified by an inplace operation: .*which is output 0 of Pow1, is at version 1"
)
def pow_with_a_tensor_exponent_saves_its_result(torch):
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    r = x ** torch.tensor([1.0, 2.0, 0.5])
    r.exp_()
    r.sum().backward()


@program
def pow_saved_result_and_double_backward(torch):
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    y = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
    r = x**y
    s = 3.0**y
    saved = r.grad_fn._saved_result.equal(r), s.grad_fn._saved_result.equal(s)
    (gx, gy) = torch.autograd.grad((r + s).sum(), (x, y), create_graph=True)
    h = torch.autograd.grad((gx * gy).sum(), (x, y))
    return saved, gx, gy, h


@program
def backward_runs_the_latest_made_ready_node_first(torch):
    """PyTorch's ready queue orders nodes by creation (latest first): hooks fire, and
    gradients from several branches add up, in that order."""
    log = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    ys = [x * i for i in range(1, 5)]
    for i, y in enumerate(ys):
        y.register_hook(lambda g, i=i: log.append(i))
    z = ys[2] + ys[0]
    w = ys[3] * ys[1]
    (w.sum() * z.sum()).backward()
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    parts = [a.exp(), a.sin(), a * 3, a.tanh()]
    for i, p in enumerate(parts):
        p.register_hook(lambda g, i=i: log.append(("p", i)))
    torch.stack(parts).sum().backward()
    return log, x.grad, a.grad


@program
def fill_diagonal_goes_through_a_view(torch):
    out = []
    for shape, wrap in (((5, 3), True), ((5, 3), False), ((3, 5), True), ((3, 3, 3), False)):
        x = torch.zeros(shape)
        out.append(x.fill_diagonal_(2.0, wrap=wrap))
    y = torch.zeros(6, 4)[:, 1:]
    y.fill_diagonal_(1, wrap=True)
    a = torch.randn(4, 4, requires_grad=True)
    b = a * 2
    b.fill_diagonal_(0)
    (b * torch.arange(16.0).view(4, 4)).sum().backward()
    return out, y, b.grad_fn.name(), a.grad


@error(RuntimeError, r"^a view of a leaf Variable that requires grad is being used in an in-place")
def fill_diagonal_of_a_leaf(torch):
    torch.ones(3, 3, requires_grad=True).fill_diagonal_(0)


def _outcome_after_inplace(torch, f, x, which):
    """'ok' or the error's first words when ``which`` (the input or the output) of f changes in
    place between forward and backward."""
    a = x.clone().requires_grad_()
    inp = a * 1
    out = f(inp)
    (inp if which == "input" else out).mul_(1)
    try:
        out.sum().backward()
    except RuntimeError as e:
        return str(e)[:60]
    return "ok"


@program
def unary_ops_save_what_pytorch_saves(torch):
    x = torch.tensor([0.1, 0.35, 0.7])
    fns = {
        "tan": torch.tan, "asin": torch.asin, "acos": torch.acos, "atan": torch.atan,
        "sinh": torch.sinh, "cosh": torch.cosh, "asinh": torch.asinh, "atanh": torch.atanh,
        "acosh": lambda t: torch.acosh(t + 1.5), "log2": torch.log2, "log10": torch.log10,
        "exp2": torch.exp2, "expm1": torch.expm1, "erf": torch.erf, "erfc": torch.erfc,
        "erfinv": torch.erfinv, "sinc": torch.sinc, "logit": torch.logit, "lgamma": torch.lgamma,
        "digamma": torch.digamma, "i0": torch.i0, "i1": torch.special.i1,
        "i0e": torch.special.i0e, "ndtri": torch.special.ndtri, "entr": torch.special.entr,
        "log_ndtr": torch.special.log_ndtr, "erfcx": torch.special.erfcx,
    }  # fmt: skip
    return {
        name: [_outcome_after_inplace(torch, f, x, which) for which in ("input", "output")]
        for name, f in fns.items()
    }


@error(RuntimeError, r"^Boolean inputs not supported for relu$")
def relu_of_bool(torch):
    torch.nn.functional.relu(torch.tensor([True, False]))


@error(RuntimeError, r"^Boolean inputs not supported for relu$")
def relu_inplace_of_bool(torch):
    torch.tensor([True, False]).relu_()


@program
def tensor_of_none_among_numbers(torch):
    out = []
    for data, kwargs in (
        ([1.0, None], {}),
        ([2**70, None], {}),
        ([1.0, None], {"dtype": torch.float32}),
        ([1, None], {"dtype": torch.int64}),
        ([1, None], {"dtype": torch.bool}),
        ([None], {"dtype": torch.float64}),
    ):
        try:
            out.append(torch.tensor(data, **kwargs))
        except (RuntimeError, TypeError) as e:
            out.append((type(e).__name__, str(e)))
    return out


@program
def conv_dtype_mismatch_in_the_words_of_the_kernel_pytorch_picks(torch):
    out = []
    for xi, wi in (("float32", "float64"), ("float64", "int64"), ("bfloat16", "float32")):
        for shape in ((4, 1, 7, 7), (1, 1, 3, 3), (1, 1, 7, 7)):
            x = torch.ones(shape, dtype=getattr(torch, xi))
            w = torch.ones(1, shape[1], 3, 3, dtype=getattr(torch, wi))
            try:
                torch.nn.functional.conv2d(x, w)
            except RuntimeError as e:
                out.append(str(e))
    return out


@program
def hook_on_a_view_changed_in_place(torch):
    """A hook registered on a view before an in-place change of it belongs to the view's old
    node: it fires for earlier uses of the view, not for the gradient through the in-place op
    (PyTorch's CopySlices applies that op's backward itself)."""
    out = []
    for case in range(3):
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        base = a * 1
        v = base[:2]
        log = []
        y = v * 3 if case == 1 else None
        v.register_hook(lambda g, log=log: (log.append(g.clone()), g * 2)[1])
        v.sigmoid_()
        loss = (base * torch.tensor([1.0, 10.0, 100.0])).sum()
        if y is not None:
            loss = loss + y.sum()
        if case == 2:
            v.register_hook(lambda g, log=log: (log.append(("after", g.clone())), g * 5)[1])
            loss = loss + (v * 7).sum()
        loss.backward()
        out.append((log, a.grad))
    return out
