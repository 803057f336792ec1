"""Session 14 sweep of the transformer layers as PyTorch's test_transformers.py and
test_native_mha.py check them on CPU: F.scaled_dot_product_attention (masks, is_causal, scale,
enable_gqa, dropout, gradients, errors), nn.MultiheadAttention (masks, need_weights,
average_attn_weights, batch_first, eval vs train, its fast path's numbers), the encoder and
decoder layers and stacks (norm_first, activations, padding masks, is_causal, the nested
tensor flags and warnings) and nn.Transformer. Each program runs with PyTorch (the oracle)
and with minitorch from the same seed; values, gradients and error messages must agree."""

from __future__ import annotations

import importlib
import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

TOL = {"rtol": 1e-4, "atol": 1e-5}


def _warnings(fn):
    """(fn's result, the messages of the warnings it raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [str(w.message) for w in caught]


def _cos_weights(torch, module):
    """Sets every parameter of ``module`` to cos(0, 1, 2, ...) in its shape (deterministic)."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.cos(torch.arange(p.numel(), dtype=p.dtype)).view(p.shape))
    return module


def _bias(torch):
    """The framework's nn.attention.bias module (imported, as PyTorch needs it to be)."""
    return importlib.import_module(torch.__name__ + ".nn.attention.bias")


def _qkv(torch, *shapes, grad=False, dtype=None):
    return [torch.randn(*s, dtype=dtype or torch.float32, requires_grad=grad) for s in shapes]


# ---- F.scaled_dot_product_attention ----------------------------------------------------------
@program(tol=TOL)
def sdpa_3d_and_4d_inputs(torch):
    F = torch.nn.functional
    q3, k3, v3 = _qkv(torch, (5, 4, 6), (5, 3, 6), (5, 3, 6))
    q4, k4, v4 = _qkv(torch, (5, 2, 4, 6), (5, 2, 3, 6), (5, 2, 3, 6))
    return F.scaled_dot_product_attention(q3, k3, v3), F.scaled_dot_product_attention(q4, k4, v4)


@program(tol=TOL)
def sdpa_bool_masks_of_each_rank(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (5, 2, 4, 6), (5, 2, 3, 6), (5, 2, 3, 6))
    m2 = torch.randint(0, 2, (4, 3)).bool()
    m4 = torch.randint(0, 2, (5, 2, 4, 3)).bool()
    m3 = torch.randint(0, 2, (2, 4, 3)).bool()
    return [F.scaled_dot_product_attention(q, k, v, m) for m in (m2, m3, m4)]


@program(tol=TOL)
def sdpa_float_mask_is_added(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 4, 6), (2, 3, 6), (2, 3, 6))
    m = torch.randn(4, 3)
    ref = torch.softmax(q @ k.transpose(-2, -1) / 6**0.5 + m, -1) @ v
    return F.scaled_dot_product_attention(q, k, v, m), ref


@program(tol=TOL)
def sdpa_is_causal_matches_tril_bool_mask(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 3, 4, 8), (2, 3, 4, 8), (2, 3, 4, 8))
    tril = torch.ones(4, 4, dtype=torch.bool).tril()
    return F.scaled_dot_product_attention(q, k, v, is_causal=True), F.scaled_dot_product_attention(
        q, k, v, tril
    )


@program(tol=TOL)
def sdpa_is_causal_rectangular_is_top_left(torch):
    F = torch.nn.functional
    a = _qkv(torch, (1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4))
    b = _qkv(torch, (1, 2, 5, 4), (1, 2, 3, 4), (1, 2, 3, 4))
    return F.scaled_dot_product_attention(*a, is_causal=True), F.scaled_dot_product_attention(
        *b, is_causal=True
    )


@program(tol=TOL)
def sdpa_scale_argument(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4))
    return [F.scaled_dot_product_attention(q, k, v, scale=s) for s in (0.1, 1.0, 2.5)]


@program(tol=TOL)
def sdpa_value_head_dim_differs(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 7))
    return F.scaled_dot_product_attention(q, k, v)


@program(tol=TOL)
def sdpa_enable_gqa_repeats_kv_heads(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 6, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4))
    out = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    ref = F.scaled_dot_product_attention(q, k.repeat_interleave(3, 1), v.repeat_interleave(3, 1))
    return out, ref


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_mask_and_is_causal_3d(torch):
    q, k, v = _qkv(torch, (2, 3, 4), (2, 3, 4), (2, 3, 4))
    m = torch.ones(3, 3, dtype=torch.bool)
    torch.nn.functional.scaled_dot_product_attention(q, k, v, m, is_causal=True)


@error(RuntimeError, r"Expected query, key, and value to have the same dtype")
def sdpa_mixed_dtypes(torch):
    q = torch.randn(1, 4, 8, 16)
    k = torch.randn(1, 4, 8, 16, dtype=torch.float64)
    torch.nn.functional.scaled_dot_product_attention(q, k, k)


@error(RuntimeError, r"at least 2 dimensional")
def sdpa_one_dimensional_query(torch):
    k = torch.randn(1, 4)
    torch.nn.functional.scaled_dot_product_attention(torch.randn(4), k, k)


@error(RuntimeError, r"Expected attn_mask dtype to be bool or float or to match query dtype")
def sdpa_int_mask(torch):
    q = torch.randn(2, 3, 4)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, torch.ones(3, 3, dtype=torch.long))


@program(tol=TOL)
def sdpa_gradients_with_float_mask(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), grad=True)
    m = torch.randn(3, 5)
    out = F.scaled_dot_product_attention(q, k, v, m, scale=0.7)
    (out * torch.arange(4.0)).sum().backward()
    return out, q.grad, k.grad, v.grad


@program(tol=TOL)
def sdpa_gradients_causal_float64(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (3, 4, 5), (3, 4, 5), (3, 4, 5), grad=True, dtype=torch.float64)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    out.pow(2).sum().backward()
    return out, q.grad, k.grad, v.grad


