"""Who gets a session reminder: opted in, interested in the event, and not reminded yet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.i18n import N_

DEFAULT_MINUTES = 15
MAX_MINUTES = 7 * 24 * 60


def recipients(
    optins: Mapping[int, int],
    slots: Iterable[int],
    interested: Iterable[int],
    already: Iterable[int],
) -> list[int]:
    """Members to remind now: their chosen minutes_before is one of the due `slots`, they marked
    the event Interested, and they have not had a reminder for this occurrence."""
    due = set(slots)
    done = set(already)
    return sorted(uid for uid in set(interested) if optins.get(uid) in due and uid not in done)


def check_minutes(minutes: int) -> int:
    """Minutes before a session, bounded to a week."""
    from bot.core.errors import InvalidInput

    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            N_("Choose between 1 and {max_minutes} minutes before the session."),
            max_minutes=MAX_MINUTES,
        )
    return minutes
