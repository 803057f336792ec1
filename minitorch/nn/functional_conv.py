"""Functional forms of convolution, pooling, normalization and attention (placeholder: written by the other nn engineer)."""
