"""The autograd profiler (in progress)."""
