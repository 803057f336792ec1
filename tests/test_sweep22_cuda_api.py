"""The ``torch.cuda`` / ``torch.backends`` names that scripts written for a GPU call
(``set_device``, ``with torch.cuda.device(i):``, ``Event`` timing, ``Stream``s, memory stats,
``nvtx``, ``get_cpu_capability``...).

Without a GPU they must do what PyTorch's CPU build does: the sweep programs compare both
(results, exception types and PyTorch's words). With cupy on a GPU they go through cupy: the
``fake_gpu`` tests swap in ``FakeCupy`` below, a recording stand-in for the parts of
``cupy.cuda`` these names call (runtime, Device, Stream, Event, nvtx, the memory pool), and
check what is called on which GPU. The ``cuda``-marked tests run the real thing on a GPU."""

from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
import pytest
from sweep_harness import Sweep

import minitorch
from minitorch import backends
from minitorch import random as mt_random
from minitorch.backends import cpu as backends_cpu
from minitorch.backends import cupy_backend, mkl

NO_CUPY = cupy_backend.cupy is None

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
# PyTorch's CPU build is the oracle of the no-GPU behaviour: minitorch matches it where cupy
# is absent (with cupy but no GPU, its messages name that instead)
test_program_matches_pytorch = pytest.mark.skipif(not NO_CUPY, reason="cupy is installed")(
    SWEEP.test()
)

NOT_COMPILED = r"Torch not compiled with CUDA enabled"


