"""Activation layers (mirror ``torch.nn``'s ReLU, GELU, Softmax, ...)."""

from __future__ import annotations

import types

from ... import factories
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..parameter import Parameter
from .module import Module


def _inplace_repr(inplace: bool, lead: str = "") -> str:
    if not inplace:
        return lead
    return f"{lead}, inplace=True" if lead else "inplace=True"


class ReLU(Module):
    """Mirrors ``torch.nn.ReLU``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class LeakyReLU(Module):
    """Mirrors ``torch.nn.LeakyReLU``."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"negative_slope={self.negative_slope}")


class ELU(Module):
    """Mirrors ``torch.nn.ELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"alpha={self.alpha}")


class CELU(Module):
    """Mirrors ``torch.nn.CELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"alpha={self.alpha}")


class GELU(Module):
    """Mirrors ``torch.nn.GELU``: exact (erf) or, with approximate='tanh', the tanh form."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Hardtanh(Module):
    """Mirrors ``torch.nn.Hardtanh``: clamp to [min_val, max_val]."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"min_val={self.min_val}, max_val={self.max_val}")


class ReLU6(Hardtanh):
    """Mirrors ``torch.nn.ReLU6``: clamp to [0, 6]."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class _SharedForward(Module):
    """A base whose subclasses each get their own copy of an inherited ``forward``, named
    ``<class>.forward``: Python's errors for wrong arguments name the class, as PyTorch's."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        shared = cls.forward
        if "forward" in cls.__dict__ or not shared.__qualname__.startswith("_"):
            return  # its own, or a public class's (a user's subclass of ReLU: ReLU.forward)
        forward = types.FunctionType(
            shared.__code__, shared.__globals__, "forward", shared.__defaults__, shared.__closure__
        )
        forward.__qualname__ = f"{cls.__qualname__}.forward"
        cls.forward = forward


class _Simple(_SharedForward):
    """An activation with no settings: ``forward`` is ``fn(input)``."""

    fn = None

    def forward(self, input: Tensor) -> Tensor:
        return type(self).fn(input)


class _SimpleInplace(_SharedForward):
    """An activation whose only setting is ``inplace``."""

    fn = None

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self).fn(input, self.inplace)


class SiLU(_SimpleInplace):
    """Mirrors ``torch.nn.SiLU``: x * sigmoid(x)."""

    fn = staticmethod(F.silu)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class Mish(_SimpleInplace):
    """Mirrors ``torch.nn.Mish``: x * tanh(softplus(x))."""

    fn = staticmethod(F.mish)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class SELU(_SimpleInplace):
    """Mirrors ``torch.nn.SELU``."""

    fn = staticmethod(F.selu)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class Hardswish(_SimpleInplace):
    """Mirrors ``torch.nn.Hardswish``."""

    fn = staticmethod(F.hardswish)


class Hardsigmoid(_SimpleInplace):
    """Mirrors ``torch.nn.Hardsigmoid``."""

    fn = staticmethod(F.hardsigmoid)


class Tanh(_Simple):
    """Mirrors ``torch.nn.Tanh``."""

    fn = staticmethod(F.tanh)


class Sigmoid(_Simple):
    """Mirrors ``torch.nn.Sigmoid``."""

    fn = staticmethod(F.sigmoid)


class LogSigmoid(_Simple):
    """Mirrors ``torch.nn.LogSigmoid``."""

    fn = staticmethod(F.logsigmoid)


class Softsign(_Simple):
    """Mirrors ``torch.nn.Softsign``."""

    fn = staticmethod(F.softsign)


class Tanhshrink(_Simple):
    """Mirrors ``torch.nn.Tanhshrink``."""

    fn = staticmethod(F.tanhshrink)


class RReLU(Module):
    """Mirrors ``torch.nn.RReLU``: leaky ReLU with random slopes in [lower, upper] while
    training, their mean in ``eval()``."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"lower={self.lower}, upper={self.upper}")


class Hardshrink(Module):
    """Mirrors ``torch.nn.Hardshrink``."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """Mirrors ``torch.nn.Softshrink``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)


class Softplus(Module):
    """Mirrors ``torch.nn.Softplus``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Threshold(Module):
    """Mirrors ``torch.nn.Threshold``."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace, f"threshold={self.threshold}, value={self.value}")


class _DimActivation(Module):
    """Softmax-like layers: one setting, the dimension."""

    fn = None

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return type(self).fn(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_DimActivation):
    """Mirrors ``torch.nn.Softmax``."""

    fn = staticmethod(F.softmax)


class Softmax2d(Module):
    """Mirrors ``torch.nn.Softmax2d``: softmax over the channels of (N, C, H, W) or (C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead")
        return F.softmax(input, -3)


class LogSoftmax(_DimActivation):
    """Mirrors ``torch.nn.LogSoftmax``."""

    fn = staticmethod(F.log_softmax)


class Softmin(_DimActivation):
    """Mirrors ``torch.nn.Softmin``."""

    fn = staticmethod(F.softmin)


class GLU(Module):
    """Mirrors ``torch.nn.GLU``: a * sigmoid(b) for the two halves along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class PReLU(Module):
    """Mirrors ``torch.nn.PReLU``: leaky ReLU with a learnt slope (one, or one per channel)."""

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None
    ) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(factories.full((num_parameters,), init, device=device, dtype=dtype))

    def reset_parameters(self) -> None:
        """Resets the slopes to ``init``."""
        with no_grad():
            self.weight.fill_(self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
