r"""Gradient noise models: additive noise :math:`\xi` added to every gradient query.

One draw per seed and step; all gradient queries of that step (a look-ahead,
a SAM perturbation) see the same draw, and every grid point sees the same
draws for the same seed (common random numbers). Draws are independent across
steps, except for :class:`AR1Noise`, whose draws are correlated from one step to
the next.
"""

from __future__ import annotations

import numbers
from abc import ABC, abstractmethod

import numpy as np

from ._checks import nonnegative_scalar, positive_int, real_array, spd_matrix
from .problems import Problem

__all__ = ["AR1Noise", "AdditiveNoise", "HessianNoise", "NoiseModel"]


class NoiseModel(ABC):
    r"""Base class: ``sample(gen, n, problem)`` returns ``n`` draws of shape ``(dim,)``.

    Attributes
    ----------
    rho : float
        The correlation of a step's draw with the previous step's,
        :math:`\xi_t = \rho\, \xi_{t-1} + \sqrt{1-\rho^2}\,\varepsilon_t`; 0 (the
        default) for draws independent across steps.
    """

    rho: float = 0.0

    def draw(self, gen: np.random.Generator, n: int, problem, previous=None) -> np.ndarray:
        """One step's ``n`` draws, given the previous step's (``None`` at the first step).

        The runner calls this once per step; independent draws ignore ``previous``.
        """
        return self.sample(gen, n, problem)

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


class AR1Noise(NoiseModel):
    r"""Gaussian noise correlated across steps, a stationary AR(1) process.

    .. math::
        \xi_1 \sim \mathcal N(0, \Sigma), \qquad
        \xi_t = \rho\, \xi_{t-1} + \sqrt{1 - \rho^2}\; \varepsilon_t, \qquad
        \varepsilon_t \sim \mathcal N(0, \Sigma) \text{ i.i.d.},

    so that every draw has covariance :math:`\Sigma` and
    :math:`\mathrm{Cov}(\xi_t, \xi_{t-k}) = \rho^k \Sigma`. ``rho = 0`` is
    :class:`AdditiveNoise`.

    Parameters
    ----------
    rho : float
        Correlation between consecutive draws, :math:`-1 < \rho < 1`.
    sigma : float or array_like of shape (dim,), optional
        Standard deviation per coordinate (as for :class:`AdditiveNoise`).
    cov : array_like, shape (dim, dim), optional
        The covariance :math:`\Sigma` instead of ``sigma``.
    """

    def __init__(self, rho: float, sigma=None, *, cov=None) -> None:
        if isinstance(rho, (bool, np.bool_)) or not isinstance(rho, numbers.Real):
            raise TypeError(f"rho must be a real number in (-1, 1); got {type(rho).__name__}")
        if not -1.0 < float(rho) < 1.0:
            raise ValueError(f"rho must be a real number in (-1, 1); got {rho!r}")
        self.rho = float(rho)
        self._marginal = AdditiveNoise(sigma, cov=cov)

    def check(self, problem) -> None:
        self._marginal.check(problem)

    def sample(self, gen, n, problem):
        return self._marginal.sample(gen, n, problem)

    def draw(self, gen, n, problem, previous=None):
        fresh = self._marginal.sample(gen, n, problem)
        if previous is None:
            return fresh
        return self.rho * previous + np.sqrt(1.0 - self.rho**2) * fresh

    def covariance(self, problem):
        return self._marginal.covariance(problem)

    def __repr__(self) -> str:
        inner = repr(self._marginal).removeprefix("AdditiveNoise(").removesuffix(")")
        return f"AR1Noise(rho={self.rho}, {inner})"
