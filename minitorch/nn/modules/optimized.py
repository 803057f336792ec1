"""What ``compile(module)`` returns (mirrors torch._dynamo's ``OptimizedModule``)."""

from __future__ import annotations

from .module import Module


class OptimizedModule(Module):
    """Mirrors ``torch._dynamo.eval_frame.OptimizedModule``: a wrapper whose one submodule
    ``_orig_mod`` is the compiled module, so its state_dict keys and parameter names start
    with ``_orig_mod.`` as PyTorch's do. It calls the module (minitorch has no compiler) and
    passes other attribute reads, writes and the training flag on to it."""

    def __init__(self, mod: Module) -> None:
        super().__init__()
        self._modules["_orig_mod"] = mod

    def forward(self, *args, **kwargs):
        return self._modules["_orig_mod"](*args, **kwargs)

    @property
    def training(self) -> bool:
        return self._modules["_orig_mod"].training

    @training.setter
    def training(self, value: bool) -> None:
        self._modules["_orig_mod"].training = value

    def __getattr__(self, name: str):
        modules = self.__dict__.get("_modules")
        if modules is None or "_orig_mod" not in modules:
            raise AttributeError(f"'OptimizedModule' object has no attribute '{name}'")
        return modules["_orig_mod"] if name == "_orig_mod" else getattr(modules["_orig_mod"], name)

    def __setattr__(self, name: str, value) -> None:
        if hasattr(type(self), name) or name == "_orig_mod":
            super().__setattr__(name, value)
        else:
            setattr(self._modules["_orig_mod"], name, value)

    def __delattr__(self, name: str) -> None:
        if hasattr(type(self), name) or name == "_orig_mod":
            super().__delattr__(name)
        else:
            delattr(self._modules["_orig_mod"], name)

    def __len__(self) -> int:
        return len(self._modules["_orig_mod"])