@program
def sdpa_learned_mask_gets_gradient(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 3, 4), (2, 5, 4), (2, 5, 4))
    m = torch.zeros(3, 5, requires_grad=True)
    F.scaled_dot_product_attention(q, k, v, m).sum().backward()
    return m.grad.shape, bool(m.grad.abs().sum() > 0)


@program
def sdpa_dropout_one_gives_zeros(torch):
    q, k, v = _qkv(torch, (2, 3, 4), (2, 5, 4), (2, 5, 4))
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=1.0)


@program(tol=TOL)
def sdpa_fully_masked_row(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4))
    m = torch.ones(3, 3, dtype=torch.bool)
    m[1] = False
    return F.scaled_dot_product_attention(q, k, v, m)


@program(tol=TOL)
def sdpa_broadcast_batch_dims(torch):
    F = torch.nn.functional
    q, k, v = _qkv(torch, (3, 2, 4, 6), (1, 2, 5, 6), (1, 2, 5, 6))
    return F.scaled_dot_product_attention(q, k, v)


@program
def sdpa_float64_and_half_dtypes(torch):
    F = torch.nn.functional
    out = []
    for dt in (torch.float64, torch.bfloat16, torch.float16):
        q = torch.randn(2, 3, 4).to(dt)
        out.append(F.scaled_dot_product_attention(q, q, q).dtype)
    return out


# ---- nn.MultiheadAttention -------------------------------------------------------------------
@program(tol=TOL)
def mha_need_weights_average_and_per_head(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    x = torch.randn(4, 3, 8)
    out, w = mha(x, x, x)
    out2, w_heads = mha(x, x, x, average_attn_weights=False)
    out3, none = mha(x, x, x, need_weights=False)
    return out, w, out2, w_heads, out3, none


@program(tol=TOL)
def mha_batch_first_matches_sequence_first(torch):
    a = torch.nn.MultiheadAttention(8, 4)
    b = torch.nn.MultiheadAttention(8, 4, batch_first=True)
    b.load_state_dict(a.state_dict())
    q, kv = torch.randn(3, 5, 8), torch.randn(3, 6, 8)
    out_b, w_b = b(q, kv, kv)
    out_a, w_a = a(q.transpose(0, 1), kv.transpose(0, 1), kv.transpose(0, 1))
    return out_b, out_a.transpose(0, 1), w_b, w_a


@program(tol=TOL)
def mha_fastpath_eval_no_grad_masks(torch):
    torch.manual_seed(1)
    mha = torch.nn.MultiheadAttention(8, 4, batch_first=True)
    x = torch.randn(2, 4, 8)
    am = torch.randint(0, 2, (4, 4)).bool()
    am[:, 0] = False
    kpm = torch.zeros(2, 4, dtype=torch.bool)
    kpm[1, 3] = True
    res = []
    for masks in ({}, {"attn_mask": am}, {"key_padding_mask": kpm}):
        mha.train()
        slow = mha(x, x, x, need_weights=False, **masks)[0]
        mha.eval()
        with torch.no_grad():
            fast = mha(x, x, x, need_weights=False, **masks)[0]
        res += [slow, fast]
    return res


@program(tol=TOL)
def mha_float_masks_3d(torch):
    mha = torch.nn.MultiheadAttention(8, 2)
    q, kv = torch.randn(3, 2, 8), torch.randn(5, 2, 8)
    am = torch.randn(4, 3, 5)
    kpm = torch.zeros(2, 5)
    kpm[0, 4] = float("-inf")
    return mha(q, kv, kv, attn_mask=am, key_padding_mask=kpm)


@program
def mha_mismatched_mask_types_warns(torch):
    mha = torch.nn.MultiheadAttention(4, 1)
    x = torch.randn(2, 1, 4)
    kpm = torch.zeros(1, 2)
    am = torch.zeros(2, 2, dtype=torch.bool)
    _, msgs = _warnings(lambda: mha(x, x, x, key_padding_mask=kpm, attn_mask=am))
    return [m for m in msgs if "mismatched" in m]


@program(tol=TOL)
def mha_is_causal_with_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 1)
    with torch.no_grad():
        mha.in_proj_weight.fill_(1.0)
        mha.out_proj.weight.fill_(1.0)
    qkv = torch.ones(1, 2, 4)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(2)
    return mha(qkv, qkv, qkv, attn_mask=mask, need_weights=False, is_causal=True)[0]


@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def mha_is_causal_without_mask(torch):
    mha = torch.nn.MultiheadAttention(2, 1)
    x = torch.randn(1, 2, 2)
    mha(x, x, x, is_causal=True)


@error(AssertionError, r"only bool and floating types of key_padding_mask are supported")
def mha_uint8_key_padding_mask(torch):
    mha = torch.nn.MultiheadAttention(2, 1)
    x = torch.randn(3, 1, 2)
    mha(x, x, x, key_padding_mask=torch.zeros(1, 3, dtype=torch.uint8))


@error(AssertionError, r"only bool and floating types of attn_mask are supported")
def mha_long_attn_mask(torch):
    mha = torch.nn.MultiheadAttention(2, 1)
    x = torch.randn(3, 1, 2)
    mha(x, x, x, attn_mask=torch.zeros(3, 3, dtype=torch.long))


@error(RuntimeError, r"The shape of the 2D attn_mask is torch.Size\(\[3, 4\]\), but should be "
       r"\(3, 3\)\.")  # fmt: skip
def mha_bad_2d_mask_shape(torch):
    mha = torch.nn.MultiheadAttention(2, 1)
    x = torch.randn(3, 1, 2)
    mha(x, x, x, attn_mask=torch.zeros(3, 4))


