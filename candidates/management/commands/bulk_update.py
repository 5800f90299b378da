"""``manage.py bulk_update FILE.csv --account ID [--dry-run] [--allow-removals]``: the web bulk
flow for scripts.

Same validation, same preview (current values read from StackOne, rows with no change
skipped), same row states, budget and audit entries; progress on the terminal and a results
CSV whose path is printed. The job also shows on the web's bulk pages (a ``--dry-run`` job
there can be looked at, never started). A job that removes list entries lists them and is not
started without ``--allow-removals``.

How the command finds the app's settings after ``make run``: see manage.py (``.run.env``).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates import services
from candidates.access import BULK_PERMISSION, command_user
from candidates.bulk.conflict_text import conflicts_text
from candidates.bulk.csv_parse import CsvInvalid, bulk_csv_parse, has_custom_field_columns
from candidates.bulk.jobs import (
    JobProgress,
    bulk_job_create,
    bulk_job_progress,
    bulk_job_removals,
    bulk_job_run,
    removals_sentence,
)
from candidates.bulk.preview import bulk_preview_run, bulk_row_shown_changes
from candidates.bulk.results import error_place, results_csv_write
from candidates.editor.change_text import changes_text
from candidates.exceptions import StackOneError, error_details
from candidates.models import BulkJob, BulkRow
from candidates.stackone import stackone_client


class Command(BaseCommand):
    help = "Update candidates in StackOne from a CSV file (column id plus StackOne field names)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, comma or semicolon).")
        parser.add_argument("--account", required=True, help="The linked account id (x-account-id).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate and preview only; send nothing (the job can never be started).")
        parser.add_argument("--allow-removals", action="store_true",
                            help="Send rows that remove list entries (emails, phone numbers, social links, "
                                 "custom fields, application ids); without it such a job is not started.")
        parser.add_argument("--results", type=Path, help="Where to write the results CSV.")
        parser.add_argument("--concurrency", type=int,
                            help="Requests in flight at once (default BULK_CONCURRENCY).")
        parser.add_argument("--user", help="Run as this existing user: they need Ops on the account, and "
                                           "the audit entries are theirs. Without it: as the operator "
                                           "(cli:<login>).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=[options["account"]])
        try:
            data = path.read_bytes()
            definitions = services.custom_field_definitions(
                client=stackone_client(bulk=True), account_id=options["account"], strict=True,
            ) if has_custom_field_columns(data) else []
            parsed = bulk_csv_parse(data, definitions=definitions, account_id=options["account"])
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except CsvInvalid as exc:
            raise CommandError(str(exc)) from exc
        except StackOneError as failure:
            raise CommandError("The account's custom field definitions could not be read from StackOne "
                               f"({error_details(failure)}).") from failure
        for row in parsed.rows:
            for error in row.errors:
                self._not_sent(row.line, row.candidate_id, error.as_dict())
        valid = sum(row.is_valid for row in parsed.rows)
        self.stdout.write(f"{len(parsed.rows)} rows: {valid} valid, "
                          f"{len(parsed.rows) - valid} invalid (never sent).")
        job = bulk_job_create(user=user, account_id=options["account"],
                              filename=path.name, parsed=parsed, concurrency=options.get("concurrency"),
                              dry_run=options["dry_run"])
        if not job.username:
            job.username = f"cli:{getpass.getuser()}"
        # This command starts the run itself: its rows are sent, and audited, as its user.
        job.started_by, job.started_by_username = job.user, job.username
        job.save(update_fields=["username", "started_by", "started_by_username"])
        self.stdout.write(f"Job #{job.pk}: reading current values from StackOne…")
        bulk_preview_run(job_id=job.pk, on_progress=lambda done, total: self._line(f"read {done}/{total}"))
        self._end_line()
        # Rows the file already ruled out were named above; the preview may rule out more (an id
        # StackOne does not know): every row that will not be sent is named with its reason.
        named = {row.line for row in parsed.rows if not row.is_valid}
        self._print_preview(job.rows.exclude(line__in=named).order_by("line"))
        refused = self._removals(job, allowed=options["allow_removals"] or options["dry_run"])
        if not options["dry_run"] and not refused:
            bulk_job_run(job_id=job.pk, on_progress=self._progress)
            self._end_line()
        progress = bulk_job_progress(job)
        # Rows checked right before their PATCH and found changed since the preview: never sent.
        for conflict in job.rows.filter(status=BulkRow.Status.CONFLICT).order_by("line"):
            self._not_sent(conflict.line, conflict.candidate_id,
                           {"message": f"{conflict.message} {conflicts_text(conflict)}"})
        self.stdout.write(f"saved {progress.saved}, failed {progress.failed}, unknown {progress.unknown}, "
                          f"not sent {progress.remaining + progress.not_sent}, "
                          f"no change {progress.no_change}, invalid {progress.invalid}.")
        if progress.conflict:
            self.stdout.write(f"conflict {progress.conflict}: changed in StackOne since the preview, "
                              "not sent (named above).")
        target = options.get("results") or path.with_name(f"{path.stem}-results-job{job.pk}.csv")
        self.stdout.write(f"Results: {results_csv_write(job, target)}")
        if refused:
            raise CommandError(f"Not started: {refused}. Run the command again with --allow-removals to "
                               "remove "
                               f"them, or start job #{job.pk} on the web after checking them.")

    def _not_sent(self, line: int, candidate_id: str, error: dict[str, Any]) -> None:
        place, message = error_place(error), error.get("message", "")
        self.stderr.write(f"line {line} ({candidate_id or 'no id'}) {place}: {message}")

    def _removals(self, job: BulkJob, *, allowed: bool) -> str:
        """Print the entries the job removes; return the refusal ("2 rows remove 3 entries") when
        they are not ``allowed``, else ""."""
        removals = bulk_job_removals(job)
        if not removals.entries:
            return ""
        self.stdout.write(f"{removals_sentence(removals)}:")
        for line, candidate_id, field, entry in removals.items:
            self.stdout.write(f"  line {line} {candidate_id}: {field}: removes {entry}")
        return "" if allowed else removals_sentence(removals)

    def _print_preview(self, rows: Any) -> None:
        for row in rows:
            if row.status == BulkRow.Status.INVALID:
                for error in row.errors or [{"column": "", "message": row.message or "invalid"}]:
                    self._not_sent(row.line, row.candidate_id, error)
                continue
            if row.status == BulkRow.Status.PENDING:
                self.stdout.write(f"line {row.line} {row.candidate_id}: "
                                  f"{changes_text(bulk_row_shown_changes(row))}")
            elif row.status == BulkRow.Status.NO_CHANGE:
                self.stdout.write(f"line {row.line} {row.candidate_id}: no change (skipped)")
            elif row.status != BulkRow.Status.NOT_SENT:
                self.stdout.write(f"line {row.line} {row.candidate_id}: {row.status}: {row.message}")
            # Changes the account's ATS does not accept, left out (the row's others are still sent).
            for item in row.not_sent:
                self._not_sent(row.line, row.candidate_id, item)

    def _progress(self, progress: JobProgress) -> None:
        eta = f", about {progress.eta_seconds:.0f} s left" if progress.eta_seconds is not None else ""
        self._line(f"{progress.percent}%: saved {progress.saved}, failed {progress.failed}, "
                   f"unknown {progress.unknown}, remaining {progress.remaining}{eta}")

    def _line(self, text: str) -> None:
        if sys.stdout.isatty():
            self.stdout.write("\r" + text.ljust(79), ending="")
        else:
            self.stdout.write(text)

    def _end_line(self) -> None:
        if sys.stdout.isatty():
            self.stdout.write("")
