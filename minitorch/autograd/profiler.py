"""The autograd profiler (mirrors ``torch.autograd.profiler``): ``profile`` times every op's
forward and every backward node, ``record_function`` adds named ranges. Results come as a
table (``prof.key_averages().table(...)``, ``print(prof)``) or a Chrome trace that Perfetto
and chrome://tracing open. When no profile is active, ops pay nothing beyond the one
``observers.active`` check they always make.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time

from .._tensor import Tensor
from ..backends import _backends
from . import observers
from .profiler_util import EventList, FunctionEvent


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
    record_shapes=False, profile_memory=False)`` as a context manager.

    Every op's forward is an event named after its class (``Mul``, ``MatMul``), every
    backward node one named like its ``grad_fn`` (``MulBackward0``); the ops a backward
    formula runs are its children. With ``profile_memory`` each event counts the bytes of the
    new arrays its op returned. GPU work is synchronised before each time is read, so
    ``use_cuda`` needs no separate columns: CPU time includes the device time.
    """

    def __init__(
        self,
        enabled: bool = True,
        *,
        use_cuda: bool = False,
        use_device: str | None = None,
        record_shapes: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_flops: bool = False,
        with_modules: bool = False,
    ) -> None:
        for name, flag in (
            ("with_stack", with_stack),
            ("with_flops", with_flops),
            ("with_modules", with_modules),
        ):
            if flag:
                raise NotImplementedError(
                    f"profile({name}=True) is not supported by minitorch's profiler"
                )
        self.enabled = enabled
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self._events: list = []
        self._local = threading.local()  # each thread's stack of open ranges
        self._all_stacks: list = []
        self._t0 = 0
        self._finished = False

    # ---- context manager ---------------------------------------------------------------------
    def __enter__(self) -> profile:
        if not self.enabled:
            return self
        if observers.profiler is not None:
            raise RuntimeError("Profiler is already enabled: profiles cannot be nested.")
        self._events = []
        self._local = threading.local()
        self._all_stacks = []
        self._finished = False
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
        if shapes is None and self.record_shapes:
            shapes = []
        event = FunctionEvent(name, kind, self._now_us(), shapes, threading.get_ident(), key)
        self._stack().append(event)
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
            if stack:
                parent = stack[-1]
                parent.child_time += e.cpu_time_total
                parent.child_memory += e.cpu_memory_usage
            if e is event:
                return

    def _op_begin(self, ctx, args) -> None:
        shapes = _shapes(args) if self.record_shapes else None
        self._begin(type(ctx)._op_class.__name__, "cpu_op", shapes, ctx)

    def _op_end(self, ctx, out) -> None:
        stack = self._stack()
        for event in reversed(stack):
            if event._key is ctx:
                if self.profile_memory:
                    event.self_cpu_memory_usage = _fresh_bytes(out)
                self._end(event)
                return

    def _backward_begin(self, node) -> FunctionEvent:
        return self._begin(node.name(), "backward")

    # ---- results -----------------------------------------------------------------------------
    @property
    def function_events(self) -> EventList:
        """Every recorded event, in the order they started."""
        self._check_finished()
        return EventList(self._events, self.profile_memory, self.record_shapes)

    def events(self) -> EventList:
        """Mirrors ``profile.events``."""
        return self.function_events

    def key_averages(self, group_by_input_shape: bool = False) -> EventList:
        """Mirrors ``profile.key_averages``: events aggregated by name (and input shapes,
        which needs ``record_shapes=True``)."""
        if group_by_input_shape and not self.record_shapes:
            raise RuntimeError(
                "key_averages(group_by_input_shape=True) needs profile(record_shapes=True)"
            )
        return self.function_events.key_averages(group_by_input_shape)

    def table(self, sort_by: str | None = None, row_limit: int = 100, **kwargs) -> str:
        """Mirrors ``profile.table``: ``key_averages().table(...)``."""
        return self.key_averages().table(sort_by=sort_by, row_limit=row_limit, **kwargs)

    @property
    def self_cpu_time_total(self) -> float:
        """Total self time of all events, in microseconds."""
        return self.function_events.self_cpu_time_total

    def export_chrome_trace(self, path: str | os.PathLike) -> None:
        """Mirrors ``profile.export_chrome_trace``: writes the Trace Event Format JSON that
        Perfetto (ui.perfetto.dev) and chrome://tracing open."""
        pid = os.getpid()
        trace = [{"name": "process_name", "ph": "M", "pid": pid, "args": {"name": "minitorch"}}]
        for e in self.function_events:
            event = {
                "name": e.name,
                "ph": "X",
                "cat": e.kind,
                "ts": round(e.start_us, 3),
                "dur": round(e.cpu_time_total, 3),
                "pid": pid,
                "tid": e.thread,
                "args": {},
            }
            if e.input_shapes is not None:
                event["args"]["Input Dims"] = e.input_shapes
            if self.profile_memory:
                event["args"]["Self CPU Mem (bytes)"] = e.self_cpu_memory_usage
            trace.append(event)
        with open(path, "w") as f:
            json.dump({"traceEvents": trace, "displayTimeUnit": "ms"}, f)

    def _check_finished(self) -> None:
        if not self._finished:
            raise RuntimeError("Profiler didn't finish running: read results after the with block")

    def __str__(self) -> str:
        return str(self.function_events)


class record_function:
    """Mirrors ``torch.autograd.profiler.record_function(name)``: a named range in the active
    profile (nothing when none is active), as a context manager or a decorator."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name
        self.args = args
        self._event = None
        self._profile = None

    def __enter__(self) -> record_function:
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
