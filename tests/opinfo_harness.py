"""Runs PyTorch's own OpInfo database (torch.testing._internal.common_methods_invocations)
against minitorch: every op's sample inputs, converted to minitorch tensors, through the
function, method and in-place variants, comparing values, dtypes, shapes and float64
gradients with PyTorch's; and every op's error inputs, comparing the exception.

Needs torch and expecttest (which PyTorch's test internals import). As a script it prints
the divergences:

    python tests/opinfo_harness.py [--ops NAME ...] [--dtypes float32 ...] [--errors] [-v]
    python tests/opinfo_harness.py [--ops NAME ...] --jvp | --fwbw [-v]   # forward-mode AD
    python tests/opinfo_harness.py [--ops NAME ...] --graph [-v]   # requires_grad, grad_fn
    python tests/opinfo_harness.py --db foreach [--ops NAME ...] [-v]   # torch._foreach_*
"""

from __future__ import annotations

import argparse
import math
import signal
import types
from dataclasses import dataclass

import numpy as np

import minitorch
from minitorch._dtypes import BF16_NP
from minitorch._tensor import make_tensor

DTYPES = ("float32", "float64", "int64", "int32", "bool", "uint8", "float16")
FOREACH_DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "bool")
SEED = 1234


@dataclass
class Divergence:
    """One sample on which minitorch and PyTorch disagree."""

    op: str
    variant: str
    dtype: str
    sample: str
    what: str

    def __str__(self) -> str:
        return f"{self.op} [{self.variant}, {self.dtype}] {self.sample}: {self.what}"


def torch_internal(name: str):
    """Imports ``torch.testing._internal.<name>`` (needs expecttest). Importing PyTorch's test
    utilities freezes ``torch.backends`` flags for the whole process (setting
    ``cudnn.benchmark`` then raises), which would break every later test that sets them, so
    that switch is turned back."""
    import importlib

    import torch.backends

    module = importlib.import_module("torch.testing._internal." + name)
    torch.backends.flags_frozen.__globals__["__allow_nonbracketed_mutation_flag"] = True
    return module


def op_db() -> list:
    """PyTorch's OpInfos."""
    return torch_internal("common_methods_invocations").op_db


def foreach_db() -> list:
    """PyTorch's ForeachFuncInfos (``torch._foreach_*``): unary, binary, pointwise, reduce
    and other."""
    module = torch_internal("common_methods_invocations")
    kinds = ("unary", "binary", "pointwise", "reduce", "other")
    return [info for kind in kinds for info in getattr(module, f"foreach_{kind}_op_db")]


def full_name(info) -> str:
    """The OpInfo's name with its variant, as PyTorch's test ids write it."""
    return info.name + ("." + info.variant_test_name if info.variant_test_name else "")


def _resolve(root, dotted: str):
    for part in dotted.split("."):
        root = getattr(root, part, None)
        if root is None:
            return None
    return root


def function_variant(info, torch):
    """minitorch's counterpart of the OpInfo's function: the same name when PyTorch's is a
    public function or Tensor method, else PyTorch's test wrapper run with ``torch`` meaning
    minitorch (wrappers of ``torch.ops.aten`` internals have none)."""
    op = info.op
    if _resolve(torch, info.name) is op:
        return _resolve(minitorch, info.name)
    name = getattr(op, "__name__", "")
    if name.isidentifier() and getattr(torch.Tensor, name, None) is op:
        return _variant_method(op)
    if not isinstance(op, types.FunctionType) or not op.__module__.startswith("torch.testing"):
        return None
    if "aten" in _names(op.__code__):
        return None
    scope = dict(op.__globals__, torch=minitorch)
    if "wrapper_set_seed" in scope:  # PyTorch's seeds only torch (to 42): seed minitorch alike
        scope["wrapper_set_seed"] = _seeded
    return types.FunctionType(op.__code__, scope, op.__name__, op.__defaults__, op.__closure__)


def _seeded(op, *args, **kwargs):
    """torch.testing's wrapper_set_seed for minitorch: the op's draws after manual_seed(42)."""
    minitorch.manual_seed(42)
    return op(*args, **kwargs)


