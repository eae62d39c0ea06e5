"""Source 001, rows about the linear dynamics of GD, heavy ball and Nesterov.

The slides' momentum ``v <- alpha v - eta g, theta <- theta + v`` is optdyn's
``heavy_ball`` (lr eta, momentum alpha) and their Nesterov rule (gradient at
``theta + alpha v``) is optdyn's ``nesterov``. Modes are decided with the linearized
systems of :mod:`optdyn.theory`; worked examples (the slides' 2-D function of Murphy's
figure, the 1-D quartic) are run with the registered methods'
own steps through :func:`~optdyn.proofs.errata.s001.iterate`.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ... import simulate, theory
from ..theorems import stability
from .s001 import decide, fmt, iterate, register


def _radius(name: str, lam, **hyper) -> np.ndarray:
    return np.asarray(theory.linearize(name).spectral_radius(lam=lam, **hyper), dtype=float)


def _sign_changes(x: np.ndarray) -> int:
    s = np.sign(x[np.abs(x) > 0])
    return int(np.sum(s[1:] != s[:-1]))


# -- GD on an ill-conditioned quadratic ------------------------------------------------------


@functools.cache
def _gd_bowl(lr: float, eigs=(1.0, 100.0), steps: int = 100) -> np.ndarray:
    r = simulate.run("gd", simulate.DiagonalQuadratic(list(eigs)), steps=steps, lr=lr,
                     x0=np.ones(len(eigs)), keep_iterates=True)  # fmt: skip
    return r.iterates[0]


def _ill_conditioned(claim):
    """Oscillation and slowness of GD on eigenvalues (1, 100) at lr above and below 1/L."""
    mu, L = 1.0, 100.0
    opt = theory.optimal("gd", mu=mu, L=L)
    lr_hi, lr_lo = float(opt.hyper["lr"]), 0.9 / L
    zz_hi = _sign_changes(_gd_bowl(lr_hi)[:, 1])
    zz_lo = _sign_changes(_gd_bowl(lr_lo)[:, 1])
    slow = [float(_radius("gd", mu, lr=lr)) for lr in (lr_hi, lr_lo)]
    long_axis = float(abs(_gd_bowl(lr_hi)[-1, 0]))
    ev = {
        "eigenvalues": [mu, L],
        "optimal lr 2/(mu+L)": lr_hi,
        "optimal rate": float(opt.rate),
        "sign changes of the steep coordinate in 100 steps (lr = 2/(mu+L), 0.9/L)": [zz_hi, zz_lo],
        "rate of the long axis (lr = 2/(mu+L), 0.9/L)": slow,
        "long-axis coordinate after 100 steps at the optimal lr (from 1)": long_axis,
    }
    return decide(ev, holds=zz_hi > 50 and min(slow) > 0.95 and long_axis > 0.1,
                  needs_condition=zz_lo == 0,
                  missing="lr > 1/lambda_max (below it GD converges monotonically, slowly, "
                          "without zig-zag)",
                  correct="On an ill-conditioned quadratic GD converges slowly along the "
                          "flat directions for every stable lr (rate >= 1 - 2/kappa); it "
                          "oscillates (zig-zags) across the steep direction only when "
                          "lr > 1/lambda_max.",
                  counterexample={"lr": lr_lo, "sign changes": zz_lo,
                                  "long-axis rate": fmt(slow[1])})  # fmt: skip


def _scenario_a(claim):
    """Loss oscillation: full-batch GD with lr too large, noisy GD near the edge, heavy ball."""
    eigs = [1.0, 100.0]
    p = simulate.DiagonalQuadratic(eigs)
    r = simulate.run("gd", p, steps=200, lr=0.0205, x0=np.ones(2))
    gd_loss = r.loss[0]
    gd_turns = _sign_changes(np.diff(gd_loss))
    # minibatch-like gradient noise, lr just below the edge 2/lambda_max
    nz = simulate.run("gd", p, steps=400, lr=0.0199, x0=np.ones(2), seeds=1, rng=25,
                      noise=simulate.AdditiveNoise(sigma=1.0))  # fmt: skip
    tail = nz.loss[0, 200:]
    nz_turns = _sign_changes(np.diff(tail))
    trend = float(np.polyfit(np.arange(tail.size), np.log(tail), 1)[0] * tail.size)
    hb = simulate.run("heavy_ball", simulate.DiagonalQuadratic([1.0]), steps=200, lr=1.0,
                      momentum=0.999, x0=np.ones(1))  # fmt: skip
    hb_turns = _sign_changes(np.diff(hb.loss[0]))
    ev = {
        "full-batch GD, eigenvalues (1, 100), lr 0.0205 > 2/100: direction changes of the "
        "loss in 200 steps": gd_turns,
        "full-batch GD loss at steps 0, 100, 200": [fmt(v, 4) for v in gd_loss[[0, 100, 200]]],
        "GD with gradient noise sigma 1, lr 0.0199: direction changes over steps 200..400":
        nz_turns,
        "noisy GD: max/min loss over steps 200..400, fitted log-loss change over them":
        [fmt(tail.max() / tail.min(), 4), fmt(trend, 3)],
        "heavy ball, kappa = 1, lr 1, momentum 0.999: direction changes in 200 steps": hb_turns,
        "GD on a quadratic": "f_t = sum_i c_i (1 - lr lam_i)^(2t): a sum of n nonnegative "
        "exponentials changes direction at most n - 1 times",
    }  # fmt: skip
    return decide(ev, holds=nz_turns > 50 and tail.max() / tail.min() > 10 and trend > -1,
                  needs_condition=gd_turns <= len(eigs) - 1,
                  missing="gradient noise (minibatches) with lr just below the edge "
                          "2/lambda_max; full-batch GD with too large an lr makes the loss grow "
                          "without oscillating",
                  counterexample={"full-batch GD, eigenvalues (1, 100), lr 0.0205":
                                  f"loss changes direction {gd_turns} times (grows)"},
                  correct="With minibatch gradient noise, an lr close to 2/lambda_max (too "
                          "large for the steep directions of an ill-conditioned problem) makes "
                          "the loss fluctuate wildly without decreasing; without noise, GD's "
                          "loss on a quadratic is a sum of n decaying or growing exponentials "
                          "and never oscillates (above 2/lambda_max it grows). An oscillating "
                          "loss can also come from momentum near its edge, even at kappa = 1.",
                  seeds=(25,))  # fmt: skip


def _threshold_and_optimum(claim):
    """GD's curvature threshold 2/lr (catalogue check) and where the optimal lr lies."""
    c = stability._threshold_symbolic(claim)
    lr = sp.nsimplify(theory.optimal("gd", mu=1, L=100).hyper["lr"])
    return decide({**c.evidence, "optimal lr on [1, 100]": str(lr), "2/lambda_max": "1/50"},
                  holds=c.ok and bool(lr < sp.Rational(1, 50)),
                  counterexample=c.counterexample or {"optimal lr on [1, 100]": str(lr)},
                  correct=f"GD is stable iff lam < {c.evidence['derived threshold']}, and the "
                          "optimal lr on [mu, L], 2/(mu + L), lies below 2/L.",
                  derivation=c.derivation, tolerances=c.tolerances)  # fmt: skip


