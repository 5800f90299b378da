"""Security as a user (or an attacker) meets it: response headers, the Content-Security-Policy and
templates that need no inline code, sign-in throttling, session expiry, CSRF on every form."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from stackone_admin.client_ip import client_ip_address
from tests.candidates.view_helpers import post_step, unedited_post
from tests.conftest import grant

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PASSWORD = "pw-for-tests-1"  # tests/conftest.py gives editor_user this password
LOCKED = "Too many failed sign-in attempts. Sign-in for this username is locked for 15 minutes; " \
         "an administrator can unlock it sooner."
BAD_CREDENTIALS = "Please enter a correct username and password."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def sign_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


# -- headers ----------------------------------------------------------------------------------


def test_it_sends_a_content_security_policy_without_inline_script_or_style(client: Client, db: None) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("path", ["/login/", "/healthz", "/admin/login/"])
def test_it_forbids_framing_sniffing_and_cross_site_referrers(client: Client, db: None, path: str) -> None:
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_it_sends_hsts_over_https_when_configured(client: Client, db: None, settings) -> None:
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    assert client.get("/login/", secure=True)["Strict-Transport-Security"] == \
        "max-age=3600; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/login/")  # never over plain http


def test_it_redirects_plain_http_to_https_when_configured_but_not_the_health_check(
    client: Client, db: None, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"
    assert client.get("/healthz").status_code == 200


def test_the_sandbox_follows_the_https_redirect_like_every_other_path(
    client: Client, db: None, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    for path in ("/sandbox/accounts", "/sandbox/_control/faults"):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == f"https://testserver{path}"


def test_it_marks_the_session_and_csrf_cookies_secure_when_configured(
    client: Client, editor_user: User, settings
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    client.get("/login/", secure=True)
    response = sign_in(client, editor_user.username, PASSWORD)

    assert response.status_code == 302
    session, csrf = response.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"]


# -- no inline code anywhere --------------------------------------------------------------------


def _template_sources() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Return what a CSP without 'unsafe-inline' would block in ``html`` (JSON data blocks aside)."""
    found = [m.group(0) for m in INLINE_SCRIPT.finditer(html) if "application/json" not in m.group(0)]
    for pattern in (STYLE_ELEMENT, STYLE_ATTRIBUTE, EVENT_ATTRIBUTE, JAVASCRIPT_URL):
        found += [m.group(0)[-80:] for m in pattern.finditer(html)]
    return found


def test_the_scanner_finds_each_kind_of_inline_code() -> None:
    html = ('<script>x()</script><script src="/a.js"></script><style>p{}</style>'
            '<p style="color:red"><a href="#" onclick="x()"><a href="javascript:x()">')
    assert inline_code(html) == ["<script>", "<style", '<p style=', '<a href="#" onclick=', "javascript:"]


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    assert len(_template_sources()) > 10
    offenders = {str(path.relative_to(TEMPLATES)): found for path in _template_sources()
                 if (found := inline_code(path.read_text(encoding="utf-8")))}
    assert offenders == {}


@pytest.mark.parametrize("path", [
    "/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/candidates/auditentry/",
    "/admin/auth/group/add/", "/admin/password_change/",
])
def test_django_admin_pages_need_no_inline_code_either(admin_client: Client, path: str) -> None:
    response = admin_client.get(path)

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


# -- sign-in throttling (django-axes) ---------------------------------------------------------


