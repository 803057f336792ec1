"""minitorch.nn: Module, Parameter, layers, losses, functional, init, utils (mirrors ``torch.nn``)."""

from . import attention, functional, init, parallel, utils
from .modules import *  # noqa: F403
from .parallel import DataParallel
from .parameter import Buffer, Parameter
