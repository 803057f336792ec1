"""Course/textbook-style programs (d2l.ai, fast.ai from scratch, makemore, micrograd) run
with ``import minitorch as torch`` and with PyTorch (the oracle): each test is a difference
that was found and fixed, or a realistic end-to-end program. Weights come from numpy arrays
so both libraries start from the same numbers; printed text must agree apart from the
``torch.``/``minitorch.`` prefix of dtype and Size reprs."""

from __future__ import annotations

import contextlib
import io

import numpy as np

import minitorch


def _run(fn, lib):
    """``fn(lib)``'s result and what it printed, the module prefix made PyTorch's."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(lib)
    return result, out.getvalue().replace("minitorch.", "torch.")


def _both(torch, fn):
    """(minitorch's, PyTorch's) results and printed text of ``fn``."""
    return _run(fn, minitorch), _run(fn, torch)


def _close(mine, theirs, tol=1e-5):
    """Tensors, numbers and (nested) lists of them agree; dtypes and shapes exactly."""
    if isinstance(theirs, (list, tuple)):
        assert len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            _close(m, t, tol)
        return
    if hasattr(theirs, "detach"):
        assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert tuple(mine.shape) == tuple(theirs.shape)
        mine, theirs = mine.detach().numpy(), theirs.detach().numpy()
    np.testing.assert_allclose(mine, theirs, rtol=tol, atol=tol)


# ---- d2l: devices -------------------------------------------------------------------------
def test_d2l_devices_print_as_pytorch(torch):
    """``torch.device('cuda')`` has no index (it printed 'cuda:0'), so it is not equal to
    'cuda:0'; a tensor moved there reports the current GPU's index."""

    def program(lib):
        def try_gpu(i=0):
            if lib.cuda.device_count() >= i + 1:
                return lib.device(f"cuda:{i}")
            return lib.device("cpu")

        print(lib.device("cpu"), lib.device("cuda"), lib.device("cuda:1"), try_gpu(10))
        print(repr(lib.device("cuda")), lib.device("cuda").index, lib.device("cuda", 0))
        print(lib.device("cuda") == lib.device("cuda:0"), lib.ones(2).to("cpu").device)

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs
