"""The StackOne error hierarchy, the one place that maps an HTTP answer onto it, and the one
error map: what each failure tells a person, whether a write that failed so may still have been
applied, and the status of our page that reports it (``error_text``, ``page_status``).

No error text ever includes request headers, so the API key cannot leak through ``str(exc)``.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

# The API's list fields; a provider path like ``emails[0].value`` (or the JavaScript-style
# ``emails.0.value``) names its row and column.
_PATH = re.compile(
    r"^(?P<field>[A-Za-z_]+)(?:\[(?P<index>\d+)\]|\.(?P<dot_index>\d+))?(?:\.(?P<column>[A-Za-z_]+))?"
)


@dataclass(frozen=True)
class FieldError:
    """A provider validation message, with the API field (and list row/column) it names."""

    field: str | None
    message: str
    index: int | None = None
    column: str | None = None

    @classmethod
    def from_path(cls, path: str | None, message: str) -> FieldError:
        match = _PATH.match(path or "")
        if not match:
            return cls(field=None, message=message)
        index = match.group("index") or match.group("dot_index")
        return cls(
            field=match.group("field"),
            message=message,
            index=int(index) if index is not None else None,
            column=match.group("column"),
        )


class StackOneError(Exception):
    """Base of every StackOne failure. Carries status, StackOne's message and provider errors.

    The error map is three class attributes each subclass sets: ``sentence`` (what a person
    reads; ``{status}``, ``{message}``, ``{details}``, ``{wait}`` and ``{not_saved}`` are filled
    in by ``error_text``), ``may_have_applied`` (a write that failed so may still have landed)
    and ``page_status`` (the status of our page that reports it).
    """

    default_message = "StackOne request failed"
    sentence = "StackOne answered with an error ({status}): {message}{not_saved}."
    sentence_by_status: dict[int, str] = {}
    # What a failed save says when it differs from the sentence (the page names the candidate).
    write_sentence: str | None = None
    may_have_applied = False
    page_status = 502

    def __init__(
        self,
        message: str | None = None,
        *,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        error_code: str | None = None,
        provider_errors: tuple[dict[str, Any], ...] = (),
        retry_after: float | None = None,
        retries: int = 0,
    ) -> None:
        self.message = message or self.default_message
        self.status_code = status_code
        self.method = method
        self.url = url
        self.error_code = error_code
        self.provider_errors = provider_errors
        self.retry_after = retry_after
        self.retries = retries
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method and self.url else ""
        status = f"{self.status_code} " if self.status_code else ""
        return f"{status}{self.message}{where}"

    @property
    def log_text(self) -> str:
        """What a log line says of this error: its kind, status, StackOne's error code, method,
        path and retries. Never StackOne's message nor the query string: either may echo
        candidate data (an email searched for, a rejected value)."""
        path = urlsplit(self.url).path if self.url else "-"
        return (f"{type(self).__name__} status={self.status_code or '-'} code={self.error_code or '-'} "
                f"{self.method or '-'} {path} retries={self.retries}")

    @property
    def field_errors(self) -> tuple[FieldError, ...]:
        """Provider messages that name a field, read leniently from ``provider_errors[].raw``."""
        found: list[FieldError] = []
        for provider_error in self.provider_errors:
            raw = provider_error.get("raw") if isinstance(provider_error, dict) else None
            found.extend(_field_errors_in(raw))
        return tuple(found)

    @property
    def provider_messages(self) -> tuple[str, ...]:
        """Every provider message, for display on top of the form when no field matches."""
        messages: list[str] = []
        for provider_error in self.provider_errors:
            raw = provider_error.get("raw") if isinstance(provider_error, dict) else None
            if isinstance(raw, dict) and isinstance(raw.get("message"), str):
                messages.append(raw["message"])
            messages.extend(error.message for error in _field_errors_in(raw) if error.field is None)
        return tuple(messages)


def _field_errors_in(raw: Any) -> list[FieldError]:
    if not isinstance(raw, dict):
        return []
    errors = raw.get("errors")
    found: list[FieldError] = []
    if isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict) and isinstance(item.get("message"), str):
                found.append(FieldError.from_path(_as_str(item.get("field")), item["message"]))
    elif isinstance(errors, dict):
        for path, messages in errors.items():
            for message in messages if isinstance(messages, list) else [messages]:
                if isinstance(message, str):
                    found.append(FieldError.from_path(str(path), message))
    return found


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class StackOneInvalidRequest(StackOneError):
    """Refused before sending: an argument could not be sent safely (e.g. a control character)."""

    default_message = "The request could not be sent safely"
    sentence = "{message}. Nothing was sent."
    page_status = 404


class StackOneAuthError(StackOneError):
    """401 (API key rejected) or 403 (key or linked account lacks permission)."""

    default_message = "StackOne rejected the credentials"
    sentence = ("StackOne rejected the API key (401){not_saved}. "
                "Ask an administrator to check STACKONE_API_KEY.")
    sentence_by_status = {403: "StackOne refused this request (403): the API key or the linked account "
                               "lacks permission for it{not_saved}. Ask an administrator to check the key's "
                               "scopes."}


class StackOneAccountUnavailable(StackOneError):
    """412: the linked account belongs to a disabled integration (suspended or expired)."""

    default_message = "The linked account is not active"
    sentence = ("This linked account is not active in StackOne (412: suspended, expired or its integration "
                "is disabled){not_saved}. Reconnect it in StackOne, or pick another account.")


class StackOneNotFound(StackOneError):
    default_message = "Resource not found"
    write_sentence = "This candidate no longer exists in StackOne (404); nothing was saved."
    page_status = 404


class StackOneValidationError(StackOneError):
    """400 or 422: StackOne or the provider rejected the request; nothing was applied."""

    default_message = "StackOne rejected the request"
    sentence = "StackOne: {full_message}{details}"
    page_status = 400


class StackOneConflict(StackOneError):
    default_message = "Conflict with the current state"
    sentence = "StackOne reported a conflict (409): {message}{not_saved}."


class StackOneNotSupported(StackOneError):
    """501: the provider behind this account does not implement the operation."""

    default_message = "This operation is not supported for this provider"
    sentence = "The ATS behind this account does not support this operation (501){not_saved}."


class StackOneRateLimited(StackOneError):
    """429 after the client's retries: rejected before processing, so nothing was applied."""

    default_message = "Too many requests"
    sentence = "StackOne is rate limiting requests (429){not_saved}.{wait}"


