"""Conformance of optdyn's steps with ``torch.optim``, and equivalent parametrisations.

1. Every registered method that names a ``torch.optim`` counterpart (its ``torch``
   attribute) runs step for step against that optimizer in float64, on a shared
   sequence of gradients, with hyperparameters drawn by hypothesis from the
   ``typical`` range of each domain. The method list comes from the registry;
   every Boolean hyperparameter is pinned to both values by parametrisation, so
   ``sgd_momentum`` runs with and without ``nesterov`` and ``rmsprop`` centered and
   not. Restrictions that torch itself imposes (Nesterov needs momentum > 0 and
   no dampening) are expressed here, not in optdyn.
2. Without torch: ``heavy_ball``, ``sgd_momentum``, ``ema_momentum`` and
   ``nesterov`` are the same iteration under a change of hyperparameters or of
   variables, on real (point-dependent) gradient oracles of random SPD quadratics;
   and ``sgd_momentum`` with dampening is heavy ball with ``lr·(1 − dampening)``
   only from its second step on.

Tolerance (all checks): with ``X`` the reference trajectory (iterates 0..T as
rows) and ``Y`` the trajectory under test,

    max_{t, i} |Y[t, i] − X[t, i]|  ≤  1e-12 · max_{t, i} |X[t, i]| .

It is relative (it scales with the trajectory: multiplying x0 and the gradients
by a constant leaves the verdict of a linear method unchanged) and, unlike a
per-step relative error, it does not blow up where an iterate passes near zero.
Measured worst cases (hypothesis with ``target``, thousands of examples): about
1e-14 against torch; up to 2.3e-13 between heavy ball and the buffer forms, whose
difference x − x_prev loses digits that momentum 0.99 amplifies a hundredfold.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import math

import numpy as np
import pytest
from conftest import require
from hypothesis import given, settings
from hypothesis import strategies as st

import optdyn as od
from optdyn.methods import Boolean, Interval, State

OPS = od.simulate.NUMPY_OPS
STEPS = 200
DIM = 5
RTOL = 1e-12
EXAMPLES = 25
TORCH_CLASSES = {"SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "NAdam"}


# -- drawing hyperparameters ---------------------------------------------------


def _real(dom: Interval, *, positive: bool = False) -> st.SearchStrategy[float]:
    """A value of the typical range of ``dom``: log-uniform over more than a decade.

    About a third of the draws are an end of the range, where conventions branch
    (torch keeps no momentum buffer at momentum = 0; dampening = 1; beta1 = 0).
    ``positive`` excludes 0 (for torch's own restrictions). Values the domain
    rejects (an open end that coincides with the typical range) are left out.
    """
    if dom.typical is None:
        if dom.default is None:
            raise AssertionError(f"domain {dom.describe()} has neither a typical range nor default")
        return st.just(float(dom.default))
    lo, hi = map(float, dom.typical)
    if lo > 0 and hi > 10 * lo:
        a, b = math.log(lo), math.log(hi)
        inner = st.floats(a, b).map(lambda u: min(max(math.exp(u), lo), hi))
    else:
        inner = st.floats(lo, hi)

    def ok(v: float) -> bool:
        return bool(dom.contains(v)) and (v > 0 or not positive)

    ends = [v for v in (lo, hi) if ok(v)]
    strat = st.one_of(st.sampled_from(ends), inner, inner) if ends else inner
    return strat.filter(ok)


def _flag_cases(m) -> list[dict[str, bool]]:
    """Every combination of the method's Boolean hyperparameters."""
    flags = [k for k, d in m.hyper.items() if isinstance(d, Boolean)]
    return [
        dict(zip(flags, vals, strict=True))
        for vals in itertools.product((False, True), repeat=len(flags))
    ]


def _torch_restrictions(cls_name: str, h: dict) -> dict:
    """Where torch rejects values optdyn accepts: hyperparameter -> (domain -> strategy)."""
    if cls_name == "SGD" and h.get("nesterov"):
        # torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening".
        return {
            "dampening": lambda dom: st.just(0.0),
            "momentum": lambda dom: _real(dom, positive=True),
        }
    return {}


@st.composite
def _hyper(draw, m, flags: dict[str, bool]) -> dict:
    """Hyperparameters of ``m`` for its torch counterpart, Boolean ones fixed by ``flags``."""
    out: dict = dict(flags)
    for name, dom in m.hyper.items():
        if isinstance(dom, Boolean) and name not in out:
            out[name] = draw(st.booleans())
    restricted = _torch_restrictions(m.torch[0], out)
    for name, dom in m.hyper.items():
        if name not in out:
            out[name] = draw(restricted.get(name, _real)(dom))
    return out


@st.composite
def _gradient_data(draw):
    """A start point and a sequence of gradients, from a numpy Generator seeded by hypothesis.

    Both are standard normal. Gradients much smaller than ``weight_decay·x`` would make
    the weight-decayed adaptive methods sign-like and sensitive to rounding (RMSprop
    with momentum 0.99 and gradients of scale 0.02 amplifies a 1e-13 change of x0
    a hundredfold), so that two correct implementations could disagree by more than
    the tolerance; at scale 1 the trajectories are well conditioned.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.standard_normal(DIM), rng.standard_normal((STEPS, DIM))


# -- running -------------------------------------------------------------------


def _optdyn_trajectory(m, h: dict, x0, grad_at, *, steps=STEPS, state=None, t0=1) -> np.ndarray:
    """Iterates ``x`` (rows) of ``m`` from ``state`` (default: ``m.init(x0)``), steps t0, t0+1, …

    ``grad_at(t, q)`` is the gradient oracle of step ``t`` at the point ``q``.
    """
    s = m.init(np.array(x0, dtype=float), OPS, **h) if state is None else state
    xs = [np.array(s.x, dtype=float)]
    for t in range(t0, t0 + steps):
        s = m.step(s, lambda q, t=t: grad_at(t, q), OPS, t=t, **h)
        xs.append(np.array(s.x, dtype=float))
    return np.stack(xs)


@contextlib.contextmanager
def _default_dtype(torch, dtype):
    """Set torch's default dtype; torch keeps scalar state (step, NAdam's mu_product) in it.

    A context manager around each example rather than a fixture: hypothesis does not
    rerun function-scoped fixtures between examples, and this restores the default
    even when an example fails.
    """
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def _torch_trajectory(torch, cls_name: str, kwargs: dict, x0, grads) -> np.ndarray:
    cls = getattr(torch.optim, cls_name)
    if "foreach" in inspect.signature(cls.__init__).parameters:
        kwargs = {**kwargs, "foreach": False}  # the plain per-tensor loop
    with _default_dtype(torch, torch.float64):
        p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        opt = cls([p], **kwargs)
        xs = [p.detach().numpy().copy()]
        for g in grads:
            p.grad = torch.tensor(g, dtype=torch.float64)
            opt.step()
            xs.append(p.detach().numpy().copy())
    return np.stack(xs)


def _assert_close(actual: np.ndarray, reference: np.ndarray, what: str) -> None:
    """The module's criterion: max |actual − reference| ≤ RTOL · max |reference|."""
    assert actual.shape == reference.shape, (actual.shape, reference.shape)
    assert np.all(np.isfinite(actual)) and np.all(np.isfinite(reference)), f"{what}: not finite"
    scale = float(np.max(np.abs(reference)))
    err = np.abs(actual - reference)
    worst = float(np.max(err))
    t, i = np.unravel_index(int(np.argmax(err)), err.shape)
    assert worst <= RTOL * scale, (
        f"{what}: max |Δx| = {worst:.3e} at step {t}, coordinate {i} exceeds "
        f"{RTOL:g} · max|x| = {RTOL * scale:.3e} (relative {worst / scale:.3e})"
    )


