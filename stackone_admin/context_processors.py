"""Template context every page gets: whether the app runs against its built-in sandbox (the
"Sandbox — not connected to StackOne" banner), and whether the sign-in page names the demo login
(local development only: ``demo_user`` creates it only with ``DEBUG``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def sandbox_mode(request: HttpRequest) -> dict[str, bool]:
    """Return ``sandbox_mode`` (``SANDBOX_MODE``) and ``demo_login`` (sandbox mode with ``DEBUG``)."""
    return {"sandbox_mode": settings.SANDBOX_MODE, "demo_login": settings.SANDBOX_MODE and settings.DEBUG}
