"""Session 7 compatibility sweep of ``torch.utils.data``: datasets, samplers, collation and
DataLoader, written the way PyTorch users write them (tutorials, training scripts, edge cases).
Each program runs with real PyTorch (the oracle) and with minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

import collections

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


Pair = collections.namedtuple("Pair", ["image", "label"])


def _xy(torch, n=10, dtype=None):
    x = torch.arange(3 * n, dtype=dtype or torch.float32).reshape(n, 3)
    return torch.utils.data.TensorDataset(x, torch.arange(n))


def _squares(torch, n=6):
    class Squares(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return torch.tensor([float(i), float(i * i)]), i % 3

    return Squares()


def _stream(torch, lo, hi, with_len=False):
    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            if info is None:
                return iter(range(lo, hi))
            return iter(range(lo + info.id, hi, info.num_workers))

    if with_len:
        Stream.__len__ = lambda self: hi - lo
    return Stream()


def _drain(loader) -> list:
    """``list(loader)``; an error is raised again without its traceback, so the iterator (and
    PyTorch's worker processes) go now, not at a later garbage collection in the middle of
    another program (a PyTorch worker shut down there can take seconds)."""
    try:
        return list(loader)
    except Exception as e:
        error = e
    error.__traceback__ = None
    raise error


def _kinds(values):
    """Type names of a structure's containers and leaves (the harness compares lists and tuples
    alike)."""
    if isinstance(values, (list, tuple, dict)):
        items = values.values() if isinstance(values, dict) else values
        return [type(values).__name__, [_kinds(v) for v in items]]
    return type(values).__name__


# ---- datasets --------------------------------------------------------------------------------
@error(NotImplementedError, r"Subclasses of Dataset should implement __getitem__")
def dataset_base_getitem(torch):
    return torch.utils.data.Dataset()[0]


@error(TypeError, r"has no len\(\)")
def dataset_base_len(torch):
    return len(torch.utils.data.Dataset())


@program
def map_dataset_loader_tuple_of_tensor_and_int(torch):
    loader = torch.utils.data.DataLoader(_squares(torch), batch_size=4)
    batches = list(loader)
    return batches, _kinds(batches), len(loader)


@program
def tensor_dataset_slice_and_attributes(torch):
    ds = _xy(torch, 5)
    return ds[1:3], ds[-1], len(ds.tensors), type(ds.tensors).__name__, len(ds)


@error(AssertionError, r"Size mismatch between tensors")
def tensor_dataset_three_tensors_mismatch(torch):
    torch.utils.data.TensorDataset(torch.zeros(4, 2), torch.zeros(4), torch.zeros(5, 1))


@program
def tensor_dataset_list_iteration(torch):
    ds = torch.utils.data.TensorDataset(torch.tensor([1.5, 2.5, 3.5]), torch.tensor([1, 0, 1]))
    return [tuple(s) for s in ds], [y for _, y in ds]


@program
def tensor_dataset_dtypes_through_loader(torch):
    ds = torch.utils.data.TensorDataset(
        torch.arange(6, dtype=torch.int8), torch.arange(6, dtype=torch.float16),
        torch.tensor([True, False] * 3), torch.arange(12, dtype=torch.float64).reshape(6, 2),
    )  # fmt: skip
    return list(torch.utils.data.DataLoader(ds, batch_size=4))


@program
def tensor_dataset_non_contiguous(torch):
    x = torch.arange(12.0).reshape(3, 4).t()
    ds = torch.utils.data.TensorDataset(x, x[:, 1:])
    return list(torch.utils.data.DataLoader(ds, batch_size=3, shuffle=True))


@program
def tensor_dataset_requires_grad_batches(torch):
    w = torch.arange(8.0).reshape(4, 2).requires_grad_()
    ds = torch.utils.data.TensorDataset(w)
    loss = sum((b**2).sum() for (b,) in torch.utils.data.DataLoader(ds, batch_size=3))
    loss.backward()
    return loss, w.grad


@program
def concat_dataset_indexing(torch):
    D = torch.utils.data
    a, b, c = _xy(torch, 2), _xy(torch, 0), _xy(torch, 3)
    cat = D.ConcatDataset([a, b, c])
    return (
        cat.cumulative_sizes,
        len(cat),
        cat[1],
        cat[2],
        cat[-1],
        cat[-5],
        D.ConcatDataset.cumsum([a, c]),
    )


@program
def concat_dataset_of_lists_and_ranges(torch):
    D = torch.utils.data
    cat = D.ConcatDataset([[10, 11], range(3), (7,)])
    nested = cat + D.ConcatDataset([[1]])
    return [cat[i] for i in range(len(cat))], len(nested), nested[-1], type(nested).__name__


@error(IndexError, r"list index out of range")
def concat_dataset_index_past_end(torch):
    return torch.utils.data.ConcatDataset([[1, 2], [3]])[3]


@error(AssertionError, r"datasets should not be an empty iterable")
def concat_dataset_empty(torch):
    torch.utils.data.ConcatDataset([])


@error(AssertionError, r"ConcatDataset does not support IterableDataset")
def concat_dataset_of_iterable(torch):
    torch.utils.data.ConcatDataset([[1, 2], _stream(torch, 0, 3)])


@program
def concat_dataset_deprecated_cummulative_sizes(torch):
    return torch.utils.data.ConcatDataset([[1, 2], [3]]).cummulative_sizes


@program
def chain_dataset_len_and_iter(torch):
    D = torch.utils.data
    chain = D.ChainDataset([_stream(torch, 0, 3, True), _stream(torch, 10, 12, True)])
    return list(chain), len(chain), list(D.DataLoader(chain, batch_size=2))


@error(AssertionError, r"ChainDataset only supports IterableDataset")
def chain_dataset_of_map_dataset(torch):
    return list(torch.utils.data.ChainDataset([_stream(torch, 0, 2), [5, 6]]))


@error(AssertionError, r"ChainDataset only supports IterableDataset")
def chain_dataset_len_of_map_dataset(torch):
    return len(_stream(torch, 0, 2, True) + _squares(torch))


@program
def subset_of_subset_and_list_index(torch):
    D = torch.utils.data
    ds = _xy(torch, 8)
    sub = D.Subset(D.Subset(ds, [7, 5, 3, 1]), [3, 0])
    inner = D.Subset(ds, range(2, 6))
    return sub[0], sub[-1], len(sub), inner[[0, 3]], list(D.DataLoader(sub, batch_size=2))


@program
def subset_with_tensor_indices(torch):
    D = torch.utils.data
    ds = _xy(torch, 6)
    idx = torch.tensor([4, 0, 2])
    sub = D.Subset(ds, idx)
    return sub[1], len(sub), list(D.DataLoader(sub, batch_size=2))


@program
def subset_transform_subclass(torch):
    """The tutorial's subset-with-transform, done with __getitems__ as PyTorch 2.13 asks."""
    D = torch.utils.data

    class Transformed(D.Subset):
        def __getitem__(self, idx):
            x, y = super().__getitem__(idx)
            return x * 2, y

        def __getitems__(self, indices):
            return [self[i] for i in indices]

    sub = Transformed(_xy(torch, 6), [5, 1, 3])
    return sub[0], list(D.DataLoader(sub, batch_size=2))


@error(NotImplementedError, r"overrides __getitem__ but not __getitems__")
def subset_subclass_without_getitems(torch):
    class Transformed(torch.utils.data.Subset):
        def __getitem__(self, idx):
            x, y = super().__getitem__(idx)
            return x * 2, y

    return Transformed(_xy(torch, 6), [5, 1, 3])


