"""``od.simulate.trace``: a method's own step on an arbitrary gradient oracle.

References are independent of ``trace``: the vectorised runner ``od.simulate.run`` on
diagonal quadratics (for every registered method), chained ``run`` segments and
hand-written recursions for schedules, and plain loops for a non-quadratic objective.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import optdyn as od

EIGS = np.array([0.5, 3.0, 20.0])
PROBLEM = od.simulate.DiagonalQuadratic(EIGS)
X0 = np.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]])  # (seeds, dim)
STEPS = 40


def _quad_grad(q, t):
    return EIGS * q


def _hyper(m, gen):
    """Values inside each domain's typical range (booleans drawn), lr kept small."""
    out = {}
    for k, d in m.hyper.items():
        if isinstance(d, od.methods.Boolean):
            out[k] = bool(gen.integers(2))
        else:
            lo, hi = d.typical
            out[k] = float(gen.uniform(lo, hi))
    out["lr"] = min(out["lr"], 0.01)  # stable on lam = 20 for every method
    return out


def _state0(m, h, gen):
    """Values for every state but x: second moments in [0.1, 1), and centered RMSProp's
    gradient average in [0, 0.3), so that v - g_avg^2 > 0."""
    out = {k: gen.uniform(0.1, 1.0, X0.shape) for k in m.states(**h) if k != "x"}
    if "g_avg" in out:
        out["g_avg"] = 0.3 * gen.uniform(size=X0.shape)
    return out


# od.simulate.run supports every registered method (each is a step on (seeds, dim)
# arrays with the quadratic's gradient), so none is skipped here.
@pytest.mark.parametrize("name", od.methods.names())
@pytest.mark.parametrize("variant", ["default", "state0-start"])
def test_trace_equals_run_on_a_diagonal_quadratic(name, variant):
    m = od.methods.get(name)
    gen = np.random.default_rng([zlib.crc32(name.encode()), len(variant)])
    h = _hyper(m, gen)
    kw = {}
    if variant == "state0-start":
        kw = {"state0": _state0(m, h, gen), "start": 7}
    r = od.simulate.run(
        m, PROBLEM, steps=STEPS, seeds=X0.shape[0], x0=X0, keep_iterates=True, **kw, **h
    )
    assert not r.diverged.any()
    tr = od.simulate.trace(name, _quad_grad, X0, STEPS, **kw, **h)
    assert list(tr) == list(m.states(**h))
    for v in tr.values():
        assert v.shape == (STEPS + 1, *X0.shape)
    np.testing.assert_allclose(tr["x"], np.moveaxis(r.iterates, -2, 0), rtol=1e-12, atol=1e-15)
    for k, v in kw.get("state0", {}).items():
        np.testing.assert_array_equal(tr[k][0], v)


def test_trace_broadcasts_array_hyperparameters_like_a_grid():
    g = od.simulate.grid(lr=[0.01, 0.05], momentum=[0.0, 0.9])
    r = od.simulate.run("heavy_ball", PROBLEM, steps=STEPS, seeds=2, x0=X0, keep_iterates=True, **g)
    tr = od.simulate.trace(
        "heavy_ball", _quad_grad, X0, STEPS, **{k: v[..., None, None] for k, v in g.items()}
    )
    assert tr["x"].shape == (STEPS + 1, 2, 2, *X0.shape)
    np.testing.assert_allclose(tr["x"], np.moveaxis(r.iterates, -2, 0), rtol=1e-12, atol=1e-15)


def test_schedule_equals_a_hand_written_recursion():
    c, x0, steps = 0.3, np.array([1.0, -0.5]), 50
    lam = np.array([1.0, 4.0])
    tr = od.simulate.trace("gd", lambda q, t: lam * q, x0, steps, schedule={"lr": lambda k: c / k})
    x, ref = x0.copy(), [x0.copy()]
    for k in range(1, steps + 1):
        x = x - (c / k) * (lam * x)
        ref.append(x)
    np.testing.assert_allclose(tr["x"], np.array(ref), rtol=1e-14, atol=0)


