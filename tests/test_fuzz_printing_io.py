"""Random printing, serialization and DataLoader programs, run with real PyTorch (the oracle)
and with minitorch. Printing: tensors of every dtype (0-d, empty, large enough to be
summarised; NaN, infinities, -0.0, huge, tiny and integral values; requires_grad, grad_fn,
views, Parameters) through ``repr``/``str``/``format`` under random ``set_printoptions``,
and the repr of what goes with them (return types, Size, finfo/iinfo). Serialization:
``save``/``load`` round trips (a buffer or a file, ``weights_only`` True/False) of nested
containers holding tensors that share memory (views, the same tensor or container twice),
Parameters and objects ``weights_only`` refuses; module and optimizer state_dicts loaded into
a fresh model whose next step must match. DataLoader: datasets (map-style, TensorDataset,
Subset, ConcatDataset, IterableDataset, random_split), batch sizes (None too), shuffling from
a generator or the global seed, drop_last, samplers and collate functions, two epochs.
Compared: the text exactly (``minitorch.`` read as ``torch.``), values, dtypes, strides,
object identity and sharing after load, batches, and errors (type and first words). Seeds are
fixed, so a failure names a program that can be replayed with ``describe_*(seed)``."""

from __future__ import annotations

import collections
import io
import math
import os
import random
import re
import tempfile
import warnings

import numpy as np
import pytest

import minitorch

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64")  # fmt: skip
FLOATS = ("float16", "bfloat16", "float32", "float64")


def _named(value):
    """Text as PyTorch writes it: minitorch's module name read as torch's."""
    return value.replace("minitorch", "torch") if isinstance(value, str) else value


def _error(e: Exception, words: int = 60) -> tuple:
    name = re.search(r"GLOBAL \S+", str(e))  # weights_only: the global it refused
    return ("error", type(e).__name__, _named(str(e))[:words], name and _named(name.group()))


# ---- printing -----------------------------------------------------------------------------
PRINT_SEEDS = range(400)
WRAPS = ("plain", "plain", "requires_grad", "grad_fn", "transpose", "slice", "expand", "param",
         "neg", "subclass")  # fmt: skip
HOWS = ("repr", "repr", "str", "format", "format_spec", "container", "extra")
SPECS = (".3f", ".2e", "", "10.4f", "g", "+.1f", "d", ">8")
EXTRAS = ("max", "sort", "size", "finfo", "dtype", "device")


def _values(r: random.Random, rng, dt: str, n: int) -> list:
    if dt == "bool":
        return (rng.random(n) < 0.5).tolist()
    if dt not in FLOATS:
        info = np.iinfo(dt)
        lo, hi = max(info.min, -(10 ** r.randint(1, 6))), min(info.max, 10 ** r.randint(1, 6))
        return rng.integers(lo, hi, n, endpoint=True).tolist()
    kind = r.choice(["normal", "integral", "special", "huge", "tiny", "mixed", "rounded"])
    if kind == "integral":
        v = rng.integers(-200, 200, n).astype(float)
    elif kind == "huge":
        v = rng.standard_normal(n) * 10.0 ** r.randint(3, 12)
    elif kind == "tiny":
        v = rng.standard_normal(n) * 10.0 ** -r.randint(3, 9)
    elif kind == "rounded":
        v = rng.standard_normal(n).round(r.randint(0, 3))
    elif kind == "mixed":
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-6, 9, n)
    else:
        v = rng.standard_normal(n)
    if kind in ("special", "mixed"):
        pool = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1.0, 1e20, 1e-20]
        for i in range(n):
            if r.random() < 0.3:
                v[i] = r.choice(pool)
    # through float32 first: PyTorch converts float64 to float16 through float32 (two
    # roundings), minitorch in one, so a few values differ in their last bit (see the report)
    return v.astype(np.float32).tolist() if dt == "float16" else v.tolist()


