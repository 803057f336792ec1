"""PyTorch's own OptimizerInfo database run against minitorch (see tests/optiminfo_harness.py):
every optimizer with each of PyTorch's sample arguments, five steps compared with PyTorch's
(parameters after each step, state at the end), each sample list of learning-rate schedulers,
and each error input. Divergences listed in tests/opinfo_known.py are the only ones allowed.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OptimizerInfo database imports expecttest")

from opinfo_known import is_known  # noqa: E402
from optiminfo_harness import optim_db, sweep_optimizer  # noqa: E402

NAMES = (
    "Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "ASGD", "LBFGS", "Muon",
    "NAdam", "RAdam", "RMSprop", "Rprop", "SGD",
)  # fmt: skip


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", NAMES)
def test_optimizer_matches_pytorch(name, torch):
    (info,) = [i for i in optim_db() if i.optim_cls.__name__ == name]
    unexpected = [str(d) for d in sweep_optimizer(info, torch) if not is_known(d)]
    assert not unexpected, f"{len(unexpected)} divergences:\n" + "\n".join(unexpected[:40])
