"""Exact n-step worst case over quadratics with spectrum in [mu, L], by three independent routes.

* Brute force: ``od.simulate.run`` (numpy, the methods' numeric step) on a
  diagonal quadratic whose coordinates are the curvatures of a fine grid of
  [mu, L], from x0 = 1 in every coordinate: the largest x_n^2 on the grid may
  not exceed the exact value and must come within a tolerance derived from the
  grid spacing (Markov's inequality, see ``_grid_tolerance``).
* Dense quadratics: random rotated spectra in [mu, L] and random unit x0 never
  exceed the worst case; a quadratic with x0 along an eigenvector of
  eigenvalue ``argmax_lam`` attains it.
* PEPit: the performance-estimation SDP over PEPit's class of smooth strongly
  convex quadratic functions (in any dimension), with the update written out
  by hand in PEPit's operations, solved by SCS at tight tolerances.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from conftest import require

import optdyn as od
from optdyn.theory import SYMPY_OPS, worst_case

WC = importlib.import_module("optdyn.theory.worst_case")  # the module (the name is the function)
ONE_GRAD = ("gd", "heavy_ball", "nesterov")  # one gradient query per step: deg p_n <= n


def _tuned(method: str, mu: float, L: float) -> dict:
    """Classical tuning: Polyak's heavy ball, Nesterov's constant momentum for strongly convex f."""
    if method == "heavy_ball":
        s, t = math.sqrt(mu), math.sqrt(L)
        return {"lr": 4 / (s + t) ** 2, "momentum": ((t - s) / (t + s)) ** 2}
    q = math.sqrt(mu / L)
    return {"lr": 1 / L, "momentum": (1 - q) / (1 + q)}


# (method, hyper, mu, L, steps): maximisers at mu, at L and inside (the comment says where)
CASES = [
    ("gd", {"lr": 1.5}, 0.1, 1.0, 3),  # at mu
    ("gd", {"lr": 1.9}, 0.1, 1.0, 4),  # at L
    ("heavy_ball", _tuned("heavy_ball", 0.1, 1.0), 0.1, 1.0, 5),  # at L
    ("heavy_ball", {"lr": 1.5, "momentum": 0.7}, 0.1, 1.0, 5),  # inside, 72x the ends
    ("heavy_ball", {"lr": 1.9, "momentum": 0.9}, 0.01, 1.0, 4),  # inside, > 1 (transient)
    ("nesterov", _tuned("nesterov", 0.1, 1.0), 0.1, 1.0, 5),  # at mu
    ("nesterov", {"lr": 1.0, "momentum": 0.9}, 0.1, 1.0, 5),  # inside, 12x the ends
    ("nesterov", {"lr": 1.0, "momentum": 0.9}, 0.1, 2.0, 20),  # longer horizon, L != 1
]


def _case_id(case) -> str:
    name, hyper, mu, L, n = case
    h = ",".join(f"{k}={v:.4g}" for k, v in hyper.items())
    return f"{name}({h})-[{mu},{L}]-n{n}"


# --------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize(
    "mu, L, lr, n",
    [(0.1, 1.0, 1.0, 3), (0.1, 1.0, 1.9, 4), (0.25, 4.0, 0.4, 7), (0.0, 1.0, 0.5, 2)],
)
def test_gd_closed_form(mu, L, lr, n):
    # p_n(lam) = (1 - lr lam)^n: the maximum of its square is at an endpoint
    wc = worst_case("gd", mu=mu, L=L, steps=n, lr=lr)
    q = {x: (1 - Fraction(repr(lr)) * Fraction(repr(x))) ** (2 * n) for x in (mu, L)}
    assert wc.value == float(max(q.values()))  # exact: an endpoint is evaluated exactly
    assert wc.argmax_lam == (mu if q[mu] >= q[L] else L)
    lam = wc.residual.gen
    assert sp.expand(wc.residual.as_expr() - (1 - sp.Rational(repr(lr)) * lam) ** n) == 0


def test_residual_is_consistent():
    for name, hyper, mu, L, n in CASES:
        p = worst_case(name, mu=mu, L=L, steps=n, **hyper).residual
        assert p.eval(0) == 1  # a consistent method leaves x* fixed
        assert p.degree() == n


def _residual_by_stepping(name: str, n: int, **hyper) -> sp.Poly:
    """p_n the direct way: the method's step run n times on exact polynomial states."""
    m = od.methods.get(name)
    h = {k: v if isinstance(v, bool) else sp.Rational(repr(float(v))) for k, v in
         m.resolve(**hyper).items()}  # fmt: skip
    lam = sp.Poly(WC.LAM, WC.LAM, domain=sp.QQ)
    s = m.init(sp.Integer(1), SYMPY_OPS, **h)
    s = s.replace(**{k: sp.Poly(v, WC.LAM, domain=sp.QQ) for k, v in s.items()})
    for t in range(1, n + 1):
        s = m.step(s, lambda q: lam * q, SYMPY_OPS, t=t, **h)
        s = s.replace(**{k: sp.Poly(sp.sympify(v.as_expr() if isinstance(v, sp.Poly) else v),
                                    WC.LAM, domain=sp.QQ) for k, v in s.items()})  # fmt: skip
    return s.x


