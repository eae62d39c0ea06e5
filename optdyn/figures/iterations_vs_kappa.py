r"""Iterations to a tolerance versus the condition number :math:`\kappa = L/\mu`.

Left: gd, heavy ball and Nesterov at their minimax tuning on :math:`[1, \kappa]`. The
theory count is :math:`N(\kappa) = \lceil \log \mathrm{tol} / \log \rho^\star(\kappa) \rceil`
(``od.theory.iterations_to``) with the certified minimax rate :math:`\rho^\star`; the
simulated count is the worst over a spectrum of 16 curvatures spanning :math:`[1, \kappa]`.
Right: Adam and RMSProp on the same spectra, diagonal and rotated: on a diagonal quadratic
their iterates do not depend on the curvatures (up to ``eps``), rotated they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.linalg

from .. import simulate, theory
from .base import Figure, register

__all__ = ["IterationsVsKappa", "iterations_vs_kappa_data", "plot_iterations_vs_kappa"]

LINEAR = ("gd", "heavy_ball", "nesterov")
ADAPTIVE = ("adam", "rmsprop")
#: curvatures per spectrum: geomspace(1, kappa, DIM), both ends included
DIM = 16
#: the linear methods' tolerance: ||x_t - x*||_inf <= TOL ||x_0 - x*||_inf from then on
TOL = 1e-6
#: Adam and RMSProp: torch defaults except lr. At a constant lr RMSProp ends in an
#: oscillation of amplitude of order lr around x*, so their tolerance is far above lr.
LR_ADAPTIVE, TOL_ADAPTIVE = 0.01, 0.1


@dataclass(frozen=True)
class IterationsVsKappa:
    """Iteration counts over kappa: theory and simulation (linear), simulation (adaptive)."""

    kappa: np.ndarray
    tol: float
    hyper: dict  # linear method -> {name: array over kappa}, the minimax tuning
    rate: dict  # linear method -> minimax rate per kappa
    theory: dict  # linear method -> od.theory.iterations_to(tol, rate) per kappa
    bound: dict  # linear method -> derived upper bound on the worst count per kappa
    simulated: dict  # linear method -> measured worst count per kappa
    exponent: dict  # linear method -> exponent of the theory counts as kappa grows
    slope: dict  # linear method -> fitted log-log slope of the simulated counts
    lr_adaptive: float
    tol_adaptive: float
    max_steps: int
    diagonal: dict  # adaptive method -> count per kappa on the diagonal quadratic (nan: capped)
    rotated: dict  # adaptive method -> count per kappa on the rotated quadratic (nan: capped)


def _count(ratio: np.ndarray, tol: float) -> float:
    """Steps after which ``ratio`` stays <= tol: 1 + the last t with ratio_t > tol.

    ``ratio`` is recorded at t = 0..T; nan if it is still above tol at T (not reached).
    """
    above = np.flatnonzero(~(ratio <= tol))  # nan and inf count as above
    if above.size == 0:
        return 0.0
    return float("nan") if above[-1] == ratio.size - 1 else float(above[-1] + 1)


def _count_bound(name: str, mu: float, L: float, rate: float, hyper: dict, tol: float) -> int:
    r"""An upper bound on the iterations after which every mode in [mu, L] stays below tol.

    On one mode the method's state obeys :math:`s_t = M s_{t-1}`; the eigenvalues
    :math:`z_i` of :math:`M` have modulus at most :math:`\rho` (the rate over
    [mu, L]). With one state (gd) :math:`|x_n| \le \rho^n |x_0|`. With two
    (momentum), Cayley–Hamilton gives :math:`M^n = a_n M - z_1 z_2\, a_{n-1} I` with
    :math:`a_n = \sum_{k<n} z_1^k z_2^{n-1-k}`, :math:`|a_n| \le n \rho^{n-1}`; the first
    component of :math:`M^n s_0` is :math:`x_n = a_n x_1 - z_1 z_2\, a_{n-1} x_0` and
    :math:`|z_1 z_2| \le \rho^2`, so

    .. math:: |x_n| \le n \rho^{n-1} |x_1| + (n-1) \rho^n |x_0|, \qquad
              |x_1| \le \sqrt{W_1}\,|x_0|,

    :math:`W_1` the exact one-step worst case over [mu, L] (``od.theory.worst_case``).
    The bound :math:`b_n` falls for large n; the result is 1 + the last n with
    :math:`b_n > \mathrm{tol}`.
    """
    degree = theory.linearize(name).charpoly.degree()
    n_th = theory.iterations_to(tol, rate)
    n = np.arange(1, 20 * n_th + 100)
    with np.errstate(under="ignore"):
        if degree == 1:
            b = rate ** n.astype(float)
        elif degree == 2:
            x1 = math.sqrt(theory.worst_case(name, mu=mu, L=L, steps=1, **hyper).value)
            b = n * rate ** (n - 1.0) * x1 + (n - 1) * rate ** n.astype(float)
        else:
            raise ValueError(f"{name}: the bound needs one or two states per mode")
    above = np.flatnonzero(b > tol)
    return int(n[above[-1]] + 1) if above.size else 1


def _linear(name: str, kappa: np.ndarray) -> tuple:
    """Tuning, rate, theory count, bound and simulated worst count of ``name`` per kappa."""
    hyper, rate, th, bound, sim = [], [], [], [], []
    for k in kappa:
        tu = theory.optimal(name, mu=1.0, L=float(k), closed_form=False)
        hyper.append(dict(tu.hyper))
        rate.append(float(tu.rate))
        th.append(theory.iterations_to(TOL, tu.rate))
        bound.append(_count_bound(name, 1.0, float(k), tu.rate, tu.hyper, TOL))
        # one run per kappa (the spectra differ): x_0 = 1 in every coordinate, every step
        # kept; a horizon past the bound, after which no mode can rise above TOL again
        steps = int(1.1 * bound[-1]) + 10
        r = simulate.run(name, simulate.DiagonalQuadratic(np.geomspace(1.0, k, DIM)),
                         steps=steps, x0=np.ones(DIM), keep_iterates=True, **tu.hyper)  # fmt: skip
        worst = np.max(np.abs(r.iterates[0]), axis=-1)  # ||x_t||_inf, ||x_0||_inf = 1
        sim.append(np.nan if r.diverged[0] else _count(worst, TOL))
    hyper = {key: np.array([h[key] for h in hyper]) for key in hyper[0]}
    return hyper, np.array(rate), np.array(th), np.array(bound), np.array(sim)


def _adaptive(name: str, kappa: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts of ``name`` on the diagonal and the rotated spectra, per kappa (nan: capped).

    The spectra of all kappas are stacked into one quadratic (block diagonal for the
    rotated ones, each block ``Quadratic.from_eigenvalues(eigs, rotate=True, rng=0)``):
    Adam and RMSProp act coordinate by coordinate, so blocks do not interact and one run
    per quadratic gives every kappa.
    """
    eigs = [np.geomspace(1.0, k, DIM) for k in kappa]
    rot = [simulate.Quadratic.from_eigenvalues(e, rotate=True, rng=0).hessian for e in eigs]
    out = []
    for problem in (simulate.DiagonalQuadratic(np.concatenate(eigs)),
                    simulate.Quadratic(scipy.linalg.block_diag(*rot))):  # fmt: skip
        r = simulate.run(name, problem, steps=steps, x0=np.ones(DIM * kappa.size),
                         keep_iterates=True, lr=LR_ADAPTIVE)  # fmt: skip
        blocks = np.abs(r.iterates[0]).reshape(steps + 1, kappa.size, DIM)
        worst = np.max(blocks, axis=-1)  # ||x_t||_inf per kappa; ||x_0||_inf = 1
        out.append(np.array([_count(worst[:, i], TOL_ADAPTIVE) for i in range(kappa.size)]))
    return out[0], out[1]


