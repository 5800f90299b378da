"""``candidates_sync`` and ``candidates_purge``: output, exit codes, every active account,
retention of inactive accounts' rows, ``CANDIDATE_DIRECTORY=off``; the embedded scheduler's tick."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta

import pytest
from django.core.management import ManagementUtility, call_command
from django.utils import timezone

from candidates import services
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.queue import directory_tick
from candidates.directory.retention import directory_retention_purge
from candidates.directory.sync import directory_sync
from sandbox.faults import set_faults
from tests.directory.conftest import ACCOUNT, PAGES


def _run(*argv: str) -> tuple[int, str, str]:
    """Run ``manage.py`` as from a shell. Returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            ManagementUtility(["manage.py", *argv]).execute()
        except SystemExit as exit_:
            code = exit_.code or 0
    # The sandbox answers inside this process, so the access lines of its requests land on the
    # command's stderr too (the command set logging up there): they are not the command's output.
    err_lines = [line for line in err.getvalue().splitlines(keepends=True)
                 if " stackone_admin.access " not in line]
    return code, out.getvalue(), "".join(err_lines)


def _entry(account_id: str, candidate_id: str, *, days_ago: int = 0) -> None:
    DirectoryEntry.objects.create(account_id=account_id, candidate_id=candidate_id, name="Kept Person")
    DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).update(
        indexed_at=timezone.now() - timedelta(days=days_ago))


def test_sync_of_one_account_prints_each_page_and_a_summary(
        synced_sandbox) -> None:
    code, out, err = _run("candidates_sync", "--account", ACCOUNT)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == "sbx-greenhouse: page 1, 10 candidates fetched"
    assert lines[PAGES - 1] == "sbx-greenhouse: page 7, 64 candidates fetched"
    assert lines[PAGES].startswith(
        "sbx-greenhouse: full sync done: 7 pages, 64 candidates fetched, 0 removed, 64 indexed, ")
    assert lines[-1] == "Done: 1 account synced."
    code, out, _ = _run("candidates_sync", "--account", ACCOUNT)
    assert "sbx-greenhouse: incremental sync done: 1 page, 0 candidates fetched" in out
    code, out, _ = _run("candidates_sync", "--account", ACCOUNT, "--full")
    assert code == 0 and "page 7, 64 of about 64 candidates fetched" in out and "full sync done" in out


def test_sync_exits_non_zero_when_stackone_fails(synced_sandbox) -> None:
    services.custom_field_definitions(account_id=ACCOUNT)  # read (and cached) first: the fault hits a page
    set_faults(fail_status=401, fail_count=1, fail_methods=["GET"])
    code, out, err = _run("candidates_sync", "--account", ACCOUNT)
    assert code == 1
    assert "sbx-greenhouse: sync FAILED: " in err and "(401)" in err
    assert "Sync failed for sbx-greenhouse (the next run resumes where it stopped)." in err
    assert DirectorySync.objects.get().status == "failed"
    code, out, _ = _run("candidates_sync", "--account", ACCOUNT)
    assert code == 0 and "full sync done: 7 pages" in out


def test_sync_of_an_inactive_account_fails(synced_sandbox) -> None:
    code, _, err = _run("candidates_sync", "--account", "sbx-workable")
    assert code == 1 and "(412)" in err


def test_sync_without_account_syncs_every_active_account_and_purges_past_retention(
        synced_sandbox, settings) -> None:
    settings.DIRECTORY_RETENTION_DAYS = 30
    _entry("sbx-workable", "wk-1", days_ago=31)  # inactive in StackOne, last written 31 days ago
    _entry("acct-removed", "rm-1", days_ago=2)  # no longer linked, but within retention
    code, out, _ = _run("candidates_sync")
    assert code == 0
    assert "sbx-greenhouse: full sync done: 7 pages" in out and "sbx-lever: full sync done: 1 page" in out
    assert "sbx-workable: not active for 30 days, 1 rows purged." in out
    assert out.splitlines()[-1] == "Done: 2 accounts synced."
    assert set(DirectoryEntry.objects.values_list("account_id", flat=True).distinct()) == {
        "sbx-greenhouse", "sbx-lever", "acct-removed"}


def test_retention_keeps_active_and_recently_synced_accounts(
        db, settings) -> None:
    settings.DIRECTORY_RETENTION_DAYS = 7
    _entry("active", "a-1", days_ago=100)
    _entry("old", "o-1", days_ago=100)
    _entry("synced", "s-1", days_ago=100)
    DirectorySync.objects.create(account_id="synced", full=True, status="done",
                                 heartbeat_at=timezone.now() - timedelta(days=6))
    assert directory_retention_purge(active_account_ids=["active"]) == {"old": 1}
    assert directory_retention_purge(active_account_ids=["active"],
                                     now=timezone.now() + timedelta(days=2)) == {"synced": 1}
    assert not DirectorySync.objects.filter(account_id="synced").exists()
    assert DirectoryEntry.objects.filter(account_id="active").count() == 1


