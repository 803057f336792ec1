"""Runs PyTorch's own OptimizerInfo database (torch.testing._internal.common_optimizers.optim_db)
against minitorch: every optimizer with each of PyTorch's sample constructor arguments takes
five steps on the same small problem (a 10x5 weight and a bias, loss ||Wx + b||^2) on both
sides, with parameters compared after each step and the optimizer's state at the end; each
sample list of learning-rate schedulers runs on top of the default optimizer with the learning
rates compared; and each error input is checked for PyTorch's exception and message.

    python tests/optiminfo_harness.py [--optimizers Adam SGD ...] [-v]
"""

from __future__ import annotations

import argparse
import re
import types
import warnings

from opinfo_harness import Divergence, _first_line, compare, to_minitorch, torch_internal

import minitorch

STEPS = 5
DTYPES = ("float32", "float64")


def optim_db() -> list:
    """PyTorch's OptimizerInfos."""
    return torch_internal("common_optimizers").optim_db


def _problem(torch, dtype: str) -> tuple:
    torch.manual_seed(0)
    dt = getattr(torch, dtype)
    weight = torch.nn.Parameter(torch.randn(10, 5, dtype=dt))
    bias = torch.nn.Parameter(torch.randn(10, dtype=dt))
    return [weight, bias], torch.randn(5, dtype=dt)


def _mine(params, x, torch) -> tuple:
    mine = [minitorch.nn.Parameter(to_minitorch(p.detach(), torch)) for p in params]
    return mine, to_minitorch(x, torch)


def _trajectory(optimizer, params, x, closure_needed: bool, schedulers=()) -> list:
    """The parameters (and learning rates) after each of STEPS steps."""
    seen = []
    for _ in range(STEPS):

        def closure():
            optimizer.zero_grad()
            loss = (
                ((params[0] @ x + params[-1]) ** 2).sum()
                if len(params) > 1
                else ((params[0] @ x) ** 2).sum()
            )
            loss.backward()
            return loss

        if closure_needed:
            loss = optimizer.step(closure)
        else:
            loss = closure()
            optimizer.step()
        for scheduler in schedulers:
            if type(scheduler).__name__ == "ReduceLROnPlateau":
                scheduler.step(loss.item())
            else:
                scheduler.step()
        lrs = [float(g["lr"]) for g in optimizer.param_groups]
        seen.append(([p.detach().clone() for p in params], lrs))
    return seen


def _with_minitorch(fn):
    """A sample's scheduler lambda (``lambda opt: StepLR(opt, ...)``) building minitorch's."""
    scope = dict(fn.__globals__, torch=minitorch)
    for name in fn.__code__.co_names:
        if hasattr(minitorch.optim.lr_scheduler, name):
            scope[name] = getattr(minitorch.optim.lr_scheduler, name)
    return types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)


def _compare_runs(theirs: list, mine: list, torch) -> str | None:
    for step, ((t_params, t_lrs), (m_params, m_lrs)) in enumerate(zip(theirs, mine)):
        if (
            diff := compare(tuple(t_params), tuple(m_params), torch, f"step {step + 1}")
        ) is not None:  # noqa: E501
            return diff
        if any(abs(a - b) > 1e-9 * max(1.0, abs(a)) for a, b in zip(t_lrs, m_lrs)):
            return f"step {step + 1}: lr {m_lrs}, PyTorch {t_lrs}"
    return None


def _run(info, kwargs: dict, dtype: str, torch, schedulers=()) -> str | None:
    cls = getattr(minitorch.optim, info.optim_cls.__name__, None)
    if cls is None:
        return "missing in minitorch.optim"
    params, x = _problem(torch, dtype)
    if info.optim_cls.__name__ == "Muon":
        params = params[:1]  # Muon takes matrices only
    m_params, m_x = _mine(params, x, torch)
    try:
        t_opt = info.optim_cls(params, **kwargs)
        t_scheds = [make(t_opt) for make in schedulers]
        theirs = _trajectory(t_opt, params, x, info.step_requires_closure, t_scheds)
    except Exception:
        return None
    try:
        m_opt = cls(m_params, **to_minitorch(kwargs, torch))
        m_scheds = [_with_minitorch(make)(m_opt) for make in schedulers]
        mine = _trajectory(m_opt, m_params, m_x, info.step_requires_closure, m_scheds)
    except Exception as exc:  # noqa: BLE001 -- every failure is a divergence
        return f"raises {type(exc).__name__}: {_first_line(exc)}"
    if (diff := _compare_runs(theirs, mine, torch)) is not None:
        return diff
    t_state, m_state = t_opt.state_dict()["state"], m_opt.state_dict()["state"]
    for key, t_values in t_state.items():
        m_values = m_state.get(key, {})
        for name, value in t_values.items():
            if name not in m_values:
                return f"state[{key}] has no {name!r} (PyTorch's: {sorted(t_values)})"
            if (
                diff := compare(value, m_values[name], torch, f"state[{key}][{name!r}]")
            ) is not None:  # noqa: E501
                return diff
    return None


