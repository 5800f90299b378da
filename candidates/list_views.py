"""The candidate list page: the directory's search (any part of a name, email, phone, company),
or StackOne's own exact-email search when the directory is off (``CANDIDATE_DIRECTORY``) or the
account's directory is not ready yet."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from candidates import services
from candidates.directory.queue import directory_ensure
from candidates.directory.refresh import directory_usable
from candidates.directory.search import SearchTooBroad, directory_enabled, directory_search
from candidates.directory.search_limits import MAX_RESULTS
from candidates.directory.status import directory_ready, directory_status
from candidates.exceptions import StackOneError
from candidates.list_return import list_query_remember, recent_candidates
from candidates.roles import viewer_required
from candidates.search import CandidateSearchForm, DirectorySearchForm, page_links
from candidates.views import _error_page


@require_GET
@viewer_required
@never_cache  # results are personal data: no browser or proxy keeps them
def candidate_list(request: HttpRequest, account_id: str) -> HttpResponse:
    if not directory_enabled() or not directory_usable(account_id):
        return _stackone_list(request, account_id, directory_pending=False)
    # Cached a minute. The directory outlives an account that stops being active (its status says
    # so), and the first visit's full sync starts only for an account StackOne lists as active.
    active = services.account_active(account_id=account_id)
    directory_ensure(account_id=account_id, active=active)
    if directory_ready(account_id):
        return _directory_list(request, account_id, active=active)
    return _stackone_list(request, account_id, directory_pending=True)


# The list's fields that narrow (the "Filters (n)" count); the query, sort and page size do not.
FILTER_FIELDS = ("company", "title", "country", "updated_from", "updated_to", "created_from", "created_to",
                 "no_email", "no_phone")


def _directory_list(request: HttpRequest, account_id: str, *, active: bool | None) -> HttpResponse:
    _remember_account(request, account_id)
    form = DirectorySearchForm(request.GET)
    filters_set = sum(1 for name in FILTER_FIELDS if request.GET.get(name))
    context = {"account_id": account_id, "form": form, "directory": True,
               "directory_status": directory_status(account_id=account_id, active=active),
               "filters_set": filters_set,
               "filters_open": filters_set or any(form[name].errors for name in FILTER_FIELDS),
               "recent": [] if request.GET.get("q") else recent_candidates(request, account_id)}
    if not form.is_valid():
        return render(request, "candidates/candidate_list.html", context)
    try:
        results = directory_search(account_id=account_id, query=form.query(page=_page_number(request)))
    except SearchTooBroad:
        context["too_broad"] = True
        return render(request, "candidates/candidate_list.html", context)
    page_size = form.cleaned_data["page_size"] or 25
    kept = [(key, value) for key, value in request.GET.items() if key in form.fields and value]
    pages = Paginator(range(min(results.total, MAX_RESULTS)), page_size).get_elided_page_range(
        results.page, on_each_side=2, on_ends=1)

    def link(number: int) -> str:
        return urlencode([*kept, ("page", number)])

    context.update({
        "results": results,
        "max_results": MAX_RESULTS,
        "filtered": any(value for key, value in kept if key not in ("q", "sort", "page_size")),
        "count_text": (f"More than {results.total:,} candidates" if results.more else
                       f"{results.total:,} candidate{'' if results.total == 1 else 's'}"),
        "page_links": [(number, link(number) if isinstance(number, int) else None) for number in pages],
        "previous_query": link(results.page - 1) if results.page > 1 else None,
        "next_query": link(results.page + 1) if results.page < results.pages else None,
    })
    return render(request, "candidates/candidate_list.html", context)


def _remember_account(request: HttpRequest, account_id: str) -> None:
    # Only on change: a write saves the whole session row again, on every list load.
    if request.session.get("account_id") != account_id:
        request.session["account_id"] = account_id
    list_query_remember(request, account_id)  # "← Candidates" comes back to this search


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


def _stackone_list(request: HttpRequest, account_id: str, *, directory_pending: bool) -> HttpResponse:
    data = request.GET.copy()
    # A directory search link (?q=) still works here when it is an email address.
    typed = str(data.get("q", ""))
    if "@" in typed and not data.get("email"):
        data["email"] = typed.strip()
    form = CandidateSearchForm(data if data else None)
    filters = form.cleaned_data if form.is_valid() else {}
    cursor = request.GET.get("cursor") or None
    trail = request.GET.getlist("prev")
    try:
        page = services.candidate_list(
            account_id=account_id, email=filters.get("email"),
            updated_after=filters.get("updated_after"), page_size=filters.get("page_size") or 25,
            cursor=cursor,
        )
    except StackOneError as error:
        return _error_page(request, error, account_id=account_id)
    _remember_account(request, account_id)
    query = {key: str(value) for key, value in (form.data.items() if form.is_bound else [])
             if key in form.fields and value}
    previous, following = page_links(query, cursor=cursor, trail=trail, next_cursor=page.next_cursor)
    return render(request, "candidates/candidate_list.html", {
        "account_id": account_id, "form": form, "page": page, "directory": False,
        "directory_pending": directory_pending,
        "directory_status": directory_status(account_id=account_id) if directory_pending else None,
        "previous_query": previous, "next_query": following, "page_number": len(trail) + 1,
    })
