"""Words must be true at every moment: every step kind's card rendered at its start, mid-way,
at its deadline and after it (closed, with what it posts after), the board at the same
moments, and the private confirmations, each checked for sentences that can be false or
ungrammatical then.

The step cards are posted once and not edited while a step runs (the board is), so a card
may hold no relative time ("in 2 minutes") that would turn false ("Ends 4 minutes ago") once
the deadline passes, the facilitator pauses or adds time.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.activities import Activity, Scale
from bot.core.activity_fields import StepBase
from bot.core.activity_loader import load_bytes
from bot.core.checkin_reports import SessionReport, StepFigure
from bot.core.steps import step_kinds, step_type_names
from bot.records.sessions import ContributionRecord, RunRecord, SessionRecord
from bot.ui import checkin_consent, checkin_reports
from bot.ui import checkins as checkin_ui
from bot.ui.board import BoardState, board_embed
from bot.ui.format import sentence
from bot.ui.steps import presenters as step_presenters
from bot.ui.steps.base import MessagePayload, StepScene
from tests.kind_examples import example_step
from tests.responses import fields_of

STARTED = 1_767_225_600.0  # 2026-01-01 00:00 UTC
LIMIT = 120.0
FACILITATOR = 1
MEMBERS = (11, 12, 13, 14)
NAMES = {1: "Robin", 11: "Maya", 12: "Jonah", 13: "Priya", 14: "Leo"}

# One step of every shipped kind, worded to catch false sentences; titles ending in ? and !, a
# bpm pattern of 3.63636 s a breath and a single cycle; facilitator-advance and automatic steps.
# `activity()` adds an example step of every other registered kind (`added_steps`).
ACTIVITY = """
id: every-kind
title: Every kind!
summary: One step of every kind.
version: 1
duration_minutes: 30
steps:
  - {type: prompt, title: What brought you here?, text: Say hello., time_limit: 120}
  - type: checkin
    title: How are you arriving?
    question: How are you arriving?
    scale: 0-10
    time_limit: 120
    advance: auto
  - type: listen
    title: Listen!
    track: {title: Little tune, artist: Test band, url: "https://example.test/t.mp3", duration: 20}
    countdown_seconds: 5
    time_limit: 120
  - type: write
    title: Our song?
    theme: Home
    structure: [{name: verse, lines: 2}]
    turns: round_robin
    time_limit: 120
  - {type: reflect, title: One word?, question: One word?, time_limit: 120, advance: auto}
  - {type: breathe, title: Pulse!, bpm: 66, cycles: 1, time_limit: 120}
  - type: breathe
    title: Slow breath
    inhale: 4
    exhale: 6
    cycles: 6
    time_limit: 120
    advance: auto
  - type: vote
    title: Which one?
    question: Which one?
    options: [{label: Morning}, {label: Evening?}]
    time_limit: 120
  - {type: goal, title: Your goals?, prompt: Think back over today., time_limit: 120}
  - type: round
    title: Around the circle!
    question: How are you arriving?
    turn_seconds: 30
    time_limit: 120
    advance: auto
"""

MOMENTS = {"start": 0.0, "mid-way": LIMIT / 2, "deadline": LIMIT, "after": LIMIT + 240}


def added_steps() -> list[dict[str, Any]]:
    """An example step (tests/kind_examples.py) of every registered kind ACTIVITY has none of,
    with ACTIVITY's time limit: a kind added in its two files is covered with no edit here."""
    written = set(re.findall(r"\btype: (\w+)", ACTIVITY))
    return [
        {**example_step(kind), "time_limit": int(LIMIT)}
        for kind in step_kinds()
        if kind.name not in written
    ]


def activity() -> Activity:
    """ACTIVITY with `added_steps()` after its own."""
    added = added_steps()
    text = ACTIVITY
    if added:
        text += textwrap.indent(yaml.safe_dump(added, allow_unicode=True, sort_keys=False), "  ")
    loaded = load_bytes(text.encode(), "every-kind.yaml", Path("."))
    assert not isinstance(loaded, list), [str(e) for e in loaded]
    return loaded


