r"""Worst case: the exact n-step worst case over quadratics with a spectrum in [mu, L].

:func:`optdyn.theory.worst_case` returns :math:`W_n = \max_{\lambda\in[\mu, L]} p_n(\lambda)^2`,
the worst :math:`\lVert x_n - x^\star\rVert^2 / \lVert x_0 - x^\star\rVert^2` over every
quadratic with its spectrum in :math:`[\mu, L]` (any dimension), from the method's own
initial state (``Method.init``). The theorems here say that

* ``<m>.worst_case`` (linear methods): the worst case is one mode. The quadratic
  :math:`H = \lambda^\star I` attains :math:`W_n` and no quadratic with its spectrum in
  :math:`[\mu, L]` does worse. At the minimax tuning the worst case never falls below the
  asymptotic rate: :math:`W_n \ge \rho^{2n}`. This lower bound does not hold at every tuning:
  heavy ball with ``lr = 1``, ``momentum = 0.9`` on :math:`[0.1, 0.2]` has
  :math:`W_1 = 0.81 < \rho^2 = 0.9`.
* ``<m>.worst_case`` (frozen adaptive methods): with the preconditioner frozen at ``P``,
  the method is one of the linear methods on :math:`[\mu, L]`, with a rescaled learning rate.
  That is how :func:`~optdyn.theory.worst_case` (linear methods only) reaches them.
* ``<m>.transient``: at the minimax tuning, :math:`W_n` in closed form. A double root at an end
  of the spectrum gives a polynomial factor, so :math:`W_n / \rho^{2n}` grows like
  :math:`n^2`. The closed form also says when :math:`W_n` exceeds 1 (growth above the start).

The closed forms for heavy ball come from a short argument. At Polyak's tuning every
:math:`\lambda \in (\mu, L)` has complex roots of modulus :math:`\rho`, and
:math:`p_n(\lambda) = \rho^n(\cos n\theta + c \sin n\theta)` with
:math:`|c \sin n\theta| \le n |(1 - \mathrm{momentum} - \mathrm{lr}\,\lambda)/(2\rho)|`. That is
largest at :math:`\lambda = L`, where the double root :math:`-\rho` gives
:math:`p_n(L) = (-\rho)^n (1 + (1 + \rho) n)`. For Nesterov the double root :math:`\rho` at
:math:`\mu` gives :math:`p_n(\mu) = \rho^n (1 + (1 - \rho) n)`. Both are checked exactly with
:func:`~optdyn.theory.worst_case`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from ... import simulate
from ...methods.base import get
from ...theory import optimal, rate, worst_case
from ...theory.ops import SYMPY_OPS
from ..core import Check, Claim, register
from ..experiments import mode_run, system
from ._common import CATALOGUE, FROZEN, LINEAR, at, fmt, parse, tex

# symbols of the stated formulas: the spectrum, the horizon and the asymptotic rate
_MU, _L, _N, _RATE = sp.symbols("mu L n rate", positive=True)
_NAMES = {"mu": _MU, "L": _L, "n": _N, "rate": _RATE}


def _read(text: str) -> sp.Basic:
    """A stated formula in ``mu``, ``L``, ``n`` and ``rate``."""
    expr = sp.sympify(sp.sympify(text, locals=_NAMES))  # "False" parses as a Python bool
    stray = {s.name for s in expr.free_symbols} - set(_NAMES)
    if stray:
        raise ValueError(f"stated formula {text!r} uses unknown symbols {sorted(stray)}")
    return expr


_POLYAK_LR = "4/(sqrt(L) + sqrt(mu))**2"
_POLYAK_MOMENTUM = "((sqrt(L) - sqrt(mu))/(sqrt(L) + sqrt(mu)))**2"
_POLYAK_RATE = "(sqrt(L) - sqrt(mu))/(sqrt(L) + sqrt(mu))"
_HB_WORST = "rate**(2*n)*(1 + (1 + rate)*n)**2"
_HB_GROWTH = "rate*(2 + rate) > 1"
_PEAK = (
    "M. Danilova, A. Kulakova, B. Polyak, Non-monotone behavior of the heavy ball method, "
    "arXiv:1811.00658, 2018 (peak effect)"
)
_POLYAK = "B. T. Polyak, USSR Comput. Math. Math. Phys. 4(5), 1964 (minimax tuning)"

STATED = {
    "gd": {
        "tuning": {"lr": "2/(L + mu)"},
        "rate": "(L - mu)/(L + mu)",
        "worst": "rate**(2*n)",
        "growth": "False",
        "off_tuning": None,  # W_n = rate^(2n) at every lr
        "refs": ("B. T. Polyak, Introduction to Optimization (1987), §1.4",),
    },
    "heavy_ball": {
        "tuning": {"lr": _POLYAK_LR, "momentum": _POLYAK_MOMENTUM},
        "rate": _POLYAK_RATE,
        "worst": _HB_WORST,
        "growth": _HB_GROWTH,
        "off_tuning": {"lr": 1.0, "momentum": 0.9, "mu": 0.1, "L": 0.2},
        "refs": (_POLYAK, _PEAK),
    },
    "nesterov": {
        "tuning": {
            "lr": "4/(3*L + mu)",
            "momentum": "(sqrt(3*L + mu) - 2*sqrt(mu))/(sqrt(3*L + mu) + 2*sqrt(mu))",
        },
        "rate": "1 - 2*sqrt(mu)/sqrt(3*L + mu)",
        "worst": "rate**(2*n)*(1 + (1 - rate)*n)**2",
        "growth": "False",
        "off_tuning": {"lr": 1.0, "momentum": 0.95, "mu": 0.1, "L": 0.2},
        "refs": (
            "L. Lessard, B. Recht, A. Packard, SIAM J. Optim. 26(1), 2016 (Nesterov tuned for "
            "quadratics: rate 1 - 2/sqrt(3 kappa + 1))",
        ),
    },
    "ema_momentum": {
        "tuning": {"lr": "1/sqrt(L*mu)", "momentum": _POLYAK_MOMENTUM},
        "rate": _POLYAK_RATE,
        "worst": _HB_WORST,
        "growth": _HB_GROWTH,
        "off_tuning": {"lr": 10.0, "momentum": 0.9, "mu": 0.1, "L": 0.2},
        "refs": (_POLYAK + "; ema_momentum is heavy ball with lr*(1 - momentum)", _PEAK),
    },
    "sgd_momentum": {
        "tuning": {"lr": _POLYAK_LR, "momentum": _POLYAK_MOMENTUM},
        "rate": _POLYAK_RATE,
        "worst": _HB_WORST,
        "growth": _HB_GROWTH,
        "off_tuning": {"lr": 1.0, "momentum": 0.9, "mu": 0.1, "L": 0.2},
        "refs": (_POLYAK + "; torch.optim.SGD with dampening 0 is heavy ball", _PEAK),
    },
}

# the frozen adaptive methods: the linear method ("twin") their frozen mode is, its
# hyperparameters in the adaptive method's (P = sqrt(v) + eps), and the factor per step
STATED_FROZEN = {
    "rmsprop": {
        "twin": "sgd_momentum",
        "twin_hyper": {"lr": "lr/P", "momentum": "momentum", "weight_decay": "weight_decay"},
        "scale": "1",
        "refs": (
            "torch.optim.RMSprop and torch.optim.SGD; frozen statistics as in "
            "optdyn.theory.linearize",
        ),
    },
    "adam": {
        "twin": "ema_momentum",
        "twin_hyper": {"lr": "lr/P", "momentum": "beta1"},
        "scale": "1",
        "refs": ("Kingma & Ba, ICLR 2015, Algorithm 1 (first moment = ema_momentum)",),
    },
    "adamw": {
        "twin": "ema_momentum",
        "twin_hyper": {
            "lr": "lr*(1 - beta1)/(P*(1 - beta1 - lr*weight_decay))",
            "momentum": "beta1/(1 - lr*weight_decay)",
        },
        "scale": "1 - lr*weight_decay",
        "refs": ("Loshchilov & Hutter, ICLR 2019, Algorithm 2; torch.optim.AdamW",),
    },
}

# the spectrum of the minimax-tuning checks (kappa = 225: every stated tuning is rational)
MU, L = sp.Rational(1, 225), sp.Integer(1)
# spectra with rational stated tunings, for the exact closed-form checks
EXACT_SPECTRA = ((sp.Rational(1, 16), sp.Integer(1)), (sp.Rational(1, 225), sp.Integer(1)))
# condition numbers at which growth above 1 is decided (floats: tunings are decimals)
GROWTH_KAPPAS = (2.0, 4.0, 9.0, 100.0, 225.0, 1e4)
HORIZONS = (1, 3, 10, 30)  # worst_case claims
CLOSED_N = (1, 2, 3, 4, 5, 6, 8, 12, 20, 40)  # transient closed form, exact
GROWTH_N = (1, 2, 4, 8, 16, 32)  # growth above 1
RTOL_SIM = 1e-9  # simulated ratio against the exact worst case (float64 runs of <= 40 steps)
GRID = 257  # rational curvatures at which p_n^2 is evaluated exactly


def _frac(x) -> Fraction:
    if isinstance(x, sp.Rational):
        return Fraction(int(x.p), int(x.q))
    return Fraction(repr(float(x)))


def _coeffs(poly: sp.Poly) -> list[Fraction]:
    return [Fraction(int(c.p), int(c.q)) for c in (sp.Rational(c) for c in poly.all_coeffs())]


def _horner(coeffs: list[Fraction], x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in coeffs:
        acc = acc * x + c
    return acc


def _tuning(stated, mu, L, *, exact: bool) -> tuple[dict, sp.Basic]:
    """The stated tuning (``tuning <name>`` entries) and rate at [mu, L] (Rationals if exact)."""
    sub = {_MU: mu, _L: L}

    def value(text):
        v = _read(text).subs(sub)
        if not exact:
            return float(v)
        v = sp.nsimplify(v)
        if not v.is_Rational:
            raise ValueError(f"{text} is not rational at mu = {mu}, L = {L}")
        return v

    hyper = {k[len("tuning ") :]: value(v) for k, v in stated.items() if k.startswith("tuning ")}
    return hyper, value(stated["rate"])


def _resolved(name: str, hyper: dict) -> dict:
    """Values of every symbol of the method's system but lam (defaults filled in)."""
    ls = system(name)
    full = get(name).resolve(**{k: float(v) for k, v in hyper.items()})
    return {k: float(v) for k, v in full.items() if k in ls.symbols}


