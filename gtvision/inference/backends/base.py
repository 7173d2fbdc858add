"""What every backend gives the reader: a compiled model that maps one input batch to one output."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt


class BackendError(RuntimeError):
    """A runtime that cannot run here (no CUDA) or a model it cannot load; says which."""


class CompiledModel(Protocol):
    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """Declared input shape, None for dynamic axes."""

    def run(self, batch: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        """One synchronous inference; thread-safe, so callers may run it off the event loop."""


class Backend(Protocol):
    KEY: str

    @property
    def device(self) -> str: ...

    @property
    def int8(self) -> bool:
        """Whether the reader should run the INT8 build of a model that has one."""

    def compile(self, model: Path) -> CompiledModel: ...
