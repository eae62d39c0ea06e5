"""AdamW: Adam with decoupled weight decay."""

from ._adam import adam_moments
from .adam import BETA1, BETA2, DECAY, EPS, LR, torch_adam_kwargs
from .base import Method, register


@register
class AdamW(Method):
    r"""AdamW: Adam with decoupled weight decay, in ``torch.optim.AdamW``'s convention.

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\nabla f(x_{t-1}), \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\nabla f(x_{t-1})^2, \\
        x_t &= (1 - \mathrm{lr}\cdot\mathrm{weight\_decay})\, x_{t-1}
               - \frac{\mathrm{lr}}{1-\beta_1^t}\,
               \frac{m_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon} .

    The decay is multiplied by ``lr`` (torch), not by a separate schedule
    multiplier as in the paper.

    Source: I. Loshchilov and F. Hutter, "Decoupled weight decay
    regularization", ICLR 2019, Algorithm 2; torch.optim.AdamW.
    """

    name = "adamw"
    hyper = {
        "lr": LR,
        "beta1": BETA1,
        "beta2": BETA2,
        "eps": EPS,
        "weight_decay": DECAY,
    }
    state = ("x", "m", "v")
    slow_states = ("v",)
    slow_rates = {"v": "beta2"}
    uses_step_counter = True
    reference = "Loshchilov & Hutter, ICLR 2019, Algorithm 2; torch.optim.AdamW"
    torch = ("AdamW", lambda h: {**torch_adam_kwargs(h), "weight_decay": h["weight_decay"]})

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, eps, weight_decay):
        g = grad(s.x)
        fields, delta = adam_moments(s, g, ops, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        return s.replace(x=(1 - lr * weight_decay) * s.x - delta, **fields)
