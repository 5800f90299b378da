"""Helpers for the sandbox tests: a test-client wrapper and a response checker."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from sandbox.seed import GREENHOUSE
from tests.sandbox_support import api_headers, validate_against

CANDIDATES_URL = "/sandbox/unified/ats/candidates"


class Api:
    """The Django test client speaking to the sandbox with valid credentials."""

    def __init__(self, client: Client, account_id: str | None = GREENHOUSE):
        self.client = client
        self.account_id = account_id

    def headers(self, account_id: str | None = None) -> dict[str, str]:
        return api_headers(account_id if account_id is not None else self.account_id)

    def get(self, path: str, params: dict[str, Any] | None = None, account_id: str | None = None, **extra):
        return self.client.get(path, params or {}, **{**self.headers(account_id), **extra})

    def patch(self, path: str, body: Any, account_id: str | None = None, raw: str | None = None, **extra):
        data = raw if raw is not None else json.dumps(body)
        return self.client.patch(
            path, data, content_type="application/json", **{**self.headers(account_id), **extra}
        )

    def candidate(self, candidate_id: str, **params):
        response = self.get(f"{CANDIDATES_URL}/{candidate_id}", params)
        assert response.status_code == 200, response.content
        return response.json()["data"]


def body_of(response, schema: str, spec: str = "ats") -> Any:
    """The JSON body, after checking it against the spec's response schema."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    validate_against(schema, body, spec)
    return body
