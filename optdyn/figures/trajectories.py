r"""Trajectories on an elongated bowl: the minimax-tuned linear methods against RMSProp and Adam.

:math:`f(x) = \tfrac12 x^\top H x` with :math:`H = Q\,\mathrm{diag}(\mu, L)\,Q^\top`, once with
:math:`Q = I` (axis-aligned) and once with :math:`Q` a rotation (the start rotated with it).
gd, heavy ball and Nesterov run at their minimax tuning over :math:`[\mu, L]`
(``od.theory.optimal``); their distance to the minimum is predicted in closed form, mode by
mode (:func:`optdyn.figures.damping.modal_solution` on each eigen-direction), and contracts by
the minimax rate per step. Linear methods commute with rotations, so their two trajectories
are rotated copies; RMSProp and Adam act per coordinate: on the axis-aligned bowl they ignore
the curvatures (scale invariance), on the rotated one they do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import simulate, theory
from .base import Figure, register
from .damping import modal_solution

__all__ = ["Trajectories", "plot_trajectories", "trajectories_data"]

LINEAR = ("gd", "heavy_ball", "nesterov")
ORIENTATIONS = ("axis-aligned", "rotated")


@dataclass(frozen=True)
class Trajectories:
    """Iterates of five methods on the bowl in two orientations, with the linear theory."""

    eigs: tuple  # (mu, L)
    angle: float  # rotation of the second orientation, degrees
    steps: int
    window: tuple  # (t0, t1): late window of the measured contraction
    H: dict  # orientation -> (2, 2) Hessian
    x0: dict  # orientation -> (2,) start
    hyper: dict  # method -> hyperparameters it ran with
    iterates: dict  # orientation -> method -> (steps + 1, 2)
    loss: dict  # orientation -> method -> (steps + 1,) simulated f(x_t)
    dist: dict  # orientation -> method -> (steps + 1,) simulated ||x_t||
    rate: dict  # linear method -> minimax rate over [mu, L] (od.theory.optimal)
    dist_theory: dict  # linear method -> (steps + 1,) closed-form ||x_t|| (both orientations)
    measured_rate: dict  # orientation -> linear method -> (d_t1 / d_t0)^(1 / (t1 - t0))


def _rotation(deg: float) -> np.ndarray:
    a = np.deg2rad(deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


@lru_cache(maxsize=8)
def trajectories_data(mu: float = 1.0, L: float = 25.0, angle: float = 30.0,
                      x0: tuple = (-2.0, 2.0), adaptive_lr: tuple = (("adam", 0.1),
                      ("rmsprop", 0.03)), *, quick: bool = False) -> Trajectories:  # fmt: skip
    r"""Run gd, heavy ball, Nesterov (minimax tuning) and RMSProp, Adam (``adaptive_lr``).

    The start is ``x0`` in the eigenbasis, :math:`Q x_0` in coordinates. Theory for the linear
    methods: with :math:`y_0 = Q^\top x_0` and :math:`x^{(i)}_t` the closed-form iterate of the
    mode of curvature :math:`\lambda_i` from :math:`y_{0,i}`,
    :math:`\lVert x_t\rVert^2 = \sum_i (x^{(i)}_t)^2`; the minimax rate
    :math:`\max_{\lambda \in [\mu, L]} \rho(\lambda)` of the tuning bounds its contraction.
    """
    steps = 40 if quick else 60
    eigs = np.array([mu, L])
    start = np.asarray(x0, dtype=float)
    Qs = {"axis-aligned": np.eye(2), "rotated": _rotation(angle)}
    H = {o: Q @ np.diag(eigs) @ Q.T for o, Q in Qs.items()}
    starts = {o: Q @ start for o, Q in Qs.items()}
    hyper = {name: dict(theory.optimal(name, mu=mu, L=L, closed_form=False).hyper)
             for name in LINEAR}  # fmt: skip
    rate = {name: float(theory.optimal(name, mu=mu, L=L, closed_form=False).rate)
            for name in LINEAR}  # fmt: skip
    hyper |= {name: {"lr": lr} for name, lr in adaptive_lr}

    its, loss, dist = {}, {}, {}
    for o in ORIENTATIONS:
        problem = simulate.Quadratic(H[o])
        its[o], loss[o], dist[o] = {}, {}, {}
        for name, hp in hyper.items():
            r = simulate.run(name, problem, steps=steps, x0=starts[o], keep_iterates=True, **hp)
            its[o][name], loss[o][name], dist[o][name] = r.iterates[0], r.loss[0], r.dist[0]

    t = np.arange(steps + 1)
    d_th = {}
    for name in LINEAR:
        ls = theory.linearize(name)
        # each eigen-direction is one mode started at rest from its coordinate y0_i
        modes = [modal_solution(ls, y, lam=lam, **hyper[name])(t)
                 for y, lam in zip(start, eigs, strict=True)]  # fmt: skip
        d_th[name] = np.sqrt(np.sum(np.square(modes), axis=0))
    t0, t1 = steps // 2, steps
    meas = {o: {n: float((dist[o][n][t1] / dist[o][n][t0]) ** (1 / (t1 - t0))) for n in LINEAR}
            for o in ORIENTATIONS}  # fmt: skip
    return Trajectories((mu, L), angle, steps, (t0, t1), H, starts, hyper, its, loss, dist,
                        rate, d_th, meas)  # fmt: skip


_STYLE = {"gd": ("C0", "o"), "heavy_ball": ("C1", "s"), "nesterov": ("C2", "^"),
          "rmsprop": ("C4", "D"), "adam": ("C3", "v")}  # fmt: skip


def _label(name: str, hp: dict) -> str:
    vals = ", ".join(f"{k} {v:.3g}" for k, v in hp.items())
    return f"{name}: {vals}" + ("" if name in LINEAR else " (torch defaults otherwise)")


def plot_trajectories(data: Trajectories, ax=None):
    """Iterates over loss contours (both orientations) and the distance to the minimum.

    Given ``ax``, three axes (axis-aligned, rotated, distance) or one (axis-aligned only).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(1, 3, figsize=(16, 5.2),
                                 gridspec_kw={"width_ratios": [1, 1, 1.15]})  # fmt: skip
    else:
        axes = np.atleast_1d(ax)
        fig = axes[0].figure
    pts = np.concatenate([it for o in ORIENTATIONS for it in data.iterates[o].values()])
    lim = 1.1 * np.max(np.abs(pts))
    g = np.linspace(-lim, lim, 300)
    X, Y = np.meshgrid(g, g)
    for a, o in zip(axes[:2], ORIENTATIONS, strict=False):
        Hm = data.H[o]
        F = 0.5 * (Hm[0, 0] * X**2 + 2 * Hm[0, 1] * X * Y + Hm[1, 1] * Y**2)
        f0 = 0.5 * data.x0[o] @ Hm @ data.x0[o]
        a.contour(X, Y, F, levels=f0 * np.geomspace(1e-4, 1, 11), colors="0.75",
                  linewidths=0.7)  # fmt: skip
        for name, it in data.iterates[o].items():
            c, m = _STYLE[name]
            lin = name in LINEAR
            ms = 2.5 if name == "rmsprop" else 3.5  # rmsprop on top of adam: smaller
            a.plot(it[:, 0], it[:, 1], "-", color=c, lw=0.7 if lin else 1.2, marker=m, ms=ms,
                   mfc="none" if lin else c, alpha=0.75 if lin else 1,
                   label=_label(name, data.hyper[name]))  # fmt: skip
        a.plot(*data.x0[o], "k*", ms=10, zorder=5)
        a.plot(0, 0, "k+", ms=10)
        a.set_xlim(-lim, lim)
        a.set_ylim(-lim, lim)
        a.set_aspect("equal")
        a.set_xlabel("$x_1$")
        a.set_ylabel("$x_2$")
        extra = "" if o == "axis-aligned" else f" by {data.angle:g}°"
        a.set_title(f"{o}{extra}: eigenvalues {data.eigs[0]:g}, {data.eigs[1]:g}, "
                    f"{data.steps} steps", fontsize=10)  # fmt: skip
    handles, labels = axes[0].get_legend_handles_labels()
    if len(axes) < 3:
        axes[0].legend(handles, labels, fontsize=7, loc="lower left")
        return fig
    a = axes[2]
    t = np.arange(data.steps + 1)
    for name in LINEAR:
        c, m = _STYLE[name]
        r_al, r_rot = (data.measured_rate[o][name] for o in ORIENTATIONS)
        a.semilogy(t, data.dist["axis-aligned"][name], m, color=c, ms=3.5, mfc="none",
                   label=f"{name}: rate {data.rate[name]:.4f} (theory) / {r_al:.4f}, "
                   f"{r_rot:.4f} (measured)")  # fmt: skip
        a.semilogy(t, data.dist["rotated"][name], ".", color=c, ms=2)
        a.semilogy(t, data.dist_theory[name], "-", color=c, lw=0.9)
    for name in data.iterates["axis-aligned"]:
        if name in LINEAR:
            continue
        c, _ = _STYLE[name]
        a.semilogy(t, data.dist["axis-aligned"][name], "-", color=c, lw=1.5,
                   label=f"{name} (axis-aligned)")  # fmt: skip
        a.semilogy(t, data.dist["rotated"][name], ":", color=c, lw=1.5,
                   label=f"{name} (rotated)")  # fmt: skip
    a.plot([], [], "k-", lw=0.9, label="closed form, mode by mode (theory)")
    a.plot([], [], "ko", ms=3.5, mfc="none", label="simulated (axis-aligned; dots: rotated)")
    t0, t1 = data.window
    a.axvspan(t0, t1, color="0.93", zorder=0)
    a.set_xlabel("step $t$")
    a.set_ylabel(r"$\|x_t - x^\star\|$")
    a.set_title(f"distance to the minimum (measured rate: steps {t0} to {t1}, shaded)",
                fontsize=10)  # fmt: skip
    a.legend(fontsize=7, loc="lower left")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8,
               title="from the star to the cross (+); linear methods at their minimax tuning "
               f"over [{data.eigs[0]:g}, {data.eigs[1]:g}] (od.theory.optimal)",
               title_fontsize=8, frameon=False)  # fmt: skip
    return fig


register(Figure(
    name="trajectories",
    title="Trajectories on an elongated bowl",
    data=lambda quick=False: trajectories_data(quick=quick),
    plot=plot_trajectories,
    claims=("gd.optimal", "heavy_ball.optimal", "nesterov.optimal",
            "adaptive.scale_invariance"),
))  # fmt: skip
