"""No background work dies silently: crashes are logged by name, restarted with backoff,
counted in /metrics, and a task that keeps crashing takes the instance out of /readyz."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from gtvision.retry import Backoff
from gtvision.services.background import Supervisor, TaskHealth
from tests.helpers.live import LiveService, scrape_metrics

QUICK = Backoff(initial_s=0.01, max_s=0.02, deadline_s=float("inf"))


def test_a_crashing_task_is_restarted_logged_and_named_until_it_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = Supervisor(QUICK, failing_after=3, healthy_after_s=0.3)
    runs = 0
    recovered = asyncio.Event()

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs <= 4:
            raise RuntimeError(f"falha {runs}")
        recovered.set()
        await asyncio.sleep(3600)

    async def scenario() -> tuple[dict[str, str], dict[str, str], TaskHealth]:
        async with supervisor.running("relay", flaky):
            await asyncio.wait_for(recovered.wait(), 10)
            while_failing = supervisor.failing()
            await asyncio.sleep(0.4)  # longer than healthy_after_s, without a crash
            after = supervisor.failing()
        return while_failing, after, supervisor.tasks["relay"]

    with caplog.at_level(logging.ERROR, "gtvision.services.background"):
        while_failing, after, health = asyncio.run(scenario())
    assert runs == 5
    assert health.crashes == 4
    assert while_failing == {"relay": "RuntimeError: falha 4"}
    assert after == {}, "a task that runs again is no longer failing"
    crashed = [r for r in caplog.records if "relay" in r.getMessage()]
    assert len(crashed) == 4
    assert all(r.exc_info for r in crashed), "each crash is logged with its traceback"


def test_a_task_that_returns_is_not_restarted_and_cancel_stops_a_waiting_one() -> None:
    supervisor = Supervisor(QUICK)
    runs = 0

    async def once() -> None:
        nonlocal runs
        runs += 1

    async def always_fails() -> None:
        raise OSError("disco cheio")

    async def scenario() -> None:
        async with supervisor.running("once", once) as task:
            await asyncio.wait_for(asyncio.shield(task), 5)
        async with supervisor.running("broken", always_fails):
            await asyncio.sleep(0.3)
        # leaving the block cancelled it between two restarts: nothing left running

    asyncio.run(scenario())
    assert runs == 1
    assert supervisor.tasks["broken"].crashes >= 3
    assert "broken" in supervisor.failing()


def test_readyz_and_metrics_name_a_task_that_keeps_crashing(service: LiveService) -> None:
    supervisor: Supervisor = service.app.state.runtime.supervisor
    assert set(supervisor.tasks) >= {"event-listener", "lpr-writer", "archiver", "webhooks"}
    assert httpx.get(service.url + "/readyz").status_code == 200
    supervisor.tasks["test-crasher"] = TaskHealth(
        "test-crasher", crashes=5, in_a_row=5, last_error="RuntimeError: boom"
    )
    try:
        ready = httpx.get(service.url + "/readyz")
        metrics = scrape_metrics(service)
    finally:
        del supervisor.tasks["test-crasher"]
    assert ready.status_code == 503
    assert ready.json()["checks"]["tasks"] == {"test-crasher": "RuntimeError: boom"}
    assert ready.json()["checks"]["database"] == "ok"
    assert metrics['gtv_task_crashes_total{task="test-crasher"}'] == 5
    assert metrics['gtv_task_failing{task="test-crasher"}'] == 1
    assert metrics['gtv_task_failing{task="event-listener"}'] == 0
    assert httpx.get(service.url + "/readyz").status_code == 200


def test_a_cancellation_a_library_turned_into_an_error_still_stops_the_loop() -> None:
    """Python 3.11's ``wait_for`` (inside asyncpg) can turn a cancel into ``TimeoutError``;
    a retry loop that shrugs off ``OSError`` must still stop (a shutdown hung on this)."""
    from gtvision.services.background import stop_if_cancelled, woken_or_after

    rounds = 0
    wake = asyncio.Event()

    async def query_like_asyncpg() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            raise TimeoutError("connect timed out") from None  # what the race looks like

    async def retry_loop() -> None:
        nonlocal rounds
        while True:
            rounds += 1
            try:
                await query_like_asyncpg()
            except OSError:
                stop_if_cancelled()
            await woken_or_after(wake, 3600)

    async def scenario() -> None:
        task = asyncio.create_task(retry_loop())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert rounds == 1
