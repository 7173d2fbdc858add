"""Domain events to a real RabbitMQ: every plate read reaches a consumer bound to
``domain.events``, also those read while the broker was down, each once."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import aio_pika
import psycopg
import pytest

from tests.conftest import (
    TenantUsers,
    make_superadmin,
    make_tenant,
)
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests
from tests.helpers.rabbitmq import RabbitMq
from tests.helpers.waiting import eventually

QUEUE = "gtv-test-consumer"


@pytest.fixture(scope="module")
def broker() -> Iterator[RabbitMq]:
    with RabbitMq() as rabbit:
        yield rabbit


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresForTests]:
    server = PostgresForTests()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def relayed(
    broker: RabbitMq, postgres: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveService, TenantUsers]]:
    settings = service_settings(
        postgres.url, tmp_path_factory.mktemp("amqp-service"), amqp_url=broker.url,
        lpr_enabled=False,
    )  # fmt: skip
    with LiveService(settings) as service:
        eventually(lambda: service.app.state.amqp.connected, timeout_s=30, what="relay connected")
        asyncio.run(_bind(broker.url))
        yield service, make_tenant(service, make_superadmin(service))


async def _bind(url: str) -> None:
    """A durable queue bound to every event: it keeps what arrives while nobody reads."""
    async with await aio_pika.connect(url) as connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange("domain.events")  # the relay declared it
        queue = await channel.declare_queue(QUEUE, durable=True)
        await queue.bind(exchange, routing_key="#")


async def _drain(url: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    async with await aio_pika.connect(url) as connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(QUEUE, durable=True)
        messages = []
        while (message := await queue.get(fail=False, no_ack=True)) is not None:
            messages.append(message)
        return messages


def _plates(messages: list[aio_pika.abc.AbstractIncomingMessage]) -> list[str]:
    return [json.loads(m.body)["data"]["plate"] for m in messages if m.routing_key == "plate.read"]


def _collect(broker: RabbitMq, got: list[aio_pika.abc.AbstractIncomingMessage]) -> list[str]:
    """Add what waits on the queue to ``got``; the plates read so far."""
    got.extend(asyncio.run(_drain(broker.url)))
    return _plates(got)


def _outbox(postgres: PostgresForTests) -> int:
    with psycopg.connect(postgres.url.replace("+asyncpg", "")) as conn:
        row = conn.execute("SELECT count(*) FROM admin.relay_outbox").fetchone()
        return int(row[0]) if row else -1


def test_plate_reads_reach_a_rabbitmq_consumer(
    relayed: tuple[LiveService, TenantUsers], broker: RabbitMq, postgres: PostgresForTests,
    tmp_path: Path,
) -> None:  # fmt: skip
    service, tenant = relayed
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Marginal Tietê"}).json()["id"]
    read = pending_read(tenant.tenant_id, camera, "FGH2J34")
    assert write_reads(postgres.url, tmp_path, [read]) == [True]
    got: list[aio_pika.abc.AbstractIncomingMessage] = []
    eventually(lambda: len(_collect(broker, got)) >= 1, timeout_s=20, what="the read on the queue")
    message = next(m for m in got if m.routing_key == "plate.read")
    body = json.loads(message.body)
    assert body["data"]["plate"] == "FGH2J34"
    assert body["tenant_id"] == tenant.tenant_id
    assert message.message_id == body["id"]  # consumers dedupe on it
    assert message.headers["tenant_id"] == tenant.tenant_id
    assert message.content_type == "application/json"
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    eventually(lambda: _outbox(postgres) == 0, timeout_s=10, what="the outbox emptied")


def test_events_wait_for_a_broker_outage_and_arrive_once(
    relayed: tuple[LiveService, TenantUsers], broker: RabbitMq, postgres: PostgresForTests,
    tmp_path: Path,
) -> None:  # fmt: skip
    service, tenant = relayed
    relay = service.app.state.amqp
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": f"Radial {uuid.uuid4().hex[:4]}"}).json()
    asyncio.run(_drain(broker.url))  # start from an empty queue
    broker.stop()
    try:
        plates = ["KLM3N45", "KLM3N46", "KLM3N47"]
        reads = [pending_read(tenant.tenant_id, camera["id"], p) for p in plates]
        assert write_reads(postgres.url, tmp_path, reads) == [True] * 3
        eventually(lambda: _outbox(postgres) >= 3, timeout_s=10, what="events kept in the outbox")
        failures = relay.failures
        eventually(lambda: relay.failures > failures, timeout_s=30, what="the relay noticing")
    finally:
        broker.start()
    got: list[aio_pika.abc.AbstractIncomingMessage] = []
    eventually(
        lambda: len(_collect(broker, got)) >= 3,
        timeout_s=60,
        every_s=1.0,
        what="the reads after the outage",
    )
    eventually(lambda: _outbox(postgres) == 0, timeout_s=10, what="the outbox emptied")
    got.extend(asyncio.run(_drain(broker.url)))
    assert sorted(_plates(got)) == plates  # every one, none twice
    assert len({m.message_id for m in got}) == len(got)


def test_without_amqp_url_nothing_queues_for_the_relay(
    relayed: tuple[LiveService, TenantUsers], postgres: PostgresForTests,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:  # fmt: skip
    """Switched off (the default), the relay deregisters and events cost no outbox rows."""
    _, tenant = relayed
    settings = service_settings(postgres.url, tmp_path_factory.mktemp("no-amqp"), lpr_enabled=False)
    with LiveService(settings) as plain, tenant.client(plain) as admin:
        assert plain.app.state.amqp is None
        camera = admin.post("/cameras", json={"name": "Sem fila"}).json()["id"]
        read = pending_read(tenant.tenant_id, camera, "NOP5Q67")
        assert write_reads(postgres.url, tmp_path_factory.mktemp("objects"), [read]) == [True]
        assert _outbox(postgres) == 0
        with psycopg.connect(postgres.url.replace("+asyncpg", "")) as conn:
            assert conn.execute("SELECT count(*) FROM admin.event_relays").fetchone() == (0,)
