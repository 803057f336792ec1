"""``python train.py`` / ``minitorch-train``: trains an example model on a bundled dataset and
leaves metrics.csv, loss_curve.png, last.ckpt and best.ckpt in the run directory."""

from __future__ import annotations

import argparse
import os
import sys
import time

MODELS = ("mlp", "cnn", "gpt")
DATASETS = ("digits", "spirals", "text", "mnist")
DEFAULTS = {  # model: (dataset, epochs, batch size, lr, optimizer, scheduler)
    "mlp": ("digits", 20, 64, 1e-3, "adam", "cosine"),
    "cnn": ("digits", 15, 64, 2e-3, "adam", "cosine"),
    "gpt": ("text", 4, 16, 6e-3, "adamw", "cosine"),
}
GPT_STEPS = 150


class UsageError(Exception):
    """A bad argument: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(message)


def parse_args(argv=None) -> argparse.Namespace:
    p = _Parser(prog="train.py", description=__doc__)
    p.add_argument("--model", default="mlp", help="mlp | cnn | gpt")
    p.add_argument(
        "--dataset", default=None, help="digits | spirals | text | mnist (default: the model's)"
    )
    p.add_argument(
        "--data-dir", default=None, help="folder with the MNIST IDX files (for --dataset mnist)"
    )
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=None)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--optimizer", default=None, help="sgd | adam | adamw")
    p.add_argument("--scheduler", default=None, help="none | cosine | onecycle")
    p.add_argument("--clip-grad-norm", type=float, default=None)
    p.add_argument(
        "--amp",
        action="store_true",
        help="autocast (bfloat16 on cpu, float16 on cuda) + GradScaler",
    )
    p.add_argument("--device", default="cpu", help="cpu | cuda")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--out", default=None, help="run directory (default runs/<model>-<dataset>-<time>)"
    )
    p.add_argument("--resume", default=None, help="a checkpoint (last.ckpt) to continue from")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument(
        "--max-steps", type=int, default=None, help="stop each epoch after this many steps"
    )
    args = p.parse_args(argv)
    if args.model not in MODELS:
        raise UsageError(f"unknown model {args.model!r}; choose one of {', '.join(MODELS)}")
    dataset, epochs, batch, lr, opt, sched = DEFAULTS[args.model]
    args.dataset = args.dataset or dataset
    if args.dataset not in DATASETS:
        raise UsageError(f"unknown dataset {args.dataset!r}; choose one of {', '.join(DATASETS)}")
    if (args.model == "gpt") != (args.dataset == "text"):
        raise UsageError(
            f"--model {args.model} does not fit --dataset {args.dataset} (gpt trains on text; mlp and cnn on digits, spirals or mnist)"
        )
    if args.model == "cnn" and args.dataset == "spirals":
        raise UsageError("--model cnn needs images: use --dataset digits or mnist")
    if args.model == "gpt" and args.clip_grad_norm is None:
        args.clip_grad_norm = 1.0
    args.epochs = args.epochs if args.epochs is not None else epochs
    args.batch_size = args.batch_size or batch
    args.lr = args.lr or lr
    args.optimizer = args.optimizer or opt
    args.scheduler = args.scheduler or sched
    if args.optimizer not in ("sgd", "adam", "adamw"):
        raise UsageError(f"unknown optimizer {args.optimizer!r}; choose sgd, adam or adamw")
    if args.scheduler not in ("none", "cosine", "onecycle"):
        raise UsageError(f"unknown scheduler {args.scheduler!r}; choose none, cosine or onecycle")
    if args.epochs < 1 or args.batch_size < 1 or args.lr <= 0:
        raise UsageError("--epochs, --batch-size and --lr must be positive")
    if args.dataset == "mnist" and (args.data_dir is None or not os.path.isdir(args.data_dir)):
        raise UsageError(
            f"--dataset mnist needs --data-dir pointing at a folder with the MNIST IDX files (got {args.data_dir!r})"
        )
    if args.resume is not None and not os.path.isfile(args.resume):
        raise UsageError(f"--resume: no such checkpoint file {args.resume!r}")
    return args


def _check_device(device: str) -> None:
    import minitorch  # noqa: PLC0415

    if device.startswith("cuda") and not minitorch.cuda.is_available():
        raise UsageError(
            "--device cuda: no CUDA GPU with cupy is available here (pip install 'minitorch[cuda]' on a GPU machine)"
        )
    if not device.startswith(("cpu", "cuda")):
        raise UsageError(f"unknown device {device!r}; use cpu or cuda")


def _init_distributed(args) -> bool:
    """Joins the job when launched as several processes (``mpiexec -n N python train.py``,
    or RANK/WORLD_SIZE as torchrun sets them): NCCL for --device cuda, each rank on its own
    GPU; on CPUs gloo where MASTER_ADDR is set (torchrun-style), MPI otherwise."""
    import minitorch  # noqa: PLC0415
    from minitorch import distributed as dist  # noqa: PLC0415
    from minitorch.distributed._env import env_local_rank, env_world_size  # noqa: PLC0415

    if env_world_size() <= 1:
        return False
    if args.device.startswith("cuda"):
        args.device = f"cuda:{env_local_rank() % minitorch.cuda.device_count()}"
        dist.init_process_group("nccl")
    elif os.environ.get("MASTER_ADDR"):
        dist.init_process_group("gloo")
    elif not dist.is_mpi_available():
        raise UsageError(
            "running as several processes needs MASTER_ADDR / MASTER_PORT (gloo, as torchrun "
            "sets them) or mpi4py under mpiexec: pip install mpi4py mpich"
        )
    else:
        dist.init_process_group("mpi")
    return True


def build_data(args):
    """(train_set, val_set, info) for the chosen dataset; info has in_features, channels,
    image_size, num_classes or vocab_size."""
    import minitorch  # noqa: PLC0415
    from minitorch import data  # noqa: PLC0415

    gen = minitorch.Generator().manual_seed(args.seed)
    if args.dataset == "text":
        from minitorch.data.datasets.text import default_corpus  # noqa: PLC0415

        text = default_corpus()
        n = int(len(text) * 0.9)
        tok = data.CharTokenizer(text)
        train = data.TextDataset(text[:n], block_size=64, tokenizer=tok)
        val = data.TextDataset(text[n:], block_size=64, tokenizer=tok)
        val = data.Subset(val, range(0, len(val), max(1, len(val) // 1024)))  # 1k windows
        return train, val, {"vocab_size": tok.vocab_size}
    if args.dataset == "spirals":
        x, y = data.make_spirals(2000, generator=gen)
        full = data.TensorDataset(x, y)
        info = {"in_features": 2, "num_classes": int(y.max().item()) + 1}
    elif args.dataset == "digits":
        full = data.load_digits()  # (1797, 1, 8, 8) images in [0, 1], int64 labels
        info = {"in_features": 64, "channels": 1, "image_size": 8, "num_classes": 10}
    else:
        train = data.MNIST(args.data_dir, train=True)
        val = data.MNIST(args.data_dir, train=False)
        x, y = train.data.float().div(255).unsqueeze(1), train.targets
        vx, vy = val.data.float().div(255).unsqueeze(1), val.targets
        info = {"in_features": 784, "channels": 1, "image_size": 28, "num_classes": 10}
        return data.TensorDataset(x, y), data.TensorDataset(vx, vy), info
    n_val = len(full) // 5
    train, val = data.random_split(full, [len(full) - n_val, n_val], generator=gen)
    return train, val, info


def build_model(args, info):
    from .models import CNN, GPT, MLP  # noqa: PLC0415

    if args.model == "gpt":
        return GPT(info["vocab_size"], block_size=64)
    if args.model == "cnn":
        return CNN(info["channels"], info["num_classes"], info["image_size"])
    return MLP(info["in_features"], info["num_classes"])


def build_optimizer(args, model, steps_per_epoch: int):
    from minitorch import optim  # noqa: PLC0415

    params = model.parameters()
    if args.optimizer == "sgd":
        opt = optim.SGD(params, lr=args.lr, momentum=0.9, weight_decay=5e-4)
    elif args.optimizer == "adam":
        opt = optim.Adam(params, lr=args.lr)
    else:
        opt = optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    total = args.epochs * steps_per_epoch
    if args.scheduler == "cosine":  # linear warmup over the first 5% of steps, then cosine to lr/10
        warmup = max(1, total // 20)
        sched = optim.lr_scheduler.SequentialLR(
            opt,
            [
                optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=warmup),
                optim.lr_scheduler.CosineAnnealingLR(
                    opt, T_max=max(1, total - warmup), eta_min=args.lr / 10
                ),
            ],
            milestones=[warmup],
        )
        return opt, sched, "step"
    if args.scheduler == "onecycle":
        return opt, optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total), "step"
    return opt, None, "epoch"


def run(args) -> dict:
    import minitorch  # noqa: PLC0415
    from minitorch import distributed as dist  # noqa: PLC0415
    from minitorch.data import DataLoader, DistributedSampler, RandomSampler  # noqa: PLC0415
    from minitorch.nn.parallel import DistributedDataParallel  # noqa: PLC0415

    from . import CSVLogger, ModelCheckpoint, Trainer, plot_history  # noqa: PLC0415
    from .models import sequence_loss  # noqa: PLC0415

    _check_device(args.device)
    distributed = _init_distributed(args)  # --batch-size is then per process, as in PyTorch
    world, main = (dist.get_world_size(), dist.get_rank() == 0) if distributed else (1, True)
    minitorch.manual_seed(args.seed)
    train_set, val_set, info = build_data(args)
    if args.model == "gpt":  # an "epoch" of text is GPT_STEPS random windows per batch row
        sampler = RandomSampler(
            train_set,
            replacement=True,
            num_samples=GPT_STEPS * args.batch_size // world,
            generator=minitorch.Generator().manual_seed(args.seed + 1 + dist.get_rank())
            if distributed
            else None,
        )
        train_loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler)
    elif distributed:  # each rank its share of every epoch
        sampler = DistributedSampler(train_set, seed=args.seed, drop_last=True)
        train_loader = DataLoader(
            train_set, batch_size=args.batch_size, sampler=sampler, drop_last=True
        )
    else:
        train_loader = DataLoader(
            train_set, batch_size=args.batch_size, shuffle=True, drop_last=True
        )
    val_sampler = DistributedSampler(val_set, shuffle=False) if distributed else None
    val_loader = DataLoader(
        val_set, batch_size=64 if args.model == "gpt" else 256, sampler=val_sampler
    )
    if args.max_steps:
        train_loader = _Limited(train_loader, args.max_steps)
        val_loader = _Limited(val_loader, max(1, args.max_steps // 4))
    model = build_model(args, info).to(args.device)
    if distributed:
        model = DistributedDataParallel(model)
    opt, scheduler, interval = build_optimizer(args, model, len(train_loader))
    loss_fn = sequence_loss if args.model == "gpt" else minitorch.nn.functional.cross_entropy
    out = args.out or os.path.join(
        "runs", f"{args.model}-{args.dataset}-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    if main:  # only rank 0 writes the run directory
        os.makedirs(out, exist_ok=True)
    writers = [
        ModelCheckpoint(out, monitor="val_loss"),
        CSVLogger(os.path.join(out, "metrics.csv")),
    ]
    trainer = Trainer(
        model, opt, loss_fn, scheduler=scheduler, scheduler_interval=interval,
        clip_grad_norm=args.clip_grad_norm, amp=args.amp, device=args.device,
        metrics=None if args.model != "gpt" else {},
        callbacks=writers if main else [],
        progress=not args.no_progress,
    )  # fmt: skip
    if args.resume:
        _resume(trainer, args)
    history = trainer.fit(train_loader, val_loader, epochs=args.epochs)
    last = history[-1] if history else {}
    if main:
        plot_history(
            history, os.path.join(out, "loss_curve.png"), title=f"{args.model} on {args.dataset}"
        )
        print(f"run directory: {out}")
        shown = [f"{k}={last[k]:.4f}" for k in ("train_loss", "val_loss", "val_acc") if k in last]
        print(f"final: epoch={last.get('epoch', 0)} {' '.join(shown)}")  # gpt has no accuracy
    if distributed:
        dist.destroy_process_group()
    return last


def _resume(trainer, args) -> None:
    from minitorch.serialization import load  # noqa: PLC0415

    try:
        state = load(args.resume, map_location=args.device)
        trainer.load_state_dict(state)
    except (RuntimeError, KeyError, ValueError) as e:
        msg = str(e).splitlines()[0]
        raise UsageError(
            f"--resume {args.resume}: not a checkpoint of this --model {args.model} ({msg})"
        ) from None


class _Limited:
    """A loader cut to its first ``n`` batches (for quick runs)."""

    def __init__(self, loader, n: int) -> None:
        self.loader, self.n = loader, n
        self.sampler = loader.sampler  # the Trainer calls its set_epoch (DistributedSampler)

    def __len__(self) -> int:
        return min(self.n, len(self.loader))

    def __iter__(self):
        for i, batch in enumerate(self.loader):
            if i >= self.n:
                break
            yield batch


def main(argv=None) -> int:
    """Entry point of ``train.py`` and the ``minitorch-train`` console script."""
    try:
        run(parse_args(argv))
    except UsageError as e:
        print(f"train.py: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - one readable line instead of a traceback
        from .trainer import TrainingDiverged  # noqa: PLC0415

        if isinstance(e, TrainingDiverged):
            print(f"train.py: stopped: {e}", file=sys.stderr)
            from minitorch import distributed as dist  # noqa: PLC0415

            if dist.is_initialized():
                dist.abort(1)  # the other ranks may not have seen it: end them too
            return 1
        raise
    return 0
