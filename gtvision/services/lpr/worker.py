"""One camera's LPR loop: frames → engine → pass tracker → spool (the source reconnects)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.inference import PlateRead
from gtvision.retry import Backoff
from gtvision.services.lpr.engine import LprEngine
from gtvision.services.lpr.source import Frame, FrameSource
from gtvision.services.lpr.spool import PendingRead, Spool
from gtvision.services.lpr.status import StatusReporter
from gtvision.services.lpr.tracker import Observation, PassTracker, VotedRead
from gtvision.services.store.ids import uuid7
from gtvision.streams import Outage

log = logging.getLogger(__name__)

CROP_MARGIN = 0.25
CONTEXT_WIDTH = 960


@dataclass(frozen=True, slots=True)
class LprCamera:
    tenant_id: uuid.UUID
    camera_id: uuid.UUID
    name: str
    url: str  # with credentials: never logged
    fps: float
    roi: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    pass_gap_s: float = 2.0
    min_confidence: float = 0.3
    settle_frames: int = 3  # reads that agree before a pass is told (0: when the car leaves)
    blip_s: float = 5.0  # an interruption shorter than this is not reported as offline
    backoff: Backoff = field(
        default_factory=lambda: Backoff(initial_s=1.0, max_s=30.0, deadline_s=math.inf)
    )


def jpeg(image: npt.NDArray[np.uint8], quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - OpenCV encodes any non-empty BGR image
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def crop_jpeg(image: npt.NDArray[np.uint8], box: tuple[float, float, float, float]) -> bytes:
    h, w = image.shape[:2]
    x, y, bw, bh = box
    x0, y0 = max(0, int(x - bw * CROP_MARGIN)), max(0, int(y - bh * CROP_MARGIN))
    x1, y1 = min(w, int(x + bw * (1 + CROP_MARGIN))), min(h, int(y + bh * (1 + CROP_MARGIN)))
    return jpeg(image[y0 : max(y1, y0 + 1), x0 : max(x1, x0 + 1)], 92)


def context_jpeg(image: npt.NDArray[np.uint8]) -> bytes:
    h, w = image.shape[:2]
    if w > CONTEXT_WIDTH:
        image = cv2.resize(image, (CONTEXT_WIDTH, round(h * CONTEXT_WIDTH / w)),
                           interpolation=cv2.INTER_AREA)  # fmt: skip
    return jpeg(image, 75)


def evidence_jpegs(
    image: npt.NDArray[np.uint8], box: tuple[float, float, float, float]
) -> tuple[bytes, bytes]:
    return crop_jpeg(image, box), context_jpeg(image)


def region(
    image: npt.NDArray[np.uint8], roi: tuple[float, float, float, float] | None
) -> tuple[npt.NDArray[np.uint8], tuple[int, int]]:
    """The region of interest and its offset in the frame."""
    if roi is None:
        return image, (0, 0)
    h, w = image.shape[:2]
    x0, y0 = int(roi[0] * w), int(roi[1] * h)
    x1, y1 = int((roi[0] + roi[2]) * w), int((roi[1] + roi[3]) * h)
    return np.ascontiguousarray(image[y0:y1, x0:x1]), (x0, y0)


class CameraWorker:
    def __init__(
        self,
        camera: LprCamera,
        engine: LprEngine,
        spool: Spool,
        status: StatusReporter,
        options: WorkerOptions = WorkerOptions(),
    ) -> None:
        self.camera, self.engine, self.spool, self.status = camera, engine, spool, status
        self.options = options
        self.tracker = PassTracker(options.pass_gap_s, settle_frames=options.settle_frames)
        self.frames = 0
        self.passes = 0
        self.source: FrameSource | None = None

    async def run(self) -> None:
        outage = Outage(self.options.blip_s, self.options.backoff)
        self.source = FrameSource(self.camera.url, self.camera.fps, self._dropped, outage=outage)
        try:
            # Closed here, not whenever the collector gets to it: a cancel while a frame is
            # being read must also stop the thread that reads the camera.
            async with contextlib.aclosing(self.source.frames()) as frames:
                async for item in frames:
                    if isinstance(item, Frame):
                        await self.process(item)
                        continue
                    # Reported in the background: frames never wait on the database.
                    self.status.report_soon(self.camera, item.status, item.reason)
                    if item.status != "online":  # a real outage: what was seen is a pass
                        await self._flush(self.tracker.close_all())
        finally:
            # Stopping (lease given up, shutdown): what was seen so far is still a pass.
            await asyncio.shield(self._flush(self.tracker.close_all()))

    @property
    def attempts(self) -> int:
        """Connections tried, for tests and the curious."""
        return self.source.stats.attempts if self.source else 0

    def _dropped(self) -> None:
        self.engine.stats.dropped += 1

    async def process(self, frame: Frame) -> None:
        self.frames += 1
        image, (ox, oy) = region(frame.image, self.camera.roi)
        result = await self.engine.read(image)
        for read in result.reads:
            if read.confidence >= self.options.min_confidence:
                self.tracker.observe(self._observation(read, frame, ox, oy))
        await self._flush(self.tracker.settled() + self.tracker.close_idle(frame.t))

    def _observation(self, read: PlateRead, frame: Frame, ox: int, oy: int) -> Observation:
        x, y, w, h = read.box
        return Observation(
            text=read.text, confidence=read.confidence, char_confidences=read.char_confidences,
            format=read.format, box=(x + ox, y + oy, w, h), at=frame.at, t=frame.t,
            evidence=frame.image,
        )  # fmt: skip

    async def _flush(self, voted: list[VotedRead]) -> None:
        for v in voted:
            image = v.best.evidence
            crop, context = b"", b""
            if image is not None:
                crop, context = await asyncio.to_thread(evidence_jpegs, image, v.best.box)
            await self.spool.append(
                PendingRead(
                    id=uuid7(),
                    tenant_id=self.camera.tenant_id,
                    camera_id=self.camera.camera_id,
                    camera_name=self.camera.name,
                    at=v.best.at,
                    plate=v.text,
                    confidence=v.confidence,
                    char_confidences=[round(c, 4) for c in v.char_confidences],
                    format=v.format,
                    box=[round(c, 1) for c in v.best.box],
                    frames=v.frames,
                    crop=crop,
                    frame=context,
                )
            )
            self.passes += 1
