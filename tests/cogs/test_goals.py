"""Personal goals through simcord: /goal commands, the goal step, progress, k >= 3, privacy."""

from __future__ import annotations

import io
import json

import discord
from PIL import Image
from simcord.actors import MemberActor

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_checkins import open_and_join, public_text, rows, start
from tests.cogs.test_privacy import every_row_with
from tests.conftest import World, find_message, restart
from tests.responses import button_labels, fields_of, reply_to

STEP = "Your goals today"


async def set_goal(world: World, person: MemberActor, text: str, *, first: bool = False) -> str:
    """/goal set; the first time, the consent explanation comes first and Agree saves the goal."""
    result = await person.slash(world.channel, "goal set", text=text)
    assert result.ephemeral
    if first:
        embed = reply_to(result).embeds[0]
        assert embed.title == "Before your first goal"
        assert "personal goals" in (embed.description or "")
        result = await person.click(reply_to(result).message, label="Agree")
    content = reply_to(result).content or ""
    assert "Your goal is saved" in content, content
    return content


def private(world: World, person: MemberActor, part: str) -> list[discord.Message]:
    return [
        m
        for m in world.channel.history(viewer=person)
        if m.flags.ephemeral and part in (m.content or "")
    ]


async def goal_ids(world: World, person: MemberActor) -> dict[str, int]:
    found = await rows(
        world,
        "SELECT text, id FROM goals WHERE user_id = ? AND status = 'active' ORDER BY id",
        person.id,
    )
    return {str(text): int(str(gid)) for text, gid in found}


async def rate_all(world: World, person: MemberActor, labels: list[str]) -> None:
    """Press Rate my goals, then one button on each private goal message, in order."""
    shown = await person.click(find_message(world.channel, STEP), label="Rate my goals")
    assert shown.ephemeral
    prompts = private(world, person, "How did today go for")[-len(labels) :]
    assert len(prompts) == len(labels)
    for prompt, label in zip(prompts, labels, strict=True):
        done = await person.click(prompt, label=label)
        assert "Your answer:" in (reply_to(done).content or "")


# --------------------------------------------------------------------------- commands


async def test_set_list_done_and_drop(world: World) -> None:
    ana, ben = world.members[:2]
    await set_goal(world, ana, "sleep better", first=True)
    await set_goal(world, ana, "share more with @everyone")
    saved = await set_goal(world, ana, "feel  less\u200b anxious")
    assert "**feel less anxious**" in saved
    refused = await ana.slash(world.channel, "goal set", text="walk daily")
    assert refused.ephemeral and "already have 3 goals" in reply_to(refused).content
    again = await set_goal(world, ben, "walk daily", first=True)
    assert "walk daily" in again

    listed = await ana.slash(world.channel, "goal list")
    assert listed.ephemeral
    description = reply_to(listed).embeds[0].description or ""
    assert "sleep better" in description and "feel less anxious" in description
    assert "walk daily" not in description  # ben's goals are his own
    assert "That's 3, the most at once" in description

    # Autocomplete offers only the member's own active goals.
    choices = await ana.autocomplete(world.channel, "goal done", "id", "")
    names = [c["name"] for c in choices]
    assert sorted(names) == sorted(
        ["sleep better", "share more with everyone", "feel less anxious"]
    )
    assert [
        c["name"] for c in await ana.autocomplete(world.channel, "goal drop", "id", "slee")
    ] == ["sleep better"]
    ids = await goal_ids(world, ana)
    done = await ana.slash(world.channel, "goal done", id=ids["sleep better"])
    assert done.ephemeral and "marked as done" in reply_to(done).content
    dropped = await ana.slash(world.channel, "goal drop", id=ids["share more with everyone"])
    assert "Dropped" in reply_to(dropped).content
    twice = await ana.slash(world.channel, "goal drop", id=ids["share more with everyone"])
    assert "already been dropped" in reply_to(twice).content
    not_hers = await ana.slash(
        world.channel, "goal done", id=(await goal_ids(world, ben))["walk daily"]
    )
    assert "can't find that goal of yours" in reply_to(not_hers).content

    listed = await ana.slash(world.channel, "goal list")
    embed = reply_to(listed).embeds[0]
    assert "feel less anxious" in (embed.description or "")
    earlier = fields_of(embed)["Earlier goals"]
    assert "sleep better (done ✅)" in earlier and "(dropped)" in earlier
    assert [c["name"] for c in await ana.autocomplete(world.channel, "goal done", "id", "")] == [
        "feel less anxious"
    ]
    # Room again for a new goal.
    await set_goal(world, ana, "walk daily")
    # Goal text never pings: every bot message here was sent with no allowed mentions.
    for request in world.env.http_requests:
        body = request.json if isinstance(request.json, dict) else {}
        data = body.get("data", body)
        is_message = isinstance(data, dict) and ("content" in data or "embeds" in data)
        if is_message and "@everyone" in json.dumps(data):
            assert data.get("allowed_mentions", {}).get("parse") == [], data


