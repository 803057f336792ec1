"""Sweep 11: the public API surface missing before (``torch.*_copy``, ATen's functional forms
of nn ops, the deprecated norms, global switches, ``Tensor.set_``/``as_strided_``/...),
each compared with PyTorch."""

import warnings

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


def _leaf(torch, shape, dtype=None, seed=0):
    values = np.random.default_rng(seed).standard_normal(shape)
    return torch.tensor(values, dtype=dtype or torch.float32, requires_grad=True)


def _grad_of(torch, fn, x):
    out = fn(x)
    outs = out if isinstance(out, tuple) else (out,)
    torch.autograd.backward([o.sum() * (k + 1) for k, o in enumerate(outs)])
    return list(outs), x.grad, [o.is_contiguous() for o in outs]


# ---- *_copy ----------------------------------------------------------------------------------
@program
def view_copy_shape_and_dtype(torch):
    x = _leaf(torch, (3, 4))
    out = torch.view_copy(x, (2, 6))
    out.sum().backward()
    same = torch.view_copy(torch.arange(4, dtype=torch.int32), torch.float32)
    return out, x.grad, same, out.grad_fn is not None


@program
def t_permute_transpose_copies(torch):
    x = _leaf(torch, (2, 3, 4))
    a = torch.permute_copy(x, (2, 0, 1))
    b = torch.transpose_copy(x, 0, 2)
    c = torch.t_copy(x[0])
    (a.sum() + 2 * b.sum() + 3 * c.sum()).backward()
    return a, b, c, a.stride(), b.stride(), c.stride(), x.grad


@program
def t_copy_of_1d_and_expand_copy(torch):
    x = _leaf(torch, (3, 1), torch.float64)
    e = torch.expand_copy(x, (2, 3, 4))
    e.pow(2).sum().backward()
    return torch.t_copy(torch.arange(3)), e, e.stride(), x.grad


@program
def diagonal_select_slice_copies(torch):
    x = _leaf(torch, (4, 5))
    d = torch.diagonal_copy(x, 1)
    s = torch.select_copy(x, 1, -2)
    sl = torch.slice_copy(x, 1, 1, None, 2)
    sl2 = torch.slice_copy(x)
    (d.sum() + s.sum() * 2 + sl.sum() * 3 + sl2.sum()).backward()
    return d, s, sl, sl2, sl.stride(), x.grad


@program
def split_unbind_copies(torch):
    x = _leaf(torch, (5, 3))
    return _grad_of(torch, lambda t: torch.split_copy(t, 2), x)


@program
def split_with_sizes_and_unbind_copy(torch):
    x = _leaf(torch, (4, 6))
    parts = torch.split_with_sizes_copy(x, [1, 2, 3], 1)
    rows = torch.unbind_copy(x, 1)
    sum(p.sum() * k for k, p in enumerate(parts + rows, 1)).backward()
    return parts, rows, type(parts).__name__, x.grad


@program
def squeeze_unsqueeze_copies(torch):
    x = _leaf(torch, (1, 3, 1, 2))
    a = torch.squeeze_copy(x)
    b = torch.squeeze_copy(x, 2)
    c = torch.squeeze_copy(x, (0, 2))
    d = torch.unsqueeze_copy(x, -1)
    (a.sum() + b.sum() * 2 + c.sum() * 3 + d.sum() * 4).backward()
    return a, b, c, d, x.grad


@program
def unfold_copy_windows(torch):
    x = _leaf(torch, (2, 7))
    w = torch.unfold_copy(x, 1, 3, 2)
    (w * torch.arange(3.0)).sum().backward()
    return w, w.is_contiguous(), x.grad


@program
def detach_and_alias_copy(torch):
    x = _leaf(torch, (2, 3))
    d = torch.detach_copy(x)
    a = torch.alias_copy(x)
    a.mul(3).sum().backward()
    with torch.no_grad():
        d.add_(1)
    return d, a, x, x.grad, d.requires_grad, a.requires_grad, torch.detach_copy(x.detach())


