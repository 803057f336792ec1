"""Session 10 sweep of the recurrent layers' fused time steps (minitorch/ops/recurrent.py):
LSTM and GRU steps run as one op each, and the input projection is split into steps by one
node. The fused steps must give exactly the composed ops' numbers (values and gradients),
differentiate twice, and keep every layer feature matching PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch.autograd import gradcheck, gradgradcheck
from minitorch.ops.recurrent import gru_step, lstm_step

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program = SWEEP.test()


def _param_grads(module):
    return [p.grad for p in module.parameters()]


# ---- the fused steps against the composed ops they replace -----------------------------------
def _lstm_composed(gi, gh, c):
    i, f, g, o = (gi + gh).chunk(4, 1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c.tanh(), c


def _gru_composed(gi, gh, h):
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = gh.chunk(3, 1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (h - n)


def _unroll(step, gates: int, dtype, use_c: bool):
    """Six chained steps (the state feeding the next step's hidden share), a loss on every
    step's h (and c); returns the final states and all gradients as arrays."""
    rng = np.random.default_rng(1)
    gi = minitorch.tensor(rng.standard_normal((7, 5 * gates)).astype(dtype) * 3, requires_grad=True)
    gh = minitorch.tensor(rng.standard_normal((7, 5 * gates)).astype(dtype) * 3, requires_grad=True)
    s = minitorch.tensor(rng.standard_normal((7, 5)).astype(dtype), requires_grad=True)
    h = c = s
    loss = 0
    for t in range(6):
        if gates == 4:
            h, c = step(gi * (t + 1) / 3, gh * h.sum(), c)
            loss = loss + (h * (t + 1)).sum() + (c.sum() * 0.5 if use_c else 0)
        else:
            h = step(gi * (t + 1) / 3, gh * h.sum(), h)
            loss = loss + (h * (t + 1)).sum()
    loss.backward()
    return [a._data for a in (h, c, gi.grad, gh.grad, s.grad)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("use_c", [True, False])
@pytest.mark.parametrize("fused,composed,gates", [(lstm_step, _lstm_composed, 4), (gru_step, _gru_composed, 3)])  # fmt: skip
def test_fused_step_is_bitwise_the_composed_ops(fused, composed, gates, dtype, use_c):
    for a, b in zip(_unroll(fused, gates, dtype, use_c), _unroll(composed, gates, dtype, use_c)):
        np.testing.assert_array_equal(a, b)


def _inputs(gates: int, broadcast: bool):
    rng = np.random.default_rng(0)
    gh_rows = 1 if broadcast else 3  # a (1, G) hidden share broadcast over the batch
    make = lambda *s: minitorch.tensor(rng.standard_normal(s), requires_grad=True)  # noqa: E731
    return make(3, 2 * gates), make(gh_rows, 2 * gates), make(3, 2)


@pytest.mark.parametrize("broadcast", [False, True])
def test_lstm_step_gradcheck_and_gradgradcheck(broadcast):
    inputs = _inputs(4, broadcast)
    assert gradcheck(lambda *a: lstm_step(*a), inputs)
    assert gradgradcheck(lambda *a: lstm_step(*a), inputs)
    assert gradgradcheck(lambda *a: lstm_step(*a)[0], inputs)  # c' unused
    assert gradgradcheck(lambda *a: lstm_step(*a)[1], inputs)  # h' unused


@pytest.mark.parametrize("broadcast", [False, True])
def test_gru_step_gradcheck_and_gradgradcheck(broadcast):
    inputs = _inputs(3, broadcast)
    assert gradcheck(lambda *a: gru_step(*a), inputs)
    assert gradgradcheck(lambda *a: gru_step(*a), inputs)


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_layer_gradgradcheck_float64(cls):
    minitorch.manual_seed(0)
    layer = getattr(minitorch.nn, cls)(2, 2, bidirectional=True, dtype=minitorch.float64)
    x = minitorch.randn(3, 1, 2, dtype=minitorch.float64, requires_grad=True)
    assert gradgradcheck(lambda x: layer(x)[0], (x,))


# ---- programs ---------------------------------------------------------------------------------
@program
def lstm_char_rnn_step_grads(torch):
    torch.manual_seed(0)
    emb = torch.nn.Embedding(20, 8)
    lstm = torch.nn.LSTM(8, 16, num_layers=2, batch_first=True)
    head = torch.nn.Linear(16, 20)
    tokens = torch.randint(0, 20, (4, 9))
    out, (h, c) = lstm(emb(tokens[:, :-1]))
    loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, 20), tokens[:, 1:].reshape(-1))
    loss.backward()
    return loss, h, c, _param_grads(lstm), emb.weight.grad