async def test_declining_consent_stores_no_goal(world: World) -> None:
    ana = world.members[0]
    asked = await ana.slash(world.channel, "goal set", text="sleep better")
    description = reply_to(asked).embeds[0].description or ""
    # The goal wording: short, about goals, pointing at commands rather than a file.
    assert len(description) < 500 and "goal" in description and ".md" not in description
    assert "/mydata" in description and "/forget" in description
    declined = await ana.click(reply_to(asked).message, label="No thanks")
    assert "no goal was saved" in reply_to(declined).content
    assert await rows(world, "SELECT * FROM goals") == []
    assert await rows(world, "SELECT consent FROM members WHERE user_id = ?", ana.id) == [
        ("declined",)
    ]


# ------------------------------------------------------------------------------ the step


async def test_goal_step_two_members_with_goals_and_one_without(world: World) -> None:
    ana, ben, cai = world.members
    await set_goal(world, ana, "sleep better", first=True)
    await set_goal(world, ana, "share more with others")
    await set_goal(world, ben, "feel less anxious", first=True)
    await open_and_join(world, ana, ben, cai)
    await start(world, "test-goal-step")
    step = find_message(world.channel, STEP)
    embed = step.embeds[0]
    assert "private" in (embed.description or "")
    labels = button_labels(step)
    assert labels == ["Rate my goals", "Set a goal", "Pass"]

    # ana: one private message per goal, each with 1-5 buttons in words and a Pass.
    shown = await ana.click(step, label="Rate my goals")
    assert shown.ephemeral
    prompts = private(world, ana, "How did today go for")
    assert [("sleep better" in (m.content or "")) for m in prompts] == [True, False]
    assert "share more with others" in (prompts[1].content or "")
    buttons = button_labels(prompts[0])
    assert buttons == [
        "1 · Hard",
        "2 · Not great",
        "3 · Okay",
        "4 · Good",
        "5 · Very good",
        "Pass on this one",
    ]
    first = await ana.click(prompts[0], label="4 · Good")
    assert "Your answer: **4 · Good**" in reply_to(first).content
    assert "That's all your goals" not in reply_to(first).content
    # Changing her mind replaces the answer.
    changed = await ana.click(reply_to(first).message, label="3 · Okay")
    assert "Your answer: **3 · Okay**" in reply_to(changed).content
    second = await ana.click(prompts[1], label="Pass on this one")
    assert "Your answer: **passed**" in reply_to(second).content
    assert "That's all your goals for today" in reply_to(second).content

    await rate_all(world, ben, ["5 · Very good"])

    # cai has no goal: Rate my goals offers the one-click form (after the consent, once).
    consent = await cai.click(find_message(world.channel, STEP), label="Rate my goals")
    assert reply_to(consent).embeds[0].title == "Before your first goal"
    shown = await cai.click(reply_to(consent).message, label="Agree")
    assert shown.modal is not None
    saved = await cai.submit_modal(shown, {"goal_text": "go for a walk each day"})
    assert "Your goal is saved" in reply_to(saved).content

    stored = await rows(
        world,
        "SELECT g.text, r.value FROM goal_ratings r JOIN goals g ON g.id = r.goal_id ORDER BY r.id",
    )
    assert stored == [
        ("sleep better", 3),
        ("share more with others", None),
        ("feel less anxious", 5),
    ]
    payloads = [
        json.loads(str(p)) for (p,) in await rows(world, "SELECT payload FROM contributions")
    ]
    assert all(set(p) == {"answer", "done"} for p in payloads)  # never a value or a goal

    # Every member has answered (the facilitator leads and isn't waited for), so the auto
    # step has moved on by itself.
    closed = find_message(world.channel, STEP)
    assert not closed.components
    assert "Fewer than 3 members rated" in (closed.embeds[0].description or "")
    find_message(world.channel, "Goodbye")
    text = public_text(world)
    for secret in ("sleep better", "share more", "anxious", "walk each day", "Very good"):
        assert secret not in text


