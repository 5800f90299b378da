"""Error pages a user can meet: each says what happened and where to go, inside the app's layout
(500 stands alone: it must render when templates or the database fail)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.candidates.view_helpers import text_of


def test_an_unknown_address_gets_the_apps_404_page(editor_client: Client) -> None:
    response = editor_client.get("/no/such/page/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Page not found" in page and "There is no page at <code>/no/such/page/</code>." in page
    assert "Sign out" in page  # inside the app's layout, signed in


def test_a_page_the_role_does_not_allow_gets_the_403_page(viewer_client: Client) -> None:
    response = viewer_client.get("/audit/")  # the audit log needs the Auditor or Ops role
    assert response.status_code == 403
    assert "Your account does not have permission for this page." in text_of(response)


def test_a_form_that_cannot_be_verified_gets_the_csrf_page(editor_user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user)
    response = client.post("/preferences/review/", {"review_before_save": "off"})
    assert response.status_code == 403
    assert "Nothing was saved: the form could not be verified" in text_of(response)


def test_a_server_error_gets_the_standalone_500_page(
    editor_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from candidates import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.services, "account_list", broken)
    editor_client.raise_request_exception = False
    response = editor_client.get("/accounts/")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong on our side" in page and "boom" not in page
    assert "open its History tab before trying again" in page


# -- issue 25 item 11 -----------------------------------------------------------------------------


def test_a_sign_in_that_cannot_be_verified_says_to_sign_in_again(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post("/login/", {"username": "demo", "password": "demo", "next": "/audit/",
                                       "csrfmiddlewaretoken": "stale-token-from-an-old-page" * 2})
    assert response.status_code == 403
    page = text_of(response)
    assert "<h1>Sign in again</h1>" in page and "Nothing was saved" not in page
    assert "make the change again" not in page
    assert '<a href="/login/?next=/audit/">Sign in again</a>' in page


def test_a_sign_in_without_the_cookie_says_cookies_are_needed(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 403
    assert "allow cookies for this site, then sign in again" in text_of(response)


def test_an_unknown_account_offers_the_accounts_list_not_its_own_candidates(sandbox,
                                                                           editor_client: Client) -> None:
    for path in ("/accounts/nope/candidates/", "/accounts/nope/candidates/c-0001/"):
        response = editor_client.get(path)
        assert response.status_code == 404
        page = text_of(response)
        assert "<h1>Linked account not found</h1>" in page
        assert "StackOne has no linked account <code>nope</code>." in page
        assert '<a href="/accounts/">Choose a linked account</a>' in page
        assert "/accounts/nope/candidates/\"" not in page  # no way back into that same account


def test_a_known_accounts_missing_candidate_is_still_not_found(sandbox, editor_client: Client) -> None:
    page = text_of(editor_client.get("/accounts/sbx-greenhouse/candidates/c-9999/"))
    assert "<h1>Candidate not found</h1>" in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_paste_over_the_size_limit_gets_the_apps_400_page_with_debug_too(
        editor_client: Client, settings, debug: bool) -> None:
    # make run serves with DEBUG on: Django's own debug page must not stand in for the app's page.
    settings.DEBUG = debug
    editor_client.raise_request_exception = False
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = editor_client.post("/accounts/acc-1/candidates/c-1/", {"passthrough": big})
    assert response.status_code == 400
    page = text_of(response)
    assert "What you sent is larger than this app accepts" in page
    assert "Use your browser&#x27;s Back button" in page or "Use your browser's Back button" in page
    assert "Traceback" not in page and "RequestDataTooBig" not in page
