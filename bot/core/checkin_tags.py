"""Context with an answer: a member's own tags on their check-ins, and their mood by tag.

Tags are as private as the answer: only the member sees them (/checkin tag mood), and they go
with the check-in (retention, /forget). Members pick from the server's own list (/setup tags,
kept by members with Manage Server; the built-in SUGGESTED while it has none, in the reader's
language) plus their own. A tag is kept as the member wrote it ("Draußen" stays "Draußen") and
compared without regard to case ("draußen" is the same tag).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.checkins import strip_mentions, to_ten
from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput, NotFound
from bot.core.text import clean_member_text
from bot.i18n import N_, _
from bot.store.store import Store

MAX_TAGS = 5
TAG_MAX = 32
SUGGESTED = (
    N_("slept badly"),
    N_("slept well"),
    N_("played music"),
    N_("went outside"),
    N_("saw friends"),
)
"""Offered beside the member's own tags while the server has no list of its own: catalogue
texts, shown (and stored, when picked) in the reader's language."""
MAX_SERVER_TAGS = 20
"""A server's own list; with the member's own it fills one select menu (Discord: at most 25
options, https://discord.com/developers/docs/components/reference#string-select)."""
PICK_OPTIONS = 25
"""Options in the /checkin tag pick menu: the server's list first, then the member's own."""
LATEST_WITHIN = 86_400.0
"""/checkin tag add tags the member's latest check-in of the last day."""
DAY = 86_400.0


def tag_key(tag: str) -> str:
    """What two spellings of one tag share ("Draußen", "DRAUSSEN" and "draußen")."""
    return tag.casefold()


