r"""Source 002, rows 286-427 (part 2): the expected outputs of the code solutions C.1-C.20.

Each code solution is run as an equivalent numpy program (the same iteration, problem,
hyperparameters and seeds; the numpy legacy generator ``RandomState(42)`` replays
``np.random.seed(42)``; data sets the code downloads are replaced by synthetic data of
the same shape), or through :func:`optdyn.simulate.run` where the iteration is a
registered method on a quadratic. The printed or plotted quantities are compared with
the stated expected output, part by part. Where the code's update is meant to be a
registered method, the replay is also run as that method by :func:`optdyn.simulate.trace`
on the replay's own gradients (:func:`replay_deviation`): the iterates must agree to
REPLAY_RTOL, or the evidence records where the code differs (C.6's eps inside the square
root, C.8's step counter).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy as sp

from ... import simulate
from ..theorems._common import fmt
from . import stated_number
from .s002_3 import decide, emp, hb_threshold_lr, hb_var, register, rho, slope, sym

SEC_C = "Solutions to C. Python Exercises"

#: relative tolerance of a replay's iterates against the registered method's (rounding only)
REPLAY_RTOL = 1e-12


def replay_deviation(method: str, xs, gs, *, start: int = 1, counters=None, **hyper) -> float:
    """Largest deviation of a replayed run's iterates from the registered ``method``'s.

    ``xs`` holds the replay's iterates x_0..x_T and ``gs`` the gradient of each of its T
    steps. The registered ``method`` is run by :func:`optdyn.simulate.trace` from x_0 on the
    oracle returning the replay's gradient of step k at step k, so both runs see the same
    gradients. Its step counter is ``start``, ``start + 1``, ... or, if given, the replay's
    own ``counters`` (one per step; each stretch of consecutive counters is one ``trace``
    continued from the state the previous one ended in). Returns
    max_k |x_k - x_k(method)| / max_k |x_k|: rounding (~1e-15) when the replayed update is
    the method's.
    """
    xs, gs = np.asarray(xs, float), np.asarray(gs, float)
    if counters is None:
        counters = np.arange(start, start + len(gs))
    counters = np.asarray(counters)
    cuts = [0, *(np.flatnonzero(np.diff(counters) != 1) + 1), len(gs)]
    x, state, out = xs[0], None, [xs[:1]]
    for a, b in itertools.pairwise(cuts):
        t0 = int(counters[a])
        tr = simulate.trace(method, lambda q, t, a=a, t0=t0: gs[a + t - t0], x, b - a, start=t0,
                            state0=state, **hyper)  # fmt: skip
        out.append(tr.pop("x")[1:])
        x, state = out[-1][-1], {k: v[-1] for k, v in tr.items()}
    return float(np.max(np.abs(np.concatenate(out) - xs)) / np.max(np.abs(xs)))


def same_method(evidence: dict, parts: dict, label: str, deviation: float) -> None:
    """Add to ``evidence`` and ``parts`` that the code's update is ``label`` (to REPLAY_RTOL)."""
    evidence[f"code's iterates vs {label} fed the same gradients (max relative deviation)"] = (
        deviation
    )
    parts[f"the code's update is {label} (iterates within {REPLAY_RTOL:g} relative)"] = bool(
        deviation < REPLAY_RTOL
    )


# ----------------------------------------------------------------------------- C.1
@functools.cache
def _c1():
    prob = simulate.DiagonalQuadratic([100.0, 1.0])
    r = simulate.run("heavy_ball", prob, steps=100, x0=np.array([1.0, 1.0]), lr=0.01,
                     momentum=np.array([0.0, 0.9]))  # fmt: skip
    loss = r.loss.reshape(2, -1)  # f - f* per step, [gd, momentum]
    hit = [int(np.argmax(lo < 1e-2)) for lo in loss]
    return loss, hit


