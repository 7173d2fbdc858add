"""Which MediaMTX paths should exist, and what to change to get there: pure functions.

A camera with a main and a sub profile becomes two paths, ``t<tenant>_c<camera>_main`` and
``…_sub`` (hex ids; no slashes, so every name is one URL segment of the Control API). Paths
whose names do not follow that pattern belong to someone else and are never touched.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from gtvision.onvif.uris import with_credentials
from gtvision.services.media.mediamtx import PathConf

Variant = Literal["main", "sub"]
VARIANTS: tuple[Variant, ...] = ("main", "sub")

RECORD_PATH = "%path/%s-%f"  # unix time: no time zone to misread (see recordings.segments)
_OURS = re.compile(r"^t(?P<tenant>[0-9a-f]{32})_c(?P<camera>[0-9a-f]{32})_(?P<variant>main|sub)$")


@dataclass(frozen=True, slots=True)
class PathName:
    tenant_id: uuid.UUID
    camera_id: uuid.UUID
    variant: Variant

    def __str__(self) -> str:
        return f"t{self.tenant_id.hex}_c{self.camera_id.hex}_{self.variant}"

    @classmethod
    def parse(cls, name: str) -> PathName | None:
        """The camera a path belongs to, or ``None`` for a path that is not ours."""
        match = _OURS.match(name)
        if match is None:
            return None
        variant: Variant = "main" if match["variant"] == "main" else "sub"
        return cls(uuid.UUID(match["tenant"]), uuid.UUID(match["camera"]), variant)


@dataclass(frozen=True, slots=True)
class CameraSource:
    """What the reconciler needs to know of one enabled camera."""

    tenant_id: uuid.UUID
    camera_id: uuid.UUID
    streams: Mapping[Variant, str]  # variant → the camera's own RTSP URI
    username: str | None = None
    password: str | None = None
    record: bool = False  # the main stream, into the recordings directory


@dataclass(frozen=True, slots=True)
class RecordingConf:
    """Where and how MediaMTX records; the service's archiver must see the same directory."""

    root: str
    segment_s: int = 60
    delete_after_s: int = 7 * 86_400


def go_duration(seconds: int) -> str:
    """A duration as MediaMTX (Go's ``time.Duration``) writes it back: ``1m0s``, not ``60s``,
    so that a path read back compares equal and is not replaced on every reconcile."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def health_variant(main: object, sub: object) -> Variant | None:
    """The stream that is pulled all the time, so that its state tells the camera's health."""
    return "sub" if sub else "main" if main else None


def desired_paths(
    cameras: Iterable[CameraSource], recording: RecordingConf | None = None
) -> dict[str, PathConf]:
    """Main streams on demand (they are heavy) unless recorded; the health stream always pulled.

    Recording writes ``<root>/%path/%s-%f.mp4`` (see :mod:`gtvision.services.recordings`);
    MediaMTX's own deletion is only a guard for a full disk while the archiver is down.
    """
    paths: dict[str, PathConf] = {}
    for camera in cameras:
        always_on = health_variant(camera.streams.get("main"), camera.streams.get("sub"))
        for variant, uri in camera.streams.items():
            name = str(PathName(camera.tenant_id, camera.camera_id, variant))
            record = recording is not None and camera.record and variant == "main"
            conf = PathConf(
                name=name,
                source=with_credentials(uri, camera.username, camera.password),
                source_on_demand=variant != always_on and not record,
                rtsp_transport="tcp",  # street cameras sit behind NAT and lossy links
            )
            if record and recording is not None:
                conf.record = True
                conf.record_path = f"{recording.root.rstrip('/')}/{RECORD_PATH}"
                conf.record_format = "fmp4"
                conf.record_segment_duration = go_duration(recording.segment_s)
                conf.record_delete_after = go_duration(recording.delete_after_s)
            paths[name] = conf
    return paths


@dataclass(frozen=True, slots=True)
class Plan:
    add: dict[str, PathConf] = field(default_factory=dict)
    replace: dict[str, PathConf] = field(default_factory=dict)
    delete: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.add or self.replace or self.delete)

    def __len__(self) -> int:
        return len(self.add) + len(self.replace) + len(self.delete)


def plan(desired: Mapping[str, PathConf], actual: Mapping[str, PathConf]) -> Plan:
    """What to add, replace and delete so that our part of ``actual`` equals ``desired``."""
    ours = {name: conf for name, conf in actual.items() if PathName.parse(name) is not None}
    return Plan(
        add={n: c for n, c in desired.items() if n not in ours},
        replace={n: c for n, c in desired.items() if n in ours and not c.same_as(ours[n])},
        delete=tuple(sorted(n for n in ours if n not in desired)),
    )
