"""The times a facilitator types (`friday 18:00`, `in 2 hours`, `2026-03-27 18:00`), read in the
server's time zone. Pure: no Discord, no clock of its own (callers pass `now`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.time_zones import exists_locally, localize
from bot.i18n import N_, SHIPPED, day_names, month_names

# How far ahead a session can be scheduled.
MAX_AHEAD = timedelta(days=366)

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
MONTHS = {
    name: index
    for index in range(1, 13)
    for name in (calendar.month_name[index].lower(), calendar.month_abbr[index].lower())
}
MONTHS["sept"] = 9


def fold(word: str) -> str:
    """``word`` casefolded without accents: "Mié" -> "mie", so a member can type a day the way
    their keyboard allows."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


# Every shipped language's day names (Babel's CLDR data), full and abbreviated, so a German
# or Spanish member can type `freitag 18:00` or `vie 18:00`. A name that is also an English
# month ("mar", Spanish Tuesday) stays the month: `mar 27` has always meant March 27.
for _language in SHIPPED:
    for _width in ("wide", "abbreviated"):
        for _index, _name in enumerate(day_names(_language, _width)):
            _key = fold(_name).rstrip(".")  # German abbreviations end in a dot: "Fr."
            if _key not in MONTHS:
                WEEKDAYS.setdefault(_key, _index)
# And their month names: `27. märz 18:00`, `27 de marzo 18:00`.
for _language in SHIPPED:
    for _names in (month_names(_language, "wide"), month_names(_language, "abbreviated")):
        for _index, _name in enumerate(_names, start=1):
            _key = fold(_name).rstrip(".")
            if _key not in WEEKDAYS:
                MONTHS.setdefault(_key, _index)
TODAY_WORDS = frozenset({"today", "tonight", "heute", "hoy"})
TOMORROW_WORDS = frozenset({"tomorrow", "morgen", "manana"})
FILLER_WORDS = frozenset(
    {"at", "on", "this", "the", "of", "um", "am", "a", "las", "la", "el", "de", "del"}
)
RELATIVE_STARTS = ("in ", "en ")
"""`in 2 hours`, `in 2 stunden`, `en 2 horas`."""

EXAMPLES = N_("`friday 18:00`, `tomorrow 7pm`, `in 2 hours` or `2026-03-27 18:00`")
"""A catalogue text: each language lists examples in its own words (the parser reads them)."""
DAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
"""Day names in refusals (catalogue texts: the error path words them in the reader's language)."""
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    # German and Spanish, accents folded (`fold`): `in 2 stunden`, `en 3 días`.
    "minuten": 60,
    "minuto": 60,
    "minutos": 60,
    "stunde": 3600,
    "stunden": 3600,
    "std": 3600,
    "hora": 3600,
    "horas": 3600,
    "tag": 86400,
    "tage": 86400,
    "tagen": 86400,
    "dia": 86400,
    "dias": 86400,
    "woche": 604800,
    "wochen": 604800,
    "semana": 604800,
    "semanas": 604800,
}
_RELATIVE_PART = re.compile(r"(\d+|an|a|einer|einem|eine|un|una)\s*([a-z]+)")
_TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)(?![a-z])"
    r"|(?<![\d:])(?P<h24>\d{1,2})[:.h](?P<m24>\d{2})(?![\d])"
    r"|\b(?P<word>noon|midday|midnight)\b"
)
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th|\.)?$")


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """When a facilitator means, as an aware datetime in `tz`.

    Accepts ISO date-times (`2026-03-27 18:00`, with or without an offset), relative forms
    (`in 2 hours`, `in 1h 30m`, `in 3 days`), and a day with a time (`friday 18:00`,
    `next tue 7pm`, `tomorrow 7pm`, `today 18:30`, `27 march 6pm`, `18:00`). Raises
    InvalidInput, with examples, for an empty or too long text or one it can't read.
    """
    raw = " ".join(text.strip().split())
    if not raw:
        raise InvalidInput(N_("Say when, for example {examples}."), examples=EXAMPLES)
    if len(raw) > 80:
        raise InvalidInput(N_("That's too long for a time. Try {examples}."), examples=EXAMPLES)
    local_now = now.astimezone(tz)
    lowered = " ".join(fold(word) for word in raw.split())
    if _ISO_START.match(lowered):
        return _parse_iso(raw, tz)
    if lowered.startswith(RELATIVE_STARTS):
        return (now + _parse_relative(lowered[3:])).astimezone(tz)
    return _parse_day_and_time(lowered, local_now, tz)


def _parse_iso(raw: str, tz: ZoneInfo) -> datetime:
    candidate = raw.replace(" ", "T", 1) if " " in raw else raw
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise InvalidInput(
            N_("I couldn't read `{raw}` as a date and time. Try `2026-03-27 18:00`."), raw=raw
        ) from None
    if "T" not in candidate:
        raise InvalidInput(N_("Add a time to the date, for example `{raw} 18:00`."), raw=raw)
    if parsed.tzinfo is not None:
        return parsed.astimezone(tz)
    return _checked_local(parsed, tz)


def _parse_relative(rest: str) -> timedelta:
    compact = rest.replace(",", " ")
    for joiner in (" and ", " und ", " y "):
        compact = compact.replace(joiner, " ")
    total = 0
    position = 0
    matched_any = False
    for match in _RELATIVE_PART.finditer(compact):
        if compact[position : match.start()].strip():
            break
        amount = int(match.group(1)) if match.group(1).isdigit() else 1
        unit = _UNITS.get(match.group(2))
        if unit is None:
            raise InvalidInput(
                N_(
                    "I don't know the unit `{group}`. Use minutes, hours, days or weeks, e.g. `in 2 "
                    "hours`."
                ),
                group=match.group(2)[:20],
            )
        total += amount * unit
        position = match.end()
        matched_any = True
    if not matched_any or compact[position:].strip():
        raise InvalidInput(
            N_("I couldn't read `in {rest}`. Try `in 2 hours` or `in 1h 30m`."), rest=rest
        )
    if total <= 0:
        raise InvalidInput(N_("That's now. Give a time in the future, e.g. `in 10 minutes`."))
    return timedelta(seconds=total)


