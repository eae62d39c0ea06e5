r"""Noise: the stationary variance of a mode under additive gradient noise, and how it depends
on momentum.

Gradients are queried as :math:`\lambda x + \xi` with :math:`\xi \sim N(0, \sigma^2)`
(``sigma2``) independent across steps. For adaptive methods ``P`` denotes the frozen
preconditioner :math:`\sqrt v + \epsilon`. ``eta`` is the effective learning rate: the step a
constant gradient eventually takes per unit gradient (``lr/(1 - momentum)`` for heavy ball).
The stated formulas hold where the mode is stable.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import scipy.linalg
import sympy as sp

from ... import simulate
from ...methods.base import get
from ..core import Check, Claim, register
from ..experiments import exact_points, run_values, sample_points, system
from ._common import CATALOGUE, FROZEN, at, fmt, numeric, reported, tex, truth

S2 = sp.Symbol("sigma2", positive=True)  # the symbol od.theory uses for the noise variance
ETA = sp.Symbol("eta", positive=True)
_SV = sp.Symbol("s_v", positive=True)  # sqrt(v): frozen-preconditioner formulas become rational

_HB = "(1 + momentum)*lr*sigma2/((1 - momentum)*lam*(2*(1 + momentum) - lr*lam))"
_AR2 = (
    "AR(2) variance (1 - phi2)/((1 + phi2)((1 - phi2)^2 - phi1^2)) s^2 of "
    "x_(t+1) = phi1 x_t + phi2 x_(t-1) + s e_t (G. E. P. Box, G. M. Jenkins, Time Series "
    "Analysis, 1970, §3.2.4)"
)

_VM_HISTORY = (
    "first stated: at equal lr the stationary variance of heavy ball increases with momentum."
    " It fails near the edge of stability (Monte-Carlo from momentum 0.02 to 0.1 at"
    " lr*lam close to 2: z = -72). Restated: it increases iff lr*lam < (1 + momentum)^2.",
)
STATED = {
    "gd": {
        "variance": "lr*sigma2/(lam*(2 - lr*lam))",
        "refs": (
            "AR(1) x_(t+1) = (1 - lr*lam) x_t - lr xi_t: Var = lr^2 sigma2/(1 - (1 - lr*lam)^2)",
            "S. Mandt, M. D. Hoffman, D. M. Blei, JMLR 18, 2017 (SGD as a stationary process)",
        ),
    },
    "heavy_ball": {
        "vm_history": _VM_HISTORY,
        "variance": _HB,
        "param": "momentum",
        "eff": "lr/(1 - momentum)",
        "up_lr": "lr*lam < (1 + momentum)**2",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*lam)",
        "ceiling": "eta*sigma2/(lam*(2 - eta*lam))",
        "refs": (_AR2 + " with phi1 = 1 + momentum - lr*lam, phi2 = -momentum",),
    },
    "nesterov": {
        "variance": "lr*sigma2*(1 + momentum*(1 - lr*lam))/(lam*(1 - momentum*(1 - lr*lam))*"
        "(2*(1 + momentum) - lr*lam*(1 + 2*momentum)))",
        "param": "momentum",
        "eff": "lr/(1 - momentum)",
        "up_lr": "(lr*lam*momentum**2 < (1 + momentum)**2) & Ne(lr*lam, 1)",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*lam*(1 + eta*lam))",
        "ceiling": "eta*sigma2/(lam*(2 - eta*lam))",
        "refs": (_AR2 + " with phi1 = (1 + momentum)(1 - lr*lam), phi2 = -momentum (1 - lr*lam)",),
    },
    "ema_momentum": {
        "variance": "(1 + momentum)*lr*sigma2/(lam*(2*(1 + momentum) - lr*lam*(1 - momentum)))",
        "param": "momentum",
        "eff": "lr",
        "up_lr": "False",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*lam)",
        "ceiling": "eta*sigma2/(lam*(2 - eta*lam))",
        "refs": ("heavy ball with lr*(1 - momentum) and the same noise; " + _AR2,),
    },
    "sgd_momentum": {
        "variance": "(1 + momentum)*lr*(1 - dampening)*sigma2/((1 - momentum)*(lam + weight_decay)"
        "*(2*(1 + momentum) - lr*(1 - dampening)*(lam + weight_decay)))",
        "param": "momentum",
        "eff": "lr*(1 - dampening)/(1 - momentum)",
        "up_lr": "lr*(1 - dampening)*(lam + weight_decay) < (1 + momentum)**2",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*(lam + weight_decay))",
        "ceiling": "eta*sigma2/((lam + weight_decay)*(2 - eta*(lam + weight_decay)))",
        "note": "momentum > 0: with momentum = 0 torch.optim.SGD ignores dampening (the "
        "iteration is gd with lr)",
        "refs": (
            "torch.optim.SGD: heavy ball with lr*(1 - dampening) on curvature lam + "
            "weight_decay (from its second step on); " + _AR2,
        ),
    },
    "rmsprop": {
        "variance": "(1 + momentum)*lr*sigma2/((1 - momentum)*(lam + weight_decay)*"
        "(2*(1 + momentum)*P - lr*(lam + weight_decay)))",
        "param": "momentum",
        "eff": "lr/((1 - momentum)*P)",
        "up_lr": "lr*(lam + weight_decay) < (1 + momentum)**2*P",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*(lam + weight_decay))",
        "ceiling": "eta*sigma2/((lam + weight_decay)*(2 - eta*(lam + weight_decay)))",
        "refs": (
            "frozen RMSProp (torch.optim.RMSprop) is heavy ball with lr/P on curvature "
            "lam + weight_decay and noise xi; " + _AR2,
        ),
    },
    "adam": {
        "variance": "(1 + beta1)*lr*sigma2/(lam*(2*(1 + beta1)*P - (1 - beta1)*lr*lam))",
        "param": "beta1",
        "eff": "lr",
        "up_lr": "False",
        "up_eff": "False",
        "floor": "eta*sigma2/(2*lam*P)",
        "ceiling": "eta*sigma2/(lam*(2*P - eta*lam))",
        "refs": (
            "frozen Adam is ema_momentum with lr/P (D. P. Kingma, J. Ba, ICLR 2015); " + _AR2,
        ),
    },
    "adamw": {
        "variance": "(1 + beta1*(1 - lr*weight_decay))*(1 - beta1)*lr*sigma2/"
        "((1 - beta1*(1 - lr*weight_decay))*(lam + P*weight_decay)*"
        "((1 + beta1)*(2 - lr*weight_decay)*P - (1 - beta1)*lr*lam))",
        "param": "beta1",
        "eff": "lr",
        "up_lr": "False",
        "up_eff": "False",
        "floor": "0",
        "ceiling": "eta*sigma2/((lam + P*weight_decay)*((2 - eta*weight_decay)*P - eta*lam))",
        "refs": (
            "I. Loshchilov, F. Hutter, ICLR 2019 (decoupled decay x <- (1 - lr*wd) x); hand "
            "derivation: AR(2) with phi1 = 1 + beta1 - lr*wd - (1 - beta1) lr*lam/P, "
            "phi2 = -beta1 (1 - lr*wd), s = (1 - beta1) lr/P; " + _AR2,
        ),
    },
}


# -- helpers -------------------------------------------------------------------------------------
def _parse(ls, text: str) -> sp.Basic:
    """A stated formula with the system's symbols, ``P = sqrt(v) + eps``, sigma2 and eta."""
    names = dict(ls.symbols) | {"sigma2": S2, "eta": ETA}
    if "v" in names and "eps" in names:
        names["P"] = sp.sqrt(names["v"]) + names["eps"]
    expr = sp.sympify(sp.sympify(text, locals=names))  # "False" -> sympy false
    known = {s.name for s in ls.symbols.values()} | {"sigma2", "eta"}
    stray = {s.name for s in expr.free_symbols} - known
    if stray:
        raise ValueError(f"stated formula {text!r} uses unknown symbols {sorted(stray)}")
    return expr


