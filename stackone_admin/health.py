"""``/healthz``: is this process up and can it reach its database? No sign-in, no data."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@xframe_options_deny  # answered before XFrameOptionsMiddleware (HealthCheckMiddleware)
@require_safe  # GET, and HEAD (a probe that asks for the status line only)
def healthz(request: HttpRequest) -> JsonResponse:
    """Return 200 ``{"status": "ok"}``, or 503 ``{"status": "unavailable"}`` when the database fails.

    The body never says why (a probe is anonymous); the reason goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Answer ``/healthz`` before anything reads the Host header.

    A load balancer probes each instance by its address, a Host that ALLOWED_HOSTS rightly does
    not list; the host check (CommonMiddleware, CSRF, URLs) then turns the probe into a 400. Only
    this exact path skips the rest of the stack; every other path keeps the check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
