"""Session 26 data sweep: focused programs for the divergences the data fuzzer
(tests/test_fuzz_data.py) found: collation of numpy items next to None or other objects,
default_convert of numpy scalars beyond numbers, ``torch.tensor``'s words for bytes, numpy
strings and objects among numbers, an empty WeightedRandomSampler, RandomSampler's
num_samples=True, and the pin_memory warnings without an accelerator."""

import collections
import os
import warnings

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


@error(RuntimeError, r"^Could not infer dtype of NoneType")
def collate_numpy_arrays_with_none(torch):
    return torch.utils.data.default_collate([np.zeros(2, np.float32), None])


@error(RuntimeError, r"^Could not infer dtype of NoneType")
def collate_numpy_scalars_with_none(torch):
    return torch.utils.data.default_collate([np.int16(1), None, np.int16(2)])


@error(RuntimeError, r"^Could not infer dtype of collections\.OrderedDict$")
def collate_numpy_scalars_with_ordered_dict(torch):
    return torch.utils.data.default_collate([np.int8(1), collections.OrderedDict(a=1)])


@program
def collate_numpy_items_keep_their_dtypes(torch):
    d = torch.utils.data
    arrays = d.default_collate([np.full((2, 1), i, np.float16) for i in range(3)])
    return arrays, d.default_collate([np.uint8(1), np.uint8(7)]), d.default_collate([np.array(1.5)])


@error(TypeError, r"^must be real number, not bytes$")
def collate_floats_with_bytes(torch):
    return torch.utils.data.default_collate([{"a": 0.5}, {"a": b"x"}])


@error(TypeError, r"^'str' object cannot be interpreted as an integer$")
def tensor_int_dtype_with_a_string_after_a_number(torch):
    return torch.tensor([[1], ["a"]], dtype=torch.int64)


@error(TypeError, r"^new\(\): invalid data type 'bytes'$")
def tensor_of_bytes_after_a_number(torch):
    return torch.tensor([1, b"A"])


@error(RuntimeError, r"^Could not infer dtype of collections\.OrderedDict$")
def tensor_of_an_ordered_dict_among_numbers(torch):
    return torch.tensor([1.0, collections.OrderedDict()])


@error(RuntimeError, r"^invalid multinomial distribution \(sum of probabilities <= 0\)$")
def weighted_sampler_without_weights(torch):
    return list(torch.utils.data.WeightedRandomSampler([], 4))


@program
def multinomial_of_no_rows(torch):
    return torch.multinomial(torch.zeros(0, 3), 2, True).shape


@program
def random_sampler_counts_true_as_one_sample(torch):
    gen = torch.Generator().manual_seed(3)
    return list(torch.utils.data.RandomSampler(range(5), num_samples=True, generator=gen))


@error(TypeError, r"^can't convert np\.ndarray of type numpy\.datetime64")
def default_convert_numpy_datetime(torch):
    return torch.utils.data.default_convert({"when": np.datetime64("2020-01-02")})


@error(TypeError, r"^new\(\): invalid data type 'numpy\.bytes_'$")
def default_convert_numpy_bytes(torch):
    return torch.utils.data.default_convert([np.int8(1), np.bytes_(b"x")])


@program
def default_convert_keeps_numpy_strings(torch):
    return torch.utils.data.default_convert((np.str_("a"), np.float16(2)))


@error(TypeError, r"^new\(\): invalid data type 'numpy\.str_'$")
def as_tensor_of_a_numpy_string(torch):
    return torch.as_tensor(np.str_("a"))


@program
def loader_pin_memory_without_accelerator_warns(torch):
    loader = torch.utils.data.DataLoader([1, 2], pin_memory=True, pin_memory_device="cpu")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batches = [list(loader) for _ in range(2)]  # each new iterator warns
    return batches, [str(w.message) for w in caught]


@error(TypeError, r"^Can't instantiate abstract class IterableDataset")
def iterable_dataset_is_abstract(torch):
    return torch.utils.data.DataLoader(torch.utils.data.IterableDataset(), batch_size=2)


@program
def iterable_dataset_subclass_of_int_items(torch):
    class Stream(torch.utils.data.IterableDataset[int]):
        def __iter__(self):
            return iter(range(5))

    return list(torch.utils.data.DataLoader(Stream(), batch_size=2)), list(Stream() + Stream())


@error(TypeError, r"^randperm\(\) received an invalid combination of arguments - got \(float, generator=torch\._C\.Generator\), but expected")  # fmt: skip
def random_split_of_float_lengths(torch):
    return torch.utils.data.random_split(range(4), [2.0, 2], generator=torch.Generator())


@error(RuntimeError, r"^aminmax\(\): cannot compute aminmax over an empty dimension")
def weighted_sampler_of_one_draw_without_weights(torch):
    return list(torch.utils.data.WeightedRandomSampler([], 1))


@program
def loader_checks_worker_number_after_its_arguments(torch):
    n = len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else os.cpu_count() + 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:  # refused before the check: no warning
            torch.utils.data.DataLoader(range(4), num_workers=n, shuffle=True, sampler=[1])
        except ValueError as e:
            refused = str(e)
        loader = torch.utils.data.DataLoader(range(4), num_workers=n)
        loader.check_worker_number_rationality()
    return refused, [str(w.message).replace(str(n), "N") for w in caught]


def _rows(torch, **kw):
    dataset = torch.utils.data.TensorDataset(torch.arange(6).reshape(3, 2))
    return list(torch.utils.data.DataLoader(dataset, **kw))


@error(IndexError, r"^only integers, slices")
def tensor_dataset_loader_of_a_float_key(torch):
    return _rows(torch, sampler=[2.0], batch_size=2)


@program
def tensor_dataset_loader_of_a_bool_key(torch):
    return _rows(torch, sampler=[True, True], batch_size=2)


@error(IndexError, r"^list index out of range$")
def tensor_dataset_loader_of_an_empty_batch(torch):
    return _rows(torch, batch_sampler=[[]])


@program
def tensor_dataset_loader_keeps_the_stack_graph(torch):
    x = torch.arange(6.0).reshape(3, 2).requires_grad_()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, torch.arange(3)), 2)
    (a, i), (b, j) = loader
    (a.sum() * 2 + (b**2).sum()).backward()
    return type(a.grad_fn).__name__, i.requires_grad, x.grad