@program
def stack_dataset_tuple_and_dict_through_loader(torch):
    D = torch.utils.data
    images, labels = _xy(torch, 5), list(range(5))
    tup = D.StackDataset(images, labels)
    named = D.StackDataset(img=images, label=labels)
    return (
        list(D.DataLoader(tup, batch_size=2)), list(D.DataLoader(named, batch_size=3)),
        tup.__getitems__([0, 4]), named.__getitems__([1]),
    )  # fmt: skip


@program
def stack_dataset_nested_getitems(torch):
    D = torch.utils.data
    sub = D.Subset(_xy(torch, 6), [5, 4, 3])
    st = D.StackDataset(a=sub, b=[7, 8, 9])
    return st.__getitems__([2, 0]), list(D.DataLoader(st, batch_size=2))


@error(ValueError, r"Size mismatch between datasets")
def stack_dataset_mismatch(torch):
    torch.utils.data.StackDataset(a=[1, 2], b=[1])


@error(ValueError, r"At least one dataset should be passed")
def stack_dataset_empty(torch):
    torch.utils.data.StackDataset()


@program
def dataset_add_chains(torch):
    ds = _xy(torch, 2) + _squares(torch, 3) + _xy(torch, 1)
    it = _stream(torch, 0, 2) + _stream(torch, 5, 6)
    return type(ds).__name__, len(ds), ds[2], ds[-1], type(it).__name__, list(it)


# ---- random_split ----------------------------------------------------------------------------
@program
def random_split_fractions_remainders(torch):
    g = torch.Generator().manual_seed(42)
    parts = torch.utils.data.random_split(range(11), [0.25, 0.25, 0.25, 0.25], generator=g)
    return [len(p) for p in parts], [p.indices for p in parts]


@program
def random_split_fraction_zero_split(torch):
    parts = torch.utils.data.random_split(range(3), [0.1, 0.9])
    return [list(p) for p in parts]


@program
def random_split_default_generator_then_rand(torch):
    torch.manual_seed(7)
    a, b = torch.utils.data.random_split(_xy(torch, 9), [6, 3])
    return a.indices, b.indices, torch.rand(2), a[0], b[-1]


@program
def random_split_single_whole(torch):
    (whole,) = torch.utils.data.random_split(range(5), [1])
    (also,) = torch.utils.data.random_split(range(4), [4])
    return whole.indices, also.indices


@error(ValueError, r"Fraction at index 0 is not between 0 and 1")
def random_split_negative_fraction(torch):
    torch.utils.data.random_split(range(10), [1.5, -0.5])


@program
def random_split_then_loaders(torch):
    D = torch.utils.data
    g = torch.Generator().manual_seed(0)
    train, val = D.random_split(_xy(torch, 10), [0.8, 0.2], generator=g)
    train_loader = D.DataLoader(train, batch_size=3, shuffle=True, generator=g)
    return [y for _, y in train_loader], [y for _, y in D.DataLoader(val, batch_size=4)]


# ---- default_collate / default_convert -------------------------------------------------------
@program
def collate_mixed_numbers(torch):
    c = torch.utils.data.default_collate
    return c([1, 2.5]), c([2.5, 1]), c([True, 2]), c([np.float32(1.5), np.float32(2)])


@program
def collate_numpy_scalars_dtypes(torch):
    c = torch.utils.data.default_collate
    return [
        c([np.dtype(dt).type(1), np.dtype(dt).type(2)])
        for dt in ("int8", "uint8", "int16", "int32", "float16", "float64", "bool")
    ]


@program
def collate_numpy_arrays_dtypes_and_0d(torch):
    c = torch.utils.data.default_collate
    return [
        c([np.array([[0, 1], [1, 0]], dtype=dt), np.ones((2, 2), dtype=dt)])
        for dt in ("int16", "float16", "bool", "int64")
    ] + [c([np.array(3, dtype=np.int32), np.array(4, dtype=np.int32)])]


@error(
    TypeError,
    r"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <U1",
)
def collate_numpy_strings(torch):
    torch.utils.data.default_collate([np.array(["a"]), np.array(["b"])])


@error(
    TypeError,
    r"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found object",
)
def collate_numpy_objects(torch):
    torch.utils.data.default_collate([np.array([None]), np.array([1])])


@error(
    TypeError,
    r"batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>",
)
def collate_none(torch):
    torch.utils.data.default_collate([None, None])


@error(
    TypeError,
    r"batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'set'>",
)
def collate_sets(torch):
    torch.utils.data.default_collate([{1}, {2}])


@program
def collate_strings_in_tuples_and_dicts(torch):
    c = torch.utils.data.default_collate
    a = c([("a", 1), ("b", 2)])
    b = c([{"name": "x", "v": 1.0}, {"name": "y", "v": 2.0}])
    d = c([["p", b"q"], ["r", b"s"]])
    return a, _kinds(a), b, _kinds(b), d, _kinds(d)


@program
def collate_namedtuples_and_nested(torch):
    c = torch.utils.data.default_collate
    batch = [Pair(torch.ones(2), 0), Pair(torch.zeros(2), 1)]
    out = c(batch)
    nested = c([{"p": Pair(np.ones(1), 1.5)}, {"p": Pair(np.zeros(1), 2.5)}])
    return out, type(out).__name__, nested, type(nested["p"]).__name__


@program
def collate_ordered_and_default_dicts(torch):
    c = torch.utils.data.default_collate
    od = c([collections.OrderedDict(b=1, a=2), collections.OrderedDict(b=3, a=4)])
    dd = collections.defaultdict(list, x=torch.ones(1))
    out = c([dd, dd])
    return od, type(od).__name__, list(od), out, type(out).__name__


@program
def collate_tensors_requiring_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    batch = torch.utils.data.default_collate([w * 2, w**2])
    batch.sum().backward()
    return batch, w.grad


@program
def collate_tensor_dtypes_kept(torch):
    c = torch.utils.data.default_collate
    return [
        c([torch.tensor(1, dtype=dt), torch.tensor(0, dtype=dt)])
        for dt in (torch.uint8, torch.int16, torch.int32, torch.float64, torch.bool, torch.float16)
    ]


@error(
    RuntimeError,
    r"stack expects each tensor to be equal size, but got \[2, 2\] at entry 0 and \[2, 3\] at entry 1",
)
def collate_ragged_numpy(torch):
    torch.utils.data.default_collate([np.zeros((2, 2)), np.zeros((2, 3))])


@error(RuntimeError, r"each element in list of batch should be of equal size")
def collate_ragged_tuples_in_loader(torch):
    ds = [(1, 2), (3,)]
    return list(torch.utils.data.DataLoader(ds, batch_size=2))


@program
def collate_empty_containers(torch):
    c = torch.utils.data.default_collate
    return c([[], []]), c([{}, {}]), c([(), ()])


@error(IndexError, r"list index out of range")
def collate_empty_batch(torch):
    torch.utils.data.default_collate([])


@program
def custom_collate_registry(torch):
    collate = torch.utils.data._utils.collate.collate
    default_collate_fn_map = torch.utils.data._utils.collate.default_collate_fn_map

    class Box:
        def __init__(self, v):
            self.v = v

    def collate_box(batch, *, collate_fn_map=None):
        return sum(b.v for b in batch)

    def collate_tensor_fn(batch, *, collate_fn_map=None):
        return torch.cat(batch)

    mapping = {**default_collate_fn_map, Box: collate_box}
    out = collate([(Box(1), torch.ones(2)), (Box(5), torch.zeros(2))], collate_fn_map=mapping)
    cat = collate([torch.ones(2), torch.zeros(1)], collate_fn_map={torch.Tensor: collate_tensor_fn})
    return out, cat


