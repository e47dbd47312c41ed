"""Everyone's shared words are shown in full, within Discord's message limits."""

from __future__ import annotations

from bot.ui.steps.reflect import QUOTE_MAX, quote_block, shared_words_messages


def test_many_long_shares_are_split_not_cut() -> None:
    quotes = [quote_block(f"member {i} says " + "x" * 700, f"Name{i}") for i in range(30)]
    messages = shared_words_messages("What we shared", quotes)
    assert len(messages) > 1
    shown = "\n".join(e.description or "" for m in messages for e in m.all_embeds)
    for i in range(30):
        assert f"member {i} says" in shown and f"— Name{i}" in shown
    for message in messages:
        embeds = message.all_embeds
        assert 1 <= len(embeds) <= 10
        assert sum(len(e.description or "") + len(e.title or "") for e in embeds) <= 6000
        assert all(len(e.description or "") <= 4096 for e in embeds)
    assert messages[0].all_embeds[0].title == "What we shared"


def test_long_words_are_visibly_shortened_and_multiline_quoted() -> None:
    block = quote_block("first line\nsecond line " + "y" * 2000, "Ana")
    assert block.startswith("> first line\n> second line")
    assert block.endswith("…\n— Ana")
    assert len(block) <= QUOTE_MAX + 20


def test_nothing_shared_posts_nothing() -> None:
    assert shared_words_messages("What we shared", []) == []
