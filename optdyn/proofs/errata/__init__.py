"""Errata of the source texts: every row of ``claims.tsv`` as a checkable claim.

``claims.tsv`` (a copy of the project's list of the source texts' claims: id,
source file, line, the claim as the source states it, its setting) is read by
:func:`rows`. Each source module (``s000`` ...) registers one
:class:`~optdyn.proofs.Claim` per row with :func:`source_claim`, its checks built
by the parametrised checks of the capability it exercises.

Two builders are shared by the source modules: :func:`verdict` turns computed
truth values (or the confirmed parts of a statement) into a
:class:`~optdyn.proofs.Check` carrying what its status needs, and
:func:`stated_number` compares a number printed in a text with a computed one at
the printed precision (:func:`half_unit`).
"""

from __future__ import annotations

import csv
import functools
import importlib
import math
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from ..core import Check, Claim, register
from ..theorems._common import fmt

__all__ = [
    "TSV",
    "Row",
    "half_unit",
    "load",
    "out_of_scope",
    "rows",
    "source_claim",
    "stated_number",
    "verdict",
]

#: the list of the source texts' claims, shipped with the package
TSV = Path(__file__).with_name("claims.tsv")


@dataclass(frozen=True)
class Row:
    """One row of ``claims.tsv``."""

    id: str
    source: str
    line: int
    claim: str
    setting: str


@functools.cache
def rows() -> dict[str, Row]:
    """The rows of ``claims.tsv`` by id, in file order."""
    with TSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        out = {}
        for r in reader:
            out[r["id"]] = Row(r["id"], r["source"], int(r["line"]), r["claim"], r["setting"])
    return out


def source_claim(
    claim_id: str,
    *,
    expected: str,
    section: str,
    symbolic=None,
    empirical=None,
    methods: tuple[str, ...] = (),
    relation: str = "qualitative",
    stated: dict | None = None,
    references: tuple[str, ...] = (),
    slow: bool = False,
) -> Claim:
    """Register the claim of row ``claim_id``: its statement and setting come from the row.

    ``expected`` is the recorded verdict, ``section`` the source's section the row
    belongs to; the checks decide the claim (see :class:`~optdyn.proofs.Claim`).
    """
    row = rows()[claim_id]
    return register(
        Claim(
            id=row.id,
            statement=row.claim,
            latex="",
            relation=relation,
            methods=methods,
            symbolic=symbolic,
            empirical=empirical,
            assumptions=(row.setting,),
            expected=expected,
            stated=stated or {},
            topic=section,
            source=row.source,
            references=references,
            slow=slow,
        )
    )


def out_of_scope(reason: str):
    """A check for a claim that no quadratic model can decide: it states ``reason``.

    It serves as either side of a claim (the empirical side's second argument, the
    symbolic check, is ignored).
    """

    def check(claim: Claim, _symbolic: Check | None = None) -> Check:
        return Check(ok=True, status="out-of-scope", evidence={"why out of scope": reason})

    return check


