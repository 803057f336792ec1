"""scaled_dot_product_attention, MultiheadAttention, TransformerEncoderLayer/Encoder against
PyTorch (values and every gradient), finite differences, dropout, masks and errors."""

from __future__ import annotations

import numpy as np
import pytest
from nn_oracle import compare_fn, compare_module, load_torch_state

import minitorch
import minitorch.nn.functional as F
from minitorch.autograd import gradcheck, gradgradcheck

rng = np.random.default_rng(0)
TOL = dict(rtol=1e-4, atol=1e-5)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def bool_mask(*shape, p=0.3):
    m = rng.random(shape) > p
    m[..., 0] = True  # every row can attend somewhere
    return m


# ---- scaled_dot_product_attention ---------------------------------------------------------
SDPA = [
    ((2, 3, 4, 8), (2, 3, 6, 8), (2, 3, 6, 5), dict()),
    ((2, 3, 4, 8), (2, 3, 6, 8), (2, 3, 6, 8), dict(is_causal=True)),
    ((2, 5, 8), (2, 5, 8), (2, 5, 8), dict(is_causal=True, scale=0.3)),
    ((1, 2, 4, 8), (1, 2, 6, 8), (1, 2, 6, 8), dict(attn_mask=bool_mask(4, 6))),
    (
        (1, 2, 4, 8),
        (1, 2, 6, 8),
        (1, 2, 6, 8),
        dict(attn_mask=bool_mask(1, 2, 4, 6), is_causal=True),
    ),
    ((2, 4, 8), (2, 6, 8), (2, 6, 8), dict(attn_mask=rand(2, 4, 6))),
]


@pytest.mark.parametrize("qs, ks, vs, kw", SDPA)
def test_sdpa_matches_torch(torch, qs, ks, vs, kw):
    def f(lib, q, k, v):
        args = dict(kw)
        if "attn_mask" in args:
            args["attn_mask"] = lib.tensor(args["attn_mask"])
        return lib.nn.functional.scaled_dot_product_attention(q, k, v, **args)

    compare_fn(torch, f, rand(*qs), rand(*ks), rand(*vs), grad=(0, 1, 2), tol=TOL)


def test_sdpa_broadcast_batch_dims_and_gqa_match_torch(torch):
    q = rand(2, 4, 3, 8)
    compare_fn(
        torch,
        lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v),
        q, rand(1, 4, 5, 8), rand(1, 4, 5, 8),
        grad=(0, 1, 2), tol=TOL,
    )  # fmt: skip
    compare_fn(
        torch,
        lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
            q, k, v, is_causal=True, enable_gqa=True
        ),
        q, rand(2, 2, 5, 8), rand(2, 2, 5, 8),
        grad=(0, 1, 2), tol=TOL,
    )  # fmt: skip


def test_sdpa_rows_with_very_different_score_ranges_match_torch(torch):
    """One row's scores are hundreds above the others': the block-shifted softmax would
    underflow the other rows, so the exact per-row path must take over."""
    q = rand(2, 4, 8)
    q[:, 0] *= 60.0
    compare_fn(
        torch,
        lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v),
        q, rand(2, 5, 8), rand(2, 5, 8),
        grad=(0, 1, 2), tol=dict(rtol=1e-4, atol=1e-4),
    )  # fmt: skip


def test_sdpa_learned_float_mask_gets_its_gradient(torch):
    compare_fn(
        torch,
        lambda lib, q, k, v, m: lib.nn.functional.scaled_dot_product_attention(q, k, v, m),
        rand(2, 4, 8), rand(2, 5, 8), rand(2, 5, 8), rand(4, 5),
        grad=(0, 1, 2, 3), tol=TOL,
    )  # fmt: skip


def test_sdpa_create_graph_first_order_equals_fast_path():
    q, k, v = (minitorch.tensor(rand(2, 4, 8), requires_grad=True) for _ in range(3))
    g = minitorch.tensor(rand(2, 4, 8))
    fast = minitorch.autograd.grad(
        F.scaled_dot_product_attention(q, k, v, is_causal=True), (q, k, v), g
    )
    slow = minitorch.autograd.grad(
        F.scaled_dot_product_attention(q, k, v, is_causal=True), (q, k, v), g, create_graph=True
    )
    for a, b in zip(fast, slow):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_sdpa_fully_masked_rows_give_zeros_like_torch(torch, kind):
    keep = bool_mask(4, 6)
    keep[1] = False
    mask = keep if kind == "bool" else np.where(keep, 0.0, -np.inf).astype(np.float32)
    out = compare_fn(
        torch,
        lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=lib.tensor(mask)
        ),
        rand(2, 4, 8),
        rand(2, 6, 8),
        rand(2, 6, 8),
        grad=(0, 1, 2),
        tol=TOL,
    )
    assert (out.detach().numpy()[:, 1] == 0).all()