@lru_cache(maxsize=4)
def iterations_vs_kappa_data(kappa_max: float = 1e4, n_kappa: int = 7, *,
                             quick: bool = False) -> IterationsVsKappa:  # fmt: skip
    r"""Iterations to tolerance over ``n_kappa`` log-spaced kappas in [10, kappa_max].

    Linear methods: the minimax tuning and rate on [1, kappa] from
    ``od.theory.optimal(..., closed_form=False)``; theory
    :math:`N = \lceil \log 10^{-6} / \log \rho^\star \rceil`; simulated: the steps after
    which :math:`\lVert x_t - x^\star\rVert_\infty \le 10^{-6} \lVert x_0 - x^\star\rVert_\infty`
    for good, on ``DiagonalQuadratic(geomspace(1, kappa, 16))`` from :math:`x_0 = 1`
    (each coordinate is one curvature: the worst over the spectrum). The exponent is the
    log-log slope of the unrounded theory counts :math:`\log \mathrm{tol} / \log\rho^\star`
    between the two largest kappas.

    Adaptive methods (lr = 0.01, other hyperparameters torch's defaults): the same
    criterion with tolerance 0.1, on the diagonal and on the rotated quadratic, capped at
    ``max_steps`` (nan when not reached). ``quick`` uses 4 kappas and 2000 steps.
    """
    kappa = np.geomspace(10.0, kappa_max, 4 if quick else n_kappa)
    max_steps = 2000 if quick else 5000
    hyper, rate, th, bound, sim, expo, slope = {}, {}, {}, {}, {}, {}, {}
    for name in LINEAR:
        hyper[name], rate[name], th[name], bound[name], sim[name] = _linear(name, kappa)
        cont = np.log(TOL) / np.log(rate[name])
        expo[name] = float(np.log(cont[-1] / cont[-2]) / np.log(kappa[-1] / kappa[-2]))
        ok = np.isfinite(sim[name])
        slope[name] = (float(np.polyfit(np.log(kappa[ok]), np.log(sim[name][ok]), 1)[0])
                       if ok.sum() >= 2 else float("nan"))  # fmt: skip
    diag, rot = {}, {}
    for name in ADAPTIVE:
        diag[name], rot[name] = _adaptive(name, kappa, max_steps)
    return IterationsVsKappa(kappa, TOL, hyper, rate, th, bound, sim, expo, slope, LR_ADAPTIVE,
                             TOL_ADAPTIVE, max_steps, diag, rot)  # fmt: skip


