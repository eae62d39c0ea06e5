"""The numpy implementation of the ``ops`` namespace that method steps use."""

from __future__ import annotations

import numpy as np

__all__ = ["NUMPY_OPS", "NumpyOps"]


class NumpyOps:
    """Array operations beyond ``+ - * /`` for steps run on float64 arrays.

    Arrays are shaped ``(..., dim)``: the last axis is the parameter vector of
    one run, so :meth:`norm` reduces over it and nothing mixes runs.
    """

    sqrt = staticmethod(np.sqrt)
    sign = staticmethod(np.sign)
    abs = staticmethod(np.abs)
    maximum = staticmethod(np.maximum)
    zeros_like = staticmethod(np.zeros_like)

    @staticmethod
    def where(cond, a, b):
        """``a`` where ``cond`` holds, else ``b``; a Python bool picks a branch."""
        if isinstance(cond, (bool, np.bool_)):
            return a if cond else b
        return np.where(cond, a, b)

    @staticmethod
    def norm(v):
        """Euclidean norm over the parameter vector, kept as a trailing axis of length 1."""
        return np.sqrt(np.sum(v * v, axis=-1, keepdims=True))

    @staticmethod
    def rational(p: int, q: int) -> float:
        """The number ``p/q`` (exact in the theory layer, float here)."""
        return p / q


NUMPY_OPS = NumpyOps()
