"""Session 6 compatibility sweep of nn: short programs written the way PyTorch users write
them, each run with real PyTorch (the oracle) and with minitorch. A program takes the
framework module and returns what to compare: tensors (values, shape, dtype, requires_grad),
gradients, strings (reprs), numbers, containers of those. An error program must raise the
same exception type in both, with PyTorch's key words (``raises=`` regex) in both messages.
Both runs start from the same seed, and the CPU random stream is PyTorch's, so layers get
the same initial weights."""

from __future__ import annotations

import numpy as np
from sweep_harness import Sweep

import minitorch

SWEEP = Sweep(float64={"rtol": 1e-10, "atol": 1e-12})
program = SWEEP.program


test_program_matches_pytorch = SWEEP.test()


def _grads(*tensors):
    return [t.grad for t in tensors]


# ---- convolution --------------------------------------------------------------------------
@program
def conv2d_padding_modes(torch):
    out = []
    for mode in ("zeros", "reflect", "replicate", "circular"):
        conv = torch.nn.Conv2d(2, 4, (3, 2), padding=(2, 1), padding_mode=mode, dilation=(1, 2))
        x = torch.randn(2, 2, 6, 7, requires_grad=True)
        y = conv(x)
        y.pow(2).sum().backward()
        out += [y, x.grad, conv.weight.grad, repr(conv)]
    return out


@program
def conv1d_same_even_kernel_dilation(torch):
    conv = torch.nn.Conv1d(3, 6, 4, padding="same", dilation=3, groups=3, bias=False)
    x = torch.randn(3, 10, requires_grad=True)  # batchless
    y = conv(x)
    y.sum().backward()
    return y, x.grad, conv.weight.grad, repr(conv)


@program
def conv_transpose2d_output_padding_groups(torch):
    conv = torch.nn.ConvTranspose2d(
        4,
        6,
        (3, 2),
        stride=(2, 3),
        padding=(1, 0),
        output_padding=(1, 2),
        groups=2,
        dilation=(2, 1),
    )
    x = torch.randn(2, 4, 5, 4, requires_grad=True)
    y = conv(x)
    y.sum().backward()
    return y, x.grad, conv.weight.grad, conv.bias.grad, repr(conv)


@program
def conv_transpose1d_output_size(torch):
    conv = torch.nn.ConvTranspose1d(2, 3, 3, stride=2, padding=1)
    x = torch.randn(1, 2, 5)
    return conv(x, output_size=[10]), conv(x, output_size=[1, 3, 9])


@program(raises="output padding must be smaller than either stride or dilation")
def conv_transpose_bad_output_padding(torch):
    conv = torch.nn.ConvTranspose1d(2, 3, 3, stride=2, output_padding=2)
    return conv(torch.randn(1, 2, 5))


@program(raises="padding='same' is not supported for strided convolutions")
def conv_same_strided(torch):
    return torch.nn.Conv2d(1, 1, 3, stride=2, padding="same")


@program
def conv3d_valid_float64(torch):
    conv = torch.nn.Conv3d(2, 2, (2, 3, 1), padding="valid", stride=(1, 2, 1)).double()
    x = torch.randn(1, 2, 4, 5, 3, dtype=torch.float64, requires_grad=True)
    y = conv(x)
    y.sum().backward()
    return y, x.grad, conv.weight.grad


@program(raises="Expected 3D \\(unbatched\\) or 4D \\(batched\\) input to conv2d")
def conv2d_wrong_rank(torch):
    return torch.nn.Conv2d(1, 1, 3)(torch.randn(2, 1, 1, 5, 5))


@program(raises="expected input\\[1, 3, 5, 5\\] to have 2 channels, but got 3 channels")
def conv2d_wrong_channels(torch):
    return torch.nn.Conv2d(2, 1, 3)(torch.randn(1, 3, 5, 5))


# ---- pooling ------------------------------------------------------------------------------
@program
def max_pool2d_ceil_indices_unpool(torch):
    pool = torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True, return_indices=True)
    unpool = torch.nn.MaxUnpool2d(3, stride=2, padding=1)
    x = torch.randn(2, 3, 8, 7, requires_grad=True)
    y, idx = pool(x)
    z = unpool(y, idx, output_size=x.shape)
    z.sum().backward()
    return y, idx, z, x.grad, repr(pool), repr(unpool)


@program
def max_pool1d_dilation(torch):
    x = torch.randn(2, 3, 11, requires_grad=True)
    y, idx = torch.nn.functional.max_pool1d(
        x, 3, 2, 1, dilation=2, ceil_mode=True, return_indices=True
    )
    (y * torch.arange(y.shape[-1])).sum().backward()
    return y, idx, x.grad


@program
def avg_pool2d_options(torch):
    x = torch.randn(1, 2, 7, 6, requires_grad=True)
    ys = [
        torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)(x),
        torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=True)(x),
        torch.nn.AvgPool2d((2, 3), divisor_override=2)(x),
    ]
    sum(y.sum() for y in ys).backward()
    return ys + [x.grad, repr(torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True, divisor_override=2))]


@program
def avg_pool1d_ceil_count_pad(torch):
    x = torch.randn(2, 3, 10, requires_grad=True)
    y = torch.nn.functional.avg_pool1d(x, 4, 3, 2, ceil_mode=True, count_include_pad=True)
    y.sum().backward()
    return y, x.grad


@program
def adaptive_pools_non_divisible(torch):
    x = torch.randn(2, 3, 7, 9, requires_grad=True)
    a = torch.nn.AdaptiveAvgPool2d((3, None))(x)
    m, idx = torch.nn.AdaptiveMaxPool2d((4, 5), return_indices=True)(x)
    c = torch.nn.AdaptiveAvgPool1d(4)(x[0])
    (a.sum() + m.sum() + c.sum()).backward()
    return a, m, idx, c, x.grad, repr(torch.nn.AdaptiveAvgPool2d((3, None)))


@program
def lp_pool_and_fractional_shapes(torch):
    x = torch.rand(1, 2, 6, 6, requires_grad=True)
    y = torch.nn.LPPool2d(2, 3, stride=2)(x)
    z = torch.nn.LPPool1d(1.5, 2)(x[0])
    (y.sum() + z.sum()).backward()
    return y, z, x.grad, repr(torch.nn.LPPool2d(2, 3, stride=2))


@program(raises="pad should be at most half of effective kernel size")
def max_pool_pad_too_big(torch):
    return torch.nn.functional.max_pool2d(torch.randn(1, 1, 5, 5), 2, padding=2)


# ---- normalization ------------------------------------------------------------------------
@program
def batchnorm_cumulative_momentum(torch):
    bn = torch.nn.BatchNorm1d(3, momentum=None)
    for i in range(3):
        bn(torch.randn(4, 3) * (i + 1) + i)
    bn.eval()
    y = bn(torch.randn(1, 3))
    return y, bn.running_mean, bn.running_var, bn.num_batches_tracked, list(bn.state_dict())


@program
def batchnorm_no_running_stats(torch):
    bn = torch.nn.BatchNorm2d(2, track_running_stats=False, affine=False)
    x = torch.randn(3, 2, 4, 4, requires_grad=True)
    bn.eval()
    y = bn(x)
    y.pow(3).sum().backward()
    return y, x.grad, bn.running_mean, list(bn.state_dict()), repr(bn)


@program(raises="Expected more than 1 value per channel when training")
def batchnorm_train_batch_of_one(torch):
    return torch.nn.BatchNorm1d(3)(torch.randn(1, 3))


@program
def batchnorm_eval_batch_of_one_and_half(torch):
    bn = torch.nn.BatchNorm1d(3).half()
    bn.running_mean.fill_(0.5)
    bn.eval()
    return bn(torch.randn(1, 3, 2).half()), bn.weight.dtype, bn.running_var.dtype


@program
def instance_norm_running_stats(torch):
    inn = torch.nn.InstanceNorm1d(3, affine=True, track_running_stats=True)
    x = torch.randn(2, 3, 5, requires_grad=True)
    y = inn(x)
    y.sin().sum().backward()
    inn.eval()
    return y, x.grad, inn.running_mean, inn.running_var, inn(x[0]), repr(inn)


@program
def group_norm_and_layer_norm_variants(torch):
    x = torch.randn(2, 6, 3, requires_grad=True)
    gn = torch.nn.GroupNorm(3, 6, eps=1e-3)
    ln = torch.nn.LayerNorm([6, 3], elementwise_affine=False)
    ln2 = torch.nn.LayerNorm(3, bias=False)
    ys = [gn(x), ln(x), ln2(x)]
    sum(y.sin().sum() for y in ys).backward()
    return ys + [x.grad, repr(gn), repr(ln), repr(ln2), list(ln2.state_dict())]


