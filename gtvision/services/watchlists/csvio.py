"""Watch-list entries to and from CSV: ``pattern,reason,priority,expires_at``.

Parsing is separate from storing so every row is checked before anything is written: the
report names each bad row by its line, and the good ones go in together, in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gtvision.services.csvsafe import SafeWriter
from gtvision.services.lpr.plates import PlateSyntaxError, normalize_pattern

COLUMNS = ("pattern", "reason", "priority", "expires_at")
MAX_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class EntryRow:
    line: int
    pattern: str
    reason: str
    priority: int
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    error: str


class HeaderError(ValueError):
    """The file cannot be read at all (no rows can be): the whole import is refused."""


def parse(text: str) -> tuple[list[EntryRow], list[RowError]]:
    rows: list[EntryRow] = []
    errors: list[RowError] = []
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise HeaderError(f"not CSV ({exc})") from None
    if "pattern" not in header:
        raise HeaderError("the header must name a 'pattern' column (and optionally reason, "
                          "priority, expires_at)")  # fmt: skip
    unknown = set(header) - set(COLUMNS)
    if unknown:
        raise HeaderError(f"unknown columns: {', '.join(sorted(unknown))}")
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for raw in _records(reader, errors):
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"more than {MAX_ROWS} rows: split the file"))
            break
        if None in raw:
            errors.append(RowError(line, "more fields than the header names"))
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        try:
            rows.append(_row(line, values, seen))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return rows, errors


def _records(
    reader: csv.DictReader[str], errors: list[RowError]
) -> Iterator[dict[str | Any, str | Any]]:
    """The rows, up to the first that is not CSV at all (reported, and the rest with it)."""
    try:
        yield from reader
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"not CSV from here on ({exc})"))


def _row(line: int, values: dict[str, str], seen: dict[str, int]) -> EntryRow:
    try:
        pattern = normalize_pattern(values.get("pattern", ""))
    except PlateSyntaxError as exc:
        raise ValueError(f"pattern: {exc}") from None
    if pattern in seen:
        raise ValueError(f"pattern {pattern} already on line {seen[pattern]}")
    reason = values.get("reason", "")
    if len(reason) > 500:
        raise ValueError("reason: at most 500 characters")
    priority_text = values.get("priority") or "2"
    if priority_text not in {"1", "2", "3", "4"}:
        raise ValueError(f"priority: {priority_text!r} is not 1, 2, 3 or 4")
    expires_at = None
    if values.get("expires_at"):
        try:
            expires_at = datetime.fromisoformat(values["expires_at"])
        except ValueError:
            raise ValueError(
                f"expires_at: {values['expires_at']!r} is not an ISO 8601 date"
            ) from None
        if expires_at.tzinfo is None:
            raise ValueError("expires_at: give a time zone (e.g. 2027-01-31T23:59:00-03:00)")
    seen[pattern] = line
    return EntryRow(line, pattern, reason, int(priority_text), expires_at)


def render(entries: list[tuple[str, str, int, datetime | None]]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)  # reasons are typed by users
    writer.writerow(COLUMNS)
    for pattern, reason, priority, expires_at in entries:
        writer.writerow((pattern, reason, priority, expires_at.isoformat() if expires_at else ""))
    return out.getvalue()
