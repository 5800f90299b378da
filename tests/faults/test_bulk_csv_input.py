"""Hostile bytes in a bulk CSV upload: the page says why, nothing is queued or sent.

The CSV parser's own cases are in tests/bulk/; this adds byte sequences that are not UTF-8 in
other ways than a Latin-1 letter (lone continuation byte, cut-off sequence, overlong form,
an encoded surrogate), and NUL bytes, which are valid UTF-8 but break Python's csv module.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from candidates.models import AuditEntry, BulkJob
from tests.conftest import BASE_URL, grant


@pytest.fixture
def ops_client(db: None) -> Client:
    user = User.objects.create_user(username="ops-faults", password="pw-for-tests-1")
    grant(user, "Ops")
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes):
    return client.post("/bulk/", {"account_id": "acc-1", "file": SimpleUploadedFile("people.csv", data)})


@pytest.mark.parametrize(("data", "byte", "position"), [
    (b"id,name\nc-1,Ren\x80e\n", "0x80", 15),            # a continuation byte on its own
    (b"id,name\nc-1,Ren\xe2\x82", "0xe2", 15),            # a sequence cut off at the end of the file
    (b"id,name\nc-1,\xc0\xafRen\n", "0xc0", 12),          # an overlong "/"
    (b"id,name\nc-1,\xed\xa0\x80Ren\n", "0xed", 12),      # a UTF-16 surrogate encoded in UTF-8
], ids=["lone-continuation", "truncated", "overlong", "surrogate"])
def test_a_csv_that_is_not_utf8_is_refused_with_the_byte_named(ops_client: Client, stackone, data: bytes,
                                                               byte: str, position: int) -> None:
    response = upload(ops_client, data)
    assert response.status_code == 200
    assert f"The file is not UTF-8 text (byte {byte} at position {position})." in response.content.decode()
    assert not BulkJob.objects.exists() and not AuditEntry.objects.exists()
    # At most the linked accounts were listed (for the account picker); no candidate was read.
    assert all(call.request.url.split("?")[0] == f"{BASE_URL}/accounts" for call in stackone.calls)


def test_a_csv_with_nul_bytes_is_not_a_server_error(ops_client: Client, stackone) -> None:
    response = upload(ops_client, b"id,name\nc-1,Re\x00nee\n")
    assert response.status_code < 500
    assert not AuditEntry.objects.exists()
    assert not any(call.request.method == "PATCH" for call in stackone.calls)
