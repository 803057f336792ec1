"""Fast array paths give the same numbers as the plain ones (and as PyTorch)."""

import numpy as np
import pytest

import minitorch
from minitorch.autograd import gradcheck


def test_index_add_by_sorted_runs_matches_add_at_and_torch(torch):
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 7, 200)  # more indices than rows: the reduceat path
    src = rng.standard_normal((200, 5)).astype(np.float32)
    ours = minitorch.zeros(7, 5).index_add(0, minitorch.tensor(idx), minitorch.tensor(src))
    expected = np.zeros((7, 5), np.float32)
    np.add.at(expected, idx, src)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-5, atol=1e-5)
    w = minitorch.tensor(rng.standard_normal((7, 5)), requires_grad=True)
    tw = torch.tensor(w.detach().numpy(), requires_grad=True)
    minitorch.nn.functional.embedding(minitorch.tensor(idx), w).sum().backward()
    torch.nn.functional.embedding(torch.tensor(idx), tw).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), rtol=1e-6)


def test_index_select_gradcheck_with_many_repeats():
    idx = minitorch.tensor([0, 2, 2, 1, 0, 2, 1, 1, 0])
    x = minitorch.randn(3, 4, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: t.index_select(0, idx) * 2.0, (x,))


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_float32_path_signs_and_zeros_match_torch(torch, approximate):
    x = np.array([-0.0, 0.0, -1e-30, 1e-30, -3.5, 3.5, -12.0, 12.0, -0.7, 0.7], np.float32)
    a = minitorch.tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    ours = minitorch.nn.functional.gelu(a, approximate=approximate)
    theirs = torch.nn.functional.gelu(t, approximate=approximate)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-7)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_gelu_float32_chunked_sweep_matches_float64_across_chunk_edges(torch):
    """GELU's float32 path runs in cache-sized chunks (and stores its derivative): an input spanning several chunks, not contiguous, must give PyTorch's values and gradients, and a
    second backward through a retained graph the same gradient again."""
    from minitorch.backends.chunked import CHUNK

    rng = np.random.default_rng(1)
    x = (rng.standard_normal((3, 2 * CHUNK + 7)) * 4).astype(np.float32).T  # not contiguous
    a = minitorch.tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    g = rng.standard_normal(x.shape).astype(np.float32)
    ours = minitorch.nn.functional.gelu(a)
    theirs = torch.nn.functional.gelu(t)
    # Phi's absolute error is ~1e-7 in float32 (PyTorch's 1 + erf too), times |x| <= ~16
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-6)
    ours.backward(minitorch.tensor(g), retain_graph=True)
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)
    first = a.grad.numpy().copy()
    ours.backward(minitorch.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), 2 * first, rtol=1e-6)


def test_gelu_float32_second_order_uses_the_differentiable_derivative(torch):
    x = np.linspace(-4, 4, 9, dtype=np.float32)
    a, t = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (ga,) = minitorch.autograd.grad(minitorch.nn.functional.gelu(a).sum(), a, create_graph=True)
    (gt,) = torch.autograd.grad(torch.nn.functional.gelu(t).sum(), t, create_graph=True)
    ga.sum().backward()
    gt.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "shape, dims",
    [((64, 32, 16), 0), ((64, 32, 16), (0, 1)), ((64, 32, 16), -1), ((64, 32, 16), (1, 2)),
     ((70000, 2), 0), ((64, 32, 16), 1), ((8, 4, 16, 16), (0, 2, 3)), ((64, 32, 16), (0, 2))],
)  # fmt: skip
@pytest.mark.parametrize("keepdim", [False, True])
def test_sums_over_leading_or_trailing_axes_by_blas_match_torch(torch, shape, dims, keepdim):
    """Sums over leading and/or trailing axes of big float arrays run as products with
    ones (a middle axis alone, or a run of more than 65536, takes numpy's reduction)."""
    from minitorch.ops.reduce import sum_blas

    rng = np.random.default_rng(2)
    x = (rng.standard_normal(shape) + 1).astype(np.float32)
    ours = minitorch.tensor(x).sum(dims, keepdim=keepdim)
    theirs = torch.tensor(x).sum(dims, keepdim=keepdim)
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.dtype == minitorch.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=2e-4)
    mean = minitorch.tensor(x).mean(dims, keepdim=keepdim)
    np.testing.assert_allclose(mean.numpy(), torch.tensor(x).mean(dims, keepdim=keepdim), rtol=1e-5)
    path = sum_blas(x, tuple(d % x.ndim for d in np.atleast_1d(dims)), keepdim)
    middle_or_too_long = dims == 1 or shape[0] > 65536
    assert (path is None) == middle_or_too_long


