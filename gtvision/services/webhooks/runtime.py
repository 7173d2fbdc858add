from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gtvision.services.context import Runtime
from gtvision.services.webhooks.dispatcher import WebhookDispatcher


@asynccontextmanager
async def webhook_dispatcher(runtime: Runtime) -> AsyncIterator[WebhookDispatcher]:
    """Every instance sends due deliveries; none exist until a tenant adds a webhook."""
    settings = runtime.settings
    dispatcher = WebhookDispatcher(
        runtime.db, runtime.keys,
        retry_initial_s=settings.webhook_retry_initial_s, timeout_s=settings.webhook_timeout_s,
        allowed_networks=settings.webhook_allowed_networks,
    )  # fmt: skip
    async with runtime.supervisor.running("webhooks", dispatcher.run):
        yield dispatcher
