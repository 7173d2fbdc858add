"""A real RTSP server for tests: GStreamer's gst-rtsp-server serving a test pattern.

Run with Debian's own Python (``/usr/bin/python3``), which has the GObject bindings:

    /usr/bin/python3 tests/helpers/rtsp_server.py PORT [WIDTHxHEIGHT] [USER:PASSWORD]

It serves ``/main`` and ``/sub`` (H.264, 10 fps or ``RTSP_FPS``; sub at half size) on 127.0.0.1
only, and prints ``READY`` once it listens. With ``USER:PASSWORD`` it requires RTSP Basic
authentication. With ``RTSP_IMAGES=/dir/img%03d.jpg`` (JPEGs of the stream's size) it shows
those pictures in a loop, ``RTSP_IMAGE_S`` seconds each, instead of the moving test pattern.
With ``RTSP_CLOCK=1`` every frame shows the wall-clock time it was made, as a barcode that
:func:`tests.helpers.clock_video.read_clock` decodes: recordings can be checked to the frame.

The ways real cameras differ, for the camera matrix (moving test pattern only):
``RTSP_CODEC=h265``; ``RTSP_PARAMETER_SETS=sdp`` (SPS/PPS only in the SDP's
``sprop-parameter-sets``, never in-band); ``RTSP_AUTH=digest`` (with ``USER:PASSWORD``);
``RTSP_END_AFTER=N`` (every session is closed by the server N seconds after it connects);
``RTSP_SESSION_TIMEOUT=N`` (a session without keep-alive is dropped after N seconds);
``RTSP_AUDIO_ONLY=1`` (a stream with no video track at all);
``RTSP_SLIDES=/dir/`` (raw BGR frames of the stream's size, ``*.bgr``, shown in turn for
``RTSP_SLIDE_S`` seconds each with ``RTSP_GAP_S`` seconds of empty grey street between; each
slide's first frame is announced on stdout as ``SHOW <index> <unix time>``, for benchmarks);
``RTSP_GOP_S=N`` (a key frame every N seconds rather than every second).
"""

import glob
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=smpte horizontal-speed=4 "  # moving: tiles check motion
    "! video/x-raw,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} "
    "! rtph264pay name=pay0 pt=96 config-interval={config} )"
)

IMAGES = (
    "( multifilesrc location={images} loop=true caps=image/jpeg,framerate=1/{hold} "
    "! jpegdec ! videoconvert ! videoscale ! videorate "
    "! video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=4000 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


H265 = (
    "( videotestsrc is-live=true pattern=smpte horizontal-speed=4 "
    "! video/x-raw,width={w},height={h},framerate={fps}/1 "
    "! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} "
    "! rtph265pay name=pay0 pt=96 config-interval={config} )"
)

AUDIO = (
    "( audiotestsrc is-live=true ! audioconvert ! audio/x-raw,rate=8000,channels=1 "
    "! mulawenc ! rtppcmupay name=pay0 pt=0 )"
)

CLOCK = (
    "( appsrc name=clock is-live=true do-timestamp=true format=time "
    "caps=video/x-raw,format=GRAY8,width={w},height={h},framerate={fps}/1 "
    "! videoconvert ! video/x-raw,format=I420 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=1000 "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
SLIDES = (
    "( appsrc name=slides is-live=true do-timestamp=true format=time "
    "caps=video/x-raw,format=BGR,width={w},height={h},framerate={fps}/1 "
    "! videoconvert ! video/x-raw,format=I420 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=4000 "
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


def attach_slides(factory: Any, w: int, h: int, fps: int, directory: str) -> None:
    slides = [Path(p).read_bytes() for p in sorted(glob.glob(os.path.join(directory, "*.bgr")))]
    hold = float(os.environ.get("RTSP_SLIDE_S", "4"))
    gap = float(os.environ.get("RTSP_GAP_S", "3"))
    street = b"\x60" * (w * h * 3)
    state: dict[str, Any] = {"start": None, "shown": None, "next": time.time()}
    lock = threading.Lock()

    def configure(_factory: Any, media: Any) -> None:
        source = media.get_element().get_by_name("slides")

        def need_data(src: Any, _length: int) -> None:
            with lock:
                delay = state["next"] - time.time()
                if delay > 0:
                    time.sleep(delay)
                now = time.time()
                state["next"] = max(state["next"] + 1 / fps, now - 1)
                if state["start"] is None:
                    state["start"] = now
                phase = (now - state["start"]) % (len(slides) * (hold + gap))
                index, within = int(phase // (hold + gap)), phase % (hold + gap)
                showing = index if within < hold else None
                if showing is not None and showing != state["shown"]:
                    print(f"SHOW {showing} {now:.3f}", flush=True)
                state["shown"] = showing
                frame = slides[showing] if showing is not None else street
            src.emit("push-buffer", Gst.Buffer.new_wrapped(frame))

        source.connect("need-data", need_data)

    factory.connect("media-configure", configure)


def limit_sessions(server: Any) -> None:
    """``RTSP_END_AFTER`` and ``RTSP_SESSION_TIMEOUT``: what some cameras do to sessions."""
    end_after = int(os.environ.get("RTSP_END_AFTER", "0"))
    timeout = int(os.environ.get("RTSP_SESSION_TIMEOUT", "0"))
    if timeout:
        pool = server.get_session_pool()

        def check_timeouts() -> bool:
            pool.cleanup()  # drops sessions whose timeout has passed
            return True

        GLib.timeout_add_seconds(1, check_timeouts)

    def connected(_server: Any, client: Any) -> None:
        if timeout:
            client.connect("new-session", lambda _c, session: session.set_timeout(timeout))
        if end_after:
            GLib.timeout_add_seconds(end_after, lambda: client.close() and False)

    server.connect("client-connected", connected)


def main() -> None:
    port = sys.argv[1]
    width, height = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "640x480").split("x"))
    credentials = sys.argv[3] if len(sys.argv) > 3 else ""
    fps = int(os.environ.get("RTSP_FPS", "10"))
    images = os.environ.get("RTSP_IMAGES", "")
    clock = os.environ.get("RTSP_CLOCK", "") == "1"
    hold = int(os.environ.get("RTSP_IMAGE_S", "2"))
    h265 = os.environ.get("RTSP_CODEC", "h264") == "h265"
    config = 0 if os.environ.get("RTSP_PARAMETER_SETS", "") == "sdp" else 1
    digest = os.environ.get("RTSP_AUTH", "basic") == "digest"
    gop = fps * int(os.environ.get("RTSP_GOP_S", "1"))
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
        elif os.environ.get("RTSP_SLIDES") and name == "main":
            factory.set_launch(SLIDES.format(w=w, h=h, fps=fps))
            attach_slides(factory, w, h, fps, os.environ["RTSP_SLIDES"])
        elif os.environ.get("RTSP_AUDIO_ONLY") == "1":
            factory.set_launch(AUDIO)
        elif images:
            factory.set_launch(IMAGES.format(images=images, hold=hold, w=w, h=h, fps=fps))
        else:
            template = H265 if h265 else PIPELINE
            factory.set_launch(template.format(w=w, h=h, fps=fps, config=config, gop=gop))
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
        if digest:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(user, password, token)
        else:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)
    limit_sessions(server)
    if os.environ.get("RTSP_HOLD") == "1":  # a reboot: ready to serve, waiting for the port
        print("PREPARED", flush=True)
        sys.stdin.readline()
    server.attach(None)
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
