"""Runs PyTorch's older nn test tables (torch.testing._internal.common_nn: ``module_tests``,
``get_new_module_tests()`` and ``criterion_tests``, the dicts test_nn.py runs) against
minitorch: each module is built on both sides after ``manual_seed(0)`` (functional and lambda
constructors rebuilt with ``torch``/``nn``/``F`` meaning minitorch's), the initial state_dicts
compared, PyTorch's state loaded into minitorch's module, the input (and target) made by
PyTorch's recipe and converted, then forward outputs and, in float64, the gradients of the
input and the parameters compared. As a script it prints the divergences:

    python tests/common_nn_harness.py [--tests NAME_PREFIX ...] [-v]
"""

from __future__ import annotations

import argparse
import types

from moduleinfo_harness import _weights
from opinfo_harness import (
    SEED,
    Divergence,
    _first_line,
    _tensors,
    compare,
    to_minitorch,
    torch_internal,
)

import minitorch


def common_nn_dicts() -> list:
    """PyTorch's common_nn test dicts, each with its test name (``fullname`` or module + desc)."""
    common_nn = torch_internal("common_nn")
    dicts = common_nn.module_tests + common_nn.get_new_module_tests() + common_nn.criterion_tests
    return [(_name(d), d) for d in dicts]


def _name(d: dict) -> str:
    if "fullname" in d:
        return d["fullname"]
    name = d.get("module_name") or d["constructor"].__name__
    return name + ("_" + d["desc"] if d.get("desc") else "")


def _mine(value, torch):
    """``value`` in minitorch's terms; PyTorch's test lambdas rebuilt with ``torch``, ``nn`` and
    ``F`` in their globals meaning minitorch's (their closures converted too)."""
    if isinstance(value, types.FunctionType) and value.__module__.startswith("torch.testing"):
        scope = dict(value.__globals__, torch=minitorch, nn=minitorch.nn, F=minitorch.nn.functional)
        cells = value.__closure__ or ()
        closure = tuple(types.CellType(_mine(c.cell_contents, torch)) for c in cells)
        defaults = _mine(value.__defaults__, torch) if value.__defaults__ else None
        fn = types.FunctionType(value.__code__, scope, value.__name__, defaults, closure or None)
        fn.__kwdefaults__ = value.__kwdefaults__
        return fn
    if isinstance(value, dict):
        return {k: _mine(v, torch) for k, v in value.items()}
    return to_minitorch(value, torch)


def _constructor(d: dict, torch):
    """(PyTorch's module constructor, minitorch's), or None where minitorch lacks the class."""
    if "constructor" not in d:
        name = d["module_name"]
        return getattr(torch.nn, name), getattr(minitorch.nn, name, None)
    ctor = d["constructor"]
    if isinstance(ctor, type) and ctor.__qualname__.startswith("wrap_functional."):
        cells = dict(zip(ctor.forward.__code__.co_freevars, ctor.forward.__closure__))
        fn = _mine(cells["fn"].cell_contents, torch)
        kwargs = _mine(cells["kwargs"].cell_contents, torch)

        class FunctionalModule(minitorch.nn.Module):
            def forward(self, *args):
                return fn(*args, **kwargs)

        return ctor, FunctionalModule
    if isinstance(ctor, type):
        return ctor, getattr(minitorch.nn, ctor.__name__, None)
    return ctor, _mine(ctor, torch)


def _arg(d: dict, name: str, torch):
    if name in d:
        return d[name]
    if name + "_fn" in d:
        return d[name + "_fn"]()
    sizes = d.get(name + "_size")

    def make(s):
        if isinstance(s, list):
            return [make(x) for x in s]
        return s.double() if isinstance(s, torch.Tensor) else torch.randn(s)

    return None if sizes is None else make(sizes)


def _noncontiguous(value, torch):
    """``value``'s tensors as non-contiguous copies (test_nn's ``noncontiguize``: interleaved
    along the first dimension longer than 1)."""
    if isinstance(value, (list, tuple)):
        return type(value)(_noncontiguous(v, torch) for v in value)
    if not isinstance(value, torch.Tensor) or value.dim() == 0:
        return value
    dim = next((d + 1 for d in range(value.dim()) if value.size(d) > 1), value.dim())
    return torch.stack([torch.empty_like(value), value], dim).select(dim, 1).detach()


