"""A real RTSP server for tests: GStreamer's gst-rtsp-server serving a test pattern.

Run with Debian's own Python (``/usr/bin/python3``), which has the GObject bindings:

    /usr/bin/python3 tests/helpers/rtsp_server.py PORT [WIDTHxHEIGHT] [USER:PASSWORD]

It serves ``/main`` and ``/sub`` (H.264, 10 fps or ``RTSP_FPS``; sub at half size) on 127.0.0.1
only, and prints ``READY`` once it listens. With ``USER:PASSWORD`` it requires RTSP Basic
authentication. With ``RTSP_IMAGES=/dir/img%03d.jpg`` (JPEGs of the stream's size) it shows
those pictures in a loop, ``RTSP_IMAGE_S`` seconds each, instead of the moving test pattern.
With ``RTSP_CLOCK=1`` every frame shows the wall-clock time it was made, as a barcode that
:func:`tests.helpers.clock_video.read_clock` decodes: recordings can be checked to the frame.
"""

import os
import sys
import threading
import time
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=smpte horizontal-speed=4 "  # moving: tiles check motion
    "! video/x-raw,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)

IMAGES = (
    "( multifilesrc location={images} loop=true caps=image/jpeg,framerate=1/{hold} "
    "! jpegdec ! videoconvert ! videoscale ! videorate "
    "! video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=4000 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


CLOCK = (
    "( appsrc name=clock is-live=true do-timestamp=true format=time "
    "caps=video/x-raw,format=GRAY8,width={w},height={h},framerate={fps}/1 "
    "! videoconvert ! video/x-raw,format=I420 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=1000 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
CLOCK_BITS = 40  # deciseconds since the epoch, most significant bit first


def clock_frame(width: int, height: int, now: float) -> bytes:
    value = round(now * 10)
    block = width // CLOCK_BITS
    row = b"".join(
        (b"\xff" if value >> (CLOCK_BITS - 1 - i) & 1 else b"\x00") * block
        for i in range(CLOCK_BITS)
    )
    row += b"\x80" * (width - len(row))
    return row * height


def attach_clock(factory: Any, w: int, h: int, fps: int) -> None:
    def configure(_factory: Any, media: Any) -> None:
        source = media.get_element().get_by_name("clock")
        state = {"next": time.time()}
        lock = threading.Lock()

        def need_data(src: Any, _length: int) -> None:
            with lock:
                delay = state["next"] - time.time()
                if delay > 0:
                    time.sleep(delay)
                state["next"] = max(state["next"] + 1 / fps, time.time() - 1)
                frame = clock_frame(w, h, time.time())
            src.emit("push-buffer", Gst.Buffer.new_wrapped(frame))

        source.connect("need-data", need_data)

    factory.connect("media-configure", configure)


def main() -> None:
    port = sys.argv[1]
    width, height = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "640x480").split("x"))
    credentials = sys.argv[3] if len(sys.argv) > 3 else ""
    fps = int(os.environ.get("RTSP_FPS", "10"))
    images = os.environ.get("RTSP_IMAGES", "")
    clock = os.environ.get("RTSP_CLOCK", "") == "1"
    hold = int(os.environ.get("RTSP_IMAGE_S", "2"))
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    mounts = server.get_mount_points()
    for name, (w, h) in {"main": (width, height), "sub": (width // 2, height // 2)}.items():
        factory = GstRtspServer.RTSPMediaFactory()
        if clock:
            factory.set_launch(CLOCK.format(w=w, h=h, fps=fps))
            attach_clock(factory, w, h, fps)
        elif images:
            factory.set_launch(IMAGES.format(images=images, hold=hold, w=w, h=h, fps=fps))
        else:
            factory.set_launch(PIPELINE.format(w=w, h=h, fps=fps))
        factory.set_shared(True)
        if credentials:
            permissions = GstRtspServer.RTSPPermissions()
            permissions.add_permission_for_role("viewer", "media.factory.access", True)
            permissions.add_permission_for_role("viewer", "media.factory.construct", True)
            factory.set_permissions(permissions)
        mounts.add_factory(f"/{name}", factory)
    if credentials:
        user, password = credentials.split(":", 1)
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)
    server.attach(None)
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
