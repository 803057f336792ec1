"""Oracle regressions from a sweep of PyTorch's own docstring examples (``>>>`` lines of
``torch.<name>.__doc__`` and ``torch.Tensor.<name>.__doc__``) run with torch and with minitorch:
each test is an example that differed, with the fix in minitorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import assert_close

import minitorch
from minitorch.autograd import gradcheck


def test_math_constants_as_torch(torch):
    # torch.aminmax / torch.equal / torch.nanmean examples: torch.tensor([1, -3, 5, torch.nan])
    for name in ("e", "pi", "inf"):
        assert getattr(minitorch, name) == getattr(torch, name)
    assert math.isnan(minitorch.nan)
    assert minitorch.newaxis is torch.newaxis is None
    x = minitorch.tensor([[minitorch.nan, 1, 2], [1, 2, 3]])
    assert_close(x.nanmean(dim=0), torch.tensor([[torch.nan, 1, 2], [1, 2, 3]]).nanmean(dim=0))
    assert minitorch.zeros(2, 3)[:, minitorch.newaxis].shape == (2, 1, 3)


def test_resize_same_numel_kthvalue_example(torch):
    # torch.kthvalue example: x = torch.arange(1., 7.).resize_(2, 3)
    x = minitorch.arange(1.0, 7.0).resize_(2, 3)
    tx = torch.arange(1.0, 7.0).resize_(2, 3)
    assert x.shape == tx.shape
    assert_close(x, tx)
    v, i = minitorch.kthvalue(x, 2, 0, True)
    tv, ti = torch.kthvalue(tx, 2, 0, True)
    assert_close(v, tv)
    assert i.tolist() == ti.tolist()


def test_resize_shrink_grow_and_errors(torch):
    x, tx = minitorch.arange(6.0), torch.arange(6.0)
    y, ty = x.view(2, 3), tx.view(2, 3)
    assert x.resize_(2, 2) is x
    tx.resize_(2, 2)
    assert_close(x, tx)
    assert_close(y, ty)  # the other view keeps its memory
    x.resize_((5,))  # grows: the first 4 values stay (PyTorch's new elements are uninitialised)
    assert x.shape == (5,) and x[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    b = minitorch.zeros(2).resize_as_(minitorch.ones(2, 3))
    assert b.shape == torch.zeros(2).resize_as_(torch.ones(2, 3)).shape
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        minitorch.ones(3, requires_grad=True).resize_(2)
    with pytest.raises(RuntimeError, match="non-contiguous"):
        minitorch.arange(6.0).reshape(2, 3).t().resize_(6)
    t = minitorch.arange(6.0).reshape(2, 3).t()
    assert t.resize_(3, 2) is t  # the same shape: nothing to do, as in PyTorch


def test_view_dtype_of_another_element_size(torch):
    # Tensor.view example: x.view(torch.uint8) of a float32 tensor
    data = np.random.default_rng(0).standard_normal((4, 4)).astype(np.float32)
    x, tx = minitorch.tensor(data), torch.tensor(data)
    for name in ("uint8", "int16", "float64", "int64"):
        v, tv = x.view(getattr(minitorch, name)), tx.view(getattr(torch, name))
        assert v.shape == tv.shape
        assert (v.numpy() == tv.numpy()).all()
    x.view(minitorch.uint8)[0, :2] = 7  # a view: writes reach the original
    tx.view(torch.uint8)[0, :2] = 7
    assert (x.numpy() == tx.numpy()).all() and x[0, 0].item() != data[0, 0]
    with pytest.raises(RuntimeError, match=r"self.size\(-1\) must be divisible by 2"):
        minitorch.arange(6.0).reshape(2, 3).view(minitorch.float64)
    with pytest.raises(RuntimeError, match="self.dim\\(\\) cannot be 0"):
        minitorch.tensor(1.0).view(minitorch.uint8)
    with pytest.raises(RuntimeError, match=r"self.stride\(-1\) must be 1"):
        minitorch.arange(6.0).reshape(2, 3).t().view(minitorch.uint8)


def test_post_accumulate_grad_hook_may_return_the_tensor(torch):
    # Tensor.register_post_accumulate_grad_hook example: the hook returns p.add_(...), i.e. p
    lr = 0.01
    v = minitorch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    h = v.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-lr))
    v.backward(minitorch.tensor([1.0, 2.0, 3.0]))
    tv = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    tv.register_post_accumulate_grad_hook(lambda p: p.add_(p.grad, alpha=-lr))
    tv.backward(torch.tensor([1.0, 2.0, 3.0]))
    assert_close(v, tv)
    h.remove()
    w = minitorch.ones(2, requires_grad=True)
    w.register_post_accumulate_grad_hook(lambda p: p.grad * 2)
    with pytest.raises(RuntimeError, match="Tensor post accumulate grad hooks should return None"):
        w.sum().backward()


def test_allclose_of_unbroadcastable_shapes_raises_runtime_error(torch):
    # torch.vmap example: torch.allclose(batched_pow(x), x * 4) with shapes [5, 2] and [2, 5]
    with pytest.raises(RuntimeError) as expected:
        torch.allclose(torch.ones(5, 2), torch.ones(2, 5))
    assert "must match the size of tensor b" in str(expected.value)
    with pytest.raises(RuntimeError, match=r"isclose: The size of tensor a \(2\) must match"):
        minitorch.allclose(minitorch.ones(5, 2), minitorch.ones(2, 5))


def test_promote_types_keyword_names(torch):
    # torch.promote_types example with its documented keyword names (type1, type2)
    out = minitorch.promote_types(minitorch.uint8, type2=minitorch.long)
    assert (
        str(out).split(".")[-1]
        == str(torch.promote_types(torch.uint8, type2=torch.long)).split(".")[-1]
    )
    assert (
        minitorch.promote_types(type1=minitorch.int32, type2=minitorch.float32) is minitorch.float32
    )


def test_gradient_of_integers_uses_the_default_dtype(torch):
    # torch.gradient example under set_default_dtype(torch.float64): integer input -> float64
    values = [[1, 2, 4, 8], [10, 20, 40, 80]]
    try:
        minitorch.set_default_dtype(minitorch.float64)
        torch.set_default_dtype(torch.float64)
        out = minitorch.gradient(minitorch.tensor(values), spacing=2.0)
        expected = torch.gradient(torch.tensor(values), spacing=2.0)
    finally:
        minitorch.set_default_dtype(minitorch.float32)
        torch.set_default_dtype(torch.float32)
    for o, e in zip(out, expected):
        assert o.dtype is minitorch.float64 and e.dtype == torch.float64
        assert_close(o, e)
    assert minitorch.gradient(minitorch.tensor(values))[0].dtype is minitorch.float32


def test_index_add_dtype_mismatch_and_integer_alpha(torch):
    # Tensor.index_add_ example with a float64 self and a float32 source: PyTorch refuses
    index = [0, 4, 2]
    with pytest.raises(RuntimeError) as expected:
        torch.ones(5, 3, dtype=torch.float64).index_add_(0, torch.tensor(index), torch.ones(3, 3))
    assert "must have the same scalar type" in str(expected.value)
    with pytest.raises(
        RuntimeError, match=r"self \(Double\) and source \(Float\) must have the same scalar type"
    ):
        minitorch.ones(5, 3, dtype=minitorch.float64).index_add_(
            0, minitorch.tensor(index), minitorch.ones(3, 3)
        )
    src = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    out = minitorch.zeros(5, 3, dtype=minitorch.long).index_add(
        0, minitorch.tensor(index), minitorch.tensor(src), alpha=2.5
    )
    ref = torch.zeros(5, 3, dtype=torch.long).index_add(
        0, torch.tensor(index), torch.tensor(src), alpha=2.5
    )
    assert out.dtype is minitorch.int64 and out.tolist() == ref.tolist()


def test_copy_of_unbroadcastable_shapes_raises_runtime_error(torch):
    with pytest.raises(RuntimeError) as expected:
        torch.ones(5, 3).copy_(torch.ones(3, 3))
    assert "must match the size of tensor b (3) at non-singleton dimension 0" in str(expected.value)
    for src in (minitorch.ones(3, 3), minitorch.ones(3, 3, requires_grad=True)):
        with pytest.raises(RuntimeError, match=r"copy_: The size of tensor a \(5\) must match"):
            minitorch.ones(5, 3).copy_(src)
    assert minitorch.ones(5, 3).copy_(minitorch.full((3,), 2.0)).sum().item() == 30.0


def test_bitwise_ops_of_floats_raise_not_implemented(torch):
    for lib, exc_text in (
        (torch, "not implemented for 'Float'"),
        (minitorch, "not implemented for"),
    ):
        for call in (
            lambda L: L.tensor([1.0, 2.0]) & L.tensor([1, 2]),
            lambda L: L.bitwise_not(L.tensor([1.0])),
            lambda L: L.tensor([8.0]) >> 1,
        ):
            with pytest.raises(NotImplementedError, match=exc_text):
                call(lib)
    for lib in (torch, minitorch):
        with pytest.raises(
            TypeError, match=r"~ \(operator.invert\) is only implemented on integer"
        ):
            ~lib.tensor([1.0])
    assert (minitorch.tensor([6]) & 3).tolist() == (torch.tensor([6]) & 3).tolist()
    assert (~minitorch.tensor([True, False])).tolist() == [False, True]


KEYWORD_CALLS = {
    # the keyword names of PyTorch's signatures, which minitorch did not accept
    "tensor_split sections": lambda L: [
        t.tolist() for t in L.tensor_split(L.arange(7), sections=3)
    ],
    "tensor_split indices": lambda L: [
        t.tolist() for t in L.tensor_split(L.arange(7), indices=[1, 5])
    ],
    "tensor_split tensor": lambda L: [
        t.tolist() for t in L.tensor_split(L.arange(7), tensor_indices_or_sections=L.tensor([1, 5]))
    ],
    "hsplit sections": lambda L: [t.tolist() for t in L.arange(8).view(2, 4).hsplit(sections=2)],
    "vsplit indices": lambda L: [t.tolist() for t in L.arange(8).view(4, 2).vsplit(indices=[1])],
    "resize_ size": lambda L: L.arange(6.0).resize_(size=(2, 3)).tolist(),
    "resize_as_ the_template": lambda L: list(
        L.ones(6).resize_as_(the_template=L.ones(3, 2)).shape
    ),
    "squeeze_ dim": lambda L: list(L.ones(2, 1, 3).squeeze_(dim=1).shape),
    "unsqueeze_ dim": lambda L: list(L.ones(2, 3).unsqueeze_(dim=1).shape),
    "transpose_ dims": lambda L: L.arange(6).view(2, 3).transpose_(dim0=0, dim1=1).tolist(),
    "swapaxes_ axes": lambda L: L.arange(6).view(2, 3).swapaxes_(axis0=0, axis1=1).tolist(),
    "swapdims_ dims": lambda L: L.arange(6).view(2, 3).swapdims_(dim0=0, dim1=1).tolist(),
    "repeat repeats": lambda L: L.arange(2).repeat(repeats=(2, 2)).tolist(),
    "where other": lambda L: L.arange(3.0).where(condition=L.arange(3) > 0, other=-1.0).tolist(),
    "is_contiguous memory_format": lambda L: [
        L.ones(2, 3, 4, 5).is_contiguous(memory_format=L.contiguous_format),
        L.ones(2, 3, 4, 5).is_contiguous(memory_format=L.channels_last),
        L.ones(2, 4, 5, 3).permute(0, 3, 1, 2).is_contiguous(memory_format=L.channels_last),
    ],
}


@pytest.mark.parametrize("name", sorted(KEYWORD_CALLS))
def test_keyword_names_of_pytorch_signatures(torch, name):
    call = KEYWORD_CALLS[name]
    assert call(minitorch) == call(torch)


def test_tensor_split_takes_its_argument_once():
    with pytest.raises(TypeError, match="takes the sections or indices once"):
        minitorch.tensor_split(minitorch.arange(7))
    with pytest.raises(TypeError, match="takes the sections or indices once"):
        minitorch.arange(8).view(2, 4).hsplit(2, sections=2)


def _dtype_name(d) -> str:
    return str(d).split(".")[-1]


@pytest.mark.parametrize("op", ["bitwise_and", "bitwise_or", "gcd", "bitwise_left_shift"])
def test_bitwise_ops_follow_pytorch_type_promotion(torch, op):
    # a 0-d tensor does not widen a dimensioned one of the same kind; a number stays weak
    for zero_d, vec in (("int64", "int32"), ("int32", "uint8"), ("uint8", "int8")):
        args = []
        for lib in (torch, minitorch):
            a = lib.tensor(6, dtype=getattr(lib, zero_d))
            b = lib.tensor([3, 5], dtype=getattr(lib, vec))
            args.append(getattr(lib, op)(a, b))
        out, expected = args[1], args[0]
        assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
        assert out.tolist() == expected.tolist()
    out = minitorch.bitwise_and(2, minitorch.tensor([3, 5], dtype=minitorch.int32))
    expected = torch.bitwise_and(2, torch.tensor([3, 5], dtype=torch.int32))
    assert _dtype_name(out.dtype) == _dtype_name(expected.dtype) == "int32"


def test_comparisons_of_mixed_dtypes_use_the_result_type(torch):
    # a float64 0-d threshold against a float32 tensor is compared in float32, as in PyTorch
    values = [0.1, 0.2, 0.3]
    for name in ("le", "lt", "ge", "gt", "eq"):
        out = getattr(minitorch, name)(
            minitorch.tensor(values), minitorch.tensor(0.1, dtype=minitorch.float64)
        )
        ref = getattr(torch, name)(torch.tensor(values), torch.tensor(0.1, dtype=torch.float64))
        assert out.tolist() == ref.tolist()


def test_logaddexp2_result_dtype(torch):
    out = minitorch.logaddexp2(minitorch.tensor([1, 2]), minitorch.tensor([1.0, 2.0]).half())
    ref = torch.logaddexp2(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]).half())
    assert out.dtype is minitorch.float16 and ref.dtype == torch.float16
    assert_close(out.float(), ref.float(), rtol=1e-3, atol=1e-3)


def test_mode_of_an_empty_dim_raises_index_error(torch):
    with pytest.raises(IndexError) as expected:
        torch.mode(torch.ones(2, 0), 1)
    message = str(expected.value)
    with pytest.raises(IndexError, match=r"mode\(\): Expected reduction dim 1 to have non-zero"):
        minitorch.mode(minitorch.ones(2, 0), 1)
    assert "Expected reduction dim 1 to have non-zero size" in message
    assert minitorch.mode(minitorch.ones(0, 2), 1).values.shape == (0,)


def test_python_number_conversion_of_many_elements_raises_value_error(torch):
    for lib in (torch, minitorch):
        for convert in (int, float):
            with pytest.raises(ValueError, match="only one element tensors can be converted"):
                convert(lib.ones(3))
        with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted"):
            lib.ones(3).item()
    assert int(minitorch.tensor([[7.9]])) == int(torch.tensor([[7.9]])) == 7


def test_factories_with_negative_sizes_raise_runtime_error(torch):
    calls = (
        (lambda L: L.linspace(0, 1, -1), "number of steps must be non-negative"),
        (lambda L: L.logspace(0, 1, -2), "number of steps must be non-negative"),
        (lambda L: L.eye(-1), "n must be greater or equal to 0, got -1"),
        (lambda L: L.eye(2, -3), "m must be greater or equal to 0, got -3"),
    )
    for call, text in calls:
        for lib in (torch, minitorch):
            with pytest.raises(RuntimeError, match=text):
                call(lib)
    assert minitorch.eye(2, 0).shape == torch.eye(2, 0).shape


def test_masked_select_wants_a_bool_mask(torch):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="masked_select: expected BoolTensor for mask"):
            lib.ones(3).masked_select(lib.ones(3, dtype=lib.uint8))
    out = minitorch.arange(6).view(2, 3).masked_select(minitorch.tensor([True, False, True]))
    assert out.tolist() == [0, 2, 3, 5]


INPLACE_INTEGER_CASTS = {
    # PyTorch writes a wider integer result into a narrower integer tensor (wrapping);
    # numpy's same_kind rule refused int64 into uint8
    "uint8 add_ int64": lambda L: L.tensor([250], dtype=L.uint8).add_(L.tensor([10])),
    "uint8 sub_ int64": lambda L: L.tensor([5], dtype=L.uint8).sub_(L.tensor([10])),
    "uint8 clamp_ int64": lambda L: L.tensor([1, 9], dtype=L.uint8).clamp_(L.tensor([3])),
    "uint8 out= int64": lambda L: L.add(L.tensor([300]), 1, out=L.zeros(1, dtype=L.uint8)),
}


@pytest.mark.parametrize("name", sorted(INPLACE_INTEGER_CASTS))
def test_inplace_integer_results_wrap_into_narrower_integers(torch, name):
    call = INPLACE_INTEGER_CASTS[name]
    out, expected = call(minitorch), call(torch)
    assert out.dtype is minitorch.uint8 and out.tolist() == expected.tolist()


def test_inplace_refuses_float_into_integer_and_number_into_bool(torch):
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            lib.tensor([1]).add_(1.5)
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            lib.tensor([True]).add_(lib.tensor([1]))


NEW_FUNCTIONS = {
    # PyTorch functions and methods with docstring examples that minitorch lacked
    "narrow_copy": lambda L: L.arange(9.0).view(3, 3).narrow_copy(1, 1, 2),
    "put": lambda L: L.arange(6.0).view(2, 3).put(L.tensor([0, -1, 0]), L.tensor([9.0, 8, 7])),
    "put accumulate": lambda L: (
        L.arange(6.0).view(2, 3).put(L.tensor([0, -1, 0]), L.tensor([9.0, 8, 7]), accumulate=True)
    ),
    "put_ 2-d index": lambda L: L.zeros(2, 3).put_(L.tensor([[1], [4]]), L.tensor([9.0, 8.0])),
    "addbmm": lambda L: L.addbmm(
        L.ones(2, 2), L.arange(12.0).view(3, 2, 2), L.ones(3, 2, 2), beta=0.5, alpha=2
    ),
    "addbmm_": lambda L: L.ones(2, 2).addbmm_(L.ones(3, 2, 4), L.ones(3, 4, 2)),
    "frexp mantissa": lambda L: L.frexp(L.tensor([8.0, 3.0, 0.0, -0.75, 1e-3])).mantissa,
    "frexp exponent": lambda L: L.frexp(L.tensor([8.0, 3.0, 0.0, -0.75, 1e-3])).exponent,
    "ldexp": lambda L: L.ldexp(L.tensor([1, 2]), L.tensor([3, -1])),
    "ldexp_": lambda L: L.tensor([1.0, 2.0]).ldexp_(L.tensor([3, -1])),
    "ldexp float16": lambda L: L.ldexp(L.tensor([1.0, 2.0]).half(), L.tensor([3, -1])),
    "unsafe_chunk": lambda L: L.unsafe_chunk(L.arange(5), 2)[1],
    "unsafe_split": lambda L: L.arange(5).unsafe_split(2)[2],
    "select_scatter": lambda L: L.select_scatter(L.zeros(2, 2), L.ones(2), 0, 0),
    "slice_scatter": lambda L: L.slice_scatter(L.zeros(4, 2), L.ones(2, 2), start=1, step=2),
    "diagonal_scatter": lambda L: L.diagonal_scatter(L.zeros(3, 3), L.ones(2), 1),
    "arcsin_": lambda L: L.tensor([0.5, -0.25]).arcsin_(),
    "acosh_": lambda L: L.tensor([1.5, 2.0]).acosh_(),
    "atanh_": lambda L: L.tensor([0.5, -0.25]).atanh_(),
    "arctan2_": lambda L: L.tensor([0.5, -0.25]).arctan2_(L.tensor([1.0, 2.0])),
    "addr_": lambda L: L.zeros(2, 2).addr_(L.tensor([1.0, 2]), L.tensor([3.0, 4])),
}


@pytest.mark.parametrize("name", sorted(NEW_FUNCTIONS))
def test_functions_from_the_doc_examples_match_pytorch(torch, name):
    out, expected = NEW_FUNCTIONS[name](minitorch), NEW_FUNCTIONS[name](torch)
    assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
    assert out.shape == expected.shape
    assert_close(out, expected)


def test_gradients_of_the_new_composites():
    def rand(*shape):
        return minitorch.randn(*shape, dtype=minitorch.float64, requires_grad=True)

    assert gradcheck(lambda x: minitorch.frexp(x).mantissa, (rand(5),))
    assert gradcheck(lambda x: minitorch.ldexp(x, minitorch.tensor([1, -2, 3])), (rand(3),))
    assert gradcheck(
        lambda i, a, b: minitorch.addbmm(i, a, b, beta=0.5),
        (rand(2, 1), rand(3, 2, 4), rand(3, 4, 2)),
    )
    assert gradcheck(lambda x, s: minitorch.select_scatter(x, s, 1, -1), (rand(2, 3), rand(2)))
    assert gradcheck(
        lambda x, s: minitorch.slice_scatter(x, s, 0, 1, None, 2), (rand(4, 2), rand(2, 2))
    )
    assert gradcheck(lambda x, s: minitorch.diagonal_scatter(x, s, -1), (rand(3, 3), rand(2)))
    index = minitorch.tensor([0, 5, 0])
    assert gradcheck(lambda x, s: x.put(index, s, accumulate=True), (rand(2, 3), rand(3)))


def test_new_functions_errors(torch):
    for lib in (torch, minitorch):
        with pytest.raises(IndexError, match="same number of elements"):
            lib.zeros(3).put_(lib.tensor([0]), lib.ones(2))
        with pytest.raises(RuntimeError, match="same dtype"):
            lib.zeros(3).put_(lib.tensor([0]), lib.ones(1, dtype=lib.int64))
        with pytest.raises(RuntimeError, match="expected src to have a size equal to the slice"):
            lib.select_scatter(lib.zeros(2, 2), lib.ones(3), 0, 0)
    with pytest.raises(IndexError, match="out of range: tried to access index 3"):
        minitorch.zeros(3).put_(minitorch.tensor([3]), minitorch.ones(1))


ELLIPSIS_INDICES = {
    # an int after an Ellipsis indexes a last dim (bounds were checked against the wrong dim)
    "int ... int": lambda L: (0, Ellipsis, 4),
    "int : ... int": lambda L: (0, slice(None), Ellipsis, 4),
    "int int slice ... negative int": lambda L: (-1, 0, slice(-4, None), Ellipsis, -5),
    "bool ... int": lambda L: (L.tensor([True, False]), Ellipsis, 4),
    # index arrays around an Ellipsis of no dims are adjacent for PyTorch (not for numpy)
    "array ... array": lambda L: (
        slice(None),
        slice(None),
        L.tensor([1]),
        Ellipsis,
        L.tensor([1, 2]),
    ),
    "int : array ... array": lambda L: (-1, slice(None), L.tensor([0]), Ellipsis, L.tensor([0, 3])),
    "2-d array ... array": lambda L: (
        slice(None),
        slice(None),
        L.tensor([-1]),
        Ellipsis,
        L.tensor([[1, 3], [3, 4]]),
    ),
}


@pytest.mark.parametrize("name", sorted(ELLIPSIS_INDICES))
def test_indexing_with_an_ellipsis(torch, name):
    data = np.arange(120).reshape(2, 3, 4, 5)
    out = minitorch.tensor(data)[ELLIPSIS_INDICES[name](minitorch)]
    expected = torch.tensor(data)[ELLIPSIS_INDICES[name](torch)]
    assert out.shape == expected.shape and out.tolist() == expected.tolist()
    x, tx = minitorch.tensor(data), torch.tensor(data)
    x[ELLIPSIS_INDICES[name](minitorch)] = -minitorch.arange(out.numel()).reshape(out.shape)
    tx[ELLIPSIS_INDICES[name](torch)] = -torch.arange(expected.numel()).reshape(expected.shape)
    assert x.tolist() == tx.tolist()


def test_indexing_with_an_ellipsis_gradient():
    x = minitorch.randn(2, 3, 4, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(lambda t: t[:, minitorch.tensor([1, 0]), ..., minitorch.tensor([3, 1])], (x,))
    assert gradcheck(lambda t: t[0, ..., 3], (x,))


def test_assigning_into_an_empty_slice_gives_a_zero_gradient(torch):
    grads = []
    for lib in (torch, minitorch):
        x = lib.zeros(3, requires_grad=True)
        v = lib.tensor(2.0, requires_grad=True)
        z = x * 1
        z[3:] = v * 3
        (z * z).sum().backward()
        grads.append((v.grad, x.grad))
    (tv, tx), (mv, mx) = grads
    assert mv is not None and mv.item() == tv.item() == 0.0
    assert mx.tolist() == tx.tolist()


def test_atan2_gradient_at_the_origin_is_zero(torch):
    grads = []
    for lib in (torch, minitorch):
        y = lib.tensor([0.0, 0.0, 0.5], dtype=lib.float64, requires_grad=True)
        x = lib.tensor([0.0, 1.0, -2.0], dtype=lib.float64, requires_grad=True)
        lib.atan2(y, x).sum().backward()
        grads.append((y.grad.tolist(), x.grad.tolist()))
    assert np.allclose(grads[0], grads[1])
    a = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
    b = minitorch.randn(3, dtype=minitorch.float64, requires_grad=True)
    assert gradcheck(minitorch.atan2, (a, b))


def test_integer_power_by_negative_tensor_exponents(torch):
    calls = (
        lambda L: L.tensor([-1, 1, 2, 0, -2, 3]) ** L.tensor([-3, -3, -3, -1, -2, 2]),
        lambda L: 2 ** L.tensor([-1, 2]),
        lambda L: L.tensor([2, -1], dtype=L.int32).pow(L.tensor([-1, -4])),
        lambda L: L.tensor([3, -1]).pow_(L.tensor([-1, -1])),
    )
    for call in calls:
        out, expected = call(minitorch), call(torch)
        assert _dtype_name(out.dtype) == _dtype_name(expected.dtype)
        assert out.tolist() == expected.tolist()
    for lib in (torch, minitorch):
        with pytest.raises(
            RuntimeError, match="Integers to negative integer powers are not allowed"
        ):
            lib.tensor([2]) ** -1


def test_subtracting_two_bool_tensors_raises_also_in_place(torch):
    # bool.sub_(bool): numpy's ufunc refused it with its own TypeError; the op now decides
    for lib in (torch, minitorch):
        for call in (
            lambda L: L.tensor([True]) - L.tensor([True]),
            lambda L: L.tensor([True]).sub_(L.tensor([True])),
        ):
            with pytest.raises(
                RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"
            ):
                call(lib)
