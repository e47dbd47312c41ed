"""The session records every layer shares: a session whose facilitator used /forget has none,
and a run is live while it runs or is paused."""

from __future__ import annotations

from dataclasses import replace

from bot.records.sessions import NO_FACILITATOR, SessionRecord
from tests.ui.test_templates import run


def test_a_session_has_a_facilitator_until_they_are_forgotten() -> None:
    session = SessionRecord(
        id=1,
        guild_id=1,
        channel_id=2,
        voice_channel_id=None,
        title="Circle",
        facilitator_id=9,
        board_message_id=None,
        status="open",
        started_at=0.0,
        ended_at=None,
    )
    assert session.has_facilitator
    assert not replace(session, facilitator_id=NO_FACILITATOR).has_facilitator


def test_a_run_is_live_while_running_or_paused() -> None:
    assert run(0).live and run(0, state="paused").live
    assert not run(0, state="finished").live and not run(0, state="stopped").live
