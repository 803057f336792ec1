"""Shape ops: views and copies, gradcheck/gradgradcheck in float64, the PyTorch oracle,
memory sharing of views, and the errors for bad shapes and dims."""

from __future__ import annotations

import numpy as np
import pytest
from opcheck import Case, cases, check_against_torch, check_gradients

import minitorch


def pad(m, x, widths, value=0.0):
    """``torch.nn.functional.pad`` (minitorch also exports it as ``minitorch.pad``)."""
    fn = m.nn.functional.pad if hasattr(m, "nn") and hasattr(m.nn, "functional") else m.pad
    return fn(x, widths, value=value)


SHAPE = {
    "reshape": Case(lambda m, a: a.reshape(3, -1), [(2, 3)]),
    "reshape_fn_tuple": Case(lambda m, a: m.reshape(a, (6,)), [(2, 3)]),
    "reshape_0d": Case(lambda m, a: a.reshape(1, 1), [()]),
    "reshape_to_0d": Case(lambda m, a: a.reshape(()), [(1, 1)]),
    "reshape_transposed": Case(lambda m, a: a.T.reshape(-1), [(2, 3)]),
    "view": Case(lambda m, a: a.view(2, 1, 3), [(6,)]),
    "view_as": Case(lambda m, a, b: a.view_as(b), [(2, 3), (3, 2)]),
    "flatten": Case(lambda m, a: a.flatten(), [(2, 3, 2)]),
    "flatten_range": Case(lambda m, a: m.flatten(a, 1, 2), [(2, 3, 2, 1)]),
    "flatten_0d": Case(lambda m, a: a.flatten(), [()]),
    "unflatten": Case(lambda m, a: a.unflatten(1, (2, 3)), [(2, 6)]),
    "squeeze_all": Case(lambda m, a: a.squeeze(), [(1, 3, 1)]),
    "squeeze_dim": Case(lambda m, a: a.squeeze(-1), [(1, 3, 1)]),
    "squeeze_dims": Case(lambda m, a: m.squeeze(a, (0, 1)), [(1, 3, 1)]),
    "squeeze_non1_dim": Case(lambda m, a: a.squeeze(1), [(1, 3, 1)]),
    "unsqueeze": Case(lambda m, a: a.unsqueeze(1), [(2, 3)]),
    "unsqueeze_neg": Case(lambda m, a: m.unsqueeze(a, -1), [(2, 3)]),
    "unsqueeze_0d": Case(lambda m, a: a.unsqueeze(0), [()]),
    "transpose": Case(lambda m, a: a.transpose(0, 2), [(2, 3, 2)]),
    "transpose_neg": Case(lambda m, a: m.transpose(a, -1, -2) * 2, [(2, 3)]),
    "swapaxes": Case(lambda m, a: m.swapaxes(a, 0, 1), [(2, 3)]),
    "permute": Case(lambda m, a: a.permute(2, 0, 1), [(2, 3, 2)]),
    "permute_tuple_neg": Case(lambda m, a: m.permute(a, (-1, 0, 1)), [(2, 3, 2)]),
    "T": Case(lambda m, a: a.T, [(2, 3)]),
    "mT": Case(lambda m, a: a.mT, [(2, 3, 2)]),
    "t": Case(lambda m, a: a.t(), [(2, 3)]),
    "movedim": Case(lambda m, a: m.movedim(a, 0, -1), [(2, 3, 2)]),
    "expand": Case(lambda m, a: a.expand(2, 3, -1), [(3, 1)]),
    "expand_0d": Case(lambda m, a: a.expand(2, 2), [()]),
    "expand_as": Case(lambda m, a, b: a.expand_as(b) * b, [(1, 3), (2, 3)]),
    "broadcast_to": Case(lambda m, a: m.broadcast_to(a, (2, 2, 3)), [(2, 1, 3)]),
    "broadcast_tensors": Case(lambda m, a, b: m.broadcast_tensors(a, b), [(2, 1), (3,)]),
    "repeat": Case(lambda m, a: a.repeat(2, 3), [(2, 3)]),
    "repeat_new_dims": Case(lambda m, a: a.repeat(2, 1, 2), [(3,)]),
    "contiguous": Case(lambda m, a: a.T.contiguous(), [(2, 3)]),
    "cat": Case(lambda m, a, b: m.cat([a, b, a]), [(2, 3), (1, 3)]),
    "cat_neg_dim": Case(lambda m, a, b: m.cat((a, b), dim=-1), [(2, 3), (2, 1)]),
    "cat_empty_1d": Case(lambda m, a: m.cat([a, m.zeros(0, dtype=a.dtype)]), [(2, 3)]),
    "concat": Case(lambda m, a, b: m.concat([a, b], 1), [(2, 3), (2, 2)]),
    "stack": Case(lambda m, a, b: m.stack([a, b]), [(2, 3), (2, 3)]),
    "stack_last": Case(lambda m, a, b: m.stack((a, b), dim=-1), [(2, 3), (2, 3)]),
    "stack_0d": Case(lambda m, a, b: m.stack([a, b]), [(), ()]),
    "hstack": Case(lambda m, a, b: m.hstack([a, b]), [(2, 3), (2, 1)]),
    "vstack": Case(lambda m, a, b: m.vstack([a, b]), [(3,), (2, 3)]),
    "split_size": Case(lambda m, a: a.split(2), [(5, 2)]),
    "split_sections": Case(lambda m, a: m.split(a, [1, 3], dim=1), [(2, 4)]),
    "split_one_used": Case(lambda m, a: a.split(2)[1] * 3, [(5, 2)]),
    "chunk": Case(lambda m, a: a.chunk(3, 1), [(2, 5)]),
    "chunk_fn": Case(lambda m, a: m.chunk(a, 2), [(4,)]),
    "unbind": Case(lambda m, a: a.unbind(1), [(2, 3)]),
    "narrow": Case(lambda m, a: a.narrow(1, 1, 2), [(2, 4)]),
    "select": Case(lambda m, a: a.select(0, -1), [(2, 4)]),
    "tril": Case(lambda m, a: a.tril(), [(3, 4)]),
    "tril_diag": Case(lambda m, a: m.tril(a, -1), [(2, 3, 3)]),
    "triu": Case(lambda m, a: a.triu(1), [(3, 4)]),
    "triu_neg_diag": Case(lambda m, a: m.triu(a, diagonal=-1), [(4, 3)]),
    "pad_last": Case(lambda m, a: pad(m, a, (1, 2)), [(2, 3)]),
    "pad_two_dims": Case(lambda m, a: pad(m, a, (0, 1, 2, 0), value=1.5), [(2, 3)]),
    "pad_negative": Case(lambda m, a: pad(m, a, (-1, 1, 1, -1)), [(2, 3)]),
    "flip": Case(lambda m, a: a.flip(0), [(2, 3)]),
    "flip_dims": Case(lambda m, a: m.flip(a, (0, -1)), [(2, 3, 2)]),
    "flip_varargs": Case(lambda m, a: a.flip(0, 1), [(2, 3)]),
    "flip_none": Case(lambda m, a: a.flip([]), [(2, 3)]),
    "narrow_negative_start": Case(lambda m, a: a.narrow(1, -2, 2), [(2, 3)]),
    "tile": Case(lambda m, a: a.tile(2), [(2, 3)]),
    "tile_more_dims": Case(lambda m, a: m.tile(a, (2, 1, 1)), [(2, 3)]),
    "swapdims": Case(lambda m, a: a.swapdims(0, 1), [(2, 3)]),
    "view_chain": Case(lambda m, a: a.T.unsqueeze(0).expand(2, 3, 2).flatten(1).sum(0), [(2, 3)]),
}


