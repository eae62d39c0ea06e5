r"""Rates: the rate over a curvature range, the minimax-optimal tuning, condition-number scaling.

The asymptotic rate of a method over the curvature range :math:`[\mu, L]` is
:math:`\max_{\lambda\in[\mu,L]}\rho(M(\lambda))`. Tunings and rates are stated as formulas in
``mu`` and ``L`` (curvatures in the original, unpreconditioned units). For adaptive methods
``P`` denotes the frozen preconditioner :math:`\sqrt v + \epsilon`: they are tuned in their
frozen-preconditioner linearization with ``v`` held at ``FROZEN_STATS["v"]`` and the hyperparameters
that are not tuned at their defaults (or the values in the table's ``fixed``).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp

from ... import simulate, theory
from ...methods.base import get
from ...theory.tuning import L_ as L_SYM
from ...theory.tuning import MU as MU_SYM
from ..core import Check, Claim, register
from ..experiments import mode_run, sample_points, system
from ._common import CATALOGUE, fmt, numeric, tex

# the curvature range shared by the optimal and kappa claims, and a second range at which
# od.theory.optimal's closed form is found again and compared with the statement
MU0, L0 = 1, 100
RANGES = ((MU0, L0), (1, 1000))
# the frozen second moment of the adaptive methods (P = 2 + eps)
FROZEN_STATS = {"v": 4}
KAPPAS = (10, 100, 1000, 10000)
DIM = 16  # eigenvalues per simulated spectrum: geomspace(mu, L, DIM), both ends included
# runs start at X0 (times ones): small, so that a growing mode's gradients leave frozen
# statistics where they are (the dynamics of the linear and frozen systems do not depend on the
# scale). A run is measured while dist/dist_0 stays in [FLOOR, CEIL] (squares of distances stay
# far above the float64 underflow; frozen statistics move by less than 1e-6 relative)
X0 = 1e-8
FLOOR, CEIL = 1e-120, 1e4
# the horizon tolerance: over a window [t0, t1] the measured per-step contraction is the rate
# times (prefactor ratio)^(1/(t1 - t0)), with a prefactor at most linear in t (a double root,
# factor t1/t0) and amplitudes of the slowest modes within a ratio K_AMP of each other
K_AMP = 100.0
# numeric root moduli near a double root carry errors of order sqrt(machine epsilon) = 1.5e-8
TOL_ROOTS = 1e-7
# od.theory.optimal accepts a closed form whose certified rate is within 1e-6 of the numeric
# optimum; the numeric optimum's rate and hyperparameters are compared to this accuracy
TOL_OPTIMUM = 1e-6
PERTURB = 0.05  # relative perturbation of the tuned hyperparameters
TOL_ITER = 1e-6  # iterations are counted until dist < TOL_ITER * dist_0
TOL_SLOPE = 0.1  # fitted log-log slope of iterations vs kappa against the stated exponent
TOL_SLOPE_NUMERIC = 0.01  # slope of od.theory.optimal's numeric rates at kappa = 1e4 .. 1e6

_POLYAK87 = "B. T. Polyak, Introduction to Optimization, Optimization Software, 1987, §1.4"
_POLYAK64 = (
    "B. T. Polyak, Some methods of speeding up the convergence of iteration methods, "
    "USSR Comput. Math. Math. Phys. 4(5), 1964"
)
_LRP16 = (
    "L. Lessard, B. Recht, A. Packard, Analysis and design of optimization algorithms via "
    "integral quadratic constraints, SIAM J. Optim. 26(1), 2016"
)
_NESTEROV04 = "Y. Nesterov, Introductory Lectures on Convex Optimization, Kluwer, 2004, §2.1"
_HB_MOMENTUM = "((sqrt(L) - sqrt(mu))/(sqrt(L) + sqrt(mu)))**2"
_HB_RATE = "(sqrt(L) - sqrt(mu))/(sqrt(L) + sqrt(mu))"
# adamw with decoupled weight decay: heavy ball on the curvatures lam/P + weight_decay
_SL, _SM = "sqrt(L + P*weight_decay)", "sqrt(mu + P*weight_decay)"

STATED = {
    "gd": {
        "tune": ("lr",),
        "tuning": ("lr = 2/(mu + L)",),
        "rate": "(L - mu)/(L + mu)",
        "exponent": "1",
        "refs": (_POLYAK87,),
        "how": "Polyak 1987",
    },
    "heavy_ball": {
        "tune": ("lr", "momentum"),
        "tuning": ("lr = 4/(sqrt(L) + sqrt(mu))**2", f"momentum = {_HB_MOMENTUM}"),
        "rate": _HB_RATE,
        "exponent": "1/2",
        "refs": (_POLYAK64,),
        "how": "Polyak 1964",
        "slow": True,
    },
    "nesterov": {
        "tune": ("lr", "momentum"),
        "tuning": (
            "lr = 4/(3*L + mu)",
            "momentum = (sqrt(3*L + mu) - 2*sqrt(mu))/(sqrt(3*L + mu) + 2*sqrt(mu))",
        ),
        "rate": "1 - 2*sqrt(mu)/sqrt(3*L + mu)",
        "exponent": "1/2",
        "refs": (_LRP16,),
        "how": "Lessard, Recht, Packard 2016",
        "slow": True,
    },
    "ema_momentum": {
        # heavy ball with lr*(1 - momentum): lr = 4/(sqrt(L) + sqrt(mu))**2 / (1 - momentum)
        # and 1 - momentum = 4 sqrt(mu L)/(sqrt(L) + sqrt(mu))**2 at Polyak's momentum
        "tune": ("lr", "momentum"),
        "tuning": ("lr = 1/sqrt(mu*L)", f"momentum = {_HB_MOMENTUM}"),
        "rate": _HB_RATE,
        "exponent": "1/2",
        "refs": (_POLYAK64, "G. Goh, Why Momentum Really Works, Distill, 2017"),
        "how": "derived by hand: heavy ball (Polyak 1964) with lr*(1 - momentum)",
        "slow": True,
    },
    "sgd_momentum": {
        # torch's buffer with dampening 0 is heavy ball at the same lr and momentum
        "tune": ("lr", "momentum"),
        "tuning": ("lr = 4/(sqrt(L) + sqrt(mu))**2", f"momentum = {_HB_MOMENTUM}"),
        "rate": _HB_RATE,
        "exponent": "1/2",
        "refs": (_POLYAK64, "torch.optim.SGD"),
        "how": "derived by hand: heavy ball (Polyak 1964) at the same lr and momentum",
        "slow": True,
    },
    "rmsprop": {
        # momentum 0 (default): gd on the curvatures lam/P
        "tune": ("lr",),
        "tuning": ("lr = 2*P/(mu + L)",),
        "rate": "(L - mu)/(L + mu)",
        "exponent": "1",
        "refs": (_POLYAK87, "T. Tieleman, G. Hinton, Coursera lecture 6.5, 2012"),
        "how": "derived by hand: gd (Polyak 1987) on lam/P",
    },
    "adam": {
        # ema_momentum on the curvatures lam/P, with lr/P in place of lr
        "tune": ("lr", "beta1"),
        "tuning": ("lr = P/sqrt(mu*L)", f"beta1 = {_HB_MOMENTUM}"),
        "rate": _HB_RATE,
        "exponent": "1/2",
        "refs": (_POLYAK64, "D. P. Kingma, J. Ba, Adam, ICLR 2015"),
        "how": "derived by hand: ema_momentum on lam/P",
        "slow": True,
    },
    "adamw": {
        # z^2 - (1 + beta1 - lr*wd - lr*(1 - beta1)*lam/P) z + beta1*(1 - lr*wd) is heavy ball
        # with lr_hb = lr*(1 - beta1), momentum_hb = beta1*(1 - lr*wd) on lam/P + wd; Polyak's
        # tuning on [mu/P + wd, L/P + wd] is reached by two (lr, beta1), the roots of
        # beta1^2 - (1 + m_hb - wd*lr_hb) beta1 + m_hb = 0 (real since mu/P + wd >= wd, both in
        # (0, 1) for wd > 0); at wd = 0 it is adam's tuning.
        "tune": ("lr", "beta1"),
        "fixed": {"weight_decay": 0.01},
        "tuning": (
            f"lr*(1 - beta1) = 4*P/({_SL} + {_SM})**2",
            f"beta1*(1 - lr*weight_decay) = (({_SL} - {_SM})/({_SL} + {_SM}))**2",
        ),
        "rate": f"({_SL} - {_SM})/({_SL} + {_SM})",
        "exponent": "1/2",
        "closed_form": False,  # od.theory.optimal's closed-form search takes minutes here
        "refs": (
            _POLYAK64,
            "I. Loshchilov, F. Hutter, Decoupled Weight Decay Regularization, ICLR 2019",
        ),
        "how": "derived by hand: heavy ball (Polyak 1964) on lam/P + weight_decay",
        "note": "two (lr, beta1) solve these identities, both optimal; this is heavy ball's "
        "rate on the shifted range [mu + P*weight_decay, L + P*weight_decay], so at "
        "weight_decay = 0 these are adam's tuning and rate and for weight_decay > 0 the rate is "
        "below adam's",
    },
}

KAPPA_REFS = (_POLYAK87, _NESTEROV04)


# -- statements and values ---------------------------------------------------------------
def _names(ls) -> dict:
    names = dict(ls.symbols)
    if "v" in names and "eps" in names:
        names["P"] = sp.sqrt(names["v"]) + names["eps"]
    return names | {"mu": MU_SYM, "L": L_SYM}


def _parse(ls, text: str) -> sp.Expr:
    """A stated formula in the system's symbols, ``P``, ``mu`` and ``L``; ``a = b`` is a - b."""
    lhs, rhs = _sides(ls, text)
    return lhs - rhs