def print_program(seed: int) -> dict:
    """Program ``seed``: the tensor (dtype, shape, values), its wrapping, the print options,
    how it is printed."""
    r = random.Random(seed)
    dt = r.choice(DTYPES)
    k = r.random()
    if k < 0.15:
        shape = ()
    elif k < 0.25:
        shape = tuple(r.choice([0, 0, 1, 2, 3]) for _ in range(r.randint(1, 3)))
    elif k < 0.45:
        shape = tuple(r.randint(1, 40) for _ in range(r.randint(1, 3)))
    else:
        shape = tuple(r.randint(1, 5) for _ in range(r.randint(1, 3)))
    values = _values(r, np.random.default_rng(seed), dt, math.prod(shape))
    opts = {}
    if r.random() < 0.6:
        for key, choices, p in (
            ("profile", ["default", "short", "full"], 0.3),
            ("precision", range(9), 0.4),
            ("threshold", [0, 1, 5, 10, 50, 1000], 0.4),
            ("edgeitems", range(5), 0.4),
            ("linewidth", [10, 20, 40, 80, 120], 0.3),
            ("sci_mode", [True, False], 0.3),
        ):
            if r.random() < p:
                opts[key] = r.choice(choices)
    return dict(dtype=dt, shape=shape, values=values, opts=opts, wrap=r.choice(WRAPS),
                how=r.choice(HOWS), spec=r.choice(SPECS), extra=r.choice(EXTRAS),
                default=r.choice(FLOATS) if r.random() < 0.15 else None)  # fmt: skip


def describe_print(seed: int) -> str:
    p = print_program(seed)
    return f"{p['dtype']}{list(p['shape'])} {p['wrap']} {p['how']} {p['opts']}"


def _printed(T, p: dict):
    dt = getattr(T, p["dtype"])
    x = T.tensor(p["values"], dtype=dt).reshape(p["shape"])
    floating, wrap = p["dtype"] in FLOATS, p["wrap"]
    if wrap == "requires_grad" and floating:
        x.requires_grad_()
    elif wrap == "grad_fn" and floating:
        x = T.tensor(p["values"], dtype=dt, requires_grad=True).reshape(p["shape"]) * 1
    elif wrap == "transpose" and x.dim() >= 2:
        x = x.transpose(0, 1)
    elif wrap == "slice" and x.dim() >= 1:
        x = x[::2]
    elif wrap == "expand":
        x = x.unsqueeze(0).expand(2, *x.shape)
    elif wrap == "param" and floating:
        x = T.nn.Parameter(x, requires_grad=len(p["values"]) % 2 == 0)
    elif wrap == "neg" and floating:
        x = -x
    elif wrap == "subclass":
        x = x.as_subclass(type("Sub", (T.Tensor,), {}))
    how = p["how"]
    if how in ("repr", "str", "format"):
        return {"repr": repr, "str": str, "format": lambda t: f"{t}"}[how](x)
    if how == "format_spec":
        return format(x, p["spec"])
    if how == "container":
        return repr([x, {"shape": x.shape, "dtype": x.dtype}, (x.device,)])
    extra = p["extra"]
    if extra in ("max", "sort") and x.dim() and x.numel() and p["dtype"] != "bool":
        return repr(x.max(0) if extra == "max" else x.sort(dim=0, stable=True))
    if extra == "finfo":
        return repr(T.finfo(dt) if floating else T.iinfo(dt) if p["dtype"] != "bool" else x.shape)
    return repr({"size": x.size(), "dtype": x.dtype, "device": x.device}[extra] if extra in ("size", "dtype", "device") else x)  # fmt: skip


def run_print(T, seed: int):
    p = print_program(seed)
    try:
        if p["default"]:
            T.set_default_dtype(getattr(T, p["default"]))
        T.set_printoptions(**p["opts"])
        return _named(_printed(T, p))
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        return _error(e)
    finally:
        T.set_printoptions(profile="default")
        T.set_default_dtype(T.float32)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", PRINT_SEEDS)
def test_random_print_matches_pytorch(torch, seed):
    assert run_print(minitorch, seed) == run_print(torch, seed), describe_print(seed)


