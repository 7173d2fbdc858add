"""Who may call MediaMTX's auth hook, how often it may be told no, and how often that is audited.

The hook needs no login (MediaMTX calls it for every viewer), so unguarded it is a free
audit-log writer and token oracle: 300 garbage tokens once made 300 audit rows in 3.6 s. Now:
only MediaMTX's own hosts may call it; denials are limited per source (the calling host and
the viewer address MediaMTX forwards), after which the hook answers 429 without looking; and
denials without a known tenant are audited once per source per minute, with the count of those
folded into the next row.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from gtvision.services.auth.ratelimit import SlidingWindowLimiter
from gtvision.services.settings import Settings

log = logging.getLogger(__name__)

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_AUDIT_PERIOD_S = 60.0


def mediamtx_sources(settings: Settings) -> list[IPNetwork]:
    """``media_hook_sources``, else the addresses of ``mediamtx_api_url``'s host, else none
    (direct mode: no MediaMTX, so nobody has a reason to call the hook)."""
    if settings.media_hook_sources:
        return list(settings.media_hook_sources)
    if settings.mediamtx_api_url is None:
        return []
    host = urlsplit(settings.mediamtx_api_url).hostname or ""
    try:
        return [ipaddress.ip_network(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        log.error("media hook: cannot resolve MediaMTX host %s (%s); set media_hook_sources",
                  host, exc)  # fmt: skip
        return []
    return [ipaddress.ip_network(str(info[4][0]).split("%", 1)[0]) for info in infos]


class HookGuard:
    def __init__(
        self,
        sources: Sequence[IPNetwork],
        denials_per_min: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sources = list(sources)
        self._denials = SlidingWindowLimiter(limit=denials_per_min, period=60.0)
        self._blocked_until: dict[str, float] = {}
        self._audited: dict[str, tuple[float, int]] = {}  # key → (minute it was audited, folded)
        self._clock = clock

    def caller_refusal(self, caller: str) -> str | None:
        """Why this host may not call the hook at all, or None."""
        if not self.sources:
            return "no MediaMTX is configured (media_hook_sources, mediamtx_api_url)"
        try:
            address = ipaddress.ip_address(caller)
        except ValueError:
            return f"{caller} is not an address"
        if any(address in network for network in self.sources):
            return None
        return f"{caller} is not a MediaMTX host (media_hook_sources)"

    def retry_after(self, key: str) -> float | None:
        """Seconds this source must wait, while it is over its denials; else None."""
        until = self._blocked_until.get(key)
        now = self._clock()
        if until is None or until <= now:
            self._blocked_until.pop(key, None)
            return None
        return until - now

    def denied(self, key: str) -> None:
        """Count one denial; past the limit the source is held off until the window allows."""
        now = self._clock()
        wait = self._denials.hit(key, now)
        if wait is not None:
            self._blocked_until[key] = now + wait

    def audit_now(self, key: str) -> int | None:
        """None if a denial of this source was audited this minute (it is folded in); else the
        number folded since the last row, and this one is to be audited."""
        minute = self._clock() // _AUDIT_PERIOD_S
        last = self._audited.get(key)
        if last is not None and last[0] == minute:
            self._audited[key] = (minute, last[1] + 1)
            return None
        if len(self._audited) > 100_000:
            self._audited.clear()
        self._audited[key] = (minute, 0)
        return last[1] if last is not None else 0