@program
def collate_public_helpers(torch):
    C = torch.utils.data._utils.collate
    return (
        C.collate_tensor_fn([torch.ones(2), torch.zeros(2)]),
        C.collate_numpy_array_fn([np.ones(2), np.zeros(2)], collate_fn_map=C.default_collate_fn_map),
        C.collate_float_fn([1.0, 2.0]), C.collate_int_fn([1, 2]), C.collate_str_fn(["a"]),
        C.collate_numpy_scalar_fn([np.int16(3)]),
        C.default_collate_err_msg_format.format(int), bool(C.np_str_obj_array_pattern.search("<U3")),
    )  # fmt: skip


@program
def convert_containers(torch):
    conv = torch.utils.data.default_convert
    out = conv((np.arange(2), [np.float32(1.5), "s"], {"k": (np.ones(1, np.float16),)}, 3, 2.5))
    return (
        out,
        _kinds(out),
        conv(Pair(np.zeros(2), np.int64(4))),
        conv(np.array(["a", "b"])).tolist(),
    )


@program
def convert_in_unbatched_loader(torch):
    ds = [(np.array([i, i]), np.float64(i / 2), i) for i in range(3)]
    batches = list(torch.utils.data.DataLoader(ds, batch_size=None))
    return batches, _kinds(batches)


@program
def subset_subclass_overriding_getitems_only(torch):
    """DataLoader reads a Subset subclass through its own __getitems__."""
    D = torch.utils.data

    class Doubled(D.Subset):
        def __getitems__(self, indices):
            return [(x * 2, y + 100) for x, y in super().__getitems__(indices)]

    return list(D.DataLoader(Doubled(_xy(torch, 6), [5, 1, 3]), batch_size=2))


@program
def tensor_dataset_subclass_getitems(torch):
    D = torch.utils.data

    class Noisy(D.TensorDataset):
        def __getitems__(self, indices):
            return [(self.tensors[0][i] + 0.5, self.tensors[1][i]) for i in indices]

    return list(D.DataLoader(Noisy(*_xy(torch, 4).tensors), batch_size=3))


@program
def tensor_dataset_no_tensors(torch):
    return type(torch.utils.data.TensorDataset()).__name__


@error(IndexError, r"Dimension specified as 0 but tensor has no dimensions")
def tensor_dataset_scalar(torch):
    torch.utils.data.TensorDataset(torch.tensor(1.0))


@error(AttributeError, r"'list' object has no attribute 'size'")
def tensor_dataset_of_lists(torch):
    torch.utils.data.TensorDataset([1, 2], [3, 4])


# ---- DataLoader arguments --------------------------------------------------------------------
@error(
    ValueError,
    r"prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None",
)
def loader_prefetch_without_workers(torch):
    torch.utils.data.DataLoader(_xy(torch), prefetch_factor=2)


@error(
    ValueError,
    r"num_workers option should be non-negative; use num_workers=0 to disable multiprocessing",
)
def loader_negative_workers_message(torch):
    torch.utils.data.DataLoader(_xy(torch), num_workers=-2)


@error(ValueError, r"prefetch_factor option should be non-negative")
def loader_negative_prefetch(torch):
    torch.utils.data.DataLoader(_xy(torch), num_workers=1, prefetch_factor=-1)


@error(ValueError, r"persistent_workers option needs num_workers > 0")
def loader_persistent_without_workers(torch):
    torch.utils.data.DataLoader(_xy(torch), persistent_workers=True)


@error(ValueError, r"timeout option should be non-negative")
def loader_negative_timeout(torch):
    torch.utils.data.DataLoader(_xy(torch), timeout=-1)


@error(AssertionError, r"_SingleProcessDataLoaderIter requires timeout == 0")
def loader_timeout_without_workers(torch):
    return next(iter(torch.utils.data.DataLoader(_xy(torch), timeout=5)))


@program
def loader_timeout_with_workers(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 4), batch_size=2, num_workers=1, timeout=30)
    return list(loader)


@error(
    ValueError,
    r"multiprocessing_context can only be used with multi-process loading \(num_workers > 0\), but got num_workers=0",
)
def loader_context_without_workers(torch):
    torch.utils.data.DataLoader(_xy(torch), multiprocessing_context="spawn")


@error(ValueError, r"multiprocessing_context option should specify a valid start method in")
def loader_bad_context(torch):
    torch.utils.data.DataLoader(_xy(torch), num_workers=1, multiprocessing_context="threads")


@error(
    ValueError, r"persistent_workers attribute should not be set after DataLoader is initialized"
)
def loader_set_persistent_after_init(torch):
    loader = torch.utils.data.DataLoader(_xy(torch), num_workers=1)
    loader.persistent_workers = True


@error(ValueError, r"batch_size attribute should not be set after DataLoader is initialized")
def loader_set_batch_size_after_init(torch):
    torch.utils.data.DataLoader(_xy(torch)).batch_size = 4


@program
def loader_settable_attributes(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 4), batch_size=2)
    loader.num_workers = 0
    loader.collate_fn = lambda b: len(b)
    return (
        list(loader),
        loader.num_workers,
        loader.pin_memory,
        loader.timeout,
        loader.prefetch_factor,
    )


@program
def loader_default_attributes(torch):
    D = torch.utils.data
    ds = _xy(torch, 5)
    a = D.DataLoader(ds)
    b = D.DataLoader(ds, batch_size=None, shuffle=True)
    c = D.DataLoader(ds, batch_size=2, num_workers=2)
    return (
        type(a.sampler).__name__, type(a.batch_sampler).__name__, a.batch_size, a.drop_last,
        a.collate_fn is D.default_collate, type(b.sampler).__name__, b.batch_sampler,
        b.collate_fn is D.default_convert, c.prefetch_factor, a.prefetch_factor,
        a.persistent_workers, a.generator, a.in_order, a.pin_memory_device,
        a.multiprocessing_context, a.worker_init_fn, len(a), len(b), len(c),
    )  # fmt: skip


@program
def loader_iterator_len_and_next(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 7), batch_size=3)
    it = iter(loader)
    first = next(it)
    return len(it), first, [b[1] for b in it]


@error(StopIteration, r"")
def loader_next_after_end(torch):
    it = iter(torch.utils.data.DataLoader([1], batch_size=1))
    next(it)
    return next(it)


@program
def loader_iterate_twice_and_enumerate(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 5), batch_size=2, shuffle=True)
    first = [(i, y) for i, (_, y) in enumerate(loader)]
    second = [y for _, y in loader]
    return first, second, torch.rand(1)


@program
def loader_unshuffled_still_draws_seed(torch):
    """Each iterator draws its base seed from the default generator, shuffled or not."""
    torch.manual_seed(3)
    list(torch.utils.data.DataLoader(range(4), batch_size=2))
    a = torch.rand(2)
    list(torch.utils.data.DataLoader(range(4), batch_size=2, shuffle=True))
    return a, torch.rand(2)


@program
def loader_generator_leaves_global_stream(torch):
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(5)
    order = [
        b.tolist()
        for b in torch.utils.data.DataLoader(range(7), batch_size=3, shuffle=True, generator=g)
    ]
    return order, torch.rand(2), g.initial_seed(), torch.randint(0, 100, (3,), generator=g)


@program
def loader_drop_last_lengths(torch):
    D = torch.utils.data
    out = []
    for n in (0, 1, 4, 5, 8):
        for bs in (1, 3, 4):
            for drop in (False, True):
                loader = D.DataLoader(range(n), batch_size=bs, drop_last=drop)
                out.append((len(loader), [b.tolist() for b in loader]))
    return out


