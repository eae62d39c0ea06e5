r"""Adaptive methods on quadratics: what their steps do beyond the frozen-preconditioner view.

* ``adaptive.bias_correction``: Adam's bias correction on a constant gradient.
* ``adaptive.scale_invariance``: Adam's and RMSProp's iterates on a diagonal quadratic do not
  depend on the curvatures (eps -> 0); on a rotated quadratic they do.
* ``adaptive.adam_settles``: where Adam with a constant lr settles on a single mode: it
  converges iff the frozen edge holds at ``P = eps``, else it hovers at the edge.
* ``adaptive.decay_fixed_points``: L2 decay versus decoupled decay: where the iterates come to
  rest, with and without gradient noise.
* ``adaptive.adagrad_large_lr``: AdaGrad converges at every lr; its largest excursion is
  bounded by ``max(|x_0 - x*|, lr)`` per coordinate.
* ``adaptive.reddi``: the counterexample of Reddi, Kale and Kumar (ICLR 2018): Adam drifts to
  the worst point of [-1, 1], AMSGrad to the best.

Every derivation runs the registered ``step`` on sympy symbols (``SYMPY_OPS``); every
measurement runs the same ``step`` in numpy (``od.simulate.run`` or ``NUMPY_OPS``).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.signal
import sympy as sp

from ... import simulate
from ...methods.base import State, get
from ...methods.domains import Boolean
from ...simulate.ops import NUMPY_OPS
from ...theory.ops import SYMPY_OPS
from ..core import Check, Claim, register
from ..experiments import mode_run, system
from ._common import fmt, parse, tex

# symbols of the stated formulas (states that change sign are real, the rest positive)
_REAL = ("x", "m", "buf", "e")
_POSITIVE = (
    "lr",
    "beta1",
    "beta2",
    "eps",
    "lam",
    "x_star",
    "weight_decay",
    "sigma",
    "var",
    "P",
    "c",
    "v",
    "t",
    "C",
    "decay",
    "momentum",
    "g",
    "s",
    "e0",
)
S = {k: sp.Symbol(k, real=True) for k in _REAL} | {
    k: sp.Symbol(k, positive=True) for k in _POSITIVE
}
T_INF = sp.Symbol("T", positive=True, integer=True)  # a step counter taken to infinity


def _read(text) -> sp.Basic:
    """A stated formula in the symbols ``S``."""
    expr = sp.sympify(sp.sympify(text, locals=S))
    stray = {s.name for s in expr.free_symbols} - set(S)
    if stray:
        raise ValueError(f"stated formula {text!r} uses unknown symbols {sorted(stray)}")
    return expr


def _fn(text, *names):
    """A stated formula as a numpy function of ``names``."""
    return sp.lambdify([S[k] for k in names], _read(text), "numpy")


def _at_infinity(expr) -> sp.Basic:
    """``expr`` with every power whose exponent contains T_INF (a base in (0, 1)) set to 0."""
    return sp.sympify(expr).replace(lambda a: a.is_Pow and a.exp.has(T_INF), lambda a: sp.S.Zero)


def _tname(name: str) -> str:
    """A method name for LaTeX text (underscores escaped)."""
    return name.replace("_", r"\_")


def _symbolic_hyper(name: str, **fixed) -> dict:
    """The method's hyperparameters as symbols (flags at their defaults), some fixed."""
    out = {}
    for k, dom in get(name).hyper.items():
        if k in fixed:
            out[k] = fixed[k]
        elif isinstance(dom, Boolean):
            out[k] = dom.default
        else:
            out[k] = S.get(k, sp.Symbol(k, positive=True))
    return out


# =========================================================================== bias correction
BIAS_T = range(1, 7)  # symbolic steps
BIAS_STEPS = 200  # numeric steps
BIAS_G, BIAS_EPS, BIAS_LR = 2.5, 1e-12, 1e-3


def _bias_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    m = get(name)
    unc, ratio = _read(claim.stated["uncorrected step"]), _read(claim.stated["ratio"])
    step = _read(claim.stated["corrected step (g > 0)"])
    g, x0 = S["g"], sp.Symbol("x0", real=True)
    hyper = _symbolic_hyper(name)
    s = m.init(x0, SYMPY_OPS, **hyper)
    bad, rows = [], []
    for t in BIAS_T:
        prev = s.x
        s = m.step(s, lambda q: g, SYMPY_OPS, t=t, **hyper)
        corrected = prev - s.x
        derived = (unc.subs({S["m"]: s.m, S["v"]: s.v}) / corrected).subs(S["eps"], 0)
        stated = ratio.subs(S["t"], t)
        # both sides are positive, so equal squares mean equal values
        same = sp.simplify(derived**2 - stated**2) == 0 and derived.is_positive is not False
        same = same and sp.simplify(corrected.subs(S["eps"], 0) - step) == 0
        rows.append(
            rf"t = {t}:\ \frac{{\text{{uncorrected}}}}{{\text{{corrected}}}} = "
            rf"{tex(sp.simplify(derived))}"
        )
        if not same:
            bad.append(
                {
                    "t": t,
                    "derived": str(sp.simplify(derived)),
                    "stated": str(stated),
                    "corrected step": str(sp.simplify(corrected.subs(S["eps"], 0))),
                }
            )
    return Check(
        ok=not bad,
        evidence={
            "steps compared (symbolic beta1, beta2, g, lr)": len(BIAS_T),
            "disagreements": len(bad),
        },
        derivation=[
            r"m_t = (1 - \beta_1^t) g,\ v_t = (1 - \beta_2^t) g^2 "
            r"\text{ (constant gradient } g > 0\text{)}",
            *rows[:3],
        ],
        counterexample=bad[0] if bad else None,
        tolerances={"equality": "exact (sympy), at eps = 0 (the ratio is continuous in eps)"},
    )


def _bias_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    m = get(name)
    unc = _fn(claim.stated["uncorrected step"], "lr", "m", "v", "eps")
    ratio = _fn(claim.stated["ratio"], "beta1", "beta2", "t")
    b1, b2 = np.meshgrid([0.5, 0.9, 0.99], [0.9, 0.999, 0.9999], indexing="ij")
    b1, b2 = b1[..., None], b2[..., None]  # (3, 3, dim = 1)
    hyper = {"lr": BIAS_LR, "beta1": b1, "beta2": b2, "eps": BIAS_EPS}
    s = m.init(np.zeros_like(b1), NUMPY_OPS, **hyper)
    # the eps terms change the ratio by at most eps / (|g| sqrt(1 - beta2^t)), relative
    tol = BIAS_EPS / (BIAS_G * np.sqrt(1 - b2)) + 1e-12
    worst, where = 0.0, None
    for t in range(1, BIAS_STEPS + 1):
        prev = s.x
        s = m.step(s, lambda q: np.full_like(q, BIAS_G), NUMPY_OPS, t=t, **hyper)
        measured = unc(BIAS_LR, s.m, s.v, BIAS_EPS) / (prev - s.x)
        stated = ratio(b1, b2, t)
        rel = np.abs(measured / stated - 1) / tol
        if rel.max() > worst:
            i = np.unravel_index(np.argmax(rel), rel.shape)
            worst, where = (
                float(rel.max()),
                {
                    "t": t,
                    "beta1": float(b1[i]),
                    "beta2": float(b2[i]),
                    "measured": fmt(measured[i]),
                    "stated": fmt(stated[i]),
                },
            )
    return Check(
        ok=worst <= 1,
        evidence={
            "(beta1, beta2) points": int(b1.size),
            "steps": BIAS_STEPS,
            "largest abs(measured/stated - 1) in units of the tolerance": fmt(worst, 3),
            "stated ratio at t = 1 and t = 10 (beta1 = 0.9, beta2 = 0.999)": [
                fmt(ratio(0.9, 0.999, 1)),
                fmt(ratio(0.9, 0.999, 10)),
            ],
        },
        counterexample=where if worst > 1 else None,
        tolerances={
            "ratio": f"relative eps/(|g| sqrt(1 - beta2)) + 1e-12 with eps = "
            f"{BIAS_EPS:g}, g = {BIAS_G}: the eps terms, and rounding"
        },
    )


