"""Personal goals: the rules (limits, ratings, progress summaries) and the service (the `goal`
step's model and handler are in `bot/core/steps/goal.py`).

A member chooses up to MAX_ACTIVE goals per server ("feeling less anxious"), and at a goal step
rates privately how today went for each, on a 1-5 scale with words. Goals and ratings are private
to the member: the group and the facilitator only ever see counts, and only at K_MIN or more.

Ratings never travel in contributions: a member's one contribution (kind ``goal``) says only
``answer``: "rated" (with ``done``: every goal of theirs has an answer), "set" (they set a first
goal here) or "pass", so the runner can tell when everyone has answered; the values live in the
``goal_ratings`` table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean

from bot.core.checkins import K_MIN, strip_mentions
from bot.core.errors import Conflict, InvalidInput
from bot.core.text import clean_member_text
from bot.i18n import N_, _, format_number, ngettext
from bot.records.goals import RatingRecord

MAX_ACTIVE = 3
"""Active goals a member may have at once in one server."""
GOAL_MAX = 100
"""Longest goal text, in characters."""

RATINGS: tuple[tuple[int, str], ...] = (
    (1, N_("Hard")),
    (2, N_("Not great")),
    (3, N_("Okay")),
    (4, N_("Good")),
    (5, N_("Very good")),
)
"""The 1-5 answers to "How did today go for: <goal>?", each with words (catalogue msgids)."""
RATING_LABEL = dict(RATINGS)


# ---------------------------------------------------------------------------------- rules


def clean_goal(text: str) -> str:
    """A goal as stored: one line, no invisible tricks, 1 to GOAL_MAX characters. Raises
    InvalidInput when it is empty or longer."""
    cleaned = clean_member_text(strip_mentions(text), GOAL_MAX * 4, single_line=True)
    if not cleaned:
        raise InvalidInput(N_("Your goal is empty. Write it in a few words, e.g. *sleep better*."))
    if len(cleaned) > GOAL_MAX:
        raise InvalidInput(
            N_(
                "A goal can be at most {goal_max} characters; yours has {cleaned_length}. A few "
                "words are plenty."
            ),
            goal_max=GOAL_MAX,
            cleaned_length=len(cleaned),
        )
    return cleaned


def check_can_add(active: Sequence[str], text: str) -> None:
    """Raises Conflict for a fourth active goal, or the same goal twice (case ignored)."""
    if len(active) >= MAX_ACTIVE:
        raise Conflict(
            N_(
                "You already have {max_active} goals, the most at once. Mark one as done (/goal "
                "done) or drop it (/goal drop) to make room."
            ),
            max_active=MAX_ACTIVE,
        )
    if text.casefold() in {a.casefold() for a in active}:
        raise Conflict(N_("You already have that goal. See /goal list."))


def check_rating(value: int) -> int:
    """`value` when it is one of the ratings (1-5). Raises InvalidInput otherwise."""
    if value not in RATING_LABEL:
        raise InvalidInput(N_("That isn't one of the answers (1 to 5). Please press a button."))
    return value


def describe_rating(value: int | None, locale: str | None) -> str:
    """How a rating is shown back to its member in ``locale`` (None: English): "4 · Good", or
    "passed"."""
    if value is None:
        return _("passed", locale)
    label = RATING_LABEL.get(value)
    return f"{value} · {_(label, locale) if label else '?'}"


# ------------------------------------------------------------------------------- progress


@dataclass(frozen=True, slots=True)
class SessionRating:
    """A goal's rating in one session (the latest, if it was asked twice)."""

    session_id: int | None
    at: float
    value: int


def per_session(ratings: Iterable[RatingRecord]) -> list[SessionRating]:
    """One point per session, oldest first; passes are left out."""
    latest: dict[object, RatingRecord] = {}
    for r in sorted(ratings, key=lambda r: (r.created_at, r.id)):
        if r.value is None:
            continue
        key: object = r.session_id if r.session_id is not None else ("rating", r.id)
        latest[key] = r
    points = [SessionRating(r.session_id, r.created_at, int(r.value or 0)) for r in latest.values()]
    return sorted(points, key=lambda p: p.at)


def trend(values: Sequence[int], locale: str | None) -> str | None:
    """The direction of the last three ratings, in words in ``locale`` (None: English); None for
    fewer than three."""
    if len(values) < 3:
        return None
    a, b, c = values[-3:]
    if a == b == c:
        return _("last three steady", locale)
    if a <= b <= c:
        return _("last three rising", locale)
    if a >= b >= c:
        return _("last three falling", locale)
    return _("last three up and down", locale)


def progress_summary(values: Sequence[int], locale: str | None) -> str:
    """One line about a goal's ratings in ``locale`` (None: English), e.g. "4 sessions, average
    3.5, last three rising"."""
    if not values:
        return _("No ratings yet: you'll be asked at a goal step in a session.", locale)
    count = len(values)
    if count == 1:
        return _("1 session, rated {rating}", locale, rating=describe_rating(values[0], locale))
    parts = [
        ngettext("{count} session", "{count} sessions", count, locale),
        _("average {mean}", locale, mean=format_number(mean(values), locale, decimals=1)),
    ]
    direction = trend(values, locale)
    if direction is not None:
        parts.append(direction)
    elif values[-1] > values[-2]:
        parts.append(_("up from last time", locale))
    elif values[-1] < values[-2]:
        parts.append(_("down from last time", locale))
    else:
        parts.append(_("same as last time", locale))
    return ", ".join(parts)


def facilitator_line(with_goals: int, rated: int, locale: str) -> str:
    """What a facilitator may see: counts only, each hidden below K_MIN (in ``locale``)."""
    if with_goals < K_MIN:
        return _(
            N_(
                "Fewer than {k} members here have personal goals, so no goal figures are shown. "
                "Goals and ratings stay private to each member."
            ),
            locale,
            k=K_MIN,
        )
    return _(
        N_(
            "{with_goals} members here have personal goals; {rated} rated them today. Goals and "
            "ratings stay private to each member."
        ),
        locale,
        with_goals=with_goals,
        rated=_(N_("fewer than {k}"), locale, k=K_MIN) if rated < K_MIN else rated,
    )
