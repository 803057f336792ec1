"""Random attention and transformer programs, run with real PyTorch (the oracle) and with
minitorch. Seeds modulo 3 draw: ``F.scaled_dot_product_attention`` (3-D/4-D inputs, bool or
float masks of broadcasting shapes, fully masked rows, ``is_causal`` with L != S, ``scale``,
dropout under the seed, ``enable_gqa`` with grouped heads, float32/float64/bfloat16, wrong
shapes and dtypes); ``nn.MultiheadAttention`` (kdim/vdim, bias, add_bias_kv, add_zero_attn,
batch_first, dropout in train mode, key padding and attention masks bool/float 2-D/3-D,
need_weights, average_attn_weights, is_causal, unbatched inputs, self-attention with one
tensor object in eval under no_grad: PyTorch's fast path); the transformer modules
(TransformerEncoderLayer/DecoderLayer/Encoder/Decoder/Transformer with relu/gelu/a callable,
norm_first, batch_first, layer_norm_eps, bias, enable_nested_tensor, padding masks,
``generate_square_subsequent_mask``, is_causal, a final norm) in train or eval mode. Modules
are built after the same ``manual_seed`` (their initialization must match). Compared: the
outputs and attention weights, the warnings (category and first words), the error (type and
PyTorch's first words), the gradients of the inputs and parameters, the repr and the
state_dict keys. Seeds are fixed, so a failure names a program: ``describe(seed)``."""

from __future__ import annotations

import functools
import random
import warnings

import numpy as np
import pytest
from fuzz_compare import assert_same

import minitorch

SEEDS = range(180)

TOLERANCE = {"float64": (1e-7, 1e-9), "float32": (2e-4, 1e-4), "bfloat16": (6e-2, 6e-2)}


# ---- drawing a program -------------------------------------------------------------------
def _mask_spec(r, shape, kind, full_rows=False):
    """("mask", shape, kind, fraction masked, fully masked rows?): kind "bool" (True masked
    out for MultiheadAttention, kept for scaled_dot_product_attention) or "float" (-inf or
    random additive values)."""
    return ("mask", tuple(shape), kind, r.choice([0.0, 0.2, 0.4]), full_rows)


def g_sdpa(r):
    dt = r.choice(["float32", "float32", "float64", "float64", "bfloat16"])
    four = r.random() < 0.7
    B, Hk, L, S = r.choice([1, 2]), r.choice([1, 2]), r.randint(1, 5), r.randint(1, 5)
    if r.random() < 0.05:
        L, S = r.choice([(0, 3), (3, 0), (0, 0)])
    E, Ev = r.choice([2, 4, 8]), r.choice([2, 3, 4])
    gqa = four and r.random() < 0.25
    Hq = Hk * (r.choice([1, 2, 3]) if gqa else 1)
    lead_q, lead_k = ((B, Hq), (B, Hk)) if four else ((B * Hq,), (B * Hk,))
    if not four and r.random() < 0.2:
        lead_q = lead_k = ()  # 2-D (L, E) inputs
    q, k, v = (*lead_q, L, E), (*lead_k, S, E), (*lead_k, S, Ev)
    if r.random() < 0.05:  # a wrong key size or value length: PyTorch's bmm error
        k = (*lead_k, S, E + 1) if r.random() < 0.5 or four else k
        # (not 4-D: PyTorch's CPU flash kernel does not check the value's length, it reads
        # past it or expands the mask to it)
        v = (*lead_k, S + 1, Ev) if k[-1] == E else v
    kw = {}
    if gqa:
        kw["enable_gqa"] = True
    if r.random() < 0.5:
        full = r.random() < 0.3
        lead = (B, Hq) if four else (B * Hq,)
        shapes = [(L, S), (1, S), (L, 1), (*lead, L, S), (1, L, S)]
        if four:
            shapes += [(B, 1, L, S), (1, Hq, 1, S), (Hq, L, S)]
        mshape = r.choice(shapes)
        if r.random() < 0.04:
            mshape = (L + 1, S)  # not broadcastable
        kind = r.choice(["bool", "bool", "float", "float_same", "float_same"])
        if r.random() < 0.03:
            kind = r.choice(["int", "float64"])  # PyTorch's mask dtype error (or float64 q)
        kw["attn_mask"] = _mask_spec(r, mshape, kind, full)
        if kind.startswith("float") and r.random() < 0.25:
            kw["attn_mask"] += ("grad",)  # a learned bias: its gradient too
        if r.random() < 0.1:
            kw["is_causal"] = True  # with a mask: the math kernel's error, or the flash kernel
    elif r.random() < 0.35:
        kw["is_causal"] = True
    if r.random() < 0.3:
        kw["scale"] = r.choice([0.1, 0.5, 1.0, 2.0])
    if r.random() < 0.15:
        kw["dropout_p"] = r.choice([0.2, 0.5, 1.0])
    dtypes = [dt, dt, dt]
    if r.random() < 0.04:
        dtypes[r.randrange(3)] = "float64" if dt != "float64" else "float32"
    grads = [r.random() < 0.6 for _ in range(3)]
    mode = r.choice(["value", "grad", "grad", "no_grad"])
    # inputs made as the transpose of their last two dims (strides: PyTorch's kernel choice)
    transposed = [len(x) >= 2 and r.random() < 0.15 for x in (q, k, v)]
    return {"kind": "sdpa", "shapes": (q, k, v), "dtypes": dtypes, "grads": grads, "kw": kw,
            "mode": mode, "transposed": transposed}  # fmt: skip