@pytest.mark.parametrize(
    "name, hyper",
    [
        ("gd", {"lr": 1.5}),
        ("heavy_ball", {"lr": 1.5, "momentum": 0.7}),
        ("nesterov", _tuned("nesterov", 0.1, 1.0)),
        ("sgd_momentum", {"lr": 0.5, "momentum": 0.6, "dampening": 0.3, "weight_decay": 0.01}),
        ("sgd_momentum", {"lr": 0.5, "momentum": 0.6, "nesterov": True}),
        ("ema_momentum", {"lr": 0.9, "momentum": 0.7}),
    ],
)
def test_residual_equals_stepping_on_polynomials(name, hyper):
    # worst_case multiplies one-step maps over the integers; stepping on QQ polynomials
    # is the direct (slow) route: the two must give the same exact polynomial
    for n in (1, 2, 9):
        got = worst_case(name, mu=0.1, L=1.0, steps=n, **hyper).residual
        assert got == _residual_by_stepping(name, n, **hyper), (name, n)


@pytest.mark.parametrize(
    "name, hyper, mu, n, sampled",
    [
        ("heavy_ball", _tuned("heavy_ball", 0.1, 1.0), 0.1, 30, True),  # all roots simple
        ("heavy_ball", {"lr": 1.5, "momentum": 0.7}, 0.01, 12, True),
        ("nesterov", {"lr": 1.0, "momentum": 0.9}, 0.1, 25, False),  # 1 - lam divides p_n
        ("gd", {"lr": 2.0}, 0.1, 4, False),  # p' = -8 (1 - 2 lam)^3: a triple root at 1/2
        ("gd", {"lr": 2.0}, 0.1, 5, False),  # a quadruple root: no extremum there
    ],
)
def test_certified_sampling_agrees_with_exact_isolation(monkeypatch, name, hyper, mu, n, sampled):
    calls = []
    real = WC._roots_sampled
    monkeypatch.setattr(WC, "_roots_sampled", lambda *a: calls.append(real(*a)) or calls[-1])
    p = worst_case(name, mu=mu, L=1.0, steps=n, **hyper).residual
    mu_q, one = sp.Rational(repr(mu)), sp.Integer(1)
    fast = WC._maximise(p, mu_q, one)
    exact = WC._maximise(p, mu_q, one, isolate=True)
    assert (calls[-1] is not None) == sampled  # which route certified the roots
    assert float(fast[0]) == float(exact[0])
    assert float(fast[1]) == pytest.approx(float(exact[1]), abs=1e-15)


