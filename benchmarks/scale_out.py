"""Scale-out: the production stack on one machine, people and a bulk job sharing one StackOne
budget, and jobs that survive their worker.

Starts, on loopback: PostgreSQL (a throwaway cluster from Debian's packages, or ``--database-url``),
Redis (a throwaway ``redis-server``, or ``--redis-url``), the sandbox (gunicorn, ``--latency`` ms per
call and ``--rate`` calls a minute enforced per key, its access log read afterwards), two web
servers (gunicorn 2 × 8 each), three workers (``manage.py worker``) and the scheduler
(``manage.py scheduler``), every process with the app's own settings: the budget is
``STACKONE_RATE_LIMIT``'s default (900 a minute) unless ``--budget`` says otherwise, in Redis. The
directory is synced first, so the list page reads it. Then:

1. **alone**: ``--users`` signed-in users, each on its own candidate, alternately on the two web
   servers, repeat the candidate list, the edit page, a save and the page after it until
   ``--requests`` requests have been made;
2. **during a job**: a ``--rows``-row bulk job is previewed and started, and the same users make
   the same requests again while it runs. Reported: StackOne's 429s (pages' and the job's), page
   p50/p95 during the job ÷ alone, and the job's time ÷ its floor given the budget left to it
   (background work may hold max(floor, budget − reserve − people's calls) a minute: its floor
   is the job's calls at that rate, the people's calls counted over the job's run);
3. **kill -9**: a ``--kill-rows``-row job; once a fifth of its rows are saved, the worker running
   it is killed. Reported: the time until another worker continues it on its own (the scheduler
   queues the recovery; no person), rows sent twice (more than one PATCH reached the sandbox for
   a candidate), rows lost (reported saved but not held, or left unfinished) and rows ``unknown``;
4. **SIGTERM**: the same with SIGTERM: the time the worker took to exit, the time until another
   continued, and the same counts.

A stopped or killed worker is replaced afterwards, as a supervisor would. The machine is shared:
the load average is printed with each phase.

    .venv/bin/python benchmarks/scale_out.py [--users 40] [--requests 2000] [--rows 1500] [--kill-rows 600]
        [--latency 300] [--rate 1000] [--budget N] [--takeover 60] [--database-url URL] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from benchmarks.bulk_benchmark import add_candidates  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    ACCOUNT,
    SandboxControl,
    bench_env,
    django_setup,
    percentile,
    session_for,
    start_command,
    start_server,
    throwaway_postgres,
    throwaway_redis,
    workspace,
)
from benchmarks.load import EXPECTED, Results, user_loop  # noqa: E402

ACCESS_FORMAT = "%(t)s %(m)s %(U)s %(s)s"
ACCESS_LINE = re.compile(r"\[(?P<at>[^\]]+)\] (?P<method>\S+) (?P<path>\S+) (?P<status>\d{3})")
JOB_PREFIXES = ("job", "kill", "term")


class TimedResults(Results):
    """``load.Results`` that also keeps, for each answered request, when it started (epoch
    seconds), its kind and how long it took (ms)."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[float, str, float]] = []
        self.began = self.ended = 0.0  # the phase's first and last moment (epoch seconds)

    def record(self, kind: str, started: float, response: requests.Response | None, error: str = "") -> None:
        elapsed = (time.perf_counter() - started) * 1000
        if response is not None and response.status_code == EXPECTED[kind]:
            with self.lock:
                self.log.append((time.time() - elapsed / 1000, kind, elapsed))
        super().record(kind, started, response, error)

    def before(self, moment: float, kind: str = "") -> list[float]:
        """The times (ms) of the requests of ``kind`` (any when empty) started before ``moment``."""
        return [ms for at, seen, ms in self.log if at < moment and kind in ("", seen)]


