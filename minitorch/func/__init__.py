"""``minitorch.func``: mirrors ``torch.func``'s ``functional_call`` (the transforms ``grad``,
``vmap``, ``jacrev`` are not provided; ``minitorch.autograd.functional`` has jacobian/hessian)."""

from ..nn.utils.stateless import functional_call

__all__ = ["functional_call"]
