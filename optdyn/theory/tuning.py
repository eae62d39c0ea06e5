r"""Rates, minimax-optimal tuning, critical damping and mode analysis of linear methods.

The asymptotic rate of a method over the curvature range :math:`[\mu, L]` is
:math:`\max_{\lambda\in[\mu,L]} \rho(M(\lambda))`. The minimax-optimal constant
hyperparameters minimise it. :func:`optimal` finds them numerically (a
certified search on a fine curvature grid) and then looks for a closed form:
it solves, with sympy, the candidate optimality conditions that make the rate
non-smooth at the ends of the range (a double root at :math:`\mu` or
:math:`L`, or equal root moduli at both ends), writing :math:`\mu = m^2`,
:math:`L = l^2` so that the conditions are polynomial. A closed form is
accepted only if its certified rate matches the numeric optimum.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import scipy.optimize
import sympy as sp

from ..methods.base import Method, get
from ..methods.domains import Boolean
from ._exact import exact_real
from .linearize import linearize
from .system import LinearSystem

__all__ = ["Tuning", "critical", "iterations_to", "modes", "optimal", "rate"]

MU, L_ = sp.symbols("mu L", positive=True)
_M, _L = sp.symbols("m l", positive=True)  # mu = m**2, L = l**2
GRID = 4001


def _check_range(mu, L) -> tuple[float, float]:
    for name, v in (("mu", mu), ("L", L)):
        if isinstance(v, bool) or not isinstance(v, (int, float, sp.Rational)):
            raise TypeError(f"{name} must be a real number; got {type(v).__name__}")
        if not (math.isfinite(float(v)) and float(v) > 0):
            raise ValueError(f"{name} must be a finite number > 0; got {v}")
    if not float(mu) < float(L):
        raise ValueError(f"mu must be < L; got mu={mu}, L={L}")
    return float(mu), float(L)


def _lam_grid(mu: float, L: float) -> np.ndarray:
    return np.unique(np.concatenate([np.geomspace(mu, L, GRID), np.linspace(mu, L, GRID)]))


def rate(system: LinearSystem, mu, L, **values) -> float:
    r"""Asymptotic rate :math:`\max_{\lambda\in[\mu,L]}\rho` at the given hyperparameter values.

    The maximum over a fine grid (geometric and linear, endpoints included),
    refined by a bounded scalar search around the best grid point.
    """
    mu, L = _check_range(mu, L)
    grid = _lam_grid(mu, L)
    rho = system.spectral_radius(lam=grid, **values)
    i = int(np.argmax(rho))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best = float(rho[i])
    if hi > lo:
        res = scipy.optimize.minimize_scalar(
            lambda x: -system.spectral_radius(lam=x, **values), bounds=(lo, hi), method="bounded",
            options={"xatol": 1e-14 * hi},
        )  # fmt: skip
        best = max(best, -float(res.fun))
    return best


@dataclass(frozen=True)
class Tuning:
    """Minimax-optimal constant hyperparameters over a curvature range.

    Attributes
    ----------
    method : str
    mu, L : float
    hyper : dict[str, float]
        The optimal values.
    rate : float
        Their asymptotic rate: the closed form's value when exact, else the
        certified numeric rate.
    exact : bool
        True if a closed form was found and certified.
    closed_form : dict[str, sympy.Expr]
        The hyperparameters as expressions in ``mu`` and ``L`` (exact only).
    rate_expr : sympy.Expr or None
        The rate as an expression in ``mu`` and ``L`` (exact only).
    certified_rate : float
        The rate measured on a fine curvature grid at the returned values.
    """

    method: str
    mu: float
    L: float
    hyper: Mapping[str, float]
    rate: float
    exact: bool
    closed_form: Mapping[str, sp.Expr] = field(default_factory=dict)
    rate_expr: sp.Expr | None = None
    certified_rate: float | None = None

    def __post_init__(self) -> None:
        # results are cached and shared: keep their mappings read-only
        object.__setattr__(self, "hyper", MappingProxyType(dict(self.hyper)))
        object.__setattr__(self, "closed_form", MappingProxyType(dict(self.closed_form)))

    def __str__(self) -> str:
        kind = "closed form" if self.exact else "numeric"
        lines = [f"{self.method}: optimal over [{self.mu:g}, {self.L:g}] ({kind}), "
                 f"rate {self.rate:.12g}"]  # fmt: skip
        for k, v in self.hyper.items():
            expr = f" = {sp.sstr(self.closed_form[k])}" if k in self.closed_form else ""
            lines.append(f"  {k}{expr} = {v:.12g}")
        if self.rate_expr is not None:
            lines.append(f"  rate = {sp.sstr(self.rate_expr)}")
        return "\n".join(lines)

    def latex(self) -> str:
        """The tuning as LaTeX: closed forms where exact, values otherwise."""
        parts = []
        for k, v in self.hyper.items():
            sym = sp.latex(sp.Symbol(k))
            expr = sp.latex(self.closed_form[k]) + " = " if k in self.closed_form else ""
            parts.append(rf"{sym}^\star = {expr}{v:.10g}")
        rate_tex = sp.latex(self.rate_expr) + " = " if self.rate_expr is not None else ""
        parts.append(rf"\rho^\star = {rate_tex}{self.rate:.10g}")
        return r",\quad ".join(parts)

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def _tunable(m: Method, fixed: dict) -> list[str]:
    return [k for k, d in m.hyper.items() if d.required and k not in fixed]


def _lr_scale(ls: LinearSystem, names, fixed_vals) -> float:
    """The lr at which ``lr * |d trace(M) / d lam|`` is 2 / L for L = 1: the scale of lr."""
    start = {k: 0.5 for k in names if k != "lr"}
    slope = sp.diff(ls.matrix.trace(), ls.lam).subs({ls.symbols["lr"]: 1, ls.lam: 0})
    subs = {ls.symbols[k]: v for k, v in {**start, **fixed_vals}.items() if k in ls.symbols}
    k = abs(float(slope.subs(subs)))
    return 1.0 / k if k > 0 and math.isfinite(k) else 1.0


def _numeric_optimum(ls: LinearSystem, names, mu, L, fixed_vals):
    """Minimise the largest spectral radius on a curvature grid over ``names``.

    A vectorised grid search (lr on a log scale around its natural scale, the
    other parameter through a logistic map onto (0, 1)) picks the start;
    Nelder-Mead refines it, restarted with a fresh simplex while it improves:
    the objective is a max of root moduli, with ridges where two curvatures
    bind, on which a single Nelder-Mead run can stall.
    """
    lam = np.geomspace(mu, L, 401)
    lr0 = 2.0 / L * _lr_scale(ls, names, fixed_vals)
    axes = {"lr": np.linspace(-5.0, 3.0, 81)}
    axes |= {k: np.linspace(-7.0, 9.0, 81) for k in names if k != "lr"}

    def unpack(u):
        return {k: lr0 * np.exp(x) if k == "lr" else 1 / (1 + np.exp(-x))
                for k, x in zip(names, u, strict=True)}  # fmt: skip

    def worst(u, lam):
        with np.errstate(all="ignore"):
            rho = ls.spectral_radius(lam=lam, **unpack(u), **fixed_vals)
        return np.where(np.isfinite(rho), rho, 10.0).max(axis=-1)

    mesh = np.meshgrid(*(axes[k] for k in names), indexing="ij")
    coarse = [m.reshape(-1, 1) for m in mesh]  # grid points x curvatures (coarser)
    start = np.array([c[np.argmin(worst(coarse, lam[::8])), 0] for c in coarse])
    step = np.array([a[1] - a[0] for a in (axes[k] for k in names)])
    best = None
    opts = {"xatol": 1e-12, "fatol": 1e-15, "maxiter": 2000}
    for _ in range(12):  # restart with a fresh simplex, smaller each time it fails to improve
        x0 = start if best is None else best.x
        simplex = x0 + np.vstack([np.zeros(len(names)), np.diag(step)])
        res = scipy.optimize.minimize(lambda u: float(worst(u, lam)), x0, method="Nelder-Mead",
                                      options={**opts, "initial_simplex": simplex})  # fmt: skip
        if best is None or res.fun < best.fun:
            best = res
        else:
            step = step / 10
            if step.max() < 1e-7:
                break
    return {k: float(v) for k, v in unpack(best.x).items()}


def _solve_sequential(eqs, order):
    """Solve polynomial equations by elimination: the first for ``order[0]``, then the rest.

    Solutions are not checked or simplified here: every candidate is certified
    numerically afterwards, and only the winners are simplified.
    """
    var, first, rest = order[0], eqs[0], eqs[1:]
    if not first.has(var):
        return []
    out = []
    for s in sp.solve(first, var, check=False, simplify=False):
        if not rest:
            out.append({var: s})
            continue
        reduced = [sp.factor(sp.fraction(sp.together(e.subs(var, s)))[0]) for e in rest]
        if any(r == 0 for r in reduced):
            continue
        for sub in _solve_sequential(reduced, order[1:]):
            out.append({var: s.subs(sub), **sub})
    return out


@lru_cache(maxsize=1024)
def _tidy(expr):
    """Simplify, factoring inside radicals first (sqrt((l + m)**2) becomes l + m)."""
    expr = sp.simplify(expr)
    expr = expr.replace(
        lambda a: a.is_Pow and a.exp.is_Rational and not a.exp.is_Integer,
        lambda a: sp.Pow(sp.factor(a.base), a.exp),
    )
    return sp.factor(sp.simplify(expr))


def _real_values(hyper: dict, at: dict) -> dict | None:
    """The candidate's values at ``at`` as floats, or None where one is not a finite real."""
    out = {}
    for k, v in hyper.items():
        try:
            c = complex(sp.N(v.subs(at), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not (math.isfinite(c.real) and abs(c.imag) <= 1e-12 * max(1.0, abs(c.real))):
            return None
        out[k] = c.real
    return out


def _shortest(expr):
    """``expr`` or its simplified form, whichever is shorter."""
    alt = sp.simplify(expr)
    return alt if sp.count_ops(alt) < sp.count_ops(expr) else expr


@lru_cache(maxsize=64)
def _candidates(
    name: str, fixed: tuple, names: tuple, frozen: tuple = ()
) -> list[tuple[dict, sp.Expr]]:
    """Closed-form candidates (hyperparameters in m = sqrt(mu), l = sqrt(L); the rate).

    Raw solutions of the optimality conditions, unsimplified, each with the
    rate as an expression in the hyperparameters' symbols: :func:`_optimal`
    ranks them numerically and simplifies the winners only.
    """
    ls = linearize(name, **dict(fixed))
    at_frozen = {ls.symbols[k]: v for k, v in frozen}
    coeffs = [sp.factor(c.subs(at_frozen) / ls.charpoly.all_coeffs()[0].subs(at_frozen))
              for c in ls.charpoly.all_coeffs()]  # fmt: skip
    while len(coeffs) > 2 and coeffs[-1] == 0:  # roots at z = 0 do not bind the rate
        coeffs.pop()
    unknowns = [ls.symbols[k] for k in names]
    at = {"mu": _M**2, "L": _L**2}

    def ev(expr, where):
        return sp.factor(sp.expand(expr.subs(ls.lam, at[where])))

    systems = []
    if len(coeffs) == 2 and len(unknowns) == 1:
        c = -coeffs[1]
        for s in (1, -1):
            systems.append(([ev(c, "mu") + s * ev(c, "L")], (ev(c, "mu"), s)))
    elif len(coeffs) == 3 and len(unknowns) == 2:
        a1, a0 = coeffs[1], coeffs[2]
        d = sp.expand(a1**2 - 4 * a0)
        systems.append(([ev(d, "mu"), ev(d, "L")], (ev(a1, "mu") / 2, 0)))
        for s in (1, -1):
            eq = sp.expand((ev(a1, "mu") - s * ev(a1, "L")) ** 2 - ev(d, "L"))
            systems.append(([ev(d, "mu"), eq], (ev(a1, "mu") / 2, 0)))
            eq = sp.expand((ev(a1, "L") - s * ev(a1, "mu")) ** 2 - ev(d, "mu"))
            systems.append(([ev(d, "L"), eq], (ev(a1, "L") / 2, 0)))
    out = []
    for eqs, (rate_at, _) in systems:
        eqs = [sp.fraction(sp.together(e))[0] for e in eqs]
        for order in itertools.permutations(unknowns):  # eliminations give different forms
            for sol in _solve_sequential(eqs, list(order)):
                if set(sol) != set(unknowns):
                    continue
                out.append(({k: sol[ls.symbols[k]] for k in names}, rate_at))
    return out


def optimal(
    method: str | Method,
    *,
    mu,
    L,
    tune: tuple[str, ...] | None = None,
    closed_form: bool = True,
    **fixed,
) -> Tuning:
    r"""Minimax-optimal constant hyperparameters of a linear method over :math:`[\mu, L]`.

    The hyperparameters named in ``tune`` (default: the required ones, ``lr``
    and ``momentum`` where the method has one) are tuned; the others keep
    their defaults or the values in ``fixed``. Results are cached by their
    arguments.

    An adaptive method is tuned in its frozen-preconditioner linearization
    (:func:`linearize`): ``fixed`` must then give the frozen statistics too
    (Adam's ``v``, say), and :math:`\mu, L` are curvatures ``lam`` in the
    original, unpreconditioned units.

    ``closed_form=False`` skips the symbolic search and returns the certified
    numeric optimum (the search can take minutes where the conditions have
    high degree, e.g. with weight decay).

    Returns
    -------
    Tuning
        ``exact=True`` with closed forms in ``mu`` and ``L`` when one of the
        candidate optimality conditions solves and its certified rate is no
        worse than the numeric optimum (to 1e-6 relative); otherwise the
        numeric optimum.

    Raises
    ------
    ValueError
        For a method without a linearization, missing frozen statistics, a
        hyperparameter in ``tune`` that cannot be tuned, or a bad range.
    """
    m = get(method)
    _check_range(mu, L)
    if tune is not None:
        if isinstance(tune, str) or not all(isinstance(k, str) for k in tune):
            raise TypeError("tune must be a tuple of hyperparameter names")
        tune = tuple(tune)
    if not isinstance(closed_form, bool):
        raise TypeError(f"closed_form must be True or False; got {type(closed_form).__name__}")
    try:
        key = tuple(sorted(fixed.items()))
        hash(key)
    except TypeError:
        return _optimal(m, mu, L, fixed, tune, closed_form)
    return _optimal_cached(m.name, float(mu), float(L), key, tune, closed_form)


@lru_cache(maxsize=256)
def _optimal_cached(name: str, mu: float, L: float, fixed: tuple, tune, closed: bool) -> Tuning:
    return _optimal(get(name), mu, L, dict(fixed), tune, closed)


def _optimal(m: Method, mu, L, fixed: dict, tune, closed: bool) -> Tuning:
    mu_f, L_f = _check_range(mu, L)
    if m.not_linearizable:
        raise ValueError(f"{m.name} has no linearization: {m.not_linearizable}")
    stats = () if m.linear else tuple(linearize(m).frozen)
    missing = [k for k in stats if k not in fixed]
    if missing:
        raise ValueError(
            f"{m.name} is not linear: it is tuned in its frozen-preconditioner linearization, "
            f"which needs values for {', '.join(missing)}"
        )
    frozen = {k: fixed.pop(k) for k in stats}
    unknown = [k for k in fixed if k not in m.hyper]
    if unknown:
        raise TypeError(f"{m.name} has no hyperparameter {unknown[0]!r}")
    names = tuple(_tunable(m, fixed)) if tune is None else tune
    bad = [k for k in names if k not in m.hyper or k in fixed or isinstance(m.hyper[k], Boolean)]
    if bad or not 1 <= len(names) <= 2 or "lr" not in names:
        raise ValueError(
            f"tune must name lr and at most one other real hyperparameter of {m.name} "
            f"that is not fixed; got {names}"
        )
    resolved = {k: d.validate(k, fixed[k]) if k in fixed else d.default
                for k, d in m.hyper.items() if k not in names}  # fmt: skip
    ls = linearize(m, **resolved)
    frozen = {k: exact_real(k, v) for k, v in frozen.items()}
    for k, v in frozen.items():
        if not v > 0:
            raise ValueError(f"{k} must be > 0 (a frozen second moment); got {v}")
    fixed_vals = {k: float(v) for k, v in resolved.items() if k in ls.symbols}
    fixed_vals |= {k: float(v) for k, v in frozen.items()}
    numeric = _numeric_optimum(ls, names, mu_f, L_f, fixed_vals)
    num_rate = rate(ls, mu_f, L_f, **numeric, **fixed_vals)

    best = None
    at = {_M: sp.sqrt(exact_real("mu", mu)), _L: sp.sqrt(exact_real("L", L))}
    cands = []
    if closed:
        cands = _candidates(m.name, tuple(sorted(resolved.items())), names,
                            tuple(sorted(frozen.items())))  # fmt: skip
    ranked = []
    for hyper, rate_expr in cands:
        vals = _real_values(hyper, at)
        if vals is None:
            continue
        try:
            m.resolve(**vals, **resolved)
        except (ValueError, TypeError):
            continue
        ranked.append((rate(ls, mu_f, L_f, **vals, **fixed_vals), hyper, vals, rate_expr))
    if ranked:
        # rates equal to double-root accuracy are one optimum (in several forms): simplify
        # them all and keep the simplest form
        low = round(min(r for r, *_ in ranked), 6)
        tied = []
        for r, hyper, vals, rate_expr in ranked:
            if round(r, 6) == low:
                tidy = {k: _tidy(v) for k, v in hyper.items()}
                rexpr = _tidy(rate_expr.subs({ls.symbols[k]: v for k, v in tidy.items()}))
                size = sum(sp.count_ops(v) for v in tidy.values())
                tied.append(((size, sp.count_ops(rexpr), len(tied)), r, tidy, vals, rexpr))
        best = min(tied, key=lambda b: b[0])
    # a closed form is accepted when its certified rate is no worse than the numeric
    # optimum, to 1e-6: at the double roots of an optimum, numeric root moduli carry
    # errors of order sqrt(machine epsilon)
    if best is not None and best[1] <= num_rate * (1 + 1e-6):
        _, r, hyper, vals, rate_expr = best
        back = {_M: sp.sqrt(MU), _L: sp.sqrt(L_)}
        closed = {k: _shortest(v.subs(back)) for k, v in hyper.items()}
        sign = 1 if float(rate_expr.subs(at)) >= 0 else -1
        rexpr = _shortest(sp.factor(sign * rate_expr).subs(back))
        exact_rate = float(rexpr.subs({MU: exact_real("mu", mu), L_: exact_real("L", L)}))
        if abs(exact_rate - r) > 1e-6 * r:
            return Tuning(m.name, mu_f, L_f, vals, r, True, closed, None, r)
        return Tuning(m.name, mu_f, L_f, vals, exact_rate, True, closed, rexpr, r)
    return Tuning(m.name, mu_f, L_f, numeric, num_rate, False, certified_rate=num_rate)


def critical(method: str | Method, param: str = "momentum", **fixed) -> list[sp.Expr]:
    """Values of ``param`` at which a mode is critically damped (a double root).

    The roots in ``param`` of the discriminant of the characteristic polynomial
    (degree 2), as expressions in the other hyperparameters and ``lam``.
    """
    ls = linearize(method, **fixed)
    if ls.charpoly.degree() != 2:
        raise ValueError(f"critical damping needs a second-order mode; this one has degree "
                         f"{ls.charpoly.degree()}")  # fmt: skip
    if param not in ls.symbols:
        raise ValueError(
            f"{param!r} is not a free hyperparameter here; free: {', '.join(ls.symbols)}"
        )
    a2, a1, a0 = ls.charpoly.all_coeffs()
    disc = sp.factor(a1**2 - 4 * a0 * a2)
    return [sp.factor(s) for s in sp.solve(disc, ls.symbols[param])]


def modes(system: LinearSystem, **values) -> list[dict]:
    """The modes at numeric values: modulus, angle, oscillation period and damping ratio.

    For a root :math:`z = r e^{i\\theta}`: period :math:`2\\pi/|\\theta|` steps
    (``inf`` for a positive real root, 2 for a negative one) and damping ratio
    :math:`\\zeta = -\\ln r / \\sqrt{\\ln^2 r + \\theta^2}` of the equivalent
    continuous mode :math:`s = \\ln z`.
    """
    subs = system._subs(values, exact=False)
    coeffs = [complex(c.subs(subs)) for c in system.charpoly.all_coeffs()]
    out = []
    for z in np.roots(coeffs):
        r, theta = abs(z), abs(np.angle(z))
        logr = math.log(r) if r > 0 else -math.inf
        zeta = 1.0 if theta == 0 else -logr / math.hypot(logr, theta)
        out.append({"root": complex(z), "modulus": r, "angle": theta,
                    "period": math.inf if theta == 0 else 2 * math.pi / theta,
                    "damping_ratio": zeta})  # fmt: skip
    return out


def iterations_to(tol: float, rate_value: float) -> int:
    """Iterations for a contraction ``rate_value`` per step to reach ``tol`` (asymptotically)."""
    if not 0 < tol < 1:
        raise ValueError(f"tol must be in (0, 1); got {tol}")
    if not 0 <= rate_value < 1:
        raise ValueError(f"rate must be in [0, 1) for convergence; got {rate_value}")
    return 0 if rate_value == 0 else math.ceil(math.log(tol) / math.log(rate_value))
