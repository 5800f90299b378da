"""The data-health page (Ops role: ``candidates.bulk_update``): the checks with their counts,
one check's findings, "Fix selected" / "Apply all" → a bulk job to preview, and the company
clusters: pick the spelling to keep, apply it, or ignore the cluster."""

from __future__ import annotations

import csv
from itertools import chain
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from candidates import services
from candidates.access import access_accounts, access_reach
from candidates.bulk.handoff import HandoffInvalid
from candidates.csv_cells import csv_cell
from candidates.exceptions import StackOneError
from candidates.health.checks import CHECKS_BY_NAME
from candidates.health.clusters import company_cluster_ignore, company_cluster_unignore, ignored_clusters
from candidates.health.fixes import (
    CLUSTER_CHECK,
    PickInvalid,
    cluster_fix_job_create,
    findings_fixable,
    findings_selected,
    health_fix_job_create,
)
from candidates.health.report import EXPORT_COLUMNS, health_export_rows, health_overview, health_report
from candidates.models import BulkJob
from candidates.roles import BULK_PERMISSION, permission_page

ops_required = permission_page(BULK_PERMISSION)
FINDINGS_SHOWN = 200
KEEP_PREFIX = "keep:"  # a cluster's radio buttons: keep:<cluster key> = the spelling to keep
NOTHING_TO_FIX = "Nothing to fix: select at least one finding that has a suggested fix."
REVIEW = "Review the changes below, then start the job: nothing is written before."


def _accounts(user: Any) -> tuple[list[tuple[str, str, bool | None]], bool]:
    """Return the linked accounts ``user`` runs data health on, as (id, name, active), and
    whether StackOne could list them (if not, the overview names the accounts the directory
    holds by id)."""
    try:
        linked = access_accounts(services.account_list_recent(), user=user, perm=BULK_PERMISSION)
    except StackOneError:
        return [], False
    return [(a.id, a.display_name, a.is_active) for a in linked], True


@never_cache
@require_GET
@ops_required
def health_home(request: HttpRequest) -> HttpResponse:
    """The nav link: every linked account by name with its counts; ``?account=`` (the switcher
    on an account's page) opens that account's page."""
    chosen = request.GET.get("account", "")
    if chosen and "/" not in chosen:
        return redirect("candidates:health", account_id=chosen)  # that page checks the grant
    accounts, listed = _accounts(request.user)
    reach = access_reach(request.user, BULK_PERMISSION)
    current = request.session.get("account_id") or settings.STACKONE_ACCOUNT_ID
    return render(request, "candidates/health/home.html", {
        "overview": health_overview(accounts, allowed=reach.allows), "listed": listed, "current": current})


@never_cache
@require_GET
@ops_required
def health_export(request: HttpRequest, account_id: str) -> StreamingHttpResponse:
    """Every finding of the account (or of ``?check=``) as CSV, cells neutralised against
    spreadsheet formulas (``csv_cell``)."""
    check = request.GET.get("check", "")
    check = check if check in CHECKS_BY_NAME else ""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    rows = health_export_rows(account_id, check=check or None)
    lines = chain([writer.writerow(EXPORT_COLUMNS)], (writer.writerow([csv_cell(cell) for cell in row])
                                                       for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"data-health-{account_id}{'-' + check if check else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{_filename(name)}"'
    return response


def _filename(name: str) -> str:
    # An account id is the ATS's: keep the file name to plain characters.
    return "".join(char if char.isalnum() or char in "-_." else "_" for char in name)


@never_cache
@require_GET
@ops_required
def health_page(request: HttpRequest, account_id: str) -> HttpResponse:
    chosen = request.GET.get("check", "")
    chosen = chosen if chosen in CHECKS_BY_NAME else ""
    summary = health_report(account_id, limit=FINDINGS_SHOWN, expand=chosen)
    detail = next((report for report in summary if report.check.name == chosen), None)
    accounts, _ = _accounts(request.user)
    if account_id not in {account for account, _, _ in accounts}:
        accounts.append((account_id, account_id, None))
    return render(
        request,
        "candidates/health/page.html",
        {
            "account_id": account_id,
            "account_name": next(name for account, name, _ in accounts if account == account_id),
            "accounts": accounts,
            "summary": summary,
            "detail": detail,
            "chosen": chosen,
            "ignored": ignored_clusters(account_id) if chosen == CLUSTER_CHECK else [],
        },
    )


def _check_page(account_id: str, check: str) -> HttpResponse:
    page_url = reverse("candidates:health", kwargs={"account_id": account_id})
    return redirect(f"{page_url}?{urlencode({'check': check})}" if check in CHECKS_BY_NAME else page_url)


def _job_or_back(request: HttpRequest, job: BulkJob | None, back: HttpResponse) -> HttpResponse:
    if job is None:
        messages.info(request, NOTHING_TO_FIX)
        return back
    messages.success(request, REVIEW)
    return redirect("candidates:bulk_job", job_id=job.pk)


@never_cache
@require_POST
@ops_required
def health_fix(request: HttpRequest, account_id: str) -> HttpResponse:
    """ "Apply all" (a stored check's certain fixes) or "Fix selected" (the ticked findings)."""
    check = request.POST.get("apply_all", "")
    if check in CHECKS_BY_NAME and check != CLUSTER_CHECK:
        findings, label = findings_fixable(account_id=account_id, check=check), check
    else:
        tokens = request.POST.getlist("selected")
        findings, label = findings_selected(account_id=account_id, tokens=tokens), "selected"
        check = request.POST.get("check", "")
    back = _check_page(account_id, check)
    try:
        job = health_fix_job_create(user=request.user, account_id=account_id, findings=findings, label=label)
    except HandoffInvalid as error:
        messages.error(request, f"No job was created: {error}")
        return back
    return _job_or_back(request, job, back)


@never_cache
@require_POST
@ops_required
def health_clusters(request: HttpRequest, account_id: str) -> HttpResponse:
    """A company cluster's buttons: "Apply this spelling", "Apply all", "Ignore this cluster",
    "Show again". The spelling kept is the one picked in each cluster's row."""
    back = _check_page(account_id, CLUSTER_CHECK)
    post = request.POST
    if key := post.get("ignore"):
        cluster = company_cluster_ignore(user=request.user, account_id=account_id, key=key)
        if cluster is None:
            messages.error(request, "That cluster is no longer listed: nothing was ignored.")
        else:
            messages.success(request, f"Cluster “{cluster.default or key}” ignored: it no longer shows.")
        return back
    if key := post.get("show_again"):
        if company_cluster_unignore(account_id=account_id, key=key):
            messages.success(request, "The cluster shows again.")
        return back
    keep = {name[len(KEEP_PREFIX) :]: post[name] for name in post if name.startswith(KEEP_PREFIX)}
    only = post.get("apply_cluster") or None
    if only is None and post.get("apply_all") != CLUSTER_CHECK:
        return back
    try:
        job = cluster_fix_job_create(user=request.user, account_id=account_id, keep=keep, only=only)
    except (PickInvalid, HandoffInvalid) as error:
        messages.error(request, f"No job was created: {error}")
        return back
    return _job_or_back(request, job, back)
