"""``minitorch.func``: mirrors ``torch.func``: ``functional_call``, ``stack_module_state``,
``functionalize``, ``replace_all_batch_norm_modules_`` and the function transforms ``grad``,
``grad_and_value``, ``vjp``, ``jvp``, ``linearize``, ``jacrev``, ``jacfwd``, ``hessian`` and
``vmap``, which compose (``vmap(grad(f))``, ``jacrev(jacrev(f))``).

They run on minitorch's tape: gradients and Jacobians by reverse mode (``jacfwd`` and
``jvp`` too), and ``vmap`` by running the function once per batch element and stacking the
results (see ``_vmap.py``): PyTorch's numbers, without its batching speed-up.
"""

from ..nn.utils.stateless import _functional_call as functional_call
from ._module_utils import debug_unwrap, replace_all_batch_norm_modules_
from ._stack import stack_module_state
from ._transforms import (
    functionalize,
    grad,
    grad_and_value,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linearize,
    vjp,
)
from ._vmap import vmap

__all__ = [
    "debug_unwrap",
    "functional_call",
    "functionalize",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "linearize",
    "replace_all_batch_norm_modules_",
    "stack_module_state",
    "vjp",
    "vmap",
]
