"""Email and Emails kept together (issue 13, item 2).

A candidate's ``email`` is usually also one of its ``emails`` rows. Correcting a typo in one
must not leave the typo in the other: when Email changes and its old address is an Emails row
the user left alone, that row follows (type kept); when an Emails row equal to Email changes and
Email was left alone, Email follows. The user can keep the old value (``KEEP_KEY`` posted): on
the review page, which shows the follow either way, or on the edit page itself, whose Email
input carries the "Keep … in Emails" checkbox (``KeepOldEmailInput``), the only place to choose
when the review step is off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.html import format_html

from candidates.payloads import text

if TYPE_CHECKING:
    from candidates.payloads import CandidateEdit
    from candidates.types import Candidate

KEEP_KEY = "keep_old_email"
KEEP_ID = "id_keep_old_email"


def keep_chosen(data: Any) -> bool:
    """Return True when ``data`` (a POST) carries the choice to keep the old address."""
    return str(data.get(KEEP_KEY, "") if data is not None else "").lower() in ("on", "1", "true", "yes")


class KeepOldEmailInput(forms.EmailInput):
    """The Email input followed, when the editor offers it (``offer``), by the checkbox "Keep
    <old address> in Emails when Email changes". Hidden (until the script sees Email change)
    unless ``shown``: with the review step on, the review page offers the same choice."""

    keep_old: str = ""  # the address an Emails row holds: "" offers no choice
    shown = False
    checked = False

    def offer(self, old: str, *, shown: bool, checked: bool) -> None:
        self.keep_old, self.shown, self.checked = old, shown, checked

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> Any:
        html = super().render(name, value, attrs, renderer)
        if not self.keep_old:
            return html
        return html + format_html(
            '<div class="keep-old-email" data-keep-old-email="{}"{}>'
            '<input type="checkbox" name="{}" value="on" id="{}" aria-describedby="{}_helptext"{}> '
            '<label for="{}">Keep <strong>{}</strong> in Emails when Email changes</label>'
            '<p class="help" id="{}_helptext">Otherwise the Emails row holding it changes to the new '
            'address too.</p></div>',
            self.keep_old, "" if self.shown else " hidden", KEEP_KEY, KEEP_ID, KEEP_ID,
            " checked" if self.checked else "", KEEP_ID, self.keep_old, KEEP_ID)


@dataclass(frozen=True)
class EmailFollow:
    """One field following the other: ``field`` ("emails" or "email") changes from ``old`` to
    ``new`` because the other did, unless ``kept`` (the user chose to keep ``old``)."""

    field: str
    old: str
    new: str
    kept: bool = False


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
