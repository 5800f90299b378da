"""What the sandbox accepts: PATCH bodies and query parameters.

Two layers, as with the real service: StackOne's own request validation (the body must match
``AtsUpdateCandidateRequestDto``; read-only and unknown properties are refused), then a couple
of provider rules (an email needs an "@"; ``hired_at`` must be an ISO date-time) so the app's
field-level error display can be exercised. Both report ``(field path, message)`` pairs that
the views turn into StackOne's 400 body with ``provider_errors[].raw.errors``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.schema import READ_ONLY_CANDIDATE_FIELDS, parse_datetime, schema_errors

UPDATE_SCHEMA = "AtsUpdateCandidateRequestDto"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class QueryError(ValueError):
    """A query parameter StackOne would refuse with 400."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def update_body_errors(body: Any) -> list[FieldError]:
    """Every reason the sandbox refuses this PATCH body (empty list: accepted)."""
    if not isinstance(body, dict):
        return [FieldError("", "request body must be a JSON object")]
    errors: list[FieldError] = []
    for name in body:
        if name in READ_ONLY_CANDIDATE_FIELDS:
            errors.append(FieldError(name, "property is read-only and cannot be updated"))
    for field, message in schema_errors(UPDATE_SCHEMA, body, strict=True):
        if field in READ_ONLY_CANDIDATE_FIELDS and message == "property should not exist":
            continue  # already reported above, with a better reason
        errors.append(FieldError(field, message))
    errors.extend(_provider_rule_errors(body))
    unique: list[FieldError] = []
    seen_fields: set[str] = set()
    for error in errors:
        # One message per field: the schema's wording wins over a provider rule on the same field.
        if error.field in seen_fields:
            continue
        seen_fields.add(error.field)
        unique.append(error)
    return unique


def _provider_rule_errors(body: dict[str, Any]) -> list[FieldError]:
    errors = []
    email = body.get("email")
    if isinstance(email, str) and "@" not in email:
        errors.append(FieldError("email", "is not a valid email"))
    emails = body.get("emails")
    if isinstance(emails, list):
        for index, item in enumerate(emails):
            value = item.get("value") if isinstance(item, dict) else None
            if isinstance(value, str) and "@" not in value:
                errors.append(FieldError(f"emails[{index}].value", "is not a valid email"))
    hired_at = body.get("hired_at")
    if isinstance(hired_at, str) and parse_datetime(hired_at) is None:
        errors.append(FieldError("hired_at", "is not a valid date-time"))
    return errors


# --- query parameters ----------------------------------------------------------------------


def parse_datetime_param(name: str, value: str | None) -> datetime | None:
    """`filter[updated_after]`-style value → aware datetime (naive means UTC); None if absent."""
    if value is None or value == "":
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise QueryError(f"{name} must be an ISO 8601 date-time, got {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_page_size(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(value)
    except ValueError:
        raise QueryError(f"page_size must be an integer between 1 and {MAX_PAGE_SIZE}") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be an integer between 1 and {MAX_PAGE_SIZE}")
    return size


def parse_raw(value: str | None) -> bool:
    """StackOne's ``raw`` flag: true adds the provider's own answer (``raw``) to the result."""
    if value is None or value == "":
        return False
    lowered = value.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise QueryError("raw must be a boolean (true or false)")


def parse_positive_int(name: str, value: str | None, default: int) -> int:
    """A 1-based number such as /accounts' ``page`` and ``page_size``. Raises QueryError."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f"{name} must be a whole number of at least 1") from None
    if number < 1:
        raise QueryError(f"{name} must be a whole number of at least 1")
    return number


def encode_cursor(created_at: datetime, candidate_id: str) -> str:
    """An opaque cursor: the sort key of the last row served (keyset pagination)."""
    payload = json.dumps({"v": 1, "after": [created_at.isoformat(), candidate_id]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        created_text, candidate_id = payload["after"]
        created_at = datetime.fromisoformat(created_text)
        if payload.get("v") != 1 or not isinstance(candidate_id, str) or created_at.tzinfo is None:
            raise ValueError
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise QueryError("next is not a valid cursor") from None
    return created_at, candidate_id


def split_list(value: str | None) -> list[str]:
    """'a, b,,c' → ['a', 'b', 'c']."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]