@error(RuntimeError, r"The shape of the 3D attn_mask is torch.Size\(\[1, 3, 3\]\), but should "
       r"be \(2, 3, 3\)\.")  # fmt: skip
def mha_bad_3d_mask_shape(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 1, 4)
    mha(x, x, x, attn_mask=torch.zeros(1, 3, 3))


@program(tol=TOL)
def mha_unbatched_inputs(torch):
    mha = torch.nn.MultiheadAttention(6, 3, kdim=4, vdim=5)
    q, k, v = torch.randn(3, 6), torch.randn(2, 4), torch.randn(2, 5)
    return mha(q, k, v), mha(q, k, v, attn_mask=torch.randn(3, 3, 2), average_attn_weights=False)


@program(tol=TOL)
def mha_bias_kv_zero_attn_and_masks(torch):
    mha = torch.nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True)
    x = torch.randn(3, 2, 4)
    kpm = torch.tensor([[False, False, True], [False, False, False]])
    out, w = mha(x, x, x, key_padding_mask=kpm, attn_mask=torch.zeros(3, 3, dtype=torch.bool))
    return out, w


@program(tol=TOL)
def mha_bias_false_eval(torch):
    mha = torch.nn.MultiheadAttention(10, 1, bias=False, batch_first=True).eval()
    x = torch.rand(1, 5, 10)
    return mha(x, x, x), [n for n, _ in mha.named_parameters()]


@program(tol=TOL)
def mha_dropout_ignored_in_eval(torch):
    mha = torch.nn.MultiheadAttention(8, 2, dropout=0.9).eval()
    x = torch.randn(3, 2, 8)
    return mha(x, x, x), mha(x, x, x, need_weights=False)[0]


@program(tol=TOL)
def mha_gradients(torch):
    mha = torch.nn.MultiheadAttention(6, 2, batch_first=True)
    x = torch.randn(2, 3, 6, requires_grad=True)
    kpm = torch.tensor([[False, False, True], [False, False, False]])
    out, w = mha(x, x, x, key_padding_mask=kpm)
    (out.sum() + w.pow(2).sum()).backward()
    return x.grad, mha.in_proj_weight.grad, mha.out_proj.bias.grad


@program
def mha_fully_masked_row_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 1)
    x = torch.randn(2, 1, 4)
    kpm = torch.ones(1, 2, dtype=torch.bool)
    out, w = mha(x, x, x, key_padding_mask=kpm)
    return out.isnan().all().item(), w.isnan().all().item()


@program(tol=TOL)
def mha_separate_kdim_vdim_state_dict(torch):
    mha = torch.nn.MultiheadAttention(8, 2, kdim=3, vdim=5)
    q, k, v = torch.randn(2, 1, 8), torch.randn(4, 1, 3), torch.randn(4, 1, 5)
    return sorted(mha.state_dict()), mha(q, k, v)[0]


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def mha_indivisible_heads(torch):
    torch.nn.MultiheadAttention(10, 3)


@error(AssertionError, r"was expecting embedding dimension of 4, but got 5")
def mha_wrong_embed_dim(torch):
    mha = torch.nn.MultiheadAttention(4, 1)
    x = torch.randn(2, 1, 5)
    mha(x, x, x)


# ---- TransformerEncoderLayer / TransformerEncoder --------------------------------------------
def _encoder_input(torch, batch_first):
    x = torch.rand(5, 2, 4)
    return x.transpose(0, 1) if batch_first else x


@program(tol=TOL)
def encoder_cos_weights_train_and_eval(torch):
    res = []
    for batch_first in (False, True):
        layer = torch.nn.TransformerEncoderLayer(4, 2, 16, dropout=0.0, batch_first=batch_first)
        _cos_weights(torch, layer)
        model = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        x = _encoder_input(torch, batch_first)
        mask = torch.zeros(2, 5, dtype=torch.bool)
        mask[0, 1] = mask[1, 3] = mask[1, 4] = True
        res.append(model(x, src_key_padding_mask=mask))
        model.eval()
        with torch.no_grad():
            res.append(model(x, src_key_padding_mask=mask))
            res.append(model(x, mask=torch.zeros(5, 5, dtype=torch.bool)))
    return res


@program(tol=TOL)
def encoder_square_input_batch_equals_seq(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 16, dropout=0.0, batch_first=True)
    model = _cos_weights(torch, torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False))
    x = torch.arange(16.0).reshape(2, 2, 4)
    mask = torch.tensor([[0, 1], [0, 0]]).bool()
    out = [model(x, mask=mask)]
    model.eval()
    with torch.no_grad():
        out.append(model(x, mask=mask))
    return out


@program(tol=TOL)
def encoder_layer_norm_first_and_gelu(torch):
    res = []
    for norm_first in (False, True):
        for act in ("gelu", torch.nn.functional.gelu, torch.nn.GELU(), torch.nn.Tanh()):
            layer = torch.nn.TransformerEncoderLayer(
                6, 2, 12, dropout=0.0, activation=act, norm_first=norm_first
            )
            x = torch.randn(3, 2, 6)
            res.append(layer(x))
            layer.eval()
            with torch.no_grad():
                res.append(layer(x))
    return res


@program(tol=TOL)
def encoder_layer_is_causal_equals_mask(torch):
    layer = torch.nn.TransformerEncoderLayer(3, 1, 6, batch_first=True).eval()
    x = torch.randn(1, 5, 3)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5)
    return layer(x), layer(x, src_mask=mask, is_causal=True), layer(x, src_mask=mask)


@program(tol=TOL)
def encoder_layer_fastpath_odd_heads_hook(torch):
    layer = torch.nn.TransformerEncoderLayer(12, 3, 12, batch_first=True).eval()
    seen = []
    layer.self_attn.register_forward_hook(lambda m, i, o: seen.append(o[0].detach()))
    with torch.inference_mode():
        out = layer(torch.rand(2, 4, 12))
    return out, len(seen), seen[0]


