"""A step card's nonce: the same for every process posting that step, within Discord's 25."""

from __future__ import annotations

from dataclasses import replace

from bot.records.sessions import RunRecord
from bot.ui.posting import step_nonce

RUN = RunRecord(
    id=9_223_372_036_854_775_807,  # the largest BIGINT id
    session_id=1,
    activity_id="a",
    version_hash="h",
    definition="{}",
    step_index=31,
    step_started_at=4_102_444_800.123,  # 2100-01-01
    step_deadline=None,
    paused_remaining=None,
    step_message_id=None,
    step_state="{}",
    wake_at=None,
    state="running",
    started_at=0.0,
    ended_at=None,
)


def test_one_nonce_per_step_start_and_never_longer_than_discord_allows() -> None:
    small = replace(RUN, id=7, step_index=1, step_started_at=1_796_048_394.5)
    assert step_nonce(small) == step_nonce(replace(small, step_message_id=5, state="paused"))
    assert len({step_nonce(small), step_nonce(replace(small, step_index=2))}) == 2
    again = replace(small, step_started_at=small.step_started_at + 60)
    assert step_nonce(again) != step_nonce(small)  # the same step entered again later
    assert len(step_nonce(RUN)) <= 25