def _sides(ls, text: str) -> tuple[sp.Expr, sp.Expr]:
    """The two sides of a stated identity ``a = b`` (``(a, 0)`` for a formula)."""
    names = _names(ls)
    parts = [sp.sympify(p, locals=names) for p in text.split("=")]
    if len(parts) > 2:
        raise ValueError(f"stated formula {text!r} has more than one '='")
    known = {s.name for s in names.values() if isinstance(s, sp.Symbol)}
    stray = {s.name for p in parts for s in p.free_symbols} - known
    if stray:
        raise ValueError(f"stated formula {text!r} uses unknown symbols {sorted(stray)}")
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], sp.S.Zero)


def _exact(value):
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a Boolean is not a number here")
    return sp.Rational(repr(float(value))) if isinstance(value, float) else sp.Rational(value)


def _held(name: str, st) -> dict:
    """The values of the symbols that are not tuned (nor lam): fixed, frozen, else defaults."""
    ls = system(name)
    m = get(name)
    out = {}
    for k in ls.symbols:
        if k == "lam" or k in st["tune"]:
            continue
        if k in st.get("fixed", {}):
            out[k] = st["fixed"][k]
        elif k in ls.frozen:
            out[k] = FROZEN_STATS[k]
        else:
            out[k] = m.hyper[k].default
    return out


