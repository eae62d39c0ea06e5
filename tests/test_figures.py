"""Figures: each data function agrees with theory, each figure renders headless."""

import numpy as np
import pytest

import optdyn as od
import optdyn.figures as figs


@pytest.mark.parametrize("name", [n for n in figs.names() if n.startswith("stability_map")])
def test_stability_map_agrees_with_the_jury_region(name):
    d = figs.get(name).data(quick=True)
    # away from the boundary (|rho - 1| > 0.02) the simulated outcome matches the theory
    assert d.agreement == 1.0
    # the boundary drawn is where the simulated outcome changes along each row
    for j in range(0, d.y.size, 4):
        row = np.isfinite(d.final[j]) & (d.final[j] < 1)
        if row.all() or not row.any():
            continue
        edge = d.x[np.argmin(row)]  # first unstable grid point
        assert abs(edge - d.boundary[j]) <= 2 * (d.x[1] - d.x[0])


@pytest.mark.parametrize("name", figs.names())
def test_figures_render_headless(name, tmp_path):
    paths = figs.render(name, tmp_path, quick=True)
    assert all(p.exists() and p.stat().st_size > 1000 for p in paths)


def test_unknown_figure():
    with pytest.raises(ValueError, match="no figure 'nope'"):
        figs.get("nope")


def test_rate_vs_lr_measured_matches_theory():
    d = figs.rate_vs_lr_data(quick=True)
    for name, measured in d.measured.items():
        ok = np.isfinite(measured)
        assert ok.all(), name
        # over a window of >= 100 steps, prefactors (a double root's t, amplitude ratios of
        # the slowest modes up to 100) bias the per-step rate by at most log(200)/100 = 0.053
        rel = np.abs(measured - d.predicted[name]) / d.predicted[name]
        assert rel.max() <= np.log(200) / 100, name


def test_variance_monte_carlo_matches_lyapunov():
    # mean of x_T^2 over 2000 seeds (seed 0) against ls.stationary_variance, 5 standard errors;
    # the runs start at the minimum and last > 14 time constants of the slowest mode (bias < 1e-12)
    d = figs.variance_data(quick=True)
    for key, pred in d.predicted.items():
        assert np.all(np.abs(d.measured[key] - pred) <= 5 * d.stderr[key]), key


def test_figures_and_claims_name_each_other():
    registry = od.proofs.claims()
    for name in figs.names():
        for cid in figs.get(name).claims:
            assert cid in registry, (name, cid)
            assert registry[cid].figure is not None, cid  # the catalogue names a figure
    for cid, c in registry.items():
        if c.figure is not None:
            assert c.figure in figs.names(), (cid, c.figure)
            assert cid in figs.get(c.figure).claims, (cid, c.figure)


def test_figure_order_is_the_module_order():
    modules = [figs.get(n).plot.__module__.rpartition(".")[2] for n in figs.names()]
    ranks = [figs.MODULES.index(m) for m in modules]
    assert ranks == sorted(ranks)
    assert set(modules) == set(figs.MODULES)


def test_errata_counts_every_claim_once():
    d = figs.errata_data()
    registry = od.proofs.claims()
    assert sum(d.counts.values()) == len(registry)
    for src in d.sources:
        by_status = {s: d.counts.get((src, s), 0) for s in d.statuses}
        assert sum(by_status.values()) == sum(c.source == src for c in registry.values())
