"""A second, independent WebRTC peer for tests: a WHEP server on GStreamer's webrtcbin.

Run with Debian's own Python (GObject bindings), inside a network namespace the test creates
(libnice, like aioice, leaves loopback out of its candidates):

    /usr/bin/python3 tests/helpers/webrtcbin_whep.py ADDRESS PORT

``POST /<path>/whep`` with an SDP offer answers 201 with webrtcbin's SDP answer (VP8, ICE
candidates gathered in full, no trickle) and a ``Location``; ``DELETE`` there ends the session.
Prints ``READY`` once it listens.
"""

import queue
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PIPELINE = (
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 "
    "! videoconvert ! vp8enc deadline=1 keyframe-max-dist=15 ! rtpvp8pay pt={pt} "
    "! application/x-rtp,media=video,encoding-name=VP8,payload={pt},clock-rate=90000 "
    "! webrtcbin name=peer bundle-policy=max-bundle"
)
SESSIONS: dict[str, Any] = {}


def answer(offer_text: str) -> tuple[str, str]:
    """On the GLib loop: a pipeline per session; returns the complete answer SDP."""
    result: queue.Queue[str] = queue.Queue()

    # webrtcbin pairs its sending pad with the offered m-line by codec and payload type, so
    # the pipeline is built for the client's VP8 payload number.
    found = re.search(r"a=rtpmap:(\d+) VP8/90000", offer_text)
    pt = found.group(1) if found else "96"

    def start() -> bool:
        pipeline = Gst.parse_launch(PIPELINE.format(pt=pt))
        peer = pipeline.get_by_name("peer")

        def gathered(element: Any, _spec: Any) -> None:
            state = element.get_property("ice-gathering-state")
            if state == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
                result.put(element.get_property("local-description").sdp.as_text())

        def answered(promise: Any, _data: Any) -> None:
            reply = promise.get_reply()
            local = reply.get_value("answer")
            peer.emit("set-local-description", local, Gst.Promise.new())

        def remote_set(_promise: Any, _data: Any) -> None:
            peer.emit("create-answer", None, Gst.Promise.new_with_change_func(answered, None))

        peer.connect("notify::ice-gathering-state", gathered)
        pipeline.set_state(Gst.State.PLAYING)
        _, sdp = GstSdp.SDPMessage.new_from_text(offer_text)
        offer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, sdp)
        peer.emit(
            "set-remote-description", offer, Gst.Promise.new_with_change_func(remote_set, None)
        )
        session = uuid.uuid4().hex
        SESSIONS[session] = pipeline
        result.put(session)
        return False

    GLib.idle_add(start)
    session = result.get(timeout=10)
    return session, result.get(timeout=15)


def stop(session: str) -> bool:
    pipeline = SESSIONS.pop(session, None)
    if pipeline is None:
        return False

    def end() -> bool:
        pipeline.set_state(Gst.State.NULL)
        return False

    GLib.idle_add(end)
    return True


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        if not self.path.split("?")[0].endswith("/whep"):
            self.send_error(404)
            return
        offer = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        try:
            session, sdp = answer(offer)
        except queue.Empty:
            self.send_error(500, "webrtcbin gave no answer")
            return
        body = sdp.encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/sdp")
        self.send_header("Location", f"{self.path.split('?')[0]}/{session}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_DELETE(self) -> None:
        found = stop(self.path.rstrip("/").rsplit("/", 1)[-1])
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


def main() -> None:
    Gst.init(None)
    server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
