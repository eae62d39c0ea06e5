r"""Damping: critical momentum, the modes' modulus and period, which direction oscillates first,
and when the loss curve itself oscillates.

A mode is *underdamped* when the characteristic polynomial of its iteration has complex roots
:math:`r e^{\pm i\theta}`: its iterate is then exactly :math:`x_t = A r^t \cos(\theta t + \phi)`,
it spirals with period :math:`2\pi/\theta` steps and its envelope decays by :math:`r` per step.
``h`` denotes the step a mode takes relative to its curvature (``lr*lam`` for gd and heavy ball,
``lr*lam/P`` for Adam, with ``P = sqrt(v) + eps`` the frozen preconditioner); the stated formulas
are read with the hyperparameter domains (``0 <= momentum < 1``, ``lr > 0``) and ``lam > 0``.
"""

from __future__ import annotations

import re

import mpmath
import numpy as np
import sympy as sp

from ... import simulate
from ...methods.base import get
from ...theory import critical, linearize, modes
from ..core import Check, Claim, register
from ..experiments import exact_points, mode_run, run_values
from ._common import CATALOGUE, FROZEN, at, fmt, numeric, parse, reported, tex, truth

# a value counts as resolved (not lost to underflow or rounding) above this magnitude
TINY = 1e-250
_SV = sp.Symbol(
    "s_v", positive=True
)  # sqrt(v), so that frozen-preconditioner formulas are rational


def _hb(h: str, p: str = "momentum") -> dict:
    """Heavy-ball-like mode z^2 - (1 + p - h) z + p (heavy ball, sgd_momentum, rmsprop)."""
    return {
        "critical": f"(1 - sqrt({h}))**2",
        "modulus": f"sqrt({p})",
        "period": f"2*pi/acos((1 + {p} - {h})/(2*sqrt({p})))",
        "regime": f"{h} < 1",
    }


_ADAM_H, _W = "lr*lam/P", "lr*weight_decay"
_ADAMW_CRIT = f"((sqrt(1 - {_W}) - sqrt({_ADAM_H}*({_ADAM_H} + {_W})))/(1 + {_ADAM_H}))**2"
_GOH = "G. Goh, Why Momentum Really Works, Distill, 2017 (critical momentum, modulus sqrt(beta))"

STATED = {
    "gd": {
        "real_root": "1 - lr*lam",
        "flip": "lr*lam > 1",
        "h": "lr*lam",
        "monotone": "lr*lam <= 2",
        "loss_start": "any",
        "refs": ("B. T. Polyak, Introduction to Optimization (1987), §1.4",),
    },
    "heavy_ball": {
        "param": "momentum",
        **_hb("lr*lam"),
        "h": "lr*lam",
        "monotone": "(momentum <= (1 - sqrt(lr*lam))**2) & (lr*lam <= 1)",
        "assume": "momentum > 0",
        # one curvature alone: real negative roots whose loss rises, and an underdamped mode
        # (theta = pi/2) whose loss from rest never rises: |x_t| = 1, m, m, m^2, m^2, ...
        "single_mode": (
            {"lr": 1, "momentum": 0.05, "lam": 2.05, "roots": "negative real", "loss": "rises"},
            {"lr": 1, "momentum": 0.3, "lam": 1.3, "roots": "complex", "loss": "nonincreasing"},
        ),
        "refs": (_GOH, "B. T. Polyak, USSR Comput. Math. Math. Phys. 4(5), 1964"),
    },
    "nesterov": {
        "param": "momentum",
        "critical": "(1 - sqrt(lr*lam))/(1 + sqrt(lr*lam))",
        "modulus": "sqrt(momentum*(1 - lr*lam))",
        "period": "2*pi/acos((1 + momentum)*(1 - lr*lam)/(2*sqrt(momentum*(1 - lr*lam))))",
        "regime": "lr*lam < 1",
        "h": "lr*lam",
        "monotone": "(momentum <= (1 - sqrt(lr*lam))/(1 + sqrt(lr*lam))) & (lr*lam <= 1)",
        "assume": "momentum > 0",
        "refs": (
            "hand derivation: p(z) = z^2 - (1+m)(1-h) z + m(1-h), discriminant "
            "(1-h)((1+m)^2(1-h) - 4m)",
            "L. Lessard, B. Recht, A. Packard, SIAM J. Optim. 26(1), 2016",
        ),
    },
    "ema_momentum": {
        "param": "momentum",
        "critical": "((1 - lr*lam)/(1 + lr*lam))**2",
        "modulus": "sqrt(momentum)",
        "period": "2*pi/acos((1 + momentum - lr*lam*(1 - momentum))/(2*sqrt(momentum)))",
        "regime": "lr*lam < 1",
        "h": "lr*lam",
        "monotone": "(momentum <= ((1 - lr*lam)/(1 + lr*lam))**2) & (lr*lam <= 1)",
        "assume": "momentum > 0",
        "refs": (_GOH + "; heavy ball with lr*(1 - momentum)",),
    },
    "sgd_momentum": {
        "param": "momentum",
        **_hb("lr*(1 - dampening)*(lam + weight_decay)"),
        "h": "lr*(1 - dampening)*(lam + weight_decay)",
        "monotone": "(momentum <= (1 - sqrt(lr*(lam + weight_decay)))**2) & "
        "(lr*(lam + weight_decay) <= 1)",
        "assume": "momentum > 0",
        "loss_fixed": {"dampening": 0},
        "loss_h": "lr*(lam + weight_decay)",
        "note": "momentum > 0: with momentum = 0 torch.optim.SGD ignores dampening (the "
        "iteration is gd with lr)",
        "refs": (_GOH + "; torch.optim.SGD is heavy ball with lr*(1 - dampening)",),
    },
    "rmsprop": {
        "param": "momentum",
        **_hb("lr*(lam + weight_decay)/P"),
        "h": "lr*(lam + weight_decay)/P",
        "real_root": "1 - lr*(lam + weight_decay)/P",
        "flip": "lr*(lam + weight_decay) > P",
        "real_fixed": {"momentum": 0},
        "monotone": "lr*(lam + weight_decay) <= 2*P",
        "loss_start": "any",
        "loss_fixed": {"momentum": 0},
        "refs": (
            "T. Tieleman, G. Hinton, Coursera lecture 6.5, 2012; torch.optim.RMSprop "
            "(heavy ball with lr/P on the frozen preconditioner)",
        ),
    },
    "adam": {
        "param": "beta1",
        "critical": "((P - lr*lam)/(P + lr*lam))**2",
        "modulus": "sqrt(beta1)",
        "period": "2*pi/acos((1 + beta1 - lr*lam*(1 - beta1)/P)/(2*sqrt(beta1)))",
        "regime": "lr*lam < P",
        "h": _ADAM_H,
        "monotone": "(beta1 <= ((P - lr*lam)/(P + lr*lam))**2) & (lr*lam <= P)",
        "assume": "beta1 > 0",
        "refs": (
            "D. P. Kingma, J. Ba, Adam, ICLR 2015; frozen Adam is ema_momentum with lr/P "
            "(" + _GOH + ")",
        ),
    },
    "adamw": {
        "param": "beta1",
        "critical": _ADAMW_CRIT,
        "modulus": f"sqrt(beta1*(1 - {_W}))",
        "period": f"2*pi/acos((1 + beta1 - {_W} - {_ADAM_H}*(1 - beta1))/"
        f"(2*sqrt(beta1*(1 - {_W}))))",
        "regime": f"{_ADAM_H}*({_ADAM_H} + {_W}) < 1 - {_W}",
        "h": _ADAM_H,
        "h_with": ("lr", "weight_decay"),
        "monotone": f"(beta1 <= {_ADAMW_CRIT}) & ({_ADAM_H}*({_ADAM_H} + {_W}) <= 1 - {_W})",
        "assume": f"(beta1 > 0) & (beta1 < 1 - {_W})",
        "refs": (
            "I. Loshchilov, F. Hutter, Decoupled Weight Decay Regularization, ICLR 2019; "
            "hand derivation: p(z) = z^2 - (1 + beta1 - w - h(1 - beta1)) z + beta1(1 - w), "
            "w = lr*weight_decay",
        ),
    },
}


