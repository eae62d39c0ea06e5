"""The frozen-preconditioner edge of stability of adaptive methods, against their own numpy step.

The preconditioner is frozen in practice by beta2 (decay) = 1 - 1e-7 and an
iterate of 1e-12: over the 80 steps of a run the second moment moves by less
than 1e-5 relative, so the run stays in the linear regime (past it, a growing
gradient raises v and the run self-stabilises). The step counter starts at
10**9, where the bias corrections have decayed. A coordinate whose curvature
is 3 % below the predicted threshold contracts, 3 % above it grows, and the
measured per-step growth of the envelope matches the predicted spectral radius
(to 2 %: the window maxima sample an oscillation).
"""

from __future__ import annotations

import numpy as np
import pytest

import optdyn as od

OPS = od.simulate.NUMPY_OPS
V = 0.25  # frozen second moment: the preconditioner is sqrt(V) + eps = 0.5 + eps
CASES = {
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 1 - 1e-7, "eps": 1e-8},
    "adamw": {"lr": 0.01, "beta1": 0.9, "beta2": 1 - 1e-7, "eps": 1e-8, "weight_decay": 0.05},
    "rmsprop": {"lr": 0.01, "decay": 1 - 1e-7, "eps": 1e-8, "momentum": 0.5},
}


def _run(name, hyper, lam, steps=80, t0=10**9):
    m = od.methods.get(name)
    h = m.resolve(**hyper)
    s = m.init(np.array([1e-12]), OPS, **h)
    s = s.replace(**{k: np.array([V]) for k in m.slow_states if k in s})
    xs = []
    for k in range(steps):
        s = m.step(s, lambda q: lam * q, OPS, t=t0 + k, **h)
        xs.append(abs(s.x[0]))
    return np.array(xs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_loses_stability_at_the_predicted_curvature(name):
    hyper = CASES[name]
    ls = od.theory.linearize(name)
    thr = ls.curvature_threshold()
    full = od.methods.get(name).resolve(**hyper)  # defaults filled in
    values = {k: v for k, v in full.items() if k in ls.symbols} | {"v": V}
    edge = float(thr.subs({ls.symbols[k]: v for k, v in values.items()}))
    assert edge > 0
    for factor in (0.97, 1.03):
        lam = factor * edge
        xs = _run(name, hyper, lam)
        # envelope growth between steps 20-30 and 70-80 (a window spans the oscillation)
        measured = (xs[-10:].max() / xs[20:30].max()) ** (1 / 50)
        predicted = ls.spectral_radius(lam=lam, **values)
        assert (measured < 1) == (factor < 1), (name, factor, measured)
        assert (predicted < 1) == (factor < 1)
        assert measured == pytest.approx(predicted, rel=2e-2)
