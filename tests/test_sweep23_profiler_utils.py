"""Session 13 sweep (helper P1) after PyTorch's test_profiler.py, test_utils.py,
test_namedtuple_return_api.py and test_type_info.py: named results (``return_types``: field
names, the sequence constructor, ``*_out`` types), ``finfo``/``iinfo`` (fields, equality, the
Python types they read, errors), the profiler's context-manager rules, checkpoint and hooks,
compared with PyTorch 2.13 (tests/sweep_harness.py)."""

from __future__ import annotations

import os
import pickle
import tempfile
import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()

_STRUCTSEQ = {"count", "index", "n_fields", "n_sequence_fields", "n_unnamed_fields"}


def _fields(result) -> tuple:
    """The class name and the named fields of a named result (in name order)."""
    names = [n for n in dir(type(result)) if not n.startswith("_") and n not in _STRUCTSEQ]
    return type(result).__name__, len(result), sorted(names)


# ---- return_types: which ops return named results, and their fields ----------------------------
@program
def named_results_of_reductions_and_sorts(torch):
    x = torch.randn(4, 5, dtype=torch.float64)
    return [
        _fields(r)
        for r in (
            torch.max(x, 0), torch.min(x, dim=1, keepdim=True), x.max(1), torch.median(x, 0),
            torch.nanmedian(x, 1), torch.mode(x, 0), torch.kthvalue(x, 2, 1), torch.sort(x),
            x.sort(descending=True), torch.topk(x, 2), torch.cummax(x, 0), torch.cummin(x, 1),
            torch.aminmax(x), torch.aminmax(x, dim=0), torch.frexp(x),
            torch.histogram(x.float(), bins=3),
        )
    ]  # fmt: skip


@program
def named_results_of_linalg(torch):
    x = torch.randn(4, 4, dtype=torch.float64)
    spd = x @ x.T + 4 * torch.eye(4, dtype=torch.float64)
    return [
        _fields(r)
        for r in (
            torch.svd(x), torch.slogdet(x), torch.geqrf(x), torch.linalg.slogdet(x),
            torch.linalg.qr(x), torch.linalg.svd(x), torch.linalg.eigh(spd),
            torch.linalg.inv_ex(x), torch.linalg.cholesky_ex(spd), torch.linalg.lu_factor(x),
            torch.linalg.lu_factor_ex(x), torch.linalg.lu(x), torch.linalg.lstsq(x, x),
            torch.linalg.solve_ex(x, x), torch.linalg.ldl_factor(spd),
            torch.linalg.ldl_factor_ex(spd), torch.lu_unpack(*torch.linalg.lu_factor(x)),
        )
    ]  # fmt: skip


@program
def plain_tuples_are_not_named(torch):
    x = torch.randn(3, 4)
    return [type(r).__name__ for r in (torch.std_mean(x), torch.var_mean(x, 0), x.split(2))]


@program
def out_variants_have_their_own_types(torch):
    x = torch.arange(12.0).reshape(3, 4)

    def pair():
        return torch.empty(0), torch.empty(0, dtype=torch.long)

    v, i = pair()
    r = torch.max(x, 1, out=(v, i))
    return [
        type(r).__name__, r[0] is v, r.indices is i, r.values.tolist(),
        type(torch.sort(x, out=pair())).__name__, type(torch.topk(x, 2, out=pair())).__name__,
        type(torch.cummax(x, 0, out=pair())).__name__,
    ]  # fmt: skip


@program
def named_result_from_a_sequence(torch):
    r = torch.return_types.max((torch.tensor(1.0), torch.tensor(0)))
    s = torch.return_types.linalg_svd([torch.ones(1), torch.ones(1) * 2, torch.ones(1) * 3])
    return [r.values, r.indices, type(r).__name__, isinstance(r, tuple), s.S, s.Vh]


@program
def named_result_counts(torch):
    types = torch.return_types
    return [
        (t.n_fields, t.n_sequence_fields, t.n_unnamed_fields)
        for t in (types.max, types.sort, types.linalg_svd, types.linalg_lstsq)
    ]


@error(TypeError, r"return_types.max\(\) takes a 2-sequence \(1-sequence given\)")
def named_result_too_short(torch):
    torch.return_types.max((torch.tensor(1.0),))


@error(TypeError, r"return_types.topk\(\) takes a 2-sequence \(3-sequence given\)")
def named_result_too_long(torch):
    torch.return_types.topk((1, 2, 3))


@error(AttributeError, r"attribute")
def named_result_fields_are_read_only(torch):
    torch.max(torch.ones(2, 2), 1).values = torch.zeros(2)


