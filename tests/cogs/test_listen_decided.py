"""A `from_vote` listen step's piece is decided once, when the step starts, and kept in the run's
step state: the card and /listen name the same piece after a /forget changes the votes, after
a restart, and a state stored before the key existed decides it on first need."""

from __future__ import annotations

import discord

from bot.core.activities import Catalog
from bot.core.step_state import StepState
from bot.core.steps.listen import ListenState
from bot.records.sessions import RunRecord
from bot.settings import Settings
from tests.cogs.test_listen_cog import card_text, next_step, open_session, start
from tests.conftest import World, find_message, restart
from tests.responses import reply_to


async def _voted(world: World, activity: str) -> list[int]:
    """Ana's Harvest Moon and Ben's Blackbird on the playlist; `activity` started and moved on
    to its vote (step 2), where each votes for their own (a tie, which the earliest nomination
    wins: Harvest Moon). The nominations' ids."""
    ana, ben = world.members[:2]
    await open_session(world)
    for who, title in ((ana, "Harvest Moon"), (ben, "Blackbird")):
        added = await who.slash(
            world.channel,
            "listen suggest",
            title=title,
            artist="Someone",
            url=f"https://example.test/{title.split()[0].lower()}",
        )
        assert "Added **" in reply_to(added).content
    nominations = await world.bot().store.media.playlist(1)
    await start(world, activity)
    assert "Step 2 of 4" in await next_step(world)
    vote = find_message(world.channel, "Choose together")
    await ana.select(vote, [f"n{nominations[0].id}"])
    await ben.select(vote, [f"n{nominations[1].id}"])
    return [n.id for n in nominations]


async def _voted_and_listening(world: World) -> list[int]:
    """`_voted` in group-playlist, whose vote ends after 2 minutes; the listen step has
    started and its countdown ended. The nominations' ids."""
    nominations = await _voted(world, "group-playlist")
    await world.env.advance_time(121)
    assert "Harvest Moon" in card_text(find_message(world.channel, "The group's choice"))
    await world.env.advance_time(10)  # past the countdown: a link plays on the card
    return nominations


async def _run(world: World) -> RunRecord:
    run = await world.bot().store.runs.live_for_session(1)
    assert run is not None
    return run


async def _now_playing(world: World) -> str:
    asked = await world.facilitator.slash(world.channel, "listen now")
    return reply_to(asked).content


def _card(world: World) -> str:
    return card_text(find_message(world.channel, "The group's choice"))


async def _redrawn_card(world: World) -> str:
    """The card after Cai's reaction (which redraws it from the store)."""
    cai = world.members[2]
    reacted = await cai.click(find_message(world.channel, "The group's choice"), label="moved")
    assert reacted.ephemeral
    return _card(world)


async def test_the_piece_is_stored_when_the_step_starts(world: World) -> None:
    nominations = await _voted_and_listening(world)
    piece = StepState.of(await _run(world)).kind(ListenState).piece
    assert piece is not None
    assert piece["title"] == "Harvest Moon" and piece["nomination_id"] == nominations[0]
    # The suggester is kept by id, never by name: /forget's scrub of ids takes the credit too.
    assert piece["credit"] is None and piece["suggested_by"] == world.members[0].id
    assert "Suggested by ana" in _card(world)


async def test_a_forget_after_the_start_keeps_the_piece_everywhere(world: World) -> None:
    await _voted_and_listening(world)
    ana = world.members[0]
    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    # Her vote and nomination are gone: the votes now would pick Blackbird.
    run = await _run(world)
    votes = await world.bot().store.contributions.for_step(run.id, 1)
    assert [c.author_id for c in votes] == [world.members[1].id]
    assert "Harvest Moon" in await _now_playing(world)
    card = await _redrawn_card(world)
    assert "Harvest Moon" in card and "Blackbird" not in card
    assert "ana" not in card  # her credit went with her data
    piece = StepState.of(await _run(world)).kind(ListenState).piece
    assert piece is not None and piece["title"] == "Harvest Moon"
    assert piece["suggested_by"] is None
    assert "Harvest Moon" in await _now_playing(world)


async def test_a_restart_mid_step_keeps_the_piece(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await _voted_and_listening(world)
    await restart(world, settings, catalog)
    # The new process has only the store: after Ana's /forget the votes now would pick
    # Blackbird, the stored decision still says Harvest Moon.
    ana = world.members[0]
    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    assert "Harvest Moon" in await _now_playing(world)
    card = await _redrawn_card(world)
    assert "Harvest Moon" in card and "Blackbird" not in card


async def test_a_state_stored_before_the_key_decides_on_first_need(world: World) -> None:
    """A run whose step state has no `piece` (stored by an earlier version) reads: the piece is
    worked out from the votes as before, then stored."""
    await _voted_and_listening(world)
    bot = world.bot()
    run = await _run(world)
    older = StepState.of(run).without("piece")
    updated = await bot.store.runs.update(run.id, run.step_index, step_state=older.text())
    assert updated is not None
    assert StepState.of(await _run(world)).kind(ListenState).piece is None
    assert "Harvest Moon" in await _now_playing(world)
    piece = StepState.of(await _run(world)).kind(ListenState).piece
    assert piece is not None and piece["title"] == "Harvest Moon"
    assert isinstance(find_message(world.channel, "The group's choice"), discord.Message)


async def test_a_forget_during_the_countdown_keeps_the_piece_and_its_start(world: World) -> None:
    """/forget while the countdown runs: the piece decided as the step started stays (without
    the forgotten suggester's name), the countdown ends at the second the card announced, and
    the play is recorded. (Before, the play was recorded with her nomination's id, which
    /forget had deleted: the foreign key refused it, so the countdown's wake failed, the card
    stayed on "starts" and the run timer retried every 5 s: simcord's "did not settle".)

    The countdown here is 30 s: under simcord 3.2.1 a timer due within its 5 s settle window
    keeps a wall-clock fallback that any operation begun meanwhile waits for, and a 5 s
    countdown armed as the step starts fires at the very end of the next operation's window,
    leaving the wake no time (any command right after the step starts, /listen now too)."""
    await _voted(world, "test-privacy-playlist")
    assert "Step 3 of 4" in await next_step(world)
    starts = int(world.bot().clock().timestamp() + 30)
    assert f"starts <t:{starts}:R>" in _card(world) and "Suggested by ana" in _card(world)
    await world.env.advance_time(10)
    ana = world.members[0]
    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    card = _card(world)
    assert "Harvest Moon" in card and "ana" not in card
    assert f"starts <t:{starts}:R>" in card  # the countdown didn't move
    run = await _run(world)
    assert run.wake_at is not None and int(run.wake_at) == starts
    await world.env.advance_time(21)
    card = _card(world)
    assert "Harvest Moon" in card and "How was it?" in card
    assert "Harvest Moon" in await _now_playing(world)
    plays = await world.bot().store.media.plays(1)
    assert [(p.title, p.nomination_id, p.mode) for p in plays] == [("Harvest Moon", None, "link")]