# --------------------------------------------------------------------------- brute force
def _grid_tolerance(n_grid: int, degree: int) -> float:
    """Relative shortfall of a grid maximum of g = p_n^2 (degree <= ``degree``) on [mu, L].

    Markov's inequality bounds a polynomial's derivative on an interval of width w
    by (2 D^2 / w) times its maximum, so |g''| <= 4 D^2 (D - 1)^2 / w^2 * max g. At an
    interior maximiser g' = 0 and the nearest grid point is within h/2 = w/(2(N - 1)),
    so max g - g(grid) <= |g''|/2 (h/2)^2 = D^2 (D - 1)^2 / (2 (N - 1)^2) * max g. A
    maximiser at an end is on the grid (linspace keeps both ends). The float64
    simulation adds rounding of a few units in 1e-16 per step: 1e-12 covers it.
    """
    return degree**2 * (degree - 1) ** 2 / (2 * (n_grid - 1) ** 2) + 1e-12


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_brute_force_grid(case):
    name, hyper, mu, L, n = case
    assert name in ONE_GRAD
    wc = worst_case(name, mu=mu, L=L, steps=n, **hyper)
    n_grid = 200_001
    lam = np.linspace(mu, L, n_grid)
    r = od.simulate.run(name, od.simulate.DiagonalQuadratic(lam), steps=n, x0=np.ones(n_grid),
                        **hyper)  # fmt: skip
    assert not r.diverged.any()
    sq = r.x[0] ** 2  # one eigen-direction per coordinate: x_n = p_n(lam)
    tol = _grid_tolerance(n_grid, 2 * n)
    assert sq.max() <= wc.value * (1 + 1e-12), (sq.max(), wc.value)
    assert sq.max() >= wc.value * (1 - tol), (sq.max(), wc.value, tol)
    # the exact-isolation route (the fallback of the certified sampling) finds the same maximum
    exact_route = WC._maximise(
        wc.residual, sp.Rational(repr(mu)), sp.Rational(repr(L)), isolate=True
    )
    assert float(exact_route[0]) == wc.value
    # the maximiser: the simulated value there is the worst case
    at = od.simulate.run(name, od.simulate.DiagonalQuadratic([wc.argmax_lam]), steps=n,
                         x0=[1.0], **hyper)  # fmt: skip
    assert at.x[0, 0] ** 2 == pytest.approx(wc.value, rel=1e-12)


# --------------------------------------------------------------------------- dense quadratics
@pytest.mark.parametrize("case", CASES[2:7], ids=[_case_id(c) for c in CASES[2:7]])
def test_dense_quadratic_never_exceeds_and_worst_case_attains(case):
    name, hyper, mu, L, n = case
    wc = worst_case(name, mu=mu, L=L, steps=n, **hyper)
    gen = np.random.default_rng(20240611)
    dim, seeds = 8, 512
    eig = np.concatenate([[mu, L], gen.uniform(mu, L, dim - 2)])
    problem = od.simulate.Quadratic.from_eigenvalues(eig, rng=gen)
    x0 = gen.standard_normal((seeds, dim))
    x0 /= np.linalg.norm(x0, axis=1, keepdims=True)  # ||x0 - x*|| = 1 (x* = 0)
    r = od.simulate.run(name, problem, steps=n, seeds=seeds, x0=x0, **hyper)
    dist2 = r.final_dist**2
    assert np.all(dist2 <= wc.value * (1 + 1e-12)), (dist2.max(), wc.value)

    # the worst case is attained by any H with x0 along an eigenvector of eigenvalue argmax_lam
    q, _ = np.linalg.qr(gen.standard_normal((dim, dim)))
    eig = np.concatenate([[wc.argmax_lam], gen.uniform(mu, L, dim - 1)])
    H = (q * eig) @ q.T
    r = od.simulate.run(name, od.simulate.Quadratic((H + H.T) / 2), steps=n, x0=q[:, 0], **hyper)
    assert r.final_dist[0] ** 2 == pytest.approx(wc.value, rel=1e-10)


