"""PyTorch-compatibility programs for research and scientific-ML code (PINNs, Gaussian
processes, flows, meta-learning, RL, contrastive learning): each program is written once
against a library module ``lib`` and run with minitorch and PyTorch, on the same numpy data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

_R = np.random.RandomState(0)
_A = _R.randn(5, 5)
SPD = (_A @ _A.T + 5 * np.eye(5)).astype(np.float32)
TALL = _R.randn(6, 4).astype(np.float32)
RHS = _R.randn(6, 2).astype(np.float32)
B5 = _R.randn(5, 3).astype(np.float32)


def both(torch, program):
    """Runs ``program(lib)`` with minitorch and with PyTorch."""
    return program(minitorch), program(torch)


def assert_all_close(actual, expected, rtol=1e-4, atol=1e-5):
    """Compares two results element by element: tensors by shape, dtype and value; other
    values (shapes, dtypes, flags) with ==."""
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        if hasattr(e, "detach"):
            assert tuple(a.shape) == tuple(e.shape)
            assert str(a.dtype).split(".")[-1] == str(e.dtype).split(".")[-1]
            assert_close(a, e, rtol=rtol, atol=atol)
        elif isinstance(e, float):
            assert_close(a, e, rtol=rtol, atol=atol)
        else:
            assert a == e


def mlp(lib, sizes, act="Tanh", seed=0):
    """An MLP with deterministic weights (the same numpy arrays in both libraries)."""
    nn, rs, layers = lib.nn, np.random.RandomState(seed), []
    for k, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(i, o))
        if k < len(sizes) - 2:
            layers.append(getattr(nn, act)())
    net = nn.Sequential(*layers)
    with lib.no_grad():
        for p in net.parameters():
            shape = tuple(p.shape)
            scale = 1 / np.sqrt(shape[-1]) if len(shape) == 2 else 0.1
            p.copy_(lib.tensor((rs.randn(*shape) * scale).astype(np.float32)))
    return net


# ---- differences found and fixed -----------------------------------------------------------
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_and_inverse_values_and_gradients(torch, upper):
    """torch.cholesky_solve / cholesky_inverse (missing before); the factor's gradient is
    PyTorch's dense one, the method forms exist, batch dims broadcast."""

    def program(lib):
        A = lib.tensor(SPD)
        factor = lib.linalg.cholesky(A, upper=upper).detach().requires_grad_(True)
        b = lib.tensor(B5).requires_grad_(True)
        x = lib.cholesky_solve(b, factor, upper=upper)
        inv = lib.cholesky_inverse(factor, upper=upper)
        batched = b.cholesky_solve(factor.expand(2, 5, 5), upper)
        (x.pow(2).sum() + inv.sum() + batched.sum()).backward()
        return [x, inv, batched, factor.grad, b.grad, factor.cholesky_inverse(upper)]

    assert_all_close(*both(torch, program))


def test_cholesky_solve_gradcheck():
    A = minitorch.tensor(SPD.astype(np.float64))
    L = minitorch.linalg.cholesky(A).detach().requires_grad_(True)
    b = minitorch.tensor(B5.astype(np.float64), requires_grad=True)
    # only the factor's triangle is read (PyTorch's OpInfo checks it through a triangular
    # wrapper too: the gradient it returns for the other triangle is the dense formula's)
    for upper, factor in ((False, L), (True, L.detach().mT.requires_grad_(True))):

        def solve(b, f, upper=upper):
            return minitorch.cholesky_solve(b, f.triu() if upper else f.tril(), upper=upper)

        assert gradcheck(solve, (b, factor))
        assert gradgradcheck(solve, (b, factor))


