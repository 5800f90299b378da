"""The accounts page shows each account's directory (count, last sync, a running sync's
progress, errors) and "Sync now" for Ops and superusers only (a POST with CSRF)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.queue import directory_ensure, directory_sync_start
from candidates.directory.sync import directory_sync
from candidates.worker import run_queued_tasks
from tests.directory.conftest import ACCOUNT

SYNC_URL = f"/accounts/{ACCOUNT}/directory/sync/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _sync_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="directory_sync_task").count()


def test_the_accounts_page_shows_the_directory_of_each_account(
        synced_sandbox, editor_client) -> None:
    directory_sync(account_id=ACCOUNT)
    text = _text(editor_client.get("/accounts/"))
    assert "64 candidates indexed · last sync 0 minutes ago" in text
    assert "0 candidates indexed · never synced" in text  # Lever: no directory yet
    assert "No directory yet: until its first sync completes, search by exact email." in text
    assert "Sync now" not in text  # a recruiter cannot start one


def test_the_accounts_page_shows_a_running_sync_and_a_failed_one(
        synced_sandbox, editor_client) -> None:
    directory_sync(account_id=ACCOUNT)
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status="running", pages=3, fetched=30,
                                 expected=64, started_at=timezone.now() - timedelta(seconds=30),
                                 heartbeat_at=timezone.now())
    DirectorySync.objects.create(account_id="sbx-lever", full=True, status="failed",
                                 error="StackOne: Forbidden (403)")
    response = editor_client.get("/accounts/")
    text = _text(response)
    assert "Full sync running: page 3, 30 of about 64 candidates fetched, about 34 s left." in text
    assert '<progress max="100" value="46"' in response.content.decode()
    assert "Last sync failed: StackOne: Forbidden (403). The next sync resumes where it stopped." in text
    assert 'data-directory-running="1"' in response.content.decode()  # directory.js polls it


def test_the_status_partial_is_what_the_page_polls(
        synced_sandbox, editor_client, viewer_client) -> None:
    directory_sync(account_id=ACCOUNT)
    response = viewer_client.get(f"/accounts/{ACCOUNT}/directory/status/")
    assert response.status_code == 200 and "64 candidates indexed" in _text(response)
    assert Client().get(f"/accounts/{ACCOUNT}/directory/status/").status_code == 302  # sign in first


def test_sync_now_is_for_ops_and_superusers_only(
        synced_sandbox, editor_client, ops_client) -> None:
    assert editor_client.post(SYNC_URL).status_code == 403
    assert not DirectorySync.objects.exists() and _sync_tasks() == 0
    assert "Sync now" in _text(ops_client.get("/accounts/"))
    response = ops_client.post(SYNC_URL, follow=True)
    assert "Sync of sbx-greenhouse queued." in _text(response)
    assert "Full sync queued…" in _text(response)
    run = DirectorySync.objects.get()
    assert (run.status, run.full) == ("queued", True) and _sync_tasks() == 1
    # Idempotent: no second sync while one is queued or running.
    response = ops_client.post(SYNC_URL, follow=True)
    assert "A sync of sbx-greenhouse is already running." in _text(response)
    assert DirectorySync.objects.count() == 1 and _sync_tasks() == 1
    run_queued_tasks()
    assert DirectorySync.objects.get().status == "done" and DirectoryEntry.objects.count() == 64
    superuser = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(superuser)
    assert client.post(SYNC_URL).status_code == 302
    run_queued_tasks()
    assert "Full sync" in _text(client.get("/accounts/"))  # offered once a directory exists
    assert client.post(SYNC_URL, {"full": "1"}).status_code == 302
    run_queued_tasks()
    assert list(DirectorySync.objects.order_by("pk").values_list("full", "status")) == [
        (True, "done"), (False, "done"), (True, "done")]


def test_sync_now_needs_a_post_with_the_csrf_token(
        synced_sandbox, ops_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_user)
    assert client.get(SYNC_URL).status_code == 405
    assert client.post(SYNC_URL).status_code == 403
    page = client.get("/accounts/").content.decode()
    token = re.search(r'action="' + SYNC_URL + r'".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)
    assert token is not None
    assert client.post(SYNC_URL, {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert DirectorySync.objects.filter(status="queued").count() == 1


def test_the_first_visit_starts_the_sync_once(synced_sandbox) -> None:
    directory_ensure(account_id=ACCOUNT, active=True)
    directory_ensure(account_id=ACCOUNT, active=True)
    directory_sync_start(account_id=ACCOUNT)
    assert DirectorySync.objects.count() == 1 and _sync_tasks() == 1
    run_queued_tasks()
    directory_ensure(account_id=ACCOUNT, active=True)  # ready now: no sync on a visit
    assert DirectorySync.objects.count() == 1 and _sync_tasks() == 1


def test_a_run_whose_worker_died_is_queued_again(synced_sandbox) -> None:
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status="running", pages=2, fetched=20,
                                 cursor="x", heartbeat_at=timezone.now() - timedelta(minutes=10))
    directory_sync_start(account_id=ACCOUNT)
    assert DirectorySync.objects.count() == 1 and _sync_tasks() == 1


def test_nothing_syncs_when_the_directory_is_off(
        synced_sandbox, ops_client, settings) -> None:
    settings.CANDIDATE_DIRECTORY = False
    text = _text(ops_client.get("/accounts/"))
    assert "Candidate directory off: search by exact email only." in text and "Sync now" not in text
    response = ops_client.post(SYNC_URL, follow=True)
    assert "The candidate directory is off (CANDIDATE_DIRECTORY=off): nothing to sync." in _text(response)
    directory_ensure(account_id=ACCOUNT, active=True)
    assert not DirectorySync.objects.exists() and _sync_tasks() == 0


def test_sync_now_returns_to_the_page_it_was_on(
        synced_sandbox, ops_client) -> None:
    list_path = f"/accounts/{ACCOUNT}/candidates/?q=ada"
    response = ops_client.get(f"/accounts/{ACCOUNT}/directory/status/", {"next": list_path})
    assert f'name="next" value="/accounts/{ACCOUNT}/candidates/?q=ada"' in response.content.decode()
    assert ops_client.post(SYNC_URL, {"next": list_path})["Location"] == list_path
    assert ops_client.post(SYNC_URL, {"next": "https://evil.example/"})["Location"] == "/accounts/"
    page = ops_client.get("/accounts/").content.decode()
    assert 'name="next" value="/accounts/"' in page