def test_sync_says_so_when_the_directory_is_off(
        synced_sandbox, settings) -> None:
    settings.CANDIDATE_DIRECTORY = False
    code, out, _ = _run("candidates_sync", "--account", ACCOUNT)
    assert code == 0
    assert out == "The candidate directory is off (CANDIDATE_DIRECTORY=off): nothing synced.\n"
    assert not DirectorySync.objects.exists() and not DirectoryEntry.objects.exists()


def test_purge_deletes_one_accounts_rows(synced_sandbox) -> None:
    directory_sync(account_id=ACCOUNT)
    directory_sync(account_id="sbx-lever")
    code, out, _ = _run("candidates_purge", "--account", ACCOUNT)
    assert code == 0 and out == "sbx-greenhouse: 64 directory rows deleted.\n"
    assert not DirectoryEntry.objects.filter(account_id=ACCOUNT).exists()
    assert not DirectorySync.objects.filter(account_id=ACCOUNT).exists()  # its next sync is a full one
    assert DirectoryEntry.objects.filter(account_id="sbx-lever").count() == 10
    with pytest.raises(Exception, match="--account"):
        call_command("candidates_purge")


def test_the_scheduler_tick_syncs_active_accounts_with_a_directory_only(
        synced_sandbox, settings) -> None:
    directory_sync(account_id=ACCOUNT)
    # Workable is inactive in StackOne: synced a day ago, it is neither synced nor purged yet.
    _entry("sbx-workable", "wk-1", days_ago=1)
    DirectorySync.objects.create(account_id="sbx-workable", full=True, status="done",
                                 heartbeat_at=timezone.now() - timedelta(days=1))
    result = directory_tick()
    assert result == {"queued": [ACCOUNT], "purged": {}}  # Lever was never opened: no directory
    assert DirectorySync.objects.filter(account_id=ACCOUNT, status="queued", full=False).count() == 1
    assert not DirectorySync.objects.filter(account_id="sbx-workable", status="queued").exists()
    settings.DIRECTORY_RETENTION_DAYS = 0  # past retention its rows go
    assert directory_tick()["purged"] == {"sbx-workable": 1}
    settings.CANDIDATE_DIRECTORY = False
    assert directory_tick() == {"queued": [], "purged": {}}


def test_the_scheduler_tick_resumes_an_unfinished_first_sync(
        synced_sandbox) -> None:
    DirectorySync.objects.create(account_id="sbx-lever", full=True, status="failed",
                                 error="StackOne: x (503)")
    assert directory_tick()["queued"] == ["sbx-lever"]
    assert DirectorySync.objects.get(account_id="sbx-lever").status == "queued"
    assert DirectorySync.objects.count() == 1


def test_sync_with_a_user_syncs_only_the_accounts_they_have_ops_on_and_leaves_retention(
        synced_sandbox, django_user_model) -> None:
    from sandbox.seed import LEVER
    from tests.conftest import grant

    grant(django_user_model.objects.create_user("ops-gh"), "Ops", ACCOUNT)
    _entry("acc-long-gone", "c-1", days_ago=400)  # past retention: only the operator's runs purge it
    code, out, err = _run("candidates_sync", "--user", "ops-gh")
    assert code == 0 and err == ""
    assert f"{ACCOUNT}: full sync done" in out and LEVER not in out
    assert out.splitlines()[-1] == "Done: 1 account synced."
    assert DirectoryEntry.objects.filter(account_id="acc-long-gone").exists()
    code, out, err = _run("candidates_sync", "--user", "ops-gh", "--account", LEVER)
    assert code == 1 and "ops-gh has no grant that allows this on account “sbx-lever”" in err


def test_enqueue_queues_every_active_accounts_sync_and_retention_for_the_workers(synced_sandbox) -> None:
    from django_tasks_db.models import DBTaskResult

    from candidates.worker import run_queued_tasks

    code, out, err = _run("candidates_sync", "--enqueue")
    assert code == 0 and err == ""
    active = [line.split(":")[0] for line in out.splitlines()
              if line.endswith("sync queued for the workers.")]
    assert ACCOUNT in active and out.splitlines()[-1] == "Retention queued for the workers."
    assert not DirectoryEntry.objects.exists()  # nothing ran in the command itself
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths.count("candidates.directory.tasks.directory_sync_task") == len(active)
    assert "candidates.directory.queue.directory_retention_task" in paths
    run_queued_tasks()  # a worker runs them
    assert DirectoryEntry.objects.filter(account_id=ACCOUNT).count() == 64
