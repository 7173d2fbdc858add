"""Plate crops and context frames, kept by key: ``crops/<tenant>/<yyyy>/<mm>/<dd>/<id>.jpg``.

Two stores, one interface. :class:`S3ObjectStore` talks to MinIO or any S3 through
``aiobotocore`` (maintained, async, the client behind ``aioboto3``) and hands out presigned
URLs. :class:`LocalObjectStore` is the embedded default: files under the data dir, served by the
service at ``/api/v1/objects/<key>`` with an HMAC-signed expiry, so a crop link behaves the
same whichever store is behind it. Every failure to reach the store is raised as
:class:`ObjectStoreUnavailableError`, which the LPR writer treats as "keep it queued".
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import re
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from gtvision.contract import API_PREFIX
from gtvision.services.settings import Settings

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,299}$")


class ObjectStoreUnavailableError(Exception):
    """The store could not be reached or refused the request; try again later."""


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key or "//" in key:
        raise ValueError(f"not an object key: {key!r}")
    return key


class ObjectStore(Protocol):
    name: str

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, keys: Sequence[str]) -> None: ...

    async def url(self, key: str, ttl_s: int) -> str: ...


# Local directory ----------------------------------------------------------------------------


def sign_local(secret: bytes, key: str, expires: int) -> str:
    mac = hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def verify_local(secret: bytes, key: str, expires: int, signature: str) -> bool:
    if expires < time.time():
        return False
    return hmac.compare_digest(sign_local(secret, key, expires), signature)


class LocalObjectStore:
    """Files under ``root``; writes are atomic (temp file, fsync, rename)."""

    name = "local"

    def __init__(self, root: Path, secret: bytes, public_url: str) -> None:
        self.root = root
        self.secret = secret
        self.public_url = public_url.rstrip("/")

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, self.path(key), data)

    @staticmethod
    def _put(path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            tmp.replace(path)
        except OSError as exc:
            raise ObjectStoreUnavailableError(f"local store: {exc}") from exc

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path(key).read_bytes)
        except FileNotFoundError:
            raise KeyError(key) from None
        except OSError as exc:
            raise ObjectStoreUnavailableError(f"local store: {exc}") from exc

    async def delete(self, keys: Sequence[str]) -> None:
        def remove() -> None:
            for key in keys:
                self.path(key).unlink(missing_ok=True)

        await asyncio.to_thread(remove)

    async def url(self, key: str, ttl_s: int) -> str:
        expires = int(time.time()) + ttl_s
        query = urlencode({"expires": expires, "sig": sign_local(self.secret, key, expires)})
        return f"{self.public_url}{API_PREFIX}/objects/{check_key(key)}?{query}"


# S3 -----------------------------------------------------------------------------------------


class S3ObjectStore:
    """One bucket of an S3 server; created on first use if missing."""

    name = "s3"

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self.bucket = bucket
        self._bucket_ready = False

    async def ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            await self._call("head_bucket")
        except KeyError:
            await self._call("create_bucket")
        self._bucket_ready = True

    async def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await getattr(self._client, operation)(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "NoSuchBucket", "404"):
                raise KeyError(kwargs.get("Key")) from None
            raise ObjectStoreUnavailableError(f"S3 {operation}: {exc}") from exc
        except (TimeoutError, BotoCoreError, OSError) as exc:
            raise ObjectStoreUnavailableError(f"S3 {operation}: {exc}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self.ensure_bucket()
        await self._call("put_object", Key=check_key(key), Body=data, ContentType=content_type)

    async def get(self, key: str) -> bytes:
        response = await self._call("get_object", Key=check_key(key))
        async with response["Body"] as body:
            data: bytes = await body.read()
            return data

    async def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), 1000):  # S3's limit per DeleteObjects
            chunk = [{"Key": k} for k in keys[start : start + 1000]]
            await self._call("delete_objects", Delete={"Objects": chunk, "Quiet": True})

    async def url(self, key: str, ttl_s: int) -> str:
        url: str = await self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": check_key(key)}, ExpiresIn=ttl_s
        )
        return url


@asynccontextmanager
async def open_object_store(settings: Settings, secret: bytes) -> AsyncIterator[ObjectStore]:
    """The configured store, for the lifetime of the service."""
    if settings.s3_endpoint_url is None:
        public = settings.public_url or f"http://{settings.host}:{settings.port}"
        yield LocalObjectStore(settings.data_dir / "objects", secret, public)
        return
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    assert settings.s3_access_key is not None
    assert settings.s3_secret_key is not None
    config = AioConfig(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        connect_timeout=settings.s3_timeout_s,
        read_timeout=settings.s3_timeout_s,
        retries={"max_attempts": 2, "mode": "standard"},
    )
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=settings.s3_endpoint_url,
                region_name=settings.s3_region,
                aws_access_key_id=settings.s3_access_key,
                aws_secret_access_key=settings.s3_secret_key.get_secret_value(),
                config=config,
            )
        )
        # The bucket is checked (and made) on the first write: a store that is down at start-up
        # only delays crops, which wait in the LPR queue meanwhile.
        yield S3ObjectStore(client, settings.s3_bucket)
