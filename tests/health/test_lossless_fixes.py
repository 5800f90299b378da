"""Fixes that lose nothing, end to end: bad data in the sandbox → findings → "Apply all" (or a
cluster's spelling) on the data-health page → the bulk job's preview → start → the exact PATCH
bodies the sandbox received over HTTP. A value that a fix would lose, guess or corrupt never
reaches a body."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from candidates.models import BulkJob
from candidates.worker import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.health.conftest import ACCOUNT, index_sandbox, sandbox_set

URL = f"/accounts/{ACCOUNT}/health/"


def _apply(client: Client, path: str, data: dict[str, object]) -> BulkJob:
    """Press a button of the page, then preview and run the job it opens, as a person would."""
    response = client.post(f"{URL}{path}", data)
    job = BulkJob.objects.latest("pk")
    assert response["Location"] == f"/bulk/jobs/{job.pk}/"
    run_queued_tasks()  # the preview: one GET per row, nothing written
    job.refresh_from_db()
    assert job.status == "ready"
    assert client.post(f"/bulk/jobs/{job.pk}/start/").status_code == 302
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == "done"
    return job


def _bodies(patch_log) -> list[str]:
    return sorted(json.dumps(body, ensure_ascii=False) for body in patch_log.bodies)


def _stored(candidate_id: str, field: str) -> object:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data[field]


def test_names_only_whitespace_is_written_a_middle_name_or_preferred_name_never(
    sandbox, patch_log, ops_client
):
    sandbox_set("c-0002", name="Ada Augusta Byron", first_name="Ada", last_name="Byron")  # a middle name
    sandbox_set("c-0003", name="Bill Gates", first_name="William", last_name="Gates")  # the name he goes by
    sandbox_set("c-0004", name="María José García López", first_name="María José", last_name="García")
    sandbox_set("c-0005", name="Dr  Grace Hopper", first_name="Grace", last_name="Hopper")  # title + spaces
    sandbox_set("c-0006", name="", first_name="Alan", last_name="Turing")  # empty: first + last
    sandbox_set("c-0007", title="Head of\nResearch")  # a line break is whitespace
    index_sandbox()
    page = ops_client.get(URL, {"check": "name_spacing"}).content.decode()
    assert page.count("Not first name + last name") == 4
    assert "Apply all 3" in page

    _apply(ops_client, "fix/", {"apply_all": "name_spacing"})
    assert _bodies(patch_log) == sorted(
        json.dumps(body, ensure_ascii=False)
        for body in [
            {"name": "Dr Grace Hopper"},  # the doubled space collapsed, the title kept
            {"name": "Alan Turing"},
            {"title": "Head of Research"},
        ]
    )
    assert _stored("c-0002", "name") == "Ada Augusta Byron"
    assert _stored("c-0003", "name") == "Bill Gates"
    assert _stored("c-0004", "name") == "María José García López"


def test_phones_only_a_valid_number_in_a_certain_country(sandbox, patch_log, ops_client, settings):
    sandbox_set("c-0002", country="United States", phone="555-1234", phone_numbers=[])  # no area code
    sandbox_set("c-0003", country="Narnia", phone="12345", phone_numbers=[])  # no known country
    sandbox_set("c-0004", country="United States", phone="(202) 555-0143", phone_numbers=[])
    sandbox_set(
        "c-0005",
        country=None,
        phone=None,
        phone_numbers=[
            {"type": "mobile", "phone": "0049 1512 3456789"},
            {"type": "work", "phone": "555 0100"},
        ],
    )
    sandbox_set("c-0006", country=None, phone="020 7946 0000", phone_numbers=[])  # only HEALTH_PHONE_REGION
    settings.HEALTH_PHONE_REGION = "GB"
    index_sandbox()
    page = ops_client.get(URL, {"check": "phone_format"}).content.decode()
    assert "Not a valid US number: written without its area code" in page
    assert "Not a valid GB number" in page  # 12345 read in GB: still not a number
    assert "Apply all 2" in page and "Read as GB numbers: check each one" in page

    _apply(ops_client, "fix/", {"apply_all": "phone_format"})
    assert _bodies(patch_log) == sorted(
        json.dumps(body)
        for body in [
            {"phone": "+12025550143"},
            # The 00 number rewritten; the one it cannot place kept exactly as it was.
            {
                "phone_numbers": [
                    {"type": "mobile", "phone": "+4915123456789"},
                    {"type": "work", "phone": "555 0100"},
                ]
            },
        ]
    )
    assert _stored("c-0002", "phone") == "555-1234" and _stored("c-0003", "phone") == "12345"
    assert _stored("c-0006", "phone") == "020 7946 0000"  # the guess waits for a person to tick it


def test_a_cluster_writes_the_spelling_picked_with_its_accents_and_case(sandbox, patch_log, ops_client):
    for cid, company in [
        ("c-0002", "Societe Generale"),
        ("c-0003", "Societe Generale"),
        ("c-0004", "Société Générale"),
        ("c-0005", "SOCIETE GENERALE"),
    ]:
        sandbox_set(cid, company=company)
    index_sandbox()
    page = ops_client.get(URL, {"check": "company_cluster"}).content.decode()
    assert 'value="Societe Generale" checked>' in page  # the most common, as written
    assert "generale societe</span>" not in page  # the key is never offered

    _apply(
        ops_client,
        "clusters/",
        {"keep:generale societe": "Société Générale", "apply_cluster": "generale societe"},
    )
    assert _bodies(patch_log) == [json.dumps({"company": "Société Générale"}, ensure_ascii=False)] * 3


def test_a_clear_marker_spelling_is_never_written_and_never_clears(sandbox, patch_log, ops_client):
    for cid in ("c-0002", "c-0003", "c-0004"):
        sandbox_set(cid, company="__CLEAR__")
    sandbox_set("c-0005", company="Clear")
    index_sandbox()
    page = ops_client.get(URL, {"check": "company_cluster"}).content.decode()
    assert 'value="__CLEAR__" disabled>' in page and 'value="Clear" checked>' in page

    _apply(ops_client, "clusters/", {"keep:clear": "Clear", "apply_all": "company_cluster"})
    assert _bodies(patch_log) == [json.dumps({"company": "Clear"})] * 3  # never {"company": null}
    response = ops_client.post(f"{URL}clusters/", {"keep:clear": "__CLEAR__", "apply_cluster": "clear"})
    assert response.status_code == 302 and BulkJob.objects.count() == 1  # refused: no second job


@pytest.mark.parametrize("newlines", [1, 3])
def test_a_value_with_a_line_break_no_longer_breaks_apply_all(sandbox, patch_log, ops_client, newlines):
    # One candidate spelt with a line break, or three (then the most common spelling spans lines
    # and cannot be kept: the next one is proposed).
    spelt = ["Acme\nInc"] * newlines + ["Acme Inc"] * 2
    ids = [f"c-{n:04d}" for n in range(2, 2 + len(spelt))]
    for cid, company in zip(ids, spelt, strict=True):
        sandbox_set(cid, company=company)
    index_sandbox()
    _apply(ops_client, "clusters/", {"apply_all": "company_cluster"})
    assert _bodies(patch_log) == [json.dumps({"company": "Acme Inc"})] * newlines
    assert {_stored(cid, "company") for cid in ids} == {"Acme Inc"}