@dataclass
class Call:
    """One request the sandbox answered (its access log)."""

    at: float
    method: str
    path: str
    status: int

    @property
    def job(self) -> bool:
        return any(f"/candidates/{prefix}-" in self.path for prefix in JOB_PREFIXES)

    @property
    def candidate(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def sandbox_calls(log: Path) -> list[Call]:
    """Every API request the sandbox answered (its control endpoints left out)."""
    calls = []
    for line in log.read_text().splitlines():
        found = ACCESS_LINE.search(line)
        if found and "/_control/" not in found["path"] and found["path"].startswith("/sandbox/"):
            at = datetime.strptime(found["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            calls.append(Call(at, found["method"], found["path"], int(found["status"])))
    return calls


@dataclass
class Stack:
    """The processes of the run: web servers, workers by id, the scheduler."""

    env: dict[str, str]
    tmp: Path
    webs: list[str]
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    started: int = 0

    def worker_start(self) -> str:
        from candidates.models import WorkerBeat

        self.started += 1
        name = f"worker-{self.started}"
        self.workers[name] = start_command(["worker", "--worker-id", name], self.env,
                                           log=self.tmp / f"{name}.log")
        until(lambda: WorkerBeat.objects.filter(worker_id=name).exists(), f"{name} to start", 180)
        return name

    def stop(self) -> None:
        for process in self.workers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def until(condition, what: str, seconds: float = 1800.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {seconds:g} s for {what}")
        time.sleep(0.2)


def load_now() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f}"


def users_run(stack: Stack, sessions: list[requests.Session], requests_total: int) -> TimedResults:
    """Each user repeats list, page, save, page after save on its own candidate until the users
    have made about ``requests_total`` requests between them."""
    results, form_lock = TimedResults(), threading.Lock()
    rounds = max(1, math.ceil(requests_total / (len(EXPECTED) * len(sessions))))
    threads = [threading.Thread(target=user_loop, args=(
        stack.webs[k % len(stack.webs)], session, f"c-{k + 2:04d}", results, rounds, time.monotonic() + 3600,
        form_lock)) for k, session in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def job_new(ids: list[str], title: str) -> int:
    """A previewed job (the preview run by the workers) over ``ids``; returns its id."""
    from candidates.bulk.csv_parse import bulk_csv_parse
    from candidates.bulk.jobs import bulk_enqueue, bulk_job_create, bulk_preview_task
    from candidates.models import BulkJob

    body = "id,title\n" + "".join(f"{cid},{title} {cid}\n" for cid in ids)
    job = bulk_job_create(user=None, account_id=ACCOUNT, filename=f"{title}.csv",
                          parsed=bulk_csv_parse(body.encode()))
    bulk_enqueue(bulk_preview_task, job.pk)
    until(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.READY, f"the {title} job's preview")
    return job.pk


def job_start(job_id: int) -> None:
    from candidates.bulk.jobs import bulk_job_start
    from candidates.models import BulkJob

    bulk_job_start(job=BulkJob.objects.get(pk=job_id), user=None, username="benchmark")


def job_done(job_id: int) -> bool:
    from candidates.models import BulkJob

    return BulkJob.objects.get(pk=job_id).status == BulkJob.Status.DONE


def job_saved(job_id: int) -> int:
    from candidates.models import BulkRow

    return BulkRow.objects.filter(job_id=job_id, status=BulkRow.Status.SAVED).count()


def job_runner(job_id: int) -> str:
    """The worker running the job's latest run task now ('' while none is)."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(task_path="candidates.bulk.jobs.bulk_run_task", status="RUNNING",
                                       args_kwargs__args=[job_id]).order_by("-enqueued_at").first()
    return task.worker_ids[-1] if task is not None and task.worker_ids else ""


@dataclass(frozen=True)
class Outcome:
    """A job's rows as the sandbox and the job see them afterwards."""

    twice: int
    lost: int
    unknown: int
    unknown_landed: int


def job_outcome(job_id: int, title: str, calls: list[Call]) -> Outcome:
    from candidates.models import BulkRow
    from sandbox.models import SandboxCandidate

    rows = dict(BulkRow.objects.filter(job_id=job_id).values_list("candidate_id", "status"))
    held = dict(SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id__in=list(rows))
                .values_list("candidate_id", "data__title"))
    accepted = Counter(call.candidate for call in calls if call.method == "PATCH" and call.status != 429)
    wanted = {cid: f"{title} {cid}" for cid in rows}
    lost = sum(1 for cid, status in rows.items()
               if (status == BulkRow.Status.SAVED and held.get(cid) != wanted[cid])
               or status in (BulkRow.Status.PENDING, BulkRow.Status.CHECKING, BulkRow.Status.SENDING))
    unknown = [cid for cid, status in rows.items() if status == BulkRow.Status.UNKNOWN]
    return Outcome(twice=sum(1 for cid in rows if accepted[cid] > 1), lost=lost, unknown=len(unknown),
                   unknown_landed=sum(1 for cid in unknown if held.get(cid) == wanted[cid]))


def p(values: list[float], fraction: float) -> float:
    return statistics.median(values) if fraction == 0.5 else percentile(values, fraction)


def phase_pages(stack: Stack, sessions: list[requests.Session], count: int, label: str) -> TimedResults:
    started = time.time()
    results = users_run(stack, sessions, count)
    results.began, results.ended = started, time.time()
    wall = results.ended - started
    total = sum(len(t) for t in results.times.values())
    errors = "".join(f"; {kind}: {n}" for kind, n in results.errors.items())
    print(f"{label}: {total} requests in {wall:.0f} s ({total / wall:.1f}/s), errors "
          f"{sum(results.errors.values())}{errors}; {load_now()}")
    return results


def shared_budget_report(job_id: int, alone: TimedResults, during: TimedResults, calls: list[Call]) -> None:
    """Print the pages' times alone and during the job (the requests started before it ended),
    StackOne's 429s, and the job's time against its floor given the budget people left it."""
    from candidates.budget import budget_shape
    from candidates.models import BulkJob

    shape = budget_shape()
    job = BulkJob.objects.get(pk=job_id)
    assert job.started_at is not None and job.finished_at is not None
    start, end = job.started_at.timestamp(), job.finished_at.timestamp()
    run_seconds = end - start
    job_calls = sum(1 for call in calls if start - 1 <= call.at <= end + 1 and "/job-" in call.path)
    pages = [call.at for call in calls if not call.job]
    page_calls = sum(1 for at in pages if start - 1 <= at <= end + 1)
    floor = job_floor(start, job_calls, pages)
    alone_rate = sum(1 for at in pages if alone.began <= at <= alone.ended) / (alone.ended - alone.began) * 60
    print(f"  people's calls alone: {alone_rate:.0f} a minute (their share of the budget: at most "
          f"{(shape.limit - shape.floor) / shape.window * 60:.0f})")
    late = math.inf
    for label, values in (("alone", alone.before(late)), ("during the job", during.before(end))):
        print(f"  pages {label}: p50 {p(values, 0.5):.0f} ms, p95 {p(values, 0.95):.0f} ms "
              f"({len(values)} requests)")
    ratios = [p(during.before(end), q) / p(alone.before(late), q) for q in (0.5, 0.95)]
    print(f"  pages during the job ÷ alone: p50 {ratios[0]:.2f}, p95 {ratios[1]:.2f} (target ≤ 1.10)")
    for kind in EXPECTED:
        before, meanwhile = alone.before(late, kind), during.before(end, kind)
        if before and meanwhile:
            print(f"    {kind:11} p50 {p(before, 0.5):6.0f} → {p(meanwhile, 0.5):6.0f} ms, "
                  f"p95 {p(before, 0.95):6.0f} → {p(meanwhile, 0.95):6.0f} ms")
    refused = Counter(call.job for call in calls if call.status == 429)
    print(f"  StackOne 429s (both phases): pages {refused[False]}, the job {refused[True]} (target 0)")
    print(f"  the job: {run_seconds:.0f} s for {job_calls} calls, beside {page_calls} page calls; its floor "
          f"given the budget left to it {floor:.0f} s; job ÷ floor {run_seconds / floor:.2f}")


def job_floor(start: float, job_calls: int, pages: list[float]) -> float:
    """Return the seconds ``job_calls`` need from ``start`` at the budget left to background work
    second by second: max(floor, budget − reserve − people's calls in the window before) a
    window, ``pages`` being when people's calls were answered."""
    from candidates.budget import budget_shape

    shape = budget_shape()
    per_second = Counter(int(at) for at in pages)
    second, done = int(start), 0.0
    people = sum(per_second[s] for s in range(second - shape.window, second))  # the window before
    while done < job_calls:
        people += per_second[second] - per_second[second - shape.window]
        done += max(shape.floor, shape.limit - shape.reserve - people) / shape.window
        second += 1
    return second - start


def kill_phase(stack: Stack, ids: list[str], title: str, how: signal.Signals, log: Path) -> None:
    """Start a job, stop the worker running it with ``how`` a fifth of the way in, report."""
    job_id = job_new(ids, title)
    job_start(job_id)
    until(lambda: job_saved(job_id) >= max(1, len(ids) // 5) or job_done(job_id), f"the {title} job to run")
    runner = job_runner(job_id)
    if not runner or job_done(job_id):
        print(f"{how.name}: the job ended before its worker could be stopped (too few rows); "
              "nothing measured")
        return
    process = stack.workers.pop(runner)
    stopped_at = time.monotonic()
    process.send_signal(how)
    process.wait(timeout=600)
    exited = time.monotonic() - stopped_at
    until(lambda: job_runner(job_id) not in ("", runner) or job_done(job_id), "another worker to go on")
    continued = time.monotonic() - stopped_at
    until(lambda: job_done(job_id), f"the {title} job to end")
    time.sleep(2)  # the access log's last lines
    outcome = job_outcome(job_id, title, [call for call in sandbox_calls(log) if f"/{title}-" in call.path])
    exit_text = f"the worker exited {exited:.1f} s after SIGTERM (exit code {process.returncode}); " \
        if how == signal.SIGTERM else ""
    print(f"{how.name} mid-job ({len(ids)} rows, {runner} stopped; {job_saved(job_id)} saved in the end): "
          f"{exit_text}another worker continued it {continued:.1f} s after the {how.name}; rows sent twice "
          f"{outcome.twice}, lost {outcome.lost}, unknown {outcome.unknown} (of which landed "
          f"{outcome.unknown_landed}); {load_now()}")
    stack.worker_start()  # the supervisor's restart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--requests", type=int, default=2000, help="page requests per phase (default 2000)")
    parser.add_argument("--rows", type=int, default=1500, help="rows of the job pages share the budget with")
    parser.add_argument("--kill-rows", type=int, default=600, help="rows of the kill -9 and SIGTERM jobs")
    parser.add_argument("--latency", type=int, default=300, help="sandbox latency per call, ms")
    parser.add_argument("--rate", type=int, default=1000, help="the sandbox's limit, calls a minute per key")
    parser.add_argument("--budget", type=int, default=0,
                        help="STACKONE_RATE_LIMIT, calls a minute (default: the app's)")
    parser.add_argument("--takeover", type=float, default=0,
                        help="WORKER_TAKEOVER_SECONDS (default: the app's)")
    parser.add_argument("--database-url", default="",
                        help="an empty database (default: a throwaway PostgreSQL)")
    parser.add_argument("--redis-url", default="",
                        help="a Redis database (default: a throwaway redis-server)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: every server it started stops too
    with ExitStack() as exits:
        tmp, _ = exits.enter_context(workspace(None))
        database_url = args.database_url or exits.enter_context(throwaway_postgres(tmp))
        redis_url = args.redis_url or exits.enter_context(throwaway_redis(tmp))
        env = bench_env(database_url, CACHE_URL=redis_url, DIRECTORY_SYNC_MINUTES="0",
                        SANDBOX_API_KEY=secrets.token_urlsafe(32), LOG_LEVEL="WARNING")
        del env["STACKONE_RATE_LIMIT"]  # the app's own budget, as deployed
        if args.budget:
            env["STACKONE_RATE_LIMIT"] = f"{args.budget}/minute"
        if args.takeover:
            env["WORKER_TAKEOVER_SECONDS"] = str(args.takeover)
        django_setup(env)
        from django.conf import settings

        for prefix, count in (("job", args.rows), ("kill", args.kill_rows), ("term", args.kill_rows)):
            add_candidates(count, prefix)
        access = tmp / "sandbox-access.log"
        sandbox = start_server("sandbox", env, workers=1, threads=64, log=tmp / "sandbox.log",
                               extra=("--access-logfile", str(access), "--access-logformat", ACCESS_FORMAT))
        exits.callback(sandbox.stop)
        control = SandboxControl(sandbox.url)
        control.reset_faults()
        app_env = {**env, "STACKONE_BASE_URL": f"{sandbox.url}/sandbox"}
        webs = [start_server(f"web-{n}", app_env, workers=2, threads=8, log=tmp / f"web-{n}.log")
                for n in (1, 2)]
        for web in webs:
            exits.callback(web.stop)
        stack = Stack(env=app_env, tmp=tmp, webs=[web.url for web in webs])
        exits.callback(stack.stop)
        for _ in range(3):
            stack.worker_start()
        scheduler = start_command(["scheduler"], app_env, log=tmp / "scheduler.log")
        exits.callback(lambda: (scheduler.terminate(), scheduler.wait(30)))

        settings.STACKONE_BASE_URL = f"{sandbox.url}/sandbox"
        from candidates.budget import budget_reset, budget_shape
        from candidates.directory.sync import directory_sync
        from candidates.stackone import stackone_config

        stackone_config.cache_clear()
        directory_sync(account_id=ACCOUNT, full=True)  # the list page reads the directory
        control.faults(latency_ms=args.latency, rate_limit_per_minute=args.rate)
        budget_reset()
        shape = budget_shape()
        print(f"database: {database_url.split('://')[0]}; Redis; sandbox {args.latency} ms per call, "
              f"{args.rate}/min enforced; budget {shape.limit}/{shape.window} s (floor {shape.floor}, "
              f"reserve {shape.reserve}); 2 web servers (gunicorn 2 × 8), 3 workers, the scheduler; "
              f"{args.users} users; {load_now()}")
        sessions = [session_for(stack.webs[0], f"scale-user-{k}") for k in range(args.users)]

        alone = phase_pages(stack, sessions, args.requests, "alone")
        job_id = job_new([f"job-{n:04d}" for n in range(1, args.rows + 1)], "job")
        job_start(job_id)
        during = phase_pages(stack, sessions, args.requests, f"during a {args.rows}-row job")
        until(lambda: job_done(job_id), "the job to end")
        time.sleep(2)  # the access log's last lines
        shared_budget_report(job_id, alone, during, sandbox_calls(access))

        for title, how in (("kill", signal.SIGKILL), ("term", signal.SIGTERM)):
            kill_phase(stack, [f"{title}-{n:04d}" for n in range(1, args.kill_rows + 1)], title, how, access)
        calls = sandbox_calls(access)
        print(f"all phases: StackOne 429s {sum(1 for c in calls if c.status == 429)} of {len(calls)} calls; "
              f"{load_now()}")


if __name__ == "__main__":
    main()
