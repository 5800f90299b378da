"""Safe fixes → a bulk-update CSV (only ``id`` and the changed columns) → a bulk job through the
existing pipeline (preview with old → new, start, progress, results, retry, audit).

List fields are sent whole: the list as read with the fixed rows replaced (or the Email
appended), the other rows kept as they were.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from candidates.bulk.handoff import ID_COLUMN, MAX_ROWS, CsvInvalid, bulk_job_handoff
from candidates.editor.fields import BODY_FIELDS
from candidates.health.checks import Finding
from candidates.health.clusters import cluster_findings, company_clusters
from candidates.health.models import HealthFinding
from candidates.models import BulkJob
from candidates.types import JSONValue

STORED_PREFIX, CLUSTER_PREFIX = "f", "c"


def finding_of(row: HealthFinding) -> Finding:
    return Finding(
        row.check_name,
        row.candidate_id,
        row.field,
        row.row,
        row.value,
        row.note,
        fix=row.fix,
        list_value=row.list_value,
    )


def finding_token(finding: Finding, pk: int | None = None) -> str:
    """Return the value of a finding's checkbox: ``f<pk>`` (stored) or ``c<candidate id>`` (a
    company cluster, recomputed when submitted)."""
    return f"{STORED_PREFIX}{pk}" if pk is not None else f"{CLUSTER_PREFIX}{finding.candidate_id}"


def findings_selected(*, account_id: str, tokens: Iterable[str]) -> list[Finding]:
    """Return the fixable findings the checkbox values name (unknown or stale ones are ignored;
    fixes are always taken from the server's records, never from the form)."""
    pks, cluster_ids = set(), set()
    for token in tokens:
        if token.startswith(STORED_PREFIX) and token[1:].isdigit():
            pks.add(int(token[1:]))
        elif token.startswith(CLUSTER_PREFIX) and len(token) > 1:
            cluster_ids.add(token[1:])
    found = (
        [
            finding_of(row)
            for row in HealthFinding.objects.filter(
                account_id=account_id, pk__in=pks, fix__isnull=False
            ).order_by("candidate_id", "pk")
        ]
        if pks
        else []
    )
    if cluster_ids:
        found += cluster_findings(account_id, company_clusters(account_id), candidate_ids=cluster_ids)
    return found


def findings_fixable(*, account_id: str, check: str) -> list[Finding]:
    """Return every finding of ``check`` that has a safe fix ("apply all")."""
    if check == "company_cluster":
        return cluster_findings(account_id, company_clusters(account_id))
    return [
        finding_of(row)
        for row in HealthFinding.objects.filter(
            account_id=account_id, check_name=check, fix__isnull=False
        ).order_by("candidate_id", "pk")
    ]


def fixes_combine(findings: Iterable[Finding]) -> dict[str, dict[str, JSONValue]]:
    """Return candidate id → {field: new value} for the findings that carry a fix."""
    out: dict[str, dict[str, JSONValue]] = {}
    bases: dict[tuple[str, str], int] = {}
    for finding in findings:
        if finding.fix is None:
            continue
        fields = out.setdefault(finding.candidate_id, {})
        if finding.list_value is None or finding.row is None:
            fields[finding.field] = finding.fix
            continue
        rows = fields.get(finding.field)
        if not isinstance(rows, list):
            rows = fields[finding.field] = [dict(row) for row in finding.list_value]
            bases[finding.candidate_id, finding.field] = len(finding.list_value)
        if finding.row < bases[finding.candidate_id, finding.field]:
            rows[finding.row] = finding.fix
        elif finding.fix not in rows:
            rows.append(finding.fix)
    return out


def fixes_csv(findings: Iterable[Finding]) -> bytes:
    """Return the fixes as a bulk-update CSV (UTF-8): ``id`` and the changed columns, a list
    cell as JSON, an unchanged cell empty. Empty bytes when there is nothing to fix."""
    rows = fixes_combine(findings)
    if not rows:
        return b""
    used = {name for values in rows.values() for name in values}
    columns = [name for name in BODY_FIELDS if name in used]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([ID_COLUMN, *columns])
    for candidate_id, values in rows.items():
        writer.writerow([candidate_id, *(_cell(values.get(name)) for name in columns)])
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def health_fix_job_create(
    *, user: Any, account_id: str, findings: Iterable[Finding], label: str
) -> BulkJob | None:
    """Create the bulk job for the fixes and queue its preview (nothing is written before the
    user starts it). Returns None when no finding had a fix. Raises CsvInvalid when there are more
    candidates than one bulk job takes."""
    findings = list(findings)
    count = len(fixes_combine(findings))
    if count > MAX_ROWS:
        raise CsvInvalid(
            f"{count:,} candidates to fix, but one bulk job takes at most {MAX_ROWS:,}. "
            "Select fewer findings, or write the fixes with manage.py candidates_health --fixes "
            "and split the file."
        )
    data = fixes_csv(findings)
    if not data:
        return None
    return bulk_job_handoff(user=user, account_id=account_id, filename=f"data-health-{label}.csv", data=data)
