"""Runs PyTorch's own ModuleInfo database (torch.testing._internal.common_modules.module_db)
against minitorch: for every nn module and each of its sample constructor and forward inputs,
the module is built on both sides after the same seed (so default initialisations must be
PyTorch's), PyTorch's state is then loaded into minitorch's module, and the forward outputs,
the buffers after forward (running statistics) and the float64 gradients of inputs and
parameters are compared. As a script it prints the divergences:

    python tests/moduleinfo_harness.py [--modules Conv2d LSTM ...] [-v]
"""

from __future__ import annotations

import argparse

import numpy as np
from opinfo_harness import (
    SEED,
    Divergence,
    _first_line,
    _tensors,
    compare,
    to_minitorch,
    torch_internal,
)

import minitorch

DTYPES = ("float32", "float64")


def module_db() -> list:
    """PyTorch's ModuleInfos."""
    return torch_internal("common_modules").module_db


def _build(cls, args, kwargs, dtype, lib):
    lib.manual_seed(SEED)
    module = cls(*args, **kwargs)
    return module.to(getattr(lib, dtype))


def _weights(outs, lib) -> list:
    weights = []
    for i, t in enumerate(outs):
        w = np.cos(np.arange(t.numel(), dtype=np.float64) + i).reshape(tuple(t.shape))
        weights.append(lib.from_numpy(w.astype(str(t.dtype).split(".")[-1])))
    return weights


def _gradients(out, wanted, lib, torch):
    outs = [t for t in _tensors(out, torch) if t.requires_grad]
    wanted = [t for t in wanted if t.requires_grad]
    if not outs or not wanted:
        return None
    return lib.autograd.grad(outs, wanted, _weights(outs, lib), allow_unused=True)


def check_input(info, module_input, dtype: str, training: bool, torch) -> list:
    """What differs (a list of strings) for one constructor + forward input."""
    cls_name = info.module_cls.__name__
    mine_cls = getattr(minitorch.nn, cls_name, None)
    if mine_cls is None:
        return ["missing in minitorch.nn"]
    ctor, fwd = module_input.constructor_input, module_input.forward_input
    if any(isinstance(a, torch.nn.Module) for a in (*ctor.args, *ctor.kwargs.values())):
        return []  # a PyTorch module as an argument (TransformerEncoder's layer) has no copy here
    try:
        theirs = _build(info.module_cls, ctor.args, ctor.kwargs, dtype, torch)
    except Exception:
        return []
    try:
        args, kwargs = to_minitorch((ctor.args, ctor.kwargs), torch)
        mine = _build(mine_cls, args, kwargs, dtype, minitorch)
    except Exception as exc:  # noqa: BLE001 -- every failure is a divergence
        return [f"constructor raises {type(exc).__name__}: {_first_line(exc)}"]
    found = []
    if not info.is_lazy:
        t_state, m_state = theirs.state_dict(), mine.state_dict()
        if list(m_state) != list(t_state):
            found.append(f"state_dict keys {list(m_state)}, PyTorch {list(t_state)}")
        else:
            for key, value in t_state.items():
                if (diff := compare(value, m_state[key], torch, f"initial {key}")) is not None:
                    found.append(diff)
    theirs.train(training)
    mine.train(training)
    f_args, f_kwargs = to_minitorch((fwd.args, fwd.kwargs), torch)
    try:
        if not info.is_lazy:
            mine.load_state_dict(to_minitorch(dict(theirs.state_dict()), torch, keep_grad=False))
    except Exception as exc:  # noqa: BLE001
        return [*found, f"load_state_dict raises {type(exc).__name__}: {_first_line(exc)}"]
    try:
        torch.manual_seed(SEED)
        t_out = theirs(*fwd.args, **fwd.kwargs)
    except Exception:
        return found
    try:
        minitorch.manual_seed(SEED)
        m_out = mine(*f_args, **f_kwargs)
    except Exception as exc:  # noqa: BLE001
        return [*found, f"forward raises {type(exc).__name__}: {_first_line(exc)}"]
    if (diff := compare(t_out, m_out, torch)) is not None:
        return [*found, diff]
    for (name, t_buf), (_, m_buf) in zip(theirs.named_buffers(), mine.named_buffers()):
        if (diff := compare(t_buf, m_buf, torch, f"buffer {name} after forward")) is not None:
            found.append(diff)
    if dtype != "float64":
        return found
    t_wanted = _tensors((fwd.args, fwd.kwargs), torch) + list(theirs.parameters())
    m_wanted = _tensors((f_args, f_kwargs), torch) + list(mine.parameters())
    try:
        t_grads = _gradients(t_out, t_wanted, torch, torch)
    except Exception:
        return found
    try:
        m_grads = _gradients(m_out, m_wanted, minitorch, torch)
    except Exception as exc:  # noqa: BLE001
        return [*found, f"backward raises {type(exc).__name__}: {_first_line(exc)}"]
    if t_grads is not None:
        mine_grads = tuple(m_grads) if m_grads else None
        if (diff := compare(tuple(t_grads), mine_grads, torch, "grad")) is not None:
            found.append(diff)
    return found


