"""Directory search, in process: latency of 200 mixed queries at N rows, the list page with a
query against the same page without one, and the directory's size on disk.

    .venv/bin/python benchmarks/directory_search.py [--rows 100000] [--queries 200] [--seed 1]
    DATABASE_URL=postgres://…/db .venv/bin/python benchmarks/directory_search.py

SQLite: a throwaway file. PostgreSQL: the database DATABASE_URL names (migrated; the benchmark's
account rows are deleted at the end). Rows come from the sandbox's population generator
(``sandbox.population.candidate_population``) through ``index.entry_fields``, as the sync stores them.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import bench_env, workspace  # noqa: E402

ACCOUNT = "bench-directory"


def population(count: int, seed: int) -> list[dict[str, Any]]:
    from sandbox.population import candidate_population

    return list(candidate_population(count, seed=seed, account_id=ACCOUNT))


def load(bodies: list[dict[str, Any]]) -> float:
    """Insert the rows as the sync does; return the seconds taken."""
    from django.utils import timezone

    from candidates.directory.index import entry_fields
    from candidates.directory.models import DirectoryEntry, DirectorySync
    from candidates.types import Candidate

    DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
    started = time.perf_counter()
    batch = []
    for body in bodies:
        batch.append(DirectoryEntry(account_id=ACCOUNT, candidate_id=body["id"],
                                    **entry_fields(Candidate.from_api(body))))
        if len(batch) == 2000:
            DirectoryEntry.objects.bulk_create(batch)
            batch = []
    DirectoryEntry.objects.bulk_create(batch)
    # As after the account's first full sync: the list page searches the directory, not StackOne.
    DirectorySync.objects.filter(account_id=ACCOUNT).delete()
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status=DirectorySync.Status.DONE,
                                 finished_at=timezone.now())
    return time.perf_counter() - started


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([word[:i] + word[i + 1:], word[:i] + word[i + 1] + word[i] + word[i + 2:],
                       word[:i] + rng.choice("aeiou") + word[i + 1:]])


def queries(bodies: list[dict[str, Any]], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Return (kind, query) pairs: names with typos, partial emails, phones as typed, companies,
    two-word queries, in turn."""
    made: list[tuple[str, str]] = []
    while len(made) < count:
        body = rng.choice(bodies)
        first, last = body.get("first_name") or "", body.get("last_name") or ""
        emails = [body.get("email")] + [e.get("value") for e in body.get("emails") or []]
        email = next((e for e in emails if e), "")
        phones = [body.get("phone")] + [p.get("phone") for p in body.get("phone_numbers") or []]
        phone = next((p for p in phones if p), "")
        company = body.get("company") or ""
        kind = ("typo", "email", "phone", "company", "two words")[len(made) % 5]
        if kind == "typo" and last:
            made.append((kind, f"{_typo(first, rng)} {_typo(last, rng)}".strip()))
        elif kind == "email" and email:
            made.append((kind, email.split("@")[0][: rng.randint(4, 8)]))
        elif kind == "phone" and phone:
            digits = "".join(c for c in phone if c.isdigit())
            made.append((kind, rng.choice([phone, digits, digits[-10:-6] + " " + digits[-6:]])))
        elif kind == "company" and company:
            made.append((kind, company.split()[0]))
        elif kind == "two words" and first and company:
            made.append((kind, f"{first[:4]} {company.split()[0]}"))
    return made


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def search_latency(pairs: list[tuple[str, str]]) -> None:
    from candidates.directory.search import DirectoryQuery, directory_search

    started = time.perf_counter()
    directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="warm up the vocabulary"))
    elapsed = (time.perf_counter() - started) * 1000
    print(f"first search (reads the name vocabulary on SQLite): {elapsed:.0f} ms")
    timings: dict[str, list[float]] = {}
    hits = []
    each = []
    for kind, q in pairs:
        started = time.perf_counter()
        results = directory_search(account_id=ACCOUNT, query=DirectoryQuery(q=q))
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        hits.append(results.total)
        each.append((elapsed, kind, q, results.total))
    every = [ms for values in timings.values() for ms in values]
    print(f"search, {len(every)} queries: p50 {percentile(every, 0.5):.1f} ms, "
          f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms; "
          f"queries with no result: {sum(1 for h in hits if h == 0)}")
    for kind, values in timings.items():
        print(f"  {kind:<10} p50 {percentile(values, 0.5):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms")
    print("  slowest:", "; ".join(f"{q!r} ({kind}, {total:,} found) {ms:.0f} ms"
                                  for ms, kind, q, total in sorted(each, reverse=True)[:5]))


