"""Polyak's heavy-ball method."""

from .base import Method, State, register
from .domains import NonNegative


@register
class HeavyBall(Method):
    r"""Polyak's heavy ball, in its two-step (Polyak) form.

    .. math:: x_{t+1} = x_t - \mathrm{lr}\,\nabla f(x_t)
              + \mathrm{momentum}\,(x_t - x_{t-1}), \qquad x_{-1} = x_0 .

    With ``dampening = 0`` it is the same iteration as ``sgd_momentum`` at the
    same ``lr`` (the torch buffer is :math:`(x_{t-1} - x_t)/\mathrm{lr}`), and
    ``ema_momentum`` with ``lr`` equals it with ``lr·(1 − momentum)``.

    Source: B. T. Polyak, "Some methods of speeding up the convergence of
    iteration methods", USSR Comput. Math. Math. Phys. 4(5), 1964.
    """

    name = "heavy_ball"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "momentum": NonNegative(typical=(0.0, 0.99)),
    }
    state = ("x", "x_prev")
    linear = True
    reference = "Polyak (1964), USSR Comput. Math. Math. Phys. 4(5)"

    def init(self, x, ops, **hyper):
        return State(x=x, x_prev=x)

    def step(self, s, grad, ops, *, t, lr, momentum):
        return s.replace(x=s.x - lr * grad(s.x) + momentum * (s.x - s.x_prev), x_prev=s.x)
