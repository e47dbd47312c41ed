"""A round step (the go-around): the question, who has the floor and until when, who is next,
and the order so far; Done, Pass and (text-only sessions) Answer, or "I'll start".

Members are shown by the display names the round cog gives (`NameSource`), or as mentions
inside the embed while a name isn't known: Discord shows a mention as the member's name, and
mentions in embeds never notify anyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import discord

from bot.core.activities import localize
from bot.core.field_values import format_duration
from bot.core.session import RunRecord
from bot.core.steps.round import RESUME_WHOLE, RoundStep, answered_by, upcoming
from bot.ui import limits
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_STEP, plain_name, relative
from bot.ui.forms import ChorusForm
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene, step_embed
from bot.ui.steps.reflect import quote_block

OUTCOME_MARKS = {
    "spoke": "✓ spoke",
    "answer": "✓ answered",
    "pass": "passed",
    "time": "time ran out",
    "left": "left before their turn",
}


class RoundButton(TypedButton, spec="chorus:round:{action:word}:{run_id:int}:{index:int}"):
    """A round step's buttons: `action` is done, pass, answer (opens the answer form) or start
    (volunteer to go first)."""

    run_id: int
    index: int
    action: str


NameSource = Callable[[int], Mapping[int, str]]
"""A session id -> the display names its round card may show (the round cog keeps them)."""


def has_voice(scene: StepScene) -> bool:
    return scene.session.voice_channel_id is not None


class RoundPresenter(SimplePresenter):
    kind = "round"

    def __init__(self, names: NameSource | None = None) -> None:
        self._names = names or (lambda session_id: {})
        self._shown: Mapping[int, str] = {}

    def who(self, user_id: int) -> str:
        """A member's name in bold, made inert; a mention (shown as their name by Discord,
        never notifying in an embed) while the name isn't known."""
        name = plain_name(self._shown.get(user_id))
        return f"**{name}**" if name else f"<@{user_id}>"

    def now_text(self, scene: StepScene, state: dict[str, Any]) -> str:
        """Who has the floor, in words that are true now (and stay true as time passes)."""
        step: RoundStep = scene.step
        if state.get("finished"):
            return (
                "✅ Everyone has had their turn. Thank you all; the facilitator moves on "
                "when the group is ready."
            )
        # The runner's handler timer: it moves when the activity is paused and resumed.
        deadline = state.get("wake_at", state.get("turn_deadline"))
        until = relative(deadline) if isinstance(deadline, int | float) else None
        if scene.run.state == "paused":
            speaker = state.get("speaker")
            if isinstance(speaker, int) and state.get(RESUME_WHOLE):
                return (
                    f"⏸ The activity is paused. {self.who(speaker)} has the floor when it "
                    "resumes, with a whole turn."
                )
            if isinstance(speaker, int):
                return (
                    f"⏸ The activity is paused. {self.who(speaker)} keeps the floor, with the "
                    "time they had left, when it resumes."
                )
            return "⏸ The activity is paused. The round carries on when it resumes."
        if state.get("volunteer"):
            then = f" If nobody has by {until}, we go in join order." if until else ""
            return f"🙋 Who would like to start? Press **I'll start**.{then}"
        speaker = state.get("speaker")
        if not isinstance(speaker, int):
            return "Waiting for members to join the session to start the round."
        ends = f" Their time ends {until}." if until else ""
        if has_voice(scene):
            how = "is speaking in the voice channel"
            what = "Press **Done** when finished" + (" or **Pass**." if step.pass_allowed else ".")
        else:
            how = "has the floor"
            what = "Press **Answer** to write your answer, **Done** when finished" + (
                ", or **Pass**." if step.pass_allowed else "."
            )
        return f"🎤 {self.who(speaker)} {how} now.{ends} {what}"

    def next_text(self, state: dict[str, Any]) -> str:
        if state.get("finished"):
            return ""
        coming = upcoming(state)
        if not coming:
            return "Nobody after this turn, unless someone joins."
        return f"**Next:** {self.who(coming[0])}" + (
            f", then {len(coming) - 1} more" if len(coming) > 1 else ""
        )

    def order_text(self, state: dict[str, Any]) -> str:
        lines: list[str] = []
        turns = {
            t["user"]: t["outcome"]
            for t in state.get("turns") or []
            if isinstance(t, dict) and isinstance(t.get("user"), int)
        }
        for number, uid in enumerate(
            [u for u in state.get("order") or [] if isinstance(u, int)][:25], 1
        ):
            if uid == state.get("speaker"):
                mark = "🎤 now"
            else:
                mark = OUTCOME_MARKS.get(str(turns.get(uid)), "") if uid in turns else ""
            lines.append(f"{number}. {self.who(uid)}" + (f" · {mark}" if mark else ""))
        return "\n".join(lines)

    def body(self, scene: StepScene) -> str:
        step: RoundStep = scene.step
        self._shown = scene.names or self._names(scene.session.id)
        state = scene.step_state()
        parts = [f"**{scene.text(step.question)}**", "", self.now_text(scene, state)]
        following = self.next_text(state)
        if following:
            parts.append(following)
        order = self.order_text(state)
        if order:
            parts += ["", "**The round**", order]
        return "\n".join(parts)

    def render(self, scene: StepScene) -> MessagePayload:
        step: RoundStep = scene.step
        embed = step_embed(scene, self.body(scene))
        embed.set_footer(
            text=f"Each turn: {format_duration(step.turn_seconds)} · the speaker or the facilitator moves it on"
            + (" · passing is always fine" if step.pass_allowed else "")
        )
        return MessagePayload(embed=embed, view=self.view(scene))

    def view(self, scene: StepScene) -> discord.ui.View | None:
        step: RoundStep = scene.step
        state = scene.step_state()
        rid, idx = scene.run.id, scene.index
        finished = bool(state.get("finished"))
        if finished:
            return None  # nothing left to press; the facilitator moves on from the board
        if state.get("volunteer"):
            return persistent_view(
                RoundButton.button(
                    "I'll start",
                    action="start",
                    run_id=rid,
                    index=idx,
                    style=discord.ButtonStyle.primary,
                    emoji="🙋",
                )
            )
        items = []
        if not has_voice(scene):
            items.append(
                RoundButton.button(
                    "Answer",
                    action="answer",
                    run_id=rid,
                    index=idx,
                    style=discord.ButtonStyle.primary,
                    emoji="✍",
                )
            )
        items.append(
            RoundButton.button(
                "Done",
                action="done",
                run_id=rid,
                index=idx,
                style=discord.ButtonStyle.success,
                emoji="✅",
            )
        )
        if step.pass_allowed:
            items.append(
                RoundButton.button("Pass", action="pass", run_id=rid, index=idx, emoji="⏭")
            )
        return persistent_view(*items)

    def board_fields(
        self, run: RunRecord, step: RoundStep, names: Mapping[int, str]
    ) -> list[tuple[str, str]]:
        """The session board's line for a round: who has the floor now and who is next."""
        try:
            state = json.loads(run.step_state)
        except ValueError:
            return []
        if not isinstance(state, dict):
            return []
        self._shown = names
        if state.get("finished"):
            return [("Round", "✅ Everyone has had their turn")]
        if state.get("volunteer"):
            return [("Round", "🙋 Waiting for someone to start")]
        speaker = state.get("speaker")
        if not isinstance(speaker, int):
            return []
        coming = upcoming(state)
        following = f" · next {self.who(coming[0])}" if coming else " · last turn"
        return [("Round", f"🎤 {self.who(speaker)} has the floor{following}")]

    def answered_by(self, contributions: Sequence[Any]) -> set[int]:
        """Whom the board counts as answered: members whose turn was answered, not whoever
        pressed (`bot.core.steps.round.answered_by`)."""
        return answered_by(contributions)

    def closed_body(self, scene: StepScene) -> str:
        step: RoundStep = scene.step
        spoke = {c.payload.get("speaker") for c in scene.contributions if c.kind != "pass"}
        passed = {c.payload.get("speaker") for c in scene.contributions if c.kind == "pass"}
        spoke.discard(None)
        passed.discard(None)
        words = f"We went around: {len(spoke)} took their turn"
        if passed:
            words += f", {len(passed)} passed"
        return f"**{scene.text(step.question)}**\n\n{words}. Thank you all."


PRESENTER = RoundPresenter
"""Registers the presenter of the `round` kind (found by `bot.ui.steps.presenters`)."""


FORM = "form_round"


class RoundForm(ChorusForm):
    """The speaker's answer in a text-only session; its id carries the turn it was opened in,
    so an answer that arrives after the floor moved on is refused (and given back)."""

    def __init__(self, run_id: int, index: int, turn_no: int, step: RoundStep) -> None:
        super().__init__("Your turn", FORM, run_id, index, turn_no)
        answer: discord.ui.TextInput[RoundForm] = discord.ui.TextInput(
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=step.max_chars,
            required=True,
            placeholder=limits.placeholder("A few words are plenty."),
        )
        self.add_question(
            localize(step.question) or "Your answer", answer, short_label="Your answer"
        )


def shared_answer(text: str, name: str) -> MessagePayload:
    """A written answer posted to the group (member text: sent with mentions off)."""
    return MessagePayload(
        embed=discord.Embed(description=quote_block(text, name), colour=COLOUR_STEP)
    )