def test_cholesky_solve_errors(torch):
    L = minitorch.eye(3)
    with pytest.raises(RuntimeError, match="b should have at least 2 dimensions"):
        minitorch.cholesky_solve(minitorch.ones(3), L)
    with pytest.raises(RuntimeError, match="Expected b and A to have the same dtype"):
        minitorch.cholesky_solve(minitorch.ones(3, 2, dtype=minitorch.float64), L)
    with pytest.raises(RuntimeError, match="each A matrix is 3 by 3 but each b matrix is 4 by 2"):
        minitorch.cholesky_solve(minitorch.ones(4, 2), L)
    with pytest.raises(RuntimeError, match="square matrices"):
        minitorch.cholesky_solve(minitorch.ones(3, 2), minitorch.ones(3, 4))


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
def test_lstsq_solution_gradient_and_fields_per_driver(torch, driver):
    """torch.linalg.lstsq (missing before): solution and its gradient; residuals, rank and
    singular values filled or empty as PyTorch's CPU drivers leave them."""

    def program(lib):
        A = lib.tensor(TALL).requires_grad_(True)
        B = lib.tensor(RHS).requires_grad_(True)
        r = lib.linalg.lstsq(A, B, driver=driver)
        r.solution.pow(2).sum().backward()
        vec = lib.linalg.lstsq(A.detach(), B.detach()[:, 0], driver=driver)
        batched = lib.linalg.lstsq(
            A.detach().expand(3, 6, 4), B.detach().expand(3, 6, 2), driver=driver
        )
        wide = lib.linalg.lstsq(A.detach().T, B.detach()[:4], driver=driver).solution
        return [*r, A.grad, B.grad, *vec, *batched, wide]

    assert_all_close(*both(torch, program))


def test_lstsq_rank_deficient_and_errors(torch):
    def program(lib):
        r = lib.linalg.lstsq(lib.ones(4, 3), lib.tensor(RHS[:4]), driver="gelsd")
        return list(r)

    assert_all_close(*both(torch, program))
    with pytest.raises(RuntimeError, match=r"input.size\(-2\) should match other.size\(-2\)"):
        minitorch.linalg.lstsq(minitorch.ones(4, 3), minitorch.ones(5, 2))
    with pytest.raises(RuntimeError, match="same dtype"):
        minitorch.linalg.lstsq(minitorch.ones(4, 3), minitorch.ones(4, 2, dtype=minitorch.float64))
    with pytest.raises(RuntimeError, match="driver` should be one of"):
        minitorch.linalg.lstsq(minitorch.ones(4, 3), minitorch.ones(4, 2), driver="foo")


def test_cond_matrix_rank_cholesky_ex(torch):
    """torch.linalg.cond / matrix_rank / cholesky_ex (missing before)."""

    def program(lib):
        L = lib.linalg
        s = lib.tensor(SPD).requires_grad_(True)
        conds = [L.cond(s, p) for p in (None, 2, -2, "fro", "nuc", 1, -1, float("inf"))]
        sum(conds[:3]).backward()  # PyTorch 2.13 cannot differentiate the other orders
        low = lib.tensor(np.outer(np.arange(1, 5), np.arange(1, 4)).astype(np.float32))
        ranks = [L.matrix_rank(lib.tensor(TALL)), L.matrix_rank(low), L.matrix_rank(low, atol=1e9)]
        ranks += [L.matrix_rank(s.detach(), hermitian=True), L.matrix_rank(low, tol=0.1)]
        bad = lib.tensor([[4.0, 2, 0], [2, 1, 0], [0, 0, 1]])
        ex = L.cholesky_ex(lib.stack([s.detach()[:3, :3], bad, -s.detach()[:3, :3]]))
        ok = L.cholesky_ex(s.detach(), upper=True)
        return [*conds, s.grad, L.cond(lib.tensor(TALL)), *ranks, ex.info, ex.L[0], *ok]

    assert_all_close(*both(torch, program))
    with pytest.raises(RuntimeError, match=r"linalg.cond\(ord=fro\): A must be batches of square"):
        minitorch.linalg.cond(minitorch.ones(2, 3), "fro")