@program
def loader_empty_dataset(torch):
    D = torch.utils.data
    ds = D.TensorDataset(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long))
    return len(D.DataLoader(ds, batch_size=4)), list(D.DataLoader(ds, batch_size=4)), len(ds)


@error(ValueError, r"num_samples should be a positive integer value, but got num_samples=0")
def loader_shuffle_empty_dataset(torch):
    torch.utils.data.DataLoader([], shuffle=True)


@program
def loader_batch_size_none_shuffle(torch):
    g = torch.Generator().manual_seed(2)
    loader = torch.utils.data.DataLoader(
        _squares(torch, 5), batch_size=None, shuffle=True, generator=g
    )
    items = list(loader)
    return items, _kinds(items), len(loader)


@error(
    ValueError,
    r"batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
)
def loader_batch_size_none_drop_last(torch):
    torch.utils.data.DataLoader(_xy(torch), batch_size=None, drop_last=True)


@error(
    ValueError,
    r"batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
)
def loader_batch_sampler_with_none_batch_size(torch):
    torch.utils.data.DataLoader(_xy(torch), batch_size=None, batch_sampler=[[0]])


@error(
    ValueError,
    r"batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
)
def loader_batch_sampler_with_drop_last(torch):
    torch.utils.data.DataLoader(_xy(torch), batch_sampler=[[0]], drop_last=True)


@program
def loader_custom_batch_sampler_lists(torch):
    """A bucketing batch sampler given as a plain list of index lists (uneven sizes)."""
    D = torch.utils.data
    loader = D.DataLoader(_xy(torch, 6), batch_sampler=[[5, 0], [1, 2, 3], [4]])
    return [y for _, y in loader], len(loader), loader.batch_size, loader.drop_last


@program
def loader_batch_sampler_class(torch):
    D = torch.utils.data

    class ByLength(D.Sampler):
        def __init__(self, lengths, batch_size):
            self.lengths, self.batch_size = lengths, batch_size

        def __iter__(self):
            order = torch.argsort(torch.tensor(self.lengths), stable=True).tolist()
            for i in range(0, len(order), self.batch_size):
                yield order[i : i + self.batch_size]

        def __len__(self):
            return (len(self.lengths) + self.batch_size - 1) // self.batch_size

    seqs = [[1] * k for k in (3, 1, 2, 3, 1)]

    def pad(batch):
        width = max(len(s) for s in batch)
        return torch.tensor([s + [0] * (width - len(s)) for s in batch])

    loader = D.DataLoader(seqs, batch_sampler=ByLength([len(s) for s in seqs], 2), collate_fn=pad)
    return list(loader), len(loader)


@program
def loader_sampler_yielding_lists_unbatched(torch):
    """batch_size=None with a sampler of index lists: the dataset gets the list."""
    D = torch.utils.data
    ds = _xy(torch, 6)

    class Lists(D.Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, idx):
            return ds.tensors[0][idx]

    loader = D.DataLoader(Lists(), batch_size=None, sampler=[[0, 1], [4, 2, 3]])
    return list(loader)


@program
def loader_sampler_with_tensor_indices(torch):
    D = torch.utils.data
    loader = D.DataLoader(_xy(torch, 6), batch_size=2, sampler=torch.tensor([3, 1, 4]))
    return list(loader)


@program
def loader_over_plain_containers(torch):
    D = torch.utils.data
    return (
        list(D.DataLoader(np.arange(5, dtype=np.int16), batch_size=2)),
        list(D.DataLoader(torch.arange(6.0).reshape(3, 2), batch_size=2)),
        list(D.DataLoader([{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0, 4.0]}], batch_size=2)),
        list(D.DataLoader(["x", "y", "z"], batch_size=2)),
    )


@program
def loader_getitems_dataset(torch):
    D = torch.utils.data

    class Batched(D.Dataset):
        calls = []

        def __len__(self):
            return 5

        def __getitem__(self, i):
            raise AssertionError("__getitems__ should be used")

        def __getitems__(self, indices):
            Batched.calls.append(list(indices))
            return [{"x": torch.full((2,), float(i)), "i": i} for i in indices]

    loader = D.DataLoader(
        Batched(), batch_size=2, shuffle=True, generator=torch.Generator().manual_seed(1)
    )
    return list(loader), Batched.calls


@program
def loader_pin_memory_on_cpu(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 4), batch_size=2, pin_memory=True)
    batches = list(loader)
    return batches, [b[0].device for b in batches]


@program
def loader_in_order_false(torch):
    loader = torch.utils.data.DataLoader(_xy(torch, 6), batch_size=2, num_workers=2, in_order=False)
    return sorted(y.tolist() for _, y in loader)


@program
def loader_collate_returning_dict_and_tensor_ops(torch):
    def collate(batch):
        xs, ys = zip(*batch)
        return {"x": torch.stack(xs).mean(0), "y": torch.tensor(ys).float()}

    loader = torch.utils.data.DataLoader(_squares(torch, 5), batch_size=2, collate_fn=collate)
    return list(loader)


# ---- samplers --------------------------------------------------------------------------------
@program
def random_sampler_replacement_over_32(torch):
    g = torch.Generator().manual_seed(3)
    s = torch.utils.data.RandomSampler(range(10), replacement=True, num_samples=70, generator=g)
    return list(s), len(s), list(s)


@program
def random_sampler_num_samples_beyond_len(torch):
    torch.manual_seed(4)
    s = torch.utils.data.RandomSampler(range(4), num_samples=10)
    short = torch.utils.data.RandomSampler(range(6), num_samples=2)
    return list(s), list(short), len(s)


@program
def random_sampler_lazy_draw(torch):
    """The sampler draws its seed on the first next(), not at iter()."""
    torch.manual_seed(0)
    it = iter(torch.utils.data.RandomSampler(range(5)))
    a = torch.rand(1)
    return a, list(it), torch.rand(1)


@program
def random_sampler_data_source_grows(torch):
    data = [1, 2, 3]
    s = torch.utils.data.RandomSampler(data, generator=torch.Generator().manual_seed(0))
    data.extend([4, 5])
    return len(s), sorted(s), s.num_samples, s.replacement


@error(TypeError, r"replacement should be a boolean value, but got replacement=1")
def random_sampler_replacement_int(torch):
    torch.utils.data.RandomSampler(range(3), replacement=1)


@error(ValueError, r"num_samples should be a positive integer value, but got num_samples=2.5")
def random_sampler_float_num_samples(torch):
    torch.utils.data.RandomSampler(range(3), num_samples=2.5)


@program
def subset_random_sampler_generator_and_tensor_indices(torch):
    D = torch.utils.data
    g = torch.Generator().manual_seed(9)
    s = D.SubsetRandomSampler(torch.tensor([10, 20, 30, 40]), generator=g)
    plain = D.SubsetRandomSampler(range(3, 9))
    return list(s), len(s), list(plain), list(plain)


@program
def subset_random_sampler_train_val_split(torch):
    """The classic validation split: shuffled numpy indices into two SubsetRandomSamplers."""
    D = torch.utils.data
    ds = _xy(torch, 10)
    idx = list(range(10))
    np.random.default_rng(0).shuffle(idx)
    train = D.DataLoader(ds, batch_size=3, sampler=D.SubsetRandomSampler(idx[:7]))
    val = D.DataLoader(ds, batch_size=3, sampler=D.SubsetRandomSampler(idx[7:]))
    return [y for _, y in train], [y for _, y in val], len(train), len(val)


