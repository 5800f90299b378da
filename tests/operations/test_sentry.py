"""Error reports (``SENTRY_DSN``): an exception in a view and one in a background task each reach
Sentry, through the SDK's own transport interface, and neither event holds the request body, the
query string, a candidate's data, the session id or the API key."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from candidates.directory.queue import directory_sync_start
from candidates.worker import run_queued_tasks
from stackone_admin.sentry import sentry_init
from tests.candidates.view_helpers import EDIT_PATH, unedited_post
from tests.conftest import BASE_URL

KEY = "sk-live-SENTRY-PLANTED-KEY-7731"
PLANTED = {"first name": "Philomena", "last name": "Quarrington", "email": "philomena.q@example.org",
           "phone": "+447700900731", "search": "searched.for@example.org"}


class CapturingTransport(Transport):
    """The SDK's transport interface, keeping each envelope instead of sending it."""

    envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        CapturingTransport.envelopes.append(envelope)


@pytest.fixture
def sentry(settings) -> Iterator[None]:
    """Sentry on (``sentry_init`` as settings.py calls it), with the API key set; off afterwards."""
    settings.SANDBOX_MODE, settings.STACKONE_API_KEY = False, KEY
    CapturingTransport.envelopes = []
    sentry_init(dsn="https://public@o0.ingest.sentry.invalid/1", environment="test",
                transport=CapturingTransport)
    yield
    sentry_sdk.init()  # no DSN: off


def sent_events() -> list[dict[str, Any]]:
    """The events sent so far, each as the JSON the SDK sends."""
    return [item.payload.json for envelope in CapturingTransport.envelopes for item in envelope.items
            if item.type == "event" and item.payload.json is not None]


def sent_text() -> str:
    return b"".join(envelope.serialize() for envelope in CapturingTransport.envelopes).decode()


def assert_nothing_planted(text: str, *extra: str) -> None:
    basic = base64.b64encode(f"{KEY}:".encode()).decode()
    for value in [*PLANTED.values(), KEY, basic, "SENTRY-PLANTED", *extra]:
        assert value not in text, value
        assert json.dumps(value)[1:-1] not in text, value


def wsgi_post(path: str, data: dict[str, Any], *, cookies: dict[str, str],
              **headers: str) -> tuple[str, dict[str, str]]:
    """POST through Django's WSGI handler, as gunicorn calls it (the test client bypasses the WSGI
    layer, where the SDK reads the URL, query string and headers). Returns the status and headers."""
    csrf = "c" * 32  # a CSRF secret, sent as the cookie and as the form's token
    cookie = "; ".join(f"{name}={value}" for name, value in {**cookies, "csrftoken": csrf}.items())
    environ = RequestFactory().post(path, {**data, "csrfmiddlewaretoken": csrf}, HTTP_COOKIE=cookie,
                                    **headers).environ
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the test's transaction keeps its connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        b"".join(WSGIHandler()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


def test_an_exception_in_a_view_is_reported_without_personal_data(sentry: None, editor_user: User, stackone,
                                                                   monkeypatch) -> None:
    def broken(**kwargs: Any) -> None:
        candidate_email = PLANTED["email"]  # a local the frame holds: locals are not sent
        raise RuntimeError(f"save broke (key {KEY}) for {kwargs['candidate_id']} {len(candidate_email)}")

    monkeypatch.setattr("candidates.services.candidate_update", broken)
    client = Client()
    client.force_login(editor_user)
    session = client.cookies["sessionid"].value
    data = unedited_post(first_name=PLANTED["first name"], last_name=PLANTED["last name"],
                         email=PLANTED["email"])
    status, headers = wsgi_post(f"{EDIT_PATH}confirm/?q={PLANTED['search']}", data,
                                cookies={"sessionid": session},
                                HTTP_AUTHORIZATION=f"Bearer {KEY}", HTTP_X_CANDIDATE=PLANTED["phone"],
                                HTTP_USER_AGENT="test-browser/1.0")
    assert status.startswith("500")
    [event] = sent_events()
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "save broke (key [redacted]) for c-1 23"
    request = event["request"]
    assert (request["method"], request["url"]) == ("POST", f"http://testserver{EDIT_PATH}confirm/")
    assert "data" not in request and "query_string" not in request and "cookies" not in request
    assert request["headers"] == {"User-Agent": "test-browser/1.0",
                                  "Content-Type": "multipart/form-data; boundary=BoUnDaRyStRiNg",
                                  "Content-Length": request["headers"]["Content-Length"]}
    assert event["tags"]["request_id"] == headers["X-Request-ID"]
    assert "user" not in event and sentry_sdk.get_client().should_send_default_pii() is False
    assert not any("vars" in frame for frame in exception["stacktrace"]["frames"])
    assert_nothing_planted(sent_text(), session)


def test_an_exception_in_a_task_is_reported_without_personal_data(sentry: None, transactional_db: None,
                                                                   stackone, settings, monkeypatch) -> None:
    settings.CANDIDATE_DIRECTORY = True
    stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"next": None, "data": [{
        "id": "c-77", "first_name": PLANTED["first name"], "last_name": PLANTED["last name"],
        "email": PLANTED["email"], "phone_numbers": [{"type": "mobile", "phone": PLANTED["phone"]}]}]})

    def broken(account_id: str, candidates: list[Any], **_: Any) -> None:
        raise RuntimeError(f"could not store {len(candidates)} rows of {account_id}")

    monkeypatch.setattr("candidates.directory.sync.entries_upsert", broken)
    directory_sync_start(account_id="acct-s")
    run_queued_tasks()
    [event] = sent_events()
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "could not store 1 rows of acct-s")
    assert event["logger"] == "django_tasks"
    assert "directory_sync_task" in event["logentry"]["formatted"]
    assert_nothing_planted(sent_text())
