"""Writing and reading the audit log.

Entries of a successful change are written in the change's own transaction, so a change is
never committed without its entry. Refusals and failures are written in a transaction of their
own, because the main one is rolled back.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import Role
from gtvision.services.context import Caller
from gtvision.services.csvsafe import SafeWriter
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.models import AuditEntry
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.tenancy import Scope


@dataclass(frozen=True, slots=True)
class AuditEvent:
    action: str
    outcome: str = "success"
    target_type: str | None = None
    target_id: uuid.UUID | str | None = None
    detail: dict[str, Any] | None = None


def _entry(
    event: AuditEvent,
    *,
    tenant_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    username: str | None,
    source_ip: str | None,
) -> AuditEntry:
    return AuditEntry(
        tenant_id=tenant_id,
        user_id=user_id,
        username=username,
        action=event.action,
        target_type=event.target_type,
        target_id=str(event.target_id) if event.target_id is not None else None,
        source_ip=source_ip,
        outcome=event.outcome,
        detail=event.detail or {},
    )


def record(
    session: AsyncSession, caller: Caller, event: AuditEvent, *, tenant_id: uuid.UUID | None = None
) -> None:
    """Add an entry to the caller's current transaction."""
    principal = caller.principal
    session.add(
        _entry(
            event,
            tenant_id=tenant_id or principal.tenant_id,
            user_id=principal.user_id,
            username=principal.username,
            source_ip=caller.source_ip,
        )
    )


async def record_alone(
    db: Database,
    event: AuditEvent,
    *,
    tenant_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    username: str | None,
    source_ip: str | None,
) -> None:
    """Write an entry in its own transaction (refused logins, failures)."""
    async with db.session(Scope.all_tenants()) as session:
        session.add(
            _entry(
                event,
                tenant_id=tenant_id,
                user_id=user_id,
                username=username,
                source_ip=source_ip,
            )
        )


@dataclass(frozen=True, slots=True)
class AuditFilter:
    action: str | None = None
    user_id: uuid.UUID | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_entries(
    caller: Caller, filters: AuditFilter, cursor: str | None, limit: int
) -> tuple[Sequence[AuditEntry], str | None]:
    caller.require(Role.ADMIN)
    stmt = queries.audit_entries(
        action=filters.action,
        user_id=filters.user_id,
        target_id=filters.target_id,
        since=filters.since,
        until=filters.until,
    )
    async with caller.read_session() as session:
        return await fetch_page(session, stmt, AuditEntry.id, cursor, limit)


EXPORT_MAX_ROWS = 100_000
CSV_COLUMNS = ("at", "username", "action", "outcome", "target_type", "target_id", "source_ip",
               "detail")  # fmt: skip


async def export_csv(caller: Caller, filters: AuditFilter) -> tuple[str, bool]:
    """The matching entries, oldest first, as CSV (at most ``EXPORT_MAX_ROWS``), and whether
    it was cut short. Exporting is itself audited."""
    caller.require(Role.ADMIN)
    stmt = queries.audit_entries(
        action=filters.action, user_id=filters.user_id, target_id=filters.target_id,
        since=filters.since, until=filters.until,
    ).order_by(AuditEntry.at, AuditEntry.id)  # fmt: skip
    out = io.StringIO()
    writer = SafeWriter(out)  # usernames and details come from users
    writer.writerow(CSV_COLUMNS)
    async with caller.session() as session:
        result = await session.stream_scalars(stmt.limit(EXPORT_MAX_ROWS + 1))
        count, truncated = 0, False
        async for entry in result:
            if count == EXPORT_MAX_ROWS:  # the one row past the limit: there was more
                truncated = True
                break
            writer.writerow((
                entry.at.isoformat(), entry.username or "", entry.action, entry.outcome,
                entry.target_type or "", entry.target_id or "", entry.source_ip or "",
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ))  # fmt: skip
            count += 1
        detail = {"action": filters.action, "user_id": str(filters.user_id or "") or None,
                  "since": filters.since.isoformat() if filters.since else None,
                  "until": filters.until.isoformat() if filters.until else None,
                  "rows": count, "truncated": truncated}  # fmt: skip
        record(session, caller, AuditEvent("audit.export", detail=detail))
    return out.getvalue(), truncated
