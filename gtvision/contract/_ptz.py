"""Pan, tilt, zoom and presets of a camera, driven through the service (which speaks ONVIF)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from gtvision.contract._common import Request

Axis = Annotated[float, Field(ge=-1, le=1, description="-1…1 (speed, or position / step).")]
PtzAction = Literal[
    "continuous", "stop", "relative", "absolute", "home", "goto_preset", "set_preset",
    "remove_preset",
]  # fmt: skip


class PtzCommand(Request):
    """One PTZ command. ``continuous`` moves until ``stop`` or for ``duration_s`` at most, so a
    console that vanishes mid-move never leaves a camera spinning."""

    action: PtzAction
    pan: Axis = 0.0
    tilt: Axis = 0.0
    zoom: Axis = 0.0
    duration_s: float = Field(
        2.0, gt=0, le=30, description="`continuous`: the service stops the move after this."
    )
    preset: str | None = Field(
        None, min_length=1, max_length=64, description="Preset token (`goto_`/`remove_preset`)."
    )
    name: str | None = Field(
        None, min_length=1, max_length=64, description="Preset name (`set_preset`)."
    )

    @model_validator(mode="after")
    def _needs(self) -> PtzCommand:
        if self.action in ("goto_preset", "remove_preset") and self.preset is None:
            raise ValueError(f"{self.action} needs `preset`")
        if self.action == "set_preset" and self.name is None:
            raise ValueError("set_preset needs `name`")
        return self


class PtzResult(BaseModel):
    preset: str | None = Field(None, description="The token `set_preset` stored the preset as.")


class PtzPreset(BaseModel):
    token: str
    name: str
