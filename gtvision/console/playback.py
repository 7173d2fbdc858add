"""One tile's playback: fallback between players, stall detection, reconnection with backoff.

The tile only draws; this object decides what plays. It asks ``resolve`` for fresh sources
on every (re)connection, because stream tokens expire and a camera can move between the
media server and direct mode. Frames arrive from player threads into a one-slot
:class:`FrameMailbox`: the tile paints the newest frame and a frame it never painted counts as
dropped, so a slow machine shows live video at a lower rate instead of falling behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from enum import StrEnum

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QImage

from gtvision.console.api import ServiceError
from gtvision.console.players import (
    FALLBACK_ORDER,
    VLC_AVAILABLE,
    Frame,
    PlayerError,
    StreamSource,
    create_player,
    to_qimage,
)
from gtvision.retry import Backoff

log = logging.getLogger(__name__)

_REOPEN_AT_ONCE_AFTER_S = 2.0  # a stream that played this long and ended is reopened at once

Resolve = Callable[[], Awaitable[list[StreamSource]]]


class PlaybackState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


VLC_MODES = ("off", "last", "first")


def vlc_mode() -> str:
    """Setting ``players/vlc``: ``off`` (default), ``last`` (libVLC as a last resort for HLS
    and RTSP) or ``first`` (tried before the others); always ``off`` without libVLC."""
    mode = str(QSettings().value("players/vlc", "off"))
    return mode if VLC_AVAILABLE and mode in VLC_MODES else "off"


def in_fallback_order(sources: list[StreamSource]) -> list[StreamSource]:
    """WebRTC before HLS before RTSP, with libVLC's tries where ``players/vlc`` puts them;
    backends we do not know keep their place at the end."""
    mode = vlc_mode()
    order = ("vlc", *FALLBACK_ORDER) if mode == "first" else (*FALLBACK_ORDER, "vlc")
    rank = {key: i for i, key in enumerate(order)}
    ordered = sorted(sources, key=lambda s: rank.get(s.backend, len(rank)))
    if mode == "off":
        return ordered
    tries = [
        StreamSource("vlc", s.url, rate=s.rate)
        for s in ordered
        if s.backend in ("hls", "rtsp") and not s.headers
    ]
    return sorted(ordered + tries, key=lambda s: rank.get(s.backend, len(rank)))


class FrameMailbox:
    """Where player threads leave frames: the newest one wins, the GUI loop is woken once.

    Plain Python on purpose. A player thread holds this, never a Qt object: a QObject whose
    last reference died on a decoding thread would be destroyed there and crash Qt later.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, wake: Callable[[], object]) -> None:
        self._loop = loop
        self._wake = weakref.WeakMethod(wake)
        self._lock = threading.Lock()
        self._latest: Frame | None = None
        self._image: QImage | None = None
        self._unpainted = False
        self.closed = False
        self.frames = 0
        self.dropped = 0
        self.last_frame_at = 0.0
        self._times: deque[float] = deque(maxlen=64)

    def put(self, pixels: Frame) -> None:
        """Any thread: keep ``pixels`` as the newest frame."""
        now = time.monotonic()
        with self._lock:
            if self.closed:
                return  # a player thread finishing its last frame after a stop
            self._latest = pixels
            self.last_frame_at = now
            self._times.append(now)
            self.frames += 1
            if self._unpainted:
                self.dropped += 1  # the tile has not painted the previous one; it paints this
                return
            self._unpainted = True
        with contextlib.suppress(RuntimeError):  # the loop is closing: nobody will paint
            self._loop.call_soon_threadsafe(self._ring)

    def take(self) -> QImage | None:
        """GUI thread: the newest frame as an image (converted once, when first taken)."""
        with self._lock:
            self._unpainted = False
            pixels, self._latest = self._latest, None
        if pixels is not None:
            self._image = to_qimage(pixels)
        return self._image

    def fps(self) -> float:
        with self._lock:
            times = [t for t in self._times if t > time.monotonic() - 2.0]
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0

    def _ring(self) -> None:
        wake = self._wake()
        if wake is not None and not self.closed:
            wake()


