"""Regenerates minitorch/data/datasets/digits.npz, the bundled 8x8 handwritten digits, from the
copy of the UCI data that scikit-learn ships (``sklearn/datasets/data/digits.csv.gz``).

Run once by hand where scikit-learn is installed (``pip install scikit-learn``); minitorch itself
never imports scikit-learn. Prints the SHA-256 of the arrays, which must equal ``_SHA256`` in
minitorch/data/datasets/digits.py.

    python scripts/make_digits.py
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parents[1] / "minitorch" / "data" / "datasets" / "digits.npz"


def main() -> None:
    digits = load_digits()
    images = digits.images.astype(np.uint8)  # (1797, 8, 8), integers 0..16
    labels = digits.target.astype(np.uint8)  # (1797,), 0..9
    if not (np.array_equal(images, digits.images) and np.array_equal(labels, digits.target)):
        raise SystemExit("unexpected values in scikit-learn's digits: not integers 0..16 / 0..9")
    np.savez_compressed(OUT, images=images, labels=labels)
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): {images.shape} images, sha256 {digest}")


if __name__ == "__main__":
    main()