@pytest.mark.parametrize("case", cases(SHAPE, finite_differences=True))
def test_gradcheck(case):
    check_gradients(case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", cases(SHAPE))
def test_matches_torch(case, dtype, torch):
    check_against_torch(case, torch, dtype)


@pytest.mark.parametrize(
    "make_view",
    [
        lambda x: x.view(3, 2),
        lambda x: x.reshape(6),
        lambda x: x.T,
        lambda x: x.permute(1, 0),
        lambda x: x.unsqueeze(0),
        lambda x: x[0],
        lambda x: x[:, 1:],
        lambda x: x.narrow(1, 0, 2),
        lambda x: x.split(1)[1],
        lambda x: x.expand(4, 2, 3),
        lambda x: x.detach(),
        lambda x: x.flatten(),
        lambda x: x.squeeze(),
    ],
)
def test_views_share_memory_and_version(make_view):
    x = minitorch.zeros(2, 3)
    v = make_view(x)
    with minitorch.no_grad():
        x.add_(1)
    assert v.numpy().min() == 1.0
    assert v._version == x._version == 1


def test_contiguous_returns_self_when_contiguous_and_copies_otherwise():
    x = minitorch.ones(2, 3)
    assert x.contiguous() is x
    t = x.T
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and c.shape == (3, 2)
    assert c.stride() == (2, 1)


def test_view_of_non_contiguous_raises():
    with pytest.raises(RuntimeError, match=r"view size is not compatible .* Use \.reshape"):
        minitorch.ones(2, 3).T.view(6)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.transpose(0, 3),
        lambda x: x.permute(0, 5, 1),
        lambda x: x.squeeze(4),
        lambda x: x.unsqueeze(4),
        lambda x: x.flatten(0, 3),
        lambda x: x.flip(3),
        lambda x: minitorch.cat([x, x], 3),
        lambda x: minitorch.stack([x, x], -5),
        lambda x: x.split(1, dim=-4),
        lambda x: x.select(3, 0),
        lambda x: x.movedim(0, 3),
    ],
)
def test_bad_dim_raises_index_error(call):
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of"):
        call(minitorch.ones(2, 3, 1))