def _names(code) -> set:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _variant_method(method):
    name = getattr(method, "__name__", "")
    if not name.isidentifier():
        return None
    return lambda self, *args, **kwargs: getattr(self, name)(*args, **kwargs)


def to_minitorch(value, torch, keep_grad: bool = True, memo: dict | None = None):
    """A sample argument in minitorch's terms: tensors copied (layout, requires_grad and
    aliasing kept: one PyTorch tensor passed twice is one minitorch tensor), dtypes,
    devices, sizes and memory formats mapped by name, functions by name, containers
    recursed."""
    memo = {} if memo is None else memo
    if isinstance(value, torch.Tensor):
        if id(value) not in memo:
            memo[id(value)] = _tensor_copy(value, keep_grad)
        return memo[id(value)]
    if isinstance(value, torch.dtype):
        return getattr(minitorch, str(value).removeprefix("torch."))
    if isinstance(value, torch.device):
        return minitorch.device(str(value))
    if isinstance(value, torch.Size):
        return minitorch.Size(value)
    if isinstance(value, torch.memory_format):
        return getattr(minitorch, str(value).removeprefix("torch."))
    if isinstance(value, torch.nn.Module):
        return _same_module(value)
    if callable(value) and not isinstance(value, type):
        return _same_function(value, torch)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(to_minitorch(v, torch, keep_grad, memo) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(to_minitorch(v, torch, keep_grad, memo) for v in value)
    if isinstance(value, dict):
        return {k: to_minitorch(v, torch, keep_grad, memo) for k, v in value.items()}
    return value


def _tensor_copy(value, keep_grad: bool):
    import torch  # noqa: PLC0415  (only called where torch is installed)

    bf16 = value.dtype == torch.bfloat16  # PyTorch has no numpy of it: copy its bits as int16
    tensor = value.detach().view(torch.int16) if bf16 else value.detach()
    copy = _in_storage_copy(tensor, torch)
    out = make_tensor(copy.view(BF16_NP)) if bf16 else minitorch.from_numpy(copy)
    if keep_grad and value.requires_grad:
        out.requires_grad_(True)
    return out


def _in_storage_copy(tensor, torch):
    """The tensor's array as a view, at its storage offset and strides, of a copy of its whole
    storage: what lies between and around its elements (PyTorch's non-contiguous samples put
    NaN there) is where ``as_strided`` finds it."""
    array = tensor.numpy()
    item = tensor.element_size()
    storage = torch.as_strided(tensor, (tensor.untyped_storage().nbytes() // item,), (1,), 0)
    buffer = storage.numpy().copy()
    offset = tensor.storage_offset() * item
    return np.ndarray(array.shape, array.dtype, buffer, offset if buffer.size else 0, array.strides)


def _same_module(value):
    """minitorch's module of the same class as a PyTorch module without parameters or
    buffers passed as an argument (``distance_function=nn.PairwiseDistance()``), with its
    public settings; other modules as they are."""
    cls = getattr(minitorch.nn, type(value).__name__, None)
    if cls is None or any(True for _ in value.parameters()) or any(True for _ in value.buffers()):
        return value
    mine = cls.__new__(cls)
    minitorch.nn.Module.__init__(mine)
    for name, setting in vars(value).items():
        if not name.startswith("_"):
            setattr(mine, name, setting)
    return mine


def _same_function(value, torch):
    """minitorch's function of the same name as a PyTorch function passed as an argument
    (``activation=F.gelu``); other callables as they are."""
    name = getattr(value, "__name__", "")
    for theirs, mine in ((torch.nn.functional, minitorch.nn.functional), (torch, minitorch)):
        if name.isidentifier() and getattr(theirs, name, None) is value:
            return getattr(mine, name)
    return value


def _tolerance(dtype: str) -> tuple:
    return {
        "float16": (1e-3, 1e-3),
        "bfloat16": (1.6e-2, 1e-5),
        "float32": (1e-5, 1e-5),
        "float64": (1e-7, 1e-7),
    }.get(dtype, (0.0, 0.0))


def compare(theirs, mine, torch, where: str = "output") -> str | None:
    """None when ``mine`` equals ``theirs`` (values within the dtype's tolerance, same dtype
    and shape, same container structure); else what differs."""
    if isinstance(theirs, torch.Tensor):
        if not isinstance(mine, minitorch.Tensor):
            return f"{where}: {type(mine).__name__} where PyTorch gives a Tensor"
        dtype = str(theirs.dtype).removeprefix("torch.")
        if mine.dtype.name != dtype:
            return f"{where}: dtype {mine.dtype.name}, PyTorch {dtype}"
        if tuple(mine.shape) != tuple(theirs.shape):
            return f"{where}: shape {tuple(mine.shape)}, PyTorch {tuple(theirs.shape)}"
        if theirs.is_complex():
            return None
        if dtype == "bfloat16":
            theirs, mine = theirs.float(), mine.float()
        a, b = theirs.detach().numpy(force=True), mine.detach().numpy()
        rtol, atol = _tolerance(dtype)
        if not np.allclose(b, a, rtol=rtol, atol=atol, equal_nan=True):
            with np.errstate(all="ignore"):
                err = np.abs(b.astype(np.float64) - a.astype(np.float64))
            worst = np.nanmax(err) if err.size and not np.isnan(err).all() else float("nan")
            return f"{where}: values differ (max abs error {worst:.3g})"
        return None
    if isinstance(theirs, (list, tuple)):
        if not isinstance(mine, (list, tuple)) or len(mine) != len(theirs):
            return f"{where}: {type(mine).__name__} of {_len(mine)}, PyTorch {type(theirs).__name__} of {len(theirs)}"  # noqa: E501
        for i, (t, m) in enumerate(zip(theirs, mine)):
            if (diff := compare(t, m, torch, f"{where}[{i}]")) is not None:
                return diff
        return None
    if isinstance(theirs, float) and isinstance(mine, (int, float)):
        same = math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-6) or (
            math.isnan(theirs) and math.isnan(mine)
        )
        return None if same else f"{where}: {mine!r}, PyTorch {theirs!r}"
    if isinstance(theirs, torch.dtype):
        return (
            None if str(mine) == str(theirs).replace("torch.", "minitorch.") else f"{where}: {mine}"
        )
    if type(theirs) in (bool, int, str, type(None)) and mine != theirs:
        return f"{where}: {mine!r}, PyTorch {theirs!r}"
    return None


def _len(value) -> str:
    try:
        return str(len(value))
    except TypeError:
        return "-"


def _tensors(value, torch) -> list:
    if isinstance(value, (torch.Tensor, minitorch.Tensor)):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v, torch)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v, torch)]
    return []


