"""``manage.py bulk_update`` against the sandbox over real HTTP."""

from __future__ import annotations

import csv
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from candidates.bulk import jobs
from candidates.models import AuditEntry, BulkJob
from sandbox import views as sandbox_views
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.fake_clock import fake_budget_clock


def _run(*args: str) -> str:
    out = StringIO()
    call_command("bulk_update", *args, stdout=out, stderr=out)
    return out.getvalue()


def _title(candidate_id: str) -> str | None:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data.get("title")


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(["id", "title", "email"], [
        ["c-0002", "Staff Engineer", ""], ["c-0003", "Staff Engineer", ""], ["c-0004", "", "bad"]]))
    return path


def test_a_dry_run_validates_previews_and_sends_nothing(sandbox, people, patch_log):
    before = _title("c-0002")
    output = _run(str(people), "--account", ACCOUNT, "--dry-run")
    assert "line 4 (c-0004) column C (email): Enter an email address like name@example.com" in output
    assert "3 rows: 2 valid, 1 invalid (never sent)." in output
    assert f"line 2 c-0002: Title: {before} → Staff Engineer" in output
    assert "saved 0, failed 0, unknown 0, not sent 2, no change 0, invalid 1." in output
    assert patch_log.bodies == [] and _title("c-0002") == before
    results = Path(output.split("Results: ")[1].strip())
    assert results == people.with_name(f"people-results-job{BulkJob.objects.get().pk}.csv")
    assert [line[2] for line in csv.reader(results.open())] == ["status", "pending", "pending", "invalid"]


@pytest.fixture
def with_unknown_ids(tmp_path: Path) -> Path:
    path = tmp_path / "unknown.csv"
    path.write_bytes(csv_bytes(["id", "title", "email"], [
        ["c-0002", "Staff Engineer", ""], ["c-9998", "CTO", ""], ["c-0004", "", "bad"],
        ["c-9999", "CFO", ""]]))
    return path


@pytest.mark.parametrize("dry_run", [True, False])
def test_every_row_not_sent_is_named_with_its_line_id_and_reason(sandbox, with_unknown_ids, patch_log,
                                                                  dry_run):
    args = [str(with_unknown_ids), "--account", ACCOUNT] + (["--dry-run"] if dry_run else [])
    output = _run(*args)

    assert "4 rows: 3 valid, 1 invalid (never sent)." in output
    assert "line 3 (c-9998) id: No candidate with this id in this linked account." in output
    assert "line 4 (c-0004) column C (email): Enter an email address like name@example.com." in output
    assert "line 5 (c-9999) id: No candidate with this id in this linked account." in output
    assert output.count("line 4 (c-0004)") == 1  # named once
    assert "invalid 3." in output
    assert patch_log.bodies == ([] if dry_run else [{"title": "Staff Engineer"}])


def test_it_sends_the_rows_and_writes_the_results_csv(sandbox, people, tmp_path, patch_log):
    target = tmp_path / "out.csv"
    output = _run(str(people), "--account", ACCOUNT, "--results", str(target))
    assert "saved 2, failed 0, unknown 0, not sent 0, no change 0, invalid 1." in output
    assert f"Results: {target}" in output
    assert patch_log.bodies == [{"title": "Staff Engineer"}, {"title": "Staff Engineer"}]
    assert _title("c-0003") == "Staff Engineer"
    lines = list(csv.reader(target.open()))
    assert [(line[1], line[2]) for line in lines[1:]] == [
        ("c-0002", "saved"), ("c-0003", "saved"), ("c-0004", "invalid")]
    assert {e.username for e in AuditEntry.objects.filter(source="bulk")} == {BulkJob.objects.get().username}
    assert BulkJob.objects.get().username.startswith("cli:")


def test_with_a_user_granted_ops_the_rows_are_theirs(sandbox, people, tmp_path, patch_log, django_user_model):
    from tests.conftest import grant

    grant(django_user_model.objects.create_user("alice"), "Ops", ACCOUNT)
    output = _run(str(people), "--account", ACCOUNT, "--results", str(tmp_path / "out.csv"),
                  "--user", "alice")
    assert "saved 2, failed 0" in output
    assert {e.username for e in AuditEntry.objects.filter(source="bulk")} == {"alice"}
    assert BulkJob.objects.get().started_by_username == "alice"


