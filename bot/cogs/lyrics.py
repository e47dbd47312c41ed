"""Writing songs together: lines through a button/modal or /line, turns, rhymes, and saved songs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Hashable
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.errors import http_error, reply_ephemeral
from bot.core.activities import WriteStep, localize
from bot.core.debounce import Debouncer
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.lyrics import (
    HARD_MAX_CHARS,
    Slot,
    allowance,
    blanks,
    credits,
    current_writer,
    hidden_clue,
    next_position,
    rotation,
    slots,
    song_lines,
    takes_turns,
    turn_refusal,
)
from bot.core.rhymes import suggest
from bot.core.session import clean_title
from bot.core.text import clean_member_text
from bot.store.records import RunRecord, SessionRecord
from bot.store.songs import SongRecord
from bot.ui import limits
from bot.ui.format import clock_and_relative, sentence
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.lyrics import (
    SongInfo,
    SongSheet,
    rhyme_embed,
    sections_of,
    song_embed,
    song_file,
    song_list_embed,
)
from bot.ui.steps.base import MessagePayload, StepScene
from bot.ui.steps.write import WritePresenter

log = logging.getLogger("chorus.lyrics")
NONE = discord.AllowedMentions.none()
RETRY = 0.5
"""Seconds to look again when a turn's time is up but the runner hasn't moved it yet."""


def _structure(step: WriteStep) -> list[tuple[str, int]]:
    sections: list[tuple[str, int]] = []
    for slot in slots(step):
        if slot.line_in_section == 1:
            sections.append((slot.section, slot.section_lines))
    return sections


def _line_items(
    slot: Slot, clue: str | None, hidden: bool, default: str | None, limit: int = HARD_MAX_CHARS
) -> list[discord.ui.Item[Any]]:
    """The line form's contents: one input per blank (or one for the line), and whatever the
    writer needs to read shown whole above them (a template or clue longer than a label).

    `limit` is each input's character allowance, enforced by Discord while typing."""
    count = blanks(slot.template)
    if hidden:
        prompt = f"The line before ends with “{clue}”" if clue else "You write the first line"
    elif slot.template and count == 1:
        prompt = "Fill in the blank"
    else:
        prompt = "Your line"
    if slot.template:
        shown = slot.template.replace("___", "…")
    elif hidden:
        shown = "Begin with that word, or answer it." if clue else "Start anywhere."
    else:
        shown = "One line; a single image is plenty."
    items: list[discord.ui.Item[Any]] = []
    above = [t for t in (prompt if len(prompt) > limits.LABEL_TEXT else "",) if t]
    if len(shown) > limits.TEXT_INPUT_PLACEHOLDER:
        above.append(shown)
    if above:
        items.append(discord.ui.TextDisplay(limits.cut("\n".join(above), limits.TEXT_DISPLAY)))
    if len(prompt) > limits.LABEL_TEXT:
        prompt = "Your line"
    room = limits.MODAL_COMPONENTS - len(items)
    parts = default.split(" / ") if default and count > 1 else [default or ""]
    if count > room:
        # More blanks than a form can hold inputs: one input, the parts between slashes.
        value = default or None
        allowed = limit * count + len(" / ") * (count - 1)
        items.append(
            discord.ui.TextInput(
                custom_id="line",
                label=limits.label(f"The {count} blanks, separated by /"),
                placeholder=limits.placeholder(shown),
                default=value,
                max_length=min(limits.TEXT_INPUT_VALUE, max(allowed, len(value or ""))),
                required=True,
            )
        )
        return items
    for index in range(max(1, count)):
        value = (parts[index] if index < len(parts) else "") or None
        items.append(
            discord.ui.TextInput(
                custom_id=f"line{index}" if count > 1 else "line",
                label=limits.label(f"Blank {index + 1} of {count}" if count > 1 else prompt),
                placeholder=limits.placeholder(shown),
                default=value,
                # An older line may be longer than today's allowance: never cut it off.
                max_length=min(HARD_MAX_CHARS, max(limit, len(value or ""))),
                required=True,
            )
        )
    return items


def _fingerprint(payload: MessagePayload) -> str:
    """What a step message shows (its embed and buttons), to tell whether an edit changes it."""
    embed = payload.embed.to_dict() if payload.embed is not None else None
    view = payload.view.to_components() if payload.view is not None else None
    return json.dumps([payload.content, embed, view], sort_keys=True, default=str)


