"""The live side of sessions: post each step once, close it, and keep the board current.

Cogs and the run timer hand RunUpdates here; this is the only place that turns them
into channel messages, so every path (button, command, timer, restart) looks the same. What it
needs of the bot (Discord's client calls, the runner, the board's reads and writes through
`bot.core.boards.BoardService`) is passed in as a `LiveHost`, so ui never imports the app that
wires it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

import discord

from bot.core.debounce import Debouncer
from bot.core.field_texts import localize
from bot.core.run_updates import RunUpdate
from bot.core.step_state import StepState
from bot.i18n import N_, _
from bot.records.sessions import ContributionRecord, RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.board import BoardState, board_embed, board_view
from bot.ui.board_state import gather_board_state
from bot.ui.errors import log_refused
from bot.ui.live_host import LiveHost
from bot.ui.pools import with_another_button
from bot.ui.posting import (
    NONE,
    MessageName,
    SessionPoster,
    board_nonce,
    step_card,
    step_nonce,
)
from bot.ui.steps import presenters
from bot.ui.steps.base import BasePresenter, MessagePayload, StepPresenter, StepScene

log = logging.getLogger("chorus.live")

PresenterT = TypeVar("PresenterT", bound=BasePresenter[Any])

SceneSource = Callable[[SessionRecord, RunRecord, int], Awaitable[object]]
"""A feature's async source of what its kind's card shows beyond the run and the step
(`StepScene.prepared`): called with the session, the run and the step index each time a
scene of that kind is built, the step current or ended."""


class RunObserver(Protocol):
    """Hears each run update once it is shown (what a card shows is gathered by its kind's
    `SceneSource` when its scene is built)."""

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
        """Called once a run's update is shown: act on it (voice for a listen step, a round's new
        speaker, a song sheet's refresh)."""


