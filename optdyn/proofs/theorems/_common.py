"""Helpers shared by the theorem families: parsing statements, exact evaluation, LaTeX."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ...theory.system import LinearSystem

# the methods of the catalogue: linear ones exactly, adaptive ones with a frozen preconditioner
LINEAR = ("gd", "heavy_ball", "nesterov", "ema_momentum", "sgd_momentum")
FROZEN = ("rmsprop", "adam", "adamw")
CATALOGUE = LINEAR + FROZEN


def parse(ls: LinearSystem, text: str) -> sp.Basic:
    """A stated formula, read with the system's own symbols (and ``P = sqrt(v) + eps``)."""
    names = dict(ls.symbols)
    if "v" in names and "eps" in names:
        names["P"] = sp.sqrt(names["v"]) + names["eps"]
    expr = sp.sympify(text, locals=names)
    stray = {s.name for s in expr.free_symbols} - {s.name for s in ls.symbols.values()}
    if stray:
        raise ValueError(f"stated formula {text!r} uses unknown symbols {sorted(stray)}")
    return expr


def at(ls: LinearSystem, point: dict) -> dict:
    """``point`` (names to values) as a substitution of the system's symbols."""
    return {ls.symbols[k]: v for k, v in point.items() if k in ls.symbols}


@functools.lru_cache(maxsize=256)
def _exact_fn(expr: sp.Basic, symbols: tuple):
    """``expr`` as a function of ``symbols`` evaluated in sympy's exact arithmetic."""
    return sp.lambdify(symbols, expr, modules="sympy")


def truth(expr: sp.Basic, subs: dict) -> bool:
    """Exact truth value of a Boolean at a point (a TypeError if it does not decide)."""
    keys = tuple(subs)
    try:  # exact arithmetic on the values: far faster than substituting into the Boolean
        val = _exact_fn(expr, keys)(*(sp.sympify(subs[k]) for k in keys))
    except (TypeError, ZeroDivisionError):
        val = None
    if val in (sp.true, sp.false, True, False):
        return bool(val)
    val = expr.subs(subs)
    if val in (sp.true, sp.false):
        return bool(val)
    val = sp.simplify(val)
    if val in (sp.true, sp.false):
        return bool(val)
    raise TypeError(f"cannot decide {expr} at {subs}")


def numeric(ls: LinearSystem, expr: sp.Basic, points: dict) -> np.ndarray:
    """A stated or derived expression evaluated at arrays of points (float64)."""
    names = [k for k in ls.symbols if k in points]
    fn = sp.lambdify([ls.symbols[k] for k in names], expr, "numpy")
    with np.errstate(all="ignore"):
        return np.asarray(fn(*[np.asarray(points[k], dtype=float) for k in names]))


# how the glossary's names print in LaTeX
_TEX_NAMES = {"lam": r"\lambda", "lr": r"\eta", "momentum": r"\beta", "eps": r"\epsilon",
              "sigma2": r"\sigma^2", "weight_decay": "w", "dampening": "d", "decay": r"\alpha",
              "mu": r"\mu"}  # fmt: skip


def tex(expr) -> str:
    """LaTeX of a derived expression, with the glossary's names as symbols (lam as lambda)."""
    expr = sp.sympify(expr)
    names = {s: _TEX_NAMES[s.name] for s in expr.free_symbols if s.name in _TEX_NAMES}
    return sp.latex(expr, symbol_names=names)


def fmt(x: float, digits: int = 6) -> float:
    """A measured number rounded to ``digits`` significant digits, for reports."""
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


def reported(check_fn):
    """A check function whose failures always carry a counterexample (the failed evidence)."""

    @functools.wraps(check_fn)
    def wrapped(*args):
        c = check_fn(*args)
        if not c.ok and c.counterexample is None:
            failed = [k for k, v in c.evidence.items() if v is False]
            c.counterexample = {"failed": failed or "see the evidence"}
        return c

    return wrapped
