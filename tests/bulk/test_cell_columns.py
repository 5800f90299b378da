"""A cell changes only what it names (issue 19, part 1): ``custom_field:<name>`` columns typed by
the field's definition, ``add_email`` / ``add_phone_number`` / ``add_social_link`` columns, the
removals a job makes listed and confirmed before it starts. StackOne is mocked at the HTTP edge
with strict matchers: the exact PATCH body of every row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from responses import matchers

from candidates.bulk.jobs import StartRefused, bulk_job_run, bulk_job_start, bulk_job_upload
from candidates.models import BulkJob, BulkRow
from candidates.worker import run_queued_tasks
from tests.bulk.conftest import csv_bytes
from tests.bulk.test_views import text_of
from tests.conftest import BASE_URL

ACCOUNT = "acct-1"
DEFINITIONS = [
    {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period (days)",
     "type": {"value": "integer", "source_value": "number"}, "options": None},
    {"id": "cf_relocate", "remote_id": "r_relocate", "name": "Willing to relocate",
     "type": {"value": "boolean", "source_value": "boolean"}, "options": None},
    {"id": "cf_stage", "remote_id": "r_stage", "name": "Training status",
     "type": {"value": "single_select", "source_value": "dropdown"},
     "options": [{"id": "opt_done", "remote_id": "r_opt_done", "value": "Completed"},
                 {"id": "opt_pending", "remote_id": "r_opt_pending", "value": "Pending"}]},
    {"id": "cf_skills", "remote_id": "r_skills", "name": "Skills",
     "type": {"value": "multi_select", "source_value": "multi"},
     "options": [{"id": "opt_go", "value": "Go"}, {"id": "opt_django", "value": "Django"},
                 {"id": "opt_sql", "value": "SQL"}]},
    {"id": "cf_start", "remote_id": "r_start", "name": "Available from",
     "type": {"value": "date", "source_value": "date"}, "options": None},
    {"id": "cf_salary", "remote_id": "r_salary", "name": "Salary (EUR)",
     "type": {"value": "float", "source_value": "currency"}, "options": None},
]
# The candidate's five custom fields as StackOne holds them.
HELD = [
    {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period (days)", "value": 30,
     "value_id": None, "remote_value_id": None},
    {"id": "cf_relocate", "remote_id": "r_relocate", "name": "Willing to relocate", "value": True,
     "value_id": None, "remote_value_id": None},
    {"id": "cf_stage", "remote_id": "r_stage", "name": "Training status", "value": "Pending",
     "value_id": "opt_pending", "remote_value_id": "r_opt_pending"},
    {"id": "cf_skills", "remote_id": "r_skills", "name": "Skills", "value": ["Django"],
     "value_id": None, "remote_value_id": None},
    {"id": "cf_start", "remote_id": "r_start", "name": "Available from", "value": "2024-05-01",
     "value_id": None, "remote_value_id": None},
]
OK = {"statusCode": 200, "message": "Record updated", "timestamp": "2025-01-01T00:00:00Z",
      "data": {"id": "c-1", "remote_id": "r-c-1"}}


def mock_definitions(stackone) -> None:
    stackone.get(f"{BASE_URL}/unified/ats/custom_field_definitions/candidates",
                 json={"data": DEFINITIONS, "next": None},
                 match=[matchers.header_matcher({"x-account-id": ACCOUNT})])


def mock_candidate(stackone, candidate_id: str = "c-1", **fields: Any) -> None:
    data = {"id": candidate_id, "remote_id": f"r-{candidate_id}", "name": "Ada Lovelace", "title": "Analyst",
            "emails": [{"type": "personal", "value": "ada@example.com"}],
            "phone_numbers": [{"type": "mobile", "phone": "+447700900123"}],
            "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"}],
            "custom_fields": HELD, **fields}
    stackone.get(f"{BASE_URL}/unified/ats/candidates/{candidate_id}", json={"data": data},
                 match=[matchers.query_param_matcher({"include": "custom_fields"})])


def mock_patch(stackone, body: dict[str, Any], candidate_id: str = "c-1") -> None:
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/{candidate_id}", json=OK,
                   match=[matchers.json_params_matcher(body, strict_match=True),
                          matchers.header_matcher({"x-account-id": ACCOUNT})])


def previewed(header: list[str], rows: list[list[Any]]) -> BulkJob:
    """Upload ``rows`` as a job and run its background reading and preview."""
    job = bulk_job_upload(user=None, account_id=ACCOUNT, filename="people.csv", data=csv_bytes(header, rows))
    run_queued_tasks()
    job.refresh_from_db()
    return job


def sent(job: BulkJob) -> BulkJob:
    bulk_job_start(job=job, user=None, username="ops", removals_confirmed=True)
    return bulk_job_run(job_id=job.pk)


def with_value(field_id: str, **changes: Any) -> list[dict[str, Any]]:
    return [{**row, **changes} if row["id"] == field_id else row for row in HELD]


def test_one_custom_field_column_keeps_the_four_others_and_types_the_value(transactional_db, stackone):
    mock_definitions(stackone)
    mock_candidate(stackone)
    mock_patch(stackone, {"custom_fields": with_value("cf_notice", value=45)})
    job = previewed(["id", "custom_field:notice period (DAYS)"], [["c-1", "45"]])
    row = job.rows.get()
    assert (job.status, row.status, row.removed_count) == ("ready", "pending", 0)
    assert sent(job).rows.get().status == BulkRow.Status.SAVED


def test_a_column_named_by_id_and_an_option_chosen_by_its_label_sends_the_option_ids(
    transactional_db, stackone
):
    mock_definitions(stackone)
    mock_candidate(stackone)
    mock_patch(stackone, {"custom_fields": with_value(
        "cf_stage", value="Completed", value_id="opt_done", remote_value_id="r_opt_done")})
    job = previewed(["id", "custom_field:cf_stage"], [["c-1", " completed "]])
    assert sent(job).rows.get().status == BulkRow.Status.SAVED


def test_yes_no_multi_select_labels_dates_and_floats_are_typed(transactional_db, stackone):
    mock_definitions(stackone)
    mock_candidate(stackone)
    body = [{**row} for row in HELD]
    body[1]["value"] = False
    body[3]["value"] = ["opt_go", "opt_sql"]  # a multi-select's options are sent by id
    body[4]["value"] = "2025-01-31"
    body.append({"id": "cf_salary", "remote_id": "r_salary", "name": "Salary (EUR)", "value": 65000.0,
                 "value_id": None, "remote_value_id": None})
    mock_patch(stackone, {"custom_fields": body})
    job = previewed(
        ["id", "custom_field:Willing to relocate", "custom_field:skills", "custom_field:Available from",
         "custom_field:Salary (EUR)", "custom_field:Notice period (days)"],
        [["c-1", "NO", "go; sql", "2025-01-31", "65000", "30"]])  # 30: already held, no change
    assert sent(job).rows.get().status == BulkRow.Status.SAVED


def test_a_multi_select_held_by_label_and_typed_again_is_no_change(transactional_db, stackone):
    # Issue 25 item 3: options are sent by id; an ATS that returns them by label holds the same.
    mock_definitions(stackone)
    mock_candidate(stackone)
    job = previewed(["id", "custom_field:Skills"], [["c-1", "DJANGO"]])
    assert job.rows.get().status == BulkRow.Status.NO_CHANGE


@pytest.mark.parametrize(("header", "cell", "message"), [
    ("custom_field:Notice period (days)", "abc", "Enter a number, e.g. 30 or 2.5."),
    ("custom_field:Notice period (days)", "4.5", "Enter a whole number, e.g. 30."),
    ("custom_field:Willing to relocate", "maybe", "Enter yes or no (or true or false)."),
    ("custom_field:Available from", "31/01/2025", "Enter a date as YYYY-MM-DD, e.g. 2024-05-01."),
    ("custom_field:Training status", "Done",
     "“Done” is not an option of Training status: Completed, Pending."),
    ("custom_field:Skills", "Go; Cobol",
     "“Cobol” is not an option of Skills: Go, Django, SQL. Separate options with ;."),
])
def test_a_wrong_type_or_unknown_option_is_named_by_line_and_column_and_never_sent(
        transactional_db, stackone, ops_client: Client, header: str, cell: str, message: str):
    mock_definitions(stackone)
    mock_candidate(stackone, "c-2")
    mock_patch(stackone, {"title": "Engineer"}, candidate_id="c-2")
    job = previewed(["id", "title", header], [["c-1", "Engineer", cell], ["c-2", "Engineer", ""]])
    invalid = job.rows.get(candidate_id="c-1")
    assert invalid.status == BulkRow.Status.INVALID
    assert invalid.errors == [{"column": header, "message": message, "position": 3}]
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert f"line 2, column C ({header}): {message}" in page
    # Only the valid row is sent (the strict mock has no PATCH for c-1: one would fail the test).
    assert [(row.candidate_id, row.status) for row in sent(job).rows.order_by("line")] == [
        ("c-1", "invalid"), ("c-2", "saved")]


def test_an_unknown_custom_field_in_the_header_names_the_column(transactional_db, stackone, ops_client):
    mock_definitions(stackone)
    job = previewed(["id", "title", "custom_field:Shoe size"], [["c-1", "Engineer", "42"]])
    assert job.status == BulkJob.Status.UNREADABLE and not job.rows.exists()
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert ("The file could not be read; nothing was created. Column C (custom_field:Shoe size): "
            "this account has no custom field named or with the id “Shoe size” (its custom fields: "
            "Available from, Notice period (days), Salary (EUR), Skills, Training status, Willing to "
            "relocate).") in page
    assert "Upload a corrected file" in page and "Start" not in page


def test_clear_removes_that_field_only_and_the_job_waits_for_the_removal_to_be_confirmed(
        transactional_db, stackone, ops_client: Client):
    mock_definitions(stackone)
    mock_candidate(stackone)
    job = previewed(["id", "custom_field:Skills"], [["c-1", "__CLEAR__"]])
    row = job.rows.get()
    assert row.removals == [{"field": "custom_fields", "entry": "Skills: Django"}] and row.removed_count == 1
    html = ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    assert '<h2 id="removals-heading">1 row removes 1 entry</h2>' in html
    assert ("<td>2</td><td><code>c-1</code></td><td>Custom fields</td><td><del>Skills: Django</del></td>"
            in html)
    # Not confirmed: refused, the message beside the checkbox, nothing queued or sent.
    response = ops_client.post(f"/bulk/jobs/{job.pk}/start/")
    assert response.status_code == 400
    assert ("This job removes 1 list entry: tick the box to confirm, or upload a file that keeps them."
            in text_of(response))
    assert 'id="id_confirm_removals_error"' in response.content.decode()
    job.refresh_from_db()
    assert job.status == BulkJob.Status.READY
    with pytest.raises(StartRefused, match="Confirm the removals first: 1 row removes 1 entry."):
        bulk_job_start(job=job, user=None, username="ops")
    # Confirmed: the body holds the four other fields exactly as held.
    mock_patch(stackone, {"custom_fields": [row for row in HELD if row["id"] != "cf_skills"]})
    response = ops_client.post(f"/bulk/jobs/{job.pk}/start/", {"confirm_removals": "on"})
    assert response.status_code == 302
    run_queued_tasks()
    assert job.rows.get().status == BulkRow.Status.SAVED


def test_add_columns_add_one_entry_keep_the_others_and_never_duplicate(transactional_db, stackone):
    mock_candidate(stackone, "c-1")
    mock_candidate(stackone, "c-2")
    mock_patch(stackone, {
        "emails": [{"type": "personal", "value": "ada@example.com"},
                   {"type": "work", "value": "ada@work.example"}],
        "phone_numbers": [{"type": "mobile", "phone": "+447700900123"},
                          {"type": "work", "phone": "+442079460000"}],
        "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"},
                         {"type": "github", "url": "https://github.com/ada"}],
    })
    job = previewed(
        ["id", "add_email", "add_email_type", "add_phone_number", "add_phone_number_type", "add_social_link",
         "add_social_link_type"],
        [["c-1", "ada@work.example", "work", "+44 20 7946 0000", "Work", "https://github.com/ada", "github"],
         # Already listed (another case, other spacing, another type): nothing added, nothing sent.
         ["c-2", "ADA@example.com", "work", "+44 7700 900123", "", "https://www.linkedin.com/in/ada/", ""]])
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-2"].status == BulkRow.Status.NO_CHANGE and rows["c-2"].body == {}
    assert rows["c-1"].removed_count == 0
    assert sent(job).rows.get(candidate_id="c-1").status == BulkRow.Status.SAVED


def test_an_added_number_held_in_its_national_form_is_not_added_again(transactional_db, stackone):
    mock_candidate(stackone, "c-1", phone_numbers=[{"type": "mobile", "phone": "07700 900123"},
                                                   {"type": "home", "phone": "+442079460000"}])
    job = previewed(["id", "add_phone_number"], [["c-1", "+44 7700 900123"]])
    row = job.rows.get()
    assert (row.status, row.body, row.removed_count) == (BulkRow.Status.NO_CHANGE, {}, 0)


def test_a_changed_value_drops_the_ids_that_named_the_old_option(transactional_db, stackone):
    # StackOne holds a text value with the ids of an option it once was: the new text goes
    # without them (the ATS could otherwise keep the old option), the other rows as held.
    held = [{**row} for row in HELD]
    held[0].update(value_id="opt_old", remote_value_id="r_opt_old")
    mock_definitions(stackone)
    mock_candidate(stackone, custom_fields=held)
    body = [{**row} for row in held]
    body[0].update(value=45, value_id=None, remote_value_id=None)
    mock_patch(stackone, {"custom_fields": body})
    job = previewed(["id", "custom_field:Notice period (days)"], [["c-1", "45"]])
    assert sent(job).rows.get().status == BulkRow.Status.SAVED


def test_an_add_column_with_a_bad_value_or_a_type_alone_is_named_by_line_and_column(transactional_db):
    job = previewed(["id", "add_email", "add_email_type", "add_phone_number", "add_phone_number_type"],
                    [["c-1", "not-an-email", "", "", "pager"]])
    assert job.rows.get().errors == [
        {"column": "add_email", "message": "Enter an email address like name@example.com.", "position": 2},
        {"column": "add_phone_number_type",
         "message": "A type without an entry: fill add_phone_number too, or leave this cell empty.",
         "position": 5},
    ]


def test_a_whole_list_column_that_drops_entries_lists_each_removal_by_its_label(
        transactional_db, stackone, ops_client: Client):
    mock_candidate(stackone, "c-1")
    mock_candidate(stackone, "c-2")
    job = previewed(["id", "emails", "application_ids"], [
        ["c-1", [{"type": "work", "value": "new@example.com"}], ""],
        ["c-2", "__CLEAR__", "__CLEAR__"],
    ])
    assert {row.candidate_id: row.removals for row in job.rows.all()} == {
        "c-1": [{"field": "emails", "entry": "ada@example.com (personal)"}],
        "c-2": [{"field": "emails", "entry": "ada@example.com (personal)"}],
    }
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "2 rows remove 2 entries" in page
    assert "I have checked the entries listed above: remove them" in page
