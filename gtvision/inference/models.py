"""The models the reader runs: the ones shipped in the wheel and the ones a user adds.

A recogniser is an ONNX file plus a fast-plate-ocr plate config (YAML) beside it, so third-party
models in that widely used format load exactly like ours. Nothing here downloads anything.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

BUILTIN_DETECTOR = "plate_detector.onnx"
# The same detector quantised (python -m gtvision.inference.training detector-int8), for the CPU.
BUILTIN_DETECTOR_INT8 = "plate_detector.int8.onnx"
BUILTIN_RECOGNIZER = "br_recognizer.onnx"
# fast-plate-ocr's published "global" models use this config; a bare .onnx of that family gets it.
GLOBAL_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"


class ModelError(ValueError):
    """A model file or config that does not fit the reader; the message says what was expected."""


class PlateConfig(BaseModel):
    """fast-plate-ocr's plate config: how to feed a recogniser and read its output."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    max_plate_slots: int = Field(gt=0, le=32)
    alphabet: str = Field(min_length=2)
    pad_char: str = Field(min_length=1, max_length=1)
    img_height: int = Field(gt=0, le=1024)
    img_width: int = Field(gt=0, le=2048)
    keep_aspect_ratio: bool = False
    interpolation: str = "linear"
    image_color_mode: Literal["rgb", "grayscale"] = "rgb"

    @model_validator(mode="after")
    def _pad_in_alphabet(self) -> PlateConfig:
        if self.pad_char not in self.alphabet:
            raise ValueError(f"pad_char {self.pad_char!r} is not in the alphabet")
        return self

    @property
    def channels(self) -> int:
        return 1 if self.image_color_mode == "grayscale" else 3


@dataclass(frozen=True, slots=True)
class RecognizerModel:
    path: Path
    config: PlateConfig

    @property
    def name(self) -> str:
        return self.path.stem


def builtin_dir() -> Path:
    return Path(str(resources.files("gtvision.inference") / "weights"))


def load_plate_config(path: Path) -> PlateConfig:
    try:
        raw = yaml.safe_load(path.read_text())
        return PlateConfig.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ModelError(f"{path}: not a valid fast-plate-ocr plate config ({exc})") from exc


def config_beside(model: Path) -> Path | None:
    for candidate in (
        model.with_suffix(".yaml"),
        model.with_name(model.stem + "_plate_config.yaml"),
        model.with_name("plate_config.yaml"),
    ):
        if candidate.is_file():
            return candidate
    return None


def recognizer_from(model: Path, config: Path | None = None) -> RecognizerModel:
    """A recogniser from an ONNX file; its plate config beside it, else fast-plate-ocr's global."""
    if not model.is_file():
        raise ModelError(f"{model}: no such model file")
    cfg_path = config or config_beside(model)
    if cfg_path is not None:
        return RecognizerModel(model, load_plate_config(cfg_path))
    return RecognizerModel(model, _infer_global_config(model))


def _infer_global_config(model: Path) -> PlateConfig:
    """fast-plate-ocr's global config, with slots and image size read off the ONNX graph."""
    try:
        import onnx

        graph = onnx.load(str(model), load_external_data=False).graph
    except Exception as exc:  # onnx raises DecodeError and friends for non-ONNX bytes
        raise ModelError(f"{model}: not an ONNX model ({exc.__class__.__name__})") from exc
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    out = [d.dim_value for d in graph.output[0].type.tensor_type.shape.dim]
    if len(dims) != 4 or dims[3] not in (1, 3) or dims[1] <= 0 or dims[2] <= 0:
        raise ModelError(
            f"{model}: expected a plate recogniser with input N x H x W x C (fixed H and W, C = 1 "
            "or 3, uint8), "
            f"got input shape {dims}"
        )
    classes = len(GLOBAL_ALPHABET)
    flat = out[-1] if out else 0
    slots = out[1] if len(out) == 3 else (flat // classes if flat % classes == 0 else 0)
    if slots <= 0:
        raise ModelError(
            f"{model}: expected an output of N x slots x {classes} (or N x slots*{classes}) for "
            f"the alphabet {GLOBAL_ALPHABET!r}, got {out}; give the model's plate config YAML"
        )
    return PlateConfig(
        max_plate_slots=slots,
        alphabet=GLOBAL_ALPHABET,
        pad_char="_",
        img_height=dims[1],
        img_width=dims[2],
        image_color_mode="grayscale" if dims[3] == 1 else "rgb",
    )


def check_recognizer_output(model: RecognizerModel, output_size: int) -> None:
    expected = model.config.max_plate_slots * len(model.config.alphabet)
    if output_size != expected:
        raise ModelError(
            f"{model.path}: output has {output_size} values per plate, expected "
            f"{model.config.max_plate_slots} slots x {len(model.config.alphabet)} characters = "
            f"{expected} (per its plate config)"
        )


def add_model(source: Path, models_dir: Path, config: Path | None = None) -> RecognizerModel:
    """Copy a recogniser (and its config) into the user's models directory, after checking it."""
    model = recognizer_from(source, config)
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / source.name
    shutil.copyfile(source, target)
    (models_dir / (source.stem + ".yaml")).write_text(
        yaml.safe_dump(model.config.model_dump(), sort_keys=False)
    )
    return RecognizerModel(target, model.config)


def list_models(models_dir: Path) -> list[RecognizerModel]:
    found = []
    for path in sorted(models_dir.glob("*.onnx")):
        try:
            found.append(recognizer_from(path))
        except ModelError:
            continue
    return found


def default_models_dir() -> Path:
    """Where ``gtvision-lpr models add`` keeps user recognisers (``GTV_LPR_MODELS`` overrides)."""
    env = os.environ.get("GTV_LPR_MODELS")
    return Path(env) if env else Path(user_data_dir("gtvision")) / "models"


def resolve_recognizer(name: str | None, models_dir: Path | None) -> RecognizerModel:
    """The named model from the user's directory, else the built-in Brazilian recogniser."""
    if name is None:
        return recognizer_from(builtin_dir() / BUILTIN_RECOGNIZER)
    as_path = Path(name)
    if as_path.suffix == ".onnx" and as_path.is_file():
        return recognizer_from(as_path)
    if models_dir is not None:
        candidate = models_dir / (name if name.endswith(".onnx") else name + ".onnx")
        if candidate.is_file():
            return recognizer_from(candidate)
    raise ModelError(f"no recogniser named {name!r} (looked in {models_dir or 'no models dir'})")


__all__ = ["ModelError", "PlateConfig", "RecognizerModel"]
