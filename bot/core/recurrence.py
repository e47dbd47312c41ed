"""How a scheduled series repeats: once, weekly, fortnightly or monthly on the n-th weekday.

Recurrence is computed on the local wall clock and only then turned into an instant, so a
weekly 18:00 session stays at 18:00 local across a daylight-saving change.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.time_zones import localize
from bot.i18n import N_, _, day_names

Repeat = Literal["none", "weekly", "fortnightly", "monthly"]
REPEATS: tuple[Repeat, ...] = ("none", "weekly", "fortnightly", "monthly")


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    """The `ordinal`-th `weekday` of a month (1-4), or its last one when ordinal is 5."""
    first = date(year, month, 1)
    if ordinal >= 5:
        last_day = calendar.monthrange(year, month)[1]
        last = date(year, month, last_day)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def week_ordinal(day: date) -> int:
    """1 for the first such weekday of its month ... 5 for the fifth (treated as 'last')."""
    return (day.day - 1) // 7 + 1


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A series' rule: occurrence `anchor_seq` is at `anchor_local` (wall clock in `timezone`)."""

    repeat: Repeat
    timezone: str
    anchor_local: datetime
    anchor_seq: int = 0

    @property
    def tz(self) -> ZoneInfo:
        """The series' time zone."""
        return ZoneInfo(self.timezone)

    def local_start(self, seq: int) -> datetime:
        """The wall-clock start of occurrence `seq` (naive, in the series' zone)."""
        steps = seq - self.anchor_seq
        anchor = self.anchor_local
        if self.repeat == "none" or steps == 0:
            return anchor
        if self.repeat == "weekly":
            return anchor + timedelta(weeks=steps)
        if self.repeat == "fortnightly":
            return anchor + timedelta(weeks=2 * steps)
        year, month0 = divmod(anchor.month - 1 + steps, 12)
        day = nth_weekday(
            anchor.year + year, month0 + 1, anchor.weekday(), week_ordinal(anchor.date())
        )
        return datetime.combine(day, anchor.time())

    def start(self, seq: int) -> datetime:
        """The instant occurrence `seq` starts (aware, in the series' zone)."""
        return localize(self.local_start(seq), self.tz)

    def next_seq(self, after_seq: int, now: datetime) -> int | None:
        """The first occurrence after `after_seq` that starts after `now`; None when not repeating."""
        if self.repeat == "none":
            return None
        seq = after_seq + 1
        for _attempt in range(2000):
            if self.start(seq) > now:
                return seq
            seq += 1
        return None


MONTHLY = {
    1: N_("Monthly on the 1st {day}"),
    2: N_("Monthly on the 2nd {day}"),
    3: N_("Monthly on the 3rd {day}"),
    4: N_("Monthly on the 4th {day}"),
}
"""One text per ordinal: languages inflect the ordinal with the day (German "am 2. Dienstag")."""
MONTHLY_LAST = N_("Monthly on the last {day}")


def describe_repeat(repeat: Repeat, local_start: datetime, locale: str | None) -> str:
    """'Every Friday', 'Every other Friday', 'Monthly on the 2nd Tuesday', 'Once', in ``locale``
    (None: English; day names from Babel's CLDR)."""
    day = day_names(locale)[local_start.weekday()]
    if repeat == "weekly":
        return _("Every {day}", locale, day=day)
    if repeat == "fortnightly":
        return _("Every other {day}", locale, day=day)
    if repeat == "monthly":
        ordinal = week_ordinal(local_start.date())
        return _(MONTHLY.get(ordinal, MONTHLY_LAST), locale, day=day)
    return _("Once", locale)
