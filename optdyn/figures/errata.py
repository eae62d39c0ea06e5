"""Errata overview: the claims of each source text by verdict.

Counts the registry's recorded verdicts (``Claim.expected``); ``optdyn reproduce``
decides every claim again and reports any verdict that differs from its record,
so the figure shows verdicts that the same run has confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import proofs
from .base import Figure, register

__all__ = ["ErrataOverview", "errata_data", "plot_errata"]


@dataclass(frozen=True)
class ErrataOverview:
    """Claims per source and status."""

    sources: tuple[str, ...]
    statuses: tuple[str, ...]
    counts: dict  # (source, status) -> number of claims


def errata_data(*, quick: bool = False) -> ErrataOverview:
    """Count the registered claims by source and recorded status (``quick`` is ignored)."""
    counts: dict[tuple[str, str], int] = {}
    for c in proofs.claims().values():
        counts[c.source, c.expected] = counts.get((c.source, c.expected), 0) + 1
    sources = tuple(sorted({s for s, _ in counts}, key=lambda s: (s == "optdyn", s)))
    return ErrataOverview(sources, proofs.STATUSES, counts)


def plot_errata(data: ErrataOverview, ax=None):
    """One bar per source, split by verdict as shares of its claims (counts in the segments)."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(6.4, 0.5 * len(data.sources) + 1.6))
    ax = ax or fig.add_subplot()
    colors = {"holds": "C2", "fails": "C3", "imprecise": "C1", "out-of-scope": "0.6"}
    totals = [sum(data.counts.get((s, st), 0) for st in data.statuses) for s in data.sources]
    labels = [f"{s.split('_')[0]} ({n})" for s, n in zip(data.sources, totals, strict=True)]
    left = [0.0] * len(data.sources)
    for status in data.statuses:
        n = [data.counts.get((s, status), 0) for s in data.sources]
        share = [k / t for k, t in zip(n, totals, strict=True)]
        bars = ax.barh(labels, share, left=left, color=colors.get(status), label=status)
        ax.bar_label(bars, labels=[str(k) if f >= 0.06 else "" for k, f in zip(n, share,
                     strict=True)], label_type="center", fontsize=8)  # fmt: skip
        left = [a + b for a, b in zip(left, share, strict=True)]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the source's claims (numbers: claims)")
    ax.set_title("Verdicts by source (optdyn: its own theorems)")
    ax.legend(fontsize=8, ncol=len(data.statuses), loc="upper center",
              bbox_to_anchor=(0.5, -0.25), frameon=False)  # fmt: skip
    return fig


register(Figure(
    name="errata",
    title="Errata overview: claims per source and verdict",
    data=errata_data,
    plot=plot_errata,
))  # fmt: skip