def _rational(ls, expr) -> sp.Expr:
    """``expr`` with sqrt(v) replaced by a positive symbol (a rational function then)."""
    expr = sp.sympify(expr)
    return expr.subs(ls.symbols["v"], _SV**2) if "v" in ls.symbols else expr


def _same(ls, a, b) -> bool:
    """Exact equality (cancel of the difference as a rational function)."""
    return sp.cancel(sp.together(_rational(ls, sp.sympify(a) - sp.sympify(b)))) == 0


def _num(ls, expr, pts: dict) -> np.ndarray:
    """A formula in the system's symbols (and sigma2, eta) at arrays of points (float64)."""
    names = [k for k in (*ls.symbols, "sigma2", "eta") if k in pts]
    syms = [{"sigma2": S2, "eta": ETA}.get(k) or ls.symbols[k] for k in names]
    fn = sp.lambdify(syms, expr, "numpy")
    with np.errstate(all="ignore"):
        return np.asarray(fn(*[np.asarray(pts[k], dtype=float) for k in names]), dtype=float)


def _stable_lr(ls, pts: dict, lam: float, frac: float, lr_of=None) -> np.ndarray:
    """Per point, ``frac`` times the largest stable lr (or eta, via ``lr_of``) at curvature ``lam``.

    Bisection in log scale on the spectral radius of the derived system (the stable learning
    rates form an interval (0, lr_max): see the ``first_mode`` theorems).
    """
    n = len(next(iter(pts.values())))
    lo, hi = np.full(n, 1e-9), np.full(n, 1e4)
    for _ in range(70):
        mid = np.sqrt(lo * hi)
        lr = mid if lr_of is None else lr_of(mid)
        vals = {k: v for k, v in pts.items() if k in ls.symbols} | {"lr": lr, "lam": lam}
        rho = ls.spectral_radius(**vals)
        stable = np.isfinite(rho) & (rho < 1)
        lo, hi = np.where(stable, mid, lo), np.where(stable, hi, mid)
    return frac * lo


