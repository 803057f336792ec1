"""PyTorch's own ModuleInfo database run against minitorch (see tests/moduleinfo_harness.py):
every nn module built on both sides after the same seed (default initialisations equal),
PyTorch's state loaded, then forward outputs, buffers after forward and float64 gradients of
inputs and parameters compared with PyTorch's. Divergences listed in tests/opinfo_known.py
are the only ones allowed.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's ModuleInfo database imports expecttest")

from moduleinfo_harness import module_db, sweep_module, sweep_module_errors  # noqa: E402
from opinfo_known import is_known  # noqa: E402

CHUNKS = 8


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_modules_match_pytorch(chunk, torch):
    found = []
    for info in module_db()[chunk::CHUNKS]:
        found += sweep_module(info, torch) + sweep_module_errors(info, torch)
    unexpected = [str(d) for d in found if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences:\n" + "\n".join(unexpected[:40])
