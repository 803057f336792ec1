"""minitorch.nn: Module, Parameter, layers, losses, functional, init, utils (mirrors ``torch.nn``)."""

from .modules import *  # noqa: F403
from .modules import Module
from .parameter import Buffer, Parameter
