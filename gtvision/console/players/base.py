"""Tile players as small registered backends, all delivering frames the same way.

A player turns one URL into a stream of ``QImage`` frames handed to ``deliver`` (from any
thread); it returns when the stream ends and raises :class:`PlayerError` when it cannot play.
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

Deliver = Callable[[QImage], None]


class PlayerError(Exception):
    """The stream cannot be played; the message is shown on the tile."""


@dataclass(frozen=True, slots=True)
class StreamSource:
    """One way to play a camera: a backend key, its URL and any HTTP headers it needs."""

    backend: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


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


def to_qimage(frame: av.VideoFrame) -> QImage:
    """An owned RGB888 copy of a decoded frame (the decoder reuses its buffers)."""
    rgb: np.ndarray = frame.to_ndarray(format="rgb24")
    height, width, _ = rgb.shape
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