SEED = 17
X0 = 1e-8  # runs start at |x_0| = X0 (the dynamics are linear; frozen statistics stay put)


# --------------------------------------------------------------------------- shared checks
def _mode_ratios(name: str, case: dict) -> dict:
    """Simulated ``|x_n|^2 / |x_0|^2`` on single modes: at each argmax and the most on a grid."""
    ns = sorted(case["worst"])
    args = [case["worst"][n][1] for n in ns]
    grid = np.unique(
        np.concatenate(
            [np.linspace(case["mu"], case["L"], 49), np.geomspace(case["mu"], case["L"], 16)]
        )
    )
    lam = np.concatenate([args, grid])
    r = mode_run(name, lam=lam, steps=max(ns), stats=case.get("stats"), x0=X0, **case["hyper"])
    ratio = (r.dist[:, 0, :] / X0) ** 2
    return {n: (float(ratio[j, n]), float(np.max(ratio[:, n]))) for j, n in enumerate(ns)}


def _dense_ratios(name: str, case: dict, seed: int) -> tuple[dict, float]:
    """Dense rotated quadratics of dimension 6 with spectrum in [mu, L]: 31 random unit starts
    and the eigenvector of the worst curvature; ``(most per n, ratio on the eigenvector)``."""
    ns = sorted(case["worst"])
    n_max = ns[-1]
    arg = case["worst"][n_max][1]
    gen = np.random.default_rng(seed)
    eigs = np.array([case["mu"], case["L"], arg, *gen.uniform(case["mu"], case["L"], 3)])
    prob = simulate.Quadratic.from_eigenvalues(eigs, rotate=True, rng=seed)
    w, vecs = np.linalg.eigh(prob.hessian)
    starts = gen.standard_normal((31, eigs.size))
    starts = np.vstack(
        [
            starts / np.linalg.norm(starts, axis=1, keepdims=True),
            vecs[:, np.argmin(np.abs(w - arg))],
        ]
    )
    extra = simulate.freeze(name, **case["stats"]) if case.get("stats") else {}
    hyper = {k: v for k, v in case["hyper"].items() if k not in extra}
    r = simulate.run(
        name, prob, steps=n_max, seeds=starts.shape[0], x0=X0 * starts, **extra, **hyper
    )
    ratio = (r.dist / X0) ** 2  # (starts, steps + 1)
    return {n: float(np.max(ratio[:, n])) for n in ns}, float(ratio[-1, n_max])


