"""Outbound webhooks: a tenant's external systems receive its events, signed, with retries."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr

from gtvision.contract._common import Request
from gtvision.contract._resources import HttpUrl, Stored, omittable

EventTypes = Annotated[
    list[Annotated[str, Field(pattern=r"^[a-z]+\.[a-z]+$", max_length=64)]],
    Field(
        max_length=16,
        examples=[["alert.raised", "plate.read"]],
        description="Event types to send; empty: every type.",
    ),
]
Secret = Annotated[
    SecretStr,
    Field(min_length=16, max_length=256, description="Signs deliveries; write-only."),
]


class WebhookCreate(Request):
    url: HttpUrl
    secret: Secret
    types: EventTypes = Field(default_factory=list)
    active: bool = True


class WebhookUpdate(Request):
    url: HttpUrl = omittable()
    secret: Secret = omittable()
    types: EventTypes = omittable()
    active: bool = omittable()


class Webhook(Stored):
    """Each delivery is a POST of the event's JSON with ``X-GTV-Event``, ``X-GTV-Delivery`` and
    ``X-GTV-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>``;
    a non-2xx answer is retried with backoff for about a day."""

    tenant_id: uuid.UUID
    url: str
    types: list[str]
    active: bool


class WebhookTest(BaseModel):
    """A ``webhook.test`` event sent at once, signed like any delivery, with what came back."""

    delivered: bool
    status_code: int | None = Field(description="The receiver's HTTP status, if it answered.")
    error: str | None
    elapsed_ms: float
