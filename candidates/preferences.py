"""Per-user preferences (today: whether Save shows the review page first)."""

from __future__ import annotations

from typing import Any

from candidates.models import UserPreference


def preference_review(user: Any) -> bool:
    """Return whether ``user`` reviews changes before they are sent (on by default)."""
    if not getattr(user, "pk", None):
        return True
    preference = UserPreference.objects.filter(user=user).only("review_before_save").first()
    return True if preference is None else preference.review_before_save


def preference_review_set(*, user: Any, review_before_save: bool) -> None:
    """Store ``user``'s choice."""
    UserPreference.objects.update_or_create(user=user, defaults={"review_before_save": review_before_save})
