"""``minitorch.utils``: mirrors ``torch.utils`` (``minitorch.utils.data``,
``minitorch.utils.checkpoint``, ``minitorch.utils.dlpack``)."""

from . import checkpoint, data, dlpack
