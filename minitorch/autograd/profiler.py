"""The autograd profiler (mirrors ``torch.autograd.profiler``): ``profile`` times every op's
forward and every backward node, ``record_function`` adds named ranges. Results come as a
table (``prof.key_averages().table(...)``, ``print(prof)``) or a Chrome trace that Perfetto
and chrome://tracing open. When no profile is active, ops pay nothing beyond the one
``observers.active`` check they always make.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import threading
import time

from .._tensor import Tensor
from ..backends import _backends
from . import observers
from .profiler_util import BACKWARD_FUNCTION, EventList, FunctionEvent


def _synchronize() -> None:
    """Waits for queued GPU work, so that a time read afterwards includes it."""
    cuda = _backends.get("cuda")
    if cuda is not None:
        cuda.synchronize()


def _fresh_bytes(out) -> int:
    """Bytes of the newly allocated arrays among an op's outputs (views allocate nothing)."""
    total = 0
    for t in out if type(out) is tuple else (out,):
        if isinstance(t, Tensor) and t._data.base is None:
            total += t._data.nbytes
    return total


def _shapes(args) -> list:
    return [list(a._data.shape) if isinstance(a, Tensor) else [] for a in args]


class profile:
    """Mirrors ``torch.autograd.profiler.profile(enabled=True, *, use_cuda=False,
    record_shapes=False, profile_memory=False, with_stack=False)`` as a context manager.

    Every op's forward is an event named as PyTorch's ATen op (``aten::mul``; an op that
    PyTorch runs as a user-level op around a kernel is both, nested: ``aten::linear`` around
    ``aten::addmm``), every backward node ``autograd::engine::evaluate_function: MulBackward0``
    around ``MulBackward0``; the ops a backward formula runs are its children. With
    ``profile_memory`` each event counts the bytes of the new arrays its op returned. GPU work
    is synchronised before each time is read, so CPU time includes the device time.
    ``with_flops`` counts PyTorch's FLOPs of matrix products, add and mul (not convolutions)
    from the input shapes (so it records them); ``with_stack`` and ``with_modules`` are
    accepted and record nothing more (PyTorch 2.13 leaves ``FunctionEvent.stack`` empty too). Entering a profile while another
    records makes the inner one the only one, as in PyTorch: the outer ends with no events.
    """

    def __init__(
        self,
        enabled: bool = True,
        *,
        use_cuda: bool = False,
        use_device: str | None = None,
        record_shapes: bool = False,
        with_flops: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_modules: bool = False,
        use_kineto: bool = False,
        use_cpu: bool = True,
        experimental_config=None,
        acc_events: bool = False,
        custom_trace_id_callback=None,
    ) -> None:
        self.enabled = enabled
        self.use_cuda = use_cuda
        self.use_device = use_device
        self.use_cpu = use_cpu
        self.record_shapes = record_shapes or with_flops  # FLOPs are counted from shapes
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_flops = with_flops
        self.with_modules = with_modules
        self._events: list = []
        self._local = threading.local()  # each thread's stack of open ranges
        self._all_stacks: list = []
        self._t0 = 0
        self._finished = False
        self._resolved = True
        self._entered = False

    # ---- context manager ---------------------------------------------------------------------
    def __enter__(self) -> profile | None:
        if self.enabled and self._entered:  # once per object, as PyTorch's
            raise RuntimeError("Profiler context manager is not reentrant")
        self._entered = self.enabled
        return self._start()

    def _start(self) -> profile | None:
        """Starts recording (torch.profiler.profile starts each cycle of a schedule here)."""
        if not self.enabled:
            return None
        if observers.profiler is not None:
            observers.profiler._events = []
        self._events = []
        self._local = threading.local()
        self._all_stacks = []
        self._threads = {}
        self._finished = False
        self._resolved = False
        _synchronize()
        self._t0 = time.perf_counter_ns()
        observers.profiler = self
        observers.refresh()
        return self

    def __exit__(self, *exc) -> None:
        self._finished = True
        if not self.enabled:
            return
        _synchronize()
        observers.profiler = None
        observers.refresh()
        for stack in self._all_stacks:  # ranges left open by an exception end here
            while stack:
                self._end(stack[-1], stack)

    # ---- recording (called by observers and record_function) ----------------------------------
    def _now_us(self) -> float:
        _synchronize()
        return (time.perf_counter_ns() - self._t0) / 1000

    def _stack(self) -> list:
        stack = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
            self._all_stacks.append(stack)
        return stack

    def _begin(self, name: str, kind: str, shapes=None, key=None) -> FunctionEvent:
        stack = self._stack()
        parent = stack[-1] if stack else None
        thread = self._threads.setdefault(threading.get_ident(), len(self._threads) + 1)
        event = FunctionEvent(len(self._events), name, kind, self._now_us(), shapes or [],
                              thread, key, parent)  # fmt: skip
        if parent is not None:
            parent.cpu_children.append(event)
        stack.append(event)
        self._events.append(event)
        return event

    def _end(self, event: FunctionEvent, stack: list | None = None) -> None:
        if stack is None:
            stack = self._stack()
        if event not in stack:
            return
        now = self._now_us()
        while stack:  # ranges opened inside ``event`` and never closed (an exception) end too
            e = stack.pop()
            e.end_us = now
            if e is event:
                return

    def _op_begin(self, ctx, args) -> None:
        shapes = _shapes(args) if self.record_shapes else None
        event = self._begin(type(ctx)._op_class.__name__, "cpu_op", shapes, ctx)
        first = args[0] if args else None
        event.input_ndim = first._data.ndim if isinstance(first, Tensor) else 0

    def _op_end(self, ctx, out) -> None:
        stack = self._stack()
        for event in reversed(stack):
            if event._key is ctx:
                event.sequence_nr = ctx._seq  # the recorded node's (-1 when none was)
                if self.profile_memory:
                    event.own_memory = _fresh_bytes(out)
                self._end(event)
                return

    def _backward_begin(self, node, runs: bool = True) -> FunctionEvent:
        """Opens the ranges of a node's backward; only the outer one for a node that does
        not run (where autograd.grad captures its input), as PyTorch's engine records."""
        name = node.name()
        outer = self._begin(f"autograd::engine::evaluate_function: {name}", "cpu_op")
        if runs:
            inner = self._begin(name, "cpu_op")
            inner.scope = BACKWARD_FUNCTION
            outer.sequence_nr = inner.sequence_nr = node._seq  # its forward op's
        return outer

    def _resolve(self) -> None:
        """Names each op's events as PyTorch's ATen ops, once the ops' grad_fn names are final
        (some are set after the op returns), and numbers the events in order."""
        if self._resolved:
            return
        events = []
        for e in self._events:
            if e.kind == "user_annotation" and e.name.startswith("ProfilerStep#"):
                e.name = "ProfilerStep*"  # as PyTorch's events; the trace keeps the number
            if e.kind == "cpu_op" and e._key is not None:
                names = aten_names(e._key, e.input_ndim)
                if self.with_flops:
                    e.flops = _flops(type(e._key)._op_class.__name__, names[-1], e.input_shapes)
                e._key = None
                for outer_name in names[:-1]:
                    events.append(_wrap(e, outer_name))
                e.name = e.trace_name = names[-1]
            events.append(e)
        for i, e in enumerate(events):
            e.id = i
        self._events = events
        self._resolved = True

    # ---- results -----------------------------------------------------------------------------
    @property
    def function_events(self) -> EventList:
        """Every recorded event, in the order they started."""
        self._check_finished()
        self._resolve()
        return EventList(self._events, self.profile_memory, self.record_shapes, self.with_flops)

    def events(self) -> EventList:
        """Mirrors ``profile.events``."""
        return self.function_events

    def key_averages(
        self,
        group_by_input_shape: bool = False,
        group_by_stack_n: int = 0,
        group_by_overload_name: bool = False,
    ) -> EventList:
        """Mirrors ``profile.key_averages``: events aggregated by name (and input shapes,
        which needs ``record_shapes=True``, and the top ``group_by_stack_n`` stack entries)."""
        return self.function_events.key_averages(
            group_by_input_shape, group_by_stack_n, group_by_overload_name
        )

    def total_average(self):
        """Mirrors ``profile.total_average``."""
        return self.function_events.total_average()

    def table(self, sort_by: str | None = None, row_limit: int = 100, **kwargs) -> str:
        """Mirrors ``profile.table``: the table of every event (not key averages)."""
        return self.function_events.table(sort_by=sort_by, row_limit=row_limit, **kwargs)

    @property
    def self_cpu_time_total(self) -> float:
        """Total self time of all events, in microseconds."""
        return self.function_events.self_cpu_time_total

    def export_chrome_trace(self, path: str | os.PathLike) -> None:
        """Mirrors ``profile.export_chrome_trace``: writes the Trace Event Format JSON that
        Perfetto (ui.perfetto.dev) and chrome://tracing open."""
        write_chrome_trace(self.function_events, path, self.profile_memory)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        """Mirrors ``profile.export_stacks`` (``EventList.export_stacks``); needs
        ``with_stack``."""
        events = self.function_events
        if not self.with_stack:
            raise AssertionError("export_stacks() requires with_stack=True")
        events.export_stacks(path, metric)

    def _check_finished(self) -> None:
        if not self._finished:
            raise RuntimeError("Profiler didn't finish running: read results after the with block")

    def __str__(self) -> str:
        return str(self.function_events)


