"""Throughput of ``optdyn.simulate.run`` against a hand-fused numpy loop and per-seed torch.optim.

Run from the repository root::

    python bench/simulate.py              # full run (4096 seeds x 64 dims x 1000 steps)
    python bench/simulate.py --quick      # smoke run
    python bench/simulate.py --repeat 5   # best of 5 instead of 3
    python bench/simulate.py --profile    # also cProfile one optdyn run per method

The unit is element-updates per second: seeds x dim x steps / wall time. Every
contender does the work ``optdyn.simulate.run`` does by default: the update, and
after every step the excess loss f(x_t) - f* and the distance ||x_t - x*|| of
every run (the fused loop also performs the runner's divergence check). The
contenders are

* ``fused numpy, same op order``: preallocated buffers and in-place ufuncs
  (``out=``), the update evaluated in exactly the order of the method's
  ``step``, so its iterates equal optdyn's bit for bit;
* ``fused numpy, folded``: the same update with constants folded so that fewer
  passes over memory are needed (the numpy ceiling; its rounding differs);
* ``optdyn.simulate.run``;
* ``torch.optim, per seed``: a loop over a few seeds with a float64 parameter
  of one run, ``torch.optim.SGD(momentum=...)`` (heavy ball at the same lr,
  dampening 0) or ``torch.optim.Adam``, the gradient ``lam * x`` set by hand,
  the loss and the distance recorded every step; scaled to element-updates/s.

Each contender's final iterates, losses and distances are checked against
optdyn's before anything is reported; the script fails loudly if they differ.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import platform
import pstats
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmark the working tree, not an installed copy
    sys.path.insert(0, str(ROOT))

import optdyn as od  # noqa: E402

#: optdyn's throughput targets: at least this fraction of the fused numpy loop ...
TARGET_VS_FUSED = 0.5
#: ... and at least this many times the per-seed torch.optim loop.
TARGET_VS_TORCH = 30.0
#: Final iterates must agree to this relative tolerance (see ``check``).
RTOL = 1e-10

METHODS = {
    "heavy_ball": {"lr": 0.01, "momentum": 0.9},
    "adam": {"lr": 1e-3},
}


@dataclass
class Out:
    """What a contender computed: final iterates, loss and distance per recorded step."""

    x: np.ndarray  # (seeds, dim); NaN for diverged runs
    loss: np.ndarray  # (seeds, steps + 1); +inf from divergence on
    dist: np.ndarray  # (seeds, steps + 1)
    div_step: np.ndarray | None = None  # (seeds,), -1 if never; None if not tracked


# --------------------------------------------------------------------------- fused numpy loops
#
# Shared pieces. Records go to rec[t] = (loss_t, dist2_t) per run, shape (seeds, 2): one
# C-contiguous block per step, so ``np.dot(x * x, W, out=rec[t])`` (a small BLAS gemm) writes
# both sums at once. They are transposed to optdyn's (seeds, steps + 1) layout at the end.


def _weights(problem) -> np.ndarray:
    lam = problem.eigenvalues
    return np.stack([lam / 2, np.ones_like(lam)], axis=1)  # (dim, 2): loss, dist2


def _new_divergent(pair, limit2, div):
    """Runs that diverge at this record (optdyn's rule), or None; ``pair`` is rec[t].

    The common case costs two reductions over ``seeds`` numbers: the loss of a
    diagonal quadratic is a sum of non-negative terms, so a finite total means
    every run's loss is finite; only otherwise is the elementwise test run.
    """
    loss, dist2 = pair[:, 0], pair[:, 1]
    if np.less_equal(dist2, limit2).all() and math.isfinite(loss.sum()):
        return None
    new = ~((dist2 <= limit2) & np.isfinite(loss)) & ~div
    return new if new.any() else None


def _limit2(pair0, factor):
    return (factor * np.maximum(np.sqrt(pair0[:, 1]), 1.0)) ** 2


def _finish(x, rec, div, div_step) -> Out:
    """optdyn's output layout: (seeds, n_rec) loss and distance, divergent runs masked."""
    n_rec, seeds, _ = rec.shape
    loss = np.empty((seeds, n_rec))
    dist = np.empty((seeds, n_rec))
    loss[...] = rec[:, :, 0].T
    np.sqrt(rec[:, :, 1].T, out=dist)
    x = x.copy()
    if div.any():
        after = div[:, None] & (np.arange(n_rec)[None, :] >= div_step[:, None])
        loss[after] = np.inf
        dist[after] = np.inf
        x[div] = np.nan
    return Out(x, loss, dist, div_step)


def _start(problem, seeds, x0):
    if np.any(problem.x_star):
        raise ValueError("the fused loops assume x_star = 0 (optdyn's centred fast path)")
    x = np.empty((seeds, problem.dim))
    x[...] = problem.x_star + 1.0 if x0 is None else x0
    return x


def fused_heavy_ball(problem, *, seeds, steps, lr, momentum, folded, x0=None, factor=1e10):
    """Heavy ball x+ = x - lr*lam*x + momentum*(x - x_prev), recording every step.

    ``folded=False``: optdyn's operation order (6 passes per step), bit-identical.
    ``folded=True``: x+ = (1 + momentum - lr*lam)*x - momentum*x_prev (3 passes).
    """
    lam, W = problem.eigenvalues, _weights(problem)
    x = _start(problem, seeds, x0)
    xp = x.copy()
    a = np.empty_like(x)
    sq = np.empty_like(x)
    rec = np.empty((steps + 1, seeds, 2))
    div = np.zeros(seeds, dtype=bool)
    div_step = np.full(seeds, -1, dtype=np.int64)
    c1 = 1.0 + momentum - lr * lam
    mul, sub, add, dot = np.multiply, np.subtract, np.add, np.dot

    np.multiply(x, x, out=sq)
    dot(sq, W, out=rec[0])
    limit2 = _limit2(rec[0], factor)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            if folded:
                mul(xp, momentum, out=xp)
                mul(x, c1, out=a)
                sub(a, xp, out=xp)
            else:
                mul(x, lam, out=a)  # grad = lam * x
                mul(a, lr, out=a)  # lr * grad
                sub(x, a, out=a)  # x - lr * grad
                sub(x, xp, out=xp)  # x - x_prev
                mul(xp, momentum, out=xp)
                add(a, xp, out=xp)
            x, xp = xp, x  # the new iterate; the old one becomes x_prev
            mul(x, x, out=sq)
            dot(sq, W, out=rec[t])
            new = _new_divergent(rec[t], limit2, div)
            if new is not None:
                div |= new
                div_step[new] = t
                x[new] = 0.0
                xp[new] = 0.0
    return _finish(x, rec, div, div_step)


def fused_adam(problem, *, seeds, steps, lr, beta1, beta2, eps, folded, x0=None, factor=1e10):
    """Adam with bias corrections (step counter t), recording every step.

    ``folded=False``: optdyn's operation order (14 passes + 2 for the record), bit-identical.
    ``folded=True`` (12 passes + the gemm):
    ``m = b1*(m - g) + g``, ``v = b2*(v - g²) + g²``, the bias correction of the
    square root moved to the numerator, ``x -= (ss*c) * m / (sqrt(v) + eps*c)``;
    with all curvatures > 0 the record of x_t comes from g² = (lam*x_t)² that the
    next step computes anyway (loss = Σ g²/(2 lam), dist² = Σ g²/lam²).
    """
    lam, W = problem.eigenvalues, _weights(problem)
    x = _start(problem, seeds, x0)
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    g = np.empty_like(x)
    a = np.empty_like(x)
    rec = np.empty((steps + 1, seeds, 2))
    div = np.zeros(seeds, dtype=bool)
    div_step = np.full(seeds, -1, dtype=np.int64)
    from_grad = folded and bool(np.all(lam > 0))
    W_g = np.stack([1 / (2 * lam), 1 / lam**2], axis=1) if from_grad else None
    omb1, omb2 = 1 - beta1, 1 - beta2
    mul, sub, add, div_, dot, sqrt = (
        np.multiply, np.subtract, np.add, np.divide, np.dot, np.sqrt
    )  # fmt: skip

    def record(t):
        """rec[t] from x (used where the step does not provide g²)."""
        mul(x, x, out=a)
        dot(a, W, out=rec[t])

    def check_div(t):
        new = _new_divergent(rec[t], limit2, div)
        if new is not None:
            div[new] = True
            div_step[new] = t
            for arr in (x, m, v, g, a):  # g, a: g² of x_t may already be in a
                arr[new] = 0.0

    record(0)
    limit2 = _limit2(rec[0], factor)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            ss = lr / (1 - beta1**t)
            c = math.sqrt(1 - beta2**t)
            if folded:
                mul(x, lam, out=g)  # g = lam * x_{t-1}
                mul(g, g, out=a)  # a = g²
                if from_grad and t > 1:  # record x_{t-1} from g²
                    dot(a, W_g, out=rec[t - 1])
                    check_div(t - 1)
                sub(m, g, out=m)
                mul(m, beta1, out=m)
                add(m, g, out=m)
                sub(v, a, out=v)
                mul(v, beta2, out=v)
                add(v, a, out=v)
                sqrt(v, out=a)
                add(a, eps * c, out=a)
                div_(m, a, out=a)
                mul(a, ss * c, out=a)
                sub(x, a, out=x)
                if not from_grad:
                    record(t)
                    check_div(t)
            else:
                mul(x, lam, out=g)  # grad = lam * x
                mul(m, beta1, out=m)
                mul(g, omb1, out=a)
                add(m, a, out=m)  # m = beta1*m + (1-beta1)*g
                mul(v, beta2, out=v)
                mul(g, omb2, out=a)
                mul(a, g, out=a)
                add(v, a, out=v)  # v = beta2*v + (1-beta2)*g*g
                sqrt(v, out=a)
                div_(a, c, out=a)
                add(a, eps, out=a)  # denom = sqrt(v)/sqrt(1-beta2^t) + eps
                mul(m, ss, out=g)
                div_(g, a, out=g)  # delta = ss*m/denom
                sub(x, g, out=x)
                record(t)
                check_div(t)
        if from_grad:
            record(steps)
            check_div(steps)
    return _finish(x, rec, div, div_step)


def fused(method, problem, *, seeds, steps, folded, x0=None, **hyper) -> Out:
    h = od.methods.get(method).resolve(**hyper)
    fn = {"heavy_ball": fused_heavy_ball, "adam": fused_adam}[method]
    return fn(problem, seeds=seeds, steps=steps, folded=folded, x0=x0, **h)


# --------------------------------------------------------------------------- optdyn
def optdyn_run(method, problem, *, seeds, steps, x0=None, **hyper) -> Out:
    r = od.simulate.run(method, problem, steps=steps, seeds=seeds, x0=x0, **hyper)
    return Out(r.x, r.loss, r.dist, r.divergence_step)


# --------------------------------------------------------------------------- torch.optim per seed
def torch_per_seed(method, problem, *, seeds, steps, **hyper) -> Out:
    """What a user would write without optdyn: one optimizer and one loop per seed."""
    if np.any(problem.x_star):
        raise ValueError("the torch loop assumes x_star = 0")
    h = od.methods.get(method).resolve(**hyper)
    lam = torch.from_numpy(problem.eigenvalues)
    half_lam = lam / 2
    losses = torch.empty(seeds, steps + 1, dtype=torch.float64)
    dists = torch.empty(seeds, steps + 1, dtype=torch.float64)
    finals = []
    for s in range(seeds):
        x = torch.ones(problem.dim, dtype=torch.float64, requires_grad=True)  # x0 = x* + 1
        if method == "heavy_ball":
            opt = torch.optim.SGD([x], lr=h["lr"], momentum=h["momentum"])
        else:
            opt = torch.optim.Adam([x], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"])
        with torch.no_grad():
            for t in range(steps + 1):
                if t:
                    x.grad = lam * x  # x* = 0
                    opt.step()
                sq = x * x
                losses[s, t] = torch.dot(half_lam, sq)
                dists[s, t] = sq.sum().sqrt()
        finals.append(x.detach().clone())
    return Out(torch.stack(finals).numpy(), losses.numpy(), dists.numpy())


# --------------------------------------------------------------------------- checks
def check(name: str, got: Out, ref: Out, *, exact: bool = False) -> float:
    """Fail loudly unless ``got`` matches optdyn's ``ref`` (on got's seeds); return max rel err.

    Iterates: ``rtol = 1e-10`` elementwise, with an absolute floor of 1e-10 times
    the largest |x| of the run set: heavy ball's iterates oscillate while they
    decay, and a component caught near a zero crossing has an ill-conditioned
    relative error however the arithmetic is ordered. Losses and distances
    (sums of squares, no cancellation) are checked to rtol 1e-10 without a floor.
    ``exact``: the iterates must also be bit-identical.
    """
    n = got.x.shape[0]
    rx, rl, rd = ref.x[:n], ref.loss[:n], ref.dist[:n]
    what = f"{name} differs from optdyn.simulate.run"
    if got.x.shape != rx.shape or got.loss.shape != rl.shape:
        raise AssertionError(f"{what}: shapes {got.x.shape}, {got.loss.shape}")
    if exact and not np.array_equal(got.x, rx, equal_nan=True):
        raise AssertionError(f"{what}: final iterates are not bit-identical")
    floor = RTOL * np.nanmax(np.abs(rx)) if np.isfinite(rx).any() else 0.0
    np.testing.assert_allclose(got.x, rx, rtol=RTOL, atol=floor, err_msg=f"{what}: final x")
    np.testing.assert_allclose(got.loss, rl, rtol=RTOL, atol=0, err_msg=f"{what}: loss")
    np.testing.assert_allclose(got.dist, rd, rtol=RTOL, atol=0, err_msg=f"{what}: dist")
    if got.div_step is not None:
        np.testing.assert_array_equal(got.div_step, ref.div_step[:n], err_msg=f"{what}: div")
    ok = np.isfinite(rx) & (rx != 0)
    return float(np.max(np.abs(got.x[ok] - rx[ok]) / np.abs(rx[ok]), initial=0.0))


def self_test(problem) -> None:
    """The fused loops reproduce optdyn's divergence handling (flag, zero, mask)."""
    seeds, steps = 24, 60
    x0 = np.geomspace(1e-30, 1e3, seeds)[:, None] * np.ones(problem.dim)
    cases = {
        "heavy_ball": {"lr": 0.05, "momentum": 0.9},  # lr*lam up to 5: unstable
        "adam": {"lr": 1e10},  # steps of ~lr per coordinate: diverges at t = 1..3 or never
    }
    for method, hyper in cases.items():
        ref = optdyn_run(method, problem, seeds=seeds, steps=steps, x0=x0, **hyper)
        n_div = int((ref.div_step >= 0).sum())
        if not 0 < n_div < seeds:
            raise AssertionError(f"self-test of {method} should diverge partly; {n_div}/{seeds}")
        for folded in (False, True):
            out = fused(method, problem, seeds=seeds, steps=steps, folded=folded, x0=x0, **hyper)
            check(f"fused {method} (divergence self-test)", out, ref, exact=not folded)


# --------------------------------------------------------------------------- driver
def profile_optdyn(problem, seeds, steps) -> None:
    for method, hyper in METHODS.items():
        prof = cProfile.Profile()
        prof.enable()
        od.simulate.run(method, problem, steps=steps, seeds=seeds, **hyper)
        prof.disable()
        print(f"\n--- cProfile of optdyn.simulate.run({method!r}), top 8 by own time ---")
        pstats.Stats(prof).sort_stats("tottime").print_stats(8)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 256 seeds, 200 steps")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument("--profile", action="store_true", help="cProfile one optdyn run per method")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    dim = 64
    seeds, steps, torch_seeds = (256, 200, 2) if args.quick else (4096, 1000, 8)
    problem = od.simulate.DiagonalQuadratic(np.geomspace(1, 100, dim))

    print(f"python {platform.python_version()}  numpy {np.__version__}  torch {torch.__version__}")
    print(f"torch.get_num_threads() = {torch.get_num_threads()}  os.cpu_count() = {os.cpu_count()}")
    print(
        f"DiagonalQuadratic(geomspace(1, 100, {dim})), seeds {seeds}, steps {steps}, "
        f"no noise, x0 = x* + 1; torch.optim per seed: {torch_seeds} seeds; "
        f"best of {args.repeat}"
    )

    self_test(problem)

    contenders = {
        "fused numpy, same op order": lambda m, h: fused(
            m, problem, seeds=seeds, steps=steps, folded=False, **h
        ),
        "fused numpy, folded": lambda m, h: fused(
            m, problem, seeds=seeds, steps=steps, folded=True, **h
        ),
        "optdyn.simulate.run": lambda m, h: optdyn_run(m, problem, seeds=seeds, steps=steps, **h),
        "torch.optim, per seed": lambda m, h: torch_per_seed(
            m, problem, seeds=torch_seeds, steps=steps, **h
        ),
    }
    n_seeds = {name: seeds for name in contenders} | {"torch.optim, per seed": torch_seeds}

    # Reference results and a warm-up of every code path (torch's lazy init included).
    refs = {m: optdyn_run(m, problem, seeds=seeds, steps=steps, **h) for m, h in METHODS.items()}
    for m, h in METHODS.items():
        torch_per_seed(m, problem, seeds=1, steps=5, **h)

    best = {(m, c): math.inf for m in METHODS for c in contenders}
    errs = {}
    for _ in range(args.repeat):
        for m, h in METHODS.items():
            for c, fn in contenders.items():  # interleaved: a, optdyn, b, a, optdyn, b, ...
                t0 = time.perf_counter()
                out = fn(m, h)
                dt = time.perf_counter() - t0
                best[m, c] = min(best[m, c], dt)
                errs[m, c] = check(f"{c} ({m})", out, refs[m], exact=c.endswith("same op order"))
                del out

    rate = {k: n_seeds[k[1]] * dim * steps / v for k, v in best.items()}
    print("\nAll contenders match optdyn: final x to rtol 1e-10, loss and dist to rtol 1e-10.\n")
    head = f"{'method':<11} {'contender':<27} {'seeds':>5} {'best s':>8} {'Mupd/s':>9} "
    head += f"{'optdyn/this':>11} {'max rel err x':>13}"
    print(head)
    print("-" * len(head))
    for m in METHODS:
        for c in contenders:
            ratio = rate[m, "optdyn.simulate.run"] / rate[m, c]
            print(
                f"{m:<11} {c:<27} {n_seeds[c]:>5} {best[m, c]:>8.3f} {rate[m, c] / 1e6:>9.2f} "
                f"{ratio:>10.3f}x {errs[m, c]:>13.1e}"
            )
    print()
    for m in METHODS:
        ceiling = max(rate[m, "fused numpy, same op order"], rate[m, "fused numpy, folded"])
        vs_fused = rate[m, "optdyn.simulate.run"] / ceiling
        vs_torch = rate[m, "optdyn.simulate.run"] / rate[m, "torch.optim, per seed"]
        for label, value, target in (
            ("optdyn/fused (ceiling)", vs_fused, TARGET_VS_FUSED),
            ("optdyn/torch-per-seed", vs_torch, TARGET_VS_TORCH),
        ):
            verdict = "PASS" if value >= target else "MISS"
            goal = f">= {target:g}x"
            print(f"{m:<11} {label:<23} {value:>8.3f}x   target {goal:<7} {verdict}")

    if args.profile:
        profile_optdyn(problem, seeds, steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
