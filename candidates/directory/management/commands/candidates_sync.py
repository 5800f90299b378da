"""``manage.py candidates_sync [--account ID] [--full] [--enqueue]``: sync the candidate directory
from StackOne. Without --account: every active linked account, then the retention purge of the
others. Prints a line per page and a summary; exits 1 when any account's sync failed (it resumes
from its last page next time). With --enqueue the syncs are queued for the workers instead of
run here (for cron, when no ``manage.py scheduler`` runs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.access import BULK_PERMISSION, access_allows, command_user
from candidates.directory.queue import directory_retention_task, directory_sync_start
from candidates.directory.retention import directory_retention_purge
from candidates.directory.status import SyncProgress
from candidates.directory.sync import DirectorySyncBusy, directory_sync
from candidates.exceptions import StackOneError
from candidates.stackone import stackone_client


class Command(BaseCommand):
    help = "Sync the candidate directory from StackOne (incremental unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help="Only this linked account id (default: every active one).")
        parser.add_argument("--full", action="store_true",
                            help="List every candidate again (and remove the ones StackOne no longer lists).")
        parser.add_argument("--user", help="Run as this existing user: they need Ops on --account; without "
                                           "--account, only the accounts they have Ops on are synced and "
                                           "the retention purge is left to the operator's runs.")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the syncs for the workers (manage.py db_worker) instead of running "
                                 "them here.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CANDIDATE_DIRECTORY:
            self.stdout.write("The candidate directory is off (CANDIDATE_DIRECTORY=off): nothing synced.")
            return
        given = [options["account"]] if options.get("account") else []
        user = command_user(options.get("user"), perm=BULK_PERMISSION, account_ids=given)
        account_ids = given or self._active_accounts()
        if user is not None:
            account_ids = [account_id for account_id in account_ids
                           if access_allows(user, BULK_PERMISSION, account_id)]
        if options["enqueue"]:
            for account_id in account_ids:
                directory_sync_start(account_id=account_id, full=options["full"])
                self.stdout.write(f"{account_id}: sync queued for the workers.")
            if not options.get("account") and user is None:
                directory_retention_task.enqueue(account_ids)
                self.stdout.write("Retention queued for the workers.")
            return
        failed = []
        for account_id in account_ids:
            if not self._sync(account_id, full=options["full"]):
                failed.append(account_id)
        if not options.get("account") and user is None:
            for account_id, rows in directory_retention_purge(active_account_ids=account_ids).items():
                self.stdout.write(f"{account_id}: not active for {settings.DIRECTORY_RETENTION_DAYS} days, "
                                  f"{rows} rows purged.")
        if failed:
            raise CommandError(f"Sync failed for {', '.join(failed)} "
                               "(the next run resumes where it stopped).")
        self.stdout.write(f"Done: {len(account_ids)} account{'s' if len(account_ids) != 1 else ''} synced.")

    def _active_accounts(self) -> list[str]:
        try:
            accounts = stackone_client().accounts_list()
        except StackOneError as error:
            raise CommandError(f"Could not list the linked accounts: {error.message}") from error
        return [account.id for account in accounts if account.is_active]

    def _sync(self, account_id: str, *, full: bool) -> bool:
        """Sync one account and print its summary. Returns False when it failed."""
        def progress(state: SyncProgress) -> None:
            total = f" of about {state.expected}" if state.full and state.expected else ""
            self.stdout.write(f"{account_id}: page {state.pages}, {state.fetched}{total} candidates fetched")

        try:
            result = directory_sync(account_id=account_id, full=full, on_progress=progress)
        except DirectorySyncBusy as busy:
            self.stdout.write(f"{account_id}: skipped, {busy}.")
            return True
        except StackOneError as error:
            status = f" ({error.status_code})" if error.status_code else ""
            self.stderr.write(f"{account_id}: sync FAILED: {error.message}{status}")
            return False
        kind = "full" if result.full else "incremental"
        self.stdout.write(
            f"{account_id}: {kind} sync done{' (resumed)' if result.resumed else ''}: {result.pages} "
            f"page{'s' if result.pages != 1 else ''}, {result.fetched} candidates fetched, {result.removed} "
            f"removed, {result.indexed} indexed, {result.seconds:.1f} s.")
        return True
