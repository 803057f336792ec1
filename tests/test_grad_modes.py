"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode (contexts, decorators,
nesting, exceptions, threads)."""

from __future__ import annotations

import threading

import pytest
from sweep_harness import Sweep

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


# ---- inference tensors, against PyTorch ----------------------------------------------------
INFERENCE = Sweep()


@INFERENCE.program
def made_inside_are_inference_tensors_but_views_of_others_are_not(torch):
    base = torch.ones(3)
    with torch.inference_mode():
        a = torch.ones(3)
        made = (a, a * 2, base + 1, torch.zeros_like(base), base.clone())
        views = (base.view(3), base[1:], base.t())
        with torch.inference_mode(False):
            normal = torch.ones(2)
        with torch.no_grad():
            still = torch.ones(2)
    return (
        [t.is_inference() for t in made],
        [t.is_inference() for t in views],
        normal.is_inference(),
        still.is_inference(),
        base.is_inference(),
    )


@INFERENCE.program
def outside_views_and_detach_stay_inference_clones_and_results_do_not(torch):
    with torch.inference_mode():
        a = torch.arange(6.0).reshape(2, 3)
    outs = (a.view(6), a[0], a.detach(), a.t(), a.clone(), a + 1, a.exp(), torch.ones_like(a))
    return [t.is_inference() for t in outs], torch.is_inference(a), (a * 2).tolist()


@INFERENCE.program
def in_place_inside_inference_mode_is_allowed(torch):
    base = torch.ones(3)
    with torch.inference_mode():
        a = torch.ones(3)
        a.add_(1)
        a[0] = 5.0
        base.view(3).mul_(2)  # a normal tensor: its version counter moves
    return a, a.is_inference(), base, base._version


@INFERENCE.program
def a_model_evaluated_in_inference_mode(torch):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    x = torch.randn(5, 4)
    with torch.inference_mode():
        y = net(x)
    return y, y.is_inference(), y.requires_grad, net[0].weight.is_inference()


@INFERENCE.program
def a_decorated_function_makes_inference_tensors(torch):
    @torch.inference_mode()
    def predict(x):
        return x * 2

    return predict(torch.ones(2)).is_inference(), torch.ones(1).is_inference()


@INFERENCE.program(raises=r"Inference tensors cannot be saved for backward\. Please do not use")
def saving_an_inference_tensor_for_backward(torch):
    with torch.inference_mode():
        features = torch.ones(2, 3)
    w = torch.ones(3, requires_grad=True)
    return (features * w).sum()


@INFERENCE.program
def an_inference_tensor_added_to_a_graph_is_not_saved(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    w = torch.ones(3, requires_grad=True)
    (a + w).sum().backward()
    return w.grad


@INFERENCE.program(raises=r"Inference tensors cannot be saved for backward")
def features_from_inference_mode_into_a_trained_head(torch):
    torch.manual_seed(0)
    backbone, head = torch.nn.Linear(4, 3), torch.nn.Linear(3, 2)
    x = torch.randn(5, 4, requires_grad=True)
    with torch.inference_mode():
        features = backbone(x)
    return head(features * x[:, :3]).sum()


@INFERENCE.program
def a_clone_of_an_inference_tensor_trains(torch):
    with torch.inference_mode():
        features = torch.ones(2, 3)
    w = torch.ones(3, requires_grad=True)
    (features.clone() * w).sum().backward()
    return w.grad


@INFERENCE.program(
    raises=r"Inplace update to inference tensor outside InferenceMode is not allowed"
)
def add_in_place_outside(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    a.add_(1)


@INFERENCE.program(
    raises=r"Inplace update to inference tensor outside InferenceMode is not allowed"
)
def setitem_outside(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    a[0] = 2.0


@INFERENCE.program(
    raises=r"Inplace update to inference tensor outside InferenceMode is not allowed"
)
def zero_and_copy_outside(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    a.view(3).zero_()


@INFERENCE.program(raises=r"Inference tensors do not track version counter\.")
def version_of_an_inference_tensor(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    return a._version


@INFERENCE.program(raises=r"Setting requires_grad=True on inference tensor outside InferenceMode")
def requires_grad_outside(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    a.requires_grad_()


@INFERENCE.program(raises=r"Setting requires_grad=True on inference tensor outside InferenceMode")
def parameter_of_an_inference_tensor(torch):
    with torch.inference_mode():
        a = torch.ones(3)
    return torch.nn.Parameter(a)


@pytest.mark.parametrize("name", INFERENCE.programs)
def test_inference_tensors_match_pytorch(name, torch):
    INFERENCE.check(name, torch)


def test_inference_mode_counts_the_threads_inside():
    """Tensor creation looks at the thread-local mode only while some thread is inside."""
    from minitorch._grad_state import inference_threads

    assert inference_threads[0] == 0
    with minitorch.inference_mode():
        assert inference_threads[0] == 1
        with minitorch.inference_mode(False):
            assert inference_threads[0] == 1 and not minitorch.ones(1).is_inference()
        with pytest.raises(ValueError):
            with minitorch.inference_mode():
                assert inference_threads[0] == 2
                raise ValueError
        assert inference_threads[0] == 1
    assert inference_threads[0] == 0
