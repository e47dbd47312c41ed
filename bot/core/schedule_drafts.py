"""A session request waiting for Confirm: held in the store, not in the bot's memory.

/session schedule create checks the request and shows a private preview; its Confirm and Cancel
buttons carry only the held draft's id, so they work however long the facilitator took and
across a restart. Only the facilitator who asked can press them, and only once: the draft is
taken (read and deleted in one job) by the first press. A draft is kept for `KEPT_FOR` seconds.
Times are UTC timestamps in seconds unless a name says otherwise.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFacilitator
from bot.core.recurrence import REPEATS, Repeat
from bot.core.schedule_values import Draft
from bot.core.time_zones import zone
from bot.i18n import N_
from bot.records.schedule import HeldDraftRecord, NewDraft
from bot.records.session_access import SessionLimits
from bot.store.store import Store

KEPT_FOR = 24 * 3600.0
"""Seconds a preview's Confirm keeps working (a day: the preview is a private reply, soon gone
from the facilitator's screen)."""
KEY_LIMIT = 10**9
"""Keys are below this: nine digits in a button's id."""
NOT_YOURS = N_("Only the facilitator who asked for this session can confirm or cancel it.")
NOT_WAITING = N_(
    "This preview isn't waiting any more: it was confirmed or cancelled already, or it is over "
    "a day old. /session upcoming shows what is scheduled; /session schedule create plans a "
    "new one."
)


class ScheduleDrafts:
    """Previews waiting for Confirm, by id (see the module docstring)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def hold(
        self,
        draft: Draft,
        *,
        channel_id: int,
        voice_channel_id: int | None,
        facilitator_id: int,
        limits: SessionLimits | None,
    ) -> tuple[int, int]:
        """Hold a checked `draft` until its facilitator confirms it; its id and key, for the
        buttons (the key, random, keeps an old preview's buttons off a new draft that was
        given a reused id)."""
        key = secrets.randbelow(KEY_LIMIT)
        new = NewDraft(
            key=key,
            guild_id=draft.guild_id,
            facilitator_id=facilitator_id,
            channel_id=channel_id,
            voice_channel_id=voice_channel_id,
            payload=json.dumps(_payload(draft, limits)),
        )
        draft_id = await self._store.schedule_drafts.hold(new, self._clock().timestamp(), KEPT_FOR)
        return draft_id, key

    async def take(
        self, draft_id: int, key: int, user_id: int
    ) -> tuple[HeldDraftRecord, Draft, SessionLimits | None]:
        """The held draft `draft_id` (held under `key`), taken for its facilitator `user_id`
        (`ScheduleService.confirm` schedules it, or gives it back with `put_back`): the stored
        row, the draft and its limits.

        Raises NotFacilitator when `user_id` didn't ask for it, Conflict when it isn't waiting
        (pressed before, cancelled, forgotten, over `KEPT_FOR` old)."""
        held = await self._taken(draft_id, key, user_id)
        draft, limits = _draft(held)
        return held, draft, limits

    async def put_back(self, held: HeldDraftRecord) -> None:
        """Hold a taken draft again (its schedule failed), so Confirm can be pressed again."""
        await self._store.schedule_drafts.put_back(held)

    async def discard(self, draft_id: int, key: int, user_id: int) -> None:
        """Cancel: the held draft goes, nothing is scheduled. Raises as `take` does."""
        await self._taken(draft_id, key, user_id)

    async def _taken(self, draft_id: int, key: int, user_id: int) -> HeldDraftRecord:
        held = await self._store.schedule_drafts.take(draft_id, key, user_id)
        if held is None or held.created_at < self._clock().timestamp() - KEPT_FOR:
            raise Conflict(NOT_WAITING)
        if held.facilitator_id != user_id:
            raise NotFacilitator(NOT_YOURS)
        return held


def _payload(draft: Draft, limits: SessionLimits | None) -> dict[str, Any]:
    """The draft as JSON values: its start as a UTC timestamp, read back in its time zone."""
    return {
        "title": draft.title,
        "plan": draft.plan,
        "repeat": draft.repeat,
        "timezone": draft.timezone,
        "start": draft.start.timestamp(),
        "duration_minutes": draft.duration_minutes,
        "limits": None
        if limits is None
        else {
            "capacity": limits.capacity,
            "role_id": limits.role_id,
            "invite_only": limits.invite_only,
        },
    }


def _draft(held: HeldDraftRecord) -> tuple[Draft, SessionLimits | None]:
    """The draft and limits held in `held` (as `_payload` wrote them)."""
    data = json.loads(held.payload)
    repeat: Repeat = next((r for r in REPEATS if r == data["repeat"]), "none")
    limits = data.get("limits")
    return (
        Draft(
            guild_id=held.guild_id,
            title=str(data["title"]),
            plan=data.get("plan"),
            repeat=repeat,
            timezone=str(data["timezone"]),
            start=datetime.fromtimestamp(float(data["start"]), zone(str(data["timezone"]))),
            duration_minutes=int(data["duration_minutes"]),
        ),
        None if limits is None else SessionLimits(**limits),
    )
