"""Who may do what on which linked account: the grants (``AccessGrant``) read in one place.

A grant gives a user, or a group, one role on one linked account or on all of them. A role is a
set of capabilities, named by the permission strings the pages have always checked
(``candidates.view_candidates`` …), so templates keep ``perms.candidates.bulk_update`` and views
keep ``user.has_perm(EDIT_PERMISSION, account_id)``: ``GrantBackend`` answers them from the
grants. Superusers have everything (Django's ``User.has_perm`` says so before any backend).

The checks, each written once:
- ``access_reach(user, perm)``: the accounts where ``user`` has ``perm`` (all, or a set);
- ``access_allows(user, perm, account_id)``: one account;
- ``access_filter(queryset, user=…, perm=…)``: the rows of granted accounts only (a selector);
- ``access_accounts(accounts, user=…, perm=…)``: the linked accounts granted, for pickers;
- ``candidates.roles.permission_page``: the decorator every page uses (404 for an account not
  granted, the same answer as for an account that does not exist).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.db.models import Model, Q, QuerySet

from candidates.models import AccessGrant

VIEW_PERMISSION = "candidates.view_candidates"
EDIT_PERMISSION = "candidates.edit_candidates"
BULK_PERMISSION = "candidates.bulk_update"
AUDIT_PERMISSION = "candidates.view_audit"

Role = AccessGrant.Role
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RECRUITER: frozenset({VIEW_PERMISSION, EDIT_PERMISSION}),
    Role.OPS: frozenset({VIEW_PERMISSION, EDIT_PERMISSION, BULK_PERMISSION, AUDIT_PERMISSION}),
    Role.AUDITOR: frozenset({AUDIT_PERMISSION}),
}
PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

ModelT = TypeVar("ModelT", bound=Model)
_CACHE_ATTRIBUTE = "_candidates_access_grants"


@dataclass(frozen=True)
class Reach:
    """The accounts one capability reaches: every account, or the ones named."""

    everywhere: bool
    accounts: frozenset[str]

    def allows(self, account_id: str) -> bool:
        return self.everywhere or account_id in self.accounts

    @property
    def anywhere(self) -> bool:
        return self.everywhere or bool(self.accounts)


NOWHERE = Reach(everywhere=False, accounts=frozenset())
EVERYWHERE = Reach(everywhere=True, accounts=frozenset())


def grants_of(user: Any) -> list[tuple[str, bool, str]]:
    """Return ``(role, all_accounts, account_id)`` of every grant ``user`` holds, directly or
    through a group, read once per user object (one query; a request has one user object)."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(AccessGrant.objects.filter(Q(user=user) | Q(group__user=user))
                      .values_list("role", "all_accounts", "account_id").distinct())
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def grants_forget(user: Any) -> None:
    """Drop the grants read for ``user`` (after they changed within the same request)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def access_reach(user: Any, perm: str) -> Reach:
    """Return the accounts on which ``user`` has ``perm`` (a superuser: every account)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    everywhere, accounts = False, set()
    for role, all_accounts, account_id in grants_of(user):
        if perm in ROLE_PERMISSIONS.get(role, ()):
            everywhere = everywhere or all_accounts
            if account_id:
                accounts.add(account_id)
    return Reach(everywhere=everywhere, accounts=frozenset(accounts))


def access_allows(user: Any, perm: str, account_id: str) -> bool:
    """Return True when ``user`` has ``perm`` on the linked account ``account_id``."""
    return access_reach(user, perm).allows(account_id)


def access_any(user: Any, account_id: str) -> bool:
    """Return True when ``user`` holds any role on ``account_id`` (so knows it exists)."""
    return any(access_allows(user, perm, account_id) for perm in PERMISSIONS)


def access_filter(queryset: QuerySet[ModelT], *, user: Any, perm: str,
                  field: str = "account_id") -> QuerySet[ModelT]:
    """Return ``queryset`` narrowed to the rows whose ``field`` is an account where ``user``
    has ``perm`` (all of them for a superuser or an all-accounts grant; none for nobody)."""
    reach = access_reach(user, perm)
    if reach.everywhere:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(reach.accounts)})