def _mc(name: str, ls, pts: dict, *, sigma: float, seeds: int, copies: int, seed: int):
    """Monte-Carlo stationary variance at curvature 1.

    Returns (estimate, standard error, the squared samples (n, N), steps, spectral radius).

    Every grid point runs ``seeds`` seeds on ``copies`` independent coordinates of curvature 1
    from x = 0 (and zero buffers) for enough steps that rho^(2 steps) < 1e-12.
    """
    m = get(name)
    n = len(next(iter(pts.values())))
    vals = {k: v for k, v in pts.items() if k in ls.symbols} | {"lam": np.ones(n)}
    rho = float(np.max(ls.spectral_radius(**vals)))
    steps = min(4000, max(50, math.ceil(math.log(1e-12) / (2 * math.log(rho)))))
    values = {k: v for k, v in pts.items() if k in m.hyper or k in ls.frozen}
    r = simulate.run(
        m,
        simulate.DiagonalQuadratic(np.ones(copies)),
        steps=steps,
        seeds=seeds,
        rng=seed,
        noise=simulate.AdditiveNoise(sigma=sigma),
        x0=np.zeros(copies),
        record_every=steps,
        **run_values(m, values, (n,)),
    )
    sq = r.x.reshape(n, -1) ** 2
    est = sq.mean(axis=1)
    se = sq.std(axis=1, ddof=1) / np.sqrt(sq.shape[1])
    return est, se, sq, steps, rho


SEEDS, COPIES, SIGMA, Z = 4000, 8, 0.5, 5.0


