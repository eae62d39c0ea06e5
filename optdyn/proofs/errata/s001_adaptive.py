"""Source 001, rows about adaptive methods, schedules, batch size and SAM.

Adaptive methods are run with their registered steps (AdaGrad, RMSProp, Adam, Adam + L2,
AdamW); their frozen-preconditioner linearizations (:func:`optdyn.theory.linearize`)
give the stationary variances used for the batch-size scaling rules. Gradient noise
from a minibatch of size B is modelled as additive noise of variance sigma^2/B.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ... import simulate, theory
from .s001 import decide, fmt, iterate, register
from .s001_linear import _saddle_escape

# -- what the adaptive statistics see: gradient magnitude, not curvature ---------------------


@functools.cache
def _first_steps(name: str) -> dict:
    """Effective per-coordinate lr -dx/g over the first 20 steps on eigenvalues (1, 100).

    Two starts: (1, 1) (gradients proportional to curvature) and (1, 0.01) (equal gradients).
    """
    out = {}
    for label, x0 in (("x0 = (1, 1)", [1.0, 1.0]), ("x0 = (1, 0.01)", [1.0, 0.01])):
        hyper = {"momentum": 0.9} if name == "heavy_ball" else {}
        r = simulate.run(name, simulate.DiagonalQuadratic([1.0, 100.0]), steps=20, lr=1e-3,
                         x0=np.array(x0), keep_iterates=True, **hyper)  # fmt: skip
        xs = r.iterates[0]
        g = np.array([1.0, 100.0]) * xs[:-1]
        out[label] = -(xs[1:] - xs[:-1]) / g  # (steps, 2)
    return out


def _curvature_blind(claim):
    """Does the effective lr of ``claim.methods[0]`` scale like 1/curvature?"""
    name = claim.methods[0]
    eff = _first_steps(name)
    ratio = {k: v[:, 1] / v[:, 0] for k, v in eff.items()}  # steep / flat effective lr
    curv = ratio["x0 = (1, 1)"]
    blind = ratio["x0 = (1, 0.01)"]
    ev = {
        "method": name,
        "eigenvalues": [1.0, 100.0],
        "lr": 1e-3,
        "effective lr steep/flat at steps 1, 20, x0 = (1, 1)": [fmt(curv[0], 4), fmt(curv[-1], 4)],
        "effective lr steep/flat at steps 1, 20, x0 = (1, 0.01)": [
            fmt(blind[0], 4),
            fmt(blind[-1], 4),
        ],
        "1/curvature ratio": 0.01,
    }
    holds = bool(abs(curv[0] - 0.01) < 1e-3)
    for other in claim.methods[1:]:  # 001:84: every method the row names
        r = {k: v[:, 1] / v[:, 0] for k, v in _first_steps(other).items()}
        ev[f"{other}: effective lr steep/flat at step 1, x0 = (1, 1) and (1, 0.01)"] = [
            fmt(r["x0 = (1, 1)"][0], 4), fmt(r["x0 = (1, 0.01)"][0], 4)]  # fmt: skip
        if other == "heavy_ball":  # one linear filter for every coordinate: ratio 1 always
            holds &= bool(all(abs(v[0] - 1.0) < 1e-9 for v in r.values()))
        else:
            holds &= bool(abs(r["x0 = (1, 1)"][0] - 0.01) < 1e-3)
    return decide(ev, holds=holds,
                  needs_condition=bool(abs(blind[0] - 1.0) < 1e-3),
                  missing="the gradient magnitudes are proportional to the curvatures (equal "
                          "distances to the minimum, or gradient noise that scales with "
                          "curvature)",
                  correct=claim.stated["correct"],
                  counterexample={"eigenvalues": [1, 100], "x0": [1, 0.01],
                                  "gradients": [1, 1],
                                  "effective lr ratio steep/flat (1/curvature would be 0.01)":
                                  fmt(blind[0], 4)})  # fmt: skip


_BLIND = ("RMSProp and Adam divide by a running RMS of recent gradients: the effective lr "
          "of a coordinate is lr/sqrt(E[g^2]), which follows curvature only when gradient "
          "magnitudes are proportional to it; two coordinates with curvatures 1 and 100 but "
          "equal gradients get equal effective lrs.")  # fmt: skip
_RMSPROP_BLIND = {
    "correct": "RMSProp's effective lr lr/(sqrt(E[g^2]) + eps) follows the recent (window "
    "~1/(1 - gamma)) squared-gradient magnitude, not curvature: it matches 1/curvature only "
    "when gradient magnitudes are proportional to curvature."
}
_ADAM_BLIND = {
    "correct": "Adam equalizes gradient magnitudes, not curvatures: its effective lr "
    "lr/sqrt(v_hat) scales steep directions down relative to flat ones only when their "
    "gradients are larger. " + _BLIND
}
_MOMENTUM_BLIND = {
    "correct": "Momentum applies the same linear filter to every coordinate's gradients (no "
    "curvature information); " + _BLIND
}


def _adagrad_lr(claim):
    """AdaGrad's effective lr lr/(sqrt(G) + eps): its derivative in G, and per coordinate."""
    G, lr, eps = sp.symbols("G lr eps", positive=True)
    d = sp.diff(lr / (sp.sqrt(G) + eps), G)
    eff = _first_steps("adagrad")["x0 = (1, 1)"]
    return decide({"d/dG lr/(sqrt(G)+eps)": str(sp.simplify(d)),
                   "effective lr at step 1 (coordinate with |g| = 1, |g| = 100)":
                   [fmt(v, 4) for v in eff[0]],
                   "effective lr non-increasing over 20 steps": bool(np.all(np.diff(eff, axis=0)
                                                                            <= 1e-15))},
                  holds=bool(sp.simplify(d).is_negative and eff[0, 1] < eff[0, 0]),
                  counterexample={"effective lr at step 1 (|g| = 1, |g| = 100)":
                                  [fmt(v, 4) for v in eff[0]]},
                  correct=f"AdaGrad's effective lr lr/(sqrt(G) + eps) has derivative "
                          f"{sp.simplify(d)} in G; at step 1 the coordinates with |g| = 1 "
                          f"and |g| = 100 get {fmt(eff[0, 0], 4)} and "
                          f"{fmt(eff[0, 1], 4)}.")  # fmt: skip


