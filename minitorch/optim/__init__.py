"""minitorch.optim: optimizers and learning-rate schedulers (mirrors ``torch.optim``)."""

import sys as _sys

from . import adam_variants, lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adam_variants import Adamax, NAdam, RAdam
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .muon import Muon
from .optimizer import Optimizer, required
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = [
    "Optimizer",
    "required",
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "Rprop",
    "ASGD",
    "LBFGS",
    "Adafactor",
    "Muon",
    "lr_scheduler",
    "swa_utils",
]

for _name in ("adamax", "nadam", "radam"):  # PyTorch's module paths: torch.optim.radam.RAdam
    _sys.modules[f"{__name__}.{_name}"] = adam_variants
