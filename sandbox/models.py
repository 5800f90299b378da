"""The sandbox's own tables: linked accounts, candidates, custom field definitions, faults.

Candidate bodies live in a JSONField exactly as StackOne returns them (minus the four fields
kept as columns: id, remote_id, created_at, updated_at), so the API layer can hand them back
without a mapping of its own.
"""

from __future__ import annotations

from django.db import models


class SandboxAccount(models.Model):
    """A linked account as `GET /accounts` returns it (core spec `LinkedAccount`)."""

    id = models.CharField(primary_key=True, max_length=100)
    provider = models.CharField(max_length=100)
    provider_name = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=20, default="active")
    label = models.CharField(max_length=200, blank=True, default="")
    origin_owner_id = models.CharField(max_length=200)
    origin_owner_name = models.CharField(max_length=200)
    origin_username = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.label or self.id} ({self.status})"


class SandboxCandidate(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="candidates")
    candidate_id = models.CharField(max_length=200)
    remote_id = models.CharField(max_length=200, blank=True, default="")
    # Candidate body fields (name, emails, custom_fields, ...) as StackOne returns them.
    data = models.JSONField(default=dict)
    # "|a@example.com|b@example.com|" (lower case) for the exact, case-insensitive filter[email].
    email_index = models.TextField(blank=True, default="")
    # The `passthrough` object of the last PATCH (StackOne forwards it to the provider).
    last_passthrough = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "candidate_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "candidate_id"], name="sandbox_candidate_unique_id"),
        ]
        indexes = [
            # The list's order and cursor (keyset pagination).
            models.Index(fields=["account", "created_at", "candidate_id"], name="sandbox_cand_page"),
            # filter[updated_after]: an incremental sync asks for the few rows changed lately.
            models.Index(fields=["account", "updated_at"], name="sandbox_cand_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} @ {self.account_id}"

    def save(self, *args, **kwargs):
        self.email_index = build_email_index(self.data)
        super().save(*args, **kwargs)


def build_email_index(data: dict) -> str:
    values = []
    if isinstance(data.get("email"), str):
        values.append(data["email"])
    for item in data.get("emails") or []:
        if isinstance(item, dict) and isinstance(item.get("value"), str):
            values.append(item["value"])
    cleaned = sorted({v.strip().lower() for v in values if v.strip()})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


class SandboxCustomFieldDefinition(models.Model):
    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="custom_field_definitions"
    )
    definition_id = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # CustomFieldDefinition body: id, remote_id, name, description, type, options.
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["position", "definition_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "definition_id"], name="sandbox_cfd_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.definition_id} @ {self.account_id}"


class SandboxFaults(models.Model):
    """The singleton fault-injection configuration (row pk=1). See sandbox.faults."""

    latency_ms = models.PositiveIntegerField(default=0)
    rate_limit_per_minute = models.PositiveIntegerField(default=0, help_text="0 = unlimited")
    retry_after_seconds = models.PositiveIntegerField(null=True, blank=True)
    fail_status = models.PositiveSmallIntegerField(null=True, blank=True)
    fail_count = models.PositiveIntegerField(default=0)
    fail_methods = models.CharField(
        max_length=100, blank=True, default="", help_text="e.g. PATCH,GET; empty = all"
    )
    timeout_count = models.PositiveIntegerField(default=0)
    timeout_seconds = models.FloatField(default=0.0)
    malformed_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sandbox faults"
        verbose_name_plural = "sandbox faults"

    def __str__(self) -> str:
        return "Sandbox fault configuration"