def _c1_check(*parts_wanted):
    """C.1's printed outputs: the parts ``parts_wanted`` of the expected output."""
    loss, hit = _c1()
    r100 = rho("heavy_ball", lr=0.01, momentum=0.9, lam=100.0)
    r1 = rho("heavy_ball", lr=0.01, momentum=0.9, lam=1.0)
    thr_gd, thr_hb = 2 / 100, hb_threshold_lr(0.9, 100.0)
    fin = loss[:, -1]
    allparts = {
        "stable": 0.01 < thr_gd and 0.01 < thr_hb,
        "speed": 2 <= fin[0] / fin[1] <= 6,
        "finals": 1e-9 <= fin[1] <= 1e-7 and 1e-6 <= fin[0] <= 1e-4,
        "rho": abs(r100 - 0.67) < 0.02,
        "decay": abs((loss[1, 100] / loss[1, 50]) ** (1 / 50) - 0.67) < 0.05,
    }
    labels = {"stable": "lr = 0.01 stable for both", "speed": "momentum 3-5x faster (final "
              "loss ratio printed)", "finals": "final losses ~1e-8 (momentum), ~1e-5 (GD)",
              "rho": "spectral radius 0.67 on the dominant direction",
              "decay": "momentum loss decays ~0.67^k"}  # fmt: skip
    return decide(
        {"final loss GD, momentum": [fmt(a) for a in fin], "printed speed-up": fin[0] / fin[1],
         "thresholds": "'3-5x' read as 2-6x (one unit of slack on each end of the printed "
         "range); '~1e-8', '~1e-5' as within a factor 10 (the order of magnitude printed); "
         "'0.67' within 0.02 (radius) and 0.05 (measured decay), two and five units of its last "
         "digit; the measured ratio, losses and radius are far "
         "outside any of these",
         "iterations to loss < 1e-2 (GD, momentum)": hit, "largest stable lr GD, momentum":
         [thr_gd, fmt(thr_hb)], "spectral radius lam=100, lam=1": [fmt(r100), fmt(r1)],
         "measured loss decay per step (momentum, k 50..100)":
         float((loss[1, 100] / loss[1, 50]) ** (1 / 50))},
        {labels[k]: allparts[k] for k in parts_wanted},
        correct="Running C.1: lr = 0.01 is stable for both (edges 0.02 and 0.038); after 100 "
        "steps GD's loss is 0.067 and momentum's 9.5e-5 (printed ratio ~700); with lr = 0.01, "
        "beta = 0.9 both modes have complex roots of modulus sqrt(0.9) = 0.949, so the "
        "momentum loss decays like 0.9^k; 0.67 = ((sqrt k - 1)/(sqrt k + 1))^2 is the optimal "
        "momentum beta*, reached only with the optimal lr = 0.033.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.2
@functools.cache
def _c2(pm_labels: bool):
    """C.2 on synthetic data of the breast-cancer shape (569 x 30, 357 positives)."""
    rng = np.random.default_rng(2)
    n, d = 569, 30
    y = np.r_[np.ones(357), np.zeros(212)]
    w_true = rng.standard_normal(d)
    X = rng.standard_normal((n, d)) * 0.6 + np.outer(2 * y - 1, w_true) / np.sqrt(d) * 1.5
    X = (X - X.mean(0)) / X.std(0)
    idx = rng.permutation(n)
    tr, te = idx[:455], idx[455:]
    Xtr, ytr, Xte, yte = X[tr], y[tr], X[te], y[te]
    if pm_labels:
        ytr_f = 2 * ytr - 1
    else:
        ytr_f = ytr

    def loss(w):
        return np.mean(np.log1p(np.exp(-ytr_f * (Xtr @ w)))) + 1e-3 * np.sum(w**2) / 2

    def grad(w, Xb, yb):
        sig = 1 / (1 + np.exp(-yb * (Xb @ w)))
        return -Xb.T @ (yb * (1 - sig)) / len(yb) + 1e-3 * w

    w = np.zeros(d)
    v = np.zeros(d)
    batches = 0
    ws, gs = [w], []
    for _epoch in range(50):
        batches = 0
        for i in range(0, len(Xtr), 32):
            b = slice(i, i + 32)
            gs.append(grad(w, Xtr[b], ytr_f[b]))
            v = 0.95 * v - 0.1 * gs[-1]
            w = w + v
            ws.append(w)
            batches += 1
    acc_tr = np.mean((Xtr @ w > 0) == (ytr == 1))
    acc_te = np.mean((Xte @ w > 0) == (yte == 1))
    dev = replay_deviation("heavy_ball", ws, gs, lr=0.1, momentum=0.95)
    return (float(acc_tr), float(acc_te), float(loss(w)), batches,
            float(np.linalg.norm(w))), dev  # fmt: skip


def _c2_check():
    a01, dev01 = _c2(False)
    apm, devpm = _c2(True)
    ev = {"labels {0,1} (as coded): train acc, test acc, loss, batches/epoch, |w|":
          [fmt(x) for x in a01], "labels {-1,+1} (control): train acc, test acc, loss":
          [fmt(x) for x in apm[:3]], "fraction of positives": 357 / 569}  # fmt: skip
    parts = {
        "train acc > 0.97": a01[0] > 0.97,
        "test acc > 0.96": a01[1] > 0.96,
        "final loss < 0.1": a01[2] < 0.1,
        "~18 mini-batches per epoch": a01[3] == 18,
    }
    same_method(ev, parts, "optdyn's heavy_ball (lr 0.1, momentum 0.95)", max(dev01, devpm))
    return decide(
        ev, parts, seeds=(2,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="With labels y in {0,1} the loss log(1+exp(-y z)) is the constant log 2 on "
        "the negatives (37% of the samples; they give no gradient), so the training loss "
        "cannot fall below 0.37 log 2 = 0.26 (with y in {-1,+1} the same code goes below "
        "0.1); the 80% training split has 455 samples: 15 mini-batches of 32 per epoch.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.3
@functools.cache
def _c3():
    prob = simulate.DiagonalQuadratic([200.0, 2.0])
    lr = np.array([0.001, 0.01, 0.02])[:, None]
    mom = np.array([0.0, 0.9, 0.99])[None, :]
    r = simulate.run("heavy_ball", prob, steps=200, x0=np.array([1.0, 1.0]), lr=lr, momentum=mom)
    loss = r.loss.reshape(3, 3, -1)
    return loss, r.diverged.reshape(3, 3)


def _c3_check():
    loss, div = _c3()
    fin = loss[..., -1]
    grew = div | (fin > loss[..., 0])
    return decide(
        {"final loss [lr 0.001, 0.01, 0.02] x [beta 0, 0.9, 0.99]": [[fmt(x) for x in r]
         for r in fin], "largest stable lr beta = 0, 0.9, 0.99 (lam = 200)":
         [fmt(hb_threshold_lr(b, 200.0)) for b in (0.0, 0.9, 0.99)]},
        {"beta = 0: no oscillation dominance at lr <= 0.01": fin[1, 0] < 1e-3,
         "beta = 0.9, lr = 0.02 stable": not grew[2, 1],
         "beta = 0.99, lr = 0.02 smooth convergence": not grew[2, 2]},
        correct="Heavy ball on Hessian diag(200, 2) is stable iff lr < 2(1+beta)/200: 0.01 "
        "(beta = 0, where lr = 0.01 is the edge: the x1 component flips sign forever), 0.019 "
        "(beta = 0.9) and 0.0199 (beta = 0.99); lr = 0.02 diverges for every beta of the grid.",
    )  # fmt: skip


def _c3_eff():
    a0, a9 = hb_threshold_lr(0.0, 200.0), hb_threshold_lr(0.9, 200.0)
    return decide(
        {"largest stable lr beta=0, 0.9 (lam = 200)": [a0, fmt(a9)], "ratio": a9 / a0},
        {"beta = 0.9 gives a 10x larger stable step": abs(a9 / a0 - 10) < 2},
        correct="The largest stable step on the lam = 200 direction is 2(1+beta)/200: 0.01 "
        "without momentum and 0.019 with beta = 0.9, a factor 1 + beta = 1.9, not 10.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.4
def _rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def _rosen_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


@functools.cache
def _c4():
    xm = np.array([-1.2, 1.0])
    xn = xm.copy()
    vm = np.zeros(2)
    vn = np.zeros(2)
    lm, ln = [], []
    rec = {"xm": [xm], "gm": [], "xn": [xn], "gn": []}
    for k in range(1000):
        gm = _rosen_grad(xm)
        vm = 0.9 * vm - 0.001 * gm
        xm = xm + vm
        lm.append(_rosen(xm))
        bk = (k - 1) / (k + 2) if k > 0 else 0
        y = xn + bk * vn
        gn = _rosen_grad(y)
        vn = bk * vn - 0.001 * gn
        xn = xn + vn
        ln.append(_rosen(xn))
        for key, val in zip(("xm", "gm", "xn", "gn"), (xm, gm, xn, gn), strict=True):
            rec[key].append(val)
    # v = x_k - x_{k-1}: heavy ball, and Nesterov with momentum b_k at step k + 1
    devs = (
        replay_deviation("heavy_ball", rec["xm"], rec["gm"], lr=0.001, momentum=0.9),
        replay_deviation(
            "nesterov",
            rec["xn"],
            rec["gn"],
            lr=0.001,
            schedule={"momentum": lambda k: max(0.0, (k - 2) / (k + 1))},
        ),
    )
    return np.array(lm), np.array(ln), devs


def _c4_check():
    lm, ln, (dev_m, dev_n) = _c4()
    hit = [int(np.argmax(lo < 0.01)) if (lo < 0.01).any() else None for lo in (lm, ln)]
    ev = {
        "final loss momentum, Nesterov": [fmt(lm[-1]), fmt(ln[-1])],
        "first iteration with loss < 0.01 (momentum, Nesterov)": hit,
    }
    parts = {
        "Nesterov final loss < 0.01": ln[-1] < 0.01,
        "momentum final loss >= 0.1": lm[-1] >= 0.1,
        "Nesterov faster than momentum": (hit[1] or 10**9) < (hit[0] or 10**9),
    }
    same_method(ev, parts, "optdyn's heavy_ball (lr 0.001, momentum 0.9)", dev_m)
    same_method(ev, parts, "optdyn's nesterov (lr 0.001, momentum (k-1)/(k+2) at step k+1)", dev_n)
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="Running C.4 (lr = 0.001, 1000 steps from (-1.2, 1)): the scheduled Nesterov "
        f"run reaches loss 0.01 at iteration {hit[1]}, constant momentum at {hit[0]}, but both "
        "end far "
        f"below 0.01 (momentum {fmt(lm[-1], 3)}, Nesterov {fmt(ln[-1], 3)}).",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.5
@functools.cache
def _c5():
    rng = np.random.RandomState(42)
    n, d = 857, 5000
    y = np.r_[np.zeros(480), np.ones(377)]
    mask = rng.random_sample((n, d)) < 0.01 * (1 + 3 * np.linspace(1, 0, d)[None, :])
    X = np.zeros((n, d))
    X[mask] = rng.random_sample(int(mask.sum()))
    X /= np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    w = np.zeros(d)
    G = np.zeros(d)
    ws, gs = [w.copy()], []
    for _epoch in range(20):
        perm = rng.permutation(n)
        for i in range(0, n, 64):
            b = perm[i : i + 64]
            z = X[b] @ w
            m = (1 - y[b] * z) > 0
            g = -X[b].T @ (y[b] * m) / len(b)
            G += g**2
            w -= 0.01 * g / (np.sqrt(G) + 1e-7)
            ws.append(w.copy())
            gs.append(g)
    loss = float(np.mean(np.maximum(0, 1 - y * (X @ w))))
    sg = np.sqrt(G[G > 0])
    dev = replay_deviation("adagrad", ws, gs, lr=0.01, eps=1e-7)
    return loss, float(np.mean(w == 0)), float(sg.min()), float(sg.max()), float(np.mean(mask)), dev


def _c5_check():
    loss, zeros, gmin, gmax, dens, dev = _c5()
    ev = {"final hinge loss": loss, "fraction of exact zeros": zeros, "sqrt(G) range (nonzero)":
          [fmt(gmin), fmt(gmax)], "fraction of negatives (y = 0)": 480 / 857,
          "input density": dens}  # fmt: skip
    parts = {"loss ~0.1-0.15 after 20 epochs": loss <= 0.2}
    same_method(ev, parts, "optdyn's adagrad (lr 0.01, eps 1e-7)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="With labels y in {0,1} the hinge loss max(0, 1 - y z) equals 1 on every "
        "negative example and gives it no gradient, so the loss cannot fall below the "
        "fraction of negatives (480/857 = 0.56 for atheism vs religion.misc); exact zeros "
        "are the features that never receive a gradient.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.6
@functools.cache
def _c6():
    def f(x):
        return 0.1 * x**2 + 0.5 * np.sin(10 * x) ** 2

    def g(x):
        return 0.2 * x + 5 * np.sin(10 * x) * np.cos(10 * x)

    xr, v, xs = 0.5, 0.0, 0.5
    lr_, ls_ = [], []
    rec = {"xr": [xr], "gr": [], "v": [], "xs": [xs], "gs": []}
    for _ in range(200):
        gr = g(xr)
        v = 0.999 * v + 0.001 * gr**2
        xr -= 0.1 / np.sqrt(v + 1e-8) * gr
        lr_.append(f(xr))
        gs = g(xs)
        xs -= 0.1 * gs
        ls_.append(f(xs))
        for k, val in zip(("xr", "gr", "v", "xs", "gs"), (xr, gr, v, xs, gs), strict=True):
            rec[k].append(val)
    rec = {k: np.array(val) for k, val in rec.items()}
    # the code's RMSProp has eps inside the square root, sqrt(v + eps), optdyn's rmsprop (as
    # torch) outside, sqrt(v) + eps: fed the same gradients, the iterates differ by at most
    # the summed differences of the steps, lr |g_k| |1/sqrt(v_k + eps) - 1/(sqrt(v_k) + eps)|
    bound = np.sum(0.1 * np.abs(rec["gr"]) * np.abs(1 / np.sqrt(rec["v"] + 1e-8)
                                                    - 1 / (np.sqrt(rec["v"]) + 1e-8)))  # fmt: skip
    devs = (replay_deviation("rmsprop", rec["xr"], rec["gr"], lr=0.1, decay=0.999, eps=1e-8),
            float(bound / np.max(np.abs(rec["xr"]))),
            replay_deviation("gd", rec["xs"], rec["gs"], lr=0.1))  # fmt: skip
    return np.array(lr_), np.array(ls_), devs


def _c6_check():
    lr_, ls_, (dev_rms, bound, dev_gd) = _c6()
    ups = int(np.sum(np.diff(lr_) > 0))
    ev = {
        "final loss RMSProp, SGD": [fmt(lr_[-1]), fmt(ls_[-1])],
        "RMSProp loss increases (of 199 steps)": ups,
        "SGD loss range last 50": [fmt(ls_[-50:].min()), fmt(ls_[-50:].max())],
        "code's RMSProp vs optdyn's rmsprop (lr 0.1, decay 0.999, eps 1e-8) fed the same "
        "gradients (max relative deviation)": dev_rms,
        "its bound from eps's place (code sqrt(v + eps), optdyn sqrt(v) + eps)": bound,
    }
    parts = {"RMSProp final loss < 1e-6": lr_[-1] < 1e-6, "RMSProp nearly monotone": ups < 20,
             "SGD loss ~1e-3": 1e-4 < ls_[-1] < 1e-2,
             "the code's RMSProp is optdyn's rmsprop but for eps's place (deviation within "
             "the bound)": bool(dev_rms <= bound * (1 + 1e-6) + REPLAY_RTOL)}  # fmt: skip
    same_method(ev, parts, "optdyn's gd (lr 0.1)", dev_gd)
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.6: RMSProp (b2 = 0.999, lr = 0.1) ends at loss {fmt(lr_[-1], 3)} "
        f"with {ups} increases in 200 steps; SGD ends at {fmt(ls_[-1], 3)}.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.7
def _ackley(x):
    d = len(x)
    return (-20 * np.exp(-0.2 * np.sqrt(np.sum(x**2) / d))
            - np.exp(np.sum(np.cos(2 * np.pi * x)) / d) + 20 + np.e)  # fmt: skip


def _ackley_grad(x):
    d = len(x)
    nx = np.linalg.norm(x)
    t1 = ((-20 * (-0.2 / (d * np.sqrt(np.sum(x**2) / d)))) * x / (nx + 1e-8)
          * np.exp(-0.2 * np.sqrt(np.sum(x**2) / d)))  # fmt: skip
    t2 = -2 * np.pi * np.sin(2 * np.pi * x) / d * np.exp(np.sum(np.cos(2 * np.pi * x)) / d)
    return t1 + t2


@functools.cache
def _c7(correct: bool):
    x0 = np.random.RandomState(42).randn(10)
    x = x0.copy()
    m = np.zeros(10)
    v = np.zeros(10)
    losses, steps = [], []
    xs, gs = [x0], []
    for k in range(500):
        g = _ackley_grad(x)
        gs.append(g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        mh, vh = (m / (1 - 0.9 ** (k + 1)), v / (1 - 0.999 ** (k + 1))) if correct else (m, v)
        st = 0.01 * mh / (np.sqrt(vh) + 1e-8)
        x -= st
        xs.append(x.copy())
        steps.append(np.abs(st).max())
        losses.append(_ackley(x))
    # without the corrections: optdyn's adam with its step counter frozen at infinity
    start = 1 if correct else simulate.FREEZE_START
    dev = replay_deviation("adam", xs, gs, start=start, lr=0.01, eps=1e-8)
    return _ackley(x0), np.array(losses), np.array(steps), dev


def _c7_check():
    l0, lc, sc, dev_c = _c7(True)
    _, lu, su, dev_u = _c7(False)
    r = su[:10] / sc[:10]
    ev = {
        "initial loss": l0,
        "final loss (corrected)": lc[-1],
        "final loss (uncorrected)": lu[-1],
        "uncorrected/corrected step size, first 10 steps": [fmt(a, 3) for a in r],
    }
    parts = {
        "initial loss ~18": abs(l0 - 18) < 3,
        "final loss near 0": lc[-1] < 0.5,
        "without correction steps 2-100x larger and diverge": r.max() >= 2 and lu[-1] > l0,
    }
    same_method(ev, parts, "optdyn's adam (lr 0.01, eps 1e-8)", dev_c)
    same_method(ev, parts, "optdyn's adam without bias corrections (start=FREEZE_START)", dev_u)
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="Running C.7 (10-D Ackley from RandomState(42).randn(10)): the initial loss is "
        f"{fmt(l0, 3)} and Adam (lr = 0.01, 500 steps) ends at {fmt(lc[-1], 3)}, in a local "
        "minimum of Ackley, not at "
        "the origin; without bias correction the first steps are "
        f"{fmt(r.min(), 2)}-{fmt(r.max(), 2)}x the corrected ones "
        f"and the run ends at {fmt(lu[-1], 3)}.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.8
@functools.cache
def _c8():
    """C.8 on a synthetic make_classification-like problem (10000 x 50, 30 informative)."""
    rng = np.random.RandomState(42)
    n, inf = 10000, 30
    y = rng.randint(0, 2, n)
    centers = rng.choice([-1.0, 1.0], size=(4, inf))
    cl = 2 * y + rng.randint(0, 2, n)
    Xi = centers[cl] + rng.randn(n, inf)
    Xr = Xi @ rng.randn(inf, 10)
    X = np.c_[Xi, Xr, rng.randn(n, 10)]
    flip = rng.rand(n) < 0.01
    y = np.where(flip, 1 - y, y)
    X = (X - X.mean(0)) / X.std(0)
    y = 2 * y - 1
    w = np.zeros(50)
    m = np.zeros(50)
    v = np.zeros(50)
    losses = []
    nb = 0
    ws, gs, ts = [w.copy()], [], []
    for epoch in range(100):
        nb = 0
        for i in range(0, n, 128):
            b = slice(i, i + 128)
            z = X[b] @ w
            g = -X[b].T @ (y[b] / (1 + np.exp(y[b] * z))) / len(z)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            t = epoch * n // 128 + i // 128 + 1
            w -= 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
            nb += 1
            ws.append(w.copy())
            gs.append(g)
            ts.append(t)
        losses.append(np.mean(np.log1p(np.exp(-y * (X @ w)))))
    # the code's counter t = (epoch n) // 128 + i // 128 + 1 advances 10000/128 = 78.125 per
    # epoch for 79 mini-batches: most epochs start at the counter the previous one ended at
    repeats = int(np.sum(np.diff(ts) == 0))
    dev = replay_deviation("adam", ws, gs, counters=ts, lr=0.1, eps=1e-8)
    return np.array(losses), nb, float(np.linalg.norm(w)), (repeats, ts[-1], len(ts)), dev


def _c8_check():
    losses, nb, wn, (repeats, t_last, k_last), dev = _c8()
    dec = (losses[0] - losses[-1]) / losses[0]
    ev = {
        "loss after epoch 1, epoch 100": [fmt(losses[0]), fmt(losses[-1])],
        "printed relative decrease": dec,
        "updates per epoch": nb,
        "|w|": wn,
        "epochs starting at a repeated step counter (the code's t = (epoch n)//128 + "
        "i//128 + 1 advances 78.125 per epoch of 79 mini-batches)": repeats,
        "the code's step counter at the last step, the step number": [t_last, k_last],
    }
    parts = {
        "~67% relative decrease (printed)": abs(dec - 0.67) < 0.2,
        "~78 updates per epoch": abs(nb - 78) <= 1,
    }
    same_method(ev, parts, "optdyn's adam (lr 0.1, eps 1e-8) at the code's step counters", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="The printed decrease compares epoch 1 with epoch 100 (the loss at w = 0 is "
        "log 2 = 0.693, never logged); Adam at lr = 0.1 reaches its plateau within the first "
        f"epoch, so the printed decrease is small (here {fmt(dec, 2)}), not 67%; 10000/128 gives "
        "79 "
        "mini-batches (78 full ones and a partial one).",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.9
@functools.cache
def _c9():
    prob = simulate.DiagonalQuadratic([1.0, 0.1])
    r = simulate.run("heavy_ball", prob, steps=200, x0=np.array([1.0, 1.0]), keep_iterates=True,
                     lr=0.4, momentum=0.95)  # fmt: skip
    xs = r.iterates.reshape(-1, 2)
    gn = np.linalg.norm(xs * np.array([1.0, 0.1]), axis=1)
    stop = int(np.argmax(gn < 1e-6)) + 1 if (gn < 1e-6).any() else 200
    return xs, stop


def _c9_check():
    xs, stop = _c9()
    k10 = (np.sqrt(10) - 1) / (np.sqrt(10) + 1)
    edge = hb_threshold_lr(0.95, 1.0)
    return decide(
        {"iterations run (stop at |g| < 1e-6 or 200)": stop, "final loss (sum x^2/2)":
         float(np.sum(xs[-1] ** 2) / 2), "(sqrt 10 - 1)/(sqrt 10 + 1)": k10,
         "largest stable lr (lam_max = 1, beta = 0.95)": edge,
         "spectral radius at lr=0.4, beta=0.95": max(rho("heavy_ball", lr=0.4, momentum=0.95,
                                                         lam=lam) for lam in (1.0, 0.1))},
        {"converges in 50-80 iterations": 50 <= stop <= 80,
         "(sqrt k - 1)/(sqrt k + 1) ~ 0.650 for k = 10": abs(k10 - 0.65) < 0.01,
         "divergence if lr > 0.8": abs(edge - 0.8) < 0.05},
        correct="Heavy ball on Q = diag(1, 0.1) with lr = 0.4, beta = 0.95 has complex roots of "
        "modulus sqrt(0.95) = 0.975 on both modes: it spirals in but does not reach |g| < 1e-6 "
        "within 200 iterations (~540 needed); (sqrt 10 - 1)/(sqrt 10 + 1) = 0.519; it diverges "
        "only for lr > 2(1+beta)/lam_max = 3.9.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.10
@functools.cache
def _c10(momentum_sgd: bool = False):
    rng = np.random.RandomState(42)
    x0 = rng.randn(20)
    x = x0.copy()
    m = np.zeros(20)
    v = np.zeros(20)
    losses = []
    xs, gs = [x0], []
    for k in range(1000):
        g = x + 0.1 * np.sin(100 * x) + 0.01 * rng.randn(20)
        gs.append(g)
        if momentum_sgd:
            m = 0.9 * m - 0.01 * g
            x = x + m
        else:
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            x -= 0.01 * (m / (1 - 0.9 ** (k + 1))) / (np.sqrt(v / (1 - 0.999 ** (k + 1))) + 1e-8)
        xs.append(x.copy())
        losses.append(0.5 * np.sum(x**2))
    if momentum_sgd:  # m = x_k - x_{k-1}: heavy ball
        dev = replay_deviation("heavy_ball", xs, gs, lr=0.01, momentum=0.9)
    else:
        dev = replay_deviation("adam", xs, gs, lr=0.01, eps=1e-8)
    return np.array(losses), float(np.linalg.norm(x)), dev


def _ema_white_variance(beta: float) -> float:
    """Stationary variance of m = b m + (1-b) xi for unit white noise (Lyapunov, scalar)."""
    b, s = sp.symbols("b s", positive=True)
    return float(sp.solve(sp.Eq(s, b**2 * s + (1 - b) ** 2), s)[0].subs(b, beta))


def _c10_check():
    losses, xn, dev = _c10()
    hit = int(np.argmax(losses < 1e-3)) if (losses < 1e-3).any() else None
    red = 1 / _ema_white_variance(0.9)
    ev = {
        "final loss": losses[-1],
        "final |x|": xn,
        "first iteration with loss < 1e-3": hit,
        "variance reduction of an EMA with b1 = 0.9 (1/Var)": red,
    }
    parts = {
        "final loss ~1e-6 (within 10x)": 1e-7 <= losses[-1] <= 1e-5,
        "final |x| ~ 1e-3 (within 3x)": 3e-4 <= xn <= 3e-3,
        "b1 = 0.9 reduces variance by (1-b1)^-2 = 100": abs(red - 100) < 10,
    }
    same_method(ev, parts, "optdyn's adam (lr 0.01, eps 1e-8)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.10: Adam ends at loss {fmt(losses[-1], 3)} (|x| = {fmt(xn, 3)}); an "
        "EMA with b1 = 0.9 reduces "
        "white-noise variance by (1+b1)/(1-b1) = 19, not (1-b1)^-2 = 100.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.11
def _c11_problem():
    """C.11's least-squares data (500 x 20, noise 0.1) and the generator that goes on to shuffle."""
    rng = np.random.RandomState(42)
    X = rng.randn(500, 20)
    w_true = rng.randn(20)
    y = X @ w_true + 0.1 * rng.randn(500)
    return rng, X, w_true, y


@functools.cache
def _c11(beta: float = 0.9):
    rng, X, w_true, y = _c11_problem()
    w = np.zeros(20)
    v = np.zeros(20)
    losses, nb, iters, gs = [], 0, [], []
    for _epoch in range(20):
        perm = rng.permutation(500)
        nb = 0
        for i in range(0, 500, 32):
            idx = perm[i : i + 32]
            g = X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
            v = beta * v - 0.01 * g
            w = w + v
            nb += 1
            iters.append(w.copy())
            gs.append(g)
        losses.append(np.mean((X @ w - y) ** 2))
    dev = replay_deviation("heavy_ball", [np.zeros(20), *iters], gs, lr=0.01, momentum=beta)
    return float(np.linalg.norm(w - w_true)), np.array(losses), nb, np.array(iters), dev


def _c11_check():
    err, losses, nb, _, dev = _c11()
    _rng, X, w_true, y = _c11_problem()
    floor = float(np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2))
    at_true = float(np.mean((X @ w_true - y) ** 2))
    ok, rec = stated_number("0.01", losses[-1])
    ev = {
        "weight error": err,
        "final training MSE": losses[-1],
        "batches per epoch": nb,
        "MSE after epochs 1, 5": [fmt(losses[0]), fmt(losses[4])],
        "noise level: MSE of the least-squares fit, of w_true": [fmt(floor), fmt(at_true)],
        "MSE record": rec,
    }
    parts = {
        "weight error < 0.1": err < 0.1,
        "final loss ~0.01 (close to the noise level)": ok,
        "20 x 16 = 320 updates": nb == 16,
    }
    same_method(ev, parts, "optdyn's heavy_ball (lr 0.01, momentum 0.9)", dev)
    return decide(
        ev, parts,
        tolerances={"~0.01": "half a unit of the printed digit (0.01 +- 0.005); the noise "
                    "level sigma^2 = 0.01 itself", "replay": f"{REPLAY_RTOL:g} relative "
                    "(rounding)"},
        seeds=(42,),
        correct=f"Running C.11: error {fmt(err, 3)}, final MSE {fmt(losses[-1], 3)}, 16 batches "
        "per epoch.",
    )  # fmt: skip


@functools.cache
def _c11_tail(betas=(0.9, 0.0)) -> dict:
    """C.11's run continued to 200 epochs: mean |w - w_ls|^2 over the last 100 epochs.

    optdyn's ``heavy_ball`` (lr 0.01, C.11's v = beta v - lr g, w += v) on C.11's shuffled
    mini-batches, one run per momentum in ``betas``; returns momentum -> mean.
    """
    rng, X, _w_true, y = _c11_problem()
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    batches = [perm[i : i + 32] for perm in (rng.permutation(500) for _ in range(200))
               for i in range(0, 500, 32)]  # fmt: skip

    def grad(q, t):
        idx = batches[t - 1]
        return (q @ X[idx].T - y[idx]) @ X[idx] / len(idx)

    w = simulate.trace("heavy_ball", grad, np.zeros((len(betas), 20)), len(batches), lr=0.01,
                       momentum=np.array(betas)[:, None])["x"]  # fmt: skip
    dev = np.sum((w[1 + len(batches) // 2 :] - w_ls) ** 2, axis=-1)
    return dict(zip(betas, map(float, dev.mean(axis=0)), strict=True))


def _c11_var():
    # same lr, momentum 0.9 vs 0: stationary variance of the iterates (theory, one mode lam = 1)
    ratio = hb_var(0.01, 0.9, 1.0) / hb_var(0.01, 0.0, 1.0)
    tail = _c11_tail()
    sd9, sd0 = tail[0.9], tail[0.0]
    return decide(
        {"stationary variance ratio beta=0.9 / beta=0 (theory, lr lam = 0.01)": ratio,
         "C.11 run for 200 epochs: mean |w - w_ls|^2 over the last 100, beta=0.9 / beta=0":
         sd9 / sd0},
        {"momentum reduces the per-iteration variance (~50%)": sd9 < sd0},
        seeds=(42,),
        correct="At the same lr, momentum 0.9 increases the stationary variance of the "
        "iterates (about (1+beta)/(1-beta) x (2 - lr lam)/(2(1+beta) - lr lam) ~ 10x for small "
        "lr lam); it does not reduce it by 50%.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.12
@functools.cache
def _c12():
    rng = np.random.default_rng(42)
    w = rng.standard_normal((64, 64))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    losses, norms = [], []
    ws, gs = [w.copy()], []
    for k in range(100):
        g = rng.standard_normal((64, 64)) * (0.1 + 0.05 * np.sin(k / 10))
        gs.append(g)
        norms.append(np.linalg.norm(g))
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        t = k + 1
        w -= 1e-3 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        ws.append(w.copy())
        losses.append(np.sum(w**2))
    dev = replay_deviation("adam", ws, gs, lr=1e-3, eps=1e-8)
    return np.array(losses), np.array(norms), dev


def _c12_check():
    losses, norms, dev = _c12()
    ev = {"loss first, last": [fmt(losses[0]), fmt(losses[-1])], "gradient norm min, max":
          [fmt(norms.min()), fmt(norms.max())]}  # fmt: skip
    parts = {"loss ~4000 -> ~1000": losses[-1] < 2000, "gradient norms 0.5-2.5":
             norms.min() > 0.25 and norms.max() < 5}  # fmt: skip
    same_method(ev, parts, "optdyn's adam (lr 1e-3, eps 1e-8)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="The injected gradients are independent of the weights, so Adam (lr = 1e-3, "
        "100 steps, moves <= ~0.1 per entry) leaves sum w^2 near its initial ~4096; the "
        "gradient norms are 64 (0.1 + 0.05 sin(k/10)), between about 3.2 and 9.6.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.13
@functools.cache
def _c13():
    """C.13: 1000 x 10000 Gaussian features kept with probability 3% (stored sparse)."""
    from scipy import sparse

    rng = np.random.default_rng(42)
    nf, ns = 10000, 1000
    rows_, cols = np.nonzero(rng.random((ns, nf)) > 0.97)
    X = sparse.csr_matrix((rng.standard_normal(rows_.size), (rows_, cols)), shape=(ns, nf))
    w_true = np.zeros(nf)
    w_true[rng.choice(nf, 100, replace=False)] = rng.standard_normal(100)
    y = X @ w_true + 0.01 * rng.standard_normal(ns)
    out = {}
    perms = [rng.permutation(ns) for _ in range(10)]
    for method in ("adagrad", "sgd"):
        w = np.zeros(nf)
        G = np.zeros(nf)
        losses = []
        ws, gs = [w.copy()], []
        for perm in perms:
            for i in range(0, ns, 100):
                Xb = X[perm[i : i + 100]]
                g = Xb.T @ (Xb @ w - y[perm[i : i + 100]]) / 100
                if method == "adagrad":
                    G += g**2
                    w -= 0.1 * g / (np.sqrt(G) + 1e-8)
                else:
                    w -= 0.1 * g
                ws.append(w.copy())
                gs.append(g)
            losses.append(0.5 * np.mean((X @ w - y) ** 2))
        dev = (replay_deviation("adagrad", ws, gs, lr=0.1, eps=1e-8) if method == "adagrad"
               else replay_deviation("gd", ws, gs, lr=0.1))  # fmt: skip
        out[method] = (np.array(losses), float(np.linalg.norm(w - w_true)),
                       float(np.mean(np.sign(w) == np.sign(w_true))), dev)  # fmt: skip
    return out


def _c13_check():
    o = _c13()
    la, err, sign, dev_a = o["adagrad"]
    ls_, _, _, dev_s = o["sgd"]
    ev = {
        "final loss AdaGrad, SGD (lr 0.1)": [fmt(la[-1]), fmt(ls_[-1])],
        "weight error": err,
        "sign recovery (all 10000 coordinates)": sign,
    }
    parts = {
        "final loss ~0.01 (within 10x)": 1e-3 <= la[-1] <= 0.1,
        "weight recovery error < 0.5": err < 0.5,
        "sign recovery > 90%": sign > 0.9,
        "faster than SGD": la[-1] < ls_[-1],
    }
    same_method(ev, parts, "optdyn's adagrad (lr 0.1, eps 1e-8)", dev_a)
    same_method(ev, parts, "optdyn's gd (lr 0.1)", dev_s)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.13: AdaGrad ends at loss {fmt(la[-1], 3)} with weight error "
        f"{fmt(err, 3)} and sign "
        f"agreement {fmt(sign, 3)} over all coordinates (1000 samples cannot determine 10000 "
        "weights).",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.14
@functools.cache
def _c14():
    rng = np.random.RandomState(42)
    out, devs = [], []
    for beta in (0.0, 0.9):
        w = np.ones(10)
        v = np.zeros(10)
        var = [0.0]
        ws, gs = [w], []
        for _ in range(1000):
            g = 2 * w + 0.5 * rng.randn(10)
            v = beta * v - 0.05 * g
            w = w + v
            var.append(np.var(w))
            ws.append(w)
            gs.append(g)
        out.append(np.mean(var[-100:]))
        devs.append(replay_deviation("heavy_ball", ws, gs, lr=0.05, momentum=beta))
    return (*out, max(devs))


def _c14_check():
    vs, vm, dev = _c14()
    ts, tm = hb_var(0.05, 0.0, 2.0, 0.25), hb_var(0.05, 0.9, 2.0, 0.25)
    ev = {"steady variance SGD, momentum (run)": [fmt(vs), fmt(vm)], "theory (Lyapunov)":
          [fmt(ts), fmt(tm)], "printed reduction factor": vs / vm}  # fmt: skip
    parts = {
        "SGD variance ~0.000625": abs(vs / 0.000625 - 1) < 0.5,
        "momentum variance ~40x smaller": vs / vm > 10,
    }
    same_method(ev, parts, "optdyn's heavy_ball (lr 0.05, momentum 0, 0.9)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="On f = |w|^2 (lam = 2) with lr = 0.05 and noise 0.5, the stationary variance "
        "is 0.0033 for SGD and 0.032 for heavy ball with beta = 0.9: momentum at a fixed lr "
        "multiplies the variance by ~10 instead of dividing it by 40-100.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.15
@functools.cache
def _c15(const_beta: float | None = None):
    lam = np.array([100.0, 1.0])
    x = np.ones(2)
    v = np.zeros(2)
    losses = []
    xs, gs = [x], []
    for k in range(100):
        bk = const_beta if const_beta is not None else ((k - 1) / (k + 2) if k > 0 else 0)
        y = x + bk * v
        v = bk * v - 0.01 * lam * y
        x = x + v
        losses.append(0.5 * np.sum(lam * x**2))
        xs.append(x)
        gs.append(lam * y)
    # v = x_k - x_{k-1}: Nesterov with momentum b_k at step k + 1
    dev = replay_deviation("nesterov", xs, gs, lr=0.01, schedule={"momentum": lambda k: (
        const_beta if const_beta is not None else max(0.0, (k - 2) / (k + 1)))})  # fmt: skip
    return np.array(losses), dev


def _c15_check():
    lo, dev_o = _c15()
    lc, dev_c = _c15(0.9)
    k = np.arange(1, 100)
    s = slope(k[:50], lo[1:51])
    ev = {
        "fitted log-log slope (first 50)": s,
        "loss at 10, 100": [fmt(lo[9]), fmt(lo[99])],
        "ratio": lo[9] / lo[99],
        "constant beta = 0.9: loss at 100": lc[99],
    }
    parts = {"slope ~ -2.0": abs(s + 2) < 0.3, "loss ~1e-3 at 10, ~1e-5 at 100":
             1e-4 < lo[9] < 1e-2 and 1e-6 < lo[99] < 1e-4,
             "constant beta = 0.9 slower": lc[99] > lo[99]}  # fmt: skip
    same_method(ev, parts, "optdyn's nesterov (lr 0.01, momentum b_k, and 0.9)", max(dev_o, dev_c))
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.15: slope {fmt(s, 3)}, loss {fmt(lo[9], 3)} at k = 10 and "
        f"{fmt(lo[99], 3)} at k = 100; with constant "
        f"beta = 0.9 the loss at k = 100 is {fmt(lc[99], 3)} (on this strongly convex quadratic "
        "constant "
        "momentum converges linearly).",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.16
def _c16():
    f = np.power(np.arange(1, 5001), -1.2)
    f /= f.sum()

    def eff(p):
        n = int(10000 * 1000 * p)
        if n == 0:
            return 1e-3 / np.sqrt(1e-7)
        return 1e-3 / np.sqrt(1000.0 * n + 1e-8)

    lrs = np.array([eff(p) for p in f])
    ratio = lrs[-1] / lrs[0]
    s = slope(f[:1000], lrs[:1000])
    return decide(
        {"rare/common effective lr": ratio, "p rare, p common": [fmt(f[-1]), fmt(f[0])],
         "orders of magnitude of p": float(np.log10(f[0] / f[-1])),
         "log-log slope lr vs p (top 1000)": s},
        {"lr ~ 1/sqrt(p)": abs(s + 0.5) < 0.05, "rare gets 100-300x": 100 <= ratio <= 300,
         "vocabulary spans 6+ orders": np.log10(f[0] / f[-1]) >= 6},
        correct=f"Running C.16: effective lr ~ p^-1/2 (slope {fmt(s, 3)}); the ratio rare/common "
        f"is {fmt(ratio, 3)} "
        f"and the Zipf(1.2) vocabulary of 5000 tokens spans {fmt(np.log10(f[0] / f[-1]), 3)} "
        "orders of magnitude.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.17
@functools.cache
def _c17():
    lam = np.array([100.0, 1.0, 0.1, 0.01])
    out, devs = [], []
    for sched in (lambda k: 0.1 * 0.99**k, lambda k: 0.1 / (1 + k) ** 2):
        x = np.ones(4)
        v = np.zeros(4)
        losses = [0.5 * np.sum(lam * x**2)]
        xs, gs = [x], []
        for k in range(200):
            gs.append(lam * x)
            v = min(0.99, (k - 1) / (k + 2)) * v - sched(k) * lam * x
            x = x + v
            losses.append(0.5 * np.sum(lam * x**2))
            xs.append(x)
        out.append(np.array(losses))
        # v = x_k - x_{k-1}: heavy ball with lr_k, momentum_k of loop step k - 1 (the first
        # momentum, -1/2, multiplies v = 0: 0 for optdyn, whose momentum is >= 0)
        devs.append(replay_deviation("heavy_ball", xs, gs, schedule={
            "lr": lambda k, sched=sched: sched(k - 1),
            "momentum": lambda k: max(0.0, min(0.99, (k - 2) / (k + 1)))}))  # fmt: skip
    return (*out, max(devs))


def _c17_check():
    le, lp, dev = _c17()
    k70 = 0.1 * 0.99**70
    k_poly = next(k for k in range(100) if 0.1 / (1 + k) ** 2 <= 0.01)
    ev = {
        "final loss exponential, polynomial": [fmt(le[-1]), fmt(lp[-1])],
        "0.1*0.99^70": k70,
        "first k with 0.1/(1+k)^2 <= 0.01": k_poly,
    }
    parts = {"final loss ~1e-8 (polynomial)": lp[-1] < 1e-7, "polynomial converges faster":
             lp[-1] < le[-1], "0.1*0.99^k reaches 0.05 by k = 70": k70 <= 0.0505,
             "0.1/(1+k)^2 reaches 0.01 by k = 10": k_poly <= 10}  # fmt: skip
    same_method(ev, parts, "optdyn's heavy_ball with the code's lr and momentum schedules", dev)
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.17: the exponential schedule ends at loss {fmt(le[-1], 3)} and the "
        "polynomial one "
        f"at {fmt(lp[-1], 3)}; 0.1/(1+k)^2 sums to 0.16, so the slow coordinates (lam = 0.1, "
        "0.01) hardly "
        "move under it.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.18
@functools.cache
def _c18():
    scales = np.concatenate([np.full(1000, s) for s in (1.0, 5.0, 0.2, 2.0, 1.0)])
    v = 0.0
    eff, vs = [], []
    for s in scales:
        v = 0.999 * v + 0.001 * s**2
        eff.append(0.1 / (np.sqrt(v) + 1e-8))
        vs.append(v)
    eff = np.array(eff)
    # the code's v is optdyn rmsprop's (decay 0.999) fed the gradient scales (lr 0: x fixed)
    v_rms = simulate.trace("rmsprop", lambda q, t: scales[t - 1], 0.0, len(scales), lr=0.0,
                           decay=0.999)["v"][1:]  # fmt: skip
    dev = float(np.max(np.abs(v_rms - vs) / np.array(vs)))
    lags = []
    for c in (1000, 2000, 3000, 4000):
        w = eff[c : c + 500]
        target = 0.1 / np.sqrt(scales[c] ** 2 + 1e-8)
        lags.append(int(np.argmax(np.abs(w - target) < 0.001 * np.max(w))))
    # continuing the 5x decrease (scale 5 -> 0.2 at step 2000): steps to within 1% of target,
    # optdyn's rmsprop from the v of step 2000 fed the gradient 0.2
    v = simulate.trace("rmsprop", lambda q, t: 0.2, 0.0, 15000,
                       state0={"v": eff[1999] ** -2 * 0.01}, lr=0.0, decay=0.999)["v"]  # fmt: skip
    close = np.abs(0.1 / np.sqrt(v) - 0.1 / 0.2) <= 0.01 * 0.5
    if not close[-1]:
        raise RuntimeError("the effective lr did not settle within 15000 steps")
    return lags, int(np.argmax(close)), 1 - 0.999**1000, dev


def _c18_check():
    lags, k_down, frac, dev = _c18()
    ev = {"printed lags (argmax over a 500-step window)": lags, "EMA response after 1000 steps":
          frac, "steps for the effective lr to come within 1% after 5 -> 0.2": k_down,
          "code's v vs optdyn rmsprop's v (decay 0.999) fed the same gradients (max relative "
          "deviation)": dev}  # fmt: skip
    parts = {"lags 200-600": all(200 <= x <= 600 for x in lags), "63% response in 1000":
             abs(frac - 0.632) < 0.01, "5x down takes ~500 iterations": 250 <= k_down <= 1000,
             f"the code's v is optdyn rmsprop's (within {REPLAY_RTOL:g} relative)":
             dev < REPLAY_RTOL}  # fmt: skip
    return decide(
        ev, parts, tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"Running C.18: the printed lags are {lags} (argmax returns 0 when no step of the "
        "500-step window is within the threshold); the EMA responds 63% in 1000 steps; after "
        f"the drop 5 -> 0.2 the effective lr needs {k_down} steps to come within 1% of its new "
        "value.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.19
@functools.cache
def _c19(steps: int = 100):
    rng = np.random.RandomState(42)
    X = rng.randn(100, 500)
    y = np.sin(X[:, 0]) + 0.1 * rng.randn(100)
    K = X @ X.T / 500
    target = np.linalg.pinv(K) @ y
    th0 = rng.randn(100)
    out, devs = {}, []
    for beta in (0.9, 0.0):
        th = th0.copy()
        v = np.zeros(100)
        losses = []
        ths, gs = [th], []
        for _ in range(steps):
            gs.append(K @ (th - target))
            v = beta * v - 0.001 * gs[-1]
            th = th + v
            losses.append(0.5 * np.sum((th - target) ** 2))
            ths.append(th)
        out[beta] = (th, np.array(losses))
        devs.append(replay_deviation("heavy_ball", ths, gs, lr=0.001, momentum=beta))
    eig = np.linalg.eigvalsh(K)
    return out, float(eig.min()), float(eig.max()), max(devs)


def _c19_check():
    out, lmin, lmax, dev = _c19()
    diff = float(np.linalg.norm(out[0.9][0] - out[0.0][0]))
    ev = {
        "final weight difference": diff,
        "final loss momentum, SGD": [fmt(out[0.9][1][-1]), fmt(out[0.0][1][-1])],
        "eigenvalues of K (min, max)": [fmt(lmin), fmt(lmax)],
    }
    parts = {"difference < 1e-6": diff < 1e-6}
    same_method(ev, parts, "optdyn's heavy_ball (lr 0.001, momentum 0.9, 0)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct=f"With lr = 0.001 and K's eigenvalues in [{fmt(lmin, 3)}, {fmt(lmax, 3)}], 100 "
        "steps move the iterates "
        "only a little (the slowest contraction is 1 - lr lam_min per step): SGD and momentum "
        f"end {fmt(diff, 3)} apart; they share the limit only as k -> infinity.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- C.20
@functools.cache
def _c20():
    rng = np.random.RandomState(42)
    w = 0.0
    m = v = 0.0
    losses = []
    ws, gs = [w], []
    for k in range(500):
        g = 2 * w + rng.randn() * 0.01
        gs.append(g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 1e-3 / (np.sqrt(v / (1 - 0.999 ** (k + 1))) + 1e-8) * (m / (1 - 0.9 ** (k + 1)))
        ws.append(w)
        losses.append(w * w)
    losses = np.array(losses)
    kk = np.arange(1, 500)
    s = float(np.polyfit(kk[:200], np.log(np.maximum(losses[1:], 1e-8))[:200], 1)[0])
    return losses, s, replay_deviation("adam", ws, gs, lr=1e-3, eps=1e-8)


def _c20_check():
    losses, s, dev = _c20()
    ev = {
        "initial w": 0.0,
        "final loss": losses[-1],
        "max loss": float(losses.max()),
        "fitted rate (-slope)": -s,
    }
    parts = {
        "exponential decrease with rate 0.1-0.2": 0.1 <= -s <= 0.2,
        "final loss < 1e-6": losses[-1] < 1e-6,
    }
    same_method(ev, parts, "optdyn's adam (lr 1e-3, eps 1e-8)", dev)
    return decide(
        ev, parts, seeds=(42,), tolerances={"replay": f"{REPLAY_RTOL:g} relative (rounding)"},
        correct="C.20 starts at w0 = 0, the minimiser: there is nothing to converge; the loss "
        f"is Adam's noise-driven fluctuation (max {fmt(losses.max(), 3)}, final "
        f"{fmt(losses[-1], 3)}) and the fitted 'rate' is {fmt(-s, 3)}.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- the rows
_HB, _ADAM, _GD_HB = ("heavy_ball",), ("adam",), ("gd", "heavy_ball")

# fmt: off
register((
    # id                   expected section sides            methods
    ("002:C.1-sol",        "fails", SEC_C,
     emp(_c1_check, "speed", "finals", "stable", "rho", "decay"), _GD_HB),
    ("002:C.1-code-stab",  "holds", SEC_C,  emp(_c1_check, "stable"),          _HB),
    ("002:C.1-code-out",   "fails", SEC_C,  emp(_c1_check, "speed", "finals"), _GD_HB),
    ("002:C.1-code-rho",   "fails", SEC_C,  emp(_c1_check, "rho", "decay"),    _HB),
    ("002:C.2-code",       "fails", SEC_C,  emp(_c2_check),  _HB),
    ("002:C.3-code",       "fails", SEC_C,  emp(_c3_check),  _HB),
    ("002:C.3-code-eff",   "fails", SEC_C,  sym(_c3_eff),    _HB),
    ("002:C.4-code",       "fails", SEC_C,  emp(_c4_check),  ("heavy_ball", "nesterov")),
    ("002:C.5-code",       "fails", SEC_C,  emp(_c5_check),  ("adagrad",)),
    ("002:C.6-code",       "fails", SEC_C,  emp(_c6_check),  ("rmsprop", "gd")),
    ("002:C.7-code",       "fails", SEC_C,  emp(_c7_check),  _ADAM),
    ("002:C.8-code",       "fails", SEC_C,  emp(_c8_check),  _ADAM),
    ("002:C.9-code",       "fails", SEC_C,  emp(_c9_check),  _HB),
    ("002:C.10-code",      "fails", SEC_C,  emp(_c10_check), _ADAM),
    ("002:C.11-code",      "holds", SEC_C,  emp(_c11_check), _HB),
    ("002:C.11-code-var",  "fails", SEC_C,  emp(_c11_var),   _HB),
    ("002:C.12-code",      "fails", SEC_C,  emp(_c12_check), _ADAM),
    ("002:C.13-code",      "fails", SEC_C,  emp(_c13_check), ("adagrad",)),
    ("002:C.14-code",      "fails", SEC_C,  emp(_c14_check), _HB),
    ("002:C.15-code",      "fails", SEC_C,  emp(_c15_check), ("nesterov",)),
    ("002:C.16-code",      "fails", SEC_C,  emp(_c16),       _ADAM),
    ("002:C.17-code",      "fails", SEC_C,  emp(_c17_check), _HB),
    ("002:C.18-code",      "fails", SEC_C,  emp(_c18_check), ("rmsprop",)),
    ("002:C.19-code",      "fails", SEC_C,  emp(_c19_check), _HB),
    ("002:C.20-code",      "fails", SEC_C,  emp(_c20_check), _ADAM),
))
# fmt: on
