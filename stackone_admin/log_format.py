"""How a log line is written (``stackone_admin.log_config``): the request id on every record, and
two formatters, text and JSON, whose output is redacted as the last guard before a line is written.

``RequestIdFilter`` gives every record the request id bound where it was logged ("-" outside a
request or task). Both formatters remove query strings (a search's ``q``, ``filter[email]`` of a
StackOne call) and the API key from the whole line, traceback included, without changing the
record (other handlers, Sentry's among them, see it as logged). ``JsonLogFormatter`` writes only
the fields it names, so nothing passed as ``extra`` (Django's ``request``, whose text includes
the query string) reaches a line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from candidates.exceptions import REDACTED, api_key_forms, redact
from candidates.request_ids import request_id_get

# "?name=value…" after a path or a host: the query string of a URL in a message.
QUERY_STRING = re.compile(r"(?<=[\w/])(\?|%3F)[^\s\"'<>\\]*=[^\s\"'<>\\]*", re.IGNORECASE)
# The fields a JSON line may hold (after renaming); the access line adds its own four.
JSON_KEYS = frozenset({"time", "level", "logger", "request_id", "message", "exc_info", "stack_info",
                       "method", "path", "status", "duration_ms"})


def secrets_configured() -> tuple[str, ...]:
    """Return every form of the configured API keys (StackOne's and the sandbox's)."""
    return api_key_forms(settings.STACKONE_API_KEY) + api_key_forms(getattr(settings, "SANDBOX_API_KEY", ""))


def redact_text(text: str) -> str:
    """Return ``text`` without query strings and without the API key."""
    return redact(QUERY_STRING.sub(r"\1" + REDACTED, text), secrets_configured())


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_get() or "-"
        return True


class TextLogFormatter(logging.Formatter):
    """Plain text, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


class JsonLogFormatter(JsonFormatter):
    """One JSON object a line, redacted: time, level, logger, request_id, message (and exc_info,
    and the access line's method, path, status and duration_ms); nothing else the record carries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in log_data.items() if key in JSON_KEYS}

    def format(self, record: logging.LogRecord) -> str:
        # Neither pattern can match across a JSON string's quotes, so the line stays valid JSON.
        return redact_text(super().format(record))
