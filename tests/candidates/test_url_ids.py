"""Ids in URLs are bounded by what their columns hold (255 characters): a longer one is a 404,
never a database error (PostgreSQL refused a 300-character account id with a DataError, a 500)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, resolve

from candidates.directory.models import DirectorySync
from candidates.models import AuditEntry, BulkJob

LONG = "a" * 256
LONGEST = "a" * 255

ACCOUNT_PATHS = ["/accounts/{}/candidates/", "/accounts/{}/candidates/c-1/",
                 "/accounts/{}/candidates/c-1/history/",
                 "/accounts/{}/candidates/c-1/confirm/", "/accounts/{}/directory/sync/",
                 "/accounts/{}/directory/status/", "/accounts/{}/health/", "/accounts/{}/health/fix/"]
CANDIDATE_PATHS = ["/accounts/acc/candidates/{}/", "/accounts/acc/candidates/{}/history/",
                   "/accounts/acc/candidates/{}/review/", "/accounts/acc/candidates/{}/resolve/"]


@pytest.mark.parametrize("path", ACCOUNT_PATHS + CANDIDATE_PATHS)
def test_an_id_of_255_characters_is_routed_and_a_longer_one_is_not(path: str) -> None:
    assert resolve(path.format(LONGEST)).kwargs
    with pytest.raises(Resolver404):
        resolve(path.format(LONG))


def test_a_candidate_id_with_slashes_is_still_one_id() -> None:
    match = resolve("/accounts/acc/candidates/lv/0010/history/")
    assert match.url_name == "history" and match.kwargs["candidate_id"] == "lv/0010"


@pytest.mark.parametrize("path", ["/accounts/{}/candidates/", "/accounts/{}/candidates/c-1/",
                                  "/accounts/{}/candidates/c-1/history/", "/accounts/{}/health/"])
def test_a_page_with_an_account_id_longer_than_its_column_is_a_plain_not_found(
        path: str, stackone, roles: None) -> None:
    user = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(user)

    response = client.get(path.format("x" * 300))

    assert response.status_code == 404
    assert not DirectorySync.objects.exists()  # no first-visit sync queued for it
    assert not AuditEntry.objects.exists()
    assert len(stackone.calls) == 0


def test_a_bulk_job_number_beyond_the_column_is_a_plain_not_found(roles: None) -> None:
    user = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(user)

    for path in ("/bulk/jobs/{}/", "/bulk/jobs/{}/status.json", "/bulk/jobs/{}/results.csv"):
        assert client.get(path.format(10**30)).status_code == 404
    assert not BulkJob.objects.exists()
