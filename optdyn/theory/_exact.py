"""User numbers as exact sympy values, shared by the theory layer's entry points."""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np
import sympy as sp


def exact_real(name: str, value) -> sp.Rational:
    """A real number as an exact sympy Rational (a float becomes the decimal it prints as)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number; got a bool")
    if isinstance(value, sp.Basic):
        if value.is_Rational:
            return value
        if value.is_Float:
            value = float(value)
        else:
            raise TypeError(
                f"{name} must be a rational number (int, float, Fraction or sympy Rational); "
                f"got {value}"
            )
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Real):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite; got {v!r}")
        return sp.Rational(repr(v))
    raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