class StackOneBudgetSpent(StackOneRateLimited):
    """Not sent: a page's call would have waited longer than ``STACKONE_INTERACTIVE_MAX_WAIT`` for
    the shared StackOne budget (``candidates.budget``), so nothing was applied."""

    default_message = "The StackOne call budget is spent for now"
    sentence = "This app is making as many StackOne calls as StackOne allows right now{not_saved}.{wait}"
    page_status = 503  # this app is busy (no gateway failed): StackOne was never called


class StackOneUnavailable(StackOneError):
    """No answer, 408 or 5xx: for a write, the outcome is unknown."""

    default_message = "StackOne did not answer"
    sentence = "StackOne did not answer in time or is unavailable. Try again in a moment."
    write_sentence = "StackOne did not confirm the save; it may or may not have been applied."
    may_have_applied = True


class StackOneBadResponse(StackOneUnavailable):
    """A 2xx whose body is not the JSON we expect: for a write, the outcome is unknown."""

    default_message = "StackOne sent an unexpected response"
    sentence = "StackOne sent a response this app could not read."


UNKNOWN_OUTCOME = "the outcome is unknown: it may or may not have been saved."


def error_details(error: StackOneError, unplaced: list[str] | None = None) -> str:
    """Return StackOne's message with the provider's details in brackets (bulk rows, the form's
    top). ``unplaced``: the field messages not already shown beside their field (default: all)."""
    if unplaced is None:
        unplaced = [f"{e.field}: {e.message}" if e.field else e.message for e in error.field_errors]
    details = list(error.provider_messages) + unplaced
    return error.message + (f" ({'; '.join(details)})" if details else "")


