from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from gtvision.contract._common import Request, Role


class TokenPair(BaseModel):
    """What a login or a refresh returns (OAuth2 token response, plus the refresh token)."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds the access token stays valid.")
    refresh_token: str
    refresh_expires_in: int = Field(description="Seconds the refresh token stays valid.")


class RefreshRequest(Request):
    refresh_token: str = Field(min_length=16, max_length=256)


class Me(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    tenant_id: uuid.UUID | None
