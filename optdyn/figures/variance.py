r"""Stationary variance versus momentum: Monte-Carlo over seeds against the Lyapunov prediction.

At equal lr and at equal effective lr :math:`\eta = \mathrm{lr}/(1-\beta)`, for heavy ball on
one mode with additive gradient noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from .. import simulate, theory
from .base import Figure, register

__all__ = ["VarianceVsMomentum", "plot_variance", "variance_data"]


@dataclass(frozen=True)
class VarianceVsMomentum:
    """Predicted and measured stationary variance of x over momentum, two tunings."""

    method: str
    lam: float
    sigma: float
    momentum: np.ndarray
    predicted: dict  # "equal lr" / "equal effective lr" -> array
    measured: dict
    stderr: dict
    seeds: int


@lru_cache(maxsize=8)
def variance_data(method: str = "heavy_ball", lam: float = 1.0, lr: float = 0.1,
                  sigma: float = 0.1, *, quick: bool = False) -> VarianceVsMomentum:  # fmt: skip
    """Var(x) at stationarity: ``ls.stationary_variance`` against the mean of x_T² over seeds.

    Equal lr keeps ``lr``; equal effective lr uses ``lr * (1 - momentum)``. Runs start at
    the minimum and are read after ``steps`` steps, many times the slowest mode's time
    constant (seed 0).
    """
    seeds, steps = (2000, 300) if quick else (20000, 600)
    mom = np.linspace(0.0, 0.9, 7 if quick else 10)
    ls = theory.linearize(method)
    var = sp.lambdify([ls.symbols["lr"], ls.symbols["momentum"], ls.lam],
                      ls.stationary_variance(sigma**2), "numpy")  # fmt: skip
    problem = simulate.DiagonalQuadratic([lam])
    noise = simulate.AdditiveNoise(sigma=sigma)
    pred, meas, se = {}, {}, {}
    for key, lrs in (("equal lr", np.full_like(mom, lr)), ("equal effective lr", lr * (1 - mom))):
        pred[key] = np.asarray(var(lrs, mom, lam), dtype=float)
        r = simulate.run(method, problem, steps=steps, seeds=seeds, rng=0, noise=noise,
                         x0=np.zeros(1), record_every=steps, lr=lrs, momentum=mom)  # fmt: skip
        sq = r.x[..., 0] ** 2
        meas[key] = sq.mean(axis=-1)
        se[key] = sq.std(axis=-1, ddof=1) / np.sqrt(seeds)
    return VarianceVsMomentum(method, lam, sigma, mom, pred, meas, se, seeds)


def plot_variance(data: VarianceVsMomentum, ax=None):
    """Lyapunov prediction as lines, Monte-Carlo means with 5-sigma error bars as points."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(5.2, 4))
    ax = ax or fig.add_subplot()
    for (key, pred), color in zip(data.predicted.items(), ("C0", "C3"), strict=True):
        ax.plot(data.momentum, pred, color=color, label=f"{key} (Lyapunov)")
        ax.errorbar(data.momentum, data.measured[key], yerr=5 * data.stderr[key], fmt="o",
                    color=color, ms=4, capsize=2)  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel("momentum")
    ax.set_ylabel(r"stationary Var$(x)$")
    ax.set_title(f"{data.method}: lam = {data.lam:g}, sigma = {data.sigma:g}, "
                 f"{data.seeds} seeds")  # fmt: skip
    ax.legend(fontsize=8)
    return fig


register(Figure(
    name="variance",
    title="Stationary variance versus momentum",
    data=lambda quick=False: variance_data(quick=quick),
    plot=plot_variance,
    claims=("heavy_ball.variance", "heavy_ball.variance_momentum"),
))  # fmt: skip
