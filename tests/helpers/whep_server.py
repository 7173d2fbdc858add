"""A real WebRTC peer for tests: a WHEP server (RFC 9725) on aiortc, serving a moving pattern.

    python tests/helpers/whep_server.py PORT [TOKEN]

``POST /<path>/whep`` with an SDP offer answers 201 with the SDP answer and a session
``Location``; ``DELETE`` on it ends the session. With ``TOKEN`` it requires
``?token=TOKEN`` or ``Authorization: Bearer TOKEN``, as MediaMTX's auth hook does. ICE uses
127.0.0.1 only (aioice leaves loopback out by default). Prints ``READY`` once it listens.
"""

from __future__ import annotations

import asyncio
import fractions
import sys
import uuid

import aioice.ice
import av
import numpy as np
import uvicorn
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

WIDTH, HEIGHT = 320, 240


class MovingBar(VideoStreamTrack):
    """A grey gradient with a white bar that moves a few pixels every frame."""

    def __init__(self) -> None:
        super().__init__()
        self._n = 0
        self._base = np.tile(np.linspace(40, 160, WIDTH, dtype=np.uint8), (HEIGHT, 1))

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        grey = self._base.copy()
        x = (self._n * 4) % WIDTH
        grey[:, x : x + 12] = 255
        self._n += 1
        frame = av.VideoFrame.from_ndarray(np.dstack([grey] * 3), format="rgb24")
        frame.pts, frame.time_base = pts, time_base or fractions.Fraction(1, 90000)
        return frame


PEERS: dict[str, RTCPeerConnection] = {}
TOKEN = sys.argv[2] if len(sys.argv) > 2 else ""


def _authorised(request: Request) -> bool:
    if not TOKEN:
        return True
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
    return TOKEN in (bearer, request.query_params.get("token"))


async def offer(request: Request) -> Response:
    if not _authorised(request):
        return Response("no", status_code=401)
    peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    peer.addTrack(MovingBar())
    await peer.setRemoteDescription(RTCSessionDescription((await request.body()).decode(), "offer"))
    await peer.setLocalDescription(await peer.createAnswer())
    session = uuid.uuid4().hex
    PEERS[session] = peer
    return Response(
        peer.localDescription.sdp,
        status_code=201,
        media_type="application/sdp",
        headers={"Location": f"/{request.path_params['path']}/whep/{session}"},
    )


async def end(request: Request) -> Response:
    peer = PEERS.pop(request.path_params["session"], None)
    if peer is None:
        return Response(status_code=404)
    await peer.close()
    return Response(status_code=200)


app = Starlette(
    routes=[
        Route("/{path:path}/whep", offer, methods=["POST"]),
        Route("/{path:path}/whep/{session}", end, methods=["DELETE"]),
    ]
)


async def main() -> None:
    config = uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no "started" event
        await asyncio.sleep(0.05)
    print("READY", flush=True)
    await serving


if __name__ == "__main__":
    asyncio.run(main())
