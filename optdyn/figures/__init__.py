"""Figures: theory overlaid on simulation; data functions split from plot functions."""

from .adaptive_edge import AdaptiveEdge, adaptive_edge_data, plot_adaptive_edge, sharpness_threshold
from .base import MODULES, Figure, gallery, get, names, register, render
from .bias_correction import BiasCorrection, bias_correction_data, bias_ratio, plot_bias_correction
from .damping import Damping, ModalSolution, damping_data, modal_solution, plot_damping
from .errata import ErrataOverview, errata_data, plot_errata
from .iterations_vs_kappa import (
    IterationsVsKappa,
    iterations_vs_kappa_data,
    plot_iterations_vs_kappa,
)
from .rate_vs_lr import RateVsLr, plot_rate_vs_lr, rate_vs_lr_data
from .stability_map import StabilityMap, plot_stability_map, stability_map_data
from .sweeps import Sweep, Sweeps, plot_sweeps, sweeps_data, sweeps_table
from .trajectories import Trajectories, plot_trajectories, trajectories_data
from .variance import VarianceVsMomentum, plot_variance, variance_data
from .worst_case_vs_n import WorstCaseVsN, plot_worst_case, worst_case_data

__all__ = [
    "MODULES",
    "AdaptiveEdge",
    "BiasCorrection",
    "Damping",
    "ErrataOverview",
    "Figure",
    "IterationsVsKappa",
    "ModalSolution",
    "RateVsLr",
    "StabilityMap",
    "Sweep",
    "Sweeps",
    "Trajectories",
    "VarianceVsMomentum",
    "WorstCaseVsN",
    "adaptive_edge_data",
    "bias_correction_data",
    "bias_ratio",
    "damping_data",
    "errata_data",
    "gallery",
    "get",
    "iterations_vs_kappa_data",
    "modal_solution",
    "names",
    "plot_adaptive_edge",
    "plot_bias_correction",
    "plot_damping",
    "plot_errata",
    "plot_iterations_vs_kappa",
    "plot_rate_vs_lr",
    "plot_stability_map",
    "plot_sweeps",
    "plot_trajectories",
    "plot_variance",
    "plot_worst_case",
    "rate_vs_lr_data",
    "register",
    "render",
    "sharpness_threshold",
    "stability_map_data",
    "sweeps_data",
    "sweeps_table",
    "trajectories_data",
    "variance_data",
    "worst_case_data",
]
