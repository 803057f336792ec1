"""Nested tuples, lists and dicts of tensors ("pytrees", as torch.utils._pytree) flattened to
a list of leaves and rebuilt from one, for the transforms of ``minitorch.func``."""

from __future__ import annotations

from typing import Any


class Spec:
    """The shape of a pytree: its container type, keys and children's specs (a leaf: none)."""

    __slots__ = ("kind", "keys", "children")

    def __init__(self, kind: type | None, keys: tuple = (), children: tuple = ()) -> None:
        self.kind, self.keys, self.children = kind, keys, children

    @property
    def is_leaf(self) -> bool:
        return self.kind is None

    def __eq__(self, other) -> bool:
        return (self.kind, self.keys, self.children) == (other.kind, other.keys, other.children)

    def __repr__(self) -> str:
        if self.is_leaf:
            return "*"
        return f"{self.kind.__name__}({', '.join(map(repr, self.children))})"


LEAF = Spec(None)


def flatten(tree: Any) -> tuple[list, Spec]:
    """The leaves of ``tree`` (depth first) and its spec."""
    if isinstance(tree, (tuple, list)):
        parts = [flatten(x) for x in tree]
        leaves = [leaf for p in parts for leaf in p[0]]
        return leaves, Spec(type(tree), (), tuple(p[1] for p in parts))
    if isinstance(tree, dict):
        keys = tuple(tree)
        parts = [flatten(tree[k]) for k in keys]
        leaves = [leaf for p in parts for leaf in p[0]]
        return leaves, Spec(type(tree), keys, tuple(p[1] for p in parts))
    return [tree], LEAF


def unflatten(spec: Spec, leaves) -> Any:
    """The pytree of ``spec`` with ``leaves`` (an iterable, consumed in order)."""
    it = iter(leaves)

    def build(s: Spec) -> Any:
        if s.is_leaf:
            return next(it)
        children = [build(c) for c in s.children]
        if issubclass(s.kind, dict):
            return s.kind(zip(s.keys, children))
        if hasattr(s.kind, "_fields"):  # a namedtuple
            return s.kind(*children)
        return s.kind(children)

    return build(spec)


def tree_map(fn, tree: Any) -> Any:
    """``tree`` with ``fn`` applied to every leaf."""
    leaves, spec = flatten(tree)
    return unflatten(spec, [fn(x) for x in leaves])
