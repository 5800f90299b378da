"""manage.py sandbox_seed [--reset] [--candidates N [--account ID] [--seed S]] — fill the sandbox.

Without --candidates: the deterministic demo data (only when empty; --reset wipes and reseeds).
With --candidates N: the demo data first if the sandbox is empty, then N generated candidates
(sandbox.population) added to one account, in batched multi-row inserts. Running it twice with
the same seed adds nothing the second time (the generated ids already exist).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.models import SandboxAccount
from sandbox.seed import POPULATION_BATCH_SIZE, seed_population, seed_sandbox


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Seed the StackOne sandbox (only when empty; --reset wipes and reseeds); --candidates N adds N "
        "generated candidates to an account. Sandbox mode only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete all sandbox data first, then seed")
        parser.add_argument(
            "--candidates",
            type=_not_negative,
            metavar="N",
            help="also add N generated candidates (ids pop-<seed>-0000001 …; existing ids are skipped)",
        )
        parser.add_argument(
            "--account", metavar="ID", help="the linked account to add them to (default: the first one)"
        )
        parser.add_argument(
            "--seed", type=_not_negative, default=0, help="population seed: another seed, other people"
        )
        parser.add_argument(
            "--batch-size", type=_positive, default=POPULATION_BATCH_SIZE, help="rows per INSERT"
        )

    def handle(self, *args, reset=False, candidates=None, account=None, seed=0, batch_size=None, **options):
        if not settings.SANDBOX_MODE:
            self.stdout.write("STACKONE_API_KEY is set, so the sandbox is off: nothing seeded.")
            return
        if candidates is None and account is not None:
            raise CommandError("--account needs --candidates N.")
        result = seed_sandbox(reset=reset)
        summary = (
            f"{result['accounts']} linked accounts, {result['candidates']} candidates, "
            f"{result['custom_field_definitions']} custom field definitions"
        )
        if result["seeded"]:
            self.stdout.write(
                self.style.SUCCESS(f"Sandbox {'reset and ' if reset else ''}seeded: {summary}.")
            )
        elif candidates is None:
            self.stdout.write(f"Sandbox already has data ({summary}); left unchanged. Use --reset to reseed.")
        if candidates is not None:
            self._add_population(candidates, account, seed, batch_size or POPULATION_BATCH_SIZE)

    def _add_population(self, count: int, account_id: str | None, seed: int, batch_size: int) -> None:
        account = (
            SandboxAccount.objects.filter(pk=account_id).first()
            if account_id
            else SandboxAccount.objects.order_by("created_at", "id").first()
        )
        if account is None:
            known = ", ".join(SandboxAccount.objects.values_list("id", flat=True)) or "none"
            raise CommandError(f"No sandbox account {account_id!r}. Accounts: {known}.")
        started = time.perf_counter()
        step = max(count // 10, batch_size)
        reported = 0

        def progress(done: int, total: int) -> None:
            nonlocal reported
            if done - reported >= step and done < total:
                reported = done
                self.stdout.write(f"  {done:,} / {total:,} generated…")

        result = seed_population(
            account_id=account.pk, count=count, seed=seed, batch_size=batch_size, on_progress=progress
        )
        seconds = time.perf_counter() - started
        skipped = result["generated"] - result["inserted"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result['inserted']:,} generated candidates to {account.pk} "
                f"({skipped:,} already there); it now has {result['total']:,} candidates."
            )
        )
        rate = result["generated"] / seconds if seconds else 0
        self.stdout.write(f"{result['generated']:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s).")
