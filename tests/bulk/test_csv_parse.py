"""Reading the CSV: encodings, delimiters, JSON cells, the clear marker, bad rows."""

from __future__ import annotations

import pytest

from candidates.bulk.csv_parse import MAX_ROWS, CellError, CsvInvalid, bulk_csv_parse
from tests.bulk.conftest import csv_bytes


def test_it_reads_utf8_with_a_bom_and_semicolons():
    parsed = bulk_csv_parse(csv_bytes(["id", "name", "title"], [["c-0001", "Zoë Ñúñez", "CTO"]],
                                      delimiter=";", bom=True))
    assert parsed.delimiter == ";"
    assert parsed.columns == ("id", "name", "title")
    assert parsed.rows[0].values == {"name": "Zoë Ñúñez", "title": "CTO"}
    assert parsed.rows[0].line == 2 and parsed.rows[0].is_valid


def test_it_reads_commas_without_a_bom_and_quoted_cells():
    data = b'id,title,company\nc-1,"Head of Data, EMEA",Acme\n'
    assert bulk_csv_parse(data).rows[0].values == {"title": "Head of Data, EMEA", "company": "Acme"}


def test_it_refuses_a_file_that_is_not_utf8():
    with pytest.raises(CsvInvalid, match=r"not UTF-8 text \(byte 0xe9 at position 15\)"):
        bulk_csv_parse("id,name\nc-1,Ren\xe9e\n".encode("latin-1"))


def test_an_empty_cell_leaves_the_field_out_and_the_marker_clears_it():
    parsed = bulk_csv_parse(
        csv_bytes(["id", "title", "company", "emails"], [["c-1", "", "__CLEAR__", "__CLEAR__"]])
    )
    assert parsed.rows[0].values == {"emails": None, "company": None}


def test_json_cells_become_the_rows_the_edit_form_would_send():
    parsed = bulk_csv_parse(csv_bytes(
        ["id", "emails", "phone_numbers", "custom_fields", "application_ids", "unified_custom_fields",
         "hired_at"],
        [["c-1", [{"type": "work", "value": " ada@example.com "}],
          [{"type": "mobile", "phone": "+44 7700 900123"}],
          [{"id": "cf-1", "value": 30}, {"id": "cf-2", "value": True}, {"id": "cf-3", "value": ["a"]}],
          ["app-1", "app-2"], {"ref": "R-1"}, "2021-01-01T09:30:00+01:00"]],
    ))
    assert parsed.rows[0].errors == ()
    values = parsed.rows[0].values
    assert values["emails"] == [{"type": "work", "value": "ada@example.com"}]
    assert values["phone_numbers"] == [{"type": "mobile", "phone": "+447700900123"}]  # saved in E.164
    assert [row["value"] for row in values["custom_fields"]] == [30, True, ["a"]]
    assert values["custom_fields"][0] == {"id": "cf-1", "remote_id": None, "name": None, "value": 30,
                                          "value_id": None, "remote_value_id": None}
    assert values["application_ids"] == ["app-1", "app-2"]
    assert values["unified_custom_fields"] == {"ref": "R-1"}
    assert values["hired_at"] == "2021-01-01T08:30:00.000Z"


def test_it_lists_errors_per_row_and_column_with_the_edit_form_messages():
    parsed = bulk_csv_parse(csv_bytes(
        ["id", "email", "phone", "social_links", "emails", "passthrough", "hired_at"],
        [["c-1", "not-an-email", "12", [{"type": "x", "url": "ftp://x"}],
          [{"value": "a@example.com"}, {"value": "A@example.com"}], "[1]", "yesterday"],
         ["c-2", "ok@example.com", "", "", "", "", ""]],
    ))
    first, second = parsed.rows
    assert not first.is_valid and second.is_valid
    by_column = {error.column: error.message for error in first.errors}
    assert by_column["email"].startswith("Enter an email address like name@example.com")
    assert by_column["phone"].startswith("This is not a phone number")
    assert by_column["social_links"] == "item 1: url: Enter a full web address starting with https:// or http://."
    assert by_column["emails"] == "item 2: value: This email address is already listed."
    assert by_column["passthrough"] == 'Passthrough must be a JSON object, e.g. {"key": "value"}.'
    assert by_column["hired_at"] == "Enter a date and time, e.g. 2021-01-01T09:30:00."


def test_it_flags_bad_json_unknown_keys_duplicate_ids_and_short_rows():
    data = (b'id,emails,title\n'
            b'c-1,"[{""type"": ""work"", ""value"": ""a@example.com"", ""primary"": true}]",\n'
            b'c-2,not json,T\n'
            b'c-2,,T2\n'
            b'c-3,\n'
            b',,T3\n')
    rows = bulk_csv_parse(data).rows
    assert rows[0].errors == (CellError("emails", "item 1: unknown key(s) primary (known: type, value)", 2),)
    assert rows[1].errors[0].column == "emails" and rows[1].errors[0].message.startswith("Not valid JSON")
    assert rows[2].errors == (CellError("id", "This id is already on line 3.", 1),)
    assert rows[3].errors == (CellError("", "This row has 2 cells; the header has 3."),)
    assert rows[4].errors == (CellError("id", "The id is required.", 1),)


def _rows(data: bytes) -> list[tuple[int, str, dict, tuple[CellError, ...]]]:
    return [(row.line, row.candidate_id, row.values, row.errors) for row in bulk_csv_parse(data).rows]


