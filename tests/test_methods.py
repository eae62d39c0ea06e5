"""The method registry: one definition each, runnable on sympy symbols and numpy arrays alike."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import sympy as sp

import optdyn as od
from optdyn.methods import State

# the methods the foundation promises (issue text and DESIGN.md section 8)
PROMISED = {
    "gd", "heavy_ball", "sgd_momentum", "nesterov", "ema_momentum", "adagrad", "rmsprop",
    "adam", "adam_l2", "adamw", "amsgrad", "nadam", "lion", "sam",
}  # fmt: skip
# hyperparameter names of DESIGN.md's glossary and of the torch.optim keywords
GLOSSARY = {
    "lr", "momentum", "dampening", "nesterov", "beta1", "beta2", "eps", "weight_decay",
    "decay", "centered", "lr_decay", "initial_accumulator_value", "momentum_decay", "rho",
}  # fmt: skip
ALL = od.methods.names()


def test_registry_lists_every_promised_method():
    assert set(ALL) == PROMISED
    assert len(ALL) == len(set(ALL))
    for name in ALL:
        assert od.methods.get(name).name == name
        assert od.methods.get(od.methods.get(name)) is od.methods.get(name)


@pytest.mark.parametrize("name", ALL)
def test_definition_is_documented(name):
    m = od.methods.get(name)
    assert set(m.hyper) <= GLOSSARY
    assert m.state[0] == "x"
    assert ".. math::" in type(m).__doc__, "the docstring shows the update in math"
    assert m.reference
    assert set(m.slow_states) <= set(m.state) and set(m.schedule_states) <= set(m.state)


def _sample_hyper(m, gen):
    """Values inside each domain's typical range (booleans: both)."""
    out = {}
    for k, d in m.hyper.items():
        if isinstance(d, od.methods.Boolean):
            out[k] = bool(gen.integers(2))
        else:
            lo, hi = d.typical
            out[k] = float(gen.uniform(lo, hi))
    return out


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("t", [1, 2, 7])
def test_one_definition_runs_on_symbols_and_arrays_alike(name, t):
    """The step evaluated on sympy symbols, then at numbers, equals the numpy step.

    One eigen-direction: f(q) = lam q^2 / 2 with noisy gradient lam q + xi.
    """
    m = od.methods.get(name)
    gen = np.random.default_rng([zlib.crc32(name.encode()), t])
    h = _sample_hyper(m, gen)
    states = m.states(**h)
    values = dict(zip(states, gen.uniform(0.1, 1.0, len(states)), strict=True))
    lam_v, xi_v = 2.5, 0.3

    syms = {k: sp.Symbol(k, positive=True) for k in states}
    hs = {k: (v if isinstance(v, bool) else sp.Symbol(k, positive=True)) for k, v in h.items()}
    lam, xi = sp.symbols("lam xi", positive=True)
    out_sym = m.step(State(**syms), lambda q: lam * q + xi, od.theory.SYMPY_OPS, t=t, **hs)
    subs = {syms[k]: values[k] for k in states}
    subs.update({hs[k]: v for k, v in h.items() if not isinstance(v, bool)})
    subs.update({lam: lam_v, xi: xi_v})

    arr = {k: np.array([values[k]]) for k in states}
    out_num = m.step(State(**arr), lambda q: lam_v * q + xi_v, od.simulate.NUMPY_OPS, t=t, **h)
    assert tuple(out_sym) == tuple(out_num) == states
    for k in states:
        exact = float(sp.N(out_sym[k].subs(subs), 30))
        assert out_num[k][0] == pytest.approx(exact, rel=1e-12, abs=1e-300), k


def test_bias_correction_uses_the_step_counter():
    """Adam's first step has magnitude lr in every coordinate, whatever the gradient scale."""
    m = od.methods.get("adam")
    ops = od.simulate.NUMPY_OPS
    g = np.array([1e-3, 1.0, 1e3])
    h = m.resolve(lr=0.01, eps=1e-300)
    s = m.step(m.init(np.zeros(3), ops, **h), lambda q: g, ops, t=1, **h)
    np.testing.assert_allclose(s.x, -0.01 * np.sign(g), rtol=1e-12)
    later = m.step(m.init(np.zeros(3), ops, **h), lambda q: g, ops, t=50, **h)
    assert not np.allclose(later.x, s.x)


def test_state_is_immutable_and_ordered():
    s = State(x=1, m=2)
    assert s.replace(m=3) == State(x=1, m=3) and s.m == 2
    assert list(s.replace(x=5)) == ["x", "m"]
    with pytest.raises(AttributeError):
        s.x = 3
    with pytest.raises(AttributeError):
        s.replace(v=1)


def test_resolve_fills_defaults_and_keeps_arrays():
    m = od.methods.get("adam")
    h = m.resolve(lr=np.array([0.1, 0.2]))
    assert h["beta1"] == 0.9 and h["beta2"] == 0.999 and h["eps"] == 1e-8
    assert h["lr"].dtype == np.float64 and h["lr"].shape == (2,)
