"""Session 13 sweep (helper A2): behaviours PyTorch's test/test_autograd.py (second half),
test/autograd/test_functional.py and test/autograd/test_forward_mode.py check, as our own
programs run with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _F(torch):
    return torch.autograd.functional


def _narrow3(a):
    return 3 * a.narrow(0, 0, 3)


def _with_str(a):
    return 3 * a.narrow(0, 0, 3), "bar"


def _disconnected(a):
    return a.long().float().requires_grad_().clone()


# ---- torch.autograd.functional: argument checks -----------------------------------------------
@error(TypeError, r"The inputs given to vjp must be either a Tensor")
def vjp_non_tensor_input(torch):
    _F(torch).vjp(_narrow3, (torch.rand(4), 2), torch.ones(3))


@error(TypeError, r"The outputs of the user-provided function given to vjp must")
def vjp_non_tensor_output(torch):
    _F(torch).vjp(_with_str, torch.rand(4), torch.ones(3))


@error(RuntimeError, r"The vector v can only be None if the user-provided function returns")
def vjp_v_none_for_non_scalar(torch):
    _F(torch).vjp(_narrow3, torch.rand(4))


@error(RuntimeError, r"The given v should contain a single Tensor\.")
def vjp_v_two_tensors(torch):
    x = torch.rand(4)
    _F(torch).vjp(_narrow3, x, (torch.ones_like(x), torch.ones_like(x)))


@error(
    RuntimeError, r"v has invalid size: should be torch.Size\(\[3\]\) but got torch.Size\(\[2\]\)"
)
def vjp_v_wrong_size(torch):
    _F(torch).vjp(_narrow3, torch.rand(4), torch.ones(2))


@error(TypeError, r"The inputs given to jvp must be either a Tensor")
def jvp_non_tensor_input(torch):
    _F(torch).jvp(_narrow3, (torch.rand(4), 2), torch.ones(4))


@error(TypeError, r"The outputs of the user-provided function given to jvp must")
def jvp_non_tensor_output(torch):
    _F(torch).jvp(_with_str, torch.rand(4), torch.ones(4))


@error(RuntimeError, r"The vector v can only be None if the input to the user-provided function")
def jvp_v_none_for_non_scalar_input(torch):
    _F(torch).jvp(_narrow3, torch.rand(4))


@error(RuntimeError, r"The given v should contain a single Tensor\.")
def jvp_v_two_tensors(torch):
    v = torch.rand(4)
    _F(torch).jvp(_narrow3, torch.rand(4), (v, v))


@error(
    RuntimeError, r"v has invalid size: should be torch.Size\(\[4\]\) but got torch.Size\(\[2\]\)"
)
def jvp_v_wrong_size(torch):
    _F(torch).jvp(_narrow3, torch.rand(4), torch.ones(2))


@error(TypeError, r"The inputs given to jacobian must be either a Tensor")
def jacobian_non_tensor_input(torch):
    _F(torch).jacobian(_narrow3, (torch.rand(4), 2))


@error(TypeError, r"The inputs given to jacobian must be either a Tensor")
def jacobian_vectorized_non_tensor_input(torch):
    _F(torch).jacobian(_narrow3, (torch.rand(4), 2), vectorize=True)


@error(TypeError, r"The outputs of the user-provided function given to jacobian must")
def jacobian_non_tensor_output(torch):
    _F(torch).jacobian(_with_str, torch.rand(4))


@error(TypeError, r"The outputs of the user-provided function given to jacobian must")
def jacobian_vectorized_non_tensor_output(torch):
    _F(torch).jacobian(_with_str, torch.rand(4), vectorize=True)


@error(RuntimeError, r"not supported together")
def jacobian_strict_and_vectorize(torch):
    _F(torch).jacobian(lambda x: x, torch.rand(4), strict=True, vectorize=True)


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def vjp_strict_detached_output(torch):
    _F(torch).vjp(lambda a: a.detach(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"The output of the user-provided function is independent of input 0")
def vjp_strict_disconnected_output(torch):
    _F(torch).vjp(_disconnected, torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function is independent of input 0\.")
def vjp_strict_create_graph_constant_jacobian(torch):
    x = torch.rand(4, requires_grad=True)
    _F(torch).vjp(lambda a: a.clone(), x, torch.rand(4), create_graph=True, strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def jvp_strict_detached_output(torch):
    _F(torch).jvp(lambda a: a.detach(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"The output of the user-provided function is independent of input 0")
def jvp_strict_disconnected_output(torch):
    _F(torch).jvp(_disconnected, torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function is independent of input 0\.")
def jvp_strict_create_graph_constant_jacobian(torch):
    x = torch.rand(4, requires_grad=True)
    _F(torch).jvp(lambda a: a.clone(), x, torch.rand(4), create_graph=True, strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def jacobian_strict_detached_output(torch):
    _F(torch).jacobian(lambda a: a.detach(), torch.rand(4), strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function is independent of input 0\.")
def jacobian_strict_disconnected_output(torch):
    _F(torch).jacobian(_disconnected, torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function is independent of input 0\.")
def jacobian_strict_create_graph_constant(torch):
    x = torch.rand(4, requires_grad=True)
    _F(torch).jacobian(lambda a: a.clone(), x, create_graph=True, strict=True)


# ---- torch.autograd.functional: results and flags ---------------------------------------------
@program
def vjp_non_strict_zero_results(torch):
    F = _F(torch)
    x, v = torch.rand(4), torch.rand(4)
    a = F.vjp(lambda a: a.detach(), x, v)
    b = F.vjp(_disconnected, x, v)
    x.requires_grad_()
    c = F.vjp(lambda a: a.clone(), x, v, create_graph=True)
    return a, b, c, c[1].grad_fn is None


@program
def jvp_non_strict_zero_results(torch):
    F = _F(torch)
    x, v = torch.rand(4), torch.rand(4)
    a = F.jvp(lambda a: a.detach(), x, v)
    b = F.jvp(_disconnected, x, v)
    x.requires_grad_()
    c = F.jvp(lambda a: a.clone(), x, v, create_graph=True)
    return a, b, c


@program
def jacobian_non_strict_zero_results(torch):
    F = _F(torch)
    x = torch.rand(4)
    a = F.jacobian(lambda a: a.detach(), x)
    b = F.jacobian(_disconnected, x)
    x.requires_grad_()
    c = F.jacobian(lambda a: a.clone(), x, create_graph=True)
    return a, b, c


@program
def vjp_under_no_grad(torch):
    F = _F(torch)
    x, v = torch.rand(4, 4), torch.ones(4)
    with torch.no_grad():
        a = F.vjp(lambda t: t.sum(dim=1), x, v)
    x.requires_grad_()
    v.requires_grad_()
    with torch.no_grad():
        b = F.vjp(lambda t: t.sum(dim=1), x, v, create_graph=True)
    return a, [r.grad_fn is None for r in a], b, [r.grad_fn is None for r in b]


@program
def jvp_under_no_grad(torch):
    F = _F(torch)
    x, v = torch.rand(4, 4), torch.ones(4, 4)
    with torch.no_grad():
        a = F.jvp(lambda t: t.sum(dim=1), x, v)
    x.requires_grad_()
    v.requires_grad_()
    with torch.no_grad():
        b = F.jvp(lambda t: t.sum(dim=1), x, v, create_graph=True)
    return a, [r.grad_fn is None for r in a], b, [r.grad_fn is None for r in b]


@program
def jacobian_under_no_grad(torch):
    F = _F(torch)
    x = torch.rand(4, 4)
    with torch.no_grad():
        a = F.jacobian(lambda t: t.exp().sum(dim=1), x)
        b = F.jacobian(lambda t: t.exp().sum(dim=1), x, create_graph=True)
    return a, a.grad_fn is None, b, b.grad_fn is None


@program
def vjp_tuple_inputs_and_outputs(torch):
    F = _F(torch)
    xs = (torch.rand(2), torch.rand(2))
    a = F.vjp(lambda x, y: 2 * x + 3 * y, xs, torch.ones(2))
    b = F.vjp(lambda x, y: (2 * x + 3 * y, x * y), xs, (torch.tensor([1.0, 0.0]),) * 2)
    return a, b, type(a[1]).__name__, type(b[0]).__name__


@program
def jvp_tuple_inputs_and_outputs(torch):
    F = _F(torch)
    xs = (torch.rand(2), torch.rand(2))
    a = F.jvp(lambda x, y: 2 * x + 3 * y, xs, (torch.ones(2), torch.ones(2)))
    b = F.jvp(lambda x, y: (2 * x + 3 * y, x * y), xs, (torch.tensor([1.0, 0.0]),) * 2)
    return a, b, type(a[1]).__name__, type(b[1]).__name__


@program
def vjp_jvp_scalars(torch):
    F = _F(torch)
    x = torch.rand(4, 4)
    e = torch.rand([])
    return (
        F.vjp(lambda t: t.sum(), x, torch.ones([])),
        F.vjp(lambda t: t.sum(), x),
        F.vjp(lambda t: t.unsqueeze(0).repeat(4), e, torch.ones(4)),
        F.jvp(lambda t: t.sum(), x, torch.ones(4, 4)),
        F.jvp(lambda t: t.unsqueeze(0).repeat(4), e, torch.ones([])),
        F.jvp(lambda t: t.unsqueeze(0).repeat(4), e),
    )


@program
def vjp_jvp_create_graph_second_derivative(torch):
    F = _F(torch)
    x = torch.rand(2, 3, dtype=torch.float64, requires_grad=True)
    v = torch.rand(2, dtype=torch.float64, requires_grad=True)
    out, g = F.vjp(lambda t: (t**3).sum(dim=1), x, v, create_graph=True)
    gx, gv = torch.autograd.grad(g.sum() + out.sum(), (x, v))
    u = torch.rand(2, 3, dtype=torch.float64, requires_grad=True)
    out2, jv = F.jvp(lambda t: t.sin().sum(dim=1), x, u, create_graph=True)
    hx, hu = torch.autograd.grad(jv.sum(), (x, u))
    return out, g, gx, gv, out2, jv, hx, hu


@program
def jacobian_shapes_and_values(torch):
    F = _F(torch)
    x = torch.rand(4, 4)
    a = F.jacobian(lambda t: t.exp().sum(dim=1), x)
    b = F.jacobian(lambda t: t.clone(), torch.rand(4))
    c = F.jacobian(lambda x, y: (x + y.exp()).sum(dim=1), (torch.rand(4, 4), torch.rand(4, 4)))
    d = F.jacobian(lambda t: t.sum(), x)
    e = F.jacobian(lambda t: t.unsqueeze(0).repeat(4), torch.rand([]))
    f = F.jacobian(lambda a, b: (b, 3 * a.narrow(0, 0, 3)), (torch.rand(4), torch.rand(5)))
    return a, b, c, d, e, f, type(c).__name__, type(f[0]).__name__


@program
def jacobian_vectorized_shapes_and_values(torch):
    F = _F(torch)
    x = torch.rand(4, 4)
    a = F.jacobian(lambda t: t.exp().sum(dim=1), x, vectorize=True)
    b = F.jacobian(lambda t: t.clone(), torch.rand(4), vectorize=True)
    c = F.jacobian(
        lambda x, y: (x + y.exp()).sum(dim=1), (torch.rand(4, 4), torch.rand(4, 4)), vectorize=True
    )
    d = F.jacobian(lambda t: t.sum(), x, vectorize=True)
    e = F.jacobian(lambda t: t.unsqueeze(0).repeat(4), torch.rand([]), vectorize=True)
    f = F.jacobian(
        lambda a, b: (b, 3 * a.narrow(0, 0, 3)), (torch.rand(4), torch.rand(5)), vectorize=True
    )
    return a, b, c, d, e, f


@program
def jacobian_forward_mode_strategy(torch):
    F = _F(torch)
    x = torch.rand(3, 2)
    y = torch.rand(2)
    a = F.jacobian(lambda t: t.sin() * 2, x, strategy="forward-mode", vectorize=True)
    b = F.jacobian(
        lambda s, t: (s @ t, s.sum(0) * t), (x, y), strategy="forward-mode", vectorize=True
    )
    return a, b


@error(NotImplementedError, r"only implemented for `vectorize=True`")
def jacobian_forward_mode_needs_vectorize(torch):
    _F(torch).jacobian(lambda t: t.sin(), torch.rand(3), strategy="forward-mode")


@error(NotImplementedError, r"create_graph=True")
def jacobian_forward_mode_create_graph(torch):
    _F(torch).jacobian(
        lambda t: t.sin(), torch.rand(3), strategy="forward-mode", vectorize=True,
        create_graph=True,
    )  # fmt: skip


@error(AssertionError, r"Expected strategy to be either \"forward-mode\" or \"reverse-mode\"")
def jacobian_unknown_strategy(torch):
    _F(torch).jacobian(lambda t: t.sin(), torch.rand(3), strategy="backward")


@program
def jacobian_vectorize_matches_loop_on_mixed_outputs(torch):
    F = _F(torch)
    x, y = torch.randn(5, 3), torch.randn(3, 5)

    def f(x, y):
        return (x * x) @ y, x @ (x.sum(1) * y), y.sum()

    def g(x, y):
        return x, y, x, y

    def h(x, y):
        return y.sum(), x * y

    out = []
    for fn, inp in ((f, (x, y)), (g, (torch.randn(2), torch.randn(3))), (h, (torch.randn([]), torch.randn(1)))):  # fmt: skip
        out.append(F.jacobian(fn, inp))
        out.append(F.jacobian(fn, inp, vectorize=True))
        out.append(F.jacobian(fn, inp, vectorize=True, strategy="forward-mode"))
    out.append(F.jacobian(lambda t: torch.stack([t, t, t]), torch.randn([]), vectorize=True))
    return out


@program
def jacobian_outputs_of_other_dtypes(torch):
    F = _F(torch)
    x, y = torch.randn(3), torch.randn(3)

    def f(x, y):
        return (x * y).float(), (x * y).double()

    return F.jacobian(f, (x, y)), F.jacobian(f, (x, y), vectorize=True)


def _exp3(a):
    return 3 * a.narrow(0, 0, 3).exp().sum()


def _two_outputs(a):
    return 3 * a.narrow(0, 0, 3), 3 * a.narrow(0, 0, 3)


@error(TypeError, r"The inputs given to hessian must be either a Tensor")
def hessian_non_tensor_input(torch):
    _F(torch).hessian(_exp3, (torch.rand(4), 2))


@error(TypeError, r"The outputs of the user-provided function given to hessian must")
def hessian_non_tensor_output(torch):
    _F(torch).hessian(_with_str, torch.rand(4), vectorize=True)


@error(RuntimeError, r"The Tensor returned by the function given to hessian should contain a single element")  # fmt: skip
def hessian_non_scalar_output(torch):
    _F(torch).hessian(_narrow3, torch.rand(4))


@error(RuntimeError, r"The function given to hessian should return a single Tensor")
def hessian_two_outputs(torch):
    _F(torch).hessian(_two_outputs, torch.rand(4))


@error(RuntimeError, r"The function given to hessian should return a single Tensor")
def hessian_vectorized_two_outputs(torch):
    _F(torch).hessian(_two_outputs, torch.rand(4), vectorize=True)


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def hessian_strict_detached(torch):
    _F(torch).hessian(lambda a: a.detach().sum(), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function with respect to input 0")
def hessian_strict_disconnected(torch):
    _F(torch).hessian(lambda a: _disconnected(a).sum(), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function with respect to input 0 is")
def hessian_strict_linear(torch):
    _F(torch).hessian(lambda a: (3 * a).sum(), torch.rand(4), strict=True)


@error(RuntimeError, r"not supported together")
def hessian_strict_and_vectorize(torch):
    _F(torch).hessian(lambda x: (x**3).sum(), torch.rand(4), strict=True, vectorize=True)


@program
def hessian_non_strict_zero_results(torch):
    F = _F(torch)
    x = torch.rand(4)
    return (
        F.hessian(lambda a: a.detach().sum(), x),
        F.hessian(lambda a: _disconnected(a).sum(), x),
        F.hessian(lambda a: (3 * a).sum(), x),
    )


@program
def hessian_shapes_values_and_flags(torch):
    F = _F(torch)
    x = torch.rand(2, 2)
    with torch.no_grad():
        a = F.hessian(lambda t: t.pow(3).sum(), x)
        b = F.hessian(lambda t: t.pow(3).sum(), x, create_graph=True)
    pair = (torch.rand(2, 2), torch.rand(2, 2))
    c = F.hessian(lambda x, y: (x + y).pow(3).sum(), pair)
    d = F.hessian(lambda x, y: (x + y).pow(3).sum(), pair, vectorize=True)
    e = F.hessian(lambda t: t.sum(), torch.rand([]))
    f = F.hessian(lambda t: t.sum().view(1, 1, 1), torch.rand(4, 4))
    g = F.hessian(lambda a, b: (3 * b.narrow(0, 0, 3) * a.narrow(0, 0, 3)).sum(), (torch.rand(4), torch.rand(5)))  # fmt: skip
    return a, a.grad_fn is None, b, b.grad_fn is None, c, d, e, f, g, type(c[0]).__name__


@program
def hessian_vectorize_and_forward_over_reverse(torch):
    F = _F(torch)
    x, y, z = torch.randn(2, 3), torch.randn(3, 5), torch.randn(5, 5)

    def f(x, y, z):
        return ((x.relu() * x) @ y.sin() @ z).sum()

    def g(x, y):
        return (x**2).sum()

    out = []
    for fn, inp in ((f, (x, y, z)), (g, (torch.randn(2), torch.randn(3)))):
        out.append(F.hessian(fn, inp))
        out.append(F.hessian(fn, inp, vectorize=True))
        out.append(F.hessian(fn, inp, vectorize=True, outer_jacobian_strategy="forward-mode"))
    return out


@program
def hessian_of_constant_function(torch):
    F = _F(torch)
    inp = (torch.randn(2), torch.randn(3))
    return (
        F.hessian(lambda x, y: torch.ones([]), inp),
        F.hessian(lambda x, y: torch.ones([]), inp, vectorize=True),
    )


@program
def hessian_create_graph_differentiable(torch):
    F = _F(torch)
    x = torch.rand(2, 2, dtype=torch.float64, requires_grad=True)
    y = torch.rand(2, 2, dtype=torch.float64, requires_grad=True)
    h = F.hessian(lambda a, b: (a + b).pow(3).sum(), (x.cos(), y), create_graph=True)
    total = sum(t.cos().sum() for row in h for t in row)
    return h, torch.autograd.grad(total, (x, y)), h[0][1].grad_fn is None


@error(TypeError, r"The inputs given to vhp must be either a Tensor")
def vhp_non_tensor_input(torch):
    _F(torch).vhp(_exp3, (torch.rand(4), 2), torch.rand(4))


@error(TypeError, r"The outputs of the user-provided function given to vhp must")
def vhp_non_tensor_output(torch):
    _F(torch).vhp(_with_str, torch.rand(4), torch.rand(4))


@error(RuntimeError, r"The Tensor returned by the function given to vhp should contain a single element")  # fmt: skip
def vhp_non_scalar_output(torch):
    _F(torch).vhp(_narrow3, torch.rand(4), torch.rand(4))


@error(RuntimeError, r"v has invalid size:")
def vhp_v_wrong_size(torch):
    _F(torch).vhp(_exp3, torch.rand(4), torch.rand(5))


@error(TypeError, r"The v given to vhp must be either a Tensor or a tuple of Tensors")
def vhp_v_with_number(torch):
    _F(torch).vhp(_exp3, torch.rand(4), (torch.rand(4), 2))


@error(TypeError, r"The inputs given to hvp must be either a Tensor")
def hvp_non_tensor_input(torch):
    _F(torch).hvp(_exp3, (torch.rand(4), 2), torch.rand(4))


@error(TypeError, r"The outputs of the user-provided function given to hvp must")
def hvp_non_tensor_output(torch):
    _F(torch).hvp(_with_str, torch.rand(4), torch.rand(4))


@error(RuntimeError, r"The Tensor returned by the function given to hvp should contain a single element")  # fmt: skip
def hvp_non_scalar_output(torch):
    _F(torch).hvp(_narrow3, torch.rand(4), torch.rand(4))


@error(RuntimeError, r"v has invalid size:")
def hvp_v_wrong_size(torch):
    _F(torch).hvp(_exp3, torch.rand(4), torch.rand(5))


@error(TypeError, r"The v given to hvp must be either a Tensor or a tuple of Tensors")
def hvp_v_with_number(torch):
    _F(torch).hvp(_exp3, torch.rand(4), (torch.rand(4), 2))


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def vhp_strict_detached(torch):
    _F(torch).vhp(lambda a: a.detach().sum(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"The output of the user-provided function is independent of input 0")
def vhp_strict_disconnected(torch):
    _F(torch).vhp(lambda a: _disconnected(a).sum(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function with respect to input 0 is")
def vhp_strict_linear(torch):
    _F(torch).vhp(lambda a: (3 * a).sum(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"Output 0 of the user-provided function does not require gradients\.")
def hvp_strict_detached(torch):
    _F(torch).hvp(lambda a: a.detach().sum(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"The output of the user-provided function is independent of input 0")
def hvp_strict_disconnected(torch):
    _F(torch).hvp(lambda a: _disconnected(a).sum(), torch.rand(4), torch.rand(4), strict=True)


@error(RuntimeError, r"jacobian of the user-provided function with respect to input 0 is")
def hvp_strict_linear(torch):
    _F(torch).hvp(lambda a: (3 * a).sum(), torch.rand(4), torch.rand(4), strict=True)


@program
def vhp_hvp_non_strict_and_no_grad(torch):
    F = _F(torch)
    x, v = torch.rand(4), torch.rand(4)
    out = []
    for api in (F.vhp, F.hvp):
        out.append(api(lambda a: a.detach().sum(), x, v))
        out.append(api(lambda a: _disconnected(a).sum(), x, v))
        out.append(api(lambda a: (3 * a).sum(), x, v))
        with torch.no_grad():
            r = api(lambda t: t.exp().sum(), torch.rand(4, 4), torch.ones(4, 4))
            s = api(lambda t: t.exp().sum(), torch.rand(4, 4), torch.ones(4, 4), create_graph=True)
        out += [r, [t.grad_fn is None for t in r], s, [t.grad_fn is None for t in s]]
    return out


@program
def vhp_hvp_values(torch):
    F = _F(torch)
    x = torch.rand(4, 4, dtype=torch.float64)
    v = torch.rand(4, 4, dtype=torch.float64)
    pair = (torch.rand(4, dtype=torch.float64), torch.rand(5, dtype=torch.float64))
    vp = (torch.rand(4, dtype=torch.float64), torch.rand(5, dtype=torch.float64))

    def f(a, b):
        return (3 * b.narrow(0, 0, 3) * a.narrow(0, 0, 3).sin()).sum()

    def g(t):
        return (t.pow(3) @ t).sum()

    return (
        F.vhp(g, x, v), F.hvp(g, x, v), F.vhp(f, pair, vp), F.hvp(f, pair, vp),
        F.vhp(lambda t: t.pow(3).sum(), torch.rand([], dtype=torch.float64)),
        F.hvp(lambda t: t.pow(3).sum(), torch.rand([], dtype=torch.float64)),
    )  # fmt: skip


@error(RuntimeError, r"The vector v can only be None if the input to the user-provided function")
def hvp_v_none_for_non_scalar_input(torch):
    _F(torch).hvp(lambda t: t.pow(3).sum(), torch.rand(4))


@program
def vhp_hvp_create_graph(torch):
    F = _F(torch)
    x = torch.rand(3, dtype=torch.float64, requires_grad=True)
    v = torch.rand(3, dtype=torch.float64, requires_grad=True)
    out = []
    for api in (F.vhp, F.hvp):
        val, prod = api(lambda t: (t.pow(3) * t.sin()).sum(), x, v, create_graph=True)
        out += [val, prod, torch.autograd.grad(prod.sum() + val, (x, v))]
    return out


# ---- torch.autograd.forward_ad ----------------------------------------------------------------
@error(RuntimeError, r"Trying to set a forward gradient that has a different size")
def make_dual_tangent_of_other_size(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        fw.make_dual(torch.rand(2), torch.rand(3))


@program
def make_dual_tangent_from_a_slice(torch):
    fw = torch.autograd.forward_ad
    t = torch.rand(3)
    with fw.dual_level():
        d = fw.make_dual(torch.rand(2), t[1:])
        return fw.unpack_dual(d).tangent, fw.unpack_dual(d).tangent is t


@program
def dual_level_values_and_tangent_reuse(torch):
    fw = torch.autograd.forward_ad
    foo, bar = torch.rand(2), torch.rand(2)
    with fw.dual_level() as level:
        baz = fw.make_dual(foo, bar)
        p, t = fw.unpack_dual(baz)
        inside = (
            p,
            t is bar,
            fw.unpack_dual(foo).tangent is None,
            type(fw.unpack_dual(baz)).__name__,
        )
    after = fw.unpack_dual(baz)
    return level, inside, after.primal, after.tangent is None, fw.unpack_dual(baz)._fields


@error(RuntimeError, r"Nested forward mode AD is not supported at the moment")
def nested_dual_level(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        with fw.dual_level():
            pass


@program
def dual_tensor_prints_its_tangent(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        a = torch.rand(3)
        b = fw.make_dual(a, torch.rand(3))
        p, t = fw.unpack_dual(b)
        return ["tangent=" in str(x) for x in (a, b, p, t)]


@program
def dual_shares_memory_and_version(torch):
    fw = torch.autograd.forward_ad
    foo, bar = torch.rand(2), torch.ones(2)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        same = [dual.data_ptr() == foo.data_ptr(), foo._version == dual._version]
        foo.add_(1)
        same.append(foo._version == dual._version)
        p, t = fw.unpack_dual(dual)
        same += [p.data_ptr() == foo.data_ptr(), t.data_ptr() == bar.data_ptr()]
        foo.add_(1)
        same.append(foo._version == p._version)
        bar.add_(1)
        same.append(bar._version == t._version)
        return same, dual, p, t


@program
def dual_backward_through_pack_and_unpack(torch):
    fw = torch.autograd.forward_ad
    foo = torch.rand(2, requires_grad=True)
    bar = torch.ones(2, requires_grad=True)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        p, t = fw.unpack_dual(dual)
        g1 = torch.autograd.grad(p.sum(), (foo, bar), retain_graph=True, allow_unused=True)
        g2 = torch.autograd.grad(t.sum(), (foo, bar), retain_graph=True, allow_unused=True)
        detached = fw.unpack_dual(dual.detach() * 2)
        with torch.no_grad():
            nograd = fw.unpack_dual(dual * 3)
        d2 = dual.clone()
        d2.detach_()
        inplace_detached = fw.unpack_dual(d2 * 2)
        return (
            g1, g2, detached.primal, detached.tangent is None, nograd.primal, nograd.tangent,
            inplace_detached.primal, inplace_detached.tangent is None,
        )  # fmt: skip


@program
def inplace_on_dual_and_its_views(torch):
    fw = torch.autograd.forward_ad
    foo = torch.rand(2, dtype=torch.float64)
    bar = torch.ones(2, dtype=torch.float64)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        dual *= 2
        r = [fw.unpack_dual(foo).tangent is None, bar.clone(), fw.unpack_dual(dual).tangent.clone()]
        p, t = fw.unpack_dual(dual)
        r += [fw.unpack_dual(p).tangent is None, fw.unpack_dual(t).tangent is None]
        p *= 2
        r += [fw.unpack_dual(dual).primal.clone(), fw.unpack_dual(dual).tangent.clone()]
        t *= 2
        r += [fw.unpack_dual(dual).primal.clone(), fw.unpack_dual(dual).tangent.clone()]
        return r


@program
def inplace_on_differentiable_views_of_duals(torch):
    fw = torch.autograd.forward_ad
    foo, bar = torch.rand(2), torch.ones(2)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
        view = dual.narrow(0, 0, 1)
        view *= 2
        r = [fw.unpack_dual(foo).tangent is None, fw.unpack_dual(dual).tangent, fw.unpack_dual(view).tangent]  # fmt: skip
        baz = torch.rand(2)
        baz += dual
        r.append(fw.unpack_dual(baz).tangent)
        baz = torch.rand(2)
        baz[0] = dual[0]
        r.append(fw.unpack_dual(baz).tangent)
        baz = torch.rand(2)
        v = baz.detach()
        v += dual
        r.append(fw.unpack_dual(baz).tangent is None)
        return r


@program
def tangents_cleared_on_level_exit(torch):
    fw = torch.autograd.forward_ad
    foo, bar, baz = torch.rand(2), torch.rand(2), torch.rand(2)
    with fw.dual_level():
        dual = fw.make_dual(foo, bar)
    r = [fw.unpack_dual(dual).tangent is None]
    with fw.dual_level():
        r.append(fw.unpack_dual(foo).tangent is None)
        new = fw.make_dual(foo, baz)
        r += [fw.unpack_dual(dual).tangent is None, fw.unpack_dual(new).tangent is baz]
    return r


@error(
    NotImplementedError,
    r"Trying to use forward AD with add_out that does not support it because it is an out= function",
)
def dual_as_out_argument(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        foo = fw.make_dual(torch.rand(2), torch.rand(2))
        bar = torch.rand(2)
        torch.add(bar, bar, out=foo)


@error(
    NotImplementedError,
    r"Trying to use forward AD with add_out that does not support it because it is an out= function",
)
def dual_input_with_plain_out(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        foo = fw.make_dual(torch.rand(2), torch.rand(2))
        bar = torch.rand(2)
        torch.add(foo, bar, out=bar)


@error(
    RuntimeError,
    r"Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level\(\) first",
)
def make_dual_outside_a_level(torch):
    fw = torch.autograd.forward_ad
    fw.make_dual(torch.rand(2), torch.rand(2))


@error(NotImplementedError, r"Trying to use forward AD with (mul|exp)_out that does not support it because it is an out= function")  # fmt: skip
def dual_with_out_of_unary_and_binary_ops(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        foo = fw.make_dual(torch.rand(2), torch.rand(2))
        bar = torch.rand(2)
        try:
            torch.mul(bar, foo, out=bar)
        except NotImplementedError:
            torch.exp(foo, out=bar)


@program
def tangent_under_no_grad_is_outside_the_graph(torch):
    fw = torch.autograd.forward_ad
    p = torch.rand(3, requires_grad=True)
    t = torch.rand(3, requires_grad=True)
    with fw.dual_level():
        d = fw.make_dual(p, t)
        with torch.no_grad():
            outs = [fw.unpack_dual(f(d)) for f in (torch.sin, lambda x: x * x, lambda x: x.sum())]
        y = fw.unpack_dual(d.exp())
        return [
            (o.primal, o.tangent, o.tangent.grad_fn is None) for o in outs
        ], y.tangent.requires_grad


@program
def inplace_on_views_of_a_dual_keeps_its_other_tangents(torch):
    fw = torch.autograd.forward_ad
    foo = torch.arange(6.0).reshape(2, 3)
    with fw.dual_level():
        d = fw.make_dual(foo, torch.arange(6.0).reshape(2, 3) + 10)
        row = d[1]
        row.mul_(3)
        col = d[:, 0]
        col.add_(torch.ones(2))
        d[0, 2] = 5.0
        other = foo[0]  # a view of the primal itself: no tangent
        return fw.unpack_dual(d), fw.unpack_dual(row).tangent, fw.unpack_dual(col).tangent, fw.unpack_dual(foo).tangent is None, fw.unpack_dual(other).tangent is None  # fmt: skip


@program
def inplace_on_a_dual_updates_its_tangent_in_place(torch):
    fw = torch.autograd.forward_ad
    tangent = torch.ones(3)
    with fw.dual_level():
        d = fw.make_dual(torch.rand(3), tangent)
        d.mul_(torch.tensor([1.0, 2.0, 3.0]))
        d.sin_()
        return tangent, fw.unpack_dual(d).tangent is tangent, tangent._version > 0


# ---- test_autograd.py (second half): engine, versions, reentrancy, views ---------------------
@program
def version_counter_shared_by_views_and_kept_by_set_data(torch):
    x = torch.randn(1, 2)
    v = [x._version]
    x.add_(1).add_(1)
    xz = x[:]
    v += [x._version, xz._version]
    xz.add_(1)
    v += [x._version, xz._version]
    before = x._version
    x.data = torch.randn(2, 3)
    v += [x._version == before, x.shape]
    x.add_(1)
    xz.add_(1)
    v += [x._version, xz._version, x._version == xz._version]
    b = torch.randn(1, 2)
    ident = id(b)
    b.data = torch.randn(1, 2)
    return v, id(b) == ident


def _reentrant(torch, order):
    class Reentrant(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            with torch.enable_grad():
                ctx.x = x.detach().requires_grad_() - 1
            return ctx.x.detach()

        @staticmethod
        def backward(ctx, g):
            order.append("Reentrant")
            if ctx.x < 0:
                return g
            with torch.enable_grad():
                Reentrant.apply(ctx.x).backward()
            return g

    return Reentrant


@program
def reentrant_backward_runs_before_pending_tasks(torch):
    order = []

    class Mine(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            order.append("Mine")
            return g

    a = Mine.apply(torch.tensor(6.0, requires_grad=True))
    leaf = torch.tensor(9.0, requires_grad=True)
    b = _reentrant(torch, order).apply(leaf)
    (a * b).backward()
    return order, leaf.grad


@program
def deep_reentrant_backward(torch):
    v = torch.tensor(60.0, requires_grad=True)
    order = []
    _reentrant(torch, order).apply(v).sum().backward()
    return len(order), v.grad


@program
def reentrant_backward_inside_hooks(torch):
    param = torch.rand(10, requires_grad=True)
    handle = None

    def leaf_hook(grad):
        handle.remove()
        old = grad
        param.grad = None
        with torch.enable_grad():
            g = grad.detach().requires_grad_()
            new_param = param.detach().requires_grad_()
            ((g * 2) + new_param).sum().backward()
        param.grad = old
        return g.grad + grad

    handle = param.register_hook(leaf_hook)
    (param * param).sum().backward()
    first = param.grad.clone()

    p2 = torch.rand(10, requires_grad=True)

    def nonleaf_hook(grad):
        h2.remove()
        with torch.enable_grad():
            g = grad.detach().requires_grad_()
            ((g * 2) + 5).sum().backward()
        return g.grad + grad

    tmp = p2 * p2
    h2 = tmp.register_hook(nonleaf_hook)
    tmp.sum().backward()
    return first, param, p2.grad, 6 * p2


@error(RuntimeError, r"Backward is not reentrant")
def gradcheck_nondeterministic_backward(torch):
    class NonDet(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, jitter):
            ctx.jitter = jitter
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g * (1 + torch.rand_like(g) * ctx.jitter), None

    x = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: NonDet.apply(t, 1e-6), x, nondet_tol=1e-5)
    torch.autograd.gradcheck(lambda t: NonDet.apply(t, 1e-6), x)


@program
def view_as_and_unbind_views_under_grad_modes(torch):
    out = []
    for grad_mode in (True, False):
        for requires_grad in (True, False):
            inp = torch.rand(2, requires_grad=requires_grad).clone()
            with torch.set_grad_enabled(grad_mode):
                v = inp.view_as(inp)
                u = inp.unbind()
            row = [v._is_view(), u[0]._is_view(), v.grad_fn is None, u[0].grad_fn is None]
            for t in (u[0], v):
                try:
                    t.add_(1)
                    row.append(None)
                except RuntimeError as e:
                    row.append(str(e)[:60])
            out.append(row)
    return out


@program
def gradcheck_nondet_tol_and_raise_exception(torch):
    class NonDet(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, jitter):
            ctx.jitter = jitter
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g * (1 + torch.rand_like(g) * ctx.jitter), None

    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    check = torch.autograd.gradcheck
    return (
        check(lambda t: NonDet.apply(t, 1e-6), x, raise_exception=False),
        check(lambda t: NonDet.apply(t, 0.0), x),
        torch.autograd.gradgradcheck(lambda t: NonDet.apply(t, 1e-12) * t, x, nondet_tol=1e-5),
    )


def _id_two(torch, calls):
    class IdTwo(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, make_view):
            a = a.narrow(0, 0, 2) if make_view else a.clone()
            return a, a + b

        @staticmethod
        def backward(ctx, ga, gab):
            calls.append(bool(ga.eq(0).all()))
            return ga + gab, gab, None

    return IdTwo


@error(RuntimeError, r"Output 0 of IdTwo is a view and is being modified inplace\. This view is the output of a function that returns multiple views\.")  # fmt: skip
def custom_function_two_view_outputs_modified_inplace(torch):
    a = torch.ones(3, dtype=torch.float64, requires_grad=True).clone()
    x, y = _id_two(torch, []).apply(a, torch.ones(2, dtype=torch.float64), True)
    x += 3


@program
def custom_function_outputs_modified_inplace(torch):
    calls = []
    a = torch.ones(2, dtype=torch.float64, requires_grad=True)
    b = torch.ones(2, dtype=torch.float64, requires_grad=True)
    x, y = _id_two(torch, calls).apply(a.clone(), b.clone(), False)
    x += 3
    y += 3
    (x * y).sum().backward()
    return calls, a.grad, b.grad


@program
def custom_function_returning_a_view_of_a_temporary(torch):
    class ViewOfTemp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a.clone().select(0, 0)

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            res = torch.zeros_like(a)
            res.select(0, 0).copy_(grad)
            return res

    a = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    out = ViewOfTemp.apply(a * 2)
    out.sum().backward()
    return out, a.grad


def _adder(torch, calls):
    class Adder(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            a.add_(b)
            ctx.mark_dirty(a)
            return a, a + b

        @staticmethod
        def backward(ctx, ga, gab):
            calls.append(1)
            return ga + gab, ga + gab

    return Adder


@program
def mark_dirty_outputs_and_extra_inplace(torch):
    calls = []
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    c, d = _adder(torch, calls).apply(a.clone(), b)
    c += 2
    (c * d).sum().backward()
    return calls, a.grad, b.grad, c, d


@error(RuntimeError, r"Some elements marked as dirty during the forward method were not returned as output\.")  # fmt: skip
def mark_dirty_input_not_returned(torch):
    class OutPlace(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            a.add_(b)
            ctx.mark_dirty(a)
            return a.clone(), a + b

        @staticmethod
        def backward(ctx, ga, gab):
            return ga + gab, ga + 2 * gab

    a = torch.ones(2, requires_grad=True)
    OutPlace.apply(a.clone().view_as(a), torch.ones(2, requires_grad=True))


@error(RuntimeError, r"A view was created in no_grad mode and is being modified inplace")
def custom_function_view_made_under_no_grad(torch):
    class Alias(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[:]

        @staticmethod
        def backward(ctx, gx):
            return gx

    inp = torch.rand(2, requires_grad=True)
    with torch.no_grad():
        out = Alias.apply(inp)
    out.zero_()


@program
def grad_mode_restored_after_reentrant_grad(torch):
    seen = []

    class Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            return inp.clone()

        @staticmethod
        def backward(ctx, go):
            before = torch.is_grad_enabled()
            with torch.enable_grad():
                foo = torch.ones(go.size(), requires_grad=True) * 2
                (g,) = torch.autograd.grad(foo**3, foo, grad_outputs=go)
            seen.append((before, torch.is_grad_enabled()))
            return g

    inp = torch.rand(3, requires_grad=True)
    Fn.apply(inp).sum().backward()
    Fn.apply(inp).sum().backward(create_graph=True)
    return seen, inp.grad


@program
def power_with_zero_base_gradients(torch):
    a = torch.tensor([0.0, 0.0, 0.0])
    b = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    torch.sum(a**b).backward()
    g1 = b.grad.clone()
    b.grad = None
    torch.sum(0**b).backward()
    g2 = b.grad.clone()
    b.grad = None
    torch.sum(0.0**b).backward()
    return g1, g2, b.grad


@program
def nansum_gradients_with_nans(torch):
    a = torch.randn(2, 2, 2, 2, dtype=torch.float64)
    with torch.no_grad():
        a[a < 0.2] = float("nan")
    a.requires_grad = True
    out = []
    for dims in ((), (0,), (0, 2), (0, -1)):
        y = a.nansum(dims) if dims else a.nansum()
        (g,) = torch.autograd.grad(y.sum(), a, create_graph=True)
        out.append((y, g, g.requires_grad))
    return out


@error(RuntimeError, r"Output 0 of Unbind is a view and is being modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def unbind_of_a_leaf_modified_inplace(torch):
    x = torch.ones(3, requires_grad=True)
    x.unbind()[0].add_(1)


@error(RuntimeError, r"Output 0 of IdTwo is a view and is being modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def custom_function_two_outputs_view_of_a_leaf_modified_inplace(torch):
    a = torch.ones(3, dtype=torch.float64, requires_grad=True)
    x, y = _id_two(torch, []).apply(a, torch.ones(2, dtype=torch.float64), True)
    x.mul_(2)


@program
def sum_with_dtype_gradient_keeps_the_input_dtype(torch):
    out = []
    for in_dtype, out_dtype in ((torch.float32, torch.float64), (torch.float64, torch.float32)):
        a = torch.randn(2, 3, dtype=in_dtype, requires_grad=True)
        b = torch.sum(a, dtype=out_dtype)
        b.backward()
        c = torch.nansum(a * 2, dtype=out_dtype)
        (gc,) = torch.autograd.grad(c, a)
        out.append((b, a.grad, gc))
    return out


@error(NotImplementedError, r"must implement (either )?the forward")
def custom_function_without_forward(torch):
    class BadFw(torch.autograd.Function):
        @staticmethod
        def backward(ctx, foo):
            return foo

    BadFw.apply(torch.rand(1, requires_grad=True))


@error(NotImplementedError, r"must implement (either )?the backward")
def custom_function_without_backward(torch):
    class BadBw(torch.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            return foo.clone()

    BadBw.apply(torch.rand(1, requires_grad=True)).sum().backward()


@program
def custom_function_inplace_on_a_local_view(torch):
    class MyFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, inp, inplace):
            view = inp.clone()[:3]
            if inplace:
                view += 2
            return view

        @staticmethod
        def backward(ctx, grad):
            return torch.cat([grad * 3, grad.new_zeros(7)]), None

    base = torch.rand(10, requires_grad=True)
    a = MyFn.apply(base, False)
    b = MyFn.apply(base, True)
    (a.sum() + b.sum()).backward()
    return type(a.grad_fn).__name__, type(b.grad_fn).__name__, a, b, base.grad


@program
def integer_outputs_do_not_require_grad(torch):
    inp = torch.rand(4, requires_grad=True)
    val = torch.rand((), requires_grad=True)
    outs = [inp.argmax(), inp.argmin(), inp.argsort(), torch.searchsorted(inp.sort()[0], val),
            inp.sort()[1], inp.topk(2)[1], inp.max(0)[1], (inp > 0.5), inp.round().long(),
            torch.bucketize(val, inp.detach()), inp.unique()]  # fmt: skip
    return [(o.dtype, o.requires_grad, o.grad_fn is None) for o in outs]


@program
def inplace_and_out_of_place_gradients_agree(torch):
    out = []
    for name, args in (("mul", (2.0,)), ("add", (torch.ones(3),)), ("clamp", (0.2, 0.6)),
                       ("pow", (2,)), ("sigmoid", ()), ("tanh", ()), ("exp", ()),
                       ("masked_fill", (torch.tensor([True, False, True]), 0.0)),
                       ("lerp", (torch.zeros(3), 0.3)), ("addcmul", (torch.ones(3), torch.ones(3)))):  # fmt: skip
        x = torch.rand(3, requires_grad=True)
        y = getattr(x, name)(*args)
        (gy,) = torch.autograd.grad(y.sum(), x)
        z = x.clone()
        getattr(z, name + "_")(*args)
        (gz,) = torch.autograd.grad(z.sum(), x)
        out.append((name, y, gy, z, gz, type(z.grad_fn).__name__))
    return out


@program
def as_strided_gradients_of_overlapping_and_expanded_views(torch):
    out = []
    cases = (
        (torch.arange(0.0, 25.0), lambda x: x.view(5, 5), [3, 3], [6, 2], 2),
        (torch.randn(12), None, [1, 2, 1, 5], [0, 5, 100, 1], 2),
        (torch.randn(5), None, [3, 3, 3], [0, 1, 0], 2),
        (torch.randn(5), lambda x: x.expand(5, 5), [5, 5], [0, 1], 0),
        (torch.randn(35), None, [6, 6], [5, 1], 2),
        (torch.randn(15), None, [3, 2], [3, 6], 2),
        (torch.randn(3, 4), None, [4, 3], [1, 4], None),
        (torch.randn(2, 3), lambda x: x.expand(10, 2, 3), [2, 3], [3, 1], 0),
    )
    for x, pre, size, stride, offset in cases:
        x = x.double().requires_grad_()
        y = pre(x) if pre is not None else x
        z = y.as_strided(size, stride, offset)
        w = torch.randn(z.shape, dtype=torch.float64)
        (g,) = torch.autograd.grad((z * w).sum(), x, create_graph=True)
        (gw,) = torch.autograd.grad((z * z).sum(), x)
        out.append((z, g, g.requires_grad, gw))
    x = torch.randn(6, 2)
    return out, x[3:].as_strided([3, 2], [2, 1], 0), x[:3]


@program
def lerp_tensor_weight_gradients_broadcast(torch):
    out = []
    for shapes in (((3, 3), (3, 3), (3, 3)), ((3,), (2, 3), (2, 3)), ((2, 3), (3,), (2, 3)),
                   ((2, 3), (2, 3), (3,)), ((), (2, 3), (2, 3)), ((2, 3), (), ()), ((3, 3), (2, 3, 3), (3,))):  # fmt: skip
        ts = [torch.randn(s, dtype=torch.float64, requires_grad=True) for s in shapes]
        y = torch.lerp(*ts)
        gs = torch.autograd.grad((y * y).sum(), ts, create_graph=True)
        ggs = torch.autograd.grad(sum(g.sum() for g in gs), ts)
        out.append((y, gs, ggs))
    return out


@program
def reductions_with_dtype_give_the_input_dtype_gradient(torch):
    out = []
    x = torch.randn(3, 3, requires_grad=True)
    for op, no_dim, takes_dtype in ((torch.sum, True, True), (torch.prod, True, True),
                                    (torch.cumsum, False, True), (torch.cumprod, False, True),
                                    (torch.logcumsumexp, False, False)):  # fmt: skip
        if no_dim:
            out.append(torch.autograd.grad([op(x, dtype=torch.double)], [x]))
        gi = torch.randn(op(x, dim=0).shape)
        if takes_dtype:
            out.append(torch.autograd.grad([op(x, dim=0, dtype=torch.double)], [x], gi.double()))
        else:
            out.append(torch.autograd.grad([op(x.double(), dim=0)], [x], gi.double()))
    return out


@error(RuntimeError, r"a view of a leaf Variable that requires grad is being used in an in-place operation\.")  # fmt: skip
def view_as_of_a_leaf_modified_inplace(torch):
    x = torch.zeros(1, requires_grad=True)
    x.view_as(x).add_(1)


@program
def inplace_threshold_on_a_view_double_backward(torch):
    net = torch.nn.Sequential(torch.nn.InstanceNorm2d(2), torch.nn.ReLU(True))
    x = torch.tensor([[[[1.0, 1.0]]]], requires_grad=True)
    (g,) = torch.autograd.grad(net(x).pow(2), [x], grad_outputs=x.new_ones(x.shape), create_graph=True)  # fmt: skip
    torch.autograd.grad(g.sum(), [x])
    inputs = torch.ones((1, 2, 4, 4), requires_grad=True)
    tmp1 = (inputs + 1).view_as(inputs)
    tmp2 = torch.nn.functional.threshold(tmp1, 0.0, 0.0, True)
    prob = torch.sigmoid(tmp2)
    (gr,) = torch.autograd.grad(prob, inputs, torch.ones(prob.size()), create_graph=True, retain_graph=True)  # fmt: skip
    penalty = gr.sum()
    penalty.backward()
    return x, g, gr, inputs.grad


@program
def inplace_relu_on_view_of_a_dropped_clone(torch):
    a = torch.arange(10.0, requires_grad=True)
    b = a.narrow(0, 0, 2).clone().view(-1)
    b.relu_()
    c = b.clone()
    del b
    s = c.sum()
    s.backward()
    return s, a.grad


@error(RuntimeError, r"a view of a leaf Variable that requires grad is being used in an in-place operation\.")  # fmt: skip
def relu_inplace_on_narrow_of_a_leaf(torch):
    torch.rand(10, requires_grad=True).narrow(0, 0, 10).relu_()


@error(RuntimeError, r"out=")
def out_argument_that_requires_grad(torch):
    torch.mul(torch.randn(2, 2), torch.randn(2, 2), out=torch.zeros(2, 2, requires_grad=True))


@program
def out_argument_under_no_grad(torch):
    a = torch.randn(2, 2, requires_grad=True)
    b = torch.randn(2, 2, requires_grad=True)
    x = torch.zeros_like(a)
    with torch.no_grad():
        torch.mul(a, b, out=x)
    return x, x.requires_grad


@program
def diagonal_double_backward_requires_grad(torch):
    a = torch.randn(5, 6, requires_grad=True)
    (d,) = torch.autograd.grad((torch.diagonal(a) ** 2).sum(), a, create_graph=True)
    (dd,) = torch.autograd.grad(d.sum(), a)
    return d, d.requires_grad, dd


@error(RuntimeError, r"Function 'MyFuncBackward' returned nan values in its 1th output\.")
def anomaly_mode_names_the_nan_output(torch):
    class MyFunc(torch.autograd.Function):
        @staticmethod
        def forward(ctx, inp1, inp2):
            return inp1.sum(0, keepdim=True)

        @staticmethod
        def backward(ctx, g):
            gi = g.clone().expand(4).clone()
            gi[0] = 0
            gi[0] /= 0
            return None, gi

    inp = torch.rand(4, requires_grad=True)
    with torch.autograd.detect_anomaly():
        MyFunc.apply(inp, inp).backward()


@program
def grad_fn_saved_attributes(torch):
    a = torch.ones(1, requires_grad=True)
    m = torch.ones(2, 2, requires_grad=True)
    z = torch.zeros(5, requires_grad=True)
    stack = torch.stack([a, a * 2], dim=0).grad_fn
    mul = (m * (m + 1)).grad_fn
    return stack._saved_dim, type(stack._saved_dim).__name__, torch.tanh(z).grad_fn._saved_result, mul._saved_self, mul._saved_other  # fmt: skip


@program
def saved_dim_survives_backward(torch):
    a = torch.ones(1, requires_grad=True)
    out = torch.stack([a, a * 2], dim=0)
    out.sum().backward()
    return out.grad_fn._saved_dim


@program
def custom_function_saved_tensors_with_none(torch):
    def make(save):
        class MyFn(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                if save:
                    ctx.save_for_backward(x, None)
                return x * 1

            @staticmethod
            def backward(ctx, g):
                return g

        return MyFn

    a = torch.randn(5, requires_grad=True)
    y = make(True).apply(a)
    saved = y.grad_fn.saved_tensors
    z = make(False).apply(a)
    return saved, z.grad_fn.saved_tensors


def _outcome(fn):
    """None, or the first words of the RuntimeError ``fn()`` raises."""
    try:
        fn()
        return None
    except RuntimeError as e:
        text = str(e)
        for key in ("A view was created in no_grad mode", "function that returns multiple views",
                    "view was created inside a custom Function", "a view of a leaf Variable"):  # fmt: skip
            if key in text:
                return key
        return text[:50]


@program
def inplace_view_ops_on_views_by_creation_mode(torch):
    class Func(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view_as(x)

        @staticmethod
        def backward(ctx, g):
            return g

    out = []
    for name, iview in (("t_", lambda v: v.t_()), ("transpose_", lambda v: v.transpose_(0, 0)),
                        ("squeeze_", lambda v: v.squeeze_(0)), ("unsqueeze_", lambda v: v.unsqueeze_(0)),
                        ("swapdims_", lambda v: v.swapdims_(0, 0)), ("as_strided_", lambda v: v.as_strided_((1, 0), (2, 2)))):  # fmt: skip
        for kind in ("normal", "multi_view", "custom"):
            for view_mode in (True, False):
                for iview_mode in (True, False):
                    for requires_grad in (True, False):
                        base = torch.rand(2, 3, requires_grad=requires_grad).clone()
                        with torch.set_grad_enabled(view_mode):
                            if kind == "multi_view":
                                inp = base.unbind()[0]
                            elif kind == "custom":
                                inp = Func.apply(base)
                            else:
                                inp = base.view_as(base)
                        with torch.set_grad_enabled(iview_mode):
                            first = _outcome(lambda inp=inp, iview=iview: iview(inp))
                        second = None if first else _outcome(lambda inp=inp: inp.add_(1))
                        out.append(
                            (name, kind, view_mode, iview_mode, requires_grad, first, second)
                        )
    return out


@program
def as_strided_inplace_keeps_the_history(torch):
    x = torch.arange(6.0).requires_grad_()
    y = x.clone()
    y.as_strided_((2, 2), (1, 2), 1)
    (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    z = torch.arange(4.0)
    z.as_strided_((2,), (2,))
    return y, type(y.grad_fn).__name__, x.grad, z, z._version


@program
def unique_and_counting_outputs_only_first_requires_grad(torch):
    inp = torch.tensor([3.0, 1.0, 3.0, 2.0], requires_grad=True)
    out = []
    for sort in (True, False):
        for inverse in (True, False):
            for counts in (True, False):
                for res in (torch.unique(inp, sorted=sort, return_inverse=inverse, return_counts=counts),
                            torch.unique(inp, sorted=sort, return_inverse=inverse, return_counts=counts, dim=0),
                            torch.unique_consecutive(inp, return_inverse=inverse, return_counts=counts),
                            torch.unique_consecutive(inp, return_inverse=inverse, return_counts=counts, dim=0)):  # fmt: skip
                    res = res if isinstance(res, tuple) else (res,)
                    out.append([(r.requires_grad, r.grad_fn is None) for r in res])
    bins = torch.linspace(0, 1.0, steps=10, requires_grad=True)
    vals = torch.rand(3, 3, requires_grad=True)
    out.append([torch.bucketize(vals, bins).requires_grad, torch.empty(5).requires_grad_().count_nonzero().requires_grad])  # fmt: skip
    return out


@program
def given_gradients_are_not_modified_in_place(torch):
    leaf = torch.rand(2, 2, requires_grad=True)
    out2 = leaf.gather(0, torch.tensor([[0, 0]]))
    out1 = leaf.clone()
    g1 = torch.rand_like(out1)
    keep = g1.clone()
    g2 = torch.rand_like(out2)
    torch.autograd.backward((out1, out2), (g1, g2))
    return g1, keep, leaf.grad


@program
def saved_self_and_result_identity(torch):
    a = torch.randn(5, requires_grad=True)
    b = a * a
    c = a * b
    d = torch.exp(a)
    r = [b.grad_fn._saved_self is a, b.grad_fn._saved_other is a, c.grad_fn._saved_self is a]
    r += [c.grad_fn._saved_other is b, d.grad_fn._saved_result is d, d.grad_fn._saved_result]
    e = torch.exp(torch.rand(2, requires_grad=True))
    unpacked = e.grad_fn._saved_result
    v = [e._version == unpacked._version]
    with torch.no_grad():
        e += 1
    v += [e._version == unpacked._version, torch.equal(e, unpacked)]
    return r, v


@error(RuntimeError, r"after they have already been freed")
def saved_self_after_backward(torch):
    a = torch.randn(5, requires_grad=True)
    c = a * (a * a)
    c.sum().backward()
    c.grad_fn._saved_self


@program
def default_saved_tensor_hooks_transform_saved_values(torch):
    out = []
    graph = torch.autograd.graph
    for pack, unpack in ((lambda x: x, lambda x: x), (lambda x: 2 * x, lambda x: x / 2), (lambda x: 2 * x, lambda x: x)):  # fmt: skip
        with graph.saved_tensors_hooks(pack, unpack):
            a = torch.arange(1.0, 6.0, requires_grad=True)
            y = a * a
            saved = (y.grad_fn._saved_self, y.grad_fn._saved_other)
            y.sum().backward()
            e = torch.exp(a.detach().requires_grad_())
            out.append((saved, a.grad, e.grad_fn._saved_result))
    a = torch.arange(1.0, 6.0, requires_grad=True)
    (a * a).sum().backward()
    out.append(a.grad)
    return out


@program
def saved_tensor_hooks_in_double_backward(torch):
    hooks = torch.autograd.graph.saved_tensors_hooks
    out = []
    a = torch.arange(1.0, 6.0, requires_grad=True)
    with hooks(lambda x: x, lambda x: x):
        (g,) = torch.autograd.grad((a**3).sum(), (a,), create_graph=True)
        g.sum().backward()
    out.append(a.grad)
    a = torch.arange(1.0, 6.0, requires_grad=True)
    with hooks(lambda x: 2 * x, lambda x: x):
        s = (a**3).sum()
    (g,) = torch.autograd.grad(s, (a,), create_graph=True)
    g.sum().backward()
    out.append(a.grad)
    a = torch.arange(1.0, 6.0, requires_grad=True)
    s = (a**3).sum()
    with hooks(lambda x: 2 * x, lambda x: x):
        (g,) = torch.autograd.grad(s, (a,), create_graph=True)
        g.sum().backward()
    out.append(a.grad)
    return out


@program
def save_on_cpu_keeps_saved_values(torch):
    out = []
    for pin in (False, True):
        for dtype in (torch.float32, torch.float64):
            with torch.autograd.graph.save_on_cpu(pin_memory=pin):
                a = torch.randn(5, requires_grad=True, dtype=dtype)
                y = a * a
                saved = y.grad_fn._saved_self
                y.sum().backward()
            out.append((saved, saved.dtype, torch.equal(saved, a), a.grad))
    return out


@error(RuntimeError, r"^Dual level must be a positive number\.$")
def exit_dual_level_without_a_level(torch):
    torch.autograd.forward_ad.exit_dual_level()


@error(
    RuntimeError, r"Trying to exit a forward AD level that was not the last one that was created"
)
def exit_dual_level_of_another_level(torch):
    fw = torch.autograd.forward_ad
    fw.enter_dual_level()
    try:
        fw.exit_dual_level(level=3)
    finally:
        fw.exit_dual_level()


@program
def forward_ad_levels_and_dual_checks(torch):
    fw = torch.autograd.forward_ad
    out = [fw.enter_dual_level(), fw.exit_dual_level()]
    with fw.dual_level():
        x = fw.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.5, -1.0]))
        views = [x.view(3, 1), x[1:], x.t(), x.expand(2, 3), x.unsqueeze(0).squeeze(), x.flip(0)]
        out += [fw.unpack_dual(v).tangent for v in views]
        out += [fw.unpack_dual(o).tangent is None for o in (x.argmax(), x > 1, x.long())]
        y, z = torch.zeros(2), torch.zeros(4)
        y.copy_(x[:2])
        z[:3] = x
        out += [fw.unpack_dual(y).tangent, fw.unpack_dual(z).tangent]
        out += [fw.unpack_dual(x.double()).tangent, fw.unpack_dual(x.to(torch.float16)).tangent]
        d = fw.make_dual(torch.ones(2), torch.ones(2, dtype=torch.float64))
        out.append(fw.unpack_dual(d).tangent.dtype)
    return out


@error(RuntimeError, r"Making a dual Tensor based on a Tensor that already has a forward gradient at the same level 0 is not supported\.")  # fmt: skip
def make_dual_of_a_dual(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        fw.make_dual(fw.make_dual(torch.ones(2), torch.ones(2)), torch.ones(2))


@error(ValueError, r"Expected primal to be floating point or complex, but got: torch.int64")
def make_dual_of_an_integer_primal(torch):
    fw = torch.autograd.forward_ad
    with fw.dual_level():
        fw.make_dual(torch.ones(2, dtype=torch.long), torch.ones(2))


@program
def jacobian_and_hessian_match_their_products(torch):
    F = _F(torch)
    x = torch.rand(4, dtype=torch.float64)
    v = torch.rand(4, dtype=torch.float64)

    def f(t):
        return t**3 + t.sum()

    jac = F.jacobian(f, x)
    hes = F.hessian(_exp3, x)
    return (
        F.jvp(f, x, v)[1], torch.mm(jac, v.unsqueeze(1)).squeeze(1),
        F.vjp(f, x, v)[1], torch.mm(v.unsqueeze(0), jac).squeeze(0),
        F.hvp(_exp3, x, v)[1], torch.mm(hes, v.unsqueeze(1)).squeeze(1),
        F.vhp(_exp3, x, v)[1],
        F.hvp(lambda t: t.exp().sum().view(1, 1, 1), torch.rand(2, 2), torch.rand(2, 2)),
    )  # fmt: skip


@program
def hvp_create_graph_through_a_tuple_input(torch):
    F = _F(torch)
    x = torch.rand(3, dtype=torch.float64, requires_grad=True)
    y = torch.rand(4, dtype=torch.float64, requires_grad=True)
    v = (torch.ones(3, dtype=torch.float64, requires_grad=True), torch.ones(4, dtype=torch.float64, requires_grad=True))  # fmt: skip

    def bar(a, b):
        return (a + 3 * b.narrow(0, 0, 3)).exp().sum()

    val, prod = F.hvp(bar, (x.cos(), y), v, create_graph=True)
    total = val.cos() + prod[0].cos().sum() + prod[1].cos().sum()
    return val, prod, torch.autograd.grad(total, (x, y, *v)), prod[1].grad_fn is None


@error(RuntimeError, r"Output 1 of Unbind is a view and its base or another view of its base has been modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def unbind_view_used_after_its_base_changed(torch):
    inp = torch.rand(2, requires_grad=True).clone()
    u = inp.unbind()
    inp.view_as(inp).add_(1)
    (u[1] * 2).sum().backward()


@error(RuntimeError, r"Output 1 of Split is a view and is being modified inplace\. This view is the output of a function that returns multiple views")  # fmt: skip
def split_view_modified_after_its_base_changed(torch):
    x = torch.rand(4, requires_grad=True).clone()
    s = x.split(2)
    x.mul_(2)
    s[1].add_(1)


@program
def views_of_one_output_ops_still_work_after_their_base_changed(torch):
    x = torch.rand(4, requires_grad=True)
    y = x.clone()
    a, b = y[:2], y.narrow(0, 2, 2)
    y.mul_(3)
    (a * b).sum().backward()
    s = x.clone().split(2)
    return a, b, x.grad, s[0] + 1
