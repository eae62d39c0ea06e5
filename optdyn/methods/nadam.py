"""NAdam."""

from .adam import BETA1, BETA2, EPS
from .base import Method, State, register
from .domains import NonNegative


@register
class NAdam(Method):
    r"""NAdam (Adam with Nesterov momentum) with torch's momentum schedule.

    With :math:`g_t = \nabla f(x_{t-1}) + \mathrm{weight\_decay}\, x_{t-1}` and
    :math:`\mu_t = \beta_1\,(1 - \tfrac12\, 0.96^{\,t\,\psi})`
    (:math:`\psi` = ``momentum_decay``), :math:`P_t = \prod_{k\le t} \mu_k`:

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \qquad
        d_t = \sqrt{v_t/(1-\beta_2^t)} + \epsilon, \\
        x_t &= x_{t-1} - \mathrm{lr}\,\frac{1-\mu_t}{1-P_t}\,\frac{g_t}{d_t}
               - \mathrm{lr}\,\frac{\mu_{t+1}}{1-P_t\,\mu_{t+1}}\,\frac{m_t}{d_t} .

    ``mu_product`` (:math:`P_t`) is a state that depends on ``t`` only.

    Source: T. Dozat, "Incorporating Nesterov momentum into Adam", ICLR 2016
    workshop; torch.optim.NAdam (schedule and placement of ``eps``).
    """

    name = "nadam"
    hyper = {
        "lr": NonNegative(typical=(1e-4, 1e-1)),
        "beta1": BETA1,
        "beta2": BETA2,
        "eps": EPS,
        "weight_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
        "momentum_decay": NonNegative(default=4e-3, typical=(0.0, 1e-2)),
    }
    state = ("x", "m", "v", "mu_product")
    slow_states = ("v",)
    slow_rates = {"v": "beta2"}
    schedule_states = ("mu_product",)
    uses_step_counter = True
    reference = "Dozat, ICLR 2016 workshop; torch.optim.NAdam"
    torch = (
        "NAdam",
        lambda h: {
            "lr": h["lr"],
            "betas": (h["beta1"], h["beta2"]),
            "eps": h["eps"],
            "weight_decay": h["weight_decay"],
            "momentum_decay": h["momentum_decay"],
        },
    )

    def init(self, x, ops, **hyper):
        zero = ops.zeros_like(x)
        return State(x=x, m=zero, v=zero, mu_product=zero + 1)

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, eps, weight_decay, momentum_decay):
        g = grad(s.x) + weight_decay * s.x
        base = ops.rational(24, 25)
        mu = beta1 * (1 - base ** (t * momentum_decay) / 2)
        mu_next = beta1 * (1 - base ** ((t + 1) * momentum_decay) / 2)
        mu_product = s.mu_product * mu
        m = beta1 * s.m + (1 - beta1) * g
        v = beta2 * s.v + (1 - beta2) * g * g
        denom = ops.sqrt(v / (1 - beta2**t)) + eps
        x = (
            s.x
            - lr * (1 - mu) / (1 - mu_product) * g / denom
            - lr * mu_next / (1 - mu_product * mu_next) * m / denom
        )
        return s.replace(x=x, m=m, v=v, mu_product=mu_product)
