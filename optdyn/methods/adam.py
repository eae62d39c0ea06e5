"""Adam."""

from ._adam import adam_moments
from .base import Method, register
from .domains import Interval, NonNegative, Positive

BETA1 = Interval(0.0, 1.0, right_open=True, default=0.9, typical=(0.0, 0.99))
BETA2 = Interval(0.0, 1.0, right_open=True, default=0.999, typical=(0.5, 0.9999))
EPS = Positive(default=1e-8, typical=(1e-10, 1e-3))
LR = NonNegative(typical=(1e-4, 1e-1))
#: decay of adam_l2 and adamw (torch.optim.AdamW's default)
DECAY = NonNegative(default=1e-2, typical=(0.0, 0.1))


def torch_adam_kwargs(h: dict) -> dict:
    """The torch.optim.Adam keyword arguments shared by the Adam family."""
    return {"lr": h["lr"], "betas": (h["beta1"], h["beta2"]), "eps": h["eps"]}


@register
class Adam(Method):
    r"""Adam, with bias corrections.

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\nabla f(x_{t-1}), \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\nabla f(x_{t-1})^2, \\
        x_t &= x_{t-1} - \frac{\mathrm{lr}}{1-\beta_1^t}\,
               \frac{m_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon},
        \qquad m_0 = v_0 = 0 .

    Source: D. P. Kingma and J. Ba, "Adam: A method for stochastic
    optimization", ICLR 2015, Algorithm 1 (with ``eps`` placed as in
    ``torch.optim.Adam``).
    """

    name = "adam"
    hyper = {"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS}
    state = ("x", "m", "v")
    slow_states = ("v",)
    slow_rates = {"v": "beta2"}
    uses_step_counter = True
    reference = "Kingma & Ba, ICLR 2015, Algorithm 1; torch.optim.Adam"
    torch = ("Adam", torch_adam_kwargs)

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, eps):
        fields, delta = adam_moments(
            s, grad(s.x), ops, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps
        )
        return s.replace(x=s.x - delta, **fields)
