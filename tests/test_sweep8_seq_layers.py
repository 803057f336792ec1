"""Session 7 compatibility sweep of the recurrent and attention/transformer layers: short
programs written the way PyTorch users write them, each run with real PyTorch (the oracle)
and with minitorch from the same seed (the CPU random stream is PyTorch's, so layers get the
same initial weights). Outputs, gradients, shapes, dtypes and error messages must agree."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program = SWEEP.test()


def _param_grads(module):
    return [p.grad for p in module.parameters()]


# ---- recurrent layers ---------------------------------------------------------------------
@program
def lstm_proj_size_bidirectional_two_layers(torch):
    lstm = torch.nn.LSTM(3, 5, num_layers=2, proj_size=2, bidirectional=True, batch_first=True)
    x = torch.randn(2, 4, 3, requires_grad=True)
    h0 = torch.randn(4, 2, 2, requires_grad=True)
    c0 = torch.randn(4, 2, 5, requires_grad=True)
    out, (h, c) = lstm(x, (h0, c0))
    (out.pow(2).sum() + h.sum() + c.sin().sum()).backward()
    names = [n for n, _ in lstm.named_parameters()]
    return out, h, c, x.grad, h0.grad, c0.grad, _param_grads(lstm), names, repr(lstm)


@program
def lstm_proj_size_unbatched(torch):
    lstm = torch.nn.LSTM(3, 4, proj_size=2)
    x = torch.randn(5, 3)
    out, (h, c) = lstm(x)
    out2, (h2, c2) = lstm(x, (torch.zeros(1, 2), torch.zeros(1, 4)))
    return out, h, c, out2, h2, c2


@error(RuntimeError, r"Expected hidden\[0\] size \(1, 2, 2\), got \[1, 2, 4\]")
def lstm_proj_size_wrong_h0(torch):
    lstm = torch.nn.LSTM(3, 4, proj_size=2)
    return lstm(torch.randn(5, 2, 3), (torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)))


@program
def rnn_relu_no_bias_three_layers_grads(torch):
    rnn = torch.nn.RNN(4, 3, num_layers=3, nonlinearity="relu", bias=False)
    x = torch.randn(6, 2, 4, requires_grad=True)
    out, h = rnn(x)
    (out.sum() + h.sum()).backward()
    return out, h, x.grad, _param_grads(rnn), [n for n, _ in rnn.named_parameters()]


@program
def gru_double_batch_first_h0_grad(torch):
    gru = torch.nn.GRU(3, 4, batch_first=True, dtype=torch.float64)
    x = torch.randn(3, 5, 3, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, 3, 4, dtype=torch.float64, requires_grad=True)
    out, h = gru(x, h0)
    out.mean().backward()
    return out, h, x.grad, h0.grad, gru.bias_hh_l0.grad


@program
def gru_unbatched_bidirectional(torch):
    gru = torch.nn.GRU(2, 3, bidirectional=True, num_layers=2)
    x = torch.randn(4, 2, requires_grad=True)
    h0 = torch.randn(4, 3)
    out, h = gru(x, h0)
    out.sum().backward()
    return out, h, x.grad


@program
def lstm_seq_len_one_and_batch_one(torch):
    lstm = torch.nn.LSTM(2, 3, batch_first=True)
    x = torch.randn(1, 1, 2)
    out, (h, c) = lstm(x)
    return out, h, c


@program
def lstm_noncontiguous_input(torch):
    lstm = torch.nn.LSTM(3, 2)
    x = torch.randn(3, 4, 5).transpose(0, 2)[:, :, :3]  # (5, 4, 3) non-contiguous
    x.requires_grad_()
    out, (h, c) = lstm(x)
    out.sum().backward()
    return out, h, c, x.grad


@program
def lstm_weights_flatten_and_all_weights(torch):
    lstm = torch.nn.LSTM(2, 3, num_layers=2, bidirectional=True)
    lstm.flatten_parameters()
    shapes = [[tuple(w.shape) for w in ws] for ws in lstm.all_weights]
    return shapes, [n for n in lstm._flat_weights_names], lstm.weight_ih_l1_reverse


@program
def lstm_train_dropout_three_layers_bidirectional(torch):
    lstm = torch.nn.LSTM(3, 4, num_layers=3, dropout=0.3, bidirectional=True)
    x = torch.randn(4, 2, 3, requires_grad=True)
    out, (h, c) = lstm(x)
    out.sum().backward()
    return out, h, c, x.grad


@program
def gru_train_dropout_batch_first(torch):
    gru = torch.nn.GRU(3, 4, num_layers=2, dropout=0.5, batch_first=True)
    x = torch.randn(2, 5, 3)
    out, h = gru(x)
    gru.eval()
    out2, h2 = gru(x)
    return out, h, out2, h2


@program
def rnn_tanh_h0_given_grad_only_h0(torch):
    rnn = torch.nn.RNN(2, 3, num_layers=2)
    x = torch.randn(4, 2, 2)
    h0 = torch.randn(2, 2, 3, requires_grad=True)
    out, h = rnn(x, h0)
    h.sum().backward()
    return out, h, h0.grad


@program
def lstm_float64_module_double(torch):
    lstm = torch.nn.LSTM(2, 3).double()
    x = torch.randn(3, 1, 2, dtype=torch.float64, requires_grad=True)
    out, (h, c) = lstm(x)
    out.sum().backward()
    return out, h, c, x.grad, lstm.weight_hh_l0.dtype


@error(ValueError, r"input dtype")
def lstm_dtype_mismatch(torch):
    lstm = torch.nn.LSTM(2, 3)
    return lstm(torch.randn(3, 1, 2, dtype=torch.float64))


@error(ValueError, r"Expected input to be 2D or 3D, got 4D")
def gru_4d_input(torch):
    return torch.nn.GRU(2, 3)(torch.randn(1, 3, 1, 2))


@error(RuntimeError, r"Expected hidden size \(2, 3, 4\), got \[1, 3, 4\]")
def gru_bidirectional_wrong_h0(torch):
    return torch.nn.GRU(2, 4, bidirectional=True)(torch.randn(5, 3, 2), torch.zeros(1, 3, 4))


@error(ValueError, r"proj_size has to be smaller than hidden_size")
def lstm_proj_too_big(torch):
    return torch.nn.LSTM(2, 3, proj_size=3)


@error(ValueError, r"proj_size argument is only supported for LSTM, not RNN or GRU")
def gru_proj_size(torch):
    return torch.nn.GRU(2, 3, proj_size=1)


@error(ValueError, r"Unknown nonlinearity 'sigmoid'")
def rnn_bad_nonlinearity(torch):
    return torch.nn.RNN(2, 3, nonlinearity="sigmoid")


@program
def rnn_state_dict_keys_and_repr(torch):
    out = []
    for m in (
        torch.nn.RNN(2, 3, 2, nonlinearity="relu", bias=False, batch_first=True, dropout=0.1),
        torch.nn.LSTM(2, 4, proj_size=1, bidirectional=True),
        torch.nn.GRU(2, 3, 1, False),
    ):
        out += [list(m.state_dict()), repr(m)]
    return out


# ---- cells --------------------------------------------------------------------------------
@program
def cells_unbatched_with_state_and_grads(torch):
    x = torch.randn(4, requires_grad=True)
    h = torch.randn(3, requires_grad=True)
    c = torch.randn(3, requires_grad=True)
    rnn = torch.nn.RNNCell(4, 3, nonlinearity="relu")
    gru = torch.nn.GRUCell(4, 3, bias=False)
    lstm = torch.nn.LSTMCell(4, 3)
    a = rnn(x, h)
    b = gru(x, h)
    hc, cc = lstm(x, (h, c))
    (a.sum() + b.sum() + hc.sum() + cc.sum()).backward()
    return a, b, hc, cc, x.grad, h.grad, c.grad, _param_grads(gru)


@program
def lstm_cell_loop_sequence(torch):
    cell = torch.nn.LSTMCell(3, 5)
    xs = torch.randn(6, 2, 3)
    h, c = torch.zeros(2, 5), torch.zeros(2, 5)
    outs = []
    for t in range(xs.size(0)):
        h, c = cell(xs[t], (h, c))
        outs.append(h)
    y = torch.stack(outs)
    y.sum().backward()
    return y, cell.weight_ih.grad, cell.bias_hh.grad


@error(RuntimeError, r"input has inconsistent input_size: got 3 expected 4")
def rnn_cell_bad_input(torch):
    return torch.nn.RNNCell(4, 2)(torch.randn(2, 3))


@error(RuntimeError, r"hidden0 has inconsistent hidden_size: got 3, expected 2")
def gru_cell_bad_hidden(torch):
    return torch.nn.GRUCell(4, 2)(torch.randn(2, 4), torch.randn(2, 3))


@error(ValueError, r"Expected input to be 1D or 2D, got 3D")
def lstm_cell_3d_input(torch):
    return torch.nn.LSTMCell(4, 2)(torch.randn(1, 2, 4))


@program
def cell_reprs(torch):
    return [
        repr(torch.nn.RNNCell(3, 2, bias=False, nonlinearity="relu")),
        repr(torch.nn.LSTMCell(3, 2)),
        repr(torch.nn.GRUCell(3, 2, bias=False)),
        list(torch.nn.GRUCell(3, 2, bias=False).state_dict()),
    ]


@program
def cell_float64_and_half_hidden_none(torch):
    cell = torch.nn.GRUCell(3, 2, dtype=torch.float64)
    return cell(torch.randn(5, 3, dtype=torch.float64)), cell.weight_ih.dtype


# ---- packing utilities --------------------------------------------------------------------
@program
def pad_sequence_variants(torch):
    rnn_utils = torch.nn.utils.rnn
    seqs = [torch.randn(3, 2), torch.randn(1, 2), torch.randn(4, 2)]
    return (
        rnn_utils.pad_sequence(seqs),
        rnn_utils.pad_sequence(seqs, batch_first=True, padding_value=-7.5),
        rnn_utils.pad_sequence(seqs, padding_side="left"),
        rnn_utils.pad_sequence(seqs, batch_first=True, padding_side="left"),
        rnn_utils.pad_sequence([torch.tensor([1, 2]), torch.tensor([3])], padding_value=9),
        rnn_utils.pad_sequence([torch.tensor([True]), torch.tensor([False, True])]),
    )


@program
def pad_sequence_grads_and_1d(torch):
    a = torch.randn(3, requires_grad=True)
    b = torch.randn(5, requires_grad=True)
    p = torch.nn.utils.rnn.pad_sequence([a, b], batch_first=True)
    (p * torch.arange(10.0).view(2, 5)).sum().backward()
    return p, a.grad, b.grad


@program
def pad_sequence_tuple_and_3d(torch):
    seqs = (torch.ones(2, 2, 3), torch.zeros(4, 2, 3))
    return torch.nn.utils.rnn.pad_sequence(seqs, padding_value=2.0)


@program
def pack_padded_batch_first_unsorted_fields(torch):
    rnn_utils = torch.nn.utils.rnn
    x = torch.arange(24.0).view(3, 4, 2)
    packed = rnn_utils.pack_padded_sequence(x, [2, 4, 3], batch_first=True, enforce_sorted=False)
    padded, lengths = rnn_utils.pad_packed_sequence(
        packed, batch_first=True, padding_value=-1.0, total_length=6
    )
    return (
        packed.data,
        packed.batch_sizes,
        packed.sorted_indices,
        packed.unsorted_indices,
        padded,
        lengths,
        type(packed).__name__,
    )


@program
def pack_padded_sorted_no_indices(torch):
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 2])
    return packed.sorted_indices is None, packed.unsorted_indices is None, packed.batch_sizes


@program
def pack_padded_lengths_tensor_ties(torch):
    rnn_utils = torch.nn.utils.rnn
    x = torch.randn(4, 5, 2)
    lengths = torch.tensor([2, 4, 2, 4, 1])
    packed = rnn_utils.pack_padded_sequence(x, lengths, enforce_sorted=False)
    return packed.data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices


@program
def packed_sequence_to_double_and_fields(torch):
    packed = torch.nn.utils.rnn.pack_sequence(
        [torch.randn(3, 2), torch.randn(2, 2)], enforce_sorted=False
    )
    d = packed.double()
    t = packed.to(torch.float64)
    return (
        d.data,
        t.data.dtype,
        d.batch_sizes.dtype,
        packed.is_cuda,
        t.sorted_indices,
        packed._fields,
        len(packed),
    )


@program
def pack_sequence_unsorted_gru_hn_order(torch):
    gru = torch.nn.GRU(2, 3, num_layers=2)
    seqs = [torch.randn(n, 2, requires_grad=True) for n in (1, 3, 2)]
    packed = torch.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
    out, h = gru(packed)
    (out.data.sum() + h[-1, 0].sum()).backward()
    return out.data, out.batch_sizes, out.sorted_indices, h, [s.grad for s in seqs]


@program
def rnn_packed_bidirectional_relu(torch):
    rnn = torch.nn.RNN(2, 3, nonlinearity="relu", bidirectional=True, batch_first=True)
    x = torch.randn(3, 4, 2)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [4, 2, 1], batch_first=True)
    out, h = rnn(packed)
    padded, lens = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
    return padded, lens, h


@program
def lstm_packed_proj_size(torch):
    lstm = torch.nn.LSTM(2, 4, proj_size=3)
    x = torch.randn(5, 3, 2)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [3, 5, 2], enforce_sorted=False)
    out, (h, c) = lstm(packed)
    return out.data, h, c


@program
def unpack_sequence_and_unpad(torch):
    rnn_utils = torch.nn.utils.rnn
    seqs = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0, 5.0]), torch.tensor([6.0])]
    packed = rnn_utils.pack_sequence(seqs, enforce_sorted=False)
    padded = rnn_utils.pad_sequence(seqs)
    return rnn_utils.unpack_sequence(packed), rnn_utils.unpad_sequence(
        padded, torch.tensor([2, 3, 1])
    )


@error(RuntimeError, r"Length of all samples has to be greater than 0")
def pack_zero_length(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 0])


@error(ValueError, r"Expected total_length to be at least the length of the longest sequence")
def pad_packed_total_length_too_small(torch):
    packed = torch.nn.utils.rnn.pack_sequence([torch.randn(4, 1)])
    return torch.nn.utils.rnn.pad_packed_sequence(packed, total_length=2)


# ---- multi-head attention -----------------------------------------------------------------
@program
def mha_add_bias_kv_zero_attn_masks(torch):
    mha = torch.nn.MultiheadAttention(6, 2, add_bias_kv=True, add_zero_attn=True)
    q = torch.randn(3, 2, 6, requires_grad=True)
    kv = torch.randn(4, 2, 6, requires_grad=True)
    kpm = torch.tensor([[False, False, True, True], [False] * 4])
    attn = torch.zeros(3, 4, dtype=torch.bool)
    attn[0, 1] = True
    out, w = mha(q, kv, kv, key_padding_mask=kpm, attn_mask=attn)
    (out.sum() + w.pow(2).sum()).backward()
    return out, w, q.grad, kv.grad, mha.bias_k.grad, mha.bias_v.grad, mha.in_proj_weight.grad


@program
def mha_bias_false_average_false(torch):
    mha = torch.nn.MultiheadAttention(8, 4, bias=False, batch_first=True)
    x = torch.randn(2, 5, 8, requires_grad=True)
    out, w = mha(x, x, x, average_attn_weights=False)
    out.sum().backward()
    names = [n for n, _ in mha.named_parameters()]
    return out, w, x.grad, names, mha.out_proj.bias is None


@program
def mha_unbatched_with_masks(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    q, k = torch.randn(3, 4), torch.randn(5, 4)
    kpm = torch.tensor([False, True, False, False, True])
    mask = torch.randn(2, 3, 5)
    out, w = mha(q, k, k, key_padding_mask=kpm, attn_mask=mask, average_attn_weights=False)
    out2, w2 = mha(q, k, k, key_padding_mask=kpm)
    return out, w, out2, w2


@program
def mha_float64(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dtype=torch.float64, kdim=3, vdim=5)
    q = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    k = torch.randn(6, 3, 3, dtype=torch.float64)
    v = torch.randn(6, 3, 5, dtype=torch.float64, requires_grad=True)
    out, w = mha(q, k, v)
    out.sum().backward()
    return out, w, q.grad, v.grad, mha.k_proj_weight.grad


@program
def mha_train_dropout_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dropout=0.5)
    x = torch.randn(3, 2, 4)
    out, w = mha(x, x, x)
    return out, w


@program
def mha_need_weights_false_with_key_padding(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    q, kv = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    kpm = torch.tensor([[0.0, 0.0, float("-inf"), 0.0, 0.0], [0.0] * 5])
    out, w = mha(q, kv, kv, key_padding_mask=kpm, need_weights=False)
    return out, w


@program
def mha_in_eval_no_grad_fast_path_masks(torch):
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(3, 4, 8)
    kpm = torch.tensor([[False, False, False, True], [False] * 4, [False, True, True, True]])
    with torch.no_grad():
        out, w = mha(x, x, x, key_padding_mask=kpm)
        out2, w2 = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
    return out, w, out2, w2


@error(
    RuntimeError, r"The shape of the 2D attn_mask is torch.Size\(\[3, 3\]\), but should be \(3, 4\)"
)
def mha_bad_2d_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    q, k = torch.randn(3, 1, 4), torch.randn(4, 1, 4)
    return mha(q, k, k, attn_mask=torch.zeros(3, 3))


@error(
    RuntimeError,
    r"The shape of the 3D attn_mask is torch.Size\(\[2, 3, 4\]\), but should be \(4, 3, 4\)",
)
def mha_bad_3d_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    q, k = torch.randn(3, 2, 4), torch.randn(4, 2, 4)
    return mha(q, k, k, attn_mask=torch.zeros(2, 3, 4))


@error(AssertionError, r"was expecting embedding dimension of 4, but got 5")
def mha_bad_embed(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 5)
    return mha(x, x, x)


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def mha_bad_heads(torch):
    return torch.nn.MultiheadAttention(6, 4)


@program
def mha_repr_and_state_dict(torch):
    a = torch.nn.MultiheadAttention(4, 2, add_bias_kv=True, kdim=3, vdim=2)
    return repr(a), list(a.state_dict()), a.head_dim, a._qkv_same_embed_dim


# ---- scaled_dot_product_attention ---------------------------------------------------------
@program
def sdpa_causal_l_ne_s(torch):
    F = torch.nn.functional
    q = torch.randn(2, 3, 4, requires_grad=True)
    k = torch.randn(2, 5, 4, requires_grad=True)
    v = torch.randn(2, 5, 6, requires_grad=True)
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    y2 = F.scaled_dot_product_attention(k, q, q, is_causal=True)
    (y.sum() + y2.sum()).backward()
    return y, y2, q.grad, k.grad, v.grad


@program
def sdpa_float_mask_broadcast_and_scale(torch):
    F = torch.nn.functional
    q = torch.randn(2, 2, 3, 4, dtype=torch.float64, requires_grad=True)
    k = torch.randn(2, 2, 5, 4, dtype=torch.float64)
    v = torch.randn(2, 2, 5, 4, dtype=torch.float64)
    mask = torch.randn(2, 1, 1, 5, dtype=torch.float64)
    y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=0.5)
    y.sum().backward()
    return y, q.grad


@program
def sdpa_bool_mask_3d_inputs_and_1_head(torch):
    F = torch.nn.functional
    q, k, v = torch.randn(3, 4, 8), torch.randn(3, 6, 8), torch.randn(3, 6, 2)
    mask = torch.ones(4, 6, dtype=torch.bool).tril()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


@program
def sdpa_gqa_grads(torch):
    F = torch.nn.functional
    q = torch.randn(1, 6, 3, 4, requires_grad=True)
    k = torch.randn(1, 2, 3, 4, requires_grad=True)
    v = torch.randn(1, 2, 3, 4, requires_grad=True)
    y = F.scaled_dot_product_attention(q, k, v, enable_gqa=True, is_causal=True)
    y.pow(2).sum().backward()
    return y, q.grad, k.grad, v.grad


@program
def sdpa_float16(torch):
    F = torch.nn.functional
    q = torch.randn(1, 2, 3, 4).half()
    k = torch.randn(1, 2, 3, 4).half()
    return F.scaled_dot_product_attention(q, k, k)


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_mask_and_causal(torch):
    F = torch.nn.functional
    q = torch.randn(1, 3, 4)
    return F.scaled_dot_product_attention(
        q, q, q, attn_mask=torch.ones(3, 3).bool(), is_causal=True
    )


@program
def sdpa_dropout_zero_train(torch):
    F = torch.nn.functional
    q = torch.randn(2, 3, 4)
    return F.scaled_dot_product_attention(q, q, q, dropout_p=0.0)


# ---- transformer layers -------------------------------------------------------------------
@program
def encoder_layer_gelu_norm_first_bias_false(torch):
    layer = torch.nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.0, activation="gelu", norm_first=True, bias=False, batch_first=True
    )
    x = torch.randn(2, 3, 8, requires_grad=True)
    y = layer(x)
    y.sum().backward()
    return y, x.grad, [n for n, _ in layer.named_parameters()], _param_grads(layer)


@program
def encoder_layer_callable_activation_causal(torch):
    layer = torch.nn.TransformerEncoderLayer(
        4, 2, 8, dropout=0.0, activation=torch.nn.functional.silu
    )
    x = torch.randn(5, 2, 4, requires_grad=True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5)
    y = layer(x, src_mask=mask, is_causal=True)
    y.sum().backward()
    return y, x.grad


@program
def encoder_layer_module_activation(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation=torch.nn.GELU())
    x = torch.randn(3, 2, 4)
    return layer(x), repr(layer)


@program
def encoder_layer_train_dropout(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.2, batch_first=True)
    x = torch.randn(2, 3, 4)
    return layer(x)


@program
def encoder_eval_nested_fast_path_padding(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2).eval()
    x = torch.randn(3, 5, 8)
    kpm = torch.tensor(
        [[False] * 5, [False, False, False, True, True], [False, True, True, True, True]]
    )
    with torch.no_grad():
        y = enc(x, src_key_padding_mask=kpm)
    return y


@program
def encoder_eval_no_nested(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False).eval()
    x = torch.randn(3, 5, 8)
    kpm = torch.tensor(
        [[False] * 5, [False, False, False, True, True], [False, True, True, True, True]]
    )
    with torch.no_grad():
        y = enc(x, src_key_padding_mask=kpm)
    return y


@program
def encoder_unbatched_input(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    x = torch.randn(5, 4, requires_grad=True)
    y = enc(x)
    y.sum().backward()
    return y, x.grad


@program
def decoder_layer_norm_first_masks(torch):
    layer = torch.nn.TransformerDecoderLayer(
        6, 3, 12, dropout=0.0, norm_first=True, batch_first=True, activation="gelu"
    )
    tgt = torch.randn(2, 4, 6, requires_grad=True)
    mem = torch.randn(2, 5, 6, requires_grad=True)
    tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    mkpm = torch.tensor([[False, False, False, False, True], [False] * 5])
    tkpm = torch.tensor([[False] * 4, [False, False, False, True]])
    y = layer(tgt, mem, tgt_mask=tgt_mask, tgt_key_padding_mask=tkpm, memory_key_padding_mask=mkpm)
    y.sum().backward()
    return y, tgt.grad, mem.grad


@program
def decoder_with_norm_and_bias_false(torch):
    layer = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, bias=False)
    dec = torch.nn.TransformerDecoder(layer, 2, norm=torch.nn.LayerNorm(4, bias=False))
    tgt, mem = torch.randn(3, 2, 4), torch.randn(5, 2, 4)
    y = dec(tgt, mem, memory_mask=torch.zeros(3, 5))
    return y, [n for n, _ in dec.named_parameters()]


@program
def transformer_batch_first_masks_grads(torch):
    model = torch.nn.Transformer(
        d_model=8,
        nhead=2,
        num_encoder_layers=2,
        num_decoder_layers=1,
        dim_feedforward=16,
        dropout=0.0,
        batch_first=True,
        norm_first=True,
    )
    src = torch.randn(2, 5, 8, requires_grad=True)
    tgt = torch.randn(2, 3, 8, requires_grad=True)
    tgt_mask = model.generate_square_subsequent_mask(3)
    skpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    y = model(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=skpm, memory_key_padding_mask=skpm)
    y.sum().backward()
    return y, src.grad, tgt.grad, model.encoder.layers[0].self_attn.in_proj_weight.grad


@program
def transformer_square_mask_variants(torch):
    T = torch.nn.Transformer
    return (
        T.generate_square_subsequent_mask(3),
        T.generate_square_subsequent_mask(2, dtype=torch.float64),
        T.generate_square_subsequent_mask(1),
        T.generate_square_subsequent_mask(0).shape,
    )


@error(RuntimeError, r"the batch number of src and tgt must be equal")
def transformer_batch_mismatch(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8)
    return model(torch.randn(3, 2, 4), torch.randn(3, 1, 4))


@error(RuntimeError, r"the feature number of src and tgt must be equal to d_model")
def transformer_feature_mismatch(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8)
    return model(torch.randn(3, 2, 4), torch.randn(3, 2, 5))


@error(RuntimeError, r"activation should be relu/gelu, not tanh")
def encoder_layer_bad_activation(torch):
    return torch.nn.TransformerEncoderLayer(4, 2, activation="tanh")


@program
def sdpa_causal_and_mask_4d_flash_kernel(torch):
    F = torch.nn.functional
    q = torch.randn(2, 2, 4, 8, requires_grad=True)
    k = torch.randn(2, 2, 6, 8)
    mask = torch.rand(2, 1, 4, 6) > 0.3
    y = F.scaled_dot_product_attention(q, k, k, attn_mask=mask, is_causal=True)
    y2 = F.scaled_dot_product_attention(q, k, k, attn_mask=torch.randn(4, 6), is_causal=True)
    (y.sum() + y2.sum()).backward()
    return y, y2, q.grad, y.grad_fn.name()


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_causal_and_mask_heads_broadcast(torch):
    q, k = torch.randn(2, 2, 4, 8), torch.randn(2, 1, 6, 8)
    mask = torch.ones(4, 6, dtype=torch.bool)
    return torch.nn.functional.scaled_dot_product_attention(q, k, k, attn_mask=mask, is_causal=True)


@error(RuntimeError, r"Explicit attn_mask should not be set when is_causal=True")
def sdpa_causal_and_mask_dropout(torch):
    q = torch.randn(1, 2, 4, 8)
    mask = torch.ones(4, 4, dtype=torch.bool)
    F = torch.nn.functional
    return F.scaled_dot_product_attention(q, q, q, attn_mask=mask, is_causal=True, dropout_p=0.1)


@program
def sdpa_grad_fn_names(torch):
    F = torch.nn.functional
    q = torch.randn(2, 2, 4, 8, requires_grad=True)
    return [
        F.scaled_dot_product_attention(q, q, q).grad_fn.name(),
        F.scaled_dot_product_attention(q, q[:, :1], q[:, :1]).grad_fn.name(),
        F.scaled_dot_product_attention(q, q, q[..., :5]).grad_fn.name(),
        F.scaled_dot_product_attention(q[0], q[0], q[0]).grad_fn.name(),
    ]


@error(RuntimeError, r"Expected attn_mask dtype to be bool or float or to match query dtype")
def sdpa_float64_mask_float32_query(torch):
    q = torch.randn(1, 2, 3, 4)
    mask = torch.zeros(3, 3, dtype=torch.float64)
    return torch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=mask)


@error(RuntimeError, r"Input dtypes must be the same, got: input")
def mha_float64_attn_mask_float32_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    return mha(x, x, x, attn_mask=torch.zeros(3, 3, dtype=torch.float64))


@error(RuntimeError, r"Expected attn_mask dtype to be bool or float or to match query dtype")
def mha_float16_key_padding_no_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    kpm = torch.zeros(2, 3, dtype=torch.float16)
    return mha(x, x, x, key_padding_mask=kpm, need_weights=False)


@program
def mha_bool_attn_mask_float16_key_padding(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    attn = torch.tensor([[False, True, False]] * 3)
    kpm = torch.zeros(2, 3, dtype=torch.float16)
    kpm[0, 2] = float("-inf")
    return mha(x, x, x, attn_mask=attn, key_padding_mask=kpm)


# ---- batch 2 ------------------------------------------------------------------------------
@program
def encoder_layer_eval_no_grad_fast_path_kpm(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True).eval()
    x = torch.randn(2, 4, 8)
    kpm = torch.tensor([[False, False, True, True], [False] * 4])
    with torch.no_grad():
        y = layer(x, src_key_padding_mask=kpm)
        y2 = layer(x)
    return y, y2


@program
def encoder_nested_mask_check_off_right_padding(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 1, mask_check=False).eval()
    x = torch.randn(2, 4, 8)
    kpm = torch.tensor([[False, True, False, True], [False] * 4])
    with torch.no_grad():
        return enc(x, src_key_padding_mask=kpm)


@program
def encoder_nested_float_kpm(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2).eval()
    x = torch.randn(2, 4, 8)
    kpm = torch.zeros(2, 4)
    kpm[0, 3] = float("-inf")
    with torch.no_grad():
        return enc(x, src_key_padding_mask=kpm)


@program
def encoder_is_causal_detected_from_mask(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    x = torch.randn(5, 2, 4)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
    bool_causal = torch.triu(torch.ones(5, 5), diagonal=1).bool()
    return enc(x, mask=causal), enc(x, mask=bool_causal), enc(x, mask=causal, is_causal=True)


@program
def encoder_layer_3d_bool_mask(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
    x = torch.randn(2, 3, 4, requires_grad=True)
    mask = torch.rand(4, 3, 3) > 0.7
    y = layer(x, src_mask=mask)
    y.sum().backward()
    return y, x.grad


@program
def transformer_custom_encoder_decoder(torch):
    enc = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0), 1, enable_nested_tensor=False
    )
    dec = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0), 1)
    model = torch.nn.Transformer(d_model=4, nhead=2, custom_encoder=enc, custom_decoder=dec)
    src, tgt = torch.randn(3, 2, 4), torch.randn(2, 2, 4)
    return model(src, tgt), [n for n, _ in model.named_parameters()]


@program
def transformer_unbatched(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8, dropout=0.0)
    src, tgt = torch.randn(3, 4), torch.randn(2, 4)
    return model(src, tgt, tgt_mask=model.generate_square_subsequent_mask(2))


@program
def transformer_train_dropout_rng(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8, dropout=0.3, batch_first=True)
    src, tgt = torch.randn(2, 3, 4), torch.randn(2, 2, 4)
    return model(src, tgt)


@program
def mha_dropout_need_weights_false_rng(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dropout=0.4, batch_first=True)
    x = torch.randn(2, 3, 4)
    return mha(x, x, x, need_weights=False)[0]


@program
def sdpa_dropout_rng(torch):
    F = torch.nn.functional
    q = torch.randn(2, 2, 3, 4)
    return F.scaled_dot_product_attention(q, q, q, dropout_p=0.3)


@program
def mha_cross_attention_batch_first_kv_same(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    q = torch.randn(2, 3, 4, requires_grad=True)
    mem = torch.randn(2, 5, 4, requires_grad=True)
    out, w = mha(q, mem, mem)
    out.sum().backward()
    return out, w, q.grad, mem.grad


@error(AssertionError, r"key shape torch.Size\(\[4, 2, 4\]\) does not match value shape")
def mha_key_value_len_mismatch(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    return mha(torch.randn(3, 2, 4), torch.randn(4, 2, 4), torch.randn(5, 2, 4))


@error(AssertionError, r"For unbatched \(2-D\) `query`, expected `key` and `value` to be 2-D")
def mha_unbatched_query_batched_key(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    return mha(torch.randn(3, 4), torch.randn(4, 2, 4), torch.randn(4, 2, 4))


@error(AssertionError, r"query should be unbatched 2D or batched 3D tensor but received 4-D")
def mha_4d_query(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(1, 3, 2, 4)
    return mha(x, x, x)


@program
def mha_unbatched_bool_2d_mask_causal(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 4, requires_grad=True)
    mask = torch.triu(torch.ones(3, 3, dtype=torch.bool), 1)
    out, w = mha(x, x, x, attn_mask=mask, is_causal=True)
    out.sum().backward()
    return out, w, x.grad


@program
def mha_functional_separate_proj(torch):
    F = torch.nn.functional
    q, k, v = torch.randn(3, 2, 4), torch.randn(5, 2, 4), torch.randn(5, 2, 4)
    wq, wk, wv, wo = (torch.randn(4, 4) * 0.3 for _ in range(4))
    b = torch.randn(12) * 0.1
    out, w = F.multi_head_attention_forward(
        q,
        k,
        v,
        4,
        2,
        None,
        b,
        None,
        None,
        False,
        0.0,
        wo,
        torch.zeros(4),
        use_separate_proj_weight=True,
        q_proj_weight=wq,
        k_proj_weight=wk,
        v_proj_weight=wv,
        average_attn_weights=False,
    )
    return out, w


@program
def mha_functional_training_false_dropout(torch):
    F = torch.nn.functional
    x = torch.randn(3, 2, 4)
    w_in, w_out = torch.randn(12, 4) * 0.3, torch.randn(4, 4) * 0.3
    out, w = F.multi_head_attention_forward(
        x, x, x, 4, 1, w_in, None, None, None, False, 0.5, w_out, None, training=False
    )
    return out, w


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def encoder_layer_bad_heads(torch):
    return torch.nn.TransformerEncoderLayer(6, 4)


@program
def lstm_forget_gate_bias_init_and_orthogonal(torch):
    lstm = torch.nn.LSTM(3, 4, num_layers=2)
    for name, p in lstm.named_parameters():
        if "bias" in name:
            torch.nn.init.zeros_(p)
            with torch.no_grad():
                p[4:8].fill_(1.0)
        elif "weight_hh" in name:
            torch.nn.init.orthogonal_(p)
        else:
            torch.nn.init.xavier_uniform_(p)
    x = torch.randn(5, 2, 3)
    out, (h, c) = lstm(x)
    return out, h, c, lstm.weight_hh_l1


@program
def lstm_parametrized_weight(torch):
    P = torch.nn.utils.parametrize

    class Scale(torch.nn.Module):
        def forward(self, w):
            return w * 0.5

    lstm = torch.nn.LSTM(2, 3)
    P.register_parametrization(lstm, "weight_hh_l0", Scale())
    x = torch.randn(4, 1, 2)
    out, _ = lstm(x)
    out.sum().backward()
    return out, lstm.parametrizations.weight_hh_l0.original.grad


@program
def gru_truncated_bptt(torch):
    gru = torch.nn.GRU(3, 4, batch_first=True)
    opt = torch.optim.SGD(gru.parameters(), lr=0.1)
    data = torch.randn(2, 12, 3)
    h = None
    losses = []
    for chunk in data.split(4, dim=1):
        out, h = gru(chunk, h)
        h = h.detach()
        loss = out.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, h, gru.weight_ih_l0


@program
def lstm_classifier_training_packed(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(10, 4, padding_idx=0)
            self.lstm = torch.nn.LSTM(4, 5, batch_first=True, bidirectional=True)
            self.fc = torch.nn.Linear(10, 3)

        def forward(self, tokens, lengths):
            e = self.emb(tokens)
            packed = torch.nn.utils.rnn.pack_padded_sequence(
                e, lengths, batch_first=True, enforce_sorted=False
            )
            _, (h, _) = self.lstm(packed)
            return self.fc(torch.cat([h[-2], h[-1]], dim=1))

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    tokens = torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0], [6, 7, 8, 9]])
    lengths = torch.tensor([3, 2, 4])
    y = torch.tensor([0, 2, 1])
    losses = []
    for _ in range(3):
        loss = torch.nn.functional.cross_entropy(net(tokens, lengths), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, net(tokens, lengths), net.emb.weight.grad


@program
def seq2seq_gru_attention_step(torch):
    enc = torch.nn.GRU(3, 4, batch_first=True)
    dec_cell = torch.nn.GRUCell(3 + 4, 4)
    attn = torch.nn.Linear(8, 1)
    out_proj = torch.nn.Linear(4, 3)
    src = torch.randn(2, 5, 3)
    enc_out, h = enc(src)
    h = h[0]
    y = torch.zeros(2, 3)
    outs = []
    for _ in range(3):
        scores = attn(torch.cat([enc_out, h.unsqueeze(1).expand(-1, 5, -1)], -1)).squeeze(-1)
        weights = scores.softmax(-1)
        ctx = torch.bmm(weights.unsqueeze(1), enc_out).squeeze(1)
        h = dec_cell(torch.cat([y, ctx], -1), h)
        y = out_proj(h)
        outs.append(y)
    loss = torch.stack(outs).pow(2).sum()
    loss.backward()
    return torch.stack(outs), enc.weight_hh_l0.grad, dec_cell.weight_ih.grad


@program
def char_rnn_sampling(torch):
    emb = torch.nn.Embedding(6, 4)
    lstm = torch.nn.LSTM(4, 8, num_layers=2)
    head = torch.nn.Linear(8, 6)
    tok = torch.tensor([[0]])
    state = None
    seq = []
    with torch.no_grad():
        for _ in range(8):
            out, state = lstm(emb(tok), state)
            probs = torch.softmax(head(out[-1]) / 0.8, dim=-1)
            tok = torch.multinomial(probs, 1).view(1, 1)
            seq.append(tok.item())
    return seq, state


@program
def transformer_lm_training_steps(torch):
    class LM(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(11, 8)
            self.pos = torch.nn.Parameter(torch.zeros(1, 6, 8))
            layer = torch.nn.TransformerEncoderLayer(
                8, 2, 16, dropout=0.1, batch_first=True, norm_first=True
            )
            self.enc = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.head = torch.nn.Linear(8, 11)

        def forward(self, x):
            T = x.size(1)
            mask = torch.nn.Transformer.generate_square_subsequent_mask(T)
            h = self.enc(self.emb(x) + self.pos[:, :T], mask=mask, is_causal=True)
            return self.head(h)

    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    data = torch.randint(0, 11, (3, 7))
    losses = []
    for _ in range(3):
        logits = model(data[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 11), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        return losses, model(data[:, :-1])


@program
def lstm_packed_dropout_unsorted_bidirectional(torch):
    lstm = torch.nn.LSTM(2, 3, num_layers=2, dropout=0.5, bidirectional=True)
    x = torch.randn(4, 3, 2)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [2, 4, 3], enforce_sorted=False)
    out, (h, c) = lstm(packed)
    return out.data, h, c


@program
def rnn_batch_first_unbatched_ignored(torch):
    rnn = torch.nn.RNN(3, 2, batch_first=True)
    x = torch.randn(4, 3)
    out, h = rnn(x)
    return out, h


@program
def lstm_half_cpu(torch):
    lstm = torch.nn.LSTM(2, 3).half()
    x = torch.randn(3, 1, 2).half()
    out, (h, c) = lstm(x)
    return out, h, c


@program
def packed_sequence_unpack_as_tuple(torch):
    packed = torch.nn.utils.rnn.pack_sequence([torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0])])
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    return data, batch_sizes, sorted_indices, unsorted_indices, packed[0]


@program
def pack_padded_lengths_int32_and_numpy(torch):
    import numpy as np

    x = torch.randn(3, 2, 2)
    a = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor([3, 1], dtype=torch.int32))
    b = torch.nn.utils.rnn.pack_padded_sequence(x, np.array([3, 2]))
    return a.data, a.batch_sizes, b.data, b.batch_sizes


@error(RuntimeError, r"empty")
def pad_sequence_empty_list(torch):
    return torch.nn.utils.rnn.pad_sequence([])


@error(RuntimeError, r"size")
def pad_sequence_trailing_mismatch(torch):
    return torch.nn.utils.rnn.pad_sequence([torch.randn(2, 3), torch.randn(2, 4)])


@program
def lstm_empty_batch(torch):
    lstm = torch.nn.LSTM(2, 3)
    out, (h, c) = lstm(torch.randn(4, 0, 2))
    return out.shape, h.shape, c.shape


@program
def gru_noncontiguous_h0(torch):
    gru = torch.nn.GRU(2, 3, num_layers=2)
    h0 = torch.randn(2, 3, 2).transpose(1, 2)  # (2, 2, 3) non-contiguous
    x = torch.randn(4, 2, 2)
    return gru(x, h0)


@program
def lstm_h0_only_grad(torch):
    lstm = torch.nn.LSTM(2, 3, bidirectional=True)
    h0 = torch.randn(2, 1, 3, requires_grad=True)
    c0 = torch.zeros(2, 1, 3)
    out, (h, c) = lstm(torch.randn(3, 1, 2), (h0, c0))
    c.sum().backward()
    return out, h0.grad, c.requires_grad


@program
def mha_is_causal_no_weights_uses_causal_kernel(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    x = torch.randn(2, 3, 4)
    full = torch.zeros(3, 3)  # not causal: with is_causal and no weights PyTorch ignores it
    a = mha(x, x, x, attn_mask=full, is_causal=True, need_weights=False)[0]
    b = mha(x, x, x, attn_mask=full, is_causal=True)[0]
    kpm = torch.tensor([[False, False, True], [False] * 3])
    c = mha(x, x, x, attn_mask=full, key_padding_mask=kpm, is_causal=True, need_weights=False)
    return a, b, c[0]


@error(AssertionError, r"Expected key_padded_mask.shape\[0\] to be 2, but got 3")
def mha_key_padding_mask_wrong_batch(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    return mha(x, x, x, key_padding_mask=torch.zeros(3, 3, dtype=torch.bool))


@error(AssertionError, r"Expected `attn_mask` shape to be \(2, 3, 4\)")
def mha_unbatched_3d_mask_wrong_heads(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    q, k = torch.randn(3, 4), torch.randn(4, 4)
    return mha(q, k, k, attn_mask=torch.zeros(4, 3, 4))


@error(AssertionError, r"expected `key_padding_mask` to be `None` or 2-D but found 1-D")
def mha_batched_1d_key_padding_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 2)
    x = torch.randn(3, 2, 4)
    return mha(x, x, x, key_padding_mask=torch.zeros(3, dtype=torch.bool))


@error(AssertionError, r"key's sequence and batch dims torch.Size\(\[4, 2\]\) do not match")
def mha_kdim_vdim_length_mismatch(torch):
    mha = torch.nn.MultiheadAttention(4, 2, kdim=3, vdim=5)
    return mha(torch.randn(3, 2, 4), torch.randn(4, 2, 3), torch.randn(5, 2, 5))


@program
def encoder_nested_float_kpm_finite_values(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 1).eval()
    x = torch.randn(2, 4, 8)
    kpm = torch.tensor([[0.0, 0.0, -1.0, -1.0], [0.0, 0.0, 0.0, 0.5]])  # nonzero = padded
    with torch.no_grad():
        return enc(x, src_key_padding_mask=kpm)


# ---- batch 3 ------------------------------------------------------------------------------
@error(RuntimeError, r"Need attn_mask if specifying the is_causal hint")
def decoder_tgt_is_causal_without_mask(torch):
    layer = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0)
    dec = torch.nn.TransformerDecoder(layer, 1)
    return dec(torch.randn(3, 2, 4), torch.randn(5, 2, 4), tgt_is_causal=True)


@program
def decoder_causal_detected_bool_mask(torch):
    layer = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
    dec = torch.nn.TransformerDecoder(layer, 2, norm=torch.nn.LayerNorm(4))
    tgt, mem = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    mask = torch.triu(torch.ones(3, 3, dtype=torch.bool), 1)
    return dec(tgt, mem, tgt_mask=mask), dec(tgt, mem, tgt_mask=mask, tgt_is_causal=True)


@error(RuntimeError, r"the batch number of src and tgt must be equal")
def transformer_batch_first_batch_mismatch(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8, batch_first=True)
    return model(torch.randn(2, 3, 4), torch.randn(3, 3, 4))


@program
def sdpa_padding_mask_broadcast_hf_style(torch):
    F = torch.nn.functional
    B, H, L, E = 2, 2, 4, 8
    q = torch.randn(B, H, L, E, requires_grad=True)
    k = torch.randn(B, H, L, E, requires_grad=True)
    attention_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    mask = attention_mask[:, None, None, :].bool()
    y = F.scaled_dot_product_attention(q, k, k, attn_mask=mask)
    ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    y2 = F.scaled_dot_product_attention(q, k, k, attn_mask=ext)
    (y.sum() + y2.sum()).backward()
    return y, y2, q.grad, k.grad


@program
def sdpa_5d_inputs(torch):
    F = torch.nn.functional
    q = torch.randn(2, 3, 2, 4, 5)
    k = torch.randn(2, 3, 2, 6, 5)
    return F.scaled_dot_product_attention(q, k, k), F.scaled_dot_product_attention(
        q, k, k, is_causal=True
    )


@program
def sdpa_empty_sequences(torch):
    F = torch.nn.functional
    out = []
    for qs, ks in (
        ((1, 2, 0, 4), (1, 2, 3, 4)),
        ((1, 2, 3, 4), (1, 2, 0, 4)),
        ((0, 3, 4), (0, 3, 4)),
    ):
        q = torch.randn(*qs, requires_grad=True)
        k = torch.randn(*ks, requires_grad=True)
        y = F.scaled_dot_product_attention(q, k, k)
        y.sum().backward()
        out += [y, q.grad, k.grad]
    return out


@program
def sdpa_float16_float_mask(torch):
    F = torch.nn.functional
    q = torch.randn(1, 2, 3, 4).half()
    mask = torch.randn(3, 3).half()
    return F.scaled_dot_product_attention(q, q, q, attn_mask=mask)


@program
def sdpa_fully_masked_row_grad(torch):
    F = torch.nn.functional
    q = torch.randn(1, 1, 3, 4, requires_grad=True)
    k = torch.randn(1, 1, 3, 4, requires_grad=True)
    mask = torch.tensor([[True, True, False], [False, False, False], [True, True, True]])
    y = F.scaled_dot_product_attention(q, k, k, attn_mask=mask)
    y.sum().backward()
    return y, q.grad, k.grad


@program
def rnn_reassigned_weight(torch):
    rnn = torch.nn.RNN(2, 3)
    rnn.weight_hh_l0 = torch.nn.Parameter(torch.eye(3) * 0.5)
    out, h = rnn(torch.randn(4, 1, 2))
    return out, h, [tuple(w.shape) for w in rnn._flat_weights]


@program
def lstm_deepcopy_and_state_dict_roundtrip(torch):
    import copy
    import io

    lstm = torch.nn.LSTM(2, 3, num_layers=2, proj_size=1, bias=False)
    twin = copy.deepcopy(lstm)
    buf = io.BytesIO()
    torch.save(lstm.state_dict(), buf)
    buf.seek(0)
    fresh = torch.nn.LSTM(2, 3, num_layers=2, proj_size=1, bias=False)
    fresh.load_state_dict(torch.load(buf))
    x = torch.randn(4, 2, 2)
    return twin(x)[0], fresh(x)[0], list(fresh.state_dict())


@program
def gru_to_double_flatten(torch):
    gru = torch.nn.GRU(2, 3).to(torch.float64)
    gru.flatten_parameters()
    x = torch.randn(3, 2, 2, dtype=torch.float64)
    return gru(x), gru.weight_ih_l0.dtype


@program
def gru_dropout_one(torch):
    gru = torch.nn.GRU(2, 3, num_layers=2, dropout=1.0)
    return gru(torch.randn(3, 2, 2))


@error(ValueError, r"dropout should be a number in range \[0, 1\]")
def rnn_dropout_bool(torch):
    return torch.nn.RNN(2, 3, dropout=True)


@error(ValueError, r"dropout should be a number in range \[0, 1\]")
def lstm_dropout_too_big(torch):
    return torch.nn.LSTM(2, 3, dropout=1.5)


@error(ValueError, r"hidden_size must be greater than zero")
def lstm_zero_hidden(torch):
    return torch.nn.LSTM(3, 0)


@error(ValueError, r"num_layers must be greater than zero")
def gru_zero_layers(torch):
    return torch.nn.GRU(3, 4, num_layers=0)


@error(TypeError, r"hidden_size should be of type int")
def lstm_float_hidden(torch):
    return torch.nn.LSTM(3, 4.0)


@program
def rnn_positional_arguments(torch):
    rnn = torch.nn.RNN(3, 4, 2, "relu", False, True, 0.0, True)
    gru = torch.nn.GRU(3, 4, 2, True, True, 0.0, True)
    lstm = torch.nn.LSTM(3, 4, 1, True, True, 0.0, False, 2)
    return repr(rnn), repr(gru), repr(lstm), rnn.nonlinearity, lstm.proj_size


@program
def rnnbase_direct(torch):
    m = torch.nn.RNNBase("LSTM", 2, 3, batch_first=True)
    return repr(m), m.mode, [n for n, _ in m.named_parameters()]


@program
def lstm_cell_hx_list_and_unbatched_none(torch):
    cell = torch.nn.LSTMCell(3, 2)
    x = torch.randn(4, 3)
    h, c = torch.randn(4, 2), torch.randn(4, 2)
    a = cell(x, [h, c])
    b = torch.nn.RNNCell(3, 2)(torch.randn(3))
    return a, b


@program
def rnn_output_requires_grad_and_grad_fn(torch):
    lstm = torch.nn.LSTM(2, 3)
    x = torch.randn(3, 1, 2)
    out, (h, c) = lstm(x)
    with torch.no_grad():
        out2, _ = lstm(x)
    return out.requires_grad, out2.requires_grad, h.requires_grad, out.is_contiguous()


@program
def packed_input_grad_batch_first(torch):
    rnn_utils = torch.nn.utils.rnn
    x = torch.randn(3, 4, 2, requires_grad=True)
    packed = rnn_utils.pack_padded_sequence(x, [4, 1, 3], batch_first=True, enforce_sorted=False)
    (packed.data * torch.arange(16.0).view(8, 2)).sum().backward()
    return packed.data, x.grad


@program
def pad_packed_batch_first_mismatch_pack(torch):
    rnn_utils = torch.nn.utils.rnn
    x = torch.randn(3, 4, 2)
    packed = rnn_utils.pack_padded_sequence(x, [4, 3, 1], batch_first=True)
    padded, lengths = rnn_utils.pad_packed_sequence(packed)  # time-major out
    return padded, lengths, lengths.dtype


@program
def pad_sequence_left_int(torch):
    seqs = [torch.tensor([1, 2, 3]), torch.tensor([4])]
    return torch.nn.utils.rnn.pad_sequence(seqs, True, -1, "left")


@program
def gru_packed_h0_unsorted(torch):
    gru = torch.nn.GRU(2, 3, bidirectional=True)
    x = torch.randn(4, 3, 2)
    h0 = torch.randn(2, 3, 3, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [1, 4, 2], enforce_sorted=False)
    out, h = gru(packed, h0)
    h.sum().backward()
    return out.data, h, h0.grad


@program
def transformer_encoder_mask_type_mismatch_warning(torch):
    import warnings

    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    enc = torch.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
    x = torch.randn(3, 2, 4)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = enc(x, mask=torch.zeros(3, 3), src_key_padding_mask=torch.zeros(2, 3).bool())
    return y, sorted({str(m.message) for m in w})


@error(ValueError, r"input_size must be greater than zero")
def rnn_zero_input(torch):
    return torch.nn.RNN(0, 3)


@error(TypeError, r"batch_first should be of type bool, got: int")
def gru_int_batch_first(torch):
    return torch.nn.GRU(2, 3, batch_first=1)


@error(ValueError, r"proj_size argument is only supported for LSTM, not RNN or GRU")
def rnn_proj_size_zero(torch):
    return torch.nn.RNN(2, 3, proj_size=0)


@error(ValueError, r"Unrecognized RNN mode: FOO")
def rnnbase_bad_mode(torch):
    return torch.nn.RNNBase("FOO", 2, 3)


@program
def rnn_cell_bad_nonlinearity_constructs(torch):
    return repr(torch.nn.RNNCell(2, 3, nonlinearity="gelu"))


@error(RuntimeError, r"Unknown nonlinearity: gelu")
def rnn_cell_bad_nonlinearity_forward(torch):
    return torch.nn.RNNCell(2, 3, nonlinearity="gelu")(torch.randn(2))


# ---- batch 4 ------------------------------------------------------------------------------
@program
def packed_sequence_constructed_directly(torch):
    rnn_utils = torch.nn.utils.rnn
    data = torch.arange(6.0).view(6, 1)
    p = rnn_utils.PackedSequence(data, torch.tensor([3, 2, 1]), torch.tensor([2, 0, 1]))
    padded, lengths = rnn_utils.pad_packed_sequence(p, batch_first=True)
    return p.unsorted_indices, padded, lengths


@program
def packed_sequence_repr_and_identity(torch):
    packed = torch.nn.utils.rnn.pack_sequence([torch.tensor([1.0, 2.0]), torch.tensor([3.0])])
    return repr(packed), packed.to("cpu") is packed, packed.to(torch.float32) is packed


@program
def invert_permutation(torch):
    rnn_utils = torch.nn.utils.rnn
    return rnn_utils.invert_permutation(torch.tensor([2, 0, 3, 1])), rnn_utils.invert_permutation(
        None
    )


@program
def lstm_double_backward_gradient_penalty(torch):
    lstm = torch.nn.LSTM(2, 3, dtype=torch.float64)
    x = torch.randn(4, 1, 2, dtype=torch.float64, requires_grad=True)
    out, _ = lstm(x)
    (g,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    penalty = g.pow(2).sum()
    penalty.backward()
    return g, lstm.weight_hh_l0.grad, x.grad


@program
def mha_double_backward(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dtype=torch.float64)
    x = torch.randn(3, 2, 4, dtype=torch.float64, requires_grad=True)
    out, w = mha(x, x, x)
    (g,) = torch.autograd.grad(out.pow(2).sum(), x, create_graph=True)
    g.sum().backward()
    return g, x.grad, mha.in_proj_weight.grad


@program
def functional_call_on_gru(torch):
    gru = torch.nn.GRU(2, 3)
    params = {k: v * 0.5 for k, v in gru.named_parameters()}
    x = torch.randn(4, 2, 2)
    out, h = torch.func.functional_call(gru, params, (x,))
    return out, h, gru(x)[0]


@program
def mha_load_state_dict_and_eval(torch):
    src = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    dst = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    dst.load_state_dict(src.state_dict())
    x = torch.randn(1, 3, 4)
    return dst(x, x, x)[0], src(x, x, x)[0]


@program
def encoder_layer_need_weights_hook(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
    captured = []

    def hook(module, args, kwargs, output):
        captured.append(output[1])

    layer.self_attn.register_forward_hook(hook, with_kwargs=True)
    x = torch.randn(2, 3, 4)
    y = layer(x)
    return y, captured


@program
def mha_forward_pre_hook_force_weights(torch):
    mha = torch.nn.MultiheadAttention(4, 2)

    def pre(module, args, kwargs):
        kwargs["need_weights"] = True
        kwargs["average_attn_weights"] = False
        return args, kwargs

    mha.register_forward_pre_hook(pre, with_kwargs=True)
    x = torch.randn(3, 1, 4)
    out, w = mha(x, x, x, need_weights=False)
    return out, w


@program
def transformer_decoder_only_gpt_style(torch):
    layer = torch.nn.TransformerDecoderLayer(
        8, 2, 16, dropout=0.0, batch_first=True, norm_first=True
    )
    dec = torch.nn.TransformerDecoder(layer, 2)
    x = torch.randn(2, 4, 8, requires_grad=True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    y = dec(x, x, tgt_mask=mask, memory_mask=mask, tgt_is_causal=True, memory_is_causal=True)
    y.sum().backward()
    return y, x.grad


@program
def encoder_layer_float64_train(torch):
    layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, dtype=torch.float64)
    x = torch.randn(3, 2, 4, dtype=torch.float64, requires_grad=True)
    y = layer(x)
    y.sum().backward()
    return y, x.grad, layer.linear1.weight.grad


@program
def transformer_generate_mask_device_dtype(torch):
    m = torch.nn.Transformer.generate_square_subsequent_mask(3, device="cpu", dtype=torch.float16)
    return m, m.dtype


@program
def mha_weights_sum_to_one_with_zero_attn(torch):
    mha = torch.nn.MultiheadAttention(4, 1, add_zero_attn=True, batch_first=True)
    x = torch.randn(1, 3, 4)
    out, w = mha(x, x, x)
    return w.sum(-1), w.shape


@program
def gru_cell_sequence_vs_gru(torch):
    gru = torch.nn.GRU(3, 4)
    cell = torch.nn.GRUCell(3, 4)
    cell.load_state_dict({k[:-3]: v for k, v in gru.state_dict().items()})
    x = torch.randn(5, 2, 3)
    h = torch.zeros(2, 4)
    hs = []
    for t in range(5):
        h = cell(x[t], h)
        hs.append(h)
    return torch.stack(hs), gru(x)[0]


@program
def lstm_all_weights_and_named_buffers(torch):
    lstm = torch.nn.LSTM(2, 3, proj_size=2)
    return (
        [[n for n in names] for names in lstm._all_weights],
        list(lstm.named_buffers()),
        [p.shape for p in lstm.all_weights[0]],
    )


# ---- batch 5: argument checks -------------------------------------------------------------
@error(
    RuntimeError, r"Expected `len\(lengths\)` to be equal to batch_size, but got 3 \(batch_size=2\)"
)
def pack_lengths_batch_mismatch(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 2, 1])


@error(RuntimeError, r"'lengths' argument should be a 1D CPU int64 tensor, but got 2D")
def pack_lengths_2d(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), torch.tensor([[3, 2]]))


@error(RuntimeError, r"Expected padding_side to be one of left or right, but got middle")
def pad_sequence_bad_side(torch):
    return torch.nn.utils.rnn.pad_sequence([torch.randn(2)], padding_side="middle")


@error(RuntimeError, r"")
def pad_sequence_0d(torch):
    return torch.nn.utils.rnn.pad_sequence([torch.tensor(1.0), torch.tensor(2.0)])


@error(RuntimeError, r"For batched 3-D input, hx should also be 3-D but got 2-D tensor")
def gru_batched_2d_hx(torch):
    return torch.nn.GRU(2, 3)(torch.randn(4, 1, 2), torch.zeros(1, 3))


@error(RuntimeError, r"For batched 3-D input, hx and cx should also be 3-D but got \(3-D, 2-D\)")
def lstm_batched_2d_cx(torch):
    return torch.nn.LSTM(2, 3)(torch.randn(4, 1, 2), (torch.zeros(1, 1, 3), torch.zeros(1, 3)))


@error(RuntimeError, r"Input batch size 4 doesn't match hidden0 batch size 3")
def rnn_cell_batch_mismatch(torch):
    return torch.nn.RNNCell(2, 3)(torch.randn(4, 2), torch.zeros(3, 3))


@error(RuntimeError, r"Input batch size 4 doesn't match hidden1 batch size 2")
def lstm_cell_cx_batch_mismatch(torch):
    return torch.nn.LSTMCell(2, 3)(torch.randn(4, 2), (torch.zeros(4, 3), torch.zeros(2, 3)))


@error(RuntimeError, r"hidden0 has inconsistent hidden_size: got 1, expected 3")
def rnn_cell_unbatched_2d_hx(torch):
    return torch.nn.RNNCell(2, 3)(torch.randn(2), torch.zeros(1, 3))


@error(ValueError, r"GRUCell: Expected hidden to be 1D or 2D, got 3D instead")
def gru_cell_3d_hidden(torch):
    return torch.nn.GRUCell(2, 3)(torch.randn(4, 2), torch.zeros(1, 4, 3))


@error(ValueError, r"LSTMCell: Expected hx\[1\] to be 1D or 2D, got 3D instead")
def lstm_cell_3d_cx(torch):
    return torch.nn.LSTMCell(2, 3)(torch.randn(4, 2), (torch.zeros(4, 3), torch.zeros(1, 4, 3)))


@error(TypeError, r"argument 'hx' \(position 2\) must be tuple of Tensors, not Tensor")
def lstm_cell_hx_tensor(torch):
    return torch.nn.LSTMCell(2, 3)(torch.randn(4, 2), torch.zeros(4, 3))


@error(RuntimeError, r"Expected query, key, and value to all be  at least 2 dimensional")
def sdpa_1d_inputs(torch):
    x = torch.randn(4)
    return torch.nn.functional.scaled_dot_product_attention(x, x, x)


@error(RuntimeError, r"expected scalar type Float but found Long")
def sdpa_integer_inputs(torch):
    x = torch.ones(2, 3, 4, dtype=torch.int64)
    return torch.nn.functional.scaled_dot_product_attention(x, x, x)


@program
def sdpa_dropout_one_and_scale_zero(torch):
    F = torch.nn.functional
    q, k, v = torch.randn(1, 2, 3, 4), torch.randn(1, 2, 5, 4), torch.randn(1, 2, 5, 4)
    a = F.scaled_dot_product_attention(q, k, v, dropout_p=1.0)
    b = F.scaled_dot_product_attention(q, k, v, scale=0.0)
    c = torch.rand(2)  # the stream after both: dropout_p=1 draws nothing
    return a, b, c


@error(AssertionError, r"expecting key weights shape of \(4, 4\), but got torch.Size\(\[4, 3\]\)")
def mha_kdim_wrong_key_features(torch):
    mha = torch.nn.MultiheadAttention(4, 2, kdim=3)
    return mha(torch.randn(3, 1, 4), torch.randn(5, 1, 4), torch.randn(5, 1, 4))


# ---- batch 6: tutorial-style programs -----------------------------------------------------
@program
def translation_transformer_tutorial(torch):
    import math

    nn = torch.nn

    class PositionalEncoding(nn.Module):
        def __init__(self, emb_size, dropout, maxlen=50):
            super().__init__()
            den = torch.exp(-torch.arange(0, emb_size, 2) * math.log(10000) / emb_size)
            pos = torch.arange(0, maxlen).reshape(maxlen, 1)
            pe = torch.zeros((maxlen, emb_size))
            pe[:, 0::2] = torch.sin(pos * den)
            pe[:, 1::2] = torch.cos(pos * den)
            self.dropout = nn.Dropout(dropout)
            self.register_buffer("pos_embedding", pe.unsqueeze(-2))

        def forward(self, x):
            return self.dropout(x + self.pos_embedding[: x.size(0), :])

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.Transformer(
                d_model=8,
                nhead=2,
                num_encoder_layers=2,
                num_decoder_layers=2,
                dim_feedforward=16,
                dropout=0.1,
            )
            self.generator = nn.Linear(8, 12)
            self.src_emb = nn.Embedding(12, 8)
            self.tgt_emb = nn.Embedding(12, 8)
            self.pos = PositionalEncoding(8, 0.1)

        def forward(self, src, tgt, src_mask, tgt_mask, src_pad, tgt_pad, mem_pad):
            s = self.pos(self.src_emb(src) * math.sqrt(8))
            t = self.pos(self.tgt_emb(tgt) * math.sqrt(8))
            out = self.transformer(s, t, src_mask, tgt_mask, None, src_pad, tgt_pad, mem_pad)
            return self.generator(out)

    def create_mask(src, tgt):
        S, T = src.shape[0], tgt.shape[0]
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T)
        src_mask = torch.zeros((S, S)).type(torch.bool)
        return src_mask, tgt_mask, (src == 1).transpose(0, 1), (tgt == 1).transpose(0, 1)

    model = Seq2Seq()
    for p in model.parameters():
        if p.dim() > 1:
            nn.init.xavier_uniform_(p)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=1)
    src = torch.tensor([[2, 2], [5, 7], [6, 3], [3, 1], [1, 1]])
    tgt = torch.tensor([[2, 2], [8, 9], [4, 3], [3, 1]])
    losses = []
    for _ in range(2):
        tgt_in = tgt[:-1, :]
        masks = create_mask(src, tgt_in)
        logits = model(src, tgt_in, masks[0], masks[1], masks[2], masks[3], masks[2])
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt[1:, :].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss)
    model.eval()
    with torch.no_grad():
        masks = create_mask(src, tgt[:-1])
        final = model(src, tgt[:-1], masks[0], masks[1], masks[2], masks[3], masks[2])
    return losses, final


@program
def word_language_model_tutorial(torch):
    nn = torch.nn

    class RNNModel(nn.Module):
        def __init__(self, rnn_type, ntoken=15, ninp=6, nhid=8, nlayers=2, dropout=0.2):
            super().__init__()
            self.drop = nn.Dropout(dropout)
            self.encoder = nn.Embedding(ntoken, ninp)
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
            self.decoder = nn.Linear(nhid, ntoken)
            self.decoder.weight = self.encoder.weight if ninp == nhid else self.decoder.weight
            self.rnn_type, self.nhid, self.nlayers = rnn_type, nhid, nlayers
            nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

        def forward(self, x, hidden):
            emb = self.drop(self.encoder(x))
            output, hidden = self.rnn(emb, hidden)
            output = self.drop(output)
            return torch.nn.functional.log_softmax(self.decoder(output), dim=-1), hidden

        def init_hidden(self, bsz):
            weight = next(self.parameters())
            if self.rnn_type == "LSTM":
                return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                        weight.new_zeros(self.nlayers, bsz, self.nhid))  # fmt: skip
            return weight.new_zeros(self.nlayers, bsz, self.nhid)

    def repackage_hidden(h):
        if isinstance(h, torch.Tensor):
            return h.detach()
        return tuple(repackage_hidden(v) for v in h)

    out = []
    data = torch.randint(0, 15, (12, 3))
    for kind in ("LSTM", "GRU"):
        model = RNNModel(kind)
        hidden = model.init_hidden(3)
        for i in range(0, 10, 5):
            x, y = data[i : i + 5], data[i + 1 : i + 6]
            hidden = repackage_hidden(hidden)
            model.zero_grad()
            output, hidden = model(x, hidden)
            loss = torch.nn.functional.nll_loss(output.view(-1, 15), y.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-20)
            out.append(loss)
    return out


@program
def seq2seq_attention_decoder_tutorial(torch):
    nn, F = torch.nn, torch.nn.functional

    class EncoderRNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 6)
            self.gru = nn.GRU(6, 6, batch_first=True)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x):
            return self.gru(self.dropout(self.embedding(x)))

    class BahdanauAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.Wa, self.Ua, self.Va = nn.Linear(6, 6), nn.Linear(6, 6), nn.Linear(6, 1)

        def forward(self, query, keys):
            scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys))).squeeze(2).unsqueeze(1)
            weights = F.softmax(scores, dim=-1)
            return torch.bmm(weights, keys), weights

    class AttnDecoderRNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 6)
            self.attention = BahdanauAttention()
            self.gru = nn.GRU(12, 6, batch_first=True)
            self.out = nn.Linear(6, 10)
            self.dropout = nn.Dropout(0.1)

        def forward(self, enc_out, enc_hidden, target):
            B = enc_out.size(0)
            dec_in = torch.empty(B, 1, dtype=torch.long).fill_(0)
            hidden, outputs, attns = enc_hidden, [], []
            for i in range(4):
                emb = self.dropout(self.embedding(dec_in))
                ctx, w = self.attention(hidden.permute(1, 0, 2), enc_out)
                out, hidden = self.gru(torch.cat((emb, ctx), dim=2), hidden)
                out = self.out(out)
                outputs.append(out)
                attns.append(w)
                dec_in = target[:, i].unsqueeze(1)
            return F.log_softmax(torch.cat(outputs, 1), -1), hidden, torch.cat(attns, 1)

    enc, dec = EncoderRNN(), AttnDecoderRNN()
    x = torch.randint(1, 10, (2, 5))
    target = torch.randint(1, 10, (2, 4))
    enc_out, enc_h = enc(x)
    logp, _, attn = dec(enc_out, enc_h, target)
    loss = nn.NLLLoss()(logp.view(-1, 10), target.view(-1))
    loss.backward()
    _, topi = logp.topk(1)
    return loss, attn, topi.squeeze(-1), enc.gru.weight_hh_l0.grad


@program
def learned_initial_state_expand(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(2, 3, num_layers=2, batch_first=True)
            self.h0 = torch.nn.Parameter(torch.randn(2, 1, 3))

        def forward(self, x):
            return self.gru(x, self.h0.expand(-1, x.size(0), -1).contiguous())

    net = Net()
    out, h = net(torch.randn(4, 3, 2))
    (out.sum() + h.sum()).backward()
    return out, h, net.h0.grad


@program
def lstm_packed_unsorted_h0_grads(torch):
    lstm = torch.nn.LSTM(2, 3, num_layers=2)
    x = torch.randn(4, 3, 2)
    h0 = torch.randn(2, 3, 3, requires_grad=True)
    c0 = torch.randn(2, 3, 3, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
    out, (h, c) = lstm(packed, (h0, c0))
    (h[1].pow(2).sum() + c.sum() + out.data.sum()).backward()
    return h, c, h0.grad, c0.grad


@program
def encoder_nested_row_fully_padded(torch):
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, norm=torch.nn.LayerNorm(8)).eval()
    x = torch.randn(3, 4, 8)
    kpm = torch.tensor([[False, False, True, True], [True] * 4, [False] * 4])
    with torch.no_grad():
        return enc(x, src_key_padding_mask=kpm)


@program
def mha_float16_cpu(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).half()
    x = torch.randn(2, 3, 4).half()
    out, w = mha(x, x, x)
    return out, w


@program
def transformer_3d_bool_src_mask(torch):
    model = torch.nn.Transformer(4, 2, 1, 1, 8, dropout=0.0, batch_first=True)
    src, tgt = torch.randn(2, 3, 4), torch.randn(2, 2, 4)
    src_mask = torch.rand(4, 3, 3) > 0.8
    return model(src, tgt, src_mask=src_mask)


# ---- batch 7: weight reparametrisations ---------------------------------------------------
@program
def awd_lstm_weight_drop(torch):
    nn, F = torch.nn, torch.nn.functional

    class WeightDrop(nn.Module):
        def __init__(self, module, weights, dropout):
            super().__init__()
            self.module, self.weights, self.dropout = module, weights, dropout
            for name in weights:
                w = getattr(module, name)
                del module._parameters[name]
                module.register_parameter(name + "_raw", nn.Parameter(w.data))

        def forward(self, *args):
            for name in self.weights:
                raw = getattr(self.module, name + "_raw")
                setattr(self.module, name, F.dropout(raw, p=self.dropout, training=self.training))
            return self.module(*args)

    wd = WeightDrop(nn.LSTM(3, 4), ["weight_hh_l0"], 0.5)
    x = torch.randn(5, 2, 3)
    out, (h, c) = wd(x)
    out.sum().backward()
    return out, h, wd.module.weight_hh_l0_raw.grad, [n for n, _ in wd.named_parameters()]


@program
def lstm_old_weight_norm(torch):
    lstm = torch.nn.utils.weight_norm(torch.nn.LSTM(2, 3), "weight_hh_l0")
    x = torch.randn(4, 1, 2)
    out, _ = lstm(x)
    out.sum().backward()
    return out, lstm.weight_hh_l0_g.grad, lstm.weight_hh_l0_v.grad, list(lstm.state_dict())


@program
def gru_parametrizations_weight_norm(torch):
    gru = torch.nn.GRU(2, 3)
    gru = torch.nn.utils.parametrizations.weight_norm(gru, "weight_ih_l0")
    x = torch.randn(4, 2, 2)
    out, h = gru(x)
    out.sum().backward()
    p = gru.parametrizations.weight_ih_l0
    return out, h, p.original0.grad, p.original1.grad, list(gru.state_dict())


@program
def rnn_spectral_norm(torch):
    rnn = torch.nn.utils.spectral_norm(torch.nn.RNN(2, 3), "weight_hh_l0")
    x = torch.randn(4, 1, 2)
    out, h = rnn(x)
    return out, h, rnn.weight_hh_l0_u


@program
def gru_no_bias_bidirectional_packed(torch):
    gru = torch.nn.GRU(2, 3, bias=False, bidirectional=True, batch_first=True)
    x = torch.randn(3, 4, 2, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [3, 4, 2], True, False)
    out, h = gru(packed)
    padded, lengths = torch.nn.utils.rnn.pad_packed_sequence(out, True, total_length=5)
    (padded.sum() + h.sum()).backward()
    return padded, lengths, h, x.grad


@program
def lstm_proj_packed_bidirectional_dropout(torch):
    lstm = torch.nn.LSTM(2, 4, num_layers=2, proj_size=2, bidirectional=True, dropout=0.3)
    x = torch.randn(5, 3, 2)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [5, 2, 3], enforce_sorted=False)
    out, (h, c) = lstm(packed)
    return out.data, h, c


# ---- batch 8: subclassing the layers ------------------------------------------------------
@program
def encoder_layer_subclass_returns_attention_weights(torch):
    class Layer(torch.nn.TransformerEncoderLayer):
        def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
            x, w = self.self_attn(
                x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                need_weights=True, average_attn_weights=False, is_causal=is_causal,
            )  # fmt: skip
            self.weights = w
            return self.dropout1(x)

    layer = Layer(4, 2, 8, dropout=0.0, batch_first=True)
    x = torch.randn(2, 3, 4)
    y = layer(x, src_mask=torch.nn.Transformer.generate_square_subsequent_mask(3))
    return y, layer.weights


@program
def decoder_layer_subclass_blocks(torch):
    class Layer(torch.nn.TransformerDecoderLayer):
        def _mha_block(self, x, mem, attn_mask, key_padding_mask, is_causal=False):
            x, self.cross = self.multihead_attn(x, mem, mem, key_padding_mask=key_padding_mask)
            return self.dropout2(x)

        def _ff_block(self, x):
            return self.dropout3(self.linear2(torch.tanh(self.linear1(x))))

    layer = Layer(4, 2, 8, dropout=0.0)
    tgt, mem = torch.randn(3, 2, 4), torch.randn(5, 2, 4)
    mkpm = torch.tensor([[False] * 4 + [True], [False] * 5])
    y = layer(tgt, mem, memory_key_padding_mask=mkpm)
    return y, layer.cross


@program
def transformer_private_helpers(torch):
    T = torch.nn.modules.transformer
    layer = torch.nn.Linear(2, 2)
    clones = T._get_clones(layer, 3)
    mask = T._generate_square_subsequent_mask(3)
    return (
        type(clones).__name__,
        len(clones),
        clones[0] is not layer,
        T._get_activation_fn("gelu")(torch.tensor([-1.0, 1.0])),
        T._detect_is_causal_mask(mask),
        T._detect_is_causal_mask(torch.zeros(3, 3)),
        T._detect_is_causal_mask(None, True),
        T._detect_is_causal_mask(mask, size=4),
        T._get_seq_len(torch.zeros(5, 2, 4), False),
        T._get_seq_len(torch.zeros(2, 5, 4), True),
        mask,
    )


@program
def encoder_layer_activation_flags(torch):
    nn = torch.nn
    return [
        nn.TransformerEncoderLayer(4, 2, activation=a).activation_relu_or_gelu
        for a in ("relu", "gelu", nn.ReLU(), nn.GELU(), torch.nn.functional.silu)
    ]


@error(RuntimeError, r"activation should be relu/gelu, not swish")
def decoder_layer_bad_activation(torch):
    return torch.nn.TransformerDecoderLayer(4, 2, activation="swish")


# ---- batch 9: dtypes and defaults ---------------------------------------------------------
@program
def default_dtype_float64_layers(torch):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        lstm = torch.nn.LSTM(2, 3)
        mha = torch.nn.MultiheadAttention(4, 2)
        x = torch.randn(3, 1, 2)
        q = torch.randn(2, 1, 4)
        out, _ = lstm(x)
        att, w = mha(q, q, q)
        mask = torch.nn.Transformer.generate_square_subsequent_mask(2)
    finally:
        torch.set_default_dtype(old)
    return out, att, w, mask.dtype, lstm.weight_ih_l0.dtype


@program
def pad_sequence_left_grads_and_unpad_grads(torch):
    a = torch.randn(2, 3, requires_grad=True)
    b = torch.randn(4, 3, requires_grad=True)
    p = torch.nn.utils.rnn.pad_sequence([a, b], batch_first=True, padding_side="left")
    parts = torch.nn.utils.rnn.unpad_sequence(p, torch.tensor([4, 4]), batch_first=True)
    (parts[0] * torch.arange(12.0).view(4, 3)).sum().backward()
    return p, parts, a.grad, b.grad


@program
def sdpa_grad_only_query_and_value_dim(torch):
    F = torch.nn.functional
    q = torch.randn(2, 4, 3, 8, requires_grad=True)
    k = torch.randn(2, 2, 5, 8)
    v = torch.randn(2, 2, 5, 6, requires_grad=True)
    y = F.scaled_dot_product_attention(q, k, v, enable_gqa=True, scale=-0.2)
    y.sum().backward()
    return y, q.grad, v.grad, k.grad


@program
def sdpa_noncontiguous_inputs(torch):
    F = torch.nn.functional
    x = torch.randn(2, 5, 3, 8, requires_grad=True)  # (B, L, H, E) as many models keep it
    q = x.transpose(1, 2)
    y = F.scaled_dot_product_attention(q, q, q, is_causal=True)
    merged = y.transpose(1, 2).view(2, 5, 24)  # the flash kernel's output is laid out as q
    merged.sum().backward()
    h = F.scaled_dot_product_attention(q.half(), q.half(), q.half())
    return y, merged, x.grad, y.is_contiguous(), h.stride()


@program
def mha_float64_masks_match(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dtype=torch.float64)
    x = torch.randn(3, 2, 4, dtype=torch.float64)
    attn = torch.zeros(3, 3, dtype=torch.float64)
    attn[0, 2] = float("-inf")
    kpm = torch.zeros(2, 3, dtype=torch.float64)
    kpm[1, 1] = -100.0
    return mha(x, x, x, attn_mask=attn, key_padding_mask=kpm), mha(
        x, x, x, attn_mask=attn, key_padding_mask=kpm, need_weights=False
    )


@program
def decoder_gelu_module_clones_compute_relu(torch):
    nn = torch.nn
    layer = nn.TransformerDecoderLayer(8, 2, 12, dropout=0.0, activation=nn.GELU())
    dec = nn.TransformerDecoder(layer, 2)  # PyTorch's deepcopy leaves F.relu in the copies
    model = nn.Transformer(8, 2, 1, 1, 12, dropout=0.0, activation=nn.GELU())
    tgt, mem = torch.randn(3, 2, 8), torch.randn(4, 2, 8)
    return (
        layer(tgt, mem),
        dec(tgt, mem),
        model(mem, tgt),
        getattr(dec.layers[0].activation, "__name__", "module"),
        type(dec.layers[0]._modules["activation"]).__name__,
    )


@program
def sdpa_empty_with_causal_and_mask(torch):
    F = torch.nn.functional
    q, k = torch.randn(2, 0, 4), torch.randn(2, 3, 4)
    a = F.scaled_dot_product_attention(q, k, k, attn_mask=torch.ones(0, 3).bool(), is_causal=True)
    b = F.scaled_dot_product_attention(k, q, q, attn_mask=torch.ones(3, 0).bool(), is_causal=True)
    return a, b


@program
def sdpa_2d_inputs_grad_fn(torch):
    F = torch.nn.functional
    q = torch.randn(3, 4, requires_grad=True)
    k = torch.randn(5, 4)
    y = F.scaled_dot_product_attention(q, k, k)
    y.sum().backward()
    return y, q.grad, y.grad_fn.name()


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)")
def sdpa_gqa_2d_inputs(torch):
    q = torch.randn(3, 4)
    return torch.nn.functional.scaled_dot_product_attention(q, q, q, enable_gqa=True)
