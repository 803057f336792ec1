"""Session 13 sweep (the lead's own programs): small behaviours found beside the helpers'
sweeps of PyTorch's test files, run with real PyTorch (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _view_facts(t, base):
    return t is base, t.is_leaf, t._is_view(), t.grad_fn.name() if t.grad_fn else None


@program
def expand_to_own_shape_is_a_new_view(torch):
    w = torch.ones(2, 3, requires_grad=True)
    facts = [
        _view_facts(y, w)
        for y in (w.expand(2, 3), w.expand(-1, 3), w.expand_as(w), torch.broadcast_to(w, (2, 3)))
    ]
    y = w.expand(2, 3)
    (y * torch.arange(6.0).reshape(2, 3)).sum().backward()
    return facts, w.grad


@program
def broadcast_tensors_keeps_a_full_shape_input(torch):
    w = torch.ones(2, 3, requires_grad=True)
    a, b = torch.broadcast_tensors(w, torch.ones(1, 3))
    return _view_facts(a, w), _view_facts(b, None)[1:], b.shape


@program
def expand_of_no_grad_tensor_shares_memory(torch):
    x = torch.zeros(3)
    y = x.expand(3)
    y[0] = 5.0
    return x, y._is_view(), y._base is x
