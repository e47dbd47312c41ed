"""A finished song as shown and exported: the Markdown and plain-text files say the same, the
file is named after the title, and the embed credits the writers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.lyrics import Credits
from bot.ui.lyrics import SongSheet
from bot.ui.songs import song_embed, song_file, song_markdown, song_text

SHEET = SongSheet(
    title="Rain on the Roof!",
    theme="home",
    sections=[("verse", ["Rain on the roof", "Tea in the pot"]), ("", ["And we stay"])],
    credits=Credits(named=(1, 2), group=True),
    names={1: "Ana", 2: "Ben"},
    song_id=7,
    written_at=datetime(2026, 3, 27, 18, 0, tzinfo=UTC).timestamp(),
)


def test_markdown_and_text_hold_the_same_lines_and_credits() -> None:
    markdown, text = song_markdown(SHEET, "en"), song_text(SHEET, "en")
    assert markdown.startswith("# Rain on the Roof!") and "## Verse" in markdown
    assert text.startswith("RAIN ON THE ROOF!") and "[Verse]" in text
    for both in (markdown, text):
        assert "Rain on the roof" in both and "And we stay" in both
        assert "Words by Ana, Ben and the group." in both
        assert "Written together in Chorus on 27 March 2026 (song #7)." in both


def test_the_file_is_named_after_the_title() -> None:
    assert song_file(SHEET, locale="en").filename == "rain-on-the-roof.md"
    assert song_file(SHEET, "text", locale="en").filename == "rain-on-the-roof.txt"


def test_the_embed_names_the_writers_and_points_to_the_export() -> None:
    embed = song_embed(SHEET, "en")
    assert embed.fields[0].value == "**Ana**, **Ben** and the group"
    assert embed.footer.text is not None and "/song export 7" in embed.footer.text
    empty = song_embed(SongSheet("", "", [], Credits((), False), {}, None), "en")
    assert empty.description is not None and "No lines were written" in empty.description
