"""The rough edges of issue 25, in a real browser at 390 and 1280 px: the edit page's lists,
hints, headings, error summary and links (item 7), the review page's "Keep … in Emails" label
(item 7), the accounts table's names (item 6), and a list page that switches to the directory's
search once its first sync is done (item 6). (Every page's screenshots: test_product_screens.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from candidates.directory.models import DirectorySync
from candidates.worker import run_queued_tasks
from tests.e2e.helpers import App, ada_record

pytestmark = pytest.mark.e2e

HEIGHTS = {390: 844, 1280: 900}

# The words of an element's own text that the browser drew over more than one line.
BROKEN_WORDS = """(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('strong, code')) { continue; }  // an address may break anywhere
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
      if (tops.size > 1) { broken.push(match[0]); }
    }
  }
  return broken;
}"""


def _size(app: App, width: int) -> None:
    app.page.set_viewport_size({"width": width, "height": HEIGHTS[width]})


@pytest.mark.parametrize("width", [390, 1280])
def test_the_edit_page_lists_hints_and_headings(app: App, width: int) -> None:
    _size(app, width)
    page = app.page
    app.open_ada()
    # Each list value shows whole: never a half-width input that cuts an address off.
    for name in ("emails", "phone_numbers", "social_links"):
        values = '[data-formset-row] input:is([type=email], [type=url], [inputmode=tel])'
        for box in app.formset(name).locator(values).all():
            if width == 1280 or name != "social_links":  # a long link may scroll inside its box on a phone
                assert box.evaluate("(input) => input.scrollWidth <= input.clientWidth + 1"), (
                    f"{name}: {box.input_value()} is cut off at {width} px")
            if width == 390:
                row = box.evaluate("(input) => input.closest('[data-formset-row]').clientWidth")
                assert box.bounding_box()["width"] >= 0.85 * row, f"{name}: a half-width input at 390 px"
    hint = page.locator(".keyboard-hint")
    expect(hint).to_be_visible() if width == 1280 else expect(hint).to_be_hidden()
    # "Custom fields" once on screen: the section's heading; the list's legend for screen readers.
    expect(page.get_by_role("heading", name="Custom fields", exact=True)).to_be_visible()
    legend = app.formset("custom_fields").locator("legend").bounding_box()
    assert legend is not None and legend["width"] <= 1 and legend["height"] <= 1
    expect(page.get_by_text("Deprecated by StackOne: use Phone numbers above.")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_error_summary_follows_the_page_and_its_links_show_the_label(app: App, width: int) -> None:
    _size(app, width)
    page = app.page
    app.open_ada()
    page.get_by_label("Passthrough").fill("{'a': 1}")
    page.get_by_label("Email", exact=True).fill("not an address")
    new = app.add_row("social_links")
    new.get_by_label("Type").fill("linkedin")
    new.get_by_label("URL").fill("https://www.linkedin.com/in/ada-lovelace/")
    app.save_button().click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    links = summary.locator("a")
    expect(links).to_have_text([re.compile(r"^Email"), re.compile(r"^Social links, row 2, URL"),
                                re.compile(r"^Passthrough")])
    expect(summary).to_contain_text("This link is already listed with this type.")
    expect(summary).to_contain_text('text and names need double quotes ("), not single quotes, at line 1')
    # Each link brings its field into view with its label: not cut at the top edge, not under the
    # sticky bar of buttons at the bottom.
    for link, field_id in ((links.first, "id_email"), (links.last, "id_passthrough")):
        link.click()
        expect(page.locator(f"#{field_id}")).to_be_focused()
        label = page.locator(f"label[for={field_id}]").bounding_box()
        field = page.locator(f"#{field_id}").bounding_box()
        bar = page.locator(".form-actions").bounding_box()
        assert label["y"] >= 8, f"{field_id}'s label is cut at the top edge ({label['y']} px)"
        assert field["y"] + min(field["height"], 40) <= bar["y"], f"{field_id} is under the bar of buttons"


@pytest.mark.parametrize("width", [390, 1280])
def test_keep_the_old_address_reads_in_whole_words_on_the_review_page(app: App, width: int) -> None:
    _size(app, width)
    old = "augusta.ada.king.countess.of.lovelace@analytical-engines.example"
    record = ada_record()
    record.data.update(email=old, emails=[{"type": "personal", "value": old}])
    record.save()
    app.open_ada()
    app.page.get_by_label("Email", exact=True).fill("ada@example.com")
    app.review()
    label = app.page.get_by_test_id("email-follow").locator("label")
    expect(label).to_contain_text(f"Keep {old} in Emails")
    assert label.evaluate(BROKEN_WORDS) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_accounts_table_wraps_names_between_words(app: App, width: int) -> None:
    _size(app, width)
    # Each account's directory column full of text (a failed sync's long error), as on a busy day.
    for account in ("sbx-greenhouse", "sbx-lever"):
        DirectorySync.objects.create(account_id=account, full=True, status="failed", error=(
            "StackOne did not answer in time (timeout after 65 s) while reading page 17 of the candidates; "
            "the next sync resumes from the last page stored"))
    app.goto(app.url("/accounts/"))
    cells = app.page.locator("table.accounts-table tbody td:is(:nth-child(1), :nth-child(2), :nth-child(3))")
    for cell in cells.all():  # the account's name, its ATS ("Greenhouse", never "Greenhou|se"), its status
        assert cell.evaluate(BROKEN_WORDS) == [], f"{cell.inner_text()} breaks inside a word at {width} px"


def test_a_list_waiting_for_its_directory_switches_to_its_search_when_ready(app: App) -> None:
    _size(app, 1280)
    page = app.page
    app.goto(app.list_url("sbx-lever"))  # the first visit queues the account's first sync
    pending = page.locator("[data-directory-pending]")
    expect(pending).to_contain_text("switches to the directory's search when its first sync is done")
    run_queued_tasks()  # the worker runs the sync meanwhile
    # No reload by hand: the page polls the status and reloads once the directory is ready.
    expect(page.get_by_test_id("result-count")).to_be_visible(timeout=15_000)
    expect(pending).to_have_count(0)
    app.expect_banner()
