"""Context with an answer: a member's own tags on their check-ins, and their mood by tag.

Tags are as private as the answer: only the member sees them (/checkin tag mood), and they go
with the check-in (retention, /forget).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.checkins import strip_mentions, to_ten
from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput, NotFound
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.store.store import Store

MAX_TAGS = 5
TAG_MAX = 32
SUGGESTED = ("slept badly", "slept well", "played music", "went outside", "saw friends")
"""Offered to everyone in the tag autocomplete, beside the member's own."""
LATEST_WITHIN = 86_400.0
"""/checkin tag add tags the member's latest check-in of the last day."""
DAY = 86_400.0


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, cleaned (lower case, one line, no mentions), each once, in the
    order given. Raises InvalidInput for more than MAX_TAGS or an over-long tag."""
    tags: list[str] = []
    for part in text.split(","):
        tag = clean_member_text(strip_mentions(part), 200, single_line=True).casefold()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise InvalidInput(
                N_("Keep each tag to {tag_max} characters (`{tag}…` is longer)."),
                tag_max=TAG_MAX,
                tag=tag[:20],
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(
            N_("Up to {max_tags} tags on one check-in, separated by commas."), max_tags=MAX_TAGS
        )
    return tags


@dataclass(frozen=True, slots=True)
class TagMood:
    """One tag: how many of the member's check-ins carry it and their mean on the 0-10 axis."""

    tag: str
    count: int
    mean: float | None
    """None when none of them is on a built-in scale."""


class CheckinTags:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def tag_latest(self, guild_id: int, user_id: int, text: str) -> tuple[float, list[str]]:
        """Put these tags on the member's latest answered check-in of the last day (replacing
        its tags; empty text removes them). Returns its time (UTC seconds) and the tags.

        Raises NotFound when there is none, InvalidInput for bad tags."""
        tags = parse_tags(text)
        now = timestamp(self._clock)
        records = await self._store.checkins.for_member(guild_id, user_id, now - LATEST_WITHIN)
        answered = [r for r in records if not r.passed and r.value is not None]
        if not answered:
            raise NotFound(
                N_(
                    "You have no check-in from the last day to tag. Check in first (/checkin now), "
                    "then add tags."
                )
            )
        latest = answered[-1]
        if not await self._store.checkin_tags.set_tags(latest.id, guild_id, user_id, tags, now):
            raise NotFound(N_("That check-in is no longer there. Check in again, then add tags."))
        return latest.created_at, tags

    async def choices(self, guild_id: int, user_id: int, current: str) -> list[str]:
        """Autocomplete: the member's own tags and the suggestions, matching the last word."""
        head, _, last = current.rpartition(",")
        needle = last.strip().casefold()
        own = await self._store.checkin_tags.member_tags(guild_id, user_id, 20)
        found = [t for t in [*own, *SUGGESTED] if needle in t]
        prefix = f"{head.strip()}, " if head.strip() else ""
        unique = list(dict.fromkeys(found))
        return [f"{prefix}{t}"[:100] for t in unique][:25]

    async def mood_by_tag(self, guild_id: int, user_id: int, days: int) -> list[TagMood]:
        """The member's tags of the last `days` days, most used first."""
        since = timestamp(self._clock) - days * DAY
        answers = await self._store.checkin_tags.tagged_answers(guild_id, user_id, since)
        by_tag: dict[str, list[float | None]] = {}
        for a in answers:
            by_tag.setdefault(a.tag, []).append(to_ten(a.scale, a.value))
        result = []
        for tag, values in by_tag.items():
            known = [v for v in values if v is not None]
            mean = round(sum(known) / len(known), 1) if known else None
            result.append(TagMood(tag, len(values), mean))
        result.sort(key=lambda m: (-m.count, m.tag))
        return result