def _threshold_empirical(claim, sym):
    """The catalogue's simulation around GD's threshold 2/lr."""
    c = stability._threshold_empirical(claim, sym)
    return decide(c.evidence, holds=c.ok,
                  counterexample=c.counterexample or dict(c.evidence),
                  correct="GD is stable iff lam < 2/lr (see the symbolic side)", seeds=c.seeds,
                  tolerances=c.tolerances)  # fmt: skip


# -- momentum against GD ---------------------------------------------------------------------


def _steep_damping(claim):
    """Per-step contraction of a steep mode (lr lam in (1, 2)): heavy ball vs GD, same lr."""
    a = float(claim.stated["momentum"])
    h = np.linspace(1.05, 1.995, 190)
    gd = _radius("gd", h, lr=1.0)
    hb = _radius("heavy_ball", h, lr=1.0, momentum=a)
    better = hb < gd
    edge = float(h[better].min()) if better.any() else None
    # empirical: amplitude after 40 steps from x0 = 1 at two curvatures
    amp = {}
    for hv in (1.5, 1.99):
        for name, hyper in (("gd", {}), ("heavy_ball", {"momentum": a})):
            r = simulate.run(name, simulate.DiagonalQuadratic([hv]), steps=40, lr=1.0,
                             x0=np.ones(1), keep_iterates=True, **hyper)  # fmt: skip
            amp[f"{name}, lr lam = {hv}"] = fmt(np.abs(r.iterates[0, -10:, 0]).max(), 4)
    ev = {
        "momentum": a,
        "lr lam where heavy ball contracts faster than GD": f">= {edge}",
        "1 + sqrt(momentum)": 1 + np.sqrt(a),
        "max |x| over steps 31..40 from x0 = 1": amp,
    }
    return decide(ev, holds=bool(better.any()) and abs(edge - (1 + np.sqrt(a))) < 0.01,
                  needs_condition=not better.all(),
                  missing="lr lambda > 1 + sqrt(momentum) (GD already near its edge)",
                  correct="At the same lr, momentum contracts a steep oscillating mode by "
                          "sqrt(momentum) per step (complex eigenvalues); this beats GD's "
                          "|1 - lr lambda| only when lr lambda > 1 + sqrt(momentum). Momentum "
                          "damps steep oscillation relative to GD only near GD's edge.",
                  counterexample={"lr lam": 1.5, "GD factor": fmt(_radius("gd", 1.5, lr=1.0)),
                                  "heavy ball factor": fmt(_radius("heavy_ball", 1.5, lr=1.0,
                                                                   momentum=a))})  # fmt: skip