@program
def copies_of_empty_and_scalar(torch):
    e = torch.ones(0, 3)
    z = torch.tensor(2.5, requires_grad=True)
    out = torch.alias_copy(z) * 2
    out.backward()
    return (torch.t_copy(e), torch.split_copy(e, 2, 1), torch.slice_copy(e, 1, -2),
            torch.unsqueeze_copy(z, 0), torch.squeeze_copy(z), out, z.grad)  # fmt: skip


@error(RuntimeError, r"derivative for aten::detach_copy is not implemented")
def detach_copy_backward_raises(torch):
    torch.detach_copy(torch.ones(2, requires_grad=True)).sum().backward()


@program
def as_strided_copy_overlapping(torch):
    x = _leaf(torch, (6,), torch.float64)
    w = torch.as_strided_copy(x, (3, 3), (1, 1))
    w.sum().backward()
    return w, w.stride(), x.grad


@program
def copy_of_noncontiguous_view_is_contiguous(torch):
    x = torch.arange(24.0).reshape(2, 3, 4).transpose(0, 2)
    return [(c, c.stride()) for c in (torch.alias_copy(x), torch.view_copy(x.contiguous(), (4, 6)))]


@program
def view_copy_of_noncontiguous_copies(torch):
    x = _leaf(torch, (3, 4))
    y = torch.view_copy(x.t(), (2, 6))
    (y * torch.arange(12.0).reshape(2, 6)).sum().backward()
    return y, x.grad


@error(RuntimeError, r"shape '\[5\]' is invalid for input of size 12")
def view_copy_bad_size(torch):
    torch.view_copy(torch.ones(3, 4), (5,))


@error(IndexError, r"select\(\): index 5 out of range for tensor of size \[3, 4\] at dimension 0")
def select_copy_bad_index(torch):
    torch.select_copy(torch.ones(3, 4), 0, 5)


@error(IndexError, r"select\(\): index -4 out of range for tensor of size \[2, 3\] at dimension 1")
def select_method_bad_negative_index(torch):
    torch.ones(2, 3).select(-1, -4)


@program
def unsafe_split_with_sizes_function_and_method(torch):
    x = _leaf(torch, (6, 2))
    a = torch.unsafe_split_with_sizes(x, [2, 4])
    b = x.unsafe_split_with_sizes([3, 3], 0)
    (a[1].sum() + b[0].sum() * 2).backward()
    return a, b, x.grad


