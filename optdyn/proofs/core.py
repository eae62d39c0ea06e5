r"""Claims, their checks and verdicts, and the registry that holds them.

A :class:`Claim` is a statement with a symbolic check and an empirical check.
The symbolic check derives what the statement is about through
:mod:`optdyn.theory` and compares it with the statement; the empirical check
measures it with :mod:`optdyn.simulate`. Each returns a :class:`Check`;
:meth:`Claim.check` combines them into a :class:`Verdict`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "RELATIONS",
    "STATUSES",
    "Check",
    "Claim",
    "Verdict",
    "check",
    "claims",
    "get",
    "register",
]

STATUSES = ("holds", "fails", "imprecise", "out-of-scope")
RELATIONS = ("iff", "equals", "upper bound", "lower bound", "qualitative")
# when checks disagree the verdict is the least favourable one
_SEVERITY = {"holds": 0, "out-of-scope": 1, "imprecise": 2, "fails": 3}


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars and arrays as Python numbers and lists (for JSON)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else str(v)
    if isinstance(value, (int, str)) or value is None:
        return value
    return str(value)


@dataclass
class Check:
    """The outcome of one side (symbolic or empirical) of a claim's check.

    Attributes
    ----------
    ok : bool
        Whether the statement survived this check.
    evidence : dict
        The numbers (and short strings) the check computed, by name.
    derivation : list of str
        LaTeX steps of the derivation (symbolic side), in order.
    counterexample : dict, optional
        Where the statement fails: the values at which it does.
    seeds : tuple of int
        The random seeds used.
    tolerances : dict
        Each tolerance used and how it was chosen (e.g. ``"5 sigma"``).
    status : str, optional
        An explicit status (``imprecise`` or ``out-of-scope``) overriding ``ok``.
    missing_condition, correct_statement : str, optional
        For a statement that is imprecise or fails: what it omits, and what holds.
    values : dict
        Derived objects handed to the empirical side (not reported).
    """

    ok: bool
    evidence: dict = field(default_factory=dict)
    derivation: list = field(default_factory=list)
    counterexample: dict | None = None
    seeds: tuple = ()
    tolerances: dict = field(default_factory=dict)
    status: str | None = None
    missing_condition: str | None = None
    correct_statement: str | None = None
    values: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ok = bool(self.ok)
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}; got {self.status!r}")


@dataclass(frozen=True)
class Verdict:
    """The decision on a claim, with the evidence that supports it.

    Attributes
    ----------
    id : str
    status : str
        ``holds``, ``fails``, ``imprecise`` or ``out-of-scope``.
    statement : str
    evidence : dict
        ``symbolic`` and ``empirical`` entries: the numbers each check computed.
    derivation : tuple of str
        LaTeX steps of the symbolic derivation.
    counterexample : dict or None
    missing_condition, correct_statement : str or None
    seeds : tuple of int
    tolerances : dict
    seconds : float
        Time taken to decide.
    """

    id: str
    status: str
    statement: str
    evidence: Mapping[str, Any]
    derivation: tuple[str, ...] = ()
    counterexample: Mapping[str, Any] | None = None
    missing_condition: str | None = None
    correct_statement: str | None = None
    seeds: tuple[int, ...] = ()
    tolerances: Mapping[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        evidence = {k: MappingProxyType(dict(v)) for k, v in self.evidence.items()}
        object.__setattr__(self, "evidence", MappingProxyType(evidence))
        object.__setattr__(self, "tolerances", MappingProxyType(dict(self.tolerances)))

    def __reduce__(self):
        # read-only mappings do not pickle: rebuild from dicts (verdicts cross processes)
        args = {f.name: getattr(self, f.name) for f in fields(self)}
        args["evidence"] = {k: dict(v) for k, v in self.evidence.items()}
        args["tolerances"] = dict(self.tolerances)
        return type(self), tuple(args.values())

    def to_dict(self) -> dict:
        """The verdict as plain Python data (JSON-serialisable)."""
        return _plain(
            {
                "id": self.id,
                "status": self.status,
                "statement": self.statement,
                "evidence": dict(self.evidence),
                "derivation": list(self.derivation),
                "counterexample": self.counterexample,
                "missing_condition": self.missing_condition,
                "correct_statement": self.correct_statement,
                "seeds": list(self.seeds),
                "tolerances": dict(self.tolerances),
            }
        )

    def __str__(self) -> str:
        lines = [f"{self.id}: {self.status}", f"  {self.statement}"]
        for side, ev in self.evidence.items():
            for k, v in ev.items():
                lines.append(f"  [{side}] {k} = {_plain(v)}")
        if self.counterexample:
            lines.append(f"  counterexample: {_plain(self.counterexample)}")
        if self.missing_condition:
            lines.append(f"  missing condition: {self.missing_condition}")
        if self.correct_statement:
            lines.append(f"  correct statement: {self.correct_statement}")
        return "\n".join(lines)


SymbolicCheck = Callable[["Claim"], Check]
EmpiricalCheck = Callable[["Claim", "Check | None"], Check]


@dataclass(frozen=True)
class Claim:
    r"""A checkable statement about one or more methods.

    Attributes
    ----------
    id : str
        Unique key (``heavy_ball.region``; source claims use claims.tsv ids).
    statement : str
        The statement in plain text.
    latex : str
        The statement in LaTeX.
    relation : str
        ``iff``, ``equals``, ``upper bound``, ``lower bound`` or ``qualitative`` (a
        statement about behaviour, decided by an experiment designed for it).
    methods : tuple of str
        The registered methods it concerns.
    assumptions : tuple of str
    symbolic : callable, optional
        ``symbolic(claim) -> Check``: derives through :mod:`optdyn.theory`.
    empirical : callable, optional
        ``empirical(claim, symbolic_check) -> Check``: measures with
        :mod:`optdyn.simulate`.
    expected : str
        The status recorded for the claim; the tests recompute the verdict
        and compare it with this.
    stated : dict
        The statement's formulas (sympy expressions) or values, by name, for
        the checks to test and the docs to print.
    topic : str
        The question it answers (``stability``, ``rate``, ...), for grouping.
    source : str
        ``optdyn`` for the toolkit's theorems, else the source file.
    references : tuple of str
        Literature the statement is compared with or taken from.
    figure : str, optional
        The figure that shows it.
    slow : bool
        True if its check takes more than a few seconds.
    history : tuple of str
        Earlier statements that failed their checks, and why they were corrected.
    """

    id: str
    statement: str
    latex: str
    relation: str
    methods: tuple[str, ...]
    symbolic: SymbolicCheck | None = None
    empirical: EmpiricalCheck | None = None
    assumptions: tuple[str, ...] = ()
    expected: str = "holds"
    stated: Mapping[str, Any] = field(default_factory=dict)
    topic: str = ""
    source: str = "optdyn"
    references: tuple[str, ...] = ()
    figure: str | None = None
    slow: bool = False
    history: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {', '.join(RELATIONS)}; "
                             f"got {self.relation!r}")  # fmt: skip
        if self.expected not in STATUSES:
            raise ValueError(f"expected must be one of {', '.join(STATUSES)}; "
                             f"got {self.expected!r}")  # fmt: skip
        if self.symbolic is None and self.empirical is None:
            raise ValueError(f"claim {self.id!r} needs a symbolic or an empirical check")
        object.__setattr__(self, "stated", MappingProxyType(dict(self.stated)))

    def check(self) -> Verdict:
        """Decide the claim: run the symbolic check, then the empirical one, and combine."""
        began = time.perf_counter()
        parts: dict[str, Check] = {}
        sym = None
        if self.symbolic is not None:
            sym = parts["symbolic"] = self.symbolic(self)
        if self.empirical is not None:
            parts["empirical"] = self.empirical(self, sym)
        statuses = [c.status or ("holds" if c.ok else "fails") for c in parts.values()]
        status = max(statuses, key=_SEVERITY.__getitem__)
        first = next((c for c in parts.values() if c.counterexample), None)
        seeds = tuple(dict.fromkeys(s for c in parts.values() for s in c.seeds))
        tolerances = {f"{side}: {k}": v for side, c in parts.items()
                      for k, v in c.tolerances.items()}  # fmt: skip
        return Verdict(
            id=self.id,
            status=status,
            statement=self.statement,
            evidence={side: c.evidence for side, c in parts.items()},
            derivation=tuple(step for c in parts.values() for step in c.derivation),
            counterexample=None if first is None else first.counterexample,
            missing_condition=next(
                (c.missing_condition for c in parts.values() if c.missing_condition), None
            ),
            correct_statement=next(
                (c.correct_statement for c in parts.values() if c.correct_statement), None
            ),
            seeds=seeds,
            tolerances=tolerances,
            seconds=time.perf_counter() - began,
        )


_REGISTRY: dict[str, Claim] = {}
_VERDICTS: dict[str, Verdict] = {}


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (ids are unique)."""
    if not isinstance(claim, Claim):
        raise TypeError(f"register takes a Claim; got {type(claim).__name__}")
    if claim.id in _REGISTRY:
        raise ValueError(f"claim {claim.id!r} is already registered")
    _REGISTRY[claim.id] = claim
    return claim


def _load() -> None:
    from . import errata, theorems  # noqa: F401  (register the claims on import)

    errata.load()


def claims(*, source: str | None = None, method: str | None = None) -> dict[str, Claim]:
    """The registry, by id, in registration order; optionally only one source or method."""
    _load()
    return {
        k: c
        for k, c in _REGISTRY.items()
        if (source is None or c.source == source) and (method is None or method in c.methods)
    }


def get(claim_id: str) -> Claim:
    """The claim with this id (a KeyError lists close matches)."""
    _load()
    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id must be a str; got {type(claim_id).__name__}")
    try:
        return _REGISTRY[claim_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(claim_id, list(_REGISTRY), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no claim {claim_id!r}{hint}") from None


def check(claim_id: str, *, cached: bool = True) -> Verdict:
    """Decide the claim with this id; verdicts are cached unless ``cached=False``."""
    claim = get(claim_id)
    if not cached or claim_id not in _VERDICTS:
        _VERDICTS[claim_id] = claim.check()
    return _VERDICTS[claim_id]
