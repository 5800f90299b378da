"""Jobs survive their worker, with real worker processes (``manage.py worker``) against the sandbox
over real HTTP: the worker running a job is killed (kill -9) and another worker takes the job over
on its own (the scheduler queues the recovery; no person presses anything); a worker told to stop
(SIGTERM) finishes the requests in flight, hands the job back and exits, and another goes on.
Either way no row is sent twice and every row ends in a state a person can read. A preview
stopped midway keeps what it read and queues the rest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from candidates import worker, worker_process
from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import LOST_MESSAGE, bulk_job_create, bulk_job_start, bulk_preview_task
from candidates.bulk.preview import bulk_preview_run
from candidates.models import BulkJob, BulkRow, WorkerBeat
from candidates.worker import run_queued_tasks
from sandbox.faults import reset_stats, set_faults, stats
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes

ROOT = Path(__file__).resolve().parents[2]
S = BulkRow.Status
IDS = [f"c-{n:04d}" for n in range(2, 22)]  # 20 rows: 40 calls at 300 ms, two at a time


def _database_url() -> str:
    """The test database, as the worker processes reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def start_worker(sandbox: str) -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    """Start ``manage.py worker`` processes against this test's database and sandbox, production
    settings, losing a worker after 3 s of silence; all are killed after the test."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "STACKONE_API_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="stackone_admin.settings", SECRET_KEY="worker-test-secret-" + "x" * 40,
               DEBUG="false", STACKONE_SANDBOX="true", SANDBOX_API_KEY=django_settings.SANDBOX_API_KEY,
               STACKONE_BASE_URL=sandbox, DATABASE_URL=_database_url(), BULK_INPROCESS_WORKER="false",
               WORKER_TAKEOVER_SECONDS="3", STACKONE_RATE_LIMIT="100000/minute", LOG_LEVEL="WARNING")
    started: list[subprocess.Popen[str]] = []

    def start(worker_id: str) -> subprocess.Popen[str]:
        process = subprocess.Popen([sys.executable, "manage.py", "worker", "--worker-id", worker_id,
                                    "--interval", "0.2"], cwd=ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(process)
        _until(lambda: WorkerBeat.objects.filter(worker_id=worker_id).exists() or process.poll() is not None,
               f"worker {worker_id} to start")
        assert process.poll() is None, process.communicate()[0]
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many PATCHes reached the sandbox per candidate."""
    import sandbox.views

    counts: Counter[str] = Counter()
    original = sandbox.views._update_candidate

    def counting(request, account, candidate_id):
        counts[candidate_id] += 1
        return original(request, account, candidate_id)

    monkeypatch.setattr(sandbox.views, "_update_candidate", counting)
    return counts


def _until(condition: Callable[[], object], what: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        time.sleep(0.1)


def _job_started(ops_user) -> BulkJob:
    job = bulk_job_create(user=ops_user, account_id=ACCOUNT, filename="t.csv", concurrency=2,
                          parsed=bulk_csv_parse(csv_bytes(["id", "title"],
                                                          [[cid, f"Taken over {cid}"] for cid in IDS])))
    bulk_preview_run(job_id=job.pk)
    set_faults(latency_ms=300)  # each call takes a while: the job runs for seconds
    assert bulk_job_start(job=job, user=ops_user)
    return job


def _saved(job: BulkJob) -> int:
    return job.rows.filter(status=S.SAVED).count()


def _run_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="candidates.bulk.jobs.bulk_run_task")


def _held(candidate_id: str) -> str | None:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data.get("title")


