"""The layer classes of minitorch.nn (mirrors ``torch.nn.modules``)."""

import sys as _sys

from . import activation as _activation
from . import (
    conv,
    distance,
    fold,
    lazy,
    linear,
    normalization,
    padding,
    pooling,
    rnn,
    transformer,
    upsampling,
    utils,
)
from .activation import (
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    RReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softmax2d,
    Softmin,
    Softplus,
    Softshrink,
    Softsign,
    Tanh,
    Tanhshrink,
    Threshold,
)
from .adaptive import AdaptiveLogSoftmaxWithLoss
from .container import Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import *  # noqa: F403  (conv, pooling, normalization, rnn, transformer layers)
from .cross_map_lrn import CrossMapLRN2d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import (
    AlphaDropout,
    Dropout,
    Dropout1d,
    Dropout2d,
    Dropout3d,
    FeatureAlphaDropout,
)
from .fold import Fold, Unfold
from .fractional_pooling import FractionalMaxPool2d, FractionalMaxPool3d
from .lazy import *  # noqa: F403
from .linear import Bilinear, Flatten, Identity, Linear, Unflatten
from .linear_cross_entropy import *  # noqa: F403
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    CTCLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    NLLLoss,
    NLLLoss2d,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
    TripletMarginLoss,
    TripletMarginWithDistanceLoss,
)
from .module import Module
from .normalization import *  # noqa: F403
from .padding import *  # noqa: F403
from .pooling import *  # noqa: F403
from .rnn import *  # noqa: F403
from .sparse import Embedding, EmbeddingBag
from .sync_batchnorm import SyncBatchNorm
from .transformer import *  # noqa: F403
from .upsampling import *  # noqa: F403

__all__ = [
    "AdaptiveLogSoftmaxWithLoss",
    "AlphaDropout",
    "BCELoss",
    "BCEWithLogitsLoss",
    "Bilinear",
    "CELU",
    "CTCLoss",
    "Container",
    "CosineEmbeddingLoss",
    "CosineSimilarity",
    "CrossEntropyLoss",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "ELU",
    "Embedding",
    "EmbeddingBag",
    "FeatureAlphaDropout",
    "Flatten",
    "Fold",
    "FractionalMaxPool2d",
    "FractionalMaxPool3d",
    "GELU",
    "GLU",
    "GaussianNLLLoss",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "HingeEmbeddingLoss",
    "HuberLoss",
    "Identity",
    "KLDivLoss",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSigmoid",
    "LogSoftmax",
    "MSELoss",
    "MarginRankingLoss",
    "Mish",
    "Module",
    "ModuleDict",
    "ModuleList",
    "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "NLLLoss",
    "NLLLoss2d",
    "PReLU",
    "PairwiseDistance",
    "PoissonNLLLoss",
    "ParameterDict",
    "ParameterList",
    "ReLU",
    "RReLU",
    "ReLU6",
    "SELU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "SoftMarginLoss",
    "Softmax",
    "Softmax2d",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "SyncBatchNorm",
    "Tanh",
    "Tanhshrink",
    "Threshold",
    "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
    "Unflatten",
    "Unfold",
]
__all__ += conv.__all__ + normalization.__all__ + padding.__all__ + pooling.__all__ + rnn.__all__
__all__ += lazy.__all__ + transformer.__all__ + upsampling.__all__
__all__ += linear_cross_entropy.__all__ + ["CrossMapLRN2d"]  # noqa: F405

# PyTorch's module paths for classes grouped differently here (``nn.modules.batchnorm._BatchNorm``
# in isinstance checks, ``nn.modules.activation.MultiheadAttention``, ...)
_sys.modules[f"{__name__}.batchnorm"] = normalization
_sys.modules[f"{__name__}.instancenorm"] = normalization
_sys.modules[f"{__name__}.flatten"] = linear  # Flatten, Unflatten
_sys.modules[f"{__name__}.pixelshuffle"] = upsampling  # PixelShuffle, PixelUnshuffle
batchnorm = instancenorm = normalization
flatten, pixelshuffle = linear, upsampling
_activation.MultiheadAttention = transformer.MultiheadAttention
