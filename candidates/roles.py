"""Permissions the pages check. Roles (groups) are created by migration 0003_roles:
Recruiter (view, edit), Ops (edit, bulk updates, audit), Auditor (audit only, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

VIEW_PERMISSION = "candidates.view_candidates"
EDIT_PERMISSION = "candidates.edit_candidates"
BULK_PERMISSION = "candidates.bulk_update"
AUDIT_PERMISSION = "candidates.view_audit"


View = Callable[..., HttpResponseBase]


def permission_page(*perms: str) -> Callable[[View], View]:
    """Require sign-in (redirect to /login/), then any one of ``perms`` (403 otherwise)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


viewer_required = permission_page(VIEW_PERMISSION)
auditor_required = permission_page(AUDIT_PERMISSION)

# The roles as created by migration 0003_roles (which keeps its own frozen copy).
ROLES: dict[str, tuple[str, ...]] = {
    "Recruiter": ("view_candidates", "edit_candidates"),
    "Ops": ("view_candidates", "edit_candidates", "bulk_update", "view_audit"),
    "Auditor": ("view_audit", "view_auditentry"),
}


def roles_ensure() -> None:
    """Create the role groups with their permissions where missing (tests flush tables that
    the migration filled; production gets them from the migration)."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="candidates",
                                                         codename__in=codenames))
