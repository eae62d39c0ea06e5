r"""Measurements shared by the empirical checks: single-mode runs and what they show.

Every measurement runs a registered method with :func:`optdyn.simulate.run`;
adaptive methods run with their preconditioner frozen
(:func:`optdyn.simulate.freeze`), which is the setting their linearization
describes.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from .. import simulate
from ..methods.base import get
from ..theory import linearize
from ..theory.system import LinearSystem

__all__ = [
    "contraction",
    "exact_points",
    "mode_run",
    "sample_points",
    "system",
]


def system(name: str) -> LinearSystem:
    """The linearized system of ``name`` (frozen preconditioner for adaptive methods)."""
    return linearize(name)


def sample_points(name: str, n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` points of the typical hyperparameter ranges (and frozen statistics), float64."""
    return system(name).sample_points(n, seed=seed)


def exact_points(name: str, n: int, seed: int, denominator: int = 64) -> list[dict]:
    """``n`` points as exact Rationals: hyperparameters near the typical ranges.

    Frozen second moments are squares of rationals, so that ``sqrt(v)`` stays rational.
    """
    ls = system(name)
    pts = ls.sample_points(n, seed=seed)
    out = []
    for i in range(n):
        p = {}
        for k, arr in pts.items():
            x = float(arr[i])
            if k in ls.frozen and k != "g_avg":
                r = Fraction(np.sqrt(x)).limit_denominator(denominator)
                p[k] = sp.Rational(r.numerator, r.denominator) ** 2
            else:
                r = Fraction(x).limit_denominator(denominator * 1000)
                if r == 0 and x != 0:
                    r = Fraction(x)
                p[k] = sp.Rational(r.numerator, r.denominator)
        out.append(p)
    return out


def mode_run(name: str, *, lam, steps: int, stats: dict | None = None, seeds: int = 1,
             rng=None, noise=None, record_every: int = 1, keep_iterates: bool = False,
             x0: float = 1.0, **hyper) -> simulate.Result:  # fmt: skip
    """Run ``name`` on single modes :math:`\\tfrac12\\lambda x^2` from ``x0`` (default 1).

    ``hyper`` may hold arrays of one shape ``(n,)`` (a grid); ``lam`` is a
    float, or an array of shape ``(n,)`` giving each grid point its own
    curvature (run as coordinate i of a diagonal quadratic started at the
    unit vector e_i, so the other coordinates stay 0). ``stats`` holds the
    frozen statistics of an adaptive method (floats or ``(n,)`` arrays),
    frozen with :func:`optdyn.simulate.freeze`. The distance of run i is
    then ``|x_i|``. A small ``x0`` keeps the gradients, and so the drift of
    frozen statistics, small while a mode grows (the dynamics are linear).
    """
    m = get(name)
    shape = np.broadcast_shapes(*(np.shape(v) for v in hyper.values()), np.shape(lam))
    if len(shape) > 1:
        raise ValueError(f"mode_run takes one grid axis; got shape {shape}")
    hyper = {k: np.broadcast_to(v, shape) if shape and not isinstance(v, bool) else v
             for k, v in hyper.items()}  # fmt: skip
    extra = {}
    if stats:
        held = {k: np.reshape(np.broadcast_to(v, shape), (*shape, 1, 1)) if shape else v
                for k, v in stats.items()}  # fmt: skip
        extra = simulate.freeze(m, **held)
        # the decay rates of frozen statistics are set by freeze
        hyper = {k: v for k, v in hyper.items() if k not in extra}
    if np.ndim(lam) == 0:
        problem, start = simulate.DiagonalQuadratic([float(lam)]), np.full(1, float(x0))
    else:
        lam = np.broadcast_to(np.asarray(lam, dtype=float), shape)
        problem = simulate.DiagonalQuadratic(lam)
        start = float(x0) * np.eye(shape[0])[:, None, :]
    return simulate.run(m, problem, steps=steps, seeds=seeds, rng=rng, noise=noise,
                        record_every=record_every, keep_iterates=keep_iterates,
                        x0=start, **extra, **hyper)  # fmt: skip


def contraction(dist: np.ndarray, t0: int, t1: int) -> np.ndarray:
    r"""Per-step contraction :math:`(d_{t_1}/d_{t_0})^{1/(t_1-t_0)}` along the last axis."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (dist[..., t1] / dist[..., t0]) ** (1.0 / (t1 - t0))
