"""Figures ``damping`` and ``trajectories``: simulation against the closed-form theory."""

import numpy as np
import pytest

import optdyn as od
from optdyn.figures.damping import damping_data
from optdyn.figures.trajectories import LINEAR, ORIENTATIONS, trajectories_data

BELOW, CRIT, ABOVE = 0, 1, 2


@pytest.fixture(scope="module")
def damping():
    return damping_data(quick=True)


@pytest.fixture(scope="module")
def traj():
    return trajectories_data(quick=True)


# -- damping ------------------------------------------------------------------------------------
def test_damping_momenta_bracket_the_critical_value(damping):
    d = damping
    assert d.momentum[BELOW] < d.critical == d.momentum[CRIT] < d.momentum[ABOVE] < 1
    # the critical value is a double root: one Jordan block of size 2
    sol = d.modal[CRIT]
    assert len(sol.roots) == 1 and len(sol.coeffs[0]) == 2
    assert len(d.modal[ABOVE].roots) == 2 and np.isfinite(d.period[ABOVE])


def test_damping_closed_form_matches_simulation(damping):
    # the closed form is evaluated at 50 digits; the simulated x_t carries float64 rounding
    # of <= 80 steps, each ~2^-52 relative to |x| <= 1, amplified at most by the double
    # root's factor t: 80 * 80 * 2^-52 < 2e-12
    assert np.max(np.abs(damping.x - damping.x_theory)) <= 2e-12


def test_damping_no_sign_change_below_and_at_critical_is_derived(damping):
    # Theory first. From rest (x_{-1} = x_0 = 1) a mode with real positive roots is
    # x_t = sum_k p_k(t) z_k^t. Double root (critical): p(t) = a + b t with a = x_0 > 0 and
    # b >= 0, so x_t > 0 for all t. Distinct roots 0 < z_2 < z_1 (below): x_t = c_1 z_1^t +
    # c_2 z_2^t with c_1 > 0 and c_1 + c_2 = x_0, so x_t >= z_2^t (c_1 + c_2) = z_2^t x_0 > 0.
    d = damping
    crit, below = d.modal[CRIT], d.modal[BELOW]
    assert crit.real_positive and below.real_positive
    a, b = (float(c.real) for c in crit.coeffs[0])
    assert a == pytest.approx(d.x0, rel=1e-40) and a > 0 and b >= 0
    z = [float(r.real) for r in below.roots]
    c = [float(p[0].real) for p in below.coeffs]
    k = int(np.argmax(z))
    assert c[k] > 0 and sum(c) == pytest.approx(d.x0, rel=1e-12)
    # ... then the simulation: the iterates stay positive (no sign change at all)
    for i in (BELOW, CRIT):
        assert d.crossings[i].size == 0 and np.all(d.x[i] > 0)
    # the underdamped mode has complex roots and does oscillate
    assert not d.modal[ABOVE].real_positive and d.crossings[ABOVE].size >= 2


def test_damping_period_matches_modes(damping):
    d = damping
    meas, pred = d.crossings[ABOVE], d.crossings_theory
    # the true x_t is a damped cosine sampled at integers: each zero crossing lies inside the
    # step [c, c + 1] where x changes sign, and so does its linear interpolation, so each
    # measured crossing is within 1 step of the predicted one (predicted crossings are
    # exactly half a period apart, phase from the closed form)
    assert meas.size == pred.size
    assert np.max(np.abs(meas - pred)) < 1.0
    # so (n - 1) half periods span the first to the last crossing within 2 steps: the period
    # 2 (last - first) / (n - 1) is within 4 / (n - 1) steps of od.theory.modes's
    n = meas.size
    assert d.period_tol[ABOVE] == pytest.approx(4 / (n - 1))
    assert abs(d.measured_period[ABOVE] - d.period[ABOVE]) <= 4 / (n - 1)


