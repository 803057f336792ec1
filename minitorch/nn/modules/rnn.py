"""Recurrent layers: RNN, LSTM, GRU and their one-step cells RNNCell, LSTMCell, GRUCell
(mirror ``torch.nn``); the layers with num_layers, batch_first,
dropout between layers, bidirectional, initial states and PackedSequence inputs (each
sequence's state stops at its length; the reverse direction starts at it).

Each layer projects the whole input sequence with one matrix product; only the hidden-state
product and the gate math run per time step. Parameter names and order are PyTorch's:
``weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0`` then the ``_reverse`` ones.
"""

from __future__ import annotations

import math
import numbers
import warnings

from ... import factories, ops
from ..._tensor import Tensor
from ...ops.linear import _dtype_error
from ...ops.recurrent import gru_step, lstm_step
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import _steps_mask, repacked_output, unpacked_input
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_BATCHED = {True: "batched 3-D", False: "unbatched 2-D"}  # how PyTorch's messages say it


def _packed_dropout(x: Tensor, p: float, lengths, packed) -> Tensor:
    """Dropout between the layers of a packed input. PyTorch draws the mask over the packed
    data (the valid steps, time-major, in ``packed``'s longest-first order), so it is drawn
    in that shape and scattered to the padded (T, N, features) layout of ``x``."""
    order = None if packed.sorted_indices is None else packed.sorted_indices.cpu()._data
    sorted_lengths = lengths if order is None else lengths[order]
    ones = factories.ones((int(sorted_lengths.sum()), x.shape[-1]), dtype=x.dtype, device=x.device)
    noise = factories.zeros(x.shape, dtype=x.dtype, device=x.device)
    noise[_steps_mask(sorted_lengths, x, x.shape[0])] = F.dropout(ones, p)
    if order is not None:
        noise = noise.index_select(1, packed.unsorted_indices.to(x.device))
    return x * noise


def _no_projections(kwargs: dict) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