@program
def weighted_sampler_without_replacement(torch):
    g = torch.Generator().manual_seed(2)
    s = torch.utils.data.WeightedRandomSampler(
        [0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, replacement=False, generator=g
    )
    return list(s), list(s), s.weights, s.num_samples, s.replacement


@program
def weighted_sampler_class_balance(torch):
    """Inverse class-frequency weights, the imbalanced-data recipe."""
    D = torch.utils.data
    labels = torch.tensor([0, 0, 0, 0, 0, 0, 1, 1, 2, 0])
    counts = torch.bincount(labels)
    weights = 1.0 / counts[labels].float()
    sampler = D.WeightedRandomSampler(weights, num_samples=len(weights), replacement=True)
    loader = D.DataLoader(D.TensorDataset(labels), batch_size=4, sampler=sampler)
    return [b for (b,) in loader], sampler.weights


@program
def weighted_sampler_numpy_weights(torch):
    s = torch.utils.data.WeightedRandomSampler(np.array([1, 2, 3]), 4)
    return list(s), s.weights


@error(RuntimeError, r"invalid multinomial distribution \(sum of probabilities <= 0\)")
def weighted_sampler_zero_weights(torch):
    s = torch.utils.data.WeightedRandomSampler([0.0, 0.0], 2)
    return list(s)


@error(RuntimeError, r"invalid multinomial distribution \(encountering probability entry < 0\)")
def weighted_sampler_negative_weight(torch):
    return list(torch.utils.data.WeightedRandomSampler([1.0, -1.0], 2))


@error(RuntimeError, r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement")
def weighted_sampler_too_many_without_replacement(torch):
    return list(torch.utils.data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False))


@program
def weighted_sampler_lazy_errors(torch):
    """Bad weights only fail when the sampler is iterated."""
    s = torch.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0], 2, replacement=False)
    return len(s), s.weights


@error(ValueError, r"weights should be a 1d sequence but given weights have shape \(2, 2\)")
def weighted_sampler_2d(torch):
    torch.utils.data.WeightedRandomSampler([[1, 2], [3, 4]], 2)


@error(ValueError, r"replacement should be a boolean value, but got replacement=0")
def weighted_sampler_replacement_int(torch):
    torch.utils.data.WeightedRandomSampler([1, 2], 2, replacement=0)


@program
def batch_sampler_over_random_sampler(torch):
    D = torch.utils.data
    g = torch.Generator().manual_seed(8)
    bs = D.BatchSampler(D.RandomSampler(range(10), generator=g), batch_size=4, drop_last=False)
    bs_drop = D.BatchSampler(D.RandomSampler(range(10), generator=g), batch_size=4, drop_last=True)
    return list(bs), len(bs), list(bs_drop), len(bs_drop)


@program
def batch_sampler_over_generator_iterable(torch):
    bs = torch.utils.data.BatchSampler((i * i for i in range(5)), 2, False)
    return list(bs)


@error(ValueError, r"drop_last should be a boolean value, but got drop_last=1")
def batch_sampler_drop_last_int(torch):
    torch.utils.data.BatchSampler(range(4), 2, 1)


@error(TypeError, r"object of type 'generator' has no len\(\)")
def batch_sampler_len_of_generator(torch):
    return len(torch.utils.data.BatchSampler((i for i in range(5)), 2, False))


@program
def custom_sampler_subclass_generic(torch):
    D = torch.utils.data

    class Reverse(D.Sampler[int]):
        def __init__(self, data):
            self.data = data

        def __iter__(self):
            return iter(range(len(self.data) - 1, -1, -1))

        def __len__(self):
            return len(self.data)

    ds = _xy(torch, 5)
    loader = D.DataLoader(ds, batch_size=2, sampler=Reverse(ds))
    return [y for _, y in loader], len(loader)


@error(TypeError, r"Sampler\(\) takes no arguments")
def sampler_base_with_data_source(torch):
    torch.utils.data.Sampler(range(3))


@error(NotImplementedError, r"")
def sampler_base_iter(torch):
    return iter(torch.utils.data.Sampler())


@program
def sequential_sampler_over_dataset(torch):
    s = torch.utils.data.SequentialSampler(_squares(torch, 4))
    return list(s), len(s), list(torch.utils.data.SequentialSampler([]))


# ---- DistributedSampler ----------------------------------------------------------------------
@program
def distributed_sampler_shuffled_epochs(torch):
    D = torch.utils.data
    out = []
    for epoch in range(3):
        for rank in range(2):
            s = D.DistributedSampler(range(9), num_replicas=2, rank=rank, seed=5)
            s.set_epoch(epoch)
            out.append(list(s))
    return out


@program
def distributed_sampler_padding_more_than_dataset(torch):
    D = torch.utils.data
    s = [D.DistributedSampler(range(3), num_replicas=8, rank=r, shuffle=False) for r in range(8)]
    d = [
        D.DistributedSampler(range(3), num_replicas=2, rank=r, shuffle=False, drop_last=True)
        for r in range(2)
    ]
    return (
        [list(x) for x in s],
        [len(x) for x in s],
        s[0].total_size,
        [list(x) for x in d],
        d[0].total_size,
    )


@program
def distributed_sampler_in_loader(torch):
    D = torch.utils.data
    ds = _xy(torch, 10)
    sampler = D.distributed.DistributedSampler(
        ds, num_replicas=3, rank=1, shuffle=True, seed=1, drop_last=True
    )
    loader = D.DataLoader(ds, batch_size=2, sampler=sampler)
    out = []
    for epoch in range(2):
        sampler.set_epoch(epoch)
        out.append([y for _, y in loader])
    return out, len(loader), sampler.num_samples, sampler.epoch


@error(ValueError, r"Invalid rank 3, rank should be in the interval \[0, 2\]")
def distributed_sampler_bad_rank(torch):
    torch.utils.data.DistributedSampler(range(5), num_replicas=3, rank=3)


@error(
    ValueError,
    r"Default process group has not been initialized, please make sure to call init_process_group",
)
def distributed_sampler_without_process_group(torch):
    torch.utils.data.DistributedSampler(range(5))


@program
def distributed_sampler_empty_dataset(torch):
    s = torch.utils.data.DistributedSampler([], num_replicas=2, rank=0)
    return list(s), len(s), s.total_size


@error(
    RuntimeError,
    r"invalid multinomial distribution \(encountering probability entry = infinity or NaN\)",
)
def multinomial_infinite_weight_with_replacement(torch):
    return torch.multinomial(torch.tensor([1.0, float("inf")]), 3, replacement=True)


@error(RuntimeError, r"invalid multinomial distribution \(encountering probability entry < 0\)")
def multinomial_nan_weight_with_replacement(torch):
    return torch.multinomial(torch.tensor([[1.0, 1.0], [float("nan"), 1.0]]), 2, replacement=True)


@error(RuntimeError, r"invalid multinomial distribution \(sum of probabilities <= 0\)")
def multinomial_zero_row_before_negative_row(torch):
    return torch.multinomial(torch.tensor([[0.0, 0.0], [-1.0, 1.0]]), 2, replacement=True)


@error(RuntimeError, r"probability tensor contains either `inf`, `nan` or element < 0")
def multinomial_single_sample_negative(torch):
    return torch.multinomial(torch.tensor([1.0, -1.0]), 1, replacement=True)


