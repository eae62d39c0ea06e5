r"""Stability maps: simulated final distance over (lr·lam, momentum), Jury boundary on top.

For frozen adaptive methods the horizontal axis is the preconditioned
curvature lr·lam/P with P = sqrt(v) + eps (v = 1 here) and the vertical one beta1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from .. import simulate, theory
from ..methods.base import get as get_method
from .base import Figure, register

__all__ = ["StabilityMap", "plot_stability_map", "stability_map_data"]


@dataclass(frozen=True)
class StabilityMap:
    """Simulated stability over a grid with the theory's boundary and critical-damping curve."""

    method: str
    y_name: str
    x: np.ndarray  # lr * lam / P
    y: np.ndarray  # the momentum parameter
    final: np.ndarray  # (ny, nx) median final |x|/|x0| over seeds (inf if diverged)
    stable: np.ndarray  # (ny, nx) theory: spectral radius < 1
    boundary: np.ndarray  # (ny,) edge of stability in x at each y
    critical: np.ndarray  # (nx,) critically damped y at each x (nan where none in range)
    agreement: float  # fraction of grid points where simulation agrees with theory
    steps: int
    seeds: int


# runs start at |x0| = X0, with gradient noise of relative size 1e-6: small, so that frozen
# statistics stay put while an unstable mode grows (the dynamics are scale-free)
X0, GROWTH = 1e-6, 1e3


@lru_cache(maxsize=16)
def stability_map_data(method: str = "heavy_ball", y_name: str = "momentum", *, nx: int = 60,
                       ny: int = 40, steps: int = 400, seeds: int = 4, x_max: float = 4.5,
                       quick: bool = False) -> StabilityMap:  # fmt: skip
    """Simulate ``method`` on one mode over (lr·lam/P, ``y_name``) and derive the boundary."""
    if quick:
        nx, ny, steps, seeds = 24, 16, 200, 2
    m = get_method(method)
    ls = theory.linearize(m)
    frozen = {k: 1.0 for k in ls.frozen}  # v = 1: P = 1 + eps
    eps = float(m.hyper["eps"].default) if "eps" in m.hyper else 0.0
    P = 1.0 + eps if frozen else 1.0
    x = np.linspace(x_max / nx, x_max, nx)
    y = np.linspace(0.0, 0.99, ny)
    lr = x * P  # lam = 1
    defaults = {k: d.default for k, d in m.hyper.items() if k not in ("lr", y_name)}
    g = simulate.grid(momentum_axis=y, lr=lr)
    hyper = {y_name: g["momentum_axis"], "lr": g["lr"]}
    extra = simulate.freeze(m, **frozen) if frozen else {}
    values = {k: v for k, v in defaults.items() if k in ls.symbols} | frozen
    defaults = {k: v for k, v in defaults.items() if k not in extra and v is not None}
    r = simulate.run(m, simulate.DiagonalQuadratic([1.0]), steps=steps, seeds=seeds, rng=0,
                     noise=simulate.AdditiveNoise(sigma=X0 * 1e-6), x0=np.full(1, X0), **extra,
                     **defaults, **hyper)  # fmt: skip
    # a run that grew past GROWTH * |x0| has diverged (afterwards its gradients would move
    # the frozen statistics of an adaptive method)
    grew = r.diverged | (np.max(r.dist, axis=-1) > GROWTH * X0)
    final = np.median(np.where(grew, np.inf, r.dist[..., -1] / X0), axis=-1)

    Y, X = np.meshgrid(y, x, indexing="ij")
    rho = ls.spectral_radius(lam=1.0, lr=X * P, **{y_name: Y}, **values)
    stable = rho < 1
    thr = ls.curvature_threshold()
    f = sp.lambdify([ls.symbols[k] for k in ls.symbols if k != "lam"], thr, "numpy")
    args = {k: values.get(k) for k in ls.symbols if k != "lam"}
    args["lr"] = 1.0
    args[y_name] = y
    boundary = np.broadcast_to(np.asarray(f(*args.values()), dtype=float) / P, y.shape).copy()
    crit = np.full(nx, np.nan)
    for expr in theory.critical(m, param=y_name):
        fc = sp.lambdify([ls.symbols[k] for k in ls.symbols if k != y_name], expr, "numpy")
        cargs = {k: values.get(k) for k in ls.symbols if k != y_name}
        cargs["lr"], cargs["lam"] = 1.0, x * P
        with np.errstate(all="ignore"):
            c = np.broadcast_to(np.asarray(fc(*cargs.values()), dtype=float), x.shape)
        ok = (c >= 0) & (c < 0.99) & np.isnan(crit)
        crit[ok] = c[ok]
    sim_stable = np.isfinite(final) & (final < 1.0)
    away = np.abs(rho - 1) > 0.02
    agreement = float(np.mean(sim_stable[away] == stable[away]))
    return StabilityMap(method, y_name, x, y, final, stable, boundary, crit, agreement,
                        steps, seeds)  # fmt: skip


def plot_stability_map(data: StabilityMap, ax=None):
    """Log final distance as colour, Jury boundary (solid) and critical damping (dashed)."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(5.2, 4))
    ax = ax or fig.add_subplot()
    with np.errstate(divide="ignore"):
        z = np.log10(np.clip(np.where(np.isfinite(data.final), data.final, 1e3), 1e-12, 1e3))
    mesh = ax.pcolormesh(data.x, data.y, z, shading="nearest", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=r"$\log_{10}$ final $|x - x^\star| / |x_0|$ (median)")
    ax.plot(data.boundary, data.y, "w-", lw=2, label="Jury boundary")
    ax.plot(data.x, data.critical, "r--", lw=1.5, label="critical damping")
    ax.set_xlim(data.x[0], data.x[-1])
    ax.set_ylim(data.y[0], data.y[-1])
    unit = r"\mathrm{lr}\,\lambda/P" if data.y_name == "beta1" else r"\mathrm{lr}\,\lambda"
    ax.set_xlabel(f"${unit}$")
    ax.set_ylabel(data.y_name)
    ax.set_title(f"{data.method}: agreement {100 * data.agreement:.1f}%")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _figure(method: str, y_name: str):
    def data(quick: bool = False):
        return stability_map_data(method, y_name, quick=quick)

    return data


for _m, _y in (("heavy_ball", "momentum"), ("nesterov", "momentum"), ("adam", "beta1")):
    register(Figure(
        name=f"stability_map_{_m}",
        title=f"Stability map of {_m}",
        data=_figure(_m, _y),
        plot=plot_stability_map,
        claims=(f"{_m}.region", f"{_m}.threshold"),
    ))  # fmt: skip
