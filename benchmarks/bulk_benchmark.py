"""Bulk updates: a 300-row job against the sandbox with 400 ms latency per call and a 600/min
rate limit, against the floor the rate limit sets and a naive sequential loop.

Starts the sandbox as a real gunicorn server (1 worker × 16 threads) on a spare loopback port
with a throwaway SQLite file database, adds 300 candidates, then in this one run:

1. naive: a plain ``requests`` loop PATCHing the 300 rows one after the other (no GET);
2. bulk: the same 300 rows through the product: CSV parsed and validated, the preview task (one
   GET per row), then the job task (per row, the GET that checks nothing changed since the
   preview, then the PATCH), both run by db_worker's own loop in this process, with the default
   concurrency (4) and budget (STACKONE_RATE_LIMIT, 600/minute);
3. 429 probe: 40 more rows (``--probe-rows``) with three PATCHes answered 429 (Retry-After 2 s).

It prints the job's wall time, its ratio to the floor (2 calls per row: 300 GETs and 300 PATCHes
at 600/min = 60 s; the preview's 300 GETs are a separate phase with its own 30 s floor, reported
apart), its speed-up over the naive loop, the 429s seen, the requests started while a Retry-After
pause was running (a "burst of resends"), and rows lost or sent twice (from a log of every call
this process made and the values the sandbox holds afterwards).

    .venv/bin/python benchmarks/bulk_benchmark.py [--rows 300] [--latency 400] [--rate 600] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    SandboxControl,
    background_share,
    bare_session,
    bench_env,
    django_setup,
    start_server,
    workspace,
)

CallLog = list[tuple[float, float, str, str, int]]  # (start, end, method, candidate id, status)


def add_candidates(count: int, prefix: str) -> list[str]:
    """Copy c-0002 into ``count`` new sandbox candidates; return their ids."""
    from sandbox.models import SandboxCandidate, build_email_index

    template = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0002")
    ids = [f"{prefix}-{n:04d}" for n in range(1, count + 1)]
    SandboxCandidate.objects.bulk_create([
        SandboxCandidate(account_id=ACCOUNT, candidate_id=cid, remote_id=f"r-{cid}", data=template.data,
                         email_index=build_email_index(template.data), created_at=template.created_at,
                         updated_at=template.updated_at)
        for cid in ids
    ])
    return ids


def record_calls(log: CallLog) -> None:
    """Log every HTTP call this process makes (the bulk job's included)."""
    original = requests.Session.send

    def send(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        start = time.monotonic()
        response = original(self, request, **kwargs)
        if "/unified/ats/candidates/" in (request.url or ""):
            candidate = (request.url or "").split("/candidates/")[1].split("?")[0]
            log.append((start, time.monotonic(), request.method or "", candidate, response.status_code))
        return response

    requests.Session.send = send  # type: ignore[method-assign]


def naive_loop(sandbox_url: str, ids: list[str]) -> float:
    session = bare_session(sandbox_url)
    started = time.monotonic()
    for cid in ids:
        session.patch(f"{sandbox_url}/sandbox/unified/ats/candidates/{cid}", json={"title": f"Naive {cid}"},
                      timeout=65)
    return time.monotonic() - started


def bulk_run(ids: list[str], title: str, concurrency: int) -> tuple[float, float, int, float]:
    """Run preview and job through the task queue; return (preview s, job s, job id, the job's
    start on the monotonic clock)."""
    from candidates.bulk.csv_parse import bulk_csv_parse
    from candidates.bulk.jobs import bulk_enqueue, bulk_job_create, bulk_preview_task, bulk_run_task
    from candidates.models import BulkJob
    from candidates.worker import run_queued_tasks

    body = "id,title\n" + "".join(f"{cid},{title} {cid}\n" for cid in ids)
    job = bulk_job_create(user=None, account_id=ACCOUNT, filename="bench.csv",
                          parsed=bulk_csv_parse(body.encode()), concurrency=concurrency)
    started = time.monotonic()
    bulk_enqueue(bulk_preview_task, job.pk)
    run_queued_tasks()
    preview = time.monotonic() - started
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.QUEUED)
    started = time.monotonic()
    bulk_enqueue(bulk_run_task, job.pk)
    run_queued_tasks()
    return preview, time.monotonic() - started, job.pk, started


def bursts_after_429(log: CallLog, pause: float) -> tuple[int, int]:
    """Return (429 answers, requests started while a 429's Retry-After pause was running)."""
    answers = [end for _, end, _, _, status in log if status == 429]
    started_in_pause = sum(1 for start, *_ in log if any(t <= start < t + pause for t in answers))
    return len(answers), started_in_pause


def lost_and_twice(log: CallLog, ids: list[str], title: str, job_id: int) -> tuple[int, int]:
    from candidates.models import BulkRow
    from sandbox.models import SandboxCandidate

    held = dict(SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id__in=ids)
                .values_list("candidate_id", "data__title"))
    saved = set(BulkRow.objects.filter(job_id=job_id, status="saved").values_list("candidate_id", flat=True))
    lost = sum(1 for cid in ids if held.get(cid) != f"{title} {cid}" or cid not in saved)
    accepted = Counter(cid for _, _, method, cid, status in log if method == "PATCH" and status != 429)
    return lost, sum(1 for cid in ids if accepted[cid] > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--latency", type=int, default=400, help="sandbox latency per call, ms")
    parser.add_argument("--rate", type=int, default=600, help="sandbox and app budget, calls per minute")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--probe-rows", type=int, default=40, help="rows of the 429 probe (default 40)")
    args = parser.parse_args()
    with workspace(None) as (tmp, database_url):
        env = bench_env(database_url, STACKONE_RATE_LIMIT=f"{args.rate}/minute", STACKONE_RETRY_AFTER_CAP="5")
        django_setup(env)
        ids = add_candidates(args.rows, "bench")
        probe_ids = add_candidates(args.probe_rows, "probe")
        server = start_server("sandbox", env, workers=1, threads=16, log=tmp / "sandbox.log")
        try:
            from django.conf import settings

            settings.STACKONE_BASE_URL = f"{server.url}/sandbox"
            from candidates.stackone import stackone_config

            stackone_config.cache_clear()
            control = SandboxControl(server.url)
            control.faults(latency_ms=args.latency, rate_limit_per_minute=args.rate)
            print(f"sandbox: {server.url} · latency {args.latency} ms · {args.rate}/min · {args.rows} rows")
            naive = naive_loop(server.url, ids)
            naive_429 = control.stats()["by_status"].get("429", 0)
            print(f"naive sequential loop (PATCH only): {naive:.1f} s ({naive_429} × 429)")

            control.reset_faults()  # a fresh rate window for the bulk run
            control.faults(latency_ms=args.latency, rate_limit_per_minute=args.rate)
            control.reset_stats()
            from candidates.budget import budget_reset

            budget_reset()
            log: CallLog = []
            record_calls(log)
            preview, job, job_id, job_started = bulk_run(ids, "Bulk", args.concurrency)
            floor = args.rows / args.rate * 60  # one call per row: the preview's
            job_floor = 2 * floor  # two calls per row: the check (GET) and the PATCH
            stats = control.stats()
            answers, in_pause = bursts_after_429(log, 2.0)
            lost, twice = lost_and_twice(log, ids, "Bulk", job_id)
            print(f"bulk preview (1 GET per row): {preview:.1f} s = {preview / floor:.2f} × "
                  f"its floor of {floor:.0f} s")
            print(f"bulk job (per row: 1 GET to check, 1 PATCH; concurrency {args.concurrency}): {job:.1f} s")
            print(f"  ratio to the rate-limit floor ({args.rows} GETs + {args.rows} PATCHes at "
                  f"{args.rate}/min = {job_floor:.0f} s): {job / job_floor:.3f}")
            share = background_share()
            print(f"  ratio to the floor at background work's share of the budget ({share:.0f}/min, the "
                  f"rest kept for people): {job / (2 * args.rows / share * 60):.3f}")
            job_calls = Counter(method for start, _, method, _, _ in log if start >= job_started)
            print(f"  job calls: {job_calls['GET']} GET + {job_calls['PATCH']} PATCH")
            trips = [end - start for start, end, _, _, _ in log if start >= job_started]
            trip = sum(trips) / len(trips)
            print(f"  mean round trip {trip * 1000:.0f} ms: {args.concurrency} in flight cannot beat "
                  f"{2 * args.rows * trip / args.concurrency:.1f} s")
            print(f"  speed-up over the naive loop: {naive / job:.2f} × "
                  f"(preview + job: {naive / (preview + job):.2f} ×)")
            print(f"  sandbox saw {stats['by_method']['GET']} GET, {stats['by_method']['PATCH']} PATCH, "
                  f"{stats['by_status'].get('429', 0)} × 429")
            print(f"  429 answers: {answers}; requests started inside a Retry-After pause: {in_pause}")
            print(f"  rows lost: {lost}; rows sent twice: {twice}")

            # 429 probe: three PATCHes answered 429 with Retry-After 2 s.
            control.faults(fail_status=429, fail_count=3, fail_methods=["PATCH"], retry_after_seconds=2)
            log.clear()
            _, probe_job, probe_job_id, _ = bulk_run(probe_ids, "Probe", args.concurrency)
            answers, in_pause = bursts_after_429(log, 2.0)
            lost, twice = lost_and_twice(log, probe_ids, "Probe", probe_job_id)
            print(f"429 probe ({len(probe_ids)} rows, 3 PATCHes answered 429, Retry-After 2 s): "
                  f"job {probe_job:.1f} s; "
                  f"429 answers: {answers}; requests started inside a Retry-After pause: {in_pause}; "
                  f"rows lost: {lost}; rows sent twice: {twice}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
