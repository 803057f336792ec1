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


# ---- printed grad_fn names ----------------------------------------------------------------
def test_d2l_printed_grad_fn_names(torch):
    """Outputs printed in d2l/fast.ai lessons name PyTorch's nodes: layer/batch/group norm
    were NormalizeBackward0, clamp_min/clamp_max ClampBackward1, ``1 / x`` DivBackward0,
    conv1d SqueezeBackward1 and transposed convolutions AddBackward0."""

    def program(lib):
        nn = lib.nn
        X = lib.tensor([[1.0, 2.0], [2.0, 3.0]])
        ln, bn = nn.LayerNorm(2), nn.BatchNorm1d(2)
        print("layer norm:", ln(X), "\nbatch norm:", bn(X))
        bn.eval()
        print(bn(X), nn.GroupNorm(1, 2)(X[None]).grad_fn.name())
        t = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        print(t.clamp_min(0.0), lib.clamp_max(t, 1.0), t.clamp_min(lib.zeros(3)), 1 / t)
        Xc = lib.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
        tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)
        tconv.weight.data = lib.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
        print(tconv(Xc))
        conv1d = nn.Conv1d(1, 1, kernel_size=2, bias=False)
        conv1d.weight.data = lib.tensor([[[1.0, -1.0]]])
        print(conv1d(lib.tensor([[[1.0, 2.0, 4.0]]])))

    (_, mine), (_, theirs) = _both(torch, program)
    assert mine == theirs
