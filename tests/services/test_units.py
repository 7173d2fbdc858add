"""Pure cores: no servers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pydantic import ValidationError

from gtvision.contract import Role
from gtvision.services.auth.keys import Keys, SecretUnreadableError
from gtvision.services.auth.ratelimit import SlidingWindowLimiter
from gtvision.services.auth.tokens import (
    InvalidTokenError,
    Principal,
    decode_access_token,
    issue_access_token,
)
from gtvision.services.errors import InvalidInputError
from gtvision.services.settings import load_settings
from gtvision.services.store.ids import uuid7
from gtvision.services.store.paging import decode_cursor, encode_cursor


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    # Within one millisecond the random tail decides; across milliseconds order must hold.
    millis = [i.int >> 80 for i in ids]
    assert millis == sorted(millis)
    assert len(set(ids)) == len(ids)


def test_cursor_round_trip_and_garbage() -> None:
    value = uuid7()
    assert decode_cursor(encode_cursor(value)) == value
    with pytest.raises(InvalidInputError):
        decode_cursor("not-a-cursor")


def test_limiter_allows_limit_then_refuses_with_retry_after() -> None:
    limiter = SlidingWindowLimiter(limit=3, period=60)
    assert [limiter.hit("a", 120.0) for _ in range(3)] == [None, None, None]
    retry = limiter.hit("a", 121.0)
    assert retry is not None
    assert 1 <= retry <= 60
    assert limiter.hit("b", 121.0) is None  # keys are independent


def test_limiter_slides_instead_of_resetting() -> None:
    limiter = SlidingWindowLimiter(limit=10, period=60)
    for _ in range(10):
        assert limiter.hit("a", 59.0) is None
    # Just after the boundary the previous window still weighs ~98 %: refused.
    assert limiter.hit("a", 61.0) is not None
    # Two windows later nothing of it is left.
    assert limiter.hit("a", 181.0) is None


def test_access_token_round_trip_and_tampering() -> None:
    key = b"k" * 32
    principal = Principal(uuid7(), "ana", Role.OPERATOR, uuid7())
    token = issue_access_token(principal, key, ttl_s=60)
    assert decode_access_token(token, key) == principal
    with pytest.raises(InvalidTokenError):
        decode_access_token(token, b"x" * 32)
    with pytest.raises(InvalidTokenError):
        decode_access_token(issue_access_token(principal, key, ttl_s=-1), key)


def test_role_order() -> None:
    assert Role.SUPERADMIN.rank > Role.ADMIN.rank > Role.OPERATOR.rank > Role.VIEWER.rank


def test_keys_are_independent_and_bound_to_the_secret() -> None:
    keys = Keys(b"s" * 40)
    sealed = keys.encrypt("camera-password")
    assert b"camera-password" not in sealed
    assert keys.decrypt(sealed) == "camera-password"
    assert keys.jwt_key != Keys(b"t" * 40).jwt_key
    with pytest.raises(SecretUnreadableError):
        Keys(b"t" * 40).decrypt(sealed)


def test_settings_reject_unknown_keys_and_layer_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "gtvision.toml"
    config.write_text("prot = 8081\n")
    with pytest.raises(ValidationError, match="prot"):
        load_settings(config)
    config.write_text("port = 8081\nlog_level = 'DEBUG'\n")
    assert load_settings(config).port == 8081
    monkeypatch.setenv("GTV_PORT", "8082")
    assert load_settings(config).port == 8082  # environment beats file
    assert load_settings(config, port=8083).port == 8083  # command line beats environment
    assert load_settings(config).log_level == "DEBUG"
    with pytest.raises(ValidationError, match="port"):
        load_settings(config, port=70000)


def test_the_media_hook_guard_holds_a_source_off_and_folds_its_audit() -> None:
    import ipaddress

    from gtvision.services.media.hookguard import HookGuard

    now = [1000.0 * 60]
    guard = HookGuard([ipaddress.ip_network("10.0.0.5/32")], 3, clock=lambda: now[0])
    assert guard.caller_refusal("10.0.0.5") is None
    assert "not a MediaMTX host" in str(guard.caller_refusal("10.0.0.6"))
    assert "no MediaMTX" in str(HookGuard([], 3).caller_refusal("10.0.0.5"))
    key = "10.0.0.5|203.0.113.9"
    for _ in range(3):
        assert guard.retry_after(key) is None
        guard.denied(key)
    guard.denied(key)  # the fourth denial in the minute: held off to the minute's end
    wait = guard.retry_after(key)
    assert wait is not None
    assert 0 < wait <= 60
    assert guard.retry_after("10.0.0.5|203.0.113.10") is None  # another viewer is not
    # Audit: the first denial of a minute is written, the rest folded into the next row.
    assert guard.audit_now(key) == 0
    assert [guard.audit_now(key) for _ in range(4)] == [None] * 4
    now[0] += 60
    assert guard.audit_now(key) == 4


def test_rows_become_contract_models_exactly_as_pydantic_reads_attributes() -> None:
    """``to_model`` (the fast path every route uses) gives what ``from_attributes`` gives."""
    import datetime

    from gtvision.contract import Camera as CameraOut
    from gtvision.contract import Me
    from gtvision.services.store.models import Camera, User
    from gtvision.services.store.rows import to_model

    now = datetime.datetime.now(datetime.UTC)
    camera = Camera(
        id=uuid.uuid4(), tenant_id=uuid.uuid4(), name="Cam", description="", ptz_capable=True,
        enabled=True, lpr_enabled=False, lpr_fps=5.0, lpr_stream="main",
        lpr_roi=[0.1, 0.2, 0.5, 0.5], recording_mode="off", recording_pre_s=10,
        recording_post_s=20, status="online",
        main_profile={"stream_uri": "rtsp://h/main", "width": 1920, "height": 1080},
        password_encrypted=b"secret", created_at=now, updated_at=now, version=3,
    )  # fmt: skip
    fast = to_model(CameraOut, camera)
    assert fast == CameraOut.model_validate(camera, from_attributes=True)
    assert fast.has_password  # a property of the row, not a column
    assert fast.main_profile is not None
    assert fast.main_profile.width == 1920
    user = User(
        id=uuid.uuid4(), tenant_id=None, username="root", role="superadmin", full_name="",
        email=None, active=True, created_at=now, updated_at=now, version=1,
    )  # fmt: skip
    assert to_model(Me, user) == Me.model_validate(user, from_attributes=True)


def test_saving_a_webhook_does_not_wait_on_a_resolver_that_never_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unreachable DNS server held the admin's request (and a fuzzer's) past 10 s; a name
    that cannot be resolved now is accepted, and each delivery checks it again."""
    import asyncio

    from gtvision.services.webhooks import targets

    async def never(host: str, port: int) -> list[str]:
        await asyncio.Event().wait()
        return []

    monkeypatch.setattr(targets, "_resolve", never)
    monkeypatch.setattr(targets, "SAVE_RESOLVE_TIMEOUT_S", 0.05)
    asyncio.run(asyncio.wait_for(targets.check_url("https://hooks.example.org/x", []), 30))
    with pytest.raises(targets.ForbiddenTargetError):  # an address is still judged at once
        asyncio.run(targets.check_url("http://169.254.169.254/latest/", []))
