"""One StackOne budget for every call, people first (candidates/budget.py): pages take their calls
from it too, a job gets what pages leave (never less than its floor) and leaves a reserve for
them, a page waits only for its own share, and one that would wait too long says so without
calling StackOne. On a fake clock: every wait is exact and none is real."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from candidates import services
from candidates.budget import EDGE, budget_background, budget_try, budget_usage
from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import bulk_job_create, bulk_job_start
from candidates.bulk.preview import bulk_preview_run
from candidates.models import BulkRow
from candidates.worker import run_queued_tasks
from sandbox.faults import reset_stats, stats
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.fake_clock import FakeClock, fake_budget_clock

EDIT_PATH = f"/accounts/{ACCOUNT}/candidates/c-0001/"


@pytest.fixture
def tiny(settings, monkeypatch) -> FakeClock:
    """10 calls a minute: jobs are always granted 2 (the floor) and leave 2 for people (the reserve)."""
    settings.STACKONE_RATE_LIMIT = "10/minute"
    settings.STACKONE_BACKGROUND_FLOOR = 0.2
    settings.STACKONE_INTERACTIVE_RESERVE = 0.2
    return fake_budget_clock(monkeypatch)


def _take(count: int, *, background: bool) -> list[float]:
    return [budget_try(background=background) for _ in range(count)]


def test_a_job_leaves_the_reserve_and_a_page_takes_it_at_once(tiny: FakeClock) -> None:
    assert _take(8, background=True) == [0.0] * 8  # all but the reserve: 10 − 2
    assert budget_try(background=True) == 60 + EDGE  # the job waits until its first call has left
    assert _take(2, background=False) == [0.0, 0.0]  # a page never waits on the job's share
    assert budget_usage().interactive == 2 and budget_usage().background == 8


def test_pages_use_all_but_the_floor_and_the_job_still_moves(tiny: FakeClock) -> None:
    assert _take(8, background=False) == [0.0] * 8  # 10 − the floor
    assert budget_try(background=False) == 60 + EDGE  # a page waits for its own share only
    assert _take(2, background=True) == [0.0, 0.0]  # the floor: jobs keep moving
    assert budget_try(background=True) == 60 + EDGE


def test_a_job_gets_what_pages_leave_less_the_reserve(tiny: FakeClock) -> None:
    assert _take(5, background=False) == [0.0] * 5
    assert _take(3, background=True) == [0.0] * 3  # 10 − 2 reserved − 5 used by pages
    assert budget_try(background=True) > 0
    assert _take(2, background=False) == [0.0, 0.0]  # the reserve, at once


def test_pages_are_paced_over_the_minute_never_granted_it_in_one_burst(settings, monkeypatch) -> None:
    settings.STACKONE_RATE_LIMIT = "900/minute"  # the default: slices of 2 s hold at most 30 calls
    clock = fake_budget_clock(monkeypatch)
    start = clock.now()
    assert _take(27, background=False) == [0.0] * 27  # 30 − the jobs' floor of 3 a slice
    assert budget_try(background=False) == 2 + EDGE  # a page waits for the slice, never a minute
    granted, waits = 27, []
    while clock.now() < start + 59.5:  # pages asking all the time, for a minute
        wait = budget_try(background=False)
        if wait:
            waits.append(wait)
            clock.sleep(wait)
        else:
            granted += 1
    # (Redis's moving window keeps its entries' times less precisely than a float: a wait may end
    # up to a millisecond later there.)
    assert max(waits) <= 2 + EDGE + 0.001 and 800 <= granted <= 810  # people's share, evenly


def test_a_page_arriving_beside_a_job_at_full_pace_is_let_through_at_once(settings, monkeypatch) -> None:
    settings.STACKONE_RATE_LIMIT = "900/minute"
    clock = fake_budget_clock(monkeypatch)
    for _ in range(15):  # the job alone for 15 slices, as fast as the budget lets it
        while budget_try(background=True) == 0.0:
            pass
        clock.sleep(2 + EDGE)
    assert budget_usage().background == 15 * 27  # 30 a slice less the people's reserve of 3
    assert _take(3, background=False) == [0.0] * 3  # the reserve, at once


def test_the_calls_a_task_makes_are_background_whatever_the_client(tiny: FakeClock) -> None:
    with budget_background():
        assert _take(8, background=False) == [0.0] * 8
    assert budget_usage().background == 8 and budget_usage().interactive == 0


def test_an_edit_page_takes_its_calls_from_the_budget_beside_a_job(sandbox, editor_client: Client,
                                                                   tiny: FakeClock) -> None:
    _take(8, background=True)  # a job has taken all it may
    reset_stats()

    response = editor_client.get(EDIT_PATH)

    assert response.status_code == 200
    calls = stats()["total"]
    assert calls >= 1 and budget_usage().interactive == calls  # every call the page made was counted
    assert tiny.sleeps == []  # and none waited


def test_an_edit_page_waits_for_its_share_then_shows_the_candidate(sandbox, editor_client: Client,
                                                                   tiny: FakeClock) -> None:
    _take(8, background=False)  # other people's pages spent the interactive share…
    tiny.sleep(55)  # …55 s ago
    tiny.sleeps.clear()

    response = editor_client.get(EDIT_PATH)

    assert response.status_code == 200 and "<h1>Ada Lovelace</h1>" in response.content.decode()
    assert sum(tiny.sleeps) == pytest.approx(5.0, abs=0.05)  # until those calls left the window


def test_an_edit_page_that_would_wait_too_long_says_so_and_calls_nothing(sandbox, editor_client: Client,
                                                                         tiny: FakeClock) -> None:
    _take(8, background=False)  # the interactive share was spent just now: a minute to wait
    reset_stats()

    response = editor_client.get(EDIT_PATH)

    page = response.content.decode()
    assert response.status_code == 503
    assert "as many StackOne calls as StackOne allows right now. Try again in 60 seconds." in page
    assert stats()["total"] == 0 and tiny.sleeps == []


def test_a_job_yields_to_pages_and_leaves_them_the_reserve(sandbox, ops_user, settings, monkeypatch) -> None:
    ids = [f"c-{n:04d}" for n in range(1, 7)]
    job = bulk_job_create(user=ops_user, account_id=ACCOUNT, filename="t.csv", parsed=bulk_csv_parse(
        csv_bytes(["id", "title"], [[cid, f"Yielding {cid}"] for cid in ids])))
    bulk_preview_run(job_id=job.pk)
    services.custom_field_definitions(account_id=ACCOUNT)  # cached: the job's calls are its rows'
    settings.STACKONE_RATE_LIMIT = "10/minute"
    settings.STACKONE_BACKGROUND_FLOOR = 0.2
    settings.STACKONE_INTERACTIVE_RESERVE = 0.2
    clock = fake_budget_clock(monkeypatch)
    assert _take(6, background=False) == [0.0] * 6  # people's pages this minute
    start = clock.now()
    granted: list[float] = []
    pages_meanwhile: list[float] = []
    _record_job_grants(monkeypatch, clock, granted, pages_meanwhile)

    bulk_job_start(job=job, user=ops_user)
    run_queued_tasks()  # db_worker's loop: the task's calls are background work

    assert list(job.rows.values_list("status", flat=True)) == [BulkRow.Status.SAVED] * 6
    assert len(granted) == 12  # each row's check and PATCH
    # 10 − 2 reserved − 6 used by pages: two calls in that minute, the rest once it had passed…
    assert len([at for at in granted if at < start + 60]) == 2
    # …and a page opened while the job waited took the reserve at once.
    assert pages_meanwhile == [0.0, 0.0]


def _record_job_grants(monkeypatch, clock: FakeClock, granted: list[float], pages: list[float]) -> None:
    """Record the time of every call granted to the job; the first time it has to wait, a person
    opens a page (two calls, in a thread of its own as a request is)."""
    from candidates import budget
    from candidates.bulk import jobs

    opened = threading.Lock()

    def page() -> None:
        pages.extend(_take(2, background=False))

    def granting(*, background: bool = True) -> float:
        with clock.lock:  # no other thread's wait moves the clock between the grant and its record
            wait = budget_try(background=background)
            if wait == 0:
                granted.append(clock.now())
        if wait > 0 and opened.acquire(blocking=False):  # once
            person = threading.Thread(target=page)
            person.start()
            person.join()
        return wait

    monkeypatch.setattr(budget, "budget_try", granting)
    monkeypatch.setattr(jobs, "budget_try", granting)
