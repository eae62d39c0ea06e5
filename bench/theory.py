"""Speed of the theory layer: the exact worst case against PEPit, and the symbolic derivations.

Run from the repository root::

    python bench/theory.py              # full run
    python bench/theory.py --quick      # smoke run (short horizons, three methods)
    python bench/theory.py --repeat 5   # best of 5 instead of 3

Part 1, exact n-step worst case. ``od.theory.worst_case`` (the residual polynomial
derived from the method's step, then maximised exactly over [mu, L]) against
PEPit's performance-estimation SDP over ``SmoothStronglyConvexQuadraticFunction``
(the update written out in PEPit's operations, solved by SCS with
eps_abs = eps_rel = 1e-9, the configuration the tests use), for heavy ball and
Nesterov with their classical tuning on [0.1, 1], at equal horizons n. optdyn is
timed cold (its caches emptied before every call) and warm (a cached result);
PEPit is timed from building the PEP to its answer. PEPit is not run at larger
n for a method once one of its runs took more than ``PEPIT_LIMIT`` seconds (SCS
is also given that time limit). The two values and their relative difference
are printed next to the times; optdyn alone continues to longer horizons. A
second table runs PEPit at its own defaults (SCS at cvxpy's default tolerances,
PEPit's choice when MOSEK is absent), as a user calling ``problem.solve()`` would.

Part 2, symbolic derivations. For every method that linearizes: the time of
``od.theory.linearize(name)`` (the characteristic polynomial is computed when
the system is built, so ``.charpoly`` is an attribute read), of
``.stability_conditions()`` and of ``.curvature_threshold()``, cold (every
``functools.lru_cache`` of ``optdyn.theory`` emptied first, a new system) and
warm (the cached system, its cached properties filled).

Times are wall-clock seconds, best of ``--repeat`` runs. Ratios are reported,
never asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmark the working tree, not an installed copy
    sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

import optdyn as od  # noqa: E402

#: PEPit is not run at larger horizons once one of its runs took longer than this (s).
PEPIT_LIMIT = 60.0
#: SCS at the tolerances of tests/test_worst_case.py (agreement to ~1e-9 there).
SCS = {"solver": "SCS", "eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 1_000_000}
MU, L = 0.1, 1.0


def tuned(method: str, mu: float, L: float) -> dict:
    """Polyak's heavy ball and Nesterov's constant-momentum tuning for mu-strongly convex f."""
    if method == "heavy_ball":
        s, t = math.sqrt(mu), math.sqrt(L)
        return {"lr": 4 / (s + t) ** 2, "momentum": ((t - s) / (t + s)) ** 2}
    q = math.sqrt(mu / L)
    return {"lr": 1 / L, "momentum": (1 - q) / (1 + q)}


def clear_theory_caches() -> None:
    """Empty every ``functools.lru_cache`` (anything with ``cache_clear``) in optdyn.theory."""
    for name, module in list(sys.modules.items()):
        if name == "optdyn.theory" or name.startswith("optdyn.theory."):
            for obj in list(vars(module).values()):
                clear = getattr(obj, "cache_clear", None)
                if callable(clear):
                    clear()


def best_time(fn, repeat: int, *, setup=None) -> tuple[float, object]:
    """Best wall time of ``fn()`` over ``repeat`` runs (``setup()`` untimed before each)."""
    best, out = math.inf, None
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def warm_time(fn, repeat: int) -> float:
    """Per-call time of an already cached ``fn()``: best of ``repeat`` loops of many calls."""
    fn()
    number = 1
    while True:  # enough calls per loop for ~0.05 s
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - t0 > 0.05 or number >= 1 << 20:
            break
        number *= 4
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


# --------------------------------------------------------------------------- part 1
def pepit_worst_case(method: str, mu: float, L: float, n: int, lr: float, momentum: float,
                     settings: dict):  # fmt: skip
    """PEPit's worst case of ||x_n - x*||^2 over quadratics, mu I <= H <= L I, and its status."""
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexQuadraticFunction

    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexQuadraticFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x_prev = x = x0
    for _ in range(n):
        if method == "heavy_ball":
            x_new = x - lr * f.gradient(x) + momentum * (x - x_prev)
        else:
            y = x + momentum * (x - x_prev)
            x_new = y - lr * f.gradient(y)
        x_prev, x = x, x_new
    problem.set_performance_metric((x - xs) ** 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = problem.solve(verbose=0, time_limit_secs=PEPIT_LIMIT, **settings)
    status = problem.wrapper.prob.status + (" (warned)" if caught else "")
    return value, status


def bench_worst_case(horizons, optdyn_only, repeat: int) -> None:
    print(f"\n== exact worst case vs PEPit: tuned heavy_ball and nesterov on [{MU:g}, {L:g}]")
    head = (
        f"{'method':<11} {'n':>3} {'optdyn cold':>12} {'optdyn warm':>12} {'PEPit':>9} "
        f"{'PEPit/cold':>11} {'PEPit/warm':>11}  {'optdyn value':>20} {'PEPit value':>20} "
        f"{'rel diff':>9}  PEPit status"
    )
    print(head)
    print("-" * len(head))
    values = {}
    for method in ("heavy_ball", "nesterov"):
        hyper = tuned(method, MU, L)
        pepit_stopped = None
        for n in (*horizons, *optdyn_only):

            def call(method=method, n=n, hyper=hyper):
                return od.theory.worst_case(method, mu=MU, L=L, steps=n, **hyper)

            cold, wc = best_time(call, repeat, setup=od.theory.worst_case.cache_clear)
            warm = warm_time(call, repeat)
            values[method, n] = wc.value
            line = f"{method:<11} {n:>3} {cold:>12.2e} {warm:>12.2e} "
            if n in optdyn_only or pepit_stopped is not None:
                why = "optdyn only" if pepit_stopped is None else f"PEPit > {PEPIT_LIMIT:g} s"
                print(f"{line}{'-':>9}  {'':>35}{wc.value:>20.15g}  ({why})")
                continue
            t_pep = math.inf
            for _ in range(repeat):
                t0 = time.perf_counter()
                v_pep, status = pepit_worst_case(method, MU, L, n, **hyper, settings=SCS)
                t_pep = min(t_pep, time.perf_counter() - t0)
                if t_pep > 5:  # one run is enough to time a slow solve
                    break
            if t_pep > PEPIT_LIMIT:
                pepit_stopped = n
            rel = abs(v_pep - wc.value) / wc.value
            print(
                line + f"{t_pep:>9.3f} {t_pep / cold:>10.0f}x {t_pep / warm:>10.0f}x  "
                f"{wc.value:>20.15g} {v_pep:>20.15g} {rel:>9.1e}  {status}"
            )

    print("\nPEPit at its own defaults (no solver given: SCS at cvxpy's default tolerances)")
    head = f"{'method':<11} {'n':>3} {'PEPit':>9} {'PEPit value':>20} {'rel diff':>9}  PEPit status"
    print(head)
    print("-" * len(head))
    for method in ("heavy_ball", "nesterov"):
        hyper = tuned(method, MU, L)
        for n in horizons:
            t0 = time.perf_counter()
            v_pep, status = pepit_worst_case(method, MU, L, n, **hyper, settings={})
            t_pep = time.perf_counter() - t0
            rel = abs(v_pep - values[method, n]) / values[method, n]
            print(f"{method:<11} {n:>3} {t_pep:>9.3f} {v_pep:>20.15g} {rel:>9.1e}  {status}")
            if t_pep > PEPIT_LIMIT:
                break


# --------------------------------------------------------------------------- part 2
def bench_symbolic(names, repeat: int) -> None:
    """Cold and warm times of linearize + charpoly + stability_conditions + curvature_threshold."""
    print("\n== symbolic derivations (cold: theory caches emptied, a new system; warm: cached)")
    ops = {
        "linearize": lambda name: od.theory.linearize(name),
        "charpoly": lambda name: od.theory.linearize(name).charpoly,
        "stability_conditions": lambda name: od.theory.linearize(name).stability_conditions(),
        "curvature_threshold": lambda name: od.theory.linearize(name).curvature_threshold(),
        "stationary_variance": lambda name: od.theory.linearize(name).stationary_variance(),
    }
    head = f"{'method':<13}" + "".join(f" {op + ' cold':>25} {'warm':>9}" for op in ops)
    head += f" {'total cold':>11} {'total warm':>11}"
    print(head)
    print("-" * len(head))
    for name in names:
        cold = dict.fromkeys(ops, math.inf)
        for _ in range(repeat):
            clear_theory_caches()
            for op, fn in ops.items():  # in order: each step reuses what the previous built
                t0 = time.perf_counter()
                try:
                    fn(name)
                except ValueError:  # e.g. no stationary state (adagrad's step vanishes at t → ∞)
                    cold[op] = math.nan
                    continue
                cold[op] = min(cold[op], time.perf_counter() - t0)
        warm = {
            op: math.nan
            if math.isnan(cold[op])
            else warm_time(lambda fn=fn, name=name: fn(name), repeat)
            for op, fn in ops.items()
        }
        row = f"{name:<13}" + "".join(f" {cold[op]:>25.2e} {warm[op]:>9.1e}" for op in ops)
        total_cold = sum(v for v in cold.values() if not math.isnan(v))
        total_warm = sum(v for v in warm.values() if not math.isnan(v))
        row += f" {total_cold:>11.3f} {total_warm:>11.3f}"
        print(row)


def bench_optimal(names, mu: float, L: float) -> None:
    """Cold (every theory cache emptied) and warm time of od.theory.optimal."""
    print(f"\n== optimal tuning on [{mu}, {L}] (cold: theory caches emptied; warm: cached)")
    head = f"{'method':<13} {'cold s':>8} {'warm s':>9} {'exact':>6}  rate"
    print(head)
    print("-" * len(head))
    for name in names:
        clear_theory_caches()
        t0 = time.perf_counter()
        tu = od.theory.optimal(name, mu=mu, L=L)
        cold = time.perf_counter() - t0
        warm = warm_time(lambda name=name: od.theory.optimal(name, mu=mu, L=L), 3)
        print(f"{name:<13} {cold:>8.2f} {warm:>9.1e} {tu.exact!s:>6}  {tu.rate:.12g}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: n = 1, 2, 4; three methods")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    import cvxpy
    import PEPit  # noqa: F401 - fail early if the reference is missing

    try:
        from importlib.metadata import version

        pepit_version = version("PEPit")
    except Exception:  # pragma: no cover - metadata missing
        pepit_version = "?"
    print(
        f"python {platform.python_version()}  sympy {sp.__version__}  PEPit {pepit_version}  "
        f"cvxpy {cvxpy.__version__}  os.cpu_count() = {os.cpu_count()}"
    )
    print(f"PEPit solver: {SCS}; best of {args.repeat}")

    horizons = (1, 2, 4) if args.quick else (1, 2, 4, 8, 16)
    optdyn_only = (16,) if args.quick else (64, 200)
    bench_worst_case(horizons, optdyn_only, args.repeat)

    linearizable = [n for n in od.methods.names() if not od.methods.get(n).not_linearizable]
    names = ["gd", "heavy_ball", "nesterov"] if args.quick else linearizable
    bench_symbolic(names, args.repeat)
    linear = [n for n in od.methods.names() if od.methods.get(n).linear]
    bench_optimal(["gd", "heavy_ball"] if args.quick else linear, 0.01, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
