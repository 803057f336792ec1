"""inf and NaN come silently, as in PyTorch, whatever warnings filters the program set;
numpy code outside minitorch keeps numpy's own warnings."""

import math
import warnings

import numpy as np
import pytest

import minitorch as torch
from minitorch._numpy_warnings import FILTER, filter_first


def _results():
    x = torch.tensor([0.0, -1.0, 1e30, 2.0])
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.Adam([p])
    p.grad = torch.tensor([1e30, float("inf")])
    opt.step()
    a = torch.tensor([0.0, 1.0], requires_grad=True)
    a.log().sum().backward()
    return {
        "log": torch.log(x),
        "div": x / 0,
        "rdiv": 1 / x,
        "sqrt": x.sqrt(),
        "overflow": x * 1e30,
        "inplace_overflow": x.clone().mul_(1e30),
        "exp": torch.exp(x * 100),
        "empty_mean": torch.tensor([]).mean(),
        "empty_rows_mean": torch.zeros(2, 0).mean(1),
        "softmax_all_inf": torch.softmax(torch.tensor([-math.inf, -math.inf]), 0),
        "log_grad": a.grad,
        "adam": p.detach(),
    }


def _check(r):
    assert r["log"].tolist()[0] == -math.inf and math.isnan(r["log"].tolist()[1])
    assert r["div"].tolist()[1:] == [-math.inf, math.inf, math.inf]
    assert r["rdiv"].tolist()[:2] == [math.inf, -1.0]
    assert math.isnan(r["sqrt"].tolist()[1])
    assert r["overflow"].tolist()[2] == math.inf
    assert r["inplace_overflow"].tolist()[2] == math.inf
    assert r["exp"].tolist()[2] == math.inf
    assert math.isnan(r["empty_mean"].item())
    assert r["empty_rows_mean"].shape == (2,) and r["empty_rows_mean"].isnan().all()
    assert r["softmax_all_inf"].isnan().all()
    assert r["log_grad"].tolist() == [math.inf, 1.0]
    assert math.isnan(r["adam"].tolist()[1])


@pytest.mark.parametrize("action", ["error", "always", "default"])
def test_no_numpy_warnings_under_the_programs_own_filters(action):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter(action)
        results = _results()
    assert [str(w.message) for w in seen] == []
    _check(results)


def test_no_numpy_warnings_with_minitorchs_filter_first():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # behind minitorch's filter: as in a plain script
        warnings.filters.insert(0, FILTER)  # minitorch's own filter object, as at import
        getattr(warnings, "_filters_mutated", lambda: None)()
        assert filter_first()  # ops then skip numpy's error state
        results = _results()
    assert [str(w.message) for w in seen] == []
    _check(results)


def test_with_no_filters_at_all():
    with warnings.catch_warnings(record=True) as seen:
        warnings.resetwarnings()
        results = _results()
    assert [str(w.message) for w in seen if "encountered" in str(w.message)] == []
    _check(results)


def test_numpy_outside_minitorch_still_warns():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        np.log(np.zeros(1))
    assert [str(w.message) for w in seen] == ["divide by zero encountered in log"]
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        np.ones(1) / np.zeros(1)


def test_errors_still_raise_under_error_filter():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            torch.tensor([1, 2]) // 0
        with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
            torch.tensor([1.0]).std()
