"""``vlc``: an optional player on the installed libVLC (``python-vlc``), for HLS, files and
whatever else that libVLC's plugins can open; the PyAV and WebRTC players stay the main path.

libVLC decodes into memory we own (video callbacks, RV32), and frames take the same road as
every other backend's. Debian's libVLC has no RTSP (built without live555): such a URL fails
here and the tile falls back to the next source, which is the point of an optional backend.

Safety with a C library that calls back from its own threads: the callbacks are five ctypes
functions made once for the process and never freed; each player is a number (the callbacks'
``opaque``) in a registry whose picture buffer lives until libVLC has stopped and released that
player. A late callback for an unknown number draws into a spare buffer. (An earlier attempt
with callbacks per player crashed when Python freed them while libVLC still called them.)
"""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from gtvision.console.players.base import Deliver, Player, PlayerError, register
from gtvision.redaction import redacted

try:
    import vlc

    _LIBVLC: Any = vlc.dll
    AVAILABLE = _LIBVLC is not None
except (ImportError, OSError, NameError, AttributeError):  # no python-vlc, or no libVLC
    vlc = None
    AVAILABLE = False

_FIRST_FRAME_S = 10.0
_STALL_S = 5.0
_POLL_S = 0.2
_MAX_SIDE = 8192

_uint_p = ctypes.POINTER(ctypes.c_uint)
_SETUP = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,
    _uint_p,
    _uint_p,
    _uint_p,
    _uint_p,
)
_CLEANUP = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_LOCK = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
_UNLOCK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
_DISPLAY = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


@dataclass
class _Slot:
    deliver: Deliver
    width: int = 0
    height: int = 0
    pitch: int = 0
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))
    frames: int = 0
    last_frame: float = 0.0
    # The picture's own size: libVLC's buffers carry padding rows below it (180 → 194).
    visible: tuple[int, int] | None = None


_slots: dict[int, _Slot] = {}
_slots_lock = threading.Lock()
_keys = itertools.count(1)
_spare = np.zeros(_MAX_SIDE * _MAX_SIDE * 4 // 16, np.uint8)  # for callbacks of no known player


def _slot(opaque: int | None) -> _Slot | None:
    with _slots_lock:
        return _slots.get(opaque or 0)


def _setup(opaque: Any, chroma: int, width: Any, height: Any, pitches: Any, lines: Any) -> int:
    slot = _slot(opaque[0])
    w, h = int(width[0]), int(height[0])
    if slot is None or not (0 < w <= _MAX_SIDE and 0 < h <= _MAX_SIDE):
        return 0  # libVLC then fails the video output: the player reports an error
    ctypes.memmove(chroma, b"RV32", 4)  # 32-bit BGRx in memory
    slot.width, slot.height, slot.pitch = w, h, w * 4
    pitches[0], lines[0] = slot.pitch, h
    slot.buffer = np.zeros(slot.pitch * h + 64, np.uint8)
    return 1


def _cleanup(opaque: int | None) -> None:
    pass  # the buffer goes with the slot, after the player is released


def _lock(opaque: int | None, planes: Any) -> int | None:
    slot = _slot(opaque)
    buffer = slot.buffer if slot is not None and slot.buffer.size else _spare
    planes[0] = buffer.ctypes.data
    return None


def _unlock(opaque: int | None, picture: int | None, planes: Any) -> None:
    pass


def _display(opaque: int | None, picture: int | None) -> None:
    slot = _slot(opaque)
    if slot is None or not slot.buffer.size or slot.visible is None:
        return
    width, height = min(slot.visible[0], slot.width), min(slot.visible[1], slot.height)
    rows = slot.buffer[: slot.pitch * slot.height].reshape(slot.height, slot.width, 4)
    frame = rows[:height, :width].copy()
    frame[:, :, 3] = 255
    slot.frames += 1
    slot.last_frame = time.monotonic()
    slot.deliver(frame)


# Made once, never freed: libVLC may call them from its threads at any time.
_SETUP_C = _SETUP(_setup)
_CLEANUP_C = _CLEANUP(_cleanup)
_LOCK_C = _LOCK(_lock)
_UNLOCK_C = _UNLOCK(_unlock)
_DISPLAY_C = _DISPLAY(_display)


def _bind() -> None:
    _LIBVLC.libvlc_video_set_callbacks.argtypes = [
        ctypes.c_void_p,
        _LOCK,
        _UNLOCK,
        _DISPLAY,
        ctypes.c_void_p,
    ]
    _LIBVLC.libvlc_video_set_callbacks.restype = None
    _LIBVLC.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, _SETUP, _CLEANUP]
    _LIBVLC.libvlc_video_set_format_callbacks.restype = None


