"""Data health reads like a product (issue 25 items 1 and 9): /health/ lists every linked account
by name with its counts (not only those with findings, not by raw id); an account's page names it
and has an account switcher; its findings download as CSV; the candidates sharing an address are
named. Against the sandbox over real HTTP (its accounts are StackOne's GET /accounts)."""

from __future__ import annotations

import csv
import io

from django.test import Client

from sandbox.models import SandboxCandidate
from tests.health.conftest import index_sandbox, sandbox_set

GREENHOUSE = "sbx-greenhouse"
NATIONAL = {"type": "mobile", "phone": "07400 100456"}
URL = f"/accounts/{GREENHOUSE}/health/"


def _rows(page: str) -> dict[str, str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return {row.split('data-account="')[1].split('"')[0]: row for row in body.split("<tr")[1:]}


def test_the_overview_lists_every_account_by_name_with_its_counts(sandbox, ops_client: Client) -> None:
    sandbox_set("c-0002", country="United Kingdom", phone_numbers=[NATIONAL])
    index_sandbox()
    page = ops_client.get("/health/").content.decode()
    rows = _rows(page)
    assert list(rows) == [GREENHOUSE, "sbx-lever", "sbx-workable"]  # active first, by name, as /accounts/
    greenhouse = rows[GREENHOUSE]
    assert (f'<a href="{URL}">Greenhouse (sandbox)</a> <small class="candidate-id"><code>{GREENHOUSE}'
            '</code></small>') in greenhouse
    counts = [part.split(">", 1)[1] for part in greenhouse.split('class="health-count ')[1:]]
    indexed = SandboxCandidate.objects.filter(account_id=GREENHOUSE).count()
    assert counts[0].startswith(f"{indexed}</td>")  # candidates indexed
    assert int(counts[1].split("<")[0]) >= 1 and int(counts[2].split("<")[0]) >= 1
    assert "Lever (sandbox)" in rows["sbx-lever"] and "not indexed yet" in rows["sbx-lever"]
    assert "not active" in rows["sbx-workable"]


def test_an_accounts_page_is_named_and_switches_to_another(sandbox, ops_client: Client) -> None:
    index_sandbox()
    page = ops_client.get(URL).content.decode()
    assert (f'<h1>Data health: Greenhouse (sandbox) <small class="candidate-id"><code>{GREENHOUSE}</code>'
            '</small></h1>') in page
    switcher = page.split('class="account-switcher"')[1].split("</form>")[0]
    assert '<option value="sbx-lever">Lever (sandbox) (sbx-lever)</option>' in switcher
    assert f'<option value="{GREENHOUSE}" selected>' in switcher
    assert ops_client.get("/health/", {"account": "sbx-lever"})["Location"] == "/accounts/sbx-lever/health/"


def test_the_findings_download_as_csv(sandbox, ops_client: Client) -> None:
    sandbox_set("c-0002", country="United Kingdom", phone_numbers=[NATIONAL])
    sandbox_set("c-0003", title="=HYPERLINK(\"x\")  Head")
    index_sandbox()
    response = ops_client.get(f"{URL}export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'attachment; filename="data-health-{GREENHOUSE}.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    phone = next(row for row in rows if row["check"] == "phone_format" and row["candidate_id"] == "c-0002")
    assert phone["field"] == "phone_numbers" and phone["row"] == "1" and phone["value"] == "07400 100456"
    # Neutralised as every CSV of the app is (a bulk upload reads it back without the quote).
    assert phone["suggested_fix"] == "'+447400100456" and phone["candidate_name"]
    title = next(row for row in rows if row["candidate_id"] == "c-0003" and row["field"] == "title")
    assert title["value"].startswith("'=HYPERLINK")  # a formula never runs in a spreadsheet
    only = ops_client.get(f"{URL}export.csv", {"check": "phone_format"})
    assert only["Content-Disposition"].endswith('-phone_format.csv"')
    only_rows = csv.DictReader(io.StringIO(b"".join(only.streaming_content).decode()))
    assert {row["check"] for row in only_rows} == {"phone_format"}


def test_candidates_sharing_an_address_are_named(sandbox, ops_client: Client) -> None:
    sandbox_set("c-0002", email="shared@example.com", emails=[])
    sandbox_set("c-0003", email="Shared@Example.com", emails=[])
    index_sandbox()
    page = ops_client.get(URL, {"check": "duplicate_email"}).content.decode()
    group = page.split("<td>shared@example.com</td>")[1].split("</tr>")[0]
    for cid in ("c-0002", "c-0003"):
        assert f'<small class="candidate-id"><code>{cid}</code></small>' in group
    assert group.count('<span class="candidate-name">') == 2
