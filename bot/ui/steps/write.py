"""A write step: theme, structure and the live lyric sheet in one message; the song sheet after."""

from __future__ import annotations

import discord

from bot.core.lyric_slots import slots
from bot.core.lyric_state import WriteState
from bot.core.lyric_turns import takes_turns
from bot.core.lyrics import credits, fold, is_full, next_position
from bot.core.steps.write import WriteStep
from bot.i18n import N_, _
from bot.ui.components import persistent_view
from bot.ui.format import clock_time
from bot.ui.lyrics import SongInfo, SongSheet, live_sheet, sections_of, who
from bot.ui.lyrics import structure_text as structure_line
from bot.ui.songs import song_embed, song_file
from bot.ui.steps.base import (
    BasePresenter,
    ButtonLook,
    MessagePayload,
    StepActionButton,
    StepScene,
    step_embed,
)

LYRICS_BUTTONS = {
    "write": ButtonLook(N_("Write my line"), "✍", discord.ButtonStyle.primary),
    "pass": ButtonLook(N_("Pass"), "⏭"),
    "edit": ButtonLook(N_("Edit my line"), "✏"),
    "withdraw": ButtonLook(N_("Withdraw my line"), "↩"),
}
"""The write step's buttons by action."""


class LyricsButton(
    StepActionButton, spec="chorus:lyrics:{action:word}:{run_id:int}:{step_index:int}"
):
    """A write step's buttons: `action` is write, edit, pass, withdraw or remove (remove: the
    facilitator's button on messages posted by older versions)."""

    run_id: int
    step_index: int
    action: str


