"""Optimal tuning, rates, critical damping and modes against independent routes.

* optimality: a brute-force grid over the hyperparameters around the returned
  optimum finds no better certified rate;
* rates: the per-step contraction measured by od.simulate on a quadratic whose
  spectrum spans [mu, L];
* literature: Polyak (1964) for heavy ball, (sqrt(k) - 1) / (sqrt(k) + 1), and
  Lessard, Recht & Packard (SIAM J. Optim. 26(1), 2016, section 3.3) for
  Nesterov on quadratics, 1 - 2 / sqrt(3 k + 1), as numbers at k = 100;
* critical damping: numeric eigenvalues coincide there, and are real below and
  complex above it.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import optdyn as od

LINEAR = [n for n in od.methods.names() if od.methods.get(n).linear]
MU, L = 0.01, 1.0  # condition number 100


@pytest.fixture(scope="module", params=LINEAR)
def tuned(request):
    return od.theory.optimal(request.param, mu=MU, L=L)


def test_optimal_is_closed_form_and_no_grid_point_beats_it(tuned):
    assert tuned.exact and tuned.rate_expr is not None
    m = od.methods.get(tuned.method)
    ls = od.theory.linearize(m)
    defaults = {k: d.default for k, d in m.hyper.items() if not d.required}
    fixed = {k: v for k, v in defaults.items() if k in ls.symbols}
    axes = [np.linspace(0.8 * v, min(1.2 * v, 0.9999 if k == "momentum" else np.inf), 41)
            for k, v in tuned.hyper.items()]  # fmt: skip
    mesh = np.meshgrid(*axes, indexing="ij")
    lams = np.geomspace(MU, L, 801)
    vals = {k: g[..., None] for k, g in zip(tuned.hyper, mesh, strict=True)}
    rho = ls.spectral_radius(lam=lams, **vals, **fixed).max(axis=-1)
    assert rho.min() >= tuned.rate * (1 - 1e-6)
    at = {sp.Symbol("mu", positive=True): MU, sp.Symbol("L", positive=True): L}
    closed = {k: float(v.subs(at)) for k, v in tuned.closed_form.items()}
    assert closed == pytest.approx(tuned.hyper, rel=1e-12)


def test_optimal_rate_is_measured_by_simulation(tuned):
    eigs = np.geomspace(MU, L, 9)
    m = od.methods.get(tuned.method)
    # 1000 steps keep the squared distance above the float64 range's floor (1e-308)
    r = od.simulate.run(m, od.simulate.DiagonalQuadratic(eigs), steps=1000, record_every=250,
                        x0=np.ones(9), **tuned.hyper)  # fmt: skip
    d = r.dist[0]
    assert d[-1] > 0
    measured = (d[-1] / d[-2]) ** (1 / 250)
    # a double root adds a factor t: over steps 750..1000 it inflates the
    # measured rate by at most (1000 / 750) ** (1 / 250) - 1 = 1.15e-3
    assert tuned.rate * (1 - 1e-6) <= measured <= tuned.rate * (1 + 1.2e-3)


@pytest.mark.parametrize(
    ("name", "literature"),
    [
        ("heavy_ball", 0.8181818181818182),
        ("nesterov", 0.8847219164589357),
        ("gd", 0.9801980198019802),
    ],
)
def test_optimal_rates_match_the_literature(name, literature):
    assert od.theory.optimal(name, mu=MU, L=L).rate == pytest.approx(literature, rel=1e-12)


@pytest.mark.parametrize("name", [n for n in LINEAR if "momentum" in od.methods.get(n).hyper])
def test_critical_momentum_gives_a_double_root_for_every_momentum_method(name):
    m = od.methods.get(name)
    defaults = {k: d.default for k, d in m.hyper.items() if not d.required}
    ls = od.theory.linearize(name, **defaults)
    for lr, lam in [(0.1, 2.0), (0.01, 30.0)]:
        at = {ls.symbols["lr"]: lr, ls.lam: lam}
        roots = [float(c.subs(at)) for c in od.theory.critical(name, **defaults)]
        inside = [r for r in roots if 0 <= r < 1]
        assert inside, roots
        for mom in inside:
            mat = np.array(ls.matrix.subs({**at, ls.symbols["momentum"]: mom}).evalf(), dtype=float)
            z = np.linalg.eigvals(mat)
            assert abs(z[0] - z[1]) < 1e-6 * max(1.0, abs(z[0]))


def test_critical_momentum_is_a_double_root():
    ls = od.theory.linearize("heavy_ball")
    at = {ls.symbols["lr"]: 0.1, ls.lam: 2.0}
    (crit,) = [c for c in od.theory.critical("heavy_ball") if c.subs(at) < 1]
    for lr, lam in [(0.1, 2.0), (0.01, 30.0), (0.5, 0.3)]:
        mom = float(crit.subs({ls.symbols["lr"]: lr, ls.lam: lam}))
        for delta, kind in [(0.0, "double"), (-1e-3, "real"), (1e-3, "complex")]:
            m = np.array([[1 + mom + delta - lr * lam, -(mom + delta)], [1.0, 0.0]])
            z = np.linalg.eigvals(m)
            if kind == "double":
                assert abs(z[0] - z[1]) < 1e-6
            elif kind == "real":
                assert np.all(np.abs(z.imag) == 0) and abs(z[0] - z[1]) > 1e-3
            else:
                assert np.all(np.abs(z.imag) > 0)


def test_modes_period_matches_simulated_oscillation():
    ls = od.theory.linearize("heavy_ball")
    lr, mom, lam = 0.1, 0.9, 4.0
    (mode, _) = od.theory.modes(ls, lr=lr, momentum=mom, lam=lam)
    r = od.simulate.run("heavy_ball", od.simulate.DiagonalQuadratic([lam]), steps=400,
                        keep_iterates=True, lr=lr, momentum=mom)  # fmt: skip
    x = r.iterates[0, :, 0]
    crossings = np.count_nonzero(np.diff(np.sign(x)) != 0)
    assert crossings == pytest.approx(2 * 400 / mode["period"], abs=2)
    assert mode["modulus"] == pytest.approx(np.sqrt(mom), rel=1e-12)  # |z|^2 = det M = momentum
    assert 0 < mode["damping_ratio"] < 1


def test_rate_and_iterations():
    ls = od.theory.linearize("gd")
    assert od.theory.rate(ls, 1.0, 10.0, lr=0.1) == pytest.approx(0.9, rel=1e-12)
    assert od.theory.iterations_to(1e-6, 0.9) == 132  # 0.9 ** 132 < 1e-6 < 0.9 ** 131
    assert 0.9**132 < 1e-6 < 0.9**131


def test_bad_input():
    with pytest.raises(ValueError, match="mu must be < L"):
        od.theory.optimal("gd", mu=2.0, L=1.0)
    with pytest.raises(ValueError, match="which needs values for v"):
        od.theory.optimal("adam", mu=0.1, L=1.0)
    with pytest.raises(ValueError, match="lion has no linearization"):
        od.theory.optimal("lion", mu=0.1, L=1.0)
    with pytest.raises(ValueError, match="tune must name lr"):
        od.theory.optimal("heavy_ball", mu=0.1, L=1.0, tune=("momentum",))
    with pytest.raises(ValueError, match="tune must name lr"):
        od.theory.optimal("heavy_ball", mu=0.1, L=1.0, tune=("lr", "bogus"))
    with pytest.raises(TypeError, match="tune must be a tuple"):
        od.theory.optimal("heavy_ball", mu=0.1, L=1.0, tune="lr")
    with pytest.raises(ValueError, match="v must be > 0"):
        od.theory.optimal("adam", mu=0.1, L=1.0, v=0.0)
    with pytest.raises(ValueError, match="mu must be a finite number > 0"):
        od.theory.optimal("gd", mu=0.0, L=1.0)
    with pytest.raises(ValueError, match="tol"):
        od.theory.iterations_to(2.0, 0.5)


@pytest.mark.parametrize(("adaptive", "linear", "tune"), [
    ("adam", "ema_momentum", ("lr", "beta1")),
    ("rmsprop", "gd", ("lr",)),
])  # fmt: skip
def test_frozen_optimum_is_the_linear_optimum_in_preconditioned_units(adaptive, linear, tune):
    # with the preconditioner P = sqrt(v) + eps frozen, the adaptive method on curvature lam
    # is the linear method on curvature lam / P: its optimum over [mu, L] is the linear
    # optimum over [mu / P, L / P] (another method's definition and derivation)
    V, eps = 2.25, 1e-8
    P = 1.5 + eps
    ad = od.theory.optimal(adaptive, mu=MU, L=L, v=V, eps=eps, tune=tune)
    lin = od.theory.optimal(linear, mu=MU / P, L=L / P)
    assert ad.exact and lin.exact
    assert ad.rate == pytest.approx(lin.rate, rel=1e-9)
    assert ad.hyper["lr"] == pytest.approx(lin.hyper["lr"], rel=1e-9)
    if "beta1" in tune:
        assert ad.hyper["beta1"] == pytest.approx(lin.hyper["momentum"], rel=1e-9)
