"""After a check-in answer: the member's own note, sharing the answer with the group, and
letting the session's facilitator know they are finding things hard. No Discord here: the cog
(`bot/cogs/checkins/extras.py`) turns these outcomes into replies and sends what it is handed."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from bot.core.activities import Scale
from bot.core.checkin_saved import Saved
from bot.core.checkin_steps import CheckinSteps
from bot.core.checkins import DEFAULT_NOTE_MAX, scale_of, strip_mentions
from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFound
from bot.core.run_service import RunService
from bot.core.runner import Runner
from bot.core.steps.checkin import CheckinStep
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.records.checkins import CheckinRecord
from bot.records.sessions import SessionRecord
from bot.store.store import Store

CLOSED_FOR_EXTRAS = N_("This check-in has closed, so sharing and notes are no longer available.")

Tell = Callable[[SessionRecord], Awaitable[bool]]
"""Sends the facilitator of the session its direct message; whether it reached them."""


class Offers(NamedTuple):
    """What the reply to a check-in answer offers: the member's own note, sharing it."""

    note: bool
    share: bool


def step_offers(step: CheckinStep, saved: Saved) -> Offers:
    """What a member who answered check-in `step` (`saved`) is offered: a note when the step
    takes optional notes, sharing with the group; neither for a pass, nor in an anonymous step
    (a note or a share would tie the answer to them)."""
    if saved.anonymous or saved.passed:
        return Offers(note=False, share=False)
    return Offers(note=step.note.mode == "optional", share=True)


class Told(enum.Enum):
    """What came of "Let the facilitator know"."""

    TOLD = "told"
    """The facilitator has it now (a direct message)."""
    ALREADY = "already"
    """This member's telling for this session was done (or is being sent) already."""
    FACILITATOR_HERE = "facilitator here"
    """The member is the session's facilitator: nobody to tell."""
    NOT_REACHED = "not reached"
    """The message didn't reach the facilitator (DMs closed, user gone); nothing is kept."""
    NO_FACILITATOR = "no facilitator"
    """The facilitator used /forget: nobody was told in their place; nothing is kept."""


class CheckinExtrasService(RunService):
    """Notes, sharing and telling the facilitator, for the member's own check-ins (their
    check-in steps read through `steps`). Raises bot.core.errors' NotFound and Conflict with
    catalogue texts."""

    def __init__(self, store: Store, clock: Clock, runner: Runner, steps: CheckinSteps) -> None:
        super().__init__(store, clock, runner)
        self._steps = steps

    async def own(self, checkin_id: int, user_id: int) -> CheckinRecord:
        """A member's own check-in, still open for changes. Raises NotFound when it isn't theirs
        (or is gone), Conflict when its check-in step has moved on."""
        record = await self._store.checkins.get(checkin_id)
        if record is None or record.user_id != user_id:
            raise NotFound(N_("I can't find that check-in of yours any more."))
        if record.run_id is not None and record.step_index is not None:
            run = await self._store.runs.get(record.run_id)
            if run is None or not run.live or run.step_index != record.step_index:
                raise Conflict(CLOSED_FOR_EXTRAS)
        return record

    async def scale_and_note(self, record: CheckinRecord) -> tuple[Scale, int, bool]:
        """The record's scale, its note limit (characters) and whether its step takes a note
        (/checkin now answers always do).

        Raises Conflict when its check-in step has ended, NotFound when its session is gone."""
        if record.run_id is not None and record.step_index is not None:
            _, step = await self._steps.step_of(record.run_id, record.step_index)
            return step.scale, step.note.max_chars, step.note.mode == "optional"
        return scale_of(record.scale), DEFAULT_NOTE_MAX, True

    async def own_with_note(self, checkin_id: int, user_id: int) -> tuple[CheckinRecord, int]:
        """A member's own open check-in (see `own`) and its note limit (characters). Raises
        Conflict when its step takes no note, and what `own` raises."""
        record = await self.own(checkin_id, user_id)
        _scale, limit, allowed = await self.scale_and_note(record)
        if not allowed:
            raise Conflict(N_("This check-in doesn't ask for a note."))
        return record, limit

    async def set_note(self, checkin_id: int, user_id: int, text: str, limit: int) -> str | None:
        """Set (or clear, with empty text) the note on a member's own open check-in: mentions
        stripped, cleaned and cut to `limit` characters; the note as stored (None when cleared).

        Raises NotFound (not theirs or gone), Conflict (its step has ended, or it was a pass)."""
        record = await self.own(checkin_id, user_id)
        if record.passed:
            raise Conflict(N_("You passed on this check-in, so there's nothing to add a note to."))
        note = clean_member_text(strip_mentions(text), limit) or None
        await self._store.checkins.set_note(record.id, note)
        return note

    async def share(self, checkin_id: int, user_id: int) -> tuple[CheckinRecord, Scale]:
        """Mark a member's own open answer as shared with the group: the record as stored and
        its scale (to word the post).

        Raises NotFound (not theirs or gone), Conflict (its step has ended, nothing to share, or
        shared already)."""
        record = await self.own(checkin_id, user_id)
        scale, _limit, _allowed = await self.scale_and_note(record)
        if record.shared:
            raise Conflict(N_("You've already shared this answer with the group."))
        if record.passed or record.value is None:
            raise Conflict(N_("There's no answer to share."))
        await self._store.checkins.set_shared(record.id, True)
        found = await self._store.checkins.get(record.id)
        assert found is not None
        return found, scale

    async def tell_facilitator(self, session_id: int, user_id: int, tell: Tell) -> Told:
        """Let the facilitator know, for member `user_id` in the session: `tell` sends the
        facilitator's direct message, at most once per member and session across restarts and
        processes (claimed in one store write before it is sent; kept once it reached them,
        dropped when it didn't, so the member may try again). What came of it.

        Raises NotFound when the session no longer exists, StorageUnavailable when the claim
        can't be written (nothing was sent)."""
        session = await self._store.sessions.get(session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        if session.facilitator_id == user_id:
            return Told.FACILITATOR_HERE
        tells = self._store.facilitator_tells
        if not await tells.claim(session.id, session.guild_id, user_id, self.now()):
            return Told.ALREADY
        try:
            reached = await tell(session)
        except BaseException:
            await tells.release(session.id, user_id)
            raise
        if not reached:
            await tells.release(session.id, user_id)
            return Told.NOT_REACHED if session.has_facilitator else Told.NO_FACILITATOR
        await tells.told(session.id, user_id, self.now())
        return Told.TOLD
