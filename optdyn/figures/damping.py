r"""Damping regimes of heavy ball on one mode: over-, critically and underdamped.

Heavy ball :math:`x_{t+1} = x_t - \mathrm{lr}\,\lambda x_t + \beta (x_t - x_{t-1})`, started
from rest (:math:`x_{-1} = x_0`), at three momenta: half the critical value, the critical value
(the double root of :math:`z^2 - (1 + \beta - \mathrm{lr}\,\lambda) z + \beta`, from
``od.theory.critical``) and one above it. The theory is the closed-form solution of the mode,
:math:`x_t = \sum_k p_k(t)\, z_k^t` over the roots :math:`z_k` of the iteration matrix (Jordan
form: :math:`p_k` has degree one at a double root), whose envelope decays by the spectral
radius :math:`\rho` per step, and whose zero crossings, for a complex pair
:math:`z = r e^{\pm i\theta}`, are half a period :math:`\pi/\theta` apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from .. import simulate, theory
from ..theory import SYMPY_OPS
from .base import Figure, register

__all__ = ["Damping", "ModalSolution", "damping_data", "modal_solution", "plot_damping"]

# digits for evaluating closed forms: near-double roots (numeric tunings) have coefficients
# of size 1/|z_1 - z_2| that cancel, which float64 would not resolve
_DPS = 50
REGIMES = ("overdamped", "critical", "underdamped")


@dataclass(frozen=True)
class ModalSolution:
    r"""The closed-form iterate of one mode: :math:`x_t = \sum_k p_k(t)\, z_k^t`, :math:`t \ge 0`.

    Attributes
    ----------
    roots : tuple of mpmath.mpc
        The eigenvalues :math:`z_k` of the iteration matrix, one per Jordan block.
    coeffs : tuple of tuple of mpmath.mpc
        :math:`p_k(t) = \sum_j` ``coeffs[k][j]`` :math:`t^j` (degree = block size - 1).
    """

    roots: tuple
    coeffs: tuple

    def _terms(self, t: int) -> list:
        return [mpmath.polyval(list(reversed(c)), t) * z**t
                for z, c in zip(self.roots, self.coeffs, strict=True)]  # fmt: skip

    def __call__(self, t) -> np.ndarray:
        """:math:`x_t` at the integer steps ``t`` (float64)."""
        with mpmath.workdps(_DPS):
            return np.array([float(mpmath.re(mpmath.fsum(self._terms(int(s))))) for s in t])

    def envelope(self, t) -> np.ndarray:
        r""":math:`\sum_k |p_k(t)|\,|z_k|^t \ge |x_t|`; for a complex pair :math:`2|c|\,r^t`."""
        with mpmath.workdps(_DPS):
            return np.array([float(mpmath.fsum(abs(v) for v in self._terms(int(s)))) for s in t])

    @property
    def real_positive(self) -> bool:
        """Whether every root is real and positive."""
        return all(abs(mpmath.im(z)) == 0 and mpmath.re(z) > 0 for z in self.roots)


def _exact(v) -> sp.Expr:
    """A value as an exact sympy number (a float becomes the decimal it prints as)."""
    return v if isinstance(v, sp.Basic) else sp.Rational(str(v))


def modal_solution(ls: theory.LinearSystem, x0=1, **values) -> ModalSolution:
    r"""The closed-form iterate of a mode of ``ls`` started at ``x0`` by the method's ``init``.

    With the Jordan form :math:`M = P J P^{-1}` of the iteration matrix at ``values`` (exact)
    and :math:`w = P^{-1} s_0`, :math:`s_0` the method's initial state at ``x0`` (heavy ball:
    :math:`x_{-1} = x_0`), the first state component is

    .. math:: x_t = \sum_{\text{blocks } (z, i, k)} \sum_{0 \le a \le b < k}
              P_{0, i+a}\, w_{i+b} \binom{t}{b-a} z^{t-(b-a)} .

    Parameters
    ----------
    ls : LinearSystem
        An exactly linear system (``ls.exact``).
    x0 : number
        The starting point of the mode.
    **values
        A value for every free symbol of ``ls`` (``lam`` included); floats are read as the
        decimals they print as.
    """
    if not ls.exact:
        raise ValueError(f"{ls.method.name}: a closed form needs exactly linear dynamics")
    missing = [k for k in ls.symbols if k not in values]
    if missing:
        raise ValueError(f"modal_solution needs values for {', '.join(missing)}")
    subs = {ls.symbols[k]: _exact(v) for k, v in values.items() if k in ls.symbols}
    M = ls.matrix.subs(subs)
    m = ls.method
    hyper = {k: subs.get(ls.symbols.get(k), ls.fixed.get(k)) for k in m.hyper}
    s = m.init(_exact(x0), SYMPY_OPS, **{k: v for k, v in hyper.items() if v is not None})
    s0 = sp.Matrix([s[k] for k in ls.states])
    P, J = M.jordan_form()
    w = P.LUsolve(s0)
    t = sp.Symbol("t")
    roots, coeffs = [], []
    i, n = 0, J.rows
    with mpmath.workdps(_DPS):
        while i < n:
            k = 1
            while i + k < n and J[i + k - 1, i + k] == 1:
                k += 1
            z = J[i, i]
            p = sum(P[0, i + a] * w[i + b] * sp.binomial(t, b - a).expand(func=True)
                    * z ** (a - b) for a in range(k) for b in range(a, k))  # fmt: skip
            poly = sp.Poly(sp.expand(p), t)
            roots.append(mpmath.mpmathify(sp.N(z, _DPS)))
            coeffs.append(tuple(mpmath.mpmathify(sp.N(c, _DPS))
                                for c in reversed(poly.all_coeffs())))  # fmt: skip
            i += k
    return ModalSolution(tuple(roots), tuple(coeffs))


@dataclass(frozen=True)
class Damping:
    """Heavy ball on one mode at three momenta: simulation, closed form and modes."""

    lam: float
    lr: float
    x0: float
    critical: float  # the critical momentum (od.theory.critical)
    critical_expr: str  # the smaller root of the discriminant in lr and lam (LaTeX)
    momentum: np.ndarray  # (3,): below, at, above the critical value
    t: np.ndarray  # (steps + 1,)
    x: np.ndarray  # (3, steps + 1) simulated iterates
    loss: np.ndarray  # (3, steps + 1) simulated f(x_t)
    x_theory: np.ndarray  # (3, steps + 1) closed form
    envelope: np.ndarray  # (3, steps + 1) closed-form envelope of |x_t|
    modal: tuple  # ModalSolution per momentum
    rho: np.ndarray  # (3,) spectral radius (ls.spectral_radius)
    period: np.ndarray  # (3,) od.theory.modes period (inf: real positive roots)
    crossings_theory: np.ndarray  # predicted zero crossings of the underdamped run
    crossings: tuple  # measured (interpolated) zero crossings per run
    measured_period: np.ndarray  # (3,) 2 (last - first crossing) / (crossings - 1)
    period_tol: np.ndarray  # (3,) 4 / (crossings - 1) steps
    measured_rate: np.ndarray  # (3,) per-step envelope decay measured on x_t
    rate_estimator: tuple  # per run: "hankel" (oscillating) or "ratio" (no sign change)
    window: tuple  # (t0, t1) of the "ratio" estimator


def _crossings(x: np.ndarray) -> np.ndarray:
    """Zero crossings of a sampled sequence, linearly interpolated between samples."""
    c = np.flatnonzero(x[:-1] * x[1:] < 0)
    return c + x[c] / (x[c] - x[c + 1])


def _envelope_rate(x: np.ndarray, t0: int, t1: int) -> tuple[float, str]:
    r"""Per-step decay of the envelope of ``x``.

    Oscillating (two or more sign changes): the Hankel determinant
    :math:`x_t x_{t+2} - x_{t+1}^2 = -|2c|^2 r^{2t+2} \sin^2\theta` of a complex pair decays by
    exactly :math:`r^2` per step, read between its first and last values. Otherwise
    :math:`|x_{t_1}/x_{t_0}|^{1/(t_1 - t_0)}`.
    """
    if np.count_nonzero(x[:-1] * x[1:] < 0) >= 2:
        hk = x[:-2] * x[2:] - x[1:-1] ** 2
        a, b = 0, hk.size - 1
        return float((abs(hk[b]) / abs(hk[a])) ** (1 / (2 * (b - a)))), "hankel"
    return float(abs(x[t1] / x[t0]) ** (1 / (t1 - t0))), "ratio"


@lru_cache(maxsize=8)
def damping_data(lr: float = 0.1, lam: float = 1.0, above: float = 0.9, *,
                 quick: bool = False) -> Damping:  # fmt: skip
    r"""Heavy ball from rest at momentum critical/2, critical and ``above``.

    Theory: the critical momentum is the root in [0, 1) of the discriminant
    (``od.theory.critical``), the spectral radius ``ls.spectral_radius``, the period
    ``od.theory.modes``, the iterate :func:`modal_solution`. Simulation: one vectorised
    ``od.simulate.run`` over the three momenta, from :math:`x_0 = 1`.
    """
    steps = 80 if quick else 100
    x0 = 1.0
    ls = theory.linearize("heavy_ball")
    names = {ls.lam: r"\lambda", ls.symbols["lr"]: r"\mathrm{lr}"}
    general = sp.latex(theory.critical("heavy_ball")[0], symbol_names=names)
    exprs = theory.critical("heavy_ball", lr=_exact(lr))
    at = {ls.lam: _exact(lam)}
    crit = [sp.nsimplify(e.subs(at)) for e in exprs]
    crit = [c for c in crit if 0 <= float(c) < 1]
    if len(crit) != 1:
        raise ValueError(f"no unique critical momentum in [0, 1) at lr = {lr}, lam = {lam}")
    (crit,) = crit
    moms = (crit / 2, crit, _exact(above))
    if not float(crit) < above < 1:
        raise ValueError(f"above must be in ({float(crit):.4g}, 1); got {above}")
    mom = np.array([float(b) for b in moms])

    r = simulate.run("heavy_ball", simulate.DiagonalQuadratic([lam]), steps=steps,
                     x0=np.full(1, x0), keep_iterates=True, lr=lr, momentum=mom)  # fmt: skip
    x, loss, t = r.iterates[:, 0, :, 0], r.loss[:, 0], r.t

    rho = np.asarray(ls.spectral_radius(lam=lam, lr=lr, momentum=mom), dtype=float)
    period = np.array([min(m["period"] for m in theory.modes(ls, lam=lam, lr=lr, momentum=b))
                       for b in mom])  # fmt: skip
    modal = tuple(modal_solution(ls, x0, lam=lam, lr=lr, momentum=b) for b in moms)
    x_th = np.array([sol(t) for sol in modal])
    env = np.array([sol.envelope(t) for sol in modal])

    # predicted zero crossings of the underdamped run: x_t = 2|c| r^t cos(theta t + phi), with
    # phi = arg c of the root with positive angle, and theta = 2 pi / period
    sol = modal[2]
    k = max(range(len(sol.roots)), key=lambda i: float(mpmath.im(sol.roots[i])))
    phi = float(mpmath.arg(sol.coeffs[k][0]))
    theta = 2 * math.pi / period[2]
    first = ((math.pi / 2 - phi) % math.pi) / theta
    cross_th = first + np.arange(0, steps) * period[2] / 2
    cross_th = cross_th[cross_th <= steps]

    window = (steps // 2, steps)
    crossings = tuple(_crossings(xi) for xi in x)
    n_c = np.array([c.size for c in crossings])
    meas_T = np.array([2 * (c[-1] - c[0]) / (c.size - 1) if c.size >= 2 else np.nan
                       for c in crossings])  # fmt: skip
    tol_T = np.where(n_c >= 2, 4.0 / np.maximum(n_c - 1, 1), np.nan)
    rates = [_envelope_rate(xi, *window) for xi in x]
    return Damping(
        lam, lr, x0, float(crit), general, mom, t, x, loss, x_th, env,
        modal, rho, period, cross_th, crossings, meas_T, tol_T,
        np.array([v for v, _ in rates]), tuple(e for _, e in rates), window,
    )  # fmt: skip


def plot_damping(data: Damping, ax=None):
    """Loss curves with the theory envelope (left); iterates with predicted crossings (right).

    Given ``ax``, a pair of axes (or one axis: then only the loss panel is drawn).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    else:
        axes = np.atleast_1d(ax)
        fig = axes[0].figure
    colors = ("C0", "C2", "C3")
    names = (r"$\beta_c/2$", r"$\beta_c$", "above")
    a = axes[0]
    for i, c in enumerate(colors):
        a.semilogy(data.t, data.loss[i], ".-", color=c, ms=3, lw=0.8,
                   label=f"{names[i]} = {data.momentum[i]:.3f} ({REGIMES[i]}): "
                   rf"$\rho$ = {data.rho[i]:.4f} / {data.measured_rate[i]:.4f}")  # fmt: skip
        a.semilogy(data.t, 0.5 * data.lam * data.envelope[i] ** 2, "--", color=c, lw=1.2)
    a.plot([], [], "k--", lw=1.2, label=r"theory envelope $\frac{\lambda}{2}(\sum_k|p_k(t)|"
           r"|z_k|^t)^2 \propto \rho^{2t}$")  # fmt: skip
    a.set_xlabel("step $t$")
    a.set_ylabel(r"$f(x_t) = \frac{\lambda}{2} x_t^2$")
    a.set_ylim(max(np.min(data.loss[data.loss > 0]), 1e-40) * 1e-5, 2 * data.loss[:, 0].max())
    a.set_title(rf"heavy ball, $\lambda$ = {data.lam:g}, lr = {data.lr:g}: "
                rf"$\beta_c = {data.critical_expr}$ = {data.critical:.4f}",
                fontsize=10)  # fmt: skip
    t0, t1 = data.window
    a.legend(fontsize=7, loc="lower left", title_fontsize=7,
             title=r"momentum: $\rho$ theory / measured" "\n(oscillating: Hankel "
             f"determinant, else $|x_{{{t1}}}/x_{{{t0}}}|^{{1/{t1 - t0}}}$)")  # fmt: skip
    if len(axes) < 2:
        return fig
    b = axes[1]
    for i, c in enumerate(colors):
        b.plot(data.t, data.x_theory[i], "-", color=c, lw=1, alpha=0.8)
        b.plot(data.t, data.x[i], "o", color=c, ms=2.5,
               label=f"{REGIMES[i]}: {data.crossings[i].size} sign changes")  # fmt: skip
    b.plot(data.t, data.envelope[2], "--", color=colors[2], lw=1)
    b.plot(data.t, -data.envelope[2], "--", color=colors[2], lw=1)
    b.plot([], [], "k-", lw=1, label="closed form $\\sum_k p_k(t) z_k^t$ (theory)")
    b.axhline(0, color="k", lw=0.5)
    for tc in data.crossings_theory:
        b.axvline(tc, color=colors[2], lw=0.6, ls=":", alpha=0.7)
    b.plot([], [], ":", color=colors[2], label="predicted zero crossings (period / 2 apart)")
    b.text(0.98, 0.97, f"period: {data.period[2]:.3f} steps (od.theory.modes)\n"
           f"measured: {data.measured_period[2]:.3f} $\\pm$ {data.period_tol[2]:.2f} "
           f"({data.crossings[2].size} crossings)", transform=b.transAxes, ha="right",
           va="top", fontsize=8, bbox={"fc": "white", "ec": "0.7"})  # fmt: skip
    b.set_xlabel("step $t$")
    b.set_ylabel("$x_t$")
    b.set_title(f"iterate from rest ($x_{{-1}} = x_0$ = {data.x0:g})", fontsize=10)
    b.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


register(Figure(
    name="damping",
    title="Damping regimes of heavy ball",
    data=lambda quick=False: damping_data(quick=quick),
    plot=plot_damping,
    claims=("heavy_ball.critical", "heavy_ball.loss_oscillation", "heavy_ball.first_mode"),
))  # fmt: skip