def _describe(sample, torch) -> str:
    def show(v):
        if isinstance(v, torch.Tensor):
            layout = "" if v.is_contiguous() else " non-contiguous"
            return f"T{list(v.shape)}{layout}"
        if (
            isinstance(v, (list, tuple))
            and len(v) > 4
            and all(isinstance(x, torch.Tensor) for x in v)
        ):
            empty = sum(x.numel() == 0 for x in v)  # foreach's lists of tensors
            return f"[{len(v)} tensors{f', {empty} empty' if empty else ''}]"
        if isinstance(v, (list, tuple)):
            return "(" + ", ".join(show(x) for x in v) + ")"
        return repr(v)

    parts = [show(sample.input)] + [show(a) for a in sample.args]
    parts += [f"{k}={show(v)}" for k, v in sample.kwargs.items()]
    return "(" + ", ".join(parts) + ")"


def _arguments(sample, torch, mine: bool) -> tuple:
    args, kwargs = (sample.input, *sample.args), sample.kwargs
    return to_minitorch((args, kwargs), torch) if mine else (args, kwargs)


def _run(fn, args, kwargs, lib):
    lib.manual_seed(SEED)
    return fn(*args, **kwargs)


def _gradients(out, inputs, torch, mine: bool, create_graph: bool = False, retain: bool = False):
    lib = minitorch if mine else torch
    outs = [t for t in _tensors(out, torch) if t.requires_grad and t.dtype.is_floating_point]
    wanted = [t for t in inputs if t.requires_grad]
    if not outs or not wanted:
        return None
    weights = []
    for i, t in enumerate(outs):
        w = np.cos(np.arange(t.numel(), dtype=np.float64) + i).reshape(tuple(t.shape))
        weights.append(lib.from_numpy(w.astype(str(t.dtype).split(".")[-1])))
    return lib.autograd.grad(
        outs,
        wanted,
        weights,
        allow_unused=True,
        create_graph=create_graph,
        retain_graph=retain or None,
    )