# ---- serialization: nested containers sharing memory -------------------------------------
SAVE_SEEDS = range(160)
VIEWS = ("same", "slice", "step", "t", "view", "index", "narrow", "expand", "diagonal",
         "unsqueeze", "as_strided", "contiguous", "clone", "detach", "flip")  # fmt: skip
EXTRA_OBJECTS = (None, None, None, "ndarray", "object", "npscalar", "set", "complex", "size",
                 "dtype", "function", "frozenset", "namedtuple", "buffer", "slices", "cycle")  # fmt: skip
Point = collections.namedtuple("Point", "x y")


class Thing:
    """A plain class: pickled by its __dict__, refused by ``weights_only``."""

    def __init__(self) -> None:
        self.a = [1, "b"]


def save_program(seed: int):
    """Program ``seed``: base tensors (dtype, shape, requires_grad), the items built from
    them (views, Parameters, repeats, scalars, containers of earlier items), the top
    container, where it is saved, ``weights_only``, an extra object."""
    r = random.Random(seed)
    bases = [(r.choice(DTYPES), tuple(r.randint(1, 4) for _ in range(r.randint(0, 3))),
              r.random() < 0.3) for _ in range(r.randint(1, 3))]  # fmt: skip
    items: list = []
    for _ in range(r.randint(2, 7)):
        k = r.random()
        if k < 0.45:
            items.append(("view", r.randrange(len(bases)), r.choice(VIEWS)))
        elif k < 0.55:
            items.append(("param", r.randrange(len(bases)), r.random() < 0.7))
        elif k < 0.72:
            items.append(("again", r.randrange(len(items)) if items else None, None))
        elif k < 0.85:
            scalar = r.choice([1, -2.5, "s", None, True, math.inf, 2**40, math.nan])
            items.append(("scalar", scalar, None))
        else:
            items.append(("container", r.choice(["list", "tuple", "dict", "odict"]), r.randint(0, 3)))  # fmt: skip
    top = r.choice(["dict", "list", "tuple", "odict"])
    return bases, items, top, r.choice(["buffer", "file"]), r.choice([True, False, None]), r.choice(EXTRA_OBJECTS)  # fmt: skip


def describe_save(seed: int) -> str:
    bases, items, top, where, weights_only, extra = save_program(seed)
    return f"{top} to a {where}, weights_only={weights_only}, {extra}: {bases} {items}"


def _view(b, v: str):
    d = b.dim()
    return {
        "same": lambda: b,
        "slice": lambda: b[1:] if d else b,
        "step": lambda: b[::2] if d else b,
        "t": lambda: b.transpose(0, -1) if d >= 2 else b,
        "view": lambda: b.view(-1) if b.is_contiguous() else b.reshape(-1),
        "index": lambda: b[0] if d else b,
        "narrow": lambda: b.narrow(0, b.shape[0] - 1, 1) if d else b,
        "expand": lambda: b.unsqueeze(0).expand(2, *b.shape),
        "diagonal": lambda: b.diagonal() if d >= 2 else b,
        "unsqueeze": lambda: b.unsqueeze(-1),
        "as_strided": lambda: b.as_strided((1,), (1,), b.numel() - 1) if b.is_contiguous() else b,
        "contiguous": lambda: b.contiguous(),
        "clone": lambda: b.clone(),
        "detach": lambda: b.detach(),
        "flip": lambda: b.flip(0) if d else b,
    }[v]()


def _container(kind: str, got: list):
    if kind == "dict":
        return {f"k{i}": x for i, x in enumerate(got)}
    if kind == "odict":
        return collections.OrderedDict((i, x) for i, x in enumerate(got))
    return list(got) if kind == "list" else tuple(got)


