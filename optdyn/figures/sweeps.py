r"""Learning-rate and momentum sweeps of heavy ball under gradient noise, with theory regimes.

Heavy ball :math:`x_{t+1} = x_t - \mathrm{lr}\,(\lambda x_t + \xi_t) + \beta (x_t - x_{t-1})`
runs on a diagonal quadratic with eigenvalues in :math:`[\mu, L]` and additive gradient noise
:math:`\xi_t \sim N(0, \sigma^2 I)`, from :math:`x_0 = x_{-1} = \mathbf 1`, for ``steps`` steps.
Each sweep is one vectorised :func:`optdyn.simulate.run`; the measured mean final loss (over
seeds, 5-SE bars) and the diverged fraction are overlaid on the exact prediction of the
expected final loss and on the regime of every setting, both derived by :mod:`optdyn.theory`.

**Prediction** (exact for a linear method). Per mode the state :math:`s = (x, x_{\rm prev})`
follows :math:`s_{t+1} = M s_t + b\,\xi_t` (``ls.matrix``, ``ls.noise_input``). Its mean is
:math:`M^T s_0` and its covariance :math:`\Sigma_T = \sum_{k<T} M^k Q M^{k\top}`,
:math:`Q = \sigma^2 b b^\top`. With :math:`\Sigma_\infty` the Lyapunov solution
``ls.stationary_covariance`` (:math:`\Sigma_\infty = M \Sigma_\infty M^\top + Q`), the sum
telescopes: :math:`\Sigma_T = \Sigma_\infty - M^T \Sigma_\infty M^{T\top}` (an algebraic
identity, valid also where the mode is unstable, as long as the Lyapunov solution is finite).
So

.. math::
    \mathbb E f(x_T) = \sum_i \tfrac{\lambda_i}{2}\Big[
    \underbrace{(M_i^T s_0)_x^2}_{\text{transient}}
    + \underbrace{(\Sigma_{\infty,i} - M_i^T \Sigma_{\infty,i} M_i^{T\top})_{xx}}_{\text{noise}}
    \Big],

and the noise floor (dashed) is the stationary loss
:math:`\sum_i \lambda_i \operatorname{Var}_\infty(x_i)/2` (``ls.stationary_variance``, the
:math:`xx` entry of :math:`\Sigma_\infty`).

**Regimes** (all from theory).

* learning rate: *unstable* if a mode lies outside the Jury region (spectral radius
  :math:`\ge 1`); else *good* if the predicted loss is at most ``GOOD`` = 2 times the
  smallest predicted loss over stable lr; otherwise *too low* if the transient part exceeds
  the noise part at ``steps`` (the start is not forgotten within the step budget) and
  *too high* if the noise part dominates (the noise floor, amplified near the edge).
* momentum: *unstable* as above; else the damping of the slowest mode :math:`\lambda = \mu`
  against its critical momentum :math:`\beta_c` (a double root, ``od.theory.critical``):
  *over-damped* for :math:`\beta < \beta_c`, *under-damped* for :math:`\beta > \beta_c`,
  *critically damped* for the grid cell that contains :math:`\beta_c`. The critical momentum
  of the fastest mode is drawn as a dashed line.

With the default lr-sweep momentum 0, heavy ball is gd: the minimax rate-optimal lr of
``od.theory.optimal`` (:math:`2/(\mu+L)`) is marked; it sits close to the edge, where the noise
is amplified.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.special
import sympy as sp

from .. import simulate, theory
from ..methods.base import get as get_method
from ..simulate.ops import NUMPY_OPS
from .base import Figure, register

__all__ = ["Sweep", "Sweeps", "plot_sweeps", "sweeps_data", "sweeps_table"]

METHOD = "heavy_ball"
#: a stable lr is "good" if its predicted final loss is at most GOOD times the best one
GOOD = 2.0
#: a run is flagged diverged once |x_t - x*| > DIVERGENCE * max(|x_0 - x*|, 1) (the runner's)
DIVERGENCE = 1e10
#: theory decides "flagged" / "not flagged" where a seed does otherwise with probability at
#: most FLAG_RISK (Gaussian tail and Markov bounds on the exact moments of x_T, see _flagged)
FLAG_RISK = 1e-6


@dataclass(frozen=True)
class Sweep:
    """One sweep: a hyperparameter axis with theory and measurement at each setting."""

    param: str  # "lr" or "momentum"
    values: np.ndarray  # settings of the swept parameter
    fixed: dict  # the other hyperparameter
    regime: tuple  # theory regime per setting
    rho: np.ndarray  # largest spectral radius over the modes
    predicted: np.ndarray  # exact E f(x_T) (inf where it overflows)
    transient: np.ndarray  # its transient part
    floor: np.ndarray  # stationary loss (nan where unstable)
    measured: np.ndarray  # mean over seeds of f(x_T) (inf if a seed diverged)
    stderr: np.ndarray
    diverged: np.ndarray  # fraction of seeds flagged diverged
    flagged: np.ndarray  # theory: 1 flagged diverged, -1 not flagged, 0 undecided (the edge)
    line: np.ndarray  # fine grid of the parameter
    line_predicted: np.ndarray
    line_floor: np.ndarray
    marks: dict  # name -> value on the axis (edge, optimal lr, critical momenta)


@dataclass(frozen=True)
class Sweeps:
    """The lr sweep and the momentum sweep on one problem."""

    eigenvalues: np.ndarray
    sigma: float
    steps: int
    seeds: int
    lr: Sweep
    momentum: Sweep


def _lambdified(ls, exprs):
    names = [k for k in ls.symbols]
    return sp.lambdify([ls.symbols[k] for k in names], exprs.tolist(), "numpy"), names


def _moments(ls, x0: float, eigs: np.ndarray, steps: int, sigma: float, **hyper) -> dict:
    """Exact mean and variance of every coordinate of x_T, the stationary variance, rho.

    ``hyper`` arrays broadcast to the settings' shape ``S``; per-coordinate results have
    shape ``(*S, dim)``, ``rho`` (the largest spectral radius over the modes) shape ``S``.
    """
    lam = eigs.reshape((1,) * np.broadcast(*hyper.values()).ndim + (-1,))
    vals = {k: np.asarray(v, dtype=float)[..., None] for k, v in hyper.items()} | {"lam": lam}
    shape = np.broadcast_shapes(*(np.shape(v) for v in vals.values()))
    fm, names = _lambdified(ls, ls.matrix)
    fs, _ = _lambdified(ls, ls.stationary_covariance(sp.Float(sigma) ** 2))
    args = [vals[k] for k in names]

    def stack(f):
        with np.errstate(all="ignore"):
            rows = f(*args)
        return np.stack([np.stack([np.broadcast_to(np.asarray(e, dtype=float), shape)
                                   for e in row], -1) for row in rows], -2)  # fmt: skip

    m, s_inf = stack(fm), stack(fs)
    init = get_method(ls.method).init(np.asarray(x0, dtype=float), NUMPY_OPS)
    s0 = np.array([float(init[k]) for k in ls.states])
    with np.errstate(all="ignore"):
        mt = np.linalg.matrix_power(m, steps)
        mean = mt[..., 0, :] @ s0
        var = (s_inf - mt @ s_inf @ np.swapaxes(mt, -1, -2))[..., 0, 0]
        rho = np.max(ls.spectral_radius(**vals), axis=-1)
    return {"lam": lam, "mean": mean, "var": var, "var_inf": s_inf[..., 0, 0], "rho": rho}


def _losses(mo: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected final loss, its transient part (inf where they overflow), stationary loss."""
    lam = mo["lam"]
    with np.errstate(all="ignore"):
        transient = np.sum(lam / 2 * mo["mean"] ** 2, axis=-1)
        total = transient + np.sum(lam / 2 * mo["var"], axis=-1)
        floor = np.where(mo["rho"] < 1, np.sum(lam / 2 * mo["var_inf"], axis=-1), np.nan)
    bad = ~np.isfinite(total)
    return np.where(bad, np.inf, total), np.where(bad, np.inf, transient), floor