def g_mha(r):
    heads = r.choice([1, 2, 2, 4])
    E = heads * r.choice([1, 2, 3])
    ctor = {"embed_dim": E, "num_heads": heads}
    if r.random() < 0.03:  # PyTorch's constructor errors
        ctor["num_heads"] = r.choice([0, E + 1 if E > 1 else 3])
    if r.random() < 0.3:
        ctor["kdim"] = r.choice([E, 3, 5])
    if r.random() < 0.3:
        ctor["vdim"] = r.choice([E, 2, 6])
    for name, p in (("bias", 0.2), ("add_bias_kv", 0.25), ("add_zero_attn", 0.25)):
        if r.random() < p:
            ctor[name] = name != "bias"
    if r.random() < 0.5:
        ctor["batch_first"] = True
    if r.random() < 0.2:
        ctor["dropout"] = r.choice([0.1, 0.5])
    train = r.random() < 0.4
    no_grad = not train and r.random() < 0.5
    dt = r.choice(["float32", "float32", "float64", "float64", "bfloat16"])
    N, L, S = r.randint(1, 3), r.randint(1, 4), r.randint(1, 4)
    batched = r.random() < 0.85
    same = r.random() < 0.35 and ctor.get("kdim", E) == E and ctor.get("vdim", E) == E
    if same:
        S = L
    bf = ctor.get("batch_first", False)

    def seq(n, d):
        if not batched:
            return (n, d)
        return (N, n, d) if bf else (n, N, d)

    shapes = [seq(L, E), seq(S, ctor.get("kdim", E)), seq(S, ctor.get("vdim", E))]
    if r.random() < 0.04:  # a wrong embedding size, a wrong rank or another key length
        shapes[r.randrange(3)] = r.choice([seq(L, E + 1), (2, *seq(S, E)), seq(S + 1, E)])
        same = False
    fwd = {}
    if r.random() < 0.4:
        kind = r.choice(["bool", "bool", "float", "pad"])
        if r.random() < 0.03:
            kind = "int"
        kpm = (N, S) if batched else (S,)
        if r.random() < 0.03:
            kpm = (N + 1, S) if batched else (S + 1,)
        fwd["key_padding_mask"] = _mask_spec(r, kpm, kind, r.random() < 0.2)
    if r.random() < 0.4:
        kind = r.choice(["bool", "bool", "float"])
        if fwd.get("key_padding_mask") and r.random() < 0.7:
            kind = fwd["key_padding_mask"][2]  # mismatched types warn: mostly the same
        ashape = (L, S) if r.random() < 0.7 else ((N if batched else 1) * heads, L, S)
        if r.random() < 0.04:
            ashape = (L + 1, S)
        fwd["attn_mask"] = _mask_spec(r, ashape, kind, r.random() < 0.2)
        if r.random() < 0.2:
            fwd["is_causal"] = True
    elif r.random() < 0.05:
        fwd["is_causal"] = True  # without a mask: PyTorch's error
    if r.random() < 0.4:
        fwd["need_weights"] = r.random() < 0.5
    if r.random() < 0.3:
        fwd["average_attn_weights"] = False
    grads = [r.random() < 0.5 for _ in range(3)]
    return {"kind": "mha", "ctor": ctor, "shapes": shapes, "dtype": dt, "train": train,
            "no_grad": no_grad, "same": same, "fwd": fwd, "grads": grads}  # fmt: skip


