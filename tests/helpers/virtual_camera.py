"""A virtual ONVIF camera (ipycam) fed with a moving test pattern, for tests and benchmarks.

    python tests/helpers/virtual_camera.py --ip 198.18.0.2 --onvif-port 8080 --rtsp-port 8554 \
        [--user admin --password secret] [--name "Cam 1"]

Meant to run inside a network namespace the tests create (ipycam answers WS-Discovery on
UDP 3702, which must never reach the host's real network). Prints ``READY`` when serving.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

import numpy as np
from ipycam import CameraConfig, IPCamera


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
    args = parser.parse_args()
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
        main_width=640,
        main_height=360,
        main_fps=args.fps,
        sub_width=320,
        sub_height=180,
        sub_fps=args.fps,
        show_timestamp=False,
    )
    _allow_pre_auth_time()
    if args.clock_offset:
        _skew_clock(args.clock_offset)
    camera = IPCamera(config)
    if not camera.start():
        sys.exit("camera did not start")
    print("READY", flush=True)
    running = True

    def stop(*_: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    frame = np.zeros((360, 640, 3), dtype=np.uint8)
    tick = 0
    while running:
        frame[:] = (tick * 3 % 255, 80, 160)
        frame[:, (tick * 8) % 640 : (tick * 8) % 640 + 20] = 255
        camera.stream(frame)
        tick += 1
        time.sleep(1 / args.fps)
    camera.stop()


if __name__ == "__main__":
    main()
