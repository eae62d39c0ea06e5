r"""Exact n-step worst case versus n at the minimax tuning, with PEPit's values where it solves.

For a linear method started from :math:`x_0` (and its own initialisation of the other
state), :math:`x_n - x^\star = p_n(H)(x_0 - x^\star)`, and the worst case over all
quadratics with spectrum in :math:`[\mu, L]` is

.. math:: W_n = \max_{\lambda \in [\mu, L]} p_n(\lambda)^2
          \quad (\text{``od.theory.worst_case``}),

attained by :math:`H = \lambda^\star I`. The figure draws :math:`W_n` for heavy ball and
Nesterov at their minimax tuning on :math:`[\mu, L]`, the asymptotic
:math:`\rho^{2n}` (:math:`\rho` the minimax rate), the simulated
:math:`x_n^2` on :math:`H = \lambda^\star_n I` from :math:`x_0 = 1`, and the value of the
performance-estimation problem (PEP) over PEPit's smooth strongly convex quadratic
functions, built by running the method's own ``step`` on PEPit's points.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from .. import methods, simulate, theory
from .base import Figure, register

__all__ = ["WorstCaseVsN", "plot_worst_case", "worst_case_data"]

METHODS = ("heavy_ball", "nesterov")

#: SCS at tight tolerances (as in tests/test_worst_case.py): the PEP optimum is then accurate
#: to a few times 1e-9 relative on these well-scaled problems.
SCS = {"solver": "SCS", "eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 1_000_000}


@dataclass(frozen=True)
class WorstCaseVsN:
    """Exact worst case, asymptotic rate, simulation at the maximiser and PEP values over n."""

    mu: float
    L: float
    n: np.ndarray  # horizons 1..N
    hyper: dict  # method -> minimax tuning
    rate: dict  # method -> minimax asymptotic rate
    exact: dict  # method -> W_n (od.theory.worst_case)
    argmax: dict  # method -> maximising curvature per n
    asymptotic: dict  # method -> rate^(2n)
    simulated: dict  # method -> x_n^2 simulated at lam = argmax, x_0 = 1
    pep_n: np.ndarray  # horizons at which a PEP was attempted
    pep: dict  # method -> PEP value per pep_n (nan where unresolved)
    pep_seconds: dict  # method -> build + solve time per pep_n
    pep_note: str  # why PEP values are missing ("" if none is)


class _PepResult(NamedTuple):
    value: float  # the dual value PEPit returns: a certified upper bound
    primal: float  # the performance metric at the worst-case Gram matrix found
    status: str  # the solver's status


class _PepOps:
    """The ``ops`` namespace of a step run on PEPit points: linear operations only."""

    @staticmethod
    def zeros_like(x):
        from PEPit.point import null_point

        return null_point

    @staticmethod
    def where(cond, a, b):
        if isinstance(cond, (bool, np.bool_)):
            return a if cond else b
        raise TypeError("a PEP step can only branch on hyperparameters (a Python bool)")

    def __getattr__(self, name: str):
        raise TypeError(f"ops.{name} is not a linear operation: no PEP for this step")


def _pep_worst_case(method, mu: float, L: float, steps: int, **hyper: Any) -> _PepResult:
    r"""PEPit's worst case of :math:`\lVert x_n - x^\star\rVert^2` over quadratics, any method.

    The PEP over PEPit's ``SmoothStronglyConvexQuadraticFunction`` class
    (:math:`\mu I \preceq H \preceq L I`, any dimension) with
    :math:`\lVert x_0 - x^\star\rVert^2 \le 1`, where the iterates come from running the
    method's own ``init`` and ``step`` on PEPit points: the gradient oracle is
    ``f.gradient``, scalars multiply points, and ``ops`` offers only the linear
    operations (``zeros_like`` is PEPit's null point, ``where`` on a bool). Any method
    whose step is linear in its state and its gradients works; solved by SCS at
    ``eps_abs = eps_rel = 1e-9``.

    Returns
    -------
    _PepResult
        ``value`` (PEPit's dual value, a certified upper bound on the worst case),
        ``primal`` (the metric at the worst-case Gram matrix found) and the solver ``status``.

    Raises
    ------
    ImportError
        If PEPit is not installed.
    ValueError
        For a method that is not linear (``Method.linear``).
    TypeError
        For a step that uses a nonlinear operation, or bad hyperparameters.
    """
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexQuadraticFunction

    m = methods.get(method)
    if not m.linear:
        raise ValueError(f"a PEP of the iterates needs a linear method; {m.name} is not linear")
    h = {k: (float(v) if isinstance(v, (float, np.floating)) else v)
         for k, v in m.resolve(**hyper).items()}  # fmt: skip
    ops = _PepOps()
    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexQuadraticFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    s = m.init(x0, ops, **h)
    for t in range(1, steps + 1):
        s = m.step(s, f.gradient, ops, t=t, **h)
    problem.set_performance_metric((s.x - xs) ** 2)
    value = problem.solve(verbose=0, **SCS)
    return _PepResult(float(value), float(problem.objective.eval()),
                      str(problem.wrapper.prob.status))  # fmt: skip


def _pep_values(hyper: dict, mu: float, L: float, pep_n: np.ndarray) -> tuple[dict, dict, str]:
    """PEP values per method and horizon; nan where PEPit is missing or its solver fails."""
    vals = {k: np.full(pep_n.size, np.nan) for k in hyper}
    secs = {k: np.full(pep_n.size, np.nan) for k in hyper}
    try:
        import PEPit  # noqa: F401
    except ImportError:
        return vals, secs, "PEPit not installed: no PEP points"
    notes = []
    for name, h in hyper.items():
        for i, n in enumerate(pep_n):
            t0 = time.perf_counter()
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    res = _pep_worst_case(name, mu, L, int(n), **h)
            except Exception as exc:  # an optional reference: a failure drops the point
                notes.append(f"{name} n={n}: {type(exc).__name__}")
                continue
            secs[name][i] = time.perf_counter() - t0
            if res.status != "optimal":
                notes.append(f"{name} n={n}: {res.status}")
            elif caught:  # e.g. an inaccurate solution: not a reference value
                notes.append(f"{name} n={n}: {caught[0].category.__name__}")
            else:
                vals[name][i] = res.value
    return vals, secs, ("PEP unresolved: " + ", ".join(notes)) if notes else ""


@lru_cache(maxsize=8)
def worst_case_data(mu: float = 0.01, L: float = 1.0, *, quick: bool = False) -> WorstCaseVsN:
    r"""W_n over n for heavy ball and Nesterov at their minimax tuning on [mu, L].

    Theory: the tuning and rate from ``od.theory.optimal(..., closed_form=False)``,
    :math:`W_n` and its maximiser :math:`\lambda^\star_n` from ``od.theory.worst_case``.
    Simulation: one run per method on the diagonal quadratic whose coordinates are the
    maximisers :math:`\lambda^\star_1, \dots, \lambda^\star_N`, from :math:`x_0 = 1`; the
    value at :math:`n` is :math:`x_n^2` of coordinate :math:`n`. PEP: ``_pep_worst_case``
    for :math:`n \le 5` (:math:`n \le 2` when ``quick``), if PEPit is installed, with
    the time to build and solve each in ``pep_seconds``. ``quick`` stops at n = 12.
    """
    n_max, pep_max = (12, 2) if quick else (30, 5)
    n = np.arange(1, n_max + 1)
    pep_n = np.arange(1, pep_max + 1)
    hyper, rate, exact, argmax, asym, sim = {}, {}, {}, {}, {}, {}
    for name in METHODS:
        tu = theory.optimal(name, mu=mu, L=L, closed_form=False)
        hyper[name], rate[name] = dict(tu.hyper), float(tu.rate)
        wcs = [theory.worst_case(name, mu=mu, L=L, steps=int(k), **tu.hyper) for k in n]
        exact[name] = np.array([w.value for w in wcs])
        argmax[name] = np.array([w.argmax_lam for w in wcs])
        asym[name] = rate[name] ** (2.0 * n)
        r = simulate.run(name, simulate.DiagonalQuadratic(argmax[name]), steps=n_max,
                         x0=np.ones(n_max), keep_iterates=True, **tu.hyper)  # fmt: skip
        sim[name] = r.iterates[0, n, n - 1] ** 2  # coordinate n - 1 (lam*_n) at step n
    pep, secs, note = _pep_values(hyper, mu, L, pep_n)
    return WorstCaseVsN(mu, L, n, hyper, rate, exact, argmax, asym, sim, pep_n, pep, secs, note)


def plot_worst_case(data: WorstCaseVsN, ax=None):
    """W_n as lines, rate^(2n) dashed, simulation at the maximiser as dots, PEP as squares."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(6, 4.4))
    ax = ax or fig.add_subplot()
    labelled = False
    for name, color in zip(METHODS, ("C1", "C2"), strict=True):
        h = ", ".join(f"{k} {v:.3g}" for k, v in data.hyper[name].items())
        ax.plot(data.n, data.exact[name], color=color, lw=1.8,
                label=f"{name} ({h}): exact $W_n$")  # fmt: skip
        ax.plot(data.n, data.asymptotic[name], color=color, ls="--", lw=1,
                label=rf"{name}: $\rho^{{2n}}$, $\rho$ = {data.rate[name]:.4f}")  # fmt: skip
        ax.plot(data.n, data.simulated[name], "o", color=color, ms=3.5,
                label=rf"{name}: simulated $x_n^2$ at $\lambda^\star_n$")  # fmt: skip
        ok = np.isfinite(data.pep[name])
        if ok.any():
            label = None if labelled else f"PEPit (SCS), n <= {data.pep_n[-1]}"
            ax.plot(data.pep_n[ok], data.pep[name][ok], "s", mfc="none", color="k", ms=8,
                    mew=1.0, label=label)  # fmt: skip
            labelled = True
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":")
    ax.annotate("initial distance", (data.n[-1], 1.0), fontsize=7, color="0.4", ha="right",
                va="bottom")  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel("steps $n$")
    ax.set_ylabel(r"$W_n = \max\ \|x_n - x^\star\|^2 / \|x_0 - x^\star\|^2$")
    title = (f"worst case over quadratics with spectrum in [{data.mu:g}, {data.L:g}], "
             "minimax tuning")  # fmt: skip
    if data.pep_note:
        title += f"\n{data.pep_note}"
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5, loc="lower left")
    return fig


register(Figure(
    name="worst_case",
    title="Exact n-step worst case versus n",
    data=lambda quick=False: worst_case_data(quick=quick),
    plot=plot_worst_case,
    claims=("heavy_ball.worst_case", "nesterov.worst_case", "heavy_ball.transient",
            "nesterov.transient"),
))  # fmt: skip