def _measure(r) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    final = r.final_loss  # (settings, seeds); inf for diverged runs
    mean = final.mean(axis=-1)
    with np.errstate(invalid="ignore"):
        se = final.std(axis=-1, ddof=1) / np.sqrt(final.shape[-1])
    return mean, np.where(np.isfinite(mean), se, np.nan), r.diverged.mean(axis=-1)


def _flagged(mo: dict, x0: float) -> np.ndarray:
    r"""Theory's divergence flag at step T: 1 flagged, -1 not flagged, 0 undecided (the edge).

    The runner flags a run iff :math:`\|x_T\| > \ell = ` ``DIVERGENCE`` :math:`\cdot
    \max(\|x_0\|, 1)` (recording at 0 and T only). The coordinates of :math:`x_T` are
    independent Gaussians :math:`N(\mu_i, s_i^2)` (a linear recursion driven by Gaussian
    noise), with exact moments. Not flagged if :math:`\mathbb E\|x_T\|^2 \le`
    ``FLAG_RISK`` :math:`\ell^2` (Markov); flagged if for some coordinate
    :math:`P(|x_{T,i}| \le \ell) \le \min\big(\Phi(-(|\mu_i| - \ell)/s_i),\
    2\ell/(\sqrt{2\pi}\,s_i)\big) \le` ``FLAG_RISK``, or where the moments overflow.
    """
    dim = mo["mean"].shape[-1]
    limit = DIVERGENCE * max(abs(x0) * np.sqrt(dim), 1.0)
    with np.errstate(all="ignore"):
        mu, sd = np.abs(mo["mean"]), np.sqrt(np.maximum(mo["var"], 0.0))
        second = np.sum(mu**2 + sd**2, axis=-1)
        overflow = ~np.isfinite(second)
        calm = ~overflow & (second <= FLAG_RISK * limit**2)
        tail = np.where(mu > limit, scipy.special.ndtr(-(mu - limit) / sd), 1.0)
        density = 2 * limit / (np.sqrt(2 * np.pi) * sd)
        wild = overflow | np.any(np.minimum(tail, density) <= FLAG_RISK, axis=-1)
    return np.where(calm, -1, np.where(wild, 1, 0))


