"""Rules for values a user types, shared by the edit page's forms and the bulk CSV parser:
email addresses, web addresses, JSON objects and typed custom field values (phone numbers:
``candidates.phones``).
Each raises Django's ValidationError with the sentence shown beside the field."""

from __future__ import annotations

import json
import math
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from email_validator import EmailNotValidError, validate_email

from candidates.json_input import MAX_JSON_DEPTH, JsonTooDeep, NonStandardNumber, json_error_text, json_read
from candidates.types import JSONObject, JSONValue

MAX_JSON_CHARS = 100_000


def validate_email_address(value: str) -> None:
    """Accept internationalised addresses (RFC 6531); no DNS lookups."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        # email_validator's own reasons are technical ("the part after the @-sign…"): an example says more.
        raise ValidationError("Enter an email address like name@example.com.", code="invalid") from exc


validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a full web address starting with https:// or http://."
)


def _too_deep_message(label: str) -> str:
    return f"{label} is nested too deeply (at most {MAX_JSON_DEPTH} levels of lists and objects)."


def parse_json_object(value: str, *, label: str) -> JSONObject | None:
    """Return the JSON object typed in ``value`` (None when empty). Raises ValidationError."""
    if not value.strip():
        return None
    if len(value) > MAX_JSON_CHARS:
        raise ValidationError(f"{label} is too long (at most {MAX_JSON_CHARS:,} characters).")
    try:
        parsed = json_read(value)
    except JsonTooDeep as exc:
        raise ValidationError(_too_deep_message(label)) from exc
    except ValueError as exc:
        raise ValidationError(f"{label} is not valid JSON: {json_error_text(exc, value)}.") from exc
    if not isinstance(parsed, dict):
        raise ValidationError(f'{label} must be a JSON object, e.g. {{"key": "value"}}.')
    return parsed


def validate_iso_date(value: str) -> str:
    """Return a calendar date typed as YYYY-MM-DD (what a date input posts and StackOne's date
    custom fields hold). Raises ValidationError."""
    stripped = value.strip()
    try:
        if len(stripped) != 10:
            raise ValueError(stripped)
        date.fromisoformat(stripped)
    except ValueError as exc:
        raise ValidationError("Enter a date as YYYY-MM-DD, e.g. 2024-05-01.", code="invalid") from exc
    return stripped


def typed_value(raw: str, kind: str) -> JSONValue:
    """Return the custom field value typed as ``kind`` (None for a blank number, boolean or
    JSON: an emptied value is a clear). Raises ValidationError."""
    if kind == "null":
        return None
    if kind == "text":
        return raw
    stripped = raw.strip()
    if not stripped:
        return None
    if kind == "boolean":
        lowered = stripped.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValidationError("Enter yes or no (or true or false).", code="invalid")
    if kind == "number":
        try:
            number = json.loads(stripped)
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValidationError("Enter a number, e.g. 30 or 2.5.", code="invalid")
        try:
            finite = math.isfinite(number)
        except OverflowError as exc:  # an integer with hundreds of digits: no ATS stores that as a number
            raise ValidationError("That number is too large; choose Text if it is an identifier.",
                                  code="invalid") from exc
        if not finite:  # NaN, Infinity
            raise ValidationError("Enter a number, e.g. 30 or 2.5.", code="invalid")
        return number
    try:
        parsed = json_read(stripped)
    except JsonTooDeep as exc:
        raise ValidationError(_too_deep_message("The value"), code="invalid") from exc
    except NonStandardNumber as exc:
        raise ValidationError(f"Not valid JSON: {exc}.", code="invalid") from exc
    except ValueError as exc:
        reason = json_error_text(exc, stripped)
        raise ValidationError(f"Not valid JSON: {reason}. Enter a JSON list or object, e.g. [\"a\", \"b\"].",
                              code="invalid") from exc
    if not isinstance(parsed, (list, dict)):
        raise ValidationError("Enter a JSON list or object, e.g. [\"a\", \"b\"].", code="invalid")
    return parsed