def error_text(error: StackOneError, *, write: bool = False, unplaced: list[str] | None = None) -> str:
    """Return the sentence a person reads for ``error`` (never the key or headers).

    ``write``: the failure ended a save, so say whether anything was saved; a read-only page
    never says "nothing was saved". ``unplaced``: see ``error_details``.
    """
    template = error.sentence_by_status.get(error.status_code or 0, error.sentence)
    if write and error.write_sentence:
        template = error.write_sentence
    details = error_details(error, unplaced)[len(error.message):]
    wait = f" Try again in {error.retry_after:g} seconds." if error.retry_after else " Try again shortly."
    return template.format(
        status=error.status_code or "no status", message=error.message.rstrip("."),
        full_message=error.message, details=details,
        wait=wait if isinstance(error, StackOneRateLimited) else "",
        not_saved="; nothing was saved" if write and not error.may_have_applied else "",
    )


def error_row_text(error: StackOneError) -> str:
    """Return what a bulk row records: StackOne's own words, and whether it may have landed."""
    return error_details(error) + (f" — {UNKNOWN_OUTCOME}" if error.may_have_applied else "")


_BY_STATUS: dict[int, type[StackOneError]] = {
    400: StackOneValidationError,
    401: StackOneAuthError,
    403: StackOneAuthError,
    404: StackOneNotFound,
    408: StackOneUnavailable,
    409: StackOneConflict,
    412: StackOneAccountUnavailable,
    422: StackOneValidationError,
    429: StackOneRateLimited,
    501: StackOneNotSupported,
}


REDACTED = "[redacted]"


def api_key_forms(api_key: str) -> tuple[str, ...]:
    """Return the API key as it may appear in text: itself and its Basic-auth form (the key as
    username, an empty password, base64); none for no key. What ``redact`` is given."""
    if not api_key:
        return ()
    return api_key, base64.b64encode(f"{api_key}:".encode()).decode()


def redact(value: Any, secrets: tuple[str, ...]) -> Any:
    """Return ``value`` (any JSON) with every occurrence of ``secrets`` replaced by [redacted]."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {redact(key, secrets): redact(item, secrets) for key, item in value.items()}
    return value


def error_from_response(
    response: requests.Response, *, retries: int = 0, secrets: tuple[str, ...] = ()
) -> StackOneError:
    """Return the typed error for a non-2xx ``response`` (the only status→error mapping).

    ``secrets`` (the API key and its Basic form) are redacted from everything read from the
    body: a provider error may echo the request, and its text reaches pages, logs and audit rows.
    """
    status = response.status_code
    cls = _BY_STATUS.get(status) or (StackOneUnavailable if status >= 500 else StackOneError)
    try:
        body = redact(response.json(), secrets)
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    provider_errors = body.get("provider_errors")
    message = body.get("message")
    error_code = body.get("errorCode")
    return cls(
        message if isinstance(message, str) and message else redact(response.reason, secrets) or None,
        status_code=status,
        method=response.request.method if response.request is not None else None,
        url=response.url,
        error_code=error_code if isinstance(error_code, str) else None,
        provider_errors=tuple(e for e in provider_errors if isinstance(e, dict))
        if isinstance(provider_errors, list)
        else (),
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
        retries=retries,
    )


def parse_retry_after(value: str | None) -> float | None:
    """Return Retry-After in seconds, or None when absent or unreadable.

    StackOne sends delta-seconds; an HTTP-date (RFC 9110) and a fractional number are read
    too, since a proxy in front of StackOne may send either. "nan", "inf" and garbage → None.
    """
    if not value or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is always GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)
