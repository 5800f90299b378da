"""The sandbox's StackOne API: auth, accounts, listing, filters, cursors, get and errors."""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.conf import settings

from sandbox.models import SandboxCandidate
from sandbox.seed import ADA_ID, GREENHOUSE, LEVER, SLASH_ID, WORKABLE
from sandbox.store import iso
from tests.sandbox.helpers import CANDIDATES_URL, body_of
from tests.sandbox_support import api_headers

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

ADA_CANDIDATE = {
    "id": "c-0001",
    "remote_id": "gh-cand-10001",
    "unified_custom_fields": None,
    "name": "Ada Lovelace",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "emails": [
        {"type": "personal", "value": "ada@example.com"},
        {"type": "work", "value": "ada.lovelace@analytical.example"},
    ],
    "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada-lovelace"}],
    "phone": None,
    "phone_numbers": [
        {"type": "mobile", "phone": "+447700900123"},
        {"type": "work", "phone": "+442079460000"},
    ],
    "company": "Analytical Engines Ltd",
    "title": "Mathematician",
    "application_ids": ["app-0001-a", "app-0001-b"],
    "remote_application_ids": ["gh-app-90001", "gh-app-90002"],
    "hired_at": None,
    "country": "United Kingdom",
    "tags": [{"remote_id": "tag-analytical", "name": "Analytical"}],
    "created_at": "2024-01-08T09:00:00.000Z",
    "updated_at": "2024-06-01T10:00:00.000Z",
}
ADA_CUSTOM_FIELDS = [
    {
        "id": "cf_notice_period",
        "remote_id": "r_cf_notice",
        "name": "Notice period (days)",
        "value": 30,
        "value_id": None,
        "remote_value_id": None,
    },
    {
        "id": "cf_relocate",
        "remote_id": "r_cf_relocate",
        "name": "Willing to relocate",
        "value": True,
        "value_id": None,
        "remote_value_id": None,
    },
    {
        "id": "cf_stage",
        "remote_id": "r_cf_stage",
        "name": "Screening status",
        "value": "Completed",
        "value_id": None,
        "remote_value_id": None,
    },
]


def _without_timestamp(body: dict) -> dict:
    assert TIMESTAMP.match(body["timestamp"]), body["timestamp"]
    return {key: value for key, value in body.items() if key != "timestamp"}


def _ids(body: dict) -> list[str]:
    return [item["id"] for item in body["data"]]


# --- authentication and linked-account checks ----------------------------------------------


def _basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.mark.parametrize(
    "authorization",
    [
        lambda key: None,
        lambda key: _basic("wrong-key:"),
        lambda key: f"Bearer {key}",
        lambda key: "Basic not-base64!!",
        lambda key: _basic(f":{key}"),  # key as password: wrong side
        # The key published by earlier versions opens nothing: each install makes its own.
        lambda key: _basic("sandbox-local-key:"),
        lambda key: _basic(":"),  # an empty key
    ],
)
@pytest.mark.parametrize("path", ["/sandbox/accounts", CANDIDATES_URL, f"{CANDIDATES_URL}/c-0001"])
def test_requests_without_the_sandbox_key_get_401(client, seeded, authorization, path):
    extra = {"HTTP_X_ACCOUNT_ID": GREENHOUSE}
    header = authorization(settings.SANDBOX_API_KEY)
    if header:
        extra["HTTP_AUTHORIZATION"] = header
    response = client.get(path, **extra)
    assert response.status_code == 401
    spec = "core" if path == "/sandbox/accounts" else "ats"
    assert _without_timestamp(body_of(response, "UnauthorizedResponse", spec)) == {
        "statusCode": 401,
        "message": "Unauthorized",
    }
    assert response["WWW-Authenticate"].startswith("Basic")


