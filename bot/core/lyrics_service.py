"""Writing songs together as a service: lines, turns, removal, titles, credit and saved songs.

No Discord here: the cogs turn these results into messages. A song event (a line, pass, edit,
withdrawal or removal) is saved with its mirror in `song_lines` in ONE write, so the song's
record never misses an event that the step counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.activities import localize
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.lyric_lines import LineRefused, hidden_clue
from bot.core.lyric_slots import HARD_MAX_CHARS, Slot, slots
from bot.core.lyric_state import TURN_PING, WriteState
from bot.core.lyric_turns import takes_turns, turn_refusal
from bot.core.lyrics import next_position
from bot.core.run_updates import ContributionOutcome
from bot.core.step_service import StepService
from bot.core.step_state import StepState
from bot.core.steps.write import WriteStep
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.records.sessions import RunRecord, SessionRecord
from bot.records.songs import SongLineRecord, SongRecord, SongSpec, TimedOutTurn
from bot.store.songs import PositionTaken

SONG_ENDED = N_("That song step has ended.")
LINE_TAKEN = N_(
    "Someone else wrote line {number} a moment ago, so yours wasn't added. Press **Write my "
    "line** again for the next line."
)
SONGS_LISTED = 20


@dataclass(frozen=True, slots=True)
class SongPeople:
    """Who a song's sheet names: its writers' and present members' stored names, and the
    writers who asked to be credited as the group."""

    song_id: int
    title: str
    names: dict[int, str]
    opted_out: frozenset[int]
    authors: frozenset[int]
    """Who wrote the song's lines so far (user ids)."""


@dataclass(frozen=True, slots=True)
class LineAsk:
    """What the line form shows: the slot to write, and (hidden turns) the clue."""

    step: WriteStep
    slot: Slot
    clue: str | None
    hidden: bool
    editing: str | None = None
    """The writer's own words, when they change their line."""


@dataclass(frozen=True, slots=True)
class SavedSong:
    """A saved song as its lines and who wrote them (`lines`: position -> text and author)."""

    song: SongRecord
    slots: list[Slot]
    lines: dict[int, dict[str, Any]]
    names: dict[int, str]
    opted_out: set[int]


def structure(step: WriteStep, locale: str) -> list[tuple[str, int]]:
    """The step's sections as [name, line count] pairs (stored with the song; names in
    ``locale``, the song's language)."""
    sections: list[tuple[str, int]] = []
    for slot in slots(step, locale):
        if slot.line_in_section == 1:
            sections.append((slot.section, slot.section_lines))
    return sections


def your_words(payload: Mapping[str, Any]) -> str:
    """A refused line's words, given back so the writer can copy them instead of losing them."""
    fills = payload.get("fills")
    words = " / ".join(str(f) for f in fills) if isinstance(fills, list) else payload.get("text")
    if not isinstance(words, str) or not words.strip():
        return ""
    return clean_member_text(words, HARD_MAX_CHARS, single_line=True).replace("`", "ˋ")


