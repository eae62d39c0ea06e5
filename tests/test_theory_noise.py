"""Stationary variance under additive gradient noise, against scipy and Monte-Carlo.

References: scipy.linalg.solve_discrete_lyapunov on the numeric iteration
matrix (an independent solver), and Monte-Carlo over >= 10^4 seeds of
od.simulate.run with a 5-standard-error tolerance. For a sample variance of n
Gaussian draws the standard error is var * sqrt(2 / (n - 1)).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import sympy as sp

import optdyn as od

LINEAR = [n for n in od.methods.names() if od.methods.get(n).linear]
LINEARIZABLE = [n for n in od.methods.names() if not od.methods.get(n).not_linearizable]
STABLE_POINT = {"lr": 0.05, "momentum": 0.6}


def _values(ls, seed):
    pts = ls.sample_points(1, seed=seed)
    vals = {k: float(v[0]) for k, v in pts.items()}
    thr = ls.curvature_threshold()
    edge = float(thr.subs({ls.symbols[k]: v for k, v in vals.items()})) if thr is not None else 1
    vals["lam"] = 0.5 * edge  # well inside the stable range
    return vals


@pytest.mark.parametrize("name", sorted(set(LINEARIZABLE) - {"adagrad"}))
@pytest.mark.parametrize("seed", range(3))
def test_symbolic_variance_equals_scipy_lyapunov(name, seed):
    ls = od.theory.linearize(name)
    vals = _values(ls, seed)
    subs = {ls.symbols[k]: v for k, v in vals.items()}
    m = np.array(ls.matrix.subs(subs).evalf(30), dtype=float)
    b = np.array(ls.noise_input.subs(subs).evalf(30), dtype=float)
    ref = scipy.linalg.solve_discrete_lyapunov(m, 0.7 * b @ b.T)
    got = float(ls.stationary_variance(sp.Rational(7, 10)).subs(subs))
    assert got == pytest.approx(ref[0, 0], rel=1e-9)
    loss = float(ls.stationary_loss(sp.Rational(7, 10)).subs(subs))
    assert loss == pytest.approx(vals["lam"] * ref[0, 0] / 2, rel=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("name", LINEAR)
def test_stationary_variance_by_monte_carlo(name):
    ls = od.theory.linearize(name)
    hyper = {k: v for k, v in STABLE_POINT.items() if k in od.methods.get(name).hyper}
    if "momentum" not in hyper and "momentum" in ls.symbols:
        hyper["momentum"] = 0.6
    lams = np.array([0.5, 4.0, 15.0])
    sigma, seeds = 0.4, 20_000
    r = od.simulate.run(name, od.simulate.DiagonalQuadratic(lams), steps=1500, seeds=seeds,
                        rng=3, x0=np.zeros(3), noise=od.simulate.AdditiveNoise(sigma),
                        record_every=1500, **hyper)  # fmt: skip
    emp = np.mean(r.x**2, axis=0)  # the mean is 0: E[x] = 0 from x0 = x*
    var = ls.stationary_variance(sp.Float(sigma**2, 30))
    full = od.methods.get(name).resolve(**hyper)  # defaults (dampening, weight_decay) too
    subs = {ls.symbols[k]: v for k, v in full.items() if k in ls.symbols}
    pred = np.array([float(var.subs({**subs, ls.lam: lam})) for lam in lams])
    se = pred * np.sqrt(2 / (seeds - 1))
    assert np.all(np.abs(emp - pred) < 5 * se), (emp, pred)


@pytest.mark.slow
def test_dense_covariance_by_monte_carlo_with_correlated_noise():
    q = od.simulate.Quadratic.from_eigenvalues([0.5, 2.0, 6.0], rng=4)
    cov_noise = np.array([[0.3, 0.1, 0.0], [0.1, 0.2, -0.05], [0.0, -0.05, 0.1]])
    noise = od.simulate.AdditiveNoise(cov=cov_noise)
    pred = od.theory.stationary_covariance("nesterov", q, noise, lr=0.1, momentum=0.7)
    seeds = 20_000
    r = od.simulate.run("nesterov", q, steps=800, seeds=seeds, rng=5, x0=np.zeros(3), noise=noise,
                        record_every=800, lr=0.1, momentum=0.7)  # fmt: skip
    emp = r.x.T @ r.x / seeds
    se = np.sqrt((np.outer(np.diag(pred), np.diag(pred)) + pred**2) / seeds)
    assert np.all(np.abs(emp - pred) < 5 * se)
    loss = od.theory.stationary_loss("nesterov", q, noise, lr=0.1, momentum=0.7)
    assert loss == pytest.approx(np.trace(q.hessian @ pred) / 2, rel=1e-12)


def test_dense_covariance_on_a_diagonal_problem_matches_the_per_mode_variance():
    lams = np.array([0.5, 2.0, 6.0])
    pred = od.theory.stationary_covariance(
        "heavy_ball", od.simulate.DiagonalQuadratic(lams), od.simulate.AdditiveNoise(0.5),
        lr=0.1, momentum=0.3,
    )  # fmt: skip
    ls = od.theory.linearize("heavy_ball", lr=0.1, momentum=0.3)
    var = ls.stationary_variance(sp.Rational(1, 4))
    per_mode = [float(var.subs(ls.lam, sp.Rational(repr(float(lam))))) for lam in lams]
    np.testing.assert_allclose(np.diag(pred), per_mode, rtol=1e-10)
    np.testing.assert_allclose(pred - np.diag(np.diag(pred)), 0, atol=1e-15)


def test_dense_covariance_rejects_unstable_and_nonlinear():
    q = od.simulate.DiagonalQuadratic([1.0, 50.0])
    noise = od.simulate.AdditiveNoise(0.1)
    with pytest.raises(ValueError, match="not stable"):
        od.theory.stationary_covariance("gd", q, noise, lr=0.1)
    with pytest.raises(ValueError, match="not linear"):
        od.theory.stationary_covariance("adam", q, noise, lr=0.1)
