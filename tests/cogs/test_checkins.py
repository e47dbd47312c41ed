"""Check-ins through simcord: answering, passing, consent, anonymity, care and the summary."""

from __future__ import annotations

from typing import Any

import discord
from simcord.actors import MemberActor

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.conftest import World, find_message, restart
from tests.responses import button_labels, fields_of, reply_to


async def open_and_join(world: World, *people: MemberActor) -> None:
    result = await world.facilitator.slash(world.channel, "session start", title="Tuesday circle")
    assert result.ephemeral
    for person in people:
        await person.slash(world.channel, "session join")


async def start(world: World, activity: str) -> None:
    result = await world.facilitator.slash(world.channel, "activity start", activity=activity)
    assert "Starting" in reply_to(result).content


async def agree(world: World, person: MemberActor, step_title: str, value: str) -> None:
    """First answer: the consent prompt appears; Agree saves consent and the pending answer."""
    shown = await person.click(find_message(world.channel, step_title), label=value)
    assert shown.ephemeral
    assert reply_to(shown).embeds[0].title == "Before your first check-in"
    saved = await person.click(reply_to(shown).message, label="Agree")
    assert "Your answer is saved" in reply_to(saved).content, reply_to(saved).content


async def rows(world: World, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await world.bot().store.db.fetch_all(sql, params)]


def public_text(world: World) -> str:
    parts = []
    for message in world.channel.history():
        parts.append(message.content or "")
        for embed in message.embeds:
            parts.append(embed.description or "")
            parts.extend(f"{f.name} {f.value}" for f in embed.fields)
    return "\n".join(parts)


async def test_before_after_pair_for_four_people_shows_the_mean_shift(world: World) -> None:
    ana, ben, cai = world.members
    people = [world.facilitator, ana, ben, cai]
    await open_and_join(world, ana, ben, cai)
    await start(world, "test-checkin-pair")
    for person, value in zip(people, ["3", "5", "6", "2"], strict=True):
        await agree(world, person, "Arriving", value)
    # Everyone answered: the auto step moved on to the after check-in by itself.
    leaving = find_message(world.channel, "Leaving")
    assert leaving.components, "the after check-in should be open"
    for person, value in zip(people, ["6", "5", "8", "1"], strict=True):
        result = await person.click(find_message(world.channel, "Leaving"), label=value)
        assert "Your answer is saved" in reply_to(result).content
    stored = await rows(world, "SELECT phase, value FROM checkins ORDER BY id")
    assert [v for p, v in stored if p == "before"] == [3, 5, 6, 2]
    assert [v for p, v in stored if p == "after"] == [6, 5, 8, 1]
    # No value ever travels in a contribution.
    payloads = await rows(world, "SELECT kind, payload FROM contributions")
    assert payloads and all(p == "{}" for _, p in payloads)

    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    shift = fields["Mood shift (mood, 0-10)"]
    # Shifts +3, 0, +2, -1: mean +1.0; 2 improved, 1 stayed, 1 dropped.
    assert "**+1.0**" in shift and "4 people" in shift
    assert "2 improved, 1 stayed the same, 1 dropped" in shift
    # Values never appear in public.
    assert "out of 10" not in public_text(world)


async def test_two_member_session_hides_group_figures(world: World) -> None:
    ana = world.members[0]
    await open_and_join(world, ana)
    await start(world, "test-checkin-pair")
    await agree(world, world.facilitator, "Arriving", "4")
    await agree(world, ana, "Arriving", "7")
    for person in (world.facilitator, ana):
        await person.click(find_message(world.channel, "Leaving"), label="8")
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    text = fields["Mood shift (mood, 0-10)"]
    assert "Too few answers to show group figures" in text
    assert "+" not in text and "improved" not in text


