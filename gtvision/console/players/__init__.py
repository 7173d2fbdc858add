"""Tile players: ``webrtc`` (aiortc WHEP), ``hls`` and ``rtsp`` (PyAV), in fallback order;
``file`` for recorded video and the self-test."""

from gtvision.console.players import pyav, webrtc
from gtvision.console.players.base import (
    PLAYERS,
    Deliver,
    Frame,
    Player,
    PlayerError,
    StreamSource,
    create_player,
    to_qimage,
)

FALLBACK_ORDER = (webrtc.WebRtcPlayer.KEY, pyav.HlsPlayer.KEY, pyav.RtspPlayer.KEY)

__all__ = [
    "FALLBACK_ORDER",
    "PLAYERS",
    "Deliver",
    "Frame",
    "Player",
    "PlayerError",
    "StreamSource",
    "create_player",
    "to_qimage",
]
