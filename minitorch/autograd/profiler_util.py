"""Profiler results (mirrors ``torch.autograd.profiler_util``): one ``FunctionEvent`` per
timed range, ``EventList.key_averages()`` to aggregate them by name (and input shapes or
stack), ``EventList.total_average()`` and ``EventList.table()`` for PyTorch's text table."""

from __future__ import annotations

import enum
import math


class DeviceType(enum.Enum):
    """Mirrors ``torch.autograd.DeviceType``: where an event ran."""

    CPU = 0
    CUDA = 1


class Interval:
    """Mirrors ``profiler_util.Interval``: an event's start and end, in microseconds."""

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end

    def elapsed_us(self) -> float:
        """The length of the interval."""
        return self.end - self.start


BACKWARD_FUNCTION, USER_SCOPE = 1, 7  # PyTorch's RecordScope of a backward node, a user range


def _formatted(name: str) -> property:
    """A read-only ``<name>_str`` property: the time ``name`` (us) as PyTorch prints it."""
    return property(lambda self: _format_time(getattr(self, name)))


class _Stats:
    """The attributes an event and an average share (device columns are always zero: GPU
    work is synchronised into the CPU times)."""

    node_id = -1
    device_type = DeviceType.CPU
    is_async = False
    is_remote = False
    is_legacy = False
    scope = 0
    overload_name = ""
    use_device = None
    device_time_total = 0
    self_device_time_total = 0
    device_memory_usage = 0
    self_device_memory_usage = 0
    cuda_time_total = 0
    self_cuda_time_total = 0
    cuda_memory_usage = 0
    self_cuda_memory_usage = 0
    flops = 0

    @property
    def cpu_time(self) -> float:
        """Average time per call."""
        return self.cpu_time_total / self.count if self.count else 0.0

    @property
    def device_time(self) -> float:
        return 0.0

    cuda_time = device_time

    cpu_time_str = _formatted("cpu_time")
    cpu_time_total_str = _formatted("cpu_time_total")
    self_cpu_time_total_str = _formatted("self_cpu_time_total")
    device_time_str = _formatted("device_time")
    device_time_total_str = _formatted("device_time_total")
    self_device_time_total_str = _formatted("self_device_time_total")


class FunctionEvent(_Stats):
    """Mirrors ``profiler_util.FunctionEvent``: one timed range (an op, a backward node or a
    ``record_function`` block). Times are microseconds from the start of the profile."""

    count = 1

    def __init__(self, id: int, name: str, kind: str, start_us: float, input_shapes,
                 thread: int, key, parent) -> None:  # fmt: skip
        self.id = id
        self.name = name
        self.trace_name = name
        self.kind = kind  # "cpu_op" (an op or a backward node) or "user_annotation"
        self.start_us = start_us
        self.end_us = start_us
        self.input_shapes = input_shapes
        self.own_memory = 0  # bytes of the arrays this event's op itself returned
        self.thread = thread
        self.fwd_thread = 0
        self.sequence_nr = -1  # PyTorch's: of the graph node an op made or a backward ran
        self.scope = USER_SCOPE if kind == "user_annotation" else 0
        self.stack: list = []
        self.cpu_parent = parent
        self.cpu_children: list = []
        self.kernels: list = []
        self._key = key  # what the matching end call passes (an op's ctx)

    @property
    def key(self) -> str:
        return self.name

    @property
    def is_user_annotation(self) -> bool:
        return self.kind == "user_annotation"

    @property
    def time_range(self) -> Interval:
        return Interval(self.start_us, self.end_us)

    @property
    def cpu_time_total(self) -> float:
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> float:
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    @property
    def cpu_memory_usage(self) -> int:
        return self.own_memory + sum(c.cpu_memory_usage for c in self.cpu_children)

    @property
    def self_cpu_memory_usage(self) -> int:
        return self.own_memory

    def __repr__(self) -> str:
        return (
            f"<FunctionEvent id={self.id} name={self.name} device_type={self.device_type} "
            f"node_id={self.node_id} cpu_time={self.cpu_time_str} start_us={self.start_us} "
            f"end_us={self.end_us} cpu_children={[c.id for c in self.cpu_children]} "
            f"input_shapes={self.input_shapes} cpu_memory_usage={self.cpu_memory_usage}>"
        )


