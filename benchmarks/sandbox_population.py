"""The sandbox at population scale: generating and inserting N candidates, then list pages.

On a throwaway SQLite file (or the given database, whose sandbox tables it wipes and reseeds),
in this process (no server: the list requests go through Django's test client, so the figures
are the sandbox's own cost without an HTTP hop). It prints:

- generation: candidate_population(N) alone, candidates/s;
- insert: seed_population (what ``sandbox_seed --candidates N`` runs), wall and CPU seconds, rows/s;
- list: median / p95 ms over ``-n`` requests of a 100-row page: the first page, a page 90 % deep
  (cursor), ``filter[updated_after]`` matching ~500 rows (first page and a later one),
  ``fields=id,updated_at`` 90 % deep; and the database query alone for the deep page.

    .venv/bin/python benchmarks/sandbox_population.py [--candidates 100000] [-n 20]
        [--database-url postgres://postgres@127.0.0.1:55432/scratch]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ACCOUNT, bench_env, django_setup, percentile, workspace  # noqa: E402

URL = "/sandbox/unified/ats/candidates"


def _timings(call, n: int) -> tuple[float, float]:
    values = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        values.append((time.perf_counter() - started) * 1000)
    return statistics.median(values), percentile(values, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=20, help="requests per list case")
    parser.add_argument("--database-url", help="default: a throwaway SQLite file")
    args = parser.parse_args()

    with workspace(args.database_url) as (_tmp, database_url):
        django_setup(bench_env(database_url))
        from django.db import connection
        from django.test import Client

        from sandbox import store
        from sandbox.models import SandboxAccount, SandboxCandidate
        from sandbox.population import candidate_population
        from sandbox.seed import seed_population
        from sandbox.validation import encode_cursor
        from tests.sandbox_support import api_headers

        count = args.candidates
        print(f"database: {connection.vendor}; {count:,} candidates into {ACCOUNT}")

        started = time.perf_counter()
        for _ in candidate_population(count, account_id=ACCOUNT):
            pass
        seconds = time.perf_counter() - started
        print(f"generation: {seconds:.1f} s ({count / seconds:,.0f} candidates/s)")

        wall, cpu = time.perf_counter(), time.process_time()
        result = seed_population(account_id=ACCOUNT, count=count)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"insert: {result['inserted']:,} rows in {wall:.1f} s wall ({count / wall:,.0f} rows/s), "
            f"{cpu:.1f} s CPU in this process"
        )

        rows = SandboxCandidate.objects.filter(account_id=ACCOUNT)
        total = rows.count()
        ordered = rows.order_by("created_at", "candidate_id")
        deep_row = ordered[int(total * 0.9)]
        deep = encode_cursor(deep_row.created_at, deep_row.candidate_id)
        cutoff = rows.order_by("-updated_at")[min(500, total // 2)].updated_at  # ~500 changed
        changed = list(rows.filter(updated_at__gt=cutoff).order_by("created_at", "candidate_id")[:100])
        changed_cursor = encode_cursor(changed[-1].created_at, changed[-1].candidate_id)
        updated = {"filter[updated_after]": store.iso(cutoff)}

        client = Client(HTTP_HOST="127.0.0.1")
        headers = api_headers(ACCOUNT)

        def page(**params: str):
            def call() -> None:
                response = client.get(URL, {"page_size": "100", **params}, **headers)
                assert response.status_code == 200, response.content[:300]

            return call

        cases = [
            ("first page", page()),
            ("page 90 % deep (cursor)", page(next=deep)),
            ("filter[updated_after], ~500 match, first page", page(**updated)),
            ("filter[updated_after], ~500 match, second page", page(**updated, next=changed_cursor)),
            ("fields=id,updated_at, 90 % deep", page(fields="id,updated_at", next=deep)),
        ]
        print(f"list, {total:,} rows in the account, 100 a page, median / p95 of {args.n}:")
        for name, call in cases:
            call()  # warm
            median, p95 = _timings(call, args.n)
            print(f"  {name:<48} {median:7.1f} / {p95:7.1f} ms")
        account = SandboxAccount.objects.get(pk=ACCOUNT)
        median, p95 = _timings(lambda: store.list_candidates(account, page_size=100, cursor=deep), args.n)
        print(f"  {'query alone, 90 % deep':<48} {median:7.1f} / {p95:7.1f} ms")


if __name__ == "__main__":
    main()
