"""Nesterov's accelerated gradient, look-ahead form."""

from .base import Method, State, register
from .domains import NonNegative


@register
class Nesterov(Method):
    r"""Nesterov's accelerated gradient with constant momentum, look-ahead form.

    .. math:: y_t = x_t + \mathrm{momentum}\,(x_t - x_{t-1}), \qquad
              x_{t+1} = y_t - \mathrm{lr}\,\nabla f(y_t), \qquad x_{-1} = x_0 .

    ``sgd_momentum(nesterov=True)`` is the same iteration written in the
    shifted variable :math:`y_t` (torch's form).

    Source: Y. Nesterov, "A method for solving the convex programming problem
    with convergence rate O(1/k^2)", Soviet Math. Dokl. 27, 1983; constant
    momentum form as in Sutskever et al., ICML 2013, eq. (3)-(4).
    """

    name = "nesterov"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "momentum": NonNegative(typical=(0.0, 0.99)),
    }
    state = ("x", "x_prev")
    linear = True
    reference = "Nesterov (1983); Sutskever, Martens, Dahl, Hinton, ICML 2013, eqs. (3)-(4)"

    def init(self, x, ops, **hyper):
        return State(x=x, x_prev=x)

    def step(self, s, grad, ops, *, t, lr, momentum):
        y = s.x + momentum * (s.x - s.x_prev)
        return s.replace(x=y - lr * grad(y), x_prev=s.x)
