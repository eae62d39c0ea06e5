r"""Errata of source 002 (a textbook chapter on momentum and adaptive methods), rows 1-142.

Notation of the source: heavy ball ``v = βv − α∇f, x += v`` is the registered
``heavy_ball`` with ``lr = α, momentum = β`` (its ``x_prev = x − v``); the EMA
momentum ``v = βv + (1−β)g, θ −= ηv`` is ``ema_momentum``; Nesterov's look-ahead
form is ``nesterov``. Worked examples are recomputed by running these methods
(:func:`.s002_1_lib.iterate`); formulas are derived through :mod:`optdyn.theory`.
The rows of the theorems and examples sections are in :mod:`.s002_1b`.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ... import theory
from ..core import Check
from ..theorems._common import fmt
from . import out_of_scope, source_claim
from .s002_1_lib import compare, decided, ema_run, iterate, mode_radius, partly, xs

CE1 = "Momentum for Faster Diffusion-Model Fine-Tuning"
CE2 = "Nesterov Lookahead in High-Curvature Valleys"
CE3 = "Adam for Sparse-Feature Personalization"
CE4 = "AdamW for Better Weight-Decay Semantics"
HB = "Heavy-Ball Momentum"
NAG = "Nesterov Accelerated Gradient (NAG)"
EMA = "Exponential Moving Average"
BIAS = "Bias Correction"
PRE = "Preconditioning"
NOISE = "Stochastic Gradient Noise Model"
STAB = "Stability Region"
ACC = "Acceleration"
VR = "Variance Reduction Effect"


def _const(g):
    """An oracle returning the gradient ``g`` whatever the point."""
    return lambda q, k: np.asarray(g, dtype=float)


def _quad(eigs):
    """The gradient oracle of the diagonal quadratic with eigenvalues ``eigs``."""
    h = np.asarray(eigs, dtype=float)
    return lambda q, k: h * q


def _hb(eigs, x0, steps, lr, momentum, v0=None):
    """Heavy-ball iterates (v-form: v = momentum v - lr grad, x += v) on a diagonal quadratic."""
    x0 = np.asarray(x0, dtype=float)
    prev = x0 if v0 is None else x0 - np.asarray(v0, dtype=float)
    return xs(
        iterate(
            "heavy_ball", _quad(eigs), x0, steps, state0={"x_prev": prev}, lr=lr, momentum=momentum
        )
    )


# ---------------------------------------------------------------- concrete examples


@decided
def _ce1() -> Check:
    def mom(v_prev):
        s = iterate(
            "ema_momentum", _const(0.6), 0.0, 1, state0={"m": v_prev}, lr=0.01, momentum=0.9
        )
        return float(s[1].m), float(s[1].x - s[0].x)

    v, d = mom(0.4)
    v2, d2 = mom(1.2)
    sgd = xs(iterate("gd", _const(0.6), 0.0, 1, lr=0.01))
    dsgd = float(sgd[1] - sgd[0])
    c = compare(
        {
            "v_t": "0.42",
            "step momentum": "-0.0042",
            "step SGD": "-0.006",
            "v_t (v_prev 1.2)": "1.14",
            "|step| (v_prev 1.2)": "0.0114",
        },
        {
            "v_t": v,
            "step momentum": d,
            "step SGD": dsgd,
            "v_t (v_prev 1.2)": v2,
            "|step| (v_prev 1.2)": abs(d2),
        },
        what="one ema_momentum step",
    )
    c.evidence["momentum step exceeds SGD's at v_prev = 1.2"] = abs(d2) > abs(dsgd)
    c.ok = c.ok and abs(d2) > abs(dsgd)
    return c


def _nesterov_ema_step(theta, v_prev, lr, beta, grad):
    """The text's EMA-form Nesterov step (no registered method has this form)."""
    look = theta - lr * beta * v_prev
    g = grad(look)
    v = beta * v_prev + (1 - beta) * g
    return look, g, v, theta - lr * v


@decided
def _ce2() -> Check:
    look, g, v, new = _nesterov_ema_step(1.0, 0.5, 0.1, 0.8, lambda q: 2 * q)
    c = compare(
        {
            "lookahead": "0.96",
            "g": "1.92",
            "v": "0.784",
            "theta next": "0.9216",
            "update": "-0.0784",
        },
        {"lookahead": look, "g": g, "v": v, "theta next": new, "update": new - 1.0},
        what="the EMA-form Nesterov step",
    )
    c.evidence["note"] = "the text's EMA-form Nesterov update, run as written"
    return c


@decided
def _ce3() -> Check:
    """Adam without bias correction: registered adam at a huge step counter."""
    big = 10**18  # beta**big underflows to 0: bias corrections are 1

    def step(v_prev, beta2):
        s = iterate(
            "adam",
            _const(0.02),
            0.0,
            1,
            state0={"m": 0.01, "v": v_prev},
            start=big,
            lr=1e-3,
            beta1=0.9,
            beta2=beta2,
            eps=1e-8,
        )
        return s[1]

    s = step(1e-5, 0.999)
    # sensitivity: a second moment of 1e-3 after the step (beta2 = 0 with g^2 = 1e-3 is not
    # the text's gradient; hold v at 1e-3 instead: beta2 -> 1 keeps v_prev)
    s2 = step(1e-3, 1.0 - 1e-15)
    return compare(
        {
            "m_t": "0.011",
            "v_t": "1.039e-5",
            "sqrt v_t": "0.003224",
            "update": "-0.00341",
            "sqrt v (v = 1e-3)": "0.0316",
            "update (v = 1e-3)": "-3.5e-4",
        },
        {
            "m_t": float(s.m),
            "v_t": float(s.v),
            "sqrt v_t": float(np.sqrt(s.v)),
            "update": float(s.x),
            "sqrt v (v = 1e-3)": float(np.sqrt(s2.v)),
            "update (v = 1e-3)": float(s2.x),
        },
        what="one Adam step",
        slack={"sqrt v_t": 2.5},
    )