# ---- deprecated norms ----------------------------------------------------------------------
@program
def frobenius_norm_dims(torch):
    x = _leaf(torch, (3, 4, 2), torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = torch.frobenius_norm(x, (0, 1))
        b = torch.frobenius_norm(x, [2], True)
        c = torch.frobenius_norm(x, 1)
    (a.sum() + b.sum() + c.sum()).backward()
    return a, b, c, x.grad


@program
def nuclear_norm_forms(torch):
    x = _leaf(torch, (3, 4), torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = torch.nuclear_norm(x)
        b = torch.nuclear_norm(x, keepdim=True)
        c = torch.nuclear_norm(x, (1, 0))
        d = torch.nuclear_norm(x, True)
    (a + c).backward()
    return a, b, c, d, x.grad


@error(RuntimeError, r"deprecated since version 1.9 and is now removed")
def matrix_rank_removed(torch):
    torch.matrix_rank(torch.eye(3))


# ---- dropout forms ---------------------------------------------------------------------------
@program
def native_dropout_training_matches_dropout(torch):
    torch.manual_seed(3)
    x = _leaf(torch, (4, 5))
    out, mask = torch.native_dropout(x, 0.3, True)
    out.sum().backward()
    torch.manual_seed(3)
    again = torch.nn.functional.dropout(x.detach(), 0.3)
    return out, mask, x.grad, again


@program
def native_dropout_eval_and_float64(torch):
    x = _leaf(torch, (3, 2), torch.float64)
    out, mask = torch.native_dropout(x, 0.5, False)
    torch.manual_seed(0)
    out2, mask2 = torch.native_dropout(x, 0.25, None)
    return out, mask, out is x, out2, mask2


@error(RuntimeError, r"bernoulli_ expects p to be in \[0, 1\]")
def native_dropout_bad_p(torch):
    torch.native_dropout(torch.ones(3), 1.5, True)


@program
def feature_dropout_channels(torch):
    torch.manual_seed(1)
    x = _leaf(torch, (4, 6, 3))
    y = torch.feature_dropout(x, 0.5, True)
    y.sum().backward()
    z = torch.ones(2, 3, 2, 2)
    torch.feature_dropout_(z, 0.4, True)
    return y, x.grad, z, torch.feature_dropout(x, 0.5, False) is x


@program
def feature_alpha_dropout_inplace(torch):
    torch.manual_seed(2)
    x = torch.randn(3, 4, 5)
    y = torch.feature_alpha_dropout_(x, 0.3, True)
    return y is x, x


@error(RuntimeError, r"dropout probability has to be between 0 and 1")
def feature_dropout_bad_p(torch):
    try:
        torch.feature_dropout(torch.ones(2, 2), 1.5, True)
    except ValueError as e:  # F.dropout's ValueError: PyTorch's ATen form raises RuntimeError
        raise RuntimeError(str(e)) from None


# ---- normalisation, pooling, shuffle ----------------------------------------------------------
@program
def native_group_norm_stats(torch):
    x = _leaf(torch, (2, 6, 5))
    w = torch.linspace(0.5, 1.5, 6, requires_grad=True)
    b = torch.linspace(-1.0, 1.0, 6, requires_grad=True)
    out, mean, rstd = torch.native_group_norm(x, w, b, 2, 6, 5, 3, 1e-5)
    (out * torch.arange(5.0)).sum().backward()
    return out, mean, rstd, x.grad, w.grad, b.grad


@program
def native_group_norm_no_affine_4d(torch):
    x = _leaf(torch, (2, 4, 3, 2), torch.float64)
    out, mean, rstd = torch.native_group_norm(x, None, None, 2, 4, 6, 2, 1e-6)
    return out, mean, rstd


@program
def native_channel_shuffle_values(torch):
    x = _leaf(torch, (1, 6, 2))
    return torch.native_channel_shuffle(x, 3), torch.native_channel_shuffle(x.detach(), 2)


@error(RuntimeError, r"derivative for aten::native_channel_shuffle is not implemented")
def native_channel_shuffle_backward_raises(torch):
    torch.native_channel_shuffle(torch.ones(1, 4, 2, requires_grad=True), 2).sum().backward()


@program
def max_pool1d_with_indices_defaults(torch):
    x = _leaf(torch, (2, 3, 9))
    v, i = torch.max_pool1d_with_indices(x, 3)
    v2, i2 = torch.max_pool1d_with_indices(x, [2], [1], [1], [2], True)
    (v.sum() + v2.sum()).backward()
    return v, i, v2, i2, x.grad


# ---- embeddings ------------------------------------------------------------------------------
def _bag(torch, mode, **kw):
    w = _leaf(torch, (6, 3))
    idx = torch.tensor([1, 2, 4, 5, 4, 3, 2])
    off = torch.tensor([0, 2, 2, 5])
    out = torch.embedding_bag(w, idx, off, False, mode, False, **kw)
    out[0].sum().backward()
    return list(out), w.grad


@program
def embedding_bag_sum(torch):
    return _bag(torch, 0)


@program
def embedding_bag_mean(torch):
    return _bag(torch, 1)


@program
def embedding_bag_max(torch):
    return _bag(torch, 2)


@program
def embedding_bag_padding_idx(torch):
    return _bag(torch, 1, per_sample_weights=None, include_last_offset=False, padding_idx=2)


@program
def embedding_bag_per_sample_weights_and_last_offset(torch):
    w = _leaf(torch, (5, 2))
    idx = torch.tensor([0, 4, 4, 1, 2])
    off = torch.tensor([0, 1, 3, 5])
    psw = torch.tensor([0.5, 1.0, 2.0, -1.0, 3.0], requires_grad=True)
    out = torch.embedding_bag(w, idx, off, False, 0, False, psw, True)
    out[0].pow(2).sum().backward()
    return list(out), w.grad, psw.grad


@program
def embedding_bag_max_last_offset(torch):
    w = _leaf(torch, (5, 2))
    out = torch.embedding_bag(w, torch.tensor([3, 1, 0, 2]), torch.tensor([0, 2, 4]), False, 2,
                              False, None, True)  # fmt: skip
    out[0].sum().backward()
    return list(out), w.grad


@program
def embedding_renorm_rows(torch):
    w = torch.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0], [1.0, 1.0]])
    out = torch.embedding_renorm_(w, torch.tensor([0, 1, 2, 0]), 1.0, 2.0)
    w64 = torch.arange(8, dtype=torch.float64).reshape(4, 2)
    torch.embedding_renorm_(w64, torch.tensor([[3], [1]]), 2.0, 1.0)
    return out is w, w, w64


