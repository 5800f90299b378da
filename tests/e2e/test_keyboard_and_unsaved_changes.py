"""The editor's script: row buttons that work from the keyboard, a warning before leaving with
unsaved changes, and a Save button that cannot be pressed twice while a save is in flight."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from sandbox.faults import set_faults
from tests.e2e.helpers import App, ada_record, patch_count

pytestmark = pytest.mark.e2e


def test_add_and_remove_row_buttons_work_from_the_keyboard(app: App) -> None:
    page = app.page
    app.open_ada()

    # Enter on "Add emails row": a new row, and the cursor lands in its first field.
    emails = app.rows("emails")
    count = emails.count()
    add_email = app.formset("emails").get_by_role("button", name="Add emails row")
    add_email.focus()
    page.keyboard.press("Enter")
    expect(emails).to_have_count(count + 1)
    expect(emails.last.get_by_label("Type")).to_be_focused()
    page.keyboard.type("work")
    page.keyboard.press("Tab")
    expect(emails.last.get_by_label("Value")).to_be_focused()
    page.keyboard.type("ada.work@example.org")
    expect(emails.last.get_by_label("Value")).to_have_value("ada.work@example.org")

    # Space on "Add phone numbers row".
    phones = app.rows("phone_numbers")
    count = phones.count()
    app.formset("phone_numbers").get_by_role("button", name="Add phone numbers row").focus()
    page.keyboard.press(" ")
    expect(phones).to_have_count(count + 1)
    expect(phones.last.get_by_label("Type")).to_be_focused()

    # Space removes a row, Enter undoes it; the button says which state the row is in.
    work_phone = phones.nth(1)
    remove = work_phone.locator("[data-remove-row]")
    remove.focus()
    page.keyboard.press(" ")
    expect(remove).to_have_text("Undo remove")
    expect(remove).to_have_attribute("aria-pressed", "true")
    expect(work_phone).to_have_class("formset-row is-removed")
    expect(work_phone.locator('input[name$="-DELETE"]')).to_be_checked()
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    expect(remove).to_have_text("Remove row")
    expect(remove).to_have_attribute("aria-pressed", "false")
    expect(work_phone.locator('input[name$="-DELETE"]')).not_to_be_checked()


def test_the_remove_checkbox_gives_way_to_the_remove_button(app: App) -> None:
    """With the script running, each row offers one control, "Remove row"; the no-script
    "Remove" checkbox is hidden (and out of the tab order) so the two cannot disagree."""
    page = app.page
    app.open_ada()
    work_phone = app.rows("phone_numbers").nth(1)
    expect(work_phone.get_by_role("button", name="Remove row")).to_be_visible()
    expect(work_phone.locator(".row-delete")).to_be_hidden()
    expect(work_phone.get_by_role("checkbox", name="Remove")).to_be_hidden()

    # Tab from the phone input goes straight to the row's button.
    work_phone.get_by_label("Phone").focus()
    page.keyboard.press("Tab")
    expect(work_phone.get_by_role("button", name="Remove row")).to_be_focused()


def test_leaving_with_unsaved_changes_asks_first(app: App) -> None:
    page = app.page
    app.open_ada()
    dialogs: list[str] = []
    answer = {"leave": False}

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.type)
        if answer["leave"]:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", on_dialog)

    # No changes: leaving is silent.
    page.get_by_role("link", name="← Candidates").click()
    expect(page).to_have_url(app.list_url())
    assert dialogs == []
    app.expect_banner()

    app.open_ada()
    page.get_by_label("Last name", exact=True).fill("King")

    # Changes typed: the browser asks; staying keeps what was typed.
    page.get_by_role("link", name="← Candidates").click()
    expect(page).to_have_url(app.edit_url())
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")

    # Leaving anyway.
    answer["leave"] = True
    page.get_by_role("link", name="← Candidates").click()
    expect(page).to_have_url(app.list_url())
    assert dialogs == ["beforeunload", "beforeunload"]
    app.expect_banner()

    # "Discard changes", and saving (review, confirm), leave the page without asking.
    app.open_ada()
    page.get_by_label("Last name", exact=True).fill("King")
    page.get_by_role("link", name="Discard changes").click()
    expect(page.get_by_label("Last name", exact=True)).to_have_value("Lovelace")
    page.get_by_label("Last name", exact=True).fill("King")
    app.save()
    app.expect_saved()
    assert dialogs == ["beforeunload", "beforeunload"]


# Playwright stops resolving locators in a page once it starts navigating (a form POST), so the
# old page records its Save button's state itself, into sessionStorage, which the next page of
# the same tab can still read: at submit, while the request is in flight, and as it unloads.
RECORD_SAVE_BUTTON = """() => {
  const save = document.querySelector('button[data-save]');
  const start = performance.now();
  const log = [];
  const record = (when) => {
    log.push({when, ms: Math.round(performance.now() - start), disabled: save.disabled,
              busy: save.getAttribute('aria-busy'), text: save.textContent.trim()});
    sessionStorage.setItem('e2e-save-button', JSON.stringify(log));
  };
  // Registered after the editor's own submit listener, so it sees the state that one left.
  save.form.addEventListener('submit', () => {
    record('submit');
    [250, 1000].forEach((ms) => setTimeout(() => record(`${ms} ms later`), ms));
  });
  window.addEventListener('pagehide', () => record('pagehide'));
}"""
LATENCY_MS = 800  # per sandbox request; a save makes at least two (read, PATCH), so > 1.6 s in flight


def _save_button_states_while_saving(app: App, press: str) -> list[dict]:
    """Press the button named ``press`` with the sandbox slowed down; return the recorded states."""
    page = app.page
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.evaluate(RECORD_SAVE_BUTTON)
    set_faults(latency_ms=LATENCY_MS)
    page.get_by_role("button", name=press).click()
    app.expect_saved()
    set_faults(latency_ms=0)
    assert len(posts) == 1, f"one press, one POST: {posts}"
    assert patch_count() == 1, "one save, one PATCH"
    return json.loads(page.evaluate("() => sessionStorage.getItem('e2e-save-button')") or "[]")


def _assert_disabled_throughout(states: list[dict]) -> None:
    moments = [state["when"] for state in states]
    assert moments == ["submit", "250 ms later", "1000 ms later", "pagehide"], states
    enabled = [state for state in states if state["disabled"] is not True]
    assert not enabled, f"the button could be pressed again while the save was in flight: {enabled}"
    for state in states:
        assert state["busy"] == "true" and state["text"] == "Saving…", state


def test_confirm_and_save_is_disabled_while_the_save_is_in_flight(app: App) -> None:
    """With the review step (the default), "Confirm and save" is the button that sends."""
    app.open_ada()
    app.page.get_by_label("Title", exact=True).fill("Mathematician and writer")
    app.review()

    states = _save_button_states_while_saving(app, "Confirm and save")

    assert ada_record().data["title"] == "Mathematician and writer"
    _assert_disabled_throughout(states)


def test_save_changes_is_disabled_while_the_save_is_in_flight(app: App) -> None:
    """Without the review step, "Save changes" on the edit page sends."""
    app.open_ada()
    app.set_review_step(on=False)
    app.page.get_by_label("Title", exact=True).fill("Mathematician and writer")

    states = _save_button_states_while_saving(app, "Save changes")

    assert ada_record().data["title"] == "Mathematician and writer"
    _assert_disabled_throughout(states)
    # The fresh page after the save offers Save again.
    expect(app.save_button()).to_be_enabled()
    expect(app.save_button()).to_have_text("Save changes")
