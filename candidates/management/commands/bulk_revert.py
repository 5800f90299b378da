"""``manage.py bulk_revert JOB_ID [--dry-run] [--user NAME]``: the web's "Revert this job" for
scripts.

A new job sets every field the job changed back to its value before the job (from its audit
entries); its preview reads each candidate, and a row whose field no longer holds what the job
wrote is a conflict, never sent. Every row left alone is named with its line, id and reason.
A dry run previews and sends nothing, and keeps no job.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.access import BULK_PERMISSION, command_user
from candidates.bulk.conflict_text import conflicts_text
from candidates.bulk.jobs import bulk_job_progress, bulk_job_removals, bulk_job_run, removals_sentence
from candidates.bulk.preview import bulk_preview_run, bulk_row_shown_changes
from candidates.bulk.results import results_csv_write
from candidates.bulk.revert import JobNotRevertable, bulk_job_revert
from candidates.editor.change_text import changes_text
from candidates.models import BulkJob, BulkRow

S = BulkRow.Status


class Command(BaseCommand):
    help = "Revert a bulk job: set back every field it changed, leaving alone what changed since."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job_id", type=int, help="The bulk job to revert (its number on the web).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Preview the revert and name what it would leave alone; "
                                 "send nothing, keep no job.")
        parser.add_argument("--user", help="Run as this existing user: they need Ops on the job's account, "
                                           "and the audit entries are theirs. Without it: as the operator "
                                           "(cli:<login>).")
        parser.add_argument("--results", type=Path, help="Where to write the results CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            job = BulkJob.objects.get(pk=options["job_id"])
        except BulkJob.DoesNotExist as exc:
            raise CommandError(f"No bulk job #{options['job_id']}.") from exc
        user = command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=[job.account_id])
        username = "" if user else f"cli:{getpass.getuser()}"
        try:
            # A dry run changes nothing, not even a stopped job (which a real revert ends first),
            # and its job is never startable from the web while it exists.
            revert = bulk_job_revert(job=job, user=user, username=username, dry_run=options["dry_run"])
        except JobNotRevertable as exc:
            raise CommandError(str(exc)) from exc
        new = revert.job
        try:
            new.started_by, new.started_by_username = user, username or user.username
            new.save(update_fields=["started_by", "started_by_username"])
            self.stdout.write(f"Job #{new.pk} reverts job #{job.pk}: {revert.to_revert} row(s) to set back, "
                              f"{len(revert.left_alone)} left alone.")
            for alone in revert.left_alone:
                self.stdout.write(f"line {alone.line} ({alone.candidate_id}) left alone: {alone.reason}")
            bulk_preview_run(job_id=new.pk)
            named = self._print_preview(new)
            self._print_removals(new)
            if not options["dry_run"]:
                bulk_job_run(job_id=new.pk)
            self._print_outcome(new, options, named)
        finally:
            if options["dry_run"]:
                new.delete()

    def _print_preview(self, job: BulkJob) -> set[int]:
        """Name each row the preview found: what it sets back, or why it is left alone. Returns the
        lines named as conflicts."""
        conflicts = set()
        for row in job.rows.exclude(message__startswith="Left alone").order_by("line"):
            where = f"line {row.line} ({row.candidate_id})"
            if row.status == S.PENDING:
                self.stdout.write(f"{where} sets back {changes_text(bulk_row_shown_changes(row))}")
            elif row.status == S.CONFLICT:
                conflicts.add(row.line)
                self.stdout.write(f"{where} left alone: changed in StackOne since the job: "
                                  f"{conflicts_text(row)}")
            elif row.status == S.NO_CHANGE:
                self.stdout.write(f"{where} left alone: it already holds its values from before the job.")
            elif row.status == S.INVALID:
                self.stdout.write(f"{where} left alone: the candidate is no longer in StackOne.")
            else:
                self.stdout.write(f"{where} left alone: {row.status}: {row.message}")
            for item in row.not_sent:
                self.stdout.write(f"{where} {item['column']} left alone: {item['message']}")
        return conflicts

    def _print_removals(self, job: BulkJob) -> None:
        """Name the list entries setting lists back removes (entries the job added): a revert is
        itself the confirmation, but nothing is removed unsaid."""
        removals = bulk_job_removals(job)
        if not removals.entries:
            return
        self.stdout.write(f"Setting lists back removes entries: {removals_sentence(removals)}.")
        for line, candidate_id, field, entry in removals.items:
            self.stdout.write(f"line {line} ({candidate_id}) {field}: removes {entry}")

    def _print_outcome(self, job: BulkJob, options: dict[str, Any], named: set[int]) -> None:
        progress = bulk_job_progress(job)
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {progress.remaining} row(s) would be set back, "
                              f"{progress.conflict} conflict(s); nothing was sent and no job was kept.")
            return
        self.stdout.write(f"saved {progress.saved}, failed {progress.failed}, unknown {progress.unknown}, "
                          f"conflict {progress.conflict}, no change {progress.no_change}.")
        # Conflicts found while sending (changed between the preview and the row's turn).
        for row in job.rows.filter(status=S.CONFLICT).exclude(line__in=named).order_by("line"):
            self.stdout.write(f"line {row.line} ({row.candidate_id}) not sent: {conflicts_text(row)}")
        target = options.get("results") or Path(f"revert-of-job{job.reverts_id}-results-job{job.pk}.csv")
        self.stdout.write(f"Results: {results_csv_write(job, target)}")
