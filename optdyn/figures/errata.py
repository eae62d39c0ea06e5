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
    """Stacked horizontal bars: one per source, segments by status."""
    import matplotlib.pyplot as plt

    fig = ax.figure if ax is not None else plt.figure(figsize=(6.4, 0.5 * len(data.sources) + 1.6))
    ax = ax or fig.add_subplot()
    colors = {"holds": "C2", "fails": "C3", "imprecise": "C1", "out-of-scope": "0.6"}
    left = [0] * len(data.sources)
    for status in data.statuses:
        n = [data.counts.get((s, status), 0) for s in data.sources]
        bars = ax.barh(data.sources, n, left=left, color=colors.get(status), label=status)
        ax.bar_label(bars, labels=[str(k) if k else "" for k in n], label_type="center",
                     fontsize=8)  # fmt: skip
        left = [a + b for a, b in zip(left, n, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("claims")
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
