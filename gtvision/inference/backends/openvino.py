"""OpenVINO: the default runtime, CPU everywhere, Intel iGPU/NPU where present (`AUTO` picks).

On a CPU with AVX-512 BF16 or AMX, OpenVINO's own default is bfloat16 inference: outputs move by
~5e-3 and a plate's confidence by a few hundredths, so the same model read differently from one
server to the next (and from the CUDA backend). The CPU runs f32 unless `precision` says otherwise.
`int8` runs the detector's INT8 build (shipped beside the f32 one) and the rest in f32: the same
bits on AVX2 and AVX-512 CPUs (see training/quantise.py), the detector 2.6 times as fast.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from gtvision.inference.backends.base import BackendError

# What `precision` (and the service's lpr_precision, the CLI's --precision) may say.
Precision = Literal["f32", "int8", "bf16", "f16", "device"]


class OpenVinoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["openvino"] = "openvino"
    device: str = Field("CPU", description="OpenVINO device: CPU, GPU, NPU or AUTO")
    threads: int = Field(0, ge=0, le=256, description="CPU inference threads; 0 = all cores")
    performance_hint: Literal["LATENCY", "THROUGHPUT"] = Field(
        "LATENCY", description="LATENCY for one camera's frames, THROUGHPUT for batches"
    )
    precision: Precision | None = Field(
        None,
        description="inference precision; default f32 on the CPU (the same reads on every CPU) "
        "and the device's own elsewhere; 'int8' runs the detector's INT8 build (the rest as by "
        "default); 'device' leaves OpenVINO's choice (bf16 on CPUs that have it)",
    )

    def properties(self) -> dict[str, object]:
        """What models are compiled with. A reader given a number of threads is one of several
        on the machine (`run --workers N`), so its threads are not pinned: OpenVINO pins every
        process's threads to the same cores. Two processes on 2 cores, together: a thread each,
        pinned 36 frames/s, unpinned 68-77; OpenVINO's default (all cores, pinned) 58-60
        (`bench/lpr_processes.py`)."""
        props: dict[str, object] = {"PERFORMANCE_HINT": self.performance_hint}
        if self.threads and self.device == "CPU":
            props["INFERENCE_NUM_THREADS"] = self.threads
            props["ENABLE_CPU_PINNING"] = False
        if hint := self.precision_hint():
            props["INFERENCE_PRECISION_HINT"] = hint
        return props

    def precision_hint(self) -> str | None:
        """The INFERENCE_PRECISION_HINT to compile with, None for OpenVINO's default."""
        if self.precision == "device":
            return None
        if self.precision in (None, "int8"):
            return "f32" if self.device == "CPU" else None
        return self.precision


class _OpenVinoModel:
    def __init__(self, compiled: object, shape: tuple[int | None, ...]) -> None:
        self._compiled = compiled
        self._shape = shape
        self._local = threading.local()

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        return self._shape

    def run(self, batch: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        # One infer request per thread: requests are not thread-safe, compiled models are.
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self._compiled.create_infer_request()  # type: ignore[attr-defined]
        result = request.infer([batch])
        return np.asarray(next(iter(result.values())), dtype=np.float32)


class OpenVinoBackend:
    KEY = "openvino"

    def __init__(self, config: OpenVinoConfig | None = None) -> None:
        import openvino as ov

        self.config = config or OpenVinoConfig()
        self._core = ov.Core()
        available = self._core.available_devices
        if self.config.device not in ("AUTO", *available) and not any(
            d.startswith(self.config.device) for d in available
        ):
            raise BackendError(
                f"OpenVINO device {self.config.device!r} is not present here "
                f"(available: {', '.join(available) or 'none'})"
            )

    @property
    def device(self) -> str:
        return self.config.device

    @property
    def int8(self) -> bool:
        return self.config.precision == "int8"

    def compile(self, model: Path) -> _OpenVinoModel:
        try:
            ov_model = self._core.read_model(str(model))
        except RuntimeError as exc:
            raise BackendError(f"{model}: not an ONNX model OpenVINO can read ({exc})") from exc
        compiled = self._core.compile_model(ov_model, self.config.device, self.config.properties())
        shape = tuple(
            d.get_length() if d.is_static else None for d in ov_model.inputs[0].get_partial_shape()
        )
        return _OpenVinoModel(compiled, shape)
