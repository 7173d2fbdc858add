"""Turning validated API models into column values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import AnyUrl, BaseModel, SecretStr


def column_values(
    data: BaseModel, *, only_set: bool = False, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """Fields as columns: URLs become text, nested models JSON. Secrets must be excluded.

    ``only_set`` keeps just the fields the client sent, which is what a PATCH changes.
    """
    names = data.model_fields_set if only_set else type(data).model_fields.keys()
    values: dict[str, Any] = {}
    for name in names:
        if name in exclude:
            continue
        value = getattr(data, name)
        if isinstance(value, SecretStr):
            raise TypeError(f"{name} is a secret: handle it before storing")
        if isinstance(value, AnyUrl):
            value = str(value)
        elif isinstance(value, BaseModel):
            value = value.model_dump(mode="json", exclude_none=True)
        values[name] = value
    return values
