"""bot/ui/limits.py fits text to Discord's limits without losing it, and the suite's plugin
(tests/discord_limits.py) recognises a request Discord would refuse."""

from __future__ import annotations

import contextlib

import discord
import pytest
import simcord.http.router as router

from bot.ui import limits
from tests.discord_limits import LEDGER, check_commands, check_request

SENTENCE = "every voice in the room is welcome here tonight " * 200


def test_cut_ends_at_a_word_with_an_ellipsis() -> None:
    cut = limits.cut(SENTENCE, 45)
    assert len(cut) <= 45 and cut.endswith("…")
    assert SENTENCE.startswith(cut[:-1])
    assert cut[:-1].split()[-1] in SENTENCE.split()  # whole last word, not a piece of one
    assert limits.cut("short", 45) == "short"


def test_cut_inside_one_long_word_still_shows_the_cut() -> None:
    cut = limits.cut("x" * 300, 100)
    assert cut == "x" * 99 + "…"


def test_pieces_keep_every_character_of_the_text() -> None:
    parts = limits.pieces(SENTENCE, 2000)
    assert all(len(p) <= 2000 for p in parts)
    assert " ".join(parts).split() == SENTENCE.split()


def test_fit_message_keeps_the_total_and_moves_what_was_cut() -> None:
    embed = discord.Embed(title="T" * 300, description=SENTENCE[:4000])
    for n in range(30):
        embed.add_field(name=f"field {n}", value=SENTENCE[:1500], inline=False)
    fitted = limits.fit_message("c" * 2500, [embed, embed.copy()])
    assert fitted.content is not None and len(fitted.content) <= limits.CONTENT
    assert sum(limits.embed_length(e) for e in fitted.embeds) <= limits.EMBED_TOTAL
    for item in fitted.embeds:
        assert len(item.fields) <= limits.EMBED_FIELDS
        assert all(len(f.value or "") <= limits.FIELD_VALUE for f in item.fields)
    assert fitted.overflow and any(SENTENCE[:4000] in text for text in fitted.overflow)
    assert "c" * 2500 in fitted.overflow


def test_the_issue_example_is_fitted_under_six_thousand() -> None:
    """A listen card: 4,000-character framing, five 200-character questions, a 1,000-character
    credit: 6,170 characters in the embed before fitting."""
    embed = discord.Embed(title="🎧 Listen", description="f" * 4000)
    embed.add_field(name="Now", value="How was it? Tap a reaction, or Reflect.")
    embed.add_field(name="To reflect on", value="\n".join("• " + "q" * 198 for _ in range(5)))
    embed.add_field(name="Credit", value="c" * 1000)
    assert limits.embed_length(embed) > limits.EMBED_TOTAL
    fitted = limits.fit_message(None, [embed])
    assert limits.embed_length(fitted.embeds[0]) <= limits.EMBED_TOTAL
    assert "f" * 4000 in fitted.overflow


def test_the_plugin_flags_what_discord_would_refuse() -> None:
    too_long = {"content": "x" * 2001, "embeds": [{"description": "d" * 4097}]}
    found = check_request("POST", "/channels/1/messages", too_long, [])
    assert any("content: 2001 > 2000" in f for f in found)
    assert any("description: 4097 > 4096" in f for f in found)
    modal = {"type": 9, "data": {"title": "t" * 46, "custom_id": "c", "components": []}}
    assert check_request("POST", "/interactions/1/tok/callback", modal, []) == [
        "POST /interactions/1/tok/callback.title: 46 > 45"
    ]
    row = {"type": 1, "components": [{"type": 2, "label": "b" * 81, "custom_id": "x"}] * 6}
    found = check_request("PATCH", "/channels/1/messages/2", {"components": [row]}, [])
    assert any("components: 6 > 5" in f for f in found)
    assert any("label: 81 > 80" in f for f in found)
    event = {"name": "n" * 101, "description": "d" * 1001}
    assert len(check_request("POST", "/guilds/1/scheduled-events", event, [])) == 2
    choices = {"type": 8, "data": {"choices": [{"name": "n" * 101, "value": "v"}] * 26}}
    assert len(check_request("POST", "/interactions/1/tok/callback", choices, [])) == 27


def test_the_plugin_checks_the_command_tree() -> None:
    command = {
        "name": "c" * 33,
        "description": "d" * 101,
        "options": [{"name": "o", "description": "x", "type": 3}] * 26,
    }
    found = check_commands("PUT /applications/1/commands", [command])
    assert any(".name: 33 > 32" in f for f in found)
    assert any(".description: 101 > 100" in f for f in found)
    assert any(".options: 26 > 25" in f for f in found)


def test_a_request_over_a_limit_is_charged_to_the_test_that_sent_it(
    request: pytest.FixtureRequest,
) -> None:
    """The plugin's wrapper sits in simcord's HTTP chokepoint for the whole suite; the
    violation is recorded against this test (and removed again, so this test still passes)."""
    before = len(LEDGER.violations)
    with contextlib.suppress(AttributeError):  # no backend here: only the check matters
        # None for the backend on purpose: the check runs before the backend is touched.
        router.dispatch(None, "POST", "/channels/1/messages", json={"content": "x" * 2001})  # type: ignore[arg-type]
    recorded = LEDGER.violations[before:]
    del LEDGER.violations[before:]
    assert recorded == [(request.node.nodeid, "POST /channels/1/messages.content: 2001 > 2000")]


def test_a_long_reply_is_cut_at_a_word_and_attached_whole() -> None:
    shown, whole = limits.fit_content(SENTENCE, "full-text.txt")
    assert len(shown) <= limits.CONTENT and shown.endswith("…")
    assert whole is not None and whole.fp.read().decode() == SENTENCE
    assert whole.filename == "full-text.txt"
    assert limits.fit_content("short", "full-text.txt") == ("short", None)
