"""Sweep 25 (printing, serialization, DataLoader): one program per divergence the fuzzer of
tests/test_fuzz_printing_io.py found, so each behaviour stays pinned whatever its seeds."""

from __future__ import annotations

import io

import numpy as np
from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error
test_program_matches_pytorch = SWEEP.test()


def _round_trip(torch, obj, **kwargs):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **kwargs)


# ---- format() of a 0-d tensor: a number only for a plain Tensor ------------------------------
@program
def format_of_0d_parameter_is_its_str(torch):
    # PyTorch formats a 0-d Parameter (or subclass) as an object: f"{p}" is str(p), not 2.5
    p = torch.nn.Parameter(torch.tensor(2.5))
    sub = torch.tensor(1.5).as_subclass(type("Sub", (torch.Tensor,), {}))
    b = torch.nn.Buffer(torch.tensor(0.25))
    return f"{p}", format(sub, ""), f"{b:.3f}", f"{torch.tensor(3.0, requires_grad=True):.1f}"


@error(TypeError, r"^unsupported format string passed to Parameter.__format__")
def format_spec_of_0d_parameter(torch):
    return f"{torch.nn.Parameter(torch.tensor(2.5)):.3f}"


# ---- save/load: a container held twice loads as one object (pickle's memo) -----------------
@program
def list_held_twice_loads_as_one_list(torch):
    shared = [torch.ones(2), 3]
    got = _round_trip(torch, {"a": shared, "b": shared, "c": [shared]})
    got["a"].append("new")  # shows through every name, as in PyTorch
    return got["a"] is got["b"], got["c"][0] is got["a"], got["b"], got["c"]


@program
def dicts_and_tuples_held_twice_load_as_one_object(torch):
    d, od, t = {"x": torch.zeros(1)}, torch.nn.Linear(1, 1).state_dict(), (1, torch.ones(1))
    got = _round_trip(torch, [d, od, t, (d, od, t)], weights_only=True)
    got[0]["y"] = 5
    return [got[3][i] is got[i] for i in range(3)], got[3][0], type(got[1]).__name__


@program
def empty_containers_held_twice_load_as_one_object(torch):
    a, b = [], {}
    got = _round_trip(torch, (a, b, [a, b]), weights_only=False)
    return got[2][0] is got[0], got[2][1] is got[1], got[0] is got[1]


@program
def saved_buffer_loads_marked_as_a_buffer(torch):
    # PyTorch's Buffer is a plain tensor marked by attributes that pickle keeps: after load a
    # Module assigned it registers it as a buffer, persistent or not
    kept = torch.nn.Buffer(torch.ones(2), persistent=False)
    graded = torch.nn.Buffer(torch.ones(1, requires_grad=True) * 2)
    got = _round_trip(torch, {"kept": kept, "again": kept, "graded": graded})
    m = torch.nn.Module()
    m.kept, m.graded = got["kept"], got["graded"]
    marks = [(vars(got[k]), type(got[k]).__name__) for k in got], got["again"] is got["kept"]
    return marks, list(dict(m.named_buffers())), list(m.state_dict()), m.graded.requires_grad


@program
def buffer_of_tensor_requiring_grad_requires_grad(torch):
    b = torch.nn.Buffer(torch.tensor([1.0, 2.0], requires_grad=True) * 3)
    return b.requires_grad, b.is_leaf, b.grad_fn is None


@program
def slices_ranges_and_ellipsis_save(torch):
    config = {"crop": slice(2, None, 3), "steps": range(1, 9, 2), "index": (..., 0)}
    allowed = torch.serialization.safe_globals([slice, range])
    got = _round_trip(torch, config, weights_only=False)
    buf = io.BytesIO()
    torch.save({"crop": slice(2, None, 3), "steps": range(1, 9, 2)}, buf)
    buf.seek(0)
    with allowed:
        checked = torch.load(buf)
    return repr(got), repr(checked)


@error(Exception, r"Unsupported global: GLOBAL slice was not an allowed global by default")
def slice_refused_by_weights_only(torch):
    return _round_trip(torch, [slice(1, 2)])


@program
def containers_holding_themselves_save(torch):
    items = [torch.ones(1)]
    items.append(items)
    config = {"items": items}
    config["self"] = config
    got = _round_trip(torch, config)
    return got["self"] is got, got["items"][1] is got["items"], repr(got)


@program
def buffer_survives_copy_deepcopy_and_pickle(torch):
    import copy
    import pickle

    b = torch.nn.Buffer(torch.ones(2), persistent=False)
    out = []
    for make in (copy.copy, copy.deepcopy, lambda x: pickle.loads(pickle.dumps(x))):
        c = make(b)
        m = torch.nn.Module()
        m.c = c  # registers as a non-persistent buffer
        out.append((c.persistent, list(dict(m.named_buffers())), list(m.state_dict())))
    return out, vars(pickle.loads(pickle.dumps(b)))


@program
def deepcopy_keeps_a_tensors_attributes(torch):
    import copy

    x = torch.arange(3.0)
    x.tag, x.extra = [1, 2], {"k": "v"}
    y = copy.deepcopy(x)
    p = torch.nn.Parameter(torch.ones(1))
    p.tag = "kept?"  # Parameter.__deepcopy__ rebuilds it from its data: no attributes
    return y.tag, y.tag is x.tag, y.extra, hasattr(copy.deepcopy(p), "tag")


# ---- save/load: numpy's functions are globals, saved by name ---------------------------------
@program
def numpy_function_saves_by_name(torch):
    got = _round_trip(torch, {"reduce": np.linalg.norm, "sum": np.sum}, weights_only=False)
    return got["reduce"] is np.linalg.norm, got["sum"] is np.sum


@error(Exception, r"Unsupported global: GLOBAL numpy\.linalg\.norm was not an allowed global")
def numpy_function_refused_by_weights_only(torch):
    return _round_trip(torch, [np.linalg.norm])


# ---- DataLoader -------------------------------------------------------------------------------
@error(RuntimeError, r"^random_ expects 'from' to be less than 'to', but got from=0 >= to=0")
def random_sampler_with_replacement_of_empty_dataset(torch):
    ds = torch.utils.data.TensorDataset(torch.zeros(0, 2))
    return list(torch.utils.data.RandomSampler(ds, replacement=True, num_samples=3))


@error(IndexError, r"^index 1 is out of bounds for dimension 0 with size 0$")
def tensor_dataset_batch_out_of_range_names_the_sample(torch):
    # PyTorch indexes each sample (t[i]): the message names the index and the dimension
    ds = torch.utils.data.TensorDataset(torch.zeros(0, 2), torch.zeros(0))
    return list(torch.utils.data.DataLoader(ds, batch_size=2, sampler=[1, 0]))


@error(
    TypeError,
    r"^random_\(\) received an invalid combination of arguments - got \(generator=int, \)",
)
def loader_generator_not_a_generator(torch):
    return list(torch.utils.data.DataLoader(range(3), generator=1))
