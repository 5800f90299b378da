"""``GET /accounts/{id}/meta`` (core ``LinkedAccountMeta``): which candidate fields each sandbox
provider's connector accepts on update, as StackOne lists them per model and operation.

Greenhouse accepts every field; Lever omits a few (Hired at, Social links, the deprecated
Phone), so the app's provider-aware form can be seen and tested; other providers list nothing
for candidates (the app then keeps every field editable).
"""

from __future__ import annotations

from typing import Any

from sandbox.models import SandboxAccount

CANDIDATE_UPDATE_FIELDS = (
    "name", "first_name", "last_name", "email", "emails", "phone_numbers", "phone", "social_links",
    "company", "title", "country", "hired_at", "application_ids", "custom_fields",
    "unified_custom_fields", "passthrough",
)
FIELD_TYPES = {
    "emails": "array", "phone_numbers": "array", "social_links": "array", "application_ids": "array",
    "custom_fields": "array", "unified_custom_fields": "object", "passthrough": "object",
    "hired_at": "datetime_string",
}
NOT_ACCEPTED = {
    "greenhouse": (),
    "lever": ("hired_at", "social_links", "phone"),
}


def account_meta(account: SandboxAccount) -> dict[str, Any]:
    """Return the account's LinkedAccountMeta body."""
    models: dict[str, Any] = {}
    if account.provider in NOT_ACCEPTED:
        fields = [name for name in CANDIDATE_UPDATE_FIELDS if name not in NOT_ACCEPTED[account.provider]]
        models["candidates"] = {
            "get": {"apiPath": "/unified/ats/candidates/:id",
                    "output": {"defaultFields": [{"name": "id", "type": "string"}]}},
            "update": {"apiPath": "/unified/ats/candidates/:id", "input": {"defaultFields": [
                {"name": name, "type": FIELD_TYPES.get(name, "string")} for name in fields]}},
        }
    return {"provider": account.provider, "category": "ats", "models": models}
