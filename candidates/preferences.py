"""Per-user preferences (today: whether Save shows the review page first)."""

from __future__ import annotations

from typing import Any

from candidates.models import UserPreference


def preference_review(user: Any) -> bool:
    """Return whether ``user`` reviews changes before they are sent (on by default)."""
    if not getattr(user, "pk", None):
        return True
    # One row at most (one-to-one); no ORDER BY, unlike first(): this runs on every edit page.
    stored = UserPreference.objects.filter(user=user).values_list("review_before_save", flat=True)
    return next(iter(stored), True)


def preference_review_set(*, user: Any, review_before_save: bool) -> None:
    """Store ``user``'s choice."""
    UserPreference.objects.update_or_create(user=user, defaults={"review_before_save": review_before_save})
