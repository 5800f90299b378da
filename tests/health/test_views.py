"""The data-health page: Ops only, never cached, counts and findings, and "Fix selected" /
"apply all" → a bulk job of exactly those fixes, previewed before anything is sent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from candidates.directory.models import DirectoryEntry
from candidates.health.models import HealthFinding
from candidates.health.store import health_index
from candidates.models import BulkJob
from candidates.types import Candidate
from tests.conftest import grant

ACCOUNT = "acc-1"
URL = f"/accounts/{ACCOUNT}/health/"


def cand(cid: str, **fields: object) -> Candidate:
    return Candidate.from_api(
        {"id": cid, "name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace", **fields}
    )


@pytest.fixture
def findings(db: None) -> None:
    health_index(
        account_id=ACCOUNT,
        candidates=[
            cand(
                "c-1",
                phone_numbers=[
                    {"type": "work", "phone": "020 7946 0000"},
                    {"type": "home", "phone": "+441614960000"},
                ],
            ),
            cand("c-2", phone="07700 900123", phone_numbers=[{"type": "mobile", "phone": "no number"}]),
            cand("c-3", name="<script>alert(1)</script>", country="gb"),
            cand("c-4", phone_numbers=[{"type": "work", "phone": "(0161) 496 0001"}]),
        ],
    )
    HealthFinding.objects.create(
        account_id="other", candidate_id="x", check_name="phone_format", field="phone", value="1", fix="+1"
    )
    for cid, company in [("c-1", "Acme Inc"), ("c-2", "Acme Inc"), ("c-3", "ACME, Inc.")]:
        DirectoryEntry.objects.create(
            account_id=ACCOUNT, candidate_id=cid, company=company, name=f"Name of {cid}"
        )


def _client(username: str, role: str) -> Client:
    user = User.objects.create_user(username=username, password="pw-for-tests-1")
    grant(user, role)
    client = Client()
    client.force_login(user)
    return client


def test_only_ops_open_the_page_and_it_is_never_cached(db, ops_client):
    assert Client().get(URL).status_code == 302  # to sign in
    recruiter = _client("rec", "Recruiter")
    assert recruiter.get(URL).status_code == 403
    assert recruiter.post(f"{URL}fix/", {"apply_all": "phone_format"}).status_code == 403
    response = ops_client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b'href="/health/">Data health</a>' in response.content  # the nav link
    assert "Data health" not in recruiter.get("/accounts/").content.decode()


def test_the_page_lists_each_check_with_its_count(findings, ops_client):
    page = ops_client.get(URL).content.decode()
    assert '<tr data-check="phone_format">' in page
    row = page.split('<tr data-check="phone_format">')[1].split("</tr>")[0]
    assert (
        "Phone numbers not in E.164" in row
        and '<td class="health-count">4</td>' in row
        and "<td>3</td>" in row
    )
    cluster = page.split('<tr data-check="company_cluster">')[1].split("</tr>")[0]
    assert '<td class="health-count">1</td>' in cluster


def test_one_check_shows_its_findings_linked_to_the_editor_and_escaped(findings, ops_client):
    page = ops_client.get(URL, {"check": "name_spacing"}).content.decode()
    assert '<a href="/accounts/acc-1/candidates/c-3/">Name of c-3</a>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Apply all 1" in page
    page = ops_client.get(URL, {"check": "phone_format"}).content.decode()
    assert "Cannot be read as a phone number" in page and "none (reported only)" in page
    assert page.count('name="selected"') == 3  # the unreadable one has no checkbox


def test_apply_all_creates_a_bulk_job_of_that_check_to_preview(findings, ops_client, settings):
    settings.BULK_INPROCESS_WORKER = False
    response = ops_client.post(f"{URL}fix/", {"apply_all": "phone_format"})
    job = BulkJob.objects.get()
    assert response["Location"] == f"/bulk/jobs/{job.pk}/"
    assert (job.account_id, job.filename, job.status, job.username) == (
        ACCOUNT,
        "data-health-phone_format.csv",
        "previewing",
        "ops",
    )
    assert {row.candidate_id: row.values for row in job.rows.all()} == {
        "c-1": {
            "phone_numbers": [
                {"type": "work", "phone": "+442079460000"},
                {"type": "home", "phone": "+441614960000"},
            ]
        },
        "c-2": {"phone": "+447700900123"},
        "c-4": {"phone_numbers": [{"type": "work", "phone": "+441614960001"}]},
    }
    assert not job.rows.filter(status="saved").exists()  # nothing sent before the preview and start


def test_fix_selected_takes_only_the_checked_findings_and_the_cluster_spelling(
    findings, ops_client, settings
):
    settings.BULK_INPROCESS_WORKER = False
    c4 = HealthFinding.objects.get(account_id=ACCOUNT, candidate_id="c-4")
    other = HealthFinding.objects.get(account_id="other")
    ops_client.post(f"{URL}fix/", {"selected": [f"f{c4.pk}", f"f{other.pk}", "c" + "c-3", "fbogus", "c"]})
    job = BulkJob.objects.get()
    assert {row.candidate_id: row.values for row in job.rows.all()} == {
        "c-4": {"phone_numbers": [{"type": "work", "phone": "+441614960001"}]},
        "c-3": {"company": "Acme Inc"},
    }


def test_nothing_selected_creates_no_job_and_says_so(findings, ops_client):
    response = ops_client.post(f"{URL}fix/", {"check": "phone_format"}, follow=True)
    assert BulkJob.objects.count() == 0
    assert "Nothing to fix: select at least one finding" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{URL}?check=phone_format"


def test_the_nav_link_opens_the_current_account_or_offers_the_checked_ones(findings, ops_client, settings):
    settings.STACKONE_ACCOUNT_ID = ""
    page = ops_client.get("/health/").content.decode()
    assert f'href="{URL}"' in page and 'href="/accounts/other/health/"' in page
    session = ops_client.session
    session["account_id"] = ACCOUNT
    session.save()
    assert ops_client.get("/health/")["Location"] == URL


def test_more_fixes_than_one_job_takes_is_refused_with_a_message(findings, ops_client, monkeypatch):
    monkeypatch.setattr("candidates.health.fixes.MAX_ROWS", 2)
    response = ops_client.post(f"{URL}fix/", {"apply_all": "phone_format"}, follow=True)
    assert BulkJob.objects.count() == 0
    assert (
        "No job was created: 3 candidates to fix, but one bulk job takes at most 2."
        in response.content.decode()
    )


@pytest.mark.parametrize("path", ["health/", "directory/status/"])
def test_an_account_id_with_a_nul_is_a_not_found_never_a_database_error(ops_client, path: str) -> None:
    # PostgreSQL text columns refuse NUL: such an id must never reach a query.
    assert ops_client.get(f"/accounts/acc%001/{path}").status_code == 404
