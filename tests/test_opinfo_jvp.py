"""PyTorch's OpInfo database through forward-mode AD (tests/opinfo_harness.py ``--jvp`` and
``--fwbw``): for every op PyTorch marks ``supports_forward_ad``, the first float64 samples with
fixed tangents on their differentiable inputs, through the function and in-place variants
inside a dual level: the primal and tangent outputs (values, dtypes, shapes, and whether a
tangent exists) must be PyTorch's; for the ops marked ``supports_fwgrad_bwgrad``, the first
sample's reverse-mode gradients of the tangents too. Divergences listed in
tests/opinfo_known.py (variants "jvp", "jvp_inplace", "fwbw") are the only ones allowed. The
CLI runs 40 samples per op.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

from opinfo_harness import op_db, sweep_jvp  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 4
SAMPLES = {False: 2, True: 1}  # per op, forward mode / reverse over forward


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("backward", [False, True], ids=["jvp", "fwbw"])
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_forward_mode_ad_gives_pytorchs_tangents(chunk, backward, torch):
    infos = op_db()[chunk::CHUNKS]
    found = [d for info in infos for d in sweep_jvp(info, torch, SAMPLES[backward], backward)]
    unexpected = [str(d) for d in found if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences from PyTorch:\n" + "\n".join(
        unexpected[:40]
    )