# ---- convolution forms -----------------------------------------------------------------------
@program
def convolution_2d_strided_grouped(torch):
    x = _leaf(torch, (2, 4, 7, 6))
    w = _leaf(torch, (6, 2, 3, 3), seed=1)
    b = _leaf(torch, (6,), seed=2)
    y = torch.convolution(x, w, b, [2, 1], [1, 0], [1, 2], False, [0, 0], 2)
    y.pow(2).sum().backward()
    return y, x.grad, w.grad, b.grad


@program
def convolution_transposed_1d_and_3d(torch):
    x = _leaf(torch, (1, 2, 5))
    w = _leaf(torch, (2, 3, 3), seed=1)
    y = torch.convolution(x, w, None, [2], [1], [1], True, [1], 1)
    x3 = _leaf(torch, (1, 1, 3, 3, 3), seed=2)
    w3 = _leaf(torch, (2, 1, 2, 2, 2), seed=3)
    y3 = torch.convolution(x3, w3, None, [1, 1, 1], [0, 0, 0], [1, 1, 1], False, [0, 0, 0], 1)
    (y.sum() + y3.sum()).backward()
    return y, y3, x.grad, w.grad, w3.grad


@program
def conv_tbc_time_batch_channel(torch):
    x = _leaf(torch, (7, 2, 3))
    w = _leaf(torch, (3, 3, 4), seed=1)
    b = _leaf(torch, (4,), seed=2)
    y = torch.conv_tbc(x, w, b, 1)
    y.pow(2).sum().backward()
    return y, y.is_contiguous(), x.grad, w.grad, b.grad


@error(RuntimeError, r"Input must have 3 dims: time, batch, in_channel")
def conv_tbc_bad_rank(torch):
    torch.conv_tbc(torch.ones(2, 3), torch.ones(1, 3, 2), torch.ones(2))


