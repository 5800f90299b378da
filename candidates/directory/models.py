"""The directory's tables. Personal data kept here is only what search and lists need:
names, email addresses, phone numbers, company, title, country, ids and timestamps."""

from __future__ import annotations

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
            # SQLite search reads the names written since its last look (see vocabulary.py).
            models.Index(fields=["account_id", "indexed_at"], name="directory_indexed"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email or self.candidate_id} ({self.account_id})"
