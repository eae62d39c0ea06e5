"""The simulate layer: grids, reproducibility, divergence flags, problems and noise.

References are independent of the runner: closed-form products for gradient
descent on a diagonal quadratic, direct numpy evaluations of the objectives,
scipy's discrete Lyapunov solver for stationary covariances, and the runner's
own scalar (non-grid) path for broadcasting.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

import optdyn as od
from optdyn.simulate import runner

EIGS = np.array([0.5, 3.0, 20.0])
PROBLEM = od.simulate.DiagonalQuadratic(EIGS)


def test_grid_shapes_and_recorded_steps():
    g = od.simulate.grid(lr=[0.01, 0.02, 0.03, 0.04], momentum=[0.0, 0.5, 0.9])
    r = od.simulate.run("heavy_ball", PROBLEM, steps=20, seeds=5, **g)
    assert r.grid_shape == (4, 3)
    assert r.x.shape == (4, 3, 5, 3)
    assert r.loss.shape == r.dist.shape == (4, 3, 5, 21)
    assert r.diverged.shape == r.divergence_step.shape == (4, 3, 5)
    np.testing.assert_array_equal(r.t, np.arange(21))


@pytest.mark.parametrize("name", ["heavy_ball", "nesterov", "adam", "rmsprop", "sam"])
def test_each_grid_point_equals_its_scalar_run(name):
    lrs, moms = [0.002, 0.01, 0.05], [0.0, 0.9]
    noise = od.simulate.AdditiveNoise(sigma=0.3)
    extra = od.simulate.grid(lr=lrs, momentum=moms) if "momentum" in _required(name) else {}
    if not extra:
        extra = {"lr": np.array(lrs)}
    r = od.simulate.run(name, PROBLEM, steps=30, seeds=4, rng=7, noise=noise, **extra)
    for idx in np.ndindex(r.grid_shape):
        point = {k: float(np.broadcast_to(v, r.grid_shape)[idx]) for k, v in extra.items()}
        ref = od.simulate.run(name, PROBLEM, steps=30, seeds=4, rng=7, noise=noise, **point)
        np.testing.assert_array_equal(r.loss[idx], ref.loss)
        np.testing.assert_array_equal(r.x[idx], ref.x)


def _required(name):
    m = od.methods.get(name)
    return [k for k, d in m.hyper.items() if d.required]


def test_gd_matches_closed_form_product():
    lr = np.array([0.01, 0.05, 0.09])
    x0 = np.array([1.0, -2.0, 0.5])
    r = od.simulate.run("gd", PROBLEM, steps=40, x0=x0, lr=lr, keep_iterates=True)
    t = np.arange(41)[:, None]
    for i, a in enumerate(lr):
        expected = (1 - a * EIGS) ** t * x0
        np.testing.assert_allclose(r.iterates[i, 0], expected, rtol=1e-12, atol=1e-300)
        loss = 0.5 * np.sum(EIGS * expected**2, axis=-1)
        np.testing.assert_allclose(r.loss[i, 0], loss, rtol=1e-12)
        np.testing.assert_allclose(r.dist[i, 0], np.linalg.norm(expected, axis=-1), rtol=1e-12)


@pytest.mark.parametrize("chunk_size", [1, 2, 5])
@pytest.mark.parametrize("dense", [True, False], ids=["dense", "diagonal"])
def test_results_do_not_depend_on_grid_chunking(chunk_size, dense):
    g = od.simulate.grid(lr=np.linspace(0.001, 0.1, 6), momentum=[0.0, 0.5, 0.95])
    eigs = np.geomspace(0.5, 20.0, 37)  # a dimension that is no multiple of a SIMD width
    q = (
        od.simulate.Quadratic.from_eigenvalues(eigs, rng=3)
        if dense
        else od.simulate.DiagonalQuadratic(eigs)
    )
    kw = dict(steps=50, seeds=9, rng=11, noise=od.simulate.AdditiveNoise(sigma=0.1))
    ref = od.simulate.run("nesterov", q, **kw, **g)
    got = od.simulate.run("nesterov", q, chunk_size=chunk_size, **kw, **g)
    np.testing.assert_array_equal(got.loss, ref.loss)
    np.testing.assert_array_equal(got.x, ref.x)
    np.testing.assert_array_equal(got.divergence_step, ref.divergence_step)


def test_results_do_not_depend_on_seed_chunking(monkeypatch):
    kw = dict(steps=30, seeds=50, rng=5, noise=od.simulate.AdditiveNoise(sigma=0.2))
    lr = np.array([0.01, 0.03])
    monkeypatch.setattr(runner, "SEED_BLOCK", 8)
    ref = od.simulate.run("adam", PROBLEM, lr=lr, **kw)
    monkeypatch.setattr(runner, "CHUNK_BYTES", 1)  # forces one seed block per chunk
    got = od.simulate.run("adam", PROBLEM, lr=lr, **kw)
    np.testing.assert_array_equal(got.loss, ref.loss)
    np.testing.assert_array_equal(got.x, ref.x)


def test_rng_semantics():
    noise = od.simulate.AdditiveNoise(sigma=1.0)
    kw = dict(steps=10, seeds=3, noise=noise, lr=0.1)
    a = od.simulate.run("gd", PROBLEM, rng=1, **kw)
    b = od.simulate.run("gd", PROBLEM, rng=1, **kw)
    c = od.simulate.run("gd", PROBLEM, rng=2, **kw)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    gen = np.random.default_rng(1)
    d = od.simulate.run("gd", PROBLEM, rng=gen, **kw)
    e = od.simulate.run("gd", PROBLEM, rng=gen, **kw)
    assert not np.array_equal(d.x, e.x)  # a Generator moves on
    assert len({tuple(row) for row in a.x.round(12).tolist()}) == 3  # seeds differ
    # a deterministic run never draws from the generator
    gen = np.random.default_rng(4)
    state = gen.bit_generator.state
    od.simulate.run("gd", PROBLEM, steps=5, rng=gen, lr=0.1)
    assert gen.bit_generator.state == state


def test_common_random_numbers_across_the_grid():
    r = od.simulate.run(
        "heavy_ball", PROBLEM, steps=25, seeds=4, rng=0,
        noise=od.simulate.AdditiveNoise(sigma=0.5), lr=np.array([0.02, 0.02]), momentum=0.5,
    )  # fmt: skip
    np.testing.assert_array_equal(r.x[0], r.x[1])


def test_divergence_is_flagged_and_isolated():
    # lr * 20 > 2 makes gd diverge on the stiffest coordinate; others converge
    lr = np.array([0.05, 0.2, 0.08, 0.5])
    r = od.simulate.run("gd", PROBLEM, steps=300, seeds=2, lr=lr)
    np.testing.assert_array_equal(r.diverged[:, 0], [False, True, False, True])
    assert not np.isnan(r.loss).any() and not np.isnan(r.dist).any()
    assert np.isnan(r.x[r.diverged]).all() and np.isfinite(r.x[~r.diverged]).all()
    for i in np.flatnonzero(r.diverged[:, 0]):
        k = r.divergence_step[i, 0]
        assert np.all(np.isinf(r.loss[i, 0, k:])) and np.all(np.isfinite(r.loss[i, 0, :k]))
        # the flagged growth: |1 - lr*20|^k exceeds the 1e10 factor at the flagged step
        growth = abs(1 - lr[i] * 20.0)
        assert growth ** (k - 1) * 1.0 <= 1e10 * np.sqrt(3) < growth**k * np.sqrt(3) * 1.01
    alone = od.simulate.run("gd", PROBLEM, steps=300, seeds=2, lr=lr[[0, 2]])
    np.testing.assert_array_equal(alone.loss, r.loss[[0, 2]])


def test_overflow_is_flagged_without_warnings():
    # lr so large that the state overflows to inf within a few steps (warnings are errors here)
    r = od.simulate.run("adam", PROBLEM, steps=50, lr=np.array([1e-3, 1e300]), record_every=10)
    r2 = od.simulate.run("heavy_ball", PROBLEM, steps=50, lr=np.array([1e200]), momentum=2.0)
    assert r2.diverged.all()
    assert not r.diverged[0].any()


def test_record_every_subsamples_the_full_record():
    kw = dict(steps=23, seeds=3, rng=2, noise=od.simulate.AdditiveNoise(sigma=0.1), lr=0.05)
    full = od.simulate.run("nadam", PROBLEM, keep_iterates=True, **kw)
    some = od.simulate.run("nadam", PROBLEM, record_every=5, keep_iterates=True, **kw)
    np.testing.assert_array_equal(some.t, [0, 5, 10, 15, 20, 23])
    np.testing.assert_array_equal(some.loss, full.loss[..., some.t])
    np.testing.assert_array_equal(some.iterates, full.iterates[..., some.t, :])
    np.testing.assert_array_equal(full.iterates[..., -1, :], full.x)


def test_x0_broadcasting():
    seeds, g = 3, {"lr": np.array([0.01, 0.02])}
    x0_seeds = np.arange(9.0).reshape(seeds, 3)
    r = od.simulate.run("gd", PROBLEM, steps=1, seeds=seeds, x0=x0_seeds, keep_iterates=True, **g)
    np.testing.assert_array_equal(r.iterates[:, :, 0], np.broadcast_to(x0_seeds, (2, 3, 3)))
    x0_full = np.arange(18.0).reshape(2, seeds, 3)
    r = od.simulate.run("gd", PROBLEM, steps=1, seeds=seeds, x0=x0_full, keep_iterates=True, **g)
    np.testing.assert_array_equal(r.iterates[:, :, 0], x0_full)
    r = od.simulate.run("gd", PROBLEM, steps=1, lr=0.1, keep_iterates=True)
    np.testing.assert_array_equal(r.iterates[0, 0], PROBLEM.x_star + 1)


@pytest.mark.parametrize("name", ["gd", "heavy_ball", "nesterov", "sgd_momentum", "sam"])
def test_rotation_equivariance_of_euclidean_methods(name):
    # methods built from linear combinations and Euclidean norms commute with rotations:
    # running on Q diag(eigs) Q^T from Q y0 gives Q times the diagonal run from y0
    q = od.simulate.Quadratic.from_eigenvalues(EIGS, rng=8)
    rot = np.linalg.eigh(q.hessian)[1]
    y0 = rot.T @ np.array([1.0, -1.0, 2.0])
    kw = {"lr": 0.04, **({"momentum": 0.7} if "momentum" in _required(name) else {})}
    evals = np.linalg.eigvalsh(q.hessian)
    # 30 steps: SAM's normalised perturbation amplifies rounding once it nears its
    # limit cycle around x*, so longer horizons compare chaos rather than the map
    diag = od.simulate.run(name, od.simulate.DiagonalQuadratic(evals), steps=30, x0=y0, **kw)
    dense = od.simulate.run(name, q, steps=30, x0=rot @ y0, **kw)
    np.testing.assert_allclose(dense.x[0], rot @ diag.x[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dense.loss, diag.loss, rtol=1e-9, atol=1e-15)


def test_quadratic_objective_against_direct_evaluation():
    gen = np.random.default_rng(0)
    a = gen.standard_normal((5, 5))
    h = a @ a.T
    xs = gen.standard_normal(5)
    q = od.simulate.Quadratic(h, x_star=xs)
    pts = gen.standard_normal((4, 2, 5))
    f = lambda x: 0.5 * x @ h @ x - xs @ h @ x  # noqa: E731 - f* = -xs' h xs / 2
    loss, dist2 = q.excess_loss(pts)
    expected = np.array([[f(p) + 0.5 * xs @ h @ xs for p in row] for row in pts])
    np.testing.assert_allclose(loss, expected, rtol=1e-10)
    np.testing.assert_allclose(dist2, np.sum((pts - xs) ** 2, -1), rtol=1e-12)
    num = np.array([(f(pts[0, 0] + e) - f(pts[0, 0] - e)) / 2e-6 for e in 1e-6 * np.eye(5)])
    np.testing.assert_allclose(q.grad(pts)[0, 0], num, rtol=1e-6)


def test_least_squares_full_and_minibatch_gradients():
    ls = od.simulate.LeastSquares.synthetic(40, 3, rng=1, label_noise=0.5, batch_size=4)
    a, b = ls.A, ls.b
    x = np.array([0.3, -0.2, 1.0])
    full = a.T @ (a @ x - b) / len(b)
    np.testing.assert_allclose(ls.grad(x[None, None]), full[None, None], rtol=1e-10)
    f = lambda z: np.sum((a @ z - b) ** 2) / (2 * len(b))  # noqa: E731
    loss, _ = ls.excess_loss(x)
    np.testing.assert_allclose(loss, f(x) - f(ls.x_star), rtol=1e-10)
    # minibatch gradients are unbiased: Monte-Carlo mean within 5 standard errors
    gen = np.random.default_rng(3)
    n = 40000
    draws = ls.grad(np.broadcast_to(x, (n, 3)), ls.sample(gen, n))
    se = draws.std(axis=0, ddof=1) / np.sqrt(n)
    assert np.all(np.abs(draws.mean(axis=0) - full) < 5 * se)


@pytest.mark.parametrize(
    "noise",
    [
        od.simulate.AdditiveNoise(sigma=0.7),
        od.simulate.AdditiveNoise(sigma=[0.1, 1.0, 2.0]),
        od.simulate.AdditiveNoise(cov=[[1.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 0.5]]),
        od.simulate.HessianNoise(2.0, batch_size=4),
    ],
    ids=["isotropic", "diagonal", "full", "hessian"],
)
def test_noise_covariance_by_monte_carlo(noise):
    n = 200_000
    z = noise.sample(np.random.default_rng(0), n, PROBLEM)
    cov = noise.covariance(PROBLEM)
    emp = z.T @ z / n
    # standard error of a sample second moment E[z_i z_j]: sqrt((S_ii S_jj + S_ij^2) / n)
    se = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / n)
    assert np.all(np.abs(emp - cov) < 5 * se + 1e-300)
    if isinstance(noise, od.simulate.HessianNoise):
        np.testing.assert_allclose(cov, 2.0 / 4 * np.diag(EIGS))


@pytest.mark.slow
def test_stationary_covariance_of_heavy_ball_against_scipy_lyapunov():
    """Monte-Carlo stationary covariance of heavy ball vs scipy's Lyapunov solver.

    The iteration matrix comes from a numeric Jacobian of the step (central
    differences on the state), the noise input from the step's response to a
    gradient offset; the stationary covariance solves S = M S M^T + Q.
    """
    lr, mom, sigma = 0.05, 0.6, 0.3
    q = od.simulate.Quadratic.from_eigenvalues([1.0, 4.0], rng=2)
    m = od.methods.get("heavy_ball")
    ops = od.simulate.NUMPY_OPS

    def flat_step(z, xi):
        s = od.methods.State(x=z[:2], x_prev=z[2:])
        out = m.step(s, lambda p: q.hessian @ p + xi, ops, t=5, lr=lr, momentum=mom)
        return np.concatenate([out.x, out.x_prev])

    eye, h = np.eye(4), 1e-6
    jac = np.column_stack([(flat_step(e * h, 0) - flat_step(-e * h, 0)) / (2 * h) for e in eye])
    b = np.column_stack([(flat_step(np.zeros(4), e) - flat_step(np.zeros(4), -e))[:4] / 2
                         for e in np.eye(2)])  # fmt: skip
    cov = scipy.linalg.solve_discrete_lyapunov(jac, sigma**2 * b @ b.T)[:2, :2]

    seeds = 40_000
    r = od.simulate.run(
        m, q, steps=400, seeds=seeds, rng=0, x0=np.zeros(2),
        noise=od.simulate.AdditiveNoise(sigma=sigma), lr=lr, momentum=mom,
    )  # fmt: skip
    emp = r.x.T @ r.x / seeds
    se = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / seeds)
    assert np.all(np.abs(emp - cov) < 5 * se)


def test_state0_sets_the_other_state_variables():
    # heavy ball from x_prev = x0 - d: x1 = x0 - lr*lam*x0 + momentum*d
    problem = od.simulate.DiagonalQuadratic([2.0, 3.0])
    x0, d = np.array([1.0, -1.0]), np.array([0.5, 0.25])
    r = od.simulate.run("heavy_ball", problem, steps=1, x0=x0, state0={"x_prev": x0 - d},
                        lr=0.1, momentum=0.7)  # fmt: skip
    expect = x0 - 0.1 * np.array([2.0, 3.0]) * x0 + 0.7 * d
    np.testing.assert_allclose(r.x[0], expect, rtol=1e-15)


def test_start_counts_steps_from_a_given_step():
    # at a large step counter Adam's bias corrections are 1: the first step from zero
    # moments is lr*(1-beta1)*g / (sqrt(1-beta2)*|g| + eps)
    problem = od.simulate.DiagonalQuadratic([4.0])
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    g = 4.0
    r = od.simulate.run("adam", problem, steps=1, start=10**7, lr=lr, beta1=b1, beta2=b2, eps=eps)
    expect = 1.0 - lr * (1 - b1) * g / (np.sqrt(1 - b2) * g + eps)
    np.testing.assert_allclose(r.x[0, 0], expect, rtol=1e-14)
    # start=1 is the default
    a = od.simulate.run("adam", problem, steps=3, lr=lr)
    b = od.simulate.run("adam", problem, steps=3, start=1, lr=lr)
    np.testing.assert_array_equal(a.x, b.x)


def test_frozen_preconditioner_by_state0():
    # v held at V (beta2 -> 1, step counter large): Adam is EMA momentum with lr/(sqrt(V)+eps)
    problem = od.simulate.DiagonalQuadratic([1.0, 30.0])
    V, lr, eps = 4.0, 0.05, 1e-8
    a = od.simulate.run("adam", problem, steps=200, **od.simulate.freeze("adam", v=V),
                        lr=lr, beta1=0.9, eps=eps)  # fmt: skip
    b = od.simulate.run("ema_momentum", problem, steps=200, lr=lr / (2.0 + eps), momentum=0.9)
    np.testing.assert_allclose(a.dist, b.dist, rtol=1e-7)


@pytest.mark.parametrize(
    ("state0", "match"),
    [
        ([1.0], "state0 must be a dict"),
        ({"v": 1.0}, "'v' is not a state variable of heavy_ball"),
        ({"x": 1.0}, "'x' is not a state variable"),
        ({"x_prev": np.ones(3)}, r"state0\['x_prev'\] must broadcast"),
        ({"x_prev": np.nan}, r"state0\['x_prev'\] must be finite"),
    ],
)
def test_state0_bad_input(state0, match):
    problem = od.simulate.DiagonalQuadratic([1.0, 2.0])
    with pytest.raises((TypeError, ValueError), match=match):
        od.simulate.run("heavy_ball", problem, steps=2, state0=state0, lr=0.1, momentum=0.5)


@pytest.mark.parametrize("start", [0, -1, 1.5, True])
def test_start_bad_input(start):
    with pytest.raises((TypeError, ValueError), match="start must be an integer >= 1"):
        od.simulate.run("gd", od.simulate.DiagonalQuadratic([1.0]), steps=2, start=start, lr=0.1)


@pytest.mark.parametrize("name", ["rmsprop", "amsgrad", "adamw"])
def test_freeze_holds_the_preconditioner(name):
    # gd with lr / P on the same problem: rmsprop frozen at v = V is gd with lr/(sqrt(V)+eps);
    # for the Adam family the frozen run matches EMA momentum (decoupled decay: checked at 0)
    problem = od.simulate.DiagonalQuadratic([0.5, 3.0])
    V, lr, eps = 0.81, 0.02, 1e-8
    hyper = {"lr": lr, "eps": eps} | ({"weight_decay": 0.0} if name == "adamw" else {})
    a = od.simulate.run(name, problem, steps=300, **od.simulate.freeze(name, v=V), **hyper)
    if name == "rmsprop":
        b = od.simulate.run("gd", problem, steps=300, lr=lr / (0.9 + eps))
    else:
        b = od.simulate.run("ema_momentum", problem, steps=300, lr=lr / (0.9 + eps), momentum=0.9)
    np.testing.assert_allclose(a.dist, b.dist, rtol=1e-7)


def test_freeze_bad_input():
    with pytest.raises(ValueError, match="gd has no slow state"):
        od.simulate.freeze("gd")
    with pytest.raises(ValueError, match="'m' is not a slow state of adam"):
        od.simulate.freeze("adam", m=1.0)
