"""Group figures are counted from what is stored when they are shown: after a member forgets
(or leaves the server, or a nomination is withdrawn, or a line removed), every count, mean and
chart shown afterwards comes from what remains, and is hidden when fewer than 3 people remain
behind it."""

from __future__ import annotations

import discord
import pytest
from simcord.actors import MemberActor

from tests.cogs.test_checkins import public_text
from tests.cogs.test_privacy_scan import click_agreeing, forget, write_line
from tests.conftest import World, find_message
from tests.responses import fields_of, reply_to


def text_of(message: discord.Message) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


def more(world: World, *names: str) -> list[MemberActor]:
    return [world.guild.add_member(world.env.create_user(name)) for name in names]


async def open_circle(world: World, people: list[MemberActor], title: str = "Circle") -> None:
    result = await world.facilitator.slash(world.channel, "session start", title=title)
    assert result.ephemeral
    await world.facilitator.slash(world.channel, "session leave")  # they hold the space
    for person in people:
        await person.slash(world.channel, "session join")


async def next_step(world: World) -> None:
    moved = await world.facilitator.slash(world.channel, "activity next")
    assert moved.ephemeral, reply_to(moved).content


async def test_reactions_votes_and_vote_choices_are_counted_from_what_remains(
    world: World,
) -> None:
    ana, ben, cai = world.members
    dee, eli = more(world, "dee", "eli")
    await open_circle(world, [ana, ben, cai, dee, eli])
    started = await world.facilitator.slash(
        world.channel, "activity start", activity="test-privacy-figures"
    )
    assert "Starting" in reply_to(started).content

    # Three react; one of them forgets before the step closes: two remain, fewer than 3.
    await world.env.advance_time(31)  # countdown and piece are over: reactions are open
    card = find_message(world.channel, "G listen")
    for person, label in ((ana, "calm"), (ben, "calm"), (cai, "moved")):
        await person.click(card, label=label)
    await forget(world, ana)
    await next_step(world)
    heard = text_of(find_message(world.channel, "How the group heard"))
    assert "2 reactions: fewer than 3, so counts aren't shown" in heard, heard
    assert "calm **" not in heard and "moved **" not in heard

    # Four vote; one forgets: the tally is of the three votes that remain.
    vote = find_message(world.channel, "G vote")
    for person, key in ((ben, "o0"), (cai, "o1"), (dee, "o1"), (eli, "o1")):
        result = await person.select(vote, [key])
        assert "Your vote is" in reply_to(result).content, reply_to(result).content
    await forget(world, cai)
    await next_step(world)
    closed = text_of(find_message(world.channel, "G vote"))
    assert "Morning — 1 vote" in closed and "Evening — 2 votes" in closed, closed
    chosen = text_of(find_message(world.channel, "The group chose"))
    assert "Evening" in chosen and "With 2 votes." in chosen, chosen

    # A song: a removed line is no choice in the vote on its lines; a forgotten writer's line
    # stays in the group's song (without their name), so it stays a choice.
    sheet = find_message(world.channel, "G song")
    for person, words in ((ben, "ben sees the door"), (dee, "dee hears the rain")):
        await write_line(person, sheet, words)
    await write_line(eli, sheet, "eli wrote something unkind")
    removed = await world.facilitator.slash(world.channel, "song remove", line_number=3)
    assert "removed" in (reply_to(removed).content or "").lower(), reply_to(removed).content
    await write_line(eli, sheet, "eli finds the key")
    await write_line(ben, sheet, "ben comes home")
    await forget(world, dee)
    await next_step(world)
    best = text_of(find_message(world.channel, "G best line"))
    assert "something unkind" not in best, best
    assert "dee hears the rain" in best and "eli finds the key" in best, best


@pytest.mark.parametrize("how", ["forget", "left the server"])
async def test_mood_participation_and_goal_figures_are_recounted(world: World, how: str) -> None:
    """Three pair before and after and rate their goals; the summary shows the figures. One of
    them forgets (or leaves the server and is purged after the grace period): from then on
    the report, the trends and the summary of a session show only what remains, hidden below 3."""
    ana, ben, cai = world.members
    for person in (ana, ben, cai):
        saved = await person.slash(world.channel, "goal set", text=f"goal of {person.name}")
        if reply_to(saved).embeds:
            saved = await person.click(reply_to(saved).message, label="Agree")
        assert "Your goal is saved" in (reply_to(saved).content or ""), reply_to(saved).content
    await open_circle(world, [ana, ben, cai], "Tuesday circle")
    await world.facilitator.slash(world.channel, "activity start", activity="test-checkin-pair")
    for step, values in (("Arriving", ("3", "4", "5")), ("Leaving", ("6", "7", "8"))):
        for person, value in zip((ana, ben, cai), values, strict=True):
            content = await click_agreeing(person, find_message(world.channel, step), value)
            assert "Your answer is saved" in content, content
    await world.facilitator.slash(world.channel, "activity start", activity="test-goal-step")
    for person in (ana, ben, cai):
        await person.click(find_message(world.channel, "Your goals today"), label="Rate my goals")
        prompt = [
            m
            for m in world.channel.history(viewer=person)
            if m.flags.ephemeral and "How did today go for" in (m.content or "")
        ][-1]
        await person.click(prompt, label="4 · Good")

    report = await world.facilitator.slash(world.channel, "session report", session=1)
    fields = fields_of(reply_to(report).embeds[0])
    assert "Mean shift **+3.0** points across 3 people" in fields["Mood shift (mood, 0-10)"]
    assert "Arriving: 3" in fields["Participation per step"], fields

    if how == "forget":
        await forget(world, ana)
    else:
        world.guild.remove_member(ana)
        await world.env.settle()
        await world.env.advance_time(31 * 86400)
        member = await world.bot().store.members.get(world.guild.id, ana.id)
        assert member is None, "the purge should have forgotten ana"

    ended = await world.facilitator.slash(world.channel, "session end")
    summary = fields_of(reply_to(ended).embeds[0])
    assert "fewer than 3 people" in summary["Mood shift (mood, 0-10)"], summary
    assert "Fewer than 3 members here have personal goals" in summary["Personal goals"], summary
    assert "check-ins from fewer than 3 people" in summary["Contributions"], summary
    assert "goal-step answers from fewer than 3 people" in summary["Contributions"], summary
    # fran (who opened it), ben and cai: ana no longer counts.
    assert summary["Attendance"] == "3 people", summary

    report = await world.facilitator.slash(world.channel, "session report", session=1)
    fields = fields_of(reply_to(report).embeds[0])
    assert "Too few answers" in fields["Mood shift (mood, 0-10)"], fields
    assert "Arriving: fewer than 3" in fields["Participation per step"], fields
    assert "Leaving: fewer than 3" in fields["Participation per step"], fields
    assert "+3.0" not in str(fields)
    trends = await world.facilitator.slash(world.channel, "group trends", weeks=8)
    described = reply_to(trends).embeds[0].description or ""
    assert "mood shift not shown" in described, described
    assert "goal of ana" not in public_text(world)


