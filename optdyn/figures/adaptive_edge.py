r"""Adam's adaptive edge of stability: the preconditioned sharpness rises to the frozen threshold.

Adam (torch form, constant lr) runs deterministically on :math:`f = \tfrac{\lambda}{2} x^2`
from :math:`x_0 = 1`, for a few :math:`(\beta_1, \beta_2)` in one vectorised
:func:`optdyn.simulate.run` (``keep_iterates=True``). Along training its preconditioner is
:math:`P_t = \sqrt{\hat v_t} + \epsilon`, :math:`\hat v_t = v_t/(1-\beta_2^t)`, and the
preconditioned sharpness is :math:`\lambda_{\max}(P_t^{-1} H) = \max_i \lambda_i / P_{t,i}`.

**Second moment.** The runner keeps iterates, not states; on a deterministic quadratic the
gradients are :math:`g_t = \lambda x_{t-1}`, so :math:`v_t = \beta_2 v_{t-1} + (1-\beta_2)
g_t^2` (Adam's own recursion, :math:`v_0 = 0`) follows from the iterates exactly. The data
function checks this: with :math:`m_t` recomputed alike, Adam's step
:math:`\mathrm{lr}\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)` reproduces every displacement
:math:`x_{t-1} - x_t` of the run to rounding (``replay_error``).

**Threshold.** :meth:`~optdyn.theory.LinearSystem.curvature_threshold` of Adam's
frozen-preconditioner linearization (``od.theory.linearize("adam")``, symbol ``v``,
:math:`P = \sqrt v + \epsilon`) is proportional to :math:`P`; divided by :math:`P` it is the
threshold on the preconditioned sharpness (a function of lr and :math:`\beta_1` only; for
lr = 0.01, :math:`\beta_1 = 0.9` it is 3800, Cohen et al.'s 38/lr). The frozen mode is stable
iff :math:`\lambda / P` lies below it.

The sharpness starts far below (:math:`P_1 = \lambda |x_0|`), rises as :math:`x_t \to 0`
and :math:`v_t` decays at rate :math:`\beta_2`, overshoots once, and then hovers just below
the threshold while :math:`x_t` oscillates (``adaptive.adam_settles``: the tail mean of
:math:`P_t` is 1 to 1.12 times the edge :math:`P^\star`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.signal
import sympy as sp

from .. import simulate, theory
from ..methods.base import get as get_method
from .base import Figure, register

__all__ = ["AdaptiveEdge", "adaptive_edge_data", "plot_adaptive_edge", "sharpness_threshold"]

METHOD = "adam"
#: (beta1, beta2) of the runs: beta2 = 0.99 settles within ~2e3 steps, torch's 0.999 within ~2e4
PAIRS = ((0.8, 0.99), (0.9, 0.99), (0.95, 0.99), (0.9, 0.999), (0.95, 0.999))


@dataclass(frozen=True)
class AdaptiveEdge:
    """Preconditioned sharpness along training against the frozen threshold, per (beta1, beta2)."""

    lr: float
    lam: np.ndarray  # eigenvalues of the diagonal quadratic
    eps: float
    pairs: tuple
    t: np.ndarray  # steps 1..steps
    sharpness: np.ndarray  # (pairs, steps): lam_max(P_t^{-1} H)
    threshold: np.ndarray  # (pairs,): threshold on the preconditioned sharpness
    threshold_expr: str  # curvature_threshold / P
    first_hit: np.ndarray  # (pairs,): first step with sharpness >= threshold (-1: never)
    tail: int  # the tail is t > tail
    tail_mean_p: np.ndarray  # (pairs,): mean over the tail of P_t / P* (P* = lam / threshold)
    tail_range: np.ndarray  # (pairs, 2): min and max of sharpness / threshold over the tail
    tail_max_x: np.ndarray  # (pairs,): max |x_t| over the tail
    replay_error: float  # max |replayed - measured displacement| / (|x_{t-1}| + |x_t|)


@lru_cache(maxsize=1)
def sharpness_threshold() -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Adam's frozen curvature threshold divided by ``P = sqrt(v) + eps``, and its symbols.

    Raises
    ------
    ValueError
        If the threshold is not proportional to ``P`` (then no threshold on lam/P exists).
    """
    ls = theory.linearize(METHOD)
    p = sp.sqrt(ls.symbols["v"]) + ls.symbols["eps"]
    per_p = sp.factor(sp.simplify(ls.curvature_threshold() / p))
    if per_p.has(ls.symbols["v"], ls.symbols["eps"]):
        raise ValueError(f"the threshold of {METHOD} is not proportional to P: {per_p}")
    syms = tuple(sorted(per_p.free_symbols, key=lambda s: s.name))
    return per_p, syms