def test_a_stray_quote_that_merges_the_following_rows_costs_its_row_only_and_the_rows_after_are_read():
    data = b'id,title\nc-1,Engineer\nc-2,"Analyst\nc-3,CTO\nc-4,Director"\nc-5,CFO\n'
    assert _rows(data) == [
        (2, "c-1", {"title": "Engineer"}, ()),
        (3, "c-2", {}, (CellError("title", (
            "A quote in this cell opens on line 3 and is not closed where the cell ends, so lines 3–5 "
            "would read as one row. Close or remove the stray quote; the lines after line 3 are read as "
            "rows of their own."), 2),)),
        (4, "c-3", {"title": "CTO"}, ()),
        # The quote that closed the merged cell is a stray quote on its own line: that row is not sent either.
        (5, "c-4", {}, (CellError("title", (
            'This cell holds a stray quote ("): a quote in a cell must be doubled ("") and the cell quoted. '
            "Correct it, or remove the quote."), 2),)),
        (6, "c-5", {"title": "CFO"}, ()),
    ]


def test_a_stray_quote_inside_a_json_cell_costs_its_row_only():
    data = (b'id,title,emails\n'
            b'c-1,Engineer,"[{""type"": ""work"", ""value"": ""ada@example.com""}]\n'
            b'c-2,CTO,"[{""type"": ""work"", ""value"": ""grace@example.com""}]"\n'
            b'c-3,CFO,\n')
    rows = _rows(data)
    assert [(line, candidate_id, values) for line, candidate_id, values, _ in rows] == [
        (2, "c-1", {}),
        (3, "c-2", {"title": "CTO", "emails": [{"type": "work", "value": "grace@example.com"}]}),
        (4, "c-3", {"title": "CFO"}),
    ]
    assert rows[0][3] == (CellError("emails", (
        "This line is not readable CSV (',' expected after '\"'): a quote inside a cell must be "
        "doubled (\"\")."), 3),)


def test_a_quote_never_closed_costs_the_line_it_opens_on_and_the_lines_after_are_read():
    data = b'id,title\nc-1,Engineer\nc-2,"Analyst\nc-3,CTO\nc-4,CFO\n'
    assert _rows(data) == [
        (2, "c-1", {"title": "Engineer"}, ()),
        (3, "c-2", {}, (CellError("title", (
            "A quote opens a cell that is never closed. Close or remove the stray quote; the lines after "
            "line 3 are read as rows of their own."), 2),)),
        (4, "c-3", {"title": "CTO"}, ()),
        (5, "c-4", {"title": "CFO"}, ()),
    ]


def test_text_after_a_closing_quote_costs_its_row_only():
    assert _rows(b'id,title\nc-1,Engineer\nc-2,"Analyst"x\nc-3,CTO\n') == [
        (2, "c-1", {"title": "Engineer"}, ()),
        (3, "c-2", {}, (CellError("title", (
            "This line is not readable CSV (',' expected after '\"'): a quote inside a cell must be doubled "
            '("").'), 2),)),
        (4, "c-3", {"title": "CTO"}, ()),
    ]


def test_properly_quoted_cells_with_quotes_commas_and_multi_line_json_are_still_read():
    data = (b'id,title,passthrough\n'
            b'c-1,"Head of ""R&D"", EMEA",\n'
            b'c-2,CTO,"{\n  ""note"": ""two lines""\n}"\n'
            b'c-3,CFO,\n')
    rows = bulk_csv_parse(data).rows
    assert [row.values for row in rows] == [
        {"title": 'Head of "R&D", EMEA'},
        {"title": "CTO", "passthrough": {"note": "two lines"}},
        {"title": "CFO"},
    ]
    assert all(row.is_valid for row in rows)


def test_nan_infinity_and_1e999_in_json_cells_are_errors_on_their_cell():
    data = (b'id,passthrough,emails,unified_custom_fields\n'
            b'c-1,"{""note"": NaN}",,\n'
            b'c-2,,"[{""type"": ""work"", ""value"": Infinity}]",\n'
            b'c-3,,,"{""n"": 1e999}"\n')
    rows = bulk_csv_parse(data).rows
    assert rows[0].errors == (CellError(
        "passthrough",
        "Passthrough is not valid JSON: NaN is not a JSON number (write null, or a number such as 0).",
        2),)
    assert rows[1].errors[0].column == "emails"
    assert rows[1].errors[0].message.startswith(
        "Not valid JSON: Infinity is not a JSON number (write null, or a number such as 0); expected e.g."
    )
    assert rows[2].errors == (CellError(
        "unified_custom_fields", "Unified custom fields is not valid JSON: 1e999 is too large for a number.",
        4),)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty"),
    (b"name,title\nAda,CTO\n", "The column id is missing"),
    (b"id,title,salary\nc-1,CTO,1\n", "Column C (salary): unknown column."),
    (b"id,custom_field:\nc-1,1\n", "Column B (custom_field:): name a custom field after the colon"),
    (b"id,emails,add_email\nc-1,,a@example.com\n",
     "Use either emails (the whole list, as JSON) or add_email"),
    (b"id,add_email_type\nc-1,work\n", "The column add_email_type needs a column add_email"),
    (b"id,title,title\nc-1,a,b\n", "Column(s) named twice: title"),
    (b"id,title\n", "The file has a header but no rows"),
    (b"id\nc-1\n", "Only the id column is given"),
])
def test_it_refuses_files_it_cannot_use(data, message):
    with pytest.raises(CsvInvalid) as raised:
        bulk_csv_parse(data)
    assert message in str(raised.value)


def test_it_refuses_more_than_ten_thousand_rows():
    data = csv_bytes(["id", "title"], [[f"c-{n}", "T"] for n in range(MAX_ROWS + 1)])
    with pytest.raises(CsvInvalid, match="more than 10,000 rows"):
        bulk_csv_parse(data)
    at_the_limit = csv_bytes(["id", "title"], [[f"c-{n}", "T"] for n in range(MAX_ROWS)])
    assert len(bulk_csv_parse(at_the_limit).rows) == MAX_ROWS
