r"""Linearization of a method's step on one eigen-direction of a quadratic.

The step of a registered method is run on sympy symbols for the scalar
objective :math:`f(q) = \tfrac12 \lambda q^2` with gradient oracle
:math:`\lambda q + \xi` (:math:`\xi`: additive gradient noise). Its Jacobian
with respect to the state is the iteration matrix, its derivative with respect
to :math:`\xi` the noise input.

* Linear methods: the Jacobian is exact (checked: all second derivatives vanish).
* Adaptive methods: linearized at the fixed point ``x = 0`` with the
  second-moment statistics (``Method.slow_states``) kept as free positive
  symbols, the *frozen-preconditioner* view; step-counter effects (bias
  corrections, NAdam's momentum schedule) are taken at ``t → ∞`` unless a step
  ``t`` is given.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from ..methods.base import Method, State, get
from ..methods.domains import Boolean, Interval
from ._exact import exact_real
from .ops import SYMPY_OPS
from .system import LinearSystem

__all__ = ["NotLinearizableError", "linearize"]

T = sp.Symbol("t", positive=True, integer=True)
LAM = sp.Symbol("lam", positive=True)
XI = sp.Symbol("xi", real=True)


class NotLinearizableError(ValueError):
    """The method's step has no Jacobian at the point of linearization."""


def _hyper_symbol(name: str, dom) -> sp.Symbol:
    if isinstance(dom, Interval) and dom.lower >= 0:
        return sp.Symbol(name, positive=True)
    return sp.Symbol(name, real=True)


def _exact(name: str, value, dom):
    """A user value as an exact sympy number (floats become the decimal they print as)."""
    if isinstance(dom, Boolean):
        return dom.validate(name, value)
    if isinstance(value, sp.Basic):
        if value.is_number and not value.is_real:
            raise ValueError(f"{name} must be real; got {value}")
        if value.is_number:
            dom.validate(name, float(value))
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Fraction)):
        raise TypeError(f"{name} must be a real number or a sympy expression")
    dom.validate(name, value)
    return exact_real(name, value)


def _decaying_powers_to_zero(expr, hyper_domains):
    """Replace every power whose exponent grows with t by 0 (its limit for a base in [0, 1))."""

    def is_decaying(a):
        return a.is_Pow and a.exp.has(T)

    def check(a):
        base = a.base
        ok = (base.is_number and 0 <= base < 1) or (
            base.is_Symbol
            and isinstance(hyper_domains.get(base.name), Interval)
            and hyper_domains[base.name].upper <= 1
        )
        if not ok:
            raise NotLinearizableError(f"cannot take t → ∞ in {a}: its base may not be below 1")
        if not (sp.limit(a.exp, T, sp.oo) == sp.oo):
            raise NotLinearizableError(f"cannot take t → ∞ in {a}: its exponent does not grow")
        return sp.S.Zero

    return expr.replace(is_decaying, check)


def _at_infinity(expr, hyper_domains):
    expr = _decaying_powers_to_zero(sp.sympify(expr), hyper_domains)
    if expr.has(T):
        expr = sp.limit(expr, T, sp.oo)
    return expr


def linearize(method: str | Method, *, t: int | None = None, **fixed) -> LinearSystem:
    r"""The linearized dynamics of ``method`` on one eigen-direction.

    Parameters
    ----------
    method : str or Method
    t : int, optional
        Step counter at which to linearize (bias corrections); default ``t → ∞``.
    **fixed
        Hyperparameters to fix to numbers (made exact: ``0.9`` becomes ``9/10``)
        or sympy expressions; the others stay symbols named after them.
        Boolean flags default to their default value.

    Returns
    -------
    LinearSystem
        For state :math:`s_t` and noise :math:`\xi_t`:
        :math:`s_{t+1} = M s_t + b\,\xi_t` (exact for linear methods).

    Raises
    ------
    NotLinearizableError
        For a method whose step is not differentiable at the minimum (``lion``,
        ``sam``), naming the reason.
    """
    m = get(method)
    if m.not_linearizable:
        raise NotLinearizableError(f"{m.name} cannot be linearized: {m.not_linearizable}")
    unknown = [k for k in fixed if k not in m.hyper]
    if unknown:
        raise TypeError(
            f"{m.name} has no hyperparameter {unknown[0]!r}; its hyperparameters are "
            f"{', '.join(m.hyper)}"
        )
    if t is not None:
        if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 1:
            raise ValueError(f"t must be an integer >= 1 or None (t → ∞); got {t!r}")
        t = int(t)
    exact = tuple(sorted((k, _exact(k, v, m.hyper[k])) for k, v in fixed.items()))
    return _linearize(m.name, t, exact)


