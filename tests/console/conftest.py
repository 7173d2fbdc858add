"""Console tests: Qt offscreen, one qasync loop per test, settings in a temporary directory."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Awaitable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import aioice.ice
import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


class Loop:
    """The console's qasync loop, driven from a synchronous test."""

    def __init__(self, app: QApplication) -> None:
        self.loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(self.loop)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 60) -> T:
        async def bounded() -> T:
            async with asyncio.timeout(timeout_s):
                return await coroutine

        return self.complete(bounded())

    def complete(self, awaitable: Awaitable[T]) -> T:
        """``run_until_complete`` without qasync's last ``processEvents`` after the loop has
        stopped: a task step run there finds no running loop (``asyncio.sleep`` raises
        RuntimeError in it, and the task dies of the harness, not of the code under test)."""
        future = asyncio.ensure_future(awaitable, loop=self.loop)
        future.add_done_callback(lambda _: self.loop.stop())
        self.loop.run_forever()
        return future.result()

    def wait_until(self, check: Any, timeout_s: float = 20, what: str = "condition") -> None:
        self.run(until(check, timeout_s, what), timeout_s + 5)

    def sleep(self, seconds: float) -> None:
        self.run(asyncio.sleep(seconds))

    def settle(self) -> None:
        """Cancel what a test left running (a failed one especially) and let it unwind."""
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        if pending:
            gathered = asyncio.gather(*pending, return_exceptions=True)
            self.complete(gathered)
        self.complete(asyncio.sleep(0.1))  # let cancelled work release Qt objects
        gc.collect()  # here, on the GUI thread: not later in a service thread (see qt.py)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def close(self) -> None:
        self.settle()
        self.loop.close()
        asyncio.set_event_loop(None)


async def until(check: Any, timeout_s: float = 20, what: str = "condition") -> None:
    """Wait on the running loop (Qt events keep flowing) until ``check()`` holds."""
    try:
        async with asyncio.timeout(timeout_s):
            while not check():  # noqa: ASYNC110 - polling widget state, which has no event
                await asyncio.sleep(0.05)
    except TimeoutError:
        pytest.fail(f"{what} not reached in {timeout_s} s")


@pytest.fixture(scope="session", autouse=True)
def _control_room_theme(qapp: QApplication) -> None:
    """The console's own look, as operators see it (``gtvision-console`` applies it at
    start-up): layouts and screenshots are tested with its sizes, not Qt's defaults."""
    from gtvision.console.theme import apply_theme

    apply_theme(qapp, 1.0)


@pytest.fixture(scope="session")
def _session_loop(qapp: QApplication) -> Iterator[Loop]:
    """One qasync loop for the session, as in the application: a loop closed and collected
    while Qt still holds its timers crashes the process later."""
    runner = Loop(qapp)
    yield runner
    runner.close()


@pytest.fixture
def loop(_session_loop: Loop) -> Iterator[Loop]:
    asyncio.set_event_loop(_session_loop.loop)
    yield _session_loop
    _session_loop.settle()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> None:
    """QSettings in a per-test directory, never the developer's own console settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def loopback_ice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ICE use 127.0.0.1 (aioice leaves loopback out), so WebRTC tests stay on this host."""
    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["127.0.0.1"])
