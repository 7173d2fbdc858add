"""``WS /api/v1/events``: the tenant's events, live, resumable after a reconnect.

Authenticate with ``Authorization: Bearer`` or, where a WebSocket client cannot set headers
(browsers), ``?token=``. Filter with ``types=camera.status,plate.read`` and ``camera=<id>``;
resume with ``since=<last event id>`` (up to 1,000 missed events are replayed first).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from gtvision.contract import API_PREFIX
from gtvision.services.auth.tokens import InvalidTokenError, decode_access_token
from gtvision.services.events.bus import EventHub, Subscription, to_message

router = APIRouter(prefix=API_PREFIX)


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    runtime = websocket.app.state.runtime
    hub: EventHub = websocket.app.state.events
    scheme, _, header_token = websocket.headers.get("authorization", "").partition(" ")
    token = header_token if scheme.lower() == "bearer" else websocket.query_params.get("token", "")
    try:
        principal = decode_access_token(token, runtime.keys.jwt_key)
    except InvalidTokenError:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="sign in first")
        return
    if principal.tenant_id is None:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="no tenant")
        return
    params = websocket.query_params
    types = frozenset(t for t in params.get("types", "").split(",") if t)
    subscription = Subscription(principal.tenant_id, types, _uuid(params.get("camera")))
    since = _uuid(params.get("since"))
    await websocket.accept()
    async with hub.subscribe(subscription):
        last = since
        if since is not None:
            for event in await hub.backlog(subscription, since):
                await websocket.send_text(to_message(event).model_dump_json())
                last = event.id
        receiver = asyncio.create_task(_drain(websocket))
        try:
            while not receiver.done():
                getter = asyncio.ensure_future(subscription.queue.get())
                done, _ = await asyncio.wait(
                    {getter, receiver}, return_when=asyncio.FIRST_COMPLETED
                )
                if getter not in done:
                    getter.cancel()
                    break
                message = getter.result()
                if last is not None and message.id <= last:
                    continue  # already sent from the backlog
                await websocket.send_text(message.model_dump_json())
                last = message.id
        except WebSocketDisconnect:
            pass
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice when it goes away."""
    while True:
        await websocket.receive_text()