def _saved_object(T, seed: int):
    bases, items, top, _, _, extra = save_program(seed)
    rng = np.random.default_rng(seed)
    pool = []
    for dt, shape, grad in bases:
        t = T.tensor((rng.standard_normal(shape) * 3).astype(np.float32)).to(getattr(T, dt))
        pool.append(t.requires_grad_() if dt in FLOATS and grad else t)
    objs: list = []
    for kind, a, b in items:
        if kind == "view":
            objs.append(_view(pool[a], b))
        elif kind == "param":
            base = pool[a]
            objs.append(T.nn.Parameter(base.detach() if base.is_floating_point() else base.float(), requires_grad=b))  # fmt: skip
        elif kind == "again":
            objs.append(objs[a] if a is not None else None)
        elif kind == "scalar":
            objs.append(a)
        else:
            objs.append(_container(a, objs[-b:] if b else []))
    if extra is not None:
        objs.append({
            "ndarray": lambda: np.arange(3.0), "object": Thing, "npscalar": lambda: np.float32(1.5),
            "set": lambda: {1, 2}, "complex": lambda: 1 + 2j, "size": lambda: T.Size([2, 3]),
            "dtype": lambda: T.float16, "function": lambda: np.linalg.norm,
            "frozenset": lambda: frozenset([3]), "namedtuple": lambda: Point(1, "y"),
            "buffer": lambda: T.nn.Buffer(pool[0], persistent=seed % 2 == 0),
            "slices": lambda: [slice(1, None, 2), range(2, 9, 3), ...],
            "cycle": lambda: (lambda c: c.append(c) or c)([objs[-1]]),
        }[extra]())  # fmt: skip
    return _container(top, objs) if top != "odict" else collections.OrderedDict((f"o{i}", o) for i, o in enumerate(objs))  # fmt: skip


def _structure(T, obj, ids: dict, out: list, path: str = "r") -> list:
    """What a user sees of a loaded object: types, which objects are the same object, the
    tensors' dtype, shape, strides, flags and values."""
    if isinstance(obj, (list, dict)) and id(obj) in ids:  # seen: the same object (or a cycle)
        out.append((path, "seen", ids[id(obj)]))
        return out
    key = ids.setdefault(id(obj), len(ids))
    if isinstance(obj, T.Tensor):
        values = obj.detach().float().tolist()
        out.append((path, type(obj).__name__, vars(obj), key, _named(str(obj.dtype)), tuple(obj.shape), obj.stride(),
                    obj.is_contiguous(), obj.requires_grad, obj.is_leaf, values))  # fmt: skip
    elif isinstance(obj, dict):
        out.append((path, type(obj).__name__, key, list(obj)))
        for k, v in obj.items():
            _structure(T, v, ids, out, f"{path}[{k!r}]")
    elif isinstance(obj, (list, tuple)):
        out.append((path, type(obj).__name__, key, len(obj)))
        for i, v in enumerate(obj):
            _structure(T, v, ids, out, f"{path}[{i}]")
    elif isinstance(obj, np.ndarray):
        out.append((path, "ndarray", obj.dtype.str, obj.tolist()))
    elif isinstance(obj, Thing):
        out.append((path, "Thing", vars(obj)))
    elif isinstance(obj, float):
        out.append((path, "float", repr(obj)))  # nan == nan
    else:
        out.append((path, type(obj).__name__, _named(str(obj))))
    return out


def _tensors(T, obj, found: list, seen: set) -> list:
    if isinstance(obj, T.Tensor):
        found.append(obj)
    elif isinstance(obj, (dict, list, tuple)) and id(obj) not in seen:
        seen.add(id(obj))
        for v in obj.values() if isinstance(obj, dict) else obj:
            _tensors(T, v, found, seen)
    return found


