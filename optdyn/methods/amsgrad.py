"""AMSGrad."""

from ._adam import adam_moments
from .adam import BETA1, BETA2, EPS, LR, torch_adam_kwargs
from .base import Method, register


@register
class AMSGrad(Method):
    r"""AMSGrad: Adam with a running maximum of the second moment.

    As ``torch.optim.Adam(amsgrad=True)``:

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\nabla f(x_{t-1}), \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\nabla f(x_{t-1})^2, \\
        \hat v_t &= \max(\hat v_{t-1}, v_t), \qquad
        x_t = x_{t-1} - \frac{\mathrm{lr}}{1-\beta_1^t}\,
               \frac{m_t}{\sqrt{\hat v_t/(1-\beta_2^t)} + \epsilon} .

    torch keeps the bias corrections (Reddi et al.'s Algorithm 2 has none).

    Source: S. J. Reddi, S. Kale and S. Kumar, "On the convergence of Adam and
    beyond", ICLR 2018, Algorithm 2; torch.optim.Adam(amsgrad=True).
    """

    name = "amsgrad"
    hyper = {"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS}
    state = ("x", "m", "v", "v_max")
    slow_states = ("v", "v_max")
    slow_rates = {"v": "beta2", "v_max": "beta2"}
    uses_step_counter = True
    reference = "Reddi, Kale & Kumar, ICLR 2018, Algorithm 2; torch.optim.Adam(amsgrad=True)"
    torch = ("Adam", lambda h: {**torch_adam_kwargs(h), "amsgrad": True})

    def step(self, s, grad, ops, *, t, lr, beta1, beta2, eps):
        fields, delta = adam_moments(
            s, grad(s.x), ops, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps, amsgrad=True
        )
        return s.replace(x=s.x - delta, **fields)