def _ema(beta, x: np.ndarray) -> np.ndarray:
    """y_t = beta y_{t-1} + (1 - beta) x_t along the last axis, y_0 = 0 (beta per row)."""
    out = np.empty_like(x)
    for i, b in enumerate(np.broadcast_to(beta, x.shape[:1])):
        out[i] = scipy.signal.lfilter([1 - b], [1, -b], x[i], axis=-1)
    return out


@lru_cache(maxsize=4)
def adaptive_edge_data(lr: float = 0.01, lam: float = 1.0, pairs: tuple = PAIRS,
                       steps: int = 40000, *, quick: bool = False) -> AdaptiveEdge:  # fmt: skip
    """Run adam from x_0 = 1 and measure its preconditioned sharpness; derive the threshold.

    The tail is the last half of the steps (``adaptive.adam_settles``' convention). Quick:
    the beta2 = 0.99 pairs and 6000 steps.
    """
    if quick:
        pairs, steps = tuple(p for p in pairs if p[1] == 0.99), 6000
    eps = float(get_method(METHOD).hyper["eps"].default)
    b1 = np.array([p[0] for p in pairs])
    b2 = np.array([p[1] for p in pairs])
    eigs = np.atleast_1d(np.asarray(lam, dtype=float))
    problem = simulate.DiagonalQuadratic(eigs)
    r = simulate.run(METHOD, problem, steps=steps, x0=np.ones(eigs.size), keep_iterates=True,
                     lr=lr, beta1=b1, beta2=b2, eps=eps)  # fmt: skip
    x = np.moveaxis(r.iterates[:, 0], -1, 1)  # (pairs, dim, steps + 1)
    g = eigs[None, :, None] * x[..., :-1]  # the gradient of step t at x_{t-1}
    t = np.arange(1, steps + 1)
    rows = x.shape[0] * x.shape[1]
    b1r, b2r = np.repeat(b1, eigs.size), np.repeat(b2, eigs.size)
    m = _ema(b1r, g.reshape(rows, steps)).reshape(g.shape)
    v = _ema(b2r, (g * g).reshape(rows, steps)).reshape(g.shape)
    vhat = v / (1 - b2[:, None, None] ** t)
    p = np.sqrt(vhat) + eps
    # Adam's step replayed from the recomputed moments against the run's displacements
    step = lr / (1 - b1[:, None, None] ** t) * m / p
    scale = np.abs(x[..., :-1]) + np.abs(x[..., 1:])
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(scale > 0, np.abs(step - (x[..., :-1] - x[..., 1:])) / scale, 0.0)
    sharp = np.max(eigs[None, :, None] / p, axis=1)  # (pairs, steps)

    per_p, syms = sharpness_threshold()
    f = sp.lambdify(syms, per_p, "numpy")
    values = {"lr": lr, "beta1": b1}
    thr = np.broadcast_to(np.asarray(f(*[values[s.name] for s in syms]), dtype=float), b1.shape)
    hit = sharp >= thr[:, None]
    first = np.where(hit.any(axis=1), np.argmax(hit, axis=1) + 1, -1)
    tail = steps // 2
    p_star = np.max(eigs) / thr  # the edge P* of the stiffest coordinate
    p_tail = np.min(p[..., tail:], axis=1)  # the coordinate with the largest lam / P
    ratio = sharp[:, tail:] / thr[:, None]
    return AdaptiveEdge(
        lr, eigs, eps, tuple(pairs), t, sharp, thr.copy(), str(per_p), first, tail,
        np.mean(p_tail, axis=1) / p_star, np.stack([ratio.min(axis=1), ratio.max(axis=1)], 1),
        np.max(np.abs(x[..., tail + 1 :]), axis=(1, 2)), float(np.max(rel)),
    )  # fmt: skip


