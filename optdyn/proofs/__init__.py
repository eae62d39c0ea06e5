r"""Proofs layer: theorems and source claims as checkable objects, decided by computation.

>>> import optdyn as od
>>> v = od.proofs.check("gd.threshold")
>>> v.status
'holds'

Each :class:`Claim` has a symbolic check (a derivation through
:mod:`optdyn.theory`, compared with the statement) and an empirical check (a
measurement with :mod:`optdyn.simulate`); :func:`check` combines them into a
:class:`Verdict`.
"""

from . import experiments
from .core import RELATIONS, STATUSES, Check, Claim, Verdict, check, claims, get, register

__all__ = [
    "RELATIONS",
    "STATUSES",
    "Check",
    "Claim",
    "Verdict",
    "check",
    "claims",
    "experiments",
    "get",
    "register",
]