def run_save(T, seed: int) -> list:
    _, _, _, where, weights_only, _ = save_program(seed)
    out: list = []
    try:
        obj = _saved_object(T, seed)
        kwargs = {} if weights_only is None else {"weights_only": weights_only}
        if where == "buffer":
            buf = io.BytesIO()
            T.save(obj, buf)
            buf.seek(0)
            got = T.load(buf, **kwargs)
        else:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "checkpoint.pt")
                T.save(obj, path)
                got = T.load(path, **kwargs)
        out.append(_structure(T, got, {}, []))
        # memory shared after load: a change through one tensor shows in its views
        tensors = _tensors(T, got, [], set())
        for i, t in enumerate(tensors):
            if t.numel():
                with T.no_grad():
                    t.detach()[(0,) * t.dim()] = True if t.dtype == T.bool else 7 + i
                out.append([x.detach().float().tolist() for x in tensors])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e, 50))
    return out


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SAVE_SEEDS)
def test_random_save_load_matches_pytorch(torch, seed):
    assert run_save(minitorch, seed) == run_save(torch, seed), describe_save(seed)


# ---- serialization: checkpoints of a model and its optimizer ------------------------------
CHECKPOINT_SEEDS = range(24)
LAYERS = ("linear", "bn", "embed", "ln", "conv")
OPTIMIZERS = ("SGD", "SGDm", "Adam", "AdamW", "RMSprop", "Adagrad")
TWEAKS = (None, None, "missing", "unexpected", "shape", "strict_false", "param_groups", "lr")
SCHEDULERS = (None, "step", "cosine", "onecycle", "plateau", "multistep", "cyclic", "warm_restarts",
              "sequential")  # fmt: skip


def checkpoint_program(seed: int):
    """Program ``seed``: the layers, the optimizer, the steps before saving, ``weights_only``
    and a change of the loaded state before ``load_state_dict``."""
    r = random.Random(seed)
    layers = [r.choice(LAYERS) for _ in range(r.randint(1, 3))]
    return layers, r.choice(OPTIMIZERS), r.randint(0, 2), r.choice([True, None, False]), r.choice(TWEAKS), r.choice(SCHEDULERS)  # fmt: skip


def _model(T, layers: list):
    make = {
        "linear": lambda: T.nn.Linear(3, 2), "bn": lambda: T.nn.BatchNorm1d(3),
        "embed": lambda: T.nn.Embedding(4, 3), "ln": lambda: T.nn.LayerNorm(3),
        "conv": lambda: T.nn.Conv1d(3, 2, 1),
    }  # fmt: skip
    model = T.nn.ModuleDict({f"m{i}": make[k]() for i, k in enumerate(layers)})
    with T.no_grad():  # the same weights in both frameworks, no zeros (Adagrad's first step
        for p in model.parameters():  # divides a gradient by its own size)
            p.copy_(T.linspace(-0.7, 1.1, p.numel()).reshape(p.shape))
    return model


def _loss(T, model):
    x = T.linspace(-1, 1.3, 12).reshape(4, 3) ** 3
    total = 0
    for m in model.values():
        if isinstance(m, T.nn.Embedding):
            total = total + m(T.tensor([0, 3, 1])).sum()
        elif isinstance(m, T.nn.Conv1d):
            total = total + m(x.t().unsqueeze(0)).pow(2).sum()
        else:
            total = total + m(x).pow(2).sum()
    return total


def _optimizer(T, name: str, params):
    return {
        "SGD": lambda: T.optim.SGD(params, lr=0.1),
        "SGDm": lambda: T.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True),
        "Adam": lambda: T.optim.Adam(params, lr=0.01, amsgrad=True),
        "AdamW": lambda: T.optim.AdamW(params, lr=0.01),
        "RMSprop": lambda: T.optim.RMSprop(params, lr=0.01, momentum=0.5, centered=True),
        "Adagrad": lambda: T.optim.Adagrad(params, lr=0.1),
    }[name]()


