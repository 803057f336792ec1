"""Top-level names PyTorch also has: torch.conv2d & co (functional aliases), torch.relu_ &
co (in-place functions), torch.embedding/batch_norm (their own argument order), the signal
windows, torch.range, typename, fill, is_signed, is_same_size."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import _warn_once
from minitorch._torch_aliases import _NOT_WRITABLE

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
W = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
E = rng.standard_normal((10, 4)).astype(np.float32)

PROGRAMS = {
    "hann": lambda t: t.hann_window(8),
    "hann_symmetric": lambda t: t.hann_window(5, False),
    "hann_1": lambda t: t.hann_window(1),
    "hann_0": lambda t: t.hann_window(0),
    "hamming": lambda t: t.hamming_window(7, False, 0.5, 0.5),
    "blackman_f64": lambda t: t.blackman_window(6, dtype=t.float64),
    "bartlett": lambda t: t.bartlett_window(9),
    "kaiser": lambda t: t.kaiser_window(7, True, 5.0),
    "range": lambda t: t.range(1, 4),
    "range_step": lambda t: t.range(0, 1, 0.3),
    "range_down": lambda t: t.range(5, 1, -1),
    "range_int": lambda t: t.range(1, 4, dtype=t.int64),
    "conv2d": lambda t: t.conv2d(t.tensor(X), t.tensor(W), None, 1, 1),
    "max_pool2d": lambda t: t.max_pool2d(t.tensor(X), 2),
    "layer_norm": lambda t: t.layer_norm(t.tensor(X), (8,)),
    "relu_": lambda t: t.relu_(t.tensor(X)),
    "clamp_": lambda t: t.clamp_(t.tensor(X), -0.5, 0.5),
    "selu_": lambda t: t.selu_(t.tensor(X)),
    "threshold_": lambda t: t.threshold_(t.tensor(X), 0.1, 20.0),
    "dropout_eval": lambda t: t.dropout(t.tensor(X), 0.5, False),
    "fill": lambda t: t.fill(t.tensor(X), 2.5),
    "embedding": lambda t: t.embedding(t.tensor(E), t.tensor([1, 2, 3])),
    "batch_norm": lambda t: t.batch_norm(
        t.tensor(X), t.ones(3), t.zeros(3), t.zeros(3), t.ones(3), True, 0.1, 1e-5, False
    ),
    "typename_float": lambda t: t.typename(t.tensor(X)),
    "typename_long": lambda t: t.typename(t.tensor([1, 2])),
    "typename_int": lambda t: t.typename(3),
    "is_signed": lambda t: (t.is_signed(t.tensor([1], dtype=t.uint8)), t.is_signed(t.ones(1))),
    "is_same_size": lambda t: t.is_same_size(t.ones(2, 3), t.zeros(3, 2)),
    "nextafter": lambda t: t.nextafter(t.tensor([1.0, 2.0]), t.tensor([2.0, 1.0])) - 1,
    "nextafter_method_f64": lambda t: t.tensor([0.0], dtype=t.float64).nextafter(
        t.ones(1, dtype=t.float64)
    ),
    "real": lambda t: t.real(t.tensor(X)),
    "arctan2": lambda t: t.arctan2(t.tensor(X), t.tensor(X[::-1].copy())),
    "split_with_sizes": lambda t: t.split_with_sizes(t.tensor(X), [1, 2], 1)[1],
    "conv_transpose3d": lambda t: t.conv_transpose3d(
        t.tensor(X[:1].reshape(1, 3, 4, 4, 4)), t.tensor(W[:3, :2, :2, :2, None]), None, 2
    ),
    "triplet_margin_loss_none": lambda t: t.triplet_margin_loss(
        t.tensor(E[:3]), t.tensor(E[3:6]), t.tensor(E[6:9])
    ),
    "triplet_margin_loss_sum_swap": lambda t: t.triplet_margin_loss(
        t.tensor(E[:3]), t.tensor(E[3:6]), t.tensor(E[6:9]), 0.5, 1.0, 1e-6, True, 2
    ),
    "native_layer_norm_rstd": lambda t: t.native_layer_norm(
        t.tensor(X), (8, 8), t.ones(8, 8), None, 1e-5
    )[2],
    "native_layer_norm_out": lambda t: t.native_layer_norm(
        t.tensor(X), (8,), t.ones(8), t.zeros(8), 1e-5
    )[0],
    "native_batch_norm_mean": lambda t: t.native_batch_norm(
        t.tensor(X), None, None, t.zeros(3), t.ones(3), True, 0.1, 1e-5
    )[1],
    "native_batch_norm_invstd": lambda t: t.native_batch_norm(
        t.tensor(X), t.ones(3), None, None, None, True, 0.1, 1e-5
    )[2],
    "native_batch_norm_eval": lambda t: t.native_batch_norm(
        t.tensor(X), None, None, t.zeros(3), t.ones(3), False, 0.1, 1e-5
    )[2],
    "warn_always": lambda t: (t.set_warn_always(False), t.is_warn_always_enabled())[1],
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_matches_torch(name, torch):
    results = []
    for lib in (torch, minitorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.range is deprecated in both
            results.append(PROGRAMS[name](lib))
    want, got = results
    if isinstance(want, torch.Tensor):
        assert tuple(got.shape) == tuple(want.shape)
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    else:
        assert got == want


def test_inplace_functions_change_their_input():
    x = minitorch.tensor([-1.0, 2.0])
    assert minitorch.relu_(x) is x
    assert x.tolist() == [0.0, 2.0]
    y = minitorch.tensor([-1.0, 2.0])
    minitorch.threshold_(y, 0.5, 9.0)
    assert y.tolist() == [9.0, 2.0]


def test_windows_values_and_errors():
    assert minitorch.hann_window(4, periodic=False).tolist() == pytest.approx([0, 0.75, 0.75, 0])
    assert minitorch.hann_window(4).tolist() == pytest.approx([0, 0.5, 1, 0.5])
    with pytest.raises(RuntimeError, match="non-negative window_length"):
        minitorch.hann_window(-1)
    with pytest.raises(RuntimeError, match="floating point"):
        minitorch.hann_window(4, dtype=minitorch.int64)


def test_range_includes_its_end_and_warns():
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        r = minitorch.range(1, 3)
    assert r.tolist() == [1.0, 2.0, 3.0] and r.dtype == minitorch.float32


def test_real_and_imag_of_real_tensors(torch):
    for lib in (torch, minitorch):
        x = lib.ones(2, requires_grad=True)
        assert x.real is x
        with pytest.raises(
            RuntimeError, match="imag is not implemented for tensors with non-complex"
        ):
            x.imag


def test_set_default_tensor_type(torch):
    try:
        for lib in (torch, minitorch):
            with pytest.warns(UserWarning, match="set_default_tensor_type\\(\\) is deprecated"):
                lib.set_default_tensor_type(lib.DoubleTensor)
            assert lib.ones(1).dtype == lib.float64
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lib.set_default_tensor_type("torch.FloatTensor")
                assert lib.ones(1).dtype == lib.float32
                with pytest.raises(TypeError, match="only floating-point types"):
                    lib.set_default_tensor_type(lib.LongTensor)
                with pytest.raises(AttributeError, match="has no attribute 'Foo'"):
                    lib.set_default_tensor_type("torch.Foo")
    finally:
        torch.set_default_dtype(torch.float32)
        minitorch.set_default_dtype(minitorch.float32)


def test_dense_tensor_predicates_and_layout_methods(torch):
    for lib in (torch, minitorch):
        x = lib.ones(2, 3, 4)
        flags = (x.is_sparse, x.is_sparse_csr, x.is_quantized, x.is_meta, x.is_mps, x.is_nested)
        assert flags == (False,) * 6
        assert x.to_dense() is x
        assert x.to_dense(lib.float64).dtype == lib.float64
        assert x.dim_order() == (0, 1, 2)
        assert x.permute(2, 0, 1).dim_order() == (1, 2, 0)
        assert x.const_data_ptr() == x.data_ptr()


def test_apply_map_float_power_and_nextafter_in_place(torch):
    for lib in (torch, minitorch):
        x = lib.tensor([1.0, 2.0, 3.0])
        assert x.apply_(lambda v: v * 2) is x and x.tolist() == [2.0, 4.0, 6.0]
        assert lib.tensor([1, 2, 3]).apply_(lambda v: v / 2).tolist() == [0, 1, 1]
        a = lib.tensor([1.0, 2.0])
        assert a.map_(lib.tensor([10.0, 20.0]), lambda u, v: u + v).tolist() == [11.0, 22.0]
        assert a.map_(lib.tensor(5.0), lambda u, v: u * v).tolist() == [55.0, 110.0]
        with pytest.raises(RuntimeError, match="Can't call apply_\\(\\) on Variable that requires"):
            lib.ones(2, requires_grad=True).apply_(lambda v: v)
        with pytest.raises(RuntimeError, match="float_power_ has dtype Float but .* Double"):
            lib.tensor([1.0, 2.0]).float_power_(2)
        d = lib.tensor([1.0, 2.0], dtype=lib.float64)
        assert d.float_power_(3) is d and d.tolist() == [1.0, 8.0]
        n = lib.tensor([1.0, 2.0])
        n.nextafter_(lib.tensor([2.0, 1.0]))
        assert (n - lib.tensor([1.0, 2.0])).tolist() == [2.0**-23, -(2.0**-23)]


GRAD_FN_PROGRAMS = {
    "addcmul": lambda t, a, v, b, q: t.addcmul(a, a, a),
    "addcdiv": lambda t, a, v, b, q: t.addcdiv(a, a, a),
    "addmm": lambda t, a, v, b, q: t.addmm(a, a, a),
    "addmv": lambda t, a, v, b, q: t.addmv(v, a, v),
    "addr": lambda t, a, v, b, q: t.addr(a, v, v),
    "baddbmm": lambda t, a, v, b, q: t.baddbmm(b, b, b),
    "addbmm": lambda t, a, v, b, q: t.addbmm(a, b, b),
    "diag_of_matrix": lambda t, a, v, b, q: t.diag(a),
    "diag_of_vector": lambda t, a, v, b, q: t.diag(v),
    "einsum_mm": lambda t, a, v, b, q: t.einsum("ij,jk->ik", a, a),
    "einsum_dot": lambda t, a, v, b, q: t.einsum("i,i->", v, v),
    "einsum_transpose": lambda t, a, v, b, q: t.einsum("ij->ji", a),
    "einsum_rowsum": lambda t, a, v, b, q: t.einsum("ij->i", a),
    "einsum_outer": lambda t, a, v, b, q: t.einsum("i,j->ij", v, v),
    "einsum_diagonal": lambda t, a, v, b, q: t.einsum("ii->i", a),
    "sdpa_4d": lambda t, a, v, b, q: t.nn.functional.scaled_dot_product_attention(q, q, q),
    "sdpa_causal": lambda t, a, v, b, q: t.nn.functional.scaled_dot_product_attention(
        q, q, q, is_causal=True
    ),
    "sdpa_3d": lambda t, a, v, b, q: t.nn.functional.scaled_dot_product_attention(q[0], q[0], q[0]),
}


@pytest.mark.parametrize("name", GRAD_FN_PROGRAMS)
def test_grad_fn_names_match_torch(name, torch):
    names = []
    for lib in (torch, minitorch):
        args = (
            lib.tensor(rng.standard_normal((3, 3)), requires_grad=True),
            lib.tensor(rng.standard_normal(3), requires_grad=True),
            lib.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True),
            lib.tensor(rng.standard_normal((2, 3, 4, 5)).astype(np.float32), requires_grad=True),
        )
        out = GRAD_FN_PROGRAMS[name](lib, *args)
        names.append(repr(out.grad_fn).split()[0].strip("<"))
    assert names[1] == names[0]


# ---- session 6: the ATen loss forms, angle, index_reduce, empty_strided, frombuffer ------------
def _aliases_program(fw):
    fw.manual_seed(0)
    r = []
    a, b = fw.randn(4, 3).log_softmax(1), fw.rand(4, 3)
    r += [fw.kl_div(a, b, 2), fw.kl_div(a, b), fw.kl_div(a, b, 0, log_target=True)]
    x1, x2, y = fw.randn(5), fw.randn(5), fw.tensor([1.0, -1, 1, 1, -1])
    r.append(fw.margin_ranking_loss(x1, x2, y, 0.3, 2))
    r.append(fw.margin_ranking_loss(x1, x2, y))  # left out, the reduction is none
    r.append(fw.cosine_embedding_loss(fw.randn(5, 3), fw.randn(5, 3), y, 0.1, 1))
    r.append(fw.hinge_embedding_loss(x1, y, 0.5, 1))
    r.append(fw.poisson_nll_loss(x1, fw.rand(5), True, True, 1e-8, 2))
    r.append(fw.binary_cross_entropy_with_logits(x1, fw.rand(5), None, fw.tensor(2.0), 1))
    lp = fw.randn(6, 2, 4).log_softmax(2)
    r.append(fw.ctc_loss(lp, fw.tensor([[1, 2], [1, 1]]), fw.tensor([6, 6]), fw.tensor([2, 2])))
    r.append(fw.constant_pad_nd(fw.ones(2, 2), [1, 0, 0, 2], 3.5))
    v = fw.tensor([-1.0, -0.0, 0.0, 1.0, float("nan"), -float("inf")], requires_grad=True)
    angle = fw.angle(v)
    angle.sum().backward()
    r += [angle, v.grad, fw.angle(fw.tensor([-2, 3])), v.detach().double().angle()]
    for reduce in ("prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            x = fw.randn(3, 5, requires_grad=True)
            src = fw.randn(3, 4, requires_grad=True)
            out = x.index_reduce(1, fw.tensor([0, 4, 0, 2]), src, reduce, include_self=include_self)
            (out * fw.arange(15.0).reshape(3, 5)).sum().backward()
            r += [out, x.grad, src.grad]
    z = fw.zeros(2, 4)
    z.index_reduce_(0, fw.tensor([1, 1]), fw.ones(2, 4) * 2, "amax", include_self=False)
    r += [z, fw.ones(3).hardshrink(0.5), fw.randn(2, 3).prelu(fw.tensor([0.2]))]
    e = fw.empty_strided((2, 3), (1, 2), dtype=fw.float64)
    r += [e.stride(), e.shape, (e.element_size(),)]
    buf = bytearray(range(8))
    shared = fw.frombuffer(buf, dtype=fw.int16, count=2, offset=2)
    shared[0] = 7  # writes through to the buffer
    r += [shared, bytes(buf), fw.frombuffer(bytes(range(8)), dtype=fw.float32)]
    return r


def test_session6_aliases_match_pytorch(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # index_reduce is beta; frombuffer of bytes warns
        expected, actual = _aliases_program(torch), _aliases_program(minitorch)
    assert len(expected) == len(actual)
    for e, a in zip(expected, actual):
        if isinstance(e, torch.Tensor):
            e, a = e.detach().numpy(), a.detach().numpy()
            assert a.dtype == e.dtype and a.shape == e.shape
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
        else:
            assert (a == e) if isinstance(e, (bytes, str)) else tuple(a) == tuple(e)


def test_frombuffer_shares_writable_memory_and_copies_read_only():
    buf = bytearray(8)
    t = minitorch.frombuffer(buf, dtype=minitorch.uint8)
    t[3] = 9
    assert buf[3] == 9
    _warn_once._given.discard(_NOT_WRITABLE)  # warned once a process, as in PyTorch
    with pytest.warns(UserWarning, match="The given buffer is not writable"):
        ro = minitorch.frombuffer(bytes(4), dtype=minitorch.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.frombuffer(bytes(4), dtype=minitorch.uint8)
    ro += 1  # a copy: writable
    assert ro.tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"count": 0}, r"both buffer length \(8\) and count \(0\) must not be 0"),
        ({"offset": 9}, r"offset \(9 bytes\) must be non-negative and no greater than"),
        ({"count": 5, "offset": 4}, r"requested buffer length \(5 \* 1 bytes\) after offset"),
        ({"offset": 1, "dtype": minitorch.int16}, r"must be a multiple of element size \(2\)"),
    ],
)
def test_frombuffer_errors(kwargs, message):
    kwargs = {"dtype": minitorch.uint8, **kwargs}
    with pytest.raises(ValueError, match=message):
        minitorch.frombuffer(bytearray(8), **kwargs)


def test_empty_strided_and_index_reduce_errors():
    with pytest.raises(
        RuntimeError,
        match=r"dimensionality of sizes \(2\) must match dimensionality of strides \(1\)",
    ):
        minitorch.empty_strided((2, 3), (1,))
    with pytest.raises(RuntimeError, match="Expected reduce to be one of prod, mean, amax or amin"):
        minitorch.zeros(3).index_reduce(0, minitorch.tensor([0]), minitorch.ones(1), "sum")
    t = minitorch.empty_strided((2, 3), (1, 2), requires_grad=True)
    assert t.stride() == (1, 2) and t.requires_grad and t._base is None


def test_deprecated_autocast_queries_warn():
    with pytest.warns(DeprecationWarning, match=r"get_autocast_dtype\('cpu'\)"):
        assert minitorch.get_autocast_cpu_dtype() == minitorch.get_autocast_dtype("cpu")
    with pytest.warns(DeprecationWarning, match="is_autocast_cpu_enabled"):
        assert minitorch.is_autocast_cpu_enabled() is False
    with pytest.warns(DeprecationWarning, match="get_autocast_gpu_dtype"):
        assert minitorch.get_autocast_gpu_dtype() == minitorch.float16


def test_grad_scaler_and_out_of_memory_error_names(torch):
    for lib in (torch, minitorch):
        assert lib.GradScaler is lib.amp.GradScaler
        assert lib.OutOfMemoryError is lib.cuda.OutOfMemoryError
        assert issubclass(lib.OutOfMemoryError, RuntimeError)
