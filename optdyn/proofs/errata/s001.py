"""Source 001 (lecture notes "Loss landscapes and optimization behavior"): shared helpers.

This module holds what the rows of source 001 share: the source's section of each row,
:func:`iterate` (a registered method's own ``step`` run on any gradient oracle, for the
non-quadratic and indefinite examples of the source), :func:`decide` (a check from
computed truth values), :func:`register` (a module's table of rows) and the rows that
no quadratic model can decide. The rows
decided by computation are registered by ``s001_facts`` (Hessians, clipping, Newton,
line search, flatness, initialization), ``s001_linear`` (linear dynamics of GD,
momentum and Nesterov) and ``s001_adaptive`` (AdaGrad, RMSProp, Adam, schedules,
batch size, SAM).
"""

from __future__ import annotations

import numpy as np

from ...simulate.trace import trace
from ..core import Check
from ..theorems._common import fmt
from . import out_of_scope, source_claim, verdict

__all__ = ["SECTION", "decide", "fmt", "iterate", "register"]

#: the source's own section heading of each row, by id
SECTION = {
    "01": "Visualizing 1D and 2D loss surfaces",
    "02": "Critical points: gradient equals zero",
    "03": "The Hessian matrix: definition",
    "04": "Eigenvalues of the Hessian",
    "05": "Eigenvalues of the Hessian",
    "06": "Why local minima are rare in high dimensions",
    "07": "Saddle points dominate the landscape",
    "08": "Saddle point dynamics under gradient descent",
    "09": "Plateaus and vanishing gradients",
    "10": "Loss surface of linear networks",
    "11": "Exploding gradients and gradient clipping",
    "12": "Exploding gradients and gradient clipping",
    "13": "Exploding gradients and gradient clipping",
    "14": "Exploding gradients and gradient clipping",
    "15": "Exploding gradients and gradient clipping",
    "16": "Initialization: where you start on the landscape",
    "17": "Initialization: where you start on the landscape",
    "18": "Initialization: where you start on the landscape",
    "19": "Empirical observations: loss surfaces of deep networks",
    "20": "Visualizing real loss landscapes",
    "21": "Visualizing real loss landscapes",
    "22": "Role of overparameterization",
    "23": "Symmetry and mode connectivity",
    "24": "Landscape pathologies summary",
    "25": "Checkpoint: identify the pathology",
    "26": "Checkpoint: identify the pathology",
    "27": "Vanilla GD on ill-conditioned surface",
    "28": "Vanilla GD on ill-conditioned surface",
    "29": "Vanilla GD on ill-conditioned surface",
    "30": "Momentum: physics analogy",
    "31": "Momentum: physics analogy",
    "32": "Momentum: physics analogy",
    "33": "Momentum update rule",
    "34": "Momentum on the elongated bowl",
    "35": "Nesterov accelerated gradient",
    "36": "Nesterov accelerated gradient",
    "37": "Momentum vs Nesterov: comparison",
    "38": "Momentum vs Nesterov: comparison",
    "39": "Learning rate as the most critical hyperparameter",
    "40": "Learning rate as the most critical hyperparameter",
    "41": "Learning rate sensitivity demonstration",
    "42": "Why a single global learning rate is insufficient",
    "43": "Recap: what momentum solves and what it does not",
    "44": "Per-parameter learning rates: the core idea",
    "45": "AdaGrad: accumulate squared gradients for per-parameter learning rates (Mechanism)",
    "46": "AdaGrad: accumulate squared gradients for per-parameter learning rates "
          "(Effect & caveat)",
    "47": "AdaGrad: accumulate squared gradients for per-parameter learning rates "
          "(Effect & caveat)",
    "48": "RMSProp: exponential moving average fix",
    "49": "RMSProp update rule",
    "50": "RMSProp update rule",
    "51": "ADAM update rule (full derivation)",
    "52": "ADAM as landscape normalizer",
    "53": "ADAM as landscape normalizer",
    "54": "AdamW: decoupled weight decay (Why plain Adam + L2 misbehaves)",
    "55": "AdamW: decoupled weight decay (AdamW's fix)",
    "56": "AdamW: decoupled weight decay (AdamW's fix)",
    "57": "Modern alternatives to AdamW (Three post-AdamW optimizers)",
    "58": "Modern alternatives to AdamW (Three post-AdamW optimizers)",
    "59": "Modern alternatives to AdamW (Three post-AdamW optimizers)",
    "60": "Optimizer comparison on benchmark surfaces",
    "61": "When ADAM is not enough",
    "62": "Practical optimizer selection guide",
    "63": "Second-order and quasi-Newton methods in practice",
    "64": "Second-order and quasi-Newton methods in practice",
    "65": "Where second-order is used",
    "66": "Where second-order is used",
    "67": "Where second-order is used",
    "68": "Curvature explains differential learning rates",
    "69": "Flat vs sharp minima",
    "70": "Connection to generalization",
    "71": "SAM: optimizing for flatness directly",
    "72": "SAM: optimizing for flatness directly",
    "73": "SAM: optimizing for flatness directly",
    "74": "Learning rate schedules",
    "75": "Learning rate schedules",
    "76": "Batch size and gradient noise",
    "77": "Batch size and gradient noise",
    "78": "Batch size and gradient noise",
    "79": "Normalization smooths the loss landscape",
    "80": "The learning rate–batch size relationship",
    "81": "The learning rate–batch size relationship",
    "82": "The learning rate–batch size relationship",
    "83": "The learning rate–batch size relationship",
    "84": "Unit summary",
    "85": "Unit summary",
}  # fmt: skip


