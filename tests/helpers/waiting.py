"""Waiting for something that happens in another thread or process, without fixed sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(
    check: Callable[[], bool], timeout_s: float = 10, every_s: float = 0.05, what: str = ""
) -> None:
    """Poll ``check`` until it holds; fail the test if it does not within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"{what or 'condition'} not reached in time"
        time.sleep(every_s)