@program
def rms_norm_eps_none(torch):
    rn = torch.nn.RMSNorm([4], eps=None)
    rn2 = torch.nn.RMSNorm(4, eps=1e-2, elementwise_affine=False)
    x = torch.randn(3, 4, requires_grad=True)
    y = rn(x) + rn2(x)
    y.pow(2).sum().backward()
    return y, x.grad, rn.weight.grad, repr(rn), repr(rn2)


@program
def local_response_norm(torch):
    x = torch.randn(2, 5, 4, 4, requires_grad=True)
    lrn = torch.nn.LocalResponseNorm(3, alpha=1e-2, beta=0.75, k=2.0)
    y = lrn(x)
    y.sum().backward()
    return y, x.grad, repr(lrn)


# ---- embedding ----------------------------------------------------------------------------
@program
def embedding_max_norm_renorms_weight(torch):
    emb = torch.nn.Embedding(6, 3, max_norm=1.0, norm_type=2.0)
    idx = torch.tensor([[0, 2], [2, 5]])
    y = emb(idx)
    y.sum().backward()
    return y, emb.weight, emb.weight.grad, repr(emb)


@program
def embedding_scale_grad_padding_idx(torch):
    emb = torch.nn.Embedding(5, 2, padding_idx=-1, scale_grad_by_freq=True)
    idx = torch.tensor([1, 1, 4, 2, 1])
    emb(idx).pow(2).sum().backward()
    return emb.weight.grad, emb.padding_idx, repr(emb)


@program
def embedding_from_pretrained_freeze(torch):
    w = torch.arange(12.0).reshape(4, 3)
    frozen = torch.nn.Embedding.from_pretrained(w)
    free = torch.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=0)
    return (
        frozen(torch.tensor([3, 0])),
        frozen.weight.requires_grad,
        free.weight.requires_grad,
        repr(free),
        free(torch.tensor([[0]])),
    )


@program(raises="Padding_idx must be within num_embeddings")
def embedding_bad_padding_idx(torch):
    return torch.nn.Embedding(3, 2, padding_idx=3)


@program
def embedding_bag_modes(torch):
    out = []
    for mode in ("sum", "mean", "max"):
        bag = torch.nn.EmbeddingBag(7, 3, mode=mode)
        inp = torch.tensor([1, 2, 4, 5, 4, 3, 2, 6])
        offsets = torch.tensor([0, 3, 3, 6])
        y = bag(inp, offsets)
        y.pow(2).sum().backward()
        out += [y, bag.weight.grad, repr(bag)]
    bag = torch.nn.EmbeddingBag(7, 3, mode="sum")
    w = torch.rand(8)
    out.append(
        bag(torch.tensor([1, 2, 4, 5, 4, 3, 2, 6]), torch.tensor([0, 4]), per_sample_weights=w)
    )
    out.append(
        bag(
            torch.tensor([1, 2, 4, 5]),
            torch.tensor([0, 2]),
        )
    )
    out.append(
        torch.nn.EmbeddingBag(7, 3, mode="mean")(
            torch.tensor([1, 2, 4, 5]),
            torch.tensor([0, 2, 4]),
        )
    )
    return out


@program
def embedding_bag_include_last_offset_padding(torch):
    bag = torch.nn.EmbeddingBag(6, 2, mode="mean", include_last_offset=True, padding_idx=0)
    y = bag(torch.tensor([0, 1, 2, 0, 3, 4]), torch.tensor([0, 2, 4, 6]))
    return y, repr(bag)


# ---- recurrent ----------------------------------------------------------------------------
@program
def gru_bidirectional_two_layers_h0(torch):
    gru = torch.nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    x = torch.randn(2, 5, 3, requires_grad=True)
    h0 = torch.randn(4, 2, 4, requires_grad=True)
    out, hn = gru(x, h0)
    (out.sum() + hn.pow(2).sum()).backward()
    return out, hn, x.grad, h0.grad, gru.weight_hh_l1_reverse.grad, repr(gru)


@program
def rnn_relu_batchless(torch):
    rnn = torch.nn.RNN(3, 2, nonlinearity="relu", bias=False)
    x = torch.randn(4, 3)
    out, h = rnn(x)
    out2, h2 = rnn(x, torch.zeros(1, 2))
    return out, h, out2, h2, repr(rnn)


@program(raises="For unbatched 2-D input, hx should also be 2-D but got 3-D tensor")
def rnn_batchless_bad_hx(torch):
    return torch.nn.RNN(3, 2)(torch.randn(4, 3), torch.zeros(1, 1, 2))


@program(raises="For unbatched 2-D input, hx and cx should also be 2-D but got \\(2-D, 3-D\\)")
def lstm_batchless_bad_cx(torch):
    return torch.nn.LSTM(3, 2)(torch.randn(4, 3), (torch.zeros(1, 2), torch.zeros(1, 1, 2)))


@program(raises="Expected hidden\\[1\\] size \\(2, 3, 4\\), got \\[1, 3, 4\\]")
def lstm_wrong_cell_state_size(torch):
    lstm = torch.nn.LSTM(2, 4, num_layers=2)
    return lstm(torch.randn(5, 3, 2), (torch.zeros(2, 3, 4), torch.zeros(1, 3, 4)))


@program
def lstm_packed_unsorted_with_state(torch):
    lstm = torch.nn.LSTM(2, 3)
    seqs = [torch.randn(n, 2) for n in (2, 4, 3)]
    padded = torch.nn.utils.rnn.pad_sequence(seqs)
    packed = torch.nn.utils.rnn.pack_padded_sequence(padded, [2, 4, 3], enforce_sorted=False)
    h0, c0 = torch.randn(1, 3, 3), torch.randn(1, 3, 3)
    out, (h, c) = lstm(packed, (h0, c0))
    unpacked, lengths = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=5)
    return (
        unpacked,
        lengths,
        h,
        c,
        packed.batch_sizes,
        packed.sorted_indices,
        packed.unsorted_indices,
    )


@program
def pack_sequence_roundtrip(torch):
    seqs = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])]
    packed = torch.nn.utils.rnn.pack_sequence(seqs)
    back = torch.nn.utils.rnn.unpack_sequence(packed)
    padded = torch.nn.utils.rnn.pad_sequence(
        seqs, batch_first=True, padding_value=-1, padding_side="left"
    )
    return (
        packed.data,
        packed.batch_sizes,
        back,
        padded,
        torch.nn.utils.rnn.unpad_sequence(
            padded.flip(1), torch.tensor([3, 2, 1]), batch_first=True
        ),
    )


@program
def rnn_cells(torch):
    x = torch.randn(3, 4)
    out = []
    for cell in (
        torch.nn.RNNCell(4, 2, nonlinearity="relu"),
        torch.nn.GRUCell(4, 2),
        torch.nn.LSTMCell(4, 2, bias=False),
    ):
        out.append(cell(x))
        out.append(cell(x[0]))
        out.append(repr(cell))
    return out


@program
def lstm_dropout_warning_and_eval(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lstm = torch.nn.LSTM(3, 3, num_layers=1, dropout=0.5)
    lstm.eval()
    out, _ = lstm(torch.randn(2, 1, 3))
    return out, [str(x.message) for x in w], repr(lstm)


# ---- attention / transformer --------------------------------------------------------------
@program
def mha_kdim_vdim_masks(torch):
    mha = torch.nn.MultiheadAttention(8, 2, kdim=6, vdim=4, batch_first=True)
    q, k, v = torch.randn(2, 3, 8), torch.randn(2, 5, 6), torch.randn(2, 5, 4)
    kpm = torch.tensor([[False, False, False, True, True], [False] * 5])
    attn = torch.zeros(3, 5)
    attn[0, 2] = float("-inf")
    out, w = mha(q, k, v, key_padding_mask=kpm, attn_mask=attn, average_attn_weights=False)
    out2, w2 = mha(q, k, v, need_weights=False)
    return out, w, out2, w2


@program
def mha_float_key_padding_mask_3d_attn_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 2, dropout=0.0, bias=False)
    x = torch.randn(3, 2, 4)
    kpm = torch.zeros(2, 3)
    kpm[1, 0] = -1e4
    mask = torch.randn(4, 3, 3)
    out, w = mha(x, x, x, key_padding_mask=kpm, attn_mask=mask)
    return out, w, repr(mha)


@program
def mha_is_causal(torch):
    mha = torch.nn.MultiheadAttention(4, 1, batch_first=True)
    x = torch.randn(1, 4, 4)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    out, w = mha(x, x, x, attn_mask=mask, is_causal=True)
    return out, w, mask


@program(raises="attn_mask")
def mha_is_causal_without_mask(torch):
    mha = torch.nn.MultiheadAttention(4, 1)
    x = torch.randn(4, 1, 4)
    return mha(x, x, x, is_causal=True)