def iterate(name: str, grad, x0, steps: int, **hyper) -> np.ndarray:
    """The iterates of the registered method ``name`` on the gradient oracle ``grad(q)``.

    :func:`optdyn.simulate.trace` (the method's own ``step``, any oracle) from ``x0``, an
    array shaped ``(..., dim)``, for ``steps`` steps; returns the iterates, shaped
    ``(steps + 1, ..., dim)``.
    """
    return trace(name, lambda q, t: grad(q), x0, steps, **hyper)["x"]


def decide(evidence: dict, *, holds: bool, correct: str, counterexample: dict,
           needs_condition: bool = False, missing: str | None = None,
           **extra) -> Check:  # fmt: skip
    """A check from computed truth values.

    Parameters
    ----------
    evidence : dict
        The computed numbers, by name (floats shown to 6 significant digits).
    holds : bool
        The statement (read with ``missing`` added, if any) survived the computation.
    correct : str
        What holds instead, should the statement fail or be imprecise.
    counterexample : dict
        The computed numbers that refute the statement, should it fail (or that show
        the missing condition, should it be imprecise); dropped when it holds.
    needs_condition : bool
        The computation also found the statement false without ``missing``: it is
        ``imprecise``.
    missing : str, optional
        The condition the statement omits.
    **extra
        ``derivation``, ``seeds`` and ``tolerances`` of
        :func:`~optdyn.proofs.errata.verdict`.

    Raises
    ------
    ValueError
        If ``correct`` or ``counterexample`` is empty: every check names, whatever its
        outcome, the numbers a failure would rest on and what would hold instead.
    """
    if not correct or not counterexample:
        raise ValueError("a check needs a correct statement and a counterexample")
    evidence = {k: (fmt(v) if isinstance(v, float) else v) for k, v in evidence.items()}
    return verdict(evidence, holds=holds, condition_needed=needs_condition, missing=missing,
                   correct=correct, counterexample=counterexample, **extra)  # fmt: skip


def register(table) -> None:
    """Register each row ``(row, expected, symbolic, empirical, methods, stated[, extra])``.

    ``row`` is the row's number in source 001 (``"07"`` for ``001:07``; its section comes
    from :data:`SECTION`), ``stated`` the numbers the checks read (or ``None``) and
    ``extra`` a dict of the rarer keywords of :func:`~optdyn.proofs.errata.source_claim`
    (``relation``).
    """
    for key, expected, symbolic, empirical, methods, stated, *extra in table:
        source_claim(f"001:{key}", expected=expected, section=SECTION[key], symbolic=symbolic,
                     empirical=empirical, methods=methods, stated=stated,
                     **(extra[0] if extra else {}))  # fmt: skip


