"""Starting and stopping the media side with the service: client, reconciler task."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gtvision.services.context import Runtime
from gtvision.services.media.health import StreamHealth
from gtvision.services.media.mediamtx import MediaMtxClient
from gtvision.services.media.paths import RecordingConf
from gtvision.services.media.reconciler import Reconciler


@asynccontextmanager
async def media_runtime(runtime: Runtime) -> AsyncIterator[Reconciler | None]:
    """``None`` in direct mode (no MediaMTX configured)."""
    settings = runtime.settings
    if settings.mediamtx_api_url is None:
        yield None
        return
    client = MediaMtxClient(settings.mediamtx_api_url, token=runtime.keys.mediamtx_api_token)
    reconciler = Reconciler(
        runtime.db,
        client,
        runtime.keys,
        interval_s=settings.media_poll_interval_s,
        health=StreamHealth(runtime.db),
        recording=RecordingConf(
            root=str((settings.recordings_dir or settings.data_dir / "recordings").resolve()),
            segment_s=settings.recording_segment_s,
            delete_after_s=settings.recording_local_max_age_s,
        ),
    )
    runtime.camera_listeners.append(reconciler.trigger)
    try:
        async with runtime.supervisor.running("mediamtx-reconciler", reconciler.run):
            yield reconciler
    finally:
        runtime.camera_listeners.remove(reconciler.trigger)
        await client.aclose()
