"""The live lyric sheet of a write step and its turn pings.

`LiveLyricSheet` belongs to the lyrics cog (bot/cogs/lyrics.py). It keeps what the sheet shows
beyond the run's state (the song's id, title and names), re-draws the step message when the
song changes (edits coalesced like the board's), and tells each writer once that it's their
turn: a ping to only them, or a direct message in an anonymous song.

Turn timers are the runner's: a turn's deadline is stored in the run (`turn_deadline`, the
run's `wake_at`) and fired like every deadline, by the process holding the guild's shard lease,
claimed `FOR UPDATE SKIP LOCKED` and committed with the step compare-and-set (bot/shards.py); a
survivor adopting a dead process's shards fires them from the store. The sheet keeps no timer
of its own: it hears the committed update (`after_update`) in the process that made it. Whether
a turn is pinged is kept with the run, not here: the handler leaves a note with each turn and
the first process to claim it (`LyricsService.claim_turn_ping`) pings, so no turn is pinged
twice, and a turn whose process died before its ping is pinged by the next one to load the
run (`load`). Only the last ping's message, tidied away at the next turn, is this process's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

import discord

from bot.chorus_bot import ChorusBot
from bot.core.debounce import Debouncer
from bot.core.lyric_state import WriteState
from bot.core.lyric_turns import takes_turns
from bot.core.lyrics import next_position
from bot.core.lyrics_service import LyricsService
from bot.core.run_updates import RunUpdate
from bot.core.step_state import StepState
from bot.core.steps.write import WriteStep
from bot.i18n import N_
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.errors import log_refused
from bot.ui.locale import server_language
from bot.ui.lyrics import SongInfo, fingerprint
from bot.ui.posting import MessageName
from bot.ui.steps.write import WritePresenter
from bot.ui.turn_pings import TurnPing

log = logging.getLogger("chorus.lyrics")
NONE = discord.AllowedMentions.none()
RETRY = 0.5
"""Seconds to look again when the step message is still being posted."""


class LiveLyricSheet:
    """The lyric sheets of the songs being written and their turn pings."""

    def __init__(self, bot: ChorusBot, service: LyricsService) -> None:
        self.bot = bot
        self.service = service
        self.info: dict[tuple[int, int], SongInfo] = {}
        bot.live.add_scene_source(WritePresenter, self.write_scene)
        bot.live.add_observer(self)
        self.sheets = Debouncer[int](bot.settings.board_edit_interval, self.refresh)
        self._ping_messages: dict[int, tuple[int, int]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._shown: dict[tuple[int, int], str] = {}
        """(run, step) -> what its step message shows now, so a refresh that would change
        nothing (e.g. right after the step was posted) costs no edit."""
        bot.privacy.on_forget(self._forget_member)

    @property
    def presenter(self) -> WritePresenter:
        """The write steps' presenter in use."""
        return self.bot.live.presenter_of(WritePresenter)

    async def write_scene(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> SongInfo | None:
        """What the card of write step `step_index` of `run` shows beyond its step: the song's
        id, title and names as last read (`load_info`; None before the first read), and who is
        credited as the group as stored now."""
        info = self.info.get((run.id, step_index))
        if info is None or not info.authors:
            return info
        # Read at every render, not kept: /song credit may be answered by another process
        # (shards, PostgreSQL), which can't reach the sheets held here.
        opted = await self.service.credited_as_group(session.guild_id, info.authors)
        return replace(info, opted_out=opted)

    async def load(self) -> None:
        """After a restart: remember the songs in progress, and ping a turn whose process
        stopped before its ping went out (the claim stored with the run says which)."""
        for run in await self.service.live_runs():
            step = self.bot.runner.step(run)
            if isinstance(step, WriteStep):
                await self.load_info(run, step)
                if StepState.of(run).kind(WriteState).ping_due:
                    self.request_sheet(run.id, delay=0.0)

    def close(self) -> None:
        """Stop the sheet refreshes (the bot is closing)."""
        self.sheets.close()

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
        """This process committed a run update (a turn ran out, a step's time is up): the
        sheet shows it and the next writer is pinged from here (once: the ping is claimed in
        the run, so no other process pings that turn too). A song whose step ended is
        finished; a write step just posted pings its first writer."""
        run = update.run
        exited = update.exited_step
        if exited is not None and isinstance(self.bot.runner.step_at(run, exited), WriteStep):
            await self._step_closed(session, run.id, exited)
        if update.entered_step is not None and isinstance(self.bot.runner.step(run), WriteStep):
            await self._step_posted(session, run)
        if update.ended is None and isinstance(self.bot.runner.step(update.run), WriteStep):
            self.request_sheet(update.run.id, delay=0.0)

    async def load_info(self, run: RunRecord, step: WriteStep) -> SongInfo:
        """Read again who the song's sheet names (after a line, a title, a /forget)."""
        session = await self.bot.sessions.get(run.session_id)
        people = await self.service.people(session, run, step)
        info = SongInfo(
            people.song_id, people.title, people.names, people.opted_out, people.authors
        )
        self.info[(run.id, run.step_index)] = info
        return info

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: songs in progress reload their names (the member's lines are now the
        group's) and their sheets are shown again; finished steps' entries just go."""
        live = {run.id: run for run in await self.service.live_runs()}
        for key, info in list(self.info.items()):
            if user_id not in info.names and user_id not in info.opted_out:
                continue
            run = live.get(key[0])
            if run is None or run.step_index != key[1]:
                del self.info[key]
                continue
            step = self.bot.runner.step(run)
            if isinstance(step, WriteStep):
                await self.load_info(run, step)
                self._shown.pop(key, None)
                self.request_sheet(run.id)

    async def _step_posted(self, session: SessionRecord, run: RunRecord) -> None:
        """This process posted the run's write step: it pings the first writer, and the sheet
        shows whatever the first posting didn't (names, the current writer; the refresh that
        after_update asks for)."""
        scene = await self.bot.live.scene(session, run, run.step_index)
        self._shown[(run.id, run.step_index)] = fingerprint(self.presenter.render(scene))

    async def _step_closed(self, session: SessionRecord, run_id: int, step_index: int) -> None:
        """Write step `step_index` of run `run_id` ended: its song is finished and the last
        turn ping goes."""
        self.sheets.forget(run_id)
        self._shown.pop((run_id, step_index), None)
        info = self.info.get((run_id, step_index))
        if info is not None and info.song_id is not None:
            await self.service.finish(info.song_id)
        await self._delete_ping(session, run_id)

    def request_sheet(self, run_id: int, delay: float | None = None) -> None:
        """Refresh the lyric sheet soon; edits are coalesced like the board's. `delay` in seconds
        overrides the interval (0 = now)."""
        self.sheets.request(run_id, delay)

    async def refresh(self, run_id: int) -> None:
        """Edit the song card of run `run_id` now (if it changed) and ping the next writer."""
        lock = self._locks.setdefault(run_id, asyncio.Lock())
        async with lock:
            try:
                await self._refresh(run_id)
            except discord.HTTPException as error:
                log_refused(log, error, "lyric sheet refresh failed for run %s", run_id)

    async def _refresh(self, run_id: int) -> None:
        run = await self.service.run(run_id)
        if run is None or not run.live:
            return
        step = self.bot.runner.step(run)
        if not isinstance(step, WriteStep):
            return
        session = await self.bot.sessions.get(run.session_id)
        await self.load_info(run, step)
        state = StepState.of(run).kind(WriteState)
        if run.step_message_id is None:
            self.request_sheet(run_id, delay=RETRY)  # the step message is still being posted
            return
        present = await self.service.present(session)
        await self.service.record_timeouts(session, run, step, state)
        scene = await self.bot.live.scene(session, run, run.step_index)
        payload = self.presenter.payload(scene, present)
        self.sheets.mark_ran(run_id)
        shown = fingerprint(payload)
        if self._shown.get((run_id, run.step_index)) != shown:
            edited = await self.bot.live.edit(
                session, run.step_message_id, payload, what=MessageName(N_("the song sheet"))
            )
            if edited:
                self._shown[(run_id, run.step_index)] = shown
        await self._announce(session, run, step, state, present)

    async def _announce(
        self,
        session: SessionRecord,
        run: RunRecord,
        step: WriteStep,
        state: WriteState,
        present: list[int],
    ) -> None:
        """Tell the writer once per turn (claimed in the store first): a ping to only them, or
        privately in an anonymous song.

        When nobody is to write (the song is full, or turns aren't taken) the last ping goes.
        """
        if not takes_turns(step):
            await self._delete_ping(session, run.id)
            return
        writer = state.writer(present)
        position = next_position(step, state.lines)
        if position is None or writer is None:
            await self._delete_ping(session, run.id)
            return
        if run.state != "running" or not await self.service.claim_turn_ping(run):
            return  # paused (pinged at Resume), or this turn was pinged already
        words = TurnPing.of(
            step,
            position,
            state.turn_deadline,
            server_language(self.bot.guild_settings, session.guild_id),
        )
        await self._delete_ping(session, run.id)
        content = words.public(writer)
        if step.anonymous:
            # A public ping would tie the writer to this line: tell them privately instead.
            channel = self.bot.live.channel(session)
            if await self._tell_privately(run.id, writer, words.private(channel.id)):
                return
            content = words.undeliverable(writer)
        try:
            message = await self.bot.live.channel(session).send(
                content,
                allowed_mentions=discord.AllowedMentions(
                    users=[discord.Object(id=writer)],
                    everyone=False,
                    roles=False,
                    replied_user=False,
                ),
            )
        except discord.HTTPException as error:
            log_refused(
                log,
                error,
                "could not announce the turn in run %s, lost: the ping to %s",
                run.id,
                writer,
            )
            return
        self._ping_messages[run.id] = (message.channel.id, message.id)

    async def _tell_privately(self, run_id: int, user_id: int, text: str) -> bool:
        """A direct message to the writer; False when it can't be delivered."""
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            message = await user.send(text, allowed_mentions=NONE)
        except discord.HTTPException as error:
            log_refused(
                log,
                error,
                "could not DM the writer of run %s, pinging in the channel instead",
                run_id,
            )
            return False
        self._ping_messages[run_id] = (message.channel.id, message.id)
        return True

    async def _delete_ping(self, session: SessionRecord, run_id: int) -> None:
        """Tidy away the last turn message (in the channel or the writer's DMs)."""
        old = self._ping_messages.pop(run_id, None)
        if old is None:
            return
        channel_id, message_id = old
        with contextlib.suppress(discord.HTTPException):
            await (
                self.bot.get_partial_messageable(channel_id)
                .get_partial_message(message_id)
                .delete()
            )