@program
def transformer_encoder_masks(torch):
    layer = torch.nn.TransformerEncoderLayer(
        8, 2, dim_feedforward=16, dropout=0.0, batch_first=True, norm_first=True, activation="gelu"
    )
    enc = torch.nn.TransformerEncoder(
        layer, 2, enable_nested_tensor=False, norm=torch.nn.LayerNorm(8)
    )
    x = torch.randn(2, 5, 8, requires_grad=True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5)
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    y = enc(x, mask=mask, src_key_padding_mask=kpm)
    y.sum().backward()
    return y, x.grad, enc.layers[1].linear1.weight.grad


@program
def transformer_full(torch):
    model = torch.nn.Transformer(
        d_model=8,
        nhead=2,
        num_encoder_layers=1,
        num_decoder_layers=2,
        dim_feedforward=12,
        dropout=0.0,
    )
    src, tgt = torch.randn(6, 2, 8), torch.randn(4, 2, 8)
    tgt_mask = model.generate_square_subsequent_mask(4)
    y = model(src, tgt, tgt_mask=tgt_mask, tgt_is_causal=True)
    return y, len(list(model.parameters())), [n for n, _ in model.named_parameters()][:8]


@program
def transformer_decoder_layer_memory_mask(torch):
    dec = torch.nn.TransformerDecoderLayer(
        4, 2, 8, dropout=0.0, activation=torch.nn.functional.relu
    )
    tgt, mem = torch.randn(3, 1, 4), torch.randn(5, 1, 4)
    mm = torch.zeros(3, 5, dtype=torch.bool)
    mm[:, -1] = True
    return dec(
        tgt, mem, memory_mask=mm, memory_key_padding_mask=torch.tensor([[False] * 4 + [True]])
    )


@program
def generate_square_subsequent_mask_dtype(torch):
    m = torch.nn.Transformer.generate_square_subsequent_mask(3, dtype=torch.float64)
    return m, torch.nn.Transformer.generate_square_subsequent_mask(0)


# ---- losses -------------------------------------------------------------------------------
@program
def cross_entropy_weight_ignore_smoothing(torch):
    F = torch.nn.functional
    x = torch.randn(5, 4, requires_grad=True)
    t = torch.tensor([0, 3, -100, 1, 3])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5])
    out = []
    for red in ("none", "mean", "sum"):
        out.append(
            F.cross_entropy(x, t, weight=w, ignore_index=-100, label_smoothing=0.2, reduction=red)
        )
    sum(o.sum() for o in out).backward()
    return out + [x.grad]


@program
def cross_entropy_k_dim_and_probs(torch):
    F = torch.nn.functional
    x = torch.randn(2, 3, 4, 2, requires_grad=True)
    t = torch.randint(0, 3, (2, 4, 2))
    t[0, 0, 0] = 1
    p = torch.softmax(torch.randn(2, 3, 4, 2), 1)
    a = F.cross_entropy(x, t, ignore_index=1, label_smoothing=0.1)
    b = F.cross_entropy(x, p, label_smoothing=0.3, weight=torch.tensor([1.0, 0.5, 2.0]))
    c = torch.nn.CrossEntropyLoss(reduction="none")(x[:1], t[:1])
    (a + b + c.sum()).backward()
    return a, b, c, x.grad


@program
def cross_entropy_all_ignored(torch):
    x = torch.randn(3, 4, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x, torch.tensor([-100, -100, -100]))
    loss.backward()
    return loss, x.grad


@program(raises="out of bounds")
def cross_entropy_target_out_of_range(torch):
    return torch.nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 4, 1]))


@program
def nll_loss_weight_none_reduction_2d(torch):
    x = torch.log_softmax(torch.randn(2, 3, 5), 1).requires_grad_()
    t = torch.tensor([[0, 1, 2, 1, 0], [2, 2, 1, 0, -1]])
    loss = torch.nn.NLLLoss(weight=torch.tensor([0.2, 1.0, 3.0]), ignore_index=-1)(x, t)
    loss.backward()
    return loss, x.grad


@program
def bce_family(torch):
    F = torch.nn.functional
    x = torch.randn(3, 4, requires_grad=True)
    t = torch.rand(3, 4)
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
    out = [
        F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, weight=torch.rand(4)),
        F.binary_cross_entropy(torch.sigmoid(x), t, reduction="sum"),
        torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=pw)(x, t),
    ]
    sum(o.sum() for o in out).backward()
    return out + [x.grad, repr(torch.nn.BCEWithLogitsLoss(pos_weight=pw))]


@program(
    raises="Using a target size \\(torch.Size\\(\\[3\\]\\)\\) that is different to the input size"
)
def bce_shape_mismatch(torch):
    return torch.nn.functional.binary_cross_entropy(torch.rand(3, 1), torch.rand(3))


@program
def regression_losses(torch):
    F = torch.nn.functional
    x = torch.randn(4, 3, requires_grad=True)
    y = torch.randn(4, 3)
    out = [
        F.smooth_l1_loss(x, y, beta=0.5),
        F.huber_loss(x, y, delta=0.3, reduction="sum"),
        F.l1_loss(x, y, reduction="none"),
        F.mse_loss(x, y),
        F.smooth_l1_loss(x, y, beta=0.0),
    ]
    sum(o.sum() for o in out).backward()
    return out + [x.grad]


@program
def poisson_gaussian_nll(torch):
    F = torch.nn.functional
    x = torch.randn(4, 3, requires_grad=True)
    t = torch.rand(4, 3) * 3
    var = torch.rand(4, 1, requires_grad=True)
    out = [
        F.poisson_nll_loss(x, t),
        F.poisson_nll_loss(x.exp(), t, log_input=False, full=True),
        F.gaussian_nll_loss(x, t, var),
        F.gaussian_nll_loss(x, t, var, full=True, eps=1e-3, reduction="none"),
        F.gaussian_nll_loss(x, t, torch.rand(4)[:, None].expand(4, 3).contiguous()[:, 0]),
    ]
    sum(o.sum() for o in out).backward()
    return out + [x.grad, var.grad]


@program
def ranking_losses(torch):
    F = torch.nn.functional
    a, b = torch.randn(5, 4, requires_grad=True), torch.randn(5, 4, requires_grad=True)
    c = torch.randn(5, 4)
    y = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0])
    out = [
        F.margin_ranking_loss(a[:, 0], b[:, 0], y, margin=0.2),
        F.triplet_margin_loss(a, b, c, margin=0.5, p=1.5, swap=True),
        F.cosine_embedding_loss(a, b, y, margin=0.1, reduction="none"),
        F.hinge_embedding_loss(a, torch.sign(c), margin=0.7),
        F.soft_margin_loss(a, torch.sign(c)),
        F.multilabel_soft_margin_loss(a, (c > 0).float(), weight=torch.rand(4)),
        F.multilabel_margin_loss(a, torch.tensor([[3, 0, -1, 1]] * 5)),
        F.multi_margin_loss(
            a, torch.tensor([0, 1, 2, 3, 0]), p=2, margin=0.5, weight=torch.rand(4)
        ),
        F.triplet_margin_with_distance_loss(a, b, c, distance_function=F.cosine_similarity),
        F.kl_div(F.log_softmax(a, 1), F.softmax(c, 1), reduction="batchmean"),
        F.kl_div(F.log_softmax(a, 1), F.log_softmax(c, 1), reduction="sum", log_target=True),
    ]
    sum(o.sum() for o in out).backward()
    return out + [a.grad, b.grad]


@program
def ctc_loss_variants(torch):
    T, C, N, S = 12, 5, 3, 4
    logp = torch.randn(T, N, C).log_softmax(2).detach().requires_grad_()
    targets = torch.randint(1, C, (N, S), dtype=torch.long)
    in_len = torch.tensor([12, 10, 11])
    tgt_len = torch.tensor([4, 2, 3])
    ctc = torch.nn.CTCLoss(blank=0, reduction="none", zero_infinity=True)
    a = ctc(logp, targets, in_len, tgt_len)
    flat = torch.cat([targets[i, : tgt_len[i]] for i in range(N)])
    b = torch.nn.functional.ctc_loss(logp, flat, in_len, tgt_len, reduction="mean")
    (a.sum() + b).backward()
    return a, b, logp.grad


@program
def ctc_loss_impossible_alignment(torch):
    logp = torch.randn(2, 1, 3).log_softmax(2).requires_grad_()
    t = torch.tensor([[1, 1, 2]])
    a = torch.nn.functional.ctc_loss(logp, t, [2], [3], reduction="sum")
    b = torch.nn.functional.ctc_loss(logp, t, [2], [3], reduction="sum", zero_infinity=True)
    b.backward()
    return a, b, logp.grad


