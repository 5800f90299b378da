"""The request id of each web request, and the one access line per request.

The id is the proxy's when ``REQUEST_ID_HEADER`` names the header it sets (nginx:
``proxy_set_header X-Request-ID $request_id;``) and its value is usable, else a fresh one. It is
bound for the whole request (``candidates.request_ids``), so every log line, audit row and
queued task of the request carries it, and it is sent back as ``X-Request-ID`` for a person to
quote. The access line names the method, the path (never the query string: a search's ``q`` is
personal data), the status and the time taken; it stands in for Django's own line about a 4xx or
5xx response, which would come after the request id is gone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from candidates.request_ids import request_id_bound, request_id_clean

logger = logging.getLogger("stackone_admin.access")
RESPONSE_HEADER = "X-Request-ID"
QUIET_PATHS = frozenset({"/healthz", "/metrics"})  # probes and scrapes: DEBUG, not INFO


def request_id_incoming(request: HttpRequest) -> str | None:
    """Return the proxy's request id, when ``REQUEST_ID_HEADER`` is set and the value usable."""
    header = settings.REQUEST_ID_HEADER
    return request_id_clean(request.headers.get(header)) if header else None


class RequestIdMiddleware:
    """First in the stack: binds the request id around everything else and logs the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        with request_id_bound(request_id_incoming(request) or "") as request_id:
            response = self.get_response(request)
            response[RESPONSE_HEADER] = request_id
            milliseconds = round((time.monotonic() - started) * 1000)
            logger.log(_level(request, response), "%s %s %s %sms", request.method, request.path,
                       response.status_code, milliseconds,
                       extra={"method": request.method, "path": request.path,
                              "status": response.status_code, "duration_ms": milliseconds})
            # Django would log a 4xx or 5xx once more ("Not Found: /path"), after this middleware,
            # without the request id: this line says it (an exception was logged, with its id, already).
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response


def _level(request: HttpRequest, response: HttpResponse) -> int:
    """WARNING for a 4xx or 5xx (a remote failure's 502 is not an error of this app: the metrics
    count those), DEBUG for probes and scrapes, else INFO."""
    if response.status_code >= 400:
        return logging.WARNING
    return logging.DEBUG if request.path_info in QUIET_PATHS else logging.INFO
