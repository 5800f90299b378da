""""← Candidates" goes back to the list as the user left it (issue 13, item 5).

The list view remembers its query string per account in the session; pages that link back to
the list read it with the ``candidates_list_url`` template tag.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

SESSION_KEY = "list_queries"
MAX_QUERY_CHARS = 2000


def list_query_remember(request: HttpRequest, account_id: str) -> None:
    """Remember the list page's query string (filters, page) for ``account_id``."""
    query = request.GET.urlencode()
    if len(query) > MAX_QUERY_CHARS:
        return
    queries = dict(request.session.get(SESSION_KEY) or {})
    if queries.get(account_id) != query:
        queries[account_id] = query
        request.session[SESSION_KEY] = queries


def list_url(request: HttpRequest, account_id: str) -> str:
    """Return the candidate list URL of ``account_id`` with the query last used there."""
    url = reverse("candidates:list", kwargs={"account_id": account_id})
    query = (request.session.get(SESSION_KEY) or {}).get(account_id) if hasattr(request, "session") else ""
    return f"{url}?{query}" if query else url


RECENT_KEY = "recent_candidates"
RECENT_MAX = 8


def recent_candidate_remember(request: HttpRequest, *, account_id: str, candidate_id: str, name: str) -> None:
    """Remember that the user opened ``candidate_id`` of ``account_id`` (the list shows the last
    ``RECENT_MAX`` under an empty search box), most recent first."""
    recent = dict(request.session.get(RECENT_KEY) or {})
    opened = [item for item in recent.get(account_id, []) if item[0] != candidate_id]
    updated = [[candidate_id, name[:200]], *opened][:RECENT_MAX]
    if recent.get(account_id) != updated:
        recent[account_id] = updated
        request.session[RECENT_KEY] = recent


def recent_candidates(request: HttpRequest, account_id: str) -> list[tuple[str, str]]:
    """Return the (candidate id, name) pairs the user last opened in ``account_id``, most recent first."""
    opened = (request.session.get(RECENT_KEY) or {}).get(account_id, [])
    return [(candidate_id, name) for candidate_id, name in opened]
