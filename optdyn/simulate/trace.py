r"""Trace a method's own step on an arbitrary gradient oracle.

:func:`~optdyn.simulate.run` is vectorised and flags divergence, but only on the
quadratic problems of :mod:`optdyn.simulate.problems`. :func:`trace` runs the same
``init`` and ``step`` of a registered method on any oracle ``grad(q, t)``:
non-quadratic or indefinite objectives, a prescribed gradient sequence, time-varying
or noisy gradients, per-step hyperparameters and projections onto a constraint set;
it returns every state variable at every step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..methods.base import Method, get
from ._checks import positive_int, real_array
from ._schedule import check_schedule, hyper_at
from .ops import NUMPY_OPS

__all__ = ["trace"]


def _initial(m: Method, x0, state0, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """``x0`` and the ``state0`` overrides, validated and broadcast to one shape."""
    x = real_array("x0", x0)
    if state0 is None:
        state0 = {}
    if not isinstance(state0, Mapping):
        raise TypeError(f"state0 must be a dict of state values; got {type(state0).__name__}")
    others = [k for k in names if k != "x"]
    values = {}
    for k, v in state0.items():
        if k not in others:
            hint = " (the initial x is x0)" if k == "x" else ""
            raise ValueError(
                f"state0: {k!r} is not a state variable of {m.name} other than x{hint}; "
                f"its others are {', '.join(others) or 'none'}"
            )
        values[k] = real_array(f"state0[{k!r}]", v)
    try:
        shape = np.broadcast_shapes(x.shape, *(v.shape for v in values.values()))
    except ValueError:
        shapes = ", ".join(f"state0[{k!r}] {v.shape}" for k, v in values.items())
        raise ValueError(
            f"state0 values must broadcast against x0 {x.shape}; got {shapes}"
        ) from None
    return {k: np.broadcast_to(v, shape).copy() for k, v in {"x": x, **values}.items()}


def _stack(values: list) -> np.ndarray:
    """One state variable over time as an array ``(steps + 1, ...)``, freeing the list."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    out = np.empty((len(values), *shape))
    for i, v in enumerate(values):
        out[i] = v
        values[i] = None
    return out


def _projected(project: Callable, x: np.ndarray, k: int) -> np.ndarray:
    """``project(x)`` as a float array of the shape of ``x``, else a ValueError."""
    y = np.asarray(project(x), dtype=float)
    if y.shape != np.shape(x):
        raise ValueError(
            f"project must return an array of the iterate's shape {np.shape(x)}; "
            f"got shape {y.shape} after step k = {k}"
        )
    return y


