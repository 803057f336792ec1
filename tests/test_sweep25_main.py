"""Session 15 sweep (the lead's own programs), run with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py): in-place changes of inference tensors outside
inference_mode, whose error depends on whether PyTorch's op went through autograd (an
operand that is a normal tensor, or a number add/sub/mul/div make a tensor)."""

from __future__ import annotations

import math

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


# ---- custom Functions (found by tests/test_fuzz_custom_function.py) --------------------------
def _identity_function(torch, save: str | None = None):
    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x

        @staticmethod
        def setup_context(ctx, inputs, output):
            if save == "input":
                ctx.save_for_backward(inputs[0])
            elif save == "output":
                ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            return g

    return Identity


@error(RuntimeError, r"^An input that has been returned as-is as output is being saved for backward\. This is not supported if you override setup_context\. You should return and save a view")  # fmt: skip
def setup_context_saving_an_input_returned_as_is(torch):
    _identity_function(torch, "input").apply(torch.ones(2, requires_grad=True))


@error(RuntimeError, r"^An input that has been returned as-is as output is being saved")
def setup_context_saving_an_output_that_is_an_input_without_grad(torch):
    _identity_function(torch, "output").apply(torch.ones(2))


@program
def setup_context_saving_an_input_returned_as_is_under_no_grad_or_marked_dirty(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = _identity_function(torch, "input").apply(x)

    class Double(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.mul_(2)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.mark_dirty(inputs[0])
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            return g * 2

    a = torch.ones(2, requires_grad=True)
    z = Double.apply(a * 1)
    z.sum().backward()
    return y.requires_grad, y is x, z.requires_grad, a.grad


@program
def unrecorded_function_returns_a_view_or_an_alias_of_an_input(torch):
    out = []
    for requires_grad in (True, False):
        for grad_enabled in (True, False):
            x = torch.ones(2, requires_grad=requires_grad)
            with torch.set_grad_enabled(grad_enabled):
                y = _identity_function(torch).apply(x)
            if requires_grad and grad_enabled:
                continue  # recorded
            with torch.no_grad():
                y.add_(1)
            out.append((y is x, y.requires_grad, y._base is x, y._is_view(), x.tolist()))
    return out


def _drop_first(torch):
    """A Function ``x * y`` whose backward gives ``x`` no gradient (None)."""

    class DropFirst(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return None, g

    return DropFirst


@program
def a_node_that_got_no_gradient_still_runs(torch):
    """PyTorch runs every node of the graph: tensor and node hooks see None, a user
    Function's backward gets zeros (so its input's gradient becomes zeros, not None)."""
    seen = []

    DropFirst = _drop_first(torch)

    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen.append(("Twice got", g))
            return g * 2

    a = torch.ones(2, requires_grad=True)
    y = torch.ones(2, requires_grad=True)
    DropFirst.apply(Twice.apply(a), y).sum().backward()
    b = torch.ones(2, requires_grad=True)
    b.register_hook(lambda g: seen.append(("leaf hook", g)))
    x = b * 3
    x.register_hook(lambda g: seen.append(("tensor hook", g)))
    x.grad_fn.register_prehook(lambda gs: seen.append(("node prehook", gs)))
    x.grad_fn.register_hook(lambda gi, go: seen.append(("node hook", gi, go)))
    DropFirst.apply(x, y).sum().backward()
    p, q = (b * 1).split(1)
    p.register_hook(lambda g: seen.append(("unused split output", g)))
    q.sum().backward()
    return seen, a.grad, b.grad


@error(RuntimeError, r"^can't replace a None gradient with a non-None value$")
def hook_replacing_a_none_gradient(torch):
    a = torch.ones(4, requires_grad=True)
    p, q = a.split(2)
    p.register_hook(lambda g: torch.ones(2))
    q.sum().backward()


def _returning(torch, result, inputs=1):
    class Returning(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *xs):
            return xs[0] * 2

        @staticmethod
        def backward(ctx, g):
            return result(g)

    xs = [torch.ones(2, requires_grad=True) for _ in range(inputs)]
    Returning.apply(*xs).sum().backward()


@error(RuntimeError, r"^expected Variable or None \(got list\)$")
def backward_returning_a_list_for_one_input(torch):
    _returning(torch, lambda g: [g])


@error(RuntimeError, r"^function ReturningBackward returned an incorrect number of gradients \(expected 2, got 1\)$")  # fmt: skip
def backward_returning_a_list_for_two_inputs(torch):
    _returning(torch, lambda g: [g, g], inputs=2)


@error(RuntimeError, r"^expected Variable or None \(got numpy.ndarray\)$")
def backward_returning_an_array(torch):
    _returning(torch, lambda g: g.numpy())


@error(RuntimeError, r"^expected Variable or None \(got float\)$")
def backward_returning_a_number_for_an_input_that_needs_no_gradient(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, 1.0

    Mul.apply(torch.ones(2, requires_grad=True), torch.ones(2)).sum().backward()


@error(AttributeError, r"'float' object has no attribute 'detach'")
def once_differentiable_backward_returning_a_number_in_double_backward(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            return g, 1.0

    x = torch.ones(2, requires_grad=True)
    loss = (Mul.apply(x, torch.ones(2)) ** 2).sum()  # so backward's g requires grad
    torch.autograd.grad(loss, x, create_graph=True)


# ---- hooks and the engine (found by tests/test_fuzz_hooks.py) --------------------------------
@program
def unbind_is_one_node_whose_unused_outputs_get_none(torch):
    seen = []
    a = torch.arange(4.0, requires_grad=True)
    u = (a * a).unbind(0)
    u[3].register_hook(lambda g: seen.append(("unused output", g)))
    u[0].grad_fn.register_prehook(lambda gs: seen.append(("prehook", gs)))
    (u[0] * 2 + u[2]).backward()
    return seen, a.grad, u[0].grad_fn is u[3].grad_fn, [t.output_nr for t in u]


@program
def unbind_of_a_matrix_and_its_double_backward(torch):
    x = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    rows = x.unbind(1)
    y = (rows[0] ** 3).sum() + (rows[1] * rows[0]).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return g, h, x.unbind(0)[1].is_contiguous(), torch.zeros(0, 3).unbind(0)


@program
def node_hooks_see_the_gradients_of_pytorchs_inputs(torch):
    seen = []
    x = torch.ones(4, requires_grad=True)
    p, q = (x * 2).split(2)  # SplitBackward0 has one input (no slots for sizes and dim)
    p.grad_fn.register_hook(lambda gi, go: seen.append(("split", gi, go)))
    y = x + 3  # AddBackward0 has two inputs (the number's is None)
    y.grad_fn.register_hook(lambda gi, go: seen.append(("add", gi)))
    z = 2 * x  # MulBackward0: mul(x, 2)
    z.grad_fn.register_hook(lambda gi, go: (seen.append(("mul", gi)), (gi[0] * 10, None))[1])
    (p.sum() + y.sum() + z.sum()).backward()
    return seen, x.grad


@program
def node_hooks_of_a_backward_given_inputs_see_none_where_no_gradient_is_needed(torch):
    seen = []
    a = torch.ones(2, requires_grad=True)
    b = torch.full((2,), 3.0, requires_grad=True)
    y = a * b
    y.grad_fn.register_hook(lambda gi, go: seen.append(gi))
    y.sum().backward(inputs=[a])
    return seen, a.grad, b.grad


@program
def multi_grad_hook_of_mode_all_on_the_sole_root(torch):
    """PyTorch's graph of one root edge lacks the root: ``_will_engine_execute_node`` is
    False there, so a mode "all" hook on the root tensor never fires; with two roots it does."""
    seen = []
    a = torch.ones(2, requires_grad=True)
    p = a.exp()
    torch.autograd.graph.register_multi_grad_hook([p], lambda gs: seen.append("one root"))
    torch.autograd.grad([p], [a], [torch.ones(2)])
    p, r = a.exp(), a.sin()
    torch.autograd.graph.register_multi_grad_hook([p, r], lambda gs: seen.append("two roots"))
    torch.autograd.grad([p, r], [a], [torch.ones(2), torch.ones(2)])
    p = a.exp()
    torch.autograd.graph.register_multi_grad_hook([p], lambda gs: seen.append("not the root"))
    (p * 2).sum().backward()
    return seen


@program
def leaf_hooks_run_when_the_leaf_gets_no_gradient(torch):
    seen = []

    DropFirst = _drop_first(torch)
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    y = DropFirst.apply(a, b)
    acc = y.grad_fn.next_functions[0][0]
    acc.register_prehook(lambda gs: seen.append(("prehook", gs)))
    acc.register_hook(lambda gi, go: seen.append(("hook", gi, go)))
    a.register_post_accumulate_grad_hook(lambda t: seen.append(("post", t.grad)))
    y.sum().backward()
    return seen, a.grad, b.grad


@program
def node_hook_of_cat_sees_every_gradient_where_one_is_needed(torch):
    """cat takes its tensors as one list in PyTorch: its backward computes all their
    gradients when one is needed (a built-in op of separate inputs computes only those)."""
    seen = []
    a = torch.ones(2, requires_grad=True)
    b = torch.full((2,), 3.0, requires_grad=True)
    y = torch.cat([a * 1, b * 1])
    y.grad_fn.register_hook(lambda gi, go: seen.append(gi))
    z = (a * 1) * (b * 1)
    z.grad_fn.register_hook(lambda gi, go: seen.append(gi))
    (y.sum() + z.sum()).backward(inputs=[a])
    return seen, a.grad


@program
def transformer_layer_on_an_empty_batch_and_its_backward(torch):
    """Found by tests/test_fuzz_training.py: attention's gradient buffers of a fused qkv
    projection failed on an empty batch."""
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    x = torch.randn(0, 4, 8, requires_grad=True)
    y = layer(x)
    y.sum().backward()
    return y.shape, x.grad.shape, layer.self_attn.in_proj_weight.grad.abs().sum()


@program
def float64_values_become_float16_through_float32(torch):
    """PyTorch's Half is made from a float: a double is rounded twice (to float32, then to
    float16); these doubles round differently when rounded once."""
    values = [2.5166016318781037, 6.03320322813193, -21.335937146205694, 2.137695384978772]
    f16 = torch.float16
    x = torch.tensor(values, dtype=torch.float64)
    z = torch.zeros(4, dtype=f16)
    z[:] = x
    y = torch.zeros(4, dtype=f16)
    y.copy_(x)
    w = torch.zeros(4, dtype=f16)
    for i, v in enumerate(values):
        w[i] = v
    made = (
        torch.tensor(values, dtype=f16),
        x.to(f16),
        x.half(),
        z,
        y,
        w,
        torch.as_tensor(x.numpy(), dtype=f16),
        torch.stack([torch.full((1,), v, dtype=f16) for v in values]),
        torch.stack([torch.zeros(1, dtype=f16).fill_(v) for v in values]),
        torch.stack([torch.linspace(v, v, 1, dtype=f16) for v in values]),
    )
    return [t.view(torch.int16).ravel().tolist() for t in made]  # the bits: compared exactly


@program
def linear_of_a_1d_weight_with_a_bias_by_input_shape(torch):
    """PyTorch's linear takes addmm for a 2-D input with a bias (and for a contiguous input
    with a 1-D bias, flattened): a 1-D weight fails there; else matmul and add."""
    out = []
    w = torch.ones(3)
    for shape, bias_shape, transposed in (
        ((2, 2, 3), (), False),
        ((3,), (), False),
        ((3,), (1,), False),
        ((2, 2, 3), (2,), False),
        ((4, 3), (4,), False),
        ((2, 3), (), False),
        ((3, 2, 2), (2,), True),
    ):
        x = torch.arange(float(math.prod(shape))).reshape(shape)
        if transposed:
            x = x.transpose(0, 2)
        try:
            out.append(torch.nn.functional.linear(x, w, torch.ones(bias_shape)))
        except RuntimeError as e:
            out.append(str(e))
    return out


def test_warnings_name_the_programs_line_once_a_subclass_exists():
    """Defining a Tensor subclass wraps the public functions (the __torch_function__
    protocol); minitorch's warnings must still point at the caller, not at the wrapper."""
    import warnings  # noqa: PLC0415

    import minitorch  # noqa: PLC0415

    class Marked(minitorch.Tensor):  # switches the protocol on (for the whole process)
        pass

    x = minitorch.ones(1, 2, 3, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        minitorch.nn.functional.upsample_nearest(x, scale_factor=2)
        minitorch.nn.functional.softmax(minitorch.ones(3))
        warnings.warn("a program's own warning", UserWarning, stacklevel=1)
    assert [w.filename for w in caught] == [__file__] * 3
    assert "deprecated" in str(caught[0].message) and "Implicit dimension" in str(caught[1].message)
    assert Marked is not None