# -- 1. torch conformance ------------------------------------------------------

WITH_TORCH = [name for name in od.methods.names() if od.methods.get(name).torch is not None]
TORCH_CASES = [(name, flags) for name in WITH_TORCH for flags in _flag_cases(od.methods.get(name))]


def _case_id(case) -> str:
    name, flags = case
    return "-".join([name, *(f"{k}={v}" for k, v in flags.items())])


@pytest.fixture(scope="module")
def torch():
    return require("torch")


def test_every_torch_counterpart_is_covered():
    counterparts = {name: od.methods.get(name).torch[0] for name in WITH_TORCH}
    assert TORCH_CLASSES <= set(counterparts.values()), counterparts
    assert {name for name, _ in TORCH_CASES} == set(WITH_TORCH)
    for name, flag in (("sgd_momentum", "nesterov"), ("rmsprop", "centered")):
        assert name in WITH_TORCH
        assert {flags[flag] for n, flags in TORCH_CASES if n == name} == {False, True}


@pytest.mark.reference
@pytest.mark.parametrize("name", WITH_TORCH)
def test_torch_counterpart_accepts_the_mapped_keywords(torch, name):
    m = od.methods.get(name)
    cls_name, to_kwargs = m.torch
    assert hasattr(torch.optim, cls_name), f"{name}: torch.optim has no {cls_name}"
    accepted = inspect.signature(getattr(torch.optim, cls_name).__init__).parameters
    for flags in _flag_cases(m):
        required = {k: d.typical[1] for k, d in m.hyper.items() if d.required}
        h = m.resolve(**required, **flags)
        unknown = set(to_kwargs(h)) - set(accepted)
        assert not unknown, f"{name}: torch.optim.{cls_name} has no keyword(s) {sorted(unknown)}"


