"""Blocking media work (recorders, remuxers) in threads of its own, reporting to the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

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
