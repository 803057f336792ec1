"""PyTorch-compatibility programs for research autograd code and training utilities: each
program is written once against a library module ``lib`` and run with minitorch and PyTorch."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conftest import assert_close

import minitorch

_R = np.random.RandomState(0)
X = _R.randn(8, 3).astype(np.float32)
Y = _R.randn(8, 1).astype(np.float32)
W1 = (_R.randn(5, 3) * 0.5).astype(np.float32)
W2 = (_R.randn(1, 5) * 0.5).astype(np.float32)


def both(torch, program):
    """Runs ``program(lib)`` with minitorch and with PyTorch."""
    return program(minitorch), program(torch)


def assert_all_close(actual, expected, rtol=1e-4, atol=1e-5):
    """Compares two results element by element: tensors and numbers by value, None with None."""
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        if e is None:
            assert a is None
            continue
        if hasattr(e, "shape"):
            assert tuple(a.shape) == tuple(e.shape)
        assert_close(a, e, rtol=rtol, atol=atol)


def set_params(lib, module, arrays):
    with lib.no_grad():
        for p, a in zip(module.parameters(), arrays):
            p.copy_(lib.tensor(a))


# ---- higher-order gradients ----------------------------------------------------------------
@pytest.mark.parametrize("act", ["relu", "leaky_relu", "hardtanh", "relu6", "abs"])
def test_gradient_penalty_gives_zero_not_none_to_biases_before_piecewise_linear(torch, act):
    """WGAN-GP / R1 penalty through a piecewise-linear critic: the first bias only moves the
    kink, so its gradient is zero, and PyTorch gives a zero tensor (not None), which an
    optimizer like Adam then still steps."""

    def program(lib):
        nn, F = lib.nn, lib.nn.functional
        D = nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 1))
        set_params(lib, D, [W1, np.full(5, 0.1, np.float32), W2, [0.0]])
        real, fake = lib.tensor(X), lib.tensor(X[::-1].copy())
        alpha = lib.linspace(0, 1, 8).view(8, 1)
        x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        h = D[0](x)
        h = h.abs() if act == "abs" else getattr(F, act)(h)
        out = D[1](h)
        (g,) = lib.autograd.grad(out, x, lib.ones_like(out), create_graph=True)
        gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
        gp.backward()
        return [gp] + [p.grad for p in D.parameters()]

    mine, ref = both(torch, program)
    assert ref[2] is not None and mine[2] is not None
    assert_all_close(mine, ref)


def test_maml_with_functional_call(torch):
    """MAML's two inner steps through ``torch.func.functional_call`` and a second-order meta
    gradient; the module's own parameters are restored after each call."""

    def program(lib):
        nn = lib.nn
        m = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
        set_params(lib, m, [W1, np.zeros(5, np.float32), W2, [0.0]])
        x, y = lib.tensor(X), lib.tensor(Y)
        fast = dict(m.named_parameters())
        for _ in range(2):
            loss = ((lib.func.functional_call(m, fast, (x,)) - y) ** 2).mean()
            grads = lib.autograd.grad(loss, list(fast.values()), create_graph=True)
            fast = {n: p - 0.1 * g for (n, p), g in zip(fast.items(), grads)}
        meta = lib.nn.utils.stateless.functional_call(m, fast, x[:4]).pow(2).sum()
        meta.backward()
        assert m[0].weight.grad_fn is None  # the module's own parameter is back
        return [meta] + [p.grad for p in m.parameters()]

    with pytest.warns(FutureWarning):  # PyTorch deprecates nn.utils.stateless
        mine, ref = both(torch, program)
    assert_all_close(mine, ref)


