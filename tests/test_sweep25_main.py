"""Session 15 sweep (the lead's own programs), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py): in-place changes of inference tensors outside
inference_mode, whose error depends on whether PyTorch's op went through autograd (an
operand that is a normal tensor, or a number add/sub/mul/div make a tensor)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _inference_leaf(torch, requires_grad=True):
    with torch.inference_mode():
        return torch.ones(3, requires_grad=requires_grad)


def _first_error(torch, changes) -> list:
    """The start of each change's error message (or "ok")."""
    out = []
    for change in changes:
        x = _inference_leaf(torch)
        try:
            change(torch, x)
            out.append("ok")
        except RuntimeError as e:
            out.append(str(e)[:40])
    return out


@program
def inference_leaf_changed_with_a_normal_operand_hits_the_leaf_error_first(torch):
    return _first_error(
        torch,
        [
            lambda torch, x: x.add_(1),
            lambda torch, x: x.mul_(torch.ones(3)),
            lambda torch, x: x.div_(2.0),
            lambda torch, x: x.sub_(1),
            lambda torch, x: x.copy_(torch.zeros(3)),
            lambda torch, x: x.masked_fill_(x > 0, 1.0),
        ],
    )


@program
def inference_leaf_changed_without_a_normal_operand_hits_the_inference_error(torch):
    return _first_error(
        torch,
        [
            lambda torch, x: x.exp_(),
            lambda torch, x: x.zero_(),
            lambda torch, x: x.clamp_(0, 1),
            lambda torch, x: x.pow_(2),
            lambda torch, x: x.uniform_(),
            lambda torch, x: x.normal_(),
            lambda torch, x: x.bernoulli_(),
            lambda torch, x: x.resize_(4),
            lambda torch, x: x.addcmul_(x, x),
        ],
    )


@program
def inference_tensor_without_grad_changed_outside_inference_mode(torch):
    out = []
    for change in (lambda x: x.add_(1), lambda x: x.uniform_(), lambda x: x.resize_(4)):
        x = _inference_leaf(torch, requires_grad=False)
        try:
            change(x)
        except RuntimeError as e:
            out.append(str(e)[:40])
    with torch.no_grad():
        x = _inference_leaf(torch)
        try:
            x.add_(1)
        except RuntimeError as e:
            out.append(str(e)[:40])
    return out
