"""Mirrors ``torch.utils.benchmark``'s Python-statement ``Timer`` and its ``Measurement``
(used by the torch.func tutorials to time their variants)."""

from __future__ import annotations

import statistics
import timeit as _timeit

__all__ = ["Measurement", "Timer", "select_unit"]


def select_unit(t: float) -> tuple[str, float]:
    """Mirrors ``torch.utils.benchmark.select_unit``: the unit that shows ``t`` seconds as
    a number of order 1."""
    import math  # noqa: PLC0415

    unit = {-3: "ns", -2: "us", -1: "ms"}.get(int(math.log10(t) // 3) if t > 0 else -3, "s")
    return unit, {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[unit]


class Measurement:
    """Mirrors ``torch.utils.benchmark.Measurement``: ``raw_times`` (seconds per block of
    ``number_per_run`` runs), per-run ``times``, ``mean``, ``median``, ``iqr``."""

    def __init__(self, number_per_run: int, raw_times: list, stmt: str, label=None,
                 sub_label=None, description=None, num_threads: int = 1) -> None:  # fmt: skip
        self.number_per_run, self.raw_times = number_per_run, list(raw_times)
        self.stmt, self.label, self.sub_label = stmt, label, sub_label
        self.description, self.num_threads = description, num_threads

    @property
    def times(self) -> list:
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def _quantiles(self) -> tuple:
        t = sorted(self.times)
        if len(t) < 2:
            return t[0], t[0]
        q = statistics.quantiles(t, n=4, method="inclusive")
        return q[0], q[2]

    @property
    def iqr(self) -> float:
        p25, p75 = self._quantiles()
        return p75 - p25

    @property
    def title(self) -> str:
        if self.label is not None:
            return self.label + (f": {self.sub_label}" if self.sub_label else "")
        return self.stmt

    def __repr__(self) -> str:
        n, median = len(self.raw_times), self.median
        unit, scale = select_unit(median)
        lines = [object.__repr__(self), self.title]
        if self.description:
            lines.append(self.description)
        lines.append(f"  {'Median: ' if n > 1 else ''}{median / scale:.2f} {unit}")
        if n >= 4:
            p25, p75 = self._quantiles()
            lines.append(f"  IQR:    {self.iqr / scale:.2f} {unit} ({p25 / scale:.2f} to {p75 / scale:.2f})")  # fmt: skip
        runs = "per measurement," if n > 1 else ","
        threads = f"{self.num_threads} thread{'s' if self.num_threads > 1 else ''}"
        lines.append(f"  {n} measurement{'s' if n > 1 else ''}, {self.number_per_run} runs {runs} {threads}")  # fmt: skip
        return "\n".join(lines)


class Timer:
    """Mirrors ``torch.utils.benchmark.Timer`` for Python statements."""

    def __init__(self, stmt: str = "pass", setup: str = "pass", global_setup: str = "",
                 timer=_timeit.default_timer, globals: dict | None = None, label=None,
                 sub_label=None, description=None, env=None, num_threads: int = 1,
                 language="python") -> None:  # fmt: skip
        self._stmt, self._meta = stmt, (label, sub_label, description, num_threads)
        self._timer = _timeit.Timer(stmt, setup, timer, globals=dict(globals or {}))

    def _measurement(self, number: int, raw_times: list) -> Measurement:
        return Measurement(number, raw_times, self._stmt, *self._meta)

    def timeit(self, number: int = 1000000) -> Measurement:
        """Mirrors ``Timer.timeit``: ``stmt`` run ``number`` times (after one warm-up run)."""
        self._timer.timeit(number=max(number // 100, 2))
        return self._measurement(number, [self._timer.timeit(number=number)])

    def _blocks(self, min_run_time: float, stop, callback=None) -> Measurement:
        number = 1  # grows until one block takes at least 0.1 ms, as PyTorch's
        while self._timer.timeit(number=number) < 1e-4 and number < 1e8:
            number *= 10
        times, total = [], 0.0
        while total < min_run_time or not stop(times):
            elapsed = self._timer.timeit(number=number)
            if callback is not None:
                callback(number, elapsed)
            times.append(elapsed)
            total += elapsed
        return self._measurement(number, times)

    def blocked_autorange(self, callback=None, min_run_time: float = 0.2) -> Measurement:
        """Mirrors ``Timer.blocked_autorange``: blocks of runs for at least ``min_run_time``."""
        return self._blocks(min_run_time, lambda times: True, callback)

    def adaptive_autorange(self, threshold: float = 0.1, *, min_run_time: float = 0.01,
                           max_run_time: float = 10.0, callback=None) -> Measurement:  # fmt: skip
        """Mirrors ``Timer.adaptive_autorange``: blocks until the IQR is below ``threshold``
        of the median (or ``max_run_time`` is spent)."""
        start = _timeit.default_timer()

        def stop(times: list) -> bool:
            if _timeit.default_timer() - start > max_run_time:
                return True
            if len(times) < 4:
                return False
            m = self._measurement(1, times)
            return m.iqr / m.median < threshold

        return self._blocks(min_run_time, stop, callback)
