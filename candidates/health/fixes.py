"""Fixes → a bulk job: the findings' fixes combined per candidate into typed rows (the candidate
id and the fields to set, in API shape) handed to ``bulk.handoff``, which creates the job through
the same path an uploaded file takes (preview with old → new, start, progress, results, retry,
audit). ``fixes_csv`` writes the same rows as a bulk-update CSV for ``candidates_health --fixes``.

List fields are sent whole: the list as read with the fixed rows replaced (or the Email
appended), the other rows kept as they were.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from candidates.bulk.handoff import MAX_ROWS, HandoffInvalid, HandoffRow, bulk_job_handoff
from candidates.csv_cells import csv_cell
from candidates.editor.fields import BODY_FIELDS
from candidates.health.checks import Finding, fix_text, fix_value_problem
from candidates.health.clusters import cluster_findings, company_clusters
from candidates.health.models import HealthFinding
from candidates.models import BulkJob
from candidates.types import JSONValue

CLUSTER_CHECK = "company_cluster"


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
        guessed_region=row.guessed_region,
    )


def finding_token(pk: int) -> str:
    """Return the value of a stored finding's checkbox."""
    return f"f{pk}"


def findings_selected(*, account_id: str, tokens: Iterable[str]) -> list[Finding]:
    """Return the fixable findings the checkbox values name (unknown or stale ones are ignored;
    fixes are always taken from the server's records, never from the form). A phone fix read in
    HEALTH_PHONE_REGION is taken when its box was ticked: a person chose it."""
    pks = {int(token[1:]) for token in tokens if token.startswith("f") and token[1:].isdigit()}
    if not pks:
        return []
    rows = HealthFinding.objects.filter(account_id=account_id, pk__in=pks, fix__isnull=False)
    return [finding_of(row) for row in rows.order_by("candidate_id", "pk")]


def findings_fixable(*, account_id: str, check: str) -> list[Finding]:
    """Return every stored finding of ``check`` whose fix is certain ("Apply all"): never a
    phone fix read in HEALTH_PHONE_REGION. (Company clusters: ``cluster_fix_job_create``.)"""
    rows = HealthFinding.objects.filter(
        account_id=account_id, check_name=check, fix__isnull=False, guessed_region=""
    )
    return [finding_of(row) for row in rows.order_by("candidate_id", "pk")]


class PickInvalid(ValueError):
    """A spelling picked for a company cluster cannot be kept (the cluster changed since the page
    was shown, or the spelling may not be written); no job was created."""


def cluster_fix_job_create(
    *, user: Any, account_id: str, keep: Mapping[str, str], only: str | None = None
) -> BulkJob | None:
    """Create the bulk job that writes, in each cluster (or only the cluster ``only``), the
    spelling ``keep`` names for its key (else its proposed one) on the candidates spelt otherwise.
    Returns the job, or None when there is nothing to change. Raises PickInvalid, HandoffInvalid."""
    clusters = {cluster.key: cluster for cluster in company_clusters(account_id)}
    if only is not None and only not in clusters:
        raise PickInvalid("That cluster is no longer listed (its spellings changed, or it was ignored).")
    for key, spelling in keep.items():
        if key in clusters and not clusters[key].keepable(spelling):
            raise PickInvalid(f"{spelling!r} is not a spelling of this cluster that can be kept.")
    chosen = [clusters[only]] if only is not None else list(clusters.values())
    findings = cluster_findings(account_id, chosen, keep=keep)
    label = f"company spelling {keep.get(only) or clusters[only].default!r}" if only else "company spellings"
    return health_fix_job_create(user=user, account_id=account_id, findings=findings, label=label)


def fixes_combine(findings: Iterable[Finding]) -> dict[str, dict[str, JSONValue]]:
    """Return candidate id → {field: new value} for the findings that carry a fix (a fix whose
    value may not be written, ``fix_value_problem``, is left out: stored findings are checked
    again here)."""
    out: dict[str, dict[str, JSONValue]] = {}
    bases: dict[tuple[str, str], int] = {}
    for finding in findings:
        if finding.fix is None or fix_value_problem(fix_text(finding.fix)) is not None:
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


def fixes_rows(findings: Iterable[Finding]) -> list[HandoffRow]:
    """Return the fixes as the typed rows a bulk job is made of, one per candidate."""
    return [HandoffRow(candidate_id, values) for candidate_id, values in fixes_combine(findings).items()]


def fixes_csv(findings: Iterable[Finding]) -> bytes:
    """Return the fixes as a bulk-update CSV (UTF-8): ``id`` and the changed columns, a list
    cell as JSON, an unchanged cell empty; a cell a spreadsheet would run as a formula (a phone
    number's leading +) neutralised as every export does (``csv_cell``), which the bulk upload
    reads back as written. Empty bytes when there is nothing to fix."""
    rows = fixes_combine(findings)
    if not rows:
        return b""
    used = {name for values in rows.values() for name in values}
    columns = [name for name in BODY_FIELDS if name in used]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *columns])
    for candidate_id, values in rows.items():
        writer.writerow(
            [csv_cell(cell) for cell in (candidate_id, *(_cell(values.get(name)) for name in columns))]
        )
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
    user starts it). Returns None when no finding had a fix. Raises HandoffInvalid when there are
    more candidates than one bulk job takes."""
    rows = fixes_rows(findings)
    if not rows:
        return None
    if len(rows) > MAX_ROWS:
        raise HandoffInvalid(
            f"{len(rows):,} candidates to fix, but one bulk job takes at most {MAX_ROWS:,}. "
            "Select fewer findings, or write the fixes with manage.py candidates_health --fixes "
            "and split the file."
        )
    return bulk_job_handoff(user=user, account_id=account_id, label=f"Data health: {label}", rows=rows)
