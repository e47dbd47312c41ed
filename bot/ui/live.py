"""The live side of sessions: post each step once, close it, and keep the board current.

Cogs and the run timer hand RunUpdates here; this is the only place that turns them
into channel messages, so every path (button, command, timer, restart) looks the same. What it
needs of the bot (Discord's client calls, the runner, the store's reads) is passed in as a
`LiveHost`, so ui never imports the app that wires it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Hashable
from typing import Any, Protocol

import discord

from bot.core.debounce import Debouncer
from bot.core.field_texts import localize
from bot.core.pools import ANOTHER_STATE
from bot.core.runner import RunUpdate
from bot.i18n import N_, _, public_language
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.board import BoardState, ClosedState, board_embed, board_view
from bot.ui.live_host import LiveHost
from bot.ui.pools import with_another_button
from bot.ui.posting import NONE, _edit, _named, fitted, shortened, step_nonce
from bot.ui.steps import presenters
from bot.ui.steps.base import MessagePayload, StepPresenter, StepScene

log = logging.getLogger("chorus.live")


class RunObserver(Protocol):
    """Hears each run update: before (to prepare what presenters show) and after it is shown."""

    async def before_update(self, session: SessionRecord, update: RunUpdate) -> None: ...

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None: ...


class LiveSessions:
    """Posts and edits the messages of every open session."""

    def __init__(self, bot: LiveHost) -> None:
        self.bot = bot
        self.presenters: dict[str, StepPresenter] = presenters()
        self.observers: list[RunObserver] = []
        # Each server's own board edit interval (/setup board), by the board's session.
        self._guild_of_session: dict[int, int] = {}
        self.boards = Debouncer(
            bot.settings.board_edit_interval, self._refresh_board_key, self._board_interval
        )
        self._board_locks: dict[int, asyncio.Lock] = {}
        self._told_about_permissions: set[int] = set()
        self._unposted: set[int] = set()
        """Runs whose step card this process failed to post (posted again with the board)."""
        self._told_about_losses: set[tuple[int, str]] = set()

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
        self,
        session: SessionRecord,
        payload: MessagePayload,
        *,
        notify: bool = True,
        what: str = "a message",
        kind: str = "",
        retried: bool = False,
        nonce: str | None = None,
    ) -> discord.Message | None:
        """Post in the session's channel, fitted to Discord's limits (text that doesn't fit is
        attached whole as a file); a missing permission is told to the facilitator once, a
        refused post is retried once shortened, and what members lost is never silent.
        `retried`: the board refresh posts it again if this fails (step cards, the board).
        `nonce` (<= 25 characters): Discord returns the message already posted with it (in
        the last few minutes) instead of posting a second one. `what` names the message for
        the log and the facilitator (a catalogue text; `{kind}` in it is the step kind)."""
        named = _named(what, kind)
        try:
            return await self._post(session, payload, nonce)
        except discord.NotFound:
            await self.channel_gone(session)
        except discord.Forbidden as error:
            log.warning(
                "missing permission to post %s in channel %s (Discord error %s)",
                named,
                session.channel_id,
                error.code,
            )
            if notify:
                await self.missing_permission(session)
        except discord.HTTPException as error:
            log.warning(
                "Discord refused %s in channel %s (HTTP %s, Discord error %s: %s); %s",
                named,
                session.channel_id,
                error.status,
                error.code,
                error.text,
                "retrying it shortened" if error.status == 400 else "the board refresh retries",
            )
            if error.status == 400:
                try:
                    return await self._post(session, shortened(payload), nonce)
                except discord.HTTPException as again:
                    log.error(
                        "Discord refused %s in channel %s again, shortened (Discord error %s): "
                        "members did not get it",
                        named,
                        session.channel_id,
                        again.code,
                    )
                    await self.tell_lost(session, what, again, kind)
            elif retried:
                # Discord failed even after discord.py's own retries (e.g. 5xx): the session
                # goes on; a step that wasn't posted is posted by the next board refresh.
                if notify:
                    self.request_board(session.id)
            else:
                await self.tell_lost(session, what, error, kind)
        return None

    async def _post(
        self, session: SessionRecord, payload: MessagePayload, nonce: str | None = None
    ) -> discord.Message:
        content, embeds, files = fitted(payload)
        # discord.py sends `enforce_nonce` with a nonce.
        extra: dict[str, Any] = {} if nonce is None else {"nonce": nonce}
        return await self.channel(session).send(
            content=content,
            embeds=embeds,
            view=payload.view,  # type: ignore[arg-type]
            files=files,
            allowed_mentions=NONE,
            **extra,
        )

    async def edit(
        self,
        session: SessionRecord,
        message_id: int,
        payload: MessagePayload,
        *,
        what: str,
        kind: str = "",
    ) -> bool:
        """Edit one of the session's messages, fitted to Discord's limits like `send`; a 400
        is retried once shortened; any refusal is logged with Discord's code, and members'
        loss is told to the facilitator once. True when the message shows `payload`."""
        message = self.channel(session).get_partial_message(message_id)
        named = _named(what, kind)
        try:
            await _edit(message, payload)
            return True
        except discord.NotFound:
            log.warning("%s (message %s) was deleted; it can't be updated", named, message_id)
            return False
        except discord.HTTPException as error:
            log.warning(
                "Discord refused the edit of %s (message %s; HTTP %s, Discord error %s: %s)%s",
                named,
                message_id,
                error.status,
                error.code,
                error.text,
                "; retrying it shortened" if error.status == 400 else "",
            )
            if error.status == 400:
                try:
                    await _edit(message, shortened(payload))
                    return True
                except discord.HTTPException as again:
                    error = again
                    log.error(
                        "Discord refused the shortened edit of %s too (Discord error %s)",
                        named,
                        again.code,
                    )
            if not isinstance(error, discord.Forbidden):
                await self.tell_lost(session, what, error, kind)
            else:
                await self.missing_permission(session)
            return False

    async def tell_lost(
        self, session: SessionRecord, what: str, error: discord.HTTPException, kind: str = ""
    ) -> None:
        """Tell the facilitator, privately and once per session and thing, what members missed."""
        key = (session.id, _named(what, kind))
        if key in self._told_about_losses:
            return
        self._told_about_losses.add(key)
        await self.tell_facilitator(
            session,
            _(
                "Discord refused {what} in {channel} during **{title}** (Discord error {code}), "
                "so members may not see it. The session carries on; the details are in the "
                "bot's log.",
                self.language(session),
                what=_(what, self.language(session), kind=kind)
                if kind
                else _(what, self.language(session)),
                channel=f"<#{session.channel_id}>",
                title=session.title,
                code=error.code or error.status,
            ),
        )

    async def missing_permission(self, session: SessionRecord) -> None:
        """Tell the facilitator once per session what permission to give back."""
        if session.id in self._told_about_permissions:
            return
        self._told_about_permissions.add(session.id)
        await self.tell_facilitator(
            session,
            _(
                "I can't post in {channel}, so the session **{title}** can't show its steps. "
                "Please give me the **Send Messages**, **Embed Links** and **Attach Files** "
                "permissions in that channel; the session carries on as soon as I can post.",
                self.language(session),
                channel=f"<#{session.channel_id}>",
                title=session.title,
            ),
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
        await self.bot.sessions.close(session)  # nowhere to post a summary
        self.forget(session.id)

    # ------------------------------------------------------------------ steps

    def language(self, session: SessionRecord) -> str:
        """The language of the session's public posts: the server's (bot/i18n.py)."""
        return public_language(self.bot.guild_settings.for_guild(session.guild_id).language)

    def scene(self, session: SessionRecord, run: RunRecord, index: int) -> StepScene:
        activity = self.bot.runner.definition(run)
        step = self.bot.runner.step_at(run, index)
        return StepScene(
            session=session,
            run=run,
            activity=activity,
            step=step,
            index=index,
            locale=self.language(session),
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
                what=N_("the note that the activity ended"),
            )
        for observer in self.observers:
            await observer.after_update(session, update)
        self.request_board(session.id)
        await self.bot.run_timer.rearm()

    def step_card(self, session: SessionRecord, run: RunRecord) -> MessagePayload:
        """The current step's card; with a pool not yet drawn again, Another question on it."""
        scene = self.scene(session, run, run.step_index)
        payload = self.presenter(scene.step.type).render(scene)
        if self.bot.runner.has_pools(run) and not json.loads(run.step_state).get(ANOTHER_STATE):
            payload = with_another_button(payload, run.id, run.step_index, self.language(session))
        return payload

    async def post_step(self, session: SessionRecord, run: RunRecord) -> None:
        payload = self.step_card(session, run)
        run_kind = self.bot.runner.step(run).type
        message = await self.send(
            session,
            payload,
            what=N_("the {kind} step card"),
            kind=run_kind,
            retried=True,
            nonce=step_nonce(run),
        )
        if message is None:
            self._unposted.add(run.id)
            return
        self._unposted.discard(run.id)
        await self.bot.store.runs.set_step_message(run.id, message.id)

    async def redraw_step(self, session: SessionRecord, run: RunRecord) -> None:
        """Edit the current step's card in place (e.g. after Another question)."""
        if run.step_message_id is None:
            await self.post_step(session, run)
            return
        await self.edit(
            session,
            run.step_message_id,
            self.step_card(session, run),
            what=N_("the {kind} step card"),
            kind=self.bot.runner.step(run).type,
        )

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
            step=self.bot.runner.step_at(run, index),
            index=index,
            contributions=contributions,
            locale=self.language(session),
        )
        presenter = self.presenter(scene.step.type)
        if message_id is not None:
            closed = presenter.render_closed(scene)
            await self.edit(session, message_id, closed, what=N_("the closed step card"))
        for payload in presenter.after_exit(scene):
            await self.send(session, payload, what=N_("what the step produced (a summary)"))

    # ------------------------------------------------------------------ board

    async def board_state(self, session: SessionRecord) -> BoardState:
        present = [a.user_id for a in await self.bot.store.sessions.present(session.id)]
        names = await self.bot.store.members.names(
            session.guild_id, [*present, session.facilitator_id]
        )
        voice = self.bot.get_channel(session.voice_channel_id) if session.voice_channel_id else None
        voice_name = getattr(voice, "name", None)
        locale = self.language(session)
        closed = await self._closed(session)
        run = await self.bot.store.runs.live_for_session(session.id)
        if run is None:
            return BoardState(
                session=session,
                present=present,
                now=self._now(),
                names=names,
                voice_name=voice_name,
                locale=locale,
                closed=closed,
            )
        activity = self.bot.runner.definition(run)
        step = activity.steps[run.step_index]
        answered = None
        expected = len(present)
        if step.type != "prompt":
            contributions = await self.bot.store.contributions.for_step(run.id, run.step_index)
            authors: set[int | None] = {c.author_id for c in contributions}
            answered = len({c.author_id or -c.id for c in contributions})
            # A presenter may say who answered (a round: whose turn, not who pressed).
            answered_by = getattr(self.presenters.get(step.type), "answered_by", None)
            if answered_by is not None:
                authors = set(answered_by(contributions))
                answered = len(authors)
            # The facilitator leads: counted only when they take part themselves.
            if session.facilitator_id in present and session.facilitator_id not in authors:
                expected -= 1
        # A presenter may add fields of its own to the board (a round: who has the floor).
        board_fields = getattr(self.presenters.get(step.type), "board_fields", None)
        step_fields = (
            tuple(board_fields(run, step, names, locale)) if board_fields is not None else ()
        )
        return BoardState(
            step_fields=step_fields,
            session=session,
            present=present,
            run=run,
            activity_title=localize(activity.title, locale),
            step_title=localize(step.title, locale),
            step_kind=step.type,
            step_count=len(activity.steps),
            answered=answered,
            expected=expected,
            now=self._now(),
            names=names,
            voice_name=voice_name,
            locale=locale,
            closed=closed,
        )

    async def _closed(self, session: SessionRecord) -> ClosedState | None:
        """A closed session's cap, role and line for the board (None: open to anyone)."""
        limits = await self.bot.sessions.limits(session)
        if limits is None:
            return None
        line = await self.bot.sessions.waitlist(session)
        return ClosedState(
            capacity=limits.capacity,
            role_id=limits.role_id,
            invite_only=limits.invite_only,
            waiting=sum(1 for w in line if w.state == "waiting"),
            asking=sum(1 for w in line if w.state == "asking"),
        )

    def _now(self) -> float:
        return self.bot.clock().timestamp()

    async def post_board(
        self, session: SessionRecord, *, notify: bool = True
    ) -> discord.Message | None:
        self._guild_of_session[session.id] = session.guild_id
        state = await self.board_state(session)
        message = await self.send(
            session,
            MessagePayload(embed=board_embed(state), view=board_view(state)),
            notify=notify,
            what=N_("the session board"),
            retried=True,
        )
        if message is not None:
            await self.bot.store.sessions.set_board(session.id, message.id)
            self.boards.mark_ran(session.id)
        return message

    def _board_interval(self, key: Hashable) -> float:
        guild_id = self._guild_of_session.get(key) if isinstance(key, int) else None
        return self.bot.guild_settings.for_guild(guild_id).board_edit_interval

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
                log.warning(
                    "board edit failed for session %s (HTTP %s, Discord error %s: %s); will retry",
                    session.id,
                    error.status,
                    error.code,
                    error.text,
                )
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
        self.boards.forget(session_id)
        self._guild_of_session.pop(session_id, None)
        self._board_locks.pop(session_id, None)

    # ----------------------------------------------------------------- resume

    async def resume_all(self, only: Callable[[int], bool] | None = None) -> None:
        """After a restart: post any step message that a crash kept from being posted; with
        `only`, in the servers (guild ids) it accepts (a sharded process: see bot/shards.py)."""
        for session in await self.bot.sessions.all_open():
            if only is not None and not only(session.guild_id):
                continue
            run = await self.bot.store.runs.live_for_session(session.id)
            if run is not None and run.step_message_id is None:
                await self.post_step(session, run)

    def close(self) -> None:
        self.boards.close()
