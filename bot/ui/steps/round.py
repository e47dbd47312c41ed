"""A round step (the go-around): the question, who has the floor and until when, who is next,
and the order so far; Done, Pass and (text-only sessions) Answer, or "I'll start".

Members are shown by the display names the round cog gathers (`RoundPrepared`), or as mentions
inside the embed while a name isn't known: Discord shows a mention as the member's name, and
mentions in embeds never notify anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from bot.core.activities import localize
from bot.core.round_state import FloorLeft, RoundState, answered_by, skipped
from bot.core.session import RunRecord
from bot.core.step_state import StepState
from bot.core.steps.round import RoundStep
from bot.i18n import N_, _, ngettext
from bot.records.sessions import ContributionRecord
from bot.ui.components import persistent_view
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_STEP, duration, plain_name, relative
from bot.ui.forms import ChorusForm
from bot.ui.steps.base import (
    ButtonLook,
    MessagePayload,
    SimplePresenter,
    StepActionButton,
    StepScene,
    step_embed,
)
from bot.ui.steps.reflect import quote_block

OUTCOME_MARKS = {
    "spoke": N_("✓ spoke"),
    "answer": N_("✓ answered"),
    "pass": N_("passed"),
    "skipped": N_("skipped by the facilitator"),
    "time": N_("time ran out"),
    "left": N_("left before their turn"),
    "gone": N_("left during their turn"),
}


ROUND_BUTTONS = {
    "start": ButtonLook(N_("I'll start"), "🙋", discord.ButtonStyle.primary),
    "answer": ButtonLook(N_("Answer"), "✍", discord.ButtonStyle.primary),
    "done": ButtonLook(N_("Done"), "✅", discord.ButtonStyle.success),
    "pass": ButtonLook(N_("Pass"), "⏭"),
}
"""The round's buttons by action."""


class RoundButton(
    StepActionButton, spec="chorus:round:{action:word}:{run_id:int}:{step_index:int}"
):
    """A round step's buttons: `action` is done, pass, answer (opens the answer form) or start
    (volunteer to go first)."""

    run_id: int
    step_index: int
    action: str


@dataclass(frozen=True, slots=True)
class RoundPrepared:
    """What a round's card shows beyond its step (`StepScene.prepared`): the display names,
    by user id, of the members it may show (present, or in the round's order), read by the
    round cog."""

    names: Mapping[int, str]


def who(names: Mapping[int, str], user_id: int) -> str:
    """A member's name in bold, made inert; a mention (shown as their name by Discord, never
    notifying in an embed) while `names` (display names by user id) lacks it."""
    name = plain_name(names.get(user_id))
    return f"**{name}**" if name else f"<@{user_id}>"


def shown_names(scene: StepScene[RoundStep]) -> Mapping[int, str]:
    """The names a round's card shows: the scene's own, else those its `RoundPrepared`
    carries (none: members are shown as mentions)."""
    prepared = scene.prepared_as(RoundPrepared)
    return scene.names or (prepared.names if prepared is not None else {})


def floor_left_text(left: FloorLeft, member: str, following: str | None, locale: str) -> str:
    """The channel's word that the speaker left during their turn (`left` is the round state's
    `floor_left`): kind, and saying where the floor goes (`following`, None when it was the
    last turn). `member` and `following` are names as the card shows them."""
    if left.where == "voice":
        if following is None:
            return _(
                "👋 {member} has left the voice channel, so we'll move on for now. That was "
                "the last turn of the round.",
                locale,
                member=member,
            )
        return _(
            "👋 {member} has left the voice channel, so we'll move on for now. The floor "
            "passes to {next}.",
            locale,
            member=member,
            next=following,
        )
    if following is None:
        return _(
            "👋 {member} has left the session. Thank you for being with us, {member}. That was "
            "the last turn of the round.",
            locale,
            member=member,
        )
    return _(
        "👋 {member} has left the session. Thank you for being with us, {member}. The floor "
        "passes to {next}.",
        locale,
        member=member,
        next=following,
    )


def has_voice(scene: StepScene[RoundStep]) -> bool:
    """True when the session meets in a voice channel (answers are spoken, not typed)."""
    return scene.session.voice_channel_id is not None