def _subs(name: str, st, mu=None, L=None) -> dict:
    """Exact substitution of the held symbols (and mu, L where given)."""
    ls = system(name)
    out = {ls.symbols[k]: _exact(v) for k, v in _held(name, st).items()}
    if mu is not None:
        out |= {MU_SYM: _exact(mu), L_SYM: _exact(L)}
    return out


def _optimal(name: str, st, mu, L):
    """od.theory.optimal with the table's tuned names, fixed values and frozen statistics."""
    ls = system(name)
    frozen = {k: FROZEN_STATS[k] for k in ls.frozen}
    return theory.optimal(name, mu=mu, L=L, tune=st["tune"],
                          closed_form=st.get("closed_form", True),
                          **st.get("fixed", {}), **frozen)  # fmt: skip


def _stated_tunings(name: str, st, mu, L) -> list[dict]:
    """The tunings the statement gives at (mu, L): exact solutions in the domains, by lr."""
    ls = system(name)
    m = get(name)
    subs = _subs(name, st, mu, L)
    eqs = [_parse(ls, t).subs(subs) for t in st["tuning"]]
    unknowns = [ls.symbols[k] for k in st["tune"]]
    out = []
    for sol in sp.solve(eqs, unknowns, dict=True):
        if set(sol) != set(unknowns) or not all(v.is_real for v in sol.values()):
            continue
        vals = {s.name: v for s, v in sol.items()}
        try:
            for k, v in vals.items():
                m.hyper[k].validate(k, float(v))
        except (ValueError, TypeError):
            continue
        out.append(vals)
    return sorted(out, key=lambda d: float(d["lr"]))


# -- simulation ----------------------------------------------------------------------------
def _spectrum_run(name: str, eigs, *, steps: int, **hyper) -> simulate.Result:
    """Grid point i runs on the block of eigenvalues ``eigs[i]`` (all X0 initially).

    Adaptive methods run with the frozen preconditioner (``FROZEN_STATS`` unless given).
    """
    stats = {k: hyper.pop(k, FROZEN_STATS[k]) for k in system(name).frozen}
    return mode_run(name, lam=eigs, steps=steps, stats=stats, x0=X0, **hyper)


