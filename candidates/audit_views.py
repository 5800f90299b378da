"""The audit log pages: a candidate's History tab, the audit list with filters, CSV export,
and the review-step preference."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from candidates.access import access_allows, access_filter, access_reach
from candidates.csv_cells import csv_cell
from candidates.date_filters import FilterDateField
from candidates.directory.search import directory_enabled
from candidates.directory.selectors import (
    directory_candidate_name,
    directory_candidate_names,
    directory_candidates_named,
)
from candidates.editor.change_text import changes_text, recorded_changes
from candidates.form_renderer import FORM_RENDERER
from candidates.models import AuditEntry
from candidates.preferences import preference_review_set
from candidates.roles import (
    AUDIT_PERMISSION,
    EDIT_PERMISSION,
    VIEW_PERMISSION,
    auditor_required,
    permission_page,
)
from candidates.selectors import audit_candidate_history, audit_entry_list
from candidates.services import custom_field_definitions_cached
from candidates.types import CustomFieldDefinition

CSV_COLUMNS = ["created_at", "completed_at", "username", "identity_issuer", "identity_subject", "source",
               "account_id", "candidate_id", "candidate_name", "outcome", "status_code", "message",
               "returned_id", "returned_remote_id", "fields", "changes", "request_body", "warnings",
               "others_changed", "duration_ms", "retries", "id", "reverts"]


class AuditFilterForm(forms.Form):
    default_renderer = FORM_RENDERER  # the app's field group (candidates/form_renderer.py)

    user = forms.CharField(label="User", required=False, max_length=150)
    account = forms.CharField(label="Account ID", required=False, max_length=255)
    candidate = forms.CharField(label="Candidate", required=False, max_length=255,
                                help_text="A name or part of one, an email, or an ID.")
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=[("", "Any")] + list(AuditEntry.Outcome.choices))
    date_from = FilterDateField(label="From")
    date_to = FilterDateField(label="To")


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict | None]:
    """Return the bound filter form and its filters; None when a filter is invalid.

    An invalid filter must never fall back to "no filter": that would list or export every entry.
    """
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    if not form.is_valid():
        return form, None
    filters = dict(form.cleaned_data)
    if filters.get("candidate") and directory_enabled():
        # A name (or part of one) through the directory's search, in the accounts the reader's
        # audit grant reaches (the entries are narrowed to them anyway); the id matches too.
        reach = access_reach(request.user, AUDIT_PERMISSION)
        accounts: list[str] | None = None if reach.everywhere else sorted(reach.accounts)
        if wanted := filters.get("account"):
            accounts = [wanted] if reach.allows(wanted) else []
        filters["candidate_matches"] = directory_candidates_named(q=filters["candidate"],
                                                                  account_ids=accounts)
    return form, filters


def _invalid_filters(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    context = {"form": form, "page": None, "query": ""}
    return render(request, "candidates/audit_list.html", context, status=400)


@require_GET
@auditor_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _invalid_filters(request, form)
    page = Paginator(_entries(request, filters), 50).get_page(request.GET.get("page"))
    _attach_shown_changes(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "candidates/audit_list.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@auditor_required
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, filters = _filters(request)
    if filters is None:  # the page with the errors beside the filters; no file
        return _invalid_filters(request, form)

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for entry in _with_shown_changes(_entries(request, filters).iterator(chunk_size=500)):
            yield writer.writerow([_cell(entry, column) for column in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidate-audit.csv"'
    return response


def _entries(request: HttpRequest, filters: dict) -> QuerySet[AuditEntry]:
    """The entries matching ``filters`` of the accounts the user may audit (only those)."""
    return access_filter(audit_entry_list(filters=filters), user=request.user, perm=AUDIT_PERMISSION)


def _cell(entry: AuditEntry, column: str) -> str:
    if column == "fields":
        return " ".join(entry.changed_fields)
    if column == "reverts":  # the id of the entry this one reverts (a revert links both ways)
        return str(entry.reverts_id or "")
    if column == "changes":  # as the pages read them; the exact values are in request_body
        return csv_cell(changes_text(entry.shown_changes))  # type: ignore[attr-defined]
    value = getattr(entry, column)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return csv_cell("" if value is None else str(value))


def _attach_shown_changes(entries: Iterable[AuditEntry]) -> None:
    """Give each entry ``shown_changes`` (see ``_with_shown_changes``)."""
    for _ in _with_shown_changes(entries):
        pass


def _with_shown_changes(entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
    """Yield each entry with ``shown_changes``: its changes as people read them, custom fields
    named by their account's definitions when a page read them lately (never a StackOne call);
    and ``candidate_name``: the name the directory holds ("" when none), read 500 entries at a time."""
    definitions: dict[str, list[CustomFieldDefinition]] = {}
    rest = iter(entries)
    while batch := list(islice(rest, 500)):
        names = directory_candidate_names(pairs=[(entry.account_id, entry.candidate_id) for entry in batch])
        for entry in batch:
            if entry.account_id not in definitions:
                definitions[entry.account_id] = custom_field_definitions_cached(account_id=entry.account_id)
            entry.shown_changes = recorded_changes(  # type: ignore[attr-defined]
                entry.changes, definitions=definitions[entry.account_id])
            entry.candidate_name = names.get((entry.account_id, entry.candidate_id), "")  # type: ignore[attr-defined]
            yield entry


@require_GET
@permission_page(VIEW_PERMISSION, AUDIT_PERMISSION)
def candidate_history(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    entries = list(audit_candidate_history(account_id=account_id, candidate_id=candidate_id)[:200])
    _attach_shown_changes(entries)
    ids = {"account_id": account_id, "candidate_id": candidate_id}
    # reverse() quotes the id; request.path is decoded, so an id with "?" or "#" would break the link.
    return render(request, "candidates/history.html", {
        "account_id": account_id, "candidate_id": candidate_id, "entries": entries,
        # (_attach_shown_changes named each entry's candidate already: one lookup, not two)
        "candidate_name": (entries[0].candidate_name if entries  # type: ignore[attr-defined]
                           else directory_candidate_name(account_id=account_id, candidate_id=candidate_id)),
        "edit_url": reverse("candidates:edit", kwargs=ids),
        "history_url": reverse("candidates:history", kwargs=ids),
        "can_revert": access_allows(request.user, EDIT_PERMISSION, account_id),  # on this account
    })


@require_POST
@permission_page(EDIT_PERMISSION)
def review_preference(request: HttpRequest) -> HttpResponse:
    preference_review_set(user=request.user,
                          review_before_save=request.POST.get("review_before_save") == "on")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("candidates:home")
    return redirect(target)
