r"""Exact finite-horizon worst case of a linear method over quadratics with spectrum in [mu, L].

For a method whose step is linear in its state and in the gradient
(``Method.linear``), on the quadratic
:math:`f(x) = \tfrac12 (x - x^\star)^\top H (x - x^\star)` every eigen-direction
of :math:`H` evolves on its own. Started from :math:`x_0` with the method's own
initialisation of its other state (``Method.init``: heavy ball and Nesterov set
:math:`x_{-1} = x_0`, buffers start at zero), the error after :math:`n` steps is

.. math:: x_n - x^\star = p_n(H)\,(x_0 - x^\star),

where :math:`p_n` is a polynomial, the *residual polynomial* of the method
(:math:`p_n(0) = 1` for a consistent method). Expanding :math:`x_0 - x^\star`
in the eigenvectors of :math:`H` (eigenvalues :math:`\lambda_i`, weights
:math:`c_i` with :math:`\sum_i c_i^2 = 1`),

.. math:: \lVert x_n - x^\star\rVert^2 = \sum_i p_n(\lambda_i)^2 c_i^2
          \le \max_{\lambda \in [\mu, L]} p_n(\lambda)^2 ,

with equality for :math:`H = \lambda^\star I` (or any :math:`H` with
:math:`x_0 - x^\star` along an eigenvector of eigenvalue :math:`\lambda^\star`),
:math:`\lambda^\star` the maximiser. So the exact worst case over all
quadratics with spectrum in :math:`[\mu, L]`, in any dimension, and all
:math:`\lVert x_0 - x^\star\rVert = 1` is

.. math:: W_n(\mu, L) = \max_{\lambda \in [\mu, L]} p_n(\lambda)^2 .

This is the quantity a performance-estimation problem (PEP) over the class of
smooth strongly convex *quadratic* functions computes numerically (PEPit's
``SmoothStronglyConvexQuadraticFunction``); here it is computed from the
polynomial, with no solver and no accuracy floor.

How it is computed
------------------
1. :math:`p_n` is derived from the method's own ``step``, run on sympy for one
   coordinate with gradient oracle :math:`q \mapsto \lambda q` (``SYMPY_OPS``).
   The state starts at ``method.init(1)``; at step :math:`t` the step is run on
   one symbol per state variable, which gives its exact one-step map
   :math:`s_t = A_t(\lambda)\, s_{t-1}` (checked to be linear and homogeneous in
   the state, with coefficients polynomial in :math:`\lambda`; derived once, or
   at every :math:`t = 1, \dots, n` for a method that uses the step counter).
   The maps are applied as sympy polynomials over the integers with the
   common denominators kept aside, so that no rational normalisation (a gcd
   per coefficient per operation) happens before the end; hyperparameters are
   exact (``0.9`` is :math:`9/10`). This is the same polynomial as running the
   step :math:`n` times on polynomial states, 10 to 100 times faster at
   :math:`n = 200` with float hyperparameters.
2. :math:`p_n^2` is maximised over :math:`[\mu, L]`. An interior local
   maximum of :math:`p_n^2` is a root of :math:`(p_n^2)' = 2 p_n p_n'` where
   :math:`(p_n^2)'` changes sign from + to −; at a root of :math:`p_n`,
   :math:`p_n^2 = 0` is a minimum, so the candidates are the endpoints
   :math:`\mu, L` and the roots of :math:`p_n'` of odd multiplicity in
   :math:`(\mu, L)`. They are found with a certificate that none is missed:

   * first, the signs of :math:`p_n'` on a Chebyshev-clustered grid (8 points
     per degree); the sign changes bracket roots, and if they are as many as
     Descartes' bound on the number of roots in :math:`(\mu, L)` (the sign
     variations of :math:`(1 + y)^d p_n'((\mu + L y)/(1 + y))`), every root is
     simple and bracketed;
   * otherwise (close or multiple roots, e.g. Nesterov with ``lr = 1/L``,
     whose :math:`p_n'` has a root of high multiplicity at :math:`L`), the real
     roots are *isolated exactly* by sympy's ``Poly.intervals`` (disjoint
     rational intervals, each with one root and its multiplicity).

   Each bracketed root of odd multiplicity is refined by safeguarded Newton
   (bisection when Newton leaves the bracket) on :math:`u = \lambda / L \in [0, 1]`
   in fixed-point integer arithmetic with at least 128 fraction bits, where
   Horner's rule errs by at most 2 (degree + 1) units of the last place whatever
   the size of the coefficients (so every sign used is certain), down to
   :math:`2^{-96} L`. Then :math:`p_n` is evaluated **exactly** (rational
   arithmetic) at the endpoints and at every refined point, and the float
   returned is the correctly rounded square of the largest of these exact
   values. Every candidate lies in :math:`[\mu, L]`, so the value is never above
   the true maximum; it is below it only by :math:`\tfrac12 |(p_n^2)''|\,\delta^2`
   with :math:`\delta \lesssim 2^{-96} L`, far below double precision.

Transient growth
----------------
:math:`W_n` need not decrease with :math:`n`, and can exceed 1 for small
:math:`n` even when the method is asymptotically stable on all of
:math:`[\mu, L]`: heavy ball with Polyak's tuned hyperparameters on
:math:`[0.01, 1]` has :math:`W_1 = (1 - \mathrm{lr}\,L)^2 \approx 5.3`, since its
iteration matrix is far from normal: its eigenvalues have modulus
:math:`\sqrt{\mathrm{momentum}} \approx 0.82` for every :math:`\lambda` in the
interval, yet the first steps overshoot (:math:`W_n` peaks near 13.7 at
:math:`n = 4` and only then decays). This is a property of the method, reported as it is, not an
error: ``WorstCase.value > 1`` is flagged in its printout.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from ..methods.base import Method, State, get
from ..methods.domains import Boolean
from ._exact import exact_real
from .ops import SYMPY_OPS

__all__ = ["WorstCase", "worst_case"]

#: The curvature of one eigen-direction (the same symbol as ``linearize`` uses).
LAM = sp.Symbol("lam", positive=True)

#: Fraction bits of the fixed-point arithmetic that refines the roots of p'
#: (more are added for a residual that is small at both ends of the interval).
_GUARD_BITS = 128
#: Refined roots are located to ``2^-_LOCATE_BITS L``.
_LOCATE_BITS = 96


# --------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class WorstCase:
    r"""The exact worst case of :math:`\lVert x_n - x^\star\rVert^2` over a spectrum.

    Returned by :func:`worst_case`.

    Attributes
    ----------
    method : str
        Name of the method.
    mu, L : float
        The spectrum :math:`[\mu, L]` (as given; computed with their exact
        decimal values).
    steps : int
        The horizon :math:`n`.
    hyper : Mapping[str, float | bool]
        The hyperparameters, defaults filled in (read-only).
    value : float
        :math:`W_n = \max_{\lambda\in[\mu, L]} p_n(\lambda)^2`, the worst case of
        :math:`\lVert x_n - x^\star\rVert^2` for :math:`\lVert x_0 - x^\star\rVert = 1`
        (correctly rounded from an exact evaluation). May exceed 1 (transient
        growth).
    argmax_lam : float
        A maximiser :math:`\lambda^\star` (the smallest one if several attain the
        maximum): the quadratic :math:`H = \lambda^\star I` attains the worst case.
    residual : sympy.Poly
        The residual polynomial :math:`p_n(\lambda)` over the rationals, in ``lam``.
    """

    method: str
    mu: float
    L: float
    steps: int
    hyper: Mapping[str, Any]
    value: float
    argmax_lam: float
    residual: sp.Poly = field(repr=False)

    @property
    def rate_per_step(self) -> float:
        r"""The worst-case contraction of the distance per step, :math:`W_n^{1/(2n)}`."""
        return self.value ** (1.0 / (2 * self.steps))

    @property
    def transient_growth(self) -> bool:
        """True if the worst case exceeds the initial distance (``value > 1``)."""
        return self.value > 1.0

    def __hash__(self) -> int:
        return hash((self.method, self.mu, self.L, self.steps, tuple(self.hyper.items()),
                     self.value))  # fmt: skip

    def _hyper_str(self) -> str:
        return ", ".join(f"{k}={v:g}" if not isinstance(v, bool) else f"{k}={v}"
                         for k, v in self.hyper.items())  # fmt: skip

    def __str__(self) -> str:
        n = self.steps
        lines = [
            f"worst case of {self.method}({self._hyper_str()}) after {n} step"
            f"{'s' if n != 1 else ''}, over quadratics with spectrum in [{self.mu:g}, {self.L:g}]:",
            f"  max ‖x_{n} − x*‖² / ‖x_0 − x*‖² = {self.value:.12g}"
            f"  at lam = {self.argmax_lam:.12g}",
            f"  rate per step (value^(1/{2 * n})) = {self.rate_per_step:.12g}",
        ]
        if self.transient_growth:
            lines.append("  transient growth: the worst case exceeds the initial distance")
        return "\n".join(lines)

    def latex(self) -> str:
        """The worst case as a LaTeX equation."""
        n = self.steps
        return (
            rf"\max_{{\lambda \in [{self.mu:g}, {self.L:g}]}} p_{{{n}}}(\lambda)^2 = "
            rf"{self.value:.12g}, \quad \lambda^\star = {self.argmax_lam:.12g}"
        )

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


# --------------------------------------------------------------------------- input
def _exact_hyper(m: Method, hyper: dict) -> tuple:
    """The validated hyperparameters as exact values, ``(name, value)`` in canonical order."""
    resolved = m.resolve(**hyper)
    exact = {}
    for key, dom in m.hyper.items():
        val = resolved[key]
        if isinstance(val, np.ndarray):
            raise TypeError(
                f"{key} must be a scalar for worst_case (one hyperparameter point); got an array"
            )
        if isinstance(dom, Boolean):
            exact[key] = val
        else:
            exact[key] = exact_real(key, hyper[key] if key in hyper else val)
    return tuple(exact.items())


# --------------------------------------------------------------------------- the polynomial
def _qq_poly(m: Method, what: str, expr) -> sp.Poly:
    try:
        return sp.Poly(expr, LAM, domain=sp.QQ)
    except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed) as exc:
        raise ValueError(
            f"{m.name}: {what} is not a polynomial in lam with rational coefficients ({expr}); "
            "is the method really linear?"
        ) from exc


def _step_map(m: Method, names: tuple, h: dict, t: int) -> tuple[list[list[sp.Poly]], int]:
    r"""The exact one-step map at step ``t``: ``(A, D)`` with :math:`s_{t} = (A / D)\, s_{t-1}`.

    The method's ``step`` is run on one symbol per state variable with the
    gradient oracle :math:`q \mapsto \lambda q`; each new state must be linear and
    homogeneous in the old one, with coefficients polynomial in :math:`\lambda`.
    ``A`` holds those coefficients times their common denominator ``D``, over ZZ.
    """
    syms = [sp.Dummy(k) for k in names]
    out = m.step(State(**dict(zip(names, syms, strict=True))), lambda q: LAM * q, SYMPY_OPS,
                 t=t, **h)  # fmt: skip
    rows = []
    for k in names:
        e = sp.expand(sp.sympify(out[k]))
        coeffs = [sp.expand(e.diff(v)) for v in syms]
        if any(c.has(*syms) for c in coeffs) or sp.expand(e - sum(
                c * v for c, v in zip(coeffs, syms, strict=True))) != 0:  # fmt: skip
            raise ValueError(
                f"{m.name}: state {k!r} after step {t} is not linear in the state ({e}); "
                "is the method really linear?"
            )
        rows.append([_qq_poly(m, f"state {k!r} after step {t}", c) for c in coeffs])
    den = math.lcm(*(int(c.q) for row in rows for a in row for c in a.coeffs()))
    return [[(a * den).set_domain(sp.ZZ) for a in row] for row in rows], den


@lru_cache(maxsize=256)
def _residual(m: Method, steps: int, hyper: tuple) -> sp.Poly:
    r"""The residual polynomial :math:`p_n`: :math:`x_n` for :math:`x_0 = 1` at curvature ``lam``.

    The state starts at ``m.init(1)``; step ``t`` applies its exact one-step map
    (:func:`_step_map`, derived once, or at every ``t`` for a method that uses
    the step counter). The product is formed over the integers with the
    denominators kept aside, so that no rational arithmetic (a gcd per
    coefficient per operation) is needed until the end.
    """
    h = dict(hyper)
    s0 = m.init(sp.Integer(1), SYMPY_OPS, **h)
    names = tuple(s0)
    # x_n = p_n(lam) x_0 needs every state to start proportional to x_0
    s2 = m.init(sp.Integer(2), SYMPY_OPS, **h)
    for k in names:
        v = sp.sympify(s0[k])
        if not v.is_Rational or sp.sympify(s2[k]) != 2 * v:
            raise ValueError(
                f"{m.name}: its initial state {k!r} is not a rational multiple of x_0, so x_n is "
                "not p_n(H) x_0 and the worst case is not a polynomial maximum"
            )
    den = math.lcm(*(int(sp.sympify(s0[k]).q) for k in names))
    vec = [sp.Poly(sp.sympify(s0[k]) * den, LAM, domain=sp.ZZ) for k in names]
    zero = sp.Poly(0, LAM, domain=sp.ZZ)
    a, d = None, 1
    for t in range(1, steps + 1):
        if a is None or m.uses_step_counter:
            a, d = _step_map(m, names, h, t)
        vec = [sum((aij * vj for aij, vj in zip(row, vec, strict=True)), zero) for row in a]
        den *= d
    return vec[0].set_domain(sp.QQ) * sp.Rational(1, den)


# --------------------------------------------------------------------------- the maximum
def _integer_coeffs(p: sp.Poly) -> tuple[list[int], int]:
    """Integer coefficients (highest degree first) and a common denominator of ``p``."""
    coeffs = [sp.Rational(c) for c in p.all_coeffs()]
    den = math.lcm(*(int(c.q) for c in coeffs))
    return [int(c.p) * (den // int(c.q)) for c in coeffs], den


def _exact_eval(coeffs: list[int], den: int, x: Fraction) -> Fraction:
    """``p(x)`` exactly, for ``p = coeffs / den`` (homogenised Horner on integers)."""
    num_x, den_x = x.numerator, x.denominator
    acc, power = coeffs[0], 1
    for c in coeffs[1:]:
        power *= den_x
        acc = acc * num_x + c * power
    return Fraction(acc, den * den_x ** (len(coeffs) - 1))


class _FixedPoint:
    r""":math:`q'(u)`, :math:`q(u) = p(L u)`, in fixed point on :math:`u \in [0, 1]`.

    Numbers are integers scaled by :math:`2^\mathrm{prec}`. On :math:`[0, 1]`
    Horner's rule with truncating shifts errs by at most one unit per step, and
    rounding the coefficients by half a unit each, so a value is off by less than
    ``noise`` = 2 (degree + 1) units whatever the size of the coefficients: its
    sign is certain when it exceeds ``noise``.
    """

    def __init__(self, coeffs: list[int], den: int, L: Fraction, prec: int) -> None:
        d = len(coeffs) - 1
        self.prec, self.L, self.noise = prec, L, 2 * (d + 1)
        self.coef = []
        for i, c in enumerate(coeffs[:-1]):
            k = d - i  # the power of this term of p
            num, dd = k * c * L.numerator**k << prec, den * L.denominator**k
            self.coef.append((2 * num + dd) // (2 * dd))  # rounded to nearest

    def fixed(self, lam: Fraction, *, up: bool) -> int:
        """``lam / L`` scaled by 2^prec, rounded up or down."""
        r = lam / self.L
        num = r.numerator << self.prec
        return -(-num // r.denominator) if up else num // r.denominator

    def lam(self, x: int) -> Fraction:
        """The curvature at fixed-point ``x``, rounded to ``2^-_LOCATE_BITS L``."""
        shift = max(self.prec - _LOCATE_BITS, 0)
        return self.L * Fraction(x >> shift, 1 << (self.prec - shift))

    def eval(self, x: int) -> tuple[int, int]:
        """``(q'(u), q''(u))`` at ``u = x / 2^prec``, scaled by 2^prec."""
        f, df = self.coef[0], 0
        for c in self.coef[1:]:
            df = ((df * x) >> self.prec) + f
            f = ((f * x) >> self.prec) + c
        return f, df

    def root(self, lo: int, hi: int, f_lo: int) -> int:
        """A root in (lo, hi), across which q' changes sign once: safeguarded Newton.

        Newton's step is taken when it stays inside the bracket, bisection
        otherwise; it stops once q' is within the rounding noise or the root is
        located to ``2^-_LOCATE_BITS``.
        """
        prec = self.prec
        tol = 1 << max(prec - _LOCATE_BITS, 0)
        x = (lo + hi) // 2
        for _ in range(4 * prec):
            f, df = self.eval(x)
            if abs(f) <= self.noise:
                return x
            if (f > 0) == (f_lo > 0):
                lo = x
            else:
                hi = x
            x_new = x - (f << prec) // df if df else lo
            if not lo < x_new < hi:
                x_new = (lo + hi) // 2
            if abs(x_new - x) <= tol or hi - lo <= tol:
                return x_new
            x = x_new
        return x  # pragma: no cover - bisection alone meets the tolerance within prec steps


def _descartes_bound(dp: sp.Poly, mu: Fraction, L: Fraction) -> int:
    r"""Sign variations bounding the number of roots of ``dp`` in the open (mu, L).

    Descartes' rule applied to :math:`g(y) = (1 + y)^d\, p'\big((\mu + L y)/(1 + y)\big)`,
    whose positive roots are the roots of :math:`p'` in :math:`(\mu, L)`: their
    number, with multiplicity, is at most the sign variations of its coefficients.
    """
    _, dz = dp.clear_denoms(convert=True)
    num = sp.Poly([L.numerator * mu.denominator, mu.numerator * L.denominator], LAM, domain=sp.ZZ)
    den = sp.Poly([mu.denominator * L.denominator] * 2, LAM, domain=sp.ZZ)
    signs = [c > 0 for c in dz.transform(num, den).all_coeffs() if c != 0]
    return sum(a != b for a, b in itertools.pairwise(signs))


def _roots_sampled(fp: _FixedPoint, dp: sp.Poly, mu: Fraction, L: Fraction) -> list | None:
    """Roots of p' in (mu, L) from sign changes on a Chebyshev grid, or None if not certified.

    The grid has 8 points per degree, clustered towards the ends like the
    extrema of a Chebyshev polynomial, and leaves out the ends themselves (p'
    often vanishes there, e.g. at L when lr = 1/L). The result is certified when
    every sample has a sure sign and the brackets found are as many as Descartes'
    bound on the roots in the open interval: then every root is simple and
    bracketed. Otherwise None (the caller isolates the roots exactly).
    """
    bound = _descartes_bound(dp, mu, L)
    if bound == 0:
        return []
    lo, hi = fp.fixed(mu, up=True), fp.fixed(L, up=False)
    n = max(64, 8 * dp.degree())
    xs = sorted({lo + (((hi - lo) * round((1 - math.cos(math.pi * i / n)) / 2 * 2**53)) >> 53)
                 for i in range(1, n)})  # fmt: skip
    fs = []
    for x in xs:
        f, _ = fp.eval(x)
        if abs(f) <= fp.noise:
            return None
        fs.append(f)
    brackets = [i for i in range(len(xs) - 1) if (fs[i] > 0) != (fs[i + 1] > 0)]
    if len(brackets) != bound:
        return None
    return [fp.lam(fp.root(xs[i], xs[i + 1], fs[i])) for i in brackets]


def _roots_isolated(fp: _FixedPoint, dp: sp.Poly, mu: Fraction, L: Fraction) -> list:
    """Roots of odd multiplicity of p' in (mu, L), isolated exactly by sympy, then refined."""
    out = []
    for (a, b), mult in dp.intervals(inf=mu, sup=L):
        if mult % 2 == 0:
            continue  # p' keeps its sign: p is monotone there, no extremum
        a, b = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
        if a == b:  # an exact rational root
            out.append(a)
            continue
        lo, hi = fp.fixed(a, up=True), fp.fixed(b, up=False)
        (f_lo, _), (f_hi, _) = fp.eval(lo), fp.eval(hi)
        if abs(f_lo) <= fp.noise or abs(f_hi) <= fp.noise:  # (practically) at an end
            out.append(fp.lam(lo if abs(f_lo) <= abs(f_hi) else hi))
        else:
            out.append(fp.lam(fp.root(lo, hi, f_lo)))
    return out


def _maximise(p: sp.Poly, mu: sp.Rational, L: sp.Rational, *, isolate: bool = False):
    """``(max p², argmax)`` over [mu, L] as Fractions, exact at a maximiser located to 2^-96 L.

    ``isolate=True`` skips the sampled search and isolates the roots of p' exactly.
    """
    mu, L = Fraction(int(mu.p), int(mu.q)), Fraction(int(L.p), int(L.q))
    coeffs, den = _integer_coeffs(p)
    ends = [(_exact_eval(coeffs, den, x), x) for x in ((mu, L) if mu != L else (mu,))]
    inner: list[tuple[Fraction, Fraction]] = []
    dp = p.diff(LAM)
    if mu != L and not dp.is_zero:
        # more fraction bits when p is small at both ends (a tiny worst case)
        scale = max(abs(v) for v, _ in ends)
        small = scale.denominator.bit_length() - scale.numerator.bit_length() if scale else 0
        prec = _GUARD_BITS + len(coeffs).bit_length() + min(2 * max(small, 0), 8192)
        fp = _FixedPoint(coeffs, den, L, prec)
        roots = None if isolate else _roots_sampled(fp, dp, mu, L)
        if roots is None:
            roots = _roots_isolated(fp, dp, mu, L)
        inner = [(_exact_eval(coeffs, den, x), x) for x in roots if mu < x < L]
    # in increasing lam: max() keeps the first of equal values, the smallest maximiser
    cands = [ends[0], *sorted(inner, key=lambda c: c[1]), *ends[1:]]
    best, arg = max(cands, key=lambda c: c[0] * c[0])
    return best * best, arg


@lru_cache(maxsize=512)
def _worst_case(m: Method, mu: sp.Rational, L: sp.Rational, steps: int, hyper: tuple) -> WorstCase:
    p = _residual(m, steps, hyper)
    value, arg = _maximise(p, mu, L)
    return WorstCase(
        method=m.name,
        mu=float(mu),
        L=float(L),
        steps=steps,
        hyper=MappingProxyType({k: v if isinstance(v, bool) else float(v) for k, v in hyper}),
        value=float(value),
        argmax_lam=float(arg),
        residual=p,
    )


# --------------------------------------------------------------------------- public
def worst_case(method: str | Method, *, mu, L, steps: int, **hyper) -> WorstCase:
    r"""Exact worst case of ‖x_n − x*‖² over quadratics with spectrum in [mu, L].

    .. math:: W_n(\mu, L) = \sup_{\substack{H = H^\top,\ \mathrm{spec}(H) \subset [\mu, L] \\
              \lVert x_0 - x^\star\rVert = 1}} \lVert x_n - x^\star\rVert^2
              = \max_{\lambda \in [\mu, L]} p_n(\lambda)^2,

    for :math:`f(x) = \tfrac12 (x - x^\star)^\top H (x - x^\star)` in any
    dimension, no gradient noise, and the method's own initialisation of its
    other state from :math:`x_0` (``method.init``; e.g. :math:`x_{-1} = x_0`
    for heavy ball and Nesterov). :math:`p_n` is the residual polynomial,
    :math:`x_n - x^\star = p_n(H)(x_0 - x^\star)`, derived exactly from the
    method's ``step``; see the module docstring for how the maximum is made
    exact (no solver, no accuracy floor).

    The worst case may exceed 1 for small ``steps`` even when the method is
    asymptotically stable (transient growth, e.g. tuned heavy ball); that is
    reported, not rejected.

    Parameters
    ----------
    method : str or Method
        A method with ``linear = True`` (``gd``, ``heavy_ball``, ``nesterov``,
        ``sgd_momentum``, ``ema_momentum``).
    mu, L : float
        The spectrum bounds, :math:`0 \le \mu \le L`, :math:`L > 0`; ints,
        Fractions and sympy Rationals are exact, a float is taken as the decimal
        it prints as (``0.1`` is :math:`1/10`).
    steps : int
        The horizon :math:`n \ge 1`.
    **hyper
        Hyperparameters of the method (scalars; floats made exact like ``mu``).

    Returns
    -------
    WorstCase
        ``value`` (:math:`W_n`), ``argmax_lam``, ``residual`` (:math:`p_n`),
        ``rate_per_step`` (:math:`W_n^{1/(2n)}`). Results are cached on the exact
        arguments (``worst_case.cache_clear()`` empties the cache).

    Raises
    ------
    ValueError
        For a method that is not linear, ``mu < 0``, ``L <= 0``, ``mu > L``,
        ``steps < 1``, a non-finite value, or a hyperparameter outside its domain.
    TypeError
        For an argument of the wrong type, or an unknown, missing or array-valued
        hyperparameter.

    Examples
    --------
    >>> import optdyn as od
    >>> wc = od.theory.worst_case("gd", mu=0.1, L=1.0, steps=3, lr=1.0)
    >>> wc.value, wc.argmax_lam  # (1 - lr·mu)^(2n) at lam = mu
    (0.531441, 0.1)
    """
    m = get(method)
    if not m.linear:
        raise ValueError(
            f"the exact worst case is implemented for linear methods (x_n = p_n(H) x_0 on a "
            f"quadratic); {m.name} is not linear"
        )
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"steps must be an integer >= 1; got {type(steps).__name__}")
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be an integer >= 1; got {steps}")
    mu_q = exact_real("mu", mu)
    L_q = exact_real("L", L)
    if mu_q < 0:
        raise ValueError(f"mu must be >= 0 (a convex quadratic); got mu={float(mu_q)!r}")
    if L_q <= 0:
        raise ValueError(f"L must be > 0; got L={float(L_q)!r}")
    if mu_q > L_q:
        raise ValueError(f"mu must be <= L; got mu={float(mu_q)!r} > L={float(L_q)!r}")
    return _worst_case(m, mu_q, L_q, steps, _exact_hyper(m, hyper))


def _cache_clear() -> None:
    """Empty the caches of :func:`worst_case` (results and residual polynomials)."""
    _worst_case.cache_clear()
    _residual.cache_clear()


worst_case.cache_clear = _cache_clear  # type: ignore[attr-defined]
worst_case.cache_info = _worst_case.cache_info  # type: ignore[attr-defined]
