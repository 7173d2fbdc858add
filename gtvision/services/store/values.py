"""Turning validated API models into column values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import AnyUrl, BaseModel, SecretStr

from gtvision.services.errors import InvalidInputError


def column_values(fields: dict[str, Any]) -> dict[str, Any]:
    """URLs become text, nested models JSON; secrets must have been taken out before."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, SecretStr):
            raise TypeError(f"{name} is a secret: handle it before storing")
        if isinstance(value, AnyUrl):
            value = str(value)
        elif isinstance(value, BaseModel):
            value = value.model_dump(mode="json", exclude_none=True)
        values[name] = value
    return values


def reject_nulls(changes: dict[str, Any], required: Iterable[str]) -> None:
    """PATCH may omit a required field but not set it to null."""
    nulls = sorted(name for name in required if name in changes and changes[name] is None)
    if nulls:
        raise InvalidInputError(f"these fields cannot be null: {', '.join(nulls)}")
