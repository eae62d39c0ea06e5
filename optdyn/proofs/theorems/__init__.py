"""The theorem catalogue: importing this package registers every theorem."""

from . import stability  # noqa: F401
