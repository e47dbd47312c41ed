"""Logging configured once: readable lines by default, or one JSON object per line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal

import discord


class JsonFormatter(logging.Formatter):
    """One JSON object per record, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        """One JSON object per line: time (ISO 8601, UTC), level, logger, message, `error_code` when
        the record has one, and the exception's traceback when there is one."""
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("error_code",):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(level: str, fmt: Literal["human", "json"]) -> None:
    """Install one root handler; discord.py's own loggers flow through it."""
    handler = logging.StreamHandler()
    if fmt == "json":
        # The formatter must be passed in: setup_logging replaces the handler's own otherwise.
        discord.utils.setup_logging(
            handler=handler, formatter=JsonFormatter(), level=getattr(logging, level), root=True
        )
    else:
        discord.utils.setup_logging(level=getattr(logging, level), root=True)
