"""Theory layer (sympy): the registered methods run on symbols.

:func:`linearize` derives the iteration matrix, noise input and characteristic
polynomial of one eigen-direction from a method's single definition; the
returned :class:`LinearSystem` decides stability (Jury), exactly or vectorised.
"""

from .jury import jury_conditions, jury_expressions, jury_stable
from .linearize import NotLinearizableError, linearize
from .lyapunov import stationary_covariance, stationary_loss
from .ops import SYMPY_OPS, SympyOps
from .summary import Summary, summary
from .system import LinearSystem
from .tuning import Tuning, critical, iterations_to, modes, optimal, rate
from .worst_case import WorstCase, worst_case

__all__ = [
    "SYMPY_OPS",
    "LinearSystem",
    "NotLinearizableError",
    "Summary",
    "SympyOps",
    "Tuning",
    "WorstCase",
    "critical",
    "iterations_to",
    "jury_conditions",
    "jury_expressions",
    "jury_stable",
    "linearize",
    "modes",
    "optimal",
    "rate",
    "stationary_covariance",
    "stationary_loss",
    "summary",
    "worst_case",
]