def _second_order(out, inputs, torch, mine: bool):
    """The gradients of (the weighted first gradients) with respect to the inputs."""
    first = _gradients(out, inputs, torch, mine, create_graph=True)
    first = [g for g in first or () if g is not None and g.requires_grad]
    return _gradients(first, inputs, torch, mine) if first else None


def check_sample(
    info, variant: str, fns: tuple, sample, dtype: str, torch, second_order: bool = False
) -> str | None:
    """None when the variant agrees with PyTorch on one sample; else what differs (with
    ``second_order``, the float64 second-order gradients are compared too)."""
    theirs_fn, mine_fn = fns
    try:
        m_args, m_kwargs = _arguments(sample, torch, mine=True)
    except TypeError:
        return None  # a dtype minitorch has no tensors of (complex)
    t_args, t_kwargs = _arguments(sample, torch, mine=False)
    try:
        theirs = _run(theirs_fn, t_args, t_kwargs, torch)
    except Exception:
        return None  # PyTorch itself refuses this sample (e.g. an in-place type change)
    try:
        mine = _run(mine_fn, m_args, m_kwargs, minitorch)
    except Exception as exc:  # noqa: BLE001 -- every failure is a divergence to report
        return f"raises {type(exc).__name__}: {_first_line(exc)}"
    if info.has_nondeterministic_output or info.name in _RANDOM:
        if (diff := compare(theirs, mine, torch)) and "values differ" not in diff:
            return diff
        return None
    if (diff := compare(theirs, mine, torch)) is not None:
        return diff
    if variant != "function" or dtype != "float64" or not info.supports_autograd:
        return None
    t_inputs = _tensors((t_args, t_kwargs), torch)
    if any(t.requires_grad and t._base is not None for t in t_inputs):
        return None  # PyTorch's leaf views of a base that requires grad get no gradient
    process = sample.output_process_fn_grad or (lambda x: x)
    try:
        t_grads = _gradients(process(theirs), t_inputs, torch, False, retain=second_order)
    except Exception:
        return None
    try:
        m_inputs = _tensors((m_args, m_kwargs), torch)
        m_grads = _gradients(process(mine), m_inputs, torch, True, retain=second_order)
    except Exception as exc:  # noqa: BLE001
        return f"backward raises {type(exc).__name__}: {_first_line(exc)}"
    if t_grads is None:
        return None
    if diff := compare(tuple(t_grads), tuple(m_grads) if m_grads else None, torch, "grad"):
        return diff
    if not (second_order and info.supports_gradgrad):
        return None
    try:
        t_second = _second_order(process(theirs), t_inputs, torch, False)
    except Exception:
        return None
    try:
        m_second = _second_order(process(mine), m_inputs, torch, True)
    except Exception as exc:  # noqa: BLE001
        return f"double backward raises {type(exc).__name__}: {_first_line(exc)}"
    if t_second is None:
        return None
    return _second_order_diff(t_second, m_second or (None,) * len(t_second))


def _second_order_diff(theirs, mine) -> str | None:
    """Second-order gradients compared with None read as zero: minitorch gives None where a
    first gradient does not depend on the inputs, PyTorch often a tensor of zeros."""
    for i, (t, m) in enumerate(zip(theirs, mine)):
        a = t.detach().numpy(force=True) if t is not None else 0.0
        b = m.detach().numpy() if m is not None else 0.0
        if np.shape(b) not in ((), np.shape(a)) and np.shape(a) != ():
            return f"gradgrad[{i}]: shape {np.shape(b)}, PyTorch {np.shape(a)}"
        if not np.allclose(b, a, rtol=1e-7, atol=1e-7, equal_nan=True):
            return f"gradgrad[{i}]: values differ"
    return None


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0][:150] if text else ""


_RANDOM = {"bernoulli", "multinomial", "normal", "uniform", "cauchy", "exponential", "geometric"}