def test_damping_envelope_rate_matches_spectral_radius(damping):
    d = damping
    assert d.rate_estimator == ("ratio", "ratio", "hankel")
    # underdamped: the Hankel determinant x_t x_{t+2} - x_{t+1}^2 = -|2c|^2 r^(2t+2) sin^2(theta)
    # decays by exactly r^2 = rho^2 per step; only rounding (relative 1e-8, as in
    # heavy_ball.critical's evidence)
    assert d.measured_rate[ABOVE] == pytest.approx(d.rho[ABOVE], rel=1e-8)
    # no sign change: |x_t1 / x_t0|^(1/(t1 - t0)). Double root: (a + b t) rho^t with a, b >= 0
    # (derived above), so the ratio is between rho and rho (t1/t0)^(1/(t1-t0)); distinct roots:
    # c_1 rho^t (1 + eps_t), eps_t = (c_2/c_1)(z_2/z_1)^t < 0 shrinking, so the ratio is
    # between rho and rho / (1 + eps_t0), with |eps_t0| < 1e-20 here
    t0, t1 = d.window
    for i in (BELOW, CRIT):
        lo, hi = d.rho[i] * (1 - 1e-12), d.rho[i] * (t1 / t0) ** (1 / (t1 - t0)) * (1 + 1e-12)
        assert lo <= d.measured_rate[i] <= hi, i
    # and the spectral radius is od.theory.modes's largest modulus
    ls = od.theory.linearize("heavy_ball")
    for i, b in enumerate(d.momentum):
        mods = [m["modulus"] for m in od.theory.modes(ls, lam=d.lam, lr=d.lr, momentum=b)]
        # near the double root the float roots split by ~sqrt(2^-52): 1e-7 relative
        assert max(mods) == pytest.approx(d.rho[i], rel=1e-7)


def test_damping_loss_oscillates_iff_underdamped(damping):
    # heavy_ball.loss_oscillation: from rest the loss is nonincreasing iff the mode is not
    # underdamped (lr * lam = 0.1 <= 1 here); comparisons are exact up to 1 ulp of the loss
    dl = np.diff(damping.loss, axis=1)
    tol = 4 * np.finfo(float).eps * damping.loss[:, 1:]
    assert np.all(dl[BELOW] <= tol[BELOW]) and np.all(dl[CRIT] <= tol[CRIT])
    assert np.any(dl[ABOVE] > 0)


# -- trajectories -------------------------------------------------------------------------------
def test_trajectories_are_those_of_simulate_run(traj):
    d = traj
    n = d.steps + 1
    for o in ORIENTATIONS:
        H = d.H[o]
        assert np.allclose(H, H.T) and np.allclose(np.linalg.eigvalsh(H), d.eigs)
        for name, it in d.iterates[o].items():
            assert it.shape == (n, 2) and d.loss[o][name].shape == (n,), (o, name)
            assert np.array_equal(it[0], d.x0[o])
            assert np.allclose(d.dist[o][name], np.linalg.norm(it, axis=1), rtol=1e-12)
            f = 0.5 * np.einsum("ti,ij,tj->t", it, H, it)
            assert np.allclose(d.loss[o][name], f, rtol=1e-12, atol=1e-300)
    # the same runs, made again, give the same iterates bit for bit
    problem = od.simulate.Quadratic(d.H["rotated"])
    for name in ("heavy_ball", "adam"):
        r = od.simulate.run(name, problem, steps=d.steps, x0=d.x0["rotated"],
                            keep_iterates=True, **d.hyper[name])  # fmt: skip
        assert r.iterates.shape == (1, n, 2)
        assert np.array_equal(r.iterates[0], d.iterates["rotated"][name])