class WritePresenter(BasePresenter[WriteStep]):
    """Renders write steps; the song's id, title and names are the scene's `SongInfo`
    (`StepScene.prepared`, gathered by the lyric sheet, bot/cogs/lyric_sheet.py)."""

    kind = "write"

    # ---------------------------------------------------------------- open

    def render(self, scene: StepScene[WriteStep]) -> MessagePayload:
        """The step's first posting (the lyric sheet then keeps it current with `payload`)."""
        return self.payload(scene)

    def payload(
        self, scene: StepScene[WriteStep], present: list[int] | None = None
    ) -> MessagePayload:
        """The song card: the sheet so far, whose turn it is (`present`: members in the session,
        for turns) and the buttons."""
        step = scene.step
        state = scene.step_state().kind(WriteState)
        lines = state.lines
        the_slots = slots(step, scene.locale)
        position = next_position(step, lines)
        info = scene.prepared_as(SongInfo) or SongInfo()
        locale = scene.locale
        body = [
            _("**Theme:** {theme}", locale, theme=scene.text(step.theme)),
            _("**Shape:** {shape}", locale, shape=structure_line(the_slots, locale)),
            "",
            live_sheet(
                the_slots,
                lines,
                hidden=step.turns == "hidden",
                anonymous=step.anonymous,
                next_position=position,
                names=info.names,
                locale=locale,
            ),
        ]
        embed = step_embed(scene, "\n".join(body))
        embed.add_field(
            name=_("Now", locale),
            value=self._now_text(step, state, present, position, info, locale),
            inline=False,
        )
        embed.set_footer(text=self._footer(step, locale))
        changeable = bool(lines) and state.last is not None and position is not None
        view = self._view(scene, step, full=position is None, changeable=changeable)
        return MessagePayload(embed=embed, view=view)

    def _now_text(
        self,
        step: WriteStep,
        state: WriteState,
        present: list[int] | None,
        position: int | None,
        info: SongInfo,
        locale: str,
    ) -> str:
        if position is None:
            return _(
                "🎉 Every line is written. When the facilitator moves on, the whole song is "
                "shared as a song sheet.",
                locale,
            )
        slot = slots(step, locale)[position]
        if slot.section:
            what = _(
                "line {number} of {total} ({section})",
                locale,
                number=position + 1,
                total=step.total_lines,
                section=slot.section,
            )
        else:
            what = _(
                "line {number} of {total}", locale, number=position + 1, total=step.total_lines
            )
        if not takes_turns(step):
            return _(
                "✍ Anyone may write **{what}**: press **Write my line** when you're ready.",
                locale,
                what=what,
            )
        writer = state.writer(present) if present is not None else state.turn
        if writer is None:
            return _("Waiting for someone to join to write **{what}**.", locale, what=what)
        deadline = state.turn_deadline
        until = (
            _(", until {time}", locale, time=clock_time(deadline)) if deadline is not None else ""
        )
        if step.anonymous:
            # Lines of an anonymous song are never tied to a person, not even while written.
            return _(
                "✍ Someone is writing **{what}**{until}. The writer is told privately.",
                locale,
                what=what,
                until=until,
            )
        return _(
            "✍ {writer} is writing **{what}**{until}.",
            locale,
            writer=who(writer, info.names, locale),
            what=what,
            until=until,
        )

    def _footer(self, step: WriteStep, locale: str) -> str:
        tips = []
        if step.constraints.syllables:
            s = step.constraints.syllables
            tips.append(_("{min}–{max} syllables a line", locale, min=s.min, max=s.max))
        if step.constraints.rhyme_with_previous:
            tips.append(_("rhyme with the line before", locale))
        tips.append(_("up to {count} characters", locale, count=step.constraints.max_chars))
        help_ = _("/rhyme WORD for ideas", locale)
        if step.pass_allowed:
            help_ += " · " + _("passing is always fine", locale)
        rule = " " + _("(a guide, not a rule)", locale) if not step.strict else ""
        remove = _("facilitators: /song remove takes a line out", locale)
        return f"{' · '.join(tips)}{rule} · {help_} · {remove}"

    def _view(
        self, scene: StepScene[WriteStep], step: WriteStep, *, full: bool, changeable: bool
    ) -> discord.ui.View:
        """Everyone's buttons. Edit and Withdraw only while there is a line that can still
        change; taking a line out is the facilitator's `/song remove`, not a public button."""
        disabled = {"write": full, "pass": full, "edit": not changeable, "withdraw": not changeable}
        actions = ["write", "pass"] if step.pass_allowed else ["write"]
        return persistent_view(
            *(
                LyricsButton.shown(
                    scene,
                    action,
                    LYRICS_BUTTONS,
                    row=0,
                    disabled=disabled[action],
                )
                for action in [*actions, "edit", "withdraw"]
            )
        )

    # ---------------------------------------------------------------- closed

    def render_closed(self, scene: StepScene[WriteStep]) -> MessagePayload:
        """See `StepPresenter.render_closed`: how many lines were written, without buttons."""
        step = scene.step
        lines = fold(scene.contributions)
        written = len(lines)
        locale = scene.locale
        together = (
            _(
                "We wrote **{written} of {total}** lines together. The song sheet is below. 🎶",
                locale,
                written=written,
                total=step.total_lines,
            )
            if written
            else _(
                "We wrote **{written} of {total}** lines together.",
                locale,
                written=written,
                total=step.total_lines,
            )
        )
        body = [_("**Theme:** {theme}", locale, theme=scene.text(step.theme)), "", together]
        return MessagePayload(embed=step_embed(scene, "\n".join(body), closed=True), view=None)

    def after_exit(self, scene: StepScene[WriteStep]) -> list[MessagePayload]:
        """The finished song sheet (none when no line was written)."""
        sheet = self.sheet(scene)
        if sheet.line_count == 0:
            return []
        return [
            MessagePayload(
                embed=song_embed(sheet, scene.locale),
                files=(song_file(sheet, locale=scene.locale),),
            )
        ]

    def sheet(self, scene: StepScene[WriteStep]) -> SongSheet:
        """The song as written at this step, as the sheet shows and exports it."""
        step = scene.step
        lines = fold(scene.contributions)
        info = scene.prepared_as(SongInfo) or SongInfo()
        return SongSheet(
            title=info.title,
            theme=scene.text(step.theme),
            sections=sections_of(slots(step, scene.locale), lines),
            credits=credits(lines, step.anonymous, info.opted_out),
            names=info.names,
            song_id=info.song_id,
            written_at=scene.run.step_started_at,
        )


def full(scene: StepScene[WriteStep]) -> bool:
    """True when every line of the song's structure is written."""
    return is_full(scene.step, scene.step_state().kind(WriteState).lines)


PRESENTER = WritePresenter
"""Registers the presenter of the `write` kind (found by `bot.ui.steps.presenters`)."""
