"""``OIDC_GRANTS``: the identity provider's groups mapped to grants, checked when settings load.

``{"ats-recruiters-emea": {"role": "Recruiter", "accounts": ["acc1", "acc2"]},
"ats-ops": {"role": "Ops", "accounts": "*"}}``: a member of ``ats-ops`` is Ops on every linked
account. No Django model is read here (settings import it), so the role names are written out;
tests/candidates/test_access.py checks they are ``AccessGrant.Role``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

ROLE_NAMES = ("Recruiter", "Ops", "Auditor")
ALL_ACCOUNTS = "*"

# group → (role, account ids; () for every account)
GrantsMapping = dict[str, tuple[str, tuple[str, ...]]]


def grants_mapping(raw: Any) -> GrantsMapping:
    """Return ``OIDC_GRANTS`` checked and normalised. Raises ImproperlyConfigured naming the
    group whose entry is wrong."""
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(
            'OIDC_GRANTS must be a JSON object: {"group": {"role": …, "accounts": …}}.')
    mapping: GrantsMapping = {}
    for group, entry in raw.items():
        role = entry.get("role") if isinstance(entry, dict) else None
        accounts = entry.get("accounts") if isinstance(entry, dict) else None
        if role not in ROLE_NAMES:
            raise ImproperlyConfigured(
                f"OIDC_GRANTS[{group!r}]: role must be one of {', '.join(ROLE_NAMES)}.")
        if accounts == ALL_ACCOUNTS:
            mapping[str(group)] = (role, ())
        elif (isinstance(accounts, list) and accounts
              and all(isinstance(account, str) and account.strip() for account in accounts)):
            mapping[str(group)] = (role, tuple(account.strip() for account in accounts))
        else:
            raise ImproperlyConfigured(
                f'OIDC_GRANTS[{group!r}]: accounts must be "*" (all) or a list of linked account ids.')
    return mapping


def grants_for_groups(mapping: GrantsMapping, groups: Iterable[str]) -> list[tuple[str, str]]:
    """Return the ``(role, account_id)`` grants the ``groups`` give (account "" for all), sorted;
    a group the mapping does not name gives nothing."""
    grants: set[tuple[str, str]] = set()
    for group in groups:
        role, accounts = mapping.get(group, ("", ()))
        if role:
            grants.update((role, account) for account in accounts or ("",))
    return sorted(grants)