def _scheduler(T, name, optimizer):
    S = T.optim.lr_scheduler
    return {
        None: lambda: None,
        "step": lambda: S.StepLR(optimizer, 2, 0.5),
        "cosine": lambda: S.CosineAnnealingLR(optimizer, 5),
        "onecycle": lambda: S.OneCycleLR(optimizer, 0.5, total_steps=10),
        "plateau": lambda: S.ReduceLROnPlateau(optimizer, patience=0),
        "multistep": lambda: S.MultiStepLR(optimizer, [1, 2], 0.3),
        "cyclic": lambda: S.CyclicLR(optimizer, 0.01, 0.1, step_size_up=2),
        "warm_restarts": lambda: S.CosineAnnealingWarmRestarts(optimizer, 2),
        "sequential": lambda: S.SequentialLR(
            optimizer, [S.ConstantLR(optimizer), S.ExponentialLR(optimizer, 0.9)], [2]
        ),  # fmt: skip
    }[name]()


def _step(T, model, optimizer, scheduler) -> None:
    optimizer.zero_grad()
    loss = _loss(T, model)
    loss.backward()
    optimizer.step()
    if isinstance(scheduler, T.optim.lr_scheduler.ReduceLROnPlateau):
        scheduler.step(1.0)
    elif scheduler is not None:
        scheduler.step()


def _state(T, b):
    """Nested state with tensors as (type, dtype, shape, requires_grad, float64 values)."""
    if isinstance(b, T.Tensor):
        return ("T", type(b).__name__, _named(str(b.dtype)), tuple(b.shape), b.requires_grad,
                np.array(b.detach().double().reshape(-1).tolist()))  # fmt: skip
    if isinstance(b, dict):
        return (type(b).__name__, [(k, _state(T, v)) for k, v in b.items()])
    if isinstance(b, (list, tuple)):
        return (type(b).__name__, [_state(T, v) for v in b])
    return "function" if callable(b) else b


def _same(a, b) -> bool:
    """Equal, float arrays within float32's tolerance (the steps' sums run in another order)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and np.allclose(a, b, rtol=1e-4, atol=1e-5)  # fmt: skip
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-6)
    return a == b


def run_checkpoint(T, seed: int) -> list:
    layers, opt, steps, weights_only, tweak, sched = checkpoint_program(seed)
    out: list = []
    try:
        model = _model(T, layers)
        optimizer = _optimizer(T, opt, model.parameters())
        scheduler = _scheduler(T, sched, optimizer)
        for _ in range(steps):
            _step(T, model, optimizer, scheduler)
        saved = {"model": model.state_dict(), "optim": optimizer.state_dict(), "epoch": steps}
        if scheduler is not None:
            saved["sched"] = scheduler.state_dict()
        buf = io.BytesIO()
        T.save(saved, buf)
        buf.seek(0)
        ckpt = T.load(buf, **({} if weights_only is None else {"weights_only": weights_only}))
        out.append(_state(T, ckpt))
        model2 = _model(T, layers)
        optimizer2 = _optimizer(T, opt, model2.parameters())
        sd, osd = ckpt["model"], ckpt["optim"]
        first = next(iter(sd))
        if tweak in ("missing", "strict_false"):
            sd.pop(first)
        if tweak in ("unexpected", "strict_false"):
            sd["extra.weight"] = T.zeros(1)
        if tweak == "shape":
            sd[first] = T.zeros(7)
        if tweak == "param_groups":
            osd["param_groups"] = osd["param_groups"] * 2
        elif tweak == "lr":
            osd["param_groups"][0]["lr"] = 0.5
        missing, unexpected = model2.load_state_dict(sd, strict=tweak != "strict_false")
        out.append((sorted(missing), sorted(unexpected)))
        optimizer2.load_state_dict(osd)
        scheduler2 = _scheduler(T, sched, optimizer2)
        if scheduler2 is not None:
            scheduler2.load_state_dict(ckpt["sched"])
        out.append(_state(T, optimizer2.state_dict()))
        _step(T, model2, optimizer2, scheduler2)
        out.append(_state(T, model2.state_dict()))
        out.append([g["lr"] for g in optimizer2.param_groups])
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
    return out


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", CHECKPOINT_SEEDS)
def test_random_checkpoint_matches_pytorch(torch, seed):
    mine, theirs = run_checkpoint(minitorch, seed), run_checkpoint(torch, seed)
    assert _same(mine, theirs), checkpoint_program(seed)


# ---- DataLoader -----------------------------------------------------------------------------
LOADER_SEEDS = range(200)
ITEMS = ("tensor", "tuple", "dict", "int", "float", "numpy", "str", "nested", "namedtuple",
         "list", "bool", "npscalar", "mixed_shapes")  # fmt: skip
SAMPLERS = (None, None, None, "random", "random_num", "sequential", "batch", "weighted",
            "subset_random", "list")  # fmt: skip
# arguments PyTorch refuses (or takes) in a DataLoader; "num_workers": a pool without workers
INVALID = ({"batch_size": 0}, {"batch_size": -2}, {"batch_size": 2.5}, {"num_workers": -1},
           {"timeout": -1}, {"prefetch_factor": 2}, {"persistent_workers": True},
           {"shuffle": True, "sampler": [0]}, {"batch_size": None, "drop_last": True},
           {"batch_sampler": [[0]], "shuffle": True}, {"batch_sampler": [[0]], "batch_size": 3},
           {"batch_sampler": [[0]], "drop_last": True}, {"sampler": [0], "batch_sampler": [[0]]},
           {"shuffle": "yes"}, {"generator": 1}, {"batch_size": True})  # fmt: skip


def loader_program(seed: int) -> dict:
    """Program ``seed``: dataset size and kind, its items, the DataLoader's arguments."""
    r = random.Random(seed)
    return dict(
        n=r.choice([0, 1, 2, 3, 5, 7, 10, 16]), item=r.choice(ITEMS),
        dataset=r.choice(["map", "map", "tensors", "subset", "concat", "iterable", "split", "chain", "stack"]),  # fmt: skip
        batch_size=r.choice([None, 1, 2, 3, 4]), shuffle=r.random() < 0.5,
        generator=r.random() < 0.5, drop_last=r.random() < 0.3, sampler=r.choice(SAMPLERS),
        collate=r.choice([None, None, "identity", "custom"]),
        split=r.choice([[0.5, 0.5], [0.3, 0.7], [0.2, 0.3, 0.5], [1, 1], [1.0]]),
        seed=r.randint(0, 1000), replacement=r.random() < 0.5, num=r.choice([None, 1, 4, 12]),
        invalid=r.choice(INVALID) if r.random() < 0.15 else None,
    )  # fmt: skip