def _iters(rate: float) -> int:
    return theory.iterations_to(1e-6, float(rate))


def _momentum_speedup(claim):
    """Rates on [1, kappa]: GD tuned, heavy ball tuned, heavy ball at momentum 0.9 (lr tuned)."""
    ev, ok_big, small_loses = {}, True, False
    for kappa in claim.stated["kappa"]:
        gd = float(theory.optimal("gd", mu=1, L=kappa).rate)
        hb = float(theory.optimal("heavy_ball", mu=1, L=kappa, closed_form=False).rate)
        hb9 = float(theory.optimal("heavy_ball", mu=1, L=kappa, tune=("lr",), momentum=0.9).rate)
        ev[f"kappa={kappa}: iterations to 1e-6 (GD, HB tuned, HB momentum 0.9)"] = \
            [_iters(gd), _iters(hb), _iters(hb9)]  # fmt: skip
        if kappa >= 100:
            ok_big &= _iters(hb) * 5 < _iters(gd) and hb9 < gd
        else:
            small_loses |= hb9 > gd
    tuned = theory.optimal("heavy_ball", mu=1, L=100, closed_form=False).hyper
    r = simulate.run("heavy_ball", simulate.DiagonalQuadratic([1.0, 100.0]), steps=300,
                     x0=np.ones(2), **tuned)  # fmt: skip
    g = simulate.run("gd", simulate.DiagonalQuadratic([1.0, 100.0]), steps=300, x0=np.ones(2),
                     **theory.optimal("gd", mu=1, L=100).hyper)  # fmt: skip
    ev["simulated loss after 300 steps, kappa 100 (GD, HB tuned)"] = \
        [fmt(g.loss[0, -1], 3), fmt(r.loss[0, -1], 3)]  # fmt: skip
    ok_big &= r.loss[0, -1] < 1e-6 * g.loss[0, -1]
    return decide(ev, holds=ok_big, needs_condition=small_loses,
                  missing="momentum tuned to the conditioning (a fixed momentum 0.9 has rate "
                          ">= sqrt(0.9) and loses to tuned GD on mildly elongated bowls)",
                  correct="With momentum tuned to kappa (momentum = ((sqrt kappa - 1)/"
                          "(sqrt kappa + 1))^2) heavy ball needs O(sqrt kappa) iterations "
                          "against GD's O(kappa); a fixed momentum 0.9 is faster than tuned GD "
                          "only for large enough kappa (here not at kappa = 10).",
                  counterexample={"kappa": 10, "iterations (GD, HB momentum 0.9)":
                                  ev["kappa=10: iterations to 1e-6 (GD, HB tuned, HB momentum "
                                     "0.9)"][::2]})  # fmt: skip


def _momentum_still_kappa(claim):
    """Tuned heavy ball's iterations still grow with kappa (as sqrt kappa)."""
    its = {
        k: _iters(theory.optimal("heavy_ball", mu=1, L=k, closed_form=False).rate)
        for k in (100, 10000)
    }
    ratio = its[10000] / its[100]
    return decide({"iterations to 1e-6, tuned heavy ball, kappa 100 and 10^4": list(its.values()),
                   "ratio (sqrt(100) = 10 expected for O(sqrt kappa))": ratio},
                  holds=ratio > 5,
                  tolerances={"grows": "ratio > 5 (sqrt of the kappa ratio is 10; a kappa-"
                              "independent count would give 1)"},
                  counterexample={"iterations, kappa 100 and 10^4": list(its.values())},
                  correct=f"Tuned heavy ball needs {its[100]} iterations to 1e-6 at kappa 100 "
                          f"and {its[10000]} at kappa 10^4: a factor {fmt(ratio, 3)}, the "
                          "sqrt(kappa) growth.")  # fmt: skip


