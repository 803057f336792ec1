"""Complex numbers, which minitorch does not have: PyTorch's complex entry points
(``torch.polar``, ``torch.view_as_complex``, ``torch.view_as_real``, ``torch.complex`` and
the complex dtype names) fail at the call with an error naming the missing feature and the
real-valued rewrite, instead of an AttributeError or a silently dropped imaginary part."""

from __future__ import annotations

from typing import NoReturn

DTYPE_NAMES = frozenset({"complex32", "complex64", "complex128", "chalf", "cfloat", "cdouble"})


def no_complex(what: str) -> str:
    """The message for ``what`` needing complex numbers."""
    return (
        f"{what}: minitorch has no complex dtypes. Rotary embeddings (the usual reason) have "
        "a real-valued form: cos/sin tables of the angles and, per pair (x0, x1), "
        "(x0*cos - x1*sin, x0*sin + x1*cos)"
    )


def _refused(name: str):
    def refuse(*args, **kwargs) -> NoReturn:
        raise NotImplementedError(no_complex(f"torch.{name}"))

    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = f"Mirrors ``torch.{name}`` by name only: raises NotImplementedError."
    return refuse


polar = _refused("polar")
view_as_complex = _refused("view_as_complex")
view_as_real = _refused("view_as_real")
complex = _refused("complex")  # noqa: A001  (torch.complex's name)
