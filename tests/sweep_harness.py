"""The harness of the compatibility sweeps (tests/test_sweep6_*.py): a program takes the
framework module, runs with PyTorch (the oracle) and with minitorch from the same seed, and
its results must agree: tensors (values, shape, dtype, requires_grad), numbers, strings,
dtypes and devices (``minitorch.`` read as ``torch.``), numpy arrays, and containers of these.
An error program must raise in both, with PyTorch's key words in both messages."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import minitorch

FLOAT32 = {"rtol": 1e-5, "atol": 1e-6}
FLOAT16 = {"rtol": 1e-3, "atol": 1e-3}


def named(value) -> str:
    """A string, dtype or device of minitorch's as PyTorch spells it."""
    return str(value).replace("minitorch", "torch")


class Sweep:
    """A registry of programs (``@sweep.program``), error programs (``@sweep.program(raises=
    regex)``, or ``@sweep.error(ExceptionType, regex)``), and their check against PyTorch.
    ``float64`` is the tolerance of float64 results."""

    def __init__(self, float64: dict | None = None) -> None:
        self.programs: dict = {}
        self.float64 = float64 or {"rtol": 1e-10, "atol": 1e-12}

    def program(self, fn=None, *, raises: str | None = None, tol: dict | None = None,
                error: type | None = None):  # fmt: skip
        """Registers ``fn(framework)``. ``raises``: both must raise, the same exception type
        (or ``error`` and its subclasses), both messages matching this regex. ``tol``: the
        tolerance of this program's floating-point results."""

        def register(f):
            f.raises, f.tol, f.error = raises, tol, error
            self.programs[f.__name__] = f
            return f

        return register(fn) if fn is not None else register

    def error(self, exc: type, match: str):
        """Registers a program that must raise ``exc`` in both, messages matching ``match``."""
        return self.program(raises=match, error=exc)

    def test(self):
        """A test module's pytest function: one case per program of this sweep, each run by
        ``check`` (the ``torch`` fixture skips them without PyTorch)."""

        @pytest.mark.parametrize("name", self.programs)
        def test_program_matches_pytorch(torch, name):
            self.check(name, torch)

        return test_program_matches_pytorch

    def check(self, name: str, torch) -> None:
        """Runs program ``name`` with both frameworks and compares (see the module docstring)."""
        prog = self.programs[name]
        expected, torch_error = _run(prog, torch)
        actual, error = _run(prog, minitorch)
        if prog.raises is None:
            assert torch_error is None, f"PyTorch raised {torch_error!r}"
            if error is not None:
                raise error
            self._compare(actual, expected, torch, prog.tol)
            return
        assert torch_error is not None, "PyTorch did not raise"
        assert error is not None, f"minitorch did not raise; PyTorch raised {torch_error!r}"
        if prog.error is not None:
            assert isinstance(torch_error, prog.error), f"PyTorch raised {torch_error!r}"
            assert isinstance(error, prog.error), f"{error!r} is not a {prog.error.__name__}"
        else:
            assert type(error).__name__ == type(torch_error).__name__, f"{error!r} vs {torch_error!r}"  # fmt: skip
        assert re.search(prog.raises, str(torch_error)), f"PyTorch's message: {torch_error}"
        assert re.search(prog.raises, named(error)), f"message {error} vs PyTorch's {torch_error}"

    def _tolerance(self, dtype: str, tol: dict | None) -> dict:
        if tol is not None:
            return tol
        if dtype == "float64":
            return self.float64
        return FLOAT16 if dtype in ("float16", "bfloat16") else FLOAT32

    def _compare(self, actual, expected, torch, tol, where: str = "result") -> None:
        if isinstance(expected, torch.Tensor):
            assert isinstance(actual, minitorch.Tensor), f"{where}: {type(actual)} is not a Tensor"
            assert tuple(actual.shape) == tuple(expected.shape), f"{where}: shape {actual.shape}"
            dtype = str(expected.dtype).split(".")[-1]
            assert str(actual.dtype).split(".")[-1] == dtype, f"{where}: dtype {actual.dtype}"
            assert actual.requires_grad == expected.requires_grad, f"{where}: requires_grad"
            self._arrays(actual.detach().numpy(), expected.detach().numpy(), dtype, tol, where)
        elif isinstance(expected, np.ndarray):
            assert isinstance(actual, np.ndarray) and actual.dtype == expected.dtype, where
            self._arrays(actual, expected, str(expected.dtype), tol, where)
        elif isinstance(expected, (tuple, list)):
            assert isinstance(actual, (tuple, list)), f"{where}: {type(actual)}"
            if hasattr(expected, "_fields"):  # named tuples (return types) by their names
                assert type(actual).__name__ == type(expected).__name__, f"{where}: {type(actual)}"
            assert len(actual) == len(expected), f"{where}: length {len(actual)} != {len(expected)}"
            for i, (a, e) in enumerate(zip(actual, expected)):
                self._compare(a, e, torch, tol, f"{where}[{i}]")
        elif isinstance(expected, dict):
            assert list(actual) == list(expected), f"{where}: keys {list(actual)}"
            for k in expected:
                self._compare(actual[k], expected[k], torch, tol, f"{where}[{k!r}]")
        elif isinstance(expected, float):
            assert actual == pytest.approx(expected, rel=1e-5, abs=1e-6, nan_ok=True), where
        elif isinstance(expected, (str, torch.dtype, torch.device)):
            assert named(actual) == str(expected), f"{where}: {actual!r} != {expected!r}"
        else:
            assert type(actual).__name__ == type(expected).__name__, f"{where}: {type(actual)}"
            assert actual == expected, f"{where}: {actual!r} != {expected!r}"

    def _arrays(self, actual, expected, dtype: str, tol, where: str) -> None:
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(
                actual, expected, err_msg=where, **self._tolerance(dtype, tol)
            )
        else:
            np.testing.assert_array_equal(actual, expected, err_msg=where)


def _run(prog, framework):
    """(result, None) or (None, the exception), from the seed 0, warnings silenced."""
    framework.manual_seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return prog(framework), None
    except Exception as error:  # the error itself is what an error program compares
        return None, error


# ---- graph programs: the autograd graph as PyTorch builds it ----------------------------------
def walk(fn, depth: int = 3):
    """The node's type name and, ``depth`` levels down, those of its next_functions."""
    if fn is None:
        return None
    if depth == 0:
        return type(fn).__name__
    return type(fn).__name__, tuple(walk(n, depth - 1) for n, _ in fn.next_functions)


def graph_and_grads(torch, make, *shapes, dtype=None):
    """(graph of make(*leaves), its value, the leaves' gradients of its sum)."""
    dtype = getattr(torch, dtype) if dtype else torch.float32
    leaves = [torch.randn(*s, dtype=dtype, requires_grad=True) for s in shapes]
    out = make(*leaves)
    first = out[0] if isinstance(out, tuple) else out
    total = sum(o.sum() for o in out) if isinstance(out, tuple) else out.sum()
    total.backward()
    return walk(first.grad_fn), out, [x.grad for x in leaves]


def graph_program(sweep: Sweep, name: str, make, *shapes, dtype=None) -> None:
    """Registers in ``sweep`` a program comparing ``make(torch, *leaves)``'s graph, value and
    gradients with PyTorch's."""

    def prog(torch):
        return graph_and_grads(torch, lambda *a: make(torch, *a), *shapes, dtype=dtype)

    prog.__name__ = name
    sweep.program(prog)
