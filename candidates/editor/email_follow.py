"""Email and Emails kept together (issue 13, item 2).

A candidate's ``email`` is usually also one of its ``emails`` rows. Correcting a typo in one
must not leave the typo in the other: when Email changes and its old address is an Emails row
the user left alone, that row follows (type kept); when an Emails row equal to Email changes and
Email was left alone, Email follows. The user can keep the old value (``KEEP_KEY`` posted): on
the review page, which shows the follow either way, or on the edit page itself, whose Email
input is followed by the "Keep … in Emails" checkbox (``KeepOldOffer``), the only place to
choose when the review step is off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from candidates.editor.fields import text
from candidates.editor.payloads import CandidateEdit, EmailFollow
from candidates.types import Candidate

KEEP_KEY = "keep_old_email"


def keep_chosen(data: Any) -> bool:
    """Return True when ``data`` (a POST) carries the choice to keep the old address."""
    return str(data.get(KEEP_KEY, "") if data is not None else "").lower() in ("on", "1", "true", "yes")


@dataclass(frozen=True)
class KeepOldOffer:
    """The edit page's "Keep <old> in Emails when Email changes" checkbox (drawn beside Email by
    ``candidates/jinja2/candidates/editor/groups.html``): hidden until the script sees Email
    change unless ``shown``; ``checked`` when the POST chose it."""

    old: str
    shown: bool
    checked: bool


def same_address(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def email_follow(original: Candidate, edit: CandidateEdit, *, row_changes: list[tuple[str, str]],
                 keep: bool) -> CandidateEdit:
    """Return ``edit`` with Email and Emails kept together, its ``email_follow`` saying what followed.

    ``row_changes`` are the Emails rows the user changed, as (address loaded, address typed);
    ``keep`` is the user's choice to keep the old value. Returns ``edit`` unchanged when nothing
    needs to follow.
    """
    old = text(original.email)
    new = edit.scalars.get("email")
    if old is None:
        return edit
    rows = list(edit.rows.get("emails", []))
    if new is not None and new != old:
        # Email changed: the row still holding the old address follows, unless the new one is listed.
        index = next((i for i, row in enumerate(rows) if same_address(row.get("value"), old)), None)  # type: ignore[arg-type]
        if index is None or any(same_address(row.get("value"), new) for row in rows):  # type: ignore[arg-type]
            return edit
        follow = EmailFollow(field="emails", old=str(rows[index]["value"]), new=new, kept=keep)
        if not keep:
            rows[index] = {**rows[index], "value": new}
        return replace(edit, rows={**edit.rows, "emails": rows}, email_follow=follow)
    if new == old:
        # Email left alone: it follows the change of the row that held it.
        typed = next((after for before, after in row_changes if same_address(before, old)), None)
        if typed is None or same_address(typed, old):
            return edit
        follow = EmailFollow(field="email", old=old, new=typed, kept=keep)
        scalars = edit.scalars if keep else {**edit.scalars, "email": typed}
        return replace(edit, scalars=scalars, email_follow=follow)
    return edit
