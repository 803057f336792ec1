"""Session 18 sweep: the divergences the sorting/selection/searching fuzzer
(tests/test_fuzz_sort_select.py) found, each pinned by a focused program, run with real
PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _leaf(torch, values, **kw):
    return torch.tensor(values, **kw).requires_grad_()


# ---- out= ---------------------------------------------------------------------------------
@program
def out_of_undifferentiable_ops_takes_inputs_requiring_grad(torch):
    x = _leaf(torch, [[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]])
    long = torch.empty(0, dtype=torch.int64)
    return [
        torch.argmax(x, 1, out=long.clone()),
        torch.argmin(x, out=long.clone()),
        torch.searchsorted(x, x, out=long.clone()),
        torch.bucketize(x, torch.tensor([0.5, 2.0]), out=long.clone()),
        torch.histc(x, bins=3, out=torch.empty(0)),
        torch.isin(x, x[0], out=torch.empty(0, dtype=torch.bool)),
        torch.any(x, 1, out=torch.empty(0, dtype=torch.bool)),
    ]


@error(RuntimeError, r"^sort\(\): functions with out=\.\.\. arguments don't support automatic")
def argsort_out_autograd_error_names_sort(torch):
    x = _leaf(torch, [2.0, 1.0])
    torch.argsort(x, stable=True, out=torch.empty(0, dtype=torch.int64))


@error(RuntimeError, r"^sort\(\): functions with out=\.\.\. arguments don't support automatic")
def msort_out_autograd_error_names_sort(torch):
    torch.msort(_leaf(torch, [2.0, 1.0]), out=torch.empty(0))


@error(TypeError, r"^bucketize\(\) received an invalid combination of arguments")
def bucketize_of_a_number_has_no_out(torch):
    torch.bucketize(2, torch.tensor([1.0, 3.0]), out=torch.empty(0, dtype=torch.int64))


@error(RuntimeError, r"^cummax\(\): functions with out=\.\.\. arguments don't support automatic")
def out_autograd_error_before_out_dtype_check(torch):
    x = _leaf(torch, [1.0, 3.0], dtype=torch.float16)
    torch.cummax(x, 0, out=(torch.empty(0), torch.empty(0, dtype=torch.int64)))


@error(RuntimeError, r"^median\(\): functions with out=\.\.\. arguments don't support automatic")
def out_autograd_error_before_dim_check(torch):
    x = _leaf(torch, [[1.0, 2.0]])
    torch.median(x, 5, out=(torch.empty(0, dtype=torch.int32), torch.empty(0, dtype=torch.int64)))


# ---- sort ---------------------------------------------------------------------------------
@program
def sort_of_a_scalar_is_a_copy(torch):
    s = _leaf(torch, 1.5)
    v = s.sort()
    with torch.no_grad():
        quiet = s.sort().values.requires_grad, torch.msort(s).requires_grad
    return v.values is s, v.values.grad_fn.name(), v.values, v.indices, quiet


@program
def sort_with_stable_none_is_the_stable_overload(torch):
    x = _leaf(torch, [3.0, 1.0, 2.0])
    return [torch.sort(x, stable=None).values.grad_fn.name(), x.sort(stable=None)[1]]


@error(TypeError, r"^sort\(\) received an invalid combination of arguments")
def sort_with_stable_takes_dim_by_keyword_only(torch):
    torch.sort(torch.tensor([2.0, 1.0]), 0, stable=True)


@error(TypeError, r"^sort\(\)")
def sort_method_with_stable_takes_descending_by_keyword_only(torch):
    torch.tensor([2.0, 1.0]).sort(0, True, stable=None)


@error(TypeError, r"^argsort\(\) received an invalid combination of arguments")
def argsort_with_stable_takes_dim_by_keyword_only(torch):
    torch.argsort(torch.tensor([2.0, 1.0]), -1, stable=True)


@error(TypeError, r"^argsort\(\)")
def argsort_takes_stable_by_keyword_only(torch):
    torch.argsort(torch.tensor([2.0, 1.0]), 0, False, True)


@program
def sort_and_argsort_by_position_without_stable(torch):
    x = torch.tensor([[2.0, 1.0, 2.0], [0.0, 3.0, -1.0]])
    return [torch.sort(x, 0, True), x.sort(1), x.argsort(1, True), torch.argsort(x, 0)]


# ---- unique -------------------------------------------------------------------------------
@error(IndexError, r"^Dimension specified as 0 but tensor has no dimensions")
def unique_dim_of_a_scalar(torch):
    torch.unique(torch.tensor(1.0), dim=0)


@error(IndexError, r"^Dimension specified as -1 but tensor has no dimensions")
def unique_consecutive_dim_of_a_scalar(torch):
    torch.unique_consecutive(torch.tensor(1.0), dim=-1)


@error(RuntimeError, r"^Number of zero sized dimensions is more than one, so unique cannot be")
def unique_consecutive_of_two_empty_dims(torch):
    torch.unique_consecutive(torch.zeros(0, 0, 0), dim=-1)


@error(RuntimeError, r"^There are 0 sized dimensions, and they aren't selected, so unique")
def unique_consecutive_of_an_empty_dim_not_selected(torch):
    torch.unique_consecutive(torch.zeros(0, 0, 2), dim=2)


@program
def unique_consecutive_of_empty_inputs(torch):
    return [
        torch.unique_consecutive(torch.zeros(0, 2), dim=0, return_inverse=True, return_counts=True),
        torch.unique_consecutive(torch.zeros(0, dtype=torch.int16)),
    ]


@program
def unique_consecutive_along_a_dim_lays_it_outermost(torch):
    b = torch.arange(24.0).reshape(2, 3, 4)
    t = torch.tensor([[1.0, 2, 3, 4], [1, 2, 3, 4], [5, 6, 7, 8]]).t()
    e = torch.tensor([[[1, 2, 3, 4]]]).expand(17, 1, 4)
    outs = [torch.unique_consecutive(b, dim=d) for d in range(3)]
    outs += [torch.unique_consecutive(t, dim=1), torch.unique_consecutive(e, dim=-2)]
    return [(o, o.stride()) for o in outs]


@program
def unique_keeps_the_zero_pytorch_keeps(torch):
    out = []
    for values in ([0.0, -0.0, 1.0], [-0.0, 0.0, 1.0], [0.0, -0.0, 1.0] * 7, [-0.0, 2, 0.0] * 9):
        for dtype in (torch.float32, torch.bfloat16):
            u = torch.unique(torch.tensor(values, dtype=dtype), sorted=False, return_counts=True)
            out.append((u[0].float(), torch.signbit(u[0]), u[1]))
    return out


# ---- layouts of results -------------------------------------------------------------------
@program
def cummax_cummin_of_a_transposed_input_are_contiguous(torch):
    x = torch.tensor([[3.0, 1.0, 4.0, 1.0], [5.0, 9.0, 2.0, 6.0], [5.0, 3.0, 5.0, 8.0]]).t()
    a, b = torch.cummax(x, 0), torch.cummin(x, 1)
    return [(t, t.stride()) for t in (*a, *b)]


@program
def median_along_a_dim_of_a_transposed_input_is_contiguous(torch):
    x = torch.arange(60.0).reshape(3, 4, 5).transpose(0, 2)
    m, n = torch.median(x, 0), torch.nanmedian(x, 1, keepdim=True)
    return [(t, t.stride()) for t in (*m, *n)]


@program
def searchsorted_of_transposed_values_is_contiguous(torch):
    seq = torch.tensor([[1, 3, 5], [2, 4, 6]])
    v = torch.tensor([[0, 3], [6, 2]]).t()
    empty = torch.zeros(2, 0, dtype=torch.int64)
    return [(t, t.stride()) for t in (torch.searchsorted(seq, v), torch.searchsorted(empty, v))]


# ---- isin ---------------------------------------------------------------------------------
@program
def isin_promotes_bfloat16_and_integers(torch):
    nan = float("nan")
    bf = torch.tensor([1.0, 2.5, nan, -0.0, 3.0, -1.0], dtype=torch.bfloat16)
    ints = torch.arange(-4, 44, dtype=torch.int32).reshape(4, 3, 4)
    many = torch.tensor([nan, 2.5, 0.0, -1.0] * 10, dtype=torch.bfloat16)
    return [
        torch.isin(bf, ints),
        torch.isin(bf, many),
        torch.isin(bf, many, invert=True),
        torch.isin(0, many),
        torch.isin(bf, 1),
    ]


# ---- numpy's warnings (PyTorch computes these silently) -----------------------------------
@program
def no_warnings_from_nans_and_empty_integers(torch):
    nan = float("nan")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = [
            torch.median(torch.zeros(0, 3, dtype=torch.int64)).dtype,
            torch.cummax(torch.tensor([[nan, 1.0, 2.0]], dtype=torch.bfloat16), 1).indices,
        ]
        try:
            torch.histc(torch.tensor([nan, 1.0], dtype=torch.bfloat16), bins=3)
        except RuntimeError as e:
            out.append(str(e))
    return out, [str(w.message) for w in caught]


@program
def sort_along_an_expanded_dim_counts_up(torch):
    # a stride-0 dim holds equal values: PyTorch's indices count up (no std::sort of ties)
    x = torch.tensor([[3.0], [1.0], [2.0]]).expand(3, 20)
    col = torch.tensor([[5, 4]]).expand(33, 2)
    return [
        torch.sort(x, 1),
        torch.sort(x, 1, descending=True).indices,
        torch.argsort(col, 0),
        torch.sort(torch.tensor([True]).expand(17)).indices,
        torch.sort(x, 0).indices,
    ]


@program
def unique_numbers_nans_as_pytorch_sorts_them(torch):
    nan = float("nan")  # (each NaN is distinct; which is which: std::sort's order)
    x = torch.tensor([nan if i % 3 == 0 else (i % 4) - 1.5 for i in range(40)])
    y = torch.tensor([nan, 1.0, nan, -0.0, 0.0, 2.0] * 5, dtype=torch.float16)
    u = torch.unique(x, return_inverse=True, return_counts=True)
    v = torch.unique(y, sorted=False, return_inverse=True)
    return [u, v[0].float(), v[1], torch.unique(x.half(), return_inverse=True)[1]]


# ---- searchsorted, histc with integers ----------------------------------------------------
@program
def searchsorted_takes_an_integer_in_the_boundaries_type(torch):
    u = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7], dtype=torch.uint8)
    i8 = torch.tensor([1, 2, 3], dtype=torch.int8)
    return [
        torch.searchsorted(u, -1),  # 255
        torch.searchsorted(u, 256),  # 0
        torch.searchsorted(u, 2.5),
        torch.searchsorted(u, -1, sorter=torch.arange(8)),
        torch.searchsorted(i8, 300, right=True),
        torch.bucketize(-1, u),
    ]


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow")
def histc_of_uint8_range_below_zero(torch):
    torch.histc(torch.tensor([1], dtype=torch.uint8), min=-0.5, max=1)


@error(RuntimeError, r"^value cannot be converted to type int8_t without overflow")
def histc_of_int8_data_range_widened_past_127(torch):
    torch.histc(torch.tensor([127], dtype=torch.int8))


@error(RuntimeError, r"^value cannot be converted to type uint8_t without overflow")
def histc_of_empty_uint8(torch):
    torch.histc(torch.tensor([], dtype=torch.uint8))


@error(NotImplementedError, r"histogram_cpu\" not implemented for 'Long'")
def histc_of_int64_extremes_fits(torch):
    torch.histc(torch.tensor([-(2**63), 2**63 - 1]), bins=1)


@error(RuntimeError, r"^torch\.histc: max must be larger than min")
def histc_of_a_large_int64_widens_to_nothing(torch):
    torch.histc(torch.tensor([2**62]))


# ---- out= indices dtype -------------------------------------------------------------------
@error(RuntimeError, r"^expected scalar type 'Long' but got 'Int' for indices output")
def mode_out_indices_dtype_checked_before_the_empty_dim(torch):
    e = torch.zeros(0, dtype=torch.int64)
    torch.mode(e, 0, out=(torch.empty(0, dtype=torch.int64), torch.empty(0, dtype=torch.int32)))


@error(RuntimeError, r"^expected scalar_type Long but found Int")
def cummin_out_indices_dtype_checked_before_the_dim(torch):
    x = torch.zeros(2)
    torch.cummin(x, 3, out=(torch.empty(0), torch.empty(0, dtype=torch.int32)))


# ---- forward AD ---------------------------------------------------------------------------
@program
def forward_ad_through_unique_is_not_implemented(torch):
    fa = torch.autograd.forward_ad
    out = []
    with fa.dual_level():
        x = fa.make_dual(torch.tensor([[1.0, 2.0], [1.0, 2.0]]), torch.ones(2, 2))
        for f in (torch.unique, torch.unique_consecutive, lambda t: torch.unique(t, dim=0)):
            try:
                f(x)
            except NotImplementedError as e:
                out.append(str(e).split("\n")[0])
        out.append(torch.unique(x.detach()))
    return out


@error(NotImplementedError, r"^Trying to use forward AD with unique_dim that does not support")
def forward_ad_through_unique_refused_before_its_dim_check(torch):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        torch.unique(fa.make_dual(torch.tensor(1.0), torch.tensor(1.0)), dim=0)


@error(NotImplementedError, r"^Trying to use forward AD with unique_consecutive that does not")
def forward_ad_through_unique_consecutive_refused_before_its_dim_check(torch):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        x = fa.make_dual(torch.zeros(0, 0, 2), torch.zeros(0, 0, 2))
        torch.unique_consecutive(x, dim=2)


@program
def forward_ad_of_bfloat16_inputs(torch):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        t = torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=torch.bfloat16)
        x = fa.make_dual(torch.tensor([1.0, 3.0, 2.0, 3.0], dtype=torch.bfloat16), t)
        ys = [x * 2, x.sort(stable=True).values, torch.topk(x, 2).values, x.cummax(0).values]
        ys += [torch.kthvalue(x, 1).values, x.exp(), torch.msort(x)]
        return [(fa.unpack_dual(y).primal.float(), fa.unpack_dual(y).tangent.float()) for y in ys]


@program
def forward_ad_of_median_of_nothing(torch):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        x = fa.make_dual(torch.zeros(0, 3), torch.zeros(0, 3))
        return fa.unpack_dual(torch.median(x)).tangent, fa.unpack_dual(torch.nanmedian(x)).tangent


@program
def forward_ad_of_max_min_median_of_all_elements(torch):
    # the mean tangent of the elements equal to the result; NaN for a NaN result (whose
    # gradient goes to the NaNs)
    nan = float("nan")
    fa = torch.autograd.forward_ad
    out = []
    with fa.dual_level():
        for v in ([1.0, nan, 3.0], [1.0, 3.0, 3.0], [nan, nan, 1.0], [2.0, 2.0, 2.0]):
            x = fa.make_dual(torch.tensor(v), torch.tensor([0.1, 0.2, 0.4]))
            ys = [x.max(), x.min(), torch.median(x), torch.nanmedian(x), x.amax()]
            ys.append(torch.linalg.vector_norm(x, float("inf")))
            out.append([fa.unpack_dual(y).tangent for y in ys])
    return out


@program
def forward_ad_through_nans_warns_nothing(torch):
    nan = float("nan")
    fa = torch.autograd.forward_ad
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fa.dual_level():
            x = fa.make_dual(torch.tensor([[nan, 1.0], [2.0, 3.0]]), torch.ones(2, 2))
            y = torch.aminmax(x, dim=1)
            tangents = [fa.unpack_dual(t).tangent for t in y]
    return tangents, [str(w.message) for w in caught if "jit" not in str(w.message)]


def _out_with_a_tangent(torch, f):
    fa = torch.autograd.forward_ad
    with fa.dual_level():
        x = fa.make_dual(torch.tensor([[1.0, 3.0, 2.0]]), torch.tensor([[0.1, 0.2, 0.3]]))
        f(torch, x)


@error(IndexError, r"^Dimension out of range")
def forward_ad_out_error_after_the_dim_check(torch):
    _out_with_a_tangent(torch, lambda T, x: T.argmax(x, 5, out=T.empty(0, dtype=T.int64)))


@error(IndexError, r"^Dimension out of range")
def forward_ad_out_error_after_cummin_dim_check(torch):
    _out_with_a_tangent(torch, lambda T, x: T.cummin(x, -4, out=(T.empty(0), T.empty(0).long())))


@error(NotImplementedError, r"^Trying to use forward AD with sort_out that does not support it")
def forward_ad_out_of_msort_names_sort(torch):
    _out_with_a_tangent(torch, lambda T, x: T.msort(x, out=T.empty(0)))


@error(NotImplementedError, r"^Trying to use forward AD with linalg_vector_norm_out that does")
def forward_ad_out_of_norm_names_linalg_vector_norm(torch):
    _out_with_a_tangent(torch, lambda T, x: T.norm(x, out=T.empty(0)))


@error(NotImplementedError, r"^Trying to use forward AD with argmin_out that does not support it")
def forward_ad_out_of_argmin(torch):
    _out_with_a_tangent(torch, lambda T, x: T.argmin(x, 1, out=T.empty(0, dtype=T.int64)))


# ---- searchsorted's warnings, once per process (so each framework runs in its own) ---------
_ONCE = """
import sys, warnings
T = __import__(sys.argv[1])
seq = T.tensor([[1.0, 2, 3], [1, 2, 3]]).t().contiguous().t()
v = T.tensor([[1.0, 5], [2, 3]]).t()
s = T.argsort(seq, -1).t().contiguous().t()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    T.searchsorted(seq, v, sorter=s)
    T.searchsorted(seq, v, sorter=s)
    T.bucketize(T.tensor([[1.0, 2], [3, 4]]).t(), T.tensor([1.0, 2, 3, 4])[::2])
print([(m.category.__name__, str(m.message).split(" (Triggered")[0]) for m in w])
"""


@program
def searchsorted_warns_once_of_non_contiguous_tensors(torch):
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = subprocess.run(
        [sys.executable, "-c", _ONCE, torch.__name__], capture_output=True, text=True, env=env,
        cwd=root, timeout=300, check=True,
    )  # fmt: skip
    return run.stdout
