"""The sandbox's ``GET /accounts/{id}/meta``: LinkedAccountMeta, per provider."""

from __future__ import annotations

import pytest

from candidates.types import AccountMeta
from sandbox.seed import GREENHOUSE, LEVER, WORKABLE
from tests.sandbox.helpers import body_of
from tests.sandbox_support import api_headers

pytestmark = pytest.mark.django_db


def _meta(client, account_id: str) -> dict:
    response = client.get(f"/sandbox/accounts/{account_id}/meta", **api_headers())  # no x-account-id
    assert response.status_code == 200
    return body_of(response, "LinkedAccountMeta", "core")


def test_lever_lists_the_candidate_update_fields_it_accepts(client, seeded):
    body = _meta(client, LEVER)
    assert body["provider"] == "lever" and body["category"] == "ats"
    meta = AccountMeta.from_api(body)
    assert meta.provider == "lever"
    assert {"hired_at", "social_links", "phone"}.isdisjoint(meta.candidate_update_fields)
    assert {"first_name", "email", "emails", "custom_fields"} <= set(meta.candidate_update_fields)


def test_greenhouse_accepts_every_field_and_workable_lists_nothing(client, seeded):
    assert "hired_at" in AccountMeta.from_api(_meta(client, GREENHOUSE)).candidate_update_fields
    workable = _meta(client, WORKABLE)  # meta does not need an active account
    assert workable["models"] == {} and AccountMeta.from_api(workable).candidate_update_fields == ()


def test_an_unknown_account_is_404(client, seeded):
    missing = client.get("/sandbox/accounts/nope/meta", **api_headers())
    assert missing.status_code == 404
    body_of(missing, "NotFoundResponse", "core")


@pytest.mark.parametrize("models", [
    None, [], {"candidates": []}, {"candidates": {"update": {"input": {}}}},
    {"candidates": {"update": {"input": {"defaultFields": [1, {"name": 2}]}}}},
])
def test_odd_meta_lists_no_fields(models) -> None:
    assert AccountMeta.from_api({"provider": "x", "models": models}).candidate_update_fields == ()
