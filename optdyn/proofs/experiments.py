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
    "exact_points",
    "mode_run",
    "run_values",
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


def run_values(name: str, values: dict, shape: tuple[int, ...] = ()) -> dict:
    """:func:`optdyn.simulate.run` keywords from hyperparameter values and frozen statistics.

    Values named after a slow state of the method (Adam's ``v``) are held there
    with :func:`optdyn.simulate.freeze`, reshaped to ``(*shape, 1, 1)`` for a
    grid of that shape; the decay rates freezing sets replace given values.
    """
    m = get(name)
    stats = {k: v for k, v in values.items() if k in m.slow_states}
    hyper = {k: v for k, v in values.items() if k not in stats}
    if not stats:
        return hyper
    held = {k: np.reshape(np.broadcast_to(v, shape), (*shape, 1, 1)) if shape else v
            for k, v in stats.items()}  # fmt: skip
    extra = simulate.freeze(m, **held)
    return {**{k: v for k, v in hyper.items() if k not in extra}, **extra}


def mode_run(name: str, *, lam, steps: int, stats: dict | None = None, seeds: int = 1,
             rng=None, noise=None, record_every: int = 1, keep_iterates: bool = False,
             x0: float = 1.0, **values) -> simulate.Result:  # fmt: skip
    """Run ``name`` on single modes :math:`\\tfrac12\\lambda x^2` from ``x0`` (default 1).

    ``values`` are hyperparameters, floats or arrays of one shape ``(n,)`` (a
    grid). ``lam`` is a float; or an array of shape ``(n,)`` giving each grid
    point its own curvature, run as coordinate i of a diagonal quadratic started
    at ``x0 * e_i`` so that the other coordinates stay 0 (the distance of run i is
    then ``|x_i|``); or of shape ``(n, d)``, grid point i running on its block of
    ``d`` curvatures. Frozen statistics of an adaptive method, in ``stats`` or
    among ``values`` under the name of a slow state (Adam's ``v``), floats or
    ``(n,)`` arrays, are held with :func:`optdyn.simulate.freeze`. A small
    ``x0`` keeps the gradients, and so the drift of frozen statistics, small
    while a mode grows (the dynamics are linear).
    """
    m = get(name)
    lam = np.asarray(lam, dtype=float)
    values = {**values, **(stats or {})}
    shape = np.broadcast_shapes(
        *(np.shape(v) for k, v in values.items() if k not in m.slow_states), lam.shape[:1]
    )
    if len(shape) > 1 or lam.ndim > 2:
        raise ValueError(f"mode_run takes one grid axis; got shape {shape}")
    if lam.ndim and noise is not None:
        raise ValueError("mode_run: noise would reach the other grid points' coordinates; "
                         "use a float lam with noise")  # fmt: skip
    values = {k: np.broadcast_to(v, shape) if shape and not isinstance(v, bool)
              and k not in m.slow_states else v for k, v in values.items()}  # fmt: skip
    if lam.ndim == 0:
        problem, start = simulate.DiagonalQuadratic([float(lam)]), np.full(1, float(x0))
    else:
        blocks = np.broadcast_to(lam, shape)[:, None] if lam.ndim == 1 else lam
        n, d = blocks.shape
        problem = simulate.DiagonalQuadratic(blocks.ravel())
        start = float(x0) * np.kron(np.eye(n), np.ones(d))[:, None, :]
    return simulate.run(m, problem, steps=steps, seeds=seeds, rng=rng, noise=noise,
                        record_every=record_every, keep_iterates=keep_iterates,
                        x0=start, **run_values(m, values, shape))  # fmt: skip
