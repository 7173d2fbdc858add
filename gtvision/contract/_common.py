from __future__ import annotations

import types
import typing
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

API_PREFIX = "/api/v1"

T = TypeVar("T")


class Role(StrEnum):
    """Roles in rising order of power; ``superadmin`` manages tenants and has none."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"
    SUPERADMIN = "superadmin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _plain_types(annotation: Any) -> set[Any]:
    """``datetime | None`` → {datetime, NoneType}; Annotated and unions unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _plain_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_plain_types(arg) for arg in typing.get_args(annotation)))
    return {annotation}


def _iso_time(value: Any) -> Any:
    """A time must be written as one (ISO 8601): pydantic would take 0.5 or "0.5" as seconds
    since 1970, so a typo in a filter silently asked about 1970."""
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("give a time in ISO 8601 with its zone, e.g. 2026-12-02T08:00:00-03:00")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A point in time as the API takes it, in queries and bodies: ISO 8601 with a zone.
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_time)]


class Request(BaseModel):
    """Base of request bodies: unknown fields are an error, and so is a NUL character, and a
    value of the wrong JSON type is not quietly converted (``"active": 0`` is not false)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL; refuse it here as bad input, not later as a 500.
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
        return data

    @model_validator(mode="before")
    @classmethod
    def _no_coercion(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name, field in cls.model_fields.items():
            key = field.alias or name
            value = data.get(key)
            if value is None:
                continue
            kinds = _plain_types(field.annotation) - {type(None)}
            if kinds == {bool} and not isinstance(value, bool):
                raise ValueError(f"{key}: true or false")
            if kinds & {datetime} and not isinstance(value, str | datetime):
                raise ValueError(f"{key}: a time in ISO 8601, e.g. 2026-12-02T08:00:00-03:00")
            if kinds & {float, int} and isinstance(value, bool):
                raise ValueError(f"{key}: a number, not true or false")
        return data


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[T]
    next_cursor: str | None = Field(description="Opaque cursor of the next page; null at the end.")


class Problem(BaseModel):
    """An error, as RFC 9457 ``application/problem+json``."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, object]] | None = Field(
        None, description="For 422: one entry per invalid field, with its location."
    )
    kind: str | None = Field(
        None,
        description="Why a camera could not be used, for a client to act on: unreachable, "
        "wrong_credentials, not_onvif, clock_skew, not_supported (snapshots: no_source, "
        "unauthorized, undecodable…).",
        examples=["wrong_credentials"],
    )
