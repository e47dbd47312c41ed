"""Prompt pools through the real bot: a channel sees every question of a pool before any comes
back, a restart shows the question drawn, and the facilitator's Another question (once a step)."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.conftest import World, find_message, open_session, restart
from tests.responses import reply_to

QUESTIONS = (
    "What sound stayed with you today?",
    "Which moment of this week would you like to keep?",
    "What would you like the group to know about today?",
)
GOODBYES = (
    "Thank you all; see you next week.",
    "Thank you for tonight; take care until next time.",
)


def card_text(message: discord.Message) -> str:
    return " ".join(e.description or "" for e in message.embeds)


def shown(message: discord.Message, texts: tuple[str, ...]) -> str:
    found = [t for t in texts if t in card_text(message)]
    assert len(found) == 1, card_text(message)
    return found[0]


def labels(message: discord.Message) -> list[str]:
    return [
        str(child.label)
        for row in message.components
        for child in getattr(row, "children", [])
        if isinstance(child, discord.Button)
    ]


async def start(world: World) -> discord.Message:
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-pools")
    assert "Starting" in reply_to(started).content, reply_to(started).content
    return find_message(world.channel, "Pooled reflection")


async def stop(world: World) -> None:
    stopped = await world.facilitator.click(find_message(world.channel, "Form night"), label="Stop")
    assert stopped.ephemeral, reply_to(stopped).content


async def test_a_channel_sees_every_question_before_one_comes_back(world: World) -> None:
    await open_session(world, "Form night", joining=world.members[:1])
    drawn = []
    for _ in range(len(QUESTIONS) + 1):
        drawn.append(shown(await start(world), QUESTIONS))
        await stop(world)
    assert sorted(drawn[:3]) == sorted(QUESTIONS), drawn
    assert drawn[3] != drawn[2], "the new round doesn't open with the question just asked"
    rows = await world.bot().store.db.fetch_all(
        "SELECT channel_id, alternative FROM pool_draws ORDER BY id", ()
    )
    assert [int(r[0]) for r in rows] == [world.channel.id] * 4
    assert [QUESTIONS[int(r[1])] for r in rows] == drawn


async def test_the_drawn_question_is_the_forms_label_and_survives_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await open_session(world, "Form night", joining=world.members[:1])
    question = shown(await start(world), QUESTIONS)
    bot = await restart(world, settings, catalog)
    run = await bot.runner.live_run((await bot.store.sessions.all_open())[0].id)
    assert run is not None and bot.runner.step(run).question == question
    ana = world.members[0]
    form = await ana.click(find_message(world.channel, "Pooled reflection"), label="Reflect")
    assert form.modal is not None and question in str(form.modal), form.modal
    moved = await world.facilitator.click(find_message(world.channel, "Form night"), label="Next")
    assert "Step 2" in reply_to(moved).content
    closed = find_message(world.channel, "Pooled reflection")
    assert question in card_text(closed), "the closed card keeps the question that was asked"
    shown(find_message(world.channel, "Pooled goodbye"), GOODBYES)


async def test_another_question_is_the_facilitators_once_per_step(world: World) -> None:
    await open_session(world, "Form night", joining=world.members[:1])
    card = await start(world)
    first = shown(card, QUESTIONS)
    assert "Another question" in labels(card)

    refused = await world.members[0].click(card, label="Another question")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    assert shown(find_message(world.channel, "Pooled reflection"), QUESTIONS) == first

    drawn = await world.facilitator.click(card, label="Another question")
    assert drawn.ephemeral and "Drawn another question" in reply_to(drawn).content
    card = find_message(world.channel, "Pooled reflection")
    second = shown(card, QUESTIONS)
    assert second != first
    assert "Another question" not in labels(card), "once per step: the button is gone"
    assert "Reflect" in labels(card)

    # A second press (an old copy of the card, or two quick clicks) is refused, privately.
    run = await world.bot().runner.live_run((await world.bot().store.sessions.all_open())[0].id)
    assert run is not None
    channel = world.bot().get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(label="Another question", custom_id=f"chorus:another:{run.id}:0")
    )
    old = await channel.send("an old copy of the card's button", view=view)
    again = await world.facilitator.click(old, label="Another question")
    assert again.ephemeral and "already drawn another question" in reply_to(again).content
    assert shown(find_message(world.channel, "Pooled reflection"), QUESTIONS) == second


async def test_the_daily_purge_trims_the_draw_history_past_retention(world: World) -> None:
    await open_session(world, "Form night", joining=world.members[:1])
    await start(world)
    await stop(world)
    bot = world.bot()
    # One draw from long ago (beyond the operator's 365 days) beside today's.
    old = bot.clock().timestamp() - 400 * 86400
    await bot.store.pool_draws.draw(
        guild_id=world.guild.id,
        channel_id=world.channel.id,
        pool_key="sha256:old",
        pick=lambda earlier: 0,
        now=old,
    )
    cog: Any = bot.get_cog("PrivacyCog")  # the daily purge, run now
    assert cog is not None
    await cog.purge()
    rows = await bot.store.db.fetch_all("SELECT pool_key, drawn_at FROM pool_draws", ())
    assert [str(r[0]) for r in rows] != [] and all(float(r[1]) > old for r in rows), rows
    assert "sha256:old" not in {str(r[0]) for r in rows}
