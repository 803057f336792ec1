"""Invertible transforms of random variables, with log|det J| (mirrors
``torch.distributions.transforms``): Exp, Affine, Sigmoid, Tanh, Softplus, Power, Abs,
Softmax, StickBreaking, LowerCholesky, PositiveDefinite, CorrCholesky, Reshape, Independent,
CumulativeDistribution, Cat, Stack, Compose, and ``identity_transform``."""

from ._elementwise_transforms import (
    AbsTransform,
    AffineTransform,
    ExpTransform,
    PowerTransform,
    SigmoidTransform,
    SoftplusTransform,
    TanhTransform,
)
from ._joined_transforms import CatTransform, StackTransform
from ._structured_transforms import (
    CorrCholeskyTransform,
    CumulativeDistributionTransform,
    IndependentTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    ReshapeTransform,
    SoftmaxTransform,
    StickBreakingTransform,
)
from ._transform_base import ComposeTransform, Transform, identity_transform

__all__ = [
    "AbsTransform",
    "AffineTransform",
    "CatTransform",
    "ComposeTransform",
    "CorrCholeskyTransform",
    "CumulativeDistributionTransform",
    "ExpTransform",
    "IndependentTransform",
    "LowerCholeskyTransform",
    "PositiveDefiniteTransform",
    "PowerTransform",
    "ReshapeTransform",
    "SigmoidTransform",
    "SoftmaxTransform",
    "SoftplusTransform",
    "StackTransform",
    "StickBreakingTransform",
    "TanhTransform",
    "Transform",
    "identity_transform",
]
