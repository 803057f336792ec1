"""``minitorch.func``: mirrors ``torch.func``: ``functional_call``, ``stack_module_state``,
``functionalize`` and the function transforms ``grad``, ``grad_and_value``, ``vjp``,
``jvp``, ``jacrev``, ``jacfwd``, ``hessian`` and ``vmap``, which compose (``vmap(grad(f))``,
``jacrev(jacrev(f))``).

They run on minitorch's tape: gradients and Jacobians by reverse mode (``jacfwd`` and
``jvp`` too), and ``vmap`` by running the function once per batch element and stacking the
results (see ``_vmap.py``): PyTorch's numbers, without its batching speed-up.
"""

from ..nn.utils.stateless import functional_call
from ._stack import stack_module_state
from ._transforms import (
    functionalize,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    vjp,
)
from ._vmap import vmap

__all__ = [
    "functional_call",
    "functionalize",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "stack_module_state",
    "vjp",
    "vmap",
]