register(
    Claim(
        id="adaptive.bias_correction",
        statement="For Adam on a constant gradient g (eps -> 0), the uncorrected step "
        "lr*m_t/(sqrt(v_t) + eps), with the raw moments, is (1 - beta1^t)/sqrt(1 - beta2^t) "
        "times the bias-corrected step that Adam takes (which is lr*sign(g) for every t). "
        "Without the correction the early steps would be scaled by that ratio (3.16 at t = 1 "
        "and 6.53 at t = 10 for beta1 = 0.9, beta2 = 0.999: too large); it tends to 1.",
        latex=r"\frac{\mathrm{lr}\, m_t/(\sqrt{v_t} + \epsilon)}{\Delta_t} = "
        r"\frac{1 - \beta_1^t}{\sqrt{1 - \beta_2^t}}",
        relation="equals",
        methods=("adam",),
        symbolic=_bias_symbolic,
        empirical=_bias_empirical,
        assumptions=("a constant gradient g (m_0 = v_0 = 0)", "eps -> 0"),
        stated={
            "uncorrected step": "lr*m/(sqrt(v) + eps)",
            "ratio": "(1 - beta1**t)/sqrt(1 - beta2**t)",
            "corrected step (g > 0)": "lr",
        },
        topic="adaptive",
        references=(
            "D. P. Kingma, J. Ba, Adam: A Method for Stochastic Optimization, ICLR "
            "2015, §3 (initialization bias correction)",
        ),
        figure="bias_correction",
    )
)


# =========================================================================== scale invariance
SCALE_LR, SCALE_D, SCALE_KAPPAS = 1e-2, 4, (10.0, 1e4)
SCALE_TOLS = (0.1, 0.03, 0.01)  # ||x_t - x*||_inf
SCALE_DIAG_STEPS, SCALE_ROT_STEPS, SCALE_ROT_SEEDS = 1500, 2000, (0, 1, 2, 3)
SCALE_EPS = (1e-8, 1e-300)  # the default, and eps -> 0 (below every sqrt(v) of the runs)
SCALE_TRAJ_TOL = 1e-10  # trajectories at eps = 1e-300: float64 rounding only


def _forced(expr) -> sp.Basic:
    """``expr`` simplified with sqrt(c^2 X) = c sqrt(X) (X a second moment, >= 0)."""
    return sp.simplify(sp.powdenest(sp.expand_power_base(expr, force=True), force=True))


def _scale_symbolic(claim: Claim) -> Check:
    bad, rows, eps_rows = [], [], {}
    c = S["c"]
    g = sp.Symbol("g", real=True)  # the coordinate's gradient at the current point
    for name in claim.methods:
        m = get(name)
        scaling = {k: _read(v) for k, v in claim.stated[f"{name} scaling"].items()}
        for eps in (sp.S.Zero, S["eps"]):
            # weight decay would add an unscaled w*x to the gradient: held at 0 (assumption)
            hyper = _symbolic_hyper(name, eps=eps, weight_decay=sp.S.Zero)
            hyper = {k: v for k, v in hyper.items() if k in m.hyper}
            states = m.states(**hyper)
            s1 = {k: S.get(k, sp.Symbol(k, real=True)) for k in states}
            s2 = {k: scaling[k] if k in scaling else s1[k] for k in states}
            # curvature lam -> c lam scales the gradient lam (x - x*) by c
            out1 = m.step(State(**s1), lambda q: g, SYMPY_OPS, t=S["t"], **hyper)
            out2 = m.step(State(**s2), lambda q: c * g, SYMPY_OPS, t=S["t"], **hyper)
            x_gap = _forced(out2.x - out1.x)
            images = {
                k: _forced(out2[k] - scaling[k].xreplace({s1[j]: out1[j] for j in states}))
                for k in scaling
            }
            if eps == 0:
                ok = x_gap == 0 and all(v == 0 for v in images.values())
                rows.append(
                    rf"\mathrm{{{_tname(name)}}}:\ "
                    + r",\ ".join(rf"{k} \mapsto {tex(v)}" for k, v in scaling.items())
                    + r",\ g \mapsto c g \ \Rightarrow\ x_{t+1} \text{ unchanged } (\epsilon = 0)"
                )
                if not ok:
                    bad.append(
                        {
                            "method": name,
                            "x gap": str(x_gap),
                            **{f"{k} gap": str(v) for k, v in images.items()},
                        }
                    )
            else:  # eps > 0 breaks the invariance: the qualifier eps -> 0 is needed
                eps_rows[name] = str(sp.factor(x_gap))
                if x_gap == 0:
                    bad.append({"method": name, "eps > 0": "x unchanged, so eps -> 0 is idle"})
    return Check(
        ok=not bad,
        evidence={
            "methods": list(claim.methods),
            "disagreements": len(bad),
            "x gap at eps > 0 (nonzero)": eps_rows,
        },
        derivation=rows,
        counterexample=bad[0] if bad else None,
        tolerances={
            "equality": "exact (sympy), eps = 0, symbolic hyperparameters and states; "
            "sqrt(c^2 X) = c sqrt(X) for the second moment X >= 0"
        },
    )


def _first_hit(x: np.ndarray, tol: float) -> int | None:
    """The first step at which max |x| over the last axis is <= tol (x: (steps + 1, dim))."""
    hit = np.flatnonzero(np.max(np.abs(x), axis=-1) <= tol)
    return int(hit[0]) if hit.size else None


def _scale_empirical(claim: Claim, _sym) -> Check:
    d, k = SCALE_D, len(SCALE_KAPPAS)
    factor = float(claim.stated["rotated: iterations grow at least by"])
    eigs = [np.geomspace(1.0, kappa, d) for kappa in SCALE_KAPPAS]
    diag = simulate.DiagonalQuadratic(np.concatenate(eigs))  # one block per kappa
    # rotated: one Haar-rotated block per (kappa, seed); Adam and RMSProp act per coordinate,
    # so the blocks of a block-diagonal Hessian are independent runs
    blocks = [(kappa, seed) for kappa in SCALE_KAPPAS for seed in SCALE_ROT_SEEDS]
    rot = simulate.Quadratic(
        scipy.linalg.block_diag(
            *[
                simulate.Quadratic.from_eigenvalues(
                    np.geomspace(1.0, kappa, d), rotate=True, rng=seed
                ).hessian
                for kappa, seed in blocks
            ]
        )
    )
    bad, ev = [], {}
    for name in claim.methods:
        r = simulate.run(
            name,
            diag,
            steps=SCALE_DIAG_STEPS,
            x0=np.ones(k * d),
            keep_iterates=True,
            lr=SCALE_LR,
            eps=np.array(SCALE_EPS),
        )
        its, gaps = {}, {}
        for j, eps in enumerate(SCALE_EPS):
            xs = r.iterates[j, 0]  # (steps + 1, k d)
            parts = [xs[:, i * d : (i + 1) * d] for i in range(k)]
            its[eps] = {tol: [_first_hit(p, tol) for p in parts] for tol in SCALE_TOLS}
            gaps[eps] = float(np.max(np.abs(parts[0] - parts[-1])))
            if any(len(set(v)) != 1 or v[0] is None for v in its[eps].values()):
                bad.append({"method": name, "eps": eps, "diagonal iterations": its[eps]})
        if gaps[SCALE_EPS[-1]] > SCALE_TRAJ_TOL:
            bad.append({"method": name, "trajectory gap at eps = 1e-300": gaps[SCALE_EPS[-1]]})
        r = simulate.run(
            name, rot, steps=SCALE_ROT_STEPS, x0=np.ones(rot.dim), keep_iterates=True, lr=SCALE_LR
        )
        xs = r.iterates[0]
        rot_its = {
            b: _first_hit(xs[:, i * d : (i + 1) * d], SCALE_TOLS[0]) for i, b in enumerate(blocks)
        }
        easy = [rot_its[(SCALE_KAPPAS[0], s)] for s in SCALE_ROT_SEEDS]
        hard = [rot_its[(SCALE_KAPPAS[-1], s)] for s in SCALE_ROT_SEEDS]
        hard_n = [SCALE_ROT_STEPS + 1 if h is None else h for h in hard]
        if any(e is None for e in easy) or min(hard_n) < factor * max(easy):
            bad.append({"method": name, "rotated kappa = 10": easy, "rotated kappa = 1e4": hard})
        ev[name] = {
            f"diagonal, iterations to tol {SCALE_TOLS} (kappa = 10 and 1e4)": [
                its[SCALE_EPS[0]][tol][0] for tol in SCALE_TOLS
            ],
            "diagonal, largest trajectory gap, eps = 1e-8": fmt(gaps[SCALE_EPS[0]], 3),
            "diagonal, largest trajectory gap, eps = 1e-300": fmt(gaps[SCALE_EPS[-1]], 3),
            f"rotated, iterations to tol {SCALE_TOLS[0]}, kappa = 10 (4 rotations)": easy,
            f"rotated, kappa = 1e4 (None: not within {SCALE_ROT_STEPS} steps)": hard,
        }
    return Check(
        ok=not bad,
        evidence=ev,
        counterexample=bad[0] if bad else None,
        seeds=SCALE_ROT_SEEDS,
        tolerances={
            "diagonal": "iteration counts identical; trajectories at eps = 1e-300 within "
            f"{SCALE_TRAJ_TOL:g} (rounding)",
            "rotated": f"kappa = 1e4 needs at least {factor:g} times the most iterations of "
            "kappa = 10 (a run that never reaches tol counts as steps + 1)",
        },
    )


