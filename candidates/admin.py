"""Django admin: the audit log, read-only (it is evidence, so nobody edits or deletes it here)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from candidates.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "username", "account_id", "candidate_id", "outcome", "status_code",
                    "returned_id", "returned_remote_id", "duration_ms", "retries")
    list_filter = ("outcome", "source", "account_id", "created_at")
    search_fields = ("username", "candidate_id", "returned_id", "returned_remote_id", "message", "request_id")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