def _nesterov_form(claim):
    """The slides' rule v <- a v - lr grad(theta + a v), theta <- theta + v vs optdyn's nesterov."""
    ls = theory.linearize("nesterov")
    lam, lr, a, z = ls.symbols["lam"], ls.symbols["lr"], ls.symbols["momentum"], ls.z
    M = sp.Matrix([[1 - lr * lam, a - a * lr * lam], [-lr * lam, a - a * lr * lam]])  # (theta, v)
    p_slides = sp.expand((z * sp.eye(2) - M).det())
    p_od = sp.expand(ls.charpoly.as_expr())
    return decide({"charpoly of the slides' rule": str(p_slides), "optdyn nesterov": str(p_od)},
                  holds=sp.simplify(p_slides - p_od) == 0,
                  counterexample={"charpoly difference": str(sp.simplify(p_slides - p_od))},
                  correct="The slides' look-ahead rule and optdyn's nesterov have the "
                          f"characteristic polynomials {p_slides} and {p_od}.")  # fmt: skip


@functools.cache
def _worst_convex(steps: int = 1000) -> dict:
    """max over lam in (0, 1] of f(x_t) = lam x_t^2 / 2 from x0 = 1, lr = 1 (L = 1)."""
    lam = np.geomspace(1e-6, 1.0, 1500)
    runs = {
        "gd": ("gd", {}),
        "nesterov_const": ("nesterov", {"momentum": 0.9}),
        "nesterov_schedule": ("nesterov", {"schedule": {"momentum": lambda t: (t - 1) / (t + 2)}}),
    }
    out = {}
    for label, (name, kw) in runs.items():
        x = simulate.trace(name, lambda q, t: lam * q, np.ones_like(lam), steps, lr=1.0, **kw)["x"]
        out[label] = np.max(0.5 * lam * x**2, axis=-1)
    return out


def _nesterov_rate(claim):
    """Worst case over convex quadratics, L = 1: GD, Nesterov at 0.9 and at (t-1)/(t+2)."""
    w = _worst_convex()
    drop = {k: v[1000] / v[100] for k, v in w.items()}
    ev = {"worst f(x_t) at t = 100, 1000 (" + k + ")": [fmt(v[100], 4), fmt(v[1000], 4)]
          for k, v in w.items()}  # fmt: skip
    ev.update(
        {
            "ratio t=1000 / t=100: O(1/t) gives 0.1, O(1/t^2) 0.01": {
                k: fmt(v, 3) for k, v in drop.items()
            },
            "form": "y = x_t + a_t (x_t - x_{t-1}), x_{t+1} = y - lr grad(y), lr = 1/L",
        }
    )
    return decide(ev, holds=drop["nesterov_schedule"] < 0.02 and drop["gd"] > 0.05,
                  needs_condition=drop["nesterov_const"] > 0.05,
                  missing="the momentum schedule a_t = (t-1)/(t+2) -> 1 (with a constant "
                          "momentum, as in the slides' rule, Nesterov is O(1/t) like GD)",
                  correct="Nesterov's method with momentum a_t = (t-1)/(t+2) reaches "
                          "f(x_t) - f* = O(L||x0 - x*||^2/t^2) on L-smooth convex functions, "
                          "against O(1/t) for GD; with a constant momentum its worst case is "
                          "O(1/t) (shown here on quadratics).",
                  counterexample={"constant momentum 0.9, worst-case ratio t=1000/t=100":
                                  fmt(drop["nesterov_const"], 3)})  # fmt: skip


