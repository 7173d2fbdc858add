from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from gtvision.contract import API_PREFIX, Me, RefreshRequest, TokenPair
from gtvision.services.api.deps import CallerDep, RuntimeDep, source_ip
from gtvision.services.auth import service
from gtvision.services.store.rows import to_model
from gtvision.services.users.service import get_user

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


@router.post("/token", summary="Sign in (OAuth2 password flow)")
async def token(
    request: Request, runtime: RuntimeDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPair:
    return await service.login(runtime, form.username, form.password, source_ip(request))


@router.post("/refresh", summary="Trade a refresh token for a new pair (single use)")
async def refresh(request: Request, runtime: RuntimeDep, body: RefreshRequest) -> TokenPair:
    return await service.refresh(runtime, body.refresh_token, source_ip(request))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End this session")
async def logout(runtime: RuntimeDep, body: RefreshRequest) -> None:
    await service.logout(runtime, body.refresh_token)


@router.get("/me", summary="Who the access token belongs to")
async def me(caller: CallerDep) -> Me:
    if caller.principal.user_id is None:  # pragma: no cover - tokens always carry a user
        raise RuntimeError("token without a user")
    return to_model(Me, await get_user(caller, caller.principal.user_id))
