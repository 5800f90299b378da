"""Fault injection (latency, rate limit, failures, timeouts, malformed bodies) and statistics."""

from __future__ import annotations

import base64
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sandbox import faults
from sandbox.api import endpoint
from sandbox.faults import get_faults, reset_faults, reset_stats, set_faults, stats
from sandbox.models import SandboxCandidate, SandboxFaults
from sandbox.seed import ADA_ID
from tests.sandbox.helpers import CANDIDATES_URL, body_of
from tests.sandbox_support import api_headers

pytestmark = pytest.mark.django_db

ADA_URL = f"{CANDIDATES_URL}/{ADA_ID}"
DEFAULTS = {
    "latency_ms": 0,
    "rate_limit_per_minute": 0,
    "retry_after_seconds": None,
    "fail_status": None,
    "fail_count": 0,
    "fail_methods": [],
    "timeout_count": 0,
    "timeout_seconds": 0.0,
    "malformed_count": 0,
}
ERROR_SCHEMAS = {
    400: "BadRequestResponse",
    403: "ForbiddenResponse",
    404: "NotFoundResponse",
    408: "RequestTimedOutResponse",
    409: "ConflictResponse",
    412: "PreconditionFailedResponse",
    422: "UnprocessableEntityResponse",
    429: "TooManyRequestsResponse",
    500: "InternalServerErrorResponse",
    501: "NotImplementedResponse",
    502: "BadGatewayResponse",
    503: "InternalServerErrorResponse",
    504: "InternalServerErrorResponse",
}


# --- configuration -------------------------------------------------------------------------


def test_defaults_and_set_and_reset():
    assert get_faults() == DEFAULTS
    config = set_faults(latency_ms=10, fail_status=503, fail_count=2, fail_methods=["patch", "PATCH", "get"])
    assert config == {
        **DEFAULTS,
        "latency_ms": 10,
        "fail_status": 503,
        "fail_count": 2,
        "fail_methods": ["PATCH", "GET"],
    }
    assert set_faults(fail_count=1)["fail_status"] == 503  # others keep their values
    assert reset_faults() == DEFAULTS
    assert SandboxFaults.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"latency": 5}, "unknown fault field(s): latency"),
        ({"latency_ms": -1}, "latency_ms must be an integer ≥ 0"),
        ({"latency_ms": "5"}, "latency_ms must be an integer ≥ 0"),
        ({"fail_count": True}, "fail_count must be an integer ≥ 0"),
        ({"fail_status": 200}, "fail_status must be an HTTP error status between 400 and 599"),
        ({"fail_methods": ["FETCH"]}, "fail_methods: unknown method(s) FETCH"),
        ({"timeout_seconds": -0.5}, "timeout_seconds must be a number ≥ 0"),
        ({"latency_ms": 60_001}, "latency_ms must be at most 60000 (60 s)"),
        ({"latency_ms": 1_000_000_000_000}, "latency_ms must be at most 60000 (60 s)"),
        ({"timeout_seconds": 60.5}, "timeout_seconds must be at most 60"),
        ({"timeout_seconds": float("nan")}, "timeout_seconds must be at most 60"),
        ({"timeout_seconds": float("inf")}, "timeout_seconds must be at most 60"),
        ({"fail_status": 500, "fail_count": 1001}, "fail_count must be at most 1000"),
        ({"timeout_count": 1001}, "timeout_count must be at most 1000"),
        ({"malformed_count": 10**9}, "malformed_count must be at most 1000"),
    ],
)
def test_invalid_configuration_is_refused(values, message):
    with pytest.raises(faults.FaultConfigError) as error:
        set_faults(**values)
    assert str(error.value).startswith(message)
    assert get_faults() == DEFAULTS


# --- the control endpoint ------------------------------------------------------------------


def test_the_largest_allowed_faults_are_accepted():
    values = {"latency_ms": 60_000, "timeout_seconds": 60, "fail_status": 500, "fail_count": 1000,
              "timeout_count": 1000, "malformed_count": 1000}
    assert set_faults(**values) == {**DEFAULTS, **values, "timeout_seconds": 60.0}


