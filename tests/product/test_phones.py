"""Phone numbers as people write them (issue 25 item 5): the edit page accepts a national number
where the candidate's country (or the account's default region, a setting) makes it certain, and
saves every number typed in E.164, saying so beside the field; bulk cells follow the same rule.
Against the sandbox over real HTTP; the PATCH bodies are the ones that reached it."""

from __future__ import annotations

import pytest
from django.test import Client

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.phones import phone_region, phone_stored
from tests.candidates.form_data import add_row
from tests.candidates.test_custom_field_options import EDIT_PATH, page_post
from tests.e2e.helpers import PatchLog, ada_record


@pytest.fixture
def sending(sandbox, editor_client: Client, editor_user) -> Client:
    record = ada_record()
    stored = [{"type": "mobile", "phone": "+44 7700 900123"}]
    record.data.update(country="United Kingdom", phone_numbers=stored)
    record.save()
    editor_client.post("/preferences/review/", {"review_before_save": "off", "next": EDIT_PATH})
    return editor_client


def test_a_national_number_is_read_in_the_candidates_country_and_saved_in_e164(
        sending: Client, patch_log: PatchLog) -> None:
    data = page_post()
    add_row(data, "phone_numbers", {"type": "work", "phone": "020 7946 0099"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    # The stored number left alone keeps its spaces; the one typed is saved in E.164.
    assert patch_log.bodies == [{"phone_numbers": [{"type": "mobile", "phone": "+44 7700 900123"},
                                                   {"type": "work", "phone": "+442079460099"}]}]


def test_an_international_number_typed_with_spaces_is_saved_without_them(sending: Client,
                                                                          patch_log: PatchLog) -> None:
    data = page_post(**{"phone_numbers-0-phone": "+44 7700 900124", "phone": "+44 (0)20 7946 0099"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"phone_numbers": [{"type": "mobile", "phone": "+447700900124"}],
                                 "phone": "+442079460099"}]


def test_the_page_says_how_a_number_is_saved_and_where_a_national_one_is_read(sending: Client) -> None:
    page = sending.get(EDIT_PATH).content.decode()
    assert ("Saved as E.164 (+442079460099); without +, read as United Kingdom (the candidate&#39;s "
            "country).") in page
    # Back on the page (another field's error): beside the number, what it will be saved as.
    data = page_post(email="not an address")
    add_row(data, "phone_numbers", {"type": "work", "phone": "020 7946 0099"})
    page = sending.post(EDIT_PATH, data).content.decode()
    assert "Will be saved as <strong>+442079460099</strong>." in page


def test_without_a_country_a_national_number_is_refused_saying_what_to_type(sending: Client,
                                                                             patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["country"] = None
    record.save()
    data = page_post()
    add_row(data, "phone_numbers", {"type": "work", "phone": "020 7946 0099"})
    page = sending.post(EDIT_PATH, data).content.decode()
    assert ("This number has no country code and the candidate&#39;s country is not known: start with + and "
            "the country code, e.g. +44 7700 900123.") in page
    assert patch_log.bodies == []


def test_the_accounts_default_region_reads_a_national_number(sending: Client, patch_log: PatchLog,
                                                             settings) -> None:
    settings.PHONE_ACCOUNT_REGIONS = {"sbx-greenhouse": "GB"}
    record = ada_record()
    record.data["country"] = None
    record.save()
    data = page_post()
    add_row(data, "phone_numbers", {"type": "work", "phone": "020 7946 0099"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies[0]["phone_numbers"][-1] == {"type": "work", "phone": "+442079460099"}


def test_the_rule_itself() -> None:
    uk = phone_region(country="uk", account_id=None)
    assert uk is not None and uk.code == "GB"
    assert phone_stored("0044 20 7946 0099", region=None) == "+442079460099"
    assert phone_stored("(+1) 415-555-0100", region=uk) == "+14155550100"
    assert phone_stored("+44 20 7946 0099 ext. 12", region=uk) == "+44 20 7946 0099 ext. 12"  # never cut
    with pytest.raises(Exception, match="not a valid number in United Kingdom"):
        phone_stored("020 7946", region=uk)


def test_bulk_cells_are_saved_in_e164_and_read_national_numbers_in_the_rows_country(settings) -> None:
    added = b"id,country,add_phone_number\nc-1,United Kingdom,020 7946 0099\nc-2,,020 7946 0099\n"
    first, second = bulk_csv_parse(added).rows
    assert first.values["add_phone_numbers"] == [{"type": None, "phone": "+442079460099"}]
    assert [error.message for error in second.errors] == [
        "This number has no country code and the candidate's country is not known: start with + and the "
        "country code, e.g. +44 7700 900123."]
    whole = (b'id,phone_numbers,phone\n'
             b'c-1,"[{""type"": ""work"", ""phone"": ""+1 415 555 0100""}]",0049 151 2345678\n')
    [row] = bulk_csv_parse(whole).rows
    assert row.values == {"phone_numbers": [{"type": "work", "phone": "+14155550100"}],
                          "phone": "+491512345678"}
    # The account's default region reads a national number where the row has no country.
    settings.PHONE_DEFAULT_REGION = "GB"
    [row] = bulk_csv_parse(b"id,phone\nc-3,020 7946 0099\n", account_id="acc-1").rows
    assert row.values == {"phone": "+442079460099"}