@program(tol=TOL)
def encoder_layer_bias_false(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 4, bias=False, batch_first=True).eval()
    x = torch.randn(2, 3, 8)
    return layer(x), sorted(n for n, _ in layer.named_parameters())


@program
def encoder_nested_tensor_warnings(torch):
    res = []
    for kw in (
        {"bias": False, "batch_first": True},
        {"batch_first": False},
        {"batch_first": True, "norm_first": True},
        {"batch_first": True, "nhead": 1},
        {"batch_first": True, "activation": torch.nn.Tanh()},
        {"batch_first": True},
    ):
        kw = {"d_model": 4, "nhead": 2, **kw}
        layer = torch.nn.TransformerEncoderLayer(dim_feedforward=8, **kw)
        enc, msgs = _warnings(lambda layer=layer: torch.nn.TransformerEncoder(layer, 1))
        res.append((msgs, enc.use_nested_tensor, enc.enable_nested_tensor))
    return res


@program
def transformer_bias_false_warns(torch):
    t, msgs = _warnings(lambda: torch.nn.Transformer(8, 4, 1, 1, 16, bias=False))
    return msgs, t.encoder.use_nested_tensor


@program(tol=TOL)
def encoder_nested_padding_outputs_zero(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=True).eval()
    x = torch.randn(3, 4, 8)
    kpm = torch.tensor([[0, 0, 1, 1], [0, 0, 0, 0], [0, 1, 1, 1]]).bool()
    with torch.no_grad():
        out = enc(x, src_key_padding_mask=kpm)
    return out


@program(tol=TOL)
def encoder_padding_and_causal_bool_masks(torch):
    layer = torch.nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, torch.nn.LayerNorm(16))
    x = torch.randn(2, 3, 16)
    src_mask = torch.ones(3, 3, dtype=torch.bool).triu_(diagonal=1)
    pad = torch.arange(3)[None, :] >= torch.tensor([3, 2])[:, None]
    out, msgs = _warnings(lambda: enc(x, mask=src_mask, src_key_padding_mask=pad))
    out.sum().backward()
    return out, msgs, enc.layers[0].linear1.weight.grad


