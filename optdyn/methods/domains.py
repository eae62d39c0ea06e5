"""Domains of hyperparameters: what values a hyperparameter may take.

A domain validates user input (scalars or arrays, for the simulate layer) and
describes itself in error messages, so that every rejected value names the
parameter and its allowed range.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["Boolean", "Domain", "Interval", "NonNegative", "Positive"]


@dataclass(frozen=True, kw_only=True)
class Domain:
    """Base class of hyperparameter domains.

    Parameters
    ----------
    default
        Value used when the hyperparameter is not given (``None``: required).
    typical
        A range of values typical in practice, used to draw examples.
    """

    default: object = None
    typical: tuple[float, float] | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def validate(self, name: str, value):  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Interval(Domain):
    """A real interval, closed unless ``left_open``/``right_open`` is set.

    ``upper=math.inf`` is always open on the right.
    """

    lower: float = -math.inf
    upper: float = math.inf
    left_open: bool = False
    right_open: bool = False

    def describe(self) -> str:
        left = "(" if self.left_open or self.lower == -math.inf else "["
        right = ")" if self.right_open or self.upper == math.inf else "]"

        def fmt(v: float) -> str:
            if v == math.inf:
                return "inf"
            if v == -math.inf:
                return "-inf"
            return f"{v:g}"

        return f"{left}{fmt(self.lower)}, {fmt(self.upper)}{right}"

    def contains(self, value):
        """Elementwise membership test for a real scalar or array."""
        v = np.asarray(value, dtype=float)
        lo = v > self.lower if self.left_open else v >= self.lower
        hi = v < self.upper if (self.right_open or self.upper == math.inf) else v <= self.upper
        return lo & hi & np.isfinite(v)

    def validate(self, name: str, value):
        """Return ``value`` as a float or a float64 array, or raise.

        Raises
        ------
        TypeError
            If ``value`` is not a real number or an array of real numbers.
        ValueError
            If any element is NaN, infinite or outside the interval.
        """
        if isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be a real number in {self.describe()}; got a bool")
        if isinstance(value, numbers.Real):
            arr = None
            try:
                scalar = float(value)
            except OverflowError:  # an int or Fraction beyond the float64 range
                raise ValueError(
                    f"{name} must be in {self.describe()}; got a number beyond the float64 range"
                ) from None
        else:
            try:
                arr = np.asarray(value)
            except Exception as exc:
                raise TypeError(
                    f"{name} must be a real number or array in {self.describe()}; "
                    f"got {type(value).__name__}"
                ) from exc
            if arr.dtype.kind not in "iuf" or arr.dtype == object:
                raise TypeError(
                    f"{name} must be a real number or array in {self.describe()}; "
                    f"got {type(value).__name__} of dtype {arr.dtype}"
                )
            if arr.size == 0:
                raise ValueError(f"{name} must not be an empty array")
            with np.errstate(over="ignore"):  # a long double beyond float64 becomes inf
                arr = arr.astype(np.float64)
            scalar = None
        vals = np.asarray(scalar if arr is None else arr)
        ok = self.contains(vals)
        if not np.all(ok):
            bad = vals[~ok] if vals.ndim else vals
            first = float(np.ravel(bad)[0])
            where = ""
            if vals.ndim:
                idx = tuple(int(i) for i in np.argwhere(~ok)[0])
                where = f" at index {idx}"
            if math.isnan(first):
                raise ValueError(f"{name} must be in {self.describe()}; got NaN{where}")
            raise ValueError(f"{name} must be in {self.describe()}; got {first!r}{where}")
        return scalar if arr is None else arr


def Positive(**kw) -> Interval:  # noqa: N802 - reads as a type
    """The open half-line (0, inf)."""
    return Interval(lower=0.0, left_open=True, **kw)


def NonNegative(**kw) -> Interval:  # noqa: N802 - reads as a type
    """The closed half-line [0, inf)."""
    return Interval(lower=0.0, **kw)


@dataclass(frozen=True)
class Boolean(Domain):
    """A flag; fixed per call (it selects a variant of the update, not a grid axis)."""

    def describe(self) -> str:
        return "{True, False}"

    def validate(self, name: str, value):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        raise TypeError(f"{name} must be True or False; got {type(value).__name__}")