def test_it_locks_sign_in_after_repeated_failures_even_with_the_right_password(
    client: Client, editor_user: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3

    for _ in range(2):
        response = sign_in(client, editor_user.username, "wrong")
        assert response.status_code == 200
        assert BAD_CREDENTIALS in text_of(response)
    locked = sign_in(client, editor_user.username, "wrong")
    again = sign_in(client, editor_user.username, PASSWORD)

    for response in (locked, again):
        assert response.status_code == 429
        assert LOCKED in text_of(response)
        assert 'name="username"' in text_of(response)  # the form stays, to try again later
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302  # still signed out


def test_a_lockout_is_per_username_so_colleagues_can_still_sign_in(
    client: Client, editor_user: User, viewer_user: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, editor_user.username, "wrong")

    assert sign_in(client, viewer_user.username, PASSWORD).status_code == 302


PROXY = "10.0.0.2"  # the reverse proxy: every request reaches the app from its address


def sign_in_via_proxy(client: Client, username: str, password: str, forwarded_for: str):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_an_attackers_lockout_does_not_lock_the_user_out_from_another_address(
    editor_user: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()

    for _ in range(3):
        sign_in_via_proxy(attacker, editor_user.username, "wrong", "203.0.113.66")
    # A forged header does not move the attacker to another address: nginx appends the real one.
    forged = sign_in_via_proxy(attacker, editor_user.username, PASSWORD, "198.51.100.7, 203.0.113.66")
    assert forged.status_code == 429
    assert LOCKED in text_of(forged)

    signed_in = sign_in_via_proxy(colleague, editor_user.username, PASSWORD, "198.51.100.7")
    assert signed_in.status_code == 302
    assert colleague.session["_auth_user_id"] == str(editor_user.pk)


def test_without_a_proxy_count_the_forwarded_header_is_ignored(
    editor_user: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    attacker = Client()
    for forwarded in ("203.0.113.1", "203.0.113.2"):  # a client rotating a header it made up
        sign_in_via_proxy(attacker, editor_user.username, "wrong", forwarded)

    assert sign_in_via_proxy(attacker, editor_user.username, PASSWORD, "203.0.113.3").status_code == 429


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (1, "203.0.113.66", "203.0.113.66"),
    (1, "198.51.100.7, 203.0.113.66", "203.0.113.66"),
    (2, "198.51.100.7, 203.0.113.66, 10.0.0.9", "203.0.113.66"),
    (2, "203.0.113.66", PROXY),  # shorter than the proxies that should have written it
    (1, "not-an-address", PROXY),
    (1, "", PROXY),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_the_client_address_is_read_from_the_right_of_x_forwarded_for(
    rf, settings, count: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip_address(request) == expected


def test_a_successful_sign_in_resets_the_failure_count(
    client: Client, editor_user: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        sign_in(client, editor_user.username, "wrong")
    assert sign_in(client, editor_user.username, PASSWORD).status_code == 302
    client.post("/logout/")

    for _ in range(2):
        assert sign_in(client, editor_user.username, "wrong").status_code == 200
    assert sign_in(client, editor_user.username, PASSWORD).status_code == 302


# -- sessions ---------------------------------------------------------------------------------


def test_a_session_ends_with_the_browser_and_after_its_lifetime_on_the_server(
    client: Client, editor_user: User, settings
) -> None:
    settings.SESSION_COOKIE_AGE = 3600

    response = sign_in(client, editor_user.username, PASSWORD)

    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    assert abs(session.expire_date - (timezone.now() + timedelta(hours=1))) < timedelta(minutes=1)


def test_an_expired_session_sends_the_user_back_to_sign_in(editor_client: Client) -> None:
    assert editor_client.get("/audit/").status_code == 403  # signed in, without the audit permission
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = editor_client.get("/audit/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/audit/"


# -- CSRF on every form -------------------------------------------------------------------------


@pytest.fixture
def csrf_client(editor_user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user)
    return client


def _token(client: Client, path: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).content.decode())
    assert match, f"no CSRF token in the form at {path}"
    return match.group(1)


def test_sign_in_without_a_csrf_token_is_refused(editor_user: User) -> None:
    client = Client(enforce_csrf_checks=True)

    refused = client.post("/login/", {"username": editor_user.username, "password": PASSWORD})
    accepted = client.post("/login/", {"username": editor_user.username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": _token(client, "/login/")})

    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_sign_out_without_a_csrf_token_is_refused_and_the_user_stays_signed_in(csrf_client: Client) -> None:
    assert csrf_client.post("/logout/").status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_a_save_without_a_csrf_token_is_refused_before_stackone_is_called(
    csrf_client: Client, stackone
) -> None:
    response = post_step(csrf_client, unedited_post(last_name="Byron"))

    assert response.status_code == 403
    assert len(stackone.calls) == 0


def test_the_review_preference_without_a_csrf_token_is_refused(csrf_client: Client) -> None:
    assert csrf_client.post("/preferences/review/", {"review_before_save": "on"}).status_code == 403


def test_audit_filters_are_plain_gets_that_need_no_token(csrf_client: Client, editor_user: User) -> None:
    grant(editor_user, "Auditor")
    assert csrf_client.get("/audit/", {"candidate": "c-1", "outcome": "saved"}).status_code == 200


def _with_includes(source: str) -> str:
    """``source`` with each ``{% include "name" %}`` replaced by that template's text."""
    return re.sub(r'{% include "([^"]+)"[^%]*%}',
                  lambda m: (TEMPLATES / m.group(1)).read_text(encoding="utf-8"), source)


def test_every_post_form_in_the_templates_carries_a_csrf_token() -> None:
    forms = []
    for path in _template_sources():
        source = _with_includes(path.read_text(encoding="utf-8"))
        for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", source, re.IGNORECASE | re.DOTALL):
            if re.search(r'method="post"', match.group(0)[:200], re.IGNORECASE):
                forms.append((path.name, "{% csrf_token %}" in match.group(1)))
    assert len(forms) >= 3
    assert [name for name, has_token in forms if not has_token] == []
