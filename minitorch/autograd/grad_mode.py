"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode (thread-local)."""

from __future__ import annotations

import functools
import inspect
import warnings

from .._grad_state import inference_threads, state


def is_grad_enabled() -> bool:
    """Mirrors ``torch.is_grad_enabled``."""
    return state.enabled or state.inference_grad


def is_inference_mode_enabled() -> bool:
    """Mirrors ``torch.is_inference_mode_enabled``."""
    return state.inference


class _Mode:
    """Base of the grad-mode context managers; each one also works as a decorator."""

    def _set(self):  # returns what __exit__ restores
        raise NotImplementedError

    def __enter__(self) -> None:
        self._prev = (state.enabled, state.inference, state.inference_grad)
        self._set()

    def __exit__(self, *exc) -> None:
        state.enabled, state.inference, state.inference_grad = self._prev

    def clone(self):
        """Mirrors the grad modes' ``clone``: a new mode object with the same arguments."""
        return self.__class__(*self._args)

    def __call__(self, fn):
        if inspect.isclass(fn):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior of "
                "class decoration, you can directly decorate the `__init__` method and nothing "
                "else.",
                FutureWarning,
                stacklevel=2,
            )
        if inspect.isgeneratorfunction(fn):
            return self._wrap_generator(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args):
                return fn(*args, **kwargs)

        return wrapper

    def _wrap_generator(self, fn):
        """A decorated generator runs each of its steps in the mode (PyTorch's
        ``_wrap_generator``), not only the call that creates it."""
        mode, mode_args = self.__class__, self._args

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            gen = fn(*args, **kwargs)
            try:
                with mode(*mode_args):
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with mode(*mode_args):
                            gen.close()
                        raise
                    except BaseException as e:
                        with mode(*mode_args):
                            response = gen.throw(e)
                    else:
                        with mode(*mode_args):
                            response = gen.send(request)
            except StopIteration as e:
                return e.value

        return wrapper

    _args: tuple = ()


class _BareDecorator(_Mode):
    """A mode that also decorates without parentheses (``@no_grad``), like PyTorch's."""

    def __new__(cls, fn=None):
        self = super().__new__(cls)
        return self if fn is None else self(fn)


class no_grad(_BareDecorator):
    """Mirrors ``torch.no_grad``: no graph is recorded inside (context or decorator)."""

    def _set(self):
        state.enabled = state.inference_grad = False


def _set_grad(mode: bool) -> None:
    """Grad mode on or off; inside inference_mode it turns on without recording, as
    PyTorch's (its inference mode keeps autograd off whatever the grad mode)."""
    state.enabled = mode and not state.inference
    state.inference_grad = mode and state.inference


class enable_grad(_BareDecorator):
    """Mirrors ``torch.enable_grad``."""

    def _set(self):
        _set_grad(True)


class set_grad_enabled(_Mode):
    """Mirrors ``torch.set_grad_enabled``: sets the mode at once, and as a context restores it."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(
                "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                f"{type(mode).__name__}"
            )
        self._args = (mode,)
        self._prev = (state.enabled, state.inference, state.inference_grad)
        _set_grad(mode)

    def _set(self):
        _set_grad(self._args[0])

    def __enter__(self) -> None:
        self._set()  # again (a clone's or a reused one's); __init__ saved what __exit__ restores

    def __call__(self, fn):
        state.enabled, _, state.inference_grad = self._prev
        return super().__call__(fn)


class inference_mode(_Mode):
    """Mirrors ``torch.inference_mode``: like no_grad, and ``is_inference_mode_enabled()``
    is True inside. Tensors made inside (but views of other tensors) are inference tensors
    (``Tensor.is_inference()``): they have no version counter, cannot be saved for backward
    and cannot be changed in place outside an inference mode, as in PyTorch."""

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode):  # used bare: @inference_mode
            self._args = (True,)
            return self(mode)
        return self

    def __init__(self, mode: bool = True) -> None:
        self._args = (bool(mode),)

    def _set(self):
        # PyTorch's InferenceMode(mode) also sets grad mode to ``not mode``: inference_mode(False)
        # enables grad even inside no_grad
        state.inference = self._args[0]
        state.enabled = not self._args[0]
        state.inference_grad = False

    def __enter__(self) -> None:
        super().__enter__()
        if self._args[0]:
            inference_threads[0] += 1

    def __exit__(self, *exc) -> None:
        if self._args[0]:
            inference_threads[0] -= 1
        super().__exit__(*exc)


class set_multithreading_enabled(_Mode):
    """Mirrors ``torch.autograd.set_multithreading_enabled``: minitorch's engine runs in the
    calling thread whatever the mode, so this only records the flag."""

    def __init__(self, mode: bool) -> None:
        self._args = (mode,)

    def _set(self) -> None:
        pass