def _adagrad_stall(claim):
    """AdaGrad on eigenvalues (1, 100): lr comparable to the distance vs lr << distance."""
    p = simulate.DiagonalQuadratic([1.0, 100.0])
    near = simulate.run("adagrad", p, steps=2000, lr=0.5, x0=np.full(2, 1.0), keep_iterates=True)
    far = simulate.run("adagrad", p, steps=2000, lr=0.01, x0=np.full(2, 100.0))
    xs = near.iterates[0]
    g = np.array([1.0, 100.0]) * xs[:-1]
    live = np.abs(g) > 1e-300
    eff = np.where(live, -(xs[1:] - xs[:-1]) / np.where(live, g, 1.0), np.nan)
    mono = bool(np.all(np.diff(eff[:40], axis=0) <= 1e-12))
    moved = float(100.0 - np.abs(far.x[0, 0]).max())
    ev = {
        "effective lr non-increasing (first 40 steps)": mono,
        "x0 = (1, 1), lr 0.5: loss at steps 0, 100, 2000": [
            fmt(v, 3) for v in near.loss[0, [0, 100, 2000]]
        ],
        "x0 = (100, 100), lr 0.01: loss at steps 0, 2000": [
            fmt(v, 4) for v in far.loss[0, [0, 2000]]
        ],
        "distance moved by the flat coordinate in 2000 steps (2 lr sqrt(t) = 0.89)": moved,
    }
    return decide(ev, holds=mono and moved < 2.0, needs_condition=near.loss[0, 100] < 1e-20,
                  missing="lr much smaller than the distance to the minimum (then AdaGrad "
                          "moves only ~2 lr sqrt(t) in t steps)",
                  correct="AdaGrad's effective lr decays monotonically, but on a quadratic "
                          "training never stops: with lr comparable to the distance to the "
                          "minimum G converges and AdaGrad converges linearly; with lr much "
                          "smaller it crawls (~2 lr sqrt(t) in t steps) before converging.",
                  counterexample={"x0": [1, 1], "lr": 0.5, "loss after 100 steps":
                                  fmt(near.loss[0, 100], 3)})  # fmt: skip


def _adam_momentum(claim):
    """Adam with a frozen second moment is EMA momentum at lr/(sqrt v + eps); unfrozen, not."""
    la = theory.linearize("adam")
    le = theory.linearize("ema_momentum")
    lr, v, eps = la.symbols["lr"], la.symbols["v"], la.symbols["eps"]
    sub = {le.symbols["lr"]: lr / (sp.sqrt(v) + eps), le.symbols["momentum"]: la.symbols["beta1"],
           le.symbols["lam"]: la.symbols["lam"]}  # fmt: skip
    pe = le.charpoly.as_expr().subs(le.z, la.z).subs(sub)
    same = sp.simplify(pe - la.charpoly.as_expr()) == 0
    p = simulate.DiagonalQuadratic([1.0])
    kw = dict(steps=1000, lr=0.01, x0=np.ones(1))
    frozen = simulate.run("adam", p, **kw, **simulate.freeze("adam", v=1.0))
    ema = simulate.run("ema_momentum", p, momentum=0.9, **kw)
    free = simulate.run("adam", p, **kw)
    dev_frozen = float(np.max(np.abs(frozen.loss[0] - ema.loss[0]) / ema.loss[0]))
    ev = {
        "charpoly of adam (frozen v) = ema_momentum at lr/(sqrt v + eps)": bool(same),
        "max relative loss gap, frozen adam (v = 1) vs ema_momentum": dev_frozen,
        "loss at step 1000: ema_momentum, adam (v frozen), adam": [
            fmt(ema.loss[0, 1000], 3),
            fmt(frozen.loss[0, 1000], 3),
            fmt(free.loss[0, 1000], 3),
        ],
    }
    return decide(ev, holds=bool(same and dev_frozen < 1e-5),
                  tolerances={"frozen adam vs ema_momentum": "1e-5 relative (eps = 1e-8 and "
                              "the freezing decay rate perturb the lr)"},
                  needs_condition=bool(free.loss[0, 1000] < 1e-6 * ema.loss[0, 1000]),
                  missing="the second moment v_hat stays (nearly) constant, e.g. noise-"
                          "dominated gradients",
                  correct="Adam is EMA momentum SGD with lr/(sqrt(v_hat) + eps) while v_hat "
                          "is constant; without gradient noise v_hat shrinks with the "
                          "gradient and Adam's effective lr grows (towards sign descent), so "
                          "it does not behave like momentum SGD.",
                  counterexample={"lambda": 1, "lr": 0.01, "loss at step 1000 (ema "
                                  "momentum, adam)": [fmt(ema.loss[0, 1000], 3),
                                                      fmt(free.loss[0, 1000], 3)]})  # fmt: skip


@functools.cache
def _decay(name: str) -> dict:
    """Adam + L2 / AdamW with v frozen at 0.01 or 1 on f = (x - 1)^2/2, weight decay 0.1."""
    out = {}
    for vv in (0.01, 1.0):
        p = simulate.Quadratic(np.eye(1), x_star=np.ones(1))
        kw = simulate.freeze(name, v=vv)
        r = simulate.run(name, p, steps=2000, lr=0.01, weight_decay=0.1, x0=np.ones(1), **kw)
        one = simulate.run(name, p, steps=1, lr=0.01, weight_decay=0.1, x0=np.ones(1),
                           keep_iterates=True, **kw)  # fmt: skip
        out[vv] = (float(r.x[0, 0]), float(1.0 - one.iterates[0, 1, 0]))
    return out


def _decoupling(claim):
    """Per-step decay at the loss minimum and the point reached, for two frozen v."""
    name = claim.methods[0]
    d = _decay(name)
    step_dep = abs(d[0.01][1] / d[1.0][1] - 1) > 0.5
    fixed_dep = abs(d[0.01][0] - d[1.0][0]) > 1e-3
    ev = {
        "method": name,
        "f": "(x - 1)^2/2, weight decay 0.1, lr 0.01",
        **{
            f"v = {k}: first-step decay at x = x*, final x": [fmt(a[1], 4), fmt(a[0], 6)]
            for k, a in d.items()
        },
        "ridge solution 1/(1 + 0.1)": fmt(1 / 1.1, 6),
    }
    finals = {"final x for v = 0.01 and v = 1": [fmt(d[0.01][0], 6), fmt(d[1.0][0], 6)]}
    if name == "adam_l2":  # 001:54: decay depends on v per step, not in the solution
        return decide(ev, holds=step_dep, needs_condition=not fixed_dep,
                      missing="per step (transient); the point Adam + L2 converges to is the "
                              "ridge solution whatever v_hat",
                      correct="With L2 in the gradient each step decays theta by lr lam theta/"
                              "(sqrt(v_hat) + eps), so larger v_hat decays more slowly; but the "
                              "fixed point solves grad f + lam theta = 0, the ridge solution, "
                              "the same for every v_hat.",
                      counterexample=finals)  # fmt: skip
    # 001:55: AdamW decay uniform per step, but the solution depends on v
    return decide(ev, holds=not step_dep, needs_condition=fixed_dep,
                  missing="per step only; the point AdamW converges to depends on v_hat",
                  correct="AdamW shrinks theta by lr lam theta per step whatever v_hat; its "
                          "fixed point solves grad f/(sqrt(v_hat) + eps) + lam theta = 0, i.e. "
                          "an L2 penalty of strength lam (sqrt(v_hat) + eps) that differs "
                          "across parameters with v_hat.",
                  counterexample=finals)  # fmt: skip