def test_linalg_error_is_a_runtime_error_that_gp_jitter_loops_catch(torch):
    """GP code retries a failed Cholesky with more jitter under ``except
    torch.linalg.LinAlgError`` (missing before; failures were plain RuntimeErrors)."""

    def program(lib):
        K = lib.ones(3, 3)
        for jitter in (0.0, 1e-6, 1e-3):
            try:
                return [lib.linalg.cholesky(K + jitter * lib.eye(3)), jitter]
            except lib.linalg.LinAlgError:
                continue

    assert_all_close(*both(torch, program), rtol=1e-3)
    assert issubclass(minitorch.linalg.LinAlgError, RuntimeError)
    assert minitorch.linalg.LinAlgError.__name__ == torch.linalg.LinAlgError.__name__
    with pytest.raises(minitorch.linalg.LinAlgError, match="singular"):
        minitorch.linalg.inv(minitorch.zeros(2, 2))
    with pytest.raises(minitorch.linalg.LinAlgError, match="positive-definite"):
        minitorch.linalg.cholesky_ex(-minitorch.eye(2), check_errors=True)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_finite_differences(torch, edge_order):
    """torch.gradient (missing before): scalar, per-dim and coordinate spacing, chosen dims,
    integer input, and the gradient through it."""
    f_np = np.array([[1, 4, 9, 16], [2, 3, 5, 8], [0, 1, 0, -1]], np.float32)

    def program(lib):
        f = lib.tensor(f_np, requires_grad=True)
        xs, ys = lib.tensor([0.0, 1.0, 3.0, 4.5]), lib.tensor([0.0, 0.5, 2.0])
        out = [
            *lib.gradient(f, edge_order=edge_order),
            *lib.gradient(f, spacing=0.5, dim=1, edge_order=edge_order),
            *lib.gradient(f, spacing=[ys, xs], edge_order=edge_order),
            *lib.gradient(f, spacing=(2.0,), dim=[-1], edge_order=edge_order),
        ]
        sum(o.pow(2).sum() for o in out).backward()
        return [*out, f.grad, *lib.gradient(lib.tensor([1, 4, 9, 16]), edge_order=edge_order)]

    assert_all_close(*both(torch, program))


def test_gradient_gradcheck_and_errors():
    f = minitorch.tensor(np.random.RandomState(1).randn(3, 5), requires_grad=True)
    xs = minitorch.tensor([0.0, 0.3, 1.0, 1.2, 2.0], dtype=minitorch.float64)
    assert gradcheck(lambda t: minitorch.gradient(t, spacing=[1.5, xs], edge_order=2), (f,))
    with pytest.raises(RuntimeError, match="each dimension size to be at least edge_order"):
        minitorch.gradient(minitorch.ones(2), edge_order=2)
    with pytest.raises(RuntimeError, match="only supports edge_order=1 and edge_order=2"):
        minitorch.gradient(minitorch.ones(3), edge_order=3)
    with pytest.raises(RuntimeError, match=r"length equal to 'self.dim\(\) = 2', since dim"):
        minitorch.gradient(minitorch.ones(3, 3), spacing=[1.0, 2.0, 3.0])
    # PyTorch silently returns NaNs for coordinates of the wrong length
    with pytest.raises(RuntimeError, match="coordinates along dim 0 must be a 1-D tensor"):
        minitorch.gradient(minitorch.ones(3), spacing=[minitorch.ones(4)])


def test_vander_and_polynomial_least_squares(torch):
    """torch.vander / torch.linalg.vander (missing before), and a cubic fitted with lstsq."""

    def program(lib):
        x = lib.tensor([0.0, 2.0, -1.5], requires_grad=True)
        lib.linalg.vander(x, N=4).sum().backward()  # PyTorch 2.13's torch.vander cannot
        grid = lib.linspace(-1, 1, 20)
        V = lib.vander(grid, N=4, increasing=True)
        fit = lib.linalg.lstsq(V, (1 + 2 * grid - 3 * grid**2 + 0.5 * grid**3).unsqueeze(-1))
        return [
            lib.vander(x),
            lib.vander(x, N=4, increasing=True),
            lib.vander(x, N=0),
            lib.linalg.vander(lib.tensor([[1.0, 2.0], [3.0, 4.0]]), N=3),
            lib.vander(lib.tensor([1, 2, 3])),
            lib.vander(lib.tensor([True, False])),
            x.grad,
            fit.solution,
        ]

    assert_all_close(*both(torch, program))
    with pytest.raises(RuntimeError, match="x must be a one-dimensional tensor"):
        minitorch.vander(minitorch.ones(2, 2))
    with pytest.raises(RuntimeError, match="N must be greater than 1"):
        minitorch.linalg.vander(minitorch.ones(2), N=1)