def _overshoot(claim):
    """First undershoot below 0 from x0 = 1, v0 = 0: heavy ball vs Nesterov, same lr, momentum."""
    a = float(claim.stated["momentum"])
    h = np.array(claim.stated["lr_lam"])

    def grad(x):
        return h[:, None] * x

    out = {}
    for name in ("heavy_ball", "nesterov"):
        xs = iterate(name, grad, np.ones((h.size, 1)), 300, lr=1.0, momentum=a)[:, :, 0]
        out[name] = np.where(np.isfinite(xs).all(0) & (np.abs(xs[-1]) < 1e3),
                             np.maximum(-xs.min(0), 0), np.inf)  # fmt: skip
    less = out["nesterov"] <= out["heavy_ball"]
    ev = {
        "momentum": a,
        "lr lam": h.tolist(),
        "overshoot heavy ball": [fmt(v, 3) for v in out["heavy_ball"]],
        "overshoot nesterov (inf: diverged)": [fmt(v, 3) for v in out["nesterov"]],
        "nesterov's edge 2(1+a)/(1+2a)": 2 * (1 + a) / (1 + 2 * a),
    }
    k = int(np.argmin(less)) if not less.all() else int(np.argmax(h))  # the first refuting lr
    return decide(ev, holds=bool(less[h < 1].all()), needs_condition=not less.all(),
                  missing="lr lambda <= 1 (below Nesterov's edge 2(1+a)/(1+2a) < 2(1+a))",
                  correct="For lr lambda <= 1 Nesterov overshoots less than heavy ball at the "
                          "same lr and momentum (radius sqrt(a(1 - lr lambda)) < sqrt a); for "
                          "steep modes it overshoots more and diverges from lr lambda > "
                          "2(1+a)/(1+2a), where heavy ball is still stable up to 2(1+a).",
                  counterexample={"lr lam": float(h[k]),
                                  "overshoot heavy ball": fmt(out["heavy_ball"][k], 3),
                                  "overshoot nesterov": fmt(out["nesterov"][k], 3)})  # fmt: skip


def _per_parameter(claim):
    """Best diagonal preconditioner: axis-aligned H (kappa -> 1) vs rotated H (kappa unchanged)."""
    out = {}
    for label, H in (
        ("diag(1, 100)", np.diag([1.0, 100.0])),
        ("[[1, 0.99], [0.99, 1]]", np.array([[1.0, 0.99], [0.99, 1.0]])),
    ):
        d = np.geomspace(1e-3, 1e3, 4001)
        best = np.inf
        for di in d:
            s = np.sqrt(np.array([1.0, di]))
            w = np.linalg.eigvalsh(H * np.outer(s, s))
            best = min(best, w[-1] / w[0])
        w = np.linalg.eigvalsh(H)
        out[label] = (w[-1] / w[0], best)
    rot = out["[[1, 0.99], [0.99, 1]]"]
    ev = {f"{k}: kappa, best kappa over per-parameter lrs": [fmt(v[0], 4), fmt(v[1], 4)]
          for k, v in out.items()}  # fmt: skip
    return decide(ev, holds=out["diag(1, 100)"][1] < 1.01, needs_condition=rot[1] > 100,
                  missing="the Hessian's eigenvectors are aligned with the parameter axes",
                  correct="Per-parameter learning rates remove the compromise when the "
                          "curvature directions are the parameter axes (diagonal H); for a "
                          f"rotated H no per-parameter scaling helps (here kappa stays "
                          f"{fmt(rot[1], 4)}).",
                  counterexample={"H": "[[1, 0.99], [0.99, 1]]",
                                  "best kappa with per-parameter lrs": fmt(rot[1], 4)})  # fmt: skip


# -- saddles ---------------------------------------------------------------------------------


@functools.cache
def _saddle(seeds: int = 200, sigma: float = 1e-3, steps: int = 600) -> dict:
    """Escape times of GD from f = (x^2 - 0.5 y^2)/2 near the saddle, with and without noise."""
    lam = np.array([1.0, -0.5])
    rng = np.random.default_rng(8)
    noise = rng.standard_normal((steps + 1, seeds, 2)) * sigma
    out = {}
    for label, s, y0 in (
        ("no noise, y0 = 1e-6", 0.0, 1e-6),
        ("no noise, y0 = 0", 0.0, 0.0),
        (f"noise sigma = {sigma}, y0 = 1e-6", 1.0, 1e-6),
    ):
        t = [0]

        def grad(x, s=s, t=t):
            t[0] += 1
            return lam * x + s * noise[min(t[0], steps)]

        xs = iterate("gd", grad, np.tile([1.0, y0], (seeds, 1)), steps, lr=0.1)
        esc = np.abs(xs[:, :, 1]) > 1.0
        first = np.where(esc.any(0), esc.argmax(0), steps + 1)
        gnorm = np.linalg.norm(lam * xs[50], axis=-1).mean()
        out[label] = (first, gnorm)
    return out