def test_sdpa_dropout_zeroes_and_rescales_attention_weights():
    q, k = minitorch.randn(2, 16, 4), minitorch.randn(2, 32, 4)
    eye = minitorch.eye(32).expand(2, 32, 32)  # output = the (dropped) attention weights
    full = F.scaled_dot_product_attention(q, k, eye).numpy()
    dropped = F.scaled_dot_product_attention(q, k, eye, dropout_p=0.25).numpy()
    kept = dropped != 0
    np.testing.assert_allclose(dropped[kept], full[kept] / 0.75, rtol=1e-5)
    assert 0.65 < kept.mean() < 0.85


def test_sdpa_gradcheck_and_gradgradcheck():
    q, k, v = (
        minitorch.tensor(rng.standard_normal(s), requires_grad=True)
        for s in ((2, 3, 4), (2, 5, 4), (2, 5, 3))
    )
    keep = minitorch.tensor(bool_mask(3, 5))
    add = minitorch.tensor(rng.standard_normal((3, 5)))
    for kw in (dict(is_causal=True), dict(attn_mask=keep), dict(attn_mask=add, scale=0.5)):
        fn = lambda q, k, v, kw=kw: F.scaled_dot_product_attention(q, k, v, **kw)  # noqa: E731
        assert gradcheck(fn, (q, k, v))
        assert gradgradcheck(fn, (q, k, v))


def test_sdpa_errors():
    with pytest.raises(RuntimeError, match=r"batch2 tensor to be: \[2, 8\]"):
        F.scaled_dot_product_attention(
            minitorch.randn(2, 4, 8), minitorch.randn(2, 5, 7), minitorch.randn(2, 5, 8)
        )


# ---- MultiheadAttention -----------------------------------------------------------------
def _mha_compare(torch, make, q, k, v, weights=True, average=True, **masks):
    t_mod, m_mod = make(torch.nn), make(minitorch.nn)
    load_torch_state(m_mod, t_mod)
    assert [n for n, _ in m_mod.named_parameters()] == [n for n, _ in t_mod.named_parameters()]
    same_kv = k is v
    tq, tk = torch.tensor(q, requires_grad=True), torch.tensor(k, requires_grad=True)
    mq, mk = minitorch.tensor(q, requires_grad=True), minitorch.tensor(k, requires_grad=True)
    tv = tk if same_kv else torch.tensor(v, requires_grad=True)
    mv = mk if same_kv else minitorch.tensor(v, requires_grad=True)
    t_kw = {n: torch.tensor(a) for n, a in masks.items()}
    m_kw = {n: minitorch.tensor(a) for n, a in masks.items()}
    t_out, t_w = t_mod(tq, tk, tv, need_weights=weights, average_attn_weights=average, **t_kw)
    m_out, m_w = m_mod(mq, mk, mv, need_weights=weights, average_attn_weights=average, **m_kw)
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), **TOL)
    if weights:
        np.testing.assert_allclose(m_w.detach().numpy(), t_w.detach().numpy(), **TOL)
    else:
        assert m_w is None
    seed = rng.standard_normal(tuple(t_out.shape)).astype(np.float32)
    (t_out * torch.tensor(seed)).sum().backward()
    (m_out * minitorch.tensor(seed)).sum().backward()
    for m, t in [(mq, tq), (mk, tk), (mv, tv)]:
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), **TOL)
    t_params = dict(t_mod.named_parameters())
    for name, p in m_mod.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), t_params[name].grad.numpy(), **TOL, err_msg=name)


def test_mha_self_attention_batch_first_with_masks(torch):
    x = rand(2, 5, 8)
    _mha_compare(
        torch,
        lambda nn: nn.MultiheadAttention(8, 2, batch_first=True),
        x, x, x,
        key_padding_mask=np.array([[False] * 5, [False] * 3 + [True] * 2]),
        attn_mask=~bool_mask(5, 5),
    )  # fmt: skip


def test_mha_seq_first_float_mask_no_weights(torch):
    q, kv = rand(4, 3, 8), rand(6, 3, 8)
    _mha_compare(
        torch,
        lambda nn: nn.MultiheadAttention(8, 4, bias=False),
        q, kv, kv,
        weights=False,
        attn_mask=rand(3 * 4, 4, 6),
    )  # fmt: skip


