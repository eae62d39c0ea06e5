"""Gradient descent."""

from .base import Method, register
from .domains import NonNegative


@register
class GD(Method):
    r"""Gradient descent.

    .. math:: x_{t+1} = x_t - \mathrm{lr}\, \nabla f(x_t)

    Source: Cauchy (1847); any optimization text, e.g. Nesterov,
    *Lectures on Convex Optimization* (2018), section 1.2.3.
    """

    name = "gd"
    hyper = {"lr": NonNegative(typical=(1e-3, 1.0))}
    state = ("x",)
    linear = True
    reference = "Cauchy (1847); Nesterov, Lectures on Convex Optimization (2018), 1.2.3"
    torch = ("SGD", lambda h: {"lr": h["lr"]})

    def step(self, s, grad, ops, *, t, lr):
        return s.replace(x=s.x - lr * grad(s.x))
