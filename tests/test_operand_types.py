"""What binary ops take besides tensors: numbers and arrays. A list, a string or None is no
operand: PyTorch's functions raise TypeError and its operators return NotImplemented, so
Python's own rules decide (``t == [1]`` is False, ``[1, 2] * torch.tensor(2)`` repeats the
list, ``t + [1]`` is a TypeError)."""

from __future__ import annotations

import numpy as np  # noqa: F401  (used by the expressions)
import pytest

import minitorch

EXPRESSIONS = [
    "t + [1, 2]",
    "[1, 2] + t",
    "t - (1, 2)",
    "1 - t",
    "t * [1, 2]",
    "[1, 2] * t",
    "[1, 2] * T.tensor(2)",
    "t / [1, 2]",
    "2 / t",
    "t ** [1, 2]",
    "t @ [1.0, 2.0]",
    "[1.0, 2.0] @ t",
    "t == [1, 2]",
    "t != [1, 2]",
    "t == None",
    "t != 'a'",
    "t < [1, 2]",
    "t >= 'a'",
    "t + None",
    "t + 'a'",
    "ti & [1]",
    "ti | None",
    "T.add(t, [1, 2])",
    "T.mul(t, (1, 2))",
    "T.maximum(t, [1, 2])",
    "T.eq(t, [1, 2])",
    "t + np.float64(2)",
    "np.float32(2) * t",
    "t * np.int64(3)",
    "t + np.array([1.0, 2.0])",
    "t == np.array([1.0, 3.0])",
    "t < np.float32(2)",
    "t + True",
    "t @ t",
    "t.clone().add_([1, 2])",
    "t.clone().mul_((1, 2))",
    "t.clone().add_(np.float64(1))",
]


def _evaluate(T, expr):
    t = T.tensor([1.0, 2.0])  # noqa: F841  (used by eval)
    ti = T.tensor([1, 2])  # noqa: F841
    try:
        value = eval(expr)
    except TypeError as e:
        return "TypeError", str(e).split(":")[0].split("(")[0] if "argument" not in str(e) else ""
    if isinstance(value, T.Tensor):
        return value.tolist(), str(value.dtype).split(".")[-1]
    return value


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # numpy's __array_wrap__ for PyTorch
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_operands_as_torch(expr, torch):
    assert _evaluate(minitorch, expr) == _evaluate(torch, expr)


def test_functions_name_the_operand_type():
    t = minitorch.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        minitorch.add(t, [1, 2])
    with pytest.raises(TypeError, match="must be Tensor, not str"):
        minitorch.lt(t, "a")


def test_operators_give_python_its_fallbacks():
    t = minitorch.tensor([1.0, 2.0])
    assert (t == [1, 2]) is False and (t != "x") is True
    assert [1, 2] * minitorch.tensor(2) == [1, 2, 1, 2]
    with pytest.raises(
        TypeError, match=r"unsupported operand type\(s\) for \+: 'Tensor' and 'list'"
    ):
        t + [1, 2]


@pytest.mark.parametrize("statement", ["t += [1, 2]", "t *= (2,)", "t -= None", "t /= 'a'"])
def test_augmented_assignment_with_a_list_raises_as_torch(statement, torch):
    for T in (torch, minitorch):
        t = T.tensor([1.0, 2.0])  # noqa: F841  (used by exec)
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for"):
            exec(statement)
