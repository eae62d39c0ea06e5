r"""Run arguments for the frozen-preconditioner experiment.

The theory layer linearizes adaptive methods with their second-moment
statistics held fixed. :func:`freeze` returns the :func:`~optdyn.simulate.run`
arguments that realise this with the method's own step: the statistics start
at the given values, their decay rates are :math:`1 - 2^{-52}` (so each step
moves them by :math:`2^{-52}(g^2 - v)`), and the step counter starts at
:math:`10^{18}`, where bias corrections :math:`1-\beta^t` are 1 to double precision.
"""

from __future__ import annotations

from typing import Any

from ..methods.base import Method, get

__all__ = ["FREEZE_RATE", "FREEZE_START", "freeze"]

FREEZE_RATE = 1.0 - 2.0**-52
FREEZE_START = 10**18


def freeze(method: str | Method, **stats) -> dict[str, Any]:
    """``run`` arguments that hold the slow states of ``method`` at ``stats``.

    Parameters
    ----------
    method : str or Method
        A method with slow states that are moving averages (``slow_rates``).
    **stats
        Values of slow states (floats or arrays broadcastable to the run);
        the others start at 0 as usual.

    Returns
    -------
    dict
        ``state0``, ``start`` and the decay-rate hyperparameters: pass them
        to :func:`~optdyn.simulate.run` with ``**``.

    Examples
    --------
    >>> import optdyn as od
    >>> kw = od.simulate.freeze("adam", v=4.0)
    >>> sorted(kw)
    ['beta2', 'start', 'state0']
    """
    m = get(method)
    if not m.slow_rates:
        raise ValueError(f"{m.name} has no slow state with a decay rate to freeze")
    unknown = [k for k in stats if k not in m.slow_rates]
    if unknown:
        raise ValueError(
            f"{unknown[0]!r} is not a slow state of {m.name}; its slow states are "
            f"{', '.join(m.slow_rates)}"
        )
    state0 = dict(stats)  # the other slow states start at 0, as usual
    rates = {m.slow_rates[k]: FREEZE_RATE for k in m.slow_rates}
    return {"state0": state0, "start": FREEZE_START, **rates}
