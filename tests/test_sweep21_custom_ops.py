"""Session 11 sweep, custom operators (``torch.library``) and vmap rules of custom autograd
Functions: each program is a divergence found while running PyTorch's custom_op_db, run with
real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

# no `from __future__ import annotations`: PyTorch infers an op's schema from its live hints

import itertools

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error

test_program_matches_pytorch = SWEEP.test()

_names = itertools.count()


def _name() -> str:
    """A fresh op name (PyTorch refuses to define one name twice)."""
    return f"sweep21::op{next(_names)}"


def _scaled(torch, factor: float = 2.0):
    """A custom op ``x * factor`` (a Tensor, an int and a keyword-only float) with autograd."""
    name = _name()

    @torch.library.custom_op(name, mutates_args=())
    def scaled(x: torch.Tensor, n: int, *, s: float = factor) -> torch.Tensor:
        return x * s + n

    def setup(ctx, inputs, keyword_only_inputs, output):
        ctx.s = keyword_only_inputs["s"]

    scaled.register_autograd(lambda ctx, g: (g * ctx.s, None), setup_context=setup)
    return scaled, name.split("::")


# ---- torch.ops.<namespace>.<op> --------------------------------------------------------------
@program
def custom_op_called_through_torch_ops(torch):
    _, (namespace, op) = _scaled(torch)
    x = torch.tensor([1.0, -2.0, 3.5], requires_grad=True)
    packet = getattr(getattr(torch.ops, namespace), op)
    y = packet(x, 1, s=3.0)
    z = packet.default(x, 2)
    (y.sum() + z.sum()).backward()
    return y, z, x.grad


@error(AttributeError, r"'_OpNamespace' 'sweep21' object has no attribute 'no_such_op'")
def torch_ops_unknown_op(torch):
    return torch.ops.sweep21.no_such_op


# ---- nested tensor arguments and results --------------------------------------------------
def _cat_and_split(torch):
    """A cat taking a list of tensors and a split returning one, backward through each other."""
    cat_name, split_name = _name(), _name()

    @torch.library.custom_op(cat_name, mutates_args=())
    def cat(xs: list[torch.Tensor], dim: int) -> torch.Tensor:
        return torch.cat(xs, dim)

    @torch.library.custom_op(split_name, mutates_args=())
    def split(x: torch.Tensor, sizes: list[int], dim: int) -> list[torch.Tensor]:
        return [p.clone() for p in torch.split(x, sizes, dim)]

    def cat_setup(ctx, inputs, output):
        xs, ctx.dim = inputs
        ctx.sizes = [t.shape[ctx.dim] for t in xs]

    def cat_backward(ctx, g):
        return split(g, ctx.sizes, ctx.dim), None

    def split_setup(ctx, inputs, output):
        ctx.dim = inputs[2]

    cat.register_autograd(cat_backward, setup_context=cat_setup)
    split.register_autograd(
        lambda ctx, gs: (cat(gs, ctx.dim), None, None), setup_context=split_setup
    )
    return cat, split


@program
def custom_op_list_of_tensors_in_and_out(torch):
    cat, split = _cat_and_split(torch)
    a = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    b = torch.arange(3.0, dtype=torch.float64).reshape(1, 3).requires_grad_()
    y = cat([a, b], 0)
    parts = split(y * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), [1, 2], 0)
    (parts[0].sum() * 2 + (parts[1] ** 2).sum()).backward()
    return y, parts, type(parts).__name__, a.grad, b.grad


@program
def custom_op_result_with_an_int(torch):
    name = _name()

    @torch.library.custom_op(name, mutates_args=())
    def halves(x: torch.Tensor) -> tuple[list[torch.Tensor], int]:
        first, second = x.detach().chunk(2)
        return [first.clone(), second * 2], 2

    def backward(ctx, grads, _count):
        return torch.cat([grads[0], grads[1] * 2])

    halves.register_autograd(backward)
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    (parts, count) = halves(x)
    (parts[0].sum() + parts[1].sum() * 3).backward()
    return parts, count, x.grad


@program
def custom_op_needs_input_grad_per_input(torch):
    name, seen = _name(), []

    @torch.library.custom_op(name, mutates_args=())
    def weighted(xs: list[torch.Tensor], w: torch.Tensor) -> torch.Tensor:
        return (xs[0] + xs[1]) * w

    def setup(ctx, inputs, output):
        ctx.save_for_backward(inputs[1])

    def backward(ctx, g):
        seen.append(ctx.needs_input_grad)
        (w,) = ctx.saved_tensors
        return [g * w, g * w], None

    weighted.register_autograd(backward, setup_context=setup)
    a = torch.ones(3, requires_grad=True)
    b = torch.full((3,), 2.0)
    weighted([a, b], torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return seen, a.grad, b.grad


# ---- vmap rules of custom ops --------------------------------------------------------------
@program
def custom_op_vmap_rule_called_once_with_pytorch_arguments(torch):
    scaled, _ = _scaled(torch)
    calls = []

    def rule(info, in_dims, x, n, *, s):
        calls.append((info.batch_size, info.randomness, in_dims, n, s, tuple(x.shape)))
        return x.movedim(in_dims[0], 0) * s - n, 0  # differs from the kernel: seen only here

    torch.library.register_vmap(scaled, rule)
    x = torch.arange(12.0).reshape(3, 4)
    out = torch.func.vmap(scaled, in_dims=(-1, None))(x, 5, s=0.5)
    return out, calls


@error(NotImplementedError, r"Operator is data-dependent and cannot be vmapped")
def custom_op_vmap_rule_raises_inside_a_function(torch):
    name = _name()

    @torch.library.custom_op(name, mutates_args=())
    def nonzero(x: torch.Tensor) -> torch.Tensor:
        return torch.nonzero(x)

    @nonzero.register_vmap
    def _(info, in_dims, x):
        raise NotImplementedError("Operator is data-dependent and cannot be vmapped.")

    return torch.func.vmap(lambda t: nonzero(t) + 1)(torch.eye(3))


@program
def custom_op_without_vmap_rule_under_vmap(torch):
    name = _name()

    @torch.library.custom_op(name, mutates_args=())
    def double(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    return torch.func.vmap(double)(torch.arange(6.0).reshape(2, 3))


# ---- vmap rules of autograd Functions ------------------------------------------------------
def _scale_function(torch, calls: list):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, y):
            return x * y, x.sum()

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g, h):
            return g, None

        @staticmethod
        def vmap(info, in_dims, x, y):
            calls.append((info.batch_size, info.randomness, in_dims, tuple(x.shape)))
            xb = x.movedim(in_dims[0], 0)
            return (xb * y + 100, xb.sum(1)), (0, None)  # +100: the rule's result, not forward's

    return Scale


@program
def function_vmap_rule_called_once(torch):
    calls = []
    scale = _scale_function(torch, calls)
    x = torch.arange(12.0).reshape(3, 4)
    y, total = torch.func.vmap(scale.apply, in_dims=(-1, None), randomness="same")(
        x, torch.tensor(2.0)
    )
    return y, total, calls


@program
def function_vmap_rule_out_dims(torch):
    calls = []
    scale = _scale_function(torch, calls)
    x = torch.arange(6.0).reshape(2, 3)
    y, total = torch.func.vmap(scale.apply, in_dims=(1, None), out_dims=(1, None))(
        x, torch.tensor(3.0)
    )
    return y, total, len(calls)


@error(ValueError, r"can not return a BatchedTensor when out_dim is None")
def function_vmap_rule_batched_output_with_out_dims_none(torch):
    scale = _scale_function(torch, [])
    return torch.func.vmap(scale.apply, in_dims=(0, None), out_dims=None)(
        torch.ones(2, 3), torch.tensor(1.0)
    )


@program
def function_vmap_rule_used_inside_a_function(torch):
    scale = _scale_function(torch, [])
    x = torch.arange(6.0).reshape(2, 3)
    return torch.func.vmap(lambda t: scale.apply(t, torch.tensor(2.0))[0] - 1)(x)


@program
def function_generate_vmap_rule_runs_forward(torch):
    class Cube(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            return 3 * g * ctx.saved_tensors[0] ** 2

    x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
    return torch.func.vmap(Cube.apply)(x), torch.func.vmap(
        torch.func.grad(lambda t: Cube.apply(t).sum())
    )(x)


# ---- PyTorch's schema and gradient checks --------------------------------------------------
@error(
    RuntimeError,
    r"Expected a value of type 'Tensor' for argument 'x' but instead found type 'float'",
)
def custom_op_float_for_a_tensor_argument(torch):
    scaled, _ = _scaled(torch)
    return scaled(3.0, 1)


@error(RuntimeError, r"Expected a value of type 'List\[Tensor\]' for argument 'xs'")
def custom_op_tensor_for_a_tensor_list_argument(torch):
    cat, _ = _cat_and_split(torch)
    return cat(torch.ones(2), 0)


@error(RuntimeError, r"is missing value for argument 'n'")
def custom_op_missing_argument(torch):
    scaled, _ = _scaled(torch)
    return scaled(torch.ones(2))


@error(RuntimeError, r"may not alias any inputs to this custom operator")
def custom_op_returning_a_view_of_its_input(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def flat(x: torch.Tensor) -> torch.Tensor:
        return x.view(-1)

    return flat(torch.ones(2, 2))


@error(RuntimeError, r"returned an incorrect number of gradients \(expected 3, got 2\)")
def custom_op_backward_too_few_gradients(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def mul(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return x * y

    mul.register_autograd(lambda ctx, g: g)
    x = torch.ones(2, requires_grad=True)
    mul(x, torch.ones(2)).sum().backward()


@error(RuntimeError, r"gradient different than None at position 2, but the corresponding forward")
def custom_op_backward_gradient_for_a_none_input(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def add(x: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
        return x * 2 if bias is None else x * 2 + bias

    add.register_autograd(lambda ctx, g: (g * 2, g))
    add(torch.ones(2, requires_grad=True)).sum().backward()


# ---- torch.library.opcheck, define / impl, Library -------------------------------------------
@program
def opcheck_of_a_well_behaved_op(torch):
    scaled, _ = _scaled(torch)
    scaled.register_fake(lambda x, n, *, s: torch.empty_like(x))
    return torch.library.opcheck(scaled, (torch.ones(3), 2), {"s": 1.5})


@program
def opcheck_finds_an_undeclared_mutation_without_raising(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def bump(x: torch.Tensor) -> torch.Tensor:
        x.add_(1)
        return x.clone()

    result = torch.library.opcheck(
        bump, (torch.ones(2),), test_utils="test_schema", raise_exception=False
    )
    return {k: f"{type(v).__name__}: {v}" for k, v in result.items()}


@error(
    Exception,
    r"opcheck\(op, \.\.\.\): test_schema failed with Argument x is not defined as mutable",
)
def opcheck_raises_for_an_undeclared_mutation(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def bump(x: torch.Tensor) -> torch.Tensor:
        x.mul_(2)
        return x.clone()

    torch.library.opcheck(bump, (torch.ones(2),))


@error(ValueError, r"expected test_utils to be subset of")
def opcheck_unknown_test(torch):
    scaled, _ = _scaled(torch)
    torch.library.opcheck(scaled, (torch.ones(2), 1), test_utils=("test_everything",))


@program
def define_then_impl_per_dispatch_key(torch):
    name = _name()
    namespace, op = name.split("::")
    torch.library.define(name, "(Tensor x, *, float s=2.0) -> Tensor")
    torch.library.impl(name, "CompositeExplicitAutograd", lambda x, *, s=2.0: x * s)
    packet = getattr(getattr(torch.ops, namespace), op)
    return packet(torch.ones(2)), packet(torch.ones(2), s=3.0)


@program
def library_fragment_define_and_impl(torch):
    namespace, op = _name().split("::")
    lib = torch.library.Library(namespace, "FRAGMENT")
    lib.define(f"{op}(Tensor x, Tensor[] ys, int n) -> Tensor")
    lib.impl(op, lambda x, ys, n: x * n + sum(ys), "CPU")
    packet = getattr(getattr(torch.ops, namespace), op)
    return packet(torch.ones(2), [torch.ones(2), torch.full((2,), 3.0)], 4)


@error(Exception, r"test_faketensor failed with There was no fake impl registered for")
def opcheck_without_a_fake_impl(torch):
    scaled, _ = _scaled(torch)
    torch.library.opcheck(scaled, (torch.ones(2), 1))


# ---- vmap rules: chunks, their results and errors --------------------------------------------
def _mul_function(torch, calls: list, rule=None):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(x, y):
            return x * y

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(*inputs)

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y, g * x

        @staticmethod
        def vmap(info, in_dims, x, y):
            calls.append((info.batch_size, in_dims))
            if rule is not None:
                return rule(x, y)
            x = (
                x.movedim(in_dims[0], 0)
                if in_dims[0] is not None
                else x.expand(info.batch_size, *x.shape)
            )
            y = (
                y.movedim(in_dims[1], 0)
                if in_dims[1] is not None
                else y.expand(info.batch_size, *y.shape)
            )
            return Mul.apply(x, y), 0

    return Mul


@program
def function_vmap_rule_called_per_chunk(torch):
    calls = []
    mul = _mul_function(torch, calls)
    x = torch.arange(15.0).reshape(5, 3)
    return torch.func.vmap(mul.apply, chunk_size=2)(x, x + 1), calls


@program
def function_vmap_rule_output_keeps_its_grad_fn(torch):
    calls = []
    mul = _mul_function(torch, calls)
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = torch.func.vmap(mul.apply, in_dims=(0, None))(x, y)
    (out * torch.arange(6.0).reshape(2, 3)).sum().backward()
    return out, type(out.grad_fn).__name__, x.grad, y.grad, calls


@error(RuntimeError, r"Expected the vmap staticmethod to have two returns, an output and out_dims")
def function_vmap_rule_returning_only_the_output(torch):
    mul = _mul_function(torch, [], rule=lambda x, y: x * y)
    return torch.func.vmap(mul.apply)(torch.ones(2, 3), torch.ones(2, 3))


@error(RuntimeError, r"vmap staticmethod returned an incompatible \(output, out_dims\) tuple")
def function_vmap_rule_out_dims_not_matching_its_output(torch):
    mul = _mul_function(torch, [], rule=lambda x, y: (x * y, (0, 0)))
    return torch.func.vmap(mul.apply)(torch.ones(2, 3), torch.ones(2, 3))


# ---- registration: devices, schemas, names ---------------------------------------------------
@error(NotImplementedError, r"Could not run 'sweep21::op\d+' with arguments from the 'CPU' backend")
def custom_op_for_cuda_only_called_on_cpu(torch):
    @torch.library.custom_op(_name(), mutates_args=(), device_types="cuda")
    def plus(x: torch.Tensor) -> torch.Tensor:
        return x + 1

    return plus(torch.ones(2))


@program
def custom_op_with_an_explicit_schema_needs_no_hints(torch):
    @torch.library.custom_op(_name(), mutates_args=(), schema="(Tensor x, float s) -> Tensor")
    def scale(x, s):
        return x * s

    return scale(torch.ones(2), 2.5)


@error(RuntimeError, r"Cannot register autograd formula for non-functional operator")
def custom_op_mutating_with_an_autograd_formula(torch):
    @torch.library.custom_op(_name(), mutates_args={"out"})
    def into(x: torch.Tensor, out: torch.Tensor) -> None:
        out.copy_(x * 2)

    into.register_autograd(lambda ctx, g: g)


@program
def custom_op_name_attributes(torch):
    name = _name()

    @torch.library.custom_op(name, mutates_args=())
    def plus(x: torch.Tensor) -> torch.Tensor:
        return x + 1

    return plus._name == name.split("::")[1], plus._qualname == name, plus._namespace


@error(ValueError, r'Expected `qualname` to be of the form "namespace::name", but got')
def register_autograd_by_a_name_without_namespace(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def plus(x: torch.Tensor) -> torch.Tensor:
        return x + 1

    torch.library.register_autograd("plus", lambda ctx, g: g)


@program
def custom_op_without_vmap_rule_on_inputs_requiring_grad(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def double(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    double.register_autograd(lambda ctx, g: g * 2)
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    out = torch.func.vmap(double)(x)
    out.sum().backward()
    return out.detach(), x.grad


@program
def custom_op_kernel_carries_no_tangents(torch):
    @torch.library.custom_op(_name(), mutates_args=())
    def double(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    fw = torch.autograd.forward_ad
    x = torch.ones(2, 3, dtype=torch.float64)
    with fw.dual_level():
        out = double(fw.make_dual(x, torch.ones_like(x)))
        return out, fw.unpack_dual(out).tangent