def page_ratio(pairs: list[tuple[str, str]], rounds: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench-directory", defaults={"is_superuser": True})
    # One session for each side: a page remembers its query in the session (a write when it changes).
    plain_client, query_client = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    path = f"/accounts/{ACCOUNT}/candidates/"
    for client in (plain_client, query_client):
        client.force_login(user)
        client.get(path)

    def load_ms(params: dict[str, str]) -> float:
        client = query_client if params else plain_client
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    # Each load with a query follows a load without one, so that the machine's load (shared with
    # other work) weighs on both sides of the ratio alike.
    plain_times: list[float] = []
    searched = []
    for _, q in pairs[:10]:
        times = []
        for _ in range(rounds):
            plain_times.append(load_ms({}))
            times.append(load_ms({"q": q}))
        searched.append(statistics.median(times))
    plain = statistics.median(plain_times)
    with_query = statistics.median(searched)
    print(f"list page: no query {plain:.1f} ms (median of {len(plain_times)}, between the others), with a "
          f"query {with_query:.1f} ms (median of 10 queries × {rounds}): ratio {with_query / plain:.2f}")


def size_on_disk(rows: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('directory_directoryentry')")
            total = cursor.fetchone()[0]
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'directory%'")
            names = [name for (name,) in cursor.fetchall()]
            marks = ",".join("%s" for _ in names)
            cursor.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})", names)
            total = cursor.fetchone()[0]
    count = rows or 1
    what = "table + indexes" + (" + FTS5" if connection.vendor == "sqlite" else "")
    print(f"directory on disk ({connection.vendor}, {what}): {total / 1e6:.1f} MB for {rows:,} rows "
          f"= {total / count * 100_000 / 1e6:.1f} MB per 100,000 candidates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="page loads per query for the page ratio")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the benchmark rows afterwards, and reuse them when the "
                             "account already has --rows of them (same --seed), skipping the load")
    args = parser.parse_args()
    with workspace(os.environ.get("DATABASE_URL")) as (_, database_url):
        os.environ.update(bench_env(database_url, CANDIDATE_DIRECTORY="on"))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import override_settings

        # The page's static files from the finders: no collectstatic for an in-process benchmark.
        override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
        call_command("migrate", verbosity=0, interactive=False)
        from candidates.directory.models import DirectoryEntry

        bodies = population(args.rows, args.seed)
        reuse = args.reuse and connection.vendor == "postgresql"
        if reuse and DirectoryEntry.objects.filter(account_id=ACCOUNT).count() == args.rows:
            print(f"{connection.vendor}: reusing the {args.rows:,} rows already loaded")
        else:
            seconds = load(bodies)
            with connection.cursor() as cursor:
                # PostgreSQL: as autovacuum leaves a table that has been sitting a while (the visibility
                # map set, so that counting the account reads its index alone), not as minutes after a load.
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(f"{connection.vendor}: {args.rows:,} rows loaded in {seconds:.1f} s")
        pairs = queries(bodies, args.queries, random.Random(args.seed))
        try:
            search_latency(pairs)
            page_ratio(pairs, args.rounds)
            size_on_disk(args.rows)
        finally:
            if connection.vendor == "postgresql" and not reuse:
                from candidates.directory.models import DirectorySync

                DirectoryEntry.objects.filter(account_id=ACCOUNT).delete()
                DirectorySync.objects.filter(account_id=ACCOUNT).delete()


if __name__ == "__main__":
    main()