# -- 4. the stationary variance ------------------------------------------------------------------
@reported
def _variance_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    stated = _parse(ls, claim.stated["variance"])
    derived = ls.stationary_variance()
    same = _same(ls, derived, stated)
    # second route: scipy's discrete Lyapunov solver on the numeric matrices at sample points
    n = 12
    pts = sample_points(name, n, seed=61)
    thr = ls.curvature_threshold()
    gen = np.random.default_rng(61)
    lam = numeric(ls, thr, pts) * gen.uniform(0.05, 0.95, n)
    s2 = gen.uniform(0.1, 2.0, n)
    syms = list(ls.symbols.values())
    m_fn = sp.lambdify(syms, ls.matrix, "numpy")
    b_fn = sp.lambdify(syms, ls.noise_input, "numpy")
    want = _num(ls, stated, {**pts, "lam": lam, "sigma2": s2})
    rel = np.zeros(n)
    for i in range(n):
        args = [lam[i] if k == "lam" else float(pts[k][i]) for k in ls.symbols]
        mm = np.asarray(m_fn(*args), dtype=float)
        b = np.asarray(b_fn(*args), dtype=float).reshape(-1, 1)
        with warnings.catch_warnings():  # near-singular at momentum near 1: the result is
            warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)  # compared below anyway
            sig = scipy.linalg.solve_discrete_lyapunov(mm, s2[i] * (b @ b.T))
        rel[i] = abs(sig[0, 0] / want[i] - 1)
    route2 = bool(np.all(rel < 1e-8))
    i = int(np.argmax(rel))
    return Check(
        ok=same and route2,
        evidence={
            "derived variance": str(derived),
            "stated = derived (exact)": same,
            "scipy Lyapunov points": n,
            "largest relative difference, scipy vs stated": fmt(rel.max()),
        },
        derivation=[
            rf"\Sigma = M \Sigma M^\top + \sigma^2 b b^\top,\quad M = {tex(ls.matrix)},\ "
            rf"b = {tex(ls.noise_input)}",
            rf"\mathrm{{Var}}(x) = \Sigma_{{00}} = {tex(derived)}",
        ],
        counterexample=None
        if same and route2
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "lam": fmt(lam[i]),
            "sigma2": fmt(s2[i]),
            "relative difference": fmt(rel[i]),
        },
        seeds=(61,),
        tolerances={
            "symbolic": "exact (cancel of the difference, sqrt(v) as a symbol)",
            "scipy": "relative 1e-8 (solve_discrete_lyapunov, float64)",
        },
    )


@reported
def _variance_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    ls = system(name)
    stated = _parse(ls, claim.stated["variance"])
    n = 4
    pts = sample_points(name, 48, seed=63)
    gen = np.random.default_rng(63)
    pts["lr"] = _stable_lr(ls, pts, 1.0, 1.0) * gen.uniform(0.2, 0.8, 48)
    # keep points that mix fast (spectral radius <= 0.9)
    rho = ls.spectral_radius(**{k: v for k, v in pts.items() if k in ls.symbols}, lam=1.0)
    keep = np.flatnonzero(rho <= 0.9)[:n]
    pts = {k: v[keep] for k, v in pts.items()}
    if keep.size < n:
        return Check(
            ok=False, evidence={"points with spectral radius <= 0.9": int(keep.size)}, seeds=(63,)
        )
    est, se, _, steps, rho_max = _mc(
        name, ls, pts, sigma=SIGMA, seeds=SEEDS, copies=COPIES, seed=63
    )
    want = _num(
        ls, stated, {**pts, "lam": np.ones(keep.size), "sigma2": np.full(keep.size, SIGMA**2)}
    )
    z = (est - want) / se
    good = np.abs(z) <= Z
    i = int(np.argmax(np.abs(z)))
    return Check(
        ok=keep.size == n and bool(good.all()),
        evidence={
            "points": int(keep.size),
            "samples per point": SEEDS * COPIES,
            "steps": steps,
            "largest spectral radius": fmt(rho_max),
            "measured variance": [fmt(x) for x in est],
            "stated variance": [fmt(x) for x in want],
            "largest |z| (measured - stated)/SE": fmt(np.max(np.abs(z))),
        },
        counterexample=None
        if good.all()
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "lam": 1.0,
            "sigma2": SIGMA**2,
            "measured": fmt(est[i]),
            "stated": fmt(want[i]),
            "z": fmt(z[i]),
        },
        seeds=(63,),
        tolerances={
            "variance": f"{Z:g} standard errors; SE = std(x_T^2)/sqrt(N) (= Var sqrt(2/N) for "
            f"Gaussian x_T), N = {SEEDS} seeds x {COPIES} independent coordinates",
            "stationarity": "from x = 0, steps such that rho^(2 steps) < 1e-12",
            "points": "lam = 1, lr = 0.2..0.8 x the largest stable lr, spectral radius <= 0.9",
        },
    )


