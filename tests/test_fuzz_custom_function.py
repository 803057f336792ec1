"""Random custom ``autograd.Function`` programs, run with real PyTorch (the oracle) and with
minitorch: a Function built from a random choice of forward (products, an input returned
as-is, a view of an input, an input changed in place and marked dirty, several outputs, a
non-differentiable or integer output), of how its backward finds what it needs (saved
tensors, ctx attributes, ``setup_context``), ``set_materialize_grads``,
``once_differentiable`` and of a backward that returns gradients PyTorch checks (extra
``None``, too few, a shape that reduces, a shape that doesn't, a dtype, a gradient for a
number), then used in a loss that reads all or some outputs, maybe changed in place, hooked,
differentiated once, twice or to second order. The outcome of each program (values, flags,
node names, gradients, or the error's type and first words) must be the same. Seeds are
fixed, so a failure names a program that can be replayed with ``describe(seed)``."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minitorch

SEEDS = range(200)

FORWARDS = ("mul", "exp_mul", "identity", "view", "dirty", "two_outputs", "non_diff", "int_output",
            "two_views", "nested")  # fmt: skip
SAVES = ("save_for_backward", "ctx_attribute", "setup_context")
BACKWARDS = ("right", "right", "right", "extra_none", "extra_tensor", "too_few", "reducible",
             "bad_shape", "float32", "number_grad", "not_a_tensor", "only_needed", "list")  # fmt: skip
AFTER = (None, None, "inplace_output", "hook", "retain_grad", "detach_input", "no_grad_call",
         "saved_hooks", "inplace_input")  # fmt: skip
MODES = ("backward", "autograd.grad", "second order", "backward twice")


def spec(seed: int) -> dict:
    """The random choices of program ``seed``."""
    r = random.Random(seed)
    return {
        "forward": r.choice(FORWARDS),
        "save": r.choice(SAVES),
        "materialize": r.random() < 0.7,
        "once": r.random() < 0.2,
        "backward": r.choice(BACKWARDS),
        "y_requires_grad": r.random() < 0.6,
        "x_is_leaf": r.random() < 0.5,
        "use": r.choice(("all", "all", "first", "second")),
        "after": r.choice(AFTER),
        "mode": r.choice(MODES),
    }


def describe(seed: int) -> str:
    return ", ".join(f"{k}={v}" for k, v in spec(seed).items())


def _forward(T, kind: str, ctx, x, y, scale):
    """The outputs of forward ``kind`` and what backward needs (tensors, by name)."""
    if kind == "mul":
        return x * y * scale, {"x": x, "y": y}
    if kind == "exp_mul":
        e = x.exp()
        return e * y, {"e": e, "y": y}
    if kind == "identity":
        return x, {}
    if kind == "view":
        return x[:2], {}
    if kind == "dirty":
        x.mul_(scale)
        ctx.mark_dirty(x)
        return x, {}
    if kind in ("two_outputs", "non_diff"):
        first, second = x * y, x + y * scale
        if kind == "non_diff":
            second = (x > 0).to(x.dtype)
            ctx.mark_non_differentiable(second)
        return (first, second), {"x": x, "y": y}
    if kind == "two_views":
        return (x[:2], x[2:]), {}
    if kind == "nested":  # forward runs another Function (recording nothing inside)
        return _Square(T).apply(x) * y, {"x": x, "y": y}
    return (x * 2, x.argmax()), {}


def _Square(T):
    class Square(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    return Square


def _gradients(T, kind: str, saved: dict, grads, scale, shape):
    """The right gradients of forward ``kind`` for x and y (None for no gradient)."""
    g0 = grads[0]
    g1 = grads[1] if len(grads) > 1 else None
    if kind == "mul":
        return g0 * saved["y"] * scale, g0 * saved["x"] * scale
    if kind == "exp_mul":
        return g0 * saved["e"] * saved["y"], g0 * saved["e"]
    if kind == "identity":
        return g0, None
    if kind == "view":
        if g0 is None:
            return None, None
        return T.cat([g0, T.zeros(shape[0] - 2, dtype=g0.dtype)]), None
    if kind == "dirty":
        return g0 * scale, None
    if kind == "two_views":
        g1 = T.zeros(shape[0] - 2, dtype=g0.dtype) if g1 is None and g0 is not None else g1
        g0 = T.zeros(2, dtype=g1.dtype) if g0 is None and g1 is not None else g0
        return (None if g0 is None else T.cat([g0, g1])), None
    if kind == "nested":
        return g0 * 2 * saved["x"] * saved["y"], g0 * saved["x"] ** 2
    if kind in ("two_outputs", "non_diff"):
        gx = gy = None
        if g0 is not None:
            gx, gy = g0 * saved["y"], g0 * saved["x"]
        if kind == "two_outputs" and g1 is not None:
            gx = g1 if gx is None else gx + g1
            gy = g1 * scale if gy is None else gy + g1 * scale
        return gx, gy
    return (None if g0 is None else g0 * 2), None


def make_function(T, s: dict):
    """A custom Function class (named ``Fuzzed``) built from spec ``s``; forward takes
    ``(x, y, scale)``."""
    kind, how = s["forward"], s["save"]

    def keep(ctx, saved: dict):
        ctx.names = tuple(saved)
        if how == "ctx_attribute":
            ctx.kept = saved
        else:
            ctx.save_for_backward(*saved.values())

    def kept(ctx) -> dict:
        if how == "ctx_attribute":
            return ctx.kept
        return dict(zip(ctx.names, ctx.saved_tensors))

    def backward(ctx, *grads):
        x_shape = ctx.x_shape
        gx, gy = _gradients(T, kind, kept(ctx), grads, ctx.scale, x_shape)
        bad = s["backward"]
        if bad == "extra_none":
            return gx, gy, None, None
        if bad == "extra_tensor":
            return gx, gy, None, T.ones(1)
        if bad == "too_few":
            return (gx,)
        if bad == "reducible" and gx is not None:
            gx = gx.expand(2, *gx.shape) * 0.5
        if bad == "bad_shape" and gx is not None:
            gx = gx.sum()
        if bad == "float32" and gx is not None:
            gx = gx.float()
        if bad == "number_grad":
            return gx, gy, T.ones(())
        if bad == "not_a_tensor":
            return gx, 1.0, None
        if bad == "only_needed":
            need_x, need_y, _ = ctx.needs_input_grad
            return (gx if need_x else None), (gy if need_y else None), None
        if bad == "list":
            return [gx, gy, None]
        return gx, gy, None

    if s["once"]:
        backward = T.autograd.function.once_differentiable(backward)

    if how == "setup_context":

        def forward(x, y, scale):
            class Box:  # forward has no ctx here: mark_dirty etc. go through setup_context
                def mark_dirty(self, *a):
                    self.dirty = a

                def mark_non_differentiable(self, *a):
                    self.non_diff = a

            box = Box()
            out, saved = _forward(T, kind, box, x, y, scale)
            return out

        def setup_context(ctx, inputs, output):
            x, y, scale = inputs
            ctx.scale, ctx.x_shape = scale, x.shape
            ctx.set_materialize_grads(s["materialize"])
            if kind == "dirty":
                ctx.mark_dirty(x)
            if kind == "non_diff":
                ctx.mark_non_differentiable(output[1])
            saved = {"x": x, "y": y}
            if kind == "exp_mul":
                saved = {"e": output / y, "y": y}
            keep(ctx, saved)

        attrs = {"forward": staticmethod(forward), "setup_context": staticmethod(setup_context)}
    else:

        def forward(ctx, x, y, scale):
            ctx.scale, ctx.x_shape = scale, x.shape
            ctx.set_materialize_grads(s["materialize"])
            out, saved = _forward(T, kind, ctx, x, y, scale)
            keep(ctx, saved)
            return out

        attrs = {"forward": staticmethod(forward)}
    attrs["backward"] = staticmethod(backward)
    return type("Fuzzed", (T.autograd.Function,), attrs)


def _values(t, digits: int = 6):
    if t is None:
        return None
    return [
        f"{v:.9g}"
        for v in np.round(np.array(t.detach().tolist(), dtype=float), digits).ravel() + 0.0
    ]


def _error(e: Exception) -> tuple:
    return ("error", type(e).__name__, str(e)[:100])


def run(T, seed: int) -> list:
    s = spec(seed)
    rng = np.random.default_rng(seed)
    a = T.tensor(rng.standard_normal(4), requires_grad=True)
    b = T.tensor(rng.standard_normal(4), requires_grad=s["y_requires_grad"])
    out = []
    try:
        fn = make_function(T, s)
        x = a if s["x_is_leaf"] else a * 1.5
        if s["after"] == "detach_input":
            x = x.detach()
        if s["after"] == "saved_hooks":  # packed values scaled: backward reads them
            hooks = T.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t / 4)
            with hooks:
                res = fn.apply(x, b, 0.5)
        elif s["after"] == "no_grad_call":
            with T.no_grad():
                res = fn.apply(x, b, 0.5)
        else:
            res = fn.apply(x, b, 0.5)
        outs = res if isinstance(res, tuple) else (res,)
        out.append([(o.dtype is T.int64, o.requires_grad, o.is_leaf, o is x) for o in outs])
        out.append([type(o.grad_fn).__name__ for o in outs])
        out.append([_values(o) for o in outs])
        if s["after"] == "inplace_output":
            outs[0].mul_(3)
            out.append(_values(outs[0]))
        elif s["after"] == "inplace_input":
            with T.no_grad():
                b.add_(1)
        elif s["after"] == "hook" and outs[0].requires_grad:
            outs[0].register_hook(lambda g: g * 3)
        elif s["after"] == "retain_grad" and outs[0].requires_grad:
            outs[0].retain_grad()
        floats = [o for o in outs if o.dtype is not T.int64]
        used = {"all": floats, "first": floats[:1], "second": floats[1:] or floats}[s["use"]]
        loss = sum(((o * (i + 1)) ** 2).sum() for i, o in enumerate(used))
        out.append(_values(loss))
        if not loss.requires_grad:
            return out
        leaves = (a, b) if s["y_requires_grad"] else (a,)
        mode = s["mode"]
        if mode == "autograd.grad":
            grads = T.autograd.grad(loss, leaves, allow_unused=True)
            return out + [[_values(g) for g in grads]]
        if mode == "second order":
            grads = T.autograd.grad(loss, leaves, create_graph=True, allow_unused=True)
            out.append([_values(g) for g in grads])
            firsts = [g for g in grads if g is not None and g.requires_grad]
            if firsts:
                total = sum((g * g).sum() for g in firsts)
                seconds = T.autograd.grad(total, leaves, allow_unused=True)
                out.append([_values(g, 4) for g in seconds])
            return out
        loss.backward(retain_graph=mode == "backward twice")
        if mode == "backward twice":
            loss.backward()
        out.append([_values(t.grad) for t in leaves])
        if s["after"] == "retain_grad" and outs[0].requires_grad:
            out.append(_values(outs[0].grad))
    except Exception as e:  # noqa: BLE001 (the error is part of the outcome compared)
        out.append(_error(e))
    return out


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("seed", SEEDS)
def test_random_custom_function_matches_pytorch(torch, seed):
    assert run(minitorch, seed) == run(torch, seed), describe(seed)
