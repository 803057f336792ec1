"""The grad-mode state (thread-local) that both the Tensor class and ``autograd.grad_mode``
read: grad recording on or off, inference mode on or off, and how many threads are inside an
inference mode right now (so that creating a tensor looks at the thread-local state only
while some thread is)."""

from __future__ import annotations

import threading


class _State(threading.local):
    def __init__(self) -> None:
        self.enabled = True  # ops record a graph (grad mode on, outside inference mode)
        self.inference = False
        # enable_grad inside inference_mode: is_grad_enabled() is True, yet nothing records
        self.inference_grad = False


state = _State()
inference_threads = [0]  # in-place counter: tensors' creation reads it on every op
