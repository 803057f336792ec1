"""Run under `mpiexec -n 2` (or as 2 gloo ranks): DistributedDataParallel against one
process training on the whole global batch (every rank computes that reference itself), with
one bucket and with many, with no_sync accumulation, and with unused parameters."""

import copy
import os

import numpy as np

import minitorch
import minitorch.distributed as dist
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.data import DataLoader, DistributedSampler, TensorDataset
from minitorch.nn.parallel import DistributedDataParallel as DDP
from minitorch.nn.parallel import reducer as reducer_module
from minitorch.training import Trainer

BACKEND = os.environ.get("MINITORCH_TEST_BACKEND", "mpi")  # gloo: see launch_gloo

dist.init_process_group(BACKEND, timeout=60.0)
rank, world = dist.get_rank(), dist.get_world_size()
PER_RANK = 8
gen = minitorch.Generator().manual_seed(1234)  # the same global batches on every rank
X = minitorch.randn(5, world * PER_RANK, 12, generator=gen)
Y = minitorch.randint(0, 5, (5, world * PER_RANK), generator=gen)


def mine(t: minitorch.Tensor) -> minitorch.Tensor:
    return t[rank * PER_RANK : (rank + 1) * PER_RANK]


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Linear(12, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5)
    )


def assert_same(a: nn.Module, b: nn.Module, what: str) -> None:
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        np.testing.assert_allclose(
            p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=2e-6, err_msg=f"{what}: {name}"
        )


def check_against_single_process(bucket_cap_mb: float, accumulate: bool) -> None:
    minitorch.manual_seed(100 + rank)  # different on every rank: DDP must broadcast rank 0's
    model = make_model()
    ddp = DDP(model, bucket_cap_mb=bucket_cap_mb)
    reference = copy.deepcopy(model)
    buckets = len(ddp.reducer.buckets)
    assert buckets == (1 if bucket_cap_mb == 25 else 6), buckets
    opt = minitorch.optim.Adam(ddp.parameters(), lr=1e-2)
    ref_opt = minitorch.optim.Adam(reference.parameters(), lr=1e-2)
    for step in range(5):
        x, y = mine(X[step]), mine(Y[step])
        opt.zero_grad()
        if accumulate:  # two micro-batches, the first without synchronising
            with ddp.no_sync():
                (F.cross_entropy(ddp(x[:4]), y[:4]) / 2).backward()
            (F.cross_entropy(ddp(x[4:]), y[4:]) / 2).backward()
        else:
            F.cross_entropy(ddp(x), y).backward()
        ref_opt.zero_grad()
        F.cross_entropy(reference(X[step]), Y[step]).backward()
        if step == 0:
            for p, q in zip(model.parameters(), reference.parameters()):
                np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=2e-5, atol=1e-7)
        opt.step()
        ref_opt.step()
    assert_same(model, reference, f"bucket_cap_mb={bucket_cap_mb} accumulate={accumulate}")


check_against_single_process(25, accumulate=False)

# a bucket is all-reduced as soon as it is full, during backward: with a bucket per parameter,
# the k-th launch happens when k gradients (the last layers' first) have been accumulated
ddp = DDP(make_model(), bucket_cap_mb=1e-5)
launched_at = []
real_all_reduce = reducer_module.all_reduce


def recording_all_reduce(tensor, op, async_op):
    launched_at.append(sum(ddp.reducer._ready))
    return real_all_reduce(tensor, op, async_op=async_op)


reducer_module.all_reduce = recording_all_reduce
ddp(mine(X[0])).sum().backward()
reducer_module.all_reduce = real_all_reduce
assert launched_at == [1, 2, 3, 4, 5, 6], launched_at
check_against_single_process(1e-5, accumulate=False)  # a bucket per parameter
check_against_single_process(1e-5, accumulate=True)


