"""Time zones by IANA name and wall-clock times in them (zoneinfo; daylight-saving gaps and folds)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.errors import InvalidInput
from bot.i18n import N_


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`. Raises InvalidInput, saying what to type, for a name the
    zone database doesn't know."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            N_(
                "I don't know the time zone `{name}`. Use a name like `Europe/Berlin` or "
                "`America/New_York` (pick one of the suggestions)."
            ),
            name=name[:60],
        ) from None


def timezone_choices(current: str, limit: int = 25) -> list[str]:
    """Zone names containing what was typed, those starting with it first."""
    needle = current.strip().casefold().replace(" ", "_")
    names = sorted(available_timezones())
    if not needle:
        popular = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York"]
        return [*popular, *(n for n in names if n not in popular)][:limit]
    starts = [n for n in names if n.casefold().startswith(needle)]
    parts = [n for n in names if n not in starts and needle in n.casefold()]
    return (starts + parts)[:limit]


def exists_locally(wall: datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a daylight-saving change (e.g. 02:30 in spring)."""
    aware = wall.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == wall


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """A naive wall-clock time in `tz` as an aware instant.

    An ambiguous time (clocks going back) is its first occurrence; a skipped time (clocks going
    forward) moves forward by the size of the gap, as a wall clock would show it.
    """
    aware = wall.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz)
