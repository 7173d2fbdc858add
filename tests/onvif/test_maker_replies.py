"""Camera makers' SOAP dialects, replayed over HTTP (``replies/<maker>``) through the whole client.

The replies are written after the shapes these makers' cameras send (their element order, their
topic sets and items, their quirks: Axis's locally declared ``tnsaxis`` prefix and ``active=1``,
Dahua's ``MotionAlarm``/``State`` and times without a zone, an Axis bitrate of 2^31 - 1 for
"unlimited", a JPEG profile beside H.264), not copied from any capture.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gtvision.onvif.device import OnvifDevice
from gtvision.onvif.events import CameraEvent, EventKind, classify, plain_topic
from gtvision.onvif.models import CameraDescription
from tests.helpers.soap_replay import SoapReplay

REPLIES = Path(__file__).with_name("replies")


Replayed = tuple[CameraDescription, list[CameraEvent], list[CameraEvent]]


def _replay(
    maker: str,
) -> tuple[CameraDescription, list[CameraEvent], list[CameraEvent], list[str]]:
    async def run(address: str) -> Replayed:
        async with OnvifDevice(address, "admin", "pass") as device:
            found = await device.describe()
            async with device.events(pull_s=1) as subscription:
                return found, await subscription.pull(), await subscription.pull()

    with SoapReplay(REPLIES / maker) as camera:
        found, first, second = asyncio.run(run(camera.address))
        return found, first, second, camera.asked


def test_hikvision() -> None:
    found, events, quiet, asked = _replay("hikvision")
    assert (found.device.manufacturer, found.device.model) == ("HIKVISION", "DS-2CD2143G2-I")
    assert found.device.firmware == "V5.7.3 build 220112"
    assert found.main is not None
    assert found.main.token == "Profile_1"
    assert (found.main.width, found.main.height, found.main.fps) == (2688, 1520, 25.0)
    assert found.main.bitrate_kbps == 6144
    assert found.sub is not None
    assert found.sub.token == "Profile_2"
    assert found.sub.stream_uri is not None
    assert "profile=Profile_2" in found.sub.stream_uri
    assert "&" in found.sub.stream_uri
    assert "&amp;" not in found.sub.stream_uri
    assert found.snapshot_uri == "http://127.0.0.1/onvif-http/snapshot?Profile_1"
    assert found.events
    assert not found.ptz.supported

    motion, tamper, io = events
    assert (motion.kind, motion.active, motion.operation) == (EventKind.MOTION, True, "Changed")
    assert motion.source["Rule"] == "MyMotionDetectorRule"
    assert motion.at == datetime(2026, 11, 22, 12, 0, 3, tzinfo=UTC)
    assert (tamper.kind, tamper.active) == (EventKind.TAMPER, True)
    assert (io.kind, io.active, io.operation) == (EventKind.OTHER, False, "Initialized")
    assert io.topic == "tns1:Device/Trigger/DigitalInput"
    assert quiet == []
    assert asked.count("PullMessages") == 2
    assert "Unsubscribe" in asked


def test_axis() -> None:
    found, events, _, _ = _replay("axis")
    assert found.device.manufacturer == "AXIS"
    codecs = {p.token: p.codec for p in found.profiles}
    assert codecs == {"profile_1_h264": "H264", "profile_1_jpeg": "JPEG"}
    assert found.profiles[0].bitrate_kbps == 2**31 - 1

    vmd, scene, daynight = events
    assert vmd.topic == "tns1:RuleEngine/tnsaxis:VMD3/vmd3_video_1"
    assert (vmd.kind, vmd.active) == (EventKind.MOTION, True)
    assert vmd.at == datetime(2026, 11, 22, 12, 0, 2, 970000, tzinfo=UTC)
    assert (scene.kind, scene.active) == (EventKind.TAMPER, True)
    assert (daynight.kind, daynight.data) == (EventKind.OTHER, {"day": "1"})


def test_dahua() -> None:
    found, events, _, _ = _replay("dahua")
    assert (found.device.manufacturer, found.device.model) == ("General", "IPC-HFW2431S-S-S2")
    assert found.main is not None
    assert found.main.fps == 20.0
    assert found.sub is not None
    assert (found.sub.width, found.sub.height) == (704, 576)
    assert found.snapshot_uri is None  # no GetSnapshotUri: optional, not an error

    motion, tamper = events
    assert (motion.kind, motion.active, motion.source) == (
        EventKind.MOTION,
        True,
        {"Source": "VideoSourceToken000"},
    )
    assert motion.at == datetime(2026, 11, 22, 12, 0, 3, tzinfo=UTC)  # no zone: UTC
    assert (tamper.kind, tamper.active, tamper.operation) == (
        EventKind.TAMPER,
        False,
        "Initialized",
    )


@pytest.mark.parametrize(
    ("topic", "data", "expected"),
    [
        ("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "0"}, (EventKind.MOTION, False)),
        ("tns1:VideoSource/MotionAlarm", {"State": "TRUE"}, (EventKind.MOTION, True)),
        ("tns1:RuleEngine/MotionRegionDetector/Motion", {"State": "1"}, (EventKind.MOTION, True)),
        ("tns1:RuleEngine/TamperDetector/Tamper", {"IsTamper": "true"}, (EventKind.TAMPER, True)),
        ("tns1:VideoSource/GlobalSceneChange/Imaging", {"State": "off"}, (EventKind.TAMPER, False)),
        ("tnsaxis:VideoSource/Tampering", {"tampering": "1"}, (EventKind.TAMPER, True)),
        ("tns1:Device/Trigger/Relay", {"LogicalState": "active"}, (EventKind.OTHER, True)),
        ("tns1:VideoSource/MotionAlarm", {}, (EventKind.MOTION, None)),
        ("tns1:Monitoring/ProcessorUsage", {"Value": "42.5"}, (EventKind.OTHER, None)),
    ],
)  # fmt: skip
def test_classify(
    topic: str, data: dict[str, str], expected: tuple[EventKind, bool | None]
) -> None:
    assert classify(topic, data) == expected


def test_plain_topic_drops_per_camera_prefixes() -> None:
    topic = "tns1:RuleEngine/tnsaxis:VMD3/vmd3_video_1"
    assert plain_topic(topic) == "RuleEngine/VMD3/vmd3_video_1"