def _edge(ls, param: str, L: float, **fixed) -> float:
    """The value of ``param`` at which the curvature threshold equals L (the Jury edge)."""
    thr = ls.curvature_threshold()
    sols = sp.solve(sp.Eq(thr.subs({ls.symbols[k]: v for k, v in fixed.items()}), L),
                    ls.symbols[param])  # fmt: skip
    return float(sols[0])


def _critical(lr: float, lam: float) -> float:
    """The critical momentum of the mode ``lam`` in [0, 1) (nan if none)."""
    sym = theory.linearize(METHOD).symbols["lam"]
    roots = [float(e.subs(sym, lam)) for e in theory.critical(METHOD, lr=lr)]
    ok = [c for c in roots if 0 <= c < 1]
    return min(ok) if ok else float("nan")


def _cells(values: np.ndarray, log: bool) -> np.ndarray:
    """Edges of the grid cells around ``values`` (midpoints, geometric on a log axis)."""
    v = np.log(values) if log else values
    mid = (v[1:] + v[:-1]) / 2
    edges = np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])
    return np.exp(edges) if log else edges


def _theory(ls, x0, eigs, steps, sigma, hyper) -> tuple:
    mo = _moments(ls, x0, eigs, steps, sigma, **hyper)
    return (*_losses(mo), mo["rho"], _flagged(mo, x0))


