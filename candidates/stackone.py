"""HTTP transport to StackOne: one configured ``requests.Session`` per client.

The session carries Basic auth (API key as username, empty password), ``Accept`` and
``User-Agent``; a mounted adapter supplies the timeout no call can forget and the retry
policy (reads retry on 429/408/502/503/504, a PATCH only on 429, which StackOne rejects
before processing). Every non-2xx answer goes through ``error_from_response``; every 2xx
body is parsed into the frozen dataclasses of ``candidates.types``.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from urllib3.util.retry import Retry

from candidates.budget import budget_pause, budget_take
from candidates.exceptions import (
    StackOneBadResponse,
    StackOneError,
    StackOneInvalidRequest,
    StackOneUnavailable,
    api_key_forms,
    error_from_response,
    parse_retry_after,
)
from candidates.metrics import stackone_call_observed
from candidates.stackone_config import StackOneConfig, stackone_config
from candidates.types import (
    AccountMeta,
    Candidate,
    CandidatePage,
    CustomFieldDefinition,
    LinkedAccount,
    UpdateResult,
)

USER_AGENT = "stackone-candidate-admin/0.1 (+django; python-requests)"
READ_RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
WRITE_RETRY_STATUSES = frozenset({429})


@dataclass(frozen=True)
class _Answer:
    body: Any
    status: int
    retries: int


class StackOneRetry(Retry):
    """urllib3 Retry that retries a PATCH only on 429, caps how long Retry-After may hold us, and
    takes each resend from the shared budget (``background``: at the background's priority)."""

    def __init__(self, *args: Any, retry_after_cap: float = 30.0, background: bool = False,
                 **kwargs: Any) -> None:
        self.retry_after_cap = retry_after_cap
        self.background = background
        super().__init__(*args, **kwargs)

    def new(self, **kwargs: Any) -> StackOneRetry:
        kwargs.setdefault("retry_after_cap", self.retry_after_cap)
        kwargs.setdefault("background", self.background)
        return super().new(**kwargs)

    def sleep(self, response: Any = None) -> None:
        """Wait before a resend, then take it from the budget: a 429's Retry-After pauses every
        caller (the budget waits it out); anything else backs off as urllib3 does. Raises
        StackOneBudgetSpent when a person's call would wait too long."""
        seconds = self.get_retry_after(response) if response is not None and response.status == 429 else None
        if seconds is None:
            super().sleep(response)
        else:
            budget_pause(seconds)
        budget_take(background=self.background)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        statuses = READ_RETRY_STATUSES if method.upper() == "GET" else WRITE_RETRY_STATUSES
        return self.total is not False and status_code in statuses and bool(self.total)

    def get_retry_after(self, response: Any) -> float | None:
        # urllib3's own parser raises InvalidHeader on "1.5" or garbage, which would abort a
        # retryable read as "could not reach StackOne"; an odd value falls back to backoff.
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        return None if seconds is None else min(seconds, self.retry_after_cap)


class _TimeoutAdapter(HTTPAdapter):
    """Mounted adapter: a call that passes no timeout gets the configured one."""

    def __init__(self, *, timeout: tuple[float, float], **kwargs: Any) -> None:
        self.timeout = timeout
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def _segment(value: str) -> str:
    """Return ``value`` as one percent-encoded path segment. Raises StackOneInvalidRequest.

    "", "." and ".." are refused: quoting leaves them as they are, and URL normalisation
    (urllib3's, and most servers') would turn ``candidates/..`` into ``/unified/ats``.
    """
    if value in ("", ".", ".."):
        raise StackOneInvalidRequest(f"{value!r} is not a usable id")
    return quote(value, safe="")


def _account_header(account_id: str) -> str:
    """Return ``account_id`` as a header value. Raises StackOneInvalidRequest.

    Only printable ASCII without surrounding spaces is sent: a control character could split
    the header, and anything else fails inside http.client (UnicodeEncodeError) or requests
    (InvalidHeader) looking like a network error, or reaches StackOne as a different id.
    """
    if (
        not account_id
        or account_id != account_id.strip()
        or any(not 0x20 <= ord(ch) < 0x7F for ch in account_id)
    ):
        raise StackOneInvalidRequest(
            "The linked account id is empty, padded with spaces or contains characters "
            "other than printable ASCII"
        )
    return account_id


class StackOneClient:
    """Client for the StackOne endpoints this app uses. Build once; reuse per thread. Every
    request it sends, retries included, first takes a call from the shared budget
    (``candidates.budget``): at the background's priority when ``background``, else a person's
    (unless a task runs in this thread)."""

    def __init__(self, config: StackOneConfig, *, background: bool = False) -> None:
        self.config = config
        self.background = background
        self.session = requests.Session()
        self.session.auth = (config.api_key, "")
        self._secrets = api_key_forms(config.api_key)
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        # The environment's proxy (HTTPS_PROXY, NO_PROXY) and CA bundle (REQUESTS_CA_BUNDLE) are
        # read once, for the one host this client calls, not again on every call as requests does
        # while trust_env is on (about half a read's own CPU); auth is explicit, so no ~/.netrc.
        self.session.trust_env = False
        self.session.proxies.update(get_environ_proxies(config.base_url))
        self.session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        retry = StackOneRetry(
            total=config.max_retries,
            connect=config.max_retries,
            read=False,  # a read timeout may follow a processed write: never resend blindly
            status=config.max_retries,
            other=0,
            allowed_methods=frozenset({"GET", "PATCH"}),
            backoff_factor=config.backoff_factor,
            backoff_max=config.retry_after_cap,
            respect_retry_after_header=True,
            raise_on_status=False,
            retry_after_cap=config.retry_after_cap,
            background=background,
        )
        adapter = _TimeoutAdapter(timeout=(config.connect_timeout, config.timeout), max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    # -- operations ------------------------------------------------------------------------

    def accounts_list(self) -> list[LinkedAccount]:
        """Return the linked accounts (bare array or ``{"data": [...]}``). Raises StackOneError."""
        # Reference: https://docs.stackone.com/platform/api-reference/accounts/list-accounts
        body = self._request("GET", "/accounts", operation="accounts_list", params={"page_size": "100"})
        items = body.get("data") if isinstance(body, dict) else body
        return self._parse(lambda: [LinkedAccount.from_api(item) for item in _as_list(items)])

    def account_get(self, *, account_id: str) -> LinkedAccount:
        """Return one linked account (its status says whether it can be synced). Raises
        StackOneInvalidRequest (an id that is not printable ASCII, before any request),
        StackOneNotFound, StackOneError."""
        # Reference: core spec, stackone_get_account (LinkedAccount)
        _account_header(account_id)  # an id no x-account-id can carry is no linked account: no request
        body = self._request("GET", f"/accounts/{_segment(account_id)}", operation="account_get")
        return self._parse(lambda: LinkedAccount.from_api(body))

    def candidate_get(self, *, account_id: str, candidate_id: str) -> Candidate:
        """Return one candidate with its custom fields. Raises StackOneNotFound, StackOneError."""
        # Reference: https://docs.stackone.com/ats/api-reference/candidates/get-candidate
        body = self._request(
            "GET",
            f"/unified/ats/candidates/{_segment(candidate_id)}",
            operation="candidate_get",
            account_id=account_id,
            params={"include": "custom_fields"},
        )
        return self._parse(lambda: Candidate.from_api(_as_dict(body).get("data")))

    def candidate_list(
        self,
        *,
        account_id: str,
        email: str | None = None,
        updated_after: str | None = None,
        page_size: int = 25,
        cursor: str | None = None,
        fields: tuple[str, ...] = (),
    ) -> CandidatePage:
        """Return one page of candidates and the next cursor: only ``fields`` of each (the
        API's ``fields=``; with ``include=custom_fields`` when they are among them), or whole
        candidates with their custom fields when none are named.
        Raises StackOneError."""
        # Reference: https://docs.stackone.com/ats/api-reference/candidates/list-candidates
        params = {"page_size": str(page_size)}
        if fields:
            params["fields"] = ",".join(fields)
        if not fields or "custom_fields" in fields:  # StackOne sends custom fields only when asked
            params["include"] = "custom_fields"
        if email:
            params["filter[email]"] = email
        if updated_after:
            params["filter[updated_after]"] = updated_after
        if cursor:
            params["next"] = cursor
        body = self._request("GET", "/unified/ats/candidates", operation="candidate_list",
                             account_id=account_id, params=params)
        return self._parse(lambda: CandidatePage.from_api(body))

    def candidate_update(self, *, account_id: str, candidate_id: str, body: dict[str, Any]) -> UpdateResult:
        """PATCH ``body`` as given and return StackOne's ids. Raises StackOneError subclasses."""
        # Reference: https://docs.stackone.com/ats/api-reference/candidates/update-candidate
        answer = self._answer(
            "PATCH",
            f"/unified/ats/candidates/{_segment(candidate_id)}",
            operation="candidate_update",
            account_id=account_id,
            json=body,
        )
        result = self._parse(lambda: UpdateResult.from_api(answer.body))
        if result.id is None:  # a 2xx for this path: the candidate is the one the PATCH named
            result = replace(result, id=candidate_id, id_echoed=False)
        return replace(result, http_status=answer.status, retries=answer.retries)

    def custom_field_definitions_list(self, *, account_id: str) -> list[CustomFieldDefinition]:
        """Return the candidate custom field definitions (first 100). Raises StackOneError."""
        # Reference: https://docs.stackone.com/ats/api-reference/custom-field-definitions
        body = self._request(
            "GET",
            "/unified/ats/custom_field_definitions/candidates",
            operation="custom_field_definitions_list",
            account_id=account_id,
            params={"page_size": "100"},
        )
        items = _as_dict(body).get("data")
        return self._parse(lambda: [CustomFieldDefinition.from_api(item) for item in _as_list(items)])

    def account_meta_get(self, *, account_id: str) -> AccountMeta:
        """Return the account's meta: its provider and the candidate fields it accepts on update.
        Raises StackOneError."""
        # Reference: core spec, stackone_get_account_meta_info (LinkedAccountMeta)
        body = self._request("GET", f"/accounts/{_segment(account_id)}/meta", operation="account_meta_get")
        return self._parse(lambda: AccountMeta.from_api(body))

    # -- transport ---------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        account_id: str | None = None,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Any:
        """Return the parsed JSON body of a 2xx answer. Raises StackOneError subclasses."""
        return self._answer(method, path, operation=operation, account_id=account_id, params=params,
                            json=json).body

    def _answer(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        account_id: str | None = None,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> _Answer:
        """Send one call (``operation`` names it in the metrics). Returns its 2xx answer. Raises
        StackOneError subclasses."""
        headers = {"x-account-id": _account_header(account_id)} if account_id is not None else {}
        url = self.config.base_url + path
        budget_take(background=self.background)
        started = time.perf_counter()
        try:
            response = self.session.request(method, url, params=params, json=json, headers=headers)
        except requests.Timeout as exc:
            stackone_call_observed(operation=operation, status="timeout",
                                   seconds=time.perf_counter() - started)
            raise StackOneUnavailable("StackOne did not answer in time", method=method, url=url) from exc
        except requests.RequestException as exc:
            stackone_call_observed(operation=operation, status="unreachable",
                                   seconds=time.perf_counter() - started)
            raise StackOneUnavailable(
                f"Could not reach StackOne ({type(exc).__name__})", method=method, url=url
            ) from exc
        stackone_call_observed(operation=operation, status=str(response.status_code),
                               seconds=time.perf_counter() - started, retried=_retried_statuses(response))
        retries = _retries_made(response)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, retries=retries, secrets=self._secrets)
        try:
            return _Answer(body=response.json(), status=response.status_code, retries=retries)
        except ValueError as exc:
            raise StackOneBadResponse(
                "StackOne answered with a body that is not JSON",
                status_code=response.status_code, method=method, url=url, retries=retries,
            ) from exc

    @staticmethod
    def _parse(build: Any) -> Any:
        try:
            return build()
        except (ValueError, TypeError, AttributeError) as exc:
            raise StackOneBadResponse(f"StackOne sent an unexpected response: {exc}") from exc


def _as_dict(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise StackOneBadResponse("StackOne sent an unexpected response: expected a JSON object")
    return body


def _as_list(items: Any) -> list[Any]:
    if not isinstance(items, list):
        raise ValueError("expected a list")
    return items


def _retries_made(response: requests.Response) -> int:
    return len(_retried_statuses(response))


def _retried_statuses(response: requests.Response) -> list[int | None]:
    """Return the status of each attempt urllib3 sent again before this answer (None: none came)."""
    retries = getattr(response.raw, "retries", None)
    return [attempt.status for attempt in retries.history] if retries is not None and retries.history else []


_local = threading.local()


def stackone_client(*, bulk: bool = False) -> StackOneClient:
    """Return this thread's client (one Session, so connections are reused across requests).

    ``bulk``: the client background work uses (bulk rows, syncs): its calls take from the budget
    at the background's priority, and it has no status retries of its own: background work
    retries under the budget's one policy instead (``budget.budget_retry``; ``budget_call`` for
    reads), which pauses every worker on a 429.
    """
    config = stackone_config()
    clients: dict[bool, tuple[StackOneConfig, StackOneClient]] = _local.__dict__.setdefault("clients", {})
    built_from, client = clients.get(bulk, (None, None))
    if client is None or built_from is not config:  # new settings: a new client
        client = StackOneClient(replace(config, max_retries=0) if bulk else config, background=bulk)
        clients[bulk] = (config, client)
    return client


__all__ = ["StackOneClient", "StackOneConfig", "StackOneError", "stackone_client", "stackone_config"]
