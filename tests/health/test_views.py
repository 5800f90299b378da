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
                country="United Kingdom",
                phone_numbers=[
                    {"type": "work", "phone": "020 7946 0000"},
                    {"type": "home", "phone": "+441614960000"},
                ],
            ),
            cand(
                "c-2",
                country="United Kingdom",
                phone="07400 123456",
                phone_numbers=[{"type": "mobile", "phone": "no number"}],
            ),
            cand("c-3", name="<script>alert(1)</script>", country="gb", title="Head  of Research"),
            cand(
                "c-4", country="United Kingdom", phone_numbers=[{"type": "work", "phone": "(0161) 496 0001"}]
            ),
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
    assert ('<a href="/accounts/acc-1/candidates/c-3/"><span class="candidate-name">Name of c-3</span> '
            '<small class="candidate-id"><code>c-3</code></small></a>') in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Not first name + last name (&#x27;Ada Lovelace&#x27;). Reported only" in page
    assert "Apply all 1" in page  # the title's doubled spaces; the name is reported only
    assert page.count('name="selected"') == 1
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
        "Data health: phone_format",
        "previewing",
        "ops",
    )
    assert [(row.line, row.candidate_id, row.values, row.status) for row in job.rows.order_by("line")] == [
        (
            2,
            "c-1",
            {
                "phone_numbers": [
                    {"type": "work", "phone": "+442079460000"},
                    {"type": "home", "phone": "+441614960000"},
                ]
            },
            "pending",
        ),
        (3, "c-2", {"phone": "+447400123456"}, "pending"),
        (4, "c-4", {"phone_numbers": [{"type": "work", "phone": "+441614960001"}]}, "pending"),
    ]
    assert not job.rows.filter(status="saved").exists()  # nothing sent before the preview and start


def test_fix_selected_takes_only_the_checked_findings(findings, ops_client, settings):
    settings.BULK_INPROCESS_WORKER = False
    c4 = HealthFinding.objects.get(account_id=ACCOUNT, candidate_id="c-4")
    other = HealthFinding.objects.get(account_id="other")
    ops_client.post(f"{URL}fix/", {"selected": [f"f{c4.pk}", f"f{other.pk}", "c" + "c-3", "fbogus", "c"]})
    job = BulkJob.objects.get()
    assert {row.candidate_id: row.values for row in job.rows.all()} == {
        "c-4": {"phone_numbers": [{"type": "work", "phone": "+441614960001"}]},
    }


def test_fixes_read_in_health_phone_region_are_listed_apart_and_never_in_apply_all(db, ops_client, settings):
    settings.BULK_INPROCESS_WORKER = False
    settings.HEALTH_PHONE_REGION = "GB"
    health_index(
        account_id=ACCOUNT,
        candidates=[
            cand("c-1", country="United Kingdom", phone="020 7946 0000"),  # its own country: certain
            cand("c-2", phone="020 7946 0001"),  # no country: read in GB, a guess
            cand("c-3", country="Narnia", phone="555-1234"),  # read in GB: not valid, no fix
        ],
    )
    summary = ops_client.get(URL).content.decode()
    row = summary.split('<tr data-check="phone_format">')[1].split("</tr>")[0]
    assert '<td class="health-count">3</td>' in row
    assert (
        '<td>1 <span class="muted">(and 1 read in HEALTH_PHONE_REGION, to check one by one)</span></td>'
        in row
    )
    page = ops_client.get(URL, {"check": "phone_format"}).content.decode()
    assert "Apply all 1" in page and "Read as GB numbers: check each one" in page
    certain, guessed = page.split('class="data-table health-findings health-guessed"')
    assert 'data-candidate="c-1"' in certain and 'data-candidate="c-2"' not in certain
    assert '<tr data-candidate="c-2" data-guessed="GB">' in guessed and "+442079460001" in guessed
    assert "Read as a GB number (HEALTH_PHONE_REGION)" in guessed

    ops_client.post(f"{URL}fix/", {"apply_all": "phone_format"})
    job = BulkJob.objects.get()
    assert {row.candidate_id: row.values for row in job.rows.all()} == {"c-1": {"phone": "+442079460000"}}
    # Ticked one by one, a guessed fix is taken: a person checked it.
    c2 = HealthFinding.objects.get(account_id=ACCOUNT, candidate_id="c-2")
    ops_client.post(f"{URL}fix/", {"selected": [f"f{c2.pk}"], "check": "phone_format"})
    job = BulkJob.objects.latest("pk")
    assert {row.candidate_id: row.values for row in job.rows.all()} == {"c-2": {"phone": "+442079460001"}}


def _clusters(*spellings: str) -> None:
    for n, company in enumerate(spellings):
        DirectoryEntry.objects.create(account_id=ACCOUNT, candidate_id=f"k-{n}", company=company)


