"""A recruiter finds a candidate by part of a name in the directory, renames her, and finds her
by the new name at once.

The directory is filled as the sync fills it: the sandbox's candidates read over HTTP through
the app's StackOne client, each stored with ``index.entry_fields``. Finding the new name right
after the save needs the write path's directory refresh (issue 12, item 4).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from candidates.directory.models import DirectoryEntry
from candidates.directory.sync import directory_sync
from tests.e2e.helpers import ACCOUNT, ADA, App

pytestmark = pytest.mark.e2e


def directory_fill() -> int:
    """Run the account's first full sync, as its first visit or ``candidates_sync`` does (against
    the sandbox over HTTP); return how many candidates the directory holds."""
    directory_sync(account_id=ACCOUNT, full=True)
    return DirectoryEntry.objects.filter(account_id=ACCOUNT).count()


def search(app: App, q: str) -> None:
    app.goto(app.list_url())
    app.page.get_by_label("Search", exact=True).fill(q)
    app.page.get_by_role("button", name="Search").click()
    app.expect_banner()


def test_find_by_part_of_a_name_rename_and_find_by_the_new_name(app: App) -> None:
    assert directory_fill() > 1
    page = app.page
    results = page.locator("table.data-table tbody tr")

    search(app, "lovel")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 candidate")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("ada@example.com")
    app.assert_accessible("directory search results")
    results.first.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    assert page.url == app.edit_url(ADA), page.url

    page.locator("#id_name").fill("Ada Kingsbury")
    page.get_by_label("Last name", exact=True).fill("Kingsbury")
    app.save()
    app.expect_saved()

    search(app, "kingsbry")  # part of the new name, with a typo
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("link", name="Ada Kingsbury")).to_be_visible()
    results.first.get_by_role("link", name="Ada Kingsbury").click()
    expect(page.get_by_label("Last name", exact=True)).to_have_value("Kingsbury")


def test_results_follow_the_box_as_a_recruiter_types_and_the_keyboard_opens_one(app: App) -> None:
    """Type ``lovleace`` (a swap) letter by letter: Ada Lovelace is listed before Enter, the URL
    follows the box, then ↓ and Enter open her edit page."""
    assert directory_fill() > 1
    page = app.page
    app.goto(app.list_url())
    box = page.get_by_label("Search", exact=True)
    box.press_sequentially("lovleace", delay=60)
    first = page.locator("table.data-table tbody tr").first
    expect(first.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text("for “lovleace”")
    assert "q=lovleace" in page.url, page.url  # bookmarkable: the URL follows what was typed
    box.press("ArrowDown")
    expect(first.get_by_role("link", name="Ada Lovelace")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    assert page.url == app.edit_url(ADA), page.url


def test_at_390_px_the_first_result_shows_without_scrolling(app: App, artifacts_dir) -> None:
    """A phone: the box, the count and the first result fit the first screen (filters folded)."""
    assert directory_fill() > 1
    page = app.page
    page.set_viewport_size({"width": 390, "height": 844})
    app.goto(app.list_url() + "?q=lovelace")
    first = page.locator("table.data-table tbody tr").first
    expect(first.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("Filters", exact=True)).to_be_visible()
    expect(page.get_by_label("Company", exact=True)).to_be_hidden()  # folded away
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    app.assert_accessible("directory search at 390 px")
    page.screenshot(path=str(artifacts_dir / "i22-list-390.png"))
