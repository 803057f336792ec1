"""Named results of ops that return several tensors (``max(dim)``, ``sort``, ``topk``...):
tuples with named fields, printed as PyTorch prints its ``torch.return_types``."""

from __future__ import annotations

from collections import namedtuple


def return_type(name: str, fields=("values", "indices")) -> type:
    """A namedtuple class whose repr reads ``minitorch.return_types.max(\\nvalues=...)``."""
    base = namedtuple(name, fields)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"minitorch.return_types.{name}(\n{body})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__})
