"""``manage.py candidates_purge --account ID [--user NAME]``: purge what the app keeps of an
account's candidates (its directory rows, sync history, name words, data-health findings and the
baselines of its bulk rows; the next sync of the account is a full one). A sync that runs is
cancelled; while a bulk job of the account is being worked on the purge is refused (exit 1).
Who asked is recorded and shown on the accounts page."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.access import BULK_PERMISSION, command_user
from candidates.directory.retention import DirectoryPurgeRefused, directory_purge


class Command(BaseCommand):
    help = "Purge what the app keeps of one linked account's candidates (the audit log stays)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="The linked account id.")
        parser.add_argument("--user", help="Run as this existing user: they need Ops on the account, and "
                                           "the purge is recorded as theirs (default: the operator, "
                                           "cli:<your login>).")

    def handle(self, *args: Any, **options: Any) -> None:
        account_id = options["account"]
        user = command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=[account_id])
        try:
            result = directory_purge(account_id=account_id, user=user, username=f"cli:{getpass.getuser()}")
        except DirectoryPurgeRefused as refused:
            raise CommandError(f"{account_id}: {refused}.") from refused
        self.stdout.write(f"{account_id}: {result.summary()}.")
