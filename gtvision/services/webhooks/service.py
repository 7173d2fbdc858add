"""A tenant's webhooks: admins only; the secret is stored encrypted and never shown again."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from gtvision.contract import Role, WebhookCreate, WebhookTest, WebhookUpdate
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import InvalidInputError
from gtvision.services.store import queries
from gtvision.services.store.models import Webhook
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404
from gtvision.services.store.values import column_values
from gtvision.services.webhooks.dispatcher import post_signed
from gtvision.services.webhooks.targets import ForbiddenTargetError, check_url


def _values(caller: Caller, data: WebhookCreate | WebhookUpdate, only_set: bool) -> dict[str, Any]:
    values = column_values(data, only_set=only_set, exclude={"secret"})
    if "secret" in data.model_fields_set or not only_set:
        assert data.secret is not None
        values["secret_encrypted"] = caller.runtime.keys.encrypt(data.secret.get_secret_value())
    return values


async def list_webhooks(
    caller: Caller, cursor: str | None, limit: int
) -> tuple[Sequence[Webhook], str | None]:
    caller.tenant()
    caller.require(Role.ADMIN)
    async with caller.read_session() as session:
        return await fetch_page(session, queries.webhooks(), Webhook.id, cursor, limit)


async def get_webhook(caller: Caller, webhook_id: uuid.UUID) -> Webhook:
    async with caller.read_session() as session:
        webhook = await get_or_404(session, Webhook, webhook_id)
    caller.require(Role.ADMIN)
    return webhook


async def _check_target(caller: Caller, data: WebhookCreate | WebhookUpdate) -> None:
    if "url" in data.model_fields_set or isinstance(data, WebhookCreate):
        try:
            await check_url(str(data.url), caller.runtime.settings.webhook_allowed_networks)
        except ForbiddenTargetError as exc:
            raise InvalidInputError(f"url: {exc}") from exc


async def create_webhook(caller: Caller, data: WebhookCreate) -> Webhook:
    caller.tenant()
    caller.require(Role.ADMIN)
    await _check_target(caller, data)
    async with caller.session() as session:
        webhook = Webhook(**_values(caller, data, only_set=False))
        session.add(webhook)
        await session.flush()
        event = AuditEvent("webhook.create", target_type="webhook", target_id=webhook.id,
                           detail={"url": webhook.url})  # fmt: skip
        record(session, caller, event)
    return webhook


async def update_webhook(
    caller: Caller, webhook_id: uuid.UUID, data: WebhookUpdate, expected_version: int | None
) -> Webhook:
    await _check_target(caller, data)
    async with caller.session() as session:
        webhook = await get_or_404(session, Webhook, webhook_id)
        caller.require(Role.ADMIN)
        check_version(webhook, expected_version)
        changed = apply_changes(webhook, _values(caller, data, only_set=True))
        if changed:
            await session.flush()
            event = AuditEvent("webhook.update", target_type="webhook", target_id=webhook.id,
                               detail={"fields": changed})  # fmt: skip
            record(session, caller, event)
    return webhook


async def delete_webhook(
    caller: Caller, webhook_id: uuid.UUID, expected_version: int | None
) -> None:
    async with caller.session() as session:
        webhook = await get_or_404(session, Webhook, webhook_id)
        caller.require(Role.ADMIN)
        check_version(webhook, expected_version)
        await session.delete(webhook)
        record(
            session,
            caller,
            AuditEvent("webhook.delete", target_type="webhook", target_id=webhook.id),
        )


async def test_webhook(caller: Caller, webhook_id: uuid.UUID) -> WebhookTest:
    """Send a ``webhook.test`` event now, outside the outbox (nothing is retried), so an admin
    sees at once whether the receiver answers and checks the signature. Audited."""
    async with caller.session() as session:
        webhook = await get_or_404(session, Webhook, webhook_id)
        caller.require(Role.ADMIN)
        url, secret = webhook.url, caller.runtime.keys.decrypt(webhook.secret_encrypted)
    delivery = uuid.uuid4()
    body = json.dumps({
        "id": str(delivery), "type": "webhook.test", "at": datetime.now(UTC).isoformat(),
        "tenant_id": str(webhook.tenant_id), "data": {"webhook_id": str(webhook.id)},
    }).encode()  # fmt: skip
    settings = caller.runtime.settings
    started = time.perf_counter()
    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_s, follow_redirects=False
    ) as http:
        status, error = await post_signed(
            http, url, secret, "webhook.test", str(delivery), body,
            settings.webhook_allowed_networks,
        )  # fmt: skip
    elapsed_ms = (time.perf_counter() - started) * 1000
    async with caller.session() as session:
        record(session, caller, AuditEvent(
            "webhook.test", outcome="success" if error is None else "failure",
            target_type="webhook", target_id=webhook_id, detail={"status": status, "error": error},
        ))  # fmt: skip
    return WebhookTest(delivered=error is None, status_code=status, error=error,
                       elapsed_ms=round(elapsed_ms, 1))  # fmt: skip
