"""The sign-in page and its form: passwords (off for all but superusers with PASSWORD_SIGNIN=off),
throttled by django-axes (its backend for sign-ins over HTTP, and the lockout page), and the
button of the OpenID Connect provider when one is configured (stackone_admin/oidc.py)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
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
        if request is None or username is None:  # no address, or not a password sign-in
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PasswordBackend(ModelBackend):
    """Django's password check; with ``PASSWORD_SIGNIN=off`` for superusers only (break-glass)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and (settings.PASSWORD_SIGNIN or user.is_superuser)


def signin_context() -> dict[str, Any]:
    """What the sign-in page shows besides the form: the provider's button, passwords on or off."""
    return {"provider_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
            "password_signin": settings.PASSWORD_SIGNIN}


class SignInView(LoginView):
    """``/login/``: Django's sign-in, with the provider's button."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | signin_context()


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """Return the sign-in page (429) saying sign-in is locked and for how long (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(request, "registration/login.html", {
        "form": SignInForm(request, initial={"username": username}),
        "locked_out_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "next": request.POST.get("next", ""),
        **signin_context(),
    }, status=429)