class RoundPresenter(SimplePresenter[RoundStep]):
    kind = "round"

    def now_text(self, scene: StepScene[RoundStep], saved: StepState) -> str:
        """Who has the floor, in words that are true now (and stay true as time passes), from
        the run's step state `saved`."""
        step = scene.step
        locale = scene.locale
        names = shown_names(scene)
        state = saved.kind(RoundState)
        if state.finished:
            return _(
                "✅ Everyone has had their turn. Thank you all; the facilitator moves on "
                "when the group is ready.",
                locale,
            )
        # The runner's handler timer: it moves when the activity is paused and resumed.
        deadline = saved.wake_at if saved.has_wake_at else state.turn_deadline
        until = relative(deadline) if deadline is not None else None
        speaker = state.speaker
        if scene.run.state == "paused":
            if speaker is not None and state.whole_turn_at_resume:
                return _(
                    "⏸ The activity is paused. {speaker} has the floor when it resumes, with a "
                    "whole turn.",
                    locale,
                    speaker=who(names, speaker),
                )
            if speaker is not None:
                return _(
                    "⏸ The activity is paused. {speaker} keeps the floor, with the time they "
                    "had left, when it resumes.",
                    locale,
                    speaker=who(names, speaker),
                )
            return _("⏸ The activity is paused. The round carries on when it resumes.", locale)
        if state.volunteer:
            if until:
                return _(
                    "🙋 Who would like to start? Press **I'll start**. If nobody has by {when}, "
                    "we go in join order.",
                    locale,
                    when=until,
                )
            return _("🙋 Who would like to start? Press **I'll start**.", locale)
        if speaker is None:
            return _("Waiting for members to join the session to start the round.", locale)
        ends = " " + _("Their time ends {when}.", locale, when=until) if until else ""
        speaking = who(names, speaker)
        if has_voice(scene):
            now = _("🎤 {speaker} is speaking in the voice channel now.", locale, speaker=speaking)
            what = (
                _("Press **Done** when finished or **Pass**.", locale)
                if step.pass_allowed
                else _("Press **Done** when finished.", locale)
            )
        else:
            now = _("🎤 {speaker} has the floor now.", locale, speaker=speaking)
            what = (
                _(
                    "Press **Answer** to write your answer, **Done** when finished, or **Pass**.",
                    locale,
                )
                if step.pass_allowed
                else _("Press **Answer** to write your answer, **Done** when finished.", locale)
            )
        return f"{now}{ends} {what}"

    def next_text(self, state: RoundState, names: Mapping[int, str], locale: str) -> str:
        """Who has the floor and who is next, from the round's step state, in ``locale``
        (`names`: display names by user id)."""
        if state.finished:
            return ""
        coming = state.upcoming
        if not coming:
            return _("Nobody after this turn, unless someone joins.", locale)
        if len(coming) == 1:
            return _("**Next:** {member}", locale, member=who(names, coming[0]))
        return ngettext(
            "**Next:** {member}, then {count} more",
            "**Next:** {member}, then {count} more",
            len(coming) - 1,
            locale,
            member=who(names, coming[0]),
        )

    def order_text(self, state: RoundState, names: Mapping[int, str], locale: str) -> str:
        """The round's order as numbered lines (who spoke, passed, is speaking), in ``locale``
        (`names`: display names by user id)."""
        lines: list[str] = []
        turns = state.outcomes
        for number, uid in enumerate(state.order[:25], 1):
            mark = ""
            if uid == state.speaker:
                mark = _("🎤 now", locale)
            elif turns.get(uid) in OUTCOME_MARKS:
                mark = _(OUTCOME_MARKS[turns[uid]], locale)
            lines.append(f"{number}. {who(names, uid)}" + (f" · {mark}" if mark else ""))
        return "\n".join(lines)

    def body(self, scene: StepScene[RoundStep]) -> str:
        """The question, whose turn it is now and who is next (names: `shown_names`)."""
        step = scene.step
        names = shown_names(scene)
        saved = scene.step_state()
        state = saved.kind(RoundState)
        locale = scene.locale
        parts = [f"**{scene.text(step.question)}**", "", self.now_text(scene, saved)]
        following = self.next_text(state, names, locale)
        if following:
            parts.append(following)
        order = self.order_text(state, names, locale)
        if order:
            parts += ["", "**" + _("The round", locale) + "**", order]
        return "\n".join(parts)

    def render(self, scene: StepScene[RoundStep]) -> MessagePayload:
        """See `StepPresenter.render`: the round's card, with each turn's length (seconds written as
        a duration)."""
        step = scene.step
        embed = step_embed(scene, self.body(scene))
        each = _(
            "Each turn: {length} · the speaker or the facilitator moves it on",
            scene.locale,
            length=duration(step.turn_seconds, scene.locale),
        )
        passing = " · " + _("passing is always fine", scene.locale) if step.pass_allowed else ""
        embed.set_footer(text=each + passing)
        return MessagePayload(embed=embed, view=self.view(scene))

    def view(self, scene: StepScene[RoundStep]) -> discord.ui.View | None:
        """The buttons for the round's state: I'll start while waiting for a volunteer, else Done,
        Answer (without voice) and Pass (when allowed); none once finished."""
        step = scene.step
        state = scene.step_state().kind(RoundState)
        if state.finished:
            return None  # nothing left to press; the facilitator moves on from the board
        if state.volunteer:
            actions = ["start"]
        else:
            actions = ["answer"] if not has_voice(scene) else []
            actions += ["done", "pass"] if step.pass_allowed else ["done"]
        return persistent_view(*(RoundButton.shown(scene, a, ROUND_BUTTONS) for a in actions))

    def board_fields(
        self, run: RunRecord, step: RoundStep, names: Mapping[int, str], locale: str
    ) -> Sequence[tuple[str, str]]:
        """The session board's line for a round: who has the floor now and who is next."""
        try:
            state = StepState.of(run).kind(RoundState)
        except ValueError:
            return []
        name = _("Round", locale)
        if state.finished:
            return [(name, _("✅ Everyone has had their turn", locale))]
        if state.volunteer:
            return [(name, _("🙋 Waiting for someone to start", locale))]
        speaker = state.speaker
        if speaker is None:
            return []
        coming = state.upcoming
        if coming:
            line = _(
                "🎤 {speaker} has the floor · next {member}",
                locale,
                speaker=who(names, speaker),
                member=who(names, coming[0]),
            )
        else:
            line = _("🎤 {speaker} has the floor · last turn", locale, speaker=who(names, speaker))
        return [(name, line)]

    def answered_by(self, contributions: Sequence[ContributionRecord]) -> set[int]:
        """Whom the board counts as answered: members whose turn was answered, not whoever
        pressed (`bot.core.round_state.answered_by`)."""
        return answered_by(contributions)

    def closed_body(self, scene: StepScene[RoundStep]) -> str:
        """Who spoke and who passed, without instructions to act."""
        step = scene.step
        # Done or a written answer; leaving during one's turn, or being skipped, is not taking it.
        spoke = {
            c.payload.get("speaker")
            for c in scene.contributions
            if c.kind in ("spoke", "answer") and not skipped(c)
        }
        passed = {c.payload.get("speaker") for c in scene.contributions if c.kind == "pass"}
        skips = {c.payload.get("speaker") for c in scene.contributions if skipped(c)}
        for found in (spoke, passed, skips):
            found.discard(None)
        words = went_around(len(spoke), len(passed), len(skips), scene.locale)
        return f"**{scene.text(step.question)}**\n\n{words}"


