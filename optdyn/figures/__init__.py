"""Figures: theory overlaid on simulation; data functions split from plot functions."""

from .base import Figure, get, names, register, render
from .stability_map import StabilityMap, plot_stability_map, stability_map_data

__all__ = [
    "Figure",
    "StabilityMap",
    "get",
    "names",
    "plot_stability_map",
    "register",
    "render",
    "stability_map_data",
]
