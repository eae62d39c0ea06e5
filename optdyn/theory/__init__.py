"""Theory layer (sympy): the registered methods run on symbols.

For now it supplies the exact ``ops`` namespace; linearization, stability,
tuning, noise and worst-case analysis build on it.
"""

from .ops import SYMPY_OPS, SympyOps

__all__ = ["SYMPY_OPS", "SympyOps"]
