"""Session 8 compatibility sweep of the profiler (``torch.profiler`` and
``torch.autograd.profiler``): timings differ between frameworks, so the programs compare
structure with PyTorch 2.13: event names (``aten::...``, backward nodes), counts, keys,
nesting, table columns, the objects and attributes the API returns, schedules and their
handlers, and errors (tests/sweep_harness.py)."""

from __future__ import annotations

import json
import os
import tempfile

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _profile(torch, **kwargs):
    from_profiler = torch.profiler
    return from_profiler.profile(activities=[from_profiler.ProfilerActivity.CPU], **kwargs)


def _counts(prof, names):
    """{name: calls} of the keys among ``names`` (in that order), from key_averages."""
    found = {e.key: e.count for e in prof.key_averages()}
    return {n: found.get(n, 0) for n in names}


def _model(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))


def _header(table: str) -> list:
    """The column titles of a profiler table."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    return [t.strip() for t in lines[rule + 1].split("  ") if t.strip()]


# ---- forward op names ---------------------------------------------------------------------------
@program
def linear_is_linear_and_addmm(torch):
    model = _model(torch)
    x = torch.randn(2, 8)
    with _profile(torch) as prof:
        model(x)
    return _counts(prof, ["aten::linear", "aten::addmm", "aten::relu"])


@program
def filter_mm_by_key(torch):
    a, b = torch.randn(3, 4), torch.randn(4, 5)
    with _profile(torch) as prof:
        for _ in range(3):
            torch.mm(a, b)
    rows = [e for e in prof.key_averages() if e.key == "aten::mm"]
    return len(rows), rows[0].count, rows[0].key


@program
def matmul_2d_is_matmul_and_mm(torch):
    a, b = torch.randn(3, 4), torch.randn(4, 5)
    with _profile(torch) as prof:
        a @ b
    return _counts(prof, ["aten::matmul", "aten::mm"])


@program
def bmm_is_bmm(torch):
    a, b = torch.randn(2, 3, 4), torch.randn(2, 4, 5)
    with _profile(torch) as prof:
        torch.bmm(a, b)
    return _counts(prof, ["aten::bmm"])


@program
def elementwise_names(torch):
    x, y = torch.randn(4, 4), torch.randn(4, 4)
    with _profile(torch) as prof:
        x + y
        x * y
        x - y
        x / y
        x.exp()
        x.sigmoid()
        x.tanh()
        torch.sqrt(y)
    names = ["aten::add", "aten::mul", "aten::sub", "aten::div", "aten::exp", "aten::sigmoid",
             "aten::tanh", "aten::sqrt"]  # fmt: skip
    return _counts(prof, names)


@program
def reductions_names(torch):
    x = torch.randn(4, 5)
    with _profile(torch) as prof:
        x.sum()
        x.mean()
        x.sum(1, keepdim=True)
    return _counts(prof, ["aten::sum", "aten::mean"])


@program
def softmax_and_log_softmax(torch):
    x = torch.randn(4, 5)
    with _profile(torch) as prof:
        torch.softmax(x, dim=1)
        torch.log_softmax(x, dim=1)
    return _counts(prof, ["aten::softmax", "aten::_softmax", "aten::log_softmax",
                          "aten::_log_softmax"])  # fmt: skip


@program
def conv2d_names(torch):
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 4, 3)
    x = torch.randn(1, 3, 8, 8)
    with _profile(torch) as prof:
        conv(x)
    return _counts(prof, ["aten::conv2d", "aten::convolution"])


@program
def maxpool_names(torch):
    x = torch.randn(1, 2, 8, 8)
    with _profile(torch) as prof:
        torch.nn.functional.max_pool2d(x, 2)
    return _counts(prof, ["aten::max_pool2d"])


@program
def cat_and_view_names(torch):
    x = torch.randn(4, 5)
    with _profile(torch) as prof:
        torch.cat([x, x])
        x.view(20)
    return _counts(prof, ["aten::cat", "aten::view"])


@program
def cast_is_to(torch):
    x = torch.randn(3)
    with _profile(torch) as prof:
        x.to(torch.float64)
    return _counts(prof, ["aten::to", "aten::_to_copy"])


@program
def relu_module_and_function(torch):
    x = torch.randn(3, 3)
    with _profile(torch) as prof:
        torch.nn.ReLU()(x)
        torch.relu(x)
        x.relu()
    return _counts(prof, ["aten::relu"])


@program
def cross_entropy_names(torch):
    x = torch.randn(4, 3)
    y = torch.tensor([0, 1, 2, 1])
    with _profile(torch) as prof:
        torch.nn.functional.cross_entropy(x, y)
    return _counts(prof, ["aten::cross_entropy_loss", "aten::nll_loss"])


@program
def parent_of_addmm_is_linear(torch):
    model = torch.nn.Linear(3, 2)
    x = torch.randn(5, 3)
    with _profile(torch) as prof:
        model(x)
    addmm = next(e for e in prof.events() if e.name == "aten::addmm")
    return addmm.cpu_parent.name, addmm.cpu_parent.cpu_parent is None


@program
def no_op_names_outside_aten(torch):
    x = torch.randn(3, 3, requires_grad=True)
    with _profile(torch) as prof:
        (x * 2).sum()
    names = {e.name for e in prof.events()}
    return sorted(n for n in names if n in {"aten::mul", "aten::sum"})


# ---- backward -----------------------------------------------------------------------------------
@program
def backward_node_events(torch):
    x = torch.randn(3, 3, requires_grad=True)
    with _profile(torch) as prof:
        (x * 2).sum().backward()
    names = [e.name for e in prof.events()]
    wanted = ["autograd::engine::evaluate_function: SumBackward0", "SumBackward0",
              "autograd::engine::evaluate_function: MulBackward0", "MulBackward0"]  # fmt: skip
    return [n for n in names if n in wanted], x.grad


@program
def backward_node_parent_is_evaluate_function(torch):
    x = torch.randn(3, requires_grad=True)
    with _profile(torch) as prof:
        x.exp().sum().backward()
    node = next(e for e in prof.events() if e.name == "ExpBackward0")
    return node.cpu_parent.name


@program
def training_step_counts(torch):
    model = _model(torch)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(4, 8), torch.randn(4, 4)
    with _profile(torch) as prof:
        for _ in range(2):
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
    keys = ["aten::linear", "aten::addmm", "aten::relu", "aten::mse_loss",
            "autograd::engine::evaluate_function: AddmmBackward0", "AddmmBackward0",
            "ReluBackward0", "MseLossBackward0"]  # fmt: skip
    return _counts(prof, keys)


# ---- record_function ----------------------------------------------------------------------------
@program
def record_function_nested(torch):
    x = torch.randn(4, 4)
    with _profile(torch) as prof:
        with torch.profiler.record_function("outer"):
            x + 1
            with torch.profiler.record_function("inner"):
                x * 2
    events = {e.name: e for e in prof.events()}
    inner = events["inner"]
    return (inner.cpu_parent.name, [c.name for c in inner.cpu_children],
            events["outer"].cpu_parent is None)  # fmt: skip


@program
def record_function_decorator(torch):
    @torch.profiler.record_function("my_fn")
    def f(x):
        return x.relu()

    x = torch.randn(3)
    with _profile(torch) as prof:
        f(x)
        f(x)
    return _counts(prof, ["my_fn", "aten::relu"]), f(x)


@program
def record_function_autograd_alias(torch):
    x = torch.randn(3)
    with torch.autograd.profiler.profile() as prof:
        with torch.autograd.profiler.record_function("label"):
            x.exp()
    label = next(e for e in prof.function_events if e.name == "label")
    return [c.name for c in label.cpu_children], label.count


@program
def record_function_without_profiler(torch):
    with torch.profiler.record_function("nothing"):
        y = torch.ones(2) * 3
    return y


@program
def record_function_is_user_annotation(torch):
    with _profile(torch) as prof:
        with torch.profiler.record_function("region"):
            torch.ones(2) + 1
    kinds = {e.name: e.is_user_annotation for e in prof.events()}
    return kinds["region"], kinds["aten::add"]


# ---- FunctionEvent / FunctionEventAvg ---------------------------------------------------------------
@program
def function_event_attributes(torch):
    a = torch.randn(3, 4)
    with _profile(torch, record_shapes=True) as prof:
        torch.mm(a, a.t())
    e = next(e for e in prof.events() if e.name == "aten::mm")
    return (type(e).__name__, e.key, e.count, e.input_shapes, e.cpu_time_total >= 0,
            e.self_cpu_time_total <= e.cpu_time_total, e.node_id, e.is_async,
            str(e.device_type), e.thread == e.fwd_thread, isinstance(e.id, int),
            e.device_time_total, e.flops, e.overload_name, e.trace_name, e.is_remote)  # fmt: skip


@program
def events_list_type(torch):
    with _profile(torch) as prof:
        torch.ones(2) + 1
    ev = prof.events()
    ka = prof.key_averages()
    return type(ev).__name__, type(ka).__name__, type(ka[0]).__name__, isinstance(ev, list)


@program
def key_averages_avg_attributes(torch):
    x = torch.randn(3, 3)
    with _profile(torch, record_shapes=True) as prof:
        x + x
        x + x
    row = next(e for e in prof.key_averages() if e.key == "aten::add")
    return (row.count, row.input_shapes, row.node_id, row.is_async, row.stack,
            abs(row.cpu_time - row.cpu_time_total / 2) < 1e-6, row.self_cpu_memory_usage,
            row.device_time_total, row.is_user_annotation)  # fmt: skip


@program
def cpu_time_total_adds_children(torch):
    with _profile(torch) as prof:
        with torch.profiler.record_function("block"):
            torch.ones(5).exp()
    block = next(e for e in prof.events() if e.name == "block")
    total = block.self_cpu_time_total + sum(c.cpu_time_total for c in block.cpu_children)
    return abs(total - block.cpu_time_total) < 1e-3


@program
def time_range_elapsed(torch):
    with _profile(torch) as prof:
        torch.ones(3).exp()
    e = next(e for e in prof.events() if e.name == "aten::exp")
    r = e.time_range
    return abs(r.elapsed_us() - e.cpu_time_total) < 1e-6, r.end >= r.start


@program
def total_average_sums(torch):
    with _profile(torch) as prof:
        with torch.profiler.record_function("a"):
            pass
        with torch.profiler.record_function("a"):
            pass
    ka = prof.key_averages()
    total = ka.total_average()
    return type(total).__name__, total.key, total.count, len([e for e in ka if e.key == "a"])


@program
def self_cpu_time_total_property(torch):
    with _profile(torch) as prof:
        torch.ones(3) * 2
    ev = prof.events()
    return abs(ev.self_cpu_time_total - sum(e.self_cpu_time_total for e in ev)) < 1e-6


@program
def group_by_input_shape(torch):
    with _profile(torch, record_shapes=True) as prof:
        torch.ones(2, 3).exp()
        torch.ones(2, 3).exp()
        torch.ones(4).exp()
    rows = [(e.count, e.input_shapes) for e in prof.key_averages(group_by_input_shape=True)
            if e.key == "aten::exp"]  # fmt: skip
    plain = [e.input_shapes for e in prof.key_averages() if e.key == "aten::exp"]
    return rows, plain


@program
def group_by_input_shape_without_record_shapes(torch):
    with _profile(torch) as prof:
        torch.ones(2, 3).exp()
        torch.ones(4).exp()
    return [(e.count, e.input_shapes) for e in prof.key_averages(group_by_input_shape=True)
            if e.key == "aten::exp"]  # fmt: skip


@program
def group_by_stack_n(torch):
    def f(x):
        return x.exp()

    def g(x):
        return x.exp()

    with _profile(torch, with_stack=True) as prof:
        f(torch.ones(2))
        g(torch.ones(2))
        f(torch.ones(2))
    by_stack = sorted(e.count for e in prof.key_averages(group_by_stack_n=1)
                      if e.key == "aten::exp")  # fmt: skip
    plain = [e.count for e in prof.key_averages() if e.key == "aten::exp"]
    return by_stack, plain


@program
def with_stack_accepted(torch):
    with _profile(torch, with_stack=True, record_shapes=True) as prof:
        torch.ones(2).exp()
    e = next(e for e in prof.events() if e.name == "aten::exp")
    return e.stack, e.input_shapes


@program
def stack_empty_without_with_stack(torch):
    with _profile(torch) as prof:
        torch.ones(2).exp()
    e = next(e for e in prof.events() if e.name == "aten::exp")
    return e.stack


# ---- tables -------------------------------------------------------------------------------------------
@program
def table_columns(torch):
    with _profile(torch) as prof:
        torch.ones(3) + 1
    return _header(prof.key_averages().table())


@program
def table_columns_with_memory(torch):
    with _profile(torch, profile_memory=True) as prof:
        torch.ones(3) + 1
    return _header(prof.key_averages().table(sort_by="self_cpu_memory_usage"))


@program
def table_columns_grouped_by_shape(torch):
    with _profile(torch, record_shapes=True) as prof:
        torch.ones(3) + 1
    return (_header(prof.key_averages(group_by_input_shape=True).table()),
            _header(prof.key_averages().table()))  # fmt: skip


@program
def table_header_and_top_level(torch):
    with _profile(torch) as prof:
        with torch.profiler.record_function("top"):
            torch.ones(3) + 1
    lines = prof.key_averages().table(header="MY HEADER", top_level_events_only=True).splitlines()
    return lines[1], lines[3], set(lines[0]) == {"="}, "top" in lines[6], len(lines)


@program
def table_row_limit(torch):
    with _profile(torch) as prof:
        torch.ones(3) + 1
        torch.ones(3) * 2
        torch.ones(3).exp()
    table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=2)
    return len(table.splitlines()), table.splitlines()[-1].startswith("Self CPU time total:")


@program
def table_sort_keys_accepted(torch):
    with _profile(torch) as prof:
        torch.ones(3) + 1
    ka = prof.key_averages()
    keys = ["cpu_time", "cpu_time_total", "self_cpu_time_total", "cpu_memory_usage",
            "self_cpu_memory_usage", "count", "cuda_time_total", "self_cuda_time_total",
            "device_time_total", "self_device_time_total"]  # fmt: skip
    return [ka.table(sort_by=k).splitlines()[-1].startswith("Self CPU time total") for k in keys]


@error(AttributeError, r"'FunctionEventAvg' object has no attribute 'bogus'")
def table_bad_sort_key(torch):
    with _profile(torch) as prof:
        torch.ones(3) + 1
    prof.key_averages().table(sort_by="bogus")


@program
def table_of_events_has_shapes_column(torch):
    with _profile(torch, record_shapes=True) as prof:
        torch.ones(3) + 1
    return _header(prof.events().table())


@program
def empty_profile(torch):
    with _profile(torch) as prof:
        pass
    return len(prof.events()), len(prof.key_averages()), prof.key_averages().table()


@program
def table_time_unit(torch):
    with _profile(torch) as prof:
        torch.ones(3) + 1
    rows = prof.key_averages().table(time_unit="ms").splitlines()
    return rows[-1].endswith("ms"), rows[3].split()[2].endswith("ms")


@program
def autograd_profile_table_sort(torch):
    x = torch.randn(4, 4)
    with torch.autograd.profiler.profile(use_cpu=True, record_shapes=True) as prof:
        x.mm(x)
    return _header(prof.table(sort_by="self_cpu_time_total", row_limit=3))


# ---- chrome trace ---------------------------------------------------------------------------------------
@program
def chrome_trace_json(torch):
    x = torch.randn(4, 4)
    with _profile(torch) as prof:
        with torch.profiler.record_function("step"):
            x.mm(x)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "trace.json")
        prof.export_chrome_trace(path)
        with open(path) as f:
            trace = json.load(f)
    names = {e["name"] for e in trace["traceEvents"] if e.get("ph") == "X"}
    return "traceEvents" in trace, "aten::mm" in names, "step" in names


@program
def chrome_trace_event_fields(torch):
    with _profile(torch) as prof:
        torch.ones(3).exp()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "trace.json")
        prof.export_chrome_trace(path)
        with open(path) as f:
            trace = json.load(f)
    e = next(e for e in trace["traceEvents"] if e.get("name") == "aten::exp")
    return e["ph"], sorted(k for k in ("ts", "dur", "pid", "tid", "name", "cat") if k in e)


# ---- schedules ------------------------------------------------------------------------------------------
def _scheduled(torch, sched, steps):
    calls = []
    with _profile(torch, schedule=sched, on_trace_ready=lambda p: calls.append(
            sorted(e.name for e in p.events() if e.name.startswith("ProfilerStep#")))) as prof:  # fmt: skip
        for _ in range(steps):
            torch.ones(2) + 1
            prof.step()
    return calls, prof.step_num


@program
def schedule_wait_warmup_active(torch):
    return _scheduled(torch, torch.profiler.schedule(wait=1, warmup=1, active=2), 8)


@program
def schedule_repeat(torch):
    return _scheduled(torch, torch.profiler.schedule(wait=1, warmup=1, active=1, repeat=2), 10)


@program
def schedule_skip_first(torch):
    return _scheduled(torch, torch.profiler.schedule(skip_first=2, wait=0, warmup=1, active=2,
                                                     repeat=1), 8)  # fmt: skip


@program
def schedule_ends_inside_active(torch):
    return _scheduled(torch, torch.profiler.schedule(wait=0, warmup=1, active=3), 3)


@program
def schedule_actions(torch):
    s = torch.profiler.schedule(wait=1, warmup=1, active=2, repeat=1, skip_first=1)
    return [str(s(i)) for i in range(7)]


@program
def schedule_step_key_average(torch):
    with _profile(torch, schedule=torch.profiler.schedule(wait=0, warmup=0, active=3)) as prof:
        for _ in range(3):
            torch.ones(2) + 1
            prof.step()
    return _counts(prof, ["ProfilerStep*", "aten::add"])


@program
def no_schedule_on_trace_ready_once(torch):
    calls = []
    with _profile(torch, on_trace_ready=lambda p: calls.append(len(p.events()) > 0)) as prof:
        torch.ones(2) + 1
        prof.step()
        torch.ones(2) + 1
    return calls


@program
def start_stop_without_with(torch):
    prof = _profile(torch)
    prof.start()
    torch.ones(2).exp()
    prof.stop()
    return _counts(prof, ["aten::exp"])


@program
def tensorboard_handler_file_names(torch):
    with tempfile.TemporaryDirectory() as d:
        handler = torch.profiler.tensorboard_trace_handler(d, worker_name="worker0")
        with _profile(torch, schedule=torch.profiler.schedule(wait=0, warmup=1, active=1),
                      on_trace_ready=handler) as prof:  # fmt: skip
            for _ in range(4):
                torch.ones(2) + 1
                prof.step()
        files = sorted(os.listdir(d))
    return len(files), [f.split(".")[0] for f in files], [f.endswith(".pt.trace.json") for f in files]  # fmt: skip


@program
def profile_disabled(torch):
    with torch.autograd.profiler.profile(enabled=False) as prof:
        y = torch.ones(2) + 1
    return prof, y


@error(AssertionError, r"not compiled with CUDA enabled")
def emit_nvtx_needs_cuda(torch):
    with torch.autograd.profiler.emit_nvtx():
        torch.ones(2) + 1


@program
def emit_nvtx_disabled(torch):
    with torch.autograd.profiler.emit_nvtx(enabled=False):
        y = torch.ones(2) + 1
    return y


@program
def step_without_schedule(torch):
    with _profile(torch) as prof:
        for _ in range(3):
            torch.ones(2) + 1
            prof.step()
    return prof.step_num, _counts(prof, ["ProfilerStep*", "aten::add"])


@program
def profiler_action_names(torch):
    return [a.name for a in torch.profiler.ProfilerAction]


@program
def profiler_activity_members(torch):
    return str(torch.profiler.ProfilerActivity.CPU), torch.profiler.ProfilerActivity.CPU.name


@program
def nested_profiles_inner_wins(torch):
    with torch.autograd.profiler.profile() as outer:
        with torch.autograd.profiler.profile() as inner:
            torch.ones(2).exp()
    return len(outer.function_events), _counts(inner, ["aten::exp"])