class TwoHeads(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.trunk = nn.Linear(12, 8)
        self.a = nn.Linear(8, 5)
        self.b = nn.Linear(8, 5)
        self.never = nn.Linear(8, 5)

    def forward(self, x, use_b: bool):
        h = self.trunk(x).relu()
        return self.a(h) + self.b(h) if use_b else self.a(h)


# find_unused_parameters: rank 0 uses head b, the others do not; nobody uses `never`
minitorch.manual_seed(5)
model = TwoHeads()
ddp = DDP(model, find_unused_parameters=True, bucket_cap_mb=1e-5)
reference = copy.deepcopy(model)
ddp(mine(X[0]), use_b=rank == 0).sum().backward()
per_rank = []
for r in range(world):
    reference.zero_grad()
    reference(X[0][r * PER_RANK : (r + 1) * PER_RANK], use_b=r == 0).sum().backward()
    per_rank.append(
        {
            n: None if p.grad is None else p.grad.numpy().copy()
            for n, p in reference.named_parameters()
        }
    )
for name, p in model.named_parameters():
    grads = [g[name] for g in per_rank]
    if all(g is None for g in grads):
        assert p.grad is None, f"{name} was used by no rank: its grad must stay None"
        continue
    want = sum(np.zeros_like(p.detach().numpy()) if g is None else g for g in grads) / world
    np.testing.assert_allclose(p.grad.numpy(), want, rtol=2e-5, atol=1e-6, err_msg=name)

# without find_unused_parameters, a parameter without a gradient is reported at the next forward
minitorch.manual_seed(6)
ddp = DDP(TwoHeads())
ddp(mine(X[0]), use_b=False).sum().backward()
try:
    ddp(mine(X[0]), use_b=False)
except RuntimeError as e:
    assert "Expected to have finished reduction in the prior iteration" in str(e), e
else:
    raise AssertionError("an unused parameter went unnoticed")

# a second backward through the same forward would leave the ranks' gradients different
ddp = DDP(make_model())
loss = ddp(mine(X[0])).sum()
loss.backward(retain_graph=True)
try:
    loss.backward()
except RuntimeError as e:
    assert "already averaged across ranks" in str(e), e
else:
    raise AssertionError("a second backward was silently not synchronised")

for make, error, match in [
    (lambda: DDP(make_model(), device_ids=[0]), ValueError, "do not match the module's device cpu"),
    (lambda: DDP(nn.ReLU()), RuntimeError, "doesn't have any parameter that requires a gradient"),
]:
    try:
        make()
    except error as e:
        assert match in str(e), e
    else:
        raise AssertionError(f"expected {error.__name__} matching {match!r}")

# buffers follow rank 0 at construction and in every training forward
bn = nn.BatchNorm1d(12)
with minitorch.no_grad():
    bn.running_mean.fill_(float(rank))
ddp = DDP(bn)
assert bn.running_mean.tolist() == [0.0] * 12
with minitorch.no_grad():
    bn.running_mean.fill_(float(rank + 3))
ddp(mine(X[0]))
expected_mean = 0.9 * 3.0 + 0.1 * mine(X[0]).mean(0)  # rank 0's buffer, then this rank's batch
np.testing.assert_allclose(bn.running_mean.numpy(), expected_mean.numpy(), rtol=1e-5, atol=1e-6)

# the Trainer: validation metrics over the ranks' shares equal one process's over the whole
# set, samplers get set_epoch, and the epoch's train loss is the same (global) on every rank
data = TensorDataset(X[0], Y[0])
minitorch.manual_seed(8)
model = make_model()
trainer = Trainer(
    DDP(model), minitorch.optim.SGD(model.parameters(), lr=0.1), F.cross_entropy, progress=False
)
assert trainer.is_main == (rank == 0)
alone = Trainer(copy.deepcopy(model), None, F.cross_entropy, progress=False)
shared = trainer.evaluate(
    DataLoader(data, batch_size=4, sampler=DistributedSampler(data, shuffle=False))
)
whole = alone.evaluate(DataLoader(data, batch_size=4))
assert shared.keys() == whole.keys() == {"loss", "acc"}, shared
for k in whole:
    np.testing.assert_allclose(shared[k], whole[k], rtol=1e-6, err_msg=k)
sampler = DistributedSampler(data, seed=3)
history = trainer.fit(DataLoader(data, batch_size=4, sampler=sampler), epochs=2)
assert sampler.epoch == 1
losses = minitorch.tensor([r["train_loss"] for r in history], dtype=minitorch.float64)
everyone = [minitorch.zeros_like(losses) for _ in range(world)]
dist.all_gather(everyone, losses)
assert all(e.tolist() == losses.tolist() for e in everyone), everyone

dist.destroy_process_group()
print(f"rank {rank}: ddp ok", flush=True)
