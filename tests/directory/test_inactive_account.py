"""An inactive account cannot be synced (StackOne answers its requests with 412): the accounts
page, the status block and the directory's list offer no "Sync now" / "Full sync" for it, say
why and until when retention keeps its last copy, and a POST that asks anyway is refused with a
message, nothing queued. Against the sandbox, whose ``sbx-workable`` is inactive."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.retention import directory_retention_purge
from candidates.directory.sync import directory_sync

INACTIVE = "sbx-workable"
ACTIVE = "sbx-greenhouse"
INACTIVE_TEXT = "This account is inactive in StackOne, so it cannot be synced."


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _row(page: str, account_id: str) -> str:
    """The accounts page's table row of ``account_id``."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if f"<code>{account_id}</code>" in row)


def _last_copy(days_ago: int = 3) -> None:
    """The directory of the inactive account as its last sync (``days_ago``) left it."""
    when = timezone.now() - timedelta(days=days_ago)
    DirectoryEntry.objects.bulk_create([
        DirectoryEntry(account_id=INACTIVE, candidate_id=f"wk-{n}", name=f"Person {n}") for n in range(3)])
    DirectoryEntry.objects.filter(account_id=INACTIVE).update(indexed_at=when)
    DirectorySync.objects.create(account_id=INACTIVE, full=True, status="done", started_at=when,
                                 heartbeat_at=when, finished_at=when)


def test_the_accounts_page_offers_no_sync_for_an_inactive_account_and_says_why(
        synced_sandbox, ops_client: Client, settings) -> None:
    settings.DIRECTORY_RETENTION_DAYS = 30
    directory_sync(account_id=ACTIVE)
    _last_copy(days_ago=3)
    page = ops_client.get("/accounts/").content.decode()
    inactive, active = _row(page, INACTIVE), _row(page, ACTIVE)
    kept_until = timezone.localtime(timezone.now() + timedelta(days=27))
    assert (f"{INACTIVE_TEXT} The directory keeps its last copy until {kept_until.day} "
            f"{kept_until:%B %Y}, then removes it unless the account is active again.") in _text(inactive)
    assert "Sync now" not in inactive and "Full sync" not in inactive
    assert "Sync now" in active and "Full sync" in active and INACTIVE_TEXT not in _text(active)


def test_an_inactive_account_without_a_directory_says_none_is_kept(
        synced_sandbox, ops_client: Client) -> None:
    row = _text(_row(ops_client.get("/accounts/").content.decode(), INACTIVE))
    assert f"{INACTIVE_TEXT} No directory is kept for it." in row
    assert "No directory yet" not in row and "Sync now" not in row


def test_a_sync_asked_for_an_inactive_account_is_refused_with_a_message(
        synced_sandbox, ops_client: Client) -> None:
    for data in ({}, {"full": "1"}):
        response = ops_client.post(f"/accounts/{INACTIVE}/directory/sync/", data, follow=True)
        assert response.status_code == 200
        text = _text(response.content.decode())
        assert (f"{INACTIVE} is inactive in StackOne, so it cannot be synced: nothing was queued. Its "
                "directory keeps its last copy until retention removes it.") in text
    assert not DirectorySync.objects.filter(account_id=INACTIVE).exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="directory_sync_task").exists()


def test_the_polled_status_and_the_directory_list_of_an_inactive_account_offer_no_sync(
        synced_sandbox, ops_client: Client) -> None:
    _last_copy()
    status = ops_client.get(f"/accounts/{INACTIVE}/directory/status/").content.decode()
    assert INACTIVE_TEXT in _text(status) and "Sync now" not in status
    listing = ops_client.get(f"/accounts/{INACTIVE}/candidates/")
    assert listing.status_code == 200
    text = _text(listing.content.decode())
    assert "Person 1" in text and INACTIVE_TEXT in text and "Sync now" not in text


def test_the_date_shown_is_when_retention_purges_the_copy(synced_sandbox, settings) -> None:
    settings.DIRECTORY_RETENTION_DAYS = 30
    _last_copy(days_ago=3)
    later = timezone.now() + timedelta(days=26)
    assert directory_retention_purge(active_account_ids=[ACTIVE], now=later) == {}
    assert directory_retention_purge(active_account_ids=[ACTIVE],
                                     now=timezone.now() + timedelta(days=27, minutes=1)) == {INACTIVE: 3}


def test_whether_an_account_is_active_is_asked_once_a_minute(stackone) -> None:
    from candidates import services
    from tests.conftest import BASE_URL

    stackone.get(f"{BASE_URL}/accounts/acc-on", json={"id": "acc-on", "status": "active"})
    stackone.get(f"{BASE_URL}/accounts/acc-gone", status=404, json={"statusCode": 404, "message": "Gone"})
    stackone.get(f"{BASE_URL}/accounts/acc-down", status=503, json={"statusCode": 503, "message": "down"})
    for _ in range(2):  # the second round is answered from the cache
        assert services.account_active(account_id="acc-on") is True
        assert services.account_active(account_id="acc-gone") is False  # no longer linked
        assert services.account_active(account_id="acc-down") is None  # unknown: sync as before
    # One request each (the client's own retries of a 503 aside), none in the second round.
    asked = [call.request.url.rsplit("/", 1)[1] for call in stackone.calls]
    assert asked[:2] == ["acc-on", "acc-gone"] and set(asked[2:]) == {"acc-down"}
    assert services.account_active(account_id="acc-down") is None and len(stackone.calls) == len(asked)


def test_a_visit_to_an_inactive_or_unknown_account_starts_no_sync(
    synced_sandbox, viewer_client: Client
) -> None:
    """A Recruiter's first visit queues the account's full sync only when StackOne lists it as active."""
    for account_id in (INACTIVE, "acc-invented"):
        viewer_client.get(f"/accounts/{account_id}/candidates/")

    assert not DirectorySync.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="directory_sync_task").exists()

    viewer_client.get(f"/accounts/{ACTIVE}/candidates/")

    syncs = DirectorySync.objects.values_list("account_id", "full", "status")
    assert list(syncs) == [(ACTIVE, True, "queued")]