@pytest.mark.parametrize("scale", [0.01, 0.5, 3.0, 20.0])
def test_matrix_exp_values_and_gradient(torch, scale):
    """torch.linalg.matrix_exp / torch.matrix_exp / Tensor.matrix_exp (missing before), from
    tiny norms to ones that need squarings; exp of a skew matrix is orthogonal."""
    rs = np.random.RandomState(0)
    m, w = (rs.randn(2, 4, 4) * scale).astype(np.float32)

    def program(lib):
        a = lib.tensor(m, requires_grad=True)
        e = lib.linalg.matrix_exp(a)
        (e * lib.tensor(w)).sum().backward()
        batch = lib.tensor(np.stack([m, w]))
        q = lib.matrix_exp(lib.tensor(w - w.T) / max(scale, 1))
        return [e, a.grad, batch.matrix_exp(), q @ q.T, lib.linalg.matrix_exp(lib.zeros(3, 3))]

    assert_all_close(*both(torch, program), rtol=1e-4, atol=1e-4)


def test_matrix_exp_gradcheck():
    a = minitorch.tensor(np.random.RandomState(2).randn(3, 3) * 2, requires_grad=True)
    assert gradcheck(minitorch.linalg.matrix_exp, (a,))
    assert gradgradcheck(minitorch.linalg.matrix_exp, (a,))


def test_deprecated_cholesky_and_triangular_solve_of_older_gp_code(torch):
    """torch.cholesky and torch.triangular_solve (deprecated in PyTorch, still in older GP
    code; missing before): upper triangle by default, transpose, unitriangular, gradients."""
    A_np = np.array([[2.0, 1.0], [0.5, 3.0]], np.float32)

    def program(lib):
        A = lib.tensor(A_np, requires_grad=True)
        b = lib.tensor([[1.0], [2.0]], requires_grad=True)
        out = []
        for kw in ({}, {"upper": False}, {"transpose": True}, {"unitriangular": True}):
            out += list(lib.triangular_solve(b, A, **kw))
        sum(o.sum() for o in out[::2]).backward()
        S = lib.tensor([[4.0, 1.0], [1.0, 3.0]])
        return [*out, A.grad, b.grad, lib.cholesky(S), lib.cholesky(S, upper=True)]

    with warnings.catch_warnings():  # PyTorch's deprecation notices (given once a process)
        warnings.simplefilter("ignore")
        expected = program(torch)
    assert_all_close(program(minitorch), expected)
    with pytest.raises(RuntimeError, match="Expected b to have at least 2 dimensions"):
        minitorch.triangular_solve(minitorch.ones(2), minitorch.eye(2))


def test_lbfgs_step_without_closure_is_a_type_error(torch):
    """PyTorch's LBFGS.step has closure as a required argument: a TypeError without it."""
    for lib in (minitorch, torch):
        with pytest.raises(TypeError):
            lib.optim.LBFGS([lib.ones(1, requires_grad=True)]).step()
    with pytest.raises(TypeError, match="LBFGS.step needs a closure"):
        minitorch.optim.LBFGS([minitorch.ones(1, requires_grad=True)]).step()


def test_func_transforms_stay_connected_to_captured_and_other_arguments(torch):
    """A transform's result depends on tensors it does not differentiate (another argument,
    a closure's capture from an enclosing transform, module parameters); it must stay
    connected to them, as in PyTorch. Gave zeros (and detached results) before."""

    def program(lib):
        fc = lib.func

        def H(w, q):
            return (w * q**2).sum()

        w, q = lib.tensor([1.0, 2.0]), lib.tensor([0.5, 3.0])
        net = mlp(lib, [2, 4, 1])
        g = fc.grad(lambda x: net(x).sum())(lib.tensor([[0.1, 0.2]]))
        g.pow(2).sum().backward()
        return [
            fc.jacrev(lambda w: fc.grad(H, argnums=1)(w, q))(w),
            fc.grad(lambda q: fc.grad(H, argnums=0)(w, q).sum())(q),
            fc.grad(lambda w: fc.grad(lambda qq: H(w, qq))(q).sum())(w),
            g.requires_grad,
            *(p.grad for p in net.parameters()),
        ]

    assert_all_close(*both(torch, program))


