"""Runs PyTorch's database of custom operators (torch.testing._internal.custom_op_db:
NumpyCube, NumpyMul, NumpyMulScalar, NumpySort, NumpyTake, NumpyNonzero, NumpyNMS,
NumpyViewCopy, NumpyCat, NumpySplitCopy(WithInt), each a ``torch.library.custom_op`` with
autograd, fake and vmap rules) against minitorch. The module's source runs again with
``torch`` meaning minitorch (its ``custom_op`` definitions and rules become minitorch's, called
as ``torch.ops._torch_testing.<name>``); the samples come from PyTorch's recipes, converted.
Compared with PyTorch's: forward values (several dtypes), float64 gradients and double
backward, ``func.grad``, ``jacrev``, ``vmap`` (the registered rules) and ``vmap(grad)``.
Where PyTorch raises, minitorch must raise the same type. As a script it prints the
divergences:

    python tests/custom_op_harness.py [--ops NAME ...] [-v]
"""

from __future__ import annotations

import argparse
import inspect

from autograd_function_harness import CHECKS, DTYPES, _attempt, _Case, _outcome
from opinfo_harness import SEED, Divergence, _inputs, torch_internal

import minitorch

# custom_op_db's transforms that PyTorch's custom ops support (no forward-mode AD)
TRANSFORMS = ("gradients", "double backward", "func.grad", "jacrev", "vmap", "vmap(grad)")
_END = "custom_op_db = ["  # the OpInfos (PyTorch's) and schema-only ops (Library.define)


def op_db():
    """PyTorch's custom_op_db module."""
    return torch_internal("custom_op_db")


def rebuilt(module) -> dict:
    """The module's op definitions run again with ``torch`` meaning minitorch (its imports
    of PyTorch's test internals find them loaded)."""
    source = inspect.getsource(module).split(_END)[0].replace("import torch\n", "", 1)
    scope = {"__name__": "custom_op_db_on_minitorch", "torch": minitorch}
    exec(compile(source, module.__file__, "exec"), scope)  # noqa: S102
    return scope


def _mine_op(op):
    """minitorch's counterpart of an entry's op (an OpOverload or OpOverloadPacket)."""
    namespace, name = str(op).split(".")[:2]
    return getattr(getattr(minitorch.ops, namespace), name)


def check_entry(info, torch) -> list:
    """The divergences of one custom_op_db entry."""
    mine_op = _mine_op(info.op)
    found = []

    def sides(dtype: str, grad: bool) -> list:
        torch.manual_seed(SEED)
        samples, failed = _attempt(_inputs, info, getattr(torch, dtype), grad, "sample", None)
        if failed is not None:  # PyTorch's recipe itself (NumpyNonzero's bool samples)
            return []
        return [
            (_Case(info.op, s, torch, torch, grad), _Case(mine_op, s, minitorch, torch, grad))
            for s in samples
        ]

    def record(what: str, dtype: str, check, pair) -> None:
        theirs = _attempt(check, pair[0])
        mine = _attempt(check, pair[1])
        if (diff := _outcome(what, theirs, mine, torch)) is not None:
            found.append(Divergence(info.name, what, dtype, "-", diff))

    for dtype in DTYPES:
        for pair in sides(dtype, grad=False):
            record("forward", dtype, lambda case: case.call(), pair)
    if info.supports_autograd:
        for pair in sides("float64", grad=True):
            for what in TRANSFORMS:
                record(what, "float64", CHECKS[what], pair)
    else:
        for pair in sides("float64", grad=False):
            record("vmap", "float64", CHECKS["vmap"], pair)
    return found


def sweep(torch, names=None) -> list:
    """The divergences of every entry (or of those named)."""
    module = op_db()
    rebuilt(module)
    found = []
    for info in module.custom_op_db:
        if not names or info.name in names:
            found += check_entry(info, torch)
    return found


def main() -> None:
    import warnings

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", nargs="*", help="entry names (default: all)")
    parser.add_argument("-v", action="store_true", help="print every divergence")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    found = sweep(torch, opts.ops)
    for d in found:
        print(d if opts.v else str(d)[:300], flush=True)
    print(f"{len(found)} divergences")


if __name__ == "__main__":
    main()