def _saddle_escape(claim, _symbolic=None):
    """Escape from a quadratic saddle: slow without noise, never from y0 = 0, faster with noise."""
    out = _saddle()
    (a, g0), (b, _), (c, _) = out.values()
    se = np.sqrt(a.var() / a.size + c.var() / c.size)
    ev = {f"mean steps until |y| > 1 ({k}; {600 + 1} = never)": fmt(v[0].mean(), 4)
          for k, v in out.items()}  # fmt: skip
    ev["|grad| at step 50 without noise"] = fmt(g0, 3)
    ev["f"] = "(x^2 - 0.5 y^2)/2, GD lr 0.1 from (1, y0), 200 seeds"
    ev["scope"] = "holds on the quadratic saddle"
    return decide(
        ev,
        holds=bool(a.mean() > 100 and (b > 600).all() and c.mean() + 5 * se < a.mean()),
        counterexample={
            "mean steps to escape (no noise y0 = 1e-6, y0 = 0, noise)": [
                fmt(a.mean(), 4),
                fmt(b.mean(), 4),
                fmt(c.mean(), 4),
            ]
        },
        correct=f"From (1, 1e-6) GD escapes the quadratic saddle in {fmt(a.mean(), 4)} steps "
        f"on average, never from y0 = 0, and in {fmt(c.mean(), 4)} with gradient noise "
        "1e-3.",
        seeds=(8,),
        tolerances={"noise speeds escape": "5 sigma (standard error of the means)"},
    )


# -- worked examples: Murphy's 2-D function and the 1-D quartic ------------------------------


def _murphy_grad(x):
    x1, x2 = x[..., 0], x[..., 1]
    return np.stack([2 * x1 * (x1**2 - x2) + (x1 - 1), -(x1**2 - x2)], axis=-1)


@functools.cache
def _murphy(lr: float, steps: int) -> np.ndarray:
    return iterate("gd", _murphy_grad, np.zeros((1, 2)), steps, lr=lr)[:, 0]


def _murphy_check(claim):
    """GD on f = (x1^2 - x2)^2/2 + (x1 - 1)^2/2 from (0, 0): 20 steps and 2000 steps."""
    ev = {}
    dist = {}
    for lr in (0.1, 0.6):
        xs = _murphy(lr, 2000)
        d = np.linalg.norm(xs - 1.0, axis=1)
        dist[lr] = d
        ev[f"lr {lr}: x_20"] = [fmt(v, 4) for v in xs[20]]
        ev[f"lr {lr}: |x_t - (1,1)| at t = 20, 2000"] = [fmt(d[20], 3), fmt(d[2000], 3)]
        ev[f"lr {lr}: max |x_t| over 2000 steps"] = fmt(np.abs(xs).max(), 4)
    slow = dist[0.1][20] > 0.5 and dist[0.1][2000] < 1e-6
    osc = dist[0.6][1000:].min() > 0.05
    bounded = np.abs(_murphy(0.6, 2000)).max() < 10
    x1, x2 = sp.symbols("x1 x2")
    f = (x1**2 - x2) ** 2 / 2 + (x1 - 1) ** 2 / 2
    hess = np.array(sp.hessian(f, (x1, x2)).subs({x1: 1, x2: 1}), dtype=float)
    top = float(np.linalg.eigvalsh(hess)[-1])
    ev["Hessian eigenvalues at the minimum (1,1)"] = [fmt(v) for v in np.linalg.eigvalsh(hess)]
    if claim.stated["diverges"]:  # 001:01 states divergence at 0.6
        return decide(ev, holds=slow and osc and not bounded,
                      counterexample={"lr": 0.6, "max |x_t| over 2000 steps":
                                      ev["lr 0.6: max |x_t| over 2000 steps"]},
                      correct=f"From (0, 0), GD with lr 0.1 converges slowly (still "
                              f"{fmt(dist[0.1][20], 2)} from the minimum after 20 steps); with lr "
                              f"0.6 (> 2/lambda_max = {fmt(2 / top, 2)} at the minimum) it "
                              "oscillates without converging but stays bounded: it does not "
                              "diverge.")  # fmt: skip
    return decide(ev, holds=slow and osc,
                  counterexample={"lr 0.1: distance at t = 20, 2000": [fmt(dist[0.1][20], 3),
                                                                      fmt(dist[0.1][2000], 3)],
                                  "lr 0.6: min distance over t >= 1000":
                                  fmt(dist[0.6][1000:].min(), 3)},
                  correct=f"From (0, 0), GD with lr 0.1 is {fmt(dist[0.1][20], 2)} from the "
                          f"minimum after 20 steps and {fmt(dist[0.1][2000], 2)} after 2000; "
                          f"with lr 0.6 it stays at least {fmt(dist[0.6][1000:].min(), 2)} "
                          "away after 1000 steps.")  # fmt: skip


