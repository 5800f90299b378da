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
