r"""Adam's bias correction: the ratio of the uncorrected to the corrected step versus t.

Adam (torch form) steps

.. math::
    \Delta_t = \frac{\mathrm{lr}}{1-\beta_1^t}\,
               \frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon},

with the raw moments :math:`m_t, v_t` (:math:`m_0 = v_0 = 0`). Without the correction the
step would be :math:`\mathrm{lr}\, m_t/(\sqrt{v_t} + \epsilon)`: the same step with its
counter at :math:`t \to \infty`, where :math:`1 - \beta^t = 1`.

**Theory.** Adam's registered ``step`` runs on sympy symbols (the theory layer's ops) from a
symbolic state :math:`(x, m, v)`, once with a symbolic counter :math:`t` and once with a
counter :math:`T \to \infty` (every power :math:`\beta^T` set to 0). Both steps update the
moments alike, so their ratio at :math:`\epsilon \to 0` is the ratio of the gains on the same
:math:`m_t, v_t`; it depends on :math:`\beta_1, \beta_2, t` only (no formula is typed in).

**Simulation.** Two :func:`optdyn.simulate.run` calls of ``adam``: ``start=1`` (the corrected
steps) and ``start`` = :data:`optdyn.simulate.FREEZE_START` (:math:`10^{18}`, where
:math:`1 - \beta^t` is 1 in float64: the uncorrected steps, same moment recursion). Both
start at :math:`x_0 = 0` on :math:`f = \tfrac{\lambda}{2}(x - x^\star)^2` with
:math:`x^\star = -D`, :math:`D = 10^8`: the gradient :math:`\lambda(x + D)` is constant to a
relative :math:`\delta = \max_t |x_t| / (D - \max_t |x_t|)`, so both runs see the same
moments to that accuracy. The measured ratio is that of the two runs' displacements
:math:`x_{t-1} - x_t` (read from the kept iterates).

**Tolerance** (relative). The gradients lie within a factor :math:`1 \pm \delta` of each
other, so each run's :math:`m_t/\sqrt{v_t}` is within :math:`(1+\delta)/(1-\delta)` of its
constant-gradient value and the ratio within :math:`((1+\delta)/(1-\delta))^2 - 1 \approx
4\delta`; :math:`\epsilon` changes each run's step by at most
:math:`\epsilon / (g_{\min}\sqrt{1-\beta_2})` relative; rounding of the displacements adds
:math:`2 \cdot 2^{-52} \max|x| / \min|\Delta| + 10^{-13}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from .. import simulate, theory
from ..methods.base import State
from ..methods.base import get as get_method
from ..theory.ops import SYMPY_OPS
from .base import Figure, register

__all__ = ["BiasCorrection", "bias_correction_data", "bias_ratio", "plot_bias_correction"]

METHOD = "adam"
PAIRS = ((0.9, 0.999), (0.9, 0.99), (0.99, 0.999))  # (beta1, beta2): torch default first
LR, LAM, D = 1e-3, 1.0, 1e8


@dataclass(frozen=True)
class BiasCorrection:
    """Derived and measured ratios (uncorrected / corrected step) per (beta1, beta2)."""

    expr: str  # the derived ratio at eps -> 0
    pairs: tuple
    t: np.ndarray  # steps 1..steps
    theory: np.ndarray  # (pairs, steps)
    measured: np.ndarray  # (pairs, steps)
    rel_error: np.ndarray  # abs(measured / theory - 1)
    tolerance: np.ndarray  # (pairs,) derived relative tolerance
    delta: float  # relative variation of the gradient over the runs


@lru_cache(maxsize=1)
def bias_ratio() -> tuple[sp.Expr, tuple[sp.Symbol, sp.Symbol, sp.Symbol]]:
    r"""The ratio uncorrected / corrected step of ``adam`` at equal moments, :math:`\epsilon \to 0`.

    Derived from the registered step on symbols (see the module docstring). Returns the
    expression and its symbols ``(beta1, beta2, t)``.
    """
    m = get_method(METHOD)
    ls = theory.linearize(METHOD)  # the theory layer's names for the hyperparameters
    hyper = {k: ls.symbols[k] for k in m.hyper}
    t = sp.Symbol("t", positive=True, integer=True)
    t_inf = sp.Symbol("T", positive=True, integer=True)
    x, g = sp.Symbol("x", real=True), sp.Symbol("g", positive=True)
    state = State(x=x, m=sp.Symbol("m", real=True), v=sp.Symbol("v", positive=True))

    def step(counter):
        return x - m.step(state, lambda q: g, SYMPY_OPS, t=counter, **hyper).x

    # beta^T -> 0 for T -> infinity (0 <= beta < 1): the counter at infinity
    uncorrected = step(t_inf).replace(lambda a: a.is_Pow and a.exp.has(t_inf), lambda a: 0)
    ratio = sp.simplify((uncorrected / step(t)).subs(hyper["eps"], 0))
    return ratio, (hyper["beta1"], hyper["beta2"], t)


def _displacements(start: int, b1: np.ndarray, b2: np.ndarray, steps: int):
    problem = simulate.DiagonalQuadratic([LAM], x_star=[-D])
    r = simulate.run(METHOD, problem, steps=steps, x0=np.zeros(1), start=start,
                     keep_iterates=True, lr=LR, beta1=b1, beta2=b2)  # fmt: skip
    x = r.iterates[:, 0, :, 0]  # (pairs, steps + 1)
    return -np.diff(x, axis=-1), x


@lru_cache(maxsize=4)
def bias_correction_data(pairs: tuple = PAIRS, steps: int = 200, *,
                         quick: bool = False) -> BiasCorrection:  # fmt: skip
    """Theory (derived ratio) against the ratio of the displacements of two adam runs."""
    if quick:
        steps = 100
    expr, syms = bias_ratio()
    f = sp.lambdify(syms, expr, "numpy")
    b1 = np.array([p[0] for p in pairs])
    b2 = np.array([p[1] for p in pairs])
    t = np.arange(1, steps + 1)
    th = np.asarray(f(b1[:, None], b2[:, None], t[None, :]), dtype=float)
    corr, xc = _displacements(1, b1, b2, steps)
    unc, xu = _displacements(simulate.FREEZE_START, b1, b2, steps)
    measured = unc / corr
    far = max(np.max(np.abs(xc)), np.max(np.abs(xu)))
    delta = far / (D - far)
    eps = get_method(METHOD).hyper["eps"].default
    g_min = LAM * (D - far)
    smallest = np.minimum(np.min(np.abs(corr), axis=1), np.min(np.abs(unc), axis=1))
    tol = ((1 + delta) / (1 - delta)) ** 2 - 1 + 2 * eps / (g_min * np.sqrt(1 - b2)) \
        + 2 * 2.0**-52 * far / smallest + 1e-13  # fmt: skip
    rel = np.abs(measured / th - 1)
    return BiasCorrection(str(expr), tuple(pairs), t, th, measured, rel, tol, float(delta))


def plot_bias_correction(data: BiasCorrection, ax=None):
    """Derived ratio (lines) and measured ratio (points) versus t; below, relative deviation.

    ``ax``: a pair of axes (ratio, deviation), or None for a new figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(2, 1, figsize=(5.6, 5.6), sharex=True,
                               gridspec_kw={"height_ratios": (3, 1.3)})  # fmt: skip
    fig = ax[0].figure
    pts = np.unique(np.geomspace(1, data.t[-1], 24).round().astype(int)) - 1
    for i, (b1, b2) in enumerate(data.pairs):
        c = f"C{i}"
        label = rf"$\beta_1$ = {b1:g}, $\beta_2$ = {b2:g}"
        ax[0].plot(data.t, data.theory[i], color=c, label=label)
        ax[0].plot(data.t[pts], data.measured[i, pts], "o", color=c, ms=4, mfc="none")
        ax[1].plot(data.t, np.maximum(data.rel_error[i], 1e-17), color=c, lw=1)
        ax[1].axhline(data.tolerance[i], color=c, ls="--", lw=1)
    ax[0].plot([], [], "ko", mfc="none", ms=4, label="measured (two adam runs)")
    ax[0].plot([], [], "k-", label="derived from the step")
    ax[0].axhline(1.0, color="0.5", lw=0.8)
    ax[0].set_xscale("log")
    ax[0].set_yscale("log")
    ax[0].set_ylabel("uncorrected step / corrected step")
    ax[0].set_title(f"adam: {_pretty(data.expr)}")
    ax[0].legend(fontsize=8)
    ax[1].set_yscale("log")
    ax[1].set_xlabel("step t")
    ax[1].set_ylabel("|measured/theory - 1|")
    ax[1].set_title("relative deviation (dashed: derived tolerance)", fontsize=9)
    fig.tight_layout()
    return fig


def _pretty(expr: str) -> str:
    e = sp.sympify(expr)
    names = {s: {"beta1": r"\beta_1", "beta2": r"\beta_2"}.get(s.name, s.name)
             for s in e.free_symbols}  # fmt: skip
    return f"${sp.latex(e, symbol_names=names)}$"


register(Figure(
    name="bias_correction",
    title="Adam's bias correction: uncorrected over corrected step",
    data=lambda quick=False: bias_correction_data(quick=quick),
    plot=plot_bias_correction,
    claims=("adaptive.bias_correction",),
))  # fmt: skip
