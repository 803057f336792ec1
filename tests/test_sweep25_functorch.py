"""Sweep 25 (function-transform fuzzing): one program for each divergence that the random
transform programs of tests/test_fuzz_functorch.py found in ``torch.autograd.functional``
and ``torch.func``. Each program runs with PyTorch 2.13 (the oracle) and with minitorch
(tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()


def _x(torch):
    return torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)


# ---- autograd.functional.jvp: its dummy grad_outputs must require grad -----------------------
@error(RuntimeError, r"^Only Tensors of floating point and complex dtype can require gradients$")
def functional_jvp_of_integer_output(torch):
    x = _x(torch)
    return torch.autograd.functional.jvp(lambda x: x.argmax(), x, torch.ones_like(x))


@error(RuntimeError, r"^Only Tensors of floating point and complex dtype can require gradients$")
def functional_jvp_with_a_bool_output_among_others(torch):
    x = _x(torch)
    return torch.autograd.functional.jvp(lambda x: (x * 2, x > 0), x, torch.ones_like(x))


# ---- autograd.functional.jacobian(strategy="forward-mode"): make_dual's checks --------------
@error(ValueError, r"^Expected primal to be floating point or complex, but got: torch\.int64$")
def functional_forward_jacobian_of_integer_input(torch):
    return torch.autograd.functional.jacobian(
        lambda x: x * 2, torch.tensor([1, 2]), vectorize=True, strategy="forward-mode"
    )


@error(ValueError, r"^Expected primal to be floating point or complex, but got: torch\.int64$")
def functional_forward_over_reverse_hessian_of_integer_input(torch):
    x = (_x(torch), torch.tensor([1, 2]))
    return torch.autograd.functional.hessian(
        lambda x, i: (x * i.sum()).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode"
    )


@error(TypeError, r"^The outputs given to None must be either a Tensor or a tuple of Tensors but "
       r"the value at index 1 has type <class 'int'>\.$")  # fmt: skip
def functional_forward_jacobian_of_non_tensor_output(torch):
    return torch.autograd.functional.jacobian(
        lambda x: (x, 3), (_x(torch),), vectorize=True, strategy="forward-mode"
    )


# ---- autograd.functional.jacobian(vectorize=True, create_graph=True): one tensor per input ---
@program
def functional_vectorized_jacobian_blocks_share_requires_grad(torch):
    x = _x(torch)
    out = []
    for vectorize in (True, False):
        jac = torch.autograd.functional.jacobian(
            lambda x, y: (x.softmax(-1), y * 2, x), (x, x), vectorize=vectorize, create_graph=True
        )
        out.append([[(b, b.requires_grad) for b in row] for row in jac])
    return out


# ---- torch.func under the user's autograd graph ----------------------------------------------
@program
def jacrev_of_inputs_some_requiring_grad(torch):
    x = _x(torch).requires_grad_()
    c = torch.tensor([1.5, 0.5, -2.0], dtype=torch.float64)
    jx, jc = torch.func.jacrev(lambda x, c: x.sin() * c, argnums=(0, 1))(x, c)
    return jx, jc, torch.autograd.grad(jx.sum() + jc.sum(), x)


@program
def grad_w_r_t_input_outside_the_graph_is_detached(torch):
    x = _x(torch).requires_grad_()
    c = torch.tensor([1.5, 0.5, -2.0], dtype=torch.float64)
    gx, gc = torch.func.grad(lambda x, c: (x * c.exp()).sum(), argnums=(0, 1))(x, c)
    value = torch.func.grad_and_value(lambda c, x: (c.exp() + x.detach()).sum())(c, x)
    return gx, gc, value


@program
def jacobian_blocks_share_requires_grad_as_pytorch_splits_them(torch):
    x = _x(torch).requires_grad_()
    c = torch.tensor([1.5, 0.5, -2.0], dtype=torch.float64)

    def f(x, c):
        return x.softmax(-1), x.amax() * c, c.sum() * x.detach()

    out = []
    for jac in (torch.func.jacrev, torch.func.jacfwd):
        out.append([[b.requires_grad for b in row] for row in jac(f, argnums=(0, 1))(x, c)[1:]])
    out.append({k: v.requires_grad for k, v in torch.func.jacrev(
        lambda x: {"a": x.softmax(-1), "b": x.amax()})(x).items()})  # fmt: skip
    return out


# ---- vector 2-norm: PyTorch's backward formula, so a second derivative at 0 is NaN -----------
@program
def hessian_of_norm_at_zero(torch):
    z = torch.zeros(3, dtype=torch.float64)
    x = torch.tensor([[0.0, 0.0], [1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.norm(dim=1).sum(), x, create_graph=True)
    return (
        torch.autograd.functional.hessian(torch.linalg.vector_norm, z),
        g,
        torch.autograd.grad(g.sum(), x),
    )


# ---- func.linearize runs func eagerly before tracing its jvp ---------------------------------
@error(NotImplementedError, r"^\"softmax_lastdim_kernel_impl\" not implemented for 'Long'$")
def linearize_of_integer_input_fails_in_func_first(torch):
    return torch.func.linearize(lambda x: x.softmax(-1), torch.tensor([1, 2]))


@error(ValueError, r"^Expected primal to be floating point or complex, but got: torch\.int64$")
def linearize_of_integer_input(torch):
    return torch.func.linearize(lambda x: x * 2, torch.tensor([1, 2]))
