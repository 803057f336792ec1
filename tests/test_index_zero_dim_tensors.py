"""A 0-d integer tensor in an index acts as the int it holds, as in PyTorch: the result is a
view (in-place changes reach the indexed tensor) with the int's shape; a 0-d uint8 tensor stays
a (deprecated) mask."""

from __future__ import annotations

import warnings

import pytest

import minitorch

INDEXES = {
    "alone": lambda T, i: (i,),
    "with_slice": lambda T, i: (i, slice(1, 3)),
    "with_list": lambda T, i: (i, [0, 1]),
    "second": lambda T, i: (slice(None), i),
    "twice": lambda T, i: (i, i),
    "after_ellipsis": lambda T, i: (Ellipsis, i),
    "after_none": lambda T, i: (None, i),
    "int8": lambda T, i: (T.tensor(1, dtype=T.int8),),
    "int32": lambda T, i: (T.tensor(1, dtype=T.int32),),
    "uint8_mask": lambda T, i: (T.tensor(1, dtype=T.uint8),),
}


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_zero_dim_index_as_torch(name, torch):
    def run(T):
        x = T.arange(12.0).view(3, 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the uint8 mask's deprecation
            y = x[INDEXES[name](T, T.tensor(1))]
        y.add_(100)
        return tuple(y.shape), x.tolist()

    assert run(minitorch) == run(torch)


def test_zero_dim_index_backward_and_bounds():
    x = minitorch.randn(3, 4, requires_grad=True)
    y = x[minitorch.tensor(2)]
    assert y.grad_fn.name() == "SelectBackward0"
    y.sum().backward()
    assert x.grad[2].tolist() == [1.0] * 4 and x.grad[:2].abs().sum().item() == 0
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        minitorch.arange(3)[minitorch.tensor(5)]
