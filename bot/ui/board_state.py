"""What a session's board shows, gathered from the board's facts (`bot.core.boards`), the
session's limits and the runner: the board's state (`bot/ui/board.py` draws it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.core.field_texts import localize
from bot.core.steps import kind_named
from bot.records.sessions import SessionRecord
from bot.ui.board import BoardState, ClosedState
from bot.ui.live_host import LiveHost
from bot.ui.steps.base import StepPresenter


async def gather_board_state(
    bot: LiveHost,
    presenters: Mapping[str, StepPresenter[Any]],
    session: SessionRecord,
    locale: str,
    now: float,
) -> BoardState:
    """The board of `session` as of `now` (a UTC timestamp, seconds), worded in ``locale``:
    who is present, the live run's step and how many answered it, a closed session's places.
    A presenter may say who answered (`answered_by`) and add fields (`board_fields`)."""
    facts = await bot.boards.facts(session)
    present, names, run = facts.present, facts.names, facts.run
    voice = bot.get_channel(session.voice_channel_id) if session.voice_channel_id else None
    voice_name = getattr(voice, "name", None)
    closed = await _closed(bot, session)
    idle = BoardState(
        session, present, locale, now=now, names=names, voice_name=voice_name, closed=closed
    )
    if run is None:
        return idle
    activity = bot.runner.definition(run)
    step = activity.steps[run.step_index]
    answered = None
    expected = len(present)
    if kind_named(step.type).answered:
        contributions = await bot.boards.contributions(run.id, run.step_index)
        authors: set[int | None] = {c.author_id for c in contributions}
        answered = len({c.author_id or -c.id for c in contributions})
        # A presenter may say who answered (a round: whose turn, not who pressed).
        presenter = presenters.get(step.type)
        answered_by = presenter.answered_by(contributions) if presenter is not None else None
        if answered_by is not None:
            authors = set(answered_by)
            answered = len(authors)
        # The facilitator leads: counted only when they take part themselves.
        if session.facilitator_id in present and session.facilitator_id not in authors:
            expected -= 1
    # A presenter may add fields of its own to the board (a round: who has the floor).
    shows = presenters.get(step.type)
    step_fields = tuple(shows.board_fields(run, step, names, locale)) if shows is not None else ()
    return replace(
        idle,
        step_fields=step_fields,
        run=run,
        activity_title=localize(activity.title, locale),
        step_title=localize(step.title, locale),
        step_kind=step.type,
        step_count=len(activity.steps),
        answered=answered,
        expected=expected,
    )


async def _closed(bot: LiveHost, session: SessionRecord) -> ClosedState | None:
    """A closed session's cap, role and line for the board (None: open to anyone)."""
    limits = await bot.sessions.limits(session)
    if limits is None:
        return None
    line = await bot.sessions.waitlist(session)
    return ClosedState(
        capacity=limits.capacity,
        role_id=limits.role_id,
        invite_only=limits.invite_only,
        waiting=sum(1 for w in line if w.state == "waiting"),
        asking=sum(1 for w in line if w.state == "asking"),
    )