# -- schedules --------------------------------------------------------------------------------


@functools.cache
def _schedule_runs(sigma: float, seeds: int = 400) -> dict:
    """GD on eigenvalues (1, 10) with lr 0.1: constant vs cosine decay over 10 segments of 60."""
    p = simulate.DiagonalQuadratic([1.0, 10.0])
    segs, n, lr0 = 10, 60, 0.1
    out = {}
    for label in ("constant", "cosine"):
        x = np.ones((seeds, 2))
        for k in range(segs):
            lr = lr0 if label == "constant" else lr0 / 2 * (1 + np.cos(np.pi * (k + 0.5) / segs))
            noise = simulate.AdditiveNoise(sigma=sigma) if sigma else None
            r = simulate.run("gd", p, steps=n, seeds=seeds, x0=x, lr=lr, noise=noise,
                             rng=75 + k if sigma else None)  # fmt: skip
            x = r.x
        out[label] = r.loss[:, -1] if r.loss.ndim == 2 else r.loss[..., -1]
    return out


def _schedule(claim, _symbolic=None):
    """Final loss of GD with a constant and a cosine-decayed lr, with and without noise."""
    noisy = _schedule_runs(0.1)
    clean = _schedule_runs(0.0, seeds=1)
    c, s = noisy["constant"], noisy["cosine"]
    se = np.sqrt(c.var() / c.size + s.var() / s.size)
    ev = {
        "GD, eigenvalues (1, 10), lr0 0.1, 600 steps, gradient noise sigma 0.1: final loss "
        "(constant, cosine)": [fmt(c.mean(), 4), fmt(s.mean(), 4)],
        "without noise: final loss (constant, cosine)": [
            fmt(clean["constant"].mean(), 4),
            fmt(clean["cosine"].mean(), 4),
        ],
    }
    return decide(
        ev,
        holds=bool(s.mean() + 5 * se < c.mean()),
        needs_condition=bool(clean["cosine"].mean() > clean["constant"].mean()),
        missing="the plateau is set by gradient noise (without noise a constant lr "
        "converges linearly and decay only slows it)",
        correct="With gradient noise a constant lr plateaus at a loss proportional "
        "to lr, and decaying lr lowers the final loss; on a noiseless "
        "problem there is no noise plateau and a decayed lr converges more "
        "slowly than the constant one.",
        counterexample={
            "noise": 0,
            "final loss (constant, cosine)": ev["without noise: final loss (constant, cosine)"],
        },
        seeds=tuple(range(75, 85)),
        tolerances={"noisy comparison": "5 sigma"},
    )


# -- batch size scaling -----------------------------------------------------------------------


@functools.cache
def _variance_fn(name: str):
    """Stationary Var(x) of one mode under gradient noise sigma2, from the Lyapunov equation."""
    ls = theory.linearize(name)
    s2 = sp.Symbol("s2", positive=True)
    expr = ls.stationary_variance(sigma2=s2)
    names = [k for k in ls.symbols if ls.symbols[k] in expr.free_symbols]
    fn = sp.lambdify([ls.symbols[k] for k in names] + [s2], expr, "numpy")
    return lambda **kw: fn(*[kw[k] for k in names], kw["s2"])


def _scaled_variance(name: str, lr: float, k: float, exponent: float, sigma2: float = 1.0,
                     lam: float = 1.0, B: float = 1.0) -> float:  # fmt: skip
    """Var(x) at batch kB and lr k^exponent lr, over Var(x) at (B, lr); inf when unstable."""

    def var(bb, ll):
        kw = {"lr": ll, "lam": lam, "s2": sigma2 / bb}
        if name == "adam":
            kw.update(beta1=0.9, beta2=0.999, eps=1e-8, v=sigma2 / bb)
        rho = float(theory.linearize(name).spectral_radius(
            **{kk: v for kk, v in kw.items() if kk != "s2"}))  # fmt: skip
        return np.inf if rho >= 1 else float(_variance_fn(name)(**kw))

    return var(B * k, lr * k**exponent) / var(B, lr)


@functools.cache
def _derived_variance(name: str) -> str:
    """Var(x) under gradient noise sigma^2/B (Adam: small-lr term at v = sigma^2/B, eps = 0)."""
    ls = theory.linearize(name)
    sg, bb = sp.Symbol("sigma", positive=True), sp.Symbol("B", positive=True)
    full = ls.stationary_variance(sigma2=sg**2 / bb)
    if name != "adam":
        return str(sp.factor(full))
    lr = ls.symbols["lr"]
    full = full.subs({ls.symbols["eps"]: 0, ls.symbols["v"]: sg**2 / bb})
    return str(sp.simplify(sp.limit(full / lr, lr, 0) * lr))


