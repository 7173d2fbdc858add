"""A real sound server for tests: PulseAudio with a null sink (a clocked "speaker" with no
hardware), on a socket of its own; what is played is recorded from the sink's monitor.

    with PulseServer() as pulse, pulse.recording() as heard:
        ...  # play with PULSE_SERVER=pulse.server
    heard.samples  # numpy int16, 44.1 kHz mono

Debian's ``pulseaudio``/``pulseaudio-utils`` (``scripts/bootstrap.sh dev``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

import numpy as np
import pytest

RATE = 44100


class Recording:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.samples = np.zeros(0, dtype=np.int16)

    def tones(self, window_s: float = 0.05, loud: int = 1000) -> list[float]:
        """The dominant frequency of each window loud for at least half its length, in order
        (Hz, to 1 / ``window_s``). A window the sound only grazes at its edge is left out: a
        few tapered cycles spread over the whole spectrum and can peak anywhere, even at 0 Hz.
        """
        step = int(window_s * RATE)
        found = []
        for start in range(0, len(self.samples) - step, step):
            window = self.samples[start : start + step].astype(float)
            if np.mean(np.abs(window) >= loud) < 0.5:
                continue
            spectrum = np.abs(np.fft.rfft(window * np.hanning(step)))
            found.append(float(np.argmax(spectrum)) * RATE / step)
        return found


def named_tones(tones: list[float], expected: set[float], within_hz: float = 25.0) -> list[float]:
    """Each measured tone as the expected one it is (a 50 ms window resolves 20 Hz)."""
    named = [min(expected, key=lambda e: abs(e - tone)) for tone in tones]
    assert all(abs(e - t) <= within_hz for e, t in zip(named, tones, strict=True)), tones
    return named


class PulseServer:
    def __init__(self) -> None:
        if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
            pytest.fail("PulseAudio is not installed (run scripts/bootstrap.sh dev)")
        self.root = Path(tempfile.mkdtemp(prefix="gtv-pulse-"))
        self.server = f"unix:{self.root / 'native'}"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        with (self.root / "pulseaudio.log").open("wb") as log:
            self._process = self._start(log)
        deadline = time.monotonic() + 15
        while not (self.root / "native").exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                pytest.fail(f"PulseAudio did not start: {self.log()}")
            time.sleep(0.05)
        return self

    def _start(self, log: BinaryIO) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--disable-shm=yes",  # its memfd transport aborts the server (upstream issue 824)
             "-F", "/dev/null", f"--load=module-null-sink sink_name=speaker rate={RATE} channels=1",
             f"--load=module-native-protocol-unix socket={self.root / 'native'} auth-anonymous=1"],
            env={"HOME": str(self.root), "PATH": "/usr/bin:/bin",
                 "XDG_RUNTIME_DIR": str(self.root)},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )  # fmt: skip

    def log(self) -> str:
        return (self.root / "pulseaudio.log").read_text(errors="replace")[-2000:]

    @contextmanager
    def recording(self) -> Iterator[Recording]:
        """What the speaker plays meanwhile (raw 16-bit mono)."""
        heard = Recording(self.root / f"heard-{time.monotonic_ns()}.raw")
        with heard.path.open("wb") as out:
            parec = subprocess.Popen(
                ["parec", f"--server={self.server}", "-d", "speaker.monitor", f"--rate={RATE}",
                 "--channels=1", "--format=s16le", "--raw", "--latency-msec=20"],
                stdout=out,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(0.3)  # connected before anything plays
            try:
                yield heard
            finally:
                time.sleep(0.3)
                parec.terminate()
                parec.wait(timeout=10)
        heard.samples = np.fromfile(heard.path, dtype="<i2")

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
        shutil.rmtree(self.root, ignore_errors=True)
