"""Short-lived stream tokens: which user may play which camera's paths, until when.

They travel in stream URLs (``?token=``) and ``Authorization: Bearer`` headers to MediaMTX,
which hands them back to our auth hook; they are signed with their own derived key, so an API
access token is never accepted as a stream token or the other way round.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

_ALGORITHM = "HS256"
_AUDIENCE = "gtvision-media"


class InvalidStreamTokenError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class StreamGrant:
    tenant_id: uuid.UUID
    camera_id: uuid.UUID
    user_id: uuid.UUID | None
    username: str
    token_id: str
    epoch: int = 0  # the user's token epoch at issue, as in access tokens


def issue_stream_token(grant: StreamGrant, key: bytes, ttl_s: int) -> tuple[str, datetime]:
    expires = datetime.now(UTC) + timedelta(seconds=ttl_s)
    claims = {
        "aud": _AUDIENCE,
        "tid": grant.tenant_id.hex,
        "cam": grant.camera_id.hex,
        "sub": grant.user_id.hex if grant.user_id else "",
        "name": grant.username,
        "jti": grant.token_id,
        "ep": grant.epoch,
        "exp": expires,
    }
    return jwt.encode(claims, key, algorithm=_ALGORITHM), expires


def verify_stream_token(token: str, key: bytes, *, allow_expired: bool = False) -> StreamGrant:
    """The grant of a genuine token; ``allow_expired`` only to say whose token was refused."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            audience=_AUDIENCE,
            options={"require": ["exp", "tid", "cam", "jti"], "verify_exp": not allow_expired},
        )
        return StreamGrant(
            tenant_id=uuid.UUID(claims["tid"]),
            camera_id=uuid.UUID(claims["cam"]),
            user_id=uuid.UUID(claims["sub"]) if claims.get("sub") else None,
            username=str(claims.get("name", "")),
            token_id=str(claims["jti"]),
            epoch=int(claims.get("ep", 0)),
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidStreamTokenError(str(exc)) from exc


def new_token_id() -> str:
    return secrets.token_urlsafe(9)