def _your_words(payload: dict[str, Any]) -> str:
    """A refused line's words, given back so the writer can copy them instead of losing them."""
    fills = payload.get("fills")
    words = " / ".join(str(f) for f in fills) if isinstance(fills, list) else payload.get("text")
    if not isinstance(words, str) or not words.strip():
        return ""
    shown = clean_member_text(words, HARD_MAX_CHARS, single_line=True).replace("`", "ˋ")
    return f"\nYour words, to copy and change: `{shown}`" if shown else ""


LINE_FORM = "form_line"
REMOVE_FORM = "form_remove"


class LineForm(ChorusForm):
    """One line (or one input per blank of a template line); editing prefills the old words.

    Answered through its custom_id by `LyricsCog.on_line_form`, with no timeout."""

    def __init__(
        self,
        run_id: int,
        step_index: int,
        step: WriteStep,
        slot: Slot,
        *,
        clue: str | None,
        hidden: bool,
        editing: str | None = None,
    ) -> None:
        title = f"Line {slot.position + 1}" + (f" · {slot.section}" if slot.section else "")
        action = "edit" if editing is not None else "line"
        super().__init__(
            ("Edit " if editing is not None else "") + title,
            LINE_FORM,
            action,
            run_id,
            step_index,
            slot.position,
        )
        # A strict step refuses a longer line, so the form stops the writer at the limit instead
        # of letting them type words that would be thrown away; a guide (not strict) only flags.
        limit = allowance(step, slot) if step.strict else HARD_MAX_CHARS
        for item in _line_items(slot, clue, hidden, editing, limit):
            self.add_item(item)


class RemoveForm(ChorusForm):
    """The facilitator's "remove a line" form, answered by `LyricsCog.on_remove_form`."""

    def __init__(self, run_id: int, step_index: int) -> None:
        super().__init__("Remove a line", REMOVE_FORM, run_id, step_index)
        self.add_item(
            discord.ui.TextInput(
                custom_id="number", label="Line number", placeholder="e.g. 3", max_length=3
            )
        )


