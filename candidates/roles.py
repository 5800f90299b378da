"""The decorator every page uses, and the role groups.

Roles come from grants (``candidates.access``): Recruiter (view, edit), Ops (view, edit, bulk
updates, data health, directory syncs, the audit log), Auditor (the audit log, read-only), each on
one linked account or on all. The groups Recruiter, Ops and Auditor (migration 0003_roles) each
hold the all-accounts grant of their role (migration 0011_access_grants), so adding someone to one
of them still gives that role everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from candidates.access import (
    AUDIT_PERMISSION,
    BULK_PERMISSION,
    EDIT_PERMISSION,
    ROLE_PERMISSIONS,
    VIEW_PERMISSION,
    access_allows,
    access_any,
    grant_add,
)

__all__ = ["AUDIT_PERMISSION", "BULK_PERMISSION", "EDIT_PERMISSION", "VIEW_PERMISSION", "auditor_required",
           "permission_page", "roles_ensure", "viewer_required"]

View = Callable[..., HttpResponseBase]
NOT_GRANTED = "No such account."


def permission_page(*perms: str) -> Callable[[View], View]:
    """Require sign-in (redirect to /login/), then any one of ``perms``.

    A view that takes ``account_id`` needs it on that account: an account the user holds no
    role on answers 404, exactly as an account that does not exist (nothing tells which accounts
    exist); an account the user holds another role on answers 403. A view without ``account_id``
    needs ``perms`` on some account (403 otherwise) and narrows what it lists itself with
    ``access_filter`` / ``access_accounts``.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            account_id = kwargs.get("account_id")
            if account_id is not None:
                if not any(access_allows(request.user, perm, account_id) for perm in perms):
                    if access_any(request.user, account_id):
                        raise PermissionDenied
                    raise Http404(NOT_GRANTED)
            elif not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


viewer_required = permission_page(VIEW_PERMISSION)
auditor_required = permission_page(AUDIT_PERMISSION)


def roles_ensure() -> None:
    """Create the role groups, each with the all-accounts grant of its role, where missing (tests
    flush tables that the migrations filled; production gets them from the migrations)."""
    for name in ROLE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        grant_add(holder=group, role=name)
    # Django admin's read-only audit log (its rows narrowed to the auditor's accounts there too).
    Group.objects.get(name="Auditor").permissions.add(
        *Permission.objects.filter(content_type__app_label="candidates", codename="view_auditentry"))
