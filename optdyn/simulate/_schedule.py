"""Per-step hyperparameters: the schedules of :func:`~optdyn.simulate.run` and ``trace``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..methods.base import Method

__all__ = ["check_schedule", "hyper_at"]


def check_schedule(m: Method, schedule, hyper: dict) -> dict[str, Callable[[int], Any]]:
    """``schedule`` validated: names of ``m``'s hyperparameters, not fixed too, to callables."""
    if schedule is None:
        return {}
    if not isinstance(schedule, Mapping):
        raise TypeError(
            "schedule must be a mapping from hyperparameter names to callables of the "
            f"step k; got {type(schedule).__name__}"
        )
    for name, f in schedule.items():
        if name not in m.hyper:
            raise ValueError(
                f"schedule: {name!r} is not a hyperparameter of {m.name}; "
                f"its hyperparameters are {', '.join(m.hyper)}"
            )
        if name in hyper:
            raise ValueError(
                f"schedule: {name!r} is also given as a fixed hyperparameter; "
                "pass it in one place only"
            )
        if not callable(f):
            raise TypeError(
                f"schedule[{name!r}] must be a callable of the step k; got {type(f).__name__}"
            )
    return dict(schedule)


def hyper_at(
    m: Method, hyper: dict, schedule: dict, k: int, *, base: dict | None = None
) -> dict[str, Any]:
    """The validated hyperparameters of step ``k`` (the fixed ones plus the scheduled).

    ``base``, the result for an earlier step, saves validating the fixed ones again.
    """
    if not schedule:
        return m.resolve(**hyper) if base is None else base
    now = {name: f(k) for name, f in schedule.items()}
    try:
        if base is None:
            return m.resolve(**hyper, **now)
        return base | {name: m.hyper[name].validate(name, v) for name, v in now.items()}
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"schedule at step k = {k}: {exc}") from exc
