"""RMSProp."""

from .base import Method, register
from .domains import Boolean, Interval, NonNegative, Positive


@register
class RMSProp(Method):
    r"""RMSProp, optionally centered and with heavy-ball momentum, as ``torch.optim.RMSprop``.

    With :math:`g_t = \nabla f(x_{t-1}) + \mathrm{weight\_decay}\, x_{t-1}` and
    :math:`\rho` = ``decay`` (torch's ``alpha``):

    .. math::
        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2, \qquad
        \bar g_t = \rho\, \bar g_{t-1} + (1-\rho)\, g_t \ \text{(centered)}, \\
        d_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \ \text{(centered)}, \text{ else }
               \sqrt{v_t} + \epsilon, \\
        b_t &= \mathrm{momentum}\; b_{t-1} + g_t / d_t, \qquad
        x_t = x_{t-1} - \mathrm{lr}\; b_t .

    Source: T. Tieleman and G. Hinton, COURSERA: Neural Networks for Machine
    Learning, lecture 6.5 (2012); A. Graves, "Generating sequences with
    recurrent neural networks", arXiv:1308.0850, eqs. (38)-(41) (centered);
    torch.optim.RMSprop.
    """

    name = "rmsprop"
    hyper = {
        "lr": NonNegative(typical=(1e-4, 1e-1)),
        "decay": Interval(0.0, 1.0, right_open=True, default=0.99, typical=(0.5, 0.999)),
        "eps": Positive(default=1e-8, typical=(1e-10, 1e-3)),
        "weight_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
        "momentum": NonNegative(default=0.0, typical=(0.0, 0.99)),
        "centered": Boolean(default=False),
    }
    state = ("x", "v", "g_avg", "buf")
    slow_states = ("v", "g_avg")
    slow_rates = {"v": "decay", "g_avg": "decay"}
    reference = (
        "Tieleman & Hinton (2012), lecture 6.5; Graves (2013) eqs. (38)-(41); torch.optim.RMSprop"
    )
    torch = (
        "RMSprop",
        lambda h: {
            "lr": h["lr"],
            "alpha": h["decay"],
            "eps": h["eps"],
            "weight_decay": h["weight_decay"],
            "momentum": h["momentum"],
            "centered": h["centered"],
        },
    )

    def states(self, *, centered=False, **hyper):
        return ("x", "v", "g_avg", "buf") if centered else ("x", "v", "buf")

    def step(self, s, grad, ops, *, t, lr, decay, eps, weight_decay, momentum, centered):
        g = grad(s.x) + weight_decay * s.x
        v = decay * s.v + (1 - decay) * g * g
        fields = {"v": v}
        if centered:
            g_avg = decay * s.g_avg + (1 - decay) * g
            fields["g_avg"] = g_avg
            denom = ops.sqrt(v - g_avg * g_avg) + eps
        else:
            denom = ops.sqrt(v) + eps
        buf = momentum * s.buf + g / denom
        return s.replace(x=s.x - lr * buf, buf=buf, **fields)
