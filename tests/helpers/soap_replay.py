"""Replays a camera maker's SOAP replies over real HTTP on 127.0.0.1, so that the whole client
path (aiohttp, zeep, our parsers) meets the maker's dialect.

A replies folder holds one ``<Operation>.xml`` per operation (the SOAP envelope as the camera
sends it; ``{base}`` becomes this server's URL, ``{token}`` the request's ProfileToken);
``../common`` fills in what a maker's folder leaves out. ``PullMessages`` replays
``PullMessages.xml`` once, then answers with no messages, as a quiet camera does. An operation
with no reply gets the SOAP fault cameras send for it.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

_FAULT = (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
    ' xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:Sender'
    "</s:Value><s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode></s:Code>"
    '<s:Reason><s:Text xml:lang="en">Optional Action Not Implemented</s:Text></s:Reason>'
    "</s:Fault></s:Body></s:Envelope>"
)
_QUIET_PULL = (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
    ' xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><s:Body><tev:PullMessagesResponse>'
    "<tev:CurrentTime>2026-11-22T12:00:05Z</tev:CurrentTime>"
    "<tev:TerminationTime>2026-11-22T12:01:05Z</tev:TerminationTime>"
    "</tev:PullMessagesResponse></s:Body></s:Envelope>"
)


class SoapReplay:
    """``with SoapReplay(folder) as camera: camera.address``; ``camera.asked`` lists operations."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[str] = []
        self._pulled = False
        self._server: ThreadingHTTPServer | None = None

    @property
    def address(self) -> str:
        assert self._server is not None
        return f"127.0.0.1:{self._server.server_address[1]}"

    def reply(self, operation: str, request: str = "") -> tuple[int, str]:
        self.asked.append(operation)
        if operation == "PullMessages" and self._pulled:
            return 200, _QUIET_PULL
        for folder in (self.folder, self.folder.parent / "common"):
            path = folder / f"{operation}.xml"
            if path.exists():
                self._pulled = self._pulled or operation == "PullMessages"
                token = re.search(r"ProfileToken>([^<]*)<", request)
                text = path.read_text().replace("{base}", f"http://{self.address}")
                return 200, text.replace("{token}", token.group(1) if token else "")
        return 400, _FAULT

    def __enter__(self) -> SoapReplay:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                found = re.search(r"<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?(\w+)", body)
                status, text = replay.reply(found.group(1) if found else "", body)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
