"""The Adam moment update shared by ``adam``, ``adam_l2``, ``adamw`` and ``amsgrad``."""


def adam_moments(s, g, ops, *, t, lr, beta1, beta2, eps, amsgrad=False):
    r"""Moments and step of Adam from the state ``s`` and the gradient ``g``.

    .. math::
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g^2, \\
        \hat v_t &= \max(\hat v_{t-1}, v_t) \ \text{(AMSGrad)}, \text{ else } v_t, \\
        \Delta_t &= \frac{\mathrm{lr}}{1-\beta_1^t}\,
                   \frac{m_t}{\sqrt{\hat v_t}/\sqrt{1-\beta_2^t} + \epsilon}

    (``eps`` is added after the bias correction of the square root, as in
    ``torch.optim.Adam``; it must be > 0 here, where torch also allows 0, so
    that a zero gradient never gives 0/0). Returns the new state fields other than ``x`` and
    the step :math:`\Delta_t` to subtract from ``x``.
    """
    m = beta1 * s.m + (1 - beta1) * g
    v = beta2 * s.v + (1 - beta2) * g * g
    fields = {"m": m, "v": v}
    if amsgrad:
        v = ops.maximum(s.v_max, v)
        fields["v_max"] = v
    step_size = lr / (1 - beta1**t)
    denom = ops.sqrt(v) / ops.sqrt(1 - beta2**t) + eps
    return fields, step_size * m / denom