@lru_cache(maxsize=8)
def sweeps_data(mu: float = 1.0, L: float = 50.0, dim: int = 6, sigma: float = 0.1,
                lr_momentum: float = 0.0, momentum_lr: float = 0.05, *,
                quick: bool = False) -> Sweeps:  # fmt: skip
    """Sweep lr (at momentum ``lr_momentum``) and momentum (at lr ``momentum_lr``).

    Eigenvalues ``geomspace(mu, L, dim)``, noise ``AdditiveNoise(sigma)``, ``steps`` = 500,
    seed 0 (64 seeds and 25 settings per sweep; quick: 32 seeds, 13 settings). One
    vectorised run per sweep.
    """
    seeds, n, steps = (32, 13, 500) if quick else (64, 25, 500)
    eigs = np.geomspace(mu, L, dim)
    problem = simulate.DiagonalQuadratic(eigs)
    noise = simulate.AdditiveNoise(sigma=sigma)
    ls = theory.linearize(METHOD)
    x0 = 1.0  # the runner's default start x_star + 1
    args = (ls, x0, eigs, steps, sigma)

    def sweep(param, values, line, fixed, regime_of, marks):
        pred, trans, floor, rho, flag = _theory(*args, {param: values, **fixed})
        lpred, _, lfloor, lrho, _ = _theory(*args, {param: line, **fixed})
        regime = regime_of(values, pred, trans, rho, lpred, lrho)
        r = simulate.run(METHOD, problem, steps=steps, seeds=seeds, rng=0, noise=noise,
                         record_every=steps, **{param: values}, **fixed)  # fmt: skip
        mean, se, div = _measure(r)
        return Sweep(param, values, fixed, regime, rho, pred, trans, floor, mean, se, div, flag,
                     line, lpred, lfloor, marks(line, lpred, lrho))  # fmt: skip

    def lr_regimes(values, pred, trans, rho, lpred, lrho):
        best = np.min(np.where(lrho < 1, lpred, np.inf))
        with np.errstate(invalid="ignore"):  # inf - inf where the prediction overflows
            noise_part = pred - trans
        return tuple(
            "unstable" if r >= 1 else "good" if p <= GOOD * best
            else "too low" if t > q else "too high"
            for r, p, t, q in zip(rho, pred, trans, noise_part, strict=True)
        )  # fmt: skip

    def lr_marks(line, lpred, lrho):
        opt = theory.optimal(METHOD, mu=mu, L=L, tune=("lr",), momentum=lr_momentum,
                             closed_form=False).hyper["lr"]  # fmt: skip
        best = line[np.argmin(np.where(lrho < 1, lpred, np.inf))]
        return {"edge": _edge(ls, "lr", L, momentum=lr_momentum), "rate-optimal lr": float(opt),
                "best lr (theory)": float(best)}  # fmt: skip

    crit_slow, crit_fast = _critical(momentum_lr, mu), _critical(momentum_lr, L)

    def momentum_regimes(values, pred, trans, rho, lpred, lrho):
        cells = _cells(values, log=False)
        return tuple(
            "unstable" if r >= 1
            else "critically damped" if lo <= crit_slow < hi
            else "over-damped" if m < crit_slow else "under-damped"
            for r, m, lo, hi in zip(rho, values, cells[:-1], cells[1:], strict=True)
        )  # fmt: skip

    def momentum_marks(line, lpred, lrho):
        return {"edge": _edge(ls, "momentum", L, lr=momentum_lr),
                "critical (slowest mode)": crit_slow,
                "critical (fastest mode)": crit_fast}  # fmt: skip

    lr_sweep = sweep("lr", np.geomspace(1e-4, 1e-1, n), np.geomspace(1e-4, 1e-1, 400),
                     {"momentum": lr_momentum}, lr_regimes, lr_marks)  # fmt: skip
    mom_sweep = sweep("momentum", np.linspace(0.0, 0.99, n), np.linspace(0.0, 0.99, 400),
                      {"lr": momentum_lr}, momentum_regimes, momentum_marks)  # fmt: skip
    return Sweeps(eigs, sigma, steps, seeds, lr_sweep, mom_sweep)


