r"""Capabilities shared by the checks of :mod:`optdyn.proofs.errata.s002_2`.

Helpers of source 002 (rows 143-285):

* :func:`feed` runs a registered method's own ``step`` (via :func:`optdyn.simulate.trace`)
  on a prescribed gradient sequence (the setting of the text's Adam/RMSProp worked
  examples, where only the gradients are given), or on any gradient oracle ``grad(x, t)``
  (non-quadratic or time-varying), optionally switching bias correction off mid-run;
* :func:`schedule_run` runs a method whose hyperparameters change with the step (Nesterov's
  :math:`\beta_k = (k-1)/(k+2)`) on a grid of single modes :math:`\tfrac12\lambda x^2`
  (a ``schedule`` of :func:`optdyn.simulate.trace`);
* :func:`hb_xv` gives heavy ball's iteration matrix and noise input in the text's basis
  :math:`(x, v)`, :math:`v_k = x_k - x_{k-1}`, derived from ``od.theory.linearize``;
* :func:`compare` compares stated numbers with computed ones at the stated precision, and
  :func:`numbers` decides a row that states only numbers;
* :func:`result` builds a :class:`~optdyn.proofs.core.Check` for any status.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import sympy as sp

from ...simulate import trace
from ...theory import linearize
from ..core import Check
from ..theorems._common import fmt
from . import stated_number, verdict

__all__ = ["ROUNDING", "compare", "feed", "hb_xv", "numbers", "result", "schedule_run"]

#: a step counter so large that every ``beta**t`` underflows to 0: a bias-corrected
#: method run from it takes the uncorrected steps
T_INF = 10**9


def feed(
    name: str,
    grads=None,
    *,
    grad: Callable | None = None,
    steps: int | None = None,
    x0=0.0,
    start: int = 1,
    switch: int | None = None,
    state0: dict | None = None,
    **hyper,
) -> dict[str, np.ndarray]:
    r"""Run ``name``'s own ``step`` and return every state variable over time.

    :func:`optdyn.simulate.trace` with the gradient at step :math:`t` (counting from 1)
    ``grads[t-1]`` (array of shape ``(T, ...)``, broadcast against ``x0``), or
    ``grad(x, t)``. The step counter handed to ``step`` is ``start - 1 + t``
    (``start=T_INF``: no bias correction); after step ``switch`` it jumps to
    ``T_INF + t`` (bias correction switched off mid-run: a second trace from the state
    reached). ``state0`` overrides initial values of state variables (e.g. ``{"v": 4.0}``).

    Returns
    -------
    dict
        state name -> array of shape ``(T + 1, ...)`` (index 0 is the initial state).
    """
    if grads is not None:
        grads = np.asarray(grads, dtype=float)
        steps = grads.shape[0]
        x0 = np.asarray(x0, dtype=float) + np.zeros(grads.shape[1:])

        def grad(x, t):
            return grads[t - 1] + 0 * x

    def segment(x, s0, n, done, first):
        # steps done + 1 .. done + n, with step counters first, first + 1, ...
        return trace(name, lambda y, tc: grad(y, tc - first + 1 + done), x, n, state0=s0,
                     start=first, **hyper)  # fmt: skip

    n1 = steps if switch is None else min(switch, steps)
    out = segment(x0, state0, n1, 0, start)
    if n1 < steps:
        last = {k: v[-1] for k, v in out.items()}
        rest = segment(last.pop("x"), last, steps - n1, n1, T_INF + n1 + 1)
        out = {k: np.concatenate([v, rest[k][1:]]) for k, v in out.items()}
    return out


def schedule_run(
    name: str, lam, steps: int, hyper_at: Callable[[int], dict], x0: float = 1.0
) -> np.ndarray:
    r"""Iterates of ``name`` on the modes :math:`\tfrac12\lambda x^2` (``lam`` an array).

    ``hyper_at(t)`` gives the hyperparameters of step ``t`` (counting from 1), run as a
    ``schedule`` of :func:`optdyn.simulate.trace`; the previous iterate starts at ``x0``.
    Returns ``x`` of shape ``(steps + 1, len(lam))``.
    """
    lam = np.asarray(lam, dtype=float)
    schedule = {k: (lambda t, k=k: hyper_at(t)[k]) for k in hyper_at(1)}
    x = np.full(lam.shape, float(x0))
    return trace(name, lambda y, t: lam * y, x, steps, schedule=schedule)["x"]


@functools.cache
def hb_xv() -> tuple[sp.Matrix, sp.Matrix, dict]:
    r"""Heavy ball's iteration matrix and noise input in the basis :math:`(x, v)`.

    ``od.theory`` linearizes heavy ball in its state ``(x, x_prev)``; with
    :math:`v_k = x_k - x_{k-1}` the change of basis :math:`T = [[1, 0], [1, -1]]` gives
    :math:`M_v = T M T^{-1}` and :math:`b_v = T b`. Returns ``(M_v, b_v, symbols)``.
    """
    ls = linearize("heavy_ball")
    assert tuple(ls.states) == ("x", "x_prev")
    T = sp.Matrix([[1, 0], [1, -1]])
    return (sp.simplify(T * ls.matrix * T.inv()), sp.simplify(T * ls.noise_input), dict(ls.symbols))


#: the one rule by which a stated number is compared with the computed one
ROUNDING = (
    "half a unit of the stated last digit, around the exact value or around the value "
    "recomputed from the text's own stated, rounded intermediate (carried rounding)"
)


def compare(items, *, rel: float | None = None) -> tuple[bool, dict, dict]:
    """Stated numbers against computed ones.

    ``items``: ``(label, stated, computed)`` or ``(label, stated, computed, extra)``. By
    default (:data:`ROUNDING`) a number agrees within half a unit of its last printed digit
    (plus ``rel`` times its size if given; :func:`~optdyn.proofs.errata.stated_number`).
    ``extra`` is either an explicit absolute tolerance (an approximate statement, recorded
    in the evidence) or ``(carried, source)``: the value recomputed from the text's own
    stated, rounded intermediate ``source``; the number then agrees if it is within half a
    unit of either value. Returns ``(all agree, evidence, mismatches)``.
    """
    ev, bad = {}, {}
    for item in items:
        label, stated, computed = item[:3]
        extra = item[3] if len(item) > 3 else None
        tol = extra if isinstance(extra, (int, float)) else None
        ok, rec = stated_number(stated, computed, rel=rel or 0.0, tol=tol)
        ev[label] = {key: rec[key] for key in ("stated", "computed", "agree")}
        if tol is not None or rel:
            ev[label]["tolerance"] = rec["tolerance"]
        if isinstance(extra, tuple):
            carried, source = extra
            ok_c, rec_c = stated_number(stated, carried, rel=rel or 0.0)
            ev[label][f"carried from the stated {source}"] = rec_c["computed"]
            ok = ev[label]["agree"] = ok or ok_c
        if not ok:
            bad[label] = {"stated": stated, "computed": fmt(computed)}
    return not bad, ev, bad


def result(
    status: str,
    evidence: dict,
    *,
    correct: str | None = None,
    missing: str | None = None,
    counterexample: dict | None = None,
    derivation=(),
    seeds=(),
    tolerances: dict | None = None,
) -> Check:
    """A :class:`Check` with status ``holds``, ``fails``, ``imprecise`` or ``out-of-scope``.

    :func:`~optdyn.proofs.errata.verdict` by status; an ``imprecise`` check drops
    ``counterexample``.
    """
    if status == "out-of-scope":
        return Check(ok=False, evidence=evidence, derivation=list(derivation), seeds=tuple(seeds),
                     tolerances=tolerances or {}, status=status)  # fmt: skip
    if status not in ("holds", "fails", "imprecise"):
        raise ValueError(f"unknown status {status!r}")
    return verdict(evidence, holds=status != "fails", condition_needed=status == "imprecise",
                   missing=missing, correct=correct,
                   counterexample=counterexample if status == "fails" else None,
                   derivation=derivation, seeds=seeds, tolerances=tolerances)  # fmt: skip


def numbers(
    items,
    *,
    correct: str,
    evidence: dict | None = None,
    rel: float | None = None,
    seeds=(),
    tolerances: dict | None = None,
) -> Check:
    """A row of stated numbers: ``holds`` if every one agrees (:func:`compare`), else ``fails``.

    The mismatches are the counterexample; ``evidence`` is added after the comparisons, and
    ``tolerances`` (the approximate statements' allowances) after the rounding rule
    :data:`ROUNDING`.
    """
    ok, ev, bad = compare(items, rel=rel)
    return result(
        "holds" if ok else "fails",
        {**ev, **(evidence or {})},
        counterexample=bad or None,
        correct=correct,
        seeds=seeds,
        tolerances={"numbers": ROUNDING, **(tolerances or {})},
    )