# ---- without a GPU: what PyTorch's CPU build answers ------------------------------------------
@program
def memory_figures_without_gpu(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        cached = (torch.cuda.memory_cached(), torch.cuda.max_memory_cached())
    return (
        torch.cuda.memory_stats(),
        torch.cuda.memory_stats(0),
        torch.cuda.memory_stats_as_nested_dict(),
        torch.cuda.max_memory_reserved(),
        cached,
        torch.cuda.list_gpu_processes(),
    )


@program
def memory_stats_is_an_ordered_dict(torch):
    return type(torch.cuda.memory_stats()).__name__


@program
def arch_list_and_generators_without_gpu(torch):
    return torch.cuda.get_arch_list(), torch.cuda.get_gencode_flags(), torch.cuda.default_generators


@program
def device_context_with_negative_index_is_a_no_op(torch):
    with torch.cuda.device(-1):
        x = torch.ones(2) * 2
    return x, torch.cuda.set_device(-1)


@program
def device_context_constructs_without_gpu(torch):
    return torch.cuda.device(0).idx, torch.cuda.device("cuda:1").idx, torch.cuda.device(3).idx


@program
def device_of_a_cpu_tensor_is_a_no_op(torch):
    with torch.cuda.device_of(torch.zeros(1)):
        return torch.arange(3)


@program
def stream_none_is_a_no_op(torch):
    with torch.cuda.stream(None):
        x = torch.ones(2) + 1
    torch.cuda.set_stream(None)
    return x


@program
def legacy_cuda_types_do_not_match_cpu_tensors(torch):
    return (
        isinstance(torch.zeros(1), torch.cuda.FloatTensor),
        isinstance(torch.zeros(1, dtype=torch.long), torch.cuda.LongTensor),
        torch.cuda.HalfTensor.__name__,
    )


@program
def nvtx_range_is_made_lazily(torch):
    torch.cuda.nvtx.range("step {}", 1)  # the context manager object; entering it raises
    return True


@program
def backends_cpu_mkl_opt_einsum(torch):
    with torch.backends.mkl.verbose(torch.backends.mkl.VERBOSE_OFF):
        x = torch.ones(2)
    with torch.backends.opt_einsum.flags(enabled=False):
        y = torch.einsum("i,i->", x, x)
    return (
        torch.backends.cpu.get_cpu_capability(),
        torch.backends.opt_einsum.is_available(),
        torch.backends.opt_einsum.enabled,
        torch.backends.opt_einsum.strategy,
        torch.backends.opt_einsum.get_opt_einsum(),
        torch.backends.opt_einsum.set_flags(False),
        y,
    )


def _raises(name: str, call, exc: type, match: str) -> None:
    def prog(torch):
        return call(torch)

    prog.__name__ = name
    error(exc, match)(prog)


for _name, _call in {
    "get_device_properties": lambda t: t.cuda.get_device_properties(0),
    "get_device_properties_default": lambda t: t.cuda.get_device_properties(),
    "get_device_capability": lambda t: t.cuda.get_device_capability(),
    "mem_get_info": lambda t: t.cuda.mem_get_info(),
    "current_stream": lambda t: t.cuda.current_stream(),
    "default_stream": lambda t: t.cuda.default_stream(),
    "init": lambda t: t.cuda.init(),
    "ipc_collect": lambda t: t.cuda.ipc_collect(),
    "get_sync_debug_mode": lambda t: t.cuda.get_sync_debug_mode(),
    "set_sync_debug_mode": lambda t: t.cuda.set_sync_debug_mode("warn"),
    "can_device_access_peer": lambda t: t.cuda.can_device_access_peer(0, 1),
    "set_per_process_memory_fraction": lambda t: t.cuda.set_per_process_memory_fraction(0.5),
    "get_per_process_memory_fraction": lambda t: t.cuda.get_per_process_memory_fraction(),
}.items():
    _raises(f"{_name}_without_gpu", _call, AssertionError, NOT_COMPILED)

_raises(
    "stream_without_gpu", lambda t: t.cuda.Stream(), RuntimeError, r"Stream requires CUDA support"
)
_raises("stream_priority_without_gpu", lambda t: t.cuda.Stream(priority=-1), RuntimeError, r"Stream requires CUDA support")  # fmt: skip
_raises("event_without_gpu", lambda t: t.cuda.Event(enable_timing=True), RuntimeError, r"\bEvent\b")  # fmt: skip
_raises("cuda_graph_without_gpu", lambda t: t.cuda.CUDAGraph(), RuntimeError, r"\bCUDAGraph\b")
_raises("graph_context_without_gpu", lambda t: t.cuda.graph(None), RuntimeError, r"requires CUDA support")  # fmt: skip
_raises("is_current_stream_capturing_without_gpu", lambda t: t.cuda.is_current_stream_capturing(), RuntimeError, r"[Cc]urrent_?[Ss]tream_?[Cc]apturing")  # fmt: skip
_raises("device_context_entered_without_gpu", lambda t: t.cuda.device(0).__enter__(), RuntimeError, r"CUDA support")  # fmt: skip
_raises("device_context_of_cpu", lambda t: t.cuda.device("cpu"), ValueError, r"^Expected a cuda device, but got: cpu$")  # fmt: skip
_raises("set_device_cpu", lambda t: t.cuda.set_device("cpu"), ValueError, r"^Expected a cuda device, but got: cpu$")  # fmt: skip
_raises("set_device_without_index", lambda t: t.cuda.set_device("cuda"), ValueError, r"^Expected a torch.device with a specified index or an integer, but got:cuda$")  # fmt: skip
_raises("float_tensor_without_gpu", lambda t: t.cuda.FloatTensor([1]), TypeError, r"^type torch.cuda.FloatTensor not available. Torch not compiled with CUDA enabled.$")  # fmt: skip
_raises("long_tensor_sizes_without_gpu", lambda t: t.cuda.LongTensor(2, 3), TypeError, r"^type torch.cuda.LongTensor not available")  # fmt: skip
_raises("memory_summary_without_gpu", lambda t: t.cuda.memory_summary(), KeyError, r"allocated_bytes.all.current")  # fmt: skip
_raises("opt_einsum_cannot_be_enabled", lambda t: t.backends.opt_einsum.set_flags(True), ValueError, r"^opt_einsum is not available, so setting `enabled` to True will not reap")  # fmt: skip
_raises("opt_einsum_strategy_needs_it", lambda t: t.backends.opt_einsum.set_flags(None, "greedy"), ValueError, r"^opt_einsum is not available, so setting `strategy` to greedy")  # fmt: skip
for _name, _call in {
    "nvtx_range_push": lambda t: t.cuda.nvtx.range_push("a"),
    "nvtx_range_pop": lambda t: t.cuda.nvtx.range_pop(),
    "nvtx_mark": lambda t: t.cuda.nvtx.mark("a"),
    "nvtx_range_entered": lambda t: t.cuda.nvtx.range("a").__enter__(),
}.items():
    _raises(f"{_name}_without_gpu", _call, RuntimeError, r"^NVTX functions not installed. Are you sure you have a CUDA build\?")  # fmt: skip


@pytest.mark.skipif(not NO_CUPY, reason="checks the machine without cupy")
def test_set_device_without_gpu_raises_the_cuda_unavailable_error():
    # PyTorch's CPU build fails here with an AttributeError from torch._C; minitorch raises its
    # CUDA-unavailable error, which is the RuntimeError and AssertionError of the other calls
    with pytest.raises(AssertionError, match=NOT_COMPILED) as caught:
        minitorch.cuda.set_device(0)
    assert isinstance(caught.value, RuntimeError)


def test_deprecated_memory_names_warn():
    with pytest.warns(FutureWarning, match="memory_cached` has been renamed to `minitorch.cuda.memory_reserved"):  # fmt: skip
        minitorch.cuda.memory_cached()
    with pytest.warns(FutureWarning, match="has been renamed to `minitorch.cuda.max_memory_reserved"):  # fmt: skip
        minitorch.cuda.max_memory_cached()


# ---- backends.cpu and backends.mkl ------------------------------------------------------------
FLAGS_AVX512 = {"avx512f", "avx512bw", "avx512vl", "avx512dq", "fma", "avx2", "avx"}


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (FLAGS_AVX512, "AVX512"),
        (FLAGS_AVX512 - {"avx512dq"}, "AVX2"),  # AVX-512 without DQ: PyTorch's AVX2
        (FLAGS_AVX512 - {"avx512f"}, "AVX2"),
        ({"avx2", "fma", "avx"}, "AVX2"),
        ({"avx2", "avx"}, "DEFAULT"),  # AVX2 without FMA
        ({"avx", "sse4_2"}, "DEFAULT"),
        (set(), "DEFAULT"),
    ],
)
def test_cpu_capability_follows_pytorchs_rule(monkeypatch, flags, expected):
    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    monkeypatch.setattr(backends_cpu.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(backends_cpu, "_cpu_flags", lambda: flags)
    assert backends_cpu.get_cpu_capability() == expected


def test_cpu_capability_elsewhere_and_forced(monkeypatch):
    monkeypatch.setattr(backends_cpu, "_cpu_flags", lambda: FLAGS_AVX512)
    monkeypatch.setattr(backends_cpu.platform, "machine", lambda: "aarch64")
    assert minitorch.backends.cpu.get_cpu_capability() == "DEFAULT"
    monkeypatch.setattr(backends_cpu.platform, "machine", lambda: "x86_64")
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
    assert minitorch.backends.cpu.get_cpu_capability() == "AVX2"
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "AVX9")
    with pytest.warns(UserWarning, match="ignoring invalid value for ATEN_CPU_CAPABILITY: AVX9"):
        assert minitorch.backends.cpu.get_cpu_capability() == "AVX512"