def test_hamiltonian_network_parameter_jacobian_through_vmap_grad(torch):
    """HNN: dH/dq per sample with vmap(grad(H, argnums=1)) over a functional_call, and its
    Jacobian w.r.t. the parameters through jacrev."""
    q_np = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, -0.1]], np.float32)

    def program(lib):
        fc, net = lib.func, mlp(lib, [2, 8, 1])
        params = {k: v.detach() for k, v in net.named_parameters()}
        q = lib.tensor(q_np)

        def H(p, x):
            return fc.functional_call(net, p, (x,)).squeeze()

        def field(p):
            return fc.vmap(fc.grad(H, argnums=1), in_dims=(None, 0))(p, q)

        J = fc.jacrev(lambda p: field(p).sum())(params)
        return [field(params), *(J[k] for k in sorted(J))]

    assert_all_close(*both(torch, program))


def test_qr_gradient_of_wide_matrices(torch):
    """linalg.qr's gradient for rows < columns, both modes, batched (raised before)."""
    rs = np.random.RandomState(5)
    wide, weights, batch = rs.randn(3, 5), rs.randn(3, 5), rs.randn(2, 3, 5)

    def program(lib):
        out = []
        for mode in ("reduced", "complete"):
            a = lib.tensor(wide.astype(np.float32), requires_grad=True)
            q, r = lib.linalg.qr(a, mode=mode)
            ((q * q[:, :1]).sum() + (r * lib.tensor(weights.astype(np.float32))).sum()).backward()
            out += [q, r, a.grad]
        b = lib.tensor(batch.astype(np.float32), requires_grad=True)
        q, r = lib.linalg.qr(b)
        (q.sum() + r.pow(2).sum()).backward()
        return [*out, b.grad]

    assert_all_close(*both(torch, program))
    a = minitorch.tensor(wide, requires_grad=True)
    assert gradcheck(lambda t: minitorch.linalg.qr(t), (a,))
    assert gradgradcheck(lambda t: minitorch.linalg.qr(t), (a,))


# ---- end-to-end programs -------------------------------------------------------------------
def test_pinn_second_derivatives_and_lbfgs_strong_wolfe(torch):
    """Poisson-equation PINN: u'' through two autograd.grad calls with create_graph, a
    boundary loss, and LBFGS with a closure and the strong-Wolfe line search."""

    def program(lib):
        net = mlp(lib, [1, 8, 1])
        x = lib.tensor(np.linspace(0, 1, 10, dtype=np.float32).reshape(-1, 1)).requires_grad_()
        opt = lib.optim.LBFGS(
            net.parameters(), lr=1, max_iter=10, history_size=10, line_search_fn="strong_wolfe"
        )

        def closure():
            opt.zero_grad()
            u = net(x)
            du = lib.autograd.grad(u, x, grad_outputs=lib.ones_like(u), create_graph=True)[0]
            d2u = lib.autograd.grad(du, x, grad_outputs=lib.ones_like(du), create_graph=True)[0]
            residual = d2u + np.pi**2 * lib.sin(np.pi * x)
            loss = residual.pow(2).mean() + net(lib.tensor([[0.0], [1.0]])).pow(2).mean()
            loss.backward()
            return loss

        first = closure().detach()
        loss = opt.step(closure)
        state = opt.state[next(iter(net.parameters()))]
        return [first, loss, *net.parameters(), state["func_evals"], state["n_iter"]]

    assert_all_close(*both(torch, program), rtol=1e-4, atol=1e-5)


