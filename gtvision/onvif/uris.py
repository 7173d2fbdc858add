"""Camera URIs."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit


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


def redacted(uri: str) -> str:
    """The URI without its password, for messages and logs."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
