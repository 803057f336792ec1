"""The PyTorch oracle for nn layers and losses, shared by tests/test_nn_*.py.

A layer is built by one ``make(nn)`` function, called with ``minitorch.nn`` and ``torch.nn``;
PyTorch's randomly initialised state_dict is loaded into the minitorch layer as numpy arrays;
both run the same inputs; outputs, and gradients of every floating input and every
parameter, must agree (and float32 must stay float32).
"""

from __future__ import annotations

import numpy as np

import minitorch

TOL32 = dict(rtol=2e-5, atol=2e-6)


def load_torch_state(module, torch_module) -> None:
    """Copies PyTorch's state_dict into ``module``, as numpy arrays, strictly."""
    state = {k: v.detach().numpy() for k, v in torch_module.state_dict().items()}
    result = module.load_state_dict(state)
    assert not result.missing_keys and not result.unexpected_keys


def _pair(torch, x: np.ndarray, requires_grad: bool):
    grad = requires_grad and x.dtype.kind == "f"
    return (
        minitorch.tensor(x, requires_grad=grad),
        torch.tensor(x, requires_grad=grad),
    )


def _close(actual, expected, tol: dict, what: str) -> None:
    a = actual.detach().numpy()
    e = expected.detach().numpy()
    assert a.shape == e.shape, f"{what}: shape {a.shape} != PyTorch's {e.shape}"
    assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != PyTorch's {e.dtype}"
    np.testing.assert_allclose(a, e, err_msg=what, **tol)


def compare_module(torch, make, *inputs: np.ndarray, tol: dict = TOL32, grad_inputs=True):
    """Runs ``make(minitorch.nn)`` and ``make(torch.nn)`` (with PyTorch's weights loaded)
    on ``inputs`` and checks outputs and all gradients. Returns the minitorch module."""
    torch_module = make(torch.nn)
    module = make(minitorch.nn)
    load_torch_state(module, torch_module)
    pairs = [_pair(torch, x, grad_inputs) for x in inputs]
    out = module(*[m for m, _ in pairs])
    expected = torch_module(*[t for _, t in pairs])
    _close(out, expected, tol, "output")
    if not expected.requires_grad:
        return module
    seed = np.random.default_rng(1).standard_normal(expected.shape).astype(inputs[0].dtype)
    if not np.issubdtype(seed.dtype, np.floating):
        seed = seed.astype(np.float32)
    out.backward(minitorch.tensor(seed))
    expected.backward(torch.tensor(seed))
    for i, (m, t) in enumerate(pairs):
        if t.requires_grad:
            _close(m.grad, t.grad, tol, f"gradient of input {i}")
    torch_params = dict(torch_module.named_parameters())
    names = [name for name, _ in module.named_parameters()]
    assert names == list(torch_params), "parameter names/order differ from PyTorch's"
    for name, p in module.named_parameters():
        if torch_params[name].grad is None:
            assert p.grad is None, f"{name} got a gradient PyTorch does not give"
        else:
            _close(p.grad, torch_params[name].grad, tol, f"gradient of {name}")
    return module


def compare_fn(torch, fn, *inputs: np.ndarray, tol: dict = TOL32, grad: tuple = (0,)):
    """``fn(lib, *tensors)`` with lib = minitorch and lib = torch: value and the gradients of
    the inputs listed in ``grad`` (a scalar is summed against a fixed random seed)."""
    mt = [minitorch.tensor(x, requires_grad=i in grad) for i, x in enumerate(inputs)]
    tt = [torch.tensor(x, requires_grad=i in grad) for i, x in enumerate(inputs)]
    out, expected = fn(minitorch, *mt), fn(torch, *tt)
    _close(out, expected, tol, "value")
    if grad:
        seed = np.random.default_rng(2).standard_normal(tuple(expected.shape))
        seed = seed.astype(expected.detach().numpy().dtype)
        (out * minitorch.tensor(seed)).sum().backward()
        (expected * torch.tensor(seed)).sum().backward()
        for i in grad:
            if tt[i].grad is None:  # e.g. a target used only through argmax
                assert mt[i].grad is None, f"input {i} got a gradient PyTorch does not give"
            else:
                _close(mt[i].grad, tt[i].grad, tol, f"gradient of input {i}")
    return out
