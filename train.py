"""Trains an example model on bundled data: ``python train.py --help`` lists the options.
Defaults: an MLP on the bundled 8x8 digits. The same program is installed as
``minitorch-train``."""

import sys

from minitorch.training.cli import main

if __name__ == "__main__":
    sys.exit(main())