def variants(info, torch) -> list:
    """(variant name, (PyTorch's callable, minitorch's callable)) for each variant minitorch has."""
    if isinstance(info, torch_internal("opinfo.core").ForeachFuncInfo):
        return _foreach_variants(info)
    found = []
    mine = function_variant(info, torch)
    if mine is not None:
        found.append(("function", (info.op, mine)))
    method = info.method_variant
    if method is not None and method is not info.op and (m := _variant_method(method)):
        found.append(("method", (info.method_variant, m)))
    if info.inplace_variant is not None and (m := _variant_method(info.inplace_variant)):
        found.append(("inplace", (info.inplace_variant, m)))
    return found


def _foreach_variants(info) -> list:
    """A ForeachFuncInfo's function (where it has an out-of-place form) and in-place variant,
    minitorch's of the same name (one that raises where there is none). The in-place ones
    are compared by what they return, the updated list, and whether each returned tensor is
    the list's own."""

    def mine(fn):
        def missing(*args, **kwargs):
            raise AttributeError(f"minitorch has no {fn.__name__}")

        return getattr(minitorch, fn.__name__, missing)

    def updated(fn):
        def run(tensors, *args, **kwargs):
            out = fn(tensors, *args, **kwargs)
            return out, list(tensors), [o is t for o, t in zip(out or (), tensors)]

        return run

    found = [("function", (info.op, mine(info.op)))] if info.supports_out else []
    if info.inplace_variant is not None:
        inplace = info.inplace_variant
        found.append(("inplace", (updated(inplace), updated(mine(inplace)))))
    return found


def _first_inputs(inputs, limit: int | None = None) -> list:
    """The first ``limit`` items of one of PyTorch's input generators, the RNG seeded before
    each as its OpInfo iterators do (the same values), without their ``inspect.stack()`` per
    iterator and per error input: under pytest's deep stacks those took ~0.2 s each."""
    utils = torch_internal("common_utils")
    items, it = [], iter(inputs)
    while limit is None or len(items) < limit:
        utils.set_rng_seed(utils.SEED)
        item = next(it, None)
        if item is None:
            break
        items.append(item)
    return items


def _inputs(info, dtype, grad: bool, kind: str, limit: int | None) -> list:
    """PyTorch's first ``limit`` sample inputs ("sample"), longer reference inputs
    ("reference"), or samples made non-contiguous ("noncontiguous")."""
    make = info.sample_inputs_func
    if kind == "reference" and info.reference_inputs_func is not None:
        make = info.reference_inputs_func
    samples = _first_inputs(make(info, "cpu", dtype, grad), limit)
    if hasattr(info, "sample_zero_size_inputs"):  # foreach's lists of empty tensors
        samples += _first_inputs(info.sample_zero_size_inputs("cpu", dtype, grad))
    return [s.noncontiguous() for s in samples] if kind == "noncontiguous" else samples


def sweep_op(
    info, torch, dtypes=DTYPES, limit: int = 40, kind: str = "sample", second_order: bool = False
) -> list:
    """Divergences of one OpInfo over its supported dtypes (at most ``limit`` inputs each;
    ``kind`` picks the inputs, see ``_inputs``)."""
    found = []
    supported = {str(d).removeprefix("torch.") for d in info.supported_dtypes("cpu")}
    pairs = variants(info, torch)
    if not pairs:
        return [Divergence(full_name(info), "-", "-", "-", "missing in minitorch")]
    for dtype in dtypes:
        if dtype not in supported:
            continue
        grad = dtype == "float64" and info.supports_autograd
        torch.manual_seed(0)  # the same sample values whatever ran before
        try:
            samples = _inputs(info, getattr(torch, dtype), grad, kind, limit)
        except Exception:
            continue
        for sample in samples:
            for variant, fns in pairs:
                if variant == "inplace":  # on fresh copies, which no graph records
                    sample = sample.transform(
                        lambda t: t.detach().clone() if isinstance(t, torch.Tensor) else t
                    )
                diff = check_sample(info, variant, fns, sample, dtype, torch, second_order)
                if diff is not None:
                    where = _describe(sample, torch)
                    second = diff.startswith(("gradgrad", "double backward"))
                    label = "gradgrad" if second else variant
                    found.append(Divergence(full_name(info), label, dtype, where, diff))
    return found