def _empirical(name: str, cases: list[dict], seed: int) -> Check:
    bad, n_runs, worst_rel = [], 0, 0.0
    for case in cases:
        modes = _mode_ratios(name, case)
        dense, on_vec = _dense_ratios(name, case, seed)
        n_max = max(case["worst"])
        for n, (value, _) in case["worst"].items():
            at_arg, most = modes[n]
            rel = abs(at_arg - value) / value
            worst_rel = max(worst_rel, rel)
            n_runs += 1
            ok = (
                rel <= RTOL_SIM
                and most <= value * (1 + RTOL_SIM)
                and dense[n] <= value * (1 + RTOL_SIM)
            )
            if n == n_max:
                ok = ok and abs(on_vec - value) <= RTOL_SIM * value
            if not ok:
                bad.append(
                    {
                        "case": case["label"],
                        "n": n,
                        "W_n": fmt(value),
                        "simulated at argmax": fmt(at_arg),
                        "most on the lam grid": fmt(most),
                        "most over dense quadratics": fmt(dense[n]),
                        "on the worst eigenvector": fmt(on_vec),
                    }
                )
    return Check(
        ok=not bad,
        evidence={
            "hyperparameter points x horizons": n_runs,
            "largest relative gap, simulated at argmax vs W_n": fmt(worst_rel, 3),
            "disagreements": len(bad),
            "single-mode curvatures per point": "the argmaxes and 61 on a grid",
            "dense quadratics": "dim 6, Haar rotation, 31 random unit starts + worst eigenvector",
        },
        counterexample=bad[0] if bad else None,
        seeds=(seed,),
        tolerances={
            "simulated vs exact": f"relative {RTOL_SIM:g} (float64 rounding over "
            f"<= {max(HORIZONS)} steps)"
        },
    )