def test_a_cluster_lists_every_spelling_with_its_count_and_the_proposed_one_picked(db, ops_client):
    _clusters("Societe Generale", "Societe Generale", "Société Générale", "SOCIETE GENERALE SA", "__CLEAR__")
    _clusters()
    DirectoryEntry.objects.create(account_id=ACCOUNT, candidate_id="k-9", company="Clear")
    page = ops_client.get(URL, {"check": "company_cluster"}).content.decode()
    row = page.split('<tr data-cluster="generale societe">')[1].split("</tr>")[0]
    assert (
        '<input type="radio" name="keep:generale societe" value="Societe Generale" checked> '
        '<span class="spelling">Societe Generale</span> (2)'
    ) in row
    assert (
        '<input type="radio" name="keep:generale societe" value="Société Générale"> '
        '<span class="spelling">Société Générale</span> (1)'
    ) in row
    assert '<span class="spelling">SOCIETE GENERALE SA</span> (1)' in row
    clear = page.split('<tr data-cluster="clear">')[1].split("</tr>")[0]
    assert 'value="__CLEAR__" disabled>' in clear
    assert "cannot be kept, it is the bulk marker __CLEAR__, which clears a field" in clear
    assert 'value="Clear" checked>' in clear


def test_apply_this_spelling_creates_a_job_writing_the_picked_spelling_as_written(db, ops_client, settings):
    settings.BULK_INPROCESS_WORKER = False
    _clusters(
        "Societe Generale", "Societe Generale", "Société Générale", "SOCIETE GENERALE SA", "Acme", "ACME"
    )
    response = ops_client.post(
        f"{URL}clusters/",
        {
            "keep:generale societe": "Société Générale",
            "keep:acme": "ACME",
            "apply_cluster": "generale societe",
        },
    )
    job = BulkJob.objects.get()
    assert response["Location"] == f"/bulk/jobs/{job.pk}/"
    assert job.filename == "Data health: company spelling 'Société Générale'"
    assert {row.candidate_id: row.values for row in job.rows.all()} == {
        "k-0": {"company": "Société Générale"},
        "k-1": {"company": "Société Générale"},
        "k-3": {"company": "Société Générale"},
    }  # only that cluster; the spelling kept exactly as written


def test_apply_all_clusters_keeps_the_spelling_picked_in_each(db, ops_client, settings):
    settings.BULK_INPROCESS_WORKER = False
    _clusters("Acme Inc", "Acme Inc", "ACME, Inc.", "Globex", "GLOBEX")
    page = ops_client.get(URL, {"check": "company_cluster"}).content.decode()
    assert "Apply all 2" in page
    ops_client.post(f"{URL}clusters/", {"keep:acme": "ACME, Inc.", "apply_all": "company_cluster"})
    job = BulkJob.objects.get()
    assert {row.candidate_id: row.values for row in job.rows.all()} == {
        "k-0": {"company": "ACME, Inc."},
        "k-1": {"company": "ACME, Inc."},
        "k-4": {"company": "Globex"},  # not posted: the proposed spelling
    }


@pytest.mark.parametrize("keep", ["acme", "__CLEAR__", "Acme\nInc", "Initech"])
def test_a_pick_that_is_not_a_keepable_spelling_creates_no_job(db, ops_client, keep):
    _clusters("Acme Inc", "ACME", "Acme\nInc")
    response = ops_client.post(f"{URL}clusters/", {"keep:acme": keep, "apply_cluster": "acme"}, follow=True)
    assert BulkJob.objects.count() == 0
    assert f"No job was created: {keep!r} is not a spelling of this cluster that can be kept." in (
        response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    )
    assert response.redirect_chain[-1][0] == f"{URL}?check=company_cluster"


def test_ignore_this_cluster_is_remembered_per_account_and_can_be_undone(db, ops_client):
    _clusters("Acme Inc", "Acme Inc", "ACME, Inc.", "Globex", "GLOBEX")
    response = ops_client.post(f"{URL}clusters/", {"ignore": "acme", "keep:acme": "Acme Inc"}, follow=True)
    page = response.content.decode()
    assert "Cluster “Acme Inc” ignored: it no longer shows." in page
    assert '<tr data-cluster="acme">' not in page and '<tr data-cluster="globex">' in page
    assert '<tr data-ignored="acme">' in page and "ops, " in page
    summary = ops_client.get(URL).content.decode()
    assert '<td class="health-count">1</td>' in summary.split('<tr data-check="company_cluster">')[1]
    assert BulkJob.objects.count() == 0
    other = ops_client.get("/accounts/acc-2/health/", {"check": "company_cluster"}).content.decode()
    assert '<tr data-ignored="acme">' not in other
    page = ops_client.post(f"{URL}clusters/", {"show_again": "acme"}, follow=True).content.decode()
    assert '<tr data-cluster="acme">' in page and '<tr data-ignored="acme">' not in page


def test_nothing_selected_creates_no_job_and_says_so(findings, ops_client):
    response = ops_client.post(f"{URL}fix/", {"check": "phone_format"}, follow=True)
    assert BulkJob.objects.count() == 0
    assert "Nothing to fix: select at least one finding" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{URL}?check=phone_format"


def test_the_nav_link_lists_the_accounts_and_the_switcher_opens_one(findings, ops_client, settings):
    # StackOne unreachable here: the accounts the directory and data health hold, by id
    # (tests/product/test_data_health.py: every linked account by name with its counts).
    page = ops_client.get("/health/").content.decode()
    assert f'href="{URL}"' in page and 'href="/accounts/other/health/"' in page
    assert ops_client.get("/health/", {"account": ACCOUNT})["Location"] == URL


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
