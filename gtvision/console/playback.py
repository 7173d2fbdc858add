"""One tile's playback: fallback between players, stall detection, reconnection with backoff.

The tile only draws; this object decides what plays. It asks ``resolve`` for fresh sources
on every (re)connection, because stream tokens expire and a camera can move between the
media server and direct mode. Frames arrive from player threads into a one-slot mailbox: the
tile paints the newest frame and a frame it never painted counts as dropped, so a slow
machine shows live video at a lower rate instead of falling behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from enum import StrEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from gtvision.console.api import ServiceError
from gtvision.console.players import FALLBACK_ORDER, PlayerError, StreamSource, create_player
from gtvision.retry import Backoff

log = logging.getLogger(__name__)

Resolve = Callable[[], Awaitable[list[StreamSource]]]


class PlaybackState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


def in_fallback_order(sources: list[StreamSource]) -> list[StreamSource]:
    """WebRTC before HLS before RTSP; backends we do not know keep their place at the end."""
    rank = {key: i for i, key in enumerate(FALLBACK_ORDER)}
    return sorted(sources, key=lambda s: rank.get(s.backend, len(rank)))


class TilePlayback(QObject):
    frameReady = Signal()
    stateChanged = Signal(str, str)  # PlaybackState, detail (backend or reason)
    _arrived = Signal()

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
        self._lock = threading.Lock()
        self._latest: QImage | None = None
        self._unpainted = False
        self._last_frame_at = 0.0
        self._frame_times: deque[float] = deque(maxlen=64)
        self._task: asyncio.Task[None] | None = None
        self._arrived.connect(self.frameReady)
        self.state = PlaybackState.IDLE
        self.detail = ""
        self.backend = ""
        self.frames = 0
        self.dropped = 0
        self.first_frame_s: dict[str, float] = {}

    # Control ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state(PlaybackState.IDLE, "")

    # What the tile reads ---------------------------------------------------------------------

    def take_frame(self) -> QImage | None:
        """The newest frame; marks it painted."""
        with self._lock:
            self._unpainted = False
            return self._latest

    @property
    def fps(self) -> float:
        times = [t for t in self._frame_times if t > time.monotonic() - 2.0]
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0

    # Internals -------------------------------------------------------------------------------

    def _deliver(self, image: QImage) -> None:
        """Called from player threads (or the loop): keep only the newest frame."""
        now = time.monotonic()
        with self._lock:
            if self._task is None:
                return  # stopped: a player thread finishing its last frame
            self._latest = image
            self._last_frame_at = now
            self._frame_times.append(now)
            self.frames += 1
            if self._unpainted:
                self.dropped += 1
                return  # the tile has not painted the previous one yet; it will paint this
            self._unpainted = True
        self._arrived.emit()

    def _set_state(self, state: PlaybackState, detail: str) -> None:
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self.stateChanged.emit(state.value, detail)

    async def _run(self) -> None:
        attempt = 0
        played_before = False
        while True:
            reason = "no stream available"
            try:
                sources = in_fallback_order(await self._resolve())
            except ServiceError as exc:
                sources, reason = [], str(exc)
            for source in sources:
                pending = PlaybackState.RECONNECTING if played_before else PlaybackState.CONNECTING
                self._set_state(pending, source.backend)
                started_frames = self.frames
                try:
                    await self._play(source)
                    reason = "the stream ended"
                except PlayerError as exc:
                    reason = str(exc)
                    log.info("%s failed: %s", source.backend, reason)
                if self.frames > started_frames:
                    played_before, attempt = True, 0
                    break  # it played: start again from the best source
            self._set_state(
                PlaybackState.RECONNECTING if played_before else PlaybackState.OFFLINE, reason
            )
            await asyncio.sleep(self._backoff.delay(attempt))
            attempt += 1

    async def _play(self, source: StreamSource) -> None:
        """Run one player, watching for a first frame and for stalls."""
        player = create_player(source)
        started = time.monotonic()
        frames_at_start = self.frames
        task = asyncio.ensure_future(player.play(self._deliver))
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=0.5)
                now = time.monotonic()
                if self.frames == frames_at_start:
                    if now - started > self._first_frame_timeout_s:
                        raise PlayerError(f"{source.backend}: no picture")
                    continue
                if self.state is not PlaybackState.LIVE or self.backend != source.backend:
                    self.backend = source.backend
                    self.first_frame_s.setdefault(source.backend, self._last_frame_at - started)
                    self._set_state(PlaybackState.LIVE, source.backend)
                if now - self._last_frame_at > self._stall_timeout_s:
                    raise PlayerError(f"{source.backend}: the picture froze")
            try:
                task.result()
            except PlayerError:
                raise
            except Exception as exc:  # a library bug must cost one reconnect, not the tile
                log.exception("%s player crashed", source.backend)
                raise PlayerError(f"{source.backend}: {exc}") from exc
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