@lru_cache(maxsize=512)
def _linearize(name: str, t: int | None, fixed: tuple) -> LinearSystem:
    m = get(name)
    fixed = dict(fixed)
    hyper, symbols = {}, {}
    for k, dom in m.hyper.items():
        if k in fixed:
            hyper[k] = fixed[k]
        elif isinstance(dom, Boolean):
            hyper[k] = dom.default
        else:
            hyper[k] = symbols[k] = _hyper_symbol(k, dom)
    states = m.states(**hyper)
    slow = [s for s in states if s in m.slow_states]
    sched = [s for s in states if s in m.schedule_states]
    fast = [s for s in states if s not in slow and s not in sched]
    state_syms = {
        s: sp.Symbol(s, positive=True) if s in slow and s != "g_avg" else sp.Symbol(s, real=True)
        for s in states
    }
    domains = m.hyper
    ops = SYMPY_OPS

    def grad(q):
        return LAM * q + XI

    # schedule states depend on t only: their value at step t (or their limit)
    sched_val = {}
    if sched:
        if t is None:
            out = m.step(State(**state_syms), grad, ops, t=T, **hyper)
            for s in sched:
                sols = sp.solve(sp.Eq(_at_infinity(out[s], domains), state_syms[s]), state_syms[s])
                if len(sols) != 1:
                    raise NotLinearizableError(f"{name}: no unique limit of state {s}")
                sched_val[s] = sols[0]
        else:
            cur = m.init(state_syms["x"], ops, **hyper)
            for k in range(1, t):
                cur = m.step(cur.replace(**{s: state_syms[s] for s in fast + slow}),
                             grad, ops, t=k, **hyper)  # fmt: skip
            sched_val = {s: sp.simplify(cur[s]) for s in sched}

    tt = T if t is None else t
    inp = {s: sched_val.get(s, state_syms[s]) for s in states}
    # frozen preconditioner: choose the slow inputs so that the statistics the step
    # uses (its slow outputs at the linearization point) equal the frozen symbols
    if slow:
        dummies = {s: sp.Dummy(s, positive=state_syms[s].is_positive) for s in slow}
        probe = m.step(State(**{**inp, **dummies}), grad, ops, t=tt, **hyper)
        at0 = {state_syms[s]: 0 for s in fast} | {XI: 0}
        for s in slow:
            target = probe[s] if t is not None else _at_infinity(probe[s], domains)
            try:
                sols = sp.solve(sp.Eq(target.subs(at0), state_syms[s]), dummies[s])
            except NotImplementedError:
                sols = []
            if len(sols) == 1 and not sols[0].has(*dummies.values()):
                inp[s] = sols[0]
    out = m.step(State(**inp), grad, ops, t=tt, **hyper)
    rows = [out[s] if t is not None else _at_infinity(out[s], domains) for s in fast]

    at = {state_syms[s]: 0 for s in fast}
    at[XI] = 0
    variables = [state_syms[s] for s in fast]
    jac = sp.Matrix([[sp.diff(r, v) for v in variables] for r in rows])
    noise = sp.Matrix([sp.diff(r, XI) for r in rows])
    jac_at = jac.subs(at)
    noise_at = noise.subs(at)
    bad = (sp.DiracDelta, sp.Heaviside, sp.sign, sp.Derivative)
    if any(e.has(*bad) or e.has(sp.nan, sp.zoo) for e in [*jac_at, *noise_at]):
        raise NotLinearizableError(f"{name}: its step is not differentiable at the minimum")
    jac_at = jac_at.applyfunc(sp.simplify)
    noise_at = noise_at.applyfunc(sp.simplify)

    second = [sp.diff(r, a, b) for r in rows for a in [*variables, XI] for b in [*variables, XI]]
    is_exact = not slow and not sched and all(sp.simplify(d) == 0 for d in second)

    return LinearSystem(
        method=m,
        states=tuple(fast),
        frozen={s: state_syms[s] for s in slow},
        matrix=jac_at,
        noise_input=noise_at,
        hyper_symbols=symbols,
        fixed={k: v for k, v in hyper.items() if k not in symbols},
        lam=LAM,
        xi=XI,
        t=t,
        exact=is_exact,
    )