class RNNBase(Module):
    """Shared parameters, checks and the layer/direction loop of RNN, LSTM and GRU."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if (
            not isinstance(dropout, numbers.Number)
            or isinstance(dropout, bool)
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of "
                "an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
                stacklevel=3,
            )
        typed = (("bias", bias, bool), ("batch_first", batch_first, bool),
                 ("input_size", input_size, int), ("hidden_size", hidden_size, int))  # fmt: skip
        for name, value, kind in typed:
            if not isinstance(value, kind):
                raise TypeError(
                    f"{name} should be of type {kind.__name__}, got: {type(value).__name__}"
                )
            if kind is int and value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        out_size = proj_size or hidden_size
        self._flat_weights_names = []
        self._all_weights = []  # each layer and direction's parameter names, as PyTorch's
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else out_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {
                    "weight_ih": (gate_size, layer_input),
                    "weight_hh": (gate_size, out_size),
                }
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size:
                    shapes.update(weight_hr=(proj_size, hidden_size))
                names = [f"{name}_l{layer}{suffix}" for name in shapes]
                for name, shape in zip(names, shapes.values()):
                    p = Parameter(factories.empty(shape, device=device, dtype=dtype))
                    setattr(self, name, p)
                self._flat_weights_names += names
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list:
        """Mirrors ``RNNBase._flat_weights``: the parameters in ``_flat_weights_names`` order
        (a parametrized one computed, as ``nn.utils.parametrize`` makes it)."""
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list:
        """Mirrors ``RNNBase.all_weights``: each layer and direction's list of parameters."""
        n = len(self._flat_weights_names) // (self.num_layers * (2 if self.bidirectional else 1))
        flat = self._flat_weights
        return [flat[i : i + n] for i in range(0, len(flat), n)]

    def flatten_parameters(self) -> None:
        """Mirrors ``RNNBase.flatten_parameters``: packs the weights for cuDNN in PyTorch;
        here (as in PyTorch on the CPU) there is nothing to pack."""

    def reset_parameters(self) -> None:
        """PyTorch's default: every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0  # a cell's 0
        for p in self.parameters():
            init.uniform_(p, -stdv, stdv)

    def _layer_params(self, layer: int, suffix: str) -> tuple:
        name = f"l{layer}{suffix}"
        kinds = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return tuple(getattr(self, f"{kind}_{name}", None) for kind in kinds)

    def _check_input(self, input: Tensor) -> bool:
        """Checks the input's rank and feature size; returns whether it is batched."""
        if input.ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D instead"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {input.shape[-1]}"
            )
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight.dtype}). "
                f"Convert input: input.to({weight.dtype}), or convert model: "
                f"model.to({input.dtype})"
            )
        return input.ndim == 3

    def _initial(self, hx, batch: int, batched: bool, like: Tensor, what: str) -> Tensor:
        """An initial state of shape (layers * directions, batch, size), zeros if None; the
        size is proj_size for an LSTM's projected hidden state, else hidden_size."""
        size = self.proj_size if self.proj_size and what != "hidden[1]" else self.hidden_size
        shape = (self.num_layers * (2 if self.bidirectional else 1), batch, size)
        if hx is None:
            return factories.zeros(shape, dtype=like.dtype, device=like.device)
        rank = 3 if batched else 2
        if hx.ndim != rank:
            raise RuntimeError(
                f"For {_BATCHED[batched]} input, hx should also be {rank}-D but got "
                f"{hx.ndim}-D tensor"
            )
        hx = hx if batched else hx.unsqueeze(1)
        if tuple(hx.shape) != shape:
            raise RuntimeError(f"Expected {what} size {shape}, got {list(hx.shape)}")
        weight, bias = self.weight_hh_l0, getattr(self, "bias_hh_l0", None)
        if what != "hidden[1]" and hx.dtype != weight.dtype:  # multiplied first (PyTorch's kernel)
            raise _dtype_error(hx._data, weight._data, None if bias is None else bias._data)
        return hx

    def _run(self, input: Tensor, states: list, lengths=None, packed=None) -> tuple:
        """Runs every layer and direction. ``states`` holds one initial (L*D, N, H) tensor per
        state kind (h, and c for LSTM); ``lengths`` (of the ``packed`` input) stop each
        sequence's state at its end. Returns (output, [final states per kind])."""
        batched = self._check_input(input)
        x = input if batched else input.unsqueeze(1)
        if self.batch_first and batched:
            x = x.transpose(0, 1)  # (T, N, features)
        if x.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        mask = None
        if lengths is not None:  # (T, N, 1): whether step t is inside sequence n
            steps = factories.arange(x.shape[0], device=x.device)
            mask = (steps[:, None] < factories.tensor(lengths, device=x.device)).unsqueeze(-1)
        directions = 2 if self.bidirectional else 1
        finals = [[] for _ in states]
        for layer in range(self.num_layers):
            outs = []
            for d, suffix in enumerate(("", "_reverse")[:directions]):
                k = layer * directions + d
                y, last = self._direction(x, [s[k] for s in states], layer, suffix, d == 1, mask)
                outs.append(y)
                for f, s in zip(finals, last):
                    f.append(s)
            x = outs[0] if directions == 1 else ops.cat(outs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                if packed is None:
                    x = F.dropout(x, self.dropout, True)
                else:
                    x = _packed_dropout(x, self.dropout, lengths, packed)
        if self.batch_first and batched:
            x = x.transpose(0, 1)
        finals = [ops.stack(f) for f in finals]
        if not batched:
            x = x.squeeze(1)
            finals = [f.squeeze(1) for f in finals]
        return x, finals

    def _direction(self, x: Tensor, state: list, layer: int, suffix: str, reverse: bool, mask):
        """One layer in one direction over the whole sequence x (T, N, features); where
        ``mask`` (T, N, 1) is False a sequence has ended and keeps its state."""
        w_ih, w_hh, b_ih, b_hh = self._layer_params(layer, suffix)
        w_hr = getattr(self, f"weight_hr_l{layer}{suffix}", None)  # proj_size; weight_norm too
        split_bias = self.mode == "GRU"  # GRU's hidden bias sits inside the reset gate
        if b_ih is not None and not split_bias:
            b_ih = b_ih + b_hh
        gi = F.linear(x, w_ih, b_ih)  # (T, N, gates): the input's share, all steps at once
        # one split node (its backward one cat), not T index nodes each backpropagating a
        # (T, N, gates) array
        steps = [g.squeeze(0) for g in gi.split(1)]
        b_step = b_hh if split_bias else None
        T = x.shape[0]
        ys = [None] * T
        for t in range(T - 1, -1, -1) if reverse else range(T):
            new = self._cell(steps[t], state, F.linear(state[0], w_hh, b_step))
            if w_hr is not None:
                new[0] = F.linear(new[0], w_hr)
            state = new if mask is None else [ops.where(mask[t], a, b) for a, b in zip(new, state)]
            ys[t] = state[0]
        return ops.stack(ys), state

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s


class RNN(RNNBase):
    """Mirrors ``torch.nn.RNN``: h' = tanh (or relu)(x W_ih^T + b_ih + h W_hh^T + b_hh).
    ``forward(input, hx=None)`` returns (output, h_n)."""

    def __init__(self, *args, **kwargs) -> None:
        names = ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias",
                 "batch_first", "dropout", "bidirectional", "device", "dtype")  # fmt: skip
        _no_projections(kwargs)
        if len(args) > len(names):
            raise TypeError(f"RNN takes at most {len(names)} positional arguments")
        kwargs.update(zip(names, args))
        self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(mode, **kwargs)

    def _cell(self, gi: Tensor, state: list, gh: Tensor) -> list:
        pre = gi + gh
        return [pre.tanh() if self.mode == "RNN_TANH" else pre.relu()]

    def forward(self, input, hx=None) -> tuple:
        input, lengths, packed = unpacked_input(input, self.batch_first)
        batched = self._check_input(input)
        n = input.shape[0 if self.batch_first else 1] if batched else 1
        h0 = self._initial(hx, n, batched, input, "hidden")
        out, (h,) = self._run(input, [h0], lengths, packed)
        return repacked_output(out, lengths, packed, self.batch_first), h


