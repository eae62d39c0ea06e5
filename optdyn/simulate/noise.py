r"""Gradient noise models: additive noise :math:`\xi` added to every gradient query.

One draw per seed and step; all gradient queries of that step (a look-ahead,
a SAM perturbation) see the same draw, and every grid point sees the same
draws for the same seed (common random numbers).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ._checks import nonnegative_scalar, positive_int, real_array, spd_matrix
from .problems import Problem

__all__ = ["AdditiveNoise", "HessianNoise", "NoiseModel"]


class NoiseModel(ABC):
    """Base class: ``sample(gen, n, problem)`` returns ``n`` draws of shape ``(dim,)``."""

    @abstractmethod
    def sample(self, gen: np.random.Generator, n: int, problem) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @abstractmethod
    def covariance(self, problem) -> np.ndarray:  # pragma: no cover - abstract
        """The covariance matrix of one draw on ``problem``."""
        raise NotImplementedError

    def check(self, problem) -> None:  # noqa: B027 - an optional hook, not abstract
        """Raise ValueError if this noise cannot be used with ``problem``."""


class AdditiveNoise(NoiseModel):
    r"""Gaussian noise :math:`\xi \sim \mathcal N(0, \Sigma)`, independent of the iterate.

    Parameters
    ----------
    sigma : float or array_like of shape (dim,), optional
        Standard deviation per coordinate: isotropic (scalar) or diagonal.
    cov : array_like, shape (dim, dim), optional
        A full covariance matrix instead of ``sigma``.
    """

    def __init__(self, sigma=None, *, cov=None) -> None:
        if (sigma is None) == (cov is None):
            raise TypeError("AdditiveNoise takes exactly one of sigma and cov")
        self.sigma = self.cov = self._chol = None
        if cov is not None:
            self.cov = spd_matrix("cov", cov)
            w, v = np.linalg.eigh(self.cov)
            self._chol = v * np.sqrt(np.clip(w, 0.0, None))  # cov = L L^T
        else:
            s = real_array("sigma", sigma)
            if s.ndim > 1:
                raise ValueError(f"sigma must be a scalar or 1-dimensional; got shape {s.shape}")
            if np.any(s < 0):
                raise ValueError("sigma must be >= 0")
            self.sigma = s

    def _dim(self) -> int | None:
        if self.cov is not None:
            return self.cov.shape[0]
        return self.sigma.size if self.sigma.ndim == 1 else None

    def check(self, problem) -> None:
        d = self._dim()
        if d is not None and d != problem.dim:
            if self.cov is not None:
                what = f"cov has shape {self.cov.shape}"
            else:
                what = f"sigma has {d} entries"
            raise ValueError(
                f"noise has dimension {d} ({what}) but the problem has dim {problem.dim}"
            )

    def sample(self, gen, n, problem):
        z = gen.standard_normal((n, problem.dim))
        if self.cov is not None:
            return z @ self._chol.T
        return z * self.sigma

    def covariance(self, problem):
        if self.cov is not None:
            return self.cov
        return np.diag(np.broadcast_to(self.sigma**2, (problem.dim,)).copy())

    def __repr__(self) -> str:
        if self.cov is not None:
            return f"AdditiveNoise(cov=<{self.cov.shape[0]}x{self.cov.shape[0]}>)"
        return f"AdditiveNoise(sigma={self.sigma.tolist()})"


class HessianNoise(NoiseModel):
    r"""Gaussian noise with covariance proportional to the Hessian: :math:`\Sigma = \sigma^2 H / B`.

    The usual model of minibatch noise near a minimum of a well-specified
    least-squares problem with batch size ``B``.

    Parameters
    ----------
    sigma2 : float
        Scale :math:`\sigma^2 \ge 0`.
    batch_size : int
        Batch size :math:`B \ge 1`.
    """

    def __init__(self, sigma2: float = 1.0, *, batch_size: int = 1) -> None:
        self.sigma2 = nonnegative_scalar("sigma2", sigma2)
        self.batch_size = positive_int("batch_size", batch_size)

    def check(self, problem) -> None:
        if type(problem).hessian_sqrt is Problem.hessian_sqrt:
            raise ValueError("HessianNoise needs a quadratic problem (one with a Hessian)")

    def sample(self, gen, n, problem):
        z = gen.standard_normal((n, problem.dim))
        root = problem.hessian_sqrt()
        scale = np.sqrt(self.sigma2 / self.batch_size)
        return scale * (z * root if root.ndim == 1 else z @ root.T)

    def covariance(self, problem):
        root = problem.hessian_sqrt()
        h = np.diag(root**2) if root.ndim == 1 else root @ root.T
        return self.sigma2 / self.batch_size * h

    def __repr__(self) -> str:
        return f"HessianNoise(sigma2={self.sigma2}, batch_size={self.batch_size})"