async def test_the_consent_explanation_is_shown_once_per_step_even_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """Set a goal pressed again at the same step, after the bot restarted, asks the short
    question: that the member was shown the explanation there is kept in the database (and
    goes with /forget), not in one process's memory."""
    cai = world.members[2]
    await open_and_join(world, cai)
    await start(world, "test-goal-step")
    first = await cai.click(find_message(world.channel, STEP), label="Set a goal")
    assert reply_to(first).embeds[0].title == "Before your first goal"
    await restart(world, settings, catalog)
    again = await cai.click(find_message(world.channel, STEP), label="Set a goal")
    assert reply_to(again).embeds[0].title == "Saving your goals?"
    assert await rows(world, "SELECT user_id, step_index FROM consent_asks") == [(cai.id, 0)]
    await cai.slash(world.channel, "forget")
    forget = [m for m in world.channel.history(viewer=cai) if m.embeds][-1]
    await cai.click(forget, label="Delete my data")
    assert await rows(world, "SELECT * FROM consent_asks") == []


async def test_step_rating_after_the_step_ended_is_refused(world: World) -> None:
    ana = world.members[0]
    await set_goal(world, ana, "sleep better", first=True)
    await open_and_join(world, ana)
    await start(world, "test-goal-step")
    await ana.click(find_message(world.channel, STEP), label="Rate my goals")
    prompt = private(world, ana, "How did today go for")[-1]
    await world.env.advance_time(150)
    late = await ana.click(prompt, label="4 · Good")
    assert "has ended" in reply_to(late).content
    assert await rows(world, "SELECT * FROM goal_ratings") == []


# ---------------------------------------------------------------------------- progress


async def test_progress_chart_across_sessions(world: World) -> None:
    ana = world.members[0]
    await set_goal(world, ana, "sleep better", first=True)
    await set_goal(world, ana, "save $5 a day")
    for labels in (
        ["2 · Not great", "3 · Okay"],
        ["3 · Okay", "3 · Okay"],
        ["4 · Good", "Pass on this one"],
    ):
        await open_and_join(world, ana)
        await start(world, "test-goal-step")
        await rate_all(world, ana, labels)  # the only member: the step then moves on itself
        await world.facilitator.slash(world.channel, "session end")
        await world.env.advance_time(7 * 86400)

    shown = await ana.slash(world.channel, "goal progress")
    assert shown.ephemeral
    embed = reply_to(shown).embeds[0]
    description = embed.description or ""
    assert "3 sessions, average 3.0, last three rising" in description
    assert "2 sessions, average 3.0, same as last time" in description
    files = reply_to(shown).attachments
    assert [f.filename for f in files] == ["goals.png"]
    png = await files[0].read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.size[0] >= 600 and image.size[1] >= 400

    # One goal on its own, chosen by autocomplete.
    choices = await ana.autocomplete(world.channel, "goal progress", "goal", "sleep")
    one = await ana.slash(world.channel, "goal progress", goal=choices[0]["value"])
    assert "sleep better" in (reply_to(one).embeds[0].description or "")
    assert "save" not in (reply_to(one).embeds[0].description or "")


async def test_progress_without_goals(world: World) -> None:
    shown = await world.members[0].slash(world.channel, "goal progress")
    assert shown.ephemeral and "no goals yet" in (reply_to(shown).embeds[0].description or "")
    assert not reply_to(shown).attachments


# ------------------------------------------------------------------ facilitator figures


