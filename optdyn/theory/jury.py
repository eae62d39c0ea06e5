r"""The Jury (Schur) stability test for real polynomials of any degree.

A real polynomial :math:`p(z) = a_n z^n + \dots + a_0` with :math:`a_n > 0` has
all its roots strictly inside the unit circle if and only if (E. I. Jury,
*Theory and Application of the z-Transform Method*, 1964, section 1.5; the
tabular form in Åström & Wittenmark, *Computer-Controlled Systems*, 3rd ed.,
section 3.3)

.. math::
    p(1) > 0, \qquad (-1)^n p(-1) > 0, \qquad |a_0| < a_n,

and, for the rows of the Jury table :math:`b_k = a_0 a_k - a_n a_{n-k}`,
:math:`c_k = b_0 b_k - b_{n-1} b_{n-1-k}`, ... (each row one shorter),
:math:`|b_0| > |b_{n-1}|`, :math:`|c_0| > |c_{n-2}|`, ... down to the row of
three entries. Comparisons of absolute values are returned squared, so every
condition is a polynomial inequality in the coefficients.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

__all__ = ["jury_conditions", "jury_expressions", "jury_stable"]


def _coeffs(poly, z) -> list:
    """Coefficients ``[a_0, ..., a_n]`` (ascending) of ``poly``, normalised so ``a_n > 0``."""
    if isinstance(poly, sp.Poly):
        desc = poly.all_coeffs()
    elif isinstance(poly, Sequence):
        desc = list(poly)
    else:
        if z is None:
            raise TypeError("pass the variable z with a polynomial expression")
        desc = sp.Poly(poly, z).all_coeffs()
    desc = [sp.sympify(c) for c in desc]
    while len(desc) > 1 and desc[0] == 0:
        desc = desc[1:]
    if len(desc) < 2:
        raise ValueError("the polynomial must have degree >= 1")
    lead = desc[0]
    if lead.is_negative:
        desc = [-c for c in desc]
    elif not lead.is_positive:
        # a leading coefficient of unknown sign: conditions hold for lead > 0
        pass
    return desc[::-1]


def jury_expressions(poly, z: sp.Symbol | None = None) -> list[sp.Expr]:
    """The left-hand sides of the Jury conditions: all must be > 0.

    Parameters
    ----------
    poly : sympy.Poly, expression in ``z``, or coefficient list (highest first)
        A real polynomial of degree n >= 1. Its leading coefficient is taken
        positive (the polynomial is negated if it is known to be negative; if
        its sign is unknown the conditions assume it is positive).
    z : sympy.Symbol, optional
        The variable, when ``poly`` is an expression.

    Returns
    -------
    list of sympy expressions
        ``[p(1), (-1)^n p(-1), a_n^2 - a_0^2, b_0^2 - b_{n-1}^2, ...]``; for
        n = 1 only the first two (the third follows from them).
    """
    a = _coeffs(poly, z)
    n = len(a) - 1
    exprs = [sum(a), (-1) ** n * sum(c * (-1) ** k for k, c in enumerate(a))]
    if n > 1:
        exprs.append(a[n] ** 2 - a[0] ** 2)
    row = a
    while len(row) > 3:
        m = len(row) - 1
        row = [sp.expand(row[0] * row[k] - row[m] * row[m - k]) for k in range(m)]
        exprs.append(row[0] ** 2 - row[-1] ** 2)
    return [sp.expand(e) for e in exprs]


def jury_conditions(poly, z: sp.Symbol | None = None) -> list[sp.Basic]:
    """The Jury conditions of ``poly`` as strict inequalities ``expr > 0``.

    All hold if and only if every root lies strictly inside the unit circle;
    see :func:`jury_expressions` for the arguments. Conditions without symbols
    evaluate to ``sympy.true`` or ``sympy.false``.
    """
    return [sp.Gt(e, 0) for e in jury_expressions(poly, z)]


def jury_stable(poly, z: sp.Symbol | None = None) -> bool:
    """Decide exactly whether all roots of a polynomial with numeric coefficients lie
    strictly inside the unit circle.

    Integer or Rational coefficients give an exact answer, roots on the unit
    circle included (they make the answer False). Float coefficients are
    converted to the Rationals they represent exactly.

    Raises
    ------
    ValueError
        If a coefficient is not a number.
    """
    if isinstance(poly, Sequence) and not isinstance(poly, sp.Poly):
        poly = [sp.Rational(c) if isinstance(c, float) else c for c in poly]
    for e in jury_expressions(poly, z):
        if not e.is_number:
            raise ValueError(f"jury_stable needs numeric coefficients; got {e}")
        if not bool(e > 0):
            return False
    return True