def plot_iterations_vs_kappa(data: IterationsVsKappa, ax=None):
    """Two panels (or the linear one only on a given ``ax``): counts over kappa, log-log.

    Linear methods: theory as lines, the band up to the derived bound shaded, simulation as
    dots. Adaptive methods: diagonal solid, rotated dashed; runs that hit the cap are drawn
    as open triangles on the cap line.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    else:
        fig, ax2 = ax.figure, None
    k = data.kappa
    for name, color in zip(LINEAR, ("C0", "C1", "C2"), strict=True):
        ax.plot(k, data.theory[name], color=color,
                label=f"{name}: theory, slope {data.exponent[name]:.2f}")  # fmt: skip
        ax.fill_between(k, data.theory[name], data.bound[name], color=color, alpha=0.15, lw=0)
        ax.plot(k, data.simulated[name], "o", color=color, ms=4,
                label=f"{name}: simulated, fitted slope {data.slope[name]:.2f}")  # fmt: skip
    ax.fill_between([], [], [], color="0.5", alpha=0.15, lw=0, label="theory to derived bound")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"condition number $\kappa = L/\mu$")
    ax.set_ylabel("iterations")
    tol = rf"10^{{{round(math.log10(data.tol))}}}"
    ax.set_title(rf"minimax tuning on $[1, \kappa]$: "
                 rf"$\|x_t - x^\star\|_\infty \leq {tol}\, \|x_0 - x^\star\|_\infty$",
                 fontsize=9)  # fmt: skip
    ax.legend(fontsize=7, loc="upper left")
    if ax2 is None:
        return fig
    cap = data.max_steps
    for name, color, size in zip(ADAPTIVE, ("C3", "C4"), (9, 5.5), strict=True):
        for counts, ls, where in ((data.diagonal[name], "-", "diagonal"),
                                  (data.rotated[name], "--", "rotated")):  # fmt: skip
            ok = np.isfinite(counts)
            ax2.plot(k[ok], counts[ok], ls, marker="o", color=color, ms=4,
                     label=f"{name}, {where}")  # fmt: skip
            if (~ok).any():
                ax2.plot(k[~ok], np.full((~ok).sum(), cap), "^", mfc="none", color=color, ms=size)
    ax2.axhline(cap, color="0.5", lw=0.8, ls=":")
    capped = any(np.isnan(c).any() for c in (*data.diagonal.values(), *data.rotated.values()))
    ax2.annotate(f"cap: {cap} steps", (k[-1], cap), fontsize=7, color="0.4", ha="right",
                 va="bottom", xytext=(0, 6), textcoords="offset points")  # fmt: skip
    if capped:
        ax2.plot([], [], "^", mfc="none", color="0.3", label=f"not reached in {cap} steps")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    low = np.nanmin([np.nanmin(c) for c in (*data.diagonal.values(), *data.rotated.values())])
    ax2.set_ylim(low / 1.5 if np.isfinite(low) else 1.0, 3 * cap)
    ax2.set_xlabel(r"condition number $\kappa = L/\mu$")
    ax2.set_ylabel("iterations")
    ax2.set_title(f"adam, rmsprop (lr {data.lr_adaptive:g}, torch defaults): "
                  rf"$\|x_t - x^\star\|_\infty \leq$ {data.tol_adaptive:g}",
                  fontsize=9)  # fmt: skip
    ax2.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


register(Figure(
    name="iterations_vs_kappa",
    title="Iterations to tolerance versus condition number",
    data=lambda quick=False: iterations_vs_kappa_data(quick=quick),
    plot=plot_iterations_vs_kappa,
    claims=("gd.kappa", "heavy_ball.kappa", "nesterov.kappa", "adaptive.scale_invariance"),
))  # fmt: skip
