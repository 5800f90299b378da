"""The bulk command (``manage.py bulk_update``) at 300, 1,000 and 3,000 rows: rows/s per phase.

Starts a throwaway PostgreSQL (Debian's packages; ``--sqlite`` for a SQLite file, where the
sandbox's and the command's writes wait on each other's locks) and the sandbox as a gunicorn
server (1 worker × 16 threads) on spare loopback ports, with no added latency or rate limit
(the app's own budget is lifted too): what is measured is the app's cost per row, not
StackOne's. For each size it adds
that many candidates, writes a CSV changing each one's title and runs the command in this
process as a user would, timing its three phases:

- read: CSV parsed and validated, job and rows stored;
- preview: one GET per row (``--concurrency`` in flight), each row's diff stored;
- job: one PATCH per row, its audit entry and outcome stored, progress printed.

It also reports how often the job phase counted progress over all the job's rows, and the
seconds those counts took.

    .venv/bin/python benchmarks/bulk_command.py [--rows 300 1000 3000] [--concurrency 4] [--sqlite]
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from io import StringIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bulk_benchmark import add_candidates  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    bench_env,
    django_setup,
    start_server,
    throwaway_postgres,
    workspace,
)


def timed_command(csv_path: Path, concurrency: int) -> dict[str, Any]:
    """Run bulk_update on ``csv_path``; return the seconds of each phase and the progress counts."""
    from django.core.management import call_command

    from candidates.bulk import jobs
    from candidates.management.commands import bulk_update

    spent: dict[str, Any] = {"progress_counts": 0, "progress_s": 0.0}

    def timing(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = time.perf_counter() - started
        return wrapper

    real_progress = jobs.bulk_job_progress

    def counting(job: Any) -> Any:
        spent["progress_counts"] += 1
        started = time.perf_counter()
        try:
            return real_progress(job)
        finally:
            spent["progress_s"] += time.perf_counter() - started

    originals = (bulk_update.bulk_preview_run, bulk_update.bulk_job_run, jobs.bulk_job_progress)
    bulk_update.bulk_preview_run = timing("preview", bulk_update.bulk_preview_run)
    bulk_update.bulk_job_run = timing("job", bulk_update.bulk_job_run)
    jobs.bulk_job_progress = counting
    out = StringIO()
    started = time.perf_counter()
    try:
        call_command("bulk_update", str(csv_path), "--account", ACCOUNT, "--concurrency", str(concurrency),
                     "--results", str(csv_path.with_suffix(".results.csv")), stdout=out, stderr=out)
    finally:
        bulk_update.bulk_preview_run, bulk_update.bulk_job_run, jobs.bulk_job_progress = originals
    total = time.perf_counter() - started
    summary = [line for line in out.getvalue().splitlines() if line.startswith("saved ")]
    spent.update(total=total, read=total - spent["preview"] - spent["job"],
                 summary=summary[-1] if summary else "")
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--sqlite", action="store_true",
                        help="a SQLite file instead of a throwaway PostgreSQL")
    args = parser.parse_args()
    with ExitStack() as stack:
        tmp, database_url = stack.enter_context(workspace(None))
        if not args.sqlite:
            database_url = stack.enter_context(throwaway_postgres(tmp))
        env = bench_env(database_url)
        django_setup(env)
        server = start_server("sandbox", env, workers=1, threads=16, log=tmp / "sandbox.log")
        stack.callback(server.stop)
        from django.conf import settings

        from candidates.stackone import stackone_config

        settings.STACKONE_BASE_URL = f"{server.url}/sandbox"
        stackone_config.cache_clear()
        print(f"sandbox: gunicorn 1 × 16 on loopback, no added latency, no rate limit; "
              f"database: {database_url.split('://')[0]}; concurrency {args.concurrency}")
        print(f"{'rows':>6} {'read rows/s':>12} {'preview rows/s':>15} {'job rows/s':>11} {'job s':>7} "
              f"{'progress counts':>16} {'counting s':>11}  outcome")
        for size in args.rows:
            ids = add_candidates(size, f"cmd{size}")
            path = tmp / f"bulk-{size}.csv"
            path.write_text("id,title\n" + "".join(f"{cid},Command {cid}\n" for cid in ids))
            spent = timed_command(path, args.concurrency)
            print(f"{size:6} {size / spent['read']:12,.0f} {size / spent['preview']:15,.1f} "
                  f"{size / spent['job']:11,.1f} {spent['job']:7.1f} {spent['progress_counts']:16} "
                  f"{spent['progress_s']:11.2f}  {spent['summary']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