def test_password_is_ignored_like_stackone(client, seeded):
    token = base64.b64encode(f"{settings.SANDBOX_API_KEY}:anything".encode()).decode()
    response = client.get("/sandbox/accounts", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200


@pytest.mark.parametrize("account_id", [None, "", "no-such-account"])
def test_missing_or_unknown_account_is_404(api, seeded, account_id):
    headers = api_headers()
    if account_id is not None:
        headers["HTTP_X_ACCOUNT_ID"] = account_id
    response = api.client.get(CANDIDATES_URL, **headers)
    assert response.status_code == 404
    assert _without_timestamp(body_of(response, "NotFoundResponse")) == {
        "statusCode": 404,
        "message": "Invalid account ID",
    }


@pytest.mark.parametrize(
    "path",
    [CANDIDATES_URL, f"{CANDIDATES_URL}/wk-0001", "/sandbox/unified/ats/custom_field_definitions/candidates"],
)
def test_inactive_account_is_412(api, seeded, path):
    response = api.get(path, account_id=WORKABLE)
    assert response.status_code == 412
    assert _without_timestamp(body_of(response, "PreconditionFailedResponse")) == {
        "statusCode": 412,
        "message": "Precondition failed: linked account is inactive, not active.",
    }


def test_inactive_account_refuses_patch_too(api, seeded):
    response = api.patch(f"{CANDIDATES_URL}/wk-0001", {"first_name": "X"}, account_id=WORKABLE)
    assert response.status_code == 412
    assert SandboxCandidate.objects.get(candidate_id="wk-0001").data["first_name"] != "X"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("delete", f"{CANDIDATES_URL}/c-0001", "GET, PATCH"),
        ("post", CANDIDATES_URL, "GET"),
        ("put", f"{CANDIDATES_URL}/c-0001", "GET, PATCH"),
        ("post", "/sandbox/accounts", "GET"),
    ],
)
def test_methods_not_allowed_are_405_json(api, seeded, method, path, allow):
    response = getattr(api.client, method)(path, **api.headers())
    assert response.status_code == 405
    assert response["Allow"] == allow
    body = response.json()
    assert _without_timestamp(body) == {
        "statusCode": 405,
        "message": f"Method {method.upper()} is not allowed here",
    }


# --- accounts ------------------------------------------------------------------------------


def test_accounts_is_a_bare_array_of_linked_accounts(client, seeded):
    response = client.get("/sandbox/accounts", **api_headers())  # no x-account-id needed
    assert response.status_code == 200
    body = body_of(response, "LinkedAccount[]", "core")
    assert [a["id"] for a in body] == [GREENHOUSE, LEVER, WORKABLE]
    assert body[0] == {
        "id": "sbx-greenhouse",
        "provider": "greenhouse",
        "provider_name": "Greenhouse",
        "status": "active",
        "status_reasons": [],
        "origin_owner_id": "org-acme-eu",
        "origin_owner_name": "Acme Recruiting Ltd",
        "origin_username": "talent@acme.example",
        "credentials": None,
        "setup_information": None,
        "label": "Greenhouse (sandbox)",
        "type": "test",
        "created_at": "2024-01-02T09:00:00.000Z",
        "updated_at": "2024-01-02T09:00:00.000Z",
    }
    assert body[2]["status"] == "inactive"
    assert body[2]["status_reasons"] == [
        {"code": "inactive", "description": "Account is inactive", "timestamp": "2024-02-01T09:00:00.000Z"}
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=active", [GREENHOUSE, LEVER]),
        ("status=inactive", [WORKABLE]),
        ("status=active&status=inactive", [GREENHOUSE, LEVER, WORKABLE]),
        ("status=active,inactive", [GREENHOUSE, LEVER, WORKABLE]),
        ("status=suspended", []),
        ("providers=lever", [LEVER]),
        ("account_ids=sbx-workable,sbx-lever", [LEVER, WORKABLE]),
    ],
)
def test_accounts_are_filtered_by_status_provider_and_id(client, seeded, query, expected):
    response = client.get(f"/sandbox/accounts?{query}", **api_headers())
    assert [a["id"] for a in body_of(response, "LinkedAccount[]", "core")] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page_size=2", [GREENHOUSE, LEVER]),
        ("page_size=2&page=2", [WORKABLE]),
        ("page_size=2&page=3", []),
        ("page=1&page_size=1&status=active", [GREENHOUSE]),
        ("page_size=100", [GREENHOUSE, LEVER, WORKABLE]),
    ],
)
def test_accounts_honour_page_size_and_page(client, seeded, query, expected):
    response = client.get(f"/sandbox/accounts?{query}", **api_headers())
    assert [a["id"] for a in body_of(response, "LinkedAccount[]", "core")] == expected