# ---- functional ---------------------------------------------------------------------------
@program
def interpolate_modes(torch):
    F = torch.nn.functional
    x = torch.randn(1, 2, 5, 7, requires_grad=True)
    out = [
        F.interpolate(x, scale_factor=1.7, mode="nearest"),
        F.interpolate(x, scale_factor=(0.6, 1.3), mode="nearest-exact"),
        F.interpolate(x, size=(8, 4), mode="bilinear", align_corners=True),
        F.interpolate(x, scale_factor=1.5, mode="bilinear", recompute_scale_factor=True),
        F.interpolate(x, scale_factor=2.3, mode="bicubic", align_corners=False),
        F.interpolate(x, size=(3, 3), mode="area"),
        F.interpolate(x, scale_factor=0.5, mode="bilinear", antialias=True),
        F.interpolate(x[0], scale_factor=1.4, mode="linear"),
    ]
    sum(o.sum() for o in out).backward()
    return out + [x.grad]


@program
def interpolate_antialias(torch):
    F = torch.nn.functional
    x = torch.randn(2, 3, 9, 13, dtype=torch.float64, requires_grad=True)
    out = []
    for mode in ("bilinear", "bicubic"):
        for ac in (False, True):
            out.append(
                F.interpolate(
                    x, scale_factor=(0.3, 1.7), mode=mode, align_corners=ac, antialias=True
                )
            )
            out.append(F.interpolate(x, size=(4, 20), mode=mode, align_corners=ac, antialias=True))
    sum(o.sin().sum() for o in out).backward()
    return out + [x.grad]


@program(raises="Anti-alias option is restricted to bilinear, bicubic, and lanczos modes")
def interpolate_antialias_nearest(torch):
    return torch.nn.functional.interpolate(
        torch.randn(1, 1, 4, 4), scale_factor=0.5, antialias=True
    )


@program(raises="only one of size or scale_factor should be defined")
def interpolate_size_and_scale(torch):
    return torch.nn.functional.interpolate(torch.randn(1, 1, 4), size=3, scale_factor=2.0)


@program
def upsample_modules_repr(torch):
    up = torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    ups = torch.nn.UpsamplingNearest2d(size=(3, 5))
    x = torch.randn(1, 1, 2, 2)
    return up(x), ups(x), repr(up), repr(ups), repr(torch.nn.UpsamplingBilinear2d(scale_factor=2))


@program
def grid_sample_affine_grid(torch):
    F = torch.nn.functional
    theta = torch.tensor([[[0.9, 0.2, 0.1], [-0.1, 1.1, -0.2]]], requires_grad=True)
    x = torch.randn(1, 2, 5, 6, requires_grad=True)
    out = []
    for ac in (False, True):
        grid = F.affine_grid(theta, (1, 2, 4, 5), align_corners=ac)
        for mode in ("bilinear", "nearest", "bicubic"):
            for pad in ("zeros", "border", "reflection"):
                out.append(F.grid_sample(x, grid, mode=mode, padding_mode=pad, align_corners=ac))
    sum(o.sum() for o in out).backward()
    return out + [x.grad, theta.grad]


@program
def grid_sample_far_outside_float64(torch):
    x = torch.randn(2, 3, 4, 5, dtype=torch.float64, requires_grad=True)
    grid = (torch.rand(2, 3, 7, 2, dtype=torch.float64) * 7 - 3.5).requires_grad_()
    out = []
    for ac in (False, True):
        for mode in ("bilinear", "nearest", "bicubic"):
            for pad in ("zeros", "border", "reflection"):
                out.append(torch.nn.functional.grid_sample(x, grid, mode, pad, ac))
    sum(o.sin().sum() for o in out).backward()
    return out + [x.grad, grid.grad]


@program
def pad_modes(torch):
    F = torch.nn.functional
    x = torch.randn(1, 2, 4, 5, requires_grad=True)
    out = [
        F.pad(x, (1, 2, 3, 0), mode="reflect"),
        F.pad(x[0], (2, 1), mode="replicate"),
        F.pad(x, (1, 1, 2, 2), mode="circular"),
        F.pad(x, (-1, 2, 0, 1), value=3.5),
        F.pad(x[0], (1, 1, 1, 1), mode="reflect"),
        torch.nn.ReflectionPad1d((0, 2))(x[0]),
        torch.nn.ZeroPad2d((1, 0, 0, 1))(x),
        torch.nn.ConstantPad3d(1, -1.0)(x),
        torch.nn.CircularPad2d(1)(x),
    ]
    sum(o.sum() for o in out).backward()
    return out + [x.grad, repr(torch.nn.ReplicationPad2d((1, 0, 2, 3)))]


@program(raises="Padding size should be less than the corresponding input dimension")
def pad_reflect_too_big(torch):
    return torch.nn.functional.pad(torch.randn(1, 1, 3), (3, 0), mode="reflect")


@program(raises="Padding value causes wrapping around more than once")
def pad_circular_too_big(torch):
    return torch.nn.functional.pad(torch.randn(1, 2, 3), (4, 0), mode="circular")


