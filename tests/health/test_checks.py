"""Each per-candidate check as a table: stored values → finding → suggested fix, and the values
that must not be flagged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from candidates.health.checks import (
    _email_problem,
    candidate_findings,
    check_country,
    check_custom_field_type,
    check_email_list,
    check_invalid_email,
    check_name_spacing,
    check_phone_format,
    check_social_link,
    email_plainly_valid,
)
from candidates.types import Candidate, CustomFieldDefinition


def cand(**fields: Any) -> Candidate:
    return Candidate.from_api({"id": "c-1", **fields})


def summary(findings: list) -> list[tuple]:
    return [(f.check, f.field, f.row, f.value, f.fix) for f in findings]


# -- 1. invalid emails --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"email": "ada@"}, [("invalid_email", "email", None, "ada@", None)]),
        (
            {
                "emails": [
                    {"type": "work", "value": "ok@example.com"},
                    {"type": "work", "value": "two@@example.com"},
                ]
            },
            [("invalid_email", "emails", 1, "two@@example.com", None)],
        ),
        (
            {"email": "ada lovelace@example.com"},
            [("invalid_email", "email", None, "ada lovelace@example.com", None)],
        ),
        ({"email": "<script>@example.com"}, [("invalid_email", "email", None, "<script>@example.com", None)]),
    ],
)
def test_invalid_emails_are_reported_never_fixed(fields, expected):
    assert summary(check_invalid_email(cand(**fields))) == expected


@pytest.mark.parametrize(
    "value",
    [
        "ada@example.com",
        "Jose.Nunez@Example.COM",
        "zoë@exämple.de",
        "用户@例子.广告",
        "a+tag@sub.example.co.uk",
    ],
)
def test_valid_addresses_are_not_flagged(value):
    assert check_invalid_email(cand(email=value, emails=[{"type": "work", "value": value}])) == []


# -- 2. Email among Emails ----------------------------------------------------------------------


def test_the_email_missing_from_emails_is_appended_with_the_other_rows_kept():
    rows = [{"type": "work", "value": "work@example.com"}]
    [finding] = check_email_list(cand(email="ada@example.com", emails=rows))
    assert (finding.field, finding.row, finding.value) == ("emails", 1, "ada@example.com")
    assert finding.fix == {"type": "other", "value": "ada@example.com"}
    assert finding.list_value == rows


def test_an_emails_row_repeated_is_reported_without_a_fix():
    rows = [{"type": "work", "value": "a@example.com"}, {"type": "personal", "value": "a@EXAMPLE.com"}]
    assert summary(check_email_list(cand(email="a@example.com", emails=rows))) == [
        ("email_list", "emails", 1, "a@EXAMPLE.com", None)
    ]


def test_an_invalid_email_missing_from_emails_is_reported_but_not_added():
    [finding] = check_email_list(cand(email="not-an-address", emails=[]))
    assert finding.fix is None and "Not added" in finding.note


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "a@example.com", "emails": [{"type": "work", "value": "a@example.com"}]},
        {"email": "a@Example.com", "emails": [{"type": "work", "value": "a@example.com"}]},  # domain case
        {
            "email": "Jose@x.com",
            "emails": [{"type": "work", "value": "Jose@x.com"}, {"type": "o", "value": "jose@x.com"}],
        },
        {"email": None, "emails": []},
    ],
)
def test_consistent_emails_are_not_flagged(fields):
    assert check_email_list(cand(**fields)) == []


# -- 4. phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "region", "fix"),
    [
        ("+44 7700 900123", "GB", "+447700900123"),
        ("07700 900123", "GB", "+447700900123"),
        ("(202) 555-0143", "US", "+12025550143"),
        ("+1 202-555-0143", "GB", "+12025550143"),
        ("0049 1512 3456789", "GB", "+4915123456789"),  # 00: the GB international prefix
        ("07700 900123", "", None),  # no default region: a national number is not guessed
        ("call me", "GB", None),
        ("+44 12", "GB", None),
    ],
)
def test_phone_numbers_not_in_e164(stored, region, fix):
    rows = [{"type": "work", "phone": "+442079460000"}, {"type": "mobile", "phone": stored}]
    [finding] = check_phone_format(cand(phone_numbers=rows), region)
    assert (finding.field, finding.row, finding.value) == ("phone_numbers", 1, stored)
    if fix is None:
        assert finding.fix is None and finding.note.startswith("Cannot be read")
    else:
        assert finding.fix == {"type": "mobile", "phone": fix}
        assert finding.list_value == rows


@pytest.mark.parametrize(
    ("country", "stored", "fix"),
    [
        ("Australia", "0423 843 340", "+61423843340"),
        ("DE", "0151 23456789", "+4915123456789"),
        ("Narnia", "07700 900123", "+447700900123"),  # not a country: the default region
    ],
)
def test_a_national_number_is_read_in_the_candidates_country(country, stored, fix):
    [finding] = check_phone_format(cand(country=country, phone=stored), "GB")
    assert finding.fix == fix


def test_the_single_phone_field_gets_its_e164_form():
    assert summary(check_phone_format(cand(phone="020 7946 0000"), "GB")) == [
        ("phone_format", "phone", None, "020 7946 0000", "+442079460000")
    ]


@pytest.mark.parametrize(
    "value",
    [
        "+447700900123",
        "+12025550143",
        "+4915123456789",
        "",
        None,
    ],
)
def test_e164_numbers_are_not_flagged(value):
    assert check_phone_format(cand(phone=value, phone_numbers=[{"type": "work", "phone": value}]), "GB") == []


# -- 5. names and spaces ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"name": "Ada King", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "Ada King", "Ada Lovelace")],
        ),
        (
            {"name": "", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "", "Ada Lovelace")],
        ),
        ({"name": None, "first_name": None, "last_name": None}, [("name_spacing", "name", None, "", None)]),
        (
            {"name": "Ada  Lovelace ", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "Ada  Lovelace ", "Ada Lovelace")],
        ),
        (
            {
                "name": "Ada Lovelace",
                "first_name": " Ada",
                "last_name": "Lovelace",
                "company": "Acme\u00a0 Ltd",
                "title": "Engineer\t",
            },
            # leading/trailing only: reported without a fix (the app compares text trimmed: "no change")
            [
                ("name_spacing", "first_name", None, " Ada", None),
                ("name_spacing", "company", None, "Acme\u00a0 Ltd", "Acme Ltd"),
                ("name_spacing", "title", None, "Engineer\t", None),
            ],
        ),
    ],
)
def test_a_name_unlike_first_and_last_and_stray_spaces_are_reported_with_a_fix_where_safe(fields, expected):
    assert summary(check_name_spacing(cand(**fields))) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace"},
        {"name": "Ada Lovelace", "first_name": "Ada", "last_name": None},  # nothing safe to compare with
        {"name": "李小龙", "first_name": "小龙", "last_name": "李"},  # family name first, no space
        {"name": "Ōtani Shōhei", "first_name": "Shōhei", "last_name": "Ōtani"},
        {
            "name": "Zoë Ångström",
            "first_name": "Zoë",
            "last_name": "Ångström",
            "company": "Smith & Sons <Holdings>",
        },
    ],
)
def test_good_names_are_not_flagged(fields):
    assert check_name_spacing(cand(**fields)) == []


# -- 6. social links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "note"),
    [
        (
            {"type": "linkedin", "url": "https://github.com/ada"},
            "Type linkedin but the address is on github.com.",
        ),
        ({"type": "github", "url": "javascript:alert(1)"}, "The address is not an http(s) URL."),
        ({"type": "website", "url": "ftp://example.com/cv"}, "The address is not an http(s) URL."),
        (
            {"type": "twitter", "url": "https://evil-twitter.com/ada"},
            "Type twitter but the address is on evil-twitter.com.",
        ),
        ({"type": "linkedin", "url": "http://[::1"}, "The address is not a URL."),
        (
            {"type": "linkedin", "url": "https://linkedin.com@github.com/x"},
            "Type linkedin but the address is on github.com.",
        ),
        (
            {"type": "github", "url": "https://github.com.evil.example/ada"},
            "Type github but the address is on github.com.evil.example.",
        ),
    ],
)
def test_social_links_are_reported(link, note):
    [finding] = check_social_link(cand(social_links=[link]))
    assert (finding.row, finding.value, finding.note, finding.fix) == (0, link["url"], note, None)


@pytest.mark.parametrize(
    "link",
    [
        {"type": "linkedin", "url": "https://www.linkedin.com/in/ada"},
        {"type": "LinkedIn", "url": "https://uk.linkedin.com/in/ada"},
        {"type": "twitter", "url": "https://x.com/ada"},
        {"type": "linkedin", "url": "HTTPS://WWW.LINKEDIN.COM:443/in/ada"},
        {"type": "portfolio", "url": "https://ada.dev"},
        {"type": None, "url": "http://example.com"},
    ],
)
def test_matching_social_links_are_not_flagged(link):
    assert check_social_link(cand(social_links=[link])) == []


# -- 7. countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "fix"),
    [
        ("GB", "United Kingdom"),
        ("gbr", "United Kingdom"),
        ("uk", "United Kingdom"),
        ("united states", "United States"),
        ("TURKEY", "Turkey"),
        ("RU", "Russian Federation"),
        ("DE", "Germany"),
        ("iran, islamic republic of", "Iran"),
        ("IRN", "Iran"),
        ("Narnia", None),
        ("<b>France</b>", None),
    ],
)
def test_countries_not_written_as_a_name(stored, fix):
    [finding] = check_country(cand(country=stored))
    assert (finding.value, finding.fix) == (stored, fix)
    assert finding.note == (f"Means {fix}." if fix else "Not recognised as a country name or code.")


@pytest.mark.parametrize(
    "value",
    [
        "United Kingdom",
        "Germany",
        "Iran",
        "Iran, Islamic Republic of",
        "United States of America",
        "Czechia",
        "Turkey",
        "Russia",
        "Ireland",
        "",
        None,
        "Spain ",
    ],
)
def test_country_names_are_not_flagged(value):
    assert check_country(cand(country=value)) == []  # "Spain " is a spacing finding, not a country one


# -- 9. custom fields ---------------------------------------------------------------------------

DEFINITIONS = [
    CustomFieldDefinition("cf_n", "r_n", "Notice period", "integer"),
    CustomFieldDefinition("cf_s", "r_s", "Salary", "float"),
    CustomFieldDefinition("cf_b", "r_b", "Relocate", "boolean"),
    CustomFieldDefinition("cf_d", "r_d", "Available from", "date"),
    CustomFieldDefinition(
        "cf_o",
        "r_o",
        "Stage",
        "single_select",
        ({"id": "opt_1", "value": "Not Started"}, {"id": "opt_2", "value": "Completed"}),
    ),
    CustomFieldDefinition(
        "cf_m",
        "r_m",
        "Skills",
        "multi_select",
        ({"id": "py", "value": "Python"}, {"id": "sql", "value": "SQL"}),
    ),
    CustomFieldDefinition("cf_t", "r_t", "Notes", "text"),
]


@pytest.mark.parametrize(
    ("field_id", "value", "note"),
    [
        ("cf_n", "thirty", "Notice period (integer): Not a whole number."),
        ("cf_n", 2.5, "Notice period (integer): Not a whole number."),
        ("cf_n", True, "Notice period (integer): Not a whole number."),
        ("cf_s", "71k", "Salary (float): Not a number."),
        ("cf_b", "yes", "Relocate (boolean): Not true or false."),
        ("cf_d", "next week", "Available from (date): Not a date."),
        ("cf_o", "Done", "Stage (single_select): Not among the field's options."),
        ("cf_m", ["Python", "Cobol"], "Skills (multi_select): Not among the field's options: Cobol"),
        ("cf_m", "Python", "Skills (multi_select): Not a list."),
        ("cf_t", 12, "Notes (text): Not text."),
    ],
)
def test_custom_field_values_of_the_wrong_type(field_id, value, note):
    [finding] = check_custom_field_type(cand(custom_fields=[{"id": field_id, "value": value}]), DEFINITIONS)
    assert (finding.field, finding.row, finding.note, finding.fix) == ("custom_fields", 0, note, None)


@pytest.mark.parametrize(
    ("field_id", "value"),
    [
        ("cf_n", 30),
        ("cf_n", 30.0),
        ("cf_s", 71250.5),
        ("cf_s", 3),
        ("cf_b", False),
        ("cf_d", "2024-09-01"),
        ("cf_d", "2024-09-01T00:00:00.000Z"),
        ("cf_o", "Completed"),
        ("cf_o", "opt_1"),
        ("cf_m", ["Python", "SQL"]),
        ("cf_t", "anything"),
        ("cf_n", None),
        ("cf_unknown", "whatever"),
    ],
)
def test_custom_field_values_that_fit(field_id, value):
    assert check_custom_field_type(cand(custom_fields=[{"id": field_id, "value": value}]), DEFINITIONS) == []


def test_without_definitions_custom_fields_are_not_judged():
    assert check_custom_field_type(cand(custom_fields=[{"id": "cf_n", "value": "x"}]), None) == []


# -- hostile values -----------------------------------------------------------------------------


def test_hostile_values_are_reported_as_they_are_and_never_crash():
    huge = "x" * 10_000
    candidate = cand(
        name="<img src=x onerror=alert(1)>",
        first_name="Ada",
        last_name="Lovelace",
        email=huge + "@example.com",
        emails=[{"type": "work", "value": "\u202eevil@example.com"}],
        phone="\u0661\u0662\u0663" + "9" * 10_000,
        phone_numbers=[{"type": "x", "phone": "+44\u200b7700900123"}],
        company=" " + huge + " ",
        country="\x00GB",
        title="Ω\u0301  x",
        social_links=[{"type": "github", "url": "https://github.com/" + huge}],
    )
    findings = candidate_findings(candidate, DEFINITIONS, region="GB")
    by = {(f.check, f.field, f.row): f for f in findings}
    assert by["name_spacing", "name", None].fix == "Ada Lovelace"
    assert by["invalid_email", "email", None].value == huge + "@example.com"
    assert by["phone_format", "phone", None].fix is None  # 10 kB of digits: not parsed, reported
    assert by["name_spacing", "company", None].fix is None  # trailing spaces only
    assert by["name_spacing", "title", None].fix == "Ω\u0301 x"
    assert by["country", "country", None].fix is None
    assert all(len(f.note) <= 500 for f in findings)
    assert ("social_link", "social_links", 0) not in by


# -- the fast path for plain addresses ------------------------------------------------------------


ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-"
_atom = st.text(ATEXT, min_size=1, max_size=12)
_label = st.text("abzAZ09-", min_size=1, max_size=12)
_addresses = st.builds(
    lambda local, labels, tld: ".".join(local) + "@" + ".".join([*labels, tld]),
    st.lists(_atom, min_size=1, max_size=4),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["com", "de", "test", "local", "museum", "co", "x", "INVALID", "onion"]),
)


@settings(max_examples=500, deadline=None)
@given(_addresses)
def test_the_fast_path_never_accepts_what_email_validator_rejects(value):
    if email_plainly_valid(value):
        assert _email_problem(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "a@xn--zz.com",
        "a@b.test",
        "a@localhost.localhost",
        "a@ab--cd.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "a.@example.com",
    ],
)
def test_lookalikes_leave_the_fast_path_for_the_full_check(value):
    assert not email_plainly_valid(value)
