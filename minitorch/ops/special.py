"""Less common elementwise math, forward and backward side by side: inverse trigonometric
and hyperbolic functions, log2/log10/exp2/expm1, erf/erfc/erfinv, sinc, logit, atan2, hypot,
fmod, logaddexp, xlogy, lerp, addcmul/addcdiv, nan_to_num, clamp_min/clamp_max.

Unary ops share one pattern: ``y = f(x)`` on arrays, gradient ``g * df(x, y)`` where ``df``
is written with Tensor ops, so every order of gradient exists.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._finfo import finfo
from .._numpy_warnings import numpy_quiet
from .._tensor import Tensor, make_tensor
from ..autograd.function import Op, edges_at, name_node
from ..autograd.grad_mode import is_grad_enabled
from ..backends import ascontiguous, on_host, to_backend
from ..backends.memory_order import copy_preserving, in_memory_order
from .elementwise import (
    WhereSaving,
    _binary,
    _floating,
    _floor_divide,
    _invalid_combination,
    _promote,
    binary_result,
    broadcast_error,
    check_float32_scalar,
    clamp,
    const,
    cos,
    exp,
    fused_multiply_add,
    lerp_values,
    pow,
    refuse_bools,
    require_tensors,
    unbroadcast,
    where,
)
from .inplace import _method as inplace_method

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


# ---- erf, erfc, erfinv on float64 arrays ---------------------------------------------------
# Near-minimax (Chebyshev) polynomials fitted with mpmath at 40 digits, highest power first,
# each to < 1e-17 relative error on its range of z = |x|:
#   z < 0.5:      erf(z) = z * NEAR(z^2)
#   0.5 <= z < 5: erfc(z) = exp(-z^2) * MID[:, i](z - c_i) on 18 intervals of width 1/4
#                 centred at c_i = 0.625 + i / 4
#   z >= 5:       erfc(z) = exp(-z^2) / z * TAIL(1 / z^2)
# Below 0.5, erfc = 1 - erf and above it erf = 1 - erfc lose no more than half an ulp.
# fmt: off
_NEAR = (1.4725865480556744e-06, -1.4845849259707869e-05, 0.00012053335124353741, -0.0008548297753674966, 0.00522397737302147, -0.026866170632887928, 0.11283791670925353, -0.37612638903183476, 1.1283791670955126)
_MID = np.array([
    [-0.00020902552235554318, 0.0005726279630028807, -0.0014989110049978508, 0.003782695592344603, -0.0091094151496145, 0.020824409581205183, -0.04489820811899434, 0.0905346073431822, -0.16882964988963145, 0.286587745870984, -0.43236181600380946, 0.5568138808733625],
    [-7.453699259223779e-05, 0.0002151254639998011, -0.0005950744833733481, 0.0015904622736063875, -0.004069537716571997, 0.009922776927405338, -0.022925811484302092, 0.049828415330766374, -0.10091439212620508, 0.18795692377318324, -0.3158338964908418, 0.464311583202669],
    [-2.7946426854363904e-05, 8.492529808226711e-05, -0.00024806563878487813, 0.0007016112060703613, -0.0019056264622925678, 0.004950303970110052, -0.012238784453081762, 0.0286195442415685, -0.06279394840488244, 0.1278822804390654, -0.2380584881012718, 0.3956980795529959],
    [-1.0984229225264013e-05, 3.512107741543196e-05, -0.00010823602609943266, 0.0003236480309824724, -0.0009320855876790578, 0.002576220801453373, -0.006804603105271702, 0.017084991607308836, -0.040503371223401134, 0.0898621186469573, -0.18431546997466777, 0.3432958898621254],
    [-4.5129266478763354e-06, 1.517048304856743e-05, -4.92788416256037e-05, 0.0001556244194861436, -0.0004746475809666588, 0.0013938043014166737, -0.0039261985004293435, 0.010561485441294908, -0.02697791009325192, 0.06496207478418803, -0.14603023666418335, 0.30226120936348594],
    [-1.9328737776272523e-06, 6.825088897806641e-06, -2.334397535351131e-05, 7.777036805920015e-05, -0.0002508686851985858, 0.0007814620151027614, -0.002343281666485157, 0.0067380391592858436, -0.018492027589907062, 0.048148630049673506, -0.11801672272799837, 0.2694299851646704],
    [-8.607452856247888e-07, 3.1895965703813367e-06, -1.1474379300230261e-05, 4.027789652111821e-05, -0.000137225850042588, 0.00045271726469296746, -0.0014423146580439463, 0.004423070437881948, -0.013004811325624343, 0.03648136494272671, -0.09703011749173075, 0.24267036461265454],
    [-3.975590526851062e-07, 1.5445061172038061e-06, -5.837295734523925e-06, 2.1562659692597378e-05, -7.74794345670608e-05, 0.00027026462558966805, -0.0009130565045994084, 0.0029793030731892186, -0.009358486060330226, 0.028185010539667616, -0.08097712912220592, 0.22050569220490668],
    [-1.9000972916777728e-07, 7.73116712839936e-07, -3.066083366206015e-06, 1.1903336404548716e-05, -4.50437720128559e-05, 0.00016585339783779465, -0.0005930183703165845, 0.002054233414678852, -0.006874908639327039, 0.02215510200759342, -0.06846950572892327, 0.201887554546017],
    [-9.376698452878646e-08, 3.9915700079401674e-07, -1.6591281372432145e-06, 6.760716998204656e-06, -2.6903207209950058e-05, 0.00010438965989396246, -0.0003942814969016999, 0.0014467282828418285, -0.005145047555426323, 0.01768546828753539, -0.05856329265980373, 0.1860549346844711],
    [-4.768008973757825e-08, 2.1212527312790106e-07, -9.230038235388725e-07, 3.94254758306532e-06, -1.647401393361567e-05, 6.72515185476265e-05, -0.0002678200439563404, 0.0010386921927957693, -0.003915463212378573, 0.014313206924275094, -0.05060196645692752, 0.1724443521021736],
    [-2.4934974438139703e-08, 1.1581384103819385e-07, -5.268966961883706e-07, 2.356108943527815e-06, -1.0322921554276099e-05, 4.42643134089325e-05, -0.00018552228305063564, 0.000758930645417035, -0.0030251966359095845, 0.011727899937029176, -0.044119457241337846, 0.1606310681265444],
    [-1.3387321945469595e-08, 6.484510248431812e-08, -3.080917173109355e-07, 1.4404206611585437e-06, -6.607947759617024e-06, 2.971550223531322e-05, -0.00013084651268318616, 0.000563465115128035, -0.0023696773240473664, 0.009717010529927907, -0.03877867915705971, 0.15028972247426936],
    [-7.3667067104296745e-09, 3.717307786154712e-08, -1.8423020778443085e-07, 8.994204583879374e-07, -4.314295825695791e-06, 2.0315582896824868e-05, -9.382291907148985e-05, 0.00042451056006370484, -0.001879535717925734, 0.0081322220270897, -0.034331663931861184, 0.1411674197630518],
    [-4.148402242847465e-09, 2.17848084688692e-08, -1.1249084771532115e-07, 5.727662686296737e-07, -2.868872853454085e-06, 1.4125168161629057e-05, -6.830737362900231e-05, 0.0003241434206889266, -0.0015078600444144153, 0.006868209524587355, -0.03059315435554446, 0.13306497124120825],
    [-2.387245084948192e-09, 1.3032926437385782e-08, -7.004060595602894e-08, 3.7149116349155687e-07, -1.940458407302278e-06, 9.975471607867579e-06, -5.043429269558306e-05, 0.00025057644535813857, -0.0012223576801808648, 0.005848967741507582, -0.02742277038936697, 0.12582358819498807],
    [-1.4019985736622716e-09, 7.949294224466391e-09, -4.441272787704165e-08, 2.450981103127914e-07, -1.3334371216462447e-06, 7.147539933600661e-06, -3.7724402110146626e-05, 0.00019591797955534042, -0.0010004316607188461, 0.005018832389935356, -0.02471274729452929, 0.11931528862713332],
    [-8.39267033878338e-10, 4.937328982236308e-09, -2.8647203967733693e-08, 1.6430872190298364e-07, -9.299180900958596e-07, 5.190586041475219e-06, -2.8558820262393222e-05, 0.00015479600690076936, -0.0008260275842972519, 0.004336476487250648, -0.022379364251792787, 0.1134358772147405],
]).T.copy()
_TAIL = (3438037.5140873175, -1252718.1963617918, 237240.63685527167, -33542.73137991154, 4352.467618402735, -593.5149853241949, 91.60920419075981, -16.660980863003374, 3.702492752634896, -1.0578554643813989, 0.42314218765225087, -0.2820947917738721, 0.5641895835477563)
# The same at 3e-11, enough for float32 and float16 results: rounding a value that close
# gives the correctly rounded result except within 3e-11 of a tie (then 1 ulp off)
_NEAR32 = (-0.0007694534279142308, 0.005200413724335493, -0.026863143032249386, 0.11283774013179539, -0.37612638525650693, 1.1283791670824095)
_MID32 = np.array([
    [-0.009156396455479655, 0.020943003273273166, -0.04489774889357109, 0.09053344804117723, -0.16882965132523658, 0.2865877494952429, -0.4323618160031084, 0.5568138808715927],
    [-0.004088183837324114, 0.009972623305834337, -0.022925629242223702, 0.04982792811375701, -0.10091439269589902, 0.1879569252962774, -0.31583389649056365, 0.4643115832019253],
    [-0.0019133972763643653, 0.004972286338016775, -0.012238708509589897, 0.028619329397898803, -0.06279394864227614, 0.12788228111066546, -0.23805848810115587, 0.39569807955266795],
    [-0.0009354753381602642, 0.002586358382246434, -0.006804569979979254, 0.017084892536320728, -0.040503371326945294, 0.08986211895664245, -0.18431546997461723, 0.3432958898619742],
    [-0.0004761905746864667, 0.0013986777497864281, -0.003926183422985506, 0.010561437818281505, -0.026977910140380285, 0.06496207493304809, -0.14603023666416032, 0.3022612093634132],
    [-0.0002515994821341641, 0.0007838969213786428, -0.0023432745258792193, 0.006738015367072681, -0.018492027612226316, 0.04814863012404134, -0.11801672272798748, 0.2694299851646341],
    [-0.00013758500228867236, 0.0004539780904120245, -0.0014423111489534292, 0.00442305811866683, -0.013004811336592415, 0.03648136498123228, -0.0970301174917254, 0.24267036461263575],
    [-7.766211697463224e-05, 0.00027093949566595445, -0.0009130547197858397, 0.0029792964795310756, -0.009358486065908769, 0.028185010560276683, -0.08097712912220319, 0.2205056922048966],
    [-4.51397146880583e-05, 0.00016622589616072927, -0.0005930174329913287, 0.0020542297754331407, -0.006874908642256658, 0.022155102018968004, -0.06846950572892184, 0.20188755454601146],
    [-2.6955117918146922e-05, 0.00010460120028886515, -0.0003942809897711649, 0.0014467262162087399, -0.005145047557011341, 0.017685468293994623, -0.05856329265980295, 0.18605493468446796],
    [-1.6502889814880235e-05, 6.737486557768827e-05, -0.0002678197618686854, 0.0010386909878050423, -0.003915463213260217, 0.014313206928041222, -0.05060196645692709, 0.17244435210217177],
    [-1.0339403817042646e-05, 4.4338019569292416e-05, -0.0001855221220405059, 0.0007589299253956081, -0.003025196636412804, 0.011727899939279534, -0.0441194572413376, 0.1606310681265433],
    [-6.617584613853139e-06, 2.9760558917114982e-05, -0.0001308464185461512, 0.0005634646749899638, -0.0023696773243415785, 0.009717010531303501, -0.03877867915705957, 0.1502897224742687],
    [-4.320057965598099e-06, 2.034371474366025e-05, -9.382286278566325e-05, 0.00042451028526330437, -0.0018795357181016457, 0.008132222027948544, -0.0343316639318611, 0.14116741976305136],
    [-2.8723909776273575e-06, 1.4143081733554806e-05, -6.830733926391393e-05, 0.00032414324570755244, -0.0015078600445218168, 0.006868209525134226, -0.030593154355544407, 0.133064971241208],
    [-1.942648779003048e-06, 9.987089456860405e-06, -5.043427130039651e-05, 0.00025057633187616996, -0.0012223576802477308, 0.005848967741862246, -0.027422770389366937, 0.1258235881949879],
    [-1.334825960675624e-06, 7.1552045865985e-06, -3.7724388544424235e-05, 0.00019591790468910373, -0.0010004316607612426, 0.0050188323901693335, -0.02471274729452927, 0.11931528862713321],
    [-9.308138786925912e-07, 5.195724003891791e-06, -2.855881151275688e-05, 0.0001547959567153493, -0.0008260275843245965, 0.00433647648740749, -0.022379364251792776, 0.11343587721474041],
]).T.copy()
_TAIL32 = (41.9081469233675, -14.400537327268758, 3.6462232332969022, -1.0571059344965636, 0.42313732856618413, -0.28209477979488357, 0.5641895835428803)
# fmt: on
_SMALL = 256  # up to this many host elements, libm's erf/erfc element by element is faster


def _horner(coefs, u):
    """The polynomial ``coefs`` (highest power first) at the array u."""
    p = np.full_like(u, coefs[0])
    for c in coefs[1:]:
        p *= u
        p += c
    return p


def _exp_minus_square(z, single: bool):
    """exp(-z^2) to about 1 ulp: z^2 is split as hi^2 + (z - hi)(z + hi) with hi z's leading
    24 bits, so hi^2 is exact (a plain z * z would carry its rounding error, times z^2,
    into the exponential: hundreds of ulps at z = 20). A float32 or float16 z is its own hi."""
    if single:
        return np.exp(-z * z)
    z = np.fmin(z, 40)  # exp(-1600) is 0 too, and inf - inf would be NaN
    hi = z.astype(np.float32).astype(np.float64)
    return np.exp(-hi * hi) * np.exp((hi - z) * (z + hi))


def _erfc_far(z, single: bool):
    """erfc(z) for z >= 0.5, relative error ~1e-16 (3e-11 if ``single``; NaN stays NaN).
    The tail's formula runs on the host only where z >= 5 (rare), on a device everywhere."""
    mid, tail = (_MID32, _TAIL32) if single else (_MID, _TAIL)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore", over="ignore"):
        i = np.fmin(np.fmax((z - 0.5) * 4, 0), len(mid[0]) - 1).astype(np.intp)  # NaN: 0
        u = z - (0.625 + 0.25 * i)
        poly = np.full_like(z, 0.0)
        for row in to_backend(mid, z):  # the table on z's device
            poly *= u
            poly += row.take(i)
        far = z >= 5
        if on_host(z):
            zf = z[far]
            poly[far] = _horner(tail, 1 / (zf * zf)) / zf
        else:
            poly = np.where(far, _horner(tail, 1 / (z * z)) / z, poly)
        return _exp_minus_square(z, single) * poly


