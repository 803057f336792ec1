"""Random recurrent programs, run with real PyTorch (the oracle) and with minitorch: an RNN
(tanh or relu), LSTM (with ``proj_size`` too) or GRU of random sizes, layers, ``bias``,
``batch_first`` and ``bidirectional``, built after the same ``manual_seed`` (its init is
compared), in float64, fed a padded batch, an unbatched sequence, or a batch packed by
``pack_padded_sequence`` (lengths as a list or a tensor, sorted or not, ``enforce_sorted``),
``pack_sequence`` or ``pad_sequence`` (``batch_first``, ``padding_value``), with or without an
initial state, unpacked by ``pad_packed_sequence`` (``batch_first``, ``padding_value``,
``total_length``) or ``unpack_sequence``; also the cells (RNNCell, LSTMCell, GRUCell) stepped
by hand. Compared: the outputs, the final states, the packed data and batch sizes, the
gradients of the input, the initial state and every parameter, and the errors of bad
inputs (type and PyTorch's words). Seeds are fixed, so a failure names a program:
``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(150)
KINDS = ("RNN", "RNN_relu", "LSTM", "LSTM_proj", "GRU", "RNNCell", "LSTMCell", "GRUCell")
FEEDS = ("padded", "padded", "unbatched", "pack_padded", "pack_padded", "pack_sequence", "pad_sequence")  # fmt: skip
FAULTS = ("none",) * 8 + ("input_size", "h0_shape", "unsorted", "length_zero", "length_long", "h0_dtype")  # fmt: skip


def program(seed: int) -> dict:
    r = random.Random(seed)
    kind = r.choice(KINDS)
    hidden = r.randint(1, 4)
    batch = r.randint(1, 3)
    steps = r.randint(1, 4)
    lengths = [r.randint(1, steps) for _ in range(batch)]
    lengths[r.randrange(batch)] = steps  # the longest fills the padded batch
    return {
        "kind": kind,
        "input_size": r.randint(1, 3),
        "hidden": hidden,
        "layers": r.randint(1, 3),
        "bias": r.random() < 0.8,
        "batch_first": r.random() < 0.5,
        "bidirectional": r.random() < 0.4,
        "proj": r.randint(1, hidden - 1) if kind == "LSTM_proj" and hidden > 1 else 0,
        "batch": batch,
        "steps": steps,
        "lengths": lengths,
        "feed": r.choice(FEEDS),
        "lengths_tensor": r.random() < 0.4,
        "enforce_sorted": r.random() < 0.4,
        "sort": r.random() < 0.5,
        "h0": r.random() < 0.5,
        "unpack_batch_first": r.random() < 0.5,
        "padding_value": r.choice((0.0, 0.0, -1.5)),
        "total_length": r.random() < 0.3,
        "fault": r.choice(FAULTS),
        "eval": r.random() < 0.3,
    }


def describe(seed: int) -> str:
    return str(program(seed))


def _values(t):
    if t is None:
        return None
    if isinstance(t, (tuple, list)):
        return [_values(x) for x in t]
    a = np.asarray(t.detach().tolist(), dtype=float)
    return (tuple(t.shape), str(t.dtype).split(".")[-1], np.round(a, 9).tolist())


def _module(T, p: dict):
    kind, nn = p["kind"], T.nn
    if kind.endswith("Cell"):
        cell = getattr(nn, kind)
        extra = {"nonlinearity": "relu"} if kind == "RNNCell" and p["bias"] else {}
        return cell(p["input_size"], p["hidden"], bias=p["bias"], **extra)
    extra = {}
    if kind == "RNN_relu":
        extra["nonlinearity"] = "relu"
    if p["proj"]:
        extra["proj_size"] = p["proj"]
    cls = getattr(nn, kind.split("_")[0])
    return cls(p["input_size"], p["hidden"], num_layers=p["layers"], bias=p["bias"],
               batch_first=p["batch_first"], bidirectional=p["bidirectional"], **extra)  # fmt: skip


def _inputs(T, p: dict, r: random.Random):
    """The sequences: a list of (length, input_size) tensors, one per batch entry."""
    size = p["input_size"] + (p["fault"] == "input_size")
    return [
        T.tensor(
            [[r.uniform(-1, 1) for _ in range(size)] for _ in range(n)], dtype=T.float64
        ).requires_grad_()
        for n in p["lengths"]
    ]


def _state(T, p: dict, r: random.Random, batch: int | None):
    """An initial state (h0, or (h0, c0) for an LSTM) of random values, or None."""
    if not p["h0"] and p["fault"] != "h0_shape":
        return None
    directions = 2 if p["bidirectional"] else 1
    out = p["proj"] or p["hidden"]
    lead = (p["layers"] * directions,)
    h_shape = lead + ((batch,) if batch is not None else ()) + (out,)
    c_shape = lead + ((batch,) if batch is not None else ()) + (p["hidden"],)
    if p["fault"] == "h0_shape":
        h_shape = h_shape[:-1] + (h_shape[-1] + 1,)
    dtype = T.float32 if p["fault"] == "h0_dtype" else T.float64

    def rand(shape):
        n = int(np.prod(shape))
        return T.tensor(np.array([r.uniform(-1, 1) for _ in range(n)]).reshape(shape), dtype=dtype).requires_grad_()  # fmt: skip

    h = rand(h_shape)
    return (h, rand(c_shape)) if p["kind"].startswith("LSTM") else h


def _cell_program(T, p: dict, r: random.Random, cell, seqs) -> list:
    steps = max(p["lengths"])
    x = T.nn.utils.rnn.pad_sequence(seqs)  # (steps, batch, features)
    state = None
    if p["h0"]:
        h = T.tensor([[r.uniform(-1, 1) for _ in range(p["hidden"])] for _ in range(p["batch"])], dtype=T.float64).requires_grad_()  # fmt: skip
        state = (h, h * 0.5) if p["kind"] == "LSTMCell" else h
    outs = []
    for t in range(steps):
        state = cell(x[t], state)
        outs.append(state[0] if isinstance(state, tuple) else state)
    return [T.stack(outs)], state


def run(T, seed: int) -> list:
    p = program(seed)
    r = random.Random(seed + 10**6)
    T.manual_seed(seed)
    out = []
    try:
        model = _module(T, p).double()
        out.append(repr(model).replace("minitorch", "torch"))
        out.append([(k, _values(v)) for k, v in model.state_dict().items()])
        if p["eval"]:
            model.eval()
        seqs = _inputs(T, p, r)
        rnn = T.nn.utils.rnn
        if p["kind"].endswith("Cell"):
            results, state = _cell_program(T, p, r, model, seqs)
        else:
            lengths = list(p["lengths"])
            if p["fault"] == "length_zero":
                lengths[0] = 0
            elif p["fault"] == "length_long":
                lengths[0] = p["steps"] + 1
            if p["sort"] or p["feed"] == "pack_sequence" and p["enforce_sorted"]:
                order = sorted(range(len(seqs)), key=lambda i: -lengths[i])
                seqs, lengths = [seqs[i] for i in order], [lengths[i] for i in order]
            if p["fault"] == "unsorted" and len(lengths) > 1:
                lengths = sorted(lengths)
                seqs = sorted(seqs, key=len)
            batch = len(seqs)
            feed = p["feed"]
            state = _state(T, p, r, None if feed == "unbatched" else batch)
            if feed == "unbatched":
                x = seqs[0]
            elif feed in ("padded", "pad_sequence", "pack_padded"):
                x = rnn.pad_sequence(seqs, batch_first=p["batch_first"], padding_value=p["padding_value"])  # fmt: skip
                if feed == "pack_padded":
                    given = T.tensor(lengths) if p["lengths_tensor"] else lengths
                    x = rnn.pack_padded_sequence(x, given, batch_first=p["batch_first"], enforce_sorted=p["enforce_sorted"])  # fmt: skip
            else:
                x = rnn.pack_sequence(seqs, enforce_sorted=p["enforce_sorted"])
            y, state = model(x, state) if state is not None or r.random() < 0.5 else model(x)
            if isinstance(y, rnn.PackedSequence):
                out.append([_values(y.data), y.batch_sizes.tolist(),
                            None if y.sorted_indices is None else y.sorted_indices.tolist()])  # fmt: skip
                total = max(lengths) + 1 if p["total_length"] else None
                y, got_lengths = rnn.pad_packed_sequence(
                    y,
                    batch_first=p["unpack_batch_first"],
                    padding_value=p["padding_value"],
                    total_length=total,  # fmt: skip
                )
                out.append(got_lengths.tolist())
            results = [y]
        out.append(_values(results))
        out.append(_values(state))
        parts = [(res * (i + 1)).sum() for i, res in enumerate(results)]
        flat_state = state if isinstance(state, tuple) else (state,)
        parts += [(s * 0.3).sum() for s in flat_state]
        sum(parts).backward()
        out.append([_values(s.grad) for s in seqs])
        out.append([(k, _values(v.grad)) for k, v in model.named_parameters()])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        kind = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
        out.append(("error", kind.__name__, str(e).replace("minitorch", "torch")[:200]))
    return out


def same(seed: int, mine: list, theirs: list) -> bool:
    """Outcomes agree. An error agrees when PyTorch's message (its first 60 characters) is in
    minitorch's, which names the op. Two faults are compared by the error's type only: a
    length beyond the padded sequence (PyTorch fails inside its packing, or, with shorter
    sequences beside it, packs what lies past them; minitorch names the length), and an LSTM's
    initial state of a wrong shape with packed input (PyTorch's kernel fails on its weights:
    'got an incorrect number of RNN parameters'; minitorch names the expected size)."""
    p = program(seed)
    type_only = p["fault"] == "length_long" or (
        p["fault"] == "h0_shape" and p["kind"].startswith("LSTM") and p["feed"].startswith("pack")
    )
    if len(mine) != len(theirs):
        return False
    for a, b in zip(mine, theirs):
        if isinstance(a, tuple) and isinstance(b, tuple) and a[:2] == b[:2] and a[0] == "error":
            if not type_only and b[2][:60] not in a[2]:
                return False
        elif a != b:
            return False
    return True


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_rnn_program_matches_pytorch(torch, seed):
    mine, theirs = run(minitorch, seed), run(torch, seed)
    assert same(seed, mine, theirs), (describe(seed), mine, theirs)