_instance: Any = None
_instance_lock = threading.Lock()


def _vlc_instance() -> Any:
    global _instance
    with _instance_lock:
        if _instance is None:
            _bind()
            _instance = vlc.Instance(
                ["--quiet", "--no-audio", "--no-video-title-show", "--no-xlib", "--no-osd"]
            )
            if _instance is None:
                raise PlayerError("libVLC did not start")
        return _instance


if AVAILABLE:

    @register
    class VlcPlayer(Player):
        """The optional libVLC backend (``python-vlc``; Debian ``libvlc5 vlc-plugin-base``)."""

        KEY = "vlc"
        CACHING_MS: ClassVar[int] = 300  # libVLC's default of 1 s is too far behind live

        async def play(self, deliver: Deliver) -> None:
            if self.source.headers:
                raise PlayerError("libVLC cannot send this stream's HTTP headers")
            instance = await asyncio.to_thread(_vlc_instance)
            key = next(_keys)
            slot = _Slot(deliver)
            with _slots_lock:
                _slots[key] = slot
            player, media = await asyncio.to_thread(self._start, instance, key)
            started = time.monotonic()
            try:
                while True:
                    await asyncio.sleep(_POLL_S)
                    state = player.get_state()
                    if state == vlc.State.Error or (state == vlc.State.Ended and not slot.frames):
                        # e.g. RTSP on a libVLC built without live555 (Debian's): not ours
                        raise PlayerError(f"libVLC cannot play {redacted(self.source.url)}")
                    if state == vlc.State.Ended:
                        return
                    if slot.visible is None:
                        width, height = player.video_get_size(0)
                        if width and height:
                            slot.visible = (int(width), int(height))
                    now = time.monotonic()
                    if not slot.frames and now - started > _FIRST_FRAME_S:
                        raise PlayerError(f"no picture from libVLC in {_FIRST_FRAME_S:.0f} s")
                    if slot.frames and now - slot.last_frame > _STALL_S:
                        raise PlayerError("the stream stalled")
            finally:
                slot.deliver = lambda frame: None
                # Stopping joins libVLC's threads: no callback for this key comes after it.
                await asyncio.to_thread(self._stop, player, media, key)

        def _start(self, instance: Any, key: int) -> tuple[Any, Any]:
            media = instance.media_new(self.source.url)
            media.add_option(f":network-caching={self.CACHING_MS}")
            if self.source.rate != 1.0:
                media.add_option(f":rate={self.source.rate}")
            player = instance.media_player_new()
            pointer = ctypes.c_void_p(player._as_parameter_.value)
            _LIBVLC.libvlc_video_set_callbacks(
                pointer, _LOCK_C, _UNLOCK_C, _DISPLAY_C, ctypes.c_void_p(key)
            )
            _LIBVLC.libvlc_video_set_format_callbacks(pointer, _SETUP_C, _CLEANUP_C)
            player.set_media(media)
            if player.play() != 0:
                self._stop(player, media, key)
                raise PlayerError(f"libVLC cannot play {redacted(self.source.url)}")
            return player, media

        @staticmethod
        def _stop(player: Any, media: Any, key: int) -> None:
            player.stop()
            player.release()
            media.release()
            with _slots_lock:
                _slots.pop(key, None)
