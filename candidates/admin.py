"""Django admin: the audit log, read-only (it is evidence, so nobody edits or deletes it here) and
narrowed to the accounts the viewer may audit; grants on the user and group pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest

from candidates.access import AUDIT_PERMISSION, access_filter
from candidates.models import AccessGrant, AuditEntry, SignInIdentity


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "username", "account_id", "candidate_id", "outcome", "status_code",
                    "returned_id", "returned_remote_id", "duration_ms", "retries")
    list_filter = ("outcome", "source", "account_id", "created_at")
    search_fields = ("username", "identity_subject", "candidate_id", "returned_id", "returned_remote_id",
                     "message", "request_id")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return access_filter(super().get_queryset(request), user=request.user, perm=AUDIT_PERMISSION)

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


class GrantInline(admin.TabularInline):
    model = AccessGrant
    extra = 1
    fields = ("role", "all_accounts", "account_id", "source", "created_at")
    readonly_fields = ("source", "created_at")
    verbose_name = "grant"
    verbose_name_plural = "Grants: roles on linked accounts (provider grants are replaced at sign-in)"


class UserGrantInline(GrantInline):
    fk_name = "user"


class GroupGrantInline(GrantInline):
    fk_name = "group"


class SignInIdentityInline(admin.StackedInline):
    model = SignInIdentity
    can_delete = False
    extra = 0
    max_num = 0
    readonly_fields = ("issuer", "subject", "groups", "last_sign_in")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class GrantUserAdmin(UserAdmin):
    inlines = [UserGrantInline, SignInIdentityInline]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.inlines if obj is not None else []  # the add form asks for a password only


@admin.register(Group)
class GrantGroupAdmin(GroupAdmin):
    inlines = [GroupGrantInline]