def _running_mean(y: np.ndarray, window: int) -> np.ndarray:
    """Mean over the last ``window`` values (fewer at the start)."""
    c = np.cumsum(np.concatenate([[0.0], y]))
    n = np.arange(1, y.size + 1)
    lo = np.maximum(n - window, 0)
    return (c[n] - c[lo]) / (n - lo)


def plot_adaptive_edge(data: AdaptiveEdge, ax=None):
    """Left: sharpness and thresholds (log-log); right: sharpness / threshold, running mean.

    ``ax``: a pair of axes, or None for a new figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(1, 2, figsize=(12, 4.8))
    fig = ax[0].figure
    colors = {b1: f"C{i}" for i, b1 in enumerate(dict.fromkeys(p[0] for p in data.pairs))}
    fast = min(p[1] for p in data.pairs)
    for i, (b1, b2) in enumerate(data.pairs):
        c, ls = colors[b1], "-" if b2 == fast else (0, (4, 1.5))
        label = rf"$\beta_1$ = {b1:g}, $\beta_2$ = {b2:g}"
        ax[0].plot(data.t, data.lr * data.sharpness[i], color=c, ls=ls, lw=0.8, alpha=0.8,
                   label=label)  # fmt: skip
        q = data.sharpness[i] / data.threshold[i]
        ax[1].plot(data.t, q, color=c, lw=0.3, alpha=0.25)
        ax[1].plot(data.t, _running_mean(q, 500), color=c, ls=ls, lw=1.6,
                   label=f"{label}: tail mean P/P* = {data.tail_mean_p[i]:.3f}")  # fmt: skip
    for b1 in colors:
        thr = data.threshold[[p[0] for p in data.pairs].index(b1)]
        ax[0].axhline(data.lr * thr, color=colors[b1], ls="--", lw=1.5)
        ax[0].annotate(f"{data.lr * thr:.4g}", (1.2, data.lr * thr * 1.12), color=colors[b1],
                       fontsize=8)  # fmt: skip
    ax[0].plot([], [], "k--", label="frozen threshold (theory)")
    ax[1].axhline(1.0, color="k", ls="--", lw=1.5, label="frozen threshold (theory)")
    ax[1].axvline(data.tail, color="0.4", ls=":", lw=1, label="tail: t > steps/2")
    for a in ax:
        a.set_xscale("log")
        a.set_xlabel("step t")
    ax[0].set_yscale("log")
    ax[0].set_ylabel(r"lr $\cdot\ \lambda_{\max}(P_t^{-1} H)$")
    ax[0].set_title(rf"adam, lr = {data.lr:g}, $\lambda$ = {data.lam[0]:g}; frozen threshold "
                    rf"$\lambda/P < {_frac_tex(data.threshold_expr)}$")  # fmt: skip
    ax[0].legend(fontsize=7.5, loc="lower right")
    ax[1].set_xlim(300, data.t[-1] * 1.1)
    ax[1].set_ylim(0.6, 1.3)
    ax[1].set_ylabel("sharpness / threshold (thick: mean over 500 steps)")
    ax[1].set_title(r"hovering at the edge, $P_t = \sqrt{\hat v_t} + \epsilon$")
    ax[1].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def _frac_tex(expr: str) -> str:
    """A positive fraction in LaTeX with the signs taken out (-2b - 2)/(lr(b - 1)) -> ..."""
    e = sp.sympify(expr)
    num, den = sp.fraction(e)
    if num.could_extract_minus_sign():
        num, den = -num, -den
    lr = next((s for s in e.free_symbols if s.name == "lr"), None)
    den = sp.collect(sp.expand(den), lr) if lr is not None else den
    names = {s: {"beta1": r"\beta_1", "lr": r"\mathrm{lr}"}.get(s.name, s.name)
             for s in e.free_symbols}  # fmt: skip
    return (rf"\frac{{{sp.latex(sp.factor(num), symbol_names=names)}}}"
            rf"{{{sp.latex(den, symbol_names=names)}}}")  # fmt: skip


register(Figure(
    name="adaptive_edge",
    title="Adam's adaptive edge of stability",
    data=lambda quick=False: adaptive_edge_data(quick=quick),
    plot=plot_adaptive_edge,
    claims=("adam.threshold", "adaptive.adam_settles"),
))  # fmt: skip