def access_accounts(accounts: Iterable[Any], *, user: Any, perm: str) -> list[Any]:
    """Return the linked accounts (anything with ``.id``) on which ``user`` has ``perm``, in order."""
    reach = access_reach(user, perm)
    return [account for account in accounts if reach.allows(account.id)]


class GrantBackend:
    """Authentication backend that authenticates nobody and answers the app's permissions from
    the grants: ``has_perm(perm)`` on any account, ``has_perm(perm, account_id)`` on that one."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm not in PERMISSIONS:
            return False
        reach = access_reach(user_obj, perm)
        return reach.anywhere if obj is None else reach.allows(str(obj))


# -- managing grants ------------------------------------------------------------------------------


def grant_holder(name: str, *, group: bool = False) -> Any:
    """Return the user (or with ``group``, the group) called ``name``. Raises CommandError."""
    model: Any = Group if group else get_user_model()
    lookup = {"name": name} if group else {get_user_model().USERNAME_FIELD: name}
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist as exc:
        raise CommandError(f"No {'group' if group else 'user'} named {name!r}.") from exc


def grant_add(*, holder: Any, role: str, account_id: str = "",
              source: str = AccessGrant.Source.MANUAL) -> tuple[AccessGrant, bool]:
    """Give ``holder`` (a user or a group) ``role`` on ``account_id`` ("": all accounts).
    Returns the grant and whether it is new."""
    key = {"group": holder} if isinstance(holder, Group) else {"user": holder}
    grant, created = AccessGrant.objects.get_or_create(
        **key, role=role, all_accounts=not account_id, account_id=account_id, source=source)
    grants_forget(holder)
    return grant, created


def grant_remove(*, holder: Any, role: str, account_id: str = "") -> int:
    """Take ``role`` on ``account_id`` ("": the all-accounts grant) from ``holder``, whatever its
    source. Returns how many grants were deleted."""
    key = {"group": holder} if isinstance(holder, Group) else {"user": holder}
    deleted, _ = AccessGrant.objects.filter(**key, role=role, all_accounts=not account_id,
                                            account_id=account_id).delete()
    grants_forget(holder)
    return deleted


def grants_replace_from_provider(*, user: Any, grants: Sequence[tuple[str, str]]) -> None:
    """Replace ``user``'s identity-provider grants with ``grants`` (``(role, account_id)``,
    account "" for all); grants made here stay."""
    AccessGrant.objects.filter(user=user, source=AccessGrant.Source.PROVIDER).delete()
    AccessGrant.objects.bulk_create([
        AccessGrant(user=user, role=role, all_accounts=not account_id, account_id=account_id,
                    source=AccessGrant.Source.PROVIDER)
        for role, account_id in sorted(set(grants))
    ])
    grants_forget(user)


def command_user(username: str | None, *, perm: str, account_ids: Iterable[str]) -> Any:
    """Return the user a management command runs as (None without ``--user``: the operator,
    who may do anything). Raises CommandError when there is no such user or the user lacks
    ``perm`` on one of ``account_ids``."""
    if not username:
        return None
    user = grant_holder(username)
    for account_id in account_ids:
        if not access_allows(user, perm, account_id):
            # The same words for an account that does not exist: nothing is told about it.
            raise CommandError(f"{username} has no grant that allows this on account “{account_id}” "
                               f"(see manage.py access_list {username}).")
    return user


def account_home(user: Any, preferred: str) -> str:
    """Return the account ``/`` goes to: ``preferred`` (the last one used, else the default)
    when ``user`` may view it, else "" (the accounts page, which lists the accounts granted)."""
    return preferred if preferred and access_allows(user, VIEW_PERMISSION, preferred) else ""


def access_require(user: Any, perm: str, account_id: str) -> None:
    """Raise PermissionDenied unless ``user`` has ``perm`` on ``account_id``. ``user`` None is
    the operator (a management command run without ``--user``), who may do anything.

    Every start and resume of a job that writes (bulk, data-health fix, revert) passes here, in
    ``candidates.bulk.jobs``: a grant revoked after the upload stops the job from starting.
    """
    if user is not None and not access_allows(user, perm, account_id):
        raise PermissionDenied(f"No {perm} grant on this account.")
