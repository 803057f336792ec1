"""Session 10: divergences PyTorch's OpInfo database (tests/opinfo_harness.py) found in the
factories, random functions, linear algebra and quantiles, each a program run with real
PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


# ---- factories ------------------------------------------------------------------------------
@program
def normal_of_numbers_with_layout_and_requires_grad(torch):
    torch.manual_seed(3)
    t = torch.normal(1.6, 0.3, (2, 2, 2), dtype=torch.float64, layout=torch.strided)
    g = torch.normal(0.0, 1.0, (3,), requires_grad=True)
    return t, g.requires_grad, g.is_leaf


@program
def arange_of_float_bounds_in_small_integer_dtypes(torch):
    """The size comes from the float bounds, the values from the truncated start and step
    (int64 truncates the bounds first)."""
    return [
        torch.arange(*args, dtype=dtype)
        for args in ((0.0, -8.000001, -4.0), (2.1, -2.9, -1.0), (3.1,), (-2.5, 3, 1.5))
        for dtype in (torch.int32, torch.uint8, torch.int64)
    ]


@program
def factories_take_the_dtype_of_out(torch):
    outs = [torch.zeros(0, dtype=torch.int32), torch.zeros(0, dtype=torch.float64)]
    torch.arange(0.0, 3.5, out=outs[0])
    torch.linspace(0, 1, 7, out=outs[1])
    full = torch.full((2,), 1.5, out=torch.zeros(0, dtype=torch.long))
    return outs, full, torch.eye(2, out=torch.zeros(0, dtype=torch.long))


@error(ValueError, r"step must be nonzero")
def arange_into_a_long_out_with_a_fractional_step(torch):
    return torch.arange(0, 64, 0.5, out=torch.zeros(0, dtype=torch.long))


@program
def logspace_and_linspace_of_0d_tensor_bounds(torch):
    a, b = torch.tensor(-3.0), torch.tensor(0.5, dtype=torch.float64)
    return (
        torch.logspace(a, b, 5, 2.0),
        torch.logspace(a, 0, 4),
        torch.logspace(0, b, 3, 1.1, dtype=torch.float64),
        torch.linspace(a, b, 6),
    )


@error(RuntimeError, r"logspace only supports 0-dimensional start and end tensors, but got "
       r"start with 1 dimension\(s\) and end with 1 dimension\(s\)\.")  # fmt: skip
def logspace_of_1d_tensor_bounds(torch):
    return torch.logspace(torch.zeros(2), torch.zeros(2), 1)


@error(RuntimeError, r"linspace only supports 0-dimensional start and end tensors, but got "
       r"end with 1 dimension\(s\)\.")  # fmt: skip
def linspace_of_a_1d_end(torch):
    return torch.linspace(0, torch.zeros(2), 1)


@error(TypeError, r"linspace\(\) received an invalid combination of arguments - got "
       r"\(int, int, float\)")  # fmt: skip
def linspace_with_float_steps(torch):
    return torch.linspace(0, 3, 1.0)


# ---- linear algebra -------------------------------------------------------------------------
@program
def empty_matrices_through_lu_inv_solve_and_pinv(torch):
    with warnings.catch_warnings():  # lu_solve's deprecation warns once per process (in both)
        warnings.simplefilter("ignore")
        lu = torch.lu_solve(torch.zeros(0, 4), torch.zeros(0, 0), torch.zeros(0, dtype=torch.int32))
    return (
        torch.linalg.inv_ex(torch.zeros(0, 0)),
        torch.linalg.solve_ex(torch.zeros(0, 0), torch.zeros(0)),
        lu,
        torch.linalg.lu_factor(torch.zeros(2, 0, 3)),
        torch.pinverse(torch.zeros(0, 0)),
        torch.linalg.pinv(torch.zeros(2, 0, 0), hermitian=True),
    )


def _pinv_grad(torch, a, **kwargs):
    x = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    y = torch.linalg.pinv(x, **kwargs)
    w = torch.cos(torch.arange(y.numel(), dtype=torch.float64)).reshape(y.shape)
    return y, torch.autograd.grad(y, x, w)[0], y.grad_fn.name()


@program
def pinv_gradient_of_a_nonsymmetric_input_read_as_hermitian(torch):
    """PyTorch differentiates pinv by its own formula from A and pinv(A), not through eigh."""
    a = [[2.0, -1.0, 0.5], [0.3, 1.5, -0.7], [1.1, 0.2, 3.0]]
    return _pinv_grad(torch, a, hermitian=True)


@program
def pinv_gradient_of_singular_matrices(torch):
    rank_one = [[1.0, 2.0], [2.0, 4.0], [-1.0, -2.0]]
    return _pinv_grad(torch, rank_one), _pinv_grad(torch, [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])


@program
def vander_of_a_0d_tensor(torch):
    return torch.linalg.vander(torch.tensor(2.0), N=3), torch.linalg.vander(torch.tensor(3), N=2)


@program
def zero_norm_has_no_gradient(torch):
    x = torch.tensor([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]], dtype=torch.float64, requires_grad=True)
    outs = [torch.linalg.vector_norm(x, 0), torch.linalg.norm(x[0], 0), x.norm(0, dim=1)]
    sum(o.sum() for o in outs).backward()
    return outs, x.grad, outs[0].grad_fn.name()


@program
def quantile_gradient_reaches_q(torch):
    x = torch.tensor(
        [[0.5, -1.0, 2.0, 0.1], [float("nan"), 1.0, 0.0, 3.0], [4.0, 1.0, -2.0, 0.0]],
        dtype=torch.float64,
        requires_grad=True,
    )
    q = torch.tensor([0.2, 0.7], dtype=torch.float64, requires_grad=True)
    grads = []
    for fn in (torch.quantile, torch.nanquantile):
        for inp in (x, x[0], x[0, 0]):
            out = fn(inp, q, dim=-1 if inp.ndim else None)
            grads.append(torch.autograd.grad(out.sum(), (x, q)))
    return grads


def test_pinv_and_quantile_gradcheck():
    import minitorch
    from minitorch.autograd import gradcheck, gradgradcheck

    minitorch.manual_seed(0)
    for shape in ((3, 5), (5, 3), (2, 4, 3)):
        a = minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)
        assert gradcheck(minitorch.linalg.pinv, (a,))
        assert gradgradcheck(minitorch.linalg.pinv, (a,))
    x = minitorch.randn(3, 6, dtype=minitorch.float64, requires_grad=True)
    q = minitorch.tensor([0.15, 0.55, 0.9], dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda x, q: minitorch.quantile(x, q, dim=1), (x, q))
    assert gradgradcheck(lambda x, q: minitorch.nanquantile(x, q, dim=1), (x, q))


# ---- random fills and empty_permuted --------------------------------------------------------
@error(RuntimeError, r"^cauchy_ expects sigma > 0\.0, but found sigma=0$")
def cauchy_with_zero_sigma(torch):
    return torch.zeros(10).cauchy_(0, 0)


@error(RuntimeError, r"^log_normal_ expects std > 0\.0, but found std=-1\.5$")
def log_normal_with_negative_std(torch):
    return torch.zeros(10).log_normal_(0, -1.5)


@error(RuntimeError, r"^number of categories cannot exceed 2\^24$")
def multinomial_over_too_many_categories(torch):
    return torch.multinomial(torch.ones(2**24 + 1), 3)


@error(RuntimeError, r"Dimension out of range \(expected to be between 0 and 1, but got -1 at "
       r"index 0\)\.  NB: negative dims not currently supported")  # fmt: skip
def empty_permuted_with_a_negative_dim(torch):
    return torch.empty_permuted((2, 3), (-1, 0))


@error(RuntimeError, r"^Duplicate dim not allowed$")
def empty_permuted_with_a_repeated_dim(torch):
    return torch.empty_permuted((2, 3, 4), (0, 2, 2))


@error(RuntimeError, r"^multinomial expects Long tensor out, got: Float$")
def multinomial_into_a_float_out(torch):
    return torch.multinomial(torch.ones(1, 2), 2, out=torch.zeros(1, 2))


@program
def householder_product_without_reflections(torch):
    found = []
    for shape, taus in (((0, 0), (0,)), ((3, 2), (0,)), ((2, 3, 2), (2, 0))):
        a = torch.ones(*shape, dtype=torch.float64, requires_grad=True)
        tau = torch.ones(*taus, dtype=torch.float64, requires_grad=True)
        q = torch.linalg.householder_product(a, tau)
        grads = torch.autograd.grad(q, (a, tau), torch.ones_like(q), allow_unused=True)
        found.append((q, q.grad_fn.name(), [g is None for g in grads]))
    return found
