"""`reproduce`: decide every claim, draw every figure, write one report.

What ``optdyn reproduce`` runs. The work is split into jobs (a group of claims
about one method, or one figure) that run in worker processes, each keeping
its own caches of derivations; the report is a pure function of the verdicts
and the figures, so it does not depend on the order the jobs finish in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import figures, proofs
from .proofs.core import Verdict
from .proofs.report import _entry

__all__ = ["Reproduction", "reproduce"]


@dataclass
class Reproduction:
    """What :func:`reproduce` decided and drew.

    Attributes
    ----------
    out : Path
        The output directory (``report.md`` and ``figures/``).
    verdicts : dict[str, Verdict]
        By claim id.
    figures : dict[str, list[Path]]
        The files written per figure.
    failed : list of str
        optdyn's own theorems that do not hold.
    changed : list of str
        Source claims whose verdict differs from the recorded one.
    seconds : dict[str, float]
        Time per job (a figure, or the claims about one method), by its first name.
    """

    out: Path
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    figures: dict[str, list[Path]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.changed


def _select(only: Iterable[str] | None) -> tuple[list[str], list[str]]:
    """The figures and claims to reproduce; ``only`` names figures or claim ids."""
    all_figures, registry = figures.names(), proofs.claims()
    if only is None:
        return all_figures, list(registry)
    fig_names, claim_ids = [], []
    for name in only:
        if name in all_figures:
            fig_names.append(name)
            claim_ids += [c for c in figures.get(name).claims if c in registry]
        elif name in registry:
            claim_ids.append(name)
        else:
            proofs.get(name)  # raises with close matches among the claims
    return fig_names, list(dict.fromkeys(claim_ids))


def _jobs(fig_names: list[str], claim_ids: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Claims grouped so that each group shares its caches, then figures.

    Theorems group by their first method (they share its derivations); rows of
    the source texts by the module of their check (they share its experiments).
    """
    registry = proofs.claims()
    groups: dict[str, list[str]] = {}
    for cid in claim_ids:
        c = registry[cid]
        if c.source == "optdyn":
            key = c.methods[0] if c.methods else c.topic
        else:
            key = (c.symbolic or c.empirical).__module__
        groups.setdefault(key, []).append(cid)
    # the largest groups first, so that the last jobs to finish are small
    jobs = [("claims", tuple(ids)) for ids in sorted(groups.values(), key=len, reverse=True)]
    return jobs + [("figure", (name,)) for name in fig_names]


def _run_job(kind: str, names: tuple[str, ...], fig_dir: str, quick: bool):
    start = time.perf_counter()
    if kind == "claims":
        done = {cid: proofs.check(cid) for cid in names}
    else:
        done = {names[0]: figures.render(names[0], fig_dir, quick=quick)}
    return kind, done, time.perf_counter() - start


def reproduce(
    out: str | Path = "optdyn-report",
    *,
    quick: bool = False,
    only: Iterable[str] | None = None,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Reproduction:
    """Decide the claims, render the figures (PNG and PDF) and write ``out/report.md``.

    Parameters
    ----------
    out : path
        Output directory; figures go to ``out/figures``.
    quick : bool
        Figures on smaller grids with fewer steps and seeds, and only the
        claims the figures show that are not marked ``slow`` (the others are
        not decided).
    only : iterable of str, optional
        Figure names or claim ids: reproduce just these (a figure brings the
        claims it shows).
    workers : int, optional
        Worker processes (default: the number of CPUs, at most 4; 1 runs in
        this process).
    progress : callable, optional
        Called with a short label and the number of jobs as each job finishes.

    Raises
    ------
    KeyError
        For a name in ``only`` that is neither a figure nor a claim id (with close
        matches).

    Returns
    -------
    Reproduction
    """
    fig_names, claim_ids = _select(None if only is None else list(only))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)  # fail before the work, not after
    if quick and only is None:
        shown = {c for n in fig_names for c in figures.get(n).claims}
        registry = proofs.claims()
        claim_ids = [c for c in claim_ids if c in shown and not registry[c].slow]
    fig_dir = out / "figures"
    result = Reproduction(out)
    jobs = _jobs(fig_names, claim_ids)
    workers = workers or min(4, os.cpu_count() or 1)

    def collect(kind, done, seconds, label):
        result.seconds[label] = seconds
        if kind == "claims":
            result.verdicts.update(done)
        else:
            result.figures.update(done)
        if progress is not None:
            progress(label, len(jobs))

    if workers == 1:
        for kind, names in jobs:
            collect(*_run_job(kind, names, str(fig_dir), quick), names[0])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run_job, kind, names, str(fig_dir), quick): names[0]
                       for kind, names in jobs}  # fmt: skip
            for fut in as_completed(futures):
                collect(*fut.result(), futures[fut])
    registry = proofs.claims()
    for cid in claim_ids:
        c, v = registry[cid], result.verdicts[cid]
        if c.source == "optdyn" and v.status != "holds":
            result.failed.append(cid)
        elif v.status != c.expected:
            result.changed.append(cid)
    (out / "report.md").write_text(report_markdown(result, claim_ids, fig_names, quick=quick))
    return result


def report_markdown(result: Reproduction, claim_ids: list[str], fig_names: list[str], *,
                    quick: bool) -> str:  # fmt: skip
    """The report: a summary, the figures with the claims they show, then every claim."""
    registry = proofs.claims()
    counts: dict[tuple[str, str], int] = {}
    for cid in claim_ids:
        key = (registry[cid].source, result.verdicts[cid].status)
        counts[key] = counts.get(key, 0) + 1
    lines = [
        "# optdyn report",
        "",
        "Generated by `optdyn reproduce`"
        + (" --quick (figures on small grids; only the claims they show)" if quick else "")
        + ". Every claim is decided by a symbolic check (a derivation through "
        "`optdyn.theory`) and an empirical check (a measurement with `optdyn.simulate`); "
        "every figure overlays theory on simulation.",
        "",
        "| source | status | claims |",
        "|---|---|---|",
    ]
    lines += [f"| {src} | {status} | {n} |" for (src, status), n in sorted(counts.items())]
    lines.append("")
    if result.failed:
        lines += ["**Theorems that do not hold:** " + ", ".join(f"`{c}`" for c in result.failed),
                  ""]  # fmt: skip
    if result.changed:
        lines += ["**Verdicts that differ from the record:** "
                  + ", ".join(f"`{c}`" for c in result.changed), ""]  # fmt: skip
    if fig_names:
        lines += ["## Figures", ""]
    for name in fig_names:
        fig = figures.get(name)
        shown = ", ".join(
            f"`{c}` ({result.verdicts[c].status})" for c in fig.claims if c in result.verdicts
        )
        lines += [f"### {fig.title}", "", f"![{name}](figures/{name}.png)", "",
                  f"`{name}` ([PDF](figures/{name}.pdf))"
                  + (f"; shows {shown}" if shown else "") + ".", ""]  # fmt: skip
    by_figure = {c: n for n in fig_names for c in figures.get(n).claims}
    sources = list(dict.fromkeys(registry[c].source for c in claim_ids))
    for src in sources:
        lines += [f"## Claims: {'optdyn theorems' if src == 'optdyn' else src}", ""]
        for cid in (c for c in claim_ids if registry[c].source == src):
            entry = _entry(registry[cid], result.verdicts[cid])
            if cid in by_figure:
                entry.insert(-1, f"Shown in [`{by_figure[cid]}`](figures/{by_figure[cid]}.png).")
                entry.insert(-1, "")
            lines += entry
    return "\n".join(lines).rstrip() + "\n"