@program(tol=TOL)
def encoder_is_causal_detected_from_mask(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 1, 8, dropout=0.0, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    seen = []
    for lay in enc.layers:
        lay.register_forward_pre_hook(
            lambda m, a, kw: seen.append(kw.get("is_causal")), with_kwargs=True
        )
    x = torch.randn(1, 3, 4)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(3)
    out = [
        enc(x, mask=causal),
        enc(x, mask=torch.zeros(3, 3)),
        enc(x, mask=causal, is_causal=False),
    ]
    return out, seen


@program(tol=TOL)
def encoder_train_step_with_is_causal(torch):
    layer = torch.nn.TransformerEncoderLayer(
        2, 1, 4, dropout=0, activation="gelu", batch_first=True
    )
    enc = torch.nn.TransformerEncoder(layer, 2)
    opt = torch.optim.SGD(enc.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(1, 2, 2)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(2)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(enc(x, mask=mask, is_causal=True), x)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    return losses


@error(AssertionError, r"only bool and floating types of src_key_padding_mask are supported")
def encoder_uint8_padding_mask(torch):
    layer = torch.nn.TransformerEncoderLayer(2, 2, 4, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2)
    enc(torch.randn(1, 4, 2), src_key_padding_mask=torch.tensor([[1, 1, 0, 0]], dtype=torch.uint8))


@error(AssertionError, r"only bool and floating types of src_key_padding_mask are supported")
def encoder_long_padding_mask_eval(torch):
    layer = torch.nn.TransformerEncoderLayer(2, 2, 4, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2).eval()
    with torch.no_grad():
        enc(torch.randn(1, 4, 2), src_key_padding_mask=torch.tensor([[1, 1, 0, 0]]))


@error(RuntimeError, r"activation should be relu/gelu, not tanh")
def encoder_layer_bad_activation_string(torch):
    torch.nn.TransformerEncoderLayer(4, 2, activation="tanh")


@program(tol=TOL)
def encoder_unbatched_input(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    x = torch.randn(3, 4)
    out = [enc(x), enc(x, mask=torch.nn.Transformer.generate_square_subsequent_mask(3))]
    enc.eval()
    with torch.no_grad():
        out.append(enc(x, src_key_padding_mask=torch.tensor([False, False, True])))
    return out


# ---- decoder and Transformer -----------------------------------------------------------------
@program(tol=TOL)
def decoder_layer_cos_weights(torch):
    res = []
    for norm_first in (False, True):
        layer = torch.nn.TransformerDecoderLayer(4, 2, 16, dropout=0.0, norm_first=norm_first)
        _cos_weights(torch, layer)
        tgt, mem = torch.rand(3, 2, 4), torch.rand(5, 2, 4)
        tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
        mkpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
        res.append(layer(tgt, mem, tgt_mask=tgt_mask, memory_key_padding_mask=mkpm))
        res.append(layer(tgt, mem, memory_mask=torch.zeros(3, 5), tgt_is_causal=False))
    return res


@program(tol=TOL)
def decoder_stack_with_norm_and_padding(torch):
    layer = torch.nn.TransformerDecoderLayer(16, 2, 32, dropout=0.1, batch_first=True)
    dec = torch.nn.TransformerDecoder(layer, 2, torch.nn.LayerNorm(16)).eval()
    x, mem = torch.randn(2, 3, 16), torch.randn(2, 3, 16)
    tgt_mask = torch.ones(3, 3, dtype=torch.bool).triu_(diagonal=1)
    pad = torch.arange(3)[None, :] >= torch.tensor([3, 2])[:, None]
    out, msgs = _warnings(
        lambda: dec(
            x, mem, tgt_mask=tgt_mask, tgt_key_padding_mask=pad, memory_key_padding_mask=pad
        )
    )
    return out, msgs


@program(tol=TOL)
def transformer_forward_and_grads(torch):
    t = torch.nn.Transformer(8, 2, 2, 2, 16, dropout=0.0, batch_first=True)
    src, tgt = torch.randn(2, 5, 8), torch.randn(2, 3, 8)
    tgt_mask = t.generate_square_subsequent_mask(3)
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    out = t(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=kpm, memory_key_padding_mask=kpm)
    out.pow(2).mean().backward()
    return out, t.encoder.layers[0].self_attn.in_proj_weight.grad, t.decoder.norm.weight.grad


@program(tol=TOL)
def transformer_eval_no_grad_padding(torch):
    t = torch.nn.Transformer(8, 2, 2, 1, 16, batch_first=True).eval()
    src, tgt = torch.randn(2, 5, 8), torch.randn(2, 3, 8)
    kpm = torch.tensor([[False, False, False, True, True], [False] * 5])
    with torch.no_grad():
        return t(src, tgt, src_key_padding_mask=kpm, memory_key_padding_mask=kpm)


@error(RuntimeError, r"the batch number of src and tgt must be equal")
def transformer_batch_mismatch(torch):
    t = torch.nn.Transformer(4, 2, 1, 1, 8)
    t(torch.randn(3, 2, 4), torch.randn(3, 3, 4))


@error(RuntimeError, r"the feature number of src and tgt must be equal to d_model")
def transformer_feature_mismatch(torch):
    t = torch.nn.Transformer(4, 2, 1, 1, 8)
    t(torch.randn(3, 2, 4), torch.randn(3, 2, 5))


@program
def generate_square_subsequent_mask_variants(torch):
    T = torch.nn.Transformer
    return (
        T.generate_square_subsequent_mask(4),
        T.generate_square_subsequent_mask(3, dtype=torch.float64),
        T.generate_square_subsequent_mask(2, device="cpu").device,
        T.generate_square_subsequent_mask(0).shape,
        T.generate_square_subsequent_mask(1),
    )


@program
def transformer_module_structure(torch):
    t = torch.nn.Transformer(8, 2, 1, 1, 16)
    return (
        [(n, tuple(p.shape)) for n, p in t.named_parameters()],
        t.d_model,
        t.nhead,
        t.batch_first,
        type(t.encoder.layers[0].self_attn.out_proj).__name__,
    )


# ---- the inference fast path (eval, no grad): what it shows -----------------------------------
def _fully_masked_inputs(torch):
    x = torch.randn(2, 3, 4)
    kpm = torch.tensor([[True] * 3, [False, False, True]])
    am = torch.zeros(3, 3, dtype=torch.bool)
    am[1] = True
    return x, kpm, am


@program(tol=TOL)
def mha_fastpath_fully_masked_rows_are_nan(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    x, kpm, am = _fully_masked_inputs(torch)
    res = []
    for train in (True, False):
        mha.train(train)
        for grad in (True, False):
            with torch.set_grad_enabled(grad):
                for masks in ({"key_padding_mask": kpm}, {"attn_mask": am}):
                    res.append(mha(x, x, x, need_weights=False, **masks)[0])
                # a float mask never takes the fast path
                fam = torch.zeros(3, 3).masked_fill(am, float("-inf"))
                res.append(mha(x, x, x, need_weights=False, attn_mask=fam)[0])
    return res


@program(tol=TOL)
def mha_no_fastpath_cases_keep_zero_rows(torch):
    x, kpm, am = _fully_masked_inputs(torch)
    res = []
    for kw in ({}, {"num_heads": 1}, {"add_zero_attn": True}, {"bias": False}):
        kw = {"num_heads": 2, "batch_first": True, **kw}
        mha = torch.nn.MultiheadAttention(4, **kw).eval()
        with torch.no_grad():
            res.append(mha(x, x, x, key_padding_mask=kpm, need_weights=False)[0])
            res.append(mha(x, x.clone(), x, key_padding_mask=kpm, need_weights=False)[0])
    seq_first = torch.nn.MultiheadAttention(4, 2).eval()
    xt = x.transpose(0, 1)
    with torch.no_grad():
        res.append(seq_first(xt, xt, xt, key_padding_mask=kpm, need_weights=False)[0])
    return res


@program(tol=TOL)
def encoder_layer_fastpath_fully_masked_rows(torch):
    x, kpm, am = _fully_masked_inputs(torch)
    fkpm = torch.zeros(2, 3).masked_fill(kpm, float("-inf"))
    res = []
    for norm_first in (False, True):
        layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True, norm_first=norm_first)
        res.append(layer(x, src_key_padding_mask=kpm))  # training: no fast path
        layer.eval()
        with torch.no_grad():
            res += [layer(x, src_key_padding_mask=kpm), layer(x, src_key_padding_mask=fkpm)]
            res.append(layer(x, src_mask=am))
            for nested in (False, True):
                enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=nested).eval()
                res.append(enc(x, src_key_padding_mask=kpm))
        res.append(layer(x, src_key_padding_mask=kpm))  # grad enabled: no fast path
    return res


@program(tol=TOL)
def encoder_layer_hook_disables_fastpath(torch):
    x, kpm, _ = _fully_masked_inputs(torch)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True).eval()
    layer.linear1.register_forward_hook(lambda m, i, o: None)
    with torch.no_grad():
        return layer(x, src_key_padding_mask=kpm)


@program(tol=TOL)
def fastpath_disabled_by_backends_mha(torch):
    x, kpm, _ = _fully_masked_inputs(torch)
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).eval()
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True).eval()
    enc = torch.nn.TransformerEncoder(layer, 2).eval()
    kpm2 = torch.tensor([[False, False, True], [False, True, True]])
    res = [torch.backends.mha.get_fastpath_enabled()]
    with torch.no_grad():
        for enabled in (False, True):
            torch.backends.mha.set_fastpath_enabled(enabled)
            try:
                res.append(torch.backends.mha.get_fastpath_enabled())
                res.append(mha(x, x, x, key_padding_mask=kpm, need_weights=False)[0])
                res.append(layer(x, src_key_padding_mask=kpm))
                res.append(enc(x, src_key_padding_mask=kpm2))
            finally:
                torch.backends.mha.set_fastpath_enabled(True)
    return res


