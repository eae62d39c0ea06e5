r"""Test problems: quadratics and least squares.

Every problem evaluates batched gradients: a point ``q`` of shape
``(..., seeds, dim)`` gives a gradient of the same shape. Random problems
(minibatch least squares) draw one sample per seed and step with
:meth:`Problem.sample`; the runner passes it back to :meth:`Problem.grad`, so
every gradient query of one step sees the same minibatch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ._checks import positive_int, real_array, spd_matrix

__all__ = ["DiagonalQuadratic", "LeastSquares", "Problem", "Quadratic"]


class Problem(ABC):
    r"""A smooth objective with a known minimiser ``x_star``.

    Subclasses define :attr:`dim`, :attr:`x_star`, :meth:`grad`,
    :meth:`excess_loss` and, for a quadratic model, :attr:`hessian` (dense) or
    :attr:`eigenvalues` (diagonal).
    """

    dim: int
    x_star: np.ndarray
    stochastic: bool = False

    def sample(self, gen: np.random.Generator, n: int):
        """Random draw of one step for ``n`` seeds (``None`` for a deterministic problem)."""
        return None

    @abstractmethod
    def grad(self, q: np.ndarray, draw=None) -> np.ndarray:  # pragma: no cover - abstract
        """Gradient at ``q`` (batched over leading axes) for the draw of this step."""
        raise NotImplementedError

    @abstractmethod
    def excess_loss(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        r""":math:`f(x) - f^\star` and :math:`\lVert x - x^\star\rVert^2` over the last axis."""
        raise NotImplementedError

    def hessian_sqrt(self) -> np.ndarray:  # pragma: no cover - abstract
        """A square root of the Hessian, diagonal (1-d) or dense (2-d)."""
        raise NotImplementedError


def _x_star(x_star, dim: int) -> np.ndarray:
    if x_star is None:
        return np.zeros(dim)
    xs = real_array("x_star", x_star, ndim=1)
    if xs.shape != (dim,):
        raise ValueError(f"x_star must have shape ({dim},); got {xs.shape}")
    with np.errstate(over="ignore"):
        if not np.isfinite(xs @ xs):
            raise ValueError("x_star is too large: its squared norm overflows float64")
    return xs


class DiagonalQuadratic(Problem):
    r"""Diagonal quadratic :math:`f(x) = \tfrac12 \sum_i \lambda_i (x_i - x^\star_i)^2`.

    The fast path: gradients are elementwise products, no matrix is formed.

    Parameters
    ----------
    eigenvalues : array_like, shape (dim,)
        Curvatures :math:`\lambda_i \ge 0`.
    x_star : array_like, shape (dim,), optional
        The minimiser (zero by default).
    """

    def __init__(self, eigenvalues, x_star=None) -> None:
        lam = real_array("eigenvalues", eigenvalues, ndim=1)
        if np.any(lam < 0):
            raise ValueError("eigenvalues must be >= 0 (a convex quadratic)")
        self.eigenvalues = lam
        self.dim = lam.size
        self.x_star = _x_star(x_star, self.dim)
        self._centered = not np.any(self.x_star)
        self._weights = np.stack([lam / 2, np.ones_like(lam)], axis=1)

    def _err(self, q):
        return q if self._centered else q - self.x_star

    def grad(self, q, draw=None):
        return self.eigenvalues * self._err(q)

    def excess_loss(self, x):
        e = self._err(x)
        both = (e * e) @ self._weights
        return both[..., 0], both[..., 1]

    def hessian_sqrt(self):
        return np.sqrt(self.eigenvalues)

    def __repr__(self) -> str:
        return f"DiagonalQuadratic(dim={self.dim})"


class Quadratic(Problem):
    r"""Dense quadratic :math:`f(x) = \tfrac12 (x - x^\star)^\top H (x - x^\star)`.

    Parameters
    ----------
    H : array_like, shape (dim, dim)
        Symmetric positive semidefinite Hessian.
    x_star : array_like, shape (dim,), optional
        The minimiser (zero by default).
    """

    def __init__(self, H, x_star=None) -> None:
        self.hessian = spd_matrix("H", H)
        self.dim = self.hessian.shape[0]
        self.x_star = _x_star(x_star, self.dim)
        self._centered = not np.any(self.x_star)
        evals, evecs = np.linalg.eigh(self.hessian)
        self.eigenvalues = np.clip(evals, 0.0, None)
        self._sqrt = (evecs * np.sqrt(self.eigenvalues)) @ evecs.T

    @classmethod
    def from_eigenvalues(cls, eigenvalues, *, rotate: bool = True, rng=None, x_star=None):
        r"""The quadratic :math:`H = Q\,\mathrm{diag}(\lambda)\,Q^\top`.

        ``Q`` is a Haar-random rotation drawn from ``rng`` (an int seed or a
        ``numpy.random.Generator``, required) when ``rotate`` is true, else the
        identity.
        """
        lam = real_array("eigenvalues", eigenvalues, ndim=1)
        if np.any(lam < 0):
            raise ValueError("eigenvalues must be >= 0 (a convex quadratic)")
        if rotate:
            from scipy.stats import ortho_group

            from .runner import as_generator

            gen = as_generator(rng, required=True)
            q = ortho_group.rvs(lam.size, random_state=gen) if lam.size > 1 else np.eye(1)
        else:
            q = np.eye(lam.size)
        return cls((q * lam) @ q.T, x_star=x_star)

    def _err(self, q):
        return q if self._centered else q - self.x_star

    def grad(self, q, draw=None):
        return self._err(q) @ self.hessian

    def excess_loss(self, x):
        e = self._err(x)
        return np.sum(e * (e @ self.hessian), axis=-1) / 2, np.sum(e * e, axis=-1)

    def hessian_sqrt(self):
        return self._sqrt

    def __repr__(self) -> str:
        return f"Quadratic(dim={self.dim})"


class LeastSquares(Quadratic):
    r"""Least squares :math:`f(x) = \frac{1}{2n}\lVert A x - b\rVert^2` with sampled minibatches.

    Its Hessian is :math:`H = A^\top A / n` and ``x_star`` the least-squares
    solution (minimum norm if ``A`` is rank deficient), so that
    :math:`f(x) - f^\star = \tfrac12 (x - x^\star)^\top H (x - x^\star)`.
    With ``batch_size = B`` every step draws, per seed, ``B`` rows uniformly
    with replacement and uses their gradient
    :math:`\frac1B \sum_{i\in S} a_i (a_i^\top x - b_i)`; with ``batch_size=None``
    the full gradient.

    Parameters
    ----------
    A : array_like, shape (n, dim)
    b : array_like, shape (n,)
    batch_size : int, optional
    """

    def __init__(self, A, b, *, batch_size: int | None = None) -> None:
        a = real_array("A", A, ndim=2)
        bb = real_array("b", b, ndim=1)
        if bb.shape[0] != a.shape[0]:
            raise ValueError(f"b must have {a.shape[0]} entries (rows of A); got {bb.shape[0]}")
        n = a.shape[0]
        if batch_size is not None:
            batch_size = positive_int("batch_size", batch_size)
        with np.errstate(over="ignore", invalid="ignore"):
            hessian = a.T @ a / n
        if not np.all(np.isfinite(hessian)):
            raise ValueError("A is too large: the Hessian A^T A / n overflows float64")
        self.A, self.b, self.batch_size = a, bb, batch_size
        x_star = np.linalg.lstsq(a, bb, rcond=None)[0]
        with np.errstate(over="ignore"):
            if not np.isfinite(x_star @ x_star):
                raise ValueError(
                    "A and b have a least-squares solution x_star whose squared norm "
                    "overflows float64"
                )
        super().__init__(hessian, x_star=x_star)
        self.stochastic = batch_size is not None

    @classmethod
    def synthetic(
        cls,
        n: int,
        dim: int,
        *,
        rng,
        label_noise: float = 0.0,
        batch_size: int | None = None,
    ) -> LeastSquares:
        """Gaussian design ``A`` (n × dim), ``b = A x_true + label_noise · N(0, 1)``."""
        from ._checks import nonnegative_scalar
        from .runner import as_generator

        n = positive_int("n", n)
        dim = positive_int("dim", dim)
        label_noise = nonnegative_scalar("label_noise", label_noise)
        gen = as_generator(rng, required=True)
        a = gen.standard_normal((n, dim))
        x_true = gen.standard_normal(dim)
        b = a @ x_true + label_noise * gen.standard_normal(n)
        return cls(a, b, batch_size=batch_size)

    def sample(self, gen, n):
        if self.batch_size is None:
            return None
        return gen.integers(0, self.A.shape[0], size=(n, self.batch_size))

    def grad(self, q, draw=None):
        if draw is None:
            return super().grad(q)
        rows = self.A[draw]  # (seeds, B, dim)
        resid = np.einsum("sbd,...sd->...sb", rows, q) - self.b[draw]
        return np.einsum("sbd,...sb->...sd", rows, resid) / self.batch_size

    def __repr__(self) -> str:
        return f"LeastSquares(n={self.A.shape[0]}, dim={self.dim}, batch_size={self.batch_size})"
