"""JWT access tokens (short-lived, checked against the user's token epoch) and opaque refresh
tokens (stored hashed)."""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from gtvision.contract import Role

_ALGORITHM = "HS256"
_ISSUER = "gtvision"


class InvalidTokenError(ValueError):
    """Expired, forged or malformed token."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: what an access token says about its bearer."""

    user_id: uuid.UUID | None  # None only for the command line's system principal
    username: str
    role: Role
    tenant_id: uuid.UUID | None
    epoch: int = 0  # the user's token epoch at issue; a later one revokes the token

    @classmethod
    def system(cls, name: str = "cli") -> Principal:
        """The command line acting as superadmin (``create-tenant``, ``create-user``)."""
        return cls(user_id=None, username=name, role=Role.SUPERADMIN, tenant_id=None)

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank


def issue_access_token(principal: Principal, key: bytes, ttl_s: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": _ISSUER,
        "sub": str(principal.user_id),
        "name": principal.username,
        "role": principal.role.value,
        "tid": str(principal.tenant_id) if principal.tenant_id else None,
        "ep": principal.epoch,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
        "jti": secrets.token_urlsafe(8),
    }
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def decode_access_token(token: str, key: bytes) -> Principal:
    """Verify a token; a token seen before costs a dictionary look-up, not an HMAC."""
    principal, expires = _verified(token, key)
    if expires <= time.time():
        raise InvalidTokenError("token expired")
    return principal


@functools.lru_cache(maxsize=8192)
def _verified(token: str, key: bytes) -> tuple[Principal, float]:
    # Only successes are cached (lru_cache does not keep exceptions); expiry is re-checked by
    # the caller on every use, so a cached token still dies on time.
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            issuer=_ISSUER,
            options={"require": ["exp", "sub", "role", "iss"]},
        )
        tenant = claims.get("tid")
        principal = Principal(
            user_id=uuid.UUID(claims["sub"]),
            username=str(claims.get("name", "")),
            role=Role(claims["role"]),
            tenant_id=uuid.UUID(tenant) if tenant else None,
            epoch=int(claims.get("ep", 0)),
        )
        return principal, float(claims["exp"])
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidTokenError(str(exc)) from exc


def new_refresh_token() -> tuple[str, str]:
    """A fresh refresh token and the SHA-256 under which it is stored."""
    token = secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