@program
def unfold_fold(torch):
    F = torch.nn.functional
    x = torch.randn(2, 3, 6, 5, requires_grad=True)
    cols = F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    back = F.fold(cols, (6, 5), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    back.sum().backward()
    return cols, back, x.grad, repr(torch.nn.Fold((6, 5), 2)), repr(torch.nn.Unfold(2, stride=2))


@program
def distances_and_normalize(torch):
    F = torch.nn.functional
    a = torch.randn(4, 3, requires_grad=True)
    b = torch.randn(1, 3, requires_grad=True)
    out = [
        F.normalize(a, p=1, dim=0),
        F.normalize(a, eps=0.5),
        F.cosine_similarity(a, b, dim=1, eps=1e-3),
        F.pairwise_distance(a, b, p=3, keepdim=True),
        F.pairwise_distance(a, b, eps=0.1),
        F.pdist(a, p=1.5),
        torch.cdist(a, b),
        torch.nn.CosineSimilarity(dim=0)(a, a + 1),
        torch.nn.PairwiseDistance(p=1)(a, b),
    ]
    sum(o.sum() for o in out).backward()
    return out + [a.grad, b.grad]


@program
def cosine_similarity_zero_vector(torch):
    a = torch.zeros(2, 3, requires_grad=True)
    b = torch.ones(2, 3)
    c = torch.nn.functional.cosine_similarity(a, b)
    c.sum().backward()
    return c, a.grad


@program
def functional_embedding_max_norm(torch):
    w = torch.randn(5, 3) * 3
    idx = torch.tensor([0, 4, 4])
    y = torch.nn.functional.embedding(idx, w, max_norm=2.0, norm_type=1.0)
    return y, w


@program
def activations_inplace_and_params(torch):
    x = torch.randn(3, 4)
    acts = [
        torch.nn.ReLU6(),
        torch.nn.Hardtanh(-0.5, 0.5),
        torch.nn.ELU(0.5),
        torch.nn.CELU(2.0),
        torch.nn.LeakyReLU(0.2),
        torch.nn.Softplus(2, 1),
        torch.nn.Threshold(0.1, -2.0),
        torch.nn.GELU("tanh"),
        torch.nn.Softmax2d(),
        torch.nn.Hardshrink(0.3),
        torch.nn.Softshrink(0.3),
        torch.nn.GLU(-1),
        torch.nn.PReLU(4, 0.1),
        torch.nn.SiLU(),
        torch.nn.Mish(),
        torch.nn.Hardswish(),
        torch.nn.LogSigmoid(),
        torch.nn.Softmin(1),
        torch.nn.Tanhshrink(),
        torch.nn.SELU(),
        torch.nn.RReLU(0.1, 0.3),
    ]
    out = []
    for a in acts:
        out += [a(x[None] if isinstance(a, torch.nn.Softmax2d) else x), repr(a)]
    y = x.clone()
    torch.nn.ReLU(inplace=True)(y)
    return out + [y, repr(torch.nn.ReLU(inplace=True)), repr(torch.nn.ELU(inplace=True))]


@program
def dropout_variants_reprs(torch):
    x = torch.ones(2, 3, 4, 4)
    torch.manual_seed(3)
    d2 = torch.nn.Dropout2d(0.5)(x)
    a = torch.nn.AlphaDropout(0.2)(x)
    d1 = torch.nn.Dropout1d(0.3)(x[0])
    return d2, a, d1, repr(torch.nn.Dropout(0.1, inplace=True)), repr(torch.nn.Dropout3d())


# ---- Module API ---------------------------------------------------------------------------
@program
def state_dict_prefix_keep_vars(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    sd = net.state_dict(prefix="model.", keep_vars=True)
    sd2 = net.state_dict()
    return (
        list(sd),
        sd["model.0.weight"].requires_grad,
        sd2["0.weight"].requires_grad,
        type(sd).__name__,
        sd2["1.num_batches_tracked"],
    )


@program
def load_state_dict_non_strict_result(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    sd = {"0.weight": torch.ones(3, 2), "extra": torch.zeros(1), "2.bias": torch.zeros(1)}
    res = net.load_state_dict(sd, strict=False)
    return repr(res), res.missing_keys, res.unexpected_keys, net[0].weight


@program(raises="size mismatch for 0.weight: copying a param with shape torch.Size\\(\\[2, 2\\]\\)")
def load_state_dict_size_mismatch(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3))
    return net.load_state_dict({"0.weight": torch.ones(2, 2), "0.bias": torch.ones(3)})


@program
def load_state_dict_assign(torch):
    lin = torch.nn.Linear(2, 2)
    w = torch.ones(2, 2, dtype=torch.float64)
    lin.load_state_dict({"weight": w, "bias": torch.zeros(2)}, assign=True)
    return lin.weight, type(lin.weight).__name__, lin.weight.dtype, lin.weight.requires_grad


@program
def named_modules_duplicates(torch):
    lin = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(lin, torch.nn.ReLU(), lin)
    return (
        [n for n, _ in net.named_modules()],
        [n for n, _ in net.named_modules(remove_duplicate=False)],
        [n for n, _ in net.named_parameters(remove_duplicate=False)],
        len(list(net.parameters())),
        list(net.state_dict()),
    )


@program
def submodule_parameter_lookup(torch):
    net = torch.nn.Sequential()
    net.add_module("block", torch.nn.Sequential(torch.nn.Linear(2, 2)))
    net.register_module("head", torch.nn.Linear(2, 1))
    net.block.register_buffer("scale", torch.ones(1), persistent=False)
    return (
        repr(net.get_submodule("block.0")),
        net.get_parameter("head.bias").shape,
        net.get_buffer("block.scale"),
        list(net.state_dict()),
        repr(net),
    )


@program(raises="has no attribute `missing`")
def get_submodule_missing(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    return net.get_submodule("0.missing")


@program(
    raises="cannot assign 'torch.FloatTensor' as parameter 'weight' \\(torch.nn.Parameter or None expected\\)"
)
def setattr_tensor_over_parameter(torch):
    lin = torch.nn.Linear(2, 2)
    lin.weight = torch.ones(2, 2)


@program(raises="cannot assign module before Module.__init__\\(\\) call")
def setattr_before_init(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            self.lin = torch.nn.Linear(1, 1)

    return Net()


@program
def sequential_api(torch):
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    out = [repr(seq[1:]), repr(seq[-1]), len(seq)]
    seq.insert(1, torch.nn.Tanh())
    seq.append(torch.nn.Sigmoid())
    seq.extend([torch.nn.Identity()])
    popped = seq.pop(0)
    both = seq + torch.nn.Sequential(torch.nn.Flatten())
    del seq[0]
    out += [repr(seq), repr(popped), repr(both), repr(seq * 2), repr(2 * seq)]
    same = id(seq)
    seq += torch.nn.Sequential(torch.nn.ReLU())
    seq *= 2
    out += [repr(seq), id(seq) == same, len(list(seq.modules()))]
    return out


@program(raises="Non-positive multiplication factor 0")
def sequential_times_zero(torch):
    return torch.nn.Sequential(torch.nn.ReLU()) * 0


@program(raises="unsupported operand type")
def sequential_times_float(torch):
    return torch.nn.Sequential(torch.nn.ReLU()) * 1.5


@program
def module_dict_parameter_dict(torch):
    md = torch.nn.ModuleDict({"a": torch.nn.Linear(1, 1), "b": torch.nn.ReLU()})
    md.update([("c", torch.nn.Tanh())])
    popped = md.pop("a")
    pd = torch.nn.ParameterDict({"x": torch.nn.Parameter(torch.ones(2)), "y": torch.zeros(1)})
    pd["z"] = torch.tensor([3.0])
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1)), torch.zeros(2)])
    pl.append(torch.ones(3))
    return (
        repr(md),
        list(md.keys()),
        repr(popped),
        repr(pd),
        list(pd.keys()),
        pd["y"].requires_grad,
        type(pd["z"]).__name__,
        repr(pl),
        [type(p).__name__ for p in pl],
        "x" in pd,
        pd.get("q", 5),
        repr(torch.nn.ModuleList()),
    )


@program
def extra_repr_of_layers(torch):
    nn = torch.nn
    layers = [
        nn.Linear(2, 3, bias=False),
        nn.Bilinear(2, 3, 4),
        nn.Conv2d(1, 2, 3, padding="same", padding_mode="reflect"),
        nn.ConvTranspose2d(1, 2, 3, output_padding=0, bias=False),
        nn.MaxPool2d(2),
        nn.MaxPool1d(3, 1, 1, 2, True, True),
        nn.AvgPool1d(2),
        nn.BatchNorm2d(3, eps=1e-3, momentum=None),
        nn.Flatten(0, -1),
        nn.Unflatten(1, (2, 2)),
        nn.Embedding(3, 2, sparse=False, max_norm=2),
        nn.LSTM(2, 3, 2, bias=False),
        nn.Softmax(dim=-1),
        nn.Softmax(),
        nn.LogSoftmax(1),
        nn.Identity(3, k=2),
        nn.PixelShuffle(2),
        nn.PixelUnshuffle(3),
        nn.ChannelShuffle(2),
        nn.Hardsigmoid(),
        nn.CrossEntropyLoss(label_smoothing=0.1),
        nn.MSELoss(),
        nn.TransformerEncoderLayer(4, 2),
        nn.MultiheadAttention(4, 2, kdim=3),
        nn.LazyLinear(3),
        nn.Conv1d(2, 2, 3, groups=2, dilation=2, stride=2),
        nn.GroupNorm(1, 2, affine=False),
        nn.ZeroPad1d(2),
        nn.InstanceNorm2d(3),
        nn.Upsample(size=4),
        nn.AdaptiveMaxPool1d(3),
        nn.FractionalMaxPool2d(2, output_ratio=0.5),
        nn.Dropout(),
        nn.Threshold(0.1, 20),
        nn.CTCLoss(),
        nn.TripletMarginLoss(),
        nn.SyncBatchNorm(3),
    ]
    return [repr(m) for m in layers]


@program
def parametrize_orthogonal_and_custom(torch):
    import torch.nn.utils.parametrize as P  # noqa: F401

    class Symmetric(torch.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    lin = torch.nn.Linear(3, 3)
    torch.nn.utils.parametrize.register_parametrization(lin, "weight", Symmetric())
    w = lin.weight
    x = torch.randn(2, 3)
    lin(x).sum().backward()
    names = [n for n, _ in lin.named_parameters()]
    is_p = torch.nn.utils.parametrize.is_parametrized(lin, "weight")
    torch.nn.utils.parametrize.remove_parametrizations(lin, "weight", leave_parametrized=True)
    return (
        w,
        lin.parametrizations if hasattr(lin, "parametrizations") else None,
        names,
        is_p,
        list(lin.state_dict()),
        lin.weight,
    )


@program
def weight_and_spectral_norm(torch):
    lin = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(3, 2), dim=0)
    conv = torch.nn.utils.parametrizations.spectral_norm(
        torch.nn.Conv1d(2, 2, 3), n_power_iterations=3
    )
    x = torch.randn(4, 3)
    y = lin(x)
    y.sum().backward()
    z = conv(torch.randn(1, 2, 5))
    return (
        y,
        list(lin.state_dict()),
        lin.parametrizations.weight.original0.grad,
        z,
        list(conv.state_dict()),
    )


@program
def clip_grad_norm_foreach_inf(torch):
    a = torch.nn.Parameter(torch.ones(3))
    b = torch.nn.Parameter(torch.ones(2))
    (a * torch.tensor([1.0, 2.0, 3.0])).sum().mul(10).backward()
    (b * 4).sum().backward()
    n1 = torch.nn.utils.clip_grad_norm_([a, b], 1.0, norm_type=3.0, foreach=True)
    n2 = torch.nn.utils.clip_grad_norm_([a, b], 0.5, norm_type="inf")
    n3 = torch.nn.utils.clip_grad_value_([a], 0.1)
    return n1, n2, n3, a.grad, b.grad, torch.nn.utils.get_total_norm([a.grad, b.grad])


@program(raises="The total norm of order 2.0 for gradients from `parameters` is non-finite")
def clip_grad_norm_nonfinite(torch):
    a = torch.nn.Parameter(torch.ones(2))
    (a * torch.tensor([float("inf"), 1.0])).sum().backward()
    return torch.nn.utils.clip_grad_norm_(a, 1.0, error_if_nonfinite=True)


@program
def fuse_conv_bn_eval(torch):
    conv = torch.nn.Conv2d(2, 3, 3)
    bn = torch.nn.BatchNorm2d(3)
    bn.running_mean.uniform_()
    bn.running_var.uniform_(0.5, 2)
    conv.eval(), bn.eval()
    fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
    x = torch.randn(1, 2, 5, 5)
    return fused(x), bn(conv(x)), repr(fused)


