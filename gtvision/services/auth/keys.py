"""The master secret and the keys derived from it.

One secret (``GTV_SECRET_KEY``, a file, or one generated into the data dir on first start) is
stretched with HKDF into independent keys: one signs JWTs, one encrypts camera passwords at rest.
Rotating the secret therefore logs everyone out *and* needs camera passwords re-entered; that is
why the generated key file is kept with the data and included in backups.
"""

from __future__ import annotations

import base64
import os
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gtvision.services.settings import Settings

KEY_FILE_NAME = "secret.key"


class SecretUnreadableError(ValueError):
    """A stored camera secret cannot be decrypted with the current master key."""


UNREADABLE_SECRET = (
    "the stored camera password cannot be decrypted with this server's key "  # noqa: S105
    "(was the secret key changed?): enter the camera's password again"
)


def load_master_secret(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = settings.secret_key_file or settings.data_dir / KEY_FILE_NAME
    if not path.exists():
        if settings.secret_key_file is not None:
            raise FileNotFoundError(f"secret key file not found: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
    secret = path.read_text().strip().encode()
    if len(secret) < 32:
        raise ValueError(f"secret key in {path} is shorter than 32 characters")
    return secret


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


class Keys:
    """The derived keys; built once per process."""

    def __init__(self, master_secret: bytes) -> None:
        self.jwt_key = _derive(master_secret, b"gtvision/jwt/v1")
        self.stream_key = _derive(master_secret, b"gtvision/stream/v1")
        self.object_url_key = _derive(master_secret, b"gtvision/object-url/v1")
        # What the service presents to MediaMTX's Control API, and what our auth hook accepts
        # for the ``api`` action: the same on every instance sharing the secret.
        self.mediamtx_api_token = base64.urlsafe_b64encode(
            _derive(master_secret, b"gtvision/mediamtx-api/v1")
        ).decode()
        self._fernet = Fernet(
            base64.urlsafe_b64encode(_derive(master_secret, b"gtvision/at-rest/v1"))
        )

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as exc:
            raise SecretUnreadableError("stored secret was encrypted with another key") from exc
