"""What the page and the command show: per check its count, fixable count and findings (the
phone fixes read in HEALTH_PHONE_REGION apart), the company clusters and the shared addresses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from candidates.directory.models import DirectoryEntry
from candidates.directory.selectors import directory_candidate_names
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
    # The shared addresses as shown: (address, [(candidate id, name or "")]), the first GROUPS_SHOWN.
    named_groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

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


GROUPS_SHOWN = 200


def _names(account_id: str, reports: list[CheckReport]) -> None:
    """Name each finding's candidate and each shared address's candidates as the directory
    last saw them (name, else first and last name)."""
    ids = {row.finding.candidate_id for report in reports for row in (*report.rows, *report.guessed_rows)}
    ids.update(cid for report in reports for group in report.groups[:GROUPS_SHOWN]
               for cid in group.candidate_ids)
    found = directory_candidate_names(pairs=[(account_id, cid) for cid in ids])
    names = {cid: name for (_, cid), name in found.items()}
    for report in reports:
        report.rows = [_named(row, names) for row in report.rows]
        report.guessed_rows = [_named(row, names) for row in report.guessed_rows]
        report.named_groups = [(group.email, [(cid, names.get(cid, "")) for cid in group.candidate_ids])
                               for group in report.groups[:GROUPS_SHOWN]]


def _named(row: FindingRow, names: dict[str, str]) -> FindingRow:
    return FindingRow(row.finding, row.token, names.get(row.finding.candidate_id, ""))


@dataclass(frozen=True)
class AccountHealth:
    """One linked account on the data-health overview: its name, how many candidates its
    directory holds, and its findings (every check's count, the ones with a certain fix)."""

    account_id: str
    name: str
    active: bool | None  # None: not among the accounts StackOne listed (or it could not say)
    indexed: int
    findings: int
    fixable: int


def health_overview(accounts: list[tuple[str, str, bool | None]], *,
                    allowed: Callable[[str], bool] = lambda account_id: True) -> list[AccountHealth]:
    """Return every account of ``accounts`` ((id, name, active), in their order), then any other
    account the directory or data health holds that ``allowed`` lets the reader see, each with
    its counts (every check's, as the account's page counts them)."""
    listed = {account_id for account_id, _, _ in accounts}
    held = set(DirectoryEntry.objects.values_list("account_id", flat=True).distinct().order_by())
    held |= set(HealthFinding.objects.values_list("account_id", flat=True).distinct().order_by())
    held = {account_id for account_id in held if account_id in listed or allowed(account_id)}
    rows = [*accounts, *((account_id, account_id, None) for account_id in sorted(held - listed))]
    indexed = dict(DirectoryEntry.objects.values("account_id").annotate(n=Count("id"))
                   .order_by().values_list("account_id", "n"))
    overview = []
    for account_id, name, active in rows:
        reports = health_report(account_id, limit=0) if account_id in held else []
        overview.append(AccountHealth(account_id, name, active, indexed.get(account_id, 0),
                                      sum(report.count for report in reports),
                                      sum(report.fixable for report in reports)))
    return overview


EXPORT_COLUMNS = ("check", "candidate_id", "candidate_name", "field", "row", "value", "problem",
                  "suggested_fix")


def health_export_rows(account_id: str, *, check: str | None = None) -> Iterator[list[str]]:
    """Yield the findings of ``account_id`` (every check, or ``check``) as CSV rows under
    EXPORT_COLUMNS: every finding, not the page's first few hundred; a row number counts from 1."""
    for report in health_report(account_id, checks=(check,) if check else None, limit=None):
        for row in (*report.rows, *report.guessed_rows):
            finding = row.finding
            place = "" if finding.row is None else str(finding.row + 1)
            yield [report.check.name, finding.candidate_id, row.name, finding.field, place, finding.value,
                   finding.note, row.fix_text]