def test_mkl_is_available_says_whether_numpy_uses_mkl(monkeypatch):
    config = SimpleNamespace(CONFIG={"Build Dependencies": {"blas": {"name": "scipy-openblas"}}})
    monkeypatch.setattr(mkl.np, "__config__", config)
    assert minitorch.backends.mkl.is_available() is False
    config.CONFIG["Build Dependencies"]["blas"]["name"] = "mkl-sdl"
    assert minitorch.backends.mkl.is_available() is True


# ---- with cupy on a GPU: a recording stand-in for cupy.cuda ----------------------------------
class FakeCupy:
    """The parts of cupy these names call, recording each call with the GPU current at it."""

    def __init__(self, count: int = 2) -> None:
        self.calls: list = []
        self.current = 0
        self.limit = 0
        self.used, self.total = 3 * 2**20, 10 * 2**20
        ptrs, clock = itertools.count(0x1000, 0x10), itertools.count(5, 7)
        fake = self

        class Device:
            compute_capability = "86"

            def __init__(self, device=None):
                self.id = fake.current if device is None else device

            def __enter__(self):
                self.prev = fake.current
                runtime.setDevice(self.id)
                return self

            def __exit__(self, *exc):
                runtime.setDevice(self.prev)

            def synchronize(self):
                fake.calls.append(("device_synchronize", self.id))

        class Stream:
            def __init__(self, null=False, non_blocking=False, ptds=False, priority=None):
                self.ptr, self.priority, self.done = 0 if null else next(ptrs), priority, True
                self.device_id = fake.current

            def use(self):
                fake.streams[fake.current] = self
                return self

            def synchronize(self):
                fake.calls.append(("stream_synchronize", self.ptr))

            def wait_event(self, event):
                fake.calls.append(("wait_event", self.ptr, event.ptr))

        class Event:
            def __init__(self, block=False, disable_timing=False, interprocess=False):
                self.kwargs = {"block": block, "disable_timing": disable_timing}
                self.ptr, self.done, self.time = next(ptrs), True, None

            def record(self, stream=None):
                self.time = next(clock)
                fake.calls.append(("record", self.ptr, stream.ptr, fake.current))

            def synchronize(self):
                fake.calls.append(("event_synchronize", self.ptr))

        def set_device(index):
            if not 0 <= index < count:
                raise RuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
            fake.current = index

        runtime = SimpleNamespace(
            getDeviceCount=lambda: count,
            getDevice=lambda: fake.current,
            setDevice=set_device,
            getDeviceProperties=lambda i: {
                "name": f"Fake GPU {i}".encode(),
                "major": 8,
                "minor": 6,
                "totalGlobalMem": 24 * 2**30,
                "multiProcessorCount": 84,
                "warpSize": 32,
                "l2CacheSize": 6 * 2**20,
                "uuid": bytes(range(16)),
            },
            memGetInfo=lambda: (
                fake.calls.append(("memGetInfo", fake.current)),
                (2**30, 24 * 2**30),
            )[1],
            deviceCanAccessPeer=lambda a, b: 1,
        )
        Stream.null = Stream(null=True)
        self.streams: dict = {}
        pool = SimpleNamespace(
            used_bytes=lambda: fake.used,
            total_bytes=lambda: fake.total,
            free_all_blocks=lambda: setattr(fake, "total", fake.used),
            set_limit=lambda size=None, fraction=None: setattr(
                fake, "limit", fraction * 24 * 2**30
            ),
            get_limit=lambda: fake.limit,
        )
        self.cuda = SimpleNamespace(
            runtime=runtime,
            Device=Device,
            Stream=Stream,
            Event=Event,
            ExternalStream=lambda ptr: SimpleNamespace(ptr=ptr, done=True),
            get_current_stream=lambda: fake.streams.get(fake.current, Stream.null),
            get_elapsed_time=lambda start, end: float(end.time - start.time),
            nvtx=SimpleNamespace(
                RangePush=lambda msg: fake.calls.append(("push", msg)),
                RangePop=lambda: fake.calls.append(("pop",)),
                Mark=lambda msg: fake.calls.append(("mark", msg)),
            ),
            nvrtc=SimpleNamespace(getSupportedArchs=lambda: [80, 86, 90]),
        )
        self.get_default_memory_pool = lambda: pool
        self.random = SimpleNamespace(RandomState=lambda seed: SimpleNamespace(seed=seed))
        self.asarray = lambda a: (fake.calls.append(("asarray", fake.current)), a)[1]


