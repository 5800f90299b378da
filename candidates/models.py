"""Local records only. Candidate data lives in the ATS behind StackOne, never here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class AccessGrant(models.Model):
    """One role on one linked account (or on all of them) for a user or a group.

    The only source of what a person may do (superusers aside): ``candidates.access`` reads it.
    ``source`` tells grants made here (Django admin, ``access_grant``) from the ones an
    identity provider's groups gave at sign-in, which are replaced at each of its sign-ins.
    """

    class Role(models.TextChoices):
        RECRUITER = "Recruiter", "Recruiter (find, view and edit candidates)"
        OPS = "Ops", "Ops (Recruiter, plus bulk updates, data health, directory syncs and the audit log)"
        AUDITOR = "Auditor", "Auditor (the audit log, read-only)"

    class Source(models.TextChoices):
        MANUAL = "manual", "granted here"
        PROVIDER = "provider", "from the identity provider's groups"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="access_grants")
    group = models.ForeignKey("auth.Group", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="access_grants")
    role = models.CharField(max_length=16, choices=Role.choices)
    all_accounts = models.BooleanField(default=False, help_text="Every linked account, present and future.")
    account_id = models.CharField("Account ID", max_length=255, blank=True,
                                  help_text="The linked account (x-account-id); empty with all accounts.")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "-all_accounts", "account_id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, group__isnull=True)
                           | models.Q(user__isnull=True, group__isnull=False)),
                name="access_grant_one_holder"),
            models.CheckConstraint(
                condition=(models.Q(all_accounts=True, account_id="")
                           | (models.Q(all_accounts=False) & ~models.Q(account_id=""))),
                name="access_grant_one_scope"),
            models.UniqueConstraint(fields=["user", "role", "all_accounts", "account_id", "source"],
                                    condition=models.Q(user__isnull=False), name="access_grant_unique_user"),
            models.UniqueConstraint(fields=["group", "role", "all_accounts", "account_id"],
                                    condition=models.Q(group__isnull=False),
                                    name="access_grant_unique_group"),
        ]

    def __str__(self) -> str:
        return f"{self.role} on {self.scope}"

    @property
    def scope(self) -> str:
        return "all accounts" if self.all_accounts else self.account_id

    @property
    def holder(self) -> str:
        return f"group {self.group}" if self.group_id else str(self.user)

    def clean(self) -> None:
        self.account_id = self.account_id.strip()
        if self.all_accounts and self.account_id:
            raise ValidationError({"account_id": "Leave the account ID empty for all accounts."})
        if not self.all_accounts and not self.account_id:
            raise ValidationError({"account_id": "Give the linked account ID, or tick all accounts."})


class SignInIdentity(models.Model):
    """The identity provider's subject and issuer of a user who signs in with OpenID Connect
    (recorded with the user's name on each audit entry)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="sign_in_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    groups = models.JSONField(default=list, blank=True,
                              help_text="The provider's groups at the last sign-in.")
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sign_in_identity_unique")]
        verbose_name_plural = "sign-in identities"

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class AuditEntry(models.Model):
    """One save attempt. Written before the request goes out and completed after it, so a
    crash in between leaves an ``unknown`` row, never nothing. Never holds credentials."""

    class Outcome(models.TextChoices):
        SAVED = "saved", "saved"
        SAVED_WITH_WARNINGS = "saved_with_warnings", "saved with warnings"
        REJECTED = "rejected", "rejected"
        UNKNOWN = "unknown", "unknown"
        CONFLICT = "conflict", "conflict"

    # A write that may have changed the candidate: only these can be reverted.
    REVERTABLE_OUTCOMES = (Outcome.SAVED, Outcome.SAVED_WITH_WARNINGS, Outcome.UNKNOWN)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="candidate_audit_entries")
    username = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
    # Who the identity provider says the user is (OpenID Connect sign-in); empty for local users.
    identity_issuer = models.CharField(max_length=255, blank=True)
    identity_subject = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=20, default="edit")
    account_id = models.CharField(max_length=255, db_index=True)
    candidate_id = models.CharField(max_length=255, db_index=True)
    returned_id = models.CharField(max_length=255, blank=True)
    returned_remote_id = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=list, help_text="[{field, old, new}] for each changed field.")
    request_body = models.JSONField(default=dict)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.UNKNOWN, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    warnings = models.JSONField(default=list, help_text="Fields sent that StackOne did not apply.")
    others_changed = models.JSONField(default=list, help_text="Fields someone else changed meanwhile.")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    retries = models.PositiveSmallIntegerField(default=0)
    form_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True,
        help_text="One-time token of the form that caused it (double-submit guard).")
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by",
        help_text="The save this one reverts (History's \"Revert this change\", a revert job's row).")
    request_id = models.CharField(
        max_length=64, blank=True, default="",
        help_text="The web request (or the task it queued) that made it: the id its log lines carry.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account_id", "candidate_id", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.candidate_id} {self.outcome}"

    @property
    def changed_fields(self) -> list[str]:
        return [change.get("field", "") for change in self.changes]

    @property
    def revertable(self) -> bool:
        """True for a write that may have changed the candidate and changed a field that can be
        set back (passthrough is write-only: its value before is unknown)."""
        return self.outcome in self.REVERTABLE_OUTCOMES and any(
            name not in ("", "passthrough") for name in self.changed_fields)


class UserPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="candidate_prefs")
    review_before_save = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"preferences of {self.user}"


class BulkJob(models.Model):
    """One CSV upload for one linked account: validated, previewed, then sent row by row.

    Candidate values are kept only as the preview's baseline and the body to send; StackOne
    stays the source of truth (the job re-reads it when retried).
    """

    class Status(models.TextChoices):
        PARSING = "parsing", "reading the file"
        UNREADABLE = "unreadable", "file not readable"
        PREVIEWING = "previewing", "reading current values"
        READY = "ready", "ready to start"
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"

    # The statuses in which a worker is on the job and reports its heartbeat.
    WORKING_STATUSES = (Status.PARSING, Status.PREVIEWING, Status.QUEUED, Status.RUNNING)
    # A working job whose worker has not reported for this long counts as stopped (its page offers
    # Resume; a purge may close it).
    STALE_AFTER_SECONDS = 60

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of its worker.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="bulk_jobs")
    username = models.CharField(max_length=150, help_text="Who uploaded the file.")
    # Who started the run and who last resumed it: rows are sent, and audited, as the person
    # whose run sent them (see run_by), not as the uploader.
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    started_by_username = models.CharField(max_length=150, blank=True)
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    resumed_by_username = models.CharField(max_length=150, blank=True)
    account_id = models.CharField(max_length=255)
    filename = models.CharField(max_length=255, blank=True)
    from_file = models.BooleanField(default=True, help_text="Its rows are lines of a CSV file (a data-health "
                                                            "job's are not: its page shows no line numbers).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWING)
    concurrency = models.PositiveSmallIntegerField(default=4)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="retries")
    # A job made by "Revert this job" (or bulk_revert): its rows set back what this job changed.
    reverts = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="reverted_by")
    # A job made by "Review conflicts": the job whose conflict rows it previews again.
    conflicts_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="conflict_reviews")
    # The upload is read by the background task, not in the request: the file waits here (and is
    # dropped once read), and the task reports its progress in parsed_rows of about file_lines.
    upload = models.BinaryField(null=True, blank=True, editable=False)
    file_lines = models.PositiveIntegerField(default=0)
    parsed_rows = models.PositiveIntegerField(default=0)
    parse_error = models.TextField(blank=True,
                                   help_text="Why the file could not be read (status unreadable).")
    dry_run = models.BooleanField(default=False, help_text="A command line's --dry-run: never started.")
    run_token = models.CharField(max_length=32, blank=True, editable=False,
                                 help_text="The run sending its rows now: a run that finds another's "
                                           "token here was taken over, and stops.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"bulk job {self.pk} ({self.account_id}, {self.status})"

    def run_by(self) -> tuple[Any, str]:
        """Return (user or None, name) of whoever started the run now sending rows: the last
        to resume it, else its starter (the uploader for a job from before this was recorded)."""
        if self.resumed_by_username:
            return self.resumed_by, self.resumed_by_username
        if self.started_by_username:
            return self.started_by, self.started_by_username
        return self.user, self.username


class BulkRow(models.Model):
    """One CSV row. Its status is saved before and after each request, so a worker that dies
    leaves ``checking`` (nothing sent: checked again on restart) or ``sending`` (turned into
    ``unknown`` on restart, never re-sent), never nothing."""

    class Status(models.TextChoices):
        INVALID = "invalid", "invalid"
        NO_CHANGE = "no_change", "no change"
        NOT_SENT = "not_sent", "not sent"  # its only changes: fields the account's ATS does not accept
        PENDING = "pending", "pending"
        CHECKING = "checking", "checking"  # the read right before the PATCH is in flight; nothing sent
        SENDING = "sending", "sending"
        SAVED = "saved", "saved"
        FAILED = "failed", "failed"
        UNKNOWN = "unknown", "unknown"
        CONFLICT = "conflict", "conflict"  # a field it writes changed in StackOne since its baseline

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(help_text="Line number in the CSV file (the header is line 1).")
    candidate_id = models.CharField(max_length=255)
    values = models.JSONField(default=dict, help_text="The cells given, cleaned (null = clear).")
    errors = models.JSONField(default=list, help_text="[{column, message}] validation errors.")
    baseline = models.JSONField(
        null=True, blank=True,
        help_text="The fields the row writes as they were when previewed (for a revert row: as the reverted "
                  "write left them); the check before the PATCH expects them unchanged. Nothing else.")
    expected = models.JSONField(
        null=True, blank=True,
        help_text="A revert row's {field: value the reverted write sent}, its baseline once previewed.")
    candidate_name = models.CharField(max_length=255, blank=True,
                                      help_text="The candidate's name when previewed, shown beside its id.")
    conflicts = models.JSONField(
        default=list, blank=True,
        help_text="[{field, baseline, current, wanted}] fields changed in StackOne since the baseline.")
    reverts_entry = models.ForeignKey(AuditEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", help_text="A revert row: the write it reverts.")
    body = models.JSONField(default=dict,
                            help_text="The PATCH body: the fields that differ from the baseline.")
    not_sent = models.JSONField(default=list, blank=True,
                                help_text="[{column, message}] changes the ATS does not accept (not sent).")
    removals = models.JSONField(default=list, blank=True,
                                help_text="[{field, entry}] list entries the body removes "
                                          "(confirmed before start).")
    removed_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    returned_id = models.CharField(max_length=255, blank=True)
    returned_remote_id = models.CharField(max_length=255, blank=True)
    audit_entry = models.ForeignKey(AuditEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return f"line {self.line} {self.candidate_id} {self.status}"


class ScheduleTick(models.Model):
    """One run of periodic work, claimed by the scheduler that ran it: the unique (name, slot)
    makes a tick run once however many schedulers run (one per host is safe). ``slot`` is the
    start of the interval, in seconds since the epoch divided by the interval."""

    name = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    claimed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_by = models.CharField(max_length=255, blank=True, help_text="host and process that ran it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="schedule_tick_once")]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"


class WorkerBeat(models.Model):
    """A worker process's last sign of life, written every few seconds by ``manage.py worker``
    (and the embedded worker): a worker silent for ``WORKER_TAKEOVER_SECONDS`` is lost, and the
    tasks it was running go back to the queue for another worker (``worker.worker_recover``)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.host}, pid {self.pid})"
