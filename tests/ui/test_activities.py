"""/activity info's list of steps (bot/ui/activities.py): each step's icon is its kind's own
(`StepKind.icon`), so a kind added outside bot/ gets its icon with no table to extend."""

from __future__ import annotations

from pathlib import Path

import discord

from bot.core import steps as core_steps
from bot.core.activity_loader import load_bytes
from bot.core.activity_models import Activity
from bot.ui.activities import activity_embed
from tests.conftest import ROOT

MOOD_KINDS = "tests.steps_example.private"
"""The package of the `mood` kind, whose icon is 🌦."""

MOOD_ACTIVITY = b"""
id: weather-inside
title: Weather inside
summary: One click on how you are.
version: 1
duration_minutes: 5
steps:
  - type: prompt
    title: Arriving
    text: Take a breath.
  - type: mood
    title: How is your weather?
"""


def step_lines(embed: discord.Embed) -> list[str]:
    (steps,) = [f.value for f in embed.fields if f.name == "Steps"]
    return str(steps).splitlines()


def loaded(raw: bytes, name: str) -> Activity:
    activity = load_bytes(raw, name, Path("."))
    assert isinstance(activity, Activity), activity
    return activity


def test_each_step_shows_its_kinds_icon() -> None:
    go_around = loaded((ROOT / "activities" / "go-around.yaml").read_bytes(), "go-around.yaml")
    lines = step_lines(activity_embed(go_around, facilitator=False, locale="en"))
    icons = [core_steps.kind_named(step.type).icon for step in go_around.steps]
    assert [line.split(" ")[1] for line in lines] == icons
    assert lines[0] == "1. 💬 Before we go around · 1m"
    assert lines[1].startswith("2. • Check-in round")  # the round declares no icon: the default


def test_a_kind_added_outside_bot_brings_its_own_icon() -> None:
    core_steps.add_package(MOOD_KINDS)
    try:
        lines = step_lines(
            activity_embed(loaded(MOOD_ACTIVITY, "weather.yaml"), facilitator=False, locale="en")
        )
    finally:
        core_steps.remove_package(MOOD_KINDS)
    assert lines == ["1. 💬 Arriving", "2. 🌦 How is your weather?"]
