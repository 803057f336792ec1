"""Sweep 26 (attention): focused programs for the divergences the attention fuzzer
(tests/test_fuzz_attention.py) found, each failing before its fix."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _warned(fn) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return [out, [(w.category.__name__, str(w.message)[:40]) for w in caught]]


# ---- MultiheadAttention checks its masks' dtypes twice (forward, then the functional) ----------
@program
def mha_mismatched_mask_dtypes_warn_twice(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(4, 2).double()
    x = torch.randn(3, 2, 4, dtype=torch.float64)
    kpm = torch.tensor([[0.0, 0.0, float("-inf")], [0.0, 0.0, 0.0]])  # float32
    mask = torch.tensor([[False, True, False]] * 3)
    return _warned(lambda: m(x, x, x, key_padding_mask=kpm, attn_mask=mask)[0])


@program
def mha_bool_padding_float_mask_warns_once(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    kpm = torch.tensor([[False, False, True], [False, False, False]])
    mask = torch.zeros(3, 3)  # float32, the query's dtype: the converted masks agree
    return _warned(lambda: m(x, x, x, key_padding_mask=kpm, attn_mask=mask, need_weights=False)[0])


@program
def transformer_encoder_layer_mismatched_masks_warn_as_pytorch(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0).double()
    x = torch.randn(3, 2, 4, dtype=torch.float64)
    kpm = torch.tensor([[0.0, 0.0, float("-inf")], [0.0, 0.0, 0.0]])
    mask = torch.tensor([[False, True, False]] * 3)
    return _warned(lambda: layer(x, src_mask=mask, src_key_padding_mask=kpm))


# ---- scaled_dot_product_attention's checks in PyTorch's order ----------------------------------
@error(RuntimeError, r"^Expected query, key, and value to have the same dtype")
def sdpa_dtype_checked_before_key_size(torch):
    q, k, v = torch.randn(1, 2, 3, 4), torch.randn(1, 2, 5, 5).double(), torch.randn(1, 2, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@error(RuntimeError, r"^Expected query, key, and value to have the same dtype")
def sdpa_dtype_checked_before_rank(torch):
    q, k, v = torch.randn(4), torch.randn(1, 2, 5, 4).double(), torch.randn(1, 2, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@error(RuntimeError, r"^Expected attn_mask dtype to be bool or float")
def sdpa_mask_dtype_checked_before_key_size(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 3), torch.randn(2, 5, 4)
    mask = torch.ones(3, 5, dtype=torch.int64)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_causal_with_mask_checked_before_key_size(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 3), torch.randn(2, 5, 4)
    mask = torch.ones(3, 5, dtype=torch.bool)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, mask, is_causal=True)


@error(RuntimeError, r"^Number of heads in key and value must divide")
def sdpa_gqa_heads_checked_before_key_size(torch):
    q, k, v = torch.randn(1, 2, 3, 4), torch.randn(1, 3, 5, 5), torch.randn(1, 3, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, enable_gqa=True)


@error(RuntimeError, r"^dropout probability has to be between 0 and 1, but got 1.5")
def sdpa_dropout_checked_before_value_length(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 6, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=1.5)


@error(RuntimeError, r"^The size of tensor a \(5\) must match the size of tensor b \(4\)")
def sdpa_mask_broadcast_checked_before_value_length(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 6, 4)
    mask = torch.ones(3, 4, dtype=torch.bool)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor to be: \[2, 4\]")
def sdpa_key_size_checked_before_dropout(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 3), torch.randn(2, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=1.5)


# ---- scaled_dot_product_attention's empty inputs: zeros in the graph, no other check -----------
@program
def sdpa_empty_keys_and_values_give_zeros_in_the_graph(torch):
    q = torch.randn(2, 3, 8, requires_grad=True)
    k = torch.randn(3, 0, 7, requires_grad=True)  # key size and batch unchecked
    v = torch.randn(3, 0, 4, requires_grad=True)
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, torch.ones(5, 5), 0.0, True)
    out.sum().backward()
    return out, type(out.grad_fn).__name__, q.grad, k.grad, v.grad


@program
def sdpa_empty_queries_give_zeros(torch):
    q, k, v = torch.randn(2, 0, 8), torch.randn(2, 5, 9), torch.randn(2, 4, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor to be: \[4, 0\]")
def sdpa_empty_keys_with_values_checked(torch):
    q, k, v = torch.randn(2, 2, 3, 8), torch.randn(2, 2, 0, 8), torch.randn(2, 2, 1, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@program
def sdpa_zero_head_dim_attends_uniformly(torch):
    q, k, v = torch.randn(3, 0), torch.randn(2, 0), torch.randn(2, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


# ---- scaled_dot_product_attention: 2-D operands fail with mm's words ---------------------------
@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(6x4 and 5x5\)")
def sdpa_2d_key_of_another_size(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(5, 5), torch.randn(5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(3x5 and 6x4\)")
def sdpa_2d_value_of_another_length(torch):
    q, k, v = torch.randn(3, 4), torch.randn(5, 4), torch.randn(6, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


@error(RuntimeError, r"batch2 tensor to be: \[2, 4\] but got: \[2, 5\]")
def sdpa_key_size_error_counts_the_broadcast_batch(torch):
    q, k, v = torch.randn(3, 4), torch.randn(2, 5, 5), torch.randn(2, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


# ---- scaled_dot_product_attention: bfloat16 with a learned float32 bias ------------------------
@program(tol={"rtol": 5e-2, "atol": 5e-2})
def sdpa_bfloat16_learned_float32_bias(torch):
    q = torch.randn(2, 2, 3, 4, dtype=torch.bfloat16, requires_grad=True)
    k, v = (torch.randn(2, 2, 5, 4, dtype=torch.bfloat16, requires_grad=True) for _ in range(2))
    bias = torch.randn(2, 1, 3, 5, requires_grad=True)
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias)
    out.float().sum().backward()
    return out.float(), q.grad.float(), bias.grad


@program(tol={"rtol": 5e-2, "atol": 5e-2})
def sdpa_bfloat16_learned_bias_with_dropout(torch):
    torch.manual_seed(3)
    q, k, v = (torch.randn(2, 1, 4, 4, dtype=torch.bfloat16, requires_grad=True) for _ in range(3))
    bias = torch.randn(2, 1, 4, 4, dtype=torch.bfloat16, requires_grad=True)
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, bias, dropout_p=0.5)
    out.float().sum().backward()
    return out.float(), v.grad.float(), bias.grad.float()


# ---- MultiheadAttention adds two float32 masks in float32 (a float64 query) --------------------
@program
def mha_float32_masks_merged_in_float32(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(4, 2).double()
    x = torch.randn(3, 2, 4, dtype=torch.float64)
    mask = torch.randn(3, 3) * 0.7  # float32, as the padding mask
    kpm = torch.randn(2, 3) * 0.3
    return m(x, x, x, key_padding_mask=kpm, attn_mask=mask, need_weights=False)[0]


# ---- TransformerEncoderLayer's fused inference path reads a float mask as a bool one -----------
def _fused_layer(torch, src_mask=None, kpm=None, dtype=None):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=True).eval()
    if dtype is not None:
        layer.to(dtype)
    x = torch.randn(2, 3, 4, dtype=dtype)
    with torch.no_grad():
        return layer(x, src_mask=src_mask, src_key_padding_mask=kpm)


@program
def encoder_layer_fast_path_nonzero_float_padding_masks_out(torch):
    kpm = torch.tensor([[0.0, 0.5, 0.0], [0.0, 0.0, -2.0]])  # nonzero: padding
    return _fused_layer(torch, kpm=kpm)


@program
def encoder_layer_fast_path_nonzero_float_mask_masks_out(torch):
    mask = torch.tensor([[0.0, 0.3, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    return _fused_layer(torch, src_mask=mask)


@program
def encoder_layer_fast_path_float32_causal_mask_float64_layer(torch):
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3)  # float32
    return _fused_layer(torch, src_mask=mask, dtype=torch.float64)


@error(RuntimeError, r"^The size of tensor a \(2\) must match the size of tensor b \(3\)")
def sdpa_batch_broadcast_checked_before_key_size(torch):
    q, k, v = torch.randn(2, 3, 4), torch.randn(3, 5, 5), torch.randn(3, 5, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)


# ---- MultiheadAttention: keys of another batch size fail with PyTorch's view words ------------
@error(RuntimeError, r"^shape '\[4, 6, 4\]' is invalid for input of size 64")
def mha_key_of_another_batch_size(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(8, 2)
    q, kv = torch.randn(2, 3, 8), torch.randn(4, 2, 8)
    return m(q, kv, kv)


@error(RuntimeError, r"^shape '\[3, 1, 4\]' is invalid for input of size 24")
def decoder_layer_memory_of_another_batch_size(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerDecoderLayer(4, 1, 8, batch_first=True)
    return layer(torch.randn(1, 3, 4), torch.randn(2, 3, 4))


# ---- multi_head_attention_forward checks masks and the is_causal hint before the shapes --------
@program
def mha_mask_dtype_warnings_come_before_the_shape_error(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(4, 2, vdim=6)
    q, k, v = torch.randn(2, 1, 4), torch.randn(1, 1, 4), torch.randn(2, 1, 6)  # k, v lengths
    kpm, mask = torch.tensor([[False]]), torch.zeros(2, 1)

    def call():
        try:
            return m(q, k, v, key_padding_mask=kpm, attn_mask=mask)
        except AssertionError as e:
            return str(e).replace("minitorch", "torch")

    return _warned(call)


@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def mha_is_causal_without_mask_checked_before_the_shapes(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(12, 4, batch_first=True)
    q, k = torch.randn(1, 4, 12), torch.randn(1, 4, 13)
    return m(q, k, q, is_causal=True, need_weights=False)


# ---- TransformerEncoder's nested path: every position padded ------------------------------------
@error(RuntimeError, r"^to_padded_tensor: at least one constituent tensor should have non-zero")
def encoder_nested_path_all_positions_padded(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 4, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 1).eval()
    with torch.no_grad():
        return enc(torch.randn(2, 2, 4), src_key_padding_mask=torch.ones(2, 2, dtype=torch.bool))


# ---- the fused inference paths' error for inputs of another feature size -----------------------
def _wrong_width(torch, which, **kw):
    torch.manual_seed(0)
    x = torch.randn(3, 1, 9)
    layer = torch.nn.TransformerEncoderLayer(8, 2, 4, batch_first=True, **kw).eval()
    with torch.no_grad():
        if which == "mha":
            return torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()(x, x, x)
        if which == "layer":
            return layer(x)
        kpm = torch.tensor([[False]] * 3)
        return torch.nn.TransformerEncoder(layer, 1)(x, src_key_padding_mask=kpm)


@error(RuntimeError, r"^passed-in embed_dim 8 didn't match last dim of query 9")
def mha_fast_path_query_of_another_width(torch):
    return _wrong_width(torch, "mha")


@error(RuntimeError, r"^passed-in embed_dim 8 didn't match last dim of query 9")
def encoder_layer_fast_path_input_of_another_width(torch):
    return _wrong_width(torch, "layer")


@error(RuntimeError, r"^Given normalized_shape=\[8\], expected input with shape \[\*, 8\]")
def encoder_layer_fast_path_norm_first_input_of_another_width(torch):
    return _wrong_width(torch, "layer", norm_first=True)


@error(RuntimeError, r"^Shape mismatch for NestedTensor Matmul: Expected input's")
def encoder_nested_path_input_of_another_width(torch):
    return _wrong_width(torch, "encoder")


# ---- masks of a wrong shape on the fused inference paths: PyTorch's words ----------------------
@error(RuntimeError, r"^Mask size should match input size")
def encoder_nested_check_padding_mask_of_another_batch_size(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(6, 2, 8, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 1).eval()
    with torch.no_grad():  # (checked before the mask is seen: the nested path is not taken)
        return enc(
            torch.randn(2, 1, 6), mask=torch.zeros(1, 1), src_key_padding_mask=torch.zeros(1, 1)
        )


@error(RuntimeError, r"^Padding mask should be 2D")
def encoder_nested_check_padding_mask_of_another_rank(torch):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(6, 2, 8, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 1).eval()
    kpm = torch.zeros(2, 3, 1, dtype=torch.bool)
    return enc(torch.randn(2, 3, 6), src_key_padding_mask=kpm)


@error(RuntimeError, r"^shape '\[1, 1, 2, 2\]' is invalid for input of size 6")
def mha_fast_path_merges_masks_first(torch):
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(2, 2, batch_first=True).eval()
    x = torch.randn(3, 2, 2)
    kpm = torch.tensor([[False, True]] * 3)
    mask = torch.zeros(3, 2, dtype=torch.bool)
    with torch.no_grad():
        return m(x, x, x, key_padding_mask=kpm, attn_mask=mask)