def describe_loader(seed: int) -> str:
    return str(loader_program(seed))


def _item(T, kind: str, i: int):
    return {
        "tensor": lambda: T.tensor([i, i * 2.0]),
        "tuple": lambda: (T.tensor(i), i * 0.5),
        "dict": lambda: {"a": T.full((2,), i), "b": {"c": i, "d": (str(i), float(i))}},
        "int": lambda: i,
        "float": lambda: i / 2,
        "numpy": lambda: np.arange(3, dtype=np.float32) * i,
        "str": lambda: f"s{i}",
        "nested": lambda: [T.tensor([[i]]), (np.int64(i), [i, i + 1])],
        "namedtuple": lambda: Point(i, T.tensor(float(i))),
        "list": lambda: [i, i + 1],
        "bool": lambda: i % 2 == 0,
        "npscalar": lambda: np.float64(i) / 3,
        "mixed_shapes": lambda: T.zeros(i % 2 + 1),
    }[kind]()


def _batch(T, b):
    if isinstance(b, T.Tensor):
        return ("T", _named(str(b.dtype)), tuple(b.shape), b.tolist())
    if isinstance(b, np.ndarray):
        return ("ndarray", b.dtype.str, b.tolist())
    if isinstance(b, dict):
        return (type(b).__name__, [(k, _batch(T, v)) for k, v in b.items()])
    if isinstance(b, (list, tuple)):
        return (type(b).__name__, [_batch(T, v) for v in b])
    return (type(b).__name__, b)