register(
    Claim(
        id="adaptive.scale_invariance",
        statement="On a diagonal quadratic, Adam's and RMSProp's iterates do not depend on the "
        "curvatures when eps = 0: scaling one coordinate's curvature by c > 0 scales its "
        "gradients by c, and the step commutes with (g, m, v) -> (c g, c m, c^2 v) (RMSProp's "
        "momentum buffer unchanged). So as eps -> 0 the iterations to reach "
        "||x_t - x*||_inf <= tol do not depend on the condition number: kappa = 10 and 1e4 "
        "(eigenvalues geomspace(1, kappa, 4), x_0 - x* = 1, lr = 0.01) take the same counts "
        "(also at eps = 1e-8) and, at eps = 1e-300, the same trajectories to rounding. On a "
        "rotated quadratic they do not: there kappa = 1e4 needs at least 10 times the "
        "iterations of kappa = 10 to reach tol = 0.1.",
        latex=r"x_t(c \odot \lambda) = x_t(\lambda)\ (\text{diagonal } H,\ \epsilon \to 0)",
        relation="equals",
        methods=("adam", "rmsprop"),
        symbolic=_scale_symbolic,
        empirical=_scale_empirical,
        assumptions=(
            "constant lr; weight_decay = 0; RMSProp not centered",
            "eps -> 0 for the exact invariance (eps > 0 breaks it: see evidence)",
            "rotated: Haar rotations of geomspace(1, kappa, 4), seeds 0-3",
        ),
        stated={
            "adam scaling": {"m": "c*m", "v": "c**2*v"},
            "rmsprop scaling": {"v": "c**2*v", "buf": "buf"},
            "rotated: iterations grow at least by": "10",
        },
        topic="adaptive",
        references=(
            "Kingma & Ba, ICLR 2015, §2 (the step is invariant to rescaling the gradient)",
        ),
        figure="trajectories",
    )
)


# =========================================================================== where Adam settles
SETTLE_STEPS = 40000  # beta2 = 0.999 forgets the start in ~1e4 steps; the tail is the last half
SETTLE_GRID = {
    "beta1": (0.8, 0.9, 0.95),
    "beta2": (0.99, 0.999),
    "lr": (1e-2, 1e-1),
    "lam": (1.0, 100.0),
}
# eps per point: 1e-8 and P*/4 (oscillating: the edge fails at P = eps), 2 P* (converging)
SETTLE_EPS = ("1e-8", "quarter", "double")
SETTLE_CONVERGED = 1e-10  # |x_T| / |x_0|


def _settle_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    st = claim.stated
    edge, cond, amp = (parse(ls, st[k]) for k in ("edge P*", "converges iff", "amplitude A"))
    p_sym = parse(ls, "P")
    thr = ls.curvature_threshold()
    per_p = sp.simplify(thr / p_sym)  # the threshold is proportional to P
    derived_edge = sp.simplify(ls.lam / per_p)  # the P at which lam is the threshold
    bad = []
    if per_p.has(ls.symbols["v"], ls.symbols["eps"]) or sp.simplify(derived_edge - edge) != 0:
        bad.append({"derived edge": str(derived_edge), "stated edge": str(edge)})
    # the amplitude: sqrt(v) = lam*A at P = sqrt(v) + eps = P*
    derived_amp = sp.simplify((derived_edge - ls.symbols["eps"]) / ls.lam)
    if sp.simplify(derived_amp - amp) != 0:
        bad.append({"derived amplitude": str(derived_amp), "stated amplitude": str(amp)})
    # converges iff the frozen system at P = eps (v -> 0 as x -> 0) is stable: exact probes
    n_probes = 0
    for lr, b1, lam in (
        (sp.Rational(1, 100), sp.Rational(9, 10), sp.Integer(1)),
        (sp.Rational(1, 10), sp.Rational(4, 5), sp.Integer(100)),
        (sp.Rational(3, 1000), sp.Rational(19, 20), sp.Rational(7, 2)),
    ):
        pt = {"lr": lr, "beta1": b1, "beta2": sp.Rational(999, 1000), "lam": lam}
        p_star = derived_edge.subs({ls.symbols[k]: v for k, v in pt.items()})
        for u in (sp.Rational(1, 3), sp.Rational(9, 10), sp.Rational(11, 10), 3):
            vals = pt | {"eps": u * p_star, "v": 0}
            stable = ls.is_stable(**vals)
            said = bool(cond.subs({ls.symbols[k]: v for k, v in vals.items()}))
            n_probes += 1
            if stable != said:
                bad.append(
                    {
                        **{k: str(v) for k, v in vals.items()},
                        "frozen stable at P = eps": stable,
                        "stated converges": said,
                    }
                )
    return Check(
        ok=not bad,
        evidence={
            "threshold / P": str(per_p),
            "derived edge P*": str(derived_edge),
            "derived amplitude": str(derived_amp),
            "exact probes of the convergence condition": n_probes,
            "disagreements": len(bad),
        },
        derivation=[
            rf"\lambda^\star(P) = {tex(thr)},\quad \lambda = \lambda^\star(P) \iff "
            rf"P = P^\star = {tex(derived_edge)}",
            rf"x_t \to 0 \Rightarrow v_t \to 0,\ P \to \epsilon:\ \text{{converges iff }} "
            rf"\epsilon > P^\star \iff {tex(cond)}",
            rf"\sqrt{{v}} \approx \lambda A,\ \sqrt v + \epsilon = P^\star \Rightarrow A = "
            rf"{tex(derived_amp)}",
        ],
        counterexample=bad[0] if bad else None,
        tolerances={
            "edge, amplitude": "exact (sympy)",
            "convergence condition": "exact Jury test at P = eps, eps = P* x (1/3, 9/10, 11/10, 3)",
        },
    )