TRANSFORMERS = ("TransformerEncoderLayer", "TransformerDecoderLayer", "TransformerEncoder",
                "TransformerDecoder", "Transformer")  # fmt: skip


def g_transformer(r):
    which = r.choice(TRANSFORMERS)
    heads = r.choice([1, 2, 2])
    d = heads * r.choice([2, 3, 4])
    layer = {"d_model": d, "nhead": heads, "dim_feedforward": r.choice([4, 8])}
    if r.random() < 0.4:
        layer["dropout"] = r.choice([0.0, 0.2])
    if r.random() < 0.4:
        layer["activation"] = r.choice(["relu", "gelu", "F.gelu", "F.relu", "lambda", "nn.GELU",
                                        "nn.ReLU", "nn.Tanh"])  # fmt: skip
    for name, p in (("norm_first", 0.4), ("batch_first", 0.5)):
        if r.random() < p:
            layer[name] = True
    if r.random() < 0.2:
        layer["layer_norm_eps"] = r.choice([1e-3, 0.1])
    if r.random() < 0.15:
        layer["bias"] = False
    extra = {}
    if which in ("TransformerEncoder", "TransformerDecoder"):
        extra["num_layers"] = r.choice([1, 2])
        if r.random() < 0.4:
            extra["norm"] = True
        if which == "TransformerEncoder" and r.random() < 0.5:
            extra["enable_nested_tensor"] = r.random() < 0.5
        if which == "TransformerEncoder" and r.random() < 0.2:
            extra["mask_check"] = False
    if which == "Transformer":
        extra["num_encoder_layers"] = r.choice([1, 2])
        extra["num_decoder_layers"] = r.choice([1, 2])
    train = r.random() < 0.5
    no_grad = not train and r.random() < 0.5
    dt = r.choice(["float32", "float64", "float64", "bfloat16"])
    if dt == "bfloat16" and "Layer" not in which:  # (bfloat16 rounding grows with depth)
        dt = "float32"
    if dt == "bfloat16" and d < 4:  # (a LayerNorm of 2 features in bfloat16: ill-conditioned)
        d = layer["d_model"] = 4 * heads
    N, L, T = r.randint(1, 3), r.randint(1, 4), r.randint(1, 4)
    batched = r.random() < 0.85
    bf = layer.get("batch_first", False)
    wrong = r.random() < 0.04  # one input of another batch size or feature size

    def seq(n):
        if not batched:
            return (n, d)
        return (N, n, d) if bf else (n, N, d)

    decoder = which in ("TransformerDecoderLayer", "TransformerDecoder")
    encoder = which in ("TransformerEncoderLayer", "TransformerEncoder")
    shapes = [seq(L)] if encoder else [seq(T), seq(L)] if decoder else [seq(L), seq(T)]
    if wrong:
        i = r.randrange(len(shapes))
        shapes[i] = shapes[i][:-1] + (d + 1,) if r.random() < 0.5 or not batched else (
            (N + 1, *shapes[i][1:]) if bf else (shapes[i][0], N + 1, d))  # fmt: skip
    # the forward's masks: src (L, L), tgt (T, T), memory (T, L); padding masks (N, len)
    fwd = {}
    names = {"tgt_mask": T, "memory_mask": (T, L), "tgt_key_padding_mask": T,
             "memory_key_padding_mask": L}  # fmt: skip
    if encoder:
        names = {"mask": L, "src_key_padding_mask": L}
    elif not decoder:
        names.update(src_mask=L, src_key_padding_mask=L)
    for name, n in names.items():
        if r.random() > 0.3:
            continue
        kind = r.choice(["bool", "float", "causal"])
        if "padding" in name:
            kind = r.choice(["bool", "float", "pad", "pad"])
            fwd[name] = _mask_spec(r, (N, n) if batched else (n,), kind)
        elif kind == "causal" and isinstance(n, int):
            fwd[name] = ("causal", n, r.random() < 0.3)  # (generate_square_subsequent_mask)
        else:
            shape = n if isinstance(n, tuple) else (n, n)
            fwd[name] = _mask_spec(r, shape, "bool" if kind == "causal" else kind)
    for name in ("is_causal", "src_is_causal", "tgt_is_causal", "memory_is_causal"):
        ok = (
            (name == "is_causal" and encoder)
            or (name in ("tgt_is_causal", "memory_is_causal") and not encoder)
            or (name == "src_is_causal" and which == "Transformer")
        )
        if ok and r.random() < 0.15:
            fwd[name] = r.random() < 0.7
    grads = [r.random() < 0.5 for _ in shapes]
    return {"kind": "transformer", "which": which, "layer": layer, "extra": extra,
            "shapes": shapes, "dtype": dt, "train": train, "no_grad": no_grad, "fwd": fwd,
            "grads": grads}  # fmt: skip