@decided
def _ce4() -> Check:
    """AdamW: beta1 = beta2 = 0 make m-hat = g = 0.02 and v-hat = g^2 = 4e-4."""
    s = iterate(
        "adamw",
        _const(0.02),
        0.8,
        1,
        start=10**12,
        lr=1e-3,
        beta1=0.0,
        beta2=0.0,
        eps=1e-8,
        weight_decay=0.05,
    )
    decayed = xs(
        iterate(
            "adamw",
            _const(0.0),
            0.8,
            1,
            start=10**12,
            lr=1e-3,
            beta1=0.0,
            beta2=0.0,
            eps=1e-8,
            weight_decay=0.05,
        )
    )[1]
    return compare(
        {
            "decay factor": "0.99995",
            "decayed": "0.79996",
            "adaptive term": "0.001",
            "theta next": "0.79896",
        },
        {
            "decay factor": decayed / 0.8,
            "decayed": decayed,
            "adaptive term": decayed - float(s[1].x),
            "theta next": float(s[1].x),
        },
        what="one AdamW step",
    )


# ---------------------------------------------------------------- heavy ball definitions


@decided
def _hb_combined() -> Check:
    a, b, x, xp, g = sp.symbols("alpha beta x x_prev g")
    v = x - xp  # the velocity of the step that led to x
    v_next = b * v - a * g
    two_step = x + b * (x - xp) - a * g
    same = sp.simplify(x + v_next - two_step) == 0
    # a convex combination of (x_k - x_{k-1}) and -grad needs weights beta + alpha = 1
    point = {"alpha": 0.01, "beta": 0.9}
    convex = abs(point["alpha"] + point["beta"] - 1) < 1e-12
    return Check(
        ok=same and convex,
        evidence={
            "velocity form = two-step form": same,
            "weights of (x_k - x_{k-1}) and -grad": [point["beta"], point["alpha"]],
            "weights sum to 1 (convex)": convex,
        },
        counterexample={"alpha": 0.01, "beta": 0.9, "sum of weights": 0.91},
        correct_statement="x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(x_k) holds; it is a linear "
        "(not convex) combination of the previous step and the negative gradient: the weights "
        "β and α sum to 1 only if α = 1 − β.",
        tolerances={"identity": "exact (sympy)"},
    )


@decided
def _hb_ex_iter() -> Check:
    x = _hb([100, 1], [1, 1], 2, 0.01, 0.9)
    v = np.diff(x, axis=0)
    return compare(
        {
            "v1_x": "-1",
            "v1_y": "-0.02",
            "x1_x": "0",
            "x1_y": "0.98",
            "v2_x": "-0.9",
            "v2_y": "-0.0392",
            "x2_x": "-0.9",
            "x2_y": "0.9408",
        },
        {
            "v1_x": v[0, 0],
            "v1_y": v[0, 1],
            "x1_x": x[1, 0],
            "x1_y": x[1, 1],
            "v2_x": v[1, 0],
            "v2_y": v[1, 1],
            "x2_x": x[2, 0],
            "x2_y": x[2, 1],
        },
        what="heavy ball from (1, 1) (∇f(1,1) = (100, 1), not (100, 2))",
    )


@decided
def _hb_diverge() -> Check:
    x = _hb([100, 1], [1, 1], 200, 0.1, 0.99)
    grow = float(np.linalg.norm(x[-1]))
    rho = float(mode_radius("heavy_ball", 100.0, lr=0.1, momentum=0.99))
    return Check(
        ok=grow > 1e3 and rho > 1,
        evidence={"|x_200|": fmt(grow), "spectral radius of the lam=100 mode": fmt(rho)},
        counterexample=None if grow > 1e3 else {"|x_200|": fmt(grow)},
        tolerances={"diverged": "|x_200| > 1e3 |x_0| and spectral radius > 1"},
    )


@decided
def _nag_equiv() -> Check:
    """Look-ahead form (registered nesterov) vs the velocity form, on a random quadratic."""
    gen = np.random.default_rng(3)
    eigs = gen.uniform(0.1, 10, 5)
    x0 = gen.normal(size=5)
    lr, beta = 0.1, 0.8
    look = xs(iterate("nesterov", _quad(eigs), x0, 30, lr=lr, momentum=beta))
    x, v, vel = x0.copy(), np.zeros(5), [x0.copy()]
    for _ in range(30):
        v = beta * v - lr * eigs * (x + beta * v)
        x = x + v
        vel.append(x.copy())
    err = float(np.max(np.abs(look - np.array(vel))))
    return Check(
        ok=err < 1e-12,
        evidence={"max |look-ahead - velocity form| over 30 steps": fmt(err)},
        seeds=(3,),
        tolerances={"agreement": "1e-12 (float rounding)"},
    )


@functools.cache
def _nag_rates(kappa: float):
    """Nesterov's rate at lr = 1/L over momentum, and at the stated momentum."""
    lam = np.linspace(1.0, kappa, 401)
    betas = np.linspace(0.5, 0.95, 901)
    r = np.array([np.max(mode_radius("nesterov", lam, lr=1 / kappa, momentum=b)) for b in betas])
    return betas, r


@decided
def _nag_params() -> Check:
    kappa = 100.0
    stated = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    betas, r = _nag_rates(kappa)
    best = float(betas[np.argmin(r)])
    at_stated = float(
        np.max(mode_radius("nesterov", np.linspace(1, kappa, 2001), lr=1 / kappa, momentum=stated))
    )
    joint = theory.optimal("nesterov", mu=1.0, L=kappa, closed_form=False)
    c = Check(
        ok=abs(best - stated) < 2e-3,
        evidence={
            "kappa": kappa,
            "stated momentum": fmt(stated),
            "best momentum at lr = 1/L (grid)": fmt(best),
            "rate at the stated momentum, lr = 1/L": fmt(at_stated),
            "jointly optimal (lr, momentum)": {k: fmt(v) for k, v in joint.hyper.items()},
            "jointly optimal rate": fmt(joint.rate),
        },
        tolerances={"momentum grid": "step 5e-4 on [0.5, 0.95]; 401 curvatures"},
    )
    return (
        partly(
            c,
            "imprecise",
            "the step α = 1/L: β = (√κ−1)/(√κ+1) is the best momentum at α = 1/L (rate "
            "1 − 1/√κ); tuning α too, the optimal momentum differs",
            f"With α = 1/L, β = (√κ−1)/(√κ+1) minimises Nesterov's rate on quadratics "
            f"(κ = 100: rate {fmt(at_stated, 4)}); the jointly optimal pair is "
            f"lr = {fmt(joint.hyper['lr'], 4)}, β = {fmt(joint.hyper['momentum'], 4)} "
            f"(rate {fmt(joint.rate, 4)}).",
        )
        if c.ok
        else c
    )


