"""A `pool:` inside a listen step through the real bot: the card, the credit, the reflection
form and the piece the listening service resolves from a vote show the alternatives drawn,
never the first ones of the stored definition."""

from __future__ import annotations

from bot.core.activities import Catalog
from bot.core.pools import pool_key, pooled_fields
from tests.cogs.test_listen_cog import card_text, open_session, start
from tests.conftest import World, find_message


async def test_a_listen_step_shows_its_drawn_alternatives(world: World, catalog: Catalog) -> None:
    bot = world.bot()
    await open_session(world)
    # This channel heard every first alternative already: the draws are the second ones.
    activity = catalog.get("test-listen-pool")
    assert activity is not None
    pools = [p for step in activity.steps for p in pooled_fields(step).values()]
    for pool in pools:
        await bot.store.pool_draws.draw(
            guild_id=world.guild.id,
            channel_id=world.channel.id,
            pool_key=pool_key(pool),
            pick=lambda earlier: 0,
            now=bot.clock().timestamp() - 60,
        )
    await start(world, "test-listen-pool")
    await world.env.advance_time(71)  # the countdown and the piece are over: reflections
    card = find_message(world.channel, "Pooled piece")
    text = card_text(card)
    for shown in ("Second framing.", "Second card.", "Second credit."):
        assert shown in text, text
    assert "First" not in text, text
    form = await world.members[0].click(card, label="Reflect")
    assert form.modal is not None and "Second question?" in str(form.modal), form.modal
    # The piece the vote chose is resolved by the listening service: its credit as drawn too.
    await world.facilitator.click(find_message(world.channel, "Listening circle"), label="Next")
    vote = find_message(world.channel, "Pick a piece")
    for member in world.members:
        await member.select(vote, ["o0"])
    await world.facilitator.click(find_message(world.channel, "Listening circle"), label="Next")
    chosen = card_text(find_message(world.channel, "The chosen piece"))
    assert "Morning" in chosen and "Second morning credit." in chosen, chosen
    assert "First" not in chosen, chosen