async def test_votes_for_a_withdrawn_nomination_no_longer_count(world: World) -> None:
    ana, ben, cai = world.members
    (dee,) = more(world, "dee")
    await open_circle(world, [ana, ben, cai, dee])
    for person in (ana, ben):
        added = await person.slash(
            world.channel, "listen suggest", title=f"Song of {person.name}", artist="Someone"
        )
        assert "Added **" in reply_to(added).content, reply_to(added).content
    first, second = await world.bot().store.media.playlist(1)
    await world.facilitator.slash(world.channel, "activity start", activity="test-privacy-playlist")
    await next_step(world)
    vote = find_message(world.channel, "Choose together")
    for person, choice in ((ben, first), (cai, first), (dee, second)):
        result = await person.select(vote, [f"n{choice.id}"])
        assert "Your vote is" in reply_to(result).content, reply_to(result).content
    removed = await world.facilitator.slash(world.channel, "listen remove", entry=first.id)
    assert "Removed **Song of ana**" in reply_to(removed).content, reply_to(removed).content
    await next_step(world)
    closed = text_of(find_message(world.channel, "Choose together"))
    assert "Song of ana" not in closed, closed
    assert "Only one person voted (fewer than 3), so the counts aren't shown." in closed, closed
    chosen = text_of(find_message(world.channel, "The group chose"))
    assert "Song of ben" in chosen and "Only one person voted" in chosen, chosen


async def test_a_piece_playing_when_its_suggester_forgets_plays_on_without_credit(
    world: World,
) -> None:
    ana, ben, cai = world.members
    await open_circle(world, [ana, ben, cai])
    added = await ana.slash(
        world.channel, "listen suggest", title="Harvest Moon", artist="Someone",
        url="https://example.test/harvest",
    )  # fmt: skip
    assert "Added **" in reply_to(added).content
    added = await ben.slash(world.channel, "listen suggest", title="Blackbird", artist="Other")
    assert "Added **" in reply_to(added).content
    first, _ = await world.bot().store.media.playlist(1)
    await world.facilitator.slash(world.channel, "activity start", activity="test-privacy-playlist")
    await next_step(world)
    for person in (ana, ben):  # cai doesn't vote, so the facilitator moves on
        await person.select(find_message(world.channel, "Choose together"), [f"n{first.id}"])
    await next_step(world)
    card = text_of(find_message(world.channel, "The group's choice"))
    assert "Harvest Moon" in card and "Suggested by ana" in card, card
    await world.env.advance_time(31)  # the countdown is over: it is playing

    await forget(world, ana)
    card = text_of(find_message(world.channel, "The group's choice"))
    assert "Harvest Moon" in card and "Suggested by" not in card, card  # drawn again
    await next_step(world)
    closed = text_of(find_message(world.channel, "The group's choice"))
    assert "Harvest Moon" in closed and "Blackbird" not in closed, closed
    assert "ana" not in closed, closed
    plays = await world.bot().store.media.plays(1)
    assert [p.title for p in plays] == ["Harvest Moon"]


async def test_an_open_vote_is_drawn_again_without_a_forgotten_members_song(
    world: World,
) -> None:
    ana, ben, cai = world.members
    await open_circle(world, [ana, ben, cai])
    for person, title in ((ana, "Harvest Moon"), (ben, "Blackbird")):
        added = await person.slash(world.channel, "listen suggest", title=title, artist="X")
        assert "Added **" in reply_to(added).content
    await world.facilitator.slash(world.channel, "activity start", activity="test-privacy-playlist")
    await next_step(world)
    vote = find_message(world.channel, "Choose together")
    assert "Harvest Moon" in text_of(vote) and "Blackbird" in text_of(vote)

    await forget(world, ana)
    vote = find_message(world.channel, "Choose together")
    assert "Harvest Moon" not in text_of(vote) and "Blackbird" in text_of(vote), text_of(vote)
    options = [
        option.label
        for row in vote.components
        for child in getattr(row, "children", [])
        for option in getattr(child, "options", [])
    ]
    assert options and not any("Harvest Moon" in label for label in options), options