def _batch_scaling(claim):
    """Does lr -> k^e lr keep the stationary (noise-driven) variance when B -> kB?"""
    name, e = claim.methods[0], float(claim.stated["exponent"])
    k = 8.0
    small = _scaled_variance(name, claim.stated["small_lr"], k, e)
    large = _scaled_variance(name, claim.stated["large_lr"], k, e)
    var = _derived_variance(name)
    ev = {
        "derived stationary Var(x) (adam: small lr, v = sigma^2/B, eps = 0)": var,
        "method": name,
        "noise variance": "sigma^2/B",
        "k": k,
        "lr -> k^e lr, e": e,
        f"Var ratio after scaling, lr lam = {claim.stated['small_lr']}": small,
        f"Var ratio after scaling, lr lam = {claim.stated['large_lr']}": large,
    }
    # empirical: simulate the small-lr case (GD) to confirm the theory's variance
    if name == "gd":
        p = simulate.DiagonalQuadratic([1.0])
        lr = claim.stated["small_lr"]
        r = simulate.run("gd", p, steps=4000, seeds=200, x0=np.zeros(1), lr=lr, rng=80,
                         noise=simulate.AdditiveNoise(sigma=1.0), record_every=10)  # fmt: skip
        tail = 2 * r.loss[:, 200:]  # x^2 over the stationary tail
        est = tail.mean()
        theo = float(_variance_fn("gd")(lr=lr, lam=1.0, s2=1.0))
        per_seed = tail.mean(axis=1)
        se = per_seed.std() / np.sqrt(per_seed.size)
        ev["simulated Var(x), lr 0.01 (theory)"] = [fmt(est, 4), fmt(theo, 4)]
        agree = abs(est - theo) < 5 * se
        off = bool(not np.isfinite(large) or abs(large - 1) > 0.5)
    else:  # adam: the registered method with noise sigma^2/B at lr and at sqrt(k) lr, kB
        sim = _adam_variance_ratio((0.01, claim.stated["large_lr"]), k)
        for lr, (ratio, se, theo) in sim.items():
            ev[f"simulated Var ratio (standard error), lr lam = {lr}"] = [fmt(ratio, 4), fmt(se, 2)]
            ev[f"linearized Var ratio at the simulated v_hat, lr lam = {lr}"] = fmt(theo, 4)
        ratio, se, theo = sim[0.01]
        agree = abs(ratio - theo) < 5 * se  # the registered method confirms the linearization
        ratio, se, _ = sim[claim.stated["large_lr"]]
        off = bool(abs(ratio - 1) > max(0.05, 5 * se))
        large = ratio  # the registered method's, not the frozen-v linearization's
        ev["simulation"] = (
            "adam on lam = 1 with AdditiveNoise sigma/sqrt(B), sigma = 1, "
            "B = 1 and 8, 200 seeds, 2000 steps, Var(x) = time average over "
            "steps 500..2000 (v_hat also holds lam^2 Var(x), so its "
            "linearization uses v = sigma^2/B + Var(x))"
        )
    return decide(
        ev,
        holds=bool(abs(small - 1) < 0.05 and agree),
        needs_condition=off,
        missing=claim.stated["missing"].format(var=var),
        correct=claim.stated["correct"].format(var=var, large=fmt(large, 3)),
        counterexample={"lr lam": claim.stated["large_lr"], "k": k, "Var ratio": fmt(large, 4)},
        seeds=(80,) if name == "gd" else (82,),
        tolerances={"scaling kept": "|ratio - 1| < 0.05", "simulation": "5 sigma"}
        if name == "gd"
        else {
            "scaling kept": "|ratio - 1| < 0.05 (linearized); simulated ratio within 5 "
            "standard errors of the linearized one at lr lam = 0.01",
            "rule broken": "simulated |ratio - 1| > max(0.05, 5 standard errors)",
            "simulation": "5 sigma (per-seed time averages, 200 seeds)",
        },
    )


@functools.cache
def _adam_variance_ratio(lrs: tuple, k: float, seeds: int = 200) -> dict:
    """Simulated Var(x) at (kB, sqrt(k) lr) over Var(x) at (B, lr) for adam, lam = 1, sigma = 1.

    Returns, by lr, the ratio, its standard error (per-seed time averages, delta method)
    and the linearized ratio at v = sigma^2/B + Var(x) (the simulated second moment).
    """
    p = simulate.DiagonalQuadratic([1.0])
    per, theo = [], []
    for bb in (1.0, k):
        ll = np.array(lrs) * np.sqrt(bb)
        r = simulate.run(
            "adam",
            p,
            steps=2000,
            seeds=seeds,
            x0=np.zeros(1),
            lr=ll,
            rng=82,
            noise=simulate.AdditiveNoise(sigma=1 / np.sqrt(bb)),
            record_every=10,
        )
        per.append((2 * r.loss[..., 50:]).mean(axis=-1))  # (lrs, seeds)
        theo.append([float(_variance_fn("adam")(lr=lv, lam=1.0, s2=1 / bb, beta1=0.9,
                                                beta2=0.999, eps=1e-8, v=1 / bb + v.mean()))
                     for lv, v in zip(ll, per[-1], strict=True)])  # fmt: skip
    out = {}
    for i, lr in enumerate(lrs):
        m = [v[i].mean() for v in per]
        rel = [v[i].std() / np.sqrt(v[i].size) / mv for v, mv in zip(per, m, strict=True)]
        ratio = m[1] / m[0]
        out[lr] = (float(ratio), float(ratio * np.hypot(*rel)), theo[1][i] / theo[0][i])
    return out


_LINEAR = {"exponent": 1.0, "small_lr": 0.01, "large_lr": 0.2,
           "missing": "k lr lambda_max << 2 (small lr): the stationary variance is "
                      "{var}, invariant under lr/B fixed only "
                      "to first order, and the scaled lr must stay below 2/lambda_max",
           "correct": "For SGD with gradient noise sigma^2/B the stationary variance "
                      "{var} stays fixed when lr and B grow "
                      "together only while lr lambda_max << 2; near 2/lambda_max the scaled "
                      "run is noisier and beyond it diverges."}  # fmt: skip
_SQRT = {"exponent": 0.5, "small_lr": 0.001, "large_lr": 3.0,
         "missing": "noise-dominated second moment (v_hat ~ sigma^2/B) and an effective "
                    "step lr lambda/sqrt(v_hat) well inside the stability region",
         "correct": "With a noise-dominated second moment v_hat = sigma^2/B, Adam's "
                    "stationary variance is about {var}, kept fixed "
                    "by lr ~ sqrt(B) while lr lambda sqrt(B)/sigma is small; at larger steps "
                    "v_hat also holds lambda^2 Var(x) and the rule fails (simulated Var ratio "
                    "{large} at lr lambda = 3, k = 8)."}  # fmt: skip


