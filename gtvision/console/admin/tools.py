"""The administration menu: the one place that builds its actions and decides what a role is
offered (a viewer sees none of it, an operator the dashboard, an admin everything)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from gtvision.console.api import ServiceError
from gtvision.console.qt import async_slot
from gtvision.console.session import ConsoleSession
from gtvision.contract import Role


class AdminTools(QObject):
    def __init__(self, session: ConsoleSession, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.menu = QMenu(self.tr("Administration"), window)
        self.button = QToolButton(window)
        self.button.setText(self.tr("Administration"))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.placed: QAction | None = None  # the button's place on a toolbar, if put on one
        self._opened: dict[str, QObject] = {}
        self._settings: dict[str, QObject] = {}
        self.actions: dict[str, tuple[QAction, Role]] = {}
        for key, text, role, opener in (
            ("dashboard", self.tr("Dashboard"), Role.OPERATOR, self.open_dashboard),
            ("find", self.tr("Find cameras…"), Role.ADMIN, self.open_finder),
            ("zones", self.tr("Zones…"), Role.ADMIN, self.open_zones),
            ("watchlists", self.tr("Watch lists…"), Role.ADMIN, self.open_watchlists),
            ("users", self.tr("Users…"), Role.ADMIN, self.open_users),
            ("webhooks", self.tr("Webhooks…"), Role.ADMIN, self.open_webhooks),
            ("audit", self.tr("Audit trail…"), Role.ADMIN, self.open_audit),
            ("tenants", self.tr("Cities…"), Role.SUPERADMIN, self.open_tenants),
        ):
            action = QAction(text, self.menu)
            action.triggered.connect(opener)
            self.menu.addAction(action)
            self.actions[key] = (action, role)
        session.signedIn.connect(lambda _who: self.follow_role())
        session.signedOut.connect(lambda _why: self.follow_role())
        self.follow_role()

    def offered(self, key: str) -> bool:
        """What the signed-in user is offered: a city's tools need a city (a superadmin has
        none and is offered the cities), each from its role up."""
        _, role = self.actions[key]
        me = self.session.me
        if me is None or not self.session.may(role):
            return False
        return (key == "tenants") == (me.role == Role.SUPERADMIN)

    def follow_role(self) -> None:
        """Offer what the signed-in role may do; close what the next operator may not see."""
        for key, (action, _) in self.actions.items():
            action.setVisible(self.offered(key))
        offered = any(a.isVisible() for a, _ in self.actions.values())
        self.button.setVisible(offered)
        if self.placed is not None:
            self.placed.setVisible(offered)  # a toolbar's widget shows through its action
        for key, presenter in list(self._opened.items()):
            dialog = getattr(presenter, "dialog", None)
            if not self.offered(key) and isinstance(dialog, QWidget):
                dialog.close()
        if not self.session.may(Role.ADMIN):
            for presenter in self._settings.values():
                dialog = getattr(presenter, "dialog", None)
                if isinstance(dialog, QWidget):
                    dialog.close()

    def place_on(self, toolbar: QToolBar) -> None:
        self.placed = toolbar.addWidget(self.button)
        self.follow_role()

    @async_slot(str, str)
    async def move_camera(self, camera_id: str, zone_id: str) -> None:
        """A camera dropped on a zone in the tree (``""``: no zone); the tree follows the
        camera event, so a refusal leaves it where it was."""
        camera = self.session.cameras.get(camera_id)
        if camera is None or str(camera.zone_id or "") == zone_id or not self.is_admin:
            return
        try:
            await self.session.admin().update_camera(camera, {"zone_id": zone_id or None})
        except ServiceError as exc:
            self.session.problem.emit(str(exc))

    @async_slot(str)
    async def camera_settings(self, camera_id: str) -> None:
        await self.open_camera_settings(camera_id)

    @property
    def is_admin(self) -> bool:
        """A city's admin (a superadmin administers cities, not one city's cameras)."""
        return self.session.may(Role.ADMIN) and not self.session.may(Role.SUPERADMIN)

    def _presenter(self, key: str, make: Callable[[], QObject]) -> QObject:
        if key not in self._opened:
            self._opened[key] = make()
        return self._opened[key]

    # Openers ------------------------------------------------------------------------------

    def open_finder(self) -> None:
        from gtvision.console.admin.finder import CameraFinder

        finder = self._presenter("find", lambda: CameraFinder(self.session, self.window))
        assert isinstance(finder, CameraFinder)
        finder.open()

    async def open_camera_settings(self, camera_id: str) -> QObject | None:
        """One settings dialog per camera; asking again brings it to the front."""
        from gtvision.console.admin.camera_settings import CameraSettings

        if not self.is_admin:
            return None
        existing = self._settings.get(camera_id)
        if isinstance(existing, CameraSettings) and existing.dialog.isVisible():
            existing.dialog.raise_()
            return existing
        settings = CameraSettings(self.session, self.window)
        settings.closed.connect(lambda: self._settings.pop(camera_id, None))
        self._settings[camera_id] = settings
        if not await settings.open(camera_id):
            self._settings.pop(camera_id, None)
            return None
        return settings

    def open_zones(self) -> None:
        from gtvision.console.admin.zones import ZoneEditor

        zones = self._presenter("zones", lambda: ZoneEditor(self.session, self.window))
        assert isinstance(zones, ZoneEditor)
        zones.open()

    def open_watchlists(self) -> None:
        from gtvision.console.admin.watchlists import WatchlistEditor

        lists = self._presenter("watchlists", lambda: WatchlistEditor(self.session, self.window))
        assert isinstance(lists, WatchlistEditor)
        lists.open()

    def open_users(self) -> None:
        from gtvision.console.admin.users import UserEditor

        users = self._presenter("users", lambda: UserEditor(self.session, self.window))
        assert isinstance(users, UserEditor)
        users.open()

    def open_webhooks(self) -> None:
        from gtvision.console.admin.webhooks import WebhookEditor

        hooks = self._presenter("webhooks", lambda: WebhookEditor(self.session, self.window))
        assert isinstance(hooks, WebhookEditor)
        hooks.open()

    def open_audit(self) -> None:
        from gtvision.console.admin.audit import AuditViewer

        audit = self._presenter("audit", lambda: AuditViewer(self.session, self.window))
        assert isinstance(audit, AuditViewer)
        audit.open()

    def open_tenants(self) -> None:
        from gtvision.console.admin.tenants import TenantEditor

        tenants = self._presenter("tenants", lambda: TenantEditor(self.session, self.window))
        assert isinstance(tenants, TenantEditor)
        tenants.open()

    def open_dashboard(self) -> None:
        from gtvision.console.admin.dashboard import Dashboard

        board = self._presenter("dashboard", lambda: Dashboard(self.session, self.window))
        assert isinstance(board, Dashboard)
        board.open()