@program
def vector_to_parameters_roundtrip(torch):
    net = torch.nn.Linear(3, 2)
    v = torch.nn.utils.parameters_to_vector(net.parameters())
    torch.nn.utils.vector_to_parameters(v * 2, net.parameters())
    return v, net.weight, net.bias


@program
def module_train_eval_apply_hooks(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout())
    calls = []
    h = net[0].register_forward_hook(lambda m, i, o: calls.append(tuple(o.shape)))
    pre = net.register_forward_pre_hook(lambda m, i: (i[0] * 2,))
    net.eval()
    y = net(torch.ones(3, 2))
    h.remove(), pre.remove()
    net(torch.ones(1, 2))
    net.apply(lambda m: calls.append(type(m).__name__))
    return y, calls, net.training, net[1].training


@program
def zero_grad_and_requires_grad(torch):
    net = torch.nn.Linear(2, 1)
    net(torch.ones(1, 2)).sum().backward()
    net.zero_grad(set_to_none=False)
    g = net.weight.grad.clone()
    net.requires_grad_(False)
    return g, net.weight.requires_grad, net.bias.grad


# ---- batch 2: Module API details ----------------------------------------------------------
@program
def module_dtype_moves_keep_int_buffers(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    w = net[0].weight
    net.double()
    same = net[0].weight is w
    net.half()
    net.to(torch.float32)
    return (
        same,
        net[0].weight.dtype,
        net[1].num_batches_tracked.dtype,
        net[1].running_mean.dtype,
        [b.dtype for b in net.buffers()],
    )


@program(raises="'Linear' object has no attribute 'wieght'")
def module_getattr_error(torch):
    return torch.nn.Linear(2, 2).wieght


@program(raises='Missing key\\(s\\) in state_dict: "bias"')
def load_state_dict_missing_key_error(torch):
    return torch.nn.Linear(2, 2).load_state_dict({"weight": torch.ones(2, 2)})


@program(raises='Unexpected key\\(s\\) in state_dict: "extra"')
def load_state_dict_unexpected_key_error(torch):
    lin = torch.nn.Linear(2, 2)
    sd = dict(lin.state_dict(), extra=torch.ones(1))
    return lin.load_state_dict(sd)


@program
def load_from_state_dict_override_renames(torch):
    class Old(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.ones(2))

        def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
            if prefix + "gain" in state_dict:
                state_dict[prefix + "scale"] = state_dict.pop(prefix + "gain")
            super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    net = torch.nn.Sequential(Old())
    res = net.load_state_dict({"0.gain": torch.tensor([2.0, 3.0])})
    return net[0].scale, repr(res)


@program
def extra_state_roundtrip(torch):
    class WithState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(1, 1)
            self.step = 0

        def get_extra_state(self):
            return {"step": self.step}

        def set_extra_state(self, state):
            self.step = state["step"] + 1

    a = WithState()
    a.step = 7
    sd = a.state_dict()
    b = WithState()
    b.load_state_dict(sd)
    return list(sd), b.step


@program
def state_dict_hooks(torch):
    lin = torch.nn.Linear(2, 1)
    seen = []
    lin.register_state_dict_pre_hook(lambda m, prefix, keep_vars: seen.append(prefix))
    lin.register_load_state_dict_post_hook(lambda m, keys: seen.append(len(keys.missing_keys)))
    sd = lin.state_dict(prefix="p.")
    lin.load_state_dict({"weight": torch.zeros(1, 2)}, strict=False)
    return list(sd), seen


@program
def buffers_persistent_and_none(torch):
    m = torch.nn.Module()
    m.register_buffer("a", torch.ones(1))
    m.register_buffer("b", torch.zeros(1), persistent=False)
    m.register_buffer("c", None)
    m.register_parameter("p", None)
    m.lin = torch.nn.Linear(1, 1, bias=False)
    return (
        list(m.state_dict()),
        [n for n, _ in m.named_buffers()],
        [n for n, _ in m.named_parameters()],
        m.lin.bias,
        m.c,
        [n for n, _ in m.named_parameters(recurse=False)],
    )


@program
def module_delattr_and_dir(torch):
    lin = torch.nn.Linear(2, 2)
    del lin.bias
    names = [n for n, _ in lin.named_parameters()]
    return names, hasattr(lin, "bias"), "weight" in dir(lin), "bias" in dir(lin)


@program
def full_backward_hooks(torch):
    lin = torch.nn.Linear(3, 2)
    seen = []

    def hook(module, grad_input, grad_output):
        seen.append((grad_input[0], grad_output[0]))
        return (grad_input[0] * 2,)

    lin.register_full_backward_hook(hook)
    x = torch.randn(4, 3, requires_grad=True)
    lin(x).sum().backward()
    return x.grad, seen[0][1], seen[0][0]


@program
def module_list_repr_and_slices(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU()])
    ml.insert(1, torch.nn.Tanh())
    ml.extend([torch.nn.ReLU(), torch.nn.ReLU()])
    sl = ml[1:3]
    del ml[-1]
    return repr(ml), repr(sl), len(ml), repr(ml[-2])


@program
def parameter_repr_and_list_repr(torch):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    q = torch.nn.Parameter(torch.ones(2, dtype=torch.float64), requires_grad=False)
    pl = torch.nn.ParameterList([p, q, torch.nn.Parameter(torch.zeros(1, dtype=torch.float16))])
    return repr(p), repr(q), repr(pl), repr(torch.nn.Buffer(torch.ones(1)))


@program
def functional_call_and_stateless(torch):
    lin = torch.nn.Linear(2, 1)
    params = {"weight": torch.ones(1, 2), "bias": torch.zeros(1)}
    x = torch.tensor([[1.0, 2.0]])
    out = torch.func.functional_call(lin, params, (x,))
    return out, lin(x) is not None and lin.weight.shape


@program
def skip_init_and_reset(torch):
    lin = torch.nn.utils.skip_init(torch.nn.Linear, 3, 2)
    lin.reset_parameters()
    conv = torch.nn.Conv2d(1, 2, 2)
    conv.reset_parameters()
    return lin.weight.shape, lin.weight, conv.weight


# ---- batch 2: layers and errors ----------------------------------------------------------
@program(raises="mat1 and mat2 shapes cannot be multiplied \\(4x3 and 2x5\\)")
def linear_shape_mismatch(torch):
    return torch.nn.Linear(2, 5)(torch.randn(4, 3))


@program(raises="mat1 and mat2 must have the same dtype")
def linear_dtype_mismatch(torch):
    return torch.nn.Linear(2, 5)(torch.randn(4, 2, dtype=torch.float64))


@program(raises="expected 2D or 3D input \\(got 4D input\\)")
def batchnorm1d_wrong_rank(torch):
    return torch.nn.BatchNorm1d(3)(torch.randn(2, 3, 4, 5))


@program(raises="running_mean should contain 4 elements not 3")
def batchnorm_wrong_channels(torch):
    return torch.nn.BatchNorm2d(3)(torch.randn(2, 4, 3, 3))


@program
def layer_norm_float64_and_empty(torch):
    ln = torch.nn.LayerNorm(4).double()
    x = torch.randn(0, 4, dtype=torch.float64, requires_grad=True)
    y = ln(x)
    y.sum().backward()
    return y, x.grad, ln.weight.grad


@program
def bilinear_and_identity(torch):
    bl = torch.nn.Bilinear(3, 2, 4)
    a, b = torch.randn(5, 3, requires_grad=True), torch.randn(5, 2)
    y = bl(a, b)
    y.sum().backward()
    return y, a.grad, bl.weight.grad, bl.bias.grad, repr(bl)


@program
def softmax_implicit_dim_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = torch.nn.Softmax()(torch.randn(2, 3, 4))
        z = torch.nn.functional.log_softmax(torch.randn(3), dtype=torch.float64)
        m = torch.nn.Softmin()(torch.randn(2, 3))
        torch.softmax(torch.randn(2), 0)
    return y, z, m, [str(x.message) for x in w], [x.filename for x in w] == [__file__] * 3


@program
def one_hot_and_embedding_int32(torch):
    F = torch.nn.functional
    idx = torch.tensor([[0, 2], [1, 1]], dtype=torch.int32)
    w = torch.randn(3, 2)
    return (
        F.one_hot(torch.tensor([0, 3, 1])),
        F.one_hot(torch.tensor([1]), 4),
        F.embedding(idx, w),
        torch.nn.Embedding(3, 2)(idx.long()),
    )


