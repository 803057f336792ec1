"""What every benchmark shares: the frameworks to compare (minitorch, and PyTorch when it is
installed), both held to the same thread count, and a timer."""

from __future__ import annotations

import time


def frameworks(device: str = "cpu", with_torch: bool = True, threads: int = 2) -> list:
    """[(name, module)]: minitorch first, then PyTorch if importable. On the CPU both use
    ``threads`` threads (PyTorch's intra-op pool; numpy's BLAS and minitorch's chunked passes)."""
    import minitorch

    out = [("minitorch", minitorch)]
    if with_torch:
        try:
            import torch

            if device == "cpu":
                torch.set_num_threads(threads)
            out.append(("pytorch", torch))
        except ImportError:
            pass
    if device == "cpu":
        minitorch.set_num_threads(threads)  # numpy's BLAS and minitorch's chunked passes
    return out


def seconds_per_step(step, seconds: float) -> float:
    """Repeats ``step()`` for about ``seconds`` and returns the mean seconds per call."""
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return elapsed / n