def _erf_near(z, single: bool):
    """erf(z) for z < 0.5."""
    return z * _horner(_NEAR32 if single else _NEAR, z * z)


def _erf_erfc(x, single: bool, erf: bool = True, erfc: bool = True) -> tuple:
    """(erf(x), erfc(x)) of a 1-D float64 array, each to about 1e-16 relative error (3e-11
    if ``single``: x holds float32 or float16 values), None for the one not asked for;
    erfc keeps its relative precision where it is tiny. On the host, small arrays go
    through libm element by element and larger ones evaluate each formula on its own
    elements; on a device every formula runs everywhere and a select combines them
    (masking would read the count back to the host: a sync). NaN goes the far way."""
    if on_host(x) and x.size <= _SMALL:
        values = x.tolist()
        return (
            np.array([math.erf(v) for v in values]) if erf else None,
            np.array([math.erfc(v) for v in values]) if erfc else None,
        )
    z = np.abs(x)
    near = z < 0.5
    if on_host(z):
        far = np.flatnonzero(~near)
        near = np.flatnonzero(near)
        series, tail = _erf_near(z.take(near), single), _erfc_far(z.take(far), single)
    else:
        series = _erf_near(np.minimum(z, 0.5), single)
        tail = _erfc_far(np.maximum(z, 0.5), single)

    def join(inside, outside):
        if not on_host(z):
            return np.where(near, inside, outside)
        out = np.empty_like(z)
        out.put(near, inside)
        out.put(far, outside)
        return out

    erf_x = np.copysign(join(series, 1 - tail), x) if erf else None
    if not erfc:
        return erf_x, None
    erfc_z = join(1 - series, tail)
    return erf_x, np.where(x < 0, 2 - erfc_z, erfc_z)


