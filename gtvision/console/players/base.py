"""Tile players as small registered backends, all delivering frames the same way.

A player turns one URL into a stream of frames handed to ``deliver`` (from any thread) as BGRA
``numpy`` arrays; it returns when the stream ends and raises :class:`PlayerError` when it
cannot play. Players never touch Qt: PySide calls from decoding threads corrupted Python's
reference counts under load (16 tiles), so frames become ``QImage`` on the GUI thread only.
Drawing, overlays, zoom, fallback and reconnection are the tile's business, never a player's,
so every backend looks and recovers the same.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import av
import numpy as np
from PySide6.QtGui import QImage

Frame = np.ndarray  # height x width x 4, uint8, BGRA (QImage.Format_RGB32 byte order)
Deliver = Callable[[Frame], None]


class PlayerError(Exception):
    """The stream cannot be played; the message is shown on the tile."""


@dataclass(frozen=True, slots=True)
class StreamSource:
    """One way to play a camera: a backend key, its URL and any HTTP headers it needs."""

    backend: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    rate: float = 1.0  # playback speed of recorded footage (live streams ignore it)


class Player(ABC):
    KEY: ClassVar[str]

    def __init__(self, source: StreamSource) -> None:
        self.source = source

    @abstractmethod
    async def play(self, deliver: Deliver) -> None:
        """Deliver frames until the stream ends; cancelling the task stops the player."""


PLAYERS: dict[str, type[Player]] = {}


def register(cls: type[Player]) -> type[Player]:
    PLAYERS[cls.KEY] = cls
    return cls


def create_player(source: StreamSource) -> Player:
    try:
        return PLAYERS[source.backend](source)
    except KeyError:
        raise PlayerError(f"no player for {source.backend!r} (have {sorted(PLAYERS)})") from None


def to_frame(frame: av.VideoFrame) -> Frame:
    """An owned BGRA copy of a decoded frame (the decoder reuses its buffers)."""
    pixels: Frame = frame.to_ndarray(format="bgra")
    return pixels


def to_qimage(pixels: Frame) -> QImage:
    """GUI thread only: a QImage owning its memory, filled from a BGRA frame."""
    height, width, _ = pixels.shape
    image = QImage(width, height, QImage.Format.Format_RGB32)
    target = np.ndarray((height, image.bytesPerLine() // 4, 4), np.uint8, image.bits())
    target[:, :width] = pixels
    return image