@decided
def _nag_rate() -> Check:
    kappa = 4.0
    lam = np.linspace(1, kappa, 2001)
    beta = 1 / 3
    ab = np.linspace(1e-3, 2 * (1 + beta) / kappa, 600)
    hb = float(min(np.max(mode_radius("heavy_ball", lam, lr=a, momentum=beta)) for a in ab))
    nag = float(np.max(mode_radius("nesterov", lam, lr=1 / kappa, momentum=beta)))
    opt = theory.optimal("heavy_ball", mu=1.0, L=kappa, closed_form=False)
    target = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    return Check(
        ok=abs(hb - target) < 1e-3 and abs(nag - target) < 1e-3,
        evidence={
            "kappa": 4,
            "(√κ−1)/(√κ+1)": fmt(target),
            "heavy ball rate at momentum 1/3, best lr": fmt(hb),
            "Nesterov rate at momentum 1/3, lr = 1/L": fmt(nag),
            "optimal heavy ball": {k: fmt(v) for k, v in opt.hyper.items()},
            "optimal heavy ball rate": fmt(opt.rate),
            "'(√κ)^k' for κ = 4, k = 10": 2.0**10,
        },
        counterexample={"heavy ball, β = 1/3": fmt(hb), "Nesterov, β = 1/3": fmt(nag)},
        correct_statement="On quadratics the error decays like ρ^k, not (√κ)^k (which grows): "
        "heavy ball reaches ρ = (√κ−1)/(√κ+1) with β = ((√κ−1)/(√κ+1))² and "
        "α = 4/(√L+√μ)²; with β = (√κ−1)/(√κ+1) it only reaches √β "
        f"(κ = 4: {fmt(hb, 4)}), and Nesterov with α = 1/L and that β has rate 1 − 1/√κ "
        f"(κ = 4: {fmt(nag, 4)}), slower than optimal heavy ball ({fmt(opt.rate, 4)}).",
        tolerances={"rates": "numeric spectral radius on 2001 curvatures; 600 stable lr values"},
    )


# ---------------------------------------------------------------- EMA and bias correction


@decided
def _ema_expand() -> Check:
    T, rho = 8, sp.Rational(3, 5)
    a = sp.symbols(f"a1:{T + 1}")
    m = sp.Integer(0)
    for t in range(T):  # the EMA recursion, run in exact arithmetic
        m = rho * m + (1 - rho) * a[t]
    stated = (1 - rho) * sum(rho**j * a[T - 1 - j] for j in range(T))
    same = sp.expand(m - stated) == 0
    gen = np.random.default_rng(1)
    seq = gen.normal(size=50)
    run = ema_run(seq, 0.9)[-1]
    closed = 0.1 * sum(0.9**j * seq[49 - j] for j in range(50))
    return Check(
        ok=same and abs(run - closed) < 1e-12,
        evidence={
            "exact, T = 8, ρ = 3/5": same,
            "ema_momentum run vs sum, 50 normal inputs": fmt(abs(run - closed)),
        },
        seeds=(1,),
        tolerances={"run": "1e-12"},
    )


def _halflife(rho: float) -> int:
    """Steps until an impulse's weight in the EMA has halved (measured on a run)."""
    m = ema_run(np.r_[1.0, np.zeros(400)], rho)
    return int(np.argmax(m <= m[0] / 2))


@decided
def _ema_halflife() -> Check:
    r, _t = sp.symbols("rho tau", positive=True)
    stated = sp.log(2) / sp.log(1 / r)
    exact = sp.simplify(r**stated - sp.Rational(1, 2)) == 0
    rows = {}
    ok = exact
    for rho in (0.5, 0.9, 0.99):
        tau = float(stated.subs(r, rho))
        meas = _halflife(rho)
        rows[str(rho)] = {"stated": fmt(tau), "first step at or below half": meas}
        ok &= meas - 1 < tau <= meas
    return Check(
        ok=ok,
        evidence={"ρ^τ = 1/2 (exact)": exact, "runs": rows},
        tolerances={"run": "the stated τ lies within the step where the weight halves"},
    )


@decided
def _ema_const() -> Check:
    m0 = ema_run(np.ones(30), 0.9)
    m1 = ema_run(np.ones(30), 0.9, m0=1.0)
    _rho, _t = sp.symbols("rho t", positive=True)
    c = Check(
        ok=True,
        evidence={
            "m_1, m_5, m_30 from m_0 = 0": [fmt(m0[0]), fmt(m0[4]), fmt(m0[29])],
            "from m_0 = 1": [fmt(m1[0]), fmt(m1[29])],
            "|m_t - 1| with m_0 = 0 vs ρ^t (t = 5)": [fmt(1 - m0[4]), fmt(0.9**5)],
        },
    )
    return partly(
        c,
        "imprecise",
        "m₀ = 1 (the m₀ = a₀ convention), or t → ∞",
        "With a_t = 1 and m₀ = 0, m_t = 1 − ρ^t (ρ = 0.9: m₁ = 0.1, m₅ = "
        f"{fmt(m0[4], 4)}): m_t tends to 1 (its steady state) but equals 1 only if "
        "m₀ = 1.",
    )


@decided
def _ema_ramp() -> Check:
    m = ema_run(np.arange(1, 201, dtype=float), 0.9)
    return compare(
        {"m_5": "3.5"},
        {"m_5": m[4], "a_5 - m_5": 5 - m[4], "lag at t = 200": 200 - m[199]},
        what="EMA of a_t = t, ρ = 0.9, m₀ = 0",
        note="the lag grows to ρ/(1−ρ) = 9 as t → ∞",
    )


@decided
def _ema_lag() -> Check:
    t = np.arange(1, 3001, dtype=float)
    m = ema_run(t, 0.99)
    behind = bool(np.all(m < t))
    return Check(
        ok=behind and t[-1] - m[-1] > 50,
        evidence={
            "m_t < t for t = 1..3000": behind,
            "lag at t = 100": fmt(100 - m[99]),
            "lag at t = 3000": fmt(t[-1] - m[-1]),
        },
        tolerances={"substantial": "lag > 50"},
    )