@pytest.mark.parametrize("query", ["page_size=0", "page_size=two", "page=0", "page=-1"])
def test_accounts_refuse_a_bad_page_or_page_size(client, seeded, query):
    response = client.get(f"/sandbox/accounts?{query}", **api_headers())
    assert response.status_code == 400
    message = body_of(response, "BadRequestResponse", "core")["message"]
    assert message.endswith("must be a whole number of at least 1")


def test_one_linked_account_is_read_by_id_and_an_unknown_id_is_a_404(client, seeded):
    response = client.get("/sandbox/accounts/sbx-lever", **api_headers())
    assert body_of(response, "LinkedAccount", "core")["label"] == "Lever (sandbox)"
    missing = client.get("/sandbox/accounts/nope", **api_headers())
    assert missing.status_code == 404
    body_of(missing, "NotFoundResponse", "core")


# --- list candidates -----------------------------------------------------------------------


def test_list_defaults_to_25_in_stable_order_without_custom_fields(api, seeded):
    response = api.get(CANDIDATES_URL)
    assert response.status_code == 200
    body = body_of(response, "CandidatesPaginated")
    assert set(body) == {"next", "data"}
    assert len(body["data"]) == 25
    assert body["next"]
    expected = list(
        SandboxCandidate.objects.filter(account_id=GREENHOUSE)
        .order_by("created_at", "candidate_id")
        .values_list("candidate_id", flat=True)[:25]
    )
    assert _ids(body) == expected
    assert body["data"][0] == ADA_CANDIDATE  # custom_fields absent unless include=custom_fields
    assert all("custom_fields" not in item for item in body["data"])


def test_include_custom_fields_adds_them_to_every_listed_and_single_candidate(api, seeded):
    body = body_of(
        api.get(CANDIDATES_URL, {"include": "custom_fields", "page_size": "2"}), "CandidatesPaginated"
    )
    assert body["data"][0]["custom_fields"] == ADA_CUSTOM_FIELDS
    assert all("custom_fields" in item for item in body["data"])
    single = body_of(api.get(f"{CANDIDATES_URL}/{ADA_ID}", {"include": "custom_fields"}), "CandidateResult")
    assert single == {"data": {**ADA_CANDIDATE, "custom_fields": ADA_CUSTOM_FIELDS}}


def test_fields_returns_only_the_named_properties(api, seeded):
    body = body_of(
        api.get(CANDIDATES_URL, {"fields": "id,first_name,emails", "page_size": "1"}), "CandidatesPaginated"
    )
    assert body["data"] == [{"id": "c-0001", "first_name": "Ada", "emails": ADA_CANDIDATE["emails"]}]


