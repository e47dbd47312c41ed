"""The translated shipped activities render in German and Spanish with no English activity text.

Each step of the four translated activities goes through its real presenter (the card as posted
and as closed); every text the activity holds in English must be absent from the German and
Spanish cards, and the step's own title in that language present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.core.activities import Activity, Catalog, localize
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.steps import presenters as default_presenters
from bot.ui.steps.base import MessagePayload, StepScene

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("opening-checkin", "closing-checkin", "song-choice", "lyric-circle")
LANGUAGES = ("de", "es")


def english_texts(value: Any) -> list[str]:
    """Every English side of a {en: ..., de: ..., es: ...} text in an activity's definition."""
    if isinstance(value, dict):
        if "en" in value and all(isinstance(v, str) for v in value.values()):
            return [value["en"]]
        return [t for v in value.values() for t in english_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in english_texts(v)]
    return []


def shown(payload: MessagePayload) -> str:
    parts = [payload.content or ""]
    for embed in payload.all_embeds:
        parts += [embed.title or "", embed.description or "", embed.author.name or ""]
        parts += [embed.footer.text or ""]
        parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    if payload.view is not None:
        for item in payload.view.children:
            if isinstance(item, discord.ui.Button):
                parts.append(item.label or "")
            if isinstance(item, discord.ui.Select):
                parts += [f"{o.label} {o.description or ''}" for o in item.options]
    return " ".join(" ".join(parts).split())


def scenes(activity: Activity, locale: str) -> list[StepScene[Any]]:
    session = SessionRecord(1, 1, 1, None, "Circle", 1, None, "active", 0.0, None)
    found = []
    for index, step in enumerate(activity.steps):
        run = RunRecord(
            1,
            1,
            activity.id,
            "h",
            "{}",
            index,
            0.0,
            60.0,
            None,
            None,
            "{}",
            None,
            "running",
            0.0,
            None,
        )
        found.append(StepScene(session, run, activity, step, index, locale=locale))
    return found


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("activity_id", TRANSLATED)
def test_step_cards_have_no_english_activity_text(activity_id: str, locale: str) -> None:
    catalog = Catalog.load([ROOT / "activities"], ROOT / "media")
    activity = catalog.activities[activity_id]
    definition = json.loads(activity.model_dump_json(by_alias=True))
    english = [" ".join(t.split()) for t in english_texts(definition)]
    assert len(english) >= 5, "the activity is translated field by field"
    presenters = default_presenters()
    for scene in scenes(activity, locale):
        presenter = presenters[scene.step.type]
        for payload in (presenter.render(scene), presenter.render_closed(scene)):
            text = shown(payload)
            assert " ".join(localize(scene.step.title, locale).split()) in text
            # Whole words: "calm" (a reaction's English label) is no leak inside "calmarse".
            left = [e for e in english if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)]
            assert not left, f"{activity_id} step {scene.step_index + 1} in {locale} shows {left}"