async def test_changing_an_answer_replaces_it_and_pass_is_recorded(world: World) -> None:
    ana, ben, cai = world.members
    await open_and_join(world, ana, ben, cai)  # cai stays quiet, so the step stays open
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "2")
    changed = await ana.click(find_message(world.channel, "Arriving"), label="6")
    assert "updated" in reply_to(changed).content and "6 out of 10" in reply_to(changed).content
    passed = await ben.click(find_message(world.channel, "Arriving"), label="Pass")
    assert passed.ephemeral and "passed" in reply_to(passed).content
    stored = await rows(world, "SELECT user_id, value, passed FROM checkins ORDER BY id")
    assert (ana.id, 6, 0) in stored
    # ben never consented: the pass is still counted, but nothing about mood is stored for him.
    kinds = await rows(world, "SELECT author_id, kind FROM contributions ORDER BY id")
    assert (ben.id, "pass") in kinds and (ana.id, "checkin") in kinds
    # A member who passes after answering keeps one contribution, not two.
    await ana.click(find_message(world.channel, "Arriving"), label="Pass")
    kinds = await rows(world, "SELECT kind FROM contributions WHERE author_id = ?", ana.id)
    assert kinds == [("pass",)]
    stored = await rows(world, "SELECT value, passed FROM checkins WHERE user_id = ?", ana.id)
    assert stored == [(None, 1)]
    # The board counts answers, never values.
    assert "out of 10" not in public_text(world)


async def test_consented_pass_is_stored_as_a_pass(world: World) -> None:
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)  # quiet never answers, so the step stays open
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "5")
    await ana.click(find_message(world.channel, "Arriving"), label="Pass")
    assert await rows(world, "SELECT value, passed FROM checkins") == [(None, 1)]


async def test_consent_refusal_stores_nothing_about_mood(world: World) -> None:
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)  # quiet never answers, so the step stays open
    await start(world, "test-checkin-pair")
    shown = await ana.click(find_message(world.channel, "Arriving"), label="3")
    description = reply_to(shown).embeds[0].description or ""
    # Short, about check-ins only, with commands a member can use (no file names).
    assert len(description) < 500, len(description)
    assert "/mydata" in description and "/forget" in description
    assert "who came" in description  # attendance is kept either way
    assert "goal" not in description.lower() and ".md" not in description
    refused = await ana.click(reply_to(shown).message, label="No thanks")
    assert "nothing about your mood was stored" in reply_to(refused).content
    assert await rows(world, "SELECT * FROM checkins") == []
    assert await rows(world, "SELECT consent FROM members WHERE user_id = ?", ana.id) == [
        ("declined",)
    ]
    # Still a participant: attendance is kept, as the explanation said.
    assert await rows(world, "SELECT user_id FROM attendance WHERE user_id = ?", ana.id)
    # Clicking a value again doesn't ask again: nothing is stored, and a small line says why.
    again = await ana.click(find_message(world.channel, "Arriving"), label="4")
    assert not reply_to(again).embeds
    assert "Saving is off for you (you chose No thanks)" in reply_to(again).content
    assert "/checkin consent" in reply_to(again).content
    assert await rows(world, "SELECT * FROM checkins") == []
    assert await rows(world, "SELECT kind FROM contributions WHERE author_id = ?", ana.id) == [
        ("pass",)
    ]
    # Nor with /checkin now.
    now = await ana.slash(world.channel, "checkin now")
    later = await ana.click(reply_to(now).message, label="6")
    assert "Saving is off for you" in (reply_to(later).message.content or "")
    assert await rows(world, "SELECT * FROM checkins") == []
    # /checkin consent shows the choice again; Agree turns saving on.
    asked = await ana.slash(world.channel, "checkin consent")
    assert asked.ephemeral
    assert "saving is **off**" in (reply_to(asked).embeds[0].description or "")
    turned = await ana.click(reply_to(asked).message, label="Agree")
    assert "saved from now on" in reply_to(turned).content
    saved = await ana.click(find_message(world.channel, "Arriving"), label="5")
    assert "Your answer is saved" in reply_to(saved).content
    assert await rows(world, "SELECT value FROM checkins") == [(5,)]


