r"""Capabilities for the errata of source 002 (rows 1-142): runs, comparisons, filters.

Every number a check compares with the text is computed here by running a
registered method (:func:`iterate` drives a method's own ``step`` on any
gradient oracle through :func:`optdyn.simulate.trace`, so it also runs on the
non-quadratic examples of the text), by
the symbolic layer (:mod:`optdyn.theory`), or by Monte Carlo with a fixed seed.
The module registers no rows (:mod:`.s002_1` does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import sympy as sp

from ... import theory
from ...methods.base import State
from ...simulate import trace
from ..core import Check
from ..theorems._common import fmt
from . import source_claim, stated_number, verdict

__all__ = [
    "EQ",
    "IFF",
    "QUAL",
    "UB",
    "compare",
    "decided",
    "ema_run",
    "impulse_gain",
    "iterate",
    "mode_radius",
    "register_rows",
]


#: the relations of a claim (:class:`~optdyn.proofs.Claim`), short for the registration tables
EQ, IFF, UB, QUAL = "equals", "iff", "upper bound", "qualitative"


def iterate(
    name: str,
    grad: Callable,
    x0,
    steps: int,
    *,
    state0: dict | None = None,
    start: int = 1,
    schedule: dict | None = None,
    **hyper,
) -> list:
    r"""The states of method ``name`` over ``steps`` steps on the oracle ``grad(q, k)``.

    :func:`optdyn.simulate.trace`, with ``grad(q, k)`` the (possibly time-varying or
    noisy) gradient at the query point ``q`` of step ``k`` (from 1, whatever ``start``
    is). ``state0`` sets state variables other than ``x`` (e.g. heavy ball's ``x_prev``,
    Adam's ``m`` and ``v``); ``start`` is the step counter of step 1 (a huge one removes
    bias corrections); ``schedule`` maps hyperparameter names to functions of the step
    ``k`` (e.g. a decaying ``lr``), and replaces a fixed value of the same name. Returns
    the list of states, the initial one first.
    """
    if schedule:
        hyper = {k: v for k, v in hyper.items() if k not in schedule}
    tr = trace(name, lambda q, t: grad(q, t - start + 1), x0, steps, state0=state0,
               start=start, schedule=schedule, **hyper)  # fmt: skip
    return [State(**{k: v[i] for k, v in tr.items()}) for i in range(steps + 1)]


def xs(states) -> np.ndarray:
    """The iterates of a list of states, stacked along the first axis."""
    return np.array([s.x for s in states])


def ema_run(inputs, decay: float, m0: float = 0.0) -> np.ndarray:
    r"""The EMA :math:`m_t = \rho m_{t-1} + (1-\rho) a_t` of ``inputs`` (last axis = t).

    Runs the first-moment update of the registered ``ema_momentum`` (``lr = 0``:
    the iterate stays put and only the average moves) with the inputs as gradients;
    returns :math:`m_1, \dots, m_T`.
    """
    a = np.asarray(inputs, dtype=float)
    states = iterate(
        "ema_momentum",
        lambda q, k: a[..., k - 1],
        np.zeros(a.shape[:-1]),
        a.shape[-1],
        state0={"m": np.full(a.shape[:-1], m0)},
        lr=0.0,
        momentum=decay,
    )
    return np.moveaxis(np.array([s.m for s in states[1:]]), 0, -1)


def impulse_gain(momentum: float, n: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    r"""Frequency response of heavy ball's velocity filter, measured from a run.

    Runs ``heavy_ball`` (lr 1) with a unit gradient impulse at step 1 and zero
    afterwards; the displacements :math:`x_{k} - x_{k-1}` are the impulse response
    of :math:`v \mapsto` (minus) the filtered gradient. Returns the angular
    frequencies on :math:`[0, \pi]` and the gain :math:`|H(e^{i\omega})|`.
    """
    states = iterate(
        "heavy_ball", lambda q, k: 1.0 if k == 1 else 0.0, 0.0, n, lr=1.0, momentum=momentum
    )
    x = xs(states)
    h = -np.diff(x)
    gain = np.abs(np.fft.rfft(h, 64 * n))
    w = np.linspace(0, np.pi, gain.size)
    return w, gain


def mode_radius(name: str, lam, **hyper) -> np.ndarray:
    """Spectral radius of ``name``'s iteration on modes ``lam`` (exact system, numeric)."""
    ls = theory.linearize(name)
    return np.asarray(ls.spectral_radius(lam=np.asarray(lam, dtype=float), **hyper))


