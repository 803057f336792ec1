"""minitorch.training: the Trainer, its callbacks and metrics, and loss-curve plots."""

from .callbacks import Callback, CSVLogger, EarlyStopping, LRLogger, ModelCheckpoint
from .metrics import accuracy
from .plots import plot_history, smooth
from .trainer import Trainer, TrainingDiverged

__all__ = [
    "Trainer",
    "TrainingDiverged",
    "Callback",
    "EarlyStopping",
    "ModelCheckpoint",
    "LRLogger",
    "CSVLogger",
    "accuracy",
    "plot_history",
    "smooth",
]
