"""Blocking media work (recorders, remuxers) in threads of its own, reporting to the loop:
``in_thread`` for a result, ``Pipe`` for a stream of chunks."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar, cast

T = TypeVar("T")


def resolve(future: asyncio.Future[T], value: T) -> None:
    """Call through ``loop.call_soon_threadsafe``; a future already settled stays as it is."""
    if not future.done():
        future.set_result(value)


def fail(future: asyncio.Future[T], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def in_thread(target: Callable[[], None], name: str) -> asyncio.Future[None]:
    """Run ``target`` in a thread of its own (recorders block for hours: not the loop's pool)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def body() -> None:
        try:
            target()
        except BaseException as exc:
            loop.call_soon_threadsafe(fail, done, exc)
        else:
            loop.call_soon_threadsafe(resolve, done, None)

    threading.Thread(target=body, name=name, daemon=True).start()
    return done


_END = object()


class Pipe(Generic[T]):
    """Items made by a thread, consumed on the loop with ``async for``: bounded (the thread
    waits while the reader is behind), and ended by ``close()`` or ``fail(exc)`` — a failure
    reaches the reader as that exception, never as a quiet, complete-looking end.

    If the reader goes away, the thread's next ``put`` raises ``BrokenPipeError``; a reader
    that never reads makes ``put`` give up after ``put_timeout_s``.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop, maxsize: int = 16, put_timeout_s: float = 60
    ) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[object] = asyncio.Queue(maxsize)
        self._timeout_s = put_timeout_s
        self.gone = threading.Event()

    # The producing thread --------------------------------------------------------------------

    def put(self, item: T) -> None:
        if self.gone.is_set():
            raise BrokenPipeError("the reader went away")
        sent = asyncio.run_coroutine_threadsafe(self._queue.put(item), self._loop)
        try:
            sent.result(timeout=self._timeout_s)
        except TimeoutError:
            sent.cancel()
            raise BrokenPipeError("the reader stopped reading") from None

    def close(self) -> None:
        self._finish(_END)

    def fail(self, exc: BaseException) -> None:
        self._finish(exc)

    def _finish(self, last: object) -> None:
        # Not waited for: a reader that is gone drains the queue, which lets this one in.
        asyncio.run_coroutine_threadsafe(self._queue.put(last), self._loop)

    # The loop ----------------------------------------------------------------------------------

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            while True:
                item = await self._queue.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield cast(T, item)
        finally:
            self.gone.set()
            with contextlib.suppress(asyncio.QueueEmpty):
                while True:  # unblock a producer waiting on a full queue
                    self._queue.get_nowait()
