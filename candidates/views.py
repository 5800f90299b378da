"""HTTP interface: bind, call one service, render or redirect. Error text comes from the
error map (``exceptions.error_text``); no view talks to StackOne's client directly.

The edit flow is a handful of steps, each a small class with its own URL: ``SaveStep`` (the
edit form's Save, posted to the edit page: review first or send, per the user's preference), and
below it, one view for the rest (``candidate_edit_step``, the step named in the URL, ``EDIT_STEPS``):
``ConfirmStep`` (the review page's Confirm: send), ``ReviewStep`` (the review page's "Update the
review": the review again after a choice made on it), ``BackToEditStep`` (the review page's
Back: the form again), ``ResolveStep`` (the conflict page's choices: review again over the
candidate now held) and ``AddRowStep`` (a list's "Add row" without JavaScript: the form again,
as typed, one row longer). ``RevertStep`` (History's "Revert this change") enters the flow at
the review, or at the conflict page when a field changed since the save.
"""

from __future__ import annotations

import logging
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates import services
from candidates.access import VIEW_PERMISSION, access_accounts, access_allows, account_home
from candidates.audit import DuplicateSubmission, audit_attempt_lost
from candidates.editor import edit_flow
from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.display import EditorGroups, NewRow
from candidates.editor.edit_flow import EditPost, FormUnverifiable
from candidates.editor.fields import LIST_FIELDS
from candidates.editor.form_state import field_items, rows_added
from candidates.editor.payloads import candidate_patch_body
from candidates.editor.revert_flow import revert_bind, revert_marker
from candidates.editor.review import Review, candidate_review, conflict_rows
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.exceptions import StackOneError, StackOneNotFound, StackOneValidationError, error_text
from candidates.list_return import recent_candidate_remember
from candidates.models import AuditEntry
from candidates.phones import phone_region
from candidates.preferences import preference_review
from candidates.receipts import SaveReceipt, receipt_keep, receipt_take
from candidates.roles import EDIT_PERMISSION, permission_page, viewer_required
from candidates.services import editor_options

logger = logging.getLogger(__name__)
EDIT_REFUSED = "You can view candidates but not edit them."


