"""The includes shared by several pages: the pager (audit log, a bulk job's rows, both candidate
lists) and the error summary."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string


def test_a_paginated_list_links_both_ways_keeping_its_filters() -> None:
    page = Paginator(range(30), 10).page(2)
    html = render_to_string("candidates/_pager.html", {
        "page": page, "query": "user=ada", "previous_label": "← Newer", "next_label": "Older →"})
    assert '<a rel="prev" href="?user=ada&amp;page=1">← Newer</a>' in html
    assert '<a rel="next" href="?user=ada&amp;page=3">Older →</a>' in html


def test_the_first_page_without_filters_links_forward_only() -> None:
    page = Paginator(range(30), 10).page(1)
    html = render_to_string("candidates/_pager.html", {
        "page": page, "query": "", "previous_label": "← Previous rows", "next_label": "Next rows →"})
    assert 'rel="prev"' not in html
    assert '<a rel="next" href="?page=2">Next rows →</a>' in html


def test_a_cursor_list_links_back_to_its_first_page_and_on_to_the_next_cursor() -> None:
    html = render_to_string("candidates/_pager.html", {
        "page": None, "previous_query": "", "next_query": "cursor=abc",
        "previous_label": "← Previous page", "next_label": "Next page →"})
    assert '<a rel="prev" href="?">← Previous page</a>' in html
    assert '<a rel="next" href="?cursor=abc">Next page →</a>' in html


def test_numbered_links_mark_the_current_page_and_skip_the_gaps() -> None:
    html = render_to_string("candidates/_pager.html", {
        "page": None, "previous_query": "page=1", "next_query": None, "current": 2,
        "page_links": [(1, "page=1"), (2, "page=2"), ("…", None), (9, "page=9")],
        "previous_label": "← Previous", "next_label": "Next →"})
    assert '<a aria-current="page" href="?page=2"><strong>2</strong></a>' in html
    assert '<a href="?page=9">9</a>' in html and '<span aria-hidden="true">…</span>' in html
    assert 'rel="next"' not in html


def test_the_error_summary_says_the_lead_in_bold_then_each_error() -> None:
    html = render_to_string("candidates/_error_summary.html", {
        "lead": "Nothing was sent.", "detail": "Choose a value.", "errors": ["One <b>", "Two"],
        "focus": True})
    assert '<div class="error-summary" role="alert" tabindex="-1" id="error-summary">' in html
    assert "<p><strong>Nothing was sent.</strong> Choose a value.</p>" in html
    assert "<p>One &lt;b&gt;</p>" in html and "<p>Two</p>" in html


def test_an_error_summary_without_focus_is_not_a_focus_target() -> None:
    html = render_to_string("candidates/_error_summary.html", {"errors": ["Locked."]})
    assert '<div class="error-summary" role="alert">' in html and "<strong>" not in html


def test_an_error_summary_message_is_a_plain_sentence_escaped() -> None:
    html = render_to_string("candidates/_error_summary.html", {"message": "Could not <load>."})
    assert '<div class="error-summary" role="alert">' in html
    assert "<p>Could not &lt;load&gt;.</p>" in html and "<strong>" not in html


def test_error_summary_links_each_lead_to_the_field_they_name() -> None:
    html = render_to_string("candidates/_error_summary.html", {
        "lead": "Nothing was saved.", "links": [("id_email", "Email", "Enter a valid email address.")]})
    assert ('<ul class="error-links"><li><a href="#id_email">Email: Enter a valid email address.</a></li>'
            '</ul>') in html


def test_an_error_summary_shows_only_what_its_page_passes_it() -> None:
    page = Template('{% include "candidates/_error_summary.html" with errors=problems only %}').render(
        Context({"problems": ["Locked."], "detail": "A page variable", "message": "Another"}))
    assert "<p>Locked.</p>" in page and "A page variable" not in page and "Another" not in page