def test_gaussian_process_marginal_likelihood_with_adam(torch):
    """Exact GP regression: RBF kernel from cdist, Cholesky, cholesky_solve, log-det from the
    factor's diagonal, hyperparameters fitted with Adam; then the predictive mean and
    variance via solve_triangular."""
    rs = np.random.RandomState(5)
    X = rs.randn(12, 2).astype(np.float32)
    y = (np.sin(X[:, :1]) + 0.1 * rs.randn(12, 1)).astype(np.float32)
    Xs = rs.randn(4, 2).astype(np.float32)

    def program(lib):
        log_ls, log_var, log_noise = (lib.tensor(v, requires_grad=True) for v in (0.0, 0.0, -2.0))
        Xt, yt = lib.tensor(X), lib.tensor(y)
        opt = lib.optim.Adam([log_ls, log_var, log_noise], lr=0.05)

        def kernel(a, b):
            return log_var.exp() * lib.exp(-0.5 * lib.cdist(a, b).pow(2) / log_ls.exp().pow(2))

        losses = []
        for _ in range(10):
            opt.zero_grad()
            L = lib.linalg.cholesky(kernel(Xt, Xt) + log_noise.exp() * lib.eye(12))
            alpha = lib.cholesky_solve(yt, L)
            nll = 0.5 * (yt.T @ alpha).squeeze() + lib.log(lib.diagonal(L)).sum()
            nll.backward()
            opt.step()
            losses.append(nll.detach())
        with lib.no_grad():
            L = lib.linalg.cholesky(kernel(Xt, Xt) + log_noise.exp() * lib.eye(12))
            Ks = kernel(lib.tensor(Xs), Xt)
            v = lib.linalg.solve_triangular(L, Ks.T, upper=False)
            mean, var = Ks @ lib.cholesky_solve(yt, L), log_var.exp() - v.pow(2).sum(0)
        return [*losses, log_ls, log_var, log_noise, mean, var]

    assert_all_close(*both(torch, program), rtol=2e-4, atol=2e-5)


def test_realnvp_coupling_layer_with_normal_and_mvn_base(torch):
    """RealNVP affine coupling: mask, tanh-bounded scales, log_det as a sum, base log_prob
    from Normal (summed) and MultivariateNormal, and a TransformedDistribution."""
    x_np = np.random.RandomState(3).randn(6, 4).astype(np.float32)

    def program(lib):
        D = lib.distributions
        mask = lib.tensor([1.0, 0.0, 1.0, 0.0])
        s_net, t_net = mlp(lib, [4, 8, 4], seed=1), mlp(lib, [4, 8, 4], seed=2)
        x = lib.tensor(x_np)
        scale = lib.tanh(s_net(x * mask)) * (1 - mask)
        z = x * mask + (1 - mask) * (x * lib.exp(scale) + t_net(x * mask))
        log_det = scale.sum(dim=1)
        log_p = D.Normal(lib.zeros(4), lib.ones(4)).log_prob(z).sum(-1) + log_det
        log_p_mvn = D.MultivariateNormal(lib.zeros(4), lib.eye(4)).log_prob(z) + log_det
        loss = -log_p.mean()
        loss.backward()
        T = D.transforms
        flow = D.TransformedDistribution(
            D.Normal(lib.zeros(4), lib.ones(4)), [T.AffineTransform(1.0, 2.0), T.ExpTransform()]
        )
        return [z, log_det, log_p, log_p_mvn, loss, *(p.grad for p in s_net.parameters())] + [
            flow.log_prob(lib.tensor(np.abs(x_np) + 0.1)),
            tuple(flow.sample((3,)).shape),
        ]

    assert_all_close(*both(torch, program))


def test_maml_with_functional_call_grad_and_vmap(torch):
    """MAML: an inner SGD step through autograd.grad(create_graph=True) on a
    functional_call, and per-task adapted losses with func.vmap over func.grad."""
    rs = np.random.RandomState(11)
    xs, ys = rs.randn(5, 3).astype(np.float32), rs.randn(5, 1).astype(np.float32)
    tx, ty = rs.randn(4, 5, 3).astype(np.float32), rs.randn(4, 5, 1).astype(np.float32)

    def program(lib):
        fc, net = lib.func, mlp(lib, [3, 8, 1], act="ReLU")
        params = dict(net.named_parameters())

        def loss_fn(p, x, y):
            return (fc.functional_call(net, p, (x,)) - y).pow(2).mean()

        grads = lib.autograd.grad(
            loss_fn(params, lib.tensor(xs), lib.tensor(ys)),
            list(params.values()),
            create_graph=True,
        )
        fast = {k: v - 0.1 * g for (k, v), g in zip(params.items(), grads)}
        meta = loss_fn(fast, lib.tensor(xs) * 2, lib.tensor(ys))
        meta.backward()

        def adapted(p, x, y):
            g = fc.grad(loss_fn)(p, x, y)
            return loss_fn({k: p[k] - 0.1 * g[k] for k in p}, x, y)

        per_task = fc.vmap(adapted, in_dims=(None, 0, 0))(params, lib.tensor(tx), lib.tensor(ty))
        return [meta, per_task, *(p.grad for p in net.parameters())]

    assert_all_close(*both(torch, program))


