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
from gtvision.services.auth.revocation import Revocations
from gtvision.services.auth.tokens import InvalidTokenError, Principal, decode_access_token
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
    revocations: Revocations = websocket.app.state.revocations
    if revoked := await revocations.reason(principal.user_id, principal.epoch):
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=f"revoked: {revoked}")
        return
    params = websocket.query_params
    types = frozenset(t for t in params.get("types", "").split(",") if t)
    subscription = Subscription(principal.tenant_id, types, _uuid(params.get("camera")))
    since = _uuid(params.get("since"))
    await websocket.accept()
    assert principal.user_id is not None  # only the command line has none, and it has no token
    async with (
        hub.subscribe(subscription),
        revocations.watch(principal.user_id, principal.tenant_id) as changed,
    ):
        last = since
        if since is not None:
            for event in await hub.backlog(subscription, since):
                await websocket.send_text(to_message(event).model_dump_json())
                last = event.id
        receiver = asyncio.create_task(_drain(websocket))
        standing = asyncio.create_task(_until_revoked(revocations, principal, changed))
        try:
            while not receiver.done():
                getter = asyncio.ensure_future(subscription.queue.get())
                done, _ = await asyncio.wait(
                    {getter, receiver, standing}, return_when=asyncio.FIRST_COMPLETED
                )
                if standing in done:
                    getter.cancel()
                    reason = f"revoked: {standing.result()}"[:120]  # a close reason's limit
                    await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason=reason)
                    break
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
            standing.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver
            with contextlib.suppress(asyncio.CancelledError):
                await standing


async def _until_revoked(
    revocations: Revocations, principal: Principal, changed: asyncio.Event
) -> str:
    """The reason, once the session's user or tenant loses the right to it."""
    while True:
        await changed.wait()
        changed.clear()
        if reason := await revocations.reason(principal.user_id, principal.epoch):
            return reason


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice when it goes away."""
    while True:
        await websocket.receive_text()
