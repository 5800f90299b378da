"""Bulk update pages (Ops role: ``candidates.bulk_update``): upload, the job page (preview,
progress, results), its JSON status, start, resume, retry and the results CSV."""

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
from candidates.bulk.csv_parse import CLEAR_MARKER, COLUMNS
from candidates.bulk.forms import BulkUploadForm
from candidates.bulk.jobs import (
    bulk_enqueue,
    bulk_job_create,
    bulk_job_progress,
    bulk_job_retry,
    bulk_preview_task,
)
from candidates.bulk.preview import bulk_row_changes
from candidates.bulk.results import results_csv_rows
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
                          accounts=_linked_accounts(request),
                          reach=access_reach(request.user, BULK_PERMISSION))
    if request.method == "POST" and form.is_valid():
        job = bulk_job_create(user=request.user, account_id=form.cleaned_data["account_id"].strip(),
                              filename=form.cleaned_data["file"].name, parsed=form.parsed)
        bulk_enqueue(bulk_preview_task, job.pk)
        return redirect("candidates:bulk_job", job_id=job.pk)
    jobs = access_filter(BulkJob.objects.all(), user=request.user, perm=BULK_PERMISSION)[:20]
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
    page = Paginator(job.rows.order_by("line"), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(row, bulk_row_changes(row)) for row in page.object_list]
    return render(request, "candidates/bulk/job.html", {
        "job": job, "progress": bulk_job_progress(job), "page": page, "rows": rows,
    })


@require_GET
@bulk_required
def bulk_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _job(request, job_id)
    return JsonResponse(bulk_job_progress(job).as_json())


@require_POST
@bulk_required
def bulk_job_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if bulk_jobs.bulk_job_start(job=job, user=request.user):
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
    retry = bulk_job_retry(job=job, user=request.user)
    if not retry.rows.exists():
        retry.delete()
        messages.info(request, "No failed rows to retry.")
        return redirect("candidates:bulk_job", job_id=job.pk)
    bulk_enqueue(bulk_preview_task, retry.pk)
    return redirect("candidates:bulk_job", job_id=retry.pk)


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
