"""minitorch.bfloat16: a real dtype (numpy's bfloat16 from ml_dtypes), CPU autocast's
default dtype."""

from __future__ import annotations

import pytest

import minitorch


def test_the_dtype_exists_and_describes_itself(torch):
    bf = minitorch.bfloat16
    assert repr(bf) == "minitorch.bfloat16"
    assert (bf.is_floating_point, bf.is_signed, bf.itemsize) == (True, True, 2)
    mine, theirs = minitorch.finfo(bf), torch.finfo(torch.bfloat16)
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(mine, field) == getattr(theirs, field), field
    assert repr(mine) == repr(theirs).replace("torch.", "")
    assert minitorch.cuda.is_bf16_supported() is False


@pytest.mark.parametrize(
    "a, b", [("bfloat16", "float16"), ("bfloat16", "float32"), ("bfloat16", "int64")]
)
def test_promotion_matches_pytorch(torch, a, b):
    mine = minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b))
    assert mine.name == str(torch.promote_types(getattr(torch, a), getattr(torch, b)))[6:]


@pytest.mark.parametrize(
    "make",
    [
        lambda: minitorch.zeros(3, dtype=minitorch.bfloat16),
        lambda: minitorch.tensor([1.0], dtype=minitorch.bfloat16),
        lambda: minitorch.ones(2).to(minitorch.bfloat16),
        lambda: minitorch.ones(2).bfloat16(),
        lambda: minitorch.ones(2).type(minitorch.bfloat16),
        lambda: minitorch.nn.Linear(2, 2).bfloat16().weight,
    ],
)
def test_every_way_of_making_a_bfloat16_tensor_makes_one(make):
    assert make().dtype is minitorch.bfloat16


def test_cpu_autocast_runs_in_bfloat16_by_default():
    x = minitorch.randn(2, 3)
    assert minitorch.get_autocast_dtype("cpu") is minitorch.bfloat16
    with minitorch.autocast("cpu"):
        y = x @ x.T
    with minitorch.autocast("cpu", dtype=minitorch.bfloat16):
        z = x @ x.T
    assert y.dtype is z.dtype is minitorch.bfloat16