class LiveSessions(SessionPoster):
    """Posts and edits the messages of every open session."""

    def __init__(self, bot: LiveHost) -> None:
        super().__init__(bot)
        self.presenters: dict[str, StepPresenter[Any]] = presenters()
        self.observers: list[RunObserver] = []
        self._scene_sources: dict[str, SceneSource] = {}
        # Each server's own board edit interval (/setup board), by the board's session.
        self._guild_of_session: dict[int, int] = {}
        self.board_refreshes = Debouncer[int](
            bot.settings.board_edit_interval, self.refresh_board, self._board_interval
        )
        """The boards' edits waiting to be made, by session id (at most one per interval);
        the boards' facts and message ids are `bot.boards`, the `BoardService`."""
        self._board_locks: dict[int, asyncio.Lock] = {}
        self._unposted: set[int] = set()
        """Runs whose step card this process failed to post (posted again with the board)."""

    def add_scene_source(
        self, presenter_class: type[BasePresenter[Any]], source: SceneSource
    ) -> None:
        """Build the `prepared` value of every scene of `presenter_class`'s kind with
        `source` from now on (one source per kind: a later one replaces it)."""
        self._scene_sources[presenter_class.kind] = source

    def add_observer(self, observer: RunObserver) -> None:
        """A feature that acts on step changes (e.g. voice playback) hears every update."""
        self.observers.append(observer)

    async def channel_gone(self, session: SessionRecord) -> None:
        """The channel was deleted: end its session cleanly."""
        log.info("channel %s is gone; ending session %s", session.channel_id, session.id)
        await self.bot.sessions.close(session)  # nowhere to post a summary
        self.forget(session.id)

    # ------------------------------------------------------------------ steps

    async def scene(
        self,
        session: SessionRecord,
        run: RunRecord,
        step_index: int,
        contributions: list[ContributionRecord] | None = None,
        names: dict[int, str] | None = None,
    ) -> StepScene[Any]:
        """What a presenter needs to show step `step_index` of `run`, worded in the server's
        language; its `step` is the model of whichever kind the step is (the kind's presenter
        reads it), `prepared` what the kind's scene source gathered (None without one);
        `contributions` and their authors' `names` for a step that ended. Raises IndexError
        when the activity has no such step, and what the kind's source raises."""
        activity = self.bot.runner.definition(run)
        step = self.bot.runner.step_at(run, step_index)
        source = self._scene_sources.get(step.type)
        prepared = await source(session, run, step_index) if source is not None else None
        return StepScene(
            session,
            run,
            activity,
            step,
            step_index,
            self.language(session),
            contributions=contributions or [],
            names=names or {},
            prepared=prepared,
        )

    def presenter(self, kind: str) -> StepPresenter[Any]:
        """The presenter of step kind `kind`. Raises KeyError for a kind no presenter
        registered."""
        return self.presenters[kind]

    def presenter_of(self, presenter_class: type[PresenterT]) -> PresenterT:
        """The presenter in use that is a `presenter_class` (`ListenPresenter`), typed as one: a
        cog that reads its kind's presenter names the class, so a rename is a mypy error
        rather than a KeyError at run time. Raises KeyError when none in use is one (its kind
        isn't registered, or it was replaced with another class)."""
        in_use: list[object] = list(self.presenters.values())
        for presenter in in_use:
            if isinstance(presenter, presenter_class):
                return presenter
        raise KeyError(presenter_class.__name__)

    async def apply(self, update: RunUpdate) -> None:
        """Show what a run update changed: close the old step, post the new one, refresh the board."""
        session = await self.bot.boards.find(update.session_id)
        if session is None:
            return
        run = update.run
        if update.exited_step is not None:
            await self._close_step(session, run, update.exited_step, update.exited_message_id)
        if update.entered_step is not None:
            await self.post_step(session, run)
        if update.ended is not None:
            locale = self.language(session)
            title = localize(self.bot.runner.definition(run).title, locale)
            ended = (
                _("✨ **{title}** finished.", locale, title=title)
                if update.ended == "finished"
                else _("✨ **{title}** was stopped.", locale, title=title)
            )
            await self.send(
                session,
                MessagePayload(content=ended),
                what=MessageName(N_("the note that the activity ended")),
            )
        for observer in self.observers:
            await observer.after_update(session, update)
        self.request_board(session.id)
        await self.bot.run_timer.rearm()

    async def after_contribution(self, session_id: int, *updates: RunUpdate | None) -> None:
        """A member's part at a step of session `session_id` was saved (an answer, a pass, a
        Done, a move): the board is refreshed, since its counts changed even when the step goes
        on, then each run update it caused is shown in order (None: the step goes on)."""
        self.request_board(session_id)
        for update in updates:
            if update is not None:
                await self.apply(update)

    async def step_card(self, session: SessionRecord, run: RunRecord) -> MessagePayload:
        """The current step's card; with a pool not yet drawn again, Another question on it."""
        scene = await self.scene(session, run, run.step_index)
        payload = self.presenter(scene.step.type).render(scene)
        if self.bot.runner.has_pools(run) and not StepState.shown(run).another_drawn:
            payload = with_another_button(payload, run.id, run.step_index, self.language(session))
        return payload

    async def post_step(self, session: SessionRecord, run: RunRecord) -> None:
        """Post the run's current step card (with its nonce, so it shows once) and remember its
        message; a card that could not be posted is posted again by the next board refresh."""
        payload = await self.step_card(session, run)
        run_kind = self.bot.runner.step(run).type
        message = await self.send(
            session,
            payload,
            what=step_card(run_kind),
            retried=True,
            nonce=step_nonce(run),
        )
        if message is None:
            self._unposted.add(run.id)
            return
        self._unposted.discard(run.id)
        await self.bot.boards.step_posted(run.id, message.id)

    async def redraw_step(self, session: SessionRecord, run: RunRecord) -> None:
        """Edit the current step's card in place (e.g. after Another question)."""
        if run.step_message_id is None:
            await self.post_step(session, run)
            return
        await self.edit(
            session,
            run.step_message_id,
            await self.step_card(session, run),
            what=step_card(self.bot.runner.step(run).type),
        )

    async def _close_step(
        self, session: SessionRecord, run: RunRecord, step_index: int, message_id: int | None
    ) -> None:
        """Edit the step's message to its closed form, then post what the step produced."""
        answers = await self.bot.boards.answers(session, run.id, step_index)
        scene = await self.scene(session, run, step_index, answers.contributions, answers.names)
        presenter = self.presenter(scene.step.type)
        if message_id is not None:
            closed = presenter.render_closed(scene)
            await self.edit(
                session, message_id, closed, what=MessageName(N_("the closed step card"))
            )
        for payload in presenter.after_exit(scene):
            await self.send(
                session, payload, what=MessageName(N_("what the step produced (a summary)"))
            )

    # ------------------------------------------------------------------ board

    async def board_state(self, session: SessionRecord) -> BoardState:
        """What the session's board shows now (see `bot/ui/board_state.py`)."""
        return await gather_board_state(
            self.bot, self.presenters, session, self.language(session), self._now()
        )

    def _now(self) -> float:
        return self.bot.clock().timestamp()

    async def post_board(
        self, session: SessionRecord, *, notify: bool = True
    ) -> discord.Message | None:
        """Post a new board for `session` and remember it, unless another process is posting
        it: claimed once on the session's row (`BoardService.post_once`, against the message id
        seen here), with a nonce as Discord's own second guard. None when not posted (claimed
        elsewhere, or Discord refused: the refresh retries; with `notify`, a missing
        permission is told to the facilitator)."""
        self._guild_of_session[session.id] = session.guild_id

        async def post() -> discord.Message | None:
            state = await self.board_state(session)
            return await self.send(
                session,
                MessagePayload(embed=board_embed(state), view=board_view(state)),
                notify=notify,
                what=MessageName(N_("the session board")),
                retried=True,
                nonce=board_nonce(session.id, session.board_message_id),
            )

        message = await self.bot.boards.post_once(session, post)
        if message is not None:
            self.board_refreshes.mark_ran(session.id)
        return message

    def _board_interval(self, session_id: int) -> float:
        guild_id = self._guild_of_session.get(session_id)
        return self.bot.guild_settings.for_guild(guild_id).board_edit_interval

    def request_board(self, session_id: int) -> None:
        """Ask for a board refresh; refreshes are coalesced to one per board_edit_interval."""
        self.board_refreshes.request(session_id)

    async def refresh_board(self, session_id: int) -> None:
        """Edit the board now; re-post it if a moderator deleted it."""
        lock = self._board_locks.setdefault(session_id, asyncio.Lock())
        async with lock:
            session = await self.bot.boards.find(session_id)
            if session is None:
                return
            self._guild_of_session[session.id] = session.guild_id
            if session.board_message_id is None:
                if session.status == "open":
                    await self.post_board(session)
                return
            state = await self.board_state(session)
            try:
                embeds = limits.fit_message(None, [board_embed(state)]).embeds
                await (
                    self.channel(session)
                    .get_partial_message(session.board_message_id)
                    .edit(embeds=embeds, view=board_view(state), allowed_mentions=NONE)
                )
            except discord.NotFound:
                if session.status == "open":
                    log.info("board of session %s was deleted; posting it again", session.id)
                    await self.post_board(session)
            except discord.Forbidden:
                # Retrying can't help until someone gives the permission back; the next
                # change in the session tries again.
                log.warning("missing permission to edit the board of session %s", session.id)
                if session.status == "open":
                    await self.missing_permission(session)
            except discord.HTTPException as error:
                log_refused(log, error, "board edit failed for session %s, will retry", session.id)
                if session.status == "open":
                    self.request_board(session_id)
            finally:
                if session.status == "ended":
                    self.forget(session_id)
            run = state.run
            if run is not None and run.step_message_id is None and run.id in self._unposted:
                # A step this process could not post earlier (no permission then) is posted
                # now. Only then: a step without its message may be being posted right now,
                # here or by another process (bot/shards.py), and must not show twice.
                await self.post_step(session, run)

    def forget(self, session_id: int) -> None:
        """Drop what is kept for a session that ended (its board refreshes, lock and server)."""
        self.board_refreshes.forget(session_id)
        self._guild_of_session.pop(session_id, None)
        self._board_locks.pop(session_id, None)

    # ----------------------------------------------------------------- resume

    async def resume_all(self, only: Callable[[int], bool] | None = None) -> None:
        """After a restart: post any step message that a crash kept from being posted; with
        `only`, in the servers (guild ids) it accepts (a sharded process: see bot/shards.py)."""
        for session in await self.bot.sessions.all_open():
            if only is not None and not only(session.guild_id):
                continue
            run = await self.bot.boards.live_run(session.id)
            if run is not None and run.step_message_id is None:
                await self.post_step(session, run)

    def close(self) -> None:
        """Stop the board refreshes (the bot is closing)."""
        self.board_refreshes.close()
