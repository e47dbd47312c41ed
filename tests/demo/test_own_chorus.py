"""The server's own Chorus in the demo (bot/demo/own_chorus.py): the facilitator's activity file
with its two mistakes, and the stage run in the simulated server with its three pictures."""

from __future__ import annotations

from simcord.actors import MemberActor

from bot.demo.own_chorus import BROKEN_ACTIVITY, OWN_WORDS, show_own_chorus
from bot.demo.world import DemoWorld


def test_the_broken_file_has_an_open_tag_list_and_a_length_in_words() -> None:
    assert set(OWN_WORDS) == {"en", "de", "es"}
    for words in OWN_WORDS.values():
        broken = words.broken_file()
        assert broken == BROKEN_ACTIVITY.format(words=words)
        assert f"tags: [{words.tags}\n" in broken
        assert f"duration_minutes: {words.minutes_in_words}\n" in broken
        assert f"id: {words.file_id}\n" in broken and f"title: {words.breathing}\n" in broken


async def test_the_stage_is_photographed_as_the_facilitator_sees_it(world: DemoWorld) -> None:
    shots: list[tuple[str, MemberActor | None]] = []

    async def shoot(name: str, viewer: MemberActor | None) -> None:
        shots.append((name, viewer))

    await show_own_chorus(world, shoot)
    assert shots == [
        ("09-setup-support", world.facilitator),
        ("10-upload-errors", world.facilitator),
        ("11-activity-new", world.facilitator),
    ]
    private = [m for m in world.channel.history(viewer=world.facilitator) if m.flags.ephemeral]
    texts = " ".join(
        f"{m.content} " + " ".join(f"{e.title} {e.description}" for e in m.embeds) for m in private
    )
    assert OWN_WORDS["en"].file_id in texts and "Our opening" in texts, texts
    # The draft begun in the builder holds the breathing step the facilitator added.
    assert "Slow breathing" in texts, texts