# -- 5. the variance as a function of momentum -----------------------------------------------------
_FRACTIONS = tuple(sp.Rational(k, 100) for k in (10, 33, 50, 67, 80, 90, 95, 99))


@reported
def _vm_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = system(name)
    p = ls.symbols[st["param"]]
    lr = ls.symbols["lr"]
    V = ls.stationary_variance()
    up_lr, up_eff = _parse(ls, st["up_lr"]), _parse(ls, st["up_eff"])
    eff = _parse(ls, st["eff"])
    (lr_of,) = sp.solve(sp.Eq(eff, ETA), lr)
    d_lr = sp.factor(_rational(ls, sp.diff(V, p)))
    v_eta = V.subs(lr, lr_of)
    d_eff = sp.factor(_rational(ls, sp.diff(v_eta, p)))
    floor = sp.limit(_rational(ls, v_eta), p, 1, dir="-")
    floor_ok = _same(ls, floor, _rational(ls, _parse(ls, st["floor"])))
    ceil_ok = _same(ls, v_eta.subs(p, 0), _parse(ls, st["ceiling"]))
    thr = ls.curvature_threshold()
    n_pts, mismatches = 0, []
    sub_v = {ls.symbols["v"]: _SV**2} if "v" in ls.symbols else {}
    for pt in exact_points(name, 12, seed=65):
        base = at(ls, pt)
        edge = thr.subs(base)
        if not (edge.is_Rational and edge > 0):
            continue
        s_v = {_SV: sp.sqrt(pt["v"])} if "v" in pt else {}
        for u in _FRACTIONS:
            subs = base | {ls.lam: u * edge}
            eta = eff.subs(subs)
            for what, deriv, cond, extra in (
                ("fixed lr", d_lr, up_lr, {}),
                ("fixed eta", d_eff, up_eff, {ETA: eta}),
            ):
                val = deriv.subs(sub_v).subs(subs | s_v | extra)
                n_pts += 1
                if bool(val > 0) != truth(cond, subs | extra):
                    mismatches.append(
                        {
                            **{k: str(v) for k, v in pt.items()},
                            "lam": str(u * edge),
                            "at": what,
                            "dVar/dparam": str(sp.N(val, 6)),
                        }
                    )
    ok = floor_ok and ceil_ok and n_pts > 0 and not mismatches
    return Check(
        ok=ok,
        evidence={
            "floor (limit as param -> 1 at fixed eta)": str(floor),
            "stated floor = limit (exact)": floor_ok,
            "stated ceiling = Var at param = 0 (exact)": ceil_ok,
            "exact points x sides compared": n_pts,
            "disagreements on the sign of dVar/dparam": len(mismatches),
        },
        derivation=[
            rf"\mathrm{{Var}} = {tex(V)}",
            rf"\partial_{{{p}}} \mathrm{{Var}}\big|_{{\mathrm{{lr}}}} = {tex(d_lr)}",
            rf"\mathrm{{lr}} = {tex(lr_of)}:\ \partial_{{{p}}} \mathrm{{Var}}\big|_\eta = "
            rf"{tex(d_eff)}",
            rf"\lim_{{{p} \to 1}} \mathrm{{Var}}\big|_\eta = {tex(floor)}",
        ],
        counterexample=mismatches[0] if mismatches else None,
        seeds=(65,),
        tolerances={
            "sign": "exact rational arithmetic at lam = (0.1 ... 0.99) x threshold",
            "floor, ceiling": "exact",
        },
    )


