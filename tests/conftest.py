"""Shared test configuration.

Reference packages (torch, PEPit) cross-check optdyn. Tests that need one call
:func:`require`; it skips when the package is missing, unless the environment
variable ``OPTDYN_REQUIRE_REFERENCE=1`` is set (as CI does), when it fails.
"""

from __future__ import annotations

import importlib
import os

import pytest
from hypothesis import HealthCheck, settings

# Derandomized by default, so every run draws the same examples (fixed seeds); the
# "explore" profile draws fresh ones: pytest --hypothesis-profile=explore
_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("optdyn", derandomize=True, **_common)
settings.register_profile("explore", derandomize=False, **_common)
settings.load_profile("optdyn")


def require(module: str):
    """Import a reference package, or skip (fail under OPTDYN_REQUIRE_REFERENCE=1)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if os.environ.get("OPTDYN_REQUIRE_REFERENCE") == "1":
            pytest.fail(f"reference package {module!r} is required here but missing: {exc}")
        pytest.skip(f"reference package {module!r} is not installed")
