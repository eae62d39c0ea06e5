r"""`summary`: everything the theory layer derives about one method, in one object.

The iteration matrix, characteristic polynomial, Jury region, edge-of-stability
curvature, critical damping, stationary variance and (given a curvature range)
the minimax tuning and its rate, as text, LaTeX or a JSON-ready dict. This is
what ``optdyn analyze`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..methods import get
from .linearize import linearize
from .tuning import Tuning, critical, optimal

__all__ = ["Summary", "summary"]


@dataclass(frozen=True)
class Summary:
    r"""The derived theory of one method (see :func:`summary`).

    Attributes
    ----------
    method : str
    kind : str
        ``"exact"`` or ``"frozen-preconditioner linearization"``.
    states : tuple of str
    fixed : dict
        The hyperparameters and frozen statistics held at given values.
    matrix, noise_input : sympy.Matrix
    charpoly : sympy.Expr
        :math:`\det(zI - M)`.
    region : sympy.Boolean
        The Jury stability conditions, simplified.
    threshold : sympy.Expr or None
        Stable iff :math:`0 < \lambda <` this (where a single closed form exists).
    critical : list of sympy.Expr
        The critically damped momenta (second-order modes with a momentum only).
    variance : sympy.Expr
        The stationary :math:`\mathrm{Var}(x)` under additive noise of variance ``sigma2``.
    tuning : Tuning or None
        The minimax tuning over ``[mu, L]`` (when a range was given).
    notes : list of str
        What was not derived, and why.
    """

    method: str
    kind: str
    states: tuple[str, ...]
    fixed: dict
    matrix: sp.Matrix
    noise_input: sp.Matrix
    charpoly: sp.Expr
    region: sp.Basic
    threshold: sp.Expr | None
    critical: list
    variance: sp.Expr
    tuning: Tuning | None
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        fixed = f" (fixed: {sp.sstr(self.fixed)})" if self.fixed else ""
        threshold = ("none in closed form" if self.threshold is None
                     else f"stable iff 0 < lam < {sp.sstr(self.threshold)}")  # fmt: skip
        lines = [
            f"{self.method}: {self.kind}, state ({', '.join(self.states)}){fixed}",
            f"iteration matrix M = {sp.sstr(self.matrix.tolist())}",
            f"noise input b = {sp.sstr(list(self.noise_input))}",
            f"characteristic polynomial det(zI - M) = {sp.sstr(self.charpoly)}",
            f"stable iff {sp.sstr(self.region)}",
            f"curvature threshold: {threshold}",
        ]
        if self.critical:
            lines.append(f"critical momentum: {', '.join(map(sp.sstr, self.critical))}")
        lines.append(f"stationary Var(x) = {sp.sstr(self.variance)}")
        if self.tuning is not None:
            lines += ["optimal tuning:", *("  " + s for s in str(self.tuning).splitlines())]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def latex(self) -> str:
        """A LaTeX ``align*`` block with the same content as :meth:`__str__`."""
        rows = [
            rf"M &= {sp.latex(self.matrix)}, \quad b = {sp.latex(self.noise_input)}",
            rf"\det(zI - M) &= {sp.latex(self.charpoly)}",
            rf"\text{{stable}} &\iff {sp.latex(self.region)}",
        ]
        if self.threshold is not None:
            rows.append(rf"\lambda_{{\max}} &= {sp.latex(self.threshold)}")
        if self.critical:
            rows.append(r"\beta_{\mathrm{crit}} &\in \{"
                        + ", ".join(map(sp.latex, self.critical)) + r"\}")  # fmt: skip
        rows.append(rf"\operatorname{{Var}}(x) &= {sp.latex(self.variance)}")
        if self.tuning is not None:
            rows.append(rf"&{self.tuning.latex()}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: expressions as sympy strings, numbers as floats."""
        t = self.tuning
        return {
            "method": self.method,
            "kind": self.kind,
            "states": list(self.states),
            "fixed": {k: sp.sstr(v) for k, v in self.fixed.items()},
            "matrix": [[sp.sstr(e) for e in row] for row in self.matrix.tolist()],
            "noise_input": [sp.sstr(e) for e in self.noise_input],
            "charpoly": sp.sstr(self.charpoly),
            "region": sp.sstr(self.region),
            "threshold": None if self.threshold is None else sp.sstr(self.threshold),
            "critical": [sp.sstr(e) for e in self.critical],
            "variance": sp.sstr(self.variance),
            "optimal": None if t is None else {
                "mu": t.mu, "L": t.L, "exact": t.exact, "rate": float(t.rate),
                "hyper": {k: float(v) for k, v in t.hyper.items()},
                "closed_form": {k: sp.sstr(v) for k, v in t.closed_form.items()},
                "rate_expr": None if t.rate_expr is None else sp.sstr(t.rate_expr),
            },
            "notes": list(self.notes),
        }  # fmt: skip


def summary(method, *, mu=None, L=None, closed_form: bool = True, **fixed) -> Summary:
    r"""Derive the theory of ``method`` on one eigen-direction of a quadratic.

    Parameters
    ----------
    method : str or Method
    mu, L : float, optional
        A curvature range :math:`0 < \mu < L`; give both for the minimax tuning.
    closed_form : bool
        Passed to :func:`optimal` (``False`` skips the symbolic search).
    **fixed
        Hyperparameters held at values, and an adaptive method's frozen
        statistics (e.g. ``v=4``), which only the tuning uses (the derivations
        keep them as symbols); the tuning of an adaptive method needs them.

    Returns
    -------
    Summary

    Raises
    ------
    ValueError
        For a method without a linearization, or only one of ``mu`` and ``L``.
    """
    m = get(method)
    if (mu is None) != (L is None):
        raise ValueError("give both mu and L (a curvature range 0 < mu < L), or neither")
    stats = {} if m.linear or m.not_linearizable else dict(linearize(m).frozen)
    hyper = {k: v for k, v in fixed.items() if k not in stats}
    ls = linearize(m, **hyper)
    notes = []
    crit = []
    if ls.charpoly.degree() == 2 and "momentum" in ls.symbols:
        crit = critical(m, **hyper)
    region = ls.stability_conditions()
    if region == sp.false:
        notes.append("no curvature is stable at these values (the variance is meaningless)")
    tuning = None
    if mu is not None:
        missing = [k for k in stats if k not in fixed]
        if missing:
            notes.append(f"the optimal tuning of {m.name} needs its frozen statistics: "
                         f"give {', '.join(missing)}")  # fmt: skip
        else:
            tuning = optimal(m, mu=mu, L=L, closed_form=closed_form, **fixed)
            if stats:
                notes.append("tuned with the preconditioner frozen at "
                             + ", ".join(f"{k} = {fixed[k]}" for k in stats))  # fmt: skip
    return Summary(
        method=m.name,
        kind="exact" if ls.exact else "frozen-preconditioner linearization",
        states=tuple(ls.states),
        fixed=dict(ls.fixed),
        matrix=ls.matrix,
        noise_input=ls.noise_input,
        charpoly=ls.charpoly.as_expr(),
        region=region,
        threshold=ls.curvature_threshold(),
        critical=crit,
        variance=ls.stationary_variance(),
        tuning=tuning,
        notes=notes,
    )