def sweep_module(info, torch, dtypes=DTYPES, limit: int = 40) -> list:
    """Divergences of one ModuleInfo over its float dtypes, in training (and eval mode where
    the two differ)."""
    found = []
    supported = {str(d).removeprefix("torch.") for d in info.supported_dtypes("cpu")}
    modes = (True, False) if info.train_and_eval_differ else (True,)
    for dtype in dtypes:
        if dtype not in supported:
            continue
        for training in modes:
            torch.manual_seed(0)  # the same inputs whatever ran before
            try:
                inputs = info.module_inputs_func(
                    info, device="cpu", dtype=getattr(torch, dtype), requires_grad=True,
                    training=training,
                )  # fmt: skip
            except Exception:
                continue
            for module_input in inputs[:limit]:
                where = _describe(module_input, training)
                for what in check_input(info, module_input, dtype, training, torch):
                    found.append(Divergence(info.name, "module", dtype, where, what))
                    if what == "missing in minitorch.nn":
                        return found
    return found


def sweep_module_errors(info, torch) -> list:
    """Each of PyTorch's error inputs for the module must raise as PyTorch's does: the same
    exception type, a message PyTorch's regex matches."""
    import re

    mine_cls = getattr(minitorch.nn, info.module_cls.__name__, None)
    if mine_cls is None or info.module_error_inputs_func is None:
        return []
    torch.manual_seed(0)
    errors = info.module_error_inputs_func(
        info, device="cpu", dtype=torch.float32, requires_grad=False, training=True
    )
    found = []
    for error in errors:
        sample = error.module_error_input
        ctor, fwd = sample.constructor_input, sample.forward_input
        where = _describe(sample, True)
        try:
            given = (fwd.args, fwd.kwargs) if fwd is not None else ((), {})
            args, kwargs, f_args, f_kwargs = to_minitorch((ctor.args, ctor.kwargs, *given), torch)  # noqa: E501
            module = mine_cls(*args, **kwargs)
            if "FORWARD" in str(error.error_on):
                module(*f_args, **f_kwargs)
        except Exception as exc:  # noqa: BLE001
            text = str(exc).replace("minitorch.", "torch.")
            if not isinstance(exc, error.error_type):
                what = f"raises {type(exc).__name__} ({_first_line(exc)!r}), PyTorch {error.error_type.__name__}"  # noqa: E501
            elif not re.search(error.error_regex, text):
                what = f"message {_first_line(exc)!r} does not match {error.error_regex!r}"
            else:
                continue
        else:
            what = f"no error, PyTorch raises {error.error_type.__name__}: {error.error_regex!r}"
        found.append(Divergence(info.name, "error", "float32", where, what))
    return found


def _describe(module_input, training: bool) -> str:
    ctor, fwd = module_input.constructor_input, module_input.forward_input

    def show(v):
        shape = getattr(v, "shape", None)
        return f"T{list(shape)}" if shape is not None else repr(v)

    if fwd is None:
        fwd = type(ctor)()
    made = ", ".join(
        [show(a) for a in ctor.args] + [f"{k}={show(v)}" for k, v in ctor.kwargs.items()]
    )  # noqa: E501
    given = ", ".join(
        [show(a) for a in fwd.args] + [f"{k}={show(v)}" for k, v in fwd.kwargs.items()]
    )  # noqa: E501
    return f"({made})({given}){'' if training else ' eval'}"


def main() -> None:
    import warnings

    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="*", help="module class names (default: all)")
    parser.add_argument("-v", action="store_true", help="print every divergence")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    infos = [i for i in module_db() if not opts.modules or i.name in opts.modules]
    total = 0
    for info in infos:
        found = sweep_module(info, torch) + sweep_module_errors(info, torch)
        total += len(found)
        for d in found if opts.v else found[:1]:
            print(d, flush=True)
        if found and not opts.v and len(found) > 1:
            print(f"    ... {len(found) - 1} more for {info.name}")
    print(f"{total} divergences in {len(infos)} ModuleInfos")


if __name__ == "__main__":
    main()
