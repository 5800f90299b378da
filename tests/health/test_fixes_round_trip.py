"""The safe fixes: ``candidates_health --fixes FILE`` writes a CSV that ``bulk_update`` takes as
it is, with the exact PATCH bodies (whole lists, the other rows kept); the saved rows refresh
the findings, so the fixed candidates leave the list."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.directory.models import DirectoryEntry
from candidates.health.checks import Finding
from candidates.health.fixes import fixes_combine, fixes_csv
from candidates.health.models import HealthFinding
from tests.health.conftest import ACCOUNT, index_sandbox, sandbox_set


def _run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def _bad_data() -> None:
    sandbox_set(
        "c-0002",
        country="United Kingdom",
        phone_numbers=[
            {"type": "mobile", "phone": "07400 100456"},
            {"type": "work", "phone": "+442079460000"},
            {"type": "home", "phone": "+44 20 7946 0001"},
        ],
    )
    sandbox_set(
        "c-0003",
        country="United Kingdom",
        phone_numbers=[
            {"type": "mobile", "phone": "07400 100789"},
            {"type": "home", "phone": "not a number"},
        ],
    )
    sandbox_set("c-0005", title="Head  of   Research")
    sandbox_set("c-0006", email="ada6@example.com", emails=[{"type": "work", "value": "w6@example.com"}])
    sandbox_set("c-0007", country="gb")
    sandbox_set("c-0008", company="GLOBEX, Inc.")
    sandbox_set("c-0009", country="United Kingdom", phone="020 7946 0017")  # a cell starting with +


def test_the_fixes_csv_goes_through_bulk_update_with_the_exact_bodies(sandbox, patch_log, tmp_path: Path):
    _bad_data()
    index_sandbox()
    fixes = tmp_path / "fixes.csv"
    output = _run("candidates_health", "--account", ACCOUNT, "--fixes", str(fixes))
    assert "phone_format: 5 finding(s), 4 with a fix" in output
    # Each candidate named; values between quotes as people write them, not Python's repr (issue 25).
    names = dict(DirectoryEntry.objects.filter(account_id=ACCOUNT).values_list("candidate_id", "name"))
    assert (
        f"  c-0002 ({names['c-0002']}) phone_numbers row 1: “07400 100456”: Not in E.164 (read as a GB "
        "number: the candidate's country). → “+447400100456”" in output
    )
    assert (f"  c-0003 ({names['c-0003']}) phone_numbers row 2: “not a number”: Cannot be read as a phone "
            "number.\n") in output
    assert "name_spacing: 2 finding(s), 1 with a fix" in output
    assert f"  c-0016 ({names['c-0016']}) company: " in output and "Leading or trailing spaces." in output
    assert "company_cluster: 1 finding(s), 1 with a fix" in output
    assert f"Fixes: 7 candidate row(s) written to {fixes}. Apply with: manage.py bulk_update" in output

    lines = list(csv.reader(fixes.open(encoding="utf-8")))
    assert lines[0] == ["id", "emails", "phone_numbers", "phone", "company", "title", "country"]
    assert [line[0] for line in lines[1:]] == [
        "c-0006",
        "c-0002",
        "c-0003",
        "c-0009",
        "c-0005",
        "c-0007",
        "c-0008",
    ]
    assert lines[3][2] == json.dumps(
        [{"type": "mobile", "phone": "+447400100789"}, {"type": "home", "phone": "not a number"}]
    )  # other rows as they were
    assert lines[4] == ["c-0009", "", "", "'+442079460017", "", "", ""]  # neutralised as every export is
    assert lines[6] == ["c-0007", "", "", "", "", "", "United Kingdom"]  # only the changed cells filled

    result = _run("bulk_update", str(fixes), "--account", ACCOUNT)
    # A list is sent whole and checked with the edit page's rules: an unreadable row that a
    # fix keeps makes that candidate's row invalid (shown, never sent).
    assert (
        "line 4 (c-0003) column C (phone_numbers): item 2: phone: This is not a phone number"
        in result
    )
    assert "7 rows: 6 valid, 1 invalid (never sent)." in result
    assert "saved 6, failed 0, unknown 0, not sent 0, no change 0, invalid 1." in result
    expected = [
        {
            "emails": [
                {"type": "work", "value": "w6@example.com"},
                {"type": "other", "value": "ada6@example.com"},
            ]
        },
        {
            "phone_numbers": [
                {"type": "mobile", "phone": "+447400100456"},
                {"type": "work", "phone": "+442079460000"},
                {"type": "home", "phone": "+442079460001"},
            ]
        },
        {"phone": "+442079460017"},  # read back without the neutralising quote
        {"title": "Head of Research"},
        {"country": "United Kingdom"},
        {"company": "Globex"},
    ]
    assert sorted(map(json.dumps, patch_log.bodies)) == sorted(map(json.dumps, expected))

    # Each saved row refreshed its candidate's findings: the fixed candidates left the list.
    left = set(
        HealthFinding.objects.filter(account_id=ACCOUNT).values_list("candidate_id", "check_name", "field")
    )
    assert left == {("c-0003", "phone_format", "phone_numbers"), ("c-0016", "name_spacing", "company")}
    after = _run("candidates_health", "--account", ACCOUNT, "--check", "phone_format", "--fixes", str(fixes))
    assert after.startswith("phone_format: 2 finding(s), 1 with a fix")
    assert [line[0] for line in csv.reader(fixes.open(encoding="utf-8"))] == ["id", "c-0003"]


def test_the_fixes_csv_parses_as_the_bulk_parser_reads_any_csv():
    findings = [
        Finding(
            "phone_format",
            "c-1",
            "phone_numbers",
            0,
            "020 7946 0000",
            "",
            {"type": "work", "phone": "+442079460000"},
            [{"type": "work", "phone": "020 7946 0000"}, {"type": None, "phone": "+441614960000"}],
        ),
        Finding("name_spacing", "c-1", "title", None, "Chief  Officer", "", "Chief Officer"),
        Finding("name_spacing", 'c/2,"x"', "name", None, "", "", 'Zoë "Z" <Ångström>, Jr.'),
        Finding("invalid_email", "c-3", "email", None, "x@", "", None),  # no fix: not in the file
    ]
    parsed = bulk_csv_parse(fixes_csv(findings))
    assert parsed.columns == ("id", "name", "phone_numbers", "title")
    assert [(row.candidate_id, row.values, row.errors) for row in parsed.rows] == [
        (
            "c-1",
            {
                "phone_numbers": [
                    {"type": "work", "phone": "+442079460000"},
                    {"type": None, "phone": "+441614960000"},
                ],
                "title": "Chief Officer",
            },
            (),
        ),
        ('c/2,"x"', {"name": 'Zoë "Z" <Ångström>, Jr.'}, ()),
    ]


def test_selected_rows_of_one_list_combine_and_the_others_stay():
    base = [{"type": "a", "phone": "1"}, {"type": "b", "phone": "2"}, {"type": "c", "phone": "3"}]
    one, three = {"type": "a", "phone": "+441614960001"}, {"type": "c", "phone": "+441614960003"}
    first = Finding("phone_format", "c-1", "phone_numbers", 0, "1", "", one, base)
    third = Finding("phone_format", "c-1", "phone_numbers", 2, "3", "", three, base)
    assert fixes_combine([first, third]) == {
        "c-1": {"phone_numbers": [one, {"type": "b", "phone": "2"}, three]}
    }
    assert fixes_combine([third]) == {
        "c-1": {"phone_numbers": [{"type": "a", "phone": "1"}, {"type": "b", "phone": "2"}, three]}
    }
    assert fixes_csv([]) == b""


def test_a_stored_fix_that_may_not_be_written_is_left_out_of_every_job_and_file():
    # Findings stored before a rule changed are checked again when fixes are combined.
    findings = [
        Finding("company_cluster", "c-1", "company", None, "Acme", "", "__CLEAR__"),
        Finding("company_cluster", "c-2", "company", None, "Acme", "", "Acme\nInc"),
        Finding("name_spacing", "c-3", "name", None, "", "", "=HYPERLINK(1)"),
        Finding("phone_format", "c-4", "phone", None, "020", "", "+442079460000"),
    ]
    assert fixes_combine(findings) == {"c-4": {"phone": "+442079460000"}}
