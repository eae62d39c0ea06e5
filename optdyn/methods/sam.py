"""Sharpness-aware minimization around gradient descent."""

from .base import Method, register
from .domains import NonNegative, Positive


@register
class SAM(Method):
    r"""Sharpness-aware minimization (SAM) with a gradient-descent base step.

    .. math::
        g_t = \nabla f(x_t), \qquad
        x_{t+1} = x_t - \mathrm{lr}\;\nabla f\!\Bigl(x_t
                  + \rho\,\frac{g_t}{\lVert g_t\rVert_2 + \epsilon}\Bigr),

    the norm taken over the whole parameter vector; both gradients see the same
    minibatch (the same noise draw).

    Source: P. Foret, A. Kleiner, H. Mobahi and B. Neyshabur,
    "Sharpness-aware minimization for efficiently improving generalization",
    ICLR 2021, Algorithm 1 (``eps`` as in its reference implementation).
    """

    name = "sam"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "rho": NonNegative(default=0.05, typical=(0.0, 0.5)),
        "eps": Positive(default=1e-12, typical=(1e-12, 1e-8)),
    }
    state = ("x",)
    not_linearizable = (
        "its perturbation rho g / (‖g‖ + eps) has slope rho / eps at the minimum g = 0, "
        "an artefact of eps rather than a linearization of SAM"
    )
    reference = "Foret, Kleiner, Mobahi & Neyshabur, ICLR 2021, Algorithm 1"

    def step(self, s, grad, ops, *, t, lr, rho, eps):
        g = grad(s.x)
        perturbed = s.x + rho * g / (ops.norm(g) + eps)
        return s.replace(x=s.x - lr * grad(perturbed))
