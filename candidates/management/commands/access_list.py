"""``manage.py access_list [USERNAME]``: every grant, or what one user may do and why."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from candidates.access import grant_holder
from candidates.models import AccessGrant


class Command(BaseCommand):
    help = "List the grants: all of them, or one user's (their own and their groups')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", metavar="USERNAME", nargs="?", help="Only what this user holds.")

    def handle(self, *args: Any, **options: Any) -> None:
        grants = AccessGrant.objects.select_related("user", "group")
        if options.get("name"):
            user = grant_holder(options["name"])
            if user.is_superuser:
                self.stdout.write(f"{user} is a superuser: every role on every account.")
            grants = grants.filter(Q(user=user) | Q(group__user=user))
        # Groups first, then users, each by name, role and scope (all accounts first).
        ordered = sorted(grants, key=lambda g: (g.user_id is not None, g.holder, g.role, not g.all_accounts,
                                                g.account_id))
        rows = [(grant.holder, grant.role, grant.scope, grant.get_source_display()) for grant in ordered]
        if not rows:
            self.stdout.write("No grants.")
            return
        table = [("who", "role", "accounts", "source"), *rows]
        widths = [max(len(str(row[column])) for row in table) for column in range(3)]
        for row in table:
            cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]))