async def test_anonymous_step_stores_no_user_id(world: World) -> None:
    ana, ben = world.members[:2]
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-anon")
    faces = find_message(world.channel, "Faces")
    labels = button_labels(faces)
    assert labels == ["very low", "low", "okay", "good", "very good", "Pass"]
    # No consent needed: nothing links the answer to anyone.
    first = await ana.click(faces, label="good")
    assert "saved anonymously" in reply_to(first).content
    again = await ana.click(faces, label="okay")
    assert "already answered this anonymous step" in reply_to(again).content
    await ben.click(faces, label="very good")
    stored = await rows(world, "SELECT user_id, value, scale FROM checkins ORDER BY id")
    assert stored == [(None, 4, "1-5"), (None, 5, "1-5")]
    authors = await rows(world, "SELECT author_id FROM contributions")
    assert authors == [(None,), (None,)]


async def test_sam_asks_valence_then_energy(world: World) -> None:
    ana = world.members[0]
    await open_and_join(world, ana)
    await start(world, "test-checkin-anon")
    await world.facilitator.click(find_message(world.channel, "Tuesday circle"), label="Next")
    sam = find_message(world.channel, "Feeling and energy")
    first = await ana.click(sam, label="9 · very pleasant")
    assert "energy" in reply_to(first).content
    shown = await ana.click(reply_to(first).message, label="1 · very calm")
    assert reply_to(shown).embeds[0].title == "Before your first check-in"
    saved = await ana.click(reply_to(shown).message, label="Agree")
    assert (
        "feeling 9 of 9" in reply_to(saved).content and "energy 1 of 9" in reply_to(saved).content
    )
    assert await rows(world, "SELECT scale, value, value2 FROM checkins") == [("sam", 9, 1)]


async def test_low_score_shows_resources_only_to_that_member(world: World) -> None:
    ana, ben = world.members[:2]
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "1")
    care = [
        m
        for m in world.channel.history(viewer=ana)
        if m.embeds and "honest about how you are" in (m.embeds[0].title or "")
    ]
    assert len(care) == 1 and care[0].flags.ephemeral
    assert "findahelpline.com" in (care[0].embeds[0].description or "")
    # Nobody else sees it, and nothing about it is public.
    for viewer in (ben, world.facilitator):
        assert not any(
            "honest about how you are" in (e.title or "")
            for m in world.channel.history(viewer=viewer)
            if m.flags.ephemeral
            for e in m.embeds
        )
    assert "hard" not in public_text(world)
    # A 5 brings no such message.
    await agree(world, ben, "Arriving", "5")
    assert not any(
        "honest about how you are" in (e.title or "")
        for m in world.channel.history(viewer=ben)
        for e in m.embeds
    )
    # The facilitator hears only if ana asks, by DM, without the value.
    told = await ana.click(care[0], label="Let the facilitator know")
    assert "privately" in reply_to(told).content
    dms = world.facilitator.user.dm_channel.history()
    assert dms and "finding things hard" in (dms[-1].content or "")
    assert "1" not in (dms[-1].content or "").replace(str(ana.id), "")
    assert "hard" not in public_text(world)


