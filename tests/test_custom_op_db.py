"""PyTorch's database of custom operators (custom_op_db) run against minitorch by
tests/custom_op_harness.py: forward values, float64 gradients, double backward and the
``func`` transforms (vmap through the registered rules) must agree with PyTorch's."""

from __future__ import annotations

import functools

import pytest

pytest.importorskip("expecttest")  # PyTorch's test internals import it

ENTRIES = (
    "NumpyCubeCustomOp NumpyMulCustomOp NumpyMulScalarCustomOp NumpySortCustomOp "
    "NumpyTakeCustomOp NumpyNonzeroCustomOp NumpyNMSCustomOp NumpyViewCopyCustomOp "
    "NumpyCatCustomOp NumpySplitCopyCustomOp NumpySplitCopyWithIntCustomOp"
).split()


@functools.cache
def _database(torch):
    from custom_op_harness import op_db, rebuilt

    module = op_db()
    rebuilt(module)
    return {info.name: info for info in module.custom_op_db}


def test_every_entry_is_covered(torch):
    assert sorted(_database(torch)) == sorted(ENTRIES)


@pytest.mark.parametrize("name", ENTRIES)
def test_custom_op_matches_pytorch(torch, name):
    from custom_op_harness import check_entry

    assert [str(d) for d in check_entry(_database(torch)[name], torch)] == []
