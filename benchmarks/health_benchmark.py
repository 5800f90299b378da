"""Data health: every check over N candidates (default 100,000) on SQLite or PostgreSQL, with
its wall time and rows per second, at N/4, N/2 and N to show it grows linearly.

The candidates are ``sandbox.population.candidate_population(N, seed=1)`` (names in several
scripts, national and E.164 phones, company spellings written several ways). Their directory
rows are written first, untimed (that is the directory sync's work). Then, timed:

1. per-candidate checks (1, 2, 4, 5, 6, 7, 9) and their findings stored with ``health_index``,
   called per page of 100 as the directory sync calls it;
2. the cross-candidate checks (3 duplicate emails, 8 company clusters) over the directory's
   columns, each one pass grouping on a key (never comparing every pair);
3. the page's summary (the count of every check).

"CPU" is this process's CPU time over the three (with SQLite, the database's work included; with
PostgreSQL, the server's is not), a figure a busy machine distorts less than the wall time;
"load" is the 1-minute load average when the size finished.

    .venv/bin/python benchmarks/health_benchmark.py [--rows 100000] [--database-url postgres://…/name]

Without --database-url a throwaway SQLite file is used. The target (docs/benchmarks.md): ≤ 30 s for 100,000.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import bench_env, django_setup, workspace  # noqa: E402

ACCOUNT = "bench-health"
PAGE = 100


def run(rows: int, database_url: str | None) -> None:
    with workspace(database_url) as (_tmp, url):
        django_setup(bench_env(url))
        from django.db import connection

        from candidates.directory.index import entry_fields
        from candidates.directory.models import DirectoryEntry
        from candidates.health.clusters import company_clusters, duplicate_emails
        from candidates.health.models import HealthFinding
        from candidates.health.report import health_report
        from candidates.health.store import health_index
        from candidates.types import Candidate, CustomFieldDefinition
        from sandbox.population import candidate_population
        from sandbox.seed import CUSTOM_FIELD_DEFINITIONS

        definitions = [CustomFieldDefinition.from_api(d) for d in CUSTOM_FIELD_DEFINITIONS["sbx-greenhouse"]]
        started = time.perf_counter()
        candidates = [Candidate.from_api(body) for body in candidate_population(rows, seed=1)]
        print(
            f"{connection.vendor}: generated {len(candidates):,} candidates "
            f"in {time.perf_counter() - started:.1f} s "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        print(
            f"{'rows':>8} {'per-candidate':>14} {'cross':>7} {'summary':>8} {'total':>7} {'rows/s':>8} "
            f"{'ms/row':>6} {'CPU':>7} {'load':>5}"
        )
        for size in (rows // 4, rows // 2, rows):
            HealthFinding.objects.filter(account_id=ACCOUNT).delete()
            DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
            DirectoryEntry.objects.bulk_create(
                [
                    DirectoryEntry(account_id=ACCOUNT, candidate_id=c.id, **entry_fields(c))
                    for c in candidates[:size]
                ],
                batch_size=1000,
            )
            c0, t0 = time.process_time(), time.perf_counter()
            for start in range(0, size, PAGE):
                health_index(
                    account_id=ACCOUNT, candidates=candidates[start : start + PAGE], definitions=definitions
                )
            t1 = time.perf_counter()
            clusters, groups = company_clusters(ACCOUNT), duplicate_emails(ACCOUNT)
            t2 = time.perf_counter()
            summary = health_report(ACCOUNT, limit=0)
            t3 = time.perf_counter()
            total, cpu = t3 - t0, time.process_time() - c0
            counts = Counter({report.check.name: report.count for report in summary})
            shown = ", ".join(f"{name} {n:,}" for name, n in counts.most_common() if n)
            print(
                f"{size:>8,} {t1 - t0:>13.1f}s {t2 - t1:>6.1f}s {t3 - t2:>7.1f}s {total:>6.1f}s "
                f"{size / total:>8,.0f} {1000 * total / size:>6.2f} {cpu:>6.1f}s {os.getloadavg()[0]:>5.1f}"
            )
            print(
                f"{'':>8} findings: {shown}; "
                f"{len(clusters):,} company clusters, {len(groups):,} shared addresses"
            )
        HealthFinding.objects.filter(account_id=ACCOUNT).delete()
        DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
        print(f"load average now {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url", help="e.g. postgres://postgres@127.0.0.1:55432/h14 (default: SQLite)"
    )
    args = parser.parse_args()
    run(args.rows, args.database_url)


if __name__ == "__main__":
    main()
