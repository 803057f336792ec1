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
