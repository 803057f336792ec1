"""The thread count of numpy's BLAS (OpenBLAS in numpy's wheels), found in the loaded
library and set through its own API, as threadpoolctl does; None where it can't be found
(another BLAS, another platform), and then nothing is changed."""

from __future__ import annotations

import ctypes
import functools
import os

import numpy as np


def _loaded_openblas() -> list:
    """Paths of the OpenBLAS libraries this process has loaded (or numpy ships)."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            paths = [line.split()[-1] for line in maps if "openblas" in line.lower()]
    except OSError:
        pass
    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    if os.path.isdir(libs):
        paths += [os.path.join(libs, f) for f in os.listdir(libs) if "openblas" in f.lower()]
    return list(dict.fromkeys(p for p in paths if os.path.isfile(p)))


@functools.cache
def _api():
    """(set, get) thread-count functions of the loaded OpenBLAS, or None."""
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", "_64_", ""):
                setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                if setter is not None and getter is not None:
                    setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                    return setter, getter
    return None


def set_blas_threads(n: int) -> bool:
    """Sets numpy's BLAS thread count; False when the BLAS could not be found."""
    api = _api()
    if api is None:
        return False
    api[0](int(n))
    return True


def get_blas_threads() -> int | None:
    """numpy's BLAS thread count, or None when the BLAS could not be found."""
    api = _api()
    return None if api is None else int(api[1]())
