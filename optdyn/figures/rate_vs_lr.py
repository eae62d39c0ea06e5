r"""Rate versus learning rate on a spectrum [mu, L]: theory as lines, measured rates as points."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import simulate, theory
from .base import Figure, register

__all__ = ["RateVsLr", "plot_rate_vs_lr", "rate_vs_lr_data"]

# runs start at |x0| = X0 so that growing runs are measured long before the divergence flag
X0 = 1e-30
METHODS = ("gd", "heavy_ball", "nesterov")


@dataclass(frozen=True)
class RateVsLr:
    """Theoretical and measured asymptotic rates over lr, per method."""

    mu: float
    L: float
    momentum: float
    lr_line: np.ndarray
    theory: dict  # method -> rate on lr_line
    lr_points: np.ndarray
    measured: dict  # method -> measured per-step contraction at lr_points
    predicted: dict  # method -> theory at lr_points


@lru_cache(maxsize=8)
def rate_vs_lr_data(mu: float = 1.0, L: float = 10.0, momentum: float = 0.5, *,
                    quick: bool = False) -> RateVsLr:  # fmt: skip
    """Rates of gd, heavy_ball and nesterov (at ``momentum``) over lr on [mu, L].

    Measured: :math:`(d_{t_1}/d_{t_0})^{1/(t_1-t_0)}` of one vectorised run per method on a
    diagonal quadratic with 8 eigenvalues spanning [mu, L] (the second half of the steps
    at which the distance is measurable in float64); theory: the largest spectral radius
    on a fine curvature grid.
    """
    n_line, n_pts, steps = (60, 8, 200) if quick else (300, 20, 600)
    lr_line = np.linspace(0.02, 4.2, n_line) / L
    lam = np.unique(np.concatenate([np.geomspace(mu, L, 400), np.linspace(mu, L, 400)]))
    lr_pts = np.linspace(0.1, 4.0, n_pts) / L
    problem = simulate.DiagonalQuadratic(np.geomspace(mu, L, 8))
    th, meas, pred = {}, {}, {}
    for name in METHODS:
        ls = theory.linearize(name)
        extra = {"momentum": momentum} if "momentum" in ls.symbols else {}
        th[name] = _rate(ls, lam, lr_line, extra)
        pred[name] = _rate(ls, lam, lr_pts, extra)
        r = simulate.run(name, problem, steps=steps, x0=np.full(8, X0), lr=lr_pts, **extra)
        meas[name] = np.array([_measured(d) for d in r.dist[:, 0]])
    return RateVsLr(mu, L, momentum, lr_line, th, lr_pts, meas, pred)


def _rate(ls, lam, lr, extra) -> np.ndarray:
    """max over the curvature grid of the spectral radius, for each lr (vectorised)."""
    return np.max(ls.spectral_radius(lam=lam[None, :], lr=lr[:, None], **extra), axis=1)


def _measured(d: np.ndarray) -> float:
    """Per-step contraction over the second half of the steps at which d is measurable."""
    ok = np.flatnonzero(np.isfinite(d) & (d > 1e-250) & (d < 1e250))
    t1 = int(ok[-1]) if ok.size else 0
    t0 = t1 // 2
    if t1 - t0 < 10:
        return float("nan")
    return float((d[t1] / d[t0]) ** (1.0 / (t1 - t0)))


def plot_rate_vs_lr(data: RateVsLr, ax=None):
    """Theory lines and measured points; the dashed line marks rate 1 (the edge)."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(5.2, 4))
    ax = ax or fig.add_subplot()
    for name, color in zip(METHODS, ("C0", "C1", "C2"), strict=True):
        ax.plot(data.lr_line * data.L, data.theory[name], color=color, label=f"{name} (theory)")
        ax.plot(data.lr_points * data.L, data.measured[name], "o", color=color, ms=4)
    ax.axhline(1.0, color="k", ls="--", lw=1)
    ax.set_ylim(0, 1.3)
    ax.set_xlabel(r"$\mathrm{lr}\cdot L$")
    ax.set_ylabel("rate per step")
    ax.set_title(f"rate over [{data.mu:g}, {data.L:g}], momentum {data.momentum:g}")
    ax.legend(fontsize=8)
    return fig


register(Figure(
    name="rate_vs_lr",
    title="Rate versus learning rate",
    data=lambda quick=False: rate_vs_lr_data(quick=quick),
    plot=plot_rate_vs_lr,
    claims=("gd.rate", "heavy_ball.rate", "nesterov.rate"),
))  # fmt: skip
