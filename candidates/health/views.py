"""The data-health page (Ops role: ``candidates.bulk_update``): the checks with their counts,
one check's findings, and "Fix selected" / "apply all" → a bulk job to preview."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from candidates.access import access_allows, access_filter
from candidates.bulk.handoff import CsvInvalid
from candidates.health.checks import CHECKS_BY_NAME
from candidates.health.fixes import findings_fixable, findings_selected, health_fix_job_create
from candidates.health.models import HealthFinding
from candidates.health.report import health_report
from candidates.roles import BULK_PERMISSION, permission_page

ops_required = permission_page(BULK_PERMISSION)
FINDINGS_SHOWN = 200


@never_cache
@require_GET
@ops_required
def health_home(request: HttpRequest) -> HttpResponse:
    """The nav link: the current linked account's page, else a choice of accounts."""
    account_id = request.session.get("account_id") or settings.STACKONE_ACCOUNT_ID
    if account_id and access_allows(request.user, BULK_PERMISSION, account_id):
        return redirect("candidates:health", account_id=account_id)
    findings = access_filter(HealthFinding.objects.all(), user=request.user, perm=BULK_PERMISSION)
    accounts = findings.values_list("account_id", flat=True).distinct().order_by("account_id")
    return render(request, "candidates/health/home.html", {"accounts": list(accounts)})


@never_cache
@require_GET
@ops_required
def health_page(request: HttpRequest, account_id: str) -> HttpResponse:
    chosen = request.GET.get("check", "")
    chosen = chosen if chosen in CHECKS_BY_NAME else ""
    summary = health_report(account_id, limit=FINDINGS_SHOWN, expand=chosen)
    detail = next((report for report in summary if report.check.name == chosen), None)
    return render(
        request,
        "candidates/health/page.html",
        {
            "account_id": account_id,
            "summary": summary,
            "detail": detail,
            "chosen": chosen,
        },
    )


@never_cache
@require_POST
@ops_required
def health_fix(request: HttpRequest, account_id: str) -> HttpResponse:
    check = request.POST.get("apply_all", "")
    if check in CHECKS_BY_NAME:
        findings, label = findings_fixable(account_id=account_id, check=check), check
    else:
        findings, label = (
            findings_selected(account_id=account_id, tokens=request.POST.getlist("selected")),
            "selected",
        )
        check = request.POST.get("check", "")
    page_url = reverse("candidates:health", kwargs={"account_id": account_id})
    back = redirect(f"{page_url}?{urlencode({'check': check})}" if check in CHECKS_BY_NAME else page_url)
    try:
        job = health_fix_job_create(user=request.user, account_id=account_id, findings=findings, label=label)
    except CsvInvalid as error:
        messages.error(request, f"No job was created: {error}")
        return back
    if job is None:
        messages.info(request, "Nothing to fix: select at least one finding that has a suggested fix.")
        return back
    messages.success(request, "Review the changes below, then start the job: nothing is written before.")
    return redirect("candidates:bulk_job", job_id=job.pk)
