"""``{% account_allows "candidates.bulk_update" account_id as can_sync %}``: whether the signed-in
user has a permission on one linked account (``perms.…`` in templates answers for any account)."""

from __future__ import annotations

from typing import Any

from django import template

from candidates.access import access_allows

register = template.Library()


@register.simple_tag(takes_context=True)
def account_allows(context: dict[str, Any], perm: str, account_id: str) -> bool:
    """Return True when the request's user has ``perm`` on ``account_id``."""
    request = context.get("request")
    return request is not None and access_allows(request.user, perm, account_id)
