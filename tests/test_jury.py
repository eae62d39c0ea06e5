"""The Jury test against numeric root moduli (numpy) and exact boundary cases."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from optdyn.theory.jury import jury_conditions, jury_stable

z = sp.Symbol("z")


@given(
    deg=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([0.3, 1.0, 2.0]),
)
def test_jury_agrees_with_numeric_root_moduli(deg, seed, scale):
    gen = np.random.default_rng(seed)
    # k conjugate pairs and deg - 2k real roots of modulus up to 1.2 * scale,
    # so that both outcomes are common
    k = int(gen.integers(0, deg // 2 + 1))
    pairs = scale * gen.uniform(0, 1.2, k) * np.exp(1j * gen.uniform(0, np.pi, k))
    reals = scale * gen.uniform(-1.2, 1.2, deg - 2 * k)
    poly = np.real(np.poly(np.concatenate([pairs, np.conj(pairs), reals])))
    poly = poly * gen.choice([-1.0, 1.0]) * gen.uniform(0.5, 3.0)
    radius = np.max(np.abs(np.roots(poly)))
    if abs(radius - 1) < 1e-6:
        return  # too close to the boundary for floating-point roots to decide
    exact = [sp.Rational(c) for c in poly]  # the float coefficients, exactly
    assert jury_stable(exact) == (radius < 1)


@pytest.mark.parametrize(
    ("roots", "stable"),
    [
        ([sp.Rational(1, 2), sp.Rational(-1, 3)], True),
        ([1, sp.Rational(1, 2)], False),  # a root at z = 1
        ([-1, sp.Rational(1, 2)], False),  # a root at z = -1
        ([sp.I, -sp.I, sp.Rational(1, 2)], False),  # a pair on the unit circle
        ([sp.Rational(99, 100) * sp.I, -sp.Rational(99, 100) * sp.I], True),
        ([sp.Rational(101, 100), 0, 0, 0], False),
    ],
)
def test_boundary_cases_are_decided_exactly(roots, stable):
    poly = sp.Poly(sp.expand(sp.prod([z - r for r in roots])), z)
    assert jury_stable(poly) is stable


def test_second_order_region_is_the_stability_triangle():
    """z^2 + a1 z + a0 is stable iff |a0| < 1 and |a1| < 1 + a0 (checked on a grid)."""
    a0, a1 = sp.symbols("a0 a1", real=True)
    conds = jury_conditions(z**2 + a1 * z + a0, z)
    f = sp.lambdify((a0, a1), sp.And(*conds), "numpy")
    g0, g1 = np.meshgrid(np.linspace(-1.5, 1.5, 61), np.linspace(-2.5, 2.5, 81))
    inside = f(g0, g1)
    radius = np.array(
        [max(abs(np.roots([1, b, a]))) for a, b in zip(g0.ravel(), g1.ravel(), strict=True)]
    ).reshape(g0.shape)
    decided = np.abs(radius - 1) > 1e-9
    np.testing.assert_array_equal(inside[decided], (radius < 1)[decided])


def test_errors():
    with pytest.raises(ValueError, match="degree"):
        jury_conditions([3])
    with pytest.raises(ValueError, match="numeric"):
        jury_stable(z**2 + sp.Symbol("a"), z)
