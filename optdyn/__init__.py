"""optdyn: the analytical theory of first-order optimizers on quadratic models.

Each optimizer is defined once, in :mod:`optdyn.methods`; the simulate layer
(:mod:`optdyn.simulate`) runs that definition on numpy arrays, vectorised over
seeds and hyperparameter grids.
"""

from . import methods, proofs, simulate, theory

__version__ = "0.1.0"
__all__ = ["__version__", "methods", "proofs", "simulate", "theory"]
