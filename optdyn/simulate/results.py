"""The result of a simulation run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Result"]


@dataclass(frozen=True, repr=False)
class Result:
    """Trajectories of a grid of runs.

    Shapes use ``grid`` for the broadcast shape of the array-valued
    hyperparameters (``()`` when all are scalars) and ``n_rec`` for the number
    of recorded steps (``steps + 1`` when every step is recorded).

    Attributes
    ----------
    method : str
        Name of the method that ran.
    hyper : dict
        Resolved hyperparameters (defaults filled in; arrays as given).
    grid_shape : tuple of int
        The broadcast shape of the array-valued hyperparameters.
    steps, seeds : int
        Number of steps and of independent runs per grid point.
    t : ndarray, shape (n_rec,)
        Recorded step indices (0 is the initial point; the last is ``steps``).
    x : ndarray, shape (*grid, seeds, dim)
        Final iterates; NaN for diverged runs.
    loss : ndarray, shape (*grid, seeds, n_rec)
        Excess loss f(x_t) − f* at the recorded steps; +inf from divergence on.
    dist : ndarray, shape (*grid, seeds, n_rec)
        Distance ‖x_t − x*‖ at the recorded steps; +inf from divergence on.
    diverged : ndarray of bool, shape (*grid, seeds)
        Whether the run was flagged as divergent.
    divergence_step : ndarray of int, shape (*grid, seeds)
        The recorded step at which divergence was detected, −1 if never.
    iterates : ndarray, shape (*grid, seeds, n_rec, dim), or None
        All recorded iterates when ``keep_iterates=True``.
    """

    method: str
    hyper: dict[str, Any]
    grid_shape: tuple[int, ...]
    steps: int
    seeds: int
    t: np.ndarray
    x: np.ndarray
    loss: np.ndarray
    dist: np.ndarray
    diverged: np.ndarray
    divergence_step: np.ndarray
    iterates: np.ndarray | None = field(default=None)

    @property
    def final_loss(self) -> np.ndarray:
        """Excess loss after the last step, shape (*grid, seeds)."""
        return self.loss[..., -1]

    @property
    def final_dist(self) -> np.ndarray:
        """Distance to the minimiser after the last step, shape (*grid, seeds)."""
        return self.dist[..., -1]

    def __repr__(self) -> str:
        return (
            f"Result(method={self.method!r}, grid_shape={self.grid_shape}, "
            f"seeds={self.seeds}, steps={self.steps}, dim={self.x.shape[-1]}, "
            f"diverged={int(self.diverged.sum())}/{self.diverged.size})"
        )