def unique_tags(tags: Iterable[str]) -> list[str]:
    """Each tag once (compared by `tag_key`), the first spelling kept, in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for tag in tags:
        if tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            kept.append(tag)
    return kept


def parse_tags(text: str, most: int = MAX_TAGS) -> list[str]:
    """Comma-separated tags, cleaned (one line, no mentions) but kept as written, each once
    (whatever its case), in the order given. Raises InvalidInput for more than `most` or an
    over-long tag."""
    tags: list[str] = []
    for part in text.split(","):
        tag = clean_member_text(strip_mentions(part), 200, single_line=True)
        if not tag or tag_key(tag) in {tag_key(t) for t in tags}:
            continue
        if len(tag) > TAG_MAX:
            raise InvalidInput(
                N_("Keep each tag to {tag_max} characters (`{tag}…` is longer)."),
                tag_max=TAG_MAX,
                tag=tag[:20],
            )
        tags.append(tag)
    if len(tags) > most:
        if most != MAX_TAGS:
            raise InvalidInput(N_("Up to {most} tags at once, separated by commas."), most=most)
        raise InvalidInput(
            N_("Up to {max_tags} tags on one check-in, separated by commas."), max_tags=MAX_TAGS
        )
    return tags


@dataclass(frozen=True, slots=True)
class TagPick:
    """What /checkin tag pick offers: the member's latest check-in (id, UTC seconds), its
    tags now, and the options (the server's list, then the member's own, at most PICK_OPTIONS)."""

    checkin_id: int
    at: float
    current: list[str]
    options: list[str]


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
        checkin_id, at = await self._latest(guild_id, user_id)
        now = timestamp(self._clock)
        if not await self._store.checkin_tags.set_tags(checkin_id, guild_id, user_id, tags, now):
            raise NotFound(N_("That check-in is no longer there. Check in again, then add tags."))
        return at, tags

    async def suggested(self, guild_id: int, locale: str | None) -> list[str]:
        """The server's own list, or the built-in suggestions in ``locale`` while it has none."""
        return await self._store.checkin_tags.server_tags(guild_id) or [
            _(t, locale) for t in SUGGESTED
        ]

    async def choices(
        self, guild_id: int, user_id: int, current: str, locale: str | None
    ) -> list[str]:
        """Autocomplete: the member's own tags and the server's, matching the last word
        (whatever its case)."""
        head, _sep, last = current.rpartition(",")
        needle = tag_key(last.strip())
        own = await self._store.checkin_tags.member_tags(guild_id, user_id, 20)
        found = [t for t in [*own, *await self.suggested(guild_id, locale)] if needle in tag_key(t)]
        prefix = f"{head.strip()}, " if head.strip() else ""
        return [f"{prefix}{t}"[:100] for t in unique_tags(found)][:25]

    async def _latest(self, guild_id: int, user_id: int) -> tuple[int, float]:
        """The member's latest answered check-in of the last day: (id, UTC seconds).

        Raises NotFound when there is none."""
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
        return answered[-1].id, answered[-1].created_at

    async def pick(self, guild_id: int, user_id: int, locale: str | None) -> TagPick:
        """The menu for the member's latest check-in, built-in suggestions in ``locale``.
        Raises NotFound when there is none."""
        checkin_id, at = await self._latest(guild_id, user_id)
        tags = self._store.checkin_tags
        current = await tags.tags_of(checkin_id)
        own = await tags.member_tags(guild_id, user_id, PICK_OPTIONS)
        # The check-in's own tags always fit, so the menu can show (and keep) them all.
        options = unique_tags([*current, *await self.suggested(guild_id, locale), *own])
        return TagPick(checkin_id, at, current, options[:PICK_OPTIONS])

    async def tag_picked(
        self, guild_id: int, user_id: int, checkin_id: int, picked: list[str]
    ) -> list[str]:
        """Replace the tags of the member's check-in with the ones picked (cleaned like typed
        tags); the tags saved.

        Raises InvalidInput for more than MAX_TAGS, NotFound when it isn't theirs (any more)."""
        tags = parse_tags(",".join(picked))
        now = timestamp(self._clock)
        if not await self._store.checkin_tags.set_tags(checkin_id, guild_id, user_id, tags, now):
            raise NotFound(N_("That check-in is no longer there. Check in again, then add tags."))
        return tags

    # ------------------------------------------------------------ the server's list

    async def server_list(self, guild_id: int) -> list[str]:
        """The server's own list of check-in tags, in its order; [] when it uses the built-in list."""
        return await self._store.checkin_tags.server_tags(guild_id)

    async def add_server(self, guild_id: int, text: str) -> tuple[list[str], list[str]]:
        """Add comma-separated tags to the server's list: (the new ones, the whole list).

        Raises InvalidInput for no tag, an over-long one, or more than MAX_SERVER_TAGS in all."""
        tags = parse_tags(text, MAX_SERVER_TAGS)
        if not tags:
            raise InvalidInput(N_("Name at least one tag, like `slept badly, played music`."))
        added = await self._store.checkin_tags.add_server_tags(
            guild_id, tags, MAX_SERVER_TAGS, timestamp(self._clock)
        )
        if added is None:
            have = len(await self.server_list(guild_id))
            raise InvalidInput(
                N_(
                    "The server's list holds up to {max_server_tags} tags and has {have}. Remove some "
                    "first with /setup tags remove."
                ),
                max_server_tags=MAX_SERVER_TAGS,
                have=have,
            )
        return added, await self.server_list(guild_id)

    async def remove_server(self, guild_id: int, text: str) -> tuple[list[str], list[str]]:
        """Remove comma-separated tags from the server's list: (the removed ones, the list).

        Raises InvalidInput for no tag or an over-long one."""
        tags = parse_tags(text, MAX_SERVER_TAGS)
        if not tags:
            raise InvalidInput(N_("Name the tags to remove, like `slept badly`."))
        removed = await self._store.checkin_tags.remove_server_tags(guild_id, tags)
        return removed, await self.server_list(guild_id)

    async def mood_by_tag(self, guild_id: int, user_id: int, days: int) -> list[TagMood]:
        """The member's tags of the last `days` days, most used first."""
        since = timestamp(self._clock) - days * DAY
        answers = await self._store.checkin_tags.tagged_answers(guild_id, user_id, since)
        # One line per tag whatever its case, under its latest spelling.
        spelled: dict[str, str] = {}
        by_key: dict[str, list[float | None]] = {}
        for a in sorted(answers, key=lambda a: a.created_at):
            spelled[tag_key(a.tag)] = a.tag
            by_key.setdefault(tag_key(a.tag), []).append(to_ten(a.scale, a.value))
        by_tag = {spelled[key]: values for key, values in by_key.items()}
        result = []
        for tag, values in by_tag.items():
            known = [v for v in values if v is not None]
            mean = round(sum(known) / len(known), 1) if known else None
            result.append(TagMood(tag, len(values), mean))
        result.sort(key=lambda m: (-m.count, m.tag))
        return result