GENERATORS = (g_sdpa, g_mha, g_transformer)


def case(seed: int) -> dict:
    """The program of ``seed``: a dict of plain values (shapes, keywords, modes)."""
    return GENERATORS[seed % 3](random.Random(seed))


def describe(seed: int) -> str:
    return repr(case(seed))


# ---- running a program ---------------------------------------------------------------------
def _mask(T, spec, rng, dtype, mha: bool):
    if spec[0] == "causal":
        _, n, float64 = spec
        kw = {"dtype": T.float64} if float64 else {}
        return T.nn.Transformer.generate_square_subsequent_mask(n, **kw)
    _, shape, kind, fraction, full, *grad = spec
    masked = rng.random(shape) < fraction
    if full and len(shape) >= 1 and shape[-1] and masked.size:
        flat = masked.reshape(-1, shape[-1])
        flat[rng.integers(0, flat.shape[0])] = True  # one row (or padding row) masked out
        masked = flat.reshape(shape)
    if kind == "bool":
        # MultiheadAttention's True masks a position out; SDPA's True keeps it
        return T.tensor(masked if mha else ~masked)
    if kind == "int":
        return T.tensor(masked.astype(np.int64))
    if kind == "pad":  # each row's trailing positions (the nested-tensor path's masks)
        n = shape[-1]
        lengths = rng.integers(0 if full else 1, n + 1, shape[:-1])
        return T.tensor(np.arange(n) >= np.asarray(lengths)[..., None])
    values = np.where(masked, -np.inf, 0.5 * rng.standard_normal(shape))
    dt = {"float": "float32", "float_same": dtype}.get(kind, kind)
    return T.tensor(values, dtype=getattr(T, dt), requires_grad=bool(grad))


def _array(t):
    if t is None:
        return None
    values = np.array(t.detach().double().tolist() if t.is_floating_point() else t.tolist())
    return ("tensor", str(t.dtype).split(".")[-1], tuple(t.shape), t.requires_grad, values)


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e).replace("minitorch", "torch"))


# PyTorch's nested tensors warn once per process (TORCH_WARN_ONCE): whether it shows depends
# on the programs run before, so it is left out (minitorch gives no such warning)
ONCE = "The PyTorch API of nested tensors"


def _warnings(caught) -> list:
    return sorted(
        (w.category.__name__, str(w.message).replace("minitorch", "torch")[:40])
        for w in caught
        if not str(w.message).startswith(ONCE)
    )


def _inputs(T, p, rng, dtype):
    leaves, xs = [], []
    for shape, rg in zip(p["shapes"], p["grads"]):
        x = T.tensor(rng.standard_normal(shape), dtype=getattr(T, dtype))
        if rg:
            x.requires_grad_()
            leaves.append(x)
        xs.append(x)
    return xs, leaves


def _activation(T, name):
    if name in ("relu", "gelu"):
        return name
    if name == "lambda":
        return lambda x: T.tanh(x) * 2
    if name.startswith("nn."):  # a Module: a child of the layer (its repr, its state_dict)
        return getattr(T.nn, name[3:])()
    return getattr(T.nn.functional, name[2:])


