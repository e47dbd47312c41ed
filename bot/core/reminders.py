"""Who gets a session reminder: interested in the event, with a reminder time (their own for
the series, else their /remind me setting), and not reminded yet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.i18n import N_

DEFAULT_MINUTES = 15
MAX_MINUTES = 7 * 24 * 60
SERIES_CHOICES = (24 * 60, 120, 30, 0)
"""The times a member may pick for one series, in minutes before the start (0 is at the start);
"no reminder" is None."""


@dataclass(frozen=True, slots=True)
class OwnTime:
    """A member's own time for a series (`chosen`, minutes before) and why a reminder of theirs
    comes when it does: `own` (at their time), `usual` (their time had passed for this session
    when they chose it: their /remind me time instead) or `sooner` (likewise, and the longest
    series choice still ahead then instead); see `own_lead`."""

    chosen: int
    why: Literal["own", "usual", "sooner"]


def own_time(chosen: int, lead: int, usual: int | None) -> OwnTime:
    """Why a member whose own time is `chosen` is reminded `lead` minutes before (`usual`:
    their /remind me minutes, None when off)."""
    if lead == chosen:
        return OwnTime(chosen, "own")
    return OwnTime(chosen, "usual" if lead == usual else "sooner")


def lead_time(
    user_id: int, optins: Mapping[int, int], chosen: Mapping[int, int | None]
) -> int | None:
    """The member's minutes before a session of the series: their own choice for the series
    (None for no reminder) wins over their /remind me setting; None when neither."""
    if user_id in chosen:
        return chosen[user_id]
    return optins.get(user_id)


def own_lead(
    minutes: int | None, chosen_at: float, usual: int | None, starts_at: float
) -> int | None:
    """The minutes before a session starting at `starts_at` that a member is reminded, whose
    own time for the series is `minutes` (chosen at `chosen_at`; None: no reminder).

    A time already past when it was chosen (a day before, chosen 3 hours before) is kept for
    the later sessions of the series; for this one the member gets their usual /remind me time
    if it was still ahead (`usual`, minutes), else the longest series choice still ahead
    (at the latest, at the start). None when the session had started (UTC seconds)."""
    if minutes is None:
        return None
    shorter = [c for c in SERIES_CHOICES if c < minutes]
    for lead in (minutes, usual, *shorter):
        if lead is not None and starts_at - 60 * lead > chosen_at:
            return lead
    return None


def recipients(
    optins: Mapping[int, int],
    slots: Iterable[int],
    interested: Iterable[int],
    already: Iterable[int],
    chosen: Mapping[int, int | None] | None = None,
) -> list[int]:
    """Members to remind now: their lead time (see `lead_time`) is one of the due `slots`, they
    marked the event Interested, and they have not had a reminder for this occurrence."""
    due = set(slots)
    done = set(already)
    own = chosen or {}
    return sorted(
        uid
        for uid in set(interested)
        if uid not in done and (m := lead_time(uid, optins, own)) is not None and m in due
    )


def check_series_choice(minutes: int | None) -> int | None:
    """One of SERIES_CHOICES or None. Raises InvalidInput otherwise (an id from elsewhere)."""
    from bot.core.errors import InvalidInput

    if minutes is not None and minutes not in SERIES_CHOICES:
        raise InvalidInput(
            N_("That reminder time isn't one of the choices; pick one of the buttons.")
        )
    return minutes


def check_minutes(minutes: int) -> int:
    """Minutes before a session, bounded to a week. Raises InvalidInput outside 1 to
    MAX_MINUTES."""
    from bot.core.errors import InvalidInput

    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            N_("Choose between 1 and {max_minutes} minutes before the session."),
            max_minutes=MAX_MINUTES,
        )
    return minutes
