"""One plate reader for every camera of this instance, batching frames that arrive together.

Workers ``await engine.read(frame)``; a single loop takes whatever frames are waiting (up to
``batch``), runs them through :meth:`PlateReader.read_batch` in a thread — one recogniser call
for every plate of every camera — and answers each worker. On 2 cores one inference at a time
is the fastest schedule; a second concurrent call only adds contention.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from gtvision.inference import FrameReads, PlateReader
from gtvision.inference.reader import Frame


@dataclass
class EngineStats:
    frames: int = 0
    batches: int = 0
    dropped: int = 0  # by the cameras' frame sources, when inference was behind
    infer_ms: deque[float] = field(default_factory=lambda: deque(maxlen=1000))


class LprEngine:
    """``reader`` is built on first use: an instance with no LPR camera never loads a model."""

    def __init__(self, reader: Callable[[], PlateReader], batch: int = 8) -> None:
        self._make_reader = reader
        self._reader: PlateReader | None = None
        self.batch = batch
        self.stats = EngineStats()
        self._waiting: asyncio.Queue[tuple[Frame, asyncio.Future[FrameReads]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @property
    def reader(self) -> PlateReader | None:
        """The reader, once the first frame has loaded it."""
        return self._reader

    @property
    def queue_depth(self) -> int:
        return self._waiting.qsize()

    async def read(self, frame: Frame) -> FrameReads:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._serve(), name="lpr-engine")
        future: asyncio.Future[FrameReads] = asyncio.get_running_loop().create_future()
        await self._waiting.put((frame, future))
        return await future

    async def _serve(self) -> None:
        while True:
            jobs = [await self._waiting.get()]
            while len(jobs) < self.batch and not self._waiting.empty():
                jobs.append(self._waiting.get_nowait())
            jobs = [(f, fut) for f, fut in jobs if not fut.cancelled()]
            if not jobs:
                continue
            started = time.perf_counter()
            try:
                if self._reader is None:
                    self._reader = await asyncio.to_thread(self._make_reader)
                results = await self._reader.read_batch_async([f for f, _ in jobs])
            except Exception as exc:
                for _, fut in jobs:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            self.stats.infer_ms.append((time.perf_counter() - started) * 1e3)
            self.stats.frames += len(jobs)
            self.stats.batches += 1
            for (_, fut), result in zip(jobs, results, strict=True):
                if not fut.done():
                    fut.set_result(result)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
