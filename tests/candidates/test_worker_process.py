"""A worker process others take over from: its heartbeat, and the periodic recovery that hands the
running tasks of a worker that stopped reporting back to the queue (or fails them when workers
keep dying on them), leaving live workers and workers that never beat alone."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from candidates import worker, worker_process
from candidates.models import WorkerBeat

pytestmark = pytest.mark.django_db


@task()
def long_task() -> None:
    """What the tests' workers run."""


def _running(*worker_ids: str) -> DBTaskResult:
    """A task claimed by each of ``worker_ids`` in turn, running on the last."""
    result = DBTaskResult.objects.get(pk=long_task.enqueue().id)
    DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.RUNNING,
                                                     worker_ids=list(worker_ids),
                                                     started_at=timezone.now() - timedelta(minutes=5))
    return DBTaskResult.objects.get(pk=result.pk)


def _beat(worker_id: str, seconds_ago: float) -> None:
    WorkerBeat.objects.create(worker_id=worker_id, beat_at=timezone.now() - timedelta(seconds=seconds_ago))


def test_the_task_of_a_worker_silent_past_the_takeover_time_goes_back_to_the_queue(settings) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 60
    _beat("dead", 61)
    _beat("alive", 3)
    lost, kept = _running("dead"), _running("alive")

    assert worker_process.worker_recover() == [str(lost.pk)]

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.status, lost.started_at, lost.worker_ids) == (TaskResultStatus.READY, None, ["dead"])
    assert kept.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().get() == lost  # the next worker to look takes it
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]  # the lost one forgotten


def test_a_task_whose_workers_died_three_times_fails_with_the_reason(settings) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 60
    _beat("third", 120)
    result = _running("first", "second", "third")

    worker_process.worker_recover()

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED and result.finished_at is not None
    assert result.exception_class_path == "candidates.worker_process.WorkerLost"
    assert result.traceback == ("Its worker stopped reporting 3 times (workers first, second, third); "
                                "not queued again.")


def test_a_worker_that_never_beats_is_never_judged(settings) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 60
    _beat("someone-else", 600)
    result = _running("plain-db-worker")  # manage.py db_worker: no heartbeat, so no takeover

    assert worker_process.worker_recover() == []
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING


def test_a_task_that_finished_meanwhile_is_left_as_it_is(settings, monkeypatch) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 60
    _beat("slow", 90)
    result = _running("slow")
    original = worker_process._hand_back

    def finished_just_now(seen: DBTaskResult) -> bool:  # the worker came back and finished it
        DBTaskResult.objects.filter(pk=seen.pk).update(status=TaskResultStatus.SUCCESSFUL)
        return original(seen)

    monkeypatch.setattr(worker_process, "_hand_back", finished_just_now)

    assert worker_process.worker_recover() == []
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_the_scheduler_queues_the_recovery_before_waiting_tasks(settings) -> None:
    settings.WORKER_TAKEOVER_SECONDS = 60
    recover = worker._periodic["worker-recover"]
    assert recover.task is worker_process.worker_recover_task
    assert recover.seconds() == 15.0  # a lost worker's tasks are back on the queue within 75 s
    waiting = long_task.enqueue()
    queued = worker_process.worker_recover_task.enqueue()
    assert str(DBTaskResult.objects.ready().first().pk) == queued.id != waiting.id


@pytest.mark.django_db(transaction=True)
def test_a_worker_beats_while_it_runs_and_leaves_no_row_when_it_stops(monkeypatch) -> None:
    monkeypatch.setattr(worker_process, "BEAT_SECONDS", 0.05)
    stop = threading.Event()
    beating = threading.Thread(target=worker_process.worker_beat_run, args=("w-1", stop))
    beating.start()
    first = None
    for _ in range(200):
        beat = WorkerBeat.objects.filter(worker_id="w-1").first()
        first = first or (beat and beat.beat_at)
        if beat and first and beat.beat_at > first:
            break
        stop.wait(0.05)
    stop.set()
    beating.join(10)
    assert first is not None and beat is not None and beat.beat_at > first  # it beat again
    assert not WorkerBeat.objects.exists()  # a worker that stopped cleanly is not lost
