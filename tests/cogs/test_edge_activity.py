"""The edge activity: every field at the largest value `chorus validate` accepts, run through
every step kind with members doing everything they can. The limits plugin
(tests/discord_limits.py) checks each request; this test also checks it saw none over a limit
and that nothing was lost on the way (the after-music buttons, the full texts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import discord
import pytest
import yaml
from simcord.actors import MemberActor

from bot.core.activities import validate_paths
from bot.settings import Settings
from tests.conftest import ROOT, World, find_message
from tests.discord_limits import LEDGER, check_commands
from tests.responses import reply_to, select_menus_of

WORDS = [
    "listen",
    "closely",
    "to",
    "the",
    "quiet",
    "room",
    "where",
    "every",
    "voice",
    "is",
    "welcome",
    "and",
    "each",
    "small",
    "sound",
    "carries",
    "a",
    "feeling",
    "worth",
    "naming",
    "together",
]


def text(size: int, seed: str = "") -> str:
    """Exactly `size` characters of words (the last one cut to fit)."""
    out = seed
    n = 0
    while len(out) < size:
        out += ("" if not out else " ") + WORDS[n % len(WORDS)]
        n += 1
    return out[:size].rstrip() + "x" * (size - len(out[:size].rstrip()))


def edge_activity() -> dict[str, Any]:
    track = {
        "title": text(100, "Track"),
        "artist": text(100, "Artist"),
        "url": "https://example.test/" + "a" * 479,
        "duration": 20,
        "credit": text(1000, "Credit"),
    }
    blanks_line = " ".join(["___"] * 12) + " " + text(1000 - 48, "and")
    return {
        "id": "edge-of-limits",
        "title": text(100, "Edge"),
        "summary": text(1000),
        "version": 1,
        "duration_minutes": 240,
        "tags": [f"tag{n}-" + "x" * 58 for n in range(12)],
        "audience_notes": text(4000),
        "facilitator_notes": text(4000),
        "steps": [
            {
                "type": "prompt",
                "title": text(100, "Prompt"),
                "text": text(4000),
                "discussion_minutes": 120,
                "facilitator_notes": text(4000),
            },
            {
                "type": "checkin",
                "title": text(100, "Custom check-in"),
                "question": text(1000, "How"),
                "scale": [{"label": text(100, f"Choice{n}"), "emoji": "🙂"} for n in range(10)],
                "note": {"mode": "optional", "max_chars": 1000},
                "phase": "before",
                "measure": "mood",
                "visibility_default": "shared",
                "facilitator_notes": text(4000),
            },
            {
                "type": "checkin",
                "title": text(100, "Scale check-in"),
                "question": text(1000, "Now"),
                "scale": "0-10",
                "anchors": {"low": text(100, "low"), "high": text(100, "high")},
                "note": {"mode": "optional", "max_chars": 1000},
            },
            {
                "type": "reflect",
                "title": text(100, "Reflect"),
                "question": text(1000, "Reflect"),
                "max_chars": 2000,
                "visibility_default": "shared",
            },
            {
                "type": "breathe",
                "title": text(100, "Breathe"),
                "inhale": 15,
                "hold": 15,
                "exhale": 20,
                "rest": 15,
                "cycles": 60,
                "guidance": text(1000),
            },
            {
                "type": "vote",
                "title": text(100, "Vote"),
                "question": text(1000, "Which"),
                "options": [{"label": text(100, f"Option{n}"), "track": track} for n in range(25)],
            },
            {
                "type": "listen",
                "title": text(100, "Listen"),
                "track": "from_vote",
                "framing": text(4000, "Framing"),
                "countdown_seconds": 0,
                "text_card": text(4000, "Card"),
                "reflection": {
                    "questions": [text(1000, f"Question{n}") for n in range(5)],
                    "reactions": [
                        {"label": text(100, f"React{n}"), "emoji": "😌"} for n in range(10)
                    ],
                },
            },
            {
                "type": "listen",
                "title": text(100, "Listen again"),
                "track": track,
                "framing": text(4000, "Framing"),
                "countdown_seconds": 0,
                "text_card": text(4000, "Card"),
                "reflection": {"questions": [text(200, f"Q{n}") for n in range(5)]},
            },
            {
                "type": "write",
                "title": text(100, "Write"),
                "theme": text(1000, "Theme"),
                "structure": [{"name": text(100, f"Section{n}"), "lines": 4} for n in range(8)],
                "template": [blanks_line] * 32,
                "turns": "open",
                "strict": False,
                "constraints": {"max_chars": 500},
            },
            {
                "type": "write",
                "title": text(100, "Hidden"),
                "theme": text(1000, "Hidden theme"),
                "structure": [{"name": text(100, f"Part{n}"), "lines": 4} for n in range(8)],
                "turns": "hidden",
                "turn_seconds": 900,
                "anonymous": True,
                "strict": False,
                "constraints": {"max_chars": 500},
            },
            {"type": "goal", "title": text(100, "Goal"), "prompt": text(1000, "Goals")},
        ],
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "edge"
    folder.mkdir()
    (folder / "edge-of-limits.yaml").write_text(
        yaml.safe_dump(json.loads(json.dumps(edge_activity())), allow_unicode=True)
    )
    return Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", folder),
        media_dir=tmp_path / "media",
        board_edit_interval=0,
    )


async def test_the_synced_command_tree_is_checked(world: World) -> None:
    synced = [r for r in world.env.http_requests if r.method == "PUT" and "commands" in r.path]
    assert synced and isinstance(synced[0].json, list) and synced[0].json
    assert check_commands("PUT", synced[0].json) == []


def test_the_edge_activity_validates(settings: Settings) -> None:
    activities, errors = validate_paths([settings.activities_dirs[1]], settings.media_dir)
    assert errors == [] and [a.id for a in activities] == ["edge-of-limits"]


def labels(message: discord.Message) -> list[str]:
    return [
        str(child.label)
        for row in message.components
        for child in getattr(row, "children", [])
        if getattr(child, "label", None)
    ]


def step_message(world: World, prefix: str) -> discord.Message:
    return find_message(world.channel, prefix)


async def next_step(world: World) -> None:
    moved = await world.facilitator.click(find_message(world.channel, "Edge night"), label="Next")
    assert moved.response is not None


async def everyone(world: World) -> list[MemberActor]:
    return [world.facilitator, *world.members]


async def test_the_edge_activity_runs_within_discord_limits(world: World) -> None:
    people = await everyone(world)
    await world.facilitator.slash(world.channel, "session start", title="Edge night")
    for member in world.members:
        await member.slash(world.channel, "session join")
    started = await world.facilitator.slash(
        world.channel, "activity start", activity="edge-of-limits"
    )
    assert "Starting" in reply_to(started).content, reply_to(started).content
    await world.facilitator.slash(world.channel, "activity info", activity="edge-of-limits")

    await next_step(world)  # custom check-in
    card = step_message(world, "Custom check-in")
    for person in people:
        shown = await person.click(card, label=labels(card)[0])
        if reply_to(shown).embeds and "Before" in (reply_to(shown).embeds[0].title or ""):
            shown = await person.click(reply_to(shown).message, label="Agree")
        note = await person.click(reply_to(shown).message, label="Add a note")
        noted = await person.submit_modal(note, {"note": text(1000, "note")})
        assert "note is saved" in reply_to(noted).content, reply_to(noted).content
        await person.click(reply_to(shown).message, label="Share with the group")

    await next_step(world)  # 0-10 check-in
    card = step_message(world, "Scale check-in")
    for person in people:
        await person.click(card, label="7")

    await next_step(world)  # reflect
    card = step_message(world, "Reflect")
    for person in people:
        shown = await person.click(card, label="Reflect")
        saved = await person.submit_modal(shown, {"answer": text(2000, "mine"), "share": True})
        assert "saved" in reply_to(saved).content

    await next_step(world)  # breathe
    card = step_message(world, "Breathe")
    for person in people:
        await person.click(card, label=labels(card)[0])

    await next_step(world)  # vote
    card = step_message(world, "Vote")
    for person in people:
        options = select_menus_of(card)[0].options
        await person.select(card, [options[-1].value])

    await next_step(world)  # listen (the vote's winner)
    await world.env.advance_time(21)
    card = step_message(world, "Listen")
    buttons = labels(card)
    assert "Reflect" in buttons, buttons  # the buttons after the music are never lost
    for person in people:
        reactions = [label for label in buttons if label not in ("Open the track", "Reflect")]
        await person.click(card, label=reactions[-1])
        form = await person.click(card, label="Reflect")
        await person.submit_modal(form, {"answer": text(500, "heard"), "share": True})

    await next_step(world)  # listen again: the 6,170-character card
    await world.env.advance_time(21)
    card = step_message(world, "Listen again")
    assert "Reflect" in labels(card), labels(card)
    # The card is longer than Discord allows: what was cut is attached whole, not dropped.
    attached = [a for a in card.attachments if a.filename == "full-text.txt"]
    assert attached, [a.filename for a in card.attachments]
    full = (await attached[0].read()).decode()
    assert text(4000, "Framing") in full

    await next_step(world)  # write
    card = step_message(world, "Write")
    for n in range(32):
        person = people[n % len(people)]
        form = await person.click(step_message(world, "Write"), label="Write my line")
        answer = " / ".join([text(35, "word")] * 12)
        added = await person.submit_modal(form, {"line": answer})
        assert "Your line is added" in reply_to(added).content, reply_to(added).content

    await next_step(world)  # hidden, anonymous lines in turn
    long_word = "supercalifragilisticexpialidociousness"
    for n in range(3):
        for person in people:
            form = await person.click(step_message(world, "Hidden"), label="Write my line")
            if form.modal is None:
                continue  # not their turn
            clue = str(form.modal)
            if n:
                assert long_word in clue  # the clue is shown whole, not cut to a label
            added = await person.submit_modal(form, {"line": text(400, "hid") + " " + long_word})
            assert "Your line is added" in reply_to(added).content, reply_to(added).content
            break
        else:
            raise AssertionError("nobody could write the hidden line")

    await next_step(world)  # goal
    card = step_message(world, "Goal")
    for person in people:
        form = await person.click(card, label="Rate my goals")
        if form.modal is None:
            assert reply_to(form).embeds, reply_to(form).content
            form = await person.click(reply_to(form).message, label="Agree")
        saved = await person.submit_modal(form, {"goal_text": text(100, "goal")})
        assert "Your goal is saved" in reply_to(saved).content

    await world.facilitator.slash(world.channel, "session end")
    await world.facilitator.slash(world.channel, "session report", session=1)
    mine = [
        v
        for t, v in LEDGER.violations
        if t.endswith("test_the_edge_activity_runs_within_discord_limits")
    ]
    assert mine == []
    contributions = await world.bot().store.contributions.for_step(1, 3)
    assert len([c for c in contributions if c.kind == "reflection"]) == len(people)