# ---- nn.attention.bias: causal biases as attn_mask --------------------------------------------
@program
def causal_bias_objects(torch):
    bias = _bias(torch)
    up, low = bias.causal_upper_left(3, 4), bias.causal_lower_right(3, 4)
    return [
        (isinstance(b, torch.Tensor), b.variant, int(b.variant), b.seq_len_q, b.seq_len_kv,
         tuple(b.shape), repr(b), b._materialize())
        for b in (up, low)
    ] + [[v.name for v in bias.CausalVariant], bias.__all__]  # fmt: skip


@program
def causal_lower_right_warns_when_query_longer(torch):
    return _warnings(lambda: _bias(torch).causal_lower_right(5, 3)._materialize())


@error(AssertionError, r"causal_upper_left only supports 2D tensors")
def causal_upper_left_one_size(torch):
    _bias(torch).causal_upper_left(3)


@error(AssertionError, r"variant must be a CausalVariant, got int")
def causal_bias_int_variant(torch):
    _bias(torch).CausalBias(1, 2, 3)


@program(tol=TOL)
def sdpa_with_causal_biases(torch):
    upper_left, lower_right = _bias(torch).causal_upper_left, _bias(torch).causal_lower_right
    F = torch.nn.functional
    q, k, v = _qkv(torch, (2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), grad=True)
    res = []
    for bias in (upper_left(3, 5), lower_right(3, 5), lower_right(3, 3)):
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=0.5)
        q.grad = k.grad = v.grad = None
        out.pow(2).sum().backward()
        res += [out, q.grad, k.grad, v.grad]
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=lower_right(3, 5)._materialize())
    return res + [ref, F.scaled_dot_product_attention(q, k, v, is_causal=True)]


@error(ValueError, r"CausalBias should not be used with causal=True")
def sdpa_causal_bias_and_is_causal(torch):
    bias = _bias(torch).causal_upper_left(4, 4)
    q = torch.randn(1, 2, 4, 8)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=bias, is_causal=True)


# ---- is_causal on the fast path, merge_masks, _reset_parameters ------------------------------
@program(tol=TOL)
def fastpath_ignores_is_causal(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).eval()
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True).eval()
    x = torch.randn(2, 3, 4)
    am = torch.zeros(3, 3, dtype=torch.bool)
    am[0, 1] = True  # not the causal mask: the fast path uses it as it is
    with torch.no_grad():
        return (
            mha(x, x, x, is_causal=True),
            mha(x, x, x, is_causal=True, need_weights=False),
            mha(x, x, x, attn_mask=am, is_causal=True, need_weights=False),
            layer(x, is_causal=True),
            layer(x, src_mask=am, is_causal=True),
        )


@program(tol=TOL)
def slowpath_is_causal_with_non_causal_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True, dropout=0.0)
    x = torch.randn(2, 3, 4)
    am = torch.zeros(3, 3, dtype=torch.bool)
    am[0, 1] = True
    return (
        mha(x, x, x, attn_mask=am, is_causal=True, need_weights=False),
        mha(x, x, x, attn_mask=am, is_causal=True),
        layer(x, src_mask=am, is_causal=True),
    )


@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def encoder_layer_is_causal_without_mask_training(torch):
    torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True)(
        torch.randn(3, 2, 4), is_causal=True
    )


@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def decoder_memory_is_causal_without_mask(torch):
    layer = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0)
    layer(torch.randn(3, 2, 4), torch.randn(3, 2, 4), memory_is_causal=True)


@program
def mha_merge_masks(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    x = torch.randn(2, 3, 4)
    am, kpm = torch.randn(3, 3), torch.zeros(2, 3)
    kpm[0, 2] = float("-inf")
    return (
        mha.merge_masks(am, kpm, x),
        mha.merge_masks(None, kpm, x),
        mha.merge_masks(am, None, x),
        mha.merge_masks(torch.randn(4, 3, 3), None, x),
        mha.merge_masks(None, None, x),
    )


@program
def transformer_reset_parameters(torch):
    t = torch.nn.Transformer(4, 2, 1, 1, 8)
    with torch.no_grad():
        for p in t.parameters():
            p.fill_(0.5)
    t._reset_parameters()
    return [p for p in t.parameters()]


@program(tol=TOL)
def encoder_layer_fastpath_skips_overridden_sa_block(torch):
    class Layer(torch.nn.TransformerEncoderLayer):
        def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
            return torch.zeros_like(x)

    layer = Layer(4, 2, 8, dropout=0.0, batch_first=True)
    x = torch.randn(2, 3, 4)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
    res = [layer(x), layer(x, src_mask=mask)]
    layer.eval()
    with torch.no_grad():
        res += [layer(x), layer(x, src_mask=mask)]
    return res


# ---- F.scaled_dot_product_attention's shape errors, in PyTorch's words ------------------------
def _sdpa(torch, *shapes, mask=None, **kw):
    q, k, v = (torch.randn(*s) for s in shapes)
    mask = None if mask is None else torch.randn(*mask)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, mask, **kw)


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor to be: \[2, 5\] "
       r"but got: \[2, 6\]\.")  # fmt: skip
def sdpa_key_value_lengths_differ(torch):
    _sdpa(torch, (2, 4, 8), (2, 5, 8), (2, 6, 8))


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor to be: \[6, 8\] "
       r"but got: \[6, 7\]\.")  # fmt: skip