def test_schedule_equals_chained_runs():
    # heavy ball: (lr, momentum) = (0.02, 0.5) for steps 1..10, (0.05, 0.9) after
    n1, n2 = 10, 25

    def lr(k):
        return 0.02 if k <= n1 else 0.05

    def momentum(k):
        return 0.5 if k <= n1 else 0.9

    tr = od.simulate.trace(
        "heavy_ball",
        _quad_grad,
        X0,
        n1 + n2,
        schedule={"lr": lr, "momentum": momentum},
    )
    kw = {"seeds": X0.shape[0], "keep_iterates": True}
    a = od.simulate.run("heavy_ball", PROBLEM, steps=n1, x0=X0, lr=0.02, momentum=0.5, **kw)
    xa = np.moveaxis(a.iterates, -2, 0)
    b = od.simulate.run(
        "heavy_ball",
        PROBLEM,
        steps=n2,
        x0=xa[-1],
        state0={"x_prev": xa[-2]},
        start=n1 + 1,
        lr=0.05,
        momentum=0.9,
        **kw,
    )
    ref = np.concatenate([xa, np.moveaxis(b.iterates, -2, 0)[1:]])
    np.testing.assert_allclose(tr["x"], ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(tr["x_prev"][1:], tr["x"][:-1])


def test_start_sets_the_step_counter_of_step_one():
    seen = []

    def grad(q, t):
        seen.append(t)
        return q

    od.simulate.trace("gd", grad, 1.0, 3, start=5, lr=0.1)
    assert seen == [5, 6, 7]
    # Adam at FREEZE_START takes the uncorrected step
    g, lr, b1, b2, eps = 0.3, 1e-2, 0.9, 0.999, 1e-8
    tr = od.simulate.trace("adam", lambda q, t: g, 1.0, 1, start=od.simulate.FREEZE_START, lr=lr)
    m1, v1 = (1 - b1) * g, (1 - b2) * g * g
    assert tr["m"][1] == pytest.approx(m1, rel=1e-15)
    assert tr["v"][1] == pytest.approx(v1, rel=1e-15)
    assert tr["x"][1] == pytest.approx(1.0 - lr * m1 / (np.sqrt(v1) + eps), rel=1e-15)


def test_quartic_matches_a_plain_loop_and_its_known_behaviour():
    """GD on f = x^4: x_{k+1} = x_k - lr 4 x_k^3."""
    lr, steps = 0.1, 20_000
    x0 = np.array([0.5, -0.2, 1.0])
    tr = od.simulate.trace("gd", lambda q, t: 4 * q**3, x0, steps, lr=lr)["x"]
    x, ref = x0.copy(), [x0.copy()]
    for _ in range(steps):
        x = x - lr * (4 * x**3)
        ref.append(x)
    np.testing.assert_array_equal(tr, np.array(ref))
    # the fixed point 0 is reached sublinearly: x_k ~ sign(x_0) / sqrt(8 lr k)
    np.testing.assert_allclose(tr[-1] * np.sqrt(8 * lr * steps), np.sign(x0), rtol=1e-2)
    # lr 4 x^2 = 2: the period-2 orbit x -> -x; beyond it the iterates blow up
    cyc = od.simulate.trace("gd", lambda q, t: 4 * q**3, 2.0, 6, lr=0.125)["x"]
    np.testing.assert_array_equal(cyc, [2.0, -2.0, 2.0, -2.0, 2.0, -2.0, 2.0])


def test_non_finite_values_are_kept_without_warnings():
    # pytest turns warnings into errors: overflow must not warn
    x = od.simulate.trace("gd", lambda q, t: 4 * q**3, 3.0, 12, lr=0.5)["x"]
    assert np.isfinite(x[:3]).all()
    assert not np.isfinite(x[-1])


def test_scalar_x0_broadcasts_with_the_oracle_and_state0():
    g = np.array([1.0, 2.0, 3.0])
    tr = od.simulate.trace("heavy_ball", lambda q, t: g, 0.0, 4, lr=0.1, momentum=0.5)
    assert tr["x"].shape == tr["x_prev"].shape == (5, 3)
    np.testing.assert_array_equal(tr["x"][0], 0.0)
    np.testing.assert_allclose(tr["x"][1], -0.1 * g)
    tr = od.simulate.trace("adam", lambda q, t: q, 1.0, 2, state0={"v": [1.0, 4.0]}, lr=0.1)
    assert tr["x"].shape == tr["m"].shape == tr["v"].shape == (3, 2)
    np.testing.assert_array_equal(tr["v"][0], [1.0, 4.0])


DROP = object()  # leaves the argument out
BASE = {"method": "heavy_ball", "grad": _quad_grad, "x0": [1.0, 2.0, 3.0], "steps": 5, "lr": 0.1,
        "momentum": 0.5}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"method": "nope"}, ValueError, "unknown method 'nope'"),
        ({"method": 3}, TypeError, "method must be"),
        ({"grad": 1.0}, TypeError, "grad must be a callable"),
        ({"steps": 0}, ValueError, "steps must be an integer >= 1"),
        ({"steps": 2.0}, TypeError, "steps must be an integer"),
        ({"start": 0}, ValueError, "start must be an integer >= 1"),
        ({"x0": "a"}, TypeError, "x0 must be an array of real numbers"),
        ({"x0": [1.0, np.nan]}, ValueError, "x0 must be finite"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"rho": 0.1}, TypeError, "no hyperparameter 'rho'"),
        ({"lr": DROP}, TypeError, "requires hyperparameter 'lr'"),
        ({"state0": {"v": 1.0}}, ValueError, "state0: 'v' is not a state variable of heavy_ball"),
        ({"state0": {"x": 1.0}}, ValueError, "the initial x is x0"),
        ({"state0": [1.0]}, TypeError, "state0 must be a dict"),
        ({"state0": {"x_prev": [1.0, 2.0]}}, ValueError, "must broadcast against x0"),
        ({"state0": {"x_prev": "a"}}, TypeError, r"state0\['x_prev'\]"),
        ({"schedule": [0.1]}, TypeError, "schedule must be a mapping"),
        ({"schedule": {"rho": abs}}, ValueError, "schedule: 'rho' is not a hyperparameter"),
        ({"lr": DROP, "schedule": {"lr": 0.1}}, TypeError, r"schedule\['lr'\] must be a callable"),
        ({"schedule": {"momentum": abs}}, ValueError, "'momentum' is also given as a fixed"),
        (
            {"lr": DROP, "schedule": {"lr": lambda k: 0.25 - 0.1 * k}},
            ValueError,
            "schedule at step k = 3: lr",
        ),
    ],
)
def test_bad_input_raises_naming_the_argument(change, error, match):
    kwargs = {k: v for k, v in {**BASE, **change}.items() if v is not DROP}
    with pytest.raises(error, match=match):
        od.simulate.trace(**kwargs)


