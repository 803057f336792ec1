"""``minitorch.utils``: mirrors ``torch.utils`` (``minitorch.utils.data``)."""

from . import data