def _sample(name: str, k: int, seed: int) -> list[dict]:
    """``k`` points drawn uniformly from the typical ranges of the hyperparameters (and
    (0.05, 1) for frozen statistics), rounded to three significant digits."""
    ls, m = system(name), get(name)
    gen = np.random.default_rng(seed)
    out = []
    for _ in range(k):
        pt = {}
        for key in ls.symbols:
            if key == "lam":
                continue
            lo, hi = m.hyper[key].typical if key in m.hyper else (0.05, 1.0)
            pt[key] = fmt(gen.uniform(lo, hi), 3)
        out.append(pt)
    return out


# --------------------------------------------------------------------------- linear methods
def _cases(name: str) -> list[dict]:
    """The minimax tuning (od.theory.optimal) on [MU, L] and two sampled points on [0.01, 1],
    with W_n and its argmax at each horizon (worst_case and optimal cache their results)."""
    m = get(name)
    tu = optimal(name, mu=float(MU), L=float(L), closed_form=False)
    cases = [
        {
            "label": "minimax tuning",
            "hyper": dict(tu.hyper),
            "mu": float(MU),
            "L": float(L),
            "tuned": True,
        }
    ]
    for i, pt in enumerate(_sample(name, 2, seed=SEED)):
        hyper = {k: v for k, v in pt.items() if k in m.hyper}
        cases.append(
            {"label": f"sample {i + 1}", "hyper": hyper, "mu": 0.01, "L": 1.0, "tuned": False}
        )
    for c in cases:
        c["wc"] = {
            n: worst_case(name, mu=c["mu"], L=c["L"], steps=n, **c["hyper"]) for n in HORIZONS
        }
        c["worst"] = {n: (wc.value, wc.argmax_lam) for n, wc in c["wc"].items()}
    return cases


def _worst_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    lower = _read(claim.stated["lower bound"])
    off = claim.stated["lower bound fails at"]  # None: it holds at every tuning
    ls = system(name)
    cases = _cases(name)
    bad, tuned = [], []
    for c in cases:
        mu, L_ = _frac(c["mu"]), _frac(c["L"])
        grid = [mu + (L_ - mu) * k / (GRID - 1) for k in range(GRID)]
        rho = rate(ls, c["mu"], c["L"], **_resolved(name, c["hyper"]))
        for n, wc in c["wc"].items():
            co = _coeffs(wc.residual)
            at_arg = float(_horner(co, _frac(wc.argmax_lam)) ** 2)
            on_grid = max(float(_horner(co, x) ** 2) for x in grid)
            bound = float(lower.subs({_RATE: rho, _N: n}))
            attained = abs(at_arg - wc.value) <= 1e-12 * wc.value
            not_exceeded = on_grid <= wc.value * (1 + 1e-12)
            # the numeric rate at a double root is accurate to ~1e-8 (root moduli)
            above = (not c["tuned"] and off is not None) or wc.value >= bound * (1 - 2e-7 * n)
            if c["tuned"]:
                tuned.append((n, wc.value, wc.argmax_lam, bound))
            if not (attained and not_exceeded and above):
                bad.append(
                    {
                        "case": c["label"],
                        **{k: fmt(v) for k, v in c["hyper"].items()},
                        "n": n,
                        "W_n": fmt(wc.value),
                        "p_n(argmax)^2": fmt(at_arg),
                        "max on grid": fmt(on_grid),
                        "rate^(2n)": fmt(bound),
                        "lower bound holds": bool(above),
                    }
                )
    off_row = {}
    if off is None:  # "at every tuning": also at 48 sampled points and spectra, n = 1, 2, 3
        gen = np.random.default_rng(SEED + 1)
        for pt in _sample(name, 48, seed=SEED + 1):
            hyper = {k: v for k, v in pt.items() if k in get(name).hyper}
            mu_s = fmt(10 ** gen.uniform(-2, 0), 3)
            L_s = fmt(mu_s * (1 + 10 ** gen.uniform(-1, 2)), 3)
            rho = rate(ls, mu_s, L_s, **_resolved(name, hyper))
            for n in (1, 2, 3):
                w = worst_case(name, mu=mu_s, L=L_s, steps=n, **hyper).value
                bound = float(lower.subs({_RATE: rho, _N: n}))
                if not w >= bound * (1 - 2e-7 * n):
                    bad.append(
                        {
                            **hyper,
                            "mu": mu_s,
                            "L": L_s,
                            "n": n,
                            "W_n": fmt(w),
                            "rate^(2n)": fmt(bound),
                        }
                    )
    else:  # the stated point where the lower bound fails at n = 1
        hyper = {k: v for k, v in off.items() if k not in ("mu", "L")}
        w1 = worst_case(name, mu=off["mu"], L=off["L"], steps=1, **hyper).value
        rho = rate(ls, off["mu"], off["L"], **_resolved(name, hyper))
        bound = float(lower.subs({_RATE: rho, _N: 1}))
        off_row = {"W_1": fmt(w1), "rate^2": fmt(bound)}
        if not w1 < bound * (1 - 1e-6):
            bad.append({"lower bound fails at": off, **off_row})
    return Check(
        ok=not bad,
        evidence={
            "hyperparameter points x horizons": sum(len(c["wc"]) for c in cases),
            "lower bound checked at": "every point, and 48 more points and spectra (n = 1, 2, 3)"
            if off is None
            else "the minimax tuning",
            "where it fails (stated point)": off_row or "nowhere (every lr)",
            "disagreements": len(bad),
            "minimax tuning on [1/225, 1]": {k: fmt(v) for k, v in cases[0]["hyper"].items()},
            "horizons n": list(HORIZONS),
            "W_n at the minimax tuning": [fmt(t[1]) for t in tuned],
            "rate^(2n) there": [fmt(t[3]) for t in tuned],
            "argmax lam there": [fmt(t[2]) for t in tuned],
            "sampled points": [{k: fmt(v) for k, v in c["hyper"].items()} for c in cases[1:]],
        },
        derivation=[
            r"x_n - x^\star = p_n(H)(x_0 - x^\star),\quad \lVert x_n - x^\star\rVert^2 = "
            r"\sum_i p_n(\lambda_i)^2 c_i^2 \le \max_{[\mu, L]} p_n^2 = W_n",
            r"W_n \ge "
            + tex(lower)
            + r"\ \text{at the minimax tuning}"
            + (r"\ \text{and at every lr}" if off is None else ""),
        ],
        counterexample=bad[0] if bad else None,
        tolerances={
            "attained": "p_n(argmax)^2 = W_n to 1e-12 relative (exact rational evaluation)",
            "not exceeded": f"p_n^2 <= W_n (1 + 1e-12) at {GRID} rational curvatures",
            "lower bound": "W_n >= rate^(2n) (1 - 2e-7 n): the numeric rate at a double root",
        },
        seeds=(SEED,),
        values={"cases": cases},
    )


