"""Bulk update pages (Ops role: ``candidates.bulk_update``): upload, the job page (preview,
progress, results), its JSON status, start, resume, retry, review conflicts, revert and the
results CSV."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates import services
from candidates.access import access_accounts, access_filter, access_reach
from candidates.bulk import jobs as bulk_jobs
from candidates.bulk.conflict_text import conflict_words, conflicts_shown
from candidates.bulk.csv_parse import CLEAR_MARKER, COLUMNS, MAX_ROWS
from candidates.bulk.forms import MAX_UPLOAD_BYTES, BulkStartForm, BulkUploadForm
from candidates.bulk.jobs import (
    StartRefused,
    bulk_enqueue,
    bulk_job_progress,
    bulk_job_removals,
    bulk_job_retry,
    bulk_job_review_conflicts,
    bulk_job_upload,
    bulk_preview_task,
    removals_sentence,
)
from candidates.bulk.preview import bulk_row_shown_changes
from candidates.bulk.results import results_csv_rows
from candidates.bulk.revert import JobNotRevertable, bulk_job_revert, bulk_job_revertable
from candidates.editor.fields import BODY_FIELDS, FIELD_LABELS
from candidates.exceptions import StackOneError
from candidates.models import BulkJob
from candidates.roles import BULK_PERMISSION, permission_page
from candidates.worker import inprocess_worker_ensure

bulk_required = permission_page(BULK_PERMISSION)
ROWS_PER_PAGE = 200


@require_http_methods(["GET", "POST"])
@bulk_required
def bulk_upload(request: HttpRequest) -> HttpResponse:
    initial = {"account_id": request.session.get("account_id") or settings.STACKONE_ACCOUNT_ID}
    form = BulkUploadForm(request.POST or None, request.FILES or None, initial=initial,
                          accounts=_linked_accounts(request),
                          reach=access_reach(request.user, BULK_PERMISSION))
    if request.method == "POST" and form.is_valid():
        job = bulk_job_upload(user=request.user, account_id=form.cleaned_data["account_id"].strip(),
                              filename=form.cleaned_data["file"].name, data=form.data_bytes)
        return redirect("candidates:bulk_job", job_id=job.pk)
    jobs = access_filter(BulkJob.objects.all(), user=request.user, perm=BULK_PERMISSION)[:20]
    return render(request, "candidates/bulk/upload.html", {
        "form": form, "jobs": jobs, "body_fields": BODY_FIELDS, "clear_marker": CLEAR_MARKER,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024), "max_rows": f"{MAX_ROWS:,}",
        "column_help": [(name, COLUMN_LABELS.get(name) or FIELD_LABELS.get(name, name),
                         COLUMN_HELP.get(name, ""))
                        for name in (*COLUMNS[:1], "custom_field:<name>", *COLUMNS[1:])],
    })


# What each CSV column takes, for the upload page's column reference (docs/user/bulk.md says the same).
COLUMN_LABELS = {
    "custom_field:<name>": "One custom field", "add_email": "Emails: add one",
    "add_email_type": "Its type", "add_phone_number": "Phone numbers: add one",
    "add_phone_number_type": "Its type",
    "add_social_link": "Social links: add one", "add_social_link_type": "Its type",
}
COLUMN_HELP = {
    "id": "The candidate's StackOne id (required).",
    "custom_field:<name>": "Header custom_field: then the field's name (any case) or id. Sets that field "
                           "only; "
                           "the candidate's other custom fields are kept. Typed as you would type it: 45, "
                           "yes / no, 2024-05-01, an option's label, options separated by ; for a "
                           "multi-select. __CLEAR__ removes that field only.",
    "add_email": "One address, added to the candidate's emails (the others are kept; an address already "
                 "listed is not added again).",
    "add_email_type": "Optional, e.g. work or personal.",
    "add_phone_number": "One number in international form, e.g. +44 7700 900123, added to the candidate's "
                        "phone numbers (the others are kept; a number already listed is not added again).",
    "add_phone_number_type": "Optional: mobile, work, home, personal, other or unknown.",
    "add_social_link": "One web address, added to the candidate's social links (the others are kept).",
    "add_social_link_type": "Optional, e.g. linkedin or github.",
    "email": "One address.", "hired_at": "Date and time, e.g. 2024-05-01T09:00:00Z.",
    "emails": 'The whole list as JSON (entries left out are removed), e.g. [{"type": "work", "value": '
              '"ada@example.com"}]',
    "phone_numbers": 'The whole list as JSON (entries left out are removed), e.g. [{"type": "mobile", '
                     '"phone": "+447700900123"}]',
    "social_links": 'The whole list as JSON (entries left out are removed), e.g. [{"type": "linkedin", '
                    '"url": "https://…"}]',
    "custom_fields": 'The whole list as JSON (fields left out are removed), e.g. [{"id": "cf_notice_period", '
                     '"value": 30}]; prefer custom_field:<name> columns',
    "application_ids": 'The whole list as JSON (ids left out are removed), e.g. ["app-1"]',
    "unified_custom_fields": "JSON object.", "passthrough": "JSON object, forwarded to the ATS as is.",
    "phone": "Deprecated by StackOne: prefer phone_numbers.",
}


def _linked_accounts(request: HttpRequest) -> list:
    """Return the linked accounts the user may run bulk jobs on ([] when StackOne cannot list
    them: type the id)."""
    try:
        return access_accounts(services.account_list(), user=request.user, perm=BULK_PERMISSION)
    except StackOneError:
        return []


def _job(request: HttpRequest, job_id: int) -> BulkJob:
    """Return the job when it is of an account the user may run bulk jobs on; 404 otherwise,
    the same as for a job that does not exist."""
    return get_object_or_404(access_filter(BulkJob.objects.all(), user=request.user, perm=BULK_PERMISSION),
                             pk=job_id)


@require_GET
@bulk_required
def bulk_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    inprocess_worker_ensure()  # after a restart of the web process, queued jobs resume here
    return _job_page(request, job)


def _job_page(request: HttpRequest, job: BulkJob, start_form: BulkStartForm | None = None,
              status: int = 200) -> HttpResponse:
    page = Paginator(job.rows.order_by("line"), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    definitions = services.custom_field_definitions_cached(account_id=job.account_id)
    rows = [(row, bulk_row_shown_changes(row, definitions=definitions),
             conflicts_shown(row, definitions=definitions), conflict_words(row)) for row in page.object_list]
    removals = bulk_job_removals(job)
    progress = bulk_job_progress(job)
    # Offered once a row may have changed a candidate (a stopped job's rows in flight may have).
    revertable = bool(progress.saved or progress.unknown or progress.remaining) and bulk_job_revertable(job)
    return render(request, "candidates/bulk/job.html", {
        "job": job, "progress": progress, "page": page, "rows": rows, "removals": removals,
        "from_file": job.from_file,
        "removals_sentence": removals_sentence(removals),
        "start_form": start_form or BulkStartForm(removals=removals.entries),
        "revertable": revertable, "reverted_by": job.reverted_by.order_by("pk"),
    }, status=status)


@require_GET
@bulk_required
def bulk_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _job(request, job_id)
    return JsonResponse(bulk_job_progress(job).as_json())


@require_POST
@bulk_required
def bulk_job_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    form = BulkStartForm(request.POST, removals=bulk_job_removals(job).entries)
    if not form.is_valid():
        return _job_page(request, job, form, status=400)
    try:
        started = bulk_jobs.bulk_job_start(job=job, user=request.user,
                                           removals_confirmed=form.cleaned_data["confirm_removals"])
    except StartRefused as refused:
        form.add_error(None, str(refused))
        return _job_page(request, job, form, status=400)
    if started:
        messages.success(request, "The job is queued. You can close this page: it keeps running.")
    return redirect("candidates:bulk_job", job_id=job.pk)


@require_POST
@bulk_required
def bulk_job_resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if bulk_jobs.bulk_job_resume(job=job, user=request.user):
        messages.info(request, "The job was queued again; rows already sent are not sent again.")
    return redirect("candidates:bulk_job", job_id=job.pk)


@require_POST
@bulk_required
def bulk_job_retry_failed(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return _job_again_page(request, job, bulk_job_retry(job=job, user=request.user),
                           "No failed rows to retry.")


@require_POST
@bulk_required
def bulk_job_conflicts_review(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return _job_again_page(request, job, bulk_job_review_conflicts(job=job, user=request.user),
                           "No conflict rows to review.")


def _job_again_page(request: HttpRequest, job: BulkJob, again: BulkJob | None, nothing: str) -> HttpResponse:
    """The new job's page (its preview queued), or ``job``'s with ``nothing`` said when none was made."""
    if again is None:
        messages.info(request, nothing)
        return redirect("candidates:bulk_job", job_id=job.pk)
    return redirect("candidates:bulk_job", job_id=again.pk)


@require_POST
@bulk_required
def bulk_job_revert_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    try:
        revert = bulk_job_revert(job=job, user=request.user)
    except JobNotRevertable as refused:
        messages.error(request, str(refused))
        return redirect("candidates:bulk_job", job_id=job.pk)
    if not revert.to_revert:
        revert.job.delete()
        messages.info(request, "Nothing to revert: no row of this job changed a candidate.")
        return redirect("candidates:bulk_job", job_id=job.pk)
    bulk_enqueue(bulk_preview_task, revert.job.pk)
    return redirect("candidates:bulk_job", job_id=revert.job.pk)


@require_GET
@bulk_required
def bulk_job_results(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bulk-job-{job.pk}-results.csv"'
    writer = csv.writer(response)
    for line in results_csv_rows(job):
        writer.writerow(line)
    return response
