"""The rules of check-ins: scales, values and low scores (the `checkin` step's model and handler
are in `bot/core/steps/checkin.py`; before/after pairs and group figures in `checkin_figures.py`,
a member's own summary in `checkin_summary.py`).

Values never travel in contributions: a contribution only says "answered" (kind ``checkin``) or
"passed" (kind ``pass``) so the runner can tell when everyone has answered; the value itself
lives in the ``checkins`` table, private to the member.
"""

from __future__ import annotations

import re

from bot.core.errors import InvalidInput
from bot.core.scales import Scale
from bot.i18n import N_, SOURCE_LANGUAGE, _

K_MIN = 3
"""Group figures (check-in figures, votes per choice, reactions per kind, counts on the board)
are shown only when at least this many people are behind them; fewer, and a figure could tell
who answered what."""

SCALES = ("0-10", "1-5", "sam")
"""Scales a member can pick for /checkin now."""

DEFAULT_NOTE_MAX = 300

_MENTIONS = (
    (re.compile(r"<@!?\d+>"), "a member"),
    (re.compile(r"<@&\d+>"), "a role"),
    (re.compile(r"<#\d+>"), "a channel"),
    (re.compile(r"</([^:>]+):\d+>"), r"/\1"),
    (re.compile(r"<a?:(\w+):\d+>"), r":\1:"),
    (re.compile(r"@(everyone|here)\b", re.IGNORECASE), r"\1"),
)


def strip_mentions(text: str) -> str:
    """Member text with Discord's mention syntax made plain words (stored that way).

    `<@id>` becomes "a member", `@everyone` "everyone", a custom emoji its :name:; so a goal
    or a note never shows as a ping or a raw id, whatever message later carries it.
    """
    for pattern, plain in _MENTIONS:
        text = pattern.sub(plain, text)
    return text


# ------------------------------------------------------------------------------------ scales


def scale_of(name: str) -> Scale:
    """A built-in scale by name ("0-10", "1-5", "sam"). Raises InvalidInput for any other
    name."""
    if name not in SCALES:
        raise InvalidInput(
            N_("Unknown scale {name}; choose one of {scales}."),
            name=repr(name),
            scales=", ".join(SCALES),
        )
    return Scale.model_validate(name)


_BUILT_IN_VALUES: dict[tuple[str, str], frozenset[int]] = {}


def _values(scale: Scale, dimension: str = "valence") -> frozenset[int]:
    """The values a scale offers (built-in scales are worked out once: a hot path). Only the
    values are read, so the labels' language doesn't matter."""
    if scale.kind == "custom":
        return frozenset(o.value for o in scale.options(SOURCE_LANGUAGE, dimension=dimension))
    key = (scale.kind, dimension)
    found = _BUILT_IN_VALUES.get(key)
    if found is None:
        found = frozenset(o.value for o in scale.options(SOURCE_LANGUAGE, dimension=dimension))
        _BUILT_IN_VALUES[key] = found
    return found


def value_range(scale: Scale) -> tuple[int, int]:
    """Lowest and highest value of a scale's first (or only) dimension."""
    values = _values(scale)
    return min(values), max(values)


def check_value(scale: Scale, value: int, dimension: str = "valence") -> int:
    """The value if the scale offers it on `dimension`. Raises InvalidInput when it doesn't."""
    if value not in _values(scale, dimension):
        raise InvalidInput(N_("That isn't one of this check-in's answers. Please press a button."))
    return value


def check_answer(scale: Scale, value: int | None, value2: int | None) -> None:
    """An answer the scale offers: `value` (None: a pass, always fine), and on a two-axis `sam`
    scale also `value2` (the energy level). Raises InvalidInput when either isn't one of the
    scale's values or a `sam` answer lacks its energy level."""
    if value is None:
        return
    check_value(scale, value)
    if scale.kind == "sam":
        if value2 is None:
            raise InvalidInput(N_("Please choose your energy level too."))
        check_value(scale, value2, "arousal")


def is_ordinal(scale: Scale) -> bool:
    """Numeric scales have a low end; custom options are words, not a ranking."""
    return scale.kind in SCALES


def low_threshold(scale: Scale, low_score_max: int) -> int | None:
    """The highest value that counts as low on this scale, scaled from the 0-10 setting.

    0-10: the setting itself (default 2). 1-5: 1. SAM valence (1-9): 1-2. Custom scales: None,
    because their options are words that need not run from low to high.
    """
    if not is_ordinal(scale):
        return None
    low, high = value_range(scale)
    fraction = max(0, min(low_score_max, 10)) / 10
    return int(low + fraction * (high - low) + 1e-9)


def is_low(scale: Scale, value: int | None, low_score_max: int) -> bool:
    """True for a value at the low end (for SAM, the valence answer)."""
    threshold = low_threshold(scale, low_score_max)
    return value is not None and threshold is not None and value <= threshold


def to_ten(scale_kind: str, value: float) -> float | None:
    """A value on the common 0-10 axis used by charts; None for custom scales."""
    if scale_kind == "0-10":
        return float(value)
    if scale_kind == "1-5":
        return (value - 1) * 2.5
    if scale_kind == "sam":
        return (value - 1) * 1.25
    return None


def describe_value(
    scale: Scale, value: int | None, value2: int | None = None, *, locale: str
) -> str:
    """How a member's own answer is shown back to them (in ``locale``)."""
    if value is None:
        return _("passed", locale)
    if scale.kind == "0-10":
        return _("{value} out of 10", locale, value=value)
    if scale.kind == "sam":
        return _(
            "feeling {value} of 9 (1 unpleasant, 9 pleasant), energy {energy} of 9 (1 calm, "
            "9 activated)",
            locale,
            value=value,
            energy=value2 if value2 is not None else "-",
        )
    for option in scale.options(locale):
        if option.value == value:
            return f"{option.emoji + ' ' if option.emoji else ''}{option.label}"
    return str(value)


def scale_key(scale: Scale) -> str:
    """What is stored in checkins.scale."""
    return scale.kind