def _flops(op: str, name: str, shapes: list) -> int:
    """PyTorch's FLOP count of an op from its input shapes: 2 m k n for a matrix product
    (mm, addmm, bmm, baddbmm), the first input's size for add and mul, 0 for others."""
    if name in ("aten::add", "aten::mul"):
        return math.prod(shapes[0]) if shapes else 0
    if name not in ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm") or len(shapes) < 2:
        return 0
    a, b = shapes[1:3] if op == "AddProduct" else shapes[:2]
    if op == "Linear":  # the input's rows (all its leading dimensions) by the (out, in) weight
        a, b = [math.prod(a[:-1]), a[-1]], b[::-1]
    if len(a) != len(b) or len(a) not in (2, 3):
        return 0
    return 2 * math.prod(a) * b[-1]


def write_chrome_trace(events, path, profile_memory: bool) -> None:
    """Writes ``events`` in the Trace Event Format."""
    pid = os.getpid()
    trace = []
    for e in events:
        event = {
            "ph": "X",
            "cat": e.kind,
            "name": e.trace_name,
            "pid": pid,
            "tid": e.thread,
            "ts": round(e.start_us, 3),
            "dur": round(e.cpu_time_total, 3),
            "args": {},
        }
        if e.input_shapes is not None:
            event["args"]["Input Dims"] = e.input_shapes
        if e.sequence_nr >= 0:
            event["args"]["Sequence number"] = e.sequence_nr
        if profile_memory:
            event["args"]["Self CPU Mem (bytes)"] = e.self_cpu_memory_usage
        trace.append(event)
    trace.append({"name": "process_name", "ph": "M", "pid": pid, "args": {"name": "minitorch"}})
    with open(path, "w") as f:
        json.dump({"traceEvents": trace, "traceName": str(path), "displayTimeUnit": "ms"}, f)