def _contraction(r: simulate.Result):
    """Per-step contraction of each run over [t1/4, t1] and its horizon tolerance (log scale).

    ``t1`` is the last recorded step before dist/dist_0 leaves [FLOOR, CEIL] (a growing run
    measures a contraction above 1). Runs flagged as diverged measure inf.
    """
    rel = r.dist[:, 0, :] / r.dist[:, 0, :1]
    n, steps = rel.shape[0], rel.shape[1] - 1
    out = ~((rel >= FLOOR) & (rel <= CEIL))
    t1 = np.where(out.any(axis=1), np.argmax(out, axis=1) - 1, steps)
    t1 = np.maximum(t1, 4)
    t0 = t1 // 4
    rows = np.arange(n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c = (rel[rows, t1] / rel[rows, t0]) ** (1.0 / (t1 - t0))
    c = np.where(r.diverged[:, 0] | ~np.isfinite(c), np.inf, c)
    tol = (np.log(t1 / t0) + np.log(K_AMP)) / (t1 - t0)
    return c, tol


def _steps_for(rate: float, cap: int) -> int:
    """Steps for a run contracting at ``rate`` to fall to FLOOR (``cap`` at most)."""
    if not 0 < rate < 1:
        return cap
    return int(min(cap, math.ceil(math.log(FLOOR) / math.log(rate)) + 10))


# -- the rate is the larger of the two end values ------------------------------------------
def _range_points(name: str, n: int, seed: int):
    """Sample hyperparameter points with a curvature range [mu, L] on which they are stable.

    Fractions (typical range from 0 to at most 1: momentum, beta1, dampening, weight decay)
    are drawn uniformly, the others as :func:`sample_points` draws them. L lies below the
    derived edge-of-stability curvature by a fraction log-uniform in [1e-3, 0.7] (near the
    edge the end L can bind), mu = L/kappa with kappa log-uniform in [2, 100]; points with
    rho >= 1 anywhere on the range are dropped.
    """
    ls = system(name)
    m = get(name)
    pts = sample_points(name, n, seed=seed)
    gen = np.random.default_rng(seed)
    for k in pts:
        dom = m.hyper.get(k)
        if dom is not None and dom.typical[0] == 0 and dom.typical[1] <= 1:
            pts[k] = gen.uniform(*dom.typical, n)
    edge = numeric(ls, ls.curvature_threshold(), pts)
    L = np.broadcast_to(edge, (n,)) * (1 - np.exp(gen.uniform(np.log(1e-3), np.log(0.7), n)))
    mu = L / np.exp(gen.uniform(np.log(2), np.log(100), n))
    ok = np.isfinite(L) & (L > 0)
    for i in np.flatnonzero(ok):
        lam = np.geomspace(mu[i], L[i], 201)
        ok[i] = np.all(ls.spectral_radius(lam=lam, **{k: v[i] for k, v in pts.items()}) < 1)
    return {k: v[ok] for k, v in pts.items()}, mu[ok], L[ok]


def _ends(ls, pts, mu, L) -> tuple[np.ndarray, np.ndarray]:
    return (ls.spectral_radius(lam=mu, **pts), ls.spectral_radius(lam=L, **pts))


def _stated_rate_fn(text: str):
    rho_mu, rho_L = sp.symbols("rho_mu rho_L", positive=True)
    expr = sp.sympify(text, locals={"rho_mu": rho_mu, "rho_L": rho_L})
    stray = expr.free_symbols - {rho_mu, rho_L}
    if stray:
        raise ValueError(f"stated rate {text!r} uses unknown symbols {sorted(map(str, stray))}")
    return sp.lambdify([rho_mu, rho_L], expr, modules=[{"Max": np.maximum, "Min": np.minimum},
                                                       "numpy"])  # fmt: skip


def _rate_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    stated = _stated_rate_fn(claim.stated["rate"])
    # the proof: the monic characteristic polynomial has degree <= 2 and coefficients affine
    # in lam; {(a1, a0): both roots in |z| <= r} is a triangle (convex), so {lam: rho <= r}
    # is an interval and rho is quasi-convex in lam: its maximum on [mu, L] is at an end
    coeffs = ls.charpoly.all_coeffs()
    while len(coeffs) > 2 and coeffs[-1] == 0:  # roots at z = 0 do not bind the rate
        coeffs.pop()
    monic = [sp.simplify(c / coeffs[0]) for c in coeffs[1:]]
    affine = all(sp.simplify(sp.diff(a, ls.lam, 2)) == 0 for a in monic)
    proof = affine and len(monic) <= 2
    # the numbers: the fine-grid maximum (od.theory.rate) against the stated end formula
    pts, mu, L = _range_points(name, 24, seed=21)
    r_mu, r_L = _ends(ls, pts, mu, L)
    claimed = np.asarray(stated(r_mu, r_L), dtype=float)
    grid = np.array([theory.rate(ls, mu[i], L[i], **{k: float(v[i]) for k, v in pts.items()})
                     for i in range(mu.size)])  # fmt: skip
    excess = np.abs(grid - claimed) / grid
    bad = excess > TOL_ROOTS
    i = int(np.argmax(excess)) if mu.size else None
    return Check(
        ok=proof and mu.size >= 12 and not bad.any(),
        evidence={
            "degree of the mode": len(monic),
            "coefficients affine in lam": affine,
            "points (stable on their range)": int(mu.size),
            "maximum at mu": int(np.sum(r_mu > r_L * (1 + TOL_ROOTS))),
            "maximum at L": int(np.sum(r_L > r_mu * (1 + TOL_ROOTS))),
            "equal ends": int(np.sum(np.abs(r_mu - r_L) <= TOL_ROOTS * r_L)),
            "largest |grid max - stated| / rate": fmt(excess.max()) if mu.size else None,
        },
        derivation=[
            rf"\det(zI - M) = {tex(ls.charpoly.as_expr())}",
            r"\partial_\lambda^2 a_k = 0:\ \text{the coefficients are affine in }\lambda",
            r"\{(a_1, a_0): |z_{1,2}| \le r\} = \{|a_0| \le r^2,\ |a_1| \le r + a_0/r\}"
            r"\text{ is convex} \Rightarrow \{\lambda: \rho(\lambda) \le r\}\text{ is an interval}",
            r"\Rightarrow \max_{[\mu, L]} \rho = \max(\rho(\mu), \rho(L))",
        ],
        counterexample=None
        if not bad.any()
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "mu": fmt(mu[i]),
            "L": fmt(L[i]),
            "grid max": fmt(grid[i]),
            "stated": fmt(claimed[i]),
        },
        seeds=(21,),
        tolerances={
            "proof": "exact (sympy): degree <= 2, second lam-derivatives of the coefficients 0",
            "grid max vs stated": f"relative {TOL_ROOTS:g} (root moduli near double roots)",
        },
    )