def sweep_errors(info, torch) -> list:
    """Divergences on the OpInfo's error inputs: minitorch must raise the same exception type
    with a message PyTorch's regex matches."""
    import re

    fn = function_variant(info, torch)
    if fn is None or info.error_inputs_func is None:
        return []
    found = []
    torch.manual_seed(0)
    try:
        errors = _first_inputs(info.error_inputs_func(info, "cpu"))
    except Exception:
        return []
    for error in errors:
        sample = error.sample_input
        where = _describe(sample, torch)
        try:
            args, kwargs = _arguments(sample, torch, mine=True)
            _run(fn, args, kwargs, minitorch)
        except Exception as exc:  # noqa: BLE001
            if not isinstance(exc, error.error_type):
                what = f"raises {type(exc).__name__} ({str(exc)[:120]!r}), PyTorch {error.error_type.__name__}"  # noqa: E501
            elif not re.search(error.error_regex, str(exc).replace("minitorch.", "torch.")):
                what = f"message {str(exc)[:150]!r} does not match PyTorch's {error.error_regex!r}"
            else:
                continue
        else:
            what = f"no error, PyTorch raises {error.error_type.__name__}: {error.error_regex!r}"
        found.append(Divergence(full_name(info), "error", "-", where, what))
    return found


# ---- forward-mode AD (--jvp, --fwbw) ---------------------------------------------------------
def _tangents_for(args, torch) -> dict:
    """id(tensor) -> (tensor, its fixed tangent) for each floating-point input that requires
    grad (PyTorch's differentiable inputs), from a seeded PyTorch generator."""
    gen = torch.Generator().manual_seed(SEED)
    found = {}
    for t in _tensors(args, torch):
        if t.requires_grad and t.is_floating_point() and id(t) not in found:
            found[id(t)] = (t, torch.randn(t.shape, dtype=t.dtype, generator=gen))
    return found


def _dual_call(fn, args, kwargs, tangents: dict, torch, mine: bool, process, backward: bool):
    """``fn`` on the arguments with each differentiable input made dual (primal detached, or a
    leaf that requires grad with ``backward``), inside a dual level: (primals, tangents) of the
    processed outputs, and with ``backward`` the gradients of the weighted tangents with
    respect to the primals and tangents (reverse over forward)."""
    lib = minitorch if mine else torch
    fwad = lib.autograd.forward_ad
    with fwad.dual_level():
        duals, leaves = {}, []
        for key, (t, v) in tangents.items():
            p, v = (
                (_tensor_copy(t, False), _tensor_copy(v, False))
                if mine
                else (_storage_clone(t), v.clone())
            )
            if backward:
                p, v = p.clone().requires_grad_(True), v.clone().requires_grad_(True)
                leaves += [p, v]
            duals[key] = fwad.make_dual(p, v)
        if mine:
            args, kwargs = to_minitorch((args, kwargs), torch, keep_grad=False, memo=duals)
        else:
            args, kwargs = _mapped((args, kwargs), lambda x: _plain_copy(x, duals, torch))
        outs = _tensors(process(_run(fn, args, kwargs, lib)), torch)
        unpacked = [fwad.unpack_dual(o) for o in outs]
        primals = tuple(u.primal.detach() for u in unpacked)
        out_tangents = tuple(u.tangent for u in unpacked)
        if not backward:
            return primals, tuple(t if t is None else t.detach() for t in out_tangents), None
        present = [t for t in out_tangents if t is not None]
        grads = _gradients(present, leaves, torch, mine) if present else None
        return primals, tuple(t if t is None else t.detach() for t in out_tangents), grads


def _plain_copy(value, memo: dict, torch):
    """A PyTorch argument for a dual call: its dual if it has one, else a detached copy (the
    sample's tensors stay as they are for minitorch's run, in-place variants included)."""
    if not isinstance(value, torch.Tensor):
        return value
    if id(value) not in memo:
        memo[id(value)] = _storage_clone(value)
    return memo[id(value)]


def _storage_clone(t):
    """A detached copy of a PyTorch tensor at its strides and storage offset in a copy of its
    whole storage (what ``as_strided`` of a partial view reads), as minitorch's conversion."""
    t = t.detach()
    size = t.untyped_storage().nbytes() // t.element_size()
    whole = t.as_strided((size,), (1,), 0).clone()
    return whole.as_strided(t.shape, t.stride(), t.storage_offset())