def sdpa_query_key_head_dims_differ(torch):
    _sdpa(torch, (2, 3, 4, 8), (2, 3, 5, 7), (2, 3, 5, 7))


@error(RuntimeError, r"The size of tensor a \(5\) must match the size of tensor b \(4\) at "
       r"non-singleton dimension 3")  # fmt: skip
def sdpa_mask_last_dim_wrong(torch):
    _sdpa(torch, (2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8), mask=(4, 4))


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(2\) at "
       r"non-singleton dimension 1")  # fmt: skip
def sdpa_mask_heads_wrong(torch):
    _sdpa(torch, (2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8), mask=(2, 2, 4, 5))


@error(RuntimeError, r"The size of tensor a \(6\) must match the size of tensor b \(2\) at "
       r"non-singleton dimension 1")  # fmt: skip
def sdpa_fewer_kv_heads_without_gqa(torch):
    _sdpa(torch, (2, 6, 4, 8), (2, 2, 5, 8), (2, 2, 5, 8))


@error(RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\) at "
       r"non-singleton dimension 0")  # fmt: skip
def sdpa_batch_sizes_differ(torch):
    _sdpa(torch, (2, 4, 8), (3, 5, 8), (3, 5, 8))


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
       r"non-singleton dimension 1")  # fmt: skip
def sdpa_value_heads_differ(torch):
    _sdpa(torch, (2, 3, 4, 8), (2, 3, 5, 8), (2, 4, 5, 8))


@error(RuntimeError, r"Number of heads in key and value must divide the number of heads in")
def sdpa_gqa_heads_do_not_divide(torch):
    _sdpa(torch, (2, 6, 4, 8), (2, 4, 5, 8), (2, 4, 5, 8), enable_gqa=True)


@error(RuntimeError, r"Number of heads in key and value must divide the number of heads in")
def sdpa_gqa_value_heads_do_not_divide(torch):
    _sdpa(torch, (2, 6, 4, 8), (2, 6, 5, 8), (2, 4, 5, 8), enable_gqa=True)


@program(tol=TOL)
def sdpa_gqa_key_and_value_heads_differ(torch):
    return _sdpa(torch, (2, 6, 4, 8), (2, 2, 5, 8), (2, 3, 5, 8), enable_gqa=True), _sdpa(
        torch, (6, 4, 8), (3, 5, 8), (3, 5, 8), enable_gqa=True
    )


# ---- more masks and gradients -----------------------------------------------------------------
@program(tol=TOL)
def mha_unbatched_padding_mask_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 4)
    kpm = torch.tensor([False, True, False])
    return mha(x, x, x, key_padding_mask=kpm), mha(x, x, x, key_padding_mask=kpm,
                                                   average_attn_weights=False)[1]  # fmt: skip


@program(tol=TOL)
def mha_learned_float_masks_get_gradients(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    am = torch.zeros(3, 3, requires_grad=True)
    kpm = torch.zeros(2, 3, requires_grad=True)
    grads = []
    for need_weights in (False, True):
        am.grad = kpm.grad = None
        out = mha(x, x, x, attn_mask=am, key_padding_mask=kpm, need_weights=need_weights)[0]
        out.pow(2).sum().backward()
        grads += [am.grad, kpm.grad]
    return grads


@program(tol=TOL)
def sdpa_broadcast_mask_gradient(torch):
    q = torch.randn(2, 3, 4, 8, requires_grad=True)
    m = torch.zeros(1, 3, 1, 4, requires_grad=True)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, m).pow(2).sum().backward()
    return m.grad, q.grad


@program(tol=TOL)
def sdpa_fully_masked_row_gradients(torch):
    F = torch.nn.functional
    res = []
    for shape in ((2, 3, 4), (1, 2, 3, 4)):
        q = torch.randn(*shape, requires_grad=True)
        bool_mask = torch.ones(3, 3, dtype=torch.bool)
        bool_mask[1] = False
        float_mask = torch.zeros(3, 3).masked_fill(~bool_mask, float("-inf"))
        for m in (bool_mask, float_mask):
            q.grad = None
            out = F.scaled_dot_product_attention(q, q, q, m)
            out.sum().backward()
            res += [out, q.grad]
    return res


