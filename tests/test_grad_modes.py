"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode (contexts, decorators,
nesting, exceptions, threads)."""

from __future__ import annotations

import threading

import pytest

import minitorch
from minitorch import autograd


def records() -> bool:
    """Whether an op on a tensor that requires grad is recorded right now."""
    return (minitorch.ones(1, requires_grad=True) * 2).requires_grad


def test_no_grad_context():
    assert records()
    with minitorch.no_grad():
        assert not minitorch.is_grad_enabled() and not records()
    assert minitorch.is_grad_enabled() and records()


def test_no_grad_decorator_with_and_without_parentheses():
    @minitorch.no_grad()
    def called(x):
        return x * 2

    @minitorch.no_grad
    def bare(x):
        """doc"""
        return x * 2

    x = minitorch.ones(2, requires_grad=True)
    assert not called(x).requires_grad and not bare(x).requires_grad
    assert bare.__name__ == "bare" and bare.__doc__ == "doc"
    assert records()


def test_enable_grad_inside_no_grad():
    with minitorch.no_grad():
        with minitorch.enable_grad():
            assert records()
        assert not records()

        @minitorch.enable_grad
        def inner():
            return records()

        assert inner() and not records()


def test_set_grad_enabled_as_function_context_and_decorator():
    minitorch.set_grad_enabled(False)
    try:
        assert not records()
    finally:
        minitorch.set_grad_enabled(True)
    with minitorch.set_grad_enabled(False):
        assert not records()
    assert records()  # the context restores the mode it found (regression)
    with minitorch.no_grad():
        with minitorch.set_grad_enabled(True):
            assert records()
        assert not records()

    @minitorch.set_grad_enabled(False)
    def f():
        return records()

    assert records()  # decorating does not change the mode
    assert not f() and records()


def test_modes_restore_after_exception():
    with pytest.raises(ValueError):
        with minitorch.no_grad():
            raise ValueError
    assert records()
    with pytest.raises(ValueError):
        with minitorch.set_grad_enabled(False):
            raise ValueError
    assert records()


def test_inference_mode():
    x = minitorch.ones(2, requires_grad=True)
    with minitorch.inference_mode():
        assert minitorch.is_inference_mode_enabled() and not minitorch.is_grad_enabled()
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert not minitorch.is_inference_mode_enabled() and minitorch.is_grad_enabled()
    with minitorch.inference_mode(False):
        assert records() and not minitorch.is_inference_mode_enabled()

    @minitorch.inference_mode
    def bare():
        return minitorch.is_inference_mode_enabled(), records()

    @minitorch.inference_mode()
    def called():
        return records()

    assert bare() == (True, False) and called() is False


def test_modes_are_exported_from_autograd_too():
    assert autograd.no_grad is minitorch.no_grad
    assert autograd.enable_grad is minitorch.enable_grad
    assert autograd.set_grad_enabled is minitorch.set_grad_enabled
    assert autograd.inference_mode is minitorch.inference_mode


def test_grad_mode_is_thread_local():
    seen = []

    def worker():
        seen.append(records())

    with minitorch.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert not records()
    assert seen == [True]


def test_backward_inside_no_grad_still_computes_grads():
    x = minitorch.ones(2, requires_grad=True)
    y = (x * 3).sum()
    with minitorch.no_grad():
        y.backward()
    assert x.grad.tolist() == [3.0, 3.0]
