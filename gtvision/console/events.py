"""The service's live event stream, as an async iterator that never gives up.

A dropped WebSocket is reopened with backoff and resumed from the last event id, so the
operator misses no plate read or alarm while the network blinks; the connection state is
reported through a callback so the UI can show it where it matters.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from enum import StrEnum
from urllib.parse import urlencode

import websockets
from pydantic import ValidationError

from gtvision.console.api import ServiceUnreachable
from gtvision.contract import EventMessage
from gtvision.retry import Backoff

log = logging.getLogger(__name__)
_DROPPED = (OSError, TimeoutError, websockets.WebSocketException, ServiceUnreachable)


class LinkState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"


class EventStream:
    """``async with aclosing(EventStream(url, token).events()) as events: async for …``."""

    def __init__(
        self,
        url: str,
        token: Callable[[], Awaitable[str]],
        *,
        types: frozenset[str] = frozenset(),
        on_state: Callable[[LinkState, str], None] = lambda state, reason: None,
        backoff: Backoff = Backoff(initial_s=0.5, max_s=15.0, deadline_s=float("inf")),
    ) -> None:
        self._url = url
        self._token = token
        self._types = types
        self._on_state = on_state
        self._backoff = backoff
        self.last_id: str | None = None

    def _address(self) -> str:
        query = {"since": self.last_id} if self.last_id else {}
        if self._types:
            query["types"] = ",".join(sorted(self._types))
        return f"{self._url}?{urlencode(query)}" if query else self._url

    async def events(self) -> AsyncGenerator[EventMessage, None]:
        attempt = 0
        self._on_state(LinkState.CONNECTING, "")
        while True:
            reason = ""
            try:
                headers = {"Authorization": f"Bearer {await self._token()}"}
                async with websockets.connect(
                    self._address(), additional_headers=headers, open_timeout=10
                ) as socket:
                    self._on_state(LinkState.LIVE, "")
                    attempt = 0
                    async for raw in socket:
                        try:
                            event = EventMessage.model_validate_json(raw)
                        except ValidationError:
                            log.warning("ignoring a malformed event: %.200r", raw)
                            continue
                        self.last_id = str(event.id)
                        yield event
                    reason = socket.close_reason or "the service closed the stream"
            except (
                OSError,
                TimeoutError,
                websockets.WebSocketException,
                ServiceUnreachable,
            ) as exc:
                reason = str(exc) or type(exc).__name__
            self._on_state(LinkState.RECONNECTING, reason)
            await asyncio.sleep(self._backoff.delay(attempt))
            attempt += 1
