"""Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict, Container."""

from __future__ import annotations

import operator
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping

from ... import _dtypes
from ..._tensor import Tensor
from ..parameter import Parameter
from .module import Module, _addindent


def _index(idx, n: int, kind: str) -> int:
    idx = operator.index(idx)
    if not -n <= idx < n:
        raise IndexError(f"index {idx} is out of range")
    return idx % n if n else idx


def _dir_without_indices(self) -> list:
    """``dir()`` of Sequential, ModuleList and ParameterList: their numbered entries are left
    out."""
    return [key for key in Module.__dir__(self) if not key.isdigit()]


class Sequential(Module):
    """Mirrors ``torch.nn.Sequential``: runs its modules in order, each output feeding the next."""

    def __init__(self, *args) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        keys = list(self._modules)
        return self._modules[keys[_index(idx, len(keys), "Sequential")]]

    def __setitem__(self, idx, module: Module) -> None:
        keys = list(self._modules)
        setattr(self, keys[_index(idx, len(keys), "Sequential")], module)

    def __delitem__(self, idx) -> None:
        keys = list(self._modules)
        if isinstance(idx, slice):
            for key in keys[idx]:
                delattr(self, key)
        else:
            delattr(self, keys[_index(idx, len(keys), "Sequential")])
        # PyTorch renumbers the remaining modules so that indices stay 0..n-1
        items = list(self._modules.values())
        self._modules.clear()
        for i, module in enumerate(items):
            self._modules[str(i)] = module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    __dir__ = _dir_without_indices

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects of Sequential class, but "
                f"{type(other)} is given."
            )
        return Sequential(*self, *other)

    def __iadd__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects of Sequential class, but "
                f"{type(other)} is given."
            )
        return self.extend(list(other))

    def __mul__(self, other: int) -> Sequential:
        return Sequential(*self._repeated(other))

    __rmul__ = __mul__

    def __imul__(self, other: int) -> Sequential:
        return self.extend(self._repeated(other)[len(self) :])

    def _repeated(self, times: int) -> list:
        """The modules ``times`` times over, for ``*`` (the same objects, as PyTorch's)."""
        if not isinstance(times, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(times)}")
        if times <= 0:
            raise ValueError(f"Non-positive multiplication factor {times} for {type(self)}")
        return list(self) * times

    def append(self, module: Module) -> Sequential:
        """Mirrors ``Sequential.append``."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, sequential: Iterable[Module]) -> Sequential:
        """Mirrors ``Sequential.extend``."""
        for module in sequential:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Mirrors ``Sequential.insert``."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        items = list(self._modules.values())
        items.insert(index, module)
        self._modules.clear()
        for i, m in enumerate(items):
            self._modules[str(i)] = m
        return self

    def pop(self, key: int | slice) -> Module:
        """Mirrors ``Sequential.pop``."""
        v = self[key]
        del self[key]
        return v


class ModuleList(Module):
    """Mirrors ``torch.nn.ModuleList``: a list whose modules are registered submodules."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_index(idx, len(self), "ModuleList"))]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, str(_index(idx, len(self), "ModuleList")), module)

    def __delitem__(self, idx) -> None:
        if isinstance(idx, slice):
            for k in range(len(self._modules))[idx]:
                delattr(self, str(k))
        else:
            delattr(self, str(_index(idx, len(self), "ModuleList")))
        items = list(self._modules.values())
        self._modules.clear()
        for i, m in enumerate(items):
            self._modules[str(i)] = m

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    __dir__ = _dir_without_indices

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def append(self, module: Module) -> ModuleList:
        """Mirrors ``ModuleList.append``."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Mirrors ``ModuleList.extend``."""
        if not isinstance(modules, Iterable):
            raise TypeError(
                "ModuleList.extend should be called with an iterable, but got "
                + type(modules).__name__
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Mirrors ``ModuleList.insert``, quirks included: the modules from ``index`` on move
        up one key; a negative index fails with a KeyError of "-1" once the moves reach key
        0 (leaving them done), an index past the end makes the key ``str(index)``."""
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def pop(self, key: int | slice) -> Module:
        """Mirrors ``ModuleList.pop``."""
        v = self[key]
        del self[key]
        return v

    def __repr__(self) -> str:
        # PyTorch's compact form: runs of identical modules print once, as "(0-2): 3 x ..."
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        blocks: list[list] = []
        for i, r in enumerate(reprs):
            if blocks and blocks[-1][2] == r:
                blocks[-1][1] = i
            else:
                blocks.append([i, i, r])
        lines = []
        for start, end, r in blocks:
            head = f"({start})" if start == end else f"({start}-{end}): {end - start + 1} x"
            lines.append(_addindent(f"{head}: {r}" if start == end else f"{head} {r}", 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """Mirrors ``torch.nn.ModuleDict``: an ordered dict of registered submodules."""

    def __init__(self, modules: Mapping | Iterable | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Mirrors ``ModuleDict.clear``."""
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Mirrors ``ModuleDict.pop``."""
        v = self[key]
        del self[key]
        return v

    def keys(self):
        """Mirrors ``ModuleDict.keys``."""
        return self._modules.keys()

    def items(self):
        """Mirrors ``ModuleDict.items``."""
        return self._modules.items()

    def values(self):
        """Mirrors ``ModuleDict.values``."""
        return self._modules.values()

    def update(self, modules: Mapping | Iterable) -> None:
        """Mirrors ``ModuleDict.update`` (a mapping, a ModuleDict or an iterable of (key,
        module) pairs, in their order)."""
        for key, module in _update_pairs("ModuleDict", modules, sort_dicts=False):
            self[key] = module


def _update_pairs(kind: str, values, sort_dicts: bool) -> list:
    """The (key, value) pairs that ``kind.update(values)`` adds, in PyTorch's order: an
    OrderedDict's or a ModuleDict/ParameterDict's own order, a plain mapping's (sorted by key
    with ``sort_dicts``, as ParameterDict does), an iterable of pairs as given."""
    if not isinstance(values, Iterable):
        spelled = "ParametersDict" if kind == "ParameterDict" else kind  # PyTorch's spelling
        raise TypeError(
            f"{spelled}.update should be called with an iterable of key/value pairs, but got "
            + type(values).__name__
        )
    if isinstance(values, (OrderedDict, ModuleDict, ParameterDict)):
        return list(values.items())
    if isinstance(values, Mapping):
        return sorted(values.items()) if sort_dicts else list(values.items())
    pairs = []
    for j, kv in enumerate(values):
        if not isinstance(kv, Iterable):
            raise TypeError(
                f"{kind} update sequence element #{j} should be Iterable; is{type(kv).__name__}"
            )
        if len(kv) != 2:
            raise ValueError(
                f"{kind} update sequence element #{j} has length {len(kv)}; 2 is required"
            )
        pairs.append((kv[0], kv[1]))
    return pairs


def _as_parameter(value):
    """ParameterList/Dict turn plain tensors into Parameters (other objects are kept)."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


