"""Typed values at the StackOne boundary: frozen dataclasses built by ``from_api()``.

``from_api`` is lenient about absent keys (StackOne omits what a provider lacks) and strict
about types: a value of the wrong JSON type raises ``ValueError``, which the client turns
into ``StackOneBadResponse``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

JSONValue: TypeAlias = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]
JSONObject: TypeAlias = dict[str, JSONValue]

PHONE_TYPES = ("personal", "work", "mobile", "home", "unknown", "other")


def _obj(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key.endswith("id"):
        return str(value)  # some providers send numeric ids
    raise ValueError(f"{key}: expected a string, got {type(value).__name__}")


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list, got {type(value).__name__}")
    return value


def _str_list(data: dict[str, Any], key: str) -> tuple[str, ...]:
    items = _list(data, key)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"{key}: expected a list of strings")
    return tuple(items)


def _json_object(data: dict[str, Any], key: str) -> JSONObject | None:
    value = data.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise ValueError(f"{key}: expected a JSON object, got {type(value).__name__}")


@dataclass(frozen=True)
class Email:
    type: str | None
    value: str | None

    @classmethod
    def from_api(cls, data: Any) -> Email:
        data = _obj(data, "emails[]")
        return cls(type=_str(data, "type"), value=_str(data, "value"))


@dataclass(frozen=True)
class PhoneNumber:
    type: str | None
    phone: str | None

    @classmethod
    def from_api(cls, data: Any) -> PhoneNumber:
        data = _obj(data, "phone_numbers[]")
        return cls(type=_str(data, "type"), phone=_str(data, "phone"))


@dataclass(frozen=True)
class SocialLink:
    type: str | None
    url: str | None

    @classmethod
    def from_api(cls, data: Any) -> SocialLink:
        data = _obj(data, "social_links[]")
        return cls(type=_str(data, "type"), url=_str(data, "url"))


@dataclass(frozen=True)
class CustomField:
    id: str | None
    remote_id: str | None
    name: str | None
    value: JSONValue
    value_id: str | None
    remote_value_id: str | None

    @classmethod
    def from_api(cls, data: Any) -> CustomField:
        data = _obj(data, "custom_fields[]")
        return cls(
            id=_str(data, "id"),
            remote_id=_str(data, "remote_id"),
            name=_str(data, "name"),
            value=data.get("value"),
            value_id=_str(data, "value_id"),
            remote_value_id=_str(data, "remote_value_id"),
        )


@dataclass(frozen=True)
class Tag:
    remote_id: str | None
    name: str | None

    @classmethod
    def from_api(cls, data: Any) -> Tag:
        data = _obj(data, "tags[]")
        return cls(remote_id=_str(data, "remote_id"), name=_str(data, "name"))


@dataclass(frozen=True)
class Candidate:
    """A StackOne ``Candidate``. ``raw`` keeps the parsed JSON object for snapshots."""

    id: str | None
    remote_id: str | None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    emails: tuple[Email, ...] = ()
    social_links: tuple[SocialLink, ...] = ()
    phone: str | None = None
    phone_numbers: tuple[PhoneNumber, ...] = ()
    company: str | None = None
    title: str | None = None
    application_ids: tuple[str, ...] = ()
    remote_application_ids: tuple[str, ...] = ()
    hired_at: str | None = None
    country: str | None = None
    custom_fields: tuple[CustomField, ...] = ()
    unified_custom_fields: JSONObject | None = None
    tags: tuple[Tag, ...] = ()
    created_at: str | None = None
    updated_at: str | None = None
    raw: JSONObject = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: Any) -> Candidate:
        data = _obj(data, "candidate")
        scalars = ("id", "remote_id", "name", "first_name", "last_name", "email", "phone",
                   "company", "title", "hired_at", "country", "created_at", "updated_at")
        return cls(
            **{key: _str(data, key) for key in scalars},
            emails=tuple(Email.from_api(item) for item in _list(data, "emails")),
            social_links=tuple(SocialLink.from_api(item) for item in _list(data, "social_links")),
            phone_numbers=tuple(PhoneNumber.from_api(item) for item in _list(data, "phone_numbers")),
            application_ids=_str_list(data, "application_ids"),
            remote_application_ids=_str_list(data, "remote_application_ids"),
            custom_fields=tuple(CustomField.from_api(item) for item in _list(data, "custom_fields")),
            unified_custom_fields=_json_object(data, "unified_custom_fields"),
            tags=tuple(Tag.from_api(item) for item in _list(data, "tags")),
            raw=data,
        )

    @property
    def display_name(self) -> str:
        """The name a recruiter recognises: ``name``, else first + last, else the id."""
        joined = " ".join(part for part in (self.first_name, self.last_name) if part)
        return self.name or joined or self.email or self.id or "(unnamed)"


@dataclass(frozen=True)
class CandidatePage:
    items: tuple[Candidate, ...]
    next_cursor: str | None

    @classmethod
    def from_api(cls, data: Any) -> CandidatePage:
        data = _obj(data, "candidates page")
        if "data" not in data:
            raise ValueError("candidates page: missing 'data'")
        return cls(
            items=tuple(Candidate.from_api(item) for item in _list(data, "data")),
            next_cursor=_str(data, "next") or None,
        )


@dataclass(frozen=True)
class LinkedAccount:
    id: str
    provider: str | None
    provider_name: str | None
    status: str | None
    label: str | None
    origin_owner_name: str | None

    @classmethod
    def from_api(cls, data: Any) -> LinkedAccount:
        data = _obj(data, "linked account")
        account_id = _str(data, "id")
        if not account_id:
            raise ValueError("linked account: missing 'id'")
        return cls(
            id=account_id,
            provider=_str(data, "provider"),
            provider_name=_str(data, "provider_name"),
            status=_str(data, "status"),
            label=_str(data, "label"),
            origin_owner_name=_str(data, "origin_owner_name"),
        )

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def display_name(self) -> str:
        return self.label or self.provider_name or self.provider or self.id


@dataclass(frozen=True)
class UpdateResult:
    """StackOne's answer to a PATCH (a ``CreateResult``): the ids it reports and its message."""

    id: str | None
    remote_id: str | None
    message: str | None
    timestamp: str | None
    status_code: int | None
    http_status: int | None = None  # the HTTP status (the body's statusCode is unreliable: 201 on PATCH)
    retries: int = 0  # retries the client made (429 only, for a PATCH)
    # False when StackOne's answer carried no data.id (its schema allows null): the id is then
    # the one the request was sent to (the client fills it in), and pages say so.
    id_echoed: bool = True

    @classmethod
    def from_api(cls, data: Any) -> UpdateResult:
        """Return the answer's ids and message (``id`` None when StackOne did not echo it).
        Raises ValueError when the body is not the object StackOne documents."""
        data = _obj(data, "update result")
        result = _obj(data.get("data"), "update result 'data'")
        status = data.get("statusCode")
        return cls(
            id=_str(result, "id") or None,
            remote_id=_str(result, "remote_id"),
            message=_str(data, "message"),
            timestamp=_str(data, "timestamp"),
            status_code=status if isinstance(status, int) else None,
        )