class LSTM(RNNBase):
    """Mirrors ``torch.nn.LSTM`` (gates i, f, g, o). ``forward(input, (h0, c0)=None)``
    returns (output, (h_n, c_n))."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def _cell(self, gi: Tensor, state: list, gh: Tensor) -> list:
        return list(lstm_step(gi, gh, state[1]))

    def forward(self, input, hx=None) -> tuple:
        input, lengths, packed = unpacked_input(input, self.batch_first)
        if packed is not None and input.shape[-1] != self.input_size:  # PyTorch's kernel
            raise RuntimeError(  # multiplies the packed rows unchecked
                f"mat1 and mat2 shapes cannot be multiplied ({int(sum(lengths))}x"
                f"{input.shape[-1]} and {self.input_size}x{4 * self.hidden_size})"
            )
        batched = self._check_input(input)
        n = input.shape[0 if self.batch_first else 1] if batched else 1
        h0, c0 = (None, None) if hx is None else hx
        rank = 3 if batched else 2
        if hx is not None and (h0.ndim != rank or c0.ndim != rank):
            raise RuntimeError(
                f"For {_BATCHED[batched]} input, hx and cx should also be {rank}-D but got "
                f"({h0.ndim}-D, {c0.ndim}-D) tensors"
            )
        h0 = self._initial(h0, n, batched, input, "hidden[0]")
        c0 = self._initial(c0, n, batched, input, "hidden[1]")
        out, (h, c) = self._run(input, [h0, c0], lengths, packed)
        return repacked_output(out, lengths, packed, self.batch_first), (h, c)


class GRU(RNNBase):
    """Mirrors ``torch.nn.GRU`` (gates r, z, n; n = tanh(x W_in + b_in + r (h W_hn + b_hn))).
    ``forward(input, hx=None)`` returns (output, h_n)."""

    def __init__(self, *args, **kwargs) -> None:
        _no_projections(kwargs)
        super().__init__("GRU", *args, **kwargs)

    def _cell(self, gi: Tensor, state: list, gh: Tensor) -> list:
        return [gru_step(gi, gh, state[0])]

    forward = RNN.forward  # one hidden state, as RNN's


class RNNCellBase(Module):
    """Shared parameters and checks of RNNCell, LSTMCell and GRUCell: one time step of the
    matching layer's cell (its ``_cell``), with PyTorch's parameter names and init."""

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool, chunks: int, device=None, dtype=None
    ) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        shapes = {"weight_ih": (chunks * hidden_size, input_size),
                  "weight_hh": (chunks * hidden_size, hidden_size)}  # fmt: skip
        if bias:
            shapes.update(bias_ih=(chunks * hidden_size,), bias_hh=(chunks * hidden_size,))
        for name, shape in shapes.items():
            setattr(self, name, Parameter(factories.empty(shape, device=device, dtype=dtype)))
        if not bias:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def _step(self, input: Tensor, states: list) -> list:
        """The new states for ``input`` (N, input_size) or (input_size,) and ``states`` (each
        (N, hidden) or (hidden,), None for zeros)."""
        if input.ndim not in (1, 2):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[-1]} expected "
                f"{self.input_size}"
            )
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        shape = (x.shape[0], self.hidden_size)
        full = []
        for k, s in enumerate(states):
            if s is None:
                full.append(factories.zeros(shape, dtype=x.dtype, device=x.device))
                continue
            if s.ndim not in (1, 2):
                label = f"hx[{k}]" if len(states) == 2 else "hidden"
                raise ValueError(
                    f"{type(self).__name__}: Expected {label} to be 1D or 2D, got {s.ndim}D instead"
                )
            s = s if batched else s.unsqueeze(0)
            if s.shape[0] != shape[0]:
                raise RuntimeError(
                    f"Input batch size {shape[0]} doesn't match hidden{k} batch size {s.shape[0]}"
                )
            if s.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"hidden{k} has inconsistent hidden_size: got {s.shape[1]}, expected "
                    f"{self.hidden_size}"
                )
            full.append(s)
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        gh = F.linear(full[0], self.weight_hh, self.bias_hh)
        new = self._cell(gi, full, gh)
        return new if batched else [s.squeeze(0) for s in new]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s


class RNNCell(RNNCellBase):
    """Mirrors ``torch.nn.RNNCell``: one step of RNN; ``forward(input, hx=None)`` returns h'."""

    _cell = RNN._cell

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    @property
    def mode(self) -> str:
        """The matching RNN layer's mode, "RNN_TANH" or "RNN_RELU"."""
        return "RNN_RELU" if self.nonlinearity == "relu" else "RNN_TANH"

    def forward(self, input: Tensor, hx=None) -> Tensor:
        if self.nonlinearity not in ("tanh", "relu"):  # PyTorch checks it here, not in __init__
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return self._step(input, [hx])[0]


class LSTMCell(RNNCellBase):
    """Mirrors ``torch.nn.LSTMCell``: one step of LSTM; ``forward(input, (h, c)=None)``
    returns (h', c')."""

    _cell = LSTM._cell

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx=None) -> tuple:
        if isinstance(hx, Tensor):
            raise TypeError(
                "lstm_cell(): argument 'hx' (position 2) must be tuple of Tensors, not Tensor"
            )
        h, c = self._step(input, [None, None] if hx is None else list(hx))
        return h, c


class GRUCell(RNNCellBase):
    """Mirrors ``torch.nn.GRUCell``: one step of GRU; ``forward(input, hx=None)`` returns h'."""

    _cell = GRU._cell

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx=None) -> Tensor:
        return self._step(input, [hx])[0]
