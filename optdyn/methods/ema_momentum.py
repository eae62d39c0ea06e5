"""Momentum as an exponential moving average of gradients."""

from .base import Method, register
from .domains import Interval, NonNegative


@register
class EMAMomentum(Method):
    r"""Momentum as an exponential moving average of gradients.

    .. math:: m_{t+1} = \mathrm{momentum}\, m_t + (1 - \mathrm{momentum})\,\nabla f(x_t),
              \qquad x_{t+1} = x_t - \mathrm{lr}\, m_{t+1}, \qquad m_0 = 0 .

    It is ``heavy_ball`` with learning rate ``lr·(1 − momentum)``.

    Source: the first-moment update of Adam without bias correction
    (Kingma & Ba, ICLR 2015, Algorithm 1).
    """

    name = "ema_momentum"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "momentum": Interval(0.0, 1.0, right_open=True, typical=(0.0, 0.99)),
    }
    state = ("x", "m")
    linear = True
    reference = "Kingma & Ba, ICLR 2015, Algorithm 1 (first moment, no bias correction)"

    def step(self, s, grad, ops, *, t, lr, momentum):
        m = momentum * s.m + (1 - momentum) * grad(s.x)
        return s.replace(x=s.x - lr * m, m=m)