@pytest.mark.reference
@pytest.mark.parametrize("case", TORCH_CASES, ids=[_case_id(c) for c in TORCH_CASES])
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_step_matches_torch_optim(torch, case, data):
    name, flags = case
    m = od.methods.get(name)
    cls_name, to_kwargs = m.torch
    h = m.resolve(**data.draw(_hyper(m, flags), label="hyper"))
    x0, grads = data.draw(_gradient_data(), label="x0, gradients")

    # The oracle ignores the query point: both sides see the same gradient g_t.
    ours = _optdyn_trajectory(m, h, x0, lambda t, q: grads[t - 1])
    theirs = _torch_trajectory(torch, cls_name, to_kwargs(h), x0, grads)
    _assert_close(ours, theirs, f"{name} vs torch.optim.{cls_name}({to_kwargs(h)})")


# -- 2. equivalent parametrisations (no torch) -----------------------------------


@st.composite
def _quadratic(draw):
    """A random SPD Hessian (eigenvalues in [0.05, 1]) and a start point."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    q, _ = np.linalg.qr(rng.standard_normal((DIM, DIM)))
    lam = rng.uniform(0.05, 1.0, DIM)
    return (q * lam) @ q.T, rng.standard_normal(DIM)


def _oracle(H):
    """The exact gradient of ½ xᵀHx at the queried point, whatever the step."""
    return lambda t, q: H @ q


def _hp(method: str, name: str, *, positive: bool = False):
    return _real(od.methods.get(method).hyper[name], positive=positive)


@settings(max_examples=EXAMPLES)
@given(problem=_quadratic(), lr=_hp("heavy_ball", "lr"), momentum=_hp("heavy_ball", "momentum"))
def test_heavy_ball_is_sgd_momentum_without_dampening(problem, lr, momentum):
    # torch's buffer b: b⁺ = momentum·b + g, x⁺ = x − lr·b⁺ (b₁ = g₀, so x₁ = x₀ − lr·g₀,
    # heavy ball's first step from x_prev = x₀). From then on lr·b = x_prev − x, hence
    #   x⁺ − x = −lr·b⁺ = momentum·(−lr·b) − lr·g = momentum·(x − x_prev) − lr·g,
    # Polyak's step with the same lr: the lr map between the two forms is the identity.
    H, x0 = problem
    hb = od.methods.get("heavy_ball")
    sgd = od.methods.get("sgd_momentum")
    ref = _optdyn_trajectory(hb, hb.resolve(lr=lr, momentum=momentum), x0, _oracle(H))
    h = sgd.resolve(lr=lr, momentum=momentum, dampening=0.0)
    _assert_close(_optdyn_trajectory(sgd, h, x0, _oracle(H)), ref, "sgd_momentum vs heavy_ball")


@settings(max_examples=EXAMPLES)
@given(problem=_quadratic(), lr=_hp("ema_momentum", "lr"), momentum=_hp("ema_momentum", "momentum"))
def test_ema_momentum_is_heavy_ball_with_scaled_lr(problem, lr, momentum):
    # m⁺ = momentum·m + (1 − momentum)·g is (1 − momentum) times torch's buffer b
    # (b⁺ = momentum·b + g, b₀ = 0), so x⁺ = x − lr·m⁺ = x − lr·(1 − momentum)·b⁺:
    # sgd_momentum, hence heavy ball, with lr·(1 − momentum).
    H, x0 = problem
    hb = od.methods.get("heavy_ball")
    ema = od.methods.get("ema_momentum")
    ref = _optdyn_trajectory(
        hb, hb.resolve(lr=lr * (1 - momentum), momentum=momentum), x0, _oracle(H)
    )
    h = ema.resolve(lr=lr, momentum=momentum)
    _assert_close(_optdyn_trajectory(ema, h, x0, _oracle(H)), ref, "ema_momentum vs heavy_ball")


@settings(max_examples=EXAMPLES)
@given(
    problem=_quadratic(),
    lr=_hp("nesterov", "lr"),
    momentum=_hp("nesterov", "momentum", positive=True),
)
def test_sgd_nesterov_iterates_are_the_look_ahead_points(problem, lr, momentum):
    # torch's Nesterov form iterates y_t = x_t + momentum·(x_t − x_{t−1}), the points where
    # the look-ahead form queries the gradient (y₀ = x₀ as x₋₁ = x₀); its buffer is
    # b_t = −(x_t − x_{t−1})/lr.
    H, x0 = problem
    nest = od.methods.get("nesterov")
    sgd = od.methods.get("sgd_momentum")
    hn = nest.resolve(lr=lr, momentum=momentum)
    s = nest.init(x0, OPS, **hn)
    ys = [s.x + momentum * (s.x - s.x_prev)]
    for t in range(1, STEPS + 1):
        s = nest.step(s, lambda q: H @ q, OPS, t=t, **hn)
        ys.append(s.x + momentum * (s.x - s.x_prev))
    h = sgd.resolve(lr=lr, momentum=momentum, nesterov=True)
    _assert_close(
        _optdyn_trajectory(sgd, h, x0, _oracle(H)), np.stack(ys), "sgd_momentum(nesterov) vs y_t"
    )


@settings(max_examples=EXAMPLES)
@given(
    problem=_quadratic(),
    lr=_hp("sgd_momentum", "lr"),
    momentum=_hp("sgd_momentum", "momentum", positive=True),
    dampening=st.floats(0.01, 1.0),
)
def test_dampened_sgd_momentum_is_heavy_ball_only_from_its_second_step(
    problem, lr, momentum, dampening
):
    # torch's first step skips the dampening (b₁ = g₀, not (1 − d)·g₀), so
    #   x₁ = x₀ − lr·g₀,  whereas heavy ball with lr·(1 − d) from x_prev = x₀ gives
    #   x₁ = x₀ − lr·(1 − d)·g₀ : they differ by exactly lr·d·g₀.
    # From then on lr·b = x_prev − x and b⁺ = momentum·b + (1 − d)·g, so
    #   x⁺ = x − lr·(1 − d)·g + momentum·(x − x_prev):
    # heavy ball with lr·(1 − d), started from the pair (x, x_prev) = (x₁, x₀).
    H, x0 = problem
    hb = od.methods.get("heavy_ball")
    sgd = od.methods.get("sgd_momentum")
    h = sgd.resolve(lr=lr, momentum=momentum, dampening=dampening)
    hh = hb.resolve(lr=lr * (1 - dampening), momentum=momentum)
    ours = _optdyn_trajectory(sgd, h, x0, _oracle(H))

    naive = _optdyn_trajectory(hb, hh, x0, _oracle(H), steps=1)
    scale = float(np.max(np.abs(ours)))
    gap = naive[1] - ours[1]
    # The gap is lr·d·g₀ to the module's criterion (relative to the trajectory's max|x|),
    # and far above it: a real difference, not rounding.
    assert np.max(np.abs(gap - lr * dampening * (H @ x0))) <= RTOL * scale
    assert np.max(np.abs(gap)) > 1e3 * RTOL * scale, "the first steps should differ visibly"

    restarted = _optdyn_trajectory(
        hb, hh, x0, _oracle(H), steps=STEPS - 1, state=State(x=ours[1], x_prev=x0), t0=2
    )
    _assert_close(ours[1:], restarted, "sgd_momentum(dampening) vs heavy_ball from (x₁, x₀)")


@settings(max_examples=EXAMPLES)
@given(problem=_quadratic(), lr=_hp("sgd_momentum", "lr"), dampening=st.floats(0.01, 1.0))
def test_sgd_without_momentum_ignores_dampening(problem, lr, dampening):
    # torch keeps no buffer when momentum = 0: the step is plain gradient descent with lr,
    # not heavy ball with lr·(1 − d) (which would be gradient descent with lr·(1 − d)).
    H, x0 = problem
    gd = od.methods.get("gd")
    sgd = od.methods.get("sgd_momentum")
    ref = _optdyn_trajectory(gd, gd.resolve(lr=lr), x0, _oracle(H))
    h = sgd.resolve(lr=lr, momentum=0.0, dampening=dampening)
    _assert_close(_optdyn_trajectory(sgd, h, x0, _oracle(H)), ref, "sgd_momentum(momentum=0) vs gd")