@pytest.mark.parametrize("page_size", ["1", "7", "25", "100"])
def test_cursor_walk_returns_every_candidate_exactly_once(api, seeded, page_size):
    seen: list[str] = []
    params = {"page_size": page_size}
    pages = 0
    while True:
        body = body_of(api.get(CANDIDATES_URL, params), "CandidatesPaginated")
        pages += 1
        assert len(body["data"]) <= int(page_size)
        seen += _ids(body)
        if not body["next"]:
            break
        assert len(body["data"]) == int(page_size)
        params = {"page_size": page_size, "next": body["next"]}
    expected = list(
        SandboxCandidate.objects.filter(account_id=GREENHOUSE)
        .order_by("created_at", "candidate_id")
        .values_list("candidate_id", flat=True)
    )
    assert len(expected) == 64
    assert seen == expected
    assert pages == -(-64 // int(page_size))


def test_cursor_walk_survives_edits_between_pages(api, seeded):
    first = body_of(api.get(CANDIDATES_URL, {"page_size": "10"}), "CandidatesPaginated")
    # An edit to a row already served and one not yet served.
    assert api.patch(f"{CANDIDATES_URL}/c-0002", {"title": "Edited"}).status_code == 200
    assert api.patch(f"{CANDIDATES_URL}/c-0050", {"title": "Edited"}).status_code == 200
    seen = _ids(first)
    cursor = first["next"]
    while cursor:
        body = body_of(api.get(CANDIDATES_URL, {"page_size": "10", "next": cursor}), "CandidatesPaginated")
        seen += _ids(body)
        cursor = body["next"]
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 64


def test_tied_created_at_is_broken_by_id(api, seeded):
    c10 = SandboxCandidate.objects.get(candidate_id="c-0010")
    c11 = SandboxCandidate.objects.get(candidate_id="c-0011")
    assert c10.created_at == c11.created_at
    ids = []
    params = {"page_size": "1"}
    while True:
        body = api.get(CANDIDATES_URL, params).json()
        ids += _ids(body)
        if not body["next"]:
            break
        params["next"] = body["next"]
    assert ids.index("c-0011") == ids.index("c-0010") + 1


@pytest.mark.parametrize("page_size", ["0", "101", "-5", "abc", "2.5"])
def test_page_size_out_of_bounds_is_400(api, seeded, page_size):
    response = api.get(CANDIDATES_URL, {"page_size": page_size})
    assert response.status_code == 400
    assert _without_timestamp(body_of(response, "BadRequestResponse")) == {
        "statusCode": 400,
        "message": "page_size must be an integer between 1 and 100",
        "data": {
            "statusCode": 400,
            "message": "page_size must be an integer between 1 and 100",
            "headers": {},
        },
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        base64.urlsafe_b64encode(b'{"after": 5}').decode(),
        base64.urlsafe_b64encode(b'{"v": 1, "after": ["not a date", "c-0001"]}').decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_garbage_cursor_is_400(api, seeded, cursor):
    response = api.get(CANDIDATES_URL, {"next": cursor})
    assert response.status_code == 400
    assert body_of(response, "BadRequestResponse")["message"] == "next is not a valid cursor"


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ada@example.com", ["c-0001"]),
        ("ADA@EXAMPLE.COM", ["c-0001"]),
        ("ada.lovelace@analytical.example", ["c-0001"]),  # a secondary address in emails[]
        ("jose.nunez@example.COM", ["c-0003"]),  # stored as "Jose.Nunez@Example.COM" and lower case
        ("  ada@example.com ", ["c-0001"]),
        ("ada@example", []),  # exact match, not a substring search
        ("nobody@example.com", []),
    ],
)
def test_filter_email_matches_any_address_exactly_ignoring_case_and_spaces(api, seeded, email, expected):
    body = body_of(api.get(CANDIDATES_URL, {"filter[email]": email}), "CandidatesPaginated")
    assert _ids(body) == expected
    assert body["next"] is None


def test_filter_updated_after_lists_only_candidates_changed_since(api, seeded):
    cutoff = "2024-10-01T00:00:00.000Z"
    expected = sorted(
        c.candidate_id
        for c in SandboxCandidate.objects.filter(account_id=GREENHOUSE)
        if iso(c.updated_at) > cutoff
    )
    assert 0 < len(expected) < 64
    body = body_of(
        api.get(CANDIDATES_URL, {"filter[updated_after]": cutoff, "page_size": "100"}), "CandidatesPaginated"
    )
    assert sorted(_ids(body)) == expected
    assert all(item["updated_at"] > cutoff for item in body["data"])
    # A naive datetime means UTC; an offset is honoured.
    naive = api.get(
        CANDIDATES_URL, {"filter[updated_after]": "2024-10-01T00:00:00", "page_size": "100"}
    ).json()
    assert sorted(_ids(naive)) == expected
    offset = api.get(
        CANDIDATES_URL, {"filter[updated_after]": "2024-10-01T02:00:00+02:00", "page_size": "100"}
    )
    assert sorted(_ids(offset.json())) == expected


def test_filter_updated_after_sees_a_fresh_edit(api, seeded):
    before = api.candidate("c-0030")["updated_at"]
    latest = max(iso(c.updated_at) for c in SandboxCandidate.objects.filter(account_id=GREENHOUSE))
    assert api.patch(f"{CANDIDATES_URL}/c-0030", {"company": "New Co"}).status_code == 200
    body = api.get(CANDIDATES_URL, {"filter[updated_after]": latest}).json()
    assert _ids(body) == ["c-0030"]
    assert body["data"][0]["updated_at"] > before


