"""The figure registry: each figure is a data function and a plot function.

``*_data(...)`` computes (theory and simulation) and returns a small frozen
result, cached by its arguments; ``plot_*(data, ax=None)`` draws it on an axis
and never calls ``show()``. :func:`render` writes PNG and PDF files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Figure", "get", "names", "register", "render"]


@dataclass(frozen=True)
class Figure:
    """A registered figure.

    Attributes
    ----------
    name : str
    title : str
    data : callable
        ``data(quick=False) -> result``.
    plot : callable
        ``plot(result, ax=None) -> matplotlib.figure.Figure``.
    claims : tuple of str
        The theorems it shows.
    """

    name: str
    title: str
    data: Callable[..., Any]
    plot: Callable[..., Any]
    claims: tuple[str, ...] = field(default_factory=tuple)


_FIGURES: dict[str, Figure] = {}


def register(fig: Figure) -> Figure:
    if fig.name in _FIGURES:
        raise ValueError(f"figure {fig.name!r} is already registered")
    _FIGURES[fig.name] = fig
    return fig


def _load() -> None:
    from . import rate_vs_lr, stability_map, variance  # noqa: F401


def names() -> list[str]:
    """The registered figure names, in registration order."""
    _load()
    return list(_FIGURES)


def get(name: str) -> Figure:
    _load()
    if name not in _FIGURES:
        raise ValueError(f"no figure {name!r}; figures: {', '.join(_FIGURES)}")
    return _FIGURES[name]


def render(name: str, out: str | Path, *, quick: bool = False) -> list[Path]:
    """Compute and draw figure ``name``; write ``out/name.png`` and ``out/name.pdf``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig = get(name)
    drawn = fig.plot(fig.data(quick=quick))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.pdf"]
    for p in paths:
        drawn.savefig(
            p,
            dpi=120,
            bbox_inches="tight",
            metadata={"CreationDate": None} if p.suffix == ".pdf" else None,
        )
    plt.close(drawn)
    return paths