def _parse_time(match: re.Match[str]) -> time:
    word = match.group("word")
    if word:
        return time(0, 0) if word == "midnight" else time(12, 0)
    if match.group("h24") is not None:
        hour, minute = int(match.group("h24")), int(match.group("m24"))
        if hour > 23 or minute > 59:
            raise InvalidInput(
                N_("`{group}` isn't a time of day. Use 24-hour `18:00`."), group=match.group(0)
            )
        return time(hour, minute)
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        raise InvalidInput(
            N_("`{group}` isn't a time of day. Try `7pm` or `19:00`."), group=match.group(0)
        )
    pm = match.group("ap").startswith("p")
    hour = hour % 12 + (12 if pm else 0)
    return time(hour, minute)


def _parse_day_and_time(lowered: str, local_now: datetime, tz: ZoneInfo) -> datetime:
    matches = list(_TIME.finditer(lowered))
    if not matches:
        raise InvalidInput(N_("Add a time of day, for example {examples}."), examples=EXAMPLES)
    if len(matches) > 1:
        raise InvalidInput(
            N_("I found more than one time in that. Try {examples}."), examples=EXAMPLES
        )
    match = matches[0]
    at = _parse_time(match)
    rest = (lowered[: match.start()] + " " + lowered[match.end() :]).replace(",", " ")
    words = [w for w in rest.split() if w not in FILLER_WORDS]
    today = local_now.date()
    strictly_after_today = False
    if words and words[0] == "next":
        strictly_after_today = True
        words = words[1:]
    day: date | None = None
    weekday: int | None = None
    if not words:
        day = today
        if _checked_local(datetime.combine(day, at), tz) <= local_now:
            day = today + timedelta(days=1)
        return _checked_local(datetime.combine(day, at), tz)
    if len(words) == 1 and words[0] in TODAY_WORDS:
        day = today
    elif len(words) == 1 and words[0] in TOMORROW_WORDS:
        day = today + timedelta(days=1)
    else:
        if words[0].rstrip(".") in WEEKDAYS:
            weekday = WEEKDAYS[words[0].rstrip(".")]
            words = words[1:]
        if words:
            day = _parse_date_words(words, today)
        elif weekday is not None:
            ahead = (weekday - today.weekday()) % 7
            if ahead == 0 and (
                strictly_after_today or _checked_local(datetime.combine(today, at), tz) <= local_now
            ):
                ahead = 7
            day = today + timedelta(days=ahead)
    if day is None:
        raise InvalidInput(
            N_("I couldn't tell which day that is. Try {examples}."), examples=EXAMPLES
        )
    if weekday is not None and day.weekday() != weekday:
        raise InvalidInput(
            N_("{date} is a {day_name}, not a {other_day_name}."),
            date=day,
            day_name=DAY_NAMES[day.weekday()],
            other_day_name=DAY_NAMES[weekday],
        )
    return _checked_local(datetime.combine(day, at), tz)


def _parse_date_words(words: list[str], today: date) -> date:
    """`27 march`, `march 27th`, `27 mar 2027`."""
    day_number: int | None = None
    month: int | None = None
    year: int | None = None
    for word in words:
        ordinal = _ORDINAL.match(word)
        if word.rstrip(".") in MONTHS and month is None:
            month = MONTHS[word.rstrip(".")]
        elif ordinal and day_number is None:
            day_number = int(ordinal.group(1))
        elif word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        else:
            raise InvalidInput(
                N_("I couldn't read `{word}` as part of a date. Try {examples}."),
                word=word[:30],
                examples=EXAMPLES,
            )
    if day_number is None or month is None:
        raise InvalidInput(
            N_("I couldn't tell which day that is. Try {examples}."), examples=EXAMPLES
        )
    try:
        if year is not None:
            return date(year, month, day_number)
        found = date(today.year, month, day_number)
        if found < today:
            found = date(today.year + 1, month, day_number)
        return found
    except ValueError:
        raise InvalidInput(
            N_("{day_number} {month_name} isn't a date."),
            day_number=day_number,
            month_name=MONTH_NAMES[month - 1],
        ) from None


def _checked_local(wall: datetime, tz: ZoneInfo) -> datetime:
    if not exists_locally(wall, tz):
        raise InvalidInput(
            N_(
                "{time} doesn't exist on {date} in {zone}: the clocks go forward "
                "then. Pick a time an hour later or earlier."
            ),
            time=f"{wall:%H:%M}",
            date=wall.date(),
            zone=tz.key,
        )
    return localize(wall, tz)


def require_future(start: datetime, now: datetime) -> None:
    """A schedule is for the future, and not too far into it. Raises InvalidInput when `start`
    is within a minute of `now` (or before it), or more than MAX_AHEAD (366 days) after it."""
    if start <= now + timedelta(minutes=1):
        raise InvalidInput(
            N_(
                "That time has already passed (or is about to). Give a time in the future, for "
                "example {examples}."
            ),
            examples=EXAMPLES,
        )
    if start - now > MAX_AHEAD:
        raise InvalidInput(N_("That's more than a year ahead. Pick a date within the next year."))
