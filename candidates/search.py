"""The candidate search forms (the directory's, and StackOne's exact-email search it falls back
to) and the cursor trail that gives StackOne's cursor pages a "Previous" link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms

from candidates.date_filters import FilterDateField
from candidates.directory.search import DirectoryFilters, DirectoryQuery
from candidates.form_renderer import FORM_RENDERER

PAGE_SIZES = (10, 25, 50, 100)


class CandidateSearchForm(forms.Form):
    default_renderer = FORM_RENDERER  # the app's field group (candidates/form_renderer.py)

    email = forms.CharField(label="Email", required=False, max_length=320,
                            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    updated_after = FilterDateField(label="Updated after")
    page_size = forms.TypedChoiceField(
        label="Page size", required=False, coerce=int,
        empty_value=25,  # type: ignore[arg-type]  # django-stubs type it str | None; Django returns any value
        choices=[(size, str(size)) for size in PAGE_SIZES], initial=25)


# Longer queries are refused with a message beside the box (the search itself reads 8 words).
QUERY_MAX_CHARS = 200
SORT_CHOICES = [("relevance", "Relevance"), ("updated", "Recently updated"), ("name", "Name")]


class DirectorySearchForm(forms.Form):
    """The list page's search over the candidate directory: one box, a sort, filters, page size."""

    default_renderer = FORM_RENDERER  # the app's field group (candidates/form_renderer.py)

    q = forms.CharField(
        label="Search", required=False, max_length=QUERY_MAX_CHARS, strip=True,
        help_text="Any part of a name, email, phone number, company, title or ID. Several words narrow.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    company = forms.CharField(label="Company", required=False, max_length=QUERY_MAX_CHARS)
    title = forms.CharField(label="Title", required=False, max_length=QUERY_MAX_CHARS)
    country = forms.CharField(label="Country", required=False, max_length=100)
    updated_from = FilterDateField(label="Updated from")
    updated_to = FilterDateField(label="Updated to")
    created_from = FilterDateField(label="Created from")
    created_to = FilterDateField(label="Created to")
    no_email = forms.BooleanField(label="Has no email", required=False)
    no_phone = forms.BooleanField(label="Has no phone", required=False)
    page_size = forms.TypedChoiceField(
        label="Page size", required=False, coerce=int,
        empty_value=25,  # type: ignore[arg-type]  # django-stubs type it str | None; Django returns any value
        choices=[(size, str(size)) for size in PAGE_SIZES], initial=25)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start, end in (("updated_from", "updated_to"), ("created_from", "created_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, "This date is before the start of the range.")
        return cleaned

    def query(self, *, page: int) -> DirectoryQuery:
        """Return the directory query of a valid form, for page ``page``."""
        data = self.cleaned_data
        filters = DirectoryFilters(
            company=data["company"], title=data["title"], country=data["country"],
            updated_from=data["updated_from"], updated_to=data["updated_to"],
            created_from=data["created_from"], created_to=data["created_to"],
            no_email=data["no_email"], no_phone=data["no_phone"],
        )
        return DirectoryQuery(q=data["q"], filters=filters, sort=data["sort"] or "relevance", page=page,
                              page_size=data["page_size"] or 25)


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
