"""The candidate search form and the cursor trail that gives cursor pages a "Previous" link."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

PAGE_SIZES = (10, 25, 50, 100)


class CandidateSearchForm(forms.Form):
    email = forms.CharField(label="Email", required=False, max_length=320,
                            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    updated_after = forms.DateField(label="Updated after", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    page_size = forms.TypedChoiceField(label="Page size", required=False, coerce=int, empty_value=25,
                                       choices=[(size, str(size)) for size in PAGE_SIZES], initial=25)


def page_links(query: dict[str, str], *, cursor: str | None, trail: list[str],
               next_cursor: str | None) -> tuple[str | None, str | None]:
    """Return the query strings of the previous and next pages (None where there is none).

    StackOne has no backwards cursor, so the cursors already visited travel in the URL
    (``prev``, repeated), which also keeps every page bookmarkable.
    """
    previous = None
    if cursor:
        back = dict(query)
        if trail[-1:] and trail[-1]:
            back["cursor"] = trail[-1]
        previous = urlencode(list(back.items()) + [("prev", c) for c in trail[:-1]])
    following = None
    if next_cursor:
        forward = dict(query, cursor=next_cursor)
        following = urlencode(list(forward.items()) + [("prev", c) for c in trail + [cursor or ""]])
    return previous, following