class LyricsCog(commands.Cog):
    """Commands and buttons of write steps, the live sheet, turn pings and saved songs."""

    song = app_commands.Group(name="song", description="Songs written together", guild_only=True)

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.info: dict[tuple[int, int], SongInfo] = {}
        self.presenter = WritePresenter(
            info=lambda run_id, index: self.info.get((run_id, index)),
            on_render=self._step_posted,
            on_exit=self._step_closed,
        )
        bot.live.add_presenter(self.presenter)
        bot.register_component("lyrics", self.on_button)
        bot.register_form(LINE_FORM, self.on_line_form, what="your line")
        bot.register_form(REMOVE_FORM, self.on_remove_form, what="the line number")
        self.sheets = Debouncer(bot.settings.board_edit_interval, self._refresh_key)
        self._turn_timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._announced: dict[int, int] = {}
        self._ping_messages: dict[int, tuple[int, int]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._shown: dict[tuple[int, int], str] = {}
        """(run, step) -> what its step message shows now, so a refresh that would change
        nothing (e.g. right after the step was posted) costs no edit."""
        bot.privacy.on_forget(self._forget_member)

    async def cog_load(self) -> None:
        """After a restart: remember the songs in progress and re-arm their turn timers."""
        for run in await self.bot.store.runs.all_live():
            step = self.bot.runner.step(run)
            if isinstance(step, WriteStep):
                state = json.loads(run.step_state)
                self._announced[run.id] = int(state.get("turn_no", 0))
                await self._load_info(run, step)
                self._arm_turn_timer(run.id, state)

    async def cog_unload(self) -> None:
        self.sheets.close()
        for timer in self._turn_timers.values():
            timer.cancel()

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: songs in progress reload their names (the member's lines are now the
        group's) and their sheets are shown again; finished steps' entries just go."""
        live = {run.id: run for run in await self.bot.store.runs.all_live()}
        for key, info in list(self.info.items()):
            if user_id not in info.names and user_id not in info.opted_out:
                continue
            run = live.get(key[0])
            if run is None or run.step_index != key[1]:
                del self.info[key]
                continue
            step = self.bot.runner.step(run)
            if isinstance(step, WriteStep):
                await self._load_info(run, step)
                self._shown.pop(key, None)
                self.request_sheet(run.id)

    # ---------------------------------------------------------------- lookups

    async def _live(
        self, run_id: int, step_index: int
    ) -> tuple[SessionRecord, RunRecord, WriteStep]:
        run = await self.bot.store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict("That song step has ended.")
        step = self.bot.runner.step(run)
        if not isinstance(step, WriteStep):
            raise Conflict("That song step has ended.")
        session = await self.bot.sessions.get(run.session_id)
        return session, run, step

    async def _live_here(
        self, interaction: discord.Interaction
    ) -> tuple[SessionRecord, RunRecord, WriteStep]:
        session = await controls.session_here(interaction)
        run = await controls.live_run(interaction, session)
        step = self.bot.runner.step(run)
        if not isinstance(step, WriteStep):
            raise NotFound(
                "We aren't writing a song right now; this works during a songwriting step."
            )
        return session, run, step

    async def _song(self, session: SessionRecord, run: RunRecord, step: WriteStep) -> SongRecord:
        return await self.bot.store.songs.for_step(
            guild_id=session.guild_id,
            session_id=session.id,
            run_id=run.id,
            step_index=run.step_index,
            theme=localize(step.theme),
            structure=json.dumps(_structure(step)),
            anonymous=step.anonymous,
            now=self._now(),
        )

    async def _load_info(self, run: RunRecord, step: WriteStep) -> SongInfo:
        session = await self.bot.sessions.get(run.session_id)
        song = await self._song(session, run, step)
        state = json.loads(run.step_state)
        authors = sorted(
            {
                int(a)
                for line in song_lines(state).values()
                if isinstance(a := line.get("author"), int)
            }
        )
        present = [a.user_id for a in await self.bot.store.sessions.present(session.id)]
        names = await self.bot.store.members.names(session.guild_id, sorted({*authors, *present}))
        opted = await self.bot.store.songs.opted_out(session.guild_id, authors)
        info = SongInfo(song_id=song.id, title=song.title, names=names, opted_out=frozenset(opted))
        self.info[(run.id, run.step_index)] = info
        return info

    def _now(self) -> float:
        return self.bot.clock().timestamp()

    # ---------------------------------------------------------------- buttons

    async def on_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        action, run_id, step_index = args[0], int(args[1]), int(args[2])
        if action == "write":
            await self.open_line_form(interaction, run_id, step_index)
        elif action == "edit":
            await self.open_edit_form(interaction, run_id, step_index)
        elif action in ("pass", "withdraw"):
            await self.contribute(interaction, run_id, step_index, action, {})
        elif action == "remove":
            controls.facilitator_only(interaction)
            await self._live(run_id, step_index)
            await send_form(interaction, RemoveForm(run_id, step_index))
        else:
            raise Conflict("That button is from an older version of Chorus.")

    async def open_line_form(
        self, interaction: discord.Interaction, run_id: int, step_index: int
    ) -> None:
        session, run, step = await self._live(run_id, step_index)
        state = json.loads(run.step_state)
        lines = song_lines(state)
        position = next_position(step, lines)
        if position is None:
            raise Conflict("The song is complete: every line has been written. 🎶")
        if takes_turns(step):
            present = [a.user_id for a in await self.bot.store.sessions.present(session.id)]
            writer = current_writer(state, present)
            if writer is not None and writer != interaction.user.id:
                in_circle = interaction.user.id in rotation(state, present)
                raise Conflict(turn_refusal(step, writer, in_circle))
        hidden = step.turns == "hidden"
        slot = slots(step)[position]
        clue = hidden_clue(lines, position) if hidden else None
        await send_form(
            interaction, LineForm(run_id, step_index, step, slot, clue=clue, hidden=hidden)
        )

    async def open_edit_form(
        self, interaction: discord.Interaction, run_id: int, step_index: int
    ) -> None:
        _, run, step = await self._live(run_id, step_index)
        state = json.loads(run.step_state)
        last = state.get("last") or {}
        line = song_lines(state).get(int(last.get("pos", -1)))
        if not last or line is None or last.get("writer") != interaction.user.id:
            raise Conflict(
                "You can change only your own line, and only until the next line is written."
            )
        slot = slots(step)[int(last["pos"])]
        await send_form(
            interaction,
            LineForm(
                run_id,
                step_index,
                step,
                slot,
                clue=None,
                hidden=False,
                editing=str(line.get("fill") or line.get("text") or ""),
            ),
        )

    # ---------------------------------------------------------------- forms

    async def on_line_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        """A line (or an edit) from the line form, whenever it comes: the step decides."""
        action, run_id, step_index, position = args[0], int(args[1]), int(args[2]), int(args[3])
        _, _, step = await self._live(run_id, step_index)
        every = slots(step)
        if not 0 <= position < len(every):
            raise Conflict("That song has changed: this line is no longer there.")
        slot = every[position]
        count = blanks(slot.template)
        payload: dict[str, Any]
        if count > 1 and "line0" in values.texts:
            payload = {"fills": [values.text(f"line{i}") for i in range(count)]}
        elif slot.template and count == 1:
            payload = {"fills": [values.text("line")]}
        else:
            payload = {"text": values.text("line")}
        if action == "edit":
            await self.contribute(interaction, run_id, step_index, "edit", payload)
        else:
            payload["expected_position"] = position
            await self.contribute(interaction, run_id, step_index, "line", payload)

    async def on_remove_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        text = values.text("number").strip()
        if not text.isdigit():
            raise InvalidInput("Give the line's number as shown on the lyric sheet, e.g. 3.")
        await self.remove(interaction, int(args[0]), int(args[1]), int(text))

    # ---------------------------------------------------------------- contributing

    async def contribute(
        self,
        interaction: discord.Interaction,
        run_id: int,
        step_index: int,
        kind: str,
        payload: dict[str, Any],
    ) -> None:
        """Save one song event (committed first), reply privately, record it in the song."""
        session, run, step = await self._live(run_id, step_index)
        await controls.ensure_joined(interaction, session)
        user = interaction.user
        try:
            outcome = await self.bot.runner.contribute(
                run_id,
                step_index,
                user.id,
                kind,
                {**payload, "writer": user.id},
                anonymous=step.anonymous and kind != "remove",
            )
        except InvalidInput as refused:
            raise InvalidInput(refused.message + _your_words(payload)) from None
        record = outcome.record
        song = await self._song(session, run, step)
        await self._record(song, record.kind, record.payload, record.id, record.author_id)
        if kind == "line" and not step.anonymous:
            await self.bot.store.members.remember_name(session.guild_id, user.id, user.display_name)
        await reply_ephemeral(interaction, self._thanks(step, kind, record.payload))
        fresh = await self.bot.store.runs.get(run_id)
        if fresh is not None:
            await self._load_info(fresh, step)
        self.bot.live.request_board(session.id)
        if outcome.update is not None:
            await self.bot.live.apply(outcome.update)
        else:
            self.request_sheet(run_id)

    def _thanks(self, step: WriteStep, kind: str, payload: dict[str, Any]) -> str:
        if kind == "pass":
            return "⏭ Passed. That's completely fine; the song goes on to the next writer."
        if kind == "withdraw":
            return "↩ Your line is withdrawn. The next writer picks up from there."
        if kind == "remove":
            return f"🧹 Line {int(payload['pos']) + 1} was removed. It's kept only in the record."
        verb = "updated" if kind == "edit" else "added"
        flags = payload.get("flags") or []
        note = ""
        if flags:
            note = (
                "\nIt's a little outside this song's guide ("
                + ", ".join(str(f) for f in flags)
                + "), and that's allowed here."
            )
        change = (
            "" if step.anonymous else " You can edit or withdraw it until the next line is written."
        )
        return (
            f"✍ Your line is {verb}: “{payload.get('text', '')}” ({payload.get('syl', 0)} "
            f"syllables).{change}{note}"
        )

    async def _record(
        self,
        song: SongRecord,
        kind: str,
        payload: dict[str, Any],
        contribution_id: int,
        author_id: int | None,
    ) -> None:
        """Mirror one committed event into song_lines (idempotent by event key)."""
        songs = self.bot.store.songs
        now = self._now()
        pos = int(payload.get("pos", 0))
        if kind in ("line", "pass"):
            await songs.add_line(
                song.id,
                event_key=f"c{contribution_id}",
                position=pos,
                section=str(payload.get("section", "")),
                author_id=author_id,
                text=str(payload.get("text", "")),
                syllables=payload.get("syl"),
                passed=kind == "pass",
                now=now,
            )
        elif kind == "edit":
            await songs.edit_line(
                song.id, f"c{payload['line_id']}", str(payload["text"]), payload.get("syl")
            )
        elif kind in ("withdraw", "remove"):
            await songs.remove_line(
                song.id, f"c{payload['line_id']}", author_id if kind == "remove" else None, now
            )

    async def remove(
        self, interaction: discord.Interaction, run_id: int, step_index: int, number: int
    ) -> None:
        controls.facilitator_only(interaction)
        await self.contribute(interaction, run_id, step_index, "remove", {"number": number})

    # ---------------------------------------------------------------- the live sheet and turns

    def _step_posted(self, scene: StepScene, payload: MessagePayload) -> None:
        """The step message is being posted with `payload`: ping the first writer, and show
        whatever the sheet has that the first posting didn't (names, the current writer)."""
        self._shown[(scene.run.id, scene.index)] = _fingerprint(payload)
        self.request_sheet(scene.run.id, delay=0.0)

    def _step_closed(self, scene: StepScene) -> None:
        run_id = scene.run.id
        self.sheets.forget(run_id)
        self._shown.pop((run_id, scene.index), None)
        timer = self._turn_timers.pop(run_id, None)
        if timer is not None:
            timer.cancel()
        self._spawn(self._finish(scene))

    async def _finish(self, scene: StepScene) -> None:
        info = self.info.get((scene.run.id, scene.index))
        if info is not None and info.song_id is not None:
            await self.bot.store.songs.finish(info.song_id, self._now())
        await self._delete_ping(scene.session, scene.run.id)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def request_sheet(self, run_id: int, delay: float | None = None) -> None:
        """Refresh the lyric sheet soon; edits are coalesced like the board's."""
        self.sheets.request(run_id, delay)

    async def _refresh_key(self, key: Hashable) -> None:
        assert isinstance(key, int)
        await self.refresh(key)

    async def refresh(self, run_id: int) -> None:
        lock = self._locks.setdefault(run_id, asyncio.Lock())
        async with lock:
            try:
                await self._refresh(run_id)
            except discord.HTTPException as error:
                log.warning("lyric sheet refresh failed for run %s (%s)", run_id, http_error(error))

    async def _refresh(self, run_id: int) -> None:
        run = await self.bot.store.runs.get(run_id)
        if run is None or not run.live:
            return
        step = self.bot.runner.step(run)
        if not isinstance(step, WriteStep):
            return
        session = await self.bot.sessions.get(run.session_id)
        await self._load_info(run, step)
        state = json.loads(run.step_state)
        if run.step_message_id is None:
            self.request_sheet(run_id, delay=RETRY)  # the step message is still being posted
            return
        present = [a.user_id for a in await self.bot.store.sessions.present(session.id)]
        await self._record_timeouts(session, run, step, state)
        scene = self.bot.live.scene(session, run, run.step_index)
        payload = self.presenter.payload(scene, present)
        self.sheets.mark_ran(run_id)
        shown = _fingerprint(payload)
        if self._shown.get((run_id, run.step_index)) != shown:
            edited = await self.bot.live.edit(
                session, run.step_message_id, payload, what="the song sheet"
            )
            if edited:
                self._shown[(run_id, run.step_index)] = shown
        await self._announce(session, run, step, state, present)
        self._arm_turn_timer(run_id, state)

    async def _record_timeouts(
        self, session: SessionRecord, run: RunRecord, step: WriteStep, state: dict[str, Any]
    ) -> None:
        timeouts = state.get("timeouts") or []
        if not timeouts:
            return
        song = await self._song(session, run, step)
        the_slots = slots(step)
        for t in timeouts:
            pos = int(t.get("pos", 0))
            await self.bot.store.songs.add_line(
                song.id,
                event_key=f"t{int(t.get('turn_no', 0))}",
                position=pos,
                section=the_slots[pos].section if pos < len(the_slots) else "",
                author_id=t.get("user"),
                text="",
                syllables=None,
                passed=True,
                now=float(t.get("at", self._now())),
            )

    async def _announce(
        self,
        session: SessionRecord,
        run: RunRecord,
        step: WriteStep,
        state: dict[str, Any],
        present: list[int],
    ) -> None:
        """Tell the writer once per turn: a ping to only them, or privately in an anonymous song.

        When nobody is to write (the song is full, or turns aren't taken) the last ping goes.
        """
        if not takes_turns(step):
            await self._delete_ping(session, run.id)
            return
        turn_no = int(state.get("turn_no", 0))
        writer = current_writer(state, present)
        lines = song_lines(state)
        position = next_position(step, lines)
        if position is None or writer is None:
            await self._delete_ping(session, run.id)
            return
        if run.state != "running" or self._announced.get(run.id, 0) >= turn_no:
            return
        self._announced[run.id] = turn_no
        slot = slots(step)[position]
        where = f"**line {position + 1} of {step.total_lines}**" + (
            f" ({slot.section})" if slot.section else ""
        )
        deadline = state.get("turn_deadline")
        until = (
            f" You have until {clock_and_relative(deadline)}."
            if isinstance(deadline, int | float)
            else ""
        )
        clue = ""
        if step.turns == "hidden":
            clue = " You'll see only the last word of the line before."
        passing = " Passing is fine too." if step.pass_allowed else ""
        await self._delete_ping(session, run.id)
        if step.anonymous:
            # A public ping would tie the writer to this line: tell them privately instead.
            channel = self.bot.live.channel(session)
            private = (
                f"✍ It's your turn to write {where} in <#{channel.id}>. Press **Write my line** "
                f"on the song there, or use `/line`.{until}{clue}{passing} Nobody else is told "
                "it's you."
            )
            if await self._tell_privately(run.id, writer, private):
                return
            content = (
                f"✍ <@{writer}>, it's your turn in the song. Press **Write my line** above, or "
                "use `/line`. (I couldn't send you a direct message.)"
            )
        else:
            content = (
                f"✍ <@{writer}>, it's your turn to write {where}. Press **Write my line** on the "
                f"song above, or use `/line`.{until}{clue}{passing}"
            )
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
            log.warning(
                "could not announce the turn in run %s (%s); lost: the ping to %s",
                run.id,
                http_error(error),
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
            log.warning(
                "could not DM the writer of run %s (%s); pinging in the channel instead",
                run_id,
                http_error(error),
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

    def _arm_turn_timer(self, run_id: int, state: dict[str, Any]) -> None:
        """Look again just after the turn's deadline, when the runner has passed the turn on."""
        old = self._turn_timers.pop(run_id, None)
        if old is not None:
            old.cancel()
        deadline = state.get("turn_deadline")
        if not isinstance(deadline, int | float):
            return
        delay = max(0.0, deadline - self._now()) + RETRY
        loop = asyncio.get_running_loop()
        self._turn_timers[run_id] = loop.call_later(delay, self._turn_due, run_id)

    def _turn_due(self, run_id: int) -> None:
        self._turn_timers.pop(run_id, None)
        self.request_sheet(run_id, delay=0.0)

    # ---------------------------------------------------------------- slash commands

    @app_commands.command(name="line", description="Add your line to the song we're writing")
    @app_commands.describe(text="Your line (for a line with several blanks: part one / part two)")
    @app_commands.guild_only()
    async def line(self, interaction: discord.Interaction, text: str) -> None:
        _, run, _ = await self._live_here(interaction)
        await self.contribute(interaction, run.id, run.step_index, "line", {"text": text})

    @app_commands.command(
        name="rhyme", description="Rhymes and near rhymes for a word (only you see them)"
    )
    @app_commands.describe(word="The word to rhyme with")
    async def rhyme(self, interaction: discord.Interaction, word: str) -> None:
        # Searching the dictionary for near rhymes takes 0.5-1 s: acknowledge first.
        await controls.defer_private(interaction)
        found = await asyncio.to_thread(suggest, word[:40])
        await controls.answer_deferred(interaction, embed=rhyme_embed(found))

    @song.command(name="remove", description="Facilitators: take a line out of the song")
    @app_commands.describe(line_number="The line's number on the lyric sheet")
    async def song_remove(self, interaction: discord.Interaction, line_number: int) -> None:
        controls.facilitator_only(interaction)
        _, run, _ = await self._live_here(interaction)
        await self.remove(interaction, run.id, run.step_index, line_number)

    @song.command(name="title", description="Facilitators: give the song a title")
    @app_commands.describe(
        title="The song's title", song_id="Which song (default: the one being written)"
    )
    async def song_title(
        self, interaction: discord.Interaction, title: str, song_id: int | None = None
    ) -> None:
        controls.facilitator_only(interaction)
        clean = clean_title(title)
        if song_id is None:
            session, run, step = await self._live_here(interaction)
            song = await self._song(session, run, step)
            await self.bot.store.songs.set_title(song.id, clean)
            await self._load_info(run, step)
        else:
            song = await self._guild_song(interaction, song_id)
            await self.bot.store.songs.set_title(song.id, clean)
        await reply_ephemeral(
            interaction, sentence(f"🎶 Song #{song.id} is now called **{clean}**")
        )

    @song.command(name="list", description="Songs written together in this server")
    async def song_list(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id or 0
        rows = []
        for song in await self.bot.store.songs.in_guild(guild_id, 20):
            count = len(await self.bot.store.songs.lines(song.id))
            rows.append((song.id, song.title or f"Song #{song.id}", count, song.created_at))
        await interaction.response.send_message(
            embed=song_list_embed(rows), ephemeral=True, allowed_mentions=NONE
        )

    @song.command(name="show", description="Read a saved song")
    @app_commands.describe(song_id="The song's number from /song list")
    async def song_show(self, interaction: discord.Interaction, song_id: int) -> None:
        sheet = await self.saved_sheet(await self._guild_song(interaction, song_id))
        await interaction.response.send_message(
            embed=song_embed(sheet), ephemeral=True, allowed_mentions=NONE
        )

    @song.command(name="export", description="A saved song as a text or Markdown file")
    @app_commands.describe(song_id="The song's number from /song list", format="File format")
    async def song_export(
        self,
        interaction: discord.Interaction,
        song_id: int,
        format: Literal["markdown", "text"] = "markdown",
    ) -> None:
        sheet = await self.saved_sheet(await self._guild_song(interaction, song_id))
        await interaction.response.send_message(
            f"🎶 **{sheet.shown_title}**, {sheet.line_count} lines.",
            file=song_file(sheet, format),
            ephemeral=True,
            allowed_mentions=NONE,
        )

    @song.command(name="credit", description="Be named in song credits, or credited as the group")
    @app_commands.describe(setting="on: your name in credits; off: you're part of “the group”")
    async def song_credit(
        self, interaction: discord.Interaction, setting: Literal["on", "off"]
    ) -> None:
        guild_id = interaction.guild_id or 0
        await self.bot.store.songs.set_credit_opt_out(
            guild_id, interaction.user.id, setting == "off"
        )
        for key, info in list(self.info.items()):
            opted = set(info.opted_out)
            (opted.add if setting == "off" else opted.discard)(interaction.user.id)
            self.info[key] = SongInfo(info.song_id, info.title, info.names, frozenset(opted))
        await reply_ephemeral(
            interaction,
            "You'll be credited as part of “the group” in songs from now on."
            if setting == "off"
            else "Your name will appear in the credits of songs you help write.",
        )

    async def _guild_song(self, interaction: discord.Interaction, song_id: int) -> SongRecord:
        song = await self.bot.store.songs.get(song_id)
        if song is None or song.guild_id != interaction.guild_id:
            raise NotFound(f"There's no song #{song_id} here. /song list shows them.")
        return song

    async def saved_sheet(self, song: SongRecord) -> SongSheet:
        rows = await self.bot.store.songs.lines(song.id)
        lines = {
            r.position: {"text": r.text, "author": r.author_id}
            for r in sorted(rows, key=lambda r: r.id)
        }
        structure = [(str(name), int(count)) for name, count in json.loads(song.structure)]
        the_slots: list[Slot] = []
        for number, (name, count) in enumerate(structure, 1):
            for i in range(count):
                the_slots.append(Slot(len(the_slots), name, number, i + 1, count, None))
        authors = sorted({a for line in lines.values() if isinstance(a := line["author"], int)})
        names = await self.bot.store.members.names(song.guild_id, authors)
        opted = await self.bot.store.songs.opted_out(song.guild_id, authors)
        return SongSheet(
            title=song.title,
            theme=song.theme,
            sections=sections_of(the_slots, lines),
            credits=credits(lines, song.anonymous, opted),
            names=names,
            song_id=song.id,
            written_at=song.created_at,
        )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(LyricsCog(bot))
