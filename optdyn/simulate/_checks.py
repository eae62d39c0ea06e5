"""Argument checks shared by the simulate layer's constructors and runner."""

from __future__ import annotations

import math
import numbers

import numpy as np

_INT64_MAX = 2**63 - 1


def real_array(name: str, value, *, ndim: int | None = None) -> np.ndarray:
    """``value`` as a finite float64 array, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers; got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as exc:
        raise TypeError(f"{name} must be an array of real numbers") from exc
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers; got dtype {arr.dtype}")
    with np.errstate(over="ignore"):  # a long double beyond float64 becomes inf
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; it contains NaN or inf")
    return arr


def positive_int(name: str, value, *, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum``, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    if value > _INT64_MAX:
        raise ValueError(f"{name} must be an integer in [{minimum}, 2**63 - 1]; got a larger one")
    return int(value)


def nonnegative_scalar(name: str, value) -> float:
    """``value`` as a finite float >= 0, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0; got {type(value).__name__}")
    try:
        v = float(value)
    except OverflowError:  # an int or Fraction beyond the float64 range
        v = math.inf
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite real number >= 0; got {v!r}")
    return v


def spd_matrix(name: str, value) -> np.ndarray:
    """A symmetric positive semidefinite float64 matrix, or a ValueError naming ``name``."""
    mat = real_array(name, value, ndim=2)
    if mat.shape[0] != mat.shape[1]:
        raise ValueError(f"{name} must be square; got shape {mat.shape}")
    scale = max(float(np.max(np.abs(mat))), np.finfo(float).tiny)
    with np.errstate(over="ignore", invalid="ignore"):  # mat - mat.T may overflow
        symmetric = np.allclose(mat, mat.T, rtol=0.0, atol=1e-12 * scale)
    if not symmetric:
        raise ValueError(f"{name} must be symmetric")
    eig = np.linalg.eigvalsh(mat)
    if not np.all(np.isfinite(eig)):
        raise ValueError(f"{name} is too large: its eigenvalues overflow float64")
    if eig[0] < -1e-12 * max(abs(eig[-1]), np.finfo(float).tiny) * mat.shape[0]:
        raise ValueError(
            f"{name} must be positive semidefinite (eigenvalues >= 0); "
            f"its smallest eigenvalue is {eig[0]:.6g}"
        )
    return mat + (mat.T - mat) / 2  # exact for a symmetric mat; (mat + mat.T) / 2 can overflow
