"""Regression tests from a sweep of PyTorch's own docstring examples (torch.nn, nn.functional,
nn.init, nn.utils, linalg, special, autograd, optim, lr_scheduler, utils.data), each run with
PyTorch and with minitorch in lockstep. Every case here was a mismatch that got fixed; each is
the docstring's example, checked against PyTorch (or against the output PyTorch's docstring
documents where PyTorch needs worker processes to produce it)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from conftest import assert_close

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.utils.data import DataLoader, Dataset, IterableDataset, Sampler


def test_embedding_bag_from_pretrained_matches_torch(torch):
    # nn.EmbeddingBag docstring: from_pretrained with an Embedding's weight and padding_idx
    weight = np.random.default_rng(0).standard_normal((10, 3)).astype(np.float32)
    inp = np.array([2, 2, 2, 2, 4, 3, 2, 9])
    offsets = np.array([0, 4])

    def run(lib, freeze):
        bag = lib.nn.EmbeddingBag.from_pretrained(
            lib.tensor(weight), freeze=freeze, padding_idx=2, mode="sum"
        )
        out = bag(lib.tensor(inp), lib.tensor(offsets))
        return bag, out

    for freeze in (True, False):
        (tb, tout), (mb, mout) = run(torch, freeze), run(minitorch, freeze)
        assert_close(mout, tout)
        assert mb.weight.requires_grad is tb.weight.requires_grad is (not freeze)
        assert repr(mb) == repr(tb)
    with pytest.raises(AssertionError, match="2-dimensional"):
        nn.EmbeddingBag.from_pretrained(minitorch.ones(3))


def test_embedding_bag_from_pretrained_trains_the_given_tensor():
    weight = minitorch.ones(4, 2)
    bag = nn.EmbeddingBag.from_pretrained(weight, freeze=False, mode="sum")
    bag(minitorch.tensor([[0, 1]])).sum().backward()
    assert bag.weight.grad.tolist() == [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]


def test_sampler_and_dataset_are_generic_like_torch(torch):
    # torch.utils.data.Sampler docstring: subclasses of Sampler[int] and Sampler[list[int]]
    data = ["abc", "a", "abcde", "ab", "abcd"]

    def samplers(lib, sampler_base):
        class AccedingSequenceLengthSampler(sampler_base[int]):
            def __init__(self, data: list[str]) -> None:
                self.data = data

            def __len__(self) -> int:
                return len(self.data)

            def __iter__(self) -> Iterator[int]:
                sizes = lib.tensor([len(x) for x in self.data])
                yield from lib.argsort(sizes).tolist()

        class AccedingSequenceLengthBatchSampler(sampler_base[list[int]]):
            def __init__(self, data: list[str], batch_size: int) -> None:
                self.data, self.batch_size = data, batch_size

            def __len__(self) -> int:
                return (len(self.data) + self.batch_size - 1) // self.batch_size

            def __iter__(self) -> Iterator[list[int]]:
                sizes = lib.tensor([len(x) for x in self.data])
                for batch in lib.chunk(lib.argsort(sizes), len(self)):
                    yield batch.tolist()

        return list(AccedingSequenceLengthSampler(data)), list(
            AccedingSequenceLengthBatchSampler(data, 2)
        )

    assert samplers(minitorch, Sampler) == samplers(torch, torch.utils.data.Sampler)

    class Squares(Dataset[int]):
        def __getitem__(self, i: int) -> int:
            return i * i

        def __len__(self) -> int:
            return 4

    assert [int(b) for b in DataLoader(Squares())] == [0, 1, 4, 9]


class _Range(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


def _split_per_worker(worker_id: int) -> None:
    # torch.utils.data.IterableDataset docstring: narrow this worker's copy of the dataset
    info = minitorch.utils.data.get_worker_info()
    dataset = info.dataset
    per_worker = int(math.ceil((dataset.end - dataset.start) / float(info.num_workers)))
    dataset.start = dataset.start + info.id * per_worker
    dataset.end = min(dataset.start + per_worker, dataset.end)


def test_iterable_dataset_worker_init_fn_configures_its_own_copy():
    # The outputs PyTorch's docstring documents (its workers are processes, each with its
    # own copy of the dataset); shared between threads the workers overwrote each other's
    # ranges and gave [3, 4] and [].
    ds = _Range(3, 7)
    two = DataLoader(ds, num_workers=2, worker_init_fn=_split_per_worker)
    assert [int(x) for x in two] == [3, 5, 4, 6]
    twelve = DataLoader(ds, num_workers=12, worker_init_fn=_split_per_worker)
    assert [int(x) for x in twelve] == [3, 4, 5, 6]
    assert (ds.start, ds.end) == (3, 7)  # the loader's own dataset is untouched
    again = DataLoader(ds, num_workers=2, worker_init_fn=_split_per_worker)
    assert [int(x) for x in again] == [3, 5, 4, 6]  # a new pass starts from fresh copies


@pytest.mark.parametrize("threshold,value", [(0, 0.5), (-0.5, -7.9), (0.5, 7.9), (1, 20)])
def test_threshold_on_integer_tensor_keeps_dtype_like_torch(torch, threshold, value):
    # nn.Threshold docstring: m = nn.Threshold(0, 0.5); m(torch.arange(-3, 3)) stays int64
    def run(lib):
        x = lib.arange(-3, 3)
        out = lib.nn.Threshold(threshold, value)(x)
        y = lib.arange(-3, 3)
        lib.nn.functional.threshold_(y, threshold, value)
        return out, y

    (tout, ty), (mout, my) = run(torch), run(minitorch)
    assert str(mout.dtype) == "minitorch.int64" and str(tout.dtype) == "torch.int64"
    assert mout.tolist() == tout.tolist()
    assert my.tolist() == ty.tolist()


def test_threshold_on_float_tensor_unchanged(torch):
    x = np.linspace(-1, 1, 7).astype(np.float32)
    assert_close(
        F.threshold(minitorch.tensor(x), 0.1, 20.5),
        torch.nn.functional.threshold(torch.tensor(x), 0.1, 20.5),
    )


@pytest.mark.parametrize("nan", [False, True])
def test_max_pool3d_tie_gives_whole_gradient_to_first_maximum_like_torch(torch, nan):
    # nn.MaxPool3d docstring (stride (2, 1, 2) over random data) hit ties between depth taps:
    # the gradient was split 0.5/0.5 (maximum()); PyTorch gives it all to the first maximum
    x = np.array([[[[[1.0, 3.0], [3.0, 2.0]], [[3.0, 1.0], [0.0, 3.0]], [[3.0, 3.0], [1.0, 0.0]]]]])
    if nan:
        x[0, 0, 1, 1, 1] = np.nan
    x = x.astype(np.float32)

    def run(lib):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.MaxPool3d((2, 2, 2), stride=(1, 1, 1))(t)
        (y * lib.tensor([[[[[1.0]], [[10.0]]]]])).sum().backward()
        return y, t.grad

    (ty, tg), (my, mg) = run(torch), run(minitorch)
    assert_close(my, ty)
    assert_close(mg, tg)


def test_matrix_power_zero_stays_in_graph_like_torch(torch):
    # linalg.matrix_power docstring: matrix_power(A, 0) is the identity; PyTorch keeps it in
    # A's graph (zero gradient), so backward through it works (it raised here: no grad_fn)
    a = np.random.default_rng(1).standard_normal((2, 3, 3)).astype(np.float32)

    def run(lib):
        A = lib.tensor(a, requires_grad=True)
        out = lib.linalg.matrix_power(A, 0)
        out.sum().backward()
        return out, A.grad

    (tout, tgrad), (mout, mgrad) = run(torch), run(minitorch)
    assert mout.requires_grad and tout.requires_grad
    assert_close(mout, tout)
    assert_close(mgrad, tgrad)
    i = minitorch.linalg.matrix_power(minitorch.tensor([[1, 2], [3, 4]]), 0)
    assert i.tolist() == [[1, 0], [0, 1]] and str(i.dtype) == "minitorch.int64"


def _foo_modules(lib):
    class Foo(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("foo", lib.zeros(()))

        def forward(self, x):
            self.foo = self.foo + 1
            return x + self.foo

    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.foo = lib.nn.Parameter(lib.ones(()))
            self.foo_tied = self.foo

        def forward(self, x):
            return x + self.foo + self.foo_tied

    return Foo, Tied


def test_functional_call_writes_reassigned_buffers_back_like_torch(torch):
    # nn.utils.stateless.functional_call docstring (torch.func's is the same): a forward that rebinds self.foo leaves the
    # new value in the given dict (tensor(1.)); the module keeps its own foo (tensor(0.))
    def run(lib):
        Foo, _ = _foo_modules(lib)
        a, mod = {"foo": lib.zeros(())}, Foo()
        out = lib.func.functional_call(mod, a, lib.ones(()))
        return float(out), float(mod.foo), float(a["foo"])

    assert run(minitorch) == run(torch) == (2.0, 0.0, 1.0)


def test_functional_call_two_values_for_tied_weights_raise_like_torch(torch):
    def run(lib):
        _, Tied = _foo_modules(lib)
        mod, z = Tied(), lib.zeros(())
        call = lib.func.functional_call
        results = [float(call(mod, {"foo": z}, z).detach())]  # foo_tied follows foo: 0
        results.append(
            float(call(mod, {"foo": z}, z, tie_weights=False).detach())
        )  # foo_tied stays 1
        results.append(
            float(call(mod, {"foo": z, "foo_tied": z}, z).detach())
        )  # one value for both
        with pytest.raises(ValueError, match="multiple values for keys .*foo_tied.*tied"):
            call(mod, {"foo": lib.zeros(()), "foo_tied": lib.zeros(())}, z)
        return results

    assert run(minitorch) == run(torch) == [0.0, 1.0, 0.0]
