"""A write step: theme, structure and the live lyric sheet in one message; the song sheet after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.core.lyrics import (
    credits,
    current_writer,
    fold,
    is_full,
    next_position,
    slots,
    song_lines,
    takes_turns,
)
from bot.core.steps.write import WriteStep
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import clock_time
from bot.ui.lyrics import (
    SongInfo,
    SongSheet,
    live_sheet,
    sections_of,
    song_embed,
    song_file,
    who,
)
from bot.ui.lyrics import structure_text as structure_line
from bot.ui.steps.base import MessagePayload, StepScene, step_embed

SongInfoSource = Callable[[int, int], SongInfo | None]
SceneHook = Callable[[StepScene], None]
RenderHook = Callable[[StepScene, MessagePayload], None]


class LyricsButton(TypedButton, spec="chorus:lyrics:{action:word}:{run_id:int}:{index:int}"):
    """A write step's buttons: `action` is write, edit, pass, withdraw or remove (remove: the
    facilitator's button on messages posted by older versions)."""

    run_id: int
    index: int
    action: str


class WritePresenter:
    """Renders write steps; the lyrics cog gives it song titles/names and hears of step changes."""

    kind = "write"

    def __init__(
        self,
        info: SongInfoSource | None = None,
        on_render: RenderHook | None = None,
        on_exit: SceneHook | None = None,
    ) -> None:
        self._info = info or (lambda run_id, index: None)
        self._on_render = on_render
        self._on_exit = on_exit

    # ---------------------------------------------------------------- open

    def render(self, scene: StepScene) -> MessagePayload:
        """The step's first posting (the cog then keeps it current with `payload`)."""
        payload = self.payload(scene)
        if self._on_render is not None:
            self._on_render(scene, payload)
        return payload

    def payload(self, scene: StepScene, present: list[int] | None = None) -> MessagePayload:
        step: WriteStep = scene.step
        state = scene.step_state()
        lines = song_lines(state)
        the_slots = slots(step, scene.locale)
        position = next_position(step, lines)
        info = self._info(scene.run.id, scene.index) or SongInfo()
        body = [
            f"**Theme:** {scene.text(step.theme)}",
            f"**Shape:** {structure_line(the_slots)}",
            "",
            live_sheet(
                the_slots,
                lines,
                hidden=step.turns == "hidden",
                anonymous=step.anonymous,
                next_position=position,
                names=info.names,
            ),
        ]
        embed = step_embed(scene, "\n".join(body))
        embed.add_field(
            name="Now",
            value=self._now_text(step, state, present, position, info, scene.locale),
            inline=False,
        )
        embed.set_footer(text=self._footer(step))
        changeable = bool(lines) and bool(state.get("last")) and position is not None
        view = self._view(scene, step, full=position is None, changeable=changeable)
        return MessagePayload(embed=embed, view=view)

    def _now_text(
        self,
        step: WriteStep,
        state: dict[str, Any],
        present: list[int] | None,
        position: int | None,
        info: SongInfo,
        locale: str = "en",
    ) -> str:
        if position is None:
            return (
                "🎉 Every line is written. When the facilitator moves on, the whole song is "
                "shared as a song sheet."
            )
        slot = slots(step, locale)[position]
        what = f"line {position + 1} of {step.total_lines}" + (
            f" ({slot.section})" if slot.section else ""
        )
        if not takes_turns(step):
            return f"✍ Anyone may write **{what}**: press **Write my line** when you're ready."
        writer = current_writer(state, present) if present is not None else state.get("turn")
        if not isinstance(writer, int):
            return f"Waiting for someone to join to write **{what}**."
        deadline = state.get("turn_deadline")
        until = f", until {clock_time(deadline)}" if isinstance(deadline, int | float) else ""
        if step.anonymous:
            # Lines of an anonymous song are never tied to a person, not even while written.
            return f"✍ Someone is writing **{what}**{until}. The writer is told privately."
        return f"✍ {who(writer, info.names)} is writing **{what}**{until}."

    def _footer(self, step: WriteStep) -> str:
        tips = []
        if step.constraints.syllables:
            s = step.constraints.syllables
            tips.append(f"{s.min}–{s.max} syllables a line")
        if step.constraints.rhyme_with_previous:
            tips.append("rhyme with the line before")
        tips.append(f"up to {step.constraints.max_chars} characters")
        help_ = "/rhyme WORD for ideas"
        if step.pass_allowed:
            help_ += " · passing is always fine"
        rule = "" if step.strict else " (a guide, not a rule)"
        return f"{' · '.join(tips)}{rule} · {help_} · facilitators: /song remove takes a line out"

    def _view(
        self, scene: StepScene, step: WriteStep, *, full: bool, changeable: bool
    ) -> discord.ui.View:
        """Everyone's buttons. Edit and Withdraw only while there is a line that can still
        change; taking a line out is the facilitator's `/song remove`, not a public button."""
        rid, idx = scene.run.id, scene.index
        items = [
            LyricsButton.button(
                "Write my line",
                action="write",
                run_id=rid,
                index=idx,
                style=discord.ButtonStyle.primary,
                emoji="✍",
                row=0,
                disabled=full,
            )
        ]
        if step.pass_allowed:
            items.append(
                LyricsButton.button(
                    "Pass", action="pass", run_id=rid, index=idx, emoji="⏭", row=0, disabled=full
                )
            )
        items += [
            LyricsButton.button(
                "Edit my line",
                action="edit",
                run_id=rid,
                index=idx,
                emoji="✏",
                row=0,
                disabled=not changeable,
            ),
            LyricsButton.button(
                "Withdraw my line",
                action="withdraw",
                run_id=rid,
                index=idx,
                emoji="↩",
                row=0,
                disabled=not changeable,
            ),
        ]
        return persistent_view(*items)

    # ---------------------------------------------------------------- closed

    def render_closed(self, scene: StepScene) -> MessagePayload:
        step: WriteStep = scene.step
        lines = fold(scene.contributions)
        written = len(lines)
        body = [
            f"**Theme:** {scene.text(step.theme)}",
            "",
            f"We wrote **{written} of {step.total_lines}** lines together"
            + (". The song sheet is below. 🎶" if written else "."),
        ]
        return MessagePayload(embed=step_embed(scene, "\n".join(body), closed=True), view=None)

    def after_exit(self, scene: StepScene) -> list[MessagePayload]:
        if self._on_exit is not None:
            self._on_exit(scene)
        sheet = self.sheet(scene)
        if sheet.line_count == 0:
            return []
        return [MessagePayload(embed=song_embed(sheet), files=(song_file(sheet),))]

    def sheet(self, scene: StepScene) -> SongSheet:
        step: WriteStep = scene.step
        lines = fold(scene.contributions)
        info = self._info(scene.run.id, scene.index) or SongInfo()
        return SongSheet(
            title=info.title,
            theme=scene.text(step.theme),
            sections=sections_of(slots(step, scene.locale), lines),
            credits=credits(lines, step.anonymous, info.opted_out),
            names=info.names,
            song_id=info.song_id,
            written_at=scene.run.step_started_at,
        )


def full(scene: StepScene) -> bool:
    return is_full(scene.step, song_lines(scene.step_state()))


PRESENTER = WritePresenter
"""Registers the presenter of the `write` kind (found by `bot.ui.steps.presenters`)."""