def _sdpa(T, p, rng):
    xs, leaves = [], []
    for shape, dt, rg, tr in zip(p["shapes"], p["dtypes"], p["grads"], p["transposed"]):
        x = T.tensor(rng.standard_normal(shape), dtype=getattr(T, dt))
        if tr:
            x = x.mT.contiguous().mT
        if rg and p["mode"] != "value":
            x.requires_grad_()
            leaves.append(x)
        xs.append(x)
    kw = dict(p["kw"])
    if "attn_mask" in kw:
        kw["attn_mask"] = _mask(T, kw["attn_mask"], rng, p["dtypes"][0], mha=False)
        if kw["attn_mask"].requires_grad:
            leaves.append(kw["attn_mask"])
    T.manual_seed(7)
    if p["mode"] == "no_grad":
        with T.no_grad():
            return T.nn.functional.scaled_dot_product_attention(*xs, **kw), leaves, None
    return T.nn.functional.scaled_dot_product_attention(*xs, **kw), leaves, None


def _mha(T, p, rng):
    m = T.nn.MultiheadAttention(**p["ctor"])
    m.to(getattr(T, p["dtype"]))
    m.train(p["train"])
    xs, leaves = _inputs(T, p, rng, p["dtype"])
    if p["same"]:
        xs = [xs[0]] * 3
        leaves = leaves[:1] if p["grads"][0] else []
    fwd = dict(p["fwd"])
    for name in ("key_padding_mask", "attn_mask"):
        if name in fwd:
            fwd[name] = _mask(T, fwd[name], rng, p["dtype"], mha=True)
    T.manual_seed(7)
    if p["no_grad"]:
        with T.no_grad():
            return m(*xs, **fwd), leaves, m
    return m(*xs, **fwd), leaves, m


def _transformer(T, p, rng):
    nn = T.nn
    layer = dict(p["layer"])
    if "activation" in layer:
        layer["activation"] = _activation(T, layer["activation"])
    extra = dict(p["extra"])
    which = p["which"]
    dt = getattr(T, p["dtype"])
    if which in ("TransformerEncoderLayer", "TransformerDecoderLayer"):
        m = getattr(nn, which)(**layer)
    elif which == "Transformer":
        m = nn.Transformer(**layer, **extra)
    else:
        one = getattr(nn, which + "Layer")(**layer)
        if extra.pop("norm", False):
            extra["norm"] = nn.LayerNorm(layer["d_model"], eps=layer.get("layer_norm_eps", 1e-5))
        m = getattr(nn, which)(one, **extra)
    m.to(dt)
    m.train(p["train"])
    xs, leaves = _inputs(T, p, rng, p["dtype"])
    fwd = {}
    for name, spec in p["fwd"].items():
        fwd[name] = _mask(T, spec, rng, p["dtype"], mha=True) if isinstance(spec, tuple) else spec
    T.manual_seed(7)
    if p["no_grad"]:
        with T.no_grad():
            return m(*xs, **fwd), leaves, m
    return m(*xs, **fwd), leaves, m


RUNNERS = {"sdpa": _sdpa, "mha": _mha, "transformer": _transformer}


def run(T, seed: int) -> list:
    p = case(seed)
    rng = np.random.default_rng(seed)
    out = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            T.manual_seed(seed)
            result, leaves, m = RUNNERS[p["kind"]](T, p, rng)
            if m is not None:
                out += [repr(m), list(m.state_dict())]
                leaves = leaves + [q for _, q in m.named_parameters()]
            outs = list(result) if isinstance(result, tuple) else [result]
            out.append([_array(o) for o in outs])
            first = outs[0]
            if first.requires_grad and leaves:
                weights = T.tensor(np.cos(np.arange(first.numel())).reshape(tuple(first.shape)))
                total = (first * weights.to(first.dtype)).sum()
                grads = T.autograd.grad(total, leaves, allow_unused=True)
                out.append([_array(g) for g in grads])
        except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
            out.append(_error(e))
        return out + [_warnings(caught)]


def loosest(seed: int) -> str:
    p = case(seed)
    dts = p.get("dtypes") or [p["dtype"]]
    return max(dts, key=lambda d: TOLERANCE[d][0])


same = functools.partial(assert_same, tolerance=TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_attention_program_matches_pytorch(torch, seed):
    same(run(minitorch, seed), run(torch, seed), describe(seed), loosest(seed))