@program
def gru_time_series_h_n_only(torch):
    torch.manual_seed(1)
    gru = torch.nn.GRU(3, 6, batch_first=True)
    x = torch.randn(5, 7, 3, requires_grad=True)
    _, h = gru(x)
    h[-1].pow(2).sum().backward()  # only the last state: earlier outputs get no gradient
    return h, x.grad, _param_grads(gru)


@program
def lstm_only_c_n_used(torch):
    torch.manual_seed(2)
    lstm = torch.nn.LSTM(3, 4)
    x = torch.randn(6, 2, 3, requires_grad=True)
    _, (h, c) = lstm(x)
    c.sum().backward()
    return c, x.grad, _param_grads(lstm)


@program
def lstm_gradient_penalty_create_graph(torch):
    torch.manual_seed(3)
    lstm = torch.nn.LSTM(2, 3, dtype=torch.float64)
    x = torch.randn(4, 2, 2, dtype=torch.float64, requires_grad=True)
    out, _ = lstm(x)
    (gx,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    gx.pow(2).sum().backward()
    return gx, x.grad, _param_grads(lstm)


@program
def gru_gradient_penalty_create_graph(torch):
    torch.manual_seed(4)
    gru = torch.nn.GRU(2, 3, num_layers=2, dtype=torch.float64)
    x = torch.randn(4, 2, 2, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, 2, 3, dtype=torch.float64, requires_grad=True)
    out, h = gru(x, h0)
    gx, gh0 = torch.autograd.grad((out * out).sum() + h.sum(), (x, h0), create_graph=True)
    (gx.pow(2).sum() + gh0.abs().sum()).backward()
    return gx, gh0, x.grad, h0.grad, _param_grads(gru)


@program
def lstm_packed_bidirectional_grads(torch):
    torch.manual_seed(5)
    lstm = torch.nn.LSTM(3, 4, bidirectional=True, batch_first=True)
    x = torch.randn(3, 5, 3, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [2, 5, 3], batch_first=True, enforce_sorted=False)  # fmt: skip
    out, (h, c) = lstm(packed)
    padded, lengths = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
    (padded.sum() + h.pow(2).sum() + c.sum()).backward()
    return padded, lengths, h, c, x.grad, _param_grads(lstm)


@program
def gru_packed_sorted_h0(torch):
    torch.manual_seed(6)
    gru = torch.nn.GRU(2, 3)
    x = torch.randn(4, 3, 2, requires_grad=True)
    h0 = torch.randn(1, 3, 3, requires_grad=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [4, 3, 1])
    out, h = gru(packed, h0)
    (out.data.sum() + h.sum()).backward()
    return out.data, out.batch_sizes, h, x.grad, h0.grad


@program
def lstm_cell_and_gru_cell_loops(torch):
    torch.manual_seed(7)
    lstm_cell, gru_cell = torch.nn.LSTMCell(3, 4), torch.nn.GRUCell(4, 4)
    x = torch.randn(5, 2, 3, requires_grad=True)
    h = c = g = torch.zeros(2, 4)
    outs = []
    for t in range(5):
        h, c = lstm_cell(x[t], (h, c))
        g = gru_cell(h, g)
        outs.append(g)
    torch.stack(outs).tanh().sum().backward()
    return g, c, x.grad, _param_grads(lstm_cell), _param_grads(gru_cell)


@program
def functional_lstm_cell_gru_cell(torch):
    torch.manual_seed(8)
    x = torch.randn(2, 3, requires_grad=True)
    h = torch.randn(2, 4, requires_grad=True)
    c = torch.randn(2, 4, requires_grad=True)
    w_ih, w_hh = torch.randn(16, 3, requires_grad=True), torch.randn(16, 4, requires_grad=True)
    h2, c2 = torch.lstm_cell(x, (h, c), w_ih, w_hh)
    g = torch.gru_cell(x, h, w_ih[:12], w_hh[:12], torch.randn(12), torch.randn(12))
    (h2.sum() + c2.pow(2).sum() + g.sum()).backward()
    return h2, c2, g, x.grad, h.grad, c.grad, w_ih.grad, w_hh.grad


@program
def lstm_proj_size_grads(torch):
    torch.manual_seed(9)
    lstm = torch.nn.LSTM(3, 5, proj_size=2, num_layers=2)
    x = torch.randn(4, 2, 3, requires_grad=True)
    out, (h, c) = lstm(x)
    (out.sum() + c.sum()).backward()
    return out, h, c, x.grad, _param_grads(lstm)


@program
def lstm_dropout_training_same_draws(torch):
    torch.manual_seed(10)
    lstm = torch.nn.LSTM(3, 4, num_layers=3, dropout=0.4)
    x = torch.randn(5, 2, 3, requires_grad=True)
    out, _ = lstm(x)
    out.sum().backward()
    return out, x.grad, _param_grads(lstm)


@program
def gru_unbatched_and_float64_no_bias(torch):
    torch.manual_seed(11)
    gru = torch.nn.GRU(3, 4, bias=False, dtype=torch.float64)
    x = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    out, h = gru(x)
    out.sum().backward()
    return out, h, x.grad, _param_grads(gru)


@program
def lstm_float16_cell_half_precision(torch):
    torch.manual_seed(12)
    cell = torch.nn.LSTMCell(3, 4).half()
    x = torch.randn(2, 3).half()
    with torch.no_grad():
        h, c = cell(x)
    return h, c


@program
def lstm_empty_batch(torch):
    torch.manual_seed(13)
    lstm = torch.nn.LSTM(3, 4)
    x = torch.randn(5, 0, 3, requires_grad=True)
    out, (h, c) = lstm(x)
    out.sum().backward()
    return out, h, c, x.grad


@program
def lstm_no_grad_inference(torch):
    torch.manual_seed(14)
    lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True).eval()
    with torch.no_grad():
        out, (h, c) = lstm(torch.randn(5, 2, 3))
    return out, h, c, out.requires_grad