async def test_note_and_share(world: World) -> None:
    ana, ben = world.members[:2]
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "7")
    assert ben.id != ana.id
    reply = [
        m
        for m in world.channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    shown = await ana.click(reply, label="Add a note")
    assert shown.modal is not None
    noted = await ana.submit_modal(shown, {"note": "tired but here"})
    assert "note is saved" in reply_to(noted).content
    assert await rows(world, "SELECT note, shared FROM checkins") == [("tired but here", 0)]
    assert "tired but here" not in public_text(world)
    shared = await ana.click(reply, label="Share with the group")
    assert "Shared" in reply_to(shared).content
    post = world.channel.last_message
    assert (
        post is not None and "ana" in (post.content or "") and "7 out of 10" in (post.content or "")
    )
    assert "tired" not in (post.content or "")
    assert await rows(world, "SELECT shared FROM checkins") == [(1,)]


async def test_checkin_now_outside_sessions(world: World) -> None:
    ana = world.members[0]
    shown = await ana.slash(world.channel, "checkin now")
    assert shown.ephemeral
    labels = button_labels(reply_to(shown).message)
    assert labels == [str(v) for v in range(11)]
    consent = await ana.click(reply_to(shown).message, label="8")
    assert reply_to(consent).embeds[0].title == "Before your first check-in"
    saved = await ana.click(reply_to(consent).message, label="Agree")
    message = reply_to(saved).message
    assert "8 out of 10" in (message.content or "")
    changed = await ana.click(message, label="Change")
    again = await ana.click(reply_to(changed).message, label="4")
    assert "updated" in (reply_to(again).message.content or "")
    assert await rows(world, "SELECT phase, value, session_id FROM checkins") == [("any", 4, None)]
    faces = await ana.slash(world.channel, "checkin now", scale="1-5")
    await ana.click(reply_to(faces).message, label="okay")
    assert len(await rows(world, "SELECT id FROM checkins")) == 2


async def test_history_chart_is_private(world: World) -> None:
    ana = world.members[0]
    result = await ana.slash(world.channel, "checkin history")
    assert result.ephemeral
    assert "No check-ins" in (reply_to(result).embeds[0].description or "")
    files = reply_to(result).attachments
    assert len(files) == 1 and files[0].filename == "checkins.png"
    data = await files[0].read()
    assert data.startswith(b"\x89PNG")


def care_messages(world: World, person: MemberActor) -> list[discord.Message]:
    return [
        m
        for m in world.channel.history(viewer=person)
        if m.embeds and "honest about how you are" in (m.embeds[0].title or "")
    ]


async def test_tell_facilitator_failure_is_said_honestly(world: World) -> None:
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "1")
    care = care_messages(world, ana)
    assert len(care) == 1
    dm = world.facilitator.user.dm_channel
    world.env.inject_error(
        "POST",
        f"/channels/{dm.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
    )
    told = await ana.click(care[0], label="Let the facilitator know")
    content = reply_to(told).content or ""
    assert "couldn't reach the facilitator" in content
    assert "I've let the facilitator know" not in content
    # The support text comes again with it.
    assert "findahelpline.com" in (reply_to(told).embeds[0].description or "")
    assert not dm.history()
    # Not remembered as told: trying again (DMs open now) does reach them.
    again = await ana.click(care[0], label="Let the facilitator know")
    assert "I've let the facilitator know privately" in (reply_to(again).content or "")
    assert "finding things hard" in (dm.history()[-1].content or "")


async def test_the_facilitator_is_told_once_even_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """Let the facilitator know, pressed again after the bot restarted, says it's done and
    sends nothing more: the telling is kept in the database, not in one process's memory."""
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "1")
    [care] = care_messages(world, ana)
    told = await ana.click(care, label="Let the facilitator know")
    assert "I've let the facilitator know privately" in (reply_to(told).content or "")
    dm = world.facilitator.user.dm_channel
    assert len(dm.history()) == 1
    await restart(world, settings, catalog)
    again = await ana.click(care, label="Let the facilitator know")
    assert again.ephemeral
    assert "I've already let the facilitator know" in (reply_to(again).content or "")
    assert len(dm.history()) == 1, "told twice"
    stored = await rows(world, "SELECT user_id, told_at IS NOT NULL FROM facilitator_tells")
    assert stored == [(ana.id, 1)]


async def test_the_consent_explanation_is_shown_once_per_step_even_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """A second value pressed at the same step before choosing, after the bot restarted, gets
    the short question: the mark is in the database, not in one process's memory."""
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    first = await ana.click(find_message(world.channel, "Arriving"), label="4")
    assert reply_to(first).embeds[0].title == "Before your first check-in"
    await restart(world, settings, catalog)
    again = await ana.click(find_message(world.channel, "Arriving"), label="5")
    assert reply_to(again).embeds[0].title == "Saving your check-ins?"
    assert await rows(world, "SELECT user_id, step_index FROM consent_asks") == [(ana.id, 0)]