def _in_float64(fn):
    """Runs a float64 array function on any float dtype, rounding the result once: numpy
    has no erf, and ours needs float64 to reach float32's last bit."""

    def run(a):
        if not a.flags.c_contiguous:  # a dense input's strides kept, as PyTorch keeps them
            kept = in_memory_order(run, a)
            if kept is not None:
                return kept
        flat = a.astype(np.float64).reshape(-1)  # 1-D: masks index it, ufuncs return arrays
        return fn(flat).reshape(a.shape).astype(a.dtype, copy=False)

    return run


def _by_precision(fn):
    """``fn(x, single)`` run by _in_float64, ``single`` when the input is float32 or less."""

    def run(a):
        single = a.dtype.itemsize <= 4
        return _in_float64(lambda x: fn(x, single))(a)

    return run


@_by_precision
def erf_array(x, single):
    """erf of a float array."""
    return _erf_erfc(x, single, erfc=False)[0]


@_by_precision
def erfc_array(x, single):
    """erfc (1 - erf) of a float array, exact in relative terms in the upper tail."""
    return _erf_erfc(x, single, erf=False)[1]


@_by_precision
def erfinv_array(y, single):
    """The inverse of erf: Winitzki's closed form as the start (relative error 2e-3), then
    Halley steps (three; two for float32 or less) on erf(x) = |y| (on erfc(x) = 1 - |y| in
    the tails, which is exact there). +-inf at +-1, nan outside [-1, 1]."""
    w = np.abs(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 0.147
        ln = np.log1p(-w * w)
        t1 = 2 / (math.pi * a) + ln / 2
        x = np.sqrt(np.sqrt(t1 * t1 - ln / a) - t1)
        tail = w > 0.5
        rest = 1 - w  # exact for w > 0.5
        for _ in range(2 if single else 3):  # each step triples the correct digits
            erf, erfc = _erf_erfc(x, single)
            f = np.where(tail, rest - erfc, erf - w)
            x = x - f / (_TWO_OVER_SQRT_PI * np.exp(-x * x) + x * f)  # f'' = -2x f'
    x = np.where(w == 1, np.inf, np.where(w > 1, np.nan, x))
    return np.copysign(x, y)


# ---- unary ops -----------------------------------------------------------------------------
class Unary(Op):
    """``y = f(x)``; subclasses set ``f`` (arrays), ``df(x, y)`` (Tensor ops) and ``saves``,
    which of x and y backward reads: PyTorch saves those, so only they may not change in place
    before backward."""

    saves = "xy"

    @staticmethod
    def forward(ctx, a):
        out = ctx.f(a)
        saves = ctx.saves
        ctx.save_for_backward(a if "x" in saves else None, out if "y" in saves else None)
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * ctx.df(x, y)


def _unary(name: str, f, df, node: str | None = None, saves: str = "x"):
    """The op class (named for its grad_fn, e.g. ``AsinBackward0``, or ``node``) and functional
    form of ``torch.<name>``: float math, integers computed in the default float dtype;
    ``df`` reads only what ``saves`` names ("x", "y" or "xy")."""
    attrs = {"f": staticmethod(f), "df": staticmethod(df), "saves": saves}
    cls = type(name.capitalize(), (Unary,), attrs | ({"torch_name": node} if node else {}))

    def op(input: Tensor) -> Tensor:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return cls.apply(_floating(input))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors ``torch.{name}``."
    return op


def sinc_array(x):
    """sin(pi x) / (pi x), and 1 at 0, in x's dtype (PyTorch's formula), from functions
    numpy and cupy compute alike. Not np.sinc: on a GPU it dispatches to cupy.sinc, which
    gives 1 unless |x| > 1e-9, so 1 for NaN (NaN in numpy and PyTorch), and rounds
    otherwise (sinpi(x) over a double pi x)."""
    if x.dtype in _dtypes.HALF_NP:  # computed in float32 and rounded once, as PyTorch's
        return sinc_array(x.astype(np.float32)).astype(x.dtype)
    y = x * np.pi
    return np.where(x == 0, x.dtype.type(1), np.sin(y) / y)


def _sinc_derivative(x: Tensor, y: Tensor) -> Tensor:
    """PyTorch's (pi x cos(pi x) - sin(pi x)) / (pi x^2), and 0 at x = 0."""
    square_pi = x * x * math.pi
    zero = const(square_pi._data == 0)  # PyTorch's mask (pi x^2 underflows near 0)
    px = x * math.pi  # as PyTorch, unguarded: its second derivative is NaN where masked
    return where(zero, 0.0, (px * cos(px) - px.sin()) / square_pi)


tan = _unary("tan", np.tan, lambda x, y: y * y + 1.0, saves="y")
asin = _unary("asin", np.arcsin, lambda x, y: (1.0 - x * x).rsqrt())
acos = _unary("acos", np.arccos, lambda x, y: -(1.0 - x * x).rsqrt())
atan = _unary("atan", np.arctan, lambda x, y: (x * x + 1.0).reciprocal())
sinh = _unary("sinh", np.sinh, lambda x, y: cosh(x))
cosh = _unary("cosh", np.cosh, lambda x, y: sinh(x))
asinh = _unary("asinh", np.arcsinh, lambda x, y: (x * x + 1.0).rsqrt())
acosh = _unary("acosh", np.arccosh, lambda x, y: (x * x - 1.0).rsqrt())
atanh = _unary("atanh", np.arctanh, lambda x, y: (1.0 - x * x).reciprocal())
log2 = _unary("log2", np.log2, lambda x, y: (x * _LN2).reciprocal())
log10 = _unary("log10", np.log10, lambda x, y: (x * _LN10).reciprocal())
exp2 = _unary("exp2", np.exp2, lambda x, y: y * _LN2, saves="y")
expm1 = _unary("expm1", np.expm1, lambda x, y: y + 1.0, saves="y")
erf = _unary("erf", erf_array, lambda x, y: exp(-x * x) * _TWO_OVER_SQRT_PI)
erfc = _unary("erfc", erfc_array, lambda x, y: exp(-x * x) * -_TWO_OVER_SQRT_PI)
erfinv = _unary(  # PyTorch saves x only and computes erfinv(x) again in backward
    "erfinv", erfinv_array, lambda x, y: exp(erfinv(x) ** 2) * (math.sqrt(math.pi) / 2)
)
sinc = _unary("sinc", sinc_array, _sinc_derivative)


arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


class Logit(Op):
    """log(z / (1 - z)) with PyTorch's kernel's z: x, or with ``eps`` >= 0, x < eps ? eps :
    x > 1 - eps ? 1 - eps : x (a negative eps clamps nothing)."""

    torch_name = "LogitBackward0"

    @staticmethod
    def forward(ctx, x, eps):
        ctx.save_for_backward(x)
        ctx.eps = eps
        if eps is not None and eps >= 0:
            lo = x.dtype.type(eps)
            hi = x.dtype.type(1) - lo
            x = np.where(x < lo, lo, np.where(x > hi, hi, x))
        return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, g):
        """PyTorch's logit_backward kernel: g * inf at 0 and 1, and without eps (or a
        negative one) NaN outside [0, 1], with eps 0 outside [eps, 1 - eps]. Under create_graph its
        infinitely_differentiable_logit_backward instead, recorded: g / (x (1 - x)) inside
        [0, 1] (NaN outside) or [eps, 1 - eps] (0 outside), any eps; at 0 and 1 the signs of
        x and 1 - x decide."""
        (x,) = ctx.saved_tensors
        eps, data = ctx.eps, x._data
        graph = is_grad_enabled()
        clamped = eps is not None and (eps >= 0 or graph)
        lo, hi = (eps, 1.0 - eps) if clamped else (0.0, 1.0)
        if graph:
            inside = (data >= lo) & (data <= hi)
        else:  # the kernel's test: x < lo || x > hi (NaN goes on to g / NaN)
            inside = ~((data < lo) | (data > hi))
        derivative = g / (x * (1.0 - x))
        if not graph:
            derivative = where(const((data == 0) | (data == 1)), g * math.inf, derivative)
        return where(const(inside), derivative, 0.0 if clamped else math.nan), None


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """Mirrors ``torch.logit``: log(x / (1 - x)), with x clamped to [eps, 1 - eps] first
    when ``eps`` >= 0 is given (gradient 0 outside)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return Logit.apply(_floating(input), eps)


def frac(input: Tensor) -> Tensor:
    """Mirrors ``torch.frac``: x - trunc(x) (gradient 1)."""
    if input._data.dtype.kind not in "fV":
        dtype = _dtypes.scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"frac_cpu\" not implemented for '{dtype}'")
    return Frac.apply(input)


class Frac(Op):
    """x - trunc(x), one node as PyTorch's FracBackward0 (gradient 1)."""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