def _worst_empirical(claim: Claim, sym: Check | None) -> Check:
    (name,) = claim.methods
    cases = sym.values["cases"] if sym is not None and "cases" in sym.values else _cases(name)
    return _empirical(name, cases, seed=SEED)


# --------------------------------------------------------------------------- frozen methods
FROZEN_N = (1, 2, 3, 5, 8, 13)


def _frozen_cases(claim: Claim) -> tuple[list[dict], int]:
    """Sampled points (short rationals, sqrt(v) rational) with the stated twin at each."""
    (name,) = claim.methods
    st = claim.stated
    ls, m = system(name), get(name)
    twin = get(st["twin"])
    cases, skipped = [], 0
    for i, drawn in enumerate(_sample(name, 3, seed=SEED)):
        # frozen statistics are squares of 3-digit decimals, so that sqrt(v) is rational
        pt = {
            k: sp.Rational(str(fmt(np.sqrt(v), 3))) ** 2 if k in ls.frozen else sp.Rational(str(v))
            for k, v in drawn.items()
        }
        sub = at(ls, pt)
        th = {
            k[len("twin ") :]: parse(ls, e).subs(sub)
            for k, e in st.items()
            if k.startswith("twin ")
        }
        try:  # the stated map must land in the twin's domain (adamw: beta1 + lr w < 1)
            twin.resolve(**{k: float(v) for k, v in th.items()})
        except (TypeError, ValueError):
            skipped += 1
            continue
        p_val = parse(ls, "P").subs(sub)
        L_ = p_val / pt["lr"]  # the twin's lr*L is of order 1 there
        mu = L_ / 100
        scale = parse(ls, st["scale per step"]).subs(sub)
        wcs = {n: worst_case(twin, mu=mu, L=L_, steps=n, **th) for n in FROZEN_N}
        cases.append(
            {
                "label": f"sample {i + 1}",
                "point": pt,
                "twin_hyper": th,
                "scale": scale,
                "mu": float(mu),
                "L": float(L_),
                "mu_exact": mu,
                "L_exact": L_,
                "wc": wcs,
                "hyper": {k: float(v) for k, v in pt.items() if k in m.hyper},
                "stats": {k: float(v) for k, v in pt.items() if k in ls.frozen},
                "worst": {
                    n: (float(scale ** (2 * n)) * wc.value, wc.argmax_lam) for n, wc in wcs.items()
                },
            }
        )
    return cases, skipped