# -- helpers -------------------------------------------------------------------------------------
def _system(name: str, fixed: dict | None = None):
    return linearize(name, **(fixed or {}))


def _same(ls, a, b) -> bool:
    """Exact equality of two expressions of the system's symbols (sqrt(v) made a symbol)."""
    d = sp.sympify(a) - sp.sympify(b)
    if "v" in ls.symbols:
        d = d.subs(ls.symbols["v"], _SV**2)
    d = d.replace(
        lambda e: e.is_Pow and not e.exp.is_Integer, lambda e: sp.Pow(sp.factor(e.base), e.exp)
    )
    if sp.cancel(sp.together(d)) == 0:
        return True
    return sp.simplify(sp.powsimp(d)) == 0


def _points(ls, n: int, seed: int) -> dict:
    """``n`` sample points of the system's free symbols (float64 arrays)."""
    return ls.sample_points(n, seed=seed)


def _exact(name: str, ls, n: int, seed: int) -> list[dict]:
    """Exact points of the system's free symbols (fixed hyperparameters dropped)."""
    return [
        {k: v for k, v in p.items() if k in ls.symbols} for p in exact_points(name, n, seed=seed)
    ]


def _take(pts: dict, keep) -> dict:
    return {k: np.asarray(v)[keep] for k, v in pts.items()}


def _roots(ls, pts: dict, lam) -> np.ndarray:
    """Roots of the characteristic polynomial at arrays of points, shape (*shape, degree)."""
    coeffs = [numeric(ls, c, {**pts, "lam": lam}) for c in ls.charpoly.all_coeffs()]
    shape = np.broadcast_shapes(*(np.shape(c) for c in coeffs))
    c = [np.broadcast_to(np.asarray(x, dtype=float), shape) for x in coeffs]
    deg = len(c) - 1
    comp = np.zeros((*shape, deg, deg))
    for j in range(deg):
        comp[..., 0, j] = -c[j + 1] / c[0]
    for i in range(1, deg):
        comp[..., i, i - 1] = 1.0
    return np.linalg.eigvals(comp)


def _slope(ls, st, pts) -> tuple[np.ndarray, np.ndarray]:
    """(h at lam = 0, dh/dlam) per point of the stated ``h`` (affine in lam)."""
    h = parse(ls, st["h"])
    h0 = numeric(ls, h, {**pts, "lam": np.zeros(1)})
    h1 = numeric(ls, h, {**pts, "lam": np.ones(1)})
    return np.reshape(h0, -1), np.reshape(h1 - h0, -1)


def _lam_scale(ls, st, pts) -> np.ndarray:
    """Per point, the curvature at which the stated ``h`` equals 1."""
    h0, dh = _slope(ls, st, pts)
    return (1.0 - h0) / dh


def _lam_grid(ls, st, pts, lo=1e-3, hi=3.0, n=1500) -> np.ndarray:
    """Curvatures per point (n_points, n): lam * dh/dlam log-spaced in [lo, hi]."""
    _, dh = _slope(ls, st, pts)
    return np.geomspace(lo, hi, n)[None, :] / dh[:, None]


def _sign_changes(xs: np.ndarray) -> np.ndarray:
    """Number of sign changes along the last axis among resolved (finite, not tiny) values."""
    ok = np.isfinite(xs) & (np.abs(xs) > TINY)
    both = ok[..., :-1] & ok[..., 1:]
    with np.errstate(invalid="ignore"):
        return np.sum(both & (xs[..., :-1] * xs[..., 1:] < 0), axis=-1)


def _values(pts: dict, fixed: dict | None) -> dict:
    """``mode_run`` values (hyperparameters and frozen statistics) from points of a system."""
    return {k: v for k, v in pts.items() if k != "lam"} | (fixed or {})


def _iterates(name, ls, pts, lam, steps, fixed=None) -> np.ndarray:
    """Single-mode runs from x = 1 (rest): iterates of run i, shape (n, steps + 1)."""
    n = np.size(lam)
    r = mode_run(name, lam=lam, steps=steps, keep_iterates=True, **_values(pts, fixed))
    return r.iterates[np.arange(n), 0, :, np.arange(n)]


DIGITS = 50


def _decider(ls, cond):
    """Decide a stated condition at exact (algebraic) points in DIGITS-digit arithmetic."""
    names = list(ls.symbols)
    fn = sp.lambdify([ls.symbols[k] for k in names], cond, "mpmath")

    def decide(point: dict) -> bool:
        with mpmath.workdps(DIGITS):
            return bool(fn(*[mpmath.mpf(str(sp.N(point[k], DIGITS + 10))) for k in names]))

    return decide


def _merge(parts: list[Check]) -> Check:
    out = Check(ok=all(p.ok for p in parts))
    for p in parts:
        out.evidence.update(p.evidence)
        out.derivation += p.derivation
        out.tolerances.update(p.tolerances)
        out.seeds = tuple(dict.fromkeys((*out.seeds, *p.seeds)))
        if p.counterexample and out.counterexample is None:
            out.counterexample = p.counterexample
    return out


def _point(pts: dict, i: int, **extra) -> dict:
    return {
        **{k: fmt(np.asarray(v)[i]) for k, v in pts.items()},
        **{k: fmt(v) for k, v in extra.items()},
    }


def _near_critical(ls, st, crit, n: int, seed: int, grid_size: int):
    """``n`` points and, for each, a curvature whose critical value is near a uniform draw.

    The targets are uniform on (0.2, 0.8) (seed ``seed``); each point's curvature is the one
    of a ``grid_size`` grid (h in (1e-3, 0.999)) whose critical value is nearest its target.
    Returns the points, the curvatures and their critical values.
    """
    pts = _points(ls, n, seed=seed)
    grid = _lam_grid(ls, st, pts, lo=1e-3, hi=0.999, n=grid_size)
    cgrid = numeric(ls, crit, {**{k: v[:, None] for k, v in pts.items()}, "lam": grid})
    target = np.random.default_rng(seed).uniform(0.2, 0.8, n)
    j = np.argmin(np.abs(np.where(np.isfinite(cgrid), cgrid, 9.0) - target[:, None]), axis=1)
    return pts, grid[np.arange(n), j], cgrid[np.arange(n), j]


