"""Figures sweeps, bias_correction and adaptive_edge: simulation against theory."""

import numpy as np
import pytest
import sympy as sp

import optdyn as od
from optdyn.figures import adaptive_edge, bias_correction, sweeps


@pytest.fixture(scope="module")
def sweep_data():
    return sweeps.sweeps_data(quick=True)


@pytest.mark.parametrize("which", ["lr", "momentum"])
def test_sweep_mean_final_loss_matches_exact_prediction(sweep_data, which):
    sw = getattr(sweep_data, which)
    # the prediction is exact (mean M^T s0 and covariance Sigma_inf - M^T Sigma_inf M^T' of a
    # linear recursion): no transient bias, only Monte-Carlo error; 5 standard errors over
    # 32 seeds (seed 0) wherever theory says no seed is flagged diverged
    calm = sw.flagged == -1
    assert calm.sum() >= sw.values.size // 2
    assert np.all(np.isfinite(sw.measured[calm]))
    z = np.abs(sw.measured[calm] - sw.predicted[calm]) / sw.stderr[calm]
    assert z.max() <= 5, (sw.values[calm][np.argmax(z)], z.max())


@pytest.mark.parametrize("which", ["lr", "momentum"])
def test_sweep_divergence_exactly_where_theory_says_unstable(sweep_data, which):
    sw = getattr(sweep_data, which)
    unstable = np.array([r == "unstable" for r in sw.regime])
    assert np.array_equal(unstable, sw.rho >= 1)
    assert unstable.any() and (~unstable).any()
    # flags decided by Gaussian tail (flagged) and Markov (not flagged) bounds on the exact
    # moments of x_T, each wrong with probability <= 1e-6 per seed
    assert np.all(sw.diverged[sw.flagged == 1] == 1.0)
    assert np.all(sw.diverged[sw.flagged == -1] == 0.0)
    # every stable setting is never flagged; an unstable one is flagged unless it sits at the
    # edge, where its fastest mode grows by less than the runner's divergence factor in T steps
    assert np.all(sw.flagged[~unstable] == -1)
    edge = unstable & (sw.flagged != 1)
    assert np.all(sw.rho[edge] ** sweep_data.steps < sweeps.DIVERGENCE)


def test_sweep_regimes_follow_theory(sweep_data):
    lr, mom = sweep_data.lr, sweep_data.momentum
    assert set(lr.regime) == {"too low", "good", "too high", "unstable"}
    # the regimes are ordered along lr: too low < good < too high < unstable
    order = {"too low": 0, "good": 1, "too high": 2, "unstable": 3}
    assert np.all(np.diff([order[r] for r in lr.regime]) >= 0)
    assert lr.marks["edge"] == pytest.approx(2 / sweep_data.eigenvalues[-1])  # momentum 0
    # momentum: unstable below the edge, then over-, critically and under-damped (slowest mode)
    order = {"unstable": 0, "over-damped": 1, "critically damped": 2, "under-damped": 3}
    assert np.all(np.diff([order[r] for r in mom.regime]) >= 0)
    crit = mom.marks["critical (slowest mode)"]
    assert all((m < crit) == (r in ("unstable", "over-damped"))
               for m, r in zip(mom.values, mom.regime, strict=True)
               if r != "critically damped")  # fmt: skip


def test_sweeps_table(sweep_data):
    table = sweeps.sweeps_table(sweep_data)
    rows = table.splitlines()
    assert rows[0].startswith("| sweep | lr | momentum | regime")
    assert len(rows) == 2 + sweep_data.lr.values.size + sweep_data.momentum.values.size
    assert "diverged" in table and "good" in table and "under-damped" in table


def test_bias_correction_ratio_matches_derivation():
    d = bias_correction.bias_correction_data(quick=True)
    # the tolerance is derived per (beta1, beta2) from the drift of the gradient over the runs,
    # eps and rounding (see the module docstring); it is ~3e-8 here
    assert np.all(d.tolerance < 1e-6)
    assert np.all(d.rel_error <= d.tolerance[:, None])
    # the derivation runs adam's step on symbols: the ratio is 1 at t -> infinity and, for the
    # torch defaults, above 1 at t = 1 (the uncorrected first step is larger)
    i = d.pairs.index((0.9, 0.999))
    assert d.theory[i, 0] > 3
    expr, (b1, b2, t) = bias_correction.bias_ratio()
    assert float(expr.subs({b1: 0.9, b2: 0.999, t: 10**6})) == pytest.approx(1.0)
    # the same ratio from od.theory.linearize: the gradient gain of the frozen linearization at
    # t -> infinity over that at step t = 3 (same raw moments), eps -> 0; exact
    fixed = {"beta1": sp.Rational(9, 10), "beta2": sp.Rational(999, 1000)}
    at_t, at_inf = od.theory.linearize("adam", t=3, **fixed), od.theory.linearize("adam", **fixed)
    gain = (at_inf.noise_input[0] / at_t.noise_input[0]).subs(at_t.symbols["eps"], 0)
    assert sp.simplify(gain - expr.subs({b1: fixed["beta1"], b2: fixed["beta2"], t: 3})) == 0


def test_adaptive_edge_sharpness_settles_at_the_threshold():
    d = adaptive_edge.adaptive_edge_data(quick=True)
    # the recomputed second moment reproduces every displacement of the run (rounding)
    assert d.replay_error <= 1e-13
    # the sharpness starts far below the threshold and reaches it before the tail
    assert np.all(d.sharpness[:, 0] < 0.01 * d.threshold)
    assert np.all((d.first_hit > 0) & (d.first_hit < d.tail))
    # the threshold derived per P from the frozen linearization is adam.threshold's statement
    # divided by P (exact: sympy)
    expr, syms = adaptive_edge.sharpness_threshold()
    names = {s.name: s for s in syms} | {"P": sp.Symbol("P", positive=True)}
    stated = sp.sympify(od.proofs.get("adam.threshold").stated["threshold"], locals=names)
    assert sp.simplify(stated / names["P"] - expr) == 0
    f = sp.lambdify(syms, expr)
    assert np.allclose(d.threshold, [f(**{"beta1": b1, "lr": d.lr}) for b1, _ in d.pairs])
    # late training: the tail mean of P_t = sqrt(v_hat_t) + eps lies in adaptive.adam_settles'
    # stated band of the edge P* = lam / threshold; so the sharpness at the tail-mean
    # preconditioner lies within [1/hi, 1/lo] of the threshold (these runs are inside that
    # theorem's assumptions: beta1 in [0.8, 0.95], beta2 = 0.99, lr = 0.01, lam = 1, tail = the
    # last half). The runs never converge (lr lam / eps is far beyond the threshold at P = eps)
    lo, hi = (float(v) for v in od.proofs.get("adaptive.adam_settles").stated[
        "tail mean of P / P* in"])  # fmt: skip
    assert np.all((d.tail_mean_p >= lo) & (d.tail_mean_p <= hi)), d.tail_mean_p
    assert np.all(d.tail_max_x > 1e-6)