@program
def sdpa_options(torch):
    F = torch.nn.functional
    q = torch.randn(2, 4, 3, 8, requires_grad=True)
    k = torch.randn(2, 2, 5, 8)
    v = torch.randn(2, 2, 5, 6)
    m = torch.rand(3, 5) > 0.3
    m[:, 0] = True
    a = F.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.3, enable_gqa=True)
    b = F.scaled_dot_product_attention(
        q, k.repeat(1, 2, 1, 1), v.repeat(1, 2, 1, 1), is_causal=True
    )
    (a.sum() + b.sum()).backward()
    return a, b, q.grad


@program
def mse_broadcast_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.functional.mse_loss(torch.ones(3, 1), torch.zeros(3))
        l1 = torch.nn.L1Loss()(torch.ones(3, 1), torch.zeros(3))
    phrase = "This will likely lead to incorrect results due to broadcasting"
    return loss, l1, [phrase in str(x.message) for x in w]


@program(raises="is not a valid value for reduction")
def invalid_reduction(torch):
    return torch.nn.functional.mse_loss(torch.ones(2), torch.ones(2), reduction="avg")


@program
def legacy_size_average_reduce(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.MSELoss(size_average=False)
        l2 = torch.nn.L1Loss(reduce=False)
    x, y = torch.randn(3), torch.randn(3)
    return loss(x, y), l2(x, y), loss.reduction, l2.reduction, [str(m.message) for m in w]


@program
def kl_div_mean_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loss = torch.nn.KLDivLoss()(torch.randn(2, 3).log_softmax(1), torch.rand(2, 3))
    return loss, [str(m.message) for m in w]


@program
def nll_unbatched_and_cross_entropy_int32_target(torch):
    F = torch.nn.functional
    x = torch.randn(4).log_softmax(0)
    return F.nll_loss(x, torch.tensor(2)), F.cross_entropy(
        torch.randn(3, 4), torch.tensor(1).expand(3).contiguous()
    )


@program(raises="expected target dtype to be Long or Byte")
def nll_float_target(torch):
    return torch.nn.functional.nll_loss(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0]))


@program
def cross_entropy_half_and_double(torch):
    F = torch.nn.functional
    x = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    t = torch.tensor([0, 4, 2, 1])
    a = F.cross_entropy(x, t, label_smoothing=0.05, reduction="sum")
    a.backward()
    return a, x.grad


@program
def lstm_train_dropout_two_layers(torch):
    lstm = torch.nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = torch.randn(5, 2, 3)
    out, (h, c) = lstm(x)
    return out, h, c


@program
def gru_cell_double_and_grad(torch):
    cell = torch.nn.GRUCell(3, 2).double()
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    h = torch.randn(4, 2, dtype=torch.float64)
    y = cell(x, h)
    y.sum().backward()
    return y, x.grad, cell.weight_hh.grad


@program
def transformer_encoder_nested_tensor_warning(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        layer = torch.nn.TransformerEncoderLayer(4, 2, 8, batch_first=False)
        enc = torch.nn.TransformerEncoder(layer, num_layers=2)
    return [str(m.message) for m in w], len(enc.layers), enc.layers[0] is not layer, repr(enc)[:200]


@program
def transformer_decoder_causal(torch):
    layer = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
    dec = torch.nn.TransformerDecoder(layer, 2)
    tgt, mem = torch.randn(2, 3, 4, requires_grad=True), torch.randn(2, 5, 4)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
    y = dec(tgt, mem, tgt_mask=mask, tgt_is_causal=True)
    y.sum().backward()
    return y, tgt.grad


@program
def mha_eval_default_weights(torch):
    mha = torch.nn.MultiheadAttention(6, 3, batch_first=True).eval()
    x = torch.randn(2, 4, 6)
    with torch.no_grad():
        out, w = mha(x, x, x)
    return out, w


@program
def init_functions(torch):
    w = torch.empty(4, 6)
    init = torch.nn.init
    return [
        init.trunc_normal_(w.clone(), std=0.02, a=-0.04, b=0.04),
        init.orthogonal_(w.clone(), gain=2.0),
        init.kaiming_normal_(w.clone(), mode="fan_out", nonlinearity="leaky_relu"),
        init.kaiming_uniform_(w.clone(), a=0.1),
        init.xavier_normal_(w.clone(), gain=0.5),
        init.sparse_(w.clone(), 0.5),
        init.eye_(w.clone()),
        init.dirac_(torch.empty(4, 2, 3)),
        init.calculate_gain("leaky_relu", 0.2),
        init.calculate_gain("selu"),
        init.calculate_gain("conv2d"),
        init.constant_(w.clone(), 0.3),
    ]


@program(raises="Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
def xavier_on_vector(torch):
    return torch.nn.init.xavier_uniform_(torch.empty(3))


@program
def clip_grad_empty_and_none_grads(torch):
    a = torch.nn.Parameter(torch.ones(2))
    b = torch.nn.Parameter(torch.ones(2))
    (a * 3).sum().backward()
    return (
        torch.nn.utils.clip_grad_norm_([], 1.0),
        torch.nn.utils.clip_grad_norm_([a, b], 1.0),
        a.grad,
        b.grad,
    )


@program
def old_style_weight_and_spectral_norm(torch):
    import warnings

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lin = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2))
    sn = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 2))
    x = torch.randn(2, 3)
    y = lin(x) + sn(x)
    y.sum().backward()
    return (
        y,
        sorted(lin.state_dict()),
        sorted(sn.state_dict()),
        lin.weight_g.grad,
        [str(m.message)[:60] for m in w],
    )


@program
def adaptive_pool_noncontiguous_and_nan(torch):
    x = torch.randn(1, 2, 6, 5).transpose(2, 3)
    x[0, 0, 1, 1] = float("nan")
    return (
        torch.nn.functional.adaptive_avg_pool2d(x, (2, 3)),
        torch.nn.functional.adaptive_max_pool2d(x, 2),
        torch.nn.functional.max_pool2d(x, 2),
    )


@program
def embedding_bag_2d_input_max_padding(torch):
    bag = torch.nn.EmbeddingBag(5, 3, mode="max", padding_idx=1)
    inp = torch.tensor([[0, 1, 2], [1, 1, 1], [3, 4, 1]])
    y = bag(inp)
    y.sum().backward()
    s = torch.nn.EmbeddingBag(5, 3, mode="sum")
    z = s(inp, per_sample_weights=torch.rand(3, 3))
    return y, bag.weight.grad, z


@program
def pixel_shuffle_and_channel_shuffle(torch):
    x = torch.arange(2 * 8 * 2 * 3.0).reshape(2, 8, 2, 3)
    return (
        torch.nn.PixelShuffle(2)(x),
        torch.nn.PixelUnshuffle(2)(torch.nn.PixelShuffle(2)(x)),
        torch.nn.ChannelShuffle(4)(x),
        torch.nn.functional.pixel_shuffle(x[0], 2),
    )


@program
def flatten_unflatten(torch):
    x = torch.randn(2, 3, 4, 5)
    return (
        torch.nn.Flatten()(x).shape,
        torch.nn.Flatten(0, 2)(x).shape,
        torch.nn.Unflatten(1, (3, 1))(x).shape,
        torch.nn.Unflatten(-1, (-1, 5))(x).shape,
        repr(torch.nn.Unflatten(1, (3, 1))),
    )


@program
def upsample_recompute_scale(torch):
    x = torch.randn(1, 1, 5, 5)
    up = torch.nn.Upsample(scale_factor=1.3, mode="bilinear", recompute_scale_factor=True)
    return (
        up(x),
        repr(up),
        torch.nn.functional.interpolate(
            x, scale_factor=1.3, mode="nearest", recompute_scale_factor=False
        ),
    )


# ---- batch 3 ------------------------------------------------------------------------------
@program
def small_cnn_training_loop(torch):
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(16, 3),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.randn(8, 1, 4, 4), torch.randint(0, 3, (8,))
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss)
    model.eval()
    return losses, model(x), model[1].running_var, model[0].weight


@program
def pools_3d_and_unpool(torch):
    x = torch.randn(1, 2, 5, 6, 7, requires_grad=True)
    y, idx = torch.nn.functional.max_pool3d(x, 2, 2, 1, return_indices=True, ceil_mode=True)
    z = torch.nn.MaxUnpool3d(2, 2, 1)(y, idx, output_size=x.shape[-3:])
    a = torch.nn.AvgPool3d(3, 2, 1, ceil_mode=True, count_include_pad=False)(x)
    u1, i1 = torch.nn.MaxPool1d(2, return_indices=True)(x[0, 0])
    z1 = torch.nn.MaxUnpool1d(2)(u1, i1)
    (z.sum() + a.sum() + z1.sum()).backward()
    return y, idx, z, a, z1, x.grad


@program
def conv_transpose3d_grads(torch):
    conv = torch.nn.ConvTranspose3d(
        2, 2, (2, 3, 1), stride=(2, 1, 2), padding=(0, 1, 0), output_padding=(1, 0, 1)
    )
    x = torch.randn(1, 2, 3, 3, 2, requires_grad=True)
    y = conv(x)
    y.sin().sum().backward()
    return y, x.grad, conv.weight.grad