def _dataset(T, p: dict, out: list):
    D, n, kind = T.utils.data, p["n"], p["item"]

    class Items(D.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            if not 0 <= i < n:
                raise IndexError(i)
            return _item(T, kind, i)

    class Stream(D.IterableDataset):
        def __iter__(self):
            return (_item(T, kind, i) for i in range(n))

    which = p["dataset"]
    if which == "tensors":
        return D.TensorDataset(T.arange(n * 2.0).reshape(n, 2), T.arange(n))
    if which == "subset":
        return D.Subset(Items(), list(range(n))[::-1][: max(n - 1, 0)])
    if which == "concat":
        return D.ConcatDataset([Items(), Items()])
    if which == "iterable":
        return Stream()
    if which == "chain":
        return D.ChainDataset([Stream(), Stream()])
    if which == "stack":
        return D.StackDataset(Items(), tag=D.TensorDataset(T.arange(n)))
    if which == "split":
        gen = T.Generator().manual_seed(p["seed"]) if p["generator"] else T.default_generator
        parts = D.random_split(Items(), p["split"], generator=gen)
        out.append([list(part.indices) for part in parts])
        return parts[0]
    return Items()


def _loader_kwargs(T, p: dict, ds) -> dict:
    D, n = T.utils.data, p["n"]
    kw: dict = {}
    if p["batch_size"] != 1:
        kw["batch_size"] = p["batch_size"]
    if p["drop_last"]:
        kw["drop_last"] = True
    gen = T.Generator().manual_seed(p["seed"]) if p["generator"] else None
    s = p["sampler"]
    if s == "random":
        kw["sampler"] = D.RandomSampler(ds, replacement=p["replacement"], num_samples=p["num"], generator=gen)  # fmt: skip
    elif s == "random_num":
        kw["sampler"] = D.RandomSampler(ds, num_samples=p["num"], generator=gen)
    elif s == "sequential":
        kw["sampler"] = D.SequentialSampler(ds)
    elif s == "batch":
        kw.pop("batch_size", None)
        kw.pop("drop_last", None)
        sampler = D.RandomSampler(ds, generator=gen)
        kw["batch_sampler"] = D.BatchSampler(sampler, p["batch_size"] or 2, p["drop_last"])
    elif s == "weighted":
        weights = [1.0 + (i % 3) for i in range(max(n, 1))]
        kw["sampler"] = D.WeightedRandomSampler(weights, p["num"] or 5, p["replacement"], generator=gen)  # fmt: skip
    elif s == "subset_random":
        kw["sampler"] = D.SubsetRandomSampler(list(range(0, n, 2)), generator=gen)
    elif s == "list":
        kw["sampler"] = list(range(n))[::-1]
    elif p["shuffle"]:
        kw["shuffle"] = True
        if gen is not None:
            kw["generator"] = gen
    if p["collate"] == "identity":
        kw["collate_fn"] = lambda b: b
    elif p["collate"] == "custom":
        kw["collate_fn"] = lambda b: (len(b), b[0] if isinstance(b, list) else b)
    return kw if p["invalid"] is None else {**kw, **p["invalid"]}


def run_loader(T, seed: int) -> list:
    p = loader_program(seed)
    out: list = []
    try:
        T.manual_seed(p["seed"])
        ds = _dataset(T, p, out)
        loader = T.utils.data.DataLoader(ds, **_loader_kwargs(T, p, ds))
        try:
            out.append(("len", len(loader)))
        except TypeError as e:  # an IterableDataset without __len__
            out.append(_error(e, 40))
        for _ in range(2):  # two epochs: a shuffling generator moves on
            out.append([_batch(T, b) for b in loader])
        out.append(T.rand(2).tolist())  # what the epochs took of the global generator
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
    return out


@pytest.mark.parametrize("seed", LOADER_SEEDS)
def test_random_loader_matches_pytorch(torch, seed):
    with warnings.catch_warnings():  # random_split's "Length of split at index 1 is 0"
        warnings.simplefilter("ignore")
        assert run_loader(minitorch, seed) == run_loader(torch, seed), describe_loader(seed)
