"""What every administration presenter does the same way: open its dialog with fresh data, and
turn each refusal of the service into the dialog's problem line (in the operator's language,
see :mod:`gtvision.console.api`) instead of an exception."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject

from gtvision.console.admin.api import AdminApi
from gtvision.console.api import ServiceError
from gtvision.console.qt import async_slot
from gtvision.console.session import ConsoleSession

T = TypeVar("T")


class AdminDialog(Protocol):
    def show(self) -> None: ...

    def raise_(self) -> None: ...

    def show_problem(self, text: str) -> None: ...


class Presenter(QObject):
    def __init__(
        self, session: ConsoleSession, dialog: AdminDialog, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._dialog = dialog

    def open(self) -> None:
        self.refresh()
        self._dialog.show()
        self._dialog.raise_()

    @async_slot()
    async def refresh(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        """Read again what the dialog shows (a colleague may have changed it)."""

    async def ask(self, call: Callable[[AdminApi], Awaitable[T]]) -> T | None:
        """The service's answer, or ``None`` with the refusal shown in the dialog (signed out
        meanwhile included: the call is made here, as the user signed in now)."""
        try:
            return await call(self.session.admin())
        except ServiceError as exc:
            self._dialog.show_problem(str(exc))
            return None

    async def done(self, call: Callable[[AdminApi], Awaitable[None]]) -> bool:
        """Whether the service did it (a refusal is shown in the dialog)."""
        try:
            await call(self.session.admin())
        except ServiceError as exc:
            self._dialog.show_problem(str(exc))
            return False
        return True