@decided
def _adagrad_mono() -> Check:
    gen = np.random.default_rng(2)
    g = gen.normal(size=(200, 3)) * (gen.random((200, 3)) < 0.5)  # sparse: zero steps too
    s = iterate("adagrad", lambda q, k: g[k - 1], np.zeros(3), 200, lr=0.1, eps=1e-10)
    lr = np.array([0.1 / (np.sqrt(st.sum) + 1e-10) for st in s[1:]])
    d = np.diff(lr, axis=0)
    ok = bool(np.all(d <= 0))
    return Check(
        ok=ok,
        evidence={"steps": 200, "largest increase of a coordinate's lr": fmt(float(d.max()))},
        seeds=(2,),
        tolerances={"monotone": "exact (no increase)"},
        counterexample=None if ok else {"increase": fmt(float(d.max()))},
    )


def _bias_expect_check(g_mean: float = 1.0) -> Check:
    """E[m_t] = g(1 - beta^t) and E[m_hat_t] = g for a constant mean, exact and Monte Carlo."""
    b, t = sp.symbols("beta t", positive=True)
    # exact: the mean obeys the same linear recursion; solve it with sympy
    f, g = sp.Function("m"), sp.Symbol("g")
    sol = sp.rsolve(f(t) - b * f(t - 1) - (1 - b) * g, f(t), {f(0): 0})
    exact = sp.simplify(sol - g * (1 - b**t)) == 0
    gen = np.random.default_rng(4)
    seeds, T, beta = 40000, 10, 0.9
    a = g_mean + gen.normal(size=(seeds, T))
    m = ema_run(a, beta)
    mhat = m / (1 - beta ** np.arange(1, T + 1))
    se = mhat.std(axis=0) / np.sqrt(seeds)
    dev = np.abs(mhat.mean(axis=0) - g_mean)
    ok = exact and bool(np.all(dev <= 5 * se))
    return Check(
        ok=ok,
        evidence={
            "E[m_t] (rsolve)": str(sol),
            "= g(1 - β^t)": exact,
            "max |mean m̂_t - g| / se, t = 1..10": fmt(float(np.max(dev / se))),
        },
        seeds=(4,),
        tolerances={"Monte Carlo": "5 sigma, 40000 seeds"},
    )


@decided
def _bias_expect() -> Check:
    return _bias_expect_check()


@decided
def _bias_t1() -> Check:
    a = 0.7
    m = ema_run([a], 0.9)[0]
    return compare(
        {"m_1 / a_1": "0.1", "m-hat_1 / a_1": "1"},
        {"m_1 / a_1": m / a, "m-hat_1 / a_1": m / (1 - 0.9) / a},
    )


@functools.cache
def _adam_bias_runs():
    """Adam with and without bias correction on the mode 0.5 x^2 from x = 1 (lr 1e-3)."""
    kw = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    grad = _quad([1.0])
    with_bc = xs(iterate("adam", grad, [1.0], 3000, **kw))[:, 0]
    without = xs(iterate("adam", grad, [1.0], 3000, start=10**12, **kw))[:, 0]
    return with_bc, without


def _bias_steps_evidence():
    wc, wo = _adam_bias_runs()
    sw, so = -np.diff(wc), -np.diff(wo)
    at = (1, 10, 20, 100, 1000)
    return (
        {f"step ratio uncorrected / corrected at t = {t}": fmt(so[t - 1] / sw[t - 1]) for t in at}
        | {
            "distance travelled by t = 20, corrected": fmt(1 - wc[20]),
            "uncorrected": fmt(1 - wo[20]),
        },
        sw,
        so,
    )


@decided
def _bias_tiny() -> Check:
    ev, sw, so = _bias_steps_evidence()
    tiny = bool(np.all(so[:20] < sw[:20]))
    return Check(
        ok=tiny,
        evidence=ev,
        counterexample={"t": 1, "uncorrected step / corrected step": fmt(so[0] / sw[0])},
        correct_statement="Without either correction the first Adam steps are LARGER, "
        f"not tiny: at t = 1 the step is (1−β₁)/√(1−β₂) ≈ {fmt(so[0] / sw[0], 3)} times "
        "the corrected one, because v_t is even more biased toward 0 than m_t. Only "
        "dropping the first-moment correction alone gives steps ≈ (1−β₁^t) times "
        "smaller.",
        tolerances={"comparison": "step sizes of two runs, exact"},
    )


@decided
def _bias_negligible() -> Check:
    ev, sw, so = _bias_steps_evidence()
    r20 = so[19] / sw[19]
    slower = bool(np.sum(so[:20]) < np.sum(sw[:20]))
    ok = slower and abs(r20 - 1) < 0.05
    return Check(
        ok=ok,
        evidence=ev,
        counterexample={
            "step ratio at t = 20": fmt(r20),
            "uncorrected moved farther in the first 20 steps": not slower,
        },
        correct_statement="Without bias correction Adam (β₂ = 0.999) moves faster at "
        f"first (steps {fmt(so[0] / sw[0], 3)}× at t = 1, {fmt(r20, 3)}× at t = 20); "
        "the second-moment bias 1 − β₂^t needs thousands of steps (≈ 1/(1−β₂)) to "
        "become negligible, not 10–20.",
        tolerances={"negligible": "step ratio within 5% of 1"},
    )


@decided
def _bias_iid() -> Check:
    """Bias correction with AR(1)-correlated gradients of constant mean: still unbiased."""
    gen = np.random.default_rng(5)
    seeds, T, phi, beta = 40000, 10, 0.9, 0.9
    e = np.empty((seeds, T))
    e[:, 0] = gen.normal(size=seeds)
    for t in range(1, T):
        e[:, t] = phi * e[:, t - 1] + np.sqrt(1 - phi**2) * gen.normal(size=seeds)
    mhat = ema_run(1.0 + e, beta) / (1 - beta ** np.arange(1, T + 1))
    se = mhat.std(axis=0) / np.sqrt(seeds)
    z = np.abs(mhat.mean(axis=0) - 1.0) / se
    iid = ema_run(1.0 + gen.normal(size=(seeds, T)), beta) / (1 - beta ** np.arange(1, T + 1))
    unbiased = bool(np.all(z <= 5))
    return Check(
        ok=not unbiased,
        evidence={
            "max |mean m̂_t − 1| / se, correlated (φ = 0.9)": fmt(float(z.max())),
            "sd of m̂_10: correlated": fmt(float(mhat[:, -1].std())),
            "i.i.d.": fmt(float(iid[:, -1].std())),
        },
        counterexample={"AR(1) gradients, φ = 0.9, mean 1": "E[m̂_t] = 1 within 5σ"},
        correct_statement="m̂_t = m_t/(1−β^t) is unbiased whenever the gradients have "
        "a constant mean; independence is not needed (E is linear). Correlation leaves "
        "E[m̂_t] unchanged and raises its variance (sd "
        f"{fmt(float(mhat[:, -1].std()), 3)} vs {fmt(float(iid[:, -1].std()), 3)} at "
        "t = 10 for φ = 0.9).",
        seeds=(5,),
        tolerances={"Monte Carlo": "5 sigma, 40000 seeds"},
    )


