"""The sign-in form, and sign-in throttling with django-axes: its backend for sign-ins over HTTP,
and the lockout page."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from candidates.form_renderer import FORM_RENDERER


class SignInForm(AuthenticationForm):
    """Django's sign-in form, drawn like the app's other forms (candidates/form_renderer.py)."""

    default_renderer = FORM_RENDERER


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuse a sign-in while its username and address are locked out (django-axes).

    Returns None so the next backend checks the password; raises ``PermissionDenied`` (from
    axes) when locked out. A call without a request (a management command, a shell) is not a
    sign-in attempt over HTTP and has no address to throttle, so it passes through instead of
    raising axes' ``AxesBackendRequestParameterRequired``.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """Return the sign-in page (429) saying sign-in is locked and for how long (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(request, "registration/login.html", {
        "form": SignInForm(request, initial={"username": username}),
        "locked_out_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "next": request.POST.get("next", ""),
    }, status=429)