def _noise_scale(claim):
    """Steps to reach E f <= target for GD with noise sigma^2/B, best lr per B (exact recursion)."""
    lam, s2, target = np.array([1.0, 10.0]), 0.1, 1e-3
    lrs = np.linspace(0.002, 0.199, 200)
    ls = theory.linearize("gd")
    factor = sp.lambdify((ls.symbols["lr"], ls.symbols["lam"]), ls.matrix[0, 0] ** 2, "numpy")
    steps = {}
    for B in (1, 4, 16, 64, 256, 1024, 4096):
        m2 = np.ones((lrs.size, 2))  # E[x^2] per mode from x0 = 1
        f = factor(lrs[:, None], lam[None, :])
        best = None
        for t in range(1, 3001):
            m2 = f * m2 + lrs[:, None] ** 2 * s2 / B
            ef = 0.5 * (m2 * lam).sum(axis=1)
            if (ef <= target).any():
                best = t
                break
        steps[B] = best
    vals = [steps[b] for b in sorted(steps)]
    gains = [vals[i] / vals[i + 1] for i in range(len(vals) - 1)]
    rho = [float(ls.spectral_radius(lam=10.0, lr=v)) for v in (0.19, 0.21)]
    ev = {
        "steps to E f <= 1e-3 with the best lr, by B (noise 0.1/B)": {
            str(b): v for b, v in steps.items()
        },
        "speedup per 4x batch": [fmt(g, 3) for g in gains],
        "spectral radius at lr 0.19, 0.21 (lambda_max 10)": [fmt(r, 4) for r in rho],
    }
    return decide(
        ev,
        holds=gains[0] > 2 and gains[-1] < 1.1 and rho[0] < 1 < rho[1],
        counterexample={
            "speedup per 4x batch (smallest, largest B)": [fmt(gains[0], 3), fmt(gains[-1], 3)]
        },
        correct=f"With the best lr per B, a 4x larger batch cuts the steps to E f <= 1e-3 by "
        f"{fmt(gains[0], 3)}x at B = 1 and by {fmt(gains[-1], 3)}x at B = 1024, where the lr is "
        "capped by stability (2/lambda_max) rather than by the noise.",
        tolerances={"recursion": "exact second moments"},
    )


# -- SAM on a loss with a flat and a sharp minimum --------------------------------------------


def _wells_grad(x, a=1.0, b=25.0):
    ea, eb = np.exp(-a * (x + 1) ** 2 / 2), np.exp(-b * (x - 1) ** 2 / 2)
    return (a * (x + 1) * ea + b * (x - 1) * eb) / (ea + eb)


@functools.cache
def _wells() -> dict:
    x0 = np.linspace(-3, 3, 121)[:, None]
    out = {}
    for name, kw in (("gd", {}), ("sam", {"rho": 0.3})):
        xs = iterate(name, _wells_grad, x0, 2000, lr=0.05, **kw)[-200:, :, 0]
        out[name] = (float(np.mean(np.abs(xs - 1).max(0) < 0.05)),
                     float(np.mean(np.abs(xs + 1).max(0) < 0.05)))  # fmt: skip
    return out


def _sam_flat(claim):
    w = _wells()
    ev = {
        "f": "-log(exp(-(x+1)^2/2) + exp(-25(x-1)^2/2)): flat minimum near -1 (curvature 1),"
        " sharp near 1 (curvature 25)",
        "lr": 0.05,
        "rho": 0.3,
        "starts": 121,
        "fraction settled at the sharp minimum (gd, sam)": [w["gd"][0], w["sam"][0]],
        "fraction settled at the flat minimum (gd, sam)": [w["gd"][1], w["sam"][1]],
        "fraction settled at neither (gd, sam)": [
            fmt(1 - sum(w["gd"]), 3),
            fmt(1 - sum(w["sam"]), 3),
        ],
        "scope": "decided on a 1-D loss with two minima",
    }
    return decide(ev, holds=w["sam"][0] < w["gd"][0] / 2,
                  tolerances={"bias": "SAM's fraction at the sharp minimum below half of GD's "
                              "(deterministic runs from a grid of 121 starts)"},
                  counterexample={"fraction settled at the sharp minimum (gd, sam)":
                                  [w["gd"][0], w["sam"][0]]},
                  correct=f"From 121 starts in [-3, 3], SAM (rho 0.3) settles at the sharp "
                          f"minimum from {fmt(w['sam'][0], 3)} of them and GD from "
                          f"{fmt(w['gd'][0], 3)}.")  # fmt: skip


# -- AdaGrad with sparse gradients ------------------------------------------------------------


@functools.cache
def _sparse(seeds: int = 200, steps: int = 400) -> dict:
    """GD and AdaGrad (lr 0.1) on x^2/2 per coordinate; coordinate 2 sees its gradient w.p. 0.05."""
    rng = np.random.default_rng(46)
    masks = rng.random((steps + 1, seeds, 2)) < np.array([1.0, 0.05])
    out = {}
    for name in ("gd", "adagrad"):
        t = [0]

        def grad(x, t=t):
            t[0] += 1
            return x * masks[t[0]]

        xs = iterate(name, grad, np.ones((seeds, 2)), steps, lr=0.1)
        out[name] = np.abs(xs[-1])
    return out


def _adagrad_sparse(claim, _symbolic=None):
    """Rare features under AdaGrad vs GD; frequent steep features at an lr where GD diverges."""
    s = _sparse()
    rare = {k: v[:, 1] for k, v in s.items()}
    se = np.sqrt(rare["gd"].var() / rare["gd"].size + rare["adagrad"].var() / rare["adagrad"].size)
    steep = {}
    for n in ("gd", "adagrad"):
        xs = iterate(n, lambda x: 10.0 * x, np.ones((1, 1)), 200, lr=0.5)
        steep[n] = float(np.abs(xs[-1, 0, 0]))
    caught_up = rare["adagrad"].mean() <= rare["gd"].mean() + 5 * se
    ev = {
        "model": "f = (x1^2 + x2^2)/2, x2's gradient seen with probability 0.05, lr 0.1, "
        "400 steps, 200 seeds",
        "mean |x| after 400 steps, gd (frequent, rare)": [fmt(v, 4) for v in s["gd"].mean(0)],
        "mean |x| after 400 steps, adagrad (frequent, rare)": [
            fmt(v, 4) for v in s["adagrad"].mean(0)
        ],
        "curvature 10, lr 0.5: |x_200| (gd, adagrad)": [
            fmt(steep["gd"], 4),
            fmt(steep["adagrad"], 4),
        ],
    }
    return decide(
        ev,
        holds=bool(caught_up and steep["adagrad"] < 1 < steep["gd"]),
        counterexample={
            "rare feature mean |x| (gd, adagrad)": [
                fmt(rare["gd"].mean(), 4),
                fmt(rare["adagrad"].mean(), 4),
            ]
        },
        correct="AdaGrad's step for a coordinate depends only on that coordinate's "
        "own gradient history, so a rare feature's n-th update equals a "
        "frequent feature's n-th: rare features get larger effective lrs "
        "than frequent ones at the same time but do not catch up (here they "
        "lag GD's at the same lr); frequent large-gradient features are "
        "damped, so AdaGrad does not diverge where GD does.",
        seeds=(46,),
        tolerances={"rare-feature comparison": "5 sigma"},
    )