# ---------------------------------------------------------------- preconditioning, noise


@decided
def _precond_ex() -> Check:
    h = np.array([100.0, 1.0])

    def run(minv, lr):
        return xs(iterate("gd", lambda q, k: minv * (h * q), np.ones(2), 1, lr=lr))[1]

    text = run(1 / np.array([1 / 100, 1.0]), 0.5)  # M = diag(1/100, 1): M^-1 = diag(100, 1)
    right = run(1 / h, 0.5)  # M = H
    newton = run(1 / h, 1.0)
    return Check(
        ok=False,
        evidence={
            "x1 with M = diag(1/100,1), α = 0.5": [fmt(v) for v in text],
            "eigenvalues of M^-1 H for M = diag(1/100,1)": [1e4, 1.0],
            "x1 with M = H, α = 0.5": [fmt(v) for v in right],
            "x1 with M = H, α = 1": [fmt(v) for v in newton],
        },
        counterexample={
            "M = diag(1/100,1)": "M^-1 ∇f = (10^4 x, y): effective κ = 10^4",
            "α = 0.5, M = H": "x1 = x0/2: halved, not converged",
        },
        correct_statement="The preconditioner that equalises the curvatures is M = H = "
        "diag(100, 1) (M^-1 = diag(1/100, 1)): then x_{k+1} = (1−α)x_k, κ = 1; α = 0.5 halves "
        "the error each step, and only α = 1 converges in one step.",
    )


@decided
def _noise_var() -> Check:
    """Variance of a minibatch mean, with and without replacement (least-squares gradients)."""
    gen = np.random.default_rng(6)
    n, d = 40, 3
    a = gen.normal(size=(n, d))
    b = gen.normal(size=n)
    x = gen.normal(size=d)
    per = a * (a @ x - b)[:, None]  # per-sample gradients of 0.5 (a_i x - b_i)^2
    full = per.mean(axis=0)
    sigma2 = float(np.mean(np.sum((per - full) ** 2, axis=1)))
    reps, B = 40000, 20
    idx_wo = np.argsort(gen.random((reps, n)), axis=1)[:, :B]
    idx_w = gen.integers(0, n, size=(reps, B))
    out = {}
    for name, idx in (("without replacement", idx_wo), ("with replacement", idx_w)):
        err = per[idx].mean(axis=1) - full
        sq = np.sum(err**2, axis=1)
        out[name] = (float(sq.mean()), float(sq.std() / np.sqrt(reps)))
    stated = sigma2 / B
    z_w = abs(out["with replacement"][0] - stated) / out["with replacement"][1]
    z_wo = abs(out["without replacement"][0] - stated) / out["without replacement"][1]
    c = Check(
        ok=z_w <= 5 and z_wo > 5,
        evidence={
            "n": n,
            "B": B,
            "σ²/B": fmt(stated),
            "E|ξ|² with replacement": fmt(out["with replacement"][0]),
            "E|ξ|² without replacement": fmt(out["without replacement"][0]),
            "ratio without/with": fmt(out["without replacement"][0] / stated),
            "z with": fmt(z_w),
            "z without": fmt(z_wo),
        },
        seeds=(6,),
        tolerances={"Monte Carlo": "5 sigma, 40000 batches"},
    )
    if not c.ok:
        return c
    return partly(
        c,
        "imprecise",
        "samples drawn with replacement (or B ≪ n): without replacement the variance "
        "is smaller by the finite-population factor (n−B)/(n−1)",
        "Var[ξ] = σ²/B for minibatches drawn with replacement; without replacement "
        "Var[ξ] = σ²(n−B)/(B(n−1)) (here n = 40, B = 20: "
        f"{fmt(out['without replacement'][0] / stated, 3)}·σ²/B measured).",
    )


@decided
def _noise_nums() -> Check:
    gen = np.random.default_rng(7)
    comp = {}
    for B in (32, 256, 2048):
        draws = gen.normal(size=(4000, B))  # per-sample variance 1, drawn with replacement
        comp[f"B = {B}"] = float(draws.mean(axis=1).var())
    c = compare({"B = 32": "0.031", "B = 256": "0.0039", "B = 2048": "0.00049"}, comp, slack=8.0)
    c.seeds = (7,)
    c.evidence["sampling"] = (
        "i.i.d. draws (with replacement); without replacement the variance is smaller by a "
        "finite-population factor (see 002:D-noise-var)"
    )
    c.tolerances["Monte Carlo"] = "4000 batches each: relative se 2.2%; slack 8 half-units"
    return c


# ---------------------------------------------------------------- stability region


@functools.cache
def _hb_edge():
    ls = theory.linearize("heavy_ball")
    return ls, ls.curvature_threshold()