@dataclass(frozen=True)
class CustomFieldDefinition:
    id: str | None
    remote_id: str | None
    name: str | None
    type: str | None
    options: tuple[JSONValue, ...] = ()

    @classmethod
    def from_api(cls, data: Any) -> CustomFieldDefinition:
        data = _obj(data, "custom field definition")
        type_ = data.get("type")
        return cls(
            id=_str(data, "id"),
            remote_id=_str(data, "remote_id"),
            name=_str(data, "name"),
            type=type_.get("value") if isinstance(type_, dict) else None,
            options=tuple(_list(data, "options")),
        )


@dataclass(frozen=True)
class AccountMeta:
    """What ``GET /accounts/{id}/meta`` (core ``LinkedAccountMeta``) says about a linked account:
    its provider and the candidate fields its connector accepts on update (empty: not listed)."""

    provider: str | None
    candidate_update_fields: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Any) -> AccountMeta:
        data = _obj(data, "account meta")
        # models.candidates.update.input.defaultFields[].name; every level may be missing.
        node: Any = data.get("models")
        for key in ("candidates", "update", "input"):
            node = node.get(key) if isinstance(node, dict) else None
        fields = node.get("defaultFields") if isinstance(node, dict) else None
        names = tuple(item["name"] for item in fields or () if isinstance(item, dict)
                      and isinstance(item.get("name"), str)) if isinstance(fields, list) else ()
        return cls(provider=_str(data, "provider"), candidate_update_fields=names)
