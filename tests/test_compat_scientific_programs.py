"""Scientific-computing PyTorch programs run with `import minitorch as torch` give PyTorch's numbers.

PINN training (autograd.grad with create_graph, Adam then LBFGS), torch.func and
torch.autograd.functional transforms, and classic numerical programs (Rosenbrock descent,
Newton, least squares, RK4 backprop through time, distributions, Gaussian processes).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close

import minitorch


def _mlp(lib, seed=0):
    lib.manual_seed(seed)
    return lib.nn.Sequential(
        lib.nn.Linear(2, 16),
        lib.nn.Tanh(),
        lib.nn.Linear(16, 16),
        lib.nn.Tanh(),
        lib.nn.Linear(16, 1),
    ).double()


def _load(model, ref):
    model.load_state_dict(
        {k: minitorch.tensor(v.detach().numpy()) for k, v in ref.state_dict().items()}
    )


def _pinn_loss(lib, model, xt, x0):
    xt = xt.clone().requires_grad_(True)
    u = model(xt)
    g = lib.autograd.grad(
        u, xt, grad_outputs=lib.ones_like(u), create_graph=True, retain_graph=True
    )[0]
    u_x, u_t = g[:, 0:1], g[:, 1:2]
    u_xx = lib.autograd.grad(u_x, xt, grad_outputs=lib.ones_like(u_x), create_graph=True)[0][:, 0:1]
    res = u_t - 0.1 * u_xx
    ic = model(x0) - lib.sin(np.pi * x0[:, 0:1])
    return (res**2).mean() + (ic**2).mean()


def _pinn_run(lib, model, xt, x0, line_search):
    losses = []
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(3):
        opt.zero_grad()
        loss = _pinn_loss(lib, model, xt, x0)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    lbfgs = lib.optim.LBFGS(
        model.parameters(), lr=1, max_iter=5, history_size=4, line_search_fn=line_search
    )

    def closure():
        lbfgs.zero_grad()
        loss = _pinn_loss(lib, model, xt, x0)
        loss.backward()
        return loss

    for _ in range(2):
        losses.append(float(lbfgs.step(closure)))
    return losses


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_pinn_heat_equation_adam_then_lbfgs(torch, line_search):
    rng = np.random.default_rng(0)
    xt_np = rng.uniform(-1, 1, (32, 2))
    x0_np = np.stack([rng.uniform(-1, 1, 16), np.zeros(16)], 1)
    ref = _mlp(torch)
    model = _mlp(minitorch)
    _load(model, ref)
    want = _pinn_run(torch, ref, torch.tensor(xt_np), torch.tensor(x0_np), line_search)
    got = _pinn_run(minitorch, model, minitorch.tensor(xt_np), minitorch.tensor(x0_np), line_search)
    np.testing.assert_allclose(got, want, rtol=1e-8)
    for p, q in zip(model.parameters(), ref.parameters()):
        assert_close(p, q, rtol=1e-7, atol=1e-9)


def _f(lib, x):
    return (x.sin() * x.roll(1, 0)).sum() + (x**3).prod()


def test_func_transforms(torch):
    x_np = np.random.default_rng(1).normal(size=4)
    xs_np = np.random.default_rng(2).normal(size=(3, 4))
    for name in ["jacrev", "jacfwd", "hessian"]:
        want = getattr(torch.func, name)(lambda x: _f(torch, x))(torch.tensor(x_np))
        got = getattr(minitorch.func, name)(lambda x: _f(minitorch, x))(minitorch.tensor(x_np))
        assert_close(got, want, rtol=1e-10)
    vec = lambda lib: lambda x: lib.tanh(x) * x.sum()  # noqa: E731
    for name in ["jacrev", "jacfwd"]:
        (
            assert_close(
                getattr(minitorch.func, name)(vec(minitorch))(minitorch.tensor(x_np)),
                getattr(torch.func, name)(vec(torch))(torch.tensor(x_np)),
                rtol=1e-10,
            ),
            name,
        )
    want = torch.func.vmap(torch.func.grad(lambda x: _f(torch, x)))(torch.tensor(xs_np))
    got = minitorch.func.vmap(minitorch.func.grad(lambda x: _f(minitorch, x)))(
        minitorch.tensor(xs_np)
    )
    assert_close(got, want, rtol=1e-10)


def test_func_functional_call_of_model(torch):
    ref = _mlp(torch)
    model = _mlp(minitorch)
    _load(model, ref)
    x_np = np.random.default_rng(3).normal(size=(5, 2))

    def run(lib, m):
        params = {k: v.detach() for k, v in m.named_parameters()}

        def loss(p, x):
            return lib.func.functional_call(m, p, (x,)).pow(2).sum()

        g = lib.func.grad(loss)(params, lib.tensor(x_np))
        per_sample = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0))(
            params, lib.tensor(x_np)[:, None]
        )
        jac_x = lib.func.jacrev(lambda x: lib.func.functional_call(m, params, (x,)))(
            lib.tensor(x_np[0])
        )
        hess_x = lib.func.hessian(lambda x: loss(params, x))(lib.tensor(x_np[0]))
        return g, per_sample, jac_x, hess_x

    got, want = run(minitorch, model), run(torch, ref)
    for k in want[0]:
        assert_close(got[0][k], want[0][k], rtol=1e-10)
        assert_close(got[1][k], want[1][k], rtol=1e-10)
    assert_close(got[2], want[2], rtol=1e-10)
    assert_close(got[3], want[3], rtol=1e-10)


@pytest.mark.parametrize("vectorize", [False, True])
@pytest.mark.parametrize("create_graph", [False, True])
def test_autograd_functional(torch, vectorize, create_graph):
    rng = np.random.default_rng(4)
    x_np, v_np, w_np = rng.normal(size=3), rng.normal(size=3), rng.normal(size=2)

    def vecf(lib):
        return lambda x: lib.stack([x[0] * x[1].exp(), (x**2).sum().sin()])

    def scal(lib):
        return lambda x: (x.exp() * x.roll(1, 0)).sum()

    def run(lib):
        F = lib.autograd.functional
        x = lib.tensor(x_np, requires_grad=create_graph)
        out = [
            F.jacobian(vecf(lib), x, create_graph=create_graph, vectorize=vectorize),
            F.hessian(scal(lib), x, create_graph=create_graph, vectorize=vectorize),
            *F.vjp(vecf(lib), x, lib.tensor(w_np), create_graph=create_graph),
            *F.jvp(vecf(lib), x, lib.tensor(v_np), create_graph=create_graph),
            *F.hvp(scal(lib), x, lib.tensor(v_np), create_graph=create_graph),
            *F.vhp(scal(lib), x, lib.tensor(v_np), create_graph=create_graph),
        ]
        flags = [t.requires_grad for t in out]
        if create_graph:
            out.append(lib.autograd.grad(out[1].sum() + out[3].sum(), x)[0])
        return out, flags

    (got, gflags), (want, wflags) = run(minitorch), run(torch)
    assert gflags == wflags
    for a, b in zip(got, want):
        assert_close(a, b, rtol=1e-10)


def test_rosenbrock_gradient_descent_and_newton(torch):
    def run(lib):
        x = lib.tensor([-1.2, 1.0], dtype=lib.float64).requires_grad_()
        traj = []
        for _ in range(50):
            f = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
            f.backward()
            with lib.no_grad():
                x -= 1e-3 * x.grad
                x.grad.zero_()
            traj.append(f.item())
        y = lib.tensor([-1.2, 1.0], dtype=lib.float64)
        rosen = lambda z: (1 - z[0]) ** 2 + 100 * (z[1] - z[0] ** 2) ** 2  # noqa: E731
        for _ in range(6):
            g = lib.autograd.functional.jacobian(rosen, y)
            h = lib.autograd.functional.hessian(rosen, y)
            y = y - lib.linalg.solve(h, g)
        return traj, x.detach(), y

    got, want = run(minitorch), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    assert_close(got[1], want[1], rtol=1e-12)
    assert_close(got[2], want[2], rtol=1e-10)


def test_least_squares(torch):
    rng = np.random.default_rng(5)
    a_np, b_np = rng.normal(size=(20, 3)), rng.normal(size=(20, 2))
    got = minitorch.linalg.lstsq(minitorch.tensor(a_np), minitorch.tensor(b_np), driver="gelsd")
    want = torch.linalg.lstsq(torch.tensor(a_np), torch.tensor(b_np), driver="gelsd")
    for a, b in zip(got, want):
        assert_close(a, b, rtol=1e-10)
    a = minitorch.tensor(a_np, requires_grad=True)
    ta = torch.tensor(a_np, requires_grad=True)
    minitorch.linalg.lstsq(a, minitorch.tensor(b_np)).solution.sum().backward()
    torch.linalg.lstsq(ta, torch.tensor(b_np)).solution.sum().backward()
    assert_close(a.grad, ta.grad, rtol=1e-9)


def _rk4(lib, theta, y0, dt, steps):
    def f(y):
        return lib.stack([y[1], -theta[0] * y[0] - theta[1] * y[1]])

    y = y0
    for _ in range(steps):
        k1 = f(y)
        k2 = f(y + dt / 2 * k1)
        k3 = f(y + dt / 2 * k2)
        k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def test_rk4_backprop_through_time(torch):
    def run(lib):
        theta = lib.tensor([2.0, 0.3], dtype=lib.float64, requires_grad=True)
        y0 = lib.tensor([1.0, 0.0], dtype=lib.float64, requires_grad=True)
        loss = (_rk4(lib, theta, y0, 0.05, 40) ** 2).sum()
        gt, gy = lib.autograd.grad(loss, (theta, y0))
        return loss, gt, gy

    for a, b in zip(run(minitorch), run(torch)):
        assert_close(a, b, rtol=1e-12)


def test_distributions_log_prob_and_rsample_gradients(torch):
    rng = np.random.default_rng(6)
    eps_np, x_np = rng.normal(size=(8, 3)), rng.uniform(0.1, 2, size=(8, 3))

    def run(lib):
        D = lib.distributions
        loc = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        scale = lib.tensor([1.0, 0.5, 2.0], dtype=lib.float64, requires_grad=True)
        n = D.Normal(loc, scale)
        sample = loc + scale * lib.tensor(eps_np)  # the reparameterised draw with fixed noise
        obj = n.log_prob(sample).sum() + n.entropy().sum()
        obj = obj + D.Gamma(scale, loc.exp()).log_prob(lib.tensor(x_np)).sum()
        obj = obj + D.LogNormal(loc, scale).log_prob(lib.tensor(x_np)).sum()
        mvn = D.MultivariateNormal(loc, scale_tril=lib.diag(scale) + 0.1 * lib.ones(3, 3).tril(-1))
        obj = (
            obj + mvn.log_prob(sample).sum() + D.kl_divergence(n, D.Normal(loc.detach(), 1.0)).sum()
        )
        g = lib.autograd.grad(obj, (loc, scale))
        lib.manual_seed(0)
        shape = n.rsample((4,)).shape
        return obj, g[0], g[1], tuple(shape)

    got, want = run(minitorch), run(torch)
    for a, b in zip(got[:3], want[:3]):
        assert_close(a, b, rtol=1e-10)
    assert got[3] == want[3]


def test_gaussian_process_marginal_likelihood(torch):
    rng = np.random.default_rng(7)
    x_np = rng.uniform(0, 5, (15, 1))
    y_np = np.sin(x_np[:, 0]) + 0.1 * rng.normal(size=15)
    xs_np = np.linspace(0, 5, 6)[:, None]

    def run(lib):
        x, y, xs = lib.tensor(x_np), lib.tensor(y_np), lib.tensor(xs_np)
        log_ls = lib.tensor(0.0, dtype=lib.float64, requires_grad=True)
        opt = lib.optim.Adam([log_ls], lr=0.1)
        hist = []
        for _ in range(3):
            opt.zero_grad()
            ls = log_ls.exp()
            k = lib.exp(-0.5 * lib.cdist(x, x) ** 2 / ls**2) + 0.01 * lib.eye(15, dtype=lib.float64)
            chol = lib.linalg.cholesky(k)
            alpha = lib.cholesky_solve(y[:, None], chol)
            sign, logabsdet = lib.linalg.slogdet(k)
            logdet = 0.5 * lib.logdet(k) + 0.5 * sign * logabsdet
            nll = 0.5 * (y[:, None] * alpha).sum() + 0.5 * logdet + 0.5 * 15 * np.log(2 * np.pi)
            nll.backward()
            chol_logdet = 2 * chol.diagonal().log().sum()
            hist.append((nll.item(), log_ls.grad.item(), chol_logdet.item(), logdet.item()))
            opt.step()
        ks = lib.exp(-0.5 * lib.cdist(xs, x) ** 2 / log_ls.exp() ** 2)
        mean = ks @ alpha
        return hist, mean.detach(), log_ls.detach()

    got, want = run(minitorch), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-9)
    assert_close(got[1], want[1], rtol=1e-9)
    assert_close(got[2], want[2], rtol=1e-10)


def test_func_style_pinn_residual_and_parameter_gradients(torch):
    def small(lib):
        lib.manual_seed(0)
        return lib.nn.Sequential(lib.nn.Linear(2, 8), lib.nn.Tanh(), lib.nn.Linear(8, 1)).double()

    ref, model = small(torch), small(minitorch)
    _load(model, ref)
    x_np = np.random.default_rng(8).normal(size=(6, 2))

    def run(lib, m):
        F = lib.func
        params = dict(m.named_parameters())

        def u(p, x):
            return F.functional_call(m, p, (x,)).squeeze()

        x = lib.tensor(x_np)
        du = F.vmap(F.jacrev(u, argnums=1), in_dims=(None, 0))(params, x)
        d2u = F.vmap(F.jacfwd(F.jacrev(u, argnums=1), argnums=1), in_dims=(None, 0))(params, x)
        hes = F.vmap(F.hessian(u, argnums=1), in_dims=(None, 0))(params, x)
        loss = (du[:, 1] - d2u[:, 0, 0]).pow(2).mean()
        g = lib.autograd.grad(
            loss, list(params.values()), allow_unused=True, materialize_grads=True
        )

        def residual(p):
            dp = F.vmap(F.jacrev(u, argnums=1), in_dims=(None, 0))(p, x)
            hp = F.vmap(F.hessian(u, argnums=1), in_dims=(None, 0))(p, x)
            return (dp[:, 1] - hp[:, 0, 0]).pow(2).mean()

        return [du, d2u, hes, loss, *g, *F.grad(residual)(params).values()]

    for a, b in zip(run(minitorch, model), run(torch, ref)):
        assert_close(a, b, rtol=1e-10, atol=1e-12)


def _rosen(x):
    return ((1 - x[:-1]) ** 2 + 100 * (x[1:] - x[:-1] ** 2) ** 2).sum()


@pytest.mark.parametrize(
    "name, kw",
    [
        ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True)),
        ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=1e-3)),
        ("AdamW", dict(lr=0.01, maximize=False)),
        ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
        ("LBFGS", dict(lr=1, max_iter=50, line_search_fn="strong_wolfe")),
        ("LBFGS", dict(lr=0.5, max_iter=7, history_size=2)),
    ],
)
def test_optimizers_on_rosenbrock_with_closure(torch, name, kw):
    x0 = np.array([-1.2, 1.0, 0.5, -0.3])

    def run(lib):
        x = lib.tensor(x0, requires_grad=True)
        opt = getattr(lib.optim, name)([x], **kw)

        def closure():
            opt.zero_grad()
            f = _rosen(x)
            f.backward()
            return f

        losses = [float(opt.step(closure)) for _ in range(4)]
        state = {k: v for k, v in opt.state[x].items() if k in ("n_iter", "func_evals")}
        return losses, x.detach(), state

    got, want = run(minitorch), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-10)
    assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)
    assert got[2] == want[2]


def test_float32_rk4_and_float64_default_dtype_programs(torch):
    def rk4(lib):
        theta = lib.tensor([2.0, 0.3], requires_grad=True)
        y = _rk4(lib, theta, lib.tensor([1.0, 0.0]), 0.05, 50)
        return y, lib.autograd.grad(y.sum(), theta)[0]

    got, want = rk4(minitorch), rk4(torch)
    assert got[0].dtype == minitorch.float32 and got[1].dtype == minitorch.float32
    assert_close(got[0], want[0], rtol=1e-5)
    assert_close(got[1], want[1], rtol=1e-5)

    def default64(lib):
        lib.set_default_dtype(lib.float64)
        try:
            x = lib.linspace(0, 1, 5).requires_grad_()
            u = lib.sin(np.pi * x) * lib.tensor(0.5)
            (u_x,) = lib.autograd.grad(u, x, lib.ones_like(u), create_graph=True)
            return u_x, str(lib.nn.Linear(2, 2).weight.dtype).split(".")[-1]
        finally:
            lib.set_default_dtype(lib.float32)

    got, want = default64(minitorch), default64(torch)
    assert got[0].dtype == minitorch.float64 and got[1] == want[1] == "float64"
    assert_close(got[0], want[0], rtol=1e-12)


def test_numerical_program_mistakes_raise_as_in_pytorch(torch):
    for lib in (minitorch, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(
            RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"
        ):
            x -= 0.1
        with pytest.raises(
            RuntimeError, match="grad can be implicitly created only for scalar outputs"
        ):
            lib.autograd.grad(x * 2, x)
        with pytest.raises(TypeError, match="closure"):
            lib.optim.LBFGS([x]).step()
        y = x * 1
        z = y.sin().sum()
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.backward()


def test_gamma_rsample_gradient_is_the_implicit_reparameterisation(torch):
    # minitorch's dx/da is exact; PyTorch's _standard_gamma_grad is an approximation (~1e-3)
    a = minitorch.tensor([0.5, 1.0, 3.0, 20.0], dtype=minitorch.float64, requires_grad=True)
    s = minitorch.distributions.Gamma(a, 2.0).rsample((50,))
    (g,) = minitorch.autograd.grad(s.sum(0), a, minitorch.ones(4, dtype=minitorch.float64))
    draws = torch.tensor(s.detach().numpy() * 2)
    want = (
        torch._standard_gamma_grad(torch.tensor(a.detach().numpy()).expand(50, 4), draws).sum(0) / 2
    )
    assert_close(g, want, rtol=2e-2)


def test_newton_with_reused_lu_factorization(torch):
    # torch.linalg.lu_factor / lu_solve were missing; Newton-chord iterations reuse one LU
    rng = np.random.default_rng(9)
    a_np, b_np = rng.normal(size=(2, 4, 4)), rng.normal(size=(2, 4, 3))

    def run(lib):
        a, b = lib.tensor(a_np, requires_grad=True), lib.tensor(b_np, requires_grad=True)
        LU, piv = lib.linalg.lu_factor(a)
        outs = [
            lib.linalg.lu_solve(LU, piv, b),
            lib.linalg.lu_solve(LU, piv, b, adjoint=True),
            lib.linalg.lu_solve(LU, piv, b.mT, left=False),
            lib.linalg.lu_solve(LU, piv, b.mT, left=False, adjoint=True),
        ]
        loss = sum((o**2).sum() for o in outs) + (LU**2).sum()
        g = lib.autograd.grad(loss, (a, b), create_graph=True)
        return [LU, piv, *outs, *g, *lib.autograd.grad(g[0].sum() + g[1].sum(), (a, b))]

    got, want = run(minitorch), run(torch)
    assert got[1].dtype == minitorch.int32
    for x, y in zip(got, want):
        assert_close(x, y, rtol=1e-9, atol=1e-10)
    for shape in [(5, 3), (3, 5)]:
        m = rng.normal(size=shape)
        got = minitorch.linalg.lu_factor(minitorch.tensor(m))
        want = torch.linalg.lu_factor(torch.tensor(m))
        assert_close(got.LU, want.LU, rtol=1e-12, atol=1e-14)
        assert_close(got.pivots, want.pivots)


def test_lu_factor_gradcheck_and_singular_inputs(torch):
    from minitorch.autograd import gradcheck, gradgradcheck

    a = minitorch.tensor(np.random.default_rng(10).normal(size=(3, 3)), requires_grad=True)
    assert gradcheck(lambda x: minitorch.linalg.lu_factor(x).LU, (a,))
    assert gradgradcheck(lambda x: minitorch.linalg.lu_factor(x).LU, (a,))
    b = minitorch.tensor(np.random.default_rng(11).normal(size=(3, 2)), requires_grad=True)
    lu_b = lambda x, y: minitorch.linalg.lu_solve(*minitorch.linalg.lu_factor(x), y)  # noqa: E731
    assert gradcheck(lu_b, (a, b))
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    got, want = (
        minitorch.linalg.lu_factor_ex(minitorch.tensor(s)),
        torch.linalg.lu_factor_ex(torch.tensor(s)),
    )
    for x, y in zip(got, want):
        assert_close(x, y)
    for lib in (minitorch, torch):
        with pytest.raises(
            RuntimeError, match=r"lu_factor: U\[2,2\] is zero and using it on lu_solve"
        ):
            lib.linalg.lu_factor(lib.tensor(s))
        with pytest.raises(RuntimeError, match=r"lu_factor_ex: U\[2,2\] is zero"):
            lib.linalg.lu_factor_ex(lib.tensor(s), check_errors=True)
    rect = np.arange(6.0).reshape(3, 2) ** 2  # tall LU is differentiable (PyTorch's formula)
    grads = []
    for lib in (minitorch, torch):
        r = lib.tensor(rect, requires_grad=True)
        lib.linalg.lu_factor_ex(r).LU.sum().backward()
        grads.append(r.grad)
    assert_close(*grads)


def test_solve_ex_and_inv_ex_report_singular_matrices(torch):
    s = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), 2 * np.eye(2)])
    for lib in (minitorch, torch):
        with pytest.raises(lib.linalg.LinAlgError, match="inv_ex: The diagonal element 2 is zero"):
            lib.linalg.inv_ex(lib.tensor(s[0]), check_errors=True)
        with pytest.raises(lib.linalg.LinAlgError, match="solve_ex: The solver failed"):
            lib.linalg.solve_ex(lib.tensor(s[0]), lib.ones(2, dtype=lib.float64), check_errors=True)
    got = minitorch.linalg.inv_ex(minitorch.tensor(s))
    want = torch.linalg.inv_ex(torch.tensor(s))
    assert_close(got.info, want.info)
    assert_close(got.inverse[1], want.inverse[1])
    assert not minitorch.isfinite(got.inverse[0]).any()  # PyTorch's are +-inf there, ours NaN
    b_np = np.ones((2, 2))
    got = minitorch.linalg.solve_ex(minitorch.tensor(s), minitorch.tensor(b_np))
    want = torch.linalg.solve_ex(torch.tensor(s), torch.tensor(b_np))
    assert_close(got.info, want.info)
    assert_close(got.result[1], want.result[1])

    def grads(lib):
        a = lib.tensor(np.eye(3) + 0.1, requires_grad=True)
        b = lib.tensor(np.arange(3.0), requires_grad=True)
        out = (
            lib.linalg.inv_ex(a).inverse.sum()
            + lib.linalg.solve_ex(a, b, left=True).result.pow(2).sum()
        )
        return [*lib.autograd.grad(out, (a, b)), lib.linalg.solve_ex(a, b).info]

    for x, y in zip(grads(minitorch), grads(torch)):
        assert_close(x, y, rtol=1e-12)


@pytest.mark.parametrize("shape", [(2, 4, 4), (5, 3), (3, 5)])
def test_linalg_lu_and_lu_unpack(torch, shape):
    a_np = np.random.default_rng(12).normal(size=shape)

    def run(lib):
        a = lib.tensor(a_np, requires_grad=True)
        P, L, U = lib.linalg.lu(a)
        LU, piv = lib.linalg.lu_factor(a.detach())
        out = [P, L, U, *lib.lu_unpack(LU, piv), *lib.lu_unpack(LU, piv, unpack_data=False)]
        out += lib.lu_unpack(LU, piv, unpack_pivots=False)
        if shape[-1] == shape[-2]:
            out.append(lib.autograd.grad((L * 2 + U**2).sum(), a)[0])
        return out

    for x, y in zip(run(minitorch), run(torch)):
        assert_close(x, y, rtol=1e-10, atol=1e-12)


def test_pinn_separate_input_grads_and_model_jacobian_penalty(torch):
    def small(lib):
        lib.manual_seed(0)
        return lib.nn.Sequential(lib.nn.Linear(2, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1)).double()

    ref, model = small(torch), small(minitorch)
    _load(model, ref)
    x_np = np.random.default_rng(13).normal(size=(6, 2))

    def run(lib, m):
        x = lib.tensor(x_np[:, :1], requires_grad=True)
        t = lib.tensor(x_np[:, 1:], requires_grad=True)
        u = m(lib.cat([x, t], 1))
        ones = lib.ones_like(u)
        u_x = lib.autograd.grad(u, x, ones, create_graph=True, retain_graph=True)[0]
        u_t = lib.autograd.grad(u, t, ones, create_graph=True)[0]
        u_xx = lib.autograd.grad(u_x, x, lib.ones_like(u_x), create_graph=True)[0]
        loss = (u_t - u_xx).pow(2).mean()
        loss.backward()
        xs = lib.tensor(x_np, requires_grad=True)
        J = lib.autograd.functional.jacobian(m, xs, create_graph=True, vectorize=True)
        pen = J.pow(2).sum()
        gx = lib.autograd.grad(pen, xs, retain_graph=True)[0]
        gp = lib.autograd.grad(pen, list(m.parameters()), allow_unused=True, materialize_grads=True)
        return [loss, *(p.grad for p in m.parameters() if p.grad is not None), J, gx, *gp]

    got, want = run(minitorch, model), run(torch, ref)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert_close(a, b, rtol=1e-10, atol=1e-13)


def test_tensorsolve_and_tensorinv(torch):
    # torch.linalg.tensorsolve / tensorinv were missing
    rng = np.random.default_rng(14)
    a_np, b_np = rng.normal(size=(4, 6, 8, 3)), rng.normal(size=(4, 6))
    a2_np, b2_np = rng.normal(size=(6, 2, 4, 3)), rng.normal(size=(4, 3))

    def run(lib):
        a = lib.tensor(a_np, requires_grad=True)
        x = lib.linalg.tensorsolve(a, lib.tensor(b_np))
        y = lib.linalg.tensorinv(a, ind=2)
        z = lib.linalg.tensorsolve(lib.tensor(a2_np), lib.tensor(b2_np), dims=(0, 1))
        return [x, y, z, lib.autograd.grad((x**2).sum() + y.sum(), a)[0]]

    for got, want in zip(run(minitorch), run(torch)):
        assert_close(got, want, rtol=1e-9, atol=1e-9)
    for lib in (minitorch, torch):
        a = lib.tensor(a_np)
        with pytest.raises(RuntimeError, match="strictly positive integer for 'ind', but got 0"):
            lib.linalg.tensorinv(a, ind=0)
        with pytest.raises(
            RuntimeError,
            match=r"prod\(self.shape\[ind:\]\) == prod\(self.shape\[:ind\]\), but got 144 != 4",
        ):
            lib.linalg.tensorinv(a, ind=1)
        with pytest.raises(RuntimeError, match="but got 144 != 3"):
            lib.linalg.tensorsolve(a, lib.ones(3, dtype=lib.float64))


def test_lu_family_stays_on_a_cupy_device():
    from fake_cupy import installed

    rng = np.random.default_rng(15)
    with installed():
        a = minitorch.tensor(rng.normal(size=(2, 3, 3)), device="cuda", requires_grad=True)
        b = minitorch.tensor(rng.normal(size=(2, 3, 2)), device="cuda")
        LU, piv = minitorch.linalg.lu_factor(a)
        x = minitorch.linalg.lu_solve(LU, piv, b, adjoint=True)
        P, L, U = minitorch.linalg.lu(a)
        (g,) = minitorch.autograd.grad(x.sum() + L.sum() + U.sum(), a)
        s = minitorch.tensor(np.stack([np.ones((3, 3)), np.eye(3)]), device="cuda")
        inv = minitorch.linalg.inv_ex(s)
        outs = [LU, piv, x, P, g, inv.inverse, inv.info]
        assert all(t.device.type == "cuda" for t in outs)
        assert inv.info.cpu().tolist() == [2, 0]
    want = minitorch.linalg.solve(a.detach().cpu().mT, b.cpu())
    assert_close(x.cpu(), want, rtol=1e-10)
