"""Datasets that work with no network: the bundled 8x8 digits, seeded synthetic 2-D sets, a
character-level text dataset over a built-in corpus, and MNIST / Fashion-MNIST from IDX files."""

from .digits import load_digits
from .mnist import MNIST, FashionMNIST, read_idx
from .synthetic import make_blobs, make_moons, make_spirals
from .text import CharTokenizer, TextDataset, default_corpus

__all__ = [
    "CharTokenizer",
    "FashionMNIST",
    "MNIST",
    "TextDataset",
    "default_corpus",
    "load_digits",
    "make_blobs",
    "make_moons",
    "make_spirals",
    "read_idx",
]