def _error_page(request: HttpRequest, error: StackOneError, *, account_id: str | None = None) -> HttpResponse:
    logger.warning("StackOne error on %s: %s", request.path, error.log_text)
    if isinstance(error, StackOneNotFound) and account_id and _account_unknown(account_id):
        return _account_unknown_page(request, account_id)
    return render(request, "candidates/error.html",
                  {"message": error_text(error), "account_id": account_id, "error": error},
                  status=error.page_status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    account_id = account_home(request.user, request.session.get("account_id") or settings.STACKONE_ACCOUNT_ID)
    if account_id:
        return redirect("candidates:list", account_id=account_id)
    return redirect("candidates:accounts")


@require_GET
@viewer_required
def account_list(request: HttpRequest) -> HttpResponse:
    try:
        accounts = access_accounts(services.account_list(), user=request.user, perm=VIEW_PERMISSION)
    except StackOneError as error:
        return _error_page(request, error)
    return render(request, "candidates/account_list.html", {"accounts": accounts})


@require_http_methods(["GET", "POST"])
@viewer_required
def candidate_edit(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    if request.method == "POST":
        return SaveStep(request, account_id, candidate_id).post()
    receipt = receipt_take(request.session, account_id=account_id, candidate_id=candidate_id)
    try:
        # After a save, the candidate read back right after it; otherwise a fresh read.
        candidate = (receipt.candidate if receipt and receipt.candidate else
                     services.candidate_get(account_id=account_id, candidate_id=candidate_id))
    except StackOneNotFound:
        return _not_found(request, account_id, candidate_id)
    except StackOneError as error:
        return _error_page(request, error, account_id=account_id)
    recent_candidate_remember(request, account_id=account_id, candidate_id=candidate_id,
                              name=candidate.display_name)
    page = EditStep(request, account_id, candidate_id)
    editor = CandidateEditor(candidate, **editor_options(account_id=account_id))
    return page.editor_page(editor, receipt=receipt)


class EditStep:
    """One POST of the edit flow for one candidate: bind, call one service, render or redirect.

    Subclasses implement ``proceed`` for a bound, valid editor; the pages every step may show
    (the editor, the review, the conflict) are rendered here.
    """

    def __init__(self, request: HttpRequest, account_id: str, candidate_id: str) -> None:
        self.request, self.account_id, self.candidate_id = request, account_id, candidate_id
        # A revert of a save (History's "Revert this change"): its signed marker, carried by the
        # review and conflict pages (verified when bound), and the save, named on those pages.
        self.reverts_marker: str = request.POST.get("reverts", "")
        self.reverting: AuditEntry | None = None

    def bind(self) -> EditPost:
        """Return the POST bound over the candidate as loaded. Raises FormUnverifiable."""
        return edit_flow.edit_bind(self.request.POST, account_id=self.account_id,
                                   candidate_id=self.candidate_id,
                                   options=partial(editor_options, account_id=self.account_id))

    def post(self) -> HttpResponse:
        if not access_allows(self.request.user, EDIT_PERMISSION, self.account_id):
            # The styled 403 page, as every other refusal (roles.permission_page), with the reason.
            raise PermissionDenied(EDIT_REFUSED)
        try:
            bound = self.bind()
        except FormUnverifiable:
            messages.error(self.request, "The form could not be verified (it was altered or is too old). "
                                         "The candidate has been reloaded; please make your change again.")
            return redirect(self.edit_url)
        if bound.reverts is not None:
            self.reverting = AuditEntry.objects.filter(pk=bound.reverts).first()
        if not bound.editor.is_valid():
            return self.editor_page(bound.editor, status=400)
        return self.proceed(bound)

    def proceed(self, bound: EditPost) -> HttpResponse:
        raise NotImplementedError

    def review_or_back(self, bound: EditPost) -> Review | HttpResponse:
        """Return the review of the change, or the redirect back when there is nothing to save."""
        review = candidate_review(bound.editor.candidate, bound.editor.edit(),
                                  definitions=bound.editor.definitions)
        if not review.body:
            messages.info(self.request, "No changes to save.")
            return redirect(self.edit_url)
        return review

    def send(self, bound: EditPost) -> HttpResponse:
        """Save the change (``services.candidate_update``) and show its outcome."""
        editor = bound.editor
        try:
            outcome = services.candidate_update(user=self.request.user, account_id=self.account_id,
                                                candidate_id=self.candidate_id, original=editor.candidate,
                                                edit=editor.edit(), form_token=bound.token,
                                                reverts=bound.reverts)
        except services.CandidateConflict as conflict:
            return self.conflict_page(editor, conflict)
        except DuplicateSubmission as duplicate:
            messages.warning(self.request, _duplicate_message(duplicate.entry))
            return redirect(self.edit_url)
        except services.CandidateNotSent as failure:
            return self.editor_page(editor, status=failure.error.page_status, fresh_token=True,
                                    save_failure="Nothing was saved. " + error_text(failure.error))
        except StackOneValidationError as error:  # about the form: beside the fields it names
            editor.add_remote_error(error)
            return self.editor_page(editor, status=error.page_status, fresh_token=True)
        except StackOneError as error:
            if error.may_have_applied:
                logger.warning("candidate save outcome unknown: %s", error.log_text)
            return self.editor_page(editor, status=error.page_status, fresh_token=True,
                                    unknown_outcome=error.may_have_applied,
                                    save_failure=error_text(error, write=True))
        if not outcome.body:  # the edit matched the candidate as loaded: nothing was sent
            messages.info(self.request, "No changes to save.")
            return redirect(self.edit_url)
        # The edit page's confirmation panel states the ids, once (no flash message repeating them).
        receipt_keep(self.request.session, outcome, account_id=self.account_id,
                               candidate_id=self.candidate_id)
        return redirect(self.edit_url)

    # -- pages ------------------------------------------------------------------------------------

    @property
    def edit_url(self) -> str:
        return _edit_url(self.account_id, self.candidate_id)

    def context(self, editor: CandidateEditor, *, fresh_token: bool = False) -> dict:
        # The one-time token travels from the form to the review page and the save; a form shown
        # again after a save attempt is a new form and gets a new token.
        posted = self.request.POST.get("form_token")
        ids = {"account_id": self.account_id, "candidate_id": self.candidate_id}
        return {
            "account_id": self.account_id,
            "candidate": editor.candidate,
            "snapshot": snapshot_dumps(editor.candidate, account_id=self.account_id),
            "form_token": posted if posted and not fresh_token else token_new(),
            "edit_url": self.edit_url,
            "history_url": reverse("candidates:history", kwargs=ids),
            "reverts": self.reverts_marker,
            "reverting": self.reverting,
        }

    def step_url(self, step: str) -> str:
        """Return the URL of ``step`` (``EDIT_STEPS``) for this candidate; each page reverses only
        the steps its buttons post to."""
        ids = {"account_id": self.account_id, "candidate_id": self.candidate_id}
        return reverse("candidates:edit_step", kwargs=ids | {"step": step})

    def editor_page(self, editor: CandidateEditor, *, status: int = 200, receipt: SaveReceipt | None = None,
                    unknown_outcome: bool = False, save_failure: str = "",
                    fresh_token: bool = False) -> HttpResponse:
        """The edit page. ``save_failure``: why a save failed when it was not the form's fault
        (shown instead of "correct the problems below")."""
        context = self.context(editor, fresh_token=fresh_token)
        review_first = preference_review(self.request.user)
        editor.offer_keep_old_email(review_first=review_first)
        return render(self.request, "candidates/candidate_edit.html", context | {
            "editor": editor,
            "groups": EditorGroups(editor),
            "new_row_url": new_row_url(self.account_id, phone_country=editor.phone_country),
            "add_row_url": self.step_url("add-row"),
            "form": editor.form,
            "can_edit": access_allows(self.request.user, EDIT_PERMISSION, self.account_id),
            "review_first": review_first,
            "saved": receipt,
            "unknown_outcome": unknown_outcome,
            "save_failure": save_failure,
            "custom_field_definitions": editor.definitions,
        }, status=status)

    def review_page(self, editor: CandidateEditor, review: Review) -> HttpResponse:
        return render(self.request, "candidates/review.html", self.context(editor) | {
            "review": review, "hidden_items": field_items(editor.posted),
            "confirm_url": self.step_url("confirm"), "review_url": self.step_url("review"),
            "back_url": self.step_url("back"),
        })

    def conflict_page(self, editor: CandidateEditor, conflict: services.CandidateConflict) -> HttpResponse:
        return render(self.request, "candidates/conflict.html", self.context(editor) | {
            "rows": conflict_rows(original=editor.candidate, current=conflict.current, body=conflict.body,
                                  fields=conflict.fields, definitions=editor.definitions),
            "conflict_snapshot": snapshot_dumps(conflict.current, account_id=self.account_id),
            "hidden_items": field_items(editor.posted),
            "resolve_url": self.step_url("resolve"),
        }, status=409)


class SaveStep(EditStep):
    """The edit form's Save: the review page first (the user's preference), else send."""

    def proceed(self, bound: EditPost) -> HttpResponse:
        review = self.review_or_back(bound)
        if not isinstance(review, Review):
            return review
        if preference_review(self.request.user):
            return self.review_page(bound.editor, review)
        return self.send(bound)


class ConfirmStep(EditStep):
    """The review page's Confirm: send what was reviewed."""

    def proceed(self, bound: EditPost) -> HttpResponse:
        return self.send(bound)


class ReviewStep(EditStep):
    """The review page's "Update the review": the review again after a choice made on it (keep
    the old email address)."""

    def proceed(self, bound: EditPost) -> HttpResponse:
        review = self.review_or_back(bound)
        return self.review_page(bound.editor, review) if isinstance(review, Review) else review


class BackToEditStep(EditStep):
    """The review page's Back to edit: the form again, as typed."""

    def proceed(self, bound: EditPost) -> HttpResponse:
        return self.editor_page(bound.editor)


class AddRowStep(EditStep):
    """A list's "Add row" without JavaScript (the page's noscript buttons): the form again, as
    typed, with one more row in that list (with JavaScript the browser adds it)."""

    def bind(self) -> EditPost:
        return edit_flow.edit_bind(rows_added(self.request.POST), account_id=self.account_id,
                                   candidate_id=self.candidate_id,
                                   options=partial(editor_options, account_id=self.account_id))

    def proceed(self, bound: EditPost) -> HttpResponse:
        return self.editor_page(bound.editor)


class ResolveStep(EditStep):
    """The conflict page's choices: review again, over the candidate now in StackOne."""

    def bind(self) -> EditPost:
        return edit_flow.conflict_bind(self.request.POST, account_id=self.account_id,
                                       candidate_id=self.candidate_id,
                                       options=partial(editor_options, account_id=self.account_id))

    def proceed(self, bound: EditPost) -> HttpResponse:
        review = self.review_or_back(bound)
        return self.review_page(bound.editor, review) if isinstance(review, Review) else review


class RevertStep(EditStep):
    """History's "Revert this change": the review of the save's inverse, or the conflict page
    when a field it wrote changed since (candidates.editor.revert_flow)."""

    def get(self, entry_id: int) -> HttpResponse:
        entry = get_object_or_404(AuditEntry, pk=entry_id, account_id=self.account_id,
                                  candidate_id=self.candidate_id, outcome__in=AuditEntry.REVERTABLE_OUTCOMES)
        try:
            current = services.candidate_get(account_id=self.account_id, candidate_id=self.candidate_id)
        except StackOneNotFound:
            return _not_found(self.request, self.account_id, self.candidate_id)
        except StackOneError as error:
            return _error_page(self.request, error, account_id=self.account_id)
        revert = revert_bind(entry=entry, current=current, options=editor_options(account_id=self.account_id))
        self.reverts_marker, self.reverting, editor = revert_marker(entry), entry, revert.editor
        if not editor.is_valid():  # a value from before the save that today's rules refuse
            return self.editor_page(editor, status=400)
        if revert.clashes:
            conflict = services.CandidateConflict(current=current, fields=revert.clashes,
                                                  body=candidate_patch_body(editor.candidate, editor.edit()))
            return self.conflict_page(editor, conflict)
        review = candidate_review(editor.candidate, editor.edit(), definitions=editor.definitions)
        if not review.body:
            messages.info(self.request, "Nothing to revert: the candidate already holds the values it had "
                                        "before this change.")
            return redirect("candidates:history", account_id=self.account_id, candidate_id=self.candidate_id)
        return self.review_page(editor, review)


@require_GET
@permission_page(EDIT_PERMISSION)
def candidate_revert(request: HttpRequest, account_id: str, candidate_id: str, entry_id: int) -> HttpResponse:
    return RevertStep(request, account_id, candidate_id).get(entry_id)


# The steps after the edit form's Save, by the name their URL ends with (urls.EditStepConverter).
EDIT_STEPS: dict[str, type[EditStep]] = {
    "confirm": ConfirmStep,
    "review": ReviewStep,
    "back": BackToEditStep,
    "resolve": ResolveStep,
    "add-row": AddRowStep,
}


@require_POST
@permission_page(EDIT_PERMISSION)
def candidate_edit_step(request: HttpRequest, account_id: str, candidate_id: str, step: str) -> HttpResponse:
    """One step of the edit flow after the edit form's Save, the one the URL names (``EDIT_STEPS``)."""
    return EDIT_STEPS[step](request, account_id, candidate_id).post()


@require_GET
@permission_page(EDIT_PERMISSION)
def editor_new_row(request: HttpRequest, account_id: str) -> HttpResponse:
    """A new row of the edit page's list ``?list=`` (emails, phone_numbers, social_links,
    custom_fields), for its "Add row" (the script fetches it when pressed: the page itself builds
    no blank form); a new phone row is read in ``?country=`` (else the account's region). Raises
    Http404 for no such list or one the account's ATS does not accept."""
    list_field = request.GET.get("list", "")
    options = editor_options(account_id=account_id) if list_field in LIST_FIELDS else {"read_only": {}}
    if list_field not in LIST_FIELDS or list_field in options["read_only"]:
        raise Http404("No list of the edit page by this name is sent to this account's ATS.")
    region = phone_region(country=request.GET.get("country"), account_id=account_id)
    row = NewRow(list_field, definitions=tuple(options["definitions"]), phone_region=region)
    return HttpResponse(str(row))


def new_row_url(account_id: str, *, phone_country: str) -> str:
    """Return the URL the edit page's "Add row" fetches a list's new row from (``editor_new_row``;
    the script adds ``list``): a new phone row is read in ``phone_country``, as the page's are."""
    url = reverse("candidates:new_row", kwargs={"account_id": account_id})
    return f"{url}?{urlencode({'country': phone_country})}" if phone_country else url


def _duplicate_message(entry: AuditEntry) -> str:
    when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
    if entry.completed_at is None:
        # Past the client's total timeout the first attempt cannot still be running: the process
        # stopped mid-save (a crash, a restart), so only StackOne knows whether it was applied.
        if audit_attempt_lost(entry):
            history = reverse("candidates:history",
                              kwargs={"account_id": entry.account_id, "candidate_id": entry.candidate_id})
            return format_html(
                "This form was already submitted at {}, and that save never finished: whether StackOne "
                'applied it is unknown. Nothing more was sent. Check the candidate as loaded below and its '
                '<a href="{}">History</a> before making the change again.', when, history)
        return (f"This form was already submitted at {when} and that save is still in progress; "
                "nothing more was sent.")
    return (f"This form was already submitted at {when} (outcome: {entry.get_outcome_display()}); "
            "nothing more was sent. See the History tab.")


def _account_unknown(account_id: str) -> bool:
    # A 404 names no resource: the account itself may be the one StackOne does not know.
    return services.account_known(account_id=account_id) is False


def _account_unknown_page(request: HttpRequest, account_id: str) -> HttpResponse:
    """The page for a linked account StackOne does not know: it offers the accounts list, never
    that account's own pages."""
    return render(request, "candidates/account_unknown.html", {"unknown_account_id": account_id}, status=404)


def _not_found(request: HttpRequest, account_id: str, candidate_id: str) -> HttpResponse:
    if _account_unknown(account_id):
        return _account_unknown_page(request, account_id)
    return render(request, "candidates/not_found.html",
                  {"account_id": account_id, "candidate_id": candidate_id}, status=404)


def _edit_url(account_id: str, candidate_id: str) -> str:
    return reverse("candidates:edit", kwargs={"account_id": account_id, "candidate_id": candidate_id})



