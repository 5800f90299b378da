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
from candidates.bulk import jobs as bulk_jobs
from candidates.bulk.conflict_text import conflict_words, conflicts_shown
from candidates.bulk.csv_parse import CLEAR_MARKER, COLUMNS
from candidates.bulk.forms import BulkUploadForm
from candidates.bulk.jobs import (
    bulk_enqueue,
    bulk_job_create,
    bulk_job_progress,
    bulk_job_retry,
    bulk_job_review_conflicts,
    bulk_preview_task,
)
from candidates.bulk.preview import bulk_row_changes
from candidates.bulk.results import results_csv_rows
from candidates.bulk.revert import JobNotRevertable, bulk_job_revert, bulk_job_revertable
from candidates.editor.fields import FIELD_LABELS
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
                          accounts=_linked_accounts())
    if request.method == "POST" and form.is_valid():
        job = bulk_job_create(user=request.user, account_id=form.cleaned_data["account_id"].strip(),
                              filename=form.cleaned_data["file"].name, parsed=form.parsed)
        bulk_enqueue(bulk_preview_task, job.pk)
        return redirect("candidates:bulk_job", job_id=job.pk)
    jobs = BulkJob.objects.all()[:20]
    return render(request, "candidates/bulk/upload.html", {
        "form": form, "jobs": jobs, "columns": COLUMNS, "clear_marker": CLEAR_MARKER,
        "column_help": [(name, FIELD_LABELS.get(name, name), COLUMN_HELP.get(name, "")) for name in COLUMNS],
    })


# What each CSV column takes, for the upload page's column reference.
COLUMN_HELP = {
    "id": "The candidate's StackOne id (required).",
    "email": "One address.", "hired_at": "Date and time, e.g. 2024-05-01T09:00:00Z.",
    "emails": 'JSON list, e.g. [{"type": "work", "value": "ada@example.com"}]',
    "phone_numbers": 'JSON list, e.g. [{"type": "mobile", "phone": "+447700900123"}]',
    "social_links": 'JSON list, e.g. [{"type": "linkedin", "url": "https://…"}]',
    "custom_fields": 'JSON list, e.g. [{"id": "cf_notice_period", "value": 30}]',
    "application_ids": 'JSON list of ids, e.g. ["app-1"]',
    "unified_custom_fields": "JSON object.", "passthrough": "JSON object, forwarded to the ATS as is.",
    "phone": "Deprecated by StackOne: prefer phone_numbers.",
}


def _linked_accounts() -> list:
    """Return the linked accounts to pick from ([] when StackOne cannot list them: type the id)."""
    try:
        return services.account_list()
    except StackOneError:
        return []


@require_GET
@bulk_required
def bulk_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    inprocess_worker_ensure()  # after a restart of the web process, queued jobs resume here
    page = Paginator(job.rows.order_by("line"), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(row, bulk_row_changes(row), conflicts_shown(row), conflict_words(row))
            for row in page.object_list]
    progress = bulk_job_progress(job)
    # Offered once a row may have changed a candidate (a stopped job's rows in flight may have).
    revertable = bool(progress.saved or progress.unknown or progress.remaining) and bulk_job_revertable(job)
    return render(request, "candidates/bulk/job.html", {
        "job": job, "progress": progress, "page": page, "rows": rows, "revertable": revertable,
        "reverted_by": job.reverted_by.order_by("pk"),
    })


@require_GET
@bulk_required
def bulk_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    return JsonResponse(bulk_job_progress(job).as_json())


@require_POST
@bulk_required
def bulk_job_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    if bulk_jobs.bulk_job_start(job=job, user=request.user):
        messages.success(request, "The job is queued. You can close this page: it keeps running.")
    return redirect("candidates:bulk_job", job_id=job.pk)


@require_POST
@bulk_required
def bulk_job_resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    if bulk_jobs.bulk_job_resume(job=job, user=request.user):
        messages.info(request, "The job was queued again; rows already sent are not sent again.")
    return redirect("candidates:bulk_job", job_id=job.pk)


@require_POST
@bulk_required
def bulk_job_retry_failed(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    retry = bulk_job_retry(job=job, user=request.user)
    if not retry.rows.exists():
        retry.delete()
        messages.info(request, "No failed rows to retry.")
        return redirect("candidates:bulk_job", job_id=job.pk)
    bulk_enqueue(bulk_preview_task, retry.pk)
    return redirect("candidates:bulk_job", job_id=retry.pk)


@require_POST
@bulk_required
def bulk_job_conflicts_review(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
    review = bulk_job_review_conflicts(job=job, user=request.user)
    if not review.rows.exists():
        review.delete()
        messages.info(request, "No conflict rows to review.")
        return redirect("candidates:bulk_job", job_id=job.pk)
    bulk_enqueue(bulk_preview_task, review.pk)
    return redirect("candidates:bulk_job", job_id=review.pk)


@require_POST
@bulk_required
def bulk_job_revert_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(BulkJob, pk=job_id)
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
    job = get_object_or_404(BulkJob, pk=job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bulk-job-{job.pk}-results.csv"'
    writer = csv.writer(response)
    for line in results_csv_rows(job):
        writer.writerow(line)
    return response
