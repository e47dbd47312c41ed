"""Posting a session's messages: a step card's nonce is the same for every process posting that
step (within Discord's 25 characters); a message's name reads in English for the log and in the
server's language for the facilitator; a refused payload's shorter form keeps its whole text."""

from __future__ import annotations

from dataclasses import replace

import discord

from bot.records.sessions import RunRecord
from bot.ui.posting import MessageName, shortened, step_card, step_nonce
from bot.ui.steps.base import MessagePayload

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


def test_a_message_name_fills_in_the_step_kind_for_the_log_and_the_facilitator() -> None:
    card = step_card("vote")
    assert card.english() == "the vote step card"
    assert card.worded("de") == "die Schrittkarte (vote)"
    board = MessageName("the session board")
    assert (board.english(), board.worded("de")) == ("the session board", "die Sitzungsübersicht")


def test_the_shortened_retry_cuts_every_embed_and_attaches_the_whole_text() -> None:
    long = discord.Embed(title="T" * 256, description="word " * 800)
    for number in range(25):
        long.add_field(name=f"field {number}", value="v" * 1024)
    small = shortened(MessagePayload(content="c" * 2000, embeds=(long,) * 4), "en")
    assert len(small.embeds) == 3 and small.content is not None and len(small.content) <= 1500
    for embed in small.embeds:
        assert len(embed.description or "") <= 1500 and len(embed.fields) == 10
    [attached] = small.files
    whole = attached.fp.read().decode("utf-8")
    assert whole.count("word") == 3 * 800 and "field 24" in whole