def _wrap(event: FunctionEvent, name: str) -> FunctionEvent:
    """A new event ``name`` that spans ``event`` and has it as its only child."""
    outer = FunctionEvent(0, name, event.kind, event.start_us, event.input_shapes,
                          event.thread, None, event.cpu_parent)  # fmt: skip
    outer.end_us = event.end_us
    outer.sequence_nr = event.sequence_nr
    parent = event.cpu_parent
    if parent is not None:
        parent.cpu_children[parent.cpu_children.index(event)] = outer
    outer.cpu_children.append(event)
    event.cpu_parent = outer
    return outer


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z0-9])(?=[A-Z][a-z])")

_NODE_ATEN = {  # grad_fn names (less BackwardN) of ops PyTorch records under other names
    "ToCopy": ("aten::to", "aten::_to_copy"),
    "UnsafeView": ("aten::_unsafe_view",),
    "Softmax": ("aten::softmax", "aten::_softmax"),
    "LogSoftmax": ("aten::log_softmax", "aten::_log_softmax"),
    "NativeLayerNorm": ("aten::layer_norm", "aten::native_layer_norm"),
    "NativeBatchNorm": ("aten::batch_norm", "aten::native_batch_norm"),
    "NativeGroupNorm": ("aten::group_norm", "aten::native_group_norm"),
    "NllLoss": ("aten::nll_loss", "aten::nll_loss_forward"),
    "CrossEntropy": ("aten::nll_loss", "aten::nll_loss_forward"),
    "BasicIndex": ("aten::slice",),
    "AdvancedIndex": ("aten::index",),
    "Cast": ("aten::to", "aten::_to_copy"),
    "Mean": ("aten::mean", "aten::sum"),
    "MatMul": ("aten::matmul", "aten::mm"),  # linear without a bias
    "ScaledDotProductFlashAttentionForCpu": ("aten::_scaled_dot_product_flash_attention_for_cpu",),
}


