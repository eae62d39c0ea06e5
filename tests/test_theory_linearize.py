"""The linearized systems against independent numeric routes.

* the symbolic iteration matrix and noise input against central-difference
  Jacobians of the numpy step (the simulate layer's arithmetic);
* the Jury region against numeric eigenvalues of that numeric Jacobian;
* matrix powers against noise-free simulation;
* equivalent parametrisations give the same characteristic polynomial;
* the curvature threshold against simulation just below and above it.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import optdyn as od
from optdyn.methods import State

OPS = od.simulate.NUMPY_OPS
LINEARIZABLE = [n for n in od.methods.names() if not od.methods.get(n).not_linearizable]
LINEAR = [n for n in od.methods.names() if od.methods.get(n).linear]
T_LARGE = 10**12  # numerically t → ∞: beta ** t and 0.96 ** (t * momentum_decay) underflow to 0


def _point(ls, seed):
    """A random point (values of every free symbol) from the typical ranges."""
    pts = ls.sample_points(1, seed=seed)
    vals = {k: float(v[0]) for k, v in pts.items()}
    vals["lam"] = float(np.random.default_rng(seed).uniform(0.1, 3.0))
    return vals


def _numeric_jacobian(ls, vals, h=1e-6):
    """Central differences of the numpy step around x = 0 (fast states 0, xi = 0).

    Slow states enter at inputs chosen freely; the symbolic system is then
    evaluated at the statistics the numpy step actually used (its slow outputs),
    so nothing of the symbolic construction is reused here.
    """
    m = ls.method
    hyper = {k: vals[k] for k in m.hyper if k in vals}
    hyper |= {k: v if isinstance(v, bool) else float(v) for k, v in ls.fixed.items()}
    states = m.states(**hyper)
    fast = list(ls.states)
    t = T_LARGE if ls.t is None else ls.t
    lam = vals["lam"]
    base = {s: 0.0 for s in states}  # schedule states (a product of factors < 1) → 0 as t → ∞
    for s in m.slow_states:
        base[s] = vals.get(s, 0.5)

    def step(z, xi):
        inp = State(**{s: np.array([z[fast.index(s)]]) if s in fast else np.array([base[s]])
                       for s in states})  # fmt: skip
        out = m.step(inp, lambda q: lam * q + xi, OPS, t=t, **hyper)
        return out

    zero = np.zeros(len(fast))
    used = {s: float(step(zero, 0.0)[s][0]) for s in states if s in m.slow_states}
    jac = np.column_stack(
        [
            (
                np.array([step(e * h, 0.0)[s][0] for s in fast])
                - np.array([step(-e * h, 0.0)[s][0] for s in fast])
            )
            / (2 * h)
            for e in np.eye(len(fast))
        ]
    )
    b = (np.array([step(zero, h)[s][0] for s in fast])
         - np.array([step(zero, -h)[s][0] for s in fast])) / (2 * h)  # fmt: skip
    return jac, b, used


def _symbolic(ls, vals, used):
    subs = {ls.symbols[k]: v for k, v in vals.items() if k in ls.symbols}
    subs.update({ls.symbols[k]: v for k, v in used.items()})
    m = np.array(ls.matrix.subs(subs).evalf(30), dtype=float)
    b = np.array(ls.noise_input.subs(subs).evalf(30), dtype=float).ravel()
    return m, b


@pytest.mark.parametrize("name", LINEARIZABLE)
@pytest.mark.parametrize("seed", range(3))
def test_matrix_and_noise_input_equal_numeric_jacobian(name, seed):
    ls = od.theory.linearize(name, lr_decay=0) if name == "adagrad" else od.theory.linearize(name)
    vals = _point(ls, seed)
    jac, b, used = _numeric_jacobian(ls, vals)
    m_sym, b_sym = _symbolic(ls, vals, used)
    scale = max(1.0, np.abs(jac).max())
    np.testing.assert_allclose(m_sym, jac, rtol=1e-7, atol=1e-7 * scale)
    np.testing.assert_allclose(b_sym, b, rtol=1e-7, atol=1e-7 * max(1.0, np.abs(b).max()))


@pytest.mark.parametrize("name", LINEARIZABLE)
def test_exactly_the_linear_methods_are_exact(name):
    assert od.theory.linearize(name).exact == od.methods.get(name).linear


@pytest.mark.parametrize("name", ["lion", "sam"])
def test_non_differentiable_methods_say_why(name):
    with pytest.raises(od.theory.NotLinearizableError, match=name):
        od.theory.linearize(name)


@pytest.mark.parametrize("name", LINEARIZABLE)
@settings(max_examples=40)
@given(seed=st.integers(0, 2**31 - 1), scale=st.floats(0.1, 3.0))
def test_jury_region_agrees_with_numeric_eigenvalues(name, seed, scale):
    ls = od.theory.linearize(name, lr_decay=0) if name == "adagrad" else od.theory.linearize(name)
    vals = _point(ls, seed)
    thr = ls.curvature_threshold()
    if thr is not None:  # curvatures from 0.07x to 2x the edge of stability
        edge = float(thr.subs({ls.symbols[k]: v for k, v in vals.items() if k != "lam"}))
        vals["lam"] = edge * scale * 2 / 3
    else:
        vals["lam"] *= scale * 3
    m_num, _ = _symbolic(ls, vals, {})
    radius = np.max(np.abs(np.linalg.eigvals(m_num)))
    if abs(radius - 1) < 1e-6:
        return  # too close to the boundary for floating-point eigenvalues to decide
    assert ls.is_stable(**vals) == (radius < 1)
    assert ls.spectral_radius(**vals) == pytest.approx(radius, rel=1e-9)


@pytest.mark.parametrize("name", LINEAR)
def test_noise_free_simulation_equals_matrix_powers(name):
    ls = od.theory.linearize(name)
    vals = _point(ls, 5)
    lam = vals.pop("lam")
    hyper = {k: v for k, v in vals.items()}
    r = od.simulate.run(name, od.simulate.DiagonalQuadratic([lam]), steps=30, x0=[1.0],
                        keep_iterates=True, **hyper)  # fmt: skip
    # the state one step in (all methods: t = 1 handled by the step itself), then powers of M
    m_num, _ = _symbolic(ls, {**vals, "lam": lam}, {})
    m = od.methods.get(name)
    h = m.resolve(**hyper)
    s1 = m.step(m.init(np.array([1.0]), OPS, **h), lambda q: lam * q, OPS, t=1, **h)
    z = np.array([s1[s][0] for s in ls.states])
    xs = [z[0]]
    for _ in range(29):
        z = m_num @ z
        xs.append(z[0])
    np.testing.assert_allclose(r.iterates[0, 1:, 0], xs, rtol=1e-9, atol=1e-14)


def _charpoly_after(name, **subs):
    ls = od.theory.linearize(name)
    expr = ls.charpoly.as_expr().subs({ls.symbols[k]: v for k, v in subs.items()})
    return sp.Poly(sp.simplify(expr), ls.z)


def test_equivalent_parametrisations_share_spectrum():
    lr, mom = sp.symbols("lr momentum", positive=True)
    hb = _charpoly_after("heavy_ball")
    ema = _charpoly_after("ema_momentum", lr=lr / (1 - mom))  # ema(lr/(1-b)) = hb(lr)
    sgd = _charpoly_after("sgd_momentum", dampening=0, weight_decay=0)
    for other in (ema, sgd):
        diff = [
            sp.simplify(a - b) for a, b in zip(hb.all_coeffs(), other.all_coeffs(), strict=True)
        ]
        assert diff == [0] * len(diff)
    # torch's Nesterov form in (x, buf) and the look-ahead form in (x, x_prev)
    nes = _charpoly_after("nesterov")
    tn = od.theory.linearize("sgd_momentum", nesterov=True, dampening=0, weight_decay=0)
    tnp = sp.Poly(tn.charpoly.as_expr(), tn.z)
    diff = [sp.simplify(a - b) for a, b in zip(nes.all_coeffs(), tnp.all_coeffs(), strict=True)]
    assert diff == [0] * len(diff)


def test_is_stable_decides_boundary_points_exactly():
    ls = od.theory.linearize("heavy_ball")
    # lr * lam = 2 (1 + momentum) puts a root at z = -1: not stable; just inside: stable
    assert not ls.is_stable(lr=sp.Rational(1, 10), momentum=sp.Rational(1, 2), lam=30)
    assert ls.is_stable(
        lr=sp.Rational(1, 10), momentum=sp.Rational(1, 2), lam=sp.Rational(2999, 100)
    )
    # momentum = 1 puts the pair on the unit circle for small curvature
    assert not ls.is_stable(lr=sp.Rational(1, 10), momentum=1, lam=1)


def test_spectral_radius_broadcasts():
    ls = od.theory.linearize("heavy_ball")
    lr = np.linspace(0.01, 0.5, 7)[:, None]
    mom = np.linspace(0.0, 0.95, 5)[None, :]
    rho = ls.spectral_radius(lr=lr, momentum=mom, lam=2.0)
    assert rho.shape == (7, 5)
    for i in range(7):
        for j in range(5):
            m = np.array([[1 + mom[0, j] - lr[i, 0] * 2.0, -mom[0, j]], [1.0, 0.0]])
            assert rho[i, j] == pytest.approx(np.max(np.abs(np.linalg.eigvals(m))), rel=1e-10)


@pytest.mark.parametrize("name", ["gd", "heavy_ball", "nesterov", "ema_momentum", "sgd_momentum"])
def test_curvature_threshold_against_simulation(name):
    """Runs at 0.98x the threshold converge; at 1.02x they diverge (numeric, not typed in)."""
    ls = od.theory.linearize(name)
    thr = ls.curvature_threshold()
    assert thr is not None and thr.free_symbols <= {ls.symbols[k] for k in ls.symbols}
    for seed in range(3):
        vals = _point(ls, seed)
        vals.pop("lam")
        edge = float(thr.subs({ls.symbols[k]: v for k, v in vals.items()}))
        lams = np.array([0.98, 1.02]) * edge
        problem = od.simulate.DiagonalQuadratic(lams)
        r = od.simulate.run(name, problem, steps=20000, record_every=1000, x0=[1.0, 1.0],
                            keep_iterates=True, **vals)  # fmt: skip
        final = np.abs(r.iterates[0, -1]) if not r.diverged[0] else np.array([0.0, np.inf])
        assert final[0] < 1e-3, (name, vals)
        assert r.diverged[0] or final[1] > 1e3, (name, vals)
