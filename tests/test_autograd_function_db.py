"""PyTorch's database of custom autograd Functions (autograd_function_db) run against
minitorch by tests/autograd_function_harness.py: forward values, float64 gradients, double
backward, forward-mode AD and the ``func`` transforms must agree with PyTorch's."""

from __future__ import annotations

import functools

import pytest

pytest.importorskip("expecttest")  # PyTorch's test internals import it

ENTRIES = (
    "NumpyCubeAutogradFunction NumpyExpMarkDirtyAutogradFunction NumpyMulAutogradFunction "
    "NumpyCubeNotComposableAutogradFunction NumpySortAutogradFunction NumpyTakeAutogradFunction "
    "SelectAutogradFunction CubeGenVmapAutogradFunction MulGenVmapAutogradFunction "
    "SortGenVmapAutogradFunction SelectGenVmapAutogradFunction ScaleGradGenVmapAutogradFunction "
    "ZeroGradientsGenVmapAutogradFunction ForwardHasDefaultArgsAutogradFunction"
).split()


@functools.cache
def _database(torch):
    from autograd_function_harness import function_db, rebuilt

    module = function_db()
    return {info.name: info for info in module.autograd_function_db}, rebuilt(module, torch)


def test_every_entry_is_covered(torch):
    assert sorted(_database(torch)[0]) == sorted(ENTRIES)


@pytest.mark.parametrize("name", ENTRIES)
def test_autograd_function_matches_pytorch(torch, name):
    from autograd_function_harness import check_entry

    infos, scope = _database(torch)
    assert [str(d) for d in check_entry(infos[name], torch, scope)] == []
