"""Optimizer definitions: one module per method, each registered once.

>>> import optdyn as od
>>> od.methods.get("heavy_ball").hyper["momentum"].describe()
'[0, inf)'
"""

from . import (  # noqa: F401 - importing a method module registers it
    adagrad,
    adam,
    adam_l2,
    adamw,
    amsgrad,
    ema_momentum,
    gd,
    heavy_ball,
    lion,
    nadam,
    nesterov,
    rmsprop,
    sam,
    sgd_momentum,
)
from .base import Method, State, get, names, register
from .domains import Boolean, Domain, Interval, NonNegative, Positive

__all__ = [
    "Boolean",
    "Domain",
    "Interval",
    "Method",
    "NonNegative",
    "Positive",
    "State",
    "get",
    "names",
    "register",
]
