"""Sweep 22: the outputs' ``requires_grad`` and grad_fn names of ops found diverging by
tests/opinfo_harness.py ``--graph``: ops PyTorch has no derivative for still give outputs
that require grad, under its ``torch::autograd::NotImplemented`` node (backward raises its
RuntimeError) or under its named node whose formula is ``not_implemented`` (Unique2Backward0,
GeqrfBackward0...: backward raises its NotImplementedError)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _graph(*outs):
    """(requires_grad, grad_fn's name) of each output."""
    return [(t.requires_grad, t.grad_fn.name() if t.grad_fn else None) for t in outs]


def _leaf(T, *shape):
    T.manual_seed(0)
    return T.randn(shape).requires_grad_()


# ---- named nodes whose derivative is not_implemented ----------------------------------------
@program
def unique_graph(T):
    x = _leaf(T, 6)
    return _graph(T.unique(x), *T.unique(x, return_inverse=True, return_counts=True))


@program
def unique_dim_graph(T):
    x = _leaf(T, 3, 4)
    return _graph(*T.unique(x, dim=1, return_counts=True), x.unique(sorted=False))


@program
def unique_consecutive_graph(T):
    x = _leaf(T, 5)
    return _graph(*T.unique_consecutive(x, return_inverse=True), T.unique_consecutive(x, dim=0))


@program
def unique_without_grad(T):
    x = _leaf(T, 5)
    with T.no_grad():
        return _graph(T.unique(x), T.unique_consecutive(x))


@error(NotImplementedError, r"^the derivative for '_unique2' is not implemented\.$")
def unique_backward(T):
    T.unique(_leaf(T, 5)).sum().backward()


@error(NotImplementedError, r"^the derivative for 'unique_dim' is not implemented\.$")
def unique_dim_backward(T):
    T.unique(_leaf(T, 2, 3), dim=0).sum().backward()


@error(NotImplementedError, r"^the derivative for 'unique_consecutive' is not implemented\.$")
def unique_consecutive_backward(T):
    T.unique_consecutive(_leaf(T, 5)).sum().backward()


@program
def geqrf_graph(T):
    return _graph(*T.geqrf(_leaf(T, 4, 3)))


@error(NotImplementedError, r"^the derivative for 'geqrf' is not implemented\.$")
def geqrf_backward(T):
    T.geqrf(_leaf(T, 3, 3))[1].sum().backward()


# ---- PyTorch's NotImplemented node ---------------------------------------------------------
@program
def heaviside_graph(T):
    x, v = _leaf(T, 4), _leaf(T, 4)
    return _graph(
        T.heaviside(x, v), T.heaviside(x.detach(), v), T.heaviside(x.detach(), v.detach())
    )


@error(RuntimeError, r"^derivative for aten::heaviside is not implemented$")
def heaviside_backward(T):
    T.heaviside(_leaf(T, 4), T.zeros(4)).sum().backward()


@program
def floor_divide_graph(T):
    x = _leaf(T, 4)
    y = x.clone()
    y.floor_divide_(2)
    return _graph(T.floor_divide(x, 2), x // 3, 2 // x, y)


@error(RuntimeError, r"^derivative for aten::floor_divide is not implemented$")
def floor_divide_backward(T):
    (_leaf(T, 4) // 2).sum().backward()


@program
def histogram_graph(T):
    x, w = _leaf(T, 8), _leaf(T, 8).abs()
    bins = T.linspace(-1, 1, 4).requires_grad_()
    return _graph(
        *T.histogram(x, 3), *T.histogram(x.detach(), 3, weight=w), *T.histogram(x.detach(), bins)
    )


@error(RuntimeError, r"^derivative for aten::histogram is not implemented$")
def histogram_backward(T):
    T.histogram(_leaf(T, 8), 3).hist.sum().backward()


@program
def histogramdd_graph(T):
    x = _leaf(T, 6, 2)
    hist, edges = T.histogramdd(x, [2, 3])
    bins = [T.linspace(-1, 1, 3).requires_grad_(), T.linspace(-1, 1, 3)]
    given = T.histogramdd(x.detach(), bins)
    return _graph(hist, *edges, given.hist, *given.bin_edges), given.bin_edges[0] is bins[0]


@error(RuntimeError, r"^derivative for aten::_histogramdd_bin_edges is not implemented$")
def histogramdd_edges_backward(T):
    T.histogramdd(_leaf(T, 6, 2), [2, 3]).bin_edges[1].sum().backward()


@error(RuntimeError, r"^derivative for aten::_histogramdd_from_bin_cts is not implemented$")
def histogramdd_hist_backward(T):
    T.histogramdd(_leaf(T, 6, 2), 2).hist.sum().backward()


@error(RuntimeError, r"^derivative for aten::binomial is not implemented$")
def binomial_backward(T):
    count = (_leaf(T, 4).abs() * 5).detach().requires_grad_()
    T.binomial(count, T.full((4,), 0.5)).sum().backward()


@error(RuntimeError, r"^derivative for aten::bernoulli is not implemented$")
def bernoulli_number_p_backward(T):
    T.bernoulli(_leaf(T, 4), 0.3).sum().backward()


# ---- draws PyTorch defines a zero derivative for -------------------------------------------
@program
def random_draws_graph(T):
    x, s = _leaf(T, 4).sigmoid(), _leaf(T, 4).exp()
    T.manual_seed(1)
    outs = [T.normal(x, s), T.normal(x, 2.0), T.normal(2.0, s), T.bernoulli(x), T.poisson(s)]
    outs += [T.bernoulli(x, 0.3), T.binomial(s.detach() * 3, x), T.normal(x.detach(), s.detach())]
    return _graph(*outs)


@program
def random_draws_zero_gradients(T):
    x, s = _leaf(T, 4), _leaf(T, 3, 4)
    draws = T.normal(x.sigmoid(), s.exp()) + T.bernoulli(x.sigmoid()) + T.poisson(s.exp())
    return T.autograd.grad(draws.sum(), [x, s])


@program
def lstsq_empty_residuals_graph(T):
    A, B = _leaf(T, 3, 3), _leaf(T, 3, 2)
    r = T.linalg.lstsq(A, B)
    grads = T.autograd.grad(r.residuals.sum() + r.solution.sum(), [A, B])
    return _graph(r.residuals), r.residuals.shape, grads


# ---- views PyTorch makes (or does not) ----------------------------------------------------
@program
def transpose_zero_dim(T):
    s = _leaf(T)
    t = s.transpose(0, 0)
    return _graph(t, T.transpose(s, -1, 0)), t is s, t._base is s


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def transpose_zero_dim_bad_dim(T):
    _leaf(T).transpose(1, 0)


@program
def flatten_nothing_to_flatten(T):
    x = _leaf(T, 3, 4)
    return x.flatten(1) is x, x.flatten(0, 0) is x, _graph(x.flatten(), x.flatten(0, 1))


@program
def dropout_unbatched_is_a_new_view(T):
    F = T.nn.functional
    v, w = _leaf(T, 4, 6), _leaf(T, 4, 2, 2, 2)
    outs = [F.dropout1d(v, 0.0), F.dropout1d(v, 0.5, False), F.dropout3d(w, 0.0)]
    outs += [F.dropout3d(w, 0.5, False), F.dropout3d(w.unsqueeze(0), 0.0)]
    return _graph(*outs), [o._base is not None for o in outs]


@program
def dropout_unbatched_values(T):
    F = T.nn.functional
    v, w = _leaf(T, 4, 6), _leaf(T, 4, 2, 2, 2)
    T.manual_seed(3)
    a, b = F.dropout1d(v, 0.5), F.dropout3d(w, 0.5)
    return a, b, T.autograd.grad(a.sum() + b.sum(), [v, w])


# ---- node names of PyTorch's overloads and of torch.special -------------------------------
@program
def overload_node_names(T):
    x, y = _leaf(T, 4), _leaf(T, 4)
    outs = [x.round(), x.round(decimals=0), T.round(x, decimals=2), x.sort().values]
    outs += [x.sort(stable=False).values, T.sort(x, stable=True).values]
    outs += [x.masked_fill(x > 0, 1.0), x.masked_fill(x > 0, T.tensor(2.0))]
    outs += [x.masked_fill(x > 0, y.sum()), T.copysign(x, 2.0), T.copysign(x, y)]
    outs += [x.__rsub__(y), 2 - x, T.rsub(x, y), x.sgn(), T.sgn(x), x.sign(), x.log1p()]
    return _graph(*outs)


@program
def overload_node_gradients(T):
    x, y = _leaf(T, 4), _leaf(T, 4)
    out = x.sort(stable=True).values * y + x.masked_fill(x > 0, y.sum()) + x.__rsub__(y)
    out = out + T.copysign(x, -1.5) + x.sgn() * y + x.log1p().nan_to_num()
    return T.autograd.grad(out.sum(), [x, y])


@program
def special_node_names(T):
    x = _leaf(T, 4)
    S = T.special
    outs = [S.i0e(x), S.i1(x), S.i1e(x), S.entr(x), S.ndtri(x.sigmoid()), S.log_ndtr(x)]
    return _graph(*outs, S.erfcx(x), S.i0(x), T.i0(x), S.log1p(x))


@program
def degree_conversion_names(T):
    x = _leaf(T, 4)
    return _graph(T.deg2rad(x), x.rad2deg(), T.deg2rad(T.arange(3)))


# ---- the *_copy functions: one node, <the view's node>_copy --------------------------------
@program
def copy_functions_node_names(T):
    x = _leaf(T, 3, 4)
    outs = [T.expand_copy(x, (2, 3, 4)), T.expand_copy(x, (3, 4)), T.alias_copy(x)]
    outs += [T.view_copy(x, (4, 3)), T.view_copy(x.t(), (12,)), T.permute_copy(x, (1, 0))]
    outs += [T.transpose_copy(x, 0, 1), T.t_copy(x), T.diagonal_copy(x), T.select_copy(x, 0, 1)]
    outs += [T.squeeze_copy(x), T.squeeze_copy(x, 0), T.unsqueeze_copy(x, 1)]
    outs += [T.slice_copy(x, 1, 0, 2), T.narrow_copy(x, 0, 1, 2), T.as_strided_copy(x, (2,), (1,))]
    outs += [*T.split_copy(x, 2), *T.split_with_sizes_copy(x, [1, 2]), *T.unbind_copy(x)]
    return _graph(*outs, T.unfold_copy(x, 1, 2, 1))


@program
def copy_functions_gradients(T):
    x = _leaf(T, 3, 4)
    out = T.expand_copy(x, (2, 3, 4)).sum(0) * T.alias_copy(x) + T.t_copy(T.view_copy(x, (4, 3)))
    return T.autograd.grad(out.sum() + T.narrow_copy(x, 1, 1, 2).sum(), x)


@program
def zero_dim_reductions_node_names(T):
    s = _leaf(T)
    outs = [T.cumprod(s, 0), T.cummax(s, 0).values, s.cummin(0).values, s.logcumsumexp(0)]
    outs += [s.kthvalue(1).values, T.mode(s).values, s.median(0).values, T.nanmedian(s, 0)[0]]
    return _graph(*outs), T.autograd.grad(sum(o.sum() for o in outs), s)


# ---- casts with a memory format -------------------------------------------------------------
@program
def cast_methods_memory_format(T):
    x = _leaf(T, 2, 3, 2, 3)
    cl, pf = T.channels_last, T.preserve_format
    outs = [x.float(memory_format=cl), x.double(memory_format=cl), x.half(memory_format=cl)]
    outs += [x.float(memory_format=pf), x.float(memory_format=T.contiguous_format)]
    strides = [o.stride() for o in outs]
    return [o is x for o in outs], strides, _graph(*outs)


@program
def to_is_one_copy_node(T):
    x = _leaf(T, 2, 3, 2, 3)
    outs = [x.to(T.float32, copy=True), x.to("cpu", copy=True), x.to(memory_format=T.channels_last)]
    outs += [x.to(T.float64, memory_format=T.channels_last), x.to(T.float64), x.to(T.float32)]
    return _graph(*outs), outs[-1] is x


# ---- one node where PyTorch has one --------------------------------------------------------
@program
def single_node_names(T):
    x, y, m = _leaf(T, 3), _leaf(T, 3), _leaf(T, 2, 3)
    F = T.nn.functional
    outs = [T.atleast_2d(x), T.atleast_3d(x), T.atleast_3d(m), T.atleast_2d(_leaf(T))]
    outs += [x.sum_to_size(1), m.sum_to_size(3), m.sum_to_size(1, 3), m.sum_to_size(2, 1)]
    outs += [x.flip(()), T.fmax(x, y), T.fmin(x, y), F.threshold(x, 0.1, -1.0)]
    outs += [F.margin_ranking_loss(x, y, x.sign().detach(), reduction="none")]
    outs += [F.triplet_margin_loss(m, m.flip(0), m * 2, reduction="none")]
    return _graph(*outs), m.sum_to_size(2, 3) is m, [o.shape for o in outs]


@program
def single_node_gradients(T):
    x, y, m = _leaf(T, 3), _leaf(T, 3), _leaf(T, 2, 3)
    F = T.nn.functional
    out = T.atleast_3d(x).sum() + (m.sum_to_size(1, 3) * x).sum() + T.fmax(x, y).sum()
    out = out + (F.threshold(x, 0.1, -1.0) * T.fmin(x, y)).sum() + m.sum_to_size(3).sum()
    return T.autograd.grad(out, [x, y, m])


@program
def sum_to_size_integers(T):
    a = T.arange(6, dtype=T.int32).reshape(2, 3)
    return a.sum_to_size(3), a.sum_to_size(1, 3), a.sum_to_size(2, 1), a.sum_to_size(2, 3)


@program
def max_min_of_zero_dim_along_dim(T):
    s, c = _leaf(T), T.tensor(2.0)
    outs = [s.max(0).values, T.min(s, 0, keepdim=True).values, s.max(-1)[1]]
    fresh = [c.max(0).values is c, c.min(0).values is c, s.max(0).values is s]
    return _graph(*outs), fresh, T.autograd.grad(outs[0] * 2 + outs[1], s)


@program
def angle_of_real_tensors(T):
    x = T.tensor([-1.0, 0.0, 2.0, float("nan")]).requires_grad_()
    a = x.angle()
    (g,) = T.autograd.grad((a * 3).sum(), x, create_graph=True)
    return a, _graph(a, T.angle(x * 2)), g, g.requires_grad, T.arange(-1, 2).angle()


@program
def frexp_mantissa_node(T):
    x = T.tensor([3.5, -0.1, 1e-40, 0.0, 1024.0]).requires_grad_()
    m, e = T.frexp(x)
    (g,) = T.autograd.grad((m * T.arange(5.0)).sum(), x)
    mb, eb = T.frexp(T.tensor([3.5, -0.1, 7.0], dtype=T.bfloat16))
    return m, e, g, _graph(m, e), mb.float(), eb, str(mb.dtype)


# ---- composites under PyTorch's name of the op (as hardswish's) ---------------------------
@program
def activation_node_names(T):
    x = _leaf(T, 5)
    F = T.nn.functional
    outs = [F.selu(x), F.celu(x, 0.5), F.hardsigmoid(x), T.logaddexp2(x, x * 2)]
    return _graph(*outs), T.autograd.grad(sum(o.sum() for o in outs), x)


@program(tol={"rtol": 1e-4, "atol": 1e-4})
def solver_node_names(T):
    a, b = _leaf(T, 3, 3), _leaf(T, 3, 2)
    spd = a @ a.mT + T.eye(3)
    L = T.linalg.cholesky(spd)
    lu, piv = T.linalg.lu_factor(spd)
    outs = [T.cholesky(spd, upper=True), T.linalg.cholesky(spd, upper=True)]
    outs += [T.linalg.cholesky_ex(spd, upper=True).L, T.cholesky_solve(b, L), T.cholesky_inverse(L)]
    outs += [*T.triangular_solve(b, L, upper=False), T.linalg.solve(spd, b)]
    outs += [T.linalg.solve(spd, b[:, 0]), T.linalg.solve(spd, b.mT, left=False)]
    outs += [T.linalg.solve_ex(spd, b).result, T.linalg.solve_triangular(L, b, upper=False)]
    outs += [T.linalg.inv_ex(spd).inverse, T.linalg.lu_solve(lu, piv, b)]
    outs += [T.linalg.lu_solve(lu, piv, b, adjoint=True), T.lu_solve(b, lu, piv)]
    return _graph(*outs), T.autograd.grad(sum(o.sum() for o in outs), [a, b])


@program
def solve_ex_singular_node_name(T):
    a = T.zeros(2, 3, 3)
    a[0] = T.eye(3)
    a.requires_grad_()
    return _graph(T.linalg.solve_ex(a, T.ones(2, 3, 1)).result)