def sweeps_table(data: Sweeps) -> str:
    """Both sweeps as a Markdown table: setting, regime, prediction, measurement, divergence."""
    lines = [
        "| sweep | lr | momentum | regime | spectral radius | predicted E f(x_T) "
        "| measured (± SE) | diverged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for sw in (data.lr, data.momentum):
        for i, val in enumerate(sw.values):
            hyper = {sw.param: val, **sw.fixed}
            pred = f"{sw.predicted[i]:.4g}" if np.isfinite(sw.predicted[i]) else "overflow"
            meas = (f"{sw.measured[i]:.4g} ± {sw.stderr[i]:.2g}" if np.isfinite(sw.measured[i])
                    else "diverged")  # fmt: skip
            lines.append(
                f"| {sw.param} | {hyper['lr']:.4g} | {hyper['momentum']:.4g} | {sw.regime[i]} "
                f"| {sw.rho[i]:.4f} | {pred} | {meas} | {sw.diverged[i]:.2f} |"
            )
    return "\n".join(lines)


REGIME_COLORS = {
    "unstable": "#f4a6a6",
    "too high": "#f9d49b",
    "good": "#b8e3b0",
    "too low": "#b9d3ee",
    "over-damped": "#b9d3ee",
    "critically damped": "#b8e3b0",
    "under-damped": "#f9d49b",
}


def _panel(ax, sw: Sweep, log_x: bool) -> None:
    cells = _cells(sw.values, log=log_x)
    seen = set()
    for i, reg in enumerate(sw.regime):
        ax.axvspan(cells[i], cells[i + 1], color=REGIME_COLORS[reg], lw=0,
                   label=reg if reg not in seen else None, zorder=0)  # fmt: skip
        seen.add(reg)
    finite = np.isfinite(sw.line_predicted) & (sw.line_predicted > 0)
    ax.plot(sw.line[finite], sw.line_predicted[finite], "k-", lw=1.5,
            label=r"theory $\mathbb{E} f(x_T)$", zorder=2)  # fmt: skip
    ax.plot(sw.line, sw.line_floor, "k--", lw=1, label="noise floor (Lyapunov)", zorder=2)
    ok = np.isfinite(sw.measured)
    lo = np.minimum(5 * sw.stderr[ok], 0.9 * sw.measured[ok])  # clip the bar on a log axis
    ax.errorbar(sw.values[ok], sw.measured[ok], yerr=[lo, 5 * sw.stderr[ok]], fmt="o", ms=4,
                color="C0", capsize=2, label="measured (5 SE)", zorder=3)  # fmt: skip
    top = np.nanmax(np.where(ok, sw.measured + 5 * np.nan_to_num(sw.stderr), np.nan))
    bottom = np.nanmin(np.where(ok, sw.measured, np.nan))
    ax.set_ylim(bottom / 3, top * 10)
    div = sw.diverged > 0
    if div.any():
        ax.plot(sw.values[div], np.full(div.sum(), top * 3), "x", color="C3", ms=7, mew=2,
                label="diverged (fraction > 0)", zorder=3)  # fmt: skip
    styles = {"edge": ("C3", "-"), "rate-optimal lr": ("C2", ":"),
              "best lr (theory)": ("k", ":"), "critical (slowest mode)": ("C4", "-"),
              "critical (fastest mode)": ("C4", "--")}  # fmt: skip
    for name, val in sw.marks.items():
        if np.isfinite(val):
            color, ls = styles[name]
            ax.axvline(val, color=color, ls=ls, lw=1.2, label=f"{name} = {val:.3g}", zorder=1)
            if name == "rate-optimal lr":  # next to the edge: a marker keeps it visible
                ax.plot(val, bottom / 2, "^", color=color, ms=8, clip_on=False, zorder=4)
    ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlim(cells[0], cells[-1])
    ax.set_xlabel(sw.param)
    ax.set_ylabel(r"final loss $f(x_T) - f^\star$")
    fixed = ", ".join(f"{k} = {v:g}" for k, v in sw.fixed.items())
    ax.set_title(f"{sw.param} sweep ({fixed})")
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)


def plot_sweeps(data: Sweeps, ax=None):
    """Two panels (lr, momentum): regimes as background bands, theory lines, measured points.

    ``ax``: a pair of axes, or None for a new figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(1, 2, figsize=(12, 5.6))
    fig = ax[0].figure
    _panel(ax[0], data.lr, log_x=True)
    _panel(ax[1], data.momentum, log_x=False)
    eig = data.eigenvalues
    fig.suptitle(f"{METHOD} on {eig.size} eigenvalues in [{eig[0]:g}, {eig[-1]:g}], "
                 f"sigma = {data.sigma:g}, {data.steps} steps, {data.seeds} seeds")  # fmt: skip
    fig.tight_layout()
    return fig


register(Figure(
    name="sweeps",
    title="Learning-rate and momentum sweeps with theory regimes",
    data=lambda quick=False: sweeps_data(quick=quick),
    plot=plot_sweeps,
    claims=("heavy_ball.threshold", "heavy_ball.critical", "heavy_ball.variance", "gd.optimal"),
))  # fmt: skip
