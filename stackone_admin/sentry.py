"""Error reports to Sentry, when ``SENTRY_DSN`` is set (docs/operations/monitoring.md#error-reports).

Started from settings.py, so every process reports: gunicorn's workers, ``db_worker`` (a task that
fails is logged at ERROR by django-tasks, which the SDK's logging integration reports) and any
command. An event carries what an engineer needs (the exception, its stack without local
variables, the view or task, the request id as a tag) and no personal data: the SDK's
``send_default_pii`` stays off (no user, no address, no cookies), request bodies are never read,
and ``sentry_before_send`` removes the query string, every header but a few harmless ones,
candidate fields wherever a key names one, query strings in messages and breadcrumbs, and the API
key wherever it appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.transport import Transport

from candidates.exceptions import redact
from candidates.request_ids import request_id_get
from stackone_admin.log_format import redact_text, secrets_configured

if TYPE_CHECKING:
    from sentry_sdk._types import Event

# Keys whose values are a candidate's data (StackOne's field names, the audit's and bulk's
# copies of them, a search's terms): scrubbed wherever they appear in an event.
CANDIDATE_KEYS = [
    "name", "first_name", "last_name", "email", "emails", "phone", "phone_numbers", "social_links",
    "company", "title", "country", "custom_fields", "unified_custom_fields", "tags", "candidate",
    "candidates", "original", "current", "read_back", "base", "body", "request_body", "changes", "values",
    "baseline", "q",
]
SAFE_HEADERS = frozenset({"user-agent", "accept", "content-type", "content-length", "host", "x-request-id"})


def sentry_init(*, dsn: str, environment: str | None = None,
                transport: type[Transport] | None = None) -> None:
    """Start the SDK with this app's privacy settings (``transport``: tests capture events)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # send_default_pii is left at its default, off (2.x deprecates naming it): no user, no
        # address, no cookies. The EventScrubber below applies only while it is off.
        include_local_variables=False,  # a frame's locals hold candidates, forms and bodies
        max_request_body_size="never",
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + CANDIDATE_KEYS, recursive=True),
        before_send=sentry_before_send,
        transport=transport,
    )


def sentry_before_send(sent: Event, hint: dict[str, Any]) -> Event:
    """Return the event without request bodies, query strings, headers beyond ``SAFE_HEADERS``
    or the API key, tagged with the request id."""
    event = cast(dict[str, Any], sent)
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "query_string", "cookies", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = _without_query(request["url"])
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        if isinstance(crumb.get("message"), str):
            crumb["message"] = redact_text(crumb["message"])
        data = crumb.get("data") or {}
        for key in ("http.query", "http.fragment"):
            data.pop(key, None)
        if isinstance(data.get("url"), str):
            data["url"] = _without_query(data["url"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)  # the arguments, unredacted; "formatted" says it all
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = redact_text(logentry[key])
    for exception in (event.get("exception") or {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = redact_text(exception["value"])
    if request_id_get():
        event.setdefault("tags", {})["request_id"] = request_id_get()
    return cast("Event", redact(event, secrets_configured()))


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