def _frozen_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls, m = system(name), get(name)
    cases, skipped = _frozen_cases(claim)
    bad = []
    for c in cases:
        sub = at(ls, c["point"])
        M = ls.matrix.subs(sub)
        s0 = m.init(
            sp.Integer(1), SYMPY_OPS, **{k: v for k, v in c["point"].items() if k in m.hyper}
        )
        vec = sp.Matrix([sp.sympify(s0[k]) for k in ls.states])
        for n in range(1, max(FROZEN_N) + 1):
            vec = (M * vec).applyfunc(sp.expand)
            if n in FROZEN_N:
                twin_p = c["wc"][n].residual.as_expr()
                if sp.expand(vec[0] - c["scale"] ** n * twin_p) != 0:
                    bad.append(
                        {
                            "case": c["label"],
                            **{k: str(v) for k, v in c["point"].items()},
                            "n": n,
                            "frozen p_n": str(vec[0]),
                            "scale^n twin p_n": str(sp.expand(c["scale"] ** n * twin_p)),
                        }
                    )
    st = claim.stated
    return Check(
        ok=bool(cases) and not bad,
        evidence={
            "sampled points": len(cases),
            "left out (stated twin outside its domain)": skipped,
            "horizons n": list(FROZEN_N),
            "polynomial identities checked": len(cases) * len(FROZEN_N),
            "disagreements": len(bad),
            "W_n at the first point": [fmt(cases[0]["worst"][n][0]) for n in FROZEN_N]
            if cases
            else [],
        },
        derivation=[
            rf"M_{{\mathrm{{{name.replace('_', ' ')}}}}}(\lambda) = {tex(ls.matrix)}",
            rf"x_n = \left({tex(parse(ls, st['scale per step']))}\right)^n\, "
            rf"p_n^{{\mathrm{{{st['twin'].replace('_', ' ')}}}}}(\lambda)\, x_0",
        ],
        counterexample=bad[0] if bad else None,
        tolerances={"identity": "exact: sympy expansion of the difference is 0"},
        seeds=(SEED,),
        values={"cases": cases},
    )


def _frozen_empirical(claim: Claim, sym: Check | None) -> Check:
    (name,) = claim.methods
    cases = sym.values["cases"] if sym is not None and "cases" in sym.values else None
    if cases is None:
        cases, _ = _frozen_cases(claim)
    return _empirical(name, cases, seed=SEED)


# --------------------------------------------------------------------------- transient growth
def _transient_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    st = claim.stated
    worst, growth = _read(st["worst"]), _read(st["growth"])
    # 1. the stated tuning is the minimax tuning that od.theory.optimal finds
    tu = optimal(name, mu=float(MU), L=float(L), closed_form=False)
    hyper_f, rho_f = _tuning(st, MU, L, exact=False)
    same_keys = set(hyper_f) == set(tu.hyper)
    dev = max(abs(hyper_f[k] / tu.hyper[k] - 1) for k in hyper_f) if same_keys else np.inf
    rate_dev = abs(rho_f / tu.rate - 1)
    bad = []
    if not (dev <= 1e-6 and rate_dev <= 1e-6):
        bad.append(
            {
                "optimal": {k: fmt(v) for k, v in tu.hyper.items()},
                "optimal rate": fmt(tu.rate),
                "stated": {k: fmt(v) for k, v in hyper_f.items()},
                "stated rate": fmt(rho_f),
            }
        )
    # 2. the closed form of W_n, exactly
    n_exact = 0
    for mu, L_ in EXACT_SPECTRA:
        hyper, rho = _tuning(st, mu, L_, exact=True)
        for n in CLOSED_N:
            wc = worst_case(name, mu=mu, L=L_, steps=n, **hyper)
            ends = max(wc.residual.eval(mu) ** 2, wc.residual.eval(L_) ** 2)
            stated = worst.subs({_RATE: rho, _N: n})
            n_exact += 1
            if not (ends == stated and abs(wc.value - float(stated)) <= 4e-16 * float(stated)):
                bad.append(
                    {
                        "mu": str(mu),
                        "L": str(L_),
                        "n": n,
                        "W_n": fmt(wc.value),
                        "largest end value": fmt(ends),
                        "stated": fmt(stated),
                    }
                )
    # 3. growth above 1: W_n > 1 for some n, decided at float tunings
    growth_rows = []
    for kappa in GROWTH_KAPPAS:
        hyper, rho = _tuning(st, 1 / kappa, 1.0, exact=False)
        vals = [worst_case(name, mu=1 / kappa, L=1.0, steps=n, **hyper).value for n in GROWTH_N]
        grew, said = max(vals) > 1, bool(growth.subs(_RATE, rho))
        i = int(np.argmax(vals))
        growth_rows.append((kappa, grew, said, vals[i], GROWTH_N[i]))
        if grew != said:
            bad.append(
                {"kappa": kappa, "rate": fmt(rho), "max_n W_n": fmt(vals[i]), "stated growth": said}
            )
    hyper, rho = _tuning(st, MU, L, exact=True)
    ratio = sp.simplify(worst / _RATE ** (2 * _N))
    return Check(
        ok=not bad,
        evidence={
            "optimal (numeric) on [1/225, 1]": {k: fmt(v) for k, v in tu.hyper.items()},
            "largest relative gap, stated vs optimal tuning": fmt(dev, 3),
            "relative gap, stated vs optimal rate": fmt(rate_dev, 3),
            "exact closed-form checks (spectra x horizons)": n_exact,
            "stated tuning on [1/225, 1]": {k: str(v) for k, v in hyper.items()},
            "rate there": str(rho),
            "W_n / rate^(2n)": str(ratio),
            "kappa: W_n > 1 for some n (computed, stated)": {
                f"{g[0]:g}": [g[1], g[2]] for g in growth_rows
            },
            "kappa: largest W_n over the n checked, and its n": {
                f"{g[0]:g}": [fmt(g[3]), g[4]] for g in growth_rows
            },
            "disagreements": len(bad),
        },
        derivation=[
            r"W_n = \max_{\lambda\in[\mu, L]} p_n(\lambda)^2 = "
            + tex(worst)
            + rf",\quad \rho = {tex(_read(st['rate']))}",
            r"W_n / \rho^{2n} = " + tex(ratio),
        ],
        counterexample=bad[0] if bad else None,
        tolerances={
            "tuning": "stated vs od.theory.optimal (numeric): 1e-6 relative",
            "closed form": "exact rational equality at the ends of the spectrum; the certified "
            "maximum equal to it to 4e-16 relative",
            "growth": f"W_n at n in {list(GROWTH_N)}",
        },
    )


