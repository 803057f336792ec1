"""Focused programs for the divergences the checkpoint / forward-AD fuzzer
(tests/test_fuzz_checkpoint_fwad.py) found, each run with PyTorch and with minitorch."""

from __future__ import annotations

import warnings

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


@program
def reentrant_checkpoint_nested_in_reentrant_backward(torch):
    # the inner checkpoint's backward runs in the outer one's recomputation, which PyTorch's
    # reentrant backward differentiates with torch.autograd.backward: valid there
    ck = torch.utils.checkpoint
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([1.5, 0.5, -2.0], dtype=torch.float64, requires_grad=True)

    def inner(a):
        return (a * w).sin()

    y = ck.checkpoint(lambda a: ck.checkpoint(inner, a, use_reentrant=True) * 2, x,
                      use_reentrant=True)  # fmt: skip
    y.pow(2).sum().backward()
    return y, x.grad, w.grad


@program
def reentrant_checkpoint_nested_in_non_reentrant_backward(torch):
    ck = torch.utils.checkpoint
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = ck.checkpoint(
        lambda a: ck.checkpoint(torch.exp, a, use_reentrant=True).cos(), x, use_reentrant=False
    )
    y.sum().backward()
    return y, x.grad


@program
def reentrant_checkpoint_returning_a_list_gives_no_graph(torch):
    # a list is no output of PyTorch's reentrant checkpoint (an autograd.Function): its
    # tensors, computed under no_grad, do not require grad
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out = torch.utils.checkpoint.checkpoint(lambda a: [a.sin(), 3], x, use_reentrant=True)
    kept = torch.utils.checkpoint.checkpoint(lambda a: [a.sin()], x, use_reentrant=False)
    return type(out).__name__, out[0], out[1], kept[0].requires_grad


@program
def reentrant_checkpoint_warns_without_grad_inputs_under_no_grad(torch):
    x = torch.tensor([0.5, -1.0])
    with warnings.catch_warnings(record=True) as caught, torch.no_grad():
        warnings.simplefilter("always")
        y = torch.utils.checkpoint.checkpoint(torch.sin, x, use_reentrant=True)
        torch.utils.checkpoint.checkpoint(torch.sin, x, use_reentrant=False)
    return y, [str(w.message)[:40] for w in caught]


@program
def reentrant_checkpoint_runs_its_function_under_no_grad(torch):
    # PyTorch's CheckpointFunction.forward: no graph inside, grad mode off; the recomputation
    # in backward has both; the parameters' gradients still arrive
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([1.5, 0.5, -2.0], dtype=torch.float64, requires_grad=True)
    seen = []

    def f(a):
        h = a * w
        seen.append((h.requires_grad, h.grad_fn is None, torch.is_grad_enabled()))
        return h.sin()

    y = torch.utils.checkpoint.checkpoint(f, x, use_reentrant=True)
    y.pow(2).sum().backward(create_graph=True)
    return y, seen, x.grad, w.grad


@error(RuntimeError, r"cannot register a hook on a tensor that doesn't require gradient")
def reentrant_checkpoint_hook_inside_raises(torch):
    x = torch.tensor([0.5, -1.0], requires_grad=True)

    def f(a):
        h = a * 2
        h.register_hook(lambda g: g * 3)
        return h

    torch.utils.checkpoint.checkpoint(f, x, use_reentrant=True)


@program
def non_reentrant_checkpoint_hook_inside_runs_on_recomputation(torch):
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    calls = []

    def f(a):
        h = a * 2
        h.register_hook(lambda g: calls.append(1) or g * 3)
        return h.sin()

    y = torch.utils.checkpoint.checkpoint(f, x, use_reentrant=False)
    y.sum().backward()
    return x.grad, len(calls)


@program
def non_reentrant_checkpoint_runs_under_context_fn_contexts(torch):
    from contextlib import contextmanager

    events = []

    @contextmanager
    def entered(name):
        events.append(name + " in")
        try:  # (PyTorch's early stop leaves the recomputation by an exception)
            yield
        finally:
            events.append(name + " out")

    x = torch.tensor([0.5, -1.0], requires_grad=True)

    def f(a):
        events.append("run")
        return a.exp()

    y = torch.utils.checkpoint.checkpoint(
        f, x, use_reentrant=False, context_fn=lambda: (entered("fwd"), entered("re"))
    )
    y.sum().backward()
    with torch.no_grad():
        torch.utils.checkpoint.checkpoint(
            f, x, use_reentrant=False, context_fn=lambda: (entered("nograd"), entered("never"))
        )
    return x.grad, events


@error(TypeError, r"cannot unpack non-iterable int object")
def checkpoint_context_fn_must_give_two_contexts(torch):
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    torch.utils.checkpoint.checkpoint(torch.sin, x, use_reentrant=False, context_fn=lambda: 3)


@error(RuntimeError, r"^torch.utils.checkpoint: Recomputed values for the following tensors "
       r"have different metadata than during the forward pass")  # fmt: skip
