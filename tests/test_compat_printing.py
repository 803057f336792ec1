"""Printed output against PyTorch: tensor reprs under print options, grad_fn names of
pooling/padding outputs, linalg return types. minitorch prints ``minitorch.`` where PyTorch
prints ``torch.``; everything else (line breaks included) must be the same."""

import numpy as np
import pytest

import minitorch


def _same(torch, make) -> None:
    """``make(lib)`` gives the same printed text for both libraries (modulo the prefix)."""
    expected = make(torch)
    got = make(minitorch).replace("minitorch.", "torch.")
    assert got == expected


def _with_options(lib, opts: dict, value: np.ndarray) -> str:
    lib.set_printoptions(**opts)
    try:
        return repr(lib.from_numpy(value.copy()))
    finally:
        lib.set_printoptions(profile="default")


_LONG = np.resize(np.array([5.29, 1.2, 2.94, 6.72, 5.6, -2.93]), 2000)


@pytest.mark.parametrize(
    "opts, value",
    [
        # the dtype suffix fits on the last line at PyTorch's width ("torch.float16")
        ({"precision": 2}, _LONG.astype(np.float16)),
        ({"precision": 2}, _LONG.reshape(40, 50)),
        ({"linewidth": 40}, _LONG),
        ({"profile": "full"}, np.resize(np.arange(60, dtype=np.int8), (12, 12, 12))),
        ({"edgeitems": 5, "threshold": 10}, np.resize(np.arange(60, dtype=np.int32), (12, 12, 12))),
        # edgeitems=0: "[...]" and a size= suffix, even on a tensor that is not summarised
        ({"edgeitems": 0}, np.zeros((3, 4), np.float32)),
        ({"edgeitems": 0}, np.zeros(2000, np.float32)),
        ({"edgeitems": 0}, np.zeros((3, 3000), np.float32)),
        ({"edgeitems": 0}, np.array(2.0, np.float32)),
        ({"edgeitems": 0, "threshold": 3}, np.arange(5, dtype=np.int32)),
    ],
)
def test_repr_under_print_options(torch, opts, value):
    _same(torch, lambda lib: _with_options(lib, opts, value))


def test_print_options_are_reset(torch):
    _same(torch, lambda lib: _with_options(lib, {"precision": 1}, np.ones(2)) + repr(lib.ones(2)))


_X2 = np.random.default_rng(0).standard_normal((1, 2, 6, 6)).astype(np.float32)


@pytest.mark.parametrize(
    "name, call",
    [
        ("max_pool2d", lambda F, x: F.max_pool2d(x, 2)),
        ("max_pool2d unbatched", lambda F, x: F.max_pool2d(x[0], 2)),
        ("max_pool2d indices", lambda F, x: F.max_pool2d(x, 2, return_indices=True)[0]),
        ("max_pool1d", lambda F, x: F.max_pool1d(x[0], 2)),
        ("avg_pool2d", lambda F, x: F.avg_pool2d(x, 2)),
        ("avg_pool2d unbatched", lambda F, x: F.avg_pool2d(x[0], 3, 1, 1)),
        ("avg_pool1d", lambda F, x: F.avg_pool1d(x[0], 2)),
        ("constant pad", lambda F, x: F.pad(x, (1, 1))),
        ("reflect pad 1d", lambda F, x: F.pad(x[0], (1, 1), mode="reflect")),
        ("reflect pad 2d", lambda F, x: F.pad(x, (1, 1, 2, 0), mode="reflect")),
        ("replicate pad 2d", lambda F, x: F.pad(x, (1, 1, 1, 1), mode="replicate")),
    ],
)
def test_grad_fn_of_pooling_and_padding(torch, name, call):
    def printed(lib):
        x = lib.from_numpy(_X2.copy()).requires_grad_()
        return repr(call(lib.nn.functional, x))

    _same(torch, printed)


def test_padding_nothing_keeps_the_input(torch):
    x = minitorch.ones(2, 3, requires_grad=True)
    y = minitorch.nn.functional.pad(x, (0, 0))
    assert (
        y.grad_fn.name()
        == torch.nn.functional.pad(torch.ones(2, 3, requires_grad=True), (0, 0)).grad_fn.name()
    )


_SPD = np.array([[2.0, 0.5], [0.5, 1.0]])


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, a: lib.linalg.eigh(a),
        lambda lib, a: lib.linalg.qr(a),
        lambda lib, a: lib.linalg.cholesky_ex(a),
        lambda lib, a: lib.linalg.lstsq(a, a),
        lambda lib, a: lib.linalg.svd(a),
    ],
)
def test_linalg_return_types(torch, call):
    def printed(lib):
        result = call(lib, lib.from_numpy(_SPD.copy()))
        return f"{type(result).__name__} {repr(result).split('=')[0]}"

    _same(torch, printed)


def test_linalg_return_type_repr(torch):
    _same(torch, lambda lib: repr(lib.linalg.eigh(lib.diag(lib.tensor([1.0, 2.0])))))
