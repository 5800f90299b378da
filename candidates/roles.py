"""Permissions the pages check. Roles (groups) are created by migration 0003_roles:
Recruiter (view, edit), Ops (edit, bulk updates, audit), Auditor (audit only, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

VIEW_PERMISSION = "candidates.view_candidates"
EDIT_PERMISSION = "candidates.edit_candidates"
BULK_PERMISSION = "candidates.bulk_update"
AUDIT_PERMISSION = "candidates.view_audit"


def permission_page(*perms: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require sign-in (redirect to /login/), then any one of ``perms`` (403 otherwise)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


viewer_required = permission_page(VIEW_PERMISSION)
auditor_required = permission_page(AUDIT_PERMISSION)