# --------------------------------------------------------------------------- PEPit
#: SCS (PEPit's own fallback when MOSEK is absent), at tight tolerances. SCS stops
#: when the primal residual, the dual residual and the duality gap are below
#: eps_abs + eps_rel * (data and iterate norms, here O(1)), so the optimal value is
#: accurate to a few times 1e-9 relative for these well-scaled PEPs (observed:
#: <= 2.4e-9 over all cases below). RTOL leaves a factor ~40 above that and is
#: still 1e5 times tighter than the effect of any mistake in the step or the horizon.
#: (Clarabel, the other installed SDP solver, reports "optimal_inaccurate" on these
#: PEPs and is off by up to 6e-4 at n = 8, so it is not used.)
SCS = {"solver": "SCS", "eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 1_000_000}
RTOL = 1e-7

PEP_CASES = [
    (method, which, mu, n)
    for method in ("heavy_ball", "nesterov")
    for which in ("tuned", "other")
    for mu in (0.1, 0.01)
    for n in (1, 2, 3, 4, 5)
]
OTHER = {"heavy_ball": {"lr": 1.5, "momentum": 0.7}, "nesterov": {"lr": 1.0, "momentum": 0.9}}


def _pep_worst_case(method: str, mu: float, L: float, n: int, lr: float, momentum: float):
    """PEPit's worst case of ||x_n - x*||^2 over quadratics with mu I <= H <= L I."""
    require("PEPit")
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexQuadraticFunction

    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexQuadraticFunction, mu=mu, L=L)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x_prev = x = x0  # both methods start with x_{-1} = x_0
    for _ in range(n):
        if method == "heavy_ball":  # x+ = x - lr grad f(x) + momentum (x - x_prev)
            x_new = x - lr * f.gradient(x) + momentum * (x - x_prev)
        else:  # y = x + momentum (x - x_prev), x+ = y - lr grad f(y)
            y = x + momentum * (x - x_prev)
            x_new = y - lr * f.gradient(y)
        x_prev, x = x, x_new
    problem.set_performance_metric((x - xs) ** 2)
    dual = problem.solve(verbose=0, **SCS)  # the certified upper bound PEPit reports
    primal = problem.objective.eval()  # the value of the worst-case Gram matrix found
    return dual, primal, problem.wrapper.prob.status


@pytest.mark.reference
@pytest.mark.parametrize("case", PEP_CASES, ids=["-".join(map(str, c)) for c in PEP_CASES])
def test_agrees_with_pepit(case):
    method, which, mu, n = case
    L = 1.0
    hyper = _tuned(method, mu, L) if which == "tuned" else OTHER[method]
    exact = worst_case(method, mu=mu, L=L, steps=n, **hyper).value
    dual, primal, status = _pep_worst_case(method, mu, L, n, **hyper)
    assert status == "optimal", status
    # the solver's own accuracy claim (its duality gap) must be well inside RTOL ...
    assert abs(dual - primal) <= RTOL / 10 * exact, (dual, primal)
    # ... and then both of its values must agree with the exact one
    assert dual == pytest.approx(exact, rel=RTOL), (dual, exact)
    assert primal == pytest.approx(exact, rel=RTOL), (primal, exact)


# --------------------------------------------------------------------------- behaviour
def test_transient_growth_is_reported_not_rejected():
    # Polyak's tuning on [0.01, 1]: asymptotically stable, yet the first steps overshoot
    hyper = _tuned("heavy_ball", 0.01, 1.0)
    ls = od.theory.linearize("heavy_ball", **hyper)
    assert ls.spectral_radius(lam=np.linspace(0.01, 1.0, 1001)).max() < 1
    wc = worst_case("heavy_ball", mu=0.01, L=1.0, steps=1, **hyper)
    assert wc.value == pytest.approx((1 - hyper["lr"]) ** 2, rel=1e-15)
    assert wc.value > 5 and wc.transient_growth and wc.rate_per_step > 1
    assert "transient growth" in str(wc)
    late = worst_case("heavy_ball", mu=0.01, L=1.0, steps=60, **hyper)
    assert late.value < wc.value and not late.transient_growth


def test_result_object():
    wc = worst_case("nesterov", mu=0.1, L=1.0, steps=5, lr=1.0, momentum=0.9)
    assert wc.rate_per_step == pytest.approx(wc.value ** (1 / 10), rel=1e-15)
    assert 0.1 < wc.argmax_lam < 1.0
    assert dict(wc.hyper) == {"lr": 1.0, "momentum": 0.9}
    assert (wc.method, wc.mu, wc.L, wc.steps) == ("nesterov", 0.1, 1.0, 5)
    text = str(wc)
    assert "nesterov" in text and f"{wc.value:.12g}" in text and "transient" not in text
    assert r"\lambda" in wc.latex()
    with pytest.raises(dataclasses.FrozenInstanceError):
        wc.value = 0.0
    with pytest.raises(TypeError):
        wc.hyper["lr"] = 2.0
    assert hash(wc) == hash(worst_case("nesterov", mu=0.1, L=1.0, steps=5, lr=1.0, momentum=0.9))