def test_attention_rows_far_below_the_block_maximum_take_the_exact_path(torch):
    """The softmax shifts each (L, S) block by its maximum, in place; a row whose scores lie
    ~100 below it would underflow, so the scores are recomputed and shifted row by row."""
    rng = np.random.default_rng(3)
    q, k, v = (rng.standard_normal((2, 3, 4, 8)).astype(np.float32) for _ in range(3))
    bias = np.zeros((4, 4), np.float32)
    bias[1] = -100.0  # row 1 of every block: far below the others
    bias[2, :2] = -np.inf
    outs = []
    for lib in (minitorch, torch):
        qt, kt, vt = (lib.tensor(a, requires_grad=True) for a in (q, k, v))
        out = lib.nn.functional.scaled_dot_product_attention(qt, kt, vt, attn_mask=lib.tensor(bias))
        out.sum().backward()
        outs.append([out.detach().numpy()] + [t.grad.numpy() for t in (qt, kt, vt)])
    for ours, theirs in zip(*outs):
        assert np.isfinite(ours).all()
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_attention_with_a_backend_softmax_kernel_zeroes_fully_masked_rows(torch, monkeypatch):
    """Device backends run attention's softmax as their fused kernel, which gives NaN for a
    row with every position masked (as a plain softmax does); attention must give zeros."""
    import minitorch.ops.attention as attention

    def kernel_softmax(s):  # what the cupy kernel computes, NaN rows included
        with np.errstate(invalid="ignore"):
            e = np.exp(s - s.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)

    monkeypatch.setattr(
        attention, "fused", lambda a, name: kernel_softmax if name == "softmax" else None
    )
    rng = np.random.default_rng(4)
    q, k, v = (rng.standard_normal((2, 4, 8)).astype(np.float32) for _ in range(3))
    keep = np.ones((4, 4), bool)
    keep[1] = False  # row 1 attends to nothing
    ours = minitorch.nn.functional.scaled_dot_product_attention(
        *(minitorch.tensor(a) for a in (q, k, v)), attn_mask=minitorch.tensor(keep)
    )
    theirs = torch.nn.functional.scaled_dot_product_attention(
        *(torch.tensor(a) for a in (q, k, v)), attn_mask=torch.tensor(keep)
    )
    assert (ours.numpy()[:, 1] == 0).all()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kernel", [2, 3, (2, 3)])
