"""minitorch.utils._pytree against torch.utils._pytree: leaves, rebuilding, tree_map."""

from __future__ import annotations

import collections

import pytest

from minitorch.utils import _pytree as ours

Point = collections.namedtuple("Point", "x y")
TREES = [
    [1, None, (2, {"a": 3, "b": [4]})],
    {"x": None, "y": 1, "z": (5, 6)},
    Point(1, [2, 3]),
    collections.OrderedDict(b=1, a=[2]),
    7,
    (),
]


@pytest.mark.parametrize("tree", TREES)
def test_leaves_and_round_trip_match_pytorch(torch, tree):
    import torch.utils._pytree as theirs

    leaves, spec = ours.tree_flatten(tree)
    assert leaves == theirs.tree_flatten(tree)[0] == ours.tree_leaves(tree)
    assert ours.tree_unflatten(leaves, spec) == tree
    assert type(ours.tree_unflatten(leaves, spec)) is type(tree)
    double = lambda v: None if v is None else v * 2  # noqa: E731
    assert ours.tree_map(double, tree) == theirs.tree_map(double, tree)
    assert ours.tree_structure(tree) == spec


def test_tree_map_over_several_trees_and_mismatch():
    assert ours.tree_map(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == [11, (22, 33)]
    with pytest.raises(ValueError, match="Tree structures do not match"):
        ours.tree_map(lambda a, b: a + b, [1, 2], [1, (2, 3)])
