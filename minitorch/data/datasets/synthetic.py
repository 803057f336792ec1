"""Seeded synthetic 2-D classification sets (moons, spirals, blobs), made like scikit-learn's
``make_*`` functions but drawn from a ``minitorch.Generator`` (default: the default generator,
so ``minitorch.manual_seed`` fixes them). Each returns ``(X, y)``: X float32 (n, features),
y int64 (n,) class labels; wrap them in a TensorDataset to load them in batches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..._tensor import Tensor
from ...factories import from_numpy
from ...random import Generator, generator_rng


def _split(n_samples: int, parts: int) -> list[int]:
    """``n_samples`` shared out over ``parts`` classes (the first ones get the remainder)."""
    if n_samples < 0 or parts <= 0:
        raise ValueError(f"need n_samples >= 0 and at least one class, got {n_samples}, {parts}")
    return [n_samples // parts + (k < n_samples % parts) for k in range(parts)]


def _finish(X: np.ndarray, y: np.ndarray, noise: float, shuffle: bool, rng) -> tuple:
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return from_numpy(X.astype(np.float32)), from_numpy(y.astype(np.int64))


def make_moons(
    n_samples: int = 100,
    *,
    noise: float = 0.0,
    shuffle: bool = True,
    generator: Generator | None = None,
) -> tuple[Tensor, Tensor]:
    """Two interleaving half circles (like ``sklearn.datasets.make_moons``): class 0 the upper
    arc of the unit circle, class 1 the lower arc shifted to (1, 0.5); gaussian ``noise``."""
    n_out, n_in = _split(n_samples, 2)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], 1),
            np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], 1),
        ]
    )
    y = np.repeat([0, 1], [n_out, n_in])
    return _finish(X, y, noise, shuffle, generator_rng(generator))


def make_spirals(
    n_samples: int = 100,
    *,
    n_classes: int = 2,
    turns: float = 1.0,
    noise: float = 0.0,
    shuffle: bool = True,
    generator: Generator | None = None,
) -> tuple[Tensor, Tensor]:
    """``n_classes`` interleaved spiral arms from the origin out to radius 1, each winding
    ``turns`` times around; arm k starts at angle 2*pi*k/n_classes; gaussian ``noise``."""
    counts = _split(n_samples, n_classes)
    arms = []
    for k, m in enumerate(counts):
        r = np.linspace(0.0, 1.0, m)
        theta = 2 * np.pi * (turns * r + k / n_classes)
        arms.append(np.stack([r * np.cos(theta), r * np.sin(theta)], 1))
    y = np.repeat(np.arange(n_classes), counts)
    return _finish(np.concatenate(arms), y, noise, shuffle, generator_rng(generator))


def make_blobs(
    n_samples: int = 100,
    *,
    centers: int | Sequence[Sequence[float]] = 3,
    n_features: int = 2,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    generator: Generator | None = None,
) -> tuple[Tensor, Tensor]:
    """Gaussian blobs (like ``sklearn.datasets.make_blobs``): ``centers`` given as points
    (k, n_features), or as a count drawn uniformly in ``center_box``; ``cluster_std`` spread."""
    rng = generator_rng(generator)
    if isinstance(centers, int):
        c = rng.uniform(*center_box, size=(centers, n_features))
    else:
        c = np.asarray(centers, dtype=np.float64)
        if c.ndim != 2:
            raise ValueError(
                f"make_blobs: centers must be a count or a (k, n_features) array, got shape "
                f"{c.shape}"
            )
    counts = _split(n_samples, len(c))
    y = np.repeat(np.arange(len(c)), counts)
    X = c[y] + rng.normal(scale=cluster_std, size=(n_samples, c.shape[1]))
    return _finish(X, y, 0.0, shuffle, rng)
