"""``minitorch.profiler``, the alias of ``torch.profiler``: ``profile(activities=...,
schedule=..., on_trace_ready=..., record_shapes=..., profile_memory=...)`` with ``step()``,
``schedule``, ``ProfilerAction``, ``tensorboard_trace_handler``, ``record_function`` and
``ProfilerActivity``. The recording is ``minitorch.autograd.profiler.profile``'s."""

from __future__ import annotations

import enum
import gzip
import os
import shutil
import socket
import time
import warnings
from collections.abc import Callable

from . import cuda
from .autograd import profiler as _autograd_profiler
from .autograd.profiler import record_function

__all__ = [
    "ProfilerAction",
    "ProfilerActivity",
    "profile",
    "record_function",
    "schedule",
    "supported_activities",
    "tensorboard_trace_handler",
]


class ProfilerActivity(enum.Enum):
    """Mirrors ``torch.profiler.ProfilerActivity`` (PyTorch's members and values). CPU and
    CUDA are recorded as one timeline: GPU work is synchronised into the CPU times; the
    other devices record nothing."""

    CPU = 0
    XPU = 1
    MTIA = 4
    CUDA = 2
    HPU = 3
    PrivateUse1 = 5


def supported_activities() -> set:
    """Mirrors ``torch.profiler.supported_activities``: CPU, and CUDA where a GPU is there."""
    return {ProfilerActivity.CPU} | ({ProfilerActivity.CUDA} if cuda.is_available() else set())


class ProfilerAction(enum.Enum):
    """Mirrors ``torch.profiler.ProfilerAction``: what the profiler does during a step."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


_RECORDING = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)


def schedule(
    *,
    wait: int,
    warmup: int,
    active: int,
    repeat: int = 0,
    skip_first: int = 0,
    skip_first_wait: int = 0,
) -> Callable[[int], ProfilerAction]:
    """Mirrors ``torch.profiler.schedule``: after ``skip_first`` steps, cycles of ``wait``
    idle, ``warmup`` and ``active`` recorded steps (``repeat`` cycles, 0: no limit); the last
    active step of a cycle is ``RECORD_AND_SAVE``, after which ``on_trace_ready`` runs."""

    def schedule_fn(step: int) -> ProfilerAction:
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        num_steps = wait + warmup + active
        if repeat > 0 and step / num_steps >= repeat:
            return ProfilerAction.NONE
        mod_step = step % num_steps
        if mod_step < wait:
            return ProfilerAction.NONE
        if mod_step < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if mod_step < num_steps - 1 else ProfilerAction.RECORD_AND_SAVE

    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
            f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
            f"skip_first={skip_first} (need >= 0)."
        )
    if warmup == 0:
        warnings.warn(
            "Profiler won't be using warmup, this can skew profiler results", stacklevel=2
        )
    return schedule_fn


def tensorboard_trace_handler(
    dir_name: str, worker_name: str | None = None, use_gzip: bool = False, **_ignored
) -> Callable:
    """Mirrors ``torch.profiler.tensorboard_trace_handler``: an ``on_trace_ready`` that writes
    each trace to ``dir_name/<worker_name>.<time_ns>.pt.trace.json`` (``.gz`` with gzip)."""

    def handler_fn(prof) -> None:
        os.makedirs(dir_name, exist_ok=True)
        name = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        path = os.path.join(dir_name, f"{name}.{time.time_ns()}.pt.trace.json")
        prof.export_chrome_trace(path + ".gz" if use_gzip else path)

    return handler_fn


class profile(_autograd_profiler.profile):
    """Mirrors ``torch.profiler.profile``. Without ``schedule`` everything inside the ``with``
    block is recorded and ``on_trace_ready(prof)`` runs once at its end. With one, ``step()``
    moves to the next step: only the steps the schedule marks RECORD are recorded (each in a
    ``ProfilerStep#<n>`` range), and ``on_trace_ready`` runs after every RECORD_AND_SAVE step
    (and at the end if a recording is still open)."""

    def __init__(
        self,
        *,
        activities=None,
        schedule: Callable[[int], ProfilerAction] | None = None,
        on_trace_ready: Callable | None = None,
        record_shapes: bool = False,
        profile_memory: bool = False,
        with_stack: bool = False,
        with_flops: bool = False,
        with_modules: bool = False,
        experimental_config=None,
        execution_trace_observer=None,
        acc_events: bool = False,
        use_cuda: bool | None = None,
        custom_trace_id_callback=None,
        post_processing_timeout_s: float | None = None,
    ) -> None:
        super().__init__(
            record_shapes=record_shapes,
            profile_memory=profile_memory,
            with_stack=with_stack,
            with_flops=with_flops,
            with_modules=with_modules,
        )
        self.activities = set(activities or (ProfilerActivity.CPU,))
        self.schedule = schedule
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.current_action = ProfilerAction.RECORD
        self._recording = False
        self._initialized = False  # PyTorch's profiler exists once a first recording began
        self._step_range = None

    @property
    def profiler(self) -> profile:
        """The autograd profiler that records (PyTorch's ``profile.profiler``): itself."""
        return self

    def __enter__(self) -> profile:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Mirrors ``profile.start`` (the same as entering the ``with`` block)."""
        self.step_num = 0
        if self.schedule is None:
            self._begin_recording()
            return
        self.current_action = self.schedule(0)
        if self.current_action in _RECORDING:
            self._begin_recording()
        self._open_step()

    def stop(self) -> None:
        """Mirrors ``profile.stop``: ends an open recording and hands it to on_trace_ready."""
        self._close_step()
        if self._recording:
            self._save()

    def step(self) -> None:
        """Mirrors ``profile.step``: marks a step boundary and follows the schedule."""
        if self.schedule is None:
            self.step_num += 1
            return
        self._close_step()
        previous = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        if self._recording and (
            previous is ProfilerAction.RECORD_AND_SAVE or self.current_action not in _RECORDING
        ):
            self._save()
        if self.current_action in _RECORDING and not self._recording:
            self._begin_recording()
        self._open_step()

    def _begin_recording(self) -> None:
        self._start()
        self._recording = True
        self._initialized = True

    def _check_initialized(self, what: str) -> None:
        if not self._initialized:
            raise AssertionError(f"Profiler must be initialized before {what}")

    def events(self):
        """Mirrors ``profile.events``."""
        self._check_initialized("accessing events")
        return super().events()

    def key_averages(self, *args, **kwargs):
        """Mirrors ``profile.key_averages``."""
        self._check_initialized("getting key averages")
        return super().key_averages(*args, **kwargs)

    def export_chrome_trace(self, path) -> None:
        """Mirrors ``profile.export_chrome_trace``: gzipped where ``path`` ends in ``.gz``."""
        self._check_initialized("exporting chrome trace")
        if not str(path).endswith(".gz"):
            super().export_chrome_trace(path)
            return
        plain = f"{path}.json"
        super().export_chrome_trace(plain)
        with open(plain, "rb") as src, gzip.open(path, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.remove(plain)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        """Mirrors ``profile.export_stacks``."""
        self._check_initialized("exporting stacks")
        super().export_stacks(path, metric)

    def _save(self) -> None:
        super().__exit__(None, None, None)
        self._recording = False
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def _open_step(self) -> None:
        self._step_range = record_function(f"ProfilerStep#{self.step_num}")
        self._step_range.__enter__()

    def _close_step(self) -> None:
        if self._step_range is not None:
            self._step_range.__exit__(None, None, None)
            self._step_range = None
