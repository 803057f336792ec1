"""Functions PyTorch removed (torch.solve, symeig, eig, lstsq) raise its messages, and the
warnings of the legacy API (Variable(volatile=), a list of numpy arrays) are PyTorch's."""

import warnings

import numpy as np
import pytest

import minitorch
from minitorch import _warn_once


@pytest.mark.parametrize("name", ["solve", "symeig", "eig", "lstsq"])
def test_removed_functions_raise_pytorchs_message(torch, name):
    args = (torch.eye(2), torch.eye(2)) if name in ("solve", "lstsq") else (torch.eye(2),)
    with pytest.raises(RuntimeError) as expected:
        getattr(torch, name)(*args)
    margs = (minitorch.eye(2),) * len(args)
    for call in (getattr(minitorch, name), getattr(minitorch.Tensor, name)):
        with pytest.raises(RuntimeError) as got:
            call(*margs)
        assert str(got.value) == str(expected.value)


def test_volatile_variable_warns(torch):
    with pytest.warns(UserWarning) as expected:
        torch.autograd.Variable(torch.ones(2), volatile=True)
    with pytest.warns(UserWarning) as got:
        v = minitorch.autograd.Variable(minitorch.ones(2), volatile=True)
    assert [str(w.message) for w in got] == [str(w.message) for w in expected]
    assert not v.requires_grad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.autograd.Variable(minitorch.ones(2))


def test_list_of_numpy_arrays_warns_once():
    message = (
        "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider "
        "converting the list to a single numpy.ndarray with numpy.array() before converting to "
        "a tensor."
    )
    _warn_once._given.discard(message)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        a = minitorch.tensor([np.ones(2), np.zeros(2)])
        minitorch.tensor([np.ones(2)])
        minitorch.tensor([1.0, 2.0])
    assert [str(w.message) for w in seen] == [message]
    assert seen[0].filename == __file__
    assert a.tolist() == [[1.0, 1.0], [0.0, 0.0]] and a.dtype == minitorch.float64