def trace(
    method: str | Method,
    grad: Callable[[np.ndarray, int], Any],
    x0,
    steps: int,
    *,
    state0: Mapping[str, Any] | None = None,
    start: int = 1,
    schedule: Mapping[str, Callable[[int], Any]] | None = None,
    project: Callable[[np.ndarray], Any] | None = None,
    **hyper: Any,
) -> dict[str, np.ndarray]:
    r"""Every state variable of ``method`` run on the gradient oracle ``grad``.

    Runs the method's own ``init`` and ``step`` with numpy ``ops``: from
    :math:`s_0 = \mathrm{init}(x_0)` (with ``state0`` overriding the initial values
    of other state variables),

    .. math::
        s_k = \mathrm{step}\bigl(s_{k-1},\; q \mapsto \mathrm{grad}(q, t_k);\;
              t = t_k,\; h_k\bigr), \qquad t_k = \mathrm{start} - 1 + k,
        \qquad k = 1, \dots, \mathrm{steps},

    where :math:`h_k` are the hyperparameters ``hyper`` together with
    ``schedule[name](k)`` for the scheduled ones. For gradient descent this is
    :math:`x_k = x_{k-1} - \mathrm{lr}_k\, \mathrm{grad}(x_{k-1}, t_k)`. With
    ``project`` = :math:`\Pi`, the iterate of each step is replaced by its
    projection, :math:`x_k \leftarrow \Pi(x_k)` (projected gradient methods on a
    constraint set), before the next step queries the oracle.

    Unlike :func:`~optdyn.simulate.run`, the oracle may be any function
    (non-quadratic, indefinite, time-varying, a prescribed sequence) and the runs are
    not flagged for divergence: floating-point overflow and invalid operations do not
    warn (``numpy.errstate(all="ignore")``), and inf and NaN values are kept and
    returned as they are.

    Parameters
    ----------
    method : str or Method
        A registered method name or a method.
    grad : callable
        The gradient oracle ``grad(q, t)``: the gradient at the query point ``q`` (an
        array shaped like the state, or a scalar) at step counter ``t``. Every query of
        one step sees the same ``t`` (Nesterov's look-ahead, SAM's perturbed point).
        Its value broadcasts against ``q`` as numpy does.
    x0 : array_like
        Initial point: a real scalar or array of any shape. The methods act
        elementwise, except those that take a norm (``sam``), which reduce over the
        last axis.
    steps : int
        Number of steps, >= 1.
    state0 : dict, optional
        Initial values of state variables other than ``x``, by name (default: the
        method's own ``init``, mostly zeros; heavy ball's ``x_prev`` starts at ``x0``).
        Values broadcast against ``x0``.
    start : int
        Step counter of the first step (default 1): step ``k`` is handed
        ``t = start - 1 + k``, both by ``step`` and by the oracle. A huge ``start``
        such as :data:`~optdyn.simulate.FREEZE_START` makes bias corrections
        :math:`1 - \beta^t` equal 1 (their :math:`t \to \infty` limit).
    schedule : dict, optional
        Per-step hyperparameters: name -> callable of the step ``k`` (from 1, whatever
        ``start`` is), e.g. ``{"lr": lambda k: 0.1 / k}``. Each step's values are
        validated like fixed ones; a scheduled name must not also be in ``hyper``.
        ``init`` sees the values of step 1.
    project : callable, optional
        A map ``project(x)`` applied to the iterate after every step (not to
        ``x0``), e.g. ``lambda x: np.clip(x, -1, 1)`` for the interval
        :math:`[-1, 1]`; its value must have the shape of ``x``. The other state
        variables are left as the step made them.
    **hyper
        Fixed hyperparameters of the method: floats, arrays (broadcasting against the
        state) or bools.

    Returns
    -------
    dict[str, numpy.ndarray]
        State variable name -> its values over time, shaped ``(steps + 1, ...)``, the
        initial state at index 0 and the state after step ``k`` at index ``k``. When
        broadcasting grows a variable's shape along the way (a scalar ``x0`` with an
        array gradient), earlier values are broadcast to the final shape.

    Raises
    ------
    TypeError, ValueError
        For an unknown method, a non-callable oracle or ``project``, ``steps`` or ``start`` not an
        integer >= 1, a non-real or non-finite ``x0`` or ``state0`` value, an unknown
        ``state0`` or ``schedule`` name, or hyperparameters outside their domains (at
        any step, for scheduled ones); the message names the argument.

    See Also
    --------
    run : the vectorised runner on quadratic problems, with divergence flags.

    Examples
    --------
    Gradient descent on :math:`f(x) = x^4` (gradient :math:`4x^3`):

    >>> import optdyn as od
    >>> tr = od.simulate.trace("gd", lambda q, t: 4 * q**3, 0.5, steps=2, lr=0.1)
    >>> tr["x"].round(6).tolist()
    [0.5, 0.45, 0.41355]

    Adam's state over time, without bias corrections:

    >>> tr = od.simulate.trace("adam", lambda q, t: q, [1.0, 2.0], steps=10,
    ...                        start=od.simulate.FREEZE_START, lr=1e-2)
    >>> sorted(tr), tr["v"].shape
    (['m', 'v', 'x'], (11, 2))
    """
    m = get(method)
    if not callable(grad):
        raise TypeError(f"grad must be a callable grad(q, t); got {type(grad).__name__}")
    if project is not None and not callable(project):
        raise TypeError(f"project must be a callable project(x); got {type(project).__name__}")
    steps = positive_int("steps", steps)
    start = positive_int("start", start)
    sched = check_schedule(m, schedule, hyper)
    h = h1 = hyper_at(m, hyper, sched, 1)
    init = _initial(m, x0, state0, m.states(**h))
    x = init.pop("x")

    ops = NUMPY_OPS
    with np.errstate(all="ignore"):
        s = m.init(x, ops, **h)
        if init:
            s = s.replace(**init)
        record = {k: [v] for k, v in s.items()}
        for k in range(1, steps + 1):
            if k > 1 and sched:
                h = hyper_at(m, hyper, sched, k, base=h1)
            t = start - 1 + k
            s = m.step(s, lambda q, t=t: grad(q, t), ops, t=t, **h)
            if project is not None:
                s = s.replace(x=_projected(project, s.x, k))
            for name, v in s.items():
                record[name].append(v)
        return {name: _stack(values) for name, values in record.items()}