def test_functional_call_ties_weights_and_checks_keys(torch):
    def program(lib):
        nn = lib.nn

        class Tied(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(2, 2, bias=False)
                self.b = nn.Linear(2, 2, bias=False)
                self.b.weight = self.a.weight

            def forward(self, x, scale=1.0):
                return self.b(self.a(x)) * scale

        m = Tied()
        set_params(lib, m, [W1[:2, :2]])
        x, w = lib.tensor(X[:3, :2]), lib.tensor(W1[2:4, :2])
        out = [
            lib.func.functional_call(m, {"a.weight": w}, (x,), {"scale": 2.0}),
            lib.func.functional_call(m, {"a.weight": w}, x, tie_weights=False),
        ]
        errors = []
        for dicts, kw in [
            ({"a.weight": w, "foo": w}, {"strict": True}),
            (({"a.weight": w}, {"a.weight": w}), {}),
        ]:
            try:
                lib.func.functional_call(m, dicts, (x,), **kw)
            except (RuntimeError, ValueError) as e:
                errors.append((type(e), str(e)))
        return out, errors

    (mine, mine_err), (ref, ref_err) = both(torch, program)
    assert_all_close(mine, ref)
    assert [(t.__name__, s) for t, s in mine_err] == [(t.__name__, s) for t, s in ref_err]


def test_grad_is_grads_batched_gives_jacobians(torch):
    """``autograd.grad(..., is_grads_batched=True)`` with identity rows: the Jacobian of every
    input in one call, also with create_graph for a Jacobian-trace penalty."""

    def program(lib):
        x = lib.tensor(X[:4], requires_grad=True)
        w = lib.tensor(W1[:2].T.copy(), requires_grad=True)
        y = (x @ w).tanh()
        jx, jw = lib.autograd.grad(y, (x, w), lib.eye(8).view(8, 4, 2), is_grads_batched=True)
        v = lib.tensor(X[0], requires_grad=True)
        (jv,) = lib.autograd.grad(
            v.sin() * v.sum(), v, lib.eye(3), is_grads_batched=True, create_graph=True
        )
        jv.trace().backward()
        return [jx, jw, jv, v.grad]

    mine, ref = both(torch, program)
    assert_all_close(mine, ref)


def test_hutchinson_trace_estimate_with_rademacher_probes(torch):
    """Hessian trace by Hutchinson's estimator: Rademacher probes from
    ``randint_like(x, high=2) * 2 - 1`` and Hessian-vector products by double backward."""

    def program(lib):
        x = lib.tensor(X[0], requires_grad=True)
        (g,) = lib.autograd.grad((x.sin() * x.pow(2)).sum(), x, create_graph=True)
        probe = lib.randint_like(x, high=2) * 2 - 1
        fixed = [lib.tensor([1.0, -1.0, 1.0]), lib.tensor([-1.0, -1.0, 1.0])]
        hvps = [lib.autograd.grad(g, x, v, retain_graph=True)[0] for v in fixed + [probe]]
        estimate = sum((h * v).sum() for h, v in zip(hvps[:2], fixed)) / 2
        return estimate, hvps[2], probe

    (est, hvp, probe), (ref_est, _, ref_probe) = both(torch, program)
    assert_close(est, ref_est)
    assert probe.dtype == minitorch.float32 and set(probe.tolist()) <= {-1.0, 1.0}
    x = X[0].astype(np.float64)  # the Hessian is diagonal: (2 - x^2) sin x + 4 x cos x
    assert_close(hvp, ((2 - x**2) * np.sin(x) + 4 * x * np.cos(x)) * probe.numpy(), rtol=1e-4)


def test_grad_error_messages_match_pytorch(torch):
    def program(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([3.0], requires_grad=True)
        cases = [
            lambda: lib.autograd.grad((x * 2).sum(), [x, y]),
            lambda: lib.autograd.grad((x * 2).sum(), [x, lib.ones(1)]),
            lambda: lib.autograd.grad(
                (x * 2).sum(), [x, y], materialize_grads=True, allow_unused=False
            ),
        ]
        errors = []
        for case in cases:
            try:
                case()
            except (RuntimeError, ValueError) as e:
                errors.append((type(e).__name__, str(e)))
        z = (x.exp() * x).sum()
        z.backward()
        try:
            z.backward()
        except RuntimeError as e:
            errors.append(("RuntimeError", str(e)))
        return errors

    mine, ref = both(torch, program)
    assert len(mine) == len(ref) == 4
    for (mt, ms), (rt, rs) in zip(mine, ref):
        assert mt == rt and ms.startswith(rs)  # minitorch may add a hint after PyTorch's text


def test_grad_output_of_another_dtype_is_cast_and_misuse_messages(torch):
    """An int64 grad_output for a float32 output is cast (PyTorch's gradient is float32);
    .grad assignment and empty-inputs errors carry PyTorch's texts."""

    def program(lib):
        x = lib.tensor(X[0], requires_grad=True)
        (g,) = lib.autograd.grad(x.sum() * 2, x, lib.tensor(3))
        errors = []
        for case in [
            lambda: setattr(x, "grad", lib.ones(4)),
            lambda: setattr(x, "grad", lib.ones(3, dtype=lib.float64)),
            lambda: setattr(x, "grad", 3),
            lambda: lib.autograd.grad(x.sum(), []),
            lambda: x.sum().backward(inputs=[]),
        ]:
            try:
                case()
            except (RuntimeError, TypeError) as e:
                errors.append((type(e).__name__, str(e)))
        return g, errors

    (g, errors), (ref_g, ref_errors) = both(torch, program)
    assert g.dtype == minitorch.float32
    assert_close(g, ref_g)
    assert len(errors) == len(ref_errors) == 5
    for (kind, text), (ref_kind, ref_text) in zip(errors, ref_errors):
        assert kind == ref_kind and ref_text.startswith(text)


# ---- custom autograd.Function --------------------------------------------------------------
def test_function_apply_keyword_arguments(torch):
    """``apply`` passes keyword arguments to forward (no gradient for them); with
    ``setup_context`` they are bound to forward's signature, defaults included."""

    def program(lib):
        seen = []

        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, c, flag=False):
                ctx.c = c
                return x * c

            @staticmethod
            def backward(ctx, g):
                seen.append(ctx.needs_input_grad[0])
                return g * ctx.c, None, None

        class Sin(lib.autograd.Function):
            @staticmethod
            def forward(x, k=3.0):
                return x.sin() * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                seen.append(len(inputs))
                ctx.save_for_backward(inputs[0])
                ctx.k = inputs[1]

            @staticmethod
            def vjp(ctx, g):  # PyTorch's other name for backward
                (x,) = ctx.saved_tensors
                return g * x.cos() * ctx.k, None

        x = lib.tensor(X[0], requires_grad=True)
        (Scale.apply(x, c=2.0).sum() + Sin.apply(x).sum() + Sin.apply(x, k=0.5).sum()).backward()
        return [x.grad], seen

    (mine, mine_seen), (ref, ref_seen) = both(torch, program)
    assert_all_close(mine, ref)
    assert mine_seen == ref_seen


def test_function_returning_non_tensor_values(torch):
    """A custom Function may return numbers or strings beside tensors: they come back as they
    are, and backward gets None for them."""

    def program(lib):
        seen = []

        class WithMeta(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2, 5, "tag"

            @staticmethod
            def backward(ctx, g, g_count, g_tag):
                seen.append((g_count, g_tag))
                return g * 2

        x = lib.tensor(X[0], requires_grad=True)
        y, count, tag = WithMeta.apply(x)
        y.sum().backward()
        return x.grad, count, tag, seen

    (g, *rest), (ref_g, *ref_rest) = both(torch, program)
    assert_close(g, ref_g)
    assert rest == ref_rest == [5, "tag", [(None, None)]]


def test_function_misuse_errors_match_pytorch(torch):
    def program(lib):
        class GradForInt(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, n):
                return x * n

            @staticmethod
            def backward(ctx, g):
                return g, g

        class SavesInt(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, 3)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g

        class NoBackward(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

        x = lib.tensor(X[0], requires_grad=True)
        errors = []
        for case in [
            lambda: GradForInt.apply(x, 3).sum().backward(),
            lambda: SavesInt.apply(x),
            lambda: NoBackward.apply(x).sum().backward(),
        ]:
            try:
                case()
            except (RuntimeError, TypeError, NotImplementedError) as e:
                errors.append((type(e).__name__, str(e)))
        return errors

    mine, ref = both(torch, program)
    assert (
        [t for t, _ in mine]
        == [t for t, _ in ref]
        == [
            "RuntimeError",
            "TypeError",
            "NotImplementedError",
        ]
    )
    assert mine[0][1] == ref[0][1]
    assert mine[1][1] == ref[1][1]
    assert mine[2][1].startswith(ref[2][1][:-1])


def test_gradcheck_without_an_input_that_requires_grad_raises(torch):
    """A check with nothing to differentiate cannot pass: PyTorch raises ValueError."""
    for lib in (minitorch, torch):
        x = lib.tensor(X[0].astype(np.float64))
        with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
            lib.autograd.gradcheck(lambda a: a.exp(), (x,), raise_exception=False)


# ---- hooks ---------------------------------------------------------------------------------
def test_module_backward_pre_hook_and_full_backward_hook(torch):
    def program(lib):
        m = lib.nn.Linear(3, 2)
        set_params(lib, m, [W1[:2], [0.5, 0.5]])
        log = []

        def pre(mod, grad_output):
            log.append(("pre", [tuple(g.shape) for g in grad_output]))
            return (grad_output[0] * 2,)

        def full(mod, grad_input, grad_output):
            log.append(("full", grad_output[0].sum().item()))
            return (grad_input[0] * 3,)

        handles = [m.register_full_backward_hook(full), m.register_full_backward_pre_hook(pre)]
        x = lib.tensor(X, requires_grad=True)
        m(x).sum().backward()
        grads = [x.grad, m.weight.grad, m.bias.grad]
        for h in handles:
            h.remove()
        m.zero_grad()
        m(x).sum().backward()
        return grads + [x.grad, m.bias.grad], log

    (mine, mine_log), (ref, ref_log) = both(torch, program)
    assert_all_close(mine, ref)
    assert mine_log == ref_log


def test_full_backward_hook_grad_input_and_grad_output_entries(torch):
    """grad_input has one entry per argument (None for a non-tensor, zeros for a tensor that
    needs no gradient or got none); grad_output is None for an output that got no gradient."""

    def program(lib):
        log = []

        def record(mod, grad_input, grad_output):
            entries = list(grad_input) + ["|"] + list(grad_output)
            log.append(
                [
                    e if e is None or isinstance(e, str) else (tuple(e.shape), e.sum().item())
                    for e in entries
                ]
            )

        class Mul(lib.nn.Module):
            def forward(self, a, b, c=None):
                return a * b if c is None else a * b * c

        class Two(lib.nn.Module):
            def forward(self, a, b):
                return a * 2, b * 3

        mul, two = Mul(), Two()
        mul.register_full_backward_hook(record)
        two.register_full_backward_hook(record)
        a = lib.tensor(X[0], requires_grad=True)
        mul(a, lib.tensor(X[1])).sum().backward()
        mul(a, lib.ones(2, 1), lib.ones(3)).sum().backward()
        mul(a, 5.0).sum().backward()
        x, _ = two(a, lib.ones(3, requires_grad=True))
        x.sum().backward()
        return log

    mine, ref = both(torch, program)
    assert len(mine) == len(ref) == 4
    for m_row, r_row in zip(mine, ref):
        assert [e if e is None or isinstance(e, str) else e[0] for e in m_row] == [
            e if e is None or isinstance(e, str) else e[0] for e in r_row
        ]
        assert_all_close(
            [e[1] for e in m_row if isinstance(e, tuple)],
            [e[1] for e in r_row if isinstance(e, tuple)],
        )


def test_node_hooks_on_grad_fn_and_accumulate_grad(torch):
    """grad_fn.register_prehook / register_hook and the leaf's AccumulateGrad node (reached by
    next_functions): their order beside a tensor hook, replaced gradients, handle removal."""

    def program(lib):
        x = lib.tensor([1.0, 1.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        y = x * w
        z = y.sum()
        log = []

        def rounded(grads):
            return [None if g is None else g.tolist() for g in grads]

        y.grad_fn.register_prehook(lambda go: log.append(("pre", rounded(go))) or (go[0] * 10,))
        handle = y.grad_fn.register_hook(
            lambda gi, go: log.append(("post", rounded(gi), rounded(go))) or (gi[0], gi[1] * 0)
        )
        acc = y.grad_fn.next_functions[0][0]
        log.append(all(isinstance(n, lib.autograd.graph.Node) for n in (y.grad_fn, acc)))
        acc.register_prehook(lambda go: log.append(("acc pre", rounded(go))))
        acc.register_hook(lambda gi, go: log.append(("acc", gi, rounded(go))))
        y.register_hook(lambda g: log.append(("tensor", g.tolist())) or g + 1)
        z.backward(retain_graph=True)
        handle.remove()
        z.backward()
        return log, x.grad, w.grad

    (log, *grads), (ref_log, *ref_grads) = both(torch, program)
    assert log == ref_log
    assert_all_close(grads, ref_grads)


def test_global_module_forward_hooks(torch):
    """nn.modules.module.register_module_forward_pre_hook / register_module_forward_hook run
    for every module, before each module's own hooks; with_kwargs, always_call, removal."""

    def program(lib):
        registry = lib.nn.modules.module
        log = []

        class Fails(lib.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        handles = [
            registry.register_module_forward_pre_hook(
                lambda m, a: log.append(f"pre {type(m).__name__}")
            ),
            registry.register_module_forward_hook(
                lambda m, a, o: log.append((type(m).__name__, o is None)), always_call=True
            ),
            registry.register_module_forward_hook(
                lambda m, a, k, o: log.append(("kwargs", sorted(k))), with_kwargs=True
            ),
        ]
        seq = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU())
        seq[0].register_forward_hook(lambda m, a, o: log.append("own hook"))
        try:
            seq(lib.ones(1, 2))
            try:
                Fails()(lib.ones(1))
            except ValueError:
                log.append("raised")
        finally:
            for h in handles:
                h.remove()
        seq(lib.ones(1, 2))
        return log

    mine, ref = both(torch, program)
    assert mine == ref
    assert mine[-3:] == [("Fails", True), "raised", "own hook"]  # always_call ran; then removed


def test_tensor_hook_changing_the_size_raises(torch):
    for lib in (minitorch, torch):
        x = lib.tensor(X[0], requires_grad=True)
        x.register_hook(lambda g: g[:2])
        with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the size of value"):
            (x * x).sum().backward()


def test_non_leaf_grad_access_warns(torch):
    for lib in (minitorch, torch):
        x = lib.tensor(X[0], requires_grad=True)
        y = x * 3
        (y**2).sum().backward()
        with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf"):
            assert y.grad is None


def test_saved_tensors_hooks_and_save_on_cpu(torch):
    """torch.autograd.graph.saved_tensors_hooks: backward uses what unpack_hook returns (here
    the pack hook doubles every saved tensor), save_on_cpu keeps gradients of any order, a
    custom Function's saved input and output go through the hooks, and
    disable_saved_tensors_hooks forbids them."""

    def program(lib):
        graph = lib.autograd.graph
        x = lib.tensor(X[0], requires_grad=True)
        with graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t):
            (x * x).sum().backward()
        doubled = x.grad
        x.grad = None
        with graph.save_on_cpu(pin_memory=False):
            (g,) = lib.autograd.grad((x.sin() * x.pow(3)).sum(), x, create_graph=True)
        g.sum().backward()

        class Exp(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                out = t.exp()
                ctx.save_for_backward(t, out)
                return out

            @staticmethod
            def backward(ctx, grad):
                _, out = ctx.saved_tensors
                return grad * out

        log = []
        v = lib.tensor(X[1], requires_grad=True)
        with graph.saved_tensors_hooks(
            lambda t: log.append("pack") or t, lambda t: log.append("unpack") or t
        ):
            y = Exp.apply(v)
        y.sum().backward()
        try:
            with graph.disable_saved_tensors_hooks("no saved tensor hooks in this region"):
                with graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                    pass
        except RuntimeError as e:
            log.append(str(e))
        return [doubled, g, x.grad, v.grad], log

    (mine, mine_log), (ref, ref_log) = both(torch, program)
    assert_all_close(mine, ref)
    assert (
        mine_log
        == ref_log
        == ["pack", "pack", "unpack", "unpack", "no saved tensor hooks in this region"]
    )


# ---- grad modes ----------------------------------------------------------------------------
def test_no_grad_decorated_generator_runs_each_step_without_grad(torch):
    """``@torch.no_grad()`` on a generator (sampling loops that yield tokens) holds for every
    step, not only for the call that creates the generator."""

    def program(lib):
        x = lib.tensor(X[0], requires_grad=True)

        @lib.no_grad()
        def sample(n):
            received = yield (x * 2).requires_grad
            for _ in range(n):
                received = yield (received, (x * 2).requires_grad, lib.is_grad_enabled())
            return "done"

        @lib.inference_mode()
        def infer():
            yield lib.is_inference_mode_enabled()

        gen = sample(2)
        steps = [next(gen), gen.send("a"), gen.send("b")]
        try:
            gen.send("c")
        except StopIteration as stop:
            steps.append(stop.value)
        steps += list(infer()) + [lib.is_grad_enabled(), lib.is_anomaly_enabled()]
        return steps

    mine, ref = both(torch, program)
    assert (
        mine == ref == [False, ("a", False, False), ("b", False, False), "done", True, True, False]
    )


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_profiler_schedule_records_the_active_steps(torch, tmp_path):
    """``torch.profiler.profile(schedule=..., on_trace_ready=...)`` with ``prof.step()`` in the
    loop: only the active steps are recorded, each window is handed over after its last
    step, ProfilerStep#<n> ranges average as ``ProfilerStep*``; the TensorBoard handler writes
    one trace per window."""

    def program(lib):
        P = lib.profiler
        windows = []

        def ready(prof):
            keys = {e.key for e in prof.key_averages()}
            windows.append(sorted(k for k in keys if k.startswith(("ProfilerStep", "blk"))))

        sched = P.schedule(wait=1, warmup=1, active=2, skip_first=1)
        with P.profile(
            activities=[P.ProfilerActivity.CPU], schedule=sched, on_trace_ready=ready
        ) as prof:
            for i in range(9):
                with P.record_function(f"blk{i}"):
                    lib.ones(4, 4) @ lib.ones(4, 4)
                prof.step()
        out = tmp_path / lib.__name__
        handler = P.tensorboard_trace_handler(str(out), worker_name="w")
        with P.profile(
            schedule=P.schedule(wait=0, warmup=1, active=1), on_trace_ready=handler
        ) as prof:
            for _ in range(4):
                lib.ones(2) * 2
                prof.step()
        return windows, [sched(i).name for i in range(10)], len(list(out.iterdir()))

    mine, ref = both(torch, program)
    assert mine == ref
    assert mine[0] == [["ProfilerStep*", "blk3", "blk4"], ["ProfilerStep*", "blk7", "blk8"]]


# ---- optimizers and schedulers -------------------------------------------------------------
def _mlp(lib):
    nn = lib.nn
    m = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
    set_params(lib, m, [W1, np.full(5, 0.1, np.float32), W2, [-0.2]])
    return m


def test_checkpoint_mid_training_continues_identically_with_step_hooks(torch):
    """Adam + OneCycleLR, optimizer step hooks, a mid-training checkpoint of model, optimizer
    and scheduler state dicts, and a fresh copy resumed from it."""

    def program(lib):
        def make(m):
            opt = lib.optim.Adam(
                [
                    {"params": m[0].parameters(), "weight_decay": 0.01},
                    {"params": m[2].parameters()},
                ],
                lr=0.01,
                amsgrad=True,
            )
            return opt, lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=8)

        def train(m, opt, sched, steps):
            for i in steps:
                x, y = lib.tensor(X[i % 4 * 2 :][:2]), lib.tensor(Y[i % 4 * 2 :][:2])
                opt.zero_grad()
                lib.nn.functional.mse_loss(m(x), y).backward()
                opt.step()
                sched.step()

        m = _mlp(lib)
        opt, sched = make(m)
        log = []
        opt.register_step_pre_hook(lambda o, args, kwargs: log.append("pre"))
        handle = opt.register_step_post_hook(lambda o, args, kwargs: log.append("post"))
        train(m, opt, sched, range(3))
        handle.remove()
        ckpt = copy.deepcopy(
            {"model": m.state_dict(), "optimizer": opt.state_dict(), "sched": sched.state_dict()}
        )
        train(m, opt, sched, range(3, 7))
        m2 = _mlp(lib)
        opt2, sched2 = make(m2)
        m2.load_state_dict(ckpt["model"])
        opt2.load_state_dict(ckpt["optimizer"])
        sched2.load_state_dict(ckpt["sched"])
        train(m2, opt2, sched2, range(3, 7))
        keys = [list(ckpt["optimizer"]["state"][0]), sorted(ckpt["sched"])]
        return (
            list(m.parameters()) + list(m2.parameters()) + [opt2.param_groups[0]["lr"]],
            keys,
            log,
        )

    (mine, mine_keys, mine_log), (ref, ref_keys, ref_log) = both(torch, program)
    assert_all_close(mine, ref)
    assert_all_close(mine[:4], mine[4:8], rtol=0, atol=0)  # the resumed run is the same run
    assert mine_keys == ref_keys  # 'step' leads each state; 'use_beta1' is in the scheduler's
    assert mine_log == ref_log == ["pre", "post"] * 3 + ["pre"] * 4


# ---- data and checkpoints ------------------------------------------------------------------
def test_data_pipeline_with_stack_dataset_and_pytorch_loader_options(torch):
    """StackDataset of dict samples, a custom sampler, DataLoader options PyTorch programs pass
    (multiprocessing_context, pin_memory_device, in_order), ConcatDataset and a fraction split."""

    def program(lib):
        data = lib.utils.data
        feats = lib.tensor(X)
        labels = lib.tensor(np.arange(8) % 3)
        ds = data.StackDataset(x=feats, y=labels)

        class Reverse(data.Sampler):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n - 1, -1, -1))

            def __len__(self):
                return self.n

        loader = data.DataLoader(
            ds,
            batch_size=3,
            sampler=Reverse(len(ds)),
            num_workers=0,
            multiprocessing_context=None,
            pin_memory_device="",
            in_order=True,
        )
        batches = [(b["x"], b["y"]) for b in loader]
        both_ds = data.ConcatDataset(
            [data.StackDataset(feats, labels), data.TensorDataset(feats, labels)]
        )
        g = lib.Generator().manual_seed(0)
        sizes = [len(p) for p in data.random_split(both_ds, [0.5, 0.3, 0.2], generator=g)]
        errors = []
        for case in [
            lambda: data.StackDataset(feats, y=labels),
            lambda: data.StackDataset(feats, labels[:3]),
            lambda: data.random_split(range(10), [0.5, 0.6]),
            lambda: data.DataLoader(ds, prefetch_factor=2),
        ]:
            try:
                case()
            except ValueError as e:
                errors.append(str(e))
        return [t for pair in batches for t in pair], len(loader), sizes, both_ds[9], errors

    (mine, n, sizes, item, errors), (ref, ref_n, ref_sizes, ref_item, ref_errors) = both(
        torch, program
    )
    assert_all_close(mine, ref, rtol=0, atol=0)
    assert (n, sizes) == (ref_n, ref_sizes) == (3, [9, 4, 3])
    assert_all_close(item, ref_item, rtol=0, atol=0)
    assert errors[:2] == ref_errors[:2]
    assert errors[2].startswith(ref_errors[2])
    assert errors[3].startswith("prefetch_factor option could only be specified in multiprocessing")


def test_pytorch_submodule_import_paths_of_utils_data_and_hooks(torch):
    """Older programs import from the submodules: torch.utils.data.sampler / .dataset /
    .dataloader / .distributed, torch.utils.hooks."""
    import importlib

    def program(lib):
        def mod(path):
            return importlib.import_module(path.replace("torch", lib.__name__, 1))

        sampler, dataset = mod("torch.utils.data.sampler"), mod("torch.utils.data.dataset")
        loader_mod, dist = mod("torch.utils.data.dataloader"), mod("torch.utils.data.distributed")
        hooks = mod("torch.utils.hooks")
        ds = dataset.TensorDataset(lib.tensor(X))
        parts = dataset.random_split(ds, [6, 2], generator=lib.Generator().manual_seed(0))
        batches = list(
            loader_mod.DataLoader(
                ds,
                batch_size=3,
                sampler=sampler.SubsetRandomSampler([1, 4, 6], generator=lib.Generator()),
                collate_fn=loader_mod.default_collate,
            )
        )
        shard = list(dist.DistributedSampler(ds, num_replicas=2, rank=1, shuffle=False))
        handle = lib.ones(1, requires_grad=True).register_hook(lambda g: g)
        rows = sorted(batches[0][0][:, 0].tolist())
        return [len(p) for p in parts], rows, shard, isinstance(handle, hooks.RemovableHandle)

    mine, ref = both(torch, program)
    assert mine[0] == ref[0] and mine[2:] == ref[2:]
    np.testing.assert_allclose(mine[1], ref[1])


def test_checkpoint_round_trip_keeps_ordered_dicts_devices_sizes(torch, tmp_path):
    def program(lib):
        m = _mlp(lib)
        opt = lib.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
        m(lib.tensor(X)).sum().backward()
        opt.step()
        ckpt = {
            "model": m.state_dict(),
            "optimizer": opt.state_dict(),
            "epoch": 3,
            "meta": {
                "device": lib.device("cpu"),
                "shape": lib.ones(2, 3).shape,
                "dtype": lib.float16,
            },
        }
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save(ckpt, path, _use_new_zipfile_serialization=True)  # accepted, no effect
        back = lib.load(path, map_location="cpu")
        m2 = _mlp(lib)
        m2.load_state_dict(back["model"])
        meta = back["meta"]
        kinds = [type(back["model"]).__name__, type(meta["shape"]).__name__, str(meta["device"])]
        kinds += [
            str(meta["dtype"]).split(".")[1],
            back["epoch"],
            list(back["optimizer"]["state"][0]),
        ]
        return list(m2.parameters()) + [back["optimizer"]["state"][0]["momentum_buffer"]], kinds

    (mine, mine_kinds), (ref, ref_kinds) = both(torch, program)
    assert_all_close(mine, ref)
    assert (
        mine_kinds == ref_kinds == ["OrderedDict", "Size", "cpu", "float16", 3, ["momentum_buffer"]]
    )


def test_optimizer_state_dict_hooks(torch):
    """state_dict pre/post hooks (prepend; a post hook may return a replacement dict) and
    load_state_dict pre/post hooks (a pre hook may return the dict to load)."""

    def program(lib):
        m = _mlp(lib)
        opt = lib.optim.Adam(m.parameters(), lr=0.1)
        lib.nn.functional.mse_loss(m(lib.tensor(X)), lib.tensor(Y)).backward()
        opt.step()
        log = []

        def add_extra(o, sd):
            log.append("post")
            return {**sd, "extra": 7}

        def drop_extra(o, sd):
            log.append(("load_pre", sd.get("extra")))
            return {k: v for k, v in sd.items() if k != "extra"}

        opt.register_state_dict_pre_hook(lambda o: log.append("pre"))
        opt.register_state_dict_pre_hook(lambda o: log.append("pre first"), prepend=True)
        opt.register_state_dict_post_hook(add_extra)
        opt.register_state_dict_post_hook(lambda o, sd: log.append(("sees", "extra" in sd)))
        opt.register_load_state_dict_pre_hook(drop_extra)
        handle = opt.register_load_state_dict_post_hook(lambda o: log.append("load_post"))
        sd = opt.state_dict()
        opt.load_state_dict(copy.deepcopy(sd))
        handle.remove()
        opt.load_state_dict(copy.deepcopy(sd))
        return log, sorted(sd)

    mine, ref = both(torch, program)
    assert mine == ref
    assert mine[1] == ["extra", "param_groups", "state"]


@pytest.mark.parametrize(
    "name, options",
    [
        ("Adamax", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}),
        ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "momentum_decay": 0.01}),
        ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
        ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "betas": (0.9, 0.99)}),
        ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1}),
        ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.1), "maximize": True}),
        ("ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3, "weight_decay": 0.1}),
    ],
)
def test_adam_variants_adadelta_rprop_asgd_train_like_pytorch(torch, name, options):
    """Ten steps (RAdam switches its adaptive term on at step 6 with beta2=0.99), a state_dict
    taken after four and loaded into a fresh optimizer."""

    def program(lib):
        m = _mlp(lib)
        opt = getattr(lib.optim, name)(m.parameters(), **options)
        states = []
        for i in range(10):
            opt.zero_grad()
            lib.nn.functional.mse_loss(m(lib.tensor(X[i % 4 :][:4])), lib.tensor(Y[:4])).backward()
            opt.step()
            if i == 3:
                fresh = getattr(lib.optim, name)(_mlp(lib).parameters(), **options)
                fresh.load_state_dict(copy.deepcopy(opt.state_dict()))
                states.append(list(fresh.state_dict()["state"][0].items()))
        return list(m.parameters()), states[0]

    (mine, mine_state), (ref, ref_state) = both(torch, program)
    assert_all_close(mine, ref)
    assert [k for k, _ in mine_state] == [k for k, _ in ref_state]
    assert_all_close([v for _, v in mine_state], [v for _, v in ref_state])
