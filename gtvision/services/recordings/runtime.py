"""Starting and stopping recording with the service: archiver, recorder, exports, retention."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from gtvision.services.context import Runtime
from gtvision.services.lpr import retention as lpr_retention
from gtvision.services.recordings import retention
from gtvision.services.recordings.archiver import Archiver
from gtvision.services.recordings.exports import ExportWorker
from gtvision.services.recordings.manager import RecorderManager


@dataclass
class RecordingRuntime:
    archiver: Archiver
    exports: ExportWorker
    recorder: RecorderManager | None  # None where MediaMTX records


@asynccontextmanager
async def recording_runtime(runtime: Runtime) -> AsyncIterator[RecordingRuntime]:
    """The archiver always runs (it drains segments left on disk), and so does retention."""
    settings = runtime.settings
    root = settings.recordings_dir or settings.data_dir / "recordings"
    archiver = Archiver(runtime.db, runtime.recordings, root)
    exports = ExportWorker(
        runtime.db, runtime.recordings, runtime.exports, settings.data_dir / "exports-work"
    )

    async def lpr_job() -> object:
        return await lpr_retention.enforce(runtime.db, runtime.objects)

    async def recordings_job() -> object:
        return await retention.enforce(runtime.db, runtime.recordings, runtime.exports)

    async def retention_daily() -> None:
        await lpr_retention.run_daily([lpr_job, recordings_job])

    supervisor = runtime.supervisor
    async with contextlib.AsyncExitStack() as stack:  # undone in reverse: the recorder first
        await stack.enter_async_context(supervisor.running("archiver", archiver.run))
        await stack.enter_async_context(supervisor.running("exports", exports.run))
        await stack.enter_async_context(supervisor.running("retention", retention_daily))
        runtime.export_listeners.append(exports.trigger)
        stack.callback(runtime.export_listeners.remove, exports.trigger)
        recorder = None
        if settings.mediamtx_api_url is None:
            recorder = RecorderManager(
                runtime.db, runtime.keys, root, settings.recording_segment_s,
                blip_s=settings.source_blip_s,
            )  # fmt: skip
            runtime.camera_listeners.append(recorder.trigger)
            stack.callback(runtime.camera_listeners.remove, recorder.trigger)
            await stack.enter_async_context(supervisor.running("recorder", recorder.run))
        yield RecordingRuntime(archiver, exports, recorder)
