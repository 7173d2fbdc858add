"""The alarm's sound, on the workstation's own audio output.

Qt's sound classes live in QtMultimedia, which the console does not ship (PySide6-Essentials);
``miniaudio`` is one small wheel that speaks PulseAudio/PipeWire, ALSA, WASAPI and Core Audio
itself and plays from its own thread, so the GUI never waits on audio. The default sound is a
two-tone chime made here (no file to lose); a control room may choose its own WAV/MP3/FLAC/OGG.
Where no audio output opens, :meth:`AlarmSound.play` says so (one log line per process) and
the caller falls back to the desktop's beep; ALSA's own complaints about missing sound cards,
thousands of lines on a machine without one, are silenced (:func:`quiet_alsa`).

``python -m gtvision.console.sound [FILE]`` plays it once: an installer's speaker check.
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import logging
import math
import sys
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import miniaudio

log = logging.getLogger(__name__)

RATE = 44100
# Silence asked for after the sound's end before the device is closed: a device asks for
# samples as it plays them, so by then the sound has left the buffers (counted in samples, not
# wall time: a sound server may start late).
_TAIL = int(0.4 * RATE)


def chime(
    rate: int = RATE, tones: tuple[float, float] = (960.0, 770.0), repeats: int = 3
) -> array.array[int]:
    """Two alternating tones, 180 ms each, with short fades (no clicks), 16-bit mono."""
    samples: list[int] = []
    note = int(0.18 * rate)
    fade = int(0.01 * rate)
    for _ in range(repeats):
        for frequency in tones:
            for i in range(note):
                envelope = min(1.0, i / fade, (note - i) / fade)
                samples.append(
                    int(0.45 * 32767 * envelope * math.sin(2 * math.pi * frequency * i / rate))
                )
        samples.extend([0] * int(0.12 * rate))
    return array.array("h", samples)


def load(path: Path, rate: int = RATE) -> array.array[int]:
    """Any sound file miniaudio decodes, as 16-bit mono at ``rate``; ValueError if unreadable."""
    try:
        decoded = miniaudio.decode_file(
            str(path), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=rate
        )
    except (miniaudio.DecodeError, OSError) as exc:
        raise ValueError(f"{path}: not a sound file miniaudio can read ({exc})") from exc
    return array.array("h", decoded.samples)


_alsa_handler: Any = None  # kept alive for as long as libasound may call it
_told_no_audio = False


def quiet_alsa() -> None:
    """Send libasound's error messages nowhere. It prints every failed configuration lookup
    to stderr itself (not through miniaudio), which on a machine without a sound card buries
    the terminal under ``ALSA lib …`` lines at each alarm."""
    global _alsa_handler
    if _alsa_handler is not None or not sys.platform.startswith("linux"):
        return
    try:
        asound = ctypes.CDLL(ctypes.util.find_library("asound") or "libasound.so.2")
    except OSError:
        return  # no ALSA at all: nothing to silence
    handler = ctypes.CFUNCTYPE(
        None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
    )
    _alsa_handler = handler(lambda *_: None)
    asound.snd_lib_error_set_handler(_alsa_handler)


class AlarmSound:
    """One sound at a time: a new alarm restarts it rather than piling sounds up."""

    def __init__(self, path: Path | None = None) -> None:
        self.samples = load(path) if path else chime()
        self.backend: str | None = None
        self.problem: str | None = None
        self._device: miniaudio.PlaybackDevice | None = None
        self._lock = threading.Lock()
        self._played = threading.Event()
        self._played.set()

    def play(self) -> bool:
        """Start the sound and return at once; False (and ``problem`` set) without audio."""
        global _told_no_audio
        self.stop()
        quiet_alsa()
        done = self._played = threading.Event()
        try:
            device = miniaudio.PlaybackDevice(nchannels=1, sample_rate=RATE, buffersize_msec=100)
            stream = self._stream(done)
            next(stream)
            device.start(stream)
        except miniaudio.MiniaudioError as exc:
            self.problem = f"no audio output ({exc})"
            if not _told_no_audio:
                log.warning("alarm sound: %s; alarms will beep instead", self.problem)
                _told_no_audio = True
            done.set()
            return False
        self.backend, self.problem = device.backend, None
        with self._lock:
            self._device = device
        threading.Thread(target=self._close_when, args=(device, done), daemon=True).start()
        return True

    def wait(self, timeout_s: float | None = None) -> bool:
        """Until the sound has been played out; False if it had not after ``timeout_s``."""
        return self._played.wait(timeout_s)

    def stop(self) -> None:
        with self._lock:
            device, self._device = self._device, None
        if device is not None:
            device.close()
        self._played.set()

    def _stream(self, done: threading.Event) -> Generator[array.array[int], int, None]:
        position = 0
        wanted = yield array.array("h")
        while True:
            chunk = self.samples[position : position + wanted]
            position += wanted
            if len(chunk) < wanted:
                chunk.extend([0] * (wanted - len(chunk)))
            if position >= len(self.samples) + _TAIL:
                done.set()
            wanted = yield chunk

    def _close_when(self, device: miniaudio.PlaybackDevice, done: threading.Event) -> None:
        done.wait(timeout=(len(self.samples) + _TAIL) / RATE + 10)
        with self._lock:
            mine = self._device is device  # else stop() or a newer sound took it
            if mine:
                self._device = None
        if mine:
            device.close()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    sound = AlarmSound(Path(args[0]) if args else None)
    if not sound.play():
        raise SystemExit(f"error: {sound.problem}")
    print(f"playing through {sound.backend}", flush=True)
    sound.wait((len(sound.samples) + _TAIL) / RATE + 10)
    sound.stop()


if __name__ == "__main__":
    main()
