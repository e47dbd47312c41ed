"""Every step kind's card in German and Spanish: at its start, in its live states (a countdown, a
piece playing, a writer's turn, a speaker with the floor), closed, and what it posts after, with
its buttons and menus. No text the bot writes may be left in English: the activity's own texts
(English in this fixture) and members' names are cut out first, then no English catalogue text
and no common English word may remain. The forms the steps open are checked the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import discord
import pytest

from bot.i18n import SHIPPED
from bot.ui.listening import ListenReflectForm
from bot.ui.lyrics_forms import LineForm
from bot.ui.reflection import ReflectForm
from bot.ui.steps import presenters as step_presenters
from bot.ui.steps.base import MessagePayload, StepScene
from bot.ui.steps.round import RoundForm
from tests.cogs.test_session_languages import ENGLISH_WORDS, english_msgids
from tests.ui.test_templates import (
    ACTIVITY,
    MEMBERS,
    NAMES,
    STARTED,
    STEPS,
    activity,
    added_steps,
    contributions,
    run,
    session,
)

LANGUAGES = tuple(language for language in SHIPPED if language != "en")
LIVE_STATES: dict[str, list[dict[str, Any]]] = {
    "listen": [
        {"phase": "countdown", "starts_at": STARTED + 5, "ends_at": STARTED + 25},
        {"phase": "playing", "starts_at": STARTED + 5, "ends_at": STARTED + 25},
        {"phase": "after"},
    ],
    "write": [
        {"turn": MEMBERS[0], "turn_deadline": STARTED + 60},
        {
            "turn": MEMBERS[1],
            "last": 1,
            "lines": {"0": {"id": 1, "text": "Rain", "author": MEMBERS[0], "syl": 1}},
        },
    ],
    "round": [
        {"volunteer": True, "order": list(MEMBERS), "wake_at": STARTED + 30},
        {
            "order": list(MEMBERS),
            "speaker": MEMBERS[1],
            "turns": [{"user": MEMBERS[0], "outcome": "pass"}],
            "wake_at": STARTED + 30,
        },
        {"order": list(MEMBERS), "finished": True},
    ],
}
"""Step states worth seeing besides a fresh start ({})."""


def step_texts(value: Any) -> Iterator[str]:
    """Every string of an example step (tests/kind_examples.py) but its `type`."""
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "type":
                yield from step_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from step_texts(item)


ACTIVITY_TEXTS = sorted(
    {
        value.strip()
        for value in re.findall(
            r"(?:title|question|text|theme|prompt|label|name): ([^,}\n]+)", ACTIVITY
        )
    }
    | {"Little tune", "Test band", "Every kind!", "Rain"}
    | {text for step in added_steps() for text in step_texts(step)},
    key=len,
    reverse=True,
)
"""The fixture activity's own words (English only here): not the bot's to translate."""


def view_texts(view: discord.ui.View | None) -> Iterator[str]:
    for item in view.children if view is not None else []:
        label = getattr(item, "label", None)
        if isinstance(label, str):
            yield label
        placeholder = getattr(item, "placeholder", None)
        if isinstance(placeholder, str):
            yield placeholder
        for option in getattr(item, "options", None) or []:
            yield option.label


def payload_texts(payload: MessagePayload) -> list[str]:
    found = [payload.content or ""]
    for embed in payload.all_embeds:
        found += [embed.title or "", embed.description or "", embed.author.name or ""]
        found += [f"{f.name}: {f.value}" for f in embed.fields]
        found.append(embed.footer.text or "")
    found += list(view_texts(payload.view))
    return [t for t in found if t]


def english(texts: list[str], msgids: list[str]) -> list[str]:
    found = []
    for text in texts:
        cleaned = text
        for known in (*ACTIVITY_TEXTS, *NAMES.values()):
            cleaned = cleaned.replace(known, " ")
        cleaned = re.sub(r"<(?:@[!&]?|#|t:)[^>]*>|https?://\S+|`[^`]*`|/[a-z]+", " ", cleaned)
        words = {w.lower() for w in re.findall(r"[^\W\d_]+", cleaned)}
        hits = [m for m in msgids if m in cleaned] + sorted(words & ENGLISH_WORDS)
        if hits:
            found.append(f"{text!r}: {hits}")
    return found


@pytest.fixture(scope="module")
def msgids() -> list[str]:
    return english_msgids()


def scenes_of(index: int, locale: str) -> Iterator[tuple[str, StepScene[Any]]]:
    act = activity()
    step = act.steps[index]
    base = StepScene(
        session=session(), run=run(index), activity=act, step=step, step_index=index, locale=locale
    )
    yield "start", base
    for state in LIVE_STATES.get(step.type, []):
        live = replace(base.run, step_state=json.dumps(state))
        yield f"live {state}", replace(base, run=live, names=NAMES)
    yield "paused", replace(base, run=replace(base.run, state="paused", paused_remaining=42.0))
    closed = replace(
        base, contributions=contributions(index, step.type), names=NAMES, run=run(index + 1)
    )
    yield "after", closed


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("index", STEPS)
def test_every_step_kind_s_card_is_in_the_language(
    index: int, locale: str, msgids: list[str]
) -> None:
    presenter = step_presenters()[activity().steps[index].type]
    said: list[str] = []
    for moment, scene in scenes_of(index, locale):
        if moment == "after":
            said += payload_texts(presenter.render_closed(scene))
            for payload in presenter.after_exit(scene):
                said += payload_texts(payload)
        else:
            said += payload_texts(presenter.render(scene))
    assert len(said) > 3
    wrong = english(said, msgids)
    assert not wrong, "\n".join(wrong)


def form_texts(form: discord.ui.Modal) -> list[str]:
    """The form's title and every text of its components, as Discord receives them."""
    found = [str(form.title)]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ("label", "placeholder", "description", "content") and inner:
                    found.append(str(inner))
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(form.to_dict()["components"])
    return found


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_forms_of_the_steps_are_in_the_reader_s_language(
    locale: str, msgids: list[str]
) -> None:
    act = activity()
    by_kind: dict[str, Any] = {step.type: step for step in act.steps}  # each kind its own model
    from bot.core.lyric_slots import slots

    forms: list[discord.ui.Modal] = [
        ReflectForm(1, 4, by_kind["reflect"], locale),
        ListenReflectForm(1, 2, by_kind["listen"], locale),
        RoundForm(1, 9, 1, by_kind["round"], locale),
        LineForm(
            1,
            3,
            by_kind["write"],
            slots(by_kind["write"], locale)[0],
            clue=None,
            hidden=False,
            locale=locale,
        ),
        LineForm(
            1,
            3,
            by_kind["write"],
            slots(by_kind["write"], locale)[1],
            clue="Rain",
            hidden=True,
            editing="Rain",
            locale=locale,
        ),
    ]
    said = [text for form in forms for text in form_texts(form)]
    wrong = english(said, msgids)
    assert not wrong, "\n".join(wrong)