def test_ppo_with_gae_and_sac_squashed_gaussian(torch):
    """PPO: GAE by hand, Categorical log_prob/entropy, the clipped objective with
    clamp/min, gradient clipping; SAC: tanh-squashed Normal with the log-prob correction."""
    rs = np.random.RandomState(4)
    s_np, rew = rs.randn(6, 4).astype(np.float32), rs.randn(6).astype(np.float32)
    old = np.log(rs.dirichlet(np.ones(3), 6)[np.arange(6), [0, 2, 1, 1, 0, 2]]).astype(np.float32)
    eps = rs.randn(6, 2).astype(np.float32)

    def program(lib):
        D = lib.distributions
        pi, v = mlp(lib, [4, 8, 3], seed=7), mlp(lib, [4, 8, 1], seed=8)
        s, a = lib.tensor(s_np), lib.tensor([0, 2, 1, 1, 0, 2])
        dones, values = lib.tensor([0.0, 0, 1, 0, 0, 0]), v(s).squeeze(-1).detach()
        adv, last = lib.zeros(6), 0.0
        for t in reversed(range(6)):
            nxt = lib.tensor(0.3) if t == 5 else values[t + 1]
            delta = rew[t] + 0.99 * nxt * (1 - dones[t]) - values[t]
            last = delta + 0.99 * 0.95 * (1 - dones[t]) * last
            adv[t] = last
        returns, adv = adv + values, (adv - adv.mean()) / (adv.std() + 1e-8)
        dist = D.Categorical(logits=pi(s))
        ratio = lib.exp(dist.log_prob(a) - lib.tensor(old))
        policy_loss = -lib.min(ratio * adv, lib.clamp(ratio, 0.8, 1.2) * adv).mean()
        value_loss = lib.nn.functional.mse_loss(v(s).squeeze(-1), returns)
        loss = policy_loss + 0.5 * value_loss - 0.01 * dist.entropy().mean()
        loss.backward()
        norm = lib.nn.utils.clip_grad_norm_([*pi.parameters(), *v.parameters()], 0.5)

        mu, log_std = mlp(lib, [4, 8, 4], seed=11)(s).chunk(2, -1)
        std = lib.clamp(log_std, -20, 2).exp()
        pre = mu + std * lib.tensor(eps)
        action = lib.tanh(pre)
        log_prob = D.Normal(mu, std).log_prob(pre) - lib.log(1 - action.pow(2) + 1e-6)
        return [adv, returns, loss, norm, *(p.grad for p in pi.parameters()), log_prob.sum(1)]

    assert_all_close(*both(torch, program))


def test_meta_device_error_says_a_functional_call_skeleton_can_stay_put(torch):
    """The model-ensembling recipe moves a copy to 'meta' as functional_call's skeleton;
    minitorch has no meta device, and the error says the copy can simply stay where it is
    (the ensemble then matches PyTorch's)."""

    def program(lib, skeleton_device):
        fc = lib.func
        models = [mlp(lib, [3, 5, 2], seed=i) for i in range(3)]
        params, buffers = fc.stack_module_state(models)
        skeleton = mlp(lib, [3, 5, 2]).to(skeleton_device)

        def run(p, b, x):
            return fc.functional_call(skeleton, (p, b), (x,))

        x = lib.tensor(np.random.RandomState(1).randn(4, 3).astype(np.float32))
        return [fc.vmap(run, in_dims=(0, 0, None))(params, buffers, x)]

    assert_all_close(program(minitorch, "cpu"), program(torch, "meta"))
    with pytest.raises(RuntimeError, match="no 'meta' device; a module moved to 'meta' only as"):
        mlp(minitorch, [3, 5, 2]).to("meta")
