"""What the page and the command show: per check its count, fixable count and findings (the
phone fixes read in HEALTH_PHONE_REGION apart), the company clusters and the shared addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from candidates.directory.models import DirectoryEntry
from candidates.health.checks import CHECKS, Check, Finding, fix_text
from candidates.health.clusters import (
    CompanyCluster,
    EmailGroup,
    cluster_findings,
    company_clusters,
    duplicate_emails,
    duplicate_findings,
)
from candidates.health.fixes import CLUSTER_CHECK, finding_of, finding_token
from candidates.health.models import HealthFinding


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    token: str  # the checkbox value of a stored finding with a fix, else ""
    name: str  # the candidate's name from the directory, else ""

    @property
    def fix_text(self) -> str:
        """The suggested fix as shown: the new value (a list row: its address or number)."""
        return fix_text(self.finding.fix)

    @property
    def place(self) -> str:
        """The field, with the row number in a list ("phone_numbers row 2")."""
        finding = self.finding
        return finding.field if finding.row is None else f"{finding.field} row {finding.row + 1}"


@dataclass
class CheckReport:
    check: Check
    count: int
    fixable: int  # what "Apply all" takes
    guessed: int = 0  # phone fixes read in HEALTH_PHONE_REGION: listed apart, never in "Apply all"
    rows: list[FindingRow] = field(default_factory=list)  # at most ``limit``, the guessed ones apart
    guessed_rows: list[FindingRow] = field(default_factory=list)  # at most ``limit``
    clusters: list[CompanyCluster] = field(default_factory=list)
    groups: list[EmailGroup] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - self.guessed - len(self.rows)

    @property
    def guessed_more(self) -> int:
        return self.guessed - len(self.guessed_rows)

    @property
    def region(self) -> str:
        """The region the guessed fixes were read in."""
        return self.guessed_rows[0].finding.guessed_region if self.guessed_rows else ""


def health_report(
    account_id: str,
    *,
    checks: tuple[str, ...] | None = None,
    limit: int | None = 100,
    expand: str | None = None,
) -> list[CheckReport]:
    """Return the report of each check (all, or those named), findings capped at ``limit``
    per check (None: all). With ``expand``, only that check lists findings (the page: every
    count, one check's findings, each cross-candidate check computed once)."""
    selected = [check for check in CHECKS if checks is None or check.name in checks]
    limits = {check.name: (limit if expand is None or check.name == expand else 0) for check in selected}
    counts: dict[str, dict[str, Any]] = {
        row["check_name"]: dict(row)
        for row in HealthFinding.objects.filter(account_id=account_id)
        .values("check_name")
        .annotate(
            n=Count("id"),
            fixable=Count("id", filter=Q(fix__isnull=False, guessed_region="")),
            guessed=Count("id", filter=Q(fix__isnull=False) & ~Q(guessed_region="")),
        )
        .order_by()
    }
    reports = []
    for check in selected:
        limit = limits[check.name]
        if check.name == CLUSTER_CHECK:
            clusters = company_clusters(account_id)
            count = sum(cluster.to_fix for cluster in clusters)
            report = CheckReport(check, count, count, clusters=clusters)
            if limit != 0:
                findings = cluster_findings(account_id, clusters, limit=limit)
                report.rows = [FindingRow(f, "", "") for f in findings]
        elif check.name == "duplicate_email":
            groups = duplicate_emails(account_id)
            findings = duplicate_findings(groups)
            report = CheckReport(check, len(findings), 0, groups=groups)
            report.rows = [FindingRow(f, "", "") for f in findings[:limit]]
        else:
            stored: dict[str, Any] = counts.get(check.name, {})
            report = CheckReport(
                check, stored.get("n", 0), stored.get("fixable", 0), stored.get("guessed", 0)
            )
            if limit != 0:
                rows = HealthFinding.objects.filter(account_id=account_id, check_name=check.name)
                certain = rows.exclude(fix__isnull=False, guessed_region__gt="").order_by(
                    "candidate_id", "pk"
                )
                report.rows = [
                    _row(row) for row in (certain[:limit] if limit is not None else certain.iterator())
                ]
                if report.guessed:
                    guessed = rows.filter(fix__isnull=False, guessed_region__gt="").order_by(
                        "candidate_id", "pk"
                    )
                    report.guessed_rows = [
                        _row(row) for row in (guessed[:limit] if limit is not None else guessed.iterator())
                    ]
        reports.append(report)
    _names(account_id, reports)
    return reports


def _row(row: HealthFinding) -> FindingRow:
    return FindingRow(finding_of(row), finding_token(row.pk) if row.fix is not None else "", "")


def _names(account_id: str, reports: list[CheckReport]) -> None:
    ids = {row.finding.candidate_id for report in reports for row in (*report.rows, *report.guessed_rows)}
    names: dict[str, str] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        names.update(
            DirectoryEntry.objects.filter(
                account_id=account_id, candidate_id__in=id_list[start : start + 500]
            ).values_list("candidate_id", "name")
        )
    for report in reports:
        report.rows = [_named(row, names) for row in report.rows]
        report.guessed_rows = [_named(row, names) for row in report.guessed_rows]


def _named(row: FindingRow, names: dict[str, str]) -> FindingRow:
    return FindingRow(row.finding, row.token, names.get(row.finding.candidate_id, ""))
