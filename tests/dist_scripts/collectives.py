"""Run under `mpiexec -n 2` (or as 2 gloo ranks: launch_gloo in test_distributed.py): every
collective's result on every dtype and op, against the values each rank can compute by itself
(each rank knows every rank's input)."""

import os

import numpy as np

import minitorch
import minitorch.distributed as dist
from minitorch.data import DistributedSampler

BACKEND = os.environ.get("MINITORCH_TEST_BACKEND", "mpi")  # gloo: see launch_gloo

ReduceOp = dist.ReduceOp
dist.init_process_group(BACKEND)
rank, world = dist.get_rank(), dist.get_world_size()
assert dist.is_initialized() and dist.get_backend() == BACKEND and world >= 2


def inputs(dtype: np.dtype, r: int) -> np.ndarray:
    if dtype == np.bool_:
        return np.array([r == 0, True, False, r % 2 == 1])
    return (np.arange(4) - 1 + 2 * r).astype(dtype)


EXPECTED = {
    ReduceOp.SUM: lambda xs: np.sum(xs, axis=0),
    ReduceOp.PRODUCT: lambda xs: np.prod(xs, axis=0),
    ReduceOp.MIN: lambda xs: np.min(xs, axis=0),
    ReduceOp.MAX: lambda xs: np.max(xs, axis=0),
    ReduceOp.AVG: lambda xs: np.mean(xs, axis=0),
}
for dtype in map(
    np.dtype, ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
):
    everyone = np.stack([inputs(dtype, r) for r in range(world)])
    for op, expect in EXPECTED.items():
        if op is ReduceOp.AVG and dtype.kind != "f":
            continue
        t = minitorch.from_numpy(inputs(dtype, rank).copy())
        before = t._version
        dist.all_reduce(t, op=op)
        want = expect(everyone)
        if dtype == np.bool_:  # SUM/MAX are "any", PRODUCT/MIN "all"
            want = everyone.any(0) if op in (ReduceOp.SUM, ReduceOp.MAX) else everyone.all(0)
        assert t.dtype.np == dtype, (op, dtype, t.dtype)
        np.testing.assert_array_equal(t.numpy(), want.astype(dtype), err_msg=f"{op} {dtype}")
        assert t._version == before + 1, "a collective is an in-place write"

# a 0-d tensor, a 2-d tensor and async_op
s = minitorch.tensor(float(rank + 1))
work = dist.all_reduce(s, async_op=True)
assert work.wait() and work.is_completed()
assert s.item() == sum(range(1, world + 1))

m = minitorch.full((3, 5), float(rank))
dist.broadcast(m, src=world - 1)
np.testing.assert_array_equal(m.numpy(), np.full((3, 5), world - 1, np.float32))

gathered = [minitorch.zeros(2, dtype=minitorch.int64) for _ in range(world)]
dist.all_gather(gathered, minitorch.tensor([rank, 10 * rank]))
assert [g.tolist() for g in gathered] == [[r, 10 * r] for r in range(world)]

out = minitorch.empty(world * 3)
dist.all_gather_into_tensor(out, minitorch.arange(3.0) + 100 * rank)
np.testing.assert_array_equal(
    out.numpy(), np.concatenate([np.arange(3.0) + 100 * r for r in range(world)])
)
dist.barrier()

# errors: raised before anything is sent, so every rank stays in step
for call, error, match in [
    (lambda: dist.all_reduce(minitorch.ones(4, 4).t()), ValueError, "must be contiguous"),
    (
        lambda: dist.all_reduce(minitorch.ones(2, dtype=minitorch.int64), op=ReduceOp.AVG),
        TypeError,
        "AVG needs a floating",
    ),
    (lambda: dist.all_reduce(minitorch.ones(2), op="sum"), TypeError, "must be a ReduceOp"),
    (lambda: dist.broadcast(minitorch.ones(2), src=world), ValueError, "is not a rank"),
    (lambda: dist.all_gather([minitorch.ones(2)], minitorch.ones(2)), ValueError, "one per rank"),
    (lambda: dist.all_gather([minitorch.ones(3)] * world, minitorch.ones(2)), ValueError, "shape"),
    (lambda: dist.init_process_group(BACKEND), ValueError, "twice"),
]:
    try:
        call()
    except error as e:
        assert match in str(e), (match, str(e))
    else:
        raise AssertionError(f"expected {error.__name__} matching {match!r}")

# DistributedSampler takes rank and world size from the group; the ranks' shares of each
# epoch are disjoint and together the whole dataset (10 items, 2 ranks: no padding)
for epoch in range(3):
    sampler = DistributedSampler(range(10), seed=7)
    sampler.set_epoch(epoch)
    mine = minitorch.tensor(list(sampler))
    shares = [minitorch.zeros(len(sampler), dtype=minitorch.int64) for _ in range(world)]
    dist.all_gather(shares, mine)
    together = sorted(i for s in shares for i in s.tolist())
    assert together == list(range(10)), together

dist.destroy_process_group()
assert not dist.is_initialized()
if BACKEND == "mpi":  # MPI's size is the launcher's; gloo's is what the ranks say
    try:
        dist.init_process_group("mpi", world_size=world + 3)
    except ValueError as e:
        assert (
            f"world_size={world + 3}, but the launcher started this process with world_size "
            f"{world}" in str(e)
        ), e
    else:
        raise AssertionError("a world size the launcher did not start was accepted")
    assert not dist.is_initialized()
print(f"rank {rank}: collectives ok", flush=True)