@program
def named_result_tuple_behaviour(torch):
    r = torch.sort(torch.tensor([3.0, 1.0, 2.0]))
    values, indices = r
    back = pickle.loads(pickle.dumps(r))
    return [
        values, indices, r[0], r[-1], list(r[:1]), type(back).__name__, back.indices, len(r),
        str(type(r)), type(r[:1]).__name__,
    ]  # fmt: skip


# ---- finfo / iinfo ------------------------------------------------------------------------------
@program
def finfo_fields(torch):
    out = []
    for d in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        f = torch.finfo(d)
        out.append((f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, f.dtype))
    return out


@program
def iinfo_fields(torch):
    return [
        (torch.iinfo(d).bits, torch.iinfo(d).max, torch.iinfo(d).min, torch.iinfo(d).dtype)
        for d in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)
    ]


@program
def finfo_of_the_default_dtype(torch):
    before = torch.finfo().dtype
    torch.set_default_dtype(torch.float64)
    try:
        after = torch.finfo().dtype
    finally:
        torch.set_default_dtype(torch.float32)
    return [before, after, torch.finfo(type=torch.float16).bits]


@program
def finfo_iinfo_of_python_types(torch):
    return [torch.finfo(float).dtype, torch.finfo(complex).dtype, torch.iinfo(int).dtype]


@program
def finfo_iinfo_equality(torch):
    f32, i8 = torch.finfo(torch.float32), torch.iinfo(torch.int8)
    return [
        f32 == torch.finfo(torch.float32), f32 != torch.finfo(torch.float64),
        f32 == torch.finfo(torch.float64), i8 == torch.iinfo(torch.int8),
        i8 == torch.iinfo(torch.int16), f32 == torch.iinfo(torch.int32), f32 == "float32",
    ]  # fmt: skip


@error(TypeError, r"unhashable type")
def finfo_is_unhashable(torch):
    hash(torch.finfo(torch.float32))


@program
def finfo_iinfo_repr(torch):
    return [str(torch.finfo(torch.float32)), str(torch.finfo(torch.float16)),
            str(torch.iinfo(torch.int8)), str(torch.iinfo(torch.uint8))]  # fmt: skip


@error(TypeError, r"iinfo\(\) requires an integer input type. Use .*finfo to handle '.*iinfo'")
def iinfo_of_a_float(torch):
    torch.iinfo(torch.float32)


@error(TypeError, r"iinfo\(\) requires an integer input type")
def iinfo_of_python_float(torch):
    torch.iinfo(float)


@error(TypeError, r"finfo\(\) requires a floating point input type. Use .*iinfo to handle")
def finfo_of_an_int(torch):
    torch.finfo(torch.int32)


@error(TypeError, r"finfo\(\) requires a floating point input type")
def finfo_of_bool(torch):
    torch.finfo(torch.bool)


@error(TypeError, r"bool is not supported by .*iinfo")
def iinfo_of_bool(torch):
    torch.iinfo(torch.bool)


@error(TypeError, r"finfo\(\): argument 'type' \(position 1\) must be .*dtype, not str")
def finfo_of_a_name(torch):
    torch.finfo("float32")


@error(TypeError, r"iinfo\(\): argument 'type' \(position 1\) must be .*dtype, not Tensor")
def iinfo_of_a_tensor(torch):
    torch.iinfo(torch.ones(2, dtype=torch.int32))


@error(TypeError, r"finfo\(\): argument 'type' \(position 1\) must be .*dtype, not NoneType")
def finfo_of_none(torch):
    torch.finfo(None)


# ---- profiler: context-manager rules ------------------------------------------------------------
@error(RuntimeError, r"Profiler context manager is not reentrant")
def autograd_profile_is_not_reentrant(torch):
    prof = torch.autograd.profiler.profile()
    with prof, prof:
        pass


@error(RuntimeError, r"Profiler context manager is not reentrant")
def autograd_profile_enters_once(torch):
    prof = torch.autograd.profiler.profile()
    with prof:
        torch.ones(2).exp()
    with prof:
        pass


@program
def disabled_autograd_profile_enters_again(torch):
    prof = torch.autograd.profiler.profile(enabled=False)
    with prof:
        pass
    with prof as inner:
        torch.ones(2).exp()
    return inner


@program
def torch_profiler_profile_runs_again(torch):
    prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with prof:
            torch.ones(2).exp()
        with prof:
            torch.ones(2).exp().sin()
    return sorted({e.key for e in prof.key_averages()} & {"aten::exp", "aten::sin"})


# ---- utils.checkpoint ---------------------------------------------------------------------------
def _ckpt(torch, fn, *args, **kwargs):
    return torch.utils.checkpoint.checkpoint(fn, *args, **kwargs)


@error(ValueError, r"determinism_check should be one of \['default', 'none'\], but got bogus")
def checkpoint_determinism_check_is_checked(torch):
    _ckpt(torch, torch.sin, torch.ones(2, requires_grad=True), use_reentrant=False,
          determinism_check="bogus")  # fmt: skip