def test_max_pool_of_tiling_windows_on_strided_views_matches_torch(torch, kernel):
    """Windows that tile the input (stride = kernel, no padding) take the path without
    copies: ties go to the first maximum, NaN wins (the last one), odd edges are dropped."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, (2, 3, 7, 8)).astype(np.float32)  # many ties
    x[0, 0, 0, 1] = x[1, 2, 4, 4] = x[1, 2, 4, 5] = np.nan
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    g = rng.standard_normal((2, 3, 7 // kh, 8 // kw)).astype(np.float32)
    outs = []
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        out, idx = lib.nn.functional.max_pool2d(t, kernel, return_indices=True)
        out.backward(lib.tensor(g))
        outs.append((out.detach().numpy(), idx.numpy(), t.grad.numpy()))
    (o1, i1, g1), (o2, i2, g2) = outs
    np.testing.assert_array_equal(o1, o2)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(g1, g2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_relu_backward_passes_nan_outputs_and_zeroes_inf_gradients_as_torch(torch, dtype):
    """PyTorch's threshold_backward: g where the output is not 0 (a NaN output passes g),
    else 0 (an inf gradient at a dead unit gives 0, not inf * 0 = NaN)."""
    x = np.array([-1.0, 0.0, 2.0, np.nan, 3.0, -2.0, -0.0], dtype)
    g = np.array([np.inf, np.nan, 1.0, 5.0, np.inf, -np.inf, 7.0], dtype)
    grads = []
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        t.relu().backward(lib.tensor(g))
        grads.append(t.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


@pytest.mark.parametrize(
    "cin, cout, kwargs",
    [(8, 12, {"padding": 1}), (8, 12, {"padding": 2, "dilation": 2, "groups": 2}),
     (1, 16, {"padding": 1}), (8, 12, {"padding": 1, "stride": 2}), (6, 4, {"padding": (0, 2)})],
)  # fmt: skip
def test_conv2d_input_gradient_paths_match_torch(torch, cin, cout, kwargs):
    """Stride 1 with enough input channels adds one shifted product per kernel offset into
    a flat buffer; other cases take all columns and col2im. Both must give PyTorch's grad."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, cin, 9, 10)).astype(np.float32)
    w = rng.standard_normal((cout, cin // kwargs.get("groups", 1), 3, 3)).astype(np.float32)
    grads = []
    for lib in (minitorch, torch):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        out = lib.nn.functional.conv2d(xt, wt, **kwargs)
        out.backward(
            lib.tensor(np.cos(np.arange(out.numel())).reshape(out.shape).astype(np.float32))
        )
        grads.append((xt.grad.numpy(), wt.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


def _qkv_attention(fw, x, w, n_head, hook=None):
    """A fused qkv projection split into heads, causal attention, heads merged back."""
    B, T, C = x.shape
    qkv = x @ w
    if hook is not None:
        qkv.register_hook(hook)
    q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in qkv.split(C, dim=2))
    y = fw.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    return y.transpose(1, 2).reshape(B, T, C)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_attention_gradients_of_a_fused_qkv_split_come_back_joined_without_a_copy(torch, dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 8)).astype(dtype)
    w = rng.standard_normal((8, 24)).astype(dtype) * 0.3
    g = rng.standard_normal((2, 5, 8)).astype(dtype)
    seen = []
    xs = [minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)]
    ws = [minitorch.tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)]
    for fw, xt, wt in zip((minitorch, torch), xs, ws):
        hook = (lambda gr: seen.append(gr)) if fw is minitorch else None
        _qkv_attention(fw, xt, wt, 2, hook).backward(fw.tensor(g))
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(xs[0].grad.numpy(), xs[1].grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(ws[0].grad.numpy(), ws[1].grad.numpy(), rtol=tol, atol=tol)
    # the gradient of qkv is the one array attention's backward wrote q's, k's and v's into
    joined = seen[0]._data
    assert joined.shape == (2, 5, 24) and joined.base is not None and joined.flags.c_contiguous


def test_attention_of_one_tensor_three_times_and_of_broadcast_keys_matches_torch(torch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 4, 3))
    kb = rng.standard_normal((1, 2, 4, 3))
    g = rng.standard_normal((2, 2, 4, 3))
    for args in ((x, x, x), (x, kb, kb)):
        ours = [minitorch.tensor(a, requires_grad=True) for a in args]
        theirs = [torch.tensor(a, requires_grad=True) for a in args]
        ours_in = [ours[0], ours[0], ours[0]] if args[1] is x else ours
        theirs_in = [theirs[0], theirs[0], theirs[0]] if args[1] is x else theirs
        minitorch.nn.functional.scaled_dot_product_attention(*ours_in).backward(minitorch.tensor(g))
        torch.nn.functional.scaled_dot_product_attention(*theirs_in).backward(torch.tensor(g))
        for o, t in zip(ours, theirs):
            if t.grad is not None:
                np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)