def test_filter_created_after_and_combined(api, seeded):
    cutoff = "2024-06-01T00:00:00Z"
    rows = SandboxCandidate.objects.filter(account_id=GREENHOUSE).order_by("created_at", "candidate_id")
    expected = [c.candidate_id for c in rows if iso(c.created_at) > "2024-06-01T00:00:00.000Z"]
    assert 0 < len(expected) < 64
    body = body_of(
        api.get(CANDIDATES_URL, {"filter[created_after]": cutoff, "page_size": "100"}), "CandidatesPaginated"
    )
    assert _ids(body) == expected
    combined = api.get(CANDIDATES_URL, {"filter[created_after]": cutoff, "filter[email]": "ada@example.com"})
    assert _ids(combined.json()) == []


@pytest.mark.parametrize("name", ["filter[updated_after]", "filter[created_after]"])
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "2024-01-01", "1700000000"])
def test_bad_datetime_filter_is_400(api, seeded, name, value):
    response = api.get(CANDIDATES_URL, {name: value})
    assert response.status_code == 400
    assert body_of(response, "BadRequestResponse")["message"] == (
        f"{name} must be an ISO 8601 date-time, got {value!r}"
    )


def test_each_account_sees_only_its_candidates(api, seeded):
    body = body_of(api.get(CANDIDATES_URL, {"page_size": "100"}, account_id=LEVER), "CandidatesPaginated")
    assert len(body["data"]) == 10
    assert all(item["id"].startswith("lv") for item in body["data"])
    response = api.get(f"{CANDIDATES_URL}/{ADA_ID}", account_id=LEVER)
    assert response.status_code == 404


# --- get candidate -------------------------------------------------------------------------


def test_one_candidate_is_returned_as_the_spec_shapes_it(api, seeded):
    response = api.get(f"{CANDIDATES_URL}/{ADA_ID}")
    assert response.status_code == 200
    assert body_of(response, "CandidateResult") == {"data": ADA_CANDIDATE}


def test_bodies_are_utf8_text(api, seeded):
    response = api.get(f"{CANDIDATES_URL}/c-0002")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Zoë Ångström".encode() in response.content
    assert response.json()["data"]["name"] == "Zoë Ångström"


def test_get_unknown_candidate_is_404(api, seeded):
    response = api.get(f"{CANDIDATES_URL}/c-9999")
    assert response.status_code == 404
    assert _without_timestamp(body_of(response, "NotFoundResponse")) == {
        "statusCode": 404,
        "message": "Resource not found",
        "provider_errors": [
            {
                "status": 404,
                "url": "https://sandbox.provider.example/v1/candidates/c-9999",
                "raw": {"message": "Candidate not found"},
                "headers": {},
            }
        ],
    }


@pytest.mark.parametrize(
    ("path", "provider_url"),
    [
        (f"{CANDIDATES_URL}/c-0001%0A", "https://sandbox.provider.example/v1/candidates/c-0001%0A"),
        (f"{CANDIDATES_URL}/%0A", "https://sandbox.provider.example/v1/candidates/%0A"),
        (f"{CANDIDATES_URL}/", "https://sandbox.provider.example/v1/candidates/"),
    ],
)
@pytest.mark.parametrize("method", ["get", "patch"])
def test_an_id_with_a_line_break_or_an_empty_id_gets_stackones_json_404(
    api, seeded, path, provider_url, method
):
    response = api.get(path) if method == "get" else api.patch(path, {"title": "x"})
    assert response.status_code == 404
    body = body_of(response, "NotFoundResponse")
    assert body["message"] == "Resource not found"
    assert body["provider_errors"][0]["url"] == provider_url


@pytest.mark.parametrize(("path", "shown"), [
    ("/sandbox/nope", "/nope"),
    ("/sandbox/unified/ats/jobs", "/unified/ats/jobs"),
    ("/sandbox/unified/ats/x%0Ay", "/unified/ats/x\ny"),
])
def test_any_other_path_gets_stackones_json_404(client, seeded, path, shown):
    response = client.get(path, **api_headers())
    assert response.status_code == 404
    assert body_of(response, "NotFoundResponse")["message"] == f"Cannot GET {shown}"


