"""A list's "Add row" in the browser: the page holds no blank row and no template; the list's new
row is asked of the server when the button is first pressed (its formset's empty form, numbered
here), and should that fail, the form goes to the add-row step, which keeps what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import ACCOUNT, App

pytestmark = pytest.mark.e2e


def test_the_new_row_is_fetched_once_per_list_and_numbered_in_turn(app: App) -> None:
    page = app.page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/new-row/" in request.url else None)
    app.open_ada()
    expect(page.locator("template")).to_have_count(0)
    first, second = app.add_row("emails"), app.add_row("emails")
    expect(first.get_by_label("Value")).to_have_attribute("name", "emails-2-value")
    expect(second.get_by_label("Value")).to_have_attribute("name", "emails-3-value")
    expect(page.locator('input[name="emails-TOTAL_FORMS"]')).to_have_value("4")
    # Ada's country rides along: a new phone row reads a number without + where hers are read.
    assert fetched == [app.url(f"/accounts/{ACCOUNT}/editor/new-row/?country=United+Kingdom&list=emails")]


def test_when_the_new_row_cannot_be_fetched_the_server_adds_it_and_keeps_the_input(app: App) -> None:
    page = app.page
    page.route(re.compile(r".*/editor/new-row/.*"), lambda route: route.abort())
    app.open_ada()
    page.get_by_label("Last name", exact=True).fill("King")
    app.formset("emails").get_by_role("button", name="Add emails row").click()
    expect(page).to_have_url(re.compile(r"/add-row/#formset-emails$"))
    expect(app.rows("emails")).to_have_count(3)
    expect(app.rows("emails").nth(2).get_by_label("Value")).to_have_value("")
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")
    expect(page.get_by_role("alert")).to_have_count(0)  # nothing to correct: nothing was sent