@program
def checkpoint_determinism_check_none(torch):
    x = torch.ones(2, requires_grad=True)
    y = _ckpt(torch, torch.exp, x, use_reentrant=False, determinism_check="none")
    y.sum().backward()
    return x.grad


@error(ValueError, r"debug=True is incompatible with non-default context_fn")
def checkpoint_debug_with_context_fn(torch):
    import contextlib

    def contexts():
        return contextlib.nullcontext(), contextlib.nullcontext()

    _ckpt(torch, torch.sin, torch.ones(2, requires_grad=True), use_reentrant=False,
          context_fn=contexts, debug=True)  # fmt: skip


@error(ValueError, r"Unexpected keyword arguments: b")
def checkpoint_reentrant_keyword_arguments(torch):
    _ckpt(torch, lambda a, b=1: a * b, torch.ones(2, requires_grad=True), b=2, use_reentrant=True)


@program
def checkpoint_keyword_arguments_without_reentrancy(torch):
    x = torch.ones(2, requires_grad=True)
    _ckpt(torch, lambda a, b=1: a * b, x, b=3.0, use_reentrant=False).sum().backward()
    return x.grad


@error(RuntimeError, r"use_reentrant=True, torch.utils.checkpoint is incompatible with .grad\(\)")
def checkpoint_reentrant_autograd_grad(torch):
    x = torch.ones(2, requires_grad=True)
    torch.autograd.grad(_ckpt(torch, lambda a: a * a, x, use_reentrant=True).sum(), x)


@program
def checkpoint_non_tensor_outputs(torch):
    x = torch.ones(2, requires_grad=True)
    out = _ckpt(torch, lambda t: (t * 2, 3, None, t.detach(), t.detach() * 2), x,
                use_reentrant=False)  # fmt: skip
    (out[0].sum() + out[3].sum()).backward()
    flags = [o.requires_grad for o in out if isinstance(o, torch.Tensor)]
    return [out[1], out[2], flags, out[4].grad_fn is None, type(out).__name__, x.grad]


@program
def checkpoint_reentrant_outputs_all_require_grad(torch):
    x = torch.ones(2, requires_grad=True)
    out = _ckpt(torch, lambda t: (t * 2, t.detach(), (t * 3).long()), x, use_reentrant=True)
    out[0].sum().backward()
    return [[o.requires_grad for o in out], x.grad]


# ---- utils.hooks.RemovableHandle ----------------------------------------------------------------
@program
def removable_handle_class(torch):
    handle = torch.nn.Linear(2, 2).register_forward_hook(lambda *a: None)
    return [type(handle).__module__, type(handle).__qualname__,
            isinstance(handle, torch.utils.hooks.RemovableHandle)]  # fmt: skip


@program
def removable_handle_extra_dicts(torch):
    from collections import OrderedDict

    hooks, extra, more = OrderedDict(), OrderedDict(), OrderedDict()
    handle = torch.utils.hooks.RemovableHandle(hooks, extra_dict=[extra, more])
    single = torch.utils.hooks.RemovableHandle(hooks, extra_dict=extra)
    for d in (hooks, extra, more):
        d[handle.id] = d[single.id] = "hook"
    handle.remove()
    handle.remove()
    after_one = [len(hooks), len(extra), len(more)]
    with single:
        pass
    return [after_one, len(hooks), len(extra), len(more), single.id > handle.id]


@program
def removable_handle_context_and_double_remove(torch):
    t = torch.ones(2, requires_grad=True)
    calls = []
    with t.register_hook(lambda g: calls.append(g.sum().item())) as handle:
        (t * 2).sum().backward()
    (t * 3).sum().backward()
    handle.remove()
    return [calls, t.grad]


# ---- profiler: export_stacks --------------------------------------------------------------------
def _export_stacks(torch, prof):
    fd, path = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        prof.export_stacks(path)
        with open(path) as f:
            return f.read()
    finally:
        os.remove(path)


@error(AssertionError, r"export_stacks\(\) requires with_stack=True")
def export_stacks_needs_with_stack(torch):
    with torch.autograd.profiler.profile() as prof:
        torch.ones(2).exp()
    _export_stacks(torch, prof)


@error(AssertionError, r"export_stacks\(\) requires with_stack=True")
def profiler_export_stacks_needs_with_stack(torch):
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        torch.ones(2).exp()
    _export_stacks(torch, prof)


# ---- profiler: ATen names of fused products -----------------------------------------------------
_PRODUCTS = ["aten::addmm", "aten::addmv", "aten::baddbmm", "aten::addbmm", "aten::addr",
             "aten::addcmul", "aten::addcdiv", "aten::linear", "aten::matmul", "aten::mm"]  # fmt: skip


