"""Thin HTTP views for StackOne's paths. Checks and faults: sandbox.api; data: sandbox.store."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, JsonResponse

from sandbox import faults, store
from sandbox.account_meta import account_meta as meta_of
from sandbox.api import (
    PROVIDER_URL,
    control_endpoint,
    endpoint,
    error_response,
    json_response,
    validation_error_response,
)
from sandbox.models import SandboxAccount, SandboxCandidate
from sandbox.validation import (
    QueryError,
    parse_datetime_param,
    parse_page_size,
    parse_positive_int,
    parse_raw,
    split_list,
    update_body_errors,
)


def _query_list(request: HttpRequest, name: str) -> list[str]:
    """?status=a&status=b, ?status=a,b and ?status[]=a all mean [a, b]."""
    values = request.GET.getlist(name) + request.GET.getlist(f"{name}[]")
    return [item for value in values for item in split_list(value)]


def _bad_query(error: QueryError) -> JsonResponse:
    return error_response(400, str(error))


# --- accounts (core API, no x-account-id) --------------------------------------------------


@endpoint("list_accounts", ("GET",), account_required=False)
def accounts(request: HttpRequest) -> JsonResponse:
    try:
        page = parse_positive_int("page", request.GET.get("page"), 1)
        page_size = parse_positive_int("page_size", request.GET.get("page_size"), store.ACCOUNTS_PAGE_SIZE)
    except QueryError as error:
        return _bad_query(error)
    rows = store.list_accounts(
        statuses=_query_list(request, "status"),
        providers=_query_list(request, "providers") + _query_list(request, "provider"),
        account_ids=_query_list(request, "account_ids"),
        origin_owner_ids=_query_list(request, "origin_owner_ids") + _query_list(request, "origin_owner_id"),
    )
    rows = rows[(page - 1) * page_size : page * page_size]
    return json_response([store.serialize_account(row) for row in rows])


@endpoint("get_account", ("GET",), account_required=False)
def account_detail(request: HttpRequest, account_id: str) -> JsonResponse:
    row = SandboxAccount.objects.filter(pk=account_id).first()
    if row is None:
        return error_response(404)
    return json_response(store.serialize_account(row))


@endpoint("get_account_meta_info", ("GET",), account_required=False)
def account_meta(request: HttpRequest, account_id: str) -> JsonResponse:
    row = SandboxAccount.objects.filter(pk=account_id).first()
    if row is None:
        return error_response(404)
    return json_response(meta_of(row))


# --- candidates ----------------------------------------------------------------------------


@endpoint("list_candidates", ("GET",))
def candidates(request: HttpRequest, account: SandboxAccount) -> JsonResponse:
    try:
        raw = parse_raw(request.GET.get("raw"))
        page_size = parse_page_size(request.GET.get("page_size"))
        updated_after = parse_datetime_param(
            "filter[updated_after]",
            request.GET.get("filter[updated_after]") or request.GET.get("updated_after"),
        )
        created_after = parse_datetime_param(
            "filter[created_after]", request.GET.get("filter[created_after]")
        )
        rows, next_cursor = store.list_candidates(
            account,
            email=request.GET.get("filter[email]") or None,
            updated_after=updated_after,
            created_after=created_after,
            page_size=page_size,
            cursor=request.GET.get("next") or None,
        )
    except QueryError as error:
        return _bad_query(error)
    include_custom_fields = "custom_fields" in split_list(request.GET.get("include"))
    fields = split_list(request.GET.get("fields"))
    data = [
        store.serialize_candidate(row, include_custom_fields=include_custom_fields, fields=fields)
        for row in rows
    ]
    body: dict = {"next": next_cursor, "data": data}
    if raw:
        body["raw"] = [_raw_call(f"{PROVIDER_URL}/candidates", [_provider_record(row) for row in rows])]
    return json_response(body)


@endpoint({"GET": "get_candidate", "PATCH": "update_candidate"}, ("GET", "PATCH"))
def candidate(request: HttpRequest, account: SandboxAccount, candidate_id: str) -> JsonResponse:
    if request.method == "PATCH":
        return _update_candidate(request, account, candidate_id)
    try:
        raw = parse_raw(request.GET.get("raw"))
    except QueryError as error:
        return _bad_query(error)
    row = store.get_candidate(account, candidate_id)
    if row is None:
        return _candidate_not_found(candidate_id)
    include_custom_fields = "custom_fields" in split_list(request.GET.get("include"))
    body = store.serialize_candidate(
        row, include_custom_fields=include_custom_fields, fields=split_list(request.GET.get("fields"))
    )
    result: dict = {"data": body}
    if raw:
        result["raw"] = [_raw_call(_provider_url(row.remote_id or candidate_id), _provider_record(row))]
    return json_response(result)


def _provider_record(row: SandboxCandidate) -> dict[str, Any]:
    """The candidate as the sandbox's stand-in provider stores it (its own id is the remote_id)."""
    record = store.serialize_candidate(row, include_custom_fields=True)
    record["id"] = row.remote_id or row.candidate_id
    record.pop("remote_id", None)
    return record


