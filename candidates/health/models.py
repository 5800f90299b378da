"""Data-health findings of the per-candidate checks. Only the offending value and its fix are
kept (plus, for a fixable list row, that list as read, so the fix can send the list whole)."""

from __future__ import annotations

from django.db import models


class HealthFinding(models.Model):
    account_id = models.CharField(max_length=255)
    candidate_id = models.CharField(max_length=255)
    check_name = models.CharField(max_length=40)
    field = models.CharField(max_length=40)
    row = models.PositiveIntegerField(null=True, blank=True, help_text="Index in a list field, if any.")
    value = models.TextField(blank=True, help_text="The offending value as stored.")
    note = models.CharField(max_length=500, blank=True, help_text="What is wrong, in words.")
    fix = models.JSONField(
        null=True, blank=True, help_text="The safe fix (the new value or list row), if any."
    )
    list_value = models.JSONField(
        null=True, blank=True, help_text="A fixable list row's whole list as read (sent whole)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["account_id", "check_name"], name="health_check"),
            models.Index(fields=["account_id", "candidate_id"], name="health_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.check_name} {self.candidate_id} {self.field}"
