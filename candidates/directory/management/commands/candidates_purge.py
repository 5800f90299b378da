"""``manage.py candidates_purge --account ID [--user NAME]``: purge what the app keeps of an
account's candidates (its directory rows, sync history, name words, data-health findings and the
baselines of its bulk rows; the next sync of the account is a full one). A sync that runs is
cancelled; while a bulk job of the account is being worked on the purge is refused (exit 1).
Who asked is recorded and shown on the accounts page."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.directory.retention import DirectoryPurgeRefused, directory_purge


class Command(BaseCommand):
    help = "Purge what the app keeps of one linked account's candidates (the audit log stays)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="The linked account id.")
        parser.add_argument("--user", help="Record the purge as asked by this existing username "
                                           "(default: cli:<your login>).")

    def handle(self, *args: Any, **options: Any) -> None:
        account_id = options["account"]
        user = self._user(options.get("user"))
        try:
            result = directory_purge(account_id=account_id, user=user, username=f"cli:{getpass.getuser()}")
        except DirectoryPurgeRefused as refused:
            raise CommandError(f"{account_id}: {refused}.") from refused
        self.stdout.write(f"{account_id}: {result.summary()}.")

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