def _mapped(value, fn):
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_mapped(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: _mapped(v, fn) for k, v in value.items()}
    return fn(value)


def check_jvp_sample(info, fns: tuple, sample, torch, backward: bool = False) -> str | None:
    """None when minitorch's forward-mode AD agrees with PyTorch's on one float64 sample:
    primal outputs, output tangents (value, dtype, shape, and whether there is one), and with
    ``backward`` the reverse-mode gradients of the tangents; else what differs."""
    theirs_fn, mine_fn = fns
    args, kwargs = (sample.input, *sample.args), sample.kwargs
    tangents = _tangents_for((args, kwargs), torch)
    if not tangents:
        return None
    process = sample.output_process_fn_grad or (lambda x: x)
    try:
        theirs = _dual_call(theirs_fn, args, kwargs, tangents, torch, False, process, backward)
    except Exception:
        return None  # PyTorch refuses this sample (or has no forward derivative for it)
    try:
        mine = _dual_call(mine_fn, args, kwargs, tangents, torch, True, process, backward)
    except Exception as exc:  # noqa: BLE001 -- every failure is a divergence to report
        return f"raises {type(exc).__name__}: {_first_line(exc)}"
    random = info.has_nondeterministic_output or info.name in _RANDOM
    if (diff := compare(theirs[0], mine[0], torch)) and not (random and "values" in diff):
        return diff
    for i, (t, m) in enumerate(zip(theirs[1], mine[1])):
        if (t is None) != (m is None):
            return f"tangent[{i}]: {'none' if m is None else 'a tangent'}, PyTorch {'none' if t is None else 'a tangent'}"  # noqa: E501
        if t is not None and (diff := compare(t, m, torch, f"tangent[{i}]")):
            if not (random and "values" in diff):
                return diff
    if backward and theirs[2] is not None:
        mine_grads = mine[2] or (None,) * len(theirs[2])
        return _second_order_diff(theirs[2], mine_grads)
    return None


def _gradcheck_wrapped(info, fns: tuple) -> tuple:
    """The two functions through the OpInfo's gradcheck wrapper (e.g. symmetrizing the input
    of ops on Hermitian matrices: PyTorch's forward derivatives assume that), minitorch's
    with ``torch`` meaning minitorch in the wrapper."""
    wrapper = info.gradcheck_wrapper
    if wrapper.__name__ == "<lambda>":  # the default: the op itself
        return fns
    scope = dict(wrapper.__globals__, torch=minitorch, wrapper_set_seed=_seeded)
    mine = types.FunctionType(wrapper.__code__, scope, wrapper.__name__, wrapper.__defaults__)
    mine.__kwdefaults__ = wrapper.__kwdefaults__
    theirs_fn, mine_fn = fns
    return (
        lambda *args, **kwargs: wrapper(theirs_fn, *args, **kwargs),
        lambda *args, **kwargs: mine(mine_fn, *args, **kwargs),
    )


def sweep_jvp(info, torch, limit: int = 40, backward: bool = False) -> list:
    """Divergences of one OpInfo's forward-mode AD on its float64 samples (variants "jvp" and
    "jvp_inplace"); with ``backward`` (variant "fwbw") the reverse-mode gradients of its
    tangents, for the OpInfos PyTorch marks ``supports_fwgrad_bwgrad``."""
    wanted = info.supports_fwgrad_bwgrad if backward else info.supports_forward_ad
    if not wanted or torch.float64 not in info.supported_dtypes("cpu"):
        return []
    label = "fwbw" if backward else "jvp"
    pairs = [
        (label if variant == "function" else label + "_inplace", fns)
        for variant, fns in variants(info, torch)
        if variant == "function" or (variant == "inplace" and not backward)
    ]
    try:
        samples = _first_inputs(info.sample_inputs_func(info, "cpu", torch.float64, True), limit)
    except Exception:
        return []
    found = []
    for sample in samples:
        for variant, fns in pairs:
            if variant == label:  # PyTorch's test runs the function through its wrapper
                fns = _gradcheck_wrapped(info, fns)
            if (diff := check_jvp_sample(info, fns, sample, torch, backward)) is not None:
                where = _describe(sample, torch)
                found.append(Divergence(full_name(info), variant, "float64", where, diff))
    return found