@program(raises="all elements of input should be between 0 and 1")
def bce_input_out_of_range(torch):
    return torch.nn.functional.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))


@program(raises="var is of incorrect size")
def gaussian_nll_bad_var(torch):
    return torch.nn.functional.gaussian_nll_loss(
        torch.randn(3, 4), torch.randn(3, 4), torch.rand(3, 2)
    )


@program
def losses_1d_inputs(torch):
    F = torch.nn.functional
    a, b, c = torch.randn(4), torch.randn(4), torch.randn(4)
    return [
        F.triplet_margin_loss(a, b, c),
        F.multilabel_margin_loss(a, torch.tensor([2, 0, -1, 1])),
        F.multi_margin_loss(a[None], torch.tensor([1])),
        F.huber_loss(a, b, delta=2.0),
        F.cross_entropy(a, torch.tensor(3)),
        F.cross_entropy(a, b.softmax(0)),
        F.nll_loss(a[None], torch.tensor([0]), reduction="none"),
    ]


@program
def prelu_single_parameter_4d(torch):
    prelu = torch.nn.PReLU()
    x = torch.randn(2, 3, 2, 2, requires_grad=True)
    y = prelu(x)
    y.sum().backward()
    return y, x.grad, prelu.weight.grad, repr(prelu)


@program(raises="offsets\\[0\\] has to be 0")
def embedding_bag_bad_offsets(torch):
    return torch.nn.EmbeddingBag(5, 2)(torch.tensor([1, 2, 3]), torch.tensor([1, 2]))


@program(raises="`lengths` array must be sorted in decreasing order when `enforce_sorted` is True")
def pack_unsorted_enforced(torch):
    return torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [1, 3])


@program
def gru_packed_bidirectional(torch):
    gru = torch.nn.GRU(2, 3, bidirectional=True, num_layers=2, batch_first=True)
    x = torch.randn(3, 4, 2, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        x, torch.tensor([2, 4, 1]), batch_first=True, enforce_sorted=False
    )
    out, h = gru(packed)
    padded, lengths = torch.nn.utils.rnn.pad_packed_sequence(
        out, batch_first=True, padding_value=-1.0
    )
    (padded.sin().sum() + h.sum()).backward()
    return padded, lengths, h, x.grad, gru.weight_ih_l1_reverse.grad


@program(raises="input.size\\(-1\\) must be equal to input_size. Expected 3, got 2")
def rnn_input_size_mismatch(torch):
    return torch.nn.RNN(3, 2)(torch.randn(4, 1, 2))


@program
def mha_fully_masked_row(torch):
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    x = torch.randn(2, 3, 4)
    kpm = torch.tensor([[True, True, True], [False, False, True]])
    out, w = mha(x, x, x, key_padding_mask=kpm)
    mask3 = torch.zeros(4, 3, 3, dtype=torch.bool)
    mask3[1, 0] = True
    out2, w2 = mha(x, x, x, attn_mask=mask3, average_attn_weights=False)
    return out, w, out2, w2


@program(
    raises="Given normalized_shape=\\[4\\], expected input with shape \\[\\*, 4\\], but got input of size\\[2, 3\\]"
)
def layer_norm_shape_error(torch):
    return torch.nn.LayerNorm(4)(torch.randn(2, 3))


@program(raises="num_channels \\(6\\) must be divisible by num_groups \\(4\\)")
def group_norm_groups_error(torch):
    return torch.nn.GroupNorm(4, 6)


@program(raises="dropout probability has to be between 0 and 1, but got 1.5")
def dropout_p_error(torch):
    return torch.nn.Dropout(1.5)


@program(raises="in_channels must be divisible by groups")
def conv_groups_error(torch):
    return torch.nn.Conv2d(3, 4, 3, groups=2)


@program
def trilinear_and_unbatched_unfold(torch):
    F = torch.nn.functional
    x = torch.randn(1, 1, 3, 4, 2, requires_grad=True)
    y = F.interpolate(x, size=(5, 3, 4), mode="trilinear", align_corners=True)
    z = F.interpolate(x, scale_factor=(1.5, 0.5, 2), mode="trilinear")
    u = F.unfold(torch.randn(2, 5, 5), 3, padding=1)
    (y.sum() + z.sum()).backward()
    return y, z, u, x.grad


@program
def embedding_from_pretrained_max_norm(torch):
    w = torch.randn(4, 3) * 4
    emb = torch.nn.Embedding.from_pretrained(w, max_norm=1.0)
    y = emb(torch.tensor([1, 3]))
    return y, emb.weight, repr(emb)


@program
def cross_entropy_probs_kdim_weight_smoothing(torch):
    x = torch.randn(2, 3, 4, requires_grad=True)
    p = torch.softmax(torch.randn(2, 3, 4), 1)
    w = torch.tensor([0.3, 1.0, 2.0])
    loss = torch.nn.CrossEntropyLoss(weight=w, label_smoothing=0.2, reduction="none")(x, p)
    loss.sum().backward()
    return loss, x.grad


@program
def state_dict_roundtrip_between_models(torch):
    a = torch.nn.LSTM(3, 4, 2, bidirectional=True)
    b = torch.nn.LSTM(3, 4, 2, bidirectional=True)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 1, 3)
    return a(x)[0], b(x)[0], list(a.state_dict())[:6], [p.shape for p in a.parameters()][:4]


# ---- batch 4 ------------------------------------------------------------------------------
@program
def reprs_of_more_layers(torch):
    nn = torch.nn
    return [
        repr(m)
        for m in [
            nn.RNN(2, 3, 2, nonlinearity="relu", batch_first=True, dropout=0.1),
            nn.GRU(2, 3, bias=False, bidirectional=True),
            nn.LSTM(2, 4, proj_size=2),
            nn.Embedding(5, 2, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True),
            nn.EmbeddingBag(5, 2, mode="max"),
            nn.RMSNorm([2, 3]),
            nn.LayerNorm((2, 3), eps=1e-6),
            nn.BatchNorm1d(3, affine=False, track_running_stats=False),
            nn.InstanceNorm1d(3, affine=True),
            nn.AdaptiveMaxPool2d((None, 3)),
            nn.MaxUnpool2d(2),
            nn.AvgPool3d(2, ceil_mode=True),
            nn.ConstantPad2d((1, 2, 0, 0), 3.5),
            nn.ReflectionPad2d(1),
            nn.Upsample(scale_factor=(2.0, 1.5)),
            nn.Transformer(8, 2, 1, 1, 16),
            nn.TransformerDecoderLayer(4, 2, 8, norm_first=True),
            nn.Hardtanh(-2.0, 2.0, inplace=True),
            nn.LeakyReLU(inplace=True),
            nn.Softplus(beta=2.0),
            nn.GaussianNLLLoss(full=True),
            nn.HuberLoss(delta=0.5),
            nn.SmoothL1Loss(beta=0.1),
            nn.NLLLoss(ignore_index=3),
            nn.KLDivLoss(log_target=True),
            nn.CosineEmbeddingLoss(0.2),
            nn.MarginRankingLoss(0.1),
            nn.TripletMarginLoss(p=1.0, swap=True),
            nn.PoissonNLLLoss(),
            nn.MultiMarginLoss(p=2),
            nn.ZeroPad2d(2),
            nn.CircularPad1d(1),
            nn.Dropout2d(0.3),
            nn.CosineSimilarity(0, 1e-6),
            nn.PairwiseDistance(1.0, keepdim=True),
        ]
    ]


@program
def named_children_and_apply_init(torch):
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sequential(torch.nn.Linear(4, 2)))

    def init(m):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)

    net.apply(init)
    return (
        [n for n, _ in net.named_children()],
        [n for n, _ in net.named_modules(prefix="m")],
        net[0].weight,
        net[1][0].weight,
        [n for n, _ in net.named_parameters(prefix="x")],
    )


@program
def module_half_forward(torch):
    lin = torch.nn.Linear(3, 2).half()
    x = torch.randn(4, 3).half()
    return lin(x), torch.nn.functional.softmax(lin(x), -1), lin.weight.dtype


@program
def interpolate_nearest_integer_and_bool_errors(torch):
    x = torch.arange(6, dtype=torch.uint8).reshape(1, 1, 2, 3)
    return torch.nn.functional.interpolate(x, scale_factor=2), torch.nn.functional.interpolate(
        x.float(), size=(3, 5), mode="nearest-exact"
    )


def test_layer_norm_float16_statistics_in_float32(torch):
    x = np.array([[-0.0734, 0.1445], [0.3, 0.3007]], np.float16)
    out = minitorch.nn.functional.layer_norm(minitorch.tensor(x), (2,))
    expected = torch.nn.functional.layer_norm(torch.tensor(x), (2,))
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
