"""Discord's answers in log lines: `http_error` and `log_refused`, which the cogs use where a
post, an edit or a DM was refused and nothing else is to be done."""

from __future__ import annotations

import logging

import discord
import pytest

from bot.ui.errors import http_error, log_refused


class _Refusal:
    """What discord.py reads from the HTTP response of a refused request (aiohttp's)."""

    status = 403
    reason = "Forbidden"


def test_a_refused_request_is_one_warning_naming_what_failed_then_discord_s_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = discord.Forbidden(_Refusal(), {"code": 50013, "message": "Missing Permissions"})
    assert http_error(refused) == "HTTP 403, Discord error 50013: Missing Permissions"
    log = logging.getLogger("chorus.test_errors")
    with caplog.at_level(logging.WARNING, logger="chorus.test_errors"):
        log_refused(log, refused, "could not post reminders in channel %s, %d not reminded", 7, 3)
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            logging.WARNING,
            "could not post reminders in channel 7, 3 not reminded "
            "(HTTP 403, Discord error 50013: Missing Permissions)",
        )
    ]