def _half(value, torch):
    if isinstance(value, (list, tuple)):
        return type(value)(_half(v, torch) for v in value)
    if isinstance(value, torch.Tensor) and value.dtype.is_floating_point:
        return value.half()
    return value


def _differentiable(value, torch):
    if isinstance(value, torch.Tensor):
        value = value.detach().clone()
        return value.requires_grad_(value.dtype.is_floating_point)
    if isinstance(value, (list, tuple)):
        return type(value)(_differentiable(v, torch) for v in value)
    return value


VARIANTS = ("default", "noncontiguous", "float32", "gradgrad")  # and "float16", on request


def check_test(d: dict, torch, variant: str = "default") -> list:
    """What differs (a list of strings) on one test dict: as written ("default"), with its
    tensor inputs made non-contiguous ("noncontiguous", as test_nn's test_noncontig), or with
    float32 as the default dtype ("float32", as its CUDA tests run the float64 dicts), with
    second-order gradients too ("gradgrad", as its gradgradcheck), or module, input and target
    in float16 ("float16")."""
    try:
        theirs_ctor, mine_ctor = _constructor(d, torch)
    except TypeError as exc:  # a complex tensor in the lambda's closure
        return [f"not convertible: {_first_line(exc)}"]
    if mine_ctor is None:
        return ["missing in minitorch.nn"]
    dtype = d.get("default_dtype") or torch.float32
    if variant in ("float32", "float16"):
        dtype = torch.float32
    old, old_mine = torch.get_default_dtype(), minitorch.get_default_dtype()
    torch.set_default_dtype(dtype)
    minitorch.set_default_dtype(to_minitorch(dtype, torch))
    try:
        return _check(d, theirs_ctor, mine_ctor, dtype == torch.float64, variant, torch)
    finally:
        torch.set_default_dtype(old)
        minitorch.set_default_dtype(old_mine)


def _check(d: dict, theirs_ctor, mine_ctor, grads: bool, variant: str, torch) -> list:
    args = d.get("constructor_args", ())
    try:
        torch.manual_seed(0)
        theirs = theirs_ctor(*args)
        torch.manual_seed(SEED)
        given = _arg(d, "input", torch)
        target = _arg(d, "target", torch)
    except Exception:
        return []
    try:
        minitorch.manual_seed(0)
        mine = mine_ctor(*_mine(args, torch))
    except Exception as exc:  # noqa: BLE001 -- every failure is a divergence
        return [f"constructor raises {type(exc).__name__}: {_first_line(exc)}"]
    found = []
    t_state, m_state = theirs.state_dict(), mine.state_dict()
    if list(m_state) != list(t_state):
        return [f"state_dict keys {list(m_state)}, PyTorch {list(t_state)}"]
    for key, value in t_state.items():
        if (diff := compare(value, m_state[key], torch, f"initial {key}")) is not None:
            found.append(diff)
    try:
        mine.load_state_dict(to_minitorch(dict(t_state), torch, keep_grad=False))
    except Exception as exc:  # noqa: BLE001
        return [*found, f"load_state_dict raises {type(exc).__name__}: {_first_line(exc)}"]
    if variant == "noncontiguous":
        given = _noncontiguous(given, torch)
    if variant == "float16":
        theirs.half()
        mine.half()
        given = _half(given, torch)
        target = _half(target, torch)
    inputs = _differentiable(given, torch) if grads else given
    t_args = (inputs,) if target is None else (inputs, target)
    if isinstance(inputs, tuple) and target is None:
        t_args = inputs
    elif isinstance(inputs, tuple):
        t_args = (*inputs, target)
    try:
        m_args = to_minitorch(t_args, torch)
    except TypeError as exc:  # a complex input
        return [*found, f"not convertible: {_first_line(exc)}"]
    try:
        torch.manual_seed(SEED)
        t_out = theirs(*t_args)
    except Exception:
        return found
    try:
        minitorch.manual_seed(SEED)
        m_out = mine(*m_args)
    except Exception as exc:  # noqa: BLE001
        return [*found, f"forward raises {type(exc).__name__}: {_first_line(exc)}"]
    if (diff := compare(t_out, m_out, torch)) is not None:
        return [*found, diff]
    for (name, t_buf), (_, m_buf) in zip(theirs.named_buffers(), mine.named_buffers()):
        if (diff := compare(t_buf, m_buf, torch, f"buffer {name} after forward")) is not None:
            found.append(diff)
    if variant == "default":
        found += _eval_forward(theirs, mine, t_args, m_args, torch)
    if not grads:
        return found
    t_wanted = _tensors(t_args, torch) + list(theirs.parameters())
    m_wanted = _tensors(m_args, torch) + list(mine.parameters())
    t_grads, m_grads = _tensors(t_out, torch), _tensors(m_out, torch)
    for where in ("grad", "gradgrad") if variant == "gradgrad" else ("grad",):
        try:
            t_grads = _grads(t_grads, t_wanted, torch, variant == "gradgrad")
        except Exception:
            return found
        if t_grads is None:
            return found
        try:
            m_grads = _grads(m_grads, m_wanted, minitorch, variant == "gradgrad")
        except Exception as exc:  # noqa: BLE001
            return [*found, f"{where}: backward raises {type(exc).__name__}: {_first_line(exc)}"]
        if (diff := compare(t_grads, m_grads, torch, where)) is not None:
            return [*found, diff]
    return found


