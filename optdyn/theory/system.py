r"""`LinearSystem`: the linearized dynamics of one eigen-direction and what follows from it."""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import sympy as sp

from ._exact import exact_real
from .jury import jury_expressions, jury_stable

__all__ = ["LinearSystem"]

Z = sp.Symbol("z")


@lru_cache(maxsize=4)
def _generic_lyapunov(n: int):
    """Solution of S = M S M^T + b b^T for a generic n x n matrix M of symbols."""
    m = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"m{i}{j}"))
    b = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"b{i}"))
    s = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}"))
    rhs = m * s * m.T + b * b.T
    eqs = [sp.expand(s[i, j] - rhs[i, j]) for i in range(n) for j in range(i, n)]
    unknowns = sorted(s.free_symbols, key=str)
    (sol,) = sp.linsolve(eqs, unknowns)
    return s.subs(dict(zip(unknowns, sol, strict=True))), m, b


class LinearSystem:
    r"""Linear dynamics :math:`s_{t+1} = M s_t + b\,\xi_t` of one eigen-direction.

    Built by :func:`optdyn.theory.linearize`; do not construct it directly.

    Attributes
    ----------
    method : Method
        The method it was derived from.
    states : tuple of str
        The state variables, in the order of the basis of ``matrix``.
    matrix : sympy.Matrix
        The iteration matrix :math:`M`.
    noise_input : sympy.Matrix
        The column :math:`b`, the response of the state to the gradient noise.
    charpoly : sympy.Poly
        :math:`\det(zI - M)` as a polynomial in ``z``.
    symbols : dict[str, sympy.Symbol]
        The free symbols by name: hyperparameters, ``lam`` and frozen states.
    exact : bool
        True if the dynamics are exactly linear (not a linearization).
    """

    def __init__(self, *, method, states, frozen, matrix, noise_input, hyper_symbols, fixed,
                 lam, xi, t, exact) -> None:  # fmt: skip
        self.method = method
        self.states = states
        self.frozen = dict(frozen)
        self.matrix = matrix
        self.noise_input = noise_input
        self.fixed = dict(fixed)
        self.lam, self.xi, self.t, self.exact = lam, xi, t, exact
        self.z = Z
        raw = sp.Poly(sp.expand((Z * sp.eye(matrix.rows) - matrix).det()), Z)
        self.charpoly = sp.Poly.from_list([sp.factor(c) for c in raw.all_coeffs()], Z)
        self.symbols = {**hyper_symbols, "lam": lam, **self.frozen}

    # -- values -------------------------------------------------------------
    def _subs(self, values: dict[str, Any], *, exact: bool) -> dict:
        unknown = [k for k in values if k not in self.symbols]
        if unknown:
            raise TypeError(
                f"{unknown[0]!r} is not a free symbol of this system; "
                f"its symbols are {', '.join(self.symbols)}"
            )
        out = {}
        for k, v in values.items():
            if exact:
                if isinstance(v, sp.Basic) and not (v.is_Rational or v.is_Float):
                    if v.is_number and not v.is_finite:  # an exact expression such as sqrt(2)
                        raise ValueError(f"{k} must be finite; got {v}")
                else:
                    v = exact_real(k, v)
            out[self.symbols[k]] = v
        return out

    def _require_all(self, values: dict) -> None:
        missing = [k for k in self.symbols if k not in values]
        if missing:
            raise TypeError(f"values needed for {', '.join(missing)}")

    # -- stability ------------------------------------------------------------
    @cached_property
    def jury(self) -> list[sp.Expr]:
        """Jury expressions of the characteristic polynomial: stable iff all are > 0."""
        return [sp.factor(e) for e in jury_expressions(self.charpoly)]

    @cached_property
    def _region(self) -> sp.Basic:
        return sp.simplify(sp.And(*[sp.Gt(e, 0) for e in self.jury]))

    def stability_conditions(self) -> sp.Basic:
        """The stability region as a sympy Boolean (all roots of ``charpoly`` inside |z| < 1)."""
        return self._region

    def is_stable(self, **values) -> bool:
        """Exact decision of stability at the given values (ints, Rationals, floats as exact).

        Points on the boundary (a root on the unit circle) are not stable.
        """
        self._require_all(values)
        subs = self._subs(values, exact=True)
        poly = sp.Poly(self.charpoly.as_expr().subs(subs), Z)
        return jury_stable(poly)

    @cached_property
    def _coeff_fn(self):
        args = list(self.symbols.values())
        coeffs = self.charpoly.all_coeffs()
        return sp.lambdify(args, coeffs, modules="numpy")

    def spectral_radius(self, **values):
        """Largest root modulus of ``charpoly``; arrays broadcast (float64)."""
        self._require_all(values)
        self._subs(values, exact=False)
        arrays = [np.asarray(values[k], dtype=float) for k in self.symbols]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        with np.errstate(divide="ignore", invalid="ignore"):
            coeffs = [
                np.broadcast_to(np.asarray(c, dtype=float), shape) for c in self._coeff_fn(*arrays)
            ]
        n = len(coeffs) - 1
        lead = coeffs[0]
        if n == 1:
            rho = np.abs(coeffs[1] / lead)
        elif n == 2:  # z^2 + b z + c: the larger root modulus in closed form (no cancellation)
            b, c = coeffs[1] / lead, coeffs[2] / lead
            disc = b * b - 4 * c
            with np.errstate(invalid="ignore"):
                rho = np.where(disc >= 0, (np.abs(b) + np.sqrt(np.abs(disc))) / 2,
                               np.sqrt(np.abs(c)))  # fmt: skip
            rho = np.where(np.isfinite(b) & np.isfinite(c), rho, np.nan)
        else:
            comp = np.zeros((*shape, n, n))
            for j in range(n):
                comp[..., 0, j] = -coeffs[j + 1] / lead
            for i in range(1, n):
                comp[..., i, i - 1] = 1.0
            rho = np.max(np.abs(np.linalg.eigvals(comp)), axis=-1)
        return float(rho) if rho.ndim == 0 else rho

    # -- curvature threshold ---------------------------------------------------
    def sample_points(self, n: int, seed: int = 0) -> dict[str, np.ndarray]:
        """``n`` random values of every free symbol except ``lam``, from typical ranges.

        Hyperparameters come from their domain's ``typical`` range (log-uniform
        when it is positive and spans more than a decade, else uniform), frozen
        statistics from (0.05, 1) (``g_avg`` from (-0.1, 0.1)). Used to certify closed
        forms numerically.
        """
        gen = np.random.default_rng(seed)
        out = {}
        for name in self.symbols:
            if name == "lam":
                continue
            dom = self.method.hyper.get(name)
            if dom is not None:
                lo, hi = dom.typical
                if lo > 0 and hi / lo > 10:
                    out[name] = np.exp(gen.uniform(np.log(lo), np.log(hi), n))
                else:
                    out[name] = gen.uniform(lo, hi, n)
            elif name == "g_avg":
                out[name] = gen.uniform(-0.1, 0.1, n)
            else:
                out[name] = gen.uniform(0.05, 1.0, n)
        return out

    def _threshold_candidates(self) -> list[sp.Expr]:
        """Positive roots in ``lam`` of the numerators of the Jury expressions."""
        out = []
        for e in self.jury:
            num, _ = sp.fraction(sp.together(e))
            if num.has(self.lam):
                out += [sp.simplify(r) for r in sp.solve(num, self.lam) if not r.is_nonpositive]
        return list(dict.fromkeys(out))

    def _binding(self, values: list[complex], point: dict) -> set[int] | None:
        """Indices of the candidate values at which stability is lost at ``point``.

        ``None`` if the point is unstable at every small curvature (no threshold).
        """
        real = sorted(
            (v.real, j)
            for j, v in enumerate(values)
            if np.isfinite(v) and abs(v.imag) <= 1e-12 * max(1.0, abs(v)) and v.real > 0
        )
        smallest = real[0][0] if real else 1.0
        if self.spectral_radius(lam=1e-9 * smallest, **point) >= 1:
            return None
        for r, _ in real:
            below = self.spectral_radius(lam=r * (1 - 1e-6), **point)
            above = self.spectral_radius(lam=r * (1 + 1e-6), **point)
            inside = self.spectral_radius(lam=r * np.geomspace(1e-6, 1 - 1e-6, 200), **point)
            if below < 1 < above and np.all(inside < 1):
                return {j for rr, j in real if abs(rr - r) <= 1e-9 * r}
        return set()

    @cached_property
    def _threshold(self):
        candidates = self._threshold_candidates()
        if not candidates:
            return None
        n = 24
        pts = self.sample_points(n, seed=1)
        names = [k for k in self.symbols if k != "lam"]
        args = [self.symbols[k] for k in names]
        with np.errstate(all="ignore"):
            vals = [
                np.broadcast_to(
                    np.asarray(sp.lambdify(args, c, "numpy")(*[pts[k] for k in names]), complex),
                    (n,),
                )
                for c in candidates
            ]
        chosen, used = set(range(len(candidates))), 0
        for i in range(n):
            binding = self._binding([v[i] for v in vals], {k: pts[k][i] for k in names})
            if binding is not None:
                chosen &= binding
                used += 1
        if used == 0 or not chosen:
            return None
        return sp.factor(candidates[min(chosen)])

    def curvature_threshold(self) -> sp.Expr | None:
        r"""The largest stable curvature: stable iff ``0 < lam <`` this (other conditions held).

        Derived from the Jury conditions: the positive roots in ``lam`` of the
        Jury expressions are the candidates; the one at which stability is lost
        is certified numerically (spectral radius below 1 on (0, threshold) and
        crossing 1 there) at random points of the typical hyperparameter
        ranges. For adaptive methods it is a curvature in the frozen
        preconditioner's units (``lam`` divided by the preconditioner is the
        preconditioned curvature). ``None`` where no single closed form holds.
        """
        return self._threshold

    # -- noise ----------------------------------------------------------------
    @cached_property
    def _covariance_unit(self) -> sp.Matrix:
        """Stationary covariance of the state for unit noise variance (sigma2 = 1)."""
        sol, m_sym, b_sym = _generic_lyapunov(self.matrix.rows)
        subs = {m_sym[i, j]: self.matrix[i, j] for i in range(self.matrix.rows)
                for j in range(self.matrix.rows)}  # fmt: skip
        subs |= {b_sym[i]: self.noise_input[i] for i in range(self.matrix.rows)}
        return sol.subs(subs).applyfunc(sp.factor)

    def stationary_covariance(self, sigma2=None) -> sp.Matrix:
        r"""Stationary covariance :math:`\Sigma = M \Sigma M^\top + \sigma^2 b b^\top` of the state.

        Valid where the system is stable. ``sigma2`` is the variance of the
        additive gradient noise :math:`\xi` (a symbol ``sigma2`` by default).
        """
        s2 = sp.Symbol("sigma2", positive=True) if sigma2 is None else sp.sympify(sigma2)
        cache = self.__dict__.setdefault("_covariance_cache", {})
        if s2 not in cache:
            cache[s2] = (s2 * self._covariance_unit).applyfunc(sp.factor)
        return cache[s2]

    def stationary_variance(self, sigma2=None) -> sp.Expr:
        r"""Stationary variance of ``x`` under additive noise :math:`\xi \sim N(0, \sigma^2)`.

        The (0, 0) entry of :meth:`stationary_covariance`; the mean is 0.
        """
        return self.stationary_covariance(sigma2)[0, 0]

    def stationary_loss(self, sigma2=None) -> sp.Expr:
        r"""Stationary expected excess loss of the mode: :math:`\lambda\,\mathrm{Var}(x)/2`."""
        return sp.factor(self.lam * self.stationary_variance(sigma2) / 2)

    def eigenvalues(self) -> list[sp.Expr]:
        """The roots of ``charpoly`` in closed form (sympy ``roots``)."""
        return list(sp.roots(self.charpoly, Z, multiple=True))

    # -- output ---------------------------------------------------------------
    def latex(self) -> str:
        """The system as LaTeX: state, iteration matrix, noise input, characteristic polynomial."""
        s = sp.Matrix([sp.Symbol(n) for n in self.states])
        return (
            rf"{sp.latex(s)}_{{t+1}} = {sp.latex(self.matrix)} {sp.latex(s)}_t + "
            rf"{sp.latex(self.noise_input)} \xi_t, \qquad "
            rf"\det(zI - M) = {sp.latex(self.charpoly.as_expr())}"
        )

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def __str__(self) -> str:
        kind = "exact" if self.exact else "frozen-preconditioner linearization"
        lines = [
            f"{self.method.name}: {kind}, state ({', '.join(self.states)})"
            + ("" if self.t is None else f", at step t = {self.t}"),
            f"  M = {sp.sstr(self.matrix.tolist())}",
            f"  b = {sp.sstr(list(self.noise_input))}",
            f"  det(zI - M) = {sp.sstr(self.charpoly.as_expr())}",
        ]
        if self.fixed:
            lines.append(f"  fixed: {sp.sstr(self.fixed)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<LinearSystem {self.method.name}: state ({', '.join(self.states)})>"
