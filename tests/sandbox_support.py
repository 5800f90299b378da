"""Contract helpers shared by the suite (thin wrappers over sandbox.schema).

    from tests.sandbox_support import validate_against, request_body_errors

- ``validate_against(schema_name, instance, spec="ats")`` raises ``SchemaMismatch`` (an
  AssertionError listing every "path: message") unless ``instance`` matches the named component
  schema of the vendored spec (``spec="core"`` for ``LinkedAccount`` …; ``"Name[]"`` = array).
- ``request_body_errors(body)`` lists what is wrong with a PATCH candidate body against
  ``AtsUpdateCandidateRequestDto`` — strictly: undeclared top-level properties (id, tags, …) are
  errors too. Provider rules (an email needs "@") are the sandbox's, not the contract's.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings

from sandbox.schema import SchemaMismatch, schema_errors
from sandbox.schema import validate_against as _validate_against

__all__ = ["SchemaMismatch", "api_headers", "request_body_errors", "validate_against"]

UPDATE_SCHEMA = "AtsUpdateCandidateRequestDto"


def validate_against(schema_name: str, instance: Any, spec: str = "ats") -> None:
    _validate_against(schema_name, instance, spec)


def request_body_errors(body: Any) -> list[str]:
    """["emails[0].value: must be a string or null", …]; empty when the body is valid."""
    return [
        f"{field or '(root)'}: {message}"
        for field, message in schema_errors(UPDATE_SCHEMA, body, strict=True)
    ]


def api_headers(account_id: str | None = None) -> dict[str, str]:
    """Django test-client headers for the sandbox: Basic auth (+ x-account-id)."""
    token = base64.b64encode(f"{settings.SANDBOX_API_KEY}:".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}
    if account_id is not None:
        headers["HTTP_X_ACCOUNT_ID"] = account_id
    return headers
