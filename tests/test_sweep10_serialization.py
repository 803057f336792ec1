"""Session 8 compatibility sweep of serialization (``torch.save`` / ``torch.load``): storage
sharing and layouts, checkpoints resumed, ``map_location`` and ``weights_only`` forms, file
kinds, containers, dtypes, and the errors of bad files. Each program runs with real PyTorch
(the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import collections
import io
import os
import pathlib
import tempfile

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

Point = collections.namedtuple("Point", "x y")


test_program_matches_pytorch = SWEEP.test()


def _round(torch, obj, **load_kw):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **load_kw)


def _layout(t) -> list:
    return [t, tuple(t.stride()), t.storage_offset(), t.untyped_storage().nbytes(), t.is_contiguous()]  # fmt: skip


# ---- storage sharing and layouts ------------------------------------------------------------
@program
def views_share_storage_after_load(torch):
    x = torch.arange(12.0).reshape(3, 4)
    out = _round(torch, {"a": x, "row": x[1], "tail": x[1:], "same": x})
    out["tail"][0, 0] = 100.0  # an in-place change through one shows in the others
    out["row"].mul_(2)
    return [out["a"], out["same"] is out["a"], *_layout(out["tail"]), *_layout(out["row"])]


@program
def transpose_saved_alone_keeps_strides(torch):
    t = _round(torch, torch.arange(6.0).reshape(2, 3).t())
    return [*_layout(t), t.contiguous().stride()]


@program
def stepped_slice_saves_whole_storage(torch):
    t = _round(torch, torch.arange(20, dtype=torch.int64).reshape(4, 5)[1:, ::2])
    return _layout(t)


@program
def expanded_tensor_saves_original_elements(torch):
    t = _round(torch, torch.arange(3.0).expand(4, 3))
    return _layout(t)


@program
def unsqueezed_and_permuted_views(torch):
    x = torch.randn(2, 3, 4)
    a, b = _round(torch, (x.permute(2, 0, 1), x[:, 1].unsqueeze(1)))
    a[0, 0, 0] = 7.0
    return [*_layout(a), *_layout(b), b.data_ptr() - a.data_ptr()]


@program
def tied_embedding_and_lm_head(torch):
    class GPT(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(10, 4)
            self.head = torch.nn.Linear(4, 10, bias=False)
            self.head.weight = self.emb.weight

    sd = _round(torch, GPT().state_dict())
    fresh = GPT()
    fresh.load_state_dict(sd)
    sd["emb.weight"].zero_()
    return [
        sd["head.weight"],
        sd["head.weight"].data_ptr() == sd["emb.weight"].data_ptr(),
        fresh.head.weight is fresh.emb.weight,
        list(sd),
    ]


@program
def same_parameter_under_two_keys_is_one_object(torch):
    p = torch.nn.Parameter(torch.ones(2))
    out = _round(torch, {"a": p, "b": p, "list": [p]})
    return [out["a"] is out["b"], out["list"][0] is out["a"], type(out["a"]).__name__]


@program
def parameter_and_its_row_share_after_load(torch):
    p = torch.nn.Parameter(torch.arange(6.0).reshape(2, 3))
    out = _round(torch, {"w": p, "row": p[1].detach()})
    with torch.no_grad():
        out["w"].add_(1)
    return [out["row"], out["w"].requires_grad, out["row"].requires_grad, out["row"].storage_offset()]  # fmt: skip


@program
def view_saved_then_base_changed_keeps_snapshot(torch):
    x = torch.zeros(4)
    buf = io.BytesIO()
    torch.save(x[1:3], buf)
    x.fill_(5)
    buf.seek(0)
    return _layout(torch.load(buf))


@program
def empty_slice_and_empty_tensor(torch):
    a, b = _round(torch, [torch.zeros(0, 3), torch.ones(5)[2:2]])
    return [a, a.shape, tuple(a.stride()), b, b.untyped_storage().nbytes()]


@error(RuntimeError, r"Cannot save multiple tensors or storages that view the same data as different types")  # fmt: skip
def views_as_different_dtypes_refused(torch):
    z = torch.arange(4, dtype=torch.int32)
    return _round(torch, [z, z.view(torch.float32)])


@program
def dtype_view_saved_alone(torch):
    z = torch.arange(4, dtype=torch.int32)
    return _layout(_round(torch, z.view(torch.float32)))


@program
def loaded_copy_is_independent_of_original(torch):
    x = torch.ones(3)
    y = _round(torch, x)
    y.add_(1)
    return [x, y, x.data_ptr() != y.data_ptr()]


# ---- dtypes and shapes ---------------------------------------------------------------------
@program
def dtypes_round_trip(torch):
    ts = [
        torch.tensor([1.5, -2.25], dtype=torch.float16),
        torch.tensor([1e-300, 3.0], dtype=torch.float64),
        torch.tensor([-128, 127], dtype=torch.int8),
        torch.tensor([0, 255], dtype=torch.uint8),
        torch.tensor([-(2**15), 7], dtype=torch.int16),
        torch.tensor([2**31 - 1], dtype=torch.int32),
        torch.tensor([2**62], dtype=torch.int64),
        torch.tensor([True, False]),
        torch.tensor(3.5),
        torch.tensor(7),
        torch.empty(2, 0, 3),
    ]
    return _round(torch, ts)


@program
def zero_dim_and_scalars(torch):
    out = _round(torch, {"loss": torch.tensor(0.25), "step": 3, "lr": 1e-3, "big": 2**70})
    return [out["loss"], out["loss"].dim(), out["step"], out["lr"], out["big"]]


@program
def nan_and_inf_values(torch):
    out = _round(torch, {"t": torch.tensor([float("nan"), float("inf"), -float("inf")]), "f": float("-inf")})  # fmt: skip
    return [out["t"], out["f"]]


# ---- requires_grad, Parameters, non-leaves -------------------------------------------------
@program
def parameters_stay_parameters(torch):
    frozen = torch.nn.Parameter(torch.ones(2), requires_grad=False)
    out = _round(torch, {"p": torch.nn.Parameter(torch.randn(3)), "frozen": frozen})
    return [type(out["p"]).__name__, out["p"].requires_grad, out["p"].is_leaf,
            type(out["frozen"]).__name__, out["frozen"].requires_grad]  # fmt: skip


@program
def non_leaf_requires_grad_loads_as_leaf(torch):
    x = torch.ones(2, requires_grad=True)
    y = _round(torch, x * 3)
    (y**2).sum().backward()
    return [y.requires_grad, y.is_leaf, y.grad_fn is None, y.grad]


@program
def grad_is_not_saved(torch):
    x = torch.ones(2, requires_grad=True)
    x.sum().backward()
    y = _round(torch, x)
    return [y.grad is None, y.requires_grad]


@program
def detached_tensor_has_no_grad(torch):
    x = torch.ones(2, requires_grad=True)
    return _round(torch, x.detach()).requires_grad


# ---- containers ----------------------------------------------------------------------------
@program
def ordered_dict_set_tuple_and_int_keys(torch):
    obj = collections.OrderedDict(
        [("b", (1, 2.5, "s")), ("a", {3: "three", (1, 2): None}), ("s", {1, 2, 3})]
    )
    out = _round(torch, obj)
    return [type(out).__name__, list(out), out["b"], out["a"][3], out["a"][(1, 2)], sorted(out["s"])]  # fmt: skip


@program
def counter_bytes_complex(torch):
    out = _round(torch, {"c": collections.Counter("abca"), "b": b"\x00\xff", "z": 1 + 2j})
    return [type(out["c"]).__name__, dict(out["c"]), out["b"], out["z"]]


@program
def size_dtype_device(torch):
    out = _round(torch, [torch.Size([2, 3]), torch.float16, torch.device("cpu"), torch.int64])
    return [type(out[0]).__name__, tuple(out[0]), out[1], out[2], out[3]]


@program
def namedtuple_with_weights_only_false(torch):
    out = _round(torch, {"p": Point(torch.ones(1), 2)}, weights_only=False)
    return [type(out["p"]).__name__, out["p"].x, out["p"].y]


@error(Exception, r"Weights only load failed")
def namedtuple_refused_by_default(torch):
    return _round(torch, Point(1, 2))


@program
def namedtuple_allowed_by_safe_globals(torch):
    with torch.serialization.safe_globals([Point]):
        out = _round(torch, Point(torch.zeros(2), 5))
    return [type(out).__name__, out.x, out.y]


@program
def namedtuple_allowed_by_add_safe_globals(torch):
    torch.serialization.add_safe_globals([Point])
    try:
        out = _round(torch, [Point(1, 2)])
    finally:
        torch.serialization.clear_safe_globals()
    return [type(out[0]).__name__, out[0]]


@error(Exception, r"Weights only load failed")
def frozenset_refused_by_default(torch):
    return _round(torch, frozenset({1}))


@program
def frozenset_with_weights_only_false(torch):
    out = _round(torch, frozenset({1, 2}), weights_only=False)
    return [type(out).__name__, sorted(out)]


@error(Exception, r"(?s)Weights only load failed.*GLOBAL numpy")
def numpy_array_refused_by_default(torch):
    return _round(torch, {"a": np.arange(3)})


@error(Exception, r"(?s)Weights only load failed.*GLOBAL numpy")
def numpy_scalar_refused_by_default(torch):
    return _round(torch, {"best": np.float32(0.5)})


@program
def numpy_arrays_and_scalars_with_weights_only_false(torch):
    out = _round(
        torch,
        {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "s": np.float64(0.5), "i": np.int64(3)},
        weights_only=False,
    )
    return [out["a"], type(out["s"]).__name__, float(out["s"]), type(out["i"]).__name__, int(out["i"])]  # fmt: skip


@error(Exception, r"Weights only load failed")
def weights_only_true_explicit_refuses_numpy(torch):
    return _round(torch, [np.zeros(2)], weights_only=True)


# ---- map_location --------------------------------------------------------------------------
@program
def map_location_forms(torch):
    obj = {"w": torch.arange(4.0).reshape(2, 2), "v": torch.ones(2)}
    outs = [
        _round(torch, obj, map_location="cpu"),
        _round(torch, obj, map_location=torch.device("cpu")),
        _round(torch, obj, map_location={"cpu": "cpu"}),
        _round(torch, obj, map_location=lambda storage, loc: storage),
    ]
    return [[o["w"], str(o["w"].device), o["v"]] for o in outs]


@program
def map_location_callable_sees_location(torch):
    seen = []

    def where(storage, loc):
        seen.append(loc)
        return storage

    x = torch.arange(6.0)
    _round(torch, [x, x[2:], torch.zeros(2)], map_location=where)
    return seen


# ---- checkpoints ---------------------------------------------------------------------------
def _mlp(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def _steps(torch, model, opt, n, sched=None):
    g = torch.Generator().manual_seed(1)
    losses = []
    for _ in range(n):
        x = torch.randn(4, 3, generator=g)
        loss = ((model(x) - x.sum(1, keepdim=True)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        losses.append(loss.item())
    return losses


@program
def adam_checkpoint_resume(torch):
    model = _mlp(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    _steps(torch, model, opt, 3)
    ckpt = _round(torch, {"epoch": 3, "model": model.state_dict(), "opt": opt.state_dict()})
    model2 = _mlp(torch)
    model2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(model2.parameters(), lr=1e-2)
    opt2.load_state_dict(ckpt["opt"])
    return [ckpt["epoch"], _steps(torch, model, opt, 2), _steps(torch, model2, opt2, 2),
            opt2.state_dict()["state"][0]["step"]]  # fmt: skip


@program
def sgd_momentum_and_steplr_resume(torch):
    model = _mlp(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    _steps(torch, model, opt, 3, sched)
    ckpt = _round(torch, {"m": model.state_dict(), "o": opt.state_dict(), "s": sched.state_dict()})
    model2 = _mlp(torch)
    model2.load_state_dict(ckpt["m"])
    opt2 = torch.optim.SGD(model2.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    opt2.load_state_dict(ckpt["o"])
    sched2 = torch.optim.lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
    sched2.load_state_dict(ckpt["s"])
    return [_steps(torch, model, opt, 3, sched), _steps(torch, model2, opt2, 3, sched2),
            sched2.get_last_lr(), ckpt["s"]]  # fmt: skip


@program
def adamw_cosine_checkpoint_state_dict_contents(torch):
    model = _mlp(torch)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    _steps(torch, model, opt, 2, sched)
    ckpt = _round(torch, {"o": opt.state_dict(), "s": sched.state_dict()})
    st = ckpt["o"]["state"][0]
    return [sorted(st), st["step"], st["exp_avg"], ckpt["o"]["param_groups"][0]["params"],
            ckpt["o"]["param_groups"][0]["lr"], ckpt["s"]["last_epoch"]]  # fmt: skip


@program
def batchnorm_state_dict_round_trip(torch):
    bn = torch.nn.BatchNorm1d(3)
    bn(torch.randn(8, 3))
    sd = _round(torch, bn.state_dict())
    bn2 = torch.nn.BatchNorm1d(3)
    bn2.load_state_dict(sd)
    bn2.eval()
    return [sd["num_batches_tracked"], sd["running_mean"], bn2(torch.ones(2, 3)), list(sd)]


@program
def partial_state_dict_strict_false(torch):
    model = _mlp(torch)
    sd = _round(torch, {k: v for k, v in model.state_dict().items() if k.startswith("0.")})
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    result = fresh.load_state_dict(sd, strict=False)
    return [sorted(result.missing_keys), result.unexpected_keys, fresh[0].weight]


@program
def load_state_dict_assign_keeps_loaded_tensors(torch):
    model = _mlp(torch)
    sd = _round(torch, model.state_dict())
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    fresh.load_state_dict(sd, assign=True)
    return [fresh[0].weight.data_ptr() == sd["0.weight"].data_ptr(), type(fresh[0].weight).__name__,
            fresh[0].weight.requires_grad, fresh(torch.ones(1, 3))]  # fmt: skip


@program
def rng_state_in_checkpoint(torch):
    torch.manual_seed(3)
    state = _round(torch, {"rng": torch.get_rng_state()})["rng"]
    a = torch.rand(3)
    torch.set_rng_state(state)
    return [state.dtype, state.shape, a, torch.rand(3)]


@program
def module_with_buffers_round_trip(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("mask", torch.tril(torch.ones(3, 3, dtype=torch.bool)))
            self.register_buffer("tmp", torch.zeros(1), persistent=False)
            self.w = torch.nn.Parameter(torch.randn(3, 3))

    sd = _round(torch, M().state_dict())
    return [list(sd), sd["mask"], sd["w"].requires_grad, type(sd["w"]).__name__]


# ---- files and options ---------------------------------------------------------------------
@program
def pathlib_and_str_paths_and_file_objects(torch):
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "ckpt.pt"
        torch.save({"x": torch.arange(3)}, p)
        a = torch.load(p)
        torch.save([torch.ones(2)], str(p))
        b = torch.load(str(p))
        with open(p, "wb") as fh:
            torch.save(torch.tensor(5), fh)
        with open(p, "rb") as fh:
            c = torch.load(fh)
        names = os.listdir(d)
    return [a, b, c, names]


@program
def pickle_options_accepted(torch):
    obj = {"w": torch.randn(2, 2), "n": 1}
    outs = []
    for kw in ({"_use_new_zipfile_serialization": False}, {"pickle_protocol": 2},
               {"pickle_protocol": 3}, {"_use_new_zipfile_serialization": True}):  # fmt: skip
        buf = io.BytesIO()
        torch.save(obj, buf, **kw)
        buf.seek(0)
        outs.append(torch.load(buf))
    return outs


@error(Exception, r"(?s)Weights only load failed.*Unsupported operand 149")
def pickle_protocol_4_refused_by_weights_only_load(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf, pickle_protocol=4)
    buf.seek(0)
    return torch.load(buf)


@program
def pickle_protocol_4_with_weights_only_false(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf, pickle_protocol=4)
    buf.seek(0)
    return torch.load(buf, weights_only=False)


@program
def mmap_load(torch):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "m.pt")
        x = torch.arange(8.0).reshape(2, 4)
        torch.save({"x": x, "v": x[:, 1]}, p)
        out = torch.load(p, mmap=True)
        return [out["x"] + 1, out["v"], out["v"].storage_offset()]


@program
def overwrite_existing_file(torch):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "c.pt")
        torch.save(torch.ones(3), p)
        torch.save(torch.zeros(2), p)
        return torch.load(p)


@program
def save_twice_to_one_buffer_reads_latest_position(torch):
    buf = io.BytesIO()
    torch.save(torch.ones(2), buf)
    first_end = buf.tell()
    buf.seek(0)
    return [torch.load(buf), first_end > 0]


@error(FileNotFoundError, r"No such file or directory")
def load_missing_file(torch):
    return torch.load("/nonexistent/dir/ckpt.pt")


@error(RuntimeError, r"Parent directory /nonexistent_dir_xyz does not exist")
def save_into_missing_directory(torch):
    torch.save(torch.ones(1), "/nonexistent_dir_xyz/ckpt.pt")


@error(EOFError, r"")
def load_empty_buffer(torch):
    return torch.load(io.BytesIO(b""))


@program
def load_after_seek_forgotten_raises(torch):
    buf = io.BytesIO()
    torch.save(torch.ones(1), buf)
    try:
        torch.load(buf)
    except Exception as e:  # noqa: BLE001 (the exception's type is the result)
        return type(e).__name__
    return "loaded"


# ---- whole objects (pickle's domain in PyTorch) --------------------------------------------
class TinyNet:
    """Built by the framework given to ``build`` (module-level, so both can save it)."""

    @staticmethod
    def build(torch):
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))


@program
def whole_module_with_weights_only_false(torch):
    model = TinyNet.build(torch)
    back = _round(torch, model, weights_only=False)
    x = torch.ones(2, 3)
    return [type(back).__name__, back(x), back[0].weight.requires_grad, back.training, list(back.state_dict())]  # fmt: skip


@error(Exception, r"(?s)Weights only load failed.*Unsupported global: GLOBAL")
def whole_module_refused_by_default(torch):
    return _round(torch, TinyNet.build(torch))


@program
def whole_module_in_eval_mode_keeps_mode(torch):
    model = TinyNet.build(torch).eval()
    return [m.training for m in _round(torch, {"m": model}, weights_only=False)["m"].modules()]


@program
def functions_and_classes_by_reference(torch):
    out = _round(torch, {"act": torch.nn.ReLU, "f": len}, weights_only=False)
    return [out["act"] is torch.nn.ReLU, out["f"] is len]


@error(AttributeError, r"Can't pickle local object")
def local_class_instance_cannot_be_saved(torch):
    class Local:
        pass

    torch.save(Local(), io.BytesIO())


@error(Exception, r"(?s)Weights only load failed.*GLOBAL len")
def builtin_function_refused_by_default(torch):
    return _round(torch, {"f": len})
