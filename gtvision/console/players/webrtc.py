"""WebRTC through WHEP (RFC 9725) with aiortc: the lowest-latency way to watch a camera.

The session lives on the console's one asyncio loop; aiortc decodes on its own thread. ICE
servers come from the caller (none by default): a control room has no business asking a
public STUN server where its cameras are.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar

import httpx
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

from gtvision.console.players.base import Deliver, Player, PlayerError, register, to_frame
from gtvision.redaction import redacted

_NEGOTIATE_TIMEOUT_S = 10.0
_FRAME_TIMEOUT_S = 5.0


@register
class WebRtcPlayer(Player):
    KEY = "webrtc"
    ICE_SERVERS: ClassVar[list[str]] = []

    async def play(self, deliver: Deliver) -> None:
        config = RTCConfiguration(iceServers=[RTCIceServer(urls=u) for u in self.ICE_SERVERS])
        peer = RTCPeerConnection(config)
        track: asyncio.Future[MediaStreamTrack] = asyncio.get_running_loop().create_future()

        @peer.on("track")
        def on_track(incoming: MediaStreamTrack) -> None:
            if incoming.kind == "video" and not track.done():
                track.set_result(incoming)

        session: str | None = None
        async with httpx.AsyncClient(timeout=_NEGOTIATE_TIMEOUT_S) as http:
            try:
                peer.addTransceiver("video", direction="recvonly")
                await peer.setLocalDescription(await peer.createOffer())
                session = await self._negotiate(http, peer)
                async with asyncio.timeout(_NEGOTIATE_TIMEOUT_S):
                    video = await track
                while True:
                    async with asyncio.timeout(_FRAME_TIMEOUT_S):
                        frame = await video.recv()
                    deliver(to_frame(frame))  # type: ignore[arg-type]
            except MediaStreamError:
                return  # the peer ended the stream
            except TimeoutError as exc:
                raise PlayerError("WebRTC: no video from the media server") from exc
            finally:
                await peer.close()
                if session is not None:
                    with contextlib.suppress(httpx.HTTPError):
                        await http.delete(session, headers=self.source.headers)

    async def _negotiate(self, http: httpx.AsyncClient, peer: RTCPeerConnection) -> str | None:
        """POST the offer, apply the answer; returns the session URL to DELETE at the end."""
        headers = {"Content-Type": "application/sdp", **self.source.headers}
        try:
            response = await http.post(
                self.source.url, content=peer.localDescription.sdp, headers=headers
            )
        except httpx.TransportError as exc:
            raise PlayerError(f"WebRTC: cannot reach {redacted(self.source.url)}: {exc}") from exc
        if response.status_code in (401, 403):
            raise PlayerError("WebRTC: the media server refused access")
        if response.status_code != 201:
            raise PlayerError(f"WebRTC: the media server answered HTTP {response.status_code}")
        await peer.setRemoteDescription(RTCSessionDescription(response.text, "answer"))
        location = response.headers.get("location")
        return str(response.url.join(location)) if location else None
