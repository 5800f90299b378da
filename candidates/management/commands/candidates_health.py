"""``manage.py candidates_health --account ID [--check NAME] [--fixes FILE]``: the data-health
findings per check, and the certain fixes as a bulk-update CSV that ``bulk_update`` accepts as is
(formula-like cells neutralised as every export does; phone fixes read in HEALTH_PHONE_REGION are
listed apart and left out of the file, as they are left out of "Apply all")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.access import BULK_PERMISSION, command_user
from candidates.health.checks import CHECK_NAMES
from candidates.health.fixes import fixes_combine, fixes_csv
from candidates.health.report import FindingRow, health_report


class Command(BaseCommand):
    help = "Print the data-health findings of a linked account; optionally write the certain fixes as a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="The linked account id.")
        parser.add_argument("--check", choices=CHECK_NAMES, help="Only this check.")
        parser.add_argument("--fixes", type=Path, help="Write the certain fixes here as a bulk-update CSV.")
        parser.add_argument("--user", help="Run as this existing user (they need Ops on the account); "
                                           "without it: as the operator.")

    def handle(self, *args: Any, **options: Any) -> None:
        command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=[options["account"]])
        checks = (options["check"],) if options.get("check") else None
        reports = health_report(options["account"], checks=checks, limit=None)
        fixable = []
        for report in reports:
            guessed = (
                f", {report.guessed} read in HEALTH_PHONE_REGION (not in --fixes)" if report.guessed else ""
            )
            self.stdout.write(
                f"{report.check.name}: {report.count} finding(s), {report.fixable} with a fix{guessed} "
                f"— {report.check.title}"
            )
            for row in report.rows:
                self._finding(row)
                if row.finding.fix is not None:
                    fixable.append(row.finding)
            if report.guessed_rows:
                self.stdout.write(f"  Read as {report.region} numbers, to check one by one on the page:")
                for row in report.guessed_rows:
                    self._finding(row)
        target: Path | None = options.get("fixes")
        if target is not None:
            data = fixes_csv(fixable)
            try:
                target.write_bytes(data)
            except OSError as exc:
                raise CommandError(f"Cannot write {target}: {exc.strerror}") from exc
            rows = len(fixes_combine(fixable))
            self.stdout.write(
                f"Fixes: {rows} candidate row(s) written to {target}"
                + (
                    " (no fixes: the file is empty)."
                    if not rows
                    else f". Apply with: manage.py bulk_update {target} --account {options['account']}"
                )
            )

    def _finding(self, row: FindingRow) -> None:
        finding = row.finding
        # Values between quotes as people write them, never Python's repr ('…', escapes).
        fix = f" → “{row.fix_text}”" if row.fix_text else ""
        name = f" ({row.name})" if row.name else ""
        self.stdout.write(
            f"  {finding.candidate_id}{name} {row.place}: “{_short(finding.value)}”: {finding.note}{fix}"
        )


def _short(value: str, limit: int = 120) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