def _bound_required(name: str, bound) -> None:
    """PyTorch's TypeError for clamp_min/clamp_max's bound None (no overload takes it)."""
    if bound is None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, NoneType), "
            f"but expected one of:\n * (Tensor input, Tensor {name[-3:]})\n * (Tensor input, "
            f"Number {name[-3:]})"
        )


def clamp_min(input: Tensor, min) -> Tensor:
    """Mirrors ``torch.clamp_min``."""
    _bound_required("clamp_min", min)
    return name_node(clamp(input, min=min), f"ClampMinBackward{int(isinstance(min, Tensor))}")


def clamp_max(input: Tensor, max) -> Tensor:
    """Mirrors ``torch.clamp_max``."""
    _bound_required("clamp_max", max)
    return name_node(clamp(input, max=max), f"ClampMaxBackward{int(isinstance(max, Tensor))}")


class NanToNum(Op):
    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.finite = np.isfinite(a)
        ctx.save_for_backward(a)  # as PyTorch's, for its version check only
        out = copy_preserving(a)
        if a.dtype == _dtypes.HALF_NP[1]:  # numpy's nan_to_num leaves bfloat16 as it is
            for bad, value in ((np.isnan(a), nan), (a == np.inf, posinf), (a == -np.inf, neginf)):  # fmt: skip
                out[bad] = value
            return out
        return np.nan_to_num(out, copy=False, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        _checked = ctx.saved_tensors  # raises if the input changed in place
        return g * const(ctx.finite), None, None, None


def nan_to_num(input: Tensor, nan: float = 0.0, posinf=None, neginf=None) -> Tensor:
    """Mirrors ``torch.nan_to_num``: NaN, +inf and -inf replaced (by default with 0 and the
    dtype's largest and lowest values); the gradient is 0 at the replaced elements."""
    if input._data.dtype.kind not in "fV":
        return make_tensor(input._data.copy())
    if input._data.dtype in _dtypes.HALF_NP[1:]:  # numpy knows no bfloat16 range
        top = float(finfo(_dtypes.bfloat16).max)
        posinf, neginf = (top if posinf is None else posinf), (-top if neginf is None else neginf)
    return NanToNum.apply(input, nan, posinf, neginf)


def _square(x: Tensor) -> Tensor:
    """x ** 2, of bools in int64 (PyTorch's square is pow: square_ of bools is a cast error)."""
    x = x.long() if x._data.dtype == np.bool_ else x
    return pow(x, 2)


square_ = inplace_method(_square, None, "square")


# ---- binary ops ----------------------------------------------------------------------------
def binary_layout(out, a, b):
    """``out``, an elementwise result of arrays ``a`` and ``b`` computed in C order (by
    np.where or a kernel of our own), laid out as PyTorch lays out a binary op's result (as
    ``_binary``): a copy only when that differs from ``out``'s."""
    if a.flags.c_contiguous and (b.flags.c_contiguous or a.shape == b.shape):
        return ascontiguous(out)
    result = binary_result(a, b, out.dtype)
    result[...] = out
    return result


def _operands(name: str, input, other, to_float: bool = True) -> tuple:
    """Two Tensors of PyTorch's result dtype (a number becomes a 0-d tensor on the other
    operand's device), checked to broadcast; two numbers are PyTorch's TypeError."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise _invalid_combination(name, input, other)
    a, b = _promote(input, other, to_float)
    with numpy_quiet():  # a number beyond the dtype's range is inf, silently
        if not isinstance(b, Tensor):
            b = make_tensor(np.full_like(a._data, b, shape=()))
        if not isinstance(a, Tensor):
            a = make_tensor(np.full_like(b._data, a, shape=()))
    err = broadcast_error(name, a, b)
    if err is not None:
        raise err
    return a, b


def float_operands(name: str, input, other) -> tuple:
    """``_operands`` of an op PyTorch has only floating-point kernels for: integer or bool
    operands raise its NotImplementedError."""
    a, b = _operands(name, input, other, to_float=False)
    if a._data.dtype.kind not in "fV":
        dtype = _dtypes.scalar_type_name(a._data.dtype)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dtype}'")
    return a, b


class Atan2(Op):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _binary(np.arctan2, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        d = a * a + b * b
        r = g / d.masked_fill(d == 0, float("inf"))  # 0 at the origin, as in PyTorch (not nan)
        return (
            unbroadcast(r * b, a.shape) if na else None,
            unbroadcast(-r * a, b.shape) if nb else None,
        )


class Hypot(Op):
    @staticmethod
    def forward(ctx, a, b):
        out = _binary(np.hypot, a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        return (  # PyTorch's grad * self / result (g / result first: its square underflows)
            unbroadcast(g * a / out, a.shape) if na else None,
            unbroadcast(g * b / out, b.shape) if nb else None,
        )


class Fmod(Op):
    torch_name = "FmodBackward1"  # of two tensors; FmodByNumber is PyTorch's FmodBackward0

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.fmod(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g, a.shape) if na else None
        gb = unbroadcast(-g * const(np.trunc(a._data / b._data)), b.shape) if nb else None
        return ga, gb


class Remainder(Op):
    """PyTorch's kernel: fmod, plus the divisor where the signs differ (exact for large
    quotients, x % inf == x for x >= 0, signed zeros kept)."""

    torch_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        mod = np.fmod(a, b)
        return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g, a.shape) if na else None
        gb = unbroadcast(-g * const(_floor_divide(a._data, b._data)), b.shape) if nb else None
        return ga, gb


class FmodByNumber(Fmod):
    torch_name = "FmodBackward0"
    _torch_edges = edges_at(0)  # the number is no input of PyTorch's node


class RemainderByNumber(Remainder):
    torch_name = "RemainderBackward0"
    _torch_edges = edges_at(0)


class LogAddExp(Op):
    torch_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _binary(np.logaddexp, a, b)

    @staticmethod
    def backward(ctx, g):  # PyTorch's g / (1 + exp(b - a)): 1 at a = inf > b
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = unbroadcast(g / (exp(b - a) + 1.0), a.shape) if na else None
        gb = unbroadcast(g / (exp(a - b) + 1.0), b.shape) if nb else None
        return ga, gb


class XLogY(Op):
    """x * log(y), 0 where x == 0 (unless y is NaN)."""

    torch_name = "XlogyBackward0"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            return binary_layout(np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y)), x, y)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = gy = None
        if nx:  # PyTorch's rule: g log(y), also where x == 0 (0 there only when y <= 0)
            zero = const((x._data == 0) & (y._data <= 0))
            gx = unbroadcast(where(zero, 0.0, XLogY.apply(g, y)), x.shape)
        if ny:
            gy = unbroadcast(g * x / y, y.shape)
        return gx, gy


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.atan2``: the angle of the point (other, input)."""
    require_tensors("atan2", input, other)
    return Atan2.apply(*_operands("atan2", input, other))


