"""``bulk_job_handoff``: typed rows (a candidate id and the fields to set, in API shape) become
a job through the same creation and preview path an uploaded file takes, without passing
through CSV text: a line break, a quote or the text ``__CLEAR__`` arrives as the value it is."""

from __future__ import annotations

import pytest

from candidates.bulk.handoff import HandoffInvalid, HandoffRow, bulk_job_handoff
from candidates.models import BulkJob

ACCOUNT = "acc-1"


def test_rows_become_a_job_of_those_values_queued_for_its_preview(ops_user, settings):
    settings.BULK_INPROCESS_WORKER = False
    phones = [{"type": "work", "phone": "+442079460000"}, {"type": "home", "phone": "not a number"}]
    job = bulk_job_handoff(
        user=ops_user,
        account_id=ACCOUNT,
        label="Data health: selected",
        rows=[
            HandoffRow("c-2", {"title": 'Head of "R&D"\nLondon', "company": "Zoë, Ångström; Ltd"}),
            HandoffRow("c-1", {"phone_numbers": phones}),
            HandoffRow('c/3,"x"', {"company": "__CLEAR__"}),  # data, not a marker: never a clear
        ],
    )
    assert (job.account_id, job.filename, job.status, job.username) == (
        ACCOUNT,
        "Data health: selected",
        "previewing",
        "ops",
    )
    assert [(row.line, row.candidate_id, row.values, row.status, row.errors) for row in job.rows.all()] == [
        (2, "c-2", {"company": "Zoë, Ångström; Ltd", "title": 'Head of "R&D"\nLondon'}, "pending", []),
        (3, "c-1", {"phone_numbers": phones}, "pending", []),
        (4, 'c/3,"x"', {"company": "__CLEAR__"}, "pending", []),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "No rows to hand over."),
        ([HandoffRow("", {"title": "x"})], "Candidate id “” is empty or given twice."),
        (
            [HandoffRow("c-1", {"title": "x"}), HandoffRow("c-1", {"company": "y"})],
            "Candidate id “c-1” is empty or given twice.",
        ),
        ([HandoffRow("c-1", {})], "Candidate c-1: no field to set."),
        ([HandoffRow("c-1", {"id": "c-2", "title": "x"})], "Candidate c-1: not writable: id."),
        ([HandoffRow("c-1", {"company": None})], "Candidate c-1: a handed-over change never clears a field."),
    ],
)
def test_rows_that_cannot_make_a_job_create_nothing(ops_user, rows, message):
    with pytest.raises(HandoffInvalid) as raised:
        bulk_job_handoff(user=ops_user, account_id=ACCOUNT, label="x", rows=rows)
    assert str(raised.value) == message
    assert BulkJob.objects.count() == 0


def test_more_rows_than_one_job_takes_create_nothing(ops_user, monkeypatch):
    monkeypatch.setattr("candidates.bulk.handoff.MAX_ROWS", 2)
    rows = [HandoffRow(f"c-{n}", {"title": "x"}) for n in range(3)]
    with pytest.raises(HandoffInvalid, match="3 candidates, but one bulk job takes at most 2."):
        bulk_job_handoff(user=ops_user, account_id=ACCOUNT, label="x", rows=rows)
    assert BulkJob.objects.count() == 0
