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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ip", required=True)
    parser.add_argument("--onvif-port", type=int, default=8080)
    parser.add_argument("--rtsp-port", type=int, default=8554)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--name", default="GT-Vision Test Camera")
    parser.add_argument("--fps", type=int, default=10)
    args = parser.parse_args()
    config = CameraConfig(
        name=args.name,
        manufacturer="GT-Vision Labs",
        model="Virtual-ONVIF",
        serial_number=f"GTV-{args.ip.replace('.', '')}",
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
