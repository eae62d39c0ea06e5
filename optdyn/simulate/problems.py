r"""Test problems: quadratics and least squares.

Every problem evaluates batched gradients: a point ``q`` of shape
``(..., seeds, dim)`` gives a gradient of the same shape. Random problems
(minibatch least squares) draw one sample per seed and step with
:meth:`Problem.draw`; the runner passes it back to :meth:`Problem.grad`, so
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

    def draw(self, gen: np.random.Generator, n: int, previous=None):
        """One step's draw for ``n`` seeds, given the previous step's (``None`` at the first).

        The runner calls this once per step and hands the result to :meth:`grad`;
        draws independent across steps ignore ``previous``.
        """
        return self.sample(gen, n)

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
    With ``batch_size = B`` every step draws, per seed, a minibatch :math:`S` of
    ``B`` rows and uses its gradient
    :math:`\frac1B \sum_{i\in S} a_i (a_i^\top x - b_i)`; with ``batch_size=None``
    the full gradient. The rows are drawn uniformly with replacement (``B``
    independent draws) or, with ``replace=False``, as a uniform random subset of
    ``B`` distinct rows; each step's draw is independent of the others. At a point
    :math:`x` the minibatch gradient is unbiased, with covariance
    :meth:`gradient_covariance`. With ``reshuffle=True`` (random reshuffling, as a
    shuffled data loader does) the steps go through epochs instead: each epoch
    draws a fresh random permutation of the rows and its :math:`n/B` steps take
    consecutive blocks of it, so every row is used exactly once per epoch.

    Parameters
    ----------
    A : array_like, shape (n, dim)
    b : array_like, shape (n,)
    batch_size : int, optional
        ``B``: at least 1, and at most ``n`` without replacement.
    replace : bool
        Draw the rows of a minibatch with replacement (default) or without.
    reshuffle : bool
        Go through the rows in epochs of reshuffled minibatches (needs
        ``replace=False`` and ``batch_size`` dividing ``n``).
    """

    def __init__(
        self,
        A,
        b,
        *,
        batch_size: int | None = None,
        replace: bool = True,
        reshuffle: bool = False,
    ) -> None:
        a = real_array("A", A, ndim=2)
        bb = real_array("b", b, ndim=1)
        if bb.shape[0] != a.shape[0]:
            raise ValueError(f"b must have {a.shape[0]} entries (rows of A); got {bb.shape[0]}")
        n = a.shape[0]
        for name, flag in (("replace", replace), ("reshuffle", reshuffle)):
            if not isinstance(flag, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False; got {type(flag).__name__}")
        if reshuffle and (batch_size is None or replace):
            raise ValueError(
                "reshuffle=True goes through the rows without replacement in minibatches: "
                "pass a batch_size and replace=False"
            )
        if batch_size is not None:
            batch_size = positive_int("batch_size", batch_size)
            if not replace and batch_size > n:
                raise ValueError(
                    f"batch_size must be at most n = {n} (the rows of A) when drawing "
                    f"without replacement; got {batch_size}"
                )
            if reshuffle and n % batch_size:
                raise ValueError(
                    f"batch_size must divide n = {n} (the rows of A) for reshuffled epochs; "
                    f"got {batch_size}"
                )
        with np.errstate(over="ignore", invalid="ignore"):
            hessian = a.T @ a / n
        if not np.all(np.isfinite(hessian)):
            raise ValueError("A is too large: the Hessian A^T A / n overflows float64")
        self.A, self.b, self.batch_size = a, bb, batch_size
        self.replace, self.reshuffle = bool(replace), bool(reshuffle)
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
        replace: bool = True,
        reshuffle: bool = False,
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
        return cls(a, b, batch_size=batch_size, replace=replace, reshuffle=reshuffle)

    def sample(self, gen, n):
        if self.batch_size is None:
            return None
        rows, size = self.A.shape[0], self.batch_size
        if self.replace:
            return gen.integers(0, rows, size=(n, size))
        if size * size <= rows:
            # B draws with replacement, redrawn wholesale while they repeat a row: a
            # uniform B-tuple of distinct rows (P(repeat) <= about 1/2, so few rounds)
            idx = gen.integers(0, rows, size=(n, size))
            while True:
                srt = np.sort(idx, axis=1)
                again = np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))
                if again.size == 0:
                    return idx
                idx[again] = gen.integers(0, rows, size=(again.size, size))
        # the indices of the B smallest of n i.i.d. uniforms: a uniform random B-subset
        keys = gen.random((n, rows))
        if size == rows:
            return np.argsort(keys, axis=1)
        return np.argpartition(keys, size - 1, axis=1)[:, :size]

    def draw(self, gen, n, previous=None):
        """One step's minibatches; with ``reshuffle``, ``(permutation, position)`` in the epoch."""
        if not self.reshuffle:
            return self.sample(gen, n)
        rows = self.A.shape[0]
        if previous is None or previous[1] + self.batch_size >= rows:
            return np.argsort(gen.random((n, rows)), axis=1), 0  # a new epoch
        return previous[0], previous[1] + self.batch_size

    def batch_indices(self, draw) -> np.ndarray:
        """The row indices ``(seeds, B)`` of the minibatches of a draw (see :meth:`draw`)."""
        if isinstance(draw, tuple):
            perm, pos = draw
            return perm[:, pos : pos + self.batch_size]
        return draw

    def per_sample_gradients(self, x) -> np.ndarray:
        r"""The gradients :math:`g_i(x) = a_i (a_i^\top x - b_i)` of the rows, shape (n, dim)."""
        x = real_array("x", x, ndim=1)
        if x.shape != (self.dim,):
            raise ValueError(f"x must have shape ({self.dim},); got {x.shape}")
        return self.A * (self.A @ x - self.b)[:, None]

    def gradient_covariance(self, x) -> np.ndarray:
        r"""Covariance of one step's minibatch gradient at the point ``x`` (dim × dim).

        With :math:`S = \frac1n \sum_i (g_i - \bar g)(g_i - \bar g)^\top` the
        covariance of the per-sample gradients :math:`g_i(x)` (see
        :meth:`per_sample_gradients`) about their mean :math:`\bar g = \nabla f(x)`,
        the minibatch gradient has covariance :math:`S / B` when its ``B`` rows are
        drawn with replacement, and :math:`\frac{n - B}{n - 1}\, S / B` (the
        finite-population correction) without; zero for full batches. With
        ``reshuffle`` this is the covariance of each single step's gradient (the
        steps of one epoch are dependent: their batches are disjoint).
        """
        g = self.per_sample_gradients(x)
        if self.batch_size is None:
            return np.zeros((self.dim, self.dim))
        n, size = g.shape[0], self.batch_size
        dev = g - g.mean(axis=0)
        cov = dev.T @ dev / n / size
        if not self.replace:
            cov = cov * ((n - size) / (n - 1) if n > 1 else 0.0)
        return cov

    def grad(self, q, draw=None):
        if draw is None:
            return super().grad(q)
        idx = self.batch_indices(draw)
        rows = self.A[idx]  # (seeds, B, dim)
        resid = np.einsum("sbd,...sd->...sb", rows, q) - self.b[idx]
        return np.einsum("sbd,...sb->...sd", rows, resid) / self.batch_size

    def __repr__(self) -> str:
        extra = "" if self.replace else ", replace=False"
        extra += ", reshuffle=True" if self.reshuffle else ""
        return (
            f"LeastSquares(n={self.A.shape[0]}, dim={self.dim}, "
            f"batch_size={self.batch_size}{extra})"
        )