def verdict(
    evidence: Mapping[str, Any],
    *,
    holds: bool | Mapping[str, bool],
    condition_needed: bool = False,
    missing: str | None = None,
    correct: str | None = None,
    counterexample: Mapping[str, Any] | None = None,
    derivation: Iterable[str] = (),
    seeds: Iterable[int] = (),
    tolerances: Mapping[str, Any] | None = None,
) -> Check:
    """A :class:`~optdyn.proofs.Check` deciding a statement from computed truth values.

    Parameters
    ----------
    evidence : mapping
        The numbers (and short strings) the check computed, by name (used as given;
        a new dict when parts are added).
    holds : bool or mapping of str to bool
        Whether the statement (read with ``missing`` added, if any) survived the
        computation; or, part by part, whether the computation confirms each part of
        the statement. Parts are added to the evidence as ``"confirmed: <part>"`` and
        the statement holds only if every part does.
    condition_needed : bool
        The statement holds only with the condition ``missing`` added (the computation
        refutes it without): the status is ``imprecise``. Ignored if it does not hold.
    missing : str, optional
        The condition the statement omits (required when ``imprecise``).
    correct : str, optional
        What holds instead (required when ``fails`` or ``imprecise``).
    counterexample : mapping, optional
        Where the statement fails (required when ``fails``; with a mapping ``holds``
        it defaults to ``{"refuted": [the refuted parts]}``). Kept, if given, for an
        ``imprecise`` statement; dropped for one that holds.
    derivation : iterable of str
        LaTeX steps of the derivation, in order.
    seeds : iterable of int
        The random seeds used.
    tolerances : mapping, optional
        Each tolerance used and how it was chosen.

    Returns
    -------
    Check
        ``holds`` (``ok`` true, no counterexample, missing condition or correct
        statement), ``fails`` (``ok`` false, with counterexample and correct statement)
        or ``imprecise`` (``status="imprecise"``, with missing condition and correct
        statement).

    Raises
    ------
    ValueError
        If a failing statement lacks ``counterexample`` or ``correct``, or an
        imprecise one lacks ``missing`` or ``correct``.
    """
    if isinstance(holds, Mapping):
        evidence = {**evidence, **{f"confirmed: {k}": bool(v) for k, v in holds.items()}}
        refuted = [k for k, v in holds.items() if not v]
        if refuted and counterexample is None:
            counterexample = {"refuted": refuted}
        holds = not refuted
    common = {
        "evidence": evidence,
        "derivation": list(derivation),
        "seeds": tuple(seeds),
        "tolerances": dict(tolerances or {}),
    }
    if not holds:
        if counterexample is None or correct is None:
            raise ValueError("a failing statement needs a counterexample and a correct statement")
        return Check(ok=False, counterexample=counterexample, correct_statement=correct, **common)
    if condition_needed:
        if missing is None or correct is None:
            raise ValueError(
                "an imprecise statement needs its missing condition and a correct statement"
            )
        return Check(
            ok=False,
            status="imprecise",
            missing_condition=missing,
            correct_statement=correct,
            counterexample=counterexample,
            **common,
        )
    return Check(ok=True, **common)


def _number_text(stated: str | float) -> str:
    """``stated`` as printed: a string as given (approximation marks dropped), a number's repr."""
    if isinstance(stated, str):
        text = stated.strip().replace("\u2212", "-").replace(",", "")
        for mark in ("≈", "~", "about"):
            text = text.removeprefix(mark).strip()
        return text
    if isinstance(stated, (int, np.integer)) and not isinstance(stated, bool):
        return str(int(stated))
    return repr(float(stated))


def half_unit(stated: str | float) -> float:
    """Half a unit of the last digit of ``stated`` as printed: its rounding tolerance.

    Parameters
    ----------
    stated : str or float
        The number as the text prints it (``"0.818"``, ``"1.5e-3"``, ``"≈3"``), or a
        number (its shortest repr: ``0.818`` has three decimals, ``1e-05`` one digit
        at ``1e-5``).

    Returns
    -------
    float
        ``0.5 * 10**e``, with ``10**e`` the place of the last printed digit.

    Raises
    ------
    ValueError
        If ``stated`` is not a finite number.
    """
    try:
        exponent = Decimal(_number_text(stated)).as_tuple().exponent
    except InvalidOperation:
        raise ValueError(f"not a number as printed: {stated!r}") from None
    if not isinstance(exponent, int):
        raise ValueError(f"not a finite number: {stated!r}")
    return 0.5 * 10.0**exponent


def stated_number(
    stated: str | float,
    computed: float | None,
    *,
    slack: float = 1.0,
    rel: float = 0.0,
    tol: float | None = None,
) -> tuple[bool, dict[str, Any]]:
    """Whether a number stated in a text agrees with a computed one at its printed precision.

    Parameters
    ----------
    stated : str or float
        The stated number as printed (see :func:`half_unit`).
    computed : float or None
        The computed value (``None``: never reached, never agrees).
    slack : float
        Multiplies the half unit (approximate statements, "≈3", Monte Carlo).
    rel : float
        Added to the tolerance, times ``|stated|`` (a relative allowance).
    tol : float, optional
        An explicit absolute tolerance replacing the two above.

    Returns
    -------
    ok : bool
        ``|computed - stated| <= tol`` (up to a relative 1e-9 for rounding of the
        decimal tolerance itself).
    record : dict
        ``stated`` (as given), ``computed`` (6 significant digits), ``tolerance`` and
        ``agree`` (``ok``), for the evidence.
    """
    value = float(_number_text(stated))
    if tol is None:
        tol = half_unit(stated) * slack + rel * abs(value)
    got = math.nan if computed is None else float(computed)
    ok = bool(abs(got - value) <= tol * (1 + 1e-9))
    return ok, {"stated": stated, "computed": fmt(got), "tolerance": fmt(tol), "agree": ok}


@functools.cache
def load() -> None:
    """Import every source module (``s000``, ``s002_1``, ...): each registers its rows."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("s0"):
            importlib.import_module(f"{__name__}.{mod.name}")