class TilePlayback(QObject):
    frameReady = Signal()
    stateChanged = Signal(str, str)  # PlaybackState, detail (backend or reason)

    def __init__(
        self,
        resolve: Resolve,
        parent: QObject | None = None,
        *,
        first_frame_timeout_s: float = 10.0,
        stall_timeout_s: float = 5.0,
        backoff: Backoff = Backoff(initial_s=0.5, max_s=10.0, deadline_s=float("inf")),
    ) -> None:
        super().__init__(parent)
        self._resolve = resolve
        self._first_frame_timeout_s = first_frame_timeout_s
        self._stall_timeout_s = stall_timeout_s
        self._backoff = backoff
        self._mailbox: FrameMailbox | None = None
        self._attempt: tuple[str, float] | None = None  # backend playing now, and since when
        self._task: asyncio.Task[None] | None = None
        self.state = PlaybackState.IDLE
        self.detail = ""
        self.backend = ""
        self.first_frame_s: dict[str, float] = {}

    # Control ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._mailbox = FrameMailbox(asyncio.get_event_loop(), self._frame_arrived)
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._mailbox is not None:
            self._mailbox.closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state(PlaybackState.IDLE, "")

    # What the tile reads ---------------------------------------------------------------------

    def take_frame(self) -> QImage | None:
        """The newest frame; marks it painted."""
        return self._mailbox.take() if self._mailbox else None

    @property
    def fps(self) -> float:
        return self._mailbox.fps() if self._mailbox else 0.0

    @property
    def frames(self) -> int:
        """Frames delivered since start."""
        return self._mailbox.frames if self._mailbox else 0

    @property
    def dropped(self) -> int:
        """Frames delivered but superseded before the tile painted them."""
        return self._mailbox.dropped if self._mailbox else 0

    # Internals -------------------------------------------------------------------------------

    def _frame_arrived(self) -> None:
        if self._attempt is not None and self.state is not PlaybackState.LIVE:
            self._went_live(*self._attempt)  # at the first frame, not at the next watchdog tick
        self.frameReady.emit()

    def _went_live(self, backend: str, started: float) -> None:
        assert self._mailbox is not None
        self.backend = backend
        self.first_frame_s.setdefault(backend, self._mailbox.last_frame_at - started)
        self._set_state(PlaybackState.LIVE, backend)

    def _set_state(self, state: PlaybackState, detail: str) -> None:
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self.stateChanged.emit(state.value, detail)

    async def _run(self) -> None:
        attempt = 0
        played_before = False
        while True:
            just_played = False
            reason = "no stream available"
            try:
                sources = in_fallback_order(await self._resolve())
            except ServiceError as exc:
                sources, reason = [], str(exc)
            for source in sources:
                pending = PlaybackState.RECONNECTING if played_before else PlaybackState.CONNECTING
                self._set_state(pending, source.backend)
                started_frames, started_at = self.frames, time.monotonic()
                try:
                    await self._play(source)
                    reason = "the stream ended"
                except PlayerError as exc:
                    reason = str(exc)
                    log.info("%s failed: %s", source.backend, reason)
                if self.frames > started_frames:
                    # It played: start again from the best source, at once if it played a
                    # while (cameras end sessions), else after a backoff (a stream that
                    # keeps breaking off must not be reopened in a tight loop).
                    just_played = time.monotonic() - started_at >= _REOPEN_AT_ONCE_AFTER_S
                    played_before, attempt = True, 0
                    break
            self._set_state(
                PlaybackState.RECONNECTING if played_before else PlaybackState.OFFLINE, reason
            )
            if just_played:
                continue
            await asyncio.sleep(self._backoff.delay(attempt))
            attempt += 1

    async def _play(self, source: StreamSource) -> None:
        """Run one player, watching for a first frame and for stalls."""
        player = create_player(source)
        mailbox = self._mailbox
        assert mailbox is not None
        started = time.monotonic()
        frames_at_start = self.frames
        self._attempt = (source.backend, started)
        task = asyncio.ensure_future(player.play(mailbox.put))
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=0.5)
                now = time.monotonic()
                if self.frames == frames_at_start:
                    if now - started > self._first_frame_timeout_s:
                        raise PlayerError(f"{source.backend}: no picture")
                    continue
                if self.state is not PlaybackState.LIVE:
                    self._went_live(source.backend, started)
                if now - mailbox.last_frame_at > self._stall_timeout_s:
                    raise PlayerError(f"{source.backend}: the picture froze")
            try:
                task.result()
            except PlayerError:
                raise
            except Exception as exc:  # a library bug must cost one reconnect, not the tile
                log.exception("%s player crashed", source.backend)
                raise PlayerError(f"{source.backend}: {exc}") from exc
        finally:
            self._attempt = None
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
