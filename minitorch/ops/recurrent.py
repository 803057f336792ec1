"""One recurrent time step's gate math as one op (the fused cells of ``nn.LSTM``/``nn.GRU`` and
``torch.lstm_cell``/``gru_cell``): the forward computes every gate and the new state in numpy,
elementwise as the composed ops (``chunk``, ``sigmoid``, ``tanh``, ``*``, ``+``) would, so the
numbers are the same; the backward writes the same per-gate formulas with Tensor ops.

Each op also outputs its gate activations, so the backward can use them as saved outputs
(graph-connected: ``create_graph=True`` differentiates through them, their own gradient
arriving as that output's gradient)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, raw_backward
from .elementwise import (
    SigmoidGrad,
    TanhGrad,
    _sigmoid_grad,
    _tanh_grad,
    sigmoid_values,
    unbroadcast,
)
from .reduce import wrap_dim
from .shape import cat


def _plus(a, b):
    """a + b (Tensors or arrays), or ``a`` when ``b`` is None."""
    return a if b is None else a + b


def _gates(a, k: int) -> list:
    """The ``k`` equal slices of an array's last dimension (Tensor.chunk on arrays)."""
    n = a.shape[-1] // k
    return [a[..., i * n : (i + 1) * n] for i in range(k)]


def _data(g):
    return None if g is None else g._data


class LSTMStep(Op):
    """c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c') for the gates
    ``gi + gh`` = (i, f, g, o); outputs (h', c', activations (si, sf, tg, so), tanh(c')).
    c' itself is not saved: changing it in place (an LSTMCell's state) leaves backward valid,
    as in PyTorch. Named as the grad_fn of PyTorch's h' (c' has AddBackward0 there)."""

    torch_name = "MulBackward0"

    @staticmethod
    def forward(ctx, gi, gh, c):
        ctx.set_materialize_grads(False)
        pre = gi + gh
        n = pre.shape[-1] // 4
        act = sigmoid_values(pre)
        act[..., 2 * n : 3 * n] = np.tanh(pre[..., 2 * n : 3 * n])
        si, sf, tg, so = (act[..., k * n : (k + 1) * n] for k in range(4))
        c_new = sf * c + si * tg
        tc = np.tanh(c_new)
        ctx.shapes = (gi.shape, gh.shape, c.shape)
        ctx.save_for_backward(c, act, tc)
        return so * tc, c_new, act, tc

    @staticmethod
    def backward(ctx, dh, dc, dact, dtc):
        if raw_backward():  # the same formulas on arrays: no graph of the backward is built
            return LSTMStep._backward_arrays(ctx, *map(_data, (dh, dc, dact, dtc)))
        c, act, tc = ctx.saved_tensors
        si, sf, tg, so = act.chunk(4, -1)
        if dh is None:
            dh = make_tensor(np.zeros_like(tc._data))
        d_c_new = _plus(TanhGrad.apply(_plus(dh * so, dtc), tc), dc)
        d_act = [d_c_new * tg, d_c_new * c, d_c_new * si, dh * tc]  # i, f, g, o
        if dact is not None:
            d_act = [d + a for d, a in zip(d_act, dact.chunk(4, -1))]
        grads = zip((SigmoidGrad, SigmoidGrad, TanhGrad, SigmoidGrad), d_act, (si, sf, tg, so))
        d_pre = cat([op.apply(d, y) for op, d, y in grads], -1)
        gi_shape, gh_shape, c_shape = ctx.shapes
        d_c = unbroadcast(d_c_new * sf, c_shape)
        return unbroadcast(d_pre, gi_shape), unbroadcast(d_pre, gh_shape), d_c

    @staticmethod
    def _backward_arrays(ctx, dh, dc, dact, dtc):
        c, act, tc = ctx.saved_arrays
        si, sf, tg, so = _gates(act, 4)
        if dh is None:
            dh = np.zeros_like(tc)
        d_c_new = _plus(_tanh_grad(_plus(dh * so, dtc), tc), dc)
        d_act = [d_c_new * tg, d_c_new * c, d_c_new * si, dh * tc]  # i, f, g, o
        if dact is not None:
            d_act = [d + a for d, a in zip(d_act, _gates(dact, 4))]
        grads = zip(
            (_sigmoid_grad, _sigmoid_grad, _tanh_grad, _sigmoid_grad), d_act, (si, sf, tg, so)
        )
        d_pre = make_tensor(np.concatenate([grad(d, y) for grad, d, y in grads], -1))
        gi_shape, gh_shape, c_shape = ctx.shapes
        d_c = unbroadcast(make_tensor(d_c_new * sf), c_shape)
        return unbroadcast(d_pre, gi_shape), unbroadcast(d_pre, gh_shape), d_c


