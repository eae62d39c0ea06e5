"""Figures: theory overlaid on simulation; data functions split from plot functions."""

from .base import Figure, get, names, register, render
from .rate_vs_lr import RateVsLr, plot_rate_vs_lr, rate_vs_lr_data
from .stability_map import StabilityMap, plot_stability_map, stability_map_data
from .variance import VarianceVsMomentum, plot_variance, variance_data

__all__ = [
    "Figure",
    "RateVsLr",
    "StabilityMap",
    "VarianceVsMomentum",
    "get",
    "names",
    "plot_rate_vs_lr",
    "plot_stability_map",
    "plot_variance",
    "rate_vs_lr_data",
    "register",
    "render",
    "stability_map_data",
    "variance_data",
]