def _raw_call(url: str, response: object) -> dict:
    """One ``RawResponse``: the provider call StackOne made and what the provider answered."""
    return {"method": "GET", "url": url, "body": None, "response": response}


def _update_candidate(request: HttpRequest, account: SandboxAccount, candidate_id: str) -> JsonResponse:
    row = store.get_candidate(account, candidate_id)
    if row is None:
        return _candidate_not_found(candidate_id)
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "Request body is not valid JSON")
    errors = update_body_errors(body)
    if errors:
        return validation_error_response(errors, _provider_url(row.remote_id or candidate_id))
    row = store.apply_patch(row, body)
    return json_response(
        {
            "statusCode": 200,
            "message": "Record updated successfully.",
            "timestamp": store.iso(store.now_ms()),
            "data": {"id": row.candidate_id, "remote_id": row.remote_id or None},
        }
    )


def _provider_url(remote_id: str) -> str:
    return f"{PROVIDER_URL}/candidates/{quote(remote_id, safe='')}"


def _candidate_not_found(candidate_id: str) -> JsonResponse:
    return error_response(
        404,
        "Resource not found",
        provider_errors=[
            {
                "status": 404,
                "url": _provider_url(candidate_id),
                "raw": {"message": "Candidate not found"},
                "headers": {},
            }
        ],
    )


# --- custom field definitions --------------------------------------------------------------


@endpoint("list_custom_field_definitions", ("GET",))
def custom_field_definitions(request: HttpRequest, account: SandboxAccount) -> JsonResponse:
    try:
        raw = parse_raw(request.GET.get("raw"))
    except QueryError as error:
        return _bad_query(error)
    definitions = store.custom_field_definitions(account)
    body: dict = {"next": None, "data": definitions}
    if raw:
        body["raw"] = [_raw_call(f"{PROVIDER_URL}/custom_fields", definitions)]
    return json_response(body)


@endpoint("get_custom_field_definition", ("GET",))
def custom_field_definition(
    request: HttpRequest, account: SandboxAccount, definition_id: str
) -> JsonResponse:
    for definition in store.custom_field_definitions(account):
        if definition.get("id") == definition_id:
            return json_response({"data": definition})
    return error_response(404)


def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under /sandbox/: StackOne's JSON 404 envelope, never Django's HTML page."""
    return error_response(404, f"Cannot {request.method} /{rest}")


# --- control (sandbox only, not part of StackOne) ------------------------------------------


@control_endpoint(("GET", "POST", "DELETE"))
def control_faults(request: HttpRequest) -> JsonResponse:
    if request.method == "DELETE":
        return json_response(faults.reset_faults())
    if request.method == "POST":
        try:
            values = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return error_response(400, "Request body is not valid JSON")
        if not isinstance(values, dict):
            return error_response(400, "Request body must be a JSON object")
        try:
            return json_response(faults.set_faults(**values))
        except faults.FaultConfigError as error:
            return error_response(400, str(error))
    return json_response(faults.get_faults())


@control_endpoint(("GET", "DELETE"))
def control_stats(request: HttpRequest) -> JsonResponse:
    if request.method == "DELETE":
        faults.reset_stats()
    return json_response(faults.stats())


@control_endpoint(("GET",))
def control_connections(request: HttpRequest) -> JsonResponse:
    """Distinct client connections seen since the stats were last reset (DELETE _control/stats)."""
    return json_response(faults.connection_stats())
