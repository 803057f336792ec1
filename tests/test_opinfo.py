"""PyTorch's own OpInfo database run against minitorch (see tests/opinfo_harness.py): each
op's sample inputs through its function, method and in-place variants, with values, dtypes,
shapes and float64 first- and second-order gradients compared with PyTorch's, and each op's
error inputs compared by exception type and message. Divergences listed in
tests/opinfo_known.py (out-of-scope features, and the ones not fixed yet, each with its
reason) are the only ones allowed.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

from opinfo_harness import op_db, sweep_errors, sweep_op  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 16
DTYPES = ("float32", "float64", "int64", "bool")  # the CLI (-v) adds float16 and more samples
SAMPLES_PER_DTYPE = 16
TOO_SLOW_HERE = {"grid_sampler_3d"}  # ~30 s of 3-D sampling: run it with the harness's CLI


def _unexpected(found: list) -> str:
    unexpected = [str(d) for d in found if not is_known(d)]
    shown = "\n".join(unexpected[:40])
    return f"{len(unexpected)} divergences from PyTorch:\n{shown}" if unexpected else ""


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_sample_inputs_give_pytorchs_values_and_gradients(chunk, torch):
    found = []
    for info in op_db()[chunk::CHUNKS]:
        if info.name in TOO_SLOW_HERE:
            continue
        found += sweep_op(info, torch, DTYPES, limit=SAMPLES_PER_DTYPE, second_order=True)
    assert not _unexpected(found), _unexpected(found)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(4))
def test_error_inputs_raise_pytorchs_errors(chunk, torch):
    found = [d for info in op_db()[chunk::4] for d in sweep_errors(info, torch)]
    assert not _unexpected(found), _unexpected(found)