def compare(
    stated: dict,
    computed: dict,
    *,
    slack: float | dict = 1.0,
    what: str = "",
    note: str = "",
    also: dict | None = None,
    evidence: dict | None = None,
    missing: str | None = None,
    condition_needed: bool = False,
    correct: str | None = None,
    seeds: tuple = (),
    tolerances: dict | None = None,
) -> Check:
    """Stated numbers (strings, as printed) against computed ones, to the printed precision.

    Parameters
    ----------
    stated : dict
        The numbers as the text prints them, by name.
    computed : dict
        The computed values, by the same names (``None``: never reached); names not
        in ``stated`` are reported as ``also computed``.
    slack : float or dict
        Multiplies each tolerance, half a unit of the last printed digit (per name
        or for all).
    what, note : str
        What the numbers are, and a remark, for the correct statement of a mismatch
        (which lists the computed values).
    also : dict of str to bool, optional
        Further conditions of the statement, by name: each is recorded in the
        evidence and must hold too (a false one joins the counterexample).
    evidence : dict, optional
        Further numbers to report.
    missing, condition_needed, correct : optional
        For a statement whose numbers agree only under the condition ``missing``:
        ``condition_needed`` says whether the computation refutes them without it
        (then the status is ``imprecise``, with ``correct`` as what holds).
    seeds : tuple of int
        The random seeds behind the computed values.
    tolerances : dict, optional
        Further tolerances, each with how it was chosen.

    Returns
    -------
    Check
        The :func:`~optdyn.proofs.errata.verdict` on the numbers (and conditions).
    """
    rows, bad = {}, {}
    for k, text in stated.items():
        sl = slack.get(k, 1.0) if isinstance(slack, dict) else slack
        ok, rec = stated_number(text, computed[k], slack=sl)  # None: never reached
        rows[k] = {key: rec[key] for key in ("stated", "computed", "tolerance")}
        if not ok:
            bad[k] = rows[k]
    failed = {k: False for k, v in (also or {}).items() if not v}
    extra = {k: fmt(v) for k, v in computed.items() if k not in stated and np.isscalar(v)}
    shown = ", ".join(
        f"{k} = {fmt(float(computed[k]), 4)}" if computed[k] is not None else f"{k}: not reached"
        for k in stated
    )
    if failed:
        shown += "; not: " + ", ".join(failed)
    return verdict(
        {
            "compared": rows,
            **({"also computed": extra} if extra else {}),
            **{k: bool(v) for k, v in (also or {}).items()},
            **(evidence or {}),
        },
        holds=not (bad or failed),
        condition_needed=condition_needed,
        missing=missing,
        correct=correct
        if not (bad or failed)
        else (f"{what}: {shown}" + (f" ({note})" if note else "") if what else shown),
        counterexample={**bad, **failed} or None,
        seeds=seeds,
        tolerances={
            "numbers": "half a unit of the last printed digit"
            + (" (times a stated slack for approximate values)" if slack != 1.0 else ""),
            **(tolerances or {}),
        },
    )


def decided(fn: Callable[[], Check]):
    """A check function (claim -> Check) computing ``fn()`` once (cached)."""
    cached = functools.cache(fn)

    def check(claim, _sym=None) -> Check:
        with np.errstate(all="ignore"):  # diverging runs are part of some checks
            return cached()

    check.__name__ = getattr(fn, "__name__", "check")
    check.__doc__ = fn.__doc__
    return check


def register_rows(table) -> None:
    """Register the rows of source 002 listed in ``table``, in its order.

    Each row is ``(id, expected, section, check, methods, relation)`` (``relation``
    one of :data:`EQ`, :data:`IFF`, :data:`UB`, :data:`QUAL`), optionally
    followed by a dict of further keywords of :func:`~optdyn.proofs.errata.source_claim`:
    ``id`` without the ``002:`` prefix, ``check`` the symbolic check, ``methods`` the
    method names separated by spaces.
    """
    for row_id, expected, section, check, methods, relation, *extra in table:
        source_claim(f"002:{row_id}", expected=expected, section=section, symbolic=check,
                     methods=tuple(methods.split()), relation=relation,
                     **(extra[0] if extra else {}))  # fmt: skip


def sym_equal(a, b) -> bool:
    """Exact symbolic equality (simplified difference)."""
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0