def _stated_lr_bound(text: str) -> Check:
    """A stated largest stable heavy-ball lr (in L, momentum) against Jury's region."""
    ls, thr = _hb_edge()
    lr, m, _lam = ls.symbols["lr"], ls.symbols["momentum"], ls.symbols["lam"]
    L = sp.Symbol("L", positive=True)
    stated = sp.sympify(text, locals={"L": L, "momentum": m})
    derived = sp.solve(sp.Eq(thr.subs(lr, sp.Symbol("a")), L), sp.Symbol("a"))[0]
    same = sp.simplify(derived - stated) == 0
    # exact counterexample: momentum 9/10, L = 100, lr halfway between the two bounds
    pt = {m: sp.Rational(9, 10), L: 100}
    lo, hi = sorted([derived.subs(pt), stated.subs(pt)])
    mid = (lo + hi) / 2
    stable_mid = ls.is_stable(lr=mid, momentum=pt[m], lam=100)
    x = _hb([100.0], [1.0], 3000, float(mid), 0.9)
    grew = bool(np.abs(x).max() > 1e3 or not np.all(np.isfinite(x)))
    return Check(
        ok=same,
        evidence={
            "derived largest stable lr": str(derived),
            "stated largest stable lr": str(stated),
            "at momentum 0.9, L = 100: derived": fmt(float(derived.subs(pt))),
            "at momentum 0.9, L = 100: stated": fmt(float(stated.subs(pt))),
            f"lr = {fmt(float(mid))}: Jury stable": stable_mid,
            "run diverged": grew,
        },
        derivation=[
            rf"\lambda^\star = {sp.latex(thr)} \Rightarrow \alpha_{{\max}} = "
            rf"{sp.latex(derived)}"
        ],
        counterexample=None
        if same
        else {
            "momentum": 0.9,
            "L": 100,
            "lr": fmt(float(mid)),
            "stated": "stable" if mid < stated.subs(pt) else "unstable",
            "Jury": "stable" if stable_mid else "unstable",
            "run diverged": grew,
        },
        correct_statement=None
        if same
        else "Heavy ball (v = βv − α∇f, x += v) on an "
        "L-smooth quadratic is stable iff 0 ≤ β < 1 and 0 < αL < 2(1+β): the critical step is "
        f"α_max = 2(1+β)/L (β = 0.9, L = 100: {fmt(float(derived.subs(pt)), 3)}).",
        tolerances={"region": "exact (Jury, rationals)"},
    )


@decided
def _stab_region() -> Check:
    return _stated_lr_bound("1/(L*(1 - momentum))")


@decided
def _stab_kappa() -> Check:
    ls, _ = _hb_edge()
    lrs = np.linspace(0.001, 0.05, 200)
    betas = np.linspace(0, 0.98, 50)
    A, Bm = np.meshgrid(lrs, betas)

    def region(mu):
        lam = np.linspace(mu, 100.0, 60)
        r = np.max([ls.spectral_radius(lr=A, momentum=Bm, lam=v) for v in lam], axis=0)
        return r < 1

    r1, r10 = region(1.0), region(10.0)
    same = bool(np.array_equal(r1, r10))
    r_small = region(0.01)
    return Check(
        ok=not same,
        evidence={
            "(lr, momentum) grid": "200 x 50",
            "stable points, L = 100, m = 10": int(r10.sum()),
            "m = 1": int(r1.sum()),
            "m = 0.01": int(r_small.sum()),
            "regions identical": same,
        },
        counterexample={"L": 100, "m": [10, 1, 0.01], "stable set": "identical"},
        correct_statement="Heavy ball's stability region 0 ≤ β < 1, 0 < αL < 2(1+β) "
        "depends on the largest curvature L only: worse conditioning at fixed L (smaller "
        "m) leaves it unchanged; it slows the convergence rate instead.",
        tolerances={"stable": "max spectral radius < 1 over 60 curvatures in [m, L]"},
    )


@decided
def _stab_example() -> Check:
    ls, thr = _hb_edge()
    out = {}
    for a in (0.5, 1.5):
        x = _hb([100.0, 1.0], [1.0, 1.0], 300, a, 0.9)
        out[a] = bool(np.abs(x[np.isfinite(x)]).max() > 1e3 or not np.all(np.isfinite(x)))
    edge = float(2 * 1.9 / 100)
    # the stated inequality 2α(1−0.9) ≤ 2/100 itself
    stated_bound = float(
        sp.solve(
            sp.Eq(2 * sp.Symbol("a") * sp.Rational(1, 10), sp.Rational(2, 100)), sp.Symbol("a")
        )[0]
    )
    derived = float(
        sp.solve(
            sp.Eq(
                thr.subs(
                    {ls.symbols["momentum"]: sp.Rational(9, 10), ls.symbols["lr"]: sp.Symbol("a")}
                ),
                100,
            ),
            sp.Symbol("a"),
        )[0]
    )
    return Check(
        ok=False,
        evidence={
            "2α(1−0.9) ≤ 2/100 solves to α ≤": fmt(stated_bound),
            "Jury: largest stable α": fmt(derived),
            "α = 0.5 diverged": out[0.5],
            "α = 1.5 diverged": out[1.5],
            "edge 2(1+β)/L": fmt(edge),
        },
        counterexample={
            "α = 0.5": "stated safe, diverges" if out[0.5] else "converges",
            "stated inequality": f"gives α ≤ {fmt(stated_bound)}, not α ≤ 1",
        },
        correct_statement="For L = 100, β = 0.9 heavy ball is stable iff α < 2(1+β)/L = 0.038; "
        "α = 0.5 and α = 1.5 both diverge (and 2α(1−0.9) ≤ 2/100 would give α ≤ 0.1, not 1).",
    )


# ---------------------------------------------------------------- acceleration


@functools.cache
def _rates(kappa: float):
    """Optimal rates of gd and heavy ball on [1, kappa] (od.theory.optimal)."""
    gd = theory.optimal("gd", mu=1.0, L=kappa, closed_form=False)
    hb = theory.optimal("heavy_ball", mu=1.0, L=kappa, closed_form=False)
    return gd, hb


@decided
def _accel_notation() -> Check:
    gd, hb = _rates(100.0)
    k = 10
    return Check(
        ok=False,
        evidence={
            "κ": 100,
            "optimal heavy ball rate": fmt(hb.rate),
            "optimal GD rate": fmt(gd.rate),
            f"error factor after {k} steps, heavy ball": fmt(hb.rate**k),
            "'(√κ)^k'": 10.0**k,
        },
        counterexample={"κ": 100, "k": k, "(√κ)^k": 1e10, "actual ρ^k": fmt(hb.rate**k)},
        correct_statement="Accelerated methods converge like ((√κ−1)/(√κ+1))^k, i.e. "
        "in O(√κ log(1/ε)) iterations, against ((κ−1)/(κ+1))^k, O(κ log(1/ε)), for "
        "GD; (√κ)^k and κ^k grow.",
    )


