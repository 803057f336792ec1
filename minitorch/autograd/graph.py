"""Backward-graph pictures (in progress)."""