def non_reentrant_recomputation_of_another_shape_raises_checkpoint_error(torch):
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    calls = []

    def f(a):
        calls.append(1)
        return a[: 4 - len(calls)].sin()

    y = torch.utils.checkpoint.checkpoint(f, x, use_reentrant=False)
    try:
        y.sum().backward()
    except RuntimeError as e:
        assert type(e).__name__ == "CheckpointError"
        assert isinstance(e, torch.utils.checkpoint.CheckpointError)
        raise


@program
def checkpoint_early_stop_and_debug_contexts(torch):
    ck = torch.utils.checkpoint
    x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    with ck.set_checkpoint_early_stop(False), ck.set_checkpoint_debug_enabled(False):
        y = ck.checkpoint(torch.sin, x, use_reentrant=False, context_fn=ck.noop_context_fn)
    y.sum().backward()
    z = ck.checkpoint(torch.exp, x, use_reentrant=True, context_fn=ck.noop_context_fn)
    return x.grad, z


@error(ValueError, r"debug=True is incompatible with non-default context_fn")
def checkpoint_debug_enabled_refuses_a_context_fn(torch):
    ck = torch.utils.checkpoint
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    with ck.set_checkpoint_debug_enabled(True):
        ck.checkpoint(torch.sin, x, use_reentrant=False, context_fn=lambda: (None, None))


@program
def non_reentrant_checkpoint_carries_tangents(torch):
    # PyTorch's non-reentrant checkpoint runs the function itself: a dual argument's tangent
    # flows through, whether it requires grad or not
    fwAD = torch.autograd.forward_ad
    x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    tangent = torch.tensor([1.0, 2.0], dtype=torch.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tangent)
        y = torch.utils.checkpoint.checkpoint(lambda a: a.sin() * 2, d, use_reentrant=False)
        t = fwAD.unpack_dual(y).tangent
        plain = fwAD.make_dual(x.detach(), tangent)
        z = torch.utils.checkpoint.checkpoint(torch.exp, plain, use_reentrant=False)
        u = fwAD.unpack_dual(z).tangent
        y.sum().backward()  # (inside the level: PyTorch's recomputation outside saves less)
    return t.detach(), u, x.grad


@error(NotImplementedError, r"You must implement the jvp function for custom autograd.Function")
def reentrant_checkpoint_of_a_dual_without_grad_has_no_jvp(torch):
    fwAD = torch.autograd.forward_ad
    with warnings.catch_warnings(), fwAD.dual_level():
        warnings.simplefilter("ignore")
        d = fwAD.make_dual(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 2.0]))
        torch.utils.checkpoint.checkpoint(torch.sin, d, use_reentrant=True)


@error(NotImplementedError, r"You must implement the jvp function for custom autograd.Function")
def reentrant_checkpoint_of_a_dual_returning_a_list_has_no_jvp(torch):
    fwAD = torch.autograd.forward_ad
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, torch.tensor([1.0, 2.0]))
        torch.utils.checkpoint.checkpoint(lambda a: [a.sin()], d, use_reentrant=True)


@error(RuntimeError, r"In order to use an autograd.Function with functorch transforms .* must "
       r"override the setup_context staticmethod")  # fmt: skip
def reentrant_checkpoint_under_func_jvp_is_a_function_without_setup_context(torch):
    torch.func.jvp(
        lambda a: torch.utils.checkpoint.checkpoint(torch.exp, a, use_reentrant=True),
        (torch.ones(2),),
        (torch.ones(2),),
    )


@error(RuntimeError, r"In order to use an autograd.Function with functorch transforms")
def reentrant_checkpoint_under_vmap_is_a_function_without_setup_context(torch):
    fn = torch.vmap(lambda a: torch.utils.checkpoint.checkpoint(torch.exp, a, use_reentrant=True))
    fn(torch.ones(2, 2))


@program
def non_reentrant_checkpoint_under_func_jvp(torch):
    return torch.func.jvp(
        lambda a: torch.utils.checkpoint.checkpoint(torch.exp, a, use_reentrant=False),
        (torch.tensor([0.5, -1.0]),),
        (torch.tensor([1.0, 2.0]),),
    )


@program
def non_reentrant_checkpoint_under_vmap_of_each_randomness(torch):
    # saving the random state is no draw: it was refused under randomness="error"
    def f(a):
        return torch.utils.checkpoint.checkpoint(lambda b: b.exp() * 2, a, use_reentrant=False)

    x = torch.tensor([[0.5, -1.0], [2.0, 0.0]])
    return [torch.vmap(f, randomness=r)(x) for r in ("error", "same", "different")]


@error(RuntimeError, r"vmap: called random operation while in randomness error mode")
def non_reentrant_checkpoint_under_vmap_drawing_raises(torch):
    def f(a):
        return torch.utils.checkpoint.checkpoint(lambda b: b + torch.rand(()), a,
                                                 use_reentrant=False)  # fmt: skip

    torch.vmap(f)(torch.ones(2, 2))
