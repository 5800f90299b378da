"""``Cache-Control: no-store`` on every page and export of the candidates app.

Recruiting machines are shared: a browser (or a proxy) must not keep a copy of a candidate's
edit page, a review, a history, the audit log, a bulk job or any CSV export for the next person
to find with Back or in its cache. One middleware, so a new page cannot forget it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# URL namespaces whose every response may carry personal data.
PRIVATE_NAMESPACES = frozenset({"candidates"})


class NoStoreMiddleware:
    """Mark responses of PRIVATE_NAMESPACES views ``no-store`` (Django's never-cache headers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and PRIVATE_NAMESPACES.intersection(match.namespaces):
            add_never_cache_headers(response)
        return response
