"""CUDA: ONNX Runtime with the TensorRT or CUDA execution provider, for NVIDIA servers and Jetson.

Where CUDA is absent the backend refuses to start with a message that says so. Tests run this
same class with `providers=["CPUExecutionProvider"]`, so everything but the GPU kernels is
exercised on machines without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from gtvision.inference.backends.base import BackendError

GPU_PROVIDERS = ("TensorrtExecutionProvider", "CUDAExecutionProvider")


class CudaConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["cuda"] = "cuda"
    device_id: int = Field(0, ge=0, le=64, description="CUDA device ordinal")
    tensorrt: bool = Field(False, description="prefer the TensorRT provider (FP16 engines, cached)")
    providers: tuple[str, ...] | None = Field(
        None, description="explicit ONNX Runtime providers (tests: CPUExecutionProvider)"
    )


class _OrtModel:
    def __init__(self, session: object) -> None:
        self._session = session
        inp = session.get_inputs()[0]  # type: ignore[attr-defined]
        self._name: str = inp.name
        self._shape = tuple(d if isinstance(d, int) else None for d in inp.shape)

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        return self._shape

    def run(self, batch: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        out = self._session.run(None, {self._name: batch})  # type: ignore[attr-defined]
        return np.asarray(out[0], dtype=np.float32)


class CudaBackend:
    KEY = "cuda"

    def __init__(self, config: CudaConfig | None = None) -> None:
        self.config = config or CudaConfig()
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise BackendError(
                "the cuda backend needs ONNX Runtime: pip install 'gtvision[cuda]'"
            ) from exc
        self._ort = ort
        available = ort.get_available_providers()
        if self.config.providers is not None:
            missing = [p for p in self.config.providers if p not in available]
            if missing:
                raise BackendError(f"ONNX Runtime providers not available: {', '.join(missing)}")
            self._providers: list[str | tuple[str, dict[str, object]]] = list(self.config.providers)
            return
        wanted = GPU_PROVIDERS if self.config.tensorrt else GPU_PROVIDERS[1:]
        usable = [p for p in wanted if p in available]
        if not usable:
            raise BackendError(
                "CUDA is not available: ONNX Runtime here offers only "
                f"{', '.join(available)}; install onnxruntime-gpu on a machine with an NVIDIA "
                "driver, or use the openvino backend"
            )
        opts: dict[str, object] = {"device_id": self.config.device_id}
        self._providers = [(p, dict(opts)) for p in usable]

    @property
    def device(self) -> str:
        first = self._providers[0]
        name = first if isinstance(first, str) else first[0]
        return f"{name.removesuffix('ExecutionProvider')}:{self.config.device_id}"

    @property
    def int8(self) -> bool:
        """The f32 models: the INT8 detector's 7-bit weights were chosen for CPU kernels."""
        return False

    def compile(self, model: Path) -> _OrtModel:
        options = self._ort.SessionOptions()
        options.graph_optimization_level = self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = self._ort.InferenceSession(
                str(model), sess_options=options, providers=self._providers
            )
        except Exception as exc:  # onnxruntime raises its own untyped Fail/InvalidGraph errors
            raise BackendError(f"{model}: not an ONNX model ONNX Runtime can load ({exc})") from exc
        return _OrtModel(session)