# series of momenta: (momenta, held fixed, fraction of the largest stable lr or eta)
_SERIES = (
    ((0.2, 0.5, 0.8), "lr", 0.5),
    ((0.2, 0.5, 0.8), "eta", 0.9),
    ((0.02, 0.1, 0.2), "lr", 0.97),
)


@reported
def _vm_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = system(name)
    p = st["param"]
    V = ls.stationary_variance()
    up = {"lr": _parse(ls, st["up_lr"]), "eta": _parse(ls, st["up_eff"])}
    eff = _parse(ls, st["eff"])
    (lr_of,) = sp.solve(sp.Eq(eff, ETA), ls.symbols["lr"])
    base = sample_points(name, 1, seed=67)
    rows, labels = [], []
    for ms, held, frac in _SERIES:
        k = len(ms)
        pts = {kk: np.repeat(v, k) for kk, v in base.items()}
        pts[p] = np.asarray(ms)
        if held == "lr":
            lr = _stable_lr(ls, pts, 1.0, 1.0)
            pts["lr"] = np.full(k, frac * lr.min())
        else:
            fn = sp.lambdify([ETA, *ls.symbols.values()], lr_of, "numpy")

            def lr_at(eta, pts=pts, fn=fn):
                return fn(eta, *[pts.get(kk, 1.0) for kk in ls.symbols])

            eta = _stable_lr(ls, pts, 1.0, 1.0, lr_of=lr_at)
            pts["lr"] = np.asarray(lr_at(np.full(k, frac * eta.min())), dtype=float)
        rows.append(pts)
        labels += [(held, i) for i in range(k)]
    grid = {kk: np.concatenate([r[kk] for r in rows]) for kk in rows[0]}
    g = len(labels)
    est, se, sq, steps, rho = _mc(
        name, ls, grid, sigma=SIGMA, seeds=SEEDS // 2, copies=COPIES, seed=67
    )
    at1 = {**grid, "lam": np.ones(g), "sigma2": np.full(g, SIGMA**2)}
    want = _num(ls, V, at1)
    z_val = (est - want) / se
    checks, worst = [], None
    start = 0
    for (ms, held, _), r in zip(_SERIES, rows, strict=True):
        k = len(ms)
        cond = np.broadcast_to(
            _num(ls, up[held], {**r, "lam": np.ones(k), "eta": _num(ls, eff, r)}), (k,)
        )
        for i in range(k - 1):
            a, b = start + i, start + i + 1
            if bool(cond[i]) != bool(cond[i + 1]):
                continue  # the stated sign changes inside the interval: no prediction
            diff = sq[b] - sq[a]  # paired: the same seeds and noise at every grid point
            z = diff.mean() / (diff.std(ddof=1) / np.sqrt(diff.size))
            sign = 1 if cond[i] else -1
            checks.append((held, ms[i], ms[i + 1], sign, fmt(z)))
            if sign * z < Z and worst is None:
                worst = {
                    "held": held,
                    p: (ms[i], ms[i + 1]),
                    "stated sign": sign,
                    "z": fmt(z),
                    "lr": (fmt(r["lr"][i]), fmt(r["lr"][i + 1])),
                }
        start += k
    val_ok = np.abs(z_val) <= Z
    if worst is None and not val_ok.all():
        i = int(np.argmax(np.abs(z_val)))
        worst = {
            **{kk: fmt(v[i]) for kk, v in grid.items()},
            "measured": fmt(est[i]),
            "derived": fmt(want[i]),
            "z": fmt(z_val[i]),
        }
    ok = worst is None and len(checks) >= 4
    return Check(
        ok=ok,
        evidence={
            "series (held, momenta, z of the paired difference, stated sign)": [
                f"{h}: {a} -> {b}: z = {z} (stated {'+' if s > 0 else '-'})"
                for h, a, b, s, z in checks
            ],
            "measured variances": [fmt(x) for x in est],
            "derived variances": [fmt(x) for x in want],
            "largest |z| measured vs derived": fmt(np.max(np.abs(z_val))),
            "steps": steps,
            "largest spectral radius": fmt(rho),
        },
        counterexample=worst,
        seeds=(67,),
        tolerances={
            "sign": f"paired difference of x_T^2 over the same seeds beyond {Z:g} standard errors "
            "in the stated direction",
            "values": f"{Z:g} standard errors against the derived variance",
            "samples": f"{SEEDS // 2} seeds x {COPIES} coordinates per point, lam = 1",
            "series": "; ".join(
                f"{held} held at {frac} x its largest stable value, {p} in {ms}"
                for ms, held, frac in _SERIES
            ),
        },
    )