@pytest.fixture
def fake_gpu(monkeypatch):
    """minitorch's CUDA backend on ``FakeCupy`` (a fresh backend and generators for the test)."""
    fake = FakeCupy()
    monkeypatch.setattr(cupy_backend, "cupy", fake)
    monkeypatch.delitem(backends._backends, "cuda", raising=False)
    monkeypatch.setattr(mt_random, "_generators", dict(mt_random._generators))
    monkeypatch.setattr("minitorch.cuda.devices._sync_debug_mode", [0])
    yield fake
    backends._backends.pop("cuda", None)


def test_set_device_and_device_context_select_the_gpu(fake_gpu):
    cuda = minitorch.cuda
    cuda.set_device(1)
    assert cuda.current_device() == 1
    with cuda.device(0):
        assert cuda.current_device() == 0
        with cuda.device(None), cuda.device(-1):  # no-ops
            assert cuda.current_device() == 0
    assert cuda.current_device() == 1
    with cuda.device("cuda:0"):
        assert cuda.current_device() == 0
    cuda.set_device(minitorch.device("cuda", 0))
    assert cuda.current_device() == 0


def test_tensors_for_bare_cuda_go_to_the_current_gpu(fake_gpu):
    minitorch.cuda.set_device(1)
    backends.get_backend("cuda").from_host(np.ones(2), None)
    backends.get_backend("cuda").from_host(np.ones(2), 0)
    assert [c for c in fake_gpu.calls if c[0] == "asarray"] == [("asarray", 1), ("asarray", 0)]


