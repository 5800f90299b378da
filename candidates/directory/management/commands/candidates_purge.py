"""``manage.py candidates_purge --account ID``: delete an account's directory rows (and its
sync history: the next sync of the account is a full one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candidates.access import BULK_PERMISSION, command_user
from candidates.directory.retention import directory_purge


class Command(BaseCommand):
    help = "Delete the candidate directory rows of one linked account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="The linked account id.")
        parser.add_argument("--user", help="Run as this existing user (they need Ops on the account); "
                                           "without it: as the operator.")

    def handle(self, *args: Any, **options: Any) -> None:
        command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=[options["account"]])
        deleted = directory_purge(account_id=options["account"])
        rows = f"{deleted} directory row{'s' if deleted != 1 else ''}"
        self.stdout.write(f"{options['account']}: {rows} deleted.")