# -- registration ----------------------------------------------------------------------------------
for _name, _st in STATED.items():
    assert _name in CATALOGUE
    _frozen = _name in FROZEN
    _kind = "frozen-preconditioner linearization" if _frozen else "exact"
    _note = (_st["note"],) if "note" in _st else ()
    _P = (
        " (P = sqrt(v) + eps the frozen preconditioner)"
        if any(re.search(r"\bP\b", v) for v in _st.values() if isinstance(v, str))
        else ""
    )
    register(
        Claim(
            id=f"{_name}.variance",
            statement=f"Under additive gradient noise xi ~ N(0, sigma2), the stationary variance of"
            f" x on a stable mode of {_name} with curvature lam is {_st['variance']}{_P}.",
            latex=rf"\mathrm{{Var}}(x) = {sp.latex(sp.sympify(_st['variance']))}",
            relation="equals",
            methods=(_name,),
            symbolic=_variance_symbolic,
            empirical=_variance_empirical,
            assumptions=(f"{_kind}; the mode is stable; xi independent across steps", *_note),
            stated={"variance": _st["variance"]},
            topic="noise",
            references=_st["refs"],
            figure="variance" if _name == "heavy_ball" else None,
        )
    )
    if "param" not in _st:
        continue
    _p = _st["param"]
    _up = (
        f"it decreases as {_p} grows as well"
        if _st["up_lr"] == "False"
        else f"it increases with {_p} iff {_st['up_lr']} (and decreases otherwise)"
    )
    register(
        Claim(
            id=f"{_name}.variance_momentum",
            history=_st.get("vm_history", ()),
            statement=f"At equal effective learning rate eta = {_st['eff']}{_P}, the stationary"
            f" variance of {_name} decreases strictly as {_p} grows: it is at most"
            f" {_st['ceiling']} (its limit as {_p} -> 0) and tends to {_st['floor']} as {_p} -> 1."
            " At equal lr"
            f" (the other hyperparameters fixed) {_up}.",
            latex=rf"\mathrm{{Var}}\big|_\eta \le {sp.latex(sp.sympify(_st['ceiling']))},\ "
            rf"\partial_{{{_p}}} \mathrm{{Var}}\big|_\eta < 0",
            relation="upper bound",
            methods=(_name,),
            symbolic=_vm_symbolic,
            empirical=_vm_empirical,
            assumptions=(
                f"{_kind}; the mode is stable at every {_p} considered; {_p} in [0, 1)",
                *_note,
            ),
            stated={
                k: _st[k]
                for k in ("variance", "param", "eff", "up_lr", "up_eff", "floor", "ceiling")
            },
            topic="noise",
            references=_st["refs"],
            figure="variance" if _name == "heavy_ball" else None,
        )
    )