def went_around(spoke: int, passed: int, skips: int, locale: str) -> str:
    """The round's closing count: how many took their turn, passed (if any) and were skipped by
    the facilitator (if any; a skip isn't a pass). Each count is its own plural text, so every
    language words one and two people its own way."""
    counts = {
        "spoke": ngettext("{count} took their turn", "{count} took their turn", spoke, locale)
    }
    if passed:
        counts["passed"] = ngettext("{count} passed", "{count} passed", passed, locale)
    if skips:
        counts["skipped"] = ngettext("{count} was skipped", "{count} were skipped", skips, locale)
    if passed and skips:
        return _("We went around: {spoke}, {passed}, {skipped}. Thank you all.", locale, **counts)
    if passed:
        return _("We went around: {spoke}, {passed}. Thank you all.", locale, **counts)
    if skips:
        return _("We went around: {spoke}, {skipped}. Thank you all.", locale, **counts)
    return _("We went around: {spoke}. Thank you all.", locale, **counts)


PRESENTER = RoundPresenter
"""Registers the presenter of the `round` kind (found by `bot.ui.steps.presenters`)."""


@dataclass(frozen=True)
class RoundFormId(FormId, spec="chorus:form_round:{run_id:int}:{step_index:int}:{turn_no:int}"):
    """The id of a speaker's answer form: the run, the step and the turn it was opened in."""

    run_id: int
    step_index: int
    turn_no: int


class RoundForm(ChorusForm):
    """The speaker's answer in a text-only session; its id carries the turn it was opened in,
    so an answer that arrives after the floor moved on is refused (and given back)."""

    def __init__(
        self, run_id: int, step_index: int, turn_no: int, step: RoundStep, locale: str
    ) -> None:
        super().__init__(
            _("Your turn", locale),
            RoundFormId(run_id=run_id, step_index=step_index, turn_no=turn_no),
        )
        label = _("Your answer", locale)
        self.add_answer(localize(step.question, locale) or label, label, step.max_chars, locale)


def shared_answer(text: str, name: str) -> MessagePayload:
    """A written answer posted to the group (member text: sent with mentions off)."""
    return MessagePayload(
        embed=discord.Embed(description=quote_block(text, name), colour=COLOUR_STEP)
    )
