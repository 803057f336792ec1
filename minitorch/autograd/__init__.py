"""minitorch.autograd: Function, backward/grad, grad modes, gradcheck (mirrors torch.autograd)."""

import sys as _sys

from .. import _legacy
from .._legacy import Variable
from . import forward_ad, functional, graph, profiler
from .anomaly_mode import (
    detect_anomaly,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_detect_anomaly,
)
from .engine import ExecutionEngine, backward, grad
from .engine import checkpoint_valid as _is_checkpoint_valid
from .function import Function
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
    set_multithreading_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "Function",
    "Variable",
    "backward",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "set_multithreading_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "forward_ad",
    "functional",
    "profiler",
    "graph",
    "detect_anomaly",
    "set_detect_anomaly",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
]

_sys.modules[f"{__name__}.variable"] = _legacy  # torch.autograd.variable.Variable
Variable._execution_engine = ExecutionEngine()
