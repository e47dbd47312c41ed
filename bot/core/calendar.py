"""The server's scheduled sessions as an iCalendar file (RFC 5545), for members' own calendars.

One VEVENT per scheduled series, starting at its next session, with the series' repeat as an
RRULE on the series' own wall clock (TZID plus a VTIMEZONE made from the IANA zone), so a
calendar app shows 18:00 every Friday across a daylight-saving change as the bot opens them.
Built with the `icalendar` library; no Discord here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, timestamp
from bot.core.recurrence import REPEATS, Repeat, week_ordinal
from bot.i18n import _
from bot.store.store import Store

PRODUCT = "-//Chorus//Scheduled sessions//EN"
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One scheduled series at its next session."""

    series_id: int
    title: str
    repeat: Repeat
    timezone: str
    """IANA name of the series' zone (the server's when it was scheduled)."""
    starts_at: float
    """UTC seconds of the next session."""
    duration_minutes: int
    where: str | None
    """A channel name to show as the location, if known."""
    description: str


def rrule(repeat: Repeat, local_start: datetime) -> dict[str, object] | None:
    """The RRULE parts of a repeat starting at `local_start` (wall clock), None for once.

    Monthly is "the same weekday of the same week", as the bot repeats it: the 5th of a month
    means the last one (BYDAY=-1TU)."""
    day = _DAYS[local_start.weekday()]
    if repeat == "weekly":
        return {"FREQ": "WEEKLY", "BYDAY": day}
    if repeat == "fortnightly":
        return {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": day}
    if repeat == "monthly":
        ordinal = week_ordinal(local_start.date())
        return {"FREQ": "MONTHLY", "BYDAY": f"{-1 if ordinal >= 5 else ordinal}{day}"}
    return None


def build_calendar(
    guild_id: int,
    name: str,
    server_timezone: str,
    entries: list[CalendarEntry],
    now: float,
    locale: str,
) -> bytes:
    """The .ics file's bytes: a VCALENDAR named after the server (in ``locale``, the server's
    language), one VEVENT per entry; `now` (a UTC timestamp in seconds) stamps them.

    UIDs are stable per series, so importing a newer file updates the same events."""
    import icalendar  # ~0.1-0.3 s to import: only when a member asks for the file (deferred)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("{server}: Chorus sessions", locale, server=name))
    cal.add("x-wr-timezone", server_timezone)
    stamp = datetime.fromtimestamp(now, UTC)
    for entry in entries:
        tz = ZoneInfo(entry.timezone)
        start = datetime.fromtimestamp(entry.starts_at, UTC).astimezone(tz)
        event = icalendar.Event()
        event.add("uid", f"chorus-series-{entry.series_id}-{guild_id}@chorus")
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=entry.duration_minutes))
        rule = rrule(entry.repeat, start.replace(tzinfo=None))
        if rule is not None:
            event.add("rrule", rule)
        if entry.where:
            event.add("location", entry.where)
        event.add("description", entry.description)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


class SessionCalendar:
    """The server's scheduled series, read from the store, as calendar entries."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def entries(
        self, guild_id: int, place: Callable[[int, int | None], str | None], locale: str
    ) -> list[CalendarEntry]:
        """Each active series at its next session (not yet over), soonest first, described in
        ``locale`` (the server's language: the file is the server's calendar).

        `place(channel_id, voice_channel_id)` names where it meets (or None)."""
        description = _(
            "A Chorus session. /session upcoming in the server shows the details.", locale
        )
        found: dict[int, CalendarEntry] = {}
        for occurrence in await self._store.schedule.upcoming(guild_id, 100):
            if occurrence.series_id in found:
                continue
            series = await self._store.schedule.series(occurrence.series_id)
            if series is None:
                continue
            # A stopped series keeps only the session still ahead of it, once.
            known = series.active and series.repeat in REPEATS
            repeat: Repeat = series.repeat if known else "none"  # type: ignore[assignment]
            found[series.id] = CalendarEntry(
                series_id=series.id,
                title=series.title,
                repeat=repeat,
                timezone=series.timezone,
                starts_at=occurrence.starts_at,
                duration_minutes=series.duration_minutes,
                where=place(series.channel_id, series.voice_channel_id),
                description=description,
            )
        return list(found.values())

    def render(
        self,
        guild_id: int,
        name: str,
        server_timezone: str,
        entries: list[CalendarEntry],
        locale: str,
    ) -> bytes:
        """The server's .ics file from its entries (see build_calendar)."""
        now = timestamp(self._clock)
        return build_calendar(guild_id, name, server_timezone, entries, now, locale)