class LyricsService(StepService):
    """The write step's rules beyond the runner: lines, turns, the song's record, titles, credit."""

    # ------------------------------------------------------------ the step

    async def live(
        self, run_id: int, step_index: int
    ) -> tuple[SessionRecord, RunRecord, WriteStep]:
        """The session, run and write step, while the run is live at `step_index`.

        Raises Conflict when the song step has ended."""
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(SONG_ENDED)
        step = self._runner.step(run)
        session = await self._store.sessions.get(run.session_id)
        if not isinstance(step, WriteStep) or session is None:
            raise Conflict(SONG_ENDED)
        return session, run, step

    def writing(self, run: RunRecord) -> WriteStep:
        """The live run's write step. Raises NotFound when it isn't on one."""
        step = self._runner.step(run)
        if not isinstance(step, WriteStep):
            raise NotFound(
                N_("We aren't writing a song right now; this works during a songwriting step.")
            )
        return step

    async def claim_turn_ping(self, run: RunRecord) -> bool:
        """Claim pinging the writer of the run's turn (as read in `run`): True once per turn, for the first
        caller in any process (the mark is stored with the run, so a restart or another process
        doesn't ping it again), which then pings; False when it was claimed already, the turn
        or step has changed meanwhile, or the run has ended. A ping that then can't be sent is
        lost (the sheet still shows whose turn it is). Raises StorageUnavailable when the mark
        can't be written."""
        state = StepState.of(run).kind(WriteState)
        if not state.ping_due:
            return False  # read first: a sheet refresh with nothing due writes nothing
        return await self._runner.claim_note(
            run.id, run.step_index, TURN_PING, turn_no=state.turn_no
        )

    async def present(self, session: SessionRecord) -> list[int]:
        """The members present now, in join order (the turn order)."""
        return [a.user_id for a in await self._store.sessions.present(session.id)]

    def spec(self, session: SessionRecord, run: RunRecord, step: WriteStep) -> SongSpec:
        """The song's record, worded in its language (the server's)."""
        locale = self._server_language(session.guild_id)
        return SongSpec(
            guild_id=session.guild_id,
            session_id=session.id,
            run_id=run.id,
            step_index=run.step_index,
            theme=localize(step.theme, locale),
            structure=json.dumps(structure(step, locale)),
            anonymous=step.anonymous,
        )

    async def song(self, session: SessionRecord, run: RunRecord, step: WriteStep) -> SongRecord:
        """The song of the live write step (created the first time)."""
        return await self._store.songs.of_step(self.spec(session, run, step), self.now())

    async def people(self, session: SessionRecord, run: RunRecord, step: WriteStep) -> SongPeople:
        """Who the song's sheet names: the stored names of its writers and of the members present,
        and the writers who asked to be credited as the group."""
        song = await self.song(session, run, step)
        authors = sorted(
            {
                int(a)
                for line in StepState.of(run).kind(WriteState).lines.values()
                if isinstance(a := line.get("author"), int)
            }
        )
        present = await self.present(session)
        names = await self._store.members.names(session.guild_id, sorted({*authors, *present}))
        opted = await self.credited_as_group(session.guild_id, authors)
        return SongPeople(song.id, song.title, names, opted, frozenset(authors))

    async def credited_as_group(self, guild_id: int, user_ids: Iterable[int]) -> frozenset[int]:
        """Those of `user_ids` who asked to be credited as the group in server `guild_id`, as
        stored now (any process may have changed it)."""
        return frozenset(await self._store.songs.opted_out(guild_id, sorted(user_ids)))

    # ------------------------------------------------------------ the forms

    async def line_ask(self, run_id: int, step_index: int, user_id: int) -> LineAsk:
        """The slot `user_id` would write now. Raises Conflict when the song is complete or it
        is someone else's turn (the refusal says whose, unless the song is anonymous)."""
        session, run, step = await self.live(run_id, step_index)
        state = StepState.of(run).kind(WriteState)
        lines = state.lines
        position = next_position(step, lines)
        if position is None:
            raise Conflict(N_("The song is complete: every line has been written. 🎶"))
        if takes_turns(step):
            present = await self.present(session)
            writer = state.writer(present)
            if writer is not None and writer != user_id:
                in_circle = user_id in state.rotation(present)
                raise turn_refusal(step, writer, in_circle)
        hidden = step.turns == "hidden"
        clue = hidden_clue(lines, position) if hidden else None
        the_slots = slots(step, self._server_language(session.guild_id))
        return LineAsk(step, the_slots[position], clue, hidden)

    async def edit_ask(self, run_id: int, step_index: int, user_id: int) -> LineAsk:
        """The writer's own last line, to change. Raises Conflict once the next line is in."""
        session, run, step = await self.live(run_id, step_index)
        state = StepState.of(run).kind(WriteState)
        last = state.last
        line = state.lines.get(last.pos) if last is not None else None
        if last is None or line is None or last.writer != user_id:
            raise Conflict(
                N_("You can change only your own line, and only until the next line is written.")
            )
        slot = slots(step, self._server_language(session.guild_id))[last.pos]
        words = str(line.get("fill") or line.get("text") or "")
        return LineAsk(step, slot, None, False, editing=words)

    async def form_slot(self, run_id: int, step_index: int, position: int) -> Slot:
        """The slot a line form was opened for. Raises Conflict if the song no longer has it."""
        session, _, step = await self.live(run_id, step_index)
        every = slots(step, self._server_language(session.guild_id))
        if not 0 <= position < len(every):
            raise Conflict(N_("That song has changed: this line is no longer there."))
        return every[position]

    # ------------------------------------------------------------ contributing

    async def contribute(
        self,
        session: SessionRecord,
        run: RunRecord,
        step: WriteStep,
        user_id: int,
        display_name: str,
        kind: str,
        payload: Mapping[str, Any],
    ) -> ContributionOutcome:
        """Save one song event (line, pass, edit, withdraw, remove) and its `song_lines` mirror
        in one commit. Raises InvalidInput (the step's refusal, or the line's position written
        by another process a moment before: LineRefused, with the writer's words given back to
        copy), Conflict (the step has ended) or NotFound (the run has)."""
        try:
            outcome = await self._runner.contribute(
                run.id,
                run.step_index,
                user_id,
                kind,
                {**payload, "writer": user_id},
                anonymous=step.anonymous and kind != "remove",
                mirror=self._store.songs.mirror(self.spec(session, run, step), self.now()),
            )
        except PositionTaken as taken:
            # Another process wrote that line a moment ago: this process's copy of the run is
            # behind (the refusal forgot it: read afresh next time); the writer keeps their words.
            taken_line = [(LINE_TAKEN, {"number": taken.position + 1})]
            raise LineRefused(taken_line, your_words(payload)) from None
        except InvalidInput as refused:
            words = your_words(payload)
            if not words:
                raise
            problems = (
                refused.problems
                if isinstance(refused, LineRefused)
                else [(refused.template, refused.fields)]
            )
            raise LineRefused(problems, words) from None
        if kind == "line" and not step.anonymous:
            await self._store.members.remember_name(session.guild_id, user_id, display_name)
        return outcome

    async def record_timeouts(
        self, session: SessionRecord, run: RunRecord, step: WriteStep, state: WriteState
    ) -> None:
        """Turns that ran out of time (in the run's step state) become passes in the song's
        record."""
        if not state.timeouts:
            return
        the_slots = slots(step, self._server_language(session.guild_id))
        turns = [
            TimedOutTurn(
                turn_no=t.turn_no,
                position=t.pos,
                section=the_slots[t.pos].section if t.pos < len(the_slots) else "",
                user_id=t.user,
                at=t.at if t.at is not None else self.now(),
            )
            for t in state.timeouts
        ]
        await self._store.songs.add_timeouts(self.spec(session, run, step), turns, self.now())

    async def finish(self, song_id: int) -> None:
        """Mark the song finished now (once). Raises StorageUnavailable when the write can't be
        committed."""
        await self._store.songs.finish(song_id, self.now())

    # ------------------------------------------------------------ saved songs

    async def set_title(self, song_id: int, title: str) -> None:
        """Give the song its title (already cleaned by the caller). Raises StorageUnavailable when
        the write can't be committed."""
        await self._store.songs.set_title(song_id, title)

    async def guild_song(self, guild_id: int | None, song_id: int) -> SongRecord:
        """Song #`song_id` of this server. Raises NotFound when it isn't one of its songs."""
        song = await self._store.songs.get(song_id)
        if song is None or song.guild_id != guild_id:
            raise NotFound(
                N_("There's no song #{song_id} here. /song list shows them."), song_id=song_id
            )
        return song

    async def songs_in(self, guild_id: int) -> list[tuple[SongRecord, int]]:
        """The server's latest songs with their line counts, newest first."""
        rows = []
        for song in await self._store.songs.in_guild(guild_id, SONGS_LISTED):
            rows.append((song, len(await self._store.songs.lines(song.id))))
        return rows

    async def saved(self, song: SongRecord) -> SavedSong:
        """A saved song as /song shows it: its slots rebuilt from the stored structure, its lines
        (position -> text and author), the writers' names and who asked to be credited as the
        group."""
        rows: list[SongLineRecord] = await self._store.songs.lines(song.id)
        lines = {
            r.position: {"text": r.text, "author": r.author_id}
            for r in sorted(rows, key=lambda r: r.id)
        }
        shape = [(str(name), int(count)) for name, count in json.loads(song.structure)]
        the_slots: list[Slot] = []
        for number, (name, count) in enumerate(shape, 1):
            for i in range(count):
                the_slots.append(Slot(len(the_slots), name, number, i + 1, count, None))
        authors = sorted({a for line in lines.values() if isinstance(a := line["author"], int)})
        names = await self._store.members.names(song.guild_id, authors)
        opted = await self._store.songs.opted_out(song.guild_id, authors)
        return SavedSong(song, the_slots, lines, names, opted)

    async def set_credit(self, guild_id: int, user_id: int, named: bool) -> None:
        """Be named in song credits (`named`), or credited as part of "the group"."""
        await self._store.songs.set_credit_opt_out(guild_id, user_id, not named)