def _settle_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    st = claim.stated
    edge = _fn(st["edge P*"], "lr", "lam", "beta1")
    cond = _fn(st["converges iff"], "lr", "lam", "eps", "beta1")
    amp = _fn(st["amplitude A"], "lr", "lam", "eps", "beta1")
    rms_lo, rms_hi = (float(v) for v in st["tail RMS(x) / A in"])
    p_lo, p_hi = (float(v) for v in st["tail mean of P / P* in"])
    axes = np.meshgrid(*SETTLE_GRID.values(), np.arange(len(SETTLE_EPS)), indexing="ij")
    pts = {k: a.ravel() for k, a in zip([*SETTLE_GRID, "eps_kind"], axes, strict=True)}
    p_star = edge(pts["lr"], pts["lam"], pts["beta1"])
    kind = pts.pop("eps_kind")
    pts["eps"] = np.choose(kind, [np.full_like(p_star, 1e-8), p_star / 4, 2 * p_star])
    r = mode_run(
        name, lam=pts["lam"], steps=SETTLE_STEPS, **{k: v for k, v in pts.items() if k != "lam"}
    )
    dist = r.dist[:, 0, :]  # |x_t|, x_0 = 1
    tail = dist[:, SETTLE_STEPS // 2 :]
    rms = np.sqrt(np.mean(tail**2, axis=1))
    # the second moment from the iterates: v_t = beta2 v_{t-1} + (1 - beta2) (lam x_{t-1})^2
    mean_p = np.empty(rms.size)
    for i in range(rms.size):
        b2 = pts["beta2"][i]
        v = scipy.signal.lfilter([1 - b2], [1, -b2], (pts["lam"][i] * dist[i, :-1]) ** 2)
        mean_p[i] = np.mean(np.sqrt(v[SETTLE_STEPS // 2 :])) + pts["eps"][i]
    said = np.asarray(cond(pts["lr"], pts["lam"], pts["eps"], pts["beta1"]), dtype=bool)
    a = amp(pts["lr"], pts["lam"], pts["eps"], pts["beta1"])
    converged = np.max(tail, axis=1) <= SETTLE_CONVERGED  # bursts: |x_T| alone can be tiny
    q_rms, q_p = rms / np.where(said, np.nan, a), mean_p / p_star
    ok_conv = said & converged & ~r.diverged[:, 0]
    ok_osc = (
        ~said & ~converged & (q_rms >= rms_lo) & (q_rms <= rms_hi) & (q_p >= p_lo) & (q_p <= p_hi)
    )
    wrong = ~(ok_conv | ok_osc)
    i = int(np.argmax(wrong)) if wrong.any() else None
    osc = ~said
    return Check(
        ok=not wrong.any() and said.any() and osc.any(),
        evidence={
            "runs": int(rms.size),
            "stated to converge, converged": int(ok_conv.sum()),
            "stated to oscillate, oscillating in the bands": int(ok_osc.sum()),
            "tail RMS(x) / A: min, max": [
                fmt(np.nanmin(q_rms[osc]), 4),
                fmt(np.nanmax(q_rms[osc]), 4),
            ],
            "tail mean P / P*: min, max": [fmt(np.min(q_p[osc]), 4), fmt(np.max(q_p[osc]), 4)],
            "steps (tail: the last half)": SETTLE_STEPS,
        },
        counterexample=None
        if i is None
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "stated converges": bool(said[i]),
            "tail max abs(x)": fmt(np.max(tail[i])),
            "RMS / A": fmt(q_rms[i]),
            "mean P / P*": fmt(q_p[i]),
        },
        tolerances={
            "converged": f"|x_t| <= {SETTLE_CONVERGED:g} |x_0| over the whole tail",
            "bands": "stated (measured, with margin), over the tail",
        },
    )


register(
    Claim(
        id="adaptive.adam_settles",
        history=(
            "first stated: the tail RMS of x_t equals A = lr(1 - beta1)/(2(1 + beta1)) - eps/lam."
            " Measured 1.025 to 1.106 times A: the preconditioner sits 2-9% above the edge on"
            " average, in bursts. Restated as the measured band [1, 1.15] A.",
        ),
        statement="Adam with a constant lr on f = lam x^2/2 from x_0 = 1 converges to 0 iff "
        "lr*lam/eps < 2(1 + beta1)/(1 - beta1), i.e. iff the frozen edge of stability holds at "
        "P = eps (where the preconditioner goes as x -> 0); the edge is at P* = "
        "lr*lam*(1 - beta1)/(2(1 + beta1)). Otherwise it never converges: after the start is "
        "forgotten it oscillates about 0 with the preconditioner hovering at the edge (the "
        "tail mean of P_t = sqrt(v_t) + eps is 1 to 1.12 times P*), and the tail RMS of x_t is "
        "1 to 1.15 times A = lr*(1 - beta1)/(2(1 + beta1)) - eps/lam (the amplitude at which "
        "sqrt(v) = lam*A puts P at P*), not A itself: P spends most of the time slightly "
        "above the edge.",
        latex=r"x_t \to 0 \iff \frac{\mathrm{lr}\,\lambda}{\epsilon} < "
        r"\frac{2(1+\beta_1)}{1-\beta_1};\ \text{else } \mathrm{RMS}(x) \in [1, 1.15]\,"
        r"\Big(\frac{\mathrm{lr}(1-\beta_1)}{2(1+\beta_1)} - \frac{\epsilon}{\lambda}\Big)",
        relation="iff",
        methods=("adam",),
        symbolic=_settle_symbolic,
        empirical=_settle_empirical,
        assumptions=(
            "deterministic f = lam x^2/2, x_0 = 1, constant lr, bias corrections on",
            "bands measured for beta1 in [0.8, 0.95], beta2 in {0.99, 0.999}, lr in "
            "{0.01, 0.1}, lam in {1, 100}, 4e4 steps (tail: the last 2e4)",
            "exact arithmetic: a float64 run whose stable start contracts x below ~1e-308 "
            "before v decays to the edge (e.g. beta1 = 0, lr = 0.01) underflows to 0 and stays",
        ),
        stated={
            "edge P*": "lr*lam*(1 - beta1)/(2*(1 + beta1))",
            "converges iff": "lr*lam/eps < 2*(1 + beta1)/(1 - beta1)",
            "amplitude A": "lr*(1 - beta1)/(2*(1 + beta1)) - eps/lam",
            "tail RMS(x) / A in": ("1", "1.15"),
            "tail mean of P / P* in": ("1", "1.12"),
        },
        topic="adaptive",
        references=(
            "J. Cohen et al., Adaptive Gradient Methods at the Edge of Stability, "
            "arXiv:2207.14484, 2022 (preconditioned sharpness at 38/lr)",
        ),
        figure="adaptive_edge",
        slow=True,
    )
)


# =========================================================================== decay fixed points
DECAY_LR, DECAY_STEPS, DECAY_TOL = 2e-3, 40000, 1e-6
DECAY_COORDS = ((1.0, 1.0), (1.0, 4.0), (10.0, 1.0), (10.0, 0.3))  # (lam, x_star) per coordinate
DECAY_GRID = {"weight_decay": (0.1, 0.5), "eps": (1e-3, 0.1)}
NOISE_SIGMAS, NOISE_SEEDS, NOISE_STEPS, NOISE_SEED = (0.3, 1.0, 3.0), 64, 20000, 23
NOISE_HYPER = {"lr": 1e-3, "weight_decay": 0.1, "eps": 1e-8}
NOISE_EVERY = 10  # record every 10 steps; the tail is the last half
PROBES = (
    (1, 1, sp.Rational(1, 10), sp.Rational(1, 1000)),
    (1, 4, sp.Rational(1, 2), 0),
    (10, sp.Rational(3, 10), sp.Rational(1, 2), sp.Rational(1, 10)),
    (sp.Rational(5, 2), 3, sp.Rational(1, 5), 0),
)  # (lam, x_star, w, eps)


def _fixed_point(name: str) -> tuple[sp.Basic, sp.Basic, sp.Basic]:
    """``(x at rest as a function of P, m at rest, v at rest)`` from the method's step.

    The step runs on symbols with t -> infinity; m and v at rest solve m+ = m, v+ = v; P is
    sqrt(v) at rest, so the x equation x+ = x is solved for x with |g| written as P.
    """
    m = get(name)
    x, P = S["x"], S["P"]
    M, V = sp.Symbol("M", real=True), sp.Symbol("V", positive=True)
    hyper = _symbolic_hyper(name)
    out = m.step(
        State(x=x, m=M, v=V), lambda q: S["lam"] * (q - S["x_star"]), SYMPY_OPS, t=T_INF, **hyper
    )
    (m_rest,) = sp.solve(_at_infinity(out.m) - M, M)
    (v_rest,) = sp.solve(_at_infinity(out.v) - V, V)
    eq = _at_infinity(out.x - x).xreplace({M: m_rest, V: v_rest})
    # the step's sqrt(v_{t+1}), with v_{t+1} = v at rest, is P
    eq = eq.replace(
        lambda a: a.is_Pow and a.exp == sp.S.Half and sp.simplify(a.base - v_rest) == 0, lambda a: P
    )
    if eq.has(sp.sqrt(v_rest)) or eq.has(sp.Abs):
        raise ValueError(f"{name}: sqrt(v) at rest not isolated in {eq}")
    sols = sp.solve(sp.numer(sp.together(eq)), x)
    if len(sols) != 1:
        raise ValueError(f"{name}: expected one fixed point in terms of P, got {sols}")
    return sp.simplify(sols[0]), sp.factor(m_rest), sp.factor(v_rest)


def _decay_symbolic(claim: Claim) -> Check:
    st = claim.stated
    x, P = S["x"], S["P"]
    bad, ev, rows = [], {}, []
    slopes = {}
    for name in claim.methods:
        x_of_p, m_rest, v_rest = _fixed_point(name)
        stated = _read(st[f"{name} fixed point"])
        slope = sp.simplify(sp.diff(x_of_p, P))
        slopes[name] = slope
        ev[f"{name}: x at rest"] = str(x_of_p)
        ev[f"{name}: m, v at rest"] = [str(m_rest), str(v_rest)]
        ev[f"{name}: d x / d P"] = str(slope)
        rows.append(
            rf"\mathrm{{{_tname(name)}}}:\ m = {tex(m_rest)},\ v = {tex(v_rest)},\ "
            rf"x = {tex(x_of_p)}\ (P = \sqrt v)"
        )
        if sp.simplify(x_of_p - stated) != 0:
            bad.append({"method": name, "derived": str(x_of_p), "stated": str(stated)})
        if name == claim.methods[-1]:  # the decoupled one: P = |g| closes the equation
            p_det = _read(st["P at rest (deterministic, x < x_star)"])
            if sp.simplify(p_det**2 - v_rest) != 0:
                bad.append({"method": name, "P^2": str(p_det**2), "v at rest": str(v_rest)})
            closed = _read(st["adamw closed form"])
            limit = _read(st["adamw as eps -> 0"])
            eq = sp.numer(sp.together(x - x_of_p.subs(P, p_det)))
            for lam, xs, w, eps in PROBES:
                sub = {S["lam"]: lam, S["x_star"]: xs, S["weight_decay"]: w, S["eps"]: eps}
                cf = sp.nsimplify(closed.subs(sub))
                root = sp.simplify(eq.subs(sub).subs(x, cf)) == 0
                inside = eps == 0 or bool(0 < cf < xs)  # P = lam (x* - x) > 0 at it
                at_zero = eps != 0 or sp.simplify(cf - limit.subs(sub)) == 0
                if not (root and inside and at_zero):
                    bad.append(
                        {
                            "lam": str(lam),
                            "x_star": str(xs),
                            "w": str(w),
                            "eps": str(eps),
                            "closed form": str(cf),
                            "root": root,
                            "0 < x < x_star": inside,
                            "eps -> 0 limit": at_zero,
                        }
                    )
    dec = slopes[claim.methods[-1]]
    if not (slopes[claim.methods[0]] == 0 and dec.is_negative):
        bad.append({"d x/d P": {k: str(v) for k, v in slopes.items()}})
    return Check(
        ok=not bad,
        evidence=ev | {"exact probes of the closed form": len(PROBES), "disagreements": len(bad)},
        derivation=[
            *rows,
            r"\text{decoupled: } x = \frac{\lambda x^\star}{\lambda + w(P + "
            r"\epsilon)},\ P = \lambda(x^\star - x) \Rightarrow "
            + tex(_read(st["adamw closed form"])),
        ],
        counterexample=bad[0] if bad else None,
        tolerances={"equalities": "exact (sympy); t -> infinity (bias corrections 1)"},
    )


def _decay_empirical(claim: Claim, _sym) -> Check:
    st = claim.stated
    l2_name, w_name = claim.methods
    lam = np.array([c[0] for c in DECAY_COORDS])
    xs = np.array([c[1] for c in DECAY_COORDS])
    prob = simulate.DiagonalQuadratic(lam, x_star=xs)
    g = simulate.grid(**DECAY_GRID)
    w, eps = g["weight_decay"][..., None], g["eps"][..., None]  # (2, 1, 1), (1, 2, 1)
    args = ("lam", "x_star", "weight_decay", "eps")
    pred = {
        l2_name: _fn(st[f"{l2_name} fixed point"], *args)(lam, xs, w, eps),
        w_name: _fn(st["adamw closed form"], *args)(lam, xs, w, eps),
    }
    bad, ev = [], {}
    for name in claim.methods:
        r = simulate.run(
            name,
            prob,
            steps=DECAY_STEPS,
            x0=np.zeros(lam.size),
            record_every=1000,
            keep_iterates=True,
            lr=DECAY_LR,
            **g,
        )
        last = r.iterates[..., 0, -1, :]  # (2, 2, dim)
        drift = np.max(np.abs(last - r.iterates[..., 0, -2, :]))
        gap = np.abs(last - np.broadcast_to(pred[name], last.shape))
        ev[name] = {
            "largest abs(x_T - stated)": fmt(np.max(gap), 3),
            "largest change over the last 1000 steps": fmt(drift, 3),
        }
        if np.max(gap) > DECAY_TOL or drift > DECAY_TOL:
            i = np.unravel_index(np.argmax(gap), gap.shape)
            bad.append(
                {
                    "method": name,
                    "weight_decay": float(g["weight_decay"][i[0], 0]),
                    "eps": float(g["eps"][0, i[1]]),
                    "lam": lam[i[2]],
                    "x_star": xs[i[2]],
                    "x_T": fmt(last[i]),
                    "stated": fmt(np.broadcast_to(pred[name], last.shape)[i]),
                }
            )
    ev["stated x at rest (w = 0.5, eps = 1e-3), by (lam, x_star)"] = {
        name: {
            str(c): fmt(np.broadcast_to(p, (2, 2, lam.size))[1, 0, j])
            for j, c in enumerate(DECAY_COORDS)
        }
        for name, p in pred.items()
    }
    # gradient noise: one coordinate per sigma (the methods act per coordinate)
    sig = np.array(NOISE_SIGMAS)
    k = sig.size
    prob = simulate.DiagonalQuadratic(np.ones(k), x_star=np.ones(k))
    noise = simulate.AdditiveNoise(sigma=sig)
    l2_rest = _fn(st[f"{l2_name} fixed point"], *args)
    w_rest = _fn(st[f"{w_name} fixed point"], "lam", "x_star", "weight_decay", "eps", "P")
    p_noisy = _fn(st["P at rest (noisy, mean field)"], "lam", "x_star", "x", "var", "sigma")
    h = NOISE_HYPER
    noisy = {}
    for name in claim.methods:
        r = simulate.run(
            name,
            prob,
            steps=NOISE_STEPS,
            seeds=NOISE_SEEDS,
            rng=NOISE_SEED,
            noise=noise,
            x0=np.ones(k),
            record_every=NOISE_EVERY,
            keep_iterates=True,
            **h,
        )
        tail = r.iterates[:, r.iterates.shape[1] // 2 :, :]  # (seeds, records, k)
        per_seed = tail.mean(axis=1)
        noisy[name] = (
            per_seed.mean(axis=0),
            per_seed.std(axis=0, ddof=1) / np.sqrt(NOISE_SEEDS),
            tail.var(axis=(0, 1)),
        )
    mean, se, _ = noisy[l2_name]
    l2_pred = l2_rest(1.0, 1.0, h["weight_decay"], h["eps"])
    mean_w, se_w, var_w = noisy[w_name]
    w_pred = np.array(
        [
            scipy.optimize.brentq(
                lambda z, s=s, v=v: (
                    z - w_rest(1.0, 1.0, h["weight_decay"], h["eps"], p_noisy(1.0, 1.0, z, v, s))
                ),
                0.0,
                1.0,
            )
            for s, v in zip(sig, var_w, strict=True)
        ]
    )
    z_l2 = np.abs(mean - l2_pred) / se
    z_w = np.abs(mean_w - w_pred) / se_w
    steps_down = (mean_w[:-1] - mean_w[1:]) / np.hypot(se_w[:-1], se_w[1:])
    if np.max(z_l2) > 5 or np.max(z_w) > 5 or np.min(steps_down) < 5:
        bad.append(
            {
                "sigma": list(NOISE_SIGMAS),
                f"{l2_name} mean": [fmt(v) for v in mean],
                f"{l2_name} stated": fmt(l2_pred),
                f"{w_name} mean": [fmt(v) for v in mean_w],
                f"{w_name} mean-field": [fmt(v) for v in w_pred],
            }
        )
    ev["noisy (sigma = " + ", ".join(f"{s:g}" for s in NOISE_SIGMAS) + ")"] = {
        f"{l2_name} stationary mean": [fmt(v, 5) for v in mean],
        f"{l2_name} stated (noise-free)": fmt(l2_pred, 5),
        f"{l2_name} abs(gap) / SE": [fmt(v, 3) for v in z_l2],
        f"{w_name} stationary mean": [fmt(v, 5) for v in mean_w],
        f"{w_name} mean-field prediction": [fmt(v, 5) for v in w_pred],
        f"{w_name} abs(gap) / SE": [fmt(v, 3) for v in z_w],
        f"{w_name} drop between successive sigmas / SE": [fmt(v, 3) for v in steps_down],
    }
    return Check(
        ok=not bad,
        evidence=ev,
        counterexample=bad[0] if bad else None,
        seeds=(NOISE_SEED,),
        tolerances={
            "deterministic": f"|x_T - stated| <= {DECAY_TOL:g} after {DECAY_STEPS} steps, lr = "
            f"{DECAY_LR:g} (and the same bound on the change over the last 1000 steps)",
            "noisy": f"5 standard errors of the tail mean over {NOISE_SEEDS} seeds (the "
            f"last {NOISE_STEPS // 2} of {NOISE_STEPS} steps)",
        },
    )


register(
    Claim(
        id="adaptive.decay_fixed_points",
        statement="On f = lam (x - x*)^2/2 with weight decay w, Adam with L2 decay (adam_l2) "
        "comes to rest at x = lam x*/(lam + w), the minimiser of f + w x^2/2, whatever the "
        "preconditioner; decoupled decay (adamw) comes to rest at x = lam x*/(lam + "
        "w (P + eps)) with P = sqrt(v) at rest: the decay is multiplied by the "
        "preconditioner. Without noise P = |g| = lam (x* - x), which gives (for x* > 0) the "
        "smaller root x = [lam + w(lam x* + eps) - sqrt((lam + w(lam x* + eps))^2 - "
        "4 w lam^2 x*)]/(2 w lam), tending to min(x*, 1/w) as eps -> 0 (an l_inf box of "
        "radius 1/w). With additive gradient noise of std sigma, P grows (mean field: P = "
        "sqrt(lam^2((x* - x)^2 + Var x) + sigma^2)), so adamw's stationary mean moves towards "
        "0 as sigma grows, while adam_l2's stays at lam x*/(lam + w).",
        latex=r"x_{\mathrm{L2}} = \frac{\lambda x^\star}{\lambda + w},\quad x_{\mathrm{W}} = "
        r"\frac{\lambda x^\star}{\lambda + w(P + \epsilon)} \xrightarrow{\epsilon\to 0,\ "
        r"\sigma = 0} \min(x^\star, 1/w)",
        relation="equals",
        methods=("adam_l2", "adamw"),
        symbolic=_decay_symbolic,
        empirical=_decay_empirical,
        assumptions=(
            "t -> infinity (bias corrections 1); x* > 0",
            "convergence needs the fixed point to be stable (frozen edge at P + eps); here "
            "lr = 2e-3 with eps >= 1e-3 (deterministic; lr = 1e-3 with noise keeping P >= 0.3)",
            "noisy: mean field E sqrt(v) = sqrt(E v), m independent of v; sigma in {0.3, 1, 3},"
            " lam = x* = 1, w = 0.1, eps = 1e-8",
        ),
        stated={
            "adam_l2 fixed point": "lam*x_star/(lam + weight_decay)",
            "adamw fixed point": "lam*x_star/(lam + weight_decay*(P + eps))",
            "P at rest (deterministic, x < x_star)": "lam*(x_star - x)",
            "adamw closed form": "(lam + weight_decay*(lam*x_star + eps) - sqrt((lam + "
            "weight_decay*(lam*x_star + eps))**2 - 4*weight_decay*lam**2*x_star))/"
            "(2*weight_decay*lam)",
            "adamw as eps -> 0": "Min(x_star, 1/weight_decay)",
            "P at rest (noisy, mean field)": "sqrt(lam**2*((x_star - x)**2 + var) + sigma**2)",
        },
        topic="adaptive",
        references=(
            "I. Loshchilov, F. Hutter, Decoupled Weight Decay Regularization, ICLR 2019",
            "S. Xie, Z. Li, Implicit Bias of AdamW: l_inf-Norm Constrained Optimization, "
            "ICML 2024 (the 1/w box)",
        ),
    )
)


# =========================================================================== AdaGrad at any lr
ADAGRAD_LRS = np.geomspace(1e-2, 1e3, 16)
ADAGRAD_STEPS, ADAGRAD_CONVERGED = 20000, 1e-3  # |x_T - x*| <= 1e-3 |x_0 - x*| per coordinate
ADAGRAD_LAM = (1e-2, 1.0, 1e2)
ADAGRAD_XSTAR = (1.0, -2.0, 0.5)
ADAGRAD_E0 = (1.0, -0.5, 0.75)  # x_0 - x*: |x_0 - x*|/lr <= 100 (lr >= 1e-2)


def _adagrad_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    m = get(name)
    e, s_prev, lam, xs = S["e"], S["s"], S["lam"], S["x_star"]
    # weight_decay = 0 (assumption); the other hyperparameters stay symbols
    hyper = _symbolic_hyper(name, weight_decay=sp.S.Zero, lr_decay=sp.S.Zero)
    hyper = {k: v for k, v in hyper.items() if k in m.hyper}
    states = m.states(**hyper)
    acc = next(k for k in states if k != "x")
    out = m.step(
        State(**{"x": xs + e, acc: s_prev}), lambda q: lam * (q - xs), SYMPY_OPS, t=1, **hyper
    )
    e_new = sp.simplify(out.x - xs)
    factor = sp.simplify(e_new / e)  # e+ = e (1 - a): a = lr lam / (sqrt(s + lam^2 e^2) + eps)
    a = sp.simplify(1 - factor)
    odd = sp.simplify(e_new.subs(e, -e) + e_new) == 0  # the map is odd in e
    # a |e| <= lr: lam |e| <= sqrt(s + lam^2 e^2) because the accumulator before the step is >= 0
    root = next(p for p in sp.preorder_traversal(a) if p.is_Pow and p.exp == sp.S.Half)
    under = sp.expand(root.base - (lam * e) ** 2)
    bounded = under == s_prev and a.is_positive
    # the largest step a|e| (at s -> 0, eps -> 0) and the start give the least invariant bound
    step_sup = sp.simplify((a * sp.Abs(e)).subs({s_prev: 0, S["eps"]: 0}))
    derived = sp.Max(S["e0"], step_sup)
    bound = _read(claim.stated["excursion bound"])
    ok = odd and bounded and sp.simplify(bound - derived) == 0
    return Check(
        ok=ok,
        evidence={
            "e_{t+1} / e_t": str(factor),
            "odd in e": odd,
            "radicand - (lam e)^2": str(under),
            "a > 0": bool(a.is_positive),
            "largest single step a*abs(e)": str(step_sup),
            "derived bound": str(derived),
        },
        derivation=[
            rf"e_{{t+1}} = e_t (1 - a_t),\ a_t = {tex(a)}",
            r"a_t |e_t| \le \mathrm{lr} \text{ since } \lambda |e_t| \le \sqrt{s_{t-1} + "
            r"\lambda^2 e_t^2}",
            r"|e_{t+1}| = |e_t|\,|1 - a_t| \le \max(|e_t|, a_t|e_t| - |e_t|) \le "
            r"\max(|e_t|, \mathrm{lr}) \Rightarrow \max_t |e_t| \le " + tex(bound),
            r"\text{bounded } e \Rightarrow s_t = O(t) \Rightarrow \textstyle\sum_t a_t = "
            r"\infty,\ a_t \to 0 \text{ unless } s_t \text{ stays bounded (then } "
            r"\textstyle\sum e_t^2 < \infty\text{)}: e_t \to 0",
        ],
        counterexample=None
        if ok
        else {
            "factor": str(factor),
            "radicand": str(under),
            "derived bound": str(derived),
            "stated": str(bound),
        },
        tolerances={"derivation": "exact (sympy), symbolic lr, lam, eps, accumulator"},
    )


def _adagrad_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    bound = _fn(claim.stated["excursion bound"], "e0", "lr")
    xs, e0 = np.array(ADAGRAD_XSTAR), np.array(ADAGRAD_E0)
    prob = simulate.DiagonalQuadratic(ADAGRAD_LAM, x_star=xs)
    r = simulate.run(
        name,
        prob,
        steps=ADAGRAD_STEPS,
        x0=xs + e0,
        keep_iterates=True,
        record_every=1,
        lr=ADAGRAD_LRS,
    )
    err = np.abs(r.iterates[:, 0] - xs)  # (lr, steps + 1, dim)
    most = err.max(axis=1)
    allowed = bound(np.abs(e0), ADAGRAD_LRS[:, None]) * (1 + 1e-12)
    final = err[:, -1] / np.abs(e0)
    over = most > allowed
    slow = final > ADAGRAD_CONVERGED
    bad = over | slow | r.diverged[:, :1]
    i = np.argwhere(bad)[0] if bad.any() else None
    big = ADAGRAD_LRS >= 10
    return Check(
        ok=not bad.any(),
        evidence={
            "lr": f"{ADAGRAD_LRS[0]:g} .. {ADAGRAD_LRS[-1]:g} ({ADAGRAD_LRS.size} values, one run)",
            "flagged divergent": int(r.diverged.sum()),
            "excursions above the bound": int(over.sum()),
            f"runs with abs(x_T - x*) > {ADAGRAD_CONVERGED:g} abs(x_0 - x*)": int(slow.sum()),
            "largest abs(x_T - x*) / abs(x_0 - x*)": fmt(final.max(), 3),
            "max excursion / lr at lr >= 10 (min, max)": [
                fmt((most[big] / ADAGRAD_LRS[big, None]).min(), 4),
                fmt((most[big] / ADAGRAD_LRS[big, None]).max(), 4),
            ],
        },
        counterexample=None
        if i is None
        else {
            "lr": fmt(ADAGRAD_LRS[i[0]]),
            "lam": ADAGRAD_LAM[i[1]],
            "abs(x_0 - x*)": abs(ADAGRAD_E0[i[1]]),
            "max excursion": fmt(most[tuple(i)]),
            "bound": fmt(allowed[tuple(i)]),
            "final error": fmt(err[i[0], -1, i[1]]),
        },
        tolerances={
            "bound": "relative 1e-12 (rounding)",
            "converged": f"|x_T - x*| <= {ADAGRAD_CONVERGED:g} |x_0 - x*| at T = {ADAGRAD_STEPS}",
        },
    )


register(
    Claim(
        id="adaptive.adagrad_large_lr",
        statement="AdaGrad (weight_decay = 0, lr_decay = 0, any eps > 0 and initial "
        "accumulator >= 0) on a diagonal quadratic never diverges, for every lr > 0: in each "
        "coordinate |x_t - x*| <= max(|x_0 - x*|, lr) for all t (a single step moves a "
        "coordinate by at most lr, and |e_{t+1}| <= max(|e_t|, lr)), so the largest excursion "
        "grows at most linearly in lr, with slope 1 (attained: a large lr first overshoots to "
        "lr - |x_0 - x*|); and x_t -> x*. Checked for lr from 1e-2 to 1e3 in one run.",
        latex=r"\max_t |x_{t,i} - x^\star_i| \le \max(|x_{0,i} - x^\star_i|, \mathrm{lr}),"
        r"\quad x_t \to x^\star",
        relation="upper bound",
        methods=("adagrad",),
        symbolic=_adagrad_symbolic,
        empirical=_adagrad_empirical,
        assumptions=("diagonal quadratic (per coordinate; any lam >= 0)", "no noise"),
        stated={"excursion bound": "Max(e0, lr)"},
        topic="adaptive",
        references=(
            "J. Duchi, E. Hazan, Y. Singer, JMLR 12, 2011; R. Ward, X. Wu, L. Bottou, "
            "AdaGrad stepsizes, ICML 2019 (robust to the lr)",
        ),
    )
)


# =========================================================================== Reddi et al.
REDDI_STEPS, REDDI_ALPHAS, REDDI_STARTS = 30000, (0.1, 0.5, 1.0), (-1.0, 0.0, 1.0)
REDDI_EPS = 1e-8
REDDI_X_TOL, REDDI_REGRET_TOL = 0.01, 0.06


def _reddi_oracle(t: int, C):
    """The online gradient of step t: C if t mod 3 == 1, else -1 (whatever the point)."""
    g = sp.sympify(C) if t % 3 == 1 else sp.S.NegativeOne
    return lambda q: g


def _reddi_symbolic(claim: Claim) -> Check:
    st = claim.stated
    C = _read(st["C"])
    hyper0 = {
        "beta1": _read(st["beta1"]).subs(S["C"], C),
        "beta2": _read(st["beta2"]).subs(S["C"], C),
        "eps": sp.S.Zero,
    }
    alpha = sp.Symbol("alpha", positive=True)  # the lr over one period (relative change O(1/t))
    ev, bad, rows = {}, [], []
    for name in claim.methods:
        m = get(name)
        states = m.states()
        slow = [k for k in states if k in m.slow_states]
        syms = {k: sp.Symbol(k.upper(), positive=True) for k in slow}
        s = State(
            **{
                k: (sp.Symbol("x0", real=True) if k == "x" else syms.get(k, sp.S.Zero))
                for k in states
            }
        )
        start = s
        # one period in the steady state (t -> infinity: bias corrections 1), from the step
        # before the large gradient; the raw second moment v is solved for its periodic value
        outs = []
        for k in range(3):
            s = m.step(s, _reddi_oracle(1 + k, C), SYMPY_OPS, t=T_INF + 1 + k, lr=alpha, **hyper0)
            s = State(**{j: _at_infinity(v) for j, v in s.items()})
            outs.append(s)
        (v_per,) = sp.solve(s.v - syms["v"], syms["v"])
        subs = {syms["v"]: v_per}
        peak = sp.Max(*[o.v.subs(subs) for o in outs])
        for k in slow:  # AMSGrad's running maximum: at least the periodic peak of v
            if k != "v":
                subs[syms[k]] = peak + sp.Symbol("delta", nonnegative=True)
        moved = sp.simplify((s.x - start.x).subs(subs) / alpha)
        sign = (
            int(sp.sign(moved))
            if moved.is_number
            else int(sp.sign(moved.subs(sp.Symbol("delta", nonnegative=True), 0)))
        )
        said = int(sp.sign(_read(st[f"{name} limit"])))
        ev[name] = {
            "periodic v before the large gradient": str(v_per),
            "displacement per period / lr": str(moved),
            "sign": sign,
        }
        rows.append(
            rf"\mathrm{{{_tname(name)}}}:\ \Delta x_{{\mathrm{{period}}}} / \alpha = {tex(moved)}"
        )
        if sign != said or (not moved.is_number and not (moved.is_positive or moved.is_negative)):
            bad.append(
                {
                    "method": name,
                    "displacement / lr": str(moved),
                    "stated limit": st[f"{name} limit"],
                }
            )
    return Check(
        ok=not bad,
        evidence=ev | {"C": str(C), "beta2": str(hyper0["beta2"])},
        derivation=rows,
        counterexample=bad[0] if bad else None,
        tolerances={"sign": "exact (sympy), eps = 0, lr constant over a period, t -> infinity"},
    )


def reddi_trace(name: str, C: float, alpha, x0, steps: int, **hyper) -> np.ndarray:
    r"""Iterates of ``name`` on Reddi et al.'s online problem over :math:`[-1, 1]`.

    :math:`f_t(x) = C x` for :math:`t \bmod 3 = 1`, else :math:`-x`; the method's own
    step with :math:`\mathrm{lr}_t = \alpha/\sqrt t`, projected onto :math:`[-1, 1]`
    after each step (``od.simulate.trace``). Returns ``x`` over time, shape
    ``(steps + 1, ...)``.
    """
    return simulate.trace(
        name,
        lambda q, t: np.full_like(q, C if t % 3 == 1 else -1.0),
        x0,
        steps,
        schedule={"lr": lambda k: alpha / np.sqrt(k)},
        project=lambda y: np.clip(y, -1.0, 1.0),
        **hyper,
    )["x"]


def _reddi_run(name: str, C: float, hyper: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Final iterates, average regret at T and at T/2, per (alpha, start).

    The method's own step, projected onto [-1, 1] after each step, with
    lr_t = alpha / sqrt(t) (``od.simulate.trace``).
    """
    alpha = np.array(REDDI_ALPHAS)[:, None, None]
    x0 = np.broadcast_to(
        np.array(REDDI_STARTS)[None, :, None], (len(REDDI_ALPHAS), len(REDDI_STARTS), 1)
    )
    x = reddi_trace(name, C, alpha, x0, REDDI_STEPS, **hyper)[..., 0]
    t = np.arange(1, REDDI_STEPS + 1)
    g = np.where(t % 3 == 1, C, -1.0)[:, None, None]
    loss = g * (x[:-1] + 1.0)  # f_t(x_{t-1}) - f_t(-1); -1 is the best point
    half = REDDI_STEPS // 2
    return x[-1], loss.sum(axis=0) / REDDI_STEPS, loss[:half].sum(axis=0) / half


def _reddi_empirical(claim: Claim, _sym) -> Check:
    st = claim.stated
    C = float(_read(st["C"]))
    hyper = {
        "beta1": float(_read(st["beta1"])),
        "beta2": float(_read(st["beta2"]).subs(S["C"], C)),
        "eps": REDDI_EPS,
    }
    bad, ev = [], {}
    for name in claim.methods:
        xT, avg, avg_half = _reddi_run(name, C, hyper)
        limit = float(_read(st[f"{name} limit"]))
        regret = float(_read(st[f"{name} average regret"]).subs(S["C"], C))
        x_ok = np.abs(xT - limit) <= REDDI_X_TOL
        # within the tolerance at T, and closer to the limit than at T/2
        r_ok = (np.abs(avg - regret) <= REDDI_REGRET_TOL) & (
            np.abs(avg - regret) < np.abs(avg_half - regret)
        )
        ev[name] = {
            "x_T (alpha x start)": np.round(xT, 5).tolist(),
            "average regret R_T/T": np.round(avg, 4).tolist(),
            "R_{T/2}/(T/2)": np.round(avg_half, 4).tolist(),
        }
        if not (x_ok.all() and r_ok.all()):
            bad.append(
                {
                    "method": name,
                    "x_T": np.round(xT, 5).tolist(),
                    "R_T/T": np.round(avg, 4).tolist(),
                    "stated limit": limit,
                    "stated regret": regret,
                }
            )
    return Check(
        ok=not bad,
        evidence=ev
        | {
            "alphas": list(REDDI_ALPHAS),
            "starts": list(REDDI_STARTS),
            "T": REDDI_STEPS,
        },
        counterexample=bad[0] if bad else None,
        tolerances={
            "limit": f"|x_T - limit| <= {REDDI_X_TOL}",
            "average regret": f"|R_T/T - stated| <= {REDDI_REGRET_TOL} and smaller than "
            "|R_(T/2)/(T/2) - stated| (approaching the limit)",
            "eps": f"{REDDI_EPS:g} (Reddi et al.: 0)",
        },
    )


register(
    Claim(
        id="adaptive.reddi",
        statement="Reddi, Kale, Kumar (ICLR 2018), Theorem 1: on the online problem f_t(x) = "
        "C x if t mod 3 == 1 else -x over [-1, 1] (projected after each step), with C = 3, "
        "beta1 = 0, beta2 = 1/(1 + C^2) and lr_t = alpha/sqrt(t), Adam drifts to x = +1, the "
        "worst point (its average regret tends to 2(C - 2)/3 > 0), while AMSGrad converges to "
        "the optimum x = -1 (average regret -> 0). In the periodic steady state of v, Adam's "
        "net displacement over one period is positive (the large gradient is divided by a "
        "large sqrt(v), the two small ones by small ones), AMSGrad's is -(C - 2) lr/sqrt(v_max)"
        " < 0.",
        latex=r"x_t^{\mathrm{Adam}} \to 1,\quad x_t^{\mathrm{AMSGrad}} \to -1",
        relation="equals",
        methods=("adam", "amsgrad"),
        symbolic=_reddi_symbolic,
        empirical=_reddi_empirical,
        assumptions=(
            "the registered adam and amsgrad steps (torch form: bias corrections, "
            "eps after the square root)",
            "alpha in {0.1, 0.5, 1}, starts -1, 0, 1, T = 3e4",
        ),
        stated={
            "C": "3",
            "beta1": "0",
            "beta2": "1/(1 + C**2)",
            "adam limit": "1",
            "amsgrad limit": "-1",
            "adam average regret": "2*(C - 2)/3",
            "amsgrad average regret": "0",
        },
        topic="adaptive",
        references=(
            "S. J. Reddi, S. Kale, S. Kumar, On the Convergence of Adam and Beyond, "
            "ICLR 2018, Theorem 1",
        ),
    )
)