def test_cached_on_exact_arguments():
    worst_case.cache_clear()
    a = worst_case("heavy_ball", mu=0.1, L=1.0, steps=4, lr=0.5, momentum=0.6)
    b = worst_case("heavy_ball", mu=Fraction(1, 10), L=1, steps=4, lr=sp.Rational(1, 2),
                   momentum=0.6)  # fmt: skip
    assert a is b
    assert worst_case.cache_info().hits == 1
    worst_case.cache_clear()
    assert worst_case("heavy_ball", mu=0.1, L=1.0, steps=4, lr=0.5, momentum=0.6) is not a


def test_other_linear_methods():
    # sgd_momentum (dampening 0) is heavy ball at the same lr; ema_momentum is heavy
    # ball at lr (1 - momentum): the same iterates, so the same worst case
    hb = worst_case("heavy_ball", mu=0.1, L=1.0, steps=6, lr=0.5, momentum=0.6)
    sgd = worst_case("sgd_momentum", mu=0.1, L=1.0, steps=6, lr=0.5, momentum=0.6)
    ema = worst_case("ema_momentum", mu=0.1, L=1.0, steps=6, lr=1.25, momentum=0.6)
    assert sgd.residual == hb.residual == ema.residual
    assert sgd.value == hb.value == ema.value


def test_single_point_spectrum_and_constant_residual():
    wc = worst_case("heavy_ball", mu=0.5, L=0.5, steps=3, lr=0.5, momentum=0.5)
    assert wc.argmax_lam == 0.5
    assert wc.value == float(wc.residual.eval(sp.Rational(1, 2)) ** 2)
    wc = worst_case("gd", mu=0.0, L=1.0, steps=3, lr=0.0)  # p_n = 1
    assert (wc.value, wc.argmax_lam) == (1.0, 0.0)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", [n for n in od.methods.names() if not od.methods.get(n).linear])
def test_rejects_nonlinear_methods(name):
    m = od.methods.get(name)
    required = {k: d.typical[1] for k, d in m.hyper.items() if d.required}
    with pytest.raises(ValueError, match=f"linear methods.*{name} is not linear"):
        worst_case(name, mu=0.1, L=1.0, steps=2, **required)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"mu": -0.1}, ValueError, "mu must be >= 0"),
        ({"mu": 2.0}, ValueError, "mu must be <= L"),
        ({"L": 0.0, "mu": 0.0}, ValueError, "L must be > 0"),
        ({"L": math.inf}, ValueError, "L must be finite"),
        ({"mu": math.nan}, ValueError, "mu must be finite"),
        ({"mu": "0.1"}, TypeError, "mu must be a real number"),
        ({"L": sp.sqrt(2)}, TypeError, "L must be a rational number"),
        ({"steps": 0}, ValueError, "steps must be an integer >= 1"),
        ({"steps": -3}, ValueError, "steps must be an integer >= 1"),
        ({"steps": 2.0}, TypeError, "steps must be an integer"),
        ({"steps": True}, TypeError, "steps must be an integer"),
        ({"lr": -0.5}, ValueError, "lr must be in"),
        ({"lr": math.nan}, ValueError, "lr must be in"),
        ({"lr": [0.1, 0.2]}, TypeError, "lr must be a scalar"),
        ({"lr": True}, TypeError, "lr must be a real number"),
        ({"lr": None}, TypeError, "heavy_ball requires hyperparameter 'lr'"),
        ({"beta1": 0.9}, TypeError, "heavy_ball has no hyperparameter 'beta1'"),
    ],
)
def test_rejects_bad_input(kwargs, exc, match):
    args = {"mu": 0.1, "L": 1.0, "steps": 3, "lr": 0.5, "momentum": 0.6, **kwargs}
    if args["lr"] is None:
        del args["lr"]
    with pytest.raises(exc, match=match):
        worst_case("heavy_ball", **args)


def test_rejects_unknown_method():
    with pytest.raises(ValueError, match="unknown method 'hb'"):
        worst_case("hb", mu=0.1, L=1.0, steps=2, lr=0.5)
