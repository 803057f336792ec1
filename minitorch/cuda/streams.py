"""``torch.cuda.Stream`` and ``torch.cuda.Event`` on cupy's streams and events, the current and
default streams, and the ``with torch.cuda.stream(s):`` context. minitorch's GPU ops launch
their kernels on cupy's current stream, so a stream made current here orders them. Without a
GPU constructing either raises PyTorch's RuntimeError; ``stream(None)`` is a no-op."""

from __future__ import annotations

from ..backends import Device, cupy_backend
from ._runtime import device_index, require


class Stream:
    """Mirrors ``torch.cuda.Stream(device=None, priority=0)``: a ``cupy.cuda.Stream`` on a GPU
    (lower ``priority`` numbers run first)."""

    def __init__(self, device=None, priority: int = 0, **kwargs) -> None:
        cupy = require("minitorch.cuda.Stream")
        index = device_index(device)
        with cupy.cuda.Device(index):
            stream = cupy.cuda.Stream(**({"priority": priority} if priority else {}))
        self._bind(stream, index, priority)

    def _bind(self, stream, index: int, priority: int = 0) -> None:
        self._stream, self.device_index, self.priority = stream, index, priority

    @classmethod
    def _wrap(cls, stream, index: int) -> Stream:
        """A Stream object for an existing cupy stream."""
        self = cls.__new__(cls)
        self._bind(stream, index)
        return self

    @property
    def device(self) -> Device:
        return Device("cuda", self.device_index)

    @property
    def cuda_stream(self) -> int:
        """The raw ``cudaStream_t`` (0 for the default stream)."""
        return int(self._stream.ptr)

    def query(self) -> bool:
        """Whether all work queued on the stream is done."""
        return bool(self._stream.done)

    def synchronize(self) -> None:
        """Waits for all work queued on the stream."""
        self._stream.synchronize()

    def wait_event(self, event: Event) -> None:
        """Makes the stream's future work wait for ``event``."""
        self._stream.wait_event(event._event)

    def wait_stream(self, stream: Stream) -> None:
        """Makes the stream's future work wait for the work queued on ``stream`` so far."""
        self.wait_event(stream.record_event())

    def record_event(self, event: Event | None = None) -> Event:
        """Records ``event`` (a new one by default) on the stream and returns it."""
        event = Event() if event is None else event
        event.record(self)
        return event

    def __enter__(self) -> Stream:
        self._context = StreamContext(self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)

    def __eq__(self, other) -> bool:
        return isinstance(other, Stream) and (self.cuda_stream, self.device_index) == (
            other.cuda_stream,
            other.device_index,
        )

    def __hash__(self) -> int:
        return hash((self.cuda_stream, self.device_index))

    def __repr__(self) -> str:
        return f"<minitorch.cuda.Stream device=cuda:{self.device_index} cuda_stream={self.cuda_stream:#x}>"


class ExternalStream(Stream):
    """Mirrors ``torch.cuda.ExternalStream``: a stream made elsewhere, from its raw pointer
    (``cupy.cuda.ExternalStream``)."""

    def __init__(self, stream_ptr: int, device=None, **kwargs) -> None:
        cupy = require("minitorch.cuda.ExternalStream")
        index = device_index(device)
        self._bind(cupy.cuda.ExternalStream(stream_ptr), index)


class Event:
    """Mirrors ``torch.cuda.Event(enable_timing=False, blocking=False, interprocess=False)``:
    a ``cupy.cuda.Event``; ``start.elapsed_time(end)`` is the milliseconds between two
    recorded timing events."""

    def __init__(self, enable_timing: bool = False, blocking: bool = False,
                 interprocess: bool = False, external: bool = False) -> None:  # fmt: skip
        cupy = require("minitorch.cuda.Event")
        self.enable_timing = enable_timing
        self._event = cupy.cuda.Event(
            block=blocking, disable_timing=not enable_timing, interprocess=interprocess
        )

    def record(self, stream: Stream | None = None) -> None:
        """Records the event on ``stream`` (the current stream by default)."""
        self._event.record((current_stream() if stream is None else stream)._stream)

    def wait(self, stream: Stream | None = None) -> None:
        """Makes ``stream``'s (the current stream's) future work wait for the event."""
        (current_stream() if stream is None else stream).wait_event(self)

    def query(self) -> bool:
        """Whether the work recorded before the event is done."""
        return bool(self._event.done)

    def synchronize(self) -> None:
        """Waits until the work recorded before the event is done."""
        self._event.synchronize()

    def elapsed_time(self, end_event: Event) -> float:
        """Milliseconds between this event and ``end_event`` (both recorded, with timing)."""
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("Both events must be created with argument 'enable_timing=True'")
        return float(cupy_backend.cupy.cuda.get_elapsed_time(self._event, end_event._event))

    @property
    def cuda_event(self) -> int:
        """The raw ``cudaEvent_t``."""
        return int(self._event.ptr)

    def __repr__(self) -> str:
        return f"<minitorch.cuda.Event {self.cuda_event:#x}>"


def current_stream(device=None) -> Stream:
    """Mirrors ``torch.cuda.current_stream``: the stream GPU work is queued on (cupy's current
    stream of that GPU; the current GPU by default)."""
    cupy = require("minitorch.cuda.current_stream")
    index = device_index(device)
    with cupy.cuda.Device(index):
        return Stream._wrap(cupy.cuda.get_current_stream(), index)


def default_stream(device=None) -> Stream:
    """Mirrors ``torch.cuda.default_stream``: a GPU's default (null) stream."""
    cupy = require("minitorch.cuda.default_stream")
    return Stream._wrap(cupy.cuda.Stream.null, device_index(device))


def set_stream(stream: Stream | None) -> None:
    """Mirrors ``torch.cuda.set_stream``: makes ``stream`` current on its GPU (None: a no-op)."""
    if stream is None:
        return
    with cupy_backend.cupy.cuda.Device(stream.device_index):
        stream._stream.use()


class StreamContext:
    """Mirrors ``torch.cuda.StreamContext``: ``stream`` is current on its GPU inside the block,
    the previous stream after; a no-op for None."""

    __module__ = "minitorch.cuda"  # prints as PyTorch's torch.cuda.StreamContext

    def __init__(self, stream: Stream | None) -> None:
        self.stream = stream
        self.prev_stream = None

    def __enter__(self) -> None:
        if self.stream is not None:
            self.prev_stream = current_stream(self.stream.device_index)
            set_stream(self.stream)

    def __exit__(self, *exc) -> None:
        set_stream(self.prev_stream)


def stream(stream: Stream | None) -> StreamContext:
    """Mirrors ``torch.cuda.stream``: ``with stream(s):`` queues the block's GPU work on ``s``."""
    return StreamContext(stream)
