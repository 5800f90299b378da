"""Data-health records: the findings of the per-candidate checks (only the offending value and
its fix, plus, for a fixable list row, that list as read, so the fix can send the list whole),
and the company clusters an account chose to ignore."""

from __future__ import annotations

from django.conf import settings
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
    guessed_region = models.CharField(
        max_length=2,
        blank=True,
        default="",
        help_text="The region (HEALTH_PHONE_REGION) a phone fix was read in because the candidate's "
        "country is not known; such fixes are never part of 'Apply all'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["account_id", "check_name"], name="health_check"),
            models.Index(fields=["account_id", "candidate_id"], name="health_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.check_name} {self.candidate_id} {self.field}"


class IgnoredCompanyCluster(models.Model):
    """A company cluster an account's users chose to leave alone ("Ignore this cluster"): it no
    longer shows while its spellings are among those ignored (a new spelling shows it again)."""

    account_id = models.CharField(max_length=255)
    key = models.CharField(max_length=512, help_text="The cluster's fingerprint key.")
    spellings = models.JSONField(default=list, help_text="The spellings the cluster had when ignored.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account_id", "key"], name="health_ignored_cluster_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.key}"