def test_synchronize_waits_for_all_streams_of_the_gpu(fake_gpu):
    minitorch.cuda.synchronize()
    assert fake_gpu.calls == [("device_synchronize", 0)]


def test_device_properties_and_capability(fake_gpu):
    props = minitorch.cuda.get_device_properties(1)
    assert (props.name, props.major, props.minor) == ("Fake GPU 1", 8, 6)
    assert (props.total_memory, props.multi_processor_count, props.warp_size) == (
        24 * 2**30,
        84,
        32,
    )
    assert props.uuid == "00010203-0405-0607-0809-0a0b0c0d0e0f"
    assert props.clock_rate == 0  # a field the driver did not give
    assert "name='Fake GPU 1'" in repr(props) and "total_memory=24576MB" in repr(props)
    assert minitorch.cuda.get_device_capability() == (8, 6)
    assert minitorch.cuda.get_device_properties("cuda:0").name == "Fake GPU 0"
    with pytest.raises(AssertionError, match="Invalid device id"):
        minitorch.cuda.get_device_properties(2)


def test_mem_get_info_asks_the_given_gpu(fake_gpu):
    assert minitorch.cuda.mem_get_info(1) == (2**30, 24 * 2**30)
    assert fake_gpu.calls == [("memGetInfo", 1)] and fake_gpu.current == 0


def test_init_peers_arch_list_ipc(fake_gpu):
    assert not minitorch.cuda.is_initialized()
    minitorch.cuda.init()
    assert minitorch.cuda.is_initialized()
    assert minitorch.cuda.can_device_access_peer(0, 1) is True
    with pytest.raises(AssertionError, match="Invalid peer device id"):
        minitorch.cuda.can_device_access_peer(0, 2)
    assert minitorch.cuda.get_arch_list() == ["sm_80", "sm_86", "sm_90"]
    assert minitorch.cuda.get_gencode_flags() == (
        "-gencode compute=compute_80,code=sm_80 -gencode compute=compute_86,code=sm_86 "
        "-gencode compute=compute_90,code=sm_90"
    )
    assert minitorch.cuda.ipc_collect() is None
    assert len(minitorch.cuda.default_generators) == 2
    assert minitorch.cuda.default_generators[1].device == minitorch.device("cuda", 1)


