"""Anomaly mode: forward stacks on nodes, nan/inf in backward raise naming the node with the
stack of the forward call, set_detect_anomaly, and no cost (no observer) when off."""

from __future__ import annotations

import warnings

import pytest

import minitorch
from minitorch.autograd import detect_anomaly, observers, set_detect_anomaly
from minitorch.autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Anomaly Detection has been enabled")
        yield


def _sqrt_of_negative():
    x = minitorch.tensor([-1.0, 4.0], requires_grad=True)
    return x.sqrt().sum()  # FORWARD-LINE


def test_nan_in_backward_names_node_and_forward_stack(torch):
    with detect_anomaly():
        y = _sqrt_of_negative()
        with pytest.raises(RuntimeError) as info:
            y.backward()
    message = str(info.value)
    first = message.splitlines()[0]
    assert first == "Function 'SqrtBackward0' returned nan values in its 0th output."
    assert "_sqrt_of_negative" in message and "# FORWARD-LINE" in message
    assert "test_anomaly.py" in message
    # PyTorch's message for the same program
    tx = torch.tensor([-1.0, 4.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            with pytest.raises(RuntimeError) as tinfo:
                tx.sqrt().sum().backward()
    assert str(tinfo.value) == first


def test_inf_in_backward_raises_too():
    x = minitorch.tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        y = (x.sqrt() * 3.0).sum()
        with pytest.raises(
            RuntimeError, match="Function 'SqrtBackward0' returned inf values in its 0th output"
        ):
            y.backward()


def test_check_nan_false_and_off_do_not_raise():
    with detect_anomaly(check_nan=False):
        y = _sqrt_of_negative()
        assert y.grad_fn.next_functions[0][0]._stack is not None  # stacks are still recorded
        y.backward()
    y = _sqrt_of_negative()
    assert y.grad_fn._stack is None  # off: nothing recorded
    y.backward()


def test_node_created_before_anomaly_mode():
    y = _sqrt_of_negative()
    with detect_anomaly():  # as PyTorch: the warning says so, the message is the bare one
        with pytest.warns(UserWarning, match="No forward pass information available"):
            with pytest.raises(RuntimeError, match=r"returned nan values in its 0th output\.$"):
                y.backward()


def test_error_in_backward_warns_with_forward_stack():
    class Broken(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("broken backward")

    x = minitorch.ones(2, requires_grad=True)
    with detect_anomaly():
        y = Broken.apply(x).sum()
        with pytest.warns(UserWarning, match="Error detected in BrokenBackward") as record:
            with pytest.raises(ValueError, match="broken backward"):
                y.backward()
    assert "y = Broken.apply(x).sum()" in str(record[0].message)


def test_set_detect_anomaly_and_decorator():
    assert not is_anomaly_enabled() and not observers.active
    set_detect_anomaly(True)
    try:
        assert is_anomaly_enabled() and is_anomaly_check_nan_enabled() and observers.active
    finally:
        set_detect_anomaly(False)
    assert not is_anomaly_enabled() and not observers.active
    with set_detect_anomaly(True, check_nan=False):
        assert is_anomaly_enabled() and not is_anomaly_check_nan_enabled()
    assert not is_anomaly_enabled()

    @detect_anomaly()
    def run():
        assert is_anomaly_enabled()
        _sqrt_of_negative().backward()

    with pytest.raises(RuntimeError, match="returned nan values"):
        run()
    assert not is_anomaly_enabled() and not observers.active


def test_detect_anomaly_warns_like_pytorch():
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        detect_anomaly()


def test_anomaly_mode_leaves_gradients_unchanged():
    x = minitorch.randn(5, requires_grad=True)
    (x.tanh() * x).sum().backward()
    want = x.grad.numpy().copy()
    x.grad = None
    with detect_anomaly():
        (x.tanh() * x).sum().backward()
    assert (x.grad.numpy() == want).all()
