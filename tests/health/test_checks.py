"""Each per-candidate check as a table: stored values → finding → suggested fix, and the values
that must not be flagged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from candidates.health.checks import (
    CheckContext,
    _email_problem,
    candidate_findings,
    check_context,
    check_country,
    check_custom_field_type,
    check_email_list,
    check_invalid_email,
    check_name_spacing,
    check_phone_format,
    check_social_link,
    email_plainly_valid,
    fix_value_problem,
)
from candidates.types import Candidate, CustomFieldDefinition


def cand(**fields: Any) -> Candidate:
    return Candidate.from_api({"id": "c-1", **fields})


CTX = CheckContext()  # no definitions, no HEALTH_PHONE_REGION (the default)


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
    assert summary(check_invalid_email(cand(**fields), CTX)) == expected


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
    assert check_invalid_email(cand(email=value, emails=[{"type": "work", "value": value}]), CTX) == []


# -- 2. Email among Emails ----------------------------------------------------------------------


def test_the_email_missing_from_emails_is_appended_with_the_other_rows_kept():
    rows = [{"type": "work", "value": "work@example.com"}]
    [finding] = check_email_list(cand(email="ada@example.com", emails=rows), CTX)
    assert (finding.field, finding.row, finding.value) == ("emails", 1, "ada@example.com")
    assert finding.fix == {"type": "other", "value": "ada@example.com"}
    assert finding.list_value == rows


def test_an_emails_row_repeated_is_reported_without_a_fix():
    rows = [{"type": "work", "value": "a@example.com"}, {"type": "personal", "value": "a@EXAMPLE.com"}]
    assert summary(check_email_list(cand(email="a@example.com", emails=rows), CTX)) == [
        ("email_list", "emails", 1, "a@EXAMPLE.com", None)
    ]


def test_an_invalid_email_missing_from_emails_is_reported_but_not_added():
    [finding] = check_email_list(cand(email="not-an-address", emails=[]), CTX)
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
    assert check_email_list(cand(**fields), CTX) == []


# -- 4. phones ----------------------------------------------------------------------------------

GB = check_context(region="GB")  # an operator set HEALTH_PHONE_REGION=GB


@pytest.mark.parametrize(
    ("stored", "country", "fix"),
    [
        ("+44 20 7946 0000", None, "+442079460000"),  # written with +: certain
        ("+1 202-555-0143", "Germany", "+12025550143"),  # its own country code, whatever the country
        ("0049 1512 3456789", None, "+4915123456789"),  # 00: the international prefix
        ("(+44) 7400 123456", None, "+447400123456"),
        ("07400 123456", "United Kingdom", "+447400123456"),  # the candidate's own country
        ("(202) 555-0143", "US", "+12025550143"),
        ("0423 843 340", "Australia", "+61423843340"),
        ("0151 23456789", "DE", "+4915123456789"),
    ],
)
def test_a_valid_number_whose_country_is_certain_gets_its_e164(stored, country, fix):
    rows = [{"type": "work", "phone": "+442079460000"}, {"type": "mobile", "phone": stored}]
    [finding] = check_phone_format(cand(country=country, phone_numbers=rows), CTX)
    assert (finding.field, finding.row, finding.value) == ("phone_numbers", 1, stored)
    assert finding.fix == {"type": "mobile", "phone": fix}
    assert finding.list_value == rows and finding.guessed_region == ""


@pytest.mark.parametrize(
    ("stored", "country", "note"),
    [
        # A national number without its area code: possible in length, not a valid number.
        ("555-1234", "United States", "Not a valid US number: written without its area code"),
        ("12345", "United Kingdom", "Not a valid GB number"),
        ("+44 7700 900123", None, "Not a valid phone number for its country code"),  # Ofcom's drama range
        ("+44 12", None, "Not a valid phone number"),
        # No country code and no known country: never read in a default region.
        ("07400 123456", None, "Written without its country code (+ or 00), and the candidate's country"),
        ("12345", "Narnia", "Written without its country code"),
        ("call me", "United Kingdom", "Cannot be read as a phone number."),
        # Valid, but E.164 would drop the extension.
        ("+44 20 7946 0099 ext. 12", None, "Has an extension, which E.164 cannot hold"),
        ("020 7946 0099 x 7", "United Kingdom", "Has an extension"),
    ],
)
def test_a_number_that_is_not_valid_or_not_certain_is_reported_without_a_fix(stored, country, note):
    [finding] = check_phone_format(cand(country=country, phone=stored), CTX)
    assert (finding.field, finding.value, finding.fix, finding.list_value) == ("phone", stored, None, None)
    assert finding.note.startswith(note)


def test_a_fix_read_in_health_phone_region_is_marked_as_guessed():
    rows = [{"type": "mobile", "phone": "07400 123456"}]
    [finding] = check_phone_format(cand(country="Narnia", phone_numbers=rows), GB)
    assert finding.fix == {"type": "mobile", "phone": "+447400123456"}
    assert finding.guessed_region == "GB"
    assert "Read as a GB number (HEALTH_PHONE_REGION)" in finding.note
    # The candidate's own country wins over the region, and is certain.
    [own] = check_phone_format(cand(country="Australia", phone="0423 843 340"), GB)
    assert (own.fix, own.guessed_region) == ("+61423843340", "")
    # Written with + or 00, the region plays no part.
    [written] = check_phone_format(cand(phone="0044 20 7946 0000"), GB)
    assert (written.fix, written.guessed_region) == ("+442079460000", "")
    # Even read in the region, a number that is not valid gets no fix.
    [short] = check_phone_format(cand(phone="12345"), GB)
    assert short.fix is None and short.note.startswith("Not a valid GB number")


def test_the_single_phone_field_gets_its_e164_form():
    assert summary(check_phone_format(cand(phone="020 7946 0000", country="gb"), CTX)) == [
        ("phone_format", "phone", None, "020 7946 0000", "+442079460000")
    ]


@pytest.mark.parametrize(
    "value",
    [
        "+447400123456",
        "+12025550143",
        "+4915123456789",
        "",
        None,
    ],
)
def test_e164_numbers_are_not_flagged(value):
    rows = [{"type": "work", "phone": value}]
    assert check_phone_format(cand(phone=value, phone_numbers=rows), GB) == []


# -- 5. names and spaces ------------------------------------------------------------------------

NOT_FIRST_LAST = "Not first name + last name"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"name": "", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "", "Ada Lovelace")],
        ),
        ({"name": None, "first_name": None, "last_name": None}, [("name_spacing", "name", None, "", None)]),
        (
            {"name": "  ", "first_name": "Ada", "last_name": None},
            [("name_spacing", "name", None, "  ", "Ada")],
        ),
        (
            {"name": "Ada  Lovelace ", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "Ada  Lovelace ", "Ada Lovelace")],
        ),
        (
            {"name": "Ada\nLovelace", "first_name": "Ada", "last_name": "Lovelace"},
            [("name_spacing", "name", None, "Ada\nLovelace", "Ada Lovelace")],  # a line break is space
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
def test_only_whitespace_is_fixed_and_an_empty_name_filled_from_first_and_last(fields, expected):
    assert summary(check_name_spacing(cand(**fields), CTX)) == expected


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Ada Augusta Byron", "Ada", "Byron"),  # a middle name
        ("Bill Gates", "William", "Gates"),  # the name the person goes by
        ("Dr Ada Lovelace", "Ada", "Lovelace"),  # a title
        ("María José García López", "María José", "García"),  # two family names
        ("Ada King", "Ada", "Lovelace"),  # even plainly different: a person decides which is right
    ],
)
def test_a_name_unlike_first_and_last_is_reported_and_never_rewritten(name, first, last):
    [finding] = check_name_spacing(cand(name=name, first_name=first, last_name=last), CTX)
    assert (finding.field, finding.value, finding.fix) == ("name", name, None)
    assert finding.note.startswith(f"{NOT_FIRST_LAST} ('{first} {last}'). Reported only")


def test_a_name_unlike_first_and_last_with_doubled_spaces_gets_only_the_whitespace_fix():
    findings = check_name_spacing(cand(name="Ada  Augusta Byron", first_name="Ada", last_name="Byron"), CTX)
    assert summary(findings) == [
        ("name_spacing", "name", None, "Ada  Augusta Byron", None),
        ("name_spacing", "name", None, "Ada  Augusta Byron", "Ada Augusta Byron"),
    ]


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
    assert check_name_spacing(cand(**fields), CTX) == []


# -- what a fix may write -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Acme Inc", None),
        ("+447400123456", None),  # a phone fix in E.164 is + and digits, not a formula
        ("__CLEAR__", "it is the bulk marker __CLEAR__, which clears a field"),
        (" __clear__ ", "it is the bulk marker __CLEAR__, which clears a field"),
        ("Acme\nInc", "it spans lines"),
        ("Acme\u2028Inc", "it spans lines"),
        ('=HYPERLINK("http://x")', "it starts with =, which a spreadsheet runs as a formula"),
        ("+44 cmd", "it starts with +, which a spreadsheet runs as a formula"),
        ("-Acme", "it starts with -, which a spreadsheet runs as a formula"),
        ("@Acme", "it starts with @, which a spreadsheet runs as a formula"),
    ],
)
def test_a_fix_never_writes_a_marker_a_line_break_or_a_formula(value, problem):
    assert fix_value_problem(value) == problem


def test_a_fix_that_would_write_a_formula_or_a_marker_is_reported_without_it():
    [name] = check_name_spacing(cand(name="", first_name="=cmd|' /C calc'!A0", last_name="X"), CTX)
    assert name.fix is None
    assert name.note.startswith("The name is empty. No fix: it would write \"=cmd|' /C calc'!A0 X\"")
    assert name.note.endswith("which a spreadsheet runs as a formula.")
    ada = {"name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace"}
    [company] = check_name_spacing(cand(**ada, company="__CLEAR__  x"), CTX)
    assert company.fix == "__CLEAR__ x"  # collapses to text that is not the marker: fixed
    [title] = check_name_spacing(cand(**ada, title="-  1"), CTX)
    assert title.fix is None and title.note.endswith(
        "it starts with -, which a spreadsheet runs as a formula."
    )
    [email] = check_email_list(cand(email="-x@example.com", emails=[]), CTX)
    assert (email.fix, email.list_value) == (None, None) and "No fix" in email.note


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
    [finding] = check_social_link(cand(social_links=[link]), CTX)
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
    assert check_social_link(cand(social_links=[link]), CTX) == []


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
    [finding] = check_country(cand(country=stored), CTX)
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
    assert check_country(cand(country=value), CTX) == []  # "Spain " is a spacing finding, not a country one


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
WITH_DEFINITIONS = check_context(definitions=DEFINITIONS, region="")


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
    [finding] = check_custom_field_type(
        cand(custom_fields=[{"id": field_id, "value": value}]), WITH_DEFINITIONS
    )
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
    assert (
        check_custom_field_type(cand(custom_fields=[{"id": field_id, "value": value}]), WITH_DEFINITIONS)
        == []
    )


def test_without_definitions_custom_fields_are_not_judged():
    assert check_custom_field_type(cand(custom_fields=[{"id": "cf_n", "value": "x"}]), CTX) == []


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
    findings = candidate_findings(candidate, check_context(definitions=DEFINITIONS, region="GB"))
    by = {(f.check, f.field, f.row): f for f in findings}
    assert by["name_spacing", "name", None].fix is None  # not first + last: reported only
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
