"""AdaGrad."""

from .base import Method, State, register
from .domains import NonNegative, Positive


@register
class AdaGrad(Method):
    r"""AdaGrad (diagonal), as ``torch.optim.Adagrad``.

    With :math:`g_t = \nabla f(x_{t-1}) + \mathrm{weight\_decay}\, x_{t-1}`:

    .. math::
        s_t &= s_{t-1} + g_t^2, \qquad s_0 = \mathrm{initial\_accumulator\_value}, \\
        x_t &= x_{t-1} - \frac{\mathrm{lr}}{1 + (t-1)\,\mathrm{lr\_decay}}\,
               \frac{g_t}{\sqrt{s_t} + \epsilon} .

    Source: J. Duchi, E. Hazan and Y. Singer, "Adaptive subgradient methods
    for online learning and stochastic optimization", JMLR 12, 2011;
    torch.optim.Adagrad.
    """

    name = "adagrad"
    hyper = {
        "lr": NonNegative(typical=(1e-3, 1.0)),
        "lr_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
        "weight_decay": NonNegative(default=0.0, typical=(0.0, 0.1)),
        "initial_accumulator_value": NonNegative(default=0.0, typical=(0.0, 1.0)),
        "eps": Positive(default=1e-10, typical=(1e-10, 1e-3)),
    }
    state = ("x", "sum")
    slow_states = ("sum",)
    uses_step_counter = True
    reference = "Duchi, Hazan & Singer, JMLR 12 (2011); torch.optim.Adagrad"
    torch = (
        "Adagrad",
        lambda h: {
            "lr": h["lr"],
            "lr_decay": h["lr_decay"],
            "weight_decay": h["weight_decay"],
            "initial_accumulator_value": h["initial_accumulator_value"],
            "eps": h["eps"],
        },
    )

    def init(self, x, ops, *, initial_accumulator_value=0.0, **hyper):
        return State(x=x, sum=ops.zeros_like(x) + initial_accumulator_value)

    def step(self, s, grad, ops, *, t, lr, lr_decay, weight_decay, initial_accumulator_value, eps):
        g = grad(s.x) + weight_decay * s.x
        acc = s.sum + g * g
        clr = lr / (1 + (t - 1) * lr_decay)
        return s.replace(x=s.x - clr * g / (ops.sqrt(acc) + eps), sum=acc)
