"""Tenant isolation applied by the store, so no route or service can forget it.

Every :class:`~sqlalchemy.ext.asyncio.AsyncSession` made by :class:`.db.Database` carries a
:class:`Scope` in ``session.info``. An ORM ``SELECT``/``UPDATE``/``DELETE`` that touches a
:class:`~.models.TenantScoped` table gets ``<tenant column> = :tenant`` added through
``with_loader_criteria``; rows written are checked (and owned rows stamped) at flush. A session
with no scope refuses to run such a query at all (fail closed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from gtvision.services.store.models import TenantOwned, TenantScoped

SCOPE_KEY = "gtv_scope"


class UnscopedQueryError(RuntimeError):
    """A tenant-scoped table was used from a session without a scope, or across tenants."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose rows a session may see: one tenant's, or every tenant's."""

    tenant_id: uuid.UUID | None

    @classmethod
    def tenant(cls, tenant_id: uuid.UUID) -> Scope:
        return cls(tenant_id=tenant_id)

    @classmethod
    def all_tenants(cls) -> Scope:
        """For superadmins, sign-in and maintenance commands only."""
        return cls(tenant_id=None)

    @property
    def unrestricted(self) -> bool:
        return self.tenant_id is None


def session_scope(session: Session) -> Scope:
    scope = session.info.get(SCOPE_KEY)
    if not isinstance(scope, Scope):
        raise UnscopedQueryError("session has no tenant scope")
    return scope


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the parent row was already filtered
    scoped = {
        mapper.class_ for mapper in state.all_mappers if issubclass(mapper.class_, TenantScoped)
    }
    if not scoped:
        return
    scope = session_scope(state.session)
    if scope.unrestricted:
        return
    state.statement = state.statement.options(
        *(
            with_loader_criteria(cls, cls.tenant_column() == scope.tenant_id, include_aliases=True)
            for cls in scoped
        )
    )


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        scope = session_scope(session)
        owner = getattr(obj, obj.tenant_key)
        if owner is None and isinstance(obj, TenantOwned):
            if scope.unrestricted:
                raise UnscopedQueryError(f"{type(obj).__name__} written without a tenant")
            obj.tenant_id = scope.tenant_id
        elif not scope.unrestricted and owner != scope.tenant_id:
            raise UnscopedQueryError(f"{type(obj).__name__} written across tenants")
