"""minitorch.nn.utils: gradient clipping, parameter/vector conversion and variable-length
sequences (``rnn``), ``stateless.functional_call`` (mirrors ``torch.nn.utils``)."""

from . import rnn, stateless
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