@program
def grid_sampler_modes(torch):
    x = _leaf(torch, (1, 2, 4, 5))
    grid = torch.tensor(np.linspace(-1.2, 1.2, 2 * 3 * 3 * 2).reshape(2 // 2, 3, 6, 2), dtype=torch.float32)  # fmt: skip
    outs = [torch.grid_sampler(x, grid, m, p, ac) for m, p, ac in ((0, 0, False), (1, 1, True), (2, 2, False))]  # fmt: skip
    outs.append(torch.grid_sampler_2d(x, grid, 0, 1, True))
    sum(o.sum() for o in outs).backward()
    return outs, x.grad


@program
def grid_sampler_3d_and_affine_grid_generator(torch):
    theta = torch.tensor([[[0.9, 0.1, 0.0, 0.1], [0.0, 1.1, 0.2, 0.0], [0.1, 0.0, 1.0, -0.1]]],
                         requires_grad=True)  # fmt: skip
    grid = torch.affine_grid_generator(theta, [1, 2, 3, 4, 5], False)
    x = _leaf(torch, (1, 2, 3, 4, 5))
    y = torch.grid_sampler_3d(x, grid, 0, 0, False)
    y.sum().backward()
    theta2 = torch.tensor([[[1.0, 0.5, 0.0], [0.0, 1.0, 0.0]]])
    return grid, y, x.grad, theta.grad, torch.affine_grid_generator(theta2, (1, 1, 2, 3), True)


# ---- functional RNN cells --------------------------------------------------------------------
def _cell_weights(torch, gates, seed=0):
    return [_leaf(torch, s, torch.float64, seed + k) for k, s in
            enumerate([(gates * 4, 3), (gates * 4, 4), (gates * 4,), (gates * 4,)])]  # fmt: skip


@program
def rnn_tanh_and_relu_cells(torch):
    x = _leaf(torch, (2, 3), torch.float64)
    h = _leaf(torch, (2, 4), torch.float64, seed=9)
    w_ih, w_hh, b_ih, b_hh = _cell_weights(torch, 1)
    a = torch.rnn_tanh_cell(x, h, w_ih, w_hh, b_ih, b_hh)
    b = torch.rnn_relu_cell(x, h, w_ih, w_hh)
    (a.sum() + b.sum()).backward()
    return a, b, x.grad, h.grad, w_ih.grad, b_hh.grad


@program
def lstm_cell_matches_module(torch):
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(3, 4)
    x = torch.randn(5, 3, requires_grad=True)
    h, c = torch.randn(5, 4), torch.randn(5, 4)
    a = torch.lstm_cell(x, (h, c), cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    (a[0].sum() + a[1].sum() * 2).backward()
    return list(a), x.grad, cell.weight_hh.grad, cell(x, (h, c))


@program
def gru_cell_values_and_unbatched(torch):
    x = _leaf(torch, (2, 3), torch.float64)
    h = _leaf(torch, (2, 4), torch.float64, seed=9)
    w_ih, w_hh, b_ih, b_hh = [_leaf(torch, s, torch.float64, 3 + k) for k, s in
                              enumerate([(12, 3), (12, 4), (12,), (12,)])]  # fmt: skip
    out = torch.gru_cell(x, h, w_ih, w_hh, b_ih, b_hh)
    out.sum().backward()
    return out, x.grad, h.grad, w_hh.grad, b_ih.grad


@error(IndexError, r"Dimension out of range")
def gru_cell_unbatched_raises(torch):
    torch.gru_cell(torch.ones(3), torch.ones(4), torch.ones(12, 3), torch.ones(12, 4))


# ---- creation, predicates, switches ----------------------------------------------------------
@program
def empty_permuted_layout(torch):
    t = torch.empty_permuted((2, 3, 4, 5), (0, 2, 3, 1))
    u = torch.empty_permuted([3, 4], [1, 0], dtype=torch.int64, requires_grad=False)
    v = torch.empty_permuted((2, 3), (0, 1), requires_grad=True)
    return (t.shape, t.stride(), t.is_contiguous(memory_format=torch.channels_last), u.dtype,
            u.stride(), v.requires_grad)  # fmt: skip


@program
def get_device_is_conj_is_neg(torch):
    x = torch.ones(2)
    return torch.get_device(x), torch.is_conj(x), torch.is_neg(x), torch.is_conj(x.neg())


@program
def set_anomaly_enabled_switch(torch):
    before = torch.is_anomaly_enabled()
    torch.set_anomaly_enabled(True)
    on, nan = torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()
    torch.set_anomaly_enabled(True, False)
    nan_off = torch.is_anomaly_check_nan_enabled()
    torch.set_anomaly_enabled(False)
    return before, on, nan, nan_off, torch.is_anomaly_enabled()


@program
def autocast_switches(torch):
    torch.set_autocast_enabled("cpu", True)
    on = torch.is_autocast_enabled("cpu")
    torch.set_autocast_enabled("cpu", False)
    off = torch.is_autocast_enabled("cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.set_autocast_cpu_enabled(True)
        cpu_on = torch.is_autocast_cpu_enabled()
        torch.set_autocast_cpu_enabled(False)
    cache = torch.is_autocast_cache_enabled()
    torch.set_autocast_cache_enabled(False)
    cache_off = torch.is_autocast_cache_enabled()
    torch.set_autocast_cache_enabled(True)
    torch.clear_autocast_cache()
    depths = [torch.autocast_increment_nesting(), torch.autocast_increment_nesting(),
              torch.autocast_decrement_nesting(), torch.autocast_decrement_nesting()]  # fmt: skip
    return on, off, cpu_on, cache, cache_off, depths


# ---- Tensor methods --------------------------------------------------------------------------
@program
def set_forms(torch):
    a = torch.arange(10.0)
    t = torch.empty(0)
    t.set_(a)
    shared = (t.is_set_to(a), a.is_set_to(t), a[1:].is_set_to(a))
    t.add_(1)
    u = torch.empty(0)
    u.set_(a, 2, (2, 2), (3, 1))
    v = torch.ones(3)
    v.set_()
    w = torch.zeros(1)
    w.set_(a, 1, (2, 3))
    return t, a, shared, u, v, v.shape, w, w.stride()


@error(RuntimeError, r"Could not set tensor of type")
def set_dtype_mismatch(torch):
    torch.ones(2).set_(torch.arange(3))


@program
def as_strided_inplace(torch):
    u = torch.arange(6.0)
    r = u.as_strided_((2, 2), (1, 2), 1)
    v = torch.arange(12.0).reshape(3, 4)
    v.as_strided_((2, 3), (4, 1))
    return r is u, u, u.stride(), u.storage_offset(), v


@program
def new_empty_strided_dtype_and_strides(torch):
    x = torch.ones(2, dtype=torch.float64)
    a = x.new_empty_strided((2, 3), (1, 2))
    b = x.new_empty_strided((4,), (2,), dtype=torch.int64, requires_grad=False)
    return a.shape, a.stride(), a.dtype, b.dtype, b.stride()


@program
def resize_and_resize_as_deprecated(torch):
    x = torch.arange(12.0).reshape(3, 4)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        r = x.resize(2, 6)
        s = x.resize_as(torch.ones(6, 2))
    r.add_(100)
    return r, s, x, [str(w.message) for w in seen]


@program
def map2_elementwise(torch):
    p = torch.zeros(2, 3)
    q = p.map2_(torch.ones(3), torch.arange(6.0).reshape(2, 3), lambda a, b, c: a + b * c + 1)
    return q is p, p


@error(RuntimeError, r"Can't call map2_\(\) on Variable that requires grad")
def map2_requires_grad(torch):
    torch.ones(2, requires_grad=True).map2_(torch.ones(2), torch.ones(2), lambda a, b, c: a)


# ---- local checks without PyTorch ------------------------------------------------------------
def test_deprecated_norms_warn():
    x = minitorch.ones(2, 3)
    with pytest.warns(UserWarning, match=r"at::frobenius_norm is deprecated.*vector_norm"):
        minitorch.frobenius_norm(x, (0, 1))
    with pytest.warns(UserWarning, match=r"at::nuclear_norm is deprecated.*'nuc'"):
        minitorch.nuclear_norm(x)


def test_set_flush_denormal_reports_unsupported():
    assert minitorch.set_flush_denormal(True) is False
    assert minitorch.set_flush_denormal(False) is False


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: minitorch.permute_copy(t, (1, 0)),
        lambda t: minitorch.slice_copy(t, 1, 0, 3, 2),
        lambda t: minitorch.as_strided_copy(t, (2, 2), (1, 2)),
        lambda t: minitorch.unfold_copy(t, 1, 2, 1),
    ],
)
def test_copy_functions_gradcheck(fn):
    x = minitorch.tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_rnn_cells_gradcheck():
    rng = np.random.default_rng(1)
    args = [minitorch.tensor(rng.standard_normal(s), requires_grad=True)
            for s in ((2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,))]  # fmt: skip
    assert gradcheck(minitorch.gru_cell, tuple(args))
    assert gradgradcheck(minitorch.gru_cell, tuple(args))

    def lstm(x, h, c, w_ih, w_hh):
        return minitorch.lstm_cell(x, (h, c), w_ih, w_hh)

    lstm_args = [minitorch.tensor(rng.standard_normal(s), requires_grad=True)
                 for s in ((2, 3), (2, 4), (2, 4), (16, 3), (16, 4))]  # fmt: skip
    assert gradcheck(lstm, tuple(lstm_args))


def test_conv_tbc_gradcheck():
    rng = np.random.default_rng(2)
    args = [minitorch.tensor(rng.standard_normal(s), requires_grad=True)
            for s in ((5, 2, 3), (2, 3, 2), (2,))]  # fmt: skip
    assert gradcheck(lambda x, w, b: minitorch.conv_tbc(x, w, b, 1), tuple(args))


test_program = SWEEP.test()
