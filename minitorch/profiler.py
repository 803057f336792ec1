"""``minitorch.profiler``, the alias of ``torch.profiler`` for the common case:
``profile(activities=..., record_shapes=..., profile_memory=..., on_trace_ready=...)``,
``record_function`` and ``ProfilerActivity``. The recording is
``minitorch.autograd.profiler.profile``'s; ``schedule`` is not supported."""

from __future__ import annotations

import enum

from .autograd import profiler as _autograd_profiler
from .autograd.profiler import record_function

__all__ = ["ProfilerActivity", "profile", "record_function"]


class ProfilerActivity(enum.Enum):
    """Mirrors ``torch.profiler.ProfilerActivity``. Both are recorded as one timeline: GPU
    work is synchronised into the CPU times."""

    CPU = "cpu"
    CUDA = "cuda"


class profile(_autograd_profiler.profile):
    """Mirrors ``torch.profiler.profile`` without ``schedule``: everything inside the
    ``with`` block is recorded; ``on_trace_ready(prof)`` is called once at its end."""

    def __init__(
        self,
        *,
        activities=None,
        schedule=None,
        on_trace_ready=None,
        record_shapes: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_flops: bool = False,
        with_modules: bool = False,
    ) -> None:
        if schedule is not None:
            raise NotImplementedError(
                "minitorch.profiler.profile(schedule=...) is not supported: profile the steps "
                "you want inside the with block"
            )
        super().__init__(
            record_shapes=record_shapes,
            profile_memory=profile_memory,
            with_stack=with_stack,
            with_flops=with_flops,
            with_modules=with_modules,
        )
        self.activities = set(activities or (ProfilerActivity.CPU,))
        self.on_trace_ready = on_trace_ready

    def start(self) -> None:
        """Mirrors ``profile.start`` (the same as entering the ``with`` block)."""
        self.__enter__()

    def stop(self) -> None:
        """Mirrors ``profile.stop``."""
        self.__exit__(None, None, None)

    def step(self) -> None:
        """Mirrors ``profile.step``: marks a step boundary (nothing to do without a schedule)."""

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)
