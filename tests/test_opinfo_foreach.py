"""PyTorch's OpInfo databases of the ``torch._foreach_*`` functions (``foreach_unary_op_db``,
``foreach_binary_op_db``, ``foreach_pointwise_op_db``, ``foreach_reduce_op_db``,
``foreach_other_op_db``) run against minitorch (see tests/opinfo_harness.py): each op's sample
lists of tensors (lists of empty tensors included) through the out-of-place function and the
in-place variant (compared by what it returns, the updated list, and whether the returned
tensors are the list's own), with values, dtypes, shapes and float64 first- and second-order
gradients compared with PyTorch's. The foreach OpInfos have no error inputs. Divergences
listed in tests/opinfo_known.py (``FOREACH``) are the only ones allowed.

Needs torch and expecttest (imported by PyTorch's test internals); skipped without them."""

from __future__ import annotations

import pytest

pytest.importorskip("expecttest", reason="PyTorch's OpInfo database imports expecttest")

from opinfo_harness import FOREACH_DTYPES, foreach_db, sweep_op  # noqa: E402
from opinfo_known import is_known  # noqa: E402

SAMPLES_PER_DTYPE = 8  # every kind of other operand, on the lists of 20; the CLI runs all


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("dtype", FOREACH_DTYPES)
def test_foreach_samples_give_pytorchs_values_and_gradients(dtype, torch):
    found = [
        d
        for info in foreach_db()
        for d in sweep_op(info, torch, (dtype,), limit=SAMPLES_PER_DTYPE, second_order=True)
    ]
    unexpected = [str(d) for d in found if not is_known(d)]
    shown = "\n".join(unexpected[:40])
    assert not unexpected, f"{len(unexpected)} divergences from PyTorch:\n{shown}"
