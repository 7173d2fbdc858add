"""``GET /api/v1/objects/<key>``: locally stored objects behind signed, expiring links.

Only the embedded local store is served here (S3 hands out its own presigned URLs). The
signature is the authorisation: it was issued, for this key and expiry, to a caller the API
had already checked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from gtvision.contract import API_PREFIX
from gtvision.services.errors import ForbiddenError, NotFoundError
from gtvision.services.objects.store import LocalObjectStore, check_key, verify_local

router = APIRouter(prefix=f"{API_PREFIX}/objects", tags=["detections"])


@router.get(
    "/{key:path}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "video/mp4": {}}}},
    summary="A stored image, segment or clip, through a signed link from the API",
)
async def get_object(
    request: Request,
    key: str,
    expires: Annotated[int, Query(ge=0)],
    sig: Annotated[str, Query(max_length=64)],
) -> Response:
    store = request.app.state.runtime.objects
    if not isinstance(store, LocalObjectStore):
        raise NotFoundError("images are served by the object store")
    try:
        check_key(key)
    except ValueError:
        raise NotFoundError("no such object") from None
    if not verify_local(store.secret, key, expires, sig):
        raise ForbiddenError("the link is invalid or has expired")
    path = store.path(key)
    if not path.is_file():
        raise NotFoundError("no such object")
    # FileResponse answers Range requests: players seek in segments and clips.
    media_type = "video/mp4" if path.suffix == ".mp4" else "image/jpeg"
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "private, max-age=60"}
    )
