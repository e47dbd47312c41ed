"""A go-around's typed state: `RoundState` (with `RoundTurn`, `FloorLeft`) read from the keys the
`round` handler (`bot/core/steps/round.py`, whose docstring lists each key) keeps in its run's
step state, the read helpers the cogs and presenters use, and the rules that turn what a cog
hears (a button, a voice move) into the handler's contribution kinds.

Kept beside the kind's rules rather than in them so the kind module stays about its handler;
`bot.core.steps.round` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.errors import Conflict
from bot.core.step_state import as_count, as_member, as_members, as_number
from bot.i18n import N_
from bot.records.sessions import ContributionRecord

RESUME_WHOLE = "whole_turn_at_resume"
"""State key: the speaker was given the floor during a pause, so their whole turn starts at
Resume (set by the handler, dropped on Resume)."""

FLOOR_LEFT = "floor_left"
"""State key: the speaker has just left and the floor moved on (see the module docstring)."""

TELL_LEFT_WITHIN = 60.0
"""Seconds after a speaker left within which the channel is told (once: the note is marked
`told` in the stored state, see `Runner.claim_note`); later it is news no more, and the card
says it anyway."""


@dataclass(frozen=True, slots=True)
class RoundTurn:
    """One finished turn: whose it was and how it ended (see the module docstring)."""

    user: int
    outcome: str


@dataclass(frozen=True, slots=True)
class FloorLeft:
    """The note that the speaker of turn `turn_no` left at `at` (UTC seconds), from the
    session or the voice channel (`where`); `told` once the channel was told."""

    user: int | None
    turn_no: int
    at: float | None
    where: str
    told: bool


@dataclass(frozen=True, slots=True)
class RoundState:
    """A round's own keys in its run's step state (see the module docstring for each)."""

    order: tuple[int, ...] = ()
    turns: tuple[RoundTurn, ...] = ()
    speaker: int | None = None
    turn_no: int = 0
    turn_deadline: float | None = None
    """When the speaker's time ends (UTC timestamp, seconds)."""
    volunteer: bool = False
    finished: bool = False
    away: tuple[int, ...] = ()
    floor_left: FloorLeft | None = None
    whole_turn_at_resume: bool = False
    """The speaker was given the floor during a pause: their whole turn starts at Resume."""

    @classmethod
    def read(cls, state: Mapping[str, Any]) -> RoundState:
        """The round's keys of a step state; ids /forget took out read as nobody."""
        turns = tuple(
            RoundTurn(uid, str(t.get("outcome")))
            for t in state.get("turns") or []
            if isinstance(t, Mapping) and (uid := as_member(t.get("user"))) is not None
        )
        left = state.get(FLOOR_LEFT)
        floor_left = None
        if isinstance(left, Mapping):
            floor_left = FloorLeft(
                user=as_member(left.get("user")),
                turn_no=as_count(left.get("turn_no")),
                at=as_number(left.get("at")),
                where=str(left.get("where", "session")),
                told=bool(left.get("told")),
            )
        return cls(
            order=as_members(state.get("order")),
            turns=turns,
            speaker=as_member(state.get("speaker")),
            turn_no=as_count(state.get("turn_no")),
            turn_deadline=as_number(state.get("turn_deadline")),
            volunteer=bool(state.get("volunteer")),
            finished=bool(state.get("finished")),
            away=as_members(state.get("away")),
            floor_left=floor_left,
            whole_turn_at_resume=bool(state.get(RESUME_WHOLE)),
        )

    @property
    def had_turn(self) -> set[int]:
        """Members whose turn has been (done, passed, timed out or missed by leaving)."""
        return {t.user for t in self.turns}

    @property
    def upcoming(self) -> list[int]:
        """Members still to speak after the current speaker, in order."""
        done = self.had_turn | set(self.away)
        return [uid for uid in self.order if uid not in done and uid != self.speaker]

    @property
    def outcomes(self) -> dict[int, str]:
        """Each member's turn outcome so far (the last one, should they have had two)."""
        return {t.user: t.outcome for t in self.turns}

    def left_to_tell(self, now: float) -> FloorLeft | None:
        """The note that the speaker left, when the channel is to be told of it at `now` (UTC
        seconds): not told yet, left at most `TELL_LEFT_WITHIN` seconds ago, and the speaker
        not forgotten (/forget took their id out). None otherwise. The caller claims the
        telling with `Runner.claim_note(..., FLOOR_LEFT)` before it tells."""
        left = self.floor_left
        if left is None or left.user is None or left.told or left.at is None:
            return None
        return left if now - left.at <= TELL_LEFT_WITHIN else None

    def voice_move_matters(self, user_id: int, *, back: bool) -> bool:
        """Whether `user_id` coming back to (`back`) or leaving the session's voice channel
        changes the round: coming back for a member marked away, leaving for the speaker or a
        member still to speak. Voice comes and goes all evening: only these are written."""
        if back:
            return user_id in self.away
        return self.speaker == user_id or user_id in self.upcoming

    def answer_refusal(self, user_id: int) -> str | None:
        """Why `user_id` may not open the answer form now, or None when they have the floor."""
        if self.finished:
            return N_("Everyone has had their turn: the round is complete.")
        if self.speaker != user_id:
            return N_(
                "It isn't your turn yet: the answer form opens for the member who has the "
                "floor. Your turn comes; passing is fine when it does."
            )
        return None

    def check_floor(self, user_id: int) -> None:
        """Before the answer form opens: raises Conflict (`answer_refusal`'s reason) unless
        `user_id` has the floor."""
        refusal = self.answer_refusal(user_id)
        if refusal is not None:
            raise Conflict(refusal)


BUTTON_KINDS = {"start": "volunteer", "done": "spoke", "pass": "pass"}
"""A round button's action -> the contribution kind it makes (the answer button opens a form
instead, its answer is the `answer` kind)."""


def button_kind(action: str) -> str:
    """The contribution kind round button `action` makes (`BUTTON_KINDS`). Raises Conflict for
    an action this version doesn't know (a button posted by an older Chorus)."""
    kind = BUTTON_KINDS.get(action)
    if kind is None:
        raise Conflict(N_("That button is from an older version of Chorus."))
    return kind


def had_turn(state: Mapping[str, Any]) -> set[int]:
    """Members whose turn has been (done, passed, timed out or missed by leaving)."""
    return RoundState.read(state).had_turn


def upcoming(state: Mapping[str, Any]) -> list[int]:
    """Members still to speak after the current speaker, in order (as the state knows them)."""
    return RoundState.read(state).upcoming


def skipped(contribution: ContributionRecord) -> bool:
    """The contribution is the facilitator's Done on a speaker's turn they didn't take (see
    `RoundHandler.accept`): a skip, neither an answer nor a pass."""
    return contribution.kind == "spoke" and bool(contribution.payload.get("skipped"))


def answered_by(contributions: Sequence[ContributionRecord]) -> set[int]:
    """Members whose turn was answered: the speaker of each Done, Pass or written answer,
    whoever pressed it (a facilitator moving someone's turn on hasn't answered themselves);
    a speaker the facilitator skipped hasn't answered."""
    return {
        speaker
        for c in contributions
        if c.kind in ("spoke", "pass", "answer")
        and not skipped(c)
        and isinstance(speaker := c.payload.get("speaker"), int)
    }