def arctan2(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.arctan2`` (``torch.atan2``, named so in its errors)."""
    require_tensors("arctan2", input, other)
    return atan2(input, other)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.hypot``: sqrt(input^2 + other^2) without overflow."""
    require_tensors("hypot", input, other)
    return Hypot.apply(*float_operands("hypot", input, other))


def fmod(input: Tensor, other) -> Tensor:
    """Mirrors ``torch.fmod``: the C remainder (its sign follows the dividend)."""
    require_tensors("fmod", input, input)  # other may be a number
    refuse_bools("fmod_cpu", input, other)
    a, b = _operands("fmod", input, other, to_float=False)
    if _zero_divisor(a, b, other):
        raise RuntimeError("ZeroDivisionError: fmod of integers by zero")
    return (Fmod if isinstance(other, Tensor) else FmodByNumber).apply(a, b)


def _zero_divisor(a: Tensor, b: Tensor, other) -> bool:
    """Whether integers ``a`` meet a zero divisor ``b``: looked for in a number or a host
    array; a device divisor is not read back (as in div; PyTorch's CUDA kernels don't look)."""
    if a._data.dtype.kind in "fV" or not a._data.size:
        return False
    if not isinstance(other, Tensor):
        return not other
    return on_host(b._data) and not b._data.all()


def remainder_of(input, other) -> Tensor:
    """The op behind ``torch.remainder`` (operands already promoted, bools excluded)."""
    a, b = _operands("remainder", input, other, to_float=False)
    if _zero_divisor(a, b, other):
        raise RuntimeError("ZeroDivisionError")
    return (Remainder if isinstance(other, Tensor) else RemainderByNumber).apply(a, b)


def _pick_first(name: str, input, other, a_wins) -> Tensor:
    """``input`` where ``a_wins(a, b)`` or ``other`` is NaN, else ``other`` (gradient to
    the one picked, as PyTorch's fmax/fmin)."""
    require_tensors(name, input, other)
    a, b = _operands(name, input, other, to_float=False)
    out = WhereSaving.apply(const(a_wins(a._data, b._data) | np.isnan(b._data)), a, b)
    return name_node(out, f"{name.capitalize()}Backward0")  # one node on (input, other)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.fmax``: the elementwise maximum, ignoring a NaN when one side has it."""
    return _pick_first("fmax", input, other, np.greater_equal)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.fmin``: the elementwise minimum, ignoring a NaN when one side has it."""
    return _pick_first("fmin", input, other, np.less_equal)


class Copysign(Op):
    """|a| with the sign bit of b; b gets PyTorch's zero gradient."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a)
        ctx.sign = np.where(np.signbit(b), a.dtype.type(-1), a.dtype.type(1))
        ctx.other_shape = b.shape
        return _binary(np.copysign, a, b)  # the sign bit of NaNs too

    @staticmethod
    def backward(ctx, g):
        ga = None
        if ctx.needs_input_grad[0]:  # PyTorch's result / self, 0 where self is 0 (NaN at inf)
            (a,) = ctx.saved_tensors
            ratio = where(const(a._data == 0), 0.0, a.abs() * const(ctx.sign) / a)
            ga = unbroadcast(g * ratio, a.shape)
        return ga, _zero_grad(ctx, g)


class Nextafter(Op):
    """The next float after a towards b: PyTorch passes the gradient to a where a != b,
    zero to b."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.shape, ctx.other_shape = a.shape, b.shape
        ctx.moved = np.not_equal(a, b)
        if a.dtype != np.float16:
            return _binary(np.nextafter, a, b)
        # numpy's half nextafter returns a, not b, where a == b (0 towards -0): b there, as C's
        out = np.nextafter(a, b, out=binary_result(a, b, a.dtype))  # (an array even when 0-d)
        np.copyto(out, np.broadcast_to(b, out.shape), where=~np.broadcast_to(ctx.moved, out.shape))
        return out

    @staticmethod
    def backward(ctx, g):
        ga = unbroadcast(g * const(ctx.moved), ctx.shape) if ctx.needs_input_grad[0] else None
        return ga, _zero_grad(ctx, g)


def _zero_grad(ctx, g):
    """The zero gradient of the second operand of a binary op, or None when not needed."""
    if not ctx.needs_input_grad[1]:
        return None
    return const(np.zeros_like(g._data, shape=ctx.other_shape))


def copysign(input, other) -> Tensor:
    """Mirrors ``torch.copysign``: |input| with the sign bit of ``other``."""
    require_tensors("copysign", input, input)  # other may be a number
    out = Copysign.apply(*_operands("copysign", input, other))
    return out if isinstance(other, Tensor) else name_node(out, "CopysignBackward1")


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """Mirrors ``torch.logaddexp``: log(exp(input) + exp(other)), computed stably."""
    require_tensors("logaddexp", input, other)
    return LogAddExp.apply(*float_operands("logaddexp", input, other))


def xlogy(input, other) -> Tensor:
    """Mirrors ``torch.xlogy``: input * log(other), 0 where input is 0."""
    return XLogY.apply(*_operands("xlogy", input, other))


class Lerp(Op):
    """start + weight (end - start), as PyTorch computes it: from ``end`` when |weight| is
    at least 0.5, so that weight 1 gives ``end`` exactly."""

    _saved_for = ((2,), (2,), (0, 1))  # start and end for weight's gradient, weight for theirs

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.shapes = (a.shape, b.shape)
        scalar = isinstance(w, float)  # a number weight gets no gradient: start, end unread
        ctx.save_for_backward(None if scalar else a, None if scalar else b, w)
        dtype = a.dtype
        if dtype in _dtypes.HALF_NP:  # PyTorch computes 16-bit floats in float32, rounds once
            a, b = a.astype(np.float32), b.astype(np.float32)
            w = w if isinstance(w, float) else w.astype(np.float32)
        return lerp_values(a, b, w).astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        a, b, w = ctx.saved_tensors
        na, nb, nw = ctx.needs_input_grad
        sa, sb = ctx.shapes
        ga = unbroadcast(g * (1.0 - w), sa) if na else None
        gb = unbroadcast(g * w, sb) if nb else None
        gw = unbroadcast(g * (b - a), w.shape) if nw else None
        return ga, gb, gw


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """Mirrors ``torch.lerp``: input + weight * (end - input); ``weight`` a number or a
    tensor of the same dtype."""
    if not isinstance(end, Tensor):
        from ..factories import _type_name  # noqa: PLC0415 (error path only)

        got = ", ".join(_type_name(x) for x in (input, end, weight))
        raise TypeError(
            f"lerp() received an invalid combination of arguments - got ({got}), but expected one of:"
        )
    dtype = input._data.dtype
    if isinstance(weight, Tensor) and weight._data.ndim == 0 and weight._data.dtype != dtype:
        # PyTorch takes a 0-d weight of any dtype: the three compute in their result type
        if end._data.dtype == dtype:
            input, weight = _promote(input, weight, False)
            dtype, end = input._data.dtype, end.to(input.dtype)
        weight = weight.to(input.dtype)
    tensors = (("end", end),) + ((("weight", weight),) if isinstance(weight, Tensor) else ())
    for what, t in tensors:
        if t._data.dtype != dtype:
            expected, got = (_dtypes.CPP_NAMES[d.name][0] for d in (dtype, t._data.dtype))
            raise RuntimeError(f"expected dtype {expected} for `{what}` but got dtype {got}")
    if dtype.kind not in "fV":
        kernel = "lerp_kernel_tensor" if len(tensors) > 1 else "lerp_kernel_scalar"
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
        )
    for _, t in tensors:
        err = broadcast_error("lerp", input, t)
        if err is not None:
            raise err
    if isinstance(weight, Tensor):
        return name_node(Lerp.apply(input, end, weight), "LerpBackward1")
    if dtype.itemsize <= 4:  # PyTorch's kernel takes the weight as a float for these
        check_float32_scalar(weight)
    return Lerp.apply(input, end, float(weight))


class Addc(Op):
    """input + value * tensor1 * tensor2 (``div``: / tensor2), PyTorch's one node over three
    floating tensors of one dtype, computed in ATen's order."""

    @staticmethod
    def forward(ctx, a, t1, t2, value, div):
        ctx.save_for_backward(t1, t2)
        ctx.args = (a.shape, value, div)
        dtype = a.dtype
        if dtype in _dtypes.HALF_NP:  # PyTorch computes 16-bit floats in float32, rounds once
            a, t1, t2 = a.astype(np.float32), t1.astype(np.float32), t2.astype(np.float32)
        scaled = t1 * value if value != 1 else t1
        # laid out as input (PyTorch keeps a channels_last input's strides); addcmul's
        # product and sum are one fused multiply-add in PyTorch's kernel
        out = _binary(np.add, a, scaled / t2) if div else fused_multiply_add(a, scaled, t2)
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        shape, value, div = ctx.args
        na, n1, n2, _, _ = ctx.needs_input_grad
        # PyTorch's formulas (derivatives.yaml), in their order of rounding
        ga = unbroadcast(g, shape) if na else None
        g1 = None
        if n1:  # C++'s value / tensor2 divides a tensor filled with value (in t2's dtype)
            factor = make_tensor(np.full_like(t2._data, value)) / t2 if div else t2 * value
            g1 = unbroadcast(g * factor, t1.shape)
        if not n2:
            return ga, g1, None, None, None
        g2 = -g * (value * t1 / (t2 * t2)) if div else g * (t1 * value)
        return ga, g1, unbroadcast(g2, t2.shape), None, None


def _fusable(input, tensor1, tensor2, value) -> bool:
    """Whether Addc computes it: three floating tensors of one dtype, a Python number."""
    dtype = input._data.dtype
    same = dtype.kind in "fV" and tensor1._data.dtype == dtype == tensor2._data.dtype
    return same and type(value) in (bool, int, float)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """Mirrors ``torch.addcmul``: input + value * tensor1 * tensor2."""
    require_tensors("addcmul", input, tensor1, tensor2, names=("input", "tensor1", "tensor2"))
    if not _fusable(input, tensor1, tensor2, value):
        _check_value("addcmul", value)
        input, tensor1, tensor2 = _in_result_type(input, tensor1, tensor2)
    if _fusable(input, tensor1, tensor2, value):  # (mixed floating dtypes: one rounding too)
        return name_node(Addc.apply(input, tensor1, tensor2, value, False), "AddcmulBackward0")
    if input._data.dtype == np.bool_:  # PyTorch's kernel has no bool loop (numpy's promotes)
        raise NotImplementedError(f"\"addcmul_{input.device.type}_out\" not implemented for 'Bool'")
    prod = tensor1 * tensor2
    if isinstance(value, float) and input._data.dtype.kind in "biu" and prod._data.dtype.kind in "biu":  # fmt: skip
        value = int(value)  # PyTorch casts value to the integer result type (2.5 -> 2)
    return name_node(input + (prod if value == 1 else prod * value), "AddcmulBackward0")


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """Mirrors ``torch.addcdiv``: input + value * tensor1 / tensor2."""
    require_tensors("addcdiv", input, tensor1, tensor2, names=("input", "tensor1", "tensor2"))
    if tensor1._data.dtype.kind not in "fV" and tensor2._data.dtype.kind not in "fV":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes."
        )
    if not _fusable(input, tensor1, tensor2, value):
        _check_value("addcdiv", value)
        input, tensor1, tensor2 = _in_result_type(input, tensor1, tensor2)
    if _fusable(input, tensor1, tensor2, value):
        return name_node(Addc.apply(input, tensor1, tensor2, value, True), "AddcdivBackward0")
    quot = tensor1 / tensor2
    return name_node(input + (quot if value == 1 else quot * value), "AddcdivBackward0")


def _in_result_type(*tensors: Tensor) -> tuple:
    """The tensors cast to PyTorch's result type of all of them (addcmul and addcdiv compute
    in it, not pairwise)."""
    dims = [t.dtype for t in tensors if t._data.ndim]
    rt = _dtypes.result_type(dims, [t.dtype for t in tensors if not t._data.ndim], [])
    return tuple(t if t.dtype is rt else t.to(rt) for t in tensors)


def _check_value(name: str, value) -> None:
    """PyTorch's parser reads ``value`` as a Number: a tensor only when 0-d and without
    gradient (a tensor requiring grad, or of more elements, is a TypeError)."""
    if isinstance(value, Tensor) and (value._data.ndim or value.requires_grad):
        raise TypeError(f"{name}(): argument 'value' must be Number, not Tensor")


lerp_ = inplace_method(lerp, None, "lerp")
addcmul_ = inplace_method(addcmul, None, "addcmul")
addcdiv_ = inplace_method(addcdiv, None, "addcdiv")
clamp_min_ = inplace_method(clamp_min, None, "clamp_min")
clamp_max_ = inplace_method(clamp_max, None, "clamp_max")
nan_to_num_ = inplace_method(nan_to_num, None, "nan_to_num")
