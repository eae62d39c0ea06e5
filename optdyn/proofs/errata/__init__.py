"""Errata of the source texts: every row of ``claims.tsv`` as a checkable claim.

``claims.tsv`` (a copy of the project's list of the source texts' claims: id,
source file, line, the claim as the source states it, its setting) is read by
:func:`rows`. Each source module (``s000`` ...) registers one
:class:`~optdyn.proofs.Claim` per row with :func:`source_claim`, its checks built
by the parametrised checks of the capability it exercises.
"""

from __future__ import annotations

import csv
import functools
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from ..core import Check, Claim, register

__all__ = ["TSV", "Row", "load", "out_of_scope", "rows", "source_claim"]

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
    """A check for a claim that no quadratic model can decide: it states ``reason``."""

    def check(claim: Claim) -> Check:
        return Check(ok=True, status="out-of-scope", evidence={"why out of scope": reason})

    return check


@functools.cache
def load() -> None:
    """Import every source module (``s000``, ``s002_1``, ...): each registers its rows."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("s0"):
            importlib.import_module(f"{__name__}.{mod.name}")