def _add_product_name(ctx) -> str:
    """addmm, addmv, baddbmm, addbmm or addr, from the kind and the factors' dimensions."""
    kind = ctx.args[3]
    if kind != "mm":
        return {"outer": "Addr", "addbmm": "Addbmm"}[kind]
    m1, m2 = ctx._to_save
    return "Addmv" if m2.ndim == 1 else "Baddbmm" if m1.ndim == 3 else "Addmm"


_UNNAMED = {  # ops of ours that stand for several of PyTorch's: the grad_fn name, from ctx
    "AddProduct": _add_product_name,
    "Addc": lambda ctx: "Addcdiv" if ctx.args[2] else "Addcmul",
}

_OP_OUTER = {  # ops of ours that PyTorch runs as a user-level op around a kernel
    "Linear": "aten::linear",
    "MatMul": "aten::matmul",
    "CrossEntropy": "aten::cross_entropy_loss",
    "Attention": "aten::scaled_dot_product_attention",
}


def aten_names(ctx, ndim: int) -> tuple:
    """PyTorch's names of the ATen ops (outermost first) that one op of ours is, from its
    class and its grad_fn name (``MmBackward0`` is ``aten::mm``)."""
    op = type(ctx)._op_class.__name__
    if not ctx._raw:  # a user Function: PyTorch names its forward by the class
        return (op,)
    base = re.sub(r"Backward\d*$", "", type(ctx).__name__)
    if op == "Conv":
        return (f"aten::conv{ndim - 2}d", "aten::convolution")
    if op == "MaxPool":
        return (f"aten::max_pool{ndim - 2}d", f"aten::max_pool{ndim - 2}d_with_indices")
    if base in _UNNAMED:  # no grad_fn named it (no input requires grad): PyTorch's op by args
        base = _UNNAMED[base](ctx)
    if op == "Linear" and base != "Addmm":
        base = "MatMul"  # PyTorch's linear of other shapes runs matmul
    if op == "MatMul" and base == "UnsafeView":
        base = "Bmm"  # batched products
    names = _NODE_ATEN.get(base) or ("aten::" + _CAMEL.sub("_", base).lower(),)
    outer = _OP_OUTER.get(op)
    if outer is not None and outer != names[0] and type(ctx).__name__ != "BmmBackward0":
        names = (outer, *names)
    return names


class record_function:
    """Mirrors ``torch.autograd.profiler.record_function(name)``: a named range in the active
    profile (nothing when none is active), as a context manager or a decorator."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name
        self.args = args
        self._event = None
        self._profile = None

    def __enter__(self) -> record_function:
        for arg, value, kind in (("name", self.name, "str"), ("args", self.args, "Optional[str]")):
            if not isinstance(value, str) and not (value is None and arg == "args"):
                raise RuntimeError(
                    "profiler::_record_function_enter_new() Expected a value of type "
                    f"'{kind}' for argument '{arg}' but instead found type "
                    f"'{type(value).__name__}'."
                )
        prof = observers.profiler
        if prof is not None:
            self._profile = prof
            self._event = prof._begin(self.name, "user_annotation")
        return self

    def __exit__(self, *exc) -> None:
        if self._event is not None:
            self._profile._end(self._event)
            self._event = self._profile = None

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)

        return wrapper


class emit_nvtx:
    """Mirrors ``torch.autograd.profiler.emit_nvtx``: NVTX ranges for nvprof/Nsight. It needs
    CUDA, as in PyTorch; minitorch emits no ranges (profile with ``profile`` instead)."""

    def __init__(self, enabled: bool = True, record_shapes: bool = False) -> None:
        self.enabled = enabled
        self.record_shapes = record_shapes

    def __enter__(self) -> emit_nvtx | None:
        if not self.enabled:
            return None
        if _backends.get("cuda") is None:
            raise AssertionError("Torch not compiled with CUDA enabled")
        _synchronize()
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            _synchronize()
