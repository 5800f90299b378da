"""What one Prometheus scrape of ``/metrics`` costs when the database is large: the state
collectors (budget, task queue, bulk, directory, data health) read it at every scrape.

In process, no server, on a throwaway SQLite file or the given database. It writes, untimed,
N directory rows over A linked accounts (their sync runs: every account synced, one failed since),
one data-health finding per 4 rows, 20 finished bulk jobs of 1,000 rows and one running job of
5,000 rows, and 100 finished and 10 waiting tasks; then times ``-n`` scrapes (the exposition
``/metrics`` sends, built by ``stackone_admin.metrics.metrics_registry``) and each collector on
its own, and prints medians and the largest, with the exposition's size and series count.

    .venv/bin/python benchmarks/metrics_scrape.py [--rows 100000] [--accounts 3] [-n 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import bench_env, django_setup, workspace  # noqa: E402

CHECKS = ("phone_format", "invalid_email", "name_spacing", "country")


def populate(rows: int, accounts: int) -> None:
    """Write the directory, findings, sync runs, bulk jobs and tasks the collectors read."""
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from candidates.directory.models import DirectoryEntry, DirectorySync
    from candidates.health.models import HealthFinding
    from candidates.models import BulkJob, BulkRow

    ids = [f"bench-acct-{n}" for n in range(accounts)]
    DirectoryEntry.objects.bulk_create(
        [DirectoryEntry(account_id=ids[n % accounts], candidate_id=f"c-{n}", name=f"Person {n}")
         for n in range(rows)], batch_size=2000)
    HealthFinding.objects.bulk_create(
        [HealthFinding(account_id=ids[n % accounts], candidate_id=f"c-{n}",
                       check_name=CHECKS[n % len(CHECKS)], field="phone_numbers", value="0")
         for n in range(0, rows, 4)], batch_size=2000)
    now = timezone.now()
    for account_id in ids:
        DirectorySync.objects.bulk_create([
            DirectorySync(account_id=account_id, full=True, status=DirectorySync.Status.DONE, started_at=now,
                          finished_at=now) for _ in range(30)])
    DirectorySync.objects.create(account_id=ids[0], status=DirectorySync.Status.FAILED, error="StackOne: x")
    for done in range(21):
        running = done == 20
        job = BulkJob.objects.create(username="bench", account_id=ids[0],
                                     status=BulkJob.Status.RUNNING if running else BulkJob.Status.DONE,
                                     heartbeat_at=now)
        status = BulkRow.Status.PENDING if running else BulkRow.Status.SAVED
        BulkRow.objects.bulk_create([BulkRow(job=job, line=line, candidate_id=f"c-{line}", status=status)
                                     for line in range(5000 if running else 1000)], batch_size=2000)
    DBTaskResult.objects.bulk_create([
        DBTaskResult(status=TaskResultStatus.SUCCESSFUL if n < 100 else TaskResultStatus.READY,
                     args_kwargs={"args": [n], "kwargs": {}}, task_path="candidates.bulk.jobs.bulk_run_task",
                     backend_name="default", queue_name="default", run_after=now, priority=0)
        for n in range(110)])


def timed(call: object, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(rows: int, accounts: int, n: int, database_url: str | None) -> None:
    with workspace(database_url) as (_tmp, url):
        django_setup(bench_env(url))
        from django.db import connection
        from prometheus_client.exposition import generate_latest

        from candidates.metrics import collectors
        from stackone_admin.metrics import metrics_registry

        started = time.perf_counter()
        populate(rows, accounts)
        print(f"{connection.vendor}: {rows:,} directory rows over {accounts} accounts, "
              f"{rows // 4:,} findings, 25,000 bulk rows, 110 tasks written in "
              f"{time.perf_counter() - started:.1f} s "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        body = generate_latest(metrics_registry())
        series = sum(1 for line in body.decode().splitlines() if line and not line.startswith("#"))
        print(f"exposition: {len(body):,} bytes, {series} series")
        print(f"{'collector':>12} {'median ms':>10} {'max ms':>8}")
        for name, collector in sorted(collectors().items()):
            times = timed(lambda c=collector: list(c.collect()), n)
            print(f"{name:>12} {statistics.median(times):>10.1f} {max(times):>8.1f}")
        times = timed(lambda: generate_latest(metrics_registry()), n)
        print(f"{'scrape total':>12} {statistics.median(times):>10.1f} {max(times):>8.1f}")
        print(f"load average now {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("-n", type=int, default=10, help="scrapes timed")
    parser.add_argument("--database-url", default=None, help="a database to use (its tables are written to)")
    args = parser.parse_args()
    run(args.rows, args.accounts, args.n, args.database_url)


if __name__ == "__main__":
    main()
