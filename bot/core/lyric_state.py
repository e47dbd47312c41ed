"""A write step's typed state: `WriteState` (with `LastLine`, `TimedOut`) read from the keys the
`write` handler (`bot/core/steps/write.py`) keeps in its run's step state: the song folded so far,
the turn order, whose turn it is until when, the last line while it may be changed, turns that
ran out. Read as ``StepState.of(run).kind(WriteState)`` (`bot/core/step_state.py`).

Kept beside the kind's rules rather than in them so the kind module stays about its handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.lyric_turns import rotation_of, writer_of
from bot.core.lyrics import song_lines
from bot.core.step_state import as_count, as_member, as_members, as_number

TURN_PING = "turn_ping"
"""State key: the note that a writer's turn started, ``{"turn_no": n}``, set by the handler
with each turn and marked ``"told": true`` by whoever claims the turn's ping first
(`LyricsService.claim_turn_ping`, through `Runner.claim_note`): each turn is pinged once,
across restarts and processes."""


@dataclass(frozen=True, slots=True)
class LastLine:
    """The song's last line while its writer may still change it: the contribution `id` that
    wrote it, its position `pos` (0-based) and its `writer` (None in an anonymous song)."""

    id: int
    pos: int
    writer: int | None


@dataclass(frozen=True, slots=True)
class TimedOut:
    """A writer's turn that ran out of time: the line's position, the turn, who (None when
    anonymous or forgotten) and when (UTC seconds; None when not kept)."""

    pos: int
    turn_no: int
    user: int | None
    at: float | None


@dataclass(frozen=True, slots=True)
class WriteState:
    """A write step's own keys in its run's step state: the song folded so far and the turns."""

    lines: Mapping[int, Mapping[str, Any]]
    """Filled positions -> line (id, text, fill, author, syl, flags), as `lyrics.fold` gives
    them from the step's contributions."""
    order: tuple[int, ...] = ()
    """The turn order (join order, newcomers appended)."""
    turn: int | None = None
    """Whose turn it is as stored (see `writer` for who writes now)."""
    turn_no: int = 0
    turn_deadline: float | None = None
    """When the writer's turn ends (UTC timestamp, seconds)."""
    last: LastLine | None = None
    timeouts: tuple[TimedOut, ...] = ()
    """The last turns that ran out of time (at most 64), oldest first."""
    ping_due: bool = False
    """The current turn's writer is still to be pinged: its `TURN_PING` note is not told (a
    state from before the note, or without a turn, has nothing due)."""

    @classmethod
    def read(cls, state: Mapping[str, Any]) -> WriteState:
        """The write step's keys of a step state; ids /forget took out read as nobody."""
        last = state.get("last")
        kept = None
        if isinstance(last, Mapping):
            line_id, pos = as_member(last.get("id")), as_member(last.get("pos"))
            if line_id is not None and pos is not None:
                kept = LastLine(line_id, pos, as_member(last.get("writer")))
        timeouts = tuple(
            TimedOut(
                pos=as_count(t.get("pos")),
                turn_no=as_count(t.get("turn_no")),
                user=as_member(t.get("user")),
                at=as_number(t.get("at")),
            )
            for t in state.get("timeouts") or []
            if isinstance(t, Mapping)
        )
        ping = state.get(TURN_PING)
        due = (
            isinstance(ping, Mapping)
            and not ping.get("told")
            and as_count(ping.get("turn_no")) == as_count(state.get("turn_no"))
        )
        return cls(
            lines=song_lines(state),
            order=as_members(state.get("order")),
            turn=as_member(state.get("turn")),
            turn_no=as_count(state.get("turn_no")),
            turn_deadline=as_number(state.get("turn_deadline")),
            last=kept,
            timeouts=timeouts,
            ping_due=due,
        )

    def rotation(self, present: Sequence[int]) -> list[int]:
        """Everyone in the turn order, the members `present` not in it yet appended."""
        return rotation_of(self.order, present)

    def writer(self, present: Sequence[int]) -> int | None:
        """Whose turn it is now among `present`: the stored writer, or the next if they left."""
        return writer_of(self.order, self.turn, present)
