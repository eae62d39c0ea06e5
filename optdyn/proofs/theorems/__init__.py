"""The theorem catalogue: importing this package registers every theorem.

One module per question: ``stability`` (region, edge of stability, exit root),
``rates`` (rate, optimal tuning, condition-number scaling), ``damping``
(critical damping, modes, which direction oscillates first, loss oscillation),
``noise`` (stationary variance), ``worst`` (exact n-step worst case) and
``adaptive`` (Adam-family phenomena on quadratics).
"""

from . import adaptive, damping, noise, rates, stability, worst  # noqa: F401
