"""``gtvision-service``: run the API, migrate, bootstrap tenants and users, print the OpenAPI."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import SecretStr, ValidationError

from gtvision.contract import Role, TenantCreate, UserCreate
from gtvision.services.auth.tokens import Principal
from gtvision.services.context import Caller, Runtime
from gtvision.services.errors import ServiceError
from gtvision.services.settings import Settings, load_settings
from gtvision.services.store.backup import BackupError
from gtvision.services.store.db import Database

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gtvision-service", description=__doc__)
    parser.add_argument("--config", type=Path, help="TOML config file (also GTV_CONFIG_FILE)")
    parser.add_argument("--data-dir", type=Path, help="state of the embedded defaults")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="serve the API")
    run.add_argument("--host", help="listen address (default 127.0.0.1)")
    run.add_argument("--port", type=int, help="TCP port (default 8080)")
    run.add_argument("--data-dir", type=Path, dest="run_data_dir", help=argparse.SUPPRESS)
    run.add_argument(
        "--workers", type=int, default=1, help="worker processes (one per core; default 1)"
    )

    commands.add_parser("migrate", help="bring the database schema up to date")

    tenant = commands.add_parser("create-tenant", help="add a tenant (prefeitura)")
    tenant.add_argument("slug")
    tenant.add_argument("--name", required=True)
    tenant.add_argument("--city")
    tenant.add_argument("--state", help="UF, e.g. SP")
    tenant.add_argument("--ibge-code", help="7-digit IBGE municipality code")

    user = commands.add_parser("create-user", help="add a user")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--tenant", help="tenant slug (every role but superadmin)")
    user.add_argument("--full-name", default="")
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    commands.add_parser("openapi", help="print the OpenAPI document and exit")

    backup = commands.add_parser("backup", help="dump the database and the master key")
    backup.add_argument("folder", type=Path, help="a new backup folder is made inside it")
    restore = commands.add_parser("restore", help="load a backup made by `backup`")
    restore.add_argument("folder", type=Path, help="the backup folder (gtvision-…)")
    restore.add_argument(
        "--force", action="store_true", help="replace a database (and key) that holds data"
    )

    commands.add_parser(
        "retention", help="delete plate reads, crops and recordings past their retention, now"
    )
    media = commands.add_parser("mediamtx-config", help="write a mediamtx.yml for this service")
    media.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    data_dir = getattr(args, "run_data_dir", None) or args.data_dir
    return load_settings(
        args.config,
        data_dir=data_dir,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
    )


def _run(settings: Settings, workers: int, config: Path | None) -> None:
    import uvicorn

    from gtvision.services.api.app import create_app
    from gtvision.services.logs import configure_logging

    configure_logging(settings.log_level)
    server = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        # uvicorn would believe X-Forwarded-For from any loopback peer: the app decides, from
        # trusted_proxies (empty by default).
        "proxy_headers": False,
        "server_header": False,
    }
    if workers <= 1:
        uvicorn.run(create_app(settings), **server)  # type: ignore[arg-type]
        return
    # Several processes: they share one database and one key, made here before they start,
    # and read every setting from the environment.
    from gtvision.services.auth.keys import load_master_secret
    from gtvision.services.store.embedded import EmbeddedPostgres

    load_master_secret(settings)
    embedded, embedded_url = None, ""
    os.environ["GTV_DATA_DIR"] = str(settings.data_dir)
    if config is not None:
        os.environ["GTV_CONFIG_FILE"] = str(config)
    share_cores(settings, workers)
    if settings.database_url is None:
        embedded = EmbeddedPostgres(settings.data_dir)
        os.environ["GTV_DATABASE_URL"] = embedded_url = embedded.start()
    try:
        url = embedded_url or (settings.database_url.get_secret_value()
                               if settings.database_url else "")  # fmt: skip
        _fit_pools(url, workers, settings.db_pool_size)
        uvicorn.run(
            "gtvision.services.api.app:app_from_environment",
            factory=True,
            workers=workers,
            **server,  # type: ignore[arg-type]
        )
    finally:
        if embedded is not None:
            embedded.stop()


def share_cores(settings: Settings, workers: int) -> None:
    """Each worker's plate reader gets its share of the cores, unless lpr_threads says: N
    OpenVINO readers each taking every core only contend."""
    if settings.lpr_threads == 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        os.environ["GTV_LPR_THREADS"] = str(max(1, (cores or 1) // workers))


def _fit_pools(url: str, workers: int, pool_size: int) -> None:
    """Each worker keeps its own pool: shrink them to what the database allows (a warning),
    or refuse to start where not even a small one fits (the message says what to change)."""
    from sqlalchemy.exc import SQLAlchemyError

    from gtvision.services.store.db import ConnectionBudgetError, pool_for_workers

    try:
        fits = asyncio.run(pool_for_workers(url, workers, pool_size))
    except ConnectionBudgetError as exc:
        raise SystemExit(f"gtvision-service: {exc}") from None
    except (OSError, SQLAlchemyError) as exc:  # down now: the workers retry as they always do
        log.warning("could not ask the database how many connections it allows (%s); each of "
                    "%d workers keeps a pool of %d", exc, workers, pool_size)  # fmt: skip
        return
    if fits < pool_size:
        log.warning(
            "database pool of each of %d workers cut from %d to %d connections: that is what "
            "the server's max_connections leaves", workers, pool_size, fits,
        )  # fmt: skip
        os.environ["GTV_DB_POOL_SIZE"] = str(fits)


async def _migrate(settings: Settings) -> None:
    from gtvision.services.runtime import open_runtime
    from gtvision.services.store import migrate

    async with open_runtime(settings) as runtime:
        print(f"database schema at revision {await migrate.current_revision(runtime.db)}")


async def _retention(settings: Settings) -> None:
    from gtvision.services.lpr import retention
    from gtvision.services.recordings import retention as recording_retention
    from gtvision.services.runtime import open_runtime

    async with open_runtime(settings) as runtime:
        report = await retention.enforce(runtime.db, runtime.objects)
        footage = await recording_retention.enforce(runtime.db, runtime.recordings, runtime.exports)
    print(
        f"partitions dropped: {', '.join(report.partitions_dropped) or 'none'}; "
        f"reads deleted: {report.detections_deleted}; images deleted: {report.images_deleted}; "
        f"alerts deleted: {report.alerts_deleted}; events deleted: {report.events_deleted}; "
        f"segments deleted: {footage.segments_deleted}; exports deleted: {footage.exports_deleted}"
    )


async def _create_tenant(settings: Settings, args: argparse.Namespace) -> None:
    from gtvision.services.runtime import open_runtime
    from gtvision.services.tenants.service import create_tenant

    data = TenantCreate(
        slug=args.slug, name=args.name, city=args.city, state=args.state, ibge_code=args.ibge_code
    )
    async with open_runtime(settings) as runtime:
        tenant = await create_tenant(_system_caller(runtime), data)
    print(json.dumps({"id": str(tenant.id), "slug": tenant.slug}))


async def _create_user(settings: Settings, args: argparse.Namespace) -> None:
    from gtvision.services.runtime import open_runtime
    from gtvision.services.tenants.service import tenant_by_slug
    from gtvision.services.users.service import create_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
    async with open_runtime(settings) as runtime:
        caller = _system_caller(runtime)
        tenant_id = None
        if args.tenant:
            tenant = await tenant_by_slug(caller, args.tenant)
            if tenant is None:
                raise SystemExit(f"error: no tenant with slug {args.tenant!r}")
            tenant_id = tenant.id
        data = UserCreate(
            username=args.username,
            password=SecretStr(password),
            role=Role(args.role),
            full_name=args.full_name,
            tenant_id=tenant_id,
        )
        user = await create_user(caller, data)
    print(json.dumps({"id": str(user.id), "username": user.username, "role": user.role}))


def _system_caller(runtime: Runtime) -> Caller:
    return Caller(principal=Principal.system(), source_ip="cli", runtime=runtime)


def _openapi(settings: Settings) -> None:
    from gtvision.services.api.app import create_app

    print(json.dumps(create_app(settings).openapi(), indent=2))


def _secret_file(settings: Settings) -> Path | None:
    from gtvision.services.auth.keys import KEY_FILE_NAME

    if settings.secret_key is not None:
        return None  # it lives in the environment: back it up where the environment is kept
    return settings.secret_key_file or settings.data_dir / KEY_FILE_NAME


def _database_url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


async def _backup(settings: Settings, folder: Path) -> None:
    from gtvision.services.runtime import open_runtime
    from gtvision.services.store import backup, migrate

    async with open_runtime(settings) as runtime:
        target = await asyncio.to_thread(
            backup.backup,
            _database_url(runtime.db),
            folder,
            secret_file=_secret_file(settings),
            schema_revision=await migrate.current_revision(runtime.db),
        )
    print(target)


async def _restore(settings: Settings, folder: Path, force: bool) -> None:
    from gtvision.services.runtime import open_database
    from gtvision.services.store import backup, migrate

    async with open_database(settings) as db:
        if await migrate.has_our_tables(db) and not force:
            raise SystemExit(
                "error: the database already holds GT-Vision data; restore with --force to "
                "replace it"
            )
        manifest = await asyncio.to_thread(
            backup.restore,
            _database_url(db),
            folder,
            secret_file=_secret_file(settings),
            force=force,
        )
        await migrate.upgrade(db)  # a backup from an older release is brought forward
    print(f"restored {folder} (schema {manifest.schema_revision}, made {manifest.created_at})")


def _mediamtx_config(settings: Settings, output: Path | None) -> None:
    from gtvision.services.media.config import render

    text = render(settings)
    if output is None:
        print(text, end="")
    else:
        output.write_text(text)


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
        match args.command:
            case "run":
                _run(settings, args.workers, args.config)
            case "migrate":
                asyncio.run(_migrate(settings))
            case "create-tenant":
                asyncio.run(_create_tenant(settings, args))
            case "create-user":
                asyncio.run(_create_user(settings, args))
            case "openapi":
                _openapi(settings)
            case "backup":
                asyncio.run(_backup(settings, args.folder))
            case "restore":
                asyncio.run(_restore(settings, args.folder, args.force))
            case "retention":
                asyncio.run(_retention(settings))
            case "mediamtx-config":
                _mediamtx_config(settings, args.output)
    except ValidationError as exc:
        raise SystemExit(f"error: {exc}") from None
    except ServiceError as exc:
        raise SystemExit(f"error: {exc.detail}") from None
    except BackupError as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
