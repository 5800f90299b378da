"""How large a candidate the edit page holds, and so how many inputs its POST may carry.

No Django imports: settings.py sizes ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` from these numbers
(tests/candidates/test_limits.py checks them against the forms themselves).

Each list (emails, phone numbers, social links, custom fields) holds at most
``MAX_ROWS_PER_LIST`` rows on the page and in a POST. ATS records with a couple of hundred
rows in a list exist (emails gathered by merges, custom fields); 500 leaves room above that and
keeps the worst request bounded: a POST claiming more rows is refused before any row form is
built, so a forged ``TOTAL_FORMS=100000`` costs nothing.
"""

from __future__ import annotations

MAX_ROWS_PER_LIST = 500

# Inputs one row posts: its columns plus the "Remove" checkbox (sent only when ticked).
ROW_INPUTS = {"emails": 2 + 1, "phone_numbers": 2 + 1, "social_links": 2 + 1, "custom_fields": 8 + 1}
# TOTAL_FORMS and INITIAL_FORMS per list (the page holds only these two); a client may post
# Django's other two (MIN_NUM_FORMS, MAX_NUM_FORMS) as well, so room is left for all four.
MANAGEMENT_INPUTS = 4
FORM_INPUTS = 12  # the main form's fields (name … passthrough)
# csrfmiddlewaretoken, snapshot, form_token, conflict_snapshot, keep_old_email (the "keep the old
# address" checkbox), add_row (a list's "Add row" without JavaScript), reverts (a revert's marker),
# and on the conflict page one choose_<field> per field of the candidate (16 at most):
# form_state.CONTROL_KEYS.
PAGE_INPUTS = 7 + 16

EDITOR_MAX_POSTED_FIELDS = (
    MAX_ROWS_PER_LIST * sum(ROW_INPUTS.values())
    + MANAGEMENT_INPUTS * len(ROW_INPUTS)
    + FORM_INPUTS
    + PAGE_INPUTS
)