def _rate_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    ls = system(name)
    stated = _stated_rate_fn(claim.stated["rate"])
    pts, mu, L = _range_points(name, 10, seed=23)
    claimed = np.asarray(stated(*_ends(ls, pts, mu, L)), dtype=float)
    eigs = np.geomspace(mu, L, DIM, axis=1)
    r = _spectrum_run(name, eigs, steps=8000, **pts)
    c, tol = _contraction(r)
    dev = np.abs(np.log(c / claimed))
    bad = ~(dev <= tol)
    i = int(np.argmax(dev / tol)) if mu.size else None
    return Check(
        ok=mu.size >= 5 and not bad.any(),
        evidence={
            "runs": int(mu.size),
            "spectrum": f"{DIM} eigenvalues, geomspace(mu, L) with both ends",
            "measured contractions": [fmt(x) for x in c],
            "stated max(rho(mu), rho(L))": [fmt(x) for x in claimed],
            "largest |log(measured/stated)| / tolerance": fmt(np.max(dev / tol)),
            "disagreements": int(bad.sum()),
        },
        counterexample=None
        if i is None or not bad.any()
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "mu": fmt(mu[i]),
            "L": fmt(L[i]),
            "measured": fmt(c[i]),
            "stated": fmt(claimed[i]),
        },
        seeds=(23,),
        tolerances={
            "contraction": "(dist_t1/dist_t0)^(1/(t1 - t0)) over [t1/4, t1], t1 the last step "
            f"with {FLOOR:g} <= dist/dist_0 <= {CEIL:g} (at most 8000), x_0 = {X0:g} * ones",
            "horizon": f"|log(measured/stated)| <= (log(t1/t0) + log {K_AMP:g})/(t1 - t0): "
            f"a prefactor linear in t (double root), amplitudes within {K_AMP:g}",
        },
    )


# -- the minimax-optimal tuning ------------------------------------------------------------
def _exact_radius(coeffs: list) -> sp.Expr:
    """The exact spectral radius of a polynomial of degree 1 or 2 with exact real coefficients."""
    while len(coeffs) > 2 and coeffs[-1] == 0:
        coeffs = coeffs[:-1]
    a = [sp.radsimp(c / coeffs[0]) for c in coeffs[1:]]
    if len(a) == 1:
        return sp.Abs(a[0])
    if len(a) != 2:
        raise ValueError(f"degree {len(a)}: no exact radius here")
    a1, a0 = a
    d = sp.simplify(sp.radsimp(a1**2 - 4 * a0))
    if d == 0:
        return sp.Abs(a1) / 2
    if sp.N(d, 60) > 0:
        return (sp.Abs(a1) + sp.sqrt(d)) / 2
    return sp.sqrt(a0)


def _compare_closed(ls, st, tu, subs, eqs, rate) -> tuple[bool, dict]:
    """The closed form found by od.theory.optimal against the stated identities and rate."""
    put = {ls.symbols[k]: tu.closed_form[k] for k in st["tune"]}
    residuals = [sp.simplify(e.subs(put).subs(subs)) for e in eqs]
    same_rate = sp.simplify(tu.rate_expr - rate.subs(subs)) == 0
    ok = all(r == 0 for r in residuals) and same_rate
    return ok, {
        "closed form": {k: str(v) for k, v in tu.closed_form.items()},
        "rate_expr": str(tu.rate_expr),
        "stated identities minus closed form (simplified)": [str(r) for r in residuals],
        "rate_expr - stated rate (simplified)": str(sp.simplify(tu.rate_expr - rate.subs(subs))),
    }


def _compare_numeric(ls, st, tu, subs, rate, mu, L) -> tuple[bool, dict]:
    """The certified numeric optimum against the stated identities and rate (TOL_OPTIMUM)."""
    at = subs | {MU_SYM: _exact(mu), L_SYM: _exact(L)}
    put = {ls.symbols[k]: tu.hyper[k] for k in st["tune"]}
    res = []
    for text in st["tuning"]:
        lhs, rhs = (float(side.subs(at).subs(put)) for side in _sides(ls, text))
        res.append(abs(lhs - rhs) / max(abs(lhs), abs(rhs), 1e-300))
    stated_rate = float(rate.subs(at))
    gap = abs(tu.rate - stated_rate) / stated_rate
    ok = all(r <= TOL_OPTIMUM for r in res) and gap <= TOL_OPTIMUM
    return ok, {
        "numeric optimum": {k: fmt(v, 12) for k, v in tu.hyper.items()},
        "certified rate": fmt(tu.rate, 12),
        "stated rate": fmt(stated_rate, 12),
        "relative residuals of the stated identities": [fmt(r) for r in res],
        "relative rate gap": fmt(gap),
    }


