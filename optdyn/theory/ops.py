"""The sympy implementation of the ``ops`` namespace that method steps use.

A step run with these ops on sympy symbols gives the exact update of one
eigen-direction (a scalar coordinate), which is what the theory layer analyses.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["SYMPY_OPS", "SympyOps"]


class SympyOps:
    """Exact scalar operations for steps run on sympy expressions."""

    sqrt = staticmethod(sp.sqrt)
    sign = staticmethod(sp.sign)
    abs = staticmethod(sp.Abs)
    maximum = staticmethod(sp.Max)

    @staticmethod
    def zeros_like(x):
        return sp.Integer(0)

    @staticmethod
    def where(cond, a, b):
        """``a`` where ``cond`` holds, else ``b`` (a relation gives a Piecewise)."""
        if isinstance(cond, bool) or cond in (sp.true, sp.false):
            return a if bool(cond) else b
        return sp.Piecewise((a, cond), (b, True))

    @staticmethod
    def norm(v):
        """Norm of one coordinate: its absolute value."""
        return sp.Abs(v)

    @staticmethod
    def rational(p: int, q: int):
        return sp.Rational(p, q)


SYMPY_OPS = SympyOps()