def session() -> SessionRecord:
    return SessionRecord(
        id=1,
        guild_id=5,
        channel_id=6,
        voice_channel_id=None,
        title="Tuesday circle?",
        facilitator_id=FACILITATOR,
        board_message_id=None,
        status="open",
        started_at=STARTED - 600,
        ended_at=None,
    )


def run(
    index: int, *, state: str = "running", deadline: float | None = STARTED + LIMIT
) -> RunRecord:
    return RunRecord(
        id=1,
        session_id=1,
        activity_id="every-kind",
        version_hash="x",
        definition="",
        step_index=index,
        step_started_at=STARTED,
        step_deadline=deadline,
        paused_remaining=None,
        step_message_id=None,
        step_state="{}",
        wake_at=deadline,
        state=state,
        started_at=STARTED,
        ended_at=None,
    )


def contributions(index: int, kind: str) -> list[ContributionRecord]:
    """Every member took part two seconds in (a Done pressed long before the pattern ends)."""
    payload: dict[str, object] = {"text": "Rain", "shared": True, "answer": "rated", "value": 7}
    return [
        ContributionRecord(
            id=n,
            run_id=1,
            step_index=index,
            author_id=member,
            kind={"breathe": "done", "round": "spoke"}.get(kind, "answer"),
            payload={**payload, "speaker": member},
            created_at=STARTED + 2,
            updated_at=STARTED + 2,
        )
        for n, member in enumerate(MEMBERS, 1)
    ]


def texts(payload: MessagePayload) -> list[str]:
    found = [payload.content or ""]
    for embed in payload.all_embeds:
        found += [embed.title or "", embed.description or "", embed.author.name or ""]
        found += [f"{f.name}: {f.value}" for f in embed.fields]
        found.append(embed.footer.text or "")
    return [t for t in found if t]


RELATIVE = re.compile(r"<t:(-?\d+):R>")
DOUBLED = re.compile(r"[?!.…][*_]*\.(?!\.)")
NOISY_NUMBER = re.compile(r"\d+\.\d{2,}\s?(?:s|seconds?|min)\b")
ONE_MANY = re.compile(r"\b1 (?:times|minutes|seconds|people|members|responses|votes|lines)\b")
UNTIL_RELATIVE = re.compile(r"until <t:-?\d+:R>")
LEFTOVERS = re.compile(r"\bNone\b|\{[a-z_]+\}|\*\*\*\*")


def problems(text: str, now: float, *, card: bool) -> list[str]:
    """The sentences in `text` that are false or ungrammatical at `now`."""
    found = []
    for pattern, why in (
        (DOUBLED, "doubled punctuation"),
        (NOISY_NUMBER, "a number with needless decimals"),
        (ONE_MANY, "a plural after 1"),
        (UNTIL_RELATIVE, "'until in 2 minutes'"),
        (LEFTOVERS, "a template leftover"),
    ):
        if pattern.search(text):
            found.append(f"{why}: {text!r}")
    if "finished the whole pattern" in text:
        found.append(f"claims a finished pattern from a Done press: {text!r}")
    for stamp in RELATIVE.findall(text):
        if card:
            found.append(f"a relative time on a card that isn't edited as time passes: {text!r}")
        elif int(stamp) <= now:
            found.append(f"a relative time already past: {text!r}")
    return found


def scenes(index: int, moment: str) -> tuple[Activity, StepBase, float, StepScene[StepBase]]:
    act = activity()
    step = act.steps[index]
    now = STARTED + MOMENTS[moment]
    open_ = StepScene(
        session=session(), run=run(index), activity=act, step=step, step_index=index, locale="en"
    )
    return act, step, now, open_


def test_every_step_kind_is_covered() -> None:
    kinds = {s.type for s in activity().steps}
    assert kinds == set(step_presenters()) == set(step_type_names())