async def test_facilitator_sees_counts_only_at_three_or_more(world: World) -> None:
    ana, ben, cai = world.members
    for person in (ana, ben, cai):
        await set_goal(world, person, f"goal of {person.name}", first=True)
    await open_and_join(world, ana, ben, cai)
    await start(world, "test-goal-step")
    for person in (ana, ben, cai):
        await rate_all(world, person, ["4 · Good"])
    closed = find_message(world.channel, STEP)  # all members rated: the step moved on
    assert "3 members rated their personal goals" in (closed.embeds[0].description or "")
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    line = fields["Personal goals"]
    assert "3 members here have personal goals; 3 rated them today" in line
    text = public_text(world) + line
    assert "goal of" not in text and "4 · Good" not in text


async def test_facilitator_figures_hidden_below_three(world: World) -> None:
    ana, ben = world.members[:2]
    for person in (ana, ben):
        await set_goal(world, person, f"goal of {person.name}", first=True)
    await open_and_join(world, ana, ben)
    await start(world, "test-goal-step")
    await rate_all(world, ana, ["2 · Not great"])
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    assert "Fewer than 3 members here have personal goals" in fields["Personal goals"]
    assert "1" not in fields["Personal goals"] and "2 " not in fields["Personal goals"]


async def test_no_goal_line_when_the_session_had_no_goal_step(world: World) -> None:
    await open_and_join(world, world.members[0])
    ended = await world.facilitator.slash(world.channel, "session end")
    assert "Personal goals" not in {f.name for f in reply_to(ended).embeds[0].fields}


# ---------------------------------------------------------------------------- privacy


async def test_mydata_and_forget_cover_goals_and_ratings(world: World) -> None:
    ana, ben = world.members[:2]
    await set_goal(world, ana, "sleep better", first=True)
    await set_goal(world, ben, "walk daily", first=True)
    await open_and_join(world, ana, ben)
    await start(world, "test-goal-step")
    await rate_all(world, ana, ["4 · Good"])
    await rate_all(world, ben, ["2 · Not great"])

    exported = await ana.slash(world.channel, "mydata")
    data = json.loads(await reply_to(exported).attachments[0].read())
    assert [g["text"] for g in data["goals"]] == ["sleep better"]
    assert [(r["goal_text"], r["value"]) for r in data["goal_ratings"]] == [("sleep better", 4)]
    assert "walk daily" not in json.dumps(data)

    asked = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(asked).message, label="Delete my data")
    assert await rows(world, "SELECT * FROM goals WHERE user_id = ?", ana.id) == []
    left = await rows(
        world, "SELECT g.text, r.value FROM goal_ratings r JOIN goals g ON g.id = r.goal_id"
    )
    assert left == [("walk daily", 2)]
    assert await every_row_with(world, ana.id) == []


async def test_rating_buttons_work_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana = world.members[0]
    await set_goal(world, ana, "sleep better", first=True)
    await open_and_join(world, ana)
    await start(world, "test-goal-step")
    await ana.click(find_message(world.channel, STEP), label="Rate my goals")
    prompt = private(world, ana, "How did today go for")[-1]
    await restart(world, settings, catalog)
    saved = await ana.click(prompt, label="5 · Very good")
    assert "Your answer: **5 · Very good**" in reply_to(saved).content
    assert await rows(world, "SELECT value FROM goal_ratings") == [(5,)]


async def test_goal_and_note_text_lose_mentions_and_markdown(world: World) -> None:
    ana, quiet = world.members[:2]
    content = await set_goal(world, ana, "call <@123> **more** @everyone", first=True)
    stored = await rows(world, "SELECT text FROM goals")
    assert stored == [("call a member **more** everyone",)]
    # Shown back with markdown escaped and no mention syntax.
    assert r"call a member \*\*more\*\* everyone" in content
    assert "<@" not in content and "@everyone" not in content
    listed = await ana.slash(world.channel, "goal list")
    embed = reply_to(listed).embeds[0]
    text = (embed.description or "") + " ".join(str(f.value) for f in embed.fields)
    assert r"call a member \*\*more\*\* everyone" in text and "<@" not in text
    # A check-in note is stored without mentions too.
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    await ana.click(find_message(world.channel, "Arriving"), label="6")
    reply = private(world, ana, "Your answer is saved")[-1]
    shown = await ana.click(reply, label="Add a note")
    await ana.submit_modal(shown, {"note": "thanks <@&99> and @here"})
    assert await rows(world, "SELECT note FROM checkins") == [("thanks a role and here",)]
