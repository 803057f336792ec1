"""Ops with several results return named tuples printed like PyTorch's return_types."""

import minitorch


def test_named_results_unpack_and_print_like_pytorch(torch):
    data = [[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]
    a, t = minitorch.tensor(data), torch.tensor(data)
    for name, ours, theirs in (
        ("max", a.max(dim=1), t.max(dim=1)),
        ("sort", a.sort(), t.sort()),
        ("topk", a.topk(2), t.topk(2)),
        ("median", a.median(0), t.median(0)),
    ):
        values, indices = ours
        assert (
            values.tolist() == theirs.values.tolist()
            and indices.tolist() == theirs.indices.tolist()
        ), name
        assert repr(ours) == repr(theirs).replace("torch.", "minitorch."), name
