"""``torch.utils._pytree``'s everyday functions (tree_flatten, tree_unflatten, tree_map,
tree_leaves, tree_structure) over nested tuples, lists, namedtuples and dicts, on the pytree
code of ``minitorch.func``. A leaf is anything else, None included (as in PyTorch 2.13)."""

from __future__ import annotations

from typing import Any

from ..func._pytree import Spec as TreeSpec
from ..func._pytree import flatten, unflatten

__all__ = [
    "TreeSpec",
    "tree_flatten",
    "tree_leaves",
    "tree_map",
    "tree_structure",
    "tree_unflatten",
]


def tree_flatten(tree: Any) -> tuple[list, TreeSpec]:
    """Mirrors ``torch.utils._pytree.tree_flatten``: (leaves in depth-first order, spec)."""
    return flatten(tree)


def tree_unflatten(leaves, treespec: TreeSpec) -> Any:
    """Mirrors ``torch.utils._pytree.tree_unflatten``: the tree of ``treespec`` with
    ``leaves``."""
    return unflatten(treespec, leaves)


def tree_leaves(tree: Any) -> list:
    """Mirrors ``torch.utils._pytree.tree_leaves``."""
    return flatten(tree)[0]


def tree_structure(tree: Any) -> TreeSpec:
    """Mirrors ``torch.utils._pytree.tree_structure``."""
    return flatten(tree)[1]


def tree_map(func, tree: Any, *rests: Any) -> Any:
    """Mirrors ``torch.utils._pytree.tree_map``: ``func`` applied leaf by leaf to ``tree``
    and to the trees in ``rests``, which must have its structure."""
    leaves, spec = flatten(tree)
    others = [flatten(r) for r in rests]
    for _, other_spec in others:
        if other_spec != spec:
            raise ValueError(f"Tree structures do not match: {spec} and {other_spec}")
    columns = zip(leaves, *(o[0] for o in others))
    return unflatten(spec, [func(*column) for column in columns])
