"""minitorch: a small, fast, PyTorch-compatible deep-learning framework on numpy (and cupy).

``import minitorch as torch`` runs PyTorch code for everything in the design contract.
"""

from . import _numpy_warnings  # noqa: F401  (silences numpy's inf/NaN warnings)
from . import _dtypes
from ._dtypes import (
    bfloat16,
    bool_ as bool,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    set_default_dtype,
    uint8,
)
from ._config import (
    are_deterministic_algorithms_enabled,
    compile,
    is_deterministic_algorithms_warn_only_enabled,
    get_default_device,
    get_float32_matmul_precision,
    get_num_interop_threads,
    get_num_threads,
    is_warn_always_enabled,
    set_default_device,
    set_float32_matmul_precision,
    set_num_interop_threads,
    set_num_threads,
    set_warn_always,
    use_deterministic_algorithms,
)
from ._memory_format import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    layout,
    memory_format,
    preserve_format,
    strided,
)
from ._printing import set_printoptions
from .storage import TypedStorage, UntypedStorage, is_storage
from ._tensor import Size, Tensor
from .amp import autocast, get_autocast_dtype, is_autocast_enabled
from .autograd import (
    enable_grad,
    inference_mode,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .backends import Device as device
from .factories import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_dlpack,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    multinomial,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    tril_indices,
    triu_indices,
    zeros,
    zeros_like,
)
from .ops import *  # noqa: F403  (the functional forms: minitorch.exp, minitorch.cat, ...)
from . import ops as _ops
from .ops import return_types  # torch.return_types
from .ops.out_arg import with_out as _with_out

for _name in (*_ops.__all__, "multinomial"):
    globals()[_name] = _with_out(globals()[_name])  # the out= keyword of torch.<op>
for _name in (
    "zeros",
    "ones",
    "full",
    "empty",
    "arange",
    "linspace",
    "logspace",
    "eye",
):
    globals()[_name] = _with_out(globals()[_name], factory=True)  # out's dtype, as PyTorch
del _name
from .serialization import load, save
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .random import default_generator as _default_generator

default_generator = _default_generator()  # the CPU generator object, as torch.default_generator
from . import autograd, cuda, nn, optim, data, utils  # noqa: E402
from .amp import GradScaler  # noqa: E402  (torch.GradScaler is torch.amp.GradScaler)
from .cuda import OutOfMemoryError  # noqa: E402  (torch.OutOfMemoryError)
from . import multiprocessing  # noqa: E402  (torch.multiprocessing: spawn)
from . import signal  # noqa: E402  (torch.signal.windows)
from . import accelerator  # noqa: E402  (torch.accelerator)
from . import profiler  # noqa: E402  (torch.profiler's alias of autograd.profiler)
from . import linalg  # noqa: E402  (torch.linalg)
from ._linalg_lu import lu_unpack  # noqa: E402  (torch.lu_unpack)

lu_unpack = _with_out(lu_unpack)  # torch.lu_unpack(LU, pivots, out=(P, L, U))
from .ops.lowrank_ldl import pca_lowrank, svd_lowrank  # noqa: E402
from .ops.ormqr import ormqr  # noqa: E402  (torch.ormqr, Tensor.ormqr)

Tensor.ormqr = ormqr
from . import func  # noqa: E402  (torch.func: functional_call and the transforms)
from . import library  # noqa: E402  (torch.library.custom_op)
from .func import vmap  # noqa: E402  (torch.vmap is torch.func.vmap)
from . import overrides  # noqa: E402  (torch.overrides)
from . import _subclass as _C  # noqa: E402  (torch._C's DisableTorchFunction[Subclass])

_C.watch_classes()  # a class with __torch_function__ switches the protocol on
from . import distributions  # noqa: E402  (torch.distributions)
from .distributions._gamma_fn import _sample_dirichlet, _standard_gamma  # noqa: E402
from . import testing  # noqa: E402  (torch.testing.assert_close, make_tensor)
from . import jit  # noqa: E402  (torch.jit: script/trace give the code back, no compiler)
from . import compiler  # noqa: E402  (torch.compiler's markers: is_compiling, disable)
from . import special  # noqa: E402  (torch.special)
from ._finfo import finfo, iinfo  # noqa: E402
from ._legacy import (  # noqa: E402  (torch.FloatTensor and friends)
    BFloat16Tensor,
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    eig,
    lstsq,
    set_default_tensor_type,
    solve,
    symeig,
)

half, float, double = float16, float32, float64
long, int, short = int64, int32, int16
newaxis = None
from math import e, inf, nan, pi  # noqa: E402  (torch.e, torch.pi, torch.inf, torch.nan)

from . import _complex  # noqa: E402
from ._complex import complex, polar, view_as_complex, view_as_real  # noqa: E402
from . import cpu, version  # noqa: E402  (torch.cpu, torch.version)
from . import __config__  # noqa: E402  (torch.__config__.show, parallel_info)
from ._torch_aliases import ALIASES as _ALIASES  # noqa: E402  (torch.conv2d, torch.relu_, ...)

globals().update({k: v for k, v in _ALIASES.items() if k not in globals()})
from ._torch_aliases import TENSOR_METHODS as _TENSOR_METHODS  # noqa: E402

for _name, _method in _TENSOR_METHODS.items():
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _method)
del _name, _method
from .ops import extra_api as _extra_api  # noqa: E402  (torch.view_copy, torch.gru_cell, ...)

globals().update(_extra_api.FUNCTIONS)
from .ops.foreach import FUNCTIONS as _FOREACH  # noqa: E402  (torch._foreach_add_, ...)

globals().update(_FOREACH)
for _name, _method in _extra_api.METHODS.items():
    setattr(Tensor, _name, _method)
del _name, _method
from .version import __version__  # noqa: E402


def __getattr__(name: str):
    """The complex dtype names (``minitorch.complex64``, ...) and the Fourier transforms
    (``minitorch.fft``, ``stft``, ``istft``) say why they are missing."""
    missing = f"module 'minitorch' has no attribute '{name}'"
    if name in _complex.DTYPE_NAMES:
        raise AttributeError(_complex.no_complex(missing))
    if name in ("fft", "stft", "istft"):
        raise AttributeError(
            f"{missing}: minitorch has no complex dtypes, so no Fourier transforms "
            "(numpy.fft on x.numpy() computes them, without gradients)"
        )
    raise AttributeError(missing)