def test_control_endpoint_requires_the_api_key(client):
    for method in ("get", "post", "delete"):
        response = getattr(client, method)("/sandbox/_control/faults")
        assert response.status_code == 401
        assert response.json()["message"] == "Unauthorized"
    assert client.get("/sandbox/_control/stats").status_code == 401
    assert get_faults() == DEFAULTS


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_outside_debug_the_control_endpoint_needs_a_signed_in_superuser(client, django_user_model, who):
    if who == "staff":
        client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    body = json.dumps({"latency_ms": 1000})
    refused = [
        client.get("/sandbox/_control/faults", **api_headers()),
        client.post("/sandbox/_control/faults", body, content_type="application/json", **api_headers()),
        client.delete("/sandbox/_control/stats", **api_headers()),
        client.get("/sandbox/_control/connections", **api_headers()),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert refused[1].json()["message"] == (
        "Forbidden: the sandbox's control endpoints need a signed-in superuser"
    )
    assert get_faults() == DEFAULTS


def test_a_superuser_without_the_sandbox_key_is_refused_too(admin_client):
    response = admin_client.post(
        "/sandbox/_control/faults", '{"latency_ms": 5}', content_type="application/json"
    )
    assert response.status_code == 401
    assert get_faults() == DEFAULTS


def test_with_debug_the_key_alone_opens_the_control_endpoint(client, settings):
    settings.DEBUG = True
    response = client.post(
        "/sandbox/_control/faults", '{"latency_ms": 5}', content_type="application/json", **api_headers()
    )
    assert response.status_code == 200
    assert get_faults()["latency_ms"] == 5


def test_control_endpoint_get_post_delete(admin_client):
    headers = api_headers()
    assert admin_client.get("/sandbox/_control/faults", **headers).json() == DEFAULTS
    response = admin_client.post(
        "/sandbox/_control/faults",
        json.dumps({"latency_ms": 25, "fail_status": 502, "fail_count": 3, "fail_methods": ["PATCH"]}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    expected = {**DEFAULTS, "latency_ms": 25, "fail_status": 502, "fail_count": 3, "fail_methods": ["PATCH"]}
    assert response.json() == expected
    assert admin_client.get("/sandbox/_control/faults", **headers).json() == expected
    assert admin_client.delete("/sandbox/_control/faults", **headers).json() == DEFAULTS
    assert get_faults() == DEFAULTS


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{bad", "Request body is not valid JSON"),
        ("[1]", "Request body must be a JSON object"),
        ('{"latency_ms": 1000000000000}', "latency_ms must be at most 60000 (60 s)"),
        ('{"timeout_count": 5, "timeout_seconds": NaN}', "timeout_seconds must be at most 60"),
        ('{"timeout_count": 5, "timeout_seconds": 1e999}', "timeout_seconds must be at most 60"),
        (
            '{"nope": 1}',
            "unknown fault field(s): nope; known: latency_ms, rate_limit_per_minute, "
            "retry_after_seconds, fail_status, fail_count, fail_methods, timeout_count, "
            "timeout_seconds, malformed_count",
        ),
    ],
)
def test_control_endpoint_rejects_bad_bodies(admin_client, raw, message):
    response = admin_client.post(
        "/sandbox/_control/faults", raw, content_type="application/json", **api_headers()
    )
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_control_endpoint_method_not_allowed(admin_client):
    response = admin_client.put(
        "/sandbox/_control/faults", "{}", content_type="application/json", **api_headers()
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, DELETE"


def test_the_faults_command_sets_the_switches_prints_them_and_refuses_a_non_error_status(db):
    out = StringIO()
    call_command(
        "sandbox_faults", "--latency-ms", "400", "--rate-limit", "600", "--fail-methods", "patch", stdout=out
    )
    assert json.loads(out.getvalue()) == {
        **DEFAULTS,
        "latency_ms": 400,
        "rate_limit_per_minute": 600,
        "fail_methods": ["PATCH"],
    }
    out = StringIO()
    call_command("sandbox_faults", "--reset", "--timeout-count", "2", "--timeout-seconds", "1.5", stdout=out)
    assert json.loads(out.getvalue()) == {**DEFAULTS, "timeout_count": 2, "timeout_seconds": 1.5}
    with pytest.raises(CommandError, match="fail_status must be an HTTP error status"):
        call_command("sandbox_faults", "--fail-status", "302", stdout=StringIO())


def test_faults_command_does_nothing_outside_sandbox_mode(db, settings):
    settings.SANDBOX_MODE = False
    out = StringIO()
    call_command("sandbox_faults", "--latency-ms", "400", stdout=out)
    assert out.getvalue().strip() == "STACKONE_API_KEY is set, so the sandbox is off: nothing changed."
    settings.SANDBOX_MODE = True
    assert get_faults() == DEFAULTS


# --- the faults themselves -----------------------------------------------------------------


def _recorded_sleeps(monkeypatch) -> list[float]:
    """Return the list the sandbox's waits are recorded in from now on (none is taken)."""
    sleeps: list[float] = []
    monkeypatch.setattr(faults, "_sleep", sleeps.append)
    return sleeps


def test_latency_is_added_to_every_api_request(api, seeded, monkeypatch):
    sleeps = _recorded_sleeps(monkeypatch)
    set_faults(latency_ms=150)
    for path in (ADA_URL, CANDIDATES_URL, "/sandbox/accounts"):
        assert api.get(path).status_code == 200
    assert sleeps == [0.15, 0.15, 0.15]
    reset_faults()
    api.get(ADA_URL)
    assert sleeps == [0.15, 0.15, 0.15]


def test_a_request_without_the_key_gets_its_401_without_waiting_out_the_latency(client, seeded, monkeypatch):
    sleeps = _recorded_sleeps(monkeypatch)
    set_faults(latency_ms=5000)

    anonymous = client.get(ADA_URL)
    wrong_key = client.get(ADA_URL, HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"not-the-key:").decode(),
                           HTTP_X_ACCOUNT_ID="sbx-greenhouse")

    assert (anonymous.status_code, wrong_key.status_code) == (401, 401)
    assert sleeps == []
    assert stats()["by_status"] == {"401": 2}  # still counted


def test_rate_limit_answers_429_with_retry_after(api, seeded, monkeypatch):
    monkeypatch.setattr(faults, "_clock", lambda: 1_000_040.0)  # 40 s before the window ends
    set_faults(rate_limit_per_minute=3)
    assert [api.get(ADA_URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(ADA_URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    body = body_of(response, "TooManyRequestsResponse")
    assert {k: v for k, v in body.items() if k != "timestamp"} == {
        "statusCode": 429,
        "message": "Too many requests",
    }
    assert api.patch(ADA_URL, {"title": "x"}).status_code == 429  # every method counts
    assert SandboxCandidate.objects.get(candidate_id=ADA_ID).data["title"] == "Mathematician"

    set_faults(retry_after_seconds=7)
    assert api.get(ADA_URL)["Retry-After"] == "7"

    monkeypatch.setattr(faults, "_clock", lambda: 1_000_100.0)  # the next window
    assert api.get(ADA_URL).status_code == 200


def test_reset_faults_restarts_the_rate_window(api, seeded, monkeypatch):
    monkeypatch.setattr(faults, "_clock", lambda: 2_000_010.0)
    set_faults(rate_limit_per_minute=1)
    assert [api.get(ADA_URL).status_code for _ in range(2)] == [200, 429]
    reset_faults()
    set_faults(rate_limit_per_minute=1)
    assert [api.get(ADA_URL).status_code for _ in range(2)] == [200, 429]


def test_rate_limit_off_by_default(api, seeded):
    assert all(api.get(ADA_URL).status_code == 200 for _ in range(30))


@pytest.mark.parametrize("status", sorted(ERROR_SCHEMAS))
def test_fail_status_for_the_next_n_requests_then_normal(api, seeded, status):
    set_faults(fail_status=status, fail_count=2)
    for remaining in (1, 0):
        response = api.get(ADA_URL)
        assert response.status_code == status
        body = body_of(response, ERROR_SCHEMAS[status])
        assert body["statusCode"] == status
        assert get_faults()["fail_count"] == remaining
    assert api.get(ADA_URL).status_code == 200
    assert get_faults()["fail_status"] == status  # stays configured, count exhausted


def test_fail_408_and_503_carry_retry_after(api, seeded):
    set_faults(fail_status=408, fail_count=1)
    response = api.get(ADA_URL)
    assert response.status_code == 408
    assert response["Retry-After"] == "1"
    assert {k: v for k, v in response.json().items() if k != "timestamp"} == {
        "statusCode": 408,
        "message": "The request has timed out.",
    }
    set_faults(fail_status=503, fail_count=1, retry_after_seconds=3)
    assert api.get(ADA_URL)["Retry-After"] == "3"
    set_faults(fail_status=500, fail_count=1)
    assert "Retry-After" not in api.get(ADA_URL)


def test_fail_methods_limits_the_fault_to_patch(api, seeded):
    set_faults(fail_status=502, fail_count=1, fail_methods=["PATCH"])
    assert api.get(ADA_URL).status_code == 200
    assert api.get(CANDIDATES_URL).status_code == 200
    assert get_faults()["fail_count"] == 1
    response = api.patch(ADA_URL, {"title": "Never applied"})
    assert response.status_code == 502
    assert response.json()["message"] == "Bad gateway error."
    assert api.candidate(ADA_ID)["title"] == "Mathematician"
    assert api.patch(ADA_URL, {"title": "Applied"}).status_code == 200
    assert api.candidate(ADA_ID)["title"] == "Applied"


def test_fail_count_is_consumed_atomically():
    set_faults(fail_status=500, fail_count=1)
    # Two requests that both read the configuration before either consumed the last unit.
    first = SandboxFaults.objects.get(pk=1)
    second = SandboxFaults.objects.get(pk=1)
    assert faults.consume("fail_count", "GET", first) is True
    assert faults.consume("fail_count", "GET", second) is False
    assert get_faults()["fail_count"] == 0


def test_the_malformed_body_fault_sends_broken_json_once_then_answers_normally(api, seeded):
    set_faults(malformed_count=1)
    response = api.get(ADA_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert api.get(ADA_URL).json()["data"]["id"] == ADA_ID


def test_timeout_sleeps_before_answering_then_answers(api, seeded, monkeypatch):
    sleeps = _recorded_sleeps(monkeypatch)
    set_faults(timeout_count=1, timeout_seconds=0.3)
    response = api.patch(ADA_URL, {"title": "Slow write"})
    assert sleeps == [0.3]
    # The write still happens: the client gave up, the provider did not ("outcome unknown").
    assert response.status_code == 200
    assert api.candidate(ADA_ID)["title"] == "Slow write"
    api.get(ADA_URL)
    assert sleeps == [0.3]  # the fault was used up by the one request
    assert get_faults()["timeout_count"] == 0


def test_faults_do_not_touch_control_endpoints(admin_client, seeded, monkeypatch):
    sleeps = _recorded_sleeps(monkeypatch)
    set_faults(fail_status=500, fail_count=5, latency_ms=200)
    assert admin_client.get("/sandbox/_control/faults", **api_headers()).status_code == 200
    assert sleeps == []
    assert get_faults()["fail_count"] == 5


def test_faults_are_disabled_outside_sandbox_mode(api, seeded, settings):
    set_faults(fail_status=500, fail_count=1)
    settings.SANDBOX_MODE = False  # (the URLs are not even mounted then; the view code agrees)
    assert faults.current() is None
    settings.SANDBOX_MODE = True
    assert api.get(ADA_URL).status_code == 500


# --- statistics ----------------------------------------------------------------------------


def test_stats_count_requests_by_method_route_and_status(api, seeded, client, admin_client):
    reset_stats()
    api.get(ADA_URL)
    api.get(CANDIDATES_URL)
    api.patch(ADA_URL, {"title": "x"})
    api.patch(ADA_URL, {"email": "bad"})
    client.get("/sandbox/accounts", **api_headers())
    client.get(ADA_URL)  # 401 counts too: the app made the call
    assert stats() == {
        "total": 6,
        "by_method": {"GET": 4, "POST": 0, "PUT": 0, "PATCH": 2, "DELETE": 0},
        "by_route": {"list_accounts": 1, "list_candidates": 1, "get_candidate": 2, "update_candidate": 2},
        "by_status": {"200": 4, "400": 1, "401": 1},
    }
    response = admin_client.get("/sandbox/_control/stats", **api_headers())  # not counted itself
    assert response.json() == stats()
    assert stats()["total"] == 6
    cleared = admin_client.delete("/sandbox/_control/stats", **api_headers()).json()
    assert cleared == {
        "total": 0,
        "by_method": {"GET": 0, "POST": 0, "PUT": 0, "PATCH": 0, "DELETE": 0},
        "by_route": {},
        "by_status": {},
    }


def test_stats_count_the_account_routes_too(api, seeded, client):
    reset_stats()
    client.get("/sandbox/accounts/sbx-greenhouse", **api_headers())
    client.get("/sandbox/accounts/sbx-greenhouse/meta", **api_headers())
    client.get("/sandbox/accounts/sbx-greenhouse/meta", **api_headers())

    assert stats()["total"] == 3
    assert stats()["by_route"] == {"get_account": 1, "get_account_meta_info": 2}


def test_a_route_the_stats_do_not_count_is_refused_when_its_view_is_defined():
    with pytest.raises(ValueError, match="not in faults.ROUTES"):
        endpoint({"GET": "get_candidate", "PUT": "replace_candidate"}, ("GET", "PUT"))


def test_stats_count_faulted_requests(api, seeded):
    set_faults(fail_status=503, fail_count=2)
    for _ in range(3):
        api.get(ADA_URL)
    assert stats()["by_status"] == {"503": 2, "200": 1}
    assert stats()["by_method"]["GET"] == 3
