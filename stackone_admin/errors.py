"""The 400 page: says when a form was refused for its size (Django's own page says only "Bad Request");
the CSRF failure page: says what to do for the form that failed (signing in, or a change)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Return the 400 page; for a body over Django's limits, which limit and what to do next.

    Such a body is never read, so nothing in it can be shown again: the page tells the user
    that the browser's Back button returns to the form as they left it.
    """
    return render(request, "400.html", {
        "too_large": isinstance(exception, RequestDataTooBig),
        "too_many": isinstance(exception, TooManyFieldsSent),
        "limit_mb": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g}",
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Return the 403 page of a form that failed Django's CSRF check (settings.CSRF_FAILURE_VIEW):
    on the sign-in page, sign in again (nothing was being saved); elsewhere, nothing was saved."""
    return render(request, "403_csrf.html", {
        "sign_in": request.path == reverse("login"),
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }, status=403)


class RequestLimitsMiddleware:
    """Answers a form over Django's size limits with the 400 page above, with DEBUG on too
    (``make run``): Django's own handling shows its debug page there, and the limit is usually
    met first while the CSRF check (its ``process_view``) reads the form. The form is read here,
    before any view is called, as that check would read it anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (parsed now: the limits are checked here)
            except (RequestDataTooBig, TooManyFieldsSent) as exc:
                return bad_request(request, exc)
        return self.get_response(request)