class FunctionEventAvg(_Stats):
    """Mirrors ``profiler_util.FunctionEventAvg``: events of one key added together; the
    first one's attributes (parent, children, shapes, stack) are kept."""

    def __init__(self) -> None:
        self.key = None
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.cpu_memory_usage = 0
        self.self_cpu_memory_usage = 0
        self.input_shapes = None
        self.stack = None
        self.cpu_parent = None
        self.cpu_children = None
        self.is_user_annotation = False

    def add(self, other) -> FunctionEventAvg:
        """Mirrors ``FunctionEventAvg.add``."""
        if self.key is None:
            self.key = other.key
            self.input_shapes = other.input_shapes
            self.stack = other.stack
            self.cpu_parent = other.cpu_parent
            self.cpu_children = other.cpu_children
            self.is_user_annotation = other.is_user_annotation
        self.count += other.count
        self.cpu_time_total += other.cpu_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.cpu_memory_usage += other.cpu_memory_usage
        self.self_cpu_memory_usage += other.self_cpu_memory_usage
        self.flops += other.flops
        return self

    __iadd__ = add

    def __repr__(self) -> str:
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total_str} "
            f"cpu_time={self.cpu_time_str} input_shapes={self.input_shapes} "
            f"cpu_memory_usage={self.cpu_memory_usage}>"
        )


class EventList(list):
    """Mirrors ``torch.autograd.profiler_util.EventList``: a list of events with
    ``key_averages``, ``total_average`` and ``table``."""

    def __init__(self, events=(), profile_memory: bool = False, with_shapes: bool = False,
                 with_flops: bool = False):  # fmt: skip
        super().__init__(events)
        self._profile_memory = profile_memory
        self._with_shapes = with_shapes
        self._with_flops = with_flops

    @property
    def self_cpu_time_total(self) -> float:
        return sum(e.self_cpu_time_total for e in self)

    def key_averages(
        self,
        group_by_input_shapes: bool = False,
        group_by_stack_n: int = 0,
        group_by_overload_name: bool = False,
    ) -> EventList:
        """Mirrors ``EventList.key_averages``: one ``FunctionEventAvg`` per key (and input
        shapes, and top ``group_by_stack_n`` stack entries), in order of first appearance."""
        groups: dict = {}
        for e in self:
            key = (e.key, e.is_user_annotation)
            if group_by_input_shapes:
                key += (str(e.input_shapes),)
            if group_by_stack_n > 0:
                key += tuple(e.stack[:group_by_stack_n])
            if key not in groups:
                groups[key] = FunctionEventAvg()
            groups[key].add(e)
        out = EventList(groups.values(), self._profile_memory, self._with_shapes, self._with_flops)
        for avg in out:
            avg.stack = avg.stack[:group_by_stack_n]
            if not group_by_input_shapes:
                avg.input_shapes = ""
        return out

    def total_average(self) -> FunctionEventAvg:
        """Mirrors ``EventList.total_average``: every event added into one, keyed "Total"."""
        total = FunctionEventAvg()
        for e in self:
            total.add(e)
            total.key = None
        total.key = "Total"
        return total

    def export_chrome_trace(self, path) -> None:
        """Mirrors ``EventList.export_chrome_trace``."""
        from .profiler import write_chrome_trace  # noqa: PLC0415 (it imports this module)

        write_chrome_trace(self, path, self._profile_memory)

    def supported_export_stacks_metrics(self) -> list:
        """Mirrors ``EventList.supported_export_stacks_metrics``."""
        return [
            "self_cpu_time_total",
            "self_cuda_time_total",
            "self_xpu_time_total",
            "self_privateuse1_time_total",
        ]

    def export_stacks(self, path: str, metric: str) -> None:
        """Mirrors ``EventList.export_stacks``: one ``frame;frame;... <value>`` line per event
        with a stack and a positive ``metric`` (outermost frame first), the input of flame
        graph tools."""
        if metric not in self.supported_export_stacks_metrics():
            raise ValueError(f"metric should be one of: {self.supported_export_stacks_metrics()}")
        attr = metric.replace("cuda", "device").replace("xpu", "device")
        attr = attr.replace("privateuse1", "device")
        frame = str.maketrans(" ;\t\n", "____")
        with open(path, "w") as f:
            for e in self:
                value = int(getattr(e, attr))
                if e.stack and value > 0:
                    f.write(";".join(s.translate(frame) for s in reversed(e.stack)) + f" {value}\n")

    def table(
        self,
        sort_by: str | None = None,
        row_limit: int = 100,
        max_src_column_width: int = 75,
        max_name_column_width: int = 55,
        max_shapes_column_width: int = 80,
        header: str | None = None,
        top_level_events_only: bool = False,
        time_unit: str | None = None,
    ) -> str:
        """Mirrors ``EventList.table``: self/total CPU time, calls and, when the profile
        recorded memory, the bytes allocated; rows sorted by the attribute ``sort_by``
        (descending; an unknown one raises AttributeError, as in PyTorch)."""
        if not self:
            return ""
        rows = list(self)
        if sort_by is not None:
            attr = sort_by.replace("cuda", "device").replace("xpu", "device")
            rows.sort(key=lambda e: getattr(e, attr), reverse=True)
        widths = _Widths(rows, max_name_column_width, max_shapes_column_width,
                         max_src_column_width)  # fmt: skip
        flops = self._with_flops and any(r.flops > 0 for r in rows)
        return _build_table(rows, widths, self._profile_memory, header, row_limit,
                            top_level_events_only, time_unit, flops)  # fmt: skip

    def __str__(self) -> str:
        return self.table()


