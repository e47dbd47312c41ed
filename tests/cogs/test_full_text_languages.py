"""The overflow attachment in the session's language: a step card longer than Discord allows is
cut, and its whole text is attached under a name from the catalogue (`volltext.txt`,
`texto-completo.txt`), never the English `full-text.txt`, through the real bot."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import yaml

from bot.i18n import _
from bot.settings import Settings
from bot.ui.posting import shortened
from bot.ui.steps.base import MessagePayload
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import ROOT, World, find_message

FRAMING = "Hör genau hin. " * 266  # 3,990 characters: framing and card exceed an embed's 6,000
CARD = "Ein ruhiges Stück in C-Dur. " * 142

LONG_LISTEN = {
    "id": "test-long-listen",
    "title": "Lange Hörrunde",
    "summary": "A listen step whose card is longer than a Discord message.",
    "version": 1,
    "duration_minutes": 5,
    "tags": ["test"],
    "steps": [
        {
            "type": "listen",
            "title": "Langes Stück",
            "framing": FRAMING,
            "track": {
                "title": "Kleine Melodie",
                "artist": "Testband",
                "url": "https://example.test/tune.mp3",
                "duration": 20,
                "credit": "Aufgenommen im Probenraum. " * 37,
            },
            "countdown_seconds": 0,
            "text_card": CARD,
            "reflection": {
                "questions": [f"Frage {n}: " + "Was hast du gehört? " * 9 for n in range(5)]
            },
        }
    ],
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long-listen.yaml").write_text(yaml.safe_dump(LONG_LISTEN, allow_unicode=True))
    return Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", folder),
        media_dir=tmp_path / "media",
        board_edit_interval=0,
    )


@pytest.mark.parametrize(
    ("language", "name"), [("de", "volltext.txt"), ("es", "texto-completo.txt")]
)
async def test_a_card_too_long_for_discord_attaches_its_full_text_named_in_the_sessions_language(
    world: World, language: str, name: str
) -> None:
    await world.manager().slash(world.channel, "setup language", language=language)
    await open_session(world)
    await world.members[0].click(board(world), label=_("Join", language))
    await world.facilitator.slash(world.channel, "activity start", activity="test-long-listen")
    await world.env.advance_time(21)
    card = find_message(world.channel, "Langes Stück")
    names = [a.filename for a in card.attachments]
    assert name in names and "full-text.txt" not in names, names
    [attached] = [a for a in card.attachments if a.filename == name]
    whole = (await attached.read()).decode()
    assert FRAMING.strip() in whole


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "full-text.txt"), ("de", "volltext.txt"), ("es", "texto-completo.txt")],
)
def test_the_shortened_retry_names_its_attachment_in_the_channels_language(
    language: str, name: str
) -> None:
    long = discord.Embed(description="Wort " * 2000)
    [attached] = shortened(MessagePayload(embeds=(long,)), language).files
    assert attached.filename == name
