"""Figures iterations_vs_kappa and worst_case: simulation against theory, PEPit against exact.

Quick data throughout (fixed spectra and rotations: deterministic runs, no seeds needed).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
import sympy as sp
from conftest import require

import optdyn as od
import optdyn.figures.iterations_vs_kappa as ik
import optdyn.figures.worst_case_vs_n as wcn


# --------------------------------------------------------------------------- iterations_vs_kappa
def test_linear_counts_between_theory_and_derived_bound():
    d = ik.iterations_vs_kappa_data(quick=True)
    for name in ik.LINEAR:
        sim, th, bound = d.simulated[name], d.theory[name], d.bound[name]
        assert np.isfinite(sim).all(), name
        # lower: at the minimax tuning the worst mode decays no faster than rate^t (W_n >=
        # rate^(2n), heavy_ball.worst_case / nesterov.worst_case, attained at an end of
        # [mu, L]; both ends are simulated); -1 for the float rate inside the ceil.
        # upper: _count_bound, from Cayley-Hamilton, |x_n| <= n rho^(n-1)|x_1| + (n-1) rho^n
        # for two states (rho^n for gd, where the two bounds coincide). The prefactor of a
        # double root at an end, (1 + c t), costs ~ log(2 N) / (-log rho) extra steps:
        # +55% for heavy ball and +21% for Nesterov at kappa = 1e4 (observed).
        assert np.all(sim >= th - 1), (name, sim, th)
        assert np.all(sim <= bound), (name, sim, bound)
    assert np.array_equal(d.simulated["gd"], d.theory["gd"])  # one mode: x_t = rho^t at mu


def test_fitted_slope_matches_the_derived_exponent():
    d = ik.iterations_vs_kappa_data(quick=True)
    claims = od.proofs.claims(source="optdyn")
    for name in ik.LINEAR:
        # the simulated counts carry the double roots' log factor: slope within 0.1
        assert abs(d.slope[name] - d.exponent[name]) <= 0.1, (name, d.slope[name])
        # the exponent is the slope of log(tol)/log(rho) between the two largest kappas; with
        # -log rho = a k^(-e) + b k^(-2e) + ... that local slope is e + O(b/(2a) k^(-1/2)) for
        # e = 1/2 (Nesterov: b/(2a) = 0.29, heavy ball: b = 0) and e + O(1/k) for gd. At
        # k >= kappa[-2] this is within kappa[-2]^(-1/2) of the catalogue's exponent.
        stated = float(sp.sympify(claims[f"{name}.kappa"].stated["exponent"]))
        assert abs(d.exponent[name] - stated) <= d.kappa[-2] ** -0.5, (name, d.exponent[name])


def test_adaptive_counts_scale_invariant_on_diagonal_not_rotated():
    d = ik.iterations_vs_kappa_data(quick=True)
    assert d.kappa[-1] == pytest.approx(1e4)
    for name in ik.ADAPTIVE:
        diag = d.diagonal[name]
        rot = np.where(np.isnan(d.rotated[name]), d.max_steps, d.rotated[name])  # capped
        # diagonal: iterates independent of the curvatures at eps = 0 (adaptive.scale_invariance);
        # eps = 1e-8 moves them by <= 6e-4 (the claim's evidence), far below the tolerance 0.1
        assert np.isfinite(diag).all() and diag.max() <= 1.1 * diag.min(), (name, diag)
        # rotated: the same at kappa = 10 within 20%, at least 10 times slower at kappa = 1e4
        assert rot[0] <= 1.2 * diag[0], (name, rot, diag)
        assert rot[-1] >= 10 * diag[-1], (name, rot, diag)


# --------------------------------------------------------------------------- worst_case
def test_worst_case_simulated_at_the_maximiser():
    d = wcn.worst_case_data(quick=True)
    for name in wcn.METHODS:
        # x_n on H = lam*_n from x_0 = 1 is p_n(lam*_n): float64 rounding over <= 12 steps
        np.testing.assert_allclose(d.simulated[name], d.exact[name], rtol=1e-10, err_msg=name)
        # the minimax rate bounds the exact worst case from below (*.worst_case)
        assert np.all(d.exact[name] >= d.asymptotic[name]), name


def _exact(name, n, mu=0.01, L=1.0, **hyper):
    return od.theory.worst_case(name, mu=mu, L=L, steps=n, **hyper).value


#: SCS at eps 1e-9 is accurate to a few times 1e-9 relative on these PEPs (<= 2.4e-9
#: observed in tests/test_worst_case.py); 1e-6 leaves a factor 400.
RTOL_PEP = 1e-6


@pytest.mark.reference
def test_pep_points_agree_with_exact_worst_case():
    require("PEPit")
    d = wcn.worst_case_data(quick=True)
    assert d.pep_note == ""
    for name in wcn.METHODS:
        assert np.isfinite(d.pep[name]).all(), name
        np.testing.assert_allclose(d.pep[name], d.exact[name][d.pep_n - 1], rtol=RTOL_PEP,
                                   err_msg=name)  # fmt: skip


@pytest.mark.reference
@pytest.mark.parametrize(
    "name, hyper",
    [
        ("heavy_ball", {"lr": 1.5, "momentum": 0.7}),
        ("nesterov", {"lr": 1.0, "momentum": 0.9}),
        ("ema_momentum", {"lr": 0.9, "momentum": 0.7}),  # a buffer that starts at zero
        ("sgd_momentum", {"lr": 0.5, "momentum": 0.6, "dampening": 0.3, "nesterov": True}),
    ],
)
def test_generic_pep_adapter_agrees_with_exact(name, hyper):
    require("PEPit")
    res = wcn._pep_worst_case(name, 0.1, 1.0, 4, **hyper)
    assert res.status == "optimal"
    assert res.value == pytest.approx(_exact(name, 4, mu=0.1, **hyper), rel=RTOL_PEP)


@pytest.mark.reference
def test_generic_pep_adapter_agrees_with_hand_written_pep():
    require("PEPit")
    from test_worst_case import _pep_worst_case as hand_written

    hyper = od.theory.optimal("heavy_ball", mu=0.01, L=1.0, closed_form=False).hyper
    dual, primal, status = hand_written("heavy_ball", 0.01, 1.0, 3, **hyper)
    res = wcn._pep_worst_case("heavy_ball", 0.01, 1.0, 3, **hyper)
    assert status == res.status == "optimal"
    # the same SDP solved twice at eps 1e-9: both within the solver's accuracy of each other
    assert res.value == pytest.approx(dual, rel=1e-8)
    assert res.primal == pytest.approx(primal, rel=1e-8)
    assert res.value == pytest.approx(_exact("heavy_ball", 3, **hyper), rel=RTOL_PEP)


@pytest.mark.reference
def test_generic_pep_adapter_rejects_nonlinear_methods():
    require("PEPit")
    with pytest.raises(ValueError, match="adam is not linear"):
        wcn._pep_worst_case("adam", 0.1, 1.0, 2, lr=0.1)


def test_worst_case_without_pepit_records_no_points(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "PEPit", None)  # import PEPit raises ImportError
    d = wcn.worst_case_data.__wrapped__(quick=True)
    assert all(np.isnan(v).all() for v in d.pep.values())
    assert "not installed" in d.pep_note
    fig = wcn.plot_worst_case(d)
    fig.savefig(tmp_path / "no_pepit.png")
    assert (tmp_path / "no_pepit.png").stat().st_size > 1000
