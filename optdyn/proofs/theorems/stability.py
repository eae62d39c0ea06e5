r"""Stability: the exact region, the edge-of-stability curvature, and how a mode leaves.

For adaptive methods ``P`` denotes the frozen preconditioner :math:`\sqrt v + \epsilon`.
The stated regions are read together with the hyperparameter domains (e.g.
``momentum >= 0``, ``lr > 0``) and a curvature ``lam > 0``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..core import Check, Claim, register
from ..experiments import exact_points, mode_run, sample_points, system
from ._common import CATALOGUE, FROZEN, at, fmt, numeric, parse, tex, truth

STEPS = 4000
# a run has converged when |x_T| < 1e-3 |x_0|, diverged when |x_t| > 1e2 |x_0| at some t (or
# flagged). The maximum, not the final value, decides divergence: in a frozen-preconditioner
# run a diverging mode grows until its gradients move the (slowly decaying) statistics.
CONVERGED, DIVERGED = 1e-3, 1e2
# runs start at |x_0| = X0: small, so that a growing mode's gradients leave frozen statistics
# where they are (the dynamics of the linear and frozen systems do not depend on the scale)
X0 = 1e-8


def _run(name, **kw):
    return mode_run(name, x0=X0, **kw)


def _outcome(r):
    """(converged, diverged) per run of a ``mode_run`` result started at X0."""
    final = r.dist[:, 0, -1] / X0
    converged = ~r.diverged[:, 0] & (final < CONVERGED)
    diverged = r.diverged[:, 0] | (np.max(r.dist[:, 0], axis=-1) / X0 > DIVERGED)
    return converged, diverged


STATED = {
    "gd": {
        "region": "(lam*lr > 0) & (lam*lr < 2)",
        "threshold": "2/lr",
        "refs": ("B. T. Polyak, Introduction to Optimization (1987), §1.4",),
    },
    "heavy_ball": {
        "region": "(momentum < 1) & (lam*lr < 2*(1 + momentum))",
        "threshold": "2*(1 + momentum)/lr",
        "refs": ("B. T. Polyak, USSR Comput. Math. Math. Phys. 4(5), 1964",),
    },
    "nesterov": {
        "region": "(lam*lr < 2*(1 + momentum)/(1 + 2*momentum)) & (momentum*(1 - lam*lr) < 1)",
        "threshold": "2*(1 + momentum)/((1 + 2*momentum)*lr)",
        "refs": ("L. Lessard, B. Recht, A. Packard, SIAM J. Optim. 26(1), 2016",),
    },
    "ema_momentum": {
        "region": "lam*lr*(1 - momentum) < 2*(1 + momentum)",
        "threshold": "2*(1 + momentum)/((1 - momentum)*lr)",
        "refs": ("G. Goh, Why Momentum Really Works, Distill, 2017",),
    },
    "sgd_momentum": {
        "region": "(momentum < 1) & (lr*(1 - dampening)*(lam + weight_decay) > 0) & "
        "(lr*(1 - dampening)*(lam + weight_decay) < 2*(1 + momentum))",
        "threshold": "2*(1 + momentum)/((1 - dampening)*lr) - weight_decay",
        "refs": ("torch.optim.SGD; equivalent to heavy ball with lr*(1 - dampening)",),
    },
    "rmsprop": {
        "region": "(momentum < 1) & (lr*(lam + weight_decay) < 2*(1 + momentum)*P)",
        "threshold": "2*(1 + momentum)*P/lr - weight_decay",
        "refs": ("T. Tieleman, G. Hinton, Coursera lecture 6.5, 2012; torch.optim.RMSprop",),
    },
    "adam": {
        "region": "lam*lr*(1 - beta1) < 2*(1 + beta1)*P",
        "threshold": "2*(1 + beta1)*P/((1 - beta1)*lr)",
        "refs": (
            "J. Cohen et al., Adaptive Gradient Methods at the Edge of Stability, "
            "arXiv:2207.14484, 2022 (threshold 38/lr at beta1 = 0.9)",
        ),
    },
    "adamw": {
        "region": "(lam*lr*(1 - beta1) < (1 + beta1)*(2 - lr*weight_decay)*P) & "
        "(beta1*Abs(1 - lr*weight_decay) < 1)",
        "threshold": "(1 + beta1)*(2 - lr*weight_decay)*P/((1 - beta1)*lr)",
        "refs": ("I. Loshchilov, F. Hutter, Decoupled Weight Decay Regularization, ICLR 2019",),
    },
}

# curvature multiples of the stated threshold at which the region is probed exactly:
# on the boundary and a relative 1e-6 either side of it
_PROBES = (
    sp.Rational(1, 3),
    1 - sp.Rational(1, 10**6),
    1,
    1 + sp.Rational(1, 10**6),
    sp.Rational(3, 2),
)


def _region_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    region = parse(ls, claim.stated["region"])
    thr = parse(ls, claim.stated["threshold"])
    derivation = [
        rf"\det(zI - M) = {tex(ls.charpoly.as_expr())}",
        r"\text{Jury: stable iff } " + r",\ ".join(f"{tex(e)} > 0" for e in ls.jury),
        rf"\text{{simplified: }} {tex(ls.stability_conditions())}",
    ]
    n_points, mismatches = 0, []
    for pt in exact_points(name, 40, seed=7):
        edge = thr.subs(at(ls, pt))
        if not (edge.is_Rational and edge > 0):
            continue
        for u in _PROBES:
            lam = u * edge
            derived = ls.is_stable(**pt, lam=lam)
            stated = truth(region, at(ls, pt) | {ls.lam: lam})
            n_points += 1
            if derived != stated:
                mismatches.append(
                    {
                        **{k: str(v) for k, v in pt.items()},
                        "lam": str(lam),
                        "jury_stable": derived,
                        "stated": stated,
                    }
                )
    return Check(
        ok=n_points > 0 and not mismatches,
        evidence={"exact points compared": n_points, "disagreements": len(mismatches)},
        derivation=derivation,
        counterexample=mismatches[0] if mismatches else None,
        tolerances={"boundary": "exact rational arithmetic, boundary points included"},
        seeds=(7,),
    )


def _region_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    ls = system(name)
    region = parse(ls, claim.stated["region"])
    thr = parse(ls, claim.stated["threshold"])
    n = 96
    pts = sample_points(name, n, seed=11)
    gen = np.random.default_rng(11)
    lam = numeric(ls, thr, pts) * gen.uniform(0.05, 1.6, n)
    lam = np.where(np.isfinite(lam) & (lam > 0), lam, 1.0)
    pred = sp.lambdify([ls.symbols[k] for k in ls.symbols], region, "numpy")

    def stated(scale):
        args = [lam * scale if k == "lam" else pts[k] for k in ls.symbols]
        return np.broadcast_to(np.asarray(pred(*args), dtype=bool), (n,))

    inside = stated(1.0)
    clear = (stated(0.95) == inside) & (stated(1.05) == inside)  # away from the boundary
    r = _run(name, lam=lam, steps=STEPS, **pts)
    final = r.dist[..., 0, -1] / X0
    converged, diverged = _outcome(r)
    wrong = clear & ((inside & ~converged) | (~inside & ~diverged))
    i = int(np.argmax(wrong)) if wrong.any() else None
    return Check(
        ok=clear.sum() >= n // 2 and not wrong.any(),
        evidence={
            "runs": n,
            "away from the stated boundary": int(clear.sum()),
            "stated stable, converged": int((clear & inside & converged).sum()),
            "stated unstable, diverged": int((clear & ~inside & diverged).sum()),
            "disagreements": int(wrong.sum()),
            "steps": STEPS,
        },
        counterexample=None
        if i is None
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "lam": fmt(lam[i]),
            "stated stable": bool(inside[i]),
            "final |x|/|x0|": fmt(final[i]),
        },
        seeds=(11,),
        tolerances={
            "converged": f"|x_T| < {CONVERGED:g} |x_0|",
            "diverged": f"flagged or max_t |x_t| > {DIVERGED:g} |x_0|",
            "boundary margin": "stated verdict unchanged at lam*(1 +- 0.05)",
        },
    )


def _threshold_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    stated = parse(ls, claim.stated["threshold"])
    derived = ls.curvature_threshold()
    # a second route: the curvature at which z = -1 is a root of the characteristic polynomial
    at_minus_one = sp.solve(ls.charpoly.as_expr().subs(ls.z, -1), ls.lam)
    same = derived is not None and sp.simplify(derived - stated) == 0
    route2 = any(sp.simplify(r - stated) == 0 for r in at_minus_one)
    return Check(
        ok=same and route2,
        evidence={
            "derived threshold": str(derived),
            "stated threshold": str(stated),
            "roots of p(-1) = 0 in lam": [str(r) for r in at_minus_one],
        },
        derivation=[
            rf"p_\lambda(-1) = {tex(sp.factor(ls.charpoly.as_expr().subs(ls.z, -1)))} = 0"
            rf"\iff \lambda = {tex(derived)}",
        ],
        counterexample=None if same and route2 else {"derived": str(derived)},
        tolerances={"equality": "exact (sympy simplify of the difference)"},
    )


def _threshold_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    ls = system(name)
    thr = parse(ls, claim.stated["threshold"])
    n, delta = 24, 0.03
    pts = sample_points(name, n, seed=5)
    edge = numeric(ls, thr, pts)
    ok_pts = np.isfinite(edge) & (edge > 0)
    pts = {k: v[ok_pts] for k, v in pts.items()}
    edge = edge[ok_pts]
    below = _run(name, lam=edge * (1 - delta), steps=STEPS, **pts)
    above = _run(name, lam=edge * (1 + delta), steps=STEPS, **pts)
    conv, _ = _outcome(below)
    _, div = _outcome(above)
    bad = ~(conv & div)
    i = int(np.argmax(bad)) if bad.any() else None
    return Check(
        ok=edge.size >= n // 2 and not bad.any(),
        evidence={
            "hyperparameter points": int(edge.size),
            f"converged at {1 - delta:g} x threshold": int(conv.sum()),
            f"diverged at {1 + delta:g} x threshold": int(div.sum()),
        },
        counterexample=None
        if i is None
        else {
            **{k: fmt(v[i]) for k, v in pts.items()},
            "threshold": fmt(edge[i]),
            "converged below": bool(conv[i]),
            "diverged above": bool(div[i]),
        },
        seeds=(5,),
        tolerances={"bracket": f"lam = threshold * (1 -+ {delta})", "steps": STEPS},
    )


def _exit_symbolic(claim: Claim) -> Check:
    (name,) = claim.methods
    ls = system(name)
    thr = parse(ls, claim.stated["threshold"])
    p_edge = ls.charpoly.as_expr().subs(ls.lam, thr)
    root = sp.simplify(p_edge.subs(ls.z, -1)) == 0
    # the other roots at the threshold stay strictly inside the unit circle
    pts = sample_points(name, 32, seed=3)
    edge = numeric(ls, thr, pts)
    others = []
    for i in range(edge.size):
        vals = {k: float(pts[k][i]) for k in pts} | {"lam": float(edge[i])}
        coeffs = [complex(c.subs(at(ls, vals))) for c in ls.charpoly.all_coeffs()]
        roots = sorted(np.roots(coeffs), key=lambda z: abs(z + 1))  # z = -1 first
        others.append(max((abs(z) for z in roots[1:]), default=0.0))
    worst = max(others) if others else 0.0
    return Check(
        ok=root and worst < 1,
        evidence={
            "p(-1) = 0 at the threshold": root,
            "largest other root modulus at the threshold": fmt(worst),
        },
        derivation=[
            rf"p_{{\lambda^\star}}(z) = {tex(sp.factor(p_edge))},\quad "
            rf"p_{{\lambda^\star}}(-1) = 0"
        ],
        seeds=(3,),
        tolerances={"root": "exact", "other roots": "numeric roots, strictly below 1"},
    )


# just past the edge, a run is followed until it has grown by EXIT_GROWTH (from X0 = 1e-8 the
# gradients stay small enough for frozen statistics), and its last TAIL steps must flip sign
PAST, TAIL, EXIT_GROWTH = 1.02, 10, 1e4


def _exit_empirical(claim: Claim, _sym) -> Check:
    (name,) = claim.methods
    ls = system(name)
    thr = parse(ls, claim.stated["threshold"])
    n, steps = 16, 1500
    pts = sample_points(name, n, seed=9)
    edge = numeric(ls, thr, pts)
    keep = np.isfinite(edge) & (edge > 0)
    pts = {k: v[keep] for k, v in pts.items()}
    r = _run(name, lam=edge[keep] * PAST, steps=steps, keep_iterates=True, **pts)
    k = int(keep.sum())
    xs = r.iterates[np.arange(k), 0, :, np.arange(k)] / X0  # run i moves coordinate i only
    grew = np.nanmax(np.abs(xs), axis=1) > EXIT_GROWTH
    flips = np.zeros(k, dtype=bool)
    for i in range(k):
        big = np.flatnonzero(~(np.abs(xs[i]) <= EXIT_GROWTH))  # NaN (flagged) counts as big
        tail = xs[i][: big[0] if big.size else None][-TAIL:]  # the last steps before
        flips[i] = tail.size == TAIL and bool(np.all(tail[1:] * tail[:-1] < 0))
    ok = grew & flips
    i = int(np.argmin(ok)) if not ok.all() else None
    return Check(
        ok=bool(ok.all()) and ok.size >= n // 2,
        evidence={
            "runs just past the threshold": int(ok.size),
            f"grew beyond {EXIT_GROWTH:g} |x_0|": int(grew.sum()),
            f"sign flips in each of the last {TAIL} steps before": int(flips.sum()),
        },
        counterexample=None if i is None else {k: fmt(v[i]) for k, v in pts.items()},
        seeds=(9,),
        tolerances={"past the threshold": f"lam = {PAST} x threshold", "steps": steps},
    )


#: the methods with a stability map (optdyn.figures: stability_map_<name>)
MAPPED = ("heavy_ball", "nesterov", "adam")

for _name, _st in STATED.items():
    assert _name in CATALOGUE
    _P = " with P = sqrt(v) + eps the frozen preconditioner" if "P" in _st["region"] else ""
    _ls_hint = "frozen-preconditioner linearization" if _name in FROZEN else "exact"
    register(
        Claim(
            id=f"{_name}.region",
            statement=f"{_name} is stable on the mode with curvature lam iff {_st['region']}{_P}.",
            latex=rf"\text{{stable}} \iff {_st['region']}",
            relation="iff",
            methods=(_name,),
            symbolic=_region_symbolic,
            empirical=_region_empirical,
            assumptions=(f"{_ls_hint}; hyperparameters in their domains, lam > 0",),
            stated={"region": _st["region"], "threshold": _st["threshold"]},
            topic="stability",
            references=_st["refs"],
            figure=f"stability_map_{_name}" if _name in MAPPED else None,
        )
    )
    register(
        Claim(
            id=f"{_name}.threshold",
            statement=f"The edge-of-stability curvature of {_name} is lam* = "
            f"{_st['threshold']}{_P}:"
            " every mode with 0 < lam < lam* is stable (other conditions of the region"
            " held) and stability is lost at lam*.",
            latex=rf"\lambda^\star = {_st['threshold']}",
            relation="equals",
            methods=(_name,),
            symbolic=_threshold_symbolic,
            empirical=_threshold_empirical,
            assumptions=(f"{_ls_hint}; the other conditions of the region hold",),
            stated={"threshold": _st["threshold"]},
            topic="stability",
            references=_st["refs"],
            figure=f"stability_map_{_name}" if _name in MAPPED else None,
        )
    )
    register(
        Claim(
            id=f"{_name}.exit",
            statement=f"When lam (or lr) grows past the threshold, {_name} loses stability through"
            " the root z = -1, the other roots staying inside the unit circle: a mode"
            " just past the edge diverges flipping sign every step (period 2).",
            latex=r"p_{\lambda^\star}(-1) = 0",
            relation="equals",
            methods=(_name,),
            symbolic=_exit_symbolic,
            empirical=_exit_empirical,
            assumptions=(f"{_ls_hint}",),
            stated={"threshold": _st["threshold"]},
            topic="stability",
            references=_st["refs"],
        )
    )