def test_raw_true_adds_the_providers_answer(api, seeded):
    got = api.get(f"{CANDIDATES_URL}/{ADA_ID}", {"raw": "true"})
    listed = api.get(CANDIDATES_URL, {"raw": "true", "page_size": "2"})
    definitions = api.get("/sandbox/unified/ats/custom_field_definitions/candidates", {"raw": "true"})

    result = body_of(got, "CandidateResult")
    assert result["data"] == ADA_CANDIDATE
    [call] = result["raw"]
    assert call["method"] == "GET"
    assert call["url"] == f"https://sandbox.provider.example/v1/candidates/{ADA_CANDIDATE['remote_id']}"
    assert call["response"]["id"] == ADA_CANDIDATE["remote_id"]
    assert call["response"]["name"] == ADA_CANDIDATE["name"]
    page = body_of(listed, "CandidatesPaginated")
    assert [record["name"] for record in page["raw"][0]["response"]] == [c["name"] for c in page["data"]]
    assert body_of(definitions, "CustomFieldDefinitionsPaginated")["raw"][0]["response"] == \
        definitions.json()["data"]


@pytest.mark.parametrize("value", [None, "false", "0"])
def test_without_raw_true_there_is_no_raw(api, seeded, value):
    params = {} if value is None else {"raw": value}
    assert "raw" not in api.get(f"{CANDIDATES_URL}/{ADA_ID}", params).json()
    assert "raw" not in api.get(CANDIDATES_URL, params).json()


def test_a_raw_that_is_not_a_boolean_is_400(api, seeded):
    response = api.get(f"{CANDIDATES_URL}/{ADA_ID}", {"raw": "maybe"})
    assert response.status_code == 400
    assert body_of(response, "BadRequestResponse")["message"] == "raw must be a boolean (true or false)"


def test_candidate_id_with_a_slash_arrives_percent_encoded(api, seeded):
    response = api.get(f"{CANDIDATES_URL}/lv%2F0010", account_id=LEVER)
    assert response.status_code == 200
    assert body_of(response, "CandidateResult")["data"]["id"] == SLASH_ID
    patched = api.patch(f"{CANDIDATES_URL}/lv%2F0010", {"title": "Slashed"}, account_id=LEVER)
    assert patched.status_code == 200
    assert patched.json()["data"] == {"id": "lv/0010", "remote_id": "lever-opp-7010"}


# --- custom field definitions --------------------------------------------------------------


def test_custom_field_definitions_are_listed_on_one_page_in_seed_order(api, seeded):
    response = api.get("/sandbox/unified/ats/custom_field_definitions/candidates")
    body = body_of(response, "CustomFieldDefinitionsPaginated")
    assert body["next"] is None
    assert [d["id"] for d in body["data"]] == [
        "cf_notice_period",
        "cf_relocate",
        "cf_stage",
        "cf_salary_expectation",
        "cf_available_from",
        "cf_skills",
        "cf_referrer",
        "cf_portfolio",
    ]
    assert body["data"][2] == {
        "id": "cf_stage",
        "remote_id": "r_cf_stage",
        "name": "Screening status",
        "description": "Where the phone screen stands",
        "type": {"value": "single_select", "source_value": "single_select"},
        "options": [
            {"id": "opt_stage_not_started", "value": "Not Started"},
            {"id": "opt_stage_in_progress", "value": "In Progress"},
            {"id": "opt_stage_completed", "value": "Completed"},
        ],
    }
    lever = api.get("/sandbox/unified/ats/custom_field_definitions/candidates", account_id=LEVER).json()
    assert [d["id"] for d in lever["data"]] == ["cf_notice_period", "cf_stage", "cf_source", "cf_skills"]


def test_one_custom_field_definition_is_read_by_id_and_an_unknown_id_is_a_404(api, seeded):
    response = api.get("/sandbox/unified/ats/custom_field_definitions/candidates/cf_notice_period")
    body = body_of(response, "CustomFieldDefinitionResultApiModel")
    assert body["data"]["type"] == {"value": "integer", "source_value": "number"}
    missing = api.get("/sandbox/unified/ats/custom_field_definitions/candidates/cf_nope")
    assert missing.status_code == 404
    body_of(missing, "NotFoundResponse")


def test_every_seeded_candidate_validates_against_the_candidate_schema(api, seeded):
    for account_id in (GREENHOUSE, LEVER):
        body = body_of(
            api.get(CANDIDATES_URL, {"page_size": "100", "include": "custom_fields"}, account_id=account_id),
            "CandidatesPaginated",
        )
        assert body["data"]
        for item in body["data"]:
            assert json.loads(json.dumps(item)) == item
