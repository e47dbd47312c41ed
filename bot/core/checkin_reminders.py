"""A member's own check-in schedule: the days, local time and time zone they chose, and when
the next private check-in DM is due.

No Discord here. The times are worked out on the member's own wall clock, so a Tuesday 19:00
in Europe/Berlin stays 19:00 on their clock across a daylight-saving change (17:00 UTC in
summer, 18:00 UTC in winter). At most one scheduled DM per local day: the day of a DM that was
sent is stored, and a slot on that day is skipped (a Snooze the member asked for aside).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput
from bot.core.time_zones import localize, zone
from bot.core.typed_times import fold
from bot.i18n import N_, SHIPPED, _, day_names
from bot.records.checkin_schedules import CheckinScheduleRecord, ClaimedSend, NewCheckinSchedule
from bot.store.store import Store

log = logging.getLogger("chorus.checkin_schedule")

SendDm = Callable[[ClaimedSend], Awaitable[None]]
"""Sends one claimed check-in DM (the check-in schedule cog's)."""

EVERY_DAY = 127
_GROUPS = {
    "daily": EVERY_DAY,
    "everyday": EVERY_DAY,
    "weekdays": 31,
    "weekends": 96,
    "taglich": EVERY_DAY,
    "werktags": 31,
    "wochenende": 96,
    "diario": EVERY_DAY,
    "laborables": 31,
}
"""Words for groups of days, English, German and Spanish (accents folded)."""
# Every shipped language's day names (Babel's CLDR data), so `di, fr` and `mar, vie` work too.
_NAMES = tuple(
    (fold(name).rstrip("."), index)
    for language in SHIPPED
    for index, name in enumerate(day_names(language))
)
SCALES = ("0-10", "1-5")
"""Scales a scheduled DM offers (one row of buttons each; the two-step SAM is /checkin now's)."""

SNOOZE_SECONDS = 3600.0
LATE_GRACE_SECONDS = 3 * 3600.0
"""A DM due while the bot was down is still sent this long after its time; later it is skipped
(a check-in at 3 in the morning for yesterday evening helps nobody)."""
MAX_PAUSE_DAYS = 366
NEEDS_CONSENT = N_(
    "Scheduled check-ins save your answers, so they need your agreement first. Use "
    "/checkin consent and press Agree, then /checkin schedule set again."
)
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$")


def parse_days(text: str) -> int:
    """Weekdays as a bit mask (Monday = 1 ... Sunday = 64) from e.g. "tue, fri", "Tuesday
    Friday", "weekdays", "daily". Raises InvalidInput saying what to type."""
    mask = 0
    words = [w.rstrip(".") for w in re.split(r"[\s,;/+&]+|\b(?:and|und|y)\b", fold(text)) if w]
    for word in (w for w in words if w):
        if word in _GROUPS:
            mask |= _GROUPS[word]
            continue
        # "mi" is Mittwoch and miércoles: one day, so it counts; "do" (Donnerstag, domingo) not.
        found = sorted({i for name, i in _NAMES if len(word) >= 2 and name.startswith(word)})
        if len(found) != 1:
            raise InvalidInput(
                N_(
                    "I don't know the day `{word}`. Write days like `tue, fri`, `monday wednesday`, "
                    "`weekdays` or `daily`."
                ),
                word=word[:20],
            )
        mask |= 1 << found[0]
    if not mask:
        raise InvalidInput(N_("Name at least one day, like `tue, fri`, `weekdays` or `daily`."))
    return mask


def days_text(mask: int, locale: str | None) -> str:
    """ "Tue, Fri" (or "every day") in ``locale`` (None: English; day names from Babel's CLDR)."""
    if mask == EVERY_DAY:
        return _("every day", locale)
    names = day_names(locale, "abbreviated")
    return ", ".join(name for i, name in enumerate(names) if mask & (1 << i))


def parse_time(text: str) -> int:
    """Minutes after midnight from "19:00", "7pm", "7:30 pm", "07:05". Raises InvalidInput."""
    match = _TIME.match(text.strip().casefold())
    hour = int(match["h"]) if match else -1
    minute = int(match["m"] or 0) if match else -1
    if match and match["ampm"]:
        evening = 12 if match["ampm"] == "pm" else 0
        hour = hour % 12 + evening if 1 <= hour <= 12 else -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput(
            N_("I can't read the time `{text}`. Write it like `19:00` or `7pm`."), text=text[:20]
        )
    return hour * 60 + minute


def time_text(minute: int) -> str:
    """A minute of the day (0-1439) as a 24-hour wall-clock time, e.g. 1110 -> "18:30"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_pause(text: str | None, today: date) -> date | None:
    """The local date DMs resume on ("2026-04-20"), or None. Raises InvalidInput."""
    if text is None or not text.strip():
        return None
    try:
        until = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            N_("I can't read the date `{text}`. Write it like `2026-04-20`."), text=text[:20]
        ) from None
    if until <= today:
        raise InvalidInput(N_("The pause should end on a day after today."))
    if (until - today).days > MAX_PAUSE_DAYS:
        raise InvalidInput(
            N_("A pause can last up to {max_pause_days} days."), max_pause_days=MAX_PAUSE_DAYS
        )
    return until


def next_send(
    days: int,
    minute: int,
    timezone: str,
    after: float,
    *,
    not_on: str | None = None,
    paused_until: str | None = None,
) -> float:
    """The first chosen local day-and-time strictly after `after` (UTC seconds), as UTC
    seconds: never on the local date `not_on` (a DM was sent that day) nor before the local
    date `paused_until`. A time skipped by a daylight-saving change moves forward with the
    clock (02:30 becomes 03:30 that day)."""
    tz = ZoneInfo(timezone)
    start = datetime.fromtimestamp(after, UTC).astimezone(tz).date()
    skip = date.fromisoformat(not_on) if not_on else None
    resume = date.fromisoformat(paused_until) if paused_until else None
    if resume is not None and resume > start:
        start = resume
    at = time(minute // 60, minute % 60)
    for offset in range(8 + 7):  # a week ahead, plus a week for a skipped first match
        day = start + timedelta(days=offset)
        if not days & (1 << day.weekday()) or day == skip:
            continue
        when = localize(datetime.combine(day, at), tz).timestamp()
        if when > after:
            return when
    raise AssertionError("a weekly schedule always has a next day")  # days is never 0


def local_day(ts: float, timezone: str) -> str:
    """The member's calendar date at `ts` (UTC seconds), as YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, UTC).astimezone(ZoneInfo(timezone)).date().isoformat()


@dataclass(frozen=True, slots=True)
class Plan:
    """A member's choices for their schedule (checked), before it is stored."""

    days: int
    minute: int
    timezone: str
    scale: str
    paused_until: str | None


class CheckinReminders:
    """Members' own check-in schedules: choosing, stopping, and claiming the DMs that are due."""

    def __init__(
        self, store: Store, clock: Clock, mine: Callable[[int], bool] = lambda _guild: True
    ) -> None:
        """`mine(guild_id)`: whether this process serves that server (with several processes
        each sends the DMs of its own servers only)."""
        self._store = store
        self._clock = clock
        self._mine = mine
        self._send: SendDm | None = None

    def now(self) -> float:
        """Now, in UTC seconds."""
        return timestamp(self._clock)

    def attach(self, send: SendDm | None) -> None:
        """`send` sends each claimed DM from now on (None: nobody sends, so nothing is claimed)."""
        self._send = send

    async def send_due(self) -> None:
        """The timer's work: claim every due DM (`claim_due`, one write), then send the ones
        still in time through the attached sender. Nothing is claimed while no sender is
        attached."""
        send = self._send
        if send is None:
            return
        for claim in await self.claim_due():
            if not claim.send:
                continue
            try:
                await send(claim)
            except Exception:
                # Claimed already: one member's failure must not cost the others their DM.
                log.exception("a scheduled check-in DM failed")

    def plan(self, days: str, at: str, timezone: str, scale: str, pause_until: str | None) -> Plan:
        """The member's typed choices, checked. Raises InvalidInput saying what to fix."""
        tz = zone(timezone)
        if scale not in SCALES:
            raise InvalidInput(N_("Choose one of the scales {join}."), join=", ".join(SCALES))
        today = datetime.fromtimestamp(self.now(), UTC).astimezone(tz).date()
        paused = parse_pause(pause_until, today)
        return Plan(
            days=parse_days(days),
            minute=parse_time(at),
            timezone=tz.key,
            scale=scale,
            paused_until=paused.isoformat() if paused else None,
        )

    async def set(
        self, guild_id: int, user_id: int, plan: Plan, language: str | None
    ) -> CheckinScheduleRecord:
        """Start (or replace) the member's schedule; returns it with its next send time.
        ``language``: the member's Discord client locale ("es-ES"), kept for the DMs.

        A DM already sent today (their time) still counts: the new schedule starts tomorrow
        if today's slot was used. Raises InvalidInput (how to agree) unless the member agreed
        to their check-ins being saved in this server: the DMs' answers are saved."""
        if await self._store.privacy.consent(guild_id, user_id) != "agreed":
            raise InvalidInput(NEEDS_CONSENT)
        now = self.now()
        current = await self._store.checkin_schedules.get(guild_id, user_id)
        sent_on = current.last_sent_on if current is not None else None
        due = _next_send_of(plan, now, sent_on)
        new = NewCheckinSchedule(
            days=plan.days,
            minute=plan.minute,
            timezone=plan.timezone,
            scale=plan.scale,
            language=language[:16] if language else None,
            paused_until=plan.paused_until,
            next_send_at=due,
        )
        return await self._store.checkin_schedules.put(guild_id, user_id, new, now)

    async def get(self, guild_id: int, user_id: int) -> CheckinScheduleRecord | None:
        """The member's own check-in schedule in this server, None when they have none."""
        return await self._store.checkin_schedules.get(guild_id, user_id)

    async def stop(self, guild_id: int, user_id: int) -> bool:
        """Stop it at once (off, leaving the server); whether there was one."""
        return await self._store.checkin_schedules.delete(guild_id, user_id)

    async def snooze(self, guild_id: int, user_id: int) -> float | None:
        """One more DM in an hour (UTC seconds), or None when they have no schedule any more."""
        now = self.now()
        until = now + SNOOZE_SECONDS
        done = await self._store.checkin_schedules.snooze(guild_id, user_id, until, now)
        return until if done else None

    async def next_due(self) -> float | None:
        """The earliest stored send time (UTC seconds), or None (also while no sender is
        attached: nothing would be sent, so the timer sleeps)."""
        if self._send is None:
            return None
        return await self._store.checkin_schedules.next_due(self._mine)

    async def claim_due(self) -> list[ClaimedSend]:
        """Every DM due now, claimed in one write: each schedule moves on to its next send time
        and records today's date before anything is sent, so no DM goes out twice (across a
        restart, or another process claiming at the same moment). A DM whose process dies
        between this commit and the send is lost rather than sent twice; one due more than
        LATE_GRACE_SECONDS ago is claimed with `send` False (skipped, not sent late)."""
        now = self.now()

        def following(record: CheckinScheduleRecord, sent_on: str | None) -> float:
            return _next_send_of(record, now, sent_on)

        return await self._store.checkin_schedules.claim_due(
            now,
            LATE_GRACE_SECONDS,
            following,
            lambda r, ts: local_day(ts, r.timezone),
            self._mine,
        )


def _next_send_of(plan: Plan | CheckinScheduleRecord, now: float, sent_on: str | None) -> float:
    """`next_send` for a plan or a stored schedule: UTC seconds of its next DM after `now`,
    not on the local date `sent_on` (a DM already sent that day)."""
    return next_send(
        plan.days, plan.minute, plan.timezone, now, not_on=sent_on, paused_until=plan.paused_until
    )
