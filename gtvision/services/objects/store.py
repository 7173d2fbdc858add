"""Objects kept by key: plate crops and frames, recording segments, exported clips.

Three buckets (:class:`ObjectStores`), two kinds of store, one interface.
:class:`S3ObjectStore` talks to MinIO or any S3 through
``aiobotocore`` (maintained, async, the client behind ``aioboto3``) and hands out presigned
URLs. :class:`LocalObjectStore` is the embedded default: files under the data dir, served by the
service at ``/api/v1/objects/<key>`` with an HMAC-signed expiry, so a crop link behaves the
same whichever store is behind it. Every failure to reach the store is raised as
:class:`ObjectStoreUnavailableError`, which the LPR writer treats as "keep it queued".
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import re
import shutil
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
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

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        """Like :meth:`put`, streaming from a file (segments and clips are large)."""
        ...

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
    # As bytes: compare_digest refuses a non-ASCII str (a TypeError, once a 500 on a public URL).
    return hmac.compare_digest(sign_local(secret, key, expires).encode(), signature.encode())


class LocalObjectStore:
    """Files under ``root``; writes are atomic (temp file, fsync, rename).

    ``prefix`` makes one directory hold several buckets (``recordings/…``) behind one
    signed-link route: a link signs the whole path under ``root``.
    """

    name = "local"

    def __init__(self, root: Path, secret: bytes, public_url: str, prefix: str = "") -> None:
        # Plate crops and footage are personal data: owner-only, like secret.key.
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        root.chmod(0o700)
        self.root = root
        self.secret = secret
        self.public_url = public_url.rstrip("/")
        self.prefix = prefix

    def path(self, key: str) -> Path:
        return self.root / check_key(self.prefix + key)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, self.path(key), data)

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        await asyncio.to_thread(self._put, self.path(key), path)

    @staticmethod
    def _put(path: Path, data: bytes | Path) -> None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                if isinstance(data, Path):
                    with data.open("rb") as source:
                        shutil.copyfileobj(source, f, 1 << 20)
                else:
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
        full = check_key(self.prefix + key)
        expires = int(time.time()) + ttl_s
        query = urlencode({"expires": expires, "sig": sign_local(self.secret, full, expires)})
        return f"{self.public_url}{API_PREFIX}/objects/{full}?{query}"


# S3 -----------------------------------------------------------------------------------------

_MULTIPART_PART = 64 << 20


def _read_at(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as f:
        f.seek(offset)
        return f.read(size)


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

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        """One PUT for a segment; a multipart upload, part by part, for a long clip."""
        await self.ensure_bucket()
        size = (await asyncio.to_thread(path.stat)).st_size
        if size <= _MULTIPART_PART:
            await self.put(key, await asyncio.to_thread(path.read_bytes), content_type)
            return
        upload = await self._call(
            "create_multipart_upload", Key=check_key(key), ContentType=content_type
        )
        upload_id = upload["UploadId"]
        try:
            parts = []
            for number, offset in enumerate(range(0, size, _MULTIPART_PART), start=1):
                chunk = await asyncio.to_thread(_read_at, path, offset, _MULTIPART_PART)
                part = await self._call(
                    "upload_part", Key=key, UploadId=upload_id, PartNumber=number, Body=chunk
                )
                parts.append({"PartNumber": number, "ETag": part["ETag"]})
            await self._call(
                "complete_multipart_upload",
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            with contextlib.suppress(ObjectStoreUnavailableError, KeyError):
                await self._call("abort_multipart_upload", Key=key, UploadId=upload_id)
            raise

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


@dataclass(frozen=True, slots=True)
class ObjectStores:
    crops: ObjectStore
    recordings: ObjectStore
    exports: ObjectStore


@asynccontextmanager
async def open_object_stores(settings: Settings, secret: bytes) -> AsyncIterator[ObjectStores]:
    """The configured stores, for the lifetime of the service."""
    if settings.s3_endpoint_url is None:
        public = settings.public_url or f"http://{settings.host}:{settings.port}"
        root = settings.data_dir / "objects"
        yield ObjectStores(
            crops=LocalObjectStore(root, secret, public),
            recordings=LocalObjectStore(root, secret, public, prefix="recordings/"),
            exports=LocalObjectStore(root, secret, public, prefix="exports/"),
        )
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
        # Buckets are checked (and made) on the first write: a store that is down at start-up
        # only delays crops and segments, which wait on local disk meanwhile.
        yield ObjectStores(
            crops=S3ObjectStore(client, settings.s3_bucket),
            recordings=S3ObjectStore(client, settings.s3_recordings_bucket),
            exports=S3ObjectStore(client, settings.s3_exports_bucket),
        )
