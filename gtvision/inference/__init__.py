"""Licence-plate recognition models and their runtimes (OpenVINO on CPU, CUDA on GPU servers).

Depends on neither the UI nor the service, so a worker or a benchmark can import it alone.

    reader = PlateReader()                      # built-in models, OpenVINO on the CPU
    for read in reader.read(frame).reads:       # frame: BGR numpy array
        print(read.text, read.confidence, read.format)

The reader's names load on first use: the service's settings name a backend's precisions
(`backends.openvino.Precision`), and reading them must not load OpenCV and the reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtvision.inference.models import ModelError
    from gtvision.inference.reader import Detection, FrameReads, PlateRead, PlateReader

_HOMES = {
    "Detection": "gtvision.inference.reader",
    "FrameReads": "gtvision.inference.reader",
    "ModelError": "gtvision.inference.models",
    "PlateRead": "gtvision.inference.reader",
    "PlateReader": "gtvision.inference.reader",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = ["Detection", "FrameReads", "ModelError", "PlateRead", "PlateReader"]
