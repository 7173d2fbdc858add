"""Licence-plate recognition models and their runtimes (OpenVINO on CPU, CUDA on GPU servers).

Depends on neither the UI nor the service, so a worker or a benchmark can import it alone.

    reader = PlateReader()                      # built-in models, OpenVINO on the CPU
    for read in reader.read(frame).reads:       # frame: BGR numpy array
        print(read.text, read.confidence, read.format)
"""

from gtvision.inference.models import ModelError
from gtvision.inference.reader import Detection, FrameReads, PlateRead, PlateReader

__all__ = ["Detection", "FrameReads", "ModelError", "PlateRead", "PlateReader"]
