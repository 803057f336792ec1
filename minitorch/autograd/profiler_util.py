"""Profiler results (mirrors ``torch.autograd.profiler_util``): one ``FunctionEvent`` per
timed range, ``EventList.key_averages()`` to aggregate them by name (and input shapes), and
``EventList.table()`` for PyTorch's text table."""

from __future__ import annotations


class FunctionEvent:
    """One timed range: an op's forward, a backward node or a ``record_function`` block.
    Times are microseconds from the start of the profile."""

    __slots__ = (
        "name",
        "kind",
        "start_us",
        "end_us",
        "input_shapes",
        "self_cpu_memory_usage",
        "child_memory",
        "child_time",
        "thread",
        "_key",
    )

    count = 1

    def __init__(self, name: str, kind: str, start_us: float, input_shapes, thread: int, key):
        self.name = name
        self.kind = kind  # "cpu_op" (forward), "backward" or "user_annotation"
        self.start_us = start_us
        self.end_us = start_us
        self.input_shapes = input_shapes
        self.self_cpu_memory_usage = 0
        self.child_memory = 0
        self.child_time = 0.0
        self.thread = thread
        self._key = key  # what the matching end call passes (an op's ctx)

    @property
    def key(self) -> str:
        return self.name

    @property
    def cpu_time_total(self) -> float:
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> float:
        return self.cpu_time_total - self.child_time

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total

    @property
    def cpu_memory_usage(self) -> int:
        return self.self_cpu_memory_usage + self.child_memory

    def __repr__(self) -> str:
        return (
            f"<FunctionEvent name={self.name} cpu_time_total={self.cpu_time_total:.3f}us "
            f"self_cpu_time_total={self.self_cpu_time_total:.3f}us>"
        )


class FunctionEventAvg:
    """The events of one name (and input shapes) added together."""

    def __init__(self, key: str, input_shapes) -> None:
        self.key = key
        self.input_shapes = input_shapes
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.cpu_memory_usage = 0
        self.self_cpu_memory_usage = 0

    def add(self, event) -> FunctionEventAvg:
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        self.cpu_memory_usage += event.cpu_memory_usage
        self.self_cpu_memory_usage += event.self_cpu_memory_usage
        return self

    @property
    def cpu_time(self) -> float:
        """Average time per call."""
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self) -> str:
        return (
            f"<FunctionEventAvg key={self.key} count={self.count} "
            f"cpu_time_total={self.cpu_time_total:.3f}us>"
        )


_SORT_KEYS = (
    "cpu_time",
    "cpu_time_total",
    "self_cpu_time_total",
    "cpu_memory_usage",
    "self_cpu_memory_usage",
    "count",
)


class EventList(list):
    """Mirrors ``torch.autograd.profiler_util.EventList``: a list of events with
    ``key_averages`` and ``table``."""

    def __init__(self, events=(), profile_memory: bool = False, with_shapes: bool = False):
        super().__init__(events)
        self._profile_memory = profile_memory
        self._with_shapes = with_shapes

    @property
    def self_cpu_time_total(self) -> float:
        return sum(e.self_cpu_time_total for e in self)

    def key_averages(self, group_by_input_shape: bool = False) -> EventList:
        """Mirrors ``EventList.key_averages``: one row per name (and input shapes)."""
        groups: dict = {}
        for e in self:
            shapes = str(e.input_shapes) if group_by_input_shape else None
            name = "ProfilerStep*" if e.key.startswith("ProfilerStep#") else e.key  # as PyTorch
            key = (name, shapes)
            if key not in groups:
                groups[key] = FunctionEventAvg(name, e.input_shapes if shapes else None)
            groups[key].add(e)
        return EventList(groups.values(), self._profile_memory, group_by_input_shape)

    def table(
        self,
        sort_by: str | None = None,
        row_limit: int = 100,
        max_name_column_width: int = 55,
        max_shapes_column_width: int = 80,
        header: str | None = None,
    ) -> str:
        """Mirrors ``EventList.table``: self/total CPU time, calls and, when the profile
        recorded memory, the bytes allocated; rows sorted by ``sort_by`` (descending)."""
        rows = list(self)
        if sort_by is not None:
            if sort_by not in _SORT_KEYS:
                raise ValueError(
                    f"table(): cannot sort by {sort_by!r}; minitorch records CPU time (GPU "
                    f"work is synchronised into it) and memory. Use one of {list(_SORT_KEYS)}."
                )
            rows.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        if row_limit is not None and row_limit >= 0:
            rows = rows[:row_limit]
        return _build_table(
            rows,
            self.self_cpu_time_total,
            self._profile_memory,
            self._with_shapes,
            max_name_column_width,
            max_shapes_column_width,
            header,
        )

    def __str__(self) -> str:
        return self.table()


def _format_time(us: float) -> str:
    if abs(us) >= 1e6:
        return f"{us / 1e6:.3f}s"
    if abs(us) >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _format_memory(nbytes: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if abs(nbytes) >= size:
            return f"{nbytes / size:.2f} {unit}"
    return f"{nbytes} B"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "0.00%"


def _build_table(rows, self_total, memory, shapes, name_width, shapes_width, header) -> str:
    name_w = min(max([len(r.key) for r in rows] + [4]) + 4, name_width)
    columns = [
        ("Self CPU %", lambda r: _percent(r.self_cpu_time_total, self_total)),
        ("Self CPU", lambda r: _format_time(r.self_cpu_time_total)),
        ("CPU total %", lambda r: _percent(r.cpu_time_total, self_total)),
        ("CPU total", lambda r: _format_time(r.cpu_time_total)),
        ("CPU time avg", lambda r: _format_time(r.cpu_time_total / r.count)),
    ]
    if memory:
        columns += [
            ("CPU Mem", lambda r: _format_memory(r.cpu_memory_usage)),
            ("Self CPU Mem", lambda r: _format_memory(r.self_cpu_memory_usage)),
        ]
    columns.append(("# of Calls", lambda r: str(r.count)))
    widths = [name_w] + [12] * len(columns)
    titles = ["Name"] + [c[0] for c in columns]
    if shapes:
        widths.append(min(max([len(str(r.input_shapes)) for r in rows] + [12]) + 2, shapes_width))
        titles.append("Input Shapes")
    rule = "  ".join("-" * w for w in widths)

    def line(cells) -> str:
        return "  ".join(str(c)[:w].rjust(w) for c, w in zip(cells, widths))

    out = [header] if header else []
    out += [rule, line(titles), rule]
    for r in rows:
        name = r.key if len(r.key) <= name_w else r.key[: name_w - 3] + "..."
        cells = [name] + [fn(r) for _, fn in columns]
        if shapes:
            cells.append(str(r.input_shapes))
        out.append(line(cells))
    out.append(rule)
    out.append(f"Self CPU time total: {_format_time(self_total)}")
    return "\n".join(out) + "\n"
