"""A virtual ONVIF camera (ipycam) fed with a moving test pattern, for tests and benchmarks.

    python tests/helpers/virtual_camera.py --ip 198.18.0.2 --onvif-port 8080 --rtsp-port 8554 \
        [--user admin --password secret] [--name "Cam 1"]

Meant to run inside a network namespace the tests create (ipycam answers WS-Discovery on
UDP 3702, which must never reach the host's real network). Prints ``READY`` when serving.

The scene: a bar sweeps across a slowly changing background. ``SIGUSR1`` freezes or frees the
bar (motion stops or starts), ``SIGUSR2`` covers or uncovers the lens (the picture goes black):
what the camera's own detectors (:mod:`camera_events`) report as ONVIF motion and tamper events.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from ipycam import CameraConfig, IPCamera

from tests.helpers.camera_events import PullPointService, SceneDetector, body_action


def _skew_clock(offset_s: float) -> None:
    """Make ipycam live in a wrong time, as a camera without NTP does: the time it reports
    (GetSystemDateAndTime) and the time it checks WS-Security tokens against."""
    import types
    from datetime import UTC, datetime

    from ipycam import onvif

    real_time = onvif.time
    onvif.time = types.SimpleNamespace(
        gmtime=lambda *_: real_time.gmtime(real_time.time() + offset_s),
        time=lambda: real_time.time() + offset_s,
        sleep=real_time.sleep,
        monotonic=real_time.monotonic,
    )

    def created_within_skew(created: str, max_skew: int = onvif.WSU_MAX_SKEW_SECONDS) -> bool:
        stamp = datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
        return abs(datetime.now(UTC).timestamp() + offset_s - stamp.timestamp()) <= max_skew

    onvif._created_within_skew = created_within_skew


def _allow_pre_auth_time() -> None:
    """ONVIF Core: GetSystemDateAndTime answers without authentication (PRE_AUTH), so that a
    client can learn the camera's clock before signing anything. ipycam asks for credentials;
    real cameras do not."""
    from ipycam.onvif import ONVIFService

    checked = ONVIFService.verify_usernametoken

    def verify(self: ONVIFService, body: str) -> bool:
        if "GetSystemDateAndTime" in body and "UsernameToken" not in body:
            return True
        return bool(checked(self, body))

    ONVIFService.verify_usernametoken = verify


def _serve_rtsp_itself() -> None:
    """Make ipycam serve RTSP with its own server, every time.

    At start ipycam pushes to go2rtc when something answers on 127.0.0.1:1984 and :8554, else
    runs its own RTSP server if ``ffmpeg -version`` answers within 5 s, else serves MJPEG only.
    A CI run had cameras come up with no RTSP port at all while the machine was busy; a test
    camera must not pick its streaming mode by how loaded the machine is. ffmpeg is a test
    dependency (bootstrap installs it), so finding it on PATH is the whole check.
    """
    from ipycam import camera

    camera.check_go2rtc_running = lambda *_, **__: False
    camera.is_native_rtsp_available = lambda: shutil.which("ffmpeg") is not None


def _add_events(camera: IPCamera, base_url: str) -> PullPointService:
    """Give ipycam an ONVIF event service: advertised in GetServices/GetCapabilities, its
    operations routed by the request's body (zeep sends SOAP 1.2 without a SOAPAction)."""
    events = PullPointService(base_url)
    service = camera.onvif
    url = f"{base_url}/onvif/events_service"
    handle, services, capabilities = (
        service.handle_action,
        service.get_services,
        service.get_capabilities,
    )

    def handle_action(action: str, body: str) -> str | None:
        name = body_action(body)
        if name is not None:
            return events.handle(name, body)[1]
        reply: str | None = handle(action, body)
        return reply

    def get_services() -> str:
        entry = (
            "<tds:Service><tds:Namespace>http://www.onvif.org/ver10/events/wsdl</tds:Namespace>"
            f"<tds:XAddr>{url}</tds:XAddr><tds:Version><tt:Major>2</tt:Major>"
            "<tt:Minor>6</tt:Minor></tds:Version></tds:Service>"
        )
        end = "</tds:GetServicesResponse>"
        return str(services()).replace(end, entry + end)

    def get_capabilities() -> str:
        entry = (
            f"<tt:Events><tt:XAddr>{url}</tt:XAddr>"
            "<tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>"
            "<tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
            "<tt:WSPausableSubscriptionManagerInterfaceSupport>false"
            "</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>"
        )
        return str(capabilities()).replace("</tds:Capabilities>", entry + "</tds:Capabilities>")

    service.handle_action = handle_action
    service.get_services = get_services
    service.get_capabilities = get_capabilities
    return events


