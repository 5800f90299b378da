"""HTTP interface: bind, call one service, map errors to messages, render or redirect."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from candidates import services
from candidates.exceptions import (
    StackOneAccountUnavailable,
    StackOneAuthError,
    StackOneBadResponse,
    StackOneConflict,
    StackOneError,
    StackOneInvalidRequest,
    StackOneNotFound,
    StackOneNotSupported,
    StackOneRateLimited,
    StackOneUnavailable,
    StackOneValidationError,
)
from candidates.audit import DuplicateSubmission
from candidates.directory.sync import directory_remove
from candidates.form_state import CHOICE_PREFIX, editor_initial_data, field_items, with_fields_from
from candidates.forms import CandidateEditor
from candidates.models import AuditEntry
from candidates.preferences import preference_review
from candidates.review import Review, candidate_review, conflict_rows
from candidates.roles import EDIT_PERMISSION, viewer_required
from candidates.search import CandidateSearchForm, page_links
from candidates.snapshot import SnapshotInvalid, snapshot_dumps, snapshot_loads
from candidates.stackone import stackone_client
from candidates.tokens import TokenInvalid, token_new, token_nonce
from candidates.types import Candidate

logger = logging.getLogger(__name__)


def describe(error: StackOneError) -> str:
    """Return the sentence a recruiter sees for a StackOne failure (never the key or headers)."""
    if isinstance(error, StackOneAuthError):
        if error.status_code == 403:
            return ("StackOne refused this request (403): the API key or the linked account lacks "
                    "permission for it. Ask an administrator to check the key's scopes.")
        return "StackOne rejected the API key (401). Ask an administrator to check STACKONE_API_KEY."
    if isinstance(error, StackOneAccountUnavailable):
        return ("This linked account is not active in StackOne (412: suspended, expired or its "
                "integration is disabled). Reconnect it in StackOne, or pick another account.")
    if isinstance(error, StackOneRateLimited):
        wait = f" Try again in {error.retry_after:g} seconds." if error.retry_after else " Try again shortly."
        return "StackOne is rate limiting requests (429); nothing was saved." + wait
    if isinstance(error, StackOneNotSupported):
        return "The ATS behind this account does not support this operation (501); nothing was saved."
    if isinstance(error, StackOneConflict):
        return f"StackOne reported a conflict (409): {error.message}. Nothing was saved."
    if isinstance(error, StackOneInvalidRequest):
        return f"{error.message}. Nothing was sent."
    if isinstance(error, StackOneBadResponse):
        return "StackOne sent a response this app could not read."
    if isinstance(error, StackOneUnavailable):
        return "StackOne did not answer in time or is unavailable. Try again in a moment."
    return f"StackOne answered with an error ({error.status_code}): {error.message}"


def _error_page(request: HttpRequest, error: StackOneError, *, account_id: str | None = None) -> HttpResponse:
    logger.warning("StackOne error on %r: %s", request.path, error)
    status = 404 if isinstance(error, (StackOneNotFound, StackOneInvalidRequest)) else 502
    return render(request, "candidates/error.html",
                  {"message": describe(error), "account_id": account_id, "error": error}, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    account_id = request.session.get("account_id") or settings.STACKONE_ACCOUNT_ID
    if account_id:
        return redirect("candidates:list", account_id=account_id)
    return redirect("candidates:accounts")


@require_GET
@viewer_required
def account_list(request: HttpRequest) -> HttpResponse:
    try:
        accounts = services.account_list(client=stackone_client())
    except StackOneError as error:
        return _error_page(request, error)
    return render(request, "candidates/account_list.html", {"accounts": accounts})


@require_GET
@viewer_required
def candidate_list(request: HttpRequest, account_id: str) -> HttpResponse:
    form = CandidateSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cursor = request.GET.get("cursor") or None
    trail = request.GET.getlist("prev")
    try:
        page = services.candidate_list(
            client=stackone_client(), account_id=account_id, email=filters.get("email"),
            updated_after=filters.get("updated_after"), page_size=filters.get("page_size") or 25, cursor=cursor,
        )
    except StackOneError as error:
        return _error_page(request, error, account_id=account_id)
    request.session["account_id"] = account_id
    query = {key: str(value) for key, value in (form.data.items() if form.is_bound else [])
             if key in form.fields and value}
    previous, following = page_links(query, cursor=cursor, trail=trail, next_cursor=page.next_cursor)
    return render(request, "candidates/candidate_list.html", {
        "account_id": account_id, "form": form, "page": page,
        "previous_query": previous, "next_query": following, "page_number": len(trail) + 1,
    })


@require_http_methods(["GET", "POST"])
@viewer_required
def candidate_edit(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    if request.method == "POST":
        return _candidate_post(request, account_id, candidate_id)
    saved = request.session.pop(_saved_key(account_id, candidate_id), None)
    try:
        if saved and saved.get("candidate"):
            candidate = Candidate.from_api(saved["candidate"])  # the read-back made right after the save
        else:
            candidate = services.candidate_get(client=stackone_client(), account_id=account_id,
                                               candidate_id=candidate_id)
    except StackOneNotFound:
        directory_remove(account_id=account_id, candidate_id=candidate_id)  # gone from StackOne: from search too
        return _not_found(request, account_id, candidate_id)
    except StackOneError as error:
        return _error_page(request, error, account_id=account_id)
    return _render_editor(request, CandidateEditor(candidate), account_id, candidate_id, saved=saved)


def _candidate_post(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    """Edit → (review →) save. ``action``: save, confirm, edit (back to the form), resolve."""
    if not request.user.has_perm(EDIT_PERMISSION):
        return HttpResponseForbidden("You do not have permission to edit candidates.")
    action = request.POST.get("action", "save")
    data = request.POST
    try:
        original = snapshot_loads(request.POST.get("snapshot", ""), account_id=account_id, candidate_id=candidate_id)
        token = token_nonce(request.POST.get("form_token", ""))
        if action == "resolve":
            original, data = _resolved(request, account_id, candidate_id)
    except (SnapshotInvalid, TokenInvalid):
        messages.error(request, "The form could not be verified (it was altered or is too old). "
                                "The candidate has been reloaded; please make your change again.")
        return redirect(_edit_url(account_id, candidate_id))
    editor = CandidateEditor(original, data)
    if not editor.is_valid():
        return _render_editor(request, editor, account_id, candidate_id, status=400)
    if action == "edit":
        return _render_editor(request, editor, account_id, candidate_id)
    review = candidate_review(original, editor.edit())
    if not review.body:
        messages.info(request, "No changes to save.")
        return redirect(_edit_url(account_id, candidate_id))
    if action == "resolve" or (action == "save" and preference_review(request.user)):
        return _render_review(request, editor, review, account_id, candidate_id)
    return _candidate_send(request, editor, account_id, candidate_id, token)


def _candidate_send(request: HttpRequest, editor: CandidateEditor, account_id: str, candidate_id: str,
                    token: str) -> HttpResponse:
    original = editor.candidate
    try:
        outcome = services.candidate_update(client=stackone_client(), user=request.user, account_id=account_id,
                                            candidate_id=candidate_id, original=original, edit=editor.edit(),
                                            form_token=token)
    except services.CandidateConflict as conflict:
        return _render_conflict(request, editor, conflict, account_id, candidate_id)
    except DuplicateSubmission as duplicate:
        messages.warning(request, _duplicate_message(duplicate.entry))
        return redirect(_edit_url(account_id, candidate_id))
    except services.CandidateNotSent as failure:
        editor.form.add_error(None, describe(failure.error))
        return _render_editor(request, editor, account_id, candidate_id, status=502, fresh_token=True)
    except StackOneNotFound:
        # Deleted meanwhile: keep what was typed on the page so it can be copied elsewhere.
        editor.form.add_error(None, "This candidate no longer exists in StackOne (404); nothing was saved.")
        return _render_editor(request, editor, account_id, candidate_id, status=404, fresh_token=True)
    except StackOneValidationError as error:
        editor.add_remote_error(error)
        return _render_editor(request, editor, account_id, candidate_id, status=400, fresh_token=True)
    except StackOneUnavailable as error:
        logger.warning("candidate save outcome unknown: %s", error)
        return _render_editor(request, editor, account_id, candidate_id, status=502, unknown_outcome=True,
                              fresh_token=True)
    except StackOneError as error:
        editor.form.add_error(None, describe(error))
        return _render_editor(request, editor, account_id, candidate_id, status=502, fresh_token=True)
    result = outcome.result
    request.session[_saved_key(account_id, candidate_id)] = {
        "id": result.id, "remote_id": result.remote_id, "message": result.message,
        "timestamp": result.timestamp, "fields": list(outcome.body),
        "not_applied": list(outcome.not_applied), "others_changed": list(outcome.others_changed),
        "candidate": outcome.current.raw if outcome.current else None,
    }
    messages.success(request, f"Saved. StackOne returned id {result.id} and remote_id {result.remote_id}.")
    return redirect(_edit_url(account_id, candidate_id))


def _resolved(request: HttpRequest, account_id: str, candidate_id: str) -> tuple[Candidate, QueryDict]:
    """Return the candidate now in StackOne and the form data with the user's picks applied.

    For each clashing field the user keeps theirs ("mine") or takes StackOne's ("theirs");
    the candidate now in StackOne becomes the new baseline. Raises SnapshotInvalid.
    """
    current = snapshot_loads(request.POST.get("conflict_snapshot", ""), account_id=account_id,
                             candidate_id=candidate_id)
    theirs = [key[len(CHOICE_PREFIX):] for key, value in request.POST.items()
              if key.startswith(CHOICE_PREFIX) and value == "theirs"]
    return current, with_fields_from(request.POST, editor_initial_data(CandidateEditor(current)), theirs)


def _duplicate_message(entry: AuditEntry) -> str:
    when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    if entry.completed_at is None:
        return f"This form was already submitted at {when} and that save is still in progress; nothing more was sent."
    return (f"This form was already submitted at {when} (outcome: {entry.get_outcome_display()}); "
            "nothing more was sent. See the History tab.")


def _page_context(request: HttpRequest, editor: CandidateEditor, account_id: str, candidate_id: str, *,
                  fresh_token: bool = False) -> dict:
    # The one-time token travels from the form to the review page and the save; a form shown
    # again after a save attempt is a new form and gets a new token.
    posted = request.POST.get("form_token")
    return {
        "account_id": account_id,
        "candidate": editor.candidate,
        "snapshot": snapshot_dumps(editor.candidate, account_id=account_id),
        "form_token": posted if posted and not fresh_token else token_new(),
        "edit_url": _edit_url(account_id, candidate_id),
        "history_url": reverse("candidates:history", kwargs={"account_id": account_id, "candidate_id": candidate_id}),
    }


def _render_editor(request: HttpRequest, editor: CandidateEditor, account_id: str, candidate_id: str, *,
                   status: int = 200, saved: dict | None = None, unknown_outcome: bool = False,
                   fresh_token: bool = False) -> HttpResponse:
    context = _page_context(request, editor, account_id, candidate_id, fresh_token=fresh_token)
    return render(request, "candidates/candidate_edit.html", context | {
        "editor": editor,
        "form": editor.form,
        "can_edit": request.user.has_perm(EDIT_PERMISSION),
        "review_first": preference_review(request.user),
        "saved": saved,
        "unknown_outcome": unknown_outcome,
        "custom_field_definitions": services.custom_field_definitions(client=stackone_client(),
                                                                      account_id=account_id),
    }, status=status)


def _render_review(request: HttpRequest, editor: CandidateEditor, review: Review, account_id: str,
                   candidate_id: str) -> HttpResponse:
    return render(request, "candidates/review.html", _page_context(request, editor, account_id, candidate_id) | {
        "review": review, "hidden_items": field_items(editor.form.data),
    })


def _render_conflict(request: HttpRequest, editor: CandidateEditor, conflict: services.CandidateConflict,
                     account_id: str, candidate_id: str) -> HttpResponse:
    return render(request, "candidates/conflict.html", _page_context(request, editor, account_id, candidate_id) | {
        "rows": conflict_rows(original=editor.candidate, current=conflict.current, body=conflict.body,
                              fields=conflict.fields),
        "conflict_snapshot": snapshot_dumps(conflict.current, account_id=account_id),
        "hidden_items": field_items(editor.form.data),
    }, status=409)


def _not_found(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    return render(request, "candidates/not_found.html",
                  {"account_id": account_id, "candidate_id": candidate_id}, status=404)


def _edit_url(account_id: str, candidate_id: str) -> str:
    return reverse("candidates:edit", kwargs={"account_id": account_id, "candidate_id": candidate_id})


def _saved_key(account_id: str, candidate_id: str) -> str:
    return f"saved:{account_id}:{candidate_id}"
