"""What every service-layer call receives: who is calling, from where, and the shared handles."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import Role
from gtvision.services.auth.keys import Keys
from gtvision.services.auth.tokens import Principal
from gtvision.services.background import Supervisor
from gtvision.services.errors import ForbiddenError
from gtvision.services.objects import ObjectStore
from gtvision.services.ptz.sessions import PtzSessions
from gtvision.services.settings import Settings
from gtvision.services.store.db import Database
from gtvision.services.store.tenancy import Scope


@dataclass(frozen=True, slots=True)
class Runtime:
    """Process-wide handles, built at start-up."""

    settings: Settings
    db: Database
    keys: Keys
    objects: ObjectStore  # plate crops and frames
    recordings: ObjectStore
    exports: ObjectStore
    supervisor: Supervisor = field(default_factory=Supervisor)
    ptz: PtzSessions = field(default_factory=PtzSessions)
    camera_listeners: list[Callable[[], None]] = field(default_factory=list)
    export_listeners: list[Callable[[], None]] = field(default_factory=list)

    def cameras_changed(self) -> None:
        """Tell whoever mirrors cameras elsewhere (the MediaMTX reconciler) to look again."""
        for listener in self.camera_listeners:
            listener()

    def exports_requested(self) -> None:
        """Wake the export worker rather than leave the clip to its next poll."""
        for listener in self.export_listeners:
            listener()


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request as the service layer sees it."""

    principal: Principal
    source_ip: str
    runtime: Runtime

    @property
    def scope(self) -> Scope:
        if self.principal.tenant_id is None:
            return Scope.all_tenants()
        return Scope.tenant(self.principal.tenant_id)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One transaction, scoped to the caller's tenant."""
        async with self.runtime.db.session(self.scope) as session:
            yield session

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """Reads only, no transaction, scoped to the caller's tenant."""
        async with self.runtime.db.read_session(self.scope) as session:
            yield session

    def require(self, role: Role) -> None:
        if not self.principal.at_least(role):
            raise ForbiddenError(f"requires the {role.value} role")

    def tenant(self) -> uuid.UUID:
        """The caller's tenant, for routes that only make sense inside one."""
        if self.principal.tenant_id is None:
            raise ForbiddenError("superadmins have no tenant: sign in as a tenant user")
        return self.principal.tenant_id