# ------------------------------------------------------------------ projections


def test_projection_equals_a_hand_written_projected_recursion():
    """Projected gd on f_t(x) = g_t x over [-1, 1] (Reddi et al.'s online setting)."""
    g = lambda t: 3.0 if t % 3 == 1 else -1.0  # noqa: E731
    tr = od.simulate.trace("gd", lambda q, t: g(t) + 0 * q, np.array([-1.0, 0.0, 0.9]), 30,
                           lr=0.4, project=lambda x: np.clip(x, -1.0, 1.0))  # fmt: skip
    x, want = np.array([-1.0, 0.0, 0.9]), [np.array([-1.0, 0.0, 0.9])]
    for t in range(1, 31):
        x = np.clip(x - 0.4 * g(t), -1.0, 1.0)
        want.append(x)
    np.testing.assert_array_equal(tr["x"], np.array(want))
    assert tr["x"].min() >= -1.0 and tr["x"].max() <= 1.0


def test_projection_acts_on_x_only_and_before_the_next_query():
    seen = []

    def grad(q, t):
        seen.append(float(q))
        return 1.0

    tr = od.simulate.trace("heavy_ball", grad, 0.0, 3, lr=1.0, momentum=0.5,
                           project=lambda x: np.maximum(x, -0.25))  # fmt: skip
    assert tr["x"].tolist() == [0.0, -0.25, -0.25, -0.25]
    assert seen == [0.0, -0.25, -0.25]  # each step queries the projected iterate
    # x_prev is as the step wrote it: the iterate the step started from (a projected one)
    assert tr["x_prev"].tolist() == [0.0, 0.0, -0.25, -0.25]


@pytest.mark.parametrize(
    ("project", "error", "match"),
    [(3, TypeError, "project must be a callable"),
     (lambda x: np.zeros(5), ValueError, "project must return an array of the iterate's shape")],
)  # fmt: skip
def test_bad_projection(project, error, match):
    with pytest.raises(error, match=match):
        od.simulate.trace("gd", _quad_grad, np.ones(3), 2, lr=0.1, project=project)


# ------------------------------------------------------- schedules in the vectorised runner


def test_run_schedule_equals_trace_for_nesterovs_momentum_sequence():
    """run with momentum (k-1)/(k+2) against trace's schedule (tested above against chained
    runs and a hand recursion), every seed of a (seeds, dim) start."""
    sched = {"momentum": lambda k: (k - 1) / (k + 2)}
    r = od.simulate.run("nesterov", PROBLEM, steps=STEPS, seeds=2, x0=X0, lr=0.04, schedule=sched,
                        keep_iterates=True)  # fmt: skip
    tr = od.simulate.trace("nesterov", _quad_grad, X0, STEPS, lr=0.04, schedule=sched)
    np.testing.assert_allclose(r.iterates, np.moveaxis(tr["x"], 0, 1), rtol=1e-13, atol=1e-15)


def test_run_schedule_of_a_grid_equals_runs_point_by_point():
    base = np.array([0.02, 0.05, 0.08])
    r = od.simulate.run("gd", PROBLEM, steps=20, schedule={"lr": lambda k: base / np.sqrt(k)})
    assert r.x.shape == (3, 1, 3) and r.hyper["lr"].tolist() == base.tolist()
    for i, b in enumerate(base):
        one = od.simulate.run("gd", PROBLEM, steps=20, schedule={"lr": lambda k, b=b: b / k**0.5})
        np.testing.assert_array_equal(r.x[i], one.x)


@pytest.mark.parametrize(
    ("kw", "error", "match"),
    [({"lr": 0.1, "schedule": {"lr": lambda k: 0.1}}, ValueError, "pass it in one place only"),
     ({"schedule": {"lr": lambda k: 0.1 if k < 5 else -1.0}}, ValueError, "step k = 5"),
     ({"schedule": {"lr": lambda k: np.full(k, 0.1)}}, ValueError, "does not broadcast"),
     ({"lr": 0.1, "schedule": {"rate": lambda k: 0.1}}, ValueError, "not a hyperparameter")],
)  # fmt: skip
def test_run_bad_schedule(kw, error, match):
    with pytest.raises(error, match=match):
        od.simulate.run("gd", PROBLEM, steps=8, **kw)