STEPS = range(len(activity().steps))
"""Every step of `activity()`: ACTIVITY's and the added kinds' examples."""


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("index", STEPS)
def test_step_cards_are_true_at_every_moment(index: int, moment: str) -> None:
    _, step, now, scene = scenes(index, moment)
    presenter = step_presenters()[step.type]
    said = texts(presenter.render(scene))
    if moment == "after":
        closed = replace(
            scene, contributions=contributions(index, step.type), names=NAMES, run=run(index + 1)
        )
        said = texts(presenter.render_closed(closed))
        for payload in presenter.after_exit(closed):
            said += texts(payload)
    wrong = [p for text in said for p in problems(text, now, card=True)]
    assert not wrong, "\n".join(wrong)


def test_breathe_words() -> None:
    """The bpm pattern to a tenth of a second, 'once', and what a Done press means."""
    act = activity()
    presenters = step_presenters()
    pulse = StepScene(
        session=session(), run=run(5), activity=act, step=act.steps[5], step_index=5, locale="en"
    )
    body = "\n".join(texts(presenters["breathe"].render(pulse)))
    assert "**1.8 s**" in body and "3.63636" not in body
    assert "Repeat **once**" in body
    assert "runs from <t:1767225600:t> to <t:1767225603:t>" in body
    slow = replace(
        pulse,
        step=act.steps[6],
        step_index=6,
        run=run(7),
        contributions=contributions(6, "breathe"),
    )
    closed = "\n".join(texts(presenters["breathe"].render_closed(slow)))
    assert "4 of us pressed Done." in closed and "6 times" in closed


def test_step_card_time_field_says_who_moves_on() -> None:
    act = activity()
    presenters = step_presenters()
    waits = StepScene(
        session=session(), run=run(0), activity=act, step=act.steps[0], step_index=0, locale="en"
    )
    moves = StepScene(
        session=session(), run=run(1), activity=act, step=act.steps[1], step_index=1, locale="en"
    )
    (waits_time,) = [t for t in texts(presenters["prompt"].render(waits)) if t.startswith("Time")]
    (moves_time,) = [t for t in texts(presenters["checkin"].render(moves)) if t.startswith("Time")]
    assert (
        waits_time
        == "Time: ⏱ About 2 min; the facilitator moves on. The board shows the time left."
    )
    assert moves_time == (
        "Time: ⏱ 2 min; moves on by itself when time is up. The board shows the time left."
    )


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("paused", [False, True])
def test_the_board_is_true_at_every_moment(moment: str, paused: bool) -> None:
    """The board is edited at each change and when time is up: its countdown is never past."""
    now = STARTED + MOMENTS[moment]
    deadline = None if paused else STARTED + LIMIT
    state = BoardState(
        session=session(),
        present=[FACILITATOR, *MEMBERS],
        run=replace(
            run(0, state="paused" if paused else "running", deadline=deadline),
            paused_remaining=60.0 if paused else None,
        ),
        activity_title="Every kind!",
        step_title="What brought you here?",
        step_count=9,
        answered=2,
        expected=4,
        step_kind="prompt",
        now=now,
        names=NAMES,
        locale="en",
    )
    embed = board_embed(state)
    said = [embed.title or "", embed.description or ""]
    said += [f"{f.name}: {f.value}" for f in embed.fields]
    wrong = [p for text in said for p in problems(text, now, card=False)]
    assert not wrong, "\n".join(wrong)
    time_line = next(f.value for f in embed.fields if f.name == "Time")
    if paused:
        assert time_line == "⏸ Paused, 1 min 0 s left"
    elif now >= STARTED + LIMIT:
        assert time_line == "Time's up: waiting for the facilitator"
    else:
        assert time_line == f"Step ends <t:{int(STARTED + LIMIT)}:R>"


