"""Starting and stopping LPR with the service: spool writer, engine, lease manager."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from gtvision.inference import PlateReader
from gtvision.inference.backends import CudaConfig, OpenVinoConfig
from gtvision.inference.models import default_models_dir, resolve_recognizer
from gtvision.services.alerts import escalation
from gtvision.services.context import Runtime
from gtvision.services.lpr.engine import LprEngine
from gtvision.services.lpr.manager import LprManager
from gtvision.services.lpr.spool import Spool
from gtvision.services.lpr.status import StatusReporter
from gtvision.services.lpr.worker import WorkerOptions
from gtvision.services.lpr.writer import DetectionWriter
from gtvision.services.settings import Settings


@dataclass
class LprRuntime:
    spool: Spool
    writer: DetectionWriter
    engine: LprEngine | None
    manager: LprManager | None


def make_reader(settings: Settings) -> PlateReader:
    recognizer = resolve_recognizer(settings.lpr_recognizer, default_models_dir())
    if settings.lpr_backend == "cuda":
        device = int(settings.lpr_device) if settings.lpr_device.isdigit() else 0
        return PlateReader(CudaConfig(device_id=device), recognizer=recognizer)
    return PlateReader(OpenVinoConfig(device=settings.lpr_device, precision=settings.lpr_precision,
                                      threads=settings.lpr_threads),
                       recognizer=recognizer)  # fmt: skip


@asynccontextmanager
async def lpr_runtime(runtime: Runtime) -> AsyncIterator[LprRuntime]:
    """The writer always runs (it drains reads left on disk); workers only where enabled."""
    settings = runtime.settings
    spool = Spool(settings.lpr_queue_dir or settings.data_dir / "lpr-queue")
    writer = DetectionWriter(
        runtime.db, runtime.objects, spool, repeat_window_s=settings.alert_repeat_window_s
    )
    supervisor = runtime.supervisor
    async with contextlib.AsyncExitStack() as stack:  # undone in reverse: the manager first
        await stack.enter_async_context(supervisor.running("lpr-writer", writer.run))
        if settings.alert_reannounce_s > 0:
            every = settings.alert_reannounce_s
            await stack.enter_async_context(supervisor.running(
                "alert-escalation", functools.partial(escalation.run, runtime.db, every)
            ))  # fmt: skip
        engine = manager = None
        if settings.lpr_enabled:
            engine = LprEngine(lambda: make_reader(settings), batch=settings.lpr_batch)
            stack.push_async_callback(engine.aclose)
            status = StatusReporter(runtime.db, owns_status=settings.mediamtx_api_url is None)
            options = WorkerOptions(
                pass_gap_s=settings.lpr_pass_gap_s,
                min_confidence=settings.lpr_min_confidence,
                blip_s=settings.source_blip_s,
                settle_frames=settings.lpr_settle_frames,
            )
            manager = LprManager(
                runtime.db, runtime.keys, engine, spool, status,
                lease_s=settings.lpr_lease_s, options=options,
            )  # fmt: skip
            runtime.camera_listeners.append(manager.trigger)
            stack.callback(runtime.camera_listeners.remove, manager.trigger)
            # Its workers flush into the spool as they stop, before the writer does.
            await stack.enter_async_context(supervisor.running("lpr-manager", manager.run))
        yield LprRuntime(spool, writer, engine, manager)
