"""Simulate layer: the registered methods run on numpy arrays, vectorised over seeds and grids.

>>> import optdyn as od
>>> problem = od.simulate.DiagonalQuadratic([1.0, 10.0])
>>> r = od.simulate.run("gd", problem, steps=50, lr=0.1)
>>> r.loss.shape
(1, 51)
"""

from .frozen import FREEZE_RATE, FREEZE_START, freeze
from .noise import AdditiveNoise, AR1Noise, HessianNoise, NoiseModel
from .ops import NUMPY_OPS, NumpyOps
from .problems import DiagonalQuadratic, LeastSquares, Problem, Quadratic
from .results import Result
from .runner import as_generator, grid, run
from .trace import trace

__all__ = [
    "FREEZE_RATE",
    "FREEZE_START",
    "NUMPY_OPS",
    "AR1Noise",
    "AdditiveNoise",
    "DiagonalQuadratic",
    "HessianNoise",
    "LeastSquares",
    "NoiseModel",
    "NumpyOps",
    "Problem",
    "Quadratic",
    "Result",
    "as_generator",
    "freeze",
    "grid",
    "run",
    "trace",
]
