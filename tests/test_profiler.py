"""autograd.profiler: events for every op forward and backward node, record_function ranges,
the key_averages table (names, call counts, memory), Chrome trace JSON, and
examples/profile_model.py in its quick mode."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

import minitorch
from minitorch.autograd import observers
from minitorch.autograd.profiler import profile, record_function


def _step(x, w):
    y = (x @ w).tanh().sum()
    y.backward()
    return y


def _row(table: str, name: str) -> list:
    """The cells of the table row whose name is ``name``."""
    for line in table.splitlines():
        cells = line.split()
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no row {name!r} in\n{table}")


def test_every_forward_op_and_backward_node_is_counted():
    x = minitorch.randn(8, 4, requires_grad=True)
    w = minitorch.randn(4, 3, requires_grad=True)
    with profile() as prof:
        for _ in range(3):
            _step(x, w)
    counts = {e.key: e.count for e in prof.key_averages()}
    assert counts["aten::mm"] == counts["aten::matmul"] == 3 + 6  # two per MmBackward0
    assert counts["aten::tanh"] == 3
    assert counts["aten::sum"] == 3
    assert counts["MmBackward0"] == 3
    assert counts["TanhBackward0"] == 3
    assert counts["SumBackward0"] == 3
    table = prof.key_averages().table(sort_by="count")
    assert _row(table, "aten::mm")[-1] == "9"
    assert _row(table, "TanhBackward0")[-1] == "3"
    assert "Self CPU time total:" in table
    header = next(line for line in table.splitlines() if "Name" in line)
    for column in ("Self CPU %", "Self CPU", "CPU total", "CPU time avg", "# of Calls"):
        assert column in header
    assert "CPU Mem" not in header  # only with profile_memory


def test_self_time_excludes_children_and_totals_add_up():
    x = minitorch.randn(8, 4, requires_grad=True)
    w = minitorch.randn(4, 3, requires_grad=True)
    with profile() as prof:
        _step(x, w)
    events = prof.function_events
    back = next(e for e in events if e.name == "MmBackward0")
    inner = [
        e
        for e in events
        if e.start_us >= back.start_us and e.end_us <= back.end_us and e is not back
    ]
    assert [e.name for e in inner].count("aten::mm") == 2
    assert back.self_cpu_time_total == pytest.approx(
        back.cpu_time_total - sum(e.cpu_time_total for e in inner if e.cpu_parent is back)
    )
    assert back.cpu_parent.name == "autograd::engine::evaluate_function: MmBackward0"
    assert prof.key_averages().self_cpu_time_total == pytest.approx(events.self_cpu_time_total)


def test_sort_by_and_row_limit():
    x = minitorch.randn(8, 4, requires_grad=True)
    w = minitorch.randn(4, 3, requires_grad=True)
    with profile() as prof:
        _step(x, w)
    avgs = prof.key_averages()
    table = avgs.table(sort_by="self_cpu_time_total", row_limit=3)
    names = [line.split()[0] for line in table.splitlines()[3:6]]
    want = sorted(avgs, key=lambda e: e.self_cpu_time_total, reverse=True)[:3]
    assert names == [e.key for e in want]
    assert table.count("\n") == 3 + 3 + 2  # rule, header, rule, 3 rows, rule, total
    with pytest.raises(AttributeError, match="has no attribute 'bogus'"):
        avgs.table(sort_by="bogus")


def test_record_function_ranges_context_and_decorator():
    x = minitorch.randn(4, requires_grad=True)

    @record_function("my_loss")
    def loss(t):
        return (t * t).sum()

    with profile() as prof:
        with record_function("block"):
            y = loss(x).exp()
        y.backward()
    events = prof.function_events
    block = next(e for e in events if e.name == "block")
    my_loss = next(e for e in events if e.name == "my_loss")
    mul = next(e for e in events if e.name == "aten::mul")
    exp_back = next(e for e in events if e.name == "ExpBackward0")
    assert block.kind == my_loss.kind == "user_annotation"
    assert block.start_us <= my_loss.start_us <= mul.start_us
    assert mul.end_us <= my_loss.end_us <= block.end_us
    assert exp_back.start_us >= block.end_us  # backward ran after the block
    assert block.cpu_time_total >= my_loss.cpu_time_total
    # outside a profile, record_function does nothing
    with record_function("unseen"):
        loss(x)


def test_profile_memory_counts_new_arrays_only():
    x = minitorch.randn(64, 32)
    w = minitorch.randn(32, 16)
    with profile(profile_memory=True) as prof:
        with record_function("outer"):
            y = x @ w  # a new 64x16 float32 array: 4096 bytes
            y.reshape(16, 64)  # a view: nothing allocated
    avgs = {e.key: e for e in prof.key_averages()}
    assert avgs["aten::mm"].self_cpu_memory_usage == 64 * 16 * 4
    assert avgs["aten::matmul"].self_cpu_memory_usage == 0  # the array is aten::mm's
    assert avgs["aten::matmul"].cpu_memory_usage == 64 * 16 * 4
    assert avgs["aten::view"].self_cpu_memory_usage == 0
    assert avgs["outer"].cpu_memory_usage == 64 * 16 * 4
    assert avgs["outer"].self_cpu_memory_usage == 0
    table = prof.key_averages().table()
    assert _row(table, "aten::mm")[-5:-1] == ["4.00", "KB", "4.00", "KB"]


def test_record_shapes_group_by_input_shape():
    a, b = minitorch.randn(4, 3), minitorch.randn(3, 2)
    with profile(record_shapes=True) as prof:
        a @ b
        a @ b
        b.t() @ a.t()
    rows = [e for e in prof.key_averages(group_by_input_shape=True) if e.key == "aten::mm"]
    assert sorted((str(r.input_shapes), r.count) for r in rows) == [
        ("[[2, 3], [3, 4]]", 1),
        ("[[4, 3], [3, 2]]", 2),
    ]
    assert "Input Shapes" in prof.key_averages(group_by_input_shape=True).table()
    with profile() as plain:  # without record_shapes, PyTorch groups all under []
        a @ b
    assert [e.input_shapes for e in plain.key_averages(group_by_input_shape=True)] == [[], []]


def test_chrome_trace_is_valid_json(tmp_path):
    x = minitorch.randn(8, 4, requires_grad=True)
    w = minitorch.randn(4, 3, requires_grad=True)
    with profile(record_shapes=True) as prof:
        with record_function("step"):
            _step(x, w)
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    data = json.loads(path.read_text())
    events = [e for e in data["traceEvents"] if e["ph"] == "X"]
    assert len(events) == len(prof.function_events)
    for e in events:
        assert {"name", "ph", "ts", "dur", "pid", "tid", "cat"} <= e.keys()
        assert isinstance(e["ts"], (int, float)) and e["dur"] >= 0
    step = next(e for e in events if e["name"] == "step")
    assert step["cat"] == "user_annotation"
    mm = next(e for e in events if e["name"] == "aten::mm")
    assert mm["cat"] == "cpu_op" and mm["args"]["Input Dims"] == [[8, 4], [4, 3]]
    assert step["ts"] <= mm["ts"] and mm["ts"] + mm["dur"] <= step["ts"] + step["dur"] + 1e-3
    assert any(e["cat"] == "cpu_op" and e["name"] == "TanhBackward0" for e in events)


def test_print_prof_lists_events(capsys):
    x = minitorch.randn(3, requires_grad=True)
    with profile() as prof:
        (x * 2).sum().backward()
    print(prof)
    out = capsys.readouterr().out
    for name in ("aten::mul", "aten::sum", "SumBackward0", "MulBackward0"):
        assert _row(out, name)[-1] == "1"


def test_state_is_restored_and_results_need_exit():
    x = minitorch.randn(3)
    assert not observers.active
    prof = profile()
    with pytest.raises(ValueError, match="boom"):
        with prof:
            with record_function("open"):
                x * 2
                assert observers.active
                with pytest.raises(RuntimeError, match="Profiler didn't finish"):
                    prof.key_averages()
                raise ValueError("boom")
    assert not observers.active and observers.profiler is None
    assert next(e for e in prof.function_events if e.name == "open").end_us > 0
    off = profile(enabled=False)
    with off:
        x * 2
        assert not observers.active
    assert len(off.function_events) == 0


def test_profile_model_example_quick(tmp_path):
    path = pathlib.Path(__file__).parent.parent / "examples" / "profile_model.py"
    spec = importlib.util.spec_from_file_location("profile_model_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    trace = tmp_path / "t.json"
    prof = module.main(quick=True, trace=str(trace))
    counts = {e.key: e.count for e in prof.key_averages()}
    assert counts["forward"] == counts["backward"] == counts["optimizer_step"] == 3
    assert counts["MmBackward0"] == 6  # two layers, three steps
    assert json.loads(trace.read_text())["traceEvents"]


def test_ops_in_other_threads_are_recorded_on_their_own_stack():
    import threading

    x = minitorch.randn(3)
    with profile() as prof:
        with record_function("main"):
            worker = threading.Thread(target=lambda: x * 2)
            worker.start()
            worker.join()
            x + 1
    events = {e.name: e for e in prof.function_events}
    mul, add, main = events["aten::mul"], events["aten::add"], events["main"]
    assert mul.thread != main.thread == add.thread
    assert main.self_cpu_time_total < main.cpu_time_total  # Add is a child
    assert main.cpu_children == [add] and mul.cpu_parent is None


def test_torch_profiler_alias():
    x = minitorch.randn(3, requires_grad=True)
    ready = []
    prof = minitorch.profiler.profile(
        activities=[minitorch.profiler.ProfilerActivity.CPU],
        record_shapes=True,
        on_trace_ready=ready.append,
    )
    with prof:
        with minitorch.profiler.record_function("blk"):
            (x * 2).sum().backward()
        prof.step()
    assert ready == [prof]
    counts = {e.key: e.count for e in prof.key_averages()}
    assert counts["blk"] == 1 and counts["MulBackward0"] == 1
