"""Candidate directory sync: a full sync's wall time against its rate floor, and the incremental
sync after some candidates changed (StackOne calls made, wall time), against the sandbox with
latency per call and a call budget.

Starts the sandbox as a real gunicorn server (1 worker × 4 threads) on a spare loopback port
with a throwaway SQLite file database, adds ``--candidates`` generated candidates
(``sandbox.population``) to account ``bench-directory``, sets the sandbox's ``latency_ms`` and
``rate_limit_per_minute``, and runs in this process, with the app's own budget
(``STACKONE_RATE_LIMIT``) at the same rate:

1. full sync (``directory_sync(full=True)``, the code the task and the command run): pages,
   calls, wall time, the rate floor (pages at the budget's rate), wall ÷ floor, and the
   latency floor (pages one after another × the latency: a cursor chain cannot overlap pages);
2. ``--changed`` candidates edited in the ATS (their ``updated_at`` moves to now), then the
   incremental sync: calls made, pages, rows fetched, wall time, and that every change is indexed.

    .venv/bin/python benchmarks/directory_sync.py [--candidates 2000] [--changed 500]
                                                  [--latency 400] [--rate 600]

The issue's figures are for ``--candidates 100000`` (1,000 pages: floor 100 s at 600/min).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import SandboxControl, bench_env, django_setup, start_server, workspace  # noqa: E402

ACCOUNT = "bench-directory"


def populate(count: int) -> None:
    """Insert ``count`` generated candidates into the bench account (no HTTP, not counted)."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from sandbox.models import SandboxAccount, SandboxCandidate, build_email_index
    from sandbox.population import candidate_population

    template = SandboxAccount.objects.get(pk="sbx-greenhouse")
    now = timezone.now()
    SandboxAccount.objects.create(id=ACCOUNT, provider=template.provider, provider_name="Bench",
                                  status="active", label="Directory benchmark", origin_owner_id="bench",
                                  origin_owner_name="Bench", created_at=now, updated_at=now)
    batch: list[SandboxCandidate] = []
    keep = ("id", "remote_id", "created_at", "updated_at")
    for body in candidate_population(count, account_id=ACCOUNT):
        data = {key: value for key, value in body.items() if key not in keep}
        batch.append(SandboxCandidate(
            account_id=ACCOUNT, candidate_id=body["id"], remote_id=body.get("remote_id") or "", data=data,
            email_index=build_email_index(data), created_at=parse_datetime(body["created_at"]),
            updated_at=parse_datetime(body["updated_at"])))
        if len(batch) == 2000:
            SandboxCandidate.objects.bulk_create(batch)
            batch.clear()
    SandboxCandidate.objects.bulk_create(batch)


def change(count: int) -> list[str]:
    """Edit ``count`` candidates as someone in the ATS would (title and updated_at). Returns their ids."""
    from django.utils import timezone

    from sandbox.models import SandboxCandidate

    rows = list(SandboxCandidate.objects.filter(account_id=ACCOUNT).order_by("?")[:count])
    now = timezone.now()
    for row in rows:
        row.data = {**row.data, "title": f"Changed title {row.candidate_id}"}
        row.updated_at = now
    SandboxCandidate.objects.bulk_update(rows, ["data", "updated_at"], batch_size=500)
    return [row.candidate_id for row in rows]


def _time_in_calls() -> dict[str, float]:
    """Wrap the sync's page read and page store to add up the seconds each takes."""
    from candidates.directory import sync

    spent = {"call": 0.0, "store": 0.0}

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.monotonic()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.monotonic() - started
        return wrapper

    sync._page_read = timed("call", sync._page_read)
    sync.entries_upsert = timed("store", sync.entries_upsert)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--latency", type=int, default=400, help="ms added to every StackOne call")
    parser.add_argument("--rate", type=int, default=600,
                        help="calls per minute (sandbox limit and app budget)")
    args = parser.parse_args()

    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url, STACKONE_RATE_LIMIT=f"{args.rate}/minute", CANDIDATE_DIRECTORY="true")
        django_setup(env)
        started = time.monotonic()
        populate(args.candidates)
        print(f"sandbox: {args.candidates:,} candidates in {ACCOUNT} ({time.monotonic() - started:.1f} s)")
        sandbox = start_server("sandbox", env, workers=1, threads=4, log=tmp / "sandbox.log")
        try:
            from django.conf import settings

            from candidates.budget import budget_reset
            from candidates.directory.models import DirectoryEntry
            from candidates.directory.sync import directory_sync

            settings.STACKONE_BASE_URL = f"{sandbox.url}/sandbox"
            from candidates.stackone import stackone_config

            stackone_config.cache_clear()
            control = SandboxControl(sandbox.url)
            control.faults(latency_ms=args.latency, rate_limit_per_minute=args.rate)
            budget_reset()
            control.reset_stats()
            per_second = args.rate / 60

            def progress(state) -> None:  # type: ignore[no-untyped-def]
                if state.pages % 50 == 0:
                    print(f"  page {state.pages}, {state.fetched:,} fetched", flush=True)

            spent = _time_in_calls()
            started = time.monotonic()
            full = directory_sync(account_id=ACCOUNT, full=True, on_progress=progress)
            wall = time.monotonic() - started
            stats = control.stats()
            rate_floor = full.pages / per_second
            latency_floor = full.pages * args.latency / 1000
            print(f"full sync: {full.fetched:,} candidates, {full.pages} pages, {stats['total']} calls "
                  f"({stats['by_status'].get('429', 0)} × 429), {full.indexed:,} indexed")
            floors = (f"rate floor {rate_floor:.1f} s ({full.pages} pages at {args.rate}/min) → "
                      f"{wall / rate_floor:.2f} × floor; latency floor {latency_floor:.1f} s "
                      f"({full.pages} sequential pages × {args.latency} ms)")
            if latency_floor:
                floors += f" → {wall / latency_floor:.2f} ×"
            print(f"  wall {wall:.1f} s; {floors}")
            per_page = 1000 * spent["store"] / max(full.pages, 1)
            print(f"  StackOne calls {spent['call']:.1f} s (budget waits included; the next page is read "
                  f"while one is stored), storing pages {spent['store']:.1f} s ({per_page:.0f} ms a page)")

            changed = change(min(args.changed, args.candidates))
            control.reset_stats()
            started = time.monotonic()
            incremental = directory_sync(account_id=ACCOUNT)
            wall = time.monotonic() - started
            stats = control.stats()
            indexed = DirectoryEntry.objects.filter(account_id=ACCOUNT, candidate_id__in=changed,
                                                    title__startswith="Changed title").count()
            print(f"incremental sync after {len(changed)} changed: {stats['total']} calls, "
                  f"{incremental.pages} pages, {incremental.fetched} fetched, {wall:.1f} s; "
                  f"{indexed}/{len(changed)} changes indexed")
        finally:
            sandbox.stop()


if __name__ == "__main__":
    main()
