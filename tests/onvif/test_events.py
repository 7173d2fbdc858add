"""ONVIF events through the pull point of the virtual camera, whose own detectors watch the
picture it streams: freezing the scene ends motion, covering the lens is tamper."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator

import pytest

from gtvision.onvif.device import EventSubscription, OnvifDevice
from gtvision.onvif.errors import WrongCredentialsError
from gtvision.onvif.events import CameraEvent, EventKind
from tests.helpers.media_peers import VirtualCamera

PASSWORD = "events-pass"


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password=PASSWORD) as cam:
        yield cam


class _Scene:
    """The camera's properties as the events tell them, updated as they arrive."""

    def __init__(self, events: AsyncIterator[CameraEvent]) -> None:
        self.events = events
        self.state: dict[EventKind, bool | None] = {}
        self.last: dict[EventKind, CameraEvent] = {}

    async def until(self, within_s: float = 20.0, **wanted: bool) -> None:
        goal = {EventKind(k): v for k, v in wanted.items()}
        async with asyncio.timeout(within_s):
            while any(self.state.get(k) is not v for k, v in goal.items()):
                event = await anext(self.events)
                self.state[event.kind] = event.active
                self.last[event.kind] = event


def test_motion_and_tamper_follow_the_scene(camera: VirtualCamera) -> None:
    async def watch() -> None:
        camera.scene(motion=True, covered=False)
        async with OnvifDevice(camera.address, "admin", PASSWORD) as device:
            assert (await device.describe()).events
            async with device.events(pull_s=2) as subscription:
                first = await subscription.pull()
                # Every property's current state comes first, with the camera's topic and source.
                initial = {e.kind: e for e in first if e.operation == "Initialized"}
                assert initial.keys() == {EventKind.MOTION, EventKind.TAMPER}
                motion = initial[EventKind.MOTION]
                assert motion.topic == "tns1:RuleEngine/CellMotionDetector/Motion"
                assert initial[EventKind.MOTION].source == {
                    "VideoSourceConfigurationToken": "VideoSourceConfig"
                }
                assert initial[EventKind.TAMPER].active is False
                scene = _Scene(aiter(subscription))
                scene.state = {kind: event.active for kind, event in initial.items()}
                await scene.until(motion=True)  # the bar sweeps

                camera.scene(motion=False)
                await scene.until(motion=False)
                still = scene.last[EventKind.MOTION]
                assert still.operation == "Changed"
                assert still.address == camera.address

                camera.scene(covered=True)
                await scene.until(tamper=True)
                covered = scene.last[EventKind.TAMPER]
                assert covered.data == {"IsTamper": "true"}
                assert covered.at >= still.at

                camera.scene(covered=False, motion=True)
                await scene.until(tamper=False, motion=True)

    asyncio.run(watch())


def test_a_restarted_camera_is_subscribed_again(camera: VirtualCamera) -> None:
    """The camera reboots: its subscriptions are gone. The iteration carries on by itself and
    starts again from the properties' current state."""

    async def watch() -> None:
        camera.scene(motion=True, covered=False)
        async with OnvifDevice(camera.address, "admin", PASSWORD) as device:
            subscription: EventSubscription
            async with device.events(pull_s=1) as subscription:
                await subscription.pull()
                camera.stop_process()
                camera.start_process()
                camera.scene(motion=True, covered=False)
                events = aiter(subscription)
                async with asyncio.timeout(40):
                    async for event in events:
                        if event.operation == "Initialized" and event.kind is EventKind.MOTION:
                            break
                assert subscription.resubscriptions >= 1

    asyncio.run(watch())


def test_wrong_password_is_said_before_any_subscription(camera: VirtualCamera) -> None:
    async def watch() -> None:
        async with OnvifDevice(camera.address, "admin", "wrong") as device:
            await device.events().pull()

    with pytest.raises(WrongCredentialsError, match=camera.address):
        asyncio.run(watch())


def test_cli_prints_events_as_json_lines(camera: VirtualCamera) -> None:
    camera.scene(motion=True, covered=False)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gtvision.onvif.cli",
            "events",
            camera.address,
            "--json",
            "--seconds",
            "4",
            "--kind",
            "motion",
        ],
        env={**os.environ, "GTV_ONVIF_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines, done.stderr
    assert {line["kind"] for line in lines} == {"motion"}
    assert lines[0]["active"] is True
    assert lines[0]["operation"] == "Initialized"
