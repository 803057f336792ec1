"""minitorch.nn.utils: gradient clipping, parameter/vector conversion and variable-length
sequences (``rnn``), ``stateless.functional_call``, parametrizations (``parametrize``,
``parametrizations``), the hook-based weight and spectral norms, conv/linear + BatchNorm
``fusion`` and ``prune`` (mirrors ``torch.nn.utils``)."""

from . import fusion, parametrizations, parametrize, prune, rnn, stateless
from .clip_grad import (
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .fusion import (
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)
from .init import skip_init
from .memory_format import convert_conv2d_weight_memory_format, convert_conv3d_weight_memory_format
from .norm_hooks import remove_spectral_norm, remove_weight_norm, spectral_norm, weight_norm
