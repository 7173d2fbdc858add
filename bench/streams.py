"""Stream reading: time to the first picture per consumer's tuning, and the blindness a camera
that ends its sessions costs the LPR source.

A gst-rtsp-server camera (H.264, 10 fps, a key frame a second) on 127.0.0.1. For each tuning:
``--opens`` fresh connections, time from open to the first decoded picture. Then an LPR source
at 5 fps on a camera that ends every session after ``--session-s`` seconds: the gaps between
frames at each reopen, the reopen count, and whether any outage was reported.

    .venv/bin/python bench/streams.py [--opens 5] [--session-s 4] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gtvision.services.lpr import source as lpr_source
from gtvision.services.lpr.source import FrameSource, SourceState
from gtvision.services.recordings import recorder
from gtvision.streams import StreamReader, Tuning
from tests.helpers.media_peers import GstRtspServer


def first_picture_s(url: str, tuning: Tuning, opens: int) -> list[float]:
    times = []
    for _ in range(opens):
        started = time.monotonic()
        with StreamReader(url, tuning) as reader:
            for _frame in reader.frames(threading.Event()):
                times.append(time.monotonic() - started)
                break
        time.sleep(0.5)  # the camera's media shuts down between viewers, as when idle
    return times


async def reopen_gaps(url: str, seconds: float) -> tuple[list[float], int, list[SourceState]]:
    source = FrameSource(url, 5.0)
    arrivals: list[float] = []
    states: list[SourceState] = []

    async def read() -> None:
        async for item in source.frames():
            if isinstance(item, SourceState):
                states.append(item)
            else:
                arrivals.append(item.t)

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(read(), seconds)
    gaps = [b - a for a, b in itertools.pairwise(arrivals) if b - a > 0.5]
    return gaps, source.stats.reopened, states


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--session-s", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    tunings = {
        "FFmpeg defaults": Tuning(),
        "LPR source (probe 0.5 s)": lpr_source.TUNING,
        "recorder (probe 0.5 s, complete)": recorder.TUNING,
        "console tile (low latency)": Tuning(low_latency=True),
    }
    with GstRtspServer(size="1280x720") as camera:
        for name, tuning in tunings.items():
            times = first_picture_s(camera.url + "/main", tuning, args.opens)
            print(f"open → first picture, {name}: p50 {np.median(times):.2f} s, "
                  f"max {max(times):.2f} s ({len(times)} opens)")  # fmt: skip
    with GstRtspServer(size="1280x720", variant={"RTSP_END_AFTER": str(args.session_s)}) as cam:
        gaps, reopened, states = asyncio.run(reopen_gaps(cam.url + "/main", args.seconds))
    outages = [s for s in states if s.status != "online"]
    print(f"camera ending every session after {args.session_s} s, LPR at 5 fps for "
          f"{args.seconds:g} s: {reopened} reopens, gaps in frames at reopen: "
          + (f"p50 {np.median(gaps):.2f} s, max {max(gaps):.2f} s" if gaps else "none")
          + f"; outages reported: {len(outages)}")  # fmt: skip


if __name__ == "__main__":
    main()
