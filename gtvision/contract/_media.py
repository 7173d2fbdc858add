from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StreamEndpoints(BaseModel):
    """Where one stream (main or sub) can be played; the best first."""

    webrtc: str | None = Field(
        None, description="WHEP endpoint; send `Authorization: Bearer <token>` (< 1 s latency)."
    )
    hls: str | None = Field(None, description="HLS playlist, low-latency variant (2-3 s).")
    rtsp: str = Field(description="RTSP URL, credentials or token included.")


class CameraStreams(BaseModel):
    camera_id: uuid.UUID
    mode: Literal["mediamtx", "direct"] = Field(
        description="`mediamtx`: through the media server; `direct`: the camera's own RTSP."
    )
    token: str | None = Field(None, description="Stream token (already inside the URLs).")
    expires_at: datetime | None = Field(None, description="When the token stops working.")
    main: StreamEndpoints | None
    sub: StreamEndpoints | None
    credentials_withheld: bool = Field(
        False,
        description="Direct mode only: the camera's password is handed to operators and "
        "above, not to viewers, who get the URL without it (set up MediaMTX for them).",
    )


class MediaAuthRequest(BaseModel):
    """What MediaMTX posts to its ``authHTTPAddress`` for every access it wants checked."""

    model_config = ConfigDict(extra="ignore")

    user: str = ""
    password: str = ""
    token: str = ""
    ip: str = ""
    action: str = ""
    path: str = ""
    protocol: str = ""
    id: str | None = None
    query: str = ""