@error(AssertionError, r"expecting static_k.size\(0\) of 4, but got 3")
def mha_forward_wrong_static_k(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    torch.nn.functional.multi_head_attention_forward(
        x, x, x, 4, 2, mha.in_proj_weight, mha.in_proj_bias, None, None, False, 0.0,
        mha.out_proj.weight, mha.out_proj.bias, static_k=torch.randn(3, 3, 2),
    )  # fmt: skip


@error(AssertionError, r"bias cannot be added to static key")
def mha_forward_bias_k_with_static_k(torch):
    mha = torch.nn.MultiheadAttention(4, 2, add_bias_kv=True)
    x = torch.randn(3, 2, 4)
    torch.nn.functional.multi_head_attention_forward(
        x, x, x, 4, 2, mha.in_proj_weight, mha.in_proj_bias, mha.bias_k, mha.bias_v, False,
        0.0, mha.out_proj.weight, mha.out_proj.bias, static_k=torch.randn(4, 3, 2),
    )  # fmt: skip


@program(tol=TOL)
def transformer_causal_masks_detected_or_hinted(torch):
    t = torch.nn.Transformer(4, 2, 1, 1, 8, dropout=0.0)
    m = t.generate_square_subsequent_mask(3)
    src = torch.randn(3, 2, 4)
    hinted = t(src, src, src_mask=m, tgt_mask=m, src_is_causal=True, tgt_is_causal=True)
    return t(src, src, src_mask=m, tgt_mask=m), hinted


@error(RuntimeError, r"The shape of the 2D attn_mask is torch.Size\(\[4, 4\]\), but should be "
       r"\(3, 3\)\.")  # fmt: skip
def transformer_wrong_tgt_mask_size(torch):
    t = torch.nn.Transformer(4, 2, 1, 1, 8, dropout=0.0)
    src = torch.randn(3, 2, 4)
    t(src, src, tgt_mask=t.generate_square_subsequent_mask(4))


@program
def generate_square_subsequent_mask_dtypes(torch):
    T = torch.nn.Transformer
    masks = [T.generate_square_subsequent_mask(3, dtype=d) for d in (torch.bfloat16, torch.half)]
    return [(m.dtype, m.float()) for m in masks]


# ---- mask dtypes and the dropout bound --------------------------------------------------------
@program
def sdpa_float32_mask_with_other_query_dtypes(torch):
    F = torch.nn.functional
    res = []
    for dt in (torch.float64, torch.bfloat16, torch.float16):
        for shape in ((2, 3, 4), (1, 2, 3, 4)):
            q = torch.randn(*shape).to(dt)
            out = F.scaled_dot_product_attention(q, q, q, torch.randn(3, 3))
            res.append((out.dtype, out.float()))
    return res


@program(tol=TOL)
def sdpa_float32_learned_mask_float64_query(torch):
    q = torch.randn(2, 3, 4, dtype=torch.float64)
    m = torch.zeros(3, 3, requires_grad=True)
    out = torch.nn.functional.scaled_dot_product_attention(q, q, q, m)
    out.pow(2).sum().backward()
    return out, m.grad


@error(RuntimeError, r"Expected attn_mask dtype to be bool or float or to match query dtype")
def sdpa_half_mask_bfloat16_query(torch):
    q = torch.randn(2, 3, 4).bfloat16()
    torch.nn.functional.scaled_dot_product_attention(q, q, q, torch.zeros(3, 3).half())


@error(RuntimeError, r"Expected attn_mask dtype to be bool or float or to match query dtype")
def sdpa_half_mask_float64_query(torch):
    q = torch.randn(2, 3, 4).double()
    torch.nn.functional.scaled_dot_product_attention(q, q, q, torch.zeros(3, 3).half())


@program(tol=TOL)
def mha_float32_masks_with_float64_module(torch):
    mha = torch.nn.MultiheadAttention(4, 2).double()
    x = torch.randn(3, 2, 4).double()
    return (
        mha(x, x, x, attn_mask=torch.zeros(3, 3), need_weights=False)[0],
        mha(x, x, x, key_padding_mask=torch.zeros(2, 3), need_weights=False)[0],
    )


@error(RuntimeError, r"Input dtypes must be the same")
def mha_float32_mask_float64_module_need_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2).double()
    x = torch.randn(3, 2, 4).double()
    mha(x, x, x, attn_mask=torch.zeros(3, 3))


@error(RuntimeError, r"output with shape \[2, 3, 3\] doesn't match the broadcast shape "
       r"\[2, 2, 3, 3\]")  # fmt: skip
def sdpa_mask_with_more_dims_than_scores(torch):
    q = torch.randn(2, 3, 4)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, torch.zeros(2, 2, 3, 3))


@error(RuntimeError, r"output with shape \[1, 2, 3, 3\] doesn't match the broadcast shape "
       r"\[2, 2, 3, 3\]")  # fmt: skip
def sdpa_mask_with_larger_batch_than_scores(torch):
    q = torch.randn(1, 2, 3, 4)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, torch.zeros(2, 2, 3, 3))


@error(RuntimeError, r"dropout probability has to be between 0 and 1, but got 1.5")
def sdpa_dropout_above_one(torch):
    q = torch.randn(2, 3, 4)
    torch.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=1.5)


@program
def sdpa_negative_dropout_is_no_dropout(torch):
    q = torch.randn(2, 3, 4)
    F = torch.nn.functional
    return F.scaled_dot_product_attention(q, q, q, dropout_p=-0.1), F.scaled_dot_product_attention(
        q, q, q
    )


@program(tol={"rtol": 3e-2, "atol": 3e-2})
def encoder_layer_fastpath_under_cpu_autocast(torch):
    res = []
    x = torch.randn(2, 5, 16)
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    for norm_first in (False, True):
        layer = torch.nn.TransformerEncoderLayer(16, 2, 32, batch_first=True, norm_first=norm_first)
        stack = torch.nn.TransformerEncoder(
            layer, 2, torch.nn.LayerNorm(16), enable_nested_tensor=False
        ).eval()
        for grad in (True, False):  # grad mode: the slow path, float32
            layer.eval()
            with torch.set_grad_enabled(grad), torch.autocast("cpu"):
                outs = [layer(x), layer(x, src_key_padding_mask=kpm), stack(x)]
            res += [(o.dtype, o.float()) for o in outs]
    return res


@program(tol=TOL)
def mha_all_options_gradients(torch):
    mha = torch.nn.MultiheadAttention(
        6, 3, add_bias_kv=True, add_zero_attn=True, kdim=4, vdim=5, batch_first=True
    )
    q, k, v = _qkv(torch, (2, 3, 6), (2, 4, 4), (2, 4, 5), grad=True)
    kpm = torch.tensor([[False, False, True, False], [False] * 4])
    am = torch.zeros(3, 4, dtype=torch.bool)
    out, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)
    (out.pow(2).sum() + w.pow(2).sum()).backward()
    return [out, w, q.grad, k.grad, v.grad] + [p.grad for p in mha.parameters()]


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_gqa_indivisible_heads_mask_and_causal(torch):
    # not the flash kernel (its heads do not divide): the math kernel's check comes first
    q, k = torch.randn(2, 1, 1, 2), torch.randn(2, 2, 5, 2)
    torch.nn.functional.scaled_dot_product_attention(
        q, k, k, torch.zeros(1, 1), is_causal=True, enable_gqa=True
    )
