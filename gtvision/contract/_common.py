from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Request(BaseModel):
    """Base of request bodies: unknown fields are an error, and so is a NUL character."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL; refuse it here as bad input, not later as a 500.
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
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
