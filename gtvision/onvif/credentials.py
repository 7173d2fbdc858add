"""Camera credentials in the operating system's keyring (service name ``gtvision``).

Workstations get the desktop's keyring (Secret Service, macOS Keychain, Windows Credential
Locker) through ``keyring``. Headless servers and CI have none: install ``keyrings.alt`` and
set ``PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring`` (asks for a master
password) or ``…PlaintextKeyring`` (a file readable by the user only; for CI). The service
itself does not use this: it keeps camera passwords encrypted in PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "gtvision"


@dataclass(frozen=True, slots=True)
class CameraCredentials:
    username: str
    password: str


class CredentialStoreError(RuntimeError):
    """No usable keyring (a headless machine without a backend configured)."""


class CredentialStore:
    """Credentials keyed by camera address (``host:port``)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()

    def save(self, address: str, credentials: CameraCredentials) -> None:
        value = json.dumps({"username": credentials.username, "password": credentials.password})
        try:
            self._backend.set_password(SERVICE, address, value)
        except KeyringError as exc:
            raise CredentialStoreError(f"cannot store credentials: {exc}") from exc

    def load(self, address: str) -> CameraCredentials | None:
        try:
            value = self._backend.get_password(SERVICE, address)
        except KeyringError as exc:
            raise CredentialStoreError(f"cannot read credentials: {exc}") from exc
        if value is None:
            return None
        data = json.loads(value)
        return CameraCredentials(str(data["username"]), str(data["password"]))

    def delete(self, address: str) -> bool:
        try:
            self._backend.delete_password(SERVICE, address)
        except PasswordDeleteError:
            return False
        return True
