"""``minitorch.__config__`` (mirrors ``torch.__config__``): the build and threading
summaries PyTorch prints with ``show()`` and ``parallel_info()``."""

from __future__ import annotations

import numpy as np

from . import _config


def show() -> str:
    """Mirrors ``torch.__config__.show``: what this build runs on."""
    return f"minitorch built with:\n  - NumPy {np.__version__}\n  - cupy: optional, for cuda\n"


def parallel_info() -> str:
    """Mirrors ``torch.__config__.parallel_info``: the thread settings."""
    return (
        "ATen/Parallel:\n"
        f"\tat::get_num_threads() : {_config.get_num_threads()}\n"
        f"\tat::get_num_interop_threads() : {_config.get_num_interop_threads()}\n"
    )
