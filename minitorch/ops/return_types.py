"""Named results of ops that return several tensors (``max(dim)``, ``sort``, ``topk``...):
tuples with named fields, printed as PyTorch prints its ``torch.return_types``."""

from __future__ import annotations

import sys
from collections import namedtuple

_TYPES: dict = {}
sys.modules["minitorch.return_types"] = sys.modules[__name__]  # PyTorch's module name


def return_type(name: str, fields=("values", "indices")) -> type:
    """A namedtuple class ``minitorch.return_types.<name>`` (an attribute of this module, so
    its results pickle) whose repr reads ``minitorch.return_types.max(\\nvalues=...)``. As
    PyTorch's, ``max((values, indices))`` builds one from a sequence."""
    if name in _TYPES:
        return _TYPES[name]
    base = namedtuple(name, fields)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"minitorch.return_types.{name}(\n{body})"

    def __new__(cls, *args, **kwargs):
        if len(args) == 1 and not kwargs and len(fields) > 1:  # PyTorch's form: one sequence
            seq = tuple(args[0])
            if len(seq) != len(fields):
                raise TypeError(
                    f"minitorch.return_types.{name}() takes a {len(fields)}-sequence "
                    f"({len(seq)}-sequence given)"
                )
            args = seq
        return base.__new__(cls, *args, **kwargs)

    n = len(fields)
    attrs = {"__slots__": (), "__repr__": __repr__, "__new__": __new__}
    attrs.update(n_fields=n, n_sequence_fields=n, n_unnamed_fields=0)  # PyTorch's structseq's
    cls = type(name, (base,), attrs)
    cls.__module__ = "minitorch.return_types"
    _TYPES[name] = cls
    setattr(sys.modules[__name__], name, cls)
    return cls