class GRUStep(Op):
    """h' = n + z (h - n) with r = sigmoid(i_r + h_r), z = sigmoid(i_z + h_z),
    n = tanh(i_n + r h_n) for ``gi`` = (i_r, i_z, i_n) and ``gh`` = (h_r, h_z, h_n) (the reset
    gate scales h W_hn + b_hn, as PyTorch's); outputs (h', activations (r, z, n)). Named as
    the grad_fn of PyTorch's h'."""

    torch_name = "AddBackward0"

    @staticmethod
    def forward(ctx, gi, gh, h):
        ctx.set_materialize_grads(False)
        n = gi.shape[-1] // 3
        act = sigmoid_values(gi + gh)
        r, z, new = (act[..., k * n : (k + 1) * n] for k in range(3))
        new[...] = np.tanh(gi[..., 2 * n :] + r * gh[..., 2 * n :])
        out = new + z * (h - new)
        ctx.shapes = (gi.shape, gh.shape, h.shape)
        ctx.save_for_backward(gh, h, act)
        return out, act

    @staticmethod
    def backward(ctx, dout, dact):
        if raw_backward():  # the same formulas on arrays: no graph of the backward is built
            return GRUStep._backward_arrays(ctx, _data(dout), _data(dact))
        gh, h, act = ctx.saved_tensors
        r, z, new = act.chunk(3, -1)
        if dout is None:
            dout = make_tensor(np.zeros_like(h._data))
        d_diff = dout * z
        d_act = [None, dout * (h - new), dout - d_diff]  # r (below), z, n
        if dact is not None:
            d_act[1:] = [d + a for d, a in zip(d_act[1:], dact.chunk(3, -1)[1:])]
        d_an = TanhGrad.apply(d_act[2], new)
        d_r = d_an * gh.chunk(3, -1)[2]
        if dact is not None:
            d_r = d_r + dact.chunk(3, -1)[0]
        d_rz = [SigmoidGrad.apply(d_r, r), SigmoidGrad.apply(d_act[1], z)]
        gi_shape, gh_shape, h_shape = ctx.shapes
        d_gi = cat([*d_rz, d_an], -1)
        d_gh = cat([*d_rz, d_an * r], -1)
        return (
            unbroadcast(d_gi, gi_shape),
            unbroadcast(d_gh, gh_shape),
            unbroadcast(d_diff, h_shape),
        )

    @staticmethod
    def _backward_arrays(ctx, dout, dact):
        gh, h, act = ctx.saved_arrays
        r, z, new = _gates(act, 3)
        if dout is None:
            dout = np.zeros_like(h)
        d_diff = dout * z
        d_z, d_n = dout * (h - new), dout - d_diff
        da = _gates(dact, 3) if dact is not None else (None, None, None)
        d_an = _tanh_grad(_plus(d_n, da[2]), new)
        d_r = _plus(d_an * _gates(gh, 3)[2], da[0])
        d_rz = [_sigmoid_grad(d_r, r), _sigmoid_grad(_plus(d_z, da[1]), z)]
        gi_shape, gh_shape, h_shape = ctx.shapes
        d_gi = make_tensor(np.concatenate([*d_rz, d_an], -1))
        d_gh = make_tensor(np.concatenate([*d_rz, d_an * r], -1))
        return (
            unbroadcast(d_gi, gi_shape),
            unbroadcast(d_gh, gh_shape),
            unbroadcast(make_tensor(d_diff), h_shape),
        )


def lstm_step(gi: Tensor, gh: Tensor, c: Tensor) -> tuple:
    """One LSTM step from the input's and the hidden state's gate shares ``gi``, ``gh``
    (..., 4H, gates i, f, g, o) and the cell state ``c``: returns (h', c')."""
    wrap_dim(1, gi.ndim)  # PyTorch chunks the gates along dim 1: 1-D gates raise its error
    return LSTMStep.apply(gi, gh, c)[:2]


def gru_step(gi: Tensor, gh: Tensor, h: Tensor) -> Tensor:
    """One GRU step from the gate shares ``gi``, ``gh`` (..., 3H, gates r, z, n) and the
    hidden state ``h``: returns h'."""
    wrap_dim(1, gi.ndim)  # as in lstm_step
    return GRUStep.apply(gi, gh, h)[0]
