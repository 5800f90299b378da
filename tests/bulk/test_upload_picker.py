"""The upload page picks the linked account from a list, offers a sample CSV and a column
reference (issue 13, item 10)."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.models import BulkJob
from candidates.types import CustomFieldDefinition
from tests.conftest import BASE_URL

SAMPLE = Path(__file__).resolve().parents[2] / "static" / "bulk-sample.csv"
ACCOUNTS = [
    {"id": "acc-gh", "provider": "greenhouse", "provider_name": "Greenhouse", "status": "active",
     "label": "Greenhouse EU"},
    {"id": "acc-lv", "provider": "lever", "provider_name": "Lever", "status": "active", "label": "Acme US"},
    {"id": "acc-lv2", "provider": "lever", "provider_name": "Lever", "status": "active", "label": "Acme US"},
    {"id": "acc-off", "provider": "workable", "provider_name": "Workable", "status": "inactive",
     "label": "Old"},
]


def test_the_account_is_picked_from_the_active_linked_accounts(ops_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    page = ops_client.get("/bulk/").content.decode()
    assert '<select name="account_id"' in page
    # Named as people know them (issue 25 item 10): the ATS only when the name does not say it,
    # the id only where two accounts share a name.
    assert '<option value="acc-gh">Greenhouse EU</option>' in page
    assert '<option value="acc-lv">Acme US (Lever) · acc-lv</option>' in page
    assert 'value="acc-off"' not in page  # inactive accounts cannot be updated
    assert 'href="/static/bulk-sample.csv" download' in page
    assert "<summary>Column reference</summary>" in page and "<td><code>custom_fields</code></td>" in page
    assert "<td><code>custom_field:&lt;name&gt;</code></td><td>One custom field</td>" in page
    assert "<td><code>add_email</code></td><td>Emails: add one</td>" in page
    assert "Limits: 20 MB and 10,000 rows a file." in page


def test_an_account_not_in_the_list_is_refused_beside_the_field(ops_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", json=ACCOUNTS)
    response = ops_client.post("/bulk/", {"account_id": "acc-off",
                                          "file": SimpleUploadedFile("p.csv", SAMPLE.read_bytes())})
    assert response.status_code == 200 and BulkJob.objects.count() == 0
    assert "Choose one of the active linked accounts." in response.content.decode()


def test_without_the_list_the_id_is_typed(ops_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", status=503, json={"statusCode": 503, "message": "down"})
    page = ops_client.get("/bulk/").content.decode()
    assert '<input type="text" name="account_id"' in page


def test_the_sample_csv_is_valid_for_the_sandboxs_greenhouse_account() -> None:
    from sandbox.seed import CUSTOM_FIELD_DEFINITIONS, GREENHOUSE

    definitions = [CustomFieldDefinition.from_api(item) for item in CUSTOM_FIELD_DEFINITIONS[GREENHOUSE]]
    parsed = bulk_csv_parse(SAMPLE.read_bytes(), definitions=definitions)
    assert [row.candidate_id for row in parsed.rows] == ["c-0001", "c-0002"]
    assert all(not row.errors for row in parsed.rows)
    first, second = (row.values for row in parsed.rows)
    assert first["set_custom_fields"] == {
        "cf_notice_period": {"id": "cf_notice_period", "remote_id": "r_cf_notice",
                             "name": "Notice period (days)", "value": 60, "value_id": None,
                             "remote_value_id": None},
        "cf_stage": {"id": "cf_stage", "remote_id": "r_cf_stage", "name": "Screening status",
                     "value": "Completed", "value_id": "opt_stage_completed", "remote_value_id": None}}
    assert first["add_emails"] == [{"type": "work", "value": "ada.byron@example.com"}]
    assert second["add_phone_numbers"] == [{"type": "work", "phone": "+442079460991"}]


def test_the_preview_names_each_candidate_and_shows_changes_as_the_review_page(ops_client: Client,
                                                                              stackone) -> None:
    from tests.bulk.test_preview import mock_get, previewed

    mock_get(stackone, "c-1", name="Grace Hopper")
    job = previewed([["c-1", "Engineer", '[{"type": "work", "value": "grace@example.com"}]']],
                    ["id", "title", "emails"])
    page = ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    # The name first, the id beside it in small type (issue 25 item 1).
    assert ('<span class="candidate-name">Grace Hopper</span> '
            '<small class="candidate-id"><code>c-1</code></small>') in page
    assert '<strong>Title</strong>: <del>Analyst</del> → <ins>Engineer</ins>' in page
    # Entries are paired by what identifies them (an address), never by position.
    assert '<span class="badge">added</span> <ins>grace@example.com (work)</ins>' in page
    assert '<span class="badge">removed</span> <del>ada@example.com (work)</del>' in page
    assert "{&#x27;" not in page and "None" not in page and "value:" not in page