def test_check_in_confirmations_stay_true_after_the_step() -> None:
    """The private reply can't be edited when the step ends: it promises nothing "until the
    step ends", it says what holds while the check-in is open."""
    scale = Scale.model_validate("0-10")
    for replaced in (False, True):
        said = checkin_ui.answer_text(
            scale, 7, None, anonymous=False, replaced=replaced, step=True, locale="en"
        )
        assert "until the step ends" not in said
        assert "While the check-in is open, press another value on it." in said
    passed = checkin_ui.answer_text(
        scale, None, None, anonymous=False, replaced=False, step=True, locale="en"
    )
    assert "While the check-in is open" in passed
    assert not problems(passed, STARTED, card=False)


def test_a_second_consent_prompt_is_not_the_first_again() -> None:
    for context in ("checkin", "goal"):
        first = checkin_consent.consent_embed(context, locale="en")
        again = checkin_consent.consent_again_embed(context, locale="en")
        assert (again.title, again.description) != (first.title, first.description)
        assert "earlier reply" in (again.description or "")


def test_report_participation_is_out_of_the_members_asked() -> None:
    """Four members and the facilitator attended; four answered: 4 of 4, as the board and
    auto-advance count them, never 4 of 5 (80%)."""
    report = SessionReport(
        session=session(),
        attendance=5,
        steps=[StepFigure("Every kind!", "How are you arriving?", "checkin", 4, expected=4)],
        before=[],
        after=[],
        shift_lines=[],
    )
    embed = checkin_reports.report_embed(report, "Started today", "en")
    fields = fields_of(embed)
    assert "How are you arriving?: 4 of 4 (100%)" in fields["Participation per step"]
    assert "80%" not in json.dumps(embed.to_dict())
    assert fields["Attendance"] == "5 people"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("⏭ Step 2 of 9: **How are you arriving?**", "⏭ Step 2 of 9: **How are you arriving?**"),
        ("You're already in **Tuesday circle**", "You're already in **Tuesday circle**."),
        ("Dropped **run a 5k!**", "Dropped **run a 5k!**"),
        ("Plan: “Open up…”", "Plan: “Open up…”"),
    ],
)
def test_one_full_stop_after_a_title(text: str, expected: str) -> None:
    assert sentence(text) == expected
    assert not DOUBLED.search(sentence(text))


def test_the_rules_catch_the_sentences_of_the_issue() -> None:
    """The checks above would have caught each example the issue quotes."""
    later = STARTED + 600
    assert problems("4 of us finished the whole pattern.", later, card=True)
    assert problems("You have until <t:1767225720:R>.", later, card=False)
    assert problems("Ends <t:1767225720:R>", later, card=True)
    assert problems("in **3.63636 s**", later, card=True)
    assert problems("**How are you arriving?**.", later, card=True)
    assert problems("Repeat **1 times**", later, card=True)
    assert not problems("You have until <t:1767225720:t> (<t:1767225720:R>).", STARTED, card=False)


@pytest.mark.parametrize(
    ("phase", "paused", "expected"),
    [
        ("countdown", False, "Starts: ⏳ starts <t:1767225605:R>"),
        ("playing", False, "Playing: ▶ ends <t:1767225625:R>"),
        ("countdown", True, "Paused: ⏸ Paused: the piece carries on from here when"),
        ("playing", True, "Paused: ⏸ Paused: the piece carries on from here when"),
    ],
)
def test_the_listen_card_shows_its_phase(phase: str, paused: bool, expected: str) -> None:
    """The listening cog redraws the card when its phase changes and when the facilitator
    pauses, so its countdown is of the phase it is in, never one the pause has stopped."""
    act = activity()
    state = {"phase": phase, "starts_at": STARTED + 5, "ends_at": STARTED + 25}
    record = replace(
        run(2, state="paused" if paused else "running", deadline=None if paused else STARTED + 120),
        step_state=json.dumps(state),
    )
    scene = StepScene(
        session=session(), run=record, activity=act, step=act.steps[2], step_index=2, locale="en"
    )
    said = texts(step_presenters()["listen"].render(scene))
    assert any(t.startswith(expected) for t in said), said
    if paused:
        assert not any("<t:" in t for t in said), "no countdown while paused"
