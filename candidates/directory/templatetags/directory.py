"""``{% directory_status_of account_id as status %}``: an account's directory state in a template
(the accounts page lists several accounts; its view stays as it is)."""

from __future__ import annotations

from django import template

from candidates.directory.status import DirectoryStatus, directory_status

register = template.Library()


@register.simple_tag
def directory_status_of(account_id: str, active: bool | None = None) -> DirectoryStatus:
    """Return the account's directory state (``active``: whether StackOne lists it as active)."""
    return directory_status(account_id=account_id, active=active)


@register.filter
def duration(seconds: float | None) -> str:
    """Return "about 3 min" / "about 40 s" for an estimate in seconds ("" when unknown)."""
    if seconds is None:
        return ""
    if seconds >= 90:
        return f"about {round(seconds / 60)} min"
    return f"about {max(round(seconds), 1)} s"