def _quartic_grad(x):
    return 4 * x**3 - 4 * x + 0.5


# critical points of the quartic: roots of f'(x) = 4x^3 - 4x + 1/2 (minimum, maximum, minimum)
_CRIT = np.sort(np.roots([4.0, 0.0, -4.0, 0.5]).real)
_MINIMA = _CRIT[[0, 2]]
_MAXIMUM = _CRIT[1]


@functools.cache
def _quartic_runs(name: str, steps: int = 3000, **hyper) -> tuple[np.ndarray, np.ndarray]:
    """GD or momentum on f = x^4 - 2x^2 + x/2 over a grid of lrs (rows) and starts (columns)."""
    lrs = np.array([0.001, 0.01, 0.05, 0.1, 0.14, 0.2, 0.3, 0.5])
    x0 = np.linspace(-2.0, 2.0, 81)
    grid = np.broadcast_to(x0, (lrs.size, x0.size))[..., None].copy()
    lr = lrs[:, None, None]
    xs = iterate(name, _quartic_grad, grid, steps, lr=lr, **hyper)[..., 0]
    return lrs, xs


def _outcome(xs: np.ndarray) -> np.ndarray:
    """0, 1: converged to the left/right minimum; 2: bounded, not converged; 3: diverged."""
    last = xs[-1]
    out = np.full(last.shape, 2)
    div = ~np.isfinite(xs).all(0) | (np.abs(np.nan_to_num(xs, nan=1e9)).max(0) > 1e6)
    for i, m in enumerate(_MINIMA):
        out[(np.abs(xs[-50:] - m).max(0) < 1e-6) & ~div] = i
    out[div] = 3
    return out


def _quartic_check(claim):
    lrs, xs = _quartic_runs("gd")
    out = _outcome(xs)
    x0 = np.linspace(-2.0, 2.0, 81)
    kinds = {float(lr): sorted({int(v) for v in row}) for lr, row in zip(lrs, out, strict=True)}
    names = {0: "left min", 1: "right min", 2: "bounded, not converged", 3: "diverged"}
    ev = {f"lr {k}: outcomes over 81 starts in [-2, 2]": [names[v] for v in s]
          for k, s in kinds.items()}  # fmt: skip
    which = claim.stated["which"]
    three = any(2 in s for s in kinds.values()) and any(3 in s for s in kinds.values())
    if which == "regimes":  # 001:41
        return decide(
            ev,
            holds=three and any(0 in s or 1 in s for s in kinds.values()),
            counterexample={
                "outcomes met over the lr grid": sorted(
                    {names[v] for s in kinds.values() for v in s}
                )
            },
            correct="On x^4 - 2x^2 + x/2 the lrs of the grid give "
            + "; ".join(f"lr {k}: {', '.join(names[v] for v in s)}" for k, s in kinds.items()),
        )
    if which == "minima":  # 001:31: one start, different lrs, different minima
        col = np.array([len({int(v) for v in out[:, j]} & {0, 1}) == 2 for j in range(81)])
        ev["starts reaching both minima depending on lr"] = [fmt(v, 3) for v in x0[col]][:8]
        return decide(
            ev,
            holds=bool(col.any()),
            counterexample={"starts reaching both minima depending on lr": int(col.sum())},
            correct=f"On x^4 - 2x^2 + x/2, {int(col.sum())} of 81 starts in [-2, 2] "
            "reach the left or the right minimum depending on the lr.",
        )
    # 001:39: small lr -> the nearest minimum?
    small = out[1]  # lr 0.01 (lr 0.001 has not converged everywhere in 3000 steps)
    nearest = np.argmin(np.abs(x0[:, None] - _MINIMA[None, :]), axis=1)
    basin = (x0 > _MAXIMUM).astype(int)
    wrong = small != nearest
    ev["lr 0.01: starts ending at a minimum other than the nearest"] = \
        [fmt(v, 3) for v in x0[wrong]]  # fmt: skip
    return decide(
        ev,
        holds=bool(np.all(small == basin)) and three,
        needs_condition=bool(wrong.any()),
        missing="the start lies in the basin of the nearest minimum",
        correct="Too large an lr diverges or oscillates without converging; a small "
        "lr converges to the minimum of the basin of attraction containing "
        "the start (bounded by the local maxima), not necessarily the "
        "nearest one.",
        counterexample={
            "f": "x^4 - 2x^2 + x/2",
            "x0": fmt(x0[wrong][0], 3),
            "lr": 0.01,
            "reached": fmt(_MINIMA[small[wrong][0]], 4),
            "nearest minimum": fmt(_MINIMA[nearest[wrong][0]], 4),
        },
    )


