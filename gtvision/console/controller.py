"""The console's start-up flow: find a server, sign in, open the wall; kiosk mode without clicks."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication

from gtvision.console.layouts import PRESETS
from gtvision.console.local import LocalSession
from gtvision.console.main_window import MainWindow
from gtvision.console.session import ConsoleSession
from gtvision.console.widgets.login import LoginDialog

log = logging.getLogger(__name__)
_MDNS_WAIT_S = 2.0


class ConsoleController(QObject):
    def __init__(self, args: argparse.Namespace, settings: QSettings) -> None:
        super().__init__()
        self.args = args
        self.settings = settings
        self.session = LocalSession(settings, parent=self) if args.local else ConsoleSession(self)
        self.window = MainWindow(self.session)
        self.window.wall.set_layout(args.layout or PRESETS["2x2"])
        self.window.layouts.setCurrentText(self.window.wall.layout.name)
        servers = [s for s in [args.server, *self._remembered()] if s]
        self.login = LoginDialog(list(dict.fromkeys(servers)), args.user or self._last_user())
        self.login.submitted.connect(self._remember)
        self.login.submitted.connect(self.session.sign_in)
        self.session.signInFailed.connect(self.login.show_error)
        self.session.signedIn.connect(self._signed_in)
        self.session.signedOut.connect(self._signed_out)
        self.session.directoryChanged.connect(self._fill_kiosk_wall)
        self._closed: asyncio.Future[None] | None = None
        self._kiosk_done = False

    async def run(self) -> int:
        self._closed = asyncio.get_running_loop().create_future()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.lastWindowClosed.connect(self._quit)
        discovery = asyncio.ensure_future(self._discover_servers())
        if isinstance(self.session, LocalSession):
            self.window.enable_local_mode(self.session)
            self.window.show_first()
            self.session.open()
        elif self.args.kiosk:
            await self._kiosk_sign_in()
        else:
            self.login.show()
        try:
            await self._closed
        finally:
            discovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await discovery
            await self.window.wall.close()
            await self.session.close()
        return 0

    def _quit(self) -> None:
        if self.login.isVisible() and not self.window.isVisible():
            return  # the login dialog is not "the last window"; closing it quits below
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)

    async def _kiosk_sign_in(self) -> None:
        from gtvision.console.app import kiosk_password

        server = self.args.server or next(iter(self._remembered()), "")
        user = self.args.user or self._last_user()
        password = kiosk_password(server, user) if server and user else None
        self.window.show_kiosk()
        if not password:
            self.window.statusBar().showMessage(
                self.tr("Kiosk mode needs --server, --user and a password (keyring or env)")
            )
            self.login.show()
            return
        await self.session.open_session(server, user, password)

    async def _discover_servers(self) -> None:
        """Offer the services announced on the LAN; never holds up the login."""
        from gtvision.onvif.mdns import find_gtvision_services

        try:
            found = await find_gtvision_services(timeout_s=_MDNS_WAIT_S)
        except OSError as exc:  # no multicast route: typing the URL still works
            log.info("mDNS browse failed: %s", exc)
            return
        for service in found:
            if service.api_url:
                self.login.add_discovered(service.api_url)

    def _signed_in(self, who: str) -> None:
        self.login.hide()
        if self.args.kiosk:
            self.window.show_kiosk()
        else:
            self.window.show_first()

    def _signed_out(self, reason: str) -> None:
        self.login.show_error(reason)
        self.login.show()

    def _fill_kiosk_wall(self) -> None:
        if not self.args.kiosk or self._kiosk_done:
            return
        self._kiosk_done = True
        if self.args.view and self.window.show_view(self.args.view):
            return
        if self.args.view:
            message = self.tr("No saved view named %1").replace("%1", self.args.view)
            self.window.statusBar().showMessage(message)
        self.window.wall.fill(self.window.tree.camera_ids())

    def _remember(self, url: str, user: str, _password: str) -> None:
        servers = [url, *(s for s in self._remembered() if s != url)][:10]
        self.settings.setValue("servers", servers)
        self.settings.setValue("user", user)

    def _remembered(self) -> list[str]:
        value = self.settings.value("servers", [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def _last_user(self) -> str:
        return str(self.settings.value("user", ""))
