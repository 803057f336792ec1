"""PyTorch's OpInfo database through forward-mode AD (tests/opinfo_harness.py ``--jvp``): for
every op PyTorch marks ``supports_forward_ad``, a few float64 samples with fixed tangents on
their differentiable inputs, through the function and in-place variants inside a dual level;
the primal and tangent outputs (values, dtypes, shapes, and whether a tangent exists) must be
PyTorch's. Divergences listed in tests/opinfo_known.py (variant "jvp"/"jvp_inplace") are the
only ones allowed. The CLI (``--jvp -v``, ``--fwbw``) runs more samples.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

from opinfo_harness import op_db, sweep_jvp  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 4
SAMPLES = 3


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_forward_mode_ad_gives_pytorchs_tangents(chunk, torch):
    found = [d for info in op_db()[chunk::CHUNKS] for d in sweep_jvp(info, torch, SAMPLES)]
    unexpected = [str(d) for d in found if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences from PyTorch:\n" + "\n".join(
        unexpected[:40]
    )
