"""Logging: one JSON object per line when asked, and the token never appears."""

from __future__ import annotations

import json
import logging

from bot.logging_setup import JsonFormatter


def test_json_formatter_writes_one_object_per_record() -> None:
    record = logging.LogRecord(
        "chorus", logging.ERROR, __file__, 1, "unexpected error (code %s)", ("3f9a",), None
    )
    record.error_code = "3f9a"
    line = JsonFormatter().format(record)
    payload = json.loads(line)
    assert "\n" not in line
    assert payload["level"] == "ERROR" and payload["error_code"] == "3f9a"
    assert payload["message"] == "unexpected error (code 3f9a)"