def _optimal_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = system(name)
    subs = _subs(name, st)
    eqs = [_parse(ls, t) for t in st["tuning"]]
    rate = _parse(ls, st["rate"])
    evidence, derivation, failures = {}, [], []
    for mu, L in RANGES:
        tu = _optimal(name, st, mu, L)
        if tu.exact and tu.rate_expr is not None:
            ok, ev = _compare_closed(ls, st, tu, subs, eqs, rate)
        else:
            ok, ev = _compare_numeric(ls, st, tu, subs, rate, mu, L)
        evidence[f"od.theory.optimal over [{mu}, {L}]"] = ev
        derivation.append(rf"[\mu, L] = [{mu}, {L}]:\ {tu.latex()}")
        if not ok:
            failures.append({"mu": mu, "L": L, **ev})
    # exactly: each stated tuning has spectral radius = the stated rate at an end of [mu0, L0]
    # and at most it at the other end (so, by the rate theorem, it is the rate over [mu0, L0])
    at = _subs(name, st, MU0, L0)
    stated_rate = sp.simplify(rate.subs(at))
    tunings = _stated_tunings(name, st, MU0, L0)
    ends = []
    for tuning in tunings:
        put = {ls.symbols[k]: v for k, v in tuning.items()} | {
            s: v for s, v in at.items() if s not in (MU_SYM, L_SYM)
        }
        radii = [
            _exact_radius([c.subs(put).subs(ls.lam, lam) for c in ls.charpoly.all_coeffs()])
            for lam in (_exact(MU0), _exact(L0))
        ]
        equal = [sp.simplify(r - stated_rate) == 0 for r in radii]
        below = [e or sp.N(r - stated_rate, 50) < 0 for r, e in zip(radii, equal, strict=True)]
        ends.append(any(equal) and all(below))
        derivation.append(
            r"\rho(\mu_0), \rho(L_0) = "
            + ", ".join(tex(r) for r in radii)
            + rf" \text{{ at }} {', '.join(f'{k} = {tex(v)}' for k, v in tuning.items())}"
        )
    evidence[f"stated tunings over [{MU0}, {L0}] (exact solutions in the domains)"] = [
        {k: fmt(float(v), 12) for k, v in t.items()} for t in tunings
    ]
    evidence["their end radii equal the stated rate exactly"] = ends
    ok = not failures and bool(tunings) and all(ends)
    return Check(
        ok=ok,
        evidence=evidence,
        derivation=derivation,
        counterexample=failures[0] if failures else (None if ok else {"end radii": ends}),
        tolerances={
            "closed form": "exact (sympy simplify of the differences, symbols mu and L)",
            "numeric optimum": f"relative {TOL_OPTIMUM:g} (od.theory.optimal's certification)",
            "end radii": "exact (sympy), decided at 50 digits where unequal",
        },
    )


