"""minitorch.distributed, DistributedDataParallel, DistributedSampler and the post-accumulate
grad hook DDP is built on.

The collectives, DDP and failure handling run for real under a 2-process MPI launch of the
scripts in tests/dist_scripts/ (skipped, with the reason, when mpi4py or mpiexec is missing);
the rest runs in this process. The NCCL backend is tested on a GPU only (world size 1)."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import minitorch
import minitorch.distributed as dist
from minitorch import nn
from minitorch.data import DistributedSampler
from minitorch.distributed import _env, rendezvous
from minitorch.distributed._env import env_local_rank, env_rank, env_world_size
from minitorch.distributed._host import host_view
from minitorch.distributed.watchdog import Watchdog
from minitorch.nn.parallel import DistributedDataParallel

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent / "dist_scripts"
MPIEXEC = shutil.which("mpiexec") or shutil.which("mpirun")


def _mpi_missing() -> str | None:
    if importlib.util.find_spec("mpi4py") is None:
        return "mpi4py is not installed (pip install mpi4py mpich)"
    if MPIEXEC is None:
        return "no MPI runtime: mpiexec/mpirun not on PATH (pip install mpich)"
    return None


needs_mpi = pytest.mark.skipif(_mpi_missing() is not None, reason=str(_mpi_missing()))


def launch(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    """``mpiexec -n 2 python <args>``: (result, seconds it took)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.update(  # one BLAS thread per rank on a small machine; Open MPI: allow root, 2 slots
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        OMPI_ALLOW_RUN_AS_ROOT="1",
        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
        OMPI_MCA_rmaps_base_oversubscribe="1",
    )
    start = time.monotonic()
    result = subprocess.run(
        [MPIEXEC, "-n", "2", sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    return result, time.monotonic() - start


def launch_gloo(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    """``python <args>`` as 2 gloo ranks (RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT, as
    torchrun starts them); like torchrun, the first rank to fail ends the other."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    env.update(OPENBLAS_NUM_THREADS="1", MINITORCH_TEST_BACKEND="gloo", WORLD_SIZE="2",
               MASTER_ADDR="127.0.0.1", MASTER_PORT=str(_free_port()))  # fmt: skip
    start = time.monotonic()
    ranks = [
        subprocess.Popen(
            [sys.executable, *args],
            env=dict(env, RANK=str(r)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for r in range(2)
    ]
    while any(p.poll() is None for p in ranks) and time.monotonic() - start < timeout:
        if any(p.poll() not in (None, 0) for p in ranks):
            for p in ranks:
                if p.poll() is None:
                    p.terminate()
        time.sleep(0.05)
    outputs = []
    for p in ranks:
        if p.poll() is None:
            p.kill()
        outputs.append(p.communicate())
    codes = [p.returncode for p in ranks]
    result = subprocess.CompletedProcess(
        args, next((c for c in codes if c != 0), 0),
        "".join(out for out, _ in outputs), "".join(err for _, err in outputs),
    )  # fmt: skip
    return result, time.monotonic() - start


LAUNCHERS = [pytest.param(launch, marks=needs_mpi, id="mpi"), pytest.param(launch_gloo, id="gloo")]


def _log(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


# ---- under mpiexec -n 2 ------------------------------------------------------------------------
@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_collectives_on_two_ranks(launcher):
    result, _ = launcher(str(SCRIPTS / "collectives.py"))
    assert result.returncode == 0, _log(result)
    assert "rank 0: collectives ok" in result.stdout and "rank 1: collectives ok" in result.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_ddp_on_two_ranks_matches_one_process_on_the_global_batch(launcher):
    result, _ = launcher(str(SCRIPTS / "ddp.py"))
    assert result.returncode == 0, _log(result)
    assert "rank 0: ddp ok" in result.stdout and "rank 1: ddp ok" in result.stdout


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_train_py_on_two_ranks(tmp_path, launcher):
    out = tmp_path / "run"
    result, _ = launcher(
        "train.py", "--epochs", "2", "--max-steps", "3", "--no-progress", "--out", str(out)
    )
    assert result.returncode == 0, _log(result)
    assert result.stdout.count("run directory:") == 1, "only rank 0 reports"
    rows = (out / "metrics.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[0].startswith("epoch,train_loss,val_loss"), rows
    assert {p.name for p in out.iterdir()} == {
        "metrics.csv",
        "last.ckpt",
        "best.ckpt",
        "loss_curve.png",
    }
    state = minitorch.load(out / "last.ckpt")
    assert all(not k.startswith("module.") for k in state["model"]), "checkpoints load without DDP"


@pytest.mark.parametrize("launcher", LAUNCHERS)
@pytest.mark.parametrize(
    "mode, messages",
    [
        (
            "raise",  # the failing rank's traceback reaches the terminal, then the job ends
            [
                "ValueError: rank 1 fails on purpose",
                "rank 1 of 2 raised ValueError; aborting the job",
            ],
        ),
        ("hang", ["rank 0 of 2: all_reduce did not complete within the 2 s timeout"]),
    ],
)
def test_a_failing_rank_ends_the_whole_job(mode, messages, launcher):
    result, seconds = launcher(str(SCRIPTS / "fail.py"), mode, timeout=60)
    assert result.returncode != 0, _log(result)
    for message in messages:
        assert message in result.stderr, _log(result)
    assert "rank 0 finished the collective" not in result.stdout
    assert seconds < 30, f"the job took {seconds:.1f} s to end"


# ---- process group, in this process ------------------------------------------------------------
def test_no_process_group_yet():
    assert not dist.is_initialized() and dist.is_available()
    for call in (dist.get_rank, dist.get_world_size, lambda: dist.all_reduce(minitorch.ones(2))):
        with pytest.raises(ValueError, match="Default process group has not been initialized"):
            call()
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(range(4))
    with pytest.raises(ValueError, match="DistributedDataParallel: Default process group"):
        DistributedDataParallel(nn.Linear(2, 2))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"backend": "ucc"}, "unknown backend 'ucc'"),
        ({"backend": "gloo", "init_method": "file:///tmp/x"}, "init_method="),
        ({"backend": "mpi", "init_method": "tcp://10.0.0.1:23456"}, "init_method="),
        ({"backend": "mpi", "timeout": -1}, "timeout must be a positive"),
    ],
)
def test_init_process_group_rejects(kwargs, match):
    with pytest.raises(ValueError, match=match):
        dist.init_process_group(**kwargs)
    assert not dist.is_initialized()


class _OnGPU:
    """What the backend sees of a cupy array: not an ndarray, with a device id."""

    device = type("CupyDevice", (), {"id": 0})()


def test_gloo_in_one_process(monkeypatch):
    """A world of one: every collective leaves the tensor as it is (AVG divides by 1)."""
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    with pytest.raises(ValueError, match="environment variable MASTER_ADDR expected, but not set"):
        dist.init_process_group("gloo", rank=0, world_size=1)
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(_free_port()))
    dist.init_process_group(rank=0, world_size=1)  # gloo: PyTorch's default for CPU tensors
    try:
        assert (dist.get_backend(), dist.get_rank(), dist.get_world_size()) == ("gloo", 0, 1)
        t = minitorch.tensor([1.0, -2.0])
        dist.all_reduce(t, op=dist.ReduceOp.AVG)
        dist.broadcast(t, src=0)
        out = [minitorch.zeros(2)]
        dist.all_gather(out, t)
        dist.barrier()
        assert t.tolist() == [1.0, -2.0] and out[0].tolist() == [1.0, -2.0]
        with pytest.raises(RuntimeError, match="the gloo backend works on CPU tensors"):
            host_view("all_reduce", _OnGPU(), "gloo")
    finally:
        dist.destroy_process_group()


def _spawned_gloo_rank(i: int, port: int, queue) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=i, world_size=2)
    t = minitorch.ones(3) * (i + 1)
    dist.all_reduce(t)
    queue.put((i, t.tolist(), dist.get_backend()))
    dist.destroy_process_group()


def _spawned_failure(i: int, mode: str) -> None:
    if i == 1:
        if mode == "raise":
            raise ValueError("rank 1 fails on purpose")
        sys.exit(3)
    time.sleep(30)  # the parent ends this process once rank 1 has failed


def test_spawn_runs_gloo_ranks():
    """The DDP tutorial's launch: mp.spawn(fn, args, nprocs) and init_process_group("gloo")."""
    queue = multiprocessing.get_context("spawn").SimpleQueue()
    mp = minitorch.multiprocessing
    assert mp.spawn(_spawned_gloo_rank, args=(_free_port(), queue), nprocs=2) is None
    assert sorted(queue.get() for _ in range(2)) == [(0, [3.0] * 3, "gloo"), (1, [3.0] * 3, "gloo")]
    context = mp.start_processes(_spawned_gloo_rank, (_free_port(), queue), 2, join=False)
    assert len(context.pids()) == 2
    while not context.join():
        pass
    assert sorted(r for r, _, _ in (queue.get(), queue.get())) == [0, 1]


def _killed(i: int) -> None:
    if i == 0:
        os.kill(os.getpid(), signal.SIGKILL)


def test_spawn_reports_a_process_killed_by_a_signal():
    mp = minitorch.multiprocessing
    with pytest.raises(
        mp.ProcessExitedException, match="process 0 terminated with signal SIGKILL"
    ) as e:
        mp.spawn(_killed, nprocs=1)
    assert (e.value.exit_code, e.value.signal_name) == (-9, "SIGKILL")


def _two_gloo_ranks(errors: list) -> tuple:
    """Two gloo backends of one world, joined from two threads of this process, and their
    watchdog (which appends what timed out to ``errors``)."""
    from minitorch.distributed.gloo import GlooBackend

    port, backends = _free_port(), [None, None]
    dog = Watchdog(30, lambda what: errors.append(what))

    def join(rank: int) -> None:
        backends[rank] = GlooBackend(rank, 2, "127.0.0.1", port, dog, 10)

    threads = [threading.Thread(target=join, args=(r,)) for r in (1, 0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    return backends, dog


def test_gloo_collective_after_close_fails():
    """A collective on a closed gloo backend raises (it did nothing with no peers left: the
    race that made the next test flaky when rank 1 got there after close)."""
    backends, dog = _two_gloo_ranks([])
    try:
        for b in backends:
            b.close()
        for rank in (0, 1):
            with pytest.raises(RuntimeError, match=rf"all_reduce \(gloo, rank {rank} of 2\): the connection failed"):  # fmt: skip
                backends[rank].all_reduce(np.ones(2), dist.ReduceOp.SUM)
    finally:
        dog.close()


def test_gloo_ranks_in_threads_and_a_size_mismatch():
    """Two gloo ranks in this process (threads): the collectives' values, and PyTorch-like
    failure when the ranks pass tensors of different sizes."""
    errors: list = []
    backends, dog = _two_gloo_ranks(errors)
    results = [None, None]

    def work(rank: int) -> None:
        b = backends[rank]
        x = np.arange(3.0) + 10 * rank
        b.all_reduce(x, dist.ReduceOp.SUM)
        y = np.full(2, float(rank))
        b.broadcast(y, 1)
        out = np.empty((2, 2))
        b.all_gather(out, np.full(2, float(rank)))
        results[rank] = (x.tolist(), y.tolist(), out.tolist())
        try:
            b.all_reduce(np.ones(2 + rank), dist.ReduceOp.SUM)
        except RuntimeError as e:
            results[rank] += (str(e),)

    threads = [threading.Thread(target=work, args=(r,)) for r in (0, 1)]
    for t in threads:
        t.start()
    threads[0].join(15)
    for b in backends:
        b.close()  # rank 1 waits for a result rank 0 will never send
    threads[1].join(15)
    try:
        for rank in (0, 1):
            assert results[rank][:3] == ([10.0, 12.0, 14.0], [1.0, 1.0], [[0.0, 0.0], [1.0, 1.0]])
        assert "a peer sent 24 bytes where this rank (rank 0) has 16" in results[0][3]
        assert "all_reduce (gloo, rank 1 of 2): the connection failed" in results[1][3]
        assert errors == []
    finally:
        dog.close()


def test_spawn_reports_the_first_failure():
    mp = minitorch.multiprocessing
    start = time.monotonic()
    with pytest.raises(mp.ProcessRaisedException) as raised:
        mp.spawn(_spawned_failure, args=("raise",), nprocs=2)
    assert str(raised.value).startswith("\n\n-- Process 1 terminated with the following error:\n")
    assert "ValueError: rank 1 fails on purpose" in str(raised.value)
    assert raised.value.error_index == 1
    with pytest.raises(
        mp.ProcessExitedException, match="process 1 terminated with exit code 3"
    ) as exited:
        mp.spawn(_spawned_failure, args=("exit",), nprocs=2)
    assert (exited.value.exit_code, exited.value.signal_name) == (3, None)
    assert time.monotonic() - start < 25, "rank 0 was not ended when rank 1 failed"


def test_importing_minitorch_loads_no_backend():
    code = (
        "import sys, minitorch, minitorch.distributed\n"
        "print(*(m in sys.modules for m in "
        "('mpi4py', 'minitorch.distributed.mpi', 'minitorch.distributed.nccl', "
        "'minitorch.distributed.gloo')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.split() == ["False"] * 4, out.stderr


def test_launcher_environment(monkeypatch):
    for name in (*_env._RANK, *_env._WORLD_SIZE, *_env._LOCAL_RANK):
        monkeypatch.delenv(name, raising=False)
    assert (env_rank(), env_world_size(), env_local_rank()) == (0, 1, 0)
    monkeypatch.setenv("PMI_RANK", "3")  # MPICH's mpiexec
    monkeypatch.setenv("PMI_SIZE", "4")
    monkeypatch.setenv("MPI_LOCALRANKID", "1")
    assert (env_rank(), env_world_size(), env_local_rank()) == (3, 4, 1)
    monkeypatch.setenv("RANK", "2")  # torchrun-style variables come first
    assert env_rank() == 2
    monkeypatch.setenv("WORLD_SIZE", "two")
    with pytest.raises(ValueError, match="WORLD_SIZE='two' is not an integer"):
        env_world_size()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_rendezvous_hands_rank_0s_payload_to_every_rank():
    port, payload, world = _free_port(), bytes(range(256))[:128], 3
    got = [None] * world

    def run(rank: int) -> None:
        mine = payload if rank == 0 else None
        got[rank] = rendezvous.exchange(mine, rank, world, "127.0.0.1", port, timeout=10)

    threads = [threading.Thread(target=run, args=(r,)) for r in (2, 1, 0)]  # clients first
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert got == [payload] * world


def test_rendezvous_times_out_with_a_clear_error():
    port = _free_port()
    with pytest.raises(RuntimeError, match=r"rank 1 could not reach rank 0 at 127\.0\.0\.1:\d+"):
        rendezvous.exchange(None, 1, 2, "127.0.0.1", port, timeout=0.3)
    with pytest.raises(RuntimeError, match=r"ranks \[1\] never connected"):
        rendezvous.exchange(b"id", 0, 2, "127.0.0.1", port, timeout=0.3)


def test_watchdog_fires_only_for_overdue_collectives():
    fired = []
    dog = Watchdog(0.05, fired.append)
    try:
        with dog.watching("quick"):
            pass
        dog.track("finished on the GPU", done=lambda: True)
        time.sleep(0.3)
        assert fired == []
        dog.track("stuck all_reduce")
        deadline = time.monotonic() + 5
        while not fired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fired == ["stuck all_reduce"]
    finally:
        dog.close()


# ---- the post-accumulate grad hook (engine) ----------------------------------------------------
def test_post_accumulate_grad_hook_sees_the_accumulated_grad(torch):
    seen, expected = [], []
    for lib, out in ((minitorch, seen), (torch, expected)):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        handle = x.register_post_accumulate_grad_hook(
            lambda t, out=out: out.append(t.grad.tolist())
        )
        (x * x + 3 * x).sum().backward()  # x reaches its leaf twice: one call, after the sum
        (x * 2).sum().backward()  # accumulates onto the first
        lib.autograd.grad((x * x).sum(), x)  # no accumulation: no call
        handle.remove()
        (x * 2).sum().backward()
        out.append(x.grad.tolist())
    assert seen == expected == [[5.0, -1.0, 9.0], [7.0, 1.0, 11.0], [9.0, 3.0, 13.0]]


def test_post_accumulate_grad_hook_errors():
    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        minitorch.ones(2).register_post_accumulate_grad_hook(lambda t: None)
    x.register_post_accumulate_grad_hook(lambda t: 5)
    with pytest.raises(TypeError, match="expected Variable, but hook returned 'int'"):
        x.sum().backward()


# ---- DistributedSampler ------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 5, 10, 11])
@pytest.mark.parametrize("replicas", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("drop_last", [False, True])
def test_sampler_partitions_like_pytorch(torch, n, replicas, drop_last):
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    for rank in range(replicas):
        ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = TorchSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
        # shuffled: PyTorch's rule applied to minitorch's permutation of that seed and epoch
        ours = DistributedSampler(range(n), replicas, rank, seed=3, drop_last=drop_last)
        ours.set_epoch(4)
        perm = minitorch.randperm(n, generator=minitorch.Generator().manual_seed(7)).tolist()
        assert list(ours) == [perm[i] for i in theirs]


def test_sampler_covers_the_dataset_each_epoch_in_a_new_order():
    orders = []
    for epoch in range(3):
        shares = []
        for rank in range(3):
            sampler = DistributedSampler(range(12), num_replicas=3, rank=rank, seed=1)
            sampler.set_epoch(epoch)
            shares.append(list(sampler))
        assert sorted(sum(shares, [])) == list(range(12))
        orders.append(shares)
    assert orders[0] != orders[1] != orders[2]
    with pytest.raises(
        ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"
    ):
        DistributedSampler(range(12), num_replicas=3, rank=3)


# ---- NCCL (one GPU: a world of one still goes through NCCL) -------------------------------------
@pytest.mark.cuda
def test_nccl_backend_on_one_gpu(monkeypatch):
    from minitorch.distributed import nccl

    assert dist.is_nccl_available()
    uid = tuple(range(-64, 64))
    assert nccl.unique_id_from_bytes(nccl.unique_id_to_bytes(uid)) == uid
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "1")
    dist.init_process_group("nccl", timeout=60)
    try:
        assert (dist.get_backend(), dist.get_rank(), dist.get_world_size()) == ("nccl", 0, 1)
        for dtype in (
            minitorch.float16,
            minitorch.float32,
            minitorch.float64,
            minitorch.int64,
            minitorch.bool,
        ):
            t = minitorch.tensor([1, 0, 3], dtype=dtype, device="cuda")
            ptr = t._data.data.ptr
            for op in (dist.ReduceOp.SUM, dist.ReduceOp.MAX):
                dist.all_reduce(t, op=op)
            assert t._data.data.ptr == ptr, "reduced in place, on the device"
            assert t.cpu().tolist() == minitorch.tensor([1, 0, 3], dtype=dtype).tolist()
        t = minitorch.tensor([2.0, 4.0], device="cuda")
        dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True).wait()
        dist.broadcast(t, 0)
        out = [minitorch.zeros(2, device="cuda")]
        dist.all_gather(out, t)
        assert out[0].cpu().tolist() == [2.0, 4.0]
        dist.barrier()
        with pytest.raises(RuntimeError, match="the nccl backend works on CUDA tensors"):
            dist.all_reduce(minitorch.ones(2))
        # DDP on one GPU: a training step gives exactly the plain step's parameters
        minitorch.manual_seed(0)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to("cuda")
        plain = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to("cuda")
        plain.load_state_dict(model.state_dict())
        ddp = DistributedDataParallel(model, bucket_cap_mb=1e-4)
        x = minitorch.randn(4, 8, device="cuda")
        for m in (ddp, plain):
            m(x).square().sum().backward()
        for p, q in zip(model.parameters(), plain.parameters()):
            np.testing.assert_allclose(p.grad.cpu().numpy(), q.grad.cpu().numpy(), rtol=1e-6)
    finally:
        dist.destroy_process_group()