def _format_time(us: float, unit: str | None = None) -> str:
    if unit == "s" or (unit is None and us >= 1e6):
        return f"{us / 1e6:.3f}s"
    if unit == "ms" or (unit is None and us >= 1e3):
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _format_memory(nbytes: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if abs(nbytes) >= size:
            return f"{nbytes / size:.2f} {unit}"
    return f"{nbytes} B"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "NaN"


class _Widths:
    """The columns PyTorch's table has for these rows, and their widths."""

    def __init__(self, rows, name_max, shapes_max, src_max) -> None:
        self.name = min(max(len(r.key) for r in rows) + 4, name_max)
        self.name_max = name_max
        self.shapes = None
        if any(r.input_shapes for r in rows):
            self.shapes = min(max(len(str(r.input_shapes)) for r in rows) + 4, shapes_max)
        stacks = [r.stack for r in rows if r.stack]
        self.src = None
        if stacks:
            self.src = min(max(len(s) for stack in stacks for s in stack) + 4, src_max)


def _flops_scale(rows) -> tuple:
    """PyTorch's unit of the FLOPs column: the one of the smallest count."""
    units = ["FLOPs", "KFLOPs", "MFLOPs", "GFLOPs", "TFLOPs", "PFLOPs"]
    low = min(r.flops for r in rows if r.flops > 0)
    i = int(max(0, min(math.log10(low) / 3, len(units) - 1)))
    return 10.0 ** (-3 * i), units[i]


def _build_table(rows, w: _Widths, memory, header, row_limit, top_level, unit, flops) -> str:
    titles = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
    if memory:
        titles += ["CPU Mem", "Self CPU Mem"]
    titles.append("# of Calls")
    formats = [f"{{:>{w.name}}}"] + ["{:>12}"] * len(titles)
    seps = [w.name] + [12] * len(titles)
    titles.insert(0, "Name")
    if w.shapes is not None:
        titles.append("Input Shapes")
        formats.append(f"{{:>{w.shapes}}}")
        seps.append(w.shapes)
    if w.src is not None:
        titles.append("Source Location")
        formats.append(f"{{:<{w.src}}}")
        seps.append(w.src)
    if flops:  # PyTorch's "Total FLOPs" column, when with_flops counted some
        scale, flops_unit = _flops_scale(rows)
        titles.append(f"Total {flops_unit}")
        formats.append("{:>12}")
        seps.append(12)
    row_format = "".join(f + "  " for f in formats)
    rule = "".join("-" * n + "  " for n in seps)
    width = sum(seps) + 2 * (len(seps) - 1)
    total = sum(r.self_cpu_time_total for r in rows)
    out = []
    if header is not None:
        out += ["=" * width, header]
    if top_level:
        out += ["=" * width, "This report only display top-level ops statistics"]
    out += [rule, row_format.format(*titles), rule]
    shown = 0
    for r in rows:
        if shown == row_limit:
            break
        if top_level and r.cpu_parent is not None:
            continue
        shown += 1
        name = r.key
        if len(name) >= w.name_max - 3:
            name = name[: w.name_max - 3] + "..."
        cells = [
            name,
            _percent(r.self_cpu_time_total, total),
            _format_time(r.self_cpu_time_total, unit),
            _percent(r.cpu_time_total, total),
            _format_time(r.cpu_time_total, unit),
            _format_time(r.cpu_time, unit),
        ]
        if memory:
            cells += [_format_memory(r.cpu_memory_usage), _format_memory(r.self_cpu_memory_usage)]
        cells.append(r.count)
        if w.shapes is not None:
            cells.append(str(r.input_shapes)[: w.shapes])
        if w.src is not None:
            cells.append(_trim(r.stack[0], w.src) if r.stack else "")
        if flops:
            cells.append(f"{r.flops * scale:8.3f}" if r.flops > 0 else "--")
        out.append(row_format.format(*cells))
        if w.src is not None:
            blank = [""] * (len(titles) - 1)
            out += [row_format.format(*blank, _trim(s, w.src)) for s in r.stack[1:]]
            out.append(row_format.format(*blank, ""))
    out += [rule, f"Self CPU time total: {_format_time(total, unit)}"]
    return "\n".join(out) + "\n"


def _trim(path: str, width: int) -> str:
    if len(path) > width:
        path = path[len(path) - width :]
        if len(path) > 3:
            path = "..." + path[3:]
    return path
