"""The directory's tables. Personal data kept here is only what search and lists need:
names, email addresses, phone numbers, company, title, country, ids and timestamps."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirectoryEntry(models.Model):
    """One candidate of one linked account, as last read from (or written to) StackOne."""

    account_id = models.CharField(max_length=255)
    candidate_id = models.CharField(max_length=255)
    remote_id = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=512, blank=True)
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=320, blank=True, help_text="Email, else the first of Emails.")
    emails = models.TextField(blank=True, help_text="Every address (Email and Emails), one a line.")
    phones = models.TextField(blank=True, help_text="Every phone number as stored, one a line.")
    company = models.CharField(max_length=512, blank=True)
    title = models.CharField(max_length=512, blank=True)
    country = models.CharField(max_length=255, blank=True)
    remote_created_at = models.DateTimeField(null=True, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(blank=True, help_text="Normalised text that search matches.")
    name_text = models.TextField(blank=True,
                                 help_text="Normalised names, which typo-tolerant search compares.")
    company_text = models.TextField(blank=True, help_text="The company's words, as name_text has the names'.")
    indexed_at = models.DateTimeField(auto_now=True)
    sync_run = models.PositiveIntegerField(default=0, help_text="The last full sync run that listed it.")

    class Meta:
        verbose_name_plural = "directory entries"
        constraints = [
            models.UniqueConstraint(fields=["account_id", "candidate_id"], name="directory_entry_unique"),
        ]
        indexes = [
            models.Index(fields=["account_id", "-remote_updated_at"], name="directory_updated"),
            models.Index(fields=["account_id", "name"], name="directory_name"),
            # The rows written since a moment (indexed_at).
            models.Index(fields=["account_id", "indexed_at"], name="directory_indexed"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email or self.candidate_id} ({self.account_id})"


class DirectorySync(models.Model):
    """One sync run of one account: where it is (the cursor of the next page), its counts and
    its outcome. A run left ``running`` by a worker that died, or ``failed``, is resumed from
    its cursor by the next sync of the account. At most one run per account is queued or running."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    account_id = models.CharField(max_length=255)
    full = models.BooleanField(default=False, help_text="Lists every candidate (and removes the others).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    updated_after = models.DateTimeField(null=True, blank=True, help_text="Incremental: what changed since.")
    cursor = models.TextField(blank=True, help_text="The next page's cursor ('' = first page, or done).")
    pages = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="Rows expected (for the estimate).")
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=64, blank=True, help_text="Who runs it (a token set when claimed).")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account_id"],
                                    condition=models.Q(status__in=["queued", "running"]),
                                    name="directory_sync_one_active"),
        ]
        indexes = [
            models.Index(fields=["account_id", "status", "-finished_at"], name="directory_sync_latest"),
        ]

    def __str__(self) -> str:
        return f"{'full' if self.full else 'incremental'} sync {self.pk} of {self.account_id}: {self.status}"


class DirectoryAction(models.Model):
    """Who asked for a sync ("Sync now", "Full sync") or a purge of an account's directory, when,
    and what came of it. Kept when the directory is purged: it names staff, not candidates."""

    class Kind(models.TextChoices):
        SYNC = "sync", "Sync"
        FULL_SYNC = "full_sync", "Full sync"
        PURGE = "purge", "Purge"

    account_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the user is deleted; "
                                                          "cli:<login> or retention without one.")
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="What came of it, in words.")

    class Meta:
        indexes = [models.Index(fields=["account_id", "kind", "-created_at"], name="directory_action_latest")]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.get_kind_display()} of {self.account_id} by {self.username} at {when}"