# -- rows that no quadratic model can decide --------------------------------------------------

_DEEP = "a property of trained deep networks (architecture, data, training practice)"
OUT_OF_SCOPE = {
    "07": "random-matrix predictions for the critical points of deep-network losses need a "
          "model of those losses; a quadratic has a single critical point",
    "09": "saturating activations (sigmoid, tanh) are a property of network architectures; "
          "a quadratic has no plateaus",
    "13": "the typical clipping threshold and its use in transformer/RNN/LLM training "
          "describe practice",
    "14": "gradient-norm monitoring before divergence is a training-practice diagnostic of "
          "deep networks",
    "18": "saturation and vanishing signal are properties of deep-network activations, and "
          "AdamW failing after a bad initialization is a report about practice",
    "19": "observations about the many minima of deep-network losses; a quadratic has one",
    "21": "filter-normalized / trajectory-informed slices and skip connections concern "
          "visualizing deep-network landscapes",
    "23": "permutation symmetry of hidden units and mode connectivity concern neural "
          "networks with several equivalent minima",
    "26": "saddle/plateau and sharp-minimum/overfitting diagnoses concern train/test "
          "behaviour of deep networks",
    "33": "a typical default value is a convention of practice, not a property of the "
          "dynamics",
    "38": "the size of the momentum-vs-Nesterov difference in deep learning is an empirical "
          "report about practice",
    "48": "history and attribution (a Coursera lecture)",
    "49": "a typical default value is a convention of practice; optdyn's rmsprop takes "
          "torch.optim's defaults (decay 0.99, eps 1e-8)",
    "51": "default hyperparameters are conventions of practice (optdyn's adam takes Kingma & "
          "Ba's and torch.optim's beta1 0.9, beta2 0.999, eps 1e-8)",
    "56": "which optimizer frameworks ship as default in 2026 is a fact about software",
    "58": "Sophia's ~2x wall-clock speed-up over Adam is a measurement on GPT-class "
          "language-model pretraining (hardware, model and data set); a wall-clock ratio on "
          "that benchmark is not a property of any quadratic model, so running Sophia on one "
          "would not decide it. The first clause names Sophia's Hessian estimate (a "
          "definition)",
    "59": "optdyn has no schedule-free method: the claim is about Schedule-Free AdamW's "
          "update (Defazio et al. 2024, Alg. 1: y = (1 - beta) z + beta x, z <- z - lr "
          "g(y)/(sqrt(v_hat) + eps), x <- (1 - c_t) x + c_t z with c_t = 1/(t + 1)), which the "
          "source does not write out and optdyn does not register. With it registered, the "
          "claim would be decided on a DiagonalQuadratic with AdditiveNoise: at a constant lr "
          "its E f(x_T) must keep decreasing in T (towards 0) while constant-lr Adam and SGD "
          "stay at their stationary loss, and match a tuned decaying schedule. 'Strong on LM "
          "and image benchmarks' is a benchmark report",
    "61": "generalization gaps and switching recipes concern test loss of trained networks",
    "62": "a selection guide is advice about practice",
    "65": "which problems L-BFGS is used for is a report about practice",
    "66": "a citation (attribution of K-FAC and Shampoo)",
    "67": "a definition of the natural gradient (Fisher metric), no claim about dynamics",
    "68": "catastrophic forgetting of a pretrained backbone and transfer-learning recipes "
          "concern deep networks and data sets",
    "70": "generalization (train/test gap) is not defined for a quadratic model",
    "79": "BatchNorm and normalization layers are architectural; " + _DEEP,
    "85": "where deep-network training gets stuck and whether flat minima generalize are "
          "properties of deep networks and data",
}  # fmt: skip

register((k, "out-of-scope", out_of_scope(why), None, (), None) for k, why in OUT_OF_SCOPE.items())
