"""System checks about the sandbox (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def sandbox_in_deployment(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn (sandbox.W001) when a deployment (DEBUG off) serves the sandbox instead of StackOne."""
    if settings.SANDBOX_MODE and not settings.DEBUG:
        return [
            Warning(
                "The app runs in sandbox mode (STACKONE_SANDBOX=true) with DEBUG off: it serves the "
                "built-in StackOne stand-in at /sandbox/, not StackOne.",
                hint="Set STACKONE_API_KEY and unset STACKONE_SANDBOX for a real deployment.",
                id="sandbox.W001",
            )
        ]
    return []
