"""Inference runtimes as small registered backends: `openvino` (default) and `cuda`.

Each backend turns an ONNX file into a `CompiledModel` with one method, `run(batch) -> array`.
The backend configuration is a discriminated union on `type`, as in the service's settings.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gtvision.inference.backends.base import BackendError, CompiledModel
from gtvision.inference.backends.cuda import CudaBackend, CudaConfig
from gtvision.inference.backends.openvino import OpenVinoBackend, OpenVinoConfig

BackendConfig = Annotated[OpenVinoConfig | CudaConfig, Field(discriminator="type")]


def create_backend(config: OpenVinoConfig | CudaConfig) -> OpenVinoBackend | CudaBackend:
    if isinstance(config, CudaConfig):
        return CudaBackend(config)
    return OpenVinoBackend(config)


__all__ = [
    "BackendConfig",
    "BackendError",
    "CompiledModel",
    "CudaBackend",
    "CudaConfig",
    "OpenVinoBackend",
    "OpenVinoConfig",
    "create_backend",
]