def test_trajectories_linear_distance_matches_closed_form(traj):
    # closed form at 50 digits against float64 iterates: rounding of <= 40 steps, amplified
    # at most by the factor t of the (near-)double roots at the minimax tuning:
    # 40 * 40 * 2^-52 < 1e-12; 1e-10 leaves a factor 100 for the rotation's rounding
    for o in ORIENTATIONS:
        for name in LINEAR:
            rel = np.abs(traj.dist[o][name] / traj.dist_theory[name] - 1)
            assert rel.max() <= 1e-10, (o, name)


def test_trajectories_linear_contraction_is_the_minimax_rate(traj):
    d = traj
    t0, t1 = d.window
    for name in LINEAR:
        # theory: no mode of the tuned method on these curvatures is slower than the minimax
        # rate (od.theory.optimal), and the ends of [mu, L] attain it
        ls = od.theory.linearize(name)
        rho = [float(ls.spectral_radius(lam=lam, **d.hyper[name])) for lam in d.eigs]
        # (float roots near a double root split by ~sqrt(2^-52): 1e-7 relative)
        assert max(rho) == pytest.approx(d.rate[name], rel=1e-7), name
        # late window [t0, t1]: the slowest modes have modulus = rate; at heavy ball's and
        # Nesterov's minimax tuning they are (numerically) double roots, x_t = (a + b t) z^t
        # with a, b >= 0 from rest, which multiplies the contraction by at most
        # (t1/t0)^(1/(t1 - t0)) (gd: none); the only faster mode (Nesterov's at L, modulus
        # rate/3) is down by 3^-t0 < 1e-9 at t0 >= 20. So the measured contraction is in
        # [rate (1 - 1e-9), rate (t1/t0)^(1/(t1 - t0)) (1 + 1e-9)]
        hi = d.rate[name] * (t1 / t0) ** (1 / (t1 - t0)) * (1 + 1e-9)
        for o in ORIENTATIONS:
            assert d.rate[name] * (1 - 1e-9) <= d.measured_rate[o][name] <= hi, (o, name)
    assert d.measured_rate["axis-aligned"]["gd"] == pytest.approx(d.rate["gd"], rel=1e-9)


def test_trajectories_rotation_changes_only_the_adaptive_methods(traj):
    d = traj
    # linear methods commute with the rotation (the start is rotated with the bowl): equal
    # distances up to rounding (<= 1e-12 relative, as above)
    for name in LINEAR:
        a, b = (d.dist[o][name] for o in ORIENTATIONS)
        assert np.max(np.abs(a / b - 1)) <= 1e-10, name
    for name, decay in (("adam", "beta2"), ("rmsprop", "decay")):
        # adaptive.scale_invariance: on the axis-aligned bowl the coordinates of adam and
        # rmsprop do not see the curvatures; from x0 = (-2, 2) they stay opposite, exactly
        # with eps = 0. eps > 0 changes each step, lr m / (sqrt(v) + eps), by at most
        # eps / sqrt(v) of itself. The first gradients are |g_1| = (2, 50) and
        # v_t >= (1 - b) b^(t-1) g_1^2 (bias correction only raises it), so
        # sqrt(v_t) >= 2 sqrt(1 - b) b^(steps/2) over the run; to first order (no
        # amplification), each coordinate drifts by at most eps / min sqrt(v) times its path
        m = od.methods.get(name)
        b, eps = m.hyper[decay].default, m.hyper["eps"].default
        sqrt_v_min = 2 * np.sqrt(1 - b) * b ** (d.steps / 2)
        it = d.iterates["axis-aligned"][name]
        path = np.sum(np.abs(np.diff(it, axis=0)), axis=0)
        assert np.max(np.abs(it[:, 0] + it[:, 1])) <= eps / sqrt_v_min * path.sum(), name
        # on the rotated bowl they do (measured: 3.6x and 11x farther after 40 steps)
        a, b = (d.dist[o][name][-1] for o in ORIENTATIONS)
        assert b > 2 * a, name
        # and both reach a loss below the start
        for o in ORIENTATIONS:
            assert d.loss[o][name][-1] < d.loss[o][name][0], (o, name)
