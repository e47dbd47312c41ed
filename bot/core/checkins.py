"""The rules of check-ins: scales, low scores, pairing and group figures (the `checkin` step's
model and handler are in `bot/core/steps/checkin.py`).

Values never travel in contributions: a contribution only says "answered" (kind ``checkin``) or
"passed" (kind ``pass``) so the runner can tell when everyone has answered; the value itself
lives in the ``checkins`` table, private to the member.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean

from babel import numbers

from bot.core.errors import InvalidInput
from bot.core.scales import Scale
from bot.i18n import N_, SOURCE_LANGUAGE, _, language_of, ngettext

K_MIN = 3
"""Group figures are shown only when at least this many people answered."""

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
    """A built-in scale by name ("0-10", "1-5", "sam")."""
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
    """The value if the scale offers it, else a clear refusal."""
    if value not in _values(scale, dimension):
        raise InvalidInput(N_("That isn't one of this check-in's answers. Please press a button."))
    return value


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


# ----------------------------------------------------------------------------------- pairing


@dataclass(frozen=True, slots=True)
class Answer:
    """One stored check-in answer, as the rules need it."""

    user_id: int | None
    scale: str
    phase: str
    measure: str | None
    value: int | None
    passed: bool
    created_at: float
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    user_id: int
    key: tuple[str, str]
    before: Answer
    after: Answer

    @property
    def shift(self) -> int:
        assert self.before.value is not None and self.after.value is not None
        return self.after.value - self.before.value


def pair_key(answer: Answer) -> tuple[str, str]:
    """Before and after pair when they measure the same thing on the same scale."""
    return (answer.measure or "", answer.scale)


def pairs(answers: Iterable[Answer]) -> list[Pair]:
    """Each member's latest before and latest after with the same key (passes never pair)."""
    latest: dict[tuple[int, tuple[str, str], str], Answer] = {}
    for a in sorted(answers, key=lambda a: a.created_at):
        if a.user_id is None or a.passed or a.value is None or a.phase not in ("before", "after"):
            continue
        latest[(a.user_id, pair_key(a), a.phase)] = a
    found = []
    for (user_id, key, phase), before in latest.items():
        if phase != "before":
            continue
        after = latest.get((user_id, key, "after"))
        if after is not None and after.created_at >= before.created_at:
            found.append(Pair(user_id=user_id, key=key, before=before, after=after))
    return sorted(found, key=lambda p: (p.key, p.user_id))


@dataclass(frozen=True, slots=True)
class GroupShift:
    """The group's change on one measure; figures are None when too few people paired."""

    key: tuple[str, str]
    people: int
    mean_shift: float | None
    improved: int | None
    stayed: int | None
    dropped: int | None

    @property
    def shown(self) -> bool:
        return self.mean_shift is not None


def group_shifts(found: Sequence[Pair]) -> list[GroupShift]:
    """Mean shift and improved/stayed/dropped per measure, suppressed below K_MIN people."""
    by_key: dict[tuple[str, str], list[Pair]] = {}
    for p in found:
        by_key.setdefault(p.key, []).append(p)
    result = []
    for key, group in sorted(by_key.items()):
        if len(group) < K_MIN:
            result.append(GroupShift(key, len(group), None, None, None, None))
            continue
        shifts = [p.shift for p in group]
        result.append(
            GroupShift(
                key=key,
                people=len(group),
                mean_shift=round(mean(shifts), 2),
                improved=sum(1 for s in shifts if s > 0),
                stayed=sum(1 for s in shifts if s == 0),
                dropped=sum(1 for s in shifts if s < 0),
            )
        )
    return result


KNOWN_MEASURES = (N_("mood"), N_("energy"), N_("stress"), N_("anxiety"), N_("connection"))
"""Measure slugs the shipped activities use, worded in the summary's language; any other slug
is shown as written."""


def signed_tenths(value: float, locale: str) -> str:
    """``1.0`` -> ``"+1.0"`` (en), ``"+1,0"`` (de, es): a shift in points, one decimal, signed."""
    tenths = round(value, 1)
    sign = "+" if tenths >= 0 else "-"
    return sign + numbers.format_decimal(
        abs(tenths), format="0.0", locale=language_of(locale) or "en"
    )


def too_few_pairs(locale: str) -> str:
    """The summary's sentence when too few answered both check-ins (in ``locale``)."""
    return _(
        "Too few answers to show group figures: fewer than {k} people answered both the "
        "before and the after check-in.",
        locale,
        k=K_MIN,
    )


