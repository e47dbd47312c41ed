"""Writing a simple activity without YAML: a draft built step by step from short forms.

`/activity new` starts a draft (id, title, summary, length); each step kind asks only for its
required fields (and a few common ones). The draft is the activity's YAML text itself, kept in
the facilitator's private draft message, so nothing is stored until it is saved, it survives a
restart, and what is saved is exactly what `/activity export` gives back. Saving goes through
the same validation as an upload.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from bot.core.errors import InvalidInput
from bot.i18n import N_

DRAFT_MAX = 3800
"""The draft YAML must fit the draft message's embed (4,096) with its code fence."""
Style = Literal["short", "paragraph"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input of a step kind's form; ``label`` and ``placeholder`` are catalogue texts
    (English msgids), worded by the ui in the facilitator's language."""

    key: str
    label: str
    style: Style = "short"
    required: bool = True
    default: str = ""
    placeholder: str = ""
    max_length: int = 200


_TITLE = FieldSpec("title", N_("Step title"), placeholder=N_("e.g. Arriving"))
_TIME = FieldSpec(
    "time_limit", N_("Time limit (optional)"), required=False, placeholder=N_("e.g. 90s, 3m, 1m30s")
)

STEP_FORMS: dict[str, tuple[str, tuple[FieldSpec, ...]]] = {
    "prompt": (
        N_("Something to read or discuss"),
        (
            _TITLE,
            FieldSpec("text", N_("What everyone reads"), "paragraph", max_length=2000),
            _TIME,
        ),
    ),
    "checkin": (
        N_("A private mood check-in"),
        (
            _TITLE,
            FieldSpec(
                "question", N_("The question"), placeholder=N_("How are you arriving today?")
            ),
            FieldSpec(
                "scale",
                N_("Scale: 0-10, 1-5 or sam"),
                default="0-10",
                placeholder=N_("0-10, 1-5 or sam"),
            ),
            _TIME,
        ),
    ),
    "listen": (
        N_("Listening together to a piece"),
        (
            _TITLE,
            FieldSpec("track_title", N_("The piece's title")),
            FieldSpec("artist", N_("Artist (optional)"), required=False),
            FieldSpec("url", N_("A link to the piece"), placeholder="https://...", max_length=500),
            FieldSpec(
                "duration", N_("Its length (optional)"), required=False, placeholder=N_("3m30s")
            ),
        ),
    ),
    "write": (
        N_("A song written together, line by line"),
        (_TITLE, FieldSpec("theme", N_("The song's theme"), placeholder=N_("e.g. Home")), _TIME),
    ),
    "reflect": (
        N_("An open question, answered in a few words"),
        (_TITLE, FieldSpec("question", N_("The question"), "paragraph", max_length=500), _TIME),
    ),
    "breathe": (
        N_("Paced breathing"),
        (
            _TITLE,
            FieldSpec("inhale", N_("Breathe in, seconds"), default="4"),
            FieldSpec("exhale", N_("Breathe out, seconds"), default="6"),
            FieldSpec("cycles", N_("How many breaths"), default="6"),
            _TIME,
        ),
    ),
    "vote": (
        N_("A vote among a few choices"),
        (
            _TITLE,
            FieldSpec("question", N_("The question")),
            FieldSpec(
                "options",
                N_("The choices, one per line (2 to 25)"),
                "paragraph",
                placeholder=N_("Calm\nHopeful\nTired"),
                max_length=1500,
            ),
            _TIME,
        ),
    ),
    "goal": (N_("Rating personal goals"), (_TITLE, _TIME)),
}
"""Each step kind's form: a one-line description and its inputs (at most 5, a form's limit)."""


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


def _number(value: str, what: str, whole: bool) -> int | float:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(
            N_("{what} should be a number, like 4; you wrote “{value}”."),
            what=what,
            value=value[:40],
        ) from None
    if whole:
        if number != int(number):
            raise InvalidInput(
                N_("{what} should be a whole number; you wrote “{value}”."),
                what=what,
                value=value[:40],
            )
        return int(number)
    return int(number) if number == int(number) else number


def step_from_form(kind: str, values: Mapping[str, str]) -> dict[str, Any]:
    """A step in the activity format from a kind's form answers; raises InvalidInput."""
    if kind not in STEP_FORMS:
        raise InvalidInput(N_("There's no step kind called “{kind}”."), kind=kind[:40])
    text = {key: value.strip() for key, value in values.items()}
    step: dict[str, Any] = {"type": kind, "title": text.get("title", "")}
    if kind == "prompt":
        step["text"] = text.get("text", "")
    elif kind in ("checkin", "reflect", "vote"):
        step["question"] = text.get("question", "")
    if kind == "checkin":
        step["scale"] = text.get("scale") or "0-10"
    elif kind == "listen":
        track: dict[str, Any] = {"title": text.get("track_title", ""), "url": text.get("url", "")}
        if text.get("artist"):
            track["artist"] = text["artist"]
        if text.get("duration"):
            track["duration"] = text["duration"]
        step["track"] = track
    elif kind == "write":
        step["theme"] = text.get("theme", "")
    elif kind == "breathe":
        step["inhale"] = _number(text.get("inhale") or "4", "Breathe in", whole=False)
        step["exhale"] = _number(text.get("exhale") or "6", "Breathe out", whole=False)
        step["cycles"] = _number(text.get("cycles") or "6", "How many breaths", whole=True)
    elif kind == "vote":
        options = [line.strip() for line in text.get("options", "").splitlines() if line.strip()]
        if len(options) < 2:
            raise InvalidInput(N_("A vote needs at least two choices, one per line."))
        step["options"] = options
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
