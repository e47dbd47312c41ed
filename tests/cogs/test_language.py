"""A server whose language is German, through the real bot: the board and the step cards."""

from __future__ import annotations

from tests.conftest import World, find_message
from tests.responses import reply_to


def board_text(world: World) -> str:
    embed = find_message(world.channel, "Tuesday circle").embeds[0]
    parts = [embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


async def test_the_board_and_step_cards_follow_the_server_language(world: World) -> None:
    manager = world.manager()
    await manager.slash(world.channel, "setup language", language="de")
    await world.facilitator.slash(world.channel, "session start", title="Tuesday circle")
    text = board_text(world)
    assert "Drück auf **Beitreten**, um mitzumachen." in text
    assert "Gerade läuft keine Aktivität." in text
    assert "Deine Check-ins sind privat" in text
    assert "Press" not in text and "Activity" not in text

    ana = world.members[0]
    joined = await ana.click(find_message(world.channel, "Tuesday circle"), label="Beitreten")
    assert joined.ephemeral
    assert "Jetzt da (2): fran, ana" in board_text(world)

    await world.facilitator.slash(world.channel, "activity start", activity="opening-checkin")
    card = find_message(world.channel, "Wie kommst du heute an?").embeds[0]
    assert "Anfangsrunde" in (card.author.name or "")
    # The question is drawn from a pool: whichever wording, it is the German one.
    german = ("Wie kommst du heute an?", "Von 0 bis 10", "Wo stehst du heute")
    assert any(words in (card.description or "") for words in german), card.description
    assert "es geht mir richtig schlecht" in (card.description or "")
    text = board_text(world)
    assert "**Anfangsrunde**" in text
    assert "Schritt 1 von 1: **Wie kommst du heute an?**" in text
    # A check-in: no exact count below three, in German.
    assert "bisher weniger als 3 Antworten" in text


async def test_rhyme_help_says_plainly_it_knows_only_english(world: World) -> None:
    manager = world.manager()
    await manager.slash(world.channel, "setup language", language="de")
    result = await world.members[0].slash(world.channel, "rhyme", word="Herz")
    assert result.ephemeral
    embed = reply_to(result).embeds[0]
    # The member's client is English (simcord's en-US), so the private reply is English.
    assert "Rhyme help knows English words only" in (embed.description or "")
    assert not embed.fields
