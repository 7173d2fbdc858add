"""Watch lists and their entries: operators read them, admins change them; all audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import (
    ImportReport,
    Role,
    WatchlistCreate,
    WatchlistEntryCreate,
    WatchlistEntryUpdate,
    WatchlistUpdate,
)
from gtvision.contract._lpr import ImportRowError
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import ConflictError, InvalidInputError, NotFoundError
from gtvision.services.events.directory import publish_change
from gtvision.services.lpr.plates import PlateSyntaxError, like_pattern, normalize_pattern
from gtvision.services.store import queries
from gtvision.services.store.models import Watchlist, WatchlistEntry
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404
from gtvision.services.store.values import column_values
from gtvision.services.watchlists import csvio


def _audit(
    session: AsyncSession, caller: Caller, action: str, target: uuid.UUID, **detail: object
) -> None:
    event = AuditEvent(action, target_type="watchlist", target_id=target, detail=dict(detail))
    record(session, caller, event)


async def list_watchlists(
    caller: Caller, q: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[Watchlist], str | None]:
    caller.tenant()
    caller.require(Role.OPERATOR)
    async with caller.read_session() as session:
        return await fetch_page(session, queries.watchlists(q=q), Watchlist.id, cursor, limit)


async def get_watchlist(caller: Caller, watchlist_id: uuid.UUID) -> Watchlist:
    async with caller.read_session() as session:
        watchlist = await get_or_404(session, Watchlist, watchlist_id)
    caller.require(Role.OPERATOR)
    return watchlist


async def create_watchlist(caller: Caller, data: WatchlistCreate) -> Watchlist:
    caller.tenant()
    caller.require(Role.ADMIN)
    try:
        async with caller.session() as session:
            watchlist = Watchlist(**column_values(data, only_set=False))
            session.add(watchlist)
            await session.flush()
            _audit(session, caller, "watchlist.create", watchlist.id, name=watchlist.name)
            await publish_change(session, watchlist.tenant_id, watchlist, "created")
    except IntegrityError:
        raise ConflictError(f"a watch list named {data.name!r} exists") from None
    return watchlist


async def update_watchlist(
    caller: Caller, watchlist_id: uuid.UUID, data: WatchlistUpdate, expected_version: int | None
) -> Watchlist:
    try:
        async with caller.session() as session:
            watchlist = await get_or_404(session, Watchlist, watchlist_id)
            caller.require(Role.ADMIN)
            check_version(watchlist, expected_version)
            changed = apply_changes(watchlist, column_values(data, only_set=True))
            if changed:
                await session.flush()
                _audit(session, caller, "watchlist.update", watchlist.id, fields=changed)
                await publish_change(session, watchlist.tenant_id, watchlist, "updated", changed)
    except IntegrityError:
        raise ConflictError("a watch list with that name exists") from None
    return watchlist


async def delete_watchlist(
    caller: Caller, watchlist_id: uuid.UUID, expected_version: int | None
) -> None:
    async with caller.session() as session:
        watchlist = await get_or_404(session, Watchlist, watchlist_id)
        caller.require(Role.ADMIN)
        check_version(watchlist, expected_version)
        await session.delete(watchlist)
        _audit(session, caller, "watchlist.delete", watchlist.id, name=watchlist.name)
        await publish_change(session, watchlist.tenant_id, watchlist, "deleted")


# Entries -------------------------------------------------------------------------------------


async def _entries_changed(session: AsyncSession, watchlist: Watchlist) -> None:
    await publish_change(session, watchlist.tenant_id, watchlist, "updated", ["entries"])


def _pattern(text: str) -> str:
    try:
        return normalize_pattern(text)
    except PlateSyntaxError as exc:
        raise InvalidInputError(f"pattern: {exc}") from None


async def _entry(
    session: AsyncSession, watchlist_id: uuid.UUID, entry_id: uuid.UUID
) -> WatchlistEntry:
    entry = await session.get(WatchlistEntry, entry_id)
    if entry is None or entry.watchlist_id != watchlist_id:
        raise NotFoundError(f"entry {entry_id} not found")
    return entry


async def list_entries(
    caller: Caller, watchlist_id: uuid.UUID, q: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[WatchlistEntry], str | None]:
    async with caller.read_session() as session:
        await get_or_404(session, Watchlist, watchlist_id)
        caller.require(Role.OPERATOR)
        stmt = queries.watchlist_entries(watchlist_id=watchlist_id, q=q)
        return await fetch_page(session, stmt, WatchlistEntry.id, cursor, limit)


async def add_entry(
    caller: Caller, watchlist_id: uuid.UUID, data: WatchlistEntryCreate
) -> WatchlistEntry:
    pattern = _pattern(data.pattern)
    try:
        async with caller.session() as session:
            watchlist = await get_or_404(session, Watchlist, watchlist_id)
            caller.require(Role.ADMIN)
            entry = WatchlistEntry(
                watchlist_id=watchlist_id, pattern=pattern, like_pattern=like_pattern(pattern),
                reason=data.reason, priority=data.priority, expires_at=data.expires_at,
            )  # fmt: skip
            session.add(entry)
            await session.flush()
            _audit(session, caller, "watchlist.entry.add", watchlist_id, pattern=pattern)
            await _entries_changed(session, watchlist)
    except IntegrityError:
        raise ConflictError(f"{pattern} is already on this list") from None
    return entry


async def update_entry(
    caller: Caller,
    watchlist_id: uuid.UUID,
    entry_id: uuid.UUID,
    data: WatchlistEntryUpdate,
    expected_version: int | None,
) -> WatchlistEntry:
    async with caller.session() as session:
        entry = await _entry(session, watchlist_id, entry_id)
        caller.require(Role.ADMIN)
        check_version(entry, expected_version)
        changed = apply_changes(entry, column_values(data, only_set=True))
        if changed:
            await session.flush()
            _audit(session, caller, "watchlist.entry.update", watchlist_id,
                   pattern=entry.pattern, fields=changed)  # fmt: skip
            await _entries_changed(session, await get_or_404(session, Watchlist, watchlist_id))
    return entry


async def remove_entry(
    caller: Caller, watchlist_id: uuid.UUID, entry_id: uuid.UUID, expected_version: int | None
) -> None:
    async with caller.session() as session:
        entry = await _entry(session, watchlist_id, entry_id)
        caller.require(Role.ADMIN)
        check_version(entry, expected_version)
        await session.delete(entry)
        _audit(session, caller, "watchlist.entry.remove", watchlist_id, pattern=entry.pattern)
        await _entries_changed(session, await get_or_404(session, Watchlist, watchlist_id))


async def import_csv(caller: Caller, watchlist_id: uuid.UUID, body: bytes) -> ImportReport:
    """Good rows added or updated (by pattern) together; bad rows reported by line; a file
    whose header names no pattern column is refused whole (422)."""
    imported = updated = 0
    async with caller.session() as session:
        # Whose list, and may they, before what the file says: another tenant's list is a 404
        # whatever the body.
        watchlist = await get_or_404(session, Watchlist, watchlist_id)
        caller.require(Role.ADMIN)
        if not body:
            raise InvalidInputError("send the CSV as the request body (Content-Type: text/csv)")
        try:
            rows, errors = csvio.parse(body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InvalidInputError("the CSV must be UTF-8") from None
        except csvio.HeaderError as exc:
            raise InvalidInputError(f"CSV line 1: {exc}") from None
        existing = await queries.entries_by_pattern(session, watchlist_id)
        for row in rows:
            entry = existing.get(row.pattern)
            if entry is None:
                session.add(WatchlistEntry(
                    watchlist_id=watchlist_id, pattern=row.pattern,
                    like_pattern=like_pattern(row.pattern), reason=row.reason,
                    priority=row.priority, expires_at=row.expires_at,
                ))  # fmt: skip
                imported += 1
            elif apply_changes(entry, {"reason": row.reason, "priority": row.priority,
                                       "expires_at": row.expires_at}):  # fmt: skip
                updated += 1
        _audit(session, caller, "watchlist.import", watchlist_id,
               imported=imported, updated=updated, rejected=len(errors))  # fmt: skip
        if imported or updated:
            await _entries_changed(session, watchlist)
    return ImportReport(
        imported=imported,
        updated=updated,
        errors=[ImportRowError(line=e.line, error=e.error) for e in errors],
    )


async def export_csv(caller: Caller, watchlist_id: uuid.UUID) -> str:
    async with caller.session() as session:
        await get_or_404(session, Watchlist, watchlist_id)
        caller.require(Role.OPERATOR)
        entries = sorted((await queries.entries_by_pattern(session, watchlist_id)).values(),
                         key=lambda e: e.pattern)  # fmt: skip
        _audit(session, caller, "watchlist.export", watchlist_id, rows=len(entries))
    return csvio.render([(e.pattern, e.reason, e.priority, e.expires_at) for e in entries])
