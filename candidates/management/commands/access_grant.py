"""``manage.py access_grant USERNAME --account ID|--all --role ROLE [--group]``: give a user (or,
with ``--group``, a group) one role on one linked account or on all of them (docs/operations/access.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candidates.access import grant_add, grant_holder
from candidates.models import AccessGrant


def grant_arguments(parser: CommandParser) -> None:
    """The arguments ``access_grant`` and ``access_revoke`` share."""
    parser.add_argument("name", metavar="USERNAME", help="The user (or with --group, the group).")
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--account", help="One linked account id (x-account-id).")
    scope.add_argument("--all", action="store_true", help="Every linked account, present and future.")
    parser.add_argument("--role", required=True, choices=AccessGrant.Role.values)
    parser.add_argument("--group", action="store_true", help="USERNAME names a group.")


def scope_text(account_id: str) -> str:
    return f"account {account_id}" if account_id else "all accounts"


class Command(BaseCommand):
    help = "Grant a role (Recruiter, Ops, Auditor) on one linked account or on all of them."

    def add_arguments(self, parser: CommandParser) -> None:
        grant_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        holder = grant_holder(options["name"], group=options["group"])
        account_id = "" if options["all"] else options["account"].strip()
        _, created = grant_add(holder=holder, role=options["role"], account_id=account_id)
        what = f"{options['role']} on {scope_text(account_id)}"
        self.stdout.write(f"{'Granted' if created else 'Already granted'}: {what} to "
                          f"{'group ' if options['group'] else ''}{options['name']}.")