def sweep_optimizer(info, torch, dtypes=DTYPES) -> list:
    """Divergences of one OptimizerInfo: its sample arguments, scheduler lists and errors."""
    name = info.optim_cls.__name__
    found = []
    for dtype in dtypes:
        for sample in info.optim_inputs_func(device="cpu", dtype=getattr(torch, dtype)):
            if sample.params is not None:
                continue
            if (diff := _run(info, sample.kwargs, dtype, torch)) is not None:
                found.append(Divergence(name, "step", dtype, repr(sample.kwargs), diff))
    for schedulers in info.scheduler_inputs:
        if schedulers and (diff := _run(info, {}, "float32", torch, schedulers)) is not None:
            where = "schedulers " + ", ".join(_lambda_source(s) for s in schedulers)
            found.append(Divergence(name, "scheduler", "float32", where, diff))
    return found + sweep_errors(info, torch)


def _lambda_source(fn) -> str:
    names = [n for n in fn.__code__.co_names if n[:1].isupper()]
    return "/".join(names) or fn.__name__


def sweep_errors(info, torch) -> list:
    """Each error input must raise (or warn) as PyTorch's does, with a matching message."""
    name = info.optim_cls.__name__
    cls = getattr(minitorch.optim, name, None)
    if cls is None or info.optim_error_inputs_func is None:
        return []
    found = []
    for error in info.optim_error_inputs_func(device="cpu", dtype=torch.float32):
        sample = error.optimizer_error_input
        where = f"{_show(sample.params)} {sample.kwargs!r}"
        try:
            params = to_minitorch(sample.params, torch)
            if params is None:
                params = _mine(*_problem(torch, "float32"), torch)[0]
            kwargs = to_minitorch(sample.kwargs, torch)
        except Exception:
            continue
        what = _expect(error, lambda p=params, k=kwargs, e=error: _construct_and_step(cls, p, k, e))
        if what is not None:
            found.append(Divergence(name, "error", "-", where, what))
    return found


def _construct_and_step(cls, params, kwargs, error):
    optimizer = cls(params, **kwargs)
    if "STEP" in str(error.error_on):
        optimizer.step()


def _expect(error, run) -> str | None:
    expected = error.error_type
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            run()
        except Exception as exc:  # noqa: BLE001
            if issubclass(expected, Warning) or not isinstance(exc, expected):
                return f"raises {type(exc).__name__} ({_first_line(exc)!r}), PyTorch {expected.__name__}"  # noqa: E501
            if not re.search(error.error_regex, str(exc).replace("minitorch.", "torch.")):
                return f"message {_first_line(exc)!r} does not match {error.error_regex!r}"
            return None
    if issubclass(expected, Warning):
        texts = [str(w.message) for w in caught if issubclass(w.category, expected)]
        if any(re.search(error.error_regex, t) for t in texts):
            return None
        return f"no {expected.__name__} matching {error.error_regex!r} (warned: {texts})"
    return f"no error, PyTorch raises {expected.__name__}: {error.error_regex!r}"


def _show(params) -> str:
    if params is None:
        return "default params"
    text = repr(params).replace("\n", " ")
    return text if len(text) < 80 else text[:77] + "..."


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optimizers", nargs="*", help="optimizer class names (default: all)")
    parser.add_argument("-v", action="store_true", help="print every divergence")
    opts = parser.parse_args()
    warnings.simplefilter("ignore")
    infos = [
        i
        for i in optim_db()
        if i.optim_cls.__name__ != "SparseAdam"
        and (not opts.optimizers or i.optim_cls.__name__ in opts.optimizers)
    ]
    total = 0
    for info in infos:
        found = sweep_optimizer(info, torch)
        total += len(found)
        for d in found if opts.v else found[:1]:
            print(d, flush=True)
        if found and not opts.v and len(found) > 1:
            print(f"    ... {len(found) - 1} more for {info.optim_cls.__name__}")
    print(f"{total} divergences in {len(infos)} OptimizerInfos")


if __name__ == "__main__":
    main()