def _product_counts(torch, requires_grad: bool) -> dict:
    def t(*shape):
        return torch.ones(*shape, requires_grad=requires_grad)

    with torch.autograd.profiler.profile() as prof:
        torch.addmm(t(4, 6), t(4, 5), t(5, 6))
        torch.addmm(t(6), t(4, 5), t(5, 6), beta=0.5)  # a bias of one dimension
        torch.addmv(t(4), t(4, 5), t(5))
        torch.baddbmm(t(2, 4, 6), t(2, 4, 5), t(2, 5, 6), alpha=2.0)
        torch.addbmm(t(4, 6), t(2, 4, 5), t(2, 5, 6))
        torch.addr(t(3, 4), t(3), t(4))
        torch.addcmul(t(3), t(3), t(3), value=2.0)
        torch.addcdiv(t(3), t(3), t(3) + 1)
        torch.nn.functional.linear(t(3, 5), t(6, 5))  # no bias: matmul, mm
    found = {e.key: e.count for e in prof.key_averages()}
    return {n: found.get(n, 0) for n in _PRODUCTS}


@program
def fused_product_names_without_grad(torch):
    return _product_counts(torch, False)


@program
def fused_product_names_with_grad(torch):
    return _product_counts(torch, True)


# ---- profiler: record_function's arguments ------------------------------------------------------
@error(RuntimeError, r"Expected a value of type 'str' for argument 'name' but instead found type "
       r"'int'")  # fmt: skip
def record_function_name_must_be_a_string(torch):
    with torch.autograd.profiler.profile(), torch.profiler.record_function(123):
        pass


@error(RuntimeError, r"Expected a value of type 'str' for argument 'name' but instead found type "
       r"'float'")  # fmt: skip
def record_function_name_checked_without_profiler(torch):
    with torch.profiler.record_function(1.5):
        pass


@error(RuntimeError, r"Expected a value of type 'Optional\[str\]' for argument 'args'")
def record_function_args_must_be_a_string(torch):
    with torch.profiler.record_function("block", 3):
        pass


@program
def record_function_with_args_string(torch):
    with torch.autograd.profiler.profile() as prof:
        with torch.profiler.record_function("block", "some args"):
            torch.ones(2).exp()
    return sorted({e.name for e in prof.function_events} & {"block", "aten::exp"})


# ---- profiler: with_flops -----------------------------------------------------------------------
def _flop_counts(torch, prof) -> list:
    return sorted((e.name, e.flops) for e in prof.function_events if e.flops)


@program
def flops_of_products_and_elementwise(torch):
    a = torch.ones(4, 5, requires_grad=True)
    with torch.autograd.profiler.profile(with_flops=True) as prof:
        y = torch.mm(a, torch.ones(5, 6))
        y * 2
        y + y
        torch.baddbmm(torch.ones(2, 4, 6), torch.ones(2, 4, 5), torch.ones(2, 5, 6))
        torch.addmm(torch.ones(4, 6), torch.ones(4, 5), torch.ones(5, 6))
        torch.nn.functional.linear(torch.ones(3, 5), torch.ones(6, 5))
        torch.nn.functional.linear(torch.ones(3, 5), torch.ones(6, 5), torch.ones(6))
        y.sum().backward()
    return [_flop_counts(torch, prof), prof.record_shapes]


@program
def flops_of_batched_matmul(torch):
    with torch.profiler.profile(with_flops=True) as prof:
        torch.matmul(torch.ones(2, 4, 5), torch.ones(2, 5, 6))
        torch.bmm(torch.ones(3, 2, 5), torch.ones(3, 5, 7))
    return sorted((e.key, e.count, e.flops) for e in prof.key_averages() if e.flops)


@program
def flops_column_and_unit(torch):
    def titles(prof):
        return _header(prof.key_averages().table(row_limit=100))

    with torch.autograd.profiler.profile(with_flops=True) as small:
        torch.mm(torch.ones(4, 5), torch.ones(5, 6))
    with torch.autograd.profiler.profile(with_flops=True) as large:
        torch.mm(torch.ones(40, 50), torch.ones(50, 60))
    with torch.autograd.profiler.profile(with_flops=True) as none:
        torch.ones(2).exp()
    with torch.autograd.profiler.profile() as off:
        torch.mm(torch.ones(4, 5), torch.ones(5, 6))
    mm_row = _row(small.key_averages().table(), "aten::mm")
    return [titles(small)[-1], titles(large)[-1], titles(none)[-1], titles(off)[-1], mm_row[-1]]


def _header(table: str) -> list:
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    return [t.strip() for t in lines[rule + 1].split("  ") if t.strip()]


def _row(table: str, name: str) -> list:
    line = next(line for line in table.splitlines() if line.strip().startswith(name + " "))
    return [t.strip() for t in line.split("  ") if t.strip()]
