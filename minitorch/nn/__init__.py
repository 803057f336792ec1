"""minitorch.nn: Module, Parameter, layers, losses, functional, init, utils (mirrors ``torch.nn``)."""

from . import attention, functional, grad, init, parallel, parameter, utils
from .modules import *  # noqa: F403
from .modules.lazy import UninitializedBuffer, UninitializedParameter
from .parallel import DataParallel
from .parameter import Buffer, Parameter

# PyTorch defines these in torch.nn.parameter; here they live with the lazy layers
parameter.UninitializedParameter, parameter.UninitializedBuffer = (
    UninitializedParameter,
    UninitializedBuffer,
)
