"""A private pattern notice: a member who opted in is told, gently and only themself, when
several of their check-ins within a period were low.

Worked out from the stored check-ins at the moment of a low answer: the notice comes when this
answer makes the count of low answers in the period reach the member's number (not again for
the next low answers, which would only repeat it). Nothing about a notice is stored.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.checkins import SCALES, is_low, scale_of
from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput
from bot.i18n import N_
from bot.records.checkin_notices import NoticeOptin
from bot.records.checkins import CheckinRecord
from bot.store.store import Store

DEFAULT_LOW_ANSWERS = 3
DEFAULT_WITHIN_DAYS = 7
DAY = 86_400.0


def low_answers(records: list[CheckinRecord], low_score_max: int) -> list[CheckinRecord]:
    """The low ones among a member's check-ins (built-in scales; passes aren't answers)."""
    return [
        r
        for r in records
        if not r.passed
        and r.scale in SCALES
        and r.value is not None
        and is_low(scale_of(r.scale), r.value, low_score_max)
    ]


class PatternNotices:
    """Opting in and out, and whether a low answer just completed a pattern."""

    def __init__(self, store: Store, clock: Clock, low_score_max: Callable[[int], int]) -> None:
        self._store = store
        self._clock = clock
        self._low_score_max = low_score_max

    async def turn_on(
        self, guild_id: int, user_id: int, low_answers: int, within_days: int
    ) -> None:
        """Raises InvalidInput outside 2-10 answers or 1-60 days."""
        if not 2 <= low_answers <= 10 or not 1 <= within_days <= 60:
            raise InvalidInput(N_("Choose 2 to 10 low answers within 1 to 60 days."))
        await self._store.checkin_notices.put(
            guild_id, user_id, low_answers, within_days, timestamp(self._clock)
        )

    async def turn_off(self, guild_id: int, user_id: int) -> bool:
        """Opt the member out of the pattern notice; False when they were not opted in. Raises
        StorageUnavailable when the write can't be committed."""
        return await self._store.checkin_notices.delete(guild_id, user_id)

    async def get(self, guild_id: int, user_id: int) -> NoticeOptin | None:
        """The member's pattern-notice rule here, None when they have not opted in."""
        return await self._store.checkin_notices.get(guild_id, user_id)

    async def completed(self, answer: CheckinRecord) -> NoticeOptin | None:
        """The member's choice when `answer` (just saved) is low and makes exactly their number
        of low answers within their period; None otherwise (or when they didn't opt in)."""
        if answer.user_id is None:
            return None
        optin = await self._store.checkin_notices.get(answer.guild_id, answer.user_id)
        if optin is None:
            return None
        since = timestamp(self._clock) - optin.within_days * DAY
        records = await self._store.checkins.for_member(answer.guild_id, answer.user_id, since)
        lows = low_answers(records, self._low_score_max(answer.guild_id))

        if answer.id not in {r.id for r in lows}:
            return None
        return optin if len(lows) == optin.low_answers else None