def shift_lines(shifts: Sequence[GroupShift], locale: str) -> list[tuple[str, str]]:
    """Summary lines for a session: one per measure, or the too-few-answers sentence, worded
    in ``locale`` (a language code)."""
    if not shifts:
        return []
    lines: list[tuple[str, str]] = []
    for s in shifts:
        measure, scale = s.key
        name = (
            _("Mood shift ({measure}, {scale})", locale, measure=_(measure, locale), scale=scale)
            if measure
            else _("Mood shift ({scale})", locale, scale=scale)
        )
        if not s.shown:
            lines.append((name, too_few_pairs(locale)))
            continue
        assert s.mean_shift is not None
        shift = signed_tenths(s.mean_shift, locale)
        lines.append(
            (
                name,
                _(
                    "Mean shift **{shift}** points across {people} people: {improved} improved, "
                    "{stayed} stayed the same, {dropped} dropped.",
                    locale,
                    shift=shift,
                    people=s.people,
                    improved=s.improved,
                    stayed=s.stayed,
                    dropped=s.dropped,
                ),
            )
        )
    return lines


def k_figure(count: int, total: int | None = None) -> str:
    """A count (or rate) shown only at or above K_MIN."""
    if count < K_MIN:
        return f"fewer than {K_MIN}"
    if total:
        return f"{count} of {total} ({round(100 * count / total)}%)"
    return str(count)


BANDS = (("low (0-3)", 0.0, 3.0), ("middle (4-6)", 3.0001, 6.0), ("high (7-10)", 6.0001, 10.0))


def bands(values: Iterable[float]) -> list[int]:
    """Counts in three broad bands of the 0-10 axis: coarse enough not to single anyone out."""
    counts = [0, 0, 0]
    for v in values:
        for i, (_band, low, high) in enumerate(BANDS):
            if low <= v <= high:
                counts[i] += 1
                break
    return counts


SCALE_NAMES = {"1-5": N_("the faces scale"), "sam": N_("the feeling-and-energy scale")}


def member_summary(answers: Sequence[Answer], locale: str) -> str:
    """A short, gentle text about a member's own history, in ``locale``.

    0-10 answers are summarised on their own scale; answers on other scales are only counted,
    never converted into 0-10 figures they didn't give.
    """
    if not answers:
        return _("No check-ins in this period yet. Try /checkin now whenever you like.", locale)
    ordered = sorted(answers, key=lambda a: a.created_at)
    answered = [a for a in ordered if not a.passed and a.value is not None]
    passed = sum(1 for a in ordered if a.passed)
    checked = ngettext("{count} time", "{count} times", len(answered), locale)
    if passed:
        text = _(
            "You checked in {checked} and passed {passed}.",
            locale,
            checked=checked,
            passed=ngettext("{count} time", "{count} times", passed, locale),
        )
    else:
        text = _("You checked in {checked}.", locale, checked=checked)
    ten = [a.value for a in answered if a.scale == "0-10" and a.value is not None]
    if len(ten) == 1:
        text += " " + _(
            "Your check-in on the 0-10 scale was {value} out of 10.", locale, value=ten[0]
        )
    elif ten and min(ten) == max(ten):
        text += " " + _(
            "Your check-ins on the 0-10 scale were all {value} out of 10.", locale, value=ten[0]
        )
    elif ten:
        text += " " + _(
            "Your check-ins ranged from {low} to {high} out of 10; the most recent was {last}.",
            locale,
            low=min(ten),
            high=max(ten),
            last=ten[-1],
        )
    others = []
    for key, name in SCALE_NAMES.items():
        n = sum(1 for a in answered if a.scale == key)
        if n:
            others.append(
                ngettext(
                    "{count} answer on {scale}",
                    "{count} answers on {scale}",
                    n,
                    locale,
                    scale=_(name, locale),
                )
            )
    custom = sum(1 for a in answered if a.scale not in SCALE_NAMES and a.scale != "0-10")
    if custom:
        others.append(
            ngettext("{count} answer with words", "{count} answers with words", custom, locale)
        )
    if others:
        joiner = " " + _("and", locale) + " "
        text += " " + _("Also {others}.", locale, others=joiner.join(others))
    own = pairs(answers)
    if own:
        ups = sum(1 for p in own if p.shift > 0)
        text += " " + ngettext(
            "Of {count} session where you checked in at the start and the end, you felt better "
            "at the end in {better}.",
            "Of {count} sessions where you checked in at the start and the end, you felt "
            "better at the end in {better}.",
            len(own),
            locale,
            better=ups,
        )
    return text
