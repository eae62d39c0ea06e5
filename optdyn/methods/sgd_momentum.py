"""Stochastic gradient descent with momentum, in torch.optim.SGD's form."""

from .base import Method, register
from .domains import Boolean, Interval, NonNegative


@register
class SGDMomentum(Method):
    r"""SGD with momentum as ``torch.optim.SGD`` implements it.

    With :math:`d_t = \nabla f(x_t) + \mathrm{weight\_decay}\,x_t`,

    .. math::
        b_{t+1} &= \begin{cases} d_t & t = 1 \\
                   \mathrm{momentum}\, b_t + (1 - \mathrm{dampening})\, d_t & t > 1
                   \end{cases} \\
        u_t &= \begin{cases} d_t + \mathrm{momentum}\, b_{t+1} & \text{nesterov} \\
                   b_{t+1} & \text{otherwise} \end{cases} \\
        x_{t+1} &= x_t - \mathrm{lr}\, u_t ,

    and :math:`u_t = d_t` when ``momentum = 0`` (torch then keeps no buffer and
    ignores ``dampening``: the iteration is ``gd``). The first step ignores
    ``dampening``, so for ``momentum > 0`` and ``dampening > 0`` the iteration
    is heavy ball with ``lr·(1 − dampening)`` only from the second step on.
    ``nesterov=True`` with ``dampening > 0`` is accepted here (the update is well
    defined) although torch rejects it.

    Source: ``torch.optim.SGD`` documentation (PyTorch 2.13); Sutskever et al.,
    ICML 2013, for the Nesterov variant.
    """

    name = "sgd_momentum"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "momentum": NonNegative(typical=(0.0, 0.99)),
        "dampening": Interval(0.0, 1.0, default=0.0, typical=(0.0, 1.0)),
        "weight_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
        "nesterov": Boolean(default=False),
    }
    state = ("x", "buf")
    linear = True
    uses_step_counter = True
    reference = "torch.optim.SGD (PyTorch 2.13); Sutskever et al., ICML 2013"
    torch = (
        "SGD",
        lambda h: {
            "lr": h["lr"],
            "momentum": h["momentum"],
            "dampening": h["dampening"],
            "weight_decay": h["weight_decay"],
            "nesterov": h["nesterov"],
        },
    )

    def step(self, s, grad, ops, *, t, lr, momentum, dampening, weight_decay, nesterov):
        d = grad(s.x) + weight_decay * s.x
        buf = d if t == 1 else momentum * s.buf + (1 - dampening) * d
        u = d + momentum * buf if nesterov else buf
        u = ops.where(momentum == 0, d, u)
        return s.replace(x=s.x - lr * u, buf=buf)
