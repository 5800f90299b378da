"""Custom field changes read as people read them (issue 25 item 2), where the renderer fell short:
a custom field's date and time is a moment shown in the reader's time zone (a ``<time>`` the
page's script rewrites), while a date field's midnight stays that calendar day in every zone."""

from __future__ import annotations

from django.test import Client

from candidates.editor.change_text import field_change
from candidates.models import AuditEntry
from candidates.types import CustomFieldDefinition
from tests.candidates.view_helpers import ACCOUNT, text_of

AVAILABLE = CustomFieldDefinition.from_api({"id": "cf_available", "name": "Available from",
                                            "type": {"value": "date"}})
FROM = {"id": "cf_available", "name": "Available from"}
INTERVIEW = {"id": "cf_interview", "name": "Interview at"}


def test_a_date_fields_midnight_reads_as_that_day_and_a_moment_as_a_moment() -> None:
    change = field_change("custom_fields",
                          [{**FROM, "value": "2024-09-01T00:00:00.000Z"},
                           {**INTERVIEW, "value": "2024-05-01T09:30:00Z"}],
                          [{**FROM, "value": "2024-10-01T00:00:00.000Z"},
                           {**INTERVIEW, "value": "2024-05-02T14:00:00Z"}], definitions=[AVAILABLE])
    available, interview = change.rows
    assert available.text == "Available from: 1 Sep 2024 → 1 Oct 2024" and available.new_at is None
    # Files read UTC, saying so.
    assert interview.text == "Interview at: 1 May 2024, 09:30 UTC → 2 May 2024, 14:00 UTC"
    assert interview.new_at is not None and interview.new_at.isoformat() == "2024-05-02T14:00:00+00:00"


def test_history_shows_a_custom_fields_moment_in_the_readers_time_zone(editor_client: Client) -> None:
    AuditEntry.objects.create(username="recruiter", account_id=ACCOUNT, candidate_id="c-1", outcome="saved",
                              changes=[{"field": "custom_fields", "old": [{**INTERVIEW, "value": None}],
                                        "new": [{**INTERVIEW, "value": "2024-05-02T14:00:00Z"}]}])
    page = text_of(editor_client.get(f"/accounts/{ACCOUNT}/candidates/c-1/history/"))
    assert ('Interview at: <del>(empty)</del> → <ins><time datetime="2024-05-02T14:00:00Z" '
            'title="2024-05-02 14:00:00 UTC" data-local>2 May 2024, 14:00 UTC</time></ins>') in page
