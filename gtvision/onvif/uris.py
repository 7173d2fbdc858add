"""Camera URIs."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from gtvision.redaction import redacted

__all__ = ["redacted", "with_credentials"]


def with_credentials(uri: str, username: str | None, password: str | None) -> str:
    """The URI with ``user:password@`` in it (percent-encoded), replacing any already there."""
    if not username:
        return uri
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = quote(username, safe="")
    if password:
        netloc += ":" + quote(password, safe="")
    netloc += "@" + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