@decided
def _accel_rho() -> Check:
    rows, ok = {}, True
    for kappa in (100.0, 1e4):
        gd, hb = _rates(kappa)
        sk = np.sqrt(kappa)
        st_acc, st_gd = (sk - 1) / (sk + 1), (kappa - 1) / (kappa + 1)
        rows[f"κ = {kappa:g}"] = {
            "heavy ball": fmt(hb.rate),
            "stated": fmt(st_acc),
            "≈ 1 − 2/√κ": fmt(1 - 2 / sk),
            "GD": fmt(gd.rate),
            "stated GD": fmt(st_gd),
            "≈ 1 − 2/κ": fmt(1 - 2 / kappa),
        }
        ok &= abs(hb.rate - st_acc) < 1e-9 and abs(gd.rate - st_gd) < 1e-9
        ok &= abs(1 - 2 / sk - st_acc) < 2.5 / kappa and abs(1 - 2 / kappa - st_gd) < 2.5 / kappa**2
    return Check(
        ok=ok, evidence=rows, tolerances={"rates": "1e-9", "approximations": "second order in 1/√κ"}
    )


def _speedup_check() -> Check:
    rows = {}
    for kappa in (100.0, 1e4):
        gd, hb = _rates(kappa)
        ratio = np.log(1 / gd.rate) / np.log(1 / hb.rate)
        rows[f"κ = {kappa:g}"] = {
            "log(1/ρ_GD)/log(1/ρ_acc)": fmt(ratio),
            "√κ": np.sqrt(kappa),
            "1/√κ": fmt(1 / np.sqrt(kappa)),
        }
    r = rows["κ = 100"]["log(1/ρ_GD)/log(1/ρ_acc)"]
    return Check(
        ok=abs(r - 10) < 1,
        evidence=rows,
        counterexample={"κ": 100, "ratio": r, "√κ": 10},
        correct_statement="log(1/ρ_GD)/log(1/ρ_acc) ≈ 1/√κ; the speed-up in iterations "
        "is its inverse, log(1/ρ_acc)/log(1/ρ_GD) ≈ √κ (κ = 100: "
        f"{fmt(1 / r, 3)}).",
    )


@decided
def _accel_factor() -> Check:
    return _speedup_check()


@decided
def _accel_example() -> Check:
    gd, hb = _rates(1e4)
    n_gd, n_hb = 1 / np.log(1 / gd.rate), 1 / np.log(1 / hb.rate)
    return compare(
        {
            "ρ_GD": "0.9998",
            "iterations per log(1/ε), GD": "5000",
            "ρ_acc": "0.98",
            "iterations per log(1/ε), accelerated": "50",
            "speed-up": "100",
        },
        {
            "ρ_GD": gd.rate,
            "iterations per log(1/ε), GD": n_gd,
            "ρ_acc": hb.rate,
            "iterations per log(1/ε), accelerated": n_hb,
            "speed-up": n_gd / n_hb,
        },
        slack={"iterations per log(1/ε), GD": 2, "speed-up": 2},
    )