def show_slides(
    camera: IPCamera, args: argparse.Namespace, width: int, height: int, running: Any
) -> None:
    """The pictures in ``--slides`` in turn, ``--slide-s`` each with ``--gap-s`` of empty grey
    street between; each slide's first frame announced as ``SHOW <index> <unix time>``."""
    slides = [
        np.frombuffer(path.read_bytes(), np.uint8).reshape(height, width, 3)
        for path in sorted(Path(args.slides).glob("*.bgr"))
    ]
    street = np.full((height, width, 3), 0x60, np.uint8)
    start, shown = time.time(), None
    while running():
        now = time.time()
        phase = (now - start) % (len(slides) * (args.slide_s + args.gap_s))
        index, within = (
            int(phase // (args.slide_s + args.gap_s)),
            phase % (args.slide_s + args.gap_s),
        )
        showing = index if within < args.slide_s else None
        if showing is not None and showing != shown:
            print(f"SHOW {showing} {now:.3f}", flush=True)
        shown = showing
        camera.stream(slides[showing] if showing is not None else street)
        time.sleep(max(0.0, 1 / args.fps - (time.time() - now)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ip", required=True)
    parser.add_argument("--onvif-port", type=int, default=8080)
    parser.add_argument("--rtsp-port", type=int, default=8554)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--name", default="GT-Vision Test Camera")
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument(
        "--clock-offset", type=float, default=0.0, help="seconds the camera's clock is off"
    )
    parser.add_argument("--size", default="640x360", help="main stream size (sub: half)")
    parser.add_argument("--slides", default="", help="a folder of raw BGR frames (*.bgr)")
    parser.add_argument("--slide-s", type=float, default=4.0)
    parser.add_argument("--gap-s", type=float, default=3.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    config = CameraConfig(
        name=args.name,
        manufacturer="GT-Vision Labs",
        model="Virtual-ONVIF",
        serial_number=f"GTV-{args.ip.replace('.', '')}",  # unique per namespace
        local_ip=args.ip,
        onvif_port=args.onvif_port,
        rtsp_port=args.rtsp_port,
        username=args.user,
        password=args.password,
        main_width=width,
        main_height=height,
        main_fps=args.fps,
        sub_width=width // 2,
        sub_height=height // 2,
        sub_fps=args.fps,
        show_timestamp=False,
    )
    _allow_pre_auth_time()
    _serve_rtsp_itself()
    if args.clock_offset:
        _skew_clock(args.clock_offset)
    camera = IPCamera(config)
    events = _add_events(camera, f"http://{args.ip}:{args.onvif_port}")
    detect = SceneDetector()
    if not camera.start():
        sys.exit("camera did not start")
    if camera.rtsp_server is None:
        camera.stop()
        sys.exit(f"camera serves no RTSP (ipycam's streaming mode: {camera.streaming_mode})")
    print("READY", flush=True)
    running = True

    def stop(*_: object) -> None:
        nonlocal running
        running = False

    scene = {"frozen": False, "covered": False}

    def toggle(key: str) -> signal.Handlers:
        def handler(*_: object) -> None:
            scene[key] = not scene[key]

        return handler  # type: ignore[return-value]

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGUSR1, toggle("frozen"))
    signal.signal(signal.SIGUSR2, toggle("covered"))
    if args.slides:
        show_slides(camera, args, width, height, lambda: running)
        camera.stop()
        return
    frame = np.zeros((height, width, 3), dtype=np.uint8)
    tick = bar = 0
    while running:
        frame[:] = (tick * 3 % 255, 80, 160)
        frame[:, (bar * 8) % width : (bar * 8) % width + 20] = 255
        if scene["covered"]:
            frame[:] = 4
        camera.stream(frame)
        events.update(*detect(frame))
        tick += 1
        bar += 0 if scene["frozen"] else 1
        time.sleep(1 / args.fps)
    camera.stop()


if __name__ == "__main__":
    main()
