"""A stateful stand-in for MediaMTX's Control API, checked against MediaMTX's own spec.

MediaMTX itself cannot be installed here (no package registry carries it). Every request this
server receives and every response it sends is validated against ``mediamtx/openapi.yaml``
from the shared folder; anything that does not conform is recorded in ``violations`` (and a
non-conforming request is refused with 400, as MediaMTX would). It can restart (forgetting
paths added through the API, like the real one), go away, and fail on demand.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.helpers.media_peers import free_port

SPEC_SERVER = "http://localhost:9997"


class FakeMediaMtx:
    def __init__(self, spec: Path, *, api_token: str | None = None, validate: bool = True) -> None:
        self.openapi = OpenAPI.from_file_path(str(spec))
        self.validate = validate  # off only for benchmarks, where validation would dominate
        self.api_token = api_token
        self.paths: dict[str, dict[str, Any]] = {}
        self.online: dict[str, int] = {}  # path name → inbound bytes, for paths whose source is up
        self.violations: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self.fail_next: list[int] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # Life cycle -----------------------------------------------------------------------------

    def start(self) -> FakeMediaMtx:
        app = Starlette(
            routes=[Route("/{rest:path}", self._handle, methods=["GET", "POST", "PATCH", "DELETE"])]
        )
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self._server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "fake MediaMTX did not start"
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """MediaMTX goes away: connections are refused."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    def restart(self) -> None:
        """What a real restart does: paths added through the API are gone."""
        self.stop()
        with self.lock:
            self.paths.clear()
            self.online.clear()
        self.start()

    # Request handling -----------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        mock = MockRequest(
            SPEC_SERVER,  # the spec's server URL: we validate shapes, not the port we run on
            request.method.lower(),
            request.url.path,
            args=dict(request.query_params),
            data=body or None,
            content_type=request.headers.get("content-type", "application/json"),
        )
        with self.lock:
            self.calls.append((request.method, request.url.path))
            if (
                self.api_token
                and request.headers.get("authorization") != f"Bearer {self.api_token}"
            ):
                return JSONResponse({"status": "error", "error": "authentication error"}, 401)
            try:
                if self.validate:
                    self.openapi.validate_request(mock)
            except Exception as exc:
                self.violations.append(f"request {request.method} {request.url.path}: {exc}")
                return self._reply(
                    mock, 400, {"status": "error", "error": f"invalid request: {exc}"}
                )
            if self.fail_next:
                status = self.fail_next.pop(0)
                return self._reply(mock, status, {"status": "error", "error": "injected failure"})
            status, payload = self._route(
                request.method,
                request.url.path,
                dict(request.query_params),
                json.loads(body) if body else None,
            )
            return self._reply(mock, status, payload)

    def _reply(self, mock: MockRequest, status: int, payload: Any) -> Response:
        data = json.dumps(payload).encode()
        if not self.validate:
            return Response(data, status_code=status, media_type="application/json")
        try:
            self.openapi.validate_response(
                mock, MockResponse(data, status_code=status, content_type="application/json")
            )
        except Exception as exc:
            self.violations.append(f"response {mock.method} {mock.path} {status}: {exc}")
        return Response(data, status_code=status, media_type="application/json")

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        ok = {"status": "ok"}
        parts = path.strip("/").split("/")
        match method, parts:
            case "GET", ["v3", "config", "global", "get"]:
                return 200, {"api": True, "logLevel": "info"}
            case "GET", ["v3", "config", "paths", "list"]:
                return 200, _page(list(self.paths.values()), query)
            case "GET", ["v3", "config", "paths", "get", name]:
                return (200, self.paths[name]) if name in self.paths else _not_found()
            case "POST", ["v3", "config", "paths", "add", name]:
                if name in self.paths:
                    return 400, {"status": "error", "error": "path already exists"}
                self.paths[name] = {**body, "name": name}
                return 200, ok
            case "POST", ["v3", "config", "paths", "replace", name]:
                if name not in self.paths:
                    return _not_found()
                self.paths[name] = {**body, "name": name}
                return 200, ok
            case "PATCH", ["v3", "config", "paths", "patch", name]:
                if name not in self.paths:
                    return _not_found()
                self.paths[name] = {**self.paths[name], **body}
                return 200, ok
            case "DELETE", ["v3", "config", "paths", "delete", name]:
                if self.paths.pop(name, None) is None:
                    return _not_found()
                self.online.pop(name, None)
                return 200, ok
            case "GET", ["v3", "paths", "list"]:
                return 200, _page([self._state(name) for name in self.paths], query)
            case "GET", ["v3", ("rtspsessions" | "webrtcsessions" | "hlssessions"), "list"]:
                return 200, _page([], query)
        return 404, {"status": "error", "error": "not found"}

    def _state(self, name: str) -> dict[str, Any]:
        online = name in self.online
        state: dict[str, Any] = {
            "name": name,
            "confName": name,
            "online": online,
            "available": online,
            "inboundBytes": self.online.get(name, 0),
            "readers": [],
        }
        if online:
            state["source"] = {"type": "rtspSource", "id": ""}
        return state


def _page(items: list[Any], query: dict[str, str]) -> dict[str, Any]:
    page, size = int(query.get("page", 0)), int(query.get("itemsPerPage", 100))
    pages = (len(items) + size - 1) // size
    return {
        "itemCount": len(items),
        "pageCount": pages,
        "items": items[page * size : (page + 1) * size],
    }


def _not_found() -> tuple[int, Any]:
    return 404, {"status": "error", "error": "path not found"}
