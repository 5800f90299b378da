"""The sandbox is mounted only in sandbox mode; the banner flag reaches templates, and the demo
login is named only with DEBUG."""

from __future__ import annotations

import importlib

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, clear_url_caches, resolve

import stackone_admin.urls
from stackone_admin.context_processors import sandbox_mode
from tests.sandbox_support import api_headers

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    clear_url_caches()
    importlib.reload(stackone_admin.urls)
    clear_url_caches()


def test_sandbox_urls_are_mounted_in_sandbox_mode(client, seeded):
    assert resolve("/sandbox/accounts").view_name == "sandbox:accounts"
    assert resolve("/sandbox/unified/ats/candidates/a/b").kwargs == {"candidate_id": "a/b"}
    assert client.get("/sandbox/accounts", **api_headers()).status_code == 200


def test_sandbox_urls_are_absent_when_sandbox_mode_is_off(client, seeded, settings):
    settings.SANDBOX_MODE = False
    try:
        _reload_urls()
        for path in ("/sandbox/accounts", "/sandbox/unified/ats/candidates", "/sandbox/_control/faults"):
            with pytest.raises(Resolver404):
                resolve(path)
            assert client.get(path, **api_headers(), HTTP_X_ACCOUNT_ID="sbx-greenhouse").status_code == 404
        assert resolve("/login/").url_name == "login"  # the rest of the site is still there
    finally:
        settings.SANDBOX_MODE = True
        _reload_urls()
    assert resolve("/sandbox/accounts").view_name == "sandbox:accounts"


@pytest.mark.parametrize(("mode", "debug", "demo_login"), [(True, True, True), (True, False, False),
                                                            (False, True, False), (False, False, False)])
def test_the_context_processor_tells_pages_whether_sandbox_mode_is_on(settings, mode, debug, demo_login):
    settings.SANDBOX_MODE, settings.DEBUG = mode, debug
    assert sandbox_mode(RequestFactory().get("/")) == {"sandbox_mode": mode, "demo_login": demo_login}


def test_the_sign_in_page_names_the_demo_login_only_with_debug(client, settings):
    assert "demo-login" not in client.get("/login/").content.decode()  # the tests run with DEBUG off

    settings.DEBUG = True
    page = client.get("/login/").content.decode()

    assert ('data-testid="demo-login">Sandbox demo: sign in as <strong>demo</strong> / '
            '<strong>demo</strong>') in page