def _momentum_escape(claim):
    """Final minimum of GD and heavy ball (momentum 0.9) from the same starts and lr."""
    a = float(claim.stated["momentum"])
    _, gd = _quartic_runs("gd")
    _, hb = _quartic_runs("heavy_ball", momentum=a)
    go, ho = _outcome(gd)[:2], _outcome(hb)[:2]  # lrs 0.001, 0.01
    fval = _MINIMA**4 - 2 * _MINIMA**2 + _MINIMA / 2
    best, worse = int(np.argmin(fval)), int(np.argmax(fval))
    helped = (go == worse) & (ho == best)  # GD trapped in the worse minimum, momentum in the best
    hurt = (go == best) & (ho == worse)
    x0 = np.linspace(-2.0, 2.0, 81)
    ev = {
        "f": "x^4 - 2x^2 + x/2",
        "minima (f values)": {fmt(m, 4): fmt(m**4 - 2 * m**2 + m / 2, 4) for m in _MINIMA},
        "lrs": [0.001, 0.01],
        "momentum": a,
        "starts where momentum escapes the local trap": int(helped.sum()),
        "starts where momentum leaves the global basin for the local one": int(hurt.sum()),
    }
    j = np.argwhere(hurt)
    return decide(ev, holds=bool(helped.any()), needs_condition=bool(hurt.any()),
                  missing="the start lies in the worse basin (momentum also carries iterates "
                          "out of the better basin)",
                  correct="Momentum can carry the iterate over a barrier: out of a poor local "
                          "minimum's basin, but just as well out of the global minimum's basin "
                          "into a worse one; which happens depends on the start, lr and "
                          "momentum.",
                  counterexample={"starts where momentum escapes / is carried out of the "
                                  "global basin": [int(helped.sum()), int(hurt.sum())]}
                  if not j.size else
                  {"x0": fmt(x0[j[0][1]], 3), "lr": [0.001, 0.01][j[0][0]],
                   "GD ends at": fmt(_MINIMA[best], 4),
                   "heavy ball ends at": fmt(_MINIMA[worse], 4)})  # fmt: skip


# -- the rows, in the order of claims.tsv -----------------------------------------------------

_GD, _HB_GD = ("gd",), ("heavy_ball", "gd")

# fmt: off
register((
    # row  expected     symbolic                empirical             methods stated
    ("01", "fails",     _murphy_check,          None,                 _GD,    {"diverges": True}),
    ("08", "holds",     None,                   _saddle_escape,       _GD,    None),
    ("24", "imprecise", _ill_conditioned,       None,                 (),     None),
    ("25", "imprecise", _scenario_a,            None,                 (),     None),
    ("27", "imprecise", _ill_conditioned,       None,                 (),     None),
    ("28", "holds",     _threshold_and_optimum, _threshold_empirical, _GD,    {"threshold": "2/lr"},
     {"relation": "iff"}),
    ("30", "imprecise", _steep_damping,         None,                 _HB_GD, {"momentum": 0.9}),
    ("31", "holds",     _quartic_check,         None,                 _GD,    {"which": "minima"}),
    ("32", "imprecise", _momentum_escape,       None,                 _HB_GD, {"momentum": 0.9}),
    ("34", "imprecise", _momentum_speedup,      None,                 _HB_GD, {"kappa": [10, 100]}),
    ("35", "holds",     _nesterov_form,         None,                 ("nesterov",), None),
    ("36", "imprecise", _nesterov_rate,         None,                 ("nesterov", "gd"), None),
    ("37", "imprecise", _overshoot,             None,                 ("heavy_ball", "nesterov"),
     {"momentum": 0.9, "lr_lam": [0.05, 0.3, 0.7, 1.2, 1.5, 2.5]}),
    ("39", "imprecise", _quartic_check,         None,                 _GD,    {"which": "nearest"}),
    ("40", "holds",     _murphy_check,          None,                 _GD,    {"diverges": False}),
    ("41", "holds",     _quartic_check,         None,                 _GD,    {"which": "regimes"}),
    ("42", "imprecise", _per_parameter,         None,                 (),     None),
    ("43", "holds",     _momentum_still_kappa,  None,                 ("heavy_ball",), None),
))
# fmt: on
