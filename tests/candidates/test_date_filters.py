"""Date filters are bounded (1900-01-01 … 2999-12-31) and checked before anything is listed or
streamed: ``9999-12-31`` used to overflow (a 500 on the list, an audit export cut off after 196
bytes)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from candidates.models import AuditEntry
from tests.directory.support import ACCOUNT, PEOPLE, entries_create

OUT_OF_RANGE = "Enter a date between 1900-01-01 and 2999-12-31."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def auditor_client(roles: None) -> Client:
    user = User.objects.create_user("auditor", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="Auditor"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv"])
@pytest.mark.parametrize(("field", "day"), [("date_to", "9999-12-31"), ("date_from", "0001-01-01")])
def test_an_audit_date_out_of_range_is_named_beside_its_field_and_nothing_is_streamed(
        auditor_client: Client, path: str, field: str, day: str) -> None:
    AuditEntry.objects.create(username="alice", account_id="acc", candidate_id="c-1", outcome="saved")

    response = auditor_client.get(path, {field: day})

    assert response.status_code == 400
    assert not response.streaming and "Content-Disposition" not in response
    page = text_of(response)
    assert re.search(rf'id="id_{field}_error">{re.escape(OUT_OF_RANGE)}', page)
    assert f'value="{day}"' in page  # what was typed stays
    assert "<tr data-outcome=" not in page


def test_the_audit_date_picker_offers_only_days_in_range(auditor_client: Client) -> None:
    page = text_of(auditor_client.get("/audit/"))
    assert re.search(r'<input type="date" name="date_to" min="1900-01-01" max="2999-12-31"', page)


def test_the_last_day_in_range_still_filters(auditor_client: Client) -> None:
    AuditEntry.objects.create(username="alice", account_id="acc", candidate_id="c-1", outcome="saved")

    response = auditor_client.get("/audit/export.csv", {"date_to": "2999-12-31"})

    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().count("\r\n") == 2  # header + alice's row


@pytest.mark.parametrize("field", ["updated_to", "created_to", "updated_from", "created_from"])
def test_a_candidate_list_date_out_of_range_is_named_beside_its_field(viewer_client: Client,
                                                                     field: str) -> None:
    entries_create(PEOPLE)

    response = viewer_client.get(f"/accounts/{ACCOUNT}/candidates/", {"q": "ada", field: "9999-12-31"})

    assert response.status_code == 200
    page = text_of(response)
    assert re.search(rf'id="id_{field}_error">{re.escape(OUT_OF_RANGE)}', page)
    assert 'value="ada"' in page and 'value="9999-12-31"' in page
