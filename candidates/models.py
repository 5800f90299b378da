"""Local records only. Candidate data lives in the ATS behind StackOne, never here."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StackOneAccess(models.Model):
    """Holds the app's permissions; no table. Admins grant them through groups (roles)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_candidates", "Can find and view candidates"),
            ("edit_candidates", "Can edit candidates in StackOne"),
            ("bulk_update", "Can run bulk updates from CSV"),
            ("view_audit", "Can read the audit log"),
        ]


class AuditEntry(models.Model):
    """One save attempt. Written before the request goes out and completed after it, so a
    crash in between leaves an ``unknown`` row, never nothing. Never holds credentials."""

    class Outcome(models.TextChoices):
        SAVED = "saved", "saved"
        SAVED_WITH_WARNINGS = "saved_with_warnings", "saved with warnings"
        REJECTED = "rejected", "rejected"
        UNKNOWN = "unknown", "unknown"
        CONFLICT = "conflict", "conflict"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="candidate_audit_entries")
    username = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
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
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True,
                                  help_text="One-time token of the form that caused it (double-submit guard).")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account_id", "candidate_id", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.candidate_id} {self.outcome}"

    @property
    def changed_fields(self) -> list[str]:
        return [change.get("field", "") for change in self.changes]


class UserPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_prefs")
    review_before_save = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"preferences of {self.user}"