def test_streams_and_the_stream_context(fake_gpu):
    cuda = minitorch.cuda
    default = cuda.default_stream()
    assert cuda.current_stream() == default and default.cuda_stream == 0
    s = cuda.Stream()
    assert s.device == minitorch.device("cuda", 0) and s.cuda_stream != 0 and s != default
    with cuda.stream(s):
        assert cuda.current_stream() == s
    assert cuda.current_stream() == default
    with s:
        assert cuda.current_stream() == s
    assert cuda.current_stream() == default
    assert s.query() is True
    s.synchronize()
    high = cuda.Stream(device=1, priority=-1)
    assert high._stream.priority == -1 and high.device_index == 1 and high._stream.device_id == 1
    with cuda.stream(high):  # a stream of another GPU: current there, this GPU's unchanged
        assert cuda.current_stream(1) == high and cuda.current_stream() == default
    assert cuda.current_stream(1) == cuda.default_stream(1) and fake_gpu.current == 0
    assert ("stream_synchronize", s.cuda_stream) in fake_gpu.calls


def test_wait_stream_records_an_event_and_waits_on_it(fake_gpu):
    a, b = minitorch.cuda.Stream(), minitorch.cuda.Stream()
    a.wait_stream(b)
    (_, event_ptr, on_stream, _), wait = fake_gpu.calls
    assert on_stream == b.cuda_stream and wait == ("wait_event", a.cuda_stream, event_ptr)


def test_event_timing(fake_gpu):
    start = minitorch.cuda.Event(enable_timing=True)
    end = minitorch.cuda.Event(enable_timing=True, blocking=True)
    assert end._event.kwargs == {"block": True, "disable_timing": False}
    start.record()
    end.record(minitorch.cuda.current_stream())
    end.synchronize()
    assert start.elapsed_time(end) == 7.0 and start.query() is True
    plain = minitorch.cuda.Event()
    plain.record()
    assert plain._event.kwargs["disable_timing"] is True
    with pytest.raises(RuntimeError, match="Both events must be created with argument 'enable_timing=True'"):  # fmt: skip
        plain.elapsed_time(end)
    s = minitorch.cuda.Stream()
    plain.wait(s)
    assert fake_gpu.calls[-1] == ("wait_event", s.cuda_stream, plain.cuda_event)
    assert isinstance(s.record_event(), minitorch.cuda.Event)


def test_memory_stats_from_cupys_pool(fake_gpu):
    cuda = minitorch.cuda
    assert cuda.memory_stats() == OrderedDict()  # before CUDA is initialised, as in PyTorch
    cuda.init()
    stats = cuda.memory_stats()
    assert list(stats) == sorted(stats)
    assert stats["allocated_bytes.all.current"] == 3 * 2**20
    assert stats["reserved_bytes.all.current"] == 10 * 2**20
    assert stats["inactive_split_bytes.all.current"] == 7 * 2**20
    assert cuda.memory_stats_as_nested_dict()["reserved_bytes"]["all"]["peak"] == 10 * 2**20
    cuda.empty_cache()  # the pool shrinks to its used bytes; the peak stays
    assert cuda.memory_reserved() == 3 * 2**20 and cuda.max_memory_reserved() == 10 * 2**20
    with pytest.warns(FutureWarning, match="resets /all/ peak memory stats"):
        cuda.reset_max_memory_allocated()
    assert cuda.max_memory_reserved() == 3 * 2**20
    summary = cuda.memory_summary()
    assert "PyTorch CUDA memory summary, device ID 0" in summary
    assert "| Allocated memory      |   3072 KiB |   3072 KiB |" in summary