@functools.cache
def _frequent_rare() -> dict:
    """Steps until each coordinate stays within 1e-3 of x*: gd over an lr grid, adagrad.

    LeastSquares (full batch), N = 20000 rows: feature 1 is nonzero in every row, feature 2
    in 1% of them (both N(0, 1) where present), b = A x* with x* = (1, -2.5), x0 = 0.
    """
    rng = np.random.default_rng(45)
    n = 20000
    a = np.zeros((n, 2))
    a[:, 0] = rng.standard_normal(n)
    rare = rng.random(n) < 0.01
    a[rare, 1] = rng.standard_normal(rare.sum())
    xs = np.array([1.0, -2.5])
    p = simulate.LeastSquares(a, a @ xs)
    lam = np.linalg.eigvalsh(p.hessian)

    def settled(name, lr):
        r = simulate.run(name, p, steps=1000, lr=lr, x0=np.zeros(2), keep_iterates=True)
        out = np.abs(r.iterates[..., 0, :, :] - xs) >= 1e-3  # (lrs, steps + 1, 2)
        last = np.where(out.any(-2), out.shape[-2] - np.argmax(out[..., ::-1, :], axis=-2), 0)
        return np.where(out[..., -1, :], 10**9, last)  # 10^9: not settled in 1000 steps

    lrs = np.linspace(0.05, 1.99 / lam[-1], 40)
    gd = settled("gd", lrs)
    best = int(np.argmin(gd.max(axis=1)))
    ada_lrs = np.array([0.5, 1.0, 2.0])
    return {"curvatures (eigenvalues of H)": lam, "gd lr": float(lrs[best]),
            "gd": gd[best], "adagrad lrs": ada_lrs, "adagrad": settled("adagrad", ada_lrs),
            "distance of the rare coordinate": abs(xs[1])}  # fmt: skip


def _one_lr(claim):
    """One global lr cannot serve a frequent and a rare feature; AdaGrad's per-coordinate lr can."""
    r = _frequent_rare()
    lam_rare, lam_freq = r["curvatures (eigenvalues of H)"]
    # no stable single lr (lr < 2/lam_freq) contracts the rare mode faster than
    # 1 - 2 lam_rare/lam_freq
    floor = float(theory.linearize("gd").spectral_radius(lam=lam_rare, lr=2 / lam_freq))
    bound = int(np.ceil(np.log(1e-3 / r["distance of the rare coordinate"]) / np.log(floor)))
    ada = {fmt(lr, 2): [int(v) for v in row] for lr, row in zip(r["adagrad lrs"], r["adagrad"],
                                                                 strict=True)}  # fmt: skip
    ada_worst = min(max(v) for v in ada.values())
    gd_steps = [int(v) for v in r["gd"]]
    ev = {
        "problem": "LeastSquares, 20000 rows; feature 1 in every row, feature 2 in 1% of them; "
        "x* = (1, -2.5), x0 = 0, full batch",
        "curvatures (frequent, rare)": [fmt(lam_freq, 4), fmt(lam_rare, 4)],
        "gd, best of 40 lrs up to 1.99/lambda_max: lr, steps until |x_i - x*_i| < 1e-3 stays "
        "(frequent, rare)": [fmt(r["gd lr"], 4), gd_steps[0], gd_steps[1]],
        "lower bound for any stable single lr: log(1e-3/2.5)/log(1 - 2 lam_rare/lam_freq)": bound,
        "adagrad, steps (frequent, rare) by lr": ada,
        "not judged": "which application domains (NLP, recommenders) are sparse-data regimes",
    }
    holds = gd_steps[1] >= bound and ada_worst < bound
    return decide(ev, holds=bool(holds), seeds=(45,),
                  tolerances={"settled": "|x_i - x*_i| < 1e-3 from then on (exact recursion, "
                              "no noise)"},
                  counterexample={"steps, rare feature (best single lr, its bound)":
                                  [gd_steps[1], bound],
                                  "adagrad's slowest coordinate, best of lrs 0.5, 1, 2":
                                  ada_worst},
                  correct=f"A feature present in 1% of the rows has curvature "
                          f"{fmt(lam_rare, 3)} against {fmt(lam_freq, 3)}; a single lr is "
                          f"capped by 2/lambda_freq, so the rare feature needs at least "
                          f"{bound} steps, while AdaGrad's per-coordinate lr settles both in "
                          f"{ada_worst}.")  # fmt: skip


@functools.cache
def _ls_limits(seeds: int = 4) -> dict:
    """Over-parameterized least squares (n = 10, d = 30) from 0: where SGD with B = 1, 4 and GD end.

    Also the minibatch gradient's variance at 0 by Monte Carlo (20000 draws) against
    :meth:`~optdyn.simulate.LeastSquares.gradient_covariance`.
    """
    gen = np.random.default_rng(76)
    n, d = 10, 30
    a = gen.standard_normal((n, d)) / np.sqrt(d)
    b = gen.standard_normal(n)
    min_norm = np.linalg.pinv(a) @ b
    out = {}
    for bs in (1, 4, None):
        p = simulate.LeastSquares(a, b, batch_size=bs)
        lr = 1.0 / np.max(np.sum(a**2, axis=1)) if bs else 1.0 / np.linalg.eigvalsh(p.hessian)[-1]
        r = simulate.run("gd", p, steps=1500, seeds=seeds, rng=76, x0=np.zeros(d), lr=lr)
        out[bs] = float(np.linalg.norm(r.x - min_norm, axis=-1).max())
        if bs:
            draws = p.grad(np.zeros((20000, d)), p.sample(gen, 20000)) - p.grad(np.zeros(d))
            sq = np.sum(draws**2, axis=1)
            out[f"variance {bs}"] = (
                float(sq.mean()),
                float(sq.std() / np.sqrt(sq.size)),
                float(np.trace(p.gradient_covariance(np.zeros(d)))),
            )
    return out