def test_a_job_whose_worker_was_killed_is_taken_over_by_another_worker(
        start_worker, patched, ops_user, settings) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 3  # the scheduler here queues the recovery every 5 s
    settings.DIRECTORY_SYNC_MINUTES = 0
    workers = {name: start_worker(name) for name in ("worker-a", "worker-b")}
    job = _job_started(ops_user)
    _until(lambda: _saved(job) >= 3, "the job to save a few rows")
    runner = _run_task().worker_ids[-1]
    workers[runner].kill()  # kill -9: no chance to hand anything back
    workers[runner].wait(30)
    in_flight = set(job.rows.filter(status=S.SENDING).values_list("candidate_id", flat=True))

    worker.scheduler_ensure()  # as `manage.py scheduler` does on some host
    try:
        _until(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.DONE,
               "the job to be taken over")
    finally:
        worker.scheduler_stop()

    rows = dict(job.rows.values_list("candidate_id", "status"))
    assert set(rows.values()) <= {S.SAVED, S.UNKNOWN}
    assert max(patched.values()) == 1 and set(patched) <= set(IDS)  # nothing sent twice
    unknown = {cid for cid, status in rows.items() if status == S.UNKNOWN}
    assert unknown <= in_flight  # only a row in flight at the kill may be unknown…
    assert all(row.message == LOST_MESSAGE for row in job.rows.filter(status=S.UNKNOWN))  # …and says so
    assert all(_held(cid) == f"Taken over {cid}" for cid, status in rows.items() if status == S.SAVED)
    other = next(name for name in workers if name != runner)
    task = _run_task()
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", [runner, other])


def test_sigterm_hands_the_job_back_and_another_worker_finishes_it(start_worker, patched, ops_user) -> None:
    first = start_worker("worker-a")
    job = _job_started(ops_user)
    _until(lambda: _saved(job) >= 3, "the job to save a few rows")

    first.send_signal(signal.SIGTERM)
    output, _ = first.communicate(timeout=60)

    assert first.returncode == 0, output
    job.refresh_from_db()
    left = dict(job.rows.values_list("candidate_id", "status"))
    assert job.status == BulkJob.Status.QUEUED and job.run_token == ""  # handed back…
    assert S.PENDING in left.values()  # …long before the job could have ended
    assert set(left.values()) <= {S.SAVED, S.PENDING}  # what was in flight finished: nothing unknown
    assert not WorkerBeat.objects.filter(worker_id="worker-a").exists()  # stopped, not lost

    start_worker("worker-b")
    _until(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.DONE,
           "another worker to finish it")

    assert set(job.rows.values_list("status", flat=True)) == {S.SAVED}
    assert sorted(patched) == IDS and set(patched.values()) == {1}  # every row sent, once
    assert all(_held(cid) == f"Taken over {cid}" for cid in IDS)
    handed_back = DBTaskResult.objects.filter(
        task_path="candidates.bulk.jobs.bulk_run_task").order_by("enqueued_at")
    assert [task.worker_ids for task in handed_back] == [["worker-a"], ["worker-b"]]


def test_a_preview_whose_worker_is_stopping_keeps_what_it_read_and_queues_the_rest(
        sandbox, ops_user, monkeypatch) -> None:
    stopping = threading.Event()
    stopping.set()  # SIGTERM as the preview starts
    monkeypatch.setattr(worker_process, "_stopping", stopping)
    job = bulk_job_create(user=ops_user, account_id=ACCOUNT, filename="t.csv", concurrency=2,
                          parsed=bulk_csv_parse(csv_bytes(["id", "title"],
                                                          [[cid, f"Previewed {cid}"] for cid in IDS])))
    reset_stats()

    bulk_preview_task.call(job.pk)

    job.refresh_from_db()
    read = job.rows.exclude(baseline__isnull=True).count()
    # The reads in flight were kept (two threads; one that finished may have started a third).
    assert job.status == BulkJob.Status.PREVIEWING and 1 <= read <= 3
    assert ([task.task_path for task in DBTaskResult.objects.all()]
            == ["candidates.bulk.jobs.bulk_preview_task"])

    stopping.clear()  # another worker
    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == BulkJob.Status.READY and not job.rows.filter(baseline__isnull=True).exists()
    assert stats()["by_route"]["get_candidate"] == len(IDS)  # no candidate read twice