@pytest.mark.parametrize(
    "call, text",
    [
        (lambda x: x.reshape(4, 2), r"shape '\[4, 2\]' is invalid for input of size 6"),
        (lambda x: x.view(-1, -1), "only one dimension can be inferred"),
        (lambda x: x.reshape(4, -1), r"shape '\[4, -1\]' is invalid for input of size 6"),
        (
            lambda x: x.expand(3, 3),
            r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0",
        ),
        (
            lambda x: x.expand(3),
            r"expand\(torch.FloatTensor\{\[2, 3\]\}, size=\[3\]\): the number of sizes provided \(1\)",
        ),
        (lambda x: x.permute(1, 0, 2), "number of dimensions in the tensor input does not match"),
        (lambda x: x.permute(0, 0), "duplicate dims"),
        (lambda x: x.repeat(2), "Number of dimensions of repeat dims can not be smaller"),
        (
            lambda x: minitorch.cat([x, minitorch.ones(2, 2, 1)], 1),
            "Tensors must have same number of dimensions: got 2 and 3",  # PyTorch's text
        ),
        (
            lambda x: minitorch.cat([x, minitorch.ones(3, 2)]),
            r"Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list",
        ),
        (
            lambda x: minitorch.stack([x, x.T]),
            r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3, 2\] at entry 1",
        ),
        (lambda x: x.split([1, 2]), "split_with_sizes expects split_sizes to sum exactly to 2"),
        (lambda x: x.flatten(1, 0), "start_dim cannot come after end_dim"),
        (
            lambda x: x.t().t().unsqueeze(0).t(),
            r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D",
        ),
        (
            lambda x: minitorch.ones(3).mT,
            "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor",
        ),
        (lambda x: minitorch.pad(x, (1,)), "Padding length must be divisible by 2"),
        (
            lambda x: x.expand(-1, 2, 3),
            r"expanded size of the tensor \(-1\) isn't allowed in a leading, non-existing dimension 0",
        ),
        (
            lambda x: x.split(0),
            r"split_size can only be 0 if dimension size is 0, but got dimension size of 2",
        ),
        (
            lambda x: minitorch.cat([x[0, 0], x[0, 0]]),
            r"zero-dimensional tensor \(at position 0\) cannot be concatenated",
        ),
        (
            lambda x: x[0].tril(),
            r"tril: input tensor must have at least 2 dimensions \(got shape \[3\]\)",
        ),
        (lambda x: minitorch.triu(x[0, 0]), "triu: input tensor must have at least 2 dimensions"),
        (lambda x: x.narrow(1, 2, 2), r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)"),
        (lambda x: x.chunk(0), "chunk expects `chunks` to be greater than 0, got: 0"),
        (
            lambda x: x.view(minitorch.float64),
            r"to view Float as Double \(different element sizes\)",
        ),
    ],
)
def test_shape_errors(call, text):
    with pytest.raises(RuntimeError, match=text):
        call(minitorch.ones(2, 3))


def test_cat_promotes_dtypes_like_torch(torch):
    parts = [np.ones((1, 2), np.int64), np.ones((1, 2), np.float32), np.zeros((1, 2), bool)]
    out = minitorch.cat([minitorch.tensor(p) for p in parts])
    expected = torch.cat([torch.tensor(p) for p in parts])
    assert str(out.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    assert out.tolist() == expected.tolist()


def test_view_dtype_reinterprets_bits_like_torch(torch):
    x = np.array([1.0, -2.0], np.float32)
    out = minitorch.tensor(x).view(minitorch.int32)
    assert out.tolist() == torch.tensor(x).view(torch.int32).tolist()
    assert out.dtype is minitorch.int32


def test_new_factories_take_dtype_and_device_of_self(torch):
    x = minitorch.ones(2, dtype=minitorch.float64)
    assert x.new_zeros(2, 3).dtype is minitorch.float64
    assert x.new_ones((1,)).tolist() == [1.0]
    assert x.new_full((2,), 3).tolist() == [3.0, 3.0]
    assert x.new_empty(4).shape == (4,)
    out = x.new_tensor([1, 2])
    assert out.dtype is minitorch.float64 and out.tolist() == [1.0, 2.0]
    assert x.new_zeros(2, dtype=minitorch.int64).dtype is minitorch.int64


def test_cat_of_nothing_is_a_value_error(torch):
    for lib in (minitorch, torch):
        with pytest.raises(
            ValueError, match=r"torch.cat\(\): expected a non-empty list of Tensors"
        ):
            lib.cat([])