def _transient_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    worst, growth = _read(st["worst"]), _read(st["growth"])
    n_max = max(CLOSED_N)
    bad, rows = [], {}
    for mu, L_ in ((MU, L), (sp.Rational(1, 100), sp.Integer(1))):
        hyper, rho = _tuning(st, mu, L_, exact=False)
        grid = np.unique(
            np.concatenate(
                [np.linspace(float(mu), float(L_), 33), np.geomspace(float(mu), float(L_), 33)]
            )
        )
        r = mode_run(name, lam=grid, steps=n_max, x0=X0, **hyper)
        sim = np.max((r.dist[:, 0, :] / X0) ** 2, axis=0)  # the most over the grid, per step
        stated = np.array([float(worst.subs({_RATE: rho, _N: n})) for n in range(n_max + 1)])
        rel = np.abs(sim[1:] - stated[1:]) / stated[1:]
        grew, said = bool(np.max(sim[1:]) > 1), bool(growth.subs(_RATE, rho))
        peak = int(np.argmax(sim[1:])) + 1
        rows[f"1/{int(1 / mu)}"] = {
            "largest relative gap": fmt(np.max(rel), 3),
            "simulated W_n / rate^(2n) at n = 1, 10, 40": [
                fmt(sim[n] / rho ** (2 * n)) for n in (1, 10, 40)
            ],
            "largest simulated W_n and its n": [fmt(sim[peak]), peak],
            "grew above 1": grew,
        }
        if np.max(rel) > RTOL_SIM or grew != said:
            n = int(np.argmax(rel)) + 1
            bad.append(
                {
                    "mu": str(mu),
                    "n": n,
                    "simulated": fmt(sim[n]),
                    "stated": fmt(stated[n]),
                    "grew above 1": grew,
                    "stated growth": said,
                }
            )
    return Check(
        ok=not bad,
        evidence={f"mu = {k}, L = 1": v for k, v in rows.items()} | {"steps": n_max},
        counterexample=bad[0] if bad else None,
        tolerances={
            "simulated vs stated": f"relative {RTOL_SIM:g}, n = 1..{n_max}",
            "curvatures": "the most over 66 curvatures in [mu, L], ends included",
        },
    )


# --------------------------------------------------------------------------- registration
def _fmt_map(d: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in d.items())


