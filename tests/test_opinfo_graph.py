"""PyTorch's OpInfo database through tests/opinfo_harness.py ``--graph``: for every op with
float32 samples, the first samples with their float inputs requiring grad, through the
function variant: each output's ``requires_grad``, whether it has a ``grad_fn`` and the
grad_fn's ``name()`` must be PyTorch's. Divergences listed in tests/opinfo_known.py (variant
"graph", the dict ``GRAPH``) are the only ones allowed. The CLI runs 40 samples per op.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

from opinfo_harness import op_db, sweep_graph  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 4
SAMPLES = 4  # per op


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_outputs_graph_is_pytorchs(chunk, torch):
    found = [d for info in op_db()[chunk::CHUNKS] for d in sweep_graph(info, torch, SAMPLES)]
    unexpected = [str(d) for d in found if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences from PyTorch:\n" + "\n".join(
        unexpected[:40]
    )
