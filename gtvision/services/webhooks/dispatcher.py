"""Sending the outbox: due deliveries, signed, retried with backoff, by whichever instance.

Rows are taken with ``FOR UPDATE SKIP LOCKED``, so several instances share the work and no
delivery is sent by two of them at once. A non-2xx answer or a network error schedules the
next attempt (``webhook_retry_initial_s`` doubling, at most an hour apart); after
``MAX_ATTEMPTS`` the delivery is marked failed and kept for inspection.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.redaction import redacted
from gtvision.services.auth.keys import Keys
from gtvision.services.background import stop_if_cancelled
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.models import Webhook, WebhookDelivery
from gtvision.services.store.tenancy import Scope
from gtvision.services.webhooks.targets import ForbiddenTargetError, IPNetwork, resolve_target

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 25  # 5 s doubling to an hour: about 16 hours of trying
BATCH = 20


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


async def post_signed(
    http: httpx.AsyncClient,
    url: str,
    secret: str,
    event_type: str,
    delivery_id: str,
    body: bytes,
    allowed_networks: Sequence[IPNetwork],
) -> tuple[int | None, str | None]:
    """One signed POST: (the answer's status, or None; what went wrong, or None)."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "gtvision-webhooks",
        "X-GTV-Event": event_type,
        "X-GTV-Delivery": delivery_id,
        "X-GTV-Signature": signature(secret, int(time.time()), body),
    }
    try:
        # Checked again now: the name may resolve elsewhere than when it was saved.
        target = await resolve_target(url, allowed_networks)
        headers["Host"] = target.host_header
        response = await http.post(
            target.url, content=body, headers=headers, extensions={"sni_hostname": target.host}
        )
    except ForbiddenTargetError as exc:
        return None, f"refused: {exc}"
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}".replace(url, redacted(url))
    return response.status_code, None if response.is_success else f"HTTP {response.status_code}"


class WebhookDispatcher:
    def __init__(
        self,
        db: Database,
        keys: Keys,
        *,
        retry_initial_s: float = 5.0,
        timeout_s: float = 5.0,
        poll_s: float = 1.0,
        allowed_networks: Sequence[IPNetwork] = (),
    ) -> None:
        self.db, self.keys = db, keys
        self.allowed_networks = list(allowed_networks)
        self.retry_initial_s = retry_initial_s
        self.poll_s = poll_s
        self._http = httpx.AsyncClient(timeout=timeout_s, follow_redirects=False)
        self.sent = 0
        self.failed_attempts = 0

    async def run(self) -> None:
        try:
            while True:
                try:
                    handled = await self.deliver_due()
                except (DBAPIError, InterfaceError, OSError) as exc:
                    stop_if_cancelled()
                    log.warning("webhooks paused (database: %s)", type(exc).__name__)
                    handled = 0
                if handled < BATCH:
                    await asyncio.sleep(self.poll_s)
        finally:
            await self._http.aclose()

    async def deliver_due(self) -> int:
        async with self.db.session(Scope.all_tenants()) as session:
            due = await queries.due_deliveries(session, BATCH)
            for delivery, webhook in due:
                await self._attempt(delivery, webhook)
        return len(due)

    async def _attempt(self, delivery: WebhookDelivery, webhook: Webhook) -> None:
        delivery.attempts += 1
        secret = self.keys.decrypt(webhook.secret_encrypted)
        _, error = await post_signed(
            self._http, webhook.url, secret, delivery.event_type, str(delivery.id),
            delivery.payload.encode(), self.allowed_networks,
        )  # fmt: skip
        now = datetime.now(UTC)
        if error is None:
            delivery.delivered_at, delivery.last_error = now, None
            self.sent += 1
            return
        self.failed_attempts += 1
        delivery.last_error = error[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.failed_at = now
            log.error("webhook delivery %s given up: %s", delivery.id, error)
            return
        delay = min(3600.0, self.retry_initial_s * 2 ** (delivery.attempts - 1))
        delivery.next_attempt_at = now + timedelta(seconds=delay)