def _eval_forward(theirs, mine, t_args, m_args, torch) -> list:
    """What differs in eval mode (running statistics used, dropout off), gradients off."""
    theirs.eval()
    mine.eval()
    try:
        with torch.no_grad():
            t_out = theirs(*t_args)
    except Exception:
        return []
    try:
        with minitorch.no_grad():
            m_out = mine(*m_args)
    except Exception as exc:  # noqa: BLE001
        return [f"eval forward raises {type(exc).__name__}: {_first_line(exc)}"]
    diff = compare(t_out, m_out, torch, "eval output")
    return [] if diff is None else [diff]


def _grads(outs, wanted, lib, create_graph: bool):
    """The gradients of ``outs`` weighted by fixed weights with respect to ``wanted`` (None
    for those unused; in the graph with ``create_graph``, to be differentiated again)."""
    outs = [t for t in outs if t is not None and t.requires_grad]
    wanted = [t for t in wanted if t.requires_grad]
    if not outs or not wanted:
        return None
    weights = _weights(outs, lib)
    grads = lib.autograd.grad(outs, wanted, weights, allow_unused=True, create_graph=create_graph)
    return tuple(grads)


def sweep(tests: list, torch, variants=VARIANTS) -> list:
    """Divergences of (name, dict) pairs from ``common_nn_dicts()`` in each variant."""
    found = []
    for name, d in tests:
        for variant in variants:
            if variant in ("float32", "gradgrad") and d.get("default_dtype") != torch.float64:
                continue
            if variant == "gradgrad" and not d.get("check_gradgrad", True):
                continue
            dtype = variant if variant in ("float32", "float16") else d.get("default_dtype")
            dtype = str(dtype or torch.float32).removeprefix("torch.")
            for what in check_test(d, torch, variant):
                found.append(Divergence(name, variant, dtype, _describe(d), what))
    return found


def _describe(d: dict) -> str:
    parts = [f"{k}={d[k]!r}" for k in ("constructor_args", "input_size", "target_size") if k in d]
    return "(" + ", ".join(parts) + ")"


def main() -> None:
    import warnings

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="*", help="test name prefixes (default: all)")
    parser.add_argument("--variants", nargs="*", default=VARIANTS, help=f"{VARIANTS}, float16")
    parser.add_argument("-v", action="store_true", help="print what differs on each test")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    tests = [
        (n, d)
        for n, d in common_nn_dicts()
        if not opts.tests or any(n.startswith(p) for p in opts.tests)
    ]
    found = sweep(tests, torch, opts.variants)
    for d in found if opts.v else found[:40]:
        print(d, flush=True)
    print(f"{len(found)} divergences in {len(tests)} common_nn tests")


if __name__ == "__main__":
    main()
