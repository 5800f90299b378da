"""Read-mostly admin pages to inspect the sandbox's data and fault switches."""

from django.contrib import admin

from sandbox.models import SandboxAccount, SandboxCandidate, SandboxCustomFieldDefinition, SandboxFaults


@admin.register(SandboxAccount)
class SandboxAccountAdmin(admin.ModelAdmin):
    list_display = ("id", "label", "provider", "status", "updated_at")
    list_filter = ("status", "provider")


@admin.register(SandboxCandidate)
class SandboxCandidateAdmin(admin.ModelAdmin):
    list_display = ("candidate_id", "account", "remote_id", "updated_at")
    list_filter = ("account",)
    search_fields = ("candidate_id", "remote_id", "email_index")
    readonly_fields = ("email_index", "last_passthrough")


@admin.register(SandboxCustomFieldDefinition)
class SandboxCustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ("definition_id", "account", "position")
    list_filter = ("account",)


@admin.register(SandboxFaults)
class SandboxFaultsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "latency_ms",
        "rate_limit_per_minute",
        "fail_status",
        "fail_count",
        "timeout_count",
        "malformed_count",
    )
