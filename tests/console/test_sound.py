"""The alarm sound, heard: played through a real PulseAudio server and recorded off its sink."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gtvision.console.sound import AlarmSound, load
from gtvision.console.widgets.alarm import AlarmDialog
from tests.helpers.audio import PulseServer, named_tones


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server:
        yield server


def _play(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gtvision.console.sound", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_alarm_chime_reaches_the_speaker(pulse: PulseServer) -> None:
    with pulse.recording() as heard:
        done = _play({"PULSE_SERVER": pulse.server})
    assert done.returncode == 0, done.stderr
    assert "PulseAudio" in done.stdout
    tones = named_tones(heard.tones(), {960.0, 770.0})
    # Two tones, 180 ms each, three times over: ~1.08 s of sound in 50 ms windows.
    assert set(tones) == {960.0, 770.0}
    assert 16 <= len(tones) <= 26
    changes = sum(1 for a, b in itertools.pairwise(tones) if a != b)
    assert changes >= 5


def test_a_control_room_can_choose_its_own_sound(pulse: PulseServer, tmp_path: Path) -> None:
    path = tmp_path / "sirene.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)  # stereo at 22.05 kHz: converted on the way
        out.setsampwidth(2)
        out.setframerate(22050)
        frames = bytearray()
        for i in range(int(0.6 * 22050)):
            value = int(12000 * math.sin(2 * math.pi * 500 * i / 22050))
            frames += value.to_bytes(2, "little", signed=True) * 2
        out.writeframes(bytes(frames))
    with pulse.recording() as heard:
        done = _play({"PULSE_SERVER": pulse.server}, str(path))
    assert done.returncode == 0, f"{done.stderr[-600:]}\n--- pulseaudio:\n{pulse.log()}"
    tones = named_tones(heard.tones(), {500.0})
    assert tones
    assert 9 <= len(tones) <= 14


def test_an_unreadable_sound_file_isnamed_tones(tmp_path: Path) -> None:
    path = tmp_path / "not-a-sound.wav"
    path.write_text("hello")
    with pytest.raises(ValueError, match=r"not-a-sound\.wav"):
        load(path)


def test_no_audio_output_is_said(tmp_path: Path) -> None:
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 99 }\n")
    done = _play({"PULSE_SERVER": f"unix:{tmp_path / 'nothing'}", "HOME": str(tmp_path)})
    assert done.returncode != 0
    assert "no audio output" in done.stderr
    # Quiet: no libasound chatter (35 lines per attempt here before), one line saying why.
    assert "ALSA lib" not in done.stderr, done.stderr
    assert done.stderr.count("alarms will beep instead") == 1


def test_the_alarm_window_keeps_the_operators_choice(qapp: QApplication, tmp_path: Path) -> None:
    QSettings().setValue("alarm/sound", str(tmp_path / "gone.wav"))
    dialog = AlarmDialog()
    assert dialog.sound is not None  # a chosen file that went missing: the chime, not silence
    assert len(dialog.sound.samples) == len(AlarmSound().samples)
    dialog.set_muted(True)
    assert dialog.sound is None
    assert AlarmDialog().muted  # remembered
    own = tmp_path / "own.wav"
    with wave.open(str(own), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(bytes(2 * 4410))
    QSettings().setValue("alarm/sound", str(own))
    dialog.set_muted(False)  # unmuting brings back the control room's own sound
    assert dialog.sound is not None
    assert len(dialog.sound.samples) == 4410
    QSettings().setValue("alarm/sound", "off")
    assert AlarmDialog().muted