def test_per_process_memory_fraction(fake_gpu):
    cuda = minitorch.cuda
    assert cuda.get_per_process_memory_fraction() == 1.0
    cuda.set_per_process_memory_fraction(0.5)
    assert cuda.get_per_process_memory_fraction() == 0.5
    with pytest.raises(TypeError, match="Invalid type for fraction argument, must be `float`"):
        cuda.set_per_process_memory_fraction(1)
    with pytest.raises(ValueError, match=r"Invalid fraction value: 1.5. Allowed range: 0~1"):
        cuda.set_per_process_memory_fraction(1.5)


def test_nvtx_ranges_through_cupy(fake_gpu):
    nvtx = minitorch.cuda.nvtx
    assert nvtx.range_push("outer") == 0 and nvtx.range_push("inner") == 1
    assert nvtx.range_pop() == 1 and nvtx.range_pop() == 0
    with nvtx.range("step {}", 3):
        nvtx.mark("here")
    assert fake_gpu.calls == [
        ("push", "outer"), ("push", "inner"), ("pop",), ("pop",),
        ("push", "step 3"), ("mark", "here"), ("pop",),
    ]  # fmt: skip


def test_graphs_are_refused_on_a_gpu(fake_gpu):
    assert minitorch.cuda.is_current_stream_capturing() is False
    for make in (minitorch.cuda.CUDAGraph, lambda: minitorch.cuda.graph(None)):
        with pytest.raises(NotImplementedError, match="does not capture CUDA graphs"):
            make()


def test_sync_debug_mode_is_stored(fake_gpu):
    assert minitorch.cuda.get_sync_debug_mode() == 0
    with pytest.warns(UserWarning, match="stored and has no effect"):
        minitorch.cuda.set_sync_debug_mode("warn")
    assert minitorch.cuda.get_sync_debug_mode() == 1
    with pytest.raises(RuntimeError, match="invalid value of debug_mode"):
        minitorch.cuda.set_sync_debug_mode("loud")


def test_legacy_cuda_types_on_a_gpu(monkeypatch):
    from fake_cupy import installed  # noqa: PLC0415

    monkeypatch.setattr(cupy_backend, "available", lambda: True)
    with installed():
        t = minitorch.cuda.FloatTensor([1, 2])
        assert t.is_cuda and t.dtype == minitorch.float32
        assert isinstance(t, minitorch.cuda.FloatTensor)
        assert not isinstance(t, minitorch.FloatTensor)
        assert not isinstance(t, minitorch.cuda.LongTensor)
        assert minitorch.cuda.LongTensor(2, 3).shape == (2, 3)
    assert not isinstance(minitorch.zeros(1), minitorch.cuda.FloatTensor)


# ---- the real thing, on a GPU -----------------------------------------------------------------
@pytest.mark.cuda
def test_real_event_times_work_on_a_side_stream():
    cuda = minitorch.cuda
    x = minitorch.randn(512, 512, device="cuda")
    start, end = cuda.Event(enable_timing=True), cuda.Event(enable_timing=True)
    side = cuda.Stream()
    side.wait_stream(cuda.current_stream())
    with cuda.stream(side):
        start.record()
        y = x @ x
        end.record()
    cuda.current_stream().wait_stream(side)
    cuda.synchronize()
    assert start.elapsed_time(end) >= 0.0 and end.query()
    np.testing.assert_allclose(y.cpu().numpy(), x.cpu().numpy() @ x.cpu().numpy(), rtol=1e-3, atol=1e-3)  # fmt: skip


@pytest.mark.cuda
def test_real_device_queries():
    cuda = minitorch.cuda
    props = cuda.get_device_properties(0)
    assert props.name == cuda.get_device_name(0) and props.total_memory > 0
    free, total = cuda.mem_get_info()
    assert 0 < free <= total == props.total_memory
    assert cuda.get_device_capability() == (props.major, props.minor)
    assert cuda.get_arch_list() and cuda.memory_stats_as_nested_dict() is not None
    with cuda.device(0):
        assert minitorch.ones(1, device="cuda").device == minitorch.device("cuda", 0)