def test_a_file_it_cannot_read_is_a_command_error(tmp_path: Path, db) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"name\nAda\n")
    with pytest.raises(CommandError, match="The column id is missing"):
        _run(str(path), "--account", ACCOUNT)
    with pytest.raises(CommandError, match="Cannot read"):
        _run(str(tmp_path / "missing.csv"), "--account", ACCOUNT)


def test_progress_is_counted_at_most_once_a_second_not_after_every_row(sandbox, tmp_path, monkeypatch):
    # Time is the fake clock's: each PATCH takes the sandbox a quarter of a second, so the 40
    # rows take 10 s whatever the machine's load (4 in flight: about 2.5 s of it in all).
    clock = fake_budget_clock(monkeypatch)
    answer = sandbox_views._update_candidate

    def quarter_second(request, account, candidate_id):
        clock.sleep(0.25)
        return answer(request, account, candidate_id)

    monkeypatch.setattr(sandbox_views, "_update_candidate", quarter_second)
    counted: list[float] = []
    real = jobs.bulk_job_progress

    def counting(job):
        counted.append(clock.monotonic())
        return real(job)

    monkeypatch.setattr(jobs, "bulk_job_progress", counting)
    ids = [f"c-{n:04d}" for n in range(1, 41)]
    path = tmp_path / "forty.csv"
    path.write_bytes(csv_bytes(["id", "title"], [[cid, f"Counted {cid}"] for cid in ids]))
    started = clock.monotonic()
    output = _run(str(path), "--account", ACCOUNT)
    assert "saved 40, failed 0, unknown 0, not sent 0, no change 0, invalid 0." in output
    assert clock.monotonic() - started == 10.0
    # Counted while sending, each time at least a second after the last, plus the final count:
    # at most 10 + 1 times, not once per row (40).
    *while_sending, final = counted
    assert while_sending and final == started + 10.0
    gaps = [later - earlier for earlier, later in pairwise([started, *while_sending])]
    assert min(gaps) >= jobs.PROGRESS_SECONDS
    assert len(counted) <= 11
    assert "100%: saved 40, failed 0, unknown 0, remaining 0" in output


def test_a_dry_run_job_can_be_looked_at_on_the_web_but_never_started(sandbox, people, patch_log, ops_client):
    _run(str(people), "--account", ACCOUNT, "--dry-run")
    job = BulkJob.objects.get()
    assert (job.status, job.dry_run) == ("ready", True)
    page = ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    assert "this preview cannot be started" in page and "Start: send" not in page
    response = ops_client.post(f"/bulk/jobs/{job.pk}/start/")
    assert response.status_code == 400
    assert "This job is a dry run from the command line: it can be looked at, never started." in \
        response.content.decode()
    job.refresh_from_db()
    assert job.status == "ready" and patch_log.bodies == []


def test_a_job_that_removes_entries_needs_allow_removals(sandbox, tmp_path, patch_log):
    before = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0001").data["emails"]
    path = tmp_path / "keep-one.csv"
    path.write_bytes(csv_bytes(["id", "emails"], [["c-0001", [before[0]]]]))

    with pytest.raises(CommandError) as refused:
        _run(str(path), "--account", ACCOUNT)
    assert str(refused.value).startswith("Not started: 1 row removes 1 entry. Run the command again with "
                                         "--allow-removals")
    assert patch_log.bodies == []

    output = _run(str(path), "--account", ACCOUNT, "--allow-removals")
    assert ("1 row removes 1 entry:\n"
            f"  line 2 c-0001: Emails: removes {before[1]['value']} ({before[1]['type']})") in output
    assert patch_log.bodies == [{"emails": [before[0]]}]


def test_a_custom_field_column_through_the_command_keeps_the_other_fields(sandbox, tmp_path, patch_log):
    held = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0001").data["custom_fields"]
    assert len(held) == 3
    path = tmp_path / "notice.csv"
    path.write_bytes(csv_bytes(["id", "custom_field:Notice period (days)", "custom_field:screening status"],
                               [["c-0001", "45", "in progress"]]))
    output = _run(str(path), "--account", ACCOUNT)
    assert ("line 2 c-0001: Custom fields: Notice period (days): 30 → 45; "
            "Screening status: Completed → In Progress\n") in output
    in_progress = {"value": "In Progress", "value_id": "opt_stage_in_progress"}
    expected = [{**row, "value": 45} if row["id"] == "cf_notice_period" else
                {**row, **in_progress} if row["id"] == "cf_stage" else row for row in held]
    assert patch_log.bodies == [{"custom_fields": expected}]
    stored = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0001").data
    assert stored["custom_fields"][1] == held[1]