def _optimal_empirical(claim: Claim, sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = system(name)
    at = _subs(name, st, MU0, L0)
    stated_rate = float(_parse(ls, st["rate"]).subs(at))
    tunings = _stated_tunings(name, st, MU0, L0)
    if not tunings:
        return Check(ok=False, counterexample={"stated tuning": "no solution in the domains"})
    center = {k: float(v) for k, v in tunings[0].items()}
    factors = (1.0, 1.0 - PERTURB, 1.0 + PERTURB)
    combos = list(itertools.product(factors, repeat=len(st["tune"])))  # the center first
    hyper = {k: np.array([center[k] * f[j] for f in combos]) for j, k in enumerate(st["tune"])}
    held = {k: float(v) for k, v in _held(name, st).items()}
    steps = _steps_for(stated_rate, 20000)
    eigs = np.broadcast_to(np.geomspace(MU0, L0, DIM), (len(combos), DIM))
    r = _spectrum_run(name, eigs, steps=steps, **hyper, **held)
    c, tol = _contraction(r)
    dev = abs(math.log(c[0] / stated_rate))
    matches = dev <= tol[0]
    # a perturbed run "is faster" if its contraction is below the optimum's beyond both
    # horizon tolerances
    faster = np.log(c[1:]) < np.log(c[0]) - tol[0] - tol[1:]
    theo = [
        theory.rate(ls, MU0, L0, **{k: float(v[j]) for k, v in hyper.items()}, **held)
        for j in range(1, len(combos))
    ]
    labels = [", ".join(f"{k} x {f[j]:g}" for j, k in enumerate(st["tune"])) for f in combos[1:]]
    i = int(np.argmax(faster)) if faster.any() else None
    return Check(
        ok=bool(matches) and not faster.any(),
        evidence={
            "range": [MU0, L0],
            "stated tuning": {k: fmt(v, 10) for k, v in center.items()},
            "stated rate": fmt(stated_rate),
            "measured contraction at the stated tuning": fmt(c[0]),
            "|log(measured/stated)|": fmt(dev),
            "horizon tolerance": fmt(tol[0]),
            "measured contractions, perturbed": dict(
                zip(labels, [fmt(x) for x in c[1:]], strict=True)
            ),
            "od.theory.rate, perturbed": dict(zip(labels, [fmt(x) for x in theo], strict=True)),
            "perturbed runs faster than the optimum": int(faster.sum()),
            "steps": steps,
        },
        counterexample=None
        if matches and i is None
        else {
            "measured at the optimum": fmt(c[0]),
            "stated rate": fmt(stated_rate),
            **({} if i is None else {"faster perturbation": labels[i], "measured": fmt(c[i + 1])}),
        },
        tolerances={
            "spectrum": f"{DIM} eigenvalues geomspace({MU0}, {L0}), both ends",
            "contraction": f"over [t1/4, t1], t1 the last step with {FLOOR:g} <= "
            f"dist/dist_0 <= {CEIL:g}, x_0 = {X0:g} * ones",
            "horizon": f"|log(measured/stated)| <= (log(t1/t0) + log {K_AMP:g})/(t1 - t0)",
            "perturbation": f"lr and the tuned momentum x (1 +- {PERTURB}); faster means below "
            "the optimum's contraction beyond both runs' horizon tolerances",
        },
    )


# -- condition-number scaling --------------------------------------------------------------
def _exponent_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    stated = sp.sympify(st["exponent"])
    kappa = sp.Symbol("kappa", positive=True)
    tu = _optimal(name, st, MU0, L0)
    tol = sp.Rational(1, 10**6)
    if tu.exact and tu.rate_expr is not None:
        # iterations N = log(tol)/log(rate) under the optimal tuning, with L = kappa*mu
        r = sp.simplify(tu.rate_expr.subs(L_SYM, kappa * MU_SYM))
        scale_free = not r.has(MU_SYM)
        r = r.subs(MU_SYM, 1)
        iters = sp.log(tol) / sp.log(r)
        derived = sp.limit(sp.log(iters) / sp.log(kappa), kappa, sp.oo)
        lead = sp.series(1 - r, kappa, sp.oo, 2).removeO()
        ok = scale_free and sp.simplify(derived - stated) == 0
        evidence = {
            "optimal rate at L = kappa*mu": str(r),
            "rate depends on kappa only": scale_free,
            "1 - rate as kappa -> oo": str(lead),
            "derived exponent lim log N / log kappa": str(derived),
            "stated exponent": str(stated),
        }
        derivation = [
            rf"\rho^\star(\kappa) = {tex(r)},\quad 1 - \rho^\star \sim {tex(lead)}",
            rf"N(\kappa) = \frac{{\log 10^{{-6}}}}{{\log \rho^\star(\kappa)}},\quad "
            rf"\lim_{{\kappa\to\infty}} \frac{{\log N}}{{\log \kappa}} = {tex(derived)}",
        ]
        tols = {"exponent": "exact (sympy limit, compared with simplify)"}
    else:
        # no closed form: od.theory.optimal's certified numeric rates at large kappa
        ks = (10**4, 10**6)
        rates = [_optimal(name, st, MU0, MU0 * k).rate for k in ks]
        iters = [math.log(float(tol)) / math.log(x) for x in rates]
        derived = math.log(iters[1] / iters[0]) / math.log(ks[1] / ks[0])
        ok = abs(derived - float(stated)) <= TOL_SLOPE_NUMERIC
        evidence = {
            "kappa": list(ks),
            "od.theory.optimal numeric rates": [fmt(x, 10) for x in rates],
            "iterations to 1e-6": [fmt(x) for x in iters],
            "derived exponent (log-log slope)": fmt(derived),
            "stated exponent": str(stated),
        }
        derivation = [
            rf"\frac{{\log N(10^6) - \log N(10^4)}}{{\log 10^2}} = {fmt(derived)}",
        ]
        tols = {"exponent": f"+- {TOL_SLOPE_NUMERIC} (certified numeric rates, O(1/kappa) bias)"}
    return Check(
        ok=ok,
        evidence=evidence,
        derivation=derivation,
        counterexample=None if ok else {"derived exponent": str(derived)},
        tolerances=tols,
    )


def _exponent_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    ls = system(name)
    stated = float(sp.sympify(st["exponent"]))
    rate = _parse(ls, st["rate"])
    tunings = [_stated_tunings(name, st, MU0, MU0 * k) for k in KAPPAS]
    if not all(tunings):
        return Check(ok=False, counterexample={"stated tuning": "no solution in the domains"})
    tunings = [t[0] for t in tunings]
    hyper = {k: np.array([float(t[k]) for t in tunings]) for k in st["tune"]}
    held = {k: float(v) for k, v in _held(name, st).items()}
    rates = [float(rate.subs(_subs(name, st, MU0, MU0 * k))) for k in KAPPAS]
    # 1.5 times the iterations the stated rates predict (double roots add a log factor)
    pred = [math.log(TOL_ITER) / math.log(x) if 0 < x < 1 else math.inf for x in rates]
    steps = int(min(1.5 * max(pred), 2e5)) + 100
    eigs = np.array([np.geomspace(MU0, MU0 * k, DIM) for k in KAPPAS])
    r = _spectrum_run(name, eigs, steps=steps, **hyper, **held)
    rel = r.dist[:, 0, :] / r.dist[:, 0, :1]
    hit = rel < TOL_ITER
    reached = hit.any(axis=1) & ~r.diverged[:, 0]
    iters = np.where(reached, np.argmax(hit, axis=1), np.nan)
    slope = float(np.polyfit(np.log(KAPPAS), np.log(iters), 1)[0]) if reached.all() else np.nan
    ok = bool(reached.all()) and abs(slope - stated) <= TOL_SLOPE
    return Check(
        ok=ok,
        evidence={
            "kappa": list(KAPPAS),
            "stated tuning": {k: [fmt(x, 8) for x in v] for k, v in hyper.items()},
            "iterations to dist < 1e-6 dist_0": [int(x) if np.isfinite(x) else None for x in iters],
            "fitted log-log slope": fmt(slope),
            "stated exponent": fmt(stated),
        },
        counterexample=None if ok else {"fitted slope": fmt(slope), "iterations": iters.tolist()},
        tolerances={
            "spectrum": f"{DIM} eigenvalues geomspace(1, kappa), both ends, x_0 = {X0:g} * ones",
            "slope": f"|fitted - stated| <= {TOL_SLOPE} (finite-kappa corrections)",
        },
    )


def _latex(text: str) -> str:
    """A stated formula or identity ``a = b`` as LaTeX (plain symbols)."""
    sides = [tex(sp.sympify(part)) for part in text.split("=")]
    return " = ".join(sides)


#: the methods shown in the figures rate_vs_lr, trajectories and iterations_vs_kappa
PLOTTED = ("gd", "heavy_ball", "nesterov")

for _name, _st in STATED.items():
    assert _name in CATALOGUE
    _m = get(_name)
    _kind = "exact" if _m.linear else "frozen-preconditioner linearization"
    _P = (
        f"; P = sqrt(v) + eps is the frozen preconditioner (v = {FROZEN_STATS['v']} in the checks)"
        if _m.slow_states
        else ""
    )
    _held_text = ", ".join(
        f"{k} = {_st.get('fixed', {}).get(k, d.default)}"
        for k, d in _m.hyper.items()
        if k not in _st["tune"] and not isinstance(d.default, bool)
    )
    _held_text = f" ({_held_text})" if _held_text else ""
    _note = f"; {_st['note']}" if "note" in _st else ""
    _stated = {
        "tune": _st["tune"],
        "fixed": _st.get("fixed", {}),
        "tuning": _st["tuning"],
        "rate": _st["rate"],
        "exponent": _st["exponent"],
        "closed_form": _st.get("closed_form", True),
    }
    register(
        Claim(
            id=f"{_name}.rate",
            statement=f"Over a curvature range [mu, L] on which {_name} is stable, its asymptotic"
            " rate max_{lam in [mu, L]} rho(M(lam)) equals max(rho(mu), rho(L)): the spectral"
            " radius of a mode is largest at an end of the range.",
            latex=r"\max_{\lambda\in[\mu,L]} \rho(M(\lambda)) = \max(\rho(\mu), \rho(L))",
            relation="equals",
            methods=(_name,),
            symbolic=_rate_symbolic,
            empirical=_rate_empirical,
            assumptions=(
                f"{_kind}; 0 < mu < L, hyperparameters in their domains, stable on [mu, L]",
            ),
            stated={"rate": "Max(rho_mu, rho_L)"},
            topic="rate",
            references=(_POLYAK87,),
            figure="rate_vs_lr" if _name in PLOTTED else None,
        )
    )
    register(
        Claim(
            id=f"{_name}.optimal",
            statement=f"Over [mu, L], the minimax-optimal {' and '.join(_st['tune'])} of {_name}"
            f"{_held_text} {'are' if len(_st['tune']) > 1 else 'is'} given by"
            f" {', '.join(_st['tuning'])}, with rate {_st['rate']}"
            f" ({_st['how']}){_note}{_P}.",
            latex=",\\quad ".join(
                [*map(_latex, _st["tuning"]), r"\rho^\star = " + _latex(_st["rate"])]
            ),
            relation="equals",
            methods=(_name,),
            symbolic=_optimal_symbolic,
            empirical=_optimal_empirical,
            assumptions=(f"{_kind}; constant hyperparameters; curvatures in [mu, L]",),
            stated=_stated,
            topic="rate",
            references=_st["refs"],
            figure="trajectories" if _name in PLOTTED else None,
            slow=_st.get("slow", False),
        )
    )
    register(
        Claim(
            id=f"{_name}.kappa",
            statement=f"Under its optimal tuning over [mu, L]{_held_text}, the iterations {_name}"
            f" needs to reach a fixed tolerance grow as kappa**({_st['exponent']}),"
            f" kappa = L/mu{_P}.",
            latex=rf"N(\kappa) = \Theta(\kappa^{{{_latex(_st['exponent'])}}})",
            relation="equals",
            methods=(_name,),
            symbolic=_exponent_symbolic,
            empirical=_exponent_empirical,
            assumptions=(
                f"{_kind}; the optimal tuning of {_name}.optimal; mu fixed, L = kappa*mu",
            ),
            stated=_stated,
            topic="rate",
            references=KAPPA_REFS + _st["refs"],
            figure="iterations_vs_kappa" if _name in PLOTTED else None,
            slow=_st.get("slow", False),
        )
    )
