"""The live side of sessions: post each step once, close it, and keep the board current.

Cogs and the deadline scheduler hand RunUpdates here; this is the only place that turns them
into channel messages, so every path (button, command, timer, restart) looks the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable
from typing import TYPE_CHECKING, Protocol

import discord

from bot.core.debounce import Debouncer
from bot.core.runner import RunUpdate
from bot.store.records import RunRecord, SessionRecord
from bot.ui.board import BoardState, board_embed, board_view
from bot.ui.steps import default_presenters
from bot.ui.steps.base import MessagePayload, StepPresenter, StepScene

if TYPE_CHECKING:
    from bot.app import ChorusBot

log = logging.getLogger("chorus.live")


class RunObserver(Protocol):
    """Hears each run update: before (to prepare what presenters show) and after it is shown."""

    async def before_update(self, session: SessionRecord, update: RunUpdate) -> None: ...

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None: ...


NONE = discord.AllowedMentions.none()


class LiveSessions:
    """Posts and edits the messages of every open session."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.presenters: dict[str, StepPresenter] = default_presenters()
        self.observers: list[RunObserver] = []
        self.boards = Debouncer(bot.settings.board_edit_interval, self._refresh_board_key)
        self._board_locks: dict[int, asyncio.Lock] = {}
        self._told_about_permissions: set[int] = set()

    def add_presenter(self, presenter: StepPresenter) -> None:
        self.presenters[presenter.kind] = presenter

    def add_observer(self, observer: RunObserver) -> None:
        """A feature that acts on step changes (e.g. voice playback) hears every update."""
        self.observers.append(observer)

    # --------------------------------------------------------------- channels

    def channel(self, session: SessionRecord) -> discord.PartialMessageable:
        """Works without the member or channel cache, so it works right after a restart."""
        return self.bot.get_partial_messageable(session.channel_id, guild_id=session.guild_id)

    async def send(
        self, session: SessionRecord, payload: MessagePayload, *, notify: bool = True
    ) -> discord.Message | None:
        """Post in the session's channel; a missing permission is told to the facilitator once."""
        try:
            return await self.channel(session).send(
                content=payload.content,
                embeds=payload.all_embeds,
                view=payload.view,  # type: ignore[arg-type]
                files=list(payload.files),
                allowed_mentions=NONE,
            )
        except discord.NotFound:
            await self.channel_gone(session)
        except discord.Forbidden:
            log.warning("missing permission to post in channel %s", session.channel_id)
            if notify:
                await self.missing_permission(session)
        except discord.HTTPException:
            # Discord failed even after discord.py's own retries (e.g. 5xx): the session goes
            # on; a step that wasn't posted is posted by the next board refresh.
            log.warning("posting in channel %s failed; will retry", session.channel_id)
            if notify:
                self.request_board(session.id)
        return None

    async def missing_permission(self, session: SessionRecord) -> None:
        """Tell the facilitator once per session what permission to give back."""
        if session.id in self._told_about_permissions:
            return
        self._told_about_permissions.add(session.id)
        await self.tell_facilitator(
            session,
            f"I can't post in <#{session.channel_id}>, so the session **{session.title}** "
            "can't show its steps. Please give me the **Send Messages**, **Embed Links** "
            "and **Attach Files** permissions in that channel; the session carries on "
            "as soon as I can post.",
        )

    async def tell_facilitator(self, session: SessionRecord, text: str) -> bool:
        """DM the session's facilitator; False when Discord refused (DMs closed, user gone)
        or when the facilitator used /forget: then nobody is contacted in their place (the
        member chose to tell that one person, not everyone with the role)."""
        if not session.has_facilitator:
            log.info("session %s has no facilitator to tell; nobody was contacted", session.id)
            return False
        try:
            user = self.bot.get_user(session.facilitator_id) or await self.bot.fetch_user(
                session.facilitator_id
            )
            await user.send(text, allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("could not reach facilitator %s", session.facilitator_id)
            return False
        return True

    async def channel_gone(self, session: SessionRecord) -> None:
        """The channel was deleted: end its session cleanly."""
        log.info("channel %s is gone; ending session %s", session.channel_id, session.id)
        await self.bot.sessions.end(session)
        self.forget(session.id)

    # ------------------------------------------------------------------ steps

    def scene(self, session: SessionRecord, run: RunRecord, index: int) -> StepScene:
        activity = self.bot.runner.definition(run)
        return StepScene(
            session=session, run=run, activity=activity, step=activity.steps[index], index=index
        )

    def presenter(self, kind: str) -> StepPresenter:
        return self.presenters[kind]

    async def apply(self, update: RunUpdate) -> None:
        """Show what a run update changed: close the old step, post the new one, refresh the board."""
        session = await self.bot.store.sessions.get(update.session_id)
        if session is None:
            return
        run = update.run
        for observer in self.observers:
            await observer.before_update(session, update)
        if update.exited_step is not None:
            await self._close_step(session, run, update.exited_step, update.exited_message_id)
        if update.entered_step is not None:
            await self.post_step(session, run)
        if update.ended is not None:
            title = self.bot.runner.definition(run).title
            from bot.core.activities import localize

            verb = "finished" if update.ended == "finished" else "was stopped"
            await self.send(session, MessagePayload(content=f"✨ **{localize(title)}** {verb}."))
        for observer in self.observers:
            await observer.after_update(session, update)
        self.request_board(session.id)
        await self.bot.scheduler.rearm()

    async def post_step(self, session: SessionRecord, run: RunRecord) -> None:
        scene = self.scene(session, run, run.step_index)
        payload = self.presenter(scene.step.type).render(scene)
        message = await self.send(session, payload)
        if message is not None:
            await self.bot.store.runs.set_step_message(run.id, message.id)

    async def _close_step(
        self, session: SessionRecord, run: RunRecord, index: int, message_id: int | None
    ) -> None:
        """Edit the step's message to its closed form, then post what the step produced."""
        contributions = await self.bot.store.contributions.for_step(run.id, index)
        authors = sorted({c.author_id for c in contributions if c.author_id is not None})
        names = await self.bot.store.members.names(session.guild_id, authors)
        scene = StepScene(
            names=names,
            session=session,
            run=run,
            activity=self.bot.runner.definition(run),
            step=self.bot.runner.definition(run).steps[index],
            index=index,
            contributions=contributions,
        )
        presenter = self.presenter(scene.step.type)
        if message_id is not None:
            closed = presenter.render_closed(scene)
            try:
                await (
                    self.channel(session)
                    .get_partial_message(message_id)
                    .edit(content=closed.content, embed=closed.embed, view=closed.view)
                )
            except discord.HTTPException:
                log.info("could not close step message %s", message_id)
        for payload in presenter.after_exit(scene):
            await self.send(session, payload)

    # ------------------------------------------------------------------ board

    async def board_state(self, session: SessionRecord) -> BoardState:
        present = [a.user_id for a in await self.bot.store.sessions.present(session.id)]
        names = await self.bot.store.members.names(
            session.guild_id, [*present, session.facilitator_id]
        )
        voice = self.bot.get_channel(session.voice_channel_id) if session.voice_channel_id else None
        voice_name = getattr(voice, "name", None)
        run = await self.bot.store.runs.live_for_session(session.id)
        if run is None:
            return BoardState(
                session=session,
                present=present,
                now=self._now(),
                names=names,
                voice_name=voice_name,
            )
        from bot.core.activities import localize

        activity = self.bot.runner.definition(run)
        step = activity.steps[run.step_index]
        answered = None
        expected = len(present)
        if step.type != "prompt":
            contributions = await self.bot.store.contributions.for_step(run.id, run.step_index)
            authors = {c.author_id for c in contributions}
            answered = len({c.author_id or -c.id for c in contributions})
            # The facilitator leads: counted only when they take part themselves.
            if session.facilitator_id in present and session.facilitator_id not in authors:
                expected -= 1
        return BoardState(
            session=session,
            present=present,
            run=run,
            activity_title=localize(activity.title),
            step_title=localize(step.title),
            step_kind=step.type,
            step_count=len(activity.steps),
            answered=answered,
            expected=expected,
            now=self._now(),
            names=names,
            voice_name=voice_name,
        )

    def _now(self) -> float:
        return self.bot.clock().timestamp()

    async def post_board(
        self, session: SessionRecord, *, notify: bool = True
    ) -> discord.Message | None:
        state = await self.board_state(session)
        message = await self.send(
            session, MessagePayload(embed=board_embed(state), view=board_view(state)), notify=notify
        )
        if message is not None:
            await self.bot.store.sessions.set_board(session.id, message.id)
            self.boards.mark_ran(session.id)
        return message

    def request_board(self, session_id: int) -> None:
        """Ask for a board refresh; refreshes are coalesced to one per board_edit_interval."""
        self.boards.request(session_id)

    async def _refresh_board_key(self, key: Hashable) -> None:
        assert isinstance(key, int)
        await self.refresh_board(key)

    async def refresh_board(self, session_id: int) -> None:
        """Edit the board now; re-post it if a moderator deleted it."""
        lock = self._board_locks.setdefault(session_id, asyncio.Lock())
        async with lock:
            session = await self.bot.store.sessions.get(session_id)
            if session is None:
                return
            if session.board_message_id is None:
                if session.status == "open":
                    await self.post_board(session)
                return
            state = await self.board_state(session)
            try:
                await (
                    self.channel(session)
                    .get_partial_message(session.board_message_id)
                    .edit(embed=board_embed(state), view=board_view(state), allowed_mentions=NONE)
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
            except discord.HTTPException:
                log.warning(
                    "board edit failed for session %s; will retry", session.id, exc_info=True
                )
                if session.status == "open":
                    self.request_board(session_id)
            finally:
                if session.status == "ended":
                    self.forget(session_id)
            if state.run is not None and state.run.step_message_id is None:
                # A step that could not be posted earlier (no permission then) is posted now.
                await self.post_step(session, state.run)

    def forget(self, session_id: int) -> None:
        self.boards.forget(session_id)
        self._board_locks.pop(session_id, None)

    # ----------------------------------------------------------------- resume

    async def resume_all(self) -> None:
        """After a restart: post any step message that a crash kept from being posted."""
        for session in await self.bot.sessions.all_open():
            run = await self.bot.store.runs.live_for_session(session.id)
            if run is not None and run.step_message_id is None:
                await self.post_step(session, run)

    def close(self) -> None:
        self.boards.close()
