"""Adam with L2 regularisation added to the gradient."""

from ._adam import adam_moments
from .adam import BETA1, BETA2, DECAY, EPS, LR, torch_adam_kwargs
from .base import Method, register


@register
class AdamL2(Method):
    r"""Adam with an L2 penalty folded into the gradient (``torch.optim.Adam``'s ``weight_decay``).

    .. math::
        g_t &= \nabla f(x_{t-1}) + \mathrm{weight\_decay}\; x_{t-1}, \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \\
        x_t &= x_{t-1} - \frac{\mathrm{lr}}{1-\beta_1^t}\,
               \frac{m_t}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon} .

    The decay passes through the preconditioner, unlike ``adamw``.

    Source: Kingma & Ba, ICLR 2015; Loshchilov & Hutter, "Decoupled weight
    decay regularization", ICLR 2019, Algorithm 2 (the L2 variant).
    """

    name = "adam_l2"
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
    reference = "Loshchilov & Hutter, ICLR 2019, Algorithm 2 (L2 variant); torch.optim.Adam"
    torch = ("Adam", lambda h: {**torch_adam_kwargs(h), "weight_decay": h["weight_decay"]})

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, eps, weight_decay):
        g = grad(s.x) + weight_decay * s.x
        fields, delta = adam_moments(s, g, ops, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        return s.replace(x=s.x - delta, **fields)