@functools.cache
def _velocity_variance():
    """Stationary variance of heavy ball's velocity x_k - x_{k-1}: Lyapunov and Monte Carlo."""
    from ... import simulate

    ls = theory.linearize("heavy_ball")
    s2 = sp.Symbol("sigma2", positive=True)
    cov = ls.stationary_covariance(sigma2=s2)
    var_v = sp.simplify(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    point = {"lr": 0.1, "momentum": 0.9, "lam": 1.0}
    val = float(var_v.subs({ls.symbols[k]: v for k, v in point.items()} | {s2: 1}))
    r = simulate.run(
        "heavy_ball",
        simulate.DiagonalQuadratic([1.0]),
        steps=3000,
        seeds=400,
        rng=8,
        x0=np.zeros(1),
        noise=simulate.AdditiveNoise(sigma=1.0),
        keep_iterates=True,
        record_every=1,
        lr=0.1,
        momentum=0.9,
    )
    it = r.iterates[:, 1000:, 0]
    v = np.diff(it, axis=1)
    per_seed = (v**2).mean(axis=1)
    return var_v, point, val, float(per_seed.mean()), float(per_seed.std() / np.sqrt(400))


@decided
def _vr_formula() -> Check:
    var_v, point, val, mc, se = _velocity_variance()
    a, b = point["lr"], point["momentum"]
    stated = a**2 * (1 - b) ** 2 / (1 + b)
    ok = abs(mc - stated) <= 5 * se
    return Check(
        ok=ok,
        evidence={
            "stationary Var(v) (Lyapunov)": str(var_v),
            "at lr 0.1, β 0.9, λ 1, σ² 1": fmt(val),
            "Monte Carlo": fmt(mc),
            "se": fmt(se),
            "stated": fmt(stated),
            "α²σ²": a**2,
        },
        counterexample={
            "lr": a,
            "momentum": b,
            "lam": 1,
            "sigma2": 1,
            "stated": fmt(stated),
            "measured": fmt(mc),
        },
        correct_statement="The velocity's noise variance is not reduced: without curvature "
        "feedback Var(v) = α²σ²Σβ^{2j} = α²σ²/(1−β²) (5.3× α²σ² at β = 0.9); with curvature λ "
        f"the Lyapunov value is {var_v} (here {fmt(val, 4)} vs α²σ² = {a**2:g}). Only the "
        "normalised average (1−β)v/α has variance (1−β)/(1+β)·σ².",
        seeds=(8,),
        tolerances={"Monte Carlo": "5 sigma, 400 seeds x 2000 steps"},
    )


@decided
def _vr_example() -> Check:
    _var_v, point, _val, mc, _se = _velocity_variance()
    ratio = mc / point["lr"] ** 2
    c = compare(
        {"reduction factor": "0.005"},
        {"reduction factor": ratio},
        what="measured Var(v)/(α²σ²) at β = 0.9, λ = 1, α = 0.1",
        note="an increase; (1−0.9)²/(1+0.9) = 0.0053 is not a variance ratio of momentum",
    )
    c.seeds = (8,)
    return c


# ---------------------------------------------------------------- registration

_OOS_PRACTICE = (
    "a claim about training deep networks in practice (data sets, architectures, "
    "wall-clock), which no quadratic model decides"
)

source_claim(
    "002:CE1-mom-step",
    expected="holds",
    section=CE1,
    symbolic=_ce1,
    methods=("ema_momentum", "gd"),
    relation="equals",
)
source_claim("002:CE2-nag-step", expected="holds", section=CE2, symbolic=_ce2, relation="equals")
source_claim(
    "002:CE3-adam-step",
    expected="holds",
    section=CE3,
    symbolic=_ce3,
    methods=("adam",),
    relation="equals",
)
source_claim(
    "002:CE4-adamw-step",
    expected="holds",
    section=CE4,
    symbolic=_ce4,
    methods=("adamw",),
    relation="equals",
)
source_claim(
    "002:D-HB-combined",
    expected="fails",
    section=HB,
    symbolic=_hb_combined,
    methods=("heavy_ball",),
)
source_claim(
    "002:D-HB-ex-iter",
    expected="fails",
    section=HB,
    symbolic=_hb_ex_iter,
    methods=("heavy_ball",),
    relation="equals",
)
source_claim(
    "002:D-HB-diverge", expected="holds", section=HB, symbolic=_hb_diverge, methods=("heavy_ball",)
)
source_claim(
    "002:D-HB-resnet", expected="out-of-scope", section=HB, symbolic=out_of_scope(_OOS_PRACTICE)
)
source_claim(
    "002:D-NAG-equiv",
    expected="holds",
    section=NAG,
    symbolic=_nag_equiv,
    methods=("nesterov",),
    relation="equals",
)
source_claim(
    "002:D-NAG-params",
    expected="imprecise",
    section=NAG,
    symbolic=_nag_params,
    methods=("nesterov",),
    relation="equals",
)
source_claim(
    "002:D-NAG-rate",
    expected="fails",
    section=NAG,
    symbolic=_nag_rate,
    methods=("heavy_ball", "nesterov"),
    relation="equals",
)
source_claim(
    "002:D-EMA-expand",
    expected="holds",
    section=EMA,
    symbolic=_ema_expand,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-EMA-halflife",
    expected="holds",
    section=EMA,
    symbolic=_ema_halflife,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-EMA-const",
    expected="imprecise",
    section=EMA,
    symbolic=_ema_const,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-EMA-ramp",
    expected="fails",
    section=EMA,
    symbolic=_ema_ramp,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-EMA-lag", expected="holds", section=EMA, symbolic=_ema_lag, methods=("ema_momentum",)
)
source_claim(
    "002:D-AdaGrad-mono",
    expected="holds",
    section="AdaGrad",
    symbolic=_adagrad_mono,
    methods=("adagrad",),
)
source_claim(
    "002:D-Adam-defaults",
    expected="out-of-scope",
    section="Adam",
    symbolic=out_of_scope(
        "the hyperparameters a paper recommends (attribution), not a "
        "property of the dynamics on any model"
    ),
)
source_claim(
    "002:D-Adam-BERT", expected="out-of-scope", section="Adam", symbolic=out_of_scope(_OOS_PRACTICE)
)
source_claim(
    "002:D-bias-expect",
    expected="holds",
    section=BIAS,
    symbolic=_bias_expect,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-bias-t1",
    expected="holds",
    section=BIAS,
    symbolic=_bias_t1,
    methods=("ema_momentum",),
    relation="equals",
)
source_claim(
    "002:D-bias-tiny-steps", expected="fails", section=BIAS, symbolic=_bias_tiny, methods=("adam",)
)
source_claim(
    "002:D-bias-negligible",
    expected="fails",
    section=BIAS,
    symbolic=_bias_negligible,
    methods=("adam",),
)
source_claim(
    "002:D-bias-iid", expected="fails", section=BIAS, symbolic=_bias_iid, methods=("ema_momentum",)
)
source_claim(
    "002:D-precond-ex",
    expected="fails",
    section=PRE,
    symbolic=_precond_ex,
    methods=("gd",),
    relation="equals",
)
source_claim(
    "002:D-precond-cost",
    expected="out-of-scope",
    section=PRE,
    symbolic=out_of_scope(
        "the operation count of dense linear algebra, not a property "
        "of an optimizer's dynamics on a quadratic"
    ),
)
source_claim(
    "002:D-noise-var", expected="imprecise", section=NOISE, symbolic=_noise_var, relation="equals"
)
source_claim(
    "002:D-noise-nums", expected="holds", section=NOISE, symbolic=_noise_nums, relation="equals"
)
source_claim(
    "002:D-stab-region",
    expected="fails",
    section=STAB,
    symbolic=_stab_region,
    methods=("heavy_ball",),
    relation="iff",
)
source_claim(
    "002:D-stab-alphamax",
    expected="fails",
    section=STAB,
    symbolic=_stab_region,
    methods=("heavy_ball",),
    relation="equals",
)
source_claim(
    "002:D-stab-kappa",
    expected="fails",
    section=STAB,
    symbolic=_stab_kappa,
    methods=("heavy_ball",),
)
source_claim(
    "002:D-stab-margin",
    expected="out-of-scope",
    section=STAB,
    symbolic=out_of_scope(
        "advice about practice (how practitioners choose step sizes), not a property of a model"
    ),
)
source_claim(
    "002:D-stab-example",
    expected="fails",
    section=STAB,
    symbolic=_stab_example,
    methods=("heavy_ball",),
    relation="equals",
)
source_claim(
    "002:D-accel-notation",
    expected="fails",
    section=ACC,
    symbolic=_accel_notation,
    methods=("gd", "heavy_ball"),
)
source_claim(
    "002:D-accel-rho",
    expected="holds",
    section=ACC,
    symbolic=_accel_rho,
    methods=("gd", "heavy_ball"),
    relation="equals",
)
source_claim(
    "002:D-accel-factor",
    expected="fails",
    section=ACC,
    symbolic=_accel_factor,
    methods=("gd", "heavy_ball"),
    relation="equals",
)
source_claim(
    "002:D-accel-example",
    expected="holds",
    section=ACC,
    symbolic=_accel_example,
    methods=("gd", "heavy_ball"),
    relation="equals",
)
source_claim(
    "002:D-VR-formula",
    expected="fails",
    section=VR,
    symbolic=_vr_formula,
    methods=("heavy_ball",),
    relation="equals",
)
source_claim(
    "002:D-VR-example",
    expected="fails",
    section=VR,
    symbolic=_vr_example,
    methods=("heavy_ball",),
    relation="equals",
)