# ---- the outputs' autograd graph (--graph) ---------------------------------------------------
def _graph_of(out, torch) -> list:
    """(requires_grad, grad_fn's name or None) of each output tensor."""
    return [
        (t.requires_grad, t.grad_fn.name() if t.grad_fn is not None else None)
        for t in _tensors(out, torch)
    ]


def sweep_graph(info, torch, limit: int = 40) -> list:
    """Divergences of one OpInfo's outputs' ``requires_grad`` and ``grad_fn`` names (variant
    "graph") on its float32 samples with the float inputs requiring grad."""
    fn = function_variant(info, torch)
    if fn is None or torch.float32 not in info.supported_dtypes("cpu"):
        return []
    torch.manual_seed(0)
    try:
        samples = _first_inputs(info.sample_inputs_func(info, "cpu", torch.float32, True), limit)
    except Exception:
        return []
    found = []
    for sample in samples:
        try:
            m_args, m_kwargs = _arguments(sample, torch, mine=True)
            theirs = _graph_of(_run(info.op, *_arguments(sample, torch, mine=False), torch), torch)
        except Exception:
            continue  # PyTorch refuses it, or a dtype minitorch has no tensors of
        try:
            mine = _graph_of(_run(fn, m_args, m_kwargs, minitorch), torch)
        except Exception as exc:  # noqa: BLE001 -- every failure is a divergence to report
            mine = f"raises {type(exc).__name__}: {_first_line(exc)}"
        if mine != theirs:
            what = f"{mine}, PyTorch {theirs}"
            found.append(
                Divergence(full_name(info), "graph", "float32", _describe(sample, torch), what)
            )
    return found


class _TooSlow(BaseException):
    """Raised by the alarm; a BaseException, so the samples' ``except Exception`` let it pass."""


def _too_slow(signum, frame):
    raise _TooSlow


def main() -> None:
    import warnings

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", nargs="*", help="OpInfo names (default: all)")
    parser.add_argument("--db", choices=("op", "foreach"), default="op", help="which OpInfos")
    parser.add_argument("--dtypes", nargs="*")
    parser.add_argument("--errors", action="store_true", help="check error inputs instead")
    parser.add_argument("--gradgrad", action="store_true", help="compare float64 2nd-order grads")
    parser.add_argument("--jvp", action="store_true", help="compare forward-mode AD (float64)")
    parser.add_argument("--fwbw", action="store_true", help="compare gradients of tangents")
    parser.add_argument("--graph", action="store_true", help="compare requires_grad, grad_fn")
    parser.add_argument(
        "--inputs", choices=("sample", "reference", "noncontiguous"), default="sample"
    )
    parser.add_argument("-v", action="store_true", help="print every divergence")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per OpInfo")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    db = foreach_db() if opts.db == "foreach" else op_db()
    opts.dtypes = opts.dtypes or list(FOREACH_DTYPES if opts.db == "foreach" else DTYPES)
    infos = [i for i in db if not opts.ops or i.name in opts.ops or full_name(i) in opts.ops]
    total = 0
    signal.signal(signal.SIGALRM, _too_slow)
    for info in infos:
        signal.alarm(opts.timeout)
        try:
            if opts.errors:
                found = sweep_errors(info, torch)
            elif opts.jvp or opts.fwbw:
                found = sweep_jvp(info, torch, backward=opts.fwbw)
            elif opts.graph:
                found = sweep_graph(info, torch)
            else:
                found = sweep_op(
                    info, torch, opts.dtypes, kind=opts.inputs, second_order=opts.gradgrad
                )
        except _TooSlow:
            found = [Divergence(full_name(info), "-", "-", "-", f"over {opts.timeout} s")]
        signal.alarm(0)
        total += len(found)
        for d in found if opts.v else found[:1]:
            print(d, flush=True)
        if found and not opts.v and len(found) > 1:
            print(f"    ... {len(found) - 1} more for {full_name(info)}")
    print(f"{total} divergences in {len(infos)} OpInfos")


if __name__ == "__main__":
    main()
