"""The 400 page: says when a form was refused for its size (Django's own page says only "Bad Request")."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