def _implicit_reg(claim):
    """Small batch -> noisier gradient (Monte Carlo); noise -> a different solution?"""
    ls = _ls_limits()
    wells = {s: _noisy_wells(s) for s in (0.0, 3.0)}
    var = {bs: ls[f"variance {bs}"] for bs in (1, 4)}
    noisier = all(abs(m - ref) < 5 * se for m, se, ref in var.values()) and (
        var[1][0] > 3 * var[4][0]
    )
    same = max(ls[bs] for bs in (1, 4, None)) < 1e-8
    flat = {s: w["final near flat"] for s, w in wells.items()}
    moved = flat[3.0] - flat[0.0] > 5 * np.sqrt(flat[3.0] * (1 - flat[3.0]) / 200)
    ev = {
        "minibatch gradient variance at 0, B = 1, 4: Monte Carlo (standard error), "
        "gradient_covariance": {str(bs): [fmt(v, 4) for v in t] for bs, t in var.items()},
        "least squares n = 10, d = 30 (over-parameterized), x0 = 0, 1500 steps, 4 seeds: max "
        "|x_T - min-norm solution| (SGD B = 1, SGD B = 4, GD)": [fmt(ls[bs], 3)
                                                                for bs in (1, 4, None)],
        "two-well loss (001:77): final near the flat minimum, sigma = 0 and 3": [
            flat[0.0], flat[3.0]],
    }  # fmt: skip
    return decide(
        ev,
        holds=bool(noisier and moved),
        needs_condition=bool(same),
        missing="a loss with several minima: on least squares (one solution set, iterates in "
        "the row space) every batch size reaches the same minimum-norm solution",
        counterexample={
            "max |x_T - x_min-norm| (SGD B = 1, 4, GD)": [fmt(ls[bs], 3) for bs in (1, 4, None)]
        },
        correct="A smaller batch gives a noisier gradient (variance ~ 1/B); the noise "
        "changes which solution is reached only on a loss with several minima (on the "
        f"two-well loss the runs ending at the flat minimum go from {flat[0.0]} to "
        f"{flat[3.0]} with noise), while on least squares SGD with any batch size and GD "
        "reach the same minimum-norm solution: there the regularization is the "
        "parametrization's, not the noise's.",
        seeds=(76, 77),
        tolerances={
            "variance": "Monte Carlo within 5 standard errors of gradient_covariance",
            "same solution": "1e-8",
            "flat-minimum bias": "5 binomial standard errors (200 runs)",
        },
    )


# -- gradient noise on the loss with a flat and a sharp minimum -------------------------------


@functools.cache
def _noisy_wells(sigma: float, n: int = 200, steps: int = 2000) -> dict:
    """GD (lr 0.05) with additive gradient noise sigma on the two-well loss.

    Returns the fraction of runs started at the sharp (+1) and at the flat (-1) minimum
    that cross the barrier (x = 2/3, where both wells' terms are equal), and the final
    fraction near each minimum of runs started uniformly in [-3, 3]. The three groups
    of ``n`` runs are one batch.
    """
    rng = np.random.default_rng(77)
    noise = rng.standard_normal((steps + 1, 3 * n, 1)) * sigma
    x0 = np.concatenate([np.full(n, 1.0), np.full(n, -1.0), np.linspace(-3, 3, n)])[:, None]
    t = [0]

    def grad(x):
        t[0] += 1
        return _wells_grad(x) + noise[t[0]]

    xs = iterate("gd", grad, x0, steps, lr=0.05)[:, :, 0]
    crossed = ((xs - 2 / 3) * (x0[:, 0] - 2 / 3) < 0).any(0)
    last = xs[-1, 2 * n :]
    return {"escaped from sharp": float(crossed[:n].mean()),
            "escaped from flat": float(crossed[n : 2 * n].mean()),
            "final near sharp": float(np.mean(np.abs(last - 1) < _NEAR["sharp"])),
            "final near flat": float(np.mean(np.abs(last + 1) < _NEAR["flat"]))}  # fmt: skip


#: half-widths of the windows "near sharp" (|x - 1|) and "near flat" (|x + 1|): about two
#: stationary standard deviations of GD (lr 0.05) at sigma = 3 in each well,
#: sqrt(lr sigma^2/(lam (2 - lr lam))) = 0.155 (lam = 25) and 0.480 (lam = 1)
_NEAR = {"sharp": 0.3, "flat": 1.0}


def _well_sd(lam: float, sigma: float = 3.0, lr: float = 0.05) -> float:
    """Stationary standard deviation of GD with gradient noise sigma in a well of curvature lam."""
    return float(np.sqrt(_variance_fn("gd")(lr=lr, lam=lam, s2=sigma**2)))


_WELLS = ("-log(exp(-(x+1)^2/2) + exp(-25(x-1)^2/2)): flat minimum at -1 (curvature 1), "
          "sharp at +1 (curvature 25), equal barriers; GD lr 0.05, 2000 steps, 200 runs, "
          "additive gradient noise sigma (sigma^2 ~ 1/B)")  # fmt: skip


