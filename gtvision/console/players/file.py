"""A video file played at its own pace: the console's self-test and recorded evidence."""

from __future__ import annotations

import asyncio
import threading
import time

import av
import av.error

from gtvision.console.players.base import Deliver, Player, PlayerError, register, to_frame


@register
class FilePlayer(Player):
    KEY = "file"

    async def play(self, deliver: Deliver) -> None:
        stop = threading.Event()
        try:
            await asyncio.to_thread(self._decode, deliver, stop)
        finally:
            stop.set()

    def _decode(self, deliver: Deliver, stop: threading.Event) -> None:
        try:
            container = av.open(self.source.url)
        except (av.error.FFmpegError, OSError) as exc:
            raise PlayerError(f"cannot open {self.source.url}: {exc}") from exc
        with container:
            if not container.streams.video:
                raise PlayerError(f"{self.source.url} has no video")
            stream = container.streams.video[0]
            started = time.monotonic()
            for frame in container.decode(stream):
                if stop.is_set():
                    return
                due = started + float(frame.time or 0.0)
                time.sleep(max(0.0, due - time.monotonic()))
                deliver(to_frame(frame))
