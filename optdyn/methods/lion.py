"""Lion."""

from .base import Method, register
from .domains import Interval, NonNegative


@register
class Lion(Method):
    r"""Lion (evolved sign momentum).

    .. math::
        c_t &= \beta_1 m_{t-1} + (1-\beta_1)\nabla f(x_{t-1}), \\
        x_t &= x_{t-1} - \mathrm{lr}\,\bigl(\operatorname{sign}(c_t)
               + \mathrm{weight\_decay}\; x_{t-1}\bigr), \\
        m_t &= \beta_2 m_{t-1} + (1-\beta_2)\nabla f(x_{t-1}) .

    Source: X. Chen et al., "Symbolic discovery of optimization algorithms",
    NeurIPS 2023, Algorithm 2.
    """

    name = "lion"
    hyper = {
        "lr": NonNegative(typical=(1e-5, 1e-2)),
        "beta1": Interval(0.0, 1.0, default=0.9, typical=(0.0, 0.99)),
        "beta2": Interval(0.0, 1.0, default=0.99, typical=(0.5, 0.999)),
        "weight_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
    }
    state = ("x", "m")
    not_linearizable = "its update is sign(c): not differentiable at the fixed point c = 0"
    reference = "Chen et al., NeurIPS 2023, Algorithm 2"

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, weight_decay):
        g = grad(s.x)
        c = beta1 * s.m + (1 - beta1) * g
        x = s.x - lr * (ops.sign(c) + weight_decay * s.x)
        return s.replace(x=x, m=beta2 * s.m + (1 - beta2) * g)
