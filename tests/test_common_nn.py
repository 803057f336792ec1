"""PyTorch's older nn test tables (torch.testing._internal.common_nn's module_tests,
get_new_module_tests() and criterion_tests) run against minitorch (see
tests/common_nn_harness.py): initial state_dicts, forward outputs and float64 gradients of
input and parameters compared with PyTorch's, as written, with non-contiguous inputs and in
float32. Divergences listed in tests/opinfo_known.py are the only ones allowed.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's test internals import expecttest")

from common_nn_harness import common_nn_dicts, sweep  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 4


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_common_nn_matches_pytorch(chunk, torch):
    found = sweep(common_nn_dicts()[chunk::CHUNKS], torch)
    unexpected = [str(d) for d in found if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences:\n" + "\n".join(unexpected[:40])
