"""Data health's fix job: N phone fixes (default 1,000) through the bulk pipeline against the
sandbox with 400 ms latency per call and a 600/min rate limit, against the floor that limit sets.

Starts the sandbox as a real gunicorn server (as ``bulk_benchmark.py`` does), adds N candidates
in the United Kingdom whose one phone number is written nationally ("07400 100123", a valid
number read in the candidate's own country), fills their findings with ``health_index``, then
"apply all" for the phone check: ``health_fix_job_create`` (the fixes as typed rows → a bulk
job through ``bulk.handoff``), the preview task (one GET per row) and the job task (per row, the
GET that checks nothing changed since the preview, then the PATCH), both run by db_worker's loop
in this process with the default concurrency and budget. It prints both phases against their
floors (N and 2 N calls at 600/min), rows saved, and the phone findings left (each saved row
refreshes its candidate's findings).

    .venv/bin/python benchmarks/health_fix_benchmark.py [--rows 1000] [--latency 400] [--rate 600]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    SandboxControl,
    background_share,
    bench_env,
    django_setup,
    start_server,
    workspace,
)


def add_candidates(count: int) -> list[str]:
    """Add ``count`` sandbox candidates with a national phone number; return their ids."""
    from sandbox.models import SandboxCandidate, build_email_index

    template = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0002")
    ids = [f"fix-{n:05d}" for n in range(1, count + 1)]
    rows = []
    for n, cid in enumerate(ids):
        data = {
            **template.data,
            "country": "United Kingdom",
            "phone": None,
            "phone_numbers": [{"type": "mobile", "phone": f"07400 1{n % 100000:05d}"}],
        }
        rows.append(
            SandboxCandidate(
                account_id=ACCOUNT,
                candidate_id=cid,
                remote_id=f"r-{cid}",
                data=data,
                email_index=build_email_index(data),
                created_at=template.created_at,
                updated_at=template.updated_at,
            )
        )
    SandboxCandidate.objects.bulk_create(rows, batch_size=500)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--latency", type=int, default=400, help="sandbox latency per call, ms")
    parser.add_argument("--rate", type=int, default=600, help="sandbox and app budget, calls per minute")
    args = parser.parse_args()
    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url, STACKONE_RATE_LIMIT=f"{args.rate}/minute", STACKONE_RETRY_AFTER_CAP="5")
        django_setup(env)
        ids = add_candidates(args.rows)
        server = start_server("sandbox", env, workers=1, threads=16, log=tmp / "sandbox.log")
        try:
            from django.conf import settings

            settings.STACKONE_BASE_URL = f"{server.url}/sandbox"
            from candidates.budget import budget_reset
            from candidates.bulk.jobs import bulk_enqueue, bulk_run_task
            from candidates.health.fixes import findings_fixable, health_fix_job_create
            from candidates.health.models import HealthFinding
            from candidates.health.store import health_index
            from candidates.models import BulkJob, BulkRow
            from candidates.stackone import stackone_config
            from candidates.types import Candidate
            from candidates.worker import run_queued_tasks
            from sandbox.models import SandboxCandidate
            from sandbox.store import serialize_candidate

            stackone_config.cache_clear()
            control = SandboxControl(server.url)
            control.faults(latency_ms=args.latency, rate_limit_per_minute=args.rate)
            control.reset_stats()
            budget_reset()
            rows = SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id__in=ids)
            health_index(
                account_id=ACCOUNT, candidates=[Candidate.from_api(serialize_candidate(r)) for r in rows]
            )
            before = HealthFinding.objects.filter(account_id=ACCOUNT, check_name="phone_format").count()
            print(
                f"sandbox: {server.url} · latency {args.latency} ms · {args.rate}/min · "
                f"{before} phone findings"
            )

            started = time.monotonic()
            job = health_fix_job_create(
                user=None,
                account_id=ACCOUNT,
                label="phone_format",
                findings=findings_fixable(account_id=ACCOUNT, check="phone_format"),
            )
            assert job is not None
            run_queued_tasks()  # the preview
            preview = time.monotonic() - started
            BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.QUEUED)
            started = time.monotonic()
            bulk_enqueue(bulk_run_task, job.pk)
            run_queued_tasks()
            run = time.monotonic() - started
            floor = args.rows / args.rate * 60
            saved = BulkRow.objects.filter(job=job, status="saved").count()
            left = HealthFinding.objects.filter(account_id=ACCOUNT, check_name="phone_format").count()
            stats = control.stats()
            print(
                f"preview (rows → job, 1 GET per row): {preview:.1f} s = {preview / floor:.2f} × its "
                f"floor of {floor:.0f} s"
            )
            print(f"job (1 GET + 1 PATCH per row): {run:.1f} s = {run / (2 * floor):.2f} × its floor of "
                  f"{2 * floor:.0f} s")
            share = background_share()
            print(f"  × the floor at background work's share of the budget ({share:.0f}/min, the rest kept "
                  f"for people): {run / (2 * args.rows / share * 60):.2f}")
            print(
                f"rows saved: {saved} of {args.rows}; phone findings left: {left}; sandbox saw "
                f"{stats['by_method'].get('GET', 0)} GET, {stats['by_method'].get('PATCH', 0)} PATCH, "
                f"{stats['by_status'].get('429', 0)} × 429"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