def test_mha_kdim_vdim_per_head_weights_and_unbatched(torch):
    _mha_compare(
        torch,
        lambda nn: nn.MultiheadAttention(8, 2, kdim=5, vdim=3),
        rand(4, 2, 8), rand(6, 2, 5), rand(6, 2, 3),
        average=False,
    )  # fmt: skip
    x = rand(5, 8)
    _mha_compare(torch, lambda nn: nn.MultiheadAttention(8, 2), x, x, x)


def test_mha_repr_and_errors(torch):
    assert repr(minitorch.nn.MultiheadAttention(8, 2)) == repr(torch.nn.MultiheadAttention(8, 2))
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        minitorch.nn.MultiheadAttention(10, 3)
    m = minitorch.nn.MultiheadAttention(8, 2)
    x = minitorch.randn(3, 1, 8)
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        m(x, x, x, is_causal=True)


def test_mha_gradcheck_float64():
    m = minitorch.nn.MultiheadAttention(4, 2).double()
    x = minitorch.tensor(rng.standard_normal((3, 1, 4)), requires_grad=True)
    mask = minitorch.tensor(~bool_mask(3, 3))
    assert gradcheck(lambda x: m(x, x, x, attn_mask=mask)[0], (x,))


# ---- transformer encoder ----------------------------------------------------------------
def _encoder_layer(norm_first, activation):
    return lambda nn: nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.0, activation=activation, batch_first=True, norm_first=norm_first
    )


@pytest.mark.parametrize("norm_first, activation", [(False, "relu"), (True, "gelu")])
def test_encoder_layer_matches_torch(torch, norm_first, activation):
    compare_module(torch, _encoder_layer(norm_first, activation), rand(2, 5, 8), tol=TOL)


def test_encoder_with_masks_and_final_norm_matches_torch(torch):
    def make(nn):
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
        return nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False)

    t_mod, m_mod = make(torch.nn), make(minitorch.nn)
    load_torch_state(m_mod, t_mod)
    assert repr(m_mod) == repr(t_mod)
    x = rand(5, 2, 8)
    causal = np.triu(np.full((5, 5), -np.inf, np.float32), 1)
    pad = np.zeros((2, 5), np.float32)
    pad[1, 4] = -np.inf
    tx, mx = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    t_out = t_mod(tx, mask=torch.tensor(causal), src_key_padding_mask=torch.tensor(pad))
    m_out = m_mod(mx, mask=minitorch.tensor(causal), src_key_padding_mask=minitorch.tensor(pad))
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), **TOL)
    t_out.sum().backward()
    m_out.sum().backward()
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), **TOL)
    t_params = dict(t_mod.named_parameters())
    for name, p in m_mod.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), t_params[name].grad.numpy(), **TOL, err_msg=name)


def test_encoder_layer_dropout_is_active_only_in_training():
    layer = minitorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = minitorch.randn(4, 2, 8)
    a, b = layer(x), layer(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())


def test_sdpa_under_autocast_runs_in_float16_with_float32_gradients():
    q = minitorch.randn(2, 4, 8, requires_grad=True)
    with minitorch.autocast("cpu", dtype=minitorch.float16):
        out = F.scaled_dot_product_attention(q, q, q, is_causal=True)
    assert out.dtype == minitorch.float16
    out.float().sum().backward()
    assert q.grad.dtype == minitorch.float32 and np.isfinite(q.grad.numpy()).all()
    ref = F.scaled_dot_product_attention(q.detach(), q.detach(), q.detach(), is_causal=True)
    np.testing.assert_allclose(out.float().detach().numpy(), ref.numpy(), atol=1e-2)


def test_double_backward_with_one_tensor_in_two_places(torch):
    """create_graph through attention(q, 2q, q) and layer_norm(x, w=x[0], b=x[1]): each place
    of the tensor gets its own gradient (the total was counted twice before)."""
    rng = np.random.default_rng(0)
    q_values, weights = rng.standard_normal((3, 6, 6)), rng.standard_normal((3, 6, 6))

    def program(fw):
        q = fw.tensor(q_values, requires_grad=True)
        out = fw.nn.functional.scaled_dot_product_attention(q, q * 2, q, is_causal=True)
        (g,) = fw.autograd.grad((out * fw.tensor(weights)).sum(), q, create_graph=True)
        (gg,) = fw.autograd.grad((g**2).sum(), q)
        x = fw.tensor(q_values[0], requires_grad=True)
        y = fw.nn.functional.layer_norm(x, (6,), x[0], x[1])
        (h,) = fw.autograd.grad((y * fw.tensor(weights[0])).sum(), x, create_graph=True)
        return [g.detach(), gg, h.detach()]

    for e, a in zip(program(torch), program(minitorch)):
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-9, atol=1e-12)
