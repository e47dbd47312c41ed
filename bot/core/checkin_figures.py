"""Before and after check-ins paired per member, and the group's figures from them: the mean
shift, who improved, stayed or dropped, broad bands. A figure is shown only when at least K_MIN
people are behind it (privacy by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean

from babel import numbers

from bot.core.checkins import K_MIN
from bot.i18n import N_, _, language_of, ngettext

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
        """After minus before, in the scale's points (positive: higher at the end)."""
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
        """Whether the group's figures may be shown (at least K_MIN people paired)."""
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
        assert s.improved is not None and s.stayed is not None and s.dropped is not None
        shift = signed_tenths(s.mean_shift, locale)
        lines.append(
            (
                name,
                _(
                    "Mean shift **{shift}** points across {people} people: {improved}, "
                    "{stayed}, {dropped}.",
                    locale,
                    shift=shift,
                    people=s.people,
                    # Each count its own plural text: one person's verb is singular.
                    improved=ngettext("{count} improved", "{count} improved", s.improved, locale),
                    stayed=ngettext(
                        "{count} stayed the same", "{count} stayed the same", s.stayed, locale
                    ),
                    dropped=ngettext("{count} dropped", "{count} dropped", s.dropped, locale),
                ),
            )
        )
    return lines


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
