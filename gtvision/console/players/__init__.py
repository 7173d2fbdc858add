"""Tile players: ``webrtc`` (aiortc WHEP), ``hls`` and ``rtsp`` (PyAV), in fallback order;
``file`` for recorded video and the self-test; ``vlc`` (optional, where libVLC is installed)."""

from gtvision.console.players import libvlc, pyav, webrtc
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

VLC_AVAILABLE = libvlc.AVAILABLE

__all__ = [
    "FALLBACK_ORDER",
    "PLAYERS",
    "VLC_AVAILABLE",
    "Deliver",
    "Frame",
    "Player",
    "PlayerError",
    "StreamSource",
    "create_player",
    "to_qimage",
]