@program
def lstm_output_grad_fn_chain(torch):
    torch.manual_seed(15)
    lstm = torch.nn.LSTM(2, 3)
    x = torch.randn(3, 1, 2, requires_grad=True)
    out, (h, c) = lstm(x)
    return out.requires_grad, h.requires_grad, c.requires_grad, out.shape, h.shape


@program
def rnn_relu_bidirectional_grads(torch):
    torch.manual_seed(16)
    rnn = torch.nn.RNN(3, 4, nonlinearity="relu", bidirectional=True, num_layers=2)
    x = torch.randn(5, 2, 3, requires_grad=True)
    out, h = rnn(x)
    (out.sum() + h.sum()).backward()
    return out, h, x.grad, _param_grads(rnn)


@error(RuntimeError, r"Expected hidden\[1\] size \(1, 2, 4\), got \[1, 2, 3\]")
def lstm_bad_c0(torch):
    lstm = torch.nn.LSTM(3, 4)
    lstm(torch.randn(5, 2, 3), (torch.zeros(1, 2, 4), torch.zeros(1, 2, 3)))


@program
def lstm_cell_state_changed_in_place_before_backward(torch):
    torch.manual_seed(17)
    cell = torch.nn.LSTMCell(3, 4)
    x = torch.randn(2, 3, requires_grad=True)
    h, c = cell(x)
    loss = h.sum() + c.sum()
    with torch.no_grad():
        c.mul_(0.5)  # neither PyTorch nor the fused step saved c'
        h.add_(1.0)
    loss.backward()
    return h, c, x.grad, _param_grads(cell)


@program
def cell_outputs_grad_fn_names(torch):
    lstm_cell, gru_cell = torch.nn.LSTMCell(3, 4), torch.nn.GRUCell(3, 4)
    x = torch.randn(2, 3)
    h, _ = lstm_cell(x)  # c' is AddBackward0 in PyTorch, MulBackward0 here (h's node)
    return h.grad_fn.name(), gru_cell(x).grad_fn.name()


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)")
def lstm_cell_unbatched_functional_raises(torch):
    torch.lstm_cell(torch.ones(3), (torch.ones(4), torch.ones(4)), torch.ones(16, 3), torch.ones(16, 4))  # fmt: skip
