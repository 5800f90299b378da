"""``manage.py access_revoke USERNAME --account ID|--all --role ROLE [--group]``: take back a grant
made with ``access_grant`` (or by the identity provider until its next sign-in)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.access import grant_holder, grant_remove
from candidates.management.commands.access_grant import grant_arguments, scope_text


class Command(BaseCommand):
    help = "Revoke a role on one linked account or on all of them."

    def add_arguments(self, parser: CommandParser) -> None:
        grant_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        holder = grant_holder(options["name"], group=options["group"])
        account_id = "" if options["all"] else options["account"].strip()
        what = f"{options['role']} on {scope_text(account_id)}"
        who = f"{'group ' if options['group'] else ''}{options['name']}"
        if not grant_remove(holder=holder, role=options["role"], account_id=account_id):
            # A grant through a group is the group's: say where to look.
            raise CommandError(f"{who} holds no grant of {what} "
                               f"(see manage.py access_list {options['name']}).")
        self.stdout.write(f"Revoked: {what} from {who}.")