def _noise_sharp(claim):
    """Escapes from the sharp and the flat minimum, and where runs end, by noise level."""
    res = {s: _noisy_wells(s) for s in (0.0, 2.0, 3.0)}
    sd = {"sharp": _well_sd(25.0), "flat": _well_sd(1.0)}
    ev = {"f": _WELLS, **{f"sigma = {s}": r for s, r in res.items()},
          "windows: final near sharp |x - 1| <, near flat |x + 1| <": list(_NEAR.values()),
          "stationary sd of GD at sigma = 3 in the sharp, flat well": [fmt(v, 3)
                                                                       for v in sd.values()],
          "scope": "decided on a 1-D loss with a sharp and a flat minimum"}  # fmt: skip
    windows_ok = all(1.5 * sd[k] < _NEAR[k] < 2.5 * sd[k] for k in _NEAR)

    def se(p):  # binomial standard error of a fraction of 200 runs
        return np.sqrt(p * (1 - p) / 200)

    if claim.stated["which"] == "escape":  # 001:78 (sharp-minimum part)
        sharp, flat = res[2.0]["escaped from sharp"], res[2.0]["escaped from flat"]
        ok = (res[0.0]["escaped from sharp"] == 0 and sharp > 5 * se(sharp)
              and sharp - flat > 5 * np.hypot(se(sharp), se(flat)))  # fmt: skip
        cex = {"escaped from sharp (sigma 0, 2), from flat (sigma 2)":
               [res[0.0]["escaped from sharp"], sharp, flat]}  # fmt: skip
        correct = (
            f"With gradient noise sigma = 2, GD leaves the sharp minimum in "
            f"{fmt(sharp, 3)} of 200 runs and the flat one in {fmt(flat, 3)}; "
            "without noise it leaves neither."
        )
        tol = (
            "noisy escapes from the sharp minimum above 5 binomial standard errors, and "
            "above those from the flat minimum by 5 standard errors of the difference; "
            "without noise the runs are deterministic (exactly 0)"
        )
    else:  # 001:77: large batch (small sigma) ends in the sharp minimum more often
        big, small = res[0.0]["final near sharp"], res[3.0]["final near sharp"]
        ok = big - small > 5 * se(small) and windows_ok
        cex = {"final near sharp (sigma 0, sigma 3)": [big, small]}
        correct = (
            f"Without gradient noise (large batch) GD ends near the sharp minimum from "
            f"{fmt(big, 3)} of 200 uniform starts, with noise sigma = 3 (small batch) "
            f"from {fmt(small, 3)}."
        )
        tol = (
            "sigma = 0 runs are deterministic (a grid of starts); the sigma = 3 fraction "
            "must be lower by 5 binomial standard errors. Windows are about two stationary "
            "standard deviations of each well at sigma = 3 (checked: between 1.5 and 2.5)"
        )
    return decide(
        ev,
        holds=bool(ok),
        counterexample=cex,
        correct=correct,
        seeds=(77,),
        tolerances={"decisions": tol},
    )


# -- robustness of Adam to its learning rate ---------------------------------------------------


@functools.cache
def _lr_range(name: str) -> tuple[int, float, float]:
    """Learning rates (of 41 in [1e-3, 10]) at which ``name`` reduces the loss 1e4-fold."""
    lrs = np.geomspace(1e-3, 10.0, 41)
    r = simulate.run(name, simulate.DiagonalQuadratic([1.0, 100.0]), steps=1000, lr=lrs,
                     x0=np.ones(2))  # fmt: skip
    ok = r.loss[:, 0, -1] < 1e-4 * r.loss[:, 0, 0]
    return int(ok.sum()), float(lrs[ok].min()), float(lrs[ok].max())


def _robust(claim):
    """Range of learning rates that converge on eigenvalues (1, 100): Adam against GD."""
    gd, adam = _lr_range("gd"), _lr_range("adam")
    # GD's loss after 1000 steps in closed form: sum_i lam_i (1 - lr lam_i)^2000 / 2
    lam, lrs = np.array([1.0, 100.0]), np.geomspace(1e-3, 10.0, 41)
    with np.errstate(over="ignore"):
        exact = 0.5 * np.sum(lam * (1 - lrs[:, None] * lam) ** 2000, axis=1)
    gd_exact = int(np.sum(exact < 1e-4 * 0.5 * lam.sum()))
    ev = {
        "eigenvalues": [1.0, 100.0],
        "lr grid": "41 values in [1e-3, 10], 1000 steps",
        "gd: converging lrs (count, min, max)": [gd[0], fmt(gd[1], 3), fmt(gd[2], 3)],
        "gd: converging lrs from its closed form sum lam (1 - lr lam)^2000 / 2": gd_exact,
        "adam: converging lrs (count, min, max)": [adam[0], fmt(adam[1], 3), fmt(adam[2], 3)],
        "not judged": "'SGD can find flatter minima' and 'Adam may converge to sharper "
        "minima' on the source's benchmark surfaces: the surfaces are not given",
    }
    return decide(ev, holds=adam[0] > 2 * gd[0] and gd[0] == gd_exact,
                  tolerances={"converged": "loss reduced 1e4-fold in 1000 steps",
                              "robust": "adam converges at more than twice as many lrs of the "
                              "grid as gd (judgement: a range several times wider)"},
                  counterexample={"converging lrs of 41 (gd simulated, gd closed form, adam)":
                                  [gd[0], gd_exact, adam[0]]},
                  correct=f"On eigenvalues (1, 100) Adam reduces the loss 1e4-fold in 1000 "
                          f"steps for {adam[0]} of 41 lrs in [1e-3, 10], GD for {gd[0]}; which "
                          "minimum each finds on the source's benchmark surfaces is not "
                          "judged.")  # fmt: skip


# -- the rows, in the order of claims.tsv -----------------------------------------------------

_ADAGRAD, _ADAM, _GD = ("adagrad",), ("adam",), ("gd",)

# fmt: off
register((
    # row  expected        symbolic          empirical        methods         stated
    ("44", "holds",        _adagrad_lr,      None,            _ADAGRAD,       None),
    ("45", "holds",        _one_lr,          None,            ("adagrad", "gd"), None),
    ("46", "fails",        None,             _adagrad_sparse, ("adagrad", "gd"), None),
    ("47", "imprecise",    _adagrad_stall,   None,            _ADAGRAD,       None),
    ("50", "imprecise",    _curvature_blind, None,            ("rmsprop",),   _RMSPROP_BLIND),
    ("52", "imprecise",    _curvature_blind, None,            _ADAM,          _ADAM_BLIND),
    ("53", "imprecise",    _adam_momentum,   None,            ("adam", "ema_momentum"), None),
    ("54", "imprecise",    _decoupling,      None,            ("adam_l2",),   None),
    ("55", "imprecise",    _decoupling,      None,            ("adamw",),     None),
    ("60", "holds",        _robust,          None,            ("adam", "gd"), None),
    ("72", "holds",        _sam_flat,        None,            ("sam", "gd"),  None),
    ("75", "imprecise",    None,             _schedule,       _GD,            None),
    ("76", "imprecise",    _implicit_reg,    None,            _GD,            None),
    ("77", "holds",        _noise_sharp,     None,            _GD,            {"which": "sharper"}),
    ("78", "holds",        _noise_sharp,     _saddle_escape,  _GD,            {"which": "escape"}),
    ("80", "imprecise",    _batch_scaling,   None,            _GD,            _LINEAR),
    ("81", "imprecise",    _batch_scaling,   None,            _GD,            _LINEAR),
    ("82", "imprecise",    _batch_scaling,   None,            _ADAM,          _SQRT),
    ("83", "holds",        _noise_scale,     None,            _GD,            None),
    ("84", "imprecise",    _curvature_blind, None,            ("adam", "rmsprop", "heavy_ball"),
     _MOMENTUM_BLIND),
))
# fmt: on