# ---- workers ---------------------------------------------------------------------------------
def _worker_probe(torch, n=6):
    class Probe(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            info = torch.utils.data.get_worker_info()
            return {
                "i": i, "id": info.id, "workers": info.num_workers, "seed": info.seed,
                "initial": torch.initial_seed(), "noise": torch.rand(2),
                "same_dataset": type(info.dataset).__name__,
            }  # fmt: skip

    return Probe()


@program
def workers_seeds_and_rand(torch):
    torch.manual_seed(11)
    loader = torch.utils.data.DataLoader(_worker_probe(torch), batch_size=2, num_workers=2)
    return list(loader), torch.rand(1)


@program
def workers_seeds_from_loader_generator(torch):
    g = torch.Generator().manual_seed(123)
    loader = torch.utils.data.DataLoader(
        _worker_probe(torch, 4), batch_size=None, num_workers=3, generator=g
    )
    return list(loader), list(loader)


@program
def workers_persistent_seeds_continue(torch):
    torch.manual_seed(2)
    loader = torch.utils.data.DataLoader(
        _worker_probe(torch, 4), batch_size=2, num_workers=2, persistent_workers=True
    )
    return list(loader), list(loader)


@program
def workers_worker_init_fn_seeds(torch):
    """What worker_init_fn sees, read back through the worker's copy of the dataset (the
    parent's objects are not the worker's)."""

    class Seen(torch.utils.data.Dataset):
        seen = None

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return i, self.seen

    def init(worker_id):
        info = torch.utils.data.get_worker_info()
        info.dataset.seen = [info.seed, torch.initial_seed(), info.id, info.num_workers]

    torch.manual_seed(5)
    loader = torch.utils.data.DataLoader(Seen(), batch_size=2, num_workers=2, worker_init_fn=init)
    return list(loader), Seen.seen


@program
def workers_torch_manual_seed_in_init(torch):
    """worker_init_fn reseeding torch in the worker changes only that worker's stream."""

    def init(worker_id):
        torch.manual_seed(100 + worker_id)

    class Noise(torch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return torch.randn(2)

    loader = torch.utils.data.DataLoader(Noise(), batch_size=2, num_workers=2, worker_init_fn=init)
    return list(loader), torch.rand(1)


@program
def workers_shuffle_matches_serial(torch):
    D = torch.utils.data
    torch.manual_seed(9)
    a = [y for _, y in D.DataLoader(_xy(torch, 9), batch_size=2, shuffle=True, num_workers=2)]
    torch.manual_seed(9)
    b = [y for _, y in D.DataLoader(_xy(torch, 9), batch_size=2, shuffle=True)]
    return a, b


@program
def workers_iterable_duplicates_without_sharding(torch):
    D = torch.utils.data

    class Plain(D.IterableDataset):
        def __iter__(self):
            return iter(range(3))

    return (
        list(D.DataLoader(Plain(), batch_size=None, num_workers=2)),
        list(D.DataLoader(Plain(), batch_size=2, num_workers=2)),
    )


@program
def workers_iterable_sharded_uneven(torch):
    D = torch.utils.data
    ds = _stream(torch, 0, 7)
    return (
        list(D.DataLoader(ds, batch_size=2, num_workers=3)),
        list(D.DataLoader(ds, batch_size=2, num_workers=3, drop_last=True)),
    )


@error(ValueError, r"Caught ValueError in DataLoader worker process 0")
def workers_error_is_wrapped(torch):
    class Bad(torch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            raise ValueError(f"bad sample {i}")

    return _drain(torch.utils.data.DataLoader(Bad(), batch_size=2, num_workers=1))


@error(KeyError, r"Caught KeyError in DataLoader worker process 1")
def workers_key_error_in_second_worker(torch):
    class Dicts(torch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return {"x": i} if i < 2 else {}["missing"]

    return _drain(torch.utils.data.DataLoader(Dicts(), batch_size=2, num_workers=2))


@error(ZeroDivisionError, r"division by zero")
def workers_error_original_message_kept(torch):
    class Bad(torch.utils.data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return 1 / 0

    return _drain(torch.utils.data.DataLoader(Bad(), num_workers=1))


@error(RuntimeError, r"stack expects each tensor to be equal size")
def workers_collate_error(torch):
    ds = [torch.zeros(2), torch.zeros(3)]
    return _drain(torch.utils.data.DataLoader(ds, batch_size=2, num_workers=1))


@program
def worker_info_outside_and_fields(torch):
    class Fields(torch.utils.data.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            info = torch.utils.data.get_worker_info()
            return type(info).__name__, info.id, len(info.dataset), info.dataset is self

    batches = list(torch.utils.data.DataLoader(Fields(), num_workers=1))
    return torch.utils.data.get_worker_info() is None, batches


def _global_random_dataset(torch, n=6):
    import random

    class Augment(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return i, float(np.random.rand()), random.random(), int(np.random.randint(0, 1000))

    return Augment()


@program
def workers_numpy_and_python_random_seeded_per_worker(torch):
    """Each worker's numpy and Python global streams are seeded from the base seed, as in
    PyTorch's worker processes."""
    torch.manual_seed(21)
    loader = torch.utils.data.DataLoader(_global_random_dataset(torch), batch_size=2, num_workers=2)
    return list(loader), list(loader)


@program
def workers_reproducibility_recipe(torch):
    """The seed_worker recipe of PyTorch's reproducibility notes, with a generator."""
    import random

    def seed_worker(worker_id):
        worker_seed = torch.initial_seed() % 2**32
        np.random.seed(worker_seed)
        random.seed(worker_seed)

    g = torch.Generator()
    g.manual_seed(0)
    loader = torch.utils.data.DataLoader(
        _global_random_dataset(torch, 8), batch_size=2, num_workers=2,
        worker_init_fn=seed_worker, generator=g,
    )  # fmt: skip
    return list(loader)


@program
def workers_global_streams_leave_main_alone(torch):
    import random

    np.random.seed(4)
    random.seed(4)
    torch.manual_seed(4)
    list(torch.utils.data.DataLoader(_global_random_dataset(torch), batch_size=3, num_workers=2))
    return float(np.random.rand()), random.random()


@program
def workers_persistent_global_streams_continue(torch):
    torch.manual_seed(8)
    loader = torch.utils.data.DataLoader(
        _global_random_dataset(torch, 4), batch_size=2, num_workers=2, persistent_workers=True
    )
    return list(loader), list(loader)


@program
def workers_iterable_numpy_random(torch):
    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            for k in range(3):
                yield info.id, k, float(np.random.standard_normal())

    torch.manual_seed(1)
    return list(torch.utils.data.DataLoader(Stream(), batch_size=2, num_workers=2))


# ---- more loader plumbing --------------------------------------------------------------------
@program
def generic_subscripts_in_annotations(torch):
    D = torch.utils.data
    T = torch.Tensor

    def train(loader: D.DataLoader[tuple[T, T]], ds: D.Dataset[int]) -> int:
        return loader.batch_size

    class Ints(D.Dataset[int]):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return i

    class Order(D.Sampler[int]):
        def __iter__(self):
            return iter([2, 0, 1])

    subset: D.Subset[int] = D.Subset(Ints(), [1])
    concat = D.ConcatDataset[int]([Ints()])
    loader = D.DataLoader(Ints(), batch_size=2, sampler=Order())
    return train(loader, Ints()), list(loader), len(subset), len(concat)


@program
def iterable_dataset_generic_subscripts(torch):
    D = torch.utils.data

    class Lines(D.IterableDataset[str]):
        def __iter__(self):
            return iter(["a", "b"])

    return list(Lines()), type(D.ChainDataset[int]).__name__, list(D.DataLoader(Lines()))


@program
def isinstance_relations(torch):
    D = torch.utils.data
    import collections.abc as abc

    ds = _xy(torch, 3)
    it = _stream(torch, 0, 2)
    loader = D.DataLoader(ds, shuffle=True)
    return (
        isinstance(ds, D.Dataset), isinstance(it, D.Dataset), isinstance(it, abc.Iterable),
        isinstance(ds, abc.Iterable), isinstance(D.Subset(ds, [0]), D.Dataset),
        isinstance(loader.sampler, D.Sampler), isinstance(loader.batch_sampler, D.Sampler),
        isinstance(loader.sampler, D.RandomSampler), isinstance(ds + ds, D.ConcatDataset),
        isinstance(it + it, D.IterableDataset), issubclass(D.DistributedSampler, D.Sampler),
    )  # fmt: skip


@program
def module_paths(torch):
    D = torch.utils.data
    return (
        D.dataloader.DataLoader is D.DataLoader,
        D.dataloader.default_collate is D.default_collate,
        D.dataset.Subset is D.Subset, D.sampler.BatchSampler is D.BatchSampler,
        D.distributed.DistributedSampler is D.DistributedSampler,
        D._utils.collate.default_convert is D.default_convert,
        D.dataloader.get_worker_info is D.get_worker_info,
    )  # fmt: skip


@program
def zip_two_shuffled_loaders(torch):
    D = torch.utils.data
    torch.manual_seed(12)
    a = D.DataLoader(range(5), batch_size=2, shuffle=True)
    b = D.DataLoader(range(5, 10), batch_size=2, shuffle=True)
    pairs = [(x.tolist(), y.tolist()) for x, y in zip(a, b)]
    return pairs, torch.rand(1)


@program
def iter_without_consuming_draws_seed(torch):
    torch.manual_seed(13)
    loader = torch.utils.data.DataLoader(range(5), batch_size=2, shuffle=True)
    it1 = iter(loader)
    it2 = iter(loader)
    r = torch.rand(1)
    return r, next(it2), next(it1), torch.rand(1)


@program
def subset_with_numpy_indices_and_split_lengths(torch):
    D = torch.utils.data
    ds = _xy(torch, 8)
    sub = D.Subset(ds, np.array([6, 2, 4]))
    g = torch.Generator().manual_seed(3)
    parts = D.random_split(ds, np.array([5, 3]), generator=g)
    parts2 = D.random_split(ds, (0.5, 0.5), generator=g)
    return (
        sub[0], list(D.DataLoader(sub, batch_size=2)), [p.indices for p in parts],
        [p.indices for p in parts2],
    )  # fmt: skip


@program
def tensor_dataset_fancy_keys(torch):
    ds = _xy(torch, 5)
    return ds[torch.tensor([0, 2])], ds[np.int64(4)], ds[torch.tensor(1)], ds[[3, 1]]


@program
def loader_negative_and_tensor_batch_indices(torch):
    D = torch.utils.data
    ds = _xy(torch, 5)
    return (
        list(D.DataLoader(ds, batch_size=2, sampler=[-1, 0, -2])),
        list(D.DataLoader(ds, batch_sampler=[torch.tensor([0, 1]), torch.tensor([4])])),
        list(D.DataLoader(ds, batch_sampler=[np.array([3, 2])])),
    )


@error(IndexError, r"index 10 is out of bounds for dimension 0 with size 10")
def loader_subset_index_out_of_range(torch):
    D = torch.utils.data
    return list(D.DataLoader(D.Subset(_xy(torch, 10), [0, 10]), batch_size=2))


@error(IndexError, r"index 7 is out of bounds for dimension 0 with size 5")
def loader_batch_sampler_index_out_of_range(torch):
    D = torch.utils.data
    return list(D.DataLoader(_xy(torch, 5), batch_sampler=[[0, 7]]))


@error(ValueError, r"batch_size should be a positive integer value, but got batch_size=4")
def loader_numpy_batch_size(torch):
    torch.utils.data.DataLoader(_xy(torch), batch_size=np.int64(4))


@error(ValueError, r"batch_size should be a positive integer value, but got batch_size=2.0")
def loader_float_batch_size(torch):
    torch.utils.data.DataLoader(_xy(torch), batch_size=2.0)


@program
def loader_batch_larger_than_dataset(torch):
    D = torch.utils.data
    return list(D.DataLoader(_xy(torch, 3), batch_size=10)), len(
        D.DataLoader(_xy(torch, 3), batch_size=10, drop_last=True)
    )


@program
def loader_unbatched_scalars_and_strings(torch):
    D = torch.utils.data
    ints = list(D.DataLoader(range(3), batch_size=None))
    floats = list(D.DataLoader([np.float64(0.5), np.float32(1.5)], batch_size=None))
    mixed = list(D.DataLoader([(torch.ones(1), "a"), (torch.zeros(1), "b")], batch_size=2))
    return ints, _kinds(ints), floats, mixed, _kinds(mixed)


@program
def iterable_generator_function_dicts(torch):
    D = torch.utils.data

    class Tokens(D.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            for i in range(self.n):
                yield {"ids": torch.arange(i, i + 3), "len": 3, "text": f"t{i}"}

    loader = D.DataLoader(Tokens(5), batch_size=2)
    loader_none = D.DataLoader(Tokens(2), batch_size=None, shuffle=False)
    return list(loader), list(loader_none), list(loader)


@error(TypeError, r"object of type 'Tokens' has no len\(\)")
def iterable_len_batch_size_none(torch):
    class Tokens(torch.utils.data.IterableDataset):
        def __iter__(self):
            yield 1

    return len(torch.utils.data.DataLoader(Tokens(), batch_size=None))


@program
def iterable_len_batch_size_none_with_len(torch):
    ds = _stream(torch, 0, 5, with_len=True)
    return len(torch.utils.data.DataLoader(ds, batch_size=None)), len(ds)


@error(ValueError, r"DataLoader with IterableDataset: expected unspecified sampler option")
def iterable_with_sampler(torch):
    torch.utils.data.DataLoader(_stream(torch, 0, 3), sampler=[0, 1, 2])


@error(ValueError, r"DataLoader with IterableDataset: expected unspecified batch_sampler option")
def iterable_with_batch_sampler(torch):
    torch.utils.data.DataLoader(_stream(torch, 0, 3), batch_sampler=[[0, 1]])


@program
def iterable_with_shuffle_false(torch):
    return list(torch.utils.data.DataLoader(_stream(torch, 0, 3), shuffle=False, batch_size=2))


@program
def collate_tensors_of_mixed_dtypes(torch):
    c = torch.utils.data.default_collate
    return c([torch.tensor([1, 2]), torch.tensor([1.5, 2.5])]), c(
        [torch.tensor(True), torch.tensor(3)]
    )


@program
def collate_size_and_parameters(torch):
    c = torch.utils.data.default_collate
    p = torch.nn.Parameter(torch.ones(2))
    out = c([p, p * 2])
    out.sum().backward()
    sizes = c([torch.Size([2, 3]), torch.Size([4, 5])])
    return out, p.grad, sizes, _kinds(sizes)


@program
def convert_numpy_scalars_and_str(torch):
    conv = torch.utils.data.default_convert
    return (
        conv(np.float64(2.5)), conv(np.int8(3)), conv(np.bool_(True)), conv(np.str_("s")),
        type(conv(np.str_("s"))).__name__, conv(np.array(["x"])).dtype.kind, conv(b"b"),
    )  # fmt: skip


@error(TypeError, r"expected Tensor as element 1 in argument 0, but got numpy.ndarray")
def collate_tensor_then_numpy(torch):
    torch.utils.data.default_collate([torch.ones(2), np.ones(2)])


@error(TypeError, r"expected Tensor as element 1 in argument 0, but got list")
def stack_with_a_list(torch):
    torch.stack([torch.ones(2), [1.0, 2.0]])


@error(
    TypeError, r"stack\(\): argument 'tensors' \(position 1\) must be tuple of Tensors, not Tensor"
)
def stack_of_a_tensor(torch):
    torch.stack(torch.ones(2, 2))


@error(TypeError, r"expected Tensor as element 0 in argument 0, but got float")
def cat_with_a_float(torch):
    torch.cat([1.0, torch.ones(2)])


@program
def collate_and_convert_deques(torch):
    dq = collections.deque([1, 2])
    out = torch.utils.data.default_collate([dq, collections.deque([3, 4])])
    conv = torch.utils.data.default_convert(collections.deque([np.ones(1), 2]))
    return list(out), type(out).__name__, list(conv), type(conv).__name__


@program
def collate_custom_mutable_sequence(torch):
    class Row(collections.UserList):
        pass

    out = torch.utils.data.default_collate([Row([1.0, 2]), Row([3.0, 4])])
    return list(out), type(out).__name__


@error(ValueError, r"Overflow when unpacking long long")
def collate_int_beyond_64_bits(torch):
    torch.utils.data.default_collate([2**64, 1])


@error(ValueError, r"Overflow when unpacking long long")
def tensor_of_int_below_int64(torch):
    torch.tensor([[1, -(2**63) - 1]])


@program
def weighted_sampler_zero_weight_drawn_last(torch):
    s = torch.utils.data.WeightedRandomSampler([1.0, 0.0, 2.0, 0.0], 4, replacement=False)
    return list(s)


@program
def multinomial_zero_weights_tie_order(torch):
    torch.manual_seed(3)
    sparse = torch.zeros(2, 200)
    sparse[0, 7], sparse[1, 150], sparse[1, 3] = 1.0, 2.0, 0.5
    return (
        torch.multinomial(torch.tensor([[0.0, 1, 0, 0, 0, 3], [1, 1, 0, 0, 2, 0]]), 5),
        torch.multinomial(sparse, 3),
        torch.multinomial(
            torch.tensor([0.0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]), 19
        ),
    )


# ---- whole programs --------------------------------------------------------------------------
@program
def docs_iterable_worker_init_fn_split(torch):
    """The IterableDataset example of PyTorch's docs: worker_init_fn splits the range."""
    import math

    class MyIterableDataset(torch.utils.data.IterableDataset):
        def __init__(self, start, end):
            super(MyIterableDataset).__init__()
            self.start, self.end = start, end

        def __iter__(self):
            return iter(range(self.start, self.end))

    ds = MyIterableDataset(start=3, end=7)

    def worker_init_fn(worker_id):
        worker_info = torch.utils.data.get_worker_info()
        dataset = worker_info.dataset
        overall_start, overall_end = dataset.start, dataset.end
        per_worker = int(math.ceil((overall_end - overall_start) / float(worker_info.num_workers)))
        dataset.start = overall_start + worker_info.id * per_worker
        dataset.end = min(dataset.start + per_worker, overall_end)

    D = torch.utils.data
    return (
        list(D.DataLoader(ds, num_workers=0, worker_init_fn=worker_init_fn)),
        list(D.DataLoader(ds, num_workers=2, worker_init_fn=worker_init_fn)),
        list(D.DataLoader(ds, num_workers=3, worker_init_fn=worker_init_fn, batch_size=2)),
        ds.start, ds.end,
    )  # fmt: skip


@program
def train_linear_regression_shuffled(torch):
    torch.manual_seed(0)
    x = torch.randn(20, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(20, 1)
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, y), batch_size=6, shuffle=True
    )
    losses = []
    for _ in range(3):
        for xb, yb in loader:
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return losses, model.weight, model.bias


@program
def train_classifier_split_workers_and_eval(torch):
    D = torch.utils.data
    torch.manual_seed(1)
    x = torch.randn(24, 4)
    labels = (x.sum(1) > 0).long()
    full = D.TensorDataset(x, labels)
    train, val = D.random_split(full, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(8, 2)
    )
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    train_loader = D.DataLoader(train, batch_size=5, shuffle=True, num_workers=2, drop_last=True)
    val_loader = D.DataLoader(val, batch_size=4)
    history = []
    for _ in range(2):
        model.train()
        for xb, yb in train_loader:
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
        history.append((loss.item(), correct))
    return history, [p for p in model.parameters()]


@program
def padded_text_batches(torch):
    """Variable-length sequences padded by a collate_fn with pad_sequence."""
    from_seqs = [[5, 3, 9], [2], [7, 7], [1, 2, 3, 4]]

    class Seqs(torch.utils.data.Dataset):
        def __len__(self):
            return len(from_seqs)

        def __getitem__(self, i):
            return torch.tensor(from_seqs[i]), len(from_seqs[i])

    def collate(batch):
        seqs, lengths = zip(*batch)
        padded = torch.nn.utils.rnn.pad_sequence(list(seqs), batch_first=True, padding_value=0)
        return padded, torch.tensor(lengths)

    g = torch.Generator().manual_seed(4)
    loader = torch.utils.data.DataLoader(
        Seqs(), batch_size=3, shuffle=True, collate_fn=collate, generator=g
    )
    return list(loader), list(loader)


@program
def persistent_workers_early_break(torch):
    torch.manual_seed(6)
    loader = torch.utils.data.DataLoader(
        _xy(torch, 8), batch_size=2, shuffle=True, num_workers=2, persistent_workers=True
    )
    first = []
    for _, y in loader:
        first.append(y)
        break
    return first, [y for _, y in loader], [y for _, y in loader]


@program
def concat_of_subset_and_tensor_dataset_shuffled(torch):
    D = torch.utils.data
    torch.manual_seed(3)
    cat = D.ConcatDataset([D.Subset(_xy(torch, 6), [5, 4]), _xy(torch, 3)])
    return [b for b in D.DataLoader(cat, batch_size=2, shuffle=True)], len(cat)


@program
def random_sampler_replacement_in_loader(torch):
    D = torch.utils.data
    torch.manual_seed(2)
    ds = _xy(torch, 5)
    loader = D.DataLoader(
        ds, batch_size=2, sampler=D.RandomSampler(ds, replacement=True, num_samples=7)
    )
    return [y for _, y in loader], len(loader)


@program
def collate_fn_default_convert_batched(torch):
    D = torch.utils.data
    ds = [(np.ones(2) * i, i) for i in range(3)]
    out = list(D.DataLoader(ds, batch_size=2, collate_fn=D.default_convert))
    return out, _kinds(out)


@error(TypeError, r"randperm\(\) received an invalid combination of arguments - got \(float")
def random_split_float_lengths(torch):
    torch.utils.data.random_split(range(5), [2.0, 3.0])


@error(TypeError, r"randperm\(\) received an invalid combination of arguments - got \(float")
def random_split_half_lengths(torch):
    torch.utils.data.random_split(range(5), [2.5, 2.5])


@error(ValueError, r"Sum of input lengths does not equal the length of the input dataset")
def random_split_float_lengths_wrong_sum(torch):
    torch.utils.data.random_split(range(5), [2.5, 3.5])


@program
def subset_indices_mutated_in_place(torch):
    """Active-learning style: the labelled Subset grows (and is reordered) in place between
    epochs."""
    D = torch.utils.data
    labelled = D.Subset(_xy(torch, 8), [0, 1])
    loader = D.DataLoader(labelled, batch_size=4)
    first = [y for _, y in loader]
    labelled.indices.extend([6, 3])
    second = [y for _, y in loader]
    labelled.indices[0] = 7
    labelled.indices.sort()
    return first, second, [y for _, y in loader], len(loader)