for _name in LINEAR:
    assert _name in CATALOGUE
    _st = STATED[_name]
    register(
        Claim(
            id=f"{_name}.worst_case",
            history=(
                "first stated: W_n >= rate^(2n) at every tuning. It fails: heavy ball with"
                " lr = 1, momentum = 0.9 on [0.1, 0.2] gives W_1 = 0.81 < 0.9. Restated at the"
                " minimax tuning, with that counterexample checked.",
            ),
            statement=f"The exact worst case of ||x_n - x*||^2 / ||x_0 - x*||^2 of {_name} after "
            "n steps over all quadratics with spectrum in [mu, L] (any dimension, the method's "
            "own start) is the worst single mode, W_n = max over lam in [mu, L] of p_n(lam)^2 "
            "(p_n the residual polynomial): the quadratic H = lam* I with lam* the argmax "
            "attains it and no quadratic with spectrum in [mu, L] exceeds it. At the minimax "
            "tuning W_n >= rate^(2n) for every n >= 1, rate being the asymptotic rate over "
            "[mu, L]"
            + (
                " (and at every tuning)."
                if _st["off_tuning"] is None
                else "; not at every tuning: at " + _fmt_map(_st["off_tuning"]) + ", W_1 < rate^2."
            ),
            latex=r"\sup_{\mathrm{spec}(H)\subset[\mu, L]} \frac{\lVert x_n - x^\star\rVert^2}"
            r"{\lVert x_0 - x^\star\rVert^2} = \max_{\lambda\in[\mu, L]} p_n(\lambda)^2 "
            r"\ge \rho^{2n}\ \text{(minimax tuning)}",
            relation="equals",
            methods=(_name,),
            symbolic=_worst_symbolic,
            empirical=_worst_empirical,
            assumptions=(
                "exact (linear method); f = (x - x*)^T H (x - x*)/2, no noise",
                "the lower bound: at the minimax tuning of od.theory.optimal",
            ),
            stated={
                "worst case": "max over lam in [mu, L] of p_n(lam)**2",
                "lower bound": "rate**(2*n)",
                "lower bound fails at": _st["off_tuning"],
            },
            topic="worst case",
            references=(
                "G. Goh, Why Momentum Really Works, Distill, 2017 (one eigen-direction at a time)",
                "cf. PEPit's SmoothStronglyConvexQuadraticFunction (the same worst case by a "
                "semidefinite program; not run here)",
            ),
            figure="worst_case" if _name in ("heavy_ball", "nesterov") else None,
        )
    )
    _growth = (
        "never exceeds 1 (W_n < 1 for every n >= 1)"
        if _st["growth"] == "False"
        else f"exceeds 1 for some n iff {_st['growth']} (then already at n = 1)"
    )
    register(
        Claim(
            id=f"{_name}.transient",
            statement=f"At the minimax tuning over [mu, L] ({_fmt_map(_st['tuning'])}, asymptotic"
            f" rate {_st['rate']}), the exact worst case of {_name} after n steps is W_n = "
            f"{_st['worst']} for every n >= 1. So W_n / rate^(2n) "
            + (
                "= 1 for every n: no transient."
                if _st["worst"] == "rate**(2*n)"
                else "grows like n^2 (the double root of the tuned mode at an end of the "
                "spectrum gives a polynomial factor)."
            )
            + f" W_n {_growth}.",
            latex=rf"W_n = {tex(_read(_st['worst']))},\quad \rho = {tex(_read(_st['rate']))}",
            relation="equals",
            methods=(_name,),
            symbolic=_transient_symbolic,
            empirical=_transient_empirical,
            assumptions=(
                "exact (linear method); the tuning is the minimax one of od.theory.optimal",
                "closed form checked exactly for n = 1..12, 20, 40 on [1/16, 1] and [1/225, 1] "
                "(proved for heavy ball in the module docstring)",
            ),
            stated={
                **{f"tuning {k}": v for k, v in _st["tuning"].items()},
                "rate": _st["rate"],
                "worst": _st["worst"],
                "growth": _st["growth"],
            },
            topic="worst case",
            references=_st["refs"],
            figure="worst_case" if _name in ("heavy_ball", "nesterov") else None,
        )
    )

for _name in FROZEN:
    _st = STATED_FROZEN[_name]
    register(
        Claim(
            id=f"{_name}.worst_case",
            statement=f"With its preconditioner frozen at P = sqrt(v) + eps (the same v in every "
            f"coordinate, bias corrections at t -> infinity), {_name} on a mode of curvature lam"
            f" is {_st['twin']} with {_fmt_map(_st['twin_hyper'])}, up to a factor "
            f"s = {_st['scale']} per step: x_n = s^n p_n(lam) x_0 with p_n the residual "
            f"polynomial of that {_st['twin']}. So its exact n-step worst case over quadratics "
            f"with spectrum in [mu, L] is s^(2n) times that {_st['twin']}'s W_n (from "
            "od.theory.worst_case, which takes linear methods only), attained at the same lam*.",
            latex=rf"W_n^{{\mathrm{{{_name}}}}} = "
            rf"\left({tex(sp.sympify(_st['scale']))}\right)"
            rf"^{{2n}} W_n^{{\mathrm{{{_st['twin'].replace('_', ' ')}}}}}",
            relation="equals",
            methods=(_name,),
            symbolic=_frozen_symbolic,
            empirical=_frozen_empirical,
            assumptions=(
                "frozen-preconditioner linearization (od.simulate.freeze in the runs)",
                "isotropic preconditioner: every coordinate's v equal",
                "the stated twin hyperparameters in their domain"
                + (" (beta1 + lr*weight_decay < 1)" if _st["scale"] != "1" else ""),
            ),
            stated={
                "twin": _st["twin"],
                **{f"twin {k}": v for k, v in _st["twin_hyper"].items()},
                "scale per step": _st["scale"],
            },
            topic="worst case",
            references=_st["refs"],
            figure="worst_case" if _name in ("heavy_ball", "nesterov") else None,
        )
    )
