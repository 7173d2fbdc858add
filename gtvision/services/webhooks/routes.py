from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from gtvision.contract import API_PREFIX, Page, Webhook, WebhookCreate, WebhookTest, WebhookUpdate
from gtvision.services.api.deps import CallerDep, Cursor, IfMatch, Limit, json_response
from gtvision.services.store.models import Webhook as WebhookRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.webhooks import service

router = APIRouter(prefix=f"{API_PREFIX}/webhooks", tags=["webhooks"])


def _out(row: WebhookRow, status_code: int = 200) -> Response:
    webhook = to_model(Webhook, row)
    return json_response(webhook, status_code=status_code, version=webhook.version)


@router.get("", response_model=Page[Webhook], summary="The tenant's webhooks (admin)")
async def list_webhooks(
    caller: CallerDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Response:
    rows, next_cursor = await service.list_webhooks(caller, cursor, limit)
    items = [to_model(Webhook, r) for r in rows]
    return json_response(Page[Webhook](items=items, next_cursor=next_cursor))


@router.post(
    "",
    response_model=Webhook,
    status_code=status.HTTP_201_CREATED,
    summary="Send the tenant's events to a URL, signed with a secret (admin)",
)
async def create_webhook(caller: CallerDep, body: WebhookCreate) -> Response:
    return _out(await service.create_webhook(caller, body), status.HTTP_201_CREATED)


@router.get("/{webhook_id:uuid}", response_model=Webhook)
async def get_webhook(caller: CallerDep, webhook_id: uuid.UUID) -> Response:
    return _out(await service.get_webhook(caller, webhook_id))


@router.patch("/{webhook_id:uuid}", response_model=Webhook, summary="Change a webhook (admin)")
async def update_webhook(
    caller: CallerDep, webhook_id: uuid.UUID, body: WebhookUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_webhook(caller, webhook_id, body, if_match))


@router.delete("/{webhook_id:uuid}", status_code=204, summary="Delete a webhook (admin)")
async def delete_webhook(caller: CallerDep, webhook_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_webhook(caller, webhook_id, if_match)


@router.post(
    "/{webhook_id:uuid}/test",
    response_model=WebhookTest,
    summary="Send a signed webhook.test event now and say what the receiver answered (admin)",
)
async def test_webhook(caller: CallerDep, webhook_id: uuid.UUID) -> WebhookTest:
    return await service.test_webhook(caller, webhook_id)