class ParameterList(Module):
    """Mirrors ``torch.nn.ParameterList``: a list of registered parameters."""

    def __init__(self, values: Iterable | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(self._size)[idx]])
        return getattr(self, str(_index(idx, self._size, "ParameterList")))

    def __setitem__(self, idx: int, param) -> None:
        setattr(self, str(_index(idx, self._size, "ParameterList")), _as_parameter(param))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(self._size))

    __dir__ = _dir_without_indices

    def __iadd__(self, parameters: Iterable) -> ParameterList:
        return self.extend(parameters)

    def append(self, value) -> ParameterList:
        """Mirrors ``ParameterList.append``."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable) -> ParameterList:
        """Mirrors ``ParameterList.extend``."""
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                + type(values).__name__
            )
        for v in values:
            self.append(v)
        return self

    def extra_repr(self) -> str:
        lines = []
        for k, p in enumerate(self):
            if isinstance(p, Tensor):
                size = "x".join(str(s) for s in p.shape)
                device = f" ({p.device})" if p.device.type == "cuda" else ""
                kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
                lines.append(f"  ({k}): {kind} containing: [{p.dtype} of size {size}{device}]")
            else:
                lines.append(f"  ({k}): Object of type: {type(p).__name__}")
        return "\n".join(lines)


def _string_key(key) -> str:
    if not isinstance(key, str):
        raise TypeError(
            "Index given to ParameterDict cannot be used as a key as it is not a string (type "
            f"is '{type(key).__name__}'). Open an issue on github if you need non-string keys."
        )
    return key


class ParameterDict(Module):
    """Mirrors ``torch.nn.ParameterDict``: an ordered dict of registered parameters."""

    def __init__(self, parameters: Mapping | Iterable | None = None) -> None:
        super().__init__()
        self._keys: dict = {}
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str):
        return getattr(self, _string_key(key))

    def __setitem__(self, key: str, value) -> None:
        self._keys[_string_key(key)] = None
        setattr(self, key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        del self._keys[_string_key(key)]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def keys(self):
        """Mirrors ``ParameterDict.keys``."""
        return self._keys.keys()

    def items(self):
        """Mirrors ``ParameterDict.items``."""
        return ((k, self[k]) for k in self._keys)

    def values(self):
        """Mirrors ``ParameterDict.values``."""
        return (self[k] for k in self._keys)

    def get(self, key: str, default=None):
        """Mirrors ``ParameterDict.get``."""
        return self[key] if key in self else default

    def pop(self, key: str):
        """Mirrors ``ParameterDict.pop``."""
        v = self[key]
        del self[key]
        return v

    def clear(self) -> None:
        """Mirrors ``ParameterDict.clear``."""
        for k in list(self._keys):
            del self[k]

    def popitem(self) -> tuple:
        """Mirrors ``ParameterDict.popitem``: removes and returns the last (key, value)."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def setdefault(self, key: str, default=None):
        """Mirrors ``ParameterDict.setdefault``."""
        if key not in self:
            self[key] = default
        return self[key]

    def copy(self) -> ParameterDict:
        """Mirrors ``ParameterDict.copy``: a new dict holding the same parameters."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def update(self, parameters: Mapping | Iterable) -> None:
        """Mirrors ``ParameterDict.update``: a plain dict's keys are added in sorted order,
        an OrderedDict's, a ParameterDict's or an iterable of pairs' in theirs."""
        for key, value in _update_pairs("ParameterDict", parameters, sort_dicts=True):
            self[key] = value

    def fromkeys(self, keys: Iterable[str], default=None) -> ParameterDict:
        """Mirrors ``ParameterDict.fromkeys``."""
        return ParameterDict((k, default) for k in keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __or__(self, other) -> ParameterDict:
        new = self.copy()
        new.update(other)
        return new

    def __ror__(self, other) -> ParameterDict:
        new = other.copy()
        new.update(self)
        return new

    def __ior__(self, other) -> ParameterDict:
        self.update(other)
        return self

    def extra_repr(self) -> str:
        lines = []
        for k, p in self.items():
            if isinstance(p, Tensor):
                size = "x".join(str(s) for s in p.shape)
                device = f" (GPU {p.device.index or 0})" if p.device.type == "cuda" else ""
                kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
                name = f"minitorch.{_dtypes.scalar_type_name(p._data.dtype)}Tensor"
                lines.append(f"  ({k}): {kind} containing: [{name} of size {size}{device}]")
            else:
                lines.append(f"  ({k}): Object of type: {type(p).__name__}")
        return "\n".join(lines)


class Container(Module):
    """Mirrors the deprecated ``torch.nn.Container``: a Module whose keyword arguments
    become its submodules; constructing one gives PyTorch's FutureWarning."""

    def __init__(self, **kwargs: Module) -> None:
        warnings.warn(
            "`nn.Container` is deprecated. All of its functionality is now implemented in "
            "`nn.Module`. Subclass that instead.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__()
        for key, value in kwargs.items():
            self.add_module(key, value)
