"""Minibatches drawn without replacement, and gradient noise correlated across steps.

References are independent of the code under test: exact enumeration of every
minibatch (all ordered tuples with replacement, all subsets without), the
closed-form variance of gradient descent under AR(1) noise (a geometric double
series), the impulse response of a method's own step (``od.simulate.trace``), and
Monte Carlo with 5-standard-error tolerances.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import optdyn as od

GEN = np.random.default_rng(20)
A6 = GEN.standard_normal((6, 2))
B6 = GEN.standard_normal(6)
X = np.array([0.4, -0.7])


def _enumerated_covariance(batches) -> np.ndarray:
    """Covariance of the minibatch-mean gradient over equally likely ``batches``."""
    per = A6 * (A6 @ X - B6)[:, None]
    means = np.array([per[list(b)].mean(axis=0) for b in batches])
    dev = means - per.mean(axis=0)
    return dev.T @ dev / len(means)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 6])
def test_gradient_covariance_equals_enumeration_of_every_minibatch(size):
    with_r = od.simulate.LeastSquares(A6, B6, batch_size=size)
    without = od.simulate.LeastSquares(A6, B6, batch_size=size, replace=False)
    tuples = itertools.product(range(6), repeat=size)  # 6**B equally likely ordered draws
    subsets = itertools.combinations(range(6), size)  # C(6, B) equally likely subsets
    np.testing.assert_allclose(
        with_r.gradient_covariance(X), _enumerated_covariance(tuples), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(
        without.gradient_covariance(X), _enumerated_covariance(subsets), rtol=1e-12, atol=1e-14
    )


def test_full_batch_gradient_covariance_is_zero():
    full = od.simulate.LeastSquares(A6, B6)
    assert np.array_equal(full.gradient_covariance(X), np.zeros((2, 2)))


@pytest.mark.parametrize(("n_rows", "size"), [(6, 3), (40, 3), (40, 6)])
def test_minibatches_without_replacement_are_uniform_subsets(n_rows, size):
    """Each draw has distinct rows; inclusion frequencies match B/n and B(B-1)/(n(n-1)).

    Small batches (B^2 <= n) are drawn by rejection, larger ones by sorting keys."""
    draws = 60_000
    gen = np.random.default_rng(n_rows)
    prob = od.simulate.LeastSquares(gen.normal(size=(n_rows, 2)), gen.normal(size=n_rows),
                                    batch_size=size, replace=False)  # fmt: skip
    idx = prob.sample(np.random.default_rng(1), draws)
    assert idx.shape == (draws, size)
    assert np.all(np.sort(idx, axis=1)[:, 1:] != np.sort(idx, axis=1)[:, :-1])
    member = np.zeros((draws, n_rows))
    np.put_along_axis(member, idx, 1.0, axis=1)
    p1 = size / n_rows
    se1 = np.sqrt(p1 * (1 - p1) / draws)  # 5 sigma on a Bernoulli frequency
    assert np.all(np.abs(member.mean(axis=0) - p1) < 5 * se1)
    pair = (member.T @ member / draws)[np.triu_indices(n_rows, 1)]
    p2 = size * (size - 1) / (n_rows * (n_rows - 1))
    se2 = np.sqrt(p2 * (1 - p2) / draws)
    assert np.all(np.abs(pair - p2) < 5 * se2)


@pytest.mark.parametrize("replace", [True, False])
def test_minibatch_gradients_have_the_stated_mean_and_covariance(replace):
    prob = od.simulate.LeastSquares.synthetic(40, 3, rng=2, label_noise=0.5, batch_size=8,
                                              replace=replace)  # fmt: skip
    x = np.array([0.3, -0.2, 1.0])
    n = 40_000
    g = prob.grad(np.broadcast_to(x, (n, 3)), prob.sample(np.random.default_rng(5), n))
    full = prob.grad(x)
    se = g.std(axis=0, ddof=1) / np.sqrt(n)
    assert np.all(np.abs(g.mean(axis=0) - full) < 5 * se)
    sq = np.sum((g - full) ** 2, axis=1)  # E|g - grad f|^2 = tr(covariance)
    assert abs(sq.mean() - np.trace(prob.gradient_covariance(x))) < 5 * sq.std() / np.sqrt(n)


def test_a_full_batch_drawn_without_replacement_is_the_full_gradient():
    prob = od.simulate.LeastSquares(A6, B6, batch_size=6, replace=False)
    full = od.simulate.LeastSquares(A6, B6)
    kw = dict(steps=30, seeds=3, lr=0.3, momentum=0.5)
    stochastic = od.simulate.run("heavy_ball", prob, rng=0, **kw)
    exact = od.simulate.run("heavy_ball", full, **kw)
    np.testing.assert_allclose(stochastic.x, exact.x, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 7, "replace": False}, ValueError, "batch_size must be at most n = 6"),
        ({"batch_size": 2, "replace": "no"}, TypeError, "replace must be True or False"),
    ],
)
def test_least_squares_bad_sampling_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        od.simulate.LeastSquares(A6, B6, **kwargs)


# ------------------------------------------------------------------------ AR(1) noise


def test_ar1_draws_have_the_stated_marginal_and_autocorrelation():
    rho, sigma, seeds, steps = 0.7, np.array([0.5, 2.0]), 40_000, 12
    noise = od.simulate.AR1Noise(rho, sigma=sigma)
    prob = od.simulate.DiagonalQuadratic([1.0, 1.0])
    gen, prev, xs = np.random.default_rng(4), None, []
    for _ in range(steps):
        prev = noise.draw(gen, seeds, prob, prev)
        xs.append(prev)
    xs = np.array(xs) / sigma  # unit marginal variance per coordinate
    for t in (0, steps - 1):  # stationary from the first draw on
        v = xs[t].var(axis=0)
        assert np.all(np.abs(v - 1) < 5 * np.sqrt(2 / seeds))
    for lag in (1, 3):
        c = (xs[steps - 1] * xs[steps - 1 - lag]).mean(axis=0)
        se = np.sqrt((1 + rho ** (2 * lag)) / seeds)  # Var of a product of unit Gaussians
        assert np.all(np.abs(c - rho**lag) < 5 * se)


def test_ar1_with_rho_zero_draws_what_additive_noise_draws():
    prob = od.simulate.DiagonalQuadratic([0.5, 2.0])
    kw = dict(steps=25, seeds=4, rng=3, lr=0.2, momentum=0.6)
    a = od.simulate.run("heavy_ball", prob, noise=od.simulate.AR1Noise(0.0, sigma=0.3), **kw)
    b = od.simulate.run("heavy_ball", prob, noise=od.simulate.AdditiveNoise(sigma=0.3), **kw)
    assert np.array_equal(a.x, b.x)


def test_ar1_runs_do_not_depend_on_chunking():
    prob = od.simulate.DiagonalQuadratic([0.5, 2.0])
    kw = dict(steps=30, seeds=3, rng=8, noise=od.simulate.AR1Noise(-0.6, sigma=0.4))
    g = od.simulate.grid(lr=[0.05, 0.1, 0.2], momentum=[0.0, 0.5])
    whole = od.simulate.run("heavy_ball", prob, **kw, **g)
    pieces = od.simulate.run("heavy_ball", prob, chunk_size=1, **kw, **g)
    assert np.array_equal(whole.x, pieces.x)


@pytest.mark.parametrize("rho", [-0.8, -0.3, 0.4, 0.9])
@pytest.mark.parametrize("lr", [0.1, 1.5])
def test_ar1_stationary_variance_of_gd_equals_the_geometric_series(rho, lr):
    """x_t = a x_{t-1} - lr xi_t with a = 1 - lr lam, summed as a double geometric series:
    Var x = lr^2 s^2 (1 + a rho) / ((1 - a^2)(1 - a rho))."""
    lam, s = 1.0, 0.5
    a = 1 - lr * lam
    series = lr**2 * s**2 * (1 + a * rho) / ((1 - a * a) * (1 - a * rho))
    got = od.theory.stationary_covariance(
        "gd", od.simulate.DiagonalQuadratic([lam]), od.simulate.AR1Noise(rho, sigma=s), lr=lr
    )
    np.testing.assert_allclose(got[0, 0], series, rtol=1e-10)


@pytest.mark.parametrize("name", ["heavy_ball", "nesterov", "sgd_momentum"])
def test_ar1_stationary_covariance_equals_the_impulse_response_series(name):
    """Var x = s^2 sum_{j,k} h_j h_k rho^|j-k|, h the response of the method's own step to one
    unit gradient impulse (a trace of 400 steps; |h_400| < 1e-13 here)."""
    lam, s, rho, hyper = 2.0, 0.3, 0.6, {"lr": 0.2, "momentum": 0.7}
    impulse = od.simulate.trace(name, lambda q, t: lam * q + (t == 1), 0.0, 400, **hyper)["x"][1:]
    assert abs(impulse[-1]) < 1e-13
    j = np.arange(impulse.size)
    series = s**2 * impulse @ (rho ** np.abs(j[:, None] - j[None, :])) @ impulse
    got = od.theory.stationary_covariance(
        name, od.simulate.DiagonalQuadratic([lam]), od.simulate.AR1Noise(rho, sigma=s), **hyper
    )
    np.testing.assert_allclose(got[0, 0], series, rtol=1e-9)


def test_ar1_stationary_covariance_by_monte_carlo_on_a_dense_quadratic():
    """heavy ball on a rotated 2-d quadratic under correlated full-covariance AR(1) noise."""
    prob = od.simulate.Quadratic.from_eigenvalues([0.5, 3.0], rng=1)
    noise = od.simulate.AR1Noise(0.5, cov=[[0.2, 0.05], [0.05, 0.1]])
    hyper = {"lr": 0.2, "momentum": 0.5}
    cov = od.theory.stationary_covariance("heavy_ball", prob, noise, **hyper)
    seeds = 20_000
    r = od.simulate.run("heavy_ball", prob, steps=300, seeds=seeds, rng=6, noise=noise,
                        x0=prob.x_star, **hyper)  # fmt: skip
    x = r.x - prob.x_star
    emp = x.T @ x / seeds
    se = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / seeds)
    assert np.all(np.abs(emp - cov) < 5 * se)


@pytest.mark.parametrize(
    ("rho", "error", "match"),
    [(1.0, ValueError, r"rho must be a real number in \(-1, 1\)"),
     (-1.5, ValueError, "rho must be"), (True, TypeError, "rho must be"),
     ("0.5", TypeError, "rho must be")],
)  # fmt: skip
def test_ar1_bad_rho(rho, error, match):
    with pytest.raises(error, match=match):
        od.simulate.AR1Noise(rho, sigma=1.0)


# ------------------------------------------------------------- reshuffled epochs


def test_reshuffled_epochs_use_every_row_once_per_epoch():
    n_rows, size, seeds = 12, 3, 500
    prob = od.simulate.LeastSquares(np.ones((n_rows, 1)), np.arange(n_rows, dtype=float),
                                    batch_size=size, replace=False, reshuffle=True)  # fmt: skip
    gen, draw, epochs = np.random.default_rng(2), None, []
    for _ in range(3):
        rows = []
        for _ in range(n_rows // size):
            draw = prob.draw(gen, seeds, draw)
            rows.append(prob.batch_indices(draw))
        epochs.append(np.concatenate(rows, axis=1))
    for e in epochs:  # a permutation of the rows, per seed
        assert np.array_equal(np.sort(e, axis=1), np.broadcast_to(np.arange(n_rows), e.shape))
    # fresh permutations: two epochs of one seed agree with probability 1/12!
    assert not np.any(np.all(epochs[0] == epochs[1], axis=1))
    # the first batch of an epoch is a uniform subset: inclusion frequency B/n (5 sigma)
    member = np.zeros((seeds, n_rows))
    np.put_along_axis(member, epochs[2][:, :size], 1.0, axis=1)
    p = size / n_rows
    assert np.all(np.abs(member.mean(axis=0) - p) < 5 * np.sqrt(p * (1 - p) / seeds))


@pytest.mark.parametrize("size", [1, 2, 4])
def test_one_reshuffled_epoch_solves_an_orthogonal_design_exactly(size):
    """A = c I (rows orthogonal): a minibatch step with lr = B / c^2 solves its rows' coordinates
    exactly, so one epoch of n / B reshuffled steps lands on x_star for every seed, while draws
    with replacement miss coordinates."""
    n, c, seeds = 8, 2.0, 64
    b = np.linspace(-1.0, 2.0, n)
    kw = dict(steps=n // size, seeds=seeds, rng=4, lr=size / c**2)
    rr = od.simulate.LeastSquares(c * np.eye(n), b, batch_size=size, replace=False, reshuffle=True)
    iid = od.simulate.LeastSquares(c * np.eye(n), b, batch_size=size)
    x_rr = od.simulate.run("gd", rr, **kw).x
    np.testing.assert_allclose(x_rr, np.broadcast_to(rr.x_star, x_rr.shape), atol=1e-14)
    x_iid = od.simulate.run("gd", iid, **kw).x
    assert np.mean(np.any(np.abs(x_iid - iid.x_star) > 1e-3, axis=1)) > 0.5


def test_reshuffled_runs_do_not_depend_on_chunking_or_seed_blocks():
    prob = od.simulate.LeastSquares.synthetic(24, 3, rng=5, label_noise=0.3, batch_size=6,
                                              replace=False, reshuffle=True)  # fmt: skip
    kw = dict(steps=17, rng=9, lr=od.simulate.grid(lr=[0.05, 0.1])["lr"])
    whole = od.simulate.run("gd", prob, seeds=3, **kw)
    pieces = od.simulate.run("gd", prob, seeds=3, chunk_size=1, **kw)
    assert np.array_equal(whole.x, pieces.x)
    many = od.simulate.run("gd", prob, seeds=1500, **kw)  # two seed blocks of the runner
    assert not many.diverged.any() and np.all(np.isfinite(many.x))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"batch_size": 2, "reshuffle": True}, "pass a batch_size and replace=False"),
     ({"reshuffle": True, "replace": False}, "pass a batch_size and replace=False"),
     ({"batch_size": 4, "replace": False, "reshuffle": True}, "batch_size must divide n = 6"),
     ({"batch_size": 2, "replace": False, "reshuffle": 1}, "reshuffle must be True or False")],
)  # fmt: skip
def test_reshuffle_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        od.simulate.LeastSquares(A6, B6, **kwargs)
