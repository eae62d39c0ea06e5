r"""Stationary covariance of a linear method on a dense quadratic under additive noise.

For a linear method the per-mode iteration matrix :math:`M(\lambda)` and noise
input :math:`b(\lambda)` are polynomials in the curvature; on a quadratic with
Hessian :math:`H` the whole state evolves by :math:`M(H)` (each entry with
:math:`\lambda` replaced by :math:`H`), and the stationary covariance solves
:math:`\Sigma = M(H)\,\Sigma\,M(H)^\top + b(H)\,C\,b(H)^\top` for noise
covariance :math:`C` (scipy's discrete Lyapunov solver). Noise correlated across
steps, :math:`\xi_t = \rho\,\xi_{t-1} + \sqrt{1-\rho^2}\,\varepsilon_t`
(:class:`~optdyn.simulate.AR1Noise`), enters through the state augmented by the
step's draw: :math:`(s_t, \xi_t)` evolves by
:math:`\begin{pmatrix} M & \rho\, b \\ 0 & \rho I \end{pmatrix}` with input
:math:`(b, I)\,\varepsilon_t` of covariance :math:`(1-\rho^2)\, C`.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import sympy as sp

from ..methods.base import Method, get
from ..simulate.noise import NoiseModel
from ..simulate.problems import Problem
from .linearize import linearize

__all__ = ["stationary_covariance", "stationary_loss"]


def _matrix_polynomial(expr, lam, hessian: np.ndarray) -> np.ndarray:
    poly = sp.Poly(sp.expand(expr), lam)
    out = np.zeros_like(hessian)
    power = np.eye(hessian.shape[0])
    for k, c in enumerate(reversed(poly.all_coeffs())):
        if k:
            power = power @ hessian
        out = out + float(c) * power
    return out


def stationary_covariance(
    method: str | Method, problem: Problem, noise: NoiseModel, **hyper
) -> np.ndarray:
    """Stationary covariance of the iterate ``x`` (dim × dim) of a linear method.

    Parameters
    ----------
    method : str or Method
        A linear method (``Method.linear``).
    problem : Problem
        A quadratic (``DiagonalQuadratic``, ``Quadratic`` or ``LeastSquares``
        with full batches).
    noise : NoiseModel
        Additive gradient noise; its covariance on ``problem`` and its correlation
        across steps (``noise.rho``) are used.
    **hyper
        Numeric hyperparameters (defaults filled in).

    Raises
    ------
    ValueError
        For a non-linear method or a problem whose dynamics are not stable.
    """
    m = get(method)
    if not m.linear:
        raise ValueError(f"{m.name} is not linear: its stationary covariance is not Gaussian-exact")
    h = m.resolve(**hyper)
    if any(isinstance(v, np.ndarray) for v in h.values()):
        raise TypeError("stationary_covariance takes scalar hyperparameters")
    ls = linearize(m, **{k: v for k, v in h.items()})
    hess = np.diag(problem.eigenvalues) if not hasattr(problem, "hessian") else problem.hessian
    d, n = hess.shape[0], ls.matrix.rows
    big = np.block([[_matrix_polynomial(ls.matrix[i, j], ls.lam, hess) for j in range(n)]
                    for i in range(n)])  # fmt: skip
    rho = np.max(np.abs(np.linalg.eigvals(big)))
    if not rho < 1:
        raise ValueError(f"the dynamics are not stable here (spectral radius {rho:.6g} >= 1)")
    b = np.vstack([_matrix_polynomial(ls.noise_input[i], ls.lam, hess) for i in range(n)])
    c, r = noise.covariance(problem), float(noise.rho)
    if r == 0.0:
        cov = scipy.linalg.solve_discrete_lyapunov(big, b @ c @ b.T)
        return cov[:d, :d]
    # the state augmented by the step's noise: (s_t, xi_t) = A (s_{t-1}, xi_{t-1}) + (b, I) e_t
    aug = np.block([[big, r * b], [np.zeros((d, n * d)), r * np.eye(d)]])
    inp = np.vstack([b, np.eye(d)])
    cov = scipy.linalg.solve_discrete_lyapunov(aug, (1.0 - r * r) * inp @ c @ inp.T)
    return cov[:d, :d]


def stationary_loss(method: str | Method, problem: Problem, noise: NoiseModel, **hyper) -> float:
    r"""Stationary expected excess loss :math:`\tfrac12 \operatorname{tr}(H\,\mathrm{Cov}(x))`."""
    cov = stationary_covariance(method, problem, noise, **hyper)
    hess = np.diag(problem.eigenvalues) if not hasattr(problem, "hessian") else problem.hessian
    return float(np.trace(hess @ cov) / 2)