async def test_low_answer_then_no_thanks_still_shows_support(world: World) -> None:
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)  # quiet never answers, so the step stays open
    await start(world, "test-checkin-pair")
    shown = await ana.click(find_message(world.channel, "Arriving"), label="1")
    refused = await ana.click(reply_to(shown).message, label="No thanks")
    assert "nothing about your mood was stored" in (reply_to(refused).content or "")
    care = care_messages(world, ana)
    assert len(care) == 1 and care[0].flags.ephemeral
    assert "findahelpline.com" in (care[0].embeds[0].description or "")
    assert await rows(world, "SELECT * FROM checkins") == []
    # The same outside sessions, with /checkin now.
    now = await ana.slash(world.channel, "checkin now")
    shown = await ana.click(reply_to(now).message, label="0")
    assert "Saving is off" in (reply_to(shown).content or "") or reply_to(shown).embeds
    if reply_to(shown).embeds and "Before your" in (reply_to(shown).embeds[0].title or ""):
        await ana.click(reply_to(shown).message, label="No thanks")
    assert len(care_messages(world, ana)) == 2
    assert await rows(world, "SELECT * FROM checkins") == []
    # A middling answer declined brings no support message.
    ben = world.members[2]
    await ben.slash(world.channel, "session join")
    shown = await ben.click(find_message(world.channel, "Arriving"), label="6")
    await ben.click(reply_to(shown).message, label="No thanks")
    assert not care_messages(world, ben)


def board_field(world: World, name: str) -> str:
    board = find_message(world.channel, "Tuesday circle")
    fields = fields_of(board.embeds[0])
    return str(fields.get(name))


async def test_public_counts_below_three_are_not_exact(world: World) -> None:
    ana, ben, quiet = world.members
    await open_and_join(world, ana, ben, quiet)  # quiet never answers, so the step stays open
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "5")
    assert board_field(world, "Answers") == "fewer than 3 answered so far"
    await agree(world, ben, "Arriving", "6")
    assert board_field(world, "Answers") == "fewer than 3 answered so far"
    await agree(world, world.facilitator, "Arriving", "7")
    assert board_field(world, "Answers") == "3 of 4 answered"
    await world.facilitator.click(find_message(world.channel, "Tuesday circle"), label="Next")
    closed = find_message(world.channel, "Arriving").embeds[0].description or ""
    assert "3 responses" in closed
    # The after check-in closes with two answers: no exact count.
    for person in (ana, ben):
        await person.click(find_message(world.channel, "Leaving"), label="8")
    await world.facilitator.click(find_message(world.channel, "Tuesday circle"), label="Next")
    closed = find_message(world.channel, "Leaving").embeds[0].description or ""
    assert "Fewer than 3 responses" in closed
    assert "2 responses" not in public_text(world) and "2 of" not in public_text(world)


async def test_note_and_share_after_the_step_closed_say_so_plainly(world: World) -> None:
    ana, quiet = world.members[:2]
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "7")
    reply = [
        m
        for m in world.channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    await world.facilitator.click(find_message(world.channel, "Tuesday circle"), label="Next")
    for label in ("Add a note", "Share with the group"):
        refused = await ana.click(reply, label=label)
        text = reply_to(refused).content or ""
        assert "This check-in has closed, so sharing and notes are no longer available." in text
        assert "can't be changed" not in text
    assert await rows(world, "SELECT note, shared FROM checkins") == [(None, 0)]


async def test_closed_checkin_has_no_instructions(world: World) -> None:
    ana = world.members[0]
    await open_and_join(world, ana)
    await start(world, "test-checkin-anon")
    await world.facilitator.click(find_message(world.channel, "Tuesday circle"), label="Next")
    faces = find_message(world.channel, "Faces")
    text = faces.embeds[0].description or ""
    assert "How is your week?" in text and "Fewer than 3 responses" in text
    for call in ("Pick", "Press", "Pass", "choose"):
        assert call not in text, text
    assert not faces.components


async def test_summary_counts_read_as_words(world: World) -> None:
    ana, ben = world.members[:2]
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "5")
    await ben.click(find_message(world.channel, "Arriving"), label="Pass")
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    # One person each: the kinds are named, their counts are not (fewer than 3 behind them).
    assert "passes from fewer than 3 people" in fields["Contributions"]
    assert "check-ins from fewer than 3 people" in fields["Contributions"]
    assert "1 pass" not in fields["Contributions"] and "1 check-in" not in fields["Contributions"]
