"""Writing a simple activity without YAML: a draft built step by step from short forms.

`/activity new` starts a draft (id, title, summary, length); each step kind asks only for its
required fields (and a few common ones), through the form its module declares
(`bot.core.step_forms`). The draft is the activity's YAML text itself, kept in
the facilitator's private draft message, so nothing is stored until it is saved, it survives a
restart, and what is saved is exactly what `/activity export` gives back. Saving goes through
the same validation as an upload.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from bot.core.errors import InvalidInput
from bot.core.guild_library import GuildLibrary, Refused
from bot.core.step_forms import StepForm
from bot.core.steps import step_kinds
from bot.i18n import N_

DRAFT_MAX = 3800
"""The draft YAML must fit the draft message's embed (4,096) with its code fence."""


def step_forms() -> dict[str, StepForm]:
    """Each step kind the builder offers, by name, in the order authors see kinds: the
    registered kinds that have a form (`StepKind.form`)."""
    return {kind.name: kind.form for kind in step_kinds() if kind.form is not None}


def offered_kind(kind: str) -> str:
    """`kind` when the builder offers it (see `step_forms`); raises InvalidInput (choose from
    the list) for anything else, e.g. a kind a newer or older Chorus offered."""
    if kind not in step_forms():
        raise InvalidInput(N_("Choose a kind of step from the list."))
    return kind


def new_draft(activity_id: str, title: str, summary: str, minutes: int) -> dict[str, Any]:
    """The start of an activity: its header and no steps yet."""
    return {
        "id": activity_id,
        "title": title.strip(),
        "summary": summary.strip(),
        "version": 1,
        "duration_minutes": minutes,
        "steps": [],
    }


def step_from_form(kind: str, values: Mapping[str, str]) -> dict[str, Any]:
    """A step in the activity format from a kind's form answers; raises InvalidInput."""
    form = step_forms().get(kind)
    if form is None:
        raise InvalidInput(N_("There's no step kind called “{kind}”."), kind=kind[:40])
    text = {key: value.strip() for key, value in values.items()}
    step: dict[str, Any] = {"type": kind, "title": text.get("title", "")}
    step.update(form.build(text))
    if text.get("time_limit"):
        step["time_limit"] = text["time_limit"]
    return step


def render(draft: Mapping[str, Any]) -> str:
    """The draft as the YAML an activity file holds (keys in the order they were written)."""
    return yaml.safe_dump(dict(draft), sort_keys=False, allow_unicode=True, width=88)


_FENCE = re.compile(r"^```(?:yaml)?\n(?P<body>.*)\n```$", re.DOTALL)


def parse(fenced: str) -> dict[str, Any]:
    """The draft from its message (a fenced YAML block); raises InvalidInput if it isn't one."""
    match = _FENCE.match(fenced.strip())
    try:
        data = yaml.safe_load(match["body"]) if match else None
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise InvalidInput(
            N_(
                "I can't read this draft any more. Start again with /activity new, or export and "
                "upload the file instead."
            )
        )
    return data


def fenced(text: str) -> str:
    """The draft as its message shows it; raises InvalidInput when it no longer fits."""
    if len(text) > DRAFT_MAX:
        raise InvalidInput(
            N_(
                "This draft is now too long to build here. Save it, then continue in the file: "
                "/activity export gives it to you, /activity upload takes it back."
            )
        )
    return f"```yaml\n{text}```"


def draft_id(library: GuildLibrary, guild_id: int, activity_id: str) -> str:
    """The id `/activity new` starts a draft with (spaces around it dropped). Raises
    InvalidInput for an id that isn't in the activity id format or is taken in the server's
    `library`."""
    return library.free_id(
        guild_id,
        activity_id,
        N_(
            "An activity id is up to 64 lowercase letters and digits, with single hyphens "
            "between words, e.g. `our-opening-circle`."
        ),
        N_(
            "`{activity_id}` is already taken here. Choose another id, or start from it with "
            "/activity copy."
        ),
        field="activity_id",
    )


def check_draft(library: GuildLibrary, draft: Mapping[str, Any]) -> None:
    """A draft (with its new step) validated as an upload to `library` would be. Raises
    InvalidInput naming the first five problems (where they are, and what)."""
    checked = library.check(render(draft).encode("utf-8"), f"{draft['id']}.yaml")
    if isinstance(checked, Refused):
        raise InvalidInput(
            N_("That step can't be added yet: {problems}"),
            problems=[e.at_field() for e in checked.errors[:5]],
        )
