"""``manage.py candidates_purge --account ID``: delete an account's directory rows (and its
sync history: the next sync of the account is a full one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candidates.directory.retention import directory_purge


class Command(BaseCommand):
    help = "Delete the candidate directory rows of one linked account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="The linked account id.")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = directory_purge(account_id=options["account"])
        rows = f"{deleted} directory row{'s' if deleted != 1 else ''}"
        self.stdout.write(f"{options['account']}: {rows} deleted.")