# -- 1. critical damping and the modes ------------------------------------------------------------
def _critical_symbolic_part(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = _system(name)
    p = st["param"]
    crit = parse(ls, st["critical"])
    derived = critical(name, param=p)
    match = [_same(ls, c, crit) for c in derived]
    a2, a1, a0 = ls.charpoly.all_coeffs()
    disc = sp.factor(a1**2 - 4 * a0 * a2)
    # complex roots r e^{+-i theta} of a monic quadratic: r^2 = a0, cos(theta) = -a1 / (2 r)
    mod = parse(ls, st["modulus"])
    period = parse(ls, st["period"])
    mod_ok = _same(ls, mod**2, a0 / a2)
    cos_ok = _same(ls, sp.cos(2 * sp.pi / period), -a1 / (2 * a2 * mod))
    # the stated value is the lower edge of the underdamped interval, with a positive double root
    n = 24
    pts, lam, c = _near_critical(ls, st, crit, n, seed=21, grid_size=400)
    d_fn = sp.lambdify([ls.symbols[k] for k in ls.symbols], disc, "numpy")

    def disc_at(mult):
        vals = {**pts, "lam": lam, p: c * mult}
        return np.asarray(d_fn(*[vals[k] for k in ls.symbols]), dtype=float)

    below, above = disc_at(1 - 1e-3) > 0, disc_at(1 + 1e-3) < 0
    ca1 = numeric(ls, -a1 / (2 * a2), {**pts, "lam": lam, p: c})
    edge_ok = below & above & (ca1 > 0)
    # second route: od.theory.modes at underdamped points
    worst_mod, worst_per, n_modes = 0.0, 0.0, 0
    for i in range(0, n, 3):
        vals = {k: float(v[i]) for k, v in pts.items()} | {
            "lam": float(lam[i]),
            p: 0.5 + 0.5 * c[i],
        }
        ms = modes(ls, **vals)
        if all(abs(m["root"].imag) > 0 for m in ms):
            sm = float(numeric(ls, mod, {k: np.asarray(v) for k, v in vals.items()}))
            sp_ = float(numeric(ls, period, {k: np.asarray(v) for k, v in vals.items()}))
            worst_mod = max(worst_mod, max(abs(m["modulus"] / sm - 1) for m in ms))
            worst_per = max(worst_per, max(abs(m["period"] / sp_ - 1) for m in ms))
            n_modes += 1
    ok = any(match) and mod_ok and cos_ok and edge_ok.all() and n_modes >= 4
    ok = ok and worst_mod < 1e-9 and worst_per < 1e-9
    bad = None if edge_ok.all() else int(np.argmin(edge_ok))
    return Check(
        ok=ok,
        evidence={
            "critical values (roots of the discriminant)": [str(x) for x in derived],
            "stated critical is one of them": any(match),
            "modulus^2 = p(0) (exact)": mod_ok,
            "cos(2 pi / period) = -a1 / (2 modulus) (exact)": cos_ok,
            "points: real just below, complex just above, positive double root": int(edge_ok.sum()),
            "points": n,
            "od.theory.modes points": n_modes,
            "largest relative modulus error vs modes": fmt(worst_mod),
            "largest relative period error vs modes": fmt(worst_per),
        },
        derivation=[
            rf"\det(zI - M) = {tex(ls.charpoly.as_expr())}",
            rf"\Delta = a_1^2 - 4 a_0 = {tex(disc)} = 0 \iff {p} \in "
            rf"\{{{', '.join(tex(x) for x in derived)}\}}",
            rf"z = r e^{{\pm i\theta}}:\ r^2 = a_0 = {tex(a0)},\ \cos\theta = -a_1/(2r)",
        ],
        counterexample=None
        if bad is None
        else _point(
            pts,
            bad,
            lam=lam[bad],
            critical=c[bad],
            real_below=bool(below[bad]),
            complex_above=bool(above[bad]),
        ),
        seeds=(21,),
        tolerances={
            "critical, modulus, period": "exact (sympy, sqrt(v) as a symbol)",
            "edge": f"{p} = critical*(1 -+ 1e-3): discriminant > 0 below, < 0 above",
            "od.theory.modes": "relative 1e-9",
        },
    )


def _real_symbolic_part(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    fixed = st.get("real_fixed")
    ls = _system(name, fixed)
    root = parse(ls, st["real_root"])
    flip = parse(ls, st["flip"])
    roots = ls.eigenvalues()
    match = any(_same(ls, r, root) for r in roots)
    real = all(sp.im(r) == 0 for r in roots)
    zero = [z for z in sp.solve(root, ls.lam) if not z.is_nonpositive]
    n_points, mismatches = 0, []
    for pt in _exact(name, ls, 16, seed=23):
        for z in zero:
            edge = z.subs(at(ls, pt))
            if not (edge.is_Rational and edge > 0):
                continue
            for u in (
                sp.Rational(1, 3),
                1 - sp.Rational(1, 10**6),
                1,
                1 + sp.Rational(1, 10**6),
                sp.Rational(7, 4),
            ):
                subs = at(ls, pt) | {ls.lam: u * edge}
                derived = bool(root.subs(subs) < 0)
                n_points += 1
                if derived != truth(flip, subs):
                    mismatches.append(
                        {
                            **{k: str(v) for k, v in pt.items()},
                            "lam": str(u * edge),
                            "root < 0": derived,
                        }
                    )
    return Check(
        ok=match and real and n_points > 0 and not mismatches,
        evidence={
            "roots": [str(r) for r in roots],
            "stated root is a root": match,
            "all roots real": real,
            "exact points (flip condition)": n_points,
            "disagreements": len(mismatches),
        },
        derivation=[
            rf"\det(zI - M) = {tex(sp.factor(ls.charpoly.as_expr()))}"
            + (f"\\ ({', '.join(f'{k} = {v}' for k, v in fixed.items())})" if fixed else ""),
            rf"x_t = ({tex(root)})^t x_0:\ \text{{sign flips every step iff }} {tex(root)} < 0",
        ],
        counterexample=mismatches[0] if mismatches else None,
        seeds=(23,),
        tolerances={"root, flip": "exact rational arithmetic, boundary included"},
    )


@reported
def _damping_symbolic(claim: Claim) -> Check:
    parts = []
    if "critical" in claim.stated:
        parts.append(_critical_symbolic_part(claim))
    if "real_root" in claim.stated:
        parts.append(_real_symbolic_part(claim))
    return _merge(parts)


UNDER_STEPS, CRIT_STEPS, DELTA = 300, 400, 0.05


def _critical_empirical_part(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = _system(name)
    p = st["param"]
    crit, mod, period = (parse(ls, st[k]) for k in ("critical", "modulus", "period"))
    gen = np.random.default_rng(31)
    # (a) underdamped modes: momentum in (0.6, 0.95), the curvature chosen (from the derived
    # roots) so that the period is 6 to 40 steps and the modulus at least 0.5
    n = 16
    pts = _points(ls, n, seed=31)
    pts[p] = gen.uniform(0.6, 0.95, n)
    grid = _lam_grid(ls, st, pts, lo=1e-4, hi=3.0, n=1500)
    z = _roots(ls, {k: v[:, None] for k, v in pts.items()}, grid)
    ang, rad = np.abs(np.angle(z[..., 0])), np.abs(z[..., 0])
    cplx = np.abs(z[..., 0].imag) > 1e-6 * rad
    target = 2 * np.pi / gen.uniform(6, 40, n)
    score = np.where(cplx & (rad > 0.5), np.abs(ang - target[:, None]), np.inf)
    j = np.argmin(score, axis=1)
    keep = np.isfinite(score[np.arange(n), j])
    lam = grid[np.arange(n), j][keep]
    pts = _take(pts, keep)
    if lam.size < n // 2:
        return Check(
            ok=False,
            evidence={"underdamped curvatures found": int(lam.size)},
            counterexample={
                "derived roots": "no complex roots with modulus > 0.5 at "
                f"{n - lam.size} of {n} points"
            },
            seeds=(31,),
        )
    xs = _iterates(name, ls, pts, lam, UNDER_STEPS)
    k = lam.size
    stated_T = numeric(ls, period, {**pts, "lam": lam})
    stated_r = numeric(ls, mod, {**pts, "lam": lam})
    meas_T, tol_T, meas_r = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
    for i in range(k):
        x = xs[i]
        ok = np.isfinite(x) & (np.abs(x) > 1e-100)
        last = int(np.argmin(ok)) if not ok.all() else x.size
        x = x[:last]
        c = np.flatnonzero(x[:-1] * x[1:] < 0)
        if c.size >= 5:
            tau = c + x[c] / (x[c] - x[c + 1])  # linear interpolation of each crossing
            meas_T[i] = 2 * (tau[-1] - tau[0]) / (c.size - 1)
            tol_T[i] = 4.0 / (c.size - 1)  # each crossing is located within one step
        # envelope: the Hankel determinant x_t x_{t+2} - x_{t+1}^2 = -A^2 r^(2t+2) sin^2(theta)
        hk = x[:-2] * x[2:] - x[1:-1] ** 2
        t0, t1 = 2, hk.size - 1
        if t1 > t0 + 10:
            meas_r[i] = (abs(hk[t1]) / abs(hk[t0])) ** (1 / (2 * (t1 - t0)))
    per_ok = np.abs(meas_T - stated_T) <= tol_T
    rel_r = np.abs(meas_r / stated_r - 1)
    mod_ok = rel_r <= 1e-8
    # (b) at the stated critical value (h chosen so that it is in (0.2, 0.8)): no oscillation;
    # 5% above it the mode oscillates (at least two sign changes), 5% below it does not
    m = 16
    cp, clam, cval = _near_critical(ls, st, crit, m, seed=33, grid_size=600)
    three = {kk: np.tile(v, 3) for kk, v in cp.items()}
    three[p] = np.concatenate([cval, cval * (1 - DELTA), cval * (1 + DELTA)])
    cx = _iterates(name, ls, three, np.tile(clam, 3), CRIT_STEPS)
    sc = _sign_changes(cx).reshape(3, m)
    at_c, below, above = sc[0] <= 1, sc[1] <= 1, sc[2] >= 2
    crit_ok = at_c & below & above
    ok = k >= n // 2 and per_ok.all() and mod_ok.all() and crit_ok.all()
    bad = None
    if not (per_ok.all() and mod_ok.all()):
        i = int(np.argmin(per_ok & mod_ok))
        bad = _point(
            pts,
            i,
            lam=lam[i],
            measured_period=meas_T[i],
            stated_period=stated_T[i],
            measured_modulus=meas_r[i],
            stated_modulus=stated_r[i],
        )
    elif not crit_ok.all():
        i = int(np.argmin(crit_ok))
        bad = _point(
            cp,
            i,
            lam=clam[i],
            critical=cval[i],
            sign_changes_at=sc[0, i],
            below=sc[1, i],
            above=sc[2, i],
        )
    return Check(
        ok=ok,
        evidence={
            "underdamped runs": k,
            "period within tolerance": int(np.sum(per_ok)),
            "largest |measured - stated| period (steps)": fmt(np.nanmax(np.abs(meas_T - stated_T))),
            "smallest number of zero crossings": int(np.nanmin(4.0 / tol_T + 1)),
            "largest relative modulus error": fmt(np.nanmax(rel_r)),
            "critical runs": m,
            "sign changes at the critical value (max)": int(sc[0].max()),
            f"sign changes at critical*(1 - {DELTA}) (max)": int(sc[1].max()),
            f"sign changes at critical*(1 + {DELTA}) (min)": int(sc[2].min()),
        },
        counterexample=bad,
        seeds=(31, 33),
        tolerances={
            "period": "4/(number of crossings - 1) steps: each interpolated zero crossing lies "
            "within one step of the true one, and crossings are exactly half a period apart",
            "modulus": "relative 1e-8 (Hankel determinant x_t x_{t+2} - x_{t+1}^2 decays by "
            "r^2 per step exactly; rounding only)",
            "oscillation": f"critical: <= 1 sign change in {CRIT_STEPS} steps (a double root "
            "z0 > 0 gives x_t = (a + b t) z0^t); critical*(1+{DELTA}): >= 2".replace(
                "{DELTA}", str(DELTA)
            ),
        },
    )


def _real_empirical_part(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    fixed = st.get("real_fixed")
    ls = _system(name, fixed)
    root, flip = parse(ls, st["real_root"]), parse(ls, st["flip"])
    n, steps = 32, 20
    pts = _points(ls, n, seed=35)
    gen = np.random.default_rng(35)
    # h from 0.05 to 1.95 (stable), away from h = 1
    u = np.concatenate([gen.uniform(0.05, 0.95, n // 2), gen.uniform(1.05, 1.95, n - n // 2)])
    lam = _lam_scale(ls, st, pts) * u
    xs = _iterates(name, ls, pts, lam, steps, fixed)
    ratio = xs[:, 1:] / xs[:, :-1]
    stated_root = numeric(ls, root, {**pts, "lam": lam})
    stated_flip = np.broadcast_to(numeric(ls, flip, {**pts, "lam": lam}).astype(bool), (n,))
    every = np.all(ratio < 0, axis=1)
    never = np.all(ratio > 0, axis=1)
    err = np.max(np.abs(ratio - stated_root[:, None]), axis=1)
    tol = 1e-12 if ls.exact else 1e-5
    good = np.where(stated_flip, every, never) & (err <= tol)
    i = int(np.argmin(good)) if not good.all() else None
    return Check(
        ok=bool(good.all()),
        evidence={
            "runs": n,
            "stated to flip, flipped every step": int(np.sum(stated_flip & every)),
            "stated not to flip, never flipped": int(np.sum(~stated_flip & never)),
            "largest |x_{t+1}/x_t - root|": fmt(err.max()),
        },
        counterexample=None
        if i is None
        else _point(pts, i, lam=lam[i], stated_root=stated_root[i], flips=bool(every[i])),
        seeds=(35,),
        tolerances={
            "ratio": f"absolute {tol:g}"
            + ("" if ls.exact else " (frozen statistics drift by 2^-52 (g^2 - v) per step)"),
            "h": "0.05..0.95 and 1.05..1.95",
            "steps": steps,
        },
    )


@reported
def _damping_empirical(claim: Claim, _sym) -> Check:
    parts = []
    if "critical" in claim.stated:
        parts.append(_critical_empirical_part(claim))
    if "real_root" in claim.stated:
        parts.append(_real_empirical_part(claim))
    return _merge(parts)


# -- 2. which direction oscillates (diverges, becomes underdamped) first -------------------------
@reported
def _first_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = _system(name)
    h = parse(ls, st["h"])
    H = sp.Symbol("H", positive=True)
    lam_of = sp.solve(sp.Eq(h, H), ls.lam)
    coeffs = [sp.simplify(c.subs(ls.lam, lam_of[0])) for c in ls.charpoly.all_coeffs()]
    # the mode depends on (lam, lr, the preconditioner, ...) only through h (and the momentum
    # parameter, and what ``h_with`` names)
    allowed = {H} | {
        ls.symbols[k] for k in (st.get("param"), *st.get("h_with", ())) if k in ls.symbols
    }
    free = set().union(*(sp.sympify(c).free_symbols for c in coeffs))
    only_h = len(lam_of) == 1 and free <= allowed
    lin_lr = sp.diff(h, ls.symbols["lr"], 2) == 0 and sp.simplify(h.subs(ls.symbols["lr"], 0)) == 0
    n = 12
    pts = _points(ls, n, seed=41)
    dh = numeric(ls, sp.diff(h, ls.lam), {**pts, "lam": np.ones(n)})
    # stable and non-oscillating curvatures (all roots real and >= 0) are intervals (0, .)
    grid = _lam_grid(ls, st, pts, lo=1e-3, hi=40.0, n=500)
    z = _roots(ls, {k: v[:, None] for k, v in pts.items()}, grid)
    rad = np.max(np.abs(z), axis=-1)
    scale = np.maximum(np.abs(z), 1e-300)
    calm = np.all((np.abs(z.imag) <= 1e-7 * scale) & (z.real >= -1e-12), axis=-1)
    stable = rad < 1

    def prefix(b):  # True then False along the grid
        return np.all(np.diff(b.astype(int), axis=-1) <= 0, axis=-1)

    pre_stable, pre_calm = prefix(stable), prefix(calm)
    ok = only_h and lin_lr and bool(np.all(dh > 0)) and pre_stable.all() and pre_calm.all()
    ev = {
        "charpoly depends on lam, lr and the rest only through h"
        + (f" and {', '.join(st['h_with'])}" if "h_with" in st else ""): only_h,
        "h linear in lr, h(lr=0) = 0": lin_lr,
        "dh/dlam > 0 at all points": bool(np.all(dh > 0)),
        "points": n,
        "stable curvatures form an interval (0, lam*)": int(pre_stable.sum()),
        "non-oscillating curvatures form an interval (0, lam_osc)": int(pre_calm.sum()),
    }
    derivation = [
        rf"h = {tex(h)}:\ \det(zI - M) = "
        rf"{tex(sp.Poly([sp.factor(c) for c in coeffs], ls.z).as_expr().subs(H, sp.Symbol('h')))}"
    ]
    bad = None
    if not (pre_stable.all() and pre_calm.all()):
        i = int(np.argmin(pre_stable & pre_calm))
        bad = _point(pts, i)
    if "critical" in st:
        p = st["param"]
        crit, regime = parse(ls, st["critical"]), parse(ls, st["regime"])
        a2, a1, a0 = ls.charpoly.all_coeffs()
        disc = a1**2 - 4 * a0 * a2
        m_sym = ls.symbols[p]
        implicit = -sp.diff(disc, ls.lam) / sp.diff(disc, m_sym)  # d critical / d lam on disc = 0
        stated_d = sp.diff(crit, ls.lam)
        g = _lam_grid(ls, st, pts, lo=0.01, hi=0.95, n=7)
        flat = {k: np.repeat(v, 7) for k, v in pts.items()} | {"lam": g.ravel()}
        inside = numeric(ls, regime, flat).astype(bool)
        cval = numeric(ls, crit, flat)
        d_st = numeric(ls, stated_d, flat)
        d_im = numeric(ls, implicit, {**flat, p: cval})
        agree = np.abs(d_st - d_im) <= 1e-7 * np.abs(d_im)
        dec = ~inside | ((d_st < 0) & agree)
        ok = ok and bool(dec.all()) and inside.sum() >= flat["lam"].size // 2
        ev.update(
            {
                "regime points": int(inside.sum()),
                "d critical/d lam < 0 (stated) and = -Delta_lam/Delta_m (derived)": int(dec.sum()),
            }
        )
        derivation.append(
            rf"\frac{{d\,{p}^\star}}{{d\lambda}} = -\frac{{\partial_\lambda \Delta}}"
            rf"{{\partial_{{{p}}} \Delta}} < 0 \text{{ where }} {tex(regime)}"
        )
        if bad is None and not dec.all():
            i = int(np.argmin(dec))
            bad = {k: fmt(v[i]) for k, v in flat.items()} | {"critical": fmt(cval[i])}
    return Check(
        ok=ok,
        evidence=ev,
        derivation=derivation,
        counterexample=bad,
        seeds=(41,),
        tolerances={
            "h": "exact (sympy)",
            "roots": "numeric; real if |Im z| <= 1e-7 |z|, nonnegative if Re z >= -1e-12",
            "derivative": "relative 1e-7",
        },
    )


SPECTRUM = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
SWEEP_STEPS = 300


def _coord_run(name, ls, lams, pts, steps, fixed=None) -> np.ndarray:
    """Runs on the diagonal quadratic ``lams``, one per (grid point, coordinate), from rest.

    Seed j starts at the unit vector e_j (the other coordinates stay 0), so that each
    coordinate has its own divergence flag. Returns x_j of run (g, j): shape (G, d, steps + 1).
    """
    m = get(name)
    values = _values(pts, fixed)
    d = len(lams)
    shape = np.broadcast_shapes(*(np.shape(v) for k, v in values.items() if k not in ls.frozen))
    r = simulate.run(
        m,
        simulate.DiagonalQuadratic(lams),
        steps=steps,
        seeds=d,
        x0=np.eye(d),
        keep_iterates=True,
        divergence_factor=1e100,
        **run_values(m, values, shape),
    )
    xs = r.iterates[:, np.arange(d), :, np.arange(d)]  # (d, G, steps + 1)
    return np.moveaxis(xs, 0, 1)


def _upset(b: np.ndarray) -> np.ndarray:
    """Per row: the True entries are a top segment (coordinates sorted by curvature)."""
    return np.all(np.diff(b.astype(int), axis=-1) >= 0, axis=-1)


@reported
def _first_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = _system(name)
    h = parse(ls, st["h"])
    B, G = 3, 160
    base = _points(ls, B, seed=43)
    if "param" in st:  # momenta well below 1, so that oscillation shows within the run
        base[st["param"]] = np.array([0.3, 0.6, 0.85])
    # (i) lr sweep on the spectrum 1, 2, 4, ..., 16: h(lam_max) from 1e-3 to 40
    h1 = numeric(ls, h, {**base, "lr": np.ones(B), "lam": np.full(B, SPECTRUM[-1])})
    lr = np.geomspace(1e-3, 40.0, G)[None, :] / np.reshape(h1, (B, 1))
    sweep = {k: np.repeat(v, G) for k, v in base.items()}
    sweep["lr"] = lr.ravel()
    xs = _coord_run(name, ls, SPECTRUM, sweep, SWEEP_STEPS)
    osc = _sign_changes(xs) >= 1
    big = ~(np.nanmax(np.abs(np.where(np.isfinite(xs), xs, np.inf)), axis=-1) <= 1e2)
    up_ok = _upset(osc) & _upset(big)
    first_ok, firsts = [], []
    top = np.eye(SPECTRUM.size, dtype=bool)[-1]
    for b in range(B):
        rows = slice(b * G, (b + 1) * G)
        for what in (osc[rows], big[rows]):
            any_ = what.any(axis=1)
            if not any_.any():
                first_ok.append(False)
                continue
            g0 = int(np.argmax(any_))
            first_ok.append(bool(np.array_equal(what[g0], top)) and g0 > 0)
            firsts.append(fmt(sweep["lr"][b * G + g0]))
    ok = bool(up_ok.all()) and all(first_ok)
    ev = {
        "lr sweeps x points": f"{B} x {G}",
        "oscillating / diverged sets are top segments of the spectrum": int(up_ok.sum()),
        "first to oscillate and to diverge is the largest curvature": sum(first_ok),
        "first lr (oscillate, diverge) per point": firsts,
    }
    bad = None
    if not up_ok.all():
        i = int(np.argmin(up_ok))
        bad = {k: fmt(v[i]) for k, v in sweep.items()} | {
            "oscillating": osc[i].tolist(),
            "diverged": big[i].tolist(),
        }
    if "critical" in st:
        # (ii) momentum sweep at fixed lr: five curvatures in the regime whose stated critical
        # values are spread evenly over what the regime offers within [0.1, 0.7]
        p = st["param"]
        crit = parse(ls, st["critical"])
        grid = _lam_grid(ls, st, base, lo=1e-3, hi=0.999, n=800)
        at_grid = {**{k: v[:, None] for k, v in base.items()}, "lam": grid}
        cg = numeric(ls, crit, at_grid)
        inside = numeric(ls, parse(ls, st["regime"]), at_grid).astype(bool) & np.isfinite(cg)
        cg = np.where(inside, cg, 9.0)
        c_hi = np.minimum(0.7, np.max(np.where(inside, cg, -1.0), axis=1))
        c_lo = np.maximum(0.1, np.min(cg, axis=1))
        targets = np.linspace(c_hi, c_lo, 5).T  # (B, 5), decreasing critical values
        j = np.argmin(np.abs(cg[:, :, None] - targets[:, None, :]), axis=1)
        lams = np.take_along_axis(grid, j, axis=1)  # (B, 5), increasing curvature
        cvals = np.take_along_axis(cg, j, axis=1)
        ms = np.linspace(0.02, 0.95, 120)
        msw = {k: np.repeat(v, ms.size) for k, v in base.items()}
        msw[p] = np.tile(ms, B)
        xs2 = _coord_run(name, ls, lams.ravel(), msw, SWEEP_STEPS)  # (B*120, 5B, T)
        under = np.stack(
            [
                _sign_changes(xs2[b * ms.size : (b + 1) * ms.size, 5 * b : 5 * b + 5]) >= 2
                for b in range(B)
            ]
        )
        expect = ms[None, :, None] > cvals[:, None, :]
        clear = np.abs(ms[None, :, None] / cvals[:, None, :] - 1) > DELTA
        wrong = clear & (under != expect)
        first2 = []
        for b in range(B):
            any_ = under[b].any(axis=1)
            g0 = int(np.argmax(any_)) if any_.any() else -1
            first2.append(g0 >= 0 and bool(np.array_equal(under[b, g0], top)))
        ok = ok and not wrong.any() and all(first2) and bool(_upset(under).all())
        ev.update(
            {
                "momentum sweeps x points": f"{B} x {ms.size}",
                "disagreements of 'underdamped (>= 2 sign changes) iff above the critical'": (
                    int(wrong.sum())
                ),
                "first to become underdamped is the largest curvature": sum(first2),
            }
        )
        if bad is None and wrong.any():
            b, g, c = np.argwhere(wrong)[0]
            bad = _point(
                base,
                b,
                lam=lams[b, c],
                **{p: ms[g]},
                critical=cvals[b, c],
                underdamped=bool(under[b, g, c]),
            )
    return Check(
        ok=ok,
        evidence=ev,
        counterexample=bad,
        seeds=(43,),
        tolerances={
            "oscillates": f">= 1 sign change in {SWEEP_STEPS} steps from rest",
            "underdamped": f">= 2 sign changes in {SWEEP_STEPS} steps",
            "diverged": "flagged or max |x_t| > 1e2 |x_0|",
            "critical margin": f"momenta within a relative {DELTA} of a critical value skipped",
        },
    )


# -- 3. when the loss curve itself oscillates ----------------------------------------------------
def _loss_system(claim):
    (name,) = claim.methods
    return name, _system(name, claim.stated.get("loss_fixed"))


@reported
def _loss_symbolic(claim: Claim) -> Check:
    name, ls = _loss_system(claim)
    st = claim.stated
    cond = parse(ls, st["monotone"])
    assume = parse(ls, st["assume"]) if "assume" in st else sp.true
    a = ls.charpoly.all_coeffs()
    any_start = st.get("loss_start") == "any"
    if any_start:
        # x_t = sum_i c_i z_i^t with real roots: each mode's loss is c z^(2t), nonincreasing
        # iff |z| <= 1; the roots are linear in lam, so for all curvatures in (0, lam] iff at lam
        roots = ls.eigenvalues()
        real = all(sp.im(r) == 0 for r in roots)
        edges = [e for r in roots for e in sp.solve(r + 1, ls.lam) if not e.is_nonpositive]
        ok_struct = real and len(edges) == 1
        derivation = [
            rf"\text{{roots }} {', '.join(tex(r) for r in roots)} \text{{ real: }} "
            rf"f(x_t) = \sum_i f_i(x_0)\, z_i^{{2t}} \text{{ nonincreasing iff }} |z_i| \le 1",
            rf"z = -1 \iff \lambda = {tex(edges[0]) if edges else '?'}",
        ]
    else:
        disc = sp.factor(a[1] ** 2 - 4 * a[0] * a[2])
        edges = [disc]
        ok_struct = ls.charpoly.degree() == 2
        derivation = [
            rf"\Delta(\lambda) = {tex(disc)}",
            r"\text{from rest, real roots } 0 < z_2 \le z_1:\ v_t = x_t - x_{t-1} \text{ has "
            r"at most one sign change, } v_0 = 0 \text{ or } v_0, v_1 < 0 \Rightarrow x_t "
            r"\downarrow 0,\ |x_t| \downarrow",
            r"\text{complex roots, } \theta/\pi \notin \mathbb{Q}:\ \theta t + \phi \text{ comes "
            r"arbitrarily close to } \pi/2 \bmod \pi \Rightarrow |x_{t+1}| > |x_t| "
            r"\text{ for some } t",
            r"\text{curvatures } (0, \lambda]:\ \text{all overdamped iff } \lambda \le \lambda_b "
            r"= \text{smallest positive root of } \Delta;\ \text{else an interval of "
            r"underdamped curvatures (containing irrational angles)}",
        ]
    n_points, mismatches, used = 0, [], 0
    decide = _decider(ls, cond)
    for pt in _exact(name, ls, 20, seed=51):
        subs0 = at(ls, pt)
        if not truth(assume, subs0):
            continue
        probes = (sp.Rational(1, 3), 1 - sp.Rational(1, 10**9), 1 + sp.Rational(1, 10**9),
                  sp.Rational(3, 2), sp.Integer(10), sp.Integer(1000))  # fmt: skip
        if any_start:
            cands = [e.subs(subs0) for e in edges]
        else:
            at0 = [sp.sympify(c).subs(subs0 | {ls.lam: 0}) for c in a]
            if not (at0[1] ** 2 - 4 * at0[0] * at0[2] > 0 and at0[2] > 0 and -at0[1] > 0):
                # underdamped already as lam -> 0+ (e.g. lr*weight_decay past the onset): no
                # curvature range (0, lam] is overdamped; probe at lam = (1/3, 1, 3) / lr
                edge = 1 / ls.symbols["lr"].subs(subs0)
                probes = (sp.Rational(1, 3) + 1, sp.Integer(2), sp.Integer(4))
                cands = [edge]
            else:
                dl = sp.Poly(sp.numer(sp.together(disc.subs(subs0))), ls.lam)
                cands = [r for r in dl.real_roots() if r > 0]
            # overdamped below the first root: real roots with positive product and sum
            if cands and probes[0] < 1:
                probe = {ls.lam: min(cands) / 2}
                pos = [sp.simplify(sp.sympify(c).subs(subs0 | probe)) for c in a]
                if not (pos[2] > 0 and -pos[1] > 0):
                    ok_struct = False
                prod_roots = sp.Poly(sp.numer(sp.together(a[2].subs(subs0))), ls.lam)
                if any(0 < r < min(cands) for r in prod_roots.real_roots()):
                    ok_struct = False
        if not cands:
            continue
        edge = min(cands, key=lambda e: float(e))
        used += 1
        for u in probes:
            derived = u < 1
            n_points += 1
            stated = decide(pt | {"lam": u * edge})
            if derived != stated:
                mismatches.append(
                    {
                        **{k: str(v) for k, v in pt.items()},
                        "lam": str(sp.N(u * edge, 12)),
                        "derived": derived,
                        "stated": stated,
                    }
                )
    return Check(
        ok=ok_struct and used >= 5 and not mismatches,
        evidence={
            "exact points used": used,
            "probes compared": n_points,
            "disagreements": len(mismatches),
            "structure (roots real / first root of the discriminant is the edge)": ok_struct,
        },
        derivation=derivation,
        counterexample=mismatches[0] if mismatches else None,
        seeds=(51,),
        tolerances={
            "edge": "exact (algebraic numbers); the stated condition decided in "
            f"{DIGITS}-digit arithmetic at relative 1e-9 either side of it (and at 1/3, 3/2, 10 "
            "and 1000 times it)"
        },
    )


LOSS_STEPS, N_CURV, N_NEAR, MIN_PARAM = 300, 16, 10, 0.05
MONO_RTOL, RISE_RTOL = 1e-9, 1e-6


@reported
def _loss_empirical(claim: Claim, _sym) -> Check:
    name, ls = _loss_system(claim)
    st = claim.stated
    fixed = st.get("loss_fixed")
    cond = parse(ls, st["monotone"])
    n = 40
    pts = _points(ls, n, seed=53)
    gen = np.random.default_rng(53)
    if st.get("param") in pts:  # see the tolerances: a rise must show within the run
        pts[st["param"]] = gen.uniform(MIN_PARAM, 0.95, n)
    if "assume" in st:
        keep = np.broadcast_to(numeric(ls, parse(ls, st["assume"]), pts).astype(bool), (n,))
        pts = _take(pts, keep)
    n = 24
    pts = {k: v[:n] for k, v in pts.items()}
    n = len(next(iter(pts.values())))
    if n < 12:
        return Check(ok=False, evidence={"settings satisfying the assumptions": n}, seeds=(53,))
    # the stated edge curvature: the last curvature of the stated monotone set on a fine grid
    grid = _lam_grid(ls, st, pts, lo=1e-4, hi=4.0, n=3000)
    inside = numeric(ls, cond, {**{k: v[:, None] for k, v in pts.items()}, "lam": grid})
    inside = np.broadcast_to(inside.astype(bool), grid.shape)
    last = grid.shape[1] - 1 - np.argmax(inside[:, ::-1], axis=1)
    # no curvature inside (underdamped as lam -> 0+): use the curvature with h about 1
    last = np.where(inside.any(axis=1), last, np.searchsorted(np.geomspace(1e-4, 4.0, 3000), 1.0))
    edge = grid[np.arange(n), last]
    f = np.where(np.arange(n) % 2 == 0, gen.uniform(0.5, 0.95, n), gen.uniform(1.05, 1.5, n))
    cap = edge * f
    rel = np.concatenate([np.geomspace(1e-2, 0.5, N_CURV - N_NEAR), np.linspace(0.6, 1, N_NEAR)])
    lam = (cap[:, None] * rel[None, :]).ravel()
    rep = {k: np.repeat(v, N_CURV) for k, v in pts.items()}
    r = mode_run(name, lam=lam, steps=LOSS_STEPS, **_values(rep, fixed))
    loss = r.loss[:, 0, :]
    fin = np.isfinite(loss)
    prev, nxt = loss[:, :-1], loss[:, 1:]
    with np.errstate(invalid="ignore"):
        mono = np.all(~(fin[:, 1:] & fin[:, :-1]) | (nxt <= prev * (1 + MONO_RTOL) + 1e-280), 1)
        rise = (
            np.any(
                fin[:, 1:] & fin[:, :-1] & (prev > 1e-280) & (nxt > prev * (1 + RISE_RTOL)), axis=1
            )
            | r.diverged[:, 0]
        )
    mono, rise = mono.reshape(n, N_CURV), rise.reshape(n, N_CURV)
    stated = np.broadcast_to(numeric(ls, cond, {**pts, "lam": cap}).astype(bool), (n,))
    good = np.where(stated, mono.all(axis=1), rise.any(axis=1))
    i = int(np.argmin(good)) if not good.all() else None
    ex_ok, ex_ev = _single_mode_examples(name, ls, st.get("single_mode", ()))
    return Check(
        ok=bool(good.all()) and n >= 12 and ex_ok,
        evidence={
            "settings": n,
            "stated monotone, every curvature's loss nonincreasing": int(np.sum(stated & good)),
            "stated non-monotone, some curvature's loss rose": int(np.sum(~stated & good)),
            "curvatures per setting": N_CURV,
            "steps": LOSS_STEPS,
            **ex_ev,
        },
        counterexample=None
        if i is None
        else _point(
            pts,
            i,
            lam_max=cap[i],
            stated_monotone=bool(stated[i]),
            all_monotone=bool(mono[i].all()),
            some_rise=bool(rise[i].any()),
        ),
        seeds=(53,),
        tolerances={
            "monotone": f"f_(t+1) <= f_t (1 + {MONO_RTOL:g}) + 1e-280 (rounding at tiny loss)",
            "rise": f"f_(t+1) > f_t (1 + {RISE_RTOL:g}) with f_t > 1e-280, or diverged",
            "curvatures": f"{N_CURV - N_NEAR} log-spaced in [lam/100, lam/2] and {N_NEAR} "
            "evenly in [0.6 lam, lam], lam = 0.5..0.95 or 1.05..1.5 x the stated edge",
            "settings": f"momentum parameter uniform in ({MIN_PARAM}, 0.95): a smaller one has a "
            "narrow underdamped window decaying like sqrt(momentum)^t, whose rise may not show "
            "in the run",
        },
    )


def _single_mode_examples(name, ls, examples) -> tuple[bool, dict]:
    """Single curvatures where 'loss rises iff underdamped' fails: each has stated roots
    ('complex' or 'negative real') and a stated loss ('rises' or 'nonincreasing')."""
    if not examples:
        return True, {}
    pts = {k: np.array([float(e[k]) for e in examples]) for k in examples[0] if k in ls.symbols}
    hyper = {k: v for k, v in pts.items() if k != "lam"}
    z = _roots(ls, hyper, pts["lam"])
    cplx = np.any(np.abs(z.imag) > 1e-9, axis=-1)
    neg = ~cplx & np.all(z.real < 0, axis=-1)
    xs = _iterates(name, ls, hyper, pts["lam"], 60)
    loss = xs**2
    rises = np.any(loss[:, 1:] > loss[:, :-1] * (1 + RISE_RTOL), axis=1)
    flat = np.all(loss[:, 1:] <= loss[:, :-1] * (1 + MONO_RTOL), axis=1)
    ok, lines = True, []
    for i, e in enumerate(examples):
        roots = "complex" if cplx[i] else ("negative real" if neg[i] else "other")
        loss_ = "rises" if rises[i] else ("nonincreasing" if flat[i] else "other")
        ok = ok and roots == e["roots"] and loss_ == e["loss"]
        point = ", ".join(f"{k} = {e[k]}" for k in e if k in ls.symbols)
        lines.append(f"{point}: roots {roots}, loss {loss_} (|x_1|/|x_0| = {fmt(abs(xs[i, 1]))})")
    return ok, {"single curvatures (the iff needs all curvatures in (0, lam])": lines}


# -- registration ----------------------------------------------------------------------------------
def _fixed_text(fixed: dict | None) -> str:
    return "" if not fixed else " with " + ", ".join(f"{k} = {v}" for k, v in fixed.items())


# the first statement of the loss-oscillation theorem for the momentum methods, and why it was
# corrected
_LOSS_HISTORY = (
    "first stated: the loss is non-monotone iff a mode is underdamped (complex roots). It fails"
    " both ways: heavy ball with lr*lam = 2.05, momentum = 0.05 has real negative roots and"
    " |x_1| = 1.05 |x_0| (the loss rises); with lr*lam = 1 + momentum the mode is underdamped"
    " yet from rest |x_t| = 1, m, m, m^2, m^2, ... never rises. Restated: from rest, the loss"
    " is nonincreasing for every curvature in (0, lam] iff all of them are overdamped.",
)
for _name, _st in STATED.items():
    if _name not in ("gd", "rmsprop"):  # the methods with a momentum parameter
        _st["loss_history"] = _LOSS_HISTORY

for _name, _st in STATED.items():
    assert _name in CATALOGUE
    _frozen = _name in FROZEN
    _P = (
        " (P = sqrt(v) + eps the frozen preconditioner)"
        if any(re.search(r"\bP\b", v) for v in _st.values() if isinstance(v, str))
        else ""
    )
    _kind = "frozen-preconditioner linearization" if _frozen else "exact"
    _note = (_st["note"],) if "note" in _st else ()
    _shared = {
        k: _st[k]
        for k in ("param", "critical", "modulus", "period", "regime", "h", "h_with")
        if k in _st
    }
    if "critical" in _st:
        _p = _st["param"]
        _text = (
            f"{_name}'s mode is critically damped (a double root) at {_p} = {_st['critical']}"
            f"{_P}; for {_p} above it (up to the other root of the discriminant) the roots are"
            f" complex with modulus {_st['modulus']} and the iterate spirals with period"
            f" {_st['period']} steps. At the critical value the double root is real and"
            " positive, so the iterate changes sign at most once."
        )
        if "real_root" in _st:
            _text += (
                f" At {_p} = 0 (the default) the nonzero root {_st['real_root']} is real: the"
                f" mode never spirals, and flips sign every step iff {_st['flip']}."
            )
    else:
        _text = (
            f"{_name}'s mode has the single real root {_st['real_root']}: it never spirals, and"
            f" flips sign every step iff {_st['flip']}."
        )
    register(
        Claim(
            id=f"{_name}.critical",
            statement=_text,
            latex=(
                rf"{_st['param']}^\star = {sp.latex(sp.sympify(_st['critical']))}"
                if "critical" in _st
                else rf"z = {_st['real_root']}"
            ),
            relation="equals",
            methods=(_name,),
            symbolic=_damping_symbolic,
            empirical=_damping_empirical,
            assumptions=(f"{_kind}; one eigen-direction; hyperparameters in their domains", *_note),
            stated={
                **_shared,
                **{k: _st[k] for k in ("real_root", "flip", "real_fixed") if k in _st},
            },
            topic="damping",
            references=_st["refs"],
            figure="damping" if _name == "heavy_ball" else None,
        )
    )
    _first = (
        f"On a quadratic with curvatures lam_1 < ... < lam_n, {_name}'s mode depends on lam, lr"
        f" and the other hyperparameters only through h = {_st['h']}{_P}"
        + (f", {'*'.join(_st['h_with'])}" if "h_with" in _st else "")
        + (f" and {_st['param']}" if "param" in _st else "")
        + "; its stable and its non-oscillating curvatures are"
        " intervals (0, lam*) and (0, lam_osc): as lr grows, the largest-curvature direction is"
        " the first to oscillate (change sign) and the first to diverge."
    )
    if "critical" in _st:
        _first += (
            f" As {_st['param']} grows at fixed lr, a direction becomes underdamped when"
            f" {_st['param']} passes its critical value, which decreases in lam where"
            f" {_st['regime']}: on such a spectrum the largest-curvature direction is the first to"
            " become underdamped."
        )
    register(
        Claim(
            id=f"{_name}.first_mode",
            statement=_first,
            latex=r"\text{first to oscillate, diverge, become underdamped} = "
            r"\arg\max_i \lambda_i",
            relation="iff",
            methods=(_name,),
            symbolic=_first_symbolic,
            empirical=_first_empirical,
            assumptions=(
                f"{_kind}; diagonal quadratic, runs from rest (x_prev = x_0, buffers 0)",
                *_note,
            ),
            stated=_shared,
            topic="damping",
            references=_st["refs"],
            figure="damping" if _name == "heavy_ball" else None,
        )
    )
    _lf = _st.get("loss_fixed")
    if _st.get("loss_start") == "any":
        _loss = (
            f"{_name}{_fixed_text(_lf)}: the loss f(x_t) is nonincreasing from every start on every"
            f" quadratic with curvatures in (0, lam] iff {_st['monotone']}{_P}: each mode's term"
            " is f_i(x_0) z^(2t) with z real, so a stable run's loss is monotone even when the"
            " iterate flips sign every step."
        )
        _assume = (f"{_kind}{_fixed_text(_lf)}",)
    else:
        _loss = (
            f"{_name}{_fixed_text(_lf)}, started from rest: the loss f(x_t) is nonincreasing on"
            f" every quadratic with curvatures in (0, lam] iff {_st['monotone']}{_P}, i.e. iff no"
            " curvature in (0, lam] is underdamped. Underdamped modes (complex roots) make the loss"
            " non-monotone (for all but a null set of angles theta/pi rational); overdamped and"
            f" critically damped modes from rest decay monotonically. Assumes {_st['assume']}."
        )
        _assume = (
            f"{_kind}{_fixed_text(_lf)}; start from rest (x_prev = x_0, buffers 0); "
            f"{_st['assume']}",
            "with momentum 0 there is no underdamped region and the loss is monotone up to the"
            " stability edge (gd); roots of different signs or both negative are reached only"
            " through the underdamped region when momentum > 0",
            "for a single curvature the equivalence fails both ways: real negative roots can make"
            " the loss rise (heavy ball, lr*lam = 2.05, momentum = 0.05: |x_1| = 1.05 |x_0|), and"
            " an underdamped mode with theta = pi/2 (heavy ball, lr*lam = 1 + momentum) has"
            " |x_t| = 1, m, m, m^2, m^2, ... from rest; hence the statement over all curvatures"
            " in (0, lam]",
        )
        if _lf:
            _assume += (
                "torch's first step ignores dampening: with dampening > 0 an overdamped mode can"
                " overshoot and the loss rise (e.g. lr*lam = 1.5, dampening = 0.9,"
                " momentum = 0.3)",
            )
    register(
        Claim(
            id=f"{_name}.loss_oscillation",
            history=_st.get("loss_history", ()),
            statement=_loss,
            latex=rf"f(x_{{t+1}}) \le f(x_t)\ \forall t \iff {_st['monotone']}",
            relation="iff",
            methods=(_name,),
            symbolic=_loss_symbolic,
            empirical=_loss_empirical,
            assumptions=_assume,
            stated={
                "h": _st.get("loss_h", _st["h"]),
                **{
                    k: _st[k]
                    for k in (
                        "monotone",
                        "assume",
                        "loss_fixed",
                        "loss_start",
                        "param",
                        "single_mode",
                    )
                    if k in _st
                },
            },
            topic="damping",
            references=_st["refs"],
            figure="damping" if _name == "heavy_ball" else None,
        )
    )
