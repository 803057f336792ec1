"""RNN, LSTM, GRU against PyTorch: outputs, final states and the gradients of the input, the
initial states and every parameter (names and order as PyTorch's); dropout, errors, repr."""

from __future__ import annotations

import numpy as np
import pytest
from nn_oracle import load_torch_state

import minitorch
from minitorch.autograd import gradcheck

rng = np.random.default_rng(0)
TOL = dict(rtol=1e-4, atol=1e-5)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def _flat(out):
    """(output, h) or (output, (h, c)) -> [output, h(, c)]."""
    y, state = out
    return [y] + (list(state) if isinstance(state, tuple) else [state])


def _compare(torch, make, x, states):
    """Runs both frameworks; compares outputs, final states and every gradient."""
    t_mod, m_mod = make(torch.nn), make(minitorch.nn)
    load_torch_state(m_mod, t_mod)
    assert [n for n, _ in m_mod.named_parameters()] == [n for n, _ in t_mod.named_parameters()]
    tx, mx = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    ts = [torch.tensor(s, requires_grad=True) for s in states]
    ms = [minitorch.tensor(s, requires_grad=True) for s in states]
    hx_t = None if not ts else (tuple(ts) if len(ts) == 2 else ts[0])
    hx_m = None if not ms else (tuple(ms) if len(ms) == 2 else ms[0])
    t_out, m_out = _flat(t_mod(tx, hx_t)), _flat(m_mod(mx, hx_m))
    seed = np.random.default_rng(3)
    t_loss, m_loss = 0, 0
    for t, m in zip(t_out, m_out):
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), **TOL)
        assert m.dtype == minitorch.float32
        w = seed.standard_normal(tuple(t.shape)).astype(np.float32)
        t_loss = t_loss + (t * torch.tensor(w)).sum()
        m_loss = m_loss + (m * minitorch.tensor(w)).sum()
    t_loss.backward()
    m_loss.backward()
    for m, t in zip([mx] + ms, [tx] + ts):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), **TOL)
    t_params = dict(t_mod.named_parameters())
    for name, p in m_mod.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), t_params[name].grad.numpy(), **TOL, err_msg=name)
    return m_mod


CASES = [
    # (make, input shape, initial state shapes)
    (lambda nn: nn.RNN(3, 4), (5, 2, 3), []),
    (
        lambda nn: nn.RNN(3, 4, 2, nonlinearity="relu", bias=False, batch_first=True),
        (2, 5, 3),
        [(2, 2, 4)],
    ),
    (lambda nn: nn.LSTM(3, 4), (6, 2, 3), []),
    (
        lambda nn: nn.LSTM(3, 4, 2, batch_first=True, bidirectional=True),
        (2, 5, 3),
        [(4, 2, 4), (4, 2, 4)],
    ),
    (lambda nn: nn.LSTM(3, 5, bias=False), (4, 3), [(1, 5), (1, 5)]),  # unbatched
    (lambda nn: nn.GRU(3, 4), (5, 2, 3), [(1, 2, 4)]),
    (lambda nn: nn.GRU(3, 4, 3, batch_first=True, bidirectional=True), (2, 4, 3), [(6, 2, 4)]),
    (lambda nn: nn.GRU(2, 3, bidirectional=True), (4, 2), []),  # unbatched
]


@pytest.mark.parametrize("make, shape, states", CASES)
def test_recurrent_layers_match_torch(torch, make, shape, states):
    _compare(torch, make, rand(*shape), [rand(*s) for s in states])


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_repr_and_state_dict_keys_match_torch(torch, cls):
    args, kw = (3, 4, 2), dict(batch_first=True, bidirectional=True, dropout=0.25, bias=False)
    m, t = getattr(minitorch.nn, cls)(*args, **kw), getattr(torch.nn, cls)(*args, **kw)
    assert repr(m) == repr(t)
    assert list(m.state_dict()) == list(t.state_dict())
    bound = 1 / np.sqrt(4)
    assert all(np.abs(p.detach().numpy()).max() <= bound for p in m.parameters())


def test_dropout_between_layers_only_in_training(torch):
    m = minitorch.nn.LSTM(3, 4, 2, dropout=0.5)
    plain = minitorch.nn.LSTM(3, 4, 2)
    plain.load_state_dict(m.state_dict())
    x = minitorch.tensor(rand(5, 2, 3))
    m.eval()
    np.testing.assert_allclose(m(x)[0].detach().numpy(), plain(x)[0].detach().numpy())
    m.train()
    assert not np.allclose(m(x)[0].detach().numpy(), plain(x)[0].detach().numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        minitorch.nn.GRU(3, 4, dropout=0.5)


def test_rnn_gradcheck_float64():
    m = minitorch.nn.GRU(2, 3, bidirectional=True).double()
    x = minitorch.tensor(rng.standard_normal((3, 1, 2)), requires_grad=True)
    h = minitorch.tensor(rng.standard_normal((2, 1, 3)), requires_grad=True)
    assert gradcheck(lambda x, h: m(x, h)[0], (x, h))
    lstm = minitorch.nn.LSTM(2, 2).double()
    assert gradcheck(lambda x: lstm(x)[1][1], (x,))


def test_rnn_errors():
    m = minitorch.nn.LSTM(3, 4, 2)
    with pytest.raises(
        RuntimeError, match="input.size.-1. must be equal to input_size. Expected 3, got 5"
    ):
        m(minitorch.randn(4, 2, 5))
    with pytest.raises(
        RuntimeError, match=r"Expected hidden\[0\] size \(2, 2, 4\), got \[1, 2, 4\]"
    ):
        m(minitorch.randn(4, 2, 3), (minitorch.zeros(1, 2, 4), minitorch.zeros(2, 2, 4)))
    with pytest.raises(ValueError, match="Expected input to be 2D or 3D, got 4D"):
        m(minitorch.randn(1, 4, 2, 3))
    with pytest.raises(ValueError, match="Unknown nonlinearity 'gelu'"):
        minitorch.nn.RNN(3, 4, nonlinearity="gelu")
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        minitorch.nn.GRU(3, 4, 2, dropout=1.5)
